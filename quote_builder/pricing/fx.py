"""Prices in another currency: a catalog price converted at the quote's exchange rate.

A plan's price book sets its prices in a currency explicitly (the catalog, ``plans``
service). Where a plan has none for the quote's currency, its components are converted
from the catalog currency at the rate the quote keeps (``QuoteDocument.exchange_rate``:
rate, date, source), so the quote prices the same later whatever the rate table says by
then.

**Rounding a converted price**: price x rate, rounded half up to the quote currency's minor
unit, or to the decimals the catalog price was written with when it has more (a token at
0.0004 USD stays at four decimals), the same rule as an escalated price
(``contracts.escalate_price``). 49.00 USD x 0.9213 = 45.1437 -> 45.14 EUR; 49.00 USD x
152.37 = 7,466.13 -> 7,466 JPY.

**Margin in the seller's currency**: costs are in the seller's currency; the engine
converts each contract year's revenue back at the same rate (revenue / rate, rounded to
the seller currency's minor unit) to measure the margin (``engine``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .components import Component
from .currency import minor_units
from .money import round_half_up

PRICE_FIELDS = frozenset(
    {
        "amount",
        "price_per_seat",
        "unit_price",
        "flat_fee",
        "package_price",
        "overage_unit_price",
        "overage_price_per_credit",
        "price",
        "price_per_outcome",
        "fixed_fee",
        "minimum_fee",
        "maximum_fee",
        "floor",
        "cap",
        "baseline",
    }
)
"""Keys whose values are amounts of money in a component's data (what a conversion moves).
Quantities, percents, counts and burn rates are not in it: ``tests/pricing/test_fx.py``
walks every component kind's fields and checks each money field is listed."""


def convert_price(price: Decimal, rate: Decimal, currency: str, source: str) -> Decimal:
    """``price`` (in ``source``, the catalog's currency) x ``rate``, rounded half up to
    ``currency``'s minor unit; a price written with more decimals than ``source``'s minor
    unit (a token at 0.0004 USD) keeps its decimals."""
    exponent = price.normalize().as_tuple().exponent
    written = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    places = minor_units(currency)
    if written > minor_units(source):
        places = max(places, written)
    return (price * rate).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def _convert(value: Any, rate: Decimal, currency: str, source: str, key: str | None) -> Any:
    if isinstance(value, dict):
        return {k: _convert(v, rate, currency, source, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_convert(v, rate, currency, source, key) for v in value]
    if key in PRICE_FIELDS and isinstance(value, Decimal):
        return convert_price(value, rate, currency, source)
    return value


def convert_component_data(
    data: dict[str, Any], rate: Decimal, currency: str, source: str
) -> dict[str, Any]:
    """A component's data (the quote format, numbers as Decimal) with every price converted
    from ``source`` to ``currency``."""
    converted: dict[str, Any] = _convert(data, rate, currency, source, None)
    return converted


def convert_components(
    components: list[Component], rate: Decimal, currency: str, source: str
) -> list[dict[str, Any]]:
    """The components as quote-format data with their prices converted at ``rate``."""
    return [
        convert_component_data(
            c.model_dump(mode="python", by_alias=True, exclude_none=True), rate, currency, source
        )
        for c in components
    ]


def to_seller_currency(amount: Decimal, rate: Decimal, seller_currency: str) -> Decimal:
    """An amount of the quote's currency in the seller's: amount / rate, rounded half up to
    the seller currency's minor unit (642.60 EUR at 0.9213 EUR per USD = 697.49 USD)."""
    return round_half_up(amount / rate, seller_currency)


__all__ = [
    "PRICE_FIELDS",
    "convert_components",
    "convert_component_data",
    "convert_price",
    "to_seller_currency",
]
