"""Autosaved drafts belong to one database and one quote."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from quote_builder.services import quotes as quote_service
from quote_builder.services.demo import seed_demo
from quote_builder.services.workspace import LocalWorkspace, open_workspace
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor


def demo_window(qtbot: QtBot, path: Path) -> tuple[MainWindow, LocalWorkspace]:
    workspace = open_workspace(str(path), user="tester")
    seed_demo(workspace.db, actor="demo")
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    return window, workspace


@pytest.fixture
def two_databases(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[MainWindow, MainWindow]]:
    first, a = demo_window(qtbot, tmp_path / "a.db")
    second, b = demo_window(qtbot, tmp_path / "b.db")
    yield first, second
    for window in (first, second):
        for editor in list(window.editors.values()):
            editor.editor.undo_stack.setClean()
            editor.close()
    a.close()
    b.close()


def test_a_draft_of_one_database_is_not_offered_in_another(
    two_databases: tuple[MainWindow, MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_databases
    # Both databases have a quote with the same id (the demo made the same rows).
    quote_id = quote_service.list_quotes(first.workspace.db).rows[0].id  # type: ignore[attr-defined]
    assert quote_service.get_quote(second.workspace.db, quote_id)  # type: ignore[attr-defined]
    assert first.workspace.database_id != second.workspace.database_id

    editor = open_quote_editor(first, quote_id)
    editor.editor._push(("title",), "Unsaved in the first database")
    editor.autosave_draft()
    draft = editor.draft_path()
    assert draft.exists() and first.workspace.database_id in str(draft)
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    assert stat.S_IMODE(draft.parent.stat().st_mode) == 0o700

    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(str(a[2])) or QMessageBox.StandardButton.Yes,
    )
    other = open_quote_editor(second, quote_id)
    other.offer_draft()
    assert asked == []  # nothing offered: the draft belongs to the other database
    assert other.editor.data["title"] != "Unsaved in the first database"
    assert other.editor.undo_stack.isClean()


def test_a_change_undone_before_closing_is_not_offered_back(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Walk 6: type 7 in Deal discount, wait for the autosave, Ctrl+Z back to the saved
    version (no •), close: the editor did not ask (nothing to save), but the autosaved draft
    stayed and reopening offered the undone change back as "Quote Builder closed before
    your changes … were saved"."""
    window, workspace = demo_window(qtbot, tmp_path / "q.db")
    quote_id = quote_service.list_quotes(workspace.db).rows[0].id  # type: ignore[attr-defined]
    editor = open_quote_editor(window, quote_id)
    saved_title = editor.editor.data["title"]
    editor.editor._push(("title",), "Typed, then undone")
    editor.autosave_draft()
    draft = editor.draft_path()
    assert draft.exists()
    editor.editor.undo_stack.undo()
    assert not editor.editor.is_modified()
    editor.close()
    assert not draft.exists()
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(str(a[2])) or QMessageBox.StandardButton.Yes,
    )
    again = open_quote_editor(window, quote_id)
    again.offer_draft()
    assert asked == [] and again.editor.data["title"] == saved_title
    again.close()
    workspace.close()


def test_a_data_folder_that_cannot_be_made_does_not_stop_opening_saving_or_closing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only home (the database given with --db elsewhere): the drafts folder cannot
    be made. Opening a quote, saving it and closing its window each showed "Something went
    wrong in Quote Builder (FileWriteError: .../drafts/...: cannot create the folder ...)";
    after the save the banner and the list were not refreshed, and the window closed
    without leaving the editors it was listed in."""
    window, workspace = demo_window(qtbot, tmp_path / "q.db")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder's parent should be")
    monkeypatch.setenv("QUOTE_BUILDER_DATA_DIR", str(blocker / "data"))
    quote_id = quote_service.list_quotes(workspace.db).rows[0].id  # type: ignore[attr-defined]
    editor = open_quote_editor(window, quote_id)
    editor.offer_draft()  # nothing to offer, no error
    editor.editor._push(("title",), "Saved without a drafts folder")
    editor.autosave_draft()  # said in the status bar, no error
    assert "could not be kept" in editor.statusBar().currentMessage()
    assert editor.save() is True  # saved, and the editor finished its work after the save
    assert not editor.editor.is_modified()
    assert editor.row.latest_version == 2
    assert editor.statusBar().currentMessage() == "Saved version 2"
    editor.close()
    assert quote_id not in window.editors
    assert quote_service.open_version(workspace.db, quote_id).document.title == (
        "Saved without a drafts folder"
    )
    workspace.close()


def test_a_draft_restored_after_someone_saved_a_newer_version_does_not_undo_theirs(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app is killed with an unsaved change to version 1 (kept in its draft); the
    command line then saves version 2 (usage evidence attached, here a changed note).
    Reopened, the draft was offered ("based on version 1"), and Save after Restore saved
    version 3 as version 1 plus the draft: version 2's change was silently undone."""
    window, workspace = demo_window(qtbot, tmp_path / "q.db")
    db = workspace.db
    quote_id = quote_service.list_quotes(db).rows[0].id  # type: ignore[attr-defined]
    editor = open_quote_editor(window, quote_id)
    editor.editor._push(("title",), "My unsaved title")
    editor.autosave_draft()
    draft = editor.draft_path()
    kept = draft.read_bytes()
    editor.editor.undo_stack.setClean()
    qtbot.wait(10)  # the editor's queued reactions to the edit run while it is open
    editor.close()
    draft.write_bytes(kept)  # as a kill -9 leaves it

    theirs = quote_service.open_version(db, quote_id)
    quote_service.save_quote(
        db,
        quote_id,
        theirs.document.model_copy(update={"notes": "Their note, saved from elsewhere"}),
        expected_version=theirs.quote.version_id,
        actor="colleague",
    )
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    conflicts: list[str] = []
    again = open_quote_editor(window, quote_id)
    monkeypatch.setattr(again, "show_conflict", conflicts.append)
    again.offer_draft()
    assert again.editor.data["title"] == "My unsaved title"
    assert again.save() is False  # shown side by side instead of saved over theirs
    assert len(conflicts) == 1
    latest = quote_service.open_version(db, quote_id)
    assert latest.version.number == 2
    assert latest.document.notes == "Their note, saved from elsewhere"
    plan = quote_service.plan_merge(db, quote_id, again.row.latest_version, again.editor.document)
    merged = plan.merge.keep_mine
    assert merged is not None
    assert merged.title == "My unsaved title"
    assert merged.notes == "Their note, saved from elsewhere"
    again.editor.undo_stack.setClean()
    qtbot.wait(10)
    again.close()
    workspace.close()


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        '"a string"',
        '{"based_on": 1}',
        '{"based_on": 1, "data": "x"}',
        '{"based_on": 1, "data": {"components": 5}}',
        '{"based_on": 1, "data": {"term_months": "twelve"}}',
    ],
)
def test_a_draft_edited_by_hand_is_dropped_not_a_crash(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """A draft file of another shape (edited by hand, or not written by this app) showed
    an unexpected error on opening the quote ('list' object has no attribute 'get',
    KeyError: 'data') or broke the editor's undo ('int' object is not iterable). It is
    dropped like a draft that is not JSON at all, and the quote opens as saved."""
    window, workspace = demo_window(qtbot, tmp_path / "q.db")
    quote_id = quote_service.list_quotes(workspace.db).rows[0].id  # type: ignore[attr-defined]
    editor = open_quote_editor(window, quote_id)
    draft = editor.draft_path()
    saved = dict(editor.editor.data)
    qtbot.wait(10)
    editor.close()
    draft.write_text(text)
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(str(a[2])) or QMessageBox.StandardButton.Yes,
    )
    again = open_quote_editor(window, quote_id)
    again.offer_draft()
    assert asked == [] and not draft.exists()
    assert again.editor.data == saved and not again.editor.is_modified()
    qtbot.wait(10)
    again.close()
    workspace.close()


def test_asked_to_stop_no_question_holds_the_app_open(
    qtbot: QtBot, tmp_path: Path, no_blocking_dialogs: list[str]
) -> None:
    """SIGTERM (a logout, a shutdown) with an unsaved quote and the guided flow open: the
    app asked "Save your changes…?" and "Discard this quote?" and did not quit until someone
    answered. Now the windows close without asking; the quote's changes stay as its draft."""
    from quote_builder.ui.wizard import GuidedQuote

    window, workspace = demo_window(qtbot, tmp_path / "a.db")
    quote_id = quote_service.list_quotes(workspace.db).rows[0].id
    editor = open_quote_editor(window, quote_id)
    editor.editor._push(("title",), "Typed just before the logout")
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.customer_page.title_.setText("A quote under way")
    assert wizard.has_entries()
    window.keep_drafts()  # what the SIGTERM handler does first (ui.app._quit_on_terminate)
    window.stopping = True
    assert wizard.close() and not wizard.isVisible()
    assert editor.close()
    assert window.close()
    assert no_blocking_dialogs == []  # nothing asked (the fixture records every question)
    draft = editor.draft_path()
    assert draft.exists() and "Typed just before the logout" in draft.read_text()
    workspace.close()
