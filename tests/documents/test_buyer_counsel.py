"""The buyer's counsel and the deal desk read the proposal and the order form (terms3):
words and numbers agree, each clause says what the engine does, nothing is stated twice or
circularly, and no app instruction reaches a customer document.

1. A discount on the whole deal takes from usage too (the engine discounts every charge but
   one-time fees and true-ups): its sentence says so, and a clause stating a unit price it
   takes from says the price is before it.
2. The annual increase is the year-1 price x 1.05^(years since), rounded once: the clause
   says so (year 3 of the JPY example is 7,350 x 1.05^2 = 8,103.375 -> 8,103, not 7,718 x
   1.05 = 8,103.9 -> 8,104).
3. Termination for breach names what becomes due: the fixed fees and minimums for the rest of
   the term; usage-based fees only as used.
4. An allowance is stated once: the usage line names the fee it is included in.
5. The order form prevails for this order only.
6. German and Spanish quote the SLA's title alone.
7. German "aus 3 Monaten Nutzung", Spanish "no renovarla" (la suscripción), Japanese 顧客
   (以下「お客様」) and 解除 throughout.
8. The bills over a usage log are reconciled with what the quote bills (the metric's
   quantity), not the log's events and users.
9. A value share's quantity is the value attributed above the baseline.
10. A document without a seller prints a neutral placeholder, never the app's menus.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from html import unescape

import pytest

from quote_builder.documents import Party, RenderRequest, render_html
from quote_builder.documents.viewmodel import customer_view
from quote_builder.pricing import QuoteDocument, price
from quote_builder.pricing.components import MinimumCommitment
from quote_builder.pricing.document import Discount
from quote_builder.pricing.languages import DEFAULT_LOCALES
from quote_builder.pricing.quote_format import quote_from_data

from .conftest import example, request_for

TAG = re.compile(r"<[^>]+>")
INLINE = re.compile(r"</?(span|strong|em|b|i|code|a)\b[^>]*>")
STYLE = re.compile(r"<(style|script)\b.*?</\1>", re.S)


def text_of(html: str) -> str:
    """The words a reader reads: tags out (an inline one joins its neighbours, a block
    separates them), entities decoded, white space squashed."""
    html = INLINE.sub("", STYLE.sub(" ", html))
    return " ".join(unescape(TAG.sub(" ", html)).split())


def spaced(text: str) -> str:
    """No-break and narrow no-break spaces (``10,00 %``, ``1 300,00 $``) as plain ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def in_language(req: RenderRequest, language: str) -> RenderRequest:
    return dataclasses.replace(req, language=language, locale=DEFAULT_LOCALES[language])


def contract(doc: QuoteDocument, language: str = "en", **overrides: object) -> str:
    return text_of(render_html("contract", in_language(request_for(doc, **overrides), language)))


def proposal(doc: QuoteDocument, language: str = "en", **overrides: object) -> str:
    return text_of(render_html("proposal", in_language(request_for(doc, **overrides), language)))


def section(text: str, heading: str, following: str) -> str:
    """The text between a clause's heading and the next one."""
    start = text.index(heading)
    return text[start : text.index(following, start + len(heading))]


def with_discount(doc: QuoteDocument, discount: Discount) -> QuoteDocument:
    return doc.model_copy(update={"discounts": [discount]})


# --- 1. what a discount on the whole deal takes from ----------------------------------------


def test_a_whole_deal_discount_takes_from_usage_and_says_so() -> None:
    """The engine takes 15 % of the overage too (0.40 -> 0.34): the sentence names the
    usage-based fees, and what it leaves out (the one-time onboarding fee)."""
    doc = with_discount(
        example("platform_usage_analytics.json"),
        Discount(description="Multi-year commitment", percent=Decimal("15")),
    )
    priced, plain = price(doc), price(doc.model_copy(update={"discounts": []}))
    year_one = [line for period in priced.periods[:4] for line in period.lines]
    taken = -sum((line.amount for line in year_one if line.kind == "discount"), Decimal(0))
    charged = [line for period in plain.periods[:4] for line in period.lines]
    platform = sum((line.amount for line in charged if line.component_id == "platform"), Decimal(0))
    queries = sum((line.amount for line in charged if line.component_id == "queries"), Decimal(0))
    # 15 % of the platform fee and of the overage: the usage is discounted, onboarding not.
    assert taken == (platform + queries) * Decimal("0.15")
    assert queries > 0

    for text in (contract(doc), proposal(doc)):
        assert (
            "Multi-year commitment: 15.00% off all fees except one-time fees (usage-based fees "
            "included), for the whole term." in text
        )
        assert "of the recurring fees" not in text
    usage = section(contract(doc), "Included usage and overage", "Annual price increase")
    assert (
        "These prices are before the discount under \u201cFees and billing\u201d, which applies "
        "to these fees too (see \u201cPrices by contract year\u201d)." in usage
    )


def test_a_whole_deal_discount_leaves_a_minimum_commitment_s_true_up_alone() -> None:
    """A monthly minimum on resolved tickets: the discount takes 10 % of the outcome fees; the
    true-up that tops them up to the minimum is not discounted, and the sentence says so."""
    base = example("outcome_based_support.json")
    doc = with_discount(base, Discount(description="Pilot", percent=Decimal("10")))
    text = contract(doc)
    assert (
        "Pilot: 10.00% off all fees except true-ups of a minimum commitment (usage-based fees "
        "included), for the whole term." in text
    )
    from quote_builder.documents.viewmodel import discounted_by

    terms = customer_view(request_for(doc)).terms
    commitment = next(c for c in terms.components if isinstance(c, MinimumCommitment))
    assert not discounted_by(terms.discounts[0], commitment)
    priced = price(doc)
    discounts = sum(
        (line.amount for p in priced.periods for line in p.lines if line.kind == "discount"),
        Decimal(0),
    )
    outcomes = sum(
        (
            line.amount
            for p in priced.periods
            for line in p.lines
            if line.component_id == "resolutions" and line.kind == "charge"
        ),
        Decimal(0),
    )
    assert outcomes > 0 and abs(-discounts - outcomes * Decimal("0.1")) < Decimal("0.10")
    assert any(line.kind == "true_up" for p in priced.periods for line in p.lines)
    outcomes_clause = section(text, "Outcome definitions and measurement", "Annual price increase")
    assert "These prices are before the discount under" in outcomes_clause


@pytest.mark.parametrize(
    ("start", "months", "english"),
    [
        (
            1,
            6,
            "Launch: 10.00% off all fees except one-time fees (usage-based fees included), "
            "in the first 6 months of the term.",
        ),
        (
            7,
            6,
            "Launch: 10.00% off all fees except one-time fees (usage-based fees included), "
            "in months 7 to 12 of the term.",
        ),
        (
            13,
            1,
            "Launch: 10.00% off all fees except one-time fees (usage-based fees included), "
            "in month 13 of the term.",
        ),
    ],
)
def test_a_discount_for_some_months_names_the_months_once(
    start: int, months: int, english: str
) -> None:
    doc = with_discount(
        example("platform_usage_analytics.json"),
        Discount(description="Launch", percent=Decimal("10"), start_month=start, months=months),
    )
    text = contract(doc)
    assert english in text
    assert "for 6 months" not in text and "from month" not in text


def test_a_component_discount_names_its_component_and_touches_no_other_clause() -> None:
    doc = with_discount(
        example("platform_usage_analytics.json"),
        Discount(description="Platform launch", percent=Decimal("20"), component="platform"),
    )
    text = contract(doc)
    assert "Platform launch: 20.00% off Platform fee, for the whole term." in text
    usage = section(text, "Included usage and overage", "Annual price increase")
    assert "before the discount" not in usage  # the overage is not discounted


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "de",
            "Launch discount, first 6 months: in den ersten 6 Monaten der Laufzeit ein Rabatt "
            "von 10,00 % auf alle Gebühren außer einmaligen Gebühren (einschließlich der "
            "nutzungsabhängigen Gebühren).",
        ),
        (
            "fr",
            "Launch discount, first 6 months : pendant les 6 premiers mois de la durée, une "
            "remise de 10,00 % sur tous les frais sauf les frais uniques (frais liés à "
            "l'utilisation compris).",
        ),
        (
            "es",
            "Launch discount, first 6 months: durante los primeros 6 meses de la vigencia, un "
            "descuento de 10,00 % sobre todas las cuotas salvo las cuotas únicas (incluidas las "
            "cuotas por uso).",
        ),
        (
            "ja",
            "Launch discount, first 6 months：契約期間の最初の6か月間、一時料金を除くすべての"
            "料金（従量料金を含む）から10.00%を値引き。",
        ),
    ],
)
def test_the_discount_sentence_is_translated(language: str, sentence: str) -> None:
    text = spaced(contract(example("platform_usage_analytics.json"), language))
    assert sentence in text


# --- 2. the annual increase as the engine computes it ----------------------------------------


def test_the_increase_clause_says_each_year_is_computed_from_year_one() -> None:
    doc = example("jpy_consumption_tax_japan.json")
    terms = customer_view(request_for(doc)).terms
    seats = {
        line.year: line.unit_price
        for line in terms.price_table
        if line.label == "Pro seats (AI)" and line.unit_price
    }
    assert sorted(seats) == [1, 2, 3]
    year_one = seats[1]
    assert year_one is not None
    # The engine: year 3 = 7,350 x 1.05^2 = 8,103.375 -> 8,103 (from year 1, rounded once);
    # the old words described 7,718 x 1.05 = 8,103.9 -> 8,104.
    assert seats[3] == (year_one * Decimal("1.05") ** 2).quantize(Decimal(1))
    assert seats[3] != (seats[2] * Decimal("1.05")).quantize(Decimal(1))  # type: ignore[operator]
    text = contract(doc)
    assert (
        "each year's unit price is the year-1 unit price multiplied by 1.05 once for each year "
        "since year 1, and only then rounded to the whole unit of the currency (not the previous "
        "year's rounded price increased again)." in text
    )
    german = contract(doc, "de")
    assert "Vorjahrespreis;" not in german  # it read "jeweils auf den Vorjahrespreis"
    assert "einmal mit 1,05 multipliziert und erst dann auf die ganze Währungseinheit" in german
    for language in ("fr", "es", "ja"):
        assert "1,05" in contract(doc, language) or "1.05" in contract(doc, language)


# --- 3. what termination for breach makes due ------------------------------------------------


def test_termination_names_the_fees_that_become_due_and_leaves_usage_as_used() -> None:
    text = section(
        contract(example("platform_usage_analytics.json")), "Termination", "Governing law"
    )
    assert (
        "If we terminate for your breach, the fixed fees (Platform fee) for the rest of the term "
        "become due." in text
    )
    assert (
        "Whoever terminates, the usage-based fee (Analyst queries) is due only for the usage up "
        "to the date of termination, at the prices of this order form; it is not due for the "
        "rest of the term." in text
    )
    assert "the fees for the rest of the term become due" not in text

    outcome = section(
        contract(example("outcome_contingent_sales.json")), "Termination", "Governing law"
    )
    assert "the fixed fees (Base fee) for the rest of the term become due" in outcome
    # A value share is due on the value attributed up to termination (it read "the fee that
    # depends on usage or outcomes ... for the usage and outcomes", a deal with neither).
    assert (
        "the value share (Share of attributed revenue) is due only on the value attributed up "
        "to the date of termination" in outcome
    )

    support = section(contract(example("outcome_based_support.json")), "Termination", "Governing")
    assert "the minimum commitments for the rest of the term become due" in support
    assert (
        "the fee for outcomes (Resolved tickets) is due only for the outcomes achieved" in support
    )


# --- 4. one allowance, stated once ----------------------------------------------------------


def test_the_included_allowance_reads_as_the_platform_fee_s() -> None:
    doc = example("platform_usage_analytics.json")
    line = (
        "Beyond the 2,000 queries a month included in the Platform fee, queries cost $0.40 "
        "each, invoiced in arrears."
    )
    for text in (proposal(doc), contract(doc)):
        assert line in text
        assert "2,000 queries included each month" not in text
    german = contract(doc, "de")
    # The fee's name and the metric are the app's own words ("Platform fee", "queries"):
    # German in a German order form (documents/own_words.py).
    assert (
        "Über das in „Plattformgebühr“ enthaltene monatliche Kontingent (2.000 Abfragen) "
        "hinaus kostet jede weitere Einheit (Abfragen) 0,40 $" in german
    )


# --- 5. order of precedence ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "en",
            "If this order form and the Agreement conflict, this order form prevails for "
            "this order only.",
        ),
        (
            "de",
            "Widersprechen sich dieses Bestellformular und der Vertrag, geht das "
            "Bestellformular nur für diese Bestellung vor.",
        ),
        ("fr", "le bon de commande prévaut pour la présente commande uniquement."),
        ("es", "prevalece el formulario de pedido únicamente para este pedido."),
        ("ja", "本注文書と本契約が矛盾する場合、本注文に限り本注文書が優先します。"),
    ],
)
def test_the_order_form_prevails_for_this_order_only(language: str, sentence: str) -> None:
    text = contract(example("platform_usage_analytics.json"), language)
    assert sentence in text
    for otherwise in (
        "otherwise the Agreement",
        "im Übrigen",
        "pour le reste, le Contrat",
        "en lo demás",
        "それ以外については",
    ):
        assert otherwise not in text


# --- 6. the SLA's title quoted alone --------------------------------------------------------


def test_a_title_and_its_bracketed_detail_come_apart() -> None:
    from quote_builder.documents.order_form import title_and_detail

    assert title_and_detail(
        "Service Level Agreement (99.9 % monthly availability, service credits as set out there)"
    ) == (
        "Service Level Agreement",
        "99.9 % monthly availability, service credits as set out there",
    )
    assert title_and_detail("サービスレベル契約（月間稼働率99.9%、同契約の定めによる）") == (
        "サービスレベル契約",
        "月間稼働率99.9%、同契約の定めによる",
    )
    assert title_and_detail("SLA v2 (see (annex) B)") == ("SLA v2", "see (annex) B")
    assert title_and_detail("Service Level Terms") == ("Service Level Terms", "")
    assert title_and_detail("(99.9 %)") == ("(99.9 %)", "")


def test_the_service_level_agreement_s_title_is_quoted_alone() -> None:
    doc = example("platform_usage_analytics.json")
    for language, quoted in (
        (
            "de",
            "unserer Vereinbarung „Service-Level-Vereinbarung“ (99,9 % monatliche "
            "Verfügbarkeit, Servicegutschriften wie dort festgelegt).",
        ),
        (
            "es",
            "de nuestro documento «Acuerdo de Nivel de Servicio» (disponibilidad mensual del "
            "99,9 %, créditos de servicio según lo establecido en él).",
        ),
        (
            "en",
            "are those of our Service Level Agreement (99.9 % monthly availability, service "
            "credits as set out there).",
        ),
    ):
        text = spaced(contract(doc, language))
        assert quoted in text, language
        assert "festgelegt)“" not in text and "en él)»" not in text


# --- 7. wording in German, Spanish and Japanese ---------------------------------------------


def _with_log(base: QuoteDocument, quantities: list[tuple[str, str]]) -> QuoteDocument:
    data = base.to_json_dict()
    metric = next(m for c in base.components for m in c.metrics())
    data["usage_evidence"] = {
        "source_name": "pilot.csv",
        "sha256": "ab" * 32,
        "analysed_on": "2026-11-28",
        "rows": 645,
        "users": 25,
        "months": [
            {"month": month, "metrics": {metric: {"quantity": quantity}}}
            for month, quantity in quantities
        ],
    }
    return quote_from_data(data)


THREE_MONTHS = [("2026-06", "560"), ("2026-07", "7200"), ("2026-08", "91000")]


def test_german_counts_months_of_usage_in_the_dative() -> None:
    doc = _with_log(example("platform_usage_analytics.json"), THREE_MONTHS)
    text = proposal(doc, "de")
    assert "aus 3 Monaten Nutzung" in text
    assert "3 Monate Nutzung sind zu wenig" in text
    assert "aus 3 Monate Nutzung" not in text


def test_spanish_renewal_refers_to_the_subscription() -> None:
    text = contract(example("platform_usage_analytics.json"), "es")
    assert "no renovarla" in text and "no renovarlo" not in text


def test_japanese_names_the_customer_without_circling_and_terminates_with_one_word() -> None:
    doc = example("platform_usage_analytics.json")
    renewing = doc.model_copy(
        update={"contract": doc.contract.model_copy(update={"auto_renew": True})}
    )
    from quote_builder.pricing.legal import LegalFrame

    convenience = LegalFrame(termination_for_convenience=True)
    texts = [contract(renewing, "ja"), contract(renewing, "ja", legal=convenience)]
    for text in texts:
        assert "顧客（以下「お客様」）" in text
        assert "お客様（以下「お客様」）" not in text
        assert "解約" not in text
        assert "解除" in text
    assert "任意に解除することもできます" in texts[1]


# --- 8. the usage log's quantities, not its events ----------------------------------------


def test_the_bills_over_a_usage_log_name_the_quantity_they_were_computed_from() -> None:
    doc = _with_log(example("platform_usage_analytics.json"), THREE_MONTHS)
    text = proposal(doc)
    # 560 + 7,200 + 91,000 = 98,760 queries: what the three bills were priced from.
    assert "(June 2026 to August 2026: 98,760 queries in total)" in text
    assert "June 2026: 560 queries" in text and "August 2026: 91,000 queries" in text
    assert "645 events" not in text and "25 users" not in text
    german = proposal(doc, "de")
    # "queries" is the app's metric: German in a German proposal (documents/own_words.py).
    assert "(Juni 2026 bis August 2026: insgesamt 98.760 Abfragen)" in german


def test_twelve_months_of_usage_are_reconciled_in_total() -> None:
    months = [(f"2026-{m:02d}", str(1000 * m)) for m in range(1, 13)]
    text = proposal(_with_log(example("platform_usage_analytics.json"), months))
    assert (
        "12 months of your usage (January 2026 to December 2026: 78,000 queries in total)" in text
    )


# --- 9. the value a share is taken of -------------------------------------------------------


def test_a_value_share_s_quantity_is_the_value_above_the_baseline() -> None:
    doc = example("outcome_contingent_sales.json")
    for text in (proposal(doc), contract(doc)):
        assert re.search(r"\$[\d,]+\.\d\d attributed above the baseline \(est\.\)", text)
        assert not re.search(r"\$[\d,]+\.\d\d attributed \(est\.\)", text)


# --- 10. no app instruction in a customer document ------------------------------------------


@pytest.mark.parametrize(
    ("language", "placeholder"),
    [
        ("en", "[Provider to be completed]"),
        ("de", "[Anbieter noch einzutragen]"),
        ("fr", "[Prestataire à compléter]"),
        ("es", "[Proveedor pendiente de completar]"),
        ("ja", "[提供者名：記入予定]"),
    ],
)
def test_a_document_without_a_seller_prints_a_placeholder_not_the_app_s_menus(
    language: str, placeholder: str
) -> None:
    text = contract(example("platform_usage_analytics.json"), language, seller=Party(""))
    assert placeholder in text
    for menu in (
        "Settings",
        "Einstellungen",
        "Paramètres",
        "Configuración",
        "設定 ›",
        "Seller profile",
    ):
        assert menu not in text
