"""Price a quote over the months of its usage evidence: what the customer would have paid
each month of the log, and the bill-shock range (the 10th percentile, median and 90th
percentile month).

Which log metric a quote metric reads (``resolve_feeds``), in order:

1. the rep's choice in ``UsageEvidence.metric_map`` (a log metric, or ``"*"`` for all);
2. the log metric of the same name;
3. a percent-of-value metric reads the attributed value of the whole log;
4. when exactly one metric a component charges for is still unmatched, it reads every
   metric of the log (a log written with other names, e.g. ``api_call`` for
   ``ai_operations``); with none charged, the same holds for one metric with a unit cost;
5. anything else reads nothing (priced at 0) and says so in the notes.

A per-outcome metric reads the quantity of the successful rows (every row when the log has
no success column); a percent-of-value metric the attributed value; any other the quantity.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .components import Component, PercentOfValue, PerOutcome
from .document import ALL_METRICS, QuoteDocument, UsageEvidence
from .engine import price_schedule
from .money import minor_unit
from .usage import UsagePlan, cost_factors, price_factors, seat_counts

Source = Literal["quantity", "successes", "value"]
ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Feed:
    """A pricing metric and what it reads from the log."""

    metric: str
    source: Source
    log_metric: str | None
    """The log's metric; None for every metric of the log; ``""`` for nothing."""


@dataclass(frozen=True, slots=True)
class EvidenceMonthBill:
    month: str
    bill: Decimal
    cogs: Decimal


@dataclass(frozen=True, slots=True)
class EvidenceBills:
    """The quote priced over the log's months."""

    months: tuple[EvidenceMonthBill, ...]
    low: Decimal
    expected: Decimal
    high: Decimal
    average: Decimal
    margin_percent: Decimal | None
    feeds: tuple[Feed, ...]
    notes: tuple[str, ...]


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
) -> tuple[list[Feed], list[str]]:
    """The feed of every quote metric, and notes on the choices made (module docstring)."""
    return _resolve(doc.components, doc.economics.unit_costs, log_metrics, has_success, chosen)


def _resolve(
    components: Sequence[Component],
    unit_costs: Collection[str],
    log_metrics: Collection[str],
    has_success: bool,
    chosen: Mapping[str, str] | None,
) -> tuple[list[Feed], list[str]]:
    chosen = chosen or {}
    present = set(log_metrics)
    sources = _sources(components, unit_costs, has_success)
    charged = {m for c in components for m in c.metrics()}
    notes: list[str] = []
    mapped: dict[str, str | None] = {}
    for metric, source in sources.items():
        if metric in chosen:
            choice = chosen[metric]
            if choice == ALL_METRICS:
                mapped[metric] = None
            elif choice in present:
                mapped[metric] = choice
            else:
                notes.append(f"{metric}: the log has no metric {choice!r}, priced at 0")
                mapped[metric] = ""
        elif metric in present:
            mapped[metric] = metric
        elif source == "value":
            mapped[metric] = None
    unmatched = [m for m in sources if m not in mapped]
    candidates = [m for m in unmatched if m in charged] or unmatched
    if len(candidates) == 1:
        mapped[candidates[0]] = None
        if present != {candidates[0]}:
            notes.append(f"{candidates[0]}: not in the log, reads all of the log's metrics")
    for metric in unmatched:
        if metric not in mapped:
            notes.append(f"{metric}: not in the log, priced at 0")
            mapped[metric] = ""
    if not has_success and any(isinstance(c, PerOutcome) for c in components):
        notes.append("the log has no success column: every row counts as an outcome")
    feeds = [Feed(m, sources[m], mapped[m]) for m in sorted(sources)]
    return feeds, notes


def evidence_quantities(evidence: UsageEvidence, feeds: Sequence[Feed]) -> dict[str, list[Decimal]]:
    """Monthly quantity of each fed metric over the evidence's months."""
    result: dict[str, list[Decimal]] = {}
    for feed in feeds:
        values = []
        for month in evidence.months:
            total = ZERO
            for name, totals in month.metrics.items():
                if feed.log_metric is None or feed.log_metric == name:
                    total += getattr(totals, feed.source)
            values.append(total if feed.log_metric != "" else ZERO)
        result[feed.metric] = values
    return result


def suggested_forecast(
    evidence: UsageEvidence, components: Sequence[Component]
) -> dict[str, Decimal]:
    """The median month of the log for each metric the components charge for (what each
    reads, as ``resolve_feeds`` decides): a forecast grounded in the log."""
    feeds, _notes = _resolve(
        components, (), _log_metrics(evidence), evidence.has_success, evidence.metric_map
    )
    quantities = evidence_quantities(evidence, feeds)
    return {
        metric: percentile(values, Decimal(50)).quantize(Decimal("0.01"))
        for metric, values in quantities.items()
    }


def _log_metrics(evidence: UsageEvidence) -> set[str]:
    return {name for month in evidence.months for name in month.metrics}


def evidence_bills(doc: QuoteDocument) -> EvidenceBills | None:
    """The quote's monthly bills over its usage evidence (None without evidence): the
    quote's prices, seats, discounts and unit costs; the log's quantities; billed monthly.
    A month's bill is its recurring invoice lines (one-time fees are left out)."""
    evidence = doc.usage_evidence
    if evidence is None:
        return None
    feeds, notes = resolve_feeds(
        doc, _log_metrics(evidence), evidence.has_success, evidence.metric_map
    )
    first = evidence.months[0].month
    start = doc.start_date.replace(day=1, month=int(first[5:]), year=int(first[:4]))
    priced_doc = doc.model_copy(
        update={
            "term_months": len(evidence.months),
            "start_date": start,
            "billing_frequency": "monthly",
        }
    )
    plan = UsagePlan(
        evidence_quantities(evidence, feeds),
        seat_counts(priced_doc),
        price_factors(priced_doc),
        cost_factors(priced_doc),
    )
    priced = price_schedule(priced_doc, plan)
    bills = tuple(
        EvidenceMonthBill(
            month.month,
            sum((line.amount for line in period.lines if line.recurring), ZERO),
            period.cogs,
        )
        for month, period in zip(evidence.months, priced.periods, strict=True)
    )
    quantum = minor_unit(doc.currency)
    monthly = [b.bill for b in bills]
    total = sum(monthly, ZERO)
    cogs = sum((b.cogs for b in bills), ZERO)
    margin = ((total - cogs) / total * HUNDRED).quantize(Decimal("0.1")) if total else None
    return EvidenceBills(
        months=bills,
        low=percentile(monthly, Decimal(10)).quantize(quantum),
        expected=percentile(monthly, Decimal(50)).quantize(quantum),
        high=percentile(monthly, Decimal(90)).quantize(quantum),
        average=(total / len(bills)).quantize(quantum),
        margin_percent=margin,
        feeds=tuple(feeds),
        notes=tuple(notes),
    )
