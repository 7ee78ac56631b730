"""The price table by contract year (issue 17, §1): one view-model for the editor and the
PDFs, built from the customer's terms, adding up to the engine's totals."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quote_builder.documents.formatting import Formatter
from quote_builder.documents.price_sheet import (
    SheetRow,
    _shares,
    sheet_from_quote,
    sheet_from_terms,
)
from quote_builder.documents.viewmodel import customer_view
from quote_builder.pricing import price

from .conftest import EXAMPLES, example, request_for


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_editor_and_the_documents_build_the_same_sheet(path: Path) -> None:
    """The editor builds its sheet from the document (no parties); the PDFs from the
    customer's terms. Same rows, same numbers: the app and the PDF cannot disagree."""
    doc = example(path.name)
    from_terms = sheet_from_terms(customer_view(request_for(doc)).terms)
    assert sheet_from_quote(doc, price(doc)) == from_terms


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_lines_add_up_to_the_years_and_the_years_to_the_tcv(path: Path) -> None:
    doc = example(path.name)
    priced = price(doc)
    sheet = sheet_from_quote(doc, priced)
    for year, engine_year in zip(sheet.years, priced.years, strict=True):
        rows = sheet.rows_of(year.year)
        assert {r.kind for r in rows} <= {"component", "detail"}  # no "Less:" lines
        # The line totals (discounts included) add up to the year's total, and each is its
        # list amount less what the discounts take from it; those shares add up to the
        # engine's discount lines of the year.
        components = [r for r in rows if r.kind == "component"]
        total = sum((r.line_total for r in components if r.line_total), Decimal(0))
        assert total == year.amount == engine_year.revenue
        for r in components:
            assert r.line_total == (r.amount or 0) - (r.discount_amount or 0)
        taken = sum((r.discount_amount for r in components if r.discount_amount), Decimal(0))
        engine = -sum(
            (
                line.amount
                for period in priced.periods
                if period.contract_year == year.year
                for line in period.lines
                if line.kind == "discount"
            ),
            Decimal(0),
        )
        assert taken == engine == sum((amount for _label, amount in year.discounts), Decimal(0))
    assert sum((y.amount for y in sheet.years), Decimal(0)) == sheet.total_contract_value
    assert sheet.total_contract_value == priced.tcv


def test_seats_are_committed_and_usage_a_forecast() -> None:
    doc = example("seats_credits_coding_team.json")
    sheet = sheet_from_quote(doc, price(doc))
    seats = [r for r in sheet.rows if r.component_kind == "seats" and r.kind == "component"]
    assert seats and all(r.basis == "committed" for r in seats)
    # Year 1: 40 seats at 60.00 a month for 12 months = 28,800.00 (before discounts).
    first = seats[0]
    assert (first.quantity, first.list_unit_price, first.amount) == (
        Decimal(40),
        Decimal("60.00"),
        Decimal("28800.00"),
    )
    assert first.unit_text() == "seats × 12 months"
    usage = [r for r in sheet.rows if r.basis == "forecast"]
    assert usage and all(r.unit_text().endswith("(est.)") for r in usage if r.unit_text())


def test_the_sheet_has_no_place_for_internal_numbers() -> None:
    """Built from the customer's terms only: no field for a cost, a margin or a floor."""
    names = {f.name for f in dataclasses.fields(SheetRow)}
    assert not {n for n in names if any(w in n for w in ("cost", "margin", "floor", "note"))}


# --- line totals: what each line costs, discounts included (issue 13 §2) -----------------


def _component_row(sheet: object, label: str, year: int) -> SheetRow:
    (row,) = [
        r
        for r in sheet.rows  # type: ignore[attr-defined]
        if r.kind == "component" and r.label == label and r.year == year
    ]
    return row


def test_a_whole_year_percent_is_in_the_net_unit_price_and_the_line_total() -> None:
    from quote_builder.pricing.document import Discount

    doc = example("platform_usage_analytics.json")
    doc = doc.model_copy(
        update={"discounts": [Discount(description="Multi-year discount", percent=Decimal("15"))]}
    )
    sheet = sheet_from_quote(doc, price(doc))
    # | year | list unit price      | 15 % off                 | quantity | line total           |
    # | 1    | 1,500.00             | 1,500 x 0.85 = 1,275.00  | 12       | 12 x 1,275 = 15,300  |
    # | 2    | 1,500 x 1.05 = 1,575 | 1,575 x 0.85 = 1,338.75  | 12       | 12 x 1,338.75 = 16,065 |
    for year, unit, net, total in (
        (1, "1500.00", "1275.00", "15300.00"),
        (2, "1575.00", "1338.75", "16065.00"),
    ):
        row = _component_row(sheet, "Platform fee", year)
        assert (row.list_unit_price, row.discount_percent, row.net_unit_price) == (
            Decimal(unit),
            Decimal(15),
            Decimal(net),
        )
        assert row.net_is_exact and row.quantity == 12
        assert row.line_total == Decimal(total) == row.quantity * row.net_unit_price
        assert row.amount - row.line_total == row.discount_amount  # 12 x list x 15 %
    f = Formatter("USD")
    row = _component_row(sheet, "Platform fee", 1)
    assert (row.discount_text(f), row.net_text(f), row.total_text(f)) == (
        "15.00%",
        "$1,275.00",
        "15,300.00",
    )


def test_a_discount_for_part_of_the_year_shows_the_amount_it_takes() -> None:
    """The example's launch discount: 10 % of the recurring fees for the first 6 months.
    Year 1 takes 10 % x 6 x (1,500 platform + 400 overage) = 1,140.00, shared in proportion
    to the year's recurring amounts: 18,000 / 22,800 -> 900.00 and 4,800 / 22,800 -> 240.00.
    No single percent or net unit price is true for the whole year, so none is shown."""
    doc = example("platform_usage_analytics.json")
    sheet = sheet_from_quote(doc, price(doc))
    f = Formatter("USD")
    platform = _component_row(sheet, "Platform fee", 1)
    queries = _component_row(sheet, "Analyst queries", 1)
    onboarding = _component_row(sheet, "Onboarding", 1)
    assert (platform.amount, platform.discount_amount, platform.line_total) == (
        Decimal("18000.00"),
        Decimal("900.00"),
        Decimal("17100.00"),
    )
    assert (queries.amount, queries.discount_amount, queries.line_total) == (
        Decimal("4800.00"),
        Decimal("240.00"),
        Decimal("4560.00"),
    )
    assert onboarding.discount_amount is None  # one-time: a deal discount leaves it
    assert not platform.net_is_exact
    assert (platform.discount_text(f), platform.net_text(f)) == ("-900.00", "")
    (year1,) = [y for y in sheet.years if y.year == 1]
    assert year1.discounts == (("Launch discount, first 6 months", Decimal("1140.00")),)
    assert year1.amount == Decimal("2500.00") + Decimal("17100.00") + Decimal("4560.00")
    year2 = _component_row(sheet, "Platform fee", 2)
    assert year2.discount_amount is None and year2.line_total == year2.amount


def test_an_amount_off_is_shown_as_the_amount_it_takes() -> None:
    from quote_builder.pricing.document import Discount

    doc = example("platform_usage_analytics.json")
    doc = doc.model_copy(
        update={
            "discounts": [
                Discount(description="Partner credit", amount=Decimal("100"), component="platform")
            ]
        }
    )
    sheet = sheet_from_quote(doc, price(doc))
    row = _component_row(sheet, "Platform fee", 1)
    # 100.00 a month off the platform fee for the whole term: 12 x 100 = 1,200.00 a year
    assert (row.discount_amount, row.line_total) == (Decimal("1200.00"), Decimal("16800.00"))
    assert not row.net_is_exact and row.discount_text(Formatter("USD")) == "-1,200.00"


@given(
    total=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=8),
    places=st.sampled_from([0, 2, 3]),
)
def test_shares_add_up_to_the_discount_exactly(total: int, weights: list[int], places: int) -> None:
    quantum = Decimal(1).scaleb(-places)
    amount = Decimal(total) * quantum
    shares = _shares(amount, [Decimal(w) for w in weights], quantum)
    assert sum(shares, Decimal(0)) == amount
    whole = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        assert share >= 0 and share % quantum == 0
        assert abs(share - amount * weight / whole) < quantum  # within one minor unit
