"""The editor's Options tab (issue 17, §2): options kept from the working copy, compared
side by side, recommended and chosen, loaded back; the what-if sliders update TCV, margin
and approval need live and apply as one undo step; saving keeps the options."""

from __future__ import annotations

import copy
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from quote_builder.pricing import price
from quote_builder.pricing.options import effective_document
from quote_builder.services import quotes as quote_service
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import QuoteEditorWindow, open_quote_editor

from .stateful import retype


def contoso(window: MainWindow, customer: str = "Contoso Legal") -> QuoteEditorWindow:
    """Contoso Legal: 120 contracts a month at a price per outcome, 12 months."""
    row = next(
        r
        for r in quote_service.list_quotes(window.workspace.db).rows
        if r.customer_name == customer
    )
    editor = open_quote_editor(window, row.id)
    editor.editor.tabs.setCurrentWidget(editor.editor.options)
    return editor


def keep(editor: QuoteEditorWindow, name: str) -> None:
    panel = editor.editor.options
    panel.name.setText(name)
    QTest.mouseClick(panel.keep_button, Qt.MouseButton.LeftButton)


def column_of(panel: object, title_start: str) -> int:
    table = panel.table  # type: ignore[attr-defined]
    for col in range(table.columnCount()):
        item = table.horizontalHeaderItem(col)
        if item is not None and item.text().startswith(title_start):
            return col
    raise AssertionError(title_start)


def cell(panel: object, row_label: str, col: int) -> str:
    table = panel.table  # type: ignore[attr-defined]
    for row in range(table.rowCount()):
        if table.item(row, 0).text() == row_label:
            return str(table.item(row, col).text())
    raise AssertionError(row_label)


def test_three_options_kept_compared_recommended_and_chosen(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = contoso(window)
    ed = editor.editor
    panel = ed.options
    before = copy.deepcopy(ed.data)
    term = next(b.widget for b in ed.bindings if b.path == ("term_months",))
    keep(editor, "One year")
    term.setValue(24)  # type: ignore[attr-defined]
    keep(editor, "Two years")
    term.setValue(36)  # type: ignore[attr-defined]
    keep(editor, "Three years")
    assert [o["name"] for o in ed.data["options"]] == ["One year", "Two years", "Three years"]
    assert [o["term_months"] for o in ed.data["options"]] == [12, 24, 36]
    assert not panel.keep_button.isEnabled()  # three at most
    # Side by side, each priced on its own: TCV grows with the term; margins per year.
    tcvs = [
        cell(panel, "TCV", column_of(panel, name))
        for name in ("One year", "Two years", "Three years")
    ]
    assert len(set(tcvs)) == 3
    assert cell(panel, "Margin, year 3", column_of(panel, "Three years")).endswith("%")
    assert cell(panel, "Margin, year 3", column_of(panel, "One year")) == ""
    # Recommend the second; the customer chooses the third.
    panel.chosen.setCurrentIndex(1)
    panel.recommend()
    assert [o.get("recommended", False) for o in ed.data["options"]] == [False, True, False]
    assert "★ recommended" in panel.table.horizontalHeaderItem(column_of(panel, "Two years")).text()
    panel.chosen.setCurrentIndex(2)
    panel.choose()
    assert ed.data["chosen_option"] == ed.data["options"][2]["key"]
    assert ed.document is not None and effective_document(ed.document).term_months == 36
    # Saved, the quote list's TCV is the chosen option's and the row counts the options.
    assert editor.save()
    row = quote_service.get_quote(window.workspace.db, editor.quote_id)
    assert row.option_count == 3
    assert row.tcv.amount == price(effective_document(ed.document)).tcv
    # Every step undoes: back to the quote as it was.
    while ed.undo_stack.canUndo():
        ed.undo()
    assert ed.data == before


def test_an_option_loads_into_the_working_copy_and_updates(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = contoso(window)
    ed = editor.editor
    panel = ed.options
    term = next(b.widget for b in ed.bindings if b.path == ("term_months",))
    keep(editor, "One year")
    term.setValue(24)  # type: ignore[attr-defined]
    keep(editor, "Two years")
    panel.chosen.setCurrentIndex(0)
    panel.load()
    assert ed.data["term_months"] == 12 and term.value() == 12  # type: ignore[attr-defined]
    escalator = next(b.widget for b in ed.bindings if b.path == ("escalator_percent",))
    ed.tabs.setCurrentIndex(0)
    retype(escalator, "3")
    ed.tabs.setCurrentWidget(panel)
    panel.chosen.setCurrentIndex(0)
    panel.update_option()
    assert ed.data["options"][0]["escalator_percent"] == "3"
    assert ed.undo_stack.undoText() == "Update option One year"
    panel.chosen.setCurrentIndex(1)
    panel.remove()
    assert [o["name"] for o in ed.data["options"]] == ["One year"]


def test_the_what_if_follows_the_sliders_and_applies_in_one_step(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = contoso(window, "Initech Sales")  # 12 months of a platform fee and enrichments
    ed = editor.editor
    panel = ed.options
    assert panel.policy is not None
    result = panel.what_if_result
    start = result.text()
    assert "TCV" in start and "no approval needed" in start
    panel.term_slider.setValue(36)
    longer = result.text()
    # Three years without an escalator: the policy's multi-year rule asks for approval.
    assert longer != start and "needs approval" in longer
    # 36 months: three times the TCV of twelve (no escalator yet, the same monthly fee).
    doc = ed.document
    assert doc is not None
    assert locale_tcv(price(doc).tcv * 3) in longer
    panel.discount_slider.setValue(30)  # beyond a rep's and a manager's authority
    assert "needs approval: Deal desk" in result.text()
    panel.escalator_slider.setValue(8)  # 4 %
    assert ed.data["term_months"] == 12  # nothing applied yet
    before = copy.deepcopy(ed.data)
    steps = ed.undo_stack.count()
    QTest.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert ed.undo_stack.count() == steps + 1
    assert ed.data["term_months"] == 36 and ed.data["escalator_percent"] == "4"
    assert ed.data["discounts"][0] == {"description": "Deal discount", "percent": "30"}
    ed.undo()
    assert ed.data == before


def locale_tcv(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def test_the_what_if_starts_from_the_quote_as_it_is(qtbot: QtBot, window: MainWindow) -> None:
    """12.5 % off, 3.3 % a year and 72 months are not on the sliders' steps: the what-if
    still shows (and applies) the quote's own figures until a slider is moved, and a
    discount for the first months is kept."""
    editor = contoso(window, "Initech Sales")
    ed = editor.editor
    panel = ed.options
    data = copy.deepcopy(ed.data)
    data["term_months"] = 72
    data["escalator_percent"] = "3.3"
    data["discounts"] = [
        {"description": "Launch", "percent": "20", "months": 3},
        {"description": "Partner discount", "percent": "12.5"},
    ]
    ed.apply_data(data, "test")
    priced = ed.priced
    assert priced is not None
    assert locale_tcv(priced.tcv) in panel.what_if_result.text()
    assert panel.discount_label.text() == "12.5%"
    assert panel.escalator_label.text() == "3.3%"
    assert panel.term_label.text() == "72 months"
    before = copy.deepcopy(ed.data)
    QTest.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert ed.data == before
    panel.discount_slider.setValue(10)
    assert panel.discount_label.text() == "10%"
    QTest.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert ed.data["discounts"] == [
        {"description": "Launch", "percent": "20", "months": 3},
        {"description": "Partner discount", "percent": "10"},
    ]
    assert ed.data["term_months"] == 72 and ed.data["escalator_percent"] == "3.3"
