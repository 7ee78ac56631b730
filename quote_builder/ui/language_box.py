"""Settings → Language: the interface's language (the system's, English, Deutsch,
Français), kept in this user's settings (QSettings, not the database: it is a person's
choice, and it is needed before the database is open) and applied on the next start.

The box says which language the app speaks now, which locale numbers and dates are
written in, and, once another language is chosen, that it applies from the next start (in
the language chosen as well, so the reader of that language sees it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QWidget

from . import i18n, locale_format, number_messages
from .i18n import N_, _

NEXT_START = N_("Quote Builder speaks {language} from its next start.")
"""Said after a choice, in the interface's language and in the one chosen."""


def _language_name(code: str, in_language: str) -> str:
    """ "German" in English, "Deutsch" in German, "allemand" in French (as a sentence names
    a language; the combo names each in itself)."""
    from babel import Locale

    return str(Locale.parse(code).get_display_name(in_language) or i18n.LANGUAGES[code])


class LanguageBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Language"), parent)
        self.setObjectName("language_box")
        self.combo = QComboBox()
        self.combo.setObjectName("language")
        self.combo.setToolTip(
            _("The language of Quote Builder's windows; it applies from the next start.")
        )
        system = i18n.LANGUAGES[i18n.system_language()]
        self.combo.addItem(_("System ({language})").format(language=system), i18n.SYSTEM)
        for code, name in i18n.LANGUAGES.items():
            self.combo.addItem(name, code)
        self.combo.setCurrentIndex(max(0, self.combo.findData(i18n.chosen_language())))
        self.combo.currentIndexChanged.connect(self._chosen)
        label = QLabel(_("Lang&uage"))
        label.setBuddy(self.combo)
        self.numbers = QLabel(self._numbers_text())
        self.numbers.setObjectName("language_numbers")
        self.numbers.setWordWrap(True)
        self.note = QLabel()
        self.note.setObjectName("language_note")
        self.note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(label, self.combo)
        form.addRow(self.numbers)
        form.addRow(self.note)
        self._show_note()

    @staticmethod
    def _numbers_text() -> str:
        locale = locale_format.user_locale()
        return _("Numbers and dates are written as in {locale}: {number}, {amount}, {day}.").format(
            locale=number_messages.locale_name(locale, i18n.language()),
            number=locale_format.number(Decimal("1234.56")),
            amount=locale_format.money(Decimal("1234.56"), "EUR"),
            day=locale_format.day(dt.date(2026, 12, 31)),
        )

    def _chosen(self, _index: int) -> None:
        unwritten = i18n.set_chosen_language(str(self.combo.currentData()))
        if unwritten is not None:
            # Not "speaks German from its next start": the next start would not know.
            self.note.setText(
                _(
                    "The language could not be kept: {file} cannot be written (a full or read-only disk, or no permission)."
                ).format(file=unwritten)
            )
            self.note.show()
            return
        self._show_note()

    def _show_note(self) -> None:
        """After a choice that changes the language: say that it applies from the next start,
        in the interface's language and in the one chosen."""
        target = i18n.resolve(str(self.combo.currentData()))
        if target == i18n.language():
            self.note.setText("")
            self.note.hide()
            return
        here = _(NEXT_START).format(language=_language_name(target, i18n.language()))
        there = (
            i18n.catalog(target).gettext(NEXT_START).format(language=_language_name(target, target))
        )
        self.note.setText(here if here == there else f"{here}\n{there}")
        self.note.show()


__all__ = ["LanguageBox"]
