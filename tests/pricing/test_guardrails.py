"""Guardrails: each warning fires when it should, and only then."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from quote_builder.pricing import price
from quote_builder.pricing.guardrails import lognormal_p80

from .factories import make_quote

D = Decimal
FULL_TERMS = {
    "definition": "A ticket closed without human escalation",
    "success_criteria": "Not reopened within 7 days",
    "verification_evidence": "Helpdesk audit log export",
    "dispute_window_days": 30,
}


def codes(**overrides: Any) -> dict[str, str]:
    return {w.code: w.severity for w in price(make_quote(**overrides)).warnings}


def outcome(terms: dict[str, Any], price_per_outcome: str = "2") -> dict[str, Any]:
    return {
        "kind": "per_outcome",
        "id": "o",
        "name": "Resolved tickets",
        "metric": "tickets",
        "price_per_outcome": price_per_outcome,
        "terms": terms,
    }


def test_outcome_without_measurement_terms_is_blocking() -> None:
    found = codes(components=[outcome({})], usage_forecast={"tickets": {"monthly": "100"}})
    assert found["OUTCOME_TERMS_MISSING"] == "blocking"
    complete = codes(
        components=[outcome(FULL_TERMS)], usage_forecast={"tickets": {"monthly": "100"}}
    )
    assert "OUTCOME_TERMS_MISSING" not in complete
    assert "OUTCOME_CRITERIA_MISSING" not in complete
    no_criteria = {k: v for k, v in FULL_TERMS.items() if k != "success_criteria"}
    assert (
        codes(components=[outcome(no_criteria)], usage_forecast={"tickets": {"monthly": "1"}})[
            "OUTCOME_CRITERIA_MISSING"
        ]
        == "warning"
    )


@pytest.mark.parametrize(
    ("attribution", "baseline", "blocking"),
    [
        ({}, "0", True),  # no method
        ({"method": "holdout_group"}, None, True),  # no baseline
        ({"method": "holdout_group"}, "0", False),
    ],
)
def test_percent_of_value_needs_attribution_and_baseline(
    attribution: dict[str, str], baseline: str | None, blocking: bool
) -> None:
    component: dict[str, Any] = {
        "kind": "percent_of_value",
        "id": "v",
        "name": "Share",
        "metric": "revenue",
        "percent": "0.5",
        "attribution": attribution,
    }
    if baseline is not None:
        component["baseline"] = baseline
    found = codes(components=[component], usage_forecast={"revenue": {"monthly": "100000"}})
    assert ("ATTRIBUTION_MISSING" in found) is blocking


def test_token_pass_through() -> None:
    tokens = {
        "kind": "per_unit",
        "id": "t",
        "name": "Tokens",
        "metric": "output_tokens",
        "unit_price": "0.00002",
    }
    assert "TOKEN_PASS_THROUGH" in codes(
        components=[tokens], usage_forecast={"output_tokens": {"monthly": "1"}}
    )
    assert "TOKEN_PASS_THROUGH" not in codes()


def test_headcount_blind_seats() -> None:
    seats = {"kind": "seats", "id": "s", "name": "Seats", "seats": 10, "price_per_seat": "50"}
    assert "HEADCOUNT_BLIND_SEATS" in codes(
        components=[seats], advisor={"usage_intensity_variation": "high"}
    )
    assert "HEADCOUNT_BLIND_SEATS" in codes(
        components=[seats], advisor={"usage_tracks_headcount": False}
    )
    assert "HEADCOUNT_BLIND_SEATS" not in codes(
        components=[seats], advisor={"usage_intensity_variation": "low"}
    )


def test_platform_fee_must_cover_fixed_cost_and_included_usage() -> None:
    usage = {
        "kind": "allowance_overage",
        "id": "ops",
        "name": "Ops",
        "metric": "ops",
        "included": "1000",
        "overage_unit_price": "0.25",
    }
    econ = {
        "unit_costs": {"ops": "0.10"},
        "fixed_cost_per_month": "200",
        "target_margin_percent": "70",
    }
    # Floor: (200 + 1,000 x 0.10) / (1 - 0.70) = 1,000 a month.
    platform = {"kind": "flat_fee", "id": "p", "name": "Platform", "amount": "999.99"}
    low = codes(
        components=[platform, usage], economics=econ, usage_forecast={"ops": {"monthly": "1"}}
    )
    assert "PLATFORM_FEE_BELOW_FLOOR" in low
    platform["amount"] = "1000"
    ok = codes(
        components=[platform, usage], economics=econ, usage_forecast={"ops": {"monthly": "1"}}
    )
    assert "PLATFORM_FEE_BELOW_FLOOR" not in ok


def test_lognormal_p80() -> None:
    # With no spread every user uses the mean.
    assert lognormal_p80(D(100), D(0)).quantize(D("0.01")) == D("100.00")
    # CV 1: sigma^2 = ln 2 = 0.6931, mu = ln 100 - 0.3466 = 4.2586;
    # p80 = exp(4.2586 + 0.8416 x 0.8326) = exp(4.9593) = 142.5.
    assert lognormal_p80(D(100), D(1)).quantize(D("0.1")) == D("142.5")


@pytest.mark.parametrize(
    ("allocation", "fires"),
    [
        # 100 credits a seat on average; at medium spread (CV 0.75): sigma^2 = ln 1.5625 =
        # 0.4463, mu = ln 100 - 0.2231 = 4.3820, p80 = exp(4.3820 + 0.8416 x 0.6680) = 140.37.
        ("300", False),  # 140.37 < 150: 80 % of users stay under half of 300
        ("281", False),  # 140.37 < 140.5
        ("280", True),  # 140.37 >= 140
        ("250", True),
    ],
)
def test_credit_allocation_80_50_rule(allocation: str, fires: bool) -> None:
    doc: dict[str, Any] = {
        "components": [
            {"kind": "seats", "id": "seats", "name": "Seats", "seats": 10, "price_per_seat": "40"},
            {
                "kind": "credits",
                "id": "c",
                "name": "Credits",
                "seats_component": "seats",
                "allocation_per_seat": allocation,
                "burn": {"actions": "1"},
                "overage_price_per_credit": "0.01",
            },
        ],
        "usage_forecast": {"actions": {"monthly": "1000"}},  # 100 a seat
        "advisor": {"usage_intensity_variation": "medium"},
    }
    assert lognormal_p80(D(100), D("0.75")).quantize(D("0.01")) == D("140.37")
    assert ("CREDIT_ALLOCATION_80_50" in codes(**doc)) is fires


def test_margin_below_floor_per_year() -> None:
    doc: dict[str, Any] = {
        "term_months": 24,
        "escalator_percent": "4",
        "components": [{"kind": "flat_fee", "id": "p", "name": "P", "amount": "1000"}],
        "usage_forecast": {"m": {"monthly": "1"}},
        "economics": {"fixed_cost_per_month": "450", "margin_floor_percent": "55"},
    }
    priced = price(make_quote(**doc))
    # Year 1: (1,000 - 450) / 1,000 = 55.0 % (at the floor: fine); year 2: (1,040 - 450) / 1,040 = 56.7 %.
    assert [y.gross_margin_percent for y in priced.years] == [D("55.0"), D("56.7")]
    assert "MARGIN_BELOW_FLOOR" not in {w.code for w in priced.warnings}
    doc["economics"]["fixed_cost_per_month"] = "460"
    messages = [
        w.message for w in price(make_quote(**doc)).warnings if w.code == "MARGIN_BELOW_FLOOR"
    ]
    assert messages == ["Gross margin in contract year 1 is 54.0%, below the 55% floor."]


def test_multi_year_without_escalator() -> None:
    assert codes(term_months=24)["NO_ESCALATOR"] == "warning"
    assert "NO_ESCALATOR" not in codes(term_months=12)
    assert codes(term_months=24, escalator_percent="2")["ESCALATOR_LOW"] == "info"
    assert (
        not {"NO_ESCALATOR", "ESCALATOR_LOW"} & codes(term_months=24, escalator_percent="3").keys()
    )


def test_category_ranges() -> None:
    # Analytics copilot: $12,000-$60,000 a year. 1,000 x 12 = 12,000 is inside.
    assert "ACV_OUT_OF_RANGE" not in codes(product_category="analytics_copilot")
    small = [{"kind": "flat_fee", "id": "p", "name": "P", "amount": "999.99"}]
    assert "ACV_OUT_OF_RANGE" in codes(product_category="analytics_copilot", components=small)
    # Support: $1-$5 a resolved ticket.
    found = codes(
        product_category="customer_support",
        components=[outcome(FULL_TERMS, price_per_outcome="6")],
        usage_forecast={"tickets": {"monthly": "10"}},
    )
    assert "UNIT_PRICE_OUT_OF_RANGE" in found
    # Individual coding assistant: $120-$240 per seat per year; 25 x 12 = 300.
    seats = [{"kind": "seats", "id": "s", "name": "Pro", "seats": 1, "price_per_seat": "25"}]
    assert "SEAT_PRICE_OUT_OF_RANGE" in codes(
        product_category="coding_assistant_individual", components=seats
    )
    seats[0]["price_per_seat"] = "15"
    assert "SEAT_PRICE_OUT_OF_RANGE" not in codes(
        product_category="coding_assistant_individual", components=seats
    )
    assert (
        codes(product_category="analytics_copilot", currency="EUR")["CATEGORY_RANGE_NOT_COMPARED"]
        == "info"
    )


def test_price_below_cost_anchor_and_value_capture() -> None:
    per_query = {
        "kind": "per_unit",
        "id": "q",
        "name": "Queries",
        "metric": "q",
        "unit_price": "0.30",
    }
    econ = {"unit_costs": {"q": "0.10"}, "target_margin_percent": "70"}
    forecast = {"q": {"monthly": "100"}}
    assert "PRICE_BELOW_COST_ANCHOR" in codes(
        components=[per_query], economics=econ, usage_forecast=forecast
    )
    per_query["unit_price"] = "0.34"
    assert "PRICE_BELOW_COST_ANCHOR" not in codes(
        components=[per_query], economics=econ, usage_forecast=forecast
    )
    value = {"metric": "q", "value_per_unit": "0.60"}
    assert "VALUE_CAPTURE_HIGH" in codes(
        components=[per_query], economics=econ, usage_forecast=forecast, value=value
    )  # 0.34 / 0.60 = 57 %
    value["value_per_unit"] = "0.68"
    assert "VALUE_CAPTURE_HIGH" not in codes(
        components=[per_query], economics=econ, usage_forecast=forecast, value=value
    )  # 0.34 / 0.68 = 50 %: at the limit, not above


def test_missing_forecast_is_reported() -> None:
    # A billed metric without a forecast is priced at zero usage: a warning since the
    # guided flow's issue 12 (it was an info, and a total several times off went unseen).
    usage = {"kind": "per_unit", "id": "u", "name": "U", "metric": "calls", "unit_price": "1"}
    assert codes(components=[usage])["NO_FORECAST"] == "warning"


CALLS = {"kind": "per_unit", "id": "u", "name": "U", "metric": "calls", "unit_price": "1"}
CALLS_FORECAST = {"calls": {"monthly": "1000"}}


def unit_cost_warnings(economics: dict[str, Any], forecast: dict[str, Any]) -> dict[str, str]:
    found = price(
        make_quote(components=[CALLS], economics=economics, usage_forecast=forecast)
    ).warnings
    return {w.code: w.severity for w in found if w.code != "NO_FORECAST"}


@pytest.mark.parametrize(
    ("economics", "forecast", "expected", "cogs"),
    [
        # The cost on the billed metric: 1,000 x 0.10 = 100 a month, 1,200 a year.
        ({"unit_costs": {"calls": "0.10"}}, {}, {}, "1200.00"),
        # No cost at all: COGS 0 and margin 100 %; the billed metric is named.
        ({}, {}, {"NO_UNIT_COST": "warning"}, "0.00"),
        # The guided flow's defect: the cost filed under 'outcomes' (no forecast, not
        # billed) while 'calls' is billed: COGS 0, margin 100 %; now two warnings.
        (
            {"unit_costs": {"outcomes": "0.10"}},
            {},
            {"NO_UNIT_COST": "warning", "UNIT_COST_UNUSED": "warning"},
            "0.00",
        ),
        # A cost-only metric with a forecast (GPU-hours behind the calls): it counts,
        # 200 x 0.50 = 100 a month, 1,200 a year; 'calls' has no cost of its own (info).
        (
            {"unit_costs": {"gpu_hours": "0.50"}, "cost_only_metrics": ["gpu_hours"]},
            {"gpu_hours": {"monthly": "200"}},
            {"NO_UNIT_COST": "info"},
            "1200.00",
        ),
        # The same cost not marked cost-only still counts, and is questioned.
        (
            {"unit_costs": {"gpu_hours": "0.50"}},
            {"gpu_hours": {"monthly": "200"}},
            {"NO_UNIT_COST": "info", "UNIT_COST_NOT_BILLED": "warning"},
            "1200.00",
        ),
        # Marked cost-only without a forecast: it counts nothing, and says so.
        (
            {"unit_costs": {"gpu_hours": "0.50"}, "cost_only_metrics": ["gpu_hours"]},
            {},
            {"NO_UNIT_COST": "warning", "UNIT_COST_UNUSED": "warning"},
            "0.00",
        ),
        # Marked cost-only without a unit cost; and a billed metric marked cost-only.
        (
            {"unit_costs": {"calls": "0.10"}, "cost_only_metrics": ["gpu_hours", "calls"]},
            {},
            {"UNIT_COST_UNUSED": "warning", "COST_ONLY_METRIC_BILLED": "warning"},
            "1200.00",
        ),
    ],
)
def test_every_unit_cost_attaches_to_a_billed_or_cost_only_metric(
    economics: dict[str, Any], forecast: dict[str, Any], expected: dict[str, str], cogs: str
) -> None:
    forecast = {**CALLS_FORECAST, **forecast}
    assert unit_cost_warnings(economics, forecast) == expected
    priced = price(make_quote(components=[CALLS], economics=economics, usage_forecast=forecast))
    assert priced.years[0].cogs == D(cogs)


def test_the_missing_cost_names_the_billed_metrics() -> None:
    priced = price(
        make_quote(
            components=[CALLS],
            economics={"unit_costs": {"outcomes": "0.40"}},
            usage_forecast=CALLS_FORECAST,
        )
    )
    messages = {w.code: w.message for w in priced.warnings}
    assert messages["NO_UNIT_COST"].startswith("calls is billed but has no unit cost")
    assert (
        "'outcomes'" in messages["UNIT_COST_UNUSED"] and "(calls)" in messages["UNIT_COST_UNUSED"]
    )
    assert priced.gross_margin_percent == D("100.0")  # what the warnings are there to explain


def test_no_unit_cost_is_not_asked_of_value_shares_or_seats() -> None:
    share = {"kind": "percent_of_value", "id": "s", "name": "S", "metric": "rev", "percent": "5"}
    assert "NO_UNIT_COST" not in codes(components=[share])
    seats = {"kind": "seats", "id": "s", "name": "S", "seats": 5, "price_per_seat": "10"}
    assert "NO_UNIT_COST" not in codes(components=[seats])


def test_cost_only_metrics_are_listed_once() -> None:
    from quote_builder.pricing import QuoteFileError

    with pytest.raises(QuoteFileError, match="gpu_hours listed more than once"):
        make_quote(
            economics={
                "unit_costs": {"gpu_hours": "1"},
                "cost_only_metrics": ["gpu_hours", "gpu_hours"],
            }
        )


def test_a_year_with_cogs_and_no_revenue_is_below_the_margin_floor() -> None:
    doc: dict[str, Any] = {
        "components": [{"kind": "flat_fee", "id": "p", "name": "P", "amount": "1000"}],
        "economics": {"fixed_cost_per_month": "500"},
        "discounts": [{"percent": "100"}],
    }
    priced = price(make_quote(**doc))
    assert priced.years[0].gross_margin_percent is None  # no revenue: no margin to compute
    messages = [w.message for w in priced.warnings if w.code == "MARGIN_BELOW_FLOOR"]
    # COGS 500 x 12 = 6,000
    assert messages == [
        "Contract year 1 has COGS of 6,000.00 USD and no revenue: no margin at all, "
        "below the 60% floor."
    ]
    doc["economics"] = {}  # no revenue and no COGS: nothing to warn about
    assert "MARGIN_BELOW_FLOOR" not in codes(**doc)


@pytest.mark.parametrize(
    ("term_months", "monthly_fee", "fires", "annualised"),
    [
        # AI sales intelligence: $6,000-$30,000 a year.
        (3, "1000", False, None),  # 3,000 over 3 months = 3,000 x 12 / 3 = 12,000 a year
        (3, "400", True, "4,800.00"),  # 1,200 x 12 / 3 = 4,800: below
        (6, "2600", True, "31,200.00"),  # 15,600 x 12 / 6 = 31,200: above
        (6, "2500", False, None),  # 15,000 x 12 / 6 = 30,000: at the top, inside
        (12, "400", True, None),  # a full year is compared as it is: 4,800
    ],
)
def test_acv_range_is_compared_annualised_for_a_short_deal(
    term_months: int, monthly_fee: str, fires: bool, annualised: str | None
) -> None:
    priced = price(
        make_quote(
            term_months=term_months,
            product_category="sales_intelligence",
            components=[{"kind": "flat_fee", "id": "p", "name": "P", "amount": monthly_fee}],
        )
    )
    messages = [w.message for w in priced.warnings if w.code == "ACV_OUT_OF_RANGE"]
    assert bool(messages) is fires
    if annualised is not None:
        assert f"annualised from {term_months} months" in messages[0]
        assert f"{annualised} USD" in messages[0]
    elif messages:
        assert "annualised" not in messages[0]


BELOW_COST_ECONOMICS = {"unit_costs": {"calls": "0.10"}, "target_margin_percent": "70"}
# Cost-anchored price of a call: 0.10 / (1 - 0.70) = 0.3333.
BELOW_COST_CASES: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
    (
        {
            "kind": "graduated",
            "metric": "calls",
            "tiers": [{"up_to": "1000", "unit_price": "0.50"}, {"unit_price": "0.01"}],
        },
        [("components[0].tiers[1]", "'Calls' tier 2 (above 1000) at 0.01 USD per unit")],
    ),
    (
        {
            "kind": "volume",
            "metric": "calls",
            "tiers": [
                {"up_to": "10", "unit_price": "0", "flat_fee": "5"},
                {"up_to": "1000", "unit_price": "0.40"},
                {"unit_price": "0.30"},
            ],
        },
        [
            ("components[0].tiers[0]", "'Calls' tier 1 (0-10) at 0 USD per unit"),
            ("components[0].tiers[2]", "'Calls' tier 3 (above 1000) at 0.30 USD per unit"),
        ],
    ),
    (
        {"kind": "graduated", "metric": "calls", "tiers": [{"unit_price": "0.34"}]},
        [],  # 0.34 >= 0.3333
    ),
    (
        # 30 per block of 100 = 0.30 a call
        {"kind": "package", "metric": "calls", "package_size": "100", "package_price": "30"},
        [("components[0]", "'Calls' at 30 USD per 100 units (0.3 USD per unit)")],
    ),
    (
        {"kind": "package", "metric": "calls", "package_size": "100", "package_price": "34"},
        [],  # 0.34 a call
    ),
    (
        # 0.02 a credit x 10 credits a call = 0.20 a call; a chat (no unit cost) is not checked
        {
            "kind": "credits",
            "burn": {"calls": "10", "chat": "1"},
            "overage_price_per_credit": "0.02",
        },
        [
            (
                "components[0].burn.calls",
                "'Calls' at 0.02 USD a credit x 10 credits per 'calls' action (0.2 USD per action)",
            )
        ],
    ),
    (
        # packs of 1,000 credits at 15 = 0.015 a credit x 20 credits = 0.30 a call
        {"kind": "credits", "burn": {"calls": "20"}, "pack": {"credits": "1000", "price": "15"}},
        [
            (
                "components[0].burn.calls",
                "'Calls' at 0.015 USD a credit x 20 credits per 'calls' action (0.3 USD per action)",
            )
        ],
    ),
    (
        # 0.015 x 25 = 0.375 a call: above the anchor
        {"kind": "credits", "burn": {"calls": "25"}, "pack": {"credits": "1000", "price": "15"}},
        [],
    ),
    (
        {"kind": "allowance_overage", "metric": "calls", "overage_unit_price": "0.2"},
        [("components[0]", "'Calls' overage at 0.2 USD per unit")],
    ),
]


@pytest.mark.parametrize(("component", "expected"), BELOW_COST_CASES)
def test_price_below_cost_anchor_checks_every_unit_price(
    component: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    priced = price(
        make_quote(
            components=[{"id": "c", "name": "Calls", **component}],
            economics=BELOW_COST_ECONOMICS,
            usage_forecast={"calls": {"monthly": "100"}, "chat": {"monthly": "100"}},
        )
    )
    found = [(w.path, w.message) for w in priced.warnings if w.code == "PRICE_BELOW_COST_ANCHOR"]
    assert [path for path, _ in found] == [path for path, _ in expected]
    for (_, message), (_, stated) in zip(found, expected, strict=True):
        assert message.startswith(stated + " is below the cost-anchored price 0.3333 for 'calls'")


def _ramped(ramps: list[dict[str, Any]], forecast: dict[str, Any] | None = None) -> list[Any]:
    """A 3-year seats-plus-usage quote with these ramps; its RAMP_USAGE_FLAT warnings."""
    quote = make_quote(
        term_months=36,
        components=[
            {
                "kind": "seats",
                "id": "seats",
                "name": "Analyst seats",
                "price_per_seat": "40",
                "seats": 50,
            },
            {
                "kind": "per_unit",
                "id": "calls",
                "name": "API calls",
                "metric": "calls",
                "unit_price": "0.01",
            },
        ],
        usage_forecast={"calls": forecast or {"monthly": "10000"}},
        ramps=ramps,
    )
    return [w for w in price(quote).warnings if w.code == "RAMP_USAGE_FLAT"]


def test_a_seat_ramp_that_leaves_usage_flat_is_pointed_out() -> None:
    # 50 seats become 200 in year 2 while the forecast stays at 10,000 calls a month: the
    # bills of years 2 and 3 are estimated at year 1's usage
    (found,) = _ramped([{"year": 2, "seats": {"seats": 200}}])
    assert found.severity == "info"
    assert found.path == "ramps[0].usage"
    assert dict(found.params) == {
        "year": 2,
        "component": "Analyst seats",
        "before": 50,
        "after": 200,
        "metrics": ("calls",),
    }
    assert "from 50 to 200 seats" in found.message


@pytest.mark.parametrize(
    ("ramps", "forecast"),
    [
        # the ramp sets the year's usage: the rep answered
        ([{"year": 2, "seats": {"seats": 200}, "usage": {"calls": "40000"}}], None),
        # the forecast grows by itself
        (
            [{"year": 2, "seats": {"seats": 200}}],
            {"monthly": "10000", "growth_percent_per_month": "3"},
        ),
        # the forecast gives year 2 its own figure
        ([{"year": 2, "seats": {"seats": 200}}], {"per_year": ["10000", "40000"]}),
        # the ramp changes usage only, or sets the seats they already were
        ([{"year": 2, "usage": {"calls": "20000"}}], None),
        ([{"year": 2, "seats": {"seats": 50}}], None),
    ],
)
def test_a_ramp_whose_usage_was_considered_says_nothing(
    ramps: list[dict[str, Any]], forecast: dict[str, Any] | None
) -> None:
    assert _ramped(ramps, forecast) == []


def test_each_ramp_is_compared_with_the_counts_and_usage_before_it() -> None:
    # year 2 moves seats and usage together; year 3 moves seats again but keeps year 2's
    # usage: only year 3 is pointed out, from year 2's 200 seats
    (found,) = _ramped(
        [
            {"year": 3, "seats": {"seats": 400}},
            {"year": 2, "seats": {"seats": 200}, "usage": {"calls": "40000"}},
        ]
    )
    assert dict(found.params)["year"] == 3
    assert (dict(found.params)["before"], dict(found.params)["after"]) == (200, 400)
    assert found.path == "ramps[0].usage"
