"""Deal-desk approvals: evaluate, request, decide (signed), import decisions.

The offline round trip: the rep requests approval (the latest version's hash is frozen,
the quote becomes ``pending_approval``) and exports a request file; the deal desk imports
it into its own database (the document's hash is checked), decides with its key and
exports the signed decision file; the rep imports it and, once every check passes, the
quote becomes ``approved`` (or ``rejected``). On a shared database the desk decides
directly against the request, and the same checks run without files.

Every request, decision, import and refusal is an audit event. A refused decision raises a
``DecisionRefusedError`` subclass saying why.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from quote_builder.approvals import ApprovalPolicy, Evaluation, evaluate, signing
from quote_builder.approvals.signing import ApprovalSigningError
from quote_builder.pricing import QuoteDocument, content_hash, price
from quote_builder.pricing.fields import NUL_REFUSED
from quote_builder.pricing.quote_format import (
    JSONInputError,
    QuoteFileError,
    load_json,
    quote_from_data,
)
from quote_builder.store import repositories as repo
from quote_builder.store.columns import utcnow
from quote_builder.store.database import Database
from quote_builder.store.models import (
    ApprovalDecision,
    ApprovalRequest,
    Quote,
    QuoteVersion,
    TrustedKey,
)

from .core import Changes, InvalidInputError, NotFoundError, Outcome, RefusedError, ServiceError
from .quotes import find_quote, open_version, priced_summary, quote_by_number, set_quote_status

REQUEST_FORMAT = "quote-builder/approval-request"
DECISION_FILE_FORMAT = "quote-builder/approval-decision-file"
KEYS_ENV = "QUOTE_BUILDER_KEYS_DIR"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_VERSION = 1_000_000


# --- errors ------------------------------------------------------------------------------


class KeyProblemError(ServiceError):
    """A missing key file, a wrong passphrase, an unusable public key."""


class BadRequestFileError(ServiceError):
    """An approval request file that is malformed or does not match its hash."""


class DecisionRefusedError(ServiceError):
    """A decision that was not accepted; ``code`` names the check that failed."""

    code = "refused"


class MalformedDecisionError(DecisionRefusedError):
    code = "malformed"


class BadSignatureError(DecisionRefusedError):
    code = "bad_signature"


class UntrustedKeyError(DecisionRefusedError):
    code = "untrusted_key"


class ReplayedDecisionError(DecisionRefusedError):
    code = "replayed"


class UnknownRequestError(DecisionRefusedError):
    code = "unknown_request"


class WrongQuoteError(DecisionRefusedError):
    code = "other_quote"


class WrongVersionError(DecisionRefusedError):
    code = "other_version"


class ExpiredDecisionError(DecisionRefusedError):
    code = "expired"


class AlreadyDecidedError(DecisionRefusedError):
    code = "already_decided"


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteEvaluation:
    quote_number: str
    version: int
    version_hash: str
    evaluation: Evaluation


@dataclass(frozen=True)
class RequestInfo:
    id: int
    request_id: str
    quote_id: int | None
    quote_number: str
    customer_name: str
    version: int
    version_hash: str
    reasons: list[str]
    required_role: str | None
    requested_by: str
    requested_at: dt.datetime
    status: str
    imported: bool
    summary: dict[str, Any] | None


@dataclass(frozen=True)
class DecisionInfo:
    decision_id: str
    request_id: str
    quote_number: str
    version: int
    decision: str
    approver_name: str
    approver_fingerprint: str
    decided_at: str
    expires_at: str | None
    comment: str
    conditions: list[str]
    payload: dict[str, Any]
    signature: str
    public_key: str

    def file_text(self) -> str:
        """The decision file the rep imports."""
        return (
            json.dumps(
                {
                    "format": DECISION_FILE_FORMAT,
                    "payload": self.payload,
                    "signature": self.signature,
                    "public_key": self.public_key,
                },
                indent=2,
                sort_keys=True,
                ensure_ascii=False,
            )
            + "\n"
        )


@dataclass(frozen=True)
class KeyInfo:
    name: str
    path: Path
    public_key: str
    fingerprint: str

    @property
    def public_line(self) -> str:
        """What the approver sends to reps: ``ed25519 KEY NAME``."""
        return f"ed25519 {self.public_key} {self.name}"


@dataclass(frozen=True)
class TrustedKeyInfo:
    name: str
    public_key: str
    fingerprint: str
    added_by: str
    added_at: dt.datetime


@dataclass(frozen=True)
class ApprovalStatus:
    quote_number: str
    status: str
    latest_version: int
    evaluation: Evaluation
    approval_id: str | None
    """The decision approving the latest version, when one is valid now."""
    requests: list[RequestInfo]
    decisions: list[DecisionInfo]


# --- keys --------------------------------------------------------------------------------


def keys_dir() -> Path:
    """Where private keys live: ``$QUOTE_BUILDER_KEYS_DIR``, else the user config folder."""
    override = os.environ.get(KEYS_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("QuoteBuilder", appauthor=False)) / "keys"


def create_key(name: str, passphrase: str, *, directory: Path | None = None) -> KeyInfo:
    """A new key pair: the private key encrypted with ``passphrase`` in NAME.key (mode
    0600, its folder 0700), the public key in NAME.pub to give to reps."""
    try:
        pem, public = signing.generate_keypair(name, passphrase)
    except ApprovalSigningError as exc:
        raise KeyProblemError(str(exc)) from None
    folder = directory or keys_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    path = folder / f"{name}.key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyProblemError(
            f"a key named {name!r} already exists ({path}); choose another name"
        ) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    os.chmod(path, 0o600)
    info = KeyInfo(name, path, public, signing.fingerprint(public))
    (folder / f"{name}.pub").write_text(info.public_line + "\n", encoding="utf-8")
    return info


def _load_key(name: str, passphrase: str, directory: Path | None) -> tuple[bytes, str]:
    signing.check_key_name(name)
    path = (directory or keys_dir()) / f"{name}.key"
    if not path.is_file():
        raise KeyProblemError(
            f"no key named {name!r} in {path.parent}: create one with `quote-builder approval keygen {name}`"
        )
    pem = path.read_bytes()
    try:
        return pem, signing.public_key_of(pem, passphrase)
    except ApprovalSigningError as exc:
        raise KeyProblemError(f"key {name!r}: {exc}") from None


def add_trusted_key(
    db: Database, name: str, public_key_text: str, *, actor: str
) -> Outcome[TrustedKeyInfo]:
    """Trust an approver's public key: decisions signed with it are accepted here."""
    if not name.strip():
        raise InvalidInputError(["name: give the approver's name"])
    if "\x00" in name:
        raise InvalidInputError([f"name: {NUL_REFUSED}"])
    try:
        public = signing.public_key_from_text(public_key_text)
    except ApprovalSigningError as exc:
        raise KeyProblemError(str(exc)) from None
    print_ = signing.fingerprint(public)
    with db.write() as session:
        existing = session.exec(select(TrustedKey).where(TrustedKey.fingerprint == print_)).first()
        if existing is not None:
            raise RefusedError(
                f"this key is already trusted as {existing.name!r} "
                f"(fingerprint {signing.short_fingerprint(print_)})"
            )
        row = TrustedKey(name=name.strip(), public_key=public, fingerprint=print_, added_by=actor)
        session.add(row)
        session.flush()
        repo.add_audit_event(
            session,
            actor=actor,
            action="approver_key_trusted",
            entity_type="trusted_key",
            entity_id=row.id,
            details={"name": row.name, "fingerprint": print_},
        )
        return Outcome(_trusted_info(row), Changes.of(settings=True))


def _trusted_info(row: TrustedKey) -> TrustedKeyInfo:
    return TrustedKeyInfo(row.name, row.public_key, row.fingerprint, row.added_by, row.added_at)


def list_trusted_keys(db: Database) -> list[TrustedKeyInfo]:
    with db.read() as session:
        rows = session.exec(select(TrustedKey).order_by(col(TrustedKey.name))).all()
        return [_trusted_info(r) for r in rows]


# --- policy and evaluation ---------------------------------------------------------------


def current_policy(db: Database) -> ApprovalPolicy:
    """The approval policy in this database's settings."""
    from .settings import get_settings

    settings = get_settings(db)
    return ApprovalPolicy(
        discount_authority=settings.discount_authority(),
        margin_floor_percent=Decimal(settings.margin_floor_percent),
        max_term_months=settings.approval_term_months,
        min_escalator_percent=Decimal(settings.min_escalator_percent),
        max_payment_terms_days=settings.max_payment_terms_days,
        custom_attribution_needs_approval=settings.custom_attribution_needs_approval,
        outcome_without_minimum_needs_approval=settings.outcome_without_minimum_needs_approval,
    )


def evaluate_document(document: QuoteDocument, policy: ApprovalPolicy) -> Evaluation:
    return evaluate(document, price(document), policy)


def evaluate_quote(db: Database, number: str, *, version: int | None = None) -> QuoteEvaluation:
    """Whether a quote version (the latest by default) needs approval, by whom and why:
    what the rep sees before asking."""
    row = find_quote(db, number)
    opened = open_version(db, row.id, version)
    return QuoteEvaluation(
        row.number,
        opened.version.number,
        opened.version.content_hash,
        evaluate_document(opened.document, current_policy(db)),
    )


# --- requests ----------------------------------------------------------------------------


def _request_info(row: ApprovalRequest) -> RequestInfo:
    assert row.id is not None
    return RequestInfo(
        id=row.id,
        request_id=row.request_uid,
        quote_id=row.quote_id,
        quote_number=row.quote_number,
        customer_name=row.customer_name,
        version=row.version_number,
        version_hash=row.version_hash,
        reasons=list(json.loads(row.reasons_json)),
        required_role=row.required_role,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        status=row.status,
        imported=row.imported,
        summary=json.loads(row.summary_json) if row.summary_json else None,
    )


def _latest_version(session: Session, quote: Quote) -> QuoteVersion:
    assert quote.id is not None
    version = repo.get_version(session, quote_id=quote.id, number=quote.latest_version)
    if version is None:
        raise NotFoundError(f"quote {quote.number} has no version {quote.latest_version}")
    return version


def request_approval(db: Database, number: str, *, actor: str) -> Outcome[RequestInfo]:
    """Ask for approval of the latest version: its hash is frozen, the reasons recorded
    and the quote becomes pending_approval. A pending request for the same version is
    returned as it is."""
    row = find_quote(db, number)
    opened = open_version(db, row.id)
    priced = price(opened.document)
    if priced.blocking:
        codes = ", ".join(w.code for w in priced.blocking)
        raise RefusedError(
            f"{number} has blocking warnings ({codes}): fix them before asking for approval"
        )
    policy = current_policy(db)
    evaluation = evaluate(opened.document, priced, policy)
    if not evaluation.needed:
        raise RefusedError(
            f"{number} version {opened.version.number} needs no approval under the current policy"
        )
    with db.write() as session:
        quote = quote_by_number(session, number)
        assert quote.id is not None
        version = _latest_version(session, quote)
        if version.content_hash != opened.version.content_hash:
            raise RefusedError(f"{number} changed while asking for approval; ask again")
        pending = session.exec(
            select(ApprovalRequest).where(
                ApprovalRequest.quote_id == quote.id, ApprovalRequest.status == "pending"
            )
        ).all()
        for old in pending:
            if old.version_hash == version.content_hash and quote.status == "pending_approval":
                return Outcome(_request_info(old))
            old.status = "superseded"
            session.add(old)
        request = ApprovalRequest(
            request_uid=str(uuid.uuid4()),
            quote_id=quote.id,
            quote_number=quote.number,
            customer_name=row.customer_name,
            version_number=version.number,
            version_hash=version.content_hash,
            reasons_json=json.dumps(evaluation.reasons),
            required_role=evaluation.required_role,
            policy_json=json.dumps(policy.snapshot(), sort_keys=True),
            summary_json=json.dumps(priced_summary(priced)),
            requested_by=actor,
        )
        session.add(request)
        set_quote_status(
            session,
            quote,
            "pending_approval",
            actor=actor,
            action="approval_requested",
            version_id=version.id,
            details={
                "request_id": request.request_uid,
                "version": version.number,
                "hash": version.content_hash,
                "required_role": evaluation.required_role,
                "reasons": evaluation.reasons,
            },
        )
        return Outcome(_request_info(request), Changes.of(quotes=[quote.id]))


def _pending_request(session: Session, quote: Quote) -> ApprovalRequest:
    request = session.exec(
        select(ApprovalRequest)
        .where(ApprovalRequest.quote_id == quote.id, ApprovalRequest.status == "pending")
        .order_by(col(ApprovalRequest.id).desc())
    ).first()
    if request is None:
        raise RefusedError(
            f"{quote.number} has no pending approval request: `quote-builder approval request {quote.number}`"
        )
    return request


def export_request(db: Database, number: str, *, actor: str) -> str:
    """The pending request of a quote as a JSON file for the deal desk: the document, its
    hash, the priced summary, the reasons and the policy they came from."""
    with db.write() as session:
        quote = quote_by_number(session, number)
        request = _pending_request(session, quote)
        version = repo.get_version(session, quote_id=quote.id or 0, number=request.version_number)
        assert version is not None
        data = {
            "format": REQUEST_FORMAT,
            "format_version": 1,
            "request_id": request.request_uid,
            "quote_number": request.quote_number,
            "customer_name": request.customer_name,
            "version": request.version_number,
            "version_hash": request.version_hash,
            "requested_by": request.requested_by,
            "requested_at": signing.iso_utc(request.requested_at),
            "required_role": request.required_role,
            "reasons": json.loads(request.reasons_json),
            "policy": json.loads(request.policy_json),
            "summary": json.loads(version.summary_json),
            "document": json.loads(version.document_json),
        }
        repo.add_audit_event(
            session,
            actor=actor,
            action="approval_request_exported",
            entity_type="quote",
            entity_id=quote.id,
            quote_id=quote.id,
            quote_version_id=version.id,
            details={"request_id": request.request_uid},
        )
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _load_json(text: str | bytes, what: str, error: type[ServiceError]) -> Any:
    if len(text) > MAX_FILE_BYTES:
        raise error(f"the {what} is larger than 5 MB")
    try:
        return load_json(text)
    except JSONInputError as exc:
        raise error(f"the {what} is not JSON we can read: {exc}") from None


def import_request(db: Database, text: str | bytes, *, actor: str) -> Outcome[RequestInfo]:
    """Deal-desk side: take in a request file. The document must hash to the version hash
    it claims; reasons are evaluated again here from the document and the policy it was
    requested under."""
    data = _load_json(text, "approval request file", BadRequestFileError)
    if not isinstance(data, dict) or data.get("format") != REQUEST_FORMAT:
        raise BadRequestFileError("not a Quote Builder approval request file")
    try:
        uid = str(uuid.UUID(str(data["request_id"])))
        number = str(data["quote_number"])
        version_number = int(data["version"])
        if not 1 <= version_number <= MAX_VERSION:  # a database integer holds no more
            raise ValueError(f"version: must be from 1 to {MAX_VERSION:,}")
        claimed = str(data["version_hash"])
        document = quote_from_data(data["document"])
        policy = ApprovalPolicy.from_snapshot(data["policy"])
    except QuoteFileError as exc:
        raise BadRequestFileError(
            "the request's quote cannot be read:\n" + "\n".join(exc.problems)
        ) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise BadRequestFileError(f"the approval request file is malformed ({exc})") from None
    actual = content_hash(document)
    if actual != claimed:
        raise BadRequestFileError(
            f"the quote in the request file does not match its version hash "
            f"(file says {claimed[:12]}…, content is {actual[:12]}…): it was changed after export"
        )
    if document.quote_number != number:
        raise BadRequestFileError(
            f"the request is for {number} but its document is quote {document.quote_number}"
        )
    priced = price(document)
    evaluation = evaluate(document, priced, policy)
    with db.write() as session:
        existing = session.exec(
            select(ApprovalRequest).where(ApprovalRequest.request_uid == uid)
        ).first()
        if existing is not None:
            raise RefusedError(f"request {uid} for {number} is already in this database")
        request = ApprovalRequest(
            request_uid=uid,
            quote_id=None,
            quote_number=number,
            customer_name=document.customer.name,
            version_number=version_number,
            version_hash=actual,
            reasons_json=json.dumps(evaluation.reasons),
            required_role=evaluation.required_role,
            policy_json=json.dumps(policy.snapshot(), sort_keys=True),
            document_json=json.dumps(document.to_json_dict(), sort_keys=True),
            summary_json=json.dumps(priced_summary(priced)),
            imported=True,
            requested_by=str(data.get("requested_by", "")),
        )
        session.add(request)
        session.flush()
        repo.add_audit_event(
            session,
            actor=actor,
            action="approval_request_imported",
            entity_type="approval_request",
            entity_id=request.id,
            details={
                "request_id": uid,
                "quote_number": number,
                "version": version_number,
                "hash": actual,
            },
        )
        return Outcome(_request_info(request))


def list_requests(db: Database, *, status: str | None = "pending") -> list[RequestInfo]:
    with db.read() as session:
        query = select(ApprovalRequest)
        if status:
            query = query.where(ApprovalRequest.status == status)
        rows = session.exec(query.order_by(col(ApprovalRequest.requested_at).desc())).all()
        return [_request_info(r) for r in rows]


def _find_request(session: Session, reference: str) -> ApprovalRequest:
    """A request by its id, else the pending request of the quote with this number."""
    request = session.exec(
        select(ApprovalRequest).where(ApprovalRequest.request_uid == reference)
    ).first()
    if request is not None:
        return request
    request = session.exec(
        select(ApprovalRequest)
        .where(ApprovalRequest.quote_number == reference, ApprovalRequest.status == "pending")
        .order_by(col(ApprovalRequest.id).desc())
    ).first()
    if request is None:
        raise NotFoundError(f"no pending approval request for {reference!r}")
    return request


# --- decisions ---------------------------------------------------------------------------


def _decision_info(payload: dict[str, Any], signature: str, public_key: str) -> DecisionInfo:
    return DecisionInfo(
        decision_id=payload["decision_id"],
        request_id=payload["request_id"],
        quote_number=payload["quote_number"],
        version=payload["version"],
        decision=payload["decision"],
        approver_name=payload["approver"]["name"],
        approver_fingerprint=payload["approver"]["fingerprint"],
        decided_at=payload["decided_at"],
        expires_at=payload["expires_at"],
        comment=payload["comment"],
        conditions=list(payload["conditions"]),
        payload=payload,
        signature=signature,
        public_key=public_key,
    )


def decide(
    db: Database,
    request_ref: str,
    *,
    approve: bool,
    key_name: str,
    passphrase: str,
    actor: str,
    comment: str = "",
    expires: dt.date | None = None,
    conditions: Sequence[str] = (),
    key_directory: Path | None = None,
    now: dt.datetime | None = None,
) -> Outcome[DecisionInfo]:
    """Approve or reject a request (by request id or quote number), signed with the
    approver's key. On a shared database the decision applies to the quote at once (with
    every check an imported decision gets); for an imported request it is stored and
    returned for export."""
    moment = now or utcnow()
    if expires is not None and expires < moment.date():
        raise InvalidInputError([f"expires: {expires.isoformat()} is in the past"])
    if not approve and not comment.strip():
        raise InvalidInputError(["comment: say why the quote is rejected"])
    pem, public = _load_key(key_name, passphrase, key_directory)
    with db.read() as session:
        request = _find_request(session, request_ref)
        if request.status != "pending":
            raise RefusedError(
                f"request {request.request_uid} for {request.quote_number} is {request.status}, not pending"
            )
        payload = signing.decision_payload(
            request_id=request.request_uid,
            quote_number=request.quote_number,
            version=request.version_number,
            version_hash=request.version_hash,
            decision="approved" if approve else "rejected",
            approver_name=actor,
            approver_fingerprint=signing.fingerprint(public),
            decided_at=moment,
            expires_at=(
                dt.datetime.combine(expires + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
                if expires
                else None
            ),
            comment=comment.strip(),
            conditions=[c.strip() for c in conditions if c.strip()],
            policy=json.loads(request.policy_json),
            reasons=json.loads(request.reasons_json),
        )
        imported = request.imported
    signature = signing.sign(payload, pem, passphrase)
    info = _decision_info(payload, signature, public)
    if not imported:
        # Shared database: the same checks as an imported decision file.
        return _accept_or_record_refusal(db, payload, signature, public, actor, moment, "decided")
    with db.write() as session:
        request = _find_request(session, payload["request_id"])
        _store_decision(session, request, payload, signature)
        request.status = payload["decision"]
        session.add(request)
        session.flush()
        repo.add_audit_event(
            session,
            actor=actor,
            action="approval_decided",
            entity_type="approval_request",
            entity_id=request.id,
            details=_audit_details(payload),
        )
    return Outcome(info)


def _store_decision(
    session: Session, request: ApprovalRequest, payload: dict[str, Any], signature: str
) -> ApprovalDecision:
    assert request.id is not None
    row = ApprovalDecision(
        decision_uid=payload["decision_id"],
        request_id=request.id,
        decision=payload["decision"],
        payload_json=json.dumps(payload, sort_keys=True, ensure_ascii=False),
        signature=signature,
        approver_name=payload["approver"]["name"],
        approver_fingerprint=payload["approver"]["fingerprint"],
    )
    session.add(row)
    return row


def _audit_details(payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "decision_id": payload["decision_id"],
        "request_id": payload["request_id"],
        "decision": payload["decision"],
        "version": payload["version"],
        "hash": payload["version_hash"],
        "approver": payload["approver"]["name"],
        "fingerprint": payload["approver"]["fingerprint"],
        "comment": payload["comment"],
        "conditions": payload["conditions"],
        "expires_at": payload["expires_at"],
    }


def export_decision(db: Database, reference: str) -> str:
    """A stored decision as the file the rep imports: by its decision id, or the latest
    decision stored for the quote with this number (a file that was lost or never sent
    can be written again; the signature is the stored one)."""
    with db.read() as session:
        row = session.exec(
            select(ApprovalDecision).where(ApprovalDecision.decision_uid == reference)
        ).first()
        if row is None:
            row = session.exec(
                select(ApprovalDecision)
                .join(ApprovalRequest, col(ApprovalRequest.id) == ApprovalDecision.request_id)
                .where(ApprovalRequest.quote_number == reference)
                .order_by(col(ApprovalDecision.id).desc())
            ).first()
        if row is None:
            raise NotFoundError(
                f"no signed decision {reference!r}: give a decision id or the number of a "
                "quote with a decision (quote-builder approval status NUMBER lists them)"
            )
        payload = json.loads(row.payload_json)
        key = session.exec(
            select(TrustedKey).where(TrustedKey.fingerprint == row.approver_fingerprint)
        ).first()
        public = key.public_key if key else ""
        return _decision_info(payload, row.signature, public).file_text()


def import_decision(
    db: Database, text: str | bytes, *, actor: str, now: dt.datetime | None = None
) -> Outcome[DecisionInfo]:
    """Rep side: accept a signed decision file. The signature must verify with a trusted
    key; the decision must answer a pending request of this database for the quote's
    latest version, not be expired and not be used before. Any failure raises a
    DecisionRefusedError and leaves an audit event."""
    moment = now or utcnow()
    data: Any = None
    try:
        data = _load_json(text, "decision file", MalformedDecisionError)
        if not isinstance(data, dict) or data.get("format") != DECISION_FILE_FORMAT:
            raise MalformedDecisionError("not a Quote Builder approval decision file")
        raw, signature = data.get("payload"), data.get("signature")
        if not isinstance(signature, str):
            raise MalformedDecisionError("the decision file has no signature")
        try:
            payload = signing.check_payload(raw)
        except ApprovalSigningError as exc:
            raise MalformedDecisionError(str(exc)) from None
    except MalformedDecisionError as exc:
        _record_refusal(db, data.get("payload") if isinstance(data, dict) else None, exc, actor)
        raise
    return _accept_or_record_refusal(
        db, payload, signature, str(data.get("public_key", "")), actor, moment, "imported"
    )


def _accept_or_record_refusal(
    db: Database,
    payload: dict[str, Any],
    signature: str,
    public_key: str,
    actor: str,
    moment: dt.datetime,
    how: str,
) -> Outcome[DecisionInfo]:
    try:
        with db.write() as session:
            return _accept(session, payload, signature, public_key, actor, moment, how)
    except DecisionRefusedError as exc:
        _record_refusal(db, payload, exc, actor)
        raise


def _accept(
    session: Session,
    payload: dict[str, Any],
    signature: str,
    public_key: str,
    actor: str,
    moment: dt.datetime,
    how: str,
) -> Outcome[DecisionInfo]:
    approver = payload["approver"]
    key = session.exec(
        select(TrustedKey).where(TrustedKey.fingerprint == approver["fingerprint"])
    ).first()
    if key is None:
        raise UntrustedKeyError(
            f"the decision is signed by {approver['name']!r} with a key this database does not "
            f"trust (fingerprint {signing.short_fingerprint(approver['fingerprint'])}); "
            "add the approver's public key with `quote-builder approval trust`"
        )
    if not signing.verify(payload, signature, key.public_key):
        raise BadSignatureError(
            "the decision's signature does not verify: the file was changed after it was "
            "signed, or it was not signed by the key it names"
        )
    used = session.exec(
        select(ApprovalDecision).where(ApprovalDecision.decision_uid == payload["decision_id"])
    ).first()
    if used is not None:
        raise ReplayedDecisionError(
            f"decision {payload['decision_id']} was already used on "
            f"{used.imported_at:%Y-%m-%d %H:%M} UTC; a decision counts once"
        )
    request = session.exec(
        select(ApprovalRequest).where(ApprovalRequest.request_uid == payload["request_id"])
    ).first()
    if request is None or request.quote_id is None:
        raise UnknownRequestError(
            f"the decision answers request {payload['request_id']} for {payload['quote_number']}, "
            "which was not made from this database"
        )
    quote = session.get(Quote, request.quote_id)
    assert quote is not None
    if payload["quote_number"] != request.quote_number or quote.number != request.quote_number:
        raise WrongQuoteError(
            f"the decision is for quote {payload['quote_number']}, but request "
            f"{request.request_uid} is for {request.quote_number}"
        )
    if payload["version_hash"] != request.version_hash:
        raise WrongVersionError(
            f"the decision is for another version of {quote.number} than the one requested "
            f"(version {payload['version']}, not {request.version_number})"
        )
    latest = _latest_version(session, quote)
    if latest.content_hash != payload["version_hash"]:
        raise WrongVersionError(
            f"{quote.number} changed after approval was requested: the decision is for version "
            f"{payload['version']}, the latest is version {latest.number}; request approval again"
        )
    if payload["expires_at"] is not None and signing.parse_iso_utc(payload["expires_at"]) <= moment:
        raise ExpiredDecisionError(
            f"the decision on {quote.number} expired at {payload['expires_at']}; ask the deal desk again"
        )
    if request.status != "pending":
        raise AlreadyDecidedError(
            f"request {request.request_uid} for {quote.number} is already {request.status}"
        )
    _store_decision(session, request, payload, signature)
    request.status = payload["decision"]
    session.add(request)
    set_quote_status(
        session,
        quote,
        payload["decision"],
        actor=actor,
        action=f"approval_{how}",
        at=moment,
        version_id=latest.id,
        details=_audit_details(payload),
    )
    return Outcome(
        _decision_info(payload, signature, public_key or key.public_key),
        Changes.of(quotes=[quote.id or 0]),
    )


def _record_refusal(db: Database, payload: Any, error: DecisionRefusedError, actor: str) -> None:
    """The audit event of a refused decision, in its own transaction (the refused one
    rolled back)."""
    details: dict[str, Any] = {"reason": error.code, "message": str(error)}
    quote_id: int | None = None
    if isinstance(payload, dict):
        details |= {
            k: payload.get(k) for k in ("decision_id", "request_id", "quote_number", "version")
        }
        with db.read() as session:
            request = session.exec(
                select(ApprovalRequest).where(
                    ApprovalRequest.request_uid == str(payload.get("request_id"))
                )
            ).first()
            quote_id = request.quote_id if request else None
    with db.write() as session:
        repo.add_audit_event(
            session,
            actor=actor,
            action="approval_decision_refused",
            entity_type="quote" if quote_id else "approval_decision",
            entity_id=quote_id,
            quote_id=quote_id,
            details=details,
        )


# --- status ------------------------------------------------------------------------------


def valid_approval_id(
    session: Session, quote: Quote, *, now: dt.datetime | None = None
) -> str | None:
    """The id of a decision approving the quote's latest version that still holds: signed
    by a trusted key, for that version's hash, not expired. None otherwise."""
    moment = now or utcnow()
    latest = _latest_version(session, quote)
    rows = session.exec(
        select(ApprovalDecision)
        .join(ApprovalRequest, col(ApprovalRequest.id) == col(ApprovalDecision.request_id))
        .where(
            ApprovalRequest.quote_id == quote.id,
            ApprovalRequest.version_hash == latest.content_hash,
            ApprovalDecision.decision == "approved",
        )
        .order_by(col(ApprovalDecision.id).desc())
    ).all()
    for row in rows:
        payload = json.loads(row.payload_json)
        key = session.exec(
            select(TrustedKey).where(TrustedKey.fingerprint == row.approver_fingerprint)
        ).first()
        if key is None or not signing.verify(payload, row.signature, key.public_key):
            continue
        if payload.get("version_hash") != latest.content_hash:
            continue
        expires = payload.get("expires_at")
        if expires is not None and signing.parse_iso_utc(expires) <= moment:
            continue
        return row.decision_uid
    return None


def approval_id_for(db: Database, number: str) -> str | None:
    with db.read() as session:
        return valid_approval_id(session, quote_by_number(session, number))


def approval_status(db: Database, number: str) -> ApprovalStatus:
    evaluation = evaluate_quote(db, number)
    with db.read() as session:
        quote = quote_by_number(session, number)
        requests = session.exec(
            select(ApprovalRequest)
            .where(ApprovalRequest.quote_id == quote.id)
            .order_by(col(ApprovalRequest.id))
        ).all()
        decisions = session.exec(
            select(ApprovalDecision)
            .join(ApprovalRequest, col(ApprovalRequest.id) == col(ApprovalDecision.request_id))
            .where(ApprovalRequest.quote_id == quote.id)
            .order_by(col(ApprovalDecision.id))
        ).all()
        return ApprovalStatus(
            quote_number=quote.number,
            status=quote.status,
            latest_version=quote.latest_version,
            evaluation=evaluation.evaluation,
            approval_id=valid_approval_id(session, quote),
            requests=[_request_info(r) for r in requests],
            decisions=[
                _decision_info(json.loads(d.payload_json), d.signature, "") for d in decisions
            ],
        )


__all__ = [
    "AlreadyDecidedError",
    "ApprovalStatus",
    "BadRequestFileError",
    "BadSignatureError",
    "DecisionInfo",
    "DecisionRefusedError",
    "ExpiredDecisionError",
    "KeyInfo",
    "KeyProblemError",
    "MalformedDecisionError",
    "QuoteEvaluation",
    "ReplayedDecisionError",
    "RequestInfo",
    "TrustedKeyInfo",
    "UnknownRequestError",
    "UntrustedKeyError",
    "WrongQuoteError",
    "WrongVersionError",
    "add_trusted_key",
    "approval_id_for",
    "approval_status",
    "create_key",
    "current_policy",
    "decide",
    "evaluate_quote",
    "export_decision",
    "export_request",
    "import_decision",
    "import_request",
    "keys_dir",
    "list_requests",
    "list_trusted_keys",
    "request_approval",
]
