"""The advisor's reasons in the interface's language.

``pricing.advisor.recommend`` gives each ranked model its reasons as English sentences: a
fixed sentence per answer (``_RULES``), "The playbook recommends it for ..." built from the
product category, and "Works when ..." from the model's profile. The guided flow shows them
through :func:`reason`: the fixed sentences are written out here marked for translation,
the two built ones are built again from the category and the model with whole translated
sentences. ``tests/ui/test_translations.py`` checks that every sentence the advisor can give
is here, so a new rule without a translation fails the test.
"""

from __future__ import annotations

from .i18n import N_, _

REASONS: tuple[str, ...] = (
    N_("The outcome is defined and verifiable by both parties."),
    N_("Outcomes can be verified by both parties."),
    N_("The outcome is not clearly defined or verifiable: expect billing disputes."),
    N_("Without a verifiable outcome, value-share pricing invites disputes."),
    N_("Outcomes can be measured reliably at scale in the product."),
    N_("Measurement at scale is in place."),
    N_("No outcome tracking at scale yet: build it before pricing on outcomes."),
    N_("No measurement at scale to support attribution."),
    N_("The AI is the core value, so usage is what the customer buys."),
    N_("The AI is the core value: price what it delivers."),
    N_("AI is the core value, not an add-on to a tier."),
    N_("The AI enhances a product users would buy anyway: tier upgrades capture it."),
    N_("Significant non-AI value suits seats with AI credits on top."),
    N_("The AI is an enhancement, not a standalone outcome."),
    N_("Usage tracks headcount, so seats are a fair value metric."),
    N_("Usage does not track headcount: seats would be headcount-blind."),
    N_("Usage, not headcount, drives value and cost."),
    N_("Outcomes, not headcount, drive value."),
    N_("Usage intensity varies widely: heavy users in a tier erode its margin."),
    N_("Wide usage variation strains a per-seat credit allocation."),
    N_("A usage component captures heavy users without a seat conversation."),
    N_("Per-outcome prices scale with heavy use."),
    N_("Usage per user is even, so a flat tier price stays fair."),
    N_("Even usage makes a credit allocation easy to size."),
    N_("The outcome is revenue with trackable attribution: a value share is viable."),
    N_("Without revenue attribution, a value share cannot be measured."),
    N_("The buyer needs a predictable bill: seat tiers are the simplest to budget."),
    N_("Seats with credits keep the bill predictable."),
    N_("The platform fee gives a predictable base."),
    N_("Per-outcome bills vary with volume."),
    N_("A value share makes the bill hard to predict."),
    N_("AI usage creates material COGS that a flat tier does not recover."),
    N_("Credits tie AI cost to what the customer pays."),
    N_("Usage pricing recovers material AI cost from heavy users."),
    N_("AI adds little COGS, so traditional tiers keep SaaS margins."),
    N_("Rare in practice: attribution disputes are common."),
    N_(
        "Not sure outcomes can be measured at scale: outcome pricing without measurement "
        "means a year of billing disputes; confirm the tracking first."
    ),
    N_("Not sure outcomes can be measured: attribution needs it."),
    N_("Not sure the outcome is defined and verifiable: agree it before pricing on it."),
)
"""Every fixed sentence of ``pricing.advisor`` (its rules and the outcome-contingent note)."""

WORKS_WHEN: dict[str, str] = {
    "outcome_based": N_(
        "Works when the outcome is clearly defined, measurable and verifiable by both parties, "
        "and you can measure its delivery reliably at scale."
    ),
    "platform_usage": N_(
        "Works when customers have a predictable baseline that justifies the platform fee, plus "
        "variable usage that scales with their business."
    ),
    "seats_credits": N_(
        "Works when the product has significant non-AI value, the AI enhances it, and "
        "individual users are the unit of value."
    ),
    "seats_ai_tiers": N_(
        "Works when AI complements a strong product, adds little COGS, and procurement "
        "simplicity matters more than usage capture."
    ),
    "outcome_contingent": N_(
        "Works when the outcome has large, measurable economic value (revenue) and attribution "
        "is agreed at signature."
    ),
}
"""The playbook's "works when" of each model, as the advisor's sentence."""

RECOMMENDED: dict[str, str] = {
    "coding_assistant_individual": N_("Per seat, monthly"),
    "coding_assistant_team": N_("Per seat + usage credits"),
    "customer_support": N_("Per resolved ticket (outcome)"),
    "document_processing": N_("Per document processed"),
    "sales_intelligence": N_("Platform + per enrichment"),
    "legal_review": N_("Per contract reviewed"),
    "recruiting": N_("Per candidate screened"),
    "analytics_copilot": N_("Platform fee + usage"),
    "content_generation": N_("Credit-based or platform fee"),
}
"""What the playbook recommends for each product category (``recommended_text``)."""

_PLAYBOOK_PREFIX = "The playbook recommends it for "
_WORKS_PREFIX = "Works when "


def reason(text: str, model: str, category: str | None, price_range: str | None = None) -> str:
    """One of the advisor's reasons for ``model`` in the interface's language (a sentence
    not known here is shown as the advisor wrote it). ``price_range``: the category's price
    range as the quote's currency shows it (``labels.category_range``); None: in USD."""
    if text in REASONS:
        return _(text)
    if text.startswith(_WORKS_PREFIX) and model in WORKS_WHEN:
        return _(WORKS_WHEN[model])
    if text.startswith(_PLAYBOOK_PREFIX) and category in RECOMMENDED:
        from quote_builder.pricing.playbook import CATEGORY_PROFILES, ProductCategory

        from . import labels

        profile = CATEGORY_PROFILES[ProductCategory(category)]
        return _("The playbook recommends it for {category} ({recommended}; {range}).").format(
            category=labels.label(category),
            recommended=_(RECOMMENDED[category]),
            range=price_range if price_range is not None else labels.category_range(profile),
        )
    return text


__all__ = ["RECOMMENDED", "REASONS", "WORKS_WHEN", "reason"]
