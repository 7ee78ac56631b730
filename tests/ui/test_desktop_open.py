"""Opening a PDF or a folder says so when no program opened it (xdg-open without a handler:
``QDesktopServices.openUrl`` returned True anyway on Linux, and nothing was said)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from quote_builder.app_dirs import log_dir
from quote_builder.services.workspace import LocalWorkspace
from quote_builder.ui import crash, desktop_open
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.preview import export_pdf, open_in_viewer

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xdg-open")


def fake_opener(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: int) -> Path:
    """An ``xdg-open`` on PATH that records what it was given and exits with ``status``
    (xdg-open's 3: no program for the file)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    called = tmp_path / "called"
    script = folder / "xdg-open"
    script.write_text(f'#!/bin/sh\necho "$1" > "{called}"\nexit {status}\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return called


@linux_only
@pytest.mark.parametrize(("status", "opened"), [(3, False), (0, True)])
def test_the_openers_exit_status_says_whether_the_pdf_opened(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    opened: bool,
) -> None:
    called = fake_opener(tmp_path, monkeypatch, status)
    pdf = tmp_path / "q.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    assert open_in_viewer(pdf) is opened
    assert called.read_text().strip() == str(pdf)


@linux_only
def test_export_says_no_program_opened_the_pdf(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_opener(tmp_path, monkeypatch, 3)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Open)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _title, text: warned.append(text))
    target = tmp_path / "out" / "q.pdf"
    target.parent.mkdir()
    export_pdf(None, b"%PDF-1.7", "q.pdf", ask_path=lambda *_: target)
    assert warned == [f"No program opened q.pdf; the PDF is saved in {target.parent}."]


def test_open_log_folder_says_when_nothing_showed_it(
    qtbot: QtBot, workspace: LocalWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crash, "open_folder", lambda _folder: False)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _title, text: warned.append(text))
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.log_folder_action.trigger()
    assert warned == [f"No program opened the log folder; it is {log_dir()}."]


def test_the_sentence_can_be_selected_and_copied(qtbot: QtBot) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, "PDF not opened", "No program opened q.pdf")
    qtbot.addWidget(box)
    box.setWindowModality(Qt.WindowModality.ApplicationModal)
    box.show()
    desktop_open._make_selectable()
    assert box.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
