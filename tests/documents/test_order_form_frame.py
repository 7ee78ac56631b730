"""The order form's frame as a buyer's lawyer reads it (legal1): the agreement it sits
under (or that there is none, and what governs then), where invoices and notices go, who
owns the AI's output and what is (not) warranted of it, and the usage audit: who pays the
auditor, and what a finding below a committed minimum changes. Each is read in the PDF's
text, as a prospect reads it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from quote_builder.documents import render_pdf
from quote_builder.pricing.languages import DEFAULT_LOCALES
from quote_builder.pricing.legal import LegalFrame
from quote_builder.services.settings import _check_legal_frame

from .conftest import example, pdf_text, request_for


def text_of(pdf: bytes, tmp_path: Path) -> str:
    return " ".join(" ".join(pdf_text(pdf, tmp_path)).split())


def contract(name: str, tmp_path: Path, **overrides: object) -> str:
    return text_of(render_pdf(request_for(example(name), **overrides), "contract").pdf, tmp_path)


def clause(text: str, title: str, following: str) -> str:
    """The words of one clause: from its numbered title to the next clause's."""
    match = re.search(rf"\d+\. {re.escape(title)} (.*?) \d+\. {re.escape(following)}", text)
    assert match, f"no clause {title!r} followed by {following!r}"
    return match.group(1)


# --- 1. the agreement it sits under ------------------------------------------------------


def test_the_order_form_names_the_agreement_its_version_and_the_dpa(tmp_path: Path) -> None:
    text = contract("platform_usage_analytics.json", tmp_path, legal=LegalFrame())
    head = clause(text, "Agreement and order of precedence", "Term, renewal and notice")
    assert 'governed by our Master Subscription Agreement (the "Agreement")' in head
    # Without a date, version or URL the Agreement is still one document, not whatever the
    # seller publishes later.
    assert "its version in force on the date of this order form" in head
    assert "a later version applies to this order only if you accept it in writing" in head
    assert "Our Data Processing Addendum is part of the Agreement" in head
    referenced = contract(
        "platform_usage_analytics.json",
        tmp_path,
        legal=LegalFrame(agreement_reference="https://acme-ai.example/msa, version 4"),
    )
    head = clause(referenced, "Agreement and order of precedence", "Term, renewal and notice")
    assert "Master Subscription Agreement (https://acme-ai.example/msa, version 4)" in head
    assert "A later version of the Agreement applies to this order only if you accept" in head
    assert "version in force" not in head


def test_without_a_master_agreement_or_dpa_the_order_form_says_what_governs(
    tmp_path: Path,
) -> None:
    frame = LegalFrame(agreement="", data_processing="", governing_law="the laws of Ireland")
    text = contract("platform_usage_analytics.json", tmp_path, legal=frame)
    head = clause(text, "Entire agreement", "Term, renewal and notice")
    assert "No master agreement applies to this order" in head
    assert "is the entire agreement between the parties for it" in head
    assert "governed by the law named under “Governing law and disputes”" in head
    assert "governed by the laws of Ireland" in text
    # No clause leans on an Agreement that does not exist, nor on a DPA.
    assert "Agreement" not in text.replace("Service Level Agreement", "")
    assert "No separate data processing agreement applies" in text
    assert "on your documented instructions" in text
    assert "We give you the list of our sub-processors and AI model providers on request" in text
    assert "except liability that the law does not allow to be limited" in text


def test_the_settings_keep_a_blank_agreement_as_none_and_a_blank_law_as_not_given() -> None:
    kept = LegalFrame.model_validate_json(
        _check_legal_frame({"agreement": "", "data_processing": "", "governing_law": ""})
    )
    assert kept.agreement == "" and kept.data_processing == ""
    assert "governing_law" not in kept.model_fields_set  # blank: not given, as before
    assert LegalFrame.model_validate_json(_check_legal_frame({})).agreement == (
        "Master Subscription Agreement"
    )


# --- 2. where invoices and notices go ----------------------------------------------------


def test_invoices_and_notices_go_to_the_billing_contact_not_only_the_signatory(
    tmp_path: Path,
) -> None:
    doc = example("platform_usage_analytics.json")
    base = request_for(doc)
    customer = dataclasses.replace(base.customer, email="ap@buyer.example")
    text = contract("platform_usage_analytics.json", tmp_path, customer=customer)
    notices = clause(text, "Notices", "Signatures")
    assert "Invoices to you ap@buyer.example" in notices
    assert "Notices to you Friedrichstrasse 10, 10117 Berlin, ap@buyer.example" in notices
    assert "not only to the person who signs this order form" in notices
    # Formal notices sent elsewhere: invoices still go to the billing email.
    legal = LegalFrame(customer_notices="General Counsel, legal@buyer.example")
    text = contract("platform_usage_analytics.json", tmp_path, customer=customer, legal=legal)
    notices = clause(text, "Notices", "Signatures")
    assert "Invoices to you ap@buyer.example" in notices
    assert "Notices to you General Counsel, legal@buyer.example" in notices
    # No billing email: the billing address.
    text = contract("platform_usage_analytics.json", tmp_path)
    assert "Invoices to you Friedrichstrasse 10, 10117 Berlin" in clause(
        text, "Notices", "Signatures"
    )


# --- 3. AI output ------------------------------------------------------------------------


@pytest.mark.parametrize("trains", [False, True])
def test_the_customer_owns_its_output_and_reviews_it(tmp_path: Path, trains: bool) -> None:
    legal = LegalFrame(customer_data_trains_models=trains)
    text = contract("seats_ai_tiers_coding_individual.json", tmp_path, legal=legal)
    output = clause(text, "AI output", "Service levels, liability and confidentiality")
    assert "you own your inputs and your output" in output
    assert "we do not warrant that output is error-free" in output
    assert "You review output before you rely on it" in output
    # Our use of it is the data clause's, which says whether data trains models: one rule.
    assert "as set out under “Data protection and AI data use”" in output
    assert "Data protection and AI data use" in text.split("AI output")[0]


# --- 4. the usage audit ------------------------------------------------------------------


def test_the_audit_says_who_pays_the_auditor_and_keeps_the_minimum(tmp_path: Path) -> None:
    text = contract("outcome_based_support.json", tmp_path)
    audit = clause(text, "Usage audit", "Price protection")
    assert "An audit is at your cost, your auditor's fees included" in audit
    assert "overcharged you by more than 5% of the fees invoiced for the audited period" in audit
    assert "we also reimburse your auditor's reasonable fees" in audit
    assert "below a minimum commitment under “Minimum commitment and true-up”" in audit
    assert "the minimum still applies to that period" in audit
    assert "nothing below the minimum is refunded" in audit
    # The clause it names is in this order form, with the minimum it keeps.
    assert re.search(r"\d+\. Minimum commitment and true-up ", text)
    assert "$10,000.00 per month" in text


def test_committed_seats_are_not_reduced_by_an_audit(tmp_path: Path) -> None:
    text = contract("seats_credits_coding_team.json", tmp_path)
    audit = clause(text, "Usage audit", "Annual price increase")
    assert "Committed seats under “Committed quantities” are due whether or not" in audit
    assert "minimum commitment" not in audit  # this deal has none
    # Seats alone: nothing is billed on usage records, so there is no audit clause.
    assert "Usage audit" not in contract("seats_ai_tiers_coding_individual.json", tmp_path)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", ("Prüfung der Nutzung", "KI-Ausgaben", "Rechnungen an Sie", "Mindestabnahme")),
        ("fr", ("Audit de l'utilisation", "Résultats de l'IA", "Factures à votre attention")),
        ("es", ("Auditoría del uso", "Resultados de la IA", "Facturas a usted")),
        ("ja", ("利用状況の監査", "AIの出力", "お客様への請求書送付先")),
    ],
)
def test_the_new_clauses_are_written_in_each_language(
    tmp_path: Path, language: str, words: tuple[str, ...]
) -> None:
    request = dataclasses.replace(
        request_for(example("outcome_based_support.json")),
        language=language,
        locale=DEFAULT_LOCALES[language],
    )
    text = text_of(render_pdf(request, "contract").pdf, tmp_path)
    for word in words:
        assert word in text, word
    assert "Usage audit" not in text and "AI output" not in text


def test_the_audit_clause_is_not_split_across_a_half_empty_page(tmp_path: Path) -> None:
    """Single-paragraph clauses kept with the next clause's heading chained into one block
    that could not break, so the audit paragraph was split 3 / 3 lines across a page left
    half empty (the Japanese seats and credits order form)."""
    request = dataclasses.replace(
        request_for(example("seats_credits_coding_team.json")), language="ja", locale="ja_JP"
    )
    pages = pdf_text(render_pdf(request, "contract").pdf, tmp_path)
    first = "監査人をお客様が選任し"
    last = "確定シート数は減りません"
    holding = [i for i, page in enumerate(pages) if first in "".join(page.split())]
    assert holding and last in "".join(pages[holding[0]].split())
    # Nor does the clause after it leave half a page empty: the chain of one-paragraph
    # clauses (price increase, price protection, payment) breaks between clauses. Five
    # pages since the price tables break between their rows (six when each year's table
    # moved whole to a new page).
    assert len(pages) == 5
