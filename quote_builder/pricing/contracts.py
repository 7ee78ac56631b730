"""Renewals, expansions and amendments of an accepted contract: pure arithmetic.

- **Renewal** (``renewal_document``): a new term starting the day after the contract ends,
  as long as its renewal term (``contract.renewal_term_months``), at the last contract
  year's prices (each escalated price as the order form printed it) raised by the renewal
  uplift (the legal frame's ``renewal_increase_percent``, else the escalator), each raised
  price rounded half up like an escalated one. The escalator, billing, payment and legal
  terms carry over; seat counts and usage are the last year's; one-time fees, ramps and
  time-limited discounts are not repeated.
- **Expansion** (``expansion_document``): what is added from a day in the term, co-termed
  (it ends when the contract ends). Its first whole month starts on the contract's next
  monthly anniversary on or after that day; the days before it are charged prorated by
  days (``ContractChange.prorated_days`` of ``period_days``, priced by the engine); its
  first contract year ends on the contract's next yearly anniversary, so its prices rise
  on the same days as the contract's; year 1 is priced at the contract's prices of the
  year it starts in.
- **Amendment** (``amendment_document``): the contract's terms from a monthly anniversary
  on, co-termed, at the prices then in force, to be changed by the rep.
- ``change_rows``: the customer's view of a renewal or an expansion against the current
  contract: before, after and the difference per year.

Dates follow the engine: a term of n months from S ends on ``last_day(S, n)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from quote_builder.errors import Sentence

from .components import (
    AllowanceOverage,
    Component,
    Credits,
    FlatFee,
    MinimumCommitment,
    OneTimeFee,
    Package,
    PerOutcome,
    PerUnit,
    Seats,
    TieredComponent,
)
from .currency import minor_units
from .document import (
    ContractChange,
    ContractYearAmount,
    QuoteDocument,
    UsageForecast,
    add_months,
    last_day,
)
from .money import HUNDRED, ONE, round_half_up
from .results import PricedQuote
from .usage import forecast_quantities, seat_counts


class ContractChangeError(ValueError):
    """A change that cannot be made (a date outside the term, nothing left to co-term)."""


def escalate_price(price: Decimal, factor: Decimal, currency: str) -> Decimal:
    """``price`` x ``factor`` rounded half up to the currency's minor unit, or to the
    decimals the price is written with when it has more: the engine's rule for an
    escalated unit price (``components.Usage.escalate``)."""
    if factor == ONE:
        return price
    exponent = price.normalize().as_tuple().exponent
    written = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    places = max(minor_units(currency), written)
    return (price * factor).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def escalated_component(component: Component, factor: Decimal, currency: str) -> Component:
    """The component with every price the escalator moves multiplied by ``factor`` and
    rounded as the engine rounds it; components the escalator leaves alone (one-time fees,
    value shares, transaction fees, commitments) unchanged."""
    if not component.escalates or factor == ONE:
        return component

    def up(price: Decimal) -> Decimal:
        return escalate_price(price, factor, currency)

    update: dict[str, Any] = {}
    if isinstance(component, FlatFee):
        update["amount"] = up(component.amount)
    elif isinstance(component, Seats):
        update["price_per_seat"] = up(component.price_per_seat)
    elif isinstance(component, PerUnit):
        update["unit_price"] = up(component.unit_price)
    elif isinstance(component, TieredComponent):
        update["tiers"] = [
            t.model_copy(update={"unit_price": up(t.unit_price), "flat_fee": up(t.flat_fee)})
            for t in component.tiers
        ]
    elif isinstance(component, Package):
        update["package_price"] = up(component.package_price)
    elif isinstance(component, AllowanceOverage):
        update["overage_unit_price"] = up(component.overage_unit_price)
    elif isinstance(component, Credits):
        if component.overage_price_per_credit is not None:
            update["overage_price_per_credit"] = up(component.overage_price_per_credit)
        if component.pack is not None:
            update["pack"] = component.pack.model_copy(update={"price": up(component.pack.price)})
    elif isinstance(component, PerOutcome):
        update["price_per_outcome"] = up(component.price_per_outcome)
    return component.model_copy(update=update) if update else component


def contract_end(doc: QuoteDocument) -> dt.date:
    return last_day(doc.start_date, doc.term_months)


def current_years(priced: PricedQuote) -> list[ContractYearAmount]:
    """The contract's years as its customer signed them (dates and amounts)."""
    return [
        ContractYearAmount(
            year=y.year,
            start=y.start,
            end=y.end,
            months=y.months,
            amount=y.revenue,
            recurring=y.revenue - y.one_time,
        )
        for y in priced.years
    ]


def _last_year_usage(doc: QuoteDocument) -> dict[str, UsageForecast]:
    """Each forecast metric at its last month's quantity (ramps and growth applied)."""
    quantities = forecast_quantities(doc)
    return {metric: UsageForecast(monthly=values[-1]) for metric, values in quantities.items()}


def _seats_as_of(
    doc: QuoteDocument, year_index: int, components: Sequence[Component]
) -> list[Component]:
    seats = seat_counts(doc)[year_index]
    return [
        c.model_copy(update={"seats": int(seats[c.id])}) if isinstance(c, Seats) else c
        for c in components
    ]


def _whole_term_discounts(doc: QuoteDocument, keep: set[str]) -> list[Any]:
    return [
        d
        for d in doc.discounts
        if d.start_month == 1 and d.months is None and (d.component is None or d.component in keep)
    ]


def _change_title(title: str, kind: str, original_order: str) -> str:
    """The title the customer reads on the proposal's cover: the contract's own title
    with what this quote does to it ("Sales platform for Initech: renewal")."""
    base = title.strip() or f"Order {original_order}"
    for earlier in (": renewal", ": expansion", ": amendment"):
        base = base.removesuffix(earlier)  # a renewal of a renewal is still "X: renewal"
    suffix = f": {kind}"
    return base[: 200 - len(suffix)] + suffix


def renewal_document(
    doc: QuoteDocument,
    priced: PricedQuote,
    *,
    original_order: str,
    original_version: int,
    uplift_percent: Decimal,
) -> QuoteDocument:
    """The renewal of ``doc`` (see the module's text)."""
    end = contract_end(doc)
    start = end + dt.timedelta(days=1)
    term = doc.contract.renewal_term_months
    last = len(priced.years) - 1
    kept = [c for c in doc.components if not isinstance(c, OneTimeFee)]
    # Last year's printed price first, then the uplift on it (two roundings, as the
    # customer reads them: "last year's price + 5 %").
    components = [
        escalated_component(
            escalated_component(c, priced.years[last].price_factor, doc.currency),
            ONE + uplift_percent / HUNDRED,
            doc.currency,
        )
        for c in _seats_as_of(doc, last, kept)
    ]
    ids = {c.id for c in components}
    return doc.model_copy(
        update={
            "quote_number": None,
            "title": _change_title(doc.title, "renewal", original_order),
            "start_date": start,
            "term_months": term,
            "first_year_months": None,
            "components": components,
            "discounts": _whole_term_discounts(doc, ids),
            "ramps": [],
            "usage_forecast": _last_year_usage(doc),
            "contract_change": ContractChange(
                kind="renewal",
                original_order=original_order,
                original_version=original_version,
                original_start=doc.start_date,
                original_end=end,
                effective=start,
                current_years=current_years(priced),
            ),
        }
    )


@dataclass(frozen=True)
class CoTerm:
    """Where a co-termed change falls in the contract (months counted from its start)."""

    effective: dt.date
    start: dt.date
    """The first whole month's first day: the contract's monthly anniversary on or after
    ``effective``."""
    months_before: int
    """Whole months of the contract before ``start``."""
    term_months: int
    first_year_months: int | None
    prorated_days: int
    period_days: int


def co_term(doc: QuoteDocument, effective: dt.date) -> CoTerm:
    """Align a change from ``effective`` to the contract: whole months from the next
    monthly anniversary to the contract's end, the days before it prorated by the days of
    the contract month they fall in, the first year ending on the next yearly
    anniversary."""
    end = contract_end(doc)
    if effective <= doc.start_date or effective > end:
        raise ContractChangeError(
            Sentence(
                f"the change must take effect after the contract starts "
                f"({doc.start_date.isoformat()}) and by its last day ({end.isoformat()})",
                "change.outside_term",
                start=doc.start_date,
                end=end,
            )
        )
    k = 1
    while add_months(doc.start_date, k) < effective:
        k += 1
    start = add_months(doc.start_date, k)
    if k >= doc.term_months:
        raise ContractChangeError(
            Sentence(
                f"less than a whole month of the contract is left after {effective.isoformat()} "
                f"(it ends on {end.isoformat()}): add it to the renewal instead",
                "change.last_month",
                effective=effective,
                end=end,
            )
        )
    previous = add_months(doc.start_date, k - 1)
    days = (start - effective).days
    return CoTerm(
        effective=effective,
        start=start,
        months_before=k,
        term_months=doc.term_months - k,
        first_year_months=(12 - k % 12) if k % 12 else None,
        prorated_days=days,
        period_days=(start - previous).days if days else 0,
    )


def _year_of_month(month: int) -> int:
    """The contract year (0-based) of a month counted from 1."""
    return (month - 1) // 12


def expansion_document(
    doc: QuoteDocument,
    priced: PricedQuote,
    *,
    original_order: str,
    original_version: int,
    effective: dt.date,
    added_seats: dict[str, int] | None = None,
) -> QuoteDocument:
    """An expansion of ``doc`` from ``effective`` (see the module's text). It starts with
    the contract's seats components (``added_seats`` of each, default 0) and what is
    charged per seat, credit or unit, at the prices of the year it starts in, with no
    usage: the rep adds seats, credits or a new component."""
    timing = co_term(doc, effective)
    year_index = _year_of_month(timing.months_before + 1)
    factor = priced.years[year_index].price_factor
    added = added_seats or {}
    components: list[Component] = []
    for c in doc.components:
        if isinstance(c, FlatFee | OneTimeFee | MinimumCommitment):
            continue
        component: Component = escalated_component(c, factor, doc.currency)
        if isinstance(component, Seats):
            component = component.model_copy(update={"seats": int(added.get(c.id, 0))})
        components.append(component)
    unknown = set(added) - {c.id for c in components if isinstance(c, Seats)}
    if unknown:
        raise ContractChangeError(
            Sentence(
                f"no seats component {sorted(unknown)[0]!r} in the contract",
                "change.no_seats_component",
                name=sorted(unknown)[0],
            )
        )
    if not components:  # only fixed fees: the rep names what is added
        components = [FlatFee(id="added", name="Added service", amount=Decimal(0))]
    metrics: set[str] = set()
    for item in components:
        metrics |= item.metrics()
    return doc.model_copy(
        update={
            "quote_number": None,
            "title": _change_title(doc.title, "expansion", original_order),
            "start_date": timing.start,
            "term_months": timing.term_months,
            "first_year_months": timing.first_year_months,
            "components": components,
            "discounts": [],
            "ramps": [],
            "usage_forecast": {
                m: UsageForecast(monthly=Decimal(0)) for m in doc.usage_forecast if m in metrics
            },
            "value": doc.value if doc.value and doc.value.metric in metrics else None,
            "usage_evidence": None,
            # The contract carries the fixed cost to serve this customer; what is added
            # costs only its variable (per unit) costs, so margins are not understated.
            "economics": doc.economics.model_copy(update={"fixed_cost_per_month": Decimal(0)}),
            "contract_change": ContractChange(
                kind="expansion",
                original_order=original_order,
                original_version=original_version,
                original_start=doc.start_date,
                original_end=contract_end(doc),
                effective=effective,
                prorated_days=timing.prorated_days,
                period_days=timing.period_days,
                current_years=current_years(priced),
            ),
        }
    )


def amendment_document(
    doc: QuoteDocument,
    priced: PricedQuote,
    *,
    original_order: str,
    original_version: int,
    effective: dt.date,
) -> QuoteDocument:
    """The contract's terms from the monthly anniversary on or after ``effective`` to its
    end, at the prices of the year that month falls in, to be changed by the rep. The
    contract's earlier months stand as signed; no days are prorated (an amendment takes
    effect on an anniversary)."""
    timing = co_term(doc, effective)
    year_index = _year_of_month(timing.months_before + 1)
    factor = priced.years[year_index].price_factor
    kept = [c for c in doc.components if not isinstance(c, OneTimeFee)]
    components = [
        escalated_component(c, factor, doc.currency) for c in _seats_as_of(doc, year_index, kept)
    ]
    ids = {c.id for c in components}
    return doc.model_copy(
        update={
            "quote_number": None,
            "title": _change_title(doc.title, "amendment", original_order),
            "start_date": timing.start,
            "term_months": timing.term_months,
            "first_year_months": timing.first_year_months,
            "components": components,
            "discounts": _whole_term_discounts(doc, ids),
            "ramps": [],
            "usage_forecast": {
                m: UsageForecast(monthly=q)
                for m, q in (
                    (m, values[timing.months_before])
                    for m, values in forecast_quantities(doc).items()
                )
            },
            "contract_change": ContractChange(
                kind="amendment",
                original_order=original_order,
                original_version=original_version,
                original_start=doc.start_date,
                original_end=contract_end(doc),
                effective=timing.start,
                current_years=current_years(priced),
            ),
        }
    )


@dataclass(frozen=True)
class ChangeRow:
    """One year of a renewal or an expansion against the current contract."""

    label: str
    start: dt.date
    end: dt.date
    before: Decimal
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


def change_rows(change: ContractChange, priced: PricedQuote, currency: str) -> list[ChangeRow]:
    """Before, after and the difference per year, in the customer's numbers.

    Renewal: each renewal year against the current contract's last year, its recurring
    amount scaled to the renewal year's months (an 8-month last year of 8,000 is 12,000 a
    year; a 12-month renewal year is compared with 12,000). Expansion: each year of the
    current contract the expansion runs in: the contract's amount, plus the expansion's
    amount that year (its first year with the prorated days)."""
    rows: list[ChangeRow] = []
    if change.kind == "renewal" and change.current_years:
        last = change.current_years[-1]
        for year in priced.years:
            before = round_half_up(last.recurring * year.months / last.months, currency)
            rows.append(ChangeRow(f"Year {year.year}", year.start, year.end, before, year.revenue))
    elif change.kind == "expansion":
        current = {y.end: y for y in change.current_years}
        for year in priced.years:
            match = current.get(year.end)
            if match is None:
                continue
            rows.append(
                ChangeRow(
                    f"Contract year {match.year}",
                    match.start,
                    match.end,
                    match.amount,
                    match.amount + year.revenue,
                )
            )
    return rows


__all__ = [
    "ChangeRow",
    "CoTerm",
    "ContractChangeError",
    "amendment_document",
    "change_rows",
    "co_term",
    "contract_end",
    "current_years",
    "escalate_price",
    "escalated_component",
    "expansion_document",
    "renewal_document",
]
