"""Approvals end to end: request, the offline round trip between two databases, the
shared-database flow, and every way a decision is refused (each with an audit event)."""

from __future__ import annotations

import datetime as dt
import io
import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quote_builder.approvals import signing
from quote_builder.errors import Sentence
from quote_builder.services import approvals as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services.core import RefusedError
from quote_builder.services.documents import render_for_sending, render_saved_quote
from quote_builder.store.database import Database, open_database
from tests.documents.conftest import pdf_text

from .helpers import customer, document, name_the_seller

PASS = "deal desk passphrase"


@pytest.fixture
def keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "keys"
    monkeypatch.setenv(svc.KEYS_ENV, str(folder))
    return folder


@pytest.fixture
def desk_db(tmp_path: Path) -> Iterator[Database]:
    """The deal desk's own database, on another machine: no quotes, no customers."""
    database = open_database(str(tmp_path / "desk.db"))
    yield database
    database.close()


def discounted(percent: str = "24", **overrides: Any) -> Any:
    return document(discounts=[{"description": "Launch", "percent": percent}], **overrides)


def new_quote(db: Database, percent: str = "24") -> quote_svc.QuoteRow:
    customer(db)
    return quote_svc.create_quote(db, discounted(percent), actor="rep").value


def actions(db: Database, quote_id: int) -> list[str]:
    return [e["action"] for e in quote_svc.audit_history(db, quote_id)]


def refusals(db: Database) -> list[dict[str, Any]]:
    from quote_builder.store import repositories as repo

    with db.read() as session:
        return [
            json.loads(e.details_json)
            for e in repo.list_audit_events(session)
            if e.action == "approval_decision_refused"
        ]


def desk_decides(
    rep_db: Database,
    desk_db: Database,
    number: str,
    *,
    approve: bool = True,
    expires: dt.date | None = None,
    trust: bool = True,
) -> svc.DecisionInfo:
    """The offline round trip up to the signed decision file."""
    if not (svc.keys_dir() / "dana.key").exists():
        key = svc.create_key("dana", PASS)
    else:
        key = svc.KeyInfo(
            "dana",
            svc.keys_dir() / "dana.key",
            signing.public_key_from_text((svc.keys_dir() / "dana.pub").read_text()),
            "",
        )
    if trust and not svc.list_trusted_keys(rep_db):
        svc.add_trusted_key(rep_db, "Dana (deal desk)", key.public_line, actor="rep")
    request_file = svc.export_request(rep_db, number, actor="rep")
    request = svc.import_request(desk_db, request_file, actor="dana").value
    return svc.decide(
        desk_db,
        request.request_id,
        approve=approve,
        key_name="dana",
        passphrase=PASS,
        actor="dana",
        comment="Strategic logo" if approve else "Too deep",
        expires=expires,
        conditions=["Signed by 31 March"] if approve else [],
    ).value


def test_the_rep_sees_why_before_asking(db: Database) -> None:
    row = new_quote(db)
    evaluation = svc.evaluate_quote(db, row.number).evaluation
    assert evaluation.needed and evaluation.required_role == "deal_desk"
    assert evaluation.reasons == [
        "The effective discount is 24.00%, above the manager's 20% authority: "
        "the deal desk must approve."
    ]


def test_request_freezes_the_version_and_sets_pending(db: Database) -> None:
    row = new_quote(db)
    request = svc.request_approval(db, row.number, actor="rep").value
    assert request.version == 1 and request.status == "pending"
    assert request.version_hash == quote_svc.list_versions(db, row.id)[0].content_hash
    assert quote_svc.get_quote(db, row.id).status == "pending_approval"
    assert "approval_requested" in actions(db, row.id)
    # Asking again for the same version returns the same request.
    assert svc.request_approval(db, row.number, actor="rep").value.request_id == request.request_id


def test_a_quote_without_reasons_needs_no_request(db: Database) -> None:
    row = new_quote(db, "5")
    with pytest.raises(RefusedError, match="needs no approval"):
        svc.request_approval(db, row.number, actor="rep")


def test_round_trip_between_two_databases(
    db: Database, desk_db: Database, keys: Path, tmp_path: Path
) -> None:
    # A final order form names its provider: the seller's name is set before the request,
    # since the approval covers the customer's terms, the parties included.
    name_the_seller(db)
    row = new_quote(db)
    svc.request_approval(db, row.number, actor="rep")
    decision = desk_decides(db, desk_db, row.number, expires=dt.date.today() + dt.timedelta(30))
    assert decision.decision == "approved"
    # The private key is readable by its owner only.
    assert stat.S_IMODE((keys / "dana.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    desk_actions = [e.action for e in _events(desk_db)]
    assert desk_actions == ["approval_request_imported", "approval_decided"]

    # Before the import the quote renders as a draft.
    assert not render_saved_quote(db, row.number, kind="proposal").final
    imported = svc.import_decision(db, decision.file_text(), actor="rep").value
    assert imported.decision_id == decision.decision_id
    assert quote_svc.get_quote(db, row.id).status == "approved"
    assert actions(db, row.id)[-3:] == [
        "approval_requested",
        "approval_request_exported",
        "approval_imported",
    ]
    status = svc.approval_status(db, row.number)
    assert status.approval_id == decision.decision_id
    assert [d.conditions for d in status.decisions] == [["Signed by 31 March"]]

    # Approved but not sent: a render (the command line's, the preview, Export PDF) is a
    # draft whose reason names the command that makes the file to send; only Finalise
    # renders it final, then signs it and records it as sent. (Before, this render was
    # final: an unsigned copy that nothing recorded could pass for the offer.)
    unsent = render_saved_quote(db, row.number, kind="proposal")
    assert not unsent.final and unsent.request.approval_id is None
    assert isinstance(unsent.draft_reason, Sentence)
    assert unsent.draft_reason.code == "final.not_sent"
    assert f"{row.number} is approved but not sent" in unsent.draft_reason
    assert f"`deal finalise {row.number}`" in unsent.draft_reason
    unsent_pages = pdf_text(unsent.result.pdf, tmp_path)
    assert all("DRAFT – not the copy sent" in page for page in unsent_pages)
    rendered = render_saved_quote(db, row.number, kind="proposal", finalising=True)
    assert rendered.final and rendered.request.approval_id == decision.decision_id
    text = " ".join(pdf_text(rendered.result.pdf, tmp_path))
    assert decision.decision_id in text and "DRAFT" not in text
    sending = render_for_sending(db, row.number)
    assert sending.final and sending.request.approval_id == decision.decision_id

    # Editing the approved quote makes a new version: a draft that needs approval again.
    current = quote_svc.get_quote(db, row.id)
    quote_svc.save_quote(
        db,
        row.id,
        discounted(term_months=24, escalator_percent="3"),
        expected_version=current.version_id,
        actor="rep",
    )
    assert quote_svc.get_quote(db, row.id).status == "draft"
    assert svc.approval_id_for(db, row.number) is None


def _events(database: Database) -> list[Any]:
    from quote_builder.store import repositories as repo

    with database.read() as session:
        return list(repo.list_audit_events(session))


def test_a_rejection_comes_back_as_rejected(db: Database, desk_db: Database, keys: Path) -> None:
    row = new_quote(db)
    svc.request_approval(db, row.number, actor="rep")
    decision = desk_decides(db, desk_db, row.number, approve=False)
    svc.import_decision(db, decision.file_text(), actor="rep")
    assert quote_svc.get_quote(db, row.id).status == "rejected"


def test_shared_database_without_files(db: Database, keys: Path) -> None:
    row = new_quote(db)
    key = svc.create_key("dana", PASS)
    svc.request_approval(db, row.number, actor="rep")
    with pytest.raises(svc.UntrustedKeyError):  # only trusted approvers
        svc.decide(db, row.number, approve=True, key_name="dana", passphrase=PASS, actor="dana")
    svc.add_trusted_key(db, "Dana", key.public_line, actor="admin")
    decision = svc.decide(
        db, row.number, approve=True, key_name="dana", passphrase=PASS, actor="dana"
    ).value
    assert quote_svc.get_quote(db, row.id).status == "approved"
    assert svc.approval_id_for(db, row.number) == decision.decision_id
    assert "approval_decided" in actions(db, row.id)


def test_wrong_passphrase_is_a_clear_error(db: Database, keys: Path) -> None:
    row = new_quote(db)
    svc.create_key("dana", PASS)
    svc.request_approval(db, row.number, actor="rep")
    with pytest.raises(svc.KeyProblemError, match="wrong passphrase"):
        svc.decide(db, row.number, approve=True, key_name="dana", passphrase="nope-nope", actor="d")


def test_a_changed_request_file_is_refused(db: Database, desk_db: Database) -> None:
    row = new_quote(db)
    svc.request_approval(db, row.number, actor="rep")
    data = json.loads(svc.export_request(db, row.number, actor="rep"))
    data["document"]["discounts"][0]["percent"] = "5"
    with pytest.raises(svc.BadRequestFileError, match="does not match its version hash"):
        svc.import_request(desk_db, json.dumps(data), actor="dana")


# --- every refusal -------------------------------------------------------------------------


def _refused(
    db: Database, text: str, error: type[svc.DecisionRefusedError], match: str, **kw: Any
) -> None:
    before = len(refusals(db))
    with pytest.raises(error, match=match):
        svc.import_decision(db, text, actor="rep", **kw)
    after = refusals(db)
    assert len(after) == before + 1 and after[-1]["reason"] == error.code


def test_tampered_payload_bad_signature(db: Database, desk_db: Database, keys: Path) -> None:
    row = new_quote(db)
    svc.request_approval(db, row.number, actor="rep")
    data = json.loads(desk_decides(db, desk_db, row.number, approve=False).file_text())
    data["payload"]["decision"] = "approved"
    _refused(db, json.dumps(data), svc.BadSignatureError, "signature does not verify")
    assert quote_svc.get_quote(db, row.id).status == "pending_approval"
    assert "approval_decision_refused" in actions(db, row.id)


def test_untrusted_key(db: Database, desk_db: Database, keys: Path) -> None:
    row = new_quote(db)
    svc.request_approval(db, row.number, actor="rep")
    decision = desk_decides(db, desk_db, row.number, trust=False)
    _refused(db, decision.file_text(), svc.UntrustedKeyError, "does not trust")
    assert quote_svc.get_quote(db, row.id).status == "pending_approval"


def test_other_quote(db: Database, desk_db: Database, keys: Path) -> None:
    row = new_quote(db)
    request = svc.request_approval(db, row.number, actor="rep").value
    decision = desk_decides(db, desk_db, row.number)
    # A correctly signed decision naming another quote for this request.
    payload = {**decision.payload, "quote_number": "Q-2099-0001", "decision_id": "x-1"}
    signed = _sign(payload, keys)
    _refused(db, signed, svc.WrongQuoteError, "is for quote Q-2099-0001")
    # A decision answering a request this database never made (another rep's quote).
    payload = {**decision.payload, "request_id": "f" * 36, "decision_id": "x-2"}
    _refused(db, _sign(payload, keys), svc.UnknownRequestError, "not made from this database")
    assert request.status == "pending"
    assert quote_svc.get_quote(db, row.id).status == "pending_approval"


def _sign(payload: dict[str, Any], keys: Path) -> str:
    pem = (keys / "dana.key").read_bytes()
    signature = signing.sign(payload, pem, PASS)
    return json.dumps(
        {"format": svc.DECISION_FILE_FORMAT, "payload": payload, "signature": signature}
    )


def test_other_version_after_an_edit(db: Database, desk_db: Database, keys: Path) -> None:
    row = new_quote(db)
    svc.request_approval(db, row.number, actor="rep")
    decision = desk_decides(db, desk_db, row.number)
    current = quote_svc.get_quote(db, row.id)
    quote_svc.save_quote(
        db, row.id, discounted("30"), expected_version=current.version_id, actor="rep"
    )
    _refused(db, decision.file_text(), svc.WrongVersionError, "changed after approval")
    assert quote_svc.get_quote(db, row.id).status == "draft"
    assert not render_saved_quote(db, row.number, kind="proposal").final


def test_expired(db: Database, desk_db: Database, keys: Path) -> None:
    row = new_quote(db)
    svc.request_approval(db, row.number, actor="rep")
    decision = desk_decides(db, desk_db, row.number, expires=dt.date.today())
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    _refused(db, decision.file_text(), svc.ExpiredDecisionError, "expired", now=later)


def test_replayed_decision_id(db: Database, desk_db: Database, keys: Path) -> None:
    """The very decision file imported again on the version it decided is no replay: it
    says it is already recorded and changes nothing. The same decision on the quote after
    it changed, or a differently signed payload under the same decision id, is refused as
    used before."""
    row = new_quote(db)
    svc.request_approval(db, row.number, actor="rep")
    decision = desk_decides(db, desk_db, row.number)
    first = svc.import_decision(db, decision.file_text(), actor="rep").value
    assert first.already_recorded_at is None
    history, before = actions(db, row.id), len(refusals(db))
    again = svc.import_decision(db, decision.file_text(), actor="rep").value
    assert again.already_recorded_at is not None and again.version == 1
    assert again.decision == "approved" and again.decision_id == first.decision_id
    assert actions(db, row.id) == history and len(refusals(db)) == before
    assert quote_svc.get_quote(db, row.id).status == "approved"
    # The same decision id, another signed payload (a comment changed, signed again).
    other = {**decision.payload, "comment": "changed by hand"}
    _refused(db, _sign(other, keys), svc.ReplayedDecisionError, "already used")
    # The quote changed since: the decision is not re-used on the new version.
    current = quote_svc.get_quote(db, row.id)
    quote_svc.save_quote(
        db, row.id, discounted("30"), expected_version=current.version_id, actor="rep"
    )
    _refused(db, decision.file_text(), svc.ReplayedDecisionError, "already used")
    assert quote_svc.get_quote(db, row.id).status == "draft"


def test_malformed_file(db: Database) -> None:
    _refused(db, "{not json", svc.MalformedDecisionError, "not JSON")


def test_expiry_in_the_past_is_refused_when_deciding(
    db: Database, desk_db: Database, keys: Path
) -> None:
    from quote_builder.services.core import InvalidInputError

    row = new_quote(db)
    svc.request_approval(db, row.number, actor="rep")
    with pytest.raises(InvalidInputError, match="in the past"):
        desk_decides(db, desk_db, row.number, expires=dt.date.today() - dt.timedelta(1))


# --- command line --------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    from quote_builder.cli import main

    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_cli_round_trip(
    tmp_path: Path, keys: Path, monkeypatch: pytest.MonkeyPatch, sqlite_db: Database
) -> None:
    monkeypatch.setenv("DESK_PASS", PASS)
    rep, desk = str(tmp_path / "quotes.db"), str(tmp_path / "desk-cli.db")
    row = new_quote(sqlite_db)
    code, out, err = run("approval", "keygen", "dana", "--passphrase-env", "DESK_PASS")
    assert code == 0, err
    assert "Fingerprint" in out
    code, out, err = run("approval", "trust", str(keys / "dana.pub"), "--name", "Dana", "--db", rep)
    assert code == 0 and "Trusted Dana's key" in out, err
    request_file, decision_file = tmp_path / "req.json", tmp_path / "dec.json"
    # The rep asks from their own machine: Dana's key is not in the rep's key folder (a
    # key on the requesting machine may not approve the request).
    monkeypatch.setenv(svc.KEYS_ENV, str(tmp_path / "rep-keys"))
    code, out, err = run(
        "approval", "request", row.number, "-o", str(request_file), "--db", rep, "--user", "rep"
    )
    assert code == 0, err
    assert "above the manager's 20% authority" in out
    monkeypatch.setenv(svc.KEYS_ENV, str(keys))
    code, out, err = run(
        "approval",
        "decide",
        str(request_file),
        "--approve",
        "--key",
        "dana",
        "--passphrase-env",
        "DESK_PASS",
        "--comment",
        "ok",
        "--expires",
        (dt.date.today() + dt.timedelta(days=10)).isoformat(),
        "-o",
        str(decision_file),
        "--db",
        desk,
        "--create",  # the deal desk's first run on its own database file
        "--user",
        "dana",  # the requester ("rep") may not decide their own request
    )
    assert code == 0, err
    assert f"{row.number} version 1: approved by" in out
    code, out, err = run("approval", "import", str(decision_file), "--db", rep)
    assert code == 0 and "is now approved" in out, err
    code, out, err = run("approval", "import", str(decision_file), "--db", rep)
    assert code == 0 and err == "", err
    assert out.startswith(f"This decision is already recorded on version 1 of {row.number} ")
    assert "approved, decision" in out and out.rstrip().endswith("nothing changed.")
    code, out, err = run("approval", "status", row.number, "--db", rep)
    assert code == 0 and "Approval in force: decision" in out


def test_cli_writes_the_reasons_percents_as_the_app_does(
    tmp_path: Path, keys: Path, monkeypatch: pytest.MonkeyPatch, sqlite_db: Database
) -> None:
    """The policy's English reason says "24.00%" (kept so in the stored request); every
    approval command prints it as the app's formatter writes it: 24%, and 20.01% where the
    discount has real decimals."""
    rep = str(tmp_path / "quotes.db")
    row = new_quote(sqlite_db)
    code, out, err = run("approval", "status", row.number, "--db", rep)
    assert code == 0, err
    assert "  - The effective discount is 24%, above the manager's 20% authority" in out
    assert "24.00%" not in out
    request_file = tmp_path / "req.json"
    code, out, err = run(
        "approval", "request", row.number, "-o", str(request_file), "--db", rep, "--user", "rep"
    )
    assert code == 0, err
    assert "  - The effective discount is 24%, above the manager's 20% authority" in out
    assert "24.00%" in json.loads(request_file.read_text())["reasons"][0]  # as stored
    monkeypatch.setenv("DESK_PASS", PASS)
    code, out, err = run(
        "approval",
        "decide",
        str(request_file),
        "--reject",
        "--key",
        "nobody",
        "--passphrase-env",
        "DESK_PASS",
        "--db",
        str(tmp_path / "desk.db"),
        "--create",
        "--user",
        "dana",
    )
    assert "  - The effective discount is 24%, above the manager's 20% authority" in out
    assert "24.00%" not in out + err
    other = quote_svc.create_quote(sqlite_db, discounted("20.01"), actor="rep").value
    code, out, err = run("approval", "status", other.number, "--db", rep)
    assert "The effective discount is 20.01%, above the manager's 20% authority" in out


def test_approved_by_hand_without_a_decision_renders_as_a_draft(db: Database) -> None:
    from sqlalchemy import text

    from quote_builder.services.core import InvalidInputError

    row = new_quote(db)
    # The service refuses approval statuses outside the approval steps...
    with pytest.raises(InvalidInputError, match="only from the approval steps"):
        quote_svc.set_status(db, row.id, "approved", expected_version=row.version_id, actor="rep")
    # ...and a status set with SQL still renders as a draft: no signed decision.
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE quote SET status = 'approved' WHERE id = :id"), {"id": row.id}
        )
    rendered = render_saved_quote(db, row.number, kind="proposal")
    assert not rendered.final and rendered.request.approval_id is None
    assert "needs approval and holds no valid signed approval" in rendered.draft_reason


def test_upgrade_from_0002_gives_the_policy_defaults(tmp_path: Path) -> None:
    from sqlalchemy import text

    from quote_builder.store import database as dbmod
    from quote_builder.store.migrations import upgrade

    path = tmp_path / "old.db"
    old = Database(f"sqlite:///{path}", dbmod.make_engine(f"sqlite:///{path}"))
    upgrade(old, "0002")
    with old.engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO settings (id, discount_authority_json, version_id, updated_at)"
                " VALUES (1, '{\"rep\": \"15\"}', 1, '2026-01-01 00:00:00')"
            )
        )
    old.close()
    reopened = open_database(str(path))
    policy = svc.current_policy(reopened)
    assert policy.max_term_months == 36 and policy.max_payment_terms_days == 30
    assert str(policy.min_escalator_percent) == "3" and policy.discount_authority["rep"] == 15
    reopened.close()
