"""A simulated log reduced to the evidence a quote keeps: totals per month and metric,
users by usage, the models as simulated, the recommendations in words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from quote_builder.usage import UsageLogError, read_usage_log, simulate
from quote_builder.usage.evidence import build_evidence, user_distribution

D = Decimal
SHA = "0" * 64
TODAY = dt.date(2026, 11, 28)


def log_of(rows: list[str]):  # type: ignore[no-untyped-def]
    header = "timestamp,user,metric,quantity,success,attributed_value\n"
    return read_usage_log(iter([header, *rows]))


def test_months_hold_totals_per_metric_and_gap_months_are_kept() -> None:
    log = log_of(
        [
            "2026-01-05,ann,api,10,true,100\n",
            "2026-01-06,ann,api,5,false,\n",
            "2026-01-07,bob,export,2,true,\n",
            "2026-03-01,bob,api,7,true,30\n",
        ]
    )
    ev = build_evidence(log, simulate(log), "log.csv", SHA, TODAY)
    assert [m.month for m in ev.months] == ["2026-01", "2026-02", "2026-03"]
    january = ev.months[0]
    assert january.active_users == 2
    assert january.metrics["api"].quantity == D(15)
    assert january.metrics["api"].successes == D(10)
    assert january.metrics["api"].value == D(100)
    assert january.metrics["export"].quantity == D(2)
    assert ev.months[1].metrics == {} and ev.months[1].active_users == 0
    assert ev.months[2].metrics["api"].value == D(30)
    assert (ev.rows, ev.users, ev.has_success, ev.has_value) == (4, 2, True, True)
    assert ev.sha256 == SHA and ev.source_name == "log.csv" and ev.analysed_on == TODAY


def test_user_distribution_has_round_buckets_and_counts_every_user() -> None:
    # Heaviest 95 -> 95 / 10 = 9.5 -> width 10: buckets up to 10, 20, ..., 100.
    buckets = user_distribution([D(5), D(15), D(15), D(20), D(95)])
    assert [b.up_to for b in buckets] == [D(10) * k for k in range(1, 11)]
    assert [b.users for b in buckets] == [1, 3, 0, 0, 0, 0, 0, 0, 0, 1]
    # 20 is at most 20: the second bucket. Nobody uses anything: one bucket at 0.
    assert user_distribution([D(0), D(0)])[0].users == 2
    # Width 1, 2 or 5 x 10^k: 0.7 heaviest -> 0.07 -> 0.1.
    assert user_distribution([D("0.7")])[-1].up_to == D("0.7")


def test_the_median_and_90th_percentile_user_and_the_seat_flag() -> None:
    # 10 users, one month: 8 use 10 units, two use 100.
    rows = [f"2026-03-05,u{i},api,10,true,\n" for i in range(8)]
    rows += ["2026-03-05,h1,api,100,true,\n", "2026-03-05,h2,api,100,true,\n"]
    log = log_of(rows)
    ev = build_evidence(log, simulate(log), "log.csv", SHA, TODAY)
    # Sorted per-user usage: 10 x 8, 100 x 2. Median = 10; p90 rank 8.1: 100.
    assert ev.median_per_user == D("10.00") and ev.p90_per_user == D("100.00")
    assert ev.seat_pricing_flagged
    assert any(line.startswith("Seats:") and "varies widely" in line for line in ev.recommendations)
    assert any("80/50 rule" in line for line in ev.recommendations)


def test_every_model_is_kept_as_simulated() -> None:
    log = log_of(
        [f"2026-0{m}-15,u{i},api,{10 * (i + 1)},true,\n" for m in (1, 2) for i in range(5)]
    )
    report = simulate(log)
    ev = build_evidence(log, report, "log.csv", SHA, TODAY)
    assert [s.key for s in ev.comparison] == [r.key for r in report.models]
    for kept, model in zip(ev.comparison, report.models, strict=True):
        assert kept.total_bill == model.total_bill
        assert (kept.low, kept.expected, kept.high) == (
            model.bill_range.low,
            model.bill_range.expected,
            model.bill_range.high,
        )


def test_a_log_that_cannot_be_kept_with_a_quote_is_refused_as_it_is_read() -> None:
    """The reader refuses what a quote cannot keep, naming the line, so that simulating
    and attaching a log refuse it alike (tests/store/test_usage_one_reader.py)."""
    with pytest.raises(UsageLogError) as many:
        log_of([f"2026-01-05,u,m{i},1,true,\n" for i in range(51)])
    assert str(many.value) == (
        "line 52, column 3 (metric): 'm50' is metric 51 of the log; a log has at most 50"
    )
    with pytest.raises(UsageLogError) as long:
        log_of(["2026-01-05,u," + "x" * 201 + ",1,true,\n"])
    assert str(long.value) == "line 2, column 3 (metric): longer than 200 characters"


def test_a_month_total_too_large_for_a_quote_names_the_line_month_and_metric() -> None:
    with pytest.raises(UsageLogError) as caught:
        log_of(["2026-01-05,a,ops,999999999999,true,\n", "2026-01-06,b,ops,999999999999,true,\n"])
    assert str(caught.value) == (
        "line 3, column 4 (quantity): the 2026-01 total of 'ops' reaches 1,999,999,999,998; "
        "a month's total of a metric must stay below 1,000,000,000,000"
    )


def test_a_log_made_otherwise_is_still_checked_when_kept() -> None:
    log = log_of(["2026-01-05,a,ops,1,true,\n"])
    report = simulate(log)
    log.cells[(log.first_month, "a", "ops")].quantity = D(10) ** 12
    with pytest.raises(UsageLogError, match="too large for a quote to keep"):
        build_evidence(log, report, "log.csv", SHA, TODAY)


def test_without_costs_the_platform_advice_asks_for_them_instead_of_a_zero_floor() -> None:
    from quote_builder.pricing.quote_format import quote_from_data

    quote = quote_from_data(
        {
            "customer": {"name": "Initech"},
            "currency": "USD",
            "start_date": "2027-01-01",
            "term_months": 12,
            "components": [
                {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"},
                {
                    "kind": "allowance_overage",
                    "id": "e",
                    "name": "Enrichments",
                    "metric": "enrichments",
                    "included": "500",
                    "overage_unit_price": "1.50",
                },
            ],
        }
    )
    log = log_of(["2026-01-05,a,enrichments,600,true,\n"])
    lines = build_evidence(log, simulate(log, quote), "log.csv", SHA, TODAY).recommendations
    platform = next(line for line in lines if line.startswith("Platform fee:"))
    assert "No unit cost or fixed cost is known for enrichments" in platform
    assert "at least 0.00" not in platform


def test_the_quotes_row_and_the_live_range_are_one_definition() -> None:
    from quote_builder.pricing.evidence import evidence_bills
    from quote_builder.pricing.quote_format import quote_from_data

    quote = quote_from_data(
        {
            "customer": {"name": "Initech"},
            "currency": "USD",
            "start_date": "2027-01-01",
            "term_months": 24,
            "billing_frequency": "annual",
            "components": [
                {"kind": "flat_fee", "id": "p", "name": "P", "amount": "12000", "interval": "year"},
                {
                    "kind": "per_unit",
                    "id": "c",
                    "name": "Calls",
                    "metric": "calls",
                    "unit_price": "1",
                },
            ],
        }
    )
    log = log_of([f"2026-0{m}-05,a,calls,{q},true,\n" for m, q in ((1, 400), (2, 900), (3, 1500))])
    evidence = build_evidence(log, simulate(log, quote), "log.csv", SHA, TODAY)
    row = evidence.comparison[0]
    assert row.source == "quote"
    # 12,000 a year is 1,000 a month, plus the month's calls: 1,400, 1,900, 2,500.
    # Three months are too few for percentiles (PERCENTILE_MONTHS = 10): the quietest
    # month 1,400, the median 1,900, the busiest 2,500, as the proposal names them (an
    # interpolated p10 of 1,500 and p90 of 2,380 were shown before).
    assert (row.low, row.expected, row.high) == (D("1400.00"), D("1900.00"), D("2500.00"))
    bills = evidence_bills(quote.model_copy(update={"usage_evidence": evidence}))
    assert bills is not None
    assert (bills.low, bills.expected, bills.high) == (row.low, row.expected, row.high)
