"""View-models: the customer's view of a quote turned into already-formatted strings.

Everything a template shows comes from :class:`CustomerView`: the customer's terms
(``pricing.terms.CustomerTerms``, the part that is signed and hashed) and the customer's
estimates (value, bills at other usage), neither of which can hold a cost, a margin, a
floor, a note or the advisor's reasoning. The view functions never see the quote document
itself. Templates get text only (numbers formatted here), so a template can never compute
an amount differently from the engine, and user text reaches the HTML only through Jinja's
autoescaping.

Every sentence is written in the document's language (``RenderRequest.language``): whole
messages with named placeholders from the ``documents`` catalogs (documents/i18n.py), the
numbers and dates inside them from the document's one :class:`Formatter`, whose locale is of
the same language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError
from markupsafe import Markup

from quote_builder.countries import country_code
from quote_builder.pricing import PricedQuote, QuoteDocument, price
from quote_builder.pricing.components import (
    Credits,
    MeteredComponent,
    MinimumCommitment,
    PercentOfValue,
    PerOutcome,
    Seats,
)
from quote_builder.pricing.document import UsageEvidence
from quote_builder.pricing.languages import DEFAULT_LANGUAGE, LANGUAGES, supported_list
from quote_builder.pricing.legal import LegalFrame, LegalTexts, localized_frame
from quote_builder.pricing.options import effective_document, featured_option, offered_documents
from quote_builder.pricing.terms import (
    TERMS_FILE_NAME,
    CustomerTerms,
    TermsIssue,
    TermsParty,
    customer_terms,
    terms_hash,
    terms_issues,
    terms_json,
)

from .charts import SPEND, VALUE, bar_chart, informative
from .engine_labels import engine_label
from .explain import explain, kind_label, unit_name
from .formatting import DEFAULT_LOCALE, Formatter, LocaleError
from .i18n import N_
from .parties import ApprovalNote as ApprovalNote
from .parties import EmbeddedFile as EmbeddedFile  # moved there: the window needs them
from .parties import Party as Party
from .price_sheet import sheet_from_terms, sheet_table
from .scenarios import BillScenario, bill_scenarios, log_range, variation

FINAL_STATUSES = ("approved", "sent", "accepted")
ATTRIBUTION_METHODS = {
    "baseline_comparison": N_("Baseline comparison: value above the agreed baseline period"),
    "holdout_group": N_(
        "Holdout group: results compared with a group that does not use the service"
    ),
    "rule_based": N_("Rule-based: value counted by the agreed attribution rules"),
    "custom": N_("Custom method, as described below"),
}

# How each pricing model works, written to the customer. (The playbook's own wording is the
# seller's: margins, expansion, "captures heavy users"; it never reaches a prospect.)
MODEL_TEXT: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "outcome_based": (
        N_("You pay per outcome"),
        N_(
            "You pay for results: each successful outcome, as the order form defines it. "
            "Work that does not meet the success criteria is not billed."
        ),
        (
            N_(
                "Your bill follows the results you receive, not the number of people using "
                "the service."
            ),
            N_(
                "The price per outcome is fixed in the order form; it does not move with the "
                "cost of the AI models behind the service."
            ),
        ),
    ),
    "platform_usage": (
        N_("Platform fee plus usage"),
        N_(
            "A fixed fee covers access and the usage included in it; usage above the included "
            "amount is billed at the overage price."
        ),
        (
            N_("The fixed fee gives you a predictable base for your budget."),
            N_(
                "You pay for more usage only when you use more, at a price fixed in the order form."
            ),
        ),
    ),
    "seats_credits": (
        N_("Seats with AI credits"),
        N_(
            "You pay per seat, and each seat brings a monthly allocation of AI credits that "
            "AI actions draw on. Extra credits are bought only as the order form allows."
        ),
        (
            N_("Seats keep the subscription simple to budget."),
            N_("Credits let heavier users use more AI without a change of plan."),
        ),
    ),
    "seats_ai_tiers": (
        N_("Per-seat subscription"),
        N_(
            "You pay per seat; the AI features come with the tier you choose, with no usage "
            "charges."
        ),
        (
            N_("One price per seat: no usage to track and no variable bill."),
            N_("The AI features are part of the tier, not an add-on."),
        ),
    ),
    "outcome_contingent": (
        N_("Share of attributed value"),
        N_(
            "You pay a share of the value the service is shown to create, measured by the "
            "attribution method agreed in the order form."
        ),
        (
            N_("You pay when the service creates value, and in proportion to it."),
            N_(
                "How value is attributed, and how a disagreement is settled, is agreed before "
                "you sign."
            ),
        ),
    ),
}

SCENARIO_LABELS = {"Low": N_("Low"), "Expected": N_("Expected"), "High": N_("High")}
"""The bill scenarios' names (``scenarios.BillScenario.label``) as messages."""

ROLE_TITLES = {
    "rep": N_("sales rep"),
    "manager": N_("manager"),
    "deal_desk": N_("deal desk"),
}
"""Approvers' roles, as the final proposal names the approver's."""

LEGAL_DEFAULTS = (
    N_("Master Subscription Agreement"),
    N_("the laws of the State of New York"),
    N_("the state and federal courts in New York County, New York"),
    N_("Data Processing Addendum"),
    N_("Service Level Agreement (99.9 % monthly availability, service credits as set out there)"),
)
"""The legal frame's shipped English texts (``pricing.legal.LegalFrame`` defaults), whose
translations a document uses while the seller keeps the default (a test checks that these
are exactly the frame's default texts)."""

LEGAL_FIELD_NAMES = {
    "agreement": N_("Governing agreement"),
    "agreement_reference": N_("Agreement reference"),
    "governing_law": N_("Governing law"),
    "venue": N_("Courts"),
    "data_processing": N_("Data protection terms"),
    "service_levels": N_("Service levels"),
    "model_providers": N_("Sub-processors and model providers"),
}
"""The legal frame's text fields as Settings labels them (a draft names a missing one)."""

LEGAL_FIELD_TITLES_EN = {
    "agreement": "Governing agreement",
    "agreement_reference": "Agreement reference",
    "governing_law": "Governing law",
    "venue": "Courts",
    "data_processing": "Data protection terms",
    "service_levels": "Service levels",
    "model_providers": "Sub-processors and model providers",
}


@dataclass(frozen=True)
class RenderRequest:
    document: QuoteDocument
    priced: PricedQuote
    seller: Party
    customer: Party
    quote_number: str = ""
    version: int | None = None
    version_hash: str = ""
    """The internal version's SHA-256 (the seller's record); never printed for the customer."""
    status: str = "draft"
    approval_id: str | None = None
    approval: ApprovalNote | None = None
    """Who approved it under which policy, or that it needed no approval (final only)."""
    attachments: tuple[EmbeddedFile, ...] = ()
    """Files embedded in the PDF whatever its variant (the approval statement, the policy)."""
    final: bool = False
    """Render without the DRAFT watermark: only for an approved quote without blocking warnings."""
    issued: dt.date = field(default_factory=dt.date.today)
    valid_until: dt.date | None = None
    locale: str = DEFAULT_LOCALE
    """Dates and numbers: a locale of the document's language (``de_CH`` for ``de``)."""
    language: str = DEFAULT_LANGUAGE
    """The language of every sentence (``pricing.languages.LANGUAGES``)."""
    logo_path: Path | None = None
    legal: LegalFrame | None = None
    """The seller's legal frame (settings); None: the defaults. The quote's overrides apply."""
    legal_texts: dict[str, LegalTexts] = field(default_factory=dict)
    """The seller's clause texts in other languages (settings), by language."""

    @property
    def approval_note(self) -> str:
        """The approval line in English (for the rep; the document words it in its own
        language)."""
        return approval_sentence(self.approval, _english()) if self.approval else ""


# --- the customer's view -------------------------------------------------------------------


@dataclass(frozen=True)
class ValueEstimate:
    """The value figures of the proposal: estimates, resting on the assumptions beside them."""

    metric: str
    value_per_unit: Decimal
    minutes_saved: Decimal | None
    hourly_rate: Decimal | None
    units_year_one: Decimal
    annual_value: Decimal
    annual_spend: Decimal
    savings_percent: Decimal | None
    roi_percent: Decimal | None
    payback_months: Decimal | None
    value_by_year: tuple[Decimal, ...]


@dataclass(frozen=True)
class EvidencePeriod:
    """The customer's own usage log the bill range was read from (no internals)."""

    first_month: str
    last_month: str
    months: int
    rows: int
    users: int


@dataclass(frozen=True)
class CustomerEstimates:
    """What the proposal estimates for the customer; not terms, never signed."""

    pricing_model: str | None
    product_category: str | None
    average_monthly: Decimal
    value: ValueEstimate | None
    scenarios: tuple[BillScenario, ...]
    variation: str
    evidence: EvidencePeriod | None
    """Set when the bill range comes from the customer's usage log."""


@dataclass(frozen=True)
class OptionOffer:
    """One option as the customer sees it (its terms and its bill range; no cost, no
    margin): the proposal puts the options side by side."""

    key: str
    name: str
    description: str
    recommended: bool
    chosen: bool
    featured: bool
    """The option the rest of the proposal and the order form are about."""
    terms: CustomerTerms
    average_monthly: Decimal
    log_low: Decimal | None = None
    log_high: Decimal | None = None
    """The monthly bill range over the customer's usage log (when the quote keeps one)."""


@dataclass(frozen=True)
class CustomerView:
    terms: CustomerTerms
    estimates: CustomerEstimates
    terms_json: bytes
    """Exactly the bytes attached to the PDF as terms.json."""
    terms_hash: str
    options: tuple[OptionOffer, ...] = ()
    """The quote's options side by side (empty for a quote of one offer)."""
    missing_texts: tuple[str, ...] = ()
    """Legal frame text fields the seller has not given in the document's language (the
    English text stands in a draft; a final order form is refused)."""


@dataclass(frozen=True)
class ViewMeta:
    """What a document shows that is neither terms nor estimates."""

    draft: bool
    status: str
    approval_id: str
    locale: str
    has_logo: bool
    approval: ApprovalNote | None = None
    """Who approved under which policy, or that no approval was needed (final only)."""
    language: str = DEFAULT_LANGUAGE
    recipient: str = ""
    """The customer's contact the proposal is addressed to ("Jane Doe, CFO · jane@...")."""


def _estimates(doc: QuoteDocument, priced: PricedQuote) -> CustomerEstimates:
    from_log = log_range(doc)  # the quote priced over its usage log, once
    value = priced.value
    drivers = doc.value
    estimate = None
    if value is not None and drivers is not None:
        estimate = ValueEstimate(
            metric=drivers.metric or "tasks",
            value_per_unit=value.value_per_unit,
            minutes_saved=drivers.minutes_saved_per_unit,
            hourly_rate=drivers.loaded_hourly_rate,
            units_year_one=value.units_year_one,
            annual_value=value.annual_value,
            annual_spend=value.annual_spend,
            savings_percent=value.customer_savings_percent,
            roi_percent=value.roi_percent,
            payback_months=value.payback_months,
            value_by_year=value.value_by_year,
        )
    evidence = _evidence_period(doc.usage_evidence) if from_log is not None else None
    return CustomerEstimates(
        pricing_model=str(doc.pricing_model) if doc.pricing_model else None,
        product_category=str(doc.product_category) if doc.product_category else None,
        average_monthly=priced.average_monthly,
        value=estimate,
        scenarios=tuple(bill_scenarios(doc, priced.average_monthly, from_log)),
        variation=variation(doc),
        evidence=evidence,
    )


def _evidence_period(evidence: UsageEvidence | None) -> EvidencePeriod | None:
    if evidence is None:
        return None
    return EvidencePeriod(
        evidence.months[0].month,
        evidence.months[-1].month,
        len(evidence.months),
        evidence.rows,
        evidence.users,
    )


def customer_view(req: RenderRequest) -> CustomerView:
    """The customer's terms and estimates of ``req``: the only input of the documents. A
    quote with options is its featured option here (``pricing.options.effective_document``:
    the chosen one, else the recommended one): the order form and the terms are that
    option's; the proposal shows the others beside it (``options_view``)."""
    document = effective_document(req.document)
    priced = req.priced if document is req.document else price(document)
    legal, missing = _frame(req, document)
    terms = customer_terms(
        document,
        priced,
        seller=req.seller.terms_party(),
        customer=req.customer.terms_party(),
        quote_number=req.quote_number,
        version=req.version,
        issued=req.issued,
        valid_until=req.valid_until,
        legal=legal,
        language=req.language,
    )
    return CustomerView(
        terms,
        _estimates(document, priced),
        terms_json(terms),
        terms_hash(terms),
        _offers(req, terms, legal),
        tuple(missing),
    )


def check_language(req: RenderRequest) -> None:
    """Refuse a request whose language is not one we write, or whose locale writes dates
    in another language than its sentences (a sentence in German with "January 1")."""
    if req.language not in LANGUAGES:
        raise LocaleError(
            f"language: {req.language!r} is not a language Quote Builder writes documents in; "
            f"use one of {supported_list()}"
        )
    try:
        locale_language = Locale.parse(req.locale).language
    except (UnknownLocaleError, ValueError):
        raise LocaleError(f"unknown locale {req.locale!r} (e.g. en_US, de_DE, fr_FR)") from None
    if locale_language != req.language:
        raise LocaleError(
            f"locale: {req.locale} writes dates and numbers in "
            f"{Locale.parse(locale_language).english_name}, but the document is in "
            f"{LANGUAGES[req.language]}; give a locale of the document's language (such as "
            f"{req.language}_{_region_example(req.language)}) or leave the locale out"
        )


def _region_example(language: str) -> str:
    from quote_builder.pricing.languages import DEFAULT_LOCALES

    return DEFAULT_LOCALES[language].split("_")[1]


def _frame(req: RenderRequest, document: QuoteDocument) -> tuple[LegalFrame, list[str]]:
    """The seller's frame with its texts in the document's language, and the text fields
    missing in that language (the quote's own overrides count as given)."""
    translator = _formatter_for(req.language).translator

    def shipped(_field: str, english: str) -> str:
        # The frame's defaults are messages of the catalog; taken as they are (no
        # placeholders: "99.9 %" is text).
        return translator.catalog.gettext(english)

    return localized_frame(
        req.legal or LegalFrame(), req.language, req.legal_texts, shipped, document.contract.legal
    )


@cache
def _formatter_for(language: str) -> Formatter:
    from quote_builder.pricing.languages import DEFAULT_LOCALES

    return Formatter("USD", DEFAULT_LOCALES[language], language)


def _english() -> Formatter:
    return _formatter_for(DEFAULT_LANGUAGE)


def document_formatter(view: CustomerView, meta: ViewMeta) -> Formatter:
    """The document's one formatter: its currency, locale and language."""
    return Formatter(view.terms.currency, meta.locale, meta.language)


def _offers(
    req: RenderRequest, featured_terms: CustomerTerms, legal: LegalFrame
) -> tuple[OptionOffer, ...]:
    doc = req.document
    featured = featured_option(doc)
    offers = []
    for option, offered in offered_documents(doc):
        if option is None:
            return ()
        priced = price(offered)
        terms = (
            featured_terms
            if featured is not None and option.key == featured.key
            else customer_terms(
                offered,
                priced,
                seller=req.seller.terms_party(),
                customer=req.customer.terms_party(),
                quote_number=req.quote_number,
                version=req.version,
                issued=req.issued,
                valid_until=req.valid_until,
                legal=legal,
                language=req.language,
            )
        )
        bills = log_range(offered) if offered.usage_evidence is not None else None
        offers.append(
            OptionOffer(
                key=option.key,
                name=option.name,
                description=option.description,
                recommended=option.recommended,
                chosen=doc.chosen_option == option.key,
                featured=featured is not None and option.key == featured.key,
                terms=terms,
                average_monthly=priced.average_monthly,
                log_low=bills.low if bills is not None and not bills.incomplete else None,
                log_high=bills.high if bills is not None and not bills.incomplete else None,
            )
        )
    return tuple(offers)


def view_meta(req: RenderRequest) -> ViewMeta:
    return ViewMeta(
        draft=not req.final,
        status=req.status,
        approval_id=req.approval_id or "",
        locale=req.locale,
        has_logo=req.logo_path is not None,
        approval=req.approval,
        language=req.language,
        recipient=_recipient(req.document),
    )


def _recipient(doc: QuoteDocument) -> str:
    contact = doc.customer.contact
    if contact is None:
        return ""
    text = contact.name + (f", {contact.title}" if contact.title else "")
    return text + (f" · {contact.email}" if contact.email else "")


# --- common -----------------------------------------------------------------------------------


def approval_sentence(note: ApprovalNote, f: Formatter) -> str:
    """The final proposal's approval line: "by Dana Whitfield (deal desk) on 30 November
    2026 under Acme's policy 3f2a:9c1e:…", or that no approval was needed."""
    policy = {"organisation": note.organisation, "policy": note.policy}
    if not note.approver:
        if note.organisation:
            return f._("No approval needed under %(organisation)s's policy %(policy)s", **policy)
        return f._("No approval needed under the organisation's policy")
    role = ROLE_TITLES.get(note.role)
    params = {
        "approver": note.approver,
        "role": f._(role) if role else note.role.replace("_", " "),
        "date": f.date(note.decided_on) if note.decided_on else "",
        **policy,
    }
    if note.role and note.policy:
        return f._(
            "by %(approver)s (%(role)s) on %(date)s under %(organisation)s's policy %(policy)s",
            **params,
        )
    if note.role:
        return f._("by %(approver)s (%(role)s) on %(date)s", **params)
    if note.policy:
        return f._(
            "by %(approver)s on %(date)s under %(organisation)s's policy %(policy)s", **params
        )
    return f._("by %(approver)s on %(date)s", **params)


def _page_label(f: Formatter) -> dict[str, str]:
    """The footer's "Page 3 of 12" as the text before, between and after the two numbers
    (the page counters are CSS's; a translation keeps the page before the page count)."""
    text = f._("Page %(page)s of %(pages)s", page="\x00", pages="\x01")
    before, _, rest = text.partition("\x00")
    middle, _, after = rest.partition("\x01")
    # WeasyPrint strips a running string (Python's strip(), no-break spaces too): its
    # spaces are written as no-break spaces, kept between zero-width spaces.
    return {
        part: f"\u200b{text.replace(' ', chr(0xA0))}\u200b" if text else ""
        for part, text in (("before", before), ("middle", middle), ("after", after))
    }


def _country(name: str, f: Formatter) -> str:
    """The customer's country in the document's language (``Germany`` is ``Deutschland``
    in German); a name that is not a country we know, as written."""
    code = country_code(name) if name else None
    if code is None:
        return name
    return str(f.locale.territories.get(code, name))


def _billing_word(frequency: str, f: Formatter) -> str:
    return {
        "monthly": f._("monthly"),
        "quarterly": f._("quarterly"),
        "annual": f._("annually"),
    }[frequency]


def _term_sentence(terms: CustomerTerms, f: Formatter) -> str:
    """The proposal's "Term: 36 months from ... to ..., invoiced monthly, with prices rising
    3.0% each contract year from year 2."."""
    params = {
        "term": f.months(terms.term_months),
        "start": f.date(terms.start_date),
        "end": f.date(terms.end_date),
        "percent": f.percent(terms.escalator_percent, 1),
    }
    frequency = terms.billing_frequency
    if terms.escalations:
        if frequency == "monthly":
            return f._(
                "Term: %(term)s from %(start)s to %(end)s, invoiced monthly, with prices rising "
                "%(percent)s each contract year from year 2.",
                **params,
            )
        if frequency == "quarterly":
            return f._(
                "Term: %(term)s from %(start)s to %(end)s, invoiced quarterly, with prices "
                "rising %(percent)s each contract year from year 2.",
                **params,
            )
        return f._(
            "Term: %(term)s from %(start)s to %(end)s, invoiced annually, with prices rising "
            "%(percent)s each contract year from year 2.",
            **params,
        )
    if frequency == "monthly":
        return f._("Term: %(term)s from %(start)s to %(end)s, invoiced monthly.", **params)
    if frequency == "quarterly":
        return f._("Term: %(term)s from %(start)s to %(end)s, invoiced quarterly.", **params)
    return f._("Term: %(term)s from %(start)s to %(end)s, invoiced annually.", **params)


def _common(view: CustomerView, meta: ViewMeta, f: Formatter) -> dict[str, Any]:
    terms = view.terms
    version = (
        f._("version %(number)s", number=terms.version)
        if terms.version is not None
        else f._("unsaved")
    )
    title = terms.title or f._("Proposal for %(customer)s", customer=terms.customer.name)
    number = terms.quote_number or f._("Draft quote")
    return {
        "lang": meta.locale.replace("_", "-"),
        "language": meta.language,
        "running_name": _short(terms.customer.name, 48),
        "title": title,
        "quote_number": number,
        "version": version,
        "keywords": ", ".join([f._("quote"), f._("proposal"), number]),
        "page_label": _page_label(f),
        "terms_hash": view.terms_hash,
        "status": meta.status,
        "draft": meta.draft,
        "approval_id": meta.approval_id,
        "approval_note": approval_sentence(meta.approval, f)
        if meta.approval is not None and not meta.draft
        else "",
        "recipient": meta.recipient,
        "issued": f.date(terms.issued),
        "valid_until": f.date(terms.valid_until) if terms.valid_until else "",
        "seller": terms.seller,
        "customer": terms.customer,
        "customer_country": _country(terms.customer.country, f),
        "has_logo": meta.has_logo,
        "currency": terms.currency,
        "tcv": f.money(terms.total_contract_value),
        # Two figures, two names: recurring fees (ACV) and everything billed in year 1.
        "first_year_acv": f.money(terms.first_year_fees),
        "first_year_spend": f.money(terms.years[0].amount),
        "first_year_one_time": f.money(terms.years[0].one_time) if terms.years[0].one_time else "",
        "average_monthly": f.money(view.estimates.average_monthly),
        "term": f.months(terms.term_months),
        "start": f.date(terms.start_date),
        "end": f.date(terms.end_date),
        "billing": _billing_word(terms.billing_frequency, f),
        "term_sentence": _term_sentence(terms, f),
        "escalator": f.percent(terms.escalator_percent, 1) if terms.escalations else "",
        "change": _change(terms, f),
    }


def _change(terms: CustomerTerms, f: Formatter) -> dict[str, Any] | None:
    """The earlier order this one renews, expands or amends, in words, and the change per
    year (renewal, expansion) in the customer's numbers."""
    change = terms.change
    if change is None:
        return None
    params = {
        "order": change.original_order,
        "version": change.original_version,
        "start": f.date(change.original_start),
        "end": f.date(change.original_end),
        "new_start": f.date(terms.start_date),
        "effective": f.date(change.effective),
        "until": f.date(terms.end_date),
    }
    if change.kind == "renewal":
        heading = f._("Renewal of order %(order)s", **params)
        sentence = f._(
            "This order form renews order %(order)s (version %(version)s, %(start)s to %(end)s) "
            "for a new term from %(new_start)s.",
            **params,
        )
        next_step = f._(
            "Sign the order form; the renewal takes effect on %(date)s.",
            date=f.date(terms.start_date),
        )
    elif change.kind == "expansion":
        heading = f._("Expansion of order %(order)s", **params)
        sentence = f._(
            "This order form adds to order %(order)s (version %(version)s, %(start)s to "
            "%(end)s) from %(effective)s and ends with it on %(until)s; that order's terms apply "
            "to what is added.",
            **params,
        )
        if change.prorated_from and change.prorated_to:
            sentence += " " + f._(
                "The days from %(from)s to %(to)s are charged prorated by days (%(days)s of "
                "%(period)s), invoiced with the first invoice.",
                **{
                    "from": f.date(change.prorated_from),
                    "to": f.date(change.prorated_to),
                    "days": f.number(change.prorated_days),
                    "period": f.number(change.period_days),
                },
            )
        next_step = f._(
            "Sign the order form; the expansion takes effect on %(date)s.",
            date=f.date(change.effective),
        )
    else:
        heading = f._("Amendment of order %(order)s", **params)
        sentence = f._(
            "This order form amends order %(order)s (version %(version)s, %(start)s to %(end)s): "
            "from %(effective)s its terms replace that order's until it ends on %(until)s; "
            "before that date that order stands as signed.",
            **params,
        )
        next_step = f._(
            "Sign the order form; the amendment takes effect on %(date)s.",
            date=f.date(change.effective),
        )
    return {
        "kind": change.kind,
        "heading": heading,
        # The proposal's last next step: the customer is onboarded already.
        "next_step": next_step,
        "original": change.original_order,
        "sentence": sentence,
        "rows": [
            {
                "label": engine_label(r.label, f),
                "period": f.date_range(r.start, r.end),
                "before": f.amount(r.before),
                "after": f.amount(r.after),
                "difference": ("+" if r.difference > 0 else "") + f.amount(r.difference),
            }
            for r in change.rows
        ],
    }


def _short(text: str, limit: int) -> str:
    """For page headers: long names are cut (the full name is on the cover)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plural_count(value: Decimal) -> int:
    """The count a plural form is chosen by: a whole number as it is, any other (1.5
    minutes) as a plural."""
    return int(value) if value == value.to_integral_value() else 2


# --- proposal ---------------------------------------------------------------------------------


def _years(view: CustomerView, f: Formatter) -> list[dict[str, str]]:
    value = view.estimates.value
    increases = {e.year: e.above_year_one_percent for e in view.terms.escalations}
    rows = []
    for i, year in enumerate(view.terms.years):
        rows.append(
            {
                "year": str(year.year),
                "period": f.date_range(year.start, year.end),
                "months": str(year.months),
                # The schedule is wide: amounts without the currency sign (the header
                # names the currency), so they never wrap inside a number.
                "list": f.amount(year.list_amount),
                "discounts": f.amount(year.discounts) if year.discounts else "",
                "revenue": f.amount(year.amount),
                "increase": f.percent(increases[year.year], 2) if year.year in increases else "",
                "value": f.amount(value.value_by_year[i])
                if value and i < len(value.value_by_year)
                else "",
            }
        )
    return rows


def _pricing_table(view: CustomerView, f: Formatter) -> list[dict[str, str]]:
    year_one = view.terms.years[0]
    rows = []
    for component in view.terms.components:
        rows.append(
            {
                "name": component.name,
                "kind": kind_label(component, f),
                "description": component.description,
                "terms": explain(component, f),
                "year_one": f.money(
                    _component_year_amount(view.terms, component.id, year_one.year)
                ),
            }
        )
    return rows


def _component_year_amount(terms: CustomerTerms, component_id: str, year: int) -> Decimal:
    for row in terms.component_years:
        if row.component_id == component_id and row.year == year:
            return row.amount
    return Decimal(0)


def _recommendation(estimates: CustomerEstimates, f: Formatter) -> dict[str, Any] | None:
    if estimates.pricing_model is None or estimates.pricing_model not in MODEL_TEXT:
        return None
    title, structure, reasons = MODEL_TEXT[estimates.pricing_model]
    return {
        "title": f._(title),
        "structure": f._(structure),
        "reasons": [f._(reason) for reason in reasons],
    }


def _scenario_label(label: str, f: Formatter) -> str:
    message = SCENARIO_LABELS.get(label)
    return f._(message) if message is not None else label


def _charts(view: CustomerView, f: Formatter) -> dict[str, Any]:
    terms, estimates = view.terms, view.estimates
    symbol = f.money(Decimal(0))
    # The currency sign only where it is short ($, €); else the axis title names it.
    short_sign = (
        len("".join(ch for ch in symbol if not ch.isdigit() and ch not in ".,  \u202f")) <= 2
    )

    def axis(value: Decimal) -> str:
        return f.compact(value, with_symbol=short_sign)

    charts: dict[str, Any] = {}
    value = estimates.value
    groups = []
    for i, year in enumerate(terms.years):
        values = [year.amount]
        if value is not None and i < len(value.value_by_year):
            values.append(value.value_by_year[i])
        label = f._("Year %(year)s", year=year.year)
        if year.months != 12:
            label += "\n" + f._("%(months)s only", months=f.months(year.months))
        groups.append((label, values))
    series = [(f._("Your spend"), SPEND)] + (
        [(f._("Estimated value"), VALUE)] if value is not None else []
    )
    # A chart of spend alone repeats the schedule's table: drawn only beside value.
    charts["spend_value"] = (
        bar_chart(
            groups,
            series,
            axis,
            axis,
            f._(
                "Spend against estimated value by contract year (%(currency)s)",
                currency=terms.currency,
            ),
            terms.currency,
        )
        if value is not None
        else ""
    )
    scenarios = estimates.scenarios
    from_log = estimates.evidence is not None

    def basis(s: BillScenario) -> str:
        if s.percentile is None:
            return f._(
                "%(percent)s usage", percent=f.percent((s.usage_factor or Decimal(1)) * 100, 0)
            )
        if s.percentile == 50:
            return f._("median month")
        if s.percentile == 10:
            return f._("10th percentile month")
        return f._("90th percentile month")

    # Three equal bars (a bill that does not move with usage) carry no information.
    charts["bill_range"] = (
        bar_chart(
            [
                (
                    f._(
                        "%(scenario)s (%(basis)s)",
                        scenario=_scenario_label(s.label, f),
                        basis=basis(s),
                    ),
                    [s.monthly],
                )
                for s in scenarios
            ],
            [(f._("Average monthly bill, year 1"), SPEND)],
            axis,
            lambda v: f.money(v),
            f._("Monthly bill at the usage of a quiet, typical and busy month of your usage log")
            if from_log
            else f._("Monthly bill at low, expected and high usage"),
            terms.currency,
        )
        if informative([s.monthly for s in scenarios])
        else ""
    )
    charts["scenarios"] = [
        {"label": _scenario_label(s.label, f), "usage": basis(s), "monthly": f.money(s.monthly)}
        for s in scenarios
    ]
    charts["bill_moves"] = informative([s.monthly for s in scenarios])
    return charts


def _summary(view: CustomerView, f: Formatter, customer: str, one_time: str) -> dict[str, Any]:
    value = view.estimates.value
    if value is None:
        return {}
    terms = view.terms
    metric = unit_name(value.metric)
    units = f._("%(count)s %(unit)s", count=f.number(value.units_year_one, 0), unit=metric)
    params: dict[str, Any] = {
        "metric": metric,
        "units": units,
        "value": f.price(value.value_per_unit),
        "customer": customer,
        "annual_value": f.money(value.annual_value),
        "spend": f.money(value.annual_spend),
        "recurring": f.money(terms.first_year_fees),
        "one_time": one_time,
    }
    if value.minutes_saved is not None and value.hourly_rate is not None:
        params["minutes"] = f._n(
            "%(count)s minute",
            "%(count)s minutes",
            _plural_count(value.minutes_saved),
            count=f.number(value.minutes_saved),
        )
        params["rate"] = f.money(value.hourly_rate)
        worth = f.markup(
            "We estimate that every task the service completes (%(metric)s) is worth about "
            "<strong>%(value)s</strong> to %(customer)s: %(minutes)s saved at a loaded rate of "
            "%(rate)s an hour.",
            **params,
        )
        basis = f._(
            "Value, savings, return and payback are estimates, not commitments: they rest on "
            "%(units)s in year 1 at the expected usage and %(minutes)s saved at a loaded rate of "
            "%(rate)s an hour (the figures you gave us). Your results depend on your usage and "
            "your costs; the price does not.",
            **params,
        )
    else:
        worth = f.markup(
            "We estimate that every task the service completes (%(metric)s) is worth about "
            "<strong>%(value)s</strong> to %(customer)s.",
            **params,
        )
        basis = f._(
            "Value, savings, return and payback are estimates, not commitments: they rest on "
            "%(units)s in year 1 at the expected usage and a value of %(value)s per task (your "
            "figure). Your results depend on your usage and your costs; the price does not.",
            **params,
        )
    if one_time:
        spend = f.markup(
            "With %(units)s expected in the first year, that is an estimated "
            "<strong>%(annual_value)s</strong> of value for a first-year spend of %(spend)s "
            "(%(recurring)s of recurring fees and %(one_time)s one-time).",
            **params,
        )
    else:
        spend = f.markup(
            "With %(units)s expected in the first year, that is an estimated "
            "<strong>%(annual_value)s</strong> of value for a first-year spend of %(spend)s.",
            **params,
        )
    payback = (
        f._n(
            "%(count)s month",
            "%(count)s months",
            _plural_count(value.payback_months),
            count=f.number(value.payback_months, 1),
        )
        if value.payback_months is not None
        else f._("n/a")
    )
    return {
        "lead": Markup(" ").join([worth, spend]),
        "basis": basis,
        "value_per_unit": f.price(value.value_per_unit),
        "annual_value": f.money(value.annual_value),
        "annual_spend": f.money(value.annual_spend),
        "savings": f.percent(value.savings_percent),
        "roi": f.percent(value.roi_percent, 0),
        "payback": payback,
    }


def _usage_lines(view: CustomerView, f: Formatter) -> list[str]:
    terms = view.terms
    lines = []
    for metric, forecast in terms.estimated_usage.items():
        unit = unit_name(metric)
        if forecast.monthly is not None:
            if forecast.growth_percent_per_month:
                text = f._(
                    "%(quantity)s %(unit)s a month, growing %(percent)s a month.",
                    quantity=f.number(forecast.monthly),
                    unit=unit,
                    percent=f.percent(forecast.growth_percent_per_month),
                )
            else:
                text = f._(
                    "%(quantity)s %(unit)s a month.", quantity=f.number(forecast.monthly), unit=unit
                )
        else:
            assert forecast.per_year is not None
            text = f._(
                "%(unit)s a month by contract year: %(quantities)s.",
                unit=unit,
                quantities=f.listing([f.number(v) for v in forecast.per_year]),
            )
        lines.append(text[0].upper() + text[1:])
    for ramp in terms.ramps:
        changes = [
            f._n(
                "%(count)s seat of %(component)s",
                "%(count)s seats of %(component)s",
                count,
                count=f.number(count),
                component=terms.component(seat_id).name,
            )
            for seat_id, count in ramp.seats.items()
        ] + [
            f._("%(quantity)s %(unit)s a month", quantity=f.number(q), unit=unit_name(m))
            for m, q in ramp.usage.items()
        ]
        if changes:
            lines.append(
                f._(
                    "From contract year %(year)s: %(changes)s.",
                    year=ramp.year,
                    changes=f.listing(changes),
                )
            )
    return lines


def _evidence_params(evidence: EvidencePeriod, f: Formatter) -> dict[str, str]:
    """The usage log's period and size (``3 months``, ``June 2026 to August 2026``, ``645
    events``, ``25 users``) for the sentences that cite it."""

    def month(label: str) -> str:
        return f.month(dt.date(int(label[:4]), int(label[5:]), 1))

    first, last = evidence.first_month, evidence.last_month
    return {
        "months": f.months(evidence.months),
        "span": month(first)
        if first == last
        else f._("%(first)s to %(last)s", first=month(first), last=month(last)),
        "events": f._n(
            "%(count)s event", "%(count)s events", evidence.rows, count=f.number(evidence.rows, 0)
        ),
        "users": f._n(
            "%(count)s user", "%(count)s users", evidence.users, count=f.number(evidence.users, 0)
        ),
    }


def _assumptions(view: CustomerView, f: Formatter) -> list[str]:
    terms, estimates = view.terms, view.estimates
    lines = _usage_lines(view, f)
    if estimates.evidence is not None:
        lines.append(
            f._(
                "Low, expected and high bills: the average monthly bill in contract year 1 if "
                "every month used as much as the 10th percentile, median and 90th percentile "
                "month of %(months)s of your usage (%(span)s: %(events)s from %(users)s), at this "
                "proposal's prices; the invoice follows actual usage.",
                **_evidence_params(estimates.evidence, f),
            )
        )
    elif terms.estimated_usage:
        message = {
            "low": N_(
                "Low and high bills scale all usage for low usage variation; the invoice "
                "follows actual usage."
            ),
            "medium": N_(
                "Low and high bills scale all usage for medium usage variation; the invoice "
                "follows actual usage."
            ),
            "high": N_(
                "Low and high bills scale all usage for high usage variation; the invoice "
                "follows actual usage."
            ),
        }.get(estimates.variation)
        if message is not None:
            lines.append(f._(message))
    value = estimates.value
    if value is not None:
        params = {"unit": unit_name(value.metric), "value": f.price(value.value_per_unit)}
        if value.minutes_saved is not None and value.hourly_rate is not None:
            lines.append(
                f._(
                    "Estimated value: %(unit)s delivered by the service, each worth %(value)s "
                    "(%(minutes)s saved at %(rate)s an hour); an estimate, not a commitment.",
                    minutes=f._n(
                        "%(count)s minute",
                        "%(count)s minutes",
                        _plural_count(value.minutes_saved),
                        count=f.number(value.minutes_saved),
                    ),
                    rate=f.money(value.hourly_rate),
                    **params,
                )
            )
        else:
            lines.append(
                f._(
                    "Estimated value: %(unit)s delivered by the service, each worth %(value)s; "
                    "an estimate, not a commitment.",
                    **params,
                )
            )
    if terms.escalations:
        lines.append(
            f._(
                "Prices rise %(percent)s at the start of each contract year from year 2.",
                percent=f.percent(terms.escalator_percent),
            )
        )
    lines.append(f._("Amounts exclude taxes."))
    return lines


def _discounts(terms: CustomerTerms, f: Formatter) -> list[str]:
    lines = []
    for discount in terms.discounts:
        params = {
            "description": discount.description,
            "amount": f.percent(discount.percent, 2)
            if discount.percent is not None
            else f._("%(amount)s a month", amount=f.money(discount.amount or Decimal(0))),
            "component": terms.component(discount.component).name if discount.component else "",
            "months": f.months(discount.months or 0),
            "month": discount.start_month,
        }
        whole_fees = discount.component is None
        if discount.months is None:
            if whole_fees:
                text = f._(
                    "%(description)s: %(amount)s of the recurring fees for the whole term.",
                    **params,
                )
            else:
                text = f._(
                    "%(description)s: %(amount)s of %(component)s for the whole term.", **params
                )
        elif discount.start_month == 1:
            if whole_fees:
                text = f._(
                    "%(description)s: %(amount)s of the recurring fees for %(months)s.", **params
                )
            else:
                text = f._("%(description)s: %(amount)s of %(component)s for %(months)s.", **params)
        elif whole_fees:
            text = f._(
                "%(description)s: %(amount)s of the recurring fees for %(months)s from month "
                "%(month)s.",
                **params,
            )
        else:
            text = f._(
                "%(description)s: %(amount)s of %(component)s for %(months)s from month %(month)s.",
                **params,
            )
        lines.append(text)
    return lines


def _review_step(view: CustomerView, f: Formatter, with_contract: bool) -> str:
    valid_until = view.terms.valid_until
    if with_contract and valid_until:
        return f._(
            "Review this proposal and the contract terms that follow it before %(date)s.",
            date=f.date(valid_until),
        )
    if with_contract:
        return f._("Review this proposal and the contract terms that follow it.")
    if valid_until:
        return f._("Review this proposal before %(date)s.", date=f.date(valid_until))
    return f._("Review this proposal.")


def proposal_view(
    view: CustomerView, meta: ViewMeta, *, with_contract: bool = False
) -> dict[str, Any]:
    terms = view.terms
    f = document_formatter(view, meta)
    evidence = view.estimates.evidence
    common = _common(view, meta, f)
    return {
        **common,
        "summary": _summary(view, f, terms.customer.name, common["first_year_one_time"]),
        "recommendation": _recommendation(view.estimates, f),
        "pricing": _pricing_table(view, f),
        "price_table": sheet_table(sheet_from_terms(terms), f),
        "years": _years(view, f),
        "charts": _charts(view, f),
        "usage_evidence": f._(
            "%(months)s of your usage (%(span)s: %(events)s from %(users)s)",
            **_evidence_params(evidence, f),
        )
        if evidence is not None
        else "",
        "usage_evidence_caption": f._(
            "Your average monthly bill in contract year 1 if every month used as much as a quiet "
            "month (10th percentile), a typical month (median) or a busy month (90th "
            "percentile) of %(months)s of your usage (%(span)s: %(events)s from %(users)s), at "
            "this proposal's prices.",
            **_evidence_params(evidence, f),
        )
        if evidence is not None
        else "",
        "assumptions": _assumptions(view, f),
        "discounts": _discounts(terms, f),
        "has_value": view.estimates.value is not None,
        "has_outcomes": any(isinstance(c, PerOutcome | PercentOfValue) for c in terms.components),
        "has_usage_charges": any(c.usage_based for c in terms.components),
        "with_contract": with_contract,
        "review_step": _review_step(view, f, with_contract),
        **_options(view, f),
    }


def _options(view: CustomerView, f: Formatter) -> dict[str, Any]:
    """The options side by side, with the recommendation (a quote of one offer: none)."""
    offers = view.options
    if not offers:
        return {"options": [], "option_rows": [], "recommended": "", "featured": "", "chosen": ""}
    columns = []
    for offer in offers:
        columns.append(
            {
                "name": offer.name,
                "description": offer.description,
                "recommended": offer.recommended,
                "chosen": offer.chosen,
            }
        )
    rows = [
        (f._("Average month, year 1"), [f.money(o.average_monthly) for o in offers]),
        (f._("First-year recurring fees"), [f.money(o.terms.first_year_fees) for o in offers]),
        (f._("Year 1 in all"), [f.money(o.terms.years[0].amount) for o in offers]),
        (f._("Total contract value"), [f.money(o.terms.total_contract_value) for o in offers]),
        (f._("Term"), [f.months(o.terms.term_months) for o in offers]),
        (f._("Invoiced"), [_billing_word(o.terms.billing_frequency, f) for o in offers]),
        (
            f._("Annual increase"),
            [
                f.percent(o.terms.escalator_percent, 1) if o.terms.escalations else f._("none")
                for o in offers
            ],
        ),
        (
            f._("What is included"),
            [f.listing([c.name for c in o.terms.components]) for o in offers],
        ),
    ]
    if any(o.log_low is not None for o in offers):
        rows.append(
            (
                f._("Monthly bill over your usage log"),
                [
                    f._("%(low)s – %(high)s", low=f.money(o.log_low), high=f.money(o.log_high))
                    if o.log_low is not None and o.log_high is not None
                    else f._("n/a")
                    for o in offers
                ],
            )
        )
    recommended = next((o for o in offers if o.recommended), None)
    featured = next(o for o in offers if o.featured)
    chosen = next((o for o in offers if o.chosen), None)
    if recommended is None:
        recommendation = ""
    elif recommended.description:
        recommendation = f._(
            "We recommend %(option)s: %(description)s",
            option=recommended.name,
            description=recommended.description,
        )
    else:
        recommendation = f._("We recommend %(option)s.", option=recommended.name)
    return {
        "options": columns,
        "option_rows": [{"label": label, "cells": cells} for label, cells in rows],
        "recommended": recommendation,
        "featured": featured.name,
        "chosen": chosen.name if chosen is not None else "",
    }


# --- order form ---------------------------------------------------------------------------


def _is_usage(component: object) -> bool:
    """Metered usage or credits; outcomes and value shares have clauses of their own."""
    return isinstance(component, MeteredComponent | Credits) and not isinstance(
        component, PerOutcome | PercentOfValue
    )


def contract_clauses(terms: CustomerTerms) -> list[str]:
    """The order form's clause partials, chosen by the quote's components."""
    components = terms.components
    clauses = ["parties", "agreement", "term"]
    if any(isinstance(c, Seats) for c in components):
        clauses.append("commitments")
    clauses += ["fees", "price_table", "invoices"]
    if any(_is_usage(c) for c in components):
        clauses.append("usage")
    if any(isinstance(c, MinimumCommitment) for c in components):
        clauses.append("minimum_commitment")
    if any(isinstance(c, Credits) for c in components):
        clauses.append("credits")
    if any(isinstance(c, PerOutcome) for c in components):
        clauses.append("outcomes")
    if any(isinstance(c, PercentOfValue) for c in components):
        clauses.append("attribution")
    if terms.escalations:
        clauses.append("escalator")
    clauses += [
        "price_protection",
        "payment",
        "data",
        "service",
        "termination",
        "law",
        "notices",
        "signatures",
    ]
    return clauses


def _invoices(terms: CustomerTerms, f: Formatter) -> list[dict[str, str]]:
    return [
        {
            "period": f.date_range(i.start, i.end),
            "in_advance": f.amount(i.in_advance) if i.in_advance else "",
            "in_arrears": f.amount(i.in_arrears) if i.in_arrears else "",
            "discounts": f.amount(i.discounts) if i.discounts else "",
            "total": f.amount(i.total),
        }
        for i in terms.invoices
    ]


def _invoice_columns(terms: CustomerTerms) -> dict[str, Any]:
    """Which optional columns the invoice schedule needs (no column of blanks)."""
    arrears = any(i.in_arrears for i in terms.invoices)
    discounts = any(i.discounts for i in terms.invoices)
    return {"arrears": arrears, "discounts": discounts, "span": 2 + arrears + discounts}


def _commitments(terms: CustomerTerms, f: Formatter) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "counts": [f.number(year.seats.get(c.id, c.seats)) for year in terms.years],
        }
        for c in terms.components
        if isinstance(c, Seats)
    ]


def _minimum_timing(terms: CustomerTerms, commitment: MinimumCommitment, f: Formatter) -> str:
    """When a shortfall is measured and invoiced, as the engine bills it."""
    if commitment.period == "month":
        if terms.billing_frequency == "monthly":
            return f._(
                "The commitment is measured over each month of the term; a shortfall is "
                "invoiced in arrears with the usage of that month, after the month ends."
            )
        if terms.billing_frequency == "quarterly":
            return f._(
                "The commitment is measured over each month of the term; a shortfall is "
                "invoiced in arrears with the usage of the quarterly billing period that "
                "contains the month, after the period ends."
            )
        return f._(
            "The commitment is measured over each month of the term; a shortfall is invoiced "
            "in arrears with the usage of the annual billing period that contains the month, "
            "after the period ends."
        )
    return f._(
        "The commitment is measured over each contract year (a shorter last year prorated by "
        "months); a shortfall is invoiced in arrears with the usage of the contract year's "
        "last billing period, after it ends."
    )


def _renewal(terms: CustomerTerms, f: Formatter) -> str:
    if not terms.auto_renew:
        return ""
    increase = terms.legal.renewal_increase_percent
    if increase is None:
        increase = terms.escalator_percent
    if increase:
        return f._(
            "On each renewal, the unit prices of the last contract year increase by "
            "%(percent)s; nothing else changes unless the parties agree in writing.",
            percent=f.percent(increase, 2),
        )
    return f._("On each renewal, the unit prices of the last contract year continue unchanged.")


def _term_clause(terms: CustomerTerms, f: Formatter) -> str:
    """The order form's term, renewal and notice."""
    runs = f._(
        "The subscription runs for %(term)s, from %(start)s to %(end)s.",
        term=f.months(terms.term_months),
        start=f.date(terms.start_date),
        end=f.date(terms.end_date),
    )
    change = terms.change
    renewal = _renewal(terms, f)
    if change is not None and change.kind in ("expansion", "amendment"):
        if terms.auto_renew:
            rest = f._(
                "It is co-termed with order %(order)s: it ends with that order, and renews and "
                "is given notice together with it.",
                order=change.original_order,
            )
            return f"{runs} {rest} {renewal}"
        rest = f._(
            "It is co-termed with order %(order)s: it ends with that order.",
            order=change.original_order,
        )
        return f"{runs} {rest}"
    if terms.auto_renew:
        rest = f._(
            "It renews automatically for successive periods of %(months)s unless either party "
            "gives written notice at least %(days)s before the end of the current period.",
            months=f.months(terms.renewal_term_months),
            days=f.days(terms.notice_days),
        )
        return f"{runs} {rest} {renewal}"
    return f"{runs} " + f._("It ends at the end of the term unless the parties sign a renewal.")


def _notices(party: TermsParty, given: str, fallback_address: str) -> str:
    if given.strip():
        return given
    parts = [p for p in (fallback_address, party.email) if p]
    return ", ".join(parts)


def _issue(issue: TermsIssue, f: Formatter) -> str:
    if issue.code == "auditor_missing":
        return f._(
            "%(component)s: the dispute terms send disputes to an independent auditor, but "
            "none is named.",
            component=issue.component,
        )
    return f._("The provider's name is not set.")


def missing_text_problem(field: str, language: str, f: Formatter) -> str:
    """A clause text the seller has not given in the document's language, in ``f``'s
    language (the draft order form) or English (the rep)."""
    return f._(
        "%(field)s: the seller's text is not given in %(language)s (Settings, Order form: "
        "legal frame, texts in other languages); the English text stands here.",
        field=f._(LEGAL_FIELD_NAMES[field]),
        language=_language_name(language, f),
    )


def missing_text_warning(field: str, language: str) -> str:
    """The rep's sentence (English) for a clause text missing in the document's language."""
    return (
        f"Legal frame, {LEGAL_FIELD_TITLES_EN[field]}: the seller's text is not given in "
        f"{LANGUAGES[language]}, so the {LANGUAGES[language]} order form would carry the "
        f"English text; give it in Settings, Order form: legal frame, texts in other "
        f"languages (or write it on the quote)"
    )


def _language_name(language: str, f: Formatter) -> str:
    """A language's name in the document's language ("Deutsch", "allemand", "ドイツ語")."""
    name = f.locale.languages.get(language)
    return str(name) if name else LANGUAGES[language]


def document_problems(view: CustomerView, f: Formatter) -> list[str]:
    """What keeps the order form from being signed, in ``f``'s language."""
    problems = [_issue(issue, f) for issue in terms_issues(view.terms)]
    language = view.terms.language or DEFAULT_LANGUAGE
    problems += [missing_text_problem(name, language, f) for name in view.missing_texts]
    return problems


def contract_view(view: CustomerView, meta: ViewMeta) -> dict[str, Any]:
    terms = view.terms
    legal = terms.legal
    f = document_formatter(view, meta)
    auditor = legal.independent_auditor
    outcomes = [
        {
            "name": c.name,
            "price": f.price(c.price_per_outcome),
            "definition": c.terms.definition,
            "criteria": c.terms.success_criteria,
            "evidence": c.terms.verification_evidence,
            "audit": c.terms.audit_rights,
            "dispute_days": str(c.terms.dispute_window_days or ""),
            "dispute_sentence": f._(
                "You may dispute an invoiced outcome within %(days)s of the invoice date; "
                "undisputed outcomes are then final, except that an error an audit finds is "
                "corrected (credited or invoiced) on the next invoice, whenever the audit takes "
                "place.",
                days=f.days(c.terms.dispute_window_days or 0),
            ),
        }
        for c in terms.components
        if isinstance(c, PerOutcome)
    ]
    attribution = [
        {
            "name": c.name,
            "terms": explain(c, f),
            "method": f._(ATTRIBUTION_METHODS[c.attribution.method])
            if c.attribution.method in ATTRIBUTION_METHODS
            else f._("Not agreed"),
            "description": c.attribution.description,
            "baseline": f._("%(amount)s a month", amount=f.money(c.baseline))
            if c.baseline is not None
            else f._("Not agreed"),
            "lookback": f.days(c.attribution.lookback_days) if c.attribution.lookback_days else "",
            "floor": f.money(c.floor) if c.floor is not None else "",
            "cap": f.money(c.cap) if c.cap is not None else "",
            "disputes": c.attribution.dispute_process,
        }
        for c in terms.components
        if isinstance(c, PercentOfValue)
    ]
    usage = [{"name": c.name, "terms": explain(c, f)} for c in terms.components if _is_usage(c)]
    fees = [
        {"name": c.name, "terms": explain(c, f)}
        for c in terms.components
        if not isinstance(c, MeteredComponent | Credits | MinimumCommitment)
    ]
    minimums = [
        {"name": c.name, "terms": explain(c, f), "timing": _minimum_timing(terms, c, f)}
        for c in terms.components
        if isinstance(c, MinimumCommitment)
    ]
    escalations = [
        {
            "year": str(e.year),
            "date": f.date(e.effective),
            "factor": f.percent(e.above_year_one_percent, 2),
        }
        for e in terms.escalations
    ]
    cap = terms.extra_credit_cap_per_month
    credits_consent = (
        f._(
            "You authorise extra credits (packs or overage) up to %(amount)s a month; we buy "
            "none beyond that without your written consent (email is enough), and we tell you "
            "when 80%% of your monthly credits are used.",
            amount=f.money(cap),
        )
        if cap
        else f._(
            "We buy no extra credits (packs or overage) without your written consent (email is "
            "enough); we tell you when 80%% of your monthly credits are used, and until you "
            "consent, AI actions beyond your credits wait."
        )
    )
    seller_address = terms.seller.address
    customer_address = terms.customer.billing_address or terms.customer.address
    common = _common(view, meta, f)
    fees_lead = {
        "monthly": N_(
            "Fees are in %(currency)s and invoiced monthly: fixed fees in advance, usage, "
            "outcomes and true-ups in arrears for the period just ended. At the estimated usage "
            "the total contract value is %(tcv)s."
        ),
        "quarterly": N_(
            "Fees are in %(currency)s and invoiced quarterly: fixed fees in advance, usage, "
            "outcomes and true-ups in arrears for the period just ended. At the estimated usage "
            "the total contract value is %(tcv)s."
        ),
        "annual": N_(
            "Fees are in %(currency)s and invoiced annually: fixed fees in advance, usage, "
            "outcomes and true-ups in arrears for the period just ended. At the estimated usage "
            "the total contract value is %(tcv)s."
        ),
    }[terms.billing_frequency]
    reference = [
        f._(
            "Quote %(number)s, %(version)s",
            number=common["quote_number"],
            version=common["version"],
        ),
        f._("issued %(date)s", date=common["issued"]),
        f._("offer valid until %(date)s", date=common["valid_until"]),
    ]
    if common["approval_id"]:
        reference.append(f._("approval %(id)s", id=common["approval_id"]))
    if common["approval_note"]:
        reference.append(common["approval_note"])
    return {
        **common,
        "clauses": contract_clauses(terms),
        "reference_line": " · ".join(reference),
        "fees_lead": f._(fees_lead, currency=terms.currency, tcv=common["tcv"]),
        "fees": fees,
        "usage": usage,
        "minimums": minimums,
        "minimum_total": " ".join(m["terms"] for m in minimums),
        "credits": [
            {"name": c.name, "terms": explain(c, f)}
            for c in terms.components
            if isinstance(c, Credits)
        ],
        "credits_consent": credits_consent,
        "outcomes": outcomes,
        "attribution": attribution,
        "auditor": auditor,
        "escalations": escalations,
        "has_escalation": bool(terms.escalations),
        "discounts": _discounts(terms, f),
        "term_clause": _term_clause(terms, f),
        "payment_sentence": f._(
            "Invoices are payable within %(days)s of the invoice date, in %(currency)s.",
            days=f.days(terms.payment_terms_days),
            currency=terms.currency,
        ),
        "price_protection": terms.price_protection,
        "terms_file": TERMS_FILE_NAME,
        "commitments": _commitments(terms, f),
        "year_labels": [f._("Year %(year)s", year=y.year) for y in terms.years],
        "price_table": sheet_table(sheet_from_terms(terms), f),
        "invoices": _invoices(terms, f),
        "invoice_columns": _invoice_columns(terms),
        "legal": {
            "agreement": legal.agreement,
            "agreement_reference": legal.agreement_reference,
            "order_form_prevails": legal.precedence == "order_form",
            "governing_law": legal.governing_law,
            "venue": legal.venue,
            "liability_sentence": f._n(
                "Each party's total liability under this order form is limited to the fees paid "
                "and payable under it in the %(count)s month before the event giving rise to the "
                "claim, with the exclusions set out in the Agreement.",
                "Each party's total liability under this order form is limited to the fees paid "
                "and payable under it in the %(count)s months before the event giving rise to "
                "the claim, with the exclusions set out in the Agreement.",
                legal.liability_cap_months,
                count=f.number(legal.liability_cap_months),
            ),
            "confidentiality_sentence": f._n(
                "Each party keeps the other's confidential information, including the prices in "
                "this order form, confidential during the term and for %(count)s year after it.",
                "Each party keeps the other's confidential information, including the prices in "
                "this order form, confidential during the term and for %(count)s years after it.",
                legal.confidentiality_years,
                count=f.number(legal.confidentiality_years),
            ),
            "data_processing": legal.data_processing,
            "trains_models": legal.customer_data_trains_models,
            "model_providers": legal.model_providers,
            "subprocessor_sentence": f._n(
                "We give you %(count)s day's written notice of a new one; you may object on "
                "reasonable data protection grounds.",
                "We give you %(count)s days' written notice of a new one; you may object on "
                "reasonable data protection grounds.",
                legal.subprocessor_notice_days,
                count=f.number(legal.subprocessor_notice_days),
            ),
            "retention_sentence": f._n(
                "We delete your data within %(count)s day after the term ends, unless the law "
                "requires us to keep it; you may export it before then.",
                "We delete your data within %(count)s days after the term ends, unless the law "
                "requires us to keep it; you may export it before then.",
                legal.retention_days,
                count=f.number(legal.retention_days),
            ),
            "service_levels": legal.service_levels,
            "late_interest": f.percent(legal.late_interest_percent_per_month, 2),
            "suspension_sentence": f._n(
                "If an undisputed invoice is more than %(count)s day overdue, we may suspend the "
                "service after giving you at least 10 days' written notice; we restore it "
                "promptly once paid.",
                "If an undisputed invoice is more than %(count)s days overdue, we may suspend "
                "the service after giving you at least 10 days' written notice; we restore it "
                "promptly once paid.",
                legal.suspension_after_days,
                count=f.number(legal.suspension_after_days),
            ),
            "breach_sentence": f._n(
                "Either party may terminate this order form if the other commits a material "
                "breach and does not cure it within %(count)s day of written notice.",
                "Either party may terminate this order form if the other commits a material "
                "breach and does not cure it within %(count)s days of written notice.",
                legal.cure_days,
                count=f.number(legal.cure_days),
            ),
            "convenience": legal.termination_for_convenience,
            "convenience_sentence": f._n(
                "You may also terminate it for convenience on %(count)s day's written notice; "
                "fees for the notice period remain due.",
                "You may also terminate it for convenience on %(count)s days' written notice; "
                "fees for the notice period remain due.",
                legal.convenience_notice_days,
                count=f.number(legal.convenience_notice_days),
            ),
        },
        "notices_seller": _notices(terms.seller, legal.seller_notices, seller_address),
        "notices_customer": _notices(terms.customer, legal.customer_notices, customer_address),
        "customer_address": customer_address,
        "problems": document_problems(view, f),
    }
