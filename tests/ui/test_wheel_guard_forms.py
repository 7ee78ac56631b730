"""Scrolling past a component's form (the catalog, the quote editor, the guided flow) or
the editor's Terms tab never changes a value under the pointer: scrolling the catalog
down over a plan turned its platform fee's Interval from "Per month" to "Per year", and the
plan then asked to discard unsaved changes."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from quote_builder.services import plans as plan_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui.catalog_view import CatalogPage
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.wizard import GuidedQuote

from .test_undo_regressions import open_quote
from .test_wheel_guard import _wheel_down


def _values(root: QWidget) -> list[object]:
    return [
        box.currentIndex() if isinstance(box, QComboBox) else box.text()
        for box in [*root.findChildren(QComboBox), *root.findChildren(QAbstractSpinBox)]
    ]


def _wheel_over_all(root: QWidget) -> None:
    for box in [*root.findChildren(QComboBox), *root.findChildren(QAbstractSpinBox)]:
        _wheel_down(box)
    QApplication.processEvents()


def test_the_wheel_leaves_a_catalog_plan_s_fields(qtbot: QtBot, demo_workspace: Workspace) -> None:
    page = CatalogPage(demo_workspace)
    qtbot.addWidget(page)
    page.show()
    plan = next(
        p for p in demo_workspace.run(plan_service.list_plans) if p.name == "Analytics Copilot"
    )
    page.select_plan(plan.id)
    QApplication.processEvents()
    editor = page.editor
    for row in range(editor.components.count()):
        editor.components.list.setCurrentRow(row)
        before = _values(editor)
        _wheel_over_all(editor)
        assert _values(editor) == before
    assert not editor.is_dirty()


def test_the_wheel_leaves_the_quote_editor_s_fields(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_quote(window, "Initech")
    tabs = editor.editor.tabs
    data = editor.editor.data.copy()
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        QApplication.processEvents()
        _wheel_over_all(tabs.currentWidget())
    assert editor.editor.data == data
    assert not editor.save_action.isEnabled()


def test_the_wheel_leaves_the_guided_flow_s_fields(qtbot: QtBot, window: MainWindow) -> None:
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.show()
    product = wizard.product
    before = _values(product)
    _wheel_over_all(product)
    assert _values(product) == before
