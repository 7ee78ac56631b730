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
    # Ranks (n - 1) x p: p10 -> 0.2: 1090 + 0.2 x 240 = 1138.00; median 1330.00;
    # p90 -> 1.8: 1330 + 0.8 x 285 = 1558.00.
    assert (bills.low, bills.expected, bills.high) == (D("1138.00"), D("1330.00"), D("1558.00"))
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
    assert [(f.metric, f.log_metric) for f in bills.feeds] == [("enrichments", None)]
    assert any("reads all of the log's metrics" in n for n in bills.notes)


def test_the_reps_mapping_wins_and_two_unmatched_metrics_read_nothing() -> None:
    components = [
        {"kind": "per_unit", "id": "a", "name": "A", "metric": "docs", "unit_price": "2"},
        {"kind": "per_unit", "id": "b", "name": "B", "metric": "pages", "unit_price": "1"},
    ]
    months = {"2026-06": {"api_call": 10, "export": 7}}
    feeds, notes = resolve_feeds(quote(components, None), ["api_call", "export"], False)
    assert {(f.metric, f.log_metric) for f in feeds} == {("docs", ""), ("pages", "")}
    assert sum("priced at 0" in n for n in notes) == 2
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
    sources = {f.metric: (f.source, f.log_metric) for f in bills.feeds}
    assert sources == {"tickets": ("successes", "tickets"), "attributed_revenue": ("value", None)}


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
