"""Payment terms of 0 days: the order form says invoices are payable on the invoice date,
in every language, never "within 0 days of the invoice date"."""

from __future__ import annotations

import pytest

from quote_builder.documents.order_form import contract_view
from quote_builder.documents.viewmodel import customer_view, view_meta

from ..pricing.factories import make_quote
from .conftest import request_for


@pytest.mark.parametrize(
    ("language", "locale", "expected"),
    [
        ("en", "en_US", "Invoices are payable on the invoice date, in USD."),
        ("de", "de_DE", "Rechnungen sind am Rechnungsdatum in USD zur Zahlung fällig."),
        ("fr", "fr_FR", "Les factures sont payables à leur date, en USD."),
        ("ja", "ja_JP", "請求書は、請求日にUSDでお支払いください。"),
    ],
)
def test_zero_payment_days_read_as_payable_on_the_invoice_date(
    language: str, locale: str, expected: str
) -> None:
    doc = make_quote(contract={"payment_terms_days": 0})
    request = request_for(doc, language=language, locale=locale)
    view = contract_view(customer_view(request), view_meta(request))
    assert view["payment_sentence"] == expected


def test_payment_days_still_counted_when_given() -> None:
    doc = make_quote(contract={"payment_terms_days": 30})
    request = request_for(doc)
    view = contract_view(customer_view(request), view_meta(request))
    assert view["payment_sentence"] == (
        "Invoices are payable within 30 days of the invoice date, in USD."
    )
