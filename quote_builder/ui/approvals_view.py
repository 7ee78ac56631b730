"""The Approvals page: the deal desk's pending requests, with what they need to decide
(customer, TCV, discount vs list, margin per contract year against the floor, warnings,
the reasons, and what changed since the previous version), approve or reject with a
comment, an expiry and conditions, signed with the approver's key.

Files carry requests and decisions between machines without a shared database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

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

from quote_builder.errors import UserFacingError
from quote_builder.safe_files import read_limited, write_atomic
from quote_builder.services import approvals as approval_service
from quote_builder.services import quotes as quote_service
from quote_builder.services.core import Changes
from quote_builder.services.settings import get_settings
from quote_builder.services.workspace import Workspace

from .pages import Page

if TYPE_CHECKING:
    from .main_window import MainWindow

COLUMNS = ("Quote", "Customer", "Version", "TCV", "Discount", "Lowest margin", "Needs", "Requested")


def my_keys() -> list[str]:
    folder = approval_service.keys_dir()
    return sorted(p.stem for p in folder.glob("*.key")) if folder.is_dir() else []


class DecisionDialog(QDialog):
    """Approve or reject: comment, expiry, conditions, and the approver's key."""

    def __init__(
        self, parent: QWidget, approve: bool, request: approval_service.RequestInfo
    ) -> None:
        super().__init__(parent)
        self.approve = approve
        self.setWindowTitle(
            f"{'Approve' if approve else 'Reject'} {request.quote_number} v{request.version}"
        )
        form = QFormLayout(self)
        self.comment = QPlainTextEdit()
        self.comment.setToolTip("Why; a rejection needs one. The rep and the audit history see it.")
        self.expires_on = QCheckBox("Expires on")
        self.expires = QDateEdit()
        self.expires.setCalendarPopup(True)
        self.expires.setDate(QDate.currentDate().addDays(30))
        self.expires.setEnabled(False)
        self.expires_on.toggled.connect(self.expires.setEnabled)
        self.expires.setToolTip("After this day the approval no longer counts")
        self.conditions = QPlainTextEdit()
        self.conditions.setToolTip("One condition per line, e.g. 'Signed before 31 December'")
        self.key = QComboBox()
        self.key.addItems(my_keys())
        self.key.setToolTip("Your approver key (Approvals > Create my approver key…)")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setToolTip("The passphrase that protects your approver key")
        form.addRow(
            QLabel("<br>".join(f"• {r}" for r in request.reasons) or "No reasons recorded.")
        )
        form.addRow("Comment", self.comment)
        if approve:
            expiry = QHBoxLayout()
            expiry.addWidget(self.expires_on)
            expiry.addWidget(self.expires)
            form.addRow(expiry)
            form.addRow("Conditions", self.conditions)
        form.addRow("Approver key", self.key)
        form.addRow("Passphrase", self.passphrase)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

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


class ApprovalsPage(Page):
    def __init__(self, workspace: Workspace, window: MainWindow) -> None:
        super().__init__()
        self.workspace = workspace
        self.window_ = window
        self.requests: list[approval_service.RequestInfo] = []
        layout = QVBoxLayout(self)
        title = QLabel("<h2>Approvals</h2>")
        layout.addWidget(title)
        buttons = QHBoxLayout()
        self.approve_button = QPushButton("Approve…")
        self.reject_button = QPushButton("Reject…")
        self.import_request_button = QPushButton("Import request file…")
        self.import_request_button.setToolTip(
            "Deal desk: a request file a rep exported on another machine"
        )
        self.import_decision_button = QPushButton("Import decision file…")
        self.import_decision_button.setToolTip(
            "Rep: the signed decision file the deal desk sent back"
        )
        self.key_button = QPushButton("Create my approver key…")
        self.key_button.setToolTip(
            "An Ed25519 key pair; the private key is kept encrypted with your passphrase"
        )
        self.trust_button = QPushButton("Trust an approver's key…")
        self.trust_button.setToolTip("Decisions signed with a trusted key are accepted here")
        for button in (
            self.approve_button,
            self.reject_button,
            self.import_request_button,
            self.import_decision_button,
            self.key_button,
            self.trust_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
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
        self.changes.setHorizontalHeaderLabels(["", "Before", "Requested"])
        self.changes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.changes.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.changes.verticalHeader().hide()
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.addWidget(QLabel("Why approval is needed"))
        details_layout.addWidget(self.reasons, 1)
        self.changes_label = QLabel("Changes since the last approved version")
        details_layout.addWidget(self.changes_label)
        details_layout.addWidget(self.changes, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(details)
        layout.addWidget(splitter, 1)
        self.empty = QLabel("No pending requests.")
        layout.addWidget(self.empty)
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.reject_button.clicked.connect(lambda: self.decide(False))
        self.import_request_button.clicked.connect(self.import_request)
        self.import_decision_button.clicked.connect(self.import_decision)
        self.key_button.clicked.connect(self.create_key)
        self.trust_button.clicked.connect(self.trust_key)
        self.reload()

    # --- list ----------------------------------------------------------------------------

    def reload(self) -> None:
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
            lowest = min(margins, key=Decimal) if margins else None
            values = (
                request.quote_number,
                request.customer_name,
                str(request.version),
                f"{summary.get('tcv', '')} {summary.get('currency', '')}".strip(),
                f"{summary.get('effective_discount_percent', '')}%",
                f"{lowest}% (floor {floor}%)" if lowest is not None else "n/a",
                (request.required_role or "").replace("_", " "),
                f"{request.requested_at:%Y-%m-%d} by {request.requested_by}",
            )
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row)
                if col == 5 and lowest is not None and _below(lowest, floor):
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(row, col, item)
        self.empty.setVisible(not self.requests)
        if self.requests:
            self.table.selectRow(0)
        self._show_details()

    def selected(self) -> approval_service.RequestInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.requests[rows[0].row()] if rows else None

    def _show_details(self) -> None:
        request = self.selected()
        self.approve_button.setEnabled(request is not None)
        self.reject_button.setEnabled(request is not None)
        self.reasons.clear()
        self.changes.setRowCount(0)
        if request is None:
            return
        warnings = [w.get("code", "") for w in (request.summary or {}).get("warnings", [])]
        for reason in request.reasons:
            self.reasons.addItem(reason)
        if warnings:
            self.reasons.addItem("Warnings: " + ", ".join(warnings))
        years = (request.summary or {}).get("years", [])
        if years:
            self.reasons.addItem(
                "Gross margin by contract year: "
                + ", ".join(
                    f"year {y.get('year')}: {y.get('gross_margin_percent')}%" for y in years
                )
            )
        base = self._last_approved_version(request)
        if request.quote_id is not None and base is not None and base < request.version:
            rows = [
                r
                for r in self.workspace.run(
                    quote_service.compare_versions, request.quote_id, base, request.version
                )
                if r.changed
            ]
            self.changes_label.setText(f"Changes since version {base}")
            self.changes.setRowCount(len(rows))
            for i, r in enumerate(rows):
                for col, text in enumerate((r.label, r.a, r.b)):
                    self.changes.setItem(i, col, QTableWidgetItem(text))
        else:
            self.changes_label.setText("First version: nothing to compare with")

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

    def decision_values(
        self, approve: bool, request: approval_service.RequestInfo
    ) -> dict[str, object] | None:
        """Ask the approver (tests replace this)."""
        dialog = DecisionDialog(self, approve, request)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def decide(self, approve: bool) -> None:
        request = self.selected()
        if request is None:
            return
        values = self.decision_values(approve, request)
        if values is None:
            return
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
            QMessageBox.warning(self, "Not decided", str(exc))
            return
        if request.imported:  # another machine's request: send the signed file back
            self.save_decision_file(outcome.value.decision_id, request.quote_number)
        self.window_.changed.emit(outcome.changes)
        self.reload()

    def save_decision_file(self, decision_id: str, quote_number: str) -> Path | None:
        """Write a stored decision's file where the user chooses (whole or not at all); a
        failure says so and that the decision is kept."""
        path = self.ask_save_path(f"{quote_number}-decision.json")
        if path is None:
            return None
        try:
            return write_atomic(
                path,
                self.workspace.run(approval_service.export_decision, decision_id),
                what="The decision file",
            )
        except UserFacingError as exc:
            QMessageBox.warning(
                self,
                "Decision file not written",
                f"{exc}\n\nThe decision is signed and stored. Write its file again with "
                f"`quote-builder approval export-decision {decision_id} -o FILE`.",
            )
            return None

    def ask_open_path(self, title: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, title, "", "Quote Builder files (*.json);;All files (*)"
        )
        return Path(name) if name else None

    def ask_save_path(self, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the decision file", suggested, "JSON (*.json)"
        )
        return Path(name) if name else None

    def import_request(self) -> None:
        path = self.ask_open_path("Import an approval request")
        if path is None:
            return
        try:
            outcome = self.workspace.run(
                approval_service.import_request,
                read_limited(path, approval_service.MAX_FILE_BYTES, what="request file"),
                actor=self.workspace.user,
            )
        except (UserFacingError, OSError) as exc:
            QMessageBox.warning(self, "Not imported", str(exc))
            return
        self.window_.changed.emit(outcome.changes)
        self.reload()

    def import_decision(self) -> None:
        path = self.ask_open_path("Import a signed decision")
        if path is None:
            return
        try:
            outcome = self.workspace.run(
                approval_service.import_decision,
                read_limited(path, approval_service.MAX_FILE_BYTES, what="decision file"),
                actor=self.workspace.user,
            )
        except (UserFacingError, OSError) as exc:
            QMessageBox.warning(self, "Decision refused", str(exc))
            return
        QMessageBox.information(
            self,
            "Decision imported",
            f"{outcome.value.quote_number} is {outcome.value.decision} by {outcome.value.approver_name}.",
        )
        self.window_.changed.emit(outcome.changes)
        self.reload()

    def create_key(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Create my approver key", "Your name (e.g. dana-dealdesk):"
        )
        if not ok or not name.strip():
            return
        passphrase, ok = QInputDialog.getText(
            self,
            "Create my approver key",
            "A passphrase to protect the key:",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return
        try:
            key = approval_service.create_key(name.strip(), passphrase)
        except UserFacingError as exc:
            QMessageBox.warning(self, "No key created", str(exc))
            return
        QInputDialog.getMultiLineText(
            self,
            "Your public key",
            "Send this public key to the reps who must trust your decisions:",
            key.public_key,
        )

    def trust_key(self) -> None:
        name, ok = QInputDialog.getText(self, "Trust an approver", "The approver's name:")
        if not ok or not name.strip():
            return
        text, ok = QInputDialog.getMultiLineText(self, "Trust an approver", "Their public key:")
        if not ok:
            return
        try:
            self.workspace.run(
                approval_service.add_trusted_key, name.strip(), text, actor=self.workspace.user
            )
        except UserFacingError as exc:
            QMessageBox.warning(self, "Key not trusted", str(exc))

    def refresh(self, changes: Changes) -> None:
        if changes.quotes or changes.empty:
            self.reload()


def _below(margin: str, floor: object) -> bool:
    try:
        return Decimal(margin) < Decimal(str(floor))
    except InvalidOperation:
        return False


def create_page(workspace: Workspace, window: MainWindow) -> Page:
    return ApprovalsPage(workspace, window)
