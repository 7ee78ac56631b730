"""What a deal consumes month by month: forecast quantities, seat counts, and the yearly
price and cost multipliers. Computed once per pricing and shared by the engine, the value
summary and the guardrails."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .components import Component, Credits, Seats, TransactionFee
from .document import QuoteDocument, UsageForecast, YearRamp, contract_years
from .fields import MAX_DECIMAL_PLACES
from .money import HUNDRED, ONE

_QTY = Decimal(10) ** -MAX_DECIMAL_PLACES


@dataclass(frozen=True, slots=True)
class UsagePlan:
    quantities: dict[str, list[Decimal]]
    """Monthly quantity of each forecast metric; index 0 is month 1."""
    seats_by_year: list[dict[str, Decimal]]
    """Seat count of each seats component; index 0 is contract year 1."""
    price_factors: list[Decimal]
    """Escalator multiplier per contract year."""
    cost_factors: list[Decimal]
    """Unit-cost multiplier per contract year: levers x yearly decline."""
    year_starts: tuple[int, ...] = field(default=())
    """The first month (from 1) of each contract year; empty: every 12 months."""

    def month(self, month: int) -> dict[str, Decimal]:
        return {metric: values[month - 1] for metric, values in self.quantities.items()}

    def units_in_year(self, metric: str, year: int, months: int) -> Decimal:
        values = self.quantities.get(metric, [])
        first = self.year_starts[year - 1] - 1 if self.year_starts else (year - 1) * 12
        return sum(values[first : first + months], Decimal(0))


def usage_plan(doc: QuoteDocument) -> UsagePlan:
    return UsagePlan(
        forecast_quantities(doc),
        seat_counts(doc),
        price_factors(doc),
        cost_factors(doc),
        tuple(first for first, _months in doc.year_spans()),
    )


def year_of_months(doc: QuoteDocument) -> list[int]:
    """The contract year of each month; index 0 is month 1."""
    return [
        year for year, (_first, months) in enumerate(doc.year_spans(), 1) for _ in range(months)
    ]


def forecast_quantities(doc: QuoteDocument) -> dict[str, list[Decimal]]:
    """Monthly quantity of each forecast metric, ramps applied, at full precision: a
    fractional meter (millions of tokens, GPU-hours) keeps every decimal it was given. A
    growing forecast compounds monthly and is rounded half up to 10 decimal places (the
    precision of any input), so products with prices stay exact in the engine's context.

    A ramp's quantity replaces the forecast from its contract year on, until a later ramp
    sets the same metric (as a ramp's seat count does)."""
    ramps = {r.year: r.usage for r in doc.ramps}
    n_years = contract_years(doc.term_months, doc.first_year_months)
    year_of = year_of_months(doc)
    result: dict[str, list[Decimal]] = {}
    # growth^(month - 1) for each month, computed once per growth rate: metrics often share one.
    powers: dict[Decimal, list[Decimal]] = {}
    for metric, forecast in doc.usage_forecast.items():
        overrides: list[Decimal | None] = []
        override = None
        for year in range(1, n_years + 1):
            override = ramps.get(year, {}).get(metric, override)
            overrides.append(override)
        values = []
        level = forecast.monthly
        growth = forecast.growth_percent_per_month
        if level is not None and growth not in powers:
            # Multiplied month by month: Decimal raises on 0 ** 0 (a -100 % growth).
            step = ONE + growth / HUNDRED
            factor = ONE
            series = []
            for _ in range(doc.term_months):
                series.append(factor)
                factor *= step
            powers[growth] = series
        for month in range(1, doc.term_months + 1):
            year = year_of[month - 1]
            override = overrides[year - 1]
            if override is not None:
                values.append(override)
            elif forecast.per_year is not None:
                values.append(forecast.per_year[min(year, len(forecast.per_year)) - 1])
            else:
                assert level is not None
                if growth:
                    values.append((level * powers[growth][month - 1]).quantize(_QTY, ROUND_HALF_UP))
                else:
                    values.append(level)
        result[metric] = values
    return result


def _whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def fractional_metrics(
    forecasts: Mapping[str, UsageForecast], ramps: Iterable[YearRamp]
) -> frozenset[str]:
    """The metrics the quote gives with a fraction somewhere (a forecast's monthly or
    yearly quantity, a ramp's): meters of a measure (2.5 million tokens, 12.75 GPU-hours).
    Every other metric counts things (tickets, tasks, calls): a count the engine estimates
    with a fraction (a forecast growing 1.2 % a month compounds to 50,015.75 tickets a
    year) is stated as a whole count, rounded half up (:func:`stated_quantity`)."""
    fractional: set[str] = set()
    for metric, forecast in forecasts.items():
        given = [forecast.monthly] if forecast.monthly is not None else []
        given += forecast.per_year or []
        if not all(_whole(value) for value in given):
            fractional.add(metric)
    for ramp in ramps:
        fractional |= {metric for metric, value in ramp.usage.items() if not _whole(value)}
    return frozenset(fractional)


def counts_whole(component: Component, fractional: frozenset[str]) -> bool:
    """Whether the quantities ``component``'s lines print count things (units, outcomes,
    transactions, credits, seats): none of the metrics it reads is a measure
    (:func:`fractional_metrics`), and, for credits, every burn rate and allocation is a
    whole number (0.5 credits an action makes the credits used a measure too). A money
    quantity (attributed value, transactions' value) is never a count: it is printed as
    an amount (``terms.is_money_quantity``)."""
    if isinstance(component, TransactionFee):
        return component.count_metric not in fractional
    if isinstance(component, Credits):
        numbers = [
            *component.burn.values(),
            component.allocation_pool,
            component.allocation_per_seat,
        ]
        if component.pack is not None:
            numbers.append(component.pack.credits)
        if not all(_whole(number) for number in numbers):
            return False
    return not (component.metrics() & fractional)


def stated_quantity(quantity: Decimal, *, whole: bool) -> Decimal:
    """A quantity as a document states it: a count (``whole``) rounded half up to a whole
    number (50,015.75 tickets -> 50,016), a measure to :data:`QUANTITY_PLACES` (2.5
    million tokens stay 2.5; 45,646.908 queries of a meter forecast with decimals ->
    45,646.91)."""
    return quantity.quantize(ONE if whole else QUANTITY_PLACES, ROUND_HALF_UP)


QUANTITY_PLACES = Decimal("0.01")
"""A quantity that is not a count (units of a measure, months) is shown to two decimals at
most."""


def seat_counts(doc: QuoteDocument) -> list[dict[str, Decimal]]:
    """Seat count of each seats component, per contract year (index 0 is year 1); a ramp's
    count holds until a later ramp changes it."""
    ramps = {r.year: r.seats for r in doc.ramps}
    seats = [c for c in doc.components if isinstance(c, Seats)]
    years = []
    current = {c.id: Decimal(c.seats) for c in seats}
    for year in range(1, contract_years(doc.term_months, doc.first_year_months) + 1):
        for seat_id, count in ramps.get(year, {}).items():
            current[seat_id] = Decimal(count)
        years.append(dict(current))
    return years


def cost_factors(doc: QuoteDocument) -> list[Decimal]:
    econ = doc.economics
    levers = econ.levers.factor()
    decline = ONE - econ.cost_decline_percent_per_year / HUNDRED
    factors = []
    factor = levers
    for _ in range(contract_years(doc.term_months, doc.first_year_months)):
        factors.append(factor)
        factor *= decline
    return factors


def price_factors(doc: QuoteDocument) -> list[Decimal]:
    step = ONE + doc.escalator_percent / HUNDRED
    factors = []
    factor = ONE
    for _ in range(contract_years(doc.term_months, doc.first_year_months)):
        factors.append(factor)
        factor *= step
    return factors
