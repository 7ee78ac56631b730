"""File → Open Database…, New Database…, Recent Databases; the title names the database;
one app per database; windows come back on screen (issue 16)."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from quote_builder.app_dirs import state_file
from quote_builder.db_location import identity_key, resolve_url
from quote_builder.services import quotes as quote_service
from quote_builder.services.demo import seed_demo
from quote_builder.services.workspace import LocalWorkspace, Workspace, open_workspace
from quote_builder.store.database import DatabaseMissingError
from quote_builder.ui import geometry, recent
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor
from quote_builder.ui.single_instance import InstanceServer, ask_running_instance, server_name

# --- recent databases ---------------------------------------------------------------------------


def test_recent_list_is_newest_first_without_duplicates_and_limited() -> None:
    assert recent.load() == []
    for n in range(10):
        recent.remember(f"sqlite:////data/q{n}.db")
    recent.remember("sqlite:////data/q3.db")
    assert recent.load() == [
        "sqlite:////data/q3.db",
        "sqlite:////data/q9.db",
        "sqlite:////data/q8.db",
        "sqlite:////data/q7.db",
        "sqlite:////data/q6.db",
        "sqlite:////data/q5.db",
        "sqlite:////data/q4.db",
        "sqlite:////data/q2.db",
    ]
    assert recent.forget("sqlite:////data/q9.db")[:2] == [
        "sqlite:////data/q3.db",
        "sqlite:////data/q8.db",
    ]


def test_recent_list_never_keeps_a_password() -> None:
    recent.remember("postgresql+psycopg://rep@db.example/sales")
    recent.remember("postgresql+psycopg://rep:secret@db.example/sales")
    path = state_file(recent.FILE_NAME)
    assert "secret" not in path.read_text()
    assert recent.load() == ["postgresql+psycopg://rep@db.example/sales"]


def test_recent_list_is_written_whole_and_private(monkeypatch: pytest.MonkeyPatch) -> None:
    recent.remember("sqlite:////data/a.db")
    path = state_file(recent.FILE_NAME)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_text()

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(Exception, match="the disk is full|cannot write"):
        recent.remember("sqlite:////data/b.db")
    assert path.read_text() == before  # the old list, whole
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_unreadable_recent_list_is_empty() -> None:
    path = state_file(recent.FILE_NAME)
    path.write_text("{not json")
    assert recent.load() == []
    path.write_text(json.dumps({"databases": [1, None, "sqlite:////x.db"]}))
    assert recent.load() == ["sqlite:////x.db"]


# --- switching databases ------------------------------------------------------------------------


def _local_opener(opened: list[LocalWorkspace]):  # type: ignore[no-untyped-def]
    def opener(url: str, create: bool) -> Workspace:
        from quote_builder.store.database import open_database

        ws = LocalWorkspace(open_database(url, create=create), "tester", check_transport=True)
        opened.append(ws)
        return ws

    return opener


@pytest.fixture
def second_database(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "second.db"
    ws = open_workspace(str(path), user="tester")
    seed_demo(ws.db, actor="demo")
    ws.close()
    yield path


@pytest.fixture
def opened() -> Iterator[list[LocalWorkspace]]:
    workspaces: list[LocalWorkspace] = []
    yield workspaces
    for ws in workspaces:
        ws.close()


def test_title_names_the_database(qtbot: QtBot, workspace: LocalWorkspace) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert window.windowTitle() == "ui.db — Quote Builder"
    assert window.windowFilePath() == str(workspace.path)


def test_open_another_database(
    qtbot: QtBot,
    workspace: LocalWorkspace,
    second_database: Path,
    opened: list[LocalWorkspace],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = MainWindow(workspace, opener=_local_opener(opened))
    qtbot.addWidget(window)
    window.remember_database()
    quotes = window.show_page("quotes")
    assert quotes.model.rowCount() == 0  # the first database is empty
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(second_database), ""))
    with qtbot.waitSignal(window.database_changed):
        window.open_database_action.trigger()
    assert window.workspace is opened[0]
    assert window.windowTitle() == "second.db — Quote Builder"
    assert window.built_pages() == [window.pages["quotes"]]  # rebuilt on the new database
    assert window.pages["quotes"] is not quotes
    assert window.pages["quotes"].model.rowCount() == 5  # the demo's quotes
    assert recent.load() == [resolve_url(str(second_database)), workspace.db.url]
    window._fill_recent_menu()
    entries = [a.statusTip() for a in window.recent_menu.actions()]
    # the open database is not offered again
    assert entries == [f"Open {workspace.path}"]
    assert window.recent_menu.actions()[0].text().startswith("&1 ")


def test_unsaved_changes_are_asked_about_before_switching(
    qtbot: QtBot,
    demo_workspace: LocalWorkspace,
    second_database: Path,
    opened: list[LocalWorkspace],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = MainWindow(demo_workspace, opener=_local_opener(opened))
    qtbot.addWidget(window)
    quote_id = quote_service.list_quotes(demo_workspace.db).rows[0].id
    editor = open_quote_editor(window, quote_id)
    editor.editor._push(("title",), "Not saved yet")
    asked: list[str] = []

    def cancel(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    assert not window.switch_database(resolve_url(str(second_database)), create=False)
    assert asked and "Save your changes" in asked[0]
    assert window.workspace is demo_workspace and opened == []
    assert window.editors == {quote_id: editor}
    editor.editor.undo_stack.setClean()
    editor.discard_draft()
    editor.close()


def test_a_database_that_cannot_be_opened_leaves_the_open_one(
    qtbot: QtBot,
    workspace: LocalWorkspace,
    tmp_path: Path,
    opened: list[LocalWorkspace],
    no_blocking_dialogs: list[str],
) -> None:
    window = MainWindow(workspace, opener=_local_opener(opened))
    qtbot.addWidget(window)
    notes = tmp_path / "notes.db"
    notes.write_text("not a database at all, just notes\n" * 100)
    assert not window.switch_database(resolve_url(str(notes)), create=False)
    assert window.workspace is workspace
    assert window.windowTitle() == "ui.db — Quote Builder"
    assert any("The database open before stays open" in shown for shown in no_blocking_dialogs)
    [said] = [shown for shown in no_blocking_dialogs if "open before stays open" in shown]
    assert said.count(str(notes)) == 1  # named once ("X: X is not a Quote Builder database")


def test_an_empty_database_file_is_asked_about_never_opened_as_new(
    qtbot: QtBot,
    workspace: LocalWorkspace,
    tmp_path: Path,
    opened: list[LocalWorkspace],
    monkeypatch: pytest.MonkeyPatch,
    no_blocking_dialogs: list[str],
) -> None:
    """File → Open Database… (or a recent entry) on a file of 0 bytes opened it as a new,
    empty database without a word. The app asks; No leaves the file and the open database
    as they were (and keeps it on the recent list), Yes makes a new database in it."""
    window = MainWindow(workspace, opener=_local_opener(opened))
    qtbot.addWidget(window)
    empty = tmp_path / "team.db"
    empty.touch()
    url = resolve_url(str(empty))
    recent.remember(url)
    assert not window.open_recent(url)  # answered No
    [asked] = [s for s in no_blocking_dialogs if "Create a database?" in s]
    assert f"{empty} is an empty file (0 bytes), not a database" in asked
    assert "Make a new, empty database in it?" in asked
    assert "is not there any more" not in " ".join(no_blocking_dialogs)
    assert url in recent.load()
    assert empty.stat().st_size == 0 and window.workspace is workspace
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert window.switch_database(url, create=False)
    assert window.windowTitle() == "team.db — Quote Builder"
    assert empty.stat().st_size > 0


def test_new_database(
    qtbot: QtBot,
    workspace: LocalWorkspace,
    tmp_path: Path,
    opened: list[LocalWorkspace],
    monkeypatch: pytest.MonkeyPatch,
    no_blocking_dialogs: list[str],
) -> None:
    window = MainWindow(workspace, opener=_local_opener(opened))
    qtbot.addWidget(window)
    target = tmp_path / "fresh"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.new_database_action.trigger()
    assert (tmp_path / "fresh.db").exists()  # the .db suffix is added
    assert window.windowTitle() == "fresh.db — Quote Builder"
    qtbot.waitUntil(lambda: any("An empty database" in s for s in no_blocking_dialogs))
    # a name that is taken is refused, the database there untouched
    size = (tmp_path / "fresh.db").stat().st_size
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(workspace.path), ""))
    assert not window.choose_new_database()
    assert any("already exists and was not touched" in s for s in no_blocking_dialogs)
    assert (tmp_path / "fresh.db").stat().st_size == size


def test_recent_database_that_is_gone_is_taken_off_the_list(
    qtbot: QtBot,
    workspace: LocalWorkspace,
    tmp_path: Path,
    opened: list[LocalWorkspace],
    no_blocking_dialogs: list[str],
) -> None:
    gone = resolve_url(str(tmp_path / "gone.db"))
    recent.remember(gone)
    window = MainWindow(workspace, opener=_local_opener(opened))
    qtbot.addWidget(window)
    window._fill_recent_menu()
    [entry] = window.recent_menu.actions()
    entry.trigger()
    assert recent.load() == []
    assert any("is not there any more" in s for s in no_blocking_dialogs)
    assert window.workspace is workspace
    assert not (tmp_path / "gone.db").exists()  # never created by a click in a menu


def test_opener_refuses_a_missing_file_with_its_own_error(tmp_path: Path) -> None:
    from quote_builder.store.database import open_database

    with pytest.raises(DatabaseMissingError):
        open_database(resolve_url(str(tmp_path / "nope.db")), create=False)


# --- one app per database -----------------------------------------------------------------------

ASK = """
import sys
from PySide6.QtCore import QCoreApplication
from quote_builder.ui.single_instance import ask_running_instance
app = QCoreApplication([])
print(ask_running_instance(sys.argv[1]), flush=True)
"""


def _ask_from_another_process(qtbot: QtBot, key: str) -> str:
    proc = subprocess.Popen([sys.executable, "-c", ASK, key], stdout=subprocess.PIPE, text=True)
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30000)  # events flow meanwhile
    assert proc.stdout is not None
    return proc.stdout.read().strip()


def test_second_start_on_the_same_database_asks_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    server = InstanceServer()
    key = identity_key(resolve_url(str(tmp_path / "a.db")))
    assert server.claim(key)
    with qtbot.waitSignal(server.activated, timeout=30000):
        assert _ask_from_another_process(qtbot, key) == "True"
    other = identity_key(resolve_url(str(tmp_path / "b.db")))
    assert _ask_from_another_process(qtbot, other) == "False"
    server.release()
    assert _ask_from_another_process(qtbot, key) == "False"


def test_same_file_by_another_path_is_the_same_database(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "dir")
    assert identity_key(resolve_url(str(tmp_path / "dir" / "a.db"))) == identity_key(
        resolve_url(str(tmp_path / "link" / "a.db"))
    )
    assert identity_key("postgresql+psycopg://u:one@h/db") == identity_key(
        "postgresql+psycopg://u:two@h/db"
    )


def test_a_hard_link_is_the_same_database_and_a_copy_is_not(tmp_path: Path) -> None:
    """The fault campaign's `ln g.db ghard.db`, then `gui --db ghard.db` while g.db was
    open, opened a second window on the one file."""
    first = tmp_path / "g.db"
    first.write_bytes(b"SQLite format 3\x00")
    (tmp_path / "ghard.db").hardlink_to(first)
    (tmp_path / "copy.db").write_bytes(first.read_bytes())
    key = identity_key(resolve_url(str(first)))
    assert identity_key(resolve_url(str(tmp_path / "ghard.db"))) == key
    assert identity_key(resolve_url(str(tmp_path / "copy.db"))) != key
    # A file not made yet is known by its real path until it exists.
    assert identity_key(resolve_url(str(tmp_path / "new.db"))) == identity_key(
        resolve_url(str(tmp_path / "." / "new.db"))
    )


def test_socket_left_by_a_killed_app_is_taken_over(qtbot: QtBot) -> None:
    key = "0123456789abcdef01234567"
    path = Path(QDir.tempPath()) / server_name(key)
    path.unlink(missing_ok=True)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))  # a socket file nobody listens on
    stale.close()
    assert path.exists()
    server = InstanceServer()
    assert server.claim(key)
    assert not ask_running_instance("ffffffffffffffffffffffff")
    server.release()


def _start_app(db: Path, data: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QUOTE_BUILDER_DATA_DIR": str(data)}
    return subprocess.Popen(
        [sys.executable, "-m", "quote_builder.launcher", "gui", "--db", str(db), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_the_app_runs_once_per_database(tmp_path: Path, second_database: Path) -> None:
    """Real starts: a second start on the same database brings the first to the front and
    ends; a start on another database opens normally."""
    data = tmp_path / "data"
    first_db = tmp_path / "first.db"
    first = _start_app(first_db, data, "--create")
    log = data / "logs" / "quote-builder.log"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if log.exists() and "database open after" in log.read_text():
                break
            assert first.poll() is None, first.communicate()
            time.sleep(0.2)
        else:
            raise AssertionError("the first app did not open its database")
        again = _start_app(first_db, data)
        out, err = again.communicate(timeout=90)
        assert again.returncode == 0, err
        assert out.strip() == (
            f"Quote Builder is already open on {first_db}: its window was brought to the front."
        )
        deadline = time.monotonic() + 30
        while "bringing the window to the front" not in log.read_text():
            assert time.monotonic() < deadline
            time.sleep(0.2)
        other = _start_app(second_database, data, "--exit-after-startup")
        out, err = other.communicate(timeout=90)
        assert other.returncode == 0, err
        assert "window shown after" in out and "database open after" in out
    finally:
        first.terminate()  # SIGTERM: the app quits properly
        first.communicate(timeout=30)
    assert first.returncode == 0
    assert "asked to stop (SIGTERM)" in log.read_text()
    assert not (
        Path(QDir.tempPath()) / server_name(identity_key(resolve_url(str(first_db))))
    ).exists()


# --- size and place -----------------------------------------------------------------------------

SCREEN = QRect(0, 0, 1366, 740)  # 1366x768 less a 28-pixel panel


@pytest.mark.parametrize(
    ("saved", "expected", "why"),
    [
        (QRect(100, 50, 900, 600), QRect(100, 50, 900, 600), "fits: unchanged"),
        (QRect(0, 0, 1920, 1080), QRect(0, 0, 1366, 740), "from a larger monitor: shrunk"),
        (QRect(1200, 600, 900, 600), QRect(466, 140, 900, 600), "off the right and bottom: moved"),
        (QRect(-400, -50, 900, 600), QRect(0, 0, 900, 600), "off the left and top: moved"),
        (QRect(3000, 200, 1200, 900), QRect(166, 0, 1200, 740), "on a screen that is gone"),
    ],
)
def test_clamp(saved: QRect, expected: QRect, why: str) -> None:
    # x: 1366 - 900 = 466; y: 740 - 600 = 140; 1366 - 1200 = 166; height 900 -> 740
    assert geometry.clamp(saved, SCREEN) == expected, why


def test_window_saved_off_screen_comes_back_on_screen(
    qtbot: QtBot, workspace: LocalWorkspace
) -> None:
    available = QGuiApplication.primaryScreen().availableGeometry()
    QSettings().setValue("main/rect", QRect(available.right() + 500, 4000, 5000, 3000))
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    placed = QRect(window.pos(), window.size())
    assert available.contains(placed), (placed, available)
    assert window.size() == QSize(
        min(5000, available.width()), min(3000, available.height())
    ).expandedTo(window.minimumSizeHint())


def test_the_main_windows_size_and_place_are_kept_while_it_is_open(
    qtbot: QtBot, workspace: LocalWorkspace
) -> None:
    """README: the window remembers its size "even when the app did not close normally".
    Its size and place were written only when it closed: resized, then the app killed
    (kill -9, a crash, a power cut), it came back at the size it had before. They are
    saved once the window has stayed put for a moment."""

    QSettings().remove("main/rect")
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    before = QRect(window.pos(), window.size())
    window.resize(window.width() - 60, window.height() - 40)
    window.move(window.x() + 10, window.y() + 20)
    after = QRect(window.pos(), window.size())
    assert after.size() != before.size() and after.topLeft() != before.topLeft()
    qtbot.waitUntil(lambda: QSettings().value("main/rect") == after, timeout=3000)
    assert window.isVisible()  # saved while open, not on close


LAPTOP = QSize(1366, 740)  # a 1366x768 screen less a 28-pixel panel


def test_guided_flow_and_editor_fit_a_laptop_screen(
    qtbot: QtBot, demo_workspace: LocalWorkspace
) -> None:
    """Every page of the guided flow (a wizard is as large as its largest page) and the
    editor can be as small as a 1366x768 screen, frame and title bar aside: what does not
    fit scrolls, so Back, Next and Finish stay on screen."""
    from quote_builder.ui.wizard import GuidedQuote

    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    # it opens inside the screen (it used to open 900x780, taller than a laptop's screen)
    available = QGuiApplication.primaryScreen().availableGeometry()
    assert available.contains(QRect(wizard.pos(), wizard.size())), (wizard.size(), available)
    for page_id in wizard.pageIds():  # the content scrolls: a page asks for little height
        assert wizard.page(page_id).minimumSizeHint().height() <= 200
    wizard.resize(900, LAPTOP.height() - 30)
    wizard.show()
    for _ in range(3):
        QGuiApplication.processEvents()
    for name in ("Next", "Back", "Cancel"):
        button = next(b for b in wizard.findChildren(QPushButton) if name in b.text())
        bottom = button.mapTo(wizard, button.rect().bottomLeft()).y()
        assert bottom <= wizard.height(), (name, bottom, wizard.height())
    quote_id = quote_service.list_quotes(demo_workspace.db).rows[0].id
    editor = open_quote_editor(window, quote_id)
    hint = editor.minimumSizeHint()
    assert hint.width() <= LAPTOP.width() and hint.height() <= LAPTOP.height() - 30, hint
    editor.close()
    wizard.reject()


def test_wizard_and_editor_remember_their_size(
    qtbot: QtBot, demo_workspace: LocalWorkspace
) -> None:
    from quote_builder.ui.wizard import GuidedQuote

    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.resize(700, 500)
    wizard.reject()
    again = GuidedQuote(window)
    qtbot.addWidget(again)
    assert again.size() == QSize(700, 500)
    again.reject()
    quote_id = quote_service.list_quotes(demo_workspace.db).rows[0].id
    editor = open_quote_editor(window, quote_id)
    editor.resize(editor.minimumSizeHint().width(), 700)
    editor.close()
    reopened = open_quote_editor(window, quote_id)
    # the offscreen screen is 800 pixels wide, less than the editor's least width: the
    # height comes back, the width is the least the editor can be
    assert reopened.height() == 700
    assert reopened.width() == reopened.minimumSizeHint().width()
    reopened.close()


def test_a_long_path_is_elided_in_the_recent_menu_with_its_file_name_whole(
    qtbot: QtBot, workspace: LocalWorkspace, tmp_path: Path, opened: list[LocalWorkspace]
) -> None:
    """File → Recent Databases showed each path whole: a database a few folders deep made
    the menu as wide as the screen. The folders are elided in the middle, the file's name
    stays whole, the whole path is the tooltip and the status tip, and 1 to 9 pick an
    entry from the keyboard (an "&" in a path is shown, not taken for a key)."""
    from quote_builder.ui.main_window import recent_entry_text

    deep = tmp_path.joinpath(
        "Sales Operations",
        "Regional Deal Desk Archive",
        "EMEA and APAC Enterprise Accounts",
        "2026 fiscal year quotes",
        "shared with finance team",
        "R&D backup copies",
    )
    deep.mkdir(parents=True)
    long_url = resolve_url(str(deep / "quote-builder-enterprise-2026.db"))
    short_url = resolve_url(str(tmp_path / "small.db"))
    recent.remember(short_url)
    recent.remember(long_url)
    window = MainWindow(workspace, opener=_local_opener(opened))
    qtbot.addWidget(window)
    window._fill_recent_menu()
    first, second = window.recent_menu.actions()
    metrics = window.recent_menu.fontMetrics()
    width = metrics.averageCharWidth() * 70
    assert first.text().startswith("&1 ") and first.text().endswith(
        "/quote-builder-enterprise-2026.db"
    )
    assert "…" in first.text()
    assert metrics.horizontalAdvance(first.text().replace("&&", "&")[3:]) <= width
    assert str(deep) in first.toolTip() and first.statusTip() == first.toolTip()
    assert first.toolTip() == f"Open {deep / 'quote-builder-enterprise-2026.db'}"
    assert second.text().startswith("&2 ") and second.text().endswith("/small.db")
    assert window.recent_menu.toolTipsVisible()
    # The helper: a short path whole, an & doubled, no key past 9, a long name kept.
    assert recent_entry_text(1, "/a/b&c.db", metrics, width) == "&1 /a/b&&c.db"
    assert recent_entry_text(10, "/a/b.db", metrics, width) == "/a/b.db"
    name = "x" * 200 + ".db"
    shown = recent_entry_text(3, "/home/" + name, metrics, width)
    assert shown.endswith(".db") and "…" in shown
    assert metrics.horizontalAdvance(shown[3:]) <= width
    # Picked by its number while the menu is open.
    seen: list[str] = []
    window.open_recent = seen.append  # type: ignore[method-assign]
    window.show()
    window.recent_menu.popup(window.geometry().center())
    qtbot.waitUntil(window.recent_menu.isVisible)
    qtbot.keyClick(window.recent_menu, Qt.Key.Key_2)
    assert seen == [short_url]


def test_a_long_database_path_never_widens_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    """h1 walk: the status bar's "user · path" was a plain label; with a long path it was
    cut off at the window's edge and its width was the window's minimum (wider than a
    1366-pixel screen). Now it is shortened in its middle, the whole path its tooltip."""
    deep = tmp_path.joinpath(*(["a-rather-long-folder-name-for-quotes"] * 8))
    deep.mkdir(parents=True)
    ws = open_workspace(str(deep / "quotes of the northern region.db"), user="tester")
    try:
        window = MainWindow(ws)
        qtbot.addWidget(window)
        window.resize(1000, 700)
        window.show()
        where = window.findChild(QLabel, "database_location")
        assert where is not None
        text = f"tester · {ws.location}"
        assert where.text() == text and where.toolTip() == text
        assert where.fontMetrics().horizontalAdvance(text) > 1366
        assert window.minimumSizeHint().width() < 1366
        assert where.minimumSizeHint().width() < 100
    finally:
        ws.close()
