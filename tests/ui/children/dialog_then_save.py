"""The desktop app as a user runs it, driven from a test through stdin and stdout.

Started as its own process (so the test can SIGKILL it): opens the real main window on the
database named in argv[1] with the app's own start-up (``open_main_window``), shows a real
file dialog on the database's folder until it has read the folder, cancels it, then waits
for the test. On "save" it duplicates the newest quote through the Quotes page, as a user
would, and prints what the page said; then it waits to be killed."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog  # noqa: E402

from quote_builder.ui.app import open_main_window  # noqa: E402


def pump(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def main() -> None:
    database = Path(sys.argv[1])
    started = open_main_window(str(database))
    assert started is not None, "the app did not open the database"
    app, window = started
    dialog = QFileDialog(window, "Import request file…", str(database.parent))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.show()
    pump(app, 3.0)  # the dialog's file-information thread reads every file of the folder
    dialog.reject()
    pump(app, 0.5)
    print(f"dialog closed; window pid {os.getpid()}", flush=True)
    for line in sys.stdin:
        if line.strip() == "save":
            page = window.pages["quotes"]
            page.view.selectRow(0)
            page.duplicate_selected()
            print(f"saved: {page.message.text()}", flush=True)


if __name__ == "__main__":
    main()
