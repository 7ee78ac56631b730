"""The editor's price table (issue 17, §1): the customer's price table by contract year,
edited in place (one undo step per edit), copied as TSV, quantities pasted from a column."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from quote_builder.documents.price_sheet import sheet_from_quote
from quote_builder.pricing import price
from quote_builder.services import quotes as quote_service
from quote_builder.ui import locale_format
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.price_table import RAW_ROLE, PriceTableModel
from quote_builder.ui.quote_editor import QuoteEditorWindow, open_quote_editor


@pytest.fixture(autouse=True)
def us_locale() -> Iterator[None]:
    locale_format.set_locale("en_US")
    yield
    locale_format.set_locale(None)


def open_table(window: MainWindow, customer: str) -> QuoteEditorWindow:
    row = next(
        r
        for r in quote_service.list_quotes(window.workspace.db).rows
        if r.customer_name == customer
    )
    editor = open_quote_editor(window, row.id)
    editor.editor.tabs.setCurrentWidget(editor.editor.price_table)
    return editor


def find_row(model: PriceTableModel, label: str, year: int) -> int:
    for r in range(model.rowCount()):
        line = model.line(r).row
        if (
            line is not None
            and line.label == label
            and line.year == year
            and line.kind == "component"
        ):
            return r
    raise AssertionError(f"no line {label!r} in year {year}")


def column(model: PriceTableModel, key: str) -> int:
    return next(c for c in range(model.columnCount()) if model.column_key(c) == key)


def cell(
    model: PriceTableModel, row: int, key: str, role: int = Qt.ItemDataRole.DisplayRole
) -> Any:
    return model.data(model.index(row, column(model, key)), role)


def test_the_model_passes_qt_model_tester(
    qtbot: QtBot, window: MainWindow, qtmodeltester: Any
) -> None:
    editor = open_table(window, "Globex Engineering")
    qtmodeltester.check(editor.editor.price_table.model)


def test_every_line_by_year_with_subtotals_and_the_tcv(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_table(window, "Fabrikam Analytics")  # 36 months, 5 % escalator, 15 % off
    model = editor.editor.price_table.model
    priced = editor.editor.priced
    assert priced is not None
    texts = [cell(model, r, "component") for r in range(model.rowCount())]
    for year in priced.years:
        assert f"Year {year.year} total" in texts
        subtotal = texts.index(f"Year {year.year} total")
        assert cell(model, subtotal, "total", RAW_ROLE) == year.revenue
        # The year's line totals (discounts included: no "Less:" lines) are its subtotal.
        rows = [
            r
            for r in range(model.rowCount())
            if model.line(r).row is not None and model.line(r).row.year == year.year  # type: ignore[union-attr]
        ]
        assert not any(cell(model, r, "component").startswith("Less:") for r in rows)
        items = [r for r in rows if model.line(r).row.kind == "component"]  # type: ignore[union-attr]
        totals = [cell(model, r, "total", RAW_ROLE) for r in items]
        assert sum((t for t in totals if t is not None), Decimal(0)) == year.revenue
        # An item's parts (indented: included, overage, rounding) add up to its line total.
        for r in items:
            item = model.line(r).row
            parts = [
                cell(model, p, "total", RAW_ROLE)
                for p in rows
                if model.line(p).row.kind == "detail"  # type: ignore[union-attr]
                and model.line(p).row.component_id == item.component_id  # type: ignore[union-attr]
            ]
            if parts and item.quantity is None:  # type: ignore[union-attr]
                assert sum(parts, Decimal(0)) == cell(model, r, "total", RAW_ROLE)
    last = model.rowCount() - 1
    assert cell(model, last, "component") == "Total contract value"
    assert cell(model, last, "total", RAW_ROLE) == priced.tcv
    assert cell(model, last, "total") == f"{priced.tcv:,}"
    header = model.headerData(column(model, "total"), Qt.Orientation.Horizontal)
    assert header == "Line total\n(USD)"
    # Each year's heading spans the row (its dates are not cut short); a total's label
    # spans the empty cells up to its amount; the lines do not span.
    view = editor.editor.price_table.view
    spans = {r: view.columnSpan(r, 0) for r in range(model.rowCount())}
    headings = [r for r in spans if model.line(r).kind == "year"]
    totals = [r for r in spans if model.line(r).kind in ("subtotal", "tcv")]
    assert len(headings) == len(priced.years)
    assert len(totals) == len(priced.years) + 1
    assert all(spans[r] == model.columnCount() for r in headings)
    assert all(spans[r] == model.columnCount() - 1 for r in totals)
    assert all(spans[r] == 1 for r in spans if r not in headings and r not in totals)


def test_the_proposal_prints_the_table_the_editor_shows(qtbot: QtBot, window: MainWindow) -> None:
    """One view-model: every amount and quantity of the editor's table is in the proposal's
    pricing page, formatted the same way."""
    from quote_builder.documents.render import render_html
    from quote_builder.documents.viewmodel import Party, RenderRequest

    editor = open_table(window, "Globex Engineering")
    model = editor.editor.price_table.model
    doc = editor.editor.document
    assert doc is not None
    html = render_html(
        "proposal",
        RenderRequest(
            document=doc, priced=price(doc), seller=Party("Seller"), customer=Party("Globex")
        ),
    )
    pricing = html.split("Prices by contract year", 1)[1].split("Schedule by contract year", 1)[0]
    checked = 0
    for r in range(model.rowCount()):
        line = model.line(r).row
        if line is None:
            continue
        for key in ("total", "price"):
            shown = cell(model, r, key)
            if shown:
                assert shown.replace("$", "") in pricing.replace("$", ""), (line.label, key, shown)
                checked += 1
    assert checked >= 6


def test_typing_a_seat_count_edits_the_quote_in_one_undo_step(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = open_table(window, "Globex Engineering")
    ed = editor.editor
    model = ed.price_table.model
    before = copy.deepcopy(ed.data)
    steps = ed.undo_stack.count()
    seats = find_row(model, "Team seats", 1)
    view = ed.price_table.view
    index = model.index(seats, column(model, "quantity"))
    assert model.flags(index) & Qt.ItemFlag.ItemIsEditable
    view.setCurrentIndex(index)
    view.edit(index)
    field = view.findChild(QLineEdit)
    assert field is not None
    field.selectAll()
    QTest.keyClicks(field, "55")
    QTest.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.findChildren(QLineEdit) or ed.undo_stack.count() > steps)
    seats_component = next(c for c in ed.data["components"] if c["kind"] == "seats")
    assert seats_component["seats"] == 55
    assert ed.undo_stack.count() == steps + 1
    assert "Team seats, year 1: quantity 55" in ed.undo_stack.undoText()
    # The table shows the repriced quote: year 1's line is 55 seats.
    row = find_row(model, "Team seats", 1)
    assert cell(model, row, "quantity", RAW_ROLE) == 55
    ed.undo()
    assert ed.data == before


def test_a_later_years_seat_count_is_a_ramp_from_that_year(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = open_table(window, "Globex Engineering")
    ed = editor.editor
    model = ed.price_table.model
    year_one = cell(model, find_row(model, "Team seats", 1), "quantity", RAW_ROLE)
    assert model.setData(
        model.index(find_row(model, "Team seats", 2), column(model, "quantity")), "70"
    )
    assert ed.data["ramps"] == [{"year": 2, "seats": {"seats": 70}, "usage": {}}]
    assert cell(model, find_row(model, "Team seats", 1), "quantity", RAW_ROLE) == year_one
    assert cell(model, find_row(model, "Team seats", 2), "quantity", RAW_ROLE) == 70
    # Changed again: the same ramp, a new step.
    assert model.setData(
        model.index(find_row(model, "Team seats", 2), column(model, "quantity")), "80"
    )
    assert ed.data["ramps"] == [{"year": 2, "seats": {"seats": 80}, "usage": {}}]
    ed.undo()
    ed.undo()
    assert "ramps" not in ed.data or not ed.data["ramps"]
    assert not ed.is_modified()


def test_a_usage_quantity_becomes_the_monthly_forecast(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_table(window, "Contoso Legal")  # 12 months: 120 contracts a month
    ed = editor.editor
    model = ed.price_table.model
    reviews = find_row(model, ed.data["components"][0]["name"], 1)
    assert cell(model, reviews, "quantity", RAW_ROLE) == 1440  # 120 x 12
    assert cell(model, reviews, "basis") == "Forecast"
    assert model.setData(model.index(reviews, column(model, "quantity")), "1,800")
    assert ed.data["usage_forecast"]["contracts_reviewed"]["monthly"] == "150"  # 1,800 / 12
    assert cell(model, reviews, "quantity", RAW_ROLE) == 1800


def test_a_growing_forecast_is_changed_on_the_usage_tab(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_table(window, "Northwind Support")  # tickets grow 1 % a month
    model = editor.editor.price_table.model
    checked = 0
    for r in range(model.rowCount()):
        line = model.line(r).row
        if line is not None and line.basis == "forecast" and line.kind == "component":
            index = model.index(r, column(model, "quantity"))
            assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
            assert "grows 1 % a month; change it on the Usage tab" in cell(
                model, r, "quantity", Qt.ItemDataRole.ToolTipRole
            )
            checked += 1
    assert checked == 2  # the outcome line in each of the two years


def test_a_unit_price_and_a_discount(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_table(window, "Globex Engineering")  # 3 % escalator
    ed = editor.editor
    model = ed.price_table.model
    before = copy.deepcopy(ed.data)
    year_two = find_row(model, "Team seats", 2)
    assert (
        not model.flags(model.index(year_two, column(model, "price"))) & Qt.ItemFlag.ItemIsEditable
    )
    assert "escalator" in cell(model, year_two, "price", Qt.ItemDataRole.ToolTipRole)
    assert model.setData(
        model.index(find_row(model, "Team seats", 1), column(model, "price")), "65"
    )
    assert next(c for c in ed.data["components"] if c["kind"] == "seats")["price_per_seat"] == "65"
    assert cell(model, find_row(model, "Team seats", 2), "price", RAW_ROLE) == Decimal(
        "66.95"
    )  # 65 x 1.03
    assert model.setData(
        model.index(find_row(model, "Team seats", 1), column(model, "discount")), "10 %"
    )
    assert ed.data["discounts"][-1] == {
        "description": "Team seats discount",
        "percent": "10",
        "component": "seats",
    }
    row = find_row(model, "Team seats", 1)
    assert cell(model, row, "discount") == "10.00%"
    assert cell(model, row, "net", RAW_ROLE) == Decimal("58.50")  # 65 x 0.9
    assert model.setData(model.index(row, column(model, "discount")), "")  # cleared: no discount
    assert "discounts" not in ed.data
    for _ in range(3):
        ed.undo()
    assert ed.data == before


def test_refusals_are_sentences_and_change_nothing(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_table(window, "Globex Engineering")
    ed = editor.editor
    model = ed.price_table.model
    before = copy.deepcopy(ed.data)
    row = find_row(model, "Team seats", 1)
    assert not model.setData(model.index(row, column(model, "quantity")), "lots")
    # The app's one number parser's sentence (merge of issue 17 with issue 12's parser).
    assert ed.price_table.message.text() == (
        "Team seats, year 1: lots is not a number as written in English (United States) "
        "(e.g. 1,234.5)"
    )
    model.setData(model.index(row, column(model, "quantity")), "2.5")
    assert "seats must be a whole number" in ed.price_table.message.text()
    model.setData(model.index(row, column(model, "discount")), "120")
    assert (
        ed.price_table.message.text() == "Team seats, year 1: the discount must be from 0 to 100 %"
    )
    assert ed.data == before


def test_copy_is_tab_separated_with_plain_numbers(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_table(window, "Globex Engineering")
    ed = editor.editor
    model, view = ed.price_table.model, ed.price_table.view
    row = find_row(model, "Team seats", 1)
    view.selectionModel().clearSelection()
    for key in ("component", "quantity", "price", "total"):
        index = model.index(row, column(model, key))
        view.selectionModel().select(index, view.selectionModel().SelectionFlag.Select)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QGuiApplication.clipboard().text()
    line = model.line(row).row
    assert line is not None and line.amount is not None
    assert line.quantity == 25 and line.list_unit_price == 60 and line.amount == 18000
    assert text == "Team seats\t25\t60\t18000\n"
    assert "," not in text and "$" not in text


def test_paste_a_column_of_quantities_in_one_step(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_table(window, "Globex Engineering")
    ed = editor.editor
    model, view = ed.price_table.model, ed.price_table.view
    before = copy.deepcopy(ed.data)
    steps = ed.undo_stack.count()
    view.setCurrentIndex(model.index(find_row(model, "Team seats", 1), column(model, "quantity")))
    QApplication.clipboard().setText("45\r\n1,234\r\n")  # as Excel puts a column
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    # Team seats year 1, then the next quantity cell that can change: Team seats, year 2.
    assert next(c for c in ed.data["components"] if c["kind"] == "seats")["seats"] == 45
    assert ed.data["ramps"][0]["seats"] == {"seats": 1234}
    assert ed.undo_stack.count() == steps + 1
    assert ed.undo_stack.undoText() == "Paste 2 quantities"
    ed.undo()
    assert ed.data == before
    # A bad line: nothing is pasted, and the message names it.
    QApplication.clipboard().setText("45\nforty\n")
    view.paste()
    assert ed.data == before
    assert ed.price_table.message.text().startswith("Line 2 of the paste (Team seats, year 2):")


def test_the_table_follows_edits_elsewhere(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_table(window, "Contoso Legal")
    ed = editor.editor
    model = ed.price_table.model
    escalator = next(b.widget for b in ed.bindings if b.path == ("term_months",))
    escalator.setValue(24)  # type: ignore[attr-defined]
    assert any(
        model.line(r).kind == "subtotal" and model.line(r).year.year == 2
        for r in range(model.rowCount())
    )  # type: ignore[union-attr]
    doc = ed.document
    assert doc is not None
    sheet = sheet_from_quote(doc, price(doc))
    assert model.sheet == sheet


def test_a_lines_discount_is_not_the_deal_discount(qtbot: QtBot, window: MainWindow) -> None:
    """A discount typed on a line belongs to that component: the Terms tab's deal discount
    stays empty, and typing one there adds the deal discount before it."""
    from .stateful import retype

    editor = open_table(window, "Globex Engineering")
    ed = editor.editor
    model = ed.price_table.model
    assert model.setData(
        model.index(find_row(model, "Team seats", 1), column(model, "discount")), "10"
    )
    deal = next(b.widget for b in ed.bindings if b.path == ("discounts", 0, "percent"))
    assert deal.text() == ""  # type: ignore[attr-defined]
    ed.tabs.setCurrentIndex(0)
    retype(deal, "5")
    assert ed.data["discounts"] == [
        {"description": "Deal discount", "percent": "5"},
        {"description": "Team seats discount", "percent": "10", "component": "seats"},
    ]
    # The line shows both: 5 % for the deal and its own 10 %.
    ed.tabs.setCurrentWidget(ed.price_table)
    assert cell(model, find_row(model, "Team seats", 1), "discount") == "15.00%"


def test_the_terms_tab_says_a_line_has_its_own_discount(qtbot: QtBot, window: MainWindow) -> None:
    """Deal discount 15 %, then 30 typed in year 1's Discount cell: the line's discount is
    30 % while the Terms tab said only "Deal discount % 15". A note under the field says which
    lines have their own discount."""
    from .stateful import retype

    editor = open_table(window, "Globex Engineering")
    ed = editor.editor
    deal = next(b.widget for b in ed.bindings if b.path == ("discounts", 0, "percent"))
    retype(deal, "15")
    note = ed.line_discounts
    assert note.isHidden()  # the deal discount alone: nothing to add
    model = ed.price_table.model
    ed.tabs.setCurrentWidget(ed.price_table)
    assert model.setData(
        model.index(find_row(model, "Team seats", 1), column(model, "discount")), "30"
    )
    ed.tabs.setCurrentIndex(0)
    assert deal.text() == "15"  # type: ignore[attr-defined]
    assert not note.isHidden()
    assert note.text() == (
        "Lines with a discount of their own, on top of this one (change them on the Price "
        "table): Team seats 15%."
    )
    ed.undo_stack.undo()  # the line's discount gone: so is the note
    assert note.isHidden()


def test_a_rounding_line_says_where_it_comes_from(qtbot: QtBot) -> None:
    """15 % off 3,333.50 of calls a month is 500.025, invoiced 500.03: the year's line is
    0.06 below 400,020 x 0.085. The seller hovering its Rounding line reads why."""
    from quote_builder.pricing.quote_format import quote_from_data

    data: dict[str, Any] = {
        "customer": {"name": "Acme"},
        "currency": "USD",
        "start_date": "2027-01-01",
        "term_months": 12,
        "billing_frequency": "monthly",
        "components": [
            {
                "kind": "per_unit",
                "id": "calls",
                "name": "API calls",
                "metric": "calls",
                "unit_price": "0.10",
            }
        ],
        "discounts": [{"description": "Deal discount", "percent": "15"}],
        "usage_forecast": {"calls": {"monthly": "33335"}},
    }
    doc = quote_from_data(data)
    model = PriceTableModel()
    model.set_sheet(sheet_from_quote(doc, price(doc)), data)
    (rounding,) = [
        r
        for r in range(model.rowCount())
        if (line := model.line(r).row) is not None and line.label == "Rounding"
    ]
    assert cell(model, rounding, "total", RAW_ROLE) == Decimal("-0.06")
    tip = cell(model, rounding, "total", Qt.ItemDataRole.ToolTipRole)
    assert "each invoice rounds its charges and discounts to the cent once" in tip


def test_a_year_whose_true_up_takes_back_discounts_says_so_as_the_documents_do(
    qtbot: QtBot,
) -> None:
    """7.5 % off calls that then fall short of a 1,000.00 monthly minimum in January and
    February: the true-up takes back 103.75 of the discounts, month by month. Under the
    year's total the table says what the proposal and the order form say under that
    year's table."""
    from quote_builder.documents.formatting import Formatter
    from quote_builder.documents.price_sheet import sheet_table
    from quote_builder.pricing.quote_format import quote_from_data

    data: dict[str, Any] = {
        "customer": {"name": "Acme"},
        "currency": "USD",
        "start_date": "2027-01-01",
        "term_months": 12,
        "billing_frequency": "quarterly",
        "components": [
            {"kind": "flat_fee", "id": "platform", "name": "Platform fee", "amount": "500"},
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
    doc = quote_from_data(data)
    sheet = sheet_from_quote(doc, price(doc))
    model = PriceTableModel()
    model.set_sheet(sheet, data)
    kinds = [model.line(r).kind for r in range(model.rowCount())]
    assert kinds[-3:] == ["subtotal", "note", "tcv"]
    (year,) = sheet_table(sheet, Formatter("USD", "en_US"))
    note = cell(model, kinds.index("note"), "component")
    assert note == (f"{year['discounts_included']} {year['taken_back']} {year['monthly_true_ups']}")
    assert "The true-up to the minimum commitment takes back 103.75 of these discounts" in note
    # A year whose true-up takes nothing back has no note.
    met = quote_from_data({**data, "usage_forecast": {"calls": {"monthly": "200000"}}})
    model.set_sheet(sheet_from_quote(met, price(met)), data)
    assert "note" not in [model.line(r).kind for r in range(model.rowCount())]


def test_an_amount_that_grows_is_never_cut(qtbot: QtBot, window: MainWindow) -> None:
    """1,440 contracts reviewed made 2,000 with the keyboard: the line total went from
    86,400.00 to 120,000.00 in a column sized for the first, and showed "120,000.…"."""
    editor = open_table(window, "Contoso Legal")
    editor.show()
    qtbot.waitExposed(editor)
    ed = editor.editor
    model = ed.price_table.model
    view = ed.price_table.view
    reviews = find_row(model, ed.data["components"][0]["name"], 1)
    assert model.setData(model.index(reviews, column(model, "quantity")), "2,000")
    QApplication.processEvents()
    assert cell(model, reviews, "total") == "120,000.00"
    cut = []
    for row in range(model.rowCount()):
        for col in range(1, model.columnCount()):
            if view.columnSpan(row, col) != 1 or view.isIndexHidden(model.index(row, col)):
                continue
            if row != reviews and model.line(row).kind not in ("subtotal", "tcv"):
                continue
            text = model.data(model.index(row, col))
            if text and view.sizeHintForIndex(model.index(row, col)).width() > view.columnWidth(
                col
            ):
                cut.append(f"row {row}, {model.column_key(col)}: {text}")
    assert not cut, cut
    ed.mark_saved()
    editor.close()
