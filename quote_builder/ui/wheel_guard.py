"""Scrolling a long form never changes a value under the mouse.

A spin box, a date field or a combo box takes the mouse wheel by default, focused or not:
scrolling the Settings page with the wheel changed "Longest term without approval" from 36
to 2 months as it passed under the pointer, and the page then offered to save it. Here
such a field takes the wheel only while it has the keyboard focus (clicked or tabbed into);
otherwise the wheel scrolls the page. It takes focus by click or Tab, not by the wheel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        wheel = event.type() == QEvent.Type.Wheel
        if wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            # Not accepted: Qt hands the wheel to the parents, so the page scrolls.
            event.ignore()
            return True
        return False


def guard_wheel(root: QWidget) -> None:
    """Let every spin box, date field and combo box under ``root`` take the wheel only
    while focused (call once the form's fields exist)."""
    guard = root.findChild(_WheelGuard)
    if guard is None:
        guard = _WheelGuard(root)
    for field in [*root.findChildren(QAbstractSpinBox), *root.findChildren(QComboBox)]:
        if field.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        field.installEventFilter(guard)
