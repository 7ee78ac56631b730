"""The catalog asks before it leaves a plan with unsaved changes; Cancel keeps that plan in
the form and must show it selected in the list again. Before, the selection was put back
with the selection model's signals blocked: the view was never told, so the row clicked
stayed highlighted while the form (and Retire) still held the other plan."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quote_builder.services import plans as plan_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui.catalog_view import CatalogPage

from .stateful import retype


def test_cancel_shows_the_edited_plan_selected_again(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    page = CatalogPage(demo_workspace)
    qtbot.addWidget(page)
    page.show()
    plans = {p.name: p for p in demo_workspace.run(plan_service.list_plans)}
    page.select_plan(plans["Analytics Copilot"].id)
    QApplication.processEvents()
    retype(page.editor.description, "Changed at 11 pm")
    assert page.editor.is_dirty()
    shown: list[set[int]] = []  # what the view is told is selected, in order

    def told(selected: QItemSelection, _deselected: QItemSelection) -> None:
        shown.append({index.row() for index in selected.indexes()})

    page.table.selectionModel().selectionChanged.connect(told)
    other = page.model.row_of(plans["Coding Assistant Team"].id)
    # A click on another row; the question is answered No (Cancel).
    rect = page.table.visualRect(page.model.index(other, 0))
    QTest.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QApplication.processEvents()
    edited = page.model.row_of(plans["Analytics Copilot"].id)
    assert page.editor.plan is not None and page.editor.plan.name == "Analytics Copilot"
    assert page.editor.is_dirty()  # nothing typed is lost
    assert page.table.currentIndex().row() == edited
    assert shown and shown[-1] == {edited}  # the view shows the edited plan selected
    selected = {index.row() for index in page.table.selectionModel().selectedRows()}
    assert selected == {edited}
