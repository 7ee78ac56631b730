"""Defect 2: "Edit anyway?" comes before any input changes an approved (or pending) quote.

The gate held keystrokes and clicks on a field; a value picked in a choice list's popup
(opened with Alt+Down), a spin box's arrow, a date from the calendar, a check box in a
table, Paste from a context menu, a button and Redo changed the quote first, repriced it,
and asked after (walk under Xvfb: Billing → Annual in advance priced the quote with the
question open; No left Redo offering the refused change). Now each input waits for the
answer: the quote, its totals and its undo history are as saved while the question is
open; No puts the saved value back on screen; Yes applies the input once.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QStyle,
    QStyleOptionSpinBox,
    QTableView,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import QuoteEditorWindow

from .test_governance_ui import _approved_editor
from .test_governance_ui import org as org  # noqa: F401 (the fixture)
from .test_governance_ui import window as window  # noqa: F401 (the fixture)


@dataclass
class Seen:
    """What the quote was when the question was asked."""

    data: dict[str, Any]
    tcv: str
    steps: int
    modified: bool


def _bound(editor: QuoteEditorWindow, *path: str | int) -> QWidget:
    return next(b.widget for b in editor.editor.bindings if b.path == path)


def _answering(monkeypatch: pytest.MonkeyPatch, editor: QuoteEditorWindow, yes: bool) -> list[Seen]:
    seen: list[Seen] = []

    def question(*_a: object, **_k: object) -> QMessageBox.StandardButton:
        inner = editor.editor
        seen.append(
            Seen(
                copy.deepcopy(inner.data),
                inner.summary.tcv.text(),
                inner.undo_stack.count(),
                inner.is_modified(),
            )
        )
        return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    return seen


# --- the inputs --------------------------------------------------------------------------------


def pick_billing(qtbot: QtBot, editor: QuoteEditorWindow) -> tuple[QWidget, Callable[[], Any]]:
    """Billing: Alt+Down opens the list, Down moves to the next choice, Enter picks it (the
    popup is a window of its own: no key there reached the gate)."""
    combo = _bound(editor, "billing_frequency")
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(combo.view().isVisible)
    step = Qt.Key.Key_Down if combo.currentIndex() < combo.count() - 1 else Qt.Key.Key_Up
    QTest.keyClick(combo.view(), step)
    QTest.keyClick(combo.view(), Qt.Key.Key_Return)
    return combo, combo.currentData


def pick_pricing_model(
    qtbot: QtBot, editor: QuoteEditorWindow
) -> tuple[QWidget, Callable[[], Any]]:
    """Pricing model: the list opened with F4, a choice clicked with the mouse."""
    combo = _bound(editor, "pricing_model")
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_F4)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    other = 1 if combo.currentIndex() != 1 else 2
    rect = view.visualRect(view.model().index(other, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return combo, combo.currentData


def step_term(qtbot: QtBot, editor: QuoteEditorWindow) -> tuple[QWidget, Callable[[], Any]]:
    """Term (months): a click on the spin box's up arrow."""
    spin = _bound(editor, "term_months")
    assert isinstance(spin, QSpinBox)
    option = QStyleOptionSpinBox()
    spin.initStyleOption(option)
    up = spin.style().subControlRect(
        QStyle.ComplexControl.CC_SpinBox, option, QStyle.SubControl.SC_SpinBoxUp, spin
    )
    QTest.mouseClick(spin, Qt.MouseButton.LeftButton, pos=up.center())
    return spin, spin.value


def pick_start_date(qtbot: QtBot, editor: QuoteEditorWindow) -> tuple[QWidget, Callable[[], Any]]:
    """Start date: the calendar opened from the field's arrow, the next day picked."""
    date = _bound(editor, "start_date")
    assert isinstance(date, QDateEdit)
    QTest.mouseClick(
        date, Qt.MouseButton.LeftButton, pos=QPoint(date.width() - 8, date.height() // 2)
    )
    calendar = date.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    days = calendar.findChild(QTableView)
    assert days is not None
    QTest.keyClick(days, Qt.Key.Key_Right)
    QTest.keyClick(days, Qt.Key.Key_Return)
    return date, lambda: date.date().toString("yyyy-MM-dd")


def check_cost_only(qtbot: QtBot, editor: QuoteEditorWindow) -> tuple[QWidget, Callable[[], Any]]:
    """Usage & economics: a click on the Cost only check box of the first unit cost."""
    table = editor.editor.costs
    assert isinstance(table, QTableWidget) and table.rowCount() >= 1
    editor.editor.tabs.setCurrentIndex(4)
    qtbot.waitUntil(table.isVisible)
    item = table.item(0, 2)
    assert item is not None
    cell = table.visualItemRect(item)
    # The check box is at the cell's left (the style's check indicator of the item).
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    option.initFrom(table)
    option.rect = cell
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = table.style().subElementRect(
        QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, table
    )
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=box.center())

    def state() -> Qt.CheckState:
        shown = table.item(0, 2)  # the table is filled again from the quote after No
        assert shown is not None
        return shown.checkState()

    return table, state


def paste_from_menu(qtbot: QtBot, editor: QuoteEditorWindow) -> tuple[QWidget, Callable[[], Any]]:
    """Deal discount %: Paste from the field's context menu (what the menu's Paste does)."""
    deal = _bound(editor, "discounts", 0, "percent")
    assert isinstance(deal, QLineEdit)
    QApplication.clipboard().setText("20")
    deal.selectAll()
    deal.paste()
    return deal, deal.text


def move_component(qtbot: QtBot, editor: QuoteEditorWindow) -> tuple[QWidget, Callable[[], Any]]:
    """Components: the first component moved down with the Move down button."""
    components = editor.editor.components
    editor.editor.tabs.setCurrentIndex(1)
    components.list.setCurrentRow(0)
    QTest.mouseClick(components.down_button, Qt.MouseButton.LeftButton)
    return components, lambda: [c.id for c in components.components()]


INPUTS = [
    pick_billing,
    pick_pricing_model,
    step_term,
    pick_start_date,
    check_cost_only,
    paste_from_menu,
    move_component,
]


@pytest.mark.parametrize("edit", INPUTS, ids=lambda f: f.__name__)
def test_no_input_changes_an_approved_quote_before_the_answer(
    qtbot: QtBot,
    window: MainWindow,
    org: Any,  # noqa: F811 (the fixture)
    monkeypatch: pytest.MonkeyPatch,
    edit: Callable[[QtBot, QuoteEditorWindow], tuple[QWidget, Callable[[], Any]]],
) -> None:
    editor, _deal = _approved_editor(window, org)
    editor.show()
    qtbot.waitExposed(editor)
    inner = editor.editor
    saved, tcv = copy.deepcopy(inner.data), inner.summary.tcv.text()
    seen = _answering(monkeypatch, editor, yes=False)
    widget, shown = edit(qtbot, editor)
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0] == Seen(saved, tcv, 0, False)  # asked before anything was applied
    qtbot.wait(20)
    # No: the quote, the totals and the screen are as saved; nothing to undo or redo.
    assert inner.data == saved and inner.summary.tcv.text() == tcv
    assert not inner.is_modified() and inner.undo_stack.count() == 0
    assert not editor.save_action.isEnabled() and not editor.redo_action.isEnabled()
    assert not editor.windowTitle().endswith("•")
    value_after_no = shown()
    assert len(seen) == 1
    # The widget shows the saved value again: the same input once more gives the same
    # question on the same quote (and a Yes now applies it once).
    seen_yes = _answering(monkeypatch, editor, yes=True)
    edit(qtbot, editor)
    qtbot.waitUntil(lambda: bool(seen_yes))
    assert seen_yes[0] == Seen(saved, tcv, 0, False)
    qtbot.waitUntil(inner.is_modified)
    assert shown() != value_after_no and inner.data != saved
    assert len(seen_yes) == 1 and inner.undo_stack.count() == 1
    assert widget.isVisible()


def test_redo_of_an_edit_undone_back_to_the_approved_version_asks_first(
    qtbot: QtBot,
    window: MainWindow,
    org: Any,  # noqa: F811 (the fixture)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Yes, a pick, then Undo back to the approved version: the approval stands again, so
    Redo (the tool bar's, or Ctrl+Shift+Z) asks before it brings the pick back; No keeps
    the quote as approved."""
    editor, _deal = _approved_editor(window, org)
    editor.show()
    qtbot.waitExposed(editor)
    inner = editor.editor
    saved = copy.deepcopy(inner.data)
    seen = _answering(monkeypatch, editor, yes=True)
    pick_billing(qtbot, editor)
    qtbot.waitUntil(inner.is_modified)
    editor.undo_action.trigger()
    assert inner.data == saved and not inner.is_modified()
    assert editor.edit_gate.armed  # asks again
    seen = _answering(monkeypatch, editor, yes=False)
    editor.redo_action.trigger()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0].data == saved and not seen[0].modified
    qtbot.wait(20)
    assert inner.data == saved and not inner.is_modified()
    seen = _answering(monkeypatch, editor, yes=True)
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(_bound(editor, "title"), Qt.Key.Key_Z, redo)
    qtbot.waitUntil(inner.is_modified)
    assert seen[0].data == saved and len(seen) == 1
    assert inner.data["billing_frequency"] != saved["billing_frequency"]


def test_the_walk_pick_answered_no_leaves_no_redo(
    qtbot: QtBot,
    window: MainWindow,
    org: Any,  # noqa: F811 (the fixture)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The walk's case: Billing picked from the list, No. The old editor undid the applied
    pick, leaving Redo enabled, and Redo then changed the approved quote (asking only
    after it was priced)."""
    editor, _deal = _approved_editor(window, org)
    editor.show()
    qtbot.waitExposed(editor)
    inner = editor.editor
    saved = copy.deepcopy(inner.data)
    seen = _answering(monkeypatch, editor, yes=False)
    combo, shown = pick_billing(qtbot, editor)
    qtbot.waitUntil(lambda: bool(seen))
    qtbot.wait(20)
    assert shown() == saved.get("billing_frequency", "monthly")
    assert not inner.undo_stack.canRedo() and not editor.redo_action.isEnabled()


def test_typing_into_a_table_cell_survives_the_cell_editor_closing_under_the_question(
    qtbot: QtBot,
    window: MainWindow,
    org: Any,  # noqa: F811 (the fixture)
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Walk under Xvfb (desk1): in an approved quote, a double-click on a unit cost, "40"
    and Enter, then Yes: "Quote Builder: an error" (RuntimeError: Internal C++ object
    (QLineEdit) already deleted). The modal question took the focus from the cell's editor,
    the table closed (and deleted) it, and Yes replayed the held keys into the deleted
    editor. Now the keys go to the table the editor belonged to: the cell reads 40."""
    from PySide6.QtCore import QEvent

    from quote_builder.ui.edit_gate import EditGate

    monkeypatch.setattr(EditGate, "settle_ms", 50)
    editor, _deal = _approved_editor(window, org)
    table = editor.editor.costs
    assert table.rowCount() > 0
    item = table.item(0, 1)
    assert item is not None
    tabs = editor.editor.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.widget(i).isAncestorOf(table)))
    editor.show()
    editor.activateWindow()
    table.setFocus()
    table.setCurrentItem(item)
    table.editItem(item)
    cells = table.viewport().findChildren(QLineEdit)
    assert len(cells) == 1
    cell = cells[0]
    cell.setFocus()
    asked: list[bool] = []

    def question(*_a: object, **_k: object) -> QMessageBox.StandardButton:
        if asked:  # closing the window at the end: "Save your changes…?"
            return QMessageBox.StandardButton.Discard
        # What the real modal question does: it takes the focus, and the table closes the
        # cell's editor (deleted once the question's event loop runs).
        other = QLineEdit()
        other.show()
        other.activateWindow()
        other.setFocus()
        cell.clearFocus()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        other.close()
        asked.append(True)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    cell.selectAll()
    QTest.keyClick(cell, Qt.Key.Key_4)
    QTest.keyClick(cell, Qt.Key.Key_0)
    QTest.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: asked == [True])
    qtbot.waitUntil(lambda: (table.item(0, 1) or item).text() in ("40", "40.00"), timeout=3000)
