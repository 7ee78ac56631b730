"""The quote editor's deal actions (issue 15): Finalise (Ctrl+Shift+P), Mark lost…, Record
acceptance… (the customer's signed PDF, or a signed paper copy with its scan), Re-issue…,
and Renew… / Expand… / Amend… on an accepted quote.

Every action is one use case run in the database process (``workspace.run``); its change
record refreshes the windows. Files the user picks are read here (never the database)
with ``read_limited``; the sent PDF is written with ``write_atomic``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from quote_builder.errors import UserFacingError
from quote_builder.services import approvals as approval_service
from quote_builder.services import contracts as contract_service
from quote_builder.services import lifecycle

from . import background, colours, desktop_open, history_words, labels, locale_format, service_words
from . import shortcuts as keys
from .approval_banner import before_finalise, stale_text
from .i18n import _, error_text
from .number_fields import WholeNumberBox

if TYPE_CHECKING:
    from .quote_editor import QuoteEditorWindow


def _date_dialog(
    parent: QWidget,
    title: str,
    label: str,
    day: dt.date,
    object_name: str,
    note: str | None = None,
) -> tuple[QDialog, QDateEdit]:
    """A dialog asking for one date (OK / Cancel), with an optional note under it."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumWidth(420)
    form = QFormLayout(dialog)
    edit = _date_edit(day, object_name)
    form.addRow(label, edit)
    if note:
        text = QLabel(note)
        text.setWordWrap(True)
        form.addRow(text)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return dialog, edit


def _sentence(error: Exception) -> str:
    """A service's message as a sentence on its own (capitalised, ending with a stop), in
    the interface's language."""
    return _as_sentence(error_text(error), getattr(error, "starts_with_name", False))


def _as_sentence(text: str, starts_with_name: bool = False) -> str:
    text = text.strip()
    first = text.split(" ", 1)[0]
    if starts_with_name:  # "root asked…": a login as written
        pass
    elif first.isalpha() and first.islower():  # "the passphrase…", never "forged.pdf"
        text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _date_edit(day: dt.date, name: str) -> QDateEdit:
    edit = QDateEdit(_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(locale_format.date_input_format())
    edit.setObjectName(name)
    return edit


class PassphraseDialog(QDialog):
    """The seller certificate's passphrase, asked each time (never stored)."""

    def __init__(self, parent: QWidget, certificate: str, number: str) -> None:
        super().__init__(parent)
        self.setMinimumWidth(460)
        self.setWindowTitle(_("Finalise and send"))
        layout = QVBoxLayout(self)
        text = QLabel(
            _(
                "Finalise {number}: the final PDF is made, signed with your certificate ({certificate}), kept as sent, and the quote is marked sent. Sending it again later sends this same file."
            ).format(number=number, certificate=certificate)
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("certificate-passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setToolTip(_("The passphrase of your signing certificate"))
        form.addRow(_("Certificate passphrase"), self.passphrase)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b91c1c")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Finalise"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class LostDialog(QDialog):
    def __init__(self, parent: QWidget, number: str) -> None:
        super().__init__(parent)
        self.setMinimumWidth(460)
        self.setWindowTitle(_("Mark {number} lost").format(number=number))
        form = QFormLayout(self)
        self.reason = QComboBox()
        self.reason.setObjectName("lost-reason")
        for key, words in lifecycle.LOST_REASONS.items():
            self.reason.addItem(labels.lost_reason(key, words), key)
        self.details = QLineEdit()
        self.details.setObjectName("lost-details")
        self.details.setPlaceholderText(_("In your words (needed for Other)"))
        form.addRow(_("Reason"), self.reason)
        form.addRow(_("Details"), self.details)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class AcceptanceDialog(QDialog):
    """The customer's signed PDF, or a printed copy signed on paper (who, when, the scan)."""

    def __init__(self, parent: QWidget, number: str) -> None:
        super().__init__(parent)
        self.setMinimumWidth(460)
        self.setWindowTitle(_("Record the acceptance of {number}").format(number=number))
        layout = QVBoxLayout(self)
        self.signed_pdf = QRadioButton(
            _("The customer signed the PDF (their signed file is checked)")
        )
        self.signed_pdf.setObjectName("acceptance-signed-pdf")
        self.paper = QRadioButton(_("Printed, signed on paper and scanned"))
        self.paper.setObjectName("acceptance-paper")
        self.signed_pdf.setChecked(True)
        layout.addWidget(self.signed_pdf)
        layout.addWidget(self.paper)
        form = QFormLayout()
        self.file = QLineEdit()
        self.file.setObjectName("acceptance-file")
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._browse)
        form.addRow(_("File"), self.file)
        form.addRow("", browse)
        self.signed_by = QLineEdit()
        self.signed_by.setObjectName("acceptance-signed-by")
        self.signed_on = _date_edit(dt.date.today(), "acceptance-signed-on")
        form.addRow(_("Signed by"), self.signed_by)
        form.addRow(_("Signed on"), self.signed_on)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.paper.toggled.connect(self._mode)
        self._mode()

    def _mode(self) -> None:
        paper = self.paper.isChecked()
        self.signed_by.setEnabled(paper)
        self.signed_on.setEnabled(paper)

    def _browse(self) -> None:
        kinds = (
            _("Scans (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)")
            if self.paper.isChecked()
            else _("PDF (*.pdf)")
        )
        path, _filter = QFileDialog.getOpenFileName(self, _("The signed order form"), "", kinds)
        if path:
            self.file.setText(path)


class ChangeDialog(QDialog):
    """Renew, expand or amend an accepted quote: the kind, the date it takes effect and,
    for an expansion, the seats added to each seats component."""

    def __init__(
        self,
        parent: QWidget,
        number: str,
        seats: dict[str, str],
        renewal_start: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Change the contract {number}").format(number=number))
        self.setMinimumWidth(460)
        self.renewal_start = renewal_start
        form = QFormLayout(self)
        self.kind = QComboBox()
        self.kind.setObjectName("change-kind")
        self.kind.addItem(_("Renewal: a new term when it ends"), "renewal")
        self.kind.addItem(_("Expansion: add seats or more, co-termed"), "expansion")
        self.kind.addItem(_("Amendment: change prices or terms from a date"), "amendment")
        form.addRow(_("Make"), self.kind)
        self.effective = _date_edit(dt.date.today() + dt.timedelta(days=1), "change-effective")
        self.chosen_effective = self.effective.date()
        form.addRow(_("Effective from"), self.effective)
        self.seats: dict[str, WholeNumberBox] = {}
        for seat_id, name in seats.items():
            label = _("Added {name}").format(name=name)
            box = WholeNumberBox(label, 0, 1_000_000)  # "12k" is refused, never 12 seats
            box.setObjectName(f"change-seats-{seat_id}")
            self.seats[seat_id] = box
            form.addRow(label, box)
        self.kind.currentIndexChanged.connect(self._mode)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.problem = QLabel()
        self.problem.setObjectName("change-problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {colours.colour('error')};")
        self.problem.hide()
        form.addRow(self.problem)
        form.addRow(buttons)
        self._mode()

    def accept(self) -> None:
        """OK with a seat count that cannot be read says why and stays open."""
        for box in self.seats.values():
            why = box.problem() if box.isEnabled() else None
            if why is not None:
                self.problem.setText(why)
                self.problem.show()
                box.setFocus()
                return
        super().accept()

    def _mode(self) -> None:
        kind = self.kind.currentData()
        renewal = kind == "renewal"
        if renewal and self.effective.isEnabled():
            # A renewal starts the day after the contract ends: show that date, fixed.
            self.chosen_effective = self.effective.date()
            if self.renewal_start is not None:
                self.effective.setDate(_qdate(self.renewal_start))
        elif not renewal and not self.effective.isEnabled():
            self.effective.setDate(self.chosen_effective)
        self.effective.setEnabled(not renewal)
        self.effective.setToolTip(
            _("A renewal starts the day after the contract ends") if renewal else ""
        )
        for box in self.seats.values():
            box.setEnabled(kind == "expansion")


class DealActions:
    """The actions on the editor's toolbar and their state."""

    def __init__(self, window: QuoteEditorWindow) -> None:
        self.window = window
        self._recording = False
        """True while Record acceptance… is open or its file is being checked."""
        bar = window.findChild(QWidget, "quote-toolbar")
        self.finalise = QAction(_("Finalise"), window)
        self.finalise.setObjectName("finalise-action")
        keys.bind(self.finalise, "editor.finalise")
        self.finalise.triggered.connect(self.run_finalise)
        self.lost = QAction(_("Mark lost…"), window)
        self.lost.triggered.connect(self.run_lost)
        self.accept = QAction(_("Record acceptance…"), window)
        self.accept.triggered.connect(self.run_accept)
        self.valid_until = QAction(_("Valid until…"), window)
        self.valid_until.setObjectName("valid-until-action")
        self.valid_until.triggered.connect(self.run_valid_until)
        self.reissue = QAction(_("Re-issue…"), window)
        self.reissue.triggered.connect(self.run_reissue)
        self.change = QAction(_("Renew / Expand / Amend…"), window)
        self.change.triggered.connect(self.run_change)
        for action in (
            self.finalise,
            self.lost,
            self.accept,
            self.valid_until,
            self.reissue,
            self.change,
        ):
            if bar is not None:
                bar.addAction(action)
            window.addAction(action)
        self.update()

    # --- state ------------------------------------------------------------------------------

    def update(self, modified: bool | None = None) -> None:
        """Each action enabled or not, its tooltip saying why (``modified``: the editor's
        ``is_modified`` when the caller has it)."""
        status = self.window.row.status
        if modified is None:
            modified = self.window.editor.is_modified()
        state = getattr(self.window, "approval_state", None)
        needs_approval = (
            status in ("draft", "approved")
            and state is not None
            and state.needed
            and state.approval is None
        )
        stale = stale_text(state) if state is not None and needs_approval else ""
        self._enable(
            self.finalise,
            None
            if status == "sent"
            else _("Save your changes first")
            if modified
            else stale
            or _(
                "This version needs approval first: Request approval, then Finalise once "
                "it is approved"
            )
            if needs_approval
            else None
            if status in ("draft", "approved")
            else _("A {status} quote is not finalised").format(status=labels.status_word(status)),
            _("Make the final PDF, sign it and mark the quote sent (Ctrl+Shift+P)")
            if status != "sent"
            else _("Send the same signed PDF again (Ctrl+Shift+P)"),
        )
        gap = before_finalise(state) if state is not None else ""
        if gap and self.finalise.isEnabled():
            # As the banner says: Finalise stays enabled, refuses with this sentence and
            # offers to open the customer (the way to fill it in).
            self.finalise.setToolTip(
                _("Before Finalise: {problem}. Finalise shows it and opens the customer.").format(
                    problem=gap
                )
            )
        self._enable(
            self.lost,
            None
            if status not in ("accepted", "lost")
            else _("The quote is {status}").format(status=labels.status_word(status)),
            _("The customer said no: record why"),
        )
        self._enable(
            self.accept,
            None if status == "sent" else _("Only a sent quote is accepted"),
            _("The customer signed: import their signed PDF, or record a signed paper copy"),
        )
        self._enable(
            self.valid_until,
            _("Save your changes first")
            if modified
            else None
            if status in ("draft", "approved")
            else _("A sent or expired quote gets a new date by Re-issue…")
            if status in ("sent", "expired")
            else _("A {status} quote keeps its valid-until date").format(
                status=labels.status_word(status)
            ),
            _(
                "Change the date until which the offer stands (an approved quote goes back to draft)"
            ),
        )
        self._enable(
            self.reissue,
            None
            if status in ("expired", "lost")
            else _("Only an expired or lost quote is re-issued"),
            _("Make a new version of the same terms with a new valid-until date"),
        )
        self._enable(
            self.change,
            None if status == "accepted" else _("Only an accepted quote (a contract) is renewed"),
            _("Renew, expand (co-termed) or amend this contract in a new quote"),
        )

    def _enable(self, action: QAction, problem: str | None, tip: str) -> None:
        action.setEnabled(problem is None)
        action.setToolTip(tip if problem is None else problem)

    def _done(self, changes: Any) -> None:
        self.window.main_window.changed.emit(changes)
        self.window.refresh_approval()
        window = self.window
        if window.preview is not None and window.editor.tabs.currentWidget() is getattr(
            window, "_preview_tab", None
        ):
            window.refresh_preview()  # a version just sent shows as sent

    def _row(self) -> Any:
        from quote_builder.services import quotes as quote_service

        return self.window.workspace.run(quote_service.get_quote, self.window.quote_id)

    # --- actions ----------------------------------------------------------------------------

    def run_finalise(self) -> None:
        from quote_builder.safe_files import write_atomic
        from quote_builder.services import certificates

        window = self.window
        if window.editor.is_modified():
            QMessageBox.information(window, _("Save first"), _("Save your changes first."))
            return
        row = self._row()
        passphrase = ""
        if row.status != "sent":
            try:  # before the passphrase: the order form needs the customer's details
                gaps = window.workspace.run(lifecycle.customer_gaps, row.id)
            except UserFacingError as exc:
                QMessageBox.warning(window, _("Not finalised"), _sentence(exc))
                return
            if gaps is not None:
                self.show_customer_gaps(
                    _("{number} cannot be finalised: {problem}").format(
                        number=row.number,
                        problem=labels.customer_gaps_text(gaps.customer_name, gaps.gaps),
                    ),
                    gaps,
                )
                return
            try:  # before the passphrase too: the governing law and courts
                missing = window.workspace.run(lifecycle.jurisdiction_gaps, row.id)
            except UserFacingError as exc:
                QMessageBox.warning(window, _("Not finalised"), _sentence(exc))
                return
            if missing:
                self.show_jurisdiction_gaps(row.number, missing)
                return
            try:  # before the passphrase too: a tax decided on other customer details
                stale = window.workspace.run(lifecycle.stale_tax_error, row.id, row.number)
            except UserFacingError as exc:
                QMessageBox.warning(window, _("Not finalised"), _sentence(exc))
                return
            if stale is not None:
                QMessageBox.warning(window, _("Not finalised"), _sentence(stale))
                return
            try:  # before the passphrase too: an approval that no longer applies
                state = window.workspace.run(approval_service.approval_state, row.id)
            except UserFacingError as exc:
                QMessageBox.warning(window, _("Not finalised"), _sentence(exc))
                return
            if state.stale_approval is not None and state.approval is None:
                QMessageBox.warning(window, _("Not finalised"), stale_text(state))
                window.refresh_approval()
                return
            if state.unprintable:  # before the passphrase too: a PDF that cannot be made
                QMessageBox.warning(
                    window,
                    _("Not finalised"),
                    _("The PDF cannot be made: {problem}.").format(
                        problem=service_words.text(state.unprintable[0])
                    ),
                )
                return
            try:
                certificate = certificates.seller_certificate()
            except UserFacingError as exc:
                QMessageBox.warning(window, _("Not finalised"), _sentence(exc))
                return
            if certificate is None:
                QMessageBox.warning(
                    window,
                    _("No signing certificate"),
                    _(
                        "Finalising signs the PDF with the seller's certificate, and there is none "
                        "on this computer: choose one in Settings (a PKCS#12 file), or create a "
                        "trial certificate there."
                    ),
                )
                return
            dialog = PassphraseDialog(window, service_words.text(certificate.label), row.number)
            while True:
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return
                passphrase = dialog.passphrase.text()
                try:
                    outcome = window.workspace.run(
                        lifecycle.finalise_quote,
                        row.id,
                        expected_version=row.version_id,
                        actor=window.workspace.user,
                        passphrase=passphrase,
                    )
                except lifecycle.CustomerIncompleteError as exc:  # changed meanwhile
                    self.show_customer_gaps(error_text(exc), exc.gaps)
                    return
                except UserFacingError as exc:
                    if "passphrase" in str(exc).lower():
                        dialog.error.setText(_sentence(exc))
                        dialog.passphrase.selectAll()
                        continue
                    QMessageBox.warning(window, _("Not finalised"), _sentence(exc))
                    return
                break
        else:
            try:
                outcome = window.workspace.run(
                    lifecycle.finalise_quote,
                    row.id,
                    expected_version=row.version_id,
                    actor=window.workspace.user,
                    passphrase="",
                )
            except UserFacingError as exc:
                QMessageBox.warning(window, _("Not sent"), _sentence(exc))
                return
        sent = outcome.value
        self._done(outcome.changes)
        path, _filter = QFileDialog.getSaveFileName(
            window,
            _("Save the signed PDF to send"),
            str(desktop_open.save_folder() / sent.file_name),
            _("PDF (*.pdf)"),
        )
        if path:
            try:
                write_atomic(path, sent.pdf, what="The PDF")
            except UserFacingError as exc:
                QMessageBox.warning(window, _("PDF not written"), _sentence(exc))
                return
        headline = (
            _("Sent again: the same signed file.")
            if sent.resent
            else _("Finalised and marked sent.")
        )
        QMessageBox.information(
            window,
            _("Sent"),
            headline
            + "\n\n"
            + _("{number} version {version}, signed by {signer}.").format(
                number=sent.quote_number, version=sent.version, signer=sent.signer
            )
            + f"\nSHA-256 {sent.pdf_sha256}",
        )

    def show_customer_gaps(self, text: str, gaps: lifecycle.CustomerGaps) -> None:
        """Finalise refused for the customer's missing details: say what is missing and
        offer to open the customer on the Customers page, at the first field to fill in."""
        window = self.window
        box = QMessageBox(
            QMessageBox.Icon.Warning, _("Not finalised"), _as_sentence(text), parent=window
        )
        box.setObjectName("customer-gaps")
        open_button = None
        if gaps.customer_id is not None:
            open_button = box.addButton(_("Open customer"), QMessageBox.ButtonRole.AcceptRole)
            open_button.setObjectName("open-customer")
        close = box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(open_button or close)
        box.setEscapeButton(close)
        box.exec()
        if open_button is not None and box.clickedButton() is open_button:
            assert gaps.customer_id is not None
            self.open_customer(gaps.customer_id, gaps.gaps)

    def show_jurisdiction_gaps(self, number: str, missing: tuple[str, ...]) -> None:
        """Finalise refused for the governing law or courts not set: say so, and offer to
        open Settings at the first of them."""
        window = self.window
        text = _("{number} cannot be finalised: {problem}").format(
            number=number, problem=labels.jurisdiction_text(missing)
        )
        box = QMessageBox(
            QMessageBox.Icon.Warning, _("Not finalised"), _as_sentence(text), parent=window
        )
        box.setObjectName("jurisdiction-gaps")
        open_button = box.addButton(_("Open Settings"), QMessageBox.ButtonRole.AcceptRole)
        open_button.setObjectName("open-settings")
        close = box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(open_button)
        box.setEscapeButton(close)
        box.exec()
        if box.clickedButton() is open_button:
            self.open_legal_settings(missing[0])

    def open_legal_settings(self, field: str) -> None:
        """The Settings page in the main window, the cursor in the legal frame's ``field``."""
        from .settings_view import SettingsPage

        main = self.window.main_window
        page = main.show_page("settings")
        assert isinstance(page, SettingsPage)
        if main.isMinimized():
            main.showNormal()
        main.raise_()
        main.activateWindow()
        page.focus_legal(field)

    def open_customer(self, customer_id: int, gaps: tuple[str, ...]) -> None:
        """The Customers page in the main window, showing the customer, the cursor in the
        first thing to fill in (Billing address, else the new contact's name)."""
        from .customers_view import CustomersPage

        main = self.window.main_window
        page = main.show_page("customers")
        assert isinstance(page, CustomersPage)
        page.select_customer(customer_id)
        if main.isMinimized():
            main.showNormal()
        main.raise_()
        main.activateWindow()
        page.focus_missing(gaps)

    def _until_done(
        self, dialog: QDialog, refused_title: str, call: Callable[[], Any]
    ) -> Any | None:
        """Show ``dialog`` until the use case ``call`` goes through (its outcome) or the
        user cancels (None); a refusal is shown as its sentence and the dialog comes back
        with what was typed."""
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                outcome = call()
            except UserFacingError as exc:
                QMessageBox.warning(self.window, refused_title, _sentence(exc))
                continue
            self._done(outcome.changes)
            return outcome
        return None

    def run_lost(self) -> None:
        window = self.window
        dialog = LostDialog(window, window.row.number)

        def mark_lost() -> Any:
            row = self._row()
            return window.workspace.run(
                lifecycle.mark_lost,
                row.id,
                reason=dialog.reason.currentData(),
                details=dialog.details.text(),
                expected_version=row.version_id,
                actor=window.workspace.user,
            )

        self._until_done(dialog, _("Not marked lost"), mark_lost)

    def run_accept(self) -> None:
        from quote_builder.safe_files import read_limited

        window = self.window
        if self._recording:
            return  # a second click while the signed file is checked starts nothing
        dialog = AcceptanceDialog(window, window.row.number)

        def record() -> Any:
            path = dialog.file.text().strip()
            if not path:
                raise UserFacingError(_("Choose the signed file first."))
            data = read_limited(path, lifecycle.MAX_SIGNED_PDF_BYTES, what="signed file")
            try:
                return record_file(path, data, confirmed=False)
            except lifecycle.OtherSignerError as exc:
                # Someone other than the order form's signatory signed: one clear question,
                # recorded (and so in the history) only when the user confirms.
                answer = QMessageBox.question(
                    window,
                    _("Not the signatory the order form names"),
                    _sentence(exc)
                    + "\n\n"
                    + _(
                        "Record the acceptance anyway? Do so only if you checked that {who} "
                        "may sign for {customer}; the history will say you confirmed it."
                    ).format(who=exc.signed_by, customer=exc.customer),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No,
                )
                if answer != QMessageBox.StandardButton.Yes:
                    raise UserFacingError(_("Nothing was recorded.")) from None
                return record_file(path, data, confirmed=True)

        def record_file(path: str, data: bytes, *, confirmed: bool) -> Any:
            row = self._row()
            if dialog.paper.isChecked():
                signed_by = dialog.signed_by.text()
                signed_on = _pydate(dialog.signed_on.date())
                return background.run_busy(
                    window,
                    _("Recording the acceptance…"),
                    lambda: window.workspace.run(
                        lifecycle.record_paper_acceptance,
                        row.id,
                        signed_by=signed_by,
                        signed_on=signed_on,
                        scan=data,
                        file_name=Path(path).name,
                        expected_version=row.version_id,
                        actor=window.workspace.user,
                        other_signer_confirmed=confirmed,
                    ),
                )
            # Every page and signature of the signed file is checked: seconds for a large
            # file, in the database process; the window repaints meanwhile (ui.background).
            return background.run_busy(
                window,
                _("Checking the signed order form…"),
                lambda: window.workspace.run(
                    lifecycle.import_signed_pdf,
                    data,
                    file_name=Path(path).name,
                    actor=window.workspace.user,
                    quote_id=row.id,
                    other_signer_confirmed=confirmed,
                ),
            )

        self._recording = True
        try:
            outcome = self._until_done(dialog, _("Not recorded"), record)
        finally:
            self._recording = False
        if outcome is not None:
            info = outcome.value
            QMessageBox.information(
                window,
                _("Accepted"),
                _(
                    "{number} accepted: version {version} signed by {who} on {day} ({method})."
                ).format(
                    number=info.quote_number,
                    version=info.version,
                    who=info.signed_by,
                    day=locale_format.day(info.signed_at),
                    method=history_words.method_words(
                        lifecycle.acceptance_method(info.method, info.signer_detail)
                    ),
                ),
            )

    def run_valid_until(self) -> None:
        window = self.window
        if window.editor.is_modified():
            QMessageBox.information(window, _("Save first"), _("Save or undo your changes first."))
            return
        current = window.row.valid_until or dt.date.today() + dt.timedelta(days=30)
        note = (
            _("The date is part of the customer's terms: the quote goes back to draft.")
            if window.row.status == "approved"
            else None
        )
        dialog, until = _date_dialog(
            window,
            _("Valid until: {number}").format(number=window.row.number),
            _("Offer valid until"),
            current,
            "valid-until-date",
            note,
        )

        def set_valid_until() -> Any:
            row = self._row()
            return window.workspace.run(
                lifecycle.set_valid_until,
                row.id,
                _pydate(until.date()),
                expected_version=row.version_id,
                actor=window.workspace.user,
            )

        self._until_done(dialog, _("Not changed"), set_valid_until)

    def run_reissue(self) -> None:
        window = self.window
        if window.editor.is_modified():
            QMessageBox.information(window, _("Save first"), _("Save or undo your changes first."))
            return
        dialog, until = _date_dialog(
            window,
            _("Re-issue {number}").format(number=window.row.number),
            _("Valid until"),
            dt.date.today() + dt.timedelta(days=30),
            "reissue-valid-until",
        )

        def reissue() -> Any:
            row = self._row()
            return window.workspace.run(
                lifecycle.reissue_quote,
                row.id,
                valid_until=_pydate(until.date()),
                expected_version=row.version_id,
                actor=window.workspace.user,
            )

        if self._until_done(dialog, _("Not re-issued"), reissue) is not None:
            # The window holds the old version: open the new one (the same terms).
            main, quote_id = window.main_window, window.quote_id
            window.close()
            main.open_quote(quote_id)

    def run_change(self) -> None:
        window = self.window
        document = window.editor.document
        seats = {
            c.id: c.name for c in (document.components if document else []) if c.kind == "seats"
        }
        renewal_start = None
        if document is not None:
            from quote_builder.pricing.contracts import contract_end

            renewal_start = contract_end(document) + dt.timedelta(days=1)
        dialog = ChangeDialog(window, window.row.number, seats, renewal_start)

        def start_change() -> Any:
            kind = dialog.kind.currentData()
            return window.workspace.run(
                contract_service.start_change,
                window.quote_id,
                kind,
                actor=window.workspace.user,
                effective=None if kind == "renewal" else _pydate(dialog.effective.date()),
                added_seats={k: box.value() for k, box in dialog.seats.items() if box.value()}
                if kind == "expansion"
                else None,
            )

        outcome = self._until_done(dialog, _("Not made"), start_change)
        if outcome is not None:
            window.main_window.open_quote(outcome.value.id)


__all__ = ["AcceptanceDialog", "ChangeDialog", "DealActions", "LostDialog", "PassphraseDialog"]
