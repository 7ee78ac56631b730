"""Driving a real modal message box in a test, as a user would: wait until it shows, read
its text, click one of its buttons (by object name)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton


def answer_message_box(object_name: str, button_name: str, seen: list[str]) -> None:
    """When the modal message box ``object_name`` shows, note its text in ``seen`` and
    click its button ``button_name``. Call it before the action that opens the box; if no
    such box shows within about two seconds of event processing, nothing is clicked (and
    ``seen`` stays empty, which the test then asserts)."""
    tries = [0]

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != object_name:
            tries[0] += 1
            if tries[0] < 200:
                QTimer.singleShot(10, press)
            return
        seen.append(box.text())
        button = box.findChild(QPushButton, button_name)
        assert button is not None, f"no {button_name} button"
        button.click()

    QTimer.singleShot(0, press)
