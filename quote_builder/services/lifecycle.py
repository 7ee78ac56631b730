"""A deal's life after the draft: finalise and send, lose, expire and re-issue, accept.

Each transition is one use case with one audit event (``quotes.set_quote_status``):

- **Finalise** (``finalise_quote``): the latest version of an approved quote, or of a
  draft the policy does not send to the deal desk, rendered final (``documents.final_state``
  decides) for a customer the order form can name (a billing address and a contact to
  sign: ``customer_gaps``, else ``CustomerIncompleteError``), signed by the seller
  (PAdES, certifying, with an empty signature field for the customer;
  ``documents.pdfsign``), stored byte for byte (``sent_document``, append-only)
  and marked sent with who, when and the file's SHA-256. Finalising a sent quote again
  returns the same stored file: sending again sends the same frozen version.
- **Lost** (``mark_lost``): a reason from ``LOST_REASONS`` and the rep's words.
- **Expired**: a draft, approved or sent quote whose valid-until has passed reads as
  expired (``effective_status``), and a use case that touches it stores the status. It
  cannot be finalised or accepted; ``reissue_quote`` makes a new version (the same terms,
  a new issue date) with a new valid-until, back in draft.
- **Accepted**: ``import_signed_pdf`` checks the customer's signed PDF (below) and
  ``record_paper_acceptance`` records a printed, signed and scanned copy (marked as
  such). Both keep the file (``acceptance``, append-only).

What an imported signed PDF must be, in order (each refusal is a sentence, a
``AcceptanceRefusedError`` whose ``code`` names the check, and an ``acceptance_refused``
audit event): a PDF whose signatures can be read; an order form made here (its
``terms.json`` names a quote of this database); the version that was sent; the sent file
byte for byte as its first revision (the seller's signed revision unchanged); the seller's
signature intact and valid, with nothing after it but form filling and signing; the
customer's signature in the order form's customer field, intact and valid, covering the
whole file; its signer the person the sent order form names to sign for the customer
(compared as names look; someone else only when the one recording it confirms it,
``OtherSignerError``, recorded in the acceptance's history event); the quote sent (not
expired, lost or accepted already). A paper acceptance's "signed by" is compared the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from quote_builder.errors import Sentence, sentence_of
from quote_builder.store import repositories as repo
from quote_builder.store.columns import utcnow
from quote_builder.store.database import ConcurrentSaveError, Database
from quote_builder.store.models import Acceptance, Quote, SentDocument

from .core import (
    Changes,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    Outcome,
    RefusedError,
    not_found,
    quote_named,
)
from .customers import check_version
from .quotes import EXPIRING_STATUSES, effective_status, today

LOST_REASONS: dict[str, str] = {
    "price": "Price too high",
    "competitor": "Went with a competitor",
    "no_budget": "No budget",
    "no_decision": "No decision made",
    "timing": "Timing: not now",
    "scope": "Product did not fit",
    "other": "Other",
}
METHOD_WORDS: dict[str, str] = {
    "paper": "printed, signed and scanned (paper)",
    "signed_pdf": "signed PDF, signature intact",
    "signed_pdf_self_signed": (
        "signed PDF, signature intact; a self-signed certificate: it does not prove who signed"
    ),
}
"""How a customer's acceptance was recorded, by its stored method (``AcceptedFile.method``,
a history event's ``method``). A signed PDF's signature shows the file is as the customer
signed it; who signed is vouched for only by a certificate a certification authority
issued: one the signer made themselves names whoever they typed (``acceptance_method``)."""

SELF_SIGNED = "self-signed certificate"
"""The words ``Acceptance.signer_detail`` records for a certificate its signer issued."""


def acceptance_method(method: str, signer_detail: str) -> str:
    """The key of ``METHOD_WORDS`` for an acceptance: a signed PDF whose certificate is
    self-signed says that it does not prove who signed (the h7 walk: a rep's own
    certificate named "Thomas Hardy" was recorded as "signatures verified")."""
    if method == "signed_pdf" and SELF_SIGNED in signer_detail:
        return "signed_pdf_self_signed"
    return method if method in METHOD_WORDS else "signed_pdf"


MAX_SIGNED_PDF_BYTES = 100 * 1024 * 1024
MAX_SCAN_BYTES = 50 * 1024 * 1024
_SCAN_MAGIC = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"II*\x00": "TIFF image",
    b"MM\x00*": "TIFF image",
}


class AcceptanceRefusedError(RefusedError):
    """A signed PDF or acceptance that was not recorded; ``code`` names the check."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class OtherSignerError(AcceptanceRefusedError):
    """The acceptance is signed by someone other than the person the order form names to
    sign for the customer; nothing was recorded. Recording it again with
    ``other_signer_confirmed`` records it, saying so in the history."""

    def __init__(self, message: str, *, signed_by: str, signatory: str, customer: str) -> None:
        super().__init__("other_signer", message)
        self.signed_by = signed_by
        self.signatory = signatory
        self.customer = customer


def _named_signatory(sent_pdf: bytes) -> tuple[str, str]:
    """(who the sent order form names to sign for the customer, the customer's name) as its
    attached terms say; ('', '') when they name nobody."""
    terms = _terms_of(sent_pdf) or {}
    party = terms.get("customer")
    if not isinstance(party, dict):
        return "", ""
    signatory = " ".join(str(party.get("signatory") or "").split())
    customer = " ".join(str(party.get("legal_name") or party.get("name") or "").split())
    return signatory, customer


def named_signatory(db: Database, quote_id: int) -> str:
    """Who the order form last sent names to sign for the customer ('' when none)."""
    with db.read() as session:
        sent = _latest_sent(session, quote_id)
    return _named_signatory(sent.pdf)[0] if sent is not None else ""


def _other_signer(
    db: Database,
    quote_id: int,
    sent: SentDocument,
    who: str,
    *,
    file_name: str,
    actor: str,
    confirmed: bool,
) -> dict[str, Any]:
    """Refuse (with an audit event) an acceptance signed by someone other than the order
    form's named signatory unless the one recording it confirmed it; the details the
    acceptance's history event then records ({} when the signer is the named one)."""
    from quote_builder.user import same_person

    signatory, customer = _named_signatory(sent.pdf)
    if not signatory or same_person(who, signatory):
        return {}
    if confirmed:
        return {"signatory": signatory, "other_signer_confirmed_by": actor}
    error = OtherSignerError(
        Sentence(
            f"{file_name} is signed by {who}, but the order form names {signatory} to sign for "
            f"{customer}: nothing was recorded; if {who} may sign for {customer}, record it "
            "again confirming the other signer",
            "acceptance.other_signer",
            name=file_name,
            who=who,
            signatory=signatory,
            customer=customer,
        ),
        signed_by=who,
        signatory=signatory,
        customer=customer,
    )
    _refuse(db, quote_id, error.code, str(error), actor, signed_by=who, signatory=signatory)
    raise error


@dataclass(frozen=True)
class SentInfo:
    quote_id: int
    quote_number: str
    version: int
    pdf_sha256: str
    terms_hash: str
    file_name: str
    signer: str
    trial_certificate: bool
    sent_by: str
    sent_at: dt.datetime
    pdf: bytes
    resent: bool = False
    """This call sent the already frozen file again."""


@dataclass(frozen=True)
class AcceptanceInfo:
    quote_id: int
    quote_number: str
    version: int
    method: str
    signed_by: str
    signed_at: dt.datetime
    signer_detail: str
    file_name: str
    file_sha256: str
    recorded_by: str
    recorded_at: dt.datetime

    @property
    def method_words(self) -> str:
        return METHOD_WORDS[acceptance_method(self.method, self.signer_detail)]


class FinalisedMeanwhileError(RefusedError):
    """Finalise lost a race: another finalise (another process or window) signed and sent
    the quote while this one was signing it; this one saved nothing. ``sent`` is what the
    other one sent (finalising again returns that very file)."""

    def __init__(self, number: str, sent: SentDocument) -> None:
        at = sent.sent_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        who = sent.sent_by or "someone"
        super().__init__(
            Sentence(
                f"{number} version {sent.version_number} was finalised and sent by {who} at "
                f"{at} while this finalise was signing it; nothing more was saved: finalise it "
                "again to get the file that was sent",
                "finalise.finalised_meanwhile",
                number=number,
                version=sent.version_number,
                sent_by=who,
                sent_at=at,
            )
        )
        self.number = number
        self.version = sent.version_number
        self.sent_by = who
        self.sent_at = at


class CustomerIncompleteError(RefusedError):
    """Finalise refused: the customer lacks what the order form's parties and signature
    blocks need (``gaps``: keys of ``pricing.terms.CUSTOMER_GAPS``). The app offers to open
    the customer (``customer_id``)."""

    def __init__(self, message: str, gaps: CustomerGaps) -> None:
        super().__init__(message)
        self.gaps = gaps


@dataclass(frozen=True)
class CustomerGaps:
    """What the customer of a quote lacks before its order form can be signed: the
    customer to open (None: not in this database) and the sentence to show."""

    customer_id: int | None
    customer_name: str
    gaps: tuple[str, ...]
    sentence: str


def customer_gaps(db: Database, quote_id: int) -> CustomerGaps | None:
    """The latest version's customer as its order form would name it now: None when it
    has a billing address and someone to sign (its first contact), else what is missing.
    Finalise refuses while anything is; the editor's banner says so before."""
    from quote_builder.pricing.terms import customer_gaps as gaps_of
    from quote_builder.pricing.terms import customer_gaps_sentence

    from .documents import customer_party
    from .quotes import open_version

    opened = open_version(db, quote_id)
    customer_id, party = customer_party(db, opened.document)
    terms_party = party.terms_party()
    gaps = gaps_of(terms_party)
    if not gaps:
        return None
    return CustomerGaps(customer_id, party.name, tuple(gaps), customer_gaps_sentence(terms_party))


def customer_incomplete_error(number: str, incomplete: CustomerGaps) -> CustomerIncompleteError:
    """Finalise refused for what the customer lacks: "Q-2026-0004 cannot be finalised:
    Contoso Legal has no billing address ...: on the Customers page, fill in its Billing
    address ..." (the command line says it before asking for the passphrase)."""
    return CustomerIncompleteError(
        Sentence(
            f"{number} cannot be finalised: {incomplete.sentence}",
            "finalise.customer_incomplete",
            number=number,
            customer=incomplete.customer_name,
            gaps=incomplete.gaps,
            sentence=incomplete.sentence,
        ),
        incomplete,
    )


def jurisdiction_gaps(db: Database, quote_id: int) -> tuple[str, ...]:
    """The governing law and courts the latest version's order form lacks (fields of
    ``pricing.legal.JURISDICTION_FIELDS``; empty: both set): a seller outside the United
    States that has not given its own, and a quote that does not set them either. Finalise
    refuses while any is; the editor's warnings say so before."""
    from .quotes import open_version
    from .settings import get_settings, jurisdiction_unset

    return jurisdiction_unset(get_settings(db), open_version(db, quote_id).document)


def jurisdiction_error(number: str, missing: tuple[str, ...]) -> RefusedError:
    """Finalise refused for law and courts not set: "Q-2026-0004 cannot be finalised: the
    governing law and the courts are not set (...): fill in Settings → legal frame →
    Governing law / Courts" (the command line says it before asking for the passphrase)."""
    from quote_builder.pricing.legal import jurisdiction_problem

    return RefusedError(
        Sentence(
            f"{number} cannot be finalised: {jurisdiction_problem(missing)}",
            "finalise.jurisdiction_missing",
            number=number,
            fields=list(missing),
        )
    )


def stale_tax_error(db: Database, quote_id: int, number: str) -> RefusedError | None:
    """Finalise refused for a tax decided on other customer details than its record's now
    (a tax ID added since: the reverse charge, not the customer's VAT): "Q-2026-0004 cannot
    be finalised: Hooli AI GmbH now has a tax ID (DE123456789): decide the tax again ..."
    (the command line says it before asking for the passphrase); None when the tax fits."""
    from .tax import stale_tax_problem

    problem = stale_tax_problem(db, quote_id)
    if problem is None:
        return None
    return RefusedError(
        Sentence(
            f"{number} cannot be finalised: {problem}",
            "finalise.tax_stale",
            number=number,
            problem=problem,
        )
    )


def persist_expiry(session: Session, quote: Quote, *, actor: str) -> bool:
    """Store ``expired`` when the valid-until date has passed (audited); True if it did."""
    from .quotes import set_quote_status

    if (
        quote.status in EXPIRING_STATUSES
        and effective_status(quote.status, quote.valid_until) == "expired"
    ):
        set_quote_status(
            session,
            quote,
            "expired",
            actor=actor,
            action="quote_expired",
            details={"valid_until": quote.valid_until.isoformat() if quote.valid_until else None},
        )
        return True
    return False


def _load(session: Session, quote_id: int) -> Quote:
    quote = repo.get_quote(session, quote_id=quote_id)
    if quote is None:
        raise NotFoundError(not_found("quote", quote_id))
    return quote


def _expire_now(db: Database, quote_id: int, actor: str) -> None:
    """Persist an expiry in its own transaction, so a refusal that follows keeps it."""
    with db.write() as session:
        persist_expiry(session, _load(session, quote_id), actor=actor)


def _expired_sentence(quote: Quote) -> Sentence:
    return Sentence(
        f"{quote.number} expired on {quote.valid_until.isoformat() if quote.valid_until else '?'} "
        "(its valid-until date has passed): re-issue it as a new version with a new "
        "valid-until date first",
        "quote.expired",
        number=quote.number,
        valid_until=quote.valid_until or "?",
    )


def _sent_info(quote: Quote, sent: SentDocument, *, resent: bool = False) -> SentInfo:
    assert quote.id is not None
    return SentInfo(
        quote.id,
        quote.number,
        sent.version_number,
        sent.pdf_sha256,
        sent.terms_hash,
        sent.file_name,
        sent.signer,
        sent.trial_certificate,
        sent.sent_by,
        sent.sent_at,
        sent.pdf,
        resent,
    )


def _latest_sent(session: Session, quote_id: int) -> SentDocument | None:
    return session.exec(
        select(SentDocument)
        .where(SentDocument.quote_id == quote_id)
        .order_by(col(SentDocument.id).desc())
    ).first()


def sent_document(db: Database, quote_id: int) -> SentInfo | None:
    """The last file sent for this quote (its exact bytes), or None."""
    with db.read() as session:
        quote = _load(session, quote_id)
        sent = _latest_sent(session, quote_id)
        return _sent_info(quote, sent) if sent else None


def sent_version(db: Database, quote_id: int, version: int | None = None) -> SentInfo | None:
    """The file sent for ``version`` (default: the quote's latest version), its exact
    bytes; None when that version was never sent. A sent version is frozen: its only
    final document is this file (``render`` writes it, the editor's preview shows it), and
    a new render of it is a draft (``documents.final_state``)."""
    with db.read() as session:
        quote = _load(session, quote_id)
        number = quote.latest_version if version is None else version
        sent = session.exec(
            select(SentDocument)
            .where(SentDocument.quote_id == quote_id, SentDocument.version_number == number)
            .order_by(col(SentDocument.id).desc())
        ).first()
        return _sent_info(quote, sent) if sent else None


def sent_words(sent: SentInfo) -> Sentence:
    """``Q-2026-0005 version 2 was sent on 2026-11-30 as Q-2026-0005-v2.pdf, signed by Acme
    AI (SHA-256 3f2a9c1e…)``: what a refused new render of a frozen version points at."""
    return Sentence(
        f"{sent.quote_number} version {sent.version} was sent on {sent.sent_at:%Y-%m-%d} as "
        f"{sent.file_name}, signed by {sent.signer} (SHA-256 {sent.pdf_sha256[:16]}…)",
        "quote.sent_as",
        number=sent.quote_number,
        version=sent.version,
        sent_on=sent.sent_at.date(),
        file_name=sent.file_name,
        signer=sent.signer,
        sha256=sent.pdf_sha256[:16],
    )


def finalise_quote(
    db: Database,
    quote_id: int,
    *,
    expected_version: int,
    actor: str,
    passphrase: str,
    pkcs12: bytes | None = None,
) -> Outcome[SentInfo]:
    """Render the final PDF of the latest version, sign it as the seller, store it and mark
    the quote sent (see the module's text). A sent quote returns its stored file again.
    ``pkcs12`` overrides the seller certificate installed on this machine."""
    from quote_builder.documents import pdfsign
    from quote_builder.documents.viewmodel import SellerSigning

    from .certificates import CertificateProblemError, read_seller_pkcs12
    from .documents import render_for_sending
    from .terms_link import TERMS_ATTACHMENT, terms_hash
    from .verify import read_attachments

    _expire_now(db, quote_id, actor)
    with db.read() as session:
        quote = _load(session, quote_id)
        check_version(quote, expected_version, quote_named(quote.number))
        number, status = quote.number, quote.status
        sent = _latest_sent(session, quote_id)
    if status == "sent" and sent is not None and sent.version_number == quote.latest_version:
        with db.write() as session:
            quote = _load(session, quote_id)
            repo.add_audit_event(
                session,
                actor=actor,
                action="quote_resent",
                entity_type="quote",
                entity_id=quote_id,
                quote_id=quote_id,
                details={"version": sent.version_number, "pdf_sha256": sent.pdf_sha256},
            )
            return Outcome(_sent_info(quote, sent, resent=True), Changes.of(quotes=[quote_id]))
    if status == "expired":
        raise RefusedError(_expired_sentence(quote))
    if status not in ("draft", "approved"):
        raise RefusedError(
            Sentence(
                f"{number} is {status.replace('_', ' ')}: only an approved quote, or a draft that "
                "needs no approval, can be finalised",
                "finalise.status",
                number=number,
                status=status,
            )
        )
    incomplete = customer_gaps(db, quote_id)
    if incomplete is not None:
        raise customer_incomplete_error(number, incomplete)
    missing = jurisdiction_gaps(db, quote_id)
    if missing:
        raise jurisdiction_error(number, missing)
    stale = stale_tax_error(db, quote_id, number)
    if stale is not None:
        raise stale
    data = pkcs12 if pkcs12 is not None else read_seller_pkcs12()
    try:
        certificate = pdfsign.pkcs12_certificate(data, passphrase)
    except pdfsign.PdfSignatureError as exc:
        raise CertificateProblemError(sentence_of(exc)) from None
    # Who signs and when, printed on the order form in its language (the seller's line and
    # Date line): the PDF is rendered for this signature, signed a moment later.
    signing = SellerSigning(
        signer=certificate.common_name or certificate.organisation or certificate.subject,
        at=dt.datetime.now(dt.UTC).replace(second=0, microsecond=0),
    )
    rendered = render_for_sending(db, number, signing)
    boxes = rendered.result.signature_boxes
    if "seller" not in boxes or "customer" not in boxes:
        raise RefusedError(
            Sentence("the order form has no signature block to sign", "finalise.no_signature_block")
        )
    try:
        signed = pdfsign.sign_as_seller(
            rendered.result.pdf,
            data,
            passphrase,
            seller_box=pdfsign.SignatureBox(*boxes["seller"]),
            customer_box=pdfsign.SignatureBox(*boxes["customer"]),
            reason=f"Order form {number} version {rendered.version}",
            signing_time=signing.at,
        )
    except pdfsign.PdfSignatureError as exc:
        raise CertificateProblemError(sentence_of(exc)) from None
    terms = read_attachments(signed).get(TERMS_ATTACHMENT, b"")
    digest = hashlib.sha256(signed).hexdigest()
    try:
        return _store_sent(
            db,
            quote_id,
            expected_version=expected_version,
            status=status,
            rendered_version=rendered.version,
            terms_hash_value=terms_hash(terms),
            signed=signed,
            digest=digest,
            certificate=certificate,
            actor=actor,
            sent_before=sent.id if sent is not None else None,
        )
    except (ConflictError, ConcurrentSaveError):
        # Another finalise (another process, another window) won the race: say that it
        # finalised the quote, not "reload", which a command line cannot do.
        with db.read() as session:
            meanwhile = _latest_sent(session, quote_id)
        if meanwhile is None or (sent is not None and meanwhile.id == sent.id):
            raise
        raise FinalisedMeanwhileError(number, meanwhile) from None


def _store_sent(
    db: Database,
    quote_id: int,
    *,
    expected_version: int,
    status: str,
    rendered_version: int | None,
    terms_hash_value: str,
    signed: bytes,
    digest: str,
    certificate: Any,
    actor: str,
    sent_before: int | None,
) -> Outcome[SentInfo]:
    """Keep the signed file and mark the quote sent, unless it changed since it was read
    (``finalise_quote``)."""
    with db.write() as session:
        quote = _load(session, quote_id)
        number = quote.number
        meanwhile = _latest_sent(session, quote_id)
        if meanwhile is not None and meanwhile.id != sent_before and quote.status == "sent":
            raise FinalisedMeanwhileError(number, meanwhile)
        check_version(quote, expected_version, quote_named(quote.number))
        if quote.status != status or quote.latest_version != rendered_version:
            raise RefusedError(
                Sentence(
                    f"{number} changed while it was being finalised; try again",
                    "finalise.changed_meanwhile",
                    number=number,
                )
            )
        assert quote.id is not None and rendered_version is not None
        version = repo.get_version(session, quote_id=quote.id, number=rendered_version)
        assert version is not None
        row = SentDocument(
            quote_id=quote.id,
            version_number=rendered_version,
            version_hash=version.content_hash,
            terms_hash=terms_hash_value,
            pdf_sha256=digest,
            pdf=signed,
            file_name=f"{number}-v{rendered_version}.pdf",
            signer=certificate.label,
            certificate_sha256=certificate.fingerprint,
            trial_certificate=certificate.trial,
            sent_by=actor,
            sent_at=utcnow(),
        )
        session.add(row)
        session.flush()
        from .quotes import set_quote_status

        set_quote_status(
            session,
            quote,
            "sent",
            actor=actor,
            action="quote_sent",
            version_id=version.id,
            details={
                "version": rendered_version,
                "pdf_sha256": digest,
                "terms_hash": row.terms_hash,
                "signer": certificate.label,
            },
        )
        return Outcome(_sent_info(quote, row), Changes.of(quotes=[quote_id]))


def mark_lost(
    db: Database,
    quote_id: int,
    *,
    reason: str,
    details: str = "",
    expected_version: int,
    actor: str,
) -> Outcome[str]:
    """Mark a quote lost, with a reason from ``LOST_REASONS`` and the rep's words (needed
    for "other"). An accepted quote is a signed contract and cannot be lost."""
    from .quotes import set_quote_status

    problems: list[str] = []
    if reason not in LOST_REASONS:
        problems.append(
            Sentence(
                "Reason: choose one of "
                + ", ".join(f"{words} ({key})" for key, words in LOST_REASONS.items()),
                "lost.reason",
                reasons=list(LOST_REASONS),
            )
        )
    words = " ".join(details.split())
    if reason == "other" and not words:
        problems.append(Sentence("Details: say why the deal was lost", "lost.no_details"))
    if len(words) > 400:
        problems.append(Sentence("Details: at most 400 characters", "lost.details_too_long"))
    if "\x00" in details:
        problems.append(Sentence("Details: must not contain a NUL character", "lost.details_nul"))
    if problems:
        raise InvalidInputError(problems)
    with db.write() as session:
        quote = _load(session, quote_id)
        check_version(quote, expected_version, quote_named(quote.number))
        if quote.status in ("accepted", "lost"):
            raise RefusedError(
                Sentence(
                    f"{quote.number} is accepted: a signed contract is changed by an amendment",
                    "lost.accepted",
                    number=quote.number,
                )
                if quote.status == "accepted"
                else Sentence(f"{quote.number} is {quote.status}", "lost.lost", number=quote.number)
            )
        text = LOST_REASONS[reason] + (f": {words}" if words else "")
        quote.lost_reason = text
        set_quote_status(
            session,
            quote,
            "lost",
            actor=actor,
            action="quote_lost",
            details={"reason": reason, "details": words},
        )
        return Outcome(text, Changes.of(quotes=[quote_id]))


def set_valid_until(
    db: Database,
    quote_id: int,
    valid_until: dt.date,
    *,
    expected_version: int,
    actor: str,
) -> Outcome[dt.date]:
    """Change the offer's valid-until date of a quote that has not been sent. The date is
    part of the customer's terms: an approved quote goes back to draft (the approval was
    for other terms). A sent or expired quote is re-issued instead."""
    from .quotes import set_quote_status

    if valid_until < today():
        raise InvalidInputError(
            [
                Sentence(
                    f"Valid until: {valid_until.isoformat()} has already passed",
                    "valid_until.passed",
                    valid_until=valid_until,
                )
            ]
        )
    with db.write() as session:
        quote = _load(session, quote_id)
        check_version(quote, expected_version, quote_named(quote.number))
        status = effective_status(quote.status, quote.valid_until)
        if status in ("sent", "expired"):
            raise RefusedError(
                Sentence(
                    f"{quote.number} is {status}: re-issue it as a new version to give it a new "
                    "valid-until date",
                    "valid_until.reissue",
                    number=quote.number,
                    status=status,
                )
            )
        if status in ("accepted", "lost", "pending_approval"):
            raise RefusedError(
                Sentence(
                    f"{quote.number} is {status.replace('_', ' ')}: its valid-until date cannot change",
                    "valid_until.fixed",
                    number=quote.number,
                    status=status,
                )
            )
        previous = quote.valid_until
        quote.valid_until = valid_until
        if quote.status == "approved":
            set_quote_status(
                session,
                quote,
                "draft",
                actor=actor,
                action="status_reset",
                details={"reason": "valid-until changed"},
            )
        from .quotes import _touch_and_audit

        _touch_and_audit(
            session,
            quote,
            actor=actor,
            action="valid_until_changed",
            at=None,
            version_id=None,
            details={
                "from": previous.isoformat() if previous else None,
                "to": valid_until.isoformat(),
            },
        )
        return Outcome(valid_until, Changes.of(quotes=[quote_id]))


def reissue_quote(
    db: Database,
    quote_id: int,
    *,
    valid_until: dt.date,
    expected_version: int,
    actor: str,
) -> Outcome[int]:
    """A new version of an expired (or lost) quote: the same terms, issued today, valid
    until ``valid_until``, back in draft (finalise it, or ask for approval, again).
    Returns the new version's number."""
    from .quotes import _append_version, open_version, set_quote_status

    if valid_until < today():
        raise InvalidInputError(
            [
                Sentence(
                    f"Valid until: {valid_until.isoformat()} has already passed",
                    "valid_until.passed",
                    valid_until=valid_until,
                )
            ]
        )
    _expire_now(db, quote_id, actor)
    opened = open_version(db, quote_id)
    with db.write() as session:
        quote = _load(session, quote_id)
        check_version(quote, expected_version, quote_named(quote.number))
        if quote.status not in ("expired", "lost"):
            raise RefusedError(
                Sentence(
                    f"{quote.number} is {quote.status.replace('_', ' ')}: only an expired or lost "
                    "quote is re-issued (change a draft's valid-until date directly)",
                    "reissue.status",
                    number=quote.number,
                    status=quote.status,
                )
            )
        previous = quote.status
        quote.valid_until = valid_until
        quote.lost_reason = ""
        version = _append_version(session, quote, opened.document, actor, "quote_reissued")
        set_quote_status(
            session,
            quote,
            "draft",
            actor=actor,
            action="status_reset",
            version_id=version.id,
            details={"reason": f"re-issued ({previous})", "valid_until": valid_until.isoformat()},
        )
        return Outcome(version.number, Changes.of(quotes=[quote_id]))


# --- acceptance ----------------------------------------------------------------------------


def _refuse(
    db: Database, quote_id: int | None, code: str, message: str, actor: str, **details: Any
) -> AcceptanceRefusedError:
    """Audit a refused acceptance in its own transaction and return the error to raise."""
    with db.write() as session:
        repo.add_audit_event(
            session,
            actor=actor,
            action="acceptance_refused",
            entity_type="quote",
            entity_id=quote_id,
            quote_id=quote_id,
            details={"reason": code, "message": message, **details},
        )
    return AcceptanceRefusedError(code, message)


def _acceptance_info(quote: Quote, version: int, row: Acceptance) -> AcceptanceInfo:
    assert quote.id is not None
    return AcceptanceInfo(
        quote.id,
        quote.number,
        version,
        row.method,
        row.signed_by,
        row.signed_at,
        row.signer_detail,
        row.file_name,
        row.file_sha256,
        row.recorded_by,
        row.recorded_at,
    )


def _terms_of(data: bytes) -> dict[str, Any] | None:
    from .terms_link import TERMS_ATTACHMENT
    from .verify import read_attachments

    try:
        raw = read_attachments(data).get(TERMS_ATTACHMENT)
        terms = json.loads(raw.decode("utf-8")) if raw else None
    except (ValueError, UnicodeDecodeError):
        return None
    return terms if isinstance(terms, dict) else None


def import_signed_pdf(
    db: Database,
    data: bytes,
    *,
    file_name: str,
    actor: str,
    quote_id: int | None = None,
    other_signer_confirmed: bool = False,
) -> Outcome[AcceptanceInfo]:
    """Record the customer's signed order form (see the module's text for every check).
    Signed by someone other than the person the order form names to sign for the customer,
    it is refused (``OtherSignerError``) unless ``other_signer_confirmed``: then it is
    recorded and its history event says who confirmed the other signer."""
    from quote_builder.documents import pdfsign

    from .quotes import quote_by_number

    name = file_name.rsplit("/", 1)[-1][-200:]
    if len(data) > MAX_SIGNED_PDF_BYTES:
        raise _refuse(
            db,
            quote_id,
            "file",
            Sentence(f"{name} is larger than 100 MB", "acceptance.too_large", name=name),
            actor,
        )
    try:
        signatures = pdfsign.pdf_signatures(data)
    except pdfsign.PdfSignatureError as exc:
        raise _refuse(
            db,
            quote_id,
            "file",
            Sentence(f"{name}: {exc}", "acceptance.unreadable", name=name, problem=str(exc)),
            actor,
        ) from None
    terms = _terms_of(data)
    if terms is None or not terms.get("quote_number"):
        raise _refuse(
            db,
            quote_id,
            "not_an_order_form",
            Sentence(
                f"{name} is not an order form made by Quote Builder (it carries no terms.json)",
                "acceptance.not_an_order_form",
                name=name,
            ),
            actor,
        )
    number, version = str(terms["quote_number"]), terms.get("version")
    with db.read() as session:
        try:
            quote = quote_by_number(session, number)
        except NotFoundError:
            quote = None
        if quote is None:
            raise _refuse(
                db,
                quote_id,
                "other_quote",
                Sentence(
                    f"{name} is the order form of {number}, which is not a quote of this database",
                    "acceptance.foreign_quote",
                    name=name,
                    number=number,
                ),
                actor,
            )
        if quote_id is not None and quote.id != quote_id:
            wanted = _load(session, quote_id).number
            raise _refuse(
                db,
                quote_id,
                "other_quote",
                Sentence(
                    f"{name} is the order form of {number}, not of {wanted}",
                    "acceptance.other_quote",
                    name=name,
                    number=number,
                    wanted=wanted,
                ),
                actor,
            )
        assert quote.id is not None
        qid = quote.id
        sent = _latest_sent(session, qid)
    if sent is None:
        raise _refuse(
            db,
            qid,
            "not_sent",
            Sentence(
                f"{number} was never sent: finalise it first", "acceptance.not_sent", number=number
            ),
            actor,
        )
    if version != sent.version_number:
        raise _refuse(
            db,
            qid,
            "other_version",
            Sentence(
                f"{name} is version {version} of {number}, but version {sent.version_number} is "
                "the one sent: the customer must sign the order form that was sent",
                "acceptance.other_version",
                name=name,
                version=version,
                number=number,
                sent_version=sent.version_number,
            ),
            actor,
        )
    if not data.startswith(sent.pdf):
        raise _refuse(
            db,
            qid,
            "changed",
            Sentence(
                f"{name} was changed after the seller signed it: its first revision is not the "
                f"file that was sent ({sent.file_name}, SHA-256 {sent.pdf_sha256[:12]}…)",
                "acceptance.not_the_sent_file",
                name=name,
                file_name=sent.file_name,
                sha256=sent.pdf_sha256[:12],
            ),
            actor,
        )
    seller = next(
        (
            s
            for s in signatures
            if s.field == pdfsign.SELLER_FIELD and s.covered_bytes == len(sent.pdf)
        ),
        None,
    )
    if seller is None or not (seller.intact and seller.valid):
        raise _refuse(
            db,
            qid,
            "seller_signature",
            Sentence(
                f"{name}: the seller's signature does not verify",
                "acceptance.seller_signature",
                name=name,
            ),
            actor,
        )
    if seller.docmdp_ok is False or seller.changes_after not in (
        "none",
        "form filling and signing",
    ):
        raise _refuse(
            db,
            qid,
            "changed",
            Sentence(
                f"{name} was changed after the seller signed it ({seller.changes_after}), beyond "
                "filling in the form and signing",
                "acceptance.changed_after_seller",
                name=name,
                changes=seller.changes_after,
            ),
            actor,
        )
    customer = next((s for s in signatures if s.field == pdfsign.CUSTOMER_FIELD), None)
    if customer is None:
        raise _refuse(
            db,
            qid,
            "unsigned",
            Sentence(
                f"{name} carries no customer signature in the order form's customer field",
                "acceptance.unsigned",
                name=name,
            ),
            actor,
        )
    if not (customer.intact and customer.valid):
        raise _refuse(
            db,
            qid,
            "customer_signature",
            Sentence(
                f"{name}: the customer's signature does not verify (the file was changed after "
                "they signed, or the signature is damaged)",
                "acceptance.customer_signature",
                name=name,
            ),
            actor,
            **({"problem": customer.problem} if customer.problem else {}),
        )
    if not customer.whole_file and customer.changes_after != "none":
        raise _refuse(
            db,
            qid,
            "changed",
            Sentence(
                f"{name} was changed after the customer signed it ({customer.changes_after})",
                "acceptance.changed_after_customer",
                name=name,
                changes=customer.changes_after,
            ),
            actor,
        )
    cert = customer.certificate
    who = cert.common_name or cert.email or cert.subject
    detail = (
        f"{cert.subject}; "
        + (SELF_SIGNED if cert.self_signed else f"issued by {cert.issuer}")
        + f"; SHA-256 {cert.fingerprint}"
    )
    other = _other_signer(
        db, qid, sent, who, file_name=name, actor=actor, confirmed=other_signer_confirmed
    )
    _expire_now(db, qid, actor)
    refusal: tuple[str, str] | None = None
    with db.write() as session:
        quote = _load(session, qid)
        if quote.status != "sent":
            # Refused after this transaction ends: an audit event written inside it would
            # be rolled back with it.
            refusal = (
                ("expired", _expired_sentence(quote))
                if quote.status == "expired"
                else (
                    "status",
                    Sentence(
                        f"{number} is {quote.status.replace('_', ' ')}, not sent: nothing was "
                        "recorded",
                        "acceptance.not_sent_status",
                        number=number,
                        status=quote.status,
                    ),
                )
            )
        else:
            return _accept_signed(
                session, quote, sent, customer.signed_at, who, detail, name, data, actor, other
            )
    assert refusal is not None
    raise _refuse(db, qid, *refusal, actor)


def _accept_signed(
    session: Session,
    quote: Quote,
    sent: SentDocument,
    signed_at: dt.datetime | None,
    who: str,
    detail: str,
    name: str,
    data: bytes,
    actor: str,
    other: dict[str, Any],
) -> Outcome[AcceptanceInfo]:

    qid = quote.id
    assert qid is not None
    assert sent.id is not None
    row = Acceptance(
        quote_id=qid,
        sent_document_id=sent.id,
        method="signed_pdf",
        signed_by=who[:200],
        signed_at=signed_at or utcnow(),
        signer_detail=detail[:1000],
        file_name=name,
        file_sha256=hashlib.sha256(data).hexdigest(),
        file=data,
        recorded_by=actor,
    )
    return _accepted(session, quote, sent, row, {"signed_at": row.signed_at.isoformat(), **other})


def _accepted(
    session: Session, quote: Quote, sent: SentDocument, row: Acceptance, when: dict[str, str]
) -> Outcome[AcceptanceInfo]:
    """Store the acceptance and mark the quote accepted, audited with how and by whom."""
    from .quotes import set_quote_status

    session.add(row)
    session.flush()
    set_quote_status(
        session,
        quote,
        "accepted",
        actor=row.recorded_by,
        action="quote_accepted",
        details={
            "method": row.method,
            "signed_by": row.signed_by,
            **when,
            "file_sha256": row.file_sha256,
            "version": sent.version_number,
        },
    )
    assert quote.id is not None
    return Outcome(_acceptance_info(quote, sent.version_number, row), Changes.of(quotes=[quote.id]))


def record_paper_acceptance(
    db: Database,
    quote_id: int,
    *,
    signed_by: str,
    signed_on: dt.date,
    scan: bytes,
    file_name: str,
    expected_version: int,
    actor: str,
    other_signer_confirmed: bool = False,
) -> Outcome[AcceptanceInfo]:
    """Record a printed order form signed on paper and scanned: who signed, when, the
    scan (a PDF or an image) kept with it, marked as a paper acceptance. Signed by someone
    other than the order form's named signatory: as ``import_signed_pdf``."""

    problems: list[str] = []
    who = " ".join(signed_by.split())
    if not who:
        problems.append(Sentence("Signed by: name the person who signed", "paper.no_signer"))
    elif len(who) > 200:
        problems.append(Sentence("Signed by: at most 200 characters", "paper.signer_too_long"))
    if "\x00" in signed_by:
        problems.append(Sentence("Signed by: must not contain a NUL character", "paper.signer_nul"))
    if signed_on > today():
        problems.append(
            Sentence(
                f"Signed on: {signed_on.isoformat()} is in the future",
                "paper.signed_in_future",
                signed_on=signed_on,
            )
        )
    kind = next((k for magic, k in _SCAN_MAGIC.items() if scan.startswith(magic)), None)
    if not scan:
        problems.append(Sentence("Scan: attach the scanned, signed order form", "paper.no_scan"))
    elif len(scan) > MAX_SCAN_BYTES:
        problems.append(Sentence("Scan: larger than 50 MB", "paper.scan_too_large"))
    elif kind is None:
        problems.append(Sentence("Scan: not a PDF, PNG, JPEG or TIFF file", "paper.scan_kind"))
    if problems:
        raise InvalidInputError(problems)
    with db.read() as session:
        sent_before = _latest_sent(session, quote_id)
    other: dict[str, Any] = {}
    if sent_before is not None:
        other = _other_signer(
            db,
            quote_id,
            sent_before,
            who,
            file_name=file_name.rsplit("/", 1)[-1][-200:],
            actor=actor,
            confirmed=other_signer_confirmed,
        )
    _expire_now(db, quote_id, actor)
    with db.write() as session:
        quote = _load(session, quote_id)
        check_version(quote, expected_version, quote_named(quote.number))
        sent = _latest_sent(session, quote_id)
        refusal: tuple[str, str] | None = None
        if quote.status != "sent" or sent is None:
            refusal = (
                ("expired", _expired_sentence(quote))
                if quote.status == "expired"
                else (
                    "status",
                    Sentence(
                        f"{quote.number} is {quote.status.replace('_', ' ')}, not sent: nothing "
                        "was recorded",
                        "acceptance.not_sent_status",
                        number=quote.number,
                        status=quote.status,
                    ),
                )
            )
        else:
            return _accept_paper(
                session, quote, sent, who, signed_on, kind, scan, file_name, actor, other
            )
    # Refused after the transaction ends: an audit event inside it would be rolled back.
    assert refusal is not None
    raise _refuse(db, quote_id, *refusal, actor)


def _accept_paper(
    session: Session,
    quote: Quote,
    sent: SentDocument,
    who: str,
    signed_on: dt.date,
    kind: str | None,
    scan: bytes,
    file_name: str,
    actor: str,
    other: dict[str, Any],
) -> Outcome[AcceptanceInfo]:

    quote_id = quote.id
    assert quote_id is not None
    assert sent.id is not None
    signed_at = dt.datetime.combine(signed_on, dt.time(12, 0), tzinfo=dt.UTC)
    if sent.sent_at.date() > signed_on:
        raise InvalidInputError(
            [
                Sentence(
                    f"Signed on: before the order form was sent ({sent.sent_at.date().isoformat()})",
                    "acceptance.signed_before_sent",
                    sent_on=sent.sent_at.date(),
                )
            ]
        )
    row = Acceptance(
        quote_id=quote_id,
        sent_document_id=sent.id,
        method="paper",
        signed_by=who,
        signed_at=signed_at,
        signer_detail=f"printed, signed on paper and scanned ({kind})",
        file_name=file_name.rsplit("/", 1)[-1][-200:],
        file_sha256=hashlib.sha256(scan).hexdigest(),
        file=scan,
        recorded_by=actor,
    )
    return _accepted(session, quote, sent, row, {"signed_on": signed_on.isoformat(), **other})


def acceptance_of(db: Database, quote_id: int) -> AcceptanceInfo | None:
    with db.read() as session:
        quote = _load(session, quote_id)
        row = session.exec(
            select(Acceptance)
            .where(Acceptance.quote_id == quote_id)
            .order_by(col(Acceptance.id).desc())
        ).first()
        if row is None:
            return None
        sent = session.get(SentDocument, row.sent_document_id)
        return _acceptance_info(quote, sent.version_number if sent else 0, row)


@dataclass(frozen=True)
class AcceptedFile:
    """The file of record of an accepted version: the order form signed by both parties
    (the customer's signed PDF over the seller's signed revision) or, for a paper
    acceptance, the scan of the printed and signed copy; ``sent`` is the file it accepted."""

    info: AcceptanceInfo
    sent: SentInfo
    file: bytes

    @property
    def is_pdf(self) -> bool:
        return self.file.startswith(b"%PDF")

    @property
    def kind(self) -> str:
        """``PDF``, ``PNG image`` ...: what the kept file is."""
        return next((k for magic, k in _SCAN_MAGIC.items() if self.file.startswith(magic)), "file")


def accepted_file(db: Database, quote_id: int, version: int | None = None) -> AcceptedFile | None:
    """The acceptance of ``version`` (default: the latest) with its file, byte for byte as
    recorded; None when that version was not accepted. ``render`` writes it for an accepted
    quote, since the countersigned file, not the one sent, is what binds both parties."""
    with db.read() as session:
        quote = _load(session, quote_id)
        number = quote.latest_version if version is None else version
        found = session.exec(
            select(Acceptance, SentDocument)
            .join(SentDocument, col(SentDocument.id) == col(Acceptance.sent_document_id))
            .where(Acceptance.quote_id == quote_id, SentDocument.version_number == number)
            .order_by(col(Acceptance.id).desc())
        ).first()
        if found is None:
            return None
        row, sent = found
        return AcceptedFile(
            _acceptance_info(quote, sent.version_number, row), _sent_info(quote, sent), row.file
        )


def accepted_words(accepted: AcceptedFile) -> Sentence:
    """``Q-2026-0005 version 2 was accepted on 2026-12-03, signed by Jane Buyer``: what
    ``render`` of an accepted quote writes and names."""
    info = accepted.info
    return Sentence(
        f"{info.quote_number} version {info.version} was accepted on {info.signed_at:%Y-%m-%d}, "
        f"signed by {info.signed_by}",
        "quote.accepted_as",
        number=info.quote_number,
        version=info.version,
        signed_on=info.signed_at.date(),
        signed_by=info.signed_by,
    )


# --- what needs attention --------------------------------------------------------------------


@dataclass(frozen=True)
class Attention:
    expiring_this_week: int
    pending_approval: int
    accepted_this_month: int


def attention(db: Database, on: dt.date | None = None) -> Attention:
    """Counts for the Quotes page's attention strip: offers whose valid-until falls in
    the next 7 days, quotes waiting for the deal desk, quotes accepted this month."""
    day = on or today()
    with db.read() as session:
        expiring = session.exec(
            select(func.count()).select_from(Quote).where(*repo.expiring_filter(day))
        ).one()
        pending = session.exec(
            select(func.count()).select_from(Quote).where(Quote.status == "pending_approval")
        ).one()
        accepted = session.exec(
            select(func.count()).select_from(Quote).where(*repo.accepted_since_filter(day))
        ).one()
        return Attention(int(expiring), int(pending), int(accepted))


__all__ = [
    "LOST_REASONS",
    "AcceptanceInfo",
    "AcceptedFile",
    "AcceptanceRefusedError",
    "Attention",
    "CustomerGaps",
    "CustomerIncompleteError",
    "SentInfo",
    "acceptance_of",
    "accepted_file",
    "accepted_words",
    "attention",
    "customer_gaps",
    "customer_incomplete_error",
    "effective_status",
    "finalise_quote",
    "import_signed_pdf",
    "jurisdiction_error",
    "jurisdiction_gaps",
    "mark_lost",
    "persist_expiry",
    "record_paper_acceptance",
    "stale_tax_error",
    "reissue_quote",
    "sent_document",
    "sent_version",
    "sent_words",
    "set_valid_until",
]
