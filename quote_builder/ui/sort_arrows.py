"""Sort arrows that point the way the list runs: down for descending (newest first, Z to
A), up for ascending.

Qt's header view asks the style for ``SortUp`` when a column sorts descending (and
``SortDown`` when ascending), and Fusion draws ``SortUp`` as an arrow pointing up: the
Quotes list, newest first, showed an up arrow on "Last change". :func:`point_by_order` gives
a header a proxy of its style that draws the other arrow.
"""

from __future__ import annotations

from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QHeaderView,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionHeader,
    QWidget,
)

_OTHER = {
    QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
    QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp,
}


class SortArrowStyle(QProxyStyle):
    """The header's style with the sort arrow turned to point the way the list runs."""

    def drawPrimitive(  # noqa: N802 (Qt's name)
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(
            option, QStyleOptionHeader
        ):
            turned = QStyleOptionHeader(option)
            turned.sortIndicator = _OTHER.get(option.sortIndicator, option.sortIndicator)
            option = turned
        super().drawPrimitive(element, option, painter, widget)


def point_by_order(header: QHeaderView) -> None:
    """Draw ``header``'s sort arrow down when its column sorts descending, up ascending."""
    style = SortArrowStyle(header.style().name())
    style.setParent(header)  # lives as long as the header
    header.setStyle(style)


__all__ = ["SortArrowStyle", "point_by_order"]
