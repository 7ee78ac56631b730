"""An approval is of one version (desk1 walk): version 1 approved, version 2 changed a
unit cost, version 3 put it back (Undo, Save). Before: the editor's banner of version 3
read "Approval no longer applies — The approval of version 3 by Dana Whitfield no longer
applies: the customer's terms changed since it was asked for (the quote's terms)": nobody
approved version 3, and nothing of the customer's changed. Version 1's decision was taken
for version 3 because their contents hash alike. Now version 3 is a draft that needs
approval, as `approval status` says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from quote_builder.services import approvals as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.store.database import Database

from .helpers import name_the_seller
from .test_approvals import PASS, desk_db, desk_decides, discounted, keys, new_quote

__all__ = ["desk_db", "keys"]  # the fixtures of test_approvals, used here


def test_an_approval_of_version_1_is_not_version_3s_though_their_contents_are_alike(
    tmp_path: Path, keys: Path, sqlite_db: Database, desk_db: Database
) -> None:
    name_the_seller(sqlite_db)
    row = new_quote(sqlite_db)
    svc.request_approval(sqlite_db, row.number, actor="rep")
    decision = desk_decides(
        sqlite_db, desk_db, row.number, expires=dt.date.today() + dt.timedelta(30)
    )
    svc.import_decision(sqlite_db, decision.file_text(), actor="rep")
    assert svc.approval_state(sqlite_db, row.id).approval is not None

    opened = quote_svc.get_quote(sqlite_db, row.id).version_id
    quote_svc.save_quote(sqlite_db, row.id, discounted("30"), expected_version=opened, actor="rep")
    opened = quote_svc.get_quote(sqlite_db, row.id).version_id
    quote_svc.save_quote(sqlite_db, row.id, discounted("24"), expected_version=opened, actor="rep")
    assert quote_svc.get_quote(sqlite_db, row.id).latest_version == 3

    state = svc.approval_state(sqlite_db, row.id)
    assert state.latest_version == 3
    assert state.approval is None
    assert state.stale_approval is None  # not "the approval of version 3 ... no longer applies"
    assert state.needed
    assert svc.approval_id_for(sqlite_db, row.number) is None


def test_an_approval_the_desk_rejected_afterwards_is_not_in_force(
    tmp_path: Path,
    keys: Path,
    sqlite_db: Database,
    desk_db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Desk walk (desk1): version 1 approved; the rep asked again (same version) and the
    deal desk rejected it. Before: `approval status` said "Approval in force: decision
    <the earlier approval>", the editor's banner read Approved for a rejected quote, and a
    status set back to approved with sqlite3 let `deal finalise` send the rejected version
    with the earlier approval (and `verify` passed it). The desk's later rejection of the
    version now voids any earlier approval of it."""
    import sqlite3

    from .test_approvals import run

    name_the_seller(sqlite_db)
    row = new_quote(sqlite_db)
    svc.request_approval(sqlite_db, row.number, actor="rep")
    approved = desk_decides(
        sqlite_db, desk_db, row.number, expires=dt.date.today() + dt.timedelta(30)
    )
    svc.import_decision(sqlite_db, approved.file_text(), actor="rep")
    assert svc.approval_id_for(sqlite_db, row.number) == approved.decision_id

    monkeypatch.setenv(svc.KEYS_ENV, str(tmp_path / "rep-keys"))  # the rep's machine
    # Asked again, same version, as Quote Builder allowed before an approval in force
    # refused it (test_a_second_request_on_an_approved_version_is_refused): a database
    # may hold such a request, and the desk's rejection of it must still void the approval.
    with monkeypatch.context() as legacy:
        legacy.setattr(svc, "_refuse_if_approved", lambda *args: None)
        svc.request_approval(sqlite_db, row.number, actor="rep")
    monkeypatch.setenv(svc.KEYS_ENV, str(keys))
    rejected = desk_decides(sqlite_db, desk_db, row.number, approve=False)
    svc.import_decision(sqlite_db, rejected.file_text(), actor="rep")
    assert quote_svc.get_quote(sqlite_db, row.id).status == "rejected"

    assert svc.approval_id_for(sqlite_db, row.number) is None
    state = svc.approval_state(sqlite_db, row.id)
    assert state.approval is None and state.rejection is not None
    code, out, err = run("approval", "status", row.number, "--db", str(tmp_path / "quotes.db"))
    assert code == 0, err
    assert "Approval in force: none" in out, out

    con = sqlite3.connect(tmp_path / "quotes.db")
    try:
        con.execute("UPDATE quote SET status = 'approved' WHERE number = ?", (row.number,))
        con.commit()
    finally:
        con.close()
    assert svc.approval_id_for(sqlite_db, row.number) is None
    assert svc.approval_holds(sqlite_db, [row.number]) == {row.number: False}


def test_a_new_version_supersedes_the_pending_request_of_the_one_before(
    tmp_path: Path, keys: Path, sqlite_db: Database, desk_db: Database
) -> None:
    """Walk (2026-12-02): version 1 asked for approval, then the rep saved version 2 ("the
    request will no longer apply", the editor warned). Before: the request stayed pending,
    so the Approvals page and `approval pending` listed version 1 to the deal desk, who
    could only be refused when deciding it. Now saving version 2 supersedes it: gone from
    the queue, refused as not pending, and the history says why."""
    name_the_seller(sqlite_db)
    row = new_quote(sqlite_db)
    asked = svc.request_approval(sqlite_db, row.number, actor="rep").value
    assert [r.request_id for r in svc.list_requests(sqlite_db)] == [asked.request_id]

    opened = quote_svc.get_quote(sqlite_db, row.id).version_id
    quote_svc.save_quote(sqlite_db, row.id, discounted("30"), expected_version=opened, actor="rep")

    assert svc.list_requests(sqlite_db) == []
    (kept,) = svc.list_requests(sqlite_db, status=None)
    assert kept.request_id == asked.request_id and kept.status == "superseded"
    events = quote_svc.audit_history(sqlite_db, row.id)
    superseded = [e for e in events if e["action"] == "approval_request_superseded"]
    assert len(superseded) == 1
    assert superseded[0]["details"]["by_version"] == 2
    assert superseded[0]["details"]["version"] == 1
    svc.create_key("dana", PASS)
    with pytest.raises(svc.RefusedError, match="superseded, not pending"):
        svc.decide(
            sqlite_db,
            asked.request_id,
            approve=True,
            key_name="dana",
            passphrase=PASS,
            actor="dana",
        )
    # Asking again asks for version 2.
    again = svc.request_approval(sqlite_db, row.number, actor="rep").value
    assert again.version == 2
    assert [r.request_id for r in svc.list_requests(sqlite_db)] == [again.request_id]


def test_a_second_request_on_an_approved_version_is_refused(
    tmp_path: Path,
    keys: Path,
    sqlite_db: Database,
    desk_db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Desk walk (h2): version 1 approved until a day; the rep ran `approval request` on it
    again by mistake. Before: the request was recorded, the quote went back to pending
    approval, `approval status` said "Approval in force: none" (the approval "replaced by
    the pending request") and the quote could no longer be sent. Now the request is
    refused with a sentence and the approval stays in force."""
    from .test_approvals import run

    name_the_seller(sqlite_db)
    row = new_quote(sqlite_db)
    svc.request_approval(sqlite_db, row.number, actor="rep")
    last = dt.date.today() + dt.timedelta(30)
    approved = desk_decides(sqlite_db, desk_db, row.number, expires=last)
    svc.import_decision(sqlite_db, approved.file_text(), actor="rep")
    monkeypatch.setenv(svc.KEYS_ENV, str(tmp_path / "rep-keys"))  # the rep's machine

    with pytest.raises(svc.RefusedError) as refused:
        svc.request_approval(sqlite_db, row.number, actor="rep")
    assert str(refused.value) == (
        f"{row.number} version 1 is already approved by Dana (deal desk) until "
        f"{last.isoformat()}; nothing to request"
    )
    code, out, err = run(
        "approval", "request", row.number, "--db", str(tmp_path / "quotes.db"), "--user", "rep"
    )
    assert code != 0 and "is already approved by Dana (deal desk)" in err, (out, err)
    assert "nothing to request" in err

    assert quote_svc.get_quote(sqlite_db, row.id).status == "approved"
    assert svc.list_requests(sqlite_db) == []  # nothing waits for the desk
    assert svc.approval_id_for(sqlite_db, row.number) == approved.decision_id
    state = svc.approval_state(sqlite_db, row.id)
    assert state.approval is not None and state.pending is None
    code, out, err = run("approval", "status", row.number, "--db", str(tmp_path / "quotes.db"))
    assert code == 0, err
    assert f"Approval in force: decision {approved.decision_id}" in out, out
    assert "replaced by the pending request" not in out


def test_an_approval_that_expired_may_be_asked_for_again(
    tmp_path: Path,
    keys: Path,
    sqlite_db: Database,
    desk_db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The refusal is only for an approval in force: once it has expired (the approval the
    rep would have renewed), asking again is a request as any other."""
    name_the_seller(sqlite_db)
    row = new_quote(sqlite_db)
    svc.request_approval(sqlite_db, row.number, actor="rep")
    approved = desk_decides(sqlite_db, desk_db, row.number, expires=dt.date.today())
    svc.import_decision(sqlite_db, approved.file_text(), actor="rep")
    monkeypatch.setenv(svc.KEYS_ENV, str(tmp_path / "rep-keys"))
    later = svc.utcnow() + dt.timedelta(days=2)
    monkeypatch.setattr(svc, "utcnow", lambda: later)
    assert svc.approval_id_for(sqlite_db, row.number) is None

    again = svc.request_approval(sqlite_db, row.number, actor="rep").value
    assert again.version == 1 and again.status == "pending"


@pytest.mark.parametrize("after", ["sent", "lost"])
def test_a_sent_or_lost_quote_is_not_sent_back_to_pending_approval(
    tmp_path: Path,
    keys: Path,
    sqlite_db: Database,
    desk_db: Database,
    monkeypatch: pytest.MonkeyPatch,
    after: str,
) -> None:
    """Walk (h2): version 1 approved and finalised (sent to the customer), or lost; the rep
    ran `approval request` on it. Before: a new request was recorded and the sent quote
    read "Pending approval" in the list (the prospect has the final PDF). Now it is
    refused as a status change is, and the quote keeps its status."""
    from quote_builder.services import lifecycle
    from tests.lifecycle_helpers import complete_customer, finalise

    name_the_seller(sqlite_db)
    row = new_quote(sqlite_db)
    complete_customer(sqlite_db, row.id)
    svc.request_approval(sqlite_db, row.number, actor="rep")
    approved = desk_decides(
        sqlite_db, desk_db, row.number, expires=dt.date.today() + dt.timedelta(30)
    )
    svc.import_decision(sqlite_db, approved.file_text(), actor="rep")
    if after == "sent":
        finalise(sqlite_db, quote_svc.get_quote(sqlite_db, row.id))
    else:
        current = quote_svc.get_quote(sqlite_db, row.id)
        lifecycle.mark_lost(
            sqlite_db,
            row.id,
            reason="competitor",
            expected_version=current.version_id,
            actor="rep",
        )
    assert quote_svc.get_quote(sqlite_db, row.id).status == after
    monkeypatch.setenv(svc.KEYS_ENV, str(tmp_path / "rep-keys"))

    with pytest.raises(svc.RefusedError) as refused:
        svc.request_approval(sqlite_db, row.number, actor="rep")
    assert str(refused.value).startswith(
        f"{row.number} is {after}: it cannot go back to pending approval"
    )
    assert quote_svc.get_quote(sqlite_db, row.id).status == after
    assert svc.list_requests(sqlite_db) == []
