"""What every page of the main window offers the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from .i18n import N_

if TYPE_CHECKING:  # pydantic: not loaded before the window is shown
    from quote_builder.services.core import Changes

PAGE_TITLES: list[tuple[str, str]] = [
    ("quotes", N_("Quotes")),
    ("customers", N_("Customers")),
    ("catalog", N_("Catalog")),
    ("approvals", N_("Approvals")),
    ("settings", N_("Settings")),
]
"""The main window's pages in the sidebar's order (titles in English: ``_(title)`` where shown) (Ctrl+1 ... Ctrl+5); each is built by
``create_page`` of ``quote_builder.ui.<key>_view`` when first shown."""


class Page(QWidget):
    """A page of the main window. Subclasses refresh from change records, say whether they
    can close (unsaved work), and focus their search box."""

    def refresh(self, changes: Changes) -> None:
        """Re-read what ``changes`` says changed (default: nothing)."""

    def focus_search(self) -> None:
        """Put the cursor in the page's search box (Ctrl+F)."""

    def new_item(self) -> None:
        """Start creating the page's kind of item (Ctrl+N on the Quotes page)."""

    def can_close(self) -> bool:
        """False after asking the user, when unsaved work should keep the window open."""
        return True
