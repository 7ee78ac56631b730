"""Starting component sets: one per pricing model, with the playbook's example numbers.

Outcome and value-share templates deliberately leave the outcome definition, verification
evidence, attribution method and baseline empty: the guardrails block the quote until the
rep agrees them with the customer, which is the playbook's point.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .components import (
    AllowanceOverage,
    AttributionTerms,
    Component,
    Credits,
    FlatFee,
    MinimumCommitment,
    OutcomeTerms,
    PercentOfValue,
    PerOutcome,
    Seats,
)
from .document import UsageForecast
from .playbook import CATEGORY_PROFILES, PricingModel, ProductCategory

D = Decimal
_AUDIT = "The customer may audit the outcome records behind any invoice once per contract year."


@dataclass(frozen=True)
class ModelTemplate:
    model: PricingModel
    components: tuple[Component, ...]
    usage_forecast: dict[str, UsageForecast] = field(default_factory=dict)
    unit_costs: dict[str, Decimal] = field(default_factory=dict)
    users_tier: str | None = None
    """The id of the seats component the customer's users start in (None: the first one);
    the other tiers start at 0 (``forecasting.seats_from_users``)."""


def _forecast(monthly: str) -> UsageForecast:
    return UsageForecast(monthly=D(monthly))


@dataclass(frozen=True)
class _Outcome:
    """Numbers of an outcome-based template: price per outcome, monthly volume, our cost per
    outcome and the monthly minimum."""

    name: str
    price: str
    volume: str
    unit_cost: str
    minimum: str


@dataclass(frozen=True)
class _Platform:
    fee: str
    included: str
    overage: str
    volume: str
    unit_cost: str = "0.05"


# Numbers per category, inside the playbook's range for it (tests/pricing/test_templates.py
# prices each with its forecast and measures it as the category guardrails do).
_OUTCOMES: dict[ProductCategory, _Outcome] = {
    # 3 per resolved ticket [1-5]
    ProductCategory.CUSTOMER_SUPPORT: _Outcome("Resolved tickets", "3.00", "1000", "0.40", "1000"),
    # 0.50 per document [0.10-2.00]
    ProductCategory.DOCUMENT_PROCESSING: _Outcome(
        "Documents processed", "0.50", "10000", "0.05", "2000"
    ),
    # 40 per contract [20-200]
    ProductCategory.LEGAL_REVIEW: _Outcome("Contracts reviewed", "40.00", "200", "2.00", "2000"),
    # 8 per candidate [5-30]
    ProductCategory.RECRUITING: _Outcome("Candidates screened", "8.00", "1000", "0.50", "2000"),
}
_PLATFORMS: dict[ProductCategory, _Platform] = {
    # (1,500 + 1,000 x 0.25) x 12 = 21,000 a year [12,000-60,000]
    ProductCategory.ANALYTICS_COPILOT: _Platform("1500", "5000", "0.25", "6000"),
}
_GENERIC_OUTCOME = _Outcome("Per successful outcome", "3.00", "1000", "0.40", "1000")
_GENERIC_PLATFORM = _Platform("500", "1000", "0.25", "1500")


def template_for(model: PricingModel, category: ProductCategory | None = None) -> ModelTemplate:
    """A sensible starting point for ``model``; every number is meant to be edited. With a
    ``category`` for which the playbook recommends ``model``, the numbers sit inside the
    category's range (an outcome template then charges the category's outcome metric);
    without one, or for another model, the playbook's example numbers. In a category
    priced per seat and year (the coding assistants) both seat models sit inside its range,
    recommended or not; ``users_tier`` names the tier the users start in (Pro (AI) for a
    coding assistant, individual or team, whose AI is what it sells)."""
    recommended = category is not None and model in CATEGORY_PROFILES[category].recommended
    if model is PricingModel.OUTCOME_BASED:
        outcome = _GENERIC_OUTCOME
        metric = "outcomes"
        if recommended and category in _OUTCOMES:
            assert category is not None
            outcome = _OUTCOMES[category]
            metric = CATEGORY_PROFILES[category].outcome_metric
        return ModelTemplate(
            model,
            (
                PerOutcome(
                    id="outcomes",
                    name=outcome.name,
                    metric=metric,
                    price_per_outcome=D(outcome.price),
                    terms=OutcomeTerms(dispute_window_days=30, audit_rights=_AUDIT),
                ),
                MinimumCommitment(
                    id="minimum", name="Monthly minimum", amount=D(outcome.minimum), period="month"
                ),
            ),
            {metric: _forecast(outcome.volume)},
            {metric: D(outcome.unit_cost)},
        )
    if model is PricingModel.PLATFORM_USAGE:
        platform = _GENERIC_PLATFORM
        if recommended and category in _PLATFORMS:
            assert category is not None
            platform = _PLATFORMS[category]
        return ModelTemplate(
            model,
            (
                FlatFee(id="platform", name="Platform fee", amount=D(platform.fee)),
                AllowanceOverage(
                    id="operations",
                    name="AI operations",
                    metric="ai_operations",
                    included=D(platform.included),
                    overage_unit_price=D(platform.overage),
                ),
            ),
            {"ai_operations": _forecast(platform.volume)},
            {"ai_operations": D(platform.unit_cost)},
        )
    # In a category priced per seat and year (coding assistants), both seat models' seats
    # sit inside its range whichever the rep picks, recommended or not.
    per_seat_year = category is not None and CATEGORY_PROFILES[category].basis == "seat_year"
    if model is PricingModel.SEATS_CREDITS:
        # A team seat is 500-3,000 a year for coding assistants: 50 a month = 600; an
        # individual one 120-240: 15 a month = 180.
        seat_price = (
            "50"
            if per_seat_year and category is ProductCategory.CODING_TEAM
            else "15"
            if per_seat_year and category is ProductCategory.CODING_INDIVIDUAL
            else "40"
        )
        return ModelTemplate(
            model,
            (
                Seats(
                    id="seats",
                    name="Team seats",
                    tier="Team",
                    seats=20,
                    price_per_seat=D(seat_price),
                    includes_ai=True,
                    features=["Core product", "AI assistant"],
                ),
                Credits(
                    id="credits",
                    name="AI credits",
                    seats_component="seats",
                    allocation_per_seat=D("500"),
                    burn={"ai_actions": D("1")},
                    overage_price_per_credit=D("0.02"),
                ),
            ),
            {"ai_actions": _forecast("3000")},
            {"ai_actions": D("0.004")},
        )
    if model is PricingModel.SEATS_AI_TIERS:
        # An individual coding seat is 120-240 a year: 10 and 19 a month = 120 and 228.
        individual = per_seat_year and category is ProductCategory.CODING_INDIVIDUAL
        # A team coding seat is 500-3,000 a year: 45 and 99 a month = 540 and 1,188. For
        # both the users start in the AI tier (Pro, 228 a year for an individual: inside
        # the playbook's range), since the AI is what a coding assistant sells.
        team = per_seat_year and category is ProductCategory.CODING_TEAM
        base, pro = ("10", "19") if individual else ("45", "99") if team else ("15", "35")
        return ModelTemplate(
            model,
            (
                Seats(
                    id="team",
                    name="Individual seats" if individual else "Team seats",
                    tier="Individual" if individual else "Team",
                    seats=10,
                    price_per_seat=D(base),
                    features=["Core product"],
                ),
                Seats(
                    id="pro",
                    name="Pro seats (AI)",
                    tier="Pro",
                    seats=10,
                    price_per_seat=D(pro),
                    includes_ai=True,
                    features=["Core product", "AI features"],
                ),
            ),
            users_tier="pro" if team or individual else None,
        )
    return ModelTemplate(
        model,
        (
            FlatFee(id="base", name="Base fee", amount=D("1000")),
            PercentOfValue(
                id="value_share",
                name="Share of attributed revenue",
                metric="attributed_revenue",
                percent=D("0.5"),
                attribution=AttributionTerms(lookback_days=90),
            ),
        ),
        {"attributed_revenue": _forecast("500000")},
    )
