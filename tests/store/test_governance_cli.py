"""The command line of issue 14: policy init/sign/install/show, passphrases without a
terminal, decide retried after a failure, trust of a missing file, keys listed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from quote_builder.services import quotes as quote_svc
from quote_builder.store.database import open_database

from .governance_helpers import PASS, Org, make_org
from .helpers import customer, document


def run(*argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    from quote_builder.cli import main

    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


@pytest.fixture
def org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Org:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal
    return make_org(tmp_path, monkeypatch)


def test_policy_init_sign_install_show(
    org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rep = str(tmp_path / "rep.db")
    source, bundle = tmp_path / "policy-source.json", tmp_path / "policy.json"
    code, out, err = run(
        "policy",
        "init",
        "--organisation",
        "Acme Analytics",
        "-o",
        str(source),
        "--db",
        rep,
        "--create",
    )
    assert code == 0, err
    data = json.loads(source.read_text())
    data["approvers"] = [
        {"name": "Dana Whitfield", "role": "deal_desk", "public_key": org.dana.public_line}
    ]
    source.write_text(json.dumps(data))
    monkeypatch.setenv("QUOTE_BUILDER_KEYS_DIR", str(org.desk_keys))
    monkeypatch.setenv("QUOTE_BUILDER_PASSPHRASE", PASS)
    code, out, err = run("policy", "sign", str(source), "--key", "acme-org", "-o", str(bundle))
    assert code == 0, err
    assert "Signed policy serial 1 of Acme Analytics (fingerprint" in out
    code, out, err = run("policy", "install", str(bundle), "--db", rep)
    assert code == 0 and out.startswith("Installed policy "), err
    code, out, err = run("policy", "show", "--db", rep)
    assert code == 0, err
    assert "Organisation: Acme Analytics" in out and "Margin floor 60%" in out
    assert "Dana Whitfield" in out and "deal desk" in out
    code, _, err = run("policy", "install", str(bundle), "--db", rep)
    assert code == 2 and "already installed" in err
    # Trusting by hand is refused now, with a sentence.
    code, _, err = run(
        "approval", "trust", str(org.desk_keys / "max.pub"), "--name", "Max", "--db", rep
    )
    assert code == 2 and "decides who approves here" in err
    code, out, err = run("approval", "keys", "--db", rep)
    assert code == 0 and "Approvers whose decisions count here (policy" in out
    assert "acme-org" in out and org.dana.fingerprint in out  # my keys, with fingerprints
    # A bad source: every problem with its field.
    data["serial"] = 0
    data["margin_floor_percent"] = "140"
    source.write_text(json.dumps(data))
    code, _, err = run("policy", "sign", str(source), "--key", "acme-org", "-o", str(bundle))
    assert code == 2
    assert "serial: Give a whole number from 1" in err
    assert "margin_floor_percent: Must be from 0 to 100" in err


def test_a_passphrase_without_a_terminal_is_a_sentence(org: Org, tmp_path: Path) -> None:
    code, out, err = run("approval", "keygen", "someone")
    assert code == 2 and "Traceback" not in err
    assert "no terminal to ask for it: set QUOTE_BUILDER_PASSPHRASE" in err
    assert not (org.rep_keys / "someone.key").exists()


def test_trust_names_a_missing_file(org: Org, tmp_path: Path) -> None:
    code, _, err = run(
        "approval",
        "trust",
        str(tmp_path / "dana.pub"),
        "--name",
        "Dana",
        "--db",
        str(tmp_path / "r.db"),
        "--create",
    )
    assert code == 2 and f"{tmp_path / 'dana.pub'}: No such file" in err


def test_decide_can_be_rerun_after_a_failure(
    org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rep, desk = str(tmp_path / "rep.db"), str(tmp_path / "desk.db")
    db = open_database(rep)
    customer(db)
    row = quote_svc.create_quote(
        db, document(discounts=[{"description": "x", "percent": "24"}]), actor="rick"
    ).value
    db.close()
    request = tmp_path / "req.json"
    code, _, err = run(
        "approval", "request", row.number, "-o", str(request), "--db", rep, "--user", "rick"
    )
    assert code == 0, err
    monkeypatch.setenv("QUOTE_BUILDER_KEYS_DIR", str(org.desk_keys))
    monkeypatch.setenv("QUOTE_BUILDER_PASSPHRASE", "wrong passphrase")
    args = ["approval", "decide", str(request), "--approve", "--key", "dana", "--db", desk]
    code, _, err = run(*args, "--create", "--user", "dana")
    assert code == 2 and "wrong passphrase" in err
    monkeypatch.setenv("QUOTE_BUILDER_PASSPHRASE", PASS)
    code, out, err = run(*args, "--user", "dana", "-o", str(tmp_path / "dec.json"))
    assert code == 0, err
    assert f"{row.number} version 1: approved by dana" in out
    code, _, err = run(
        "approval",
        "decide",
        str(tmp_path / "nope.json"),
        "--approve",
        "--key",
        "dana",
        "--db",
        desk,
    )
    assert code == 2 and "nope.json: No such file." in err
