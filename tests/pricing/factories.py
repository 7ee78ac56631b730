"""Small builders for quote documents in tests."""

from __future__ import annotations

from typing import Any

from quote_builder.pricing import QuoteDocument
from quote_builder.pricing.quote_format import quote_from_data


def quote_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "customer": {"name": "Acme"},
        "currency": "USD",
        "start_date": "2027-01-01",
        "term_months": 12,
        "billing_frequency": "monthly",
        "components": [
            {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"}
        ],
    }
    data.update(overrides)
    return data


def make_quote(**overrides: Any) -> QuoteDocument:
    return quote_from_data(quote_data(**overrides))
