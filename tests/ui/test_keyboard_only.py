"""A sales rep who works without a mouse (issue: keyboard-only walk at 100 %, 150 %, 200 %).

Every action of the quote editor's toolbar is reachable from the keyboard (the toolbar's
buttons take no focus), Tab leaves a table instead of walking its every cell, and the
Quotes page's search box keeps room for what is typed in a narrow (scaled) window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QToolBar
from pytestqt.qtbot import QtBot

from quote_builder.services import quotes as quote_service
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor


def test_every_toolbar_action_of_the_editor_is_in_its_quote_menu(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show()
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    editor = open_quote_editor(window, row.id)
    qtbot.waitExposed(editor)
    bar = editor.findChild(QToolBar, "quote-toolbar")
    assert bar is not None
    on_bar = [a for a in bar.actions() if not a.isSeparator()]
    assert len(on_bar) >= 10  # Save … Renew / Expand / Amend…
    menu = editor.findChild(QMenu, "quote-menu")
    assert menu is not None, "the editor has no menu: Versions…, Request approval… need a mouse"
    assert menu.actions() == bar.actions()
    # Alt+Q opens it (the menu's mnemonic), as Alt+F opens the main window's File menu.
    assert menu.menuAction().text() == "&Quote"
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor, timeout=2000)
    editor.editor.tabs.setFocus()
    QTest.keyClick(editor.editor.tabs, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    # The arrows walk it and Enter runs the action: the same QAction the toolbar shows.
    QTest.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction() in on_bar
    menu.close()
    QApplication.processEvents()
