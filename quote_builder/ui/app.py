"""Starting the desktop app: ``quote-builder`` (no command) or ``quote-builder gui``."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

PROCESS_START = time.perf_counter()


def run(
    db_url: str | None = None, *, exit_after_startup: bool = False, argv: Sequence[str] = ()
) -> int:
    """Open the main window on the database and run the event loop. With
    ``exit_after_startup`` print the seconds from process start to the window being shown
    and exit (benchmarks and smoke tests)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from quote_builder.errors import UserFacingError
    from quote_builder.services.workspace import open_workspace

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    app.setApplicationName("Quote Builder")
    app.setOrganizationName("QuoteBuilder")
    app.setStyle(
        "Fusion"
    )  # one look on every platform; its palette follows the system's light/dark scheme
    try:
        workspace = open_workspace(db_url)
    except UserFacingError as exc:
        QMessageBox.critical(None, "Quote Builder cannot open the database", str(exc))
        return 2

    from .main_window import MainWindow

    window = MainWindow(workspace)
    window.show()
    if exit_after_startup:
        app.processEvents()
        print(f"window shown after {time.perf_counter() - PROCESS_START:.3f} s", flush=True)
        workspace.close()
        return 0
    QTimer.singleShot(0, window.offer_demo_data_if_empty)
    code = app.exec()
    workspace.close()
    return int(code)
