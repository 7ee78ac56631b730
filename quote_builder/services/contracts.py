"""Contracts: accepted quotes, and the renewals, expansions and amendments made from them.

``start_change`` makes a new draft quote linked to an accepted one (``quote.kind``,
``quote.parent_quote_id``; audited as ``contract_change_started`` on both), from the
version the customer signed, with the arithmetic of ``pricing.contracts``. A renewal's
uplift is the signed order's own renewal clause (the ``terms.json`` of the PDF that was
sent: the legal frame's ``renewal_increase_percent``, else the escalator).

``customer_contracts`` lists a customer's contracts: start, end, the current contract
year's recurring amount (the current ACV) and what renews when.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sqlmodel import col, select

from quote_builder.errors import Sentence, sentence_of
from quote_builder.pricing import contracts as arithmetic
from quote_builder.pricing import price
from quote_builder.pricing.money import Money
from quote_builder.store import repositories as repo
from quote_builder.store.database import Database
from quote_builder.store.models import Acceptance, Quote, SentDocument

from .core import InvalidInputError, NotFoundError, Outcome, RefusedError, not_found
from .quotes import QuoteRow, create_quote, open_version, today

ChangeKind = Literal["renewal", "expansion", "amendment"]
KIND_WORDS = {
    "new": "New business",
    "renewal": "Renewal",
    "expansion": "Expansion",
    "amendment": "Amendment",
}


@dataclass(frozen=True)
class SignedContract:
    quote_id: int
    number: str
    version: int
    terms: dict[str, object]
    """The customer's terms as signed (the sent PDF's terms.json)."""


def _signed(db: Database, quote_id: int) -> SignedContract:
    from .terms_link import TERMS_ATTACHMENT
    from .verify import read_attachments

    with db.read() as session:
        quote = repo.get_quote(session, quote_id=quote_id)
        if quote is None:
            raise NotFoundError(not_found("quote", quote_id))
        if quote.status != "accepted":
            raise RefusedError(
                Sentence(
                    f"{quote.number} is {quote.status.replace('_', ' ')}: renewals, expansions and "
                    "amendments are made from an accepted quote (a signed contract)",
                    "change.not_accepted",
                    number=quote.number,
                    status=quote.status,
                )
            )
        acceptance = session.exec(
            select(Acceptance)
            .where(Acceptance.quote_id == quote_id)
            .order_by(col(Acceptance.id).desc())
        ).first()
        assert acceptance is not None  # accepted only through an acceptance
        sent = session.get(SentDocument, acceptance.sent_document_id)
        assert sent is not None
        raw = read_attachments(sent.pdf).get(TERMS_ATTACHMENT, b"{}")
        return SignedContract(quote_id, quote.number, sent.version_number, json.loads(raw))


def start_change(
    db: Database,
    quote_id: int,
    kind: ChangeKind,
    *,
    actor: str,
    effective: dt.date | None = None,
    added_seats: dict[str, int] | None = None,
) -> Outcome[QuoteRow]:
    """A new draft quote that renews, expands (from ``effective``, co-termed, with
    ``added_seats``) or amends (from ``effective``) an accepted quote."""
    if kind not in ("renewal", "expansion", "amendment"):
        raise InvalidInputError(
            [
                Sentence(
                    f"kind: one of renewal, expansion, amendment (got {kind!r})",
                    "change.kind",
                    kind=kind,
                )
            ]
        )
    signed = _signed(db, quote_id)
    opened = open_version(db, quote_id, signed.version)
    document, priced = opened.document, price(opened.document)
    with db.read() as session:
        existing = session.exec(
            select(Quote).where(
                Quote.parent_quote_id == quote_id,
                Quote.kind == "renewal",
                col(Quote.status).not_in(("lost", "expired")),
            )
        ).first()
    if kind == "renewal" and existing is not None:
        raise RefusedError(
            Sentence(
                f"{signed.number} already has a renewal: {existing.number} "
                f"({existing.status.replace('_', ' ')}); "
                "open it, or mark it lost first",
                "change.renewal_exists",
                number=signed.number,
                renewal=existing.number,
                status=existing.status,
            )
        )
    order, version = signed.number, signed.version
    try:
        if kind == "renewal":
            legal = signed.terms.get("legal")
            uplift = legal.get("renewal_increase_percent") if isinstance(legal, dict) else None
            new = arithmetic.renewal_document(
                document,
                priced,
                uplift_percent=Decimal(str(uplift)) if uplift else document.escalator_percent,
                original_order=order,
                original_version=version,
            )
        else:
            if effective is None:
                raise InvalidInputError(
                    [
                        Sentence(
                            "Effective from: give the date the change starts",
                            "change.no_effective_date",
                        )
                    ]
                )
            if kind == "expansion":
                new = arithmetic.expansion_document(
                    document,
                    priced,
                    effective=effective,
                    added_seats=added_seats,
                    original_order=order,
                    original_version=version,
                )
            else:
                new = arithmetic.amendment_document(
                    document,
                    priced,
                    effective=effective,
                    original_order=order,
                    original_version=version,
                )
    except arithmetic.ContractChangeError as exc:
        problem = sentence_of(exc)
        if getattr(problem, "code", None) == "change.no_seats_component":
            # The seats asked for name no seats component: the seats are wrong, not the date.
            raise InvalidInputError(
                [Sentence(f"Added seats: {problem}", "change.added_seats", problem=problem)]
            ) from None
        raise InvalidInputError(
            [Sentence(f"Effective from: {exc}", "change.effective", problem=problem)]
        ) from None
    with db.write() as session:
        outcome = create_quote(
            db,
            new,
            actor=actor,
            customer_id=opened.quote.customer_id,
            kind=kind,
            parent_quote_id=quote_id,
        )
        repo.add_audit_event(
            session,
            actor=actor,
            action="contract_change_started",
            entity_type="quote",
            entity_id=quote_id,
            quote_id=quote_id,
            details={"kind": kind, "quote": outcome.value.number},
        )
        return outcome


@dataclass(frozen=True)
class ContractRow:
    """One of a customer's contracts (an accepted quote)."""

    quote_id: int
    number: str
    title: str
    kind: str
    parent_number: str
    start: dt.date
    end: dt.date
    current_acv: Money
    """The recurring amount of the contract year today falls in (the first year before
    it starts; zero once it has ended)."""
    renews: str
    """What renews when, in words."""
    signed_by: str
    signed_at: dt.datetime

    @property
    def kind_words(self) -> str:
        return KIND_WORDS.get(self.kind, self.kind)


def customer_contracts(
    db: Database, customer_id: int, *, on: dt.date | None = None
) -> list[ContractRow]:
    """The customer's accepted quotes, oldest start first."""
    day = on or today()
    with db.read() as session:
        quotes = session.exec(
            select(Quote).where(Quote.customer_id == customer_id, Quote.status == "accepted")
        ).all()
        children = session.exec(
            select(Quote).where(
                col(Quote.parent_quote_id).in_([q.id for q in quotes]),
                col(Quote.status).not_in(("lost", "expired")),
            )
        ).all()
        numbers = {q.id: q.number for q in quotes}
        facts = []
        for quote in quotes:
            acceptance = session.exec(
                select(Acceptance)
                .where(Acceptance.quote_id == quote.id)
                .order_by(col(Acceptance.id).desc())
            ).first()
            sent = session.get(SentDocument, acceptance.sent_document_id) if acceptance else None
            facts.append((quote, acceptance, sent))
    rows = []
    for quote, acceptance, sent in facts:
        assert quote.id is not None
        if acceptance is None or sent is None:
            continue
        document = open_version(db, quote.id, sent.version_number).document
        priced = price(document)
        end = arithmetic.contract_end(document)
        current = next((y for y in priced.years if y.start <= day <= y.end), None)
        if current is None and day < document.start_date:
            current = priced.years[0]
        acv = current.recurring_revenue if current is not None else Decimal(0)
        renewal = next(
            (c for c in children if c.parent_quote_id == quote.id and c.kind == "renewal"), None
        )
        if renewal is not None:
            renews = f"renewal {renewal.number} ({renewal.status.replace('_', ' ')})"
        elif quote.kind == "expansion" or quote.kind == "amendment":
            parent = numbers.get(quote.parent_quote_id or 0, "")
            renews = f"with {parent}" if parent else "with the contract it changes"
        elif document.contract.auto_renew:
            renews = (
                f"renews automatically on {(end + dt.timedelta(days=1)).isoformat()} for "
                f"{document.contract.renewal_term_months} months (notice "
                f"{document.contract.notice_days} days before)"
            )
        else:
            renews = f"ends on {end.isoformat()} (no automatic renewal)"
        rows.append(
            ContractRow(
                quote_id=quote.id,
                number=quote.number,
                title=quote.title,
                kind=quote.kind,
                parent_number=numbers.get(quote.parent_quote_id or 0, ""),
                start=document.start_date,
                end=end,
                current_acv=Money.of(acv, document.currency),
                renews=renews,
                signed_by=acceptance.signed_by,
                signed_at=acceptance.signed_at,
            )
        )
    return sorted(rows, key=lambda r: (r.start, r.number))


__all__ = ["KIND_WORDS", "ContractRow", "customer_contracts", "start_change"]
