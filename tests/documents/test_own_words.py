"""The app's own words in a quote reach each document language translated (documents/own_words.py).

A German rep's quote for a German buyer, made from the playbook's outcome template for AI
customer support, printed "Resolved tickets", "Monthly minimum", "36.000 tickets resolved"
and "Prüfungsrechte: The customer may audit the outcome records behind any invoice once per
contract year." in the German order form and proposal. Every default the templates, the demo
catalog, the editor and a contract change write into a quote is recognised here and printed
in the document's language; the rep's own words stay as typed, and the terms (terms.json)
stay as saved.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from quote_builder.cli import main
from quote_builder.documents import render_html, render_pdf
from quote_builder.documents.explain import KIND_LABELS
from quote_builder.documents.formatting import Formatter
from quote_builder.documents.own_words import (
    METRIC_UNITS,
    UI_DISCOUNT_NAMES,
    demo_plan_names,
    own_text,
    own_texts,
    own_title,
    rep_words,
    unit_name,
    unit_words,
)
from quote_builder.documents.viewmodel import customer_view
from quote_builder.paths import resources_dir
from quote_builder.pricing import contracts, price
from quote_builder.pricing.components import (
    COMPONENT_KINDS,
    Component,
    Credits,
    PercentOfValue,
    PerOutcome,
    Seats,
    TransactionFee,
)
from quote_builder.pricing.document import (
    CustomerRef,
    Discount,
    Economics,
    QuoteDocument,
    ValueDrivers,
)
from quote_builder.pricing.languages import DEFAULT_LOCALES
from quote_builder.pricing.playbook import PricingModel, ProductCategory
from quote_builder.pricing.templates import template_for

from .conftest import example, pdf_text, request_for
from .test_languages import in_language, text_nodes

LANGUAGES = ("de", "fr", "es", "ja")


def formatter(language: str) -> Formatter:
    return Formatter("USD", DEFAULT_LOCALES[language], language)


# --- what the app writes into a quote ---------------------------------------------------------


def component_texts(component: Component) -> list[str]:
    """Every text of ``component`` a document prints."""
    texts = [component.name, component.description]
    if isinstance(component, Seats):
        texts += [component.tier or "", *component.features]
    if isinstance(component, PerOutcome):
        terms = component.terms
        texts += [
            terms.definition,
            terms.success_criteria,
            terms.verification_evidence,
            terms.audit_rights,
        ]
    if isinstance(component, PercentOfValue):
        texts += [component.attribution.description, component.attribution.dispute_process]
    return [t for t in texts if t]


def component_metrics(component: Component) -> set[str]:
    metrics = set(component.metrics())
    if isinstance(component, Credits):
        metrics |= set(component.burn)
    if isinstance(component, TransactionFee):
        metrics.add(component.count_metric)
    return metrics


TEMPLATES = [(model, category) for model in PricingModel for category in (None, *ProductCategory)]


def test_every_text_and_metric_a_template_writes_is_the_apps_own() -> None:
    """Every template of every model, in every category and in none."""
    known = set(own_texts())
    for model, category in TEMPLATES:
        template = template_for(model, category)
        for component in template.components:
            assert set(component_texts(component)) <= known, (model, category, component)
            assert component_metrics(component) <= set(METRIC_UNITS), (model, category)
        assert set(template.usage_forecast) | set(template.unit_costs) <= set(METRIC_UNITS)


def _demo() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((resources_dir() / "demo" / "catalog.json").read_text())
    return data


def test_every_text_and_metric_of_the_demo_catalog_is_the_apps_own() -> None:
    from quote_builder.pricing.factory import component_from_dict

    known = set(own_texts())
    catalog = _demo()
    assert demo_plan_names() == tuple(plan["name"] for plan in catalog["plans"])
    assert len(demo_plan_names()) == 9
    # Every demo plan begins a demo quote's title, which prints in the document's language.
    de = formatter("de")
    for name in demo_plan_names():
        assert own_title(f"{name} for Fabrikam Analytics", de) == (f"{name} für Fabrikam Analytics")
        assert rep_words(f"{name} for Fabrikam Analytics") == [name, "Fabrikam Analytics"]
    for plan in catalog["plans"]:
        for data in plan["components"]:
            component = component_from_dict(data)
            assert set(component_texts(component)) <= known, (plan["name"], component.name)
            assert component_metrics(component) <= set(METRIC_UNITS), plan["name"]
    for customer in catalog["customers"]:
        spec = customer.get("quote") or {}
        for discount in spec.get("discounts", []):
            assert discount["description"] in known
        metrics = set(spec.get("forecast", {})) | set(spec.get("unit_costs", {}))
        metrics |= {spec["value_metric"]} if spec.get("value_metric") else set()
        assert metrics <= set(METRIC_UNITS), customer["name"]


def test_a_new_components_name_is_its_kinds_words_which_documents_translate() -> None:
    """The editor names a new component by its kind (``cls.label``): the kind's message."""
    for kind, cls in COMPONENT_KINDS.items():
        assert cls.label == KIND_LABELS[kind]
        assert cls.label in own_texts()
    assert formatter("de")._("Recurring fee") == own_text("Recurring fee", formatter("de"))
    assert own_text("Recurring fee", formatter("de")) == "Wiederkehrende Gebühr"


def test_the_default_discount_name_is_the_models() -> None:
    assert Discount(percent=Decimal(5)).description == "Discount" in own_texts()


# --- recognised exactly -------------------------------------------------------------------------


def test_a_default_is_translated_and_an_edited_one_is_the_reps() -> None:
    de, ja = formatter("de"), formatter("ja")
    assert own_text("Resolved tickets", de) == "Gelöste Tickets"
    assert own_text("Resolved tickets", ja) == "解決済みチケット"
    assert own_text("Resolved tickets", formatter("en")) == "Resolved tickets"
    # The rep's words, even one letter apart, as typed.
    assert own_text("Resolved tickets (EU)", de) == "Resolved tickets (EU)"
    assert own_text("resolved tickets", de) == "resolved tickets"
    assert own_text("Gelöste Tickets", de) == "Gelöste Tickets"
    # A duplicate of a default is the default's copy; of the rep's, the rep's.
    assert own_text("Platform fee (copy)", de) == "Plattformgebühr (Kopie)"
    assert own_text("My fee (copy)", de) == "My fee (copy)"
    # A percent sign in a default survives the message's %%.
    assert own_text(
        "At least 98% of required fields pass the customer's validation rules.", de
    ) == ("Mindestens 98 % der Pflichtfelder bestehen die Validierungsregeln des Kunden.")
    # The guided flow in a German or French window wrote its window's "Discount" before.
    assert own_text("Rabatt", formatter("fr")) == "Remise"
    assert own_text("Remise", de) == "Rabatt"


def test_a_metric_the_app_names_is_counted_in_the_documents_language() -> None:
    de, en = formatter("de"), formatter("en")
    assert unit_name("tickets_resolved", de) == "gelöste Tickets"
    assert unit_name("tickets_resolved", de, 1) == "gelöstes Ticket"
    assert unit_name("tickets_resolved", de, Decimal("1.5")) == "gelöste Tickets"
    assert unit_name("tickets_resolved", formatter("ja")) == "解決済みチケット"
    # The rep's own metric ids read as their words, whatever the language.
    assert unit_name("tickets_handled", de) == "tickets handled"
    # English prints what it printed before: the id in words.
    for metric in METRIC_UNITS:
        assert unit_name(metric, en) == unit_words(metric), metric


def test_titles_the_app_wrote_are_translated_and_the_reps_part_kept() -> None:
    de, ja = formatter("de"), formatter("ja")
    assert own_title("Analytics Copilot for Fabrikam Analytics", de) == (
        "Analytics Copilot für Fabrikam Analytics"
    )
    assert own_title("Analytics Copilot for Fabrikam Analytics", ja) == (
        "Fabrikam Analytics様向けAnalytics Copilot"
    )
    assert own_title("Pricing for Initech", de) == "Pricing for Initech"  # the rep's
    contract = example("seats_credits_coding_team.json")
    priced = price(contract)
    renewal = contracts.renewal_document(
        contract, priced, original_order="Q-1", original_version=1, uplift_percent=Decimal(5)
    )
    assert renewal.title == f"{contract.title}: renewal"
    assert own_title(renewal.title, de) == f"{contract.title}: Verlängerung"
    assert own_title("Order Q-2026-0001: amendment", de) == "Bestellung Q-2026-0001: Änderung"
    assert own_title("Order Q-2026-0001: expansion", ja) == "注文Q-2026-0001：追加"
    assert own_title("Order 66", de) == "Order 66"  # the rep's title: only a change writes it


# --- the documents ------------------------------------------------------------------------------


def template_quote(model: PricingModel, category: ProductCategory | None) -> QuoteDocument:
    """A quote as the guided flow makes it from a template, untouched: a German customer,
    the template's forecast and costs, a value estimate and a discount with the default
    name."""
    template = template_for(model, category)
    forecast = dict(template.usage_forecast)
    value = next(iter(forecast), None)
    return QuoteDocument(
        title="KI für Müller",
        customer=CustomerRef(name="Müller Kundenservice GmbH"),
        product_category=category,
        pricing_model=model,
        currency="EUR",
        start_date=dt.date(2027, 1, 1),
        term_months=12,
        components=list(template.components),  # type: ignore[arg-type]
        usage_forecast=forecast,
        economics=Economics(unit_costs=dict(template.unit_costs)),
        discounts=[Discount(percent=Decimal(5))],
        value=ValueDrivers(
            metric=value, minutes_saved_per_unit=Decimal(15), loaded_hourly_rate=Decimal(48)
        )
        if value
        else None,
    )


@cache
def _distinct_templates() -> list[tuple[PricingModel, ProductCategory | None]]:
    """One (model, category) per distinct set of components (most categories share one)."""
    seen: dict[str, tuple[PricingModel, ProductCategory | None]] = {}
    for model, category in TEMPLATES:
        key = json.dumps(
            [c.model_dump(mode="json") for c in template_for(model, category).components],
            sort_keys=True,
        )
        seen.setdefault(key, (model, category))
    return list(seen.values())


def english_defaults(language: str) -> list[str]:
    """Every English default (texts and metric names) whose translation in ``language``
    differs from it: none may be printed in a document of that language."""
    f = formatter(language)
    found = [text for text in own_texts() if own_text(text, f) != text]
    for singular, plural in METRIC_UNITS.values():
        for english, count in ((singular, 1), (plural, 2)):
            if f._n(singular, plural, count) != english:
                found.append(english)
    return sorted(set(found), key=len, reverse=True)


def english_in(text: str, language: str) -> list[str]:
    return [
        english
        for english in english_defaults(language)
        if re.search(rf"(?<![\w-]){re.escape(english)}(?![\w-])", text)
    ]


def test_the_check_finds_an_english_default() -> None:
    audit = "The customer may audit the outcome records behind any invoice once per contract year."
    assert audit in english_in(f"Prüfungsrechte: {audit}", "de")
    assert english_in("36.000 tickets resolved", "de") == ["tickets resolved"]
    assert english_in("Monthly minimum", "ja") == ["Monthly minimum"]


@pytest.mark.parametrize("language", ["de", "ja"])
def test_no_english_default_in_a_template_quotes_documents(language: str) -> None:
    """The proposal and the order form of every template's quote, as made: none of the
    app's English defaults, and each of the quote's defaults in the document's language."""
    f = formatter(language)
    problems = []
    for model, category in _distinct_templates():
        doc = template_quote(model, category)
        html = render_html("both", in_language(request_for(doc), language))
        text = " ".join(text_nodes(html))
        problems += [(model, category, english) for english in english_in(text, language)]
        for component in doc.components:
            for own in component_texts(component):
                translated = own_text(own, f)
                assert translated in text or translated.replace(" ", "") in text, (
                    model,
                    category,
                    translated,
                )
    assert problems == []


def test_the_german_documents_of_the_support_template_as_the_buyer_reads_them(
    tmp_path: Path,
) -> None:
    """The walk-through's quote: AI customer support, outcome-based, German; the PDF's text."""
    doc = template_quote(PricingModel.OUTCOME_BASED, ProductCategory.CUSTOMER_SUPPORT)
    pdf = render_pdf(in_language(request_for(doc), "de")).pdf
    text = " ".join(" ".join(pdf_text(pdf, tmp_path)).split())
    assert english_in(text, "de") == []
    for german in (
        "Gelöste Tickets",
        "Monatlicher Mindestumsatz",
        "Prüfungsrechte Der Kunde kann die Ergebnisaufzeichnungen zu jeder Rechnung einmal pro "
        "Vertragsjahr prüfen.",
        "12.000 gelöste Tickets",
        "Rabatt",
    ):
        assert german in text, german


def test_the_japanese_documents_of_the_support_template_as_the_buyer_reads_them(
    tmp_path: Path,
) -> None:
    doc = template_quote(PricingModel.OUTCOME_BASED, ProductCategory.CUSTOMER_SUPPORT)
    pdf = render_pdf(in_language(request_for(doc), "ja")).pdf
    text = "".join("".join(pdf_text(pdf, tmp_path)).split())
    assert english_in(text, "ja") == []
    for japanese in (
        "解決済みチケット",
        "月間最低利用額",
        "お客様は、契約年度ごとに1回、請求書の根拠となる成果の記録を監査できるものとします。",
    ):
        assert japanese in text, japanese


def test_the_same_quote_prints_its_defaults_in_whichever_language_it_is_given() -> None:
    """Recognised when printed: a quote whose language changes prints the new one's."""
    doc = template_quote(PricingModel.OUTCOME_BASED, ProductCategory.CUSTOMER_SUPPORT)
    expected = {
        "en": "Resolved tickets",
        "de": "Gelöste Tickets",
        "fr": "Tickets résolus",
        "es": "Tickets resueltos",
        "ja": "解決済みチケット",
    }
    for language, name in expected.items():
        html = render_html("contract", in_language(request_for(doc), language))
        assert name in text_nodes(html) or name in " ".join(text_nodes(html)), language
        if language != "en":
            assert english_in(" ".join(text_nodes(html)), language) == [], language


def test_the_terms_stay_as_saved() -> None:
    """What an approval signs (terms.json and its hash) holds the quote's own texts, in any
    document language: only the printed words change."""
    doc = template_quote(PricingModel.OUTCOME_BASED, ProductCategory.CUSTOMER_SUPPORT)
    view = customer_view(in_language(request_for(doc), "de"))
    terms = json.loads(view.terms_json)
    assert [c["name"] for c in terms["components"]] == ["Resolved tickets", "Monthly minimum"]
    assert view.terms.components[0].name == "Resolved tickets"


def test_the_command_line_renders_a_template_quote_in_german(tmp_path: Path) -> None:
    """``quote-builder render FILE --language de`` (the lead's reproduction)."""
    doc = template_quote(PricingModel.OUTCOME_BASED, ProductCategory.CUSTOMER_SUPPORT)
    source = tmp_path / "quote.json"
    source.write_text(json.dumps(doc.to_json_dict()), "utf-8")
    out, err = io.StringIO(), io.StringIO()
    pdf = tmp_path / "out.pdf"
    argv = ["render", str(source), "-o", str(pdf), "--document", "both", "--language", "de"]
    code = main(argv, out, err)
    assert code == 0, err.getvalue()
    text = " ".join(" ".join(pdf_text(pdf.read_bytes(), tmp_path)).split())
    assert english_in(text, "de") == []
    assert "Gelöste Tickets" in text and "12.000 gelöste Tickets" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_default_has_a_translation_that_differs_where_the_language_does(
    language: str,
) -> None:
    """A default left in English by its catalog would pass the checks above unseen: only
    names that are the same word in the language ("Team", "Pro") may read as the English."""
    same = {text for text in own_texts() if own_text(text, formatter(language)) == text}
    assert same - set(UI_DISCOUNT_NAMES) <= {"Team", "Pro", "Individual"}, same


def test_the_demo_plan_names_are_the_catalog_s_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo titles' plan names come from the demo catalog (``resources/demo/catalog.json``,
    found as every resource is: the wheel and the standalone build carry it), not from a copy
    of its names: a plan the catalog gains is recognised, one it loses is not, and the file
    is read once."""
    from quote_builder.documents import own_words

    catalog = _demo()
    catalog["plans"] = [*catalog["plans"][1:], {**catalog["plans"][0], "name": "Robot Butler"}]
    folder = tmp_path / "resources"
    (folder / "demo").mkdir(parents=True)
    (folder / "demo" / "catalog.json").write_text(json.dumps(catalog), "utf-8")
    reads: list[Path] = []
    real_read = Path.read_text

    def read_text(path: Path, *args: Any, **kwargs: Any) -> str:
        reads.append(path)
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr("quote_builder.paths.resources_dir", lambda: folder)
    monkeypatch.setattr(Path, "read_text", read_text)
    own_words.demo_plan_names.cache_clear()
    own_words._demo_title.cache_clear()
    try:
        de = formatter("de")
        assert own_title("Robot Butler for Initech", de) == "Robot Butler für Initech"
        gone = _demo()["plans"][0]["name"]
        assert own_title(f"{gone} for Initech", de) == f"{gone} for Initech"  # as written
        assert own_title("Support Resolution for Initech", de) == "Support Resolution für Initech"
        assert reads.count(folder / "demo" / "catalog.json") == 1
        # No catalog to read: no title is a demo quote's, none fails.
        (folder / "demo" / "catalog.json").unlink()
        own_words.demo_plan_names.cache_clear()
        own_words._demo_title.cache_clear()
        assert own_title("Robot Butler for Initech", de) == "Robot Butler for Initech"
    finally:
        monkeypatch.undo()
        own_words.demo_plan_names.cache_clear()
        own_words._demo_title.cache_clear()
    assert own_title("Analytics Copilot for Initech", formatter("de")) == (
        "Analytics Copilot für Initech"
    )
