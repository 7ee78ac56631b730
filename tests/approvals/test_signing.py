"""Ed25519 keys and signed decision payloads."""

from __future__ import annotations

import datetime as dt

import pytest

from quote_builder.approvals import signing

PASS = "correct horse battery"


def payload(**changes: object) -> dict[str, object]:
    base = signing.decision_payload(
        request_id="r-1",
        quote_number="Q-2027-0001",
        version=2,
        version_hash="ab" * 32,
        decision="approved",
        approver_name="dana",
        approver_fingerprint="00" * 32,
        decided_at=dt.datetime(2027, 1, 5, 12, 30, tzinfo=dt.UTC),
        comment="ok",
        conditions=["sign by March"],
        policy={"margin_floor_percent": "60"},
    )
    return {**base, **changes}


def test_sign_and_verify_and_tampering_fails() -> None:
    pem, public = signing.generate_keypair("dana", PASS)
    assert b'"format": "quote-builder/private-key"' in pem and b"ENCRYPTED" not in pem
    data = payload()
    signature = signing.sign(data, pem, PASS)
    assert signing.verify(data, signature, public)
    assert not signing.verify({**data, "version_hash": "cd" * 32}, signature, public)
    assert not signing.verify({**data, "decision": "rejected"}, signature, public)
    _, other = signing.generate_keypair("eve", PASS)
    assert not signing.verify(data, signature, other)
    assert not signing.verify(data, "not base64!", public)


def test_canonical_form_ignores_key_order_and_refuses_floats() -> None:
    assert signing.canonical_payload({"b": 1, "a": "x"}) == b'{"a":"x","b":1}'
    with pytest.raises(TypeError):
        signing.canonical_payload({"a": 0.1})


def test_wrong_passphrase_and_short_passphrase() -> None:
    pem, _ = signing.generate_keypair("dana", PASS)
    with pytest.raises(signing.ApprovalSigningError, match="wrong passphrase"):
        signing.sign(payload(), pem, "something else")
    with pytest.raises(signing.ApprovalSigningError, match="at least 8"):
        signing.generate_keypair("dana", "short")
    with pytest.raises(signing.ApprovalSigningError, match="not a key name"):
        signing.generate_keypair("../etc", PASS)


def test_public_key_text_and_fingerprint() -> None:
    _, public = signing.generate_keypair("dana", PASS)
    assert signing.public_key_from_text(f"ed25519 {public} dana\n") == public
    assert len(signing.fingerprint(public)) == 64
    with pytest.raises(signing.ApprovalSigningError, match="no Ed25519 public key"):
        signing.public_key_from_text("hello world")


def test_payload_checks() -> None:
    assert signing.check_payload(payload()) is not None
    with pytest.raises(signing.ApprovalSigningError, match="malformed: version"):
        signing.check_payload(payload(version="2"))
    with pytest.raises(signing.ApprovalSigningError, match="not a Quote Builder"):
        signing.check_payload({"format": "other"})
