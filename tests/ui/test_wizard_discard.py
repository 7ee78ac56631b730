"""Escape, the window's close button and Cancel in the guided flow: when the rep entered
anything, ask "Discard this quote?" (Discard / Keep editing) with the real dialog; when
nothing was entered, close at once without asking. Before, Escape threw the typed quote
away silently."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot

from quote_builder.services import customers as customer_service
from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import LocalWorkspace
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.wizard import GuidedQuote, start_guided_quote

from .dialogs import answer_message_box

REAL_QUESTION = GuidedQuote._confirm_discard


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: LocalWorkspace) -> Iterator[MainWindow]:
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win


@pytest.fixture
def real_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dialog itself, not the tests' automatic Discard (tests/ui/conftest.py)."""
    monkeypatch.setattr(GuidedQuote, "_confirm_discard", REAL_QUESTION)


def _open(qtbot: QtBot, window: MainWindow) -> GuidedQuote:
    wizard = start_guided_quote(window)
    qtbot.waitExposed(wizard)
    return wizard


def _closed(wizard: GuidedQuote) -> bool:
    """Closed (the flow deletes itself on close, so it may be gone already)."""
    return not shiboken6.isValid(wizard) or not wizard.isVisible()


def _escape(wizard: GuidedQuote) -> None:
    QTest.keyClick(wizard, Qt.Key.Key_Escape)
    QApplication.processEvents()


def test_nothing_entered_closes_at_once_without_asking(
    qtbot: QtBot, window: MainWindow, no_blocking_dialogs: list[str]
) -> None:
    for leave in (
        _escape,
        lambda w: w.close(),
        lambda w: w.button(QWizard.WizardButton.CancelButton).click(),
    ):
        wizard = _open(qtbot, window)
        assert not wizard.has_entries()
        leave(wizard)
        assert _closed(wizard)
    assert "Discard this quote?" not in no_blocking_dialogs  # never asked


def test_escape_after_typing_asks_and_keep_editing_keeps_it(
    qtbot: QtBot, window: MainWindow, real_question: None
) -> None:
    wizard = _open(qtbot, window)
    qtbot.keyClicks(wizard.customer_page.title_, "Support automation")
    assert wizard.has_entries()
    seen: list[str] = []
    answer_message_box("discard-quote", "keep-editing", seen)
    _escape(wizard)
    assert seen == ["Discard this quote? What you entered in the guided flow is not saved."]
    assert wizard.isVisible()
    assert wizard.customer_page.title_.text() == "Support automation"
    # The window's close button: the same question; Keep editing refuses the close.
    answer_message_box("discard-quote", "keep-editing", seen)
    assert wizard.close() is False
    assert len(seen) == 2 and wizard.isVisible()
    # Discard closes it, and nothing was saved.
    quotes = quote_service.list_quotes(window.workspace.db).total
    answer_message_box("discard-quote", "discard", seen)
    _escape(wizard)
    assert len(seen) == 3 and _closed(wizard)
    assert quote_service.list_quotes(window.workspace.db).total == quotes


def test_a_new_customer_typed_is_named_in_the_question(
    qtbot: QtBot, window: MainWindow, real_question: None
) -> None:
    wizard = _open(qtbot, window)
    page = wizard.customer_page
    qtbot.keyClicks(page.name, "Hooli")
    assert page.new.isChecked() and wizard.has_entries()
    seen: list[str] = []
    answer_message_box("discard-quote", "discard", seen)
    wizard.button(QWizard.WizardButton.CancelButton).click()  # Cancel asks too
    assert seen == [
        "Discard this quote? What you entered in the guided flow is not saved, nor the new "
        "customer typed on its first step."
    ]
    assert _closed(wizard)
    assert customer_service.search_customers(window.workspace.db, "Hooli").rows == []


def test_later_steps_count_even_back_on_the_first(
    qtbot: QtBot, window: MainWindow, real_question: None
) -> None:
    """Next was pressed (the product step's figures and what follows are entries), then
    Back to the first step with its title erased: still asked."""
    wizard = _open(qtbot, window)
    wizard.customer_page.title_.setText("Analytics rollout")
    wizard.next()
    assert wizard.currentPage() is wizard.product
    wizard.back()
    wizard.customer_page.title_.clear()
    assert wizard.has_entries()
    seen: list[str] = []
    answer_message_box("discard-quote", "keep-editing", seen)
    _escape(wizard)
    assert len(seen) == 1 and wizard.isVisible()
    wizard.discard()


def test_picking_another_customer_counts_as_an_entry(qtbot: QtBot, window: MainWindow) -> None:
    wizard = _open(qtbot, window)
    matches = wizard.customer_page.matches
    assert matches.count() > 1 and matches.currentRow() == 0
    matches.setCurrentRow(1)
    assert wizard.has_entries()
    matches.setCurrentRow(0)
    assert not wizard.has_entries()  # back as it opened
    wizard.discard()
