"""Render resources/icons/quote-builder.svg to the PNG sizes desktops ask for.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make-icons.py

Run it after changing the SVG and commit the PNGs (Windows' .ico and macOS' .icns are made
from them by the standalone build on those platforms; docs/packaging.md)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 (QImage painting needs one)
    renderer = QSvgRenderer(str(ICONS / "quote-builder.svg"))
    if not renderer.isValid():
        raise SystemExit("quote-builder.svg is not a valid SVG")
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        image.save(str(ICONS / f"quote-builder-{size}.png"))
    print(f"wrote {len(SIZES)} PNGs to {ICONS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
