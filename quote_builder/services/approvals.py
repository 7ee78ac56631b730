"""Deal-desk approvals: evaluate, request, decide (signed), import decisions.

The offline round trip: the rep requests approval (the latest version's hash is frozen,
the quote becomes ``pending_approval``) and exports a request file; the deal desk imports
it into its own database (the document's hash is checked and the reasons are evaluated
again under the desk's own policy), decides with its key and exports the signed decision
file; the rep imports it and, once every check passes, the quote becomes ``approved`` (or
``rejected``). On a shared database the desk decides directly against the request, and
the same checks run without files.

Who may approve. With an organisation policy installed (services.policy), only the keys
it lists count, and the approver is the key's named holder in the policy (never the
operating-system user); the approver's role must cover what the policy requires and the
discount must be within that role's authority; the decision must be made while the policy
is valid and under the policy installed here. Without a policy (a single-user set-up) the
keys trusted by hand count, and everything says "unverified".

Separation of duties. The requester (the actor who asked, recorded on the request) never
approves their own request, whatever key they hold: a decision is refused when the key's
holder is the requester (names compared case-insensitively, spaces trimmed), when the
person deciding is the requester, or when the key was on the requesting machine (the
request records the fingerprints of approver keys in the requester's key folder).

Every request, decision, import and refusal is an audit event. A refused decision raises a
``DecisionRefusedError`` subclass saying why.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from quote_builder.approvals import ApprovalPolicy, Evaluation, evaluate, signing
from quote_builder.approvals.bundle import (
    ROLE_TITLES,
    Approver,
    VerifiedPolicy,
    authority_problem,
    same_person,
)
from quote_builder.approvals.policy import Reason
from quote_builder.approvals.signing import ApprovalSigningError
from quote_builder.approvals.statement import statement_from_payload
from quote_builder.errors import Sentence, UserFacingError, sentence_of
from quote_builder.pricing import PricedQuote, QuoteDocument, content_hash, price
from quote_builder.pricing.fields import NUL_REFUSED
from quote_builder.pricing.options import blocking_warnings, effective_document
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
from quote_builder.user import user_name_problem

from .core import (
    Changes,
    InvalidInputError,
    NotFoundError,
    Outcome,
    RefusedError,
    ServiceError,
    json_problem,
)
from .keys import KEYS_ENV, KeyInfo, KeyProblemError, create_key, keys_dir, list_keys, open_key
from .policy import installed_by_fingerprint, installed_in
from .quotes import (
    effective_status,
    find_quote,
    open_version,
    priced_summary,
    quote_by_number,
    set_quote_status,
    stored_json,
)
from .terms_link import terms_hash

REQUEST_FORMAT = "quote-builder/approval-request"
DECISION_FILE_FORMAT = "quote-builder/approval-decision-file"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_VERSION = 1_000_000
UNVERIFIED = (
    "this machine's own settings (unverified: no organisation policy installed, approver "
    "keys trusted by hand)"
)


# --- errors ------------------------------------------------------------------------------


class BadRequestFileError(ServiceError):
    """An approval request file that is malformed or does not match its hash."""


class TrustRefusedError(RefusedError):
    """Trusting a key by hand while an organisation policy decides who approves."""


class DecisionRefusedError(ServiceError):
    """A decision that was not accepted; ``code`` names the check that failed."""

    code = "refused"


class MalformedDecisionError(DecisionRefusedError):
    code = "malformed"


class BadSignatureError(DecisionRefusedError):
    code = "bad_signature"


class UntrustedKeyError(DecisionRefusedError):
    code = "untrusted_key"


class NotAnApproverError(DecisionRefusedError):
    """The key is not an approver in the organisation's policy."""

    code = "not_in_policy"


class SelfApprovalError(DecisionRefusedError):
    code = "self_approval"

    def __init__(self, message: str, *, starts_with_name: bool = False) -> None:
        super().__init__(message)
        self.starts_with_name = starts_with_name
        """The message starts with a user name as written: never capitalised
        (errors.sentence_start)."""


class AuthorityExceededError(DecisionRefusedError):
    code = "authority"


class PolicyMismatchError(DecisionRefusedError):
    """The decision was made under another policy than the one installed here (replaced,
    or not installed yet)."""

    code = "other_policy"


class PolicyExpiredError(DecisionRefusedError):
    code = "policy_expired"


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
    policy_label: str = UNVERIFIED
    """Which policy judged it: ``policy 3f2a:… (serial 2), signed by Acme until …``."""
    policy_fingerprint: str | None = None


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
    requester_keys: list[str] = field(default_factory=list)
    policy_fingerprint: str | None = None
    notes: list[str] = field(default_factory=list)
    """Things the desk should know (the rep judged it under another policy)."""
    reason_details: list[Reason] = field(default_factory=list)
    """``reasons`` as codes and values, in the same order (empty for a request stored
    before they were recorded: its English sentences are all there is)."""


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
    statement_signature: str | None = None
    already_recorded_at: dt.datetime | None = None
    """Set when this import found the very same decision already recorded on the quote's
    version (the file imported again): nothing changed."""

    @property
    def approver_role(self) -> str | None:
        role = self.payload.get("approver", {}).get("role")
        return str(role) if role else None

    def file_text(self) -> str:
        """The decision file the rep imports."""
        return (
            json.dumps(
                {
                    "format": DECISION_FILE_FORMAT,
                    "payload": self.payload,
                    "signature": self.signature,
                    "statement_signature": self.statement_signature,
                    "public_key": self.public_key,
                },
                indent=2,
                sort_keys=True,
                ensure_ascii=False,
            )
            + "\n"
        )


@dataclass(frozen=True)
class TrustedKeyInfo:
    name: str
    public_key: str
    fingerprint: str
    added_by: str
    added_at: dt.datetime


@dataclass(frozen=True)
class ApproverInfo:
    name: str
    role: str | None
    fingerprint: str
    public_key: str


@dataclass(frozen=True)
class ApproversView:
    """Who may approve here: the policy's approvers, or keys trusted by hand."""

    verified: bool
    source: str
    """``policy 3f2a:… (serial 2), signed by Acme until …`` or the unverified label."""
    approvers: list[ApproverInfo]
    problem: str | None = None


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
    policy_label: str = UNVERIFIED
    stale_approval_id: str | None = None
    """The decision that approved the latest version but no longer applies: the customer's
    terms changed since (``terms_changes`` says what)."""
    terms_changes: tuple[str, ...] = ()
    not_counted: dict[str, str] = field(default_factory=dict)
    """Approvals of the latest version that do not count here, by decision id, with why (a
    signature that does not verify: a row changed or added outside Quote Builder; an
    expired approval; a key no longer trusted)."""


@dataclass(frozen=True)
class ApprovalEvidence:
    """A decision approving the latest version that holds now, with what a final PDF
    embeds."""

    decision_id: str
    approver_name: str
    approver_role: str | None
    decided_at: str
    expires_at: str | None
    conditions: list[str]
    statement: dict[str, Any] | None
    statement_signature: str | None
    policy_public: dict[str, Any] | None
    verified: bool
    key_trusted_by: str = ""
    """Unverified only (no organisation policy): who trusted the approver's key in this
    database by hand (``trusted_key.added_by``)."""
    trusted_by_requester: bool = False
    """Unverified only: the key that approved was trusted here by the person who asked for
    the approval. Without a policy nothing can stop that (who acts is the name the user
    gives: ``$QUOTE_BUILDER_USER``, ``--user``), so it is said wherever the approval is."""


@dataclass(frozen=True)
class ApprovalState:
    """The quote editor's banner: where the latest version stands."""

    quote_number: str
    status: str
    latest_version: int
    needed: bool
    required_role: str | None
    reasons: list[str]
    policy_label: str
    pending: RequestInfo | None
    """The pending request for the latest version."""
    approval: ApprovalEvidence | None
    """The valid approval of the latest version."""
    rejection: DecisionInfo | None
    """The rejection of the latest version."""
    problem: str | None = None
    """Why approvals cannot work here now (a tampered or missing policy)."""
    lost_reason: str = ""
    """Why a lost quote was lost, in the rep's words (issue 15)."""
    deal_note: str = ""
    """Who sent the quote when and which file; who accepted it when and how (issue 15)."""
    not_ready: str = ""
    """What the customer lacks before Finalise can go through (a billing address, someone to
    sign: ``lifecycle.customer_gaps``), for a quote not sent yet; empty when nothing."""
    not_ready_customer: str = ""
    """The customer ``not_ready`` is about (the app writes the sentence in its language)."""
    not_ready_gaps: tuple[str, ...] = ()
    """What it lacks: keys of ``pricing.terms.CUSTOMER_GAPS``."""
    unprintable: tuple[Sentence, ...] = ()
    """Text of the saved version (its customer's name as the Customers page has it, its
    title) the PDF fonts cannot draw (``printable.print_problems``), for a quote not sent
    yet: its PDF cannot be made until it is written without that character."""
    reason_details: list[Reason] = field(default_factory=list)
    """``reasons`` as codes and values, in the same order (the app's own language)."""
    stale_approval: ApprovalEvidence | None = None
    """An approval of the latest version that no longer applies: the customer's terms
    changed since it was asked for (``terms_changes`` says what); ``approval`` is then
    None."""
    pending_stale: bool = False
    """The pending request's customer terms are no longer the quote's: the desk cannot
    decide it; the rep asks again."""
    terms_changes: tuple[str, ...] = ()
    """What changed (``terms_changes`` codes) for ``stale_approval`` or ``pending_stale``."""

    @property
    def can_request(self) -> bool:
        return (
            self.needed
            and (self.pending is None or self.pending_stale)
            and self.approval is None
            and not self.problem
        )


# --- keys and trusted approvers --------------------------------------------------------------


def add_trusted_key(
    db: Database, name: str, public_key_text: str, *, actor: str
) -> Outcome[TrustedKeyInfo]:
    """Trust an approver's public key by hand (single-user set-up, unverified). Refused
    when an organisation policy is installed: then the policy says who approves."""
    if not name.strip():
        raise InvalidInputError([Sentence("name: give the approver's name", "approver.no_name")])
    if "\x00" in name:
        raise InvalidInputError([Sentence(f"name: {NUL_REFUSED}", "approver.name_nul")])
    try:
        public = signing.public_key_from_text(public_key_text)
    except ApprovalSigningError as exc:
        raise KeyProblemError(sentence_of(exc)) from None
    print_ = signing.fingerprint(public)
    with db.write() as session:
        policy = installed_in(session)
        if policy is not None:
            raise TrustRefusedError(
                Sentence(
                    f"the organisation's {policy.label} decides who approves here; a key cannot "
                    "be trusted by hand. Ask the deal desk to list the approver in a new policy.",
                    "trust.policy_decides",
                    policy=policy.label,
                )
            )
        existing = session.exec(select(TrustedKey).where(TrustedKey.fingerprint == print_)).first()
        if existing is not None:
            raise RefusedError(
                Sentence(
                    f"this key is already trusted as {existing.name!r} "
                    f"(fingerprint {signing.short_fingerprint(print_)})",
                    "trust.already",
                    name=existing.name,
                    fingerprint=signing.short_fingerprint(print_),
                )
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
            details={"name": row.name, "fingerprint": print_, "unverified": True},
        )
        return Outcome(_trusted_info(row), Changes.of(settings=True))


def _trusted_info(row: TrustedKey) -> TrustedKeyInfo:
    return TrustedKeyInfo(row.name, row.public_key, row.fingerprint, row.added_by, row.added_at)


def list_trusted_keys(db: Database) -> list[TrustedKeyInfo]:
    with db.read() as session:
        rows = session.exec(select(TrustedKey).order_by(col(TrustedKey.name))).all()
        return [_trusted_info(r) for r in rows]


def list_approvers(db: Database) -> ApproversView:
    """The approvers whose decisions count here, and where that comes from."""
    from .policy import PolicyTamperedError

    with db.read() as session:
        try:
            policy = installed_in(session)
        except PolicyTamperedError as exc:
            return ApproversView(
                True, "organisation policy (fails its check)", [], sentence_of(exc)
            )
        if policy is not None:
            return ApproversView(
                True,
                policy.label,
                [
                    ApproverInfo(a.name, a.role, a.fingerprint, a.public_key)
                    for a in policy.approvers
                ],
            )
        rows = session.exec(select(TrustedKey).order_by(col(TrustedKey.name))).all()
        return ApproversView(
            False,
            UNVERIFIED,
            [ApproverInfo(r.name, None, r.fingerprint, r.public_key) for r in rows],
        )


# --- policy and evaluation ---------------------------------------------------------------


def governing_policy(session: Session) -> VerifiedPolicy | None:
    """The organisation policy installed here, verified (PolicyTamperedError if it fails)."""
    return installed_in(session)


def current_policy(db: Database) -> ApprovalPolicy:
    """The approval policy: the organisation's signed bundle when one is installed (never
    the settings columns then), else this database's settings (unverified)."""
    from .policy import effective_policy

    return effective_policy(db)[0]


def evaluate_document(
    db: Database,
    document: QuoteDocument,
    policy: ApprovalPolicy,
    priced: PricedQuote | None = None,
) -> Evaluation:
    """Whether ``document`` needs approval under ``policy``, by whom and why, its exchange
    rate checked against this database's rate table (``approvals.policy.check_rate``): the
    one evaluation behind the rep's status, ``approval request``, the desk's import and
    the final PDF."""
    from .currencies import rate_table

    return evaluate(
        document,
        priced if priced is not None else price(document),
        policy,
        rate_table(db),
    )


def evaluate_quote(db: Database, number: str, *, version: int | None = None) -> QuoteEvaluation:
    """Whether a quote version (the latest by default) needs approval, by whom and why:
    what the rep sees before asking."""
    from .policy import effective_policy

    row = find_quote(db, number)
    opened = open_version(db, row.id, version)
    policy, verified = effective_policy(db)
    return QuoteEvaluation(
        row.number,
        opened.version.number,
        opened.version.content_hash,
        evaluate_document(db, opened.document, policy),
        verified.label if verified else UNVERIFIED,
        verified.fingerprint if verified else None,
    )


# --- requests ----------------------------------------------------------------------------


def _request_info(row: ApprovalRequest, notes: Sequence[str] = ()) -> RequestInfo:
    assert row.id is not None
    return RequestInfo(
        id=row.id,
        request_id=row.request_uid,
        quote_id=row.quote_id,
        quote_number=row.quote_number,
        customer_name=row.customer_name,
        version=row.version_number,
        version_hash=row.version_hash,
        reasons=list(_request_json(row, row.reasons_json, [])),
        required_role=row.required_role,
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        status=row.status,
        imported=row.imported,
        summary=_request_json(row, row.summary_json),
        requester_keys=list(_request_json(row, row.requester_keys_json, [])),
        policy_fingerprint=row.policy_fingerprint,
        notes=list(notes),
        reason_details=_reason_details(row),
    )


def _request_json(request: ApprovalRequest, text: str | None, default: Any = None) -> Any:
    """A JSON column of a stored approval request (its reasons, its requester's keys, its
    totals, its policy). A row edited by hand into something that is not JSON is refused
    with a sentence naming the request, never a traceback; an empty column is ``default``."""
    if not text:
        return default
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        where = json_problem(exc)
        raise InvalidInputError(
            [
                Sentence(
                    f"the approval request for {request.quote_number} version "
                    f"{request.version_number} is not JSON in the database ({where}); it was "
                    "changed outside Quote Builder: keep a copy of the database, then restore "
                    "a backup",
                    "request.not_json",
                    quote_number=request.quote_number,
                    version=request.version_number,
                    where=where,
                )
            ]
        ) from None


def _reason_details(row: ApprovalRequest) -> list[Reason]:
    """The stored reasons' codes and values, when there is one for every sentence."""
    if not row.reason_details_json:
        return []
    try:
        raw = json.loads(row.reason_details_json)
        sentences = json.loads(row.reasons_json)
    except ValueError:
        return []
    if not isinstance(raw, list) or not isinstance(sentences, list):
        return []
    details = [Reason.from_json(item) for item in raw]
    if len(details) != len(sentences) or any(d is None for d in details):
        return []
    return [d for d in details if d is not None]


def _details_json(evaluation: Evaluation) -> str | None:
    if len(evaluation.details) != len(evaluation.reasons):
        return None
    return json.dumps([detail.to_json() for detail in evaluation.details])


def _latest_version(session: Session, quote: Quote) -> QuoteVersion:
    assert quote.id is not None
    version = repo.get_version(session, quote_id=quote.id, number=quote.latest_version)
    if version is None:
        raise NotFoundError(
            Sentence(
                f"quote {quote.number} has no version {quote.latest_version}",
                "quote.no_such_version",
                number=quote.number,
                version=quote.latest_version,
            )
        )
    return version


def _requester_keys(session: Session, policy: VerifiedPolicy | None) -> list[str]:
    """Fingerprints of approver keys in the requester's key folder (they may not approve
    this request). Only keys that count here are recorded."""
    local = {k.fingerprint for k in list_keys()}
    if policy is not None:
        counted = {a.fingerprint for a in policy.approvers}
    else:
        counted = set(session.exec(select(TrustedKey.fingerprint)).all())
    return sorted(local & counted)


def request_approval(db: Database, number: str, *, actor: str) -> Outcome[RequestInfo]:
    """Ask for approval of the latest version: its hash is frozen, the reasons recorded
    with the policy that gave them, the requester and the approver keys on this machine,
    and the quote becomes pending_approval. A pending request for the same version is
    returned as it is; an approved version whose approval is in force is refused (asking
    again would leave it without one until the desk decides)."""
    from .policy import effective_policy

    refuse_user_name(actor)
    row = find_quote(db, number)
    _refuse_if_done(number, row.status)
    opened = open_version(db, row.id)
    priced = price(opened.document)
    blocking = blocking_warnings(opened.document)
    if blocking:
        raise RefusedError(
            Sentence(
                f"{number} has blocking warnings ({', '.join(blocking)}): fix them before "
                "asking for approval",
                "request.blocking",
                number=number,
                blocking=blocking,
            )
        )
    from .printable import print_problems

    unprintable = print_problems(db, opened.document)
    if unprintable:
        # An approval is of a PDF the customer can be sent: one that cannot be made is
        # refused before the deal desk is asked (the same sentence the render refuses with).
        raise RefusedError(
            Sentence(
                f"{number} cannot be sent for approval while its PDF cannot be made: "
                f"{unprintable[0]}",
                "request.unprintable",
                number=number,
                problem=unprintable[0],
            )
        )
    policy, verified = effective_policy(db)
    evaluation = evaluate_document(db, opened.document, policy, priced)
    if not evaluation.needed:
        raise RefusedError(
            Sentence(
                f"{number} version {opened.version.number} needs no approval under "
                f"{'the organisation' + chr(39) + 's ' + verified.label if verified else 'the current policy'}",
                "request.not_needed.policy" if verified else "request.not_needed",
                number=number,
                version=opened.version.number,
                policy=verified.label if verified else "",
            )
        )
    _refuse_if_approved(db, number, opened.version.number, row.status)
    from .documents import saved_terms_json

    terms = saved_terms_json(db, number, version=opened.version.number)
    with db.write() as session:
        quote = quote_by_number(session, number)
        assert quote.id is not None
        _refuse_if_done(number, quote.status)  # sent meanwhile, or sent and expired since
        version = _latest_version(session, quote)
        if version.content_hash != opened.version.content_hash:
            raise RefusedError(
                Sentence(
                    f"{number} changed while asking for approval; ask again",
                    "request.changed_meanwhile",
                    number=number,
                )
            )
        pending = session.exec(
            select(ApprovalRequest).where(
                ApprovalRequest.quote_id == quote.id, ApprovalRequest.status == "pending"
            )
        ).all()
        for old in pending:
            if (
                old.version_hash == version.content_hash
                and old.terms_json == terms.decode("utf-8")
                and quote.status == "pending_approval"
            ):
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
            reason_details_json=_details_json(evaluation),
            required_role=evaluation.required_role,
            policy_json=json.dumps(policy.snapshot(), sort_keys=True),
            summary_json=json.dumps(priced_summary(evaluation.judged or priced)),
            requested_by=actor,
            requester_keys_json=json.dumps(_requester_keys(session, verified)),
            policy_fingerprint=verified.fingerprint if verified else None,
            terms_json=terms.decode("utf-8"),
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
                "policy": verified.fingerprint if verified else None,
            },
        )
        session.flush()
        return Outcome(_request_info(request), Changes.of(quotes=[quote.id]))


def _refuse_if_done(number: str, status: str) -> None:
    """Refuse a request for a quote that was sent, accepted or lost: asking for approval
    would send it back to pending approval (a sent quote is with the customer; editing it
    makes a new draft version to ask for)."""
    if status not in ("sent", "accepted", "lost"):
        return
    raise RefusedError(
        Sentence(
            f"{number} is {status}: it cannot go back to pending approval"
            + (" (edit it to make a new draft version)" if status == "sent" else ""),
            "status.no_way_back.sent" if status == "sent" else "status.no_way_back",
            number=number,
            status=status,
            to_status="pending_approval",
        )
    )


def _refuse_if_approved(db: Database, number: str, version: int, status: str) -> None:
    """Refuse a request for a version whose approval is in force (the quote approved, its
    decision holding, the customer's terms the ones approved): asking again would only put
    a valid approval at risk, and a quote pending approval cannot be sent. An approval that
    expired, or no longer applies, is not in force: asking again is then allowed."""
    if status != "approved":
        return
    in_force, _stale, _changes = approval_in_force(db, number)
    if in_force is None:
        return
    if in_force.expires_at:
        until = signing.last_day(in_force.expires_at)
        raise RefusedError(
            Sentence(
                f"{number} version {version} is already approved by {in_force.approver_name} "
                f"until {until}; nothing to request",
                "request.already_approved",
                number=number,
                version=version,
                approver=in_force.approver_name,
                until=until,
            )
        )
    raise RefusedError(
        Sentence(
            f"{number} version {version} is already approved by {in_force.approver_name}, "
            "with no expiry; nothing to request",
            "request.already_approved.no_expiry",
            number=number,
            version=version,
            approver=in_force.approver_name,
        )
    )


def _pending_request(session: Session, quote: Quote) -> ApprovalRequest:
    request = session.exec(
        select(ApprovalRequest)
        .where(ApprovalRequest.quote_id == quote.id, ApprovalRequest.status == "pending")
        .order_by(col(ApprovalRequest.id).desc())
    ).first()
    if request is None:
        raise RefusedError(
            Sentence(
                f"{quote.number} has no pending approval request; ask for approval first",
                "request.none_pending",
                number=quote.number,
            )
        )
    return request


def export_request(db: Database, number: str, *, actor: str) -> str:
    """The pending request of a quote as a JSON file for the deal desk: the document, its
    hash, the priced summary, the reasons, the requester and the approver keys on the
    requesting machine. The desk evaluates the reasons again under its own policy; the
    fingerprint of the rep's policy is there for comparison only."""
    with db.write() as session:
        quote = quote_by_number(session, number)
        request = _pending_request(session, quote)
        version = repo.get_version(session, quote_id=quote.id or 0, number=request.version_number)
        assert version is not None
        data = {
            "format": REQUEST_FORMAT,
            "format_version": 3,
            "request_id": request.request_uid,
            "quote_number": request.quote_number,
            "customer_name": request.customer_name,
            "version": request.version_number,
            "version_hash": request.version_hash,
            "requested_by": request.requested_by,
            "requester_keys": _request_json(request, request.requester_keys_json, []),
            "requested_at": signing.iso_utc(request.requested_at),
            "required_role": request.required_role,
            "reasons": _request_json(request, request.reasons_json, []),
            "policy_fingerprint": request.policy_fingerprint,
            "summary": stored_json(
                version.summary_json, number=request.quote_number, version=version.number
            ),
            "document": stored_json(
                version.document_json, number=request.quote_number, version=version.number
            ),
            # The customer's terms as the final PDF will attach them: the desk checks them
            # against the document and signs their hash.
            "terms": request.terms_json,
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


def _check_request_terms(
    document: QuoteDocument, priced: PricedQuote, text: str, number: str, version: int
) -> None:
    """The customer's terms in a request file must be exactly the terms of its document:
    built again here from the document, with the parties, dates and legal frame the terms
    name, they must give the same bytes. So the hash the desk signs is the hash of what
    the quote says, not of something written beside it."""
    from quote_builder.pricing.languages import DEFAULT_LANGUAGE
    from quote_builder.pricing.terms import CustomerTerms, customer_terms, terms_json

    try:
        terms = CustomerTerms.model_validate_json(text)
    except ValueError:
        raise BadRequestFileError(
            Sentence(
                "the customer terms in the request file cannot be read",
                "request_file.terms_unreadable",
            )
        ) from None
    if terms.quote_number != number or terms.version != version:
        raise BadRequestFileError(
            Sentence(
                f"the customer terms in the request file are for {terms.quote_number} version "
                f"{terms.version}, not {number} version {version}",
                "request_file.terms_other_version",
                quote_number=terms.quote_number,
                version=terms.version,
                number=number,
                version2=version,
            )
        )
    featured = effective_document(document)
    rebuilt = customer_terms(
        featured,
        priced if featured is document else price(featured),
        seller=terms.seller,
        customer=terms.customer,
        quote_number=terms.quote_number,
        version=terms.version,
        issued=terms.issued,
        valid_until=terms.valid_until,
        legal=terms.legal,
        language=terms.language or DEFAULT_LANGUAGE,
    )
    if terms_json(rebuilt) != text.encode("utf-8"):
        raise BadRequestFileError(
            Sentence(
                "the customer terms in the request file do not match its quote: they were "
                "changed after export",
                "request_file.terms_changed",
            )
        )


def _check_request_file_current(
    db: Database, number: str, version: int, version_hash: str, terms: str
) -> None:
    """An intact request file whose quote is in this database (a shared database) but
    whose customer terms are no longer the quote's: stale, not tampered with."""
    with db.read() as session:
        quote = session.exec(select(Quote).where(Quote.number == number)).first()
        if quote is None or quote.id is None:
            return
        saved = repo.get_version(session, quote_id=quote.id, number=version)
        if saved is None or saved.content_hash != version_hash:
            return
    now = current_terms(db, number, version)
    changes = terms_changes(terms, now) if now is not None else []
    if changes:
        raise StaleRequestError(
            Sentence(
                f"the request file for {number} version {version} is intact, but the quote "
                f"changed since the request was made ({changes_text(changes)}): the rep must "
                "ask for approval again and send a new request file",
                "request_file.quote_changed",
                number=number,
                version=version,
                changes=changes,
            )
        )


def _load_json(text: str | bytes, what: str, error: type[ServiceError]) -> Any:
    if len(text) > MAX_FILE_BYTES:
        raise error(Sentence(f"the {what} is larger than 5 MB", "file.too_large_5mb", what=what))
    try:
        return load_json(text)
    except JSONInputError as exc:
        raise error(
            Sentence(
                f"the {what} is not JSON we can read: {exc}",
                "file.not_json",
                what=what,
                problem=str(exc),
            )
        ) from None


def import_request(db: Database, text: str | bytes, *, actor: str) -> Outcome[RequestInfo]:
    """Deal-desk side: take in a request file. The document must hash to the version hash
    it claims; the reasons are evaluated again here under this database's own policy
    (whatever the file says about the rep's). Importing the same request again (a retry
    after a failed decision) returns it as it is."""
    from .policy import effective_policy

    data = _load_json(text, "approval request file", BadRequestFileError)
    if not isinstance(data, dict) or data.get("format") != REQUEST_FORMAT:
        raise BadRequestFileError(
            Sentence("not a Quote Builder approval request file", "request_file.not_a_request")
        )
    try:
        uid = str(uuid.UUID(str(data["request_id"])))
        number = str(data["quote_number"])
        version_number = int(data["version"])
        if not 1 <= version_number <= MAX_VERSION:  # a database integer holds no more
            raise ValueError(f"version: must be from 1 to {MAX_VERSION:,}")
        claimed = str(data["version_hash"])
        document = quote_from_data(data["document"])
        requested_by = str(data.get("requested_by", ""))
        requester_keys = [str(k) for k in data.get("requester_keys") or []]
        rep_policy = data.get("policy_fingerprint")
        terms_text = data.get("terms")
        if not isinstance(terms_text, str):
            raise BadRequestFileError(
                Sentence(
                    "the request file holds no customer terms (it was made by an older Quote "
                    "Builder): ask the rep to request approval again",
                    "request_file.no_terms",
                )
            )
    except QuoteFileError as exc:
        raise BadRequestFileError(
            Sentence(
                "the request's quote cannot be read:\n" + "\n".join(exc.problems),
                "request_file.quote_unreadable",
                problems=exc.problems,
            )
        ) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise BadRequestFileError(
            Sentence(
                f"the approval request file is malformed ({exc})",
                "request_file.malformed",
                problem=str(exc),
            )
        ) from None
    actual = content_hash(document)
    if actual != claimed:
        raise BadRequestFileError(
            Sentence(
                f"the quote in the request file does not match its version hash "
                f"(file says {claimed[:12]}…, content is {actual[:12]}…): it was changed after export",
                "request_file.hash",
                claimed=claimed[:12],
                actual=actual[:12],
            )
        )
    if document.quote_number != number:
        raise BadRequestFileError(
            Sentence(
                f"the request is for {number} but its document is quote {document.quote_number}",
                "request_file.other_quote",
                number=number,
                quote_number=document.quote_number,
            )
        )
    policy, verified = effective_policy(db)
    priced = price(document)
    _check_request_terms(document, priced, terms_text, number, version_number)
    _check_request_file_current(db, number, version_number, actual, terms_text)
    evaluation = evaluate_document(db, document, policy, priced)
    notes = []
    here = verified.fingerprint if verified else None
    if rep_policy != here:
        notes.append(
            Sentence(
                f"The rep's app judged this quote under "
                f"{'policy ' + signing.short_fingerprint(str(rep_policy)) if rep_policy else 'its own settings (no organisation policy)'}; "
                f"the reasons shown are this desk's, under {verified.label if verified else UNVERIFIED}.",
                "request.note.rep_policy" if rep_policy else "request.note.rep_own_settings",
                rep_policy=signing.short_fingerprint(str(rep_policy)) if rep_policy else "",
                desk_policy=verified.label if verified else UNVERIFIED,
            )
        )
    with db.write() as session:
        existing = session.exec(
            select(ApprovalRequest).where(ApprovalRequest.request_uid == uid)
        ).first()
        if existing is not None:
            if existing.version_hash == actual and existing.status == "pending":
                return Outcome(_request_info(existing, notes))
            raise RefusedError(
                Sentence(
                    f"request {uid} for {number} is already in this database ({existing.status})",
                    "request_file.already_here",
                    uid=uid,
                    number=number,
                    status=existing.status,
                )
            )
        request = ApprovalRequest(
            request_uid=uid,
            quote_id=None,
            quote_number=number,
            customer_name=document.customer.name,
            version_number=version_number,
            version_hash=actual,
            reasons_json=json.dumps(evaluation.reasons),
            reason_details_json=_details_json(evaluation),
            required_role=evaluation.required_role,
            policy_json=json.dumps(policy.snapshot(), sort_keys=True),
            document_json=json.dumps(document.to_json_dict(), sort_keys=True),
            summary_json=json.dumps(priced_summary(evaluation.judged or priced)),
            imported=True,
            requested_by=requested_by,
            requester_keys_json=json.dumps(sorted(set(requester_keys))),
            policy_fingerprint=here,
            terms_json=terms_text,
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
                "requested_by": requested_by,
                "rep_policy": rep_policy,
                "policy": here,
            },
        )
        return Outcome(_request_info(request, notes))


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
        raise NotFoundError(
            Sentence(
                f"no pending approval request for {reference!r}",
                "request.not_found",
                reference=reference,
            )
        )
    return request


# --- customer terms that changed since the request ---------------------------------------------

PARTY_FIELD_WORDS = {
    "name": "name",
    "legal_name": "legal name",
    "address": "address",
    "billing_address": "billing address",
    "email": "email",
    "country": "country",
    "signatory": "signatory",
    "signatory_title": "signatory's title",
    "tax_id": "tax ID",
}
"""The customer's details the order form names, as a refusal words them."""

TERMS_CHANGE_WORDS = {
    "seller": "the seller profile",
    "legal": "the legal frame",
    "language": "the documents' language",
    "validity": "the offer's validity",
    "terms": "the quote's terms",
}
"""The other parts of the customer's terms that can change without a new version."""


def terms_change_words(code: str) -> str:
    """``customer.billing_address`` -> "the customer's billing address" (English)."""
    if code.startswith("customer."):
        field_name = code.removeprefix("customer.")
        return f"the customer's {PARTY_FIELD_WORDS.get(field_name, field_name.replace('_', ' '))}"
    return TERMS_CHANGE_WORDS.get(code, TERMS_CHANGE_WORDS["terms"])


def terms_changes(requested: str, current: bytes) -> list[str]:
    """What differs between the customer's terms a request asked about (``requested``) and
    the quote's terms now (``current``): codes (``customer.billing_address``, ``seller``,
    ``legal``, ``language``, ``validity``; ``terms`` for anything else). Empty when they
    are the same bytes."""
    from quote_builder.pricing.terms import CustomerTerms

    if requested.encode("utf-8") == current:
        return []
    try:
        before = CustomerTerms.model_validate_json(requested)
        after = CustomerTerms.model_validate_json(current)
    except ValueError:
        return ["terms"]
    changes: list[str] = []
    old_party, new_party = before.customer.model_dump(), after.customer.model_dump()
    changes += [f"customer.{k}" for k in old_party if old_party[k] != new_party.get(k)]
    if before.seller != after.seller:
        changes.append("seller")
    if before.legal != after.legal:
        changes.append("legal")
    if before.language != after.language:
        changes.append("language")
    if (before.issued, before.valid_until) != (after.issued, after.valid_until):
        changes.append("validity")
    rest = {"customer", "seller", "legal", "language", "issued", "valid_until"}
    if before.model_dump(exclude=rest) != after.model_dump(exclude=rest):
        changes.append("terms")
    return changes or ["terms"]


def changes_text(changes: Sequence[str]) -> str:
    """What changed in the customer's terms, in English words."""
    return ", ".join(terms_change_words(c) for c in changes)


class StaleRequestError(RefusedError):
    """A request whose customer terms are no longer the quote's (the customer's details, the
    seller profile or the legal frame changed since it was made): deciding it would sign
    terms the final PDF cannot attach. The file, if any, is intact; the rep must ask
    again (its sentence's ``changes``: ``terms_changes`` codes)."""


def current_terms(db: Database, number: str, version: int) -> bytes | None:
    """The customer's terms of ``number`` version ``version`` as a final PDF would attach
    them now (None when they cannot be made: the quote is judged elsewhere)."""
    from .documents import saved_terms_json

    try:
        return saved_terms_json(db, number, version=version)
    except UserFacingError:
        return None


def check_request_current(db: Database, reference: str) -> None:
    """Refuse (``StaleRequestError``) a pending request of a quote in this database whose
    customer terms are no longer the quote's: the desk is told what changed and that the
    rep must ask again. Called before the approver's passphrase is asked for."""
    with db.read() as session:
        request = _find_request(session, reference)
        if request.imported or request.status != "pending" or not request.terms_json:
            return
        number, version, requested = (
            request.quote_number,
            request.version_number,
            request.terms_json,
        )
    now = current_terms(db, number, version)
    if now is None:
        return
    changes = terms_changes(requested, now)
    if changes:
        raise StaleRequestError(
            Sentence(
                f"{number} version {version}: the quote's customer terms changed since the "
                f"request was made ({changes_text(changes)}); it cannot be decided: the rep "
                "must ask for approval again",
                "decide.terms_changed",
                number=number,
                version=version,
                changes=changes,
            )
        )


# --- the checks every decision goes through ----------------------------------------------


def _discount(summary: dict[str, Any] | None) -> Decimal:
    try:
        return Decimal(str((summary or {}).get("effective_discount_percent", "0")))
    except InvalidOperation:
        return Decimal(0)


def refuse_user_name(actor: str, source: str = "the user name") -> None:
    """A user name with an invisible character, or Latin mixed with Cyrillic or Greek in a
    word, never asks for or decides an approval: it would pass for another person's name
    (``user.user_name_problem``). ``source`` says where the name came from ("--user")."""
    problem = user_name_problem(actor)
    if problem is not None:
        raise InvalidInputError(
            [
                Sentence(
                    f"{source} {actor!r} {problem}",
                    "user.bad_name",
                    source=source,
                    actor=actor,
                    problem=problem,
                )
            ]
        )


def _check_separation(
    request: ApprovalRequest, approver_name: str, fingerprint: str, decider: str | None
) -> None:
    """The requester never approves their own request (SelfApprovalError)."""
    requester = request.requested_by
    keys = set(_request_json(request, request.requester_keys_json, []))
    if same_person(approver_name, requester):
        raise SelfApprovalError(
            Sentence(
                f"{approver_name} asked for this approval and cannot approve it: another approver "
                "must decide",
                "separation.requester",
                approver_name=approver_name,
            ),
            starts_with_name=True,
        )
    if decider is not None and same_person(decider, requester):
        raise SelfApprovalError(
            Sentence(
                f"{requester} asked for this approval and cannot decide it, whatever key they hold: "
                "another approver must decide",
                "separation.requester_any_key",
                requester=requester,
            ),
            starts_with_name=True,
        )
    if fingerprint in keys:
        raise SelfApprovalError(
            Sentence(
                f"the key of {approver_name} was on the machine that asked for this approval "
                f"(requested by {requester}); a request cannot be approved with a key its "
                "requester holds",
                "separation.requester_key",
                approver_name=approver_name,
                requester=requester,
            )
        )


def _check_authority(
    policy: VerifiedPolicy, approver: Approver, request: ApprovalRequest, decision: str
) -> None:
    if decision != "approved":
        return  # any approver in the policy may say no
    problem = authority_problem(
        policy,
        approver,
        discount=_discount(_request_json(request, request.summary_json)),
        required_role=request.required_role,
    )
    if problem:
        raise AuthorityExceededError(
            Sentence(
                f"{problem}; the decision is beyond their authority",
                "decision.beyond_authority",
                problem=problem,
            )
        )


def _policy_approver(policy: VerifiedPolicy, fingerprint: str, name: str) -> Approver:
    approver = policy.approver(fingerprint)
    if approver is None:
        raise NotAnApproverError(
            Sentence(
                f"the key of {name!r} (fingerprint {signing.short_fingerprint(fingerprint)}) is not "
                f"an approver in the organisation's {policy.label}; only the approvers it lists "
                "can decide",
                "decision.not_an_approver",
                name=name,
                fingerprint=signing.short_fingerprint(fingerprint),
                label=policy.label,
            )
        )
    return approver


def _check_policy_time(policy: VerifiedPolicy, moment: dt.datetime) -> None:
    problem = policy.validity_problem(moment)
    if problem:
        raise PolicyExpiredError(
            Sentence(
                f"{problem}: no decision counts under it; install the current policy",
                "decision.policy_invalid",
                problem=problem,
            )
        )


# --- decisions ---------------------------------------------------------------------------


def _decision_info(
    payload: dict[str, Any],
    signature: str,
    public_key: str,
    statement_signature: str | None = None,
) -> DecisionInfo:
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
        statement_signature=statement_signature,
    )


def _signed_terms_hash(request: ApprovalRequest) -> str:
    """The hash of the customer's terms the request asks about: what the approver signs."""
    if not request.terms_json:
        raise RefusedError(
            Sentence(
                f"the request for {request.quote_number} holds no customer terms (made by an older "
                "Quote Builder): ask for approval again",
                "request.no_terms",
                quote_number=request.quote_number,
            )
        )
    return terms_hash(request.terms_json.encode("utf-8"))


def _request_document(session: Session, request: ApprovalRequest) -> QuoteDocument:
    text = request.document_json
    if not text:
        assert request.quote_id is not None
        version = repo.get_version(
            session, quote_id=request.quote_id, number=request.version_number
        )
        assert version is not None
        text = version.document_json
    return quote_from_data(
        stored_json(
            text, number=request.quote_number, version=request.version_number, decimals=True
        )
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
    approver's key. The approver is the key's holder in the organisation's policy; the
    requester cannot decide; an approval must be within the approver's authority. On a
    shared database the decision applies to the quote at once (with every check an
    imported decision gets); for an imported request it is stored and returned for
    export. A refusal leaves an audit event."""
    moment = now or utcnow()
    refuse_user_name(actor)
    if expires is not None and expires < moment.date():
        raise InvalidInputError(
            [
                Sentence(
                    f"expires: {expires.isoformat()} is in the past",
                    "decide.expires_past",
                    expires=expires,
                )
            ]
        )
    if not approve and not comment.strip():
        raise InvalidInputError(
            [Sentence("comment: say why the quote is rejected", "decide.no_comment")]
        )
    check_request_current(db, request_ref)
    if expires is not None:
        with db.read() as session:
            governing = governing_policy(session)
        if governing is not None and expires > governing.valid_until:
            raise InvalidInputError(
                [
                    Sentence(
                        f"expires: {expires.isoformat()} is after the organisation's policy "
                        f"{governing.short} ends ({governing.valid_until.isoformat()}): an "
                        "approval cannot outlive the policy it is granted under; give "
                        f"{governing.valid_until.isoformat()} or an earlier date",
                        "decide.expires_after_policy",
                        expires=expires,
                        policy=governing.short,
                        valid_until=governing.valid_until,
                    )
                ]
            )
    _data, private, public = open_key(key_name, passphrase, directory=key_directory)
    print_ = signing.fingerprint(public)
    decision = "approved" if approve else "rejected"
    refusal: tuple[dict[str, Any], DecisionRefusedError] | None = None
    with db.read() as session:
        request = _find_request(session, request_ref)
        if request.status != "pending":
            raise RefusedError(
                Sentence(
                    f"request {request.request_uid} for {request.quote_number} is {request.status}, not pending",
                    "decide.not_pending",
                    request_uid=request.request_uid,
                    quote_number=request.quote_number,
                    status=request.status,
                )
            )
        reference = {
            "request_id": request.request_uid,
            "quote_number": request.quote_number,
            "version": request.version_number,
        }
        policy = governing_policy(session)
        name: str = key_name
        role: str | None = None
        try:
            if policy is not None:
                approver = _policy_approver(policy, print_, key_name)
                _check_policy_time(policy, moment)
                name, role = approver.name, approver.role
                _check_separation(request, name, print_, actor)
                _check_authority(policy, approver, request, decision)
                snapshot = policy.approval_policy().snapshot()
            else:
                trusted = session.exec(
                    select(TrustedKey).where(TrustedKey.fingerprint == print_)
                ).first()
                if trusted is None and not request.imported:
                    raise UntrustedKeyError(
                        Sentence(
                            f"the key {key_name!r} (fingerprint {signing.short_fingerprint(print_)}) "
                            "is not trusted in this database; trust the approver's public key first",
                            "decide.untrusted_key",
                            key_name=key_name,
                            fingerprint=signing.short_fingerprint(print_),
                        )
                    )
                name = trusted.name if trusted else key_name
                _check_separation(request, name, print_, actor)
                snapshot = _request_json(request, request.policy_json, {})
        except DecisionRefusedError as exc:
            refusal = (reference, exc)
        if refusal is None:
            payload = signing.decision_payload(
                request_id=request.request_uid,
                quote_number=request.quote_number,
                version=request.version_number,
                version_hash=request.version_hash,
                decision=decision,
                approver_name=name,
                approver_fingerprint=print_,
                approver_role=role,
                requester_name=request.requested_by,
                requester_keys=_request_json(request, request.requester_keys_json, []),
                policy_fingerprint=policy.fingerprint if policy else None,
                terms_hash=_signed_terms_hash(request),
                discount_percent=str(_discount(_request_json(request, request.summary_json))),
                required_role=request.required_role,
                decided_at=moment,
                expires_at=(
                    dt.datetime.combine(expires + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
                    if expires
                    else None
                ),
                comment=comment.strip(),
                conditions=[c.strip() for c in conditions if c.strip()],
                policy=snapshot,
                reasons=_request_json(request, request.reasons_json, []),
            )
            imported = request.imported
    if refusal is not None:
        _record_refusal(db, refusal[0], refusal[1], actor)
        raise refusal[1]
    signature = signing.sign_with(private, payload)
    statement_signature = signing.sign_with(private, statement_from_payload(payload))
    info = _decision_info(payload, signature, public, statement_signature)
    if not imported:
        # Shared database: the same checks as an imported decision file.
        return _accept_or_record_refusal(
            db, payload, signature, statement_signature, actor, moment, "decided"
        )
    with db.write() as session:
        request = _find_request(session, payload["request_id"])
        _store_decision(session, request, payload, signature, statement_signature)
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
    session: Session,
    request: ApprovalRequest,
    payload: dict[str, Any],
    signature: str,
    statement_signature: str | None,
) -> ApprovalDecision:
    assert request.id is not None
    row = ApprovalDecision(
        decision_uid=payload["decision_id"],
        request_id=request.id,
        decision=payload["decision"],
        payload_json=json.dumps(payload, sort_keys=True, ensure_ascii=False),
        signature=signature,
        statement_signature=statement_signature,
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
        "approver_role": payload["approver"].get("role"),
        "fingerprint": payload["approver"]["fingerprint"],
        "requester": (payload.get("requester") or {}).get("name"),
        "policy": payload.get("policy_fingerprint"),
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
                Sentence(
                    f"no signed decision {reference!r}: give a decision id or the number of a "
                    "quote with a decision (the quote's approval status lists them)",
                    "decision.not_found",
                    reference=reference,
                )
            )
        try:
            payload = json.loads(row.payload_json)
            info = _decision_info(payload, row.signature, "", row.statement_signature)
        except _MALFORMED:
            raise RefusedError(
                Sentence(
                    f"decision {row.decision_uid} cannot be written to a file: "
                    f"{MALFORMED_DECISION}",
                    "decision.export_malformed",
                    decision_id=row.decision_uid,
                )
            ) from None
        return info.file_text()


def import_decision(
    db: Database, text: str | bytes, *, actor: str, now: dt.datetime | None = None
) -> Outcome[DecisionInfo]:
    """Rep side: accept a signed decision file. Every check of ``_accept`` must pass; any
    failure raises a DecisionRefusedError and leaves an audit event."""
    moment = now or utcnow()
    data: Any = None
    try:
        data = _load_json(text, "decision file", MalformedDecisionError)
        if not isinstance(data, dict) or data.get("format") != DECISION_FILE_FORMAT:
            raise MalformedDecisionError(
                Sentence(
                    "not a Quote Builder approval decision file", "decision_file.not_a_decision"
                )
            )
        raw, signature = data.get("payload"), data.get("signature")
        statement_signature = data.get("statement_signature")
        if not isinstance(signature, str):
            raise MalformedDecisionError(
                Sentence("the decision file has no signature", "decision_file.no_signature")
            )
        if statement_signature is not None and not isinstance(statement_signature, str):
            raise MalformedDecisionError(
                Sentence(
                    "the decision file's statement signature is malformed",
                    "decision_file.statement_signature",
                )
            )
        try:
            payload = signing.check_payload(raw)
        except ApprovalSigningError as exc:
            raise MalformedDecisionError(sentence_of(exc)) from None
    except MalformedDecisionError as exc:
        _record_refusal(db, data.get("payload") if isinstance(data, dict) else None, exc, actor)
        raise
    return _accept_or_record_refusal(
        db, payload, signature, statement_signature, actor, moment, "imported"
    )


def _accept_or_record_refusal(
    db: Database,
    payload: dict[str, Any],
    signature: str,
    statement_signature: str | None,
    actor: str,
    moment: dt.datetime,
    how: str,
) -> Outcome[DecisionInfo]:
    try:
        with db.write() as session:
            return _accept(session, payload, signature, statement_signature, actor, moment, how)
    except DecisionRefusedError as exc:
        _record_refusal(db, payload, exc, actor)
        raise


def _verify_signer(
    session: Session,
    payload: dict[str, Any],
    signature: str,
    statement_signature: str | None,
) -> tuple[str, str | None, str, VerifiedPolicy | None, Approver | None]:
    """Who signed, checked against who counts here: (approver name, role, public key,
    the policy, the policy's approver). Raises a DecisionRefusedError."""
    approver = payload["approver"]
    print_ = approver["fingerprint"]
    policy = governing_policy(session)
    if policy is not None:
        if payload.get("format_version", 1) < 2:
            raise MalformedDecisionError(
                Sentence(
                    "the decision was signed before this database had an organisation policy "
                    "(no approval statement); ask the deal desk to decide again",
                    "decision.no_statement",
                )
            )
        if statement_signature is None:  # every decision of format 2 is made with one
            raise BadSignatureError(
                Sentence(
                    "the decision file's approval statement is not signed (its "
                    "statement_signature is missing): the file was changed after it was "
                    "signed; ask the deal desk for the file again",
                    "decision.statement_unsigned",
                )
            )
        holder = _policy_approver(policy, print_, approver["name"])
        public = holder.public_key
        if not signing.verify(payload, signature, public) or not signing.verify(
            statement_from_payload(payload), statement_signature, public
        ):
            raise BadSignatureError(
                Sentence(
                    "the decision's signature does not verify: the file was changed after it was "
                    "signed, or it was not signed by the key it names",
                    "decision.bad_signature",
                )
            )
        if not same_person(approver["name"], holder.name) or approver.get("role") != holder.role:
            raise NotAnApproverError(
                Sentence(
                    f"the decision names {approver['name']!r} as {approver.get('role')}, but its key "
                    f"belongs to {holder.name} ({holder.role_title}) in the organisation's policy",
                    "decision.not_the_holder",
                    name=approver["name"],
                    named_role=str(approver.get("role")),
                    holder=holder.name,
                    holder_role=holder.role,
                )
            )
        return holder.name, holder.role, public, policy, holder
    key = session.exec(select(TrustedKey).where(TrustedKey.fingerprint == print_)).first()
    if key is None:
        raise UntrustedKeyError(
            Sentence(
                f"the decision is signed by {approver['name']!r} with a key this database does not "
                f"trust (fingerprint {signing.short_fingerprint(print_)}); trust the approver's "
                "public key first",
                "decision.untrusted_key",
                name=approver["name"],
                fingerprint=signing.short_fingerprint(print_),
            )
        )
    if not signing.verify(payload, signature, key.public_key) or (
        statement_signature is not None
        and not signing.verify(statement_from_payload(payload), statement_signature, key.public_key)
    ):
        raise BadSignatureError(
            Sentence(
                "the decision's signature does not verify: the file was changed after it was "
                "signed, or it was not signed by the key it names",
                "decision.bad_signature",
            )
        )
    return key.name, None, key.public_key, None, None


def _check_decision_policy(
    session: Session, payload: dict[str, Any], policy: VerifiedPolicy
) -> None:
    """The decision must be made under the policy installed here, while it was valid."""
    made_under = payload.get("policy_fingerprint")
    if made_under != policy.fingerprint:
        older = installed_by_fingerprint(session, str(made_under)) if made_under else None
        if older is not None:
            raise PolicyMismatchError(
                Sentence(
                    f"the decision was made under policy {older.short} (serial {older.serial}), "
                    f"which the organisation replaced with {policy.short} (serial {policy.serial}); "
                    "ask the deal desk to decide again under the current policy",
                    "decision.replaced_policy",
                    short=older.short,
                    serial=older.serial,
                    short2=policy.short,
                    serial2=policy.serial,
                )
            )
        raise PolicyMismatchError(
            Sentence(
                f"the decision was made under policy "
                f"{signing.short_fingerprint(str(made_under)) if made_under else '(none)'}, which is "
                f"not the organisation policy installed here ({policy.short}); install the deal "
                "desk's current policy, then import the decision again",
                "decision.other_policy" if made_under else "decision.no_policy",
                made_under=signing.short_fingerprint(str(made_under)) if made_under else "",
                policy=policy.short,
            )
        )
    _check_policy_time(policy, signing.parse_iso_utc(payload["decided_at"]))


def _accept(
    session: Session,
    payload: dict[str, Any],
    signature: str,
    statement_signature: str | None,
    actor: str,
    moment: dt.datetime,
    how: str,
) -> Outcome[DecisionInfo]:
    name, _role, public, policy, holder = _verify_signer(
        session, payload, signature, statement_signature
    )
    if policy is not None:
        _check_decision_policy(session, payload, policy)
        _check_policy_time(policy, moment)  # an expired policy's approvals do not count
    used = session.exec(
        select(ApprovalDecision).where(ApprovalDecision.decision_uid == payload["decision_id"])
    ).first()
    if used is not None:
        again = _already_recorded(session, used, payload, signature)
        if again is not None:
            return Outcome(
                replace(
                    _decision_info(payload, signature, public, statement_signature),
                    already_recorded_at=used.imported_at,
                ),
                Changes.of(quotes=[again]),
            )
        raise ReplayedDecisionError(
            Sentence(
                f"decision {payload['decision_id']} was already used on "
                f"{used.imported_at:%Y-%m-%d %H:%M} UTC; a decision counts once",
                "decision.replayed",
                decision_id=payload["decision_id"],
                imported_at=used.imported_at,
            )
        )
    request = session.exec(
        select(ApprovalRequest).where(ApprovalRequest.request_uid == payload["request_id"])
    ).first()
    if request is None or request.quote_id is None:
        raise UnknownRequestError(
            Sentence(
                f"the decision answers request {payload['request_id']} for {payload['quote_number']}, "
                "which was not made from this database",
                "decision.unknown_request",
                request_id=payload["request_id"],
                quote_number=payload["quote_number"],
            )
        )
    quote = session.get(Quote, request.quote_id)
    assert quote is not None
    if payload["quote_number"] != request.quote_number or quote.number != request.quote_number:
        raise WrongQuoteError(
            Sentence(
                f"the decision is for quote {payload['quote_number']}, but request "
                f"{request.request_uid} is for {request.quote_number}",
                "decision.other_quote",
                quote_number=payload["quote_number"],
                request_uid=request.request_uid,
                quote_number2=request.quote_number,
            )
        )
    if payload["version_hash"] != request.version_hash:
        raise WrongVersionError(
            Sentence(
                f"the decision is for another version of {quote.number} than the one requested "
                f"(version {payload['version']}, not {request.version_number})",
                "decision.other_version",
                number=quote.number,
                version=payload["version"],
                version_number=request.version_number,
            )
        )
    latest = _latest_version(session, quote)
    if latest.content_hash != payload["version_hash"]:
        raise WrongVersionError(
            Sentence(
                f"{quote.number} changed after approval was requested: the decision is for version "
                f"{payload['version']}, the latest is version {latest.number}; request approval again",
                "decision.outdated",
                number=quote.number,
                version=payload["version"],
                number2=latest.number,
            )
        )
    # Separation of duties against this database's own record of who asked.
    _check_separation(request, name, payload["approver"]["fingerprint"], None)
    if not same_person(payload["approver"]["name"], name):
        _check_separation(request, payload["approver"]["name"], "", None)
    if policy is not None and holder is not None:
        _check_authority(policy, holder, request, payload["decision"])
    if payload["expires_at"] is not None and signing.parse_iso_utc(payload["expires_at"]) <= moment:
        raise ExpiredDecisionError(
            Sentence(
                f"the decision on {quote.number} expired at {payload['expires_at']}; ask the deal desk again",
                "decision.expired",
                number=quote.number,
                expires_at=signing.parse_iso_utc(payload["expires_at"]),
            )
        )
    if request.status != "pending":
        raise AlreadyDecidedError(
            Sentence(
                f"request {request.request_uid} for {quote.number} is already {request.status}",
                "decision.already_decided",
                request_uid=request.request_uid,
                number=quote.number,
                status=request.status,
            )
        )
    _store_decision(session, request, payload, signature, statement_signature)
    request.status = payload["decision"]
    session.add(request)
    details = _audit_details(payload)
    if policy is None:
        # Without an organisation policy the key was trusted by hand: the record says by
        # whom, and when that is the requester (a self-made approver), says so.
        trusted_by = _trusted_by(session, payload["approver"]["fingerprint"])
        details["unverified"] = True
        details["key_trusted_by"] = trusted_by
        details["key_trusted_by_requester"] = bool(trusted_by) and same_person(
            trusted_by, request.requested_by
        )
    set_quote_status(
        session,
        quote,
        payload["decision"],
        actor=actor,
        action=f"approval_{how}",
        at=moment,
        version_id=latest.id,
        details=details,
    )
    return Outcome(
        _decision_info(payload, signature, public, statement_signature),
        Changes.of(quotes=[quote.id or 0]),
    )


def _already_recorded(
    session: Session, used: ApprovalDecision, payload: dict[str, Any], signature: str
) -> int | None:
    """The quote's id when the decision file imported again is the very decision stored
    (the same signed payload) and its quote is still at the version it decided: importing it
    again is no replay, it changes nothing. None otherwise (a decision re-used on a changed
    quote, or a file whose decision id was reused by hand, is refused as used before)."""
    if used.signature != signature or used.payload_json != json.dumps(
        payload, sort_keys=True, ensure_ascii=False
    ):
        return None
    request = session.get(ApprovalRequest, used.request_id)
    quote = session.get(Quote, request.quote_id) if request and request.quote_id else None
    if quote is None or quote.id is None or request is None:
        return None
    if request.request_uid != payload["request_id"] or quote.number != payload["quote_number"]:
        return None
    if _latest_version(session, quote).content_hash != payload["version_hash"]:
        return None
    return quote.id


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


_MALFORMED = (KeyError, TypeError, ValueError, AttributeError)
"""What reading a stored decision whose payload Quote Builder did not write raises (a row
added by hand with sqlite3: keys missing, a list where an object belongs, not JSON)."""

MALFORMED_DECISION = (
    "its stored record is not a decision Quote Builder wrote (it was added or changed "
    "outside Quote Builder)"
)


def _evidence(
    session: Session,
    row: ApprovalDecision,
    request: ApprovalRequest,
    latest: QuoteVersion,
    policy: VerifiedPolicy | None,
    moment: dt.datetime,
) -> ApprovalEvidence | None:
    """The decision as evidence of a valid approval of ``latest`` now, or None (also for a
    row whose payload Quote Builder did not write: never a traceback)."""
    try:
        return _checked_evidence(session, row, request, latest, policy, moment)
    except _MALFORMED:
        return None


def _checked_evidence(
    session: Session,
    row: ApprovalDecision,
    request: ApprovalRequest,
    latest: QuoteVersion,
    policy: VerifiedPolicy | None,
    moment: dt.datetime,
) -> ApprovalEvidence | None:
    payload = json.loads(row.payload_json)
    if payload.get("version_hash") != latest.content_hash or row.decision != "approved":
        return None
    if payload["version"] != latest.number:
        # An approval is of one version: a later one whose content hashes alike (a change
        # saved and undone) is a new version that needs its own.
        return None
    if _rejected_after(session, request, latest):
        return None
    try:
        name, role, _public, used_policy, holder = _verify_signer(
            session, payload, row.signature, row.statement_signature
        )
        if used_policy is not None and holder is not None:
            _check_decision_policy(session, payload, used_policy)
            _check_authority(used_policy, holder, request, "approved")
        _check_separation(request, name, row.approver_fingerprint, None)
    except DecisionRefusedError:
        return None
    expires = payload.get("expires_at")
    if used_policy is not None:  # an approval holds no longer than its policy
        expires = used_policy.bound_expiry(expires)
    if expires is not None and signing.parse_iso_utc(expires) <= moment:
        return None
    if policy is not None and policy.validity_problem(moment):
        return None
    from .policy import public_policy

    statement = statement_from_payload(payload) if payload.get("format_version", 1) >= 2 else None
    trusted_by = _trusted_by(session, row.approver_fingerprint) if policy is None else ""
    return ApprovalEvidence(
        decision_id=row.decision_uid,
        approver_name=name,
        approver_role=role,
        decided_at=payload["decided_at"],
        expires_at=expires,
        conditions=list(payload["conditions"]),
        statement=statement,
        statement_signature=row.statement_signature,
        policy_public=(
            public_policy(
                session,
                policy.fingerprint,
                role=str(role),
                discount=Decimal(str(payload.get("discount_percent", "0"))),
            )
            if policy
            else None
        ),
        verified=policy is not None,
        key_trusted_by=trusted_by,
        trusted_by_requester=bool(trusted_by) and same_person(trusted_by, request.requested_by),
    )


def _rejected_after(session: Session, request: ApprovalRequest, latest: QuoteVersion) -> bool:
    """Whether the deal desk rejected ``latest`` on a request made after ``request`` (the
    rep asked again and was refused): an earlier approval of the version no longer holds."""
    later = session.exec(
        select(ApprovalDecision.id)
        .join(ApprovalRequest, col(ApprovalRequest.id) == col(ApprovalDecision.request_id))
        .where(
            ApprovalRequest.quote_id == request.quote_id,
            col(ApprovalRequest.id) > request.id,
            ApprovalRequest.version_number == latest.number,
            ApprovalRequest.version_hash == latest.content_hash,
            ApprovalDecision.decision == "rejected",
        )
    ).first()
    return later is not None


def _why_not_counted(
    session: Session,
    row: ApprovalDecision,
    request: ApprovalRequest,
    latest: QuoteVersion,
    policy: VerifiedPolicy | None,
    moment: dt.datetime,
) -> str:
    """Why an approval of ``latest`` is not evidence of a valid approval now, in the words
    of the check that fails (the checks of ``_evidence``, in its order); '' when it counts."""
    try:
        return _why_not_checked(session, row, request, latest, policy, moment)
    except _MALFORMED:
        return MALFORMED_DECISION


def _why_not_checked(
    session: Session,
    row: ApprovalDecision,
    request: ApprovalRequest,
    latest: QuoteVersion,
    policy: VerifiedPolicy | None,
    moment: dt.datetime,
) -> str:
    payload = json.loads(row.payload_json)
    if payload.get("version_hash") != latest.content_hash:
        return "it approves other terms than this version's"
    if payload["version"] != latest.number:
        return f"it approves version {payload['version']}, not version {latest.number}"
    if _rejected_after(session, request, latest):
        return f"the deal desk rejected version {latest.number} afterwards"
    try:
        name, _role, _public, used_policy, holder = _verify_signer(
            session, payload, row.signature, row.statement_signature
        )
        if used_policy is not None and holder is not None:
            _check_decision_policy(session, payload, used_policy)
            _check_authority(used_policy, holder, request, "approved")
        _check_separation(request, name, row.approver_fingerprint, None)
    except DecisionRefusedError as exc:
        return str(exc)
    expires = payload.get("expires_at")
    if (
        used_policy is not None
        and used_policy.bound_expiry(expires) != expires
        and used_policy.ends_at <= moment
    ):
        return (
            f"it held no longer than the organisation's policy it was granted under, which "
            f"expired on {used_policy.valid_until}"
        )
    if expires is not None and signing.parse_iso_utc(expires) <= moment:
        return f"it expired on {signing.last_day(expires)}"
    if policy is not None:
        problem = policy.validity_problem(moment)
        if problem:
            return str(problem)
    return ""


def _trusted_by(session: Session, fingerprint: str) -> str:
    """Who trusted a key by hand in this database ('' when it is not trusted here)."""
    key = session.exec(select(TrustedKey).where(TrustedKey.fingerprint == fingerprint)).first()
    return key.added_by if key is not None else ""


_CHECK_POLICY = object()
"""``approval_evidence`` checks the governing policy itself."""


def approval_evidence(
    session: Session,
    quote: Quote,
    *,
    now: dt.datetime | None = None,
    policy: VerifiedPolicy | None | object = _CHECK_POLICY,
) -> ApprovalEvidence | None:
    """The decision approving the quote's latest version that holds now: every check of an
    import passes again (policy, signatures, separation, authority, expiry). None
    otherwise (and when the installed policy fails its check). ``policy``: the governing
    policy already checked (a list checks it once for its page)."""
    from .policy import PolicyTamperedError

    moment = now or utcnow()
    latest = _latest_version(session, quote)
    if policy is _CHECK_POLICY:
        try:
            policy = governing_policy(session)
        except PolicyTamperedError:
            return None
    assert policy is None or isinstance(policy, VerifiedPolicy)
    rows = session.exec(
        select(ApprovalDecision, ApprovalRequest)
        .join(ApprovalRequest, col(ApprovalRequest.id) == col(ApprovalDecision.request_id))
        .where(
            ApprovalRequest.quote_id == quote.id,
            ApprovalRequest.version_hash == latest.content_hash,
            ApprovalDecision.decision == "approved",
        )
        .order_by(col(ApprovalDecision.id).desc())
    ).all()
    for row, request in rows:
        evidence = _evidence(session, row, request, latest, policy, moment)
        if evidence is not None:
            return evidence
    return None


def _decision_request_terms(session: Session, decision_id: str) -> str | None:
    """The customer terms the request of decision ``decision_id`` asked about."""
    row = session.exec(
        select(ApprovalRequest)
        .join(ApprovalDecision, col(ApprovalRequest.id) == col(ApprovalDecision.request_id))
        .where(ApprovalDecision.decision_uid == decision_id)
    ).first()
    return row.terms_json if row is not None and row.terms_json else None


def approval_in_force(
    db: Database, number: str
) -> tuple[ApprovalEvidence | None, ApprovalEvidence | None, tuple[str, ...]]:
    """(the approval of the latest version that applies now, an approval of it that no
    longer applies because the customer's terms changed since it was asked for, what
    changed). An approval applies only while the terms it signed are the quote's terms
    now (what a final PDF attaches), customer details included."""
    with db.read() as session:
        quote = quote_by_number(session, number)
        evidence = approval_evidence(session, quote)
        if evidence is None:
            return None, None, ()
        requested = _decision_request_terms(session, evidence.decision_id)
        version = quote.latest_version
    if _terms_unchanged(db, number, version, evidence):
        return evidence, None, ()
    now = current_terms(db, number, version)
    assert now is not None  # the terms differ: they were made
    changes = terms_changes(requested, now) if requested is not None else ["terms"]
    return None, evidence, tuple(changes)


def approval_holds(db: Database, numbers: list[str]) -> dict[str, bool]:
    """Whether a signed approval of each quote's latest version holds now, as the editor's
    banner decides it (``approval_in_force``: every check of an import passes again, and
    the customer's terms are still the ones approved). For the quote list: the policy is
    checked once for the page, the terms compared only where a decision holds."""
    from .policy import PolicyTamperedError

    held: list[tuple[str, ApprovalEvidence, int]] = []
    with db.read() as session:
        try:
            policy = governing_policy(session)
        except PolicyTamperedError:
            return dict.fromkeys(numbers, False)  # no approval holds under a broken policy
        quotes = session.exec(select(Quote).where(col(Quote.number).in_(numbers))).all()
        # One query for the page: most quotes marked approved by hand have no approving
        # decision at all, and need no closer look.
        decided = set(
            session.exec(
                select(ApprovalRequest.quote_id)
                .join(
                    ApprovalDecision,
                    col(ApprovalRequest.id) == col(ApprovalDecision.request_id),
                )
                .where(
                    col(ApprovalRequest.quote_id).in_([q.id for q in quotes]),
                    ApprovalDecision.decision == "approved",
                )
            ).all()
        )
        for quote in quotes:
            evidence = (
                approval_evidence(session, quote, policy=policy) if quote.id in decided else None
            )
            if evidence is not None:
                held.append((quote.number, evidence, quote.latest_version))
    found = dict.fromkeys(numbers, False)
    for number, evidence, version in held:
        found[number] = _terms_unchanged(db, number, version, evidence)
    return found


def _terms_unchanged(db: Database, number: str, version: int, evidence: ApprovalEvidence) -> bool:
    """Whether the terms ``evidence`` signed are the quote's terms now (what a final PDF
    would attach); True when they cannot be made here or the statement names none."""
    signed = (evidence.statement or {}).get("terms_hash")
    now = current_terms(db, number, version)
    return now is None or not signed or signed == terms_hash(now)


def valid_approval_id(
    session: Session, quote: Quote, *, now: dt.datetime | None = None
) -> str | None:
    evidence = approval_evidence(session, quote, now=now)
    return evidence.decision_id if evidence else None


def approval_id_for(db: Database, number: str) -> str | None:
    with db.read() as session:
        return valid_approval_id(session, quote_by_number(session, number))


def approval_status(db: Database, number: str) -> ApprovalStatus:
    evaluation = evaluate_quote(db, number)
    in_force, stale, changes = approval_in_force(db, number)
    with db.read() as session:
        quote = quote_by_number(session, number)
        requests = session.exec(
            select(ApprovalRequest)
            .where(ApprovalRequest.quote_id == quote.id)
            .order_by(col(ApprovalRequest.id))
        ).all()
        decisions = session.exec(
            select(ApprovalDecision, ApprovalRequest)
            .join(ApprovalRequest, col(ApprovalRequest.id) == col(ApprovalDecision.request_id))
            .where(ApprovalRequest.quote_id == quote.id)
            .order_by(col(ApprovalDecision.id))
        ).all()
        not_counted = _not_counted(
            session,
            quote,
            {in_force.decision_id if in_force else "", stale.decision_id if stale else ""},
        )
        return ApprovalStatus(
            quote_number=quote.number,
            status=effective_status(quote.status, quote.valid_until),
            latest_version=quote.latest_version,
            evaluation=evaluation.evaluation,
            approval_id=in_force.decision_id if in_force else None,
            stale_approval_id=stale.decision_id if stale else None,
            terms_changes=changes,
            requests=[_request_info(r) for r in requests],
            decisions=[_stored_decision_info(d, r) for d, r in decisions],
            policy_label=evaluation.policy_label,
            not_counted=not_counted,
        )


def _stored_decision_info(row: ApprovalDecision, request: ApprovalRequest) -> DecisionInfo:
    """A stored decision as ``DecisionInfo``; one whose payload Quote Builder did not write
    is described from its row (and listed as not counting), never a traceback."""
    try:
        info = _decision_info(
            json.loads(row.payload_json), row.signature, "", row.statement_signature
        )
    except _MALFORMED:
        return DecisionInfo(
            decision_id=row.decision_uid,
            request_id=request.request_uid,
            quote_number=request.quote_number,
            version=request.version_number,
            decision=row.decision,
            approver_name=row.approver_name,
            approver_fingerprint=row.approver_fingerprint,
            decided_at=row.imported_at.isoformat(),
            expires_at=None,
            comment="",
            conditions=[],
            payload={},
            signature=row.signature,
            public_key="",
            statement_signature=row.statement_signature,
        )
    # Named by the row's id, as the checks name it: a row copied by hand from another
    # quote keeps that quote's payload under a new id, and its line must say it does not
    # count.
    return replace(info, decision_id=row.decision_uid)


def _not_counted(session: Session, quote: Quote, counted: set[str]) -> dict[str, str]:
    """The approvals of the quote's latest version other than ``counted`` (the one in force,
    the one the customer's changed terms made stale), each with why it does not count."""
    from .policy import PolicyTamperedError

    latest = _latest_version(session, quote)
    try:
        policy = governing_policy(session)
    except PolicyTamperedError as exc:
        policy, tampered = None, sentence_of(exc)
    else:
        tampered = ""
    moment = utcnow()
    rows = session.exec(
        select(ApprovalDecision, ApprovalRequest)
        .join(ApprovalRequest, col(ApprovalRequest.id) == col(ApprovalDecision.request_id))
        .where(
            ApprovalRequest.quote_id == quote.id,
            ApprovalRequest.version_hash == latest.content_hash,
            ApprovalDecision.decision == "approved",
        )
    ).all()
    found: dict[str, str] = {}
    for row, request in rows:
        if row.decision_uid in counted:
            continue
        why = tampered or _why_not_counted(session, row, request, latest, policy, moment)
        if why:
            found[row.decision_uid] = why
    return found


def deal_note(session: Session, quote: Quote) -> str:
    """For the banner of a sent or accepted quote: the file sent (who, when, SHA-256) and
    the acceptance (who signed, when, how; and, when someone other than the order form's
    named signatory signed, whom the order form names and who confirmed it), as a
    Sentence the app writes in the interface's language."""
    from quote_builder.store.models import Acceptance, AuditEvent, SentDocument

    if quote.status not in ("sent", "accepted"):
        return ""
    sent = session.exec(
        select(SentDocument)
        .where(SentDocument.quote_id == quote.id)
        .order_by(col(SentDocument.id).desc())
    ).first()
    if sent is None:
        return ""
    sent_at = f"{sent.sent_at:%Y-%m-%d %H:%M}"
    sha = sent.pdf_sha256[:16]
    note = (
        f"Sent by {sent.sent_by} on {sent_at} UTC: {sent.file_name}, "
        f"signed by {sent.signer}, SHA-256 {sha}…"
    )
    signed_by = signed_on = method = signatory = confirmed_by = ""
    accepted = (
        session.exec(
            select(Acceptance)
            .where(Acceptance.quote_id == quote.id)
            .order_by(col(Acceptance.id).desc())
        ).first()
        if quote.status == "accepted"
        else None
    )
    if accepted is not None:
        from .lifecycle import acceptance_method

        method = acceptance_method(accepted.method, accepted.signer_detail)
        how = {
            "paper": "a printed copy signed on paper and scanned",
            "signed_pdf": "their signed PDF, signature intact",
            "signed_pdf_self_signed": (
                "their signed PDF, signature intact; a self-signed certificate: it does "
                "not prove who signed"
            ),
        }[method]
        signed_by, signed_on = accepted.signed_by, f"{accepted.signed_at:%Y-%m-%d}"
        note += f"; signed by {signed_by} on {signed_on} ({how})"
        event = session.exec(
            select(AuditEvent)
            .where(AuditEvent.quote_id == quote.id, AuditEvent.action == "quote_accepted")
            .order_by(col(AuditEvent.id).desc())
        ).first()
        try:
            details = json.loads(event.details_json) if event is not None else {}
        except (ValueError, RecursionError):  # a row edited by hand: no clause
            details = {}
        if isinstance(details, dict) and details.get("other_signer_confirmed_by"):
            signatory = str(details.get("signatory", ""))
            confirmed_by = str(details["other_signer_confirmed_by"])
            note += (
                f"; not {signatory}, whom the order form names to sign: recorded as "
                f"{confirmed_by} confirmed"
            )
    return Sentence(
        note,
        "deal.note",
        sent_by=sent.sent_by,
        sent_at=sent_at,
        file_name=sent.file_name,
        signer=sent.signer,
        sha=sha,
        signed_by=signed_by,
        signed_on=signed_on,
        method=method,
        signatory=signatory,
        confirmed_by=confirmed_by,
    )


def _pending_changes(
    db: Database, number: str, version: int, requested: str | None
) -> tuple[str, ...]:
    """What changed in the customer's terms since the latest version's pending request
    (``requested``: the terms it was made for; None without a pending request)."""
    if not requested:
        return ()
    now = current_terms(db, number, version)
    return tuple(terms_changes(requested, now)) if now is not None else ()


def approval_state(db: Database, quote_id: int) -> ApprovalState:
    """Where the quote's latest version stands, for the editor's banner."""
    from .policy import PolicyTamperedError
    from .quotes import get_quote

    row = get_quote(db, quote_id)
    problem = None
    try:
        evaluation = evaluate_quote(db, row.number)
        needed, role, reasons, details = (
            evaluation.evaluation.needed,
            evaluation.evaluation.required_role,
            evaluation.evaluation.reasons,
            evaluation.evaluation.details,
        )
        label = evaluation.policy_label
    except PolicyTamperedError as exc:
        needed, role, reasons, details, label = True, None, [], [], ""
        problem = sentence_of(exc)  # its code and values: the app writes it in its language
    from .lifecycle import customer_gaps

    gaps = (
        customer_gaps(db, quote_id)
        if row.status in ("draft", "pending_approval", "approved", "rejected")
        else None
    )
    unprintable: tuple[Sentence, ...] = ()
    if row.status in ("draft", "pending_approval", "approved", "rejected"):
        from .printable import print_problems
        from .quotes import open_version

        unprintable = tuple(print_problems(db, open_version(db, quote_id).document))
    in_force, stale, changes = approval_in_force(db, row.number)
    with db.read() as session:
        quote = session.get(Quote, quote_id)
        assert quote is not None
        latest = _latest_version(session, quote)
        pending_row = session.exec(
            select(ApprovalRequest)
            .where(
                ApprovalRequest.quote_id == quote_id,
                ApprovalRequest.status == "pending",
                ApprovalRequest.version_hash == latest.content_hash,
            )
            .order_by(col(ApprovalRequest.id).desc())
        ).first()
        rejection_row = session.exec(
            select(ApprovalDecision)
            .join(ApprovalRequest, col(ApprovalRequest.id) == col(ApprovalDecision.request_id))
            .where(
                ApprovalRequest.quote_id == quote_id,
                ApprovalRequest.version_hash == latest.content_hash,
                ApprovalDecision.decision == "rejected",
            )
            .order_by(col(ApprovalDecision.id).desc())
        ).first()
        state = ApprovalState(
            quote_number=quote.number,
            # An offer past its valid-until date reads as expired before any use case
            # stores it, here as in the lists.
            status=effective_status(quote.status, quote.valid_until),
            lost_reason=quote.lost_reason,
            deal_note=deal_note(session, quote),
            latest_version=quote.latest_version,
            needed=needed,
            required_role=role,
            reasons=reasons,
            reason_details=list(details),
            policy_label=label,
            pending=_request_info(pending_row) if pending_row else None,
            approval=in_force,
            stale_approval=stale,
            pending_stale=False,
            terms_changes=changes,
            rejection=(
                _decision_info(
                    json.loads(rejection_row.payload_json),
                    rejection_row.signature,
                    "",
                    rejection_row.statement_signature,
                )
                if rejection_row
                else None
            ),
            problem=problem,
            not_ready=gaps.sentence if gaps is not None else "",
            not_ready_customer=gaps.customer_name if gaps is not None else "",
            not_ready_gaps=gaps.gaps if gaps is not None else (),
            unprintable=unprintable,
        )
        requested = pending_row.terms_json if pending_row is not None else None
    # The pending request read above says what its terms were; built now, outside the
    # read (the terms are made from the saved version, as a final PDF would attach them).
    pending_changes = _pending_changes(db, state.quote_number, state.latest_version, requested)
    if pending_changes:
        state = replace(state, pending_stale=True, terms_changes=changes or pending_changes)
    return state


def role_title(role: str | None) -> str:
    return ROLE_TITLES.get(role or "", (role or "").replace("_", " "))


__all__ = [
    "KEYS_ENV",
    "AlreadyDecidedError",
    "ApprovalEvidence",
    "ApprovalState",
    "ApprovalStatus",
    "ApproverInfo",
    "ApproversView",
    "AuthorityExceededError",
    "BadRequestFileError",
    "BadSignatureError",
    "DecisionInfo",
    "DecisionRefusedError",
    "ExpiredDecisionError",
    "KeyInfo",
    "KeyProblemError",
    "MalformedDecisionError",
    "NotAnApproverError",
    "PolicyExpiredError",
    "PolicyMismatchError",
    "QuoteEvaluation",
    "ReplayedDecisionError",
    "RequestInfo",
    "SelfApprovalError",
    "TrustRefusedError",
    "TrustedKeyInfo",
    "UnknownRequestError",
    "UntrustedKeyError",
    "WrongQuoteError",
    "WrongVersionError",
    "add_trusted_key",
    "approval_evidence",
    "approval_id_for",
    "approval_state",
    "approval_status",
    "create_key",
    "current_policy",
    "decide",
    "evaluate_quote",
    "export_decision",
    "export_request",
    "import_decision",
    "StaleRequestError",
    "changes_text",
    "check_request_current",
    "import_request",
    "keys_dir",
    "list_approvers",
    "list_requests",
    "list_trusted_keys",
    "request_approval",
    "role_title",
]
