"""The order form speaks only of what the deal has, and its outcome and attribution terms
say who measures, on what data, how a dispute is settled, who pays the auditor and what
happens to the invoice meanwhile (walk1: the CFO, the buyer's lawyer and the deal desk read
every example's documents).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quote_builder.documents import render_pdf
from quote_builder.pricing import QuoteDocument, load_quote

from .conftest import ROOT, example, pdf_text, request_for
from .test_buyer_counsel import contract, proposal, section, spaced

# --- the annual increase names only the fees the deal has that do not rise ----------------


def _increase(doc: QuoteDocument, language: str = "en") -> str:
    text = spaced(contract(doc, language))
    headings = {
        "en": ("Annual price increase", "Price protection"),
        "de": ("Jährliche Preiserhöhung", "Preisschutz"),
        "fr": ("Hausse annuelle des prix", "Garantie de prix"),
        "es": ("Subida anual de precios", "Garantía de precios"),
        "ja": ("年間価格改定", "価格保証"),
    }[language]
    heading, following = headings
    # The clause's heading is the last before the next clause's (the price table's note
    # names the increase too).
    end = text.index(following)
    return text[text.rindex(heading, 0, end) : end]


def test_a_seats_only_increase_clause_names_no_exception() -> None:
    """Seats alone (the euro example): every price rises; the clause read "(other than
    one-time fees, value shares, per-transaction fees and minimum commitments)", none of
    which the deal has."""
    text = _increase(example("eur_reverse_charge_germany.json"))
    assert "Unit prices increase by 4.0% at the start of each contract year" in text
    for word in ("other than", "value shares", "per-transaction", "minimum commitment"):
        assert word not in text
    german = _increase(example("eur_reverse_charge_germany.json"), "de")
    assert "Die Stückpreise erhöhen sich" in german
    assert "außer" not in german and "Wertanteil" not in german


def test_the_increase_clause_names_the_deal_s_own_exceptions() -> None:
    """Per outcome with a monthly minimum: the minimum does not rise and is named; value
    shares, one-time and per-transaction fees are not in the deal and are not named."""
    text = _increase(example("outcome_based_support.json"))
    assert "Unit prices (other than minimum commitments) increase by 4.0%" in text
    assert "value shares" not in text and "one-time" not in text
    assert "per-transaction" not in text
    # A one-time fee (onboarding) alone.
    platform = _increase(example("platform_usage_analytics.json"))
    assert "Unit prices (other than one-time fees) increase by 5.0%" in platform


@pytest.mark.parametrize(
    ("language", "words", "absent"),
    [
        ("de", "Die Stückpreise (außer Mindestabnahmen) erhöhen sich", "Wertanteil"),
        ("fr", "Les prix unitaires (hors engagements minimums) augmentent", "parts de valeur"),
        ("es", "Los precios unitarios (salvo los compromisos mínimos) aumentan", "valor"),
        ("ja", "単価（最低利用額を除く）は", "価値連動料金"),
    ],
)
def test_the_increase_clause_s_exceptions_are_translated(
    language: str, words: str, absent: str
) -> None:
    text = _increase(example("outcome_based_support.json"), language)
    assert words in text
    assert absent not in text


# --- outcome and attribution terms a lawyer can sign ------------------------------------------


def _outcomes(doc: QuoteDocument, language: str = "en", **overrides: object) -> str:
    text = spaced(contract(doc, language, **overrides))
    headings = {
        "en": ("Outcome definitions and measurement", "Usage audit"),
        "de": ("Ergebnisdefinitionen und Messung", "Prüfung der Nutzung"),
        "ja": ("成果の定義および測定", "利用状況の監査"),
    }[language]
    end = text.rindex(headings[1])
    return text[text.rindex(headings[0], 0, end) : end]


def test_the_outcome_clause_says_who_measures_and_on_what_data() -> None:
    text = _outcomes(example("outcome_based_support.json"))
    assert (
        "Measurement We count the outcomes of each billing period from the verification "
        "evidence above and classify each as successful or not by the success criteria; only "
        "successful outcomes are invoiced." in text
    )
    assert "give you the record behind an invoice on request" in text


def test_the_outcome_audit_rights_say_how_they_sit_with_the_usage_audit() -> None:
    """The rep's quarterly sample audit and the usage audit's once a contract year read as
    two rights, and the sample audit's auditor is paid by the usage audit's rule."""
    text = _outcomes(example("outcome_based_support.json"))
    assert (
        "These rights are in addition to those under “Usage audit”, whose rule on who pays "
        "the auditor's fees applies to them too." in text
    )
    # Without the rep's audit terms the row refers to the usage audit instead of repeating
    # it (it said "once a year", the usage audit "once a contract year").
    doc = example("outcome_based_support.json")
    bare = doc.model_copy(
        update={
            "components": [
                c.model_copy(update={"terms": c.terms.model_copy(update={"audit_rights": ""})})
                if hasattr(c, "price_per_outcome")
                else c
                for c in doc.components
            ]
        }
    )
    plain = _outcomes(bare)
    assert "You may have the outcome records behind any invoice audited as set out under" in plain
    assert "once a year" not in plain


def test_an_outcome_dispute_says_how_it_is_raised_settled_and_what_the_invoice_does() -> None:
    text = _outcomes(example("outcome_based_support.json"))
    assert "by written notice naming the outcomes you dispute and why" in text
    # No auditor named: an unsettled dispute goes to the courts' clause, not nowhere.
    assert (
        "A dispute the parties cannot settle within 30 days of its notice is settled as set "
        "out under “Governing law and disputes”." in text
    )
    assert (
        "While an amount is disputed, you pay the rest of the invoice when it is due and may "
        "withhold the disputed amount, which bears no late interest and is no ground for "
        "suspension meanwhile." in text
    )
    assert "you pay what was invoiced rightly within 30 days of the settlement" in text


def test_the_dispute_auditor_s_fees_are_shared_by_what_its_finding_goes_against() -> None:
    """The attribution's rep text sends an unresolved dispute to the independent auditor;
    the order form said nothing of who pays it."""
    text = spaced(contract(example("outcome_contingent_sales.json")))
    clause = section(text, "Value attribution", "Usage audit")
    assert (
        "The independent auditor's fees for a dispute are shared between the parties in "
        "proportion to the part of the disputed amount its finding goes against each of them."
        in clause
    )
    assert "Measurement We calculate each month's attributed value by the method above" in clause
    assert "While an amount is disputed" in clause
    law = section(text, "Governing law and disputes", "Notices")
    # It read "A dispute about outcome or attribution records is settled by the process set
    # out above": the deal has no outcomes, and "above" named no clause.
    assert "outcome" not in law
    assert (
        "A dispute about attribution records is settled as set out under “Value attribution”" in law
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", "Solange ein Betrag streitig ist, zahlen Sie den übrigen Rechnungsbetrag"),
        ("ja", "金額に異議がある間、お客様は請求書の残額を支払期日までに支払い"),
    ],
)
def test_the_dispute_terms_are_translated(language: str, words: str) -> None:
    assert words in _outcomes(example("outcome_based_support.json"), language)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        # German needs the dative: "innerhalb von 30 Tage" was the counted phrase put inside.
        ("de", "innerhalb von 30 Tagen nach der Beilegung"),
        ("fr", "dans un délai de 30 jours à compter du règlement"),
        ("es", "en un plazo de 30 días desde la resolución"),
        ("ja", "解決から30日以内に支払う"),
        ("en", "within 30 days of the settlement"),
    ],
)
def test_the_days_to_pay_after_a_dispute_read_as_the_language_writes_them(
    language: str, words: str
) -> None:
    assert words in spaced(contract(example("outcome_based_support.json"), language))


def test_an_order_for_seats_speaks_of_no_outcome_records_though_an_auditor_is_named() -> None:
    data = json.loads((ROOT / "examples" / "eur_reverse_charge_germany.json").read_text())
    data.setdefault("contract", {}).setdefault("legal", {})["independent_auditor"] = (
        "Harbor & Pike LLP"
    )
    text = spaced(contract(load_quote(json.dumps(data))))
    law = section(text, "Governing law and disputes", "Notices")
    assert "records" not in law and "Harbor & Pike" not in law


# --- billing words name only what the deal bills ----------------------------------------------


def test_an_outcome_deal_without_a_fixed_fee_is_billed_in_arrears_by_its_own_words() -> None:
    """Outcomes with a monthly minimum and no fixed fee: the fees clause said "fixed fees in
    advance, usage, outcomes and true-ups in arrears" and then "There is no fixed
    subscription fee"; the audit spoke of usage records."""
    text = spaced(contract(example("outcome_based_support.json")))
    fees = section(text, "Fees and billing", "Prices by contract year")
    assert (
        "Fees are in USD and invoiced quarterly in arrears for the period just ended "
        "(outcomes and true-ups)." in fees
    )
    assert "fixed fees in advance" not in fees and "usage," not in fees
    invoices = section(text, "Invoice schedule", "Billing period")
    assert "Every fee is invoiced in arrears on the day after its billing period ends" in invoices
    assert "Fixed fees" not in invoices
    audit = section(text, "Usage audit", "We credit an overcharge")
    assert "You may have the outcome records behind any invoice" in audit


def test_a_value_share_deal_names_its_share_and_its_records() -> None:
    text = spaced(contract(example("outcome_contingent_sales.json")))
    fees = section(text, "Fees and billing", "Prices by contract year")
    assert "fixed fees in advance, value-share fees in arrears for the period just ended" in fees
    assert "outcomes" not in fees and "true-ups" not in fees
    invoices = section(text, "Invoice schedule", "Billing period")
    assert "value-share fees in arrears on the day after it ends" in invoices
    audit = section(text, "Usage audit", "We credit an overcharge")
    assert "You may have the attribution records behind any invoice" in audit


def test_platform_and_usage_speak_of_usage_alone() -> None:
    text = spaced(contract(example("platform_usage_analytics.json")))
    fees = section(text, "Fees and billing", "Prices by contract year")
    assert "fixed fees in advance, usage in arrears for the period just ended" in fees
    audit = section(text, "Usage audit", "We credit an overcharge")
    assert "You may have the usage records behind any invoice" in audit
    assert "outcome" not in audit


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", "feste Gebühren im Voraus, Nutzung nachträglich für den abgelaufenen Zeitraum"),
        ("fr", "les frais fixes d'avance, l'utilisation à terme échu pour la période écoulée"),
        ("es", "las cuotas fijas por adelantado; el uso a período vencido"),
        ("ja", "固定料金は前払い、従量料金は終了した期間について後払いとします"),
    ],
)
def test_the_billing_words_are_translated(language: str, words: str) -> None:
    assert words in spaced(contract(example("platform_usage_analytics.json"), language))


def test_a_minimum_commitment_names_the_fees_that_count_toward_it() -> None:
    """The commitment applies to the outcome fee: the clause said "the usage fees"."""
    text = spaced(contract(example("outcome_based_support.json")))
    clause = section(text, "Minimum commitment and true-up", "Outcome definitions")
    assert "The spend that counts toward it is the fee for Resolved tickets, after discounts." in (
        clause
    )
    assert "usage fees" not in clause
    german = spaced(contract(example("outcome_based_support.json"), "de"))
    assert "Angerechnet wird die Gebühr für Gelöste Tickets nach Rabatten." in german


def test_a_shortfall_is_invoiced_with_the_period_s_charges_not_its_usage() -> None:
    """An order for outcomes said a shortfall is invoiced "with the usage of the quarterly
    billing period": it bills no usage. The period's charges, whatever the deal bills."""
    english = spaced(contract(example("outcome_based_support.json")))
    assert (
        "a shortfall is invoiced in arrears with the charges of the quarterly billing period"
        in english
    )
    assert "with the usage of the quarterly" not in english
    german = spaced(contract(example("outcome_based_support.json"), "de"))
    assert "nachträglich mit dessen Gebühren in Rechnung gestellt" in german
    assert "mit dessen Nutzung" not in german


def test_an_order_without_a_fixed_fee_says_so_without_naming_fees_it_does_not_have() -> None:
    """'There is no fixed subscription fee: charges follow your usage or outcomes' on every
    such order, whatever it bills: the sentence now points at the charges set out."""
    english = spaced(contract(example("outcome_based_support.json")))
    assert (
        "There is no fixed subscription fee: you pay the charges set out below, and you commit "
        "to the minimum spend" in english
    )
    assert "usage or outcomes" not in english
    german = spaced(contract(example("outcome_based_support.json"), "de"))
    assert "Es gibt keine feste Abonnementgebühr: Sie zahlen die nachstehend festgelegten" in german


def test_an_order_without_a_fixed_fee_has_no_column_of_blank_advance_amounts() -> None:
    text = spaced(contract(example("outcome_based_support.json")))
    schedule = section(text, "Invoice schedule", "Minimum commitment and true-up")
    assert "In advance" not in schedule
    assert "Billing period In arrears (est.) Total" in schedule
    assert "Total contract value $276,000.00" in schedule
    # With a fixed fee the column stays.
    sales = spaced(contract(example("outcome_contingent_sales.json")))
    assert "Billing period In advance In arrears (est.) Total" in sales


# --- the proposal's next steps ----------------------------------------------------------------


def test_a_value_share_proposal_asks_to_agree_the_attribution_not_outcome_definitions() -> None:
    text = proposal(example("outcome_contingent_sales.json"))
    steps = text[text.rindex("Next steps") :]
    assert "Agree the attribution method and how the attributed value is measured" in steps
    assert "outcome definitions" not in steps
    outcomes = proposal(example("outcome_based_support.json"))
    assert "Agree the outcome definitions and how they are measured with our team." in outcomes
    german = proposal(example("outcome_contingent_sales.json"), "de")
    assert "Stimmen Sie die Zuordnungsmethode" in german


# --- layout: a table's lead-in note is not split from it -------------------------------------


def test_the_price_table_s_note_is_not_split_from_its_heading_and_table(tmp_path: Path) -> None:
    """German proposal of the value-share example: the heading "Preise nach Vertragsjahr"
    and four lines of its note stood at the foot of page 2, the note's last lines and the
    table on page 3."""
    doc = example("outcome_contingent_sales.json")
    pdf = render_pdf(request_for(doc, locale="de_DE", language="de"), "proposal").pdf
    pages = pdf_text(pdf, tmp_path)
    heading = [i for i, page in enumerate(pages) if "Preise nach Vertragsjahr" in page]
    table = [i for i, page in enumerate(pages) if "Jahr 1: 1. September 2026" in page]
    note_end = [i for i, page in enumerate(pages) if "Nettostückpreis." in page]
    assert heading and table and note_end
    assert heading[0] == table[0] == note_end[0]


# --- termination speaks of the deal's own usage-based fees ------------------------------------


def test_termination_of_an_outcome_or_value_share_deal_names_what_it_bills() -> None:
    """It read "the fee that depends on usage or outcomes (Share of attributed revenue) is
    due only for the usage and outcomes up to the date of termination" on a deal with
    neither usage nor outcomes."""
    sales = section(
        spaced(contract(example("outcome_contingent_sales.json"))),
        "Termination",
        "Governing law",
    )
    assert (
        "Whoever terminates, the value share (Share of attributed revenue) is due only on the "
        "value attributed up to the date of termination" in sales
    )
    assert "usage" not in sales and "outcomes" not in sales
    support = section(
        spaced(contract(example("outcome_based_support.json"))), "Termination", "Governing law"
    )
    assert (
        "Whoever terminates, the fee for outcomes (Resolved tickets) is due only for the "
        "outcomes achieved up to the date of termination" in support
    )
    assert "usage" not in support
    # Usage alone keeps its words.
    platform = section(
        spaced(contract(example("platform_usage_analytics.json"))), "Termination", "Governing law"
    )
    assert "the usage-based fee (Analyst queries) is due only for the usage" in platform
    german = spaced(contract(example("outcome_contingent_sales.json"), "de"))
    # The example's name is the app's own default: it prints in German (documents/own_words).
    assert "Gleich wer kündigt, ist der Wertanteil (Anteil am zugerechneten Umsatz)" in german
