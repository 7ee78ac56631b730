"""Files the windows write (the PDF, request and decision files) are whole or absent and
readable by the user only; a full or read-only disk is a message, never a traceback. Files
they read are bounded."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from quote_builder.services import approvals as approval_service
from quote_builder.services import quotes as quote_service
from quote_builder.services import transfer
from quote_builder.services.workspace import Workspace
from quote_builder.ui.approvals_view import ApprovalsPage
from quote_builder.ui.customers_view import CustomersPage
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.preview import export_pdf
from quote_builder.ui.quote_editor import open_quote_editor
from tests.faults import fill, make_read_only


@pytest.fixture
def window(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    monkeypatch.setenv("QUOTE_BUILDER_KEYS_DIR", str(tmp_path / "keys"))
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.close()


def discounted_quote(window: MainWindow) -> quote_service.QuoteRow:
    from quote_builder.pricing.document import Discount

    db = window.workspace.db
    row = quote_service.list_quotes(db, status="draft").rows[0]
    doc = quote_service.open_version(db, row.id).document
    discounted = doc.model_copy(update={"discounts": [Discount(description="Big", percent=25)]})
    return quote_service.save_quote(
        db, row.id, discounted, expected_version=row.version_id, actor="rep"
    ).value


def test_export_pdf_writes_a_private_file(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = export_pdf(
        None, b"%PDF-1.7 x", "q.pdf", ask_path=lambda *_: folder / "q.pdf", open_file=print
    )
    assert path is not None and path.read_bytes() == b"%PDF-1.7 x"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == ["q.pdf"]


def test_export_pdf_on_a_full_disk_says_so_and_keeps_the_old_file(
    small_disk: Path, no_blocking_dialogs: list[str]
) -> None:
    target = small_disk / "q.pdf"
    target.write_bytes(b"%PDF old")
    filler = fill(small_disk)
    opened: list[Path] = []
    result = export_pdf(
        None,
        b"%PDF" + b"x" * 100_000,
        "q.pdf",
        ask_path=lambda *_: target,
        open_file=opened.append,  # type: ignore[arg-type]
    )
    assert result is None and opened == []
    assert any(
        "cannot write (the disk is full); nothing was written" in m for m in no_blocking_dialogs
    )
    assert target.read_bytes() == b"%PDF old"
    assert sorted(p.name for p in small_disk.iterdir()) == sorted([filler.name, "q.pdf"])


def test_a_request_file_on_a_read_only_disk_is_a_message(
    qtbot: QtBot,
    window: MainWindow,
    small_disk: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_blocking_dialogs: list[str],
) -> None:
    row = discounted_quote(window)
    editor = open_quote_editor(window, row.id)
    make_read_only(small_disk)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(small_disk / "req.json"), "")
    )
    editor.approval_action.trigger()
    assert quote_service.get_quote(window.workspace.db, row.id).status == "pending_approval"
    assert any(
        "cannot write (the folder is on a read-only disk)" in m
        and "The approval request itself" in m
        for m in no_blocking_dialogs
    )
    assert list(small_disk.iterdir()) == []


def test_a_request_file_is_private(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = discounted_quote(window)
    editor = open_quote_editor(window, row.id)
    target = tmp_path / "req.json"
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    editor.approval_action.trigger()
    assert json.loads(target.read_text())["quote_number"] == row.number
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def _decided(window: MainWindow) -> tuple[ApprovalsPage, str, str]:
    db = window.workspace.db
    row = discounted_quote(window)
    approval_service.request_approval(db, row.number, actor="rep")
    key = approval_service.create_key("dana", "correct horse")
    approval_service.add_trusted_key(db, "dana", key.public_key, actor="admin")
    decision = approval_service.decide(
        db, row.number, approve=True, key_name="dana", passphrase="correct horse", actor="dana"
    ).value
    page = window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    return page, decision.decision_id, row.number


def test_a_decision_file_on_a_full_disk_is_a_message_and_the_decision_is_kept(
    qtbot: QtBot, window: MainWindow, small_disk: Path, no_blocking_dialogs: list[str]
) -> None:
    page, decision_id, number = _decided(window)
    filler = fill(small_disk)
    page.ask_save_path = lambda suggested: small_disk / suggested  # type: ignore[method-assign]
    request = SimpleNamespace(quote_number=number)
    # The message says what happened and offers another place (answered No here); it never
    # sends the user to the command line.
    assert page.save_decision_file(request, decision_id) is None  # type: ignore[arg-type]
    assert any(
        "the disk is full" in m and "The decision is signed and stored" in m
        for m in no_blocking_dialogs
    )
    assert not any("quote-builder" in m for m in no_blocking_dialogs)
    assert [p.name for p in small_disk.iterdir()] == [filler.name]
    filler.unlink()
    written = page.save_decision_file(request, decision_id)  # type: ignore[arg-type]
    assert written is not None and stat.S_IMODE(written.stat().st_mode) == 0o600
    assert json.loads(written.read_text())["payload"]["decision_id"] == decision_id


def test_an_oversized_decision_file_is_refused_unread(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, no_blocking_dialogs: list[str]
) -> None:
    page = window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:  # sparse: 400 MB that take no disk
        handle.truncate(400 * 1024 * 1024)
    page.ask_open_path = lambda title: huge  # type: ignore[method-assign]
    page.import_decision()
    page.import_request()
    refusals = [m for m in no_blocking_dialogs if "larger than 5,242,880 bytes" in m]
    assert len(refusals) == 2


def test_an_oversized_csv_is_refused_unread(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = window.show_page("customers")
    assert isinstance(page, CustomersPage)
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.truncate(transfer.MAX_IMPORT_BYTES + 1)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(huge), ""))
    page.import_csv("customers")
    assert page.import_dialog is not None
    shown = _dialog_text(page.import_dialog)
    assert "Nothing was imported" in shown and "larger than 52,428,800 bytes" in shown
    assert os.path.getsize(huge) == transfer.MAX_IMPORT_BYTES + 1


def _dialog_text(dialog: object) -> str:
    from PySide6.QtWidgets import QLabel, QListWidget, QPlainTextEdit, QTextEdit, QWidget

    assert isinstance(dialog, QWidget)
    parts = [label.text() for label in dialog.findChildren(QLabel)]
    for widget in dialog.findChildren(QListWidget):
        parts += [widget.item(i).text() for i in range(widget.count())]
    parts += [w.toPlainText() for w in dialog.findChildren(QPlainTextEdit)]
    parts += [w.toPlainText() for w in dialog.findChildren(QTextEdit)]
    return "\n".join(parts)


def test_choosing_an_oversized_logo_marks_the_field(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quote_builder.services.settings import get_settings
    from quote_builder.ui.settings_view import SettingsPage

    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    logo = tmp_path / "huge.png"
    with logo.open("wb") as handle:  # sparse: 400 MB that take no disk
        handle.truncate(400 * 1024 * 1024)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(logo), "Images"))
    page.choose_logo_file()
    assert page.logo_path.text() == str(logo)
    assert any(
        p.startswith("logo_path: the file is 400.0 MB; a logo may be at most 5 MB")
        for p in page.problems()
    )
    assert not page.save_button.isEnabled()
    assert "at most 5 MB" in page.logo_path.toolTip()
    assert get_settings(window.workspace.db).logo_path == ""


def test_the_same_decision_file_imported_again_says_it_is_already_recorded(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, no_blocking_dialogs: list[str]
) -> None:
    """Importing a decision already applied to the quote's version is no replay: the app
    says it is already recorded and nothing changed, not "Decision refused"."""
    page, decision_id, number = _decided(window)
    path = tmp_path / "decision.json"
    path.write_text(approval_service.export_decision(window.workspace.db, decision_id))
    page.ask_open_path = lambda title: path  # type: ignore[method-assign]
    page.import_decision()
    assert not any(m.startswith("Decision refused") for m in no_blocking_dialogs)
    from quote_builder.services import quotes as quote_service

    version = quote_service.find_quote(window.workspace.db, number).latest_version
    assert any(
        m.startswith(
            f"Decision already recorded | This decision is already recorded on version "
            f"{version} of {number} (imported on "
        )
        and m.endswith("; decided by dana); nothing changed.")
        for m in no_blocking_dialogs
    ), no_blocking_dialogs
