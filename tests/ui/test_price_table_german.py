"""The editor's price table in German: the engine's words for a charge's parts (Included,
Overage, Rounding), its units ("months") and "included" / "(est.)" are German, as the PDF
prints them; a component's own name stays as the rep wrote it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, QStandardPaths
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui import i18n, locale_format
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor

ENGLISH = {"Rounding", "Included", "Overage", "included", "month", "months", "(est.)", "seats"}


@pytest.fixture
def german_window(
    qtbot: QtBot, qapp: QApplication, demo_workspace: Workspace
) -> Iterator[MainWindow]:
    i18n.install(qapp, "de")
    locale_format.set_locale("de_DE")
    QLocale.setDefault(QLocale("de_DE"))
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.editor.undo_stack.setClean()
        editor.editor.mark_saved()
        editor.close()
    i18n.install(qapp, "en")
    locale_format.set_locale(None)
    QLocale.setDefault(QLocale("en_US"))


def test_the_price_table_speaks_german(qtbot: QtBot, german_window: MainWindow) -> None:
    db = german_window.workspace.db
    words: set[str] = set()
    details: set[str] = set()
    for row in quote_service.list_quotes(db).rows:
        editor = open_quote_editor(german_window, row.id)
        editor.editor.tabs.setCurrentWidget(editor.editor.price_table)
        model = editor.editor.price_table.model
        keys = [model.column_key(c) for c in range(model.columnCount())]
        for r in range(model.rowCount()):
            line = model.line(r).row
            if line is None:
                continue
            cells = {k: model.data(model.index(r, c)) or "" for c, k in enumerate(keys)}
            if line.kind == "detail":
                details.add(cells["component"])
            for key in (
                ("component", "unit", "price", "net")
                if line.kind == "detail"
                else ("unit", "price", "net")
            ):
                words.update(cells[key].split())
    assert "Mehrverbrauch" in details and "Inbegriffen" in details
    assert "inbegriffen" in words
    assert not words & ENGLISH, sorted(words & ENGLISH)
    assert not details & ENGLISH, sorted(details & ENGLISH)
