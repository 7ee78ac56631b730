"""Amounts, percents and numbers shown the way the PDFs show them ("$273,868.68"), in the
interface's locale, plus the plain numbers of the clipboard.

Formatting only goes through babel here (``documents.formatting``, the PDFs' formatter);
the locale is ``locale_numbers.ui_locale()`` (the system's, or ``set_ui_locale``'s), and
every number read from what a user typed or pasted is read by the app's one parser,
``quote_builder.numbers`` through ``locale_numbers`` (``parse_number`` below only hands the
text to it).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from quote_builder.documents.formatting import DEFAULT_LOCALE, Formatter, LocaleError

from . import locale_numbers
from .locale_numbers import NumberEntryError


def set_locale(name: str | None) -> None:
    """Use ``name`` instead of the system's locale (tests; None: the system's again): the
    same switch as ``locale_numbers.set_ui_locale``, so reading and showing agree."""
    locale_numbers.set_ui_locale(name)
    _formatter.cache_clear()


def user_locale() -> str:
    """The babel name of the interface's locale (``en_US``)."""
    return locale_numbers.ui_locale()


@lru_cache(maxsize=32)
def _formatter(currency: str, locale: str) -> Formatter:
    try:
        return Formatter(currency or "USD", locale)
    except LocaleError:  # a script the PDF fonts lack: the app still shows numbers
        return Formatter(currency or "USD", DEFAULT_LOCALE)


def formatter(currency: str) -> Formatter:
    """The documents' formatter for ``currency`` in the user's locale."""
    return _formatter(currency, user_locale())


def money(amount: Decimal, currency: str) -> str:
    """``$273,868.68`` (the currency's minor unit, the locale's pattern)."""
    try:
        return formatter(currency).money(amount)
    except (ValueError, KeyError):  # an unknown currency code while it is being typed
        return f"{formatter('USD').number(amount, 2)} {currency}"


def percent(value: Decimal | None, places: int = 1) -> str:
    """``81.3%``; "n/a" for None."""
    return formatter("USD").percent(value, places)


def number(value: Decimal | int, places: int | None = None) -> str:
    return formatter("USD").number(value, places)


def plain_number(value: Decimal) -> str:
    """A number as a spreadsheet reads it: no grouping, no currency, no exponent, the
    locale's decimal sign, no trailing zeros (``1234.5``; ``1234,5`` in a German locale);
    ``parse_number`` reads it back."""
    if value == value.to_integral_value():
        return locale_numbers.field_text(value.quantize(Decimal(1)))
    return locale_numbers.field_text(value.normalize())


def parse_number(text: str) -> Decimal:
    """A number typed or pasted by the user, read by the app's one parser in the
    interface's locale. Raises ``NumberEntryError`` (a ValueError) with the reason, without
    a field's name (the caller names the cell or the line). A percent sign after the
    number is allowed (a discount typed as "10 %")."""
    text = text.strip().removesuffix("%").strip()
    if not text:
        raise NumberEntryError("is empty")
    why = locale_numbers.reason(text)
    if why is not None:
        raise NumberEntryError(why)
    return locale_numbers.parse(text, what="")


__all__ = [
    "formatter",
    "money",
    "number",
    "parse_number",
    "percent",
    "plain_number",
    "set_locale",
    "user_locale",
]
