"""The monthly bill at low, expected and high usage: the buyer's first fear is an
unpredictable bill.

With usage evidence (a usage log kept with the quote) the three bills are the year-1
average monthly bills at the usage of a quiet, a typical and a busy month of the log
(``pricing.evidence``), unless a metric the quote charges for reads nothing from the log:
then the range would leave charges out, and the forecast is used. A quiet and a busy month
are the 10th and 90th percentile months when the log has at least ``PERCENTILE_MONTHS``
months; with fewer, a percentile would be interpolated between two of the few months there
are, a precision the data does not have, so they are the log's quietest and busiest months
(named, and the proposal says how few months they are of). The typical month is the
median, never called "expected": the proposal's expected usage is its forecast, whose
average month it prints elsewhere and names beside these.

Without a log, usage is scaled by factors that follow how much usage varies (answered in
the advisor or the usage profile); the proposal states the factors."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from quote_builder.pricing import QuoteDocument, price
from quote_builder.pricing.document import UsageForecast, YearRamp
from quote_builder.pricing.evidence import PERCENTILE_MONTHS, EvidenceBills, evidence_bills

SCALES: dict[str, tuple[Decimal, Decimal]] = {
    "low": (Decimal("0.8"), Decimal("1.25")),
    "medium": (Decimal("0.5"), Decimal("1.5")),
    "high": (Decimal("0.25"), Decimal("2.5")),
}


@dataclass(frozen=True)
class BillScenario:
    label: str
    """``Low``, ``Expected``, ``High`` (usage scaled), or ``Quiet``, ``Typical``, ``Busy``
    (months of the usage log)."""
    usage_factor: Decimal | None
    """Usage scaled by this factor; None when the bill is a month of the usage log."""
    monthly: Decimal
    """Average monthly recurring bill in contract year 1, or the log month's bill."""
    percentile: int | None = None
    """The log month's percentile (10, 50, 90) when the bill is a percentile of the log."""
    month: str = ""
    """The log's month (``2026-06``) when the bill is one month of it: the quietest, the
    busiest, or the median of an odd number of months, in a log of few months."""


def _scaled(doc: QuoteDocument, factor: Decimal) -> QuoteDocument:
    forecast = {
        metric: UsageForecast(
            monthly=None if f.monthly is None else (f.monthly * factor).quantize(Decimal("0.01")),
            growth_percent_per_month=f.growth_percent_per_month,
            per_year=None
            if f.per_year is None
            else [(v * factor).quantize(Decimal("0.01")) for v in f.per_year],
        )
        for metric, f in doc.usage_forecast.items()
    }
    ramps = [
        YearRamp(
            year=r.year,
            seats=r.seats,
            usage={m: (v * factor).quantize(Decimal("0.01")) for m, v in r.usage.items()},
        )
        for r in doc.ramps
    ]
    return doc.model_copy(update={"usage_forecast": forecast, "ramps": ramps})


def variation(doc: QuoteDocument) -> str:
    if doc.advisor.usage_intensity_variation:
        return doc.advisor.usage_intensity_variation
    if doc.usage_profile and doc.usage_profile.intensity_variation:
        return doc.usage_profile.intensity_variation
    return "medium"


def log_range(doc: QuoteDocument) -> EvidenceBills | None:
    """The range from the quote's usage log, when it has one that prices every charge."""
    try:
        bills = evidence_bills(doc)
    except (ArithmeticError, ValueError):
        return None
    return bills if bills is not None and not bills.incomplete else None


def bill_scenarios(
    doc: QuoteDocument, expected_monthly: Decimal, from_log: EvidenceBills | None
) -> list[BillScenario]:
    """Low, expected and high average monthly bills (year 1, recurring charges): from the
    usage log when ``from_log`` (``log_range(doc)``) is given, else from the forecast."""
    if from_log is not None:
        return log_scenarios(from_log)
    if not doc.usage_forecast:
        return [BillScenario("Expected", Decimal(1), expected_monthly)]
    low, high = SCALES[variation(doc)]
    result = []
    for label, factor in (("Low", low), ("Expected", Decimal(1)), ("High", high)):
        if factor == 1:
            monthly = expected_monthly
        else:
            priced = price(_scaled(doc, factor))
            monthly = priced.average_monthly
        result.append(BillScenario(label, factor, monthly))
    return result


def few_months(from_log: EvidenceBills) -> bool:
    """Whether the log has too few months for its 10th and 90th percentiles
    (``pricing.evidence.PERCENTILE_MONTHS``, the app's rule too)."""
    return len(from_log.months) < PERCENTILE_MONTHS


def log_scenarios(from_log: EvidenceBills) -> list[BillScenario]:
    """A quiet, a typical and a busy month of the usage log (module docstring)."""
    if not few_months(from_log):
        return [
            BillScenario("Quiet", None, from_log.low, 10),
            BillScenario("Typical", None, from_log.expected, 50),
            BillScenario("Busy", None, from_log.high, 90),
        ]
    months = from_log.months
    quietest = min(months, key=lambda m: m.bill)
    busiest = max(months, key=lambda m: m.bill)
    median = next((m for m in months if m.bill == from_log.expected), None)
    return [
        BillScenario("Quiet", None, quietest.bill, month=quietest.month),
        BillScenario(
            "Typical",
            None,
            from_log.expected,
            50 if median is None or len(months) % 2 == 0 else None,
            month=median.month if median is not None and len(months) % 2 else "",
        ),
        BillScenario("Busy", None, busiest.bill, month=busiest.month),
    ]


def log_bounds(from_log: EvidenceBills) -> tuple[Decimal, Decimal]:
    """The quiet and the busy month's bills (the options' "monthly bill over your usage
    log")."""
    scenarios = log_scenarios(from_log)
    return scenarios[0].monthly, scenarios[-1].monthly
