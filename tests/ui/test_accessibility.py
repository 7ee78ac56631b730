"""Every widget that takes input has an accessible name, and an invalid field is marked by
more than colour (issue 17, §4). The walk covers the main window's pages, the quote editor
(every tab, the component forms, the price table) and the guided flow's pages."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from quote_builder.services import quotes as quote_service
from quote_builder.ui.accessibility import accessible_name, is_input
from quote_builder.ui.colours import INVALID_MARK
from quote_builder.ui.main_window import PAGES, MainWindow
from quote_builder.ui.quote_editor import open_quote_editor
from quote_builder.ui.wizard import GuidedQuote

from .stateful import retype, stale_prone_wrappers


@pytest.fixture
def window(window: MainWindow) -> MainWindow:
    """The demo main window (conftest), shown: these tests look at what is visible."""
    window.show()
    return window


def unnamed(root: QWidget) -> list[str]:
    QApplication.processEvents()
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if is_input(widget) and widget.isVisibleTo(root) and not accessible_name(widget):
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    # Naming leaves no wrapper that can outlive its layout item (the crash on redo).
    missing += [f"a wrapper of a {kind} kept alive" for kind in stale_prone_wrappers()]
    return missing


def test_every_input_of_every_page_has_a_name(qtbot: QtBot, window: MainWindow) -> None:
    missing = []
    for key, _title in PAGES:
        page = window.show_page(key)
        missing += [f"{key}: {m}" for m in unnamed(page)]
    assert not missing, "\n".join(missing)


def test_every_input_of_the_editor_has_a_name(qtbot: QtBot, window: MainWindow) -> None:
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    editor = open_quote_editor(window, row.id)
    tabs = editor.editor.tabs
    missing = []
    checked = 0
    for index in range(tabs.count()):
        if tabs.widget(index) is editor._preview_tab:
            continue
        tabs.setCurrentIndex(index)
        missing += [f"{tabs.tabText(index)}: {m}" for m in unnamed(editor)]
        checked += sum(1 for w in editor.findChildren(QWidget) if is_input(w) and w.isVisible())
    assert checked > 30  # the walk saw the forms
    assert not missing, "\n".join(missing)


def test_every_input_of_the_guided_flow_has_a_name(qtbot: QtBot, window: MainWindow) -> None:
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.customer_page.title_.setText("Accessible quote")
    missing = unnamed(wizard)
    for _ in range(8):
        wizard.next()
        missing += [f"{wizard.currentPage().objectName()}: {m}" for m in unnamed(wizard)]
    assert not missing, "\n".join(missing)


def test_an_invalid_field_is_marked_by_more_than_colour(qtbot: QtBot, window: MainWindow) -> None:
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    editor = open_quote_editor(window, row.id)
    ed = editor.editor
    deal = next(b.widget for b in ed.bindings if b.path == ("discounts", 0, "percent"))
    assert isinstance(deal, QLineEdit)
    label = next(
        w
        for w in ed.findChildren(QLabel)
        if w.text().endswith("Deal discount %") and w.buddy() is deal
    )
    retype(deal, "150")
    # A ⚠ before the label, the reason in the tooltip and the accessible description.
    assert label.text() == INVALID_MARK + "Deal discount %"
    assert "at most 100" in deal.toolTip()
    assert deal.accessibleDescription().startswith("Invalid: ")
    retype(deal, "15")
    assert label.text() == "Deal discount %"
    assert deal.accessibleDescription() == ""
    # The component forms too.
    ed.tabs.setCurrentWidget(ed.components)
    field = next(
        w for w in ed.components.findChildren(QLineEdit) if w.objectName() == "field_amount"
    )
    retype(field, "abc")
    assert field.accessibleDescription().startswith("Invalid: ")
    ed.undo()
