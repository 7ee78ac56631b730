"""What the shipped fonts can draw: text for the PDF is kept inside it."""

from __future__ import annotations

from functools import lru_cache

from quote_builder.paths import resources_dir


@lru_cache(maxsize=1)
def covered_codepoints() -> frozenset[int]:
    """Every character the shipped fonts can draw (read from their cmaps once)."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path in (resources_dir() / "fonts").iterdir():
        if path.suffix in (".otf", ".ttf"):
            covered.update(TTFont(str(path), lazy=True).getBestCmap())
    return frozenset(covered)


REPLACEMENT = "\u25a1"  # WHITE SQUARE, drawn by the shipped fonts


def printable(value: object) -> object:
    """Characters no shipped font can draw (emoji, rare scripts) become a white square,
    so a PDF never depends on the fonts of the laptop that renders it."""
    if not isinstance(value, str):
        return value
    covered = covered_codepoints()
    if all(ord(ch) in covered or ch in "\n\r\t" for ch in value):
        return value
    return "".join(ch if ord(ch) in covered or ch in "\n\r\t" else REPLACEMENT for ch in value)
