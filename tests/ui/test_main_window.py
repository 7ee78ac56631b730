"""The main window: pages, navigation shortcuts, remembered state, first-run demo offer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from quote_builder.services.demo import is_empty
from quote_builder.services.workspace import Workspace
from quote_builder.ui.main_window import PAGES, MainWindow


def test_pages_and_navigation(qtbot: QtBot, workspace: Workspace) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert list(window.pages) == ["quotes", "customers", "catalog", "approvals", "settings"]
    window.show_page("catalog")
    assert window.current_page() is window.pages["catalog"]


def test_window_remembers_size_and_last_page(qtbot: QtBot, workspace: Workspace) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.resize(700, 520)
    window.show_page("customers")
    window.close()
    assert QSettings().value("main/page") == "customers"
    again = MainWindow(workspace)
    qtbot.addWidget(again)
    assert again.current_page() is again.pages["customers"]
    assert (again.size().width(), again.size().height()) == (700, 520)


def test_the_page_shown_is_remembered_without_a_normal_close(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """A crash never runs closeEvent: the next start opened on the page of the last run
    that closed normally (Settings) instead of the last page shown (Approvals)."""
    closed = MainWindow(workspace)
    qtbot.addWidget(closed)
    closed.show_page("settings")
    closed.close()
    crashed = MainWindow(workspace)
    qtbot.addWidget(crashed)
    crashed.show_page("approvals")  # ... and the process dies here: no close
    next_start = MainWindow(workspace)
    qtbot.addWidget(next_start)
    assert next_start.current_page() is next_start.pages["approvals"]


def test_first_run_offers_demo_data(
    qtbot: QtBot, workspace: Workspace, monkeypatch: object
) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    asked: list[str] = []

    def answer(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)  # type: ignore[attr-defined]
    window.offer_demo_data_if_empty()
    assert asked and not is_empty(workspace.db)
    window.offer_demo_data_if_empty()  # not asked again once there is data
    assert len(asked) == 1


def test_gui_exit_after_startup_prints_the_time(tmp_path: object) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "quote_builder.launcher",
            "gui",
            "--db",
            f"{tmp_path}/s.db",
            "--create",
            "--exit-after-startup",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("window shown after ")


def test_dark_and_light_palettes(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPalette

    from quote_builder.ui.palette import palette_for

    dark = palette_for(Qt.ColorScheme.Dark)
    light = palette_for(Qt.ColorScheme.Light)
    assert dark.color(QPalette.ColorRole.Window).lightness() < 80
    assert light.color(QPalette.ColorRole.Window).lightness() > 180
    assert dark.color(QPalette.ColorRole.Text).lightness() > 180


def test_file_import_quote_takes_a_re_exported_file_as_a_new_quote(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """File > Import Quote…: an exported quote, edited and imported again, becomes a new
    quote with the next free number, and the app says which number was taken."""
    import json as json_module

    from quote_builder.services import quotes as quote_service
    from quote_builder.services import transfer

    db = window.workspace.db
    rows = quote_service.list_quotes(db).rows
    first = rows[-1]
    data = json_module.loads(transfer.export_quote_json(db, first.number))
    data["title"] = "Edited after export"
    path = tmp_path / "q.json"
    path.write_text(json_module.dumps(data), "utf-8")
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(str(a[2])) or None)
    window.import_quote(path)
    newest = quote_service.list_quotes(db).rows
    assert len(newest) == len(rows) + 1
    created = next(r for r in newest if r.title == "Edited after export")
    assert created.number != first.number
    assert said == [
        f"{first.number} is taken: imported as {created.number} for {created.customer_name} (version 1)."
    ]
    assert created.id in window.editors
    assert window.import_quote_action.text() == "&Import Quote…"


def test_a_quote_whose_saved_version_cannot_be_read_is_a_sentence_not_a_crash(
    window: MainWindow, no_blocking_dialogs: list[str]
) -> None:
    """The adversarial campaign: a quote version edited by hand with sqlite3 so that it is
    no longer JSON. Opening it from the Quotes list showed the crash dialog ("Something
    went wrong in Quote Builder ..."); it says which quote cannot be read, and why, and
    the app goes on."""
    import sqlite3

    from quote_builder.services import quotes as quote_service
    from quote_builder.store.database import sqlite_path

    db = window.workspace.db
    row = quote_service.list_quotes(db).rows[0]
    path = sqlite_path(db.url)
    assert path is not None
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER quote_version_no_update")  # the edit goes round the guard
    raw.execute("UPDATE quote_version SET document_json = '{' WHERE quote_id = ?", (row.id,))
    raw.commit()
    raw.close()
    window.open_quote(row.id)
    assert row.id not in window.editors
    assert len(no_blocking_dialogs) == 1
    said = no_blocking_dialogs[0]
    assert said.startswith(f"Quote Builder | Version 1 of {row.number} cannot be read:"), said
    assert "changed outside Quote Builder" in said


def test_a_page_that_cannot_be_read_says_why_instead_of_crashing(
    window: MainWindow, no_blocking_dialogs: list[str]
) -> None:
    """The adversarial campaign: the settings row's margin floor edited by hand with
    sqlite3 into 'abc'. Clicking Settings showed the crash dialog; the page says what the
    database holds and what to do, in a message and in place of the page, and the app goes
    on (the Quotes page still opens)."""
    import sqlite3

    from quote_builder.services.settings import get_settings, update_settings
    from quote_builder.store.database import sqlite_path

    db = window.workspace.db
    version = get_settings(db).version_id
    update_settings(db, expected_version=version, actor="t", seller_name="Acme AI")
    path = sqlite_path(db.url)
    assert path is not None
    raw = sqlite3.connect(path)
    raw.execute("UPDATE settings SET margin_floor_percent = 'abc'")
    raw.commit()
    raw.close()
    window.database_ready()
    window.show_page("quotes")
    window._nav.setCurrentRow([k for k, _t in PAGES].index("settings"))
    assert len(no_blocking_dialogs) == 1, no_blocking_dialogs
    assert "| The database holds 'abc' where a number belongs" in no_blocking_dialogs[0]
    shown = window._stack.currentWidget()
    assert shown.text().startswith("The database holds 'abc'")
    assert QSettings().value("main/page") != "settings"
    window.show_page("quotes")
    assert window.current_page() is window.pages["quotes"]


@pytest.mark.parametrize(
    ("column", "stored", "said"),
    [
        ("created_at", "garbage", "the database holds 'garbage' where a date and time belongs"),
        ("loaded_hourly_rate", "abc", "the database holds 'abc' where a number belongs"),
    ],
)
def test_a_customer_edited_by_hand_is_a_sentence_on_the_customers_page(
    window: MainWindow, no_blocking_dialogs: list[str], column: str, stored: str, said: str
) -> None:
    """h5 walk: a customer's row edited with sqlite3 (a date that is not one, a number that
    is not one): the Customers page says what the database holds and what to do, and the
    app goes on (the Quotes page still opens)."""
    import sqlite3

    from quote_builder.store.database import sqlite_path

    path = sqlite_path(window.workspace.db.url)
    assert path is not None
    raw = sqlite3.connect(path)
    raw.execute(f"UPDATE customer SET {column} = ?", (stored,))
    raw.commit()
    raw.close()
    window.database_ready()
    window.show_page("quotes")
    window._nav.setCurrentRow([k for k, _t in PAGES].index("customers"))
    page = window.current_page()
    shown = page.count_label.text()  # type: ignore[attr-defined]
    assert shown.startswith("The customers could not be loaded: "), shown
    assert said in shown and "Traceback" not in shown
    window.show_page("quotes")
    assert window.current_page() is window.pages["quotes"]


def test_quotes_edited_by_hand_are_a_sentence_on_the_quotes_page(
    qtbot: QtBot, window: MainWindow, no_blocking_dialogs: list[str]
) -> None:
    """h5 walk: a quote's row edited with sqlite3 (a date that is not one), the app then
    opened: the Quotes page showed "No quotes yet" and offered demo data, as if the quotes
    were gone. It says the quotes could not be loaded and why."""
    import sqlite3

    from quote_builder.store.database import sqlite_path

    path = sqlite_path(window.workspace.db.url)
    assert path is not None
    raw = sqlite3.connect(path)
    raw.execute("UPDATE quote SET updated_at = 'garbage'")
    raw.commit()
    raw.close()
    opened = MainWindow(window.workspace)  # the app opened on the edited database
    qtbot.addWidget(opened)
    opened.database_ready()
    page = opened.show_page("quotes")
    shown = page.message.text()  # type: ignore[attr-defined]
    assert shown.startswith("The quotes could not be loaded: "), shown
    assert "the database holds 'garbage' where a date and time belongs" in shown
    assert page.empty.isHidden()  # type: ignore[attr-defined]
