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


PLATFORM_WITH_ALLOWANCE: list[dict[str, Any]] = [
    {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"},
    {
        "kind": "allowance_overage",
        "id": "enrichments",
        "name": "Enrichments",
        "metric": "enrichments",
        "included": "500",
        "overage_unit_price": "1.50",
    },
]
"""1,000 a month with 500 enrichments included and 1.50 each above: the usage evidence
tests' quote (bills 1090, 1330 and 1615 for 560, 720 and 910 enrichments)."""
