"""Numbers typed the way the rep writes them, in every window (issue 12, part 4): the
component editor (catalog plans and the quote editor's components), the customer form and
the settings read amounts, percents and quantities with the one locale-aware parser. In
German (Germany) "45,50" is 45.50 and "1.000" is 1000; in English (United States) "45,50"
is refused with the reason and what to write, never read as 4550."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QLineEdit, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from quote_builder.pricing.components import Credits, Graduated, PerUnit
from quote_builder.services import customers as customer_service
from quote_builder.services.settings import get_settings
from quote_builder.services.workspace import Workspace
from quote_builder.ui.component_editor import ComponentEditor
from quote_builder.ui.customers_view import CustomersPage
from quote_builder.ui.locale_numbers import set_ui_locale
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.settings_view import SettingsPage

from .test_catalog_settings import example
from .test_lists import select_named

D = Decimal


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    assert isinstance(widget, QLineEdit)
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def set_cell(table: QWidget, row: int, column: int, text: str) -> None:
    assert isinstance(table, QTableWidget)
    item = table.item(row, column)
    assert item is not None
    item.setText(text)


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win


# --- the component editor ------------------------------------------------------------------


def test_a_german_price_is_refused_in_english_with_what_to_write(qtbot: QtBot) -> None:
    editor = ComponentEditor(example("per_unit"))
    qtbot.addWidget(editor)
    type_into(qtbot, editor.field_widget("unit_price"), "45,50")
    assert editor.component() is None
    # Said once, in the parser's words (not also pydantic's "not a valid decimal").
    assert editor.errors() == [
        "unit_price: 45,50 is not a number as written in English (United States); write 45.50"
    ]
    type_into(qtbot, editor.field_widget("unit_price"), "1,045.50")
    component = editor.component()
    assert isinstance(component, PerUnit)
    assert component.unit_price == D("1045.50")


def test_the_component_editor_reads_german(qtbot: QtBot) -> None:
    set_ui_locale("de_DE")
    editor = ComponentEditor(example("per_unit"))
    qtbot.addWidget(editor)
    price = editor.field_widget("unit_price")
    assert isinstance(price, QLineEdit)
    type_into(qtbot, price, "45,50")
    component = editor.component()
    assert isinstance(component, PerUnit) and component.unit_price == D("45.50")
    type_into(qtbot, price, "45.50")  # 4550 in German? grouping by two digits: refused
    assert editor.component() is None
    assert "write 45,50" in editor.errors()[0]


def test_german_tier_and_burn_cells(qtbot: QtBot) -> None:
    """Table cells go through the same parser: a tier bound of 1.000 is a thousand, a burn
    rate of 0,5 credits is a half."""
    set_ui_locale("de_DE")
    graduated = ComponentEditor(example("graduated"))
    qtbot.addWidget(graduated)
    tiers = graduated.field_widget("tiers")
    assert isinstance(tiers, QTableWidget)
    item = tiers.item(1, 2)  # the second tier's unit price, shown the German way
    assert item is not None and item.text() == "0,05"
    columns = [tiers.horizontalHeaderItem(c).text() for c in range(tiers.columnCount())]  # type: ignore[union-attr]
    up_to = next(i for i, c in enumerate(columns) if c.lower().startswith("up to"))
    set_cell(tiers, 1, up_to, "12.000")
    set_cell(tiers, 1, 2, "0,045")
    component = graduated.component()
    assert isinstance(component, Graduated), graduated.errors()
    assert component.tiers[1].up_to == D("12000")
    assert component.tiers[1].unit_price == D("0.045")
    set_cell(tiers, 1, 2, "0.045")  # 45 in German? a group of three digits after 0: refused
    assert graduated.component() is None
    assert any(
        "0.045 is not a number as written in German (Germany)" in e for e in graduated.errors()
    )

    credits = ComponentEditor(example("credits"))
    qtbot.addWidget(credits)
    burn = credits.field_widget("burn")
    set_cell(burn, 0, 1, "0,5")
    component = credits.component()
    assert isinstance(component, Credits), credits.errors()
    assert component.burn["drafts"] == D("0.5")


# --- the customer form and the settings ----------------------------------------------------


def test_the_customer_form_reads_german(qtbot: QtBot, window: MainWindow) -> None:
    set_ui_locale("de_DE")
    page = window.show_page("customers")
    assert isinstance(page, CustomersPage)
    select_named(page, "Contoso Legal")
    seats, minutes = page.form.inputs["seats"], page.form.inputs["minutes_saved_per_task"]
    assert isinstance(seats, QLineEdit) and isinstance(minutes, QLineEdit)
    assert minutes.text() == "90"
    type_into(qtbot, seats, "1.200")
    type_into(qtbot, minutes, "12,5")
    assert page.save_button.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = customer_service.search_customers(window.workspace.db, "Contoso").rows[0]
    assert saved.seats == 1200 and saved.minutes_saved_per_task == D("12.5")
    type_into(qtbot, minutes, "12.5")  # 125 in German? refused with the reason
    assert "write 12,5" in page.form.errors["minutes_saved_per_task"].text()
    assert not page.save_button.isEnabled()


def test_the_settings_read_a_german_floor(qtbot: QtBot, window: MainWindow) -> None:
    set_ui_locale("de_DE")
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    assert page.margin_floor.text() == field_of(window)
    type_into(qtbot, page.margin_floor, "62,5")
    assert "margin_floor_percent" not in page._problems
    assert page.values()["margin_floor_percent"] == "62.5"


def field_of(window: MainWindow) -> str:
    """The Settings floor as a German field shows it (50 -> "50", 62.5 -> "62,5")."""
    floor = window.workspace.run(get_settings).margin_floor_percent
    return format(D(floor), "f").replace(".", ",")
