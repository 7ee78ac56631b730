"""Guardrails that judge a quote against the playbook's own numbers: the model's margin
range, the 3-5 % escalator, the cost levers' ranges, the recommended model per category;
and the discount the customer actually gets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from quote_builder.pricing import price

from .factories import make_quote

D = Decimal


def warnings_of(**overrides: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for w in price(make_quote(**overrides)).warnings:
        found.setdefault(w.code, []).append(w.message)
    return found


def seats_deal(fixed_cost: str, floor: str, model: str = "seats_credits") -> dict[str, Any]:
    """10 seats at 100 a month = 1,000 revenue a month; COGS is the fixed cost."""
    return {
        "pricing_model": model,
        "components": [
            {"kind": "seats", "id": "s", "name": "Seats", "seats": 10, "price_per_seat": "100"}
        ],
        "economics": {"fixed_cost_per_month": fixed_cost, "margin_floor_percent": floor},
    }


# --- margin against the model's range -------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "fixed_cost", "floor", "margin", "below_floor", "below_model"),
    [
        # (1,000 - 430) / 1,000 = 57.0 %: inside seats + credits' 55-65 %, above a 50 % floor
        ("seats_credits", "430", "50", "57.0", False, False),
        # the same 57.0 % for an outcome-based deal is below its 65-75 %
        ("outcome_based", "430", "50", "57.0", False, True),
        # (1,000 - 380) / 1,000 = 62.0 %: above the 60 % floor, below outcome-based 65-75 %
        ("outcome_based", "380", "60", "62.0", False, True),
        # 62.0 % is inside platform + usage's 60-70 %
        ("platform_usage", "380", "60", "62.0", False, False),
        # (1,000 - 450) / 1,000 = 55.0 %: below a 60 % floor; the floor warning says it all
        ("seats_credits", "450", "60", "55.0", True, False),
        ("outcome_based", "450", "60", "55.0", True, False),
        # 80.0 % is above every range: nothing to say
        ("outcome_based", "200", "60", "80.0", False, False),
        # outcome-contingent: the playbook gives no range ("variable, can reach 80-90 %")
        ("outcome_contingent", "380", "60", "62.0", False, False),
    ],
)
def test_margin_is_judged_against_the_model_range_and_the_floor(
    model: str, fixed_cost: str, floor: str, margin: str, below_floor: bool, below_model: bool
) -> None:
    priced = price(make_quote(**seats_deal(fixed_cost, floor, model)))
    assert priced.years[0].gross_margin_percent == D(margin)
    assert priced.margin_floor_percent == D(floor)
    found = {w.code: w.message for w in priced.warnings}
    assert ("MARGIN_BELOW_FLOOR" in found) is below_floor
    assert ("MARGIN_BELOW_MODEL_RANGE" in found) is below_model


def test_model_range_warning_names_the_range() -> None:
    found = warnings_of(**seats_deal("380", "60", "outcome_based"))
    assert found["MARGIN_BELOW_MODEL_RANGE"] == [
        "Gross margin in contract year 1 is 62.0%: above the 60% floor, but below the "
        "playbook's 65-75% for outcome-based pricing."
    ]


def test_priced_quote_carries_the_model_range() -> None:
    assert price(make_quote(**seats_deal("0", "60"))).model_margin_percent == (D(55), D(65))
    assert (
        price(make_quote(**seats_deal("0", "60", "outcome_contingent"))).model_margin_percent
        is None
    )
    assert price(make_quote()).model_margin_percent is None  # no model chosen


# --- escalator -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "escalator", "code"),
    [
        (24, "3", None),
        (24, "5", None),  # the top of 3-5 %: fine
        (24, "5.5", "ESCALATOR_HIGH"),
        (36, "9", "ESCALATOR_HIGH"),
        (36, "25", "ESCALATOR_HIGH"),
        (12, "25", None),  # one contract year: the escalator never applies
    ],
)
def test_escalator_above_the_playbook_range(term: int, escalator: str, code: str | None) -> None:
    found = warnings_of(term_months=term, escalator_percent=escalator)
    assert ("ESCALATOR_HIGH" in found) is (code is not None)
    if code:
        assert found[code] == [
            f"The escalator ({escalator}% a year) is above the playbook's 3-5% a year: "
            "customers expect modest increases; a steep one invites a renegotiation."
        ]


# --- cost levers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("levers", "flagged"),
    [
        ({"routing_savings_percent": "50", "cache_hit_percent": "40"}, {}),
        ({"routing_savings_percent": "60", "cache_hit_percent": "60"}, {}),  # top of each
        ({"fine_tuning_savings_percent": "90"}, {}),
        ({}, {}),  # no lever used
        (
            {
                "routing_savings_percent": "95",
                "cache_hit_percent": "90",
                "fine_tuning_savings_percent": "99",
            },
            {
                "routing_savings_percent": "warning",
                "cache_hit_percent": "warning",
                "fine_tuning_savings_percent": "warning",
            },
        ),
        ({"routing_savings_percent": "20"}, {"routing_savings_percent": "info"}),
        ({"fine_tuning_savings_percent": "50"}, {"fine_tuning_savings_percent": "info"}),
    ],
)
def test_cost_levers_outside_the_playbook_ranges(
    levers: dict[str, str], flagged: dict[str, str]
) -> None:
    doc = make_quote(
        components=[{"kind": "per_unit", "id": "u", "name": "U", "metric": "q", "unit_price": "1"}],
        usage_forecast={"q": {"monthly": "1000"}},
        economics={"unit_costs": {"q": "0.10"}, "levers": levers},
    )
    found = {
        (w.path or "").rsplit(".", 1)[-1]: w.severity
        for w in price(doc).warnings
        if w.code == "COST_LEVER_OUT_OF_RANGE"
    }
    assert found == flagged


def test_cost_lever_message() -> None:
    doc = make_quote(economics={"levers": {"routing_savings_percent": "95"}})
    [message] = [w.message for w in price(doc).warnings if w.code == "COST_LEVER_OUT_OF_RANGE"]
    assert message == (
        "Routing savings of 95% are above the playbook's 40-60%: the unit costs and the "
        "margin rest on savings few products reach."
    )


# --- the recommended model ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "model", "fires"),
    [
        ("legal_review", "outcome_based", False),
        ("legal_review", "seats_ai_tiers", True),
        ("content_generation", "platform_usage", False),  # its second recommendation
        ("content_generation", "seats_credits", False),
        ("content_generation", "outcome_based", True),
        ("coding_assistant_team", None, False),  # no model chosen yet
    ],
)
def test_model_not_recommended_for_the_category(
    category: str, model: str | None, fires: bool
) -> None:
    found = warnings_of(product_category=category, pricing_model=model)
    assert ("MODEL_NOT_RECOMMENDED" in found) is fires


def test_model_not_recommended_message() -> None:
    found = warnings_of(product_category="legal_review", pricing_model="seats_ai_tiers")
    assert found["MODEL_NOT_RECOMMENDED"] == [
        "The playbook recommends outcome-based pricing for AI legal review (Per contract "
        "reviewed); this quote uses per seat, AI in higher tiers. Say why in the notes."
    ]


# --- the discount the customer actually gets -------------------------------------------------

USAGE_WITH_MINIMUM: list[dict[str, Any]] = [
    {"kind": "per_unit", "id": "u", "name": "Usage", "metric": "calls", "unit_price": "1"},
    {
        "kind": "minimum_commitment",
        "id": "m",
        "name": "Minimum",
        "amount": "1000",
        "period": "month",
    },
]


@pytest.mark.parametrize(
    ("calls", "list_month", "net_month", "effective"),
    [
        # 1,000 calls x 1 = 1,000, 12 % off = 880, trued up to the 1,000 minimum: the
        # customer pays 1,000 with or without the discount: saves 0 (it read 10.71 %).
        ("1000", "1000.00", "1000.00", "0.00"),
        # 1,100 x 1 = 1,100 (no true-up without the discount); 12 % off = 968, trued up
        # to 1,000: saves 100 of 1,100 = 9.09 %.
        ("1100", "1100.00", "1000.00", "9.09"),
        # 2,000 x 1 = 2,000; 12 % off = 1,760, above the minimum: saves 240 = 12.00 %.
        ("2000", "2000.00", "1760.00", "12.00"),
        # 500 x 1 = 500, trued up to 1,000 with or without the discount: saves 0.
        ("500", "1000.00", "1000.00", "0.00"),
    ],
)
def test_discount_counts_only_what_the_customer_saves(
    calls: str, list_month: str, net_month: str, effective: str
) -> None:
    priced = price(
        make_quote(
            components=USAGE_WITH_MINIMUM,
            usage_forecast={"calls": {"monthly": calls}},
            discounts=[{"percent": "12"}],
        )
    )
    assert priced.periods[0].list_total == D(list_month)
    assert priced.periods[0].total == D(net_month)
    assert priced.list_tcv == D(list_month) * 12
    assert priced.tcv == D(net_month) * 12
    assert priced.discount_total == priced.list_tcv - priced.tcv
    assert priced.years[0].discounts == priced.years[0].list_revenue - priced.years[0].revenue
    assert priced.effective_discount_percent == D(effective)


# --- escalator rounded away ----------------------------------------------------------------


def unit_deal(unit_price: str, escalator: str, term: int = 36) -> dict[str, Any]:
    return {
        "term_months": term,
        "escalator_percent": escalator,
        "components": [
            {
                "kind": "per_unit",
                "id": "q",
                "name": "Queries",
                "metric": "queries",
                "unit_price": unit_price,
            }
        ],
        "usage_forecast": {"queries": {"monthly": 1000}},
    }


def test_escalator_rounded_away_is_said_with_the_year_the_increase_and_the_fix() -> None:
    found = warnings_of(**unit_deal("0.05", "3"))
    assert found["ESCALATOR_ROUNDED"] == [
        "'Queries' price per unit (0.05 USD): in year 2 the escalated price rounds to 0.05 "
        "USD, a 0.0% increase where the escalator asks for 3%. Write the price with more "
        "decimals (0.0500) so that it rises with the escalator."
    ]


def test_escalator_rounded_up_is_said_too() -> None:
    found = warnings_of(**unit_deal("0.10", "7"))
    assert found["ESCALATOR_ROUNDED"] == [
        "'Queries' price per unit (0.10 USD): in year 2 the escalated price rounds to 0.11 "
        "USD, a 10.0% increase where the escalator asks for 7%. Write the price with more "
        "decimals (0.100) so that it rises with the escalator."
    ]


@pytest.mark.parametrize(
    ("unit_price", "escalator", "term"),
    [
        ("100", "3", 36),  # 103.00, 106.09: the increase is exact to the cent
        ("1.00", "5", 36),  # 1.05, 1.10 (1.1025 rounded: 4.8 %): within half a point
        ("0.0500", "3", 36),  # the suggested fix: 0.0515, 0.0530
        ("0.100", "7", 36),  # the suggested fix: 0.107, 0.114
        ("0.0004", "3", 12),  # one contract year: nothing escalates
        ("0.05", "0", 36),  # no escalator
        ("0", "3", 36),  # nothing to raise
    ],
)
def test_escalator_rounding_is_quiet_for_prices_that_escalate_fine(
    unit_price: str, escalator: str, term: int
) -> None:
    assert "ESCALATOR_ROUNDED" not in warnings_of(**unit_deal(unit_price, escalator, term))


def test_the_written_decimals_are_billed_so_the_fix_works() -> None:
    """0.0500 at 3 %: year 2 bills 0.0515 a unit (0.05 bills 0.05 in every year: 0.0515 and 0.053045 round to 0.05)."""
    written = price(make_quote(**unit_deal("0.0500", "3")))
    plain = price(make_quote(**unit_deal("0.05", "3")))
    assert [y.revenue for y in written.years] == [D("600.00"), D("618.00"), D("636.00")]
    assert [y.revenue for y in plain.years] == [D("600.00"), D("600.00"), D("600.00")]


def test_escalator_rounding_names_a_tier_and_a_seat_price() -> None:
    found = warnings_of(
        term_months=24,
        escalator_percent="3",
        components=[
            {"kind": "seats", "id": "s", "name": "Seats", "seats": 10, "price_per_seat": "0.10"},
            {
                "kind": "graduated",
                "id": "g",
                "name": "Calls",
                "metric": "calls",
                "tiers": [{"up_to": "100", "unit_price": "1.00"}, {"unit_price": "0.02"}],
            },
        ],
        usage_forecast={"calls": {"monthly": 1000}},
    )
    messages = found["ESCALATOR_ROUNDED"]
    assert len(messages) == 2
    assert messages[0].startswith("'Seats' price per seat (0.10 USD): in year 2")
    assert messages[1].startswith("'Calls' tier 2's price per unit (0.02 USD): in year 2")


def test_every_kind_that_escalates_names_its_escalated_prices() -> None:
    """ESCALATOR_ROUNDED reads each component's ``escalated_prices``: a kind the escalator
    raises that did not name its prices would never be warned about."""
    from quote_builder.pricing import COMPONENT_KINDS
    from quote_builder.pricing.components import Component

    for kind, cls in COMPONENT_KINDS.items():
        names_them = cls.escalated_prices is not Component.escalated_prices
        assert names_them == cls.escalates, kind
