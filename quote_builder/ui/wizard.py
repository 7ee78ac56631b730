"""The guided flow for a new quote (issue 5, point 3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from .main_window import MainWindow


def start_guided_quote(window: MainWindow) -> None:
    QMessageBox.information(window, "New quote", "The guided flow is being built.")
