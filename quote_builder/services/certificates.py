"""The seller's signing certificate on this machine: a PKCS#12 file (key and certificate,
protected by a passphrase) that signs final PDFs (PAdES, ``documents.pdfsign``).

It lives in ``user_config_dir("QuoteBuilder")/certificates/seller.p12`` (or
``$QUOTE_BUILDER_CERTIFICATES_DIR``), written whole with mode 0600 like the approver keys
(services/keys.py), with the certificate alone beside it (``seller.crt``, PEM) so that
Settings can show it without the passphrase. A file others can read is refused, with the
chmod that fixes it. The passphrase is asked each time (the app's dialog, or
``QUOTE_BUILDER_PASSPHRASE`` / a terminal on the command line) and never stored.

Settings can also make a self-signed certificate for a trial; its subject says so
(``documents.pdfsign.TRIAL_UNIT``) and Settings and ``verify`` label it "self-signed
(trial)".

No database: these functions run where the user is. Finalising (services.lifecycle) reads
the file in the database process, which runs as the same user.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from quote_builder.documents import pdfsign
from quote_builder.documents.pdfsign import CertificateInfo, PdfSignatureError
from quote_builder.errors import Sentence, sentence_of
from quote_builder.safe_files import (
    FileReadError,
    FileWriteError,
    make_private_folder,
    read_limited,
    write_atomic,
)

from .core import ServiceError

CERTIFICATES_ENV = "QUOTE_BUILDER_CERTIFICATES_DIR"
SELLER_FILE = "seller.p12"
SELLER_CERTIFICATE = "seller.crt"
MAX_CERTIFICATE_BYTES = 256 * 1024


class CertificateProblemError(ServiceError):
    """No signing certificate, a wrong passphrase, a file that is not PKCS#12, a file
    others can read."""


@dataclass(frozen=True)
class SellerCertificate:
    info: CertificateInfo
    path: Path

    @property
    def label(self) -> str:
        return self.info.label


def certificates_dir() -> Path:
    override = os.environ.get(CERTIFICATES_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("QuoteBuilder", appauthor=False)) / "certificates"


def _check_private(path: Path) -> None:
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise CertificateProblemError(
            Sentence(
                f"the signing certificate {path} can be read by other users (mode {mode:04o}), "
                f"so it is not used; make it private with: chmod 600 {path}",
                "certificate.not_private",
                path=str(path),
                mode=f"{mode:04o}",
            )
        )


def seller_certificate(*, directory: Path | None = None) -> SellerCertificate | None:
    """The seller's certificate as Settings shows it (no passphrase needed), or None."""
    folder = directory or certificates_dir()
    path = folder / SELLER_FILE
    pem = folder / SELLER_CERTIFICATE
    if not path.is_file() or not pem.is_file():
        return None
    try:
        info = pdfsign.certificate_from_pem(read_limited(pem, MAX_CERTIFICATE_BYTES))
    except (FileReadError, PdfSignatureError) as exc:
        raise CertificateProblemError(
            Sentence(
                f"the signing certificate cannot be read: {exc}",
                "certificate.unreadable",
                problem=sentence_of(exc),
            )
        ) from None
    return SellerCertificate(info, path)


def read_seller_pkcs12(*, directory: Path | None = None) -> bytes:
    """The PKCS#12 file's bytes, refused when there is none or others can read it."""
    path = (directory or certificates_dir()) / SELLER_FILE
    if not path.is_file():
        raise CertificateProblemError(
            Sentence(
                "there is no seller signing certificate on this computer: choose one in "
                "Settings (a PKCS#12 file), or create a trial certificate there",
                "certificate.none",
            )
        )
    _check_private(path)
    try:
        return read_limited(path, MAX_CERTIFICATE_BYTES, what="signing certificate")
    except FileReadError as exc:
        raise CertificateProblemError(sentence_of(exc)) from None


def _install(
    data: bytes, passphrase: str, directory: Path | None, replace: bool
) -> SellerCertificate:
    try:
        pem = pdfsign.pkcs12_certificate_pem(data, passphrase)
        info = pdfsign.pkcs12_certificate(data, passphrase)
    except PdfSignatureError as exc:
        raise CertificateProblemError(sentence_of(exc)) from None
    folder = directory or certificates_dir()
    path = folder / SELLER_FILE
    if path.exists() and not replace:
        raise CertificateProblemError(
            Sentence(
                f"a seller signing certificate is already installed ({path}); replace it on purpose",
                "certificate.installed_already",
                path=str(path),
            )
        )
    try:
        make_private_folder(folder)
        write_atomic(path, data, mode=0o600, what="the signing certificate")
        write_atomic(folder / SELLER_CERTIFICATE, pem, mode=0o600, what="the certificate")
    except FileWriteError as exc:
        raise CertificateProblemError(sentence_of(exc)) from None
    return SellerCertificate(info, path)


def install_seller_certificate(
    data: bytes, passphrase: str, *, directory: Path | None = None, replace: bool = False
) -> SellerCertificate:
    """Install a PKCS#12 file as the seller's signing certificate: opened with its
    passphrase first (a wrong passphrase or a file without a key is refused), then copied
    into the certificates folder (0600)."""
    return _install(data, passphrase, directory, replace)


def create_trial_certificate(
    name: str,
    passphrase: str,
    *,
    email: str = "",
    directory: Path | None = None,
    replace: bool = False,
) -> SellerCertificate:
    """A self-signed certificate for a trial, labelled as such, installed as the seller's."""
    try:
        data = pdfsign.trial_certificate(name, passphrase, email=email)
    except PdfSignatureError as exc:
        raise CertificateProblemError(sentence_of(exc)) from None
    return _install(data, passphrase, directory, replace)


__all__ = [
    "CERTIFICATES_ENV",
    "CertificateProblemError",
    "SellerCertificate",
    "certificates_dir",
    "create_trial_certificate",
    "install_seller_certificate",
    "read_seller_pkcs12",
    "seller_certificate",
]
