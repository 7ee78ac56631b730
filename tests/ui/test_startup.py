"""The window appears before the database is open, pages are built when first shown, and
the window's process never loads the rendering code (issue 16, start-up)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from quote_builder.services.demo import seed_demo
from quote_builder.services.workspace import LocalWorkspace, open_workspace
from quote_builder.ui.main_window import MainWindow

CHILD = Path(__file__).parent / "children" / "startup_modules.py"


def test_window_waits_for_the_database_without_building_pages(
    qtbot: QtBot, workspace: LocalWorkspace
) -> None:
    window = MainWindow(workspace, ready=False)
    qtbot.addWidget(window)
    window.show()
    assert window.built_pages() == []
    assert window.centralWidget().widget(1).currentWidget().objectName() == "placeholder_quotes"
    assert not window.new_quote_action.isEnabled()  # needs the database
    assert window.about_action.isEnabled() and window.quit_action.isEnabled()
    window._nav.setCurrentRow(2)  # clicking another page before the database is open
    assert window.built_pages() == []
    window.database_ready()
    assert window.built_pages() == [window.pages["catalog"]]
    assert window.new_quote_action.isEnabled()
    window.show_page("customers")
    assert len(window.built_pages()) == 2  # the others are still not built


def test_window_process_never_loads_the_rendering_code(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    ws = open_workspace(str(db), user="tester")
    seed_demo(ws.db, actor="demo")
    ws.close()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QUOTE_BUILDER_DATA_DIR": str(tmp_path / "data"),
    }
    proc = subprocess.run(
        [sys.executable, str(CHILD), str(db)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    steps = {s["step"]: s for s in map(json.loads, proc.stdout.splitlines())}
    # Shown: Qt and the window, nothing of the services' libraries yet.
    assert steps["shown"]["loaded"] == []
    assert steps["shown"]["placeholder"] is True
    # Open: the Quotes page's services (pydantic, SQLAlchemy for the rows' types), but
    # no Alembic (the schema version is read without it) and nothing of the documents.
    assert steps["ready"]["rows"] == 5
    assert set(steps["ready"]["loaded"]) <= {
        "sqlalchemy",
        "pydantic",
        "quote_builder.store.database",
    }
    # An editor with its preview rendered: the PDF came from the worker process, and the
    # window's process still has no WeasyPrint, Jinja2 or document code.
    assert steps["preview"]["rendered"] is True
    for forbidden in (
        "weasyprint",
        "jinja2",
        "alembic",
        "quote_builder.documents.render",
        "quote_builder.documents.viewmodel",
        "quote_builder.services.documents",
    ):
        assert forbidden not in steps["preview"]["loaded"], forbidden


def test_a_data_folder_that_cannot_be_made_is_said_in_a_window(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only home, no --db: the app printed "Quote Builder cannot start: ...: cannot
    create the folder" on standard error and quit; started from the desktop's menu, nothing
    seemed to happen. It says so in a dialog too, and ends with the command line's status
    for the same folder (1: a folder that could not be made; it ended with 2)."""
    from quote_builder.ui import app, i18n, locale_numbers

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder's parent should be")
    monkeypatch.setenv("QUOTE_BUILDER_DATA_DIR", str(blocker / "data"))
    monkeypatch.delenv("QUOTE_BUILDER_DB", raising=False)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "critical", lambda _parent, title, text, *a: shown.append((title, text))
    )
    try:
        assert app._start(None, False, []) == 1
    finally:
        i18n.install(qapp, "en")
        locale_numbers.set_ui_locale("en_US")
    assert len(shown) == 1
    assert shown[0][0] == "Cannot open the database"
    assert "cannot create the folder" in shown[0][1] and str(blocker) in shown[0][1]


class _HostThatFails:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def poll_ready(self) -> bool:
        return True

    def wait_ready(self) -> None:
        raise self.error


class _WorkspaceThatFails:
    def __init__(self, error: Exception) -> None:
        self.host = _HostThatFails(error)
        self.open_url = "sqlite:////nowhere/fresh.db"


def test_a_start_that_ends_on_the_database_says_why_on_the_terminal(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`quote-builder --db typo.db` from a terminal: "Create a database?" answered No (or a
    database that cannot be opened, its dialog closed), and the app ended with status 2
    without a word on the terminal, where the command line says why."""
    from PySide6.QtWidgets import QWidget

    from quote_builder.errors import UserFacingError
    from quote_builder.store.database import DatabaseMissingError
    from quote_builder.ui.app import Startup

    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No)
    )
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: None))
    missing = tmp_path / "typo.db"
    for error, said in (
        (
            DatabaseMissingError(missing),
            f"Quote Builder: {missing} does not exist. Check the path; to make a new, empty "
            "database there, add --create.\n",
        ),
        (
            UserFacingError(f"{missing} is not a Quote Builder database (not a SQLite file)"),
            f"Quote Builder cannot open the database: {missing} is not a Quote Builder "
            "database (not a SQLite file)\n",
        ),
    ):
        window = QWidget()
        qtbot.addWidget(window)
        ended: list[bool] = []
        startup = Startup(window, _WorkspaceThatFails(error), ended.append)  # type: ignore[arg-type]
        startup._poll()
        assert ended == [False] and startup.ok is False
        assert capsys.readouterr().err == said


def test_a_database_that_cannot_be_used_is_said_once_as_a_sentence_with_status_3(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`quote-builder` on a database on a read-only disk (or a full one): the dialog began
    "cannot open the database ..." in lower case, the terminal said "Quote Builder cannot
    open the database: cannot open the database ...", and the app ended with status 2
    where the command line (and the README's table) gives 3 for a database that cannot be
    used. A --db that does not exist stays status 2."""
    from PySide6.QtWidgets import QWidget

    from quote_builder.store.database import DatabaseMissingError, DatabaseOpenError
    from quote_builder.ui.app import Startup

    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "critical", staticmethod(lambda _parent, _title, text, *a: shown.append(text))
    )
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.No)
    )
    db = tmp_path / "quote-builder.db"
    reason = (
        f"cannot open the database {db}: the database is on a read-only disk, and SQLite "
        "writes beside the database even to read it. The database is as it was: copy it to "
        "a folder you can write to, or make the disk writable, then try again."
    )
    for error, status in ((DatabaseOpenError(reason), 3), (DatabaseMissingError(db), 2)):
        window = QWidget()
        qtbot.addWidget(window)
        ended: list[bool] = []
        startup = Startup(window, _WorkspaceThatFails(error), ended.append)  # type: ignore[arg-type]
        startup._poll()
        assert ended == [False] and startup.status == status
    assert shown == ["C" + reason[1:]]  # "Cannot open the database …"
    said = capsys.readouterr().err.splitlines()
    assert said[0] == f"Quote Builder {reason}"
    assert said[0].count("cannot open the database") == 1


def test_a_dialog_that_shows_a_refusal_starts_it_as_a_sentence(qapp: QApplication) -> None:
    """Save on a full disk: the "Not saved" dialog read "the disk holding the database is
    full, so nothing was saved ..." (a sentence without its capital letter); a name the
    user wrote at the start of a sentence keeps its letters."""
    from quote_builder.errors import UserFacingError
    from quote_builder.ui.i18n import error_message, error_text

    full = UserFacingError(
        "the disk holding the database is full, so nothing was saved (the database is as "
        "it was). Free some space on that disk, then try again."
    )
    assert error_text(full).startswith("the disk")
    assert error_message(full).startswith("The disk holding the database is full, so nothing")
    named = UserFacingError("root asked for this approval")
    named.starts_with_name = True  # type: ignore[attr-defined]
    assert error_message(named) == "root asked for this approval"
