"""Approver and organisation keys on this machine: where they live, creating them, listing
them, and opening one (with its passphrase) to sign.

Private keys live in ``user_config_dir("QuoteBuilder")/keys/NAME.key`` (or
``$QUOTE_BUILDER_KEYS_DIR``), written whole (temporary file, fsync, rename) with mode 0600;
a folder the app creates is 0700, and an existing folder keeps its mode (it may be shared
on purpose). A key file that other users can read is refused, with the chmod that fixes it.
``NAME.pub`` beside it is the public key to hand out (``ed25519 BASE64 NAME``).

No database here: these functions run where the user is (the command line, or the
desktop app's own process).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from quote_builder.approvals import keyfile, signing
from quote_builder.approvals.signing import ApprovalSigningError
from quote_builder.errors import Sentence, sentence_of
from quote_builder.safe_files import (
    FileReadError,
    FileWriteError,
    make_private_folder,
    read_limited,
    write_atomic,
)

from .core import ServiceError

KEYS_ENV = "QUOTE_BUILDER_KEYS_DIR"
MAX_KEY_BYTES = 64 * 1024


class KeyProblemError(ServiceError):
    """A missing key file, a wrong passphrase, an unusable public key, a key file others
    can read."""


@dataclass(frozen=True)
class KeyInfo:
    name: str
    path: Path
    public_key: str
    fingerprint: str
    format_version: int = keyfile.KEY_FILE_VERSION

    @property
    def public_line(self) -> str:
        """What the approver hands out: ``ed25519 KEY NAME``."""
        return f"ed25519 {self.public_key} {self.name}"

    @property
    def short_fingerprint(self) -> str:
        return signing.short_fingerprint(self.fingerprint)


def keys_dir() -> Path:
    """Where private keys live: ``$QUOTE_BUILDER_KEYS_DIR``, else the user config folder."""
    override = os.environ.get(KEYS_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("QuoteBuilder", appauthor=False)) / "keys"


def create_key(name: str, passphrase: str, *, directory: Path | None = None) -> KeyInfo:
    """A new key pair: the private key encrypted with ``passphrase`` (scrypt, AES-GCM) in
    NAME.key (mode 0600), the public key in NAME.pub. A folder made here is 0700; an
    existing folder's mode is left as it is."""
    try:
        key_file, public = signing.generate_keypair(name, passphrase)
    except ApprovalSigningError as exc:
        raise KeyProblemError(sentence_of(exc)) from None
    folder = directory or keys_dir()
    try:
        make_private_folder(folder)
        path = folder / f"{name}.key"
        if path.exists():
            raise KeyProblemError(
                Sentence(
                    f"a key named {name!r} already exists ({path}); choose another name",
                    "key.exists",
                    name=name,
                    path=str(path),
                )
            )
        write_atomic(path, key_file, overwrite=False, mode=0o600, what="the key file")
        info = KeyInfo(name, path, public, signing.fingerprint(public))
        write_atomic(folder / f"{name}.pub", info.public_line + "\n", mode=0o644)
    except FileWriteError as exc:
        raise KeyProblemError(sentence_of(exc)) from None
    return info


def _check_private(path: Path) -> None:
    """Refuse a key file that other users can read or write (POSIX only)."""
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyProblemError(
            Sentence(
                f"the key file {path} can be read by other users (mode {mode:04o}), so it is not "
                f"used; make it private with: chmod 600 {path}",
                "key.not_private",
                path=str(path),
                mode=f"{mode:04o}",
            )
        )


def read_key_file(name: str, *, directory: Path | None = None) -> tuple[Path, bytes]:
    """The bytes of NAME.key, refused when it is missing or others can read it."""
    try:
        signing.check_key_name(name)
    except ApprovalSigningError as exc:
        raise KeyProblemError(sentence_of(exc)) from None
    path = (directory or keys_dir()) / f"{name}.key"
    if not path.is_file():
        raise KeyProblemError(
            Sentence(
                f"there is no key named {name!r} in {path.parent}; create one first (or check the name)",
                "key.none",
                name=name,
                folder=str(path.parent),
            )
        )
    _check_private(path)
    try:
        return path, read_limited(path, MAX_KEY_BYTES, what="key file")
    except FileReadError as exc:
        raise KeyProblemError(sentence_of(exc)) from None


def open_key(
    name: str, passphrase: str, *, directory: Path | None = None
) -> tuple[bytes, Ed25519PrivateKey, str]:
    """(key file bytes, the private key, its public key in base64) for signing."""
    _path, data = read_key_file(name, directory=directory)
    try:
        private = signing.load_private_key(data, passphrase)
    except ApprovalSigningError as exc:
        raise KeyProblemError(
            Sentence(f"key {name!r}: {exc}", "key.cannot_open", name=name, problem=sentence_of(exc))
        ) from None
    return data, private, signing.public_b64(private.public_key())


def list_keys(*, directory: Path | None = None) -> list[KeyInfo]:
    """The keys in the keys folder with their fingerprints (no passphrase needed; a key of
    format version 1 is listed from its .pub file). Unreadable files are skipped."""
    folder = directory or keys_dir()
    if not folder.is_dir():
        return []
    keys = []
    for path in sorted(folder.glob("*.key")):
        try:
            data = read_limited(path, MAX_KEY_BYTES, what="key file")
            public = keyfile.public_key_in_file(data)
            version = keyfile.key_file_version(data)
            if public is None:
                pub = path.with_suffix(".pub")
                public = signing.public_key_from_text(pub.read_text("utf-8"))
        except (OSError, FileReadError, keyfile.KeyFileError, ApprovalSigningError):
            continue
        keys.append(KeyInfo(path.stem, path, public, signing.fingerprint(public), version))
    return keys


def local_fingerprints(*, directory: Path | None = None) -> set[str]:
    return {k.fingerprint for k in list_keys(directory=directory)}


__all__ = [
    "KEYS_ENV",
    "KeyInfo",
    "KeyProblemError",
    "create_key",
    "keys_dir",
    "list_keys",
    "local_fingerprints",
    "open_key",
    "read_key_file",
]
