"""Defects a sales rep found walking the desktop app (English, 1366x768), each in the
rep's own steps: the approval banner while editing, clearing the deal discount."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from quote_builder.pricing import price
from quote_builder.pricing.document import Discount
from quote_builder.services import approvals as approval_service
from quote_builder.services import keys as key_service
from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui import accessibility, help
from quote_builder.ui.approvals_view import ApprovalsPage
from quote_builder.ui.locale_format import discount_percent, margin_percent
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import QuoteEditorWindow, open_quote_editor
from quote_builder.ui.summary_panel import SummaryPanel
from tests.pricing.factories import make_quote

from .stateful import retype
from .test_guided_numbers import open_wizard, press_next, to_page


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.editor.mark_saved()
        editor.close()


@pytest.fixture
def edit_anyway(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fabrikam's quote waits for approval: its first edit asks "Edit anyway?": Yes."""
    yes = QMessageBox.StandardButton.Yes
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: yes)


def open_quote(window: MainWindow, customer: str) -> QuoteEditorWindow:
    row = quote_service.list_quotes(window.workspace.db, customer).rows[0]
    editor = open_quote_editor(window, row.id)
    editor.activateWindow()
    QApplication.processEvents()
    return editor


def field(editor: QuoteEditorWindow, *path: str | int) -> QWidget:
    return next(b.widget for b in editor.editor.bindings if b.path == path)


def plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html.replace("<br>", "\n")))


# --- 2. the approval banner follows the edit ----------------------------------------------------


def test_the_banner_judges_the_discount_as_typed_not_as_saved(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The rep's quote was saved with 25 % off; typing 30 and Tab left the banner on "The
    effective discount is 25.00%, above the manager's 20% authority" and silent about the
    margin below the floor that the warnings list flagged. The banner now judges the quote
    as edited, and says that it does."""
    editor = open_quote(window, "Initech")
    ed = editor.editor
    # Initech at 25 % off has a 70.3 % margin, at 30 % 68.1 %: a 70 % floor is crossed.
    retype(field(editor, "economics", "margin_floor_percent"), "70")
    retype(field(editor, "discounts", 0, "percent"), "25")
    assert editor.save()
    saved = plain(editor.banner.text())
    assert "Version 2 needs the deal desk's approval before it is final, under " in saved
    assert "The effective discount is 25%, above the manager's 20% authority" in saved
    assert "gross margin" not in saved
    retype(field(editor, "discounts", 0, "percent"), "30")
    text = plain(editor.banner.text())
    assert "With your changes (not saved yet) the quote needs the deal desk's approval" in text
    assert "The effective discount is 30%, above the manager's 20% authority" in text
    assert "25%" not in text
    assert ed.priced is not None
    below = [y for y in ed.priced.years if y.gross_margin_percent < 70]  # type: ignore[operator]
    codes = [
        ed.summary.warnings.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(ed.summary.warnings.count())
    ]
    assert below and "MARGIN_BELOW_FLOOR" in codes  # the warnings list flags it ...
    for year in below:  # ... and the banner says it too
        assert (
            f"The gross margin in contract year {year.year} is 68.1%, below the 70% floor" in text
        )
    # Typed back to the saved value: nothing changed, the saved version's words again.
    retype(field(editor, "discounts", 0, "percent"), "25")
    assert plain(editor.banner.text()) == saved


def test_a_pending_request_and_the_changes_are_both_said(
    qtbot: QtBot, window: MainWindow, edit_anyway: None
) -> None:
    """Fabrikam's version 1 waits for a manager (15 % off); the changes need more."""
    editor = open_quote(window, "Fabrikam")
    assert "Version 1 waits for a manager" in plain(editor.banner.text())
    retype(field(editor, "discounts", 0, "percent"), "30")
    text = plain(editor.banner.text())
    assert "Version 1 waits for a manager" in text  # the request, as it stands
    assert (
        "With your changes (not saved yet): the quote needs the deal desk's approval "
        "before it is final." in text
    )
    assert "The effective discount is 30%, above the manager's 20% authority" in text


def test_the_banner_says_when_the_edit_cannot_be_judged(qtbot: QtBot, window: MainWindow) -> None:
    editor = open_quote(window, "Initech")
    retype(field(editor, "discounts", 0, "percent"), "abc")
    text = plain(editor.banner.text())
    assert "cannot be priced: whether they need approval shows once the marked fields" in text
    editor.undo_action.trigger()
    assert "Version 1 needs no approval under " in plain(editor.banner.text())


# --- 3. clearing the deal discount ------------------------------------------------------------


def test_clearing_the_deal_discount_with_no_months_removes_it(
    qtbot: QtBot, window: MainWindow, edit_anyway: None
) -> None:
    """A discount the guided flow or a plan named ("Discount", "Multi-year commitment"):
    clearing its percent, months being empty, was refused ("give the percent (or clear
    …for months)") with both fields marked. Empty percent and empty months: no discount."""
    editor = open_quote(window, "Fabrikam")
    ed = editor.editor
    saved = [{"description": "Multi-year commitment", "percent": "15", "start_month": 1}]
    assert ed.data["discounts"] == saved
    percent = field(editor, "discounts", 0, "percent")
    months = field(editor, "discounts", 0, "months")
    assert isinstance(percent, QLineEdit) and isinstance(months, QLineEdit)
    assert months.text() == ""
    retype(percent, "")
    assert ed.data.get("discounts") in (None, [])
    assert ed.problems == [] and editor.save_action.isEnabled()
    assert not percent.property("invalid") and not months.property("invalid")
    assert ed.priced is not None and ed.priced.effective_discount_percent == 0
    editor.undo_action.trigger()  # the discount comes back whole, with its name
    assert ed.data["discounts"] == saved


def test_clearing_the_percent_of_a_discount_with_months_still_asks_for_it(
    qtbot: QtBot, window: MainWindow, edit_anyway: None
) -> None:
    """Months without a percent is a discount with nothing to take off: still refused, and
    the sentence fits (months is not empty)."""
    editor = open_quote(window, "Fabrikam")
    ed = editor.editor
    retype(field(editor, "discounts", 0, "months"), "6")
    retype(field(editor, "discounts", 0, "percent"), "")
    assert ed.problem_sentences() == ["Deal discount %: give the percent (or clear …for months)"]
    retype(field(editor, "discounts", 0, "months"), "")
    assert ed.problems == [] and ed.data.get("discounts") in (None, [])


# --- 4. approving your own request ----------------------------------------------------------------


@pytest.fixture
def keys_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "keys"
    monkeypatch.setenv("QUOTE_BUILDER_KEYS_DIR", str(folder))
    return folder


def discounted_request(window: MainWindow, actor: str) -> approval_service.RequestInfo:
    """Initech's quote saved with 25 % off by ``actor``, who asks for approval."""
    db = window.workspace.db
    row = quote_service.list_quotes(db, "Initech").rows[0]
    doc = quote_service.open_version(db, row.id).document
    discounted = doc.model_copy(update={"discounts": [Discount(description="Deal", percent=25)]})
    quote_service.save_quote(db, row.id, discounted, expected_version=row.version_id, actor=actor)
    return approval_service.request_approval(db, row.number, actor=actor).value


def approvals_page(window: MainWindow, request: approval_service.RequestInfo) -> ApprovalsPage:
    page = window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    page.reload()
    numbers = [page.table.item(i, 0).text() for i in range(page.table.rowCount())]  # type: ignore[union-attr]
    page.table.selectRow(numbers.index(request.quote_number))
    return page


def no_form_opens(page: ApprovalsPage, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Approve… pressed anyway (Enter on a focused button, a test): no decision form, the
    sentence in a message box."""
    opened: list[object] = []
    told: list[str] = []
    monkeypatch.setattr(page, "exec_dialog", lambda dialog: opened.append(dialog) or False)
    monkeypatch.setattr(
        QMessageBox, "information", lambda parent, title, text, *a: told.append(text)
    )
    page.decide(True)
    page.decide(False)
    assert opened == []
    return told


def test_your_own_request_says_why_before_any_form(
    qtbot: QtBot, window: MainWindow, keys_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rep's own pending request: Approve… opened a form with an empty "Approver key"
    box whose OK said `" is not a key name…`. Now a sentence says why, up front."""
    request = discounted_request(window, window.workspace.user)  # tester asks
    page = approvals_page(window, request)
    sentence = (
        f"You asked for this approval ({request.quote_number} version {request.version}), so "
        "you cannot approve or reject it: another approver must decide."
    )
    assert page.decide_note.isVisibleTo(page) and page.decide_note.text() == sentence
    assert not page.approve_button.isEnabled() and not page.reject_button.isEnabled()
    assert page.approve_button.toolTip() == sentence
    assert no_form_opens(page, monkeypatch) == [sentence, sentence]
    # Holding a key changes nothing: it is still the requester's own request.
    key_service.create_key("tester", "correct horse battery")
    page.reload()
    page = approvals_page(window, request)
    assert page.decide_note.text() == sentence


def test_no_approver_key_on_this_machine_says_what_to_do(
    qtbot: QtBot, window: MainWindow, keys_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = discounted_request(window, "rick")
    page = approvals_page(window, request)
    note = page.decide_note.text()
    assert note.startswith("There is no approver key on this machine. To decide, create your key")
    assert "Trust a key by hand…" in note and "unverified" in note
    assert not page.approve_button.isEnabled()
    assert no_form_opens(page, monkeypatch) == [note, note]
    # A key made, not yet trusted here: a decision would not count; say so.
    key_service.create_key("dana", "correct horse battery")
    page = approvals_page(window, request)
    assert page.decide_note.text().startswith("None of your keys is trusted in this database")
    # Trusted by someone: the form opens, preselecting the key.
    dana = key_service.list_keys()[0]
    approval_service.add_trusted_key(window.workspace.db, "Dana", dana.public_line, actor="admin")
    page = approvals_page(window, request)
    assert page.decide_note.isHidden() and page.approve_button.isEnabled()


def test_without_a_policy_a_self_made_key_approval_is_said_everywhere(
    qtbot: QtBot, window: MainWindow, keys_folder: Path
) -> None:
    """What the design allows without an organisation policy: the rep who asked makes a
    key after asking, trusts it by hand under another name and decides under another user
    name ($QUOTE_BUILDER_USER, --user): every check passes (the names differ, the key was
    not on the machine when the request was made). It cannot be prevented without a
    policy, so the approval says it is unverified and that the requester trusted the key:
    in the banner and in the quote's history."""
    db = window.workspace.db
    request = discounted_request(window, "rick")
    boss = key_service.create_key("boss", "correct horse battery")  # made after asking
    approval_service.add_trusted_key(db, "Boss", boss.public_line, actor="rick")
    approval_service.decide(
        db,
        request.request_id,
        approve=True,
        key_name="boss",
        passphrase="correct horse battery",
        actor="boss",  # the name rick gives himself
    )
    state = approval_service.approval_state(db, request.quote_id or 0)
    assert state.approval is not None and not state.approval.verified
    assert state.approval.key_trusted_by == "rick" and state.approval.trusted_by_requester
    editor = open_quote_editor(window, request.quote_id or 0)
    assert (
        "(unverified: the approver's key was trusted in this database by rick, who asked "
        "for this approval)" in plain(editor.banner.text())
    )
    event = next(
        e
        for e in quote_service.audit_history(db, request.quote_id or 0)
        if e["action"] == "approval_decided"
    )
    assert event["details"]["unverified"] is True
    assert event["details"]["key_trusted_by"] == "rick"
    assert event["details"]["key_trusted_by_requester"] is True
    editor.close()


def test_a_key_trusted_by_someone_else_is_only_unverified(
    qtbot: QtBot, window: MainWindow, keys_folder: Path
) -> None:
    db = window.workspace.db
    request = discounted_request(window, "rick")
    dana = key_service.create_key("dana", "correct horse battery")
    approval_service.add_trusted_key(db, "Dana", dana.public_line, actor="admin")
    approval_service.decide(
        db,
        request.request_id,
        approve=True,
        key_name="dana",
        passphrase="correct horse battery",
        actor="dana",
    )
    state = approval_service.approval_state(db, request.quote_id or 0)
    assert state.approval is not None and not state.approval.trusted_by_requester
    editor = open_quote_editor(window, request.quote_id or 0)
    text = plain(editor.banner.text())
    assert "(key trusted by hand: unverified)" in text and "who asked" not in text
    editor.close()


# --- 5. the guided flow's messages are about the values on screen ------------------------------


def test_a_duplicate_name_message_goes_when_the_name_changes(
    qtbot: QtBot, window: MainWindow
) -> None:
    wizard = open_wizard(qtbot, window)
    page = wizard.customer_page
    retype(page.name, "Contoso Legal")
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert page.problem.text() == "Contoso Legal already exists: choose it under Existing customer."
    retype(page.name, "Zoë Legal Services")
    assert page.problem.text() == ""  # it was about "Contoso Legal"
    press_next(wizard)


def test_a_bad_number_is_marked_as_typed_and_old_errors_go(
    qtbot: QtBot, window: MainWindow
) -> None:
    """'12,5' in Actions per user per day was only refused on Next; after fixing it, Next,
    Back, Back and Next again still showed "12,5 is not a number…"."""
    wizard = open_wizard(qtbot, window)
    retype(wizard.customer_page.name, "Zoë Legal Services")
    press_next(wizard)
    product = wizard.product
    assert wizard.currentPage() is product
    field_ = product.actions_per_day
    label = product.findChild(QFormLayout).labelForField(field_)  # type: ignore[union-attr]
    retype(field_, "12,5")
    # Marked as the editor marks a field: red border, ⚠ before the label, the reason.
    expected = (
        "Actions per user per day: 12,5 is not a number as written in English (United "
        "States); write 12.5"
    )
    assert field_.property("invalid") and "border" in field_.styleSheet()
    assert label.text() == "⚠ Actions per user per day"
    assert expected in field_.toolTip()
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is product
    assert product.problem.text() == expected  # the same parser, the same words
    retype(field_, "15")
    assert not field_.property("invalid") and label.text() == "Actions per user per day"
    assert product.problem.text() == ""  # the refusal was about 12,5
    retype(field_, "12,5")
    wizard.button(QWizard.WizardButton.NextButton).click()
    retype(field_, "15")
    press_next(wizard)
    wizard.back()
    wizard.back()
    assert wizard.currentPage() is wizard.customer_page
    press_next(wizard)
    assert wizard.currentPage() is product and product.problem.text() == ""


# --- 6. the keyboard ---------------------------------------------------------------------------


def test_every_step_puts_the_focus_in_its_first_input(qtbot: QtBot, window: MainWindow) -> None:
    """Enter on the Pricing model step reached Value anchors, and what was typed next went
    nowhere: the focus was not in the new step."""
    wizard = open_wizard(qtbot, window)
    qtbot.waitUntil(lambda: wizard.isActiveWindow())
    assert QApplication.focusWidget() is wizard.customer_page.existing
    retype(wizard.customer_page.name, "Zoë Legal Services")
    press_next(wizard)
    assert QApplication.focusWidget() is wizard.product.category
    retype(wizard.product.actions_per_day, "15")
    to_page(wizard, wizard.advisor)
    assert QApplication.focusWidget() is wizard.advisor.first_input()
    # Enter on the Pricing model step goes on; typing lands in the first value field.
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()
    assert wizard.currentPage() is wizard.value
    QTest.keyClicks(QApplication.focusWidget(), "15")
    assert wizard.value.minutes.text() == "15"
    wizard.back()
    assert QApplication.focusWidget() is wizard.advisor.first_input()


def test_the_focus_is_seen_on_the_customer_step(qtbot: QtBot, window: MainWindow) -> None:
    """A radio button or the list with the focus gets a frame in the selection colour."""
    wizard = open_wizard(qtbot, window)
    page = wizard.customer_page
    for widget in (page.existing, page.matches):
        widget.setFocus()
        QApplication.processEvents()
        before = widget.grab().toImage()
        page.title_.setFocus()
        QApplication.processEvents()
        after = widget.grab().toImage()
        assert before != after, type(widget).__name__  # the focus shows
        highlight = widget.palette().color(QPalette.ColorRole.Highlight)
        assert before.pixelColor(1, before.height() // 2) == highlight


# --- 7 and 8. one format per kind of percent; the customer's saving named -------------------------


def test_the_totals_write_percents_one_way_and_name_the_saving(qtbot: QtBot) -> None:
    """10 seats at 100 = 1,000 a month, 25 % off = 750; fixed cost 120: margin
    (750 - 120) / 750 = 84.0 % (shown "84%" beside other years' "84.6%" before); 1,000 tasks
    a month at 10.00 each = 120,000 of value a year for 9,000: 1 - 9,000 / 120,000 = 92.5 %
    ("Customer savings", read by a rep as a 92.5 % discount)."""
    panel = SummaryPanel()
    qtbot.addWidget(panel)
    doc = make_quote(
        pricing_model="seats_credits",
        components=[
            {"kind": "seats", "id": "s", "name": "Seats", "seats": 10, "price_per_seat": "100"}
        ],
        discounts=[{"description": "Discount", "percent": "25"}],
        economics={"fixed_cost_per_month": "120", "margin_floor_percent": "60"},
        usage_forecast={"tasks": {"monthly": "1000"}},
        value={"metric": "tasks", "value_per_unit": "10"},
    )
    priced = price(doc)
    panel.show_priced(priced, Decimal(60))
    assert panel.discount.text() == "25%"  # as the banner's reasons write it
    assert panel.margin.text() == "84.0%"
    assert ">84.0%</td>" in panel.years.text()
    label = panel.totals_form.labelForField(panel.savings)
    assert isinstance(label, QLabel) and label.text() == "Saving vs the work replaced"
    assert panel.savings.text() == "92.5%"
    tip = panel.savings.toolTip()
    assert "1 - first-year spend / first-year value delivered" in tip
    assert "Not a discount" in tip
    assert "Year 1: the customer pays $9,000.00 for work worth $120,000.00 to them" in tip


def test_a_discount_keeps_the_digits_the_policy_judges_by() -> None:
    assert discount_percent(Decimal("25.00")) == "25%"
    assert discount_percent(Decimal("24.50")) == "24.5%"
    assert discount_percent(Decimal("10.01")) == "10.01%"
    assert discount_percent(Decimal("10")) == "10%"
    assert margin_percent(Decimal("84")) == "84.0%"


def test_the_value_step_writes_amounts_in_the_customers_currency(
    qtbot: QtBot, window: MainWindow
) -> None:
    """15 minutes at 75 an hour = 18.75 a task; 15-25 % of it = 2.81-4.69, 20 % = 3.75;
    at 0.10 and 70 %: 0.10 / 0.30 = 0.333..., written by the formatter's derived-price
    rule as 0.33, the playbook's "$0.33" (was "Value per task: 18.75" with no currency, then
    "0.3333": a hand-made rounding beside the formatter's)."""
    wizard = open_wizard(qtbot, window)
    retype(wizard.customer_page.name, "Zoë Legal Services")
    retype(wizard.customer_page.currency, "EUR")
    press_next(wizard)
    retype(wizard.product.actions_per_day, "15")
    to_page(wizard, wizard.value)
    retype(wizard.value.minutes, "15")
    retype(wizard.value.rate, "75")
    retype(wizard.value.unit_cost, "0.10")
    text = wizard.value.result.text()
    assert "Value per task: €18.75. Suggested price band €2.81–€4.69; target €3.75" in text
    assert "Cost-anchored price: €0.33 (€0.10 at 70% margin)." in text


def test_the_guided_flows_counts_line_up_on_the_right(qtbot: QtBot, window: MainWindow) -> None:
    wizard = open_wizard(qtbot, window)
    for box in (wizard.product.users, wizard.product.days, wizard.components.term):
        assert box.alignment() & Qt.AlignmentFlag.AlignRight


def test_the_customers_form_fits_the_smallest_window(qtbot: QtBot, window: MainWindow) -> None:
    """At the main window's smallest width (about 885 px: what the rep's 1366x768 laptop
    showed) the customer form was cut on the right and scrolled sideways: the country box
    asked for its longest name's width."""
    window.show()
    window.resize(window.minimumSizeHint().width(), 740)
    page = window.show_page("customers")
    QApplication.processEvents()
    scroll = page.detail_scroll  # type: ignore[attr-defined]
    inner = scroll.widget()
    assert inner.width() <= scroll.viewport().width()
    assert scroll.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    for field_ in inner.findChildren(QWidget):
        if field_.isVisible() and accessibility.is_input(field_):
            right = field_.mapTo(inner, field_.rect().topRight()).x()
            assert right <= scroll.viewport().width(), field_.objectName()


def test_nothing_in_the_user_guide_is_wider_than_its_window(qtbot: QtBot) -> None:
    """The guide scrolled sideways (a code line wider than the window) and its screenshots
    were 760 px in a narrower window."""
    guide = help.UserGuideDialog()
    qtbot.addWidget(guide)
    for width in (860, 520):
        guide.resize(width, 640)
        guide.show()
        QApplication.processEvents()
        viewport = guide.browser.viewport().width()
        assert guide.browser.document().size().width() <= viewport, width
        images = guide_images(guide)
        assert len(images) >= 10
        assert max(images) <= min(help.GUIDE_IMAGE_WIDTH, viewport), width


def guide_images(guide: help.UserGuideDialog) -> list[float]:
    widths = []
    block = guide.browser.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            image = iterator.fragment().charFormat().toImageFormat()
            if image.isValid():
                widths.append(image.width())
            iterator += 1
        block = block.next()
    return widths


def test_the_banner_does_not_shrink_under_the_cursor_while_editing(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A reason coming and going as one types moved the whole form up and down."""
    editor = open_quote(window, "Initech")
    editor.show()
    retype(field(editor, "discounts", 0, "percent"), "30")  # a reason: the banner grows
    QApplication.processEvents()
    tall = editor.banner.height()
    retype(field(editor, "discounts", 0, "percent"), "3")  # no reason left
    QApplication.processEvents()
    assert editor.banner.height() >= tall
    editor.undo_action.trigger()
    editor.undo_action.trigger()
    QApplication.processEvents()
    assert not editor.editor.is_modified()
    assert editor.banner.floor == 0  # saved again: the banner fits its text
    assert editor.banner.height() == editor.banner.needed()


def test_the_banner_gives_back_its_height_and_never_grows_the_window(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Walk 4 (shot29/30, shot92/93): after "abc" or a 26-digit Deal discount % the banner
    kept blank lines and the window grew from 741 to 782 pixels, past a 768-pixel screen,
    hiding the status line. The banner now fits its text again once typing pauses, and
    never takes more than the window has beyond its minimum."""
    from quote_builder.ui import quote_editor as editor_module

    editor = open_quote(window, "Initech")
    editor.show()
    editor.resize(1100, 700)
    QApplication.processEvents()
    height = editor.height()
    assert editor.banner.height() == editor.banner.needed()
    deal = field(editor, "discounts", 0, "percent")
    for text in ("30", "abc", "9" * 26):
        retype(deal, text)
        QApplication.processEvents()
        assert editor.height() == height, text
    retype(deal, "3")  # the reasons went: until typing pauses the height is kept
    QApplication.processEvents()
    tall = editor.banner.height()
    short = editor.banner.needed()
    assert short < tall
    qtbot.waitUntil(
        lambda: editor.banner.height() == short, timeout=editor_module.BANNER_SETTLE_MS * 3
    )
    # A long text takes no more than the window has: it scrolls instead.
    editor.banner.label.setText("<br>".join(["A reason the deal desk must approve."] * 40))
    editor.banner.fit()
    QApplication.processEvents()
    assert editor.height() == height
    assert editor.banner.height() < editor.banner.needed()
    assert editor.banner.text_area.verticalScrollBar().maximum() > 0


def test_the_banner_keeps_its_height_while_the_pointer_is_on_the_form(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A German rep at 1366x768 typed 15,5 into Deal discount %, paused and clicked the
    next field: the banner gave its space back under the pointer, the form moved up and
    the click and the typing went into the field below ("...for months", the escalator).
    The banner gives its space back only once the pointer is off the form."""
    from quote_builder.ui import quote_editor as editor_module

    editor = open_quote(window, "Initech")
    editor.show()
    editor.resize(1100, 700)
    QApplication.processEvents()
    deal = field(editor, "discounts", 0, "percent")
    over = [True]
    monkeypatch.setattr(editor, "_pointer_over_form", lambda: over[0], raising=False)
    retype(deal, "30")
    QApplication.processEvents()
    retype(deal, "3")  # the reasons went
    QApplication.processEvents()
    tall = editor.banner.height()
    short = editor.banner.needed()
    assert short < tall
    qtbot.wait(editor_module.BANNER_SETTLE_MS * 2)
    assert editor.banner.height() == tall  # the pointer is on the form: nothing moves
    over[0] = False
    qtbot.waitUntil(
        lambda: editor.banner.height() == short, timeout=editor_module.BANNER_SETTLE_MS * 3
    )
