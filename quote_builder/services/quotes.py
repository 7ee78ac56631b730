"""Quotes and their immutable versions.

Saving never edits a version: it appends one holding the canonical JSON of the document,
the priced summary and the SHA-256 of the canonical JSON. Saving content identical to the
latest version appends nothing. Approvals and PDFs point at a version hash.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from quote_builder.errors import Sentence, sentence_of
from quote_builder.pricing import PricedQuote, QuoteDocument, canonical_json, content_hash, price
from quote_builder.pricing.fields import check_quote_number
from quote_builder.pricing.money import Money
from quote_builder.pricing.options import effective_document, offered_documents
from quote_builder.pricing.quote_format import QuoteFileError, quote_from_data
from quote_builder.store import repositories as repo
from quote_builder.store.columns import utcnow
from quote_builder.store.database import Database
from quote_builder.store.models import (
    QUOTE_STATUSES,
    ApprovalRequest,
    Customer,
    CustomerCreate,
    Quote,
    QuoteVersion,
)

from . import words
from .core import (
    Changes,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    Outcome,
    Page,
    RefusedError,
    json_problem,
    not_found,
    quote_named,
)
from .customers import check_version, create_customer

VALID_DAYS = 30


@dataclass(frozen=True)
class QuoteRow:
    """A row of the quote list."""

    id: int
    number: str
    title: str
    customer_id: int
    customer_name: str
    status: str
    owner: str
    tcv: Money
    latest_version: int
    valid_until: dt.date | None
    updated_at: dt.datetime
    updated_by: str
    version_id: int
    kind: str = "new"
    parent_id: int | None = None
    lost_reason: str = ""
    option_count: int = 0
    """How many options the latest version offers (0: a quote of one offer)."""
    approval_holds: bool = True
    """False for a quote marked approved whose latest version no signed approval holds
    (it expired, the customer's terms changed since, or the status was set outside Quote
    Builder): the list shows what the editor's banner says, "No approval in force", not
    the status column's word. Checked by ``list_quotes`` (``approvals.approval_holds``)."""


@dataclass(frozen=True)
class VersionInfo:
    number: int
    content_hash: str
    author: str
    created_at: dt.datetime
    summary: dict[str, Any]


@dataclass(frozen=True)
class OpenedVersion:
    quote: QuoteRow
    version: VersionInfo
    document: QuoteDocument


def priced_summary(priced: PricedQuote) -> dict[str, Any]:
    """What a version stores of its pricing: enough for lists, approvals and comparisons
    without repricing. A quote in another currency than the seller's also stores the
    margin's currency, the rate and each year's revenue in that currency (the deal desk
    sees the margin in the seller's currency); COGS are in it already."""
    summary = _summary(priced)
    if priced.margin_currency != priced.currency:
        summary["margin_currency"] = priced.margin_currency
        summary["exchange_rate"] = str(priced.exchange_rate)
        for year, raw in zip(priced.years, summary["years"], strict=True):
            raw["margin_revenue"] = str(year.margin_revenue)
    return summary


def _summary(priced: PricedQuote) -> dict[str, Any]:
    return {
        "currency": priced.currency,
        "tcv": str(priced.tcv),
        "list_tcv": str(priced.list_tcv),
        "discount_total": str(priced.discount_total),
        "effective_discount_percent": str(priced.effective_discount_percent),
        "first_year_acv": str(priced.first_year_acv),
        "average_monthly": str(priced.average_monthly),
        "total_cogs": str(priced.total_cogs),
        "gross_margin_percent": None
        if priced.gross_margin_percent is None
        else str(priced.gross_margin_percent),
        "years": [
            {
                "year": y.year,
                "revenue": str(y.revenue),
                "cogs": str(y.cogs),
                "gross_margin_percent": None
                if y.gross_margin_percent is None
                else str(y.gross_margin_percent),
            }
            for y in priced.years
        ],
        "warnings": [{"code": w.code, "severity": w.severity} for w in priced.warnings],
        "margin_floor_percent": None
        if priced.margin_floor_percent is None
        else str(priced.margin_floor_percent),
    }


EXPIRING_STATUSES = ("draft", "approved", "sent")
"""Statuses that read as ``expired`` once the valid-until date has passed."""


def today() -> dt.date:
    return dt.date.today()


def effective_status(status: str, valid_until: dt.date | None, on: dt.date | None = None) -> str:
    """``expired`` for a draft, approved or sent quote whose valid-until has passed (the
    list filters the same way in SQL: store.repositories._status_filter); a use case that
    touches the quote stores it (services.lifecycle.persist_expiry)."""
    if status in EXPIRING_STATUSES and valid_until is not None and valid_until < (on or today()):
        return "expired"
    return status


def _row(quote: Quote, customer_name: str) -> QuoteRow:
    assert quote.id is not None
    return QuoteRow(
        id=quote.id,
        number=quote.number,
        title=quote.title,
        customer_id=quote.customer_id,
        customer_name=customer_name,
        status=effective_status(quote.status, quote.valid_until),
        owner=quote.owner,
        tcv=Money.from_minor_units(quote.tcv_minor, quote.currency),
        latest_version=quote.latest_version,
        valid_until=quote.valid_until,
        updated_at=quote.updated_at,
        updated_by=quote.updated_by,
        version_id=quote.version_id,
        kind=quote.kind,
        parent_id=quote.parent_quote_id,
        lost_reason=quote.lost_reason,
        option_count=quote.option_count,
    )


def stored_json(text: str, *, number: str, version: int, decimals: bool = False) -> Any:
    """A saved version's JSON (its document or its totals) as the database holds it. A row
    changed outside Quote Builder (``sqlite3``, a bad copy) so that it is no longer JSON is
    refused with a sentence naming the quote and the version, never a traceback."""
    try:
        return json.loads(text, parse_float=Decimal) if decimals else json.loads(text)
    except (ValueError, RecursionError) as exc:
        where = json_problem(exc)
        raise InvalidInputError(
            [
                Sentence(
                    f"the saved version is not JSON ({where}); it was changed outside Quote "
                    "Builder: keep a copy of the database, then restore a backup",
                    "quote.version_not_json",
                    where=where,
                )
            ],
            Sentence(
                f"version {version} of {number} cannot be read:",
                "quote.version_unreadable",
                wanted=version,
                number=number,
            ),
        ) from None


def _version_info(version: QuoteVersion, number: str) -> VersionInfo:
    return VersionInfo(
        version.number,
        version.content_hash,
        version.author,
        version.created_at,
        stored_json(version.summary_json, number=number, version=version.number),
    )


def _load_quote(session: Session, quote_id: int) -> Quote:
    quote = repo.get_quote(session, quote_id=quote_id)
    if quote is None:
        raise NotFoundError(not_found("quote", quote_id))
    return quote


def _customer_name(session: Session, customer_id: int) -> str:
    customer = session.get(Customer, customer_id)
    return customer.name if customer else ""


def _price_for_saving(document: QuoteDocument) -> tuple[str, str, dict[str, Any]]:
    """(canonical JSON, hash, summary); pricing errors become InvalidInputError. With
    options, the summary is the featured option's (``pricing.options``) and lists each
    option's totals; every option must price. The document is checked again as it will be
    read (a model_copy skips validation: an option's ramp beyond its term was stored and
    the version could not be opened again)."""
    try:
        quote_from_data(document.to_json_dict())
    except QuoteFileError as exc:
        raise InvalidInputError(exc.problems) from None
    summaries = []
    for option, offered in offered_documents(document):
        try:
            priced = price(offered)
        except (ArithmeticError, ValueError) as exc:
            where = f"option {option.name}: " if option is not None else ""
            raise InvalidInputError(
                [
                    Sentence(
                        f"{where}the quote cannot be priced: {exc}",
                        "save.not_priced.option" if option is not None else "save.not_priced",
                        option=option.name if option is not None else "",
                        problem=sentence_of(exc),
                    )
                ]
            ) from None
        if option is not None:
            summaries.append(
                {"key": option.key, "name": option.name, "recommended": option.recommended}
                | {k: v for k, v in priced_summary(priced).items() if k in _OPTION_TOTALS}
            )
    summary = priced_summary(price(effective_document(document)))
    if summaries:
        summary["options"] = summaries
    return canonical_json(document), content_hash(document), summary


_OPTION_TOTALS = ("tcv", "first_year_acv", "average_monthly", "gross_margin_percent", "currency")


def _append_version(
    session: Session, quote: Quote, document: QuoteDocument, actor: str, action: str
) -> QuoteVersion:
    text, digest, summary = _price_for_saving(document)
    assert quote.id is not None
    number = quote.latest_version + 1
    version = QuoteVersion(
        quote_id=quote.id,
        number=number,
        document_json=text,
        summary_json=json.dumps(summary),
        content_hash=digest,
        author=actor,
    )
    session.add(version)
    quote.latest_version = number
    quote.currency = summary["currency"]
    quote.tcv_minor = Money.of(summary["tcv"], summary["currency"]).minor_units
    quote.option_count = len(document.options or [])
    quote.title = document.title
    _touch_and_audit(
        session,
        quote,
        actor=actor,
        action=action,
        at=None,
        version_id=version.id,
        details={"version": number, "hash": digest},
    )
    _supersede_requests(session, quote, number, actor)
    return version


def _supersede_requests(session: Session, quote: Quote, number: int, actor: str) -> None:
    """A pending approval request of an earlier version is superseded by version
    ``number``: no decision on it could count (an approval holds for its own version
    only), so the deal desk's queue no longer lists it. The history says so."""
    pending = session.exec(
        select(ApprovalRequest).where(
            ApprovalRequest.quote_id == quote.id,
            ApprovalRequest.status == "pending",
            ApprovalRequest.version_number < number,
        )
    ).all()
    for request in pending:
        request.status = "superseded"
        session.add(request)
        _touch_and_audit(
            session,
            quote,
            actor=actor,
            action="approval_request_superseded",
            at=None,
            version_id=None,
            details={
                "request_id": request.request_uid,
                "version": request.version_number,
                "by_version": number,
            },
        )


def _touch_and_audit(
    session: Session,
    quote: Quote,
    *,
    actor: str,
    action: str,
    at: dt.datetime | None,
    version_id: int | None,
    details: dict[str, Any],
) -> None:
    """Stamp who changed the quote and when, and record ``action`` in the audit trail."""
    quote.updated_at = at or utcnow()
    quote.updated_by = actor
    session.add(quote)
    session.flush()
    repo.add_audit_event(
        session,
        actor=actor,
        action=action,
        entity_type="quote",
        entity_id=quote.id,
        quote_id=quote.id,
        quote_version_id=version_id,
        details=details,
    )


def set_quote_status(
    session: Session,
    quote: Quote,
    status: str,
    *,
    actor: str,
    action: str,
    at: dt.datetime | None = None,
    version_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> str:
    """Change a quote's status inside the caller's transaction and record it in the audit
    trail (``from``, ``to`` and ``details``); returns the previous status. Every status
    change goes through here, so none escapes the audit."""
    previous = quote.status
    quote.status = status
    _touch_and_audit(
        session,
        quote,
        actor=actor,
        action=action,
        at=at,
        version_id=version_id,
        details={**(details or {}), "from": previous, "to": status},
    )
    return previous


def _resolve_customer(
    session: Session, document: QuoteDocument, customer_id: int | None
) -> Customer:
    if customer_id is not None:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFoundError(not_found("customer", customer_id))
        return customer
    # A file's customer id is only meaningful in the database that wrote it: trust it only
    # when the name agrees, else match by name (an id from another database must never
    # attach the quote to a different customer).
    if document.customer.id and document.customer.id.isdigit():
        customer = session.get(Customer, int(document.customer.id))
        if customer is not None and customer.name == document.customer.name:
            return customer
    customer = repo.customer_by_name(session, name=document.customer.name)
    if customer is None:
        raise NotFoundError(
            Sentence(
                f"no customer named {document.customer.name!r}: create the customer first",
                "quote.no_customer_named",
                name=document.customer.name,
            )
        )
    return customer


def _bind(document: QuoteDocument, number: str, customer: Customer) -> QuoteDocument:
    """The document as stored: its number and customer are the quote's, so the same
    content always gives the same hash."""
    reference = document.customer.model_copy(update={"name": customer.name, "id": str(customer.id)})
    return document.model_copy(update={"quote_number": number, "customer": reference})


APPROVAL_STATUSES = ("pending_approval", "approved", "rejected")
"""Statuses only the approval service sets (a request, a verified decision)."""
LIFECYCLE_STATUSES = {
    "sent": "comes only from Finalise (the final PDF, signed and kept as sent)",
    "accepted": "comes only from recording the customer's acceptance (their signed PDF, "
    "or a signed paper copy)",
    "lost": "comes only from Mark lost (with a reason)",
    "expired": "follows from the valid-until date",
}
"""Statuses only the lifecycle service sets (services.lifecycle), each with its evidence."""


def create_quote(
    db: Database,
    document: QuoteDocument,
    *,
    actor: str,
    customer_id: int | None = None,
    number: str | None = None,
    valid_until: dt.date | None = None,
    status: str = "draft",
    kind: str = "new",
    parent_quote_id: int | None = None,
) -> Outcome[QuoteRow]:
    """A new quote with version 1. Without ``number`` the next Q-YYYY-NNNN is taken.
    ``kind`` and ``parent_quote_id``: a renewal, expansion or amendment of an accepted
    quote (services.contracts.start_change)."""
    if status not in QUOTE_STATUSES:
        raise InvalidInputError(
            [
                Sentence(
                    f"status: must be one of {', '.join(QUOTE_STATUSES)}",
                    "status.unknown",
                    statuses=QUOTE_STATUSES,
                )
            ]
        )
    if status in APPROVAL_STATUSES or status in LIFECYCLE_STATUSES:
        raise InvalidInputError(
            [
                Sentence(
                    f"status: a new quote cannot start {status.replace('_', ' ')}",
                    "status.cannot_start",
                    status=status,
                )
            ]
        )
    number = number or document.quote_number
    if number:
        try:
            check_quote_number(number)
        except ValueError as error:
            raise InvalidInputError(
                [Sentence(f"quote_number: {error}", "quote.bad_number", problem=str(error))]
            ) from None
    for attempt in range(3):
        try:
            with db.write() as session:
                customer = _resolve_customer(session, document, customer_id)
                assert customer.id is not None
                if number and repo.quote_by_number(session, number=number) is not None:
                    raise RefusedError(
                        Sentence(
                            f"quote number {number} is already used by another quote",
                            "quote.number_taken",
                            number=number,
                        )
                    )
                chosen = number or repo.next_quote_number(session, year=utcnow().year)
                doc = document.model_copy(
                    update={
                        "quote_number": chosen,
                        "customer": document.customer.model_copy(
                            update={"name": customer.name, "id": str(customer.id)}
                        ),
                    }
                )
                quote = Quote(
                    number=chosen,
                    customer_id=customer.id,
                    owner=actor,
                    status=status,
                    valid_until=valid_until or (utcnow().date() + dt.timedelta(days=VALID_DAYS)),
                    updated_by=actor,
                    kind=kind,
                    parent_quote_id=parent_quote_id,
                )
                session.add(quote)
                session.flush()
                _append_version(session, quote, doc, actor, "quote_created")
                return Outcome(
                    _row(quote, customer.name),
                    Changes.of(quotes=[quote.id or 0], customers=[customer.id]),
                )
        except IntegrityError:
            # Another writer took the same number between our read and insert (PostgreSQL).
            if number or attempt == 2:
                raise RefusedError(
                    Sentence(
                        f"quote number {number or 'allocation'} is already used",
                        "quote.number_used" if number else "quote.number_allocation",
                        number=number or "allocation",
                    )
                ) from None
    raise AssertionError("unreachable")


def create_quote_for_new_customer(
    db: Database,
    customer: CustomerCreate | dict[str, Any],
    document: QuoteDocument,
    *,
    actor: str,
) -> Outcome[QuoteRow]:
    """A new customer and its first quote, in one transaction: both or neither (the guided
    flow's Finish for a customer described on its first step)."""
    with db.write():
        created = create_customer(db, customer, actor=actor)
        outcome = create_quote(db, document, actor=actor, customer_id=created.value.id)
        return Outcome(outcome.value, outcome.changes | created.changes)


def save_quote(
    db: Database,
    quote_id: int,
    document: QuoteDocument,
    *,
    expected_version: int,
    actor: str,
    action: str = "quote_saved",
) -> Outcome[QuoteRow]:
    """Append a version if the content changed (audited as ``action``). A quote in any
    other status (pending approval, approved, rejected, sent, lost, expired) goes back to
    draft: that status was about other content. An accepted quote is a signed contract:
    it is changed by an amendment, never edited."""
    with db.write() as session:
        quote = _load_quote(session, quote_id)
        check_version(quote, expected_version, quote_named(quote.number))
        if quote.status == "accepted":
            raise RefusedError(
                Sentence(
                    f"{quote.number} was accepted: it is a signed contract and cannot be edited; "
                    "make an amendment (or a renewal, or an expansion) of it instead",
                    "quote.accepted_is_signed",
                    number=quote.number,
                )
            )
        owner = session.get(Customer, quote.customer_id)
        assert owner is not None
        doc = _bind(document, quote.number, owner)
        latest = repo.get_version(session, quote_id=quote_id, number=quote.latest_version)
        if latest is not None and latest.content_hash == content_hash(doc):
            return Outcome(_row(quote, _customer_name(session, quote.customer_id)))
        _append_version(session, quote, doc, actor, action)
        if quote.status != "draft":
            # Changed content was never approved, sent or accepted: it is a draft again.
            set_quote_status(
                session,
                quote,
                "draft",
                actor=actor,
                action="status_reset",
                details={"reason": "content changed"},
            )
        return Outcome(
            _row(quote, _customer_name(session, quote.customer_id)), Changes.of(quotes=[quote_id])
        )


def set_status(
    db: Database, quote_id: int, status: str, *, expected_version: int, actor: str
) -> Outcome[QuoteRow]:
    if status not in QUOTE_STATUSES:
        raise InvalidInputError(
            [
                Sentence(
                    f"status: must be one of {', '.join(QUOTE_STATUSES)}",
                    "status.unknown",
                    statuses=QUOTE_STATUSES,
                )
            ]
        )
    if status in APPROVAL_STATUSES:
        raise InvalidInputError(
            [
                Sentence(
                    f"status: {status.replace('_', ' ')} comes only from the approval steps "
                    "(ask for approval; the deal desk's signed decision)",
                    "status.from_approval",
                    status=status,
                )
            ]
        )
    if status in LIFECYCLE_STATUSES:
        raise InvalidInputError(
            [
                Sentence(
                    f"status: {status} {LIFECYCLE_STATUSES[status]}",
                    f"status.only_from.{status}",
                    status=status,
                )
            ]
        )
    with db.write() as session:
        quote = _load_quote(session, quote_id)
        check_version(quote, expected_version, quote_named(quote.number))
        if quote.status in ("accepted", "sent"):
            raise RefusedError(
                Sentence(
                    f"{quote.number} is {quote.status}: it cannot go back to {status}"
                    + (" (edit it to make a new draft version)" if quote.status == "sent" else ""),
                    "status.no_way_back.sent" if quote.status == "sent" else "status.no_way_back",
                    number=quote.number,
                    status=quote.status,
                    to_status=status,
                )
            )
        set_quote_status(session, quote, status, actor=actor, action="status_changed")
        return Outcome(
            _row(quote, _customer_name(session, quote.customer_id)), Changes.of(quotes=[quote_id])
        )


def list_quotes(
    db: Database,
    text: str = "",
    *,
    status: str | None = None,
    customer_id: int | None = None,
    sort: repo.QuoteSort = "updated_at",
    descending: bool = True,
    offset: int = 0,
    limit: int = 50,
    status_order: Sequence[str] | None = None,
) -> Page[QuoteRow]:
    """A page of the quote list. ``status`` "approved" lists the quotes the list shows as
    Approved: marked approved and a signed approval of the latest version holds
    (``approvals.approval_holds``, as each row is checked); ``NO_APPROVAL`` the ones marked
    approved that the list shows as "No approval in force". Both check every quote marked
    approved that the search matches (most have no approving decision: one query), then
    page in SQL among those that pass. ``status_order``: sorted by status, the statuses
    the list shows (``expired``, ``NO_APPROVAL`` included) in the order of their labels in
    the interface's language (which the database process does not know), so the list
    sorts by the words it shows, not by the stored codes."""
    ids: list[int] | None = None
    no_approval_ids: list[int] = []
    if status in ("approved", NO_APPROVAL):
        ids = _approved_ids(db, text, customer_id, holding=status == "approved")
        if status == NO_APPROVAL:
            no_approval_ids = ids
        status = "approved"
    elif sort == "status" and status_order is not None and not status:
        no_approval_ids = _approved_ids(db, text, customer_id, holding=False)
    if sort != "status":
        status_order = None
    with db.read() as session:
        rows = repo.list_quotes(
            session,
            text=text,
            status=status,
            customer_id=customer_id,
            sort=sort,
            descending=descending,
            offset=offset,
            limit=limit,
            ids=ids,
            status_order=status_order,
            no_approval_ids=no_approval_ids,
        )
        total = repo.count_quotes(
            session, text=text, status=status, customer_id=customer_id, ids=ids
        )
        found = [_row(q, name) for q, name in rows]
    return Page(_verified(db, found), total, offset)


NO_APPROVAL = "no_approval"
LIST_STATUSES: tuple[str, ...] = (*QUOTE_STATUSES, NO_APPROVAL, *repo.QUOTE_FILTERS)
"""What the quote list filters by (``list_quotes``' ``status``): a status, the quotes marked
approved with no approval in force, or one of the list's other filters."""
"""The list's filter of the quotes marked approved whose approval does not hold."""


def _approved_ids(db: Database, text: str, customer_id: int | None, *, holding: bool) -> list[int]:
    """The quotes marked approved (and not expired) that the search matches whose approval
    holds (``holding``) or does not."""
    from .approvals import approval_holds

    with db.read() as session:
        candidates = repo.quote_numbers(
            session, text=text, status="approved", customer_id=customer_id
        )
    if not candidates:
        return []
    holds = approval_holds(db, [number for _id, number in candidates])
    return [i for i, number in candidates if holds.get(number, False) == holding]


def _verified(db: Database, rows: list[QuoteRow]) -> list[QuoteRow]:
    """The rows with their approval checked as the editor's banner checks it: a quote
    whose status column says approved shows so only while a signed approval of its latest
    version holds (``approvals.approval_holds``); the status column alone is a word anyone
    with the database file can write."""
    marked = [r.number for r in rows if r.status == "approved"]
    if not marked:
        return rows
    from .approvals import approval_holds

    holds = approval_holds(db, marked)
    return [
        dataclasses.replace(r, approval_holds=holds.get(r.number, True))
        if r.status == "approved"
        else r
        for r in rows
    ]


def get_quote(db: Database, quote_id: int) -> QuoteRow:
    with db.read() as session:
        quote = _load_quote(session, quote_id)
        return _row(quote, _customer_name(session, quote.customer_id))


def quote_by_number(session: Session, number: str) -> Quote:
    """The quote with this number, inside the caller's transaction, or NotFoundError."""
    quote = repo.quote_by_number(session, number=number)
    if quote is None:
        raise NotFoundError(
            Sentence(f"no quote numbered {number!r}", "quote.no_such_number", number=number)
        )
    return quote


def find_quote(db: Database, number: str) -> QuoteRow:
    with db.read() as session:
        quote = quote_by_number(session, number)
        return _row(quote, _customer_name(session, quote.customer_id))


def list_versions(db: Database, quote_id: int) -> list[VersionInfo]:
    with db.read() as session:
        quote = _load_quote(session, quote_id)
        return [
            _version_info(v, quote.number) for v in repo.list_versions(session, quote_id=quote_id)
        ]


def open_version(db: Database, quote_id: int, number: int | None = None) -> OpenedVersion:
    """A version's document (the latest without ``number``)."""
    with db.read() as session:
        quote = _load_quote(session, quote_id)
        wanted = number if number is not None else quote.latest_version
        version = repo.get_version(session, quote_id=quote_id, number=wanted)
        if version is None:
            raise NotFoundError(
                Sentence(
                    f"quote {quote.number} has no version {wanted}",
                    "quote.no_such_version",
                    number=quote.number,
                    version=wanted,
                )
            )
        try:
            document = quote_from_data(
                stored_json(
                    version.document_json, number=quote.number, version=wanted, decimals=True
                )
            )
        except QuoteFileError as exc:
            raise InvalidInputError(
                exc.problems,
                Sentence(
                    f"version {wanted} of {quote.number} cannot be read:",
                    "quote.version_unreadable",
                    wanted=wanted,
                    number=quote.number,
                ),
            ) from None
        return OpenedVersion(
            _row(quote, _customer_name(session, quote.customer_id)),
            _version_info(version, quote.number),
            document,
        )


def duplicate_quote(
    db: Database, quote_id: int, *, actor: str, version: int | None = None
) -> Outcome[QuoteRow]:
    """A new draft quote (new number, version 1) from a version of this one."""
    opened = open_version(db, quote_id, version)
    document = opened.document.model_copy(update={"quote_number": None})
    return create_quote(db, document, actor=actor, customer_id=opened.quote.customer_id)


@dataclass(frozen=True)
class ComparisonRow:
    section: str
    label: str
    a: str
    b: str

    @property
    def changed(self) -> bool:
        return self.a != self.b


def _field(english: str, key: str) -> Sentence:
    """A comparison's row label that is one of the forms' fields ("Start date")."""
    return Sentence(english, "compare.field", field=key)


def _terms(doc: QuoteDocument, locale: str = "en_US") -> list[tuple[str, str]]:
    """The document field by field, as the forms label them and a seller reads the values
    ("Team seats: price per seat" = "60"), never JSON (issue 17). Labels and values with
    words are ``Sentence``s: the app writes them in its language, the command line prints
    them as they are."""
    f = words.formatter(doc.currency, locale)
    contract = doc.contract

    def label_of(value: str | None) -> str:
        if not value:
            return "—"
        return Sentence(words.label(value), "value.label", value=value)

    rows: list[tuple[str, str]] = [
        (_field("Title", "title"), doc.title or "—"),
        (_field("Customer", "customer"), doc.customer.name),
        (_field("Product category", "product_category"), label_of(doc.product_category)),
        (_field("Pricing model", "pricing_model"), label_of(doc.pricing_model)),
        (_field("Currency", "currency"), doc.currency),
        (_field("Start date", "start_date"), f.date(doc.start_date)),
        (
            _field("Term", "term"),
            Sentence(f"{doc.term_months} months", "compare.months", count=doc.term_months),
        ),
        (_field("Billing", "billing"), label_of(doc.billing_frequency)),
        (_field("Annual escalator", "escalator"), f.percent(doc.escalator_percent, None)),
        (
            _field("Payment terms", "payment_terms"),
            Sentence(
                f"{contract.payment_terms_days} days",
                "compare.days",
                count=contract.payment_terms_days,
            ),
        ),
        (
            _field("Renews automatically", "auto_renew"),
            Sentence("Yes", "value.yes") if contract.auto_renew else Sentence("No", "value.no"),
        ),
    ]
    for component in doc.components:
        fields = component.model_dump(
            mode="json", exclude={"id", "name", "kind"}, exclude_none=True
        )
        rows.append((component.name, label_of(component.kind)))
        for parts, value in words.flat_fields(fields):
            rows.append(
                (
                    Sentence(
                        f"{component.name}: {words.field_words(parts)}",
                        "compare.component_field",
                        component=component.name,
                        field=words.field_words(parts),
                    ),
                    words.field_value_text(parts, value, locale),
                )
            )
    for i, discount in enumerate(doc.discounts, start=1):
        name = (
            Sentence(
                f"Discount {i} ({discount.description})",
                "compare.discount_named",
                number=i,
                description=discount.description,
            )
            if discount.description
            else Sentence(f"Discount {i}", "compare.discount", number=i)
        )
        fields = discount.model_dump(mode="json", exclude={"description"}, exclude_none=True)
        for parts, value in words.flat_fields(fields):
            rows.append(
                (
                    Sentence(
                        f"{name}: {words.field_words(parts)}",
                        "compare.discount_field",
                        discount=name,
                        field=words.field_words(parts),
                    ),
                    words.field_value_text(parts, value, locale),
                )
            )
    for ramp in doc.ramps:
        for seat_id, count in ramp.seats.items():
            rows.append(
                (
                    Sentence(
                        f"From year {ramp.year}: seats of {seat_id}",
                        "compare.ramp_seats",
                        year=ramp.year,
                        component=seat_id,
                    ),
                    f.number(count),
                )
            )
        for metric, quantity in ramp.usage.items():
            rows.append(
                (
                    Sentence(
                        f"From year {ramp.year}: {metric} a month",
                        "compare.ramp_usage",
                        year=ramp.year,
                        metric=metric,
                    ),
                    f.number(quantity),
                )
            )
    for metric, forecast in doc.usage_forecast.items():
        fields = forecast.model_dump(mode="json", exclude_none=True)
        for parts, value in words.flat_fields(fields):
            rows.append(
                (
                    Sentence(
                        f"Forecast of {metric}: {words.field_words(parts)}",
                        "compare.forecast",
                        metric=metric,
                        field=words.field_words(parts),
                    ),
                    words.field_value_text(parts, value, locale),
                )
            )
    economics = doc.economics
    fx = doc.exchange_rate
    # Costs are in the seller's currency when the quote keeps an exchange rate (issue 18).
    costs = words.formatter(fx.seller_currency, locale) if fx is not None else f
    for metric, cost in economics.unit_costs.items():
        rows.append(
            (
                Sentence(f"Unit cost of {metric}", "compare.unit_cost", metric=metric),
                costs.price(cost),
            )
        )
    rows.append(
        (
            _field("Exchange rate", "exchange_rate"),
            Sentence(
                f"{fx.rate} {doc.currency} per {fx.seller_currency} ({fx.as_of.isoformat()}, "
                f"{fx.source})",
                "compare.exchange_rate",
                rate=fx.rate,
                currency=doc.currency,
                seller=fx.seller_currency,
                as_of=fx.as_of,
                source=fx.source,
            )
            if fx is not None
            else Sentence("none", "value.none"),
        )
    )
    tax = doc.tax
    if tax is not None:
        from quote_builder.countries import country_name
        from quote_builder.pricing.tax import tax_name

        where = tax.customer_country + (f"-{tax.customer_region}" if tax.customer_region else "")
        # As the desktop app writes it (ui.history_words "compare.tax.*"): "VAT 0% for
        # Germany (Reverse charge; rate from the table)", not the codes "DE", "table rate".
        place = country_name(tax.customer_country) or tax.customer_country
        if tax.customer_region:
            place += f" ({tax.customer_region})"
        source = "entered by the rep" if tax.rate_source == "rep" else "from the table"
        confirmed = ", confirmed" if tax.confirmed else ""
        rows.append(
            (
                _field("Tax", "tax"),
                Sentence(
                    f"{tax_name(tax.kind)} {f.percent(tax.rate_percent, None)} for {place} "
                    f"({words.label(tax.rule)}; rate {source}{confirmed})",
                    (
                        ("compare.tax.rep.confirmed" if tax.confirmed else "compare.tax.rep")
                        if tax.rate_source == "rep"
                        else (
                            "compare.tax.table.confirmed" if tax.confirmed else "compare.tax.table"
                        )
                    ),
                    kind=tax.kind,
                    rate=f.percent(tax.rate_percent, None),
                    where=where,
                    rule=tax.rule,
                ),
            )
        )
    else:
        rows.append((_field("Tax", "tax"), Sentence("none", "value.none")))
    rows += [
        (_field("Fixed cost / month", "fixed_cost"), costs.money(economics.fixed_cost_per_month)),
        # Percents the rep typed, with the digits they have (70%, 62.5%), as the policy
        # and the warnings write them; the margins the engine computes, to one decimal.
        (
            _field("Target margin", "target_margin"),
            f.percent(economics.target_margin_percent, None),
        ),
        (_field("Margin floor", "margin_floor"), f.percent(economics.margin_floor_percent, None)),
    ]
    evidence = doc.usage_evidence
    if evidence is not None:
        span = f"{evidence.months[0].month} to {evidence.months[-1].month}"
        mapping = ", ".join(
            f"{k} reads {'all of the log' if v == '*' else 'nothing' if v == '-' else v}"
            for k, v in sorted(evidence.metric_map.items())
        )
        rows.append(
            (
                _field("Usage log", "usage_log"),
                Sentence(
                    f"{evidence.source_name} (SHA-256 {evidence.sha256[:12]}, {span}, "
                    f"{f.number(evidence.rows)} rows)" + (f"; {mapping}" if mapping else ""),
                    "compare.usage_log",
                    source=evidence.source_name,
                    sha256=evidence.sha256[:12],
                    first=evidence.months[0].month,
                    last=evidence.months[-1].month,
                    rows=evidence.rows,
                    mapping=sorted(evidence.metric_map.items()),
                ),
            )
        )
    else:
        rows.append((_field("Usage log", "usage_log"), Sentence("none", "value.none")))
    return rows


def _totals(summary: dict[str, Any], locale: str = "en_US") -> list[tuple[str, str]]:
    f = words.formatter(str(summary.get("currency") or "USD"), locale)

    def money(value: Any) -> str:
        return f.money(Decimal(str(value))) if value not in (None, "") else "—"

    def pct(value: Any, places: int | None = 1) -> str:
        return (
            f.percent(Decimal(str(value)), places)
            if value not in (None, "")
            else Sentence("n/a", "value.na")
        )

    rows: list[tuple[str, str]] = [
        (_field("TCV", "tcv"), money(summary["tcv"])),
        (_field("List TCV", "list_tcv"), money(summary["list_tcv"])),
        (
            # A discount with the digits it has (30%, 10.01%), as the totals write it.
            _field("Discount vs list", "discount_vs_list"),
            pct(summary["effective_discount_percent"], None),
        ),
        (_field("First-year ACV", "first_year_acv"), money(summary["first_year_acv"])),
        (_field("Gross margin", "gross_margin"), pct(summary["gross_margin_percent"])),
    ]
    for year in summary["years"]:
        rows.append(
            (
                Sentence(f"Year {year['year']} revenue", "compare.year_revenue", year=year["year"]),
                money(year["revenue"]),
            )
        )
        rows.append(
            (
                Sentence(f"Year {year['year']} margin", "compare.year_margin", year=year["year"]),
                pct(year["gross_margin_percent"]),
            )
        )
    codes = [str(w["code"]) for w in summary["warnings"]]
    warnings = [words.humanize(code.lower()) for code in codes]
    rows.append(
        (
            _field("Warnings", "warnings"),
            Sentence("; ".join(warnings), "compare.warnings", codes=codes)
            if warnings
            else Sentence("none", "value.none"),
        )
    )
    return rows


TERMS = Sentence("Terms", "compare.section.terms")
TOTALS = Sentence("Totals", "compare.section.totals")


def _side_by_side(
    section: str, a: list[tuple[str, str]], b: list[tuple[str, str]]
) -> list[ComparisonRow]:
    left, right = dict(a), dict(b)
    labels = list(dict.fromkeys([label for label, _ in a] + [label for label, _ in b]))
    return [
        ComparisonRow(section, label, left.get(label, "—"), right.get(label, "—"))
        for label in labels
    ]


def compare_versions(
    db: Database, quote_id: int, a: int, b: int, *, locale: str = "en_US"
) -> list[ComparisonRow]:
    """Terms and totals of two versions side by side, field by field in the forms' words
    with values in ``locale``."""
    first, second = open_version(db, quote_id, a), open_version(db, quote_id, b)
    return _side_by_side(TERMS, _terms(first.document, locale), _terms(second.document, locale)) + (
        _side_by_side(
            TOTALS, _totals(first.version.summary, locale), _totals(second.version.summary, locale)
        )
    )


def compare_documents(
    a: QuoteDocument, b: QuoteDocument, *, locale: str = "en_US"
) -> list[ComparisonRow]:
    """Terms and totals of two documents side by side (e.g. theirs and yours in a conflict)."""
    return _side_by_side(TERMS, _terms(a, locale), _terms(b, locale)) + _side_by_side(
        TOTALS,
        _totals(priced_summary(price(a)), locale),
        _totals(priced_summary(price(b)), locale),
    )


# --- merging a save that lost a race ----------------------------------------------------------

MERGE_FIELDS: dict[str, str] = {
    "title": "Title",
    "customer": "Customer",
    "language": "Document language",
    "product_category": "Product category",
    "pricing_model": "Pricing model",
    "currency": "Currency",
    "start_date": "Start date",
    "term_months": "Term",
    "first_year_months": "First contract year",
    "billing_frequency": "Billing",
    "escalator_percent": "Annual escalator",
    "components": "Components",
    "discounts": "Discounts",
    "ramps": "Ramps",
    "usage_forecast": "Usage forecast",
    "economics": "Economics",
    "value": "Value",
    "usage_profile": "Usage profile",
    "usage_evidence": "Usage log",
    "advisor": "Advisor answers",
    "contract": "Contract terms",
    "contract_change": "Contract change",
    "notes": "Notes",
    "tax": "Tax",
    "exchange_rate": "Exchange rate",
    "options": "Options",
    "chosen_option": "Chosen option",
}
"""The document's fields as a merge names them (the forms' words, by the document's key)."""

_MERGE_KEYS = {
    # The key of a comparison's field label (``history_words.FIELDS``) where it differs.
    "term_months": "term",
    "billing_frequency": "billing",
    "escalator_percent": "escalator",
    "usage_evidence": "usage_log",
}

_ABSENT: Any = object()


def _merge_label(key: str) -> str:
    english = MERGE_FIELDS.get(key) or words.field_label(key)
    return Sentence(english, "compare.field", field=_MERGE_KEYS.get(key, key))


_ITEM_KEYS: dict[str, str | None] = {
    ".components": "id",
    ".options": "key",
    ".ramps": "year",
    ".economics.cost_only_metrics": None,
}
"""The lists merged item by item, by the path of the list (as ``_three_way`` names it) and
the key that identifies an item (None: the item is its own identity, a metric's name).
Other lists (discounts, a component's tiers, the usage log's months) have no identity an
edit keeps, and merge as one value; see docs/architecture.md, "Saving over a version
saved elsewhere"."""


def _item_identity(path: str, items: Any) -> list[Any] | None:
    """The identities of ``items`` in order when ``path`` is a list merged item by item and
    every item has its own (unique, hashable); None otherwise (merged as one value)."""
    if path not in _ITEM_KEYS or not isinstance(items, list):
        return None
    key = _ITEM_KEYS[path]
    found: list[Any] = []
    for item in items:
        if key is None:
            ident = item
        elif isinstance(item, dict):
            ident = item.get(key)
        else:
            return None
        if not isinstance(ident, str | int) or isinstance(ident, bool) or ident in found:
            return None
        found.append(ident)
    return found


def _item_path(path: str, ident: Any) -> str:
    return f"{path}[{ident}]"


def _field_of(path: str) -> str:
    """The document's top-level field a merge path lies in (``.components[api]``:
    ``components``)."""
    return re.split(r"[.\[]", path)[1]


def _merge_order(
    base: list[Any],
    mine: list[Any],
    theirs: list[Any],
    path: str,
    conflicts: list[str],
    prefer_mine: bool,
) -> list[Any]:
    """The order of a list merged item by item: the side that moved items it shares with
    the other (and with ``base``) sets it (both moved them differently: a conflict on the
    list); an item only the other side has goes in after the item it follows there (or
    before the one it precedes; at the end when it has neither)."""
    common = set(base) & set(mine) & set(theirs)

    def shared(order: list[Any]) -> list[Any]:
        return [ident for ident in order if ident in common]

    mine_moved = shared(mine) != shared(base)
    theirs_moved = shared(theirs) != shared(base)
    if mine_moved and theirs_moved and shared(mine) != shared(theirs):
        conflicts.append(path)
        leader = mine if prefer_mine else theirs
    else:
        leader = mine if mine_moved else theirs
    other = theirs if leader is mine else mine
    order = list(leader)
    for index, ident in enumerate(other):
        if ident in order:
            continue
        after = next((i for i in reversed(other[:index]) if i in order), _ABSENT)
        following = next((i for i in other[index + 1 :] if i in order), _ABSENT)
        if after is not _ABSENT:
            order.insert(order.index(after) + 1, ident)
        elif following is not _ABSENT:
            order.insert(order.index(following), ident)
        else:
            order.append(ident)
    return order


def _merge_items(
    base: Any, mine: Any, theirs: Any, path: str, conflicts: list[str], prefer_mine: bool
) -> Any:
    """A list of identified items merged item by item: an item added, removed or changed
    by one side is that side's change; the same item changed by both (to different
    values, or changed by one and removed by the other) is a conflict on that item."""
    sides = [[] if side is _ABSENT else side for side in (base, mine, theirs)]
    idents: list[list[Any]] = []
    for side in sides:
        found = _item_identity(path, side)
        assert found is not None  # _three_way merges only lists whose items all have one
        idents.append(found)
    b_ids, m_ids, t_ids = idents
    by_id = [dict(zip(ids, side, strict=True)) for ids, side in zip(idents, sides, strict=True)]
    items: dict[Any, Any] = {}
    for ident in dict.fromkeys([*t_ids, *m_ids, *b_ids]):
        b, m, t = (side.get(ident, _ABSENT) for side in by_id)
        if m == t:
            value = m
        elif m == b:
            value = t
        elif t == b:
            value = m
        else:
            conflicts.append(_item_path(path, ident))
            value = m if prefer_mine else t
        if value is not _ABSENT:
            items[ident] = value
    order = _merge_order(b_ids, m_ids, t_ids, path, conflicts, prefer_mine)
    merged = [items[ident] for ident in order if ident in items]
    if not merged and _ABSENT in (mine, theirs):
        return _ABSENT  # the whole list removed on one side, and nothing left of it
    return merged


def _three_way(
    base: Any, mine: Any, theirs: Any, path: str, conflicts: list[str], prefer_mine: bool
) -> Any:
    """One value merged: the side that changed it relative to ``base`` wins; both changed
    it differently: a conflict (``path`` recorded), settled by ``prefer_mine``. Objects
    (JSON dicts) merge key by key, lists of identified items (``_ITEM_KEYS``) item by item;
    anything else (a number, a list without identities) is one value."""
    if mine == theirs:
        return mine
    if mine == base:
        return theirs
    if theirs == base:
        return mine
    if isinstance(base, dict) and isinstance(mine, dict) and isinstance(theirs, dict):
        merged: dict[str, Any] = {}
        for key in dict.fromkeys([*theirs, *mine, *base]):
            value = _three_way(
                base.get(key, _ABSENT),
                mine.get(key, _ABSENT),
                theirs.get(key, _ABSENT),
                f"{path}.{key}",
                conflicts,
                prefer_mine,
            )
            if value is not _ABSENT:
                merged[key] = value
        return merged
    if all(
        side is _ABSENT or _item_identity(path, side) is not None for side in (base, mine, theirs)
    ):
        return _merge_items(base, mine, theirs, path, conflicts, prefer_mine)
    conflicts.append(path)
    return mine if prefer_mine else theirs


@dataclass(frozen=True)
class Merge:
    """Theirs (the version saved since yours was opened) with your changes applied.

    ``theirs_changed``, ``mine_changed`` and ``conflicts`` are the fields (labels, the
    forms' words) each side changed relative to the version both started from, and those
    both changed to different values (a list of identified items, the components, names
    the item: "Components: API calls"). ``keep_mine`` and ``keep_theirs`` are the merged
    documents where a conflict is settled for your value or theirs (equal without
    conflicts); None with ``problems`` when the two sets of changes do not make a valid
    quote together. ``keep_mine_is_theirs`` (``keep_theirs_is_theirs``): that document is
    their version as it is, nothing of yours differs from it (your changes were none, or
    theirs made the same ones): saving it would make no new version."""

    theirs_changed: list[str]
    mine_changed: list[str]
    conflicts: list[str]
    keep_mine: QuoteDocument | None
    keep_theirs: QuoteDocument | None
    problems: list[str]
    keep_mine_is_theirs: bool = False
    keep_theirs_is_theirs: bool = False


def _item_name(path: str, ident: str, sides: tuple[dict[str, Any], ...]) -> str:
    """How a conflict names the item ``ident`` (as written in its path) of the list at
    ``path``: a component or an option by its name, a ramp by its year, a metric as it is."""
    key = _ITEM_KEYS.get(path)
    for side in sides:
        items: Any = side
        for part in path.split(".")[1:]:
            items = items.get(part) if isinstance(items, dict) else None
        for item in items if isinstance(items, list) else []:
            if key is None or not isinstance(item, dict) or str(item.get(key)) != ident:
                continue
            if key == "year":
                return Sentence(f"from year {ident}", "merge.ramp_year", year=item[key])
            return str(item.get("name") or ident)
    return ident


def _conflict_label(path: str, sides: tuple[dict[str, Any], ...]) -> str:
    """A conflict's label: the field, or the field and the item both changed."""
    field = _merge_label(_field_of(path))
    found = re.fullmatch(r"(.*)\[(.*)\]", path)
    if found is None:
        return field
    item = _item_name(found[1], found[2], sides)
    return Sentence(f"{field}: {item}", "merge.item", field=field, item=item)


def merge_documents(base: QuoteDocument, mine: QuoteDocument, theirs: QuoteDocument) -> Merge:
    """A three-way merge: start from ``theirs`` and apply only the fields ``mine`` changed
    relative to ``base`` (the version mine started from). Nothing either side changed is
    lost; a field both changed to different values is a conflict the caller settles. The
    components, options, ramps and cost-only metrics merge item by item (``_ITEM_KEYS``):
    different items changed, added or removed on each side are no conflict."""
    b, m, t = base.to_json_dict(), mine.to_json_dict(), theirs.to_json_dict()
    ignored = {"format", "format_version", "quote_number"}
    keys = [k for k in dict.fromkeys([*t, *m, *b]) if k not in ignored]

    def changed(side: dict[str, Any]) -> list[str]:
        return [_merge_label(k) for k in keys if side.get(k, _ABSENT) != b.get(k, _ABSENT)]

    conflicts: list[str] = []
    merged: dict[bool, dict[str, Any]] = {}
    for prefer_mine in (True, False):
        found: list[str] = []
        merged[prefer_mine] = _three_way(b, m, t, "", found, prefer_mine)
        if prefer_mine:
            conflicts = list(dict.fromkeys(_conflict_label(path, (m, t, b)) for path in found))
    problems: list[str] = []
    documents: dict[bool, QuoteDocument] = {}
    for prefer_mine, data in merged.items():
        try:
            documents[prefer_mine] = quote_from_data(data)
        except QuoteFileError as exc:
            problems = list(dict.fromkeys([*problems, *exc.problems]))
    as_theirs = canonical_json(theirs)
    return Merge(
        theirs_changed=changed(t),
        mine_changed=changed(m),
        conflicts=conflicts,
        keep_mine=None if problems else documents[True],
        keep_theirs=None if problems else documents[False],
        problems=problems,
        keep_mine_is_theirs=not problems and canonical_json(documents[True]) == as_theirs,
        keep_theirs_is_theirs=not problems and canonical_json(documents[False]) == as_theirs,
    )


@dataclass(frozen=True)
class ConflictPlan:
    """What saving over a version saved elsewhere would do (``plan_merge``)."""

    theirs: OpenedVersion
    """The latest version (saved since yours was opened) and the quote as it is now."""
    merge: Merge


def plan_merge(db: Database, quote_id: int, base_number: int, mine: QuoteDocument) -> ConflictPlan:
    """The latest version and your document merged onto it, your changes counted from
    version ``base_number`` (the one you opened). Save the chosen document with
    ``save_quote(..., expected_version=plan.theirs.quote.version_id)``: should someone
    save again meanwhile, that save is refused as a conflict, never overwritten."""
    theirs = open_version(db, quote_id)
    base = open_version(db, quote_id, base_number).document
    return ConflictPlan(theirs, merge_documents(base, mine, theirs.document))


_JSON_KINDS: dict[type, str] = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


def event_details(text: str | None) -> tuple[dict[str, Any], Sentence | None]:
    """An audit event's stored details and, when the row was changed outside Quote Builder
    (``sqlite3``) into something that is not JSON, or JSON that is not an object of
    details, the sentence the history shows in their place (never a traceback: the
    quote's other events and its versions are still shown)."""
    if not text:
        return {}, None
    try:
        details = json.loads(text)
    except (ValueError, RecursionError) as exc:
        where = json_problem(exc)
    else:
        if isinstance(details, dict):
            return details, None
        where = f"{_JSON_KINDS.get(type(details), 'a value')} where an object belongs"
    return {}, Sentence(
        f"the details of this event cannot be read from the database ({where}); they were "
        "changed outside Quote Builder: keep a copy of the database, then restore a backup",
        "audit.details_not_json",
        where=where,
    )


def audit_history(db: Database, quote_id: int) -> list[dict[str, Any]]:
    """A quote's events, oldest first: ``details`` as stored (an object), ``problem`` the
    sentence that stands for details that cannot be read (``event_details``)."""
    with db.read() as session:
        _load_quote(session, quote_id)
        events = []
        for e in repo.list_audit_events(session, quote_id=quote_id):
            details, problem = event_details(e.details_json)
            events.append(
                {
                    "at": e.at,
                    "actor": e.actor,
                    "action": e.action,
                    "version_id": e.quote_version_id,
                    "details": details,
                    "problem": problem,
                }
            )
        return events


__all__ = [
    "ComparisonRow",
    "ConflictError",
    "ConflictPlan",
    "Merge",
    "OpenedVersion",
    "QuoteRow",
    "VersionInfo",
    "audit_history",
    "event_details",
    "compare_documents",
    "compare_versions",
    "create_quote",
    "duplicate_quote",
    "find_quote",
    "get_quote",
    "list_quotes",
    "list_versions",
    "merge_documents",
    "open_version",
    "plan_merge",
    "priced_summary",
    "save_quote",
    "set_quote_status",
    "set_status",
]
