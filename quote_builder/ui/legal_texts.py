"""The seller's legal phrases in the other document languages (Settings, Order form: legal
frame, Texts in other languages…).

The legal frame's phrases (governing agreement, law, courts, data protection terms, service
levels, sub-processors) are English. An order form in German, French, Spanish or Japanese
prints the seller's text for that language; a phrase left at the shipped default is printed
in the shipped translation. A phrase the seller changed and did not give in a language is
flagged on that language's drafts and stops its final order form, so this dialog shows,
per language, which phrases are missing. Saving is one settings change (``legal_texts``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from quote_builder.pricing.languages import DEFAULT_LANGUAGE, LANGUAGES
from quote_builder.pricing.legal import TEXT_FIELDS, LegalFrame, LegalTexts, localized_frame
from quote_builder.services.core import ConflictError, InvalidInputError
from quote_builder.services.settings import SettingsPublic, update_settings

from .countries import in_ui_language, language_label
from .i18n import N_, _, problem_texts

if TYPE_CHECKING:
    from quote_builder.services.workspace import Workspace

TITLES = {
    "agreement": N_("Governing agreement"),
    "agreement_reference": N_("Agreement reference"),
    "governing_law": N_("Governing law"),
    "venue": N_("Courts"),
    "data_processing": N_("Data protection terms"),
    "service_levels": N_("Service levels"),
    "model_providers": N_("Sub-processors and model providers"),
}
OTHER_LANGUAGES = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]


def missing_in(frame: LegalFrame, texts: dict[str, LegalTexts], language: str) -> list[str]:
    """The frame's phrases the seller changed and has not given in ``language`` (as the
    documents judge it: ``pricing.legal.localized_frame``)."""
    return localized_frame(frame, language, texts, lambda _field, english: english)[1]


class LegalTextsDialog(QDialog):
    """One form per language; the English phrase of each field is shown beside it."""

    def __init__(self, workspace: Workspace, settings: SettingsPublic, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Legal frame: texts in other languages"))
        self.setObjectName("legal_texts_dialog")
        self.workspace = workspace
        self.settings = settings
        self.frame = settings.legal_frame()
        self.texts: dict[str, dict[str, str]] = {
            code: settings.legal_texts().get(code, LegalTexts()).model_dump()
            for code in OTHER_LANGUAGES
        }
        self.saved: SettingsPublic | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "An order form in another language prints these phrases in that language. "
                "Phrases you left at their default are translated for you; a phrase you changed "
                "needs its text in each language you send order forms in, or the order form "
                "says it is missing (and cannot be final). Write each as it completes the order "
                "form's sentence in that language."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.language = QComboBox()
        self.language.setObjectName("legal_texts_language")
        for code in OTHER_LANGUAGES:
            self.language.addItem(language_label(code), code)
        self.language.setAccessibleName(_("Language"))
        layout.addWidget(self.language)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        for name in TEXT_FIELDS:
            widget: QLineEdit | QPlainTextEdit
            if name == "model_providers":
                widget = QPlainTextEdit()
                widget.setFixedHeight(56)
                widget.setTabChangesFocus(True)
            else:
                widget = QLineEdit()
            widget.setObjectName(f"legal_text_{name}")
            widget.setAccessibleName(_(TITLES[name]))
            english = str(getattr(self.frame, name))
            widget.setToolTip(
                _("In English: {text}").format(text=english) if english else _("Empty in English")
            )
            if isinstance(widget, QLineEdit):
                widget.setPlaceholderText(english)
            self.fields[name] = widget
            widget.textChanged.connect(self._typed)
            form.addRow(_(TITLES[name]), widget)
        layout.addLayout(form)
        self.status = QLabel()
        self.status.setObjectName("legal_texts_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._shown = str(self.language.currentData())
        self._show(self._shown)
        self.language.currentIndexChanged.connect(self._switch)

    def _keep(self) -> None:
        for name, widget in self.fields.items():
            text = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()
            self.texts[self._shown][name] = text.strip()

    def _show(self, language: str) -> None:
        self._loading = True
        try:
            for name, widget in self.fields.items():
                value = self.texts[language].get(name, "")
                if isinstance(widget, QPlainTextEdit):
                    widget.setPlainText(value)
                else:
                    widget.setText(value)
        finally:
            self._loading = False
        self._show_missing()

    def _typed(self) -> None:
        if not self._loading:
            self._keep()
            self._show_missing()

    def _switch(self) -> None:
        self._keep()
        self._shown = str(self.language.currentData())
        self._show(self._shown)

    def _show_missing(self) -> None:
        texts = {code: LegalTexts.model_validate(v) for code, v in self.values().items()}
        missing = missing_in(self.frame, texts, self._shown)
        language = in_ui_language(self._shown)
        self.status.setText(
            _("Missing in {language}: {fields}").format(
                language=language, fields=", ".join(_(TITLES[name]) for name in missing)
            )
            if missing
            else _("Every phrase you changed has its text in {language}.").format(language=language)
        )

    def values(self) -> dict[str, dict[str, str]]:
        return {code: {k: v for k, v in fields.items() if v} for code, fields in self.texts.items()}

    def save(self) -> None:
        self._keep()
        try:
            outcome: Any = self.workspace.run(
                update_settings,
                expected_version=self.settings.version_id,
                actor=self.workspace.user,
                legal_texts=self.values(),
            )
        except (InvalidInputError, ConflictError) as exc:
            problems = problem_texts(exc)
            self.status.setText(_("Not saved:") + "\n" + "\n".join(problems))
            return
        self.saved = outcome.value
        self.accept()


__all__ = ["LegalTextsDialog", "missing_in"]
