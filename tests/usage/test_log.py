"""Reading a usage log: aggregation while streaming, and errors by line and column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

from quote_builder.usage import UsageLogError, read_usage_log
from quote_builder.usage.log import MAX_PROBLEMS, month_label

HEADER = "timestamp,user,metric,quantity,success,attributed_value\n"


def read(text: str):  # type: ignore[no-untyped-def]
    return read_usage_log(iter(text.splitlines(keepends=True)), "log.csv")


def test_rows_are_summed_per_month_user_and_metric() -> None:
    log = read(
        HEADER
        + "2026-01-03T10:00:00Z,alice,ai_actions,1.5,true,10\n"
        + "2026-01-20T10:00:00Z,alice,ai_actions,2.25,false,\n"
        + "2026-01-20,alice,tickets,1,1,\n"
        + "2026-03-01T00:00:00,bob,ai_actions,4,0,0.50\n"
    )
    jan = 2026 * 12
    cell = log.cells[jan, "alice", "ai_actions"]
    assert cell.quantity == Decimal("3.75")
    assert cell.successes == Decimal("1.5")
    assert cell.value == Decimal("10")
    assert cell.events == 2
    assert log.cells[jan + 2, "bob", "ai_actions"].value == Decimal("0.50")
    assert log.rows == 4
    assert log.users == ("alice", "bob")
    assert log.metrics == ("ai_actions", "tickets")
    # February has no events but is one of the log's months.
    assert [month_label(m) for m in log.months] == ["2026-01", "2026-02", "2026-03"]
    assert log.has_success and log.has_value


def test_time_zones_are_converted_to_utc_for_the_month() -> None:
    log = read(
        "timestamp,user,metric,quantity\n"
        "2026-01-31T23:30:00-05:00,a,m,1\n"  # 04:30 UTC on 1 February
        "2026-02-01T00:30:00+01:00,b,m,1\n"  # 23:30 UTC on 31 January
    )
    assert (2026 * 12 + 1, "a", "m") in log.cells
    assert (2026 * 12, "b", "m") in log.cells
    assert not log.has_success and not log.has_value


def test_columns_in_any_order_with_aliases_and_extra_columns() -> None:
    log = read("Quantity,Metric,seat_id,Timestamp,note\n3,m,s1,2026-05-01,hello\n")
    assert log.cells[2026 * 12 + 4, "s1", "m"].quantity == 3
    assert log.ignored_columns == ("note",)


def test_streaming_keeps_cells_not_rows() -> None:
    def lines() -> Iterator[str]:
        yield "timestamp,user,metric,quantity\n"
        for i in range(50_000):
            yield f"2026-0{i % 3 + 1}-1{i % 10}T00:00:00Z,u{i % 7},m{i % 2},1\n"

    log = read_usage_log(lines())
    assert log.rows == 50_000
    assert len(log.cells) <= 3 * 7 * 2
    assert sum(c.quantity for c in log.cells.values()) == 50_000


def test_problems_name_line_column_and_reason() -> None:
    with pytest.raises(UsageLogError) as caught:
        read(
            HEADER
            + "2026-01-03T10:00:00Z,alice,ai_actions,1,true,\n"
            + "yesterday,alice,ai_actions,1,true,\n"
            + "2026-01-03,alice,ai_actions,lots,true,\n"
            + "2026-01-03,alice,ai_actions,-2,true,\n"
            + "2026-01-03,alice,ai_actions,1,maybe,\n"
            + "2026-01-03,,ai_actions,1,true,\n"
            + "2026-01-03,alice,ai_actions,1,true,NaN\n"
            + "2026-01-03,alice\n"
            + "2026-01-03\n"
        )
    assert caught.value.problems == [
        "line 3, column 1 (timestamp): not an ISO 8601 date or time ('yesterday')",
        "line 4, column 4 (quantity): not a decimal number ('lots')",
        "line 5, column 4 (quantity): negative (-2)",
        "line 6, column 5 (success): 'maybe' is not true, false, 1 or 0",
        "line 7, column 2 (user): empty",
        "line 8, column 6 (attributed_value): not a finite number ('NaN')",
        "line 9: 2 fields, the required columns need 4",
        "line 10: 1 field, the required columns need 4",  # was "1 fields"
    ]
    assert str(caught.value).startswith("log.csv: line 3, column 1")


def test_optional_columns_may_be_left_off_a_row() -> None:
    log = read(HEADER + "2026-01-03,a,m,2\n2026-01-04,a,m,3,true\n")
    cell = log.cells[2026 * 12, "a", "m"]
    assert (cell.quantity, cell.successes, cell.value) == (5, 3, 0)


def test_line_numbers_count_quoted_newlines() -> None:
    with pytest.raises(UsageLogError) as caught:
        read('timestamp,user,metric,quantity\n2026-01-01,"two\nlines",m,1\n2026-01-01,a,m,x\n')
    assert caught.value.problems == ["line 4, column 4 (quantity): not a decimal number ('x')"]


def test_missing_columns_and_empty_files() -> None:
    with pytest.raises(UsageLogError) as caught:
        read("time,user,amount\n")
    assert caught.value.problems == [
        "line 1: missing columns metric, quantity (the header needs timestamp, user, metric, quantity)"
    ]
    with pytest.raises(UsageLogError, match="empty"):
        read("")
    with pytest.raises(UsageLogError, match="no usage rows"):
        read("timestamp,user,metric,quantity\n")


def test_a_semicolon_separated_log_is_named_as_such() -> None:
    # Excel in German or French saves "CSV" with semicolons and decimal commas: the
    # header is then one field, and "missing columns timestamp, user, metric, quantity"
    # sent the rep looking for columns that are there.
    with pytest.raises(UsageLogError) as caught:
        read("\ufefftimestamp;user;metric;quantity\n2026-01-05T10:00:00Z;a;calls;1,5\n")
    assert caught.value.problems == [
        "line 1: the columns are separated by semicolons, not commas; save the log as "
        "comma-separated CSV (CSV UTF-8) with decimal points"
    ]
    # Semicolons without the columns are still a missing-columns header.
    with pytest.raises(UsageLogError, match="missing columns"):
        read("a;b,c\n")


def test_rows_dated_after_today_are_refused() -> None:
    # A log of usage that has not happened (a year typed 2062 for 2026, generated test
    # data) was simulated as if it had: months up to 2099 priced as the customer's.
    body = (
        "2026-12-02T23:59:00Z,a,m,1,,\n"  # today
        "2026-12-03T10:00:00-05:00,a,m,1,,\n"  # tomorrow in UTC: a clock a day ahead
        "2026-12-04T00:30:00Z,a,m,1,,\n"
        "2099-01-05,a,m,1,,\n"
    )
    lines = (HEADER + body).splitlines(keepends=True)
    with pytest.raises(UsageLogError) as caught:
        read_usage_log(iter(lines), today=dt.date(2026, 12, 2))
    assert caught.value.problems == [
        "line 4, column 1 (timestamp): '2026-12-04T00:30:00Z' is in the future (today is "
        "2026-12-02, in UTC): a usage log records usage that has happened",
        "line 5, column 1 (timestamp): '2099-01-05' is in the future (today is 2026-12-02, "
        "in UTC): a usage log records usage that has happened",
    ]
    # Without a date to compare with (the reader alone), nothing is refused.
    assert read("".join(lines[:4])).rows == 3


def test_reading_stops_after_the_problem_limit() -> None:
    body = "".join("bad,a,m,1\n" for _ in range(1000))
    with pytest.raises(UsageLogError) as caught:
        read("timestamp,user,metric,quantity\n" + body)
    assert len(caught.value.problems) == MAX_PROBLEMS + 1
    assert caught.value.problems[-1] == f"stopped after {MAX_PROBLEMS} problems"


def test_a_log_longer_than_ten_years_is_refused() -> None:
    with pytest.raises(UsageLogError, match="spans 121 months"):
        read("timestamp,user,metric,quantity\n2016-01-01,a,m,1\n2026-01-01,a,m,1\n")


def test_a_log_too_long_names_the_lines_of_its_first_and_last_months() -> None:
    # One row typed 2040 for 2026 among a year's rows: "the log spans 169 months" left the
    # rep to search the file for it.
    rows = [f"2026-{m:02d}-05,a,m,1\n" for m in range(1, 13)]
    rows.insert(3, "2040-01-05,a,m,1\n")
    with pytest.raises(UsageLogError) as caught:
        read("timestamp,user,metric,quantity\n" + "".join(rows))
    assert caught.value.problems == [
        "the log spans 169 months, from 2026-01 (line 2) to 2040-01 (line 5); at most 120 "
        "can be simulated"
    ]
