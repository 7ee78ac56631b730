"""What ``price(document)`` returns: a PricedQuote, plain immutable data.

Every amount is a Decimal in the quote's currency (``PricedQuote.currency``). Invoice lines
are rounded half-up to the currency's minor unit once; every total is a sum of rounded lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from .components import BreakdownLine

Severity = Literal["info", "warning", "blocking"]
LineKind = Literal["charge", "true_up", "discount"]


@dataclass(frozen=True, slots=True)
class MonthShortfall:
    """One month of a monthly minimum commitment invoiced with other months (a quarterly
    or yearly invoice) when some of them meet it: each month below the minimum is trued
    up on its own, so the invoice's true-up line is the sum of these months' true-ups."""

    month: dt.date
    """The month's first day."""
    spend: Decimal
    """What counts toward the minimum that month (after discounts), in minor units."""
    minimum: Decimal
    true_up: Decimal
    """``minimum - spend``, or 0 when the month meets the minimum."""


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    component_id: str | None
    """The component charged, or discounted (None for a deal-wide discount)."""
    description: str
    kind: LineKind
    amount: Decimal
    """Rounded once; negative for a discount."""
    recurring: bool = True
    """False for a one-time fee and for a discount on one; left out of ACV."""
    in_arrears: bool = False
    """A usage line: estimated from the forecast, invoiced after the usage happens."""
    months: tuple[MonthShortfall, ...] = field(default=(), metadata={"json": False})
    """A true-up of a monthly minimum over months some of which meet it: every month of
    the period, whose true-ups add up to the line (in ``price --json`` only when there)."""


@dataclass(frozen=True, slots=True)
class BillingPeriod:
    index: int
    """From 1."""
    contract_year: int
    start: dt.date
    end: dt.date
    """Last day of the period (inclusive)."""
    months: int
    lines: tuple[InvoiceLine, ...]
    total: Decimal
    list_total: Decimal
    """What the period would cost without any discount: its charges, and each minimum
    commitment's true-up as it would be without discounts."""
    cogs: Decimal
    """Cost of goods sold in the period, in the cost currency (``PricedQuote.cost_currency``)."""


@dataclass(frozen=True, slots=True)
class ContractYear:
    year: int
    start: dt.date
    end: dt.date
    months: int
    revenue: Decimal
    list_revenue: Decimal
    discounts: Decimal
    """What the customer saves: list revenue - revenue (not the discount lines: a minimum
    commitment can take a discount back through its true-up)."""
    one_time: Decimal
    """One-time fees net of their own discounts."""
    cogs: Decimal
    """In the cost currency (``PricedQuote.cost_currency``): the seller's."""
    gross_margin_percent: Decimal | None
    """(margin revenue - COGS) / margin revenue, to 0.1 %; None when there is no revenue."""
    price_factor: Decimal
    """Escalator multiplier applied to prices this year (1 in year 1)."""
    cost_factor: Decimal
    """Multiplier applied to unit costs: levers x the expected decline since year 1."""
    margin_revenue: Decimal
    """The year's revenue in the cost currency, what the margin is measured on: the revenue
    itself, or revenue / the quote's exchange rate rounded to the seller currency's minor
    unit when the quote is in another currency than the seller's."""

    @property
    def gross_profit(self) -> Decimal:
        """Margin revenue - COGS, in the cost currency."""
        return self.margin_revenue - self.cogs

    @property
    def recurring_revenue(self) -> Decimal:
        return self.revenue - self.one_time


@dataclass(frozen=True, slots=True)
class Escalation:
    year: int
    effective: dt.date
    percent: Decimal
    factor: Decimal
    """Cumulative multiplier of the year-1 prices."""


@dataclass(frozen=True, slots=True)
class ComponentYear:
    year: int
    amount: Decimal
    """The component's invoice lines in this year (rounded, before discounts)."""
    lines: tuple[BreakdownLine, ...]
    """The breakdown summed over the year's months, label by label (tier by tier)."""


@dataclass(frozen=True, slots=True)
class ComponentBreakdown:
    component_id: str
    name: str
    kind: str
    label: str
    years: tuple[ComponentYear, ...]
    total: Decimal
    """The component's invoice lines over the term, before discounts."""


@dataclass(frozen=True, slots=True)
class ValueSummary:
    value_per_unit: Decimal
    """What one unit of the value metric is worth to the customer (minutes x rate / 60)."""
    units_year_one: Decimal
    annual_value: Decimal
    """Value delivered in contract year 1."""
    annual_spend: Decimal
    """What the customer pays in contract year 1."""
    price_per_unit: Decimal | None
    """Year-1 spend per unit of the value metric (None without units)."""
    value_capture_percent: Decimal | None
    customer_savings_percent: Decimal | None
    roi_percent: Decimal | None
    """(value - spend) / spend x 100, unrounded: each display rounds it once."""
    payback_months: Decimal | None
    """Year-1 spend / monthly value."""
    suggested_price_band: tuple[Decimal, Decimal]
    target_price: Decimal
    unit_cost: Decimal | None
    """Year-1 unit cost of the value metric after cost levers."""
    cost_anchored_price: Decimal | None
    """unit cost / (1 - target margin)."""
    value_vs_cost_multiple: Decimal | None
    """How many times the cost-anchored price the price per unit is."""
    value_by_year: tuple[Decimal, ...] = ()


WarningValue = str | int | bool | Decimal | tuple[str, ...] | None
"""One value a warning's sentence is made of: a name (a component's, a metric's), a count,
an amount or a percent as Decimal, a list of names, a choice between sentences."""


@dataclass(frozen=True, slots=True)
class QuoteWarning:
    code: str
    severity: Severity
    message: str
    """The sentence in English, as the command line, ``price --json`` and the logs show it."""
    path: str | None = None
    """The field it is about, when there is one (``components[2].terms``)."""
    params: tuple[tuple[str, WarningValue], ...] = field(
        default=(), compare=False, metadata={"json": False}
    )
    """The sentence's values by name, so that the app can write it again in the interface's
    language with its own number formats: names and metrics as written, amounts as Decimal
    beside their ``currency``, percents as Decimal (40 for 40 %), a ``case`` where one code
    has several sentences. Not part of ``price --json`` (``serialize`` leaves it out) nor
    of equality."""

    def values(self) -> dict[str, WarningValue]:
        """``params`` as a dict."""
        return dict(self.params)


@dataclass(frozen=True, slots=True)
class PricedQuote:
    currency: str
    term_months: int
    billing_frequency: str
    periods: tuple[BillingPeriod, ...]
    years: tuple[ContractYear, ...]
    components: tuple[ComponentBreakdown, ...]
    escalations: tuple[Escalation, ...]
    tcv: Decimal
    list_tcv: Decimal
    discount_total: Decimal
    effective_discount_percent: Decimal
    """(list - net) / list, to 0.01 %."""
    first_year_acv: Decimal
    """Year-1 revenue without one-time fees."""
    average_monthly: Decimal
    """First-year recurring revenue / months in year 1, rounded."""
    total_cogs: Decimal
    """In the cost currency."""
    value: ValueSummary | None = None
    warnings: tuple[QuoteWarning, ...] = field(default=())
    margin_floor_percent: Decimal | None = None
    """The margin floor the quote was priced with (its ``economics.margin_floor_percent``):
    the one floor the warnings, the approval policy and the app's panel judge it by."""
    model_margin_percent: tuple[Decimal, Decimal] | None = None
    """The playbook's gross-margin range for the quote's pricing model; None without a
    model, or for outcome-contingent pricing (the playbook gives no range: "variable")."""
    cost_currency: str = ""
    """The currency of COGS and of the margin figures: the seller's (the quote's
    ``exchange_rate.seller_currency``), else the quote's own."""
    exchange_rate: Decimal = Decimal(1)
    """Units of the quote's currency per unit of the cost currency (1 when they are one)."""
    discount_shares: tuple[tuple[int, str, str, Decimal], ...] = field(
        default=(), metadata={"json": False}
    )
    """What each discount takes from each component in a contract year, exact (before the
    invoices round and limit it): (year, discount description, component id, amount). The
    price table shares a discount line by it (a launch discount on usage that grows takes
    less of the usage than the year's amounts say)."""

    @property
    def margin_currency(self) -> str:
        return self.cost_currency or self.currency

    @property
    def total_margin_revenue(self) -> Decimal:
        """The TCV in the cost currency: the sum of the years' margin revenue."""
        return sum((y.margin_revenue for y in self.years), Decimal(0))

    @property
    def blocking(self) -> tuple[QuoteWarning, ...]:
        return tuple(w for w in self.warnings if w.severity == "blocking")

    @property
    def gross_margin_percent(self) -> Decimal | None:
        revenue = self.total_margin_revenue
        if not revenue:
            return None
        return ((revenue - self.total_cogs) / revenue * 100).quantize(Decimal("0.1"))
