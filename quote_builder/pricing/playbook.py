"""The pricing playbook's numbers as data (shared/seed, design.md "The playbook as rules").

Ranges are the playbook's, in USD. Where the playbook's category table gives an annual
contract value the range applies to the quote's first-year ACV; where it gives a price per
unit (per ticket, per document ...) it applies to the price of the outcome or unit
component; for coding assistants it is per seat per year.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Literal


class PricingModel(StrEnum):
    OUTCOME_BASED = "outcome_based"
    PLATFORM_USAGE = "platform_usage"
    SEATS_CREDITS = "seats_credits"
    SEATS_AI_TIERS = "seats_ai_tiers"
    OUTCOME_CONTINGENT = "outcome_contingent"


@dataclass(frozen=True, slots=True)
class ModelProfile:
    model: PricingModel
    title: str
    structure: str
    gross_margin_percent: tuple[Decimal, Decimal] | None
    """The playbook's gross-margin range; None where it gives none (outcome-contingent:
    "variable", see ``margin_note``)."""
    nrr_percent: tuple[Decimal, Decimal] | None
    """The playbook's NRR range; None where it gives none (outcome-contingent:
    "theoretically unlimited", see ``nrr_note``)."""
    works_when: str
    """The playbook's "when it works", as the end of a sentence."""
    margin_note: str = ""
    nrr_note: str = ""

    def margin_text(self) -> str:
        """The gross margin as the playbook states it: ``65-75%`` or its words."""
        if self.gross_margin_percent is None:
            return self.margin_note
        low, high = self.gross_margin_percent
        return f"{low}-{high}%"

    def nrr_text(self) -> str:
        """NRR as the playbook states it: ``120-140%`` or its words."""
        if self.nrr_percent is None:
            return self.nrr_note
        low, high = self.nrr_percent
        return f"{low}-{high}%"

    def short_title(self) -> str:
        """The title inside a sentence: ``outcome-based pricing``."""
        return self.title[0].lower() + self.title[1:]


def _r(low: str, high: str) -> tuple[Decimal, Decimal]:
    return Decimal(low), Decimal(high)


MODEL_PROFILES: dict[PricingModel, ModelProfile] = {
    p.model: p
    for p in (
        ModelProfile(
            PricingModel.OUTCOME_BASED,
            "Outcome-based pricing",
            "The customer pays per completed business result delivered by the AI.",
            (Decimal(65), Decimal(75)),
            _r("120", "140"),
            "the outcome is clearly defined, measurable and verifiable by both parties, and "
            "you can measure its delivery reliably at scale.",
        ),
        ModelProfile(
            PricingModel.PLATFORM_USAGE,
            "Platform fee + usage",
            "A fixed platform fee covers access and base usage; usage above it is charged "
            "incrementally.",
            (Decimal(60), Decimal(70)),
            _r("115", "130"),
            "customers have a predictable baseline that justifies the platform fee, plus "
            "variable usage that scales with their business.",
        ),
        ModelProfile(
            PricingModel.SEATS_CREDITS,
            "Tiered seats + AI credits",
            "Per-seat tiers plus a monthly AI credit allocation per seat; extra credits are "
            "bought as add-ons.",
            (Decimal(55), Decimal(65)),
            _r("105", "115"),
            "the product has significant non-AI value, the AI enhances it, and individual users "
            "are the unit of value.",
        ),
        ModelProfile(
            PricingModel.SEATS_AI_TIERS,
            "Per seat, AI in higher tiers",
            "Traditional per-seat tiers; the AI features come only with the upper tiers.",
            (Decimal(65), Decimal(75)),
            _r("110", "120"),
            "AI complements a strong product, adds little COGS, and procurement simplicity "
            "matters more than usage capture.",
        ),
        ModelProfile(
            PricingModel.OUTCOME_CONTINGENT,
            "Outcome-contingent (value share)",
            "The customer pays a share of the value the AI demonstrably creates, possibly "
            "with a small base fee.",
            None,
            None,
            "the outcome has large, measurable economic value (revenue) and attribution is "
            "agreed at signature.",
            margin_note="variable, but can reach 80-90% when the performance component is "
            "large relative to inference costs",
            nrr_note="theoretically unlimited: spending scales directly with the economic "
            "value delivered",
        ),
    )
}


class ProductCategory(StrEnum):
    CODING_INDIVIDUAL = "coding_assistant_individual"
    CODING_TEAM = "coding_assistant_team"
    CUSTOMER_SUPPORT = "customer_support"
    DOCUMENT_PROCESSING = "document_processing"
    SALES_INTELLIGENCE = "sales_intelligence"
    LEGAL_REVIEW = "legal_review"
    RECRUITING = "recruiting"
    ANALYTICS_COPILOT = "analytics_copilot"
    CONTENT_GENERATION = "content_generation"


RangeBasis = Literal["acv", "unit_price", "seat_year"]


@dataclass(frozen=True, slots=True)
class CategoryProfile:
    category: ProductCategory
    title: str
    recommended: tuple[PricingModel, ...]
    """The playbook's recommended model(s), best first."""
    recommended_text: str
    basis: RangeBasis
    low: Decimal
    high: Decimal
    unit: str
    """What the range is per: "year", "ticket", "seat per year" ..."""
    outcome_metric: str = ""
    """The metric a unit-price range applies to (e.g. tickets_resolved)."""

    def range_text(self) -> str:
        return f"${self.low:,}-${self.high:,} per {self.unit}"


def _c(
    category: ProductCategory,
    title: str,
    recommended: tuple[PricingModel, ...],
    text: str,
    basis: RangeBasis,
    low: str,
    high: str,
    unit: str,
    metric: str = "",
) -> CategoryProfile:
    return CategoryProfile(
        category, title, recommended, text, basis, Decimal(low), Decimal(high), unit, metric
    )


M = PricingModel
CATEGORY_PROFILES: dict[ProductCategory, CategoryProfile] = {
    c.category: c
    for c in (
        _c(
            ProductCategory.CODING_INDIVIDUAL,
            "AI coding assistant (individual)",
            (M.SEATS_AI_TIERS,),
            "Per seat, monthly",
            "seat_year",
            "120",
            "240",
            "seat per year",
        ),
        _c(
            ProductCategory.CODING_TEAM,
            "AI coding assistant (team/enterprise)",
            (M.SEATS_CREDITS,),
            "Per seat + usage credits",
            "seat_year",
            "500",
            "3000",
            "seat per year",
        ),
        _c(
            ProductCategory.CUSTOMER_SUPPORT,
            "AI customer support (ticket resolution)",
            (M.OUTCOME_BASED,),
            "Per resolved ticket (outcome)",
            "unit_price",
            "1",
            "5",
            "resolved ticket",
            "tickets_resolved",
        ),
        _c(
            ProductCategory.DOCUMENT_PROCESSING,
            "AI document processing",
            (M.OUTCOME_BASED,),
            "Per document processed",
            "unit_price",
            "0.10",
            "2.00",
            "document",
            "documents_processed",
        ),
        _c(
            ProductCategory.SALES_INTELLIGENCE,
            "AI sales intelligence",
            (M.PLATFORM_USAGE,),
            "Platform + per enrichment",
            "acv",
            "6000",
            "30000",
            "year",
        ),
        _c(
            ProductCategory.LEGAL_REVIEW,
            "AI legal review",
            (M.OUTCOME_BASED,),
            "Per contract reviewed",
            "unit_price",
            "20",
            "200",
            "contract reviewed",
            "contracts_reviewed",
        ),
        _c(
            ProductCategory.RECRUITING,
            "AI recruiting",
            (M.OUTCOME_BASED,),
            "Per candidate screened",
            "unit_price",
            "5",
            "30",
            "candidate screened",
            "candidates_screened",
        ),
        _c(
            ProductCategory.ANALYTICS_COPILOT,
            "AI analytics copilot",
            (M.PLATFORM_USAGE,),
            "Platform fee + usage",
            "acv",
            "12000",
            "60000",
            "year",
        ),
        _c(
            ProductCategory.CONTENT_GENERATION,
            "AI content generation (B2B)",
            (M.SEATS_CREDITS, M.PLATFORM_USAGE),
            "Credit-based or platform fee",
            "acv",
            "2400",
            "12000",
            "year",
        ),
    )
}

# Cost levers (the playbook's ranges, for tooltips and sanity warnings).
ROUTING_SAVINGS_PERCENT = (Decimal(40), Decimal(60))
CACHE_HIT_PERCENT = (Decimal(30), Decimal(60))
FINE_TUNING_SAVINGS_PERCENT = (Decimal(70), Decimal(90))
ESCALATOR_PERCENT = (Decimal(3), Decimal(5))
VALUE_CAPTURE_LIMIT_PERCENT = Decimal(50)

# The 80/50 rule for credit allocations: 80 % of users consume under 50 % of their allocation.
CREDIT_RULE_USER_SHARE = Decimal("0.8")
CREDIT_RULE_ALLOCATION_SHARE = Decimal("0.5")
