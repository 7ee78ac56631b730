"""Starting templates: in every category, the template of each model the playbook
recommends, priced with its own default forecast, lands inside the category's range, by the
same measure the ACV, unit-price and seat-price guardrails use (``category_measures``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from quote_builder.pricing import price
from quote_builder.pricing.components import Seats
from quote_builder.pricing.document import CustomerRef, Economics, QuoteDocument
from quote_builder.pricing.forecasting import seats_from_users
from quote_builder.pricing.guardrails import category_measures
from quote_builder.pricing.playbook import CATEGORY_PROFILES, PricingModel, ProductCategory
from quote_builder.pricing.templates import template_for

D = Decimal
C = ProductCategory
M = PricingModel

# What each template measures, with the arithmetic (the range in brackets).
EXPECTED: list[tuple[ProductCategory, PricingModel, list[Decimal]]] = [
    # Individual 10 a month = 120 a year, Pro (AI) 19 a month = 228 a year   [120-240]
    (C.CODING_INDIVIDUAL, M.SEATS_AI_TIERS, [D(120), D(228)]),
    # Team seat 50 a month = 600 a year                                        [500-3,000]
    (C.CODING_TEAM, M.SEATS_CREDITS, [D(600)]),
    # 3.00 per resolved ticket                                                 [1-5]
    (C.CUSTOMER_SUPPORT, M.OUTCOME_BASED, [D(3)]),
    # 0.50 per document                                                        [0.10-2.00]
    (C.DOCUMENT_PROCESSING, M.OUTCOME_BASED, [D("0.5")]),
    # (500 + (1,500 - 1,000) x 0.25) x 12 = 625 x 12 = 7,500                   [6,000-30,000]
    (C.SALES_INTELLIGENCE, M.PLATFORM_USAGE, [D(7500)]),
    # 40 per contract reviewed                                                 [20-200]
    (C.LEGAL_REVIEW, M.OUTCOME_BASED, [D(40)]),
    # 8 per candidate screened                                                 [5-30]
    (C.RECRUITING, M.OUTCOME_BASED, [D(8)]),
    # (1,500 + (6,000 - 5,000) x 0.25) x 12 = 1,750 x 12 = 21,000              [12,000-60,000]
    (C.ANALYTICS_COPILOT, M.PLATFORM_USAGE, [D(21000)]),
    # 20 seats x 40 x 12 = 9,600 (3,000 actions within 20 x 500 credits)      [2,400-12,000]
    (C.CONTENT_GENERATION, M.SEATS_CREDITS, [D(9600)]),
    # (500 + 500 x 0.25) x 12 = 7,500                                          [2,400-12,000]
    (C.CONTENT_GENERATION, M.PLATFORM_USAGE, [D(7500)]),
]


def template_quote(category: ProductCategory, model: PricingModel) -> QuoteDocument:
    template = template_for(model, category)
    return QuoteDocument(
        customer=CustomerRef(name="Template check"),
        product_category=category,
        pricing_model=model,
        currency="USD",
        start_date=dt.date(2027, 1, 1),
        term_months=12,
        components=list(template.components),  # type: ignore[arg-type]
        usage_forecast=dict(template.usage_forecast),
        economics=Economics(unit_costs=dict(template.unit_costs)),
    )


def test_every_recommended_model_of_every_category_is_covered() -> None:
    covered = {(c, m) for c, m, _ in EXPECTED}
    wanted = {(c, m) for c, p in CATEGORY_PROFILES.items() for m in p.recommended}
    assert covered == wanted
    assert {c for c, _ in covered} == set(ProductCategory)  # all nine


@pytest.mark.parametrize(("category", "model", "expected"), EXPECTED)
def test_template_prices_inside_the_category_range(
    category: ProductCategory, model: PricingModel, expected: list[Decimal]
) -> None:
    profile = CATEGORY_PROFILES[category]
    priced = price(template_quote(category, model))
    measured = [m.value for m in category_measures(template_quote(category, model), priced)]
    assert measured == expected
    for value in measured:
        assert profile.low <= value <= profile.high, (category, value, profile.range_text())
    codes = {w.code for w in priced.warnings}
    assert not codes & {"ACV_OUT_OF_RANGE", "UNIT_PRICE_OUT_OF_RANGE", "SEAT_PRICE_OUT_OF_RANGE"}
    # A starting point a rep can defend: not below its own cost anchor or fee floor.
    assert not codes & {"PRICE_BELOW_COST_ANCHOR", "PLATFORM_FEE_BELOW_FLOOR", "NO_FORECAST"}


def test_outcome_templates_use_the_category_outcome_metric() -> None:
    for category in (C.CUSTOMER_SUPPORT, C.DOCUMENT_PROCESSING, C.LEGAL_REVIEW, C.RECRUITING):
        template = template_for(M.OUTCOME_BASED, category)
        metric = CATEGORY_PROFILES[category].outcome_metric
        assert {m for c in template.components for m in c.metrics()} == {metric}
        assert set(template.usage_forecast) == {metric} == set(template.unit_costs)


def test_without_a_category_the_model_template_is_unchanged() -> None:
    # The usage simulation feeds these metric names.
    assert template_for(M.OUTCOME_BASED).usage_forecast.keys() == {"outcomes"}
    assert template_for(M.PLATFORM_USAGE).usage_forecast.keys() == {"ai_operations"}
    assert template_for(M.SEATS_CREDITS).usage_forecast.keys() == {"ai_actions"}


# What the seat models measure in the categories priced per seat and year, whichever of the
# two the rep picks (the playbook recommends one of them per category). Before: Per seat,
# AI in higher tiers for a team coding assistant priced Team at 15 and Pro (AI) at 35 a
# month (180 and 420 a year, under 500), and seats with credits for an individual one 40 a
# month (480 a year, over 240).
SEAT_YEAR: list[tuple[ProductCategory, PricingModel, list[Decimal]]] = [
    # Team 45 a month = 540 a year, Pro (AI) 99 a month = 1,188 a year        [500-3,000]
    (C.CODING_TEAM, M.SEATS_AI_TIERS, [D(540), D(1188)]),
    # 15 a month = 180 a year                                                 [120-240]
    (C.CODING_INDIVIDUAL, M.SEATS_CREDITS, [D(180)]),
]


@pytest.mark.parametrize(("category", "model", "expected"), SEAT_YEAR)
def test_seat_templates_price_inside_a_per_seat_category_range(
    category: ProductCategory, model: PricingModel, expected: list[Decimal]
) -> None:
    profile = CATEGORY_PROFILES[category]
    priced = price(template_quote(category, model))
    measured = [m.value for m in category_measures(template_quote(category, model), priced)]
    assert measured == expected
    for value in measured:
        assert profile.low <= value <= profile.high, (category, value, profile.range_text())
    assert "SEAT_PRICE_OUT_OF_RANGE" not in {w.code for w in priced.warnings}


def test_a_team_coding_assistants_users_start_in_the_ai_tier() -> None:
    """An AI coding assistant sold to a team: the users start in Pro (AI), not in the tier
    without the AI (25 users were 25 Team seats and 0 Pro); elsewhere the first tier."""
    template = template_for(M.SEATS_AI_TIERS, C.CODING_TEAM)
    assert template.users_tier == "pro"
    seats = seats_from_users(list(template.components), 25, template.users_tier)
    assert [(c.id, c.seats) for c in seats if isinstance(c, Seats)] == [("team", 0), ("pro", 25)]
    assert template_for(M.SEATS_AI_TIERS).users_tier is None


def test_an_individual_coding_assistants_users_start_in_the_ai_tier() -> None:
    """An AI coding assistant for individual developers: the users start in Pro (AI), the
    tier the playbook's range points at (19 a month = 228 a year, inside 120-240), not in
    the Individual tier without the AI (10 users were 10 Individual seats and 0 Pro)."""
    template = template_for(M.SEATS_AI_TIERS, C.CODING_INDIVIDUAL)
    assert template.users_tier == "pro"
    seats = seats_from_users(list(template.components), 10, template.users_tier)
    assert [(c.id, c.seats) for c in seats if isinstance(c, Seats)] == [("team", 0), ("pro", 10)]
    pro = next(c for c in seats if isinstance(c, Seats) and c.id == "pro")
    assert pro.includes_ai and pro.price_per_seat * 12 == D(228)
