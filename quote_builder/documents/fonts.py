"""What the shipped fonts can draw: text for the PDF is kept inside it."""

from __future__ import annotations

import re
from functools import lru_cache

from quote_builder.errors import Sentence
from quote_builder.paths import resources_dir

COVERAGE_FILE = "coverage.txt"
"""Code point ranges the fonts cover, one ``start-end`` (hex) a line; written by
``codepoints_from_fonts`` (scripts/font-coverage) and checked against the fonts by a test,
so rendering never needs fontTools to read the cmaps."""


def codepoints_from_fonts() -> frozenset[int]:
    """Every character the shipped fonts can draw, read from their cmaps."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path in sorted((resources_dir() / "fonts").iterdir()):
        if path.suffix in (".otf", ".ttf"):
            with TTFont(str(path), lazy=True) as font:  # closes the file
                covered.update(font.getBestCmap())
    return frozenset(covered)


def coverage_ranges(codepoints: frozenset[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for point in sorted(codepoints):
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    return ranges


@lru_cache(maxsize=1)
def covered_codepoints() -> frozenset[int]:
    covered: set[int] = set()
    for line in (resources_dir() / "fonts" / COVERAGE_FILE).read_text().split():
        start, _, end = line.partition("-")
        covered.update(range(int(start, 16), int(end or start, 16) + 1))
    return frozenset(covered)


def write_coverage_file() -> None:
    lines = [f"{a:04x}-{b:04x}" for a, b in coverage_ranges(codepoints_from_fonts())]
    (resources_dir() / "fonts" / COVERAGE_FILE).write_text("\n".join(lines) + "\n")


class UndrawableTextError(ValueError):
    """Text with a character no shipped font draws: the render is refused, never altered."""


def undrawable(text: str) -> str | None:
    """The first character of ``text`` no shipped font can draw, or None."""
    covered = covered_codepoints()
    for ch in text:
        if ord(ch) not in covered and ch not in "\n\r\t":
            return ch
    return None


def describe(ch: str) -> str:
    """``🚀 (U+1F680 ROCKET)``; a character that is not itself visible (a control or format
    character such as a right-to-left override, a combining mark, a separator) only by its
    code point and name, ``U+202E (RIGHT-TO-LEFT OVERRIDE)``: printed raw it would reorder or
    hide the rest of the terminal line."""
    import unicodedata

    name = unicodedata.name(ch, "")
    if unicodedata.category(ch)[0] in "CMZ":
        return f"U+{ord(ch):04X} ({name or 'a control character'})"
    return f"{ch} (U+{ord(ch):04X}{' ' + name if name else ''})"


def printable(value: object) -> object:
    """The templates' finalize hook: text goes into the PDF as written, or not at all. A
    character no shipped font can draw stops the render (the view is checked field by field
    before, so this is a safety net); a party's name is never changed silently."""
    if isinstance(value, str):
        ch = undrawable(value)
        if ch is not None:
            raise UndrawableTextError(
                f"the text {value[:60]!r} has a character the PDF fonts cannot draw: {describe(ch)}"
            )
    return value


FIELD_NAMES = {
    "seller.name": "the seller's name (Settings, Seller profile)",
    "seller.legal_name": "the seller's legal name (Settings, Seller profile)",
    "seller.address": "the seller's address (Settings, Seller profile)",
    "customer.name": "the customer's name",
    "customer.legal_name": "the customer's legal name",
    "customer.address": "the customer's address",
    "customer.billing_address": "the customer's billing address",
    "customer.signatory": "the customer's contact name",
    "title": "the quote's title",
    "quote_number": "the quote number",
}


def field_name(path: str) -> str:
    """A customer view's field (``customer.name``, ``components[0].name``) in words."""
    if path in FIELD_NAMES:
        return FIELD_NAMES[path]
    match = re.fullmatch(r"components\[(\d+)\]\.(.+)", path)
    if match:
        return f"component {int(match.group(1)) + 1}'s {match.group(2).replace('_', ' ')}"
    match = re.fullmatch(r"discounts\[(\d+)\]\.(.+)", path)
    if match:
        return f"discount {int(match.group(1)) + 1}'s {match.group(2).replace('_', ' ')}"
    if path.startswith("legal."):
        return f"the legal frame's {path[6:].replace('_', ' ')}"
    return path


def undrawable_sentence(path: str, text: str) -> Sentence | None:
    """The one rule for text that goes into a PDF: None when the shipped fonts draw every
    character of ``text``, else the sentence that names the field (``path``, as the
    customer view names it: ``customer.name``, ``title``) and the character. The render
    refuses with it; the app's fields, warnings, Export PDF and Request approval say the
    same words before the rep gets that far."""
    ch = undrawable(text)
    if ch is None:
        return None
    name = field_name(path)
    return Sentence(
        f"{name} ({text[:60]!r}) has a character the PDF fonts cannot "
        f"draw: {describe(ch)}. Write it without that character; Quote Builder "
        "never changes a name or a term silently",
        "render.undrawable",
        field=name,
        value=text[:60],
        character=describe(ch),
    )
