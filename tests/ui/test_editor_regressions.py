"""Sequences the model-based tests found (test_editor_machine.py, test_wizard_machine.py),
kept as plain tests: each replays the steps hypothesis printed and checks the machine's
invariants after every step, then asserts what was wrong in words."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from quote_builder.services import quotes as quote_service
from quote_builder.services.usage import UsageAnalysis
from quote_builder.ui import usage_panel
from quote_builder.ui.main_window import MainWindow

from .stateful import InProcessJob, retype
from .test_editor_machine import EditorMachine
from .test_editor_machine import window as window  # noqa: F401 (the fixture)
from .test_wizard_machine import WizardMachine


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


@pytest.fixture
def wizard_machine(
    window: MainWindow,  # noqa: F811
    pilot_analysis: UsageAnalysis,
    monkeypatch: pytest.MonkeyPatch,
) -> WizardMachine:
    WizardMachine.window = window
    WizardMachine.analysis = pilot_analysis
    monkeypatch.setattr(usage_panel, "UsageJob", InProcessJob)
    return WizardMachine()


def replay(state: WizardMachine, *steps: Callable[[], object]) -> None:
    """The steps, with the machine's checks after each (and on every Next and Back)."""
    for step in steps:
        step()
        state.nothing_raised()


def test_back_to_the_customer_and_next_keeps_the_users_from_the_log(
    qtbot: QtBot, wizard_machine: WizardMachine
) -> None:
    """The product page filled in the customer's figures on every visit: Back to the
    customer and Next again replaced the users the usage log had set (25) by the
    customer's (15)."""
    m = wizard_machine
    replay(
        m,
        lambda: m.open_the_guided_flow(depth=1),
        lambda: m.next_or_back(forward=True, times=1),
        lambda: m.load_or_remove_the_usage_log(remove=False),
        lambda: m.next_or_back(forward=False, times=1),
        lambda: m.next_or_back(forward=False, times=1),
        lambda: m.next_or_back(forward=True, times=1),
    )
    assert m.w.currentPage() is m.w.product
    assert m.w.product.users.value() == m.analysis.evidence.users
    m.teardown()


def test_a_new_category_selects_the_advisors_top_model_when_none_was_picked(
    qtbot: QtBot, wizard_machine: WizardMachine
) -> None:
    """Back to the product page, another category, Next to the advisor: the ranking is
    rebuilt. Going on with Next is not a pick (walk 4, shot101/107/104): a model the rep
    never picked by hand follows the advisor's top model for the new category, so Next
    never builds on a model the advisor no longer recommends."""
    m = wizard_machine
    replay(
        m,
        lambda: m.open_the_guided_flow(depth=0),
        lambda: m.next_or_back(forward=True, times=5),
        lambda: m.next_or_back(forward=False, times=4),
        lambda: m.step_a_choice(down=False, which=0),
    )
    went_on_with = m.w.model
    assert went_on_with is not None
    m.next_or_back(forward=True, times=2)
    assert m.w.currentPage() is m.w.advisor
    item = m.w.advisor.ranking.currentItem()
    assert m.w.advisor.picked is None  # only Next was pressed: nothing picked by hand
    assert item is not None and item is m.w.advisor.ranking.item(0)
    assert m.w.advisor.not_top.text() == ""
    m.teardown()


def test_an_emptied_economics_field_stays_empty(qtbot: QtBot, window: MainWindow) -> None:  # noqa: F811
    """The economics page refilled an emptied 'Usage per month' on every visit."""
    from quote_builder.ui.wizard import start_guided_quote

    wizard = start_guided_quote(window)

    wizard.customer_page.title_.setText("Test quote")  # the flow asks for a title
    for _ in range(6):
        wizard.next()
    assert wizard.currentPage() is wizard.economics
    # Contoso Legal reviews 120 contracts a month: the usage field follows the customer.
    usage = wizard.findChild(QLineEdit, "economics.usage.contracts_reviewed")
    assert usage is not None and usage.text() == "120"
    retype(usage, "")
    wizard.back()
    wizard.next()
    assert usage.text() == ""
    wizard.discard()  # what was typed is thrown away without asking (teardown)


def test_back_from_the_advisor_keeps_the_model_picked(qtbot: QtBot, window: MainWindow) -> None:  # noqa: F811
    """A model picked in the ranking, then Back and Next: the ranking showed the model from
    before (only Next remembered a pick)."""
    from quote_builder.ui.wizard import start_guided_quote

    wizard = start_guided_quote(window)

    wizard.customer_page.title_.setText("Test quote")  # the flow asks for a title
    while wizard.currentPage() is not wizard.advisor:
        wizard.next()
    ranking = wizard.advisor.ranking
    ranking.setCurrentRow(2)
    picked = ranking.currentItem().data(Qt.ItemDataRole.UserRole)  # type: ignore[union-attr]
    wizard.back()
    wizard.next()
    assert ranking.currentItem().data(Qt.ItemDataRole.UserRole) == picked  # type: ignore[union-attr]
    wizard.discard()  # what was typed is thrown away without asking (teardown)


def test_a_metric_listed_twice_is_refused_not_merged(qtbot: QtBot, machine: EditorMachine) -> None:
    """Two forecast rows with the same metric became one entry in the data while the table
    still showed both: what was priced was not what was shown."""
    run(
        machine,
        lambda: machine.open_a_copy(source=0),
        lambda: machine.add_a_table_row(costs=False),
        lambda: machine.edit_a_table_cell(costs=False, row=0, col=0, text="api_calls"),
        lambda: machine.edit_a_table_cell(costs=False, row=1, col=0, text="api_calls"),
    )


def test_a_unit_cost_edited_while_a_metric_is_repeated_is_recorded_later(
    qtbot: QtBot, machine: EditorMachine
) -> None:
    """A unit cost renamed while the forecast listed a metric twice was refused with the
    forecast; once the forecast was fixed, only the forecast was recorded and the unit cost
    shown was not in the data."""
    m = machine
    steps: list[Callable[[], object]] = [lambda: m.open_a_copy(source=1)]
    for costs, row, col, text in [
        (False, 0, 0, "api_calls"),
        (False, 0, 0, "100"),
        (False, 5, 0, "100"),
        (False, 0, 1, "api_calls"),
        (True, 0, 0, "api_calls"),
        (False, 0, 0, "api_calls"),
    ]:
        steps.append(
            lambda c=costs, r=row, k=col, t=text: m.edit_a_table_cell(costs=c, row=r, col=k, text=t)
        )
    run(m, *steps)


def test_editing_one_forecast_row_keeps_another_per_year(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
) -> None:
    """Editing any cell of the usage table rewrote every row as monthly: a forecast given
    per contract year became its first year's figure for every year."""
    from pathlib import Path

    from PySide6.QtWidgets import QTableWidgetItem

    from quote_builder.pricing import load_quote
    from quote_builder.ui.quote_editor import open_quote_editor

    example = Path(__file__).parents[2] / "examples" / "outcome_based_support.json"
    document = load_quote(example.read_text("utf-8")).model_copy(update={"quote_number": None})
    db = window.workspace.db
    customer = quote_service.list_quotes(db).rows[0].customer_id
    row = quote_service.create_quote(db, document, actor="tester", customer_id=customer).value
    editor = open_quote_editor(window, row.id)
    table = editor.editor.forecast
    metrics = [table.item(r, 0).text() for r in range(table.rowCount())]  # type: ignore[union-attr]
    assert sorted(metrics) == ["tickets_handled", "tickets_resolved"]
    handled = metrics.index("tickets_handled")
    table.setItem(handled, 1, QTableWidgetItem("4800"))  # that row's monthly figure
    forecast = editor.editor.data["usage_forecast"]
    assert forecast["tickets_resolved"]["per_year"] == ["3600", "5000"]
    assert "monthly" not in forecast["tickets_resolved"]
    assert forecast["tickets_handled"]["monthly"] == "4800"
    assert "per_year" not in forecast["tickets_handled"]
    editor.editor.mark_saved()
    editor.close()


def test_what_is_saved_is_what_the_editor_shows(qtbot: QtBot, machine: EditorMachine) -> None:
    """Typing into Customer and saving: the version saved the customer's own name (saving
    binds the quote to its customer), while the editor kept showing what was typed and
    said nothing had changed; reopening showed the other name. The field is read-only now,
    and after a save the editor shows what the version holds."""
    run(
        machine,
        lambda: machine.open_a_copy(source=3),
        lambda: machine.type_into_a_field(text="0", which=1),
        machine.toggle_auto_renew,
        machine.save,
        machine.close_and_reopen,
    )


def test_an_emptied_value_field_stays_empty(qtbot: QtBot, window: MainWindow) -> None:  # noqa: F811
    """The value page filled in the customer's minutes saved again on every visit, over the
    rep's emptied field."""
    from quote_builder.ui.wizard import start_guided_quote

    wizard = start_guided_quote(window)

    wizard.customer_page.title_.setText("Test quote")  # the flow asks for a title
    customers = wizard.customer_page.matches
    row = next(
        i for i in range(customers.count()) if customers.item(i).text().startswith("Contoso")
    )
    customers.setCurrentRow(row)
    while wizard.currentPage() is not wizard.value:
        wizard.next()
    assert wizard.value.minutes.text() == "90"
    retype(wizard.value.minutes, "")
    retype(wizard.value.rate, "")
    wizard.back()
    wizard.next()
    assert wizard.value.minutes.text() == "" and wizard.value.rate.text() == ""
    wizard.discard()  # what was typed is thrown away without asking (teardown)


def test_a_saved_deal_discount_reopens_as_typed(qtbot: QtBot, machine: EditorMachine) -> None:
    """Found by the long run: a saved discount's months reopen as a number (3) and show as
    text ("3"); the fields and the data agree."""
    run(
        machine,
        lambda: machine.open_a_copy(source=0),
        lambda: machine.set_the_deal_discount(months="3", percent="5"),
        machine.save,
        machine.close_and_reopen,
    )


def test_duplicating_a_component_with_a_long_id_or_name(qtbot: QtBot) -> None:
    """Found by the catalog machine's long run: a 60-letter id, then Duplicate: the copy's
    id (+ "_copy") was longer than an id may be and the click raised ValidationError."""
    from quote_builder.ui.component_editor import ComponentListEditor

    editor = ComponentListEditor()
    qtbot.addWidget(editor)
    first = editor.add_component("per_unit")
    retype(first.field_widget("id"), "x" * 64)
    retype(first.field_widget("name"), "n" * 200)
    for _ in range(3):
        editor.list.setCurrentRow(0)
        QTest.mouseClick(editor.duplicate_button, Qt.MouseButton.LeftButton)
    ids = [e.current_id() for e in editor.editors()]
    assert len(ids) == 4 and len(set(ids)) == 4
    assert all(len(i) <= 64 for i in ids) and not editor.errors()
    assert all(len(e.current_name()) <= 200 for e in editor.editors())
