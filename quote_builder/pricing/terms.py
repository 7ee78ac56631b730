"""The customer's view of a quote: the terms a prospect reads, signs and can check.

Three audiences read one quote (shared/design.md, "What leaves the building"): the seller
(costs, margins, floors, notes, usage-evidence internals, advisor reasoning), the deal desk
(adds policy and history) and the customer. :class:`CustomerTerms` is the customer's
view and nothing else: components, prices, quantities, term, escalator, discounts, ramps,
outcome and attribution terms, billing, parties. Its fields have no place for unit costs,
fixed cost, margins, floors, notes or the advisor's answers, so whatever is built from it
(the proposal, the order form, the attachment of the PDF and the hash the order form cites)
cannot carry them.

``terms_json(terms)`` is its canonical JSON (sorted keys, no spaces, UTF-8, decimals as
strings, no nulls) and ``terms_hash(terms)`` the SHA-256 of those bytes: the PDF attaches
exactly those bytes as ``terms.json``, so a customer checks the order form's fingerprint
with ``sha256sum terms.json``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict

from .components import AnyComponent, Component
from .document import BillingFrequency, Discount, QuoteDocument, UsageForecast, YearRamp
from .results import PricedQuote
from .usage import seat_counts

TERMS_FORMAT: Final = "quote-builder/terms"
TERMS_FORMAT_VERSION: Final = 1
TERMS_FILE_NAME: Final = "terms.json"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TermsParty(_Model):
    """A party as the order form names it."""

    name: str
    legal_name: str = ""
    address: str = ""
    email: str = ""
    country: str = ""
    signatory: str = ""
    signatory_title: str = ""

    @property
    def display_name(self) -> str:
        return self.legal_name or self.name


class TermsEscalation(_Model):
    year: int
    effective: dt.date
    percent: Decimal
    """The yearly increase."""
    above_year_one_percent: Decimal
    """Cumulative increase over the year-1 prices, to 0.01 %."""


class TermsYear(_Model):
    """One contract year: its dates, its committed seat counts and what it costs at the
    estimated usage."""

    year: int
    start: dt.date
    end: dt.date
    months: int
    seats: dict[str, int]
    """Committed seat count of each seats component (ramps applied)."""
    list_amount: Decimal
    discounts: Decimal
    amount: Decimal
    """What the customer pays this year (list - discounts), at the estimated usage."""


class TermsComponentYear(_Model):
    """What one component is invoiced in one contract year, before discounts."""

    component_id: str
    year: int
    amount: Decimal


class CustomerTerms(_Model):
    """What the customer agrees to. Built by :func:`customer_terms`; never from costs."""

    format: Literal["quote-builder/terms"] = TERMS_FORMAT
    format_version: Literal[1] = TERMS_FORMAT_VERSION
    quote_number: str
    version: int | None = None
    title: str = ""
    issued: dt.date
    valid_until: dt.date | None = None
    seller: TermsParty
    customer: TermsParty
    currency: str
    start_date: dt.date
    end_date: dt.date
    term_months: int
    billing_frequency: BillingFrequency
    payment_terms_days: int
    auto_renew: bool
    renewal_term_months: int
    notice_days: int
    price_protection: str = ""
    escalator_percent: Decimal
    escalations: list[TermsEscalation]
    components: list[AnyComponent]
    discounts: list[Discount]
    ramps: list[YearRamp]
    """Seat counts and usage from a contract year on (only metrics that are billed)."""
    estimated_usage: dict[str, UsageForecast]
    """The usage the amounts are estimated at (only metrics that are billed): an estimate,
    not a commitment; invoices follow actual usage."""
    years: list[TermsYear]
    component_years: list[TermsComponentYear]
    total_contract_value: Decimal
    list_contract_value: Decimal
    discount_total: Decimal
    first_year_fees: Decimal
    """Year-1 fees without one-time fees."""

    def component(self, component_id: str) -> Component:
        for component in self.components:
            if component.id == component_id:
                return component
        raise KeyError(component_id)

    @property
    def billed_metrics(self) -> frozenset[str]:
        return billed_metrics(self.components)


def billed_metrics(components: list[Any]) -> frozenset[str]:
    """The metrics a component charges for (a cost-only metric is not one)."""
    metrics: set[str] = set()
    for component in components:
        metrics |= component.metrics()
    return frozenset(metrics)


def _percent(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def customer_terms(
    doc: QuoteDocument,
    priced: PricedQuote,
    *,
    seller: TermsParty,
    customer: TermsParty,
    quote_number: str = "",
    version: int | None = None,
    issued: dt.date,
    valid_until: dt.date | None = None,
) -> CustomerTerms:
    """The customer's terms of ``doc`` as priced by ``priced`` (``price(doc)``)."""
    billed = billed_metrics(list(doc.components))
    seats = seat_counts(doc)
    years = [
        TermsYear(
            year=y.year,
            start=y.start,
            end=y.end,
            months=y.months,
            seats={k: int(v) for k, v in seats[y.year - 1].items()},
            list_amount=y.list_revenue,
            discounts=y.discounts,
            amount=y.revenue,
        )
        for y in priced.years
    ]
    ramps = []
    for ramp in doc.ramps:
        usage = {m: q for m, q in ramp.usage.items() if m in billed}
        if ramp.seats or usage:
            ramps.append(YearRamp(year=ramp.year, seats=ramp.seats, usage=usage))
    return CustomerTerms(
        quote_number=quote_number or doc.quote_number or "",
        version=version,
        title=doc.title,
        issued=issued,
        valid_until=valid_until,
        seller=seller,
        customer=customer,
        currency=doc.currency,
        start_date=doc.start_date,
        end_date=priced.years[-1].end,
        term_months=doc.term_months,
        billing_frequency=doc.billing_frequency,
        payment_terms_days=doc.contract.payment_terms_days,
        auto_renew=doc.contract.auto_renew,
        renewal_term_months=doc.contract.renewal_term_months,
        notice_days=doc.contract.notice_days,
        price_protection=doc.contract.price_protection,
        escalator_percent=doc.escalator_percent,
        escalations=[
            TermsEscalation(
                year=e.year,
                effective=e.effective,
                percent=e.percent,
                above_year_one_percent=_percent((e.factor - 1) * 100),
            )
            for e in priced.escalations
        ],
        components=list(doc.components),
        discounts=list(doc.discounts),
        ramps=ramps,
        estimated_usage={m: f for m, f in doc.usage_forecast.items() if m in billed},
        years=years,
        component_years=[
            TermsComponentYear(component_id=row.component_id, year=cy.year, amount=cy.amount)
            for row in priced.components
            for cy in row.years
        ],
        total_contract_value=priced.tcv,
        list_contract_value=priced.list_tcv,
        discount_total=priced.discount_total,
        first_year_fees=priced.first_year_acv,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        text = format(value, "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def terms_data(terms: CustomerTerms) -> dict[str, Any]:
    """The terms as JSON-ready data: decimals as plain strings (``"0.40"``, never
    ``"4E-1"``), dates as ``YYYY-MM-DD``, nulls left out."""
    data: dict[str, Any] = _plain(terms.model_dump(mode="python", by_alias=True))
    return data


def terms_json(terms: CustomerTerms) -> bytes:
    """Canonical JSON: sorted keys, no white space between tokens, UTF-8 (characters as
    written, not escaped). The same terms always give the same bytes."""
    return json.dumps(
        terms_data(terms), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def terms_hash(terms: CustomerTerms) -> str:
    """SHA-256 (hex) of ``terms_json(terms)``: what the order form cites, and what
    ``sha256sum terms.json`` prints for the PDF's attachment."""
    return hashlib.sha256(terms_json(terms)).hexdigest()


__all__ = [
    "TERMS_FILE_NAME",
    "CustomerTerms",
    "TermsComponentYear",
    "TermsEscalation",
    "TermsParty",
    "TermsYear",
    "billed_metrics",
    "customer_terms",
    "terms_data",
    "terms_hash",
    "terms_json",
]
