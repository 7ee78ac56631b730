"""What the desktop app does when something goes wrong that nobody caught.

:func:`install` points ``sys.excepthook``, ``threading.excepthook`` and Qt's message
handler here. An uncaught exception is logged, the open editors' unsaved changes are kept
as drafts first (``keep_drafts``), a crash report is written (``diagnostics.write_report``)
and a :class:`CrashDialog` says in a sentence what happened and where the report is (Copy
report, Open folder). The app goes on running: the database lives in its own process, so
nothing saved is at risk, and the dialog says so. An exception in another thread reaches
the dialog through a queued signal (widgets only on the GUI thread).

A hard crash (a fatal signal) cannot run Python: ``diagnostics.FaultLog`` records it and
:func:`offer_previous_crash` shows its report at the next start.

For trying it out (and the screenshots): with ``QUOTE_BUILDER_DEBUG=1`` the Help menu has
"Debug: raise an error" and "Debug: crash the app" (main_window.py).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from quote_builder import diagnostics
from quote_builder.errors import UserFacingError

from . import desktop_open
from .i18n import _, ngettext

log = logging.getLogger("quote_builder.crash")

Context = Callable[[], dict[str, str]]
"""What the report says about the app's state (the database's location); no quote data."""


class CrashDialog(QDialog):
    """One sentence on what happened, where the report is, Copy report, Open folder."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        sentence: str,
        report: Path | None,
        report_text: str,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("crash_dialog")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report = report
        self.report_text = report_text
        layout = self._layout = QVBoxLayout(self)
        message = QLabel(sentence)
        message.setObjectName("crash_sentence")
        message.setWordWrap(True)
        layout.addWidget(message)
        where = QLabel(
            _(
                "The report: <b>{report}</b><br>Please send it to whoever supports Quote Builder for you; it holds the error and the app's last log lines, not your quotes."
            ).format(report=report)
            if report is not None
            else _(
                "No report could be written (the log folder is not writable); "
                "Copy report puts its text on the clipboard."
            )
        )
        where.setObjectName("crash_where")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)
        details = QPlainTextEdit(report_text)
        details.setReadOnly(True)
        details.setObjectName("crash_details")
        details.setMinimumHeight(180)
        details.setVisible(False)
        self.details = details
        layout.addWidget(details)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(_("Copy report"))
        self.copy_button.setObjectName("crash_copy")
        self.copy_button.setToolTip(_("Put the report's text on the clipboard"))
        self.folder_button = QPushButton(_("Open folder"))
        self.folder_button.setObjectName("crash_open_folder")
        self.folder_button.setToolTip(_("Show the folder holding the report"))
        self.folder_button.setEnabled(report is not None)
        self.details_button = QPushButton(_("Details"))
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._show_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_report)
        self.folder_button.clicked.connect(self.open_folder)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _show_details(self, shown: bool) -> None:
        """Grow (or shrink) the dialog with the report's text, never squeezing the
        sentences above it."""
        self.details.setVisible(shown)
        self._layout.activate()
        self.resize(self.width(), self.sizeHint().height())

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text)
        self.copy_button.setText(_("Copied"))

    def open_folder(self) -> None:
        if self.report is not None and not open_folder(self.report.parent):
            desktop_open.warn_copyable(
                self,
                _("Folder not opened"),
                _("No program opened the folder; the report is {path}.").format(path=self.report),
            )


FolderOpener = Callable[[Path], object]


def _open_with_desktop(folder: Path) -> object:
    return desktop_open.open_path(folder)


open_folder: FolderOpener = _open_with_desktop
"""Shows a folder in the file manager, falsy when nothing showed it (tests replace it)."""


class CrashHandler(QObject):
    """Turns uncaught exceptions into a report and a dialog (one handler per app)."""

    _from_thread = Signal(str, str, str)

    def __init__(
        self,
        keep_drafts: Callable[[], object] = lambda: None,
        context: Context = dict,
        parent_window: Callable[[], QWidget | None] = lambda: None,
        log_folder: Path | None = None,
    ) -> None:
        super().__init__()
        self.keep_drafts = keep_drafts
        self.context = context
        self.parent_window = parent_window
        self.log_folder = log_folder
        self.dialogs: list[CrashDialog] = []
        """The dialogs shown (tests look at them)."""
        self._busy = False
        self._from_thread.connect(self._show, Qt.ConnectionType.QueuedConnection)

    # --- the hooks ------------------------------------------------------------------------------

    def excepthook(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.handle(exc_type, exc, tb, where="the window")

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "a background thread"
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, where=name)

    def qt_message(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        """Qt's warnings go to the log file, not a terminal; a fatal message writes a
        report before Qt aborts (faulthandler records the abort too)."""
        if kind == QtMsgType.QtFatalMsg:
            log.critical("Qt: %s", message)
            with suppress(OSError, UserFacingError):
                diagnostics.write_report(
                    "Qt stopped the app", f"Qt fatal error: {message}", self._context()
                )
            return
        level = {
            QtMsgType.QtDebugMsg: logging.DEBUG,
            QtMsgType.QtInfoMsg: logging.INFO,
            QtMsgType.QtWarningMsg: logging.WARNING,
            QtMsgType.QtCriticalMsg: logging.ERROR,
        }.get(kind, logging.WARNING)
        log.log(level, "Qt: %s", message)

    # --- what happens ---------------------------------------------------------------------------

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        *,
        where: str,
    ) -> Path | None:
        """Log, keep drafts, write the report, show the dialog. Returns the report."""
        summary = diagnostics.exception_summary(exc_type, exc)
        details = diagnostics.exception_details(exc_type, exc, tb)
        log.error("uncaught exception in %s: %s\n%s", where, summary, details)
        if self._busy:  # an error while handling an error: the log has it, stop there
            return None
        self._busy = True
        try:
            kept = 0
            if threading.current_thread() is threading.main_thread():
                kept = self._keep_drafts()
            report, text = self._write(f"an error in {where}: {summary}", details)
            if kept:
                sentence = ngettext(
                    "Something went wrong in Quote Builder ({summary}). What you saved is safe "
                    "in the database, and the unsaved changes of {count} open quote were kept "
                    "as drafts; check the last thing you did before doing it again.",
                    "Something went wrong in Quote Builder ({summary}). What you saved is safe "
                    "in the database, and the unsaved changes of {count} open quotes were kept "
                    "as drafts; check the last thing you did before doing it again.",
                    kept,
                ).format(summary=summary, count=kept)
            else:
                sentence = _(
                    "Something went wrong in Quote Builder ({summary}). What you saved is safe "
                    "in the database; check the last thing you did before doing it again."
                ).format(summary=summary)
            path = str(report) if report is not None else ""
            if threading.current_thread() is threading.main_thread():
                self._show(sentence, path, text)
            else:
                self._from_thread.emit(sentence, path, text)
            return report
        finally:
            self._busy = False

    def offer_previous_crash(self, reports: list[Path]) -> None:
        """After a hard crash: the report of the last one, offered at this start."""
        if not reports:
            return
        report = reports[-1]
        try:
            text = report.read_text("utf-8", "replace")
        except OSError:
            text = ""
        if len(reports) > 1:
            sentence = ngettext(
                "Quote Builder stopped unexpectedly the last time it ran ({count} report). What "
                "was saved is in the database; unsaved changes of open quotes are offered back "
                "when you open them.",
                "Quote Builder stopped unexpectedly the last time it ran ({count} reports). What "
                "was saved is in the database; unsaved changes of open quotes are offered back "
                "when you open them.",
                len(reports),
            ).format(count=len(reports))
        else:
            sentence = _(
                "Quote Builder stopped unexpectedly the last time it ran. What was saved is in "
                "the database; unsaved changes of open quotes are offered back when you open them."
            )
        self._show(
            sentence,
            str(report),
            text,
            title=_("Quote Builder stopped unexpectedly"),
        )

    def _keep_drafts(self) -> int:
        """How many open quotes' unsaved changes were written to drafts."""
        try:
            kept = self.keep_drafts()
        except Exception:  # keeping drafts must never stop the report
            log.exception("keeping drafts after an error failed")
            return 0
        return kept if isinstance(kept, int) else 0

    def _context(self) -> dict[str, str]:
        try:
            return self.context()
        except Exception:
            return {}

    def _write(self, what: str, details: str) -> tuple[Path | None, str]:
        context = self._context()
        try:
            report = diagnostics.write_report(what, details, context, folder=self.log_folder)
        except (OSError, UserFacingError) as exc:
            log.error("the crash report could not be written: %s", exc)
            return None, diagnostics.format_report(what, details, context, folder=self.log_folder)
        return report, report.read_text("utf-8")

    def _show(self, sentence: str, report: str, text: str, title: str | None = None) -> None:
        title = title or _("Quote Builder: an error")
        if QApplication.instance() is None:
            print(
                sentence,
                _("Report: {report}").format(report=report) if report else "",
                file=sys.stderr,
            )
            return
        parent, over_modal = self._dialog_parent()
        dialog = CrashDialog(parent, title, sentence, Path(report) if report else None, text)
        if over_modal:
            # Above the window that holds the user (the guided flow): as a sibling of it
            # under the main window, the window manager kept the modal flow on top and the
            # report hid behind it, out of reach until the flow was closed.
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialogs.append(dialog)
        dialog.destroyed.connect(lambda *_: self._forget(dialog))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _dialog_parent(self) -> tuple[QWidget | None, bool]:
        """The report's parent: the modal window open now (the guided flow, a question),
        so that it shows on top of it and can be used; else the main window. True when it
        is a modal window."""
        modal = QApplication.activeModalWidget()
        if modal is not None and modal.isVisible():
            return modal, True
        return self.parent_window(), False

    def _forget(self, dialog: CrashDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)


def install(handler: CrashHandler) -> CrashHandler:
    """Route uncaught exceptions and Qt's messages to ``handler``."""
    sys.excepthook = handler.excepthook
    threading.excepthook = handler.thread_excepthook
    qInstallMessageHandler(handler.qt_message)
    return handler


__all__ = ["CrashDialog", "CrashHandler", "install"]
