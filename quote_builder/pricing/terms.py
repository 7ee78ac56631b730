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
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict

from quote_builder.errors import Sentence

from .components import (
    AllowanceOverage,
    AnyComponent,
    BreakdownLine,
    Component,
    Credits,
    MinimumCommitment,
    PerUnit,
    TieredComponent,
    Usage,
)
from .currency import minor_units
from .document import (
    BillingFrequency,
    Discount,
    QuoteDocument,
    TaxKind,
    TaxRule,
    UsageForecast,
    YearRamp,
)
from .languages import DEFAULT_LANGUAGE
from .legal import LegalFrame, jurisdiction_problem, merged_frame, unset_jurisdiction
from .money import HUNDRED, minor_unit
from .results import PricedQuote
from .usage import (
    counts_whole,
    fractional_metrics,
    seat_counts,
    stated_quantity,
)

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
    billing_address: str = ""
    email: str = ""
    country: str = ""
    signatory: str = ""
    signatory_title: str = ""
    tax_id: str | None = None
    """The party's tax ID (VAT ID, ABN, GSTIN ...) as the quote's tax keeps it; None: not
    printed (left out of terms.json, so terms without tax hash as before)."""

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
    one_time: Decimal = Decimal(0)
    """The part of ``amount`` that is one-time fees (set-up, onboarding)."""


class TermsComponentYear(_Model):
    """What one component is invoiced in one contract year, before discounts."""

    component_id: str
    year: int
    amount: Decimal


class PriceLine(_Model):
    """One line of the price table of a contract year. A component line carries the
    component's amount for the year (its invoice lines before discounts); its detail lines
    (tiers, included and overage units, a floor's or a cap's adjustment, credits by where
    they came from) carry quantity, unit price and their part of that amount: the quantity
    as shown x the unit price, rounded half up to the currency's minor unit. When the line
    as printed (its parts, or a single line's quantity x unit price) is not the component's
    amount (a sum of invoice lines, each rounded once from exact quantities), a last detail
    line ``Rounding`` carries the difference, so that it always adds up. A discount line
    carries the (negative) amount the discount takes that year."""

    year: int
    kind: Literal["component", "detail", "discount"]
    component_id: str | None = None
    label: str
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    """The list unit price of the year: escalated and rounded as the engine bills it."""
    discount_percent: Decimal | None = None
    """Percent discounts that apply to this component for the whole year."""
    net_unit_price: Decimal | None = None
    amount: Decimal | None = None
    estimated: bool = False
    """The quantity is the estimated usage; the invoice follows actual usage."""


class TermsMonthTrueUp(_Model):
    """One month of a monthly minimum commitment trued up on an invoice of several months
    some of which meet it (``results.MonthShortfall``)."""

    month: dt.date
    """The month's first day."""
    spend: Decimal
    """What counts toward the minimum that month, after discounts."""
    minimum: Decimal
    true_up: Decimal
    """``minimum - spend``, or 0 when the month meets the minimum."""


class Invoice(_Model):
    """The invoices of one billing period: fixed fees in advance on its first day, usage,
    outcomes and true-ups in arrears after its last day (at the estimated usage)."""

    period: int
    start: dt.date
    end: dt.date
    in_advance: Decimal
    in_arrears: Decimal
    discounts: Decimal
    """Discount lines of the period (zero or negative)."""
    total: Decimal
    month_true_ups: dict[str, list[TermsMonthTrueUp]] | None = None
    """By minimum commitment id: its months when some of them meet it, whose true-ups add
    up to its true-up on this invoice (None: no such true-up; absent from the terms)."""


class TermsChangeRow(_Model):
    """One year of a renewal or an expansion against the current contract."""

    label: str
    start: dt.date
    end: dt.date
    before: Decimal
    after: Decimal
    difference: Decimal


class TermsChange(_Model):
    """What this order form does to an earlier order the customer signed: renews it,
    expands it (co-termed: it ends with it) or amends it from a date."""

    kind: Literal["renewal", "expansion", "amendment"]
    original_order: str
    original_version: int
    original_start: dt.date
    original_end: dt.date
    effective: dt.date
    prorated_from: dt.date | None = None
    prorated_to: dt.date | None = None
    prorated_days: int = 0
    period_days: int = 0
    rows: list[TermsChangeRow] = []


class TermsTaxAmount(_Model):
    """The tax of one invoice (``period``) or one contract year (``year``)."""

    period: int | None = None
    year: int | None = None
    subtotal: Decimal
    tax: Decimal
    total: Decimal


class TermsTax(_Model):
    """The tax shown beside the price: which tax, at which rate and why (the quote's
    ``QuoteTax``), and each invoice's and year's tax, rounded per invoice."""

    kind: TaxKind
    rule: TaxRule
    rate_percent: Decimal
    customer_country: str
    customer_region: str = ""
    seller_country: str
    rate_source: str
    confirmed: bool
    table_as_of: dt.date | None = None
    invoices: list[TermsTaxAmount]
    years: list[TermsTaxAmount]
    subtotal: Decimal
    tax: Decimal
    total: Decimal

    @property
    def reverse_charge(self) -> bool:
        return self.rule == "reverse_charge"


class CustomerTerms(_Model):
    """What the customer agrees to. Built by :func:`customer_terms`; never from costs."""

    format: Literal["quote-builder/terms"] = TERMS_FORMAT
    format_version: Literal[1] = TERMS_FORMAT_VERSION
    language: str | None = None
    """The language the order form is written in (ISO 639-1), when it is not English (then
    absent, so English terms read as they always have). The legal frame below holds the
    texts in that language."""
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
    extra_credit_cap_per_month: Decimal | None = None
    legal: LegalFrame
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
    price_table: list[PriceLine]
    invoices: list[Invoice]
    total_contract_value: Decimal
    list_contract_value: Decimal
    discount_total: Decimal
    first_year_fees: Decimal
    """Year-1 fees without one-time fees."""
    change: TermsChange | None = None
    """The earlier order this one renews, expands or amends, and the change per year."""
    tax: TermsTax | None = None
    """The tax beside the price (None: amounts before tax, no tax line)."""

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
    legal: LegalFrame | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> CustomerTerms:
    """The customer's terms of ``doc`` as priced by ``priced`` (``price(doc)``), under the
    seller's legal frame ``legal`` (the defaults when None; its texts already in
    ``language``, see ``legal.localized_frame``) with the quote's overrides. Without
    ``valid_until`` the offer is valid for the frame's ``offer_valid_days``."""
    frame = merged_frame(legal or LegalFrame(), doc.contract.legal)
    if valid_until is None:
        valid_until = issued + dt.timedelta(days=frame.offer_valid_days)
    billed = billed_metrics(list(doc.components))
    seats = seat_counts(doc)
    if doc.tax is not None:
        seller = seller.model_copy(update={"tax_id": doc.tax.seller_tax_id or None})
        customer = customer.model_copy(update={"tax_id": doc.tax.customer_tax_id or None})
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
            one_time=y.one_time,
        )
        for y in priced.years
    ]
    ramps = []
    for ramp in doc.ramps:
        usage = {m: q for m, q in ramp.usage.items() if m in billed}
        if ramp.seats or usage:
            ramps.append(YearRamp(year=ramp.year, seats=ramp.seats, usage=usage))
    return CustomerTerms(
        language=None if language == DEFAULT_LANGUAGE else language,
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
        extra_credit_cap_per_month=doc.contract.extra_credit_cap_per_month,
        legal=frame,
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
        discounts=[_within_term(d, doc.term_months) for d in doc.discounts],
        ramps=ramps,
        estimated_usage={m: f for m, f in doc.usage_forecast.items() if m in billed},
        years=years,
        component_years=[
            TermsComponentYear(component_id=row.component_id, year=cy.year, amount=cy.amount)
            for row in priced.components
            for cy in row.years
        ],
        price_table=price_table(doc, priced),
        invoices=invoices(priced),
        total_contract_value=priced.tcv,
        list_contract_value=priced.list_tcv,
        discount_total=priced.discount_total,
        first_year_fees=priced.first_year_acv,
        change=_change(doc, priced),
        tax=_tax(doc, priced),
    )


def _tax(doc: QuoteDocument, priced: PricedQuote) -> TermsTax | None:
    from .tax import tax_breakdown

    tax = doc.tax
    if tax is None:
        return None
    breakdown = tax_breakdown(priced, tax)
    return TermsTax(
        kind=tax.kind,
        rule=tax.rule,
        rate_percent=tax.rate_percent,
        customer_country=tax.customer_country,
        customer_region=tax.customer_region,
        seller_country=tax.seller_country,
        rate_source=tax.rate_source,
        confirmed=tax.confirmed,
        table_as_of=tax.table_as_of,
        invoices=[
            TermsTaxAmount(period=i.period, subtotal=i.subtotal, tax=i.tax, total=i.total)
            for i in breakdown.invoices
        ],
        years=[
            TermsTaxAmount(year=y.year, subtotal=y.subtotal, tax=y.tax, total=y.total)
            for y in breakdown.years
        ],
        subtotal=breakdown.subtotal,
        tax=breakdown.tax,
        total=breakdown.total,
    )


def _change(doc: QuoteDocument, priced: PricedQuote) -> TermsChange | None:
    from .contracts import change_rows

    change = doc.contract_change
    if change is None:
        return None
    prorated = change.prorated_days > 0
    return TermsChange(
        kind=change.kind,
        original_order=change.original_order,
        original_version=change.original_version,
        original_start=change.original_start,
        original_end=change.original_end,
        effective=change.effective,
        prorated_from=change.effective if prorated else None,
        prorated_to=doc.start_date - dt.timedelta(days=1) if prorated else None,
        prorated_days=change.prorated_days,
        period_days=change.period_days,
        rows=[
            TermsChangeRow(
                label=r.label,
                start=r.start,
                end=r.end,
                before=r.before,
                after=r.after,
                difference=r.difference,
            )
            for r in change_rows(change, priced, doc.currency)
        ],
    )


def _whole_year_percent(
    doc: QuoteDocument, component: Component, year: int, months: int
) -> Decimal:
    """The percent discounts on ``component`` active in every month of contract ``year``
    (they add up, as the engine applies each to the undiscounted charge, up to 100 %: no
    discount takes more than the others left of a fee). None on a minimum commitment: its
    true-up is a contract amount the engine never discounts."""
    if isinstance(component, MinimumCommitment):
        return Decimal(0)
    first = doc.year_spans()[year - 1][0]
    total = Decimal(0)
    for discount in doc.discounts:
        if discount.percent is None:
            continue
        if discount.component is not None and discount.component != component.id:
            continue
        if discount.component is None and not component.recurring:
            continue
        if all(discount.active(m) for m in range(first, first + months)):
            total += discount.percent
    return min(total, Decimal(100))


NET_PRICE_PLACES: Final = 6
"""The most decimals a net unit price is printed with at an ordinary quantity: a price less
a percent is exact up to them (49.999 less 5 % is 47.49905, 0.40 less 8 % is 0.368),
rounded half up beyond (prices and percents may have 10 decimals each); the ``Rounding``
part of the line shows what the rounding leaves. A quantity large enough to make that
more than half a minor unit gets the decimals it needs (``_net``)."""


def _net(price: Decimal, percent: Decimal, quantity: Decimal | None, quantum: Decimal) -> Decimal:
    """The unit price after a whole-year percent discount, exact (never rounded to fit the
    line total: the line's ``Rounding`` part shows the difference between the quantity x
    this price and what the invoices charge), up to :data:`NET_PRICE_PLACES` decimals, or
    more when ``quantity`` x the rounding would move the line by half a minor unit or more:
    12 billion tokens at 0.001234 less 15 % are at 0.0010489 (12,586,800.00), not 0.001049
    (12,588,000.00, and a Rounding part of -1,200.00). A price less a percent has a finite
    number of decimals, so the exact price always ends the search."""
    net = price * (HUNDRED - percent) / HUNDRED
    exponent = net.normalize().as_tuple().exponent
    written = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    places = max(2, min(NET_PRICE_PLACES, written))
    rounded = net.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    while places < written and quantity and abs(quantity * (net - rounded)) * 2 >= quantum:
        places += 1
        rounded = net.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return rounded


def _yearly_price(
    component: Component, months: int, price_factor: Decimal, currency: str
) -> Decimal | None:
    """The full-year price of a fee or a seat billed yearly, in a contract year of
    ``months`` other than 12 (escalated and rounded as the engine bills it), or None: its
    invoice line is this price x months / 12 (``components._prorated``)."""
    from .components import FlatFee, Seats

    if months == 12 or not isinstance(component, FlatFee | Seats):
        return None
    if not component.billed_yearly():
        return None
    price = component.amount if isinstance(component, FlatFee) else component.price_per_seat
    usage = Usage({}, {}, price_factor=price_factor, price_places=minor_units(currency))
    return usage.escalate(price)


def price_table(doc: QuoteDocument, priced: PricedQuote) -> list[PriceLine]:
    """Each contract year: every component with its quantity, list unit price, whole-year
    discount, net unit price and amount; then each discount's amount that year. The
    component amounts less the discounts are the year's total."""
    lines: list[PriceLine] = []
    components = {c.id: c for c in doc.components}
    quantum = minor_unit(doc.currency)
    fractional = fractional_metrics(doc.usage_forecast, doc.ramps)
    for year in priced.years:
        for row in priced.components:
            component = components[row.component_id]
            whole = counts_whole(component, fractional)
            cy = row.years[year.year - 1]
            breakdown = [b for b in cy.lines if b.quantity or b.amount or len(cy.lines) == 1]
            # Usage priced per unit at no forecast stays, at 0 (est.) with its unit price:
            # left out, the price sheet had no line (and no price) for what will be billed.
            unforecast = component.usage_based and isinstance(component, PerUnit)
            if not cy.amount and not any(b.quantity for b in breakdown) and not unforecast:
                continue
            percent = _whole_year_percent(doc, component, year.year, year.months)
            estimated = component.usage_based
            # Each part as printed: its quantity as shown x its unit price, rounded half up
            # to the minor unit (or its amount alone).
            parts = _parts(component, breakdown, year.price_factor, doc.currency)
            amounts = [_part_amount(component, part, quantum, whole) for part in parts]
            yearly = _yearly_price(component, year.months, year.price_factor, doc.currency)
            if yearly is not None and len(parts) == 1 and (quantity := parts[0][1]) is not None:
                # A yearly fee or seat in a short year: the year's full price beside "7 of
                # 12 months" (its prorated price has no exact printed form: 300.41083...),
                # the line quantity x that price x months / 12, rounded as invoiced.
                label, _quantity, _prorated, exact = parts[0]
                parts = [(label, quantity, yearly, exact)]
                shown = shown_quantity(quantity, whole=whole)
                amounts = [(shown * yearly * year.months / 12).quantize(quantum, ROUND_HALF_UP)]
            rounding = cy.amount - sum(amounts, Decimal(0))
            # One line is the component's own row; credits, allowances and tiers always
            # show their parts (what is included, what is extra).
            single = len(parts) == 1 and not isinstance(
                component, Credits | AllowanceOverage | TieredComponent
            )
            price = parts[0][2] if single else None
            lines.append(
                PriceLine(
                    year=year.year,
                    kind="component",
                    component_id=component.id,
                    label=component.name,
                    quantity=parts[0][1] if single else None,
                    unit_price=price,
                    discount_percent=percent or None,
                    net_unit_price=_net(price, percent, parts[0][1], quantum)
                    if price is not None and percent
                    else None,
                    amount=cy.amount,
                    estimated=estimated,
                )
            )
            if single:
                parts = []
                amounts = []
            if rounding and not isinstance(component, MinimumCommitment):
                # Each invoice line is rounded once (a month's, a quarter's), from quantities
                # more precise than the table shows: the line as printed (its quantity x
                # unit price, or its parts) can be a few minor units off the amount
                # invoiced. (A true-up prints no quantity x price.)
                parts.append((ROUNDING, None, None, rounding))
                amounts.append(rounding)
            for (label, quantity, unit_price, _exact), part_amount in zip(
                parts, amounts, strict=True
            ):
                lines.append(
                    PriceLine(
                        year=year.year,
                        kind="detail",
                        component_id=component.id,
                        label=label,
                        quantity=quantity,
                        unit_price=unit_price,
                        discount_percent=percent or None,
                        net_unit_price=_net(unit_price, percent, quantity, quantum)
                        if percent and unit_price is not None
                        else None,
                        amount=part_amount,
                        estimated=estimated,
                    )
                )
        # Lines of no component: a co-termed change's prorated days (one-time).
        extra: dict[str, Decimal] = {}
        for period in priced.periods:
            if period.contract_year == year.year:
                for line in period.lines:
                    if line.kind == "charge" and line.component_id is None:
                        extra[line.description] = (
                            extra.get(line.description, Decimal(0)) + line.amount
                        )
        for description, amount in extra.items():
            lines.append(
                PriceLine(year=year.year, kind="component", label=description, amount=amount)
            )
        taken: dict[tuple[str, str | None], Decimal] = {}
        for period in priced.periods:
            if period.contract_year != year.year:
                continue
            for line in period.lines:
                if line.kind == "discount":
                    key = (line.description, line.component_id)
                    taken[key] = taken.get(key, Decimal(0)) + line.amount
        for (description, component_id), amount in taken.items():
            lines.append(
                PriceLine(
                    year=year.year,
                    kind="discount",
                    component_id=component_id,
                    label=description,
                    amount=amount,
                )
            )
    return lines


ROUNDING: Final = "Rounding"
"""The label of the part that makes a line's parts as printed (each quantity as shown x its
unit price, rounded to the minor unit) add up to its amount, a sum of invoice lines each
rounded once from the exact quantities."""


def is_money_quantity(component: Component, label: str) -> bool:
    """Whether a line's quantity is an amount of money (the attributed value a share is
    taken of, the transactions' value a percent is taken of): shown with the currency's
    minor unit and sign."""
    from .components import PercentOfValue, TransactionFee

    if isinstance(component, PercentOfValue):
        return label == component.name or "attributed value" in label
    if isinstance(component, TransactionFee):
        return label.endswith("% of transaction value")
    return False


def shown_quantity(
    quantity: Decimal, money_quantum: Decimal | None = None, *, whole: bool = False
) -> Decimal:
    """A quantity as the price table shows it, half up: an amount of money to the
    currency's minor unit (``money_quantum``), a count of things (``whole``:
    ``usage.counts_whole``) to a whole number, any other quantity to two decimals."""
    if money_quantum is not None:
        return quantity.quantize(money_quantum, ROUND_HALF_UP)
    return stated_quantity(quantity, whole=whole)


def _part_amount(
    component: Component,
    part: tuple[str, Decimal | None, Decimal | None, Decimal],
    quantum: Decimal,
    whole: bool,
) -> Decimal:
    """A part's amount as printed: its quantity as shown x its unit price, rounded half up
    to the minor unit; a part without both, its exact amount rounded. ``whole``: the
    component's quantities are counts (``usage.counts_whole``)."""
    label, quantity, unit_price, exact = part
    if quantity is None or unit_price is None:
        return exact.quantize(quantum, ROUND_HALF_UP)
    money = quantum if is_money_quantity(component, label) else None
    shown = shown_quantity(quantity, money, whole=whole)
    return (shown * unit_price).quantize(quantum, ROUND_HALF_UP)


FLAT_FEE_SUFFIX: Final = ": flat fee"
"""Ends the label of a tier's flat fee, printed as a part of its own (``_parts``)."""


def _parts(
    component: Component,
    breakdown: list[BreakdownLine],
    price_factor: Decimal,
    currency: str,
) -> list[tuple[str, Decimal | None, Decimal | None, Decimal]]:
    """The parts a component line lists in a year: (label, quantity, unit price, exact
    amount), each one quantity x unit price. A tier's flat fee is a part of its own (the
    months it was charged x the fee of the year, ``Tier 2 (100-1000): flat fee``), so that
    the tier's units are their quantity x their unit price; a fee that is not the same
    every month of the year (it never is not: the escalator changes it once a year) is an
    amount alone."""
    tiers = (
        {label: tier for _lower, _upper, tier, label in component.bounds()}
        if isinstance(component, TieredComponent)
        else {}
    )
    parts: list[tuple[str, Decimal | None, Decimal | None, Decimal]] = []
    for b in breakdown:
        if not b.flat_fee:
            parts.append((b.label, b.quantity, b.unit_price, b.amount))
            continue
        units = b.amount - b.flat_fee
        if b.quantity or units:
            parts.append((b.label, b.quantity, b.unit_price, units))
        tier = tiers.get(b.label.removesuffix(", all units"))
        fee = (
            Usage({}, {}, price_factor=price_factor, price_places=minor_units(currency)).escalate(
                tier.flat_fee
            )
            if tier is not None
            else Decimal(0)
        )
        months = b.flat_fee / fee if fee else None
        if months is not None and months == months.to_integral_value():
            parts.append((b.label + FLAT_FEE_SUFFIX, months, fee, b.flat_fee))
        else:
            parts.append((b.label + FLAT_FEE_SUFFIX, None, None, b.flat_fee))
    return parts


def invoices(priced: PricedQuote) -> list[Invoice]:
    """One row per billing period: what is invoiced in advance, in arrears, discounted."""
    rows = []
    for period in priced.periods:
        zero = period.total - period.total
        advance = arrears = discounts = zero
        months: dict[str, list[TermsMonthTrueUp]] = {}
        for line in period.lines:
            if line.months and line.component_id is not None:
                months[line.component_id] = [
                    TermsMonthTrueUp(
                        month=m.month, spend=m.spend, minimum=m.minimum, true_up=m.true_up
                    )
                    for m in line.months
                ]
            if line.kind == "discount":
                discounts += line.amount
            elif line.in_arrears:
                arrears += line.amount
            else:
                advance += line.amount
        rows.append(
            Invoice(
                period=period.index,
                start=period.start,
                end=period.end,
                in_advance=advance,
                in_arrears=arrears,
                discounts=discounts,
                total=period.total,
                month_true_ups=months or None,
            )
        )
    return rows


def _within_term(discount: Discount, term_months: int) -> Discount:
    """The discount as the contract can promise it: a limited run past the term's last
    month ends with the term (the engine prices the months within the term only, and a
    renewal's discount is agreed then); one that then covers the whole term is for the
    whole term."""
    if discount.months is None:
        return discount
    within = term_months - discount.start_month + 1
    if within < 1 or discount.months <= within:
        return discount
    if discount.start_month == 1:
        return discount.model_copy(update={"months": None})
    return discount.model_copy(update={"months": within})


_AUDITOR = re.compile(r"\bauditor\b", re.IGNORECASE)


class TermsIssue(_Model):
    """Something that keeps the order form from being signed, as data: the rep reads it in
    English (``terms_problems``), a draft order form prints it in its own language."""

    code: Literal[
        "auditor_missing",
        "seller_unnamed",
        "seller_signatory_missing",
        "tax_unconfirmed",
        "seller_tax_id_missing",
        "customer_incomplete",
        "jurisdiction_missing",
    ]
    component: str = ""
    """The component whose dispute terms need an auditor (``auditor_missing``)."""
    tax_kind: TaxKind | None = None
    """The tax whose rate the rep has not confirmed (``tax_unconfirmed``)."""
    customer: str = ""
    """The customer missing what its order form needs (``customer_incomplete``)."""
    gaps: tuple[str, ...] = ()
    """What it misses: keys of ``CUSTOMER_GAPS`` (``customer_incomplete``), or the legal
    frame's ``JURISDICTION_FIELDS`` that are not set (``jurisdiction_missing``)."""


def terms_issues(terms: CustomerTerms) -> list[TermsIssue]:
    """What keeps the order form from being signed (clauses that contradict each other, a
    provider without a name or without anyone to sign for it, a customer without a billing
    address or a signatory, no governing law or courts: ``legal.seller_frame``)."""
    from .components import PercentOfValue, PerOutcome

    issues = []
    unset = unset_jurisdiction(terms.legal)
    if unset:
        issues.append(TermsIssue(code="jurisdiction_missing", gaps=unset))
    if terms.tax is not None:
        if terms.tax.rate_source == "rep" and not terms.tax.confirmed:
            issues.append(TermsIssue(code="tax_unconfirmed", tax_kind=terms.tax.kind))
        if terms.tax.reverse_charge and not terms.seller.tax_id:
            issues.append(TermsIssue(code="seller_tax_id_missing"))
    if not terms.legal.independent_auditor:
        for component in terms.components:
            texts = []
            if isinstance(component, PercentOfValue):
                texts.append(component.attribution.dispute_process)
            if isinstance(component, PerOutcome):
                texts += [component.terms.audit_rights, component.terms.verification_evidence]
            if any(_AUDITOR.search(t) for t in texts):
                issues.append(TermsIssue(code="auditor_missing", component=component.name))
    if not terms.seller.display_name.strip():
        issues.append(TermsIssue(code="seller_unnamed"))
    if not terms.seller.signatory.strip():
        issues.append(TermsIssue(code="seller_signatory_missing"))
    gaps = customer_gaps(terms.customer)
    if gaps:
        issues.append(
            TermsIssue(code="customer_incomplete", customer=terms.customer.name, gaps=tuple(gaps))
        )
    return issues


def issue_text(issue: TermsIssue, terms: CustomerTerms) -> str:
    """An issue in the rep's words (English)."""
    if issue.code in ("tax_unconfirmed", "seller_tax_id_missing"):
        from .tax import missing_seller_id_problem, unconfirmed_rate_problem

        if issue.code == "seller_tax_id_missing":
            return Sentence(missing_seller_id_problem(), "terms.seller_tax_id_missing")
        kind = issue.tax_kind or "sales_tax"
        return Sentence(unconfirmed_rate_problem(kind), "terms.tax_unconfirmed", tax_kind=kind)
    if issue.code == "customer_incomplete":
        return Sentence(
            customer_gaps_sentence(terms.customer),
            "terms.customer_incomplete",
            customer=terms.customer.name,
            gaps=list(customer_gaps(terms.customer)),
        )
    if issue.code == "auditor_missing":
        return Sentence(
            f"{issue.component}: the dispute terms send disputes to an independent "
            "auditor, but none is named: name one (Settings, Legal frame, or the "
            "quote's Independent auditor) or change the dispute terms",
            "terms.auditor_missing",
            component=issue.component,
        )
    if issue.code == "jurisdiction_missing":
        return Sentence(
            jurisdiction_problem(issue.gaps), "terms.jurisdiction_missing", fields=list(issue.gaps)
        )
    if issue.code == "seller_signatory_missing":
        return Sentence(
            "no one signs for the seller: set the Signatory (and the Signatory's title) in "
            "Settings, Seller profile (the name under the seller's signature line)",
            "terms.seller_signatory_missing",
        )
    return Sentence(
        "the seller has no name: set it in Settings, Seller profile (the order form's first party)",
        "terms.seller_unnamed",
    )


def terms_problems(terms: CustomerTerms) -> list[str]:
    """What keeps the order form from being signed, in the rep's words: a final order
    form is refused while any is left; a draft lists them under "To settle before
    signature" (in the document's language)."""
    return [issue_text(issue, terms) for issue in terms_issues(terms)]


CUSTOMER_GAPS: Final = {
    "billing_address": "no billing address",
    "signatory": "no contact to sign the order form",
}
"""What a customer must have before its order form can be signed, in words: the parties
block names the customer's billing address, and the signature block the person who signs
for it (the customer's first contact)."""


def customer_gaps(party: TermsParty) -> list[str]:
    """The keys of ``CUSTOMER_GAPS`` the customer lacks (an empty list: nothing)."""
    gaps = []
    if not party.billing_address.strip() and not party.address.strip():
        gaps.append("billing_address")
    if not party.signatory.strip():
        gaps.append("signatory")
    return gaps


def customer_gaps_sentence(party: TermsParty) -> str:
    """``Contoso Legal has no billing address and no contact to sign the order form: on the
    Customers page, fill in its Billing address and add a contact (the first contact
    signs)``; empty when nothing is missing. The same sentence for the draft's "To settle
    before signature", the refused final render, Finalise and the editor's banner."""
    gaps = customer_gaps(party)
    if not gaps:
        return ""
    todo = []
    if "billing_address" in gaps:
        todo.append("fill in its Billing address")
    if "signatory" in gaps:
        todo.append("add a contact (the first contact signs)")
    missing = " and ".join(CUSTOMER_GAPS[g] for g in gaps)
    return f"{party.name} has {missing}: on the Customers page, {' and '.join(todo)}"


def terms_warnings(terms: CustomerTerms) -> list[str]:
    """Things a rep should see before sending (not contradictions)."""
    warnings = []
    if terms.start_date < terms.issued:
        warnings.append(
            f"the start date ({terms.start_date.isoformat()}) is before the issue date "
            f"({terms.issued.isoformat()}): the term would start before the order form is "
            "signed; check the start date"
        )
    if terms.valid_until is not None and terms.valid_until < terms.issued:
        warnings.append(
            f"the offer expired on {terms.valid_until.isoformat()}, before the issue date"
        )
    return warnings


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
    "Invoice",
    "TermsMonthTrueUp",
    "LegalFrame",
    "PriceLine",
    "TermsComponentYear",
    "TermsEscalation",
    "TermsParty",
    "TermsTax",
    "TermsTaxAmount",
    "TermsChange",
    "TermsChangeRow",
    "TermsIssue",
    "TermsYear",
    "billed_metrics",
    "customer_gaps",
    "customer_gaps_sentence",
    "customer_terms",
    "terms_data",
    "issue_text",
    "terms_hash",
    "terms_issues",
    "terms_json",
    "terms_problems",
    "terms_warnings",
]
