"""The app's one way to read and show numbers: ``quote_builder.numbers`` in the locale of
the user interface.

The locale is the one that goes with the interface's language (``i18n.install``; else the
system's, ``QLocale.system().name()``: de_DE reads 1.234,5 as 1234.5 and shows 36.000,00),
unless ``set_ui_locale`` chose another (the tests pin en_US, and test
de_DE on purpose). Every amount, percent and quantity field of the windows reads its text
with ``parse`` and shows a value with ``field_text``; labels show numbers with ``shown``,
``amount`` and ``percent``.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from PySide6.QtCore import QLocale

from quote_builder import numbers
from quote_builder.numbers import NumberEntryError
from quote_builder.pricing.currency import is_currency, minor_units

from . import number_messages

_chosen: str | None = None


def ui_locale() -> str:
    """The locale numbers are read and shown in."""
    global _chosen
    if _chosen is None:
        from . import i18n

        _chosen = numbers.normalize_locale(i18n.number_locale_in_use() or QLocale.system().name())
    return _chosen


def set_ui_locale(name: str | None) -> None:
    """Read and show numbers as ``name`` writes them (None: the system's locale again)."""
    global _chosen
    _chosen = None if name is None else numbers.normalize_locale(name)


def parse(text: str, *, what: str, percent: bool = False) -> Decimal:
    """The number typed in a field labelled ``what``; ``NumberEntryError`` says why not, in
    the interface's language (``percent``: a percent field, its example a percent)."""
    try:
        return numbers.parse_decimal(text, ui_locale(), what=what, percent=percent)
    except NumberEntryError as exc:
        raise _in_our_words(exc) from None


def parse_optional(text: str, *, what: str) -> Decimal | None:
    return parse(text, what=what) if text.strip() else None


def _in_our_words(error: NumberEntryError) -> NumberEntryError:
    """The same refusal with its sentence in the interface's language (``str()`` of it is
    what a dialog or a tooltip shows)."""
    again = NumberEntryError(number_messages.sentence(error))
    again.__dict__.update(error.__dict__)
    return again


def problem(text: str, *, what: str, required: bool = False, percent: bool = False) -> str | None:
    """Why ``text`` is not a number (None when it is, or when it is empty and optional)."""
    if not text.strip() and not required:
        return None
    try:
        numbers.parse_decimal(text, ui_locale(), what=what, percent=percent)
    except NumberEntryError as exc:
        return number_messages.sentence(exc)
    return None


@lru_cache(maxsize=4096)
def _read(text: str, locale: str, language: str, percent: bool = False) -> tuple[str, bool]:
    """(the number in plain digits, True), or (why ``text`` is not a number as ``locale``
    writes numbers, without a field's name, in the interface's ``language``, False). A
    pure function of its arguments, kept by content: the editor checks every number field
    and cell on each edit (babel's parser costs 20-40 us a text), and the texts rarely
    change between two edits."""
    try:
        return numbers.plain(numbers.parse_decimal(text, locale, what="", percent=percent)), True
    except NumberEntryError as exc:
        return number_messages.sentence(exc, with_field=False), False


def _read_stripped(raw: str, percent: bool = False) -> tuple[str, bool]:
    from .i18n import language

    if len(raw) > numbers.MAX_LENGTH:  # refused at once; not kept (a pasted page)
        return _read.__wrapped__(raw, ui_locale(), language(), percent)
    return _read(raw, ui_locale(), language(), percent)


def reason(text: str, *, percent: bool = False) -> str | None:
    """Why a non-empty ``text`` is not a number, without a field's name (for a form that
    shows the reason beside the field); None when it is one, or empty. ``percent``: the
    field is a percent (its example is one: "e.g. 12.5")."""
    raw = text.strip()
    if not raw:
        return None
    why, ok = _read_stripped(raw, percent)
    return None if ok else why


def stored_text(text: str) -> str | None:
    """What a number field hands to the quote data: the number in plain digits ("1,234.5"
    is "1234.5"), None when empty, or the text as typed when it is not a number as the
    locale writes it (the form then shows ``reason``: such a text never prices, even where
    Python's Decimal would read it)."""
    raw = text.strip()
    if not raw:
        return None
    digits, ok = _read_stripped(raw)
    return digits if ok else raw


def quote_text(text: str, *, what: str) -> str | None:
    """The number typed, as the quote format keeps it (plain digits, "1234.5"); None for an
    empty field. Raises ``NumberEntryError``."""
    value = parse_optional(text, what=what)
    return None if value is None else numbers.plain(value)


def field_text(value: Decimal | int | str | None) -> str:
    """A value as an input field shows it: the locale's decimal mark, no grouping, every
    digit (1234,5 in de_DE), so reading the field back gives the same number. A text that
    is not a number (an entry kept as typed) is shown as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except ArithmeticError:
            return value
        if not number.is_finite() or value.strip() != numbers.plain(number):
            return value  # as typed: never rewritten into another number
        value = number
    return numbers.format_decimal(Decimal(value), ui_locale(), grouping=False)


def shown(value: Decimal | int, places: int | None = None) -> str:
    """A number in a label: grouped (36,000.00; 36.000,00 in de_DE)."""
    return numbers.format_decimal(value, ui_locale(), places=places)


def amount(value: Decimal, currency: str) -> str:
    """An amount with its currency code, with the currency's minor unit (36,000.00 USD)."""
    digits = minor_units(currency) if is_currency(currency) else 2
    return numbers.format_amount(value, currency, ui_locale(), digits=digits)


def percent(value: Decimal | int) -> str:
    """62.5% (62,5 % in de_DE)."""
    return numbers.format_percent(value, ui_locale())


__all__ = [
    "NumberEntryError",
    "amount",
    "field_text",
    "parse",
    "parse_optional",
    "percent",
    "problem",
    "quote_text",
    "reason",
    "stored_text",
    "set_ui_locale",
    "shown",
    "ui_locale",
]
