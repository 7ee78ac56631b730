"""Scrolling the Settings page or a customer's form with the mouse wheel never changes a
value under the pointer (before: "Longest term without approval" went from 36 to 2 months
while the page scrolled past it, and Save settings lit up)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from quote_builder.services.workspace import Workspace
from quote_builder.ui.customers_view import CustomerForm
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.settings_view import SettingsPage


def _wheel_down(widget: QWidget) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(widget.rect().center())),
        QPoint(0, 0),
        QPoint(0, -120),  # one notch down
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_the_settings_page_past_its_fields(
    qtbot: QtBot, workspace: Workspace
) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    term = page.approval_term
    before = term.value()
    _wheel_down(term)
    _wheel_down(page.default_currency)
    _wheel_down(page.exchange_rates.date)
    assert term.value() == before and not page.is_dirty()
    assert page.default_currency.currentText() == "USD"
    assert term.focusPolicy() == Qt.FocusPolicy.StrongFocus  # the wheel gives no focus
    # Clicked into (focused), the field takes the wheel as usual.
    window.activateWindow()
    term.setFocus()
    qtbot.waitUntil(term.hasFocus)
    _wheel_down(term)
    assert term.value() == before - 1 and page.is_dirty()


def test_the_wheel_leaves_a_customer_s_country_and_category(qtbot: QtBot) -> None:
    form = CustomerForm()
    qtbot.addWidget(form)
    boxes = form.findChildren(QComboBox)
    assert boxes
    chosen = [box.currentIndex() for box in boxes]
    for box in boxes:
        _wheel_down(box)
    assert [box.currentIndex() for box in boxes] == chosen
