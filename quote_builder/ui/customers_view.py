"""The Customers page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from quote_builder.services.workspace import Workspace

from .pages import Page, PlaceholderPage

if TYPE_CHECKING:
    from .main_window import MainWindow


def create_page(workspace: Workspace, window: MainWindow) -> Page:
    return PlaceholderPage("Customers")
