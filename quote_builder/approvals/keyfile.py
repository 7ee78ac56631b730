"""Private key files: what is written to NAME.key, and how it is opened again.

Format version 2 (written since issue 14) is a small JSON object::

    {"format": "quote-builder/private-key", "format_version": 2, "name": "dana",
     "public_key": "<base64>", "kdf": {"name": "scrypt", "n": 131072, "r": 8, "p": 1,
     "salt": "<base64>"}, "cipher": {"name": "aes-256-gcm", "nonce": "<base64>"},
     "ciphertext": "<base64>"}

The passphrase goes through scrypt (N = 2^17, r = 8, p = 1: OWASP's minimum, 128 MiB and
about a second) into an AES-256-GCM key that encrypts the 32 raw bytes of the Ed25519
private key. Everything before ``ciphertext`` is authenticated as associated data, so a
changed name, public key or KDF parameter fails like a wrong passphrase. The public key
is readable without the passphrase: the app lists a user's keys with their fingerprints,
and a request records which approver keys sit on the requesting machine, without asking.

Format version 1 (PKCS#8 PEM from ``BestAvailableEncryption``, PBKDF2 with far fewer
iterations) still opens, so an existing approver keeps their key; new keys are version 2.

Pure: bytes in, bytes out. Where the file lives and its permissions are the services'.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from quote_builder.errors import Sentence, UserFacingError

KEY_FILE_FORMAT = "quote-builder/private-key"
KEY_FILE_VERSION = 2
SCRYPT_N = 2**17
"""scrypt's cost (OWASP's minimum with r = 8, p = 1). Tests lower it to stay fast; files
carry their own parameters, so a key made with any cost still opens."""
SCRYPT_R = 8
SCRYPT_P = 1
_MIN_LOG_N, _MAX_LOG_N = 10, 22
"""Costs a key file may name: below 2^10 is no protection, above 2^22 (4 GiB of memory)
would let a crafted file exhaust the machine."""


class KeyFileError(UserFacingError):
    """A key file that cannot be opened: wrong passphrase, damaged, unknown format."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, what: str) -> bytes:
    if not isinstance(text, str):
        raise KeyFileError(
            Sentence(
                f"the key file is damaged ({what} missing)",
                "keyfile.damaged",
                detail="{what} missing",
                what=what,
            )
        )
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KeyFileError(
            Sentence(
                f"the key file is damaged ({what} is not base64)",
                "keyfile.damaged",
                detail="{what} is not base64",
                what=what,
            )
        ) from None


def _header_bytes(data: dict[str, Any]) -> bytes:
    header = {k: v for k, v in data.items() if k != "ciphertext"}
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def encrypt_private_key(private: Ed25519PrivateKey, passphrase: str, *, name: str) -> bytes:
    """The version-2 key file for ``private``, encrypted with ``passphrase``."""
    raw = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    salt, nonce = os.urandom(16), os.urandom(12)
    data: dict[str, Any] = {
        "format": KEY_FILE_FORMAT,
        "format_version": KEY_FILE_VERSION,
        "name": name,
        "public_key": _b64(public),
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)},
        "cipher": {"name": "aes-256-gcm", "nonce": _b64(nonce)},
    }
    key = _scrypt(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    data["ciphertext"] = _b64(AESGCM(key).encrypt(nonce, raw, _header_bytes(data)))
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


def key_file_version(data: bytes) -> int:
    """1 for a PKCS#8 PEM key (before issue 14), 2 for the JSON format."""
    if data.lstrip().startswith(b"-----BEGIN"):
        return 1
    parsed = _parse_v2(data)
    return int(parsed["format_version"])


def _parse_v2(data: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise KeyFileError(
            Sentence("not a Quote Builder key file", "keyfile.not_a_key_file")
        ) from None
    if not isinstance(parsed, dict) or parsed.get("format") != KEY_FILE_FORMAT:
        raise KeyFileError(Sentence("not a Quote Builder key file", "keyfile.not_a_key_file"))
    if parsed.get("format_version") != KEY_FILE_VERSION:
        raise KeyFileError(
            Sentence(
                f"the key file has format version {parsed.get('format_version')!r}, which this "
                "version of Quote Builder does not know; update Quote Builder",
                "keyfile.format_version",
                version=parsed.get("format_version"),
            )
        )
    return parsed


def public_key_in_file(data: bytes) -> str | None:
    """The base64 public key a version-2 key file names (None for version 1, whose public
    key is inside the encrypted part)."""
    if data.lstrip().startswith(b"-----BEGIN"):
        return None
    parsed = _parse_v2(data)
    raw = _unb64(parsed.get("public_key"), "public key")
    if len(raw) != 32:
        raise KeyFileError(
            Sentence("the key file is damaged (public key)", "keyfile.damaged", detail="public key")
        )
    return _b64(raw)


def decrypt_private_key(data: bytes, passphrase: str) -> Ed25519PrivateKey:
    """The private key in a key file of either version; KeyFileError for a wrong
    passphrase or a damaged file (one sentence, never the library's text)."""
    if data.lstrip().startswith(b"-----BEGIN"):
        try:
            legacy = serialization.load_pem_private_key(data, passphrase.encode("utf-8"))
        except (ValueError, TypeError):
            raise KeyFileError(
                Sentence("wrong passphrase, or the key file is damaged", "keyfile.wrong_passphrase")
            ) from None
        if not isinstance(legacy, Ed25519PrivateKey):
            raise KeyFileError(
                Sentence("the key file does not hold an Ed25519 key", "keyfile.not_ed25519")
            )
        return legacy
    parsed = _parse_v2(data)
    kdf, cipher = parsed.get("kdf"), parsed.get("cipher")
    if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
        raise KeyFileError(
            Sentence(
                "the key file is damaged (key derivation)",
                "keyfile.damaged",
                detail="key derivation",
            )
        )
    if not isinstance(cipher, dict) or cipher.get("name") != "aes-256-gcm":
        raise KeyFileError(
            Sentence("the key file is damaged (cipher)", "keyfile.damaged", detail="cipher")
        )
    n, r, p = kdf.get("n"), kdf.get("r"), kdf.get("p")
    if not (
        isinstance(n, int)
        and isinstance(r, int)
        and isinstance(p, int)
        and n > 1
        and n & (n - 1) == 0
        and _MIN_LOG_N <= n.bit_length() - 1 <= _MAX_LOG_N
        and 1 <= r <= 32
        and 1 <= p <= 16
    ):
        raise KeyFileError(
            Sentence(
                "the key file is damaged (key derivation parameters)",
                "keyfile.damaged",
                detail="key derivation parameters",
            )
        )
    salt = _unb64(kdf.get("salt"), "salt")
    nonce = _unb64(cipher.get("nonce"), "nonce")
    ciphertext = _unb64(parsed.get("ciphertext"), "ciphertext")
    key = _scrypt(passphrase, salt, n, r, p)
    try:
        raw = AESGCM(key).decrypt(nonce, ciphertext, _header_bytes(parsed))
    except (InvalidTag, ValueError):
        raise KeyFileError(
            Sentence("wrong passphrase, or the key file is damaged", "keyfile.wrong_passphrase")
        ) from None
    private = Ed25519PrivateKey.from_private_bytes(raw)
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    if _b64(public) != public_key_in_file(data):
        raise KeyFileError(
            Sentence(
                "the key file is damaged (its public key does not match)",
                "keyfile.damaged",
                detail="its public key does not match",
            )
        )
    return private
