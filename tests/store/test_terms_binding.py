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
    report = verify_pdf(None, rendered.result.pdf, org_key=org.org.public_line)
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
