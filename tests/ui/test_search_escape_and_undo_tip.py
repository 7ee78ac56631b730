"""Escape empties a list's search box; Undo's and Redo's tooltips say what they take back
("Undo Edit Deal discount % (Ctrl+Z)"), as the README promises."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quote_builder.services import quotes as quote_service
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor


def test_escape_clears_the_quotes_search(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    qtbot.waitExposed(window)
    page = window.show_page("quotes")
    search = page.search
    search.setFocus()
    qtbot.keyClicks(search, "Contoso")
    assert search.text() == "Contoso"
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == ""
    customers = window.show_page("customers")
    customers.search.setFocus()
    qtbot.keyClicks(customers.search, "Glob")
    qtbot.keyClick(customers.search, Qt.Key.Key_Escape)
    assert customers.search.text() == ""


def test_undo_says_what_it_takes_back(qtbot: QtBot, window: MainWindow) -> None:
    row = next(
        r
        for r in quote_service.list_quotes(window.workspace.db).rows
        if r.customer_name == "Globex Engineering"
    )
    editor = open_quote_editor(window, row.id)
    assert editor.undo_action.toolTip().startswith("Nothing to undo")
    field = next(b.widget for b in editor.editor.bindings if b.path == ("escalator_percent",))
    field.setText("4")
    field.textEdited.emit("4")
    qtbot.waitUntil(lambda: editor.editor.undo_stack.canUndo())
    editor._update_actions()
    tip = editor.undo_action.toolTip()
    assert tip.startswith("Undo Edit Annual escalator %"), tip
    assert "Ctrl+Z" in tip
    editor.editor.undo()
    qtbot.waitUntil(lambda: editor.redo_action.toolTip().startswith("Redo Edit Annual"))
