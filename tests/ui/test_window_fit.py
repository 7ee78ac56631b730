"""Windows fit a laptop's screen: pages scroll inside the main window instead of raising its
minimum size, and the quote editor fits 1024x768 (found walking the app on 1366x768)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quote_builder.services import quotes as quote_service
from quote_builder.ui import geometry, i18n
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor

SMALL_SCREEN = QRect(0, 0, 1024, 768 - 40)
"""A 1024x768 screen's available area, less a panel."""


def test_pages_scroll_inside_the_main_window(qtbot: QtBot, window: MainWindow) -> None:
    """Selecting a plan on the Catalog page raised the window's minimum height to 797 (the
    window grew past a 768 screen, the plan's buttons and the status bar out of sight)."""
    window.show()
    page = window.show_page("catalog")
    page.select_plan(page.model.plan(0).id)  # type: ignore[attr-defined]
    QApplication.processEvents()
    for key in ("catalog", "quotes", "customers", "approvals", "settings"):
        window.show_page(key)
        QApplication.processEvents()
        hint = window.minimumSizeHint()
        assert hint.width() <= SMALL_SCREEN.width(), key
        assert hint.height() <= SMALL_SCREEN.height() - 60, key  # room for a title bar


def test_a_window_that_grows_past_its_screen_is_fitted_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show()
    qtbot.wait(geometry.FRAME_DELAY_MS + 100)  # past the fitting when shown
    available = window.screen().availableGeometry()
    window.resize(available.width() + 300, available.height() + 300)
    qtbot.waitUntil(lambda: available.contains(window.frameGeometry()), timeout=2000)


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_the_quote_editor_fits_a_1024_screen(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    """The Options tab's seven buttons and fields in one row made the tab 800 pixels wide:
    with the totals beside it the editor could not be narrower than 1150 (a 1024 screen cut
    off the totals). Its buttons wrap now; every tab fits beside the totals."""
    i18n.use_language(language)
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    editor = open_quote_editor(window, row.id)
    qtbot.waitExposed(editor)
    qtbot.wait(50)  # the summary measures its totals once shown
    tabs = editor.editor.tabs
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        QApplication.processEvents()
        hint = editor.minimumSizeHint()
        where = f"{language}: {tabs.tabText(index)}"
        assert hint.width() <= SMALL_SCREEN.width() - 16, where  # the frame's borders
        assert hint.height() <= SMALL_SCREEN.height() - 40, where  # and its title bar


def test_the_quote_editor_never_stays_past_its_screen(qtbot: QtBot, window: MainWindow) -> None:
    """Long totals widen the summary and Qt widens the window: it is fitted back."""
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    editor = open_quote_editor(window, row.id)
    qtbot.waitExposed(editor)
    qtbot.wait(geometry.FRAME_DELAY_MS + 100)  # past the fitting when shown
    available = editor.screen().availableGeometry()
    # (the offscreen screen is 800 pixels wide, narrower than the editor's minimum: the
    # height is what can be checked here)
    editor.resize(editor.width(), available.height() + 200)
    qtbot.waitUntil(lambda: editor.frameGeometry().bottom() <= available.bottom(), timeout=2000)


def test_a_components_form_is_not_cut_off_at_1366x768_in_german(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The Add row's kind box was as wide as its longest kind in German ("Enthaltene Nutzung
    + Überschreitung"): the list's column took the form's room and the form was cut off on
    the right (its explanation, the amount as written, Interval) behind a scroll bar."""
    from PySide6.QtCore import QLocale

    from quote_builder.ui import locale_format
    from quote_builder.ui.component_editor import ComponentListEditor

    i18n.use_language("de")
    locale_format.set_locale("de_DE")
    QLocale.setDefault(QLocale("de_DE"))
    try:
        components = ComponentListEditor()
        qtbot.addWidget(components)
        for row in quote_service.list_quotes(window.workspace.db).rows:
            doc = quote_service.open_version(window.workspace.db, row.id).document
            components.set_components(list(doc.components))
            components.set_currency(doc.currency)
            components.resize(815, 540)  # the Components tab of the editor at 1366x768
            components.show()
            for index in range(components.list.count()):
                components.list.setCurrentRow(index)
                QApplication.processEvents()
                bar = components._scroll.horizontalScrollBar()
                assert not bar.isVisible(), (row.customer_name, index)
    finally:
        i18n.use_language("en")
        locale_format.set_locale(None)
        QLocale.setDefault(QLocale("en_US"))
