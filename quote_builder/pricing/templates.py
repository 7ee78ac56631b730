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
from .playbook import PricingModel

D = Decimal
_AUDIT = "The customer may audit the outcome records behind any invoice once per contract year."


@dataclass(frozen=True)
class ModelTemplate:
    model: PricingModel
    components: tuple[Component, ...]
    usage_forecast: dict[str, UsageForecast] = field(default_factory=dict)
    unit_costs: dict[str, Decimal] = field(default_factory=dict)


def _forecast(monthly: str) -> UsageForecast:
    return UsageForecast(monthly=D(monthly))


def template_for(model: PricingModel) -> ModelTemplate:
    """A sensible starting point for ``model``; every number is meant to be edited."""
    if model is PricingModel.OUTCOME_BASED:
        return ModelTemplate(
            model,
            (
                PerOutcome(
                    id="outcomes",
                    name="Per successful outcome",
                    metric="outcomes",
                    price_per_outcome=D("3.00"),
                    terms=OutcomeTerms(dispute_window_days=30, audit_rights=_AUDIT),
                ),
                MinimumCommitment(
                    id="minimum", name="Monthly minimum", amount=D("1000"), period="month"
                ),
            ),
            {"outcomes": _forecast("1000")},
            {"outcomes": D("0.40")},
        )
    if model is PricingModel.PLATFORM_USAGE:
        return ModelTemplate(
            model,
            (
                FlatFee(id="platform", name="Platform fee", amount=D("500")),
                AllowanceOverage(
                    id="operations",
                    name="AI operations",
                    metric="ai_operations",
                    included=D("1000"),
                    overage_unit_price=D("0.25"),
                ),
            ),
            {"ai_operations": _forecast("1500")},
            {"ai_operations": D("0.05")},
        )
    if model is PricingModel.SEATS_CREDITS:
        return ModelTemplate(
            model,
            (
                Seats(
                    id="seats",
                    name="Team seats",
                    tier="Team",
                    seats=20,
                    price_per_seat=D("40"),
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
        return ModelTemplate(
            model,
            (
                Seats(
                    id="team",
                    name="Team seats",
                    tier="Team",
                    seats=10,
                    price_per_seat=D("15"),
                    features=["Core product"],
                ),
                Seats(
                    id="pro",
                    name="Pro seats (AI)",
                    tier="Pro",
                    seats=10,
                    price_per_seat=D("35"),
                    includes_ai=True,
                    features=["Core product", "AI features"],
                ),
            ),
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
