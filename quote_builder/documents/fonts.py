"""What the shipped fonts can draw: text for the PDF is kept inside it."""

from __future__ import annotations

from functools import lru_cache

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
