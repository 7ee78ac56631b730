"""The organisation's public key pinned outside the rep's database (h2, deployment walk).

A rep who can write their own SQLite file dropped the append-only trigger, deleted the
organisation's policy and installed one signed by an organisation key of their own
(naming themselves the deal desk). `verify` with ``--org-key`` caught it; the rep's own app
trusted it. An administrator now pins the organisation's key in a file users cannot
change (/etc/xdg/quote-builder/organisation.pub, or the file ``QUOTE_BUILDER_ORG_KEY_FILE``
names): a policy or a decision under any other key is refused with a sentence that names
the pinned key."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from quote_builder.approvals import bundle as bundles
from quote_builder.approvals import signing
from quote_builder.services import approvals as svc
from quote_builder.services import keys as key_svc
from quote_builder.services import policy as policy_svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services.policy import system_pin_files  # before conftest replaces it
from quote_builder.services.verify import organisation_key, verify_pdf
from quote_builder.store.database import Database, open_database

from .governance_helpers import PASS, Org, make_org
from .helpers import customer, document, name_the_seller


@pytest.fixture
def org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Org:
    return make_org(tmp_path, monkeypatch)


def quote(db: Database, percent: str = "24") -> quote_svc.QuoteRow:
    customer(db)
    doc = document(discounts=[{"description": "Launch", "percent": percent}])
    return quote_svc.create_quote(db, doc, actor="rick").value


def rick_org(org: Org, tmp_path: Path, serial: int = 2) -> tuple[str, key_svc.KeyInfo]:
    """The rep's own organisation: a key, and a policy naming the rep the deal desk."""
    folder = tmp_path / "rick-keys"
    if not (folder / "rick-org.key").exists():
        key_svc.create_key("rick-org", PASS, directory=folder)
        key_svc.create_key("rick", PASS, directory=folder)
    rick = key_svc.list_keys(directory=folder)
    mine = next(k for k in rick if k.name == "rick")
    source = org.source(
        serial=serial,
        approvers=[{"name": "Rick Rep", "role": "deal_desk", "public_key": mine.public_line}],
    )
    bundle = policy_svc.sign_policy_source(
        json.dumps(source), key_name="rick-org", passphrase=PASS, key_directory=folder
    )
    return bundle, mine


def replace_round_the_trigger(db: Database, bundle: str) -> None:
    """What the rep did with sqlite3: the organisation's policy deleted, theirs installed."""
    with db.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER policy_bundle_no_delete"))
        connection.execute(text("DELETE FROM policy_bundle"))
    policy_svc.install_policy(db, bundle, actor="rick")


def pin(path: Path, org: Org) -> None:
    path.write_text(org.org.public_line + "\n", encoding="utf-8")


def run(*argv: str) -> tuple[int, str, str]:
    from quote_builder.cli import main

    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_a_policy_of_another_key_installed_round_the_trigger_stops_approvals_when_pinned(
    sqlite_db: Database, org: Org, tmp_path: Path, no_pinned_organisation_key: Path
) -> None:
    db = sqlite_db
    policy_svc.install_policy(db, org.bundle(), actor="it")
    row = quote(db)
    bundle, _rick = rick_org(org, tmp_path)
    replace_round_the_trigger(db, bundle)
    # Unpinned, the rep's app trusts the rep's organisation (what the check cannot see).
    assert policy_svc.installed_policy(db) is not None

    pin(no_pinned_organisation_key, org)
    pinned = signing.short_fingerprint(org.org.fingerprint)
    with pytest.raises(policy_svc.PinnedKeyError) as refused:
        svc.current_policy(db)
    said = str(refused.value)
    assert "not by the one pinned on this computer" in said
    assert f"({pinned}, in {no_pinned_organisation_key})" in said
    assert "nothing can be approved or sent as final here" in said
    with pytest.raises(policy_svc.PinnedKeyError):
        svc.request_approval(db, row.number, actor="rick")
    state = svc.approval_state(db, row.id)
    assert state.problem and not state.can_request
    # A newer policy of the rep's cannot be installed over it either.
    newer, _rick = rick_org(org, tmp_path, serial=3)
    with pytest.raises(policy_svc.ForeignPolicyError, match="not by the one pinned"):
        policy_svc.install_policy(db, newer, actor="rick")

    status = policy_svc.policy_status(db)
    assert status.pinned is not None and status.pinned.fingerprint == org.org.fingerprint
    code, out, err = run("policy", "show", "--db", str(tmp_path / "quotes.db"))
    assert code == 2, (out, err)
    assert f"organisation key {org.org.fingerprint}" in " ".join(out.split())
    assert str(no_pinned_organisation_key) in out.replace("\n", "").replace(" ", "")
    assert "not by the one pinned on this computer" in " ".join(err.split())


def test_only_a_policy_of_the_pinned_key_installs_and_none_means_no_approvals(
    sqlite_db: Database, org: Org, tmp_path: Path, no_pinned_organisation_key: Path
) -> None:
    db = sqlite_db
    pin(no_pinned_organisation_key, org)
    row = quote(db)
    # No policy installed: the settings (which the rep can edit) do not stand in for it,
    # and no key can be trusted by hand.
    with pytest.raises(policy_svc.PinnedKeyError, match="no policy signed by it is installed"):
        svc.request_approval(db, row.number, actor="rick")
    mine = key_svc.create_key("rick-approver", PASS)
    with pytest.raises(policy_svc.PinnedKeyError):
        svc.add_trusted_key(db, "Rick", mine.public_line, actor="rick")
    assert svc.list_trusted_keys(db) == []

    bundle, _rick = rick_org(org, tmp_path, serial=1)
    with pytest.raises(policy_svc.ForeignPolicyError) as refused:
        policy_svc.install_policy(db, bundle, actor="rick")
    assert str(refused.value) == (
        "this policy is signed by the organisation key "
        f"{signing.short_fingerprint(bundles.verify_bundle(json.loads(bundle)).org_fingerprint)}"
        " ('Acme Analytics'), not by the one pinned on this computer "
        f"({signing.short_fingerprint(org.org.fingerprint)}, in {no_pinned_organisation_key}); "
        "it was not installed"
    )
    installed = policy_svc.install_policy(db, org.bundle(), actor="it").value
    assert installed.org_fingerprint == org.org.fingerprint
    assert svc.request_approval(db, row.number, actor="rick").value.status == "pending"


def test_a_pin_that_cannot_be_read_or_two_that_differ_stop_approvals(
    sqlite_db: Database,
    org: Org,
    tmp_path: Path,
    no_pinned_organisation_key: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = sqlite_db
    policy_svc.install_policy(db, org.bundle(), actor="it")
    no_pinned_organisation_key.write_text("not a key\n", encoding="utf-8")
    with pytest.raises(policy_svc.PinnedKeyError, match="cannot be read .*no Ed25519 public key"):
        svc.current_policy(db)

    pin(no_pinned_organisation_key, org)
    assert svc.current_policy(db) is not None
    # The administrator's variable adds a pin; the rep's own key there unpins nothing.
    _bundle, _rick = rick_org(org, tmp_path)
    own = tmp_path / "rick-keys" / "rick-org.pub"
    monkeypatch.setenv(policy_svc.PIN_ENV, str(own))
    with pytest.raises(policy_svc.PinnedKeyError, match="pin different organisation keys"):
        svc.current_policy(db)
    monkeypatch.setenv(policy_svc.PIN_ENV, str(tmp_path / "missing.pub"))
    with pytest.raises(policy_svc.PinnedKeyError, match="missing.pub cannot be read"):
        svc.current_policy(db)
    # Only the variable (no system-wide file): it pins.
    no_pinned_organisation_key.unlink()
    monkeypatch.setenv(policy_svc.PIN_ENV, str(own))
    with pytest.raises(policy_svc.PinnedKeyError, match="not by the one pinned"):
        svc.current_policy(db)


def test_a_decision_file_is_not_imported_where_another_key_is_pinned(
    org: Org, tmp_path: Path, no_pinned_organisation_key: Path
) -> None:
    """Defect 3: the rep's database holds the rep's organisation; the desk signs under the
    real one. The rep's own 'desk' decision is refused as well as the real desk's."""
    rep = open_database(str(tmp_path / "rep.db"))
    desk = open_database(str(tmp_path / "desk.db"))
    try:
        name_the_seller(rep)
        bundle, _rick = rick_org(org, tmp_path, serial=1)
        policy_svc.install_policy(rep, bundle, actor="rick")
        policy_svc.install_policy(desk, bundle, actor="rick")  # a desk database of the rep's
        row = quote(rep)
        svc.request_approval(rep, row.number, actor="rick")
        imported = svc.import_request(
            desk, svc.export_request(rep, row.number, actor="rick"), actor="Rick Rep"
        )
        decision = svc.decide(
            desk,
            imported.value.request_id,
            approve=True,
            key_name="rick",
            passphrase=PASS,
            actor="Rick Rep",
            key_directory=tmp_path / "rick-keys",
        ).value

        pin(no_pinned_organisation_key, org)
        with pytest.raises(policy_svc.PinnedKeyError, match="not by the one pinned"):
            svc.import_decision(rep, decision.file_text(), actor="rick")
        assert quote_svc.get_quote(rep, row.id).status == "pending_approval"
        assert svc.approval_id_for(rep, row.number) is None
    finally:
        rep.close()
        desk.close()


def test_verify_compares_with_the_pinned_key_and_says_so(
    sqlite_db: Database, org: Org, tmp_path: Path, no_pinned_organisation_key: Path
) -> None:
    """Defect 3: `verify` without --org-key on the rep's database took the organisation key
    of the policy installed there, which the rep had replaced; the pinned key comes
    first, and the report names it."""
    db = sqlite_db
    bundle, _rick = rick_org(org, tmp_path, serial=1)
    policy_svc.install_policy(db, bundle, actor="rick")
    own = bundles.verify_bundle(json.loads(bundle)).org_fingerprint
    assert organisation_key(db).fingerprint == own  # unpinned: what the database says

    pin(no_pinned_organisation_key, org)
    found = organisation_key(db)
    assert found.fingerprint == org.org.fingerprint and found.problem is None
    assert str(found.source) == (
        "the organisation key pinned on this computer "
        f"({signing.short_fingerprint(org.org.fingerprint)}, in {no_pinned_organisation_key})"
    )
    no_pinned_organisation_key.write_text("garbage", encoding="utf-8")
    assert "cannot be read" in str(organisation_key(db).problem)
    # A key given on the command line is still the one compared with.
    given = organisation_key(db, org.org.public_line)
    assert str(given.source) == "the organisation key given"


def test_verify_of_a_pdf_under_the_reps_own_policy_fails_where_a_key_is_pinned(
    tmp_path: Path, org: Org, no_pinned_organisation_key: Path
) -> None:
    from .test_verify import approved_pdf

    rep = open_database(str(tmp_path / "rep.db"))
    try:
        name_the_seller(rep)
        rendered = approved_pdf(rep, org)  # under the organisation's policy: good
        assert verify_pdf(rep, rendered.result.pdf, content_only=True).ok
        pin(no_pinned_organisation_key, org)
        report = verify_pdf(rep, rendered.result.pdf, content_only=True)
        assert report.ok, [(c.name, str(c.message)) for c in report.checks]
        said = {c.name: str(c.message) for c in report.checks}["organisation"]
        assert said == (
            "the policy is signed by the organisation key pinned on this computer "
            f"({signing.short_fingerprint(org.org.fingerprint)}, in {no_pinned_organisation_key})"
        )
        other = tmp_path / "other.pub"
        key_svc.create_key("other-org", PASS, directory=tmp_path / "other")
        other.write_text((tmp_path / "other" / "other-org.pub").read_text(), encoding="utf-8")
        no_pinned_organisation_key.write_text(other.read_text(), encoding="utf-8")
        report = verify_pdf(rep, rendered.result.pdf, content_only=True)
        checks = {c.name: (c.ok, str(c.message)) for c in report.checks}
        assert checks["organisation"][0] is False
        assert "not by the organisation key pinned on this computer" in checks["organisation"][1]
        assert "not your organisation's policy" in checks["organisation"][1]
    finally:
        rep.close()


def test_the_system_wide_pin_files_are_fixed_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's environment cannot move the system-wide file: not XDG_CONFIG_DIRS on Linux,
    and on Windows the usual ProgramData folder is read whatever %PROGRAMDATA% says."""
    import sys

    monkeypatch.setenv("XDG_CONFIG_DIRS", "/tmp/mine")
    monkeypatch.setattr(sys, "platform", "linux")
    assert system_pin_files() == [Path("/etc/xdg/quote-builder/organisation.pub")]
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("PROGRAMDATA", "D:\\Mine")
    files = [str(p) for p in system_pin_files()]
    assert len(files) == 2 and files[0].startswith("C:\\ProgramData")
    assert files[1].startswith("D:\\Mine")
