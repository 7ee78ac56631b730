"""What the customer would have paid under each pricing model, month by month, for the
usage in a log; our COGS and margin; the spread of revenue across users; recommendations.

How the log feeds a model (``Feed``):

- **A template** (``pricing.templates``) reads the log's total quantity over all metrics as
  its usage metric (``ai_operations``, ``ai_actions``); the outcome template reads the
  quantity of rows with ``success`` true (every row when the log has no success column);
  the value-share template reads the attributed value. Seat templates get one seat per
  user in the log (the AI tier for per-seat-with-AI); the per-seat-with-AI template has no
  usage price, so its COGS uses the seats + credits template's cost per AI action.
- **A quote** (``--quote``) reads each metric by name: a per-outcome metric the quantity of
  its successful rows, a percent-of-value metric the attributed value of its rows (of the
  whole log when no row has that metric); a metric missing from the log is 0 (noted). The
  quote keeps its seat counts, prices, discounts and unit costs; its model replaces that
  model's template, the other models use their templates in the quote's currency.

Each model is priced by the engine with the log's months as the contract term, billed
monthly; the month's bill is its recurring invoice lines (one-time fees left out).

Revenue by user: each month's usage-based line is split by the users' share of the
quantities the component reads (weighted by credit burn rates); fixed lines (platform fee,
seats, true-ups) are split evenly among that month's active users; a deal-wide discount
lowers everyone's share pro rata. The top 20 % share is over every user in the log: it
measures concentration inside one account (the playbook's 50-60 % from the top 20 % is
about customers across a book of business, so it is not compared).

Bill-shock range: the 10th percentile, median and 90th percentile of the monthly bills over
the log's months (linear interpolation between months); for a log of fewer than
``pricing.evidence.PERCENTILE_MONTHS`` months the quietest, median and busiest month's bill
(as the proposal and the app name them: Quiet, Typical, Busy).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, Literal

from quote_builder.pricing.components import (
    AllowanceOverage,
    Component,
    Credits,
    FlatFee,
    TransactionFee,
    exact_fees_key,
)
from quote_builder.pricing.document import (
    ALL_METRICS,
    NO_METRICS,
    CustomerRef,
    Economics,
    QuoteDocument,
)
from quote_builder.pricing.evidence import (
    Feed,
    Source,
    YearOnePricer,
    few_months,
    quiet_typical_busy,
    resolve_feeds,
)
from quote_builder.pricing.money import minor_unit
from quote_builder.pricing.playbook import MODEL_PROFILES, PricingModel
from quote_builder.pricing.templates import template_for

from .log import Cell, UsageLog, month_label
from .stats import ZERO, coefficient_of_variation, mean, percentile, top_share

HUNDRED = Decimal(100)
_PCT = Decimal("0.1")
_UNITS = Decimal("0.01")
CV_LIMIT = Decimal(1)
"""Seat pricing is flagged when the coefficient of variation of usage per user is above it..."""
RATIO_LIMIT = Decimal(3)
"""... or when the 90th percentile user uses more than this many times the median user."""
TOP_FRACTION = Decimal("0.2")


@dataclass(frozen=True, slots=True)
class MonthBill:
    month: str
    bill: Decimal
    cogs: Decimal
    margin_percent: Decimal | None


@dataclass(frozen=True, slots=True)
class BillRange:
    low: Decimal
    expected: Decimal
    high: Decimal
    method: str = "10th percentile, median and 90th percentile of the monthly bills"


PERCENTILE_METHOD = "10th percentile, median and 90th percentile of the monthly bills"
FEW_MONTHS_METHOD = (
    "the quietest, median and busiest of {count} monthly bills (too few for percentiles)"
)


@dataclass(frozen=True, slots=True)
class ModelResult:
    key: str
    title: str
    source: Literal["quote", "template"]
    currency: str
    months: tuple[MonthBill, ...]
    total_bill: Decimal
    total_cogs: Decimal
    margin_percent: Decimal | None
    average_monthly: Decimal
    bill_range: BillRange
    top_users_share_percent: Decimal | None
    """Share of this log's revenue from its heaviest 20 % of users, in percent: how
    concentrated usage is inside one account. Not the playbook's "top 20 % of customers
    bring 50-60 % of revenue", which is about customers across a book of business."""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CreditAdvice:
    allocation_per_seat: Decimal
    """Credits per seat a month such that 80 % of users use under half of it."""
    users: int
    users_under_half: int
    p80_peak_usage: Decimal
    """The 80th-percentile user's busiest month (80 % of users' busiest months are at most this)."""
    current_allocation: Decimal | None
    current_share_under_half_percent: Decimal | None
    basis: str
    current_from_quote: bool = False
    """Whether ``current_allocation`` is the quote's (else the playbook template's)."""


@dataclass(frozen=True, slots=True)
class PlatformAdvice:
    metric: str
    included_units: Decimal
    """The median month's usage, rounded up."""
    monthly_p10: Decimal
    monthly_p90: Decimal
    unit_cost: Decimal
    fixed_cost: Decimal
    target_margin_percent: Decimal
    platform_fee_floor: Decimal
    """(fixed cost + cost of the included units) / (1 - target margin)."""
    platform_fee: Decimal
    overage_price: Decimal
    overage_price_floor: Decimal
    """unit cost / (1 - target margin): below it overage earns less than the target."""
    break_even_units: Decimal | None
    """Monthly usage the platform fee alone pays for at the target margin:
    (fee x (1 - target margin) - fixed cost) / unit cost. None without a unit cost."""
    months_above_break_even: int


@dataclass(frozen=True, slots=True)
class SeatAdvice:
    users: int
    mean_per_user: Decimal
    median_per_user: Decimal
    p90_per_user: Decimal
    coefficient_of_variation: Decimal | None
    p90_to_median: Decimal | None
    flagged: bool
    reason: str


@dataclass(frozen=True, slots=True)
class UsageReport:
    source: str
    currency: str
    rows: int
    users: int
    metrics: tuple[str, ...]
    months: tuple[str, ...]
    models: tuple[ModelResult, ...]
    credits: CreditAdvice
    platform: PlatformAdvice
    seats: SeatAdvice
    notes: tuple[str, ...] = field(default=())


# --- feeding the log to a model ---------------------------------------------------------


@dataclass
class _Setup:
    key: str
    title: str
    source: Literal["quote", "template"]
    model: PricingModel | None
    doc: QuoteDocument
    feeds: list[Feed]
    seats: dict[str, Decimal] | None
    """Seat counts; None keeps the document's."""
    notes: list[str] = field(default_factory=list)


def _template_setup(model: PricingModel, log: UsageLog, currency: str, start: dt.date) -> _Setup:
    template = template_for(model)
    users = Decimal(len(log.users))
    outcome_source: Source = "successes" if log.has_success else "quantity"
    notes: list[str] = []
    unit_costs = dict(template.unit_costs)
    seats: dict[str, Decimal] | None = None
    if model is PricingModel.OUTCOME_BASED:
        feeds = [Feed("outcomes", outcome_source, None)]
        if not log.has_success:
            notes.append("the log has no success column: every row counts as an outcome")
    elif model is PricingModel.PLATFORM_USAGE:
        feeds = [Feed("ai_operations", "quantity", None)]
    elif model is PricingModel.SEATS_CREDITS:
        feeds = [Feed("ai_actions", "quantity", None)]
        seats = {"seats": users}
    elif model is PricingModel.SEATS_AI_TIERS:
        feeds = [Feed("ai_actions", "quantity", None)]
        seats = {"team": ZERO, "pro": users}
        unit_costs = dict(template_for(PricingModel.SEATS_CREDITS).unit_costs)
    else:
        feeds = [Feed("attributed_revenue", "value", None)]
        if not log.has_value:
            notes.append("the log has no attributed_value column: no value to share")
    doc = QuoteDocument(
        customer=CustomerRef(name="Usage simulation"),
        pricing_model=model,
        currency=currency,
        start_date=start,
        term_months=12,
        components=list(template.components),  # type: ignore[arg-type]
        economics=Economics(unit_costs=unit_costs),
    )
    return _Setup(
        model.value, MODEL_PROFILES[model].title, "template", model, doc, feeds, seats, notes
    )


def _quote_setup(
    doc: QuoteDocument,
    log: UsageLog,
    start: dt.date,
    chosen: dict[str, str] | None,
    label: str = "quote",
) -> _Setup:
    feeds, notes = resolve_feeds(doc, log.metrics, log.has_success, chosen, log.has_value)
    costs = doc.economics.unit_costs
    for metric in sorted({m for c in doc.components for m in c.metrics()} - set(costs)):
        notes.append(f"{metric}: no unit cost, so its COGS counts as 0")
    model = doc.pricing_model
    key = model.value if model is not None else "quote"
    title = f"{MODEL_PROFILES[model].title} ({label})" if model is not None else f"The {label}"
    return _Setup(key, title, "quote", model, doc, feeds, None, notes)


def _feed_month(
    cells: list[tuple[str, str, Cell]], feeds: list[Feed], exact: dict[str, Feed] | None = None
) -> tuple[dict[str, Decimal], dict[str, dict[str, Decimal]]]:
    """Totals per pricing metric and per user for one month; for each transaction-fee
    component in ``exact`` (id -> the feed of its value metric), the sum of its rows' own
    fees under ``exact_fees_key``."""
    totals: dict[str, Decimal] = {f.metric: ZERO for f in feeds}
    by_user: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for cid, feed in (exact or {}).items():
        key = exact_fees_key(cid)
        totals[key] = sum(
            ((cell.fees or {}).get(cid, ZERO) for _u, m, cell in cells if feed.reads_metric(m)),
            ZERO,
        )
    for user, metric, cell in cells:
        for feed in feeds:
            if not feed.reads_metric(metric):
                continue
            if feed.source == "quantity":
                amount = cell.quantity
            elif feed.source == "successes":
                amount = cell.successes
            elif feed.source == "events":
                amount = Decimal(cell.events)
            else:
                amount = cell.value
            if not amount:
                continue
            totals[feed.metric] += amount
            mine = by_user[user]
            mine[feed.metric] = mine.get(feed.metric, ZERO) + amount
    return totals, by_user


def transaction_fee_rules(
    quote: QuoteDocument | None, metric_map: Mapping[str, str] | None = None
) -> dict[str, list[TransactionFee]]:
    """Which log metrics' rows are the transactions of which transaction-fee component, to
    hand to ``read_usage_log`` before the log is read: the log metric the rep mapped the
    value metric to, or the metric of the same name. A value metric mapped to ``*`` (or
    read through the one-unmatched-metric rule) is not known before reading: it is priced
    at each month's average transaction instead, and the simulation says so."""
    rules: dict[str, list[TransactionFee]] = {}
    if quote is None:
        return rules
    chosen = metric_map or {}
    for c in quote.components:
        if not isinstance(c, TransactionFee):
            continue
        name = chosen.get(c.metric, c.metric)
        if name not in (ALL_METRICS, NO_METRICS):
            rules.setdefault(name, []).append(c)
    return rules


def _exact_fees(setup: _Setup, log: UsageLog) -> dict[str, Feed]:
    """Transaction-fee components whose every log row was given its own fee when read:
    id -> the feed of the value metric. Others are priced at the month's average value."""
    feeds = {f.metric: f for f in setup.feeds}
    exact = {}
    for c in setup.doc.components:
        if not isinstance(c, TransactionFee) or c.metric not in feeds:
            continue
        feed = feeds[c.metric]
        names = set(log.metrics) if feed.reads is None else set(feed.reads)
        if names and names <= log.fee_metrics.get(c.id, frozenset()):
            exact[c.id] = feed
        elif names:
            setup.notes.append(
                f"{c.name}: priced at each month's average transaction (the log metrics it "
                "reads were not known before reading), so its minimum and maximum per "
                "transaction are estimates"
            )
    return exact


def _weights(component: Component) -> dict[str, Decimal]:
    if isinstance(component, Credits):
        return dict(component.burn)
    if isinstance(component, TransactionFee):
        return {component.metric: Decimal(1)}  # split by each user's transaction value
    return {m: Decimal(1) for m in component.metrics()}


def _margin(revenue: Decimal, cost: Decimal) -> Decimal | None:
    if not revenue:
        return None
    return ((revenue - cost) / revenue * HUNDRED).quantize(_PCT)


def _simulate(
    setup: _Setup, log: UsageLog, by_month: dict[int, list[tuple[str, str, Cell]]]
) -> ModelResult:
    doc = setup.doc
    months = list(log.months)
    feeds = setup.feeds
    exact = _exact_fees(setup, log) if setup.source == "quote" else {}
    fed = [_feed_month(by_month[m], feeds, exact) for m in months]
    pricer = YearOnePricer(doc, setup.seats)
    quantum = minor_unit(doc.currency)
    weights = {c.id: _weights(c) for c in doc.components}
    revenue: dict[str, Decimal] = dict.fromkeys(log.users, ZERO)
    bills: list[MonthBill] = []
    for index, (totals, by_user) in enumerate(fed):
        at = pricer.month(totals)
        active = [u for u, _, _ in by_month[months[index]]]
        everyone = sorted(set(active)) or list(log.users)
        share: dict[str, Decimal] = defaultdict(Decimal)
        before_deal = ZERO
        for component_id, amount in at.lines:
            if component_id is None:
                continue
            before_deal += amount
            w = weights.get(component_id, {})
            denominator = sum((totals.get(m, ZERO) * r for m, r in w.items()), ZERO)
            if denominator:
                for user, mine in by_user.items():
                    part = sum((mine.get(m, ZERO) * r for m, r in w.items()), ZERO)
                    if part:
                        share[user] += amount * part / denominator
            else:
                each = amount / len(everyone)
                for user in everyone:
                    share[user] += each
        scale = at.bill / before_deal if before_deal and at.bill != before_deal else None
        for user, amount in share.items():
            revenue[user] += amount * scale if scale is not None else amount
        bill = at.bill.quantize(quantum, ROUND_HALF_UP)
        cogs = at.cogs.quantize(quantum, ROUND_HALF_UP)
        bills.append(MonthBill(month_label(months[index]), bill, cogs, _margin(bill, cogs)))
    total = sum((b.bill for b in bills), ZERO)
    cogs = sum((b.cogs for b in bills), ZERO)
    monthly = [b.bill for b in bills]
    q = quantum
    quiet, typical, busy = quiet_typical_busy(monthly)
    bill_range = BillRange(
        quiet.quantize(q, ROUND_HALF_UP),
        typical.quantize(q, ROUND_HALF_UP),
        busy.quantize(q, ROUND_HALF_UP),
        FEW_MONTHS_METHOD.format(count=len(monthly))
        if few_months(len(monthly))
        else PERCENTILE_METHOD,
    )
    top = top_share(list(revenue.values()), TOP_FRACTION)
    return ModelResult(
        key=setup.key,
        title=setup.title,
        source=setup.source,
        currency=doc.currency,
        months=tuple(bills),
        total_bill=total,
        total_cogs=cogs,
        margin_percent=_margin(total, cogs),
        average_monthly=(total / len(bills)).quantize(q, ROUND_HALF_UP),
        bill_range=bill_range,
        top_users_share_percent=None if top is None else (top * HUNDRED).quantize(_PCT),
        notes=tuple(setup.notes),
    )


# --- recommendations --------------------------------------------------------------------


def log_weights(burn: dict[str, Decimal], feeds: list[Feed], log: UsageLog) -> dict[str, Decimal]:
    """Credits per unit of each log metric: a quote metric's burn rate on every log metric
    its feed reads (the rep's mapping, the same name, or the one unmatched metric)."""
    weights: dict[str, Decimal] = {}
    for feed in feeds:
        rate = burn.get(feed.metric)
        if rate is None:
            continue
        for name in log.metrics:
            if feed.reads_metric(name):
                weights[name] = weights.get(name, ZERO) + rate
    return weights


def _user_month_usage(
    log: UsageLog, weights: dict[str, Decimal] | None
) -> dict[str, dict[int, Decimal]]:
    """Usage per user per month: weighted quantities of log metrics (None: every metric
    at 1)."""
    result: dict[str, dict[int, Decimal]] = {u: {} for u in log.users}
    for (month, user, metric), cell in log.cells.items():
        if weights is None:
            amount = cell.quantity
        else:
            rate = weights.get(metric)
            if rate is None:
                continue
            amount = cell.quantity * rate
        mine = result[user]
        mine[month] = mine.get(month, ZERO) + amount
    return result


def credit_advice(
    log: UsageLog, burn: dict[str, Decimal] | None, current: Decimal | None
) -> CreditAdvice:
    """The smallest whole allocation per seat such that 80 % of users (rounded up) use
    under half of it in their busiest month: twice the 80th-percentile user's busiest month,
    plus one credit (``under``, not ``at``)."""
    usage = _user_month_usage(log, burn)
    peaks = sorted(max(months.values(), default=ZERO) for months in usage.values())
    n = len(peaks)
    k = max(1, -(-n * 8 // 10))
    p80 = peaks[k - 1]
    allocation = (2 * p80).quantize(Decimal(1), ROUND_FLOOR) + 1
    under = sum(1 for p in peaks if p < allocation / 2)
    share = None
    if current is not None and current > 0:
        share = (Decimal(sum(1 for p in peaks if p < current / 2)) / n * HUNDRED).quantize(_PCT)
    basis = (
        "credits burned by the quote's rates"
        if burn is not None
        else "total quantity over all metrics, one credit per unit"
    )
    return CreditAdvice(allocation, n, under, p80, current, share, basis, burn is not None)


def platform_advice(
    log: UsageLog,
    metric: str | None,
    unit_cost: Decimal,
    fixed_cost: Decimal,
    target_margin: Decimal,
    fee: Decimal,
    overage_price: Decimal,
    feed: Feed | None = None,
) -> PlatformAdvice:
    """``feed`` says which log metrics the quote's metric reads (its mapping); without
    one, the log metric of that name (every metric when ``metric`` is None)."""
    totals: dict[int, Decimal] = dict.fromkeys(log.months, ZERO)
    for (month, _user, m), cell in log.cells.items():
        if feed is not None:
            if feed.reads_metric(m):
                totals[month] += cell.quantity
        elif metric is None or m == metric:
            totals[month] += cell.quantity
    label = metric or "all metrics"
    if feed is not None and metric is not None and feed.reads != (metric,):
        label = f"{metric} (log: {feed.describe()})"
    monthly = list(totals.values())
    included = percentile(monthly, Decimal(50)).quantize(Decimal(1), ROUND_CEILING)
    keep = 1 - target_margin / HUNDRED
    floor = ((fixed_cost + unit_cost * included) / keep).quantize(_UNITS, ROUND_CEILING)
    break_even = None
    above = 0
    if unit_cost:
        break_even = ((fee * keep - fixed_cost) / unit_cost).quantize(Decimal(1), ROUND_FLOOR)
        break_even = max(ZERO, break_even)
        above = sum(1 for v in monthly if v > break_even)
    return PlatformAdvice(
        metric=label,
        included_units=included,
        monthly_p10=percentile(monthly, Decimal(10)).quantize(_UNITS),
        monthly_p90=percentile(monthly, Decimal(90)).quantize(_UNITS),
        unit_cost=unit_cost,
        fixed_cost=fixed_cost,
        target_margin_percent=target_margin,
        platform_fee_floor=floor,
        platform_fee=fee,
        overage_price=overage_price,
        overage_price_floor=(unit_cost / keep).quantize(Decimal("0.0001"), ROUND_CEILING),
        break_even_units=break_even,
        months_above_break_even=above,
    )


def per_user_monthly(log: UsageLog) -> list[Decimal]:
    """Each user's total quantity over all metrics / the log's months."""
    totals: dict[str, Decimal] = dict.fromkeys(log.users, ZERO)
    for (_month, user, _metric), cell in log.cells.items():
        totals[user] += cell.quantity
    n_months = len(log.months)
    return [t / n_months for t in totals.values()]


def seat_advice(log: UsageLog) -> SeatAdvice:
    """Usage per seat (``per_user_monthly``). Flagged when the coefficient of variation is
    above 1 or the 90th percentile is above 3 x the median."""
    per_user = per_user_monthly(log)
    med = percentile(per_user, Decimal(50))
    p90 = percentile(per_user, Decimal(90))
    cv = coefficient_of_variation(per_user)
    ratio = p90 / med if med else None
    reasons = []
    if cv is not None and cv > CV_LIMIT:
        reasons.append(
            f"coefficient of variation {cv.quantize(Decimal('0.01'))} is above {CV_LIMIT}"
        )
    if ratio is not None and ratio > RATIO_LIMIT:
        reasons.append(
            f"the 90th-percentile user uses {ratio.quantize(Decimal('0.1'))}x the median "
            f"(above {RATIO_LIMIT}x)"
        )
    if med == 0 and p90 > 0:
        reasons.append("the median user uses nothing while the 90th percentile does")
    flagged = bool(reasons)
    reason = (
        "usage per seat varies widely: "
        + "; ".join(reasons)
        + ". Flat seats would let heavy users erode the margin (headcount-blind seats)."
        if flagged
        else "usage per seat is even enough for seat pricing"
    )
    return SeatAdvice(
        users=len(per_user),
        mean_per_user=mean(per_user).quantize(_UNITS),
        median_per_user=med.quantize(_UNITS),
        p90_per_user=p90.quantize(_UNITS),
        coefficient_of_variation=None if cv is None else cv.quantize(Decimal("0.01")),
        p90_to_median=None if ratio is None else ratio.quantize(Decimal("0.01")),
        flagged=flagged,
        reason=reason,
    )


# --- the report ---------------------------------------------------------------------------


def simulate(
    log: UsageLog,
    quote: QuoteDocument | None = None,
    source: str = "",
    metric_map: dict[str, str] | None = None,
    currency: str = "USD",
    quote_label: str = "quote",
) -> UsageReport:
    """Simulate every model over the log, and recommend from it. ``metric_map`` says which
    log metric a quote metric reads (``pricing.evidence.resolve_feeds``); ``currency`` is
    the templates' currency when there is no quote (a quote brings its own);
    ``quote_label`` names the quote in its model's title (``plan X`` for a catalog plan)."""
    first = log.first_month
    start = dt.date(first // 12, first % 12 + 1, 1)
    currency = quote.currency if quote is not None else currency
    setups: list[_Setup] = []
    quote_setup = (
        _quote_setup(quote, log, start, metric_map, quote_label) if quote is not None else None
    )
    if quote_setup is not None:
        setups.append(quote_setup)
    for model in PricingModel:
        if quote_setup is not None and quote_setup.model is model:
            continue
        setups.append(_template_setup(model, log, currency, start))
    by_month = log.by_month()
    results = tuple(_simulate(s, log, by_month) for s in setups)

    # Recommendations read the quote's own components where it has them.
    credits = next(
        (c for c in quote.components if isinstance(c, Credits)) if quote is not None else iter(()),
        None,
    )
    # Recommendations read the log as the quote's own row does: through its feeds (the
    # rep's mapping, the same name, or the one unmatched metric).
    feeds = {f.metric: f for f in quote_setup.feeds} if quote_setup is not None else {}
    burn = (
        log_weights(dict(credits.burn), list(feeds.values()), log) if credits is not None else None
    )
    current = credits.allocation_per_seat if credits is not None else Decimal(500)
    overage = next(
        (c for c in quote.components if isinstance(c, AllowanceOverage))
        if quote is not None
        else iter(()),
        None,
    )
    econ = quote.economics if quote is not None else Economics()
    if overage is not None:
        metric: str | None = overage.metric
        price = overage.overage_unit_price
        cost = econ.unit_costs.get(overage.metric, ZERO) * econ.levers.factor()
    else:
        metric, price = None, Decimal("0.25")
        cost = template_for(PricingModel.PLATFORM_USAGE).unit_costs["ai_operations"]
    fees = (
        [c.amount for c in quote.components if isinstance(c, FlatFee) and c.interval == "month"]
        if quote is not None and overage is not None
        else [Decimal(500)]
    )
    platform = platform_advice(
        log,
        metric,
        cost,
        econ.fixed_cost_per_month,
        econ.target_margin_percent,
        sum(fees, ZERO),
        price,
        feeds.get(metric) if metric is not None else None,
    )
    notes = []
    if log.ignored_columns:
        notes.append("columns not read: " + ", ".join(log.ignored_columns))
    return UsageReport(
        source=source,
        currency=currency,
        rows=log.rows,
        users=len(log.users),
        metrics=log.metrics,
        months=tuple(month_label(m) for m in log.months),
        models=results,
        credits=credit_advice(log, burn, current),
        platform=platform,
        seats=seat_advice(log),
        notes=tuple(notes),
    )


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {name: _json(getattr(value, name)) for name in value.__dataclass_fields__}
    return value


def report_to_dict(report: UsageReport) -> dict[str, Any]:
    """The report as JSON-ready data: every amount a decimal string."""
    result: dict[str, Any] = _json(report)
    return result
