"""Walk 4 (a rep at 1366x768): error sentences, the Customers search, the recipient list,
the guided flow's model and lists that follow other processes' writes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quote_builder.services.workspace import Workspace
from quote_builder.ui.main_window import MainWindow

from .stateful import retype
from .test_rep_walk import field, open_quote


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.editor.mark_saved()
        editor.close()


# --- 6. error sentences ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["9" * 26, "1e9", "1000000000000"])
def test_a_huge_deal_discount_is_refused_as_a_percent(window: MainWindow, typed: str) -> None:
    """A 26-digit Deal discount % said "too large: must be below 1,000,000,000,000" while
    1e9 said "must be at most 100 (it is a percent)": the percent's limit wins."""
    editor = open_quote(window, "Initech")
    retype(field(editor, "discounts", 0, "percent"), typed)
    QApplication.processEvents()
    problems = editor.editor.problem_sentences()
    assert any("Deal discount %" in p and "at most 100 (it is a percent)" in p for p in problems), (
        problems
    )
    assert not any("1,000,000,000,000" in p for p in problems), problems


def _new_customer_step(qtbot: QtBot, window: MainWindow, name: str, title: str) -> str:
    from PySide6.QtWidgets import QWizard

    from .test_guided_numbers import open_wizard

    wizard = open_wizard(qtbot, window)
    page = wizard.customer_page
    page.new.setChecked(True)
    retype(page.title_, title)
    retype(page.name, name)
    page.new.setChecked(True)
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is page
    return page.problem.text()


def test_a_name_of_only_spaces_is_answered_before_the_title(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Customer name comes before Quote title on the page: its problem is said first."""
    assert (
        _new_customer_step(qtbot, window, "   ", "") == "Customer name: give the customer's name."
    )


def test_a_name_too_long_is_refused_with_its_length(qtbot: QtBot, window: MainWindow) -> None:
    """The README promises the length: "must be at most 200 characters." did not give it."""
    text = _new_customer_step(qtbot, window, "N" * 230, "A deal")
    assert text == "Customer name: must be at most 200 characters (it has 230).", text


# --- 7. a search that finds nobody --------------------------------------------------------------


def test_a_search_that_finds_nobody_clears_the_detail_pane(
    qtbot: QtBot, window: MainWindow
) -> None:
    """shot96: the list said 0 customers while the pane still showed the previous one."""
    from quote_builder.ui.customers_view import CustomersPage

    from .test_lists import select_named

    page = window.show_page("customers")
    assert isinstance(page, CustomersPage)
    select_named(page, "Initech Sales")
    assert page.heading.text() == "Initech Sales"
    page.search.setText("zzz-nobody")
    qtbot.waitUntil(lambda: page.model.total == 0)
    QApplication.processEvents()
    assert page.heading.text() == "No customer matches “zzz-nobody”"
    assert page.form.inputs["name"].text() == ""
    assert not page.form.isEnabled() and not page.delete_button.isEnabled()
    page.search.setText("Initech")  # found again: picking it shows it
    qtbot.waitUntil(lambda: page.model.total == 1)
    QApplication.processEvents()
    # The pane no longer says nobody matches (it did, beside the customer found).
    assert page.heading.text() == "No customer selected"
    select_named(page, "Initech Sales")
    assert page.heading.text() == "Initech Sales"


# --- 4. the editor's recipient list follows the customer's contacts ------------------------------


def test_a_contact_added_on_the_customers_page_reaches_the_open_editors_recipient_list(
    qtbot: QtBot, window: MainWindow
) -> None:
    """shot83/84: after adding a contact on the Customers page the open editor still said
    "(the customer has no contacts)". The list follows; the chosen recipient is kept."""
    from quote_builder.services import quotes as quote_service
    from quote_builder.ui.customers_view import CustomersPage
    from quote_builder.ui.quote_editor import open_quote_editor

    from .test_lists import select_named

    db = window.workspace.db
    row = quote_service.list_quotes(db).rows[0]
    opened = quote_service.open_version(db, row.id).document
    document = opened.model_copy(update={"quote_number": None})
    made = quote_service.create_quote_for_new_customer(
        db, {"name": "Walk Four GmbH", "currency": document.currency}, document, actor="rick"
    ).value
    editor = open_quote_editor(window, made.id)
    recipient = editor.editor.recipient
    assert recipient.count() == 1 and recipient.itemText(0) == "(the customer has no contacts)"
    page = window.show_page("customers")
    assert isinstance(page, CustomersPage)
    page.search.setText("Walk Four")
    page._apply_search()
    select_named(page, "Walk Four GmbH")
    page.contact_inputs["name"].setText("Jana Novak")
    page.contact_inputs["email"].setText("jana@example.com")
    page.add_contact()
    assert recipient.count() == 2, [recipient.itemText(i) for i in range(recipient.count())]
    assert recipient.itemText(0) == "(nobody named)"
    assert recipient.itemText(1).startswith("Jana Novak")
    recipient.setCurrentIndex(1)  # chosen: a second contact added keeps the choice
    recipient.activated.emit(1)
    page.contact_inputs["name"].setText("Ola Berg")
    page.add_contact()
    assert recipient.count() == 3
    assert recipient.currentText().startswith("Jana Novak")


# --- 3. the guided flow's model follows the advisor until the rep picks one ---------------------


def _model_at(wizard: object, row: int) -> str:
    from PySide6.QtCore import Qt

    item = wizard.advisor.ranking.item(row)  # type: ignore[attr-defined]
    return str(item.data(Qt.ItemDataRole.UserRole))


def _current_model(wizard: object) -> str:
    from PySide6.QtCore import Qt

    item = wizard.advisor.ranking.currentItem()  # type: ignore[attr-defined]
    return str(item.data(Qt.ItemDataRole.UserRole))


def _answer(wizard: object, key: str, value: bool) -> None:
    combo = wizard.advisor.answers[key]  # type: ignore[attr-defined]
    combo.setCurrentIndex(combo.findData(value))


def test_new_answers_move_a_model_the_rep_never_picked(qtbot: QtBot, window: MainWindow) -> None:
    """shot101/107/104: answered No, Next to the components, Back, answered Yes: the list
    put Outcome-based on top but 'Platform fee + usage' stayed selected and Next used its
    template. Going on with Next is not a pick: the selection follows the top model."""
    from .test_guided_numbers import open_wizard, press_next, to_page

    wizard = open_wizard(qtbot, window)
    to_page(wizard, wizard.advisor)
    _answer(wizard, "outcome_defined_and_verifiable", False)
    before = _model_at(wizard, 0)
    assert _current_model(wizard) == before
    press_next(wizard)
    assert wizard.model is not None and wizard.model.value == before
    wizard.back()
    assert wizard.currentPage() is wizard.advisor
    _answer(wizard, "outcome_defined_and_verifiable", True)
    top = _model_at(wizard, 0)
    assert top == "outcome_based" != before
    assert _current_model(wizard) == top
    assert wizard.advisor.not_top.text() == ""
    press_next(wizard)
    assert wizard.model is not None and wizard.model.value == top
    wizard.discard()


def test_a_model_picked_by_hand_stays_and_says_it_is_no_longer_the_top(
    qtbot: QtBot, window: MainWindow
) -> None:
    from .test_guided_numbers import open_wizard, to_page

    wizard = open_wizard(qtbot, window)
    to_page(wizard, wizard.advisor)
    _answer(wizard, "outcome_defined_and_verifiable", False)
    wizard.advisor.ranking.setCurrentRow(1)  # the rep's own choice
    mine = _current_model(wizard)
    _answer(wizard, "outcome_defined_and_verifiable", True)
    assert _current_model(wizard) == mine != _model_at(wizard, 0)
    note = wizard.advisor.not_top.text()
    assert note.startswith("You picked ") and "ranks Outcome-based pricing first" in note, note
    wizard.advisor.ranking.setCurrentRow(0)  # following the advice: the note goes
    assert wizard.advisor.not_top.text() == ""
    wizard.discard()


# --- 5. lists follow writes by other processes ----------------------------------------------------


def test_lists_follow_what_another_process_wrote(qtbot: QtBot, window: MainWindow) -> None:
    """shot115/121: the Quotes page showed Q-2026-0002 as v3 Draft when v4 existed (saved
    from the command line). The window now looks at the database's change marker when it is
    activated and every few seconds: another process's write reloads the lists, keeping the
    selection."""
    from pathlib import Path

    from PySide6.QtCore import Qt

    from quote_builder.pricing.document import Discount
    from quote_builder.services import customers as customer_service
    from quote_builder.services import quotes as quote_service
    from quote_builder.store.database import open_database
    from quote_builder.ui.customers_view import CustomersPage
    from quote_builder.ui.quotes_view import QuotesPage

    from .test_lists import select_named

    db = window.workspace.db
    assert db.path is not None
    page = window.show_page("quotes")
    assert isinstance(page, QuotesPage)
    row = quote_service.list_quotes(db, status="draft").rows[0]
    other_row = quote_service.list_quotes(db).rows[-1]
    assert page.select_id(other_row.id)
    shown = page.model.row_of(row.id)
    assert shown is not None
    version_column = next(
        c
        for c in range(page.model.columnCount())
        if page.model.headerData(c, Qt.Orientation.Horizontal) == "Version"
    )

    def version_shown() -> str:
        at = page.model.row_of(row.id)
        assert at is not None
        return str(page.model.index(at, version_column).data())

    before = version_shown()
    window.look_for_changes()  # nothing written since: no reload
    other = open_database(str(Path(db.path)))  # the command line: another connection
    try:
        doc = quote_service.open_version(other, row.id).document
        changed = doc.model_copy(update={"discounts": [Discount(description="Deal", percent="7")]})
        quote_service.save_quote(
            other, row.id, changed, expected_version=row.version_id, actor="cli"
        )
        renamed = customer_service.get_customer(other, other_row.customer_id)
        customer_service.update_customer(
            other,
            renamed.id,
            {"name": "Renamed Elsewhere Ltd"},
            expected_version=renamed.version_id,
            actor="cli",
        )
    finally:
        other.close()
    assert version_shown() == before  # not seen yet
    window.look_for_changes()  # what activation and the timer do
    assert version_shown() == str(row.latest_version + 1)
    assert page.selected_id() == other_row.id  # the selection is kept
    customers = window.show_page("customers")
    assert isinstance(customers, CustomersPage)
    select_named(customers, "Renamed Elsewhere Ltd")


# --- 2. a price table cell's refusal is in sight -----------------------------------------------


def test_a_price_table_refusal_shows_under_the_table_inside_the_window(
    qtbot: QtBot, window: MainWindow
) -> None:
    """shot37-41: "Team seats, year 1: 1.000,5 is not a number…" was read only in the status
    line, the message under the table being below the screen's edge once the window had
    grown. The window no longer grows (the banner test), and the refusal is under the
    table, inside the window, after an invalid Deal discount % too."""
    from PySide6.QtCore import QPoint

    from .test_price_table import column, find_row, open_table

    editor = open_table(window, "Globex Engineering")
    editor.show()
    editor.resize(1117, 700)
    retype(field(editor, "discounts", 0, "percent"), "9" * 26)
    retype(field(editor, "discounts", 0, "percent"), "10")
    QApplication.processEvents()
    ed = editor.editor
    ed.tabs.setCurrentWidget(ed.price_table)
    model = ed.price_table.model
    row = find_row(model, "Team seats", 1)
    assert not model.setData(model.index(row, column(model, "quantity")), "1.000,5")
    QApplication.processEvents()
    message = ed.price_table.message
    assert message.text().startswith("Team seats, year 1: 1.000,5 is not a number")
    assert message.isVisible()
    bottom = message.mapTo(editor, QPoint(0, message.height())).y()
    central = editor.centralWidget()
    assert central is not None
    assert editor.height() == 700 and bottom <= central.geometry().bottom() + 1
