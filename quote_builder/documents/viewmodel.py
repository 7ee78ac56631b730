"""View-models: the customer's view of a quote turned into already-formatted strings.

Everything a template shows comes from :class:`CustomerView`: the customer's terms
(``pricing.terms.CustomerTerms``, the part that is signed and hashed) and the customer's
estimates (value, bills at other usage), neither of which can hold a cost, a margin, a
floor, a note or the advisor's reasoning. The view functions never see the quote document
itself. Templates get text only (numbers formatted here), so a template can never compute
an amount differently from the engine, and user text reaches the HTML only through Jinja's
autoescaping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from quote_builder.i18n import _
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
from quote_builder.pricing.legal import LegalFrame
from quote_builder.pricing.options import effective_document, featured_option, offered_documents
from quote_builder.pricing.playbook import CATEGORY_PROFILES
from quote_builder.pricing.tax import tax_name
from quote_builder.pricing.terms import (
    TERMS_FILE_NAME,
    CustomerTerms,
    TermsParty,
    customer_terms,
    terms_hash,
    terms_json,
    terms_problems,
)

from .charts import SPEND, VALUE, bar_chart, compact, informative
from .explain import explain, unit_name
from .formatting import DEFAULT_LOCALE, Formatter
from .parties import EmbeddedFile as EmbeddedFile  # moved there: the window needs them
from .parties import Party as Party
from .price_sheet import sheet_from_terms, sheet_table
from .scenarios import BillScenario, bill_scenarios, log_range, variation

FINAL_STATUSES = ("approved", "sent", "accepted")
ATTRIBUTION_METHODS = {
    "baseline_comparison": "Baseline comparison: value above the agreed baseline period",
    "holdout_group": "Holdout group: results compared with a group that does not use the service",
    "rule_based": "Rule-based: value counted by the agreed attribution rules",
    "custom": "Custom method, as described below",
}

# How each pricing model works, written to the customer. (The playbook's own wording is the
# seller's: margins, expansion, "captures heavy users"; it never reaches a prospect.)
MODEL_TEXT: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "outcome_based": (
        "You pay per outcome",
        "You pay for results: each successful outcome, as the order form defines it. "
        "Work that does not meet the success criteria is not billed.",
        (
            "Your bill follows the results you receive, not the number of people using the service.",
            "The price per outcome is fixed in the order form; it does not move with the cost "
            "of the AI models behind the service.",
        ),
    ),
    "platform_usage": (
        "Platform fee plus usage",
        "A fixed fee covers access and the usage included in it; usage above the included "
        "amount is billed at the overage price.",
        (
            "The fixed fee gives you a predictable base for your budget.",
            "You pay for more usage only when you use more, at a price fixed in the order form.",
        ),
    ),
    "seats_credits": (
        "Seats with AI credits",
        "You pay per seat, and each seat brings a monthly allocation of AI credits that "
        "AI actions draw on. Extra credits are bought only as the order form allows.",
        (
            "Seats keep the subscription simple to budget.",
            "Credits let heavier users use more AI without a change of plan.",
        ),
    ),
    "seats_ai_tiers": (
        "Per-seat subscription",
        "You pay per seat; the AI features come with the tier you choose, with no usage charges.",
        (
            "One price per seat: no usage to track and no variable bill.",
            "The AI features are part of the tier, not an add-on.",
        ),
    ),
    "outcome_contingent": (
        "Share of attributed value",
        "You pay a share of the value the service is shown to create, measured by the "
        "attribution method agreed in the order form.",
        (
            "You pay when the service creates value, and in proportion to it.",
            "How value is attributed, and how a disagreement is settled, is agreed before "
            "you sign.",
        ),
    ),
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
    approval_note: str = ""
    """Who approved it under which policy, or that it needed no approval (final only)."""
    attachments: tuple[EmbeddedFile, ...] = ()
    """Files embedded in the PDF whatever its variant (the approval statement, the policy)."""
    final: bool = False
    """Render without the DRAFT watermark: only for an approved quote without blocking warnings."""
    issued: dt.date = field(default_factory=dt.date.today)
    valid_until: dt.date | None = None
    locale: str = DEFAULT_LOCALE
    logo_path: Path | None = None
    legal: LegalFrame | None = None
    """The seller's legal frame (settings); None: the defaults. The quote's overrides apply."""


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


@dataclass(frozen=True)
class ViewMeta:
    """What a document shows that is neither terms nor estimates."""

    draft: bool
    status: str
    approval_id: str
    locale: str
    has_logo: bool
    approval_note: str = ""
    """Who approved under which policy, or that no approval was needed (final only)."""
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
    terms = customer_terms(
        document,
        priced,
        seller=req.seller.terms_party(),
        customer=req.customer.terms_party(),
        quote_number=req.quote_number,
        version=req.version,
        issued=req.issued,
        valid_until=req.valid_until,
        legal=req.legal,
    )
    return CustomerView(
        terms,
        _estimates(document, priced),
        terms_json(terms),
        terms_hash(terms),
        _offers(req, terms),
    )


def _offers(req: RenderRequest, featured_terms: CustomerTerms) -> tuple[OptionOffer, ...]:
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
                legal=req.legal,
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
        approval_note=req.approval_note,
        recipient=_recipient(req.document),
    )


def _recipient(doc: QuoteDocument) -> str:
    contact = doc.customer.contact
    if contact is None:
        return ""
    text = contact.name + (f", {contact.title}" if contact.title else "")
    return text + (f" · {contact.email}" if contact.email else "")


# --- common -----------------------------------------------------------------------------------


def _common(view: CustomerView, meta: ViewMeta, f: Formatter) -> dict[str, Any]:
    terms = view.terms
    version = f"version {terms.version}" if terms.version is not None else "unsaved"
    title = terms.title or f"Proposal for {terms.customer.name}"
    return {
        "lang": meta.locale.replace("_", "-"),
        "running_name": _short(terms.customer.name, 48),
        "title": title,
        "quote_number": terms.quote_number or "Draft quote",
        "version": version,
        "terms_hash": view.terms_hash,
        "status": meta.status,
        "draft": meta.draft,
        "approval_id": meta.approval_id,
        "approval_note": meta.approval_note if not meta.draft else "",
        "recipient": meta.recipient,
        "issued": f.date(terms.issued),
        "valid_until": f.date(terms.valid_until) if terms.valid_until else "",
        "seller": terms.seller,
        "customer": terms.customer,
        "has_logo": meta.has_logo,
        "currency": terms.currency,
        "tcv": f.money(terms.total_contract_value),
        # Two figures, two names: recurring fees (ACV) and everything billed in year 1.
        "first_year_acv": f.money(terms.first_year_fees),
        "first_year_spend": f.money(terms.years[0].amount),
        "first_year_one_time": f.money(terms.years[0].one_time) if terms.years[0].one_time else "",
        "average_monthly": f.money(view.estimates.average_monthly),
        "term": _months(terms.term_months),
        "start": f.date(terms.start_date),
        "end": f.date(terms.end_date),
        "billing": {"monthly": "monthly", "quarterly": "quarterly", "annual": "annually"}[
            terms.billing_frequency
        ],
        "escalator": f.percent(terms.escalator_percent, 1) if terms.escalations else "",
        "change": _change(terms, f),
        "currency_name": _currency_name(terms.currency, meta.locale),
        "tax": _tax(terms, f),
        "seller_tax_id": terms.seller.tax_id or "",
        "customer_tax_id": terms.customer.tax_id or "",
        "seller_tax_label": _tax_id_labels(terms)[0],
        "customer_tax_label": _tax_id_labels(terms)[1],
        "rounding_unit": _rounding_unit(f),
    }


def _currency_name(code: str, locale: str) -> str:
    """The currency in words for the proposal ("euro (EUR)")."""
    from babel.numbers import get_currency_name

    name = get_currency_name(code, locale=locale)
    return f"{name} ({code})" if name and name != code else code


def _tax_id_labels(terms: CustomerTerms) -> tuple[str, str]:
    """The order form's labels of the two tax IDs, each a whole label to translate."""
    kind = terms.tax.kind if terms.tax is not None else None
    if kind == "vat":
        return _("Provider's VAT ID"), _("Customer's VAT ID")
    if kind in ("gst", "hst"):
        return _("Provider's GST/HST registration"), _("Customer's GST/HST registration")
    return _("Provider's tax ID"), _("Customer's tax ID")


def _jurisdiction(country: str, region: str, locale: str) -> str:
    from babel import Locale

    name = str(Locale.parse(locale).territories.get(country, country))
    return f"{name}, {region}" if region else name


def _tax(terms: CustomerTerms, f: Formatter) -> dict[str, Any] | None:
    """The tax beside the price: what is charged and why, in whole sentences, and the
    amounts by contract year (each year the sum of its invoices' taxes)."""
    tax = terms.tax
    if tax is None:
        return None
    name = tax_name(tax.kind)
    rate = f.percent(tax.rate_percent, _places(tax.rate_percent))
    in_sentence = tax_name(tax.kind, in_sentence=True)
    place = _jurisdiction(tax.customer_country, tax.customer_region, str(f.locale))
    values = {"tax": name, "rate": rate, "place": place}
    charged = bool(tax.rate_percent)
    note = ""
    if tax.rule == "reverse_charge":
        sentence = _("No VAT is charged on these invoices.")
        note = _(
            "VAT reverse charge: the customer accounts for VAT under Article 196 of Council Directive 2006/112/EC."
        )
    elif tax.rule == "customer_accounts":
        sentence = _(
            "No %(tax)s is charged on these invoices: the customer accounts for any %(tax)s due in %(place)s."
        ) % {**values, "tax": in_sentence}
    elif tax.rate_source == "rep" and not tax.confirmed:
        sentence = (
            _("%(tax)s for %(place)s is still to be confirmed; the amounts below use %(rate)s.")
            % values
        )
    elif charged:
        sentence = _charged_sentence(f.digits) % values
    else:
        sentence = _("No %(tax)s is charged on this sale (%(place)s).") % {
            **values,
            "tax": in_sentence,
        }
    return {
        "name": name,
        "name_in_sentence": in_sentence,
        "rate": rate,
        "charged": charged,
        "sentence": sentence,
        "note": note,
        "label_subtotal": _("Before tax"),
        "label_tax": _("%(tax)s at %(rate)s") % values,
        "label_total": _("Total including tax"),
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


def _charged_sentence(digits: int) -> str:
    """The tax sentence, whole, for the currency's minor unit (JPY rounds to the yen)."""
    if digits == 0:
        return _(
            "Prices are before tax. %(tax)s of %(rate)s (%(place)s) is added to every invoice and rounded to the whole unit of the currency on each invoice."
        )
    if digits == 3:
        return _(
            "Prices are before tax. %(tax)s of %(rate)s (%(place)s) is added to every invoice and rounded to the thousandth of the currency unit on each invoice."
        )
    if digits == 4:
        return _(
            "Prices are before tax. %(tax)s of %(rate)s (%(place)s) is added to every invoice and rounded to the ten-thousandth of the currency unit on each invoice."
        )
    return _(
        "Prices are before tax. %(tax)s of %(rate)s (%(place)s) is added to every invoice and rounded to the cent on each invoice."
    )


def _rounding_unit(f: Formatter) -> str:
    """What escalated unit prices are rounded to: the currency's minor unit (JPY has none),
    as a whole noun phrase."""
    if f.digits == 0:
        return _("the whole unit of the currency")
    if f.digits == 3:
        return _("the thousandth of the currency unit")
    if f.digits == 4:
        return _("the ten-thousandth of the currency unit")
    return _("the cent")


_CHANGE_WORDS = {
    "renewal": "renews",
    "expansion": "expands",
    "amendment": "amends",
}


def _change(terms: CustomerTerms, f: Formatter) -> dict[str, Any] | None:
    """The earlier order this one renews, expands or amends, in words, and the change per
    year (renewal, expansion) in the customer's numbers."""
    change = terms.change
    if change is None:
        return None
    original = (
        f"order {change.original_order} (version {change.original_version}, "
        f"{f.date(change.original_start)} to {f.date(change.original_end)})"
    )
    if change.kind == "renewal":
        sentence = (
            f"This order form renews {original} for a new term from {f.date(terms.start_date)}."
        )
    elif change.kind == "expansion":
        sentence = (
            f"This order form adds to {original} from {f.date(change.effective)} and ends with "
            f"it on {f.date(terms.end_date)}; that order's terms apply to what is added."
        )
        if change.prorated_from and change.prorated_to:
            sentence += (
                f" The days from {f.date(change.prorated_from)} to {f.date(change.prorated_to)} "
                f"are charged prorated by days ({change.prorated_days} of {change.period_days}), "
                "invoiced with the first invoice."
            )
    else:
        sentence = (
            f"This order form amends {original}: from {f.date(change.effective)} its terms "
            f"replace that order's until it ends on {f.date(terms.end_date)}; before that date "
            "that order stands as signed."
        )
    # The proposal's last next step: the customer is onboarded already.
    takes_effect = terms.start_date if change.kind == "renewal" else change.effective
    return {
        "kind": change.kind,
        "next_step": (
            f"Sign the order form; the {change.kind} takes effect on {f.date(takes_effect)}."
        ),
        "verb": _CHANGE_WORDS[change.kind],
        "original": change.original_order,
        "sentence": sentence,
        "rows": [
            {
                "label": r.label,
                "period": f"{f.short_date(r.start)} – {f.short_date(r.end)}",
                "before": f.amount(r.before),
                "after": f.amount(r.after),
                "difference": ("+" if r.difference > 0 else "") + f.amount(r.difference),
            }
            for r in change.rows
        ],
    }


def _months(count: int) -> str:
    return "1 month" if count == 1 else f"{count} months"


def _short(text: str, limit: int) -> str:
    """For page headers: long names are cut (the full name is on the cover)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- proposal ---------------------------------------------------------------------------------


def _years(view: CustomerView, f: Formatter) -> list[dict[str, str]]:
    value = view.estimates.value
    increases = {e.year: e.above_year_one_percent for e in view.terms.escalations}
    rows = []
    for i, year in enumerate(view.terms.years):
        rows.append(
            {
                "year": str(year.year),
                "period": f"{f.short_date(year.start)} – {f.short_date(year.end)}",
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
    """Each component, how it is priced and what it costs in year 1: its line total, the
    discounts included (as the price table prints it), never a list amount above a
    discount the buyer would have to subtract."""
    year_one = view.terms.years[0]
    totals = {
        row.component_id: row.line_total
        for row in sheet_from_terms(view.terms).rows_of(year_one.year)
        if row.kind == "component" and row.component_id is not None
    }
    rows = []
    for component in view.terms.components:
        rows.append(
            {
                "name": component.name,
                "kind": component.label,
                "description": component.description,
                "terms": explain(component, f),
                "year_one": f.money(totals.get(component.id) or Decimal(0)),
            }
        )
    return rows


def _recommendation(estimates: CustomerEstimates) -> dict[str, Any] | None:
    if estimates.pricing_model is None or estimates.pricing_model not in MODEL_TEXT:
        return None
    title, structure, reasons = MODEL_TEXT[estimates.pricing_model]
    return {"title": title, "structure": structure, "reasons": list(reasons)}


def _charts(view: CustomerView, f: Formatter) -> dict[str, Any]:
    terms, estimates = view.terms, view.estimates
    symbol = f.money(Decimal(0)).replace("0", "").replace(".", "").replace(",", "").strip()

    def axis(value: Decimal) -> str:
        return compact(value, symbol if len(symbol) <= 2 else "")

    charts: dict[str, Any] = {}
    value = estimates.value
    groups = []
    for i, year in enumerate(terms.years):
        values = [year.amount]
        if value is not None and i < len(value.value_by_year):
            values.append(value.value_by_year[i])
        label = f"Year {year.year}"
        if year.months != 12:
            label += f"\n{_months(year.months)} only"
        groups.append((label, values))
    series = [("Your spend", SPEND)] + ([("Estimated value", VALUE)] if value is not None else [])
    # A chart of spend alone repeats the schedule's table: drawn only beside value.
    charts["spend_value"] = (
        bar_chart(
            groups,
            series,
            axis,
            lambda v: compact(v, symbol if len(symbol) <= 2 else ""),
            f"Spend against estimated value by contract year ({terms.currency})",
            terms.currency,
        )
        if value is not None
        else ""
    )
    scenarios = estimates.scenarios
    from_log = estimates.evidence is not None

    def basis(s: BillScenario) -> str:
        if s.percentile is None:
            return f"{f.percent((s.usage_factor or Decimal(1)) * 100, 0)} usage"
        return "median month" if s.percentile == 50 else f"{s.percentile}th percentile month"

    # Three equal bars (a bill that does not move with usage) carry no information.
    charts["bill_range"] = (
        bar_chart(
            [(f"{s.label} ({basis(s)})", [s.monthly]) for s in scenarios],
            [("Average monthly bill, year 1", SPEND)],
            axis,
            lambda v: f.money(v),
            "Monthly bill at the usage of a quiet, typical and busy month of your usage log"
            if from_log
            else "Monthly bill at low, expected and high usage",
            terms.currency,
        )
        if informative([s.monthly for s in scenarios])
        else ""
    )
    charts["scenarios"] = [
        {"label": s.label, "usage": basis(s), "monthly": f.money(s.monthly)} for s in scenarios
    ]
    charts["bill_moves"] = informative([s.monthly for s in scenarios])
    return charts


def _summary(view: CustomerView, f: Formatter) -> dict[str, str] | None:
    value = view.estimates.value
    if value is None:
        return None
    per_task = ""
    if value.minutes_saved is not None and value.hourly_rate is not None:
        per_task = (
            f"{f.number(value.minutes_saved)} minutes saved at a loaded rate of "
            f"{f.money(value.hourly_rate)} an hour"
        )
    basis = [
        f"{f.number(value.units_year_one, 0)} {unit_name(value.metric)} in year 1 at the "
        "expected usage"
    ]
    if per_task:
        basis.append(f"{per_task} (the figures you gave us)")
    else:
        basis.append(f"a value of {f.price(value.value_per_unit)} per task (your figure)")
    return {
        "basis": " and ".join(basis),
        "metric": unit_name(value.metric),
        "units_text": f"{f.number(value.units_year_one, 0)} {unit_name(value.metric)}",
        "per_task_basis": per_task,
        "value_per_unit": f.price(value.value_per_unit),
        "units": f.number(value.units_year_one, 0),
        "annual_value": f.money(value.annual_value),
        "annual_spend": f.money(value.annual_spend),
        "savings": f.percent(value.savings_percent),
        "roi": f.percent(value.roi_percent, 0),
        "payback": f"{f.number(value.payback_months, 1)} months"
        if value.payback_months is not None
        else "n/a",
    }


def _usage_lines(view: CustomerView, f: Formatter) -> list[str]:
    terms = view.terms
    lines = []
    for metric, forecast in terms.estimated_usage.items():
        if forecast.monthly is not None:
            text = f"{f.number(forecast.monthly)} {unit_name(metric)} a month"
            if forecast.growth_percent_per_month:
                text += f", growing {f.percent(forecast.growth_percent_per_month)} a month"
        else:
            assert forecast.per_year is not None
            text = f"{unit_name(metric)} a month by contract year: " + ", ".join(
                f.number(v) for v in forecast.per_year
            )
        lines.append(text[0].upper() + text[1:] + ".")
    for ramp in terms.ramps:
        changes = [
            f"{f.number(count)} seats of {terms.component(seat_id).name}"
            for seat_id, count in ramp.seats.items()
        ] + [f"{f.number(q)} {unit_name(m)} a month" for m, q in ramp.usage.items()]
        if changes:
            lines.append(f"From contract year {ramp.year}: {', '.join(changes)}.")
    return lines


def _assumptions(view: CustomerView, f: Formatter) -> list[str]:
    terms, estimates = view.terms, view.estimates
    lines = _usage_lines(view, f)
    if estimates.evidence is not None:
        lines.append(
            "Low, expected and high bills: the average monthly bill in contract year 1 if "
            "every month used as much as the 10th percentile, median and 90th percentile "
            f"month of {_evidence_text(estimates.evidence, f)}, at this proposal's prices; the "
            "invoice follows actual usage."
        )
    elif terms.estimated_usage:
        lines.append(
            f"Low and high bills scale all usage for {estimates.variation} usage variation; "
            "the invoice follows actual usage."
        )
    value = estimates.value
    if value is not None:
        worth = (
            f"{f.number(value.minutes_saved)} minutes saved at {f.money(value.hourly_rate)} an hour"
            if value.minutes_saved is not None and value.hourly_rate is not None
            else f"{f.price(value.value_per_unit)} each"
        )
        lines.append(
            f"Estimated value: {unit_name(value.metric)} delivered by the service, each worth "
            f"{f.price(value.value_per_unit)} ({worth}); an estimate, not a commitment."
        )
    if terms.escalations:
        lines.append(
            f"Prices rise {f.percent(terms.escalator_percent)} at the start of each contract year from year 2."
        )
    lines.append("Amounts exclude taxes.")
    return lines


def _evidence_text(evidence: EvidencePeriod, f: Formatter) -> str:
    """``3 months of your usage (June 2026 to August 2026: 645 events from 25 users)``."""

    def month(label: str) -> str:
        return f.month(dt.date(int(label[:4]), int(label[5:]), 1))

    first, last = evidence.first_month, evidence.last_month
    span = month(first) if first == last else f"{month(first)} to {month(last)}"
    count = evidence.months
    return (
        f"{count} month{'s' if count != 1 else ''} of your usage ({span}: "
        f"{f.number(evidence.rows, 0)} events from {f.number(evidence.users, 0)} users)"
    )


def _discounts(terms: CustomerTerms, f: Formatter) -> list[str]:
    lines = []
    for discount in terms.discounts:
        amount = (
            f.percent(discount.percent, 2)
            if discount.percent is not None
            else f"{f.money(discount.amount or Decimal(0))} a month"
        )
        scope = (
            "of the recurring fees"
            if discount.component is None
            else f"of {terms.component(discount.component).name}"
        )
        period = (
            "for the whole term"
            if discount.months is None
            else (
                f"for {'1 month' if discount.months == 1 else f'{discount.months} months'}"
                + (f" from month {discount.start_month}" if discount.start_month != 1 else "")
            )
        )
        lines.append(f"{discount.description}: {amount} {scope} {period}.")
    return lines


def proposal_view(view: CustomerView, meta: ViewMeta) -> dict[str, Any]:
    terms = view.terms
    f = Formatter(terms.currency, meta.locale)
    evidence = view.estimates.evidence
    return {
        **_common(view, meta, f),
        "summary": _summary(view, f),
        "recommendation": _recommendation(view.estimates),
        "category": CATEGORY_PROFILES[view.estimates.product_category].title  # type: ignore[index]
        if view.estimates.product_category
        else "",
        "pricing": _pricing_table(view, f),
        "price_table": sheet_table(sheet_from_terms(terms), f),
        "years": _years(view, f),
        "charts": _charts(view, f),
        "usage_evidence": _evidence_text(evidence, f) if evidence is not None else "",
        "assumptions": _assumptions(view, f),
        "discounts": _discounts(terms, f),
        "has_value": view.estimates.value is not None,
        "has_outcomes": any(isinstance(c, PerOutcome | PercentOfValue) for c in terms.components),
        "has_usage_charges": any(c.usage_based for c in terms.components),
        "with_contract": False,
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
        ("Average month, year 1", [f.money(o.average_monthly) for o in offers]),
        ("First-year recurring fees", [f.money(o.terms.first_year_fees) for o in offers]),
        ("Year 1 in all", [f.money(o.terms.years[0].amount) for o in offers]),
        ("Total contract value", [f.money(o.terms.total_contract_value) for o in offers]),
        ("Term", [_months(o.terms.term_months) for o in offers]),
        (
            "Invoiced",
            [
                {"monthly": "monthly", "quarterly": "quarterly", "annual": "annually"}[
                    o.terms.billing_frequency
                ]
                for o in offers
            ],
        ),
        (
            "Annual increase",
            [
                f.percent(o.terms.escalator_percent, 1) if o.terms.escalations else "none"
                for o in offers
            ],
        ),
        ("What is included", [", ".join(c.name for c in o.terms.components) for o in offers]),
    ]
    if any(o.log_low is not None for o in offers):
        rows.append(
            (
                "Monthly bill over your usage log",
                [
                    f"{f.money(o.log_low)} – {f.money(o.log_high)}"
                    if o.log_low is not None and o.log_high is not None
                    else "n/a"
                    for o in offers
                ],
            )
        )
    recommended = next((o for o in offers if o.recommended), None)
    featured = next(o for o in offers if o.featured)
    chosen = next((o for o in offers if o.chosen), None)
    return {
        "options": columns,
        "option_rows": [{"label": label, "cells": cells} for label, cells in rows],
        "recommended": (
            f"We recommend {recommended.name}"
            + (f": {recommended.description}" if recommended.description else ".")
        )
        if recommended is not None
        else "",
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
    if terms.tax is not None:
        clauses.append("tax")
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
    taxes = {t.period: t for t in terms.tax.invoices} if terms.tax is not None else {}
    rows = []
    for i in terms.invoices:
        taxed = taxes.get(i.period)
        rows.append(
            {
                "period": f"{f.short_date(i.start)} – {f.short_date(i.end)}",
                "in_advance": f.amount(i.in_advance) if i.in_advance else "",
                "in_arrears": f.amount(i.in_arrears) if i.in_arrears else "",
                "discounts": f.amount(i.discounts) if i.discounts else "",
                "total": f.amount(i.total),
                "tax": f.amount(taxed.tax) if taxed is not None else "",
                "with_tax": f.amount(taxed.total) if taxed is not None else "",
            }
        )
    return rows


def _invoice_columns(terms: CustomerTerms) -> dict[str, Any]:
    """Which optional columns the invoice schedule needs (no column of blanks)."""
    arrears = any(i.in_arrears for i in terms.invoices)
    discounts = any(i.discounts for i in terms.invoices)
    tax = terms.tax is not None and bool(terms.tax.rate_percent)
    return {
        "arrears": arrears,
        "discounts": discounts,
        "tax": tax,
        "span": 2 + arrears + discounts,
    }


def _commitments(terms: CustomerTerms, f: Formatter) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "counts": [f.number(year.seats.get(c.id, c.seats)) for year in terms.years],
        }
        for c in terms.components
        if isinstance(c, Seats)
    ]


def _minimum_timing(terms: CustomerTerms, commitment: MinimumCommitment) -> str:
    """When a shortfall is measured and invoiced, as the engine bills it."""
    billing = {"monthly": "monthly", "quarterly": "quarterly", "annual": "annual"}[
        terms.billing_frequency
    ]
    if commitment.period == "month":
        window = "each month of the term"
        invoiced = (
            "with the usage of that month, after the month ends"
            if terms.billing_frequency == "monthly"
            else f"with the usage of the {billing} billing period that contains the month, "
            "after the period ends"
        )
    else:
        window = "each contract year (a shorter last year prorated by months)"
        invoiced = "with the usage of the contract year's last billing period, after it ends"
    return (
        f"The commitment is measured over {window}; a shortfall is invoiced in arrears {invoiced}."
    )


def _renewal(terms: CustomerTerms, f: Formatter) -> str:
    if not terms.auto_renew:
        return ""
    increase = terms.legal.renewal_increase_percent
    if increase is None:
        increase = terms.escalator_percent
    if increase:
        return (
            f"On each renewal, the unit prices of the last contract year increase by "
            f"{f.percent(increase, 2)}; nothing else changes unless the parties agree in writing."
        )
    return "On each renewal, the unit prices of the last contract year continue unchanged."


def _notices(party: TermsParty, given: str, fallback_address: str) -> str:
    if given.strip():
        return given
    parts = [p for p in (fallback_address, party.email) if p]
    return ", ".join(parts)


def contract_view(view: CustomerView, meta: ViewMeta) -> dict[str, Any]:
    terms = view.terms
    legal = terms.legal
    f = Formatter(terms.currency, meta.locale)
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
        }
        for c in terms.components
        if isinstance(c, PerOutcome)
    ]
    attribution = [
        {
            "name": c.name,
            "terms": explain(c, f),
            "method": ATTRIBUTION_METHODS.get(c.attribution.method or "", "Not agreed"),
            "description": c.attribution.description,
            "baseline": f.money(c.baseline) if c.baseline is not None else "Not agreed",
            "lookback": f"{c.attribution.lookback_days} days"
            if c.attribution.lookback_days
            else "",
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
        {"name": c.name, "terms": explain(c, f), "timing": _minimum_timing(terms, c)}
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
        f"You authorise extra credits (packs or overage) up to {f.money(cap)} a month; we "
        "buy none beyond that without your written consent (email is enough), and we tell "
        "you when 80% of your monthly credits are used."
        if cap
        else "We buy no extra credits (packs or overage) without your written consent "
        "(email is enough); we tell you when 80% of your monthly credits are used, and "
        "until you consent, AI actions beyond your credits wait."
    )
    seller_address = terms.seller.address
    customer_address = terms.customer.billing_address or terms.customer.address
    return {
        **_common(view, meta, f),
        "clauses": contract_clauses(terms),
        "fees": fees,
        "usage": usage,
        "minimums": minimums,
        "minimum_total": ", ".join(f"{m['terms']}" for m in minimums),
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
        "renewal": {
            "auto": terms.auto_renew,
            "months": str(terms.renewal_term_months),
            "notice": str(terms.notice_days),
            "price": _renewal(terms, f),
        },
        "payment_days": str(terms.payment_terms_days),
        "price_protection": terms.price_protection,
        "terms_file": TERMS_FILE_NAME,
        "commitments": _commitments(terms, f),
        "year_labels": [f"Year {y.year}" for y in terms.years],
        "price_table": sheet_table(sheet_from_terms(terms), f),
        "invoices": _invoices(terms, f),
        "invoice_columns": _invoice_columns(terms),
        "legal": {
            "agreement": legal.agreement,
            "agreement_reference": legal.agreement_reference,
            "order_form_prevails": legal.precedence == "order_form",
            "governing_law": legal.governing_law,
            "venue": legal.venue,
            "liability_months": _months(legal.liability_cap_months),
            "confidentiality_years": str(legal.confidentiality_years),
            "data_processing": legal.data_processing,
            "trains_models": legal.customer_data_trains_models,
            "model_providers": legal.model_providers,
            "subprocessor_notice_days": str(legal.subprocessor_notice_days),
            "retention_days": str(legal.retention_days),
            "service_levels": legal.service_levels,
            "late_interest": f.percent(legal.late_interest_percent_per_month, 2),
            "suspension_days": str(legal.suspension_after_days),
            "cure_days": str(legal.cure_days),
            "convenience": legal.termination_for_convenience,
            "convenience_days": str(legal.convenience_notice_days),
        },
        "notices_seller": _notices(terms.seller, legal.seller_notices, seller_address),
        "notices_customer": _notices(terms.customer, legal.customer_notices, customer_address),
        "customer_address": customer_address,
        "problems": terms_problems(terms),
    }
