"""The editor's Warnings list, its approval banner, Request approval… and the Approvals page
in German: the engine's warnings and the policy's reasons in the interface's language, a
request stored before reasons had codes in its English as stored."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QStandardPaths
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from quote_builder.pricing import price
from quote_builder.pricing.document import Discount
from quote_builder.services import approvals as approval_service
from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import Workspace
from quote_builder.store.models import ApprovalRequest
from quote_builder.ui import i18n, locale_numbers
from quote_builder.ui.approvals_view import ApprovalsPage
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor
from quote_builder.ui.summary_panel import SummaryPanel
from tests.pricing.factories import make_quote

from .test_engine_words import CASES_BY_ID, plain

REASON = (
    "Der effektive Rabatt beträgt 25 % und liegt über der Befugnis des Managers von "
    "20 %: Der Deal Desk muss freigeben."
)
ENGLISH = "The effective discount is 25.00%, above the manager's 20% authority"
ENGLISH_SHOWN = "The effective discount is 25 %, above the manager's 20 % authority"


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    i18n.install(qapp, "de")
    locale_numbers.set_ui_locale("de_DE")
    QLocale.setDefault(QLocale("de_DE"))
    yield
    i18n.install(qapp, "en")
    locale_numbers.set_ui_locale("en_US")
    QLocale.setDefault(QLocale("en_US"))


@pytest.fixture
def german_window(
    qtbot: QtBot,
    german: None,
    demo_workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    monkeypatch.setenv("QUOTE_BUILDER_KEYS_DIR", str(tmp_path / "keys"))
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.close()


def discounted_quote(window: MainWindow) -> quote_service.QuoteRow:
    """A draft with 25 % off: above a manager's 20 %, so the deal desk must approve."""
    db = window.workspace.db
    row = quote_service.list_quotes(db, status="draft").rows[0]
    doc = quote_service.open_version(db, row.id).document
    discounted = doc.model_copy(
        update={"discounts": [Discount(description="Big", percent=Decimal(25))]}
    )
    return quote_service.save_quote(
        db, row.id, discounted, expected_version=row.version_id, actor="rep"
    ).value


def test_the_summary_lists_the_warnings_in_german(qtbot: QtBot, german: None) -> None:
    panel = SummaryPanel()
    qtbot.addWidget(panel)
    panel.show_priced(price(make_quote(**CASES_BY_ID["below-cost-credits"])))
    items = [plain(panel.warnings.item(i).text()) for i in range(panel.warnings.count())]
    assert (
        "⚠ „Calls“ zu 0,004 $ pro Credit × 25 Credits pro Aktion „calls“ (0,10 $ pro Aktion) "
        "liegt unter dem kostenbasierten Preis von 0,3333 $" in "\n".join(items)
    )
    assert not any("USD" in item for item in items)


def test_the_banner_and_request_approval_give_the_reasons_in_german(
    qtbot: QtBot, german_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = discounted_quote(german_window)
    editor = open_quote_editor(german_window, row.id)
    assert REASON in plain(editor.banner.text())  # the live evaluation
    assert ENGLISH not in editor.banner.text()
    asked: list[str] = []

    def answer(parent: object, title: str, text: str, *a: object) -> QMessageBox.StandardButton:
        asked.append(plain(text))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    editor.approval_action.trigger()
    assert asked and f"• {REASON}" in asked[0]
    assert quote_service.get_quote(german_window.workspace.db, row.id).status == "pending_approval"
    editor.refresh_approval()
    assert REASON in plain(editor.banner.text())  # the pending request's recorded reasons


FILE_DIALOG_WIDTH = 632
"""The width of the save dialog Request approval… opens (Qt's own, 1366x768 screen): the
window manager draws its title in bold between the icon and three buttons, about 150 px."""


def test_the_request_files_dialog_title_is_not_cut_in_german(
    qtbot: QtBot, german_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Was "Die Anfrage für einen Deal Desk auf ein… anderen Rechner exportieren
    (optional)": the title longer than the dialog, cut in its middle."""
    from PySide6.QtGui import QFont, QFontMetrics

    row = discounted_quote(german_window)
    editor = open_quote_editor(german_window, row.id)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    titles: list[str] = []

    def save(parent: object, title: str, *a: object, **k: object) -> tuple[str, str]:
        titles.append(title)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    editor.approval_action.trigger()
    assert titles == ["Anfrage für den Deal Desk exportieren (optional)"]
    bold = QFont(QApplication.font())
    bold.setBold(True)
    assert QFontMetrics(bold).horizontalAdvance(titles[0]) + 150 <= FILE_DIALOG_WIDTH


def test_the_approvals_page_in_german_and_an_old_request_as_stored(
    qtbot: QtBot, german_window: MainWindow
) -> None:
    db = german_window.workspace.db
    row = discounted_quote(german_window)
    request = approval_service.request_approval(db, row.number, actor="rep").value
    page = german_window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)

    def reasons_shown() -> list[str]:
        page.reload()
        numbers = [page.table.item(i, 0).text() for i in range(page.table.rowCount())]  # type: ignore[union-attr]
        page.table.selectRow(numbers.index(row.number))
        return [plain(page.reasons.item(i).text()) for i in range(page.reasons.count())]

    assert REASON in reasons_shown()
    # A request stored before reasons had codes (migration 0012 leaves it NULL): English.
    with db.write() as session:
        stored = session.get(ApprovalRequest, request.id)
        assert stored is not None
        stored.reason_details_json = None
        session.add(stored)
    shown = reasons_shown()
    assert REASON not in shown
    # As stored, in English, its percents in the user's format all the same (not the
    # engine's 25.00%).
    assert any(line.startswith(ENGLISH_SHOWN) for line in shown)
    assert not any(ENGLISH in line for line in shown)


def test_the_german_totals_with_a_usage_log_fit_beside_the_form(
    qtbot: QtBot, german_window: MainWindow
) -> None:
    """The usage log's bill range ("Monatsrechnung (Protokoll)", three lines) and the years'
    margins stay inside the summary's scroll area on a 1366x768 laptop: nothing is cut off
    at the right edge, where no scroll bar would show it."""
    from tests.ui.stateful import PILOT_LOG
    from tests.ui.test_desktop_behaviour import clipped_labels
    from tests.ui.test_usage_ui import load

    row = quote_service.list_quotes(german_window.workspace.db, "Northwind").rows[0]
    editor = open_quote_editor(german_window, row.id)
    editor.resize(1213, 740)
    qtbot.waitExposed(editor)
    inner = editor.editor
    inner.tabs.setCurrentWidget(inner.usage_panel)
    qtbot.wait(50)  # the window's first events
    panel, scroll = inner.summary, inner.summary_scroll
    # Before the log: the panel's first minimum was read before its layout had run (the
    # group boxes' right edges were cut off by 11 pixels).
    assert panel.width() <= scroll.viewport().width(), (panel.width(), scroll.viewport().width())
    load(qtbot, inner.usage_panel, PILOT_LOG)
    for _ in range(3):
        QApplication.processEvents()
    assert inner.summary.totals_form.isRowVisible(inner.summary.bill_range)
    assert "Monatsrechnung (Protokoll)" in [
        label.text() for label in panel.findChildren(QLabel) if label.isVisible()
    ]
    assert panel.width() <= scroll.viewport().width(), (panel.width(), scroll.viewport().width())
    assert not clipped_labels(panel), clipped_labels(panel)
    editor.editor.mark_saved()


def test_the_notes_on_how_the_log_was_read_are_in_the_interface_s_language(
    german: None,
) -> None:
    """The usage log tab said "Hinweis: tickets_resolved: not in the log, reads
    enrichments." in a German window: the engine's notes came through in English."""
    import pickle
    import typing

    from quote_builder.pricing.evidence import EvidenceNote, NoteCode
    from quote_builder.ui.usage_panel import evidence_note_text

    note = EvidenceNote("reads_others", "tickets_resolved", ("enrichments",))
    assert note == "tickets_resolved: not in the log, reads enrichments"  # the CLI's words
    assert pickle.loads(pickle.dumps(note)).names == ("enrichments",)
    assert evidence_note_text(note) == "tickets_resolved: nicht im Protokoll, liest enrichments"
    for code in typing.get_args(NoteCode):
        every = EvidenceNote(code, "m", ("x",))
        text = evidence_note_text(every)
        assert text != str(every) and "{" not in text, (code, text)
    assert evidence_note_text("a note of another kind") == "a note of another kind"
