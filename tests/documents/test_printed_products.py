"""Every product a buyer reads multiplies out from its printed factors (the money6 brief).

1. The proposal's value line, "a value per task of $9.00 ... with 50,016 tickets resolved
   ... an estimated $450,125.10": $9.00 x 50,016 is $450,144.00. The value per task was
   rounded for display while the product came from the unrounded value (7 minutes at
   $77.14 an hour = $8.99966...) and from the unrounded count (50,015.75 tickets). The
   value is an estimate: it is now stated to the cent (a direct value as the rep wrote
   it), the count as a whole number, and the value is that value x that count, rounded
   half up to the cent, in the proposal, its cards, its schedule and its chart. The other
   products checked: a yearly fee or seat in a short year printed its prorated price with
   28 decimals; it prints the year's price beside "7 of 12 months".
2. A count of things estimated from a growing forecast printed with cents in the price
   table ("50,730.01 tickets"): a metric the quote forecasts in whole numbers is a count,
   printed as a whole number (rounded half up), and the line's arithmetic (quantity x
   unit price, its Rounding part) follows the whole count. A meter the rep forecasts with
   decimals (2.5 million tokens) keeps its decimals.
4. The cover's currency: "All prices are in Euro (EUR)." wrote CLDR's stand-alone name
   mid-sentence; each language now writes the name as its sentences do.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from babel.numbers import parse_decimal

from quote_builder.documents import render_html
from quote_builder.documents.formatting import Formatter
from quote_builder.documents.price_sheet import sheet_from_quote, sheet_from_terms
from quote_builder.documents.proposal import proposal_view
from quote_builder.documents.viewmodel import customer_view, view_meta
from quote_builder.pricing import QuoteDocument, price
from quote_builder.pricing.languages import DEFAULT_LOCALES

from .conftest import example, request_for
from .test_price_sheet import _check_parts
from .test_readable_money import _text

D = Decimal


def _growing(value: dict[str, Any] | None = None, **forecast: Any) -> QuoteDocument:
    """The support example (2.50 a resolved ticket) with a forecast that grows 1.2 % a
    month from 3,900 tickets: 50,015.75 tickets in year 1 and 57,712.91 in year 2 at full
    precision; worth 7 minutes at $77.14 an hour (8.99966... a ticket) unless ``value``."""
    doc = example("outcome_based_support.json")
    data = doc.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["usage_forecast"]["tickets_resolved"] = forecast or {
        "monthly": "3900",
        "growth_percent_per_month": "1.2",
    }
    data["value"] = value or {
        "metric": "tickets_resolved",
        "minutes_saved_per_unit": "7",
        "loaded_hourly_rate": "77.14",
    }
    return type(doc).model_validate(data)


def _request(doc: QuoteDocument, language: str = "en") -> Any:
    return dataclasses.replace(
        request_for(doc), language=language, locale=DEFAULT_LOCALES[language]
    )


def _proposal(doc: QuoteDocument, language: str = "en") -> dict[str, Any]:
    req = _request(doc, language)
    return proposal_view(customer_view(req), view_meta(req))


def _number(text: str, locale: str) -> Decimal:
    """The number in ``text`` (an amount with its sign, a count), read in ``locale``."""
    digits = re.sub(r"[^\d.,\u00a0\u202f']", "", text).strip(".,\u00a0\u202f'")
    return parse_decimal(digits, locale=locale, strict=False)


# --- 1. the value line ------------------------------------------------------------------


def test_the_value_line_multiplies_out_from_what_it_prints() -> None:
    view = _proposal(_growing())
    summary = view["summary"]
    lead = re.sub(r"\s+", " ", _text(str(summary["lead"])))
    # 7 x 77.14 / 60 = 8.99966... -> $9.00; 50,015.75 tickets -> 50,016;
    # 9.00 x 50,016 = 450,144.00 (it printed 450,125.10: 8.99966... x 50,015.75)
    assert "is worth about $9.00 to Brightline Telecom" in lead
    assert "With 50,016 tickets resolved expected in the first year" in lead
    assert "an estimated $450,144.00 of value" in lead
    assert summary["value_per_unit"] == "$9.00"
    assert summary["annual_value"] == "$450,144.00"
    assert "50,016 tickets resolved in year 1" in summary["basis"]
    assert any("$9.00 each (7 minutes saved at $77.14 an hour)" in a for a in view["assumptions"])
    # The schedule's value of year 2: 57,712.91 -> 57,713 tickets x 9.00 = 519,417.00
    assert [y["value"] for y in view["years"]] == ["450,144.00", "519,417.00"]


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "ja"])
@pytest.mark.parametrize(
    "value",
    [
        {"minutes_saved_per_unit": "7", "loaded_hourly_rate": "77.14"},  # 8.99966...
        {"minutes_saved_per_unit": "5", "loaded_hourly_rate": "80"},  # 6.666...
        {"minutes_saved_per_unit": "1", "loaded_hourly_rate": "0.2"},  # 0.00333...
        {"value_per_unit": "312.6875"},  # a direct value, exact as the rep wrote it
        {"value_per_unit": "12"},
    ],
    ids=["7x77.14", "5x80", "1x0.2", "312.6875", "12"],
)
def test_value_per_task_times_the_count_is_the_value_printed(
    value: dict[str, str], language: str
) -> None:
    doc = _growing({"metric": "tickets_resolved", **value})
    locale = DEFAULT_LOCALES[language]
    summary = _proposal(doc, language)["summary"]
    per_task = _number(summary["value_per_unit"], locale)
    annual = _number(summary["annual_value"], locale)
    f = Formatter("USD", locale, language)
    count = f.number(D(50016))  # 50,015.75 tickets in year 1, a whole count
    assert count in summary["basis"]
    assert (per_task * 50016).quantize(D("0.01"), ROUND_HALF_UP) == annual, (
        summary["value_per_unit"],
        summary["annual_value"],
    )


def test_a_direct_value_prints_as_the_rep_wrote_it() -> None:
    """A value per task the rep gives (312.6875) is printed with its digits: 312.6875 x
    50,016 is the value printed (rounded to $312.69 it would not multiply out)."""
    summary = _proposal(_growing({"metric": "tickets_resolved", "value_per_unit": "312.6875"}))[
        "summary"
    ]
    assert summary["value_per_unit"] == "$312.6875"
    assert summary["annual_value"] == "$15,639,378.00"  # 312.6875 x 50,016


def test_the_rendered_proposal_prints_the_same_product() -> None:
    text = _text(render_html("proposal", _request(_growing())))
    assert "$450,144.00" in text and "$450,125.10" not in text
    assert "50,016 tickets resolved" in text and "50,015.75" not in text


def test_the_priced_quote_holds_the_stated_value() -> None:
    """The app, the command line and the approval read the same figures the proposal
    prints: value = stated value per task x whole count."""
    priced = price(_growing())
    assert priced.value is not None
    assert priced.value.units_year_one == D(50016)
    assert priced.value.annual_value == D("450144.00")
    assert priced.value.value_by_year == (D("450144.00"), D("519417.00"))
    # The value per task itself keeps its precision (the price band is worked out from it).
    assert abs(priced.value.value_per_unit - D(7) * D("77.14") / 60) < D("1e-25")


# --- 2. counts print whole ---------------------------------------------------------------


def test_an_estimated_count_prints_as_a_whole_number() -> None:
    doc = _growing()
    for sheet in (
        sheet_from_quote(doc, price(doc)),
        sheet_from_terms(customer_view(request_for(doc)).terms),
    ):
        rows = {(r.year, r.label): r for r in sheet.rows if r.component_id == "resolutions"}
        one, two = rows[(1, "Resolved tickets")], rows[(2, "Resolved tickets")]
        f = Formatter("USD")
        # 50,015.75 -> 50,016 (it printed 50,015.75); 57,712.91 -> 57,713
        assert one.quantity_text(f) == "50,016 tickets resolved (est.)"
        assert one.number_text(f) == "50,016"
        assert two.quantity_text(f) == "57,713 tickets resolved (est.)"
        de = Formatter("USD", "de_DE", "de")
        assert one.number_text(de) == "50.016"
        _check_parts(sheet)
        # 50,016 x 2.50 = 125,040.00; the invoices (each month rounded, from the exact
        # counts) take 125,039.38: the Rounding part says so, and the item adds up.
        assert one.line_total == D("125039.38")
        (rounding,) = [r for r in sheet.rows if r.year == 1 and r.label == "Rounding"]
        assert rounding.component_id == "resolutions" and rounding.line_total == D("-0.62")


def test_the_order_form_prints_whole_counts() -> None:
    text = _text(render_html("contract", _request(_growing())))
    assert "50,016 tickets resolved" in text
    assert "50,015.75" not in text and "57,712.91" not in text


def test_a_meter_forecast_with_decimals_keeps_them() -> None:
    """Millions of tokens forecast at 2.5 a month, growing: a measure, not a count."""
    doc = example("platform_usage_analytics.json")
    data = doc.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["usage_forecast"]["queries"] = {"monthly": "5803.909"}
    doc = type(doc).model_validate(data)
    sheet = sheet_from_quote(doc, price(doc))
    texts = [r.number_text(Formatter("USD")) for r in sheet.rows if r.component_id == "queries"]
    assert "45,646.91" in texts  # 3,803.909 x 12 over the allowance, to two decimals


def test_a_yearly_fee_in_a_short_year_prints_the_year_s_price() -> None:
    """A seat billed yearly in a 7-month last year printed "7 seats (7 of 12 months)" at
    $300.4108333333333333333333333 (499.99 x 7 / 12, 28 decimals); a yearly platform fee
    at $7,201.640833333333333333333333. The year's price is printed, and the line is
    quantity x that price x 7 / 12, rounded as invoiced."""
    from quote_builder.pricing.quote_format import quote_from_data
    from tests.pricing.factories import quote_data

    doc = quote_from_data(
        quote_data(
            term_months=19,
            components=[
                {
                    "kind": "flat_fee",
                    "id": "p",
                    "name": "Platform",
                    "amount": "12345.67",
                    "interval": "year",
                },
                {
                    "kind": "seats",
                    "id": "s",
                    "name": "Seats",
                    "seats": 7,
                    "price_per_seat": "499.99",
                    "interval": "year",
                },
            ],  # fmt: skip
        )
    )
    sheet = sheet_from_quote(doc, price(doc))
    _check_parts(sheet)
    f = Formatter("USD")
    rows = {r.label: r for r in sheet.rows_of(2)}
    platform, seats = rows["Platform"], rows["Seats"]
    assert platform.quantity_text(f) == "7 of 12 months"
    assert platform.price_text(platform.list_unit_price, f) == "$12,345.67"
    assert platform.total_text(f) == "7,201.64"  # 12,345.67 x 7 / 12 = 7,201.6408
    assert seats.quantity_text(f) == "7 seats (7 of 12 months)"
    assert seats.price_text(seats.list_unit_price, f) == "$499.99"
    assert seats.total_text(f) == "2,041.63"  # 7 x 499.99 x 7 / 12 = 2,041.6258
    text = _text(render_html("contract", request_for(doc)))
    assert not re.findall(r"\d[.,]\d{7,}", text)


# --- 4. the currency on the cover ----------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "language", "sentence"),
    [
        ("EUR", "en", "All prices are in euros (EUR)."),
        ("USD", "en", "All prices are in US dollars (USD)."),
        ("JPY", "en", "All prices are in Japanese yen (JPY)."),
        ("EUR", "fr", "Tous les prix sont en euros (EUR)."),
        ("USD", "fr", "Tous les prix sont en dollars des États-Unis (USD)."),
        ("EUR", "es", "Todos los precios están en euros (EUR)."),
        ("EUR", "de", "Alle Preise in Euro (EUR)."),
        ("USD", "de", "Alle Preise in US-Dollar (USD)."),
        # German declines an adjective after "in" (japanischen Yen); CLDR's names do not:
        # the ISO code alone.
        ("JPY", "de", "Alle Preise in JPY."),
        ("CHF", "de", "Alle Preise in CHF."),
        ("EUR", "ja", "すべての価格はユーロ (EUR)建てです。"),
    ],
)
def test_the_cover_names_the_currency_as_a_sentence_does(
    currency: str, language: str, sentence: str
) -> None:
    doc = example("outcome_based_support.json").model_copy(update={"currency": currency})
    text = _text(render_html("proposal", _request(doc, language)))
    assert sentence in re.sub(r"\s+", " ", text)
