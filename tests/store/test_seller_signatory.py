"""Who signs order forms for the seller (Settings, Seller profile: Signatory and
Signatory's title; migration 0014). The seller's signature block printed "Name, title" for
want of one; now it prints the signatory, and without one Finalise is refused with a
sentence saying where to set it, as it is for a customer without a contact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quote_builder.services import lifecycle as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services.core import RefusedError
from quote_builder.services.documents import render_saved_quote
from quote_builder.services.settings import get_settings, update_settings
from quote_builder.store.database import Database, open_database
from tests.lifecycle_helpers import SELLER_PASS, complete_customer, seller_p12

from .helpers import customer, document
from .test_migrations import NOW, add_rows, at_revision


def _quote(db: Database) -> quote_svc.QuoteRow:
    settings = get_settings(db)
    update_settings(db, expected_version=settings.version_id, actor="admin", seller_name="Acme AI")
    customer(db, "Contoso Legal")
    row = quote_svc.create_quote(db, document("Contoso Legal"), actor="rick").value
    complete_customer(db, row.id)
    return quote_svc.get_quote(db, row.id)


def _finalise(db: Database, row: quote_svc.QuoteRow) -> svc.SentInfo:
    row = quote_svc.get_quote(db, row.id)
    return svc.finalise_quote(
        db,
        row.id,
        expected_version=row.version_id,
        actor="rick",
        passphrase=SELLER_PASS,
        pkcs12=seller_p12(),
    ).value


def test_finalise_is_refused_until_someone_signs_for_the_seller(db: Database) -> None:
    row = _quote(db)
    with pytest.raises(RefusedError) as refused:
        _finalise(db, row)
    assert "no one signs for the seller: set the Signatory" in str(refused.value)
    assert "Settings, Seller profile" in str(refused.value)
    assert quote_svc.get_quote(db, row.id).status == "draft"  # nothing half-done
    # The draft says so under "To settle before signature".
    draft = render_saved_quote(db, row.number)
    assert any(w.startswith("no one signs for the seller") for w in draft.result.warnings)
    assert "The person who signs for the provider is not given." in draft.result.html["both"]
    settings = get_settings(db)
    update_settings(
        db,
        expected_version=settings.version_id,
        actor="admin",
        seller_signatory="Priya Raman",
        seller_signatory_title="Chief Revenue Officer",
    )
    sent = _finalise(db, row)
    assert quote_svc.get_quote(db, row.id).status == "sent" and sent.version == 1


def test_the_signatory_is_printed_under_the_sellers_line(db: Database) -> None:
    row = _quote(db)
    settings = get_settings(db)
    update_settings(
        db, expected_version=settings.version_id, actor="admin", seller_signatory="Priya Raman"
    )
    html = render_saved_quote(db, row.number).result.html["both"]
    blocks = html[html.index('<div class="signatures">') :]
    assert "Acme AI</strong><br>Priya Raman<br>" in blocks  # no title: the name alone
    assert "The person who signs for the provider is not given." not in html


def test_0014_keeps_the_settings_and_adds_an_empty_signatory(tmp_path: Path) -> None:
    path = tmp_path / "signatory.db"
    at_revision(path, "0012")
    add_rows(path)
    c = sqlite3.connect(path)
    c.execute(
        "INSERT INTO settings (id, seller_name, seller_legal_name, seller_address, seller_email, "
        "logo_path, default_currency, margin_floor_percent, discount_authority_json, "
        "approval_term_months, min_escalator_percent, max_payment_terms_days, "
        "custom_attribution_needs_approval, outcome_without_minimum_needs_approval, "
        "version_id, updated_at, updated_by) VALUES (1, 'Acme', 'Acme Ltd', '1 Street', "
        "'a@acme.example', '', 'EUR', '60', '{}', 36, '3', 30, 1, 1, 4, ?, 'admin')",
        (NOW,),
    )
    c.commit()
    c.close()
    database = open_database(str(path))  # upgrades to the head
    try:
        settings = get_settings(database)
        assert (settings.seller_name, settings.seller_legal_name, settings.seller_email) == (
            "Acme",
            "Acme Ltd",
            "a@acme.example",
        )
        assert (settings.default_currency, settings.version_id) == ("EUR", 4)
        assert (settings.seller_signatory, settings.seller_signatory_title) == ("", "")
    finally:
        database.close()
    c = sqlite3.connect(path)
    try:
        assert c.execute("SELECT count(*) FROM quote_version").fetchone() == (1,)
        assert c.execute("SELECT count(*) FROM contact").fetchone() == (3,)
    finally:
        c.close()
