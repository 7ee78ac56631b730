"""The main window: navigation between Quotes, Customers, Catalog, Approvals and Settings,
the File, Edit, View and Help menus with their shortcuts (``shortcuts.py``), the database
it works on (open, new, recent, one app per database) and its size and place.

Pages are built when first shown, each from its own module, so the window appears before
the page modules (and the services, pydantic and SQLAlchemy behind them) are loaded; the
app shows the window while the database process is still opening the database and calls
:meth:`MainWindow.database_ready` when it is open (docs/architecture.md, "Start-up").
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFontMetrics, QMoveEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from quote_builder import db_location
from quote_builder.errors import UserFacingError
from quote_builder.services.workspace import Workspace

from . import accessibility, geometry, recent
from . import shortcuts as keys
from .elided_label import ElidedLabel
from .empty_state import PAGE_TIPS
from .i18n import _, error_message, error_text
from .pages import PAGE_TITLES, Page
from .single_instance import InstanceServer, ask_running_instance

if TYPE_CHECKING:
    from quote_builder.services.core import Changes

PAGES: list[tuple[str, str]] = PAGE_TITLES
WATCH_INTERVAL_MS = 5000
"""How often the window looks whether another process wrote to the database."""
"""(key, title) of each page; ``quote_builder.ui.<key>_view.create_page`` builds it."""

WorkspaceOpener = Callable[[str, bool], Workspace]
"""Opens the database at a URL (``create``: make it if missing) and returns once it is
open; raises ``UserFacingError`` (``DatabaseMissingError`` for a file that is not there)."""

DEBUG_ENV = "QUOTE_BUILDER_DEBUG"
"""With ``QUOTE_BUILDER_DEBUG=1`` the Help menu can provoke an error and a crash."""


def open_hosted_workspace(url: str, create: bool) -> Workspace:
    """The app's opener: a database process for ``url``, waited for."""
    from quote_builder.services.workspace import start_hosted_workspace

    workspace = start_hosted_workspace(url, create=create)
    try:
        workspace.host.wait_ready()
    except BaseException:
        workspace.close()
        raise
    return workspace


class _Pages(Mapping[str, Page]):
    """The window's pages by key; a page is built the first time it is asked for."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def __getitem__(self, key: str) -> Page:
        return self._window._page(key)

    def __iter__(self) -> Iterator[str]:
        return iter(k for k, _t in PAGES)

    def __len__(self) -> int:
        return len(PAGES)


def empty_database_question(path: object) -> str:
    """What the app asks about a database file that is empty (0 bytes): at start-up and
    when it is opened from the File menu."""
    return _(
        "{path} is an empty file (0 bytes), not a database: if it held your data, that was "
        "lost before Quote Builder opened it (keep the file and restore a backup).\n\n"
        "Make a new, empty database in it?"
    ).format(path=path)


RECENT_ENTRY_CHARS = 70
"""The widest a File → Recent Databases entry gets, in average characters (at most half
the screen): a longer path is elided in its middle (``recent_entry_text``)."""


def recent_entry_text(number: int, location: str, metrics: QFontMetrics, width: int) -> str:
    """A recent database's menu entry: ``&1`` to ``&9`` (the key that picks it while the
    menu is open), then its path no wider than ``width`` pixels: the folders elided in
    the middle, the file's name kept whole ("/home/ana/…/2026 quotes/sales.db"), an
    ``&`` in the path shown as one (not taken for a key). The whole path is the entry's
    tooltip and status tip."""
    cut = max(location.rfind("/"), location.rfind("\\"))
    folder, name = location[: cut + 1], location[cut + 1 :]
    shown = location
    if metrics.horizontalAdvance(location) > width:
        room = width - metrics.horizontalAdvance(name)
        if room >= metrics.horizontalAdvance("…" + folder[:1] + folder[-1:]):
            shown = metrics.elidedText(folder, Qt.TextElideMode.ElideMiddle, room) + name
        else:  # a very long file name: keep its start and end
            shown = metrics.elidedText(
                "…" + folder[-1:] + name if folder else name, Qt.TextElideMode.ElideMiddle, width
            )
    shown = shown.replace("&", "&&")
    return f"&{number} {shown}" if number <= 9 else shown


class MainWindow(QMainWindow):
    changed = Signal(object)
    """Emitted with a services ``Changes`` record after any use case; pages refresh from it."""
    database_changed = Signal()
    """Another database was opened (File → Open database…); everything was rebuilt."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        ready: bool = True,
        opener: WorkspaceOpener = open_hosted_workspace,
        instance: InstanceServer | None = None,
    ) -> None:
        """``ready=False``: the database is still opening; pages are built once
        :meth:`database_ready` is called (the app's start-up)."""
        super().__init__()
        self.workspace = workspace
        self.opener = opener
        self.instance = instance
        self.ready = False
        self.editors: dict[int, QWidget] = {}
        """Open quote editor windows by quote id."""
        self.pages: Mapping[str, Page] = _Pages(self)
        self._built: dict[str, Page] = {}
        self._holders: dict[str, QScrollArea] = {}
        """The scroll area each built page is shown in (the stack's widgets)."""
        self._nav = QListWidget()
        self._nav.setObjectName("navigation")
        self._nav.setAccessibleName(_("Pages"))
        self._nav.setMinimumWidth(140)
        self._nav.setMaximumWidth(220)
        self._stack = QStackedWidget()
        self._placeholders: dict[str, QWidget] = {}
        for key, title in PAGES:
            placeholder = QLabel(_("Opening the database…"))
            placeholder.setObjectName(f"placeholder_{key}")
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._placeholders[key] = placeholder
            self._stack.addWidget(placeholder)
            item = QListWidgetItem(_(title))
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(_(PAGE_TIPS[key]))
            self._nav.addItem(item)
        self._nav.currentRowChanged.connect(self._row_changed)
        splitter = QSplitter()
        splitter.addWidget(self._nav)
        splitter.addWidget(self._stack)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 1100])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self.changed.connect(self._broadcast)
        self.stopping = False
        """Asked to stop (SIGTERM): windows close without asking (``app._quit_on_terminate``)."""
        self._marker: int | None = None
        """The database's change marker at the last look (services.watch)."""
        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(WATCH_INTERVAL_MS)
        self._watch_timer.timeout.connect(self.look_for_changes)
        # Who acts and where the database is; a long path is shortened in its middle (the
        # whole in the tooltip), never widening the window past the screen.
        self._where = ElidedLabel(Qt.TextElideMode.ElideMiddle)
        self._where.setObjectName("database_location")
        self.statusBar().addPermanentWidget(self._where)
        self._build_actions()
        self._update_title()
        geometry.restore(self, "main", QSize(1280, 800))
        last = QSettings().value("main/page", "quotes")
        page_keys = [k for k, _t in PAGES]
        self._nav.setCurrentRow(page_keys.index(last) if last in page_keys else 0)
        if self.instance is not None:
            self.instance.activated.connect(self.bring_to_front)
        # Every input gets an accessible name (pages are built later: again when shown).
        accessibility.name_inputs(self)
        self._nav.currentRowChanged.connect(self._name_page_inputs)
        if ready:
            self.database_ready()

    def _name_page_inputs(self, _row: int) -> None:
        page = self._stack.currentWidget()
        if page is not None:
            accessibility.name_inputs(page)

    # --- pages ---------------------------------------------------------------------------

    def _page(self, key: str) -> Page:
        """The page of ``key``, built now if it was not yet."""
        page = self._built.get(key)
        if page is not None:
            return page
        module = importlib.import_module(f"quote_builder.ui.{key}_view")
        page = module.create_page(self.workspace, self)
        assert isinstance(page, Page)
        self._built[key] = page
        accessibility.name_inputs(page)
        # The page scrolls inside the window: its minimum size (a plan's form, a customer's
        # details) would otherwise become the window's and push it past a laptop's screen
        # (the buttons at the bottom and the status bar out of reach).
        holder = QScrollArea()
        holder.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop nobody sees
        holder.setObjectName(f"page_{key}")
        holder.setWidgetResizable(True)
        holder.setFrameShape(QFrame.Shape.NoFrame)
        holder.setWidget(page)
        self._holders[key] = holder
        placeholder = self._placeholders[key]
        index = self._stack.indexOf(placeholder)
        current = self._stack.currentIndex() == index
        self._stack.insertWidget(index, holder)
        if current:
            self._stack.setCurrentIndex(index)
        self._stack.removeWidget(placeholder)
        return page

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        key = PAGES[row][0]
        if self.ready:
            try:
                self._page(key)
            except UserFacingError as exc:  # e.g. a settings row edited by hand: say which
                placeholder = self._placeholders[key]
                if isinstance(placeholder, QLabel):
                    placeholder.setWordWrap(True)
                    placeholder.setText(error_message(exc))
                self._stack.setCurrentWidget(placeholder)
                QMessageBox.warning(self, "Quote Builder", error_message(exc))
                return  # not remembered: the next start opens on a page that can be shown
        widget = self._holders.get(key) or self._placeholders[key]
        self._stack.setCurrentWidget(widget)
        # Remembered as it is shown, not only on a normal close: after a crash the next
        # start opened on the page of the last run that closed (Settings), not this one.
        QSettings().setValue("main/page", key)

    def current_page_module(self) -> str:
        """The module that builds the page on screen (loaded ahead by the app's start)."""
        return f"quote_builder.ui.{PAGES[max(0, self._nav.currentRow())][0]}_view"

    def built_pages(self) -> list[Page]:
        """The pages built so far (the others have nothing to refresh or save)."""
        return list(self._built.values())

    def current_page(self) -> Page:
        key = PAGES[max(0, self._nav.currentRow())][0]
        return self._page(key)

    def show_page(self, key: str) -> Page:
        row = [k for k, _t in PAGES].index(key)
        self._nav.setCurrentRow(row)
        return self._page(key)

    def database_ready(self) -> None:
        """The database is open: build the page on screen and enable what needs it."""
        self.ready = True
        self.look_for_changes()  # the first marker
        self._watch_timer.start()
        self._update_title()
        self._row_changed(self._nav.currentRow())
        for action in self._needs_database:
            action.setEnabled(True)

    # --- actions -------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        tip: str,
        shortcut_id: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut_id is not None:
            keys.bind(action, shortcut_id)
            tip = f"{tip} ({keys.SHORTCUTS[shortcut_id].text()})"
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        self.new_quote_action = self._action(
            _("&New Quote…"),
            self.new_quote,
            _("Start a new quote with the guided flow"),
            "main.new_quote",
        )
        file_menu.addAction(self.new_quote_action)
        self.import_quote_action = self._action(
            _("&Import Quote…"),
            lambda: self.import_quote(),
            _("A quote file (JSON) becomes a new quote; a number already taken gets the next one"),
        )
        file_menu.addAction(self.import_quote_action)
        file_menu.addSeparator()
        self.open_database_action = self._action(
            _("&Open Database…"),
            self.choose_database,
            _("Open another Quote Builder database file"),
            "main.open_database",
        )
        self.new_database_action = self._action(
            _("New &Database…"), self.choose_new_database, _("Create a new, empty database file")
        )
        self.recent_menu = QMenu(_("&Recent Databases"), self)
        self.recent_menu.setObjectName("recent_menu")
        self.recent_menu.setToolTipsVisible(True)  # the whole path of an elided entry
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.open_database_action)
        file_menu.addAction(self.new_database_action)
        file_menu.addMenu(self.recent_menu)
        self._fill_recent_menu()
        file_menu.addSeparator()
        self.quit_action = self._action(
            _("&Quit"), self.close, _("Quit Quote Builder"), "main.quit"
        )
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu(_("&Edit"))
        self.find_action = self._action(
            _("&Find"), self.focus_search, _("Search the current list"), "main.find"
        )
        edit_menu.addAction(self.find_action)

        view_menu = bar.addMenu(_("&View"))
        for row, (key, title) in enumerate(PAGES):
            view_menu.addAction(
                self._action(
                    _(title),
                    partial(self._nav.setCurrentRow, row),
                    _("Show {page}").format(page=_(title)),
                    f"main.page.{key}",
                )
            )

        help_menu = bar.addMenu(_("&Help"))
        self.user_guide_action = self._action(
            _("&User Guide"),
            self.show_user_guide,
            _("Read how to use Quote Builder"),
            "main.user_guide",
        )
        self.shortcuts_action = self._action(
            _("&Keyboard Shortcuts"),
            self.show_shortcuts,
            _("Every keyboard shortcut of the app"),
            "main.shortcuts",
        )
        self.log_folder_action = self._action(
            _("Open &Log Folder"),
            self.open_log_folder,
            _("Show the folder holding the log file and crash reports"),
        )
        self.about_action = self._action(
            _("&About Quote Builder"),
            self.show_about,
            _("The version, the database in use and the licences"),
        )
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        for action in (self.user_guide_action, self.shortcuts_action, self.log_folder_action):
            help_menu.addAction(action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        if os.environ.get(DEBUG_ENV):
            help_menu.addSeparator()
            self.debug_error_action = self._action(
                _("Debug: Raise an Error"), self._debug_raise, _("Provoke an uncaught exception")
            )
            self.debug_crash_action = self._action(
                _("Debug: Crash the App"), self._debug_crash, _("Provoke a fatal error (segfault)")
            )
            help_menu.addAction(self.debug_error_action)
            help_menu.addAction(self.debug_crash_action)
        self._needs_database = [
            self.new_quote_action,
            self.find_action,
            self.open_database_action,
            self.new_database_action,
        ]
        for action in self._needs_database:
            action.setEnabled(False)

    def new_quote(self) -> None:
        """Ctrl+N: the guided flow for a new quote."""
        from .wizard import start_guided_quote

        start_guided_quote(self)

    def import_quote(self, path: Path | None = None) -> None:
        """File > Import Quote…: a quote file becomes a new quote (as `quotes import`); when
        its number is taken it gets the next free one, and the app says so."""
        from quote_builder.safe_files import read_limited
        from quote_builder.services import transfer

        from .service_words import text

        if path is None:
            name, _filter = QFileDialog.getOpenFileName(
                self, _("Import a quote file"), "", _("JSON (*.json)")
            )
            if not name:
                return
            path = Path(name)
        try:
            outcome = self.workspace.run(
                transfer.import_quote_json,
                read_limited(path, transfer.MAX_IMPORT_BYTES, what="quote file"),
                actor=self.workspace.user,
                source=path.name,
            )
        except (UserFacingError, OSError) as exc:
            QMessageBox.warning(self, _("Not imported"), error_message(exc))
            return
        imported = outcome.value
        self.changed.emit(outcome.changes)
        said = text(imported.sentence())
        if imported.taken_number:
            QMessageBox.information(self, _("Imported as a new quote"), said + ".")
        else:
            self.statusBar().showMessage(said, 6000)
        self.open_quote(imported.row.id)

    def open_quote(self, quote_id: int) -> None:
        """Open a saved quote in the quote editor."""
        from .quote_editor import open_quote_editor

        try:
            open_quote_editor(self, quote_id)
        except UserFacingError as exc:  # a saved version that cannot be read (edited by hand)
            QMessageBox.warning(self, "Quote Builder", error_message(exc))

    def focus_search(self) -> None:
        self.current_page().focus_search()

    def look_for_changes(self) -> None:
        """Whether another process wrote to the database since the last look (the
        command line, a script, a colleague on a shared database): if so, the lists and
        open editors read again (Changes.elsewhere). Asked when the window is activated
        and every few seconds; the marker is cheap (services.watch)."""
        if not self.ready:
            # Before the database is ready (the window is activated as it is shown):
            # nothing to compare, and nothing of the services may be imported yet.
            return
        from . import background

        if background.active():
            # The database process is busy with a long call (a signed file checked): asking
            # now would wait for it on the window's thread. The next look asks.
            return
        from quote_builder.services import watch
        from quote_builder.services.core import Changes

        try:
            marker = self.workspace.run(watch.change_marker)
        except UserFacingError:
            return  # unreachable for a moment: the next look tries again
        before, self._marker = self._marker, marker
        if before is not None and marker != before:
            self.changed.emit(Changes(elsewhere=True))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.look_for_changes()
        super().changeEvent(event)

    def _broadcast(self, changes: Changes) -> None:
        if not changes.elsewhere and self.ready:
            # The app's own write moved the marker: not a change from elsewhere.
            self._marker = None
            QTimer.singleShot(0, self.look_for_changes)
        for page in self.built_pages():
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
            _("An empty database"),
            _(
                "This database has no customers or plans yet.\n\nAdd demo data: a catalog plan for each of "
                "the nine AI product categories, five customers and their quotes?"
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            outcome = self.workspace.run(seed_demo, actor=self.workspace.user)
            self.changed.emit(outcome.changes)

    def keep_drafts(self) -> int:
        """Write every open editor's unsaved changes to its draft now (before a crash
        report, so that nothing typed is lost whatever happens next). Returns how many
        editors had unsaved changes kept."""
        kept = 0
        for editor in list(self.editors.values()):
            autosave = getattr(editor, "autosave_draft", None)
            modified = getattr(getattr(editor, "editor", None), "is_modified", None)
            if autosave is None:
                continue
            try:
                autosave()
            except Exception:  # one editor's failure must not stop the others
                continue
            if modified is not None and modified():
                kept += 1
        return kept

    def bring_to_front(self) -> None:
        """Another start on this database asked for this window."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()
        self.statusBar().showMessage(
            _("Quote Builder was started again on this database: this window is it."), 8000
        )

    # --- Help ----------------------------------------------------------------------------

    def show_about(self) -> None:
        from .help import AboutDialog

        AboutDialog(self).exec()

    def show_shortcuts(self) -> None:
        from .help import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def show_user_guide(self) -> None:
        from .help import UserGuideDialog

        dialog = UserGuideDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def open_log_folder(self) -> None:
        from quote_builder.app_dirs import log_dir
        from quote_builder.safe_files import make_private_folder

        from . import crash

        try:
            folder = make_private_folder(log_dir())
        except UserFacingError as exc:
            QMessageBox.warning(self, "Quote Builder", error_message(exc))
            return
        if not crash.open_folder(folder):
            from .desktop_open import warn_copyable

            warn_copyable(
                self,
                _("Log folder not opened"),
                _("No program opened the log folder; it is {folder}.").format(folder=folder),
            )

    def _debug_raise(self) -> None:
        raise RuntimeError("a test error provoked from Help → Debug: Raise an Error")

    def _debug_crash(self) -> None:
        import faulthandler

        faulthandler._sigsegv()  # type: ignore[attr-defined]

    # --- the database --------------------------------------------------------------------

    def _update_title(self) -> None:
        """The title names the database; the status bar says where it is and who acts."""
        name = db_location.short_name(self.workspace.open_url)
        self.setWindowTitle(_("{name} — Quote Builder").format(name=name))
        self.setWindowFilePath(self.workspace.location)
        self._where.setText(f"{self.workspace.user} · {self.workspace.location}")

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        current = db_location.identity_key(self.workspace.open_url)
        entries = [u for u in recent.load() if db_location.identity_key(u) != current]
        metrics = self.recent_menu.fontMetrics()
        screen = self.screen().availableGeometry().width() if self.screen() else 1366
        width = min(metrics.averageCharWidth() * RECENT_ENTRY_CHARS, screen // 2)
        for number, url in enumerate(entries, start=1):
            where = db_location.location_label(url)
            action = self.recent_menu.addAction(recent_entry_text(number, where, metrics, width))
            tip = _("Open {database}").format(database=where)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(partial(self.open_recent, url))
        if not entries:
            empty = self.recent_menu.addAction(_("(none yet)"))
            empty.setEnabled(False)

    def open_recent(self, url: str) -> bool:
        from quote_builder.store.database import DatabaseMissingError

        try:
            return self.switch_database(url, create=False, missing_is_error=True)
        except DatabaseMissingError as exc:
            recent.forget(url)
            QMessageBox.warning(
                self,
                "Quote Builder",
                _(
                    "{path} is not there any more (moved or deleted); it was taken off the list of recent databases."
                ).format(path=exc.path),
            )
            return False

    def _dialog_folder(self) -> str:
        path = db_location.sqlite_file(self.workspace.open_url)
        return str(path.parent) if path is not None else os.path.expanduser("~")

    def choose_database(self) -> bool:
        """File → Open Database…: a database file chosen in a dialog."""
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Open a Quote Builder database"),
            self._dialog_folder(),
            _("Quote Builder databases (*.db *.sqlite *.sqlite3);;All files (*)"),
        )
        if not chosen:
            return False
        return self.switch_database(db_location.resolve_url(chosen), create=False)

    def choose_new_database(self) -> bool:
        """File → New Database…: a new, empty database file (demo data offered)."""
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            _("New Quote Builder database"),
            os.path.join(self._dialog_folder(), "quotes.db"),
            _("Quote Builder databases (*.db)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not chosen:
            return False
        if not os.path.splitext(chosen)[1]:
            chosen += ".db"
        if os.path.exists(chosen):
            QMessageBox.warning(
                self,
                "Quote Builder",
                _(
                    "{chosen} already exists and was not touched. Open Database… opens it; for a new database choose a name that is not taken."
                ).format(chosen=chosen),
            )
            return False
        if not self.switch_database(db_location.resolve_url(chosen), create=True):
            return False
        QTimer.singleShot(0, self.offer_demo_data_if_empty)
        return True

    def _close_everything(self) -> bool:
        """Close the editors and let the pages save (each asks about unsaved changes).
        False when the user chose to stay."""
        for editor in list(self.editors.values()):
            if not editor.close():
                return False
        return all(page.can_close() for page in self.built_pages())

    def switch_database(self, url: str, *, create: bool, missing_is_error: bool = False) -> bool:
        """Work on the database at ``url`` from now on: unsaved changes are asked about
        first, a database another app has open brings that app to the front instead, and
        a database that cannot be opened leaves everything as it was (with a sentence
        saying why). ``missing_is_error``: let ``DatabaseMissingError`` through (the
        recent list removes the entry)."""
        from quote_builder.store.database import DatabaseEmptyError, DatabaseMissingError

        key = db_location.identity_key(url)
        if key == db_location.identity_key(self.workspace.open_url):
            self.statusBar().showMessage(
                _("{database} is already open.").format(database=db_location.location_label(url)),
                8000,
            )
            return True
        if any(ask_running_instance(k) for k in db_location.identity_keys(url)):
            QMessageBox.information(
                self,
                "Quote Builder",
                _(
                    "{database} is open in another Quote Builder window; that window was brought to the front."
                ).format(database=db_location.location_label(url)),
            )
            return False
        if not self._close_everything():
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self.statusBar().showMessage(
            _("Opening {database}…").format(database=db_location.location_label(url))
        )
        try:
            workspace = self.opener(url, create)
        except DatabaseEmptyError as exc:  # there but empty: never "not there", nor forgotten
            QApplication.restoreOverrideCursor()  # no busy cursor over the question
            self.statusBar().clearMessage()
            answer = QMessageBox.question(
                self,
                _("Create a database?"),
                empty_database_question(exc.path),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # the finally's pair
            if answer != QMessageBox.StandardButton.Yes:
                return False
            return self.switch_database(url, create=True)
        except DatabaseMissingError:
            if missing_is_error:
                raise
            QMessageBox.warning(
                self,
                "Quote Builder",
                _("{database} does not exist.").format(database=db_location.location_label(url)),
            )
            return False
        except UserFacingError as exc:
            self._cannot_open(url, exc)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        old = self.workspace
        self.workspace = workspace
        for key_, holder in list(self._holders.items()):
            index = self._stack.indexOf(holder)
            self._stack.insertWidget(index, self._placeholders[key_])
            self._stack.removeWidget(holder)
            holder.deleteLater()  # and the page it holds
        self._built.clear()
        self._holders.clear()
        if self.instance is not None:
            # Now the file exists: a database just created is known by its identity too.
            self.instance.claim(db_location.identity_keys(url))
        old.close()
        self.remember_database()
        self.database_ready()
        self.statusBar().showMessage(
            _("Opened {database}.").format(database=db_location.location_label(url)), 8000
        )
        self.database_changed.emit()
        return True

    def _cannot_open(self, url: str, exc: UserFacingError) -> None:
        label = db_location.location_label(url)
        error = error_text(exc)
        QMessageBox.critical(
            self,
            _("Cannot open the database"),
            # The database is named once: most reasons already start with it.
            (
                _("{error}\n\nThe database open before stays open.").format(error=error)
                if label in error
                else _("{database}: {error}\n\nThe database open before stays open.").format(
                    database=label, error=error
                )
            ),
        )
        self.statusBar().clearMessage()

    def remember_database(self) -> None:
        """Put the open database first in File → Recent Databases."""
        try:
            recent.remember(self.workspace.open_url)
        except UserFacingError as exc:  # a convenience: say so, go on
            self.statusBar().showMessage(
                _("The recent list could not be saved: {error}").format(error=error_text(exc)),
                10000,
            )

    # --- state -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        geometry.fit_when_shown(self)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        geometry.keep_on_screen(self, event.oldSize())
        geometry.save_when_settled(self, "main")

    def moveEvent(self, event: QMoveEvent) -> None:  # noqa: N802 (Qt's name)
        super().moveEvent(event)
        geometry.save_when_settled(self, "main")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        for editor in list(self.editors.values()):
            if not editor.close():  # asks about unsaved changes
                event.ignore()
                return
        for page in self.built_pages():
            if not self.stopping and not page.can_close():
                event.ignore()
                return
        geometry.save(self, "main")
        QSettings().setValue("main/page", PAGES[max(0, self._nav.currentRow())][0])
        super().closeEvent(event)


__all__ = ["MainWindow", "QWidget", "open_hosted_workspace"]
