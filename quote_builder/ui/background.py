"""A database call off the window's thread, for the calls that take seconds.

``workspace.run`` waits for the database process's answer on the thread that calls it.
Most use cases answer at once; a few check a signed PDF's every page and signature
(recording a customer's signed order form) and take seconds, during which a window that
waited on its own thread did not even repaint. :class:`BackgroundCall` runs one call in a
thread (the database host is thread-safe: one call at a time) and is polled from a timer;
:func:`run_busy` shows a small modal "busy" dialog meanwhile and returns the call's result,
or raises what it raised, on the window's thread. While one runs, :func:`active` is true:
the main window's look for changes made elsewhere waits (it would wait for the call).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QVBoxLayout, QWidget

POLL_MS = 30

_lock = threading.Lock()
_running = 0


def active() -> bool:
    """Whether a background call is running (the database process is busy with it)."""
    with _lock:
        return _running > 0


class BackgroundCall[R]:
    """``call()`` in a thread of its own, started at once; :attr:`done` says when it ended
    and :meth:`result` gives what it returned or raises what it raised."""

    def __init__(self, call: Callable[[], R]) -> None:
        global _running
        self._call = call
        self._value: R | None = None
        self._error: BaseException | None = None
        with _lock:
            _running += 1
        self._thread = threading.Thread(target=self._run, name="database-call", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        global _running
        try:
            self._value = self._call()
        except BaseException as exc:  # handed to the window's thread by result()
            self._error = exc
        finally:
            with _lock:
                _running -= 1

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def result(self) -> R:
        """What the call returned (raises what it raised); only once :attr:`done`."""
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]


class BusyDialog(QDialog):
    """One sentence and a busy bar; it cannot be closed: it closes when the call ends."""

    def __init__(self, parent: QWidget, text: str, call: BackgroundCall[object]) -> None:
        super().__init__(parent)
        self.setObjectName("busy-dialog")
        self.setWindowTitle(text)
        self.setModal(True)
        self.call = call
        layout = QVBoxLayout(self)
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        bar = QProgressBar()
        bar.setObjectName("busy-bar")
        bar.setRange(0, 0)  # busy: no percentage to show
        bar.setTextVisible(False)
        bar.setAccessibleName(text)
        layout.addWidget(bar)
        self.setMinimumWidth(360)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def _poll(self) -> None:
        if self.call.done:
            self._timer.stop()
            super().accept()

    def reject(self) -> None:
        """Escape does nothing: the call cannot be taken back half-way."""
        if self.call.done:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.call.done:
            super().closeEvent(event)
        else:
            event.ignore()


def run_busy[R](parent: QWidget, text: str, call: Callable[[], R]) -> R:
    """``call()`` off the window's thread while a modal busy dialog saying ``text`` shows
    (the windows repaint, and nothing else can be clicked meanwhile); returns its result or
    raises what it raised."""
    job: BackgroundCall[R] = BackgroundCall(call)
    if not job.done:
        dialog = BusyDialog(parent, text, job)
        dialog.exec()
        dialog.deleteLater()
    job._thread.join()
    return job.result()
