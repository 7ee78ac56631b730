"""The order form a procurement lawyer can sign: the seller's legal frame, clauses that
agree with each other and with the price, committed quantities, prices by contract year,
the invoice schedule, estimates labelled, dates checked."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from quote_builder.documents import RenderRefusedError, render_pdf
from quote_builder.documents.viewmodel import customer_view
from quote_builder.pricing import QuoteDocument, price
from quote_builder.pricing.document import Discount
from quote_builder.pricing.legal import LegalFrame, LegalOverrides, merged_frame
from quote_builder.pricing.terms import terms_problems, terms_warnings

from .conftest import example, pdf_text, request_for


def squash(text: str) -> str:
    return " ".join(text.split())


def contract_text(doc: QuoteDocument, tmp_path: Path, **overrides: object) -> str:
    result = render_pdf(request_for(doc, **overrides), "contract")
    return squash(" ".join(pdf_text(result.pdf, tmp_path)))


def with_contract(doc: QuoteDocument, **changes: object) -> QuoteDocument:
    return doc.model_copy(update={"contract": doc.contract.model_copy(update=changes)})


# --- the legal frame ---------------------------------------------------------------------


def test_overrides_have_every_field_of_the_frame() -> None:
    assert set(LegalOverrides.model_fields) == set(LegalFrame.model_fields)


def test_a_quote_overrides_the_sellers_frame_field_by_field() -> None:
    frame = LegalFrame(governing_law="the laws of England and Wales", retention_days=60)
    merged = merged_frame(
        frame, LegalOverrides(venue="the courts of London, England", agreement="  ")
    )
    assert merged.governing_law == "the laws of England and Wales"  # from the settings
    assert merged.venue == "the courts of London, England"  # from the quote
    assert merged.agreement == "Master Subscription Agreement"  # a blank keeps the default
    assert merged.retention_days == 60


def test_the_legal_frame_is_printed_and_signed(tmp_path: Path) -> None:
    frame = LegalFrame(
        agreement="Terms of Service",
        agreement_reference="https://acme-ai.example/terms, version 4",
        governing_law="the laws of England and Wales",
        venue="the courts of London, England",
        customer_data_trains_models=False,
        model_providers="Anthropic (model provider, United States); AWS (hosting, Ireland)",
        termination_for_convenience=True,
        convenience_notice_days=60,
        seller_notices="Legal, 1 Market Street, London; legal@acme-ai.example",
    )
    doc = example("platform_usage_analytics.json")
    text = contract_text(doc, tmp_path, legal=frame)
    for printed in (
        "governed by our Terms of Service (https://acme-ai.example/terms, version 4)",
        "this order form prevails for this order",
        "governed by the laws of England and Wales",
        "the courts of London, England",
        "is not used to train or fine-tune any model",
        "Anthropic (model provider, United States); AWS (hosting, Ireland)",
        "terminate it for convenience on 60 days' written notice",
        "in the 12 months before the event",
        "Legal, 1 Market Street, London; legal@acme-ai.example",
        'Customer ("you")',
    ):
        assert printed in text, printed
    # The frame is part of what is signed: another frame gives another fingerprint.
    base = customer_view(request_for(doc)).terms_hash
    assert customer_view(request_for(doc, legal=frame)).terms_hash != base


# --- clauses agree with each other and with the price ------------------------------------


def test_disputes_sent_to_an_auditor_must_name_one(tmp_path: Path) -> None:
    doc = example("outcome_contingent_sales.json")  # its dispute process names an auditor
    named = customer_view(request_for(doc)).terms
    assert terms_problems(named) == []
    assert "Harbor & Pike Revenue Assurance LLP" in contract_text(doc, tmp_path)
    unnamed = with_contract(doc, legal=None)
    problems = terms_problems(customer_view(request_for(unnamed)).terms)
    assert len(problems) == 1 and "independent auditor, but none is named" in problems[0]
    with pytest.raises(RenderRefusedError, match="not ready to sign: .*none is named"):
        render_pdf(request_for(unnamed, final=True, status="approved"))
    draft = contract_text(unnamed, tmp_path)
    assert "To settle before signature" in draft and "none is named" in draft


def test_no_fixed_fee_above_a_minimum_commitment_says_so(tmp_path: Path) -> None:
    text = contract_text(example("outcome_based_support.json"), tmp_path)
    assert "There are no fixed fees" not in text
    assert "you commit to the minimum spend" in text and "$10,000.00 per month" in text


def test_an_audit_can_still_lead_to_a_credit_after_the_dispute_window(tmp_path: Path) -> None:
    text = contract_text(example("outcome_based_support.json"), tmp_path)
    assert "undisputed outcomes are then final, except that an error an audit finds is" in text


@pytest.mark.parametrize(("term", "mentions_increase"), [(12, False), (24, True)])
def test_price_protection_mentions_an_increase_only_when_there_is_one(
    term: int, mentions_increase: bool, tmp_path: Path
) -> None:
    doc = example("platform_usage_analytics.json").model_copy(update={"term_months": term})
    assert doc.escalator_percent  # 5 %: on a 12-month deal it never applies
    text = contract_text(doc, tmp_path)
    assert ("except for the annual increase above" in text) is mentions_increase
    assert ("Annual price increase" in text) is mentions_increase


def test_a_monthly_minimum_on_quarterly_invoices_says_when_it_is_billed(tmp_path: Path) -> None:
    doc = example("outcome_based_support.json")
    assert doc.billing_frequency == "quarterly"
    text = contract_text(doc, tmp_path)
    assert "with the last invoice of each commitment period" not in text
    assert (
        "measured over each month of the term; a shortfall is invoiced in arrears with the "
        "charges of the quarterly billing period that contains the month" in text
    )
    # ... which is where the engine bills it: the true-up lines are arrears lines.
    first = price(doc).periods[0]
    assert [line.in_arrears for line in first.lines if line.kind == "true_up"] == [True]


def test_credit_packs_need_consent_or_a_cap(tmp_path: Path) -> None:
    doc = example("seats_credits_coding_team.json")
    text = contract_text(doc, tmp_path)
    assert "We add no extra credits without your consent in writing (email is enough)" in text
    capped = with_contract(doc, extra_credit_cap_per_month=Decimal("600"))
    text = contract_text(capped, tmp_path)
    assert "we add extra credits automatically up to $600.00 a month" in text


def test_the_credits_clause_says_who_shares_them_and_what_uses_them(tmp_path: Path) -> None:
    """The seats list AI features the credits do not name (a buyer's lawyer asked what an
    unnamed one costs): the clause says the balance is shared and only the actions it names
    use credits; and extra credits are invoiced with their billing period's usage (the
    example bills once a year, "the month's usage" said otherwise)."""
    doc = example("seats_credits_coding_team.json")
    assert doc.billing_frequency != "monthly"
    text = " ".join(contract_text(doc, tmp_path).split())
    assert (
        "Your credits are one balance for all your users; only the actions named above use "
        "credits." in text
    )
    assert "invoiced in arrears with the usage of the billing period they fall in" in text
    assert "the month's usage" not in text


# --- what the price assumes, the contract commits ------------------------------------------


def test_a_seat_ramp_is_committed_in_the_order_form(tmp_path: Path) -> None:
    doc = example("seats_credits_coding_team.json")  # 40 seats, then 60 from year 2
    pdf = render_pdf(request_for(doc), "contract").pdf
    layout = "\n".join(pdf_text(pdf, tmp_path, layout=True))
    assert "Committed quantities" in layout
    assert re.search(r"Team seats\s+40\s+60\n", layout)
    terms = customer_view(request_for(doc)).terms
    assert [y.seats["seats"] for y in terms.years] == [40, 60]


def test_price_table_years_add_up_to_the_engine(tmp_path: Path) -> None:
    for name in ("platform_usage_analytics.json", "seats_credits_coding_team.json"):
        doc = example(name)
        priced = price(doc)
        terms = customer_view(request_for(doc)).terms
        for year in priced.years:
            lines = [line for line in terms.price_table if line.year == year.year]
            amounts = [
                line.amount for line in lines if line.amount is not None and line.kind != "detail"
            ]
            # component amounts (list) less the discounts = what the year costs
            assert sum(amounts, Decimal(0)) == year.revenue, (name, year.year)
            # and each component's parts add up to its amount (detail lines carry amounts)
            for line in lines:
                if line.kind == "component":
                    parts = [
                        part.amount or Decimal(0)
                        for part in lines
                        if part.kind == "detail" and part.component_id == line.component_id
                    ]
                    assert not parts or sum(parts, Decimal(0)) == line.amount, line.label
        assert sum((i.total for i in terms.invoices), Decimal(0)) == priced.tcv


def test_escalated_unit_prices_in_the_table_are_the_billed_ones(tmp_path: Path) -> None:
    doc = example("platform_usage_analytics.json")  # overage 0.40, 5 % a year
    terms = customer_view(request_for(doc)).terms
    overage = [
        line.unit_price for line in terms.price_table if line.label == "Overage"
    ]  # year 1, 2, 3
    assert overage == [Decimal("0.40"), Decimal("0.42"), Decimal("0.44")]  # 0.441 -> 0.44
    text = contract_text(doc, tmp_path)
    assert "Year 3: January 1, 2029 to December 31, 2029" in text and "$0.44" in text


def test_invoice_schedule_lists_every_billing_period(tmp_path: Path) -> None:
    doc = example("platform_usage_analytics.json")  # quarterly over 36 months
    terms = customer_view(request_for(doc)).terms
    assert len(terms.invoices) == 12
    first = terms.invoices[0]
    # 2,500 onboarding + 3 x 1,500 platform in advance; 3 x 1,000 x 0.40 in arrears;
    # 10 % x (4,500 + 1,200) off
    assert (first.in_advance, first.in_arrears, first.discounts, first.total) == (
        Decimal("7000.00"),
        Decimal("1200.00"),
        Decimal("-570.00"),
        Decimal("7630.00"),
    )
    text = contract_text(doc, tmp_path)
    assert "Invoice schedule" in text and "7,630.00" in text


# --- estimates and dates -------------------------------------------------------------------


def test_value_figures_are_labelled_estimates_with_their_assumptions(tmp_path: Path) -> None:
    doc = example("platform_usage_analytics.json")
    text = squash(" ".join(pdf_text(render_pdf(request_for(doc), "proposal").pdf, tmp_path)))
    for label in ("Value in year 1 (est.)", "Your savings (est.)", "Return (est.)"):
        assert label.upper() in text  # the KPI labels are set in capitals
    assert "are estimates, not commitments: they rest on 36,000 queries in year 1" in text
    assert "15 minutes saved at a loaded rate of $75.00 an hour (the figures you gave us)" in text


def test_a_start_before_the_issue_date_is_warned_about() -> None:
    doc = example("platform_usage_analytics.json")  # starts 2027-01-01
    on_time = render_pdf(request_for(doc, issued=dt.date(2026, 12, 1)), "contract")
    assert on_time.warnings == []
    late = render_pdf(request_for(doc, issued=dt.date(2027, 2, 1)), "contract")
    assert late.warnings == [
        "the start date (2027-01-01) is before the issue date (2027-02-01): the term would "
        "start before the order form is signed; check the start date"
    ]
    assert terms_warnings(customer_view(request_for(doc, issued=dt.date(2027, 2, 1))).terms)


def test_a_draft_lists_a_start_before_its_date_under_to_settle(tmp_path: Path) -> None:
    """The reviewer's back-dated term: the rep was warned on the command line, but the draft
    a signer reads said nothing; it now lists the dates under "To settle before signature"
    in the document's language. A final order form is not refused for it (a back-dated
    renewal can be meant)."""
    doc = example("platform_usage_analytics.json")  # starts 2027-01-01
    on_time = contract_text(doc, tmp_path, issued=dt.date(2026, 12, 1), final=False)
    assert "before the order form's date" not in on_time
    late = contract_text(doc, tmp_path, issued=dt.date(2027, 2, 1), final=False)
    assert (
        "The subscription starts on January 1, 2027, before the order form's date "
        "(February 1, 2027): the term would start before it is signed." in late
    )
    expired = contract_text(
        doc,
        tmp_path,
        issued=dt.date(2027, 2, 1),
        valid_until=dt.date(2027, 1, 15),
        final=False,
        language="de",
        locale="de_DE",
    )
    assert (
        "Das Angebot ist am 15. Januar 2027 abgelaufen, vor dem Datum des Bestellformulars."
        in expired
    )
    assert "Das Abonnement beginnt am 1. Januar 2027, vor dem Datum des Bestellformulars" in expired
    final = render_pdf(request_for(doc, issued=dt.date(2027, 2, 1), final=True), "contract")
    assert "before the order form's date" not in squash(" ".join(pdf_text(final.pdf, tmp_path)))


def test_a_discount_past_the_term_is_printed_within_it(tmp_path: Path) -> None:
    """A 48-month discount on a 36-month term read as a discount carried into the renewal
    (the renewal clause says nothing else changes); the engine prices the term's months
    only, and the documents now say what it prices."""
    doc = example("platform_usage_analytics.json")
    assert doc.term_months == 36
    whole = Discount(description="Launch discount", percent=Decimal("25"), months=48)
    late = Discount(
        description="Second-year discount", percent=Decimal("5"), start_month=13, months=48
    )
    doc = doc.model_copy(update={"discounts": [whole, late]})
    warnings = [w for w in price(doc).warnings if w.code == "DISCOUNT_PAST_TERM"]
    assert [w.message for w in warnings] == [
        "'Launch discount' runs for 48 months from month 1, past the term's end (month 36): "
        "only its 36 months within the term are priced and printed; a discount on a renewal is "
        "agreed then.",
        "'Second-year discount' runs for 48 months from month 13, past the term's end (month "
        "36): only its 24 months within the term are priced and printed; a discount on a "
        "renewal is agreed then.",
    ]
    terms = customer_view(request_for(doc)).terms
    # 36 - 1 + 1 = 36 months: the whole term; 36 - 13 + 1 = 24 months from month 13
    assert [(d.start_month, d.months) for d in terms.discounts] == [(1, None), (13, 24)]
    text = contract_text(doc, tmp_path)
    assert "48 months" not in text
    assert (
        "Launch discount: 25.00% off all fees except one-time fees (usage-based fees included), "
        "for the whole term." in text
    )
    assert (
        "Second-year discount: 5.00% off all fees except one-time fees (usage-based fees "
        "included), in months 13 to 36 of the term." in text
    )
    # Within the term nothing changes: the clamped discounts price as the originals did.
    same = doc.model_copy(update={"discounts": list(terms.discounts)})
    assert price(same).tcv == price(doc).tcv


def test_every_document_has_a_valid_until_date(tmp_path: Path) -> None:
    doc = example("platform_usage_analytics.json")
    req = request_for(doc, issued=dt.date(2026, 12, 1), valid_until=None)
    assert customer_view(req).terms.valid_until == dt.date(2026, 12, 31)  # 30 days
    for kind in ("proposal", "contract"):
        text = squash(" ".join(pdf_text(render_pdf(req, kind).pdf, tmp_path)))  # type: ignore[arg-type]
        assert "December 31, 2026" in text and ("Valid until" in text or "valid until" in text)
    shorter = request_for(doc, issued=dt.date(2026, 12, 1), legal=LegalFrame(offer_valid_days=10))
    assert customer_view(shorter).terms.valid_until == dt.date(2026, 12, 11)


def test_a_whole_year_discount_shows_its_percent_and_net_unit_price(tmp_path: Path) -> None:
    doc = example("platform_usage_analytics.json")
    extra = Discount(description="Multi-year discount", percent=Decimal("10"))
    doc = doc.model_copy(update={"discounts": [*doc.discounts, extra]})
    terms = customer_view(request_for(doc)).terms
    platform = [
        line for line in terms.price_table if line.label == "Platform fee" and line.year == 2
    ][0]
    # 1,500 x 1.05 = 1,575.00 list; 10 % off the whole year: 1,417.50 net
    assert (platform.unit_price, platform.discount_percent, platform.net_unit_price) == (
        Decimal("1575.00"),
        Decimal("10"),
        Decimal("1417.50"),
    )
    layout = "\n".join(
        pdf_text(render_pdf(request_for(doc), "contract").pdf, tmp_path, layout=True)
    )
    # The line total is what the year costs: 12 x 1,417.50 = 17,010.00, not the list amount
    # 18,900.00 above a separate discount line (which a buyer read as what they pay).
    assert re.search(
        r"Platform fee\s+12 months\s+\$1,575\.00\s+10\.00%\s+\$1,417\.50\s+17,010\.00", layout
    )
    assert "18,900.00" not in layout and "Less:" not in layout


def test_a_discount_without_a_name_of_its_own_is_named_in_the_document_s_language(
    tmp_path: Path,
) -> None:
    """The rep's French proposal read "Remises • Discount : 30,00 %" and "Remises comprises
    dans ces totaux de ligne : Discount 8 280,00": the guided flow's default name, the app's
    word, printed in English. A name the rep wrote stays as written."""
    doc = example("platform_usage_analytics.json")
    unnamed = Discount(percent=Decimal("10"))
    assert unnamed.description == "Discount"
    named = Discount(description="Pilot discount", percent=Decimal("5"), months=6)
    doc = doc.model_copy(update={"discounts": [unnamed, named]})
    text = contract_text(doc, tmp_path, language="fr", locale="fr_FR")
    assert "Discount" not in text.replace("Pilot discount", "")
    assert (
        "Remise : pendant toute la durée, une remise de 10,00 % sur tous les frais sauf les frais "
        "uniques (frais liés à l'utilisation compris)." in text
    )
    assert "Remises comprises dans ces totaux de ligne : Remise 2 280,00 ; Pilot discount" in text
    assert "Pilot discount : pendant les 6 premiers mois de la durée, une remise de 5,00 %" in text
    english = contract_text(doc, tmp_path)
    assert (
        "Discount: 10.00% off all fees except one-time fees (usage-based fees included), for the "
        "whole term." in english
    )
