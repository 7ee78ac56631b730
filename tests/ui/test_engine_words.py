"""The pricing engine's warnings and the approval policy's reasons in the interface's
language (``ui/engine_words.py``): every code the engine and the policy produce has its
sentences, each written from the warning's or reason's values with the user's number and
currency formats; the English message stays what the command line shows."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from quote_builder.approvals.policy import (
    REASON_CODES,
    ApprovalPolicy,
    Evaluation,
    RateTable,
    Reason,
    TableRate,
    evaluate,
)
from quote_builder.pricing import QuoteWarning, price
from quote_builder.ui import engine_words, i18n, locale_format
from quote_builder.ui.engine_words import reason_text, reason_texts, warning_text, warning_title
from tests.pricing.factories import make_quote

ROOT = Path(__file__).resolve().parents[2]
D = Decimal


@pytest.fixture
def german() -> Iterator[None]:
    i18n.use_language("de")
    locale_format.set_locale("de_DE")
    yield
    i18n.use_language("en")
    locale_format.set_locale("en_US")


@pytest.fixture
def french() -> Iterator[None]:
    i18n.use_language("fr")
    locale_format.set_locale("fr_FR")
    yield
    i18n.use_language("en")
    locale_format.set_locale("en_US")


def plain(text: str) -> str:
    """Babel's no-break spaces (1.234,56 €; 1 234,56) as plain spaces, to compare."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


# --- the quotes that raise every warning, one case each ------------------------------------

TERMS = {
    "definition": "A ticket closed without human escalation",
    "success_criteria": "Not reopened within 7 days",
    "verification_evidence": "Helpdesk audit log export",
    "dispute_window_days": 30,
}


def outcome(terms: dict[str, Any], price_per_outcome: str = "2") -> dict[str, Any]:
    return {
        "kind": "per_outcome",
        "id": "o",
        "name": "Resolved tickets",
        "metric": "tickets",
        "price_per_outcome": price_per_outcome,
        "terms": terms,
    }


def share(attribution: dict[str, str], baseline: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "components": [
            {
                "kind": "percent_of_value",
                "id": "v",
                "name": "Share",
                "metric": "revenue",
                "percent": "0.5",
                "attribution": attribution,
                **({"baseline": baseline} if baseline is not None else {}),
            }
        ],
        "usage_forecast": {"revenue": {"monthly": "100000"}},
    }
    return data


SEATS = {"kind": "seats", "id": "s", "name": "Seats", "seats": 10, "price_per_seat": "50"}


def credits_deal(variation: str | None) -> dict[str, Any]:
    # 15,000 actions a month over 10 seats = 1,500 a seat. At a medium spread (CV 0.75) the
    # 80th percentile is 1,500 x 1.4037 = 2,105.6, over half of 2,000 (1,000): raise to
    # 2,105.6 / 0.5 = 4,211.
    return {
        "components": [
            {"kind": "seats", "id": "seats", "name": "Seats", "seats": 10, "price_per_seat": "40"},
            {
                "kind": "credits",
                "id": "c",
                "name": "AI credits",
                "seats_component": "seats",
                "allocation_per_seat": "2000",
                "burn": {"actions": "1"},
                "overage_price_per_credit": "0.01",
            },
        ],
        "usage_forecast": {"actions": {"monthly": "15000"}},
        **({"advisor": {"usage_intensity_variation": variation}} if variation else {}),
    }


def lever(name: str, percent: str) -> dict[str, Any]:
    return {"economics": {"levers": {name: percent}}}


CALLS = {"kind": "per_unit", "id": "u", "name": "U", "metric": "calls", "unit_price": "1"}


def calls(economics: dict[str, Any], forecast: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "components": [CALLS],
        "economics": economics,
        "usage_forecast": {"calls": {"monthly": "1000"}, **(forecast or {})},
    }


BELOW_COST = {"unit_costs": {"calls": "0.10"}, "target_margin_percent": "70"}
"""The cost-anchored price of a call: 0.10 / (1 - 0.70) = 0.3333."""


def below_cost(component: dict[str, Any]) -> dict[str, Any]:
    return {
        "components": [{"id": "c", "name": "Calls", **component}],
        "economics": BELOW_COST,
        "usage_forecast": {"calls": {"monthly": "100"}},
    }


def flat(amount: str) -> list[dict[str, Any]]:
    return [{"kind": "flat_fee", "id": "p", "name": "P", "amount": amount}]


CASES: list[tuple[str, dict[str, Any], str, str | None, list[str]]] = [
    # (id, the quote, code, case, what the German sentence holds)
    (
        "outcome-terms",
        {"components": [outcome({})], "usage_forecast": {"tickets": {"monthly": "100"}}},
        "OUTCOME_TERMS_MISSING",
        None,
        [
            "„Resolved tickets“ rechnet pro Ergebnis ab, legt aber Folgendes nicht fest: was als "
            "ein Ergebnis zählt, den Nachweis und eine Einspruchsfrist."
        ],
    ),
    (
        "outcome-criteria",
        {
            "components": [outcome({k: v for k, v in TERMS.items() if k != "success_criteria"})],
            "usage_forecast": {"tickets": {"monthly": "1"}},
        },
        "OUTCOME_CRITERIA_MISSING",
        None,
        ["„Resolved tickets“ hat keine Erfolgskriterien"],
    ),
    (
        "attribution-both",
        share({}, None),
        "ATTRIBUTION_MISSING",
        None,
        ["„Share“", "weder eine Zuordnungsmethode noch eine Basislinie"],
    ),
    (
        "attribution-method",
        share({}, "0"),
        "ATTRIBUTION_MISSING",
        None,
        ["hat aber keine Zuordnungsmethode"],
    ),
    (
        "attribution-baseline",
        share({"method": "holdout_group"}, None),
        "ATTRIBUTION_MISSING",
        None,
        ["hat aber keine Basislinie"],
    ),
    (
        "tokens",
        {
            "components": [
                {
                    "kind": "per_unit",
                    "id": "t",
                    "name": "Tokens",
                    "metric": "output_tokens",
                    "unit_price": "0.00002",
                }
            ],
            "usage_forecast": {"output_tokens": {"monthly": "1"}},
        },
        "TOKEN_PASS_THROUGH",
        None,
        ["„Tokens“ rechnet pro Token ab"],
    ),
    (
        "headcount-variation",
        {"components": [SEATS], "advisor": {"usage_intensity_variation": "high"}},
        "HEADCOUNT_BLIND_SEATS",
        "variation",
        ["obwohl die Nutzung pro Lizenz stark schwankt"],
    ),
    (
        "headcount-tracking",
        {"components": [SEATS], "advisor": {"usage_tracks_headcount": False}},
        "HEADCOUNT_BLIND_SEATS",
        "headcount",
        ["obwohl die Nutzung nicht der Mitarbeiterzahl folgt"],
    ),
    (
        # Floor: (200 + 1,000 x 0.10) / (1 - 0.70) = 1,000 a month; the fee is 999.99.
        "platform-fee",
        {
            "components": [
                {"kind": "flat_fee", "id": "p", "name": "Platform", "amount": "999.99"},
                {
                    "kind": "allowance_overage",
                    "id": "ops",
                    "name": "Ops",
                    "metric": "ops",
                    "included": "1000",
                    "overage_unit_price": "0.25",
                },
            ],
            "economics": {
                "unit_costs": {"ops": "0.10"},
                "fixed_cost_per_month": "200",
                "target_margin_percent": "70",
            },
            "usage_forecast": {"ops": {"monthly": "1"}},
        },
        "PLATFORM_FEE_BELOW_FLOOR",
        None,
        ["(999,99 $ pro Monat)", "Zielmarge von 70 %", "mindestens 1.000,00 $ betragen"],
    ),
    (
        "credits-answered",
        credits_deal("medium"),
        "CREDIT_ALLOCATION_80_50",
        "answered",
        [
            "„AI credits“: 80 % der Nutzer",
            "ihrer 2.000 Credits pro Monat",
            "etwa 2.106. Das Kontingent",
            "mindestens 4.211.",
        ],
    ),
    (
        "credits-assumed",
        credits_deal(None),
        "CREDIT_ALLOCATION_80_50",
        "assumed",
        ["etwa 2.106 (Nutzungsschwankung nicht angegeben: mittel angenommen)"],
    ),
    (
        # No revenue (a 100 % discount), COGS 500 x 12 = 6,000.
        "margin-no-revenue",
        {
            "components": flat("1000"),
            "economics": {"fixed_cost_per_month": "500"},
            "discounts": [{"percent": "100"}],
        },
        "MARGIN_BELOW_FLOOR",
        "no_revenue",
        ["Vertragsjahr 1 hat COGS von 6.000,00 $", "unter der Mindestmarge von 60 %"],
    ),
    (
        # (1,000 - 460) / 1,000 = 54.0 % against a 55 % floor.
        "margin-below",
        {
            "components": flat("1000"),
            "economics": {"fixed_cost_per_month": "460", "margin_floor_percent": "55"},
        },
        "MARGIN_BELOW_FLOOR",
        "below",
        ["im Vertragsjahr 1 beträgt 54,0 % und liegt unter der Mindestmarge von 55 %"],
    ),
    (
        # (1,000 - 380) / 1,000 = 62.0 %: above a 60 % floor, below outcome-based 65-75 %.
        "margin-model",
        {
            "pricing_model": "outcome_based",
            "components": [dict(SEATS, price_per_seat="100")],
            "economics": {"fixed_cost_per_month": "380", "margin_floor_percent": "60"},
        },
        "MARGIN_BELOW_MODEL_RANGE",
        None,
        [
            "beträgt 62,0 %",
            "Mindestmarge von 60 %",
            "65–75 %",
            "„Ergebnisbasierte Preisgestaltung“",
        ],
    ),
    (
        "no-escalator",
        {"term_months": 24},
        "NO_ESCALATOR",
        None,
        ["Ein Vertrag über 24 Monate ohne jährliche Preissteigerung", "3–5 % pro Jahr"],
    ),
    (
        "escalator-low",
        {"term_months": 24, "escalator_percent": "2.5"},
        "ESCALATOR_LOW",
        None,
        ["Die Preissteigerung (2,5 %) liegt unter den üblichen 3–5 % pro Jahr."],
    ),
    (
        "escalator-high",
        {"term_months": 36, "escalator_percent": "5.5"},
        "ESCALATOR_HIGH",
        None,
        ["(5,5 % pro Jahr) liegt über den 3–5 % pro Jahr des Playbooks"],
    ),
    (
        # 0.05 a unit at 3 %: year 2's 0.0515 rounds back to 0.05 (a 0 % increase)
        "escalator-rounded",
        {
            "term_months": 24,
            "escalator_percent": "3",
            "components": [dict(CALLS, name="Calls", unit_price="0.05")],
            "usage_forecast": {"calls": {"monthly": "1000"}},
        },
        "ESCALATOR_ROUNDED",
        None,
        [
            "„Calls“, Preis pro Einheit (0,05 $): Im Jahr 2 wird der gesteigerte Preis auf "
            "0,05 $ gerundet, eine Erhöhung um 0,0 % statt der 3 % der Preissteigerung. "
            "Schreiben Sie den Preis mit mehr Nachkommastellen (0,0500)"
        ],
    ),
    (
        # tier 2 at 0.10 with 7 %: 0.107 rounds to 0.11, a 10 % increase
        "escalator-rounded-tier",
        {
            "term_months": 24,
            "escalator_percent": "7",
            "components": [
                {
                    "kind": "graduated",
                    "id": "g",
                    "name": "Calls",
                    "metric": "calls",
                    "tiers": [{"up_to": "100", "unit_price": "1.00"}, {"unit_price": "0.10"}],
                }
            ],
            "usage_forecast": {"calls": {"monthly": "1000"}},
        },
        "ESCALATOR_ROUNDED",
        None,
        ["„Calls“, Preis pro Einheit der Stufe 2 (0,10 $)", "Erhöhung um 10,0 % statt der 7 %"],
    ),
    (
        "routing-above",
        lever("routing_savings_percent", "95"),
        "COST_LEVER_OUT_OF_RANGE",
        "above",
        ["Routing-Einsparungen von 95 % liegen über den 40–60 % des Playbooks"],
    ),
    (
        "routing-below",
        lever("routing_savings_percent", "20"),
        "COST_LEVER_OUT_OF_RANGE",
        "below",
        ["Routing-Einsparungen von 20 % liegen unter den üblichen 40–60 %"],
    ),
    (
        "cache-above",
        lever("cache_hit_percent", "90"),
        "COST_LEVER_OUT_OF_RANGE",
        "above",
        ["Cache-Treffer von 90 % liegen über den 30–60 %"],
    ),
    (
        "cache-below",
        lever("cache_hit_percent", "12.5"),
        "COST_LEVER_OUT_OF_RANGE",
        "below",
        ["Cache-Treffer von 12,5 % liegen unter den üblichen 30–60 %"],
    ),
    (
        "fine-tuning-above",
        lever("fine_tuning_savings_percent", "99"),
        "COST_LEVER_OUT_OF_RANGE",
        "above",
        ["Fine-Tuning-Einsparungen von 99 % liegen über den 70–90 %"],
    ),
    (
        "fine-tuning-below",
        lever("fine_tuning_savings_percent", "50"),
        "COST_LEVER_OUT_OF_RANGE",
        "below",
        ["Fine-Tuning-Einsparungen von 50 % liegen unter den üblichen 70–90 %"],
    ),
    (
        "model-not-recommended",
        {"product_category": "content_generation", "pricing_model": "outcome_based"},
        "MODEL_NOT_RECOMMENDED",
        None,
        [
            "Das Playbook empfiehlt „Gestaffelte Lizenzen + KI-Credits“ oder „Plattformgebühr + "
            "Nutzung“",
            "dieses Angebot verwendet „Ergebnisbasierte Preisgestaltung“",
        ],
    ),
    (
        "category-not-compared",
        {"product_category": "analytics_copilot", "currency": "EUR"},
        "CATEGORY_RANGE_NOT_COMPARED",
        None,
        ["(12.000 $–60.000 $ pro Jahr) ist in USD; dieses Angebot ist in EUR"],
    ),
    (
        # Analytics copilot: $12,000-$60,000 a year; 999.99 x 12 = 11,999.88.
        "acv-below",
        {"product_category": "analytics_copilot", "components": flat("999.99")},
        "ACV_OUT_OF_RANGE",
        "below",
        ["Der ACV im ersten Jahr von 11.999,88 $ liegt unter der Spanne"],
    ),
    (
        "acv-above",
        {"product_category": "analytics_copilot", "components": flat("5000.01")},
        "ACV_OUT_OF_RANGE",
        "above",
        ["Der ACV im ersten Jahr von 60.000,12 $ liegt über der Spanne"],
    ),
    (
        # Sales intelligence, $6,000-$30,000 a year: 400 x 3 = 1,200 over 3 months is
        # 1,200 x 12 / 3 = 4,800 a year.
        "acv-annualised-below",
        {"product_category": "sales_intelligence", "term_months": 3, "components": flat("400")},
        "ACV_OUT_OF_RANGE",
        "below",
        ["aus 3 Monaten hochgerechnet (1.200,00 $ x 12 / 3), 4.800,00 $, liegt unter"],
    ),
    (
        # 2,600 x 6 = 15,600 over 6 months is 31,200 a year.
        "acv-annualised-above",
        {"product_category": "sales_intelligence", "term_months": 6, "components": flat("2600")},
        "ACV_OUT_OF_RANGE",
        "above",
        ["aus 6 Monaten hochgerechnet (15.600,00 $ x 12 / 6), 31.200,00 $, liegt über"],
    ),
    (
        # Support: $1-$5 a resolved ticket.
        "unit-price-above",
        {
            "product_category": "customer_support",
            "components": [outcome(TERMS, "6")],
            "usage_forecast": {"tickets": {"monthly": "10"}},
        },
        "UNIT_PRICE_OUT_OF_RANGE",
        "above",
        ["„Resolved tickets“ zu 6,00 $ liegt über der Spanne", "1 $–5 $"],
    ),
    (
        "unit-price-below",
        {
            "product_category": "customer_support",
            "components": [outcome(TERMS, "0.455")],
            "usage_forecast": {"tickets": {"monthly": "10"}},
        },
        "UNIT_PRICE_OUT_OF_RANGE",
        "below",
        ["„Resolved tickets“ zu 0,455 $ liegt unter der Spanne"],
    ),
    (
        # Individual coding assistant: $120-$240 per seat per year; 25 x 12 = 300.
        "seat-price-above",
        {
            "product_category": "coding_assistant_individual",
            "components": [
                {"kind": "seats", "id": "s", "name": "Pro", "seats": 1, "price_per_seat": "25"}
            ],
        },
        "SEAT_PRICE_OUT_OF_RANGE",
        "above",
        ["„Pro“ zu 300,00 $ pro Lizenz und Jahr liegt über der Spanne", "120 $–240 $"],
    ),
    (
        "seat-price-below",
        {
            "product_category": "coding_assistant_individual",
            "components": [
                {"kind": "seats", "id": "s", "name": "Pro", "seats": 1, "price_per_seat": "5"}
            ],
        },
        "SEAT_PRICE_OUT_OF_RANGE",
        "below",
        ["„Pro“ zu 60,00 $ pro Lizenz und Jahr liegt unter der Spanne"],
    ),
    (
        "below-cost-unit",
        below_cost({"kind": "per_unit", "metric": "calls", "unit_price": "0.30"}),
        "PRICE_BELOW_COST_ANCHOR",
        "unit",
        [
            "„Calls“ zu 0,30 $ pro Einheit liegt unter dem kostenbasierten Preis von 0,3333 $ "
            "für „calls“ (Stückkosten / (1 − Zielmarge von 70 %))"
        ],
    ),
    (
        "below-cost-overage",
        below_cost({"kind": "allowance_overage", "metric": "calls", "overage_unit_price": "0.2"}),
        "PRICE_BELOW_COST_ANCHOR",
        "overage",
        ["Die Überschreitung von „Calls“ zu 0,20 $ pro Einheit liegt unter"],
    ),
    (
        "below-cost-tier",
        below_cost(
            {
                "kind": "volume",
                "metric": "calls",
                "tiers": [
                    {"up_to": "10", "unit_price": "0", "flat_fee": "5"},
                    {"up_to": "1000", "unit_price": "0.40"},
                    {"unit_price": "0.0025"},
                ],
            }
        ),
        "PRICE_BELOW_COST_ANCHOR",
        "tier",
        [
            "Stufe 1 von „Calls“ (0 bis 10) zu 0,00 $ pro Einheit",
            "Stufe 3 von „Calls“ (über 1.000) zu 0,0025 $ pro Einheit",
        ],
    ),
    (
        # 30 per block of 1,000 = 0.03 a call
        "below-cost-package",
        below_cost(
            {"kind": "package", "metric": "calls", "package_size": "1000", "package_price": "30"}
        ),
        "PRICE_BELOW_COST_ANCHOR",
        "package",
        ["„Calls“ zu 30,00 $ pro 1.000 Einheiten (0,03 $ pro Einheit)"],
    ),
    (
        # Packs of 500 credits at 2 = 0.004 a credit x 25 credits a call = 0.10 a call
        "below-cost-credits",
        below_cost(
            {"kind": "credits", "burn": {"calls": "25"}, "pack": {"credits": "500", "price": "2"}}
        ),
        "PRICE_BELOW_COST_ANCHOR",
        "credits",
        ["„Calls“ zu 0,004 $ pro Credit × 25 Credits pro Aktion „calls“ (0,10 $ pro Aktion)"],
    ),
    (
        # 0.34 / 0.60 = 56.7 % of the value
        "value-capture",
        {
            "components": [
                {"kind": "per_unit", "id": "q", "name": "Q", "metric": "q", "unit_price": "0.34"}
            ],
            "economics": {"unit_costs": {"q": "0.10"}, "target_margin_percent": "70"},
            "usage_forecast": {"q": {"monthly": "100"}},
            "value": {"metric": "q", "value_per_unit": "0.60"},
        },
        "VALUE_CAPTURE_HIGH",
        None,
        ["Der Preis schöpft 56,7 % des gelieferten Werts ab (mehr als 50 %)"],
    ),
    (
        "no-forecast",
        {"components": [CALLS]},
        "NO_FORECAST",
        None,
        ["„U“ liest die Metrik „calls“, aber das Angebot hat keine Prognose dafür"],
    ),
    (
        "discount-past-term",
        {"discounts": [{"description": "Pilot", "percent": "20", "start_month": 7, "months": 12}]},
        "DISCOUNT_PAST_TERM",
        None,
        [
            # a 12-month term: 12 - 7 + 1 = 6 months within it
            "„Pilot“ läuft 12 Monate ab Monat 7, über das Ende der Laufzeit (Monat 12) hinaus: "
            "nur die 6 Monate innerhalb der Laufzeit werden berechnet und gedruckt"
        ],
    ),
    (
        # 50 seats become 2,000 in year 2 while 1,000 calls a month stay as they were
        "ramp-usage-flat",
        {
            "term_months": 24,
            "components": [
                CALLS,
                {"kind": "seats", "id": "s", "name": "Seats", "price_per_seat": "40", "seats": 50},
            ],
            "usage_forecast": {"calls": {"monthly": "1000"}},
            "ramps": [{"year": 2, "seats": {"s": 2000}}],
        },
        "RAMP_USAGE_FLAT",
        None,
        [
            "Die Rampe von Jahr 2 bringt „Seats“ von 50 auf 2.000 Lizenzen, lässt die Nutzung "
            "von calls aber, wo sie war"
        ],
    ),
    (
        "cost-only-billed",
        calls({"unit_costs": {"calls": "0.10"}, "cost_only_metrics": ["calls"]}),
        "COST_ONLY_METRIC_BILLED",
        None,
        ["„calls“ ist als reine Kostenmetrik markiert, aber eine Komponente rechnet sie ab"],
    ),
    (
        "unit-cost-unused-no-cost",
        calls({"unit_costs": {"calls": "0.10"}, "cost_only_metrics": ["gpu_hours"]}),
        "UNIT_COST_UNUSED",
        "cost_only_without_cost",
        ["„gpu_hours“ ist als reine Kostenmetrik markiert, hat aber keine Stückkosten"],
    ),
    (
        "unit-cost-unused-no-forecast",
        calls({"unit_costs": {"gpu_hours": "0.50"}, "cost_only_metrics": ["gpu_hours"]}),
        "UNIT_COST_UNUSED",
        "cost_only_without_forecast",
        ["geben Sie „gpu_hours“ seine monatliche Menge in der Nutzungsprognose"],
    ),
    (
        "unit-cost-unused-not-billed",
        calls({"unit_costs": {"outcomes": "0.40"}}),
        "UNIT_COST_UNUSED",
        "not_billed",
        ["Die Stückkosten von „outcomes“ zählen nichts", "abgerechnete Metrik (calls)"],
    ),
    (
        "unit-cost-not-billed",
        calls({"unit_costs": {"gpu_hours": "0.50"}}, {"gpu_hours": {"monthly": "200"}}),
        "UNIT_COST_NOT_BILLED",
        None,
        ["„gpu_hours“ hat Stückkosten und eine Prognose", "auf die abgerechnete Metrik (calls)"],
    ),
    (
        "no-unit-cost-carried",
        calls(
            {"unit_costs": {"gpu_hours": "0.50"}, "cost_only_metrics": ["gpu_hours"]},
            {"gpu_hours": {"monthly": "200"}},
        ),
        "NO_UNIT_COST",
        "carried",
        ["calls hat keine eigenen Stückkosten: Die Nutzungskosten werden auf gpu_hours gezählt."],
    ),
    (
        "no-unit-cost",
        calls({}),
        "NO_UNIT_COST",
        "uncosted",
        ["calls wird abgerechnet, hat aber keine Stückkosten"],
    ),
    (
        "no-unit-cost-plural",
        {
            "components": [CALLS, dict(CALLS, id="v", name="V", metric="views")],
            "usage_forecast": {"calls": {"monthly": "1"}, "views": {"monthly": "1"}},
        },
        "NO_UNIT_COST",
        "uncosted",
        ["calls, views werden abgerechnet, haben aber keine Stückkosten"],
    ),
]


def warnings_of(quote: dict[str, Any], code: str, case: str | None) -> list[QuoteWarning]:
    found = [
        w
        for w in price(make_quote(**quote)).warnings
        if w.code == code and (case is None or w.values().get("case") == case)
    ]
    assert found, f"the quote raises no {code} ({case})"
    return found


@pytest.mark.parametrize(
    ("quote", "code", "case", "expected"),
    [pytest.param(*rest, id=name) for name, *rest in CASES],
)
def test_each_warning_in_german_from_its_values(
    german: None, quote: dict[str, Any], code: str, case: str | None, expected: list[str]
) -> None:
    found = warnings_of(quote, code, case)
    texts = [plain(warning_text(w)) for w in found]
    for part in expected:
        assert any(part in text for text in texts), (part, texts)
    for warning, text in zip(found, texts, strict=True):
        assert text != warning.message  # written again, not the English fallback
        assert "{" not in text and "}" not in text
        # no English number left ("1,000.00 USD", "0.3333"): German groups thousands with
        # a point (1.000) and writes decimals with a comma
        assert not re.search(r"\d USD", text) and not re.search(
            r"\d\.(\d{1,2}|\d{4,})(?!\d)", text
        ), text


@pytest.mark.parametrize(
    ("quote", "code", "case"), [pytest.param(*rest[:3], id=name) for name, *rest in CASES]
)
def test_each_warning_in_french_and_english(
    french: None, quote: dict[str, Any], code: str, case: str | None
) -> None:
    for warning in warnings_of(quote, code, case):
        text = warning_text(warning)
        assert text != warning.message and "{" not in text
        i18n.use_language("en")
        locale_format.set_locale("en_US")
        try:
            english = warning_text(warning)
        finally:
            i18n.use_language("fr")
            locale_format.set_locale("fr_FR")
        assert english not in (text, "") and "{" not in english
        assert not re.search(r"\d USD", english)  # the currency's own format: $0.004, $1,000.00


def test_the_english_sentences_read_as_the_engine_s() -> None:
    """In English the app's sentence is the engine's, amounts in the currency's format:
    "0.004 USD" is "$0.004", "0.1 USD" is "$0.10"."""
    [warning] = warnings_of(CASES_BY_ID["below-cost-credits"], "PRICE_BELOW_COST_ANCHOR", None)
    assert warning.message == (
        "'Calls' at 0.004 USD a credit x 25 credits per 'calls' action (0.1 USD per action) is "
        "below the cost-anchored price 0.3333 for 'calls' (unit cost / (1 - 70% target "
        "margin)): every unit sold erodes the margin."
    )
    assert warning_text(warning) == (
        "'Calls' at $0.004 a credit x 25 credits per 'calls' action ($0.10 per action) is "
        "below the cost-anchored price $0.3333 for 'calls' (unit cost / (1 - 70% target "
        "margin)): every unit sold erodes the margin."
    )
    [criteria] = warnings_of(CASES_BY_ID["outcome-criteria"], "OUTCOME_CRITERIA_MISSING", None)
    assert warning_text(criteria) == criteria.message  # nothing to format: the same words


CASES_BY_ID = {name: quote for name, quote, *_ in CASES}


def _source_codes(path: Path, call: str, position: int, *, shaped: bool) -> set[str]:
    """The codes ``path`` passes as the ``position``-th argument of ``call(...)`` and, with
    ``shaped``, every string constant shaped like a code (``"ACV_OUT_OF_RANGE"``)."""
    tree = ast.parse(path.read_text("utf-8"))
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == call
            and len(node.args) > position
        ):
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add(argument.value)
        elif (
            shaped
            and isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and re.fullmatch(r"[A-Z]+(_[A-Z0-9]+)+", node.value)
        ):
            found.add(node.value)
    return found


def _source_cases(path: Path) -> set[str]:
    """Every literal a warning's ``case`` can take in ``path``."""
    tree = ast.parse(path.read_text("utf-8"))
    cases: set[str] = set()

    def literals(node: ast.AST) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return literals(node.body) | literals(node.orelse)
        return set()

    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "case":
            cases |= literals(node.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "case":
                    cases |= literals(value)
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "outside" for t in node.targets
        ):
            cases |= literals(node.value)
    return cases


def test_every_warning_code_and_case_has_its_sentences() -> None:
    """Walks ``pricing/guardrails.py``: a new code or case without its sentences here (and
    without its German test above) fails."""
    guardrails = ROOT / "quote_builder" / "pricing" / "guardrails.py"
    codes = _source_codes(guardrails, "_w", 0, shaped=True)
    assert "PRICE_BELOW_COST_ANCHOR" in codes and "ACV_OUT_OF_RANGE" in codes  # the walk works
    assert codes == set(engine_words.WARNINGS)
    assert codes == set(engine_words.WARNING_TITLES)
    assert codes == {code for _name, _quote, code, _case, _expected in CASES}
    cases = _source_cases(guardrails)
    assert {"variation", "no_revenue", "credits", "above", "carried"} <= cases
    tested = {case for _name, _quote, _code, case, _expected in CASES if case}
    assert cases == tested


def test_an_unknown_code_or_values_that_do_not_fit_show_the_english(german: None) -> None:
    new = QuoteWarning("SOMETHING_NEW", "info", "Something new.", None, (("x", D(1)),))
    assert warning_text(new) == "Something new."
    odd = QuoteWarning("NO_ESCALATOR", "warning", "A 24-month deal ...", None, (("low", "x"),))
    assert warning_text(odd) == "A 24-month deal ..."
    assert warning_text(QuoteWarning("NO_ESCALATOR", "warning", "As it was.")) == "As it was."
    assert warning_title("MARGIN_BELOW_FLOOR") == "Marge unter der Mindestmarge"
    assert warning_title("SOMETHING_NEW") == "Something new"


def test_the_warning_s_values_stay_out_of_price_json() -> None:
    from quote_builder.pricing.serialize import priced_to_dict

    priced = price(make_quote(**CASES_BY_ID["below-cost-credits"]))
    assert priced.warnings and priced.warnings[0].params
    assert set(priced_to_dict(priced)["warnings"][0]) == {"code", "severity", "message", "path"}


# --- approval reasons ----------------------------------------------------------------------

POLICY = ApprovalPolicy()
RATES = RateTable("USD", {("USD", "EUR"): TableRate(Decimal("0.9213"), "2026-11-02", "ECB")})
"""The organisation's exchange-rate table the reasons are judged with: USD to EUR only."""


def in_currency(currency: str, rate: str | None) -> dict[str, Any]:
    """A quote in ``currency`` (1,000 a month, 300 USD of costs) keeping ``rate``."""
    fx = (
        {"seller_currency": "USD", "rate": rate, "as_of": "2026-11-02", "source": "The rep"}
        if rate is not None
        else None
    )
    return {"currency": currency, "exchange_rate": fx, "economics": {"fixed_cost_per_month": "300"}}


def discounted(percent: str) -> dict[str, Any]:
    return {"discounts": [{"percent": percent}]}


REASON_CASES: list[tuple[str, dict[str, Any], ApprovalPolicy, str, list[str]]] = [
    (
        "discount-manager",
        discounted("15"),
        POLICY,
        "DISCOUNT_ABOVE_AUTHORITY",
        [
            "Der effektive Rabatt beträgt 15 % und liegt über der Befugnis des "
            "Vertriebs von 10 %: Ein Manager muss freigeben."
        ],
    ),
    (
        "discount-desk-above-manager",
        discounted("25"),
        POLICY,
        "DISCOUNT_ABOVE_AUTHORITY",
        ["25 % und liegt über der Befugnis des Managers von 20 %: Der Deal Desk muss"],
    ),
    (
        "discount-desk-above-rep",
        discounted("12.5"),
        ApprovalPolicy(discount_authority={"rep": D(10), "deal_desk": D(100)}),
        "DISCOUNT_ABOVE_AUTHORITY",
        ["12,5 % und liegt über der Befugnis des Vertriebs von 10 %: Der Deal Desk"],
    ),
    (
        "discount-exception",
        discounted("40"),
        ApprovalPolicy(discount_authority={"rep": D(10), "manager": D(20), "deal_desk": D(30)}),
        "DISCOUNT_ABOVE_AUTHORITY",
        ["über der Befugnis jeder Rolle (die des Deal Desks beträgt 30 %)"],
    ),
    (
        # (1,000 - 460) / 1,000 = 54.0 % against the 60 % floor
        "margin",
        {"economics": {"fixed_cost_per_month": "460"}},
        POLICY,
        "MARGIN_BELOW_FLOOR",
        ["im Vertragsjahr 1 beträgt 54,0 % und liegt unter der Mindestmarge von 60 %"],
    ),
    (
        "rate-off-table",
        in_currency("EUR", "0.3"),
        POLICY,
        "RATE_OFF_TABLE",
        [
            "Der Wechselkurs in diesem Angebot, 0,3 EUR pro USD, weicht um 67,4 % vom Kurs der "
            "Tabelle ab (0,9213 EUR pro USD), mehr als die erlaubten 2 %; die Margen werden zu "
            "0,9213 EUR pro USD beurteilt"
        ],
    ),
    (
        "rate-not-in-table",
        in_currency("CHF", "0.8"),
        POLICY,
        "RATE_NOT_IN_TABLE",
        ["Die Wechselkurstabelle hat keinen Kurs von USD nach CHF", "(0,8 CHF pro USD)"],
    ),
    (
        "rate-not-kept-nor-in-table",
        in_currency("CHF", None),
        POLICY,
        "RATE_NOT_IN_TABLE",
        ["Dieses Angebot enthält keinen Wechselkurs und die Wechselkurstabelle hat keinen Kurs"],
    ),
    (
        "rate-missing",
        in_currency("EUR", None),
        POLICY,
        "RATE_MISSING",
        ["Kosten in USD als EUR gelesen", "zum Kurs der Tabelle beurteilt, 0,9213 EUR pro USD"],
    ),
    (
        "quote-floor",
        {"economics": {"margin_floor_percent": "52.5"}},
        POLICY,
        "QUOTE_FLOOR_BELOW_POLICY",
        ["mit einer Mindestmarge von 52,5 % kalkuliert, unter den 60 % der Richtlinie"],
    ),
    (
        "term",
        {"term_months": 48, "escalator_percent": "3"},
        POLICY,
        "TERM_TOO_LONG",
        ["Die Laufzeit beträgt 48 Monate, länger als die ohne Freigabe erlaubten 36 Monate"],
    ),
    (
        "escalator",
        {"term_months": 24, "escalator_percent": "2.5"},
        POLICY,
        "ESCALATOR_BELOW_MINIMUM",
        ["2,5 % pro Jahr bei einem Vertrag über 24 Monate, unter dem Minimum von 3 %"],
    ),
    (
        "payment-terms",
        {"contract": {"payment_terms_days": 1000 // 16}},
        POLICY,
        "PAYMENT_TERMS_TOO_LONG",
        ["Das Zahlungsziel beträgt 62 Tage, länger als die üblichen 30 Tage"],
    ),
    (
        "custom-attribution",
        share({"method": "custom", "description": "Our own"}, "0"),
        POLICY,
        "CUSTOM_ATTRIBUTION",
        ["Share verwendet eine eigene Zuordnungsmethode"],
    ),
    (
        "outcome-without-minimum",
        {"components": [outcome(TERMS)], "usage_forecast": {"tickets": {"monthly": "100"}}},
        POLICY,
        "OUTCOME_WITHOUT_MINIMUM",
        ["Resolved tickets wird nach Ergebnis berechnet, ohne Mindestabnahme"],
    ),
]


def reasons_of(quote: dict[str, Any], policy: ApprovalPolicy, code: str) -> Evaluation:
    doc = make_quote(**quote)
    evaluation = evaluate(doc, price(doc), policy, RATES)
    assert len(evaluation.details) == len(evaluation.reasons)
    assert code in [d.code for d in evaluation.details], evaluation.reasons
    return evaluation


@pytest.mark.parametrize(
    ("quote", "policy", "code", "expected"),
    [pytest.param(*rest, id=name) for name, *rest in REASON_CASES],
)
def test_each_reason_in_german_from_its_values(
    german: None, quote: dict[str, Any], policy: ApprovalPolicy, code: str, expected: list[str]
) -> None:
    evaluation = reasons_of(quote, policy, code)
    texts = [plain(t) for t in reason_texts(evaluation.reasons, evaluation.details)]
    for part in expected:
        assert any(part in text for text in texts), (part, texts)
    for english, detail, text in zip(evaluation.reasons, evaluation.details, texts, strict=True):
        assert text != english and "{" not in text
        assert text.endswith("freigeben.") or "Ausnahme" in text
        # The values survive the trip through the database (JSON) unchanged.
        again = Reason.from_json(json.loads(json.dumps(detail.to_json())))
        assert again == detail and plain(reason_text(english, again)) == text


def test_every_reason_code_has_its_sentences() -> None:
    policy = ROOT / "quote_builder" / "approvals" / "policy.py"
    codes = _source_codes(policy, "because", 1, shaped=False)
    codes |= _source_codes(policy, "Reason", 0, shaped=False)  # check_rate's reasons
    assert "DISCOUNT_ABOVE_AUTHORITY" in codes  # the walk works
    assert codes == set(REASON_CODES) == set(engine_words.REASONS)
    assert codes == {code for _name, _quote, _policy, code, _expected in REASON_CASES}


def test_an_option_s_reasons_name_the_option(german: None) -> None:
    from quote_builder.pricing.options import option_from_document
    from quote_builder.pricing.quote_format import quote_from_data

    base = make_quote()
    premium = make_quote(discounts=[{"percent": "15"}])
    data = base.to_json_dict()
    data["options"] = [
        option_from_document(base, "a", "Basis", recommended=True).model_dump(
            mode="json", exclude_none=True
        ),
        option_from_document(premium, "b", "Premium").model_dump(mode="json", exclude_none=True),
    ]
    doc = quote_from_data(data)
    evaluation = evaluate(doc, price(doc), POLICY)
    assert evaluation.reasons == [
        "Option Premium: The effective discount is 15.00%, above the rep's 10% authority: a "
        "manager must approve."
    ]
    assert evaluation.details[0].option == "Premium"
    assert plain(reason_texts(evaluation.reasons, evaluation.details)[0]) == (
        "Option Premium: Der effektive Rabatt beträgt 15 % und liegt über der Befugnis des "
        "Vertriebs von 10 %: Ein Manager muss freigeben."
    )


def test_reasons_without_codes_are_shown_as_stored(german: None) -> None:
    stored = ["The term is 48 months, longer than the 36 months allowed without approval: ..."]
    assert reason_texts(stored, []) == stored  # a request from before the codes
    unknown = Reason("SOMETHING_NEW", (("x", "1"),))
    assert reason_texts(["As stored."], [unknown]) == ["As stored."]
    odd = Reason("TERM_TOO_LONG", (("months", "many"),))
    assert reason_texts(["As stored."], [odd]) == ["As stored."]
    assert Reason.from_json({"code": "X", "params": {"a": [1]}}) is None
    assert Reason.from_json({"code": "X", "params": {"a": {"decimal": "x"}}}) is None
    assert Reason.from_json("not a reason") is None


def test_english_shown_as_stored_writes_its_percents_the_user_s_way(german: None) -> None:
    """A reason or warning shown in English (stored before the codes, or a code not known
    here) still writes its percents with the one formatter in the user's locale: "24 %",
    never the engine's "24.00%"; a quoted name stays as written."""
    stored = "The effective discount is 24.00%, above the manager's 20% authority: ..."
    assert [plain(t) for t in reason_texts([stored], [])] == [
        "The effective discount is 24 %, above the manager's 20 % authority: ..."
    ]
    unknown = Reason("SOMETHING_NEW", (("share", D("12.50")),))
    assert plain(reason_text("A share of 12.50% of 'X 5.00%'.", unknown)) == (
        "A share of 12,5 % of 'X 5.00%'."
    )
    new = QuoteWarning("SOMETHING_NEW", "info", "At 70.00%.", None, (("x", D("70.00")),))
    assert plain(warning_text(new)) == "At 70 %."


def test_english_shown_as_stored_in_english() -> None:
    stored = "The effective discount is 10.01%, above the rep's 10.00% authority."
    assert reason_texts([stored], []) == [
        "The effective discount is 10.01%, above the rep's 10% authority."
    ]
