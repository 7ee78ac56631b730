"""The country of a customer, picked from the ISO 3166 list (babel's English names), in a
combo box the rep can type into to search.

A customer record keeps the country's English name as text (as it always has: "United
Kingdom", "Germany"). A name saved before the list existed that is not on it is shown as
it was and kept while it is not changed; a new or changed country must be on the list.
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from .i18n import _

_NOT_COUNTRIES = {"AA", "AC", "CP", "DG", "EA", "EU", "EZ", "IC", "TA", "UN", "ZZ"}
"""Codes in CLDR's territory list that are not countries of ISO 3166-1: unions, regions
and exceptionally reserved codes (Ascension, Canary Islands ...)."""


@cache
def country_names() -> tuple[str, ...]:
    """ISO 3166-1 countries by their English names, sorted (Kosovo included, as CLDR has it)."""
    territories = Locale("en").territories
    names = {
        name
        for code, name in territories.items()
        if len(code) == 2
        and code.isalpha()
        and code not in _NOT_COUNTRIES
        and not code.startswith("Q")
        and (not code.startswith("X") or code == "XK")
    }
    return tuple(sorted(names, key=str.casefold))


class CountryBox(QComboBox):
    """An editable combo of the countries; typing filters the list (any part of the name)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
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
        self.saved = name
        index = self.findText(name)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(name)

    def country(self) -> str:
        """The name as typed or picked, matched to the list's spelling when it is on it."""
        text = self.currentText().strip()
        for name in country_names():
            if name.casefold() == text.casefold():
                return name
        return text

    def problem(self) -> str | None:
        """Why the country cannot be kept (None: it is on the list, empty, or as saved)."""
        country = self.country()
        if not country or country in country_names() or country == self.saved:
            return None
        return _("Country: pick a country from the list ({country!r} is not one)").format(
            country=country
        )


__all__ = ["CountryBox", "country_names"]
