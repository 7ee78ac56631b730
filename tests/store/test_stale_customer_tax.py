"""A quote's tax decided on other customer details than its record's now is stale.

The rep's walk: a UK seller makes a quote for "Hooli AI GmbH" in Germany through the
guided flow (no tax ID asked), so the tax is German VAT at 19 %. The tax ID DE123456789 is
added on the Customers page afterwards: a German business with a VAT ID buying from a UK
seller is the EU reverse charge, 0 %. The quote kept its 19 % and nothing said so. Now,
like a tax decided for another seller country, the draft lists it under "To settle before
signature", `render` warns, a final render and Finalise are refused with a sentence naming
what changed, and `quotes tax NUMBER` (the editor's "Update from customer and Settings")
decides it again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from quote_builder.services import lifecycle as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services import tax as tax_svc
from quote_builder.services.core import RefusedError
from quote_builder.services.currencies import set_exchange_rate
from quote_builder.services.customers import get_customer, update_customer
from quote_builder.services.documents import render_saved_quote
from quote_builder.services.settings import get_settings, update_settings
from quote_builder.store.database import Database
from tests.documents.conftest import pdf_text
from tests.lifecycle_helpers import SELLER_PASS, seller_p12

from .helpers import customer, document

HOOLI = "Hooli AI GmbH"


def squash(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def uk_seller(db: Database) -> None:
    settings = get_settings(db)
    update_settings(
        db,
        expected_version=settings.version_id,
        actor="admin",
        seller_name="Acme AI Ltd",
        seller_address="1 King's Road, London",
        seller_country="United Kingdom",
        seller_tax_id="GB123456789",
        seller_signatory="Sam Seller",
        seller_signatory_title="CEO",
        legal_frame={
            "governing_law": "the laws of England and Wales",
            "venue": "the courts of London",
        },
    )


def hooli_quote(db: Database, **fields: Any) -> tuple[int, quote_svc.QuoteRow]:
    """The guided flow's quote: a German customer without a tax ID, its tax decided so."""
    uk_seller(db)
    customer_id = customer(db, HOOLI, country="Germany", language="en", **fields)
    tax = tax_svc.tax_data(tax_svc.quote_tax(db, customer_id))
    assert tax["rule"] == "destination" and tax["rate_percent"] == "19"
    # The seller's costs are in USD (the default currency): the guided flow keeps the
    # table's rate, which the approval rules check the quote's against.
    set_exchange_rate(
        db,
        base="USD",
        quote="EUR",
        rate=Decimal("0.9213"),
        as_of=dt.date(2026, 11, 2),
        source="ECB",
        actor="admin",
    )
    fx = {"seller_currency": "USD", "rate": "0.9213", "as_of": "2026-11-02", "source": "ECB"}
    quote = document(HOOLI, currency="EUR", tax=tax, exchange_rate=fx)
    row = quote_svc.create_quote(db, quote, actor="rick").value
    return customer_id, row


def edit_customer(db: Database, customer_id: int, **changes: Any) -> None:
    version = get_customer(db, customer_id).version_id
    update_customer(db, customer_id, changes, expected_version=version, actor="alice")


def finalise(db: Database, row: quote_svc.QuoteRow, passphrase: str = SELLER_PASS) -> Any:
    row = quote_svc.get_quote(db, row.id)
    return svc.finalise_quote(
        db,
        row.id,
        expected_version=row.version_id,
        actor="rick",
        passphrase=passphrase,
        pkcs12=seller_p12(),
    ).value


def test_a_tax_id_added_after_the_quote_makes_its_tax_stale(db: Database, tmp_path: Path) -> None:
    customer_id, row = hooli_quote(db)
    assert tax_svc.stale_tax_changes(db, row.id) == ()
    assert svc.stale_tax_error(db, row.id, row.number) is None
    edit_customer(db, customer_id, tax_id="DE123456789")

    changes = tax_svc.stale_tax_changes(db, row.id)
    assert [(c.field, c.decided, c.now) for c in changes] == [("tax_id", "", "DE123456789")]
    sentence = (
        "Hooli AI GmbH now has a tax ID (DE123456789): decide the tax again with 'Update "
        f"from customer and Settings' on the Terms tab (or: quote-builder quotes tax {row.number})"
    )
    draft = render_saved_quote(db, row.number, kind="contract", language="en")
    assert sentence in draft.result.warnings  # render's "warning:" lines
    printed = squash(pdf_text(draft.result.pdf, tmp_path))
    assert "To settle before signature" in printed
    assert (
        "The tax was decided without the customer's tax ID (DE123456789): decide the quote's "
        "tax again." in printed
    )
    with pytest.raises(RefusedError, match=r"not ready to sign: .*now has a tax ID"):
        render_saved_quote(db, row.number, finalising=True)
    with pytest.raises(RefusedError) as refused:
        finalise(db, row, passphrase="not the passphrase")  # refused before the certificate
    assert str(refused.value) == f"{row.number} cannot be finalised: {sentence}"
    assert quote_svc.get_quote(db, row.id).status == "draft"

    # `quotes tax NUMBER` (the editor's button) decides it again: the reverse charge.
    tax_svc.set_quote_tax(db, row.id, actor="rick")
    tax = quote_svc.open_version(db, row.id).document.tax
    assert tax is not None and tax.rule == "reverse_charge" and tax.rate_percent == 0
    assert tax_svc.stale_tax_changes(db, row.id) == ()
    again = render_saved_quote(db, row.number, kind="contract", language="en")
    assert not [w for w in again.result.warnings if "decide the tax again" in w]
    assert "decided without the customer's tax ID" not in squash(
        pdf_text(again.result.pdf, tmp_path)
    )
    sent = finalise(db, row)
    assert quote_svc.get_quote(db, row.id).status == "sent"
    assert "reverse" in squash(pdf_text(sent.pdf, tmp_path)).lower()


def test_the_draft_in_german_and_french_says_it_in_its_language(
    db: Database, tmp_path: Path
) -> None:
    customer_id, row = hooli_quote(db)
    edit_customer(db, customer_id, tax_id="DE123456789")
    german = squash(
        pdf_text(
            render_saved_quote(db, row.number, kind="contract", language="de").result.pdf, tmp_path
        )
    )
    assert "Die Steuer wurde ohne die Steuernummer des Kunden (DE123456789) entschieden" in german
    french = squash(
        pdf_text(
            render_saved_quote(db, row.number, kind="contract", language="fr").result.pdf, tmp_path
        )
    )
    assert "numéro fiscal du client (DE123456789)" in french


def test_another_country_and_a_tax_id_removed_are_stale_too(db: Database) -> None:
    customer_id, row = hooli_quote(db)
    edit_customer(db, customer_id, country="France")
    changes = tax_svc.stale_tax_changes(db, row.id)
    assert [(c.field, c.decided, c.now) for c in changes] == [("country", "DE", "FR")]
    problem = tax_svc.stale_tax_problem(db, row.id)
    assert problem is not None
    assert problem.startswith("Hooli AI GmbH is now in France (the tax was decided for Germany)")
    with pytest.raises(RefusedError, match="is now in France") as refused:
        finalise(db, row, passphrase="not the passphrase")
    # The app shows the refusal in the rep's language, what changed included.
    from quote_builder.ui import i18n, locale_format, service_words

    try:
        i18n.use_language("de")
        locale_format.set_locale("de_DE")
        german = service_words.error_sentence(refused.value)
    finally:
        i18n.use_language("en")
        locale_format.set_locale("en_US")
    # The countries in German, phrased so that no article is needed ("im Land Frankreich",
    # as "im Land Vereinigte Staaten" would be).
    assert german.startswith(
        f"{row.number} kann nicht finalisiert werden: {HOOLI} liegt jetzt im Land Frankreich "
    )
    assert "(die Steuer wurde für das Land Deutschland entschieden)" in german
    assert "neu entscheiden" in german

    # Decided again for France with its VAT ID, then the ID is removed: stale again.
    edit_customer(db, customer_id, tax_id="FR12345678901")
    tax_svc.set_quote_tax(db, row.id, actor="rick")
    assert tax_svc.stale_tax_changes(db, row.id) == ()
    edit_customer(db, customer_id, tax_id="")
    problem = tax_svc.stale_tax_problem(db, row.id)
    assert problem is not None and problem.startswith(
        "Hooli AI GmbH no longer has a tax ID (the tax was decided with FR12345678901)"
    )


def test_a_quote_without_a_tax_line_is_never_stale(db: Database) -> None:
    uk_seller(db)
    customer_id = customer(db, HOOLI, country="Germany")
    row = quote_svc.create_quote(db, document(HOOLI), actor="rick").value
    edit_customer(db, customer_id, tax_id="DE123456789")
    assert tax_svc.stale_tax_changes(db, row.id) == ()
    assert svc.stale_tax_error(db, row.id, row.number) is None
