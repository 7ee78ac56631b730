"""A sent version is frozen (issue 15): its only original is the signed file kept when it
was sent. A new render of it is a draft (DRAFT across every page, the reason said), so
nothing rendered later can pass for a second original; `render` and the editor hand out
the stored file instead (tests/documents/test_render_cli.py, tests/ui/test_deal_ui.py)."""

from __future__ import annotations

from pathlib import Path

from quote_builder.services import documents as document_svc
from quote_builder.services import lifecycle as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.store.database import Database
from tests.documents.conftest import pdf_text
from tests.lifecycle_helpers import finalise

from .helpers import customer, document


def test_a_new_render_of_a_sent_version_is_a_draft(db: Database, tmp_path: Path) -> None:
    customer(db)
    row = quote_svc.create_quote(db, document(), actor="rick").value
    before = document_svc.render_saved_quote(db, row.number)
    assert not before.final  # a draft before it is sent, as always
    sent = finalise(db, row)
    assert svc.sent_version(db, row.id) == svc.sent_version(db, row.id, 1)
    stored = svc.sent_version(db, row.id)
    assert stored is not None and stored.pdf == sent.pdf
    state = document_svc.final_state(db, row.number)
    assert not state.final
    assert state.draft_reason.startswith(f"{row.number} version 1 was sent on ")
    assert f"`render {row.number}` writes the file as sent" in state.draft_reason
    again = document_svc.render_saved_quote(db, row.number)
    assert not again.final and again.draft_reason == state.draft_reason
    pages = pdf_text(again.result.pdf, tmp_path)
    assert pages and all("DRAFT" in page for page in pages)
    assert again.result.pdf != sent.pdf


def test_a_version_never_sent_has_no_sent_file(db: Database) -> None:
    customer(db)
    row = quote_svc.create_quote(db, document(), actor="rick").value
    finalise(db, row)
    edited = document(term_months=24)
    quote_svc.save_quote(
        db,
        row.id,
        edited,
        expected_version=quote_svc.get_quote(db, row.id).version_id,
        actor="rick",
    )
    assert svc.sent_version(db, row.id) is None  # version 2, back in draft
    assert svc.sent_version(db, row.id, 1) is not None
