"""A deal-wide discount never takes from a minimum commitment's true-up (the engine leaves
true-ups alone, and the order form says "all fees except one-time fees and true-ups of a
minimum commitment"): the price table must not print the discount's percent beside it."""

from __future__ import annotations

from decimal import Decimal

from quote_builder.pricing import price
from quote_builder.pricing.terms import price_table

from .factories import make_quote


def test_true_up_row_carries_no_deal_discount_percent() -> None:
    doc = make_quote(
        components=[
            {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"},
            {
                "kind": "per_unit",
                "id": "pages",
                "name": "Pages",
                "metric": "pages",
                "unit_price": "0.01",
            },
            {
                "kind": "minimum_commitment",
                "id": "min",
                "name": "Annual minimum",
                "amount": "20000",
                "period": "year",
                "applies_to": ["platform", "pages"],
            },
        ],
        usage_forecast={"pages": {"monthly": 1000}},
        discounts=[{"description": "Multi-year", "percent": "12.5"}],
    )
    lines = price_table(doc, price(doc))
    minimum = [line for line in lines if line.component_id == "min"]
    assert minimum and minimum[0].amount and minimum[0].amount > 0
    assert all(line.discount_percent is None for line in minimum)
    assert all(line.net_unit_price is None for line in minimum)
    # The discounted fees still show the deal's percent.
    platform = next(line for line in lines if line.component_id == "platform")
    assert platform.discount_percent == Decimal("12.5")
