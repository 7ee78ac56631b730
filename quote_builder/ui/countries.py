"""The country of a customer, picked from the ISO 3166 list, in a combo box the rep can
type into to search.

A customer record keeps the country's English name as text (as it always has: "United
Kingdom", "Germany"). The box shows and searches the names in the interface's language
("Deutschland", "Frankreich" in German; babel's names), and also takes an English name or
an ISO code typed; it hands back the English name. A name saved before the list existed
that is not on it is shown as it was and kept while it is not changed; a new or changed
country must be on the list.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from PySide6.QtCore import (
    QCollator,
    QCollatorSortKey,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from quote_builder.countries import country_code, country_name, country_names, default_language
from quote_builder.pricing.languages import LANGUAGES, NATIVE_NAMES

from .i18n import _
from .i18n import language as ui_language


def shown_country(name: str) -> str:
    """A country as a record writes it ("Germany", or an ISO code) in the interface's
    language ("Deutschland"); a name that is not a country we know, as written."""
    code = country_code(name) if name else None
    if code is None:
        return name
    from babel import Locale

    return str(Locale.parse(ui_language()).territories.get(code) or country_name(code) or name)


def shown_place(where: str) -> str:
    """A tax's place as the engine writes it (an ISO code, a Canadian province after a
    dash: "FR", "CA-ON") in the interface's language: "Frankreich", "Kanada (ON)"."""
    country, _dash, region = where.partition("-")
    name = shown_country(country) if country else where
    return f"{name} ({region})" if region else name


def collation_key(language: str | None = None) -> Callable[[str], QCollatorSortKey]:
    """How the interface's language (``language``: another one) sorts names: Qt's
    collator of that locale (ICU, or the system's), so that German puts "Österreich" with
    the O's and "Ägypten" with the A's, Swedish "Österrike" after Z, French "Égypte" with
    the E's and Japanese the kana in their order; case is ignored."""
    collator = QCollator(QLocale(language or ui_language()))
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return collator.sortKey


def _shown_names() -> list[tuple[str, str]]:
    """(name in the interface's language, English name) of every country, in the order of
    the interface's language (``collation_key``), not by code or English name."""
    pairs = [(shown_country(name), name) for name in country_names()]
    key = collation_key()
    return sorted(pairs, key=lambda pair: key(pair[0]))


FOLDED_ROLE = Qt.ItemDataRole.UserRole
"""A country's name as the search compares it (:func:`folded`)."""


def folded(text: str) -> str:
    """``text`` as a country search compares it: without accents and case ("États-Unis",
    "Etats-unis" and "ETATS" all contain "etats"). A French keyboard has no É: a rep types
    "Etats-Unis", as "Osterreich" or "Turkiye" for the German and Turkish names."""
    parts = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in parts if not unicodedata.combining(ch))


class _FoldingCompleter(QCompleter):
    """Suggests the countries whose name contains what is typed, accents and case aside;
    a suggestion taken fills in the name as the list shows it."""

    def __init__(self, names: list[str], parent: QObject) -> None:
        super().__init__(parent)
        model = QStandardItemModel(self)
        for name in names:
            item = QStandardItem(name)
            item.setData(folded(name), FOLDED_ROLE)
            model.appendRow(item)
        self.setModel(model)
        self.setCompletionRole(FOLDED_ROLE)

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 (Qt's name)
        return [folded(path)]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


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
        self._names = _shown_names()
        for shown, name in self._names:
            self.addItem(shown, name)
        completer = _FoldingCompleter([shown for shown, _name in self._names], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        popup = completer.popup()
        if popup is not None:  # Enter on the list with nothing highlighted (eventFilter)
            popup.installEventFilter(self)
        self.setToolTip(_("Where the customer is based (type to search); shown on the contract"))
        self.saved = ""
        """The country as the record had it: kept even when it is not on the list."""
        self.setCurrentIndex(0)

    def complete_typed(self) -> bool:
        """Take the one country that contains what is typed ("Germ" is Germany); False when
        the text is empty, already a country, or matches none or several."""
        text = folded(self.currentText().strip())
        names = [shown for shown, _name in self._names]
        if not text or any(n.casefold() == self.currentText().strip().casefold() for n in names):
            return False
        matches = [n for n in names if text in folded(n)]
        if len(matches) != 1:
            return False
        completer = self.completer()
        popup = completer.popup() if completer is not None else None
        if popup is not None:
            popup.hide()
        self.setCurrentIndex(self.findText(matches[0]))
        self.activated.emit(self.currentIndex())
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Enter on the suggestions with none highlighted takes the only one (the completer
        alone leaves the text as typed: "Germ", then "'Germ' is not one")."""
        completer = self.completer()
        popup = completer.popup() if completer is not None else None
        if (
            watched is popup
            and popup is not None
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not popup.currentIndex().isValid()
            and self.complete_typed()
        ):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """Enter with the suggestions closed takes the only country that matches too (and
        goes no further: the rep sees the name before Next)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.complete_typed():
            event.accept()
            return
        super().keyPressEvent(event)

    def set_country(self, name: str) -> None:
        """Show ``name``; an ISO code ("GB", as Settings may hold it) shows as its country's
        name, as customers' countries do, and is kept as it was while it is not changed."""
        self.saved = name
        english = country_name(name) or name
        index = self.findData(english) if english in country_names() else -1
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(name)

    def country(self) -> str:
        """The country as the record keeps it (its English name) for the name typed or
        picked, in the interface's language or in English ("Deutschland", "Germany", "DE");
        else the text as typed."""
        text = self.currentText().strip()
        found = next(
            (name for shown, name in self._names if shown.casefold() == text.casefold()), None
        )
        if found is None:  # "Etats-Unis" typed whole without its accent
            same = [name for shown, name in self._names if folded(shown) == folded(text)]
            found = same[0] if len(same) == 1 else None
        if found is None:
            code = country_code(text)
            found = country_name(code) if code else None
        if found is not None:
            if self.saved and country_code(self.saved) == country_code(found):
                return self.saved  # the same country as saved: as it was written
            return found
        if self.saved and text == shown_country(self.saved):
            return self.saved  # a name off the list, as saved
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
    "collation_key",
    "shown_country",
    "shown_place",
    "LanguageBox",
    "country_names",
    "in_ui_language",
    "inherited_label",
    "language_label",
]
