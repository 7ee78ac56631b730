"""The country of a customer, picked from the ISO 3166 list (babel's English names), in a
combo box the rep can type into to search.

A customer record keeps the country's English name as text (as it always has: "United
Kingdom", "Germany"). A name saved before the list existed that is not on it is shown as
it was and kept while it is not changed; a new or changed country must be on the list.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from quote_builder.countries import country_code, country_name, country_names, default_language
from quote_builder.pricing.languages import LANGUAGES, NATIVE_NAMES

from .i18n import _
from .i18n import language as ui_language


class CountryBox(QComboBox):
    """An editable combo of the countries; typing filters the list (any part of the name)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # As wide as its form gives it, not as its longest name ("South Georgia and the
        # South Sandwich Islands" made the Customers page's form scroll sideways).
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self.addItem("", "")
        for name in country_names():
            self.addItem(name, name)
        completer = QCompleter(list(country_names()), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.setToolTip(_("Where the customer is based (type to search); shown on the contract"))
        self.saved = ""
        """The country as the record had it: kept even when it is not on the list."""
        self.setCurrentIndex(0)

    def set_country(self, name: str) -> None:
        """Show ``name``; an ISO code ("GB", as Settings may hold it) shows as its country's
        name, as customers' countries do, and is kept as it was while it is not changed."""
        self.saved = name
        index = self.findText(country_name(name) or name)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(name)

    def country(self) -> str:
        """The name as typed or picked, matched to the list's spelling when it is on it."""
        text = self.currentText().strip()
        for name in country_names():
            if name.casefold() == text.casefold():
                if self.saved and country_code(self.saved) == country_code(name):
                    return self.saved  # the same country as saved: as it was written
                return name
        return text

    def code(self) -> str:
        """The ISO code of the country shown; empty when it is not one."""
        return country_code(self.country()) or ""

    def problem(self) -> str | None:
        """Why the country cannot be kept (None: it is on the list, empty, or as saved)."""
        country = self.country()
        if not country or country in country_names() or country == self.saved:
            return None
        return _("Country: pick a country from the list ({country!r} is not one)").format(
            country=country
        )


def in_ui_language(code: str) -> str:
    """A document language's name in the interface's language ("German", "allemand")."""
    from babel import Locale

    name = Locale.parse(ui_language()).languages.get(code)
    return name[:1].upper() + name[1:] if name else LANGUAGES[code]


def inherited_label(choice: str, language: str) -> str:
    """The first item of a document-language box, saying what it gives: "From the country:
    German" (the language named in the interface's language)."""
    name = in_ui_language(language) if language in LANGUAGES else language
    return _("{choice}: {language}").format(choice=choice, language=name)


def language_label(code: str) -> str:
    """``Deutsch (German)`` (its own name, then in the interface's language); one name when
    they agree (English in an English interface, Deutsch in a German one)."""
    native, here = NATIVE_NAMES[code], in_ui_language(code)
    return native if native == here else f"{native} ({here})"


class LanguageBox(QComboBox):
    """The language of a customer's (or a quote's) documents: the languages documents are
    written in, after a first item that leaves the choice to the next level ("From the
    country" for a customer, "The customer's" for a quote), which says what it gives."""

    def __init__(self, inherit: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inherit = inherit
        self.addItem(inherit, "")
        for code in LANGUAGES:
            self.addItem(language_label(code), code)
        self.setObjectName("language")

    def follow(self, country: str) -> None:
        """Name what the first item gives for a customer in ``country``."""
        self.setItemText(0, inherited_label(self.inherit, default_language(country)))

    def show_inherited(self, language: str) -> None:
        """Name what the first item gives (the customer's language, for a quote)."""
        self.setItemText(0, inherited_label(self.inherit, language))

    def language(self) -> str:
        return str(self.currentData() or "")

    def set_language(self, code: str | None) -> None:
        self.setCurrentIndex(max(0, self.findData(code or "")))


__all__ = [
    "CountryBox",
    "LanguageBox",
    "country_names",
    "in_ui_language",
    "inherited_label",
    "language_label",
]
