"""View-models: the customer's view of a quote turned into already-formatted strings.

Everything a template shows comes from :class:`CustomerView`: the customer's terms
(``pricing.terms.CustomerTerms``, the part that is signed and hashed) and the customer's
estimates (value, bills at other usage), neither of which can hold a cost, a margin, a
floor, a note or the advisor's reasoning. The view functions never see the quote document
itself. Templates get text only (numbers formatted here), so a template can never compute
an amount differently from the engine, and user text reaches the HTML only through Jinja's
autoescaping.

The proposal's and the order form's own view-models are ``proposal.py`` and
``order_form.py``; what both print (the cover facts, the term, a change to an earlier order,
the discounts) is here. Every sentence is written in the document's language (``RenderRequest.language``): whole
messages with named placeholders from the ``documents`` catalogs (documents/i18n.py), the
numbers and dates inside them from the document's one :class:`Formatter`, whose locale is of
the same language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError

from quote_builder.countries import country_code, country_name
from quote_builder.pricing import PricedQuote, QuoteDocument, price
from quote_builder.pricing.commitment import Commitment, commitment
from quote_builder.pricing.components import (
    Component,
    MinimumCommitment,
    PercentOfValue,
    TransactionFee,
)
from quote_builder.pricing.document import Discount, TaxKind, UsageEvidence
from quote_builder.pricing.evidence import EvidenceBills, evidence_quantities
from quote_builder.pricing.languages import DEFAULT_LANGUAGE, LANGUAGES, supported_list
from quote_builder.pricing.legal import LegalFrame, LegalTexts, localized_frame
from quote_builder.pricing.options import effective_document, featured_option, offered_documents
from quote_builder.pricing.tax import CustomerTaxChange, CustomerTaxFacts, customer_tax_changes
from quote_builder.pricing.terms import (
    CustomerTerms,
    TermsParty,
    customer_terms,
    terms_hash,
    terms_json,
)
from quote_builder.pricing.value import stated_value

from .engine_labels import discount_name, engine_label
from .formatting import DEFAULT_LOCALE, Formatter, LocaleError
from .i18n import N_, joined
from .parties import ApprovalNote as ApprovalNote
from .parties import EmbeddedFile as EmbeddedFile  # moved there: the window needs them
from .parties import Party as Party
from .scenarios import BillScenario, bill_scenarios, log_bounds, log_range, variation

FINAL_STATUSES = ("approved", "sent", "accepted")
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


@dataclass(frozen=True)
class SellerSigning:
    """Who signs for the seller (the certificate's name) and when (UTC): the order form
    prints it in its language ("Signé électroniquement par Acme AI le 1er décembre 2026 à
    04:46 UTC") and fills the seller's Date line; the customer's stays blank for them."""

    signer: str
    at: dt.datetime


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
    seller_country: str = ""
    """The seller profile's country (ISO code; empty: not set). A quote whose tax was
    decided for a seller in another country cannot be signed: its tax note would name the
    wrong rules (``CustomerView.tax_decided_elsewhere``)."""
    customer_tax: CustomerTaxFacts | None = None
    """What the customer's record says now of its country, region and tax ID (None: no
    record, a file rendered without a database). A quote whose tax was decided on other
    details cannot be signed (``CustomerView.tax_changes``)."""
    seller_signing: SellerSigning | None = None
    """The seller's signature the PDF is rendered to receive (finalising): the order form
    then prints who signed and when, and the seller's Date line, in its own language."""

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
    """At full precision (minutes x rate / 60)."""
    stated_value_per_unit: Decimal
    """As the proposal prints it and multiplies it (``pricing.value.stated_value``): the
    value of a year is this x the year's count."""
    minutes_saved: Decimal | None
    hourly_rate: Decimal | None
    units_year_one: Decimal
    """Stated: a whole count of tasks (a measure to two decimals)."""
    annual_value: Decimal
    annual_spend: Decimal
    savings_percent: Decimal | None
    roi_percent: Decimal | None
    payback_months: Decimal | None
    value_by_year: tuple[Decimal, ...]


@dataclass(frozen=True)
class EvidenceQuantity:
    """A metric the quote bills, as the usage log gives it month by month: what the bills
    over the log were computed from, so that the buyer can reconcile them."""

    metric: str
    money: bool
    """An amount in the quote's currency (attributed value, transactions' value), not a
    count."""
    by_month: tuple[Decimal, ...]
    """In the order of the log's months (``EvidencePeriod.month_list``)."""

    @property
    def total(self) -> Decimal:
        return sum(self.by_month, Decimal(0))


@dataclass(frozen=True)
class EvidencePeriod:
    """The customer's own usage log the bill range was read from (no internals)."""

    first_month: str
    last_month: str
    months: int
    rows: int
    users: int
    month_list: tuple[str, ...] = ()
    """The log's months (``2026-06``), in order."""
    quantities: tuple[EvidenceQuantity, ...] = ()
    """The metrics the quote bills, as the bills over the log read them."""

    def usage_of(self, month: str) -> tuple[tuple[EvidenceQuantity, Decimal], ...]:
        """Each billed metric's quantity in one month of the log."""
        if month not in self.month_list:
            return ()
        index = self.month_list.index(month)
        return tuple((q, q.by_month[index]) for q in self.quantities)


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
    committed: Commitment | None = None
    """The totals at zero usage when the printed totals include usage-based charges
    (``pricing.commitment``): what is committed beside what is estimated."""
    discount_shares: tuple[tuple[int, str, str, Decimal], ...] = ()
    """What each discount takes from each component by year (``PricedQuote.
    discount_shares``): how the price table shares a discount on the deal over its lines."""


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
    seller_country: str = ""
    """The seller profile's country (``RenderRequest.seller_country``)."""
    tax_changes: tuple[CustomerTaxChange, ...] = ()
    """What the customer's record says now that the quote's tax was not decided on (a tax
    ID added since, another country: ``pricing.tax.customer_tax_changes``): the tax is
    stale, like one decided for another seller country."""
    customer_name: str = ""
    """The customer as the rep knows it (its record's name), for the rep's sentences."""

    @property
    def tax_decided_elsewhere(self) -> bool:
        """The quote's tax was decided for a seller in another country than the seller
        profile's (a file made elsewhere, or the profile's country changed since): the
        order form would print a provider in one country under another's tax rules."""
        tax = self.terms.tax
        return bool(
            tax is not None
            and tax.seller_country
            and self.seller_country
            and tax.seller_country != self.seller_country
        )


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
    seller_signing: SellerSigning | None = None
    """``RenderRequest.seller_signing``."""


def _estimates(doc: QuoteDocument, priced: PricedQuote) -> CustomerEstimates:
    from_log = log_range(doc)  # the quote priced over its usage log, once
    value = priced.value
    drivers = doc.value
    estimate = None
    if value is not None and drivers is not None:
        estimate = ValueEstimate(
            metric=drivers.metric or "tasks",
            value_per_unit=value.value_per_unit,
            stated_value_per_unit=stated_value(drivers, doc.currency) or value.value_per_unit,
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
    evidence = (
        _evidence_period(doc.usage_evidence, from_log, doc.components)
        if from_log is not None
        else None
    )
    return CustomerEstimates(
        pricing_model=str(doc.pricing_model) if doc.pricing_model else None,
        product_category=str(doc.product_category) if doc.product_category else None,
        average_monthly=priced.average_monthly,
        value=estimate,
        scenarios=tuple(bill_scenarios(doc, priced.average_monthly, from_log)),
        variation=variation(doc),
        evidence=evidence,
        committed=commitment(doc, priced),
        discount_shares=priced.discount_shares,
    )


def _evidence_period(
    evidence: UsageEvidence | None, bills: EvidenceBills, components: Sequence[Component]
) -> EvidencePeriod | None:
    if evidence is None:
        return None
    # What each metric the quote bills read from the log, as the bills were priced
    # (``pricing.evidence``): the quantity a month's bill is computed from.
    read = evidence_quantities(evidence, bills.feeds)
    money: dict[str, bool] = {}
    for component in components:
        metrics = sorted(component.metrics())
        if isinstance(component, TransactionFee):
            metrics = [component.count_metric, component.metric]  # "1,200 payments, $..."
        for metric in metrics:
            money.setdefault(
                metric,
                isinstance(component, PercentOfValue)
                or (isinstance(component, TransactionFee) and metric == component.metric),
            )
    return EvidencePeriod(
        evidence.months[0].month,
        evidence.months[-1].month,
        len(evidence.months),
        evidence.rows,
        evidence.users,
        tuple(m.month for m in evidence.months),
        tuple(
            EvidenceQuantity(metric, is_money, tuple(read[metric]))
            for metric, is_money in money.items()
            if metric in read
        ),
    )


def english_country_name(code: str) -> str:
    """A country's English name by its ISO code (the code when babel knows none)."""
    name = Locale("en").territories.get(code)
    return str(name) if name else code


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
        req.seller_country,
        customer_tax_changes(document.tax, req.customer_tax),
        req.customer_tax.name if req.customer_tax is not None else req.customer.name,
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
    return Formatter(view.terms.currency, meta.locale, meta.language, nowrap=True)


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
        bounds = log_bounds(bills) if bills is not None and not bills.incomplete else None
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
                log_low=bounds[0] if bounds is not None else None,
                log_high=bounds[1] if bounds is not None else None,
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
        seller_signing=req.seller_signing,
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


def address_in_language(address: str, country: str, f: Formatter) -> str:
    """A customer's address with its last part, when that part names the customer's own
    country in English as the record keeps it ("..., 10117 Berlin, Germany"), naming it in
    the document's language instead ("..., 10117 Berlin, Deutschland"). Anything else of
    the address, and an address ending otherwise, is printed as written."""
    code = country_code(country) if country else None
    stripped = address.rstrip()
    if code is None or not stripped:
        return address
    cut = max(stripped.rfind(","), stripped.rfind("\n"))
    head, last = stripped[: cut + 1], stripped[cut + 1 :]
    written = last.strip()
    if not written or written.casefold() not in {
        country.strip().casefold(),
        (country_name(code) or "").casefold(),
    }:
        return address
    local = str(f.locale.territories.get(code, written))
    if local == written:
        return address
    return head + last[: len(last) - len(last.lstrip())] + local + address[len(stripped) :]


def billing_word(frequency: str, f: Formatter) -> str:
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
        "percent": f.increase(terms.escalator_percent),
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


def party_identity(party: TermsParty, f: Formatter) -> str:
    """A party as a contract identifies it: its legal name, followed by the name it trades
    under when that differs ("Globex Corporation (trading as Globex Engineering)"); the
    name alone when no legal name is given."""
    legal, name = party.legal_name.strip(), party.name.strip()
    if legal and name and legal.casefold() != name.casefold():
        return f._("%(legal_name)s (trading as %(name)s)", legal_name=legal, name=name)
    return legal or name


def quote_reference(terms: CustomerTerms, f: Formatter) -> dict[str, str]:
    """How the documents name the quote: its number and version when it has them. A quote
    rendered from a file has no version (and may have no number): nothing stands in for
    them ("unsaved" read to a prospect as an unfinished document), the date says which
    draft it is.

    ``quote_label``: "Q-2026-0001, version 2", "Q-2026-0001" or "" (the cover's Quote row
    is left out); ``description``: "Quote Q-2026-0001, version 2", "Quote Q-2026-0001" or
    "Draft quote" (the PDF's and the HTML's description)."""
    number = terms.quote_number
    version = f._("version %(number)s", number=terms.version) if terms.version is not None else ""
    if number and version:
        label = f._("%(number)s, %(version)s", number=number, version=version)
        description = f._("Quote %(number)s, %(version)s", number=number, version=version)
    elif number:
        label = number
        description = f._("Quote %(number)s", number=number)
    else:
        label = ""
        description = f._("Draft quote")
    return {
        "quote_number": number,
        "version": version,
        "quote_label": label,
        "description": description,
    }


def _running_ref(reference: dict[str, str], draft: bool, terms: CustomerTerms, f: Formatter) -> str:
    """The page header's reference: "Q-2026-0001 · version 2 · DRAFT"; without a version,
    "Q-2026-0001 · DRAFT"; without a number either, the issue date ("1 December 2026 ·
    DRAFT")."""
    number, version = reference["quote_number"], reference["version"]
    issued = str(f.date(terms.issued))  # a running string is text (string-set)
    if not draft:
        return " · ".join(part for part in (number, version) if part) or issued
    if number and version:
        return f._("%(number)s · %(version)s · DRAFT", number=number, version=version)
    if number:
        return f._("%(number)s · DRAFT", number=number)
    return f._("%(date)s · DRAFT", date=issued)


def quote_keywords(terms: CustomerTerms, f: Formatter, kind: str = "proposal") -> list[str]:
    """The document's keywords: quote, then what the file holds (proposal, order form or
    both, by ``kind``: "proposal", "contract" or "both"), and the quote number when it has
    one."""
    held = {
        "proposal": [f._("proposal")],
        "contract": [f._("order form")],
        "both": [f._("proposal"), f._("order form")],
    }[kind]
    return [f._("quote"), *held] + ([terms.quote_number] if terms.quote_number else [])


def common_view(
    view: CustomerView, meta: ViewMeta, f: Formatter, kind: str = "proposal"
) -> dict[str, Any]:
    terms = view.terms
    customer = terms.customer.display_name
    title = terms.title or f._("Proposal for %(customer)s", customer=customer)
    reference = quote_reference(terms, f)
    return {
        "lang": meta.locale.replace("_", "-"),
        "language": meta.language,
        "running_name": short_text(customer, 48),
        "title": title,
        **reference,
        "running_ref": _running_ref(reference, meta.draft, terms, f),
        "keywords": ", ".join(quote_keywords(terms, f, kind)),
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
        # The customer is one party under one name: its legal name, with its trading name
        # where they differ, wherever the documents identify it (cover, parties).
        "customer_identity": party_identity(terms.customer, f),
        "seller_identity": party_identity(terms.seller, f),
        "prepared_by": " · ".join(p for p in (terms.seller.display_name, terms.seller.email) if p),
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
        "billing": billing_word(terms.billing_frequency, f),
        "term_sentence": _term_sentence(terms, f),
        **_committed(view, f),
        "escalator": f.increase(terms.escalator_percent) if terms.escalations else "",
        # The yearly factor the engine multiplies the year-1 price by (1.05 for 5 %).
        "escalator_factor": f.number(1 + terms.escalator_percent / 100)
        if terms.escalations
        else "",
        "change": _change(terms, f),
        "currency_name": _currency_name(terms.currency, f),
        "tax": _tax(terms, f),
        "seller_tax_id": terms.seller.tax_id or "",
        "customer_tax_id": terms.customer.tax_id or "",
        "seller_tax_label": _tax_id_labels(terms, f)[0],
        "customer_tax_label": _tax_id_labels(terms, f)[1],
        # What escalated unit prices are rounded to, for the sentences that say so (each
        # written whole per case): the cent, the whole unit (JPY), else the smallest unit.
        "rounding": {0: "whole", 2: "cent"}.get(f.digits, "smallest"),
    }


def _committed(view: CustomerView, f: Formatter) -> dict[str, str]:
    """Committed money beside the estimate, when the totals include usage-based charges
    (per outcome, per unit, overage, a value share): ``committed_tcv`` and the sentence
    saying which is which ("Committed: $12,000.00; estimated at the forecast usage:
    $80,160.00 ..."); empty strings when every total is committed. A deal of usage alone
    (nothing committed) says so, and ``usage_only`` is set."""
    committed = view.estimates.committed
    terms = view.terms
    usage = any(c.usage_based for c in terms.components)
    if usage and not (committed.total_contract_value if committed else terms.total_contract_value):
        # Usage alone: "Committed contract value $0.00" read as a price of nothing. No amount
        # is committed, and the sentence says how the usage is billed.
        sentences = [
            f._(
                "No amount is committed: each invoice charges the usage of its period at the "
                "unit prices in the order form."
            )
        ]
        if terms.total_contract_value:
            sentences.append(
                f._(
                    "At the forecast usage, that is an estimated %(estimated)s over %(term)s.",
                    estimated=f.money(terms.total_contract_value),
                    term=f.months(terms.term_months),
                )
            )
        return {
            "committed_tcv": f._("None"),
            "usage_only": "yes",
            # No forecast either: no estimate to show ($0.00 a month "at the expected usage").
            "no_estimate": "" if terms.total_contract_value else "yes",
            "commitment": joined(" ", sentences),
        }
    if committed is None:
        return {"committed_tcv": "", "commitment": "", "usage_only": "", "no_estimate": ""}
    return {
        "usage_only": "",
        "no_estimate": "",
        "committed_tcv": f.money(committed.total_contract_value),
        "commitment": f._(
            "Committed: %(committed)s over %(term)s, whatever the usage; estimated at the "
            "forecast usage: %(estimated)s. The usage-based charges follow actual usage on "
            "each invoice.",
            committed=f.money(committed.total_contract_value),
            term=f.months(terms.term_months),
            estimated=f.money(terms.total_contract_value),
        ),
    }


_DECLINES_CURRENCY_NAMES = frozenset({"de"})
"""Languages whose sentence "All prices are in %(name)s." declines an adjective in the
currency's name: German "in" takes the dative (in japanischen Yen, in britischen Pfund),
and CLDR gives each name in one case only (Japanische Yen)."""


def _currency_name(code: str, f: Formatter) -> str:
    """The currency as the cover's sentence "All prices are in %(name)s." writes it in the
    document's language, with its ISO code: CLDR's plural name, the form a sentence uses
    mid-sentence ("euros (EUR)", "US dollars (USD)", "dollars des États-Unis (USD)",
    "Euro (EUR)", "米ドル (USD)"), not its stand-alone display name ("Euro", "US Dollar").
    Where the language would decline the name and it has more than one word (German
    "Japanische Yen" after "in"), the ISO code alone ("JPY"): babel has no case forms."""
    from babel.numbers import get_currency_name

    # count=2 is CLDR's "other" plural form in every document language (en, de, fr, es, ja)
    name = get_currency_name(code, count=2, locale=f.locale)
    if not name or name == code:
        return code
    if f.locale.language in _DECLINES_CURRENCY_NAMES and " " in name:
        return code
    return f"{name} ({code})"


def tax_name(kind: TaxKind | None, f: Formatter, *, in_sentence: bool = False) -> str:
    """The tax's name in the document's language: at the start of a sentence or a heading,
    or inside a sentence (``in_sentence``: "No sales tax is charged")."""
    if kind == "vat":
        return f._("VAT")
    if kind == "gst":
        return f._("GST")
    if kind == "hst":
        return f._("HST")
    if kind == "consumption_tax":
        return f._("consumption tax") if in_sentence else f._("Consumption tax")
    if kind == "sales_tax":
        return f._("sales tax") if in_sentence else f._("Sales tax")
    return f._("tax") if in_sentence else f._("Tax")


def _tax_id_labels(terms: CustomerTerms, f: Formatter) -> tuple[str, str]:
    """The labels of the two tax IDs, each a whole label to translate."""
    kind = terms.tax.kind if terms.tax is not None else None
    if kind == "vat":
        return f._("Provider's VAT ID"), f._("Customer's VAT ID")
    if kind in ("gst", "hst"):
        return f._("Provider's GST/HST registration"), f._("Customer's GST/HST registration")
    return f._("Provider's tax ID"), f._("Customer's tax ID")


def _jurisdiction(country: str, region: str, f: Formatter) -> str:
    """Where the tax is due, the country in the document's language ("Deutschland")."""
    name = str(f.locale.territories.get(country, country))
    return f._("%(country)s, %(region)s", country=name, region=region) if region else name


def _tax(terms: CustomerTerms, f: Formatter) -> dict[str, Any] | None:
    """The tax beside the price: what is charged and why, in whole sentences, and the
    amounts by contract year (each year the sum of its invoices' taxes)."""
    tax = terms.tax
    if tax is None:
        return None
    name = tax_name(tax.kind, f)
    rate = f.percent(tax.rate_percent, _places(tax.rate_percent))
    in_sentence = tax_name(tax.kind, f, in_sentence=True)
    place = _jurisdiction(tax.customer_country, tax.customer_region, f)
    charged = bool(tax.rate_percent)
    note = ""
    if tax.rule == "reverse_charge":
        sentence = f._("No VAT is charged on these invoices.")
        note = f._(
            "VAT reverse charge: the customer accounts for VAT under Article 196 of Council "
            "Directive 2006/112/EC."
        )
    elif tax.rule == "customer_accounts":
        sentence = f._(
            "No %(tax)s is charged on these invoices: the customer accounts for any %(tax)s "
            "due in %(place)s.",
            tax=in_sentence,
            place=place,
        )
    elif tax.rate_source == "rep" and not tax.confirmed:
        sentence = f._(
            "%(tax)s for %(place)s is still to be confirmed; the amounts below use %(rate)s.",
            tax=name,
            place=place,
            rate=rate,
        )
    elif charged:
        sentence = _charged_sentence(f, tax=name, rate=rate, place=place)
    else:
        sentence = f._(
            "No %(tax)s is charged on this sale (%(place)s).", tax=in_sentence, place=place
        )
    return {
        "name": name,
        "name_in_sentence": in_sentence,
        "rate": rate,
        "charged": charged,
        "sentence": sentence,
        "note": note,
        "label_subtotal": f._("Before tax"),
        # No rate in the heading when none is charged (a reverse charge is not a 0 % rate).
        "label_tax": f._("%(tax)s at %(rate)s", tax=name, rate=rate) if charged else name,
        "label_total": f._("Total including tax"),
        "years": [
            {
                "year": str(y.year),
                "subtotal": f.amount(y.subtotal),
                "tax": f.amount(y.tax),
                "total": f.amount(y.total),
            }
            for y in tax.years
        ],
        "subtotal": f.money(tax.subtotal),
        "amount": f.money(tax.tax),
        "total": f.money(tax.total),
        "invoices": {
            i.period: {"tax": f.amount(i.tax), "total": f.amount(i.total)} for i in tax.invoices
        },
    }


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _charged_sentence(f: Formatter, **params: object) -> str:
    """The tax sentence, whole, for the currency's minor unit (JPY rounds to the yen)."""
    if f.digits == 0:
        return f._(
            "Prices are before tax. %(tax)s of %(rate)s (%(place)s) is added to every invoice "
            "and rounded to the whole unit of the currency on each invoice.",
            **params,
        )
    if f.digits == 2:
        return f._(
            "Prices are before tax. %(tax)s of %(rate)s (%(place)s) is added to every invoice "
            "and rounded to the cent on each invoice.",
            **params,
        )
    return f._(
        "Prices are before tax. %(tax)s of %(rate)s (%(place)s) is added to every invoice "
        "and rounded to the smallest unit of the currency on each invoice.",
        **params,
    )


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
            sentence = joined(
                " ",
                [
                    sentence,
                    f._(
                        "The days from %(from)s to %(to)s are charged prorated by days (%(days)s of "
                        "%(period)s), invoiced with the first invoice.",
                        **{
                            "from": f.date(change.prorated_from),
                            "to": f.date(change.prorated_to),
                            "days": f.number(change.prorated_days),
                            "period": f.number(change.period_days),
                        },
                    ),
                ],
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


def short_text(text: str, limit: int) -> str:
    """For page headers: long names are cut (the full name is on the cover)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plural_count(value: Decimal) -> int:
    """The count a plural form is chosen by: a whole number as it is, any other (1.5
    minutes) as a plural."""
    return int(value) if value == value.to_integral_value() else 2


def discounted_by(discount: Discount, component: Component) -> bool:
    """Whether ``discount`` takes from ``component``'s charges, as the engine applies it
    (``pricing.engine``, step 3): a component's own discount, or a discount on the whole
    deal, which takes from every charge but one-time fees and the true-ups of a minimum
    commitment."""
    if discount.component is not None:
        return discount.component == component.id
    return component.recurring and not isinstance(component, MinimumCommitment)


WHOLE_DEAL_SCOPES = {
    # (one-time fees, minimum-commitment true-ups, usage-based fees) -> the words.
    # Translators: what a discount on the whole deal takes from, always the object of
    # "off" in "15.00% off ALL FEES, for the whole term" (each phrase of this table).
    (False, False, False): N_("all fees"),
    (True, False, False): N_("all fees except one-time fees"),
    (False, True, False): N_("all fees except true-ups of a minimum commitment"),
    (True, True, False): N_("all fees except one-time fees and true-ups of a minimum commitment"),
    (False, False, True): N_("all fees (usage-based fees included)"),
    (True, False, True): N_("all fees except one-time fees (usage-based fees included)"),
    (False, True, True): N_(
        "all fees except true-ups of a minimum commitment (usage-based fees included)"
    ),
    (True, True, True): N_(
        "all fees except one-time fees and true-ups of a minimum commitment (usage-based fees "
        "included)"
    ),
}
"""What a discount on the whole deal takes from, by what the quote has: every fee the
engine discounts (``discounted_by``), naming what it leaves out and, where the quote has
them, that usage-based fees (usage, overage, credits, outcomes, value shares) are in."""


def whole_deal_scope(terms: CustomerTerms, f: Formatter) -> str:
    """What a discount on the whole deal takes from, in words true of this quote."""
    components = terms.components
    key = (
        any(not c.recurring for c in components),
        any(isinstance(c, MinimumCommitment) for c in components),
        any(c.usage_based and not isinstance(c, MinimumCommitment) for c in components),
    )
    return f._(WHOLE_DEAL_SCOPES[key])


def discount_lines(terms: CustomerTerms, f: Formatter) -> list[str]:
    """Each discount in one sentence: what it takes (a percent, or an amount a month), from
    what (the quote's whole deal as the engine discounts it, or one component), and in
    which months of the term."""
    lines = []
    scope = whole_deal_scope(terms, f) if any(d.component is None for d in terms.discounts) else ""
    for discount in terms.discounts:
        # A discount on a one-time fee takes from it once, when it is invoiced (an amount
        # is not "a month", and "for the whole term" says nothing).
        once = discount.component is not None and not terms.component(discount.component).recurring
        params = {
            "description": discount_name(discount.description, f),
            "amount": f.discount(discount.percent)
            if discount.percent is not None
            else f.money(discount.amount or Decimal(0))
            if once
            else f._("%(amount)s a month", amount=f.money(discount.amount or Decimal(0))),
            "scope": terms.component(discount.component).name if discount.component else scope,
        }
        if once and discount.active(1):
            text = f._("%(description)s: %(amount)s off %(scope)s.", **params)
        elif discount.months is None:
            text = f._("%(description)s: %(amount)s off %(scope)s, for the whole term.", **params)
        elif discount.months == 1:
            text = f._(
                "%(description)s: %(amount)s off %(scope)s, in month %(first)s of the term.",
                first=discount.start_month,
                **params,
            )
        elif discount.start_month == 1:
            text = f._n(
                "%(description)s: %(amount)s off %(scope)s, in the first %(count)s month of the "
                "term.",
                "%(description)s: %(amount)s off %(scope)s, in the first %(count)s months of "
                "the term.",
                discount.months,
                count=f.number(discount.months),
                **params,
            )
        else:
            text = f._(
                "%(description)s: %(amount)s off %(scope)s, in months %(first)s to %(last)s of "
                "the term.",
                first=discount.start_month,
                last=discount.start_month + discount.months - 1,
                **params,
            )
        lines.append(text)
    return lines
