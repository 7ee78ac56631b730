"""Clauses of the order form that a buyer's lawyer read against each other: renewal notice
against "no termination for convenience" (in every language), the form notices take (German
Textform), the credits rule stated once for each credits configuration, the pack price
against the price table, and what termination for breach settles for what the deal has."""

from __future__ import annotations

import dataclasses
import html as html_lib
import re
from decimal import Decimal

import pytest

from quote_builder.documents.render import render_html
from quote_builder.pricing import QuoteDocument, price
from quote_builder.pricing.languages import DEFAULT_LOCALES

from .conftest import example, request_for


def _text(markup: str) -> str:
    # What a reader reads: a value kept on one line (a nowrap span) is part of its sentence.
    markup = re.sub(r'<span class="nowrap">([^<]*)</span>', r"\1", markup)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def contract(doc: QuoteDocument, language: str = "en") -> str:
    req = dataclasses.replace(request_for(doc), language=language, locale=DEFAULT_LOCALES[language])
    return _text(render_html("contract", req, link_stylesheet=False))


def with_contract(doc: QuoteDocument, **changes: object) -> QuoteDocument:
    return doc.model_copy(update={"contract": doc.contract.model_copy(update=changes)})


def section(text: str, heading: str, next_heading: str) -> str:
    start = text.index(heading)
    return text[start : text.index(next_heading, start + len(heading))]


# --- 1. renewal notice against "no termination for convenience" --------------------------

RENEWAL_AND_NO_CONVENIENCE = {
    # language: (the renewal notice, the no-convenience sentence that leaves it standing)
    "en": (
        "unless either party gives notice of non-renewal at least 60 days before",
        "Neither party may terminate it for convenience during the term; notice of "
        "non-renewal under \u201cTerm, renewal and notice\u201d is not affected.",
    ),
    "de": (
        "sofern nicht eine der Parteien der Verlängerung spätestens 60 Tage vor Ablauf des "
        "laufenden Zeitraums in Textform widerspricht",
        "Eine ordentliche Kündigung während der Laufzeit ist ausgeschlossen; der Widerspruch "
        "gegen die Verlängerung nach „Laufzeit und Verlängerung“ bleibt unberührt.",
    ),
    "fr": (
        "sauf si l'une des parties notifie son refus de renouvellement au moins 60 jours",
        "Aucune des parties ne peut le résilier pour convenance en cours de période",
    ),
    "es": (
        "salvo que cualquiera de las partes comunique su voluntad de no renovarla",
        "durante su vigencia; ello no afecta a la comunicación de no renovación",
    ),
    "ja": ("更新しない旨を通知しない限り", "契約期間中に任意に解除することはできません"),
}


@pytest.mark.parametrize("language", sorted(RENEWAL_AND_NO_CONVENIENCE))
def test_notice_of_non_renewal_is_not_the_excluded_termination(language: str) -> None:
    doc = example("outcome_based_support.json")
    assert doc.contract.auto_renew and doc.contract.legal is None  # the default frame: no
    # termination for convenience
    text = contract(doc, language)
    renewal, no_convenience = RENEWAL_AND_NO_CONVENIENCE[language]
    assert renewal in text
    assert no_convenience in text


def test_german_notices_are_in_text_form_as_the_notices_clause_says() -> None:
    """§ 126 BGB: "schriftlich" is Schriftform (a wet signature); the notices clause says
    Textform (an email is enough). The order form uses one form throughout, and "Kündigung"
    is never the word for giving notice of non-renewal."""
    text = contract(example("seats_credits_coding_team.json"), "de")
    assert "Mitteilungen bedürfen der Textform (eine E-Mail genügt)" in text
    assert "schriftlich kündigt" not in text
    # "schriftlich" stays only where the parties agree a change (Schriftform for a change
    # of the contract, not a notice).
    agreed = "sofern die Parteien nicht schriftlich etwas anderes vereinbaren"
    assert "schriftlich" not in text.replace(agreed, "")
    assert "nach schriftlicher Mitteilung" not in text
    assert "Tagen nach Mitteilung in Textform behebt" in text
    assert "Laufzeit, Verlängerung und Kündigung" not in text
    assert "Eine ordentliche Kündigung ist für keine der Parteien möglich" not in text


def test_an_order_that_does_not_renew_excludes_convenience_plainly() -> None:
    doc = with_contract(example("outcome_based_support.json"), auto_renew=False)
    text = contract(doc)
    assert "It ends at the end of the term unless the parties sign a renewal." in text
    assert "Neither party may terminate it for convenience." in text
    assert "non-renewal" not in text


# --- 2. the credits rule, once per configuration ------------------------------------------


CAP_RULE = "When your credits run out, we add extra credits automatically up to $600.00 a month"
CONSENT_RULE = "We add no extra credits without your consent in writing (email is enough)"


@pytest.mark.parametrize(
    ("cap", "pack", "rule", "absent"),
    [
        (None, True, CONSENT_RULE, CAP_RULE),
        ("600", True, CAP_RULE, CONSENT_RULE),
        (None, False, CONSENT_RULE, CAP_RULE),
        ("600", False, CAP_RULE, CONSENT_RULE),
    ],
)
def test_extra_credits_follow_one_rule_stated_once(
    cap: str | None, pack: bool, rule: str, absent: str
) -> None:
    doc = example("seats_credits_coding_team.json")
    if not pack:
        credits = next(c for c in doc.components if c.kind == "credits")
        other = credits.model_copy(
            update={"pack": None, "overage_price_per_credit": Decimal("0.02")}
        )
        doc = doc.model_copy(
            update={"components": [other if c is credits else c for c in doc.components]}
        )
    doc = with_contract(doc, extra_credit_cap_per_month=Decimal(cap) if cap else None)
    text = contract(doc)
    assert text.count(rule) == 1 and absent not in text
    # The usage clause's overage rule ("invoiced in arrears at the overage price") is not
    # the credits' rule: credits are not in it (this deal has no other usage, so no clause).
    assert "Usage above an included allowance is invoiced in arrears" not in text
    assert "Included usage and overage" not in text
    # One statement of the price of extra credits, not one per clause.
    assert len(re.findall(r"Extra credits (come in packs|cost)", text)) == 1
    assert ("Credits bought in packs do not expire during the term." in text) is pack


def test_the_pack_price_is_the_price_tables_of_each_year() -> None:
    doc = example("seats_credits_coding_team.json")
    priced = price(doc)
    assert len(priced.years) >= 2 and doc.escalator_percent == Decimal("3")
    # Year 2's pack: 150.00 x 1.03 = 154.50, as the price table prints it.
    text = contract(doc)
    assert "$154.50" in section(text, "Prices by contract year", "Invoice schedule")
    credits = section(text, "AI credits.", "You can see your credit balance")
    assert (
        "Extra credits come in packs of 10,000 at $150.00 a pack in year 1; the annual price "
        "increase applies in later years ($154.50 in year 2, as in \u201cPrices by contract "
        "year\u201d)." in credits
    )
    # No pack expected in any year (the allocation covers the usage): the table has no pack
    # price to point to, and the clause says only that the increase applies.
    credits_component = next(c for c in doc.components if c.kind == "credits")
    ample = credits_component.model_copy(update={"allocation_per_seat": Decimal("1000000")})
    covered = doc.model_copy(
        update={"components": [ample if c is credits_component else c for c in doc.components]}
    )
    text = contract(covered)
    assert "Credit packs of" not in section(text, "Prices by contract year", "Invoice schedule")
    assert (
        "Extra credits come in packs of 10,000 at $150.00 a pack in year 1; the annual price "
        "increase applies in later years. " in text
    )
    # Without an increase the one price is the price of every year.
    flat = doc.model_copy(update={"escalator_percent": Decimal("0")})
    assert "Extra credits come in packs of 10,000 at $150.00 a pack." in contract(flat)


# --- 3. termination for breach settles what the deal has ----------------------------------

# The fixed fees are named ("the fixed fees (Platform fee) ..."); usage is never accelerated.
ACCELERATE_FEES_AND_MINIMUM = "and the minimum commitments for the rest of the term become due"
ACCELERATE_FEES = ") for the rest of the term become due"
ACCELERATE_MINIMUM = (
    "If we terminate for your breach, the minimum commitments for the rest of the term become due"
)


def _without(doc: QuoteDocument, kind: str) -> QuoteDocument:
    return doc.model_copy(update={"components": [c for c in doc.components if c.kind != kind]})


@pytest.mark.parametrize(
    ("name", "drop", "expected"),
    [
        # seats (fixed fees) and credits, no minimum
        ("seats_credits_coding_team.json", None, ACCELERATE_FEES),
        # per outcome with a minimum commitment, no fixed fee
        ("outcome_based_support.json", None, ACCELERATE_MINIMUM),
        # pure per outcome: nothing to refund or accelerate
        ("outcome_based_support.json", "minimum_commitment", None),
    ],
)
def test_termination_for_breach_speaks_of_what_the_deal_has(
    name: str, drop: str | None, expected: str | None
) -> None:
    doc = example(name)
    if drop:
        doc = _without(doc, drop)
    text = section(contract(doc), "Termination", "Governing law")
    for sentence in (ACCELERATE_FEES_AND_MINIMUM, ACCELERATE_FEES, ACCELERATE_MINIMUM):
        assert (sentence in text) is (sentence == expected), sentence
    if expected is None:
        assert "terminate for your breach" not in text and "prepaid fees" not in text


def test_fees_and_a_minimum_both_become_due() -> None:
    doc = example("outcome_based_support.json")
    seats = next(
        c for c in example("seats_credits_coding_team.json").components if c.kind == "seats"
    )
    doc = doc.model_copy(update={"components": [seats, *doc.components]})
    text = section(contract(doc), "Termination", "Governing law")
    assert ACCELERATE_FEES_AND_MINIMUM in text
    assert "we refund the fixed fees prepaid for the rest of the term" in text
