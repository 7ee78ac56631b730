"""Pricing use cases: load a quote file and price it."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from quote_builder.pricing import PricedQuote, QuoteDocument, QuoteFileError, load_quote, price
from quote_builder.safe_files import note_input

MAX_QUOTE_FILE_BYTES = 5 * 1024 * 1024


def read_quote_file(path: Path, limit: int = MAX_QUOTE_FILE_BYTES) -> QuoteDocument:
    """Load a quote JSON file; every problem is a QuoteFileError naming the file.

    Reads at most ``limit`` + 1 bytes whatever the file is (a FIFO, a pipe, a device or a
    file still growing have no size to trust), and refuses a longer one."""
    source = str(path)
    try:
        with path.open("rb") as stream:
            raw = stream.read(limit + 1)
    except FileNotFoundError:
        raise QuoteFileError(["no such file"], source) from None
    except IsADirectoryError:
        raise QuoteFileError(["is a folder, not a quote file"], source) from None
    except PermissionError:
        raise QuoteFileError(["permission denied"], source) from None
    except OSError as exc:
        raise QuoteFileError([f"cannot be read: {exc.strerror or exc}"], source) from None
    note_input(path, "the quote file")
    return quote_from_bytes(raw, source, limit)


def read_quote_stream(
    stream: BinaryIO, source: str = "standard input", limit: int = MAX_QUOTE_FILE_BYTES
) -> QuoteDocument:
    """Load a quote from an open binary stream (``-``: standard input), at most ``limit``
    bytes; problems name ``source``."""
    try:
        raw = stream.read(limit + 1)
    except OSError as exc:
        raise QuoteFileError([f"cannot be read: {exc.strerror or exc}"], source) from None
    return quote_from_bytes(raw, source, limit)


def quote_from_bytes(raw: bytes, source: str, limit: int = MAX_QUOTE_FILE_BYTES) -> QuoteDocument:
    if len(raw) > limit:
        raise QuoteFileError(
            [f"the file is larger than {_size(limit)}, the most a quote file may be"], source
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QuoteFileError([f"byte {exc.start}: not UTF-8 text"], source) from None
    return load_quote(text, source)


def _size(limit: int) -> str:
    mib = 1024 * 1024
    return f"{limit // mib} MB" if limit % mib == 0 else f"{limit:,} bytes"


def price_quote_file(path: Path) -> tuple[QuoteDocument, PricedQuote]:
    doc = read_quote_file(path)
    return doc, price(doc)
