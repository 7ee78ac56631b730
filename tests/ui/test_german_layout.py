"""Walking the app in German on a 1366x768 screen: numbers in tables and fields are
right-aligned like every other figure, and placeholder texts and headers are not cut off.
Before: the Approvals list's Version, TCV, Discount and Lowest margin, the customer's
quotes' TCV, the exchange rates' Rate, the editor's forecast, unit cost and ramp numbers and
Settings' late payment interest were left-aligned; Settings' "Leer: die jährliche
Preissteigerung" and "Quelle (EZB-Referenzkurs)" ended in "…", and the customer's quotes'
"Letzte Änderung" header read "etzte Änderun"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, QModelIndex, QRect, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QStyleOptionViewItem,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from quote_builder.services import customers as customer_service
from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui import i18n, locale_format
from quote_builder.ui.approvals_view import ApprovalsPage
from quote_builder.ui.customers_view import CustomersPage
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor
from quote_builder.ui.settings_view import SettingsPage

RIGHT = Qt.AlignmentFlag.AlignRight


@pytest.fixture
def german_window(
    qtbot: QtBot, qapp: QApplication, demo_workspace: Workspace
) -> Iterator[MainWindow]:
    i18n.install(qapp, "de")
    locale_format.set_locale("de_DE")
    QLocale.setDefault(QLocale("de_DE"))
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    win.resize(1366, 740)
    win.show()
    qtbot.waitExposed(win)
    yield win
    for editor in list(win.editors.values()):
        editor.editor.mark_saved()
        editor.close()
    i18n.install(qapp, "en")
    locale_format.set_locale(None)
    QLocale.setDefault(QLocale("en_US"))


def placeholder_fits(edit: QLineEdit) -> bool:
    """Whether the placeholder is drawn whole: the frame and Qt's text margin take 2 px
    each side."""
    margins = edit.textMargins()
    room = edit.width() - 2 * 2 - 2 * 2 - margins.left() - margins.right()
    return edit.fontMetrics().horizontalAdvance(edit.placeholderText()) <= room


def cell_alignment(table: QTableWidget, row: int, column: int) -> Qt.AlignmentFlag:
    """How the view draws the cell: its delegate's alignment, else the item's."""
    delegate = table.itemDelegateForColumn(column) or table.itemDelegate()
    option = QStyleOptionViewItem()
    index = table.model().index(row, column, QModelIndex())
    delegate.initStyleOption(option, index)  # type: ignore[attr-defined]
    return option.displayAlignment


def test_settings_in_german(qtbot: QtBot, german_window: MainWindow) -> None:
    page = german_window.show_page("settings")
    assert isinstance(page, SettingsPage)
    QApplication.processEvents()
    for name in ("legal_renewal_increase_percent", "rate_source", "rate_from", "rate_value"):
        edit = page.findChild(QLineEdit, name)
        assert edit is not None, name
        assert placeholder_fits(edit), f"{name}: {edit.placeholderText()!r} is cut off"
    interest = page.findChild(QWidget, "legal_late_interest_percent_per_month")
    assert isinstance(interest, QLineEdit)
    assert interest.alignment() & RIGHT
    # The exchange-rate table's Rate.
    rates = page.exchange_rates
    rates.base.setText("USD")
    rates.quote.setText("EUR")
    rates.rate.setText("0,92")
    rates.source.setText("EZB")
    rates.set_rate()
    assert rates.table.rowCount() == 1
    assert cell_alignment(rates.table, 0, 2) & RIGHT


def test_approvals_in_german(qtbot: QtBot, german_window: MainWindow) -> None:
    page = german_window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    page.reload()
    assert page.table.rowCount() >= 1
    for column in (2, 3, 4, 5):  # Version, TCV, Rabatt, Niedrigste Marge
        assert cell_alignment(page.table, 0, column) & RIGHT, column
    left = cell_alignment(page.table, 0, 1)
    assert not left & RIGHT  # the customer's name stays on the left


def test_a_customer_s_quotes_in_german(qtbot: QtBot, german_window: MainWindow) -> None:
    page = german_window.show_page("customers")
    assert isinstance(page, CustomersPage)
    db = german_window.workspace.db
    customer = customer_service.search_customers(db, "Contoso").rows[0]
    assert page.select_customer(customer.id)
    QApplication.processEvents()
    quotes = page.findChild(QTableWidget, "customer-quotes")
    assert quotes is not None and quotes.rowCount() == 1
    assert "$" in quotes.item(0, 3).text()  # type: ignore[union-attr]
    assert cell_alignment(quotes, 0, 3) & RIGHT
    header = quotes.horizontalHeader()
    for column in range(quotes.columnCount()):
        title = quotes.horizontalHeaderItem(column).text()  # type: ignore[union-attr]
        needed = header.fontMetrics().horizontalAdvance(title)
        assert header.sectionSize(column) >= needed, f"{title!r} is cut off"


def test_the_editor_s_tables_in_german(qtbot: QtBot, german_window: MainWindow) -> None:
    db = german_window.workspace.db
    row = quote_service.list_quotes(db, "Initech").rows[0]
    window = open_quote_editor(german_window, row.id)
    editor = window.editor
    assert editor.forecast.rowCount() >= 1 and editor.costs.rowCount() >= 1
    for column in (1, 2):
        assert cell_alignment(editor.forecast, 0, column) & RIGHT
    assert cell_alignment(editor.costs, 0, 1) & RIGHT
    assert not cell_alignment(editor.forecast, 0, 0) & RIGHT  # the metric's name
    editor.ramps.insertRow(0)
    assert cell_alignment(editor.ramps, 0, 0) & RIGHT  # From year
    assert cell_alignment(editor.ramps, 0, 2) & RIGHT  # the quantity


def test_the_options_tab_s_placeholders_in_german(qtbot: QtBot, german_window: MainWindow) -> None:
    db = german_window.workspace.db
    row = quote_service.list_quotes(db, "Initech").rows[0]
    window = open_quote_editor(german_window, row.id)
    window.resize(1366, 740)
    editor = window.editor
    editor.tabs.setCurrentWidget(editor.options)
    QApplication.processEvents()
    for name in ("option_name", "option_description"):
        edit = editor.options.findChild(QLineEdit, name)
        assert edit is not None and edit.isVisible(), name
        assert placeholder_fits(edit), f"{name}: {edit.placeholderText()!r} is cut off"


def test_the_versions_list_in_german(qtbot: QtBot, german_window: MainWindow) -> None:
    from quote_builder.ui.quote_editor import VersionsDialog

    db = german_window.workspace.db
    row = quote_service.list_quotes(db, "Initech").rows[0]
    window = open_quote_editor(german_window, row.id)
    dialog = VersionsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() >= 1
    assert cell_alignment(dialog.table, 0, 0) & RIGHT  # Version
    assert cell_alignment(dialog.table, 0, 3) & RIGHT  # TCV
    assert not cell_alignment(dialog.table, 0, 2) & RIGHT  # who saved it


def test_the_price_table_s_totals_in_german(qtbot: QtBot, german_window: MainWindow) -> None:
    db = german_window.workspace.db
    row = quote_service.list_quotes(db, "Initech").rows[0]
    window = open_quote_editor(german_window, row.id)
    window.resize(1366, 740)
    editor = window.editor
    editor.tabs.setCurrentWidget(editor.price_table)
    QApplication.processEvents()
    view = editor.price_table.view
    model = view.model()
    last = model.rowCount() - 1
    label = str(model.index(last, 0).data())
    assert label == "Gesamtvertragswert"
    # The label spans the empty cells up to the amount, however narrow the window: in the
    # component column alone (an editor beside its totals) it read "Gesamtvert…".
    assert view.columnSpan(last, 0) == model.columnCount() - 1
    width = sum(view.columnWidth(column) for column in range(view.columnSpan(last, 0)))
    font = view.font()
    font.setBold(True)
    from PySide6.QtGui import QFontMetrics

    assert width >= QFontMetrics(font).horizontalAdvance(label) + 8, "the TCV's label is cut off"


class _LaptopScreen:
    """A 1366x768 screen, 40 px of it a task bar: the offscreen platform's only screen is
    800x600, and a shown window is fitted to its screen (``geometry.fit_on_screen``)."""

    def availableGeometry(self) -> QRect:  # noqa: N802 (QScreen's name)
        return QRect(0, 0, 1366, 728)


def test_every_component_kind_shows_whole_in_the_kind_box(
    qtbot: QtBot, german_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editor's Components tab at 1366x768 in German: the kind box beside Add read
    "Wiederkehrende Ge" for "Wiederkehrende Gebühr"; now each kind chosen shows whole, and
    the component's form keeps most of the room."""
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    from quote_builder.ui import geometry

    monkeypatch.setattr(geometry, "_screen_for", lambda point: _LaptopScreen())
    db = german_window.workspace.db
    row = quote_service.list_quotes(db, "Initech").rows[0]
    window = open_quote_editor(german_window, row.id)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    components = window.editor.components
    window.editor.tabs.setCurrentWidget(
        next(
            window.editor.tabs.widget(i)
            for i in range(window.editor.tabs.count())
            if window.editor.tabs.widget(i).isAncestorOf(components)
        )
    )
    QApplication.processEvents()
    box = components.kind_box
    assert box.itemText(0) == "Wiederkehrende Gebühr"
    for index in range(box.count()):
        box.setCurrentIndex(index)
        option = QStyleOptionComboBox()
        box.initStyleOption(option)
        field = box.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, box
        )
        needed = box.fontMetrics().horizontalAdvance(box.currentText())
        assert needed <= field.width(), f"{box.currentText()!r}: {needed} > {field.width()}"
    assert window.width() > 1300  # a laptop's width less its frame, not an 800 px screen's
    assert components._scroll.width() > components.list.width()
