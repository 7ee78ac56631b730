"""Currencies (issue 18 §4): converted prices, margin in the seller's currency, rounding to
each currency's minor unit. The arithmetic is written beside every expected value."""

from __future__ import annotations

import typing
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from quote_builder.pricing import price
from quote_builder.pricing.components import COMPONENT_KINDS
from quote_builder.pricing.currency import minor_units
from quote_builder.pricing.fx import (
    PRICE_FIELDS,
    convert_components,
    convert_price,
    to_seller_currency,
)
from quote_builder.pricing.quote_format import QuoteFileError, quote_from_data
from quote_builder.pricing.serialize import quote_to_dict

from .factories import make_quote, quote_data

D = Decimal


@pytest.mark.parametrize(
    ("price_", "rate", "currency", "expected"),
    [
        # 49.00 USD at 0.9213 EUR/USD = 45.1437 -> 45.14 EUR (half up to the cent)
        ("49.00", "0.9213", "EUR", "45.14"),
        # 49.00 USD at 0.7871 GBP/USD = 38.5679 -> 38.57 GBP
        ("49.00", "0.7871", "GBP", "38.57"),
        # 49.00 USD at 152.37 JPY/USD = 7,466.13 -> 7,466 JPY (JPY has no minor unit)
        ("49.00", "152.37", "JPY", "7466"),
        # 0.50 USD at 153 JPY/USD = 76.5 -> 77 JPY (half up; cents are USD's minor unit, so
        # the yen price has none)
        ("0.50", "153", "JPY", "77"),
        # 49.00 USD at 0.3770 BHD/USD = 18.473 BHD (three decimals)
        ("49.00", "0.3770", "BHD", "18.473"),
        # 49.00 USD at 0.30735 KWD/USD = 15.06015 -> 15.060 KWD
        ("49.00", "0.30735", "KWD", "15.060"),
        # A token at 0.0004 USD keeps its four decimals: 0.0004 x 0.9213 = 0.00036852 -> 0.0004
        ("0.0004", "0.9213", "EUR", "0.0004"),
        # 0.0025 USD x 0.9213 = 0.00230325 -> 0.0023 EUR
        ("0.0025", "0.9213", "EUR", "0.0023"),
        # 0.0025 USD x 152.37 = 0.380925 -> 0.3809 JPY (the price's 4 decimals, more than JPY's 0)
        ("0.0025", "152.37", "JPY", "0.3809"),
    ],
)
def test_converted_price(price_: str, rate: str, currency: str, expected: str) -> None:
    converted = convert_price(D(price_), D(rate), currency, "USD")
    assert converted == D(expected)
    assert str(converted) == expected  # the digits too: 45.14, never 45.1437 or 45.140


def test_every_money_field_of_every_component_is_converted() -> None:
    """Every Decimal field of every component kind is either money (converted) or a
    quantity, percent or count (left alone): a new money field cannot be forgotten."""
    not_money = {
        "seats", "included", "included_per_seat", "credits", "allocation_per_seat",
        "allocation_pool", "free_units", "package_size", "percent", "up_to", "from_", "burn",
    }  # fmt: skip
    seen: set[str] = set()

    def walk(model: type[BaseModel]) -> None:
        for name, field in model.model_fields.items():
            text = str(field.annotation)
            if "Decimal" in text:
                seen.add(name)
            for arg in typing.get_args(field.annotation) or (field.annotation,):
                for inner in typing.get_args(arg) or (arg,):
                    if isinstance(inner, type) and issubclass(inner, BaseModel):
                        walk(inner)

    for component in COMPONENT_KINDS.values():
        walk(component)
    assert seen - not_money == set(PRICE_FIELDS)


def test_components_converted_whole() -> None:
    doc = make_quote(
        components=[
            {"kind": "flat_fee", "id": "p", "name": "Platform", "amount": "500.00"},
            {
                "kind": "graduated",
                "id": "t",
                "name": "Tickets",
                "metric": "tickets",
                "tiers": [
                    {"up_to": "1000", "unit_price": "0.50", "flat_fee": "10.00"},
                    {"unit_price": "0.25"},
                ],
            },
        ],
        usage_forecast={"tickets": {"monthly": "10"}},
    )
    # 500.00 x 0.9213 = 460.65; 0.50 x 0.9213 = 0.46065 -> 0.46; 10.00 -> 9.21; 0.25 -> 0.23
    data = convert_components(doc.components, D("0.9213"), "EUR", "USD")
    assert data[0]["amount"] == D("460.65")
    assert data[1]["tiers"][0]["unit_price"] == D("0.46")
    assert data[1]["tiers"][0]["flat_fee"] == D("9.21")
    assert data[1]["tiers"][0]["up_to"] == D("1000")  # a quantity: unchanged
    assert data[1]["tiers"][1]["unit_price"] == D("0.23")


@pytest.mark.parametrize(
    ("currency", "list_price", "escalator", "year2_price", "year2_month"),
    [
        # 7,350 JPY x 1.05 = 7,717.5 -> 7,718 JPY (half up to JPY's whole yen); 1 seat a month
        ("JPY", "7350", "5", "7718", "7718"),
        # 45.14 EUR x 1.04 = 46.9456 -> 46.95 EUR (half up to the cent)
        ("EUR", "45.14", "4", "46.95", "46.95"),
        # 12.345 BHD x 1.03 = 12.71535 -> 12.715 BHD (half up to the fils)
        ("BHD", "12.345", "3", "12.715", "12.715"),
    ],
)
def test_escalated_unit_prices_are_billed_rounded_to_the_minor_unit(
    currency: str, list_price: str, escalator: str, year2_price: str, year2_month: str
) -> None:
    doc = make_quote(
        currency=currency,
        term_months=24,
        escalator_percent=escalator,
        components=[
            {"kind": "seats", "id": "s", "name": "Seat", "seats": 1, "price_per_seat": list_price}
        ],
    )
    priced = price(doc)
    year2 = priced.years[1]
    # The year's revenue is 12 months at the rounded escalated price (not x 1.05 unrounded).
    assert year2.revenue == D(year2_month) * 12
    assert priced.periods[12].total == D(year2_month)
    line = priced.components[0].years[1].lines[0]
    assert line.unit_price == D(year2_price)


def _eur_quote(**overrides: object) -> dict[str, object]:
    return quote_data(
        currency="EUR",
        components=[
            {"kind": "seats", "id": "s", "name": "Team", "seats": 12, "price_per_seat": "45.14"}
        ],
        economics={"fixed_cost_per_month": "100.00"},
        exchange_rate={
            "seller_currency": "USD",
            "rate": "0.9213",
            "as_of": "2026-11-02",
            "source": "ECB reference rate",
            "converted_prices": True,
        },
        **overrides,
    )


def test_margin_in_the_seller_s_currency() -> None:
    """12 seats x 45.14 EUR = 541.68 EUR a month, 6,500.16 EUR a year. Costs are USD:
    100.00 USD a month, 1,200.00 USD a year. Revenue in USD: 6,500.16 / 0.9213 =
    7,055.42 USD (7,055.4217... half up). Margin (7,055.42 - 1,200.00) / 7,055.42 = 83.0 %."""
    doc = quote_from_data(_eur_quote())
    priced = price(doc)
    year = priced.years[0]
    assert year.revenue == D("6500.16")
    assert year.cogs == D("1200.00")
    assert year.margin_revenue == D("7055.42")
    assert year.gross_profit == D("5855.42")  # 7,055.42 - 1,200.00
    assert year.gross_margin_percent == D("83.0")  # 5,855.42 / 7,055.42 = 82.99 %
    assert priced.cost_currency == "USD" and priced.exchange_rate == D("0.9213")
    internal = quote_to_dict(doc, priced)["internal"]
    assert internal["margin_currency"] == "USD"
    assert internal["revenue"] == "7055.42" and internal["cogs"] == "1200.00"
    assert internal["exchange_rate"]["source"] == "ECB reference rate"


def test_the_rate_kept_with_the_quote_prices_it_the_same_later() -> None:
    """The quote carries its rate: the same document prices the same, whatever any table
    says later (there is no table in the engine at all)."""
    doc = quote_from_data(_eur_quote())
    again = quote_from_data(doc.to_json_dict())
    assert price(again) == price(doc)


def test_an_exchange_rate_to_the_quote_s_own_currency_is_refused() -> None:
    data = _eur_quote()
    data["exchange_rate"]["seller_currency"] = "EUR"  # type: ignore[index]
    with pytest.raises(QuoteFileError) as caught:
        quote_from_data(data)
    assert caught.value.problems == [
        "exchange_rate.seller_currency: is the quote's currency (EUR): leave the exchange rate out"
    ]


def test_without_an_exchange_rate_costs_are_in_the_quote_s_currency() -> None:
    data = _eur_quote()
    del data["exchange_rate"]
    priced = price(quote_from_data(data))
    assert priced.cost_currency == "EUR"
    assert priced.years[0].margin_revenue == priced.years[0].revenue == D("6500.16")


@settings(max_examples=60, deadline=None)
@given(
    cents=st.integers(min_value=0, max_value=10**8),
    rate=st.decimals(min_value=D("0.001"), max_value=D("2000"), places=4),
    target=st.sampled_from(["EUR", "JPY", "BHD", "KWD", "GBP", "CLF"]),
)
def test_every_converted_price_has_at_least_the_target_minor_units(
    cents: int, rate: Decimal, target: str
) -> None:
    """Invariant: a converted price has the target currency's minor units (or the catalog
    price's own, when more), and is within half a unit of the last place of price x rate."""
    catalog = D(cents).scaleb(-2)  # a USD price in cents
    converted = convert_price(catalog, rate, target, "USD")
    places = -converted.as_tuple().exponent  # type: ignore[operator]
    assert places == minor_units(target)
    assert abs(converted - catalog * rate) <= D(1).scaleb(-places) / 2


@settings(max_examples=40, deadline=None)
@given(
    revenue_cents=st.integers(min_value=1, max_value=10**9),
    rate=st.decimals(min_value=D("0.01"), max_value=D("500"), places=4),
)
def test_revenue_converted_back_has_the_seller_s_minor_units(
    revenue_cents: int, rate: Decimal
) -> None:
    amount = D(revenue_cents).scaleb(-2)
    for seller in ("USD", "JPY", "BHD"):
        back = to_seller_currency(amount, rate, seller)
        assert back.as_tuple().exponent == -minor_units(seller)
        assert abs(back - amount / rate) <= D(1).scaleb(-minor_units(seller)) / 2
