"""Help menu (About, keyboard shortcuts, user guide, log folder) and the shortcut table
every window binds its keys from (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from quote_builder import about, diagnostics
from quote_builder.app_dirs import log_dir
from quote_builder.paths import resources_dir
from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import LocalWorkspace
from quote_builder.ui import crash, help, shortcuts
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor


def _menu(window: MainWindow, title: str) -> list[str]:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title:
            return [a.text().replace("&", "") for a in action.menu().actions() if a.text()]
    raise AssertionError(f"no {title} menu")


def test_menus_hold_the_desktop_actions(qtbot: QtBot, workspace: LocalWorkspace) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert _menu(window, "File") == [
        "New Quote…",
        "Import Quote…",
        "Open Database…",
        "New Database…",
        "Recent Databases",
        "Quit",
    ]
    assert _menu(window, "Help") == [
        "User Guide",
        "Keyboard Shortcuts",
        "Open Log Folder",
        "About Quote Builder",
    ]
    assert "Debug" not in " ".join(_menu(window, "Help"))  # only with QUOTE_BUILDER_DEBUG


def test_about_names_version_database_and_licences(qtbot: QtBot, workspace: LocalWorkspace) -> None:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    dialog = help.AboutDialog(window)
    qtbot.addWidget(dialog)
    heading = dialog.findChild(QWidget, "about_heading").text()  # type: ignore[union-attr]
    facts = dialog.findChild(QWidget, "about_facts").text()  # type: ignore[union-attr]
    assert f"Quote Builder {diagnostics.app_version()}" in heading
    assert str(workspace.path) in facts
    assert str(log_dir()) in facts
    table = dialog.licences
    rows = {
        table.item(r, 0).text().lower(): table.item(r, 2).text() for r in range(table.rowCount())
    }
    assert table.item(0, 0).text() == "quote-builder"  # the app first, then A-Z
    assert "LGPL" in rows["pyside6-essentials"]  # Qt for Python: LGPL (or GPL)
    for package in ("pydantic", "sqlalchemy", "weasyprint", "jinja2", "cryptography"):
        assert package in rows, package
        assert rows[package] and rows[package] != "see the package's licence file", package
    names = [table.item(r, 0).text().lower() for r in range(table.rowCount())]
    pyside_row = names.index("pyside6-essentials")
    table.setCurrentCell(pyside_row, 0)
    assert "LGPL-3.0" in dialog.licence_text.toPlainText()  # its LGPL text (or a pointer to it)


def test_licence_notices_are_the_shipped_notices() -> None:
    # The About box reads resources/legal (what the wheel and the standalone build ship,
    # written from app.lock), not package metadata, which the standalone build lacks.
    notices = help.licence_notices()
    names = [n.name.lower() for n in notices]
    assert names[0] == "quote-builder"
    assert notices[0].texts == (about.license_text(),)
    assert len(names) == len(set(names))  # each package once
    # dependencies of dependencies are there too (WeasyPrint needs tinycss2, pydyf)
    assert {"tinycss2", "pydyf", "shiboken6"} <= set(names)
    assert "pytest" not in names  # development tools are not shipped
    psycopg = next(n for n in notices if n.name == "psycopg")
    assert "LGPL" in psycopg.licence and "GNU LESSER GENERAL PUBLIC LICENSE" in psycopg.texts[0]


def test_about_shows_the_whole_notices_and_each_text_in_full(
    qtbot: QtBot, workspace: LocalWorkspace
) -> None:
    """The notices' own sections were not in the About box: how the LGPL components are
    used and where their source is, the fonts' licence (it ran on inside zopfli's text),
    and in the standalone build the native libraries it carries; and Qt for Python showed
    "--- LGPL-3.0.txt: the same text as psycopg 3.3.9, LICENSE.txt" instead of the text."""
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    dialog = help.AboutDialog(window)
    qtbot.addWidget(dialog)
    table = dialog.licences
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert names[1] == "Third-party notices (all)"
    table.setCurrentCell(1, 0)
    shown = dialog.licence_text.toPlainText()
    assert shown == about.third_party_notices()
    assert "LGPL components" in shown and "source code is available" in shown
    table.setCurrentCell(names.index("pyside6-essentials"), 0)
    shown = dialog.licence_text.toPlainText()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in shown and "the same text as" not in shown
    fonts = next(n for n in names if n.startswith("fonts"))
    assert table.item(names.index(fonts), 2).text() == "OFL-1.1"
    table.setCurrentCell(names.index(fonts), 0)
    assert "SIL OPEN FONT LICENSE" in dialog.licence_text.toPlainText().upper()
    table.setCurrentCell(names.index("zopfli"), 0)
    assert "FONT" not in dialog.licence_text.toPlainText().upper()  # its own text only


def test_the_standalone_builds_native_libraries_have_their_own_row(
    qtbot: QtBot, workspace: LocalWorkspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The standalone build appends the Python runtime and the native libraries it copied
    (scripts/notices.py --extra): a section of its own, listed in the About box."""
    import runpy

    extra = tmp_path / "extra.txt"
    extra.write_text(
        "Python runtime and native libraries in the standalone build (linux x86_64)\n\n"
        "Shared libraries copied from the build machine (LGPL ones can be replaced):\n"
        "  libpango-1.0.so.0  (libpango-1.0-0 1.50.12+ds-1)\n"
    )
    out = tmp_path / "THIRD-PARTY-NOTICES.txt"
    notices = runpy.run_path(str(Path(__file__).parents[2] / "scripts" / "notices.py"))
    assert notices["main"](["--extra", str(extra), "--out", str(out)]) == 0
    monkeypatch.setattr(about, "third_party_notices", lambda: out.read_text("utf-8"))
    rows = {n.name: n for n in help.licence_notices()}
    native = rows["Python runtime and native libraries in the standalone build (linux x86_64)"]
    assert "libpango-1.0.so.0" in native.texts[0]
    fonts = next(n for name, n in rows.items() if name.startswith("fonts"))
    assert "libpango" not in fonts.texts[0]  # not run on into the last section's text
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    dialog = help.AboutDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # The long name is cut short; the licence column stays wide enough to read.
    assert dialog.licences.columnWidth(0) <= 300
    assert dialog.licences.columnWidth(2) >= 200


def _bound_items(widget: QWidget) -> list[tuple[str, list[QKeySequence]]]:
    """(table id, keys) of every action and shortcut with keys under ``widget``; an item
    with keys but no table id is reported as ``?``."""
    found: list[tuple[str, list[QKeySequence]]] = []
    for action in widget.findChildren(QAction):
        sequences = [s for s in action.shortcuts() if not s.isEmpty()]
        if sequences:
            found.append((str(action.property(shortcuts.SHORTCUT_ID) or "?"), sequences))
    for item in widget.findChildren(QShortcut):
        sequences = [s for s in item.keys() if not s.isEmpty()]  # noqa: SIM118 (QShortcut.keys)
        if sequences:
            found.append((str(item.property(shortcuts.SHORTCUT_ID) or "?"), sequences))
    for child in [widget, *widget.findChildren(QWidget)]:
        handled = child.property(shortcuts.SHORTCUT_ID)
        if isinstance(handled, str) and handled:
            for shortcut_id in handled.split(","):
                found.append((shortcut_id, shortcuts.SHORTCUTS[shortcut_id].sequences()))
    return found


def test_every_shortcut_of_the_app_comes_from_the_table(
    qtbot: QtBot, demo_workspace: LocalWorkspace
) -> None:
    """Walk the real windows: each key the app answers is bound from ``shortcuts.py``, with
    the table's keys, and each entry of the table is bound somewhere. So Help → Keyboard
    shortcuts, which lists the table, lists exactly the app's shortcuts."""
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    for key in window.pages:
        window.show_page(key)
    quote_id = quote_service.list_quotes(demo_workspace.db).rows[0].id
    editor = open_quote_editor(window, quote_id)
    guide = help.UserGuideDialog(window)
    qtbot.addWidget(guide)
    seen: set[str] = set()
    for widget in (window, editor, guide):
        for shortcut_id, sequences in _bound_items(widget):
            assert shortcut_id != "?", f"a shortcut not in the table: {sequences}"
            assert sequences == shortcuts.SHORTCUTS[shortcut_id].sequences(), shortcut_id
            seen.add(shortcut_id)
    assert seen == {i for i, entry in shortcuts.SHORTCUTS.items() if entry.sequences()}
    assert len(seen) >= 20
    dialog = help.ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    listed = [
        tuple(dialog.table.item(r, c).text() for c in range(3))
        for r in range(dialog.table.rowCount())
    ]
    assert listed == shortcuts.rows()
    assert ("Quote editor", "Save a new version", "Ctrl+S") in listed
    assert ("Main window", "Show Quotes", "Ctrl+1") in listed
    editor.close()


def test_the_user_guide_can_be_searched(qtbot: QtBot, workspace: LocalWorkspace) -> None:
    """The guide is long; it had no search. Ctrl+F goes to the search box, typing selects
    the first place the words are, Enter and F3 the next (round to the start again),
    Shift+F3 the previous, and the box says how many places match, or that none does."""
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    guide = help.UserGuideDialog(window)
    qtbot.addWidget(guide)
    guide.show()
    qtbot.waitExposed(guide)
    guide.activateWindow()  # keys go where the user reads
    qtbot.waitUntil(guide.isActiveWindow)
    guide.browser.setFocus()
    qtbot.keyClick(guide.browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert guide.search.hasFocus()
    qtbot.keyClicks(guide.search, "recent databases")
    selected = guide.browser.textCursor()
    assert selected.selectedText().lower() == "recent databases"
    document = guide.browser.document().toPlainText().lower()
    count = document.count("recent databases")
    assert count >= 1
    assert guide.search_status.text() == (f"{count} place" if count == 1 else f"{count} places")
    starts = [selected.selectionStart()]
    for _ in range(count):
        qtbot.keyClick(guide.search, Qt.Key.Key_Return)
        assert guide.isVisible()  # Enter finds the next place; it does not close the guide
        starts.append(guide.browser.textCursor().selectionStart())
    assert starts[-1] == starts[0]  # round to the first again
    assert len(set(starts)) == count
    qtbot.keyClick(guide.search, Qt.Key.Key_F3)
    assert guide.browser.textCursor().selectionStart() == (starts[1] if count > 1 else starts[0])
    qtbot.keyClick(guide.search, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert guide.browser.textCursor().selectionStart() == starts[0]
    guide.search.setText("no such words in any guide")
    assert guide.search_status.text() == "Not in the guide"
    assert not guide.browser.textCursor().hasSelection()
    guide.search.clear()
    assert guide.search_status.text() == ""


def test_shortcuts_action_opens_the_list(
    qtbot: QtBot, workspace: LocalWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[int] = []
    monkeypatch.setattr(
        help.ShortcutsDialog, "exec", lambda self: shown.append(self.table.rowCount())
    )
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.shortcuts_action.trigger()
    assert shown == [len(shortcuts.SHORTCUTS)]


def test_f1_opens_the_user_guide_not_the_readme(qtbot: QtBot, workspace: LocalWorkspace) -> None:
    """Help → User Guide (F1) shows the user guide shipped with the app, with its
    screenshots, and none of the README's developer set-up. (Before, it showed the README:
    scripts/test, .venv, the developers' section.)"""
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert window.user_guide_action.shortcut() == QKeySequence("F1")
    window.user_guide_action.trigger()
    guide = window.findChild(help.UserGuideDialog)
    assert guide is not None and guide.isVisible()
    assert guide.base == help.user_guide_path().parent
    assert help.user_guide_path() == resources_dir() / "guide" / "user-guide.md"
    text = guide.browser.toPlainText()
    assert text.startswith("Quote Builder user guide")
    assert "Quote Builder prices AI-native SaaS deals" in text
    assert "Starting Quote Builder" in text and "Where your data is" in text
    assert "quote-builder deal finalise" in text  # commands as an installed app names them
    for developer_text in ("scripts/", ".venv", "pytest", "For developers", "Two commands"):
        assert developer_text not in text, developer_text
    shown = _images(guide)
    assert len(shown) >= 10
    for name in shown:  # every screenshot is there, scaled to the guide's width at most
        assert (guide.base / name).is_file(), name
    guide.close()


def _images(guide: help.UserGuideDialog) -> list[str]:
    """The image names the guide's document shows."""
    names = []
    block = guide.browser.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            image = iterator.fragment().charFormat().toImageFormat()
            if image.isValid():
                names.append(image.name())
            iterator += 1
        block = block.next()
    return names


def test_without_the_guide_the_viewer_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(help, "user_guide_path", lambda: tmp_path / "guide" / "user-guide.md")
    text, base = help.user_guide()
    assert base is None
    assert "The user guide was not installed with this copy of the app" in text
    # images are dropped when their files are not there
    assert help._without_missing_images("a ![Quotes](images/quotes.png) b", None) == "a  b"


def test_open_log_folder(
    qtbot: QtBot, workspace: LocalWorkspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(crash, "open_folder", opened.append)
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.log_folder_action.trigger()
    assert opened == [log_dir()]
    assert log_dir().is_dir()


def test_the_guides_screenshots_are_scaled_smoothly_to_the_size_shown(
    qtbot: QtBot, workspace: LocalWorkspace
) -> None:
    """The guide shows its full-window screenshots at most 760 pixels wide. The text
    browser scaled them by dropping pixel columns, so thin letters went missing ("Catalog"
    read "Cata og", "Approvals" "Approva s"): each screenshot shown smaller is now given to
    the document scaled smoothly to the size it is shown at, and again after a resize."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QImage, QPixmap, QTextDocument

    guide = help.UserGuideDialog()
    qtbot.addWidget(guide)
    guide.show()
    qtbot.waitExposed(guide)
    document = guide.browser.document()

    def shown_and_given() -> list[tuple[str, int, int]]:
        found = []
        block = document.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                image = iterator.fragment().charFormat().toImageFormat()
                if image.isValid():
                    given = document.resource(
                        QTextDocument.ResourceType.ImageResource, QUrl(image.name())
                    )
                    assert isinstance(given, (QImage, QPixmap)), image.name()
                    logical = round(given.width() / given.devicePixelRatio())
                    found.append((image.name(), round(image.width()), logical))
                iterator += 1
            block = block.next()
        return found

    first = shown_and_given()
    assert len(first) >= 10
    assert any(QImage(str(guide.base / name)).width() > shown for name, shown, _g in first)
    for name, shown, given in first:
        assert given == shown, name
    guide.resize(600, 500)
    qtbot.waitUntil(lambda: guide._fitted_to < 600)
    after = shown_and_given()
    assert max(shown for _n, shown, _g in after) < max(shown for _n, shown, _g in first)
    for name, shown, given in after:
        assert given == shown, name
    guide.close()
