"""Changing a quote's currency in the editor, through the service
(``currencies.currency_change``): converted at the exchange-rate table's rate or kept as
numbers, costs kept in the seller's currency with the quote's rate to it, and a sentence
naming the missing rate and where to add it. The arithmetic beside every expected value."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import pytest

from quote_builder.pricing import price
from quote_builder.pricing.quote_format import quote_from_data
from quote_builder.services import currencies
from quote_builder.services.core import InvalidInputError
from quote_builder.store.database import Database
from tests.pricing.factories import quote_data

D = Decimal
DAY = dt.date(2026, 11, 30)
SEATS = {"kind": "seats", "id": "team", "name": "Team", "seats": 10, "price_per_seat": "45.00"}
TOKENS = {"kind": "per_unit", "id": "tokens", "name": "Tokens", "metric": "tokens",
          "unit_price": "0.003"}  # fmt: skip
COSTS = {"unit_costs": {"tokens": "0.001"}}


def _rate(db: Database, base: str, quote: str, rate: str) -> None:
    currencies.set_exchange_rate(
        db, base=base, quote=quote, rate=D(rate), as_of=DAY, source="ECB reference rate", actor="t"
    )


def _usd_quote() -> dict[str, object]:
    return quote_data(
        components=[SEATS, TOKENS],
        usage_forecast={"tokens": {"monthly": "100000"}},
        economics=COSTS,
    )


@pytest.mark.parametrize(
    ("new", "rate", "seat", "token", "tcv"),
    [
        # 45.00 x 0.9215 = 41.4675 -> 41.47 EUR; 0.003 x 0.9215 = 0.0027645 -> 0.003 EUR;
        # TCV 12 x (10 x 41.47 + 100,000 x 0.003) = 12 x (414.70 + 300.00) = 8,576.40
        ("EUR", "0.9215", "41.47", "0.003", "8576.40"),
        # 45.00 x 152.37 = 6,856.65 -> 6,857 JPY; 0.003 x 152.37 = 0.45711 -> 0.457 JPY;
        # TCV 12 x (10 x 6,857 + 100,000 x 0.457) = 12 x (68,570 + 45,700) = 1,371,240
        ("JPY", "152.37", "6857", "0.457", "1371240"),
    ],
)
def test_a_usd_quote_is_converted_and_keeps_its_costs_in_usd(
    db: Database, new: str, rate: str, seat: str, token: str, tcv: str
) -> None:
    _rate(db, "USD", new, rate)
    change = currencies.currency_change(db, _usd_quote(), new)
    change = pickle.loads(pickle.dumps(change))  # it crosses to the GUI process
    assert change.missing is None and change.has_money and change.has_costs
    assert change.rate is not None and change.rate.rate == D(rate)
    assert change.rate.as_of == DAY and change.rate.source == "ECB reference rate"
    converted = change.converted
    assert converted is not None and converted["currency"] == new
    assert converted["components"][0]["price_per_seat"] == seat
    assert converted["components"][1]["unit_price"] == token
    assert converted["economics"] == COSTS  # the seller's USD costs, untouched
    assert converted["exchange_rate"] == {
        "seller_currency": "USD",
        "rate": rate,
        "as_of": "2026-11-30",
        "source": "ECB reference rate",
        "converted_prices": True,
    }
    priced = price(quote_from_data(converted))
    assert priced.tcv == D(tcv)
    # The margin is in USD: costs 100,000 x 0.001 = 100 USD a month, 1,200 a year.
    assert priced.total_cogs == D("1200.00")
    kept = change.kept
    assert kept["currency"] == new and kept["components"][0]["price_per_seat"] == "45.00"
    assert kept["exchange_rate"]["converted_prices"] is False


def test_back_to_the_seller_s_currency_drops_the_quote_s_rate(db: Database) -> None:
    _rate(db, "USD", "EUR", "0.9215")
    eur = currencies.currency_change(db, _usd_quote(), "EUR").converted
    assert eur is not None
    back = currencies.currency_change(db, eur, "USD")
    assert back.rate is not None
    # The table has USD to EUR only: EUR to USD is its inverse, 1 / 0.9215 = 1.08518719479... -> 1.0851871948
    # (10 decimals). 41.47 x 1.0851871948 = 45.0027... -> 45.00 USD
    assert back.rate.rate == D("1.0851871948")
    assert back.converted is not None
    assert back.converted["components"][0]["price_per_seat"] == "45.00"
    assert "exchange_rate" not in back.converted  # costs are in the quote's currency again


def test_a_eur_quote_moves_to_gbp_with_its_costs_still_in_usd(db: Database) -> None:
    _rate(db, "USD", "EUR", "0.9215")
    _rate(db, "EUR", "GBP", "0.8500")
    eur = currencies.currency_change(db, _usd_quote(), "EUR").converted
    assert eur is not None
    change = currencies.currency_change(db, eur, "GBP")
    # Prices at EUR to GBP, but the table has no USD to GBP for the costs: not converted.
    assert change.converted is None
    assert change.missing == (
        "The exchange-rate table has no rate from USD, the seller's currency, to GBP: costs "
        "are in USD, so the margin of a quote in GBP needs it. Add the rate in Settings, "
        "Exchange rates (or import a CSV)."
    )
    assert change.missing.code == "fx.no_seller_rate"
    _rate(db, "USD", "GBP", "0.7871")
    change = currencies.currency_change(db, eur, "GBP")
    assert change.converted is not None
    # 41.47 EUR x 0.85 = 35.2495 -> 35.25 GBP
    assert change.converted["components"][0]["price_per_seat"] == "35.25"
    fx = change.converted["exchange_rate"]
    # Prices went from EUR, not from the seller's USD: not "converted from the catalog".
    assert (fx["seller_currency"], fx["rate"], fx["converted_prices"]) == ("USD", "0.7871", False)


def test_without_a_rate_only_keeping_the_numbers_is_offered(db: Database) -> None:
    change = currencies.currency_change(db, _usd_quote(), "EUR")
    assert change.converted is None and change.rate is None
    assert change.missing == (
        "The exchange-rate table has no rate from USD to EUR, so the prices cannot be "
        "converted: add the rate in Settings, Exchange rates, or keep the numbers as they "
        "are, read as EUR."
    )
    assert change.missing.code == "fx.no_change_rate"
    assert change.missing.params == {"old": "USD", "new": "EUR"}
    # Kept: the same numbers in EUR, and no rate to a seller's currency the table lacks.
    assert change.kept["currency"] == "EUR"
    assert change.kept["components"][0]["price_per_seat"] == "45.00"
    assert "exchange_rate" not in change.kept


def test_an_unknown_code_is_a_sentence(db: Database) -> None:
    with pytest.raises(InvalidInputError) as caught:
        currencies.currency_change(db, _usd_quote(), "XYZ")
    assert caught.value.problems == [
        "Currency: XYZ is not a currency; use an ISO 4217 code such as USD, EUR or JPY."
    ]
