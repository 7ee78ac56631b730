"""What an empty page says to a first-time user, and the actions to get going: the Quotes
page with no quotes offers New quote… and Add demo data (also after declining the demo
data offered on the first run), the Customers page offers New customer and import."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .i18n import N_

PAGE_TIPS = {
    "quotes": N_("Your quotes: open one, or start a new one with the guided flow (Ctrl+N)"),
    "customers": N_("The companies you quote for, their contacts and their quotes"),
    "catalog": N_("The plans a quote can start from (components and prices)"),
    "approvals": N_("Ask the deal desk to approve discounts and terms; decide as an approver"),
    "settings": N_("Your company on the PDFs, currency, margin floor, legal frame, backups"),
}
"""The sidebar's tooltips: what each page is for."""


class EmptyState(QFrame):
    """A heading, a sentence and buttons, shown instead of an empty list."""

    def __init__(
        self,
        heading: str,
        text: str,
        actions: list[tuple[str, str, Callable[[], object]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("empty-state")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        self.heading = QLabel(heading)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.heading)
        layout.addWidget(self.text)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, label, slot in actions:
            button = QPushButton(label)
            button.setObjectName(f"empty-{name}")
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[name] = button
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)


__all__ = ["PAGE_TIPS", "EmptyState"]
