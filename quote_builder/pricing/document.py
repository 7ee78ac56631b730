"""The quote document: everything needed to price a deal, as plain data.

It serialises to the versioned JSON quote format (docs/quote-format.md). The models
refuse Python floats for every number; ``format.load_quote`` parses JSON numbers straight to
Decimal.
"""

# No `from __future__ import annotations` in the modules of the quote format's models:
# with it, pydantic evaluates every field's annotation from its text when a model class is
# made (about 5 % of a cold `quote-builder price`); as Python they are evaluated once, as
# the class body runs. A name defined further down is written in quotes.

import calendar
import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .components import AnyComponent, Component, MinimumCommitment, OneTimeFee, Seats
from .fields import (
    MAX_MAGNITUDE,
    CurrencyCode,
    Dec,
    Identifier,
    LongText,
    NonNegative,
    Percent,
    QuoteNumber,
    SeatCount,
    ShortText,
    refuse_bool_for_whole_number,
    refuse_nul,
)
from .languages import LanguageCode
from .legal import LegalOverrides
from .playbook import PricingModel, ProductCategory

FORMAT_NAME: Final = "quote-builder/quote"
FORMAT_VERSION: Final = 1

BillingFrequency = Literal["monthly", "quarterly", "annual"]
BILLING_MONTHS: dict[str, int] = {"monthly": 1, "quarterly": 3, "annual": 12}
Variation = Literal["low", "medium", "high"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: Any) -> Any:
    """Dates are written ``YYYY-MM-DD``: pydantic would also take a Unix timestamp or a
    date-time, which a quote file must not hold."""
    if isinstance(value, dt.datetime) or not isinstance(value, str | dt.date):
        raise ValueError(f"not a date: write it as YYYY-MM-DD (got {value!r})")
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError(f"not a date: write it as YYYY-MM-DD (got {value!r})")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


def _exactly_version_one(value: Any) -> Any:
    # ``True == 1`` and ``Decimal("1.0") == 1`` in Python; the format wants the number 1.
    if type(value) is not int or value != FORMAT_VERSION:
        raise ValueError(
            f"this Quote Builder reads version {FORMAT_VERSION}; the file is version {show_value(value)}"
        )
    return value


def show_value(value: Any) -> str:
    """A JSON value for a message: numbers as written, anything else as its repr."""
    return str(value) if isinstance(value, Decimal) else repr(value)


class _Model(BaseModel):
    # defer_build: a model's validator and serializer are built when it is first used on
    # its own. QuoteDocument's schema holds all of them, so `quote-builder price` builds
    # that one alone (not 43, 5 % of its time); the app builds the rest in the background
    # (quote_format.build_models).
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_int(cls, value: Any, info: ValidationInfo) -> Any:
        return refuse_bool_for_whole_number(cls, value, info.field_name)


def _not_blank(value: str) -> str:
    """A name of spaces alone is no name: the order form would have a party without one."""
    if not value.strip():
        raise ValueError("must not be empty")
    return value


PartyName = Annotated[ShortText, AfterValidator(_not_blank)]


class CustomerContact(_Model):
    """The person at the customer the quote is addressed to: one of the customer's contacts,
    copied into the quote when chosen (a version keeps whom it was sent to)."""

    name: PartyName = Field(min_length=1)
    title: ShortText = ""
    email: ShortText = ""


class CustomerRef(_Model):
    name: PartyName = Field(min_length=1)
    id: ShortText | None = None
    """The customer's id in the store or the CRM, when there is one."""
    contact: CustomerContact | None = None
    """The recipient: printed on the proposal's cover. Optional (older quotes have none)."""


class UsageForecast(_Model):
    """Expected quantity of one metric per month: a monthly baseline growing by a percent
    each month, or explicit monthly quantities per contract year (year 1 first; the last
    value carries on for later years)."""

    monthly: NonNegative | None = None
    growth_percent_per_month: Dec = Field(default=Decimal(0), ge=-100, le=100)
    per_year: list[NonNegative] | None = Field(default=None, min_length=1, max_length=10)

    @model_validator(mode="after")
    def _one_form(self) -> "UsageForecast":
        if (self.monthly is None) == (self.per_year is None):
            raise ValueError(
                "give either monthly (with optional growth_percent_per_month) or per_year"
            )
        if self.per_year is not None and self.growth_percent_per_month:
            raise ValueError("growth_percent_per_month applies only with monthly")
        return self


class YearRamp(_Model):
    """Changes from one contract year on: seat counts of seats components, and monthly
    quantities of metrics (replacing the forecast). A ramp holds until a later ramp changes
    the same seat count or metric."""

    year: int = Field(ge=1, le=10)
    # No more entries than there can be seats components (100) or forecasts (50).
    seats: dict[Identifier, SeatCount] = Field(default_factory=dict, max_length=100)
    usage: dict[Identifier, NonNegative] = Field(default_factory=dict, max_length=50)


class Discount(_Model):
    """A discount on the whole deal or on one component, optionally for a limited run of
    months. Exactly one of ``percent`` or ``amount`` (an amount off per month)."""

    description: ShortText = "Discount"
    percent: Percent | None = None
    amount: NonNegative | None = None
    component: Identifier | None = None
    """The component it applies to; empty for the whole deal."""
    start_month: int = Field(default=1, ge=1)
    months: int | None = Field(default=None, ge=1)
    """How many months it lasts; empty for the whole term."""

    @model_validator(mode="after")
    def _one_kind(self) -> "Discount":
        if (self.percent is None) == (self.amount is None):
            raise ValueError("give exactly one of percent or amount")
        return self

    def active(self, month: int) -> bool:
        if month < self.start_month:
            return False
        return self.months is None or month < self.start_month + self.months


class CostLevers(_Model):
    """Cost levers applied to every unit cost (the playbook's ranges in brackets)."""

    routing_savings_percent: Percent = Decimal(0)
    """Lower cost from routing tasks to the cheapest capable model (40-60 %)."""
    cache_hit_percent: Percent = Decimal(0)
    """Share of calls answered from a semantic cache (30-60 %)."""
    fine_tuning_savings_percent: Percent = Decimal(0)
    """Lower cost from a fine-tuned smaller model (70-90 %)."""

    def factor(self) -> Decimal:
        result = Decimal(1)
        for percent in (
            self.routing_savings_percent,
            self.cache_hit_percent,
            self.fine_tuning_savings_percent,
        ):
            result *= 1 - percent / 100
        return result


class Economics(_Model):
    unit_costs: dict[Identifier, NonNegative] = Field(default_factory=dict)
    """Our cost (inference and other variable cost) per unit of each metric, before levers."""
    fixed_cost_per_month: NonNegative = Decimal(0)
    """Fixed cost to serve this customer per month (hosting, support)."""
    levers: CostLevers = Field(default_factory=CostLevers)
    cost_decline_percent_per_year: Dec = Field(default=Decimal(0), ge=0, lt=100)
    """Expected fall of unit costs each contract year (inference prices keep falling); below
    100: a cost that falls 100 % a year would be free from year 2."""
    target_margin_percent: Dec = Field(default=Decimal(70), ge=0, lt=100)
    margin_floor_percent: Dec = Field(default=Decimal(60), ge=-100, lt=100)
    cost_only_metrics: list[Identifier] = Field(default_factory=list, max_length=50)
    """Metrics that carry a cost but no price: GPU-hours behind a per-outcome price, tickets
    handled behind tickets resolved. Their unit cost x forecast counts in COGS like any
    other; marking them says the cost is meant to sit there (a unit cost on a metric no
    component bills and not marked here is warned about: UNIT_COST_NOT_BILLED)."""

    @field_validator("cost_only_metrics")
    @classmethod
    def _once_each(cls, metrics: list[str]) -> list[str]:
        repeated = sorted({m for m in metrics if metrics.count(m) > 1})
        if repeated:
            raise ValueError(f"{', '.join(repeated)} listed more than once")
        return metrics


class ValueDrivers(_Model):
    """What one unit of the value metric is worth to the customer: minutes replaced x
    loaded hourly rate, or a direct value per unit (per outcome)."""

    metric: Identifier | None = None
    """The metric counting value-creating tasks or outcomes (its forecast sets the volume)."""
    minutes_saved_per_unit: NonNegative | None = None
    loaded_hourly_rate: NonNegative | None = None
    value_per_unit: NonNegative | None = None
    target_value_capture_percent: Percent = Decimal(20)
    capture_band_percent: tuple[Percent, Percent] = (Decimal(15), Decimal(25))
    """Suggested price band as shares of the value per unit."""

    @model_validator(mode="after")
    def _consistent(self) -> "ValueDrivers":
        if (self.minutes_saved_per_unit is None) != (self.loaded_hourly_rate is None):
            raise ValueError("give both minutes_saved_per_unit and loaded_hourly_rate, or neither")
        if self.value_per_unit is not None and self.minutes_saved_per_unit is not None:
            raise ValueError("give value_per_unit or minutes saved x hourly rate, not both")
        low, high = self.capture_band_percent
        if low > high:
            raise ValueError("capture_band_percent: the low end is above the high end")
        return self

    def unit_value(self) -> Decimal | None:
        if self.value_per_unit is not None:
            return self.value_per_unit
        if self.minutes_saved_per_unit is not None and self.loaded_hourly_rate is not None:
            return self.minutes_saved_per_unit * self.loaded_hourly_rate / 60
        return None


class UsageProfile(_Model):
    users: int | None = Field(default=None, ge=0)
    actions_per_user_per_day: NonNegative | None = None
    outcomes_per_month: NonNegative | None = None
    days_per_month: int | None = Field(default=None, ge=1, le=31)
    """Days of use a month: users x actions per user per day x days is the monthly volume
    of actions (the guided flow derives the forecast from it)."""
    intensity_variation: Variation | None = None
    """How much usage per user varies: low, medium or high (heavy users many times the median)."""


class AdvisorAnswers(_Model):
    """The playbook's "when it works" questions; ``None`` means not answered."""

    outcome_defined_and_verifiable: bool | None = None
    outcome_measurable_at_scale: bool | None = None
    ai_is_core_value: bool | None = None
    usage_tracks_headcount: bool | None = None
    usage_intensity_variation: Variation | None = None
    outcome_is_revenue_with_attribution: bool | None = None
    buyer_needs_predictable_bill: bool | None = None
    ai_cost_is_material: bool | None = None


class ContractTerms(_Model):
    payment_terms_days: int = Field(default=30, ge=0, le=365)
    auto_renew: bool = True
    renewal_term_months: int = Field(default=12, ge=1, le=60)
    notice_days: int = Field(default=60, ge=0, le=365)
    price_protection: LongText = ""
    """Extra wording on price protection beyond the escalator clause."""
    extra_credit_cap_per_month: NonNegative | None = None
    """Extra AI credits (packs or overage) the customer pre-authorises each month, in the
    quote's currency; empty: none is bought without the customer's written consent."""
    legal: LegalOverrides | None = None
    """This quote's changes to the seller's legal frame (governing agreement, law, ...)."""


_SHA256 = re.compile(r"[0-9a-f]{64}")
_YEAR_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
ALL_METRICS: Final = "*"
"""In ``UsageEvidence.metric_map``: the quote metric reads every metric of the log."""
NO_METRICS: Final = "-"
"""In ``UsageEvidence.metric_map``: the quote metric reads nothing, on purpose (it was not
used in the log's months)."""

LogMetric = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(refuse_nul)]
"""A metric name as the usage log writes it."""


class MetricTotals(_Model):
    """One metric's totals in one month of a usage log."""

    quantity: NonNegative = Decimal(0)
    successes: NonNegative = Decimal(0)
    """Quantity of the rows marked successful (the outcomes)."""
    value: NonNegative = Decimal(0)
    """Attributed value of the rows."""
    events: int | None = Field(default=None, ge=0)
    """Number of rows (a transaction fee counts its transactions by them); None in
    evidence kept before it was recorded, so such a quote's canonical JSON and hash do not
    change."""


class EvidenceMonth(_Model):
    month: str = Field(description="YYYY-MM")
    active_users: int = Field(default=0, ge=0)
    metrics: dict[LogMetric, MetricTotals] = Field(default_factory=dict, max_length=50)

    @model_validator(mode="after")
    def _month(self) -> "EvidenceMonth":
        if not _YEAR_MONTH.fullmatch(self.month) or self.month.startswith("0000"):
            raise ValueError(f"month: write it as YYYY-MM (got {self.month[:20]!r})")
        return self


class UserBucket(_Model):
    """Users whose average monthly usage is above the previous bucket's ``up_to`` and at
    most this one's."""

    up_to: NonNegative
    users: int = Field(ge=0)


class ModelSnapshot(_Model):
    """One pricing model simulated over the log when it was loaded."""

    key: ShortText
    title: ShortText
    source: Literal["quote", "template"]
    average_monthly: NonNegative
    low: NonNegative
    expected: NonNegative
    high: NonNegative
    total_bill: NonNegative
    margin_percent: Dec | None = None
    top_users_share_percent: Percent | None = None
    range_basis: Literal["months"] | None = None
    """How ``low``, ``expected`` and ``high`` were taken: "months" for a log too short for
    percentiles (``evidence.PERCENTILE_MONTHS``), its quietest, median and busiest month's
    bill; None: the 10th percentile, median and 90th percentile month (a longer log, or a
    snapshot recorded before the rule)."""


class UsageEvidence(_Model):
    """A usage log reduced to totals per month and metric, kept with the quote so that
    the bill range can be priced again after every edit and printed in the proposal.

    ``metric_map`` says which log metric a quote metric reads (``"*"``: all of them); a
    quote metric not in it reads the log metric of the same name (see
    ``pricing.evidence.resolve_feeds``)."""

    source_name: ShortText = Field(min_length=1)
    sha256: str
    """SHA-256 of the log file, 64 lowercase hexadecimal digits."""
    analysed_on: IsoDate
    rows: int = Field(ge=1)
    users: int = Field(ge=1)
    has_success: bool = False
    has_value: bool = False
    metric_map: dict[Identifier, LogMetric] = Field(default_factory=dict, max_length=50)
    months: list[EvidenceMonth] = Field(min_length=1, max_length=120)
    user_distribution: list[UserBucket] = Field(default_factory=list, max_length=40)
    """Users by average monthly usage (all metrics)."""
    median_per_user: NonNegative = Decimal(0)
    p90_per_user: NonNegative = Decimal(0)
    seat_pricing_flagged: bool = False
    seat_reason: LongText = ""
    recommendations: list[LongText] = Field(default_factory=list, max_length=10)
    comparison: list[ModelSnapshot] = Field(default_factory=list, max_length=10)

    @field_validator("sha256")
    @classmethod
    def _sha256(cls, value: str) -> str:
        if not _SHA256.fullmatch(value):
            raise ValueError("must be 64 hexadecimal digits (the SHA-256 of the log)")
        return value

    @model_validator(mode="after")
    def _consecutive(self) -> "UsageEvidence":
        indexes = [int(m.month[:4]) * 12 + int(m.month[5:]) - 1 for m in self.months]
        if any(b != a + 1 for a, b in zip(indexes, indexes[1:], strict=False)):
            raise ValueError("months: must be consecutive months, oldest first")
        return self


class ContractYearAmount(_Model):
    """One contract year of an accepted contract as its customer signed it (the customer's
    terms: dates and amounts, nothing internal)."""

    year: int = Field(ge=1, le=10)
    start: IsoDate
    end: IsoDate
    months: int = Field(ge=1, le=12)
    amount: NonNegative
    """What the customer pays that year, at the estimated usage."""
    recurring: NonNegative
    """The amount less one-time fees."""


ChangeKind = Literal["renewal", "expansion", "amendment"]


class ContractChange(_Model):
    """This quote changes an accepted contract (``pricing.contracts`` builds it): its
    renewal (a new term from the day after it ends), an expansion co-termed to it (added
    from ``effective``, ending with it; the days before the first whole month are charged
    prorated by days) or an amendment (its terms replaced from ``effective``)."""

    kind: ChangeKind
    original_order: ShortText = Field(min_length=1)
    """The original order's number, which the order form cites."""
    original_version: int = Field(ge=1)
    original_start: IsoDate
    original_end: IsoDate
    effective: IsoDate
    """The day the change takes effect (an expansion's service starts)."""
    prorated_days: int = Field(default=0, ge=0, le=31)
    """Days from ``effective`` to the day before ``start_date``, charged prorated."""
    period_days: int = Field(default=0, ge=0, le=31)
    """Days of the original contract's month those days fall in (the proration's base)."""
    current_years: list[ContractYearAmount] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _proration(self) -> "ContractChange":
        if self.prorated_days and not (self.prorated_days < self.period_days):
            raise ValueError("prorated_days must be fewer than period_days")
        if self.original_end < self.original_start:
            raise ValueError("original_end is before original_start")
        return self


TaxKind = Literal["vat", "gst", "hst", "consumption_tax", "sales_tax", "tax", "none"]
"""What the tax line is called: VAT, GST, HST, consumption tax, US sales tax, another tax
the rep entered ("tax"), or no tax line at all ("none")."""
TaxRule = Literal["domestic", "destination", "reverse_charge", "customer_accounts", "rep_entered"]
"""Why the quote carries this tax (docs/tax-and-currencies.md has the table):
``domestic`` seller and customer in the same country, its rate; ``destination`` a
cross-border sale to a customer without a tax ID, the customer's country's rate;
``reverse_charge`` EU business customer with a VAT ID, seller not established in its member
state: no VAT, Article 196; ``customer_accounts`` a cross-border business customer with a
tax ID outside the EU: no tax, the customer accounts for it; ``rep_entered`` no rate in the
table (US sales tax, other countries): the rep enters the rate and confirms it."""
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
"""An ISO 3166-1 alpha-2 country code (DE, JP, US)."""


class QuoteTax(_Model):
    """The tax the quote's documents show beside the price, decided when the quote was made
    (``pricing.tax.determine_tax``) and kept with it, so that rendering it again later gives
    the same document whatever the rate table says by then. Tax never enters revenue,
    margin, guardrails or approvals: ``pricing.tax.tax_breakdown`` adds it to the priced
    invoices for the documents only."""

    kind: TaxKind
    rule: TaxRule
    rate_percent: Percent = Decimal(0)
    seller_country: CountryCode
    customer_country: CountryCode
    customer_region: str = Field(default="", max_length=3, pattern=r"^[A-Z0-9]{0,3}$")
    """The customer's state or province (ISO 3166-2 subdivision: ON, NY), where the rate
    depends on it."""
    seller_tax_id: ShortText = ""
    customer_tax_id: ShortText = ""
    rate_source: Literal["table", "rep"] = "table"
    """``table``: the rate table's (``table_as_of``, ``table_source``); ``rep``: entered by
    the rep for this quote."""
    table_as_of: IsoDate | None = None
    table_source: LongText = ""
    confirmed: bool = False
    """The rep confirmed the rate (needed before a rep-entered rate goes out as final)."""

    @model_validator(mode="after")
    def _consistent(self) -> "QuoteTax":
        if self.kind == "none" and self.rate_percent:
            raise ValueError("rate_percent: must be 0 when no tax is charged (kind none)")
        if self.rule in ("reverse_charge", "customer_accounts"):
            if self.rate_percent:
                raise ValueError(f"rate_percent: must be 0 under the {self.rule} rule")
            if not self.customer_tax_id:
                raise ValueError(
                    f"customer_tax_id: the {self.rule} rule needs the customer's tax ID"
                )
        if self.rule == "reverse_charge" and self.kind != "vat":
            raise ValueError("kind: the reverse charge applies to VAT")
        if self.rate_source == "table" and self.table_as_of is None:
            raise ValueError("table_as_of: a rate from the table needs the table's date")
        return self


class ExchangeRate(_Model):
    """The quote's currency against the seller's (costs, the catalog's base prices): how
    many units of the quote's currency one unit of the seller's buys (0.9213 EUR per USD),
    on which day and from where. Kept with the quote so that pricing it again later gives
    the same result whatever the exchange-rate table says by then."""

    seller_currency: CurrencyCode
    """The currency the seller's costs (economics) and the catalog's base prices are in."""
    rate: Annotated[Dec, Field(gt=0)]
    as_of: IsoDate
    source: ShortText = Field(min_length=1)
    converted_prices: bool = False
    """The components' prices were converted from the catalog at this rate (the plan had no
    price book in the quote's currency)."""


OPTION_FIELDS: Final = (
    "pricing_model",
    "term_months",
    "billing_frequency",
    "escalator_percent",
    "components",
    "discounts",
    "ramps",
)
"""What an option holds of its own; everything else (customer, dates, usage, costs, value,
contract terms) the options share with the quote."""


class QuoteOption(_Model):
    """One of two or three offers a quote puts side by side (good / better / best, 12 / 24
    / 36 months, two pricing models for the same usage): a complete set of the priced fields
    (``OPTION_FIELDS``), so each option prices on its own with its own warnings and margin.
    """

    key: Identifier
    name: ShortText = Field(min_length=1)
    description: LongText = ""
    recommended: bool = False
    """The option the proposal recommends (at most one)."""
    pricing_model: PricingModel | None = None
    term_months: int = Field(ge=1, le=120)
    billing_frequency: BillingFrequency = "monthly"
    escalator_percent: Percent = Decimal(0)
    components: list[AnyComponent] = Field(min_length=1, max_length=100)
    discounts: list[Discount] = Field(default_factory=list, max_length=50)
    ramps: list[YearRamp] = Field(default_factory=list, max_length=10)


MAX_OPTIONS: Final = 3


class QuoteDocument(_Model):
    # Built when the module is imported, as before: whoever imports the quote format uses
    # it, and the app imports it in a background thread (a first validation on the window's
    # thread would stall it for the 20 ms this takes).
    model_config = ConfigDict(defer_build=False)

    format: Literal["quote-builder/quote"] = FORMAT_NAME
    format_version: Annotated[Literal[1], BeforeValidator(_exactly_version_one)] = FORMAT_VERSION
    quote_number: QuoteNumber = None
    title: ShortText = ""
    customer: CustomerRef
    language: LanguageCode | None = None
    """The language of the proposal and order form (``de``, ``fr``, ``es``, ``ja``, ``en``);
    empty: the customer's language (itself defaulting from the customer's country)."""
    product_category: ProductCategory | None = None
    pricing_model: PricingModel | None = None
    currency: CurrencyCode
    start_date: IsoDate
    term_months: int = Field(ge=1, le=120)
    first_year_months: int | None = Field(default=None, ge=1, le=11)
    """A short first contract year (1-11 months; empty: 12): later years then start on
    the anniversaries of another contract, as a co-termed expansion or an amendment does."""
    billing_frequency: BillingFrequency = "monthly"
    escalator_percent: Percent = Decimal(0)
    """Annual price increase, compounding from contract year 2."""
    components: list[AnyComponent] = Field(min_length=1, max_length=100)
    discounts: list[Discount] = Field(default_factory=list, max_length=50)
    ramps: list[YearRamp] = Field(default_factory=list, max_length=10)
    usage_forecast: dict[Identifier, UsageForecast] = Field(default_factory=dict, max_length=50)
    economics: Economics = Field(default_factory=Economics)
    value: ValueDrivers | None = None
    usage_profile: UsageProfile | None = None
    usage_evidence: UsageEvidence | None = None
    advisor: AdvisorAnswers = Field(default_factory=AdvisorAnswers)
    contract: ContractTerms = Field(default_factory=ContractTerms)
    contract_change: ContractChange | None = None
    """What this quote does to an accepted contract (a renewal, expansion, amendment)."""
    notes: LongText = ""
    tax: QuoteTax | None = None
    """The tax line of the documents (None: prices shown before tax, no tax line)."""
    exchange_rate: ExchangeRate | None = None
    """The seller's currency and the rate to it, when it is not the quote's currency: costs
    are then in the seller's currency and the margin is measured in it."""
    options: list[QuoteOption] | None = Field(default=None, max_length=MAX_OPTIONS)
    """Two or three offers side by side (None: a quote of one offer). Each replaces the
    quote's ``OPTION_FIELDS``; see ``pricing.options``."""
    chosen_option: Identifier | None = None
    """The option the customer chose: the order form is that option's."""

    @model_validator(mode="after")
    def _references(self) -> "QuoteDocument":
        problems = reference_problems(self) + option_problems(self)
        if self.exchange_rate is not None and self.exchange_rate.seller_currency == self.currency:
            problems.append(
                (
                    "exchange_rate.seller_currency",
                    f"is the quote's currency ({self.currency}): leave the exchange rate out",
                )
            )
        if problems:
            raise ReferenceProblems(problems)
        return self

    def component(self, component_id: str) -> Component:
        for component in self.components:
            if component.id == component_id:
                return component
        raise KeyError(component_id)

    def year_spans(self) -> list[tuple[int, int]]:
        """Each contract year as (first month, months), months counted from 1."""
        return year_spans(self.term_months, self.first_year_months)

    def to_json_dict(self) -> dict[str, Any]:
        """The document as JSON-ready data: Decimals as strings, dates as ISO strings."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def option_problems(doc: QuoteDocument) -> list[tuple[str, str]]:
    """The options' own problems: at most three, keys and names once each, one recommended
    at most, the chosen one among them, and each option's fields valid together with the
    quote's (a discount naming a component the option lacks)."""
    problems: list[tuple[str, str]] = []
    options = doc.options
    if options is None:
        if doc.chosen_option is not None:
            problems.append(("chosen_option", "the quote has no options to choose from"))
        return problems
    # One option is a quote being built (the next is kept from the working copy); the
    # proposal sets options side by side from two.
    keys = Counter(o.key for o in options)
    names = Counter(o.name.strip().lower() for o in options)
    for i, option in enumerate(options):
        if keys[option.key] > 1:
            problems.append((f"options[{i}].key", f"key {option.key!r} is used by another option"))
        if names[option.name.strip().lower()] > 1:
            problems.append((f"options[{i}].name", f"{option.name!r} names another option too"))
        fields = {name: getattr(option, name) for name in OPTION_FIELDS}
        alone = doc.model_construct(**{**dict(doc), **fields, "options": None})
        for path, reason in reference_problems(alone):
            problems.append((f"options[{i}].{path}", reason))
    if sum(1 for o in options if o.recommended) > 1:
        problems.append(("options", "recommend one option at most"))
    if doc.chosen_option is not None and doc.chosen_option not in keys:
        problems.append(("chosen_option", f"no option with key {doc.chosen_option!r}"))
    return problems


class ReferenceProblems(ValueError):
    """Cross-field problems; ``format.load_quote`` reports each on its own line."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))
        self.problems = problems


def reference_problems(doc: QuoteDocument) -> list[tuple[str, str]]:
    """Cross-field problems as (field path, reason)."""
    problems: list[tuple[str, str]] = []
    if not _term_fits_the_calendar(doc.start_date, doc.term_months):
        problems.append(("start_date", f"the term would end after {dt.date.max.isoformat()}"))
    ids = Counter(c.id for c in doc.components)
    seat_ids = {c.id for c in doc.components if isinstance(c, Seats)}
    commitment_ids = {c.id for c in doc.components if isinstance(c, MinimumCommitment)}
    for i, component in enumerate(doc.components):
        if ids[component.id] > 1:
            problems.append(
                (f"components[{i}].id", f"id {component.id!r} is used by more than one component")
            )
        if isinstance(component, OneTimeFee) and component.month > doc.term_months:
            problems.append(
                (f"components[{i}].month", f"after the term ends (month {doc.term_months})")
            )
        for j, source in enumerate(sorted(component.seat_sources())):
            if source not in seat_ids:
                problems.append(
                    (f"components[{i}].seats_component", f"no seats component with id {source!r}")
                    if j == 0
                    else (f"components[{i}]", f"no seats component with id {source!r}")
                )
        if isinstance(component, MinimumCommitment):
            seen: set[str] = set()
            for j, target in enumerate(component.applies_to or []):
                if target in seen:
                    problems.append(
                        (
                            f"components[{i}].applies_to[{j}]",
                            f"{target!r} is listed more than once",
                        )
                    )
                    continue
                seen.add(target)
                if target not in ids:
                    problems.append(
                        (f"components[{i}].applies_to[{j}]", f"no component with id {target!r}")
                    )
                elif isinstance(doc.component(target), MinimumCommitment):
                    problems.append(
                        (
                            f"components[{i}].applies_to[{j}]",
                            "a commitment cannot apply to another commitment",
                        )
                    )
    for i, discount in enumerate(doc.discounts):
        if discount.component is not None and discount.component not in ids:
            problems.append(
                (f"discounts[{i}].component", f"no component with id {discount.component!r}")
            )
        elif discount.component in commitment_ids:
            problems.append(
                (f"discounts[{i}].component", "a minimum commitment cannot be discounted")
            )
        if discount.start_month > doc.term_months:
            problems.append(
                (
                    f"discounts[{i}].start_month",
                    f"starts after the term ends (month {doc.term_months})",
                )
            )
    years = Counter(r.year for r in doc.ramps)
    for i, ramp in enumerate(doc.ramps):
        if years[ramp.year] > 1:
            problems.append((f"ramps[{i}].year", f"year {ramp.year} has more than one ramp"))
        if ramp.year > len(doc.year_spans()):
            problems.append(
                (f"ramps[{i}].year", f"the term ({doc.term_months} months) has no year {ramp.year}")
            )
        for seat_id in ramp.seats:
            if seat_id not in seat_ids:
                problems.append((f"ramps[{i}].seats.{seat_id}", "no seats component with this id"))
        for metric in ramp.usage:
            if metric not in doc.usage_forecast:
                problems.append(
                    (f"ramps[{i}].usage.{metric}", f"no usage forecast for metric {metric!r}")
                )
    if (
        doc.value is not None
        and doc.value.metric is not None
        and doc.value.metric not in doc.usage_forecast
    ):
        problems.append(("value.metric", f"no usage forecast for metric {doc.value.metric!r}"))
    for metric, forecast in doc.usage_forecast.items():
        if forecast.monthly is not None and forecast.growth_percent_per_month > 0:
            growth = 1 + forecast.growth_percent_per_month / 100
            if forecast.monthly * growth ** (doc.term_months - 1) >= MAX_MAGNITUDE:
                problems.append(
                    (
                        f"usage_forecast.{metric}.growth_percent_per_month",
                        f"grows past 1,000,000,000,000 a month within the {doc.term_months}-month term",
                    )
                )
    return problems


def contract_years(term_months: int, first_year_months: int | None = None) -> int:
    return len(year_spans(term_months, first_year_months))


def year_spans(term_months: int, first_year_months: int | None = None) -> list[tuple[int, int]]:
    """The contract years of a term as (first month, months): 12 months each from the
    start, the last one possibly short; with ``first_year_months`` the first one is that
    short and the others run 12 months from its end (3 then 12 then 9 for a 24-month term
    whose first year has 3 months)."""
    spans = []
    month = 1
    length = first_year_months or 12
    while month <= term_months:
        months = min(length, term_months - month + 1)
        spans.append((month, months))
        month += months
        length = 12
    return spans


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if day.day <= 28:  # every month has it (the common case: no calendar arithmetic)
        return dt.date(year, month, day.day)
    last = 29 if month == 2 and calendar.isleap(year) else _DAYS_IN_MONTH[month - 1]
    return dt.date(year, month, min(day.day, last))


def last_day(start: dt.date, months: int) -> dt.date:
    """The last day of a run of ``months`` months from ``start``: the day before the same
    day ``months`` later (1 Jan + 3 months ends on 31 Mar). A run ending on 9999-12-31 is
    fine although its next day does not exist."""
    index = start.month - 1 + months
    if start.year + index // 12 > dt.MAXYEAR:
        return dt.date.max  # only a run ending exactly on 9999-12-31 gets here
    return add_months(start, months) - dt.timedelta(days=1)


def _term_fits_the_calendar(start: dt.date, months: int) -> bool:
    """Whether the term's last day is 9999-12-31 or earlier (Python has no year 10000)."""
    index = start.month - 1 + months
    year = start.year + index // 12
    return year <= dt.MAXYEAR or (year == dt.MAXYEAR + 1 and index % 12 == 0 and start.day == 1)


__all__ = [
    "BILLING_MONTHS",
    "AdvisorAnswers",
    "BillingFrequency",
    "ChangeKind",
    "ContractChange",
    "ContractTerms",
    "ContractYearAmount",
    "CountryCode",
    "ExchangeRate",
    "QuoteTax",
    "TaxKind",
    "TaxRule",
    "CostLevers",
    "OPTION_FIELDS",
    "CustomerContact",
    "CustomerRef",
    "Discount",
    "Economics",
    "QuoteDocument",
    "QuoteOption",
    "UsageForecast",
    "UsageProfile",
    "ValueDrivers",
    "YearRamp",
    "ReferenceProblems",
    "year_spans",
]
