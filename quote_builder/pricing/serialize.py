"""PricedQuote as JSON-ready data: amounts as decimal strings, dates as ISO strings."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from .document import QuoteDocument
from .results import PricedQuote


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.metadata.get("json", True)
        }
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def priced_to_dict(priced: PricedQuote) -> dict[str, Any]:
    data: dict[str, Any] = _plain(priced)
    data["gross_margin_percent"] = _plain(priced.gross_margin_percent)
    for year, raw in zip(priced.years, data["years"], strict=True):
        raw["recurring_revenue"] = _plain(year.recurring_revenue)
    for period, raw in zip(priced.periods, data["periods"], strict=True):
        for line, raw_line in zip(period.lines, raw["lines"], strict=True):
            if line.months:
                raw_line["months"] = _plain(line.months)
    return data


def internal_to_dict(doc: QuoteDocument, priced: PricedQuote) -> dict[str, Any]:
    """The deal desk's margin block: revenue, COGS and gross profit in the seller's currency
    (the quote's revenue converted back at its exchange rate), and the rate it used."""
    fx = doc.exchange_rate
    return {
        "margin_currency": priced.margin_currency,
        "exchange_rate": None
        if fx is None
        else {
            "seller_currency": fx.seller_currency,
            "quote_currency": doc.currency,
            "rate": _plain(fx.rate),
            "as_of": fx.as_of.isoformat(),
            "source": fx.source,
            "converted_prices": fx.converted_prices,
        },
        "years": [
            {
                "year": y.year,
                "revenue": _plain(y.margin_revenue),
                "cogs": _plain(y.cogs),
                "gross_profit": _plain(y.gross_profit),
                "gross_margin_percent": _plain(y.gross_margin_percent),
            }
            for y in priced.years
        ],
        "revenue": _plain(priced.total_margin_revenue),
        "cogs": _plain(priced.total_cogs),
        "gross_profit": _plain(priced.total_margin_revenue - priced.total_cogs),
        "gross_margin_percent": _plain(priced.gross_margin_percent),
    }


def quote_to_dict(doc: QuoteDocument, priced: PricedQuote) -> dict[str, Any]:
    """``price --json``: the priced quote (revenue figures before tax), the deal desk's
    ``internal`` margin block in the seller's currency, and, apart, the ``tax`` block
    (None without a tax line)."""
    from .tax import tax_breakdown, tax_to_dict

    data = priced_to_dict(priced)
    data["internal"] = internal_to_dict(doc, priced)
    data["tax"] = None if doc.tax is None else tax_to_dict(doc.tax, tax_breakdown(priced, doc.tax))
    return data
