"""The price table by contract year (issue 17, §1): one view-model for the editor and the
PDFs, built from the customer's terms, adding up to the engine's totals."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from quote_builder.documents.price_sheet import SheetRow, sheet_from_quote, sheet_from_terms
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
        # component amounts (before discounts) + discount lines (negative) = the year's total
        total = sum((r.amount for r in rows if r.kind != "detail" and r.amount), Decimal(0))
        assert total == year.amount == engine_year.revenue
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
