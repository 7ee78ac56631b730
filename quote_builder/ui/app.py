"""Starting the desktop app: ``quote-builder`` (no command) or ``quote-builder gui``.

The start-up, in order (docs/architecture.md, "Start-up"):

1. the log file and the fault log (``diagnostics``); reports of a hard crash last time;
2. the database process is started (it opens, and if needed upgrades, the database while
   this process goes on: ``services/host.py``);
3. QApplication; one app per database: if another app has this database open it is asked
   to come to the front and this start ends (``single_instance.py``);
4. the crash handler (``crash.py``), then the main window is shown at once, its pages not
   yet built: nothing of the services, pydantic or SQLAlchemy is loaded before it shows;
5. a timer polls the database process; when the database is open the current page is
   built and filled, the recent list updated, a hard crash's report and demo data offered.

The window never blocks on the database to appear, and this process never opens the
database (``services/host.py`` says why).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

PROCESS_START = time.perf_counter()

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from quote_builder.services.workspace import HostedWorkspace

    from .crash import CrashHandler
    from .main_window import MainWindow
    from .single_instance import InstanceServer

log = logging.getLogger("quote_builder.app")

POLL_MS = 10


def preload_qt() -> None:
    """Load Qt's libraries (no window, no platform plugin yet): the launcher does this
    while it checks the display (``display_check``)."""
    from PySide6 import QtCore, QtGui, QtWidgets  # noqa: F401


def _preload(module: str) -> None:
    """The first page's module, then the quote format's models that are built on first use
    (``pricing.quote_format.build_models``, about 20 ms): here rather than at a first edit
    on the window's thread."""
    import importlib

    importlib.import_module(module)
    from quote_builder.pricing.quote_format import build_models

    build_models()


class Startup:
    """Waits for the database process without blocking the window, then makes the
    window ready. ``ok`` is None while waiting, then True or False (the user was told
    why; the window is closed); ``status`` is then the exit status the command line gives
    for the same database (README: "Exit status": 2 for a --db that does not exist, 3 for
    one that cannot be used)."""

    def __init__(
        self, window: MainWindow, workspace: HostedWorkspace, on_done: Callable[[bool], object]
    ) -> None:
        from PySide6.QtCore import QTimer

        self.window = window
        self.workspace = workspace
        self.on_done = on_done
        self.ok: bool | None = None
        self.status = 2  # a start that ended without saying why: bad input, as before
        self.timer = QTimer(window)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._poll)

    def start(self) -> None:
        """Start the database process (if not yet) and, while it opens the database, load
        the first page's module in a thread: both take about a second, and they run side
        by side instead of one after the other."""
        import threading

        self.workspace.host.start()
        module = self.window.current_page_module()
        threading.Thread(target=_preload, args=(module,), name="preload-page", daemon=True).start()
        self.timer.start()

    def wait(self) -> bool:
        """Run the event loop until the database is open (or failed to open)."""
        from PySide6.QtCore import QEventLoop

        self.start()
        loop = QEventLoop()
        while self.ok is None:
            loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        return self.ok

    def _poll(self) -> None:
        if not self.workspace.host.poll_ready():
            return
        self.timer.stop()
        from PySide6.QtWidgets import QMessageBox

        from quote_builder.errors import (
            EXIT_BAD_INPUT,
            UserFacingError,
            exit_status,
            sentence_start,
        )
        from quote_builder.services.host import DatabaseHost
        from quote_builder.store.database import DatabaseEmptyError, DatabaseMissingError

        from .i18n import _, error_message

        try:
            self.workspace.host.wait_ready()
        except DatabaseMissingError as exc:
            from .main_window import empty_database_question

            question = (
                empty_database_question(exc.path)
                if isinstance(exc, DatabaseEmptyError)
                else _("{path} does not exist.\n\nCreate a new, empty database there?").format(
                    path=exc.path
                )
            )
            answer = QMessageBox.question(
                self.window,
                _("Create a database?"),
                question,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.workspace.host = DatabaseHost(self.workspace.open_url, create=True)
                self.workspace.host.start()
                self.timer.start()
                return
            # the terminal the app was started from says why it ended (status 2), as the
            # command line does for the same --db
            print(f"Quote Builder: {exc}", file=sys.stderr, flush=True)
            self.status = EXIT_BAD_INPUT
            self._finish(False)
            return
        except UserFacingError as exc:
            QMessageBox.critical(self.window, _("Cannot open the database"), error_message(exc))
            # Said once: the database layer's own sentences already start with "cannot
            # open the database ..." ("... cannot open the database: cannot open ...").
            said = sentence_start(exc)
            if not said.startswith("Cannot open the database"):
                said = f"cannot open the database: {exc}"
            print(f"Quote Builder {said[:1].lower()}{said[1:]}", file=sys.stderr, flush=True)
            self.status = exit_status(exc)
            self._finish(False)
            return
        log.info("database open after %.3f s", time.perf_counter() - PROCESS_START)
        if self.window.instance is not None:  # a database just created: its identity now
            from quote_builder.db_location import identity_key

            self.window.instance.also(identity_key(self.workspace.open_url))
        self.window.database_ready()
        self.window.remember_database()
        self._finish(True)

    def _finish(self, ok: bool) -> None:
        self.ok = ok
        if not ok:
            self.window.close()
        self.on_done(ok)


QT_PLUGIN_NOISE = (
    # what Qt says whenever the xcb plugin fails, whatever the cause: not the reason
    "xcb-cursor0 or libxcb-cursor0 is needed",
    "Could not load the Qt platform plugin",
    "no Qt platform plugin could be initialized",
)


def text_start_instead(
    db_url: str | None, create: bool, reason: str, before: Callable[[], None] | None = None
) -> None:
    """Say in one sentence that the window cannot open, then become the command line's
    text start on the same database (``os.execv``: a new program in this process, nothing
    of Qt left). For what the launcher's checks could not foresee (``display_check``): Qt
    would otherwise abort the process with a paragraph about plugins (status 134)."""
    print(
        f"Quote Builder cannot open its window: {reason}. Starting the text version instead.",
        file=sys.stderr,
        flush=True,
    )
    log.error("the window cannot open (%s): starting the text version instead", reason)
    if before is not None:
        before()
    args = [*(["--create"] if create else []), *(["--db", db_url] if db_url else [])]
    if getattr(sys, "frozen", False):  # the standalone build: the program itself
        command = [sys.executable, *args]
    else:
        command = [sys.executable, "-m", "quote_builder.launcher", *args]
    os.environ["QUOTE_BUILDER_NO_GUI"] = "1"
    sys.stdout.flush()
    os.execv(command[0], command)


def _qt_application(
    argv: Sequence[str], db_url: str | None, create: bool, before: Callable[[], None] | None
) -> QApplication:
    """QApplication, with Qt's fatal "no Qt platform plugin could be initialized" (a
    QT_QPA_PLATFORM naming a platform not installed, a library the plugin needs that is
    there but unusable) turned into one sentence and the text start (``text_start_instead``)
    instead of Qt's abort. Qt's warnings meanwhile go to the log."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    said: list[str] = []

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        if kind != QtMsgType.QtFatalMsg:
            said.append(message)
            log.warning("Qt: %s", message)
            return
        details = [m for m in said if not any(noise in m for noise in QT_PLUGIN_NOISE)]
        reason = "Qt could not start its window system plugin"
        if details:
            reason += f" ({'; '.join(' '.join(d.split()) for d in details)})"
        else:
            reason += " (QT_DEBUG_PLUGINS=1 shows why)"
        text_start_instead(db_url, create, reason, before)

    previous = qInstallMessageHandler(handler)
    try:
        app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    finally:
        qInstallMessageHandler(previous)
    assert isinstance(app, QApplication)
    return app


def _start(
    db_url: str | None,
    create: bool,
    argv: Sequence[str],
    before_text_start: Callable[[], None] | None = None,
) -> tuple[QApplication, MainWindow, Startup, InstanceServer] | int:
    """Steps 1-4 of the start-up. An exit code when the app should not go on.
    ``before_text_start`` runs before the process becomes the text start, when Qt cannot
    open a window after all (``_qt_application``)."""
    from quote_builder.db_location import (
        creates_by_default,
        identity_keys,
        location_label,
        resolve_url,
    )
    from quote_builder.errors import UserFacingError, exit_status

    try:
        url = resolve_url(db_url)
    except UserFacingError as exc:
        print(f"Quote Builder cannot start: {exc}", file=sys.stderr)
        _say_in_a_window(exc)
        return exit_status(exc)  # as the command line: 1 for a folder it cannot make
    from quote_builder.services.workspace import start_hosted_workspace

    # The database process starts once the window is shown (Startup.start): on a busy
    # machine its imports would otherwise compete with the window's for the processor.
    workspace = start_hosted_workspace(
        url, create=create or creates_by_default(db_url), start=False
    )

    app = _qt_application(argv, db_url, create, before_text_start)
    app.setApplicationName("Quote Builder")
    app.setOrganizationName("QuoteBuilder")
    from quote_builder.about import APP_ID

    from .icon import app_icon

    app.setWindowIcon(app_icon())  # every window's title bar and the taskbar
    app.setDesktopFileName(APP_ID)  # matches the .desktop entry (Wayland, task managers)
    from . import i18n

    # Before any widget is built: the language (Settings' choice, else the system's), our
    # catalog, Qt's own translations, and the locale numbers and dates are written in.
    i18n.install(app)
    app.setStyle(
        "Fusion"
    )  # one look on every platform; its palette follows the system's light/dark scheme

    from .single_instance import InstanceServer

    instance = InstanceServer()
    if not instance.claim(identity_keys(url)):
        workspace.close()
        print(
            i18n._(
                "Quote Builder is already open on {database}: its window was brought to the front."
            ).format(database=location_label(url)),
            flush=True,
        )
        return 0

    from .crash import CrashHandler, install
    from .main_window import MainWindow

    window = MainWindow(workspace, ready=False, instance=instance)
    handler = install(
        CrashHandler(
            keep_drafts=lambda: window.keep_drafts(),
            context=lambda: {"database": window.workspace.location},
            parent_window=lambda: window,
        )
    )
    window.crash_handler = handler  # type: ignore[attr-defined]
    window.show()
    startup = Startup(window, workspace, lambda ok: None)
    return app, window, startup, instance


def _say_in_a_window(exc: BaseException) -> None:
    """Why the app cannot start (the data folder cannot be made: a read-only home), in a
    dialog as well: started from the desktop's menu, a line on standard error was all, and
    nothing seemed to happen."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from . import i18n

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Quote Builder")
    app.setOrganizationName("QuoteBuilder")
    i18n.install(app)
    QMessageBox.critical(None, i18n._("Cannot open the database"), i18n.error_message(exc))


def open_main_window(
    db_url: str | None = None, *, create: bool = False, argv: Sequence[str] = ()
) -> tuple[QApplication, MainWindow] | None:
    """Start as the app does and wait until the database is open. None when it could not
    be opened (the user was told why) or another app has it."""
    started = _start(db_url, create, argv)
    if isinstance(started, int):
        return None
    app, window, startup, _instance = started
    if not startup.wait():
        window.workspace.close()
        return None
    return app, window


def _after_ready(window: MainWindow, handler: CrashHandler, reports: list[Path]) -> None:
    handler.offer_previous_crash(reports)
    window.offer_demo_data_if_empty()


def _quit_on_terminate(app: QApplication, window: MainWindow) -> None:
    """SIGTERM (a logout, a shutdown, ``kill``): keep the open quotes' unsaved changes as
    drafts and quit properly (the database process finishes what it does, the single-app
    socket is removed) instead of dying mid-way. Python runs signal handlers only when it
    gets control, so a timer gives it a turn five times a second."""
    import signal

    from PySide6.QtCore import QTimer

    def terminate(_signal: int, _frame: object) -> None:
        log.info("asked to stop (SIGTERM): keeping drafts and quitting")
        window.keep_drafts()
        # No question may hold the app open now (unsaved changes, discard the guided flow):
        # no one is there to answer it, and the session ends the app by force after a while.
        window.stopping = True
        app.quit()

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, terminate)
        tick = QTimer(window)
        tick.setInterval(200)
        tick.timeout.connect(lambda: None)
        tick.start()


def run(
    db_url: str | None = None,
    *,
    create: bool = False,
    exit_after_startup: bool = False,
    argv: Sequence[str] = (),
) -> int:
    """Open the main window on the database and run the event loop. With
    ``exit_after_startup`` print the seconds from process start to the window being shown
    and to the database being open and its page filled, then exit (benchmarks and smoke
    tests)."""
    from quote_builder import diagnostics
    from quote_builder.errors import UserFacingError

    diagnostics.setup_logging()
    try:
        fault_log: diagnostics.FaultLog | None = diagnostics.FaultLog()
    except (OSError, UserFacingError):
        fault_log = None
    reports = diagnostics.collect_hard_crashes()
    from quote_builder.app_dirs import remove_stale_temporaries_of_the_app

    remove_stale_temporaries_of_the_app()
    window: MainWindow | None = None
    instance: InstanceServer | None = None
    try:
        started = _start(
            db_url, create, argv, before_text_start=fault_log.close if fault_log else None
        )
        if isinstance(started, int):
            return started
        app, window, startup, instance = started
        app.processEvents()
        shown = time.perf_counter() - PROCESS_START
        log.info(
            "Quote Builder %s (process %s): window shown after %.3f s",
            diagnostics.app_version(),
            os.getpid(),
            shown,
        )
        if exit_after_startup:
            # processor time too: on a busy machine the wall time mostly measures the wait
            # for a processor, the processor time what the start itself costs
            print(
                f"window shown after {shown:.3f} s (processor {time.process_time():.3f} s)",
                flush=True,
            )
            ok = startup.wait()
            app.processEvents()
            print(f"database open after {time.perf_counter() - PROCESS_START:.3f} s", flush=True)
            return 0 if ok else startup.status
        from PySide6.QtCore import QTimer

        handler: CrashHandler = window.crash_handler  # type: ignore[attr-defined]
        target = window
        startup.on_done = lambda ok: (
            ok and QTimer.singleShot(0, lambda: _after_ready(target, handler, reports))
        )
        startup.start()
        _quit_on_terminate(app, window)
        code = int(app.exec())
        return startup.status if startup.ok is False else code
    finally:
        if window is not None:
            window.workspace.close()
        if instance is not None:
            instance.release()
        if fault_log is not None:
            fault_log.close()
        log.info("Quote Builder stopped (process %s)", os.getpid())
