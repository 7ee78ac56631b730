"""Numbers and amounts in the user's locale, for what the app shows (and reads back from the
price table and the clipboard).

One small module on purpose: the app formats through babel (``documents.formatting``, the
PDFs' formatter) in the locale of the system (``QLocale``), so "273868.68 USD" reads
"$273,868.68" in the US and "273.868,68 $" in Germany, and "Gross margin % 81.3" reads
"81.3%". When the app gets one locale-aware number parser for every field, ``parse_number``
is the one function to swap.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.core import UnknownLocaleError
from babel.numbers import get_decimal_symbol
from PySide6.QtCore import QLocale

from quote_builder.documents.formatting import DEFAULT_LOCALE, Formatter, LocaleError

_override: str | None = None


def set_locale(name: str | None) -> None:
    """Use ``name`` instead of the system's locale (tests; None: the system's again)."""
    global _override
    _override = name
    _formatter.cache_clear()
    _system_locale.cache_clear()


def user_locale() -> str:
    """The babel name of the user's locale (``en_US``); en_US when the system's is "C" or
    unknown to babel."""
    return _override or _system_locale()


@lru_cache(maxsize=1)
def _system_locale() -> str:
    name = QLocale.system().name()
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return DEFAULT_LOCALE
    return name if name not in ("C", "POSIX") else DEFAULT_LOCALE


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
    locale's decimal sign (``1234.5``; ``1234,5`` in a German locale)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", get_decimal_symbol(user_locale()))


_NOISE = re.compile(r"[^\d.,+\-]")
_DOT_GROUPS = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")
_COMMA_GROUPS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


def parse_number(text: str) -> Decimal:
    """A number typed or pasted by the user, in their locale or plain: ``1,234.5``,
    ``1234.5``, ``$1,234.50``, ``12 %``; in a German locale ``1.234,5`` and ``1234,5``.
    Raises ValueError with the reason when it is not a number (``1,5`` in an English
    locale is refused rather than read as 15)."""
    raw = text.strip()
    if not raw:
        raise ValueError("is empty")
    cleaned = _NOISE.sub("", raw)  # currency signs and codes, spaces, %, apostrophes
    if get_decimal_symbol(user_locale()) == ",":
        if "," in cleaned:
            cleaned = cleaned.replace(".", "").replace(",", ".")
        elif _DOT_GROUPS.fullmatch(cleaned):
            cleaned = cleaned.replace(".", "")
    elif "," in cleaned:
        if not _COMMA_GROUPS.fullmatch(cleaned):
            raise ValueError(f"{raw!r} is not a number here (write 1,234.5 or 1234.5)")
        cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{raw!r} is not a number")
    return value


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
