"""An approval forged by editing the SQLite file by hand (walk 1): the quote's status set
to approved and a decision row copied from an earlier version's approval. The app never
took it for an approval (no final PDF, Finalise off), but `approval status` said
"version 2: approved" and listed the copy as a History line like any other, so whoever
read it had no way to tell that the approval shown does not hold."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from quote_builder.services import approvals as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.store.database import Database

from .helpers import name_the_seller
from .test_approvals import desk_db, desk_decides, discounted, keys, new_quote, run

__all__ = ["desk_db", "keys"]  # the fixtures of test_approvals, used here


def _unwrapped(out: str) -> str:
    """The command's output with each line's continuation lines (wrapped to fit an
    80-column terminal, indented) joined back onto it."""
    lines: list[str] = []
    for line in out.splitlines():
        if line.startswith(" ") and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def _forge(path: Path, number: str) -> str:
    """What someone with sqlite3 does: the latest version's request marked approved, a
    decision row copied from version 1's (its signature too) and pointed at version 2, the
    quote's status set to approved. Returns the forged decision's id."""
    con = sqlite3.connect(path)
    try:
        (quote_id,) = con.execute("SELECT id FROM quote WHERE number = ?", (number,)).fetchone()
        (v2_hash,) = con.execute(
            "SELECT content_hash FROM quote_version WHERE quote_id = ? AND number = 2",
            (quote_id,),
        ).fetchone()
        request_id, request_uid = con.execute(
            "SELECT id, request_uid FROM approval_request WHERE quote_id = ? AND version_number = 2",
            (quote_id,),
        ).fetchone()
        row = con.execute(
            "SELECT payload_json, signature, approver_name, approver_fingerprint, imported_at, "
            "statement_signature FROM approval_decision ORDER BY id LIMIT 1"
        ).fetchone()
        payload = json.loads(row[0])
        forged = str(uuid.uuid4())
        payload.update(version=2, version_hash=v2_hash, request_id=request_uid, decision_id=forged)
        con.execute(
            "INSERT INTO approval_decision (decision_uid, request_id, decision, payload_json, "
            "signature, approver_name, approver_fingerprint, imported_at, statement_signature) "
            "VALUES (?, ?, 'approved', ?, ?, ?, ?, ?, ?)",
            (forged, request_id, json.dumps(payload, sort_keys=True), *row[1:]),
        )
        con.execute("UPDATE approval_request SET status = 'approved' WHERE id = ?", (request_id,))
        con.execute("UPDATE quote SET status = 'approved' WHERE id = ?", (quote_id,))
        con.commit()
    finally:
        con.close()
    return forged


def test_a_decision_row_forged_by_hand_is_shown_as_not_counting(
    tmp_path: Path, keys: Path, sqlite_db: Database, desk_db: Database
) -> None:
    name_the_seller(sqlite_db)
    row = new_quote(sqlite_db)
    svc.request_approval(sqlite_db, row.number, actor="rep")
    decision = desk_decides(
        sqlite_db, desk_db, row.number, expires=dt.date.today() + dt.timedelta(30)
    )
    svc.import_decision(sqlite_db, decision.file_text(), actor="rep")
    # Version 2 (a deeper discount) asks again; someone forges its approval by hand.
    opened = quote_svc.get_quote(sqlite_db, row.id).version_id
    quote_svc.save_quote(sqlite_db, row.id, discounted("30"), expected_version=opened, actor="rep")
    svc.request_approval(sqlite_db, row.number, actor="rep")
    forged = _forge(tmp_path / "quotes.db", row.number)

    status = svc.approval_status(sqlite_db, row.number)
    assert status.approval_id is None
    assert "signature does not verify" in status.not_counted[forged]

    code, out, err = run("approval", "status", row.number, "--db", str(tmp_path / "quotes.db"))
    assert code == 0, err
    out = _unwrapped(out)
    assert (
        f"{row.number} version 2: Approved (but no approval of this version holds: see "
        "History; ask for approval again)"
    ) in out
    assert "Approval in force: none" in out
    history = next(line for line in out.splitlines() if line.startswith("History: version 2"))
    assert f"(decision {forged}): does not count, the decision's signature does not verify" in (
        history
    )


def test_a_decision_row_quote_builder_did_not_write_is_no_traceback(
    tmp_path: Path, sqlite_db: Database
) -> None:
    """Before: a decision row added by hand whose payload holds only the version's hash
    (no approver) made `approval status` and `render` stop with KeyError: 'approver'."""
    name_the_seller(sqlite_db)
    row = new_quote(sqlite_db)
    request = svc.request_approval(sqlite_db, row.number, actor="rep").value
    con = sqlite3.connect(tmp_path / "quotes.db")
    try:
        (request_id,) = con.execute(
            "SELECT id FROM approval_request WHERE request_uid = ?", (request.request_id,)
        ).fetchone()
        con.execute(
            "INSERT INTO approval_decision (decision_uid, request_id, decision, payload_json, "
            "signature, approver_name, approver_fingerprint, imported_at) "
            "VALUES ('forged', ?, 'approved', ?, 'x', 'Dana', 'ab', '2026-12-01 10:00:00')",
            (request_id, json.dumps({"version_hash": request.version_hash})),
        )
        con.execute("UPDATE quote SET status = 'approved' WHERE id = ?", (row.id,))
        con.commit()
    finally:
        con.close()

    assert svc.approval_id_for(sqlite_db, row.number) is None
    code, out, err = run("approval", "status", row.number, "--db", str(tmp_path / "quotes.db"))
    assert code == 0, err
    out = _unwrapped(out)
    assert (
        "(decision forged): does not count, its stored record is not a decision Quote Builder wrote"
    ) in out
    code, out, err = run(
        "render", row.number, "-o", str(tmp_path / "q.pdf"), "--db", str(tmp_path / "quotes.db")
    )
    assert code == 0, err
    assert "DRAFT watermark" in out + err


def test_a_decision_row_copied_unchanged_to_another_quote_is_shown_as_not_counting(
    tmp_path: Path, keys: Path, sqlite_db: Database, desk_db: Database
) -> None:
    """Before: another quote's decision row copied as it is (payload and signature; only
    the row's id is new, the column is unique) under this quote's request was listed as
    'History: version 1 approved by ... (decision <the other quote's id>)' with no word
    that it does not count: the line named the payload's id, the check the row's."""
    name_the_seller(sqlite_db)
    first = new_quote(sqlite_db)
    svc.request_approval(sqlite_db, first.number, actor="rep")
    decision = desk_decides(
        sqlite_db, desk_db, first.number, expires=dt.date.today() + dt.timedelta(30)
    )
    svc.import_decision(sqlite_db, decision.file_text(), actor="rep")
    second = quote_svc.create_quote(sqlite_db, discounted("24"), actor="rep").value
    request = svc.request_approval(sqlite_db, second.number, actor="rep").value
    con = sqlite3.connect(tmp_path / "quotes.db")
    try:
        (request_id,) = con.execute(
            "SELECT id FROM approval_request WHERE request_uid = ?", (request.request_id,)
        ).fetchone()
        con.execute(
            "INSERT INTO approval_decision (decision_uid, request_id, decision, payload_json, "
            "signature, approver_name, approver_fingerprint, imported_at, statement_signature) "
            "SELECT 'copied', ?, decision, payload_json, signature, approver_name, "
            "approver_fingerprint, imported_at, statement_signature FROM approval_decision",
            (request_id,),
        )
        con.execute("UPDATE approval_request SET status = 'approved' WHERE id = ?", (request_id,))
        con.execute("UPDATE quote SET status = 'approved' WHERE number = ?", (second.number,))
        con.commit()
    finally:
        con.close()

    assert svc.approval_id_for(sqlite_db, second.number) is None
    code, out, err = run("approval", "status", second.number, "--db", str(tmp_path / "quotes.db"))
    assert code == 0, err
    out = _unwrapped(out)
    history = [line for line in out.splitlines() if line.startswith("History:")]
    assert history, out
    assert all("does not count" in line for line in history), out


@pytest.mark.parametrize("column", ["reasons_json", "requester_keys_json", "summary_json"])
def test_a_request_row_edited_by_hand_into_not_json_is_a_sentence(
    tmp_path: Path, sqlite_db: Database, column: str
) -> None:
    """The adversarial campaign: one approval request's row edited with sqlite3 so that a
    JSON column is no longer JSON made `approval pending` (the deal desk's whole list) and
    `approval status` end in a JSONDecodeError traceback. It is a sentence naming the
    request's quote and version, with status 2."""
    name_the_seller(sqlite_db)
    row = new_quote(sqlite_db)
    svc.request_approval(sqlite_db, row.number, actor="rep")
    con = sqlite3.connect(tmp_path / "quotes.db")
    try:
        con.execute(f"UPDATE approval_request SET {column} = '[x'")
        con.commit()
    finally:
        con.close()
    for argv in (("approval", "pending"), ("approval", "status", row.number)):
        code, out, err = run(*argv, "--db", str(tmp_path / "quotes.db"))
        assert code == 2, (argv, out, err)
        assert err.startswith(
            f"The approval request for {row.number} version 1 is not JSON in the database "
            "(line 1, column 2: Expecting value); it was changed outside Quote Builder"
        ), err
        assert "Traceback" not in err


def test_a_decision_row_edited_by_hand_is_not_written_again_as_a_file(
    tmp_path: Path, keys: Path, sqlite_db: Database, desk_db: Database
) -> None:
    """The adversarial campaign: a stored decision's payload edited with sqlite3 into
    something that is not JSON made `approval export-decision` end in a JSONDecodeError
    traceback. It is refused with a sentence, status 2, and no file is written."""
    name_the_seller(sqlite_db)
    row = new_quote(sqlite_db)
    svc.request_approval(sqlite_db, row.number, actor="rep")
    decision = desk_decides(sqlite_db, desk_db, row.number)
    svc.import_decision(sqlite_db, decision.file_text(), actor="rep")
    code, _out, err = run(
        "approval", "export-decision", row.number, "-o", str(tmp_path / "first.json"),
        "--db", str(tmp_path / "quotes.db"),
    )  # fmt: skip
    assert code == 0, err  # as stored, it is written again
    con = sqlite3.connect(tmp_path / "quotes.db")
    try:
        con.execute("DROP TRIGGER approval_decision_no_update")  # round the guard
        con.execute("UPDATE approval_decision SET payload_json = '{x'")
        con.commit()
    finally:
        con.close()
    out_file = tmp_path / "again.json"
    code, out, err = run(
        "approval", "export-decision", row.number, "-o", str(out_file),
        "--db", str(tmp_path / "quotes.db"),
    )  # fmt: skip
    assert code == 2, (out, err)
    assert "cannot be written to a file: its stored record is not a decision Quote Builder" in err
    assert not out_file.exists()
