"""Sequences the model-based tests found (test_editor_machine.py, test_wizard_machine.py),
kept as plain tests: each replays the steps hypothesis printed and checks the machine's
invariants after every step, then asserts what was wrong in words."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from quote_builder.services import quotes as quote_service
from quote_builder.services.usage import UsageAnalysis
from quote_builder.ui import usage_panel
from quote_builder.ui.main_window import MainWindow

from .stateful import InProcessJob
from .test_editor_machine import EditorMachine
from .test_editor_machine import window as window  # noqa: F401 (the fixture)


@pytest.fixture
def machine(
    window: MainWindow,  # noqa: F811
    pilot_analysis: UsageAnalysis,
    monkeypatch: pytest.MonkeyPatch,
) -> EditorMachine:
    EditorMachine.window = window
    EditorMachine.source_ids = [r.id for r in quote_service.list_quotes(window.workspace.db).rows]
    EditorMachine.analysis = pilot_analysis
    EditorMachine.monkeypatch = monkeypatch
    monkeypatch.setattr(usage_panel, "UsageJob", InProcessJob)
    return EditorMachine()


def run(state: EditorMachine, *steps: Callable[[], object]) -> None:
    """Each step, then every invariant of the machine (as hypothesis runs them), then the
    machine's teardown (undo everything, redo everything). Pytest-qt closes the windows
    before fixtures end, so this runs inside the test."""
    for step in steps:
        step()
        state.nothing_raised()
        state.check_shown_is_priced()
        state.save_is_enabled_exactly_when_changed()
    state.teardown()


def test_unicode_in_a_component_id_then_undo_everything(
    qtbot: QtBot, machine: EditorMachine
) -> None:
    run(
        machine,
        lambda: machine.open_a_copy(source=0),
        lambda: machine.type_into_a_component_field(text="Ünïcode ✓", which=0),
    )


def test_a_number_typed_with_an_exponent_survives_undo_and_redo(
    qtbot: QtBot, machine: EditorMachine
) -> None:
    """1e3 in a component's price was kept as 1E+3 in the data while the form, rebuilt on
    undo or redo, showed 1000: the form and the data disagreed."""
    run(
        machine,
        lambda: machine.open_a_copy(source=0),
        lambda: machine.type_into_a_component_field(text="1e3", which=11),
        lambda: machine.click_a_list_button(button="duplicate_button"),
        machine.undo,
        machine.redo,
        machine.undo_everything_then_redo_everything,
    )
