"""An uncaught exception writes a report and shows a dialog; the open quotes' unsaved
changes are kept first; a hard crash is offered at the next start (issue 16)."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMessageLogContext, Qt, QtMsgType
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from quote_builder import diagnostics
from quote_builder.app_dirs import log_dir
from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import LocalWorkspace
from quote_builder.ui import crash
from quote_builder.ui.crash import CrashDialog, CrashHandler
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor


@pytest.fixture
def handler(qtbot: QtBot) -> CrashHandler:
    return CrashHandler(context=lambda: {"database": "/data/q.db"})


def _raise_and_handle(handler: CrashHandler) -> Path | None:
    try:
        {}["missing"]  # noqa: B018
    except KeyError as exc:
        return handler.handle(type(exc), exc, exc.__traceback__, where="the window")
    raise AssertionError("not raised")


def test_exception_writes_a_report_and_shows_the_dialog(
    qtbot: QtBot, handler: CrashHandler, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _raise_and_handle(handler)
    assert report is not None and report.parent == log_dir() / "crash-reports"
    text = report.read_text()
    assert "KeyError: 'missing'" in text and "Traceback" in text
    assert "database: /data/q.db" in text
    [dialog] = handler.dialogs
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    said = dialog.findChild(QLabel, "crash_sentence").text()
    where = dialog.findChild(QLabel, "crash_where").text()
    assert said == (
        "Something went wrong in Quote Builder (KeyError: 'missing'). What you saved is safe "
        "in the database; check the last thing you did before doing it again."
    )
    assert str(report) in where
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == text
    opened: list[Path] = []
    monkeypatch.setattr(crash, "open_folder", opened.append)
    dialog.folder_button.click()
    assert opened == [report.parent]


def test_the_hook_is_what_python_calls(qtbot: QtBot, handler: CrashHandler) -> None:
    try:
        raise ValueError("bad value in a slot")
    except ValueError as exc:
        handler.excepthook(type(exc), exc, exc.__traceback__)
    assert len(handler.dialogs) == 1
    reports = list((log_dir() / "crash-reports").iterdir())
    assert len(reports) == 1 and "ValueError: bad value in a slot" in reports[0].read_text()
    for dialog in handler.dialogs:
        qtbot.addWidget(dialog)


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_reaches_the_dialog(
    qtbot: QtBot, workspace: LocalWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The debug action raises inside a Qt slot: PySide6 hands it to sys.excepthook, which
    the app points at the handler (crash.install)."""
    monkeypatch.setenv("QUOTE_BUILDER_DEBUG", "1")
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    handler = CrashHandler(keep_drafts=window.keep_drafts, parent_window=lambda: window)
    monkeypatch.setattr(sys, "excepthook", handler.excepthook)
    window.debug_error_action.trigger()
    assert len(handler.dialogs) == 1
    [report] = (log_dir() / "crash-reports").iterdir()
    assert "a test error provoked from Help" in report.read_text()
    assert handler.dialogs[0].parent() is window
    for dialog in handler.dialogs:
        qtbot.addWidget(dialog)


@pytest.mark.qt_no_exception_capture
def test_an_error_while_the_guided_flow_is_open_shows_the_report_above_it(
    qtbot: QtBot, demo_workspace: LocalWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guided flow is modal to the main window: a report parented to the main window
    was a sibling the window manager kept under the flow, hidden and out of reach until
    the flow was closed. It goes above the flow, modal to it."""
    from quote_builder.ui.wizard import start_guided_quote

    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.show()
    handler = CrashHandler(keep_drafts=window.keep_drafts, parent_window=lambda: window)
    monkeypatch.setattr(sys, "excepthook", handler.excepthook)
    wizard = start_guided_quote(window)
    qtbot.waitUntil(wizard.isVisible)
    try:
        raise RuntimeError("an error in the guided flow")
    except RuntimeError as exc:
        handler.excepthook(type(exc), exc, exc.__traceback__)
    [dialog] = handler.dialogs
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert dialog.parent() is wizard
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert QApplication.activeModalWidget() is dialog  # it takes the input, not the flow
    dialog.close()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is wizard)
    wizard.reject()


def test_unsaved_changes_are_kept_as_drafts_before_the_report(
    qtbot: QtBot, demo_workspace: LocalWorkspace
) -> None:
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    quote_id = quote_service.list_quotes(demo_workspace.db).rows[0].id
    editor = open_quote_editor(window, quote_id)
    editor.editor._push(("title",), "Typed just before the error")
    draft = editor.draft_path()
    assert not draft.exists()  # the 20-second autosave has not run
    order: list[str] = []

    def keep() -> int:
        order.append("drafts")
        return window.keep_drafts()

    handler = CrashHandler(
        keep_drafts=keep,
        context=lambda: order.append("report") or {},  # type: ignore[func-returns-value]
    )
    _raise_and_handle(handler)
    assert order == ["drafts", "report"]
    assert json.loads(draft.read_text())["data"]["title"] == "Typed just before the error"
    said = handler.dialogs[0].findChild(QLabel, "crash_sentence").text()
    assert "the unsaved changes of 1 open quote were kept as drafts" in said
    for dialog in handler.dialogs:
        qtbot.addWidget(dialog)
    editor.editor.undo_stack.setClean()
    editor.discard_draft()
    editor.close()


def test_a_failing_draft_does_not_stop_the_report(qtbot: QtBot) -> None:
    def broken() -> None:
        raise OSError("disk gone")

    handler = CrashHandler(keep_drafts=broken)
    assert _raise_and_handle(handler) is not None
    assert len(handler.dialogs) == 1
    for dialog in handler.dialogs:
        qtbot.addWidget(dialog)


def test_an_error_in_a_thread_shows_the_dialog_on_the_gui_thread(
    qtbot: QtBot, handler: CrashHandler
) -> None:
    def work() -> None:
        raise RuntimeError("failed in the background")

    previous = threading.excepthook
    threading.excepthook = handler.thread_excepthook
    try:
        thread = threading.Thread(target=work, name="usage-reader")
        thread.start()
        thread.join()
    finally:
        threading.excepthook = previous
    qtbot.waitUntil(lambda: len(handler.dialogs) == 1, timeout=5000)
    [report] = (log_dir() / "crash-reports").iterdir()
    text = report.read_text()
    assert "an error in usage-reader: RuntimeError: failed in the background" in text
    assert handler.dialogs[0].thread() is QGuiApplication.instance().thread()
    for dialog in handler.dialogs:
        qtbot.addWidget(dialog)


def test_report_that_cannot_be_written_still_shows_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    handler = CrashHandler(log_folder=blocker)
    assert _raise_and_handle(handler) is None
    [dialog] = handler.dialogs
    qtbot.addWidget(dialog)
    assert not dialog.folder_button.isEnabled()
    assert "KeyError" in dialog.report_text  # Copy report still has the text


def test_previous_hard_crash_is_offered(qtbot: QtBot, handler: CrashHandler) -> None:
    folder = log_dir()
    folder.mkdir(parents=True)
    dead_pid = 2**22 + 17  # above Linux's pid_max default: no such process
    (folder / f"faults-{dead_pid}.log").write_text(
        "Fatal Python error: Segmentation fault\n\nCurrent thread 0x1 (most recent call first):\n"
    )
    reports = diagnostics.collect_hard_crashes()
    handler.offer_previous_crash(reports)
    [dialog] = handler.dialogs
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Quote Builder stopped unexpectedly"
    assert "Segmentation fault" in dialog.report_text
    assert dialog.report == reports[0]
    handler.offer_previous_crash([])  # nothing to offer: no dialog
    assert len(handler.dialogs) == 1


def test_qt_messages_go_to_the_log(handler: CrashHandler) -> None:
    path = diagnostics.setup_logging()
    assert path is not None
    try:
        handler.qt_message(QtMsgType.QtWarningMsg, QMessageLogContext(), "a Qt warning")
        for h in diagnostics.log.handlers:
            h.flush()
        assert "WARNING quote_builder.crash: Qt: a Qt warning" in path.read_text()
    finally:
        for h in list(diagnostics.log.handlers):
            diagnostics.log.removeHandler(h)
            h.close()


def test_dialog_offers_copy_and_open_folder(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = CrashDialog(None, "t", "s", tmp_path / "r.txt", "text")
    qtbot.addWidget(dialog)
    assert [dialog.copy_button.text(), dialog.folder_button.text()] == [
        "Copy report",
        "Open folder",
    ]
