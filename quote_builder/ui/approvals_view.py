"""The Approvals page: the deal desk's pending requests, with what they need to decide
(customer, TCV, discount vs list, margin per contract year against the floor, warnings,
the reasons, and what changed since the previous version), approve or reject with a
comment, an expiry and conditions, signed with the approver's key.

Files carry requests and decisions between machines without a shared database.

**Keys and approvers…** lists your keys (with fingerprints, copy and save the public key,
create one with the passphrase asked twice) and the approvers whose decisions count here:
the organisation policy's, or (without a policy) keys trusted by hand, labelled
unverified. **Verify a PDF…** checks a final PDF's embedded approval, line by line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quote_builder.approvals.bundle import same_person
from quote_builder.errors import UserFacingError
from quote_builder.safe_files import read_limited, write_atomic
from quote_builder.services import approvals as approval_service
from quote_builder.services import keys as key_service
from quote_builder.services import quotes as quote_service
from quote_builder.services.core import Changes
from quote_builder.services.settings import get_settings
from quote_builder.services.workspace import Workspace

from . import colours, desktop_open, locale_format, service_words
from .engine_words import WARNING_TITLES, english_sentence, reason_texts, warning_title
from .i18n import N_, _, error_message, error_text, joined
from .labels import label as enum_label
from .labels import policy_words, role_title
from .number_fields import NUMBER_ALIGNMENT
from .pages import Page

if TYPE_CHECKING:
    from .main_window import MainWindow

COLUMNS = (
    N_("Quote"),
    N_("Customer"),
    N_("Version"),
    "TCV",
    N_("Discount"),
    N_("Lowest margin"),
    N_("Needs"),
    N_("Requested"),
)

NUMBER_COLUMNS = frozenset({2, 3, 4, 5})
"""Version, TCV, Discount and Lowest margin: numbers, right-aligned (headers too)."""


def my_keys() -> list[str]:
    return [k.name for k in key_service.list_keys()]


def decision_problem(
    request: approval_service.RequestInfo,
    user: str,
    keys: list[key_service.KeyInfo],
    approvers: approval_service.ApproversView,
) -> str | None:
    """Why ``user`` cannot approve or reject ``request`` here, as a plain sentence saying
    what to do (None: they can). The decision dialog is not opened for a decision that
    cannot succeed: the requester's own request (whatever key), no approver key on this
    machine, only keys the requester held when asking, no key the policy lists (or, without
    a policy, none trusted in this database for a request made here)."""
    if same_person(user, request.requested_by):
        return _(
            "You asked for this approval ({number} version {version}), so you cannot approve "
            "or reject it: another approver must decide."
        ).format(number=request.quote_number, version=request.version)
    if approvers.problem:
        return _("Approvals are stopped here: {problem}").format(
            problem=service_words.text(approvers.problem)
        )
    if not keys:
        if approvers.verified:
            return _(
                "There is no approver key on this machine. To decide, create your key (Keys "
                "and approvers…, Create a key…) and send its public key to the deal desk: "
                "they list you as an approver in a new organisation policy."
            )
        return _(
            "There is no approver key on this machine. To decide, create your key (Keys and "
            "approvers…, Create a key…) and have its public key trusted in this database "
            "(Trust a key by hand…): without an organisation policy such a decision stays "
            "unverified."
        )
    mine = {k.fingerprint for k in keys}
    counted = {a.fingerprint for a in approvers.approvers}
    if approvers.verified and not mine & counted:
        return _(
            "None of your keys is an approver in the organisation's {policy}: only the "
            "approvers it lists can decide. Ask the deal desk to list your key in a new policy."
        ).format(policy=policy_words(approvers.source))
    # Under a policy only the keys it lists can decide: another key of the desk's (the
    # organisation key) says nothing about why the listed ones cannot.
    usable = (mine & counted if approvers.verified else mine) - set(request.requester_keys)
    if not usable:
        return _(
            "Your keys on this machine were here when {requester} asked for this approval: "
            "a request cannot be decided with a key its requester holds. Another approver "
            "must decide."
        ).format(requester=request.requested_by)
    if not approvers.verified and not request.imported and not usable & counted:
        return _(
            "None of your keys is trusted in this database, so a decision signed with it "
            "would not count. Have its public key trusted here (Keys and approvers…, Trust a "
            "key by hand…), or install the organisation's policy."
        )
    return None


class DecisionDialog(QDialog):
    """Approve or reject: comment, expiry, conditions, and the approver's key."""

    def __init__(
        self, parent: QWidget, approve: bool, request: approval_service.RequestInfo
    ) -> None:
        super().__init__(parent)
        self.approve = approve
        self.setWindowTitle(
            (
                _("Approve {number} v{version}") if approve else _("Reject {number} v{version}")
            ).format(number=request.quote_number, version=request.version)
        )
        form = QFormLayout(self)
        self.comment = QPlainTextEdit()
        self.comment.setToolTip(
            _("Why; a rejection needs one. The rep and the audit history see it.")
        )
        self.expires_on = QCheckBox(_("Expires on"))
        self.expires = QDateEdit()
        self.expires.setCalendarPopup(True)
        self.expires.setDisplayFormat(locale_format.date_input_format())
        self.expires.setDate(QDate.currentDate().addDays(30))
        self.expires.setEnabled(False)
        self.expires_on.toggled.connect(self.expires.setEnabled)
        self.expires.setToolTip(_("After this day the approval no longer counts"))
        self.conditions = QPlainTextEdit()
        self.conditions.setToolTip(_("One condition per line, e.g. 'Signed before 31 December'"))
        self.key = QComboBox()
        self.key.addItems(my_keys())
        self.key.setToolTip(_("Your approver key (Approvals > Create my approver key…)"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setToolTip(_("The passphrase that protects your approver key"))
        form.addRow(
            QLabel(
                "<br>".join(f"• {r}" for r in reason_texts(request.reasons, request.reason_details))
                or _("No reasons recorded.")
            )
        )
        form.addRow(_("Comment"), self.comment)
        if approve:
            expiry = QHBoxLayout()
            expiry.addWidget(self.expires_on)
            expiry.addWidget(self.expires)
            form.addRow(expiry)
            form.addRow(_("Conditions"), self.conditions)
        form.addRow(_("Approver key"), self.key)
        form.addRow(_("Passphrase"), self.passphrase)
        self.error = QLabel()
        self.error.setObjectName("decision_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(colours.text_style("error"))
        self.error.hide()
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def show_error(self, message: str, english: str = "", *, capitalise: bool = True) -> None:
        """A refusal (wrong passphrase, missing comment): shown in the dialog, which keeps
        everything typed; the passphrase is selected so typing replaces it. ``english``: the
        service's own sentence, which says which field it is about (``message`` is in the
        interface's language). ``capitalise`` False: the message starts with a name as the
        user wrote it ("root asked for this approval"; ``errors.sentence_start``)."""
        self.error.setText(message[:1].upper() + message[1:] if capitalise else message)
        self.error.show()
        about = english or message
        if "passphrase" in about:
            self.passphrase.setFocus()
            self.passphrase.selectAll()
        elif "comment" in about:
            self.comment.setFocus()

    def values(self) -> dict[str, object]:
        expires = None
        if self.approve and self.expires_on.isChecked():
            qdate = self.expires.date()
            expires = dt.date(qdate.year(), qdate.month(), qdate.day())
        return {
            "approve": self.approve,
            "comment": self.comment.toPlainText().strip(),
            "expires": expires,
            "conditions": [
                c.strip() for c in self.conditions.toPlainText().splitlines() if c.strip()
            ],
            "key_name": self.key.currentText(),
            "passphrase": self.passphrase.text(),
        }


def _stored_warning(warning: dict[str, Any]) -> str:
    """A warning a request's summary keeps (its code, not its values): its title in the
    interface's language; a stored English message only for a code not known here."""
    code = str(warning.get("code", ""))
    if code in WARNING_TITLES or not warning.get("message"):
        return warning_title(code)
    return english_sentence(str(warning["message"]))


def margin_in_seller_currency(summary: dict[str, Any]) -> str:
    """ "Margin in EUR (revenue converted at 0.92 USD per EUR): year 1: revenue …, COGS …,
    71.3%": a quote in another currency than the seller's has its margin measured in the
    seller's (costs are in it, issue 18)."""
    seller = str(summary["margin_currency"])
    rate = summary.get("exchange_rate")
    years = joined(
        _("year {year}: revenue {revenue}, COGS {cogs}, {margin}").format(
            year=y.get("year"),
            revenue=locale_format.money(Decimal(str(y.get("margin_revenue", "0"))), seller),
            cogs=locale_format.money(Decimal(str(y.get("cogs", "0"))), seller),
            margin=_pct(y.get("gross_margin_percent")),
        )
        for y in summary.get("years", [])
    )
    return _(
        "Margin in {seller} (revenue converted at {rate} {currency} per {seller}): {years}"
    ).format(
        seller=seller,
        rate=locale_format.number(Decimal(str(rate))) if rate not in (None, "") else "?",
        currency=summary.get("currency"),
        years=years,
    )


class ApprovalsPage(Page):
    def __init__(self, workspace: Workspace, window: MainWindow) -> None:
        super().__init__()
        self.workspace = workspace
        self.window_ = window
        self.requests: list[approval_service.RequestInfo] = []
        layout = QVBoxLayout(self)
        title = QLabel(_("<h2>Approvals</h2>"))
        layout.addWidget(title)
        buttons = QHBoxLayout()
        self.approve_button = QPushButton(_("Approve…"))
        self.reject_button = QPushButton(_("Reject…"))
        self.import_request_button = QPushButton(_("Import request file…"))
        self.import_request_button.setToolTip(
            _("Deal desk: a request file a rep exported on another machine")
        )
        self.import_decision_button = QPushButton(_("Import decision file…"))
        self.import_decision_button.setToolTip(
            _("Rep: the signed decision file the deal desk sent back")
        )
        self.key_button = QPushButton(_("Keys and approvers…"))
        self.key_button.setToolTip(
            _(
                "Your approver keys (create one, copy or save its public key) and the approvers "
                "whose decisions count here"
            )
        )
        self.verify_button = QPushButton(_("Verify a PDF…"))
        self.verify_button.setToolTip(
            _(
                "Check a final PDF's embedded approval: terms, signature, policy, authority, "
                "separation of duties"
            )
        )
        for button in (
            self.approve_button,
            self.reject_button,
            self.import_request_button,
            self.import_decision_button,
            self.key_button,
            self.verify_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.table.setAccessibleName(_("Pending requests"))
        self.table.setHorizontalHeaderLabels([_(title) for title in COLUMNS])
        for column in NUMBER_COLUMNS:
            header = self.table.horizontalHeaderItem(column)
            if header is not None:
                header.setTextAlignment(NUMBER_ALIGNMENT)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._show_details)
        self.table.verticalHeader().hide()
        self.reasons = QListWidget()
        self.reasons.setWordWrap(True)
        self.changes = QTableWidget(0, 3)
        self.changes.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.changes.setHorizontalHeaderLabels(["", _("Before"), _("Requested")])
        self.changes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.changes.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.changes.verticalHeader().hide()
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.addWidget(QLabel(_("Why approval is needed")))
        details_layout.addWidget(self.reasons, 1)
        self.changes_label = QLabel(_("Changes since the last approved version"))
        details_layout.addWidget(self.changes_label)
        details_layout.addWidget(self.changes, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(details)
        layout.addWidget(splitter, 1)
        self.empty = QLabel(_("No pending requests."))
        layout.addWidget(self.empty)
        # Why the selected request cannot be decided here, before any form opens.
        self.decide_note = QLabel()
        self.decide_note.setObjectName("decide_note")
        self.decide_note.setWordWrap(True)
        self.decide_note.setStyleSheet(colours.text_style("warning"))
        self.decide_note.hide()
        layout.insertWidget(layout.indexOf(splitter), self.decide_note)
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.reject_button.clicked.connect(lambda: self.decide(False))
        self.import_request_button.clicked.connect(self.import_request)
        self.import_decision_button.clicked.connect(self.import_decision)
        self.key_button.clicked.connect(self.show_keys)
        self.verify_button.clicked.connect(self.verify_pdf)
        self.reload()

    # --- list ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the pending requests again; the request selected stays selected while it is
        still pending."""
        before = self.selected() if hasattr(self, "requests") else None
        self.requests = self.workspace.run(approval_service.list_requests)
        settings_floor = self.workspace.run(get_settings).margin_floor_percent
        self.table.setRowCount(len(self.requests))
        for row, request in enumerate(self.requests):
            summary = request.summary or {}
            # The floor the quote was priced with (older versions did not store it).
            floor = summary.get("margin_floor_percent") or settings_floor
            margins = [
                y.get("gross_margin_percent")
                for y in summary.get("years", [])
                if y.get("gross_margin_percent")
            ]
            lowest = min((Decimal(str(m)) for m in margins), default=None)
            currency = str(summary.get("currency") or "USD")
            values = (
                request.quote_number,
                request.customer_name,
                str(request.version),
                locale_format.money(Decimal(str(summary["tcv"])), currency)
                if summary.get("tcv")
                else "",
                _pct(summary.get("effective_discount_percent"), locale_format.discount_percent),
                _("{lowest} (floor {floor})").format(
                    lowest=_pct(lowest, locale_format.margin_percent), floor=_pct(floor)
                )
                if lowest is not None
                else _("n/a"),
                enum_label(request.required_role) if request.required_role else "",
                _("{day} by {who}").format(
                    day=locale_format.day(request.requested_at), who=request.requested_by
                ),
            )
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row)
                if col in NUMBER_COLUMNS:
                    item.setTextAlignment(NUMBER_ALIGNMENT)  # numbers right-aligned
                if col == 5 and lowest is not None and _below(lowest, floor):
                    item.setForeground(colours.qcolor("error"))
                self.table.setItem(row, col, item)
        self.empty.setVisible(not self.requests)
        if self.requests:
            ids = [request.id for request in self.requests]
            self.table.selectRow(
                ids.index(before.id) if before is not None and before.id in ids else 0
            )
        self._show_details()

    def selected(self) -> approval_service.RequestInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.requests[rows[0].row()] if rows else None

    def decision_problem(self, request: approval_service.RequestInfo) -> str | None:
        """Why this user cannot decide ``request`` here (``decision_problem``)."""
        try:
            approvers = self.workspace.run(approval_service.list_approvers)
            # Terms that changed since the request cannot be decided: say so before the
            # form (and its passphrase) is offered.
            self.workspace.run(approval_service.check_request_current, request.request_id)
        except UserFacingError as exc:
            return error_text(exc)
        return decision_problem(request, self.workspace.user, key_service.list_keys(), approvers)

    def _show_details(self) -> None:
        request = self.selected()
        problem = self.decision_problem(request) if request is not None else None
        for button, tip in (
            (self.approve_button, _("Approve the selected request, signed with your key")),
            (self.reject_button, _("Reject the selected request, with a reason")),
        ):
            button.setEnabled(request is not None and problem is None)
            button.setToolTip(problem or tip)
        self.decide_note.setText(problem or "")
        self.decide_note.setVisible(problem is not None)
        self.reasons.clear()
        self.changes.setRowCount(0)
        if request is None:
            return
        warnings = [_stored_warning(w) for w in (request.summary or {}).get("warnings", [])]
        self.reasons.addItem(_("Asked by {who}").format(who=request.requested_by or _("unknown")))
        for reason in reason_texts(request.reasons, request.reason_details):
            self.reasons.addItem(reason)
        for note in request.notes:
            self.reasons.addItem(service_words.text(note))
        if warnings:
            for warning in warnings:
                self.reasons.addItem(_("Warning: {warning}").format(warning=warning))
        years = (request.summary or {}).get("years", [])
        if years:
            self.reasons.addItem(
                _("Gross margin by contract year: {margins}").format(
                    margins=", ".join(
                        _("year {year}: {margin}").format(
                            year=y.get("year"),
                            margin=_pct(
                                y.get("gross_margin_percent"), locale_format.margin_percent
                            ),
                        )
                        for y in years
                    )
                )
            )
        summary = request.summary or {}
        if years and summary.get("margin_currency"):
            self.reasons.addItem(margin_in_seller_currency(summary))
        base = self._last_approved_version(request)
        if request.quote_id is not None and base is not None and base < request.version:
            rows = [
                r
                for r in self.workspace.run(
                    quote_service.compare_versions,
                    request.quote_id,
                    base,
                    request.version,
                    locale=locale_format.user_locale(),
                )
                if r.changed
            ]
            if rows:
                self.changes_label.setText(_("Changes since version {base}").format(base=base))
            else:  # an empty table said nothing: was the comparison missing?
                self.changes_label.setText(_("No changes since version {base}").format(base=base))
            self.changes.setRowCount(len(rows))
            for i, r in enumerate(rows):
                for col, text in enumerate((r.label, r.a, r.b)):
                    self.changes.setItem(i, col, QTableWidgetItem(service_words.text(text)))
        else:
            self.changes_label.setText(_("First version: nothing to compare with"))

    def _last_approved_version(self, request: approval_service.RequestInfo) -> int | None:
        """The version the deal desk last approved, else the previous version."""
        if request.quote_id is None:
            return None
        try:
            status = self.workspace.run(approval_service.approval_status, request.quote_number)
        except UserFacingError:
            return None
        approved = [
            d.version
            for d in status.decisions
            if d.decision == "approved" and d.version < request.version
        ]
        if approved:
            return max(approved)
        return request.version - 1 if request.version > 1 else None

    # --- actions -----------------------------------------------------------------------------

    def decision_dialog(
        self, approve: bool, request: approval_service.RequestInfo
    ) -> DecisionDialog:
        dialog = DecisionDialog(self, approve, request)
        # Preselect the first of your keys whose decisions count here.
        try:
            counted = {
                a.fingerprint for a in self.workspace.run(approval_service.list_approvers).approvers
            }
        except UserFacingError:
            counted = set()
        mine = [k.name for k in key_service.list_keys() if k.fingerprint in counted]
        if mine:
            dialog.key.setCurrentText(mine[0])
        return dialog

    def exec_dialog(self, dialog: QDialog) -> bool:
        """Show a dialog modally (tests replace this to fill it in)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def decide(self, approve: bool) -> None:
        request = self.selected()
        if request is None:
            return
        problem = self.decision_problem(request)
        if problem is not None:  # no form that cannot succeed
            QMessageBox.information(self, _("Approve") if approve else _("Reject"), problem)
            return
        dialog = self.decision_dialog(approve, request)
        while self.exec_dialog(dialog):
            values = dialog.values()
            try:
                outcome = self.workspace.run(
                    approval_service.decide,
                    request.request_id,
                    actor=self.workspace.user,
                    approve=bool(values["approve"]),
                    comment=str(values["comment"]),
                    expires=values["expires"],  # type: ignore[arg-type]
                    conditions=list(values["conditions"]),  # type: ignore[call-overload]
                    key_name=str(values["key_name"]),
                    passphrase=str(values["passphrase"]),
                )
            except UserFacingError as exc:
                dialog.show_error(
                    error_text(exc),
                    str(exc),
                    capitalise=not getattr(exc, "starts_with_name", False),
                )
                continue
            if request.imported:  # another machine's request: send the signed file back
                self.save_decision_file(request, outcome.value.decision_id)
            self.window_.changed.emit(outcome.changes)
            self.reload()
            return

    def save_decision_file(
        self, request: approval_service.RequestInfo, decision_id: str
    ) -> Path | None:
        """Write a stored decision's file where the user chooses, whole or not at all; on a
        failure (a full or read-only disk) say so, that the decision is kept, and offer
        another place."""
        while True:
            path = self.ask_save_path(f"{request.quote_number}-decision.json")
            if path is None:
                return None
            try:
                return write_atomic(
                    path,
                    self.workspace.run(approval_service.export_decision, decision_id),
                    what="The decision file",
                )
            except UserFacingError as exc:
                answer = QMessageBox.question(
                    self,
                    _("Decision file not written"),
                    _(
                        "{error}\n\nThe decision is signed and stored. Save its file somewhere else?"
                    ).format(error=error_text(exc)),
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return None

    def ask_open_path(self, title: str) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(
            self, title, "", _("Quote Builder files (*.json);;All files (*)")
        )
        return Path(name) if name else None

    def ask_save_path(self, suggested: str) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the decision file"),
            str(desktop_open.save_folder() / suggested),
            _("JSON (*.json)"),
        )
        return Path(name) if name else None

    def import_request(self) -> None:
        path = self.ask_open_path(_("Import an approval request"))
        if path is None:
            return
        try:
            outcome = self.workspace.run(
                approval_service.import_request, _read(path), actor=self.workspace.user
            )
        except (UserFacingError, OSError) as exc:
            QMessageBox.warning(self, _("Not imported"), error_message(exc))
            return
        self.window_.changed.emit(outcome.changes)
        self.reload()

    def import_decision(self) -> None:
        path = self.ask_open_path(_("Import a signed decision"))
        if path is None:
            return
        try:
            outcome = self.workspace.run(
                approval_service.import_decision, _read(path), actor=self.workspace.user
            )
        except (UserFacingError, OSError) as exc:
            QMessageBox.warning(self, _("Decision refused"), error_message(exc))
            return
        value = outcome.value
        who = value.approver_name
        if value.approver_role:
            who = _("{name} ({role})").format(name=who, role=role_title(value.approver_role))
        if value.already_recorded_at is not None:
            QMessageBox.information(
                self,
                _("Decision already recorded"),
                _(
                    "This decision is already recorded on version {version} of {number} "
                    "(imported on {imported}; decided by {approver}); nothing changed."
                ).format(
                    number=value.quote_number,
                    version=value.version,
                    imported=locale_format.moment(value.already_recorded_at),
                    approver=who,
                ),
            )
            self.reload()
            return
        text = (
            _("{number} version {version} is approved by {approver}.")
            if value.decision == "approved"
            else _("{number} version {version} is rejected by {approver}.")
            if value.decision == "rejected"
            else _("{number} version {version} is {decision} by {approver}.")
        )
        QMessageBox.information(
            self,
            _("Decision imported"),
            text.format(
                number=value.quote_number,
                version=value.version,
                decision=value.decision,
                approver=who,
            ),
        )
        self.window_.changed.emit(outcome.changes)
        self.reload()

    def show_keys(self) -> None:
        self.exec_dialog(KeysDialog(self, self.workspace))

    def verify_pdf(self) -> None:
        from .verify_view import VerifyDialog

        self.exec_dialog(VerifyDialog(self, self.workspace))

    def refresh(self, changes: Changes) -> None:
        if changes.quotes or changes.empty or changes.elsewhere:
            self.reload()


def _read(path: Path) -> bytes:

    return read_limited(path, approval_service.MAX_FILE_BYTES, what="file")


class NewKeyDialog(QDialog):
    """Create an approver key: a name and the passphrase, asked twice."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Create my approver key"))
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("e.g. dana"))
        self.name.setToolTip(_("Letters, digits, dots, dashes or underscores; names the key file"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setToolTip(
            _("At least {count} characters; it protects the key on disk").format(
                count=approval_signing_min()
            )
        )
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setToolTip(_("The same passphrase again, to catch a typing mistake"))
        self.error = QLabel()
        self.error.setObjectName("new_key_error")
        self.error.setStyleSheet(colours.text_style("error"))
        self.error.setWordWrap(True)
        self.error.hide()
        form.addRow(_("Key name"), self.name)
        form.addRow(_("Passphrase"), self.passphrase)
        form.addRow(_("Passphrase again"), self.again)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def problem(self) -> str | None:
        if not self.name.text().strip():
            return _("Key name: give the key a name")
        if self.passphrase.text() != self.again.text():
            return _("Passphrase again: the two passphrases differ; type them again")
        return None

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


def approval_signing_min() -> int:
    from quote_builder.approvals.signing import MIN_PASSPHRASE

    return MIN_PASSPHRASE


class KeysDialog(QDialog):
    """Your keys and the approvers whose decisions count in this database."""

    def __init__(self, parent: ApprovalsPage, workspace: Workspace) -> None:
        super().__init__(parent)
        self.page = parent
        self.workspace = workspace
        self.setWindowTitle(_("Keys and approvers"))
        self.resize(820, 520)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(_("<b>Your keys</b> (in {keys_dir})").format(keys_dir=key_service.keys_dir()))
        )
        self.keys_table = QTableWidget(0, 3)
        self.keys_table.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.keys_table.setObjectName("my_keys")
        self.keys_table.setHorizontalHeaderLabels([_("Name"), _("Fingerprint"), _("Format")])
        _table_style(self.keys_table)
        layout.addWidget(self.keys_table, 1)
        row = QHBoxLayout()
        self.create_button = QPushButton(_("Create a key…"))
        self.create_button.setToolTip(_("A new Ed25519 key pair, protected by your passphrase"))
        self.copy_button = QPushButton(_("Copy public key"))
        self.copy_button.setToolTip(
            _("Copy the selected key's public key to send to the deal desk")
        )
        self.save_button = QPushButton(_("Save public key…"))
        self.save_button.setToolTip(_("Save the selected key's public key as a file"))
        for button in (self.create_button, self.copy_button, self.save_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.approvers_label = QLabel()
        self.approvers_label.setObjectName("approvers_source")
        self.approvers_label.setWordWrap(True)
        layout.addWidget(self.approvers_label)
        self.approvers_table = QTableWidget(0, 3)
        self.approvers_table.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.approvers_table.setObjectName("approvers")
        self.approvers_table.setHorizontalHeaderLabels([_("Approver"), _("Role"), _("Fingerprint")])
        _table_style(self.approvers_table)
        layout.addWidget(self.approvers_table, 1)
        row = QHBoxLayout()
        self.trust_button = QPushButton(_("Trust a key by hand…"))
        self.trust_button.setToolTip(
            _(
                "Without an organisation policy only: decisions signed with this key are accepted "
                "here (unverified)"
            )
        )
        row.addWidget(self.trust_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setObjectName("keys_status")
        layout.addWidget(self.status)
        self.create_button.clicked.connect(self.create_key)
        self.copy_button.clicked.connect(self.copy_public_key)
        self.save_button.clicked.connect(self.save_public_key)
        self.trust_button.clicked.connect(self.trust_key)
        self.keys: list[key_service.KeyInfo] = []
        self.reload()

    def reload(self) -> None:
        self.keys = key_service.list_keys()
        self.keys_table.setRowCount(len(self.keys))
        for i, key in enumerate(self.keys):
            for col, text in enumerate(
                (
                    key.name,
                    key.short_fingerprint,
                    _("current") if key.format_version >= 2 else _("older (still works)"),
                )
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(_("Fingerprint {fingerprint}").format(fingerprint=key.fingerprint))
                self.keys_table.setItem(i, col, item)
        if self.keys:
            self.keys_table.selectRow(0)
        view = self.workspace.run(approval_service.list_approvers)
        if view.problem:
            self.approvers_label.setText(
                _("<b>Approvers</b>: {problem}").format(problem=service_words.text(view.problem))
            )
        elif view.verified:
            self.approvers_label.setText(
                _("<b>Approvers whose decisions count here</b>: from {source}").format(
                    source=policy_words(view.source)
                )
            )
        else:
            self.approvers_label.setText(
                _(
                    "<b>Approvers trusted by hand — unverified</b>: no organisation policy is "
                    "installed, so anyone who can use this database can trust a key."
                )
            )
        self.approvers_table.setRowCount(len(view.approvers))
        for i, approver in enumerate(view.approvers):
            values = (
                approver.name,
                role_title(approver.role) if approver.role else _("unverified"),
                key_service.KeyInfo(
                    approver.name, Path(), approver.public_key, approver.fingerprint
                ).short_fingerprint,
            )
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(
                    _("Fingerprint {fingerprint}").format(fingerprint=approver.fingerprint)
                )
                self.approvers_table.setItem(i, col, item)
        self.trust_button.setVisible(not view.verified)
        self.copy_button.setEnabled(bool(self.keys))
        self.save_button.setEnabled(bool(self.keys))

    def selected_key(self) -> key_service.KeyInfo | None:
        rows = self.keys_table.selectionModel().selectedRows()
        return self.keys[rows[0].row()] if rows else None

    def create_key(self) -> None:
        dialog = NewKeyDialog(self)
        while self.page.exec_dialog(dialog):
            problem = dialog.problem()
            if problem is None:
                try:
                    key = key_service.create_key(
                        dialog.name.text().strip(), dialog.passphrase.text()
                    )
                except UserFacingError as exc:
                    problem = error_text(exc)
                else:
                    self.reload()
                    self.status.setText(
                        _(
                            "Created {name} (fingerprint {short_fingerprint}). Copy or save its public key for the deal desk."
                        ).format(name=key.name, short_fingerprint=key.short_fingerprint)
                    )
                    return
            dialog.show_error(problem)

    def copy_public_key(self) -> None:
        from PySide6.QtGui import QGuiApplication

        key = self.selected_key()
        if key is None:
            return
        QGuiApplication.clipboard().setText(key.public_line)
        self.status.setText(
            _("Copied {name}'s public key (fingerprint {short_fingerprint}).").format(
                name=key.name, short_fingerprint=key.short_fingerprint
            )
        )

    def save_public_key(self) -> None:
        from quote_builder.safe_files import write_atomic

        key = self.selected_key()
        if key is None:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the public key"),
            str(desktop_open.save_folder() / f"{key.name}.pub"),
            _("Public key (*.pub)"),
        )
        if not name:
            return
        try:
            write_atomic(name, key.public_line + "\n", mode=0o644, what="the public key")
        except UserFacingError as exc:
            QMessageBox.warning(self, _("Not saved"), error_message(exc))
            return
        self.status.setText(
            _("Saved {name}'s public key to {file}.").format(name=key.name, file=name)
        )

    def trust_key(self) -> None:
        name, ok = QInputDialog.getText(self, _("Trust a key by hand"), _("The approver's name:"))
        if not ok or not name.strip():
            return
        text, ok = QInputDialog.getMultiLineText(
            self, _("Trust a key by hand"), _("Their public key (ed25519 …):")
        )
        if not ok:
            return
        try:
            self.workspace.run(
                approval_service.add_trusted_key, name.strip(), text, actor=self.workspace.user
            )
        except UserFacingError as exc:
            QMessageBox.warning(self, _("Key not trusted"), error_message(exc))
            return
        self.reload()


def _table_style(table: QTableWidget) -> None:
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


def _pct(value: object, shown: Callable[[Decimal], str] | None = None) -> str:
    """A percent from a summary (a decimal string) in the user's locale: ``60%``, or as
    ``shown`` writes it (a margin ``81.0%``, a discount ``25%``, as the editor does)."""
    if value in (None, ""):
        return _("n/a")
    number = Decimal(str(value))
    if shown is not None:
        return shown(number)
    return locale_format.percent(number, 0 if number == number.to_integral_value() else 1)


def _below(margin: Decimal, floor: object) -> bool:
    """Whether a stored margin is under the floor (both from the priced summary)."""
    try:
        return margin < Decimal(str(floor))
    except InvalidOperation:
        return False


def create_page(workspace: Workspace, window: MainWindow) -> Page:
    return ApprovalsPage(workspace, window)
