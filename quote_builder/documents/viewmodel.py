"""View-models: a priced quote turned into already-formatted strings for the templates.

Templates get text only (numbers formatted here), so a template can never compute an
amount differently from the engine, and user text reaches the HTML only through Jinja's
autoescaping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from quote_builder.pricing import PricedQuote, QuoteDocument, recommend
from quote_builder.pricing.components import (
    Credits,
    MeteredComponent,
    MinimumCommitment,
    PercentOfValue,
    PerOutcome,
)
from quote_builder.pricing.document import UsageEvidence, add_months
from quote_builder.pricing.evidence import EvidenceBills
from quote_builder.pricing.playbook import CATEGORY_PROFILES, MODEL_PROFILES, PricingModel

from .charts import SPEND, VALUE, bar_chart, compact
from .explain import explain, unit_name
from .formatting import DEFAULT_LOCALE, Formatter
from .scenarios import BillScenario, bill_scenarios, log_range, variation

FINAL_STATUSES = ("approved", "sent", "accepted")
ATTRIBUTION_METHODS = {
    "baseline_comparison": "Baseline comparison: value above the agreed baseline period",
    "holdout_group": "Holdout group: results compared with a group that does not use the service",
    "rule_based": "Rule-based: value counted by the agreed attribution rules",
    "custom": "Custom method, as described below",
}


@dataclass(frozen=True)
class EmbeddedFile:
    """A file a final PDF carries (the signed approval statement, the organisation policy's
    public part): name, description, text."""

    name: str
    description: str
    text: str


@dataclass(frozen=True)
class Party:
    name: str
    legal_name: str = ""
    address: str = ""
    email: str = ""
    country: str = ""
    signatory: str = ""
    signatory_title: str = ""


@dataclass(frozen=True)
class RenderRequest:
    document: QuoteDocument
    priced: PricedQuote
    seller: Party
    customer: Party
    quote_number: str = ""
    version: int | None = None
    version_hash: str = ""
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


def _common(req: RenderRequest, f: Formatter) -> dict[str, Any]:
    doc, priced = req.document, req.priced
    version = f"version {req.version}" if req.version is not None else "unsaved"
    title = doc.title or f"Proposal for {req.customer.name}"
    return {
        "running_name": _short(req.customer.name, 48),
        "title": title,
        "quote_number": req.quote_number or doc.quote_number or "Draft quote",
        "version": version,
        "version_hash": req.version_hash,
        "short_hash": req.version_hash[:12],
        "status": req.status,
        "draft": not req.final,
        "approval_id": req.approval_id or "",
        "approval_note": req.approval_note if req.final else "",
        "issued": f.date(req.issued),
        "valid_until": f.date(req.valid_until) if req.valid_until else "",
        "seller": req.seller,
        "customer": req.customer,
        "has_logo": req.logo_path is not None,
        "currency": doc.currency,
        "tcv": f.money(priced.tcv),
        "first_year_acv": f.money(priced.first_year_acv),
        "average_monthly": f.money(priced.average_monthly),
        "term": f"{doc.term_months} months",
        "start": f.date(doc.start_date),
        "end": f.date(priced.years[-1].end),
        "billing": {"monthly": "monthly", "quarterly": "quarterly", "annual": "annually"}[
            doc.billing_frequency
        ],
        "escalator": f.percent(doc.escalator_percent, 1) if doc.escalator_percent else "",
    }


def _short(text: str, limit: int) -> str:
    """For page headers: long names are cut (the full name is on the cover)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _years(req: RenderRequest, f: Formatter) -> list[dict[str, str]]:
    value = req.priced.value
    rows = []
    for i, year in enumerate(req.priced.years):
        rows.append(
            {
                "year": str(year.year),
                "period": f"{f.short_date(year.start)} – {f.short_date(year.end)}",
                "months": str(year.months),
                # The schedule is wide: amounts without the currency sign (the header
                # names the currency), so they never wrap inside a number.
                "list": f.amount(year.list_revenue),
                "discounts": f.amount(year.discounts) if year.discounts else "",
                "revenue": f.amount(year.revenue),
                "increase": f.percent((year.price_factor - 1) * 100, 2)
                if year.price_factor != 1
                else "",
                "value": f.amount(value.value_by_year[i])
                if value and i < len(value.value_by_year)
                else "",
            }
        )
    return rows


def _pricing_table(req: RenderRequest, f: Formatter) -> list[dict[str, str]]:
    rows = []
    for component, breakdown in zip(req.document.components, req.priced.components, strict=True):
        rows.append(
            {
                "name": component.name,
                "kind": component.label,
                "description": component.description,
                "terms": explain(component, f),
                "year_one": f.money(breakdown.years[0].amount),
            }
        )
    return rows


def _prospect_reasons(rationale: tuple[str, ...], doc: QuoteDocument) -> list[str]:
    """The advisor's reasons a prospect may read: no internal scoring notes, no price ranges."""
    reasons = []
    for reason in rationale:
        if reason.startswith("Rare in practice") or reason.startswith("Works when"):
            continue
        if reason.startswith("The playbook recommends"):
            if doc.product_category is None:
                continue
            reason = f"It is the usual model for {CATEGORY_PROFILES[doc.product_category].title}."
        reasons.append(reason)
    return reasons[:5]


def _recommendation(doc: QuoteDocument) -> dict[str, Any] | None:
    if doc.product_category is None and doc.pricing_model is None:
        return None
    ranking = recommend(doc.product_category, doc.advisor)
    chosen = doc.pricing_model or ranking[0].model
    rec = next(r for r in ranking if r.model == chosen)
    profile = MODEL_PROFILES[PricingModel(chosen)]
    return {
        "title": profile.title,
        "structure": profile.structure,
        "reasons": _prospect_reasons(rec.rationale, doc),
        "category": CATEGORY_PROFILES[doc.product_category].title if doc.product_category else "",
    }


def _charts(req: RenderRequest, f: Formatter, from_log: EvidenceBills | None) -> dict[str, str]:
    priced = req.priced
    symbol = f.money(Decimal(0)).replace("0", "").replace(".", "").replace(",", "").strip()

    def axis(value: Decimal) -> str:
        return compact(value, "")

    charts: dict[str, str] = {}
    value = priced.value
    groups = []
    for i, year in enumerate(priced.years):
        values = [year.revenue]
        if value is not None and i < len(value.value_by_year):
            values.append(value.value_by_year[i])
        groups.append((f"Year {year.year}", values))
    series = [("Your spend", SPEND)] + ([("Value delivered", VALUE)] if value is not None else [])
    charts["spend_value"] = bar_chart(
        groups,
        series,
        axis,
        lambda v: compact(v),
        f"Spend against value by contract year ({symbol})",
    )
    scenarios = bill_scenarios(req.document, priced.average_monthly, from_log)

    def basis(s: BillScenario) -> str:
        if s.percentile is None:
            return f"{f.percent((s.usage_factor or Decimal(1)) * 100, 0)} usage"
        return "median month" if s.percentile == 50 else f"{s.percentile}th percentile month"

    charts["bill_range"] = bar_chart(
        [(f"{s.label} ({basis(s)})", [s.monthly]) for s in scenarios],
        [("Average monthly bill, year 1", SPEND)],
        axis,
        lambda v: f.money(v),
        "Monthly bill at the usage of a quiet, typical and busy month of your usage log"
        if from_log
        else "Monthly bill at low, expected and high usage",
    )
    charts["scenarios"] = [  # type: ignore[assignment]
        {"label": s.label, "usage": basis(s), "monthly": f.money(s.monthly)} for s in scenarios
    ]
    return charts


def _summary(req: RenderRequest, f: Formatter) -> dict[str, str] | None:
    value = req.priced.value
    drivers = req.document.value
    if value is None or drivers is None:
        return None
    per_task = ""
    if drivers.minutes_saved_per_unit is not None and drivers.loaded_hourly_rate is not None:
        per_task = (
            f"{f.number(drivers.minutes_saved_per_unit)} minutes saved at a loaded rate of "
            f"{f.money(drivers.loaded_hourly_rate)} an hour"
        )
    return {
        "metric": unit_name(drivers.metric or "tasks"),
        "units_text": f"{f.number(value.units_year_one, 0)} {unit_name(drivers.metric or 'tasks')}",
        "per_task_basis": per_task,
        "value_per_unit": f.price(value.value_per_unit),
        "units": f.number(value.units_year_one, 0),
        "annual_value": f.money(value.annual_value),
        "annual_spend": f.money(value.annual_spend),
        "price_per_unit": f.price(value.price_per_unit) if value.price_per_unit is not None else "",
        "savings": f.percent(value.customer_savings_percent),
        "roi": f.percent(value.roi_percent, 0),
        "payback": f"{f.number(value.payback_months, 1)} months"
        if value.payback_months is not None
        else "n/a",
    }


def _assumptions(req: RenderRequest, f: Formatter, from_log: EvidenceBills | None) -> list[str]:
    doc = req.document
    lines = []
    for metric, forecast in doc.usage_forecast.items():
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
    for ramp in doc.ramps:
        changes = [f"{count} seats ({seat_id})" for seat_id, count in ramp.seats.items()] + [
            f"{f.number(q)} {unit_name(m)} a month" for m, q in ramp.usage.items()
        ]
        if changes:
            lines.append(f"From contract year {ramp.year}: {', '.join(changes)}.")
    evidence = doc.usage_evidence
    if evidence is not None and from_log is not None:
        lines.append(
            "Low, expected and high bills: the average monthly bill in contract year 1 if "
            "every month used as much as the 10th percentile, median and 90th percentile "
            f"month of {_evidence_period(evidence, f)}, at this proposal's prices; the "
            "invoice follows actual usage."
        )
    else:
        lines.append(
            f"Low and high bills scale all usage for {variation(doc)} usage variation; "
            "the invoice follows actual usage."
        )
    if doc.value is not None and doc.value.metric:
        lines.append(f"Value is counted on {unit_name(doc.value.metric)} delivered by the service.")
    if doc.escalator_percent:
        lines.append(
            f"Prices rise {f.percent(doc.escalator_percent)} at the start of each contract year from year 2."
        )
    lines.append("Amounts exclude taxes.")
    return lines


def _evidence_period(evidence: UsageEvidence, f: Formatter) -> str:
    """``3 months of your usage (June 2026 to August 2026: 645 events from 25 users)``."""
    first, last = evidence.months[0].month, evidence.months[-1].month

    def month(label: str) -> str:
        return f.month(dt.date(int(label[:4]), int(label[5:]), 1))

    span = month(first) if first == last else f"{month(first)} to {month(last)}"
    count = len(evidence.months)
    return (
        f"{count} month{'s' if count != 1 else ''} of your usage ({span}: "
        f"{f.number(evidence.rows, 0)} events from {f.number(evidence.users, 0)} users)"
    )


def _discounts(req: RenderRequest, f: Formatter) -> list[str]:
    lines = []
    for discount in req.document.discounts:
        amount = (
            f.percent(discount.percent, 2)
            if discount.percent is not None
            else f"{f.money(discount.amount or Decimal(0))} a month"
        )
        scope = (
            "of the recurring fees"
            if discount.component is None
            else f"of {req.document.component(discount.component).name}"
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


def proposal_view(req: RenderRequest) -> dict[str, Any]:
    f = Formatter(req.document.currency, req.locale)
    from_log = log_range(req.document)  # the quote priced over its usage log, once
    return {
        **_common(req, f),
        "summary": _summary(req, f),
        "recommendation": _recommendation(req.document),
        "pricing": _pricing_table(req, f),
        "years": _years(req, f),
        "charts": _charts(req, f, from_log),
        "usage_evidence": _evidence_period(req.document.usage_evidence, f)
        if req.document.usage_evidence is not None and from_log is not None
        else "",
        "assumptions": _assumptions(req, f, from_log),
        "discounts": _discounts(req, f),
        "has_value": req.priced.value is not None,
        "has_outcomes": any(
            isinstance(c, PerOutcome | PercentOfValue) for c in req.document.components
        ),
        "with_contract": False,
    }


def _is_usage(component: object) -> bool:
    """Metered usage or credits; outcomes and value shares have clauses of their own."""
    return isinstance(component, MeteredComponent | Credits) and not isinstance(
        component, PerOutcome | PercentOfValue
    )


def contract_clauses(doc: QuoteDocument) -> list[str]:
    """The order form's clause partials, chosen by the quote's components."""
    components = doc.components
    clauses = ["parties", "term", "fees"]
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
    if doc.escalator_percent and doc.term_months > 12:
        clauses.append("escalator")
    clauses += ["price_protection", "payment", "signatures"]
    return clauses


def contract_view(req: RenderRequest) -> dict[str, Any]:
    f = Formatter(req.document.currency, req.locale)
    doc = req.document
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
        for c in doc.components
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
        for c in doc.components
        if isinstance(c, PercentOfValue)
    ]
    usage = [{"name": c.name, "terms": explain(c, f)} for c in doc.components if _is_usage(c)]
    fees = [
        {"name": c.name, "terms": explain(c, f)}
        for c in doc.components
        if not isinstance(c, MeteredComponent | Credits | MinimumCommitment)
    ]
    escalations = [
        {
            "year": str(e.year),
            "date": f.date(e.effective),
            "factor": f.percent((e.factor - 1) * 100, 2),
        }
        for e in req.priced.escalations
    ]
    renewal = doc.contract
    return {
        **_common(req, f),
        "clauses": contract_clauses(doc),
        "fees": fees,
        "usage": usage,
        "minimums": [
            {"name": c.name, "terms": explain(c, f)}
            for c in doc.components
            if isinstance(c, MinimumCommitment)
        ],
        "credits": [
            {"name": c.name, "terms": explain(c, f)}
            for c in doc.components
            if isinstance(c, Credits)
        ],
        "outcomes": outcomes,
        "attribution": attribution,
        "escalations": escalations,
        "discounts": _discounts(req, f),
        "renewal": {
            "auto": renewal.auto_renew,
            "months": str(renewal.renewal_term_months),
            "notice": str(renewal.notice_days),
        },
        "payment_days": str(renewal.payment_terms_days),
        "price_protection": renewal.price_protection,
        "last_increase": f.date(add_months(doc.start_date, 12 * (len(req.priced.years) - 1))),
    }
