"""A usage log is read in bounded pieces: a line without a line break is refused at that
line (``/dev/zero`` grew to 2.3 GB in 10 s), an unclosed quote is named where it opened
(not on the last line), and timestamps at the calendar's edges are sentences."""

from __future__ import annotations

import csv
import io
import itertools
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from quote_builder.cli import main
from quote_builder.csv_input import MAX_LINE_CHARS, CsvLines, LineTooLongError
from quote_builder.usage import UsageLogError, read_usage_log, simulate
from quote_builder.usage.log import open_usage_log

HEADER = "timestamp,user,metric,quantity\n"


def problems(source: object) -> list[str]:
    with pytest.raises(UsageLogError) as caught:
        read_usage_log(source, "log.csv")  # type: ignore[arg-type]
    return caught.value.problems


def test_a_generator_that_never_yields_a_line_break_is_refused_at_that_line() -> None:
    pulled = itertools.count()

    def endless() -> Iterator[str]:
        yield HEADER
        yield "2026-01-01T00:00:00Z,a,m,1\n"
        while True:
            next(pulled)
            yield "x" * 1000

    assert problems(endless()) == [
        f"line 3: longer than {MAX_LINE_CHARS:,} characters without a line break "
        "(is this a CSV file?)"
    ]
    assert next(pulled) <= MAX_LINE_CHARS // 1000 + 2  # stopped right after the limit


def test_dev_zero_is_refused_at_line_one() -> None:
    with pytest.raises(UsageLogError, match="line 1: longer than 65,536 characters"):
        open_usage_log("/dev/zero")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_simulating_dev_zero_is_a_sentence_in_bounded_memory() -> None:
    """The command the issue ran: it grew to 2.3 GB in 10 s; now it stops at once."""
    done = subprocess.run(
        [sys.executable, "-m", "quote_builder.cli", "usage", "simulate", "/dev/zero"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
    )
    assert done.returncode == 2, done.stderr[-500:]
    assert done.stderr == (
        "/dev/zero: Line 1: longer than 65,536 characters without a line break "
        "(is this a CSV file?).\n"
    )


def test_lines_are_split_like_a_file_opened_with_newline_empty() -> None:
    text = "a\r\nb\rc\nd"
    for size in (1, 2, 3, 100):  # chunk boundaries anywhere, even inside "\r\n"
        chunks = [text[i : i + size] for i in range(0, len(text), size)]
        assert list(CsvLines(chunks)) == ["a\r\n", "b\r", "c\n", "d"]
    assert list(CsvLines(io.StringIO(text, newline=""))) == ["a\r\n", "b\r", "c\n", "d"]
    with pytest.raises(LineTooLongError, match="line 2: longer than 3 characters"):
        list(CsvLines(["ab\r", "\ncdef\n"], limit=3))
    with pytest.raises(LineTooLongError, match="line 3: longer than 3 characters"):
        list(CsvLines(["ab\ncd\rabcd\n"], limit=3))


def test_an_unclosed_quote_names_the_line_where_it_opened() -> None:
    log = (
        HEADER
        + "2026-01-01T00:00:00Z,u1,m,1\n"
        + '"2026-01-02,u2,m,1\n'  # the quote opens on line 3 and never closes
        + "2026-01-03T00:00:00Z,u3,m,1\n"
        + "2026-01-04T00:00:00Z,u3,m,1\n"
    )
    # It was: "line 5: 1 fields, the required columns need 4" (the last line).
    assert problems(io.StringIO(log, newline="")) == [
        "line 3: a quoted field opened here is never closed"
    ]
    in_a_later_field = HEADER + '2026-01-01,"two\nlines",m,1\n2026-01-02,u,"m,1\n'
    assert problems([in_a_later_field]) == ["line 4: a quoted field opened here is never closed"]


def test_an_unclosed_quote_in_a_long_log_is_named_too() -> None:
    rows = "".join(f"2026-01-01T00:00:00Z,u{i},m,1\n" for i in range(20_000))
    log = HEADER + "2026-01-01T00:00:00Z,u,m,1\n" + '2026-01-01,"u,m,1\n' + rows
    assert problems([log]) == [
        f"line 3: a quoted field opened here is never closed (it runs on for more than "
        f"{csv.field_size_limit():,} characters)"
    ]


def test_an_unclosed_quote_in_the_header_is_named() -> None:
    assert problems(['timestamp,"user,metric,quantity\n2026-01-01,u,m,1\n']) == [
        "line 1: a quoted field opened here is never closed"
    ]


@pytest.mark.parametrize(
    "timestamp",
    [
        "9999-12-31T23:59:59Z",  # was a pydantic ValidationError traceback
        "9999-12-31T23:00:00-01:00",  # was OverflowError (year 10000 in UTC)
        "0001-01-01T00:00:00+01:00",  # was OverflowError (year 0 in UTC)
        "0001-01-01",
        "1899-12-31T23:59:59Z",
        "3000-01-01T00:00:00Z",
        "2999-12-31T23:30:00-01:00",  # 3000-01-01 in UTC
    ],
)
def test_timestamps_at_the_calendars_edges_are_sentences(timestamp: str) -> None:
    assert problems([HEADER, f"{timestamp},u,m,1\n"]) == [
        f"line 2, column 1 (timestamp): {timestamp!r} is outside the years a usage log can "
        "cover (1900 to 2999, in UTC)"
    ]


def test_the_first_year_is_simulated(tmp_path: Path) -> None:
    log = tmp_path / "edge.csv"
    log.write_text(f"{HEADER}1900-01-01T00:00:00Z,u,m,1\n")
    out, err = io.StringIO(), io.StringIO()
    assert main(["usage", "simulate", str(log)], out, err) == 0, err.getvalue()
    assert "1900-01" in out.getvalue()


def test_the_last_year_is_simulated() -> None:
    # The app refuses a row after today; the reader and the simulation still take the
    # calendar's last month (a log read without a date to compare with).
    log = read_usage_log([HEADER, "2999-12-31T23:59:59Z,u,m,1\n"])
    report = simulate(log, None, "edge.csv")
    assert report.months == ("2999-12",)
    assert all(model.total_bill > 0 for model in report.models)


def test_a_nul_character_in_a_user_or_metric_is_named() -> None:
    assert problems([HEADER, "2026-01-01,u\x00,m,1\n", "2026-01-01,u,m\x00,1\n"]) == [
        "line 2, column 2 (user): a NUL character",
        "line 3, column 3 (metric): a NUL character",
    ]


def test_the_command_prints_the_sentence_for_an_edge_timestamp(tmp_path: Path) -> None:
    log = tmp_path / "edge.csv"
    log.write_text(f"{HEADER}9999-12-31T23:59:59Z,u,m,1\n")
    out, err = io.StringIO(), io.StringIO()
    assert main(["usage", "simulate", str(log)], out, err) == 2
    assert "outside the years a usage log can cover" in err.getvalue()
