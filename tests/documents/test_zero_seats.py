"""A seats line without seats reads as not ordered, the same in the proposal, the order
form and `price`: "0 Viewer seats at €15.00 per seat per month" read as if bought, a line
without seats in year 1 but seats from year 2 ("0 Analyst seats ...") contradicted the
committed quantities, and a line never ordered was named among the fixed fees that become
due on termination."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from quote_builder.documents import render_pdf
from quote_builder.documents.order_form import contract_view
from quote_builder.documents.proposal import proposal_view
from quote_builder.documents.viewmodel import customer_view, view_meta
from quote_builder.pricing import QuoteDocument, load_quote, price

from .conftest import pdf_text, request_for


def _zero_seats(
    *fees: dict[str, str], years: int = 2, ramps: list[dict[str, object]] | None = None
) -> QuoteDocument:
    return load_quote(
        json.dumps(
            {
                "format": "quote-builder/quote",
                "format_version": 1,
                "title": "Analytics with seats",
                "customer": {"name": "Zero Test"},
                "product_category": "analytics_copilot",
                "pricing_model": "platform_usage",
                "currency": "EUR",
                "start_date": "2027-01-01",
                "term_months": 12 * years,
                "billing_frequency": "quarterly",
                "components": [
                    *fees,
                    {
                        "kind": "flat_fee",
                        "id": "platform",
                        "name": "Platform fee",
                        "amount": "1000.00",
                    },
                    {
                        "kind": "seats",
                        "id": "viewers",
                        "name": "Viewer seats",
                        "tier": "Viewer",
                        "seats": 0,
                        "price_per_seat": "15.00",
                        "interval": "month",
                        "features": ["Dashboards"],
                    },
                    {
                        "kind": "seats",
                        "id": "analysts",
                        "name": "Analyst seats",
                        "tier": "Analyst",
                        "seats": 0,
                        "price_per_seat": "50.00",
                        "interval": "month",
                    },
                    {
                        "kind": "seats",
                        "id": "pilot",
                        "name": "Pilot seats",
                        "tier": "Pilot",
                        "seats": 10,
                        "price_per_seat": "20.00",
                        "interval": "month",
                    },
                    {
                        "kind": "seats",
                        "id": "auditors",
                        "name": "Auditor licences",
                        "seats": 0,
                        "price_per_seat": "600.00",
                        "interval": "year",
                    },
                ],
                "ramps": ramps
                if ramps is not None
                else [{"year": 2, "seats": {"analysts": 25, "pilot": 0}}],
                "economics": {"target_margin_percent": 70, "margin_floor_percent": 60},
            }
        )
    )


def _terms(view: dict[str, object], key: str) -> dict[str, str]:
    return {row["name"]: row["terms"] for row in view[key]}  # type: ignore[attr-defined]


NOT_ORDERED = (
    "No Viewer seats ordered; €15.00 per seat per month for seats you add. Includes Dashboards."
)
LATER = "Analyst seats at €50.00 per seat per month: none in year 1 and 25 from year 2."
RAMPED_DOWN = "Pilot seats at €20.00 per seat per month: 10 in year 1 and none from year 2."
NO_TIER = "No seats ordered; €600.00 per seat per year for seats you add."


def test_the_proposal_and_the_order_form_say_a_seats_line_without_seats_is_not_ordered() -> None:
    req = request_for(_zero_seats())
    view, meta = customer_view(req), view_meta(req)
    for words in (
        _terms(proposal_view(view, meta), "pricing"),
        _terms(contract_view(view, meta), "fees"),
    ):
        assert words["Viewer seats"] == NOT_ORDERED
        assert words["Analyst seats"] == LATER
        assert words["Auditor licences"] == NO_TIER
        assert words["Pilot seats"] == RAMPED_DOWN
        assert not any(re.match(r"0 ", text) for text in words.values()), words


def test_a_line_never_ordered_is_not_a_fixed_fee_due_on_termination(tmp_path: Path) -> None:
    pdf = render_pdf(request_for(_zero_seats()), "both").pdf
    text = " ".join(" ".join(pdf_text(pdf, tmp_path)).split())
    assert "the fixed fees (Platform fee, Analyst seats, and Pilot seats) for the rest" in text
    assert "From contract year 2: 25 seats of Analyst seats and no seats of Pilot seats." in text
    assert not re.search(r"(?<![\d,.])0 (seats of|Viewer seats at|Analyst seats at)", text)


@pytest.mark.parametrize(
    ("language", "locale", "expected"),
    [
        ("de", "de_DE", "Keine Lizenzen (Viewer) bestellt; 15,00\u00a0€ pro Lizenz und Monat"),
        (
            "fr",
            "fr_FR",
            "Aucune licence Viewer commandée\u00a0; 15,00\u202f€ par licence et par mois",
        ),
        (
            "ja",
            "ja_JP",
            "Viewerライセンスの注文なし。追加するライセンスは1ライセンスあたり月額€15.00。",
        ),
    ],
)
def test_not_ordered_in_the_documents_language(language: str, locale: str, expected: str) -> None:
    req = request_for(_zero_seats(), language=language, locale=locale)
    fees = _terms(contract_view(customer_view(req), view_meta(req)), "fees")
    spaced = re.sub("[\u00a0\u202f]", " ", fees["Viewer seats"])
    assert spaced.startswith(re.sub("[\u00a0\u202f]", " ", expected)), fees["Viewer seats"]


def test_price_says_so_and_lists_no_empty_invoice_lines(tmp_path: Path) -> None:
    from quote_builder.cli import format_priced

    doc = _zero_seats()
    out = io.StringIO()
    format_priced(doc, price(doc), out)
    text = out.getvalue()
    components = text.split("Components, contract year 1\n")[1].split("\nBilling schedule")[0]
    assert "  Viewer seats (Seats)" in components
    assert re.search(r"Viewer seats \(Seats\) +0\.00\n      no seats ordered\n", components)
    assert re.search(
        r"Analyst seats \(Seats\) +0\.00\n      no seats in year 1, 25 from contract year 2\n",
        components,
    )
    schedule = text.split("Billing schedule\n")[1].split("\nWarnings")[0]
    assert "Viewer seats" not in schedule and "Auditor licences" not in schedule
    # Analyst seats are invoiced from year 2, pilot seats in year 1 only.
    first, fifth = schedule.split("\n    5  ")
    assert "Pilot seats" in first and "Analyst seats" not in first
    assert "Analyst seats" in fifth and "Pilot seats" not in fifth


def test_a_fee_of_zero_is_included_at_no_charge(tmp_path: Path) -> None:
    """A waived onboarding fee read "€0.00 once, invoiced with the first invoice", and a
    support fee of 0 was named among the fixed fees due on termination."""
    doc = _zero_seats(
        {"kind": "one_time_fee", "id": "onboarding", "name": "Onboarding", "amount": "0.00"},
        {"kind": "flat_fee", "id": "support", "name": "Premium support", "amount": "0"},
    )
    req = request_for(doc)
    view, meta = customer_view(req), view_meta(req)
    for words in (
        _terms(proposal_view(view, meta), "pricing"),
        _terms(contract_view(view, meta), "fees"),
    ):
        assert words["Onboarding"] == "Included at no charge."
        assert words["Premium support"] == "Included at no charge for the whole term."
    text = " ".join(" ".join(pdf_text(render_pdf(req, "contract").pdf, tmp_path)).split())
    assert "€0.00 once" not in text and "€0.00 per month" not in text
    assert "the fixed fees (Platform fee, Analyst seats, and Pilot seats) for the rest" in text
    de = request_for(doc, language="de", locale="de_DE")
    fees = _terms(contract_view(customer_view(de), view_meta(de)), "fees")
    assert fees["Onboarding"] == "Ohne Berechnung enthalten."


@pytest.mark.parametrize(
    ("language", "locale", "expected"),
    [
        (
            "en",
            "en_US",
            "Analyst seats at €50.00 per seat per month: none in years 1 and 2, 25 in years 3 to 5, "
            "and 40 from year 6.",
        ),
        (
            "de",
            "de_DE",
            "Lizenzen (Analyst) zu 50,00 € pro Lizenz und Monat: keine in den Jahren 1 und 2, 25 "
            "in den Jahren 3 bis 5 und 40 ab Jahr 6.",
        ),
        (
            "ja",
            "ja_JP",
            "Analystライセンス（1ライセンスあたり月額€50.00）：1年目と2年目はなし、3～5年目は25件、"
            "6年目以降は40件。",
        ),
    ],
)
def test_a_ramp_is_said_year_by_year(language: str, locale: str, expected: str) -> None:
    """A seats line whose count changes (a ramp) gives each year's count, as the committed
    quantities do: "120 Analyst seats at €45.00" said only year 1's."""
    doc = _zero_seats(
        years=6,
        ramps=[
            {"year": 3, "seats": {"analysts": 25}},
            {"year": 6, "seats": {"analysts": 40}},
        ],
    )
    req = request_for(doc, language=language, locale=locale)
    fees = _terms(contract_view(customer_view(req), view_meta(req)), "fees")
    assert re.sub("[\u00a0\u202f]", " ", fees["Analyst seats"]) == expected
    # Constant counts keep the sentence of one count.
    assert "10" in fees["Pilot seats"] and ":" not in fees["Pilot seats"].replace("：", ":")
