"""The customer form stays put: New customer opens at its top with Name focused, however
far the pane was scrolled; a reason appearing under a field (or going) never moves the
fields below it, so the next click lands where the pointer is; a disabled form or one with
no customer shows no placeholder that could pass for data."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from quote_builder.ui.main_window import MainWindow
from tests.ui.test_lists import customers_page, field, select_named


def _shown(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1280, 640)  # shorter than the form: the detail pane scrolls
    window.show()
    qtbot.waitExposed(window)


def test_new_customer_opens_at_the_top_with_name_focused(qtbot: QtBot, window: MainWindow) -> None:
    _shown(qtbot, window)
    page = customers_page(window)
    select_named(page, "Contoso Legal")
    bar = page.detail_scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    field(page, "loaded_hourly_rate").setFocus()
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    page.new_item()
    qtbot.wait(20)
    assert bar.value() == bar.minimum()
    assert page.form.inputs["name"].hasFocus()


def test_a_reason_under_a_field_does_not_move_the_fields_below(
    qtbot: QtBot, window: MainWindow
) -> None:
    _shown(qtbot, window)
    page = customers_page(window)
    select_named(page, "Contoso Legal")
    below = field(page, "billing_address")
    where = below.mapTo(page.form, QPoint(0, 0))
    email = field(page, "billing_email")
    email.clear()
    qtbot.keyClicks(email, "nope")
    assert not page.form.errors["billing_email"].isHidden()
    qtbot.wait(20)
    assert below.mapTo(page.form, QPoint(0, 0)) == where
    email.clear()
    qtbot.keyClicks(email, "ap@contoso.example")
    assert page.form.errors["billing_email"].isHidden()
    qtbot.wait(20)
    assert below.mapTo(page.form, QPoint(0, 0)) == where
    page.discard_changes()


def test_no_placeholder_on_a_disabled_or_empty_form(qtbot: QtBot, window: MainWindow) -> None:
    page = customers_page(window)
    page.view.clearSelection()
    page.show_customer(None)
    email = page.form.inputs["billing_email"]
    assert isinstance(email, QLineEdit)
    assert not page.form.isEnabled()
    for widget in page.form.findChildren(QLineEdit):
        assert widget.placeholderText() == "", widget.objectName()
        assert widget.text() == "", widget.objectName()  # not even a default USD
    # Creating: the placeholders are back, as examples.
    page.new_item()
    assert email.placeholderText() == "ap@customer.com"
    assert page.form.inputs["currency"].text() == "USD"  # type: ignore[union-attr]
    page.discard_changes()
