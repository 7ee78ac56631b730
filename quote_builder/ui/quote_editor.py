"""The quote editor (issue 5, point 4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from .main_window import MainWindow


def open_quote_editor(window: MainWindow, quote_id: int) -> None:
    QMessageBox.information(window, "Quote", f"The quote editor is being built (quote {quote_id}).")
