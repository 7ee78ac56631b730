"""A title past the quote format's 200 characters is never cut: the editor's Title and the
guided flow's Quote title keep what was typed or pasted, whole, mark it with its length,
and Save / Next refuse it until the rep shortens it; an import and the command line refuse
the file with the same reason (the field, the limit and the length). Qt's maxLength used
to cut a pasted title at 200 characters without a word."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from quote_builder.pricing import QuoteFileError
from quote_builder.pricing.fields import SHORT_TEXT_MAX
from quote_builder.pricing.quote_format import quote_from_data
from quote_builder.services import quotes as quote_service
from quote_builder.ui import i18n
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor
from quote_builder.ui.wizard import GuidedQuote

LONG = "Support automation for Northwind, " * 7  # 238 characters
REASON = f"too long (at most 200 characters; it has {len(LONG)})"


def _paste(edit: QLineEdit, text: str) -> None:
    """What the rep does: select all, paste from the clipboard."""
    QApplication.clipboard().setText(text)
    edit.setFocus()
    edit.selectAll()
    edit.paste()


def test_the_editor_keeps_a_long_title_whole_and_refuses_to_save_it(
    qtbot: QtBot, window: MainWindow, no_blocking_dialogs: list[str]
) -> None:
    assert len(LONG) > SHORT_TEXT_MAX
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    editor = open_quote_editor(window, row.id)
    ed = editor.editor
    title = next(b.widget for b in ed.bindings if b.path == ("title",))
    assert isinstance(title, QLineEdit)
    before = ed.data.get("title")
    assert "200 characters" in title.toolTip()  # the limit is said before it is reached
    _paste(title, LONG)
    # Nothing lost: the field holds every character pasted.
    assert title.text() == LONG
    # Marked with the reason and the length; listed with the quote's problems.
    assert REASON in title.toolTip()
    assert any(REASON in p for p in ed.problem_sentences()), ed.problem_sentences()
    # Not recorded, not saved: Save says why, naming the field.
    assert ed.data.get("title") == before
    no_blocking_dialogs.clear()
    assert not editor.save()
    assert any("Title" in shown and REASON in shown for shown in no_blocking_dialogs)
    assert title.text() == LONG
    # Shortened: recorded and saved.
    _paste(title, LONG[:SHORT_TEXT_MAX])
    assert ed.data.get("title") == LONG[:SHORT_TEXT_MAX]
    assert editor.save()
    saved = quote_service.open_version(window.workspace.db, row.id).document
    assert saved.title == LONG[:SHORT_TEXT_MAX]


def test_the_guided_flow_keeps_a_long_title_whole_and_next_refuses_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.customer_page
    assert "200 characters" in page.title_.toolTip()
    _paste(page.title_, LONG)
    assert page.title_.text() == LONG
    assert REASON in page.title_.toolTip()  # marked as typed
    wizard.next()
    assert wizard.currentPage() is page
    assert f"Quote title: {REASON}" in page.problem.text()
    _paste(page.title_, LONG[:SHORT_TEXT_MAX])
    assert REASON not in page.title_.toolTip()


def test_in_german_the_reason_is_german(qtbot: QtBot, window: MainWindow) -> None:
    i18n.use_language("de")
    try:
        wizard = GuidedQuote(window)
        qtbot.addWidget(wizard)
        wizard.show()
        page = wizard.customer_page
        _paste(page.title_, LONG)
        wizard.next()
        assert f"zu lang (höchstens 200 Zeichen; es sind {len(LONG)})" in page.problem.text()
    finally:
        i18n.use_language("en")


def test_an_import_and_the_command_line_refuse_it_with_the_limit_and_the_length(
    tmp_path: Path,
) -> None:
    from quote_builder.cli import main

    data = {
        "title": LONG,
        "customer": {"name": "Acme"},
        "currency": "USD",
        "start_date": "2027-01-01",
        "term_months": 12,
        "components": [{"kind": "flat_fee", "id": "f", "name": "Fee", "amount": "1000"}],
    }
    try:
        quote_from_data(data)
    except QuoteFileError as exc:
        assert exc.problems == [f"title: {REASON}"]
    else:
        raise AssertionError("a title of 238 characters was taken")
    path = tmp_path / "long.json"
    path.write_text(json.dumps(data))
    out, err = io.StringIO(), io.StringIO()
    assert main(["price", str(path)], out, err) == 2
    assert f"{path}: title: T{REASON[1:]}.\n" == err.getvalue()  # a sentence
