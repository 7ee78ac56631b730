"""Changing a quote's currency in the editor (``pricing.fx.convert_quote_data``): every
amount of the quote's currency converted by ``convert_price`` (half up to the new
currency's minor unit; a sub-cent unit price keeps its decimals), nothing else touched.
The arithmetic is written beside every expected value."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from quote_builder.pricing import price
from quote_builder.pricing.fx import convert_quote_data
from quote_builder.pricing.quote_format import quote_from_data

from .factories import quote_data

D = Decimal

SEATS = {"kind": "seats", "id": "team", "name": "Team", "seats": 10, "price_per_seat": "45.00"}
TOKENS = {
    "kind": "per_unit",
    "id": "tokens",
    "name": "Tokens",
    "metric": "tokens",
    "unit_price": "0.003",
}


@pytest.mark.parametrize(
    ("price_", "rate", "currency", "expected"),
    [
        # 45.00 USD x 0.9215 = 41.4675 -> 41.47 EUR (half up to the cent)
        ("45.00", "0.9215", "EUR", "41.47"),
        # 45.00 USD x 152.37 = 6,856.65 -> 6,857 JPY (JPY has no minor unit)
        ("45.00", "152.37", "JPY", "6857"),
        # 0.003 USD x 0.9215 = 0.0027645 -> 0.003 EUR: a sub-cent price keeps its 3 decimals
        ("0.003", "0.9215", "EUR", "0.003"),
        # 0.003 USD x 152.37 = 0.45711 -> 0.457 JPY (3 decimals, more than JPY's 0)
        ("0.003", "152.37", "JPY", "0.457"),
        # 0.0004 USD x 0.9215 = 0.0003686 -> 0.0004 EUR, never 0.00
        ("0.0004", "0.9215", "EUR", "0.0004"),
    ],
)
def test_a_unit_price_is_converted_as_convert_components_does(
    price_: str, rate: str, currency: str, expected: str
) -> None:
    data = quote_data(components=[{**TOKENS, "unit_price": price_}])
    moved = convert_quote_data(data, D(rate), currency, "USD")
    assert moved.data["components"][0]["unit_price"] == expected
    assert moved.has_money


def _everything() -> dict[str, Any]:
    """A quote with money in every place the quote format holds it."""
    return quote_data(
        components=[
            SEATS,
            TOKENS,
            {
                "kind": "graduated",
                "id": "calls",
                "name": "Calls",
                "metric": "calls",
                "tiers": [
                    {"up_to": "1000", "unit_price": "0.10", "flat_fee": "20.00"},
                    {"unit_price": "0.05"},
                ],
            },
            {
                "kind": "credits",
                "id": "credits",
                "name": "Credits",
                "allocation_pool": "1000",
                "burn": {"calls": "2"},
                "pack": {"credits": "500", "price": "8.00"},
            },
            {
                "kind": "percent_of_value",
                "id": "share",
                "name": "Share",
                "metric": "saved",
                "percent": "10",
                "baseline": "1000.00",
                "floor": "50.00",
                "cap": "5000.00",
            },
            {
                "kind": "minimum_commitment",
                "id": "minimum",
                "name": "Minimum",
                "amount": "500.00",
                "period": "month",
                "applies_to": ["tokens"],
            },
        ],
        discounts=[
            {"description": "Deal", "percent": "10"},
            {"description": "Launch", "amount": "100.00", "months": 3},
        ],
        usage_forecast={
            "tokens": {"monthly": "100000"},
            "calls": {"monthly": "1500"},
            "saved": {"per_year": ["20000.00", "30000.00"]},
        },
        ramps=[{"year": 2, "usage": {"saved": "25000.00", "tokens": "200000"}}],
        economics={"unit_costs": {"tokens": "0.001"}, "fixed_cost_per_month": "50.00"},
        value={"metric": "calls", "minutes_saved_per_unit": "6", "loaded_hourly_rate": "60.00"},
        contract={"extra_credit_cap_per_month": "200.00"},
        term_months=24,
    )


def test_every_amount_of_the_quote_s_currency_is_converted_and_nothing_else() -> None:
    moved = convert_quote_data(_everything(), D("0.9215"), "EUR", "USD").data
    seats, tokens, calls, credits, share, minimum = moved["components"]
    assert seats["price_per_seat"] == "41.47"  # 45.00 x 0.9215 = 41.4675 -> 41.47
    assert seats["seats"] == 10  # a count, not money
    assert tokens["unit_price"] == "0.003"  # 0.003 x 0.9215 = 0.0027645 -> 0.003
    assert calls["tiers"][0] == {
        "up_to": "1000",  # a quantity
        "unit_price": "0.09",  # 0.10 x 0.9215 = 0.09215 -> 0.09
        "flat_fee": "18.43",  # 20.00 x 0.9215 = 18.43
    }
    assert calls["tiers"][1]["unit_price"] == "0.05"  # 0.05 x 0.9215 = 0.046075 -> 0.05
    assert credits["pack"] == {"credits": "500", "price": "7.37"}  # 8.00 x 0.9215 = 7.372
    assert credits["burn"] == {"calls": "2"} and credits["allocation_pool"] == "1000"
    assert (share["baseline"], share["floor"], share["cap"], share["percent"]) == (
        "921.50",  # 1,000.00 x 0.9215
        "46.08",  # 50.00 x 0.9215 = 46.075 -> 46.08 (half up)
        "4607.50",  # 5,000.00 x 0.9215
        "10",  # a percent
    )
    assert minimum["amount"] == "460.75"  # 500.00 x 0.9215
    assert moved["discounts"] == [
        {"description": "Deal", "percent": "10"},  # a percent stays
        {"description": "Launch", "amount": "92.15", "months": 3},  # 100.00 x 0.9215
    ]
    # The value share's metric counts money: 20,000.00 x 0.9215 = 18,430.00, 30,000.00 x
    # 0.9215 = 27,645.00, the ramp's 25,000.00 x 0.9215 = 23,037.50; token counts stay.
    assert moved["usage_forecast"]["saved"] == {"per_year": ["18430.00", "27645.00"]}
    assert moved["usage_forecast"]["tokens"] == {"monthly": "100000"}
    assert moved["ramps"][0]["usage"] == {"saved": "23037.50", "tokens": "200000"}
    assert moved["value"]["loaded_hourly_rate"] == "55.29"  # 60.00 x 0.9215
    assert moved["value"]["minutes_saved_per_unit"] == "6"
    assert moved["contract"]["extra_credit_cap_per_month"] == "184.30"  # 200.00 x 0.9215
    # Costs are the seller's (USD): untouched; the currency field is the caller's.
    assert moved["economics"] == {
        "unit_costs": {"tokens": "0.001"},
        "fixed_cost_per_month": "50.00",
    }
    assert moved["currency"] == "USD"
    quote_from_data({**moved, "currency": "EUR"})  # still a valid quote


def test_options_are_converted_like_the_quote() -> None:
    option = {
        "key": "two",
        "name": "Two years",
        "term_months": 24,
        "components": [SEATS],
        "discounts": [{"description": "Off", "amount": "10.00"}],
    }
    data = {**quote_data(components=[SEATS]), "options": [option]}
    moved = convert_quote_data(data, D("152.37"), "JPY", "USD").data
    # 45.00 x 152.37 = 6,856.65 -> 6,857 JPY; 10.00 x 152.37 = 1,523.70 -> 1,524 JPY
    assert moved["options"][0]["components"][0]["price_per_seat"] == "6857"
    assert moved["options"][0]["discounts"][0]["amount"] == "1524"
    assert data["options"][0]["components"][0]["price_per_seat"] == "45.00"  # not changed


def test_converted_totals_follow_the_converted_prices() -> None:
    """10 seats at 45.00 USD for 12 months is 5,400.00 USD; at 0.9215: 41.47 x 10 x 12 =
    4,976.40 EUR (each price rounded once, the totals sums of the rounded lines)."""
    data = quote_data(components=[SEATS])
    assert price(quote_from_data(data)).tcv == D("5400.00")
    moved = convert_quote_data(data, D("0.9215"), "EUR", "USD").data
    assert price(quote_from_data({**moved, "currency": "EUR"})).tcv == D("4976.40")


def test_a_quote_without_amounts_has_no_money() -> None:
    data = quote_data(components=[{**SEATS, "price_per_seat": "0"}], discounts=[{"percent": "5"}])
    moved = convert_quote_data(data, D("0.9215"), "EUR", "USD")
    assert not moved.has_money
    assert moved.data["components"][0]["price_per_seat"] == "0.00"  # 0 x 0.9215, to the cent


def test_what_is_not_a_number_is_left_as_written() -> None:
    """The editor's data can hold what the quote format refuses (it says so beside the
    field); converting never turns it into a traceback."""
    data = quote_data(components=[{**SEATS, "price_per_seat": "abc"}])
    moved = convert_quote_data(data, D("0.9215"), "EUR", "USD")
    assert moved.data["components"][0]["price_per_seat"] == "abc"
    assert not moved.has_money
