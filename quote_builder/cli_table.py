"""Listings of the command line that fit the terminal: 80 columns (a terminal's usual width,
and the width when the output is not a terminal), more when the terminal is wider.

A table's text columns (names, sources) are cut to fit, ending in "…"; numbers, amounts,
dates and codes are never cut, and numbers are right-aligned. A line of words that is too
long is wrapped under its own indent, never cutting a word."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

NARROWEST = 80
"""The width every listing fits, whatever the terminal says (a narrower terminal wraps)."""
ELLIPSIS = "…"


def terminal_width() -> int:
    """The terminal's width (``COLUMNS`` when set), at least ``NARROWEST``; ``NARROWEST``
    when the output is not a terminal."""
    return max(NARROWEST, shutil.get_terminal_size((NARROWEST, 24)).columns)


def elided(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters: cut, its last one "…", when longer."""
    if len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    return text[: width - 1].rstrip() + ELLIPSIS


@dataclass(frozen=True)
class Column:
    """How a table column is written. ``number``: right-aligned. ``shrink``: the narrowest
    a text column may be cut to (0: never cut: numbers, dates, codes). ``rank``: the
    columns of the highest rank are cut first (a CRM id before the customer's name)."""

    number: bool = False
    shrink: int = 0
    rank: int = 0


TEXT = Column(shrink=10)
NUMBER = Column(number=True)
FIXED = Column()


def table_lines(
    rows: Sequence[Sequence[str]],
    columns: Sequence[Column],
    *,
    indent: int = 0,
    gap: int = 2,
    width: int | None = None,
) -> list[str]:
    """The rows as lines of at most ``width`` (the terminal's) characters where the cut
    columns allow: each column as wide as its widest cell; while too wide, the widest
    column of the highest rank that may still be cut loses a character (down to its
    ``shrink``)."""
    if not rows:
        return []
    width = terminal_width() if width is None else width
    count = len(columns)
    widths = [max(len(row[i]) for row in rows) for i in range(count)]
    shown = [i for i in range(count) if widths[i] > 0]  # a column empty on every row goes
    excess = indent + sum(widths[i] for i in shown) + gap * (len(shown) - 1) - width
    while excess > 0:
        cuttable = [i for i in shown if columns[i].shrink and widths[i] > columns[i].shrink]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda i: (columns[i].rank, widths[i]))
        widths[widest] -= 1
        excess -= 1
    lines = []
    for row in rows:
        cells = []
        for i in shown:
            cell = elided(row[i], widths[i])
            cells.append(cell.rjust(widths[i]) if columns[i].number else cell.ljust(widths[i]))
        lines.append((" " * indent + (" " * gap).join(cells)).rstrip())
    return lines


def table_with_tails(
    rows: Sequence[Sequence[str]],
    columns: Sequence[Column],
    tails: Sequence[str],
    *,
    indent: int = 0,
    width: int | None = None,
) -> list[str]:
    """``table_lines`` with a long code at the end of each row (a key's whole fingerprint):
    on the row's line when every row fits so, else on a line of its own under its row."""
    width = terminal_width() if width is None else width
    lines = table_lines(rows, columns, indent=indent, width=width)
    if not lines:
        return []
    body = max(len(line) for line in lines)
    if all(body + 2 + len(tail) <= width for tail in tails):
        return [
            (line.ljust(body) + "  " + tail).rstrip()
            for line, tail in zip(lines, tails, strict=True)
        ]
    result = []
    for line, tail in zip(lines, tails, strict=True):
        result.append(line)
        if tail:
            result.append(" " * (indent + 2) + tail)
    return result


def wrapped(text: str, *, indent: int = 0, hang: int = 2, width: int | None = None) -> str:
    """A line of words wrapped to the terminal's width (at least 80) under ``indent``
    spaces, the lines after the first ``hang`` more, never a word cut; with a newline."""
    width = terminal_width() if width is None else width
    pad = " " * indent
    if len(pad + text) <= width:
        return pad + text + "\n"
    return (
        textwrap.fill(
            text,
            width=width,
            initial_indent=pad,
            subsequent_indent=pad + " " * hang,
            break_long_words=False,
            break_on_hyphens=False,
        )
        + "\n"
    )
