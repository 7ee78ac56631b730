"""Invariants that must hold for any quote (hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from quote_builder.pricing import price

from .factories import make_quote

amounts = st.decimals(
    min_value=0, max_value=100000, places=4, allow_nan=False, allow_infinity=False
)
quantities = st.decimals(
    min_value=0, max_value=1000000, places=2, allow_nan=False, allow_infinity=False
)


@st.composite
def quotes(draw: st.DrawFn) -> dict[str, Any]:
    bound = draw(st.decimals(min_value=1, max_value=10000, places=0))
    components: list[dict[str, Any]] = [
        {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": str(draw(amounts))},
        {
            "kind": "graduated",
            "id": "grad",
            "name": "Graduated",
            "metric": "ops",
            "tiers": [
                {
                    "up_to": str(bound),
                    "unit_price": str(draw(amounts)),
                    "flat_fee": str(draw(amounts)),
                },
                {"unit_price": str(draw(amounts))},
            ],
        },
        {
            "kind": "volume",
            "id": "vol",
            "name": "Volume",
            "metric": "ops",
            "tiers": [
                {"up_to": str(bound), "unit_price": str(draw(amounts))},
                {"unit_price": str(draw(amounts))},
            ],
        },
        {"kind": "one_time_fee", "id": "setup", "name": "Setup", "amount": str(draw(amounts))},
    ]
    if draw(st.booleans()):
        components.append(
            {
                "kind": "minimum_commitment",
                "id": "min",
                "name": "Min",
                "amount": str(draw(amounts) + 1),
            }
        )
    discounts = draw(
        st.lists(
            st.one_of(
                st.builds(
                    lambda p: {"percent": str(p)}, st.decimals(min_value=0, max_value=100, places=2)
                ),
                st.builds(lambda a: {"amount": str(a)}, amounts),
                st.builds(
                    lambda p: {"percent": str(p), "component": "setup"},
                    st.decimals(min_value=0, max_value=100, places=2),
                ),
            ),
            max_size=3,
        )
    )
    return {
        "currency": draw(st.sampled_from(["USD", "JPY", "BHD", "EUR"])),
        "term_months": draw(st.integers(min_value=1, max_value=40)),
        "billing_frequency": draw(st.sampled_from(["monthly", "quarterly", "annual"])),
        "escalator_percent": str(draw(st.decimals(min_value=0, max_value=20, places=1))),
        "components": components,
        "discounts": discounts,
        "usage_forecast": {
            "ops": {
                "monthly": str(draw(quantities)),
                "growth_percent_per_month": str(draw(st.integers(-5, 10))),
            }
        },
    }


@settings(max_examples=150, deadline=None)
@given(quotes())
def test_lines_sum_to_totals_and_totals_to_tcv(data: dict[str, Any]) -> None:
    priced = price(make_quote(**data))
    for period in priced.periods:
        assert period.total == sum((line.amount for line in period.lines), Decimal(0))
    assert priced.tcv == sum((p.total for p in priced.periods), Decimal(0))
    assert priced.tcv == sum((y.revenue for y in priced.years), Decimal(0))
    assert priced.list_tcv - priced.discount_total == priced.tcv


@settings(max_examples=150, deadline=None)
@given(quotes())
def test_every_line_is_rounded_to_the_minor_unit(data: dict[str, Any]) -> None:
    priced = price(make_quote(**data))
    digits = {"USD": 2, "EUR": 2, "JPY": 0, "BHD": 3}[priced.currency]
    for period in priced.periods:
        for line in period.lines:
            assert line.amount == line.amount.quantize(Decimal(1).scaleb(-digits))


@settings(max_examples=150, deadline=None)
@given(quotes())
def test_discounts_never_make_a_total_negative(data: dict[str, Any]) -> None:
    priced = price(make_quote(**data))
    assert all(p.total >= 0 for p in priced.periods)
    # A period's list total is its bill without discounts. A minimum commitment can take a
    # discount back through its true-up, in a later period of the contract year (or a cent
    # off by rounding): then only the year as a whole is never above its list revenue.
    if not any(c["kind"] == "minimum_commitment" for c in data["components"]):
        assert all(p.total <= p.list_total for p in priced.periods)
    assert all(y.revenue <= y.list_revenue for y in priced.years)
    assert priced.discount_total == priced.list_tcv - priced.tcv >= 0


@settings(max_examples=100, deadline=None)
@given(quotes())
def test_an_escalator_never_lowers_a_later_year(data: dict[str, Any]) -> None:
    # Compare each year's list revenue per month with the same deal without escalator:
    # the escalated year is never below, and the factor never falls from year to year.
    data = {
        **data,
        "discounts": [],
        "components": [c for c in data["components"] if c["kind"] != "minimum_commitment"],
    }
    escalated = price(make_quote(**data))
    flat = price(make_quote(**{**data, "escalator_percent": "0"}))
    for with_escalator, without in zip(escalated.years, flat.years, strict=True):
        assert with_escalator.list_revenue >= without.list_revenue
    factors = [y.price_factor for y in escalated.years]
    assert factors == sorted(factors)


@settings(max_examples=60, deadline=None)
@given(quotes())
def test_identical_input_gives_identical_results(data: dict[str, Any]) -> None:
    assert price(make_quote(**data)) == price(make_quote(**data))
