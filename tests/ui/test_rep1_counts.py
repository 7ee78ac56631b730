"""A tired rep's counts in the guided flow (rep1 walk): Users, Days of use per month and
the Term (months) were Qt spin boxes, which drop a keystroke they cannot read without a
word. "12k" users became 12 users, "12.5" became 125, "-5" became 5 and "1e3" 13: the
quote was priced for a number nobody typed. Each such text now stays as typed, is marked
and stops Next with the field's name and the reason; a count the number parser reads
("1,500" in English) is taken."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QHeaderView, QScrollArea, QWidget, QWizard
from pytestqt.qtbot import QtBot

from quote_builder.pricing.factory import component_from_dict
from quote_builder.services import customers as customer_service
from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui import i18n
from quote_builder.ui.component_editor import ComponentEditor
from quote_builder.ui.countries import CountryBox
from quote_builder.ui.deal_actions import ChangeDialog
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor

from .test_catalog_settings import settings_page, shown
from .test_guided_numbers import open_wizard, pick_existing, press_next
from .test_lists import customers_page, field


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win


def type_into(qtbot: QtBot, box: QWidget, text: str) -> None:
    box.setFocus()
    box.lineEdit().selectAll()  # type: ignore[attr-defined]
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Delete)  # type: ignore[attr-defined]
    qtbot.keyClicks(box.lineEdit(), text)  # type: ignore[attr-defined]
    QApplication.processEvents()


def leave(box: QWidget) -> None:
    """Tab out of the field, as the rep does (Qt's spin box interpreted it then)."""
    box.clearFocus()
    QApplication.processEvents()


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("12k", "12k is not a number"),
        ("12.5", "a whole number from 0 to 1,000,000 (got 12.5)"),
        ("-5", "a whole number from 0 to 1,000,000 (got -5)"),
        ("2000000", "a whole number from 0 to 1,000,000 (got 2000000)"),
        ("", "give a whole number from 0 to 1,000,000"),
    ],
)
def test_users_typed_are_kept_and_refused(
    qtbot: QtBot, window: MainWindow, typed: str, reason: str
) -> None:
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Northwind")
    press_next(wizard)
    users = wizard.product.users
    type_into(qtbot, users, typed)
    leave(users)
    assert users.text() == typed  # never rewritten into another number
    assert users.property("invalid")
    wizard.button(QWizard.WizardButton.NextButton).click()
    QApplication.processEvents()
    assert wizard.currentPage() is wizard.product
    assert wizard.product.problem.text().startswith("Users: ")
    assert reason in wizard.product.problem.text()


def test_users_as_written_in_english_are_read(qtbot: QtBot, window: MainWindow) -> None:
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Northwind")
    press_next(wizard)
    users = wizard.product.users
    type_into(qtbot, users, "1,500")
    leave(users)
    assert users.value() == 1500
    assert not users.property("invalid")
    type_into(qtbot, users, "40")
    qtbot.keyClick(users.lineEdit(), Qt.Key.Key_Return)
    QApplication.processEvents()
    assert users.value() == 40


def test_term_typed_wrong_is_kept_and_refused(qtbot: QtBot, window: MainWindow) -> None:
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Northwind")
    while wizard.currentPage() is not wizard.components:
        press_next(wizard)
    term = wizard.components.term
    type_into(qtbot, term, "3y")
    leave(term)
    assert term.text() == "3y"
    wizard.button(QWizard.WizardButton.NextButton).click()
    QApplication.processEvents()
    assert wizard.currentPage() is wizard.components
    assert wizard.components.problem.text().startswith("Term (months): ")


def test_the_editor_keeps_a_term_it_cannot_read_and_refuses_to_save_it(
    qtbot: QtBot, window: MainWindow, no_blocking_dialogs: list[str]
) -> None:
    """The editor's Term (months) was a Qt spin box too: "3y" was recorded as 3 months and
    the quote repriced for a quarter of a year without a word."""
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    editor = open_quote_editor(window, row.id)
    ed = editor.editor
    term = next(b.widget for b in ed.bindings if b.path == ("term_months",))
    before = ed.data.get("term_months")
    assert before not in (None, 3)
    type_into(qtbot, term, "3y")
    leave(term)
    assert term.text() == "3y"
    assert term.property("invalid")
    assert any("3y" in p for p in ed.problem_sentences()), ed.problem_sentences()
    no_blocking_dialogs.clear()
    assert not editor.save()
    assert any("3y" in shown for shown in no_blocking_dialogs), no_blocking_dialogs
    assert term.text() == "3y"
    type_into(qtbot, term, "24")
    assert ed.data.get("term_months") == 24
    ed.mark_saved()
    editor.close()


def test_ctrl_s_saves_a_customer_as_it_saves_a_plan_and_the_settings(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The Catalog and Settings pages save on Ctrl+S; the Customers page did nothing, so a
    rep who pressed it and went on believed a new customer saved that was not."""
    shown(qtbot, window)
    page = customers_page(window)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    name = field(page, "name")
    name.setFocus()
    qtbot.keyClicks(name, "Lumiere Cafe SARL")
    qtbot.keyClick(name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    names = [
        c.name
        for c in customer_service.search_customers(window.workspace.db, "lumiere").rows  # type: ignore[attr-defined]
    ]
    assert names == ["Lumiere Cafe SARL"]
    assert page.heading.text() == "Lumiere Cafe SARL"


LAPTOP_TAB_WIDTH = 800
"""What a tab's form may need across on a 1366x768 laptop: the editor is 1200 wide there,
the totals beside the tabs, and a tab's scroll area shows 830 pixels (less a margin for
fonts that differ between machines)."""

ONBOARDING = {
    "kind": "one_time_fee",
    "id": "onboarding",
    "name": "Onboarding",
    "amount": "5000",
    "month": 1,
}


@pytest.mark.parametrize("typed", ["3rd", "2.5", "-2", ""])
def test_a_components_whole_number_is_kept_as_typed_and_refused(qtbot: QtBot, typed: str) -> None:
    """A component's whole-number field (a one-time fee's month, a credit rollover, an
    outcome's dispute window) was a Qt spin box: "3rd" became month 3 and "2.5" month 25,
    and the fee was billed in a month nobody typed."""
    editor = ComponentEditor(component_from_dict(ONBOARDING))
    qtbot.addWidget(editor)
    editor.show()
    month = editor.field_widget("month")
    type_into(qtbot, month, typed)
    leave(month)
    assert month.text() == typed  # type: ignore[attr-defined]
    assert editor.component() is None  # not taken
    assert any(m.startswith("Month: ") for m in editor.messages()), editor.messages()
    type_into(qtbot, month, "3")
    component = editor.component()
    assert component is not None and component.month == 3  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_no_tab_of_the_editor_scrolls_sideways_on_a_laptop(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    """On a 1366x768 laptop in French the Terms tab scrolled sideways: the ramps' heading
    ("Montées en charge : à partir d'une année de contrat, les licences d'un composant de
    licences ou la quantité mensuelle d'une métrique") did not wrap, was cut at the
    right edge and widened the whole form past the 830 pixels its tab shows there (844
    asked for)."""
    i18n.use_language(language)
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    editor = open_quote_editor(window, row.id)
    qtbot.waitExposed(editor)
    qtbot.wait(50)
    tabs = editor.editor.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        QApplication.processEvents()
        for area in tabs.currentWidget().findChildren(QScrollArea):
            content = area.widget()
            if area.isVisible() and content is not None:
                wide = (
                    content.minimumSizeHint().width() + area.verticalScrollBar().sizeHint().width()
                )
                assert wide <= LAPTOP_TAB_WIDTH, f"{language}: {tabs.tabText(index)}: {wide}"
    editor.editor.mark_saved()
    editor.close()


def test_an_expansion_refuses_seats_it_cannot_read(qtbot: QtBot) -> None:
    """Renew / Expand / Amend's added seats were a Qt spin box: "12k" added 12 seats."""
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = ChangeDialog(parent, "Q-2026-0001", {"team": "Team seats"})
    dialog.kind.setCurrentIndex(dialog.kind.findData("expansion"))
    dialog.show()
    box = dialog.seats["team"]
    type_into(qtbot, box, "12k")
    leave(box)
    assert box.text() == "12k"
    dialog.accept()
    assert dialog.isVisible()  # stays open, says why
    assert dialog.problem.text().startswith("Added Team seats: 12k is not a number")
    type_into(qtbot, box, "12")
    dialog.accept()
    assert not dialog.isVisible()
    assert box.value() == 12


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_list_headings_are_whole_in_every_language(
    qtbot: QtBot, demo_workspace: Workspace, language: str
) -> None:
    """In French the Quotes list's "Valable jusqu'au" (Valid until) was cut to
    "/alable jusqu'au": the column kept the width set for the English heading."""
    i18n.use_language(language)
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    for key in ("quotes", "customers"):
        view = win.show_page(key).view  # type: ignore[attr-defined]
        header = view.horizontalHeader()
        for column in range(view.model().columnCount()):
            if header.sectionResizeMode(column) != QHeaderView.ResizeMode.Interactive:
                continue  # the stretching column takes what is left
            title = view.model().headerData(column, Qt.Orientation.Horizontal)
            needed = header.fontMetrics().horizontalAdvance(title)
            assert view.columnWidth(column) > needed + 16, f"{language} {key}: {title}"


def test_a_french_rep_finds_etats_unis_without_the_accent(qtbot: QtBot) -> None:
    """A French keyboard has no É: "Etats" found no country (the search compared accents),
    and "Etats-Unis" typed whole was refused as "not a country"."""
    i18n.use_language("fr")
    try:
        box = CountryBox()
        qtbot.addWidget(box)
        box.show()
        box.setFocus()
        qtbot.keyClicks(box.lineEdit(), "Etats-U")
        QApplication.processEvents()
        completer = box.completer()
        shown = [
            completer.completionModel().index(row, 0).data()
            for row in range(completer.completionCount())
        ]
        assert "États-Unis" in shown, shown
        box.setEditText("Autrich")  # the one country: taken on Enter
        assert box.complete_typed() and box.currentText() == "Autriche"
        box.setEditText("Senegal")
        assert box.complete_typed() and box.currentText() == "Sénégal"
        assert box.country() == "Senegal"
        box.setEditText("etats-unis")
        assert box.country() == "United States" and box.problem() is None
        box.setEditText("Osterreich")  # not a match by accents alone: Autriche in French
        assert box.problem() is not None
    finally:
        i18n.use_language("en")


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("max_payment_terms_days", "30d"),
        ("approval_term_months", "2.5"),
        ("legal_liability_cap_months", "-5"),
    ],
)
def test_settings_counts_are_kept_as_typed_and_refused(
    qtbot: QtBot, workspace: Workspace, field: str, typed: str
) -> None:
    """Settings' counts were Qt spin boxes: "30d" days became 30 and "2.5" months 25,
    saved without a word (the approval policy then asked for the wrong deals)."""
    _window, page = settings_page(qtbot, workspace)
    widget = page.field_widget(field)
    before = page.values()
    type_into(qtbot, widget, typed)
    leave(widget)
    assert widget.text().strip().startswith(typed), widget.text()  # type: ignore[attr-defined]
    assert any(p.startswith(f"{field}: ") for p in page.problems()), page.problems()
    assert not page.save()
    assert widget.property("invalid")
    assert page.values().keys() == before.keys()
