"""Issue: a file dialog in the app's process dropped SQLite's locks, and saves were lost.

On POSIX, closing any descriptor of a file drops every fcntl lock the process holds on it.
Qt's file dialog reads every file in the folder it shows, the database included; SQLite in
another process then believed it held the last connection, checkpointed and deleted the
write-ahead log while the app went on writing into the deleted file. The app confirmed a
save that the command line never saw, and a kill lost it.

The desktop app now keeps the database in a separate process (services/host.py); these tests
run the real app in its own process, open a real file dialog on the database's folder, run
a second process on the database, save in the app and kill it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHILD = Path(__file__).parent / "children" / "dialog_then_save.py"
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX locks")


def cli(database: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "quote_builder.launcher", "--db", str(database), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QUOTE_BUILDER_NO_GUI": "1"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def start_app(database: Path) -> subprocess.Popen[str]:
    app = subprocess.Popen(
        [sys.executable, str(CHILD), str(database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # the app and its database process, killed together
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert app.stdout is not None
    line = app.stdout.readline()
    assert line.startswith("dialog closed"), line
    return app


def save_in_app(app: subprocess.Popen[str]) -> str:
    assert app.stdin is not None and app.stdout is not None
    app.stdin.write("save\n")
    app.stdin.flush()
    line = app.stdout.readline()
    assert line.startswith("saved: Created draft "), line
    return line.split("Created draft ")[1].split()[0]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "folder" / "quote-builder.db"
    path.parent.mkdir()
    cli(path, "--create", "demo")
    return path


def test_a_save_after_a_file_dialog_and_a_second_process_survives_a_kill(
    database: Path,
) -> None:
    app = start_app(database)
    try:
        assert "5 of 5 quotes" in cli(database, "quotes", "list")  # the second process
        number = save_in_app(app)
        # Everyone else sees the save at once ...
        assert number in cli(database, "quotes", "list")
        # ... and a backup taken now holds it.
        copy = database.with_name("copy.db")
        cli(database, "backup", str(copy))
        assert number in cli(copy, "quotes", "list")
    finally:
        os.killpg(app.pid, signal.SIGKILL)  # the app and its database process
        app.wait()
    # After the kill the save is still there, and the file is sound.
    listing = cli(database, "quotes", "list")
    assert number in listing and "6 of 6 quotes" in listing
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        connection.close()


def test_killing_the_window_leaves_no_database_process_behind(database: Path) -> None:
    app = start_app(database)
    number = save_in_app(app)
    children = subprocess.run(
        ["pgrep", "-g", str(app.pid)], capture_output=True, text=True
    ).stdout.split()
    assert len(children) >= 2  # the window and its database process
    os.kill(app.pid, signal.SIGKILL)  # the window alone
    app.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        left = subprocess.run(["pgrep", "-g", str(app.pid)], capture_output=True, text=True)
        if not left.stdout.split():
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"processes left behind: {left.stdout}")
    assert number in cli(database, "quotes", "list")
