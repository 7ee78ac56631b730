"""The guided flow's form does not jump when a field is marked invalid: the ⚠ put before
its label used to widen the label column, moving every field of the page sideways as the
user typed (and back when the mark went)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QWidget
from pytestqt.qtbot import QtBot

from quote_builder.services.workspace import Workspace
from quote_builder.ui import colours, i18n
from quote_builder.ui.component_editor import mark_invalid
from quote_builder.ui.main_window import MainWindow

from .test_guided_numbers import open_wizard


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win


def _rows(form: QFormLayout) -> list[tuple[QLabel, QWidget]]:
    rows = []
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if label is None or field is None:
            continue
        if isinstance(label.widget(), QLabel) and field.widget() is not None:
            rows.append((label.widget(), field.widget()))
    return rows


@pytest.mark.parametrize("language", ["en", "de"])
def test_marking_the_widest_labelled_field_moves_no_field(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    i18n.use_language(language)
    try:
        wizard = open_wizard(qtbot, window)
        page = wizard.customer_page
        wizard.resize(1100, 700)
        QApplication.processEvents()
        (form,) = [f for f in page.findChildren(QFormLayout) if len(_rows(f)) > 3]
        rows = [(label, field) for label, field in _rows(form) if field.isVisible()]
        before = [field.geometry().x() for _label, field in rows]
        tops = [field.geometry().y() for _label, field in rows]
        widest_label, widest_field = max(rows, key=lambda row: row[0].sizeHint().width())
        mark_invalid(widest_field, "too long")
        QApplication.processEvents()
        assert widest_label.text().startswith(colours.INVALID_MARK)
        assert [field.geometry().x() for _label, field in rows] == before
        assert [field.geometry().y() for _label, field in rows] == tops  # nor up or down
        assert widest_label.width() >= widest_label.sizeHint().width()  # the ⚠ is not cut
        mark_invalid(widest_field, None)
        QApplication.processEvents()
        assert [field.geometry().x() for _label, field in rows] == before
        assert [field.geometry().y() for _label, field in rows] == tops
    finally:
        i18n.use_language("en")
