"""Finalise refuses a customer the order form cannot name: without a billing address the
parties block is empty, without a contact nobody is named to sign (a lawyer would not sign
it). The refusal is one sentence naming what is missing on the customer and where to add
it; the same sentence is listed before Finalise (the editor's banner, the draft's "To
settle before signature") and stops a final render."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlmodel import select

from quote_builder.documents import Party
from quote_builder.pricing.terms import customer_gaps_sentence, terms_problems
from quote_builder.services import customers as customer_svc
from quote_builder.services import lifecycle as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services.approvals import approval_state
from quote_builder.services.core import RefusedError
from quote_builder.store.database import Database
from quote_builder.store.models import SentDocument
from tests.lifecycle_helpers import SELLER_PASS, name_seller, seller_p12

from .helpers import customer, document


def _quote(db: Database, **customer_fields: object) -> quote_svc.QuoteRow:
    name_seller(db)
    customer(db, "Contoso Legal", signable=False, **customer_fields)
    return quote_svc.create_quote(db, document("Contoso Legal"), actor="rick").value


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


def _nothing_sent(db: Database, row: quote_svc.QuoteRow) -> None:
    assert quote_svc.get_quote(db, row.id).status == "draft"
    with db.read() as session:
        assert session.exec(select(SentDocument)).all() == []
    assert "quote_sent" not in [e["action"] for e in quote_svc.audit_history(db, row.id)]


def _customer_id(db: Database) -> int:
    return customer_svc.search_customers(db, "Contoso").rows[0].id


@pytest.mark.parametrize(
    ("fields", "contact", "missing"),
    [
        (
            {},
            None,
            "Contoso Legal has no billing address and no contact to sign the order form: on "
            "the Customers page, fill in its Billing address and add a contact (the first "
            "contact signs)",
        ),
        (
            {"billing_address": "400 Pine Street, Seattle"},
            None,
            "Contoso Legal has no contact to sign the order form: on the Customers page, add "
            "a contact (the first contact signs)",
        ),
        (
            {},
            {"name": "Ana Trujillo", "title": "General Counsel"},
            "Contoso Legal has no billing address: on the Customers page, fill in its "
            "Billing address",
        ),
    ],
    ids=["neither", "no-signatory", "no-billing-address"],
)
def test_finalise_refuses_a_customer_the_order_form_cannot_name(
    db: Database, fields: dict[str, str], contact: dict[str, str] | None, missing: str
) -> None:
    row = _quote(db, **fields)
    if contact is not None:
        customer_svc.add_contact(db, _customer_id(db), contact, actor="alice")
    with pytest.raises(svc.CustomerIncompleteError) as refused:
        _finalise(db, row)
    assert str(refused.value) == f"{row.number} cannot be finalised: {missing}"
    assert isinstance(refused.value, RefusedError)  # the CLI's status 2, the app's dialog
    gaps = refused.value.gaps
    assert gaps.customer_id == _customer_id(db) and gaps.customer_name == "Contoso Legal"
    _nothing_sent(db, row)
    # Listed before anyone clicks Finalise: the editor's banner reads approval_state.
    assert approval_state(db, row.id).not_ready == missing


def test_once_the_customer_is_complete_the_order_form_names_both(
    db: Database, tmp_path: Path
) -> None:
    from tests.documents.conftest import pdf_text

    row = _quote(db)
    customer_id = _customer_id(db)
    current = customer_svc.get_customer(db, customer_id)
    customer_svc.update_customer(
        db,
        customer_id,
        {"billing_address": "400 Pine Street, Seattle, WA 98101"},
        expected_version=current.version_id,
        actor="alice",
    )
    customer_svc.add_contact(
        db, customer_id, {"name": "Ana Trujillo", "title": "General Counsel"}, actor="alice"
    )
    assert svc.customer_gaps(db, row.id) is None
    assert approval_state(db, row.id).not_ready == ""
    sent = _finalise(db, row)
    text = "\n".join(pdf_text(sent.pdf, tmp_path))
    assert "400 Pine Street, Seattle, WA 98101" in text
    assert "Ana Trujillo, General Counsel" in text


def test_a_sent_quote_is_sent_again_as_it_was(db: Database) -> None:
    """The frozen file is what it is: sending it again is not refused after the fact."""
    row = _quote(db, billing_address="400 Pine Street, Seattle")
    customer_svc.add_contact(db, _customer_id(db), {"name": "Ana Trujillo"}, actor="alice")
    first = _finalise(db, row)
    for contact in customer_svc.list_contacts(db, _customer_id(db)):
        customer_svc.delete_contact(db, contact.id, actor="alice")
    again = _finalise(db, row)
    assert again.resent and again.pdf == first.pdf


def test_the_draft_lists_it_and_a_final_render_is_refused() -> None:
    from quote_builder.documents import RenderRefusedError, render_pdf
    from tests.documents.conftest import example, request_for

    doc = example("platform_usage_analytics.json")
    bare = Party(doc.customer.name, country="Germany")
    sentence = customer_gaps_sentence(bare.terms_party())
    assert sentence.startswith(f"{doc.customer.name} has no billing address and no contact")
    from quote_builder.documents.viewmodel import customer_view

    assert sentence in terms_problems(customer_view(request_for(doc, customer=bare)).terms)
    draft = render_pdf(request_for(doc, customer=bare), "contract")
    assert sentence in draft.warnings  # the preview's "things to check"
    with pytest.raises(RenderRefusedError, match="not ready to sign: .*no billing address"):
        render_pdf(request_for(doc, customer=bare, final=True), "contract")


def test_the_command_line_refuses_before_asking_for_the_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from quote_builder.cli import main
    from quote_builder.store.database import open_database

    monkeypatch.delenv("QUOTE_BUILDER_PASSPHRASE", raising=False)
    monkeypatch.setenv("QUOTE_BUILDER_CERTIFICATES_DIR", str(tmp_path / "certs"))
    path = tmp_path / "q.db"
    db = open_database(str(path))
    try:
        row = _quote(db)
    finally:
        db.close()
    code = main(["deal", "finalise", row.number, "--db", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert (
        f"{row.number} cannot be finalised: Contoso Legal has no billing address and no "
        "contact to sign the order form" in err
    )
    assert "passphrase" not in err.lower()
    assert "Traceback" not in err
    assert os.path.exists(path)


@pytest.mark.parametrize(
    ("language", "heading", "line"),
    [
        (
            "en",
            "To settle before signature:",
            "The customer's billing address and the person who signs for the customer are not "
            "given.",
        ),
        (
            "de",
            "Vor der Unterzeichnung zu klären:",
            "Die Rechnungsanschrift des Kunden und die für den Kunden unterzeichnende Person "
            "fehlen.",
        ),
    ],
)
def test_the_draft_order_form_says_it_under_to_settle(
    language: str, heading: str, line: str, tmp_path: Path
) -> None:
    """The draft a rep might forward names the missing billing address and signatory in its
    "To settle before signature" box, on the first page, above the parties."""
    from quote_builder.documents import render_pdf
    from tests.documents.conftest import example, pdf_text, request_for

    doc = example("platform_usage_analytics.json")
    bare = Party(doc.customer.name, country="Germany")
    locale = {"en": "en_US", "de": "de_DE"}[language]
    pdf = render_pdf(request_for(doc, customer=bare, language=language, locale=locale), "contract")
    first = " ".join(pdf_text(pdf.pdf, tmp_path)[0].split())
    assert f"{heading} • {line}" in first
