"""Settings > Signing certificate: the seller's PKCS#12 certificate that signs final PDFs
(services.certificates). It lives in the user's config folder, not in the database, so
these calls run here, not in the database process; the passphrase is asked each time and
never stored."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from quote_builder.errors import UserFacingError
from quote_builder.services import certificates

from . import service_words
from .i18n import _, error_message
from .locale_format import day


class _Secret(QDialog):
    """A name (for a trial certificate) and the passphrase, asked twice when creating."""

    def __init__(self, parent: QWidget, title: str, *, name: str | None, twice: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        form = QFormLayout(self)
        if name is not None:
            note = QLabel(
                _(
                    "A self-signed certificate for a trial: PDFs signed with it say "
                    '"self-signed (trial)" to anyone who checks them. For real deals, choose '
                    "your organisation's PKCS#12 file instead. The passphrase (8 characters or "
                    "more) protects its key; Finalise asks for it each time."
                )
            )
            note.setWordWrap(True)
            form.addRow(note)
        self.name = QLineEdit(name or "")
        self.name.setObjectName("certificate-name")
        if name is not None:
            form.addRow(_("Seller name"), self.name)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("certificate-new-passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Passphrase"), self.passphrase)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        if twice:
            form.addRow(_("Passphrase again"), self.again)
        self.twice = twice
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _check(self) -> None:
        if self.twice and self.passphrase.text() != self.again.text():
            QMessageBox.warning(
                self, _("Passphrase"), _("The two passphrases differ; type them again.")
            )
            return
        self.accept()


class CertificateBox(QGroupBox):
    def __init__(self, settings_page: QWidget) -> None:
        super().__init__(_("Signing certificate"))
        self.setObjectName("signing_certificate")
        self.setToolTip(
            _(
                "Finalise signs the final PDF with this certificate (a PKCS#12 file); the "
                "customer's PDF reader shows who signed and that nothing changed since"
            )
        )
        self.page = settings_page
        layout = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setObjectName("certificate-label")
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.import_button = QPushButton(_("Choose PKCS#12 file…"))
        self.import_button.clicked.connect(self.choose_file)
        self.trial_button = QPushButton(_("Create trial certificate…"))
        self.trial_button.setToolTip(
            _(
                "A self-signed certificate to try signing with; PDF readers and verify label it "
                "self-signed (trial)"
            )
        )
        self.trial_button.clicked.connect(self.create_trial)
        row.addWidget(self.import_button)
        row.addWidget(self.trial_button)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        try:
            current = certificates.seller_certificate()
        except UserFacingError as exc:
            self.label.setText(error_message(exc))
            return
        if current is None:
            self.label.setText(
                _(
                    "No signing certificate yet: Finalise needs one. Choose your organisation's "
                    "PKCS#12 file, or create a trial certificate."
                )
            )
            return
        info = current.info
        self.label.setText(
            _("<b>{name}</b><br>valid {first_day} to {last_day} · SHA-256 {fingerprint}…").format(
                name=service_words.text(current.label),
                first_day=day(info.not_before),
                last_day=day(info.not_after),
                fingerprint=info.fingerprint[:16],
            )
        )

    def _replace(self) -> bool | None:
        """None: cancelled; else whether an installed certificate is to be replaced."""
        if certificates.seller_certificate() is None:
            return False
        answer = QMessageBox.question(
            self, _("Replace the certificate?"), _("Replace the signing certificate installed now?")
        )
        return True if answer == QMessageBox.StandardButton.Yes else None

    def choose_file(self) -> None:
        from quote_builder.safe_files import read_limited

        path, _filter = QFileDialog.getOpenFileName(
            self, _("The seller's signing certificate"), "", _("PKCS#12 (*.p12 *.pfx)")
        )
        if not path:
            return
        replace = self._replace()
        if replace is None:
            return
        dialog = _Secret(self, _("Certificate passphrase"), name=None, twice=False)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                data = read_limited(path, certificates.MAX_CERTIFICATE_BYTES, what="certificate")
                certificates.install_seller_certificate(
                    data, dialog.passphrase.text(), replace=replace
                )
            except UserFacingError as exc:
                QMessageBox.warning(self, _("Not installed"), error_message(exc))
                continue
            break
        self.refresh()

    def create_trial(self) -> None:
        replace = self._replace()
        if replace is None:
            return
        name = getattr(getattr(self.page, "seller_name", None), "text", lambda: "")()
        dialog = _Secret(self, _("Create a trial certificate"), name=name, twice=True)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                certificates.create_trial_certificate(
                    dialog.name.text(), dialog.passphrase.text(), replace=replace
                )
            except UserFacingError as exc:
                QMessageBox.warning(self, _("Not created"), error_message(exc))
                continue
            break
        self.refresh()
