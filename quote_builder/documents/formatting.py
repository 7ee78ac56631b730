"""Amounts, percents, quantities and dates formatted for the quote's currency and locale.

Amounts show the currency's ISO 4217 minor unit (BHD 3 decimals, JPY none) in the
locale's pattern; babel's CLDR digits differ from ISO for a few currencies, so the pattern's
fraction is set from ISO rather than taken from CLDR.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from quote_builder.errors import UserFacingError
from quote_builder.pricing.currency import minor_units

from .fonts import covered_codepoints

DEFAULT_LOCALE = "en_US"


class LocaleError(UserFacingError, ValueError):
    """A locale that is unknown, or that the PDF fonts cannot print."""


class Formatter:
    """Formatting for one currency and locale."""

    def __init__(self, currency: str, locale: str = DEFAULT_LOCALE) -> None:
        try:
            self.locale = Locale.parse(locale)
        except (UnknownLocaleError, ValueError):
            raise LocaleError(
                f"unknown locale {locale!r} (e.g. en_US, en_GB, de_DE, fr_FR)"
            ) from None
        self.currency = currency
        self.digits = minor_units(currency)
        self._pattern = _currency_pattern(str(self.locale), self.digits)
        sample = (
            self.date(dt.date(2027, 12, 31))
            + self.date(dt.date(2027, 9, 30))
            + self.money(Decimal("-1234.5"))
        )
        if any(ord(ch) not in covered_codepoints() for ch in sample):
            raise LocaleError(
                f"locale {locale!r} writes dates or amounts in a script the PDF fonts do not cover; "
                "use a Latin, Cyrillic, Greek, Hebrew, Arabic, Devanagari, Thai, Chinese, "
                "Japanese or Korean locale such as en_US, de_DE, fr_FR or ja_JP"
            )

    def money(self, amount: Decimal) -> str:
        """An invoice amount: rounded already, shown with the currency's minor unit."""
        text = format_currency(
            amount, self.currency, format=self._pattern, locale=self.locale, currency_digits=False
        )
        return _drawable(text)

    def amount(self, amount: Decimal) -> str:
        """An amount without the currency sign, with the currency's minor unit (for tables
        whose header names the currency)."""
        return self.number(amount, self.digits)

    def price(self, amount: Decimal) -> str:
        """A unit price: at least the minor unit, more digits when the price has them
        (a token at 0.0004)."""
        exponent = amount.normalize().as_tuple().exponent
        extra = max(0, -exponent - self.digits) if isinstance(exponent, int) else 0
        pattern = _currency_pattern(str(self.locale), self.digits + extra)
        return _drawable(
            format_currency(
                amount, self.currency, format=pattern, locale=self.locale, currency_digits=False
            )
        )

    def number(self, value: Decimal | int, places: int | None = None) -> str:
        if places is not None:
            with localcontext(prec=60):  # an exact ratio may carry 60 digits
                value = Decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
            return format_decimal(
                value, format="#,##0." + "0" * places if places else "#,##0", locale=self.locale
            )
        return format_decimal(
            Decimal(value).normalize(), locale=self.locale, decimal_quantization=False
        )

    def percent(self, value: Decimal | None, places: int = 1) -> str:
        if value is None:
            return "n/a"
        return f"{self.number(value, places)}%"

    def date(self, value: dt.date) -> str:
        return format_date(value, format="long", locale=self.locale)

    def short_date(self, value: dt.date) -> str:
        return format_date(value, format="medium", locale=self.locale)

    def month(self, value: dt.date) -> str:
        """The month and year, e.g. ``June 2026``."""
        return format_date(value, format="MMMM y", locale=self.locale)


_FULLWIDTH = str.maketrans({"\uffe5": "\u00a5", "\uffe0": "\u00a2", "\uffe1": "\u00a3"})


def _drawable(text: str) -> str:
    """Fullwidth currency signs (ja_JP) as their ordinary forms, which the fonts draw."""
    return text.translate(_FULLWIDTH)


@lru_cache(maxsize=64)
def _currency_pattern(locale: str, digits: int) -> str:
    pattern = str(Locale.parse(locale).currency_formats["standard"].pattern).split(";")[0]
    fraction = "." + "0" * digits if digits else ""
    for template in ("#,##0.00", "#,##,##0.00", "#,##0.###", "#,##0"):
        if template in pattern:
            integer = template.split(".")[0]
            return pattern.replace(template, integer + fraction, 1)
    return "¤#,##0" + fraction
