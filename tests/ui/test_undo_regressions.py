"""Issue 19's defects as plain tests, in the user's terms (real keys, toolbar actions)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from types import TracebackType

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui.catalog_view import CatalogPage
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import QuoteEditorWindow, open_quote_editor

from .stateful import retype


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win


@pytest.fixture
def raised(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """Exceptions raised inside Qt (an undo command, a slot) land here, not in a log."""
    seen: list[BaseException] = []

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        seen.append(value)

    monkeypatch.setattr(sys, "excepthook", hook)
    return seen


def open_quote(window: MainWindow, customer: str) -> QuoteEditorWindow:
    row = quote_service.list_quotes(window.workspace.db, customer).rows[0]
    editor = open_quote_editor(window, row.id)
    editor.activateWindow()  # keys go where the user works
    QApplication.processEvents()
    return editor


def field(editor: QuoteEditorWindow, *path: str | int) -> QWidget:
    return next(b.widget for b in editor.editor.bindings if b.path == path)


def action(editor: QuoteEditorWindow, text: str) -> QAction:
    return next(a for a in editor.actions() if a.text() == text)


def marked(editor: QuoteEditorWindow) -> bool:
    return editor.windowTitle().endswith("•")


def test_typing_a_deal_discount_then_undo_never_raises(
    qtbot: QtBot, window: MainWindow, raised: list[BaseException]
) -> None:
    """A quote with no discount: type into Deal discount % (and delete it again, or type
    only the months), undo: set_path raised IndexError (no discount to take it from)."""
    editor = open_quote(window, "Initech")
    assert editor.editor.data.get("discounts") in (None, [])
    percent = field(editor, "discounts", 0, "percent")
    months = field(editor, "discounts", 0, "months")
    undo = action(editor, "Undo")
    retype(percent, "10")
    assert editor.editor.data["discounts"][0]["percent"] == "10"
    QTest.keyClick(percent, Qt.Key.Key_Backspace)
    QTest.keyClick(percent, Qt.Key.Key_Backspace)  # typed and deleted: no step is left
    retype(months, "3")  # months alone: a discount without a percent, marked invalid
    assert "percent or amount" in percent.toolTip()
    assert not editor.save_action.isEnabled()
    undo.trigger()
    undo.trigger()
    assert raised == []
    assert editor.editor.data.get("discounts") == []
    assert not marked(editor) and not editor.save_action.isEnabled()


def test_ctrl_z_in_a_field_undoes_one_edit(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+Z in a field was seen twice (its shortcut override, then the key press), so it
    took back two edits."""
    editor = open_quote(window, "Initech")
    title, notes = field(editor, "title"), field(editor, "notes")
    retype(title, "First")
    retype(notes, "Second")
    QTest.keyClick(notes, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    assert editor.editor.data["title"] == "First"
    assert editor.editor.data.get("notes") != "Second"


def test_select_all_retype_a_price_then_ctrl_z_is_unchanged(
    qtbot: QtBot, window: MainWindow
) -> None:
    """One Ctrl+Z after select-all and retyping a component's price restored the value but
    left the quote marked as changed (the field's own undo made a new edit)."""
    editor = open_quote(window, "Initech")
    components = editor.editor.components
    editor.editor.tabs.setCurrentWidget(components)
    components.list.setCurrentRow(0)
    price = next(
        w
        for w in components.current_editor().findChildren(QLineEdit)  # type: ignore[union-attr]
        if w.objectName() == "field_amount"
    )
    before = price.text()
    retype(price, "750")
    assert marked(editor) and editor.save_action.isEnabled()
    QTest.keyClick(price, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    price = next(
        w
        for w in components.current_editor().findChildren(QLineEdit)  # type: ignore[union-attr]
        if w.objectName() == "field_amount"
    )
    assert price.text() == before
    assert not marked(editor) and not editor.save_action.isEnabled()


def test_save_is_disabled_when_a_quote_opens(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_quote(window, "Initech")
    assert not editor.save_action.isEnabled() and not marked(editor)


def test_a_european_number_is_refused_not_misread(qtbot: QtBot, window: MainWindow) -> None:
    """1.234,5 in a number field was read as 1.2345 (the comma dropped)."""
    editor = open_quote(window, "Initech")
    fixed = field(editor, "economics", "fixed_cost_per_month")
    editor.editor.tabs.setCurrentWidget(editor.editor.tabs.widget(3))  # Usage & economics
    retype(fixed, "1.234,5")
    assert editor.editor.document is None and not editor.save_action.isEnabled()
    # The one number parser's sentence (it said "not a finite number" before issue 12).
    assert fixed.toolTip() == (
        "1.234,5 is not a number as written in English (United States); write 1,234.5"
    )
    retype(fixed, "1,234.5")
    assert editor.editor.data["economics"]["fixed_cost_per_month"] == "1234.5"


def test_a_european_number_is_read_in_german(qtbot: QtBot, window: MainWindow) -> None:
    """In de_DE the same entry is 1234.5, and 1,234.5 is the one refused; fields show the
    quote's numbers the German way (0.10 as 0,10)."""
    from quote_builder.ui.locale_numbers import set_ui_locale

    set_ui_locale("de_DE")
    editor = open_quote(window, "Initech")
    fixed = field(editor, "economics", "fixed_cost_per_month")
    editor.editor.tabs.setCurrentIndex(2)
    retype(fixed, "1.234,5")
    assert editor.editor.data["economics"]["fixed_cost_per_month"] == "1234.5"
    assert editor.editor.document is not None
    retype(fixed, "1,234.5")  # 1,2345 would be the German reading of 1,234.5: refused
    assert editor.editor.document is None and not editor.save_action.isEnabled()
    assert "write 1.234,5" in fixed.toolTip()
    # Typed key by key, the last readable entry was "1,23" (1.23 in German): "1,234" is
    # ambiguous (1.234 or 1,234 x 1,000 = 1.234 thousand), and "1,234." and "1,234.5" are
    # shown, marked and never recorded.
    assert editor.editor.data["economics"]["fixed_cost_per_month"] == "1.23"
    costs = editor.editor.costs
    assert costs.item(0, 1).text() == "0,20"  # type: ignore[union-attr]  # Initech: 0.20 an enrichment


def test_a_plan_typed_back_to_its_saved_name_is_unchanged(qtbot: QtBot, window: MainWindow) -> None:
    page = window.show_page("catalog")
    assert isinstance(page, CatalogPage)
    page.select_plan(page.model.plan(0).id)  # type: ignore[union-attr]
    name = page.editor.name
    saved = name.text()
    retype(name, saved + " 2")
    assert page.editor.save_button.isEnabled()
    retype(name, saved)
    assert not page.editor.save_button.isEnabled()
    assert not page.editor.revert_button.isEnabled() and not page.editor.is_dirty()


def test_problems_name_the_fields_as_the_form_does(qtbot: QtBot, window: MainWindow) -> None:
    """The summary listed problems by their place in the quote format (discounts[0]: give
    exactly one of percent or amount; escalator_percent: ...)."""
    editor = open_quote(window, "Initech")
    retype(field(editor, "discounts", 0, "months"), "3")
    retype(field(editor, "escalator_percent"), "abc")
    sentences = editor.editor.problem_sentences()
    assert "Deal discount %: give the percent (or clear …for months)" in sentences
    assert any(s.startswith("Annual escalator %: ") for s in sentences)
    assert "Annual escalator %" in editor.save_action.toolTip() or "Deal discount %" in (
        editor.save_action.toolTip()
    )


def ramp_row(editor: QuoteEditorWindow, year: str, name: str, quantity: str) -> None:
    """Add ramp, then type the row's cells (F2, text, Enter), as a user does."""
    table = editor.editor.ramps
    add = next(b for b in editor.findChildren(QPushButton) if b.objectName() == "add_ramp")
    QTest.mouseClick(add, Qt.MouseButton.LeftButton)
    row = table.rowCount() - 1
    for col, text in enumerate((year, name, quantity)):
        table.setFocus()
        table.setCurrentCell(row, col)
        QTest.keyClick(table, Qt.Key.Key_F2)
        cell = QApplication.focusWidget()
        assert isinstance(cell, QLineEdit)
        retype(cell, text)
        QTest.keyClick(cell, Qt.Key.Key_Return)
        QApplication.processEvents()  # the table commits the cell on the next turn


def test_ramps_are_added_refused_when_repeated_and_undone(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_quote(window, "Globex")
    inner = editor.editor
    ramp_row(editor, "2", "seats", "40")
    ramp_row(editor, "2", "agent_runs", "5000")
    assert inner.data["ramps"] == [
        {"year": 2, "seats": {"seats": "40"}, "usage": {"agent_runs": "5000"}}
    ]
    assert inner.document is not None and inner.document.ramps[0].seats == {"seats": 40}
    assert marked(editor) and editor.save_action.isEnabled()
    ramp_row(editor, "2", "seats", "60")  # the same seat count twice in year 2
    assert inner.document is None and not editor.save_action.isEnabled()
    assert any("changes seats on two rows" in p for p in inner.problem_sentences())
    undo = action(editor, "Undo")
    undo.trigger()  # the repeated row first (it never reached the data)
    assert inner.ramps.rowCount() == 2 and inner.document is not None
    undo.trigger()
    undo.trigger()
    assert inner.data.get("ramps") in (None, []) and inner.ramps.rowCount() == 0
    assert not marked(editor) and not editor.save_action.isEnabled()


def test_a_ramp_keeps_its_seats_when_its_component_is_removed(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A ramp's row is seats or usage from when it is typed or loaded: removing the seats
    component marks the ramp invalid; it does not turn it into a usage ramp."""
    editor = open_quote(window, "Globex")
    inner = editor.editor
    ramp_row(editor, "2", "seats", "40")
    inner.tabs.setCurrentWidget(inner.components)
    inner.components.list.setCurrentRow(0)
    QTest.mouseClick(inner.components.remove_button, Qt.MouseButton.LeftButton)
    ramp_row(editor, "3", "completions", "100")
    assert inner.data["ramps"][0]["seats"] == {"seats": "40"}
    assert any("ramps[0].seats.seats" in p for p in inner.problems)


def test_set_path_creates_what_is_missing_and_removes_empty_values() -> None:
    from quote_builder.ui.quote_editor import set_path

    data: dict[str, object] = {"discounts": []}
    set_path(data, ("discounts", 0, "percent"), "10")  # one past the end: a new element
    assert data == {"discounts": [{"percent": "10"}]}
    set_path(data, ("economics", "levers", "cache_hit_percent"), "30")  # missing dicts
    assert data["economics"] == {"levers": {"cache_hit_percent": "30"}}
    set_path(data, ("discounts", 0, "percent"), "")  # empty: the key goes
    assert data["discounts"] == [{}]
    with pytest.raises(IndexError):
        set_path(data, ("discounts", 3, "percent"), "5")  # no element 1 or 2 before it


def test_after_new_plan_a_click_on_the_plan_selected_before_opens_it(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by the catalog machine's long run: New plan, then a click on the plan that was
    selected before: nothing happened (its row was still the current one)."""
    window.show()
    window.activateWindow()
    page = window.show_page("catalog")
    assert isinstance(page, CatalogPage)
    first = page.model.plan(0)
    assert first is not None
    rect = page.table.visualRect(page.model.index(0, 0))
    QTest.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.editor.plan is not None and page.editor.plan.id == first.id
    QTest.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.editor.plan is None
    discard = QMessageBox.StandardButton.Discard  # "Discard the new plan?" Yes
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: discard)
    QTest.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.editor.plan is not None and page.editor.plan.id == first.id
