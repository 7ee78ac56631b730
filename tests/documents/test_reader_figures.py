"""A reviewer read the examples and the demo quotes with a calculator (the figures a buyer
cannot add up). Points 3, 5 and 6 here; the price table's arithmetic (points 1, 2) is in
test_price_sheet.py, the bill range of a short usage log (point 4) in test_render.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from quote_builder.documents.order_form import contract_view
from quote_builder.documents.proposal import proposal_view
from quote_builder.documents.viewmodel import customer_view, view_meta
from quote_builder.pricing import QuoteDocument
from quote_builder.pricing.document import Discount, UsageProfile

from .conftest import example, request_for


def _proposal(doc: QuoteDocument, **overrides: object) -> dict[str, Any]:
    request = request_for(doc, **overrides)
    return proposal_view(customer_view(request), view_meta(request))


def _order_form(doc: QuoteDocument) -> dict[str, Any]:
    request = request_for(doc)
    return contract_view(customer_view(request), view_meta(request))


# --- 3. an assumption about bills the proposal does not show -----------------------------


def test_no_assumption_about_low_and_high_bills_the_proposal_does_not_show() -> None:
    """seats_credits_coding_team: year-1 usage at half or 1.5 times the forecast stays within
    the seats' credit allocation (18,000 x 1.5 = 27,000 of 60,000 credits a month), so
    every bill is 2,100.00: the range is not drawn, and the assumption about it went with
    it. Where the range is drawn (platform_usage_analytics), the assumption stays."""
    view = _proposal(example("seats_credits_coding_team.json"))
    assert not view["charts"]["bill_moves"]
    assert not [line for line in view["assumptions"] if "Low and high bills" in line]
    shown = _proposal(example("platform_usage_analytics.json"))
    assert shown["charts"]["bill_moves"]
    assert [line for line in shown["assumptions"] if "Low and high bills" in line]


def test_the_assumption_follows_the_variation_the_range_is_drawn_with() -> None:
    doc = example("platform_usage_analytics.json")
    doc = doc.model_copy(
        update={
            "advisor": doc.advisor.model_copy(update={"usage_intensity_variation": None}),
            "usage_profile": UsageProfile(users=10, intensity_variation="low"),
        }
    )
    view = _proposal(doc)
    assert view["charts"]["bill_moves"]
    assert "Low and high bills scale all usage for low usage variation" in " ".join(
        view["assumptions"]
    )


# --- 5. net unit prices with more decimals than the cent ---------------------------------


def test_a_net_unit_price_below_the_cent_is_said_to_be_exact() -> None:
    """Demo Q-2026-0003: 15 % off an overage of 0.42 is 0.357, printed beside "unit prices
    ... rounded to the cent". The table now says such prices are exact as printed, and only
    when it prints one."""
    doc = example("platform_usage_analytics.json").model_copy(
        update={"discounts": [Discount(description="Multi-year", percent=Decimal("15"))]}
    )
    for view in (_order_form(doc), _proposal(doc)):
        years = view["price_table"]
        nets = [row["net_unit_price"] for year in years for row in year["rows"]]
        assert "$0.357" in nets  # 0.40 x 1.05 = 0.42; x 0.85 = 0.357
        assert view["price_table_notes"]["precision"].startswith(
            "A unit price printed with more than two decimals is exact as printed, not "
            "rounded to the cent"
        )
    plain = example("platform_usage_analytics.json")  # 10 % for 6 months: no net price
    assert _order_form(plain)["price_table_notes"]["precision"] == ""


def test_the_precision_sentence_names_the_currencys_unit() -> None:
    """jpy_consumption_tax_japan with 15 % off: 7,350 yen a seat less 15 % is 6,247.5 yen,
    a yen price with a decimal; the sentence speaks of the whole unit of the currency. The
    monthly invoices take 15 % of 3 x 7,350 = 22,050, 3,307.5 -> 3,308 yen each, so the
    seats cost 36 x 6,247.5 = 224,910 less 12 x 0.5 = 224,904 yen: a rounding part of -6."""
    doc = example("jpy_consumption_tax_japan.json")
    data = doc.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["discounts"] = [{"description": "Multi-year", "percent": "15"}]
    doc = type(doc).model_validate(data)
    view = _order_form(doc)
    rows = view["price_table"][0]["rows"]
    assert [(r["label"], r["net_unit_price"], r["line_total"]) for r in rows[:2]] == [
        ("Pro seats (AI)", "¥6,247.5", "224,904"),
        ("Rounding", "", "-6"),
    ]
    assert view["price_table_notes"]["precision"].startswith(
        "A unit price printed with decimals is exact as printed"
    )
    assert "rounded to the whole unit of the currency" in view["price_table_notes"]["precision"]


# --- 6. every amount carries its currency ------------------------------------------------


def test_an_attributed_value_forecast_is_an_amount_with_its_currency() -> None:
    """outcome_contingent_sales, page 4: "100,000 attributed revenue a month" had no
    currency; it is an amount of USD."""
    doc = example("outcome_contingent_sales.json")
    assumptions = _proposal(doc)["assumptions"]
    assert "$100,000.00 of attributed revenue a month, growing 10.0% a month." in assumptions
    assert "5,000 accounts enriched a month." not in assumptions  # a cost-only metric
    german = _proposal(doc, language="de", locale="de_DE")["assumptions"]
    # The app's metric, in German (documents/own_words.py).
    assert any(line.startswith("100.000,00\xa0$ zugerechneter Umsatz pro Monat") for line in german)


def test_a_ramp_of_attributed_value_is_an_amount_too() -> None:
    doc = example("outcome_contingent_sales.json")
    data = doc.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["term_months"] = 24
    data["ramps"] = [{"year": 2, "usage": {"attributed_revenue": "250000"}}]
    doc = type(doc).model_validate(data)
    assumptions = " ".join(_proposal(doc)["assumptions"])
    assert "From contract year 2: $250,000.00 of attributed revenue a month." in assumptions
