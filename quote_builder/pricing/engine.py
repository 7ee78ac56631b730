"""``price(document) -> PricedQuote``: the one pricing engine.

How a deal is priced, month by month (all amounts unrounded until an invoice line is made):

1. Each contract month gets its metered quantities (the forecast, or the latest ramp's
   override) and seat counts (the component's, or the latest ramp's).
2. Every component prices the month. Prices of escalating components are multiplied by
   ``(1 + escalator)^(year - 1)``: the escalator compounds from contract year 2, and each
   escalated price is rounded half up to the currency's minor unit (or to the decimals
   the price was written with, when more), the unit price the order form prints. A yearly
   fee is charged in the first month of its contract year, prorated in a short last year.
3. Discounts take a percent of, or an amount off, the month's eligible charges: one
   component's, or for a deal-wide discount every recurring charge (not one-time fees and
   not true-ups). For discounting, a yearly fee counts as spread evenly over the months of
   its contract year (amount / months in that year each month); what a discount takes
   from it is invoiced with it, in the period of the year's first month. In the
   discounts' order, each takes no more of a component than the earlier ones left of it.
4. Minimum commitments add the spend of the components they apply to after discounts
   (component discounts, and each deal-wide discount's pro-rata share) and, at the end of
   each window (month or contract year), true up the shortfall; once the invoice lines are
   rounded (step 6), the true-up tops up what they bill, so a window bills its minimum to
   the cent (``_billed_true_up``).
5. COGS per month: quantity x unit cost x cost levers x the yearly cost decline, plus the
   fixed cost to serve.
6. Months are grouped into billing periods (1, 3 or 12 months from the start date; a
   period never crosses a contract year). Each component's period amount becomes one
   invoice line, rounded half-up once; each discount becomes one line, limited so that no
   total goes below zero. Totals are sums of rounded lines, in the currency's minor unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from .components import TRUE_UP_LABEL, BreakdownLine, Component, MinimumCommitment, Usage
from .currency import minor_units
from .document import BILLING_MONTHS, QuoteDocument, add_months, last_day, year_spans
from .fx import to_seller_currency
from .guardrails import check_quote
from .money import HUNDRED, ONE, ZERO, minor_unit, round_half_up
from .playbook import MODEL_PROFILES
from .results import (
    BillingPeriod,
    ComponentBreakdown,
    ComponentYear,
    ContractYear,
    Escalation,
    InvoiceLine,
    LineKind,
    MonthShortfall,
    PricedQuote,
)
from .usage import UsagePlan, usage_plan
from .value import value_summary

_PCT = Decimal("0.01")
_TENTH = Decimal("0.1")
_QTY = Decimal("0.01")


@dataclass(slots=True)
class _Window:
    """The windows of one minimum commitment whose true-ups one invoice line bills: a
    contract year, or the months of one billing period (a monthly commitment)."""

    first_period: int
    amount: Decimal = ZERO
    """The minimum over these windows (exact: a short year's is prorated)."""
    spend: Decimal = ZERO
    """The exact spend that counts toward it, after discounts."""
    all_short: bool = True
    """Every window fell short of its minimum (so one shortfall covers them all)."""
    list_spend: Decimal = ZERO
    """The exact spend at list prices (no discount)."""
    all_list_short: bool = True
    """Every window fell short of its minimum at list prices."""


@dataclass(frozen=True, slots=True)
class _PeriodSpan:
    index: int
    year: int
    first_month: int
    months: int


def billing_spans(
    term_months: int, step: int, first_year_months: int | None = None
) -> list[_PeriodSpan]:
    """Billing periods as runs of months; a period never crosses a contract year."""
    spans: list[_PeriodSpan] = []
    for year, (first, months) in enumerate(year_spans(term_months, first_year_months), 1):
        month, year_end = first, first + months - 1
        while month <= year_end:
            length = min(step, year_end - month + 1)
            spans.append(_PeriodSpan(len(spans) + 1, year, month, length))
            month += length
    return spans


class _Breakdown:
    """Sums breakdown lines by label for one component in one contract year. Where a
    line's unit price changed during the year (a floor or cap adjustment, a ramp), the
    frozen line shows the average, so quantity x unit price = amount still holds."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        # label -> [quantity, unit price, flat fee, amount, unit price varied]
        self.lines: dict[str, list[Any]] = {}

    def add(self, lines: Sequence[BreakdownLine]) -> None:
        for line in lines:
            slot = self.lines.get(line.label)
            if slot is None:
                self.lines[line.label] = [
                    line.quantity,
                    line.unit_price,
                    line.flat_fee,
                    line.amount,
                    False,
                ]
            else:
                slot[0] += line.quantity
                if slot[1] != line.unit_price:
                    slot[4] = True
                slot[2] += line.flat_fee
                slot[3] += line.amount

    def freeze(self) -> tuple[BreakdownLine, ...]:
        frozen = []
        for label, (q, p, f, a, varied) in self.lines.items():
            if varied and q:
                p = (a - f) / q
            frozen.append(BreakdownLine(label, q, p, f, a))
        return tuple(frozen)


def price(doc: QuoteDocument) -> PricedQuote:
    """Price ``doc``: billing schedule, contract years, totals, breakdown and warnings."""
    # 60 significant digits: every product of bounded inputs (amounts and quantities below
    # 10^12 with at most 10 decimals, escalated for 10 years) is exact, so the only
    # rounding is the one per invoice line.
    with localcontext(prec=60):
        plan = usage_plan(doc)
        priced = _price_schedule(doc, plan)
        priced = replace(priced, value=value_summary(doc, priced, plan))
        return replace(priced, warnings=tuple(check_quote(doc, priced, plan)))


def price_schedule(doc: QuoteDocument, plan: UsagePlan) -> PricedQuote:
    """The billing schedule and totals for given monthly quantities and seats (``plan``)
    instead of the document's forecast: what a usage log would have cost. No value
    summary and no warnings (they speak about the forecast)."""
    with localcontext(prec=60):
        return _price_schedule(doc, plan)


def _price_schedule(doc: QuoteDocument, plan: UsagePlan) -> PricedQuote:
    currency = doc.currency
    quantum = minor_unit(currency)
    # Costs are in the seller's currency (the quote's own without an exchange rate).
    fx = doc.exchange_rate
    cost_quantum = minor_unit(fx.seller_currency) if fx is not None else quantum
    # Escalated unit prices are rounded to the currency's minor unit (a price written with
    # more decimals keeps them): the order form prints each year's unit price, and the
    # bill must be that price x quantity, not an unrounded product.
    price_places = minor_units(currency)
    term = doc.term_months
    n_years = len(plan.price_factors)
    quantities = plan.quantities
    seats_by_year = plan.seats_by_year
    prices = plan.price_factors
    costs = plan.cost_factors
    econ = doc.economics
    unit_costs = [(m, c) for m, c in econ.unit_costs.items() if m in quantities]

    regular = [c for c in doc.components if not isinstance(c, MinimumCommitment)]
    commitments = [c for c in doc.components if isinstance(c, MinimumCommitment)]
    commitments_by_id = {c.id: c for c in commitments}
    one_time_ids = {c.id for c in doc.components if not c.recurring}
    recurring_ids = [c.id for c in regular if c.recurring]
    yearly_ids = {c.id for c in regular if c.billed_yearly()}
    committed_to: dict[str, list[str]] = {
        c.id: c.applies_to if c.applies_to is not None else [r.id for r in regular if r.usage_based]
        for c in commitments
    }
    committed_sets = {cid: set(ids) for cid, ids in committed_to.items()}
    # The exact discount on each commitment's components: (commitment, period, discount).
    committed_off: dict[tuple[str, int, int], Decimal] = defaultdict(Decimal)
    # The windows each true-up line bills: (commitment, period of the line) -> _Window.
    windows: dict[tuple[str, int], _Window] = {}
    # What each discount takes from each component by (year, description, component).
    year_shares: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    # Each month of a monthly commitment by (commitment, period): (month, exact spend after
    # discounts, exact spend at list prices, minimum).
    month_spends: dict[tuple[str, int], list[tuple[int, Decimal, Decimal, Decimal]]] = defaultdict(
        list
    )
    discounts = list(enumerate(doc.discounts))

    line_meta = [(c.id, *_line_meta(c)) for c in doc.components]
    spans = billing_spans(term, BILLING_MONTHS[doc.billing_frequency], doc.first_year_months)
    # Each month's contract year, month of that year and the year's length in months.
    calendar = [
        (year, offset, months)
        for year, (_first, months) in enumerate(doc.year_spans(), 1)
        for offset in range(1, months + 1)
    ]
    span_of_month = [0] * (term + 1)
    for span in spans:
        for m in range(span.first_month, span.first_month + span.months):
            span_of_month[m] = span.index

    # Per billing period: unrounded sums by component and by discount; which lines exist.
    charge_sums: list[dict[str, Decimal]] = [defaultdict(Decimal) for _ in range(len(spans) + 1)]
    charged: list[set[str]] = [set() for _ in range(len(spans) + 1)]
    discount_sums: list[dict[int, Decimal]] = [defaultdict(Decimal) for _ in range(len(spans) + 1)]
    cogs_sums = [ZERO] * (len(spans) + 1)
    breakdowns = {(c.id, y): _Breakdown() for c in doc.components for y in range(1, n_years + 1)}
    # The hot loop's view of each component: (id, charge, escalates, carries state).
    pricing_steps = [(c.id, c.charge, c.escalates, c.stateful) for c in regular]
    # Breakdowns of one contract year by component id, index 0 is year 1.
    year_breakdowns = [{c.id: breakdowns[c.id, y] for c in regular} for y in range(1, n_years + 1)]

    # A co-termed change's days before its first whole month are charged prorated by
    # days: each fixed recurring fee's first month (after its percent discounts) x days /
    # days of that month, one one-time line each in the first period.
    change = doc.contract_change
    prorate = change is not None and change.prorated_days > 0
    first_basis: dict[str, Decimal] = {}

    state: dict[str, tuple[Decimal, ...]] = {}
    window_spend: dict[str, Decimal] = defaultdict(Decimal)
    # The same spend without any discount: the true-up the customer would owe at list
    # prices, so that "discount vs list" counts only what the customer saves.
    window_list_spend: dict[str, Decimal] = defaultdict(Decimal)
    list_true_ups: list[dict[str, Decimal]] = [defaultdict(Decimal) for _ in range(len(spans) + 1)]
    window_months: dict[str, int] = defaultdict(int)
    # What a yearly fee counts as in each month of its contract year, for discounts.
    spread: dict[str, Decimal] = {}
    # Each contract year's escalated prices (Usage.escalate), shared by its months.
    escalations: list[dict[tuple[Decimal, int], Decimal]] = [{} for _ in range(n_years)]

    for month in range(1, term + 1):
        year, month_of_year, year_months = calendar[month - 1]
        p = span_of_month[month]
        q = {metric: values[month - 1] for metric, values in quantities.items()}
        seats = seats_by_year[year - 1]
        amounts: dict[str, Decimal] = {}

        # One Usage per month for escalating and for fixed-price components; a component
        # that carries state (rolled-over credits) gets its own.
        factor = prices[year - 1]
        memo = escalations[year - 1]
        escalated = Usage(
            q,
            seats,
            month,
            month_of_year,
            year_months,
            factor,
            price_places=price_places,
            escalated=memo,
        )
        unescalated = Usage(q, seats, month, month_of_year, year_months, ONE)
        sums = charge_sums[p]
        charged_now = charged[p]
        breakdowns_now = year_breakdowns[year - 1]
        for cid, charge, escalates, carries_state in pricing_steps:
            if carries_state:
                result = charge(
                    Usage(
                        q,
                        seats,
                        month,
                        month_of_year,
                        year_months,
                        factor if escalates else ONE,
                        state.get(cid, ()),
                        price_places=price_places,
                        escalated=memo if escalates else None,
                    )
                )
                state[cid] = result.state_out
            else:
                result = charge(escalated if escalates else unescalated)
            amount = result.amount
            if result.lines:
                charged_now.add(cid)
                breakdowns_now[cid].add(result.lines)
            amounts[cid] = amount
            sums[cid] += amount

        # Discounts, before the commitments: a commitment counts spend after discounts.
        # ``basis`` is what each component counts as this month for discounting.
        basis = amounts
        p_year = p
        if yearly_ids:
            if month_of_year == 1:
                for cid in yearly_ids:
                    spread[cid] = amounts[cid] / year_months
            basis = {**amounts, **spread}
            p_year = span_of_month[month - month_of_year + 1]
        if prorate and month == 1:
            first_basis = dict(basis)
        # What the discounts took from each component this month, in their order: a
        # discount takes no more than the earlier ones left of a component (60 % off the
        # calls and 40.01 % off the deal take 100 % of the calls, not 100.01 %, and leave
        # the platform fee its own 40.01 %).
        taken_off: dict[str, Decimal] = {}
        for index, discount in discounts:
            if not discount.active(month):
                continue
            target = discount.component
            shares: dict[str, Decimal]
            if target is not None:
                base = basis.get(target, ZERO)
                left = max(ZERO, base - taken_off.get(target, ZERO))
                if discount.percent is not None:
                    off = min(base * discount.percent / HUNDRED, left)
                else:
                    assert discount.amount is not None
                    off = min(discount.amount, left)
                shares = {target: off} if off else {}
            elif discount.percent is not None:
                shares = {}
                for cid in recurring_ids:
                    base = basis[cid]
                    if base:
                        share = min(
                            base * discount.percent / HUNDRED,
                            max(ZERO, base - taken_off.get(cid, ZERO)),
                        )
                        if share:
                            shares[cid] = share
            else:
                assert discount.amount is not None
                lefts = {
                    cid: left
                    for cid in recurring_ids
                    if (left := basis[cid] - taken_off.get(cid, ZERO)) > 0
                }
                left_total = sum(lefts.values(), ZERO)
                off = min(discount.amount, left_total)
                shares = (
                    {cid: off * left / left_total for cid, left in lefts.items()} if off else {}
                )
            if not shares:
                continue
            for cid, share in shares.items():
                taken_off[cid] = taken_off.get(cid, ZERO) + share
                year_shares[year, discount.description, cid] += share
                in_period = p_year if cid in yearly_ids else p
                discount_sums[in_period][index] += share
                for commitment in commitments:
                    if cid in committed_sets[commitment.id]:
                        committed_off[commitment.id, in_period, index] += share

        last_of_year = month_of_year == year_months
        for commitment in commitments:
            spend = ZERO
            for cid in committed_to[commitment.id]:
                spend += amounts[cid]
            window_list_spend[commitment.id] += spend
            if taken_off:
                for cid in committed_to[commitment.id]:
                    spend -= min(taken_off.get(cid, ZERO), basis[cid])
            window_spend[commitment.id] += spend
            window_months[commitment.id] += 1
            if commitment.period == "month" or last_of_year:
                result = commitment.charge(
                    Usage(
                        q,
                        seats,
                        month,
                        month_of_year,
                        year_months,
                        ONE,
                        (),
                        window_spend[commitment.id],
                        window_months[commitment.id],
                    )
                )
                if discounts:
                    at_list = commitment.charge(
                        Usage(
                            q,
                            seats,
                            month,
                            month_of_year,
                            year_months,
                            ONE,
                            (),
                            window_list_spend[commitment.id],
                            window_months[commitment.id],
                        )
                    )
                    list_true_up = at_list.amount
                else:
                    list_true_up = result.amount
                list_true_ups[p][commitment.id] += list_true_up
                window = windows.get((commitment.id, p))
                if window is None:
                    first = month if commitment.period == "month" else month - month_of_year + 1
                    window = windows[commitment.id, p] = _Window(span_of_month[first])
                window.amount += commitment.window_amount(window_months[commitment.id])
                if commitment.period == "month":
                    month_spends[commitment.id, p].append(
                        (
                            month,
                            window_spend[commitment.id],
                            window_list_spend[commitment.id],
                            commitment.window_amount(1),
                        )
                    )
                window.spend += window_spend[commitment.id]
                window.all_short = window.all_short and result.amount > 0
                window.list_spend += window_list_spend[commitment.id]
                window.all_list_short = window.all_list_short and list_true_up > 0
                window_spend[commitment.id] = ZERO
                window_list_spend[commitment.id] = ZERO
                window_months[commitment.id] = 0
                if result.amount:
                    charged[p].add(commitment.id)
                    charge_sums[p][commitment.id] += result.amount
                    breakdowns[commitment.id, year].add(result.lines)

        cost = econ.fixed_cost_per_month
        for metric, unit_cost in unit_costs:
            cost += q[metric] * unit_cost * costs[year - 1]
        cogs_sums[p] += cost

    if prorate and change is not None and spans:
        _add_prorated(doc, change, first_basis, charge_sums[1], charged[1], line_meta)
    # The discount lines each period bills, rounded and limited, by discount index.
    taken: list[dict[int, Decimal]] = [{} for _ in range(len(spans) + 1)]
    # The months of a monthly commitment's true-up line, by period and commitment.
    shortfalls: list[dict[str, tuple[MonthShortfall, ...]]] = [{} for _ in range(len(spans) + 1)]

    def make_period(span: _PeriodSpan) -> BillingPeriod:
        return _make_period(
            doc,
            span,
            charge_sums[span.index],
            charged[span.index],
            discount_sums[span.index],
            list_true_ups[span.index],
            cogs_sums[span.index],
            one_time_ids,
            line_meta,
            quantum,
            cost_quantum,
            taken[span.index],
            shortfalls[span.index],
        )

    periods = [make_period(span) for span in spans]
    # A true-up tops up what the invoices bill, each line rounded once: the window's
    # invoices then bill its minimum to the cent (50,000.00, not 49,999.94 after twelve
    # discounts rounded up by half a cent).
    for (cid, last), window in windows.items():
        monthly = commitments_by_id[cid].period == "month"
        on_yearly_fees = bool(committed_sets[cid] & yearly_ids)
        # The same without discounts: the true-up "discount vs list" counts, so that a
        # year at its minimum saves 0.00 against list prices, not 0.06.
        billed_at_list = _billed_true_up(
            replace(window, spend=window.list_spend, all_short=window.all_list_short),
            periods[window.first_period - 1 : last],
            committed_sets[cid],
            None,
            quantum,
            monthly=monthly,
            on_yearly_fees=on_yearly_fees,
        )
        rebuild = False
        mixed = monthly and not on_yearly_fees and not window.all_short
        months: tuple[MonthShortfall, ...] = ()
        if mixed:
            # Months of one invoice, some meeting the minimum: each month below it is
            # trued up on its own, from its spend rounded to the minor unit, and the line
            # is the sum the invoice states month by month (75.00 + 28.75 = 103.75).
            months = tuple(
                MonthShortfall(
                    add_months(doc.start_date, month - 1),
                    _round_half(spend, quantum),
                    _round_half(minimum, quantum),
                    max(ZERO, _round_half(minimum, quantum) - _round_half(spend, quantum)).quantize(
                        quantum
                    ),
                )
                for month, spend, _list, minimum in month_spends[cid, last]
            )
            billed_at_list = sum(
                (
                    max(ZERO, _round_half(minimum, quantum) - _round_half(at_list, quantum))
                    for _month, _spend, at_list, minimum in month_spends[cid, last]
                ),
                ZERO,
            )
            if any(m.true_up for m in months):
                shortfalls[last][cid] = months
                rebuild = True
        if billed_at_list is not None and billed_at_list != _round_half(
            list_true_ups[last][cid], quantum
        ):
            list_true_ups[last][cid] = billed_at_list
            rebuild = True

        def others_alone(
            window: _Window = window, cid: str = cid, last: int = last
        ) -> list[BillingPeriod]:
            return [
                # The same periods without the committed components: what the other fees
                # bill alone, their discount lines rounded and limited on their own.
                _make_period(
                    doc,
                    span,
                    {k: v for k, v in charge_sums[span.index].items() if k not in committed},
                    charged[span.index] - committed,
                    {
                        index: exact - committed_off.get((cid, span.index, index), ZERO)
                        for index, exact in discount_sums[span.index].items()
                    },
                    {},
                    ZERO,
                    one_time_ids,
                    line_meta,
                    quantum,
                    cost_quantum,
                    {},
                    {},
                )
                for span in spans[window.first_period - 1 : last]
                for committed in (committed_sets[cid],)
            ]

        true_up = (
            sum((m.true_up for m in months), ZERO)
            if mixed
            else _billed_true_up(
                window,
                periods[window.first_period - 1 : last],
                committed_sets[cid],
                others_alone,
                quantum,
                monthly=monthly,
                on_yearly_fees=on_yearly_fees,
                # Every discount is rounded in both, billed or rounded away (0.00017751 is
                # no line, and is half a cent of rounding).
                roundings=2
                * sum(len(discount_sums[pi]) for pi in range(window.first_period, last + 1)),
            )
        )
        exact = charge_sums[last].get(cid, ZERO)
        if true_up is not None and true_up != _round_half(exact, quantum):
            charge_sums[last][cid] = true_up
            if true_up:
                charged[last].add(cid)
            else:
                charged[last].discard(cid)
            _adjust_true_up(breakdowns[cid, spans[last - 1].year], true_up - exact)
            rebuild = True
        if rebuild:
            periods[last - 1] = make_period(spans[last - 1])
    return replace(
        _summarise(doc, periods, breakdowns, prices, costs, currency),
        discount_shares=tuple((*key, amount) for key, amount in year_shares.items()),
    )


def _billed_true_up(
    window: _Window,
    periods: Sequence[BillingPeriod],
    committed: set[str],
    others: Callable[[], Sequence[BillingPeriod]] | None,
    quantum: Decimal,
    *,
    monthly: bool,
    on_yearly_fees: bool,
    roundings: int = 0,
) -> Decimal | None:
    """The true-up of ``window`` from the invoice lines as billed: the minimum less what
    the committed components bill. That is the periods' lines (but true-ups) less what the
    other fees bill alone (``others``: the same periods without the committed components
    and their share of each discount), so the other fees cost the same whatever the usage
    and a window short of its minimum costs their net plus the minimum, to the cent. At
    list prices (``others`` None) it is the committed components' charge lines.

    None when the exact true-up stands: monthly windows not all short (each is trued up
    on its own; a billing period whose every month fell short is topped up as a whole), a
    monthly commitment on a yearly fee (its discount is billed with the year's first
    month), or billed spend that differs from the exact spend by more than its lines'
    rounding. A yearly window is topped up to its minimum whenever the invoices bill less
    (usage that meets it exactly, less discounts rounded up, is a cent short)."""
    if monthly and (on_yearly_fees or not window.all_short):
        return None
    billed = ZERO
    lines = roundings
    if others is not None:
        # Spend above the minimum by more than every line's rounding could take away bills
        # no true-up: the exact one (none) stands, and the other fees need not be billed
        # again on their own (a third of the time of pricing a deal with a minimum).
        slack = quantum * (4 * sum(len(period.lines) for period in periods) + roundings + 4)
        if window.spend - window.amount > slack:
            return None
    if others is None:
        for period in periods:
            for line in period.lines:
                if line.kind == "charge" and line.component_id in committed:
                    billed += line.amount
                    lines += 1
    else:
        for sign, side in ((1, periods), (-1, others())):
            for period in side:
                for line in period.lines:
                    if line.kind != "true_up":
                        billed += sign * line.amount
                        lines += 1
    if abs(billed - window.spend) * 2 > quantum * lines:
        return None
    return max(ZERO, window.amount - billed).quantize(quantum, ROUND_HALF_UP)


def _round_half(amount: Decimal, quantum: Decimal) -> Decimal:
    return amount.quantize(quantum, ROUND_HALF_UP)


def _adjust_true_up(breakdown: _Breakdown, delta: Decimal) -> None:
    """Move a true-up's breakdown line by ``delta`` (its unit price becomes the average)."""
    slot = breakdown.lines.get(TRUE_UP_LABEL)
    if slot is None:
        breakdown.lines[TRUE_UP_LABEL] = [ONE, delta, ZERO, delta, False]
        return
    slot[3] += delta
    slot[4] = True
    if not slot[3]:
        del breakdown.lines[TRUE_UP_LABEL]


PRORATED = "\x00prorated:"
"""Key prefix of the prorated lines of a co-termed change (they belong to no component)."""


def _add_prorated(
    doc: QuoteDocument,
    change: Any,
    basis: dict[str, Decimal],
    sums: dict[str, Decimal],
    charged: set[str],
    line_meta: list[tuple[str, str, LineKind, bool, bool]],
) -> None:
    from .components import FlatFee, Seats

    days, period = change.prorated_days, change.period_days
    end = doc.start_date - timedelta(days=1)
    for component in doc.components:
        if not isinstance(component, FlatFee | Seats) or component.id not in basis:
            continue
        percent = ZERO
        for discount in doc.discounts:
            if discount.percent is None or not discount.active(1):
                continue
            if discount.component in (None, component.id):
                percent += discount.percent
        amount = basis[component.id] * (HUNDRED - min(percent, HUNDRED)) / HUNDRED
        if not amount:
            continue
        key = PRORATED + component.id
        sums[key] += amount * days / period
        charged.add(key)
        line_meta.append(
            (
                key,
                f"{component.name}, {change.effective.isoformat()} to {end.isoformat()} "
                f"prorated ({days} of {period} days)",
                "charge",
                False,
                False,
            )
        )


def _make_period(
    doc: QuoteDocument,
    span: _PeriodSpan,
    sums: dict[str, Decimal],
    charged: set[str],
    discounts: dict[int, Decimal],
    list_true_ups: dict[str, Decimal],
    cogs: Decimal,
    one_time_ids: set[str],
    line_meta: list[tuple[str, str, LineKind, bool, bool]],
    quantum: Decimal,
    cost_quantum: Decimal,
    taken: dict[int, Decimal],
    shortfalls: dict[str, tuple[MonthShortfall, ...]],
) -> BillingPeriod:
    zero = ZERO.quantize(quantum)  # 0.00 in USD: an empty total still has cents
    lines: list[InvoiceLine] = []
    rounded: dict[str, Decimal] = {}
    list_total = zero
    # What deal-wide discounts may take: recurring charges; never more than what is left.
    remaining_total = zero
    for cid, description, kind, recurring, in_arrears in line_meta:
        if cid not in charged:
            continue
        amount = sums[cid].quantize(quantum, ROUND_HALF_UP)  # the one rounding of this line
        rounded[cid] = amount
        if kind != "true_up":
            list_total += amount
        if recurring and kind == "charge":
            remaining_total += amount
        lines.append(
            InvoiceLine(
                None if cid.startswith(PRORATED) else cid,
                description,
                kind,
                amount,
                recurring,
                in_arrears,
                shortfalls.get(cid, ()) if kind == "true_up" else (),
            )
        )
    total = sum((line.amount for line in lines), zero)
    for amount in list_true_ups.values():
        list_total += amount.quantize(quantum, ROUND_HALF_UP)
    if discounts:
        remaining_by_component = rounded
        for index, discount in enumerate(doc.discounts):
            if index not in discounts:
                continue
            off = discounts[index].quantize(quantum, ROUND_HALF_UP)
            target = discount.component
            if target is not None:
                pool = remaining_by_component.get(target, zero)
                if target not in one_time_ids:
                    pool = min(pool, remaining_total)
                off = min(off, pool)
                remaining_by_component[target] = remaining_by_component.get(target, zero) - off
                if target not in one_time_ids:
                    remaining_total -= off
            else:
                off = min(off, remaining_total)
                remaining_total -= off
            if off:
                taken[index] = off
                total -= off
                lines.append(
                    InvoiceLine(
                        target,
                        discount.description,
                        "discount",
                        -off,
                        recurring=target not in one_time_ids,
                    )
                )
    return BillingPeriod(
        index=span.index,
        contract_year=span.year,
        start=add_months(doc.start_date, span.first_month - 1),
        end=last_day(doc.start_date, span.first_month - 1 + span.months),
        months=span.months,
        lines=tuple(lines),
        total=total,
        list_total=list_total,
        cogs=cogs.quantize(cost_quantum, ROUND_HALF_UP),
    )


def _line_meta(component: Component) -> tuple[str, LineKind, bool, bool]:
    """(description, kind, recurring, in arrears) of a component's invoice lines."""
    if isinstance(component, MinimumCommitment):
        return f"True-up: {component.name}", "true_up", True, True
    return component.name, "charge", component.recurring, component.usage_based


def _margin(revenue: Decimal, cogs: Decimal) -> Decimal | None:
    if not revenue:
        return None
    return ((revenue - cogs) / revenue * HUNDRED).quantize(_TENTH)


def _summarise(
    doc: QuoteDocument,
    periods: list[BillingPeriod],
    breakdowns: dict[tuple[str, int], _Breakdown],
    prices: list[Decimal],
    costs: list[Decimal],
    currency: str,
) -> PricedQuote:
    # Every total is in the currency's minor unit, zero included ("0.00", never "0").
    zero = round_half_up(ZERO, currency)
    fx = doc.exchange_rate
    cost_currency = fx.seller_currency if fx is not None else currency
    cost_zero = round_half_up(ZERO, cost_currency)
    years = []
    for y in range(1, len(prices) + 1):
        ps = [p for p in periods if p.contract_year == y]
        lines = [line for p in ps for line in p.lines]
        revenue = sum((p.total for p in ps), zero)
        # Without discounts the bill is never higher; rounding the discounted true-up and
        # the discount lines separately can put it a cent above: the customer saves 0.
        list_revenue = max(sum((p.list_total for p in ps), zero), revenue)
        one_time = sum((line.amount for line in lines if not line.recurring), zero)
        cogs = sum((p.cogs for p in ps), cost_zero)
        # The margin is measured in the seller's currency: revenue converted back at the
        # quote's rate, rounded once per contract year.
        margin_revenue = (
            revenue if fx is None else to_seller_currency(revenue, fx.rate, cost_currency)
        )
        years.append(
            ContractYear(
                year=y,
                start=ps[0].start,
                end=ps[-1].end,
                months=sum(p.months for p in ps),
                revenue=revenue,
                list_revenue=list_revenue,
                discounts=list_revenue - revenue,
                one_time=one_time,
                cogs=cogs,
                gross_margin_percent=_margin(margin_revenue, cogs),
                price_factor=prices[y - 1],
                cost_factor=costs[y - 1],
                margin_revenue=margin_revenue,
            )
        )
    tcv = sum((y.revenue for y in years), zero)
    list_tcv = sum((y.list_revenue for y in years), zero)
    discount_total = list_tcv - tcv
    effective = (discount_total / list_tcv * HUNDRED if list_tcv else ZERO).quantize(_PCT)
    first = years[0]
    acv = first.recurring_revenue
    average = round_half_up(acv / first.months, currency)

    # Invoice lines (before discounts) by component and contract year, in one pass.
    invoiced: dict[tuple[str, int], Decimal] = {}
    for period in periods:
        for line in period.lines:
            if line.kind != "discount" and line.component_id is not None:
                key = line.component_id, period.contract_year
                invoiced[key] = invoiced.get(key, zero) + line.amount
    component_rows = []
    for component in doc.components:
        component_years = tuple(
            ComponentYear(
                y, invoiced.get((component.id, y), zero), breakdowns[component.id, y].freeze()
            )
            for y in range(1, len(prices) + 1)
        )
        component_rows.append(
            ComponentBreakdown(
                component.id,
                component.name,
                component.kind,
                _kind_label(component),
                component_years,
                sum((cy.amount for cy in component_years), zero),
            )
        )
    starts = [first for first, _months in doc.year_spans()]
    escalations = tuple(
        Escalation(
            y, add_months(doc.start_date, starts[y - 1] - 1), doc.escalator_percent, prices[y - 1]
        )
        for y in range(2, len(prices) + 1)
        if doc.escalator_percent
    )
    return PricedQuote(
        currency=currency,
        term_months=doc.term_months,
        billing_frequency=doc.billing_frequency,
        periods=tuple(periods),
        years=tuple(years),
        components=tuple(component_rows),
        escalations=escalations,
        tcv=tcv,
        list_tcv=list_tcv,
        discount_total=discount_total,
        effective_discount_percent=effective,
        first_year_acv=acv,
        average_monthly=average,
        total_cogs=sum((y.cogs for y in years), cost_zero),
        margin_floor_percent=doc.economics.margin_floor_percent,
        model_margin_percent=(
            MODEL_PROFILES[doc.pricing_model].gross_margin_percent
            if doc.pricing_model is not None
            else None
        ),
        cost_currency=cost_currency,
        exchange_rate=fx.rate if fx is not None else ONE,
    )


def _kind_label(component: Component) -> str:
    return component.label or component.kind
