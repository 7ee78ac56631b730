"""Verify a PDF: the same checks as ``quote-builder verify``, one line each.

The PDF is read here (bounded) and checked by ``services.verify`` in the database
process, which supplies the organisation key of the policy installed here; another
organisation key can be pasted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from quote_builder.errors import UserFacingError
from quote_builder.safe_files import read_limited
from quote_builder.services import verify as verify_service
from quote_builder.services.workspace import Workspace

from . import colours
from .i18n import _, error_text


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
        self.org_key.setToolTip(
            _("The organisation's public key (ed25519 …), to check a PDF from another organisation")
        )
        form.addRow(_("Organisation key"), self.org_key)
        layout.addLayout(form)
        self.results = QListWidget()
        self.results.setObjectName("verify_results")
        self.results.setWordWrap(True)
        layout.addWidget(self.results, 1)
        self.verdict = QLabel()
        self.verdict.setObjectName("verify_verdict")
        layout.addWidget(self.verdict)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.check_button = buttons.addButton(_("Check"), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.choose.clicked.connect(self.choose_pdf)
        self.check_button.clicked.connect(self.check)
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

    def check(self) -> None:
        self.results.clear()
        if self.path is None:
            self.verdict.setText(_("Choose a PDF to check."))
            return
        # Reading every page's text takes a few tenths of a second a page (pypdf).
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            data = read_limited(self.path, verify_service.MAX_PDF_BYTES, what="PDF")
            report = self.workspace.run(
                verify_service.verify_pdf, data, org_key=self.org_key.text().strip() or None
            )
        except UserFacingError as exc:
            self.verdict.setText(error_text(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        for check in report.checks:
            item = QListWidgetItem(f"{'✔' if check.ok else '✘'}  {check.name}: {check.message}")
            item.setForeground(colours.qcolor("ok" if check.ok else "error"))
            self.results.addItem(item)
        self.verdict.setText(
            _("Verified: every check passed.") if report.ok else _("NOT verified: see the ✘ lines.")
        )

    def lines(self) -> list[str]:
        return [self.results.item(i).text() for i in range(self.results.count())]
