"""The model advisor: rank the five pricing models for a product category and the answers
to the playbook's "when it works" questions, each with a short rationale and the playbook's
gross-margin and NRR ranges.

Scoring is a transparent sum of points; every point comes with the sentence that explains
it, so a rep can defend the recommendation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .document import AdvisorAnswers
from .playbook import CATEGORY_PROFILES, MODEL_PROFILES, ModelProfile, PricingModel, ProductCategory

M = PricingModel


@dataclass(frozen=True, slots=True)
class Recommendation:
    model: PricingModel
    score: int
    rationale: tuple[str, ...]
    """Reasons for, then against, strongest first."""
    profile: ModelProfile
    against: tuple[str, ...] = ()
    """The reasons against it, strongest first (also in ``rationale``, after the ones for):
    a list showing a few reasons shows these too."""

    @property
    def title(self) -> str:
        return self.profile.title


# (answer field, answer value) -> [(model, points, reason)]
_RULES: dict[tuple[str, object], list[tuple[PricingModel, int, str]]] = {
    ("outcome_defined_and_verifiable", True): [
        (M.OUTCOME_BASED, 3, "The outcome is defined and verifiable by both parties."),
        (M.OUTCOME_CONTINGENT, 1, "Outcomes can be verified by both parties."),
    ],
    ("outcome_defined_and_verifiable", False): [
        (
            M.OUTCOME_BASED,
            -4,
            "The outcome is not clearly defined or verifiable: expect billing disputes.",
        ),
        (
            M.OUTCOME_CONTINGENT,
            -3,
            "Without a verifiable outcome, value-share pricing invites disputes.",
        ),
    ],
    ("outcome_measurable_at_scale", True): [
        (M.OUTCOME_BASED, 2, "Outcomes can be measured reliably at scale in the product."),
        (M.OUTCOME_CONTINGENT, 1, "Measurement at scale is in place."),
    ],
    ("outcome_measurable_at_scale", False): [
        (
            M.OUTCOME_BASED,
            -3,
            "No outcome tracking at scale yet: build it before pricing on outcomes.",
        ),
        (M.OUTCOME_CONTINGENT, -2, "No measurement at scale to support attribution."),
    ],
    ("ai_is_core_value", True): [
        (M.PLATFORM_USAGE, 2, "The AI is the core value, so usage is what the customer buys."),
        (M.OUTCOME_BASED, 1, "The AI is the core value: price what it delivers."),
        (M.SEATS_AI_TIERS, -2, "AI is the core value, not an add-on to a tier."),
    ],
    ("ai_is_core_value", False): [
        (
            M.SEATS_AI_TIERS,
            3,
            "The AI enhances a product users would buy anyway: tier upgrades capture it.",
        ),
        (M.SEATS_CREDITS, 2, "Significant non-AI value suits seats with AI credits on top."),
        (M.OUTCOME_BASED, -1, "The AI is an enhancement, not a standalone outcome."),
    ],
    ("usage_tracks_headcount", True): [
        (M.SEATS_CREDITS, 2, "Usage tracks headcount, so seats are a fair value metric."),
        (M.SEATS_AI_TIERS, 2, "Usage tracks headcount, so seats are a fair value metric."),
    ],
    ("usage_tracks_headcount", False): [
        (M.SEATS_CREDITS, -2, "Usage does not track headcount: seats would be headcount-blind."),
        (M.SEATS_AI_TIERS, -3, "Usage does not track headcount: seats would be headcount-blind."),
        (M.PLATFORM_USAGE, 1, "Usage, not headcount, drives value and cost."),
        (M.OUTCOME_BASED, 1, "Outcomes, not headcount, drive value."),
    ],
    ("usage_intensity_variation", "high"): [
        (
            M.SEATS_AI_TIERS,
            -3,
            "Usage intensity varies widely: heavy users in a tier erode its margin.",
        ),
        (M.SEATS_CREDITS, -1, "Wide usage variation strains a per-seat credit allocation."),
        (
            M.PLATFORM_USAGE,
            2,
            "A usage component captures heavy users without a seat conversation.",
        ),
        (M.OUTCOME_BASED, 1, "Per-outcome prices scale with heavy use."),
    ],
    ("usage_intensity_variation", "low"): [
        (M.SEATS_AI_TIERS, 1, "Usage per user is even, so a flat tier price stays fair."),
        (M.SEATS_CREDITS, 1, "Even usage makes a credit allocation easy to size."),
    ],
    ("outcome_is_revenue_with_attribution", True): [
        (
            M.OUTCOME_CONTINGENT,
            5,
            "The outcome is revenue with trackable attribution: a value share is viable.",
        ),
    ],
    ("outcome_is_revenue_with_attribution", False): [
        (
            M.OUTCOME_CONTINGENT,
            -4,
            "Without revenue attribution, a value share cannot be measured.",
        ),
    ],
    ("buyer_needs_predictable_bill", True): [
        (
            M.SEATS_AI_TIERS,
            2,
            "The buyer needs a predictable bill: seat tiers are the simplest to budget.",
        ),
        (M.SEATS_CREDITS, 1, "Seats with credits keep the bill predictable."),
        (M.PLATFORM_USAGE, 2, "The platform fee gives a predictable base."),
        (M.OUTCOME_BASED, -3, "Per-outcome bills vary with volume."),
        (M.OUTCOME_CONTINGENT, -3, "A value share makes the bill hard to predict."),
    ],
    ("ai_cost_is_material", True): [
        (M.SEATS_AI_TIERS, -2, "AI usage creates material COGS that a flat tier does not recover."),
        (M.SEATS_CREDITS, 1, "Credits tie AI cost to what the customer pays."),
        (M.PLATFORM_USAGE, 1, "Usage pricing recovers material AI cost from heavy users."),
    ],
    ("ai_cost_is_material", False): [
        (M.SEATS_AI_TIERS, 2, "AI adds little COGS, so traditional tiers keep SaaS margins."),
    ],
}


# A question the rep answered "Not sure" (not merely left unanswered) -> [(model, points,
# reason)]. Outcome pricing without measurement is a year of billing disputes (the playbook):
# not knowing whether outcomes can be measured counts nearly as much against it as a No.
_NOT_SURE: dict[str, list[tuple[PricingModel, int, str]]] = {
    "outcome_measurable_at_scale": [
        (
            M.OUTCOME_BASED,
            -4,
            "Not sure outcomes can be measured at scale: outcome pricing without measurement "
            "means a year of billing disputes; confirm the tracking first.",
        ),
        (M.OUTCOME_CONTINGENT, -2, "Not sure outcomes can be measured: attribution needs it."),
    ],
    "outcome_defined_and_verifiable": [
        (
            M.OUTCOME_BASED,
            -2,
            "Not sure the outcome is defined and verifiable: agree it before pricing on it.",
        ),
    ],
}
NOT_SURE_QUESTIONS = frozenset(_NOT_SURE)
"""The questions whose explicit "Not sure" counts (``recommend``'s ``not_sure``)."""


def recommend(
    category: ProductCategory | None,
    answers: AdvisorAnswers | None = None,
    not_sure: frozenset[str] = frozenset(),
) -> list[Recommendation]:
    """Rank all five models, best first. ``not_sure``: the questions (answer fields) the rep
    answered "Not sure" rather than leaving unanswered; in the answers both are None, but
    an uncertain measurement of outcomes counts against outcome pricing."""
    answers = answers or AdvisorAnswers()
    points: dict[PricingModel, int] = defaultdict(int)
    reasons: dict[PricingModel, list[tuple[int, str]]] = defaultdict(list)

    def add(model: PricingModel, score: int, reason: str) -> None:
        points[model] += score
        reasons[model].append((score, reason))

    add(M.OUTCOME_CONTINGENT, -1, "Rare in practice: attribution disputes are common.")
    if category is not None:
        profile = CATEGORY_PROFILES[category]
        for rank, model in enumerate(profile.recommended):
            add(
                model,
                3 - rank,
                f"The playbook recommends it for {profile.title} "
                f"({profile.recommended_text}; {profile.range_text()}).",
            )
    for (field, value), rules in _RULES.items():
        if getattr(answers, field) == value:
            for model, score, reason in rules:
                add(model, score, reason)
    for field, rules in _NOT_SURE.items():
        if field in not_sure and getattr(answers, field) is None:
            for model, score, reason in rules:
                add(model, score, reason)

    for model, model_profile in MODEL_PROFILES.items():
        add(model, 0, f"Works when {model_profile.works_when}")

    order = list(PricingModel)
    ranked = sorted(PricingModel, key=lambda m: (-points[m], order.index(m)))
    return [
        Recommendation(
            model=m,
            score=points[m],
            rationale=tuple(
                r for _, r in sorted(reasons[m], key=lambda item: (item[0] < 0, -abs(item[0])))
            ),
            profile=MODEL_PROFILES[m],
            against=tuple(
                r for score, r in sorted(reasons[m], key=lambda item: item[0]) if score < 0
            ),
        )
        for m in ranked
    ]
