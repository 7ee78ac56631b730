"""Customer search ignores accents and their spellings: a rep on an English keyboard
typing "mueller" or "muller" finds "Müller GmbH", "strasse" finds "Straße", "cafe" finds
"Café", "orsted" finds "Ørsted" (and the German spellings find the plain ones). The quote
list's search by customer name folds the same way. Duplicate detection is not changed:
"Müller" and "Muller" stay two names (``test_customers_without_name_key``)."""

from __future__ import annotations

import pytest

from quote_builder.services import customers as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.store.database import Database
from quote_builder.store.models import customer_search_variants

from .helpers import document

NAMES = ("Müller GmbH", "Straße Software", "Café Olé", "Ørsted A/S", "Mueller Brothers", "Acme")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mueller", ["Mueller Brothers", "Müller GmbH"]),
        ("muller", ["Müller GmbH"]),
        ("MÜLLER", ["Mueller Brothers", "Müller GmbH"]),
        ("Müller GmbH", ["Müller GmbH"]),
        ("strasse", ["Straße Software"]),
        ("STRAßE", ["Straße Software"]),
        ("cafe ole", ["Café Olé"]),
        ("orsted", ["Ørsted A/S"]),
        ("oersted", ["Ørsted A/S"]),
        ("acme", ["Acme"]),
    ],
)
def test_search_folds_accents_and_their_spellings(
    db: Database, typed: str, expected: list[str]
) -> None:
    for name in NAMES:
        svc.create_customer(db, {"name": name}, actor="a")
    page = svc.search_customers(db, typed)
    assert sorted(c.name for c in page.rows) == expected
    assert page.total == len(expected)


def test_the_quote_search_finds_the_customer_by_its_folded_name(db: Database) -> None:
    customer = svc.create_customer(db, {"name": "Müller GmbH"}, actor="a").value
    other = svc.create_customer(db, {"name": "Acme"}, actor="a").value
    quote_svc.create_quote(db, document("Müller GmbH"), actor="a", customer_id=customer.id)
    quote_svc.create_quote(db, document("Acme"), actor="a", customer_id=other.id)
    found = quote_svc.list_quotes(db, "mueller")
    assert [row.customer_name for row in found.rows] == ["Müller GmbH"]


def test_an_accent_still_makes_another_customer(db: Database) -> None:
    svc.create_customer(db, {"name": "Müller GmbH"}, actor="a")
    assert svc.create_customer(db, {"name": "Muller GmbH"}, actor="a").value.id
    with pytest.raises(svc.DuplicateCustomerError):
        svc.create_customer(db, {"name": "MÜLLER GMBH"}, actor="a")


def test_the_folding_is_one_function() -> None:
    assert customer_search_variants("Müller") == ("muller", "mueller")
    assert customer_search_variants("  Café\u00a0 OLÉ ") == ("cafe ole",)
    assert customer_search_variants("Łódź") == ("lodz",)
