"""Price a quote over its usage evidence: the bill-shock range (a quiet, typical and busy
month: the 10th percentile, median and 90th percentile of the log's months).

**What a month's bill means here.** For each month of the log: the quote's average monthly
bill in contract year 1 if every month of that year used what this month used, at the
quote's prices (recurring charges; one-time fees left out). So a yearly fee counts as a
twelfth a month, a minimum commitment's true-up and a time-limited discount are averaged
over year 1, and later contract years (ramps, escalator, cost decline) play no part: the
range answers "what will a month like this cost me", the same question the forecast-based
range answers (``documents.scenarios``).

Which log metrics a quote metric reads (``resolve_feeds``), in order:

1. the rep's choice in ``UsageEvidence.metric_map`` (a log metric, ``"*"`` for all, or
   ``"-"`` for none: not used in the log's months);
2. the log metric of the same name;
3. a percent-of-value metric reads the attributed value of the whole log (nothing when the
   log has no ``attributed_value`` column);
4. when exactly one metric a component charges for is still unmatched, it reads the log
   metrics no other quote metric reads (a log written with other names, e.g. ``api_call``
   for ``ai_operations``); with none charged, the same holds for one metric with a unit
   cost;
5. anything else reads nothing and says so in the notes. A charged metric that reads
   nothing makes the range incomplete (``EvidenceBills.incomplete``): the proposal then
   does not use it.

A per-outcome metric reads the quantity of the successful rows (every row when the log has
no success column); a percent-of-value metric the attributed value; a transaction fee's
count metric the number of rows its value metric reads (each row is one transaction, its
quantity the transaction's value); any other the quantity.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Literal

from .components import Component, PercentOfValue, PerOutcome, TransactionFee
from .document import ALL_METRICS, NO_METRICS, QuoteDocument, UsageEvidence
from .engine import price_schedule
from .money import minor_unit
from .usage import UsagePlan, cost_factors, price_factors, seat_counts

Source = Literal["quantity", "successes", "value", "events"]
ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Feed:
    """A pricing metric and what it reads from the log."""

    metric: str
    source: Source
    reads: tuple[str, ...] | None
    """The log metrics it reads; None for every metric of the log; ``()`` for nothing."""

    def reads_metric(self, name: str) -> bool:
        return self.reads is None or name in self.reads

    def describe(self) -> str:
        if self.reads is None:
            return "all of the log's metrics"
        return ", ".join(self.reads) or "nothing"


NoteCode = Literal[
    "no_value_column", "no_such_metric", "reads_others", "reads_nothing", "no_success_column"
]


class EvidenceNote(str):
    """A note on how the log was read: its English sentence (what the command line prints,
    and what the note compares equal to), with its parts kept so that the app can write it
    in the user's language."""

    code: NoteCode
    metric: str
    names: tuple[str, ...]

    def __new__(cls, code: NoteCode, metric: str = "", names: tuple[str, ...] = ()) -> EvidenceNote:
        note = super().__new__(cls, _note_english(code, metric, names))
        note.code, note.metric, note.names = code, metric, tuple(names)
        return note

    def __reduce__(self) -> tuple[type[EvidenceNote], tuple[str, str, tuple[str, ...]]]:
        return (EvidenceNote, (self.code, self.metric, self.names))


def _note_english(code: NoteCode, metric: str, names: tuple[str, ...]) -> str:
    if code == "no_value_column":
        return f"{metric}: the log has no attributed_value column, reads nothing"
    if code == "no_such_metric":
        return f"{metric}: the log has no metric {names[0]!r}, reads nothing"
    if code == "reads_others":
        return f"{metric}: not in the log, reads {', '.join(names)}"
    if code == "reads_nothing":
        return f"{metric}: not in the log, reads nothing"
    return "the log has no success column: every row counts as an outcome"


@dataclass(frozen=True, slots=True)
class EvidenceMonthBill:
    month: str
    bill: Decimal
    cogs: Decimal


@dataclass(frozen=True, slots=True)
class EvidenceBills:
    """The quote priced over the log's months (module docstring)."""

    months: tuple[EvidenceMonthBill, ...]
    low: Decimal
    expected: Decimal
    high: Decimal
    average: Decimal
    margin_percent: Decimal | None
    feeds: tuple[Feed, ...]
    notes: tuple[str, ...]
    incomplete: tuple[str, ...] = ()
    """Metrics the quote charges for that read nothing from the log: the range leaves
    their charges out, so the proposal does not use it."""


PERCENTILE_MONTHS = 10
"""The fewest months of a usage log whose 10th and 90th percentile months are shown. With
fewer, a percentile would be interpolated between two of the few months there are, a
precision the data does not have: the log's quietest and busiest months stand for a quiet
and a busy month (and the median for a typical one). One rule for the proposal
(``documents.scenarios``), the app's usage panel and totals, and the command line."""


def few_months(count: int) -> bool:
    """Whether a log of ``count`` months is too short for its 10th and 90th percentiles."""
    return count < PERCENTILE_MONTHS


def quiet_typical_busy(values: Sequence[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """A quiet, a typical and a busy month's value: the 10th percentile, the median and the
    90th percentile; for a log of few months (``few_months``) the smallest, the median and
    the largest value."""
    if values and few_months(len(values)):
        return min(values), percentile(values, Decimal(50)), max(values)
    return (
        percentile(values, Decimal(10)),
        percentile(values, Decimal(50)),
        percentile(values, Decimal(90)),
    )


def percentile(values: Sequence[Decimal], p: Decimal) -> Decimal:
    """The ``p``-th percentile (0-100) by linear interpolation between closest ranks
    (NumPy's default): rank ``h = (n - 1) x p / 100``. Empty input gives 0."""
    if not values:
        return ZERO
    ordered = sorted(values)
    h = (len(ordered) - 1) * p / 100
    low = int(h)
    if low + 1 >= len(ordered):
        return ordered[-1]
    return ordered[low] + (h - low) * (ordered[low + 1] - ordered[low])


def metric_sources(doc: QuoteDocument, has_success: bool) -> dict[str, Source]:
    """What each metric of the quote (charged by a component or given a unit cost) reads."""
    return _sources(doc.components, doc.economics.unit_costs, has_success)


def _sources(
    components: Sequence[Component], unit_costs: Collection[str], has_success: bool
) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for component in components:
        for metric in component.metrics():
            if isinstance(component, TransactionFee) and metric == component.count_metric:
                continue  # counts the rows its value metric reads (``_resolve``)
            if isinstance(component, PerOutcome):
                sources[metric] = "successes" if has_success else "quantity"
            elif isinstance(component, PercentOfValue):
                sources[metric] = "value"
            else:
                sources.setdefault(metric, "quantity")
    for metric in unit_costs:
        sources.setdefault(metric, "quantity")
    return sources


def resolve_feeds(
    doc: QuoteDocument,
    log_metrics: Collection[str],
    has_success: bool,
    chosen: Mapping[str, str] | None = None,
    has_value: bool = True,
) -> tuple[list[Feed], list[str]]:
    """The feed of every quote metric, and notes on the choices made (module docstring)."""
    return _resolve(
        doc.components, doc.economics.unit_costs, log_metrics, has_success, chosen, has_value
    )


def _resolve(
    components: Sequence[Component],
    unit_costs: Collection[str],
    log_metrics: Collection[str],
    has_success: bool,
    chosen: Mapping[str, str] | None,
    has_value: bool = True,
) -> tuple[list[Feed], list[str]]:
    chosen = chosen or {}
    present = set(log_metrics)
    sources = _sources(components, unit_costs, has_success)
    charged = {m for c in components for m in c.metrics()}
    notes: list[str] = []
    reads: dict[str, tuple[str, ...] | None] = {}
    for metric, source in sources.items():
        if source == "value" and not has_value:
            notes.append(EvidenceNote("no_value_column", metric))
            reads[metric] = ()
        elif metric in chosen:
            choice = chosen[metric]
            if choice == ALL_METRICS:
                reads[metric] = None
            elif choice == NO_METRICS:
                reads[metric] = ()  # the rep says it was not used: 0, and complete
            elif choice in present:
                reads[metric] = (choice,)
            else:
                notes.append(EvidenceNote("no_such_metric", metric, (choice,)))
                reads[metric] = ()
        elif metric in present:
            reads[metric] = (metric,)
        elif source == "value":
            reads[metric] = None
    unmatched = [m for m in sources if m not in reads]
    candidates = [m for m in unmatched if m in charged] or unmatched
    if len(candidates) == 1:
        metric = candidates[0]
        claimed: set[str] = set()
        for other, names in reads.items():
            if sources[other] != "value":
                claimed |= present if names is None else set(names)
        rest = tuple(sorted(present - claimed))
        reads[metric] = rest
        if rest:
            notes.append(EvidenceNote("reads_others", metric, rest))
    for metric in unmatched:
        if not reads.get(metric):
            notes.append(EvidenceNote("reads_nothing", metric))
            reads[metric] = ()
    if not has_success and any(isinstance(c, PerOutcome) for c in components):
        notes.append(EvidenceNote("no_success_column"))
    feeds = [Feed(m, sources[m], reads[m]) for m in sorted(sources)]
    # A transaction fee's rows are its transactions: each row's quantity is one
    # transaction's value, and the count is the number of those rows.
    for component in components:
        if isinstance(component, TransactionFee) and component.count_metric not in sources:
            feeds.append(Feed(component.count_metric, "events", reads[component.metric]))
    return feeds, notes


def evidence_quantities(evidence: UsageEvidence, feeds: Sequence[Feed]) -> dict[str, list[Decimal]]:
    """Monthly quantity of each fed metric over the evidence's months."""
    result: dict[str, list[Decimal]] = {}
    for feed in feeds:
        values = []
        for month in evidence.months:
            total = ZERO
            for name, totals in month.metrics.items():
                if feed.reads_metric(name):
                    total += getattr(totals, feed.source) or ZERO
            values.append(total)
        result[feed.metric] = values
    return result


def suggested_forecast(
    evidence: UsageEvidence, components: Sequence[Component]
) -> dict[str, Decimal]:
    """The median month of the log for each metric the components charge for (what each
    reads, as ``resolve_feeds`` decides): a forecast grounded in the log."""
    feeds, _notes = _resolve(
        components,
        (),
        _log_metrics(evidence),
        evidence.has_success,
        evidence.metric_map,
        evidence.has_value,
    )
    quantities = evidence_quantities(evidence, feeds)
    return {
        metric: percentile(values, Decimal(50)).quantize(Decimal("0.01"))
        for metric, values in quantities.items()
    }


def _log_metrics(evidence: UsageEvidence) -> set[str]:
    return {name for month in evidence.months for name in month.metrics}


def _money(amount: Decimal, quantum: Decimal) -> Decimal:
    """Rounded to the currency's minor unit, half up (as the engine rounds invoice lines)."""
    return amount.quantize(quantum, ROUND_HALF_UP)


def evidence_bills(doc: QuoteDocument) -> EvidenceBills | None:
    """The quote's bill for each month of its usage evidence (None without evidence), as
    the module docstring defines it, and the p10 / median / p90 range."""
    evidence = doc.usage_evidence
    if evidence is None:
        return None
    with localcontext(prec=60):
        return _evidence_bills(doc, evidence)


@dataclass(frozen=True, slots=True)
class MonthAtUsage:
    """Contract year 1 at one constant monthly usage, as an average month."""

    lines: tuple[tuple[str | None, Decimal], ...]
    """(component id, average monthly amount) of the recurring invoice lines, in invoice
    order; ``None`` for deal-wide lines (discounts). Unrounded."""
    bill: Decimal
    cogs: Decimal
    """In the quote's currency (the seller's costs at the quote's exchange rate)."""


class YearOnePricer:
    """Prices contract year 1 of ``doc`` with every month at one usage (the module
    docstring's definition of a log month's bill), caching each distinct usage.
    ``seats`` replaces seat counts (a template simulated with one seat per log user)."""

    def __init__(self, doc: QuoteDocument, seats: Mapping[str, Decimal] | None = None) -> None:
        self.months = doc.year_spans()[0][1]
        self.doc = doc.model_copy(update={"term_months": self.months})
        self.seats = seat_counts(self.doc)
        if seats:
            self.seats = [{**year, **seats} for year in self.seats]
        self.prices = price_factors(self.doc)
        self.costs = cost_factors(self.doc)
        self._cache: dict[tuple[tuple[str, Decimal], ...], MonthAtUsage] = {}

    def month(self, usage: Mapping[str, Decimal]) -> MonthAtUsage:
        key = tuple(sorted(usage.items()))
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        plan = UsagePlan(
            {metric: [q] * self.months for metric, q in usage.items()},
            self.seats,
            self.prices,
            self.costs,
        )
        with localcontext(prec=60):
            priced = price_schedule(self.doc, plan)
            amounts: dict[str | None, Decimal] = {}
            for period in priced.periods:
                for line in period.lines:
                    if line.recurring:
                        amounts[line.component_id] = (
                            amounts.get(line.component_id, ZERO) + line.amount
                        )
            lines = tuple((cid, amount / self.months) for cid, amount in amounts.items())
            result = MonthAtUsage(
                lines,
                sum((amount for _cid, amount in lines), ZERO),
                # COGS are in the seller's currency: in the quote's at its exchange rate, so
                # that the bill and its cost stand side by side.
                sum((p.cogs for p in priced.periods), ZERO) * priced.exchange_rate / self.months,
            )
        self._cache[key] = result
        return result


def _evidence_bills(doc: QuoteDocument, evidence: UsageEvidence) -> EvidenceBills:
    feeds, notes = resolve_feeds(
        doc, _log_metrics(evidence), evidence.has_success, evidence.metric_map, evidence.has_value
    )
    charged = {m for c in doc.components for m in c.metrics()}
    incomplete = tuple(
        f.metric
        for f in feeds
        if f.reads == () and f.metric in charged and evidence.metric_map.get(f.metric) != NO_METRICS
    )
    pricer = YearOnePricer(doc)
    quantities = evidence_quantities(evidence, feeds)
    bills = []
    for index, month in enumerate(evidence.months):
        at = pricer.month({f.metric: quantities[f.metric][index] for f in feeds})
        bills.append(EvidenceMonthBill(month.month, at.bill, at.cogs))
    quantum = minor_unit(doc.currency)
    monthly = [b.bill for b in bills]
    total = sum(monthly, ZERO)
    cogs_total = sum((b.cogs for b in bills), ZERO)
    margin = ((total - cogs_total) / total * HUNDRED).quantize(Decimal("0.1")) if total else None
    quiet, typical, busy = quiet_typical_busy(monthly)
    return EvidenceBills(
        months=tuple(
            EvidenceMonthBill(b.month, _money(b.bill, quantum), _money(b.cogs, quantum))
            for b in bills
        ),
        low=_money(quiet, quantum),
        expected=_money(typical, quantum),
        high=_money(busy, quantum),
        average=_money(total / len(bills), quantum),
        margin_percent=margin,
        feeds=tuple(feeds),
        notes=tuple(notes),
        incomplete=incomplete,
    )
