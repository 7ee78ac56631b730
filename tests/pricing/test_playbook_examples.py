"""The playbook's worked examples, computed by the engine."""

from __future__ import annotations

from decimal import Decimal

from quote_builder.pricing import price
from quote_builder.pricing.value import cost_anchored_price, value_per_task

from .factories import make_quote

D = Decimal


def test_value_anchor_15_minutes_at_75_an_hour() -> None:
    assert value_per_task(D(15), D(75)) == D("18.75")  # 15 / 60 x 75


def test_cost_anchored_price_is_about_nine_times_lower() -> None:
    cost_price = cost_anchored_price(D("0.10"), D(70))  # 0.10 / (1 - 0.70)
    assert cost_price.quantize(D("0.01")) == D("0.33")
    assert (D(3) / cost_price).quantize(D("0.1")) == D("9.0")  # 3 / 0.333... = 9


def test_value_summary_for_the_playbooks_query_priced_at_3() -> None:
    doc = make_quote(
        components=[
            {
                "kind": "per_unit",
                "id": "q",
                "name": "Queries",
                "metric": "queries",
                "unit_price": "3",
            }
        ],
        usage_forecast={"queries": {"monthly": "1000"}},
        economics={"unit_costs": {"queries": "0.10"}, "target_margin_percent": "70"},
        value={"metric": "queries", "minutes_saved_per_unit": "15", "loaded_hourly_rate": "75"},
    )
    value = price(doc).value
    assert value is not None
    assert value.value_per_unit == D("18.75")
    assert value.units_year_one == D("12000")
    assert value.annual_value == D("225000.00")  # 12,000 x 18.75
    assert value.annual_spend == D("36000.00")  # 12,000 x 3
    assert value.price_per_unit == D("3.0000")
    assert value.value_capture_percent == D("16.0")  # 3 / 18.75
    assert value.customer_savings_percent == D("84.0")
    assert value.roi_percent == D("525.0")  # (225,000 - 36,000) / 36,000
    assert value.payback_months == D("1.9")  # 36,000 / (225,000 / 12) = 1.92
    assert value.cost_anchored_price is not None
    assert value.cost_anchored_price.quantize(D("0.01")) == D("0.33")
    assert value.value_vs_cost_multiple == D("9.0")
    low, high = value.suggested_price_band
    assert (low, high) == (D("2.8125"), D("4.6875"))  # 15 % and 25 % of 18.75
    assert value.target_price == D("3.75")  # 20 % of 18.75


def test_inference_cost_arithmetic_not_the_slip() -> None:
    # 100 users x 50 queries a day = 5,000 calls a day; 30 days = 150,000 a month; at
    # $0.01-$0.10 a call that is $1,500-$15,000 a MONTH (the playbook says "per day").
    for unit_cost, expected in (("0.01", "1500.00"), ("0.10", "15000.00")):
        doc = make_quote(
            term_months=1,
            components=[{"kind": "flat_fee", "id": "f", "name": "F", "amount": "100000"}],
            usage_forecast={"calls": {"monthly": str(100 * 50 * 30)}},
            economics={"unit_costs": {"calls": unit_cost}},
        )
        assert price(doc).years[0].cogs == D(expected)
