"""Starting the desktop app: ``quote-builder`` (no command) or ``quote-builder gui``."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

PROCESS_START = time.perf_counter()

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from quote_builder.services.workspace import HostedWorkspace

    from .main_window import MainWindow


def open_main_window(
    db_url: str | None = None, *, create: bool = False, argv: Sequence[str] = ()
) -> tuple[QApplication, MainWindow] | None:
    """Start the database process, build the application and show the main window. None
    when the database cannot be opened (the user was told why).

    The database process starts first, so that it opens (and if needed upgrades) the
    database while this process loads Qt. This process never opens the database itself
    (services/host.py says why)."""
    from quote_builder.services.workspace import start_hosted_workspace
    from quote_builder.store.database import creates_by_default

    workspace = start_hosted_workspace(db_url, create=create or creates_by_default(db_url))

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    app.setApplicationName("Quote Builder")
    app.setOrganizationName("QuoteBuilder")
    from quote_builder.about import APP_ID

    from .icon import app_icon

    app.setWindowIcon(app_icon())  # every window's title bar and the taskbar
    app.setDesktopFileName(APP_ID)  # matches the .desktop entry (Wayland, task managers)
    app.setStyle(
        "Fusion"
    )  # one look on every platform; its palette follows the system's light/dark scheme
    if not _wait_for_database(workspace, db_url):
        return None

    from .main_window import MainWindow

    window = MainWindow(workspace)
    window.show()
    return app, window


def _wait_for_database(workspace: HostedWorkspace, db_url: str | None) -> bool:
    """Wait for the database process to open the database. A file that does not exist is
    offered for creation (a mistyped path must not silently become an empty database)."""
    from PySide6.QtWidgets import QMessageBox

    from quote_builder.errors import UserFacingError
    from quote_builder.services.workspace import start_hosted_workspace
    from quote_builder.store.database import DatabaseMissingError

    try:
        workspace.host.wait_ready()
        return True
    except DatabaseMissingError as exc:
        answer = QMessageBox.question(
            None,
            "Quote Builder: no database there",
            f"{exc.path} does not exist.\n\nCreate a new, empty database there?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        workspace.host = start_hosted_workspace(db_url, create=True).host
        return _wait_for_database(workspace, db_url)
    except UserFacingError as exc:
        QMessageBox.critical(None, "Quote Builder cannot open the database", str(exc))
        return False


def run(
    db_url: str | None = None,
    *,
    create: bool = False,
    exit_after_startup: bool = False,
    argv: Sequence[str] = (),
) -> int:
    """Open the main window on the database and run the event loop. With
    ``exit_after_startup`` print the seconds from process start to the window being shown
    and exit (benchmarks and smoke tests)."""
    from PySide6.QtCore import QTimer

    started = open_main_window(db_url, create=create, argv=argv)
    if started is None:
        return 2
    app, window = started
    try:
        if exit_after_startup:
            app.processEvents()
            print(f"window shown after {time.perf_counter() - PROCESS_START:.3f} s", flush=True)
            return 0
        QTimer.singleShot(0, window.offer_demo_data_if_empty)
        return int(app.exec())
    finally:
        window.workspace.close()
