"""Ed25519 key pairs and signed approval decisions.

A decision is a JSON object (the payload) signed over its canonical form: keys sorted,
no spaces, UTF-8. Any change to the payload (a version hash, a date, a comment) makes the
signature fail. Public keys travel as base64 of the 32 raw bytes; a key's fingerprint is
the SHA-256 of those bytes in hex. Private key files are ``keyfile``'s (scrypt and
AES-GCM; older PKCS#8 PEM files still open); where they are stored is the services'
business (no I/O here).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from quote_builder.errors import Sentence, UserFacingError, sentence_of

from . import keyfile

PAYLOAD_FORMAT = "quote-builder/approval-decision"
DECISIONS = ("approved", "rejected")
KEY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MIN_PASSPHRASE = 8


class ApprovalSigningError(UserFacingError):
    """A key or a signature problem the user can act on."""


def check_key_name(name: str) -> str:
    if not KEY_NAME.match(name):
        raise ApprovalSigningError(
            Sentence(
                f"{name!r} is not a key name: use up to 64 letters, digits, dots, dashes or underscores",
                "key.bad_name",
                name=name,
            )
        )
    return name


def generate_keypair(name: str, passphrase: str) -> tuple[bytes, str]:
    """A new Ed25519 key pair: (the key file, passphrase-encrypted, format version 2; the
    public key in base64)."""
    check_key_name(name)
    if len(passphrase) < MIN_PASSPHRASE:
        raise ApprovalSigningError(
            Sentence(
                f"the passphrase must have at least {MIN_PASSPHRASE} characters",
                "key.short_passphrase",
                count=MIN_PASSPHRASE,
            )
        )
    private = Ed25519PrivateKey.generate()
    return keyfile.encrypt_private_key(private, passphrase, name=name), public_b64(
        private.public_key()
    )


def public_b64(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_private_key(pem: bytes, passphrase: str) -> Ed25519PrivateKey:
    """The private key in a key file of either format version."""
    try:
        return keyfile.decrypt_private_key(pem, passphrase)
    except keyfile.KeyFileError as exc:
        raise ApprovalSigningError(sentence_of(exc)) from None


def public_key_of(pem: bytes, passphrase: str) -> str:
    return public_b64(load_private_key(pem, passphrase).public_key())


def public_key_from_text(text: str) -> str:
    """The base64 public key in ``text``: the key itself, or a line ``ed25519 KEY [name]``
    as written by keygen. Raises ApprovalSigningError when there is no Ed25519 key."""
    for token in text.split():
        try:
            raw = base64.b64decode(token, validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(raw) == 32:
            return base64.b64encode(raw).decode("ascii")
    raise ApprovalSigningError(
        Sentence(
            "no Ed25519 public key found (expected 44 base64 characters)",
            "key.no_public_key",
        )
    )


def fingerprint(public_key_b64: str) -> str:
    """SHA-256 of the raw public key, hex (64 characters)."""
    return hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()


def short_fingerprint(value: str) -> str:
    """The first 16 hex digits in groups of four, for people to compare."""
    return ":".join(value[i : i + 4] for i in range(0, 16, 4))


def canonical_payload(payload: Mapping[str, Any]) -> bytes:
    """The bytes that are signed: sorted keys, no whitespace, UTF-8. Floats are refused
    (amounts and percents are text)."""

    def refuse(value: Any) -> Any:
        raise TypeError(f"{type(value).__name__} cannot be signed: use text")

    def check(value: Any) -> None:
        if isinstance(value, float):
            refuse(value)
        if isinstance(value, Mapping):
            for item in value.values():
                check(item)
        elif isinstance(value, list | tuple):
            for item in value:
                check(item)

    check(payload)
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=refuse
    ).encode("utf-8")


def iso_utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_iso_utc(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return moment.astimezone(dt.UTC)


def last_day(expires_at: str) -> str:
    """The last day an approval holds (YYYY-MM-DD): ``expires_at`` is the first moment it
    no longer does (midnight UTC after the day the approver chose)."""
    return (parse_iso_utc(expires_at) - dt.timedelta(seconds=1)).date().isoformat()


def decision_payload(
    *,
    request_id: str,
    quote_number: str,
    version: int,
    version_hash: str,
    decision: str,
    approver_name: str,
    approver_fingerprint: str,
    decided_at: dt.datetime,
    expires_at: dt.datetime | None = None,
    comment: str = "",
    conditions: Sequence[str] = (),
    policy: Mapping[str, Any] | None = None,
    reasons: Sequence[str] = (),
    decision_id: str | None = None,
    approver_role: str | None = None,
    requester_name: str = "",
    requester_keys: Sequence[str] = (),
    policy_fingerprint: str | None = None,
    terms_hash: str = "",
    discount_percent: str = "0",
    required_role: str | None = None,
) -> dict[str, Any]:
    """The payload of a decision, ready to sign (format version 2: with the approver's
    role, the requester, the organisation policy's fingerprint, the terms' hash, the
    effective discount and the role the policy required)."""
    if decision not in DECISIONS:
        raise ApprovalSigningError(
            Sentence(
                f"a decision is {' or '.join(DECISIONS)}, not {decision!r}",
                "decision.kind",
                decision=decision,
            )
        )
    return {
        "format": PAYLOAD_FORMAT,
        "format_version": 2,
        "decision_id": decision_id or str(uuid.uuid4()),
        "request_id": request_id,
        "quote_number": quote_number,
        "version": version,
        "version_hash": version_hash,
        "terms_hash": terms_hash,
        "decision": decision,
        "approver": {
            "name": approver_name,
            "fingerprint": approver_fingerprint,
            "role": approver_role,
        },
        "requester": {"name": requester_name, "key_fingerprints": sorted(set(requester_keys))},
        "decided_at": iso_utc(decided_at),
        "expires_at": iso_utc(expires_at) if expires_at else None,
        "comment": comment,
        "conditions": list(conditions),
        "reasons": list(reasons),
        "policy": dict(policy or {}),
        "policy_fingerprint": policy_fingerprint,
        "discount_percent": discount_percent,
        "required_role": required_role,
    }


def check_payload(payload: Any) -> dict[str, Any]:
    """The payload if it has every field with the right type; ApprovalSigningError if not.
    Format version 1 (before organisation policies) is still read: such decisions count
    only in a database without a policy."""
    if not isinstance(payload, dict) or payload.get("format") != PAYLOAD_FORMAT:
        raise ApprovalSigningError(
            Sentence("not a Quote Builder approval decision", "decision_payload.not_a_decision")
        )
    expected: dict[str, type | tuple[type, ...]] = {
        "decision_id": str,
        "request_id": str,
        "quote_number": str,
        "version": int,
        "version_hash": str,
        "decision": str,
        "approver": dict,
        "decided_at": str,
        "expires_at": (str, type(None)),
        "comment": str,
        "conditions": list,
        "reasons": list,
        "policy": dict,
    }
    version = payload.get("format_version", 1)
    if version == 2:
        expected |= {
            "terms_hash": str,
            "requester": dict,
            "policy_fingerprint": (str, type(None)),
            "discount_percent": str,
            "required_role": (str, type(None)),
        }
    elif version != 1:
        raise ApprovalSigningError(
            Sentence(
                f"the approval decision has format version {version!r}, which this version of "
                "Quote Builder does not know; update Quote Builder",
                "decision_payload.format_version",
                version=version,
            )
        )
    problems = [name for name, kind in expected.items() if not isinstance(payload.get(name), kind)]
    approver = payload.get("approver")
    if isinstance(approver, dict) and not (
        isinstance(approver.get("name"), str) and isinstance(approver.get("fingerprint"), str)
    ):
        problems.append("approver")
    requester = payload.get("requester")
    if version == 2 and isinstance(requester, dict):
        keys = requester.get("key_fingerprints")
        if not (
            isinstance(requester.get("name"), str)
            and isinstance(keys, list)
            and all(isinstance(k, str) for k in keys)
        ):
            problems.append("requester")
    if not all(isinstance(c, str) for c in payload.get("conditions") or []):
        problems.append("conditions")
    if payload.get("decision") not in DECISIONS:
        problems.append("decision")
    try:
        parse_iso_utc(str(payload.get("decided_at")))
        if payload.get("expires_at") is not None:
            parse_iso_utc(str(payload["expires_at"]))
    except ValueError:
        problems.append("decided_at/expires_at")
    if problems:
        raise ApprovalSigningError(
            Sentence(
                f"the approval decision is malformed: {', '.join(dict.fromkeys(problems))}",
                "decision_payload.malformed",
                fields=list(dict.fromkeys(problems)),
            )
        )
    return payload


def sign(payload: Mapping[str, Any], private_pem: bytes, passphrase: str) -> str:
    """The base64 Ed25519 signature of the payload's canonical form."""
    return sign_with(load_private_key(private_pem, passphrase), payload)


def sign_with(key: Ed25519PrivateKey, payload: Mapping[str, Any]) -> str:
    """The same with a key already opened (one passphrase derivation for several
    signatures)."""
    return base64.b64encode(key.sign(canonical_payload(payload))).decode("ascii")


def verify(payload: Mapping[str, Any], signature_b64: str, public_key_b64: str) -> bool:
    """True when ``signature_b64`` is the key's signature of exactly this payload."""
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        signature = base64.b64decode(signature_b64, validate=True)
        public.verify(signature, canonical_payload(payload))
    except (InvalidSignature, ValueError, TypeError, binascii.Error):
        return False
    return True
