"""The model advisor ranks the five models with rationale and the playbook's ranges."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quote_builder.pricing.advisor import recommend
from quote_builder.pricing.document import AdvisorAnswers
from quote_builder.pricing.playbook import CATEGORY_PROFILES, PricingModel, ProductCategory
from quote_builder.pricing.templates import template_for

M = PricingModel


def test_every_model_is_ranked_with_ranges_and_reasons() -> None:
    ranking = recommend(ProductCategory.CUSTOMER_SUPPORT)
    assert {r.model for r in ranking} == set(PricingModel)
    assert all(r.rationale for r in ranking)
    outcome = next(r for r in ranking if r.model is M.OUTCOME_BASED)
    assert outcome.profile.gross_margin_percent == (Decimal(65), Decimal(75))
    assert outcome.profile.nrr_percent == (Decimal(120), Decimal(140))
    contingent = next(r for r in ranking if r.model is M.OUTCOME_CONTINGENT)
    # The playbook gives no ranges for outcome-contingent pricing, only words (it used to
    # read 80-90 % and an invented 120 % NRR floor).
    assert contingent.profile.gross_margin_percent is None
    assert contingent.profile.nrr_percent is None
    assert contingent.profile.margin_text() == (
        "variable, but can reach 80-90% when the performance component is large relative "
        "to inference costs"
    )
    assert contingent.profile.nrr_text() == (
        "theoretically unlimited: spending scales directly with the economic value delivered"
    )
    assert outcome.profile.margin_text() == "65-75%"
    assert outcome.profile.nrr_text() == "120-140%"


@pytest.mark.parametrize("category", list(ProductCategory))
def test_without_answers_the_category_recommendation_wins(category: ProductCategory) -> None:
    assert recommend(category)[0].model is CATEGORY_PROFILES[category].recommended[0]


def test_answers_move_the_ranking() -> None:
    revenue_ai = AdvisorAnswers(
        outcome_is_revenue_with_attribution=True,
        outcome_defined_and_verifiable=True,
        outcome_measurable_at_scale=True,
    )
    assert (
        recommend(ProductCategory.SALES_INTELLIGENCE, revenue_ai)[0].model is M.OUTCOME_CONTINGENT
    )

    enhancement = AdvisorAnswers(
        ai_is_core_value=False, usage_tracks_headcount=True, ai_cost_is_material=False
    )
    assert recommend(None, enhancement)[0].model is M.SEATS_AI_TIERS

    heavy_variation = AdvisorAnswers(
        usage_intensity_variation="high", usage_tracks_headcount=False, ai_is_core_value=True
    )
    top = recommend(ProductCategory.CONTENT_GENERATION, heavy_variation)[0]
    assert top.model is M.PLATFORM_USAGE
    assert any("headcount" in reason or "heavy users" in reason for reason in top.rationale)

    unmeasurable = AdvisorAnswers(
        outcome_defined_and_verifiable=False, outcome_measurable_at_scale=False
    )
    ranking = recommend(ProductCategory.LEGAL_REVIEW, unmeasurable)
    assert ranking[0].model is not M.OUTCOME_BASED
    assert ranking[-1].model in (M.OUTCOME_BASED, M.OUTCOME_CONTINGENT)


@pytest.mark.parametrize("model", list(PricingModel))
def test_each_model_has_a_starting_template(model: PricingModel) -> None:
    template = template_for(model)
    assert template.components
    metrics = {m for c in template.components for m in c.metrics()}
    assert metrics <= set(template.usage_forecast)


# --- "Not sure" and a predictable bill (wizard2) -------------------------------------------


@pytest.mark.parametrize(
    "category",
    [c for c, p in CATEGORY_PROFILES.items() if M.OUTCOME_BASED in p.recommended],
)
def test_not_sure_outcomes_can_be_measured_demotes_outcome_pricing(
    category: ProductCategory,
) -> None:
    """Before: answering "Not sure" to whether outcomes can be measured left Outcome-based
    first (3 points from the category, nothing against). The playbook: outcome pricing
    without measurement is a year of billing disputes. Now -4, and the reason says so."""
    ranking = recommend(category, AdvisorAnswers(), frozenset({"outcome_measurable_at_scale"}))
    assert ranking[0].model is not M.OUTCOME_BASED
    outcome = next(r for r in ranking if r.model is M.OUTCOME_BASED)
    assert outcome.against[0] == (
        "Not sure outcomes can be measured at scale: outcome pricing without measurement "
        "means a year of billing disputes; confirm the tracking first."
    )
    # Left unanswered, the category's recommendation still wins (nothing was said).
    assert recommend(category)[0].model is M.OUTCOME_BASED


@pytest.mark.parametrize(
    "category",
    [c for c, p in CATEGORY_PROFILES.items() if M.OUTCOME_BASED in p.recommended],
)
def test_a_predictable_bill_favours_the_models_with_predictable_bills(
    category: ProductCategory,
) -> None:
    """Before: buyer needs a predictable bill = Yes left Outcome-based first (3 - 1 = 2,
    ahead of seats at 2 by the order). Now a model with a predictable bill is first, and
    outcome pricing says why it is not."""
    ranking = recommend(category, AdvisorAnswers(buyer_needs_predictable_bill=True))
    assert ranking[0].model in (M.PLATFORM_USAGE, M.SEATS_AI_TIERS, M.SEATS_CREDITS)
    assert any("predictable" in reason for reason in ranking[0].rationale)
    outcome = next(r for r in ranking if r.model is M.OUTCOME_BASED)
    assert "Per-outcome bills vary with volume." in outcome.against
