"""Where the rep works: a seller outside the United States that has not set its governing
law and courts is told so in the editor's warnings list and in the guided flow's review,
Finalise refuses before the passphrase and opens Settings at Governing law, and the
Settings page shows an empty Governing law and Courts with what empty means for the
country on the page (the shipped New York ones for a US seller; not set elsewhere)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QLineEdit, QWizard
from pytestqt.qtbot import QtBot

from quote_builder.services import certificates
from quote_builder.services import quotes as quote_service
from quote_builder.services.core import Changes
from quote_builder.services.settings import get_settings, update_settings
from quote_builder.services.workspace import Workspace
from quote_builder.ui import deal_actions
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import QuoteEditorWindow, open_quote_editor
from quote_builder.ui.settings_view import SettingsPage
from quote_builder.ui.summary_panel import JURISDICTION_CODE, SummaryPanel
from quote_builder.ui.wizard import GuidedQuote

from .dialogs import answer_message_box
from .test_catalog_settings import settings_page, type_into
from .test_deal_ui import PASSPHRASE, in_policy_draft, script

BOTH = (
    "the governing law and the courts are not set (the shipped ones, New York's, are for a "
    "seller in the United States, and this seller is elsewhere): fill in Settings → legal "
    "frame → Governing law / Courts"
)
ROW = f"⛔ {BOTH[0].upper()}{BOTH[1:]}."


@pytest.fixture
def window(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    monkeypatch.setenv("QUOTE_BUILDER_KEYS_DIR", str(tmp_path / "keys"))
    # The demo seller (London) sets English law; this one is in Germany and sets none.
    db = demo_workspace.db
    settings = get_settings(db)
    update_settings(
        db,
        expected_version=settings.version_id,
        actor="admin",
        seller_country="Germany",
        seller_tax_id="",
        legal_frame={},
    )
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.close()


def warning_rows(summary: SummaryPanel) -> list[tuple[str, object]]:
    shown = summary.warnings
    return [
        (shown.item(i).text(), shown.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(shown.count())
    ]


def test_the_editor_lists_it_and_finalise_opens_settings_at_governing_law(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    certificates.create_trial_certificate("Acme AI", PASSPHRASE)
    db = window.workspace.db
    row = in_policy_draft(window)
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    qtbot.waitExposed(editor)
    assert (ROW, JURISDICTION_CODE) in warning_rows(editor.editor.summary)
    asked = script(monkeypatch, deal_actions.PassphraseDialog)
    seen: list[str] = []
    answer_message_box("jurisdiction-gaps", "open-settings", seen)
    editor.deal_actions.finalise.trigger()
    assert seen == [f"{row.number} cannot be finalised: {BOTH}."]
    assert asked == []  # refused before the passphrase
    assert quote_service.get_quote(db, row.id).status == "draft"
    page = window.current_page()
    assert isinstance(page, SettingsPage)
    law = page.legal["governing_law"]
    assert window.focusWidget() is law
    assert isinstance(law, QLineEdit) and law.text() == ""
    assert law.placeholderText().startswith("Not set: needed outside the United States")
    # Set there, the editor's list follows the settings.
    settings = get_settings(db)
    update_settings(
        db,
        expected_version=settings.version_id,
        actor="admin",
        legal_frame={
            "governing_law": "the laws of the Federal Republic of Germany",
            "venue": "the courts of Berlin, Germany",
        },
    )
    editor.refresh_from(Changes.of(settings=True))
    assert JURISDICTION_CODE not in [code for _text, code in warning_rows(editor.editor.summary)]


def test_the_quote_s_own_law_and_courts_clear_the_warning(qtbot: QtBot, window: MainWindow) -> None:
    row = in_policy_draft(window)
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    assert (ROW, JURISDICTION_CODE) in warning_rows(editor.editor.summary)
    law = next(
        b.widget for b in editor.editor.bindings if b.path == ("contract", "legal", "governing_law")
    )
    type_into(qtbot, law, "the laws of Ireland")
    rows = warning_rows(editor.editor.summary)
    courts_only = (
        "⛔ The courts are not set (the shipped ones, New York's, are for a seller in the "
        "United States, and this seller is elsewhere): fill in Settings → legal frame → Courts."
    )
    assert (courts_only, JURISDICTION_CODE) in rows and (ROW, JURISDICTION_CODE) not in rows
    venue = next(
        b.widget for b in editor.editor.bindings if b.path == ("contract", "legal", "venue")
    )
    type_into(qtbot, venue, "the courts of Dublin, Ireland")
    assert JURISDICTION_CODE not in [code for _text, code in warning_rows(editor.editor.summary)]


def test_the_guided_flow_s_review_lists_it(qtbot: QtBot, window: MainWindow) -> None:
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.customer_page.title_.setText("Law test")
    wizard.customer_page.new.setChecked(True)
    wizard.customer_page.name.setText("Law Test Co")
    wizard.customer_page.currency.setText("EUR")
    wizard.next()
    wizard.product.category.setCurrentIndex(wizard.product.category.findData("analytics_copilot"))
    wizard.product.users.setValue(40)
    wizard.product.actions_per_day.setText("5")
    for _step in range(10):
        if wizard.currentPage() is wizard.review:
            break
        wizard.next()
    assert wizard.currentPage() is wizard.review
    assert (ROW, JURISDICTION_CODE) in warning_rows(wizard.review.summary)
    wizard.button(QWizard.WizardButton.CancelButton).click()


def test_settings_shows_empty_law_and_courts_with_what_empty_means(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """No country: empty is New York's (as before). Germany: empty is not set, and saving
    the page keeps it so, never the shipped New York text."""
    window, page = settings_page(qtbot, workspace)
    law, venue = page.legal["governing_law"], page.legal["venue"]
    assert isinstance(law, QLineEdit) and isinstance(venue, QLineEdit)
    assert (law.text(), venue.text()) == ("", "")
    assert law.placeholderText() == "Empty: the laws of the State of New York"
    page.seller_country.setCurrentText("Germany")
    assert law.placeholderText() == (
        "Not set: needed outside the United States, e.g. 'the laws of England and Wales'"
    )
    assert venue.placeholderText() == (
        "Not set: needed outside the United States, e.g. 'the courts of England and Wales'"
    )
    type_into(qtbot, page.seller_name, "Beispiel KI GmbH")
    assert page.problems() == []  # not set is no reason to refuse the page
    with qtbot.waitSignal(window.changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = get_settings(workspace.db)
    assert saved.seller_country == "Germany"
    assert saved.jurisdiction_unset() == ("governing_law", "venue")
    assert saved.legal_frame().governing_law == ""
    type_into(qtbot, law, "the laws of the Federal Republic of Germany")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert get_settings(workspace.db).jurisdiction_unset() == ("venue",)
    page.load(get_settings(workspace.db))
    assert law.text() == "the laws of the Federal Republic of Germany" and venue.text() == ""
    page.seller_country.setCurrentText("United States")
    assert venue.placeholderText() == (
        "Empty: the state and federal courts in New York County, New York"
    )
