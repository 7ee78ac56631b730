"""A quote priced over its usage evidence: which log metric each quote metric reads, the
monthly bills and the p10 / median / p90 bill range, with the arithmetic written out."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from quote_builder.pricing import QuoteFileError, content_hash, dump_quote, load_quote
from quote_builder.pricing.evidence import evidence_bills, resolve_feeds, suggested_forecast
from quote_builder.pricing.factory import component_from_dict

from .factories import PLATFORM_WITH_ALLOWANCE, make_quote, quote_data

D = Decimal
SHA = "ab" * 32


def evidence(months: dict[str, dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """Evidence data: ``months`` maps YYYY-MM to {metric: quantity or totals}."""
    return {
        "source_name": "pilot.csv",
        "sha256": SHA,
        "analysed_on": "2026-11-28",
        "rows": 100,
        "users": 10,
        "months": [
            {
                "month": month,
                "active_users": 10,
                "metrics": {
                    metric: value if isinstance(value, dict) else {"quantity": str(value)}
                    for metric, value in metrics.items()
                },
            }
            for month, metrics in months.items()
        ],
        **extra,
    }


def quote(components: list[dict[str, Any]], usage_evidence: dict[str, Any] | None, **extra: Any):  # type: ignore[no-untyped-def]
    data = quote_data(customer={"name": "Initech"}, billing_frequency="quarterly", **extra)
    data["components"] = components
    if usage_evidence is not None:
        data["usage_evidence"] = usage_evidence
    return make_quote(**data)


PLATFORM = PLATFORM_WITH_ALLOWANCE


def test_bill_range_is_p10_median_p90_of_the_quotes_monthly_bills() -> None:
    doc = quote(
        PLATFORM,
        evidence(
            {
                "2026-06": {"enrichments": 560},
                "2026-07": {"enrichments": 720},
                "2026-08": {"enrichments": 910},
            }
        ),
        economics={"unit_costs": {"enrichments": "0.20"}},
    )
    bills = evidence_bills(doc)
    assert bills is not None
    # Bill = 1000 + (quantity - 500) x 1.50: 1090.00, 1330.00, 1615.00 (monthly, although
    # the quote bills quarterly: the range speaks of months).
    assert [b.bill for b in bills.months] == [D("1090.00"), D("1330.00"), D("1615.00")]
    assert [b.month for b in bills.months] == ["2026-06", "2026-07", "2026-08"]
    # Three months are too few for percentiles (PERCENTILE_MONTHS = 10): the quietest,
    # median and busiest month, 1090.00, 1330.00, 1615.00, as the proposal shows them
    # (the interpolated p10 1090 + 0.2 x 240 = 1138.00 and p90 1330 + 0.8 x 285 = 1558.00
    # were shown before).
    assert (bills.low, bills.expected, bills.high) == (D("1090.00"), D("1330.00"), D("1615.00"))
    assert bills.average == D("1345.00")  # 4035 / 3
    # COGS 0.20 a unit: 112 + 144 + 182 = 438 of 4035 -> 89.1 %.
    assert [b.cogs for b in bills.months] == [D("112.00"), D("144.00"), D("182.00")]
    assert bills.margin_percent == D("89.1")


def test_a_quote_without_evidence_has_no_bill_range() -> None:
    assert evidence_bills(quote(PLATFORM, None)) is None


def test_a_single_unmatched_metric_reads_the_whole_log_and_says_so() -> None:
    doc = quote(PLATFORM, evidence({"2026-06": {"api_call": 600, "export": 100}}))
    bills = evidence_bills(doc)
    assert bills is not None
    assert bills.months[0].bill == D("1300.00")  # 1000 + (700 - 500) x 1.50
    assert [(f.metric, f.reads) for f in bills.feeds] == [("enrichments", ("api_call", "export"))]
    assert "enrichments: not in the log, reads api_call, export" in bills.notes


def test_the_reps_mapping_wins_and_two_unmatched_metrics_read_nothing() -> None:
    components = [
        {"kind": "per_unit", "id": "a", "name": "A", "metric": "docs", "unit_price": "2"},
        {"kind": "per_unit", "id": "b", "name": "B", "metric": "pages", "unit_price": "1"},
    ]
    months = {"2026-06": {"api_call": 10, "export": 7}}
    feeds, notes = resolve_feeds(quote(components, None), ["api_call", "export"], False)
    assert {(f.metric, f.reads) for f in feeds} == {("docs", ()), ("pages", ())}
    assert sum("not in the log, reads nothing" in n for n in notes) == 2
    mapped = quote(components, evidence(months, metric_map={"docs": "api_call", "pages": "*"}))
    bills = evidence_bills(mapped)
    assert bills is not None
    assert bills.months[0].bill == D("37.00")  # 10 x 2 + (10 + 7) x 1


def test_outcomes_read_successes_and_value_share_reads_attributed_value() -> None:
    components = [
        {
            "kind": "per_outcome",
            "id": "resolved",
            "name": "Resolved tickets",
            "metric": "tickets",
            "price_per_outcome": "2",
        },
        {
            "kind": "percent_of_value",
            "id": "share",
            "name": "Share",
            "metric": "attributed_revenue",
            "percent": "10",
        },
    ]
    totals = {"tickets": {"quantity": "100", "successes": "80", "value": "5000"}}
    doc = quote(components, evidence({"2026-06": totals}, has_success=True, has_value=True))
    bills = evidence_bills(doc)
    assert bills is not None
    # 80 successful tickets x 2 + 10 % of the log's 5000 attributed value.
    assert bills.months[0].bill == D("660.00")
    sources = {f.metric: (f.source, f.reads) for f in bills.feeds}
    assert sources == {
        "tickets": ("successes", ("tickets",)),
        "attributed_revenue": ("value", None),
    }


def test_suggested_forecast_is_the_median_month_of_what_each_metric_reads() -> None:
    ev = quote(
        PLATFORM,
        evidence({"2026-06": {"api": 100}, "2026-07": {"api": 300}, "2026-08": {"api": 250}}),
    ).usage_evidence
    assert ev is not None
    components = [component_from_dict(c) for c in PLATFORM]
    assert suggested_forecast(ev, components) == {"enrichments": D("250.00")}


def test_evidence_round_trips_through_the_quote_format_with_a_stable_hash() -> None:
    doc = quote(PLATFORM, evidence({"2026-06": {"enrichments": "560.5"}}))
    again = load_quote(dump_quote(doc))
    assert again == doc and content_hash(again) == content_hash(doc)
    assert json.loads(dump_quote(doc))["usage_evidence"]["months"][0]["metrics"] == {
        "enrichments": {"quantity": "560.5", "successes": "0", "value": "0"}
    }


@pytest.mark.parametrize(
    ("change", "where", "reason"),
    [
        ({"sha256": "xyz"}, "usage_evidence.sha256", "64 hexadecimal digits"),
        ({"rows": 0}, "usage_evidence.rows", "must be at least 1"),
        (
            {"months": [{"month": "2026-13", "metrics": {}}]},
            "usage_evidence.months[0]",
            "write it as YYYY-MM",
        ),
        (
            {"months": [{"month": "2026-06"}, {"month": "2026-08"}]},
            "usage_evidence",
            "consecutive",
        ),
        (
            {"months": [{"month": "2026-06", "metrics": {"a": {"quantity": "-1"}}}]},
            "usage_evidence.months[0].metrics.a.quantity",
            "must not be negative",
        ),
    ],
)
def test_bad_evidence_is_refused_naming_the_field(
    change: dict[str, Any], where: str, reason: str
) -> None:
    data = evidence({"2026-06": {"enrichments": 1}})
    data.update(change)
    with pytest.raises(QuoteFileError) as caught:
        quote(PLATFORM, data)
    text = "\n".join(caught.value.problems)
    assert where in text and reason in text, text


def test_floats_are_refused_in_evidence() -> None:
    data = evidence({"2026-06": {"enrichments": {"quantity": 1.5}}})
    with pytest.raises(QuoteFileError) as caught:
        quote(PLATFORM, data)
    assert "usage_evidence.months[0].metrics.enrichments.quantity: floats are refused" in (
        "\n".join(caught.value.problems)
    )


THREE_MONTHS = {
    "2026-06": {"enrichments": 560},
    "2026-07": {"enrichments": 720},
    "2026-08": {"enrichments": 910},
}


def bills_of(doc):  # type: ignore[no-untyped-def]
    bills = evidence_bills(doc)
    assert bills is not None
    return [b.bill for b in bills.months], bills


def test_a_yearly_fee_counts_as_a_twelfth_in_every_month() -> None:
    components = [
        {**PLATFORM[0], "amount": "12000", "interval": "year"},
        PLATFORM[1],
    ]
    monthly, bills = bills_of(quote(components, evidence(THREE_MONTHS)))
    # 12000 / 12 = 1000 a month, whatever month of the log: 1090, 1330, 1615.
    assert monthly == [D("1090.00"), D("1330.00"), D("1615.00")]
    # Three months: the quietest, median and busiest month (PERCENTILE_MONTHS = 10).
    assert (bills.low, bills.expected, bills.high) == (D("1090.00"), D("1330.00"), D("1615.00"))


def test_a_yearly_commitment_true_up_is_averaged_over_the_year() -> None:
    components = [
        *PLATFORM,
        {"kind": "minimum_commitment", "id": "min", "name": "Minimum", "amount": "1200"},
    ]
    monthly, _ = bills_of(quote(components, evidence(THREE_MONTHS)))
    # A year of 560-enrichment months: overage 60 x 1.50 = 90 a month, 1080 a year, so a
    # true-up of 120 a year = 10 a month. 720 and 910 a month are above the commitment.
    assert monthly == [D("1100.00"), D("1330.00"), D("1615.00")]


def test_a_time_limited_discount_is_averaged_over_year_one() -> None:
    discounts = [{"description": "Intro", "percent": "50", "start_month": 1, "months": 3}]
    monthly, _ = bills_of(quote(PLATFORM, evidence(THREE_MONTHS), discounts=discounts))
    # Half off for 3 of 12 months: 87.5 % of 1090 = 953.75, of 1330 = 1163.75, ...
    assert monthly == [D("953.75"), D("1163.75"), D("1413.13")]


def test_later_contract_years_play_no_part() -> None:
    seats = [{"kind": "seats", "id": "seats", "name": "Seats", "seats": 10, "price_per_seat": "50"}]
    months = {f"2026-{m:02d}": {"api": 1} for m in range(1, 13)} | {
        "2027-01": {"api": 1},
        "2027-02": {"api": 1},
    }
    doc = quote(
        seats,
        evidence(months),
        term_months=24,
        escalator_percent="10",
        ramps=[{"year": 2, "seats": {"seats": 100}}],
    )
    monthly, bills = bills_of(doc)
    # 14 months of log, each priced as a month of contract year 1: 10 seats x 50.
    assert set(monthly) == {D("500.00")} and bills.high == D("500.00")


def test_the_fallback_reads_only_log_metrics_no_other_metric_reads() -> None:
    components = [
        {"kind": "per_unit", "id": "t", "name": "Tokens", "metric": "tokens", "unit_price": "0.01"},
        {
            "kind": "per_unit",
            "id": "o",
            "name": "Ops",
            "metric": "ai_operations",
            "unit_price": "1",
        },
    ]
    doc = quote(components, evidence({"2026-06": {"tokens": 1_000_000, "api_call": 100}}))
    monthly, bills = bills_of(doc)
    # tokens reads tokens; ai_operations reads what is left (api_call), not tokens again.
    assert monthly == [D("10100.00")]
    assert {f.metric: f.reads for f in bills.feeds} == {
        "tokens": ("tokens",),
        "ai_operations": ("api_call",),
    }


def test_a_charged_metric_that_reads_nothing_makes_the_range_incomplete() -> None:
    components = [
        PLATFORM[0],
        {
            "kind": "percent_of_value",
            "id": "share",
            "name": "Share",
            "metric": "revenue",
            "percent": "10",
        },
    ]
    doc = quote(components, evidence({"2026-06": {"api": 5}}))  # no attributed_value column
    _, bills = bills_of(doc)
    assert bills.incomplete == ("revenue",)
    assert "revenue: the log has no attributed_value column, reads nothing" in bills.notes


def test_year_zero_is_refused_and_huge_quantities_price_without_overflow() -> None:
    with pytest.raises(QuoteFileError) as caught:
        quote(PLATFORM, evidence({"0000-01": {"enrichments": 1}}))
    assert "usage_evidence.months[0]" in "\n".join(caught.value.problems)
    big = {f"m{i}": "999999999999" for i in range(50)}
    components = [
        {
            "kind": "per_unit",
            "id": "o",
            "name": "Ops",
            "metric": "ops",
            "unit_price": "999999999999",
        }
    ]
    doc = quote(components, evidence({"2026-06": big}, metric_map={"ops": "*"}), currency="BHD")
    monthly, _ = bills_of(doc)
    assert monthly == [D(50 * 999999999999 * 999999999999)]  # exact, with 3 decimals
    assert monthly[0].as_tuple().exponent == -3


def test_a_metric_the_rep_marks_as_unused_reads_nothing_and_the_range_is_complete() -> None:
    components = [
        {"kind": "per_unit", "id": "a", "name": "A", "metric": "completions", "unit_price": "1"},
        {"kind": "per_unit", "id": "b", "name": "B", "metric": "agent_runs", "unit_price": "5"},
    ]
    months = {"2026-06": {"completions": 10}}
    _, bills = bills_of(quote(components, evidence(months)))
    assert bills.incomplete == ("agent_runs",)  # it reads nothing: leaves its charge out
    marked = evidence(months, metric_map={"agent_runs": "-"})
    monthly, bills = bills_of(quote(components, marked))
    assert bills.incomplete == () and monthly == [D("10.00")]
