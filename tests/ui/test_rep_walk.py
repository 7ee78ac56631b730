"""Defects a sales rep found walking the desktop app (English, 1366x768), each in the
rep's own steps: the approval banner while editing, clearing the deal discount."""

from __future__ import annotations

import re
from html import unescape
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import QuoteEditorWindow, open_quote_editor

from .stateful import retype


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.editor.mark_saved()
        editor.close()


@pytest.fixture
def edit_anyway(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fabrikam's quote waits for approval: its first edit asks "Edit anyway?": Yes."""
    yes = QMessageBox.StandardButton.Yes
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: yes)


def open_quote(window: MainWindow, customer: str) -> QuoteEditorWindow:
    row = quote_service.list_quotes(window.workspace.db, customer).rows[0]
    editor = open_quote_editor(window, row.id)
    editor.activateWindow()
    QApplication.processEvents()
    return editor


def field(editor: QuoteEditorWindow, *path: str | int) -> QWidget:
    return next(b.widget for b in editor.editor.bindings if b.path == path)


def plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html.replace("<br>", "\n")))


# --- 2. the approval banner follows the edit ----------------------------------------------------


def test_the_banner_judges_the_discount_as_typed_not_as_saved(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The rep's quote was saved with 25 % off; typing 30 and Tab left the banner on "The
    effective discount is 25.00%, above the manager's 20% authority" and silent about the
    margin below the floor that the warnings list flagged. The banner now judges the quote
    as edited, and says that it does."""
    editor = open_quote(window, "Initech")
    ed = editor.editor
    # Initech at 25 % off has a 70.3 % margin, at 30 % 68.1 %: a 70 % floor is crossed.
    retype(field(editor, "economics", "margin_floor_percent"), "70")
    retype(field(editor, "discounts", 0, "percent"), "25")
    assert editor.save()
    saved = plain(editor.banner.text())
    assert "Version 2 needs the deal desk's approval before it is final, under " in saved
    assert "The effective discount is 25%, above the manager's 20% authority" in saved
    assert "gross margin" not in saved
    retype(field(editor, "discounts", 0, "percent"), "30")
    text = plain(editor.banner.text())
    assert "With your changes (not saved yet) the quote needs the deal desk's approval" in text
    assert "The effective discount is 30%, above the manager's 20% authority" in text
    assert "25%" not in text
    assert ed.priced is not None
    below = [y for y in ed.priced.years if y.gross_margin_percent < 70]  # type: ignore[operator]
    codes = [
        ed.summary.warnings.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(ed.summary.warnings.count())
    ]
    assert below and "MARGIN_BELOW_FLOOR" in codes  # the warnings list flags it ...
    for year in below:  # ... and the banner says it too
        assert (
            f"The gross margin in contract year {year.year} is 68.1%, below the 70% floor" in text
        )
    # Typed back to the saved value: nothing changed, the saved version's words again.
    retype(field(editor, "discounts", 0, "percent"), "25")
    assert plain(editor.banner.text()) == saved


def test_a_pending_request_and_the_changes_are_both_said(
    qtbot: QtBot, window: MainWindow, edit_anyway: None
) -> None:
    """Fabrikam's version 1 waits for a manager (15 % off); the changes need more."""
    editor = open_quote(window, "Fabrikam")
    assert "Version 1 waits for a manager" in plain(editor.banner.text())
    retype(field(editor, "discounts", 0, "percent"), "30")
    text = plain(editor.banner.text())
    assert "Version 1 waits for a manager" in text  # the request, as it stands
    assert (
        "With your changes (not saved yet): the quote needs the deal desk's approval "
        "before it is final." in text
    )
    assert "The effective discount is 30%, above the manager's 20% authority" in text


def test_the_banner_says_when_the_edit_cannot_be_judged(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_quote(window, "Initech")
    retype(field(editor, "discounts", 0, "percent"), "abc")
    text = plain(editor.banner.text())
    assert "cannot be priced: whether they need approval shows once the marked fields" in text
    editor.undo_action.trigger()
    assert "Version 1 needs no approval under " in plain(editor.banner.text())


# --- 3. clearing the deal discount ------------------------------------------------------------


def test_clearing_the_deal_discount_with_no_months_removes_it(
    qtbot: QtBot, window: MainWindow, edit_anyway: None
) -> None:
    """A discount the guided flow or a plan named ("Discount", "Multi-year commitment"):
    clearing its percent, months being empty, was refused ("give the percent (or clear
    …for months)") with both fields marked. Empty percent and empty months: no discount."""
    editor = open_quote(window, "Fabrikam")
    ed = editor.editor
    saved = [{"description": "Multi-year commitment", "percent": "15", "start_month": 1}]
    assert ed.data["discounts"] == saved
    percent = field(editor, "discounts", 0, "percent")
    months = field(editor, "discounts", 0, "months")
    assert isinstance(percent, QLineEdit) and isinstance(months, QLineEdit)
    assert months.text() == ""
    retype(percent, "")
    assert ed.data.get("discounts") in (None, [])
    assert ed.problems == [] and editor.save_action.isEnabled()
    assert not percent.property("invalid") and not months.property("invalid")
    assert ed.priced is not None and ed.priced.effective_discount_percent == 0
    editor.undo_action.trigger()  # the discount comes back whole, with its name
    assert ed.data["discounts"] == saved


def test_clearing_the_percent_of_a_discount_with_months_still_asks_for_it(
    qtbot: QtBot, window: MainWindow, edit_anyway: None
) -> None:
    """Months without a percent is a discount with nothing to take off: still refused, and
    the sentence fits (months is not empty)."""
    editor = open_quote(window, "Fabrikam")
    ed = editor.editor
    retype(field(editor, "discounts", 0, "months"), "6")
    retype(field(editor, "discounts", 0, "percent"), "")
    assert ed.problem_sentences() == ["Deal discount %: give the percent (or clear …for months)"]
    retype(field(editor, "discounts", 0, "months"), "")
    assert ed.problems == [] and ed.data.get("discounts") in (None, [])
