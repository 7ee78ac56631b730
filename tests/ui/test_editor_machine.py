"""A model-based test of the quote editor: hypothesis drives the real editor window through
random sequences of what a user does (type into any field, valid and invalid text; add,
remove, duplicate, move and edit components; add and remove the deal discount; add
usage-forecast and unit-cost rows; load and remove a usage log; undo and redo, from the
toolbar and with Ctrl+Z / Ctrl+Shift+Z in a field; save; close and reopen) and checks after
every step:

- nothing raised (an exception inside a Qt override or slot) and Qt warned of nothing;
- the document shown is the document priced: every field shows the data, the component
  forms show the data's components, the tables show the data's rows, and the summary shows
  the price of exactly that data (or the problems, with nothing priced);
- Save is enabled exactly when the document differs from the version in the database (and
  is valid); the title's marker says the same;
- undoing everything gives back exactly the document as opened, redoing everything gives
  back the last document, and undoing to the last save gives back the saved document, not
  marked as changed (checked by a step the machine takes at random, and at the end);
- what was saved is what reopens.

Loading a usage log runs a separate process in the app (services/usage_job.py); here the
pilot log in resources/demo is analysed once per test session and handed to the Usage log
tab's own handler for a finished analysis, so each step stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
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
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from quote_builder.pricing import QuoteFileError, price
from quote_builder.pricing.quote_format import canonical_json, quote_from_data
from quote_builder.services import quotes as quote_service
from quote_builder.services.usage import UsageAnalysis
from quote_builder.services.workspace import Workspace
from quote_builder.ui import usage_panel
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import (
    QuoteEditorWindow,
    get_path,
    number_text,
    open_quote_editor,
)
from quote_builder.ui.summary_panel import SummaryPanel

from .stateful import (
    NUMBER_TEXTS,
    PILOT_LOG,
    FinishedJob,
    InProcessJob,
    finish_jobs,
    guarded,
    key,
    machine_settings,
    retype,
)

TEXTS = ("", "Acme", "USD", "EUR", "JPY", "xyz", "Ünïcode ✓", "a" * 120)


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.editor.mark_saved()
        editor.close()


def canonical_or_none(data: dict[str, Any]) -> str | None:
    try:
        return canonical_json(quote_from_data(data))
    except QuoteFileError:
        return None


def summary_texts(panel: SummaryPanel) -> tuple[str, ...]:
    return tuple(
        label.text()
        for label in (panel.monthly, panel.annual, panel.tcv, panel.discount, panel.margin)
    )


def as_text(value: Any) -> Any:
    """Numbers as text (a seat count loads as 40 and is typed as "40")."""
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    return str(value)


def table_rows(table: QTableWidget) -> list[tuple[str, ...]]:
    rows = []
    for row in range(table.rowCount()):
        cells = []
        for col in range(table.columnCount()):
            item = table.item(row, col)
            cells.append(item.text().strip() if item is not None else "")
        rows.append(tuple(cells))
    return rows


class EditorMachine(RuleBasedStateMachine):
    sequences = 0
    steps = 0
    """How many sequences and steps ran (printed at the end: the closing note reports them)."""

    """One quote (a fresh copy of a demo quote) open in the editor window."""

    window: MainWindow
    source_ids: list[int]
    analysis: UsageAnalysis
    monkeypatch: pytest.MonkeyPatch

    def __init__(self) -> None:
        super().__init__()
        self.guard_cm = guarded()
        self.guard = self.guard_cm.__enter__()
        self.quote_id: int | None = None
        self.editor_window: QuoteEditorWindow | None = None
        self.reference = SummaryPanel()
        self.saved: str = ""
        self.opened: str = ""

    # --- set-up ---------------------------------------------------------------------------

    @initialize(source=st.integers(0, 10))
    def open_a_copy(self, source: int) -> None:
        """Duplicate a demo quote (so each sequence starts from a saved draft) and open it."""
        db = self.window.workspace.db
        original = self.source_ids[source % len(self.source_ids)]
        copy_row = quote_service.duplicate_quote(db, original, actor="tester").value
        self.quote_id = copy_row.id
        self._open()

    def _open(self) -> None:
        assert self.quote_id is not None
        self.editor_window = open_quote_editor(self.window, self.quote_id)
        self.editor_window.activateWindow()  # the user works in it: keys go to its focus
        QApplication.processEvents()  # the draft offer runs once the window is shown
        assert QApplication.activeWindow() is self.editor_window
        self.saved = self._database_canonical()
        self.opened = self.saved

    def _database_canonical(self) -> str:
        assert self.quote_id is not None
        opened = quote_service.open_version(self.window.workspace.db, self.quote_id)
        return canonical_json(opened.document)

    @property
    def ew(self) -> QuoteEditorWindow:
        assert self.editor_window is not None
        return self.editor_window

    def _show(self, widget: QWidget) -> None:
        """Go to the tab that holds ``widget``, as a user must before typing into it."""
        tabs = self.ew.editor.tabs
        for index in range(tabs.count()):
            page = tabs.widget(index)
            if page is widget or page.isAncestorOf(widget):
                tabs.setCurrentIndex(index)
                return

    def _bound(self, kind: type) -> list[QWidget]:
        return [b.widget for b in self.ew.editor.bindings if isinstance(b.widget, kind)]

    # --- typing into the quote's own fields ---------------------------------------------------

    @rule(which=st.integers(0, 40), text=st.sampled_from(NUMBER_TEXTS + TEXTS))
    def type_into_a_field(self, which: int, text: str) -> None:
        fields = self._bound(QLineEdit)
        field = fields[which % len(fields)]
        self._show(field)
        retype(field, text)

    @rule(which=st.integers(0, 10), text=st.sampled_from(("0", "1", "12", "36", "400", "x", "")))
    def type_into_a_spin_box(self, which: int, text: str) -> None:
        boxes = self._bound(QSpinBox)
        box = boxes[which % len(boxes)]
        self._show(box)
        retype(box, text)

    @rule(which=st.integers(0, 10), down=st.booleans())
    def step_a_choice(self, which: int, down: bool) -> None:
        """Arrow keys on a combo box or the start date: the value steps and is applied."""
        boxes = self._bound(QComboBox) + self._bound(QDateEdit)
        box = boxes[which % len(boxes)]
        self._show(box)
        key(box, Qt.Key.Key_Down if down else Qt.Key.Key_Up)

    @rule()
    def toggle_auto_renew(self) -> None:
        (box,) = self._bound(QCheckBox)
        self._show(box)
        key(box, Qt.Key.Key_Space)

    @rule(
        percent=st.sampled_from(("", "5", "12.5", "abc", "150")),
        months=st.sampled_from(("", "3", "0", "x")),
    )
    def set_the_deal_discount(self, percent: str, months: str) -> None:
        """Add, change or remove the deal discount: its percent, then its months."""
        for path, text in (("percent", percent), ("months", months)):
            field = next(
                b.widget for b in self.ew.editor.bindings if b.path == ("discounts", 0, path)
            )
            self._show(field)
            retype(field, text)

    # --- the usage forecast and unit cost tables ----------------------------------------------

    @rule(costs=st.booleans())
    def add_a_table_row(self, costs: bool) -> None:
        table = self.ew.editor.costs if costs else self.ew.editor.forecast
        self._show(table)
        label = "Add unit cost" if costs else "Add metric"

        button = next(b for b in self.ew.editor.findChildren(QPushButton) if b.text() == label)
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    @rule(
        costs=st.booleans(),
        row=st.integers(0, 5),
        col=st.integers(0, 2),
        text=st.sampled_from(("api_calls", "seats", "100", "2.5", "abc", "")),
    )
    def edit_a_table_cell(self, costs: bool, row: int, col: int, text: str) -> None:
        table = self.ew.editor.costs if costs else self.ew.editor.forecast
        if table.rowCount():
            # The unit cost table's third column is the cost-only check box (a rule below).
            self._edit_cell(table, row, col % (2 if costs else 3), text)

    @rule(row=st.integers(0, 5))
    def toggle_cost_only(self, row: int) -> None:
        """Space on a unit cost row's 'Cost only' check box."""
        table = self.ew.editor.costs
        if not table.rowCount():
            return
        self._show(table)
        table.setFocus()
        table.setCurrentCell(row % table.rowCount(), 2)
        QTest.keyClick(table, Qt.Key.Key_Space)
        QApplication.processEvents()

    # --- ramps ---------------------------------------------------------------------------

    @rule()
    def add_a_ramp_row(self) -> None:
        table = self.ew.editor.ramps
        self._show(table)
        button = next(
            b for b in self.ew.editor.findChildren(QPushButton) if b.objectName() == "add_ramp"
        )
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    @rule(row=st.integers(0, 5))
    def remove_a_ramp_row(self, row: int) -> None:
        table = self.ew.editor.ramps
        self._show(table)
        if table.rowCount():
            table.setCurrentCell(row % table.rowCount(), 0)
        button = next(
            b for b in self.ew.editor.findChildren(QPushButton) if b.objectName() == "remove_ramp"
        )
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    @rule(
        row=st.integers(0, 5),
        col=st.integers(0, 2),
        text=st.sampled_from(("2", "3", "11", "x", "<seats>", "api_calls", "40", "2.5", "")),
    )
    def edit_a_ramp_cell(self, row: int, col: int, text: str) -> None:
        """F2 on a cell, select all, type, Enter (how a cell is edited from the keyboard);
        <seats> stands for the id of a seats component."""
        table = self.ew.editor.ramps
        if table.rowCount() == 0:
            return
        if text == "<seats>":
            seats = [
                c["id"]
                for c in self.ew.editor.data.get("components", [])
                if c.get("kind") == "seats"
            ]
            text = seats[0] if seats else "team"
        self._edit_cell(table, row, col, text)

    def _edit_cell(self, table: QTableWidget, row: int, col: int, text: str) -> None:
        self._show(table)
        table.setFocus()
        table.setCurrentCell(row % table.rowCount(), col % table.columnCount())
        QTest.keyClick(table, Qt.Key.Key_F2)
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit), "F2 opens the cell's editor"
        retype(editor, text)
        QTest.keyClick(editor, Qt.Key.Key_Return)
        QApplication.processEvents()

    # --- components -----------------------------------------------------------------------

    @rule(kind=st.integers(0, 11))
    def add_a_component(self, kind: int) -> None:
        components = self.ew.editor.components
        self._show(components)
        components.kind_box.setCurrentIndex(kind % components.kind_box.count())
        QTest.mouseClick(components.add_button, Qt.MouseButton.LeftButton)

    @rule(button=st.sampled_from(("remove_button", "up_button", "down_button", "duplicate_button")))
    def click_a_list_button(self, button: str) -> None:
        components = self.ew.editor.components
        self._show(components)
        QTest.mouseClick(getattr(components, button), Qt.MouseButton.LeftButton)

    @rule(row=st.integers(0, 10))
    def select_a_component(self, row: int) -> None:
        components = self.ew.editor.components
        if components.count():
            self._show(components)
            components.list.setCurrentRow(row % components.count())

    @rule(which=st.integers(0, 20), text=st.sampled_from(NUMBER_TEXTS + TEXTS))
    def type_into_a_component_field(self, which: int, text: str) -> None:
        editor = self.ew.editor.components.current_editor()
        if editor is None:
            return
        self._show(self.ew.editor.components)
        fields = [
            w
            for w in editor.findChildren(QLineEdit)
            if w.objectName().startswith("field_") and w.isEnabled()
        ]
        if fields:
            retype(fields[which % len(fields)], text)

    # --- the usage log -------------------------------------------------------------------

    @rule()
    def load_the_usage_log(self) -> None:
        panel = self.ew.editor.usage_panel
        self.ew.editor.tabs.setCurrentWidget(panel)
        panel.last_path = PILOT_LOG
        panel.job = FinishedJob(self.analysis)  # type: ignore[assignment]
        panel._check_job()  # the tab's handler for a finished analysis

    @rule()
    def remove_the_usage_log(self) -> None:
        panel = self.ew.editor.usage_panel
        self.ew.editor.tabs.setCurrentWidget(panel)
        QTest.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)

    # --- undo, redo, save, reopen ------------------------------------------------------

    @rule()
    def undo(self) -> None:
        self.ew.undo_action.trigger()

    @rule()
    def redo(self) -> None:
        self.ew.redo_action.trigger()

    @rule(redo=st.booleans())
    def ctrl_z_in_the_focused_field(self, redo: bool) -> None:
        focused = QApplication.focusWidget()
        assert focused is not None, "the editor window has the focus"
        if not self.ew.isAncestorOf(focused):
            return
        modifiers = Qt.KeyboardModifier.ControlModifier
        if redo:
            modifiers |= Qt.KeyboardModifier.ShiftModifier
        QTest.keyClick(focused, Qt.Key.Key_Z, modifiers)
        QApplication.processEvents()

    @rule()
    def save(self) -> None:
        enabled = self.ew.save_action.isEnabled()
        self.ew.save_action.trigger()  # Ctrl+S; does nothing while disabled
        if enabled:
            self.saved = self._database_canonical()
            assert self.ew.editor.document is not None
            assert canonical_json(self.ew.editor.document) == self.saved

    @rule()
    def close_and_reopen(self) -> None:
        """Close (discarding unsaved changes) and open the quote again from the database."""
        self.monkeypatch.setattr(
            QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard
        )
        assert self.ew.close()
        QApplication.processEvents()
        self._open()
        editor = self.ew.editor
        assert editor.document is not None
        assert canonical_json(editor.document) == self.saved, "what was saved is what reopens"
        assert not editor.is_modified()

    @rule()
    def undo_everything_then_redo_everything(self) -> None:
        self.check_round_trip()

    def check_round_trip(self) -> None:
        """Redo to the end (the last document), undo everything (the document as opened),
        redo everything (the last document again), then back to where the sequence was;
        on the way, the step of the last save gives back the saved document, unchanged."""
        editor = self.ew.editor
        stack = editor.undo_stack
        if editor.has_unrecorded_edits():
            self.ew.undo_action.trigger()  # invalid component fields never reached the data
        where, clean = stack.index(), stack.cleanIndex()
        while stack.canRedo():
            self.ew.redo_action.trigger()
        last = json.dumps(editor.data, sort_keys=True, default=str)
        while stack.canUndo():
            if stack.index() == clean:
                self.check_is_saved()
            self.ew.undo_action.trigger()
        assert canonical_or_none(editor.data) == self.opened, "undo everything"
        if clean == 0:
            self.check_is_saved()
        self.check_shown_is_priced()
        while stack.canRedo():
            self.ew.redo_action.trigger()
        assert json.dumps(editor.data, sort_keys=True, default=str) == last, "redo everything"
        self.check_shown_is_priced()
        while stack.index() > where:
            self.ew.undo_action.trigger()

    def check_is_saved(self) -> None:
        editor = self.ew.editor
        assert canonical_or_none(editor.data) == self.saved, "undo or redo to the last save"
        assert not editor.is_modified() and not self.ew.save_action.isEnabled()
        assert not self.ew.windowTitle().endswith("•")

    # --- invariants ---------------------------------------------------------------------

    @invariant()
    def nothing_raised(self) -> None:
        EditorMachine.steps += 1
        if self.editor_window is not None:
            finish_jobs([self.ew.editor.usage_panel])
        QApplication.processEvents()
        self.guard.check()

    @invariant()
    def check_shown_is_priced(self) -> None:
        if self.editor_window is None:
            return
        editor = self.ew.editor
        data = editor.data
        for binding in editor.bindings:
            if binding.entry_problem():
                continue  # a number the locale does not read: shown, never recorded
            value = get_path(data, binding.path)
            shown = binding.read()
            if value is None and isinstance(binding.widget, QSpinBox | QDateEdit | QCheckBox):
                continue  # a missing value shows the widget's default
            if isinstance(binding.widget, QLineEdit) and isinstance(value, int | Decimal):
                value = str(value)  # a number loaded from a saved version shows as its text
            assert shown == value or (shown in (None, "") and value in (None, "")), (
                binding.path,
                shown,
                value,
            )
        if not editor.has_unrecorded_edits():
            shown_components = [
                c.model_dump(mode="json", by_alias=True, exclude_none=True)
                for c in editor.components.components()
            ]
            assert shown_components == data.get("components", []), "component forms"
            # Every named row is in the data, in order, once (a repeated metric must be
            # refused, not silently merged into one entry).
            forecast = [r[0] for r in table_rows(editor.forecast) if r[0]]
            assert forecast == list(data.get("usage_forecast") or {}), "forecast rows"
            # A cell is read by the one number parser (1,234.5 is "1234.5").
            costs = [(r[0], number_text(r[1]) or "0") for r in table_rows(editor.costs) if r[0]]
            unit_costs = (data.get("economics") or {}).get("unit_costs") or {}
            assert costs == [(k, str(v)) for k, v in unit_costs.items()], "unit cost rows"
            checked = [
                editor.costs.item(r, 0).text().strip()  # type: ignore[union-attr]
                for r in range(editor.costs.rowCount())
                if editor.costs.item(r, 0) is not None
                and editor.costs.item(r, 0).text().strip()  # type: ignore[union-attr]
                and editor.costs.item(r, 2) is not None
                and editor.costs.item(r, 2).checkState() == Qt.CheckState.Checked  # type: ignore[union-attr]
            ]
            cost_only = (data.get("economics") or {}).get("cost_only_metrics") or []
            assert checked == cost_only, "cost-only check boxes"
            assert as_text(editor._ramps_from_table()) == as_text(data.get("ramps") or []), (
                "ramp rows"
            )
        if editor.document is not None:
            assert not editor.problems
            document = quote_from_data(data)
            assert canonical_json(editor.document) == canonical_json(document)
            self.reference.show_priced(price(document), editor.settings_floor)
            assert summary_texts(editor.summary) == summary_texts(self.reference)
        else:
            assert editor.problems

    @invariant()
    def save_is_enabled_exactly_when_changed(self) -> None:
        if self.editor_window is None:
            return
        editor = self.ew.editor
        current = (
            canonical_json(editor.document)
            if editor.document is not None and not editor.has_unrecorded_edits()
            else None
        )
        changed = current != self.saved
        assert editor.is_modified() == changed
        assert self.ew.save_action.isEnabled() == (changed and current is not None)
        assert self.ew.windowTitle().endswith("•") == changed

    def teardown(self) -> None:
        EditorMachine.sequences += 1
        try:
            if self.editor_window is not None:
                self.check_round_trip()
                self.guard.check()
                self.ew.editor.mark_saved()
                self.ew.close()
                QApplication.processEvents()
        finally:
            self.guard_cm.__exit__(None, None, None)
            self.reference.deleteLater()


def test_the_editor_survives_any_sequence_of_edits(
    qtbot: QtBot,
    window: MainWindow,
    pilot_analysis: UsageAnalysis,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = window.workspace.db
    EditorMachine.window = window
    EditorMachine.source_ids = [row.id for row in quote_service.list_quotes(db).rows]
    EditorMachine.analysis = pilot_analysis
    EditorMachine.monkeypatch = monkeypatch
    monkeypatch.setattr(usage_panel, "UsageJob", InProcessJob)
    run_state_machine_as_test(EditorMachine, settings=machine_settings())
    print(f"\nEditorMachine: {EditorMachine.sequences} sequences, {EditorMachine.steps} steps")
