"""What a deal consumes month by month: forecast quantities, seat counts, and the yearly
price and cost multipliers. Computed once per pricing and shared by the engine, the value
summary and the guardrails."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .components import Seats
from .document import QuoteDocument, contract_years
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
