"""Open a file or a folder with the desktop's program for it, and know whether one did.

On Linux ``QDesktopServices.openUrl`` hands the path to ``xdg-open`` and returns True
whatever happens next: with no program for PDFs (or no file manager) nothing opens and the
app said nothing. There the opener is run as a process and its exit status read
(``xdg-open``, else ``gio open``); elsewhere ``QDesktopServices`` reports failure itself.

Some ``xdg-open`` set-ups run the viewer in the foreground and return when it closes: a
process still running after :data:`WAIT_SECONDS` found a program, and is left to run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

WAIT_SECONDS = 3.0
"""How long the opener may take to say it failed (xdg-open without a handler: well under a
second)."""

_running: list[subprocess.Popen[bytes]] = []
"""Openers still running (a viewer in xdg-open's foreground), reaped on the next open."""


def save_folder() -> Path:
    """Where a Save dialog starts: the folder of the last PDF exported, else Documents when
    it exists, else the home folder. A dialog given a folder that does not exist (an
    account without ~/Documents) or a bare file name starts in the app's working folder
    instead: wherever the terminal that started it was (``/tmp``), not the user's own."""
    last = QSettings().value("export/folder", "")
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def _opener(path: Path) -> list[str] | None:
    """The command that opens ``path`` on this Linux desktop; None when there is none."""
    xdg_open = shutil.which("xdg-open")
    if xdg_open is not None:
        return [xdg_open, str(path)]
    gio = shutil.which("gio")
    if gio is not None:
        return [gio, "open", str(path)]
    return None


def open_path(path: Path) -> bool:
    """Open ``path`` (a file or a folder) with the desktop's program for it; False when no
    program opened it."""
    if not sys.platform.startswith("linux"):
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
    _running[:] = [proc for proc in _running if proc.poll() is None]
    command = _opener(path)
    if command is None:
        return False
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        proc = subprocess.Popen(  # noqa: S603 (the opener found on PATH, the path as one argument)
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a viewer it starts outlives the app's process group
        )
    except OSError:
        QGuiApplication.restoreOverrideCursor()
        return False
    try:
        return proc.wait(timeout=WAIT_SECONDS) == 0
    except subprocess.TimeoutExpired:
        _running.append(proc)
        return True
    finally:
        QGuiApplication.restoreOverrideCursor()


def _make_selectable() -> None:
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)


def warn_copyable(parent: QWidget | None, title: str, text: str) -> None:
    """``QMessageBox.warning`` whose text can be selected and copied (a path to paste into
    a file manager)."""
    QTimer.singleShot(0, _make_selectable)  # runs inside the box's event loop
    QMessageBox.warning(parent, title, text)


__all__ = ["WAIT_SECONDS", "open_path", "warn_copyable"]
