"""Value anchoring: price against the value delivered, with the cost-anchored price beside it.

The playbook's example: a query that replaces 15 minutes of analyst work at $75/hour is
worth $18.75; priced at $3 it saves the customer 84 %; the cost-anchored price at a $0.10
unit cost and a 70 % margin is $0.10 / 0.3 = $0.33, so the value-anchored price is about
9x higher.

**The value as stated** (what a buyer multiplies): the value per task is stated to the
currency's minor unit (``money.round_derived``: 7 minutes at $77.14 an hour is $8.99966...,
stated $9.00), or as the rep wrote it when it is given directly (312.6875, up to
``money.DERIVED_PLACES`` decimals); the tasks a year are stated as a whole count, rounded
half up (a growing forecast's 50,015.75 tickets are 50,016; ``usage.stated_quantity``).
The value of a year is the stated value per task x the stated count, rounded half up to
the minor unit: $9.00 x 50,016 = $450,144.00, the product the proposal prints beside its
factors. The value is an estimate: stating it to more digits than its inputs carry would
be false precision, and a product of unprinted digits does not multiply out.
"""

from __future__ import annotations

from decimal import Decimal

from .currency import minor_units
from .document import QuoteDocument, ValueDrivers
from .money import DERIVED_PLACES, HUNDRED, ONE, ZERO, round_derived, round_half_up
from .results import PricedQuote, ValueSummary
from .usage import UsagePlan, fractional_metrics, stated_quantity

_TENTH = Decimal("0.1")
_UNIT = Decimal("0.0001")


def value_per_task(minutes_saved: Decimal, loaded_hourly_rate: Decimal) -> Decimal:
    """Minutes replaced x loaded hourly rate / 60 (15 min at 75/h = 18.75)."""
    return minutes_saved * loaded_hourly_rate / 60


def cost_anchored_price(unit_cost: Decimal, target_margin_percent: Decimal) -> Decimal:
    """The price that earns the target gross margin on the unit cost:
    ``unit cost / (1 - margin)`` (0.10 at 70 % = 0.333...)."""
    if target_margin_percent >= HUNDRED:
        raise ValueError("target margin must be below 100 %")
    return unit_cost / (ONE - target_margin_percent / HUNDRED)


def stated_value(drivers: ValueDrivers, currency: str) -> Decimal | None:
    """The value per task as the proposal states it and multiplies it (module docstring):
    a value the rep gives, as written (up to ``DERIVED_PLACES`` decimals); one worked out
    from minutes and an hourly rate, rounded half up to the currency's minor unit (two
    significant digits below it). None without value drivers."""
    unit_value = drivers.unit_value()
    if unit_value is None:
        return None
    exponent = unit_value.normalize().as_tuple().exponent
    written = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if drivers.value_per_unit is not None and written <= DERIVED_PLACES:
        return unit_value
    return round_derived(unit_value, minor_units(currency))


def _ratio(numerator: Decimal, denominator: Decimal, quantum: Decimal = _TENTH) -> Decimal | None:
    if not denominator:
        return None
    return (numerator / denominator).quantize(quantum)


def value_summary(doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan) -> ValueSummary | None:
    """Value numbers for the pitch, or None when the quote has no value drivers."""
    drivers = doc.value
    if drivers is None:
        return None
    unit_value = drivers.unit_value()
    stated = stated_value(drivers, doc.currency)
    if unit_value is None or stated is None:
        return None
    currency = doc.currency
    # The tasks of a year as stated: a whole count, or a measure to two decimals.
    whole = drivers.metric not in fractional_metrics(doc.usage_forecast, doc.ramps)
    units_by_year: list[Decimal] = []
    for year in priced.years:
        if drivers.metric is None:
            units_by_year.append(ZERO)
        else:
            exact = plan.units_in_year(drivers.metric, year.year, year.months)
            units_by_year.append(stated_quantity(exact, whole=whole))
    units = units_by_year[0]
    annual_value = round_half_up(stated * units, currency)
    spend = priced.years[0].revenue
    price_per_unit = (spend / units).quantize(_UNIT) if units else None

    unit_cost = None
    cost_price = None
    if drivers.metric is not None and drivers.metric in doc.economics.unit_costs:
        # In the quote's currency, to stand beside its prices (costs are the seller's).
        unit_cost = (
            doc.economics.unit_costs[drivers.metric]
            * priced.years[0].cost_factor
            * priced.exchange_rate
        )
        cost_price = cost_anchored_price(unit_cost, doc.economics.target_margin_percent)

    low, high = drivers.capture_band_percent
    return ValueSummary(
        value_per_unit=unit_value,
        units_year_one=units,
        annual_value=annual_value,
        annual_spend=spend,
        price_per_unit=price_per_unit,
        value_capture_percent=_ratio(spend * HUNDRED, annual_value),
        customer_savings_percent=(HUNDRED - spend * HUNDRED / annual_value).quantize(_TENTH)
        if annual_value
        else None,
        # Exact: rounded once, where it is shown (3,611.48 % is "3,611 %", not 3,612 %).
        roi_percent=(annual_value - spend) * HUNDRED / spend if spend else None,
        payback_months=_ratio(spend * 12, annual_value),
        suggested_price_band=(unit_value * low / HUNDRED, unit_value * high / HUNDRED),
        target_price=unit_value * drivers.target_value_capture_percent / HUNDRED,
        unit_cost=unit_cost,
        cost_anchored_price=cost_price,
        value_vs_cost_multiple=(
            _ratio(price_per_unit, cost_price)
            if price_per_unit is not None and cost_price
            else None
        ),
        value_by_year=tuple(round_half_up(stated * u, currency) for u in units_by_year),
    )
