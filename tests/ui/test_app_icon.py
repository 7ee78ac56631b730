"""The application icon (issue 16): every shipped size loads."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from quote_builder.ui.icon import SIZES, app_icon


def test_the_app_icon_has_every_size(qapp: QApplication) -> None:
    icon = app_icon()
    assert not icon.isNull()
    assert set(icon.availableSizes()) == {QSize(s, s) for s in SIZES}
    assert not icon.pixmap(QSize(48, 48)).toImage().isNull()
