"""The application icon (window, taskbar, dock) from the PNGs in resources/icons."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from quote_builder.paths import resources_dir

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def app_icon() -> QIcon:
    """Every shipped size, so each place (title bar, taskbar, Alt+Tab) picks a sharp one.
    PNGs rather than the SVG: no image-format plugin is needed to read them."""
    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in SIZES:
        icon.addFile(str(folder / f"quote-builder-{size}.png"), QSize(size, size))
    return icon
