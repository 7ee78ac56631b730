"""UI tests run offscreen with pytest-qt; each gets its own database and QSettings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QStandardPaths  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402

from quote_builder.services.demo import seed_demo  # noqa: E402
from quote_builder.services.workspace import LocalWorkspace, open_workspace  # noqa: E402
from quote_builder.ui.main_window import MainWindow  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drafts (and everything else the app keeps in its data folder) per test."""
    monkeypatch.setenv("QUOTE_BUILDER_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(autouse=True)
def english_interface() -> Iterator[None]:
    """The interface speaks English in every test, whatever the machine's LANG or the
    Settings' language (tests of German or French switch with ``i18n.use_language`` and
    are switched back here)."""
    from quote_builder.ui import i18n

    i18n.use_language("en")
    yield
    i18n.use_language("en")


@pytest.fixture(autouse=True)
def english_numbers() -> Iterator[None]:
    """Numbers are read and shown as en_US writes them, whatever the machine's locale; a
    test of another locale sets it with ``set_ui_locale``."""
    from quote_builder.ui.locale_numbers import set_ui_locale

    set_ui_locale("en_US")
    yield
    set_ui_locale("en_US")


@pytest.fixture(autouse=True)
def ask_before_editing_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """ "Edit anyway?" is asked at the first keystroke, not when typing pauses (the pause is
    for a real keyboard: tests/ui/test_governance_ui.py tests it)."""
    from quote_builder.ui.edit_gate import EditGate

    monkeypatch.setattr(EditGate, "settle_ms", 0)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[None]:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    yield


@pytest.fixture(autouse=True)
def us_english_numbers() -> Iterator[None]:
    """Amounts and percents as en_US writes them, whatever the machine's locale (a test
    that wants another sets it with locale_format.set_locale)."""
    from quote_builder.ui import locale_format

    locale_format.set_locale("en_US")
    yield
    locale_format.set_locale(None)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[LocalWorkspace]:
    """The database in the test's process, but every call the windows make crosses the same
    pickle boundary as in the app (where the database lives in its own process)."""
    ws = open_workspace(str(tmp_path / "ui.db"), user="tester")
    ws.check_transport = True
    yield ws
    ws.close()


@pytest.fixture
def demo_workspace(workspace: LocalWorkspace) -> LocalWorkspace:
    seed_demo(workspace.db, actor="demo")
    return workspace


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: LocalWorkspace) -> Iterator[MainWindow]:
    """The main window over the demo data; open editors are closed clean afterwards (a
    test file that needs another window defines its own ``window``)."""
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.editor.undo_stack.setClean()
        editor.editor.mark_saved()
        editor.close()


@pytest.fixture(autouse=True)
def no_blocking_dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A modal message box would block an offscreen test forever: record it and answer
    No/Close instead. Tests that expect a dialog patch these themselves."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def record(answer: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def fake(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
            shown.append(" | ".join(str(a) for a in args[1:3]))
            return answer

        return fake

    monkeypatch.setattr(QMessageBox, "question", record(QMessageBox.StandardButton.No))
    monkeypatch.setattr(QMessageBox, "warning", record(QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "information", record(QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "critical", record(QMessageBox.StandardButton.Ok))
    # The guided flow asks before Escape or closing throws away what was typed (its own
    # box, Discard / Keep editing): a test that leaves it open is closed at teardown, so
    # answer Discard. tests/ui/test_wizard_discard.py drives the real question.
    from quote_builder.ui.wizard import GuidedQuote

    def discard(wizard: GuidedQuote) -> bool:
        shown.append("Discard this quote?")
        return True

    monkeypatch.setattr(GuidedQuote, "_confirm_discard", discard)
    # The editor asks before it changes a quote's currency (its own box: Convert / Keep the
    # numbers / Cancel): answer Cancel. tests/ui/test_currency_change_ui.py drives the box.
    from quote_builder.ui.quote_editor import QuoteEditor

    def cancel_currency(editor: QuoteEditor, change: object) -> None:
        shown.append("Change the currency")
        return None

    monkeypatch.setattr(QuoteEditor, "ask_currency", cancel_currency)
    yield shown


@pytest.fixture(scope="session")
def pilot_analysis() -> object:
    """The demo pilot log analysed once per session, for the model-based tests (the app
    does this in a separate process: see tests/ui/stateful.py)."""
    from quote_builder.services.usage import analyse_usage_log

    from .stateful import PILOT_LOG

    return analyse_usage_log(PILOT_LOG, None, None, currency="USD", quote_label="quote")
