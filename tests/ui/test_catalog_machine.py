"""A model-based test of the catalog's plan form and its component editor: hypothesis types
into the plan's fields and its components' fields (valid and invalid text), adds, removes,
duplicates and moves components, saves, discards changes, starts a new plan and switches
plans (answering the "discard your changes?" question either way), and checks after every
step:

- nothing raised and Qt warned of nothing;
- Save is enabled exactly when the form is valid and differs from the plan as saved (a new
  plan: whenever it is valid); Discard changes exactly when it differs;
- what the database holds for the plan is what the form showed when it was saved, and what
  the form shows again after switching away and back or discarding changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from quote_builder.services.plans import get_plan, plan_components
from quote_builder.services.workspace import Workspace
from quote_builder.ui.catalog_view import CatalogPage
from quote_builder.ui.main_window import MainWindow

from .stateful import NUMBER_TEXTS, guarded, key, machine_settings, retype, type_text

NAMES = ("", "Starter", "Growth", "Team Pro", "x" * 60)
CURRENCIES = ("USD", "EUR", "JPY", "usd", "XYZ", "")


@pytest.fixture
def page(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[CatalogPage]:
    QStandardPaths.setTestModeEnabled(True)
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()  # keys and clicks go where the user works
    qtbot.waitUntil(window.isActiveWindow)
    catalog = window.show_page("catalog")
    assert isinstance(catalog, CatalogPage)
    yield catalog


def saved_state(page: CatalogPage) -> tuple[Any, ...] | None:
    """The plan as the database holds it, in the form's terms (``PlanEditor.state``)."""
    plan = page.editor.plan
    if plan is None:
        return None
    plan = page.workspace.run(get_plan, plan.id)
    return (
        plan.name,
        plan.pricing_model,
        plan.product_category,
        plan.currency,
        plan.description,
        plan_components(plan),
    )


class CatalogMachine(RuleBasedStateMachine):
    sequences = 0
    steps = 0
    """How many sequences and steps ran (printed at the end: the closing note reports them)."""

    page: CatalogPage
    monkeypatch: pytest.MonkeyPatch

    def __init__(self) -> None:
        super().__init__()
        self.guard_cm = guarded()
        self.guard = self.guard_cm.__enter__()

    @initialize(row=st.integers(0, 10))
    def select_a_plan(self, row: int) -> None:
        self.choose_a_row(row, discard=True)

    @property
    def editor(self) -> Any:
        return self.page.editor

    # --- the plan's own fields ----------------------------------------------------------

    @rule(text=st.sampled_from(NAMES))
    def type_the_name(self, text: str) -> None:
        if self.editor.isEnabled():
            retype(self.editor.name, text)

    @rule(text=st.sampled_from(CURRENCIES))
    def type_the_currency(self, text: str) -> None:
        if self.editor.isEnabled():
            line = self.editor.currency.lineEdit()
            assert line is not None
            retype(line, text)

    @rule(text=st.sampled_from(("", "For small teams", "Two\nlines")))
    def type_the_description(self, text: str) -> None:
        if self.editor.isEnabled():
            box = self.editor.description
            box.setFocus()
            QTest.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            QTest.keyClick(box, Qt.Key.Key_Backspace)
            for line_number, line in enumerate(text.split("\n")):
                if line_number:
                    QTest.keyClick(box, Qt.Key.Key_Return)
                type_text(box, line)

    @rule(category=st.booleans(), down=st.booleans())
    def step_a_choice(self, category: bool, down: bool) -> None:
        if self.editor.isEnabled():
            box = self.editor.category if category else self.editor.pricing_model
            key(box, Qt.Key.Key_Down if down else Qt.Key.Key_Up)

    # --- components -------------------------------------------------------------------

    @rule(
        button=st.sampled_from(
            ("add_button", "remove_button", "up_button", "down_button", "duplicate_button")
        ),
        kind=st.integers(0, 11),
    )
    def click_a_component_button(self, button: str, kind: int) -> None:
        components = self.editor.components
        components.kind_box.setCurrentIndex(kind % components.kind_box.count())
        QTest.mouseClick(getattr(components, button), Qt.MouseButton.LeftButton)

    @rule(row=st.integers(0, 10))
    def select_a_component(self, row: int) -> None:
        components = self.editor.components
        if components.count():
            components.list.setCurrentRow(row % components.count())

    @rule(which=st.integers(0, 20), text=st.sampled_from(NUMBER_TEXTS + NAMES))
    def type_into_a_component_field(self, which: int, text: str) -> None:
        current = self.editor.components.current_editor()
        if current is None or not self.editor.isEnabled():
            return
        fields = [w for w in current.findChildren(QLineEdit) if w.objectName().startswith("field_")]
        if fields:
            retype(fields[which % len(fields)], text)

    # --- save, discard, switch ----------------------------------------------------------

    @rule()
    def save(self) -> None:
        button = self.editor.save_button
        if not button.isEnabled():
            return
        shown = self.editor.state()
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        QApplication.processEvents()
        if self.editor.error_label.property("service"):
            return  # refused with a reason shown (a name taken meanwhile): nothing saved
        assert saved_state(self.page) == shown, "what was saved is what the form showed"
        assert self.editor.state() == shown
        assert not self.editor.is_dirty()

    @rule()
    def discard_changes(self) -> None:
        button = self.editor.revert_button
        if not button.isEnabled():
            return
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        if self.editor.plan is not None:
            assert self.editor.state() == saved_state(self.page)
        assert not self.editor.is_dirty()

    @rule(row=st.integers(0, 10), discard=st.booleans())
    def choose_a_row(self, row: int, discard: bool) -> None:
        """Click another plan; with unsaved changes the form asks, and is answered."""
        answer = (
            QMessageBox.StandardButton.Discard if discard else QMessageBox.StandardButton.Cancel
        )
        self.monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answer)
        before = self.editor.state()
        was_dirty = self.editor.is_dirty()
        model = self.page.model
        if model.rowCount() == 0:
            return
        index = model.index(row % model.rowCount(), 0)
        clicked = model.plan(index.row())
        same = (
            self.editor.plan is not None
            and clicked is not None
            and clicked.id == self.editor.plan.id
        )
        rect = self.page.table.visualRect(index)
        QTest.mouseClick(self.page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        QApplication.processEvents()
        if clicked is not None and not (was_dirty and not discard):
            assert self.editor.plan is not None and self.editor.plan.id == clicked.id, (
                "the clicked plan is the one being edited"
            )
        if same or (was_dirty and not discard):
            assert self.editor.state() == before, "the same plan, or Cancel: the edits stay"
        elif self.editor.plan is not None:
            assert self.editor.state() == saved_state(self.page)

    @rule(discard=st.booleans())
    def new_plan(self, discard: bool) -> None:
        answer = (
            QMessageBox.StandardButton.Discard if discard else QMessageBox.StandardButton.Cancel
        )
        self.monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answer)
        QTest.mouseClick(self.page.new_button, Qt.MouseButton.LeftButton)

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def nothing_raised(self) -> None:
        CatalogMachine.steps += 1
        QApplication.processEvents()
        self.guard.check()

    @invariant()
    def save_is_enabled_exactly_when_changed(self) -> None:
        editor = self.editor
        if not editor.isEnabled():
            assert not editor.save_button.isEnabled()
            return
        saved = saved_state(self.page)
        differs = saved is None or editor.state() != saved
        assert editor.is_dirty() == differs
        assert editor.revert_button.isEnabled() == differs
        assert editor.save_button.isEnabled() == (differs and not editor.problems())

    def teardown(self) -> None:
        CatalogMachine.sequences += 1
        try:
            self.guard.check()
        finally:
            self.guard_cm.__exit__(None, None, None)


def test_the_plan_form_survives_any_sequence_of_edits(
    qtbot: QtBot, page: CatalogPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    CatalogMachine.page = page
    CatalogMachine.monkeypatch = monkeypatch

    def fresh() -> CatalogMachine:
        # Each sequence starts from a saved form: what the last one left is discarded.
        page.editor.revert()
        return CatalogMachine()

    run_state_machine_as_test(fresh, settings=machine_settings())
    print(f"\nCatalogMachine: {CatalogMachine.sequences} sequences, {CatalogMachine.steps} steps")
