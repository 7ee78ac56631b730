"""The order form's view-model: its clauses, chosen by the quote's components, every
sentence in the document's language; what keeps it from being signed (in the document's
language for the draft, in English for the rep)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from quote_builder.errors import Sentence
from quote_builder.pricing.components import (
    AllowanceOverage,
    Component,
    Credits,
    FlatFee,
    MeteredComponent,
    MinimumCommitment,
    OneTimeFee,
    Package,
    PercentOfValue,
    PerOutcome,
    Seats,
    TieredComponent,
    TransactionFee,
)
from quote_builder.pricing.languages import DEFAULT_LANGUAGE, LANGUAGES
from quote_builder.pricing.legal import unset_jurisdiction
from quote_builder.pricing.tax import CustomerTaxChange
from quote_builder.pricing.terms import (
    TERMS_FILE_NAME,
    CustomerTerms,
    TermsIssue,
    TermsParty,
    terms_issues,
)

from .explain import (
    allowance_host,
    credits_allocation,
    credits_expiry,
    explain,
    seat_counts_of,
)
from .formatting import Formatter
from .i18n import N_, joined, without_final_stop
from .own_words import printed_view
from .price_sheet import sheet_from_terms, sheet_notes, sheet_table
from .viewmodel import (
    CustomerView,
    ViewMeta,
    address_in_language,
    common_view,
    discount_lines,
    discounted_by,
    document_formatter,
    tax_name,
)

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


# --- order form ---------------------------------------------------------------------------


def _includes_usage(component: object) -> bool:
    """Usage with units included at no price: an allowance, a package's free units, a
    first tier priced at nothing (and with no flat fee)."""
    if isinstance(component, AllowanceOverage):
        return bool(component.included or component.included_per_seat)
    if isinstance(component, Package):
        return bool(component.free_units)
    if isinstance(component, TieredComponent):
        first = component.tiers[0]
        return not first.unit_price and not first.flat_fee
    return False


def _is_usage(component: object) -> bool:
    """Metered usage; credits, outcomes and value shares have clauses of their own (credits
    once, in "AI credits": the usage clause's overage rule is not theirs)."""
    return isinstance(component, MeteredComponent) and not isinstance(
        component, PerOutcome | PercentOfValue
    )


def title_and_detail(text: str) -> tuple[str, str]:
    """A document's name and the words in brackets at its end, apart: "Service Level
    Agreement (99.9 % monthly availability, ...)" -> ("Service Level Agreement", "99.9 %
    monthly availability, ..."); the full-width brackets of Japanese likewise. Text without
    such an ending is the title alone."""
    text = text.strip()
    for opening, closing in (("(", ")"), ("\uff08", "\uff09")):
        if not text.endswith(closing):
            continue
        depth = 0
        for index in range(len(text) - 1, -1, -1):
            if text[index] == closing:
                depth += 1
            elif text[index] == opening:
                depth -= 1
                if depth == 0:
                    title, detail = text[:index].rstrip(), text[index + 1 : -1].strip()
                    return (title, detail) if title and detail else (text, "")
        return text, ""
    return text, ""


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
    if _audited(terms):
        clauses.append("audit")
    if terms.escalations:
        clauses.append("escalator")
    clauses += [
        "price_protection",
        "payment",
        "data",
        "ai_output",
        "service",
        "termination",
        "law",
        "notices",
        "signatures",
    ]
    return clauses


AUDIT_OVERCHARGE_PERCENT = Decimal(5)
"""An audit that finds an overcharge above this percent of the fees invoiced for the audited
period is at the seller's cost (the auditor's reasonable fees); below it, at the
customer's."""


def _audited(terms: CustomerTerms) -> bool:
    """Whether the order form bills on records the customer may audit: usage, credits,
    outcomes, value shares (a minimum commitment is measured on them)."""
    return any(c.usage_based or isinstance(c, MinimumCommitment) for c in terms.components)


def _audit(terms: CustomerTerms, f: Formatter) -> list[list[str]]:
    """The usage audit clause's two paragraphs of sentences: who may audit, how often and
    who bears the auditor's fees; then how a finding is settled, and what a finding below a
    committed minimum changes (nothing: a minimum commitment and committed seats stay due).
    Two paragraphs, not one: a clause's only paragraph is kept with the next clause's
    heading (print.css), which split it across a page with the rest of the page empty."""
    components = terms.components
    kinds = {_arrears_kind(c) for c in components}
    records = [
        f._(words)
        for kind, words in (
            # Translators: this phrase and the next two fill the usage audit's "You may
            # have the %(records)s behind any invoice ... audited", listed with the others
            # the quote has (only the records it bills on).
            ("usage", N_("usage records")),
            # Translators: in the usage audit's "You may have the %(records)s ..." (above).
            ("outcomes", N_("outcome records")),
            # Translators: in the usage audit's "You may have the %(records)s ..." (above).
            ("value_shares", N_("attribution records")),
        )
        if kind in kinds
    ]
    who = [
        f._(
            "You may have the %(records)s behind any invoice of the last 12 months audited "
            "once a contract year, on 30 days' written notice, by an independent auditor you "
            "appoint who is bound by confidentiality.",
            records=f.listing(records or [f._("usage records")]),
        ),
        f._(
            "An audit is at your cost, your auditor's fees included, unless it finds that we "
            "overcharged you by more than %(percent)s of the fees invoiced for the audited "
            "period; then we also reimburse your auditor's reasonable fees.",
            percent=f.percent(AUDIT_OVERCHARGE_PERCENT, 0),
        ),
    ]
    sentences = [
        f._(
            "We credit an overcharge an audit finds on the next invoice, and invoice an "
            "undercharge it finds on the next invoice."
        ),
    ]
    if any(isinstance(c, MinimumCommitment) for c in components):
        sentences.append(
            f._(
                "If an audit finds that your usage in a period was below a minimum "
                "commitment under \u201c%(clause)s\u201d, the minimum still applies to that "
                "period: the corrected fees are topped up to it by the true-up, and nothing "
                "below the minimum is refunded.",
                clause=f._("Minimum commitment and true-up"),
            )
        )
    if any(isinstance(c, Seats) for c in components):
        sentences.append(
            f._(
                "Committed seats under \u201c%(clause)s\u201d are due whether or not they are "
                "used: an audit that finds fewer seats in use does not reduce them.",
                clause=f._("Committed quantities"),
            )
        )
    return [who, sentences]


NOT_ESCALATED = (
    # Translators: this phrase and the next three fill the annual increase clause's "Unit
    # prices (other than %(excluded)s) increase ...", listed with the others the quote has
    # (German after "außer", in the dative; Japanese before "を除く").
    (OneTimeFee, N_("one-time fees")),
    # Translators: in "Unit prices (other than %(excluded)s) increase ..." (see above).
    (PercentOfValue, N_("value shares")),
    # Translators: in "Unit prices (other than %(excluded)s) increase ..." (see above).
    (TransactionFee, N_("per-transaction fees")),
    # Translators: in "Unit prices (other than %(excluded)s) increase ..." (see above).
    (MinimumCommitment, N_("minimum commitments")),
)
"""The kinds of component the annual increase leaves alone (``Component.escalates`` is
false), in the order the clause names them."""


def _escalator_lead(terms: CustomerTerms, f: Formatter) -> str:
    """The annual increase clause's sentence: which prices rise (naming as exceptions only
    the kinds of fee the quote has that do not rise: a quote without a value share does not
    read "other than value shares"), by how much, and how each year's price is computed
    (from year 1's, rounded once to the currency's minor unit, as ``Usage.escalate``)."""
    kinds = [
        f._(words)
        for kind, words in NOT_ESCALATED
        if any(isinstance(c, kind) and not c.escalates for c in terms.components)
    ]
    params = {
        "percent": f.increase(terms.escalator_percent),
        "factor": f.number(1 + terms.escalator_percent / 100),
        "excluded": f.listing(kinds),
    }
    rounding = {0: "whole", 2: "cent"}.get(f.digits, "smallest")
    if kinds:
        messages = {
            "whole": N_(
                "Unit prices (other than %(excluded)s) increase by %(percent)s at the start of "
                "each contract year from year 2, compounding: each year's unit price is the "
                "year-1 unit price multiplied by %(factor)s once for each year since year 1, "
                "and only then rounded to the whole unit of the currency (not the previous "
                "year's rounded price increased again). These are the unit prices in \"Prices "
                'by contract year".'
            ),
            "smallest": N_(
                "Unit prices (other than %(excluded)s) increase by %(percent)s at the start of "
                "each contract year from year 2, compounding: each year's unit price is the "
                "year-1 unit price multiplied by %(factor)s once for each year since year 1, "
                "and only then rounded to the smallest unit of the currency (not the previous "
                "year's rounded price increased again). These are the unit prices in \"Prices "
                'by contract year".'
            ),
            "cent": N_(
                "Unit prices (other than %(excluded)s) increase by %(percent)s at the start of "
                "each contract year from year 2, compounding: each year's unit price is the "
                "year-1 unit price multiplied by %(factor)s once for each year since year 1, "
                "and only then rounded to the cent (not the previous year's rounded price "
                'increased again). These are the unit prices in "Prices by contract year".'
            ),
        }
    else:
        messages = {
            "whole": N_(
                "Unit prices increase by %(percent)s at the start of each contract year from "
                "year 2, compounding: each year's unit price is the year-1 unit price "
                "multiplied by %(factor)s once for each year since year 1, and only then "
                "rounded to the whole unit of the currency (not the previous year's rounded "
                'price increased again). These are the unit prices in "Prices by contract '
                'year".'
            ),
            "smallest": N_(
                "Unit prices increase by %(percent)s at the start of each contract year from "
                "year 2, compounding: each year's unit price is the year-1 unit price "
                "multiplied by %(factor)s once for each year since year 1, and only then "
                "rounded to the smallest unit of the currency (not the previous year's rounded "
                'price increased again). These are the unit prices in "Prices by contract '
                'year".'
            ),
            "cent": N_(
                "Unit prices increase by %(percent)s at the start of each contract year from "
                "year 2, compounding: each year's unit price is the year-1 unit price "
                "multiplied by %(factor)s once for each year since year 1, and only then "
                "rounded to the cent (not the previous year's rounded price increased again). "
                'These are the unit prices in "Prices by contract year".'
            ),
        }
    return f._(messages[rounding], **params)


def _record_terms(terms: CustomerTerms, f: Formatter) -> dict[str, Any]:
    """What the outcome and attribution clauses add to the rep's terms, so that a buyer's
    lawyer reads who measures and on what data (we, from the verification evidence or by the
    attribution method), how a disputed amount is settled (the parties, then the
    independent auditor when one is named, else the courts), who pays that auditor (the
    parties, in proportion to what its finding goes against each) and what happens to the
    invoice meanwhile (the rest is paid when due, the disputed amount may be withheld
    without late interest or suspension, and the settlement is credited or paid after)."""
    auditor = terms.legal.independent_auditor
    outcomes = any(isinstance(c, PerOutcome) for c in terms.components)
    usage_audit = f._("Usage audit")
    settlement = []
    if auditor:
        settlement.append(
            f._(
                "The independent auditor's fees for a dispute are shared between the parties "
                "in proportion to the part of the disputed amount its finding goes against "
                "each of them."
            )
        )
    # One plural message, not f.days inside: German needs the dative ("innerhalb von 30
    # Tagen"), which the counted phrase alone ("30 Tage") cannot give.
    settlement.append(
        f._n(
            "While an amount is disputed, you pay the rest of the invoice when it is due and "
            "may withhold the disputed amount, which bears no late interest and is no ground "
            "for suspension meanwhile. Once the dispute is settled, we credit what was "
            "invoiced wrongly on the next invoice, and you pay what was invoiced rightly within "
            "%(count)s day of the settlement.",
            "While an amount is disputed, you pay the rest of the invoice when it is due and "
            "may withhold the disputed amount, which bears no late interest and is no ground "
            "for suspension meanwhile. Once the dispute is settled, we credit what was "
            "invoiced wrongly on the next invoice, and you pay what was invoiced rightly within "
            "%(count)s days of the settlement.",
            terms.payment_terms_days,
            count=f.number(terms.payment_terms_days),
        )
    )
    shares = any(isinstance(c, PercentOfValue) for c in terms.components)
    law = ""
    if auditor and outcomes and shares:
        law = f._(
            "A dispute about outcome or attribution records is settled as set out under "
            "\u201c%(outcomes)s\u201d and \u201c%(attribution)s\u201d, with %(auditor)s as the "
            "independent auditor.",
            outcomes=f._("Outcome definitions and measurement"),
            attribution=f._("Value attribution"),
            auditor=auditor,
        )
    elif auditor and outcomes:
        law = f._(
            "A dispute about outcome records is settled as set out under \u201c%(clause)s\u201d, "
            "with %(auditor)s as the independent auditor.",
            clause=f._("Outcome definitions and measurement"),
            auditor=auditor,
        )
    elif auditor and shares:
        law = f._(
            "A dispute about attribution records is settled as set out under "
            "\u201c%(clause)s\u201d, with %(auditor)s as the independent auditor.",
            clause=f._("Value attribution"),
            auditor=auditor,
        )
    return {
        # The governing law clause's sentence on record disputes: only for a deal with
        # outcomes or value shares (an auditor in the legal frame is no reason to speak of
        # outcome records on an order for seats).
        "law": law,
        "outcome_measurement": f._(
            "We count the outcomes of each billing period from the verification evidence above "
            "and classify each as successful or not by the success criteria; only successful "
            "outcomes are invoiced. We keep an auditable record of every outcome billed and "
            "give you the record behind an invoice on request."
        ),
        "outcome_audit_default": f._(
            "You may have the outcome records behind any invoice audited as set out under "
            "\u201c%(clause)s\u201d.",
            clause=usage_audit,
        ),
        "outcome_audit_also": f._(
            "These rights are in addition to those under \u201c%(clause)s\u201d, whose rule "
            "on who pays the auditor's fees applies to them too.",
            clause=usage_audit,
        ),
        "outcome_escalation": f._(
            "A dispute the parties cannot settle within 30 days goes to %(auditor)s, whose "
            "finding on the records is final.",
            auditor=auditor,
        )
        if auditor
        else f._(
            "A dispute the parties cannot settle within 30 days of its notice is settled as "
            "set out under \u201c%(clause)s\u201d.",
            clause=f._("Governing law and disputes"),
        ),
        "attribution_measurement": f._(
            "We calculate each month's attributed value by the method above and give you the "
            "calculation and the records behind it on request."
        ),
        "settlement": settlement,
        # With outcomes too, the attribution clause refers to the outcome clause's paragraph
        # instead of repeating it.
        "attribution_settlement": [
            f._(
                "A disputed attribution is settled, and the auditor's fees are shared, as set "
                "out under \u201c%(clause)s\u201d.",
                clause=f._("Outcome definitions and measurement"),
            )
        ]
        if outcomes
        else settlement,
    }


def _invoices(terms: CustomerTerms, f: Formatter) -> list[dict[str, str]]:
    taxes = {t.period: t for t in terms.tax.invoices} if terms.tax is not None else {}
    rows = []
    for i in terms.invoices:
        taxed = taxes.get(i.period)
        rows.append(
            {
                "period": f.date_range(i.start, i.end),
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
    # An order without a fixed fee invoices nothing in advance: no "In advance" column of
    # blanks (an order with nothing at all in advance or in arrears keeps the column, so
    # the table still has its amounts).
    arrears = any(i.in_arrears for i in terms.invoices)
    advance = any(i.in_advance for i in terms.invoices) or not arrears
    discounts = any(i.discounts for i in terms.invoices)
    tax = terms.tax is not None and bool(terms.tax.rate_percent)
    return {
        "advance": advance,
        "arrears": arrears,
        "discounts": discounts,
        "tax": tax,
        "span": 1 + advance + arrears + discounts,
    }


BILLED_IN_ARREARS = (
    # Translators: this phrase and the next three fill the slot of what is invoiced in
    # arrears, listed with the others the quote has: "Fees are ... invoiced monthly: fixed
    # fees in advance, %(arrears)s in arrears for the period just ended" and "Fixed fees are
    # invoiced in advance ...; %(arrears)s in arrears on the day after it ends" (German
    # "Nutzung, Ergebnisse und Ausgleichszahlungen nachträglich").
    ("usage", N_("usage")),
    # Translators: what is invoiced in arrears (see "usage").
    ("outcomes", N_("outcomes")),
    # Translators: what is invoiced in arrears (see "usage").
    ("value_shares", N_("value-share fees")),
    # Translators: what is invoiced in arrears (see "usage").
    ("true_ups", N_("true-ups")),
)
"""What the order form can invoice in arrears, in the order it names them."""


def _arrears_kind(component: Component) -> str:
    if isinstance(component, PerOutcome):
        return "outcomes"
    if isinstance(component, PercentOfValue):
        return "value_shares"
    if isinstance(component, MinimumCommitment):
        return "true_ups"
    if isinstance(component, MeteredComponent | Credits):
        return "usage"
    return ""


def _in_arrears(terms: CustomerTerms, f: Formatter) -> list[str]:
    """What the deal invoices in arrears, in the document's language: only the kinds it has
    (an order for outcomes with a minimum reads "outcomes and true-ups", not "usage,
    outcomes and true-ups")."""
    kinds = {_arrears_kind(c) for c in terms.components}
    return [f._(words) for kind, words in BILLED_IN_ARREARS if kind in kinds]


def _fees_lead(terms: CustomerTerms) -> str:
    """The fees clause's first sentence (a message to format): fixed fees in advance and
    what is invoiced in arrears, each said only when the deal has it."""
    # Usage is invoiced in arrears whatever the forecast: with none (nothing estimated in
    # arrears) a deal of usage alone read "invoiced monthly in advance. The total contract
    # value is $0.00.", which it is not.
    arrears = bool({_arrears_kind(c) for c in terms.components} - {""})
    advance = any(i.in_advance for i in terms.invoices)
    if arrears and not advance and not terms.total_contract_value:
        return {
            "monthly": N_(
                "Fees are in %(currency)s and invoiced monthly in arrears for the period just "
                "ended (%(arrears)s), at actual usage; no amount is committed."
            ),
            "quarterly": N_(
                "Fees are in %(currency)s and invoiced quarterly in arrears for the period just "
                "ended (%(arrears)s), at actual usage; no amount is committed."
            ),
            "annual": N_(
                "Fees are in %(currency)s and invoiced annually in arrears for the period just "
                "ended (%(arrears)s), at actual usage; no amount is committed."
            ),
        }[terms.billing_frequency]
    if arrears and advance:
        return {
            "monthly": N_(
                "Fees are in %(currency)s and invoiced monthly: fixed fees in advance, "
                "%(arrears)s in arrears for the period just ended. At the estimated usage the "
                "total contract value is %(tcv)s."
            ),
            "quarterly": N_(
                "Fees are in %(currency)s and invoiced quarterly: fixed fees in advance, "
                "%(arrears)s in arrears for the period just ended. At the estimated usage the "
                "total contract value is %(tcv)s."
            ),
            "annual": N_(
                "Fees are in %(currency)s and invoiced annually: fixed fees in advance, "
                "%(arrears)s in arrears for the period just ended. At the estimated usage the "
                "total contract value is %(tcv)s."
            ),
        }[terms.billing_frequency]
    if arrears:
        # No fixed fee: nothing is invoiced in advance.
        return {
            "monthly": N_(
                "Fees are in %(currency)s and invoiced monthly in arrears for the period just "
                "ended (%(arrears)s). At the estimated usage the total contract value is "
                "%(tcv)s."
            ),
            "quarterly": N_(
                "Fees are in %(currency)s and invoiced quarterly in arrears for the period just "
                "ended (%(arrears)s). At the estimated usage the total contract value is "
                "%(tcv)s."
            ),
            "annual": N_(
                "Fees are in %(currency)s and invoiced annually in arrears for the period just "
                "ended (%(arrears)s). At the estimated usage the total contract value is "
                "%(tcv)s."
            ),
        }[terms.billing_frequency]
    # Nothing is billed in arrears (no usage, outcomes or true-ups): say only what is.
    return {
        "monthly": N_(
            "Fees are in %(currency)s and invoiced monthly in advance. The total contract "
            "value is %(tcv)s."
        ),
        "quarterly": N_(
            "Fees are in %(currency)s and invoiced quarterly in advance. The total contract "
            "value is %(tcv)s."
        ),
        "annual": N_(
            "Fees are in %(currency)s and invoiced annually in advance. The total contract "
            "value is %(tcv)s."
        ),
    }[terms.billing_frequency]


def _invoices_lead(terms: CustomerTerms, f: Formatter) -> str:
    """When the invoice schedule's invoices are issued: fixed fees in advance, and what the
    deal invoices in arrears, each only when the deal has it."""
    kinds = f.listing(_in_arrears(terms, f))
    arrears = bool(kinds)  # at no forecast too: usage is invoiced in arrears all the same
    advance = any(i.in_advance for i in terms.invoices)
    if arrears and advance and kinds:
        return f._(
            "Fixed fees are invoiced in advance on the first day of each billing period; "
            "%(arrears)s in arrears on the day after it ends, at the estimated usage here and "
            "at actual usage on the invoice.",
            arrears=kinds,
        )
    if arrears and kinds:
        return f._(
            "Every fee is invoiced in arrears on the day after its billing period ends "
            "(%(arrears)s), at the estimated usage here and at actual usage on the invoice.",
            arrears=kinds,
        )
    return f._("Fixed fees are invoiced in advance on the first day of each billing period.")


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
                "invoiced in arrears with that month's charges, after the month ends."
            )
        if terms.billing_frequency == "quarterly":
            return f._(
                "The commitment is measured over each month of the term; a shortfall is "
                "invoiced in arrears with the charges of the quarterly billing period that "
                "contains the month, after the period ends."
            )
        return f._(
            "The commitment is measured over each month of the term; a shortfall is invoiced "
            "in arrears with the charges of the annual billing period that contains the month, "
            "after the period ends."
        )
    return f._(
        "The commitment is measured over each contract year (a shorter last year prorated by "
        "months); a shortfall is invoiced in arrears with the charges of the contract year's "
        "last billing period, after it ends."
    )


def _minimum_counts(terms: CustomerTerms, commitment: MinimumCommitment, f: Formatter) -> str:
    """What spend counts toward a minimum commitment, by name, as the engine measures it:
    the fees of the components it applies to (by default every usage-based one), after
    their discounts (an order for outcomes said "the usage fees")."""
    counted = [
        c.name
        for c in terms.components
        if not isinstance(c, MinimumCommitment)
        and (c.id in commitment.applies_to if commitment.applies_to is not None else c.usage_based)
    ]
    return f._n(
        "The spend that counts toward it is the fee for %(fees)s, after discounts.",
        "The spend that counts toward it is the fees for %(fees)s, after discounts.",
        len(counted),
        fees=f.listing(counted),
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
            percent=f.increase(increase),
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
            return joined(" ", [runs, rest, renewal])
        rest = f._(
            "It is co-termed with order %(order)s: it ends with that order.",
            order=change.original_order,
        )
        return joined(" ", [runs, rest])
    if terms.auto_renew and not terms.notice_days:
        # A notice period of 0 days: notice up to the period's end, never "at least 0 days".
        rest = f._(
            "It renews automatically for successive periods of %(months)s unless either party "
            "gives notice of non-renewal before the end of the current period.",
            months=f.months(terms.renewal_term_months),
        )
        return joined(" ", [runs, rest, renewal])
    if terms.auto_renew:
        rest = f._(
            "It renews automatically for successive periods of %(months)s unless either party "
            "gives notice of non-renewal at least %(days)s before the end of the current period.",
            months=f.months(terms.renewal_term_months),
            days=f.days(terms.notice_days),
        )
        return joined(" ", [runs, rest, renewal])
    return joined(
        " ", [runs, f._("It ends at the end of the term unless the parties sign a renewal.")]
    )


def _no_convenience(terms: CustomerTerms, f: Formatter) -> str:
    """No termination for convenience; when the order renews, notice of non-renewal is no
    termination (a German reader takes a notice ending the contract for an ordentliche
    Kündigung, which this sentence would otherwise exclude)."""
    if terms.auto_renew:
        return f._(
            "Neither party may terminate it for convenience during the term; notice of "
            "non-renewal under \u201c%(clause)s\u201d is not affected.",
            clause=f._("Term, renewal and notice"),
        )
    return f._("Neither party may terminate it for convenience.")


def _breach_consequences(terms: CustomerTerms, f: Formatter) -> str:
    """What termination for breach settles, named for what the deal has: its fixed fees
    (seats, recurring fees: by name), its minimum commitments, credits bought in packs, and
    its usage-based fees (usage, overage, credits, outcomes, value shares: by name), which
    are never accelerated: only what was used or achieved before the termination is due,
    whoever terminates (what the rest of the term would use cannot be computed)."""
    components = terms.components
    # A seats line without a seat in any year is not ordered, and a fee of 0 is included at
    # no charge: neither has a fee to become due.
    fixed = [
        c.name
        for c in components
        if (isinstance(c, FlatFee) and c.amount)
        or (isinstance(c, Seats) and any(seat_counts_of(terms, c)))
    ]
    minimum = any(isinstance(c, MinimumCommitment) for c in components)
    usage = [c.name for c in components if c.usage_based and not isinstance(c, MinimumCommitment)]
    outcomes = any(isinstance(c, PerOutcome | PercentOfValue) for c in components)
    packs = any(isinstance(c, Credits) and c.pack is not None for c in components)
    sentences: list[str] = []
    if fixed and minimum:
        sentences.append(
            f._(
                "If you terminate for our breach, we refund the fixed fees prepaid for the rest "
                "of the term, and no fixed fee or minimum commitment for the rest of the term is "
                "due. If we terminate for your breach, the fixed fees (%(fees)s) and the minimum "
                "commitments for the rest of the term become due.",
                fees=f.listing(fixed),
            )
        )
    elif fixed:
        sentences.append(
            f._(
                "If you terminate for our breach, we refund the fixed fees prepaid for the rest "
                "of the term, and no fixed fee for the rest of the term is due. If we terminate "
                "for your breach, the fixed fees (%(fees)s) for the rest of the term become due.",
                fees=f.listing(fixed),
            )
        )
    elif minimum:
        sentences.append(
            f._(
                "If you terminate for our breach, no minimum commitment for the rest of the term "
                "is due. If we terminate for your breach, the minimum commitments for the rest "
                "of the term become due."
            )
        )
    # Of the usage-based fees, which kinds: a deal whose only usage-based fee is per outcome
    # (or a value share) speaks of outcomes (or attributed value) alone, not of "usage or
    # outcomes".
    usage_kinds = {
        _arrears_kind(c)
        for c in components
        if c.usage_based and not isinstance(c, MinimumCommitment)
    }
    if usage_kinds == {"outcomes"}:
        sentences.append(
            f._n(
                "Whoever terminates, the fee for outcomes (%(fees)s) is due only for the "
                "outcomes achieved up to the date of termination, at the prices of this order "
                "form; it is not due for the rest of the term.",
                "Whoever terminates, the fees for outcomes (%(fees)s) are due only for the "
                "outcomes achieved up to the date of termination, at the prices of this order "
                "form; they are not due for the rest of the term.",
                len(usage),
                fees=f.listing(usage),
            )
        )
    elif usage_kinds == {"value_shares"}:
        sentences.append(
            f._n(
                "Whoever terminates, the value share (%(fees)s) is due only on the value "
                "attributed up to the date of termination, on the terms of this order form; it "
                "is not due for the rest of the term.",
                "Whoever terminates, the value shares (%(fees)s) are due only on the value "
                "attributed up to the date of termination, on the terms of this order form; "
                "they are not due for the rest of the term.",
                len(usage),
                fees=f.listing(usage),
            )
        )
    elif usage and outcomes:
        sentences.append(
            f._n(
                "Whoever terminates, the fee that depends on usage or outcomes (%(fees)s) is due "
                "only for the usage and outcomes up to the date of termination, at the prices "
                "of this order form; it is not due for the rest of the term.",
                "Whoever terminates, the fees that depend on usage or outcomes (%(fees)s) are "
                "due only for the usage and outcomes up to the date of termination, at the "
                "prices of this order form; they are not due for the rest of the term.",
                len(usage),
                fees=f.listing(usage),
            )
        )
    elif usage:
        sentences.append(
            f._n(
                "Whoever terminates, the usage-based fee (%(fees)s) is due only for the usage "
                "up to the date of termination, at the prices of this order form; it is not due "
                "for the rest of the term.",
                "Whoever terminates, the usage-based fees (%(fees)s) are due only for the usage "
                "up to the date of termination, at the prices of this order form; they are not "
                "due for the rest of the term.",
                len(usage),
                fees=f.listing(usage),
            )
        )
    if packs:
        sentences.append(
            f._(
                "If you terminate for our breach, we also refund unused credits bought in packs; "
                "credits bought in packs and unused at the end of the term for another reason "
                "lapse."
            )
        )
    return " ".join(sentences)


def _discount_note(terms: CustomerTerms, components: list[Component], f: Formatter) -> str:
    """Under a clause that states unit prices (usage, credits, outcomes, value shares): that
    they are list prices, when a discount takes from them too, so that the clause's price
    and the price table's net price do not read as two prices."""
    applying = [d for d in terms.discounts if any(discounted_by(d, c) for c in components)]
    if not applying:
        return ""
    return f._n(
        "These prices are before the discount under \u201c%(clause)s\u201d, which applies to "
        "these fees too (see \u201c%(table)s\u201d).",
        "These prices are before the discounts under \u201c%(clause)s\u201d, which apply to "
        "these fees too (see \u201c%(table)s\u201d).",
        len(applying),
        clause=f._("Fees and billing"),
        table=f._("Prices by contract year"),
    )


def _credits_terms(terms: CustomerTerms, component: Credits, f: Formatter) -> str:
    """A credits component's allocation, the price of extra credits and what becomes of
    unused allocation. With an annual increase the price written is year 1's, the increase
    applies in later years, and the later years' prices the price table shows are named
    beside it, so the clause and the table agree."""
    later: dict[int, str] = {}
    for line in terms.price_table:
        if (
            line.kind == "detail"
            and line.component_id == component.id
            and line.unit_price
            and line.year > 1
        ):
            later.setdefault(
                line.year,
                f._("%(price)s in year %(year)s", price=f.price(line.unit_price), year=line.year),
            )
    shown = f.listing([later[year] for year in sorted(later)])
    if component.pack is not None:
        params = {
            "credits": f.number(component.pack.credits),
            "price": f.money(component.pack.price),
            "later": shown,
            "table": f._("Prices by contract year"),
        }
        if not terms.escalations:
            extra = f._("Extra credits come in packs of %(credits)s at %(price)s a pack.", **params)
        elif later:
            extra = f._(
                "Extra credits come in packs of %(credits)s at %(price)s a pack in year 1; the "
                "annual price increase applies in later years (%(later)s, as in "
                "\u201c%(table)s\u201d).",
                **params,
            )
        else:
            extra = f._(
                "Extra credits come in packs of %(credits)s at %(price)s a pack in year 1; the "
                "annual price increase applies in later years.",
                **params,
            )
    else:
        assert component.overage_price_per_credit is not None
        params = {
            "price": f.price(component.overage_price_per_credit),
            "later": shown,
            "table": f._("Prices by contract year"),
        }
        if not terms.escalations:
            extra = f._("Extra credits cost %(price)s each.", **params)
        elif later:
            extra = f._(
                "Extra credits cost %(price)s each in year 1; the annual price increase applies "
                "in later years (%(later)s, as in \u201c%(table)s\u201d).",
                **params,
            )
        else:
            extra = f._(
                "Extra credits cost %(price)s each in year 1; the annual price increase applies "
                "in later years.",
                **params,
            )
    shared = f._(
        "Your credits are one balance for all your users; only the actions named above use credits."
    )
    return f"{credits_allocation(component, f)} {shared} {extra} {credits_expiry(component, f)}"


def _credits_rule(terms: CustomerTerms, f: Formatter) -> str:
    """When extra credits are bought and invoiced: one rule for the deal, stated once. With a
    monthly cap the customer pre-authorises extra credits up to it; without one, none is
    bought without consent. Either way what is bought is invoiced in arrears, and AI actions
    beyond the credits wait for consent rather than run up a bill."""
    cap = terms.extra_credit_cap_per_month
    if cap:
        return f._(
            "When your credits run out, we add extra credits automatically up to %(amount)s a "
            "month and invoice them in arrears with the usage of the billing period they fall in. Beyond that amount we "
            "add none without your consent in writing (email is enough); until you consent, "
            "AI actions beyond your credits wait. We tell you when 80%% of your monthly "
            "credits are used.",
            amount=f.money(cap),
        )
    return f._(
        "We add no extra credits without your consent in writing (email is enough); until you "
        "consent, AI actions beyond your credits wait. Extra credits you consent to are "
        "invoiced in arrears with the usage of the billing period they fall in. We tell you "
        "when 80%% of your monthly "
        "credits are used."
    )


def _invoices_to(party: TermsParty, billing_address: str) -> str:
    """Where invoices go: the customer's billing email, else its billing address
    (``billing_address``: as the order form prints it, the country in the document's
    language)."""
    return party.email or billing_address


def _notices(party: TermsParty, given: str, fallback_address: str) -> str:
    if given.strip():
        return given
    parts = [p for p in (fallback_address, party.email) if p]
    return ", ".join(parts)


def _signs(party: TermsParty, f: Formatter) -> str:
    """ "Jane Buyer, Chief Operating Officer", the name alone without a title, or nothing."""
    name, title = party.signatory.strip(), party.signatory_title.strip()
    if name and title:
        return f._("%(name)s, %(title)s", name=name, title=title)
    return name


def _issue(issue: TermsIssue, f: Formatter) -> str:
    if issue.code == "tax_unconfirmed":
        return f._(
            "%(tax)s: the rate is still to be confirmed.",
            tax=tax_name(issue.tax_kind, f),
        )
    if issue.code == "seller_tax_id_missing":
        return f._("The provider's VAT ID is not set: the reverse-charge note needs both VAT IDs.")
    if issue.code == "customer_incomplete":
        if "billing_address" in issue.gaps and "signatory" in issue.gaps:
            return f._(
                "The customer's billing address and the person who signs for the customer "
                "are not given."
            )
        if "billing_address" in issue.gaps:
            return f._("The customer's billing address is not given.")
        return f._("The person who signs for the customer is not given.")
    if issue.code == "seller_signatory_missing":
        return f._("The person who signs for the provider is not given.")
    if issue.code == "jurisdiction_missing":
        if "governing_law" in issue.gaps and "venue" in issue.gaps:
            return f._("The provider has not set the governing law and the courts for disputes.")
        if "governing_law" in issue.gaps:
            return f._("The provider has not set the governing law.")
        return f._("The provider has not set the courts for disputes.")
    if issue.code == "auditor_missing":
        return f._(
            "%(component)s: the dispute terms send disputes to an independent auditor, but "
            "none is named.",
            component=issue.component,
        )
    return f._("The provider's name is not set.")


def missing_text_problem(field: str, language: str, f: Formatter) -> str:
    """A clause text the seller has not given in the document's language, in ``f``'s
    language, for the draft order form's "To settle before signature" (what to do in the app
    is the rep's warning, ``missing_text_warning``: a customer document never carries the
    app's instructions)."""
    return f._(
        "%(field)s: the provider's text is not given in %(language)s; the English text stands "
        "here.",
        field=f._(LEGAL_FIELD_NAMES[field]),
        language=_language_name(language, f),
    )


def missing_text_warning(field: str, language: str) -> str:
    """The rep's sentence (English) for a clause text missing in the document's language."""
    return Sentence(
        f"Legal frame, {LEGAL_FIELD_TITLES_EN[field]}: the seller's text is not given in "
        f"{LANGUAGES[language]}, so the {LANGUAGES[language]} order form would carry the "
        f"English text; give it in Settings, Order form: legal frame, texts in other "
        f"languages (or write it on the quote)",
        "terms.text_missing",
        field=field,
        language=language,
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
    problems += date_problems(view.terms, f)
    if view.tax_decided_elsewhere:
        problems.append(tax_elsewhere_problem(view, f))
    problems += [tax_customer_problem(change, f) for change in view.tax_changes]
    return problems


def tax_customer_problem(change: CustomerTaxChange, f: Formatter) -> str:
    """One of ``CustomerView.tax_changes`` in ``f``'s language (the draft's "To settle
    before signature"): the tax was decided on other details of the customer."""
    if change.field == "country":
        return f._(
            "The tax was decided for a customer in %(decided)s, not %(country)s: decide the "
            "quote's tax again.",
            decided=_country_name(change.decided, f),
            country=_country_name(change.now, f),
        )
    if change.field == "tax_id":
        if not change.decided:
            return f._(
                "The tax was decided without the customer's tax ID (%(tax_id)s): decide the "
                "quote's tax again.",
                tax_id=change.now,
            )
        return f._(
            "The tax was decided with another tax ID of the customer (%(tax_id)s): decide "
            "the quote's tax again.",
            tax_id=change.decided,
        )
    return f._(
        "The tax was decided for another region of the customer (%(decided)s): decide the "
        "quote's tax again.",
        decided=change.decided or "—",
    )


def tax_elsewhere_problem(view: CustomerView, f: Formatter) -> str:
    """``CustomerView.tax_decided_elsewhere`` in ``f``'s language (English for the rep)."""
    assert view.terms.tax is not None
    return f._(
        "The tax was decided for another country of the provider (%(decided)s, not "
        "%(country)s): decide the quote's tax again.",
        decided=_country_name(view.terms.tax.seller_country, f),
        country=_country_name(view.seller_country, f),
    )


def _country_name(code: str, f: Formatter) -> str:
    name = f.locale.territories.get(code)
    return str(name) if name else code


def date_problems(terms: CustomerTerms, f: Formatter) -> list[str]:
    """The dates a signer would question, in ``f``'s language: what ``terms_warnings``
    tells the rep, printed on the draft (a back-dated term can be deliberate, so a final
    order form is not refused for it)."""
    problems = []
    if terms.start_date < terms.issued:
        problems.append(
            f._(
                "The subscription starts on %(start)s, before the order form's date "
                "(%(issued)s): the term would start before it is signed.",
                start=f.date(terms.start_date),
                issued=f.date(terms.issued),
            )
        )
    if terms.valid_until is not None and terms.valid_until < terms.issued:
        problems.append(
            f._(
                "The offer expired on %(date)s, before the order form's date.",
                date=f.date(terms.valid_until),
            )
        )
    return problems


def contract_view(view: CustomerView, meta: ViewMeta) -> dict[str, Any]:
    f = document_formatter(view, meta)
    view = printed_view(view, f)  # the app's own words in the document's language
    terms = view.terms
    legal = terms.legal
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
                "You may dispute an invoiced outcome within %(days)s of the invoice date, by "
                "written notice naming the outcomes you dispute and why; undisputed outcomes "
                "are then final, except that an error an audit finds is corrected (credited or "
                "invoiced) on the next invoice, whenever the audit takes place.",
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
            "lookback": f._(
                "%(days)s: a result is attributed to the service only when it follows the "
                "service's contribution within this window",
                days=f.days(c.attribution.lookback_days),
            )
            if c.attribution.lookback_days
            else "",
            "floor": f.money(c.floor) if c.floor is not None else "",
            "cap": f.money(c.cap) if c.cap is not None else "",
            "disputes": c.attribution.dispute_process,
        }
        for c in terms.components
        if isinstance(c, PercentOfValue)
    ]
    host = allowance_host(terms.components)
    usage = [
        {"name": c.name, "terms": explain(c, f, allowance_in=host)}
        for c in terms.components
        if _is_usage(c)
    ]
    fees = [
        {"name": c.name, "terms": explain(c, f, seat_counts=seat_counts_of(terms, c))}
        for c in terms.components
        if not isinstance(c, MeteredComponent | Credits | MinimumCommitment)
    ]
    minimums = [
        {
            "name": c.name,
            "terms": explain(c, f),
            "timing": _minimum_timing(terms, c, f),
            "counts": _minimum_counts(terms, c, f),
        }
        for c in terms.components
        if isinstance(c, MinimumCommitment)
    ]
    escalations = [
        {
            "year": str(e.year),
            "date": f.date(e.effective),
            "factor": f.increase(e.above_year_one_percent),
        }
        for e in terms.escalations
    ]
    credits_consent = _credits_rule(terms, f)
    sla_title, sla_detail = title_and_detail(legal.service_levels)
    seller_address = terms.seller.address
    # The customer's country at the end of its address in the document's language
    # ("..., Berlin, Germany" is "..., Berlin, Deutschland" on a German order form).
    customer_address = address_in_language(
        terms.customer.billing_address or terms.customer.address, terms.customer.country, f
    )
    billing_address = address_in_language(terms.customer.billing_address, terms.customer.country, f)
    common = common_view(view, meta, f, "contract")
    sheet = sheet_from_terms(terms, view.estimates.discount_shares)
    fees_lead = _fees_lead(terms)
    # "Quote Q-2026-0001, version 2 · issued ..."; a quote without a number (a file) starts
    # with its issue date, never with a stand-in for the number.
    reference = [common["description"]] if common["quote_number"] else []
    reference += [
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
        "reference_line": joined(" · ", reference),
        "fees_lead": f._(
            fees_lead,
            currency=terms.currency,
            tcv=common["tcv"],
            arrears=f.listing(_in_arrears(terms, f)),
        ),
        "invoices_lead": _invoices_lead(terms, f),
        "fees": fees,
        "usage": usage,
        # Only usage with an included allowance (free units: an allowance, a package's
        # free units, a first tier at no price) gets "Included usage and overage"; usage
        # billed per unit, by tiers or in blocks is "Usage", saying nothing of an allowance
        # the order does not have.
        "usage_allowance": any(_is_usage(c) and _includes_usage(c) for c in terms.components),
        "minimums": minimums,
        # In parentheses inside the fees sentence, which ends them.
        "minimum_total": without_final_stop(joined(" ", [m["terms"] for m in minimums])),
        "credits": [
            {"name": c.name, "terms": _credits_terms(terms, c, f)}
            for c in terms.components
            if isinstance(c, Credits)
        ],
        "credit_packs": any(
            isinstance(c, Credits) and c.pack is not None for c in terms.components
        ),
        "credits_consent": credits_consent,
        "outcomes": outcomes,
        "attribution": attribution,
        "records": _record_terms(terms, f),
        "auditor": auditor,
        "escalations": escalations,
        "escalator_lead": _escalator_lead(terms, f) if terms.escalations else "",
        "has_escalation": bool(terms.escalations),
        "discounts": discount_lines(terms, f),
        "discount_notes": {
            "usage": _discount_note(terms, [c for c in terms.components if _is_usage(c)], f),
            "credits": _discount_note(
                terms, [c for c in terms.components if isinstance(c, Credits)], f
            ),
            "outcomes": _discount_note(
                terms, [c for c in terms.components if isinstance(c, PerOutcome)], f
            ),
            "attribution": _discount_note(
                terms, [c for c in terms.components if isinstance(c, PercentOfValue)], f
            ),
        },
        "term_clause": _term_clause(terms, f),
        # Payment terms of 0 days are "due on receipt": never "within 0 days".
        "payment_sentence": f._(
            "Invoices are payable within %(days)s of the invoice date, in %(currency)s.",
            days=f.days(terms.payment_terms_days),
            currency=terms.currency,
        )
        if terms.payment_terms_days
        else f._(
            "Invoices are payable on the invoice date, in %(currency)s.", currency=terms.currency
        ),
        "price_protection": terms.price_protection,
        "terms_file": TERMS_FILE_NAME,
        "commitments": _commitments(terms, f),
        "year_labels": [f._("Year %(year)s", year=y.year) for y in terms.years],
        "price_table": sheet_table(sheet, f),
        # What the price table's note explains: only what the table shows.
        "price_table_notes": sheet_notes(sheet, f),
        "invoices": _invoices(terms, f),
        "invoice_columns": _invoice_columns(terms),
        "legal": {
            "agreement": legal.agreement,
            "agreement_reference": legal.agreement_reference,
            "order_form_prevails": legal.precedence == "order_form",
            # Not set (a seller outside the United States that gave none): a placeholder
            # no one can sign, never the shipped New York law; the clause is marked as
            # missing (the whole paragraph: WeasyPrint breaks a line wrongly around an
            # inline span at some widths) and the draft lists it to settle.
            "governing_law": legal.governing_law.strip()
            or f._("[governing law to be set by the seller]"),
            "venue": legal.venue.strip() or f._("[courts to be set by the seller]"),
            "jurisdiction_missing": bool(unset_jurisdiction(legal)),
            "has_agreement": bool(legal.agreement.strip()),
            "has_data_processing": bool(legal.data_processing.strip()),
            "liability_sentence": f._n(
                "Each party's total liability under this order form is limited to the fees paid "
                "and payable under it in the %(count)s month before the event giving rise to the "
                "claim, subject to the exceptions set out in the Agreement.",
                "Each party's total liability under this order form is limited to the fees paid "
                "and payable under it in the %(count)s months before the event giving rise to "
                "the claim, subject to the exceptions set out in the Agreement.",
                legal.liability_cap_months,
                count=f.number(legal.liability_cap_months),
            )
            if legal.agreement.strip()
            # No agreement to hold the exceptions: the cap says its own.
            else f._n(
                "Each party's total liability under this order form is limited to the fees paid "
                "and payable under it in the %(count)s month before the event giving rise to the "
                "claim, except liability that the law does not allow to be limited.",
                "Each party's total liability under this order form is limited to the fees paid "
                "and payable under it in the %(count)s months before the event giving rise to "
                "the claim, except liability that the law does not allow to be limited.",
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
            # The document's title and what follows it in brackets, so that a language that
            # quotes the title („…“, «…») quotes the title alone.
            "service_levels_title": sla_title,
            "service_levels_detail": sla_detail,
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
            "no_convenience_sentence": _no_convenience(terms, f),
            "breach_consequences": _breach_consequences(terms, f),
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
        "invoices_to": _invoices_to(terms.customer, billing_address),
        "audit": _audit(terms, f) if _audited(terms) else [],
        "customer_address": customer_address,
        "customer_billing_address": billing_address,
        # Who signs, under each signature line; nothing when not given (the draft lists it
        # under "To settle before signature", a final order form is refused).
        "seller_signs": _signs(terms.seller, f),
        "customer_signs": _signs(terms.customer, f),
        **_seller_signed(meta, f),
        "problems": document_problems(view, f),
    }


def _seller_signed(meta: ViewMeta, f: Formatter) -> dict[str, str]:
    """The seller's signature in the document's language, when the PDF is rendered to be
    signed: who and when on the seller's line ("Signed electronically by Acme AI on
    December 1, 2026 at 04:46 UTC"), and the date on the seller's Date line. The
    customer's Date line stays blank for them to fill."""
    signing = meta.seller_signing
    if signing is None:
        return {"seller_signed": "", "seller_date": ""}
    at = signing.at.astimezone(dt.UTC)
    return {
        "seller_signed": f._(
            "Signed electronically by %(signer)s on %(date)s at %(time)s UTC",
            signer=signing.signer,
            date=f.date(at.date()),
            time=at.strftime("%H:%M"),
        ),
        "seller_date": f._("Date: %(date)s", date=f.date(at.date())),
    }
