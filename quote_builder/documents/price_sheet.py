"""The price table by contract year: one customer-facing view-model for the app and the PDFs.

Every line of the quote by contract year (component, quantity and whether it is committed or
a forecast, unit, list unit price, discount, net unit price, line total), a total per year
and the total contract value. A line total is what the line costs that year, its discounts
included: the year's line totals add up to the year's total, and a buyer never reads a
price before discounts as what they pay (issue 13 §2). Each discount is taken from the lines
it applies to (``_allocate``): one on a component from that component's line, one on the
whole deal from the recurring lines in proportion to their amounts (the cents shared out by
largest remainder, so the sum is exact); each year lists which discounts its lines include. The quote editor's price table
(``ui/price_table.py``), the proposal's pricing page and the order form's price table are all
built from :class:`PriceSheet`, so the app and the PDF cannot disagree.

It is built from the customer's terms only (``pricing.terms.price_table`` lines, the
contract years and the components), never from costs: :func:`sheet_from_terms` for the
documents, :func:`sheet_from_quote` for the editor, which has a document and its pricing but
no parties. Both go through :func:`_sheet`.

Rows keep their numbers as ``Decimal`` (the editor edits and copies them as numbers); the
``*_text`` methods format them for a locale and write their words in the formatter's
language (the table's cells in English, the PDF in the document's language): a row's unit
is kept as data (:class:`Unit`), never as English words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Literal

from quote_builder.pricing import PricedQuote, QuoteDocument
from quote_builder.pricing.components import (
    Component,
    Credits,
    FlatFee,
    MeteredComponent,
    MinimumCommitment,
    OneTimeFee,
    Package,
    PercentOfValue,
    Seats,
    TransactionFee,
)
from quote_builder.pricing.currency import minor_units as minor_units_of
from quote_builder.pricing.document import Discount
from quote_builder.pricing.money import apportion, minor_unit
from quote_builder.pricing.results import MonthShortfall
from quote_builder.pricing.terms import (
    ROUNDING,
    CustomerTerms,
    PriceLine,
    is_money_quantity,
    price_table,
    shown_quantity,
)
from quote_builder.pricing.usage import counts_whole, fractional_metrics, seat_counts

from .engine_labels import discount_name, engine_label
from .formatting import Formatter
from .own_words import unit_name

RowKind = Literal["component", "detail"]
Basis = Literal["committed", "forecast", ""]
QuantityStyle = Literal["number", "money", "months", "none"]


UnitKind = Literal[
    "",
    "seats",
    "seats_for_months",
    "seats_part_year",
    "part_year",
    "once",
    "year",
    "true_up",
    "attributed",
    "attributed_above_baseline",
    "metric",
    "blocks",
]


@dataclass(frozen=True, slots=True)
class Unit:
    """What a line's quantity counts, as data: written in words by :meth:`words`."""

    kind: UnitKind = ""
    months: int = 0
    """The months of the year (a seat billed monthly, a short last year)."""
    metric: str = ""
    """The metric a usage line counts (the quote's own word for it)."""
    estimated: bool = False
    """The quantity is the estimated usage ("est.")."""
    size: Decimal = Decimal(0)
    """The units in a block of a package ("blocks of 1,000 SMS")."""

    def words(self, f: Formatter) -> str:
        metric = unit_name(self.metric, f) if self.metric else ""
        text = {
            "": "",
            "seats": f._("seats"),
            "seats_for_months": f._("seats × %(months)s", months=f.months(self.months)),
            "seats_part_year": f._("seats (%(months)s of 12 months)", months=self.months),
            "part_year": f._("%(months)s of 12 months", months=self.months),
            "once": f._("once"),
            "year": f._("1 year"),
            "true_up": f._("true-up"),
            "attributed": f._("attributed"),
            # The value a share is taken of when the share has a baseline: the value
            # attributed above it, not all that is attributed.
            "attributed_above_baseline": f._("attributed above the baseline"),
            "metric": metric,
            "blocks": f._("blocks of %(size)s %(unit)s", size=f.number(self.size), unit=metric),
        }[self.kind]
        if self.estimated:
            return f._("%(unit)s (est.)", unit=text) if text else f._("(est.)")
        return text


@dataclass(frozen=True, slots=True)
class MonthlyTrueUp:
    """A monthly minimum's true-up on an invoice of several months some of which meet it:
    the invoice's period, the commitment's name and every month (their true-ups add up to
    the invoice's true-up line)."""

    start: dt.date
    end: dt.date
    commitment: str
    months: tuple[MonthShortfall, ...]


@dataclass(frozen=True, slots=True)
class SheetYear:
    """A contract year as the sheet shows it: dates, committed seats, what it costs."""

    year: int
    start: dt.date
    end: dt.date
    months: int
    seats: dict[str, int]
    amount: Decimal
    """The year's total after discounts: the sum of its line totals."""
    discounts: tuple[tuple[str, Decimal], ...] = ()
    """The discounts its line totals include: (description, amount taken that year)."""
    saved: Decimal | None = None
    """What the customer saves that year against list prices: the discounts, less what a
    minimum commitment's true-up takes back of them (usage below the minimum)."""
    monthly_true_ups: tuple[MonthlyTrueUp, ...] = ()
    """The year's invoices that true up a monthly minimum month by month."""


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One line of a contract year."""

    year: int
    kind: RowKind
    component_id: str | None
    label: str
    quantity: Decimal | None
    """The number a seller reads and types: the committed seat count of a seats line, the
    year's estimated units of a usage line, the months of a monthly fee."""
    quantity_style: QuantityStyle
    unit: Unit
    """What the quantity counts (``seats × 12 months``, ``queries (est.)`` in words)."""
    basis: Basis
    """``committed`` (seats, fees) or ``forecast`` (usage: invoices follow actual usage)."""
    list_unit_price: Decimal | None
    """The year's list unit price as the engine bills it (escalated, rounded)."""
    price_style: Literal["money", "percent", "none", "included"]
    discount_percent: Decimal | None
    """Percent discounts applying to this line for the whole year."""
    net_unit_price: Decimal | None
    amount: Decimal | None
    """The line's amount for the year at list prices: a component line's invoice lines
    before discounts; a detail line's part of it (the parts add up to it exactly)."""
    component_kind: str = ""
    discount_amount: Decimal | None = None
    """What the discounts take from this line in the year (a positive amount; None: none).
    A detail line has its part of its component's (in proportion to the parts' amounts,
    whole minor units, adding up exactly)."""
    line_total: Decimal | None = None
    """What the line costs for the year, discounts included (``amount - discount_amount``).
    A component's detail lines add up to its line total; the component lines add up to
    the year's total."""
    net_is_exact: bool = True
    """The discount column's percent is every discount on this line for the whole year, so
    the net unit price is what each unit costs; False when a discount runs for part of the
    year or is an amount (then the discount shows as the amount taken, and no net price)."""
    whole: bool = False
    """The quantity counts things (tickets, calls, credits: ``usage.counts_whole``): shown
    as a whole number, rounded half up (an estimate of 50,015.75 tickets is 50,016), and
    multiplied as shown."""

    def priced_quantity(self, quantum: Decimal) -> Decimal | None:
        """What the unit price multiplies, as the row shows it: its quantity rounded as
        printed (``terms.shown_quantity``; an amount of money to ``quantum``, the
        currency's minor unit; a count to a whole number), times the months of ``seats ×
        12 months``, or x months / 12 of ``seats (7 of 12 months)`` (the price is the
        year's)."""
        if self.quantity is None:
            return None
        shown = self._shown(quantum if self.quantity_style == "money" else None)
        if self.unit.kind == "seats_for_months":
            return shown * self.unit.months
        if self.unit.kind == "seats_part_year":
            # A yearly seat in a short year: its full-year price x months / 12.
            return shown * self.unit.months / 12
        return shown

    def label_text(self, f: Formatter) -> str:
        """The line's name: a component's or discount's own name as written, the engine's
        labels of a charge's parts in ``f``'s language."""
        if self.kind == "detail" or self.component_id is None:
            return engine_label(self.label, f)
        return self.label

    def _shown(self, money_quantum: Decimal | None = None) -> Decimal:
        """The quantity rounded as printed (``terms.shown_quantity``)."""
        assert self.quantity is not None
        return shown_quantity(self.quantity, money_quantum, whole=self.whole)

    def quantity_text(self, f: Formatter) -> str:
        """The quantity with its unit, as the order form prints it (rounded half up as the
        parts' amounts are computed from it: ``terms.shown_quantity``)."""
        unit = self.unit.words(f)
        if self.quantity is None:
            return unit
        if self.quantity_style == "money":
            number = f.money(self._shown(minor_unit(f.currency)))
        elif self.quantity_style == "months":
            return f"{f.months(int(self.quantity))} {unit}".strip()
        else:
            number = f.number(self._shown().normalize())
        return f"{number} {unit}".strip()

    def number_text(self, f: Formatter) -> str:
        """The quantity alone (the editor's Quantity column; the unit has its own)."""
        if self.quantity is None:
            return ""
        if self.quantity_style == "money":
            return f.amount(self._shown(minor_unit(f.currency)))
        return f.number(self._shown().normalize())

    def unit_text(self, f: Formatter | None = None) -> str:
        """The unit in words (English without a formatter: the editor's Unit column)."""
        f = f or _english()
        if self.quantity_style == "months" and self.quantity is not None:
            return f._n("month", "months", int(self.quantity))
        return self.unit.words(f)

    def price_text(self, price: Decimal | None, f: Formatter) -> str:
        if price is None or self.price_style == "none":
            return ""
        if self.price_style == "percent":
            return f.discount(price * 100)
        if not price and self.kind == "detail":
            return f._("included")
        return f.price(price)

    def discount_text(self, f: Formatter) -> str:
        """``15.00%`` (the whole year's percent), or ``-1,200.00`` when the line's discount
        is not one percent for the whole year (the amount it takes that year; a detail
        line's part of its component's)."""
        if self.net_is_exact:
            return f.discount(self.discount_percent) if self.discount_percent else ""
        return f.amount(-self.discount_amount) if self.discount_amount else ""

    def net_text(self, f: Formatter) -> str:
        """The net unit price when it is what each unit costs all year (else nothing)."""
        if not self.net_is_exact:
            return ""
        return self.price_text(self.net_unit_price, f)

    def total_text(self, f: Formatter) -> str:
        """The line total; nothing on a part that costs nothing by itself (units included,
        credits drawn from packs whose price is on the packs' line)."""
        if self.line_total is None:
            return ""
        if self.kind == "detail" and not self.line_total and not self.amount:
            return ""
        return f.amount(self.line_total)


@cache
def _english() -> Formatter:
    return Formatter("USD")


@dataclass(frozen=True, slots=True)
class PriceSheet:
    currency: str
    years: tuple[SheetYear, ...]
    rows: tuple[SheetRow, ...]
    total_contract_value: Decimal
    list_contract_value: Decimal

    def rows_of(self, year: int) -> list[SheetRow]:
        return [row for row in self.rows if row.year == year]


DiscountShares = tuple[tuple[int, str, str, Decimal], ...]
"""``PricedQuote.discount_shares``: (year, discount description, component id, amount)."""


def sheet_from_terms(terms: CustomerTerms, shares: DiscountShares = ()) -> PriceSheet:
    """The sheet of the customer's terms (the proposal and the order form). ``shares``:
    what each discount takes from each component (the pricing's), by which a discount on
    the deal is shared out over the lines; without them, by the year's amounts."""
    names = {c.id: c.name for c in terms.components}
    years = [
        SheetYear(
            y.year,
            y.start,
            y.end,
            y.months,
            dict(y.seats),
            y.amount,
            saved=y.discounts,
            monthly_true_ups=tuple(
                MonthlyTrueUp(
                    i.start,
                    i.end,
                    names.get(cid, cid),
                    tuple(MonthShortfall(m.month, m.spend, m.minimum, m.true_up) for m in months),
                )
                for i in terms.invoices
                if y.start <= i.start <= y.end
                for cid, months in (i.month_true_ups or {}).items()
            ),
        )
        for y in terms.years
    ]
    return _sheet(
        terms.currency,
        years,
        terms.price_table,
        terms.components,
        terms.discounts,
        terms.total_contract_value,
        terms.list_contract_value,
        fractional_metrics(terms.estimated_usage, terms.ramps),
        shares,
    )


def sheet_from_quote(doc: QuoteDocument, priced: PricedQuote) -> PriceSheet:
    """The sheet of a document and its pricing (the editor): the same lines the customer's
    terms would hold, without building the parties, invoices and legal frame."""
    seats = seat_counts(doc)
    names = {c.id: c.name for c in doc.components}
    years = [
        SheetYear(
            y.year,
            y.start,
            y.end,
            y.months,
            {k: int(v) for k, v in seats[y.year - 1].items()},
            y.revenue,
            saved=y.discounts,
            monthly_true_ups=tuple(
                MonthlyTrueUp(p.start, p.end, names.get(line.component_id or "", ""), line.months)
                for p in priced.periods
                if p.contract_year == y.year
                for line in p.lines
                if line.months
            ),
        )
        for y in priced.years
    ]
    return _sheet(
        doc.currency,
        years,
        price_table(doc, priced),
        list(doc.components),
        list(doc.discounts),
        priced.tcv,
        priced.list_tcv,
        fractional_metrics(doc.usage_forecast, doc.ramps),
        priced.discount_shares,
    )


def _sheet(
    currency: str,
    years: Sequence[SheetYear],
    lines: Sequence[PriceLine],
    components: Sequence[Component],
    discounts: Sequence[Discount],
    tcv: Decimal,
    list_tcv: Decimal,
    fractional: frozenset[str],
    shares: DiscountShares = (),
) -> PriceSheet:
    """``fractional``: the metrics given with fractions (``usage.fractional_metrics``);
    the quantities of every other metric are counts, shown whole."""
    by_id = {c.id: c for c in components}
    by_year = {y.year: y for y in years}
    quantum = minor_unit(currency)
    rows: list[SheetRow] = []
    sheet_years = []
    first_month = 1
    for year in years:
        year_lines = [line for line in lines if line.year == year.year]
        component_lines = [line for line in year_lines if line.kind == "component"]
        months = range(first_month, first_month + year.months)
        taken, included = _allocate(
            component_lines,
            [line for line in year_lines if line.kind == "discount"],
            by_id,
            quantum,
            _whole_year_percents(discounts, months),
            {(label, cid): amount for y, label, cid, amount in shares if y == year.year},
        )
        _balance_commitments(component_lines, taken, by_id, year.months, len(included), quantum)
        parts_taken = _part_shares(year_lines, taken, quantum)
        year_rows: list[SheetRow] = []
        for line in year_lines:
            if line.kind == "discount":
                continue
            component = by_id.get(line.component_id) if line.component_id else None
            quantity, style, unit, basis = _quantity(line, component, by_year[line.year])
            off = taken.get(id(line)) if line.kind == "component" else parts_taken.get(id(line))
            year_rows.append(
                SheetRow(
                    year=line.year,
                    kind=line.kind,
                    component_id=line.component_id,
                    label=line.label,
                    quantity=quantity,
                    quantity_style=style,
                    unit=unit,
                    basis=basis,
                    list_unit_price=line.unit_price,
                    price_style=_price_style(line, component),
                    discount_percent=line.discount_percent,
                    net_unit_price=line.net_unit_price,
                    amount=line.amount,
                    component_kind=component.kind if component is not None else "",
                    discount_amount=off or None,
                    line_total=(
                        (line.amount or Decimal(0)) - (off or Decimal(0))
                        if line.amount is not None
                        else None
                    ),
                    net_is_exact=component is None
                    or not _partial_discounts(component, discounts, first_month, year.months),
                    whole=component is not None and counts_whole(component, fractional),
                )
            )
        rows.extend(_net_parts(year_rows, quantum))
        sheet_years.append(
            SheetYear(
                year.year,
                year.start,
                year.end,
                year.months,
                year.seats,
                year.amount,
                tuple(included),
                year.saved,
                year.monthly_true_ups,
            )
        )
        first_month += year.months
    return PriceSheet(currency, tuple(sheet_years), tuple(rows), tcv, list_tcv)


def _net_parts(rows: Sequence[SheetRow], quantum: Decimal) -> list[SheetRow]:
    """A year's rows, the parts of an item with a whole-year percent discount made to add
    up at their net unit prices: each part that shows one costs its quantity as shown x its
    net unit price, rounded half up; a part without one its amount less the percent; what
    the discounts leave of the item beyond that (they are taken per invoice, each rounded)
    is on a ``Rounding`` part, so that the parts still add up to the item's line total."""
    result: list[SheetRow] = []
    index = 0
    while index < len(rows):
        head = rows[index]
        end = index + 1
        while end < len(rows) and rows[end].kind == "detail":
            end += 1
        parts = list(rows[index + 1 : end])
        index = end
        percent = head.discount_percent
        if (
            head.kind != "component"
            or (not parts and head.quantity is None)
            or not head.discount_amount
            or not head.net_is_exact
            or not percent
            or head.line_total is None
        ):
            result.append(head)
            result.extend(parts)
            continue
        net_parts = []
        if head.quantity is not None:
            # A single line (its parts are only its rounding): its own quantity x net unit
            # price, and what the discounts leave beyond it on the rounding part.
            own = (
                _net_amount(head, quantum)
                if head.net_unit_price is not None and head.price_style in ("money", "percent")
                else head.line_total
            )
            parts = [part for part in parts if part.label == ROUNDING]
            left = head.line_total - own
            if left and not parts:
                parts = [_rounding_row(head)]
            result.append(head)
            result.extend(
                replace(
                    part,
                    discount_percent=None,
                    discount_amount=((part.amount or Decimal(0)) - left) or None,
                    line_total=left,
                )
                for part in parts
            )
            continue
        for part in parts:
            amount = part.amount or Decimal(0)
            if part.label == ROUNDING:
                net = Decimal(0)
            elif (
                part.quantity is not None
                and part.net_unit_price is not None
                and part.price_style in ("money", "percent")
            ):
                net = _net_amount(part, quantum)
            else:
                net = (amount * (100 - percent) / 100).quantize(quantum, ROUND_HALF_UP)
            net_parts.append(net)
        left = head.line_total - sum(net_parts, Decimal(0))
        rounding = [i for i, part in enumerate(parts) if part.label == ROUNDING]
        if left and not rounding:
            parts.append(_rounding_row(parts[-1]))
            net_parts.append(Decimal(0))
            rounding = [len(parts) - 1]
        if rounding:
            net_parts[rounding[0]] += left
        result.append(head)
        for part, net in zip(parts, net_parts, strict=True):
            amount = part.amount or Decimal(0)
            result.append(
                replace(
                    part,
                    discount_percent=None if part.label == ROUNDING else part.discount_percent,
                    discount_amount=(amount - net) or None,
                    line_total=net,
                )
            )
    return result


def _net_amount(row: SheetRow, quantum: Decimal) -> Decimal:
    """A row's quantity as shown x its net unit price, rounded half up to ``quantum``."""
    quantity = row.priced_quantity(quantum)
    assert quantity is not None and row.net_unit_price is not None
    return (quantity * row.net_unit_price).quantize(quantum, ROUND_HALF_UP)


def _rounding_row(like: SheetRow) -> SheetRow:
    """A ``Rounding`` part of ``like``'s item (nothing at list prices)."""
    return replace(
        like,
        kind="detail",
        label=ROUNDING,
        quantity=None,
        quantity_style="none",
        unit=Unit(),
        list_unit_price=None,
        discount_percent=None,
        net_unit_price=None,
        amount=Decimal(0),
        discount_amount=None,
        line_total=Decimal(0),
    )


def _applies(discount: Discount, component: Component) -> bool:
    """Whether ``discount`` is taken from ``component``'s line (the engine's rule: one on
    the component, or one on the deal for a recurring component)."""
    if discount.component is not None:
        return discount.component == component.id
    return component.recurring and not isinstance(component, MinimumCommitment)


def _partial_discounts(
    component: Component, discounts: Sequence[Discount], first: int, months: int
) -> bool:
    """A discount on this line runs for only part of the year, or is an amount: no single
    percent (nor net unit price) says what the year costs."""
    for discount in discounts:
        if not _applies(discount, component):
            continue
        active = [discount.active(m) for m in range(first, first + months)]
        if any(active) and (discount.percent is None or not all(active)):
            return True
    return False


def _allocate(
    component_lines: Sequence[PriceLine],
    discount_lines: Sequence[PriceLine],
    by_id: dict[str, Component],
    quantum: Decimal,
    whole_year: dict[str, Decimal] | None = None,
    shares: dict[tuple[str, str], Decimal] | None = None,
) -> tuple[dict[int, Decimal], list[tuple[str, Decimal]]]:
    """What each discount takes from each component line in a year (by ``id`` of the
    line), and the discounts with their amounts. A discount on a component comes from its
    line; one on the whole deal from the recurring lines in proportion to their amounts, in
    whole minor units, the left-over units to the largest remainders: the shares add up
    to the discount exactly, so the line totals add up to the year's total. ``whole_year``:
    the deal's percent discounts active all year, by description. ``shares``: what each
    discount (by description) takes from each component that year, exact: a discount on
    the deal for part of the year, or an amount, is shared in proportion to them (a 20 %
    launch discount in the first 4 months of usage that grows takes less of the usage than
    its share of the year's amount)."""
    whole_year = whole_year or {}
    shares = shares or {}
    taken: dict[int, Decimal] = {}
    included: list[tuple[str, Decimal]] = []
    for discount in discount_lines:
        off = -(discount.amount or Decimal(0))
        if not off:
            continue
        included.append((discount.label, off))
        own = [line for line in component_lines if line.component_id == discount.component_id]
        if discount.component_id is not None and own:
            taken[id(own[0])] = taken.get(id(own[0]), Decimal(0)) + off
            continue
        pool = [
            line
            for line in component_lines
            if line.amount
            and line.amount > 0
            and line.component_id in by_id
            and by_id[line.component_id].recurring
            and not isinstance(by_id[line.component_id], MinimumCommitment)
        ] or [line for line in component_lines if line.amount and line.amount > 0]
        if not pool:
            continue
        amounts = [line.amount or Decimal(0) for line in pool]
        percent = whole_year.get(discount.label)
        # A percent for the whole year takes that percent of each line; the minor units the
        # invoices' rounding leaves over go to the largest remainders, so a fixed fee keeps
        # its exact discount (12 x 1,500 at 15 % is 2,700.00, not 2,699.99).
        weights = [
            shares.get((discount.label, line.component_id or ""), Decimal(0)) for line in pool
        ]
        if percent is not None and any(
            weight < amount * percent / 100 - quantum * 12
            for weight, amount in zip(weights, amounts, strict=True)
        ):
            # Discounts above all of a fee (60 % off the calls, then 40.01 % off the deal)
            # took less than the percent of it: share as they took.
            percent = None
        committed = _committed_ids(by_id)
        parts = (
            apportion([amount * percent / 100 for amount in amounts], off, quantum)
            if percent is not None
            else _taken_shares(
                off,
                weights,
                quantum,
                [
                    2
                    if line.component_id in committed
                    else int(by_id[line.component_id].usage_based)
                    if line.component_id in by_id
                    else 0
                    for line in pool
                ],
            )
            if any(weights)
            else _shares(off, amounts, quantum)
        )
        for line, share in zip(pool, parts, strict=True):
            taken[id(line)] = taken.get(id(line), Decimal(0)) + share
    return taken, included


def _whole_year_percents(discounts: Sequence[Discount], months: range) -> dict[str, Decimal]:
    """The deal's percent discounts active all year, by description (the name a discount
    line of the terms carries). A description two deal-wide discounts share names neither:
    a discount line of that name may be either (a launch discount for one month, called
    "Discount" like the deal's 30.9 % for the whole year, must not be shared out as 30.9 %
    of each line: that gave a platform fee of 49,532.76 a discount of 178,338.31)."""
    names = [d.description for d in discounts if d.component is None]
    return {
        d.description: d.percent
        for d in discounts
        if d.component is None
        and d.percent is not None
        and all(d.active(m) for m in months)
        and names.count(d.description) == 1
    }


def _balance_commitments(
    component_lines: Sequence[PriceLine],
    taken: dict[int, Decimal],
    by_id: dict[str, Component],
    months: int,
    discounts: int,
    quantum: Decimal,
) -> None:
    """Share out a deal-wide discount as the engine tops up a minimum commitment: the fees
    it does not count keep their own discount, the ones it counts the rest, so that their
    line totals and the true-up add up to the year's minimum (50,000.00, never 49,999.99
    after sharing a discount by the year's amounts instead of by invoice; a monthly
    minimum's twelve months when they all fall short). Only the cents each invoice's
    rounding leaves (``discounts`` lines an invoice, ``months`` invoices at most) move, from
    one line's share to another's: the year's total stays."""
    for line in component_lines:
        commitment = by_id.get(line.component_id or "")
        if not isinstance(commitment, MinimumCommitment):
            continue
        if not line.amount:
            continue
        counted = (
            set(commitment.applies_to)
            if commitment.applies_to is not None
            else {c.id for c in by_id.values() if c.usage_based}
        )
        mine = [other for other in component_lines if other.component_id in counted]
        others = [
            other
            for other in component_lines
            if other.component_id not in counted and taken.get(id(other))
        ]
        if not mine or not others:
            continue
        yearly = commitment.amount * months / 12 if commitment.period == "year" else None
        minimum = (yearly or commitment.amount * months).quantize(quantum, ROUND_HALF_UP)
        billed = sum(
            ((other.amount or Decimal(0)) - taken.get(id(other), Decimal(0)) for other in mine),
            Decimal(0),
        )
        extra = billed + line.amount - minimum
        if not extra or abs(extra) > quantum * months * discounts:
            continue  # nothing to move, or not a rounding: leave the shares alone
        giver = max(mine, key=lambda other: taken.get(id(other), Decimal(0)))
        taker = max(others, key=lambda other: taken.get(id(other), Decimal(0)))
        if taken.get(id(giver), Decimal(0)) + extra < 0 or taken[id(taker)] - extra < 0:
            continue
        taken[id(giver)] = taken.get(id(giver), Decimal(0)) + extra
        taken[id(taker)] -= extra


def _committed_ids(by_id: dict[str, Component]) -> set[str]:
    """The components a minimum commitment counts (its own list, else the usage-based)."""
    ids: set[str] = set()
    for component in by_id.values():
        if isinstance(component, MinimumCommitment):
            ids |= (
                set(component.applies_to)
                if component.applies_to is not None
                else {c.id for c in by_id.values() if c.usage_based}
            )
    return ids


def _taken_shares(
    total: Decimal,
    taken: Sequence[Decimal],
    quantum: Decimal,
    ranks: Sequence[int] = (),
) -> list[Decimal]:
    """``total`` (what the invoices took) shared as ``taken`` (what the discount took from
    each line, exact): each line its own amount rounded half up to the minor unit (4 x
    159.998 = 639.99 off a platform fee, as a buyer works it out), the cents the invoices'
    rounding leaves to the line that took the most among those ranked first (``ranks``:
    2 for a line a minimum commitment counts, whose true-up tops it up as the engine does,
    1 for usage, whose line has a Rounding part anyway). When the invoices
    took much less (a discount limited so that no invoice goes below zero), in proportion
    to ``taken``."""
    shares = [part.quantize(quantum, ROUND_HALF_UP) for part in taken]
    left = total - sum(shares, Decimal(0))
    ranked = list(ranks) or [0] * len(taken)
    largest = max(range(len(taken)), key=lambda i: (bool(taken[i]), ranked[i], taken[i]))
    if abs(left) > quantum * 12 * len(taken) or shares[largest] + left < 0:
        return _shares(total, taken, quantum)
    shares[largest] += left
    return shares


def _shares(total: Decimal, weights: Sequence[Decimal], quantum: Decimal) -> list[Decimal]:
    """``total`` split in proportion to ``weights`` in whole ``quantum`` units, the units
    left over going to the largest remainders (ties: the first): they sum to ``total``."""
    whole = sum(weights, Decimal(0))
    if not whole:
        return [Decimal(0) for _ in weights]
    return apportion([total * w / whole for w in weights], total, quantum)


def _part_shares(
    year_lines: Sequence[PriceLine], taken: dict[int, Decimal], quantum: Decimal
) -> dict[int, Decimal]:
    """What a component's discount takes from each of its detail lines (by ``id``): its
    share in proportion to the parts' amounts, so that the parts' totals add up to the
    component's line total exactly."""
    shares: dict[int, Decimal] = {}
    parts: list[PriceLine] = []
    owner: PriceLine | None = None

    def share_out() -> None:
        off = taken.get(id(owner)) if owner is not None else None
        if off and parts:
            amounts = [part.amount or Decimal(0) for part in parts]
            for part, share in zip(parts, _shares(off, amounts, quantum), strict=True):
                shares[id(part)] = share

    for line in year_lines:
        if line.kind == "detail":
            parts.append(line)
            continue
        share_out()
        # A line with its own quantity has no parts to share with: only its rounding.
        own = line.kind == "component" and line.quantity is None
        owner, parts = (line if own else None), []
    share_out()
    return shares


def _quantity(
    line: PriceLine, component: Component | None, year: SheetYear
) -> tuple[Decimal | None, QuantityStyle, Unit, Basis]:
    """(quantity, how it is written, unit, basis) of a line."""
    estimated: Basis = "forecast" if line.estimated else "committed"
    if isinstance(component, Seats) and line.kind == "component":
        count = Decimal(year.seats.get(component.id, component.seats))
        if component.interval == "month":
            return count, "number", Unit("seats_for_months", months=year.months), "committed"
        if year.months != 12:
            return count, "number", Unit("seats_part_year", months=year.months), "committed"
        return count, "number", Unit("seats"), "committed"
    if line.quantity is None:
        return None, "none", Unit(), estimated if line.kind == "component" else ""
    if isinstance(component, FlatFee | OneTimeFee):
        if isinstance(component, FlatFee) and component.interval == "month":
            return line.quantity, "months", Unit(), "committed"
        if isinstance(component, FlatFee) and year.months != 12:
            return None, "none", Unit("part_year", months=year.months), "committed"
        return (
            None,
            "none",
            Unit("once" if isinstance(component, OneTimeFee) else "year"),
            ("committed"),
        )
    if isinstance(component, MinimumCommitment):
        return None, "none", Unit("true_up", estimated=True), "forecast"
    if isinstance(component, PercentOfValue):
        if line.kind == "component" or is_money_quantity(component, line.label):
            kind: UnitKind = "attributed_above_baseline" if component.baseline else "attributed"
            return line.quantity, "money", Unit(kind, estimated=True), "forecast"
        return line.quantity, "months", Unit(estimated=True), "forecast"
    if isinstance(component, TransactionFee) and is_money_quantity(component, line.label):
        unit = Unit("metric", metric=component.metric, estimated=line.estimated)
        return line.quantity, "money", unit, estimated
    if isinstance(component, Package) and line.kind == "component":
        # The quantity counts blocks (60 blocks of 1,000 SMS at 7.500 each), not SMS.
        unit = Unit(
            "blocks", metric=component.metric, estimated=line.estimated, size=component.package_size
        )
        return line.quantity, "number", unit, estimated
    metric = ""
    if isinstance(component, MeteredComponent) and line.kind == "component":
        metric = component.metric
    unit = Unit("metric" if metric else "", metric=metric, estimated=line.estimated)
    return line.quantity, "number", unit, estimated


def _price_style(
    line: PriceLine, component: Component | None
) -> Literal["money", "percent", "none", "included"]:
    """How a line's unit price is written. An adjustment (raised to a floor or a minimum,
    limited to a cap or a maximum) has an amount but no unit price of its own; credits
    drawn from packs have theirs on the packs' line (they are not "included")."""
    if isinstance(component, PercentOfValue):
        if line.kind == "component" or is_money_quantity(component, line.label):
            return "percent"
        return "none"
    if isinstance(component, TransactionFee):
        if is_money_quantity(component, line.label):
            return "percent"
        if line.label.startswith(("Raised to the", "Limited to the")):
            return "none"
    if isinstance(component, Credits) and line.label == "Credits used from packs":
        return "none"
    if isinstance(component, MinimumCommitment):
        return "none"
    return "money"


# --- the documents' table ----------------------------------------------------------------


def sheet_table(sheet: PriceSheet, f: Formatter) -> list[dict[str, object]]:
    """The sheet as the templates read it: each year's rows as formatted text, its total
    and the discounts its line totals include."""
    years = []
    for year in sheet.years:
        rows = []
        for row in sheet.rows_of(year.year):
            rows.append(
                {
                    "kind": row.kind,
                    "label": row.label_text(f),
                    "quantity": row.quantity_text(f),
                    "unit_price": row.price_text(row.list_unit_price, f),
                    "discount": row.discount_text(f),
                    "net_unit_price": row.net_text(f),
                    "line_total": row.total_text(f),
                }
            )
        years.append(
            {
                "year": str(year.year),
                "caption": f._(
                    "Year %(year)s: %(start)s to %(end)s",
                    year=year.year,
                    start=f.date(year.start),
                    end=f.date(year.end),
                ),
                "total_label": f._("Year %(year)s total", year=year.year),
                "has_discount": any(row["discount"] for row in rows),
                "rows": rows,
                "total": f.amount(year.amount),
                "discounts_included": discounts_included(year, f),
                "taken_back": taken_back(year, f),
                "monthly_true_ups": monthly_true_ups(year, f),
            }
        )
    return years


def monthly_true_ups(year: SheetYear, f: Formatter) -> str:
    """The sentences stating, for each invoice of the year that trues up a monthly minimum
    month by month, every month's spend against the minimum and its true-up: the months'
    true-ups add up to the invoice's true-up (empty: no such invoice)."""
    sentences = []
    for invoice in year.monthly_true_ups:
        months = f._("; ").join(
            f._(
                "%(month)s %(spend)s, true-up %(true_up)s",
                month=f.month(m.month),
                spend=f.amount(m.spend),
                true_up=f.amount(m.true_up),
            )
            if m.true_up
            else f._("%(month)s %(spend)s, met", month=f.month(m.month), spend=f.amount(m.spend))
            for m in invoice.months
        )
        minimums = {m.minimum for m in invoice.months}
        sentences.append(
            f._(
                "Invoice for %(period)s: %(commitment)s is trued up month by month, each "
                "month's spend after discounts against %(minimum)s: %(months)s; true-up "
                "%(total)s.",
                period=f.date_range(invoice.start, invoice.end),
                commitment=invoice.commitment,
                minimum=f.amount(max(minimums)),
                months=months,
                total=f.amount(sum((m.true_up for m in invoice.months), Decimal(0))),
            )
        )
    return " ".join(sentences)


def year_discount_note(year: SheetYear, f: Formatter) -> str:
    """What the app's price table says under a year whose true-up takes back discounts or
    trues up a monthly minimum month by month: the documents' sentences under that year's
    table (empty when there are none)."""
    back = taken_back(year, f)
    note = f"{discounts_included(year, f)} {back}" if back else ""
    months = monthly_true_ups(year, f)
    return f"{note} {months}" if note and months else note or months


def discounts_included(year: SheetYear, f: Formatter) -> str:
    """The sentence naming the discounts a year's line totals include (empty: none)."""
    if not year.discounts:
        return ""
    return f._(
        "Discounts taken in these line totals: %(discounts)s.",
        discounts=f._("; ").join(
            f"{discount_name(label, f)} {f.amount(amount)}" for label, amount in year.discounts
        ),
    )


def taken_back(year: SheetYear, f: Formatter) -> str:
    """The sentence saying what a minimum commitment's true-up takes back of the year's
    discounts (usage below the minimum), and what the customer then saves against list
    prices: the figure of the proposal's schedule by contract year. Empty when it takes
    nothing back."""
    if year.saved is None or not year.discounts:
        return ""
    taken = sum((amount for _label, amount in year.discounts), Decimal(0))
    back = taken - year.saved
    if back <= 0:
        return ""
    return f._(
        "The true-up to the minimum commitment takes back %(back)s of these discounts: "
        "against list prices you save %(saved)s in year %(year)s.",
        back=f.amount(back),
        saved=f.amount(year.saved),
        year=year.year,
    )


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _rounded_count(row: SheetRow) -> bool:
    """A count printed whole that the estimate holds with a fraction (50,015.75 tickets
    printed 50,016)."""
    return (
        row.quantity is not None
        and row.quantity_style == "number"
        and row.quantity != row.quantity.to_integral_value()
    )


def sheet_notes(sheet: PriceSheet, f: Formatter) -> dict[str, object]:
    """What the sentences above a price table explain: only what the table shows.

    ``discounts``, ``estimates``: whether any line has a discount, an estimated quantity.
    ``parts``: the sentence saying that the parts under an item add up to its line total
    (when an item has parts). ``precision``: the sentence saying that a unit price printed
    with more decimals than the currency's minor unit is exact as printed, when one is (a
    price written with them, a net unit price: 0.42 less 15 % is 0.357), so that the table
    never contradicts "rounded to the cent"."""
    digits = minor_units_of(sheet.currency)
    prices = [
        row.list_unit_price
        for row in sheet.rows
        if row.price_style == "money" and row.list_unit_price is not None
    ] + [
        row.net_unit_price
        for row in sheet.rows
        if row.price_style == "money" and row.net_is_exact and row.net_unit_price is not None
    ]
    precise = any(_decimals(price) > digits for price in prices)
    if not precise:
        precision = ""
    elif digits == 0:
        precision = f._(
            "A unit price printed with decimals is exact as printed: a list price written "
            "with them, or a net unit price (the list unit price less the discount). Line "
            "totals are rounded to the whole unit of the currency."
        )
    elif digits == 2:
        precision = f._(
            "A unit price printed with more than two decimals is exact as printed, not "
            "rounded to the cent: a list price written with them, or a net unit price (the "
            "list unit price less the discount). Line totals are rounded to the cent."
        )
    else:
        precision = f._(
            "A unit price printed with more decimals than the smallest unit of the currency "
            "is exact as printed: a list price written with them, or a net unit price (the "
            "list unit price less the discount). Line totals are rounded to the smallest unit "
            "of the currency."
        )
    rounded = any(
        row.net_unit_price is not None
        and row.list_unit_price is not None
        and row.discount_percent
        and row.net_unit_price != row.list_unit_price * (100 - row.discount_percent) / 100
        for row in sheet.rows
        if row.price_style == "money" and row.net_is_exact
    )
    if rounded:
        # terms.NET_PRICE_PLACES: a price and a percent with many decimals each.
        precision = (precision + " " if precision else "") + f._(
            "A net unit price with more than six decimals is rounded to six, or to more where "
            "a large quantity needs them to keep its line within half of the smallest unit "
            "of the currency; the Rounding part of its item shows the difference."
        )
    has_parts = any(row.kind == "detail" for row in sheet.rows)
    parts = (
        f._(
            "The parts indented under an item (what is included, what is extra, an "
            "adjustment) add up to its line total."
        )
        if has_parts
        else ""
    )
    if any(row.kind == "detail" and row.label == ROUNDING and row.line_total for row in sheet.rows):
        # The buyer multiplies the quantity by the net unit price and finds a few cents more
        # or less than the line total: say where they went.
        parts += " " + (
            f._(
                "A Rounding part is what rounding each invoice leaves: an invoice's charges "
                "and discounts are each rounded to the cent, so an item can cost a few cents "
                "more or less than its quantity times its net unit price."
            )
            if digits == 2
            else f._(
                "A Rounding part is what rounding each invoice leaves: an invoice's charges "
                "and discounts are each rounded to the smallest unit of the currency, so an "
                "item can cost slightly more or less than its quantity times its net unit "
                "price."
            )
        )
        if any(row.whole and _rounded_count(row) for row in sheet.rows):
            # 50,015.75 tickets (a forecast growing each month) printed as 50,016: the
            # estimated invoices keep the fraction, and the Rounding part its price.
            parts += " " + f._(
                "An estimated count is printed as a whole number, rounded half up; a "
                "forecast that grows each month estimates a fraction of a unit, which the "
                "estimated invoices keep, so the Rounding part also holds that fraction's "
                "price."
            )
    return {
        "discounts": any(row.discount_amount or row.discount_percent for row in sheet.rows),
        "estimates": any(row.basis == "forecast" for row in sheet.rows),
        "parts": parts,
        "precision": precision,
    }


__all__ = [
    "PriceSheet",
    "SheetRow",
    "SheetYear",
    "Unit",
    "sheet_from_quote",
    "sheet_from_terms",
    "sheet_notes",
    "sheet_table",
    "year_discount_note",
]
