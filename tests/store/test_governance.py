"""Issue 14: governance that holds on a rep's own laptop. The organisation's signed policy
governs; every refusal is tested: self-approval, an approver outside the policy,
authority exceeded, an expired or replaced policy, a forged or edited policy, a governed
setting changed with SQL, and the request file's policy never trusted as written."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from quote_builder.approvals import signing
from quote_builder.services import approvals as svc
from quote_builder.services import keys as key_svc
from quote_builder.services import policy as policy_svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services.core import InvalidInputError, RefusedError
from quote_builder.services.documents import render_saved_quote
from quote_builder.services.settings import get_settings, update_settings
from quote_builder.store.database import Database, open_database
from tests.lifecycle_helpers import finalise

from .governance_helpers import PASS, TODAY, Org, make_org
from .helpers import customer, document, name_the_seller


@pytest.fixture
def org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Org:
    return make_org(tmp_path, monkeypatch)


@pytest.fixture
def desk_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "desk.db"))
    yield database
    database.close()


def quote(db: Database, percent: str = "24", **overrides: Any) -> quote_svc.QuoteRow:
    customer(db)
    doc = document(discounts=[{"description": "Launch", "percent": percent}], **overrides)
    return quote_svc.create_quote(db, doc, actor="rick").value


def refusals(db: Database) -> list[str]:
    from quote_builder.store import repositories as repo

    with db.read() as session:
        return [
            json.loads(e.details_json)["reason"]
            for e in repo.list_audit_events(session)
            if e.action == "approval_decision_refused"
        ]


def decide(
    db: Database, org: Org, number: str, key: str, *, actor: str, approve: bool = True, **kw: Any
) -> svc.DecisionInfo:
    with org.on_desk():
        return svc.decide(
            db,
            number,
            approve=approve,
            key_name=key,
            passphrase=PASS,
            actor=actor,
            comment=kw.pop("comment", "ok" if approve else "no"),
            **kw,
        ).value


# --- installing a policy ---------------------------------------------------------------------


def test_install_governs_the_settings_and_shows_where_they_come_from(
    db: Database, org: Org
) -> None:
    policy = policy_svc.install_policy(db, org.bundle(margin_floor_percent="55"), actor="it").value
    settings = get_settings(db)
    assert settings.policy_label == policy.label and policy.short in settings.policy_label
    assert "signed by Acme Analytics until" in settings.policy_label
    assert str(settings.margin_floor_percent) == "55" and not settings.drift
    assert svc.current_policy(db).margin_floor_percent == 55
    # A governed number cannot be changed in the settings...
    with pytest.raises(InvalidInputError) as caught:
        update_settings(
            db,
            expected_version=settings.version_id,
            actor="rick",
            margin_floor_percent="10",
            discount_authority={"rep": "100", "manager": "100", "deal_desk": "100"},
        )
    assert "Margin floor: set by the organisation's policy" in str(caught.value)
    assert "Discount authority: set by the organisation's policy" in str(caught.value)
    # ...while the rest of the form saves, with the governed fields as they are.
    saved = update_settings(
        db,
        expected_version=settings.version_id,
        actor="rick",
        seller_name="Acme",
        margin_floor_percent="55",
    ).value
    assert saved.seller_name == "Acme" and str(saved.margin_floor_percent) == "55"


def test_newer_replaces_older_and_foreign_are_refused(db: Database, org: Org) -> None:
    bundle = org.bundle(serial=1)
    first = policy_svc.install_policy(db, bundle, actor="it").value
    with pytest.raises(RefusedError, match="already installed"):
        policy_svc.install_policy(db, bundle, actor="it")
    with pytest.raises(policy_svc.OlderPolicyError, match="serial 1, not newer"):
        policy_svc.install_policy(db, org.bundle(serial=1), actor="it")  # signed again
    second = policy_svc.install_policy(
        db, org.bundle(serial=2, margin_floor_percent="65"), actor="it"
    ).value
    assert policy_svc.installed_policy(db) == second and second.fingerprint != first.fingerprint
    assert svc.current_policy(db).margin_floor_percent == 65
    with pytest.raises(policy_svc.OlderPolicyError, match="serial 1, not newer than .* serial 2"):
        policy_svc.install_policy(db, org.bundle(serial=1, margin_floor_percent="5"), actor="it")
    # A rep's own "organisation" key: refused once the real one is installed.
    key_svc.create_key("rick-org", PASS, directory=org.desk_keys)
    with pytest.raises(policy_svc.ForeignPolicyError, match="another organisation key"):
        policy_svc.install_policy(db, org.bundle("rick-org", serial=9), actor="rick")
    assert policy_svc.installed_policy(db) == second
    assert [h.serial for h in policy_svc.policy_status(db).history] == [1, 2]


def test_a_changed_bundle_file_is_refused_at_install(db: Database, org: Org) -> None:
    data = json.loads(org.bundle())
    data["rules"]["margin_floor_percent"] = "5"
    with pytest.raises(policy_svc.PolicyFileError, match="rules do not match"):
        policy_svc.install_policy(db, json.dumps(data), actor="rick")
    data = json.loads(org.bundle())
    data["rules"]["discount_authority"]["rep"]["percent"] = "100"
    with pytest.raises(policy_svc.PolicyFileError, match="rules do not match"):
        policy_svc.install_policy(db, json.dumps(data), actor="rick")
    data = json.loads(org.bundle())
    data["header"]["authority_commitments"]["rep"] = "0" * 64
    with pytest.raises(policy_svc.PolicyFileError, match="signature does not verify"):
        policy_svc.install_policy(db, json.dumps(data), actor="rick")
    assert policy_svc.installed_policy(db) is None


def test_settings_changed_with_sql_are_not_policy(db: Database, org: Org) -> None:
    policy_svc.install_policy(db, org.bundle(), actor="it")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE settings SET margin_floor_percent = '10', "
                'discount_authority_json = \'{"rep": "100", "manager": "100", '
                '"deal_desk": "100"}\''
            )
        )
    policy = svc.current_policy(db)  # from the verified bundle, not the columns
    assert policy.margin_floor_percent == 60 and policy.discount_authority["rep"] == 10
    settings = get_settings(db)
    assert str(settings.margin_floor_percent) == "60"
    assert settings.discount_authority()["rep"] == 10
    assert any(
        d.startswith("Margin floor: the database says 10, the policy 60") for d in settings.drift
    )
    assert any(d.startswith("Discount authority:") for d in settings.drift)
    row = quote(db, "15")  # above the rep's real 10 %: still needs approval
    assert svc.evaluate_quote(db, row.number).evaluation.required_role == "manager"


def test_a_governed_setting_edited_by_hand_into_not_a_number_is_listed_not_a_traceback(
    db: Database, org: Org
) -> None:
    """The adversarial campaign: the discount authority edited with SQL into something that
    is not JSON (or not numbers) made every command that reads the settings, `quotes list`
    among them, end in a traceback. Under a policy it is listed as drift, shown as it is,
    and the policy's value counts; without one it is a sentence naming the setting."""
    from quote_builder.ui.service_words import text as ui_text

    policy_svc.install_policy(db, org.bundle(), actor="it")
    row = quote(db, "15")
    for stored in ("{x", '{"rep": "abc"}', "[1]"):
        with db.engine.begin() as connection:
            connection.execute(
                text("UPDATE settings SET discount_authority_json = :v"), {"v": stored}
            )
        settings = get_settings(db)
        assert settings.discount_authority()["rep"] == 10
        assert f"Discount authority: the database says {stored!r}, the policy" in " ".join(
            settings.drift
        )
        shown = [ui_text(d) for d in settings.drift]  # the Settings page's words
        assert any(repr(stored) in line for line in shown), shown
        assert svc.evaluate_quote(db, row.number).evaluation.required_role == "manager"


def test_a_setting_edited_by_hand_without_a_policy_is_a_sentence(db: Database) -> None:
    from quote_builder.errors import UserFacingError
    from quote_builder.services.settings import settings_policy

    name_the_seller(db)  # the settings row exists
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE settings SET discount_authority_json = '{x'"))
    with pytest.raises(InvalidInputError, match=r"^Discount authority: the database holds '\{x'"):
        settings_policy(db)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE settings SET margin_floor_percent = 'abc'"))
    with pytest.raises(UserFacingError, match="the database holds 'abc' where a number belongs"):
        get_settings(db)


def test_the_bundle_rows_are_append_only(db: Database, org: Org) -> None:
    from sqlalchemy.exc import DBAPIError

    policy_svc.install_policy(db, org.bundle(), actor="it")
    for statement in ("UPDATE policy_bundle SET rules_json = '{}'", "DELETE FROM policy_bundle"):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text(statement))


def test_a_bundle_edited_with_sql_stops_approvals(sqlite_db: Database, org: Org) -> None:
    db = sqlite_db
    policy_svc.install_policy(db, org.bundle(), actor="it")
    row = quote(db, "5")
    with db.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER policy_bundle_no_update"))
        rules = json.loads(
            connection.execute(text("SELECT rules_json FROM policy_bundle")).scalar_one()
        )
        rules["margin_floor_percent"] = "0"
        connection.execute(
            text("UPDATE policy_bundle SET rules_json = :r"), {"r": json.dumps(rules)}
        )
    with pytest.raises(policy_svc.PolicyTamperedError, match="changed outside Quote Builder"):
        svc.current_policy(db)
    settings = get_settings(db)
    assert "fails its check" in settings.policy_problem
    with pytest.raises(policy_svc.PolicyTamperedError):
        svc.request_approval(db, row.number, actor="rick")
    with pytest.raises(InvalidInputError, match="Margin floor: governed by the organisation"):
        update_settings(
            db, expected_version=settings.version_id, actor="r", margin_floor_percent="0"
        )
    state = svc.approval_state(db, row.id)
    assert state.problem and not state.can_request


def test_a_forged_row_inserted_with_sql_stops_approvals(db: Database, org: Org) -> None:
    policy_svc.install_policy(db, org.bundle(), actor="it")
    with db.engine.begin() as connection:
        original = connection.execute(
            text("SELECT header_json, signature, rules_json, org_fingerprint FROM policy_bundle")
        ).one()
        header = json.loads(original[0])
        header["serial"] = 2
        header["authority_commitments"]["rep"] = "0" * 64
        forged = json.dumps(header)
        connection.execute(
            text(
                "INSERT INTO policy_bundle (fingerprint, serial, organisation, org_fingerprint, "
                "header_json, signature, rules_json, installed_by, installed_at) VALUES "
                "(:f, 2, 'Acme Analytics', :o, :h, :s, :r, 'rick', :t)"
            ),
            {
                "f": "f" * 64,
                "o": original[3],
                "h": forged,
                "s": original[1],
                "r": original[2],
                "t": "2026-01-01 00:00:00",
            },
        )
    with pytest.raises(policy_svc.PolicyTamperedError, match="signature does not verify"):
        svc.current_policy(db)


def test_trusting_a_key_by_hand_is_gone_with_a_policy(db: Database, org: Org) -> None:
    policy_svc.install_policy(db, org.bundle(), actor="it")
    mine = key_svc.create_key("rick", PASS)
    with pytest.raises(svc.TrustRefusedError, match="decides who approves here"):
        svc.add_trusted_key(db, "Rick", mine.public_line, actor="rick")
    view = svc.list_approvers(db)
    assert view.verified and [a.name for a in view.approvers] == ["Dana Whitfield", "Max Moreno"]


# --- who may approve (shared database) ---------------------------------------------------------


def test_the_rep_cannot_approve_with_a_key_of_their_own(db: Database, org: Org) -> None:
    """Issue 14's reproduction: the rep makes a key and approves their own 15 %."""
    policy_svc.install_policy(db, org.bundle(), actor="it")
    row = quote(db, "15")
    svc.request_approval(db, row.number, actor="rick")
    key_svc.create_key("rick-approver", PASS)
    with pytest.raises(svc.NotAnApproverError, match="not an approver in the organisation's"):
        svc.decide(
            db, row.number, approve=True, key_name="rick-approver", passphrase=PASS, actor="rick"
        )
    assert quote_svc.get_quote(db, row.id).status == "pending_approval"
    assert refusals(db) == ["not_in_policy"]


def test_the_requester_cannot_approve_whatever_key_they_hold(db: Database, org: Org) -> None:
    policy_svc.install_policy(db, org.bundle(), actor="it")
    # 1. Max (a manager who also sells) asks, then decides with his own key.
    row = quote(db, "15")
    svc.request_approval(db, row.number, actor="Max Moreno")
    with pytest.raises(svc.SelfApprovalError, match="Max Moreno asked for this approval"):
        decide(db, org, row.number, "max", actor="max")
    # 2. Rick asks, then decides himself with Dana's key (copied from her laptop).
    other = quote_svc.create_quote(
        db, document(discounts=[{"description": "x", "percent": "15"}]), actor="rick"
    ).value
    svc.request_approval(db, other.number, actor="rick")
    with pytest.raises(
        svc.SelfApprovalError, match="rick asked for this approval and cannot decide"
    ):
        decide(db, org, other.number, "dana", actor=" Rick ")
    assert refusals(db) == ["self_approval", "self_approval"]
    # Another approver may.
    assert decide(db, org, row.number, "dana", actor="dana").approver_name == "Dana Whitfield"
    assert quote_svc.get_quote(db, row.id).status == "approved"


@pytest.mark.parametrize(
    ("requester", "refused"),
    [
        ("Dana Whitfield\u200b", "contains an invisible character, U+200B (ZERO WIDTH SPACE)"),
        ("Dan\u0430 Whitfield", "mixes Latin and Cyrillic letters in 'Danа'"),
    ],
)
def test_a_name_that_only_looks_different_cannot_approve_its_own_request(
    db: Database, org: Org, requester: str, refused: str
) -> None:
    """The fault campaign asked as 'Dana Whitfield' with a zero-width space (or a Cyrillic
    "а") and approved as 'Dana Whitfield': the name is refused when it asks, and a request
    recorded under such a name (an older version, another machine's file) is still Dana's."""
    policy_svc.install_policy(db, org.bundle(), actor="it")
    row = quote(db, "24")
    with pytest.raises(InvalidInputError, match=re.escape(refused)):
        svc.request_approval(db, row.number, actor=requester)
    assert quote_svc.get_quote(db, row.id).status == "draft"
    svc.request_approval(db, row.number, actor="rick")
    with db.write() as session:  # as an older version recorded it
        session.execute(
            text("UPDATE approval_request SET requested_by = :name"), {"name": requester}
        )
    with pytest.raises(svc.SelfApprovalError, match="asked for this approval and cannot approve"):
        decide(db, org, row.number, "dana", actor="Dana Whitfield")
    with pytest.raises(InvalidInputError, match=re.escape(refused)):
        decide(db, org, row.number, "max", actor=requester)
    assert quote_svc.get_quote(db, row.id).status == "pending_approval"


def test_a_key_on_the_requesting_machine_cannot_approve(db: Database, org: Org) -> None:
    policy_svc.install_policy(db, org.bundle(), actor="it")
    # Max's key sits on the machine the request is made from (he sells under a login "mm").
    (org.rep_keys).mkdir(parents=True, exist_ok=True)
    for suffix in (".key", ".pub"):
        source = org.desk_keys / f"max{suffix}"
        target = org.rep_keys / f"max{suffix}"
        target.write_bytes(source.read_bytes())
        target.chmod(0o600)
    row = quote(db, "15")
    request = svc.request_approval(db, row.number, actor="mm").value
    assert request.requester_keys == [org.max.fingerprint]
    with pytest.raises(svc.SelfApprovalError, match="was on the machine that asked"):
        decide(db, org, row.number, "max", actor="max")


def test_authority_is_the_approver_role_in_the_policy(db: Database, org: Org) -> None:
    policy_svc.install_policy(db, org.bundle(), actor="it")
    deep = quote(db, "24")  # above the manager's 20 %: the deal desk
    svc.request_approval(db, deep.number, actor="rick")
    with pytest.raises(svc.AuthorityExceededError, match="needs the deal desk"):
        decide(db, org, deep.number, "max", actor="max")
    assert quote_svc.get_quote(db, deep.id).status == "pending_approval"
    # A manager may reject it, and approve what is within 20 %.
    fine = quote_svc.create_quote(
        db, document(discounts=[{"description": "x", "percent": "15"}]), actor="rick"
    ).value
    svc.request_approval(db, fine.number, actor="rick")
    decision = decide(db, org, fine.number, "max", actor="max")
    assert (decision.approver_name, decision.approver_role) == ("Max Moreno", "manager")
    assert decision.payload["requester"]["name"] == "rick"
    # The identity is the policy's named holder, never the operating-system user.
    assert decision.approver_name != "max"
    assert decide(db, org, deep.number, "max", actor="max", approve=False).decision == "rejected"


def test_an_expired_policy_accepts_no_decision(db: Database, org: Org) -> None:
    policy_svc.install_policy(
        db,
        org.bundle(valid_from=TODAY - dt.timedelta(400), valid_until=TODAY - dt.timedelta(1)),
        actor="it",
    )
    assert get_settings(db).policy_expired
    row = quote(db, "15")
    svc.request_approval(db, row.number, actor="rick")
    with pytest.raises(svc.PolicyExpiredError, match="expired on"):
        decide(db, org, row.number, "dana", actor="dana")
    # A quote that needs nothing is not final under an expired policy either.
    easy = quote_svc.create_quote(db, document(), actor="rick").value
    name_the_seller(db)
    with pytest.raises(RefusedError, match="expired on"):
        finalise(db, easy)
    assert quote_svc.get_quote(db, easy.id).status == "draft"
    assert not render_saved_quote(db, easy.number, kind="proposal").final


# --- the offline round trip with a policy ------------------------------------------------------


def round_trip(rep: Database, desk: Database, org: Org, number: str, key: str = "dana") -> str:
    """Rep asks (file), desk decides: the decision file's text."""
    svc.request_approval(rep, number, actor="rick")
    request_file = svc.export_request(rep, number, actor="rick")
    imported = svc.import_request(desk, request_file, actor="dana").value
    return decide(desk, org, imported.request_id, key, actor="dana").file_text()


def test_round_trip_with_the_policy(
    db: Database, desk_db: Database, org: Org, tmp_path: Path
) -> None:
    bundle = org.bundle()
    policy_svc.install_policy(db, bundle, actor="it")
    policy_svc.install_policy(desk_db, bundle, actor="it")
    name_the_seller(db)  # the parties are part of the terms the desk approves
    row = quote(db, "24")
    decision_file = round_trip(db, desk_db, org, row.number)
    decision = svc.import_decision(db, decision_file, actor="rick").value
    assert decision.approver_name == "Dana Whitfield" and decision.approver_role == "deal_desk"
    assert quote_svc.get_quote(db, row.id).status == "approved"
    state = svc.approval_state(db, row.id)
    assert state.approval is not None and state.approval.verified
    rendered = render_saved_quote(db, row.number, kind="proposal", finalising=True)
    assert rendered.final
    names = {a.name for a in rendered.request.attachments}
    assert names == {"approval-statement.json", "policy.json"}
    embedded = "".join(a.text for a in rendered.request.attachments)
    # Nothing internal: no reasons, no comment, no margin floor, no rules.
    for internal in ("margin", "floor", "reasons", "comment", '"rules"', "salt", "Launch"):
        assert internal not in embedded, internal


def test_a_decision_under_a_replaced_policy_is_refused(
    db: Database, desk_db: Database, org: Org
) -> None:
    old = org.bundle(serial=1)
    policy_svc.install_policy(db, old, actor="it")
    policy_svc.install_policy(desk_db, old, actor="it")
    row = quote(db, "24")
    decision_file = round_trip(db, desk_db, org, row.number)
    policy_svc.install_policy(db, org.bundle(serial=2), actor="it")  # the rep updates first
    with pytest.raises(svc.PolicyMismatchError, match="which the organisation replaced"):
        svc.import_decision(db, decision_file, actor="rick")
    assert refusals(db)[-1] == "other_policy"
    assert quote_svc.get_quote(db, row.id).status == "pending_approval"


def test_a_decision_under_a_policy_not_installed_here_is_refused(
    db: Database, desk_db: Database, org: Org
) -> None:
    policy_svc.install_policy(db, org.bundle(serial=1), actor="it")
    policy_svc.install_policy(desk_db, org.bundle(serial=2), actor="it")
    row = quote(db, "24")
    decision_file = round_trip(db, desk_db, org, row.number)
    with pytest.raises(svc.PolicyMismatchError, match="install the deal desk's current policy"):
        svc.import_decision(db, decision_file, actor="rick")


def test_an_edited_decision_file_is_refused(db: Database, desk_db: Database, org: Org) -> None:
    bundle = org.bundle()
    policy_svc.install_policy(db, bundle, actor="it")
    policy_svc.install_policy(desk_db, bundle, actor="it")
    row = quote(db, "24")
    original = round_trip(db, desk_db, org, row.number)
    data = json.loads(original)
    data["payload"]["approver"]["role"] = "manager"  # any edit breaks the signatures
    with pytest.raises(svc.BadSignatureError):
        svc.import_decision(db, json.dumps(data), actor="rick")
    # Without its statement signature (removed, or null) the file was changed: it is not
    # "signed before this database had an organisation policy" (format 2 always has one).
    for cut in ("removed", "null"):
        data = json.loads(original)
        if cut == "removed":
            del data["statement_signature"]
        else:
            data["statement_signature"] = None
        with pytest.raises(svc.BadSignatureError) as refused:
            svc.import_decision(db, json.dumps(data), actor="rick")
        assert str(refused.value) == (
            "the decision file's approval statement is not signed (its statement_signature "
            "is missing): the file was changed after it was signed; ask the deal desk for "
            "the file again"
        )
    assert refusals(db) == ["bad_signature", "bad_signature", "bad_signature"]
    assert svc.import_decision(db, original, actor="rick").value.decision == "approved"


def test_the_request_files_policy_is_never_trusted(
    db: Database, desk_db: Database, org: Org
) -> None:
    bundle = org.bundle()
    policy_svc.install_policy(desk_db, bundle, actor="it")
    # The rep has no policy and set their authority to 100 %: nothing needs approval
    # there, so they forge a request claiming so.
    row = quote(db, "24")
    svc.request_approval(db, row.number, actor="rick")
    data = json.loads(svc.export_request(db, row.number, actor="rick"))
    data["reasons"], data["required_role"] = [], None
    data["policy"] = {"discount_authority": {"rep": "100", "manager": "100", "deal_desk": "100"}}
    imported = svc.import_request(desk_db, json.dumps(data), actor="dana").value
    assert imported.required_role == "deal_desk"  # the desk's own evaluation
    assert any("24.00%" in r for r in imported.reasons)
    assert imported.notes and "its own settings (no organisation policy)" in imported.notes[0]
    with pytest.raises(svc.AuthorityExceededError):
        decide(desk_db, org, imported.request_id, "max", actor="max")


def test_decide_can_be_retried_after_a_failure(db: Database, desk_db: Database, org: Org) -> None:
    bundle = org.bundle()
    policy_svc.install_policy(desk_db, bundle, actor="it")
    row = quote(db, "24")
    svc.request_approval(db, row.number, actor="rick")
    request_file = svc.export_request(db, row.number, actor="rick")
    first = svc.import_request(desk_db, request_file, actor="dana").value
    with org.on_desk(), pytest.raises(svc.KeyProblemError, match="wrong passphrase"):
        svc.decide(
            desk_db,
            first.request_id,
            approve=True,
            key_name="dana",
            passphrase="nope-nope",
            actor="dana",
        )
    again = svc.import_request(desk_db, request_file, actor="dana").value  # no "already there"
    assert again.request_id == first.request_id
    assert decide(desk_db, org, again.request_id, "dana", actor="dana").decision == "approved"
    with pytest.raises(RefusedError, match="already in this database"):
        svc.import_request(desk_db, request_file, actor="dana")  # decided: not again


# --- keys on disk ---------------------------------------------------------------------------------


def test_a_key_file_others_can_read_is_refused(db: Database, org: Org) -> None:
    policy_svc.install_policy(db, org.bundle(), actor="it")
    row = quote(db, "24")
    svc.request_approval(db, row.number, actor="rick")
    path = org.desk_keys / "dana.key"
    path.chmod(0o644)
    with pytest.raises(svc.KeyProblemError, match=f"chmod 600 {path}"):
        decide(db, org, row.number, "dana", actor="dana")
    path.chmod(0o600)
    assert decide(db, org, row.number, "dana", actor="dana").decision == "approved"


def test_keygen_keeps_a_shared_folders_mode(tmp_path: Path) -> None:
    shared = tmp_path / "team-keys"
    shared.mkdir()
    shared.chmod(0o775)
    key = key_svc.create_key("dana", PASS, directory=shared)
    assert (shared.stat().st_mode & 0o777) == 0o775
    assert (key.path.stat().st_mode & 0o777) == 0o600
    fresh = tmp_path / "new" / "keys"
    key_svc.create_key("dana", PASS, directory=fresh)
    assert (fresh.stat().st_mode & 0o777) == 0o700
    with pytest.raises(key_svc.KeyProblemError, match="already exists"):
        key_svc.create_key("dana", PASS, directory=fresh)
    listed = key_svc.list_keys(directory=shared)
    assert [(k.name, k.fingerprint) for k in listed] == [("dana", key.fingerprint)]


def test_upgrade_from_0004_keeps_requests_and_decisions(tmp_path: Path) -> None:
    from quote_builder.store import database as dbmod
    from quote_builder.store.migrations import upgrade

    path = tmp_path / "old.db"
    old = Database(f"sqlite:///{path}", dbmod.make_engine(f"sqlite:///{path}"))
    upgrade(old, "0004")
    with old.engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO approval_request (id, request_uid, quote_number, version_number, "
                "version_hash, requested_at, requested_by, status) VALUES (1, 'r-1', 'Q-1', 1, "
                "'ab', '2026-01-01 00:00:00', 'rick', 'approved')"
            )
        )
        c.execute(
            text(
                "INSERT INTO approval_decision (decision_uid, request_id, decision, payload_json, "
                "signature, approver_fingerprint, imported_at) VALUES ('d-1', 1, 'approved', "
                "'{}', 'sig', 'fp', '2026-01-02 00:00:00')"
            )
        )
    old.close()
    reopened = open_database(str(path))
    with reopened.engine.begin() as c:
        row = c.execute(
            text(
                "SELECT requested_by, requester_keys_json, policy_fingerprint FROM approval_request"
            )
        ).one()
        decision = c.execute(
            text("SELECT decision_uid, statement_signature FROM approval_decision")
        ).one()
    assert tuple(row) == ("rick", "[]", None) and tuple(decision) == ("d-1", None)
    assert policy_svc.installed_policy(reopened) is None
    reopened.close()


def test_short_fingerprints_are_shown_in_labels(db: Database, org: Org) -> None:
    policy = policy_svc.install_policy(db, org.bundle(), actor="it").value
    assert policy.short == signing.short_fingerprint(policy.fingerprint)
    assert len(policy.short) == 19  # four groups of four hex digits


def test_an_approval_holds_no_longer_than_its_policy(
    db: Database, desk_db: Database, org: Org
) -> None:
    """An approval is bounded by the policy it was granted under: an expiry after the
    policy's end is refused when deciding (before the passphrase matters), one without an
    expiry ends when the policy does, and after that day it no longer counts, neither in the
    app nor on import (a decision file carried past the policy's end)."""
    end = TODAY + dt.timedelta(days=335)  # the helper's policy: valid until then
    bundle = org.bundle()
    policy_svc.install_policy(db, bundle, actor="it")
    policy_svc.install_policy(desk_db, bundle, actor="it")
    name_the_seller(db)
    row = quote(db, "24")
    svc.request_approval(db, row.number, actor="rick")
    request_file = svc.export_request(db, row.number, actor="rick")
    imported = svc.import_request(desk_db, request_file, actor="dana").value
    with desk_db.read() as session:
        policy = svc.governing_policy(session)
    assert policy is not None and policy.valid_until == end
    later = end.replace(year=end.year + 4)
    with pytest.raises(InvalidInputError) as refused:
        decide(desk_db, org, imported.request_id, "dana", actor="dana", expires=later)
    assert str(refused.value) == (
        f"expires: {later.isoformat()} is after the organisation's "
        f"policy {policy.short} ends ({end.isoformat()}): an approval "
        f"cannot outlive the policy it is granted under; give {end.isoformat()} or an earlier "
        "date"
    )
    decision = decide(desk_db, org, imported.request_id, "dana", actor="dana")
    assert decision.expires_at is None  # the approver chose no expiry
    # Imported after the policy ended: refused, the quote stays pending.
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(9), dt.UTC)
    with pytest.raises(svc.PolicyExpiredError, match=f"expired on {end.isoformat()}"):
        svc.import_decision(db, decision.file_text(), actor="rick", now=after)
    assert quote_svc.get_quote(db, row.id).status == "pending_approval"
    svc.import_decision(db, decision.file_text(), actor="rick")
    with db.read() as session:
        q = quote_svc.quote_by_number(session, row.number)
        evidence = svc.approval_evidence(session, q)
        assert evidence is not None
        assert signing.last_day(str(evidence.expires_at)) == end.isoformat()
        last = dt.datetime.combine(end, dt.time(23), dt.UTC)
        assert svc.approval_evidence(session, q, now=last) is not None
        assert svc.approval_evidence(session, q, now=after) is None
