"""A ramp row that names a seats component but has no quantity yet (forgotten, or deleted
at 11 pm) was recorded as 0 seats from that year: the quote silently lost year 2's seats
and priced lower. It is now marked like any unreadable quantity and not recorded."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from quote_builder.ui.main_window import MainWindow

from .stateful import retype
from .test_undo_regressions import action, open_quote, ramp_row


def test_a_ramp_without_its_quantity_is_marked_not_priced_as_zero(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = open_quote(window, "Globex")
    inner = editor.editor
    ramp_row(editor, "2", "seats", "40")
    assert inner.data["ramps"] == [{"year": 2, "seats": {"seats": "40"}, "usage": {}}]
    # The rep clears the quantity (or never typed it): nothing is recorded as 0 seats.
    table = inner.ramps
    table.setFocus()
    table.setCurrentCell(0, 2)
    QTest.keyClick(table, Qt.Key.Key_F2)
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit)
    retype(cell, "")
    QTest.keyClick(cell, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert inner.data["ramps"] == [{"year": 2, "seats": {"seats": "40"}, "usage": {}}]
    assert any(
        "row 1 quantity: give the seats or the monthly quantity" in p
        for p in inner.problem_sentences()
    )
    assert inner.document is None and not editor.save_action.isEnabled()
    # Undo brings the 40 back on screen; the quote never held 0.
    action(editor, "Undo").trigger()
    assert table.item(0, 2).text() == "40"  # type: ignore[union-attr]
    assert inner.document is not None and inner.document.ramps[0].seats == {"seats": 40}
