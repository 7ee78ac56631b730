"""An approval covers the customer's terms exactly as the final PDF attaches them.

The deal desk signs the SHA-256 of the customer terms (terms.json) of the version asked
about: prices and quantities, and also the parties, the legal frame and the offer's dates.
The request file carries those terms and the desk rebuilds them from the request's quote;
a final PDF is made only while its terms still hash to what was signed, and ``verify``
checks the attachment against the signature."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quote_builder.services import approvals as svc
from quote_builder.services import policy as policy_svc
from quote_builder.services.documents import render_saved_quote, saved_terms_json
from quote_builder.services.settings import get_settings, update_settings
from quote_builder.services.terms_link import terms_hash
from quote_builder.services.verify import verify_pdf
from quote_builder.store.database import Database

from .governance_helpers import Org, make_org
from .helpers import name_the_seller
from .test_governance import decide, quote


@pytest.fixture
def org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Org:
    return make_org(tmp_path, monkeypatch)


def test_the_decision_signs_the_hash_of_the_pdfs_terms(db: Database, org: Org) -> None:
    policy_svc.install_policy(db, org.bundle(), actor="it")
    name_the_seller(db)
    row = quote(db, "24")
    svc.request_approval(db, row.number, actor="rick")
    decision = decide(db, org, row.number, "dana", actor="dana")
    terms = saved_terms_json(db, row.number)
    assert decision.payload["terms_hash"] == terms_hash(terms)
    rendered = render_saved_quote(db, row.number, kind="proposal", finalising=True)
    assert rendered.final
    report = verify_pdf(None, rendered.result.pdf, org_key=org.org.public_line, content_only=True)
    assert report.ok, [(c.name, c.message) for c in report.checks]
    # The attachment is byte for byte the terms that were signed.
    import io

    from pypdf import PdfReader

    attached = PdfReader(io.BytesIO(rendered.result.pdf)).attachments["terms.json"][0]
    assert attached == terms


def test_a_change_to_the_parties_after_approval_makes_the_pdf_a_draft(
    db: Database, org: Org
) -> None:
    """The seller's address is in the order form the customer signs: an approval of the
    old address does not cover the new one."""
    policy_svc.install_policy(db, org.bundle(), actor="it")
    name_the_seller(db)
    row = quote(db, "24")
    svc.request_approval(db, row.number, actor="rick")
    decide(db, org, row.number, "dana", actor="dana")
    assert render_saved_quote(db, row.number, kind="proposal", finalising=True).final
    settings = get_settings(db)
    update_settings(
        db,
        expected_version=settings.version_id,
        actor="admin",
        seller_address="2 Other Street, London",
    )
    again = render_saved_quote(db, row.number, kind="proposal", finalising=True)
    assert not again.final
    assert "terms of" in again.draft_reason and "changed since they were approved" in (
        again.draft_reason
    )


def test_a_request_file_whose_terms_were_edited_is_refused(
    db: Database, desk_db: Database, org: Org
) -> None:
    bundle = org.bundle()
    policy_svc.install_policy(db, bundle, actor="it")
    policy_svc.install_policy(desk_db, bundle, actor="it")
    name_the_seller(db)
    row = quote(db, "24")
    svc.request_approval(db, row.number, actor="rick")
    data = json.loads(svc.export_request(db, row.number, actor="rick"))
    terms = json.loads(data["terms"])
    terms["total_contract_value"] = "1.00"  # what the customer would sign, not the quote
    data["terms"] = json.dumps(terms, sort_keys=True, separators=(",", ":"))
    with pytest.raises(svc.BadRequestFileError, match="do not match its quote"):
        svc.import_request(desk_db, json.dumps(data), actor="dana")
    del data["terms"]
    with pytest.raises(svc.BadRequestFileError, match="holds no customer terms"):
        svc.import_request(desk_db, json.dumps(data), actor="dana")


@pytest.fixture
def desk_db(tmp_path: Path) -> Database:
    from quote_builder.store.database import open_database

    database = open_database(str(tmp_path / "desk.db"))
    yield database  # type: ignore[misc]
    database.close()


# --- the customer's details changed after the request ----------------------------------------


def _move_the_customer(db: Database, row_customer_id: int) -> None:
    from quote_builder.services.customers import get_customer, update_customer

    found = get_customer(db, row_customer_id)
    update_customer(
        db,
        row_customer_id,
        {"billing_address": "9 New Road, Shelbyville"},
        expected_version=found.version_id,
        actor="rick",
    )


def test_deciding_a_request_whose_customer_changed_since_is_refused(db: Database, org: Org) -> None:
    """The desk would sign terms the final PDF can no longer attach: it is told what
    changed and that the rep must ask again (it used to approve, and Finalise refused)."""
    policy_svc.install_policy(db, org.bundle(), actor="it")
    name_the_seller(db)
    row = quote(db, "24")
    svc.request_approval(db, row.number, actor="rick")
    _move_the_customer(db, row.customer_id)
    with pytest.raises(svc.StaleRequestError) as info:
        decide(db, org, row.number, "dana", actor="dana")
    message = str(info.value)
    assert "changed since the request" in message and "billing address" in message
    assert "ask for approval again" in message
    assert svc.approval_status(db, row.number).approval_id is None
    # Asked again, the desk decides the new terms.
    svc.request_approval(db, row.number, actor="rick")
    decide(db, org, row.number, "dana", actor="dana")
    # Final as Finalise renders it (an approved quote not yet sent renders as a draft
    # everywhere else: docs4's file-of-record rule).
    assert render_saved_quote(db, row.number, kind="proposal", finalising=True).final


def test_a_stale_but_intact_request_file_is_not_called_tampered(
    db: Database, org: Org, tmp_path: Path
) -> None:
    """The file is untouched; the quote's customer changed since it was exported: the
    refusal says so, not that the file was changed after export."""
    policy_svc.install_policy(db, org.bundle(), actor="it")
    name_the_seller(db)
    row = quote(db, "24")
    svc.request_approval(db, row.number, actor="rick")
    text = svc.export_request(db, row.number, actor="rick")
    _move_the_customer(db, row.customer_id)
    with pytest.raises(svc.StaleRequestError) as info:
        svc.import_request(db, text, actor="dana")
    message = str(info.value)
    assert "changed after export" not in message
    assert "changed since the request" in message and "billing address" in message


def test_a_request_file_in_the_customer_s_language_is_taken_in(
    db: Database, desk_db: Database, org: Org
) -> None:
    """The terms of a French customer's quote are in French: the desk rebuilds them in
    that language (it rebuilt them in English and called the intact file tampered)."""
    from quote_builder.services import quotes as quote_svc

    from .helpers import customer, document

    bundle = org.bundle()
    policy_svc.install_policy(db, bundle, actor="it")
    policy_svc.install_policy(desk_db, bundle, actor="it")
    name_the_seller(db)
    customer(db, "Société Générale", country="FR")
    doc = document("Société Générale", discounts=[{"description": "Launch", "percent": "24"}])
    row = quote_svc.create_quote(db, doc, actor="rick").value
    svc.request_approval(db, row.number, actor="rick")
    data = json.loads(svc.export_request(db, row.number, actor="rick"))
    assert json.loads(data["terms"])["language"] == "fr"
    imported = svc.import_request(desk_db, json.dumps(data), actor="dana").value
    assert imported.quote_number == row.number


def test_an_approval_of_terms_that_changed_no_longer_applies(
    sqlite_db: Database, org: Org, tmp_path: Path
) -> None:
    """Approved, then the customer's billing address changed: the approval is history, not
    in force; the rep can ask again, and the status never says pending and approved at
    once (it printed ``pending_approval`` and "Approved by decision …")."""
    import io

    from quote_builder.cli import main

    db = sqlite_db
    policy_svc.install_policy(db, org.bundle(), actor="it")
    name_the_seller(db)
    row = quote(db, "24")
    svc.request_approval(db, row.number, actor="rick")
    decision = decide(db, org, row.number, "dana", actor="dana")
    assert svc.approval_state(db, row.id).approval is not None
    _move_the_customer(db, row.customer_id)
    state = svc.approval_state(db, row.id)
    assert state.approval is None and state.stale_approval is not None
    assert state.terms_changes == ("customer.billing_address",) and state.can_request

    def status() -> str:
        out, err = io.StringIO(), io.StringIO()
        assert (
            main(["approval", "status", row.number, "--db", str(tmp_path / "quotes.db")], out, err)
            == 0
        ), err.getvalue()
        return out.getvalue()

    shown = status()
    assert f"{row.number} version 1: Approved (that approval no longer applies" in shown
    assert "Approval in force: none" in shown
    assert f"(decision {decision.decision_id}): no longer applies" in " ".join(shown.split())
    assert "billing address" in shown
    svc.request_approval(db, row.number, actor="rick")
    shown = status()
    assert f"{row.number} version 1: Pending approval" in shown
    assert "Approval in force: none" in shown and "Approved by" not in shown
    state = svc.approval_state(db, row.id)
    assert state.pending is not None and not state.pending_stale and state.approval is None
