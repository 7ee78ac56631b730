"""PAdES signatures on final PDFs (pyHanko): the seller signs, the customer signs back.

- ``sign_as_seller``: one incremental update that adds the customer's empty signature
  field and the seller's visible, *certifying* signature (DocMDP "fill forms and sign"),
  both on the order form's signature lines. A certifying signature covers every byte
  of its revision: any change to those bytes breaks it in any PDF reader, and an
  incremental update that does more than fill the form and sign is flagged by the readers
  that honour DocMDP (Acrobat, pyHanko).
- ``pdf_signatures``: every signature of a PDF, each checked (the bytes it covers are
  intact, the signature over them is valid, what changed after it), with who signed and
  when. Trust in a certificate is not judged here: an order form's signer is a person whose
  certificate may come from any issuer, and the app works offline; the result says whether
  the certificate is self-signed, and whether it is a Quote Builder trial certificate.
- ``trial_certificate``: a self-signed certificate for a trial, marked as such in its
  subject (``TRIAL_UNIT``), as a passphrase-protected PKCS#12 file.

No database, no files: bytes in, bytes out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from quote_builder.errors import Sentence

SELLER_FIELD = "SellerSignature"
CUSTOMER_FIELD = "CustomerSignature"
TRIAL_UNIT = "Quote Builder trial certificate (self-signed)"
"""The organisational unit of a trial certificate's subject: how anyone tells it apart."""


class PdfSignatureError(ValueError):
    """A certificate file that cannot be used, a PDF that cannot be signed or read."""


@dataclass(frozen=True)
class SignatureBox:
    """Where a signature goes: a page (0-based) and a rectangle in PDF points
    (x0, y0, x1, y1, origin bottom left)."""

    page: int
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    common_name: str
    email: str
    organisation: str
    issuer: str
    fingerprint: str
    """SHA-256 of the certificate (DER), hex."""
    not_before: dt.datetime
    not_after: dt.datetime
    self_signed: bool
    trial: bool

    @property
    def label(self) -> str:
        """``Acme AI (self-signed (trial))``: what Settings and ``verify`` print."""
        who = self.common_name or self.subject
        if self.trial:
            return Sentence(f"{who}, self-signed (trial)", "certificate.label_trial", who=who)
        if self.self_signed:
            return Sentence(f"{who}, self-signed", "certificate.label_self_signed", who=who)
        return Sentence(
            f"{who}, issued by {self.issuer}",
            "certificate.label_issued",
            who=who,
            issuer=self.issuer,
        )


@dataclass(frozen=True)
class SignatureInfo:
    field: str
    certificate: CertificateInfo
    signed_at: dt.datetime | None
    """The signing time the signer's software reported (no time-stamp authority offline)."""
    intact: bool
    """The bytes the signature covers hash to what was signed."""
    valid: bool
    """The signature over those bytes verifies with the certificate's key."""
    covered_bytes: int
    """Where the signed revision ends: its first ``covered_bytes`` bytes are what was signed."""
    whole_file: bool
    """The signature covers the whole file (nothing was added after it)."""
    changes_after: str
    """What was changed after this signature: ``none``, ``form filling and signing``,
    ``annotations``, or ``other changes``."""
    certifying: bool
    docmdp_ok: bool | None
    """For a certifying signature: whether what changed after it is what it permits."""
    problem: str = ""
    """Why the signature could not be checked at all (a damaged signature value): then
    ``intact`` and ``valid`` are False."""

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.docmdp_ok is not False


@contextmanager
def _quiet() -> Iterator[None]:
    """pyHanko logs an error for every certificate it cannot chain to a trusted root, and
    for the tagged PDF structures it does not analyse; trust is not judged here."""
    loggers = [logging.getLogger(n) for n in ("pyhanko", "pyhanko_certvalidator")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _name_part(name: Any, key: str) -> str:
    value = name.native.get(key, "")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value)


def certificate_info(cert: Any) -> CertificateInfo:
    """The parts of an ``asn1crypto`` certificate that Settings and ``verify`` show."""
    subject, issuer = cert.subject, cert.issuer
    units = _name_part(subject, "organizational_unit_name")
    return CertificateInfo(
        subject=subject.human_friendly,
        common_name=_name_part(subject, "common_name"),
        email=_name_part(subject, "email_address"),
        organisation=_name_part(subject, "organization_name"),
        issuer=_name_part(issuer, "common_name") or issuer.human_friendly,
        fingerprint=hashlib.sha256(cert.dump()).hexdigest(),
        not_before=cert.not_valid_before,
        not_after=cert.not_valid_after,
        self_signed=cert.self_signed != "no",
        trial=TRIAL_UNIT in units and cert.self_signed != "no",
    )


def _signer(pkcs12: bytes, passphrase: str) -> Any:
    from cryptography.hazmat.primitives.serialization import pkcs12 as p12
    from pyhanko.sign import signers

    try:
        p12.load_key_and_certificates(pkcs12, passphrase.encode("utf-8"))
    except ValueError:
        raise PdfSignatureError(
            Sentence(
                "the signing certificate could not be opened: the passphrase is wrong, or the "
                "file is not a PKCS#12 (.p12, .pfx) file",
                "certificate.cannot_open",
            )
        ) from None
    with _quiet():
        signer = signers.SimpleSigner.load_pkcs12_data(
            pkcs12, [], passphrase=passphrase.encode("utf-8")
        )
    if signer is None:
        raise PdfSignatureError(
            Sentence(
                "the signing certificate file holds no key and certificate", "certificate.empty"
            )
        )
    return signer


def pkcs12_certificate(pkcs12: bytes, passphrase: str) -> CertificateInfo:
    """The certificate of a PKCS#12 file, opened with its passphrase (refused with a
    sentence when the passphrase is wrong or the file holds no key)."""
    return certificate_info(_signer(pkcs12, passphrase).signing_cert)


def pkcs12_certificate_pem(pkcs12: bytes, passphrase: str) -> bytes:
    """The certificate of a PKCS#12 file as PEM, kept beside it so that Settings and the
    app can show it without asking for the passphrase."""
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.hazmat.primitives.serialization import pkcs12 as p12

    _signer(pkcs12, passphrase)
    _key, cert, _chain = p12.load_key_and_certificates(pkcs12, passphrase.encode("utf-8"))
    assert cert is not None  # _signer refused a file without one
    return cert.public_bytes(Encoding.PEM)


def certificate_from_pem(pem: bytes) -> CertificateInfo:
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509

    try:
        _kind, _headers, der = asn1_pem.unarmor(pem)
        return certificate_info(asn1_x509.Certificate.load(der))
    except (ValueError, TypeError) as exc:
        raise PdfSignatureError(
            Sentence(
                f"the certificate cannot be read ({exc})",
                "certificate.unreadable_pem",
                problem=str(exc),
            )
        ) from None


def _pdf_signer_at() -> type:
    from pyhanko.sign import signers

    class PdfSignerAt(signers.PdfSigner):
        """pyHanko's signer, stating ``at`` as the signing time (else the clock's)."""

        def __init__(self, at: dt.datetime | None, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._at = at

        def init_signing_session(self, *args: Any, **kwargs: Any) -> Any:
            session = super().init_signing_session(*args, **kwargs)
            if self._at is not None:
                session.system_time = self._at
            return session

    return PdfSignerAt


def sign_as_seller(
    pdf: bytes,
    pkcs12: bytes,
    passphrase: str,
    *,
    seller_box: SignatureBox,
    customer_box: SignatureBox,
    reason: str,
    signing_time: dt.datetime | None = None,
) -> bytes:
    """``pdf`` with the customer's empty signature field and the seller's visible
    certifying signature, in one incremental update (the original bytes are kept).
    ``signing_time`` is the time the signature states: the one the order form prints
    (rendered a moment before), so that the page and the signature never disagree."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    signer = _signer(pkcs12, passphrase)
    try:
        with _quiet():
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
            fields.append_signature_field(
                writer,
                fields.SigFieldSpec(
                    CUSTOMER_FIELD, on_page=customer_box.page, box=customer_box.box
                ),
            )
            meta = signers.PdfSignatureMetadata(
                field_name=SELLER_FIELD,
                certify=True,
                docmdp_permissions=fields.MDPPerm.FILL_FORMS,
                subfilter=fields.SigSeedSubFilter.PADES,
                reason=reason,
            )
            # The widget draws nothing: the order form prints who signed and when under it,
            # in its own language and fonts (documents.order_form._seller_signed), where
            # pyHanko's stamp could only write English in Courier.
            style = TextStampStyle(stamp_text="", border_width=0, background=None)
            output = io.BytesIO()
            _pdf_signer_at()(
                signing_time,
                meta,
                signer,
                stamp_style=style,
                new_field_spec=fields.SigFieldSpec(
                    SELLER_FIELD, on_page=seller_box.page, box=seller_box.box
                ),
            ).sign_pdf(writer, output=output)
    except (PdfError, ValueError, KeyError) as exc:
        raise PdfSignatureError(
            Sentence(f"the PDF could not be signed ({exc})", "pdf.not_signed", problem=str(exc))
        ) from None
    return output.getvalue()


_CHANGES = {
    "NONE": "none",
    "LTA_UPDATES": "none",
    "FORM_FILLING": "form filling and signing",
    "ANNOTATIONS": "annotations",
    "OTHER": "other changes",
}


def pdf_signatures(pdf: bytes) -> list[SignatureInfo]:
    """Every signature in ``pdf``, oldest first, each checked (PdfSignatureError when the
    file is not a PDF pyHanko can read)."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        with _quiet():
            reader = PdfFileReader(io.BytesIO(pdf), strict=False)
            found = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise PdfSignatureError(
            Sentence(
                f"it is not a PDF whose signatures can be read ({exc})",
                "pdf.signatures_unreadable",
                problem=str(exc),
            )
        ) from None
    results = []
    for signature in found:
        try:
            with _quiet():
                status = validate_pdf_signature(
                    signature, ValidationContext(trust_roots=[], allow_fetching=False)
                )
        except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            # A signature whose value cannot even be read is a signature that does not
            # verify, never one that is not there.
            results.append(_unreadable(signature, exc))
            continue
        byte_range = signature.byte_range
        level = getattr(status.modification_level, "name", "OTHER")
        results.append(
            SignatureInfo(
                field=str(signature.field_name),
                certificate=certificate_info(signature.signer_cert),
                signed_at=status.signer_reported_dt,
                intact=bool(status.intact),
                valid=bool(status.valid),
                covered_bytes=int(byte_range[2]) + int(byte_range[3]),
                whole_file=getattr(status.coverage, "name", "") == "ENTIRE_FILE",
                changes_after=_CHANGES.get(level, "other changes"),
                certifying=signature.docmdp_level is not None,
                docmdp_ok=status.docmdp_ok if signature.docmdp_level is not None else None,
            )
        )
    return sorted(results, key=lambda s: s.covered_bytes)


_UNKNOWN_CERTIFICATE = CertificateInfo(
    subject="(unreadable)",
    common_name="",
    email="",
    organisation="",
    issuer="",
    fingerprint="",
    not_before=dt.datetime.min.replace(tzinfo=dt.UTC),
    not_after=dt.datetime.min.replace(tzinfo=dt.UTC),
    self_signed=False,
    trial=False,
)


def _unreadable(signature: Any, error: Exception) -> SignatureInfo:
    try:
        certificate = certificate_info(signature.signer_cert)
    except Exception:  # noqa: BLE001 (a damaged signature may hold no readable certificate)
        certificate = _UNKNOWN_CERTIFICATE
    try:
        byte_range = signature.byte_range
        covered = int(byte_range[2]) + int(byte_range[3])
    except Exception:  # noqa: BLE001
        covered = 0
    return SignatureInfo(
        field=str(getattr(signature, "field_name", "")),
        certificate=certificate,
        signed_at=None,
        intact=False,
        valid=False,
        covered_bytes=covered,
        whole_file=False,
        changes_after="other changes",
        certifying=False,
        docmdp_ok=None,
        problem=Sentence(
            f"the signature cannot be read ({error})",
            "pdf.signature_unreadable",
            problem=str(error),
        ),
    )


def trial_certificate(name: str, passphrase: str, *, email: str = "", days: int = 365) -> bytes:
    """A self-signed certificate for ``name`` (RSA 2048, valid ``days`` days), its subject
    marked as a trial, as a PKCS#12 file whose key is encrypted with ``passphrase`` (the
    certificate stays readable, so Settings can show it without asking)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12 as p12
    from cryptography.x509.oid import NameOID

    if not name.strip():
        raise PdfSignatureError(
            Sentence("the certificate needs a name (the seller's)", "certificate.no_name")
        )
    if len(passphrase) < 8:
        raise PdfSignatureError(
            Sentence("the passphrase must be at least 8 characters", "certificate.short_passphrase")
        )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    parts = [
        x509.NameAttribute(NameOID.COMMON_NAME, name.strip()[:64]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, TRIAL_UNIT),
    ]
    if email:
        parts.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    subject = x509.Name(parts)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(50000)
        .key_cert_algorithm(p12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(passphrase.encode("utf-8"))
    )
    return p12.serialize_key_and_certificates(
        name.strip()[:64].encode("utf-8"), key, cert, None, encryption
    )


__all__ = [
    "CUSTOMER_FIELD",
    "SELLER_FIELD",
    "TRIAL_UNIT",
    "CertificateInfo",
    "PdfSignatureError",
    "SignatureBox",
    "SignatureInfo",
    "certificate_info",
    "pdf_signatures",
    "certificate_from_pem",
    "pkcs12_certificate",
    "pkcs12_certificate_pem",
    "sign_as_seller",
    "trial_certificate",
]
