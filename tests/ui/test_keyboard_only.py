"""A sales rep who works without a mouse (issue: keyboard-only walk at 100 %, 150 %, 200 %).

Every action of the quote editor's toolbar is reachable from the keyboard (the toolbar's
buttons take no focus), Tab leaves a table instead of walking its every cell, and the
Quotes page's search box keeps room for what is typed in a narrow (scaled) window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QMenu,
    QScrollArea,
    QTableView,
    QToolBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import LocalWorkspace
from quote_builder.ui.main_window import PAGES, MainWindow
from quote_builder.ui.quote_editor import open_quote_editor
from quote_builder.ui.quotes_view import QuotesPage
from quote_builder.ui.wizard import GuidedQuote


def test_every_toolbar_action_of_the_editor_is_in_its_quote_menu(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show()
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    editor = open_quote_editor(window, row.id)
    qtbot.waitExposed(editor)
    bar = editor.findChild(QToolBar, "quote-toolbar")
    assert bar is not None
    on_bar = [a for a in bar.actions() if not a.isSeparator()]
    assert len(on_bar) >= 10  # Save … Renew / Expand / Amend…
    menu = editor.findChild(QMenu, "quote-menu")
    assert menu is not None, "the editor has no menu: Versions…, Request approval… need a mouse"
    assert menu.actions() == bar.actions()
    # Alt+Q opens it (the menu's mnemonic), as Alt+F opens the main window's File menu.
    assert menu.menuAction().text() == "&Quote"
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor, timeout=2000)
    editor.editor.tabs.setFocus()
    QTest.keyClick(editor.editor.tabs, Qt.Key.Key_Q, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    # The arrows walk it and Enter runs the action: the same QAction the toolbar shows.
    QTest.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction() in on_bar
    menu.close()
    QApplication.processEvents()


def trapping_tables(root: QWidget) -> list[str]:
    """The visible tables in which Tab walks cell by cell (five quotes: forty Tabs)."""
    QApplication.processEvents()
    return [
        view.objectName() or view.accessibleName() or type(view).__name__
        for view in root.findChildren(QTableView)
        if view.isVisibleTo(root) and view.tabKeyNavigation()
    ]


def test_tab_leaves_every_table_of_the_pages_and_the_editor(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show()
    trapped = []
    seen = 0
    for key, _title in PAGES:
        page = window.show_page(key)
        seen += sum(1 for v in page.findChildren(QTableView) if v.isVisibleTo(page))
        trapped += [f"{key}: {name}" for name in trapping_tables(page)]
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    editor = open_quote_editor(window, row.id)
    tabs = editor.editor.tabs
    for index in range(tabs.count()):
        if tabs.widget(index) is editor._preview_tab:
            continue
        tabs.setCurrentIndex(index)
        seen += sum(1 for v in editor.findChildren(QTableView) if v.isVisible())
        trapped += [f"editor {tabs.tabText(index)}: {n}" for n in trapping_tables(editor)]
    assert seen >= 6  # the walk saw the lists and the editor's tables
    assert not trapped, "\n".join(trapped)


def test_tab_from_the_quote_list_goes_on_to_the_next_control(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    page = window.show_page("quotes")
    view = page.findChild(QAbstractItemView, "quote-list")
    assert view is not None and view.model().rowCount() >= 5
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not view


def room(page: QuotesPage) -> int:
    """What a rep types into the search, readable: 30 letters of the box's font."""
    return page.search.fontMetrics().averageCharWidth() * 30


@pytest.mark.parametrize(("width", "height"), [(683, 384), (910, 512)])
def test_the_quote_search_keeps_room_for_what_is_typed_at_any_scale(
    qtbot: QtBot, window: MainWindow, width: int, height: int
) -> None:
    """1366x768 at 200 % is 683x384 to Qt, at 150 % 910x512: the search box was squeezed
    to "S…" beside the filter and the buttons; it moves to a row of its own instead."""
    window.show()
    window.resize(width, height)
    page = window.show_page("quotes")
    QApplication.processEvents()
    search = page.search
    assert search.isVisible()
    assert search.width() >= room(page)
    for button in (page.status_filter, page.open_button, page.duplicate_button, page.new_button):
        assert button.isVisible()
        assert button.width() >= button.minimumSizeHint().width()
        right = button.mapTo(page, button.rect().topRight()).x()
        assert right <= page.width()


def test_a_wide_quote_page_keeps_the_search_beside_the_buttons(
    qtbot: QtBot, demo_workspace: LocalWorkspace
) -> None:
    page = QuotesPage(demo_workspace, None)
    qtbot.addWidget(page)
    page.resize(500, 400)
    page.show()
    QApplication.processEvents()
    assert page.search.geometry().top() < page.status_filter.geometry().top()  # above
    page.resize(1200, 400)  # 1366 across at 100 %, the sidebar beside
    QApplication.processEvents()
    assert page.search.geometry().top() == page.status_filter.geometry().top()  # one row
    assert page.search.width() >= room(page)
    page.resize(500, 400)
    QApplication.processEvents()
    assert page.search.geometry().top() < page.status_filter.geometry().top()


@pytest.mark.parametrize(("width", "height"), [(683, 384), (910, 512)], ids=["200%", "150%"])
def test_the_quote_editor_fits_a_scaled_laptop_screen(
    qtbot: QtBot, window: MainWindow, width: int, height: int
) -> None:
    """1366x768 at 200 % is 683x384 to Qt: the editor's least size was 827x638, so the
    window ran off the screen (the totals at the right, the tabs' lower half cut off).
    Every tab scrolls instead; the totals keep the width their amounts need."""
    window.show()
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    editor = open_quote_editor(window, row.id)
    qtbot.waitExposed(editor)
    editor.resize(width, height)
    QApplication.processEvents()
    least = editor.minimumSizeHint().expandedTo(editor.minimumSize())
    assert least.width() <= width and least.height() <= height, least
    assert editor.width() <= width and editor.height() <= height
    panel = editor.editor.summary
    assert editor.editor.summary_scroll.viewport().width() >= panel.minimumSizeHint().width()
    editor.editor.mark_saved()
    editor.close()


def invisible_stops(root: QWidget) -> list[str]:
    """Scroll areas that take Tab: the focus goes into the frame around the form, where no
    focus mark shows, and the rep presses Tab again not knowing where they are."""
    QApplication.processEvents()
    return [
        f"{area.objectName() or type(area.parent()).__name__}"
        for area in root.findChildren(QScrollArea)
        if area.isVisibleTo(root) and area.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]


def test_no_tab_stop_is_a_scroll_area_nobody_sees(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    found = []
    for key, _title in PAGES:
        window.show_page(key)
        found += [f"{key}: {name}" for name in invisible_stops(window)]
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    editor = open_quote_editor(window, row.id)
    tabs = editor.editor.tabs
    for index in range(tabs.count()):
        if tabs.widget(index) is editor._preview_tab:
            continue
        tabs.setCurrentIndex(index)
        found += [f"editor {tabs.tabText(index)}: {n}" for n in invisible_stops(editor)]
    editor.editor.mark_saved()
    editor.close()
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.show()
    found += [f"guided flow: {n}" for n in invisible_stops(wizard)]
    assert not found, "\n".join(sorted(set(found)))
    # The guided flow's first step, Tab by Tab: each stop is a control, round to the first.
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=2000)
    first = QApplication.focusWidget()
    assert first is not None
    walked = []
    for _ in range(30):
        wizard.focusNextChild()
        focused = QApplication.focusWidget()
        walked.append(focused)
        if focused is first:
            break
    assert walked[-1] is first
    assert not [w for w in walked if isinstance(w, QScrollArea)], walked


def test_the_first_field_of_a_step_shows_its_focus(qtbot: QtBot, window: MainWindow) -> None:
    """Next (Alt+N) onto Product and usage puts the focus in Product category, a drop-down
    list, but Qt drew no focus mark: it marks focus only after a Tab, and the step set it
    itself. The rep saw no cursor anywhere, and an arrow key changed the category unseen."""
    from .stateful import retype
    from .test_guided_numbers import open_wizard, press_next

    wizard = open_wizard(qtbot, window)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard, timeout=2000)
    retype(wizard.customer_page.name, "Adatum Devs")
    press_next(wizard)
    category = wizard.product.category
    qtbot.waitUntil(category.hasFocus, timeout=2000)
    qtbot.wait(20)
    focused = category.grab().toImage()
    wizard.product.users.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: not category.hasFocus())
    qtbot.wait(20)
    assert category.grab().toImage() != focused, "no focus mark on Product category"


def test_ctrl_page_down_turns_the_editors_tabs_from_a_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    """With the cursor in Title, Ctrl+PgDown did nothing (Qt turns the tabs only from the
    tab bar): the rep had to Shift+Tab back to the tabs first."""
    window.show()
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    editor = open_quote_editor(window, row.id)
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor, timeout=2000)
    tabs = editor.editor.tabs
    terms = editor.editor.findChild(QWidget, "terms_page")
    assert terms is not None
    title = next(w for w in terms.findChildren(QLineEdit) if w.isVisibleTo(terms))
    title.setFocus()
    qtbot.waitUntil(title.hasFocus)
    QTest.keyClick(title, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == 1  # Components
    QTest.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier
    )
    assert tabs.currentIndex() == 0
    QTest.keyClick(
        QApplication.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier
    )
    assert tabs.currentIndex() == tabs.count() - 1  # round to the last (Preview)
    editor.editor.mark_saved()
    editor.close()


def test_a_window_saved_at_200_percent_keeps_its_share_of_the_screen_at_100(
    qtbot: QtBot,
) -> None:
    """The rep's laptop at 200 % saved the main window as 683x384 (the whole 1366x768
    screen); back at 100 % it opened in a quarter of the screen, and the editor and the
    guided flow too. The size is kept with its scale and read back in today's pixels."""
    from PySide6.QtCore import QPoint, QRect, QSettings, QSize

    from quote_builder.ui import geometry

    screen = QApplication.primaryScreen()
    assert screen is not None
    available = screen.availableGeometry()
    scale = screen.devicePixelRatio()
    saved = QRect(QPoint(0, 0), QSize(available.width() // 3, available.height() // 3))
    settings = QSettings()
    settings.setValue("scaled/rect", saved)
    settings.setValue("scaled/scale", scale * 2)
    widget = QWidget()
    qtbot.addWidget(widget)
    geometry.restore(widget, "scaled", QSize(100, 100))
    assert widget.size() == QSize(saved.width() * 2, saved.height() * 2)
    # Saved by an earlier version (no scale) or at today's scale: as it was.
    settings.remove("scaled/scale")
    geometry.restore(widget, "scaled", QSize(100, 100))
    assert widget.size() == saved.size()
    widget.resize(saved.size())
    geometry.save(widget, "scaled")
    assert float(settings.value("scaled/scale")) == widget.devicePixelRatioF()
    geometry.restore(widget, "scaled", QSize(100, 100))
    assert widget.size() == saved.size()
