"""Reading CSV a user hands us, bounded and with mistakes named where they are.

- **Bounded lines.** ``CsvLines`` reads a file in blocks of ``BLOCK_CHARS`` and refuses a
  line of more than ``MAX_LINE_CHARS`` characters as soon as it is seen, so a file without
  a line break (``/dev/zero``, a binary file) is never read into memory whole. The lines
  themselves are split by ``io.StringIO`` (C code, the same ``\\n``, ``\\r\\n`` and ``\\r``
  a file opened with ``newline=""`` gives), so a million-row log pays one Python step per
  block, not per line.
- **Unclosed quotes.** Python's ``csv`` module, at the end of the file inside a quoted
  field, quietly returns everything after the quote as one field: the mistake then shows
  up as a wrong field count on the *last* line, or a customer import merges every
  following row into one customer's name. ``CsvLines.exhausted`` tells that the reader
  asked for a line past the end of the file, which right after a record means the record
  ended inside a quoted field; ``quote_opened_at`` names the line where the quote opened.

This module imports nothing from the project, so every layer may use it.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Final, Protocol, runtime_checkable

from quote_builder.errors import Sentence

MAX_LINE_CHARS: Final = 64 * 1024
BLOCK_CHARS: Final = 1 << 20
UNCLOSED_QUOTE: Final = "a quoted field opened here is never closed"
_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")


class LineTooLongError(ValueError):
    """A line longer than the limit; ``line`` is its number (from 1)."""

    def __init__(self, line: int, limit: int) -> None:
        super().__init__(
            Sentence(
                f"line {line}: longer than {limit:,} characters without a line break "
                "(is this a CSV file?)",
                "csv.line_too_long",
                line=line,
                limit=limit,
            )
        )
        self.line = line


@runtime_checkable
class _Readable(Protocol):
    def read(self, size: int = -1, /) -> str: ...


class CsvLines:
    """The lines of ``source`` for ``csv.reader``: a text file (``newline=""``), read in
    blocks, or any iterable of text chunks (whole lines or not). Iterating raises
    LineTooLongError for a line of more than ``limit`` characters; ``exhausted`` becomes
    true when the reader asks for a line after the last one."""

    def __init__(self, source: Iterable[str] | _Readable, limit: int = MAX_LINE_CHARS) -> None:
        self._source = source
        self._limit = limit
        self.exhausted = False

    def __iter__(self) -> Iterator[str]:
        return itertools.chain.from_iterable(self._blocks())

    def _chunks(self) -> Iterator[str]:
        if isinstance(self._source, _Readable):
            read = self._source.read
            while chunk := read(BLOCK_CHARS):
                yield chunk
        else:
            yield from self._source

    def _blocks(self) -> Iterator[io.StringIO]:
        pending = ""
        lines_before = 0
        for chunk in self._chunks():
            text = pending + chunk
            # Whole lines go to the reader; the part after the last line break waits for
            # the next chunk (and so does a final "\r": a "\n" may follow it).
            cut = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1)) + 1
            complete, pending = text[:cut], text[cut:]
            if complete:
                # str.split is ten times faster than the regular expression; only a piece
                # that looks too long is split again at "\r" (old Mac line endings).
                if max(map(len, complete.split("\n"))) > self._limit:
                    lines = _LINE_BREAK.split(complete)
                    for index, line in enumerate(lines):
                        if len(line) > self._limit:
                            raise LineTooLongError(lines_before + index + 1, self._limit)
                lines_before += complete.count("\n") + complete.count("\r") - complete.count("\r\n")
                yield io.StringIO(complete, newline="")
            if len(pending.rstrip("\r")) > self._limit:
                raise LineTooLongError(lines_before + 1, self._limit)
        if pending:
            yield io.StringIO(pending, newline="")
        self.exhausted = True


def undecodable_cell(path: str | os.PathLike[str]) -> tuple[int, str | None, int] | None:
    """Where the first byte of the CSV file at ``path`` that is not UTF-8 is: its line
    (from 1), the header's name of its column (None: in the header, past the header's
    columns, or not to be told) and the byte; None when the file all is UTF-8. A text
    file is decoded in blocks, so the error a reader meets says only that the block is not
    UTF-8: a bad byte on line 10 was reported on line 1."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    newlines = consumed = line_start = 0
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK_CHARS):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                # exc.object is the bytes of an unfinished character kept from the block
                # before (never a line break) and this block.
                carried = len(exc.object) - len(block)
                before = bytes(exc.object[: exc.start])
                cut = before.rfind(b"\n")
                if cut >= 0:
                    line_start = consumed - carried + cut + 1
                bad_at = consumed - carried + exc.start
                line = newlines + before.count(b"\n") + 1
                return line, _column_at(handle, line, line_start, bad_at), exc.object[exc.start]
            newlines += block.count(b"\n")
            cut = block.rfind(b"\n")
            if cut >= 0:
                line_start = consumed + cut + 1
            consumed += len(block)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return newlines + 1, None, exc.object[exc.start] if exc.object else 0
    return None


def _column_at(handle: BinaryIO, line: int, line_start: int, bad_at: int) -> str | None:
    """The header's name of the cell holding the byte at ``bad_at`` (of the line starting
    at ``line_start``): the cells before it on its line are counted."""
    if line == 1 or bad_at - line_start > MAX_LINE_CHARS * 4:
        return None
    handle.seek(0)
    header_bytes = handle.readline(MAX_LINE_CHARS * 4)
    handle.seek(line_start)
    prefix = handle.read(bad_at - line_start)
    try:
        header_text = header_bytes.decode("utf-8-sig", errors="replace")
        header = next(csv.reader([header_text]), [])
        # A spreadsheet's semicolon CSV (Excel in German or French, saved in the Windows
        # code page): its header read with commas is one column named after them all.
        delimiter = ";" if len(header) == 1 and ";" in header[0] else ","
        if delimiter != ",":
            header = next(csv.reader([header_text], delimiter=delimiter), [])
        cells = next(
            csv.reader([prefix.decode("utf-8", errors="replace") + "x"], delimiter=delimiter), []
        )
    except csv.Error:
        return None
    index = len(cells) - 1
    if not 0 <= index < len(header):
        return None
    return header[index].strip() or None


def quote_opened_at(row: list[str], record_line: int) -> int:
    """The line where the unclosed quote of ``row`` opened: ``row`` is the record ``csv``
    returned at the end of the file (its last field is everything after the quote), and
    ``record_line`` the line the record began on. The fields before the last one were
    closed, so each line break in them is one line of the file."""
    return record_line + sum(len(_LINE_BREAK.findall(field)) for field in row[:-1])


__all__ = [
    "MAX_LINE_CHARS",
    "UNCLOSED_QUOTE",
    "CsvLines",
    "LineTooLongError",
    "undecodable_cell",
    "quote_opened_at",
]
