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

import copy
from dataclasses import dataclass
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


VALUE_MONEY_FIELDS = ("loaded_hourly_rate", "value_per_unit")
"""The value drivers' amounts of money (the customer's value, in the quote's currency)."""

MONEY_METRIC_KINDS = frozenset({"percent_of_value", "transaction_fee"})
"""Component kinds whose ``metric`` counts money of the quote's currency (attributed value,
transactions' value): its forecast and ramps are amounts, converted with the prices."""


def _as_decimal(value: Any) -> Decimal | None:
    """A JSON-ready number (a decimal string, an int, a Decimal) as Decimal; None for
    anything else (an empty field, a value the quote format would refuse)."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        return None
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def _decimals(value: Any, key: str | None) -> Any:
    if isinstance(value, dict):
        return {k: _decimals(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v, key) for v in value]
    if key in PRICE_FIELDS and (number := _as_decimal(value)) is not None:
        return number
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _money_of(value: Any, key: str | None) -> list[Decimal]:
    """The amounts at price keys in JSON-ready data (to tell whether there is money)."""
    if isinstance(value, dict):
        return [m for k, v in value.items() for m in _money_of(v, k)]
    if isinstance(value, list):
        return [m for v in value for m in _money_of(v, key)]
    number = _as_decimal(value) if key in PRICE_FIELDS else None
    return [number] if number is not None else []


@dataclass(frozen=True)
class ConvertedQuote:
    """A quote's data with its money in another currency (``convert_quote_data``) and
    whether it held any money at all (a quote of empty prices has nothing to convert)."""

    data: dict[str, Any]
    has_money: bool


def convert_quote_data(
    data: dict[str, Any], rate: Decimal, currency: str, source: str
) -> ConvertedQuote:
    """The quote's JSON-ready data (docs/quote-format.md) with every amount of the quote's
    currency converted from ``source`` to ``currency`` at ``rate``, each by
    ``convert_price`` (half up to the minor unit; a sub-cent unit price keeps its
    decimals): the components' prices (fees, seats, unit and tier prices, credit packs and
    overage, outcome prices, value shares' baseline, floor and cap, transaction fees,
    minimum commitments), fixed-amount discounts, the same in every option, the value
    drivers' hourly rate and value per unit, the extra-credit cap, the forecast and ramps
    of a metric that counts money (a value share's or a transaction fee's value) and a
    changed contract's signed year amounts. Costs (``economics``) are the seller's and are
    not touched; nor is anything else (quantities, percents, the usage log as read), nor
    the ``currency`` field itself. Values that are not numbers are left as written."""
    money: list[Decimal] = []

    def money_part(part: Any) -> Any:
        money.extend(_money_of(part, None))
        return _plain(_convert(_decimals(part, None), rate, currency, source, None))

    def amount(value: Any) -> Any:
        number = _as_decimal(value)
        if number is None:
            return value
        money.append(number)
        return format(convert_price(number, rate, currency, source), "f")

    out = copy.deepcopy(data)
    holders = [out] + [o for o in out.get("options") or [] if isinstance(o, dict)]
    metrics: set[str] = set()
    for holder in holders:
        for name in ("components", "discounts"):
            if isinstance(holder.get(name), list):
                holder[name] = [money_part(item) for item in holder[name]]
        for component in holder.get("components") or []:
            if isinstance(component, dict) and component.get("kind") in MONEY_METRIC_KINDS:
                metrics.add(str(component.get("metric")))
    for holder in holders:
        for ramp in holder.get("ramps") or []:
            usage = ramp.get("usage") if isinstance(ramp, dict) else None
            if isinstance(usage, dict):
                for metric in metrics & usage.keys():
                    usage[metric] = amount(usage[metric])
    forecast = out.get("usage_forecast")
    if isinstance(forecast, dict):
        for metric in metrics & forecast.keys():
            entry = forecast[metric]
            if isinstance(entry, dict):
                if "monthly" in entry:
                    entry["monthly"] = amount(entry["monthly"])
                if isinstance(entry.get("per_year"), list):
                    entry["per_year"] = [amount(v) for v in entry["per_year"]]
    value = out.get("value")
    if isinstance(value, dict):
        for name in VALUE_MONEY_FIELDS:
            if name in value:
                value[name] = amount(value[name])
    contract = out.get("contract")
    if isinstance(contract, dict) and "extra_credit_cap_per_month" in contract:
        contract["extra_credit_cap_per_month"] = amount(contract["extra_credit_cap_per_month"])
    change = out.get("contract_change")
    if isinstance(change, dict):
        for year in change.get("current_years") or []:
            if isinstance(year, dict):
                for name in ("amount", "recurring"):
                    if name in year:
                        year[name] = amount(year[name])
    return ConvertedQuote(out, any(m != 0 for m in money))


def to_seller_currency(amount: Decimal, rate: Decimal, seller_currency: str) -> Decimal:
    """An amount of the quote's currency in the seller's: amount / rate, rounded half up to
    the seller currency's minor unit (642.60 EUR at 0.9213 EUR per USD = 697.49 USD)."""
    return round_half_up(amount / rate, seller_currency)


__all__ = [
    "PRICE_FIELDS",
    "ConvertedQuote",
    "convert_quote_data",
    "convert_components",
    "convert_component_data",
    "convert_price",
    "to_seller_currency",
]
