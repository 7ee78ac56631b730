"""Pricing use cases: load a quote file and price it."""

from __future__ import annotations

from pathlib import Path

from quote_builder.pricing import PricedQuote, QuoteDocument, QuoteFileError, load_quote, price

MAX_QUOTE_FILE_BYTES = 5 * 1024 * 1024


def read_quote_file(path: Path) -> QuoteDocument:
    """Load a quote JSON file; every problem is a QuoteFileError naming the file."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_QUOTE_FILE_BYTES:
            raise QuoteFileError(
                [f"the file is {size:,} bytes; a quote file is at most 5 MB"], source
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise QuoteFileError(["no such file"], source) from None
    except IsADirectoryError:
        raise QuoteFileError(["is a folder, not a quote file"], source) from None
    except PermissionError:
        raise QuoteFileError(["permission denied"], source) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QuoteFileError([f"byte {exc.start}: not UTF-8 text"], source) from None
    return load_quote(text, source)


def price_quote_file(path: Path) -> tuple[QuoteDocument, PricedQuote]:
    doc = read_quote_file(path)
    return doc, price(doc)
