"""Payment terms or a notice period of 0 days: the order form says invoices are payable on
the invoice date, and non-renewal is noticed before the period ends,
in every language, never "within 0 days of the invoice date"."""

from __future__ import annotations

import re

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


@pytest.mark.parametrize(
    ("language", "locale", "expected", "not_expected"),
    [
        ("en", "en_US", "non-renewal before the end of the current period", "0 days"),
        ("de", "de_DE", "der Verlängerung vor Ablauf des laufenden Zeitraums", "0 Tage"),
        ("fr", "fr_FR", "refus de renouvellement avant la fin de la période", "0 jour"),
        ("ja", "ja_JP", "現在の期間満了日までに", "0日"),
    ],
)
def test_zero_notice_days_read_as_notice_before_the_period_ends(
    language: str, locale: str, expected: str, not_expected: str
) -> None:
    doc = make_quote(contract={"auto_renew": True, "notice_days": 0})
    request = request_for(doc, language=language, locale=locale)
    view = contract_view(customer_view(request), view_meta(request))
    clause = view["term_clause"]
    assert expected in clause, clause
    assert not re.search(r"(?<![\d,.])" + re.escape(not_expected), clause), clause
