"""The reasons of an approval request are recorded as codes and values beside their English
sentences (migration 0012), so the app can show them in the user's language; requests
stored before have none and keep their English; the desk's import records them too."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text

from quote_builder.approvals.policy import Reason
from quote_builder.services import approvals as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.store.database import Database, open_database
from quote_builder.store.models import ApprovalRequest

from .helpers import customer, document
from .test_migrations import add_rows, at_revision

DISCOUNT = Reason(
    "DISCOUNT_ABOVE_AUTHORITY",
    (
        ("discount", Decimal("24.00")),
        ("limit", Decimal(20)),
        ("exceeded", "manager"),
        ("role", "deal_desk"),
    ),
)
"""24 % off: above a manager's 20 %, so the deal desk (the default policy)."""


def new_quote(db: Database) -> quote_svc.QuoteRow:
    customer(db)
    doc = document(discounts=[{"description": "Launch", "percent": "24"}])
    return quote_svc.create_quote(db, doc, actor="rep").value


def test_a_request_records_its_reasons_codes(db: Database) -> None:
    row = new_quote(db)
    request = svc.request_approval(db, row.number, actor="rep").value
    assert request.reasons == [
        "The effective discount is 24.00%, above the manager's 20% authority: "
        "the deal desk must approve."
    ]
    assert request.reason_details == [DISCOUNT]
    with db.read() as session:
        stored = session.get(ApprovalRequest, request.id)
        assert stored is not None
        assert json.loads(stored.reasons_json) == request.reasons  # the English as before
        assert json.loads(stored.reason_details_json or "") == [
            {
                "code": "DISCOUNT_ABOVE_AUTHORITY",
                "params": {
                    "discount": {"decimal": "24.00"},
                    "limit": {"decimal": "20"},
                    "exceeded": "manager",
                    "role": "deal_desk",
                },
            }
        ]
    # The editor's banner: the live evaluation and the pending request, both with codes.
    state = svc.approval_state(db, row.id)
    assert state.reason_details == [DISCOUNT]
    assert state.pending is not None and state.pending.reason_details == [DISCOUNT]


def test_the_desk_s_import_records_its_own_codes(db: Database, tmp_path: Path) -> None:
    row = new_quote(db)
    svc.request_approval(db, row.number, actor="rep")
    request_file = svc.export_request(db, row.number, actor="rep")
    assert "reason_details" not in json.loads(request_file)  # the request file is unchanged
    desk = open_database(str(tmp_path / "desk.db"))
    try:
        imported = svc.import_request(desk, request_file, actor="dana").value
        assert imported.reason_details == [DISCOUNT]
        assert [r.reason_details for r in svc.list_requests(desk)] == [[DISCOUNT]]
    finally:
        desk.close()


def test_a_request_from_before_the_codes_keeps_its_english(db: Database) -> None:
    row = new_quote(db)
    request = svc.request_approval(db, row.number, actor="rep").value
    with db.write() as session:
        stored = session.get(ApprovalRequest, request.id)
        assert stored is not None
        stored.reason_details_json = None  # as migration 0012 leaves older requests
        session.add(stored)
    [listed] = [r for r in svc.list_requests(db) if r.request_id == request.request_id]
    assert listed.reasons == request.reasons and listed.reason_details == []
    # Codes that do not match the sentences (one too few, or unreadable) are not used.
    for broken in ("[]", "not json", '[{"code": 1}]'):
        with db.write() as session:
            stored = session.get(ApprovalRequest, request.id)
            assert stored is not None
            stored.reason_details_json = broken
            session.add(stored)
        [listed] = [r for r in svc.list_requests(db) if r.request_id == request.request_id]
        assert listed.reason_details == [] and listed.reasons == request.reasons


def test_0012_keeps_existing_requests_without_codes(tmp_path: Path) -> None:
    path = tmp_path / "reasons.db"
    at_revision(path, "0011")
    add_rows(path)
    c = sqlite3.connect(path)
    c.execute(
        "INSERT INTO approval_request (id, request_uid, quote_id, quote_number, version_number, "
        "version_hash, reasons_json, requested_at, requested_by, status) VALUES (1, 'r-1', 1, "
        "'Q-2026-0001', 1, 'abc', ?, '2026-01-01 00:00:00', 'rick', 'pending')",
        (json.dumps(["The term is 48 months, longer than the 36 months allowed."]),),
    )
    c.commit()
    c.close()
    database = open_database(str(path))  # upgrades to the head
    try:
        with database.engine.begin() as connection:
            row = connection.execute(
                text("SELECT reasons_json, reason_details_json, requested_by FROM approval_request")
            ).one()
        assert tuple(row) == (
            '["The term is 48 months, longer than the 36 months allowed."]',
            None,
            "rick",
        )
        [request] = svc.list_requests(database)
        assert request.reasons == ["The term is 48 months, longer than the 36 months allowed."]
        assert request.reason_details == []
    finally:
        database.close()
    c = sqlite3.connect(path)
    try:
        assert c.execute("SELECT count(*) FROM quote_version").fetchone() == (1,)
        assert c.execute("SELECT count(*) FROM contact").fetchone() == (3,)
    finally:
        c.close()
