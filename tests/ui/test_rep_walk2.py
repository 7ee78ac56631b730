"""What a rep found walking the app on a laptop: the sort arrow, Finalise and the banner, a
year's own discount, the seller's country."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHeaderView
from pytestqt.qtbot import QtBot

from quote_builder.ui.main_window import MainWindow


def arrow_points_down(header: QHeaderView, section: int) -> bool:
    """Whether the sort arrow drawn at the right end of ``section`` is wider at its top (a
    triangle pointing down) than at its bottom."""
    image = header.grab(header.rect()).toImage()
    right = min(
        header.sectionViewportPosition(section) + header.sectionSize(section), image.width()
    )
    widths = []
    for y in range(image.height()):
        dark = sum(
            1 for x in range(right - 24, right - 2) if image.pixelColor(x, y).lightness() < 160
        )
        if dark:
            widths.append(dark)
    assert len(widths) >= 3, "no arrow drawn"
    return widths[0] > widths[-1]


def test_the_sort_arrow_points_the_way_the_list_runs(qtbot: QtBot, window: MainWindow) -> None:
    """The Quotes list runs newest first, and "Last change" showed an arrow pointing up."""
    window.show()
    page = window.show_page("quotes")
    view = page.view  # type: ignore[attr-defined]
    header = view.horizontalHeader()
    QApplication.processEvents()
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())  # in sight
    QApplication.processEvents()
    column = header.sortIndicatorSection()
    assert view.model().headerData(column, Qt.Orientation.Horizontal) == "Last change"
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert arrow_points_down(header, column)
    header.setSortIndicator(column, Qt.SortOrder.AscendingOrder)  # oldest first: up
    QApplication.processEvents()
    assert not arrow_points_down(header, column)
    # The Catalog's plans, A to Z: up.
    plans = window.show_page("catalog").table.horizontalHeader()  # type: ignore[attr-defined]
    QApplication.processEvents()
    assert plans.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert not arrow_points_down(plans, plans.sortIndicatorSection())


def test_settings_show_the_sellers_country_by_name(qtbot: QtBot, window: MainWindow) -> None:
    """The demo's seller is saved as "GB": Settings showed "GB" where customers show
    "Germany". It shows the name with the code beside it, and keeps "GB" while unchanged."""
    from quote_builder.services import settings as settings_service

    assert settings_service.get_settings(window.workspace.db).seller_country == "GB"
    page = window.show_page("settings")
    box = page.seller_country  # type: ignore[attr-defined]
    assert box.currentText() == "United Kingdom"
    assert page.seller_country_code.text() == "GB"  # type: ignore[attr-defined]
    assert not page.is_dirty()
    assert page.values()["seller_country"] == "GB"  # type: ignore[attr-defined]
    box.setCurrentText("Germany")
    assert page.seller_country_code.text() == "DE"  # type: ignore[attr-defined]
    assert page.values()["seller_country"] == "Germany"  # type: ignore[attr-defined]
