"""Issue 14 in the app: governed settings, keys and approvers, the editor's status
banner, Request approval only when there is something to request, the warning before an
approval is voided, Verify a PDF, and no command-line advice in the app's messages."""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QSpinBox
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from quote_builder.pricing.document import Discount
from quote_builder.services import approvals as approval_service
from quote_builder.services import keys as key_service
from quote_builder.services import policy as policy_service
from quote_builder.services import quotes as quote_service
from quote_builder.services.core import Changes
from quote_builder.services.documents import render_saved_quote
from quote_builder.services.workspace import LocalWorkspace
from quote_builder.ui import locale_format
from quote_builder.ui.approval_banner import banner_text
from quote_builder.ui.approvals_view import ApprovalsPage, KeysDialog, NewKeyDialog
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import QuoteEditorWindow, open_quote_editor
from quote_builder.ui.settings_view import SettingsPage
from quote_builder.ui.verify_view import VerifyDialog
from tests.store.governance_helpers import PASS, Org, make_org

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Org:
    return make_org(tmp_path, monkeypatch)


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: LocalWorkspace, org: Org) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    policy_service.install_policy(demo_workspace.db, org.bundle(), actor="it")
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.close()


def discounted(window: MainWindow, percent: str = "15") -> quote_service.QuoteRow:
    db = window.workspace.db
    row = quote_service.list_quotes(db, status="draft").rows[0]
    doc = quote_service.open_version(db, row.id).document
    changed = doc.model_copy(update={"discounts": [Discount(description="Deal", percent=percent)]})
    return quote_service.save_quote(
        db, row.id, changed, expected_version=row.version_id, actor="rick"
    ).value


def desk_decides(window: MainWindow, org: Org, number: str, *, approve: bool = True) -> None:
    with org.on_desk():
        approval_service.decide(
            window.workspace.db,
            number,
            approve=approve,
            key_name="dana",
            passphrase=PASS,
            actor="dana",
            comment="Strategic logo" if approve else "Margin too thin for a pilot",
            expires=dt.date.today() + dt.timedelta(days=30),
            conditions=["Signed by 31 March"] if approve else [],
        )


# --- settings -------------------------------------------------------------------------------


def test_governed_settings_are_read_only_and_say_where_they_come_from(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    policy = policy_service.installed_policy(window.workspace.db)
    assert policy is not None
    assert page.policy_source.text().startswith(f"From policy {policy.short} (serial 1)")
    assert "signed by Acme Analytics until" in page.policy_source.text()
    for widget in page.governed_widgets():
        if isinstance(widget, QLineEdit | QSpinBox):
            assert widget.isReadOnly(), widget.objectName()
        else:
            assert not widget.isEnabled()
        assert policy.short in widget.toolTip()
    assert not page.seller_name.isReadOnly()
    page.seller_name.setText("Acme Analytics Inc.")
    assert page.save()  # the rest of the form still saves
    assert page.drift_label.isHidden()


def test_the_settings_say_which_organisation_key_is_pinned(
    qtbot: QtBot, window: MainWindow, org: Org, tmp_path: Path, no_pinned_organisation_key: Path
) -> None:
    """h2: an administrator pinned the organisation's key on the rep's computer; the
    Settings page says which key and where, and, when the database's policy is signed by
    another key (a rep's own, installed round the append-only trigger), that the policy
    cannot be used and why."""
    from quote_builder.approvals import signing

    no_pinned_organisation_key.write_text(org.org.public_line + "\n", encoding="utf-8")
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    page.load(window.workspace.run(policy_settings))
    shown = page.policy_source.text()
    short = signing.short_fingerprint(org.org.fingerprint)
    assert shown.startswith("From policy "), shown
    assert (
        f"The organisation key {short} is pinned on this computer "
        f"(in {no_pinned_organisation_key}): only policies and approvals signed under it "
        "count here."
    ) in shown

    other = key_service.create_key("other-org", PASS, directory=tmp_path / "other")
    no_pinned_organisation_key.write_text(other.public_line + "\n", encoding="utf-8")
    page.load(window.workspace.run(policy_settings))
    shown = page.policy_source.text()
    assert shown.startswith("The organisation's policy cannot be used: "), shown
    assert (
        f"not by the one pinned on this computer ({signing.short_fingerprint(other.fingerprint)}"
        in shown
    )
    assert f"The organisation key {signing.short_fingerprint(other.fingerprint)} is pinned" in shown
    assert page.margin_floor.isReadOnly()


def test_verify_says_it_checks_against_the_pinned_key(
    qtbot: QtBot, window: MainWindow, org: Org, no_pinned_organisation_key: Path
) -> None:
    """h2: Verify a PDF… with the organisation key field empty compares with the key pinned
    on this computer (not the database's policy, which its user can change): it says so."""
    from quote_builder.approvals import signing

    dialog = VerifyDialog(window, window.workspace)
    qtbot.addWidget(dialog)
    assert dialog.org_key.placeholderText() == (
        "Empty: the organisation key of the policy installed here"
    )
    no_pinned_organisation_key.write_text(org.org.public_line + "\n", encoding="utf-8")
    dialog = VerifyDialog(window, window.workspace)
    qtbot.addWidget(dialog)
    assert dialog.org_key.placeholderText() == (
        "Empty: the organisation key pinned on this computer "
        f"({signing.short_fingerprint(org.org.fingerprint)})"
    )


def test_a_setting_changed_with_sql_is_reported_not_used(qtbot: QtBot, window: MainWindow) -> None:
    with window.workspace.db.engine.begin() as connection:
        connection.execute(text("UPDATE settings SET margin_floor_percent = '5'"))
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    page.load(window.workspace.run(policy_settings))
    assert page.margin_floor.text() == "60"
    assert not page.drift_label.isHidden()
    assert "Margin floor: the database says 5, the policy 60" in page.drift_label.text()


def policy_settings(db: object) -> object:
    from quote_builder.services.settings import get_settings

    return get_settings(db)  # type: ignore[arg-type]


def test_install_a_newer_policy_from_the_settings(
    qtbot: QtBot, window: MainWindow, org: Org, tmp_path: Path, no_blocking_dialogs: list[str]
) -> None:
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    newer = tmp_path / "policy-2.json"
    newer.write_text(org.bundle(serial=2, margin_floor_percent="65"))
    page.ask_policy_path = lambda: newer  # type: ignore[method-assign]
    page.install_policy()
    assert page.margin_floor.text() == "65" and "(serial 2)" in page.policy_source.text()
    page.install_policy()  # the same again: refused with a sentence
    assert any(
        "Policy not installed" in shown and "already installed" in shown
        for shown in no_blocking_dialogs
    )


# --- keys and approvers ---------------------------------------------------------------------------


def test_keys_dialog_creates_with_the_passphrase_twice_and_lists_fingerprints(
    qtbot: QtBot, window: MainWindow, org: Org
) -> None:
    page = window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    dialog = KeysDialog(page, window.workspace)
    qtbot.addWidget(dialog)
    assert "from policy" in dialog.approvers_label.text()
    names = [
        dialog.approvers_table.item(i, 0).text() for i in range(dialog.approvers_table.rowCount())
    ]  # type: ignore[union-attr]
    assert names == ["Dana Whitfield", "Max Moreno"]
    assert dialog.approvers_table.item(0, 1).text() == "deal desk"  # type: ignore[union-attr]
    assert dialog.trust_button.isHidden()  # trusting by hand is gone with a policy
    tries = iter(
        [
            ("rick", "first passphrase", "first passphrase!"),
            ("rick", "a passphrase", "a passphrase"),
        ]
    )
    errors: list[str] = []

    def fill(new: object) -> bool:
        assert isinstance(new, NewKeyDialog)
        errors.append(new.error.text())
        try:
            name, one, two = next(tries)
        except StopIteration:
            return False
        new.name.setText(name)
        new.passphrase.setText(one)
        new.again.setText(two)
        return True

    page.exec_dialog = fill  # type: ignore[method-assign]
    dialog.create_key()
    assert errors[1] == "Passphrase again: the two passphrases differ; type them again"
    assert len(errors) == 2  # created on the second try
    rick = next(k for k in key_service.list_keys() if k.name == "rick")
    assert dialog.keys_table.item(0, 0).text() == "rick"  # type: ignore[union-attr]
    assert dialog.keys_table.item(0, 1).text() == rick.short_fingerprint  # type: ignore[union-attr]
    dialog.copy_public_key()
    assert QGuiApplication.clipboard().text() == rick.public_line


def test_the_keys_dialog_names_the_approvers_roles_in_german(
    qtbot: QtBot, window: MainWindow, org: Org
) -> None:
    """Desk walk in German (desk1): Keys and approvers listed the policy's approvers with
    the roles "deal desk" and "manager" in English (the services' words) under the German
    heading "Rolle"."""
    from quote_builder.ui import i18n

    page = window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    i18n.use_language("de")
    try:
        dialog = KeysDialog(page, window.workspace)
        qtbot.addWidget(dialog)
        roles = [
            dialog.approvers_table.item(i, 1).text()  # type: ignore[union-attr]
            for i in range(dialog.approvers_table.rowCount())
        ]
    finally:
        i18n.use_language("en")
    assert roles == ["Deal Desk", "Manager"]


def test_without_a_policy_trusted_keys_are_labelled_unverified(
    qtbot: QtBot, workspace: LocalWorkspace, org: Org
) -> None:
    win = MainWindow(workspace)
    qtbot.addWidget(win)
    page = win.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    dialog = KeysDialog(page, workspace)
    qtbot.addWidget(dialog)
    assert "unverified" in dialog.approvers_label.text() and not dialog.trust_button.isHidden()


# --- the editor's banner and actions ---------------------------------------------------------------


def test_banner_follows_the_quote_from_draft_to_approved(
    qtbot: QtBot, window: MainWindow, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = discounted(window, "24")
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    assert editor.banner.kind == "draft"
    assert "needs the deal desk's approval before it is final" in editor.banner.text()
    assert editor.approval_action.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: ("", ""))
    editor.approval_action.trigger()
    assert editor.banner.kind == "pending"
    assert "waits for the deal desk (asked by tester on" in editor.banner.text()
    assert not editor.approval_action.isEnabled()
    assert "already requested" in editor.approval_action.toolTip()
    # The deal desk decides on the shared database; the app hears of it.
    desk_decides(window, org, row.number)
    window.changed.emit(Changes.of(quotes=[row.id]))
    assert editor.banner.kind == "approved"
    text_ = editor.banner.text()
    assert "approved by Dana Whitfield (deal desk)" in text_
    last_day = dt.date.today() + dt.timedelta(days=30)  # the day Dana chose
    # dates as the locale writes them (en_US in tests: "Dec 30, 2026")
    assert (
        f"valid until {locale_format.day(last_day)}." in text_
        and "Conditions: Signed by 31 March" in text_
    )
    assert "this approval will no longer count" in text_
    assert not editor.approval_action.isEnabled()
    # h2: asking again would void the approval until the desk decides: not offered.
    assert editor.approval_action.toolTip() == (
        f"Version {row.latest_version} is already approved by Dana Whitfield until "
        f"{locale_format.day(last_day)}; nothing to request"
    )


def test_banner_shows_a_rejection_with_its_reason(
    qtbot: QtBot, window: MainWindow, org: Org
) -> None:
    row = discounted(window, "24")
    approval_service.request_approval(window.workspace.db, row.number, actor="rick")
    desk_decides(window, org, row.number, approve=False)
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    assert editor.banner.kind == "rejected"
    assert (
        "rejected by Dana Whitfield (deal desk): Margin too thin for a pilot"
        in editor.banner.text()
    )


def test_request_approval_is_disabled_when_there_is_nothing_to_request(
    qtbot: QtBot, window: MainWindow
) -> None:
    db = window.workspace.db
    row = next(
        r
        for r in quote_service.list_quotes(db, status="draft").rows
        if not approval_service.evaluate_quote(db, r.number).evaluation.needed
    )
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    assert not editor.approval_action.isEnabled()
    assert editor.approval_action.toolTip().startswith(
        "Nothing in this quote needs approval under policy"
    )
    assert "needs no approval under policy" in editor.banner.text()


def test_editing_an_approved_quote_says_the_approval_will_be_void(
    qtbot: QtBot, window: MainWindow, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = discounted(window, "15")
    approval_service.request_approval(window.workspace.db, row.number, actor="rick")
    desk_decides(window, org, row.number)
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    asked: list[str] = []
    defaults: list[object] = []
    answer = QMessageBox.StandardButton.No

    def question(_parent: object, title: str, text_: str, *a: object) -> QMessageBox.StandardButton:
        asked.append(f"{title}: {text_}")
        defaults.append(a[1] if len(a) > 1 else QMessageBox.StandardButton.Yes)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    editor.editor._push(("title",), "A new title")
    # Held until the answer (defect 2: it was applied first and undone after No).
    assert editor.editor.undo_stack.isClean() and editor.editor.data["title"] != "A new title"
    qtbot.waitUntil(lambda: bool(asked))
    assert asked[0].startswith("The approval will be void: Version 2 is approved by Dana Whitfield")
    # Enter (or the next key of a rep typing on) keeps the approval: No is the default.
    assert defaults[0] == QMessageBox.StandardButton.No
    qtbot.wait(20)
    assert editor.editor.undo_stack.count() == 0  # No: never applied, nothing to redo
    assert editor.editor.data["title"] != "A new title"
    answer = QMessageBox.StandardButton.Yes
    editor.editor._push(("title",), "A new title")
    qtbot.waitUntil(lambda: len(asked) == 2)
    qtbot.wait(20)
    assert not editor.editor.undo_stack.isClean()  # Yes: editing goes on
    assert quote_service.get_quote(window.workspace.db, row.id).status == "approved"


def test_undoing_past_the_saved_version_is_also_an_edit(
    qtbot: QtBot, window: MainWindow, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a save the undo history remains: Ctrl+Z moves away from the approved version
    too, and No brings it back (redo), not further away."""
    row = discounted(window, "15")
    approval_service.request_approval(window.workspace.db, row.number, actor="rick")
    desk_decides(window, org, row.number)
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    stack = editor.editor.undo_stack
    editor._void_confirmed = True
    editor.editor._push(("title",), "An edit before the save")
    editor.editor.mark_saved()  # as after a save: the history before it remains
    editor._void_confirmed = False
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(str(a[2])) or QMessageBox.StandardButton.No,
    )
    stack.undo()
    qtbot.waitUntil(lambda: bool(asked))
    qtbot.waitUntil(stack.isClean)
    assert stack.index() == stack.cleanIndex()


def test_refreshing_the_banner_never_hides_a_version_saved_elsewhere(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quote_builder.ui import quote_editor as editor_module

    db = window.workspace.db
    row = discounted(window, "5")
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    theirs = quote_service.open_version(db, row.id).document.model_copy(update={"title": "Theirs"})
    quote_service.save_quote(db, row.id, theirs, expected_version=row.version_id, actor="bob")
    window.changed.emit(Changes.of(quotes=[row.id]))  # the banner refreshes...
    editor.editor._push(("title",), "Mine")
    shown: list[str] = []

    def fake_exec(dialog: object) -> int:
        shown.append("conflict")
        dialog.clicked = None  # type: ignore[attr-defined]
        return 0

    monkeypatch.setattr(editor_module.ComparisonDialog, "exec", fake_exec)
    assert editor.save() is False and shown  # ...and the save still sees their version
    assert quote_service.open_version(db, row.id).document.title == "Theirs"


def _answer_conflict(
    monkeypatch: pytest.MonkeyPatch,
    words: str,
    seen: list[tuple[str, list[str]]],
    columns: list[tuple[str, list[str]]] | None = None,
) -> None:
    """Press the conflict dialog's button whose text holds ``words``; record the
    dialog's message and its buttons' texts in ``seen``."""
    from quote_builder.ui import quote_editor as editor_module
    from quote_builder.ui import service_words

    columns = [] if columns is None else columns

    def fake_exec(dialog: editor_module.ComparisonDialog) -> int:
        buttons = dialog.buttons.buttons()
        texts = [b.text() for b in buttons]
        message = dialog.findChildren(QLabel)[0].text()
        seen.append((message, texts))
        right = dialog.table.horizontalHeaderItem(2).text()
        changed = [service_words.text(r.label) for r in dialog.rows if r.changed]
        columns.append((right, changed))
        dialog.clicked = next((b for b in buttons if words in b.text()), None)
        return 0

    monkeypatch.setattr(editor_module.ComparisonDialog, "exec", fake_exec)


def test_a_conflict_saves_their_changes_with_mine_applied(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Theirs changed the notes while I changed the title: the saved version carries both
    (the old "Save mine as the next version" dropped their change)."""
    db = window.workspace.db
    row = discounted(window, "5")
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    opened = quote_service.open_version(db, row.id).document
    theirs = opened.model_copy(update={"notes": "Their note"})
    quote_service.save_quote(db, row.id, theirs, expected_version=row.version_id, actor="bob")
    editor.editor._push(("title",), "Mine")
    seen: list[tuple[str, list[str]]] = []
    theirs_v, next_v = row.latest_version + 1, row.latest_version + 2
    columns: list[tuple[str, list[str]]] = []
    _answer_conflict(monkeypatch, f"Save v{next_v}", seen, columns)
    assert editor.save() is False  # refused as a conflict, then saved merged from the dialog
    message, buttons = seen[0]
    assert f"Their changes (v{theirs_v}): Notes" in message and "Your changes: Title" in message
    assert f"Save v{next_v}: their changes and mine" in buttons
    assert "nothing of theirs is lost" in message
    # Beside theirs, what the save holds: only my title differs (their notes are kept).
    assert columns[0] == (f"v{next_v} with your changes", ["Title"])
    saved = quote_service.open_version(db, row.id)
    assert saved.version.number == next_v
    assert (saved.document.title, saved.document.notes) == ("Mine", "Their note")
    assert editor.editor.data["notes"] == "Their note" and not editor.editor.is_modified()


@pytest.mark.parametrize(("choice", "title"), [("my value", "Mine"), ("their value", "Theirs")])
def test_a_conflict_on_one_field_lets_me_choose_whose_value(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, choice: str, title: str
) -> None:
    db = window.workspace.db
    row = discounted(window, "5")
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    opened = quote_service.open_version(db, row.id).document
    theirs = opened.model_copy(update={"title": "Theirs", "notes": "Their note"})
    quote_service.save_quote(db, row.id, theirs, expected_version=row.version_id, actor="bob")
    editor.editor._push(("title",), "Mine")
    seen: list[tuple[str, list[str]]] = []
    _answer_conflict(monkeypatch, choice, seen)
    editor.save()
    message, buttons = seen[0]
    assert "You both changed: Title" in message
    assert not any(b.startswith("Save mine") for b in buttons)
    saved = quote_service.open_version(db, row.id).document
    assert (saved.title, saved.notes) == (title, "Their note")


def test_a_conflict_whose_merge_is_their_version_saves_nothing_and_says_so(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defect 1: they changed the title (and the notes), I changed the title to the same
    words. The merge is their version as it is: the dialog offered "Save v3: their changes
    and mine", the button saved nothing and the status line said "Saved version 2". Now
    the button takes their version: no new version, the editor shows it unmodified, and
    the status line says there was nothing to save."""
    db = window.workspace.db
    row = discounted(window, "5")
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    opened = quote_service.open_version(db, row.id).document
    theirs = opened.model_copy(update={"title": "Same words", "notes": "Their note"})
    quote_service.save_quote(db, row.id, theirs, expected_version=row.version_id, actor="bob")
    editor.editor._push(("title",), "Same words")
    theirs_v = row.latest_version + 1
    seen: list[tuple[str, list[str]]] = []
    columns: list[tuple[str, list[str]]] = []
    _answer_conflict(monkeypatch, f"Take v{theirs_v}", seen, columns)
    assert editor.save() is False  # refused as a conflict; nothing of mine to add
    message, buttons = seen[0]
    assert "Their version has your changes already" in message
    assert not any(b.startswith(f"Save v{theirs_v + 1}") for b in buttons), buttons
    assert f"Take v{theirs_v}: it has your changes" in buttons
    assert columns[0] == (f"Yours: the same as v{theirs_v}", [])
    assert quote_service.get_quote(db, row.id).latest_version == theirs_v  # no new version
    assert editor.row.latest_version == theirs_v
    assert (
        editor.editor.data["notes"] == "Their note" and editor.editor.data["title"] == "Same words"
    )
    assert not editor.editor.is_modified() and not editor.save_action.isEnabled()
    assert not editor.windowTitle().endswith("•")
    status = editor.statusBar().currentMessage()
    assert status == f"Version {theirs_v} has your changes already: nothing to save", status


@pytest.mark.parametrize("button", ["Take v3", "Load theirs"])
def test_loading_their_approved_version_asks_again_before_the_next_edit(
    qtbot: QtBot, window: MainWindow, org: Org, monkeypatch: pytest.MonkeyPatch, button: str
) -> None:
    """I said Yes to editing the approved version 2 and changed the title; meanwhile they
    saved version 3 with the same title and had it approved. Taking theirs from the
    conflict (or loading it) shows version 3 as saved and approved, and my Yes (given for
    version 2) no longer holds: the next edit asks again (after Load theirs it went in
    unasked, and a save would void their approval without a word)."""
    from quote_builder.ui.edit_gate import EditGate

    db = window.workspace.db
    row = discounted(window, "15")
    approval_service.request_approval(db, row.number, actor="rick")
    desk_decides(window, org, row.number)
    row = quote_service.get_quote(db, row.id)
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    editor.editor._push(("title",), "Same words")
    qtbot.waitUntil(lambda: editor._void_confirmed)
    opened = quote_service.open_version(db, row.id).document
    theirs = opened.model_copy(update={"title": "Same words"})
    quote_service.save_quote(db, row.id, theirs, expected_version=row.version_id, actor="bob")
    approval_service.request_approval(db, row.number, actor="bob")
    desk_decides(window, org, row.number)
    seen: list[tuple[str, list[str]]] = []
    _answer_conflict(monkeypatch, button, seen)
    assert editor.save() is False
    assert any(button in b for b in seen[0][1]), seen
    assert quote_service.get_quote(db, row.id).latest_version == 3
    assert editor.approval_state is not None and editor.approval_state.approval is not None
    assert editor.edit_gate.armed
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(str(a[2])) or QMessageBox.StandardButton.No,
    )
    monkeypatch.setattr(EditGate, "settle_ms", 0)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    deal = next(b.widget for b in editor.editor.bindings if b.path == ("discounts", 0, "percent"))
    deal.setFocus()
    QTest.keyClick(deal, Qt.Key.Key_2)
    assert asked and asked[0].startswith("Version 3 is approved")
    assert not editor.editor.is_modified()


def test_an_approval_whose_customer_changed_no_longer_reads_as_approved(
    qtbot: QtBot, window: MainWindow, org: Org
) -> None:
    """Approved, then the customer's billing address changed: the banner says the approval
    no longer applies and why, Request approval is enabled and Finalise is not offered
    (it read "Approved", Finalise asked for the passphrase and then refused)."""
    from quote_builder.services.customers import get_customer, update_customer

    db = window.workspace.db
    row = discounted(window, "15")
    approval_service.request_approval(db, row.number, actor="rick")
    desk_decides(window, org, row.number)
    found = get_customer(db, row.customer_id)
    update_customer(
        db,
        row.customer_id,
        {"billing_address": "9 New Road, Shelbyville"},
        expected_version=found.version_id,
        actor="rick",
    )
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    qtbot.waitUntil(lambda: editor.approval_state is not None)
    text = editor.banner.text()
    assert "Approval no longer applies" in text and "billing address" in text
    assert "Request approval again" in text
    assert editor.approval_action.isEnabled()
    finalise = editor.deal_actions.finalise
    assert not finalise.isEnabled() and "no longer applies" in finalise.toolTip()
    # Asked again: pending, the old approval as history only.
    editor.workspace.run(approval_service.request_approval, row.number, actor="rick")
    editor.refresh_approval()
    text = editor.banner.text()
    assert editor.banner.kind == "pending" and "History: an earlier approval" in text
    assert "approved by" not in text


def test_demo_pending_quote_shows_who_must_approve(qtbot: QtBot, window: MainWindow) -> None:
    row = quote_service.list_quotes(window.workspace.db, status="pending_approval").rows[0]
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    assert editor.banner.kind == "pending" and "waits for a manager" in editor.banner.text()


# --- verify -------------------------------------------------------------------------------------


def test_verify_dialog_shows_a_line_per_check(
    qtbot: QtBot, window: MainWindow, org: Org, tmp_path: Path
) -> None:
    db = window.workspace.db
    row = discounted(window, "24")
    approval_service.request_approval(db, row.number, actor="rick")
    desk_decides(window, org, row.number)
    unsigned = tmp_path / "unsigned.pdf"
    # The final copy as Finalise renders it (an approved quote not yet sent renders as a
    # draft anywhere else), before Finalise signs it: not the file the seller sends.
    final = render_saved_quote(db, row.number, kind="proposal", pdf_a=True, finalising=True)
    unsigned.write_bytes(final.result.pdf)
    dialog = VerifyDialog(window, window.workspace, unsigned)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert [line for line in dialog.lines() if line.startswith("✘")] == [
        "✘  seller signature: none: the PDF carries no seller signature, so nothing proves it "
        "is the file the seller sent (removing the signature leaves exactly this); ask the "
        "seller for the signed file"
    ]
    assert dialog.verdict.text().startswith("NOT verified")
    # The file Finalise signed and sent verifies.
    from tests.lifecycle_helpers import finalise

    pdf = tmp_path / "final.pdf"
    pdf.write_bytes(finalise(db, quote_service.get_quote(db, row.id)).pdf)
    dialog = VerifyDialog(window, window.workspace, pdf)
    qtbot.addWidget(dialog)
    # The checks run in their own process (services.verify_job): the lines come when done.
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    lines = dialog.lines()
    assert lines[1].startswith("✔  terms: the attached terms hash to the signed")
    assert any(line.startswith("✔  organisation: the policy is signed by") for line in lines)
    assert "✔  separation: requested by rick, approved by Dana Whitfield" in lines
    assert any(line.startswith("✔  seller signature: Acme AI") for line in lines), lines
    assert dialog.verdict.text() == "Verified: every check passed."
    dialog.org_key.setText(org.dana.public_line)  # another organisation's key
    dialog.check()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert dialog.verdict.text().startswith("NOT verified")
    assert any(line.startswith("✘  organisation:") for line in dialog.lines())


def test_verify_dialog_checks_the_content_alone_of_a_copy_without_the_seller_signature(
    qtbot: QtBot, window: MainWindow, org: Org, tmp_path: Path
) -> None:
    """``verify --content-only`` in the dialog: a copy whose seller signature was removed
    fails, the verdict says to tick Content only, and ticked the same file is checked again:
    the approval, the terms and the pages hold, the signature is said not to be checked."""
    db = window.workspace.db
    row = discounted(window, "24")
    approval_service.request_approval(db, row.number, actor="rick")
    desk_decides(window, org, row.number)
    stripped = tmp_path / "stripped.pdf"
    final = render_saved_quote(db, row.number, kind="proposal", pdf_a=True, finalising=True)
    stripped.write_bytes(final.result.pdf)
    dialog = VerifyDialog(window, window.workspace, stripped)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert not dialog.content_only.isChecked()
    assert dialog.verdict.text().startswith("NOT verified")
    assert "tick “Content only”" in dialog.verdict.text()
    assert dialog.content_only.text().startswith("Content only:")
    dialog.content_only.setChecked(True)  # checks the same file again, content only
    assert dialog.busy and not dialog.content_only.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    lines = dialog.lines()
    assert not [line for line in lines if line.startswith("✘")], lines
    assert "✔  seller signature: not checked (content only)" in "\n".join(lines)
    assert dialog.verdict.text().startswith("Verified (content only)")
    assert "signature was not checked" in dialog.verdict.text()
    # Content only still checks the rest: another organisation's key fails.
    dialog.org_key.setText(org.dana.public_line)
    dialog.check()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
    assert dialog.verdict.text().startswith("NOT verified")


def test_verify_dialog_writes_every_line_in_german(
    qtbot: QtBot, window: MainWindow, org: Org, tmp_path: Path
) -> None:
    """In German the Verify page's lines are German, with German percents and dates: no
    line is the English the command line prints (``quote-builder verify`` stays English)."""
    from quote_builder.services import verify as verify_service
    from quote_builder.ui import i18n

    db = window.workspace.db
    row = discounted(window, "24")
    approval_service.request_approval(db, row.number, actor="rick")
    desk_decides(window, org, row.number)
    pdf = tmp_path / "final.pdf"
    final = render_saved_quote(db, row.number, kind="proposal", pdf_a=True, finalising=True)
    pdf.write_bytes(final.result.pdf)
    # The final render, not signed by the seller (Finalise signs it): every line holds but
    # the seller signature's, which fails (it is not the file the seller sent).
    english = verify_service.verify_pdf(db, pdf.read_bytes())
    assert [c.name for c in english.checks if not c.ok] == ["seller signature"]
    i18n.use_language("de")
    locale_format.set_locale("de_DE")
    try:
        dialog = VerifyDialog(window, window.workspace, pdf)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)
        lines = dialog.lines()
        verdict = dialog.verdict.text()
    finally:
        i18n.use_language("en")
        locale_format.set_locale("en_US")
    assert len(lines) == len(english.checks)
    for line, check in zip(lines, english.checks, strict=True):
        assert line.startswith("✔  " if check.ok else "✘  ")
        name, _colon, sentence = line[3:].partition(": ")
        assert name != check.name, line
        assert sentence != str(check.message), f"English on the German page: {line}"
    text = "\n".join(lines)
    for english_word in (" the ", "signed by", "approved by", "requested by", "version", "valid"):
        assert english_word not in text, f"{english_word!r} in {text}"
    assert re.search(r"Rabatt von 24\s%", text), text  # the discount the German way
    assert "angefordert von rick, freigegeben von Dana Whitfield" in text
    assert re.search(r"entschieden am \d{2}\.\d{2}\.\d{4}", text), text
    assert "Verified" not in verdict and "verified" not in verdict
    # The command line's words stay English.
    assert any(str(c.message).startswith("requested by rick") for c in english.checks)


# --- words -------------------------------------------------------------------------------------


APP_MODULES = [
    "quote_builder/services/approvals.py",
    "quote_builder/services/policy.py",
    "quote_builder/services/keys.py",
    "quote_builder/services/verify.py",
    "quote_builder/services/settings.py",
    "quote_builder/services/documents.py",
    "quote_builder/ui/approvals_view.py",
    "quote_builder/ui/approval_banner.py",
    "quote_builder/ui/verify_view.py",
    "quote_builder/ui/settings_view.py",
    "quote_builder/ui/quote_editor.py",
]


@pytest.mark.parametrize("module", APP_MODULES)
def test_no_message_tells_the_user_to_run_a_command(module: str) -> None:
    """Messages the app shows never send the user to the command line."""
    tree = ast.parse((ROOT / module).read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            assert "quote-builder " not in node.value, (module, node.value)
            assert "scripts/app" not in node.value, (module, node.value)


def test_banner_text_escapes_user_text() -> None:
    state = approval_service.ApprovalState(
        quote_number="Q-1",
        status="draft",
        latest_version=1,
        needed=True,
        required_role="manager",
        reasons=["<b>bold</b>"],
        policy_label="policy x",
        pending=None,
        approval=None,
        rejection=None,
    )
    kind, html = banner_text(state)
    assert kind == "draft" and "&lt;b&gt;bold&lt;/b&gt;" in html


# --- the question comes before the edit (walk 4, shot59/shot61) ---------------------------------


def _approved_editor(window: MainWindow, org: Org) -> tuple[QuoteEditorWindow, QLineEdit]:
    row = discounted(window, "15")
    approval_service.request_approval(window.workspace.db, row.number, actor="rick")
    desk_decides(window, org, row.number)
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    deal = next(b.widget for b in editor.editor.bindings if b.path == ("discounts", 0, "percent"))
    assert isinstance(deal, QLineEdit)
    return editor, deal


def _deal_percent(editor: QuoteEditorWindow) -> str:
    document = editor.editor.document
    assert document is not None
    return str(document.discounts[0].percent)


def test_typing_into_an_approved_quote_asks_before_anything_is_applied(
    qtbot: QtBot, window: MainWindow, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing "22" in Deal discount % of an approved quote priced 2 % first, then the
    question swallowed the second "2": after Yes the field held 2. Now the first key is held
    and so is the one typed behind it (already in the queue when the question comes); the
    question sees the quote untouched, and Yes lets both keys in: 22, never 2."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    editor, deal = _approved_editor(window, org)
    seen: list[tuple[str, str, bool]] = []

    def question(*_a: object, **_k: object) -> QMessageBox.StandardButton:
        seen.append((deal.text(), _deal_percent(editor), editor.editor.undo_stack.isClean()))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    deal.setFocus()
    deal.selectAll()
    second = QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_2, Qt.KeyboardModifier.NoModifier, "2")
    QApplication.postEvent(deal, second)  # typed quickly: waiting behind the first
    QTest.keyClick(deal, Qt.Key.Key_2)
    assert seen == [("15", "15", True)]  # asked before anything changed
    assert deal.text() == "22"
    QTest.keyClick(deal, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _deal_percent(editor) == "22")
    assert len(seen) == 1  # asked once


def test_after_undoing_back_to_the_approved_version_the_next_edit_asks_again(
    qtbot: QtBot, window: MainWindow, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Walk 6: Yes, then Ctrl+Z back to the approved version (no •), then another edit:
    it was applied without a question. The approval stands again once nothing is changed,
    so the next keystroke asks again."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    editor, deal = _approved_editor(window, org)
    asked: list[str] = []

    def question(*_a: object, **_k: object) -> QMessageBox.StandardButton:
        asked.append(deal.text())
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    deal.setFocus()
    deal.selectAll()
    QTest.keyClick(deal, Qt.Key.Key_2)
    QTest.keyClick(deal, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _deal_percent(editor) == "2")
    assert asked == ["15"]
    while not editor.editor.undo_stack.isClean():
        editor.editor.undo_stack.undo()
    assert _deal_percent(editor) == "15" and not editor.editor.is_modified()
    deal.setFocus()
    deal.selectAll()
    QTest.keyClick(deal, Qt.Key.Key_3)
    assert asked == ["15", "15"]  # asked again, before the 3 was applied
    assert deal.text() == "3"


def test_what_is_typed_while_the_question_is_open_reaches_the_field(
    qtbot: QtBot, window: MainWindow, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second "2" typed while the question was open went to the question and was
    lost; now it is held for the field, and cannot answer the question by accident."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPushButton

    editor, deal = _approved_editor(window, org)
    box = QPushButton("Yes")
    qtbot.addWidget(box)
    clicked: list[bool] = []
    box.clicked.connect(lambda: clicked.append(True))

    def question(*_a: object, **_k: object) -> QMessageBox.StandardButton:
        QTest.keyClick(box, Qt.Key.Key_2)  # typed into the question
        QTest.keyClick(box, Qt.Key.Key_Space)  # a space neither answers it
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    deal.setFocus()
    deal.selectAll()
    QTest.keyClick(deal, Qt.Key.Key_2)
    assert deal.text() == "22 "
    assert not clicked


def test_no_leaves_the_approved_quote_as_it_was(
    qtbot: QtBot, window: MainWindow, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    editor, deal = _approved_editor(window, org)
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: asked.append(str(a[2])) or QMessageBox.StandardButton.No,
    )
    deal.setFocus()
    deal.selectAll()
    QTest.keyClicks(deal, "22")
    assert len(asked) == 2  # each keystroke asks again; none is applied
    assert deal.text() == "15"
    assert _deal_percent(editor) == "15"
    assert editor.editor.undo_stack.isClean() and not editor.editor.is_modified()
    QTest.keyClick(deal, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # not an edit
    assert len(asked) == 2


def test_the_question_waits_until_the_typing_pauses(
    qtbot: QtBot, window: MainWindow, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under X11 the second "2" of "22" typed while the modal question came up reached the
    blocked editor window, and Qt dropped it before any filter saw it: after Yes the field
    held 2. The question now comes when the typing pauses; every key typed until then is
    held, and Yes lets them all in."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from quote_builder.ui.edit_gate import EditGate

    monkeypatch.setattr(EditGate, "settle_ms", 150)
    editor, deal = _approved_editor(window, org)
    seen: list[str] = []

    def question(*_a: object, **_k: object) -> QMessageBox.StandardButton:
        seen.append(deal.text())
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    deal.setFocus()
    deal.selectAll()
    QTest.keyClick(deal, Qt.Key.Key_2)
    QTest.keyClick(deal, Qt.Key.Key_2)
    assert seen == [] and deal.text() == "15"  # not asked yet, nothing applied
    qtbot.waitUntil(lambda: seen == ["15"])
    assert deal.text() == "22"


def test_a_quote_marked_approved_without_an_approval_is_not_called_approved() -> None:
    """Walk 1: the quote's status set to approved by hand (sqlite3), no signed approval of
    the version. Before: the banner read "Approved — Version 2 needs the deal desk's
    approval before it is final" (green, under Approved); Finalise was off all along."""
    state = approval_service.ApprovalState(
        quote_number="Q-1",
        status="approved",
        latest_version=2,
        needed=True,
        required_role="deal_desk",
        reasons=["The effective discount is 30.00%, above the manager's 20% authority."],
        policy_label="policy x",
        pending=None,
        approval=None,
        rejection=None,
    )
    kind, html = banner_text(state)
    assert kind == "problem"
    assert html.startswith("<b>No approval in force</b> — Version 2 is marked approved, but no")
    assert "<b>Approved</b>" not in html


def _listed_status(window: MainWindow, number: str) -> tuple[str, str]:
    """(the Quotes page's status cell, its chip's key) of quote ``number``."""
    from quote_builder.ui.table_model import RAW_ROLE

    page = window.show_page("quotes")
    page.model.reload()  # type: ignore[attr-defined]
    model = page.model  # type: ignore[attr-defined]
    for r in range(model.rowCount()):
        if model.index(r, 0).data() == number:
            cell = model.index(r, 3)
            return cell.data(), cell.data(RAW_ROLE)
    raise AssertionError(f"{number} is not listed")


def test_the_quote_list_shows_the_verified_state_the_banner_shows(
    qtbot: QtBot, window: MainWindow, org: Org
) -> None:
    """Walk 1: a status set to approved outside Quote Builder (sqlite3) read "Approved" in
    the Quotes list while the quote's banner said "No approval in force". The list checks
    the approval as the banner does: Approved only while a signed approval of the latest
    version holds."""
    import io

    from quote_builder.cli import main
    from quote_builder.services.customers import get_customer, update_customer

    db = window.workspace.db
    # Approved by the deal desk: Approved in the list and the banner.
    row = discounted(window, "15")
    approval_service.request_approval(db, row.number, actor="rick")
    desk_decides(window, org, row.number)
    assert _listed_status(window, row.number) == ("Approved", "approved")
    # Another quote, its status set with SQL: no signed approval holds.
    forged = next(r for r in quote_service.list_quotes(db, status="draft").rows if r.id != row.id)
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE quote SET status = 'approved' WHERE id = :id"), {"id": forged.id}
        )
    assert _listed_status(window, forged.number) == ("No approval in force", "no_approval")
    editor = open_quote_editor(window, forged.id)
    assert isinstance(editor, QuoteEditorWindow)
    qtbot.waitUntil(lambda: editor.approval_state is not None)
    assert editor.banner.kind == "problem"
    assert editor.banner.text().startswith("<b>No approval in force</b>")
    editor.close()
    # The command line's list says so too (the status column alone is not the state).
    out, err = io.StringIO(), io.StringIO()
    assert main(["quotes", "list", "--db", str(db.url)], out, err) == 0, err.getvalue()
    line = next(x for x in out.getvalue().splitlines() if x.startswith(forged.number))
    assert "No approval in force" in line and " Approved " not in line
    # The approved quote's customer changed since: its approval no longer applies.
    found = get_customer(db, row.customer_id)
    update_customer(
        db,
        row.customer_id,
        {"billing_address": "9 New Road, Shelbyville"},
        expected_version=found.version_id,
        actor="rick",
    )
    assert _listed_status(window, row.number) == ("No approval in force", "no_approval")


def test_marked_approved_without_an_approval_and_needing_none_is_not_called_approved() -> None:
    """The banner's other case: nothing needs approval, yet no one approved it either; it
    read "Approved — Version 2 needs no approval" (the list says No approval in force)."""
    state = approval_service.ApprovalState(
        quote_number="Q-1",
        status="approved",
        latest_version=2,
        needed=False,
        required_role=None,
        reasons=[],
        policy_label="policy x",
        pending=None,
        approval=None,
        rejection=None,
    )
    kind, html = banner_text(state)
    assert kind == "problem"
    assert html.startswith("<b>No approval in force</b> — Version 2 is marked approved")
    assert "<b>Approved</b>" not in html


def _filtered(window: MainWindow, code: str) -> list[str]:
    """The numbers the Quotes page lists with its status filter on ``code``."""
    page = window.show_page("quotes")
    combo = page.status_filter  # type: ignore[attr-defined]
    index = combo.findData(code)
    assert index >= 0, code
    combo.setCurrentIndex(index)
    model = page.model  # type: ignore[attr-defined]
    model.reload()
    while model.canFetchMore():
        model.fetchMore()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_the_approved_filter_lists_what_the_list_shows_as_approved(
    qtbot: QtBot, window: MainWindow, org: Org
) -> None:
    """The status filter Approved filtered on the status column: a quote whose status was
    set outside Quote Builder, listed as "No approval in force", was among the Approved.
    Approved now lists the quotes whose approval holds; the others marked approved have
    their own entry, "No approval in force"."""
    db = window.workspace.db
    row = discounted(window, "15")
    approval_service.request_approval(db, row.number, actor="rick")
    desk_decides(window, org, row.number)
    forged = next(r for r in quote_service.list_quotes(db, status="draft").rows if r.id != row.id)
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE quote SET status = 'approved' WHERE id = :id"), {"id": forged.id}
        )
    approved = _filtered(window, "approved")
    assert row.number in approved and forged.number not in approved, approved
    page = window.show_page("quotes")
    model = page.model  # type: ignore[attr-defined]
    assert {model.index(r, 3).data() for r in range(model.rowCount())} == {"Approved"}
    without = _filtered(window, "no_approval")
    assert forged.number in without and row.number not in without, without
    assert {model.index(r, 3).data() for r in range(model.rowCount())} == {"No approval in force"}
    page.status_filter.setCurrentIndex(0)  # type: ignore[attr-defined]


def test_a_pending_request_after_an_approval_reads_pending_not_approved() -> None:
    """Desk walk (desk1): version 1 approved, the rep asked again for the same version.
    Before: the banner, green, read "Pending approval — Version 1 approved by Dana
    Whitfield … Editing makes a new version: this approval will no longer count", while
    `approval status` said "Approval in force: none" (the approval replaced by the pending
    request). Now it says who the version waits for."""
    approval = approval_service.ApprovalEvidence(
        decision_id="d1",
        approver_name="Dana Whitfield",
        approver_role="deal_desk",
        decided_at="2026-12-02T03:10:37Z",
        expires_at=None,
        conditions=[],
        statement=None,
        statement_signature=None,
        policy_public=None,
        verified=True,
    )
    pending = approval_service.RequestInfo(
        id=2,
        request_id="r2",
        quote_id=1,
        quote_number="Q-1",
        customer_name="Contoso Legal",
        version=1,
        version_hash="h",
        reasons=["The effective discount is 25.00%, above the manager's 20% authority."],
        required_role="deal_desk",
        requested_by="rick",
        requested_at=dt.datetime(2026, 12, 2, 3, 20),
        status="pending",
        imported=False,
        summary=None,
    )
    state = approval_service.ApprovalState(
        quote_number="Q-1",
        status="pending_approval",
        latest_version=1,
        needed=True,
        required_role="deal_desk",
        reasons=pending.reasons,
        policy_label="policy x",
        pending=pending,
        approval=approval,
        rejection=None,
    )
    kind, html = banner_text(state)
    assert kind == "pending", html
    assert "waits for the deal desk (asked by rick" in html
    assert "approved by" not in html
