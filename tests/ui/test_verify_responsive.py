"""Verify keeps the window responding: a large PDF is checked in its own process
(``services.verify_job``) while the GUI thread goes on processing events; the button is
disabled and a busy bar shows meanwhile; closing the dialog stops the job."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, QTimer
from pytestqt.qtbot import QtBot

from quote_builder.services.workspace import Workspace
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.verify_view import VerifyDialog

PAGES = 6000
"""About 1.5 MB; reading it (pypdf) takes about a second of pure Python on this machine."""


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    yield win


@pytest.fixture(scope="module")
def large_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    for i in range(PAGES):
        page = writer.add_blank_page(612, 792)
        stream = DecodedStreamObject()
        stream.set_data(b"BT /F1 12 Tf 72 720 Td (Page %d) Tj ET" % i)
        page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path_factory.mktemp("verify") / "large.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def test_the_window_keeps_processing_events_while_a_large_pdf_verifies(
    qtbot: QtBot, window: MainWindow, large_pdf: Path
) -> None:
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    started = time.monotonic()
    dialog = VerifyDialog(window, window.workspace, large_pdf)  # starts checking at once
    qtbot.addWidget(dialog)
    returned = time.monotonic() - started
    assert dialog.busy
    assert not dialog.check_button.isEnabled() and not dialog.choose.isEnabled()
    assert not dialog.busy_bar.isHidden()
    assert dialog.verdict.text() == "Checking the PDF…"
    assert dialog.lines() == []
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    finished = time.monotonic()
    timer.stop()
    # Opening the dialog returned long before the check was done...
    assert returned < (finished - started) / 2
    # ...and the timer kept firing all along: no gap near the check's length (a check on
    # the GUI thread makes one gap as long as itself; a busy shared machine may delay a
    # tick, hence the third rather than a fixed 20 ms).
    during = [t for t in ticks if started <= t <= finished]
    assert len(during) >= 10
    gaps = [b - a for a, b in zip([started, *during], [*during, finished], strict=True)]
    allowed = max(0.5, (finished - started) / 3)
    assert max(gaps) < allowed, f"the event loop stalled for {max(gaps):.2f} s"
    # The result is shown when done; the buttons come back.
    assert dialog.lines()[0].startswith("✘  approval: the PDF carries no approval statement")
    assert dialog.verdict.text() == "NOT verified: see the ✘ lines."
    assert dialog.check_button.isEnabled() and dialog.busy_bar.isHidden()


def test_closing_the_dialog_stops_the_check(
    qtbot: QtBot, window: MainWindow, large_pdf: Path
) -> None:
    dialog = VerifyDialog(window, window.workspace, large_pdf)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.job is not None)  # the key is looked up first
    job = dialog.job
    assert job is not None and job.running
    dialog.reject()  # Close / Escape / the window's X
    assert dialog.job is None and not job.running
    assert job._process.exitcode is not None  # the process was stopped, not left running
    assert dialog.lines() == []


def test_checking_again_replaces_a_running_check(
    qtbot: QtBot, window: MainWindow, large_pdf: Path
) -> None:
    dialog = VerifyDialog(window, window.workspace, large_pdf)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.job is not None)  # the key is looked up first
    first = dialog.job
    assert first is not None
    dialog.check()
    assert not first.running and dialog.job is not first
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert len(dialog.lines()) == 2  # approval, signatures: one report, not two


def test_a_file_that_cannot_be_read_is_named_with_the_reason(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    missing = tmp_path / "gone.pdf"
    dialog = VerifyDialog(window, window.workspace, missing)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert "gone.pdf" in dialog.verdict.text()
    assert dialog.lines() == [] and dialog.check_button.isEnabled()


def test_the_organisation_key_is_looked_up_off_the_windows_thread(
    qtbot: QtBot, window: MainWindow, large_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database process may be busy: the dialog opens at once, busy, the Check button
    off (a second click starts nothing), and the check starts once the key came back."""
    import threading

    from quote_builder.services import verify as verify_service

    real_run = window.workspace.run
    threads: list[str] = []

    def slow_run(fn: object, *args: object, **kwargs: object) -> object:
        if fn is verify_service.organisation_key:
            threads.append(threading.current_thread().name)
            time.sleep(1.0)  # the database process answers another call first
        return real_run(fn, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(window.workspace, "run", slow_run)
    started = time.monotonic()
    dialog = VerifyDialog(window, window.workspace, large_pdf)
    qtbot.addWidget(dialog)
    assert time.monotonic() - started < 0.5
    assert dialog.busy and dialog.job is None
    assert not dialog.check_button.isEnabled() and not dialog.content_only.isEnabled()
    qtbot.waitUntil(lambda: dialog.job is not None, timeout=10_000)
    assert threads == ["database-call"]
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert dialog.lines()[0].startswith("✘  approval:")
