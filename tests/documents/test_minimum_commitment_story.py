"""A year whose usage falls short of a minimum commitment, with a deal discount: the
proposal and the order form tell the buyer the same story, to the cent. Each invoice takes
its discount; the true-up tops the year up to the minimum, and so takes the discounts back:
the buyer pays the minimum and saves nothing against list prices."""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from quote_builder.documents import render_pdf
from quote_builder.pricing import price
from quote_builder.pricing.quote_format import quote_from_data

from .conftest import pdf_text, request_for

CENT = Decimal("0.01")


def _quote(billing: str) -> dict[str, object]:
    return {
        "customer": {"name": "Acme"},
        "currency": "USD",
        "start_date": "2027-01-01",
        "term_months": 12,
        "billing_frequency": billing,
        "components": [
            {
                "kind": "per_unit",
                "id": "calls",
                "name": "API calls",
                "metric": "calls",
                "unit_price": "0.10",
            },
            {
                "kind": "minimum_commitment",
                "id": "min",
                "name": "Annual minimum",
                "amount": "50000.00",
            },
        ],
        "discounts": [{"description": "Deal discount", "percent": "15"}],
        "usage_forecast": {"calls": {"monthly": "33335"}},
    }


def _by_hand(billing: str) -> tuple[Decimal, Decimal]:
    """(the discounts the invoices take, the true-up): 33,335 calls x 0.10 = 3,333.50 a
    month, 15 % off each invoice rounded half up to the cent; the true-up is what the
    invoices leave below 50,000.00."""
    months = {"monthly": 1, "quarterly": 3}[billing]
    charges = Decimal("3333.50") * months
    off = (charges * 15 / 100).quantize(CENT, ROUND_HALF_UP)
    invoices = 12 // months
    taken = off * invoices
    return taken, Decimal("50000.00") - (charges * invoices - taken)


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


@pytest.mark.parametrize("billing", ["monthly", "quarterly"])
def test_both_documents_say_the_true_up_takes_the_discounts_back(
    billing: str, tmp_path: Path
) -> None:
    doc = quote_from_data(_quote(billing))
    taken, true_up = _by_hand(billing)
    priced = price(doc)
    assert priced.tcv == Decimal("50000.00")
    assert priced.years[0].discounts == Decimal("0.00")
    sentence = (
        f"Discounts taken in these line totals: Deal discount {_money(taken)}. "
        f"The true-up to the minimum commitment takes back {_money(taken)} of these "
        "discounts: against list prices you save 0.00 in year 1."
    )
    req = request_for(doc)
    for kind in ("proposal", "contract"):
        text = " ".join(" ".join(pdf_text(render_pdf(req, kind).pdf, tmp_path)).split())
        assert sentence in text, kind
        assert _money(true_up) in text, kind
        assert "$50,000.00" in text, kind
        assert "49,999" not in text and "50,000.01" not in text, kind
    proposal = " ".join(
        " ".join(pdf_text(render_pdf(req, "proposal").pdf, tmp_path, layout=True)).split()
    )
    # The schedule by contract year: list, discounts (what the buyer saves), you pay.
    assert "50,000.00 0.00 50,000.00" in proposal


def test_the_sentence_is_translated(tmp_path: Path) -> None:
    req = request_for(quote_from_data(_quote("monthly")))
    for language, locale, words in (
        ("de", "de_DE", "Mindestabnahme nimmt 6.000,36"),
        ("fr", "fr_FR", "reprend 6\u202f000,36"),
        ("ja", "ja_JP", "6,000.36が差し戻されます"),
    ):
        translated = dataclasses.replace(req, language=language, locale=locale)
        # Without any space: Japanese has none, French groups digits with a narrow one.
        text = "".join("".join(pdf_text(render_pdf(translated, "proposal").pdf, tmp_path)).split())
        assert "".join(words.split()) in text, language


def test_a_year_that_meets_the_minimum_keeps_its_discounts(tmp_path: Path) -> None:
    """Usage above the minimum: no true-up, nothing taken back, no such sentence."""
    data = _quote("monthly")
    data["usage_forecast"] = {"calls": {"monthly": "50000"}}  # 60,000 - 15 % = 51,000
    req = request_for(quote_from_data(data))
    text = " ".join(" ".join(pdf_text(render_pdf(req, "proposal").pdf, tmp_path)).split())
    assert "Discounts taken in these line totals: Deal discount 9,000.00." in text
    assert "takes back" not in text


@pytest.mark.parametrize(
    ("period", "amount", "minima"),
    [
        ("year", "50000.00", ("50000.00", "25000.00")),
        # 4,166.67 a month, every month short: 12 x and 6 x the minimum.
        ("month", "4166.67", ("50000.04", "25000.02")),
    ],
)
def test_a_platform_fee_keeps_its_discount_and_the_usage_makes_the_minimum(
    period: str, amount: str, minima: tuple[str, str]
) -> None:
    """A deal discount on a platform fee and on the calls the minimum counts, billed
    quarterly, 18 months: the price table's lines say the same as the true-up. The calls'
    line total and the true-up add up to the year's minimum (50,000.00; 25,000.00 in the
    6-month year 2); the platform's discount is what the buyer saves against list prices;
    the calls' discount is what the true-up takes back."""
    from quote_builder.documents.price_sheet import sheet_from_terms
    from quote_builder.documents.viewmodel import customer_view

    data = _quote("quarterly")
    data["term_months"] = 18
    data["escalator_percent"] = "3"
    data["components"] = [
        {"kind": "flat_fee", "id": "platform", "name": "Platform fee", "amount": "1234.57"},
        *data["components"],  # type: ignore[misc]
    ]
    data["discounts"] = [
        {"description": "Deal discount", "percent": "12.5"},
        {"description": "Launch discount", "percent": "7", "months": 5},
    ]
    data["components"][2].update(period=period, amount=amount)  # type: ignore[index]
    doc = quote_from_data(data)
    priced = price(doc)
    sheet = sheet_from_terms(customer_view(request_for(doc)).terms)
    for year, minimum in zip(sheet.years, map(Decimal, minima), strict=True):
        rows = {r.component_id: r for r in sheet.rows_of(year.year) if r.kind == "component"}
        calls, true_up, platform = rows["calls"], rows["min"], rows["platform"]
        assert calls.line_total is not None and true_up.line_total is not None
        assert calls.line_total + true_up.line_total == minimum
        assert year.saved is not None
        assert platform.discount_amount == year.saved == priced.years[year.year - 1].discounts
        taken = sum((amount for _label, amount in year.discounts), Decimal(0))
        assert calls.discount_amount == taken - year.saved
    # The platform costs the same whatever the usage: at none, the same total.
    data["usage_forecast"] = {"calls": {"monthly": "0"}}
    assert price(quote_from_data(data)).tcv == priced.tcv


def _mixed_quarter() -> dict[str, object]:
    """A 1,000.00 monthly minimum on calls growing 5 % a month, 7.5 % off, billed
    quarterly: January (925.00 after the discount) and February (971.25) fall short,
    March (1,019.81) meets it."""
    return {
        "customer": {"name": "Acme"},
        "currency": "USD",
        "start_date": "2027-01-01",
        "term_months": 12,
        "billing_frequency": "quarterly",
        "components": [
            {"kind": "flat_fee", "id": "platform", "name": "Platform fee", "amount": "500.00"},
            {
                "kind": "per_unit",
                "id": "calls",
                "name": "API calls",
                "metric": "calls",
                "unit_price": "0.0125",
            },
            {
                "kind": "minimum_commitment",
                "id": "min",
                "name": "Monthly minimum",
                "amount": "1000.00",
                "period": "month",
                "applies_to": ["calls"],
            },
        ],
        "discounts": [{"description": "Partner discount", "percent": "7.5"}],
        "usage_forecast": {"calls": {"monthly": "80000", "growth_percent_per_month": "5"}},
    }


def test_a_quarter_trued_up_month_by_month_states_each_month(tmp_path: Path) -> None:
    """The proposal and the order form state the quarter's true-up month by month, as the
    engine bills it: 1,000.00 - 925.00 = 75.00 and 1,000.00 - 971.25 = 28.75, 103.75 on
    the invoice; the editor's price table says the same under the year."""
    from quote_builder.documents.formatting import Formatter
    from quote_builder.documents.price_sheet import sheet_from_quote, year_discount_note

    doc = quote_from_data(_mixed_quarter())
    priced = price(doc)
    (line,) = [line for line in priced.periods[0].lines if line.kind == "true_up"]
    assert line.amount == Decimal("103.75")
    sentence = (
        "Invoice for Jan 1, 2027 – Mar 31, 2027: Monthly minimum is trued up month by "
        "month, each month's spend after discounts against 1,000.00: January 2027 925.00, "
        "true-up 75.00; February 2027 971.25, true-up 28.75; March 2027 1,019.81, met; "
        "true-up 103.75."
    )
    req = request_for(doc)
    for kind in ("proposal", "contract"):
        text = " ".join(" ".join(pdf_text(render_pdf(req, kind).pdf, tmp_path)).split())
        assert sentence in text, kind
    (year,) = sheet_from_quote(doc, priced).years
    assert year_discount_note(year, Formatter("USD", "en_US")).endswith(sentence)
    german = dataclasses.replace(req, language="de", locale="de_DE")
    text = " ".join(" ".join(pdf_text(render_pdf(german, "contract").pdf, tmp_path)).split())
    assert "Januar 2027 925,00, Ausgleichszahlung 75,00" in text
    # Japanese lists with 、 : each month's figures stay apart from the next month's.
    japanese = dataclasses.replace(req, language="ja", locale="ja_JP")
    text = "".join("".join(pdf_text(render_pdf(japanese, "contract").pdf, tmp_path)).split())
    assert "2027年1月：925.00（精算額75.00）、2027年2月：971.25（精算額28.75）" in text
