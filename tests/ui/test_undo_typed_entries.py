"""Undo and Redo over an entry that cannot be recorded (marked invalid): Undo takes the
typed text off the screen (the field shows the quote's value again), Redo puts it back,
marked again; neither throws nor changes the quote's data."""

from __future__ import annotations

import copy
import sys
from types import TracebackType

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import QuoteEditorWindow

from .stateful import retype
from .test_undo_regressions import action, field, open_quote


@pytest.fixture
def raised(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """Exceptions raised inside Qt (an undo command, a slot) land here, not in a log."""
    seen: list[BaseException] = []

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        seen.append(value)

    monkeypatch.setattr(sys, "excepthook", hook)
    return seen


CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def price_field(editor: QuoteEditorWindow) -> QLineEdit:
    current = editor.editor.components.current_editor()
    assert current is not None
    return next(w for w in current.findChildren(QLineEdit) if w.objectName() == "field_amount")


def test_redo_brings_back_an_invalid_entry_that_undo_took_back(
    qtbot: QtBot, window: MainWindow, raised: list[BaseException]
) -> None:
    editor = open_quote(window, "Initech")
    title = field(editor, "title")
    retype(title, "Night deal")  # a recorded edit before the invalid one
    percent = field(editor, "discounts", 0, "percent")
    assert isinstance(percent, QLineEdit)
    retype(percent, "12,5%x")  # "12" is recorded as it is typed; ",5" is not English
    assert editor.editor.unrecorded_problems()
    data = copy.deepcopy(editor.editor.data)
    assert data["discounts"][0]["percent"] == "12"
    QTest.keyClick(percent, Qt.Key.Key_Z, CTRL)
    QApplication.processEvents()
    assert percent.text() == "12"  # the quote's value again
    assert editor.editor.data == data  # the recorded title edit stays
    assert not editor.editor.unrecorded_problems()
    assert action(editor, "Redo").isEnabled()
    QTest.keyClick(percent, Qt.Key.Key_Z, CTRL | SHIFT)
    QApplication.processEvents()
    assert percent.text() == "12,5%x"  # what the rep typed is back, marked again
    assert editor.editor.unrecorded_problems()
    assert editor.editor.data == data
    assert not editor.save_action.isEnabled()
    # Undo again, then the Edit menu's Undo takes the 12 and the title back: ordinary steps.
    action(editor, "Undo").trigger()
    assert percent.text() == "12" and editor.editor.data == data
    action(editor, "Undo").trigger()
    assert percent.text() == "" and editor.editor.data["title"] == "Night deal"
    action(editor, "Undo").trigger()
    assert editor.editor.data.get("title") != "Night deal"
    action(editor, "Redo").trigger()
    action(editor, "Redo").trigger()
    assert editor.editor.data == data
    assert raised == []


def test_an_edit_after_the_undo_drops_the_typed_redo(
    qtbot: QtBot, window: MainWindow, raised: list[BaseException]
) -> None:
    editor = open_quote(window, "Initech")
    percent = field(editor, "discounts", 0, "percent")
    title = field(editor, "title")
    retype(percent, "abc")
    action(editor, "Undo").trigger()
    retype(title, "Changed since")
    action(editor, "Redo").trigger()
    assert percent.text() == ""  # not brought back over a newer edit
    assert editor.editor.data["title"] == "Changed since"
    assert raised == []


def test_redo_brings_back_an_invalid_component_price(
    qtbot: QtBot, window: MainWindow, raised: list[BaseException]
) -> None:
    editor = open_quote(window, "Initech")
    components = editor.editor.components
    editor.editor.tabs.setCurrentWidget(components)
    components.list.setCurrentRow(0)
    before = price_field(editor).text()
    data = copy.deepcopy(editor.editor.data)
    retype(price_field(editor), "abc")
    assert components.errors()
    action(editor, "Undo").trigger()
    assert price_field(editor).text() == before and not components.errors()
    action(editor, "Redo").trigger()
    assert price_field(editor).text() == "abc"
    assert components.errors()
    assert editor.editor.data == data
    action(editor, "Undo").trigger()
    assert price_field(editor).text() == before
    assert editor.editor.data == data
    assert raised == []


def test_undo_of_an_invalid_deal_discount_never_shows_a_line_discount(
    qtbot: QtBot, window: MainWindow, raised: list[BaseException]
) -> None:
    """The first discount is one line's (the price table's): the Terms tab's Deal discount
    % is empty. Undo of a typo there wrote that line's 15 into it."""
    editor = open_quote(window, "Initech")
    data = copy.deepcopy(editor.editor.data)
    line = data["components"][0]["id"]
    data["discounts"] = [{"description": "Line", "component": line, "percent": "15"}]
    editor.editor.apply_data(data, "a line discount")
    percent = field(editor, "discounts", 0, "percent")
    assert isinstance(percent, QLineEdit)
    assert percent.text() == ""
    retype(percent, "x")
    action(editor, "Undo").trigger()
    assert percent.text() == ""
    assert editor.editor.data["discounts"] == data["discounts"]
    assert raised == []


def test_undo_takes_back_a_currency_code_typed_but_not_yet_asked_about(
    qtbot: QtBot, window: MainWindow, raised: list[BaseException]
) -> None:
    """A new currency code is asked about (convert or keep the numbers) once the rep leaves
    the field. Ctrl+Z before that undid an older edit (the title) and left "GBP" in the
    field, to be asked about later."""
    editor = open_quote(window, "Initech")
    title = field(editor, "title")
    retype(title, "Night deal")
    currency = field(editor, "currency")
    assert isinstance(currency, QLineEdit)
    before = currency.text()
    retype(currency, "GBP")
    QTest.keyClick(currency, Qt.Key.Key_Z, CTRL)
    QApplication.processEvents()
    assert currency.text() == before
    assert editor.editor.data["title"] == "Night deal"  # the older edit stays
    QTest.keyClick(currency, Qt.Key.Key_Z, CTRL | SHIFT)
    QApplication.processEvents()
    assert currency.text() == "GBP"  # back as typed, still to be asked about
    assert editor.editor.data["currency"] == before
    assert raised == []
