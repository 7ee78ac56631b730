"""Enum values as the windows show them, in the interface's language.

``services.words.label`` gives the English label of a pricing model, a status, a billing
frequency, a product category, a role, a component kind ...; the tables here hold the same
English labels marked for translation, so :func:`label` shows "Ergebnisbasiert" where the
English interface shows "Outcome-based". ``tests/ui/test_translations.py`` checks that
every English label here is the one ``words.label`` gives, so the two cannot drift; a
value missing here is shown with its English label.
"""

from __future__ import annotations

from typing import Any

from .i18n import N_, _, joined

LABELS: dict[str, str] = {
    # pricing models
    "outcome_based": N_("Outcome-based"),
    "platform_usage": N_("Platform fee + usage"),
    "seats_credits": N_("Tiered seats + AI credits"),
    "seats_ai_tiers": N_("Per seat, AI in higher tiers"),
    "outcome_contingent": N_("Outcome-contingent (value share)"),
    # product categories
    "coding_assistant_individual": N_("AI coding assistant (individual)"),
    "coding_assistant_team": N_("AI coding assistant (team/enterprise)"),
    "customer_support": N_("AI customer support (ticket resolution)"),
    "document_processing": N_("AI document processing"),
    "sales_intelligence": N_("AI sales intelligence"),
    "legal_review": N_("AI legal review"),
    "recruiting": N_("AI recruiting"),
    "analytics_copilot": N_("AI analytics copilot"),
    "content_generation": N_("AI content generation (B2B)"),
    # billing
    "monthly": N_("Monthly"),
    "quarterly": N_("Quarterly"),
    "annual": N_("Annual in advance"),
    # statuses
    "draft": N_("Draft"),
    "pending_approval": N_("Pending approval"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "sent": N_("Sent"),
    "accepted": N_("Accepted"),
    "expired": N_("Expired"),
    "lost": N_("Lost"),
    "superseded": N_("Superseded"),
    "pending": N_("Pending"),
    # roles
    "rep": N_("Rep"),
    "manager": N_("Manager"),
    "deal_desk": N_("Deal desk"),
    # others
    "month": N_("Per month"),
    "year": N_("Per year"),
    "low": N_("Low"),
    "medium": N_("Medium"),
    "high": N_("High"),
    "baseline_comparison": N_("Baseline comparison"),
    "holdout_group": N_("Holdout group"),
    "rule_based": N_("Rule-based"),
    "custom": N_("Custom"),
    "order_form": N_("The order form"),
    "agreement": N_("The agreement"),
    "blocking": N_("Blocks sending"),
    "warning": N_("Warning"),
    "info": N_("Note"),
    "charge": N_("Charge"),
    "true_up": N_("True-up"),
    "discount": N_("Discount"),
    # audit events
    "quote_created": N_("Quote created"),
    "quote_saved": N_("Version saved"),
    "version_saved": N_("Version saved"),
    "quote_duplicated": N_("Duplicated"),
    "status_changed": N_("Status changed"),
    "status_reset": N_("Status reset"),
    "approval_requested": N_("Approval requested"),
    "approval_decided": N_("Approval decided"),
    "approval_decision_refused": N_("Decision refused"),
    "approval_request_exported": N_("Request file written"),
    "approval_request_imported": N_("Request file read"),
    "approval_request_superseded": N_("Request superseded by a new version"),
    "usage_evidence_attached": N_("Usage log attached"),
    "usage_evidence_removed": N_("Usage log removed"),
    # component kinds
    "flat_fee": N_("Recurring fee"),
    "one_time_fee": N_("One-time fee"),
    "per_unit": N_("Per unit"),
    "graduated": N_("Graduated tiers"),
    "volume": N_("Volume tiers"),
    "package": N_("Package"),
    "allowance_overage": N_("Included usage + overage"),
    "seats": N_("Seats"),
    "credits": N_("AI credits"),
    "per_outcome": N_("Per outcome"),
    "percent_of_value": N_("Percent of attributed value"),
    "transaction_fee": N_("Percent + fee per transaction"),
    "minimum_commitment": N_("Minimum commitment"),
}
"""English labels by enum value (the same as ``services.words.label``)."""

AWAITED: dict[str, str] = {
    # Translators: the banner's "Version 2 waits for the rep (asked by ...)"
    "rep": N_("the rep"),
    # Translators: the banner's "Version 2 waits for a manager (asked by ...)"
    "manager": N_("a manager"),
    # Translators: the banner's "Version 2 waits for the deal desk (asked by ...)"
    "deal_desk": N_("the deal desk"),
}
APPROVAL_OF: dict[str, str] = {
    # Translators: the banner's "Version 2 needs the rep's approval before it is final"
    "rep": N_("the rep's"),
    # Translators: the banner's "Version 2 needs a manager's approval before it is final"
    "manager": N_("a manager's"),
    # Translators: the banner's "Version 2 needs the deal desk's approval before it is final"
    "deal_desk": N_("the deal desk's"),
}
"""Who must approve, as the banner's sentences name them."""


STATUS_WORDS: dict[str, str] = {
    # Translators: a status inside a sentence ("A {status} quote is not finalised")
    "draft": N_("draft"),
    # Translators: a status inside a sentence ("A {status} quote is not finalised")
    "pending_approval": N_("pending approval"),
    # Translators: a status inside a sentence ("A {status} quote is not finalised")
    "approved": N_("approved"),
    # Translators: a status inside a sentence ("A {status} quote is not finalised")
    "rejected": N_("rejected"),
    # Translators: a status inside a sentence ("A {status} quote is not finalised")
    "sent": N_("sent"),
    # Translators: a status inside a sentence ("A {status} quote is not finalised")
    "accepted": N_("accepted"),
    # Translators: a status inside a sentence ("A {status} quote is not finalised")
    "expired": N_("expired"),
    # Translators: a status inside a sentence ("A {status} quote is not finalised")
    "lost": N_("lost"),
    # Translators: a status inside a sentence ("A {status} quote is not finalised")
    "superseded": N_("superseded"),
}
"""A status as a word inside a sentence (lower case in English)."""

LOST_REASONS: dict[str, str] = {
    "price": N_("Price too high"),
    "competitor": N_("Went with a competitor"),
    "no_budget": N_("No budget"),
    "no_decision": N_("No decision made"),
    "timing": N_("Timing: not now"),
    "scope": N_("Product did not fit"),
    "other": N_("Other"),
}
"""Why a deal was lost (``services.lifecycle.LOST_REASONS``)."""


_TAX_TITLES = {
    "vat": N_("VAT"),
    "gst": N_("GST"),
    "hst": N_("HST"),
    "consumption_tax": N_("Consumption tax"),
    "sales_tax": N_("Sales tax"),
}
_TAX_RULES = {
    "domestic": N_("seller and customer in the same country"),
    "destination": N_("the customer's country's rate (no tax ID)"),
    "reverse_charge": N_("EU reverse charge: no VAT, both VAT IDs printed"),
    "customer_accounts": N_("no tax: the business customer accounts for it"),
    "rep_entered": N_("no rate in the table: enter it and confirm it"),
}


def tax_title(kind: str) -> str:
    """A tax's name in the interface's language (``pricing.tax.tax_name`` in English)."""
    return _(_TAX_TITLES.get(kind, N_("Tax")))


def tax_rule(rule: str) -> str:
    """Why the quote has the tax it has, in the interface's language."""
    return _(_TAX_RULES[rule]) if rule in _TAX_RULES else ""


def customer_gaps_text(customer: str, gaps: tuple[str, ...] | list[str]) -> str:
    """What a customer lacks before its order form can be signed, and where to fill it in,
    in the interface's language (``pricing.terms.customer_gaps_sentence`` in English)."""
    if "billing_address" in gaps and "signatory" in gaps:
        text = _(
            "{customer} has no billing address and no contact to sign the order form: on the "
            "Customers page, fill in its Billing address and add a contact (the first contact "
            "signs)"
        )
    elif "billing_address" in gaps:
        text = _(
            "{customer} has no billing address: on the Customers page, fill in its Billing address"
        )
    else:
        text = _(
            "{customer} has no contact to sign the order form: on the Customers page, add a "
            "contact (the first contact signs)"
        )
    return text.format(customer=customer)


def jurisdiction_text(fields: tuple[str, ...] | list[str]) -> str:
    """The governing law and courts an order form lacks, and where to fill them in, in the
    interface's language (``pricing.legal.jurisdiction_problem`` in English): the editor's
    warning, the refused Finalise, the preview's list."""
    if "governing_law" in fields and "venue" in fields:
        return _(
            "the governing law and the courts are not set (the shipped ones, New York's, are "
            "for a seller in the United States, and this seller is elsewhere): fill in "
            "Settings → legal frame → Governing law / Courts"
        )
    if "governing_law" in fields:
        return _(
            "the governing law is not set (the shipped one, New York's, is for a seller in the "
            "United States, and this seller is elsewhere): fill in Settings → legal frame → "
            "Governing law"
        )
    return _(
        "the courts are not set (the shipped ones, New York's, are for a seller in the United "
        "States, and this seller is elsewhere): fill in Settings → legal frame → Courts"
    )


def tax_changed_text(customer: str, changes: list[list[str]] | list[tuple[str, str, str]]) -> str:
    """A quote's tax decided on other customer details than its record's now
    (``pricing.tax.customer_tax_changes``, as [field, decided, now]), in the interface's
    language: what changed and how to decide the tax again. The editor's warning and
    banner, the refused Finalise."""
    parts = []
    for field, decided, now in changes:
        values = {"customer": customer, "decided": decided, "now": now}
        if field == "country":
            values = {**values, "decided": _country(decided), "now": _country(now)}
            text = _("{customer} is now in {now} (the tax was decided for {decided})")
        elif field == "tax_id" and not decided:
            text = _("{customer} now has a tax ID ({now})")
        elif field == "tax_id" and not now:
            text = _("{customer} no longer has a tax ID (the tax was decided with {decided})")
        elif field == "tax_id":
            text = _(
                "{customer} has another tax ID now ({now}; the tax was decided with {decided})"
            )
        elif not decided:
            text = _("{customer} now has a region ({now})")
        elif not now:
            text = _("{customer} no longer has a region (the tax was decided for {decided})")
        else:
            text = _("{customer} is now in region {now} (the tax was decided for {decided})")
        parts.append(text.format(**values))
    return _(
        "{changes}: decide the tax again with 'Update from customer and Settings' on the Terms tab"
    ).format(changes=joined(parts))


def _country(code: str) -> str:
    """A country's name in the interface's language by its ISO code."""
    from .countries import shown_country

    return shown_country(code)


def status_word(status: str) -> str:
    """ "pending approval": a status inside a sentence."""
    english = STATUS_WORDS.get(status)
    return _(english) if english is not None else status.replace("_", " ")


def lost_reason(key: str, english: str) -> str:
    """A reason a deal was lost, in the interface's language (``english`` when unknown)."""
    return _(LOST_REASONS[key]) if key in LOST_REASONS else english


MODEL_TITLES: dict[str, str] = {
    "outcome_based": N_("Outcome-based pricing"),
    "platform_usage": N_("Platform fee + usage"),
    "seats_credits": N_("Tiered seats + AI credits"),
    "seats_ai_tiers": N_("Per seat, AI in higher tiers"),
    "outcome_contingent": N_("Outcome-contingent (value share)"),
}
"""The playbook's titles of the pricing models (``pricing.playbook.MODEL_PROFILES``)."""

MODEL_STRUCTURES: dict[str, str] = {
    "outcome_based": N_("The customer pays per completed business result delivered by the AI."),
    "platform_usage": N_(
        "A fixed platform fee covers access and base usage; usage above it is charged "
        "incrementally."
    ),
    "seats_credits": N_(
        "Per-seat tiers plus a monthly AI credit allocation per seat; extra credits are bought "
        "as add-ons."
    ),
    "seats_ai_tiers": N_(
        "Traditional per-seat tiers; the AI features come only with the upper tiers."
    ),
    "outcome_contingent": N_(
        "The customer pays a share of the value the AI demonstrably creates, possibly with a "
        "small base fee."
    ),
}
"""How each model charges (the playbook's ``structure``)."""


MODEL_NOTES: dict[str, str] = {
    "variable, but can reach 80-90% when the performance component is large relative to "
    "inference costs": N_(
        "variable, but can reach 80-90% when the performance component is large relative to "
        "inference costs"
    ),
    "theoretically unlimited: spending scales directly with the economic value delivered": N_(
        "theoretically unlimited: spending scales directly with the economic value delivered"
    ),
}
"""The playbook's words where a model has no margin or NRR range (outcome-contingent)."""

UNITS: dict[str, str] = {
    # Translators: a price range "per ..." of a product category
    "seat per year": N_("per seat per year"),
    # Translators: a price range "per ..." of a product category
    "resolved ticket": N_("per resolved ticket"),
    # Translators: a price range "per ..." of a product category
    "document": N_("per document"),
    # Translators: a price range "per ..." of a product category
    "year": N_("per year"),
    # Translators: a price range "per ..." of a product category
    "contract reviewed": N_("per contract reviewed"),
    # Translators: a price range "per ..." of a product category
    "candidate screened": N_("per candidate screened"),
}
"""What a product category's price range is counted in (``CategoryProfile.unit``)."""


def _range(low: Any, high: Any) -> str:
    from . import locale_numbers

    return _("{low}-{high}%").format(low=locale_numbers.shown(low), high=locale_numbers.shown(high))


def margin_text(profile: Any) -> str:
    """A model's gross margin range as the playbook states it ("65-75%")."""
    if profile.gross_margin_percent is None:
        return (
            _(MODEL_NOTES[profile.margin_note])
            if profile.margin_note in MODEL_NOTES
            else profile.margin_note
        )
    return _range(*profile.gross_margin_percent)


def nrr_text(profile: Any) -> str:
    """A model's net revenue retention range as the playbook states it ("120-140%")."""
    if profile.nrr_percent is None:
        return (
            _(MODEL_NOTES[profile.nrr_note])
            if profile.nrr_note in MODEL_NOTES
            else profile.nrr_note
        )
    return _range(*profile.nrr_percent)


def category_range(profile: Any, currency: str = "USD", rate: Any = None) -> str:
    """A product category's typical price range in the quote's ``currency``: the playbook's
    ranges are in USD, so another currency's range is converted at ``rate`` (units of
    ``currency`` per USD, the exchange-rate table's) and says so ("111 €-221 € per seat per
    year, converted from USD at 0.9213"); without a rate it stays in USD and says that
    ("$120-$240 per seat per year, in USD: no exchange rate to EUR")."""
    from decimal import Decimal

    from . import locale_format

    if profile.unit not in UNITS:
        return str(profile.range_text())
    per_unit = _(UNITS[profile.unit])
    low, high = Decimal(profile.low), Decimal(profile.high)
    if currency and currency != "USD" and rate is not None:
        rate = Decimal(rate)
        return _("{low}-{high} {per_unit}, converted from USD at {rate}").format(
            low=locale_format.approximate(low * rate, currency),
            high=locale_format.approximate(high * rate, currency),
            per_unit=per_unit,
            rate=locale_format.number(rate),
        )
    text = _("{low}-{high} {per_unit}").format(
        low=locale_format.approximate(low, "USD"),
        high=locale_format.approximate(high, "USD"),
        per_unit=per_unit,
    )
    if currency and currency != "USD":
        return _("{range}, in USD: no exchange rate to {currency}").format(
            range=text, currency=currency
        )
    return text


def model_title(value: str) -> str:
    """ "Outcome-based pricing": the playbook's title of a pricing model."""
    english = MODEL_TITLES.get(value)
    if english is not None:
        return _(english)
    from quote_builder.pricing.playbook import MODEL_PROFILES, PricingModel

    try:
        return MODEL_PROFILES[PricingModel(value)].title
    except ValueError:
        return value


def model_structure(value: str) -> str:
    """How the pricing model charges, in a sentence."""
    english = MODEL_STRUCTURES.get(value)
    if english is not None:
        return _(english)
    from quote_builder.pricing.playbook import MODEL_PROFILES, PricingModel

    try:
        return MODEL_PROFILES[PricingModel(value)].structure
    except ValueError:
        return ""


def policy_words(policy_label: str) -> str:
    """The policy that judged a quote: this machine's own settings in the interface's
    language, an organisation policy by its label (serial, signer, dates)."""
    from quote_builder.services.approvals import UNVERIFIED

    from .service_words import text

    if policy_label == UNVERIFIED:
        return _(
            "this machine's own settings (unverified: no organisation policy installed, "
            "approver keys trusted by hand)"
        )
    return text(policy_label)


def label(value: Any) -> str:
    """The label of an enum value (or its value) in the interface's language."""
    from quote_builder.services import words

    text = str(getattr(value, "value", value))
    english = LABELS.get(text)
    if english is not None:
        return _(english)
    return words.label(text)


def awaited(role: str | None) -> str:
    """ "the deal desk", "a manager": who a request waits for."""
    return _(AWAITED.get(role or "deal_desk", AWAITED["deal_desk"]))


def approval_of(role: str | None) -> str:
    """ "the deal desk's", "a manager's": whose approval a quote needs."""
    return _(APPROVAL_OF.get(role or "deal_desk", APPROVAL_OF["deal_desk"]))


ROLE_TITLES: dict[str, str] = {
    "rep": N_("rep"),
    "manager": N_("manager"),
    "deal_desk": N_("deal desk"),
}
"""A role as a signature names it ("Dana Whitfield (deal desk)"); the English words are
``approvals.bundle.ROLE_TITLES``."""


def role_title(role: str | None) -> str:
    """ "deal desk", "manager" (an unknown role by its own name)."""
    if role in ROLE_TITLES:
        return _(ROLE_TITLES[role])
    return (role or "").replace("_", " ")


__all__ = [
    "LABELS",
    "approval_of",
    "awaited",
    "category_range",
    "label",
    "lost_reason",
    "margin_text",
    "model_structure",
    "model_title",
    "nrr_text",
    "policy_words",
    "role_title",
    "status_word",
]
