"""The Approvals page and the editor's Request approval, on a shared database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from quote_builder.services import approvals as approval_service
from quote_builder.services import keys as key_service
from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui.approvals_view import ApprovalsPage, DecisionDialog
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor


@pytest.fixture
def window(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    monkeypatch.setenv("QUOTE_BUILDER_KEYS_DIR", str(tmp_path / "keys"))
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.close()


def discounted_quote(window: MainWindow) -> quote_service.QuoteRow:
    """A draft quote with a 25 % deal discount: above a rep's 10 % authority."""
    from quote_builder.pricing.document import Discount

    db = window.workspace.db
    row = quote_service.list_quotes(db, status="draft").rows[0]
    doc = quote_service.open_version(db, row.id).document
    discounted = doc.model_copy(
        update={"discounts": [Discount(description="Big deal", percent=25)]}
    )
    return quote_service.save_quote(
        db, row.id, discounted, expected_version=row.version_id, actor="rep"
    ).value


def test_editor_shows_why_then_requests(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = discounted_quote(window)
    editor = open_quote_editor(window, row.id)
    asked: list[str] = []

    def answer(parent: object, title: str, text: str, *a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    editor.approval_action.trigger()
    assert asked and "25%" in asked[0] and "must approve" in asked[0]
    assert quote_service.get_quote(window.workspace.db, row.id).status == "pending_approval"


def test_desk_approves_on_the_approvals_page(qtbot: QtBot, window: MainWindow) -> None:
    db = window.workspace.db
    row = discounted_quote(window)
    approval_service.request_approval(db, row.number, actor="rep")
    key = approval_service.create_key("dana", "correct horse")
    approval_service.add_trusted_key(db, "dana", key.public_key, actor="admin")
    page = window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    page.reload()
    numbers = [page.table.item(i, 0).text() for i in range(page.table.rowCount())]  # type: ignore[union-attr]
    assert row.number in numbers  # beside the demo's own pending request
    page.table.selectRow(numbers.index(row.number))
    assert any(
        "discount is 25%," in page.reasons.item(i).text() for i in range(page.reasons.count())
    )
    assert page.changes.rowCount() > 0  # what changed since the previous version
    answers = iter(["wrong", "correct horse"])
    seen: list[tuple[str, str, str]] = []

    def fill(dialog: object) -> bool:
        assert isinstance(dialog, DecisionDialog)
        seen.append((dialog.comment.toPlainText(), dialog.error.text(), dialog.passphrase.text()))
        if not seen[-1][0]:
            dialog.comment.setPlainText("OK for a 3-year term")
        dialog.key.setCurrentText("dana")
        dialog.passphrase.setText(next(answers))
        return True

    page.exec_dialog = fill  # type: ignore[method-assign]
    page.decide(True)
    # The wrong passphrase was refused inside the dialog, which kept what was typed.
    assert seen[0] == ("", "", "")
    assert seen[1][0] == "OK for a 3-year term" and "wrong passphrase" in seen[1][1]
    assert len(seen) == 2
    assert quote_service.get_quote(db, row.id).status == "approved"
    assert row.number not in [  # decided: no longer pending
        page.table.item(i, 0).text()  # type: ignore[union-attr]
        for i in range(page.table.rowCount())
    ]
    assert approval_service.approval_id_for(db, row.number)


def test_the_desk_sees_the_margin_in_the_seller_s_currency(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Issue 18: a quote in EUR whose costs are in USD. Its year's revenue converted back
    at 0.9213 EUR per USD is the margin's revenue, shown with the COGS in USD."""
    import datetime as dt
    from decimal import Decimal

    from quote_builder.pricing.document import Discount, ExchangeRate

    db = window.workspace.db
    row = quote_service.list_quotes(db, status="draft").rows[0]
    doc = quote_service.open_version(db, row.id).document
    in_eur = doc.model_copy(
        update={
            "currency": "EUR",
            "exchange_rate": ExchangeRate(
                seller_currency="USD",
                rate=Decimal("0.9213"),
                as_of=dt.date(2026, 11, 2),
                source="ECB",
            ),
            "discounts": [Discount(description="Big deal", percent=25)],
        }
    )
    saved = quote_service.save_quote(
        db, row.id, in_eur, expected_version=row.version_id, actor="rep"
    ).value
    approval_service.request_approval(db, saved.number, actor="rep")
    from quote_builder.pricing import price

    priced = price(quote_service.open_version(db, row.id).document)
    year = priced.years[0]
    assert year.margin_revenue == (year.revenue / Decimal("0.9213")).quantize(Decimal("0.01"))
    page = window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    page.reload()
    numbers = [page.table.item(i, 0).text() for i in range(page.table.rowCount())]  # type: ignore[union-attr]
    page.table.selectRow(numbers.index(saved.number))
    lines = [page.reasons.item(i).text() for i in range(page.reasons.count())]
    margin = next(line for line in lines if line.startswith("Margin in USD"))
    assert "revenue converted at 0.9213 EUR per USD" in margin
    assert f"${year.margin_revenue:,}" in margin and f"${year.cogs:,}" in margin


def test_a_self_approval_refusal_keeps_the_login_as_written(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialog said "Root asked for this approval" for the login root. The requester's
    own login is now told before any form opens (``decision_problem``); the service's
    refusal still reaches the dialog when another login signs with a key in the
    requester's name, and keeps that name as written."""
    db = window.workspace.db
    row = discounted_quote(window)
    window.workspace.user = "root"
    approval_service.request_approval(db, row.number, actor="root")
    key = approval_service.create_key("root", "correct horse")
    approval_service.add_trusted_key(db, "root", key.public_key, actor="admin")
    page = window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    page.reload()
    numbers = [page.table.item(i, 0).text() for i in range(page.table.rowCount())]  # type: ignore[union-attr]
    page.table.selectRow(numbers.index(row.number))
    told: list[str] = []

    def inform(parent: object, title: str, text: str, *a: object) -> QMessageBox.StandardButton:
        told.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", inform)
    errors: list[str] = []

    def fill(dialog: object) -> bool:
        assert isinstance(dialog, DecisionDialog)
        errors.append(dialog.error.text())
        if len(errors) > 1:
            return False  # seen the refusal: cancel
        dialog.comment.setPlainText("fine")
        dialog.key.setCurrentText("root")
        dialog.passphrase.setText("correct horse")
        return True

    page.exec_dialog = fill  # type: ignore[method-assign]
    page.decide(True)  # as root: told up front, no form
    assert errors == [] and told and told[0].startswith("You asked for this approval"), told
    window.workspace.user = "dana"  # another login, signing with the key named root
    page.decide(True)
    assert errors[1].startswith("root asked for this approval and cannot approve it"), errors
    assert quote_service.get_quote(db, row.id).status == "pending_approval"


def test_a_request_whose_customer_changed_is_not_offered_for_a_decision(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The customer's billing address changed after the request: Approve and Reject say
    why and the form (with its passphrase) is never opened."""
    from quote_builder.services.customers import get_customer, update_customer

    db = window.workspace.db
    row = discounted_quote(window)
    approval_service.request_approval(db, row.number, actor="rep")
    key = approval_service.create_key("dana", "correct horse")
    approval_service.add_trusted_key(db, "dana", key.public_key, actor="admin")
    found = get_customer(db, row.customer_id)
    update_customer(
        db,
        row.customer_id,
        {"billing_address": "9 New Road, Shelbyville"},
        expected_version=found.version_id,
        actor="rep",
    )
    page = window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    page.reload()
    numbers = [page.table.item(i, 0).text() for i in range(page.table.rowCount())]  # type: ignore[union-attr]
    page.table.selectRow(numbers.index(row.number))
    assert not page.approve_button.isEnabled()
    assert "billing address" in page.approve_button.toolTip()
    assert "ask for approval again" in page.decide_note.text()
    opened: list[object] = []
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(str(a[2])))
    page.exec_dialog = lambda dialog: opened.append(dialog) or False  # type: ignore[method-assign]
    page.decide(True)
    assert not opened and quote_service.get_quote(db, row.id).status == "pending_approval"
    assert told and "changed since the request" in told[0]


def test_a_request_with_nothing_changed_since_the_approved_version_says_so(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Desk walk (desk1): version 1 approved, version 2 changed, version 3 put it back and
    asked again. The page said "Changes since version 1" above an empty table: was the
    comparison missing, or did nothing change? Now it says nothing changed."""
    db = window.workspace.db
    row = discounted_quote(window)
    approval_service.request_approval(db, row.number, actor="rep")
    monkeypatch.setenv("QUOTE_BUILDER_KEYS_DIR", str(tmp_path / "desk-keys"))
    key = approval_service.create_key("dana", "correct horse")
    approval_service.add_trusted_key(db, "dana", key.public_key, actor="admin")
    approval_service.decide(
        db, row.number, approve=True, key_name="dana", passphrase="correct horse", actor="dana"
    )
    approved = quote_service.open_version(db, row.id).document
    from quote_builder.pricing.document import Discount

    deeper = approved.model_copy(
        update={"discounts": [Discount(description="Big deal", percent=30)]}
    )
    current = quote_service.get_quote(db, row.id)
    quote_service.save_quote(db, row.id, deeper, expected_version=current.version_id, actor="rep")
    current = quote_service.get_quote(db, row.id)
    quote_service.save_quote(db, row.id, approved, expected_version=current.version_id, actor="rep")
    monkeypatch.setenv("QUOTE_BUILDER_KEYS_DIR", str(tmp_path / "keys"))
    approval_service.request_approval(db, row.number, actor="rep")
    page = window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    page.reload()
    numbers = [page.table.item(i, 0).text() for i in range(page.table.rowCount())]  # type: ignore[union-attr]
    page.table.selectRow(numbers.index(row.number))
    version = quote_service.get_quote(db, row.id).latest_version
    assert page.changes.rowCount() == 0
    assert page.changes_label.text() == f"No changes since version {version - 2}"


def _policy_view(*approvers: tuple[str, str]) -> approval_service.ApproversView:
    """An organisation policy listing ``approvers`` (name, key fingerprint)."""
    import datetime as dt

    from quote_builder.errors import Sentence

    source = Sentence(
        "policy be21:f26a:205c:68e3 (serial 1), signed by Acme Analytics until 2027-12-01",
        "policy.label",
        policy="be21:f26a:205c:68e3",
        serial=1,
        organisation="Acme Analytics",
        valid_until=dt.date(2027, 12, 1),
    )
    return approval_service.ApproversView(
        True,
        source,
        [approval_service.ApproverInfo(n, "deal_desk", f, "k") for n, f in approvers],
    )


def _request(requester_keys: list[str]) -> approval_service.RequestInfo:
    import datetime as dt

    return approval_service.RequestInfo(
        id=1,
        request_id="r",
        quote_id=1,
        quote_number="Q-2026-0002",
        customer_name="Contoso Legal",
        version=1,
        version_hash="h",
        reasons=[],
        required_role="deal_desk",
        requested_by="rick",
        requested_at=dt.datetime(2026, 12, 2, 2, 36),
        status="pending",
        imported=False,
        summary=None,
        requester_keys=requester_keys,
    )


def _key(name: str, fingerprint: str) -> key_service.KeyInfo:
    return key_service.KeyInfo(name, Path(f"/keys/{name}.key"), "k", fingerprint)


def test_a_desk_key_the_requester_held_is_named_as_the_reason_beside_the_org_key() -> None:
    """Desk walk (desk1): the deal desk keeps the organisation key beside Dana's approver
    key (as README says it holds it). For a request made where Dana's key was too, the page
    said "None of your keys is an approver in the organisation's policy" — Dana is listed;
    the reason is that her key was on the requester's machine."""
    from quote_builder.ui.approvals_view import decision_problem

    keys = [_key("dana", "fp-dana"), _key("acme-org", "fp-org")]
    problem = decision_problem(
        _request(["fp-dana", "fp-rick"]), "dana", keys, _policy_view(("Dana Whitfield", "fp-dana"))
    )
    assert problem is not None
    assert problem.startswith("Your keys on this machine were here when rick asked"), problem


def test_the_policy_named_in_a_german_sentence_is_in_german() -> None:
    """Desk walk in German (desk1): "Keiner Ihrer Schlüssel ist ein Freigebender in policy
    be21:… (serial 1), signed by Acme Analytics until 2027-12-01 der Organisation": the
    policy's label was put into the German sentence in English."""
    from quote_builder.ui import i18n
    from quote_builder.ui.approvals_view import decision_problem

    i18n.use_language("de")
    try:
        problem = decision_problem(
            _request([]), "dana", [_key("max", "fp-max")], _policy_view(("Dana", "fp-dana"))
        )
    finally:
        i18n.use_language("en")
    assert problem is not None
    assert "signed by" not in problem and "serial" not in problem, problem


def test_a_rate_written_into_the_quote_is_named_in_the_banner_and_on_the_desk(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A quote in EUR at 0.3 EUR per USD where the table says 0.9213: 1,000 EUR a month
    against 600 USD of costs is 86 % at 0.3 but 44.7 % at 0.9213, below the 60 % floor.
    The editor's banner names both rates and the margin at the table's; so does the desk's
    Approvals page, whose margin line is at the table's rate."""
    import datetime as dt
    from decimal import Decimal

    from quote_builder.pricing.quote_format import quote_from_data
    from quote_builder.services.currencies import set_exchange_rate
    from tests.store.helpers import customer

    db = window.workspace.db
    set_exchange_rate(
        db,
        base="USD",
        quote="EUR",
        rate=Decimal("0.9213"),
        as_of=dt.date(2026, 11, 2),
        source="ECB",
        actor="admin",
    )
    customer(db, "Rate Test GmbH")
    faked = quote_from_data(
        {
            "customer": {"name": "Rate Test GmbH"},
            "currency": "EUR",
            "start_date": "2027-01-01",
            "term_months": 12,
            "components": [
                {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"}
            ],
            "economics": {"fixed_cost_per_month": "600"},
            "exchange_rate": {
                "seller_currency": "USD",
                "rate": "0.3",
                "as_of": "2026-11-02",
                "source": "The rep",
            },
        }
    )
    row = quote_service.create_quote(db, faked, actor="rep").value
    editor = open_quote_editor(window, row.id)
    qtbot.waitUntil(lambda: "0.3 EUR per USD" in editor.banner.label.text(), timeout=3000)
    banner = editor.banner.label.text()
    assert "deal desk" in banner
    assert "0.9213 EUR per USD" in banner
    assert "44.7%" in banner  # contract year 1 at the table's rate
    # The summary beside the quote: the same sentence with the warnings, and the margins
    # at the table's rate (not 86 % in green).
    from PySide6.QtCore import Qt

    from quote_builder.ui.summary_panel import RATE_CHECK_CODE

    shown = editor.editor.summary.warnings
    rows = [
        (shown.item(i).text(), shown.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(shown.count())
    ]
    assert any(code == RATE_CHECK_CODE and "0.3 EUR per USD" in text for text, code in rows)
    assert "44.7%" in editor.editor.summary.years.text()
    assert "86" not in editor.editor.summary.years.text()
    assert "Margins at 0.9213 EUR per USD" in editor.editor.summary.years_notes.text()

    approval_service.request_approval(db, row.number, actor="rep")
    page = window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    page.reload()
    numbers = [page.table.item(i, 0).text() for i in range(page.table.rowCount())]  # type: ignore[union-attr]
    page.table.selectRow(numbers.index(row.number))
    lines = [page.reasons.item(i).text() for i in range(page.reasons.count())]
    assert any("0.3 EUR per USD" in line and "0.9213 EUR per USD" in line for line in lines)
    assert any("44.7%, below the 60% floor" in line for line in lines), lines
    margin = next(line for line in lines if line.startswith("Margin in USD"))
    assert "revenue converted at 0.9213 EUR per USD" in margin and "44.7%" in margin
