"""PricedQuote as JSON-ready data: amounts as decimal strings, dates as ISO strings."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from .results import PricedQuote


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
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
    return data
