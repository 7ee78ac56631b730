"""What the model-based (hypothesis stateful) UI tests share: the settings profiles, a guard
that turns any exception raised inside Qt or any Qt warning into a failure of the step that
caused it, and the keystrokes a user types into a field.

Profiles, chosen by the environment variable ``QUOTE_BUILDER_HYPOTHESIS``:

- ``ci`` (the default): 25 sequences of up to 30 steps for each machine, derandomized and
  without the example database, so every run of the suite tries the same sequences.
- ``long``: 300 sequences of up to 60 steps, random, for hunting defects by hand
  (``QUOTE_BUILDER_HYPOTHESIS=long .venv/bin/pytest tests/ui -k machine``). A failure it
  finds is printed as the shortest sequence of steps; copy it into a plain regression test.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import shiboken6
from hypothesis import HealthCheck, settings
from PySide6.QtCore import QMessageLogContext, QObject, QtMsgType, qInstallMessageHandler
from PySide6.QtCore import Qt as _Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLayoutItem, QLineEdit, QWidget

from quote_builder.services.usage import UsageAnalysis

PILOT_LOG = Path(__file__).parents[2] / "resources" / "demo" / "pilot-usage.csv"


class FinishedJob:
    """A usage-log job that has already finished with ``result``. The app reads a log in a
    separate process (services/usage_job.py); the machines analyse the pilot log once per
    session (the ``pilot_analysis`` fixture) and hand it to the panel's own handler for a
    finished job, so a load step takes milliseconds."""

    def __init__(self, result: UsageAnalysis) -> None:
        self.result = result

    def poll(self) -> UsageAnalysis:
        return self.result

    def cancel(self) -> None:
        pass


class InProcessJob(FinishedJob):
    """Stands in for ``UsageJob`` when a step makes the panel read a log itself (Simulate
    again, another simulation basis): the same analysis, in this process, finished at once;
    ``finish_jobs`` hands it to the panel, so when it arrives does not depend on timers."""

    def __init__(
        self,
        path: Path,
        quote: Any = None,
        metric_map: Any = None,
        currency: str = "USD",
        quote_label: str = "quote",
    ) -> None:
        from quote_builder.services.usage import analyse_usage_log

        super().__init__(
            analyse_usage_log(path, quote, metric_map, currency=currency, quote_label=quote_label)
        )


def finish_jobs(panels: list[Any]) -> None:
    for panel in panels:
        if panel.job is not None:
            panel._check_job()


PROFILES = {
    "ci": {"max_examples": 25, "stateful_step_count": 30, "derandomize": True, "database": None},
    "long": {"max_examples": 300, "stateful_step_count": 60},
}
BENIGN_QT_MESSAGES = ("This plugin does not support",)
"""The offscreen platform's notes about what it cannot do (window hints): not our defects."""


def machine_settings() -> settings:
    name = os.environ.get("QUOTE_BUILDER_HYPOTHESIS", "ci")
    if name not in PROFILES:
        raise ValueError(f"QUOTE_BUILDER_HYPOTHESIS: {name!r} is not one of {sorted(PROFILES)}")
    return settings(
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        print_blob=True,
        **PROFILES[name],  # type: ignore[arg-type]
    )


class Guard:
    """Collects exceptions that reach ``sys.excepthook`` (a Python override called by Qt, a
    slot) and Qt's warnings while installed; ``check`` fails with all of them."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._old_hook: Any = None
        self._old_handler: Any = None

    def _hook(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        self.problems.append("".join(traceback.format_exception(kind, value, tb)))

    def _messages(self, kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if kind == QtMsgType.QtDebugMsg or kind == QtMsgType.QtInfoMsg:
            return
        if any(message.startswith(benign) for benign in BENIGN_QT_MESSAGES):
            return
        self.problems.append(f"Qt {kind.name}: {message}")

    def install(self) -> None:
        self._old_hook = sys.excepthook
        sys.excepthook = self._hook
        self._old_handler = qInstallMessageHandler(self._messages)

    def uninstall(self) -> None:
        sys.excepthook = self._old_hook
        qInstallMessageHandler(self._old_handler)

    def check(self) -> None:
        problems, self.problems = self.problems, []
        stale = stale_prone_wrappers()
        if stale:  # the cause of the segmentation fault on redo (test_undo_stress.py)
            problems.append(f"wrappers of layout items Qt deletes on its own: {stale}")
        assert not problems, "\n".join(problems)


def stale_prone_wrappers() -> list[str]:
    """Python wrappers of layout items Qt made and deletes on its own (a ``QWidgetItem``,
    a ``QSpacerItem`` of a stretch): nothing tells PySide when they go, so a wrapper kept
    alive outlives its object. Layouts are QObjects (PySide hears of their deletion)."""
    found = []
    for wrapper in shiboken6.getAllValidWrappers():
        if (
            isinstance(wrapper, QLayoutItem)
            and not isinstance(wrapper, QObject)
            and not shiboken6.createdByPython(wrapper)
        ):
            found.append(type(wrapper).__name__)
    return found


@contextmanager
def guarded() -> Iterator[Guard]:
    guard = Guard()
    guard.install()
    try:
        yield guard
    finally:
        guard.uninstall()


def retype(widget: QWidget, text: str) -> None:
    """What a user does to replace a field's value: click in it, select all (Ctrl+A), type
    the new text (or Backspace to leave it empty)."""
    widget.setFocus()
    target = widget.lineEdit() if isinstance(widget, QAbstractSpinBox) else widget
    assert isinstance(target, QLineEdit | QWidget)
    QTest.keyClick(target, _Qt.Key.Key_A, _Qt.KeyboardModifier.ControlModifier)
    if text:
        type_text(target, text)
    else:
        QTest.keyClick(target, _Qt.Key.Key_Backspace)
    QApplication.processEvents()


def type_text(widget: QWidget, text: str) -> None:
    """Key presses for ``text``; QTest.keyClicks knows only ASCII, so other characters go
    as key events that carry their text (as an input method sends them)."""
    for char in text:
        if char.isascii():
            QTest.keyClicks(widget, char)
        else:
            QTest.sendKeyEvent(
                QTest.KeyAction.Click,
                widget,
                _Qt.Key.Key_unknown,
                char,
                _Qt.KeyboardModifier.NoModifier,
            )


def key(widget: QWidget, key: _Qt.Key, modifiers: Any = _Qt.KeyboardModifier.NoModifier) -> None:
    widget.setFocus()
    QTest.keyClick(widget, key, modifiers)
    QApplication.processEvents()


NUMBER_TEXTS = (
    "0",
    "5",
    "12.5",
    "100",
    "101",
    "2500",
    "0.0004",
    "3.14159265",
    "1,234.5",
    "1.234,5",
    "-5",
    "12a",
    "abc",
    "",
    " 7 ",
    "1e3",
)
"""What users type into number fields: valid numbers, thousands separators, the European
way of writing 1234.5, negatives, too many decimals, letters, nothing."""
