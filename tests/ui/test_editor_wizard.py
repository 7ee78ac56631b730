"""The quote editor and the guided flow, driven offscreen with real keys and clicks."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox, QSpinBox, QWizard
from pytestqt.qtbot import QtBot

from quote_builder.pricing import price
from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui import quote_editor as editor_module
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import QuoteEditorWindow, open_quote_editor
from quote_builder.ui.wizard import GuidedQuote


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):  # editors delete themselves on close
        editor.close()


def first_quote(window: MainWindow, status: str = "draft") -> quote_service.QuoteRow:
    return quote_service.list_quotes(window.workspace.db, status=status).rows[0]


def binding(editor: QuoteEditorWindow, *path: str | int) -> object:
    return next(b.widget for b in editor.editor.bindings if b.path == path)


def test_edit_reprices_undo_redo_and_save(qtbot: QtBot, window: MainWindow) -> None:
    row = first_quote(window)
    editor = open_quote_editor(window, row.id)
    before = editor.editor.summary.tcv.text()
    term = binding(editor, "term_months")
    assert isinstance(term, QSpinBox)
    term.setValue(term.value() * 2)  # the edit reprices at once
    after = editor.editor.summary.tcv.text()
    assert after != before
    assert editor.save_action.isEnabled()
    field = term.lineEdit()
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the quote edit
    assert editor.editor.summary.tcv.text() == before
    assert term.value() * 2 != term.value() and editor.editor.data["term_months"] == term.value()
    qtbot.keyClick(
        field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert editor.editor.summary.tcv.text() == after
    assert editor.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    editor.save_action.trigger()  # Ctrl+S
    saved = quote_service.get_quote(window.workspace.db, row.id)
    assert saved.latest_version == row.latest_version + 1
    assert editor.editor.undo_stack.isClean() and not editor.save_action.isEnabled()


def test_invalid_fields_are_marked_and_block_saving(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_quote_editor(window, first_quote(window).id)
    currency = binding(editor, "currency")
    currency.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(currency, "XYZ")
    assert "unknown currency 'XYZ'" in currency.toolTip()  # type: ignore[attr-defined]
    assert "border" in currency.styleSheet()  # type: ignore[attr-defined]
    assert not editor.save_action.isEnabled()
    assert "Fix the marked fields" in editor.save_action.toolTip()
    assert any("currency" in p for p in editor.editor.problems)


def test_stale_save_shows_both_versions(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = first_quote(window)
    editor = open_quote_editor(window, row.id)
    # Someone else saves first.
    other = quote_service.open_version(window.workspace.db, row.id).document.model_copy(
        update={"title": "Theirs"}
    )
    quote_service.save_quote(
        window.workspace.db, row.id, other, expected_version=row.version_id, actor="bob"
    )
    binding(editor, "title").setText("Mine")  # type: ignore[attr-defined]
    editor.editor._push(("title",), "Mine")
    shown: list[list[str]] = []

    def fake_exec(dialog: editor_module.ComparisonDialog) -> int:
        # The changes first (issue 17: a readable list of field, before, after) ...
        shown.append([dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())])  # type: ignore[union-attr]
        dialog.show_all.setChecked(True)  # ... and everything on request
        shown.append([dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())])  # type: ignore[union-attr]
        dialog.clicked = None  # close without choosing: nothing is overwritten
        return 0

    monkeypatch.setattr(editor_module.ComparisonDialog, "exec", fake_exec)
    assert editor.save() is False
    assert shown[0] == ["Title"] and "TCV" in shown[1]
    assert quote_service.open_version(window.workspace.db, row.id).document.title == "Theirs"


def test_close_with_unsaved_changes_asks(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = open_quote_editor(window, first_quote(window).id)
    editor.editor._push(("title",), "Changed")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert editor.close() is False
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert editor.close() is True


def test_ctrl_w_closes_the_editor_and_asks_about_unsaved_changes(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A German rep pressed Ctrl+W in a quote's window, as in any document window: nothing
    happened. Ctrl+W (the platform's Close key) now closes it, asking first when unsaved."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLineEdit

    editor = open_quote_editor(window, first_quote(window).id)
    editor.show()
    qtbot.waitExposed(editor)
    QApplication.setActiveWindow(editor)  # offscreen windows are not activated otherwise
    editor.editor._push(("title",), "Changed")
    asked: list[str] = []

    def cancel(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    field = editor.findChild(QLineEdit)  # the key pressed while typing in a field
    assert field is not None
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert asked and editor.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    qtbot.keyClick(field, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not editor.isVisible())


def test_draft_is_kept_and_offered_back(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = first_quote(window)
    editor = open_quote_editor(window, row.id)
    editor.editor._push(("title",), "Unsaved title")
    editor.autosave_draft()
    assert editor.draft_path().exists()
    window.editors.clear()  # as if the app had crashed
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    again = QuoteEditorWindow(window, row.id)
    window.editors[row.id] = again
    again.offer_draft()
    assert again.editor.data["title"] == "Unsaved title"
    assert not again.editor.undo_stack.isClean()


def test_versions_compare(qtbot: QtBot, window: MainWindow) -> None:
    row = first_quote(window)
    doc = quote_service.open_version(window.workspace.db, row.id).document
    quote_service.save_quote(
        window.workspace.db,
        row.id,
        doc.model_copy(update={"term_months": 24}),
        expected_version=row.version_id,
        actor="t",
    )
    editor = open_quote_editor(window, row.id)
    dialog = editor_module.VersionsDialog(editor)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    actions = [dialog.history.item(r, 2).text() for r in range(dialog.history.rowCount())]  # type: ignore[union-attr]
    assert actions[:2] == ["Quote created", "Version saved"]  # labels, not codes
    rows = quote_service.compare_versions(window.workspace.db, row.id, 1, 2)
    # Field by field in the forms' words, values as a seller reads them (issue 17).
    term = next(r for r in rows if r.label == "Term")
    assert term.changed and term.b == "24 months"
    assert not any("{" in r.a + r.b or "[" in r.label for r in rows)


def test_guided_flow_creates_a_quote(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    wizard = GuidedQuote(window)
    wizard.customer_page.title_.setText("Test quote")  # the flow asks for a title
    qtbot.addWidget(wizard)
    wizard.show()
    # Customer: a new one.
    wizard.customer_page.new.setChecked(True)
    wizard.customer_page.name.setText("Wizard Test Co")
    wizard.customer_page.currency.setText("USD")
    wizard.next()
    assert wizard.customer is not None and wizard.customer.name == "Wizard Test Co"
    # Product and usage: analytics copilot, 40 users x 5 actions a day x 30 days = 6,000 a
    # month (the economics step asks for the usage when nothing gives it).
    wizard.product.category.setCurrentIndex(wizard.product.category.findData("analytics_copilot"))
    wizard.product.users.setValue(40)
    wizard.product.actions_per_day.setText("5")
    wizard.next()
    # Usage evidence is optional: no log, skipped.
    assert wizard.currentPage() is wizard.usage_log
    wizard.next()
    # Advisor: answers move the ranking; the top model is preselected.
    wizard.advisor.answers["ai_is_core_value"].setCurrentIndex(1)
    top = wizard.advisor.ranking.item(0).data(Qt.ItemDataRole.UserRole)
    wizard.next()
    assert wizard.model is not None and wizard.model.value == top
    # Value anchors: 15 minutes at 75 an hour = 18.75 a task.
    wizard.value.minutes.setText("15")
    wizard.value.rate.setText("75")
    wizard.value.unit_cost.setText("0.10")
    assert "18.75" in wizard.value.result.text() and "0.33" in wizard.value.result.text()
    wizard.next()
    # Components from the template, a 24-month term with an escalator.
    assert wizard.components.editor.components()
    wizard.components.term.setValue(24)
    wizard.components.escalator.setText("4")
    wizard.next()
    wizard.next()  # economics as proposed
    if wizard.currentPage() is wizard.contract:  # outcome or value-share components need terms
        wizard.next()
    assert wizard.currentPage() is wizard.review
    assert wizard.document is not None and wizard.document.term_months == 24
    # Back keeps the input.
    while wizard.currentPage() is not wizard.components:
        wizard.back()
    assert wizard.components.term.value() == 24
    while wizard.currentPage() is not wizard.review:
        wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    created = quote_service.list_quotes(window.workspace.db, "Wizard Test Co").rows
    assert len(created) == 1 and created[0].tcv.amount > Decimal(0)
    assert created[0].id in window.editors
    # ... and the new quote becomes a PDF with its totals.
    editor = window.editors[created[0].id]
    assert isinstance(editor, QuoteEditorWindow)
    target = tmp_path / "wizard.pdf"
    editor.export_pdf()
    assert editor.preview is not None
    editor.preview._ask_path = lambda parent, name: target
    editor.preview._open_file = lambda path: True
    qtbot.waitUntil(lambda: target.exists(), timeout=60_000)
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert f"{created[0].tcv.amount:,}" in text and "Wizard Test Co" in text


def test_wizard_refuses_to_go_on_with_reasons(qtbot: QtBot, window: MainWindow) -> None:
    wizard = GuidedQuote(window)
    wizard.customer_page.title_.setText("Test quote")  # the flow asks for a title
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.customer_page.new.setChecked(True)
    wizard.customer_page.name.setText("")
    wizard.next()
    assert wizard.currentPage() is wizard.customer_page
    assert "name" in wizard.customer_page.problem.text()


def test_preview_tab_and_export_write_the_pdf(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_blocking_dialogs: list[str],
) -> None:
    from pypdf import PdfReader

    from quote_builder.documents.formatting import Formatter
    from quote_builder.pricing import price

    row = first_quote(window)
    editor = open_quote_editor(window, row.id)
    editor.export_pdf()  # Ctrl+P: shows the Preview tab and renders in the worker
    pane = editor.preview
    assert pane is not None
    target = tmp_path / "out.pdf"
    opened: list[Path] = []
    pane._ask_path = lambda parent, name: target
    pane._open_file = lambda path: opened.append(path) is None
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Open
    )  # "Saved to …. Open it now?": Open
    qtbot.waitUntil(lambda: target.exists(), timeout=60_000)
    qtbot.waitUntil(lambda: opened == [target], timeout=10_000)
    text = "".join(page.extract_text() for page in PdfReader(str(target)).pages)
    priced = price(editor.editor.document)  # type: ignore[arg-type]
    # The PDF is in the quote's language (its customer's, else their country's: the demo's
    # first quote is for a customer in Austria, so German), its amounts in that locale.
    from quote_builder.services.documents import document_language

    chosen = document_language(window.workspace.db, editor.editor.document)  # type: ignore[arg-type]
    assert chosen.language == "de"
    f = Formatter(priced.currency, chosen.locale, chosen.language)
    assert f.money(priced.tcv) in text
    assert row.number in text


def test_outcome_terms_and_seat_ramps_in_the_guided_flow(qtbot: QtBot, window: MainWindow) -> None:
    from quote_builder.pricing.playbook import PricingModel

    wizard = GuidedQuote(window)

    wizard.customer_page.title_.setText("Test quote")  # the flow asks for a title
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()  # the first existing customer
    wizard.product.category.setCurrentIndex(wizard.product.category.findData("customer_support"))
    wizard.next()
    wizard.next()  # no usage log
    wizard.advisor.ranking.setCurrentRow(
        next(
            i
            for i in range(wizard.advisor.ranking.count())
            if wizard.advisor.ranking.item(i).data(Qt.ItemDataRole.UserRole)
            == PricingModel.OUTCOME_BASED.value
        )
    )
    wizard.next()
    wizard.next()  # no value anchors
    wizard.components.ramp.setText("1, 2")
    wizard.next()
    assert "needs a seats component" in wizard.components.problem.text()
    wizard.components.ramp.setText("")
    wizard.next()
    wizard.next()  # economics
    assert wizard.currentPage() is wizard.contract
    wizard.next()  # the template leaves the definition empty: refused with the reason
    assert wizard.currentPage() is wizard.contract
    # One sentence naming the fields as the page labels them, as a list ("A, B and C").
    assert wizard.contract.problem.text() == (
        "Resolved tickets: fill in “What counts as one outcome” and “Verification evidence”: "
        "without them every invoice can be disputed."
    )
    fields = next(iter(wizard.contract.fields.values()))
    fields["definition"].setText("A ticket closed by the AI without a human reply")  # type: ignore[attr-defined]
    fields["verification_evidence"].setText("Helpdesk audit log")  # type: ignore[attr-defined]
    fields["success_criteria"].setText("Not reopened within 7 days")  # type: ignore[attr-defined]
    wizard.next()
    assert wizard.currentPage() is wizard.review
    assert wizard.document is not None
    assert not price(wizard.document).blocking


def test_a_save_made_before_the_database_process_stops_is_not_a_crash(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kill -9 of the database process right after Ctrl+S: the version was saved, then the
    editor's follow-up questions (the saved version, the approval state, the quote's row)
    met the dead process and the DatabaseProcessError went to the crash dialog ("Something
    went wrong in Quote Builder"). Save is done; the banner says what happened, as a
    sentence."""
    from quote_builder.services import approvals as approval_service
    from quote_builder.services.host import DatabaseProcessError

    row = first_quote(window)
    editor = open_quote_editor(window, row.id)
    term = binding(editor, "term_months")
    assert isinstance(term, QSpinBox)
    term.setValue(term.value() * 2)
    stopped = (
        "the database process stopped unexpectedly (exit code -9). What you just did may not "
        "have been saved: look before doing it again."
    )
    real_run = window.workspace.run
    for dying in (
        (quote_service.get_quote,),
        (quote_service.open_version, approval_service.approval_state, quote_service.get_quote),
    ):
        term.setValue(term.value() + 12)

        def run(fn, *args, _dying=dying, **kwargs):  # type: ignore[no-untyped-def]
            if fn in _dying:
                raise DatabaseProcessError(stopped)
            return real_run(fn, *args, **kwargs)

        monkeypatch.setattr(window.workspace, "run", run)
        before = quote_service.get_quote(window.workspace.db, row.id).latest_version
        assert editor.save() is True
        monkeypatch.setattr(window.workspace, "run", real_run)
        assert quote_service.get_quote(window.workspace.db, row.id).latest_version == before + 1
        assert editor.banner.label.text() == "T" + stopped[1:]
        assert not editor.save_action.isEnabled()
