"""Verify a PDF: the same checks as ``quote-builder verify``, one line each.

The organisation key to compare with (the one pasted, else the one of the policy
installed here) is looked up in the database process (``verify.organisation_key``), off
the window's thread (``ui.background``: the database process may be busy). Reading the PDF (bounded) and the checks, which read every page and signature
(seconds for a large PDF, pure Python), run in a separate process
(``services.verify_job``), so the window keeps responding. While they run a busy bar
shows and Check, Choose PDF and the key are disabled; closing the dialog stops the job;
the lines appear when it is done. "Content only" checks a copy whose seller signature was
removed (``verify --content-only``): the approval, the terms and the pages alone."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from quote_builder.errors import UserFacingError
from quote_builder.services import verify as verify_service
from quote_builder.services.verify_job import VerifyJob
from quote_builder.services.workspace import Workspace

from . import background, colours, service_words
from .error_words import check_name
from .i18n import _, error_message, error_text


def check_lines(report: verify_service.VerifyReport) -> list[str]:
    """The report's lines as the page shows them, in the interface's language: a mark, the
    check's name and its sentence (``ui/error_words.py``, codes ``verify.*``), dates and
    percents in the user's locale. The command line prints the English."""
    lines = []
    for check in report.checks:
        mark = "✔" if check.ok else "✘"
        line = _("{check}: {result}").format(
            check=check_name(check.name), result=service_words.text(check.message)
        )
        lines.append(f"{mark}  {line}")
    return lines


class VerifyDialog(QDialog):
    def __init__(self, parent: QWidget, workspace: Workspace, path: Path | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.path = path
        self.setWindowTitle(_("Verify a PDF"))
        self.resize(860, 420)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        file_row = QHBoxLayout()
        self.file_label = QLabel(_("No PDF chosen"))
        self.file_label.setObjectName("verify_file")
        self.choose = QPushButton(_("Choose PDF…"))
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose)
        form.addRow("PDF", file_row)
        self.org_key = QLineEdit()
        self.org_key.setObjectName("verify_org_key")
        self.org_key.setPlaceholderText(
            _("Empty: the organisation key of the policy installed here")
        )
        from quote_builder.services.policy import PinnedKeyError, pinned_key

        try:
            pin = pinned_key()
        except PinnedKeyError:  # the check says why, when it runs
            pin = None
        if pin is not None:
            self.org_key.setPlaceholderText(
                _("Empty: the organisation key pinned on this computer ({key})").format(
                    key=pin.short
                )
            )
        self.org_key.setToolTip(
            _("The organisation's public key (ed25519 …), to check a PDF from another organisation")
        )
        form.addRow(_("Organisation key"), self.org_key)
        self.content_only = QCheckBox(
            _("Content only: the seller's signature was removed from this copy")
        )
        self.content_only.setObjectName("verify_content_only")
        self.content_only.setToolTip(
            _(
                "For a copy that lost the seller's signature (saved again or printed to PDF): "
                "the approval, the terms and the pages' text are still checked, the "
                "signature is not"
            )
        )
        form.addRow("", self.content_only)
        layout.addLayout(form)
        self.results = QListWidget()
        self.results.setObjectName("verify_results")
        self.results.setWordWrap(True)
        layout.addWidget(self.results, 1)
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("verify_busy")
        self.busy_bar.setRange(0, 0)  # busy: no percentage to show
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName(_("Checking the PDF"))
        self.busy_bar.hide()
        layout.addWidget(self.busy_bar)
        self.verdict = QLabel()
        self.verdict.setObjectName("verify_verdict")
        self.verdict.setWordWrap(True)
        layout.addWidget(self.verdict)
        self.job: VerifyJob | None = None
        self._lookup: background.BackgroundCall[verify_service.OrganisationKey] | None = None
        """The organisation key being looked up in the database process, before the job."""
        self._poll = QTimer(self)
        self._poll.setInterval(50)
        self._poll.timeout.connect(self._check_job)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.check_button = buttons.addButton(_("Check"), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.choose.clicked.connect(self.choose_pdf)
        self.check_button.clicked.connect(self.check)
        self.content_only.toggled.connect(self._content_only_changed)
        if path is not None:
            self.file_label.setText(str(path))
            self.check()

    def ask_path(self) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Verify a PDF"), "", _("PDF (*.pdf)"))
        return Path(name) if name else None

    def choose_pdf(self) -> None:
        path = self.ask_path()
        if path is None:
            return
        self.path = path
        self.file_label.setText(str(path))
        self.check()

    @property
    def busy(self) -> bool:
        """True while a PDF is being checked."""
        return self.job is not None or self._lookup is not None

    def _content_only_changed(self) -> None:
        if self.path is not None and not self.busy:
            self.check()

    def check(self) -> None:
        """Start checking the chosen PDF (a check already running is stopped first); the
        lines and the verdict appear when the job is done (``_check_job``). Nothing here
        waits for the database process: the key is looked up off the window's thread."""
        self._stop_job()
        self.results.clear()
        if self.path is None:
            self.verdict.setText(_("Choose a PDF to check."))
            return
        key = self.org_key.text().strip() or None
        workspace = self.workspace
        self._lookup = background.BackgroundCall(
            lambda: workspace.run(verify_service.organisation_key, key)
        )
        self._set_busy(True)
        self.verdict.setText(_("Checking the PDF…"))
        self._poll.start()

    def _check_job(self) -> None:
        lookup = self._lookup
        if lookup is not None:
            if not lookup.done:
                return
            self._lookup = None
            try:
                organisation = lookup.result()
            except UserFacingError as exc:
                self._poll.stop()
                self._set_busy(False)
                self.verdict.setText(error_message(exc))
                return
            assert self.path is not None
            self.job = VerifyJob(self.path, organisation, self.content_only.isChecked())
        job = self.job
        if job is None:
            self._poll.stop()
            return
        report = job.poll()
        if report is None:
            return
        self.job = None
        self._poll.stop()
        self._set_busy(False)
        if isinstance(report, UserFacingError):  # the file cannot be read: why, no lines
            self.verdict.setText(error_text(report))
            return
        self._show(report)

    def _show(self, report: verify_service.VerifyReport) -> None:
        for text in check_lines(report):
            check_ok = text.startswith("✔")
            item = QListWidgetItem(text)
            item.setForeground(colours.qcolor("ok" if check_ok else "error"))
            self.results.addItem(item)
        if report.ok and self.content_only.isChecked():
            verdict = _(
                "Verified (content only): the approval, the terms and the pages are as "
                "approved; the seller's signature was not checked."
            )
        else:
            verdict = (
                _("Verified: every check passed.")
                if report.ok
                else _("NOT verified: see the ✘ lines.")
            )
        failed = [check.name for check in report.checks if not check.ok]
        if failed == [verify_service.SELLER_SIGNATURE_CHECK]:
            verdict += " " + _(
                "Only the seller's signature is missing: to check the approval, the terms "
                "and the pages alone, tick “Content only”."
            )
        self.verdict.setText(verdict)

    def _set_busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        for widget in (self.check_button, self.choose, self.org_key, self.content_only):
            widget.setEnabled(not busy)

    def _stop_job(self) -> None:
        self._poll.stop()
        self._lookup = None  # its answer, when it comes, is for no check
        if self.job is not None:
            self.job.cancel()
            self.job = None
        self._set_busy(False)

    def done(self, result: int) -> None:
        """Closing the dialog (Close, Escape, the window's X) stops a check that runs."""
        self._stop_job()
        super().done(result)

    def lines(self) -> list[str]:
        return [self.results.item(i).text() for i in range(self.results.count())]
