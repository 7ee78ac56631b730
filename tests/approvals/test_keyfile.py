"""Private key files: version 2 (scrypt + AES-GCM) round trip, refusals, and version 1
(PKCS#8 PEM) keys still open."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from quote_builder.approvals import keyfile, signing

PASS = "correct horse battery"


def test_version_2_round_trip_and_public_key_without_the_passphrase() -> None:
    data, public = signing.generate_keypair("dana", PASS)
    parsed = json.loads(data)
    assert parsed["format_version"] == 2 and parsed["kdf"]["name"] == "scrypt"
    assert parsed["cipher"]["name"] == "aes-256-gcm"
    assert keyfile.public_key_in_file(data) == public  # listed without asking
    key = keyfile.decrypt_private_key(data, PASS)
    assert signing.public_b64(key.public_key()) == public


def test_the_real_cost_is_owasp_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    # tests/conftest.py lowers the cost for speed; the shipped constant is N = 2^17, r = 8.
    monkeypatch.undo()
    assert (keyfile.SCRYPT_N, keyfile.SCRYPT_R, keyfile.SCRYPT_P) == (2**17, 8, 1)
    data, _ = signing.generate_keypair("dana", PASS)
    assert json.loads(data)["kdf"]["n"] == 2**17


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(name="eve"),  # header is authenticated
        lambda d: d["kdf"].update(n=2**11),
        lambda d: d.update(ciphertext=d["ciphertext"][:-4] + "AAA="),
    ],
)
def test_a_changed_file_fails_like_a_wrong_passphrase(change: object) -> None:
    data, _ = signing.generate_keypair("dana", PASS)
    parsed = json.loads(data)
    change(parsed)  # type: ignore[operator]
    with pytest.raises(keyfile.KeyFileError, match="wrong passphrase, or the key file is damaged"):
        keyfile.decrypt_private_key(json.dumps(parsed).encode(), PASS)


def test_wrong_passphrase_and_absurd_costs_are_sentences() -> None:
    data, _ = signing.generate_keypair("dana", PASS)
    with pytest.raises(keyfile.KeyFileError, match="wrong passphrase"):
        keyfile.decrypt_private_key(data, "not the passphrase")
    parsed = json.loads(data)
    parsed["kdf"]["n"] = 2**30  # would take 1 TiB of memory
    with pytest.raises(keyfile.KeyFileError, match="parameters"):
        keyfile.decrypt_private_key(json.dumps(parsed).encode(), PASS)
    parsed["format_version"] = 9
    with pytest.raises(keyfile.KeyFileError, match="format version 9"):
        keyfile.decrypt_private_key(json.dumps(parsed).encode(), PASS)
    with pytest.raises(keyfile.KeyFileError, match="not a Quote Builder key file"):
        keyfile.decrypt_private_key(b"hello", PASS)


def test_a_version_1_pem_key_still_opens_and_signs() -> None:
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(PASS.encode()),
    )
    assert keyfile.key_file_version(pem) == 1 and keyfile.public_key_in_file(pem) is None
    public = signing.public_b64(private.public_key())
    payload = {"a": "b"}
    assert signing.verify(payload, signing.sign(payload, pem, PASS), public)
    with pytest.raises(signing.ApprovalSigningError, match="wrong passphrase"):
        signing.sign(payload, pem, "nope-nope")
