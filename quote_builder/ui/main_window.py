"""The main window: navigation between Quotes, Customers, Catalog and Settings, the
standard actions and shortcuts, and window state kept in QSettings."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from quote_builder.services.core import Changes
from quote_builder.services.workspace import Workspace

from . import (
    accessibility,
    approvals_view,
    catalog_view,
    customers_view,
    quotes_view,
    settings_view,
)
from .empty_state import PAGE_TIPS
from .pages import Page

PAGES: list[tuple[str, str, Callable[[Workspace, MainWindow], Page]]] = [
    ("quotes", "Quotes", quotes_view.create_page),
    ("customers", "Customers", customers_view.create_page),
    ("catalog", "Catalog", catalog_view.create_page),
    ("approvals", "Approvals", approvals_view.create_page),
    ("settings", "Settings", settings_view.create_page),
]


class MainWindow(QMainWindow):
    changed = Signal(object)
    """Emitted with a services ``Changes`` record after any use case; pages refresh from it."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.editors: dict[int, QWidget] = {}
        """Open quote editor windows by quote id."""
        self.setWindowTitle(f"Quote Builder — {workspace.location}")
        self.resize(1280, 800)
        self._nav = QListWidget()
        self._nav.setObjectName("navigation")
        self._nav.setAccessibleName("Pages")
        self._nav.setMinimumWidth(140)
        self._nav.setMaximumWidth(220)
        self._stack = QStackedWidget()
        self.pages: dict[str, Page] = {}
        for key, title, factory in PAGES:
            page = factory(workspace, self)
            self.pages[key] = page
            self._stack.addWidget(page)
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(PAGE_TIPS.get(key, ""))
            self._nav.addItem(item)
        self._nav.currentRowChanged.connect(self._stack.setCurrentIndex)
        splitter = QSplitter()
        splitter.addWidget(self._nav)
        splitter.addWidget(self._stack)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 1100])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self.changed.connect(self._broadcast)
        self._build_actions()
        self._restore_state()
        # Every input gets an accessible name (pages fill some of theirs later: again on show).
        accessibility.name_inputs(self)
        self._nav.currentRowChanged.connect(self._name_page_inputs)

    def _name_page_inputs(self, _row: int) -> None:
        page = self._stack.currentWidget()
        if page is not None:
            accessibility.name_inputs(page)

    # --- actions -------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str,
        slot: Callable[[], object],
        tip: str,
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_quote_action = self._action(
            "&New Quote…",
            QKeySequence.StandardKey.New,
            self.new_quote,
            "Start a new quote with the guided flow (Ctrl+N)",
        )
        self.find_action = self._action(
            "&Find",
            QKeySequence.StandardKey.Find,
            self.focus_search,
            "Search the current list (Ctrl+F)",
        )
        file_menu.addAction(self.new_quote_action)
        file_menu.addSeparator()
        quit_action = self._action(
            "&Quit", QKeySequence.StandardKey.Quit, self.close, "Quit Quote Builder"
        )
        file_menu.addAction(quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.find_action)
        view_menu = self.menuBar().addMenu("&View")
        for row, (_key, title, _factory) in enumerate(PAGES):
            action = self._action(
                title,
                f"Ctrl+{row + 1}",
                partial(self._nav.setCurrentRow, row),
                f"Show {title.lower()} (Ctrl+{row + 1})",
            )
            view_menu.addAction(action)
        self.statusBar().showMessage(f"{self.workspace.user} · {self.workspace.location}")

    def current_page(self) -> Page:
        widget = self._stack.currentWidget()
        assert isinstance(widget, Page)
        return widget

    def show_page(self, key: str) -> Page:
        row = [k for k, _t, _f in PAGES].index(key)
        self._nav.setCurrentRow(row)
        return self.pages[key]

    def new_quote(self) -> None:
        """Ctrl+N: the guided flow for a new quote."""
        from .wizard import start_guided_quote

        start_guided_quote(self)

    def open_quote(self, quote_id: int) -> None:
        """Open a saved quote in the quote editor."""
        from .quote_editor import open_quote_editor

        open_quote_editor(self, quote_id)

    def focus_search(self) -> None:
        self.current_page().focus_search()

    def _broadcast(self, changes: Changes) -> None:
        for page in self.pages.values():
            page.refresh(changes)
        for editor in list(self.editors.values()):
            refresh = getattr(editor, "refresh_from", None)
            if refresh is not None:
                refresh(changes)

    def offer_demo_data_if_empty(self) -> None:
        from quote_builder.services.demo import is_empty, seed_demo

        if not self.workspace.run(is_empty):
            return
        answer = QMessageBox.question(
            self,
            "An empty database",
            "This database has no customers or plans yet.\n\nAdd demo data: a catalog plan for each of "
            "the nine AI product categories, five customers and their quotes?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            outcome = self.workspace.run(seed_demo, actor=self.workspace.user)
            self.changed.emit(outcome.changes)

    # --- state -----------------------------------------------------------------------------

    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        last = settings.value("main/page", "quotes")
        keys = [k for k, _t, _f in PAGES]
        self._nav.setCurrentRow(keys.index(last) if last in keys else 0)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        for editor in list(self.editors.values()):
            if not editor.close():  # asks about unsaved changes
                event.ignore()
                return
        for page in self.pages.values():
            if not page.can_close():
                event.ignore()
                return
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/page", [k for k, _t, _f in PAGES][self._nav.currentRow()])
        super().closeEvent(event)


__all__ = ["MainWindow", "QWidget"]
