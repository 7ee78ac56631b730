"""Amounts, percents, quantities and dates formatted for the quote's currency and locale,
and the document's sentences in its language.

A document's :class:`Formatter` is its one babel formatter: numbers and dates in its locale,
messages (``_``, ``_n``) from the catalog of the same language, so a sentence and the dates
and numbers inside it never disagree ("from 1. Januar 2027" in an English sentence). The
app's own tables use a Formatter without a language (English words, the user's numbers).

Amounts show the currency's ISO 4217 minor unit (BHD 3 decimals, JPY none) in the
locale's pattern; babel's CLDR digits differ from ISO for a few currencies, so the pattern's
fraction is set from ISO rather than taken from CLDR.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)
from markupsafe import Markup, escape

from quote_builder.errors import UserFacingError
from quote_builder.pricing.currency import minor_units
from quote_builder.pricing.languages import DEFAULT_LANGUAGE
from quote_builder.pricing.money import DERIVED_PLACES as DERIVED_PLACES  # re-exported
from quote_builder.pricing.money import round_derived

from .fonts import covered_codepoints
from .i18n import Translator, unbreakable

DEFAULT_LOCALE = "en_US"


class LocaleError(UserFacingError, ValueError):
    """A locale that is unknown, or that the PDF fonts cannot print."""


class Formatter:
    """Formatting for one currency and locale."""

    def __init__(
        self,
        currency: str,
        locale: str = DEFAULT_LOCALE,
        language: str = DEFAULT_LANGUAGE,
        *,
        nowrap: bool = False,
    ) -> None:
        """``nowrap``: dates and amounts (with their currency) are :class:`~.i18n.Text`
        kept on one line in a document, and so are the sentences holding them; the
        documents' formatter sets it, the app's own tables do not."""
        try:
            self.locale = Locale.parse(locale)
        except (UnknownLocaleError, ValueError):
            raise LocaleError(
                f"unknown locale {locale!r} (e.g. en_US, en_GB, de_DE, fr_FR)"
            ) from None
        self.language = language
        self.nowrap = nowrap
        self.translator = Translator(language)
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

    def _(self, message: str, /, **params: object) -> str:
        """``message`` (an English msgid with ``%(name)s`` placeholders) in the document's
        language, its placeholders filled with ``params`` (already formatted)."""
        return self.translator.gettext(message, **params)

    def _n(self, singular: str, plural: str, count: int, /, **params: object) -> str:
        """The form of a message for ``count`` (the catalog's plural forms)."""
        return self.translator.ngettext(singular, plural, count, **params)

    def markup(self, message: str, /, **params: object) -> Markup:
        """A message holding markup of its own (``<strong>``): the translation is trusted
        as HTML, the values filled in are escaped (as newstyle gettext does in templates)."""
        return Markup(self.translator.catalog.gettext(message)) % {
            name: escape(value) for name, value in params.items()
        }

    def months(self, count: int) -> str:
        """``1 month``, ``24 months`` in the document's language."""
        return self._n("%(count)s month", "%(count)s months", count, count=self.number(count))

    def days(self, count: int) -> str:
        return self._n("%(count)s day", "%(count)s days", count, count=self.number(count))

    def compact(self, amount: Decimal, *, with_symbol: bool = True) -> str:
        """A short amount for a chart's axis or bar (``$12.3K``, ``2,5 Mio. €``,
        ``$1.2万``): the locale's compact form and decimal mark. Where the locale writes a
        number of this size in full (German thousands), the whole amount is grouped
        (``12.345 €``) rather than run together."""
        whole = abs(amount).quantize(Decimal(1), ROUND_HALF_UP)
        if with_symbol:
            text = format_compact_currency(
                amount, self.currency, locale=self.locale, fraction_digits=1
            )
        else:
            text = format_compact_decimal(amount, locale=self.locale, fraction_digits=1)
        # The locale's compact form may write the amount in full, fraction and all, without
        # grouping ("30048,53 $" in German): its whole part then shows ungrouped.
        integral = abs(amount).to_integral_value(ROUND_DOWN)
        if integral >= 1000 and str(integral) in text.replace("-", ""):
            sign = -1 if amount < 0 else 1
            if with_symbol:
                pattern = _currency_pattern(str(self.locale), 0)
                text = format_currency(
                    sign * whole,
                    self.currency,
                    format=pattern,
                    locale=self.locale,
                    currency_digits=False,
                )
            else:
                text = format_decimal(sign * whole, format="#,##0", locale=self.locale)
        return _drawable(text)

    def _whole(self, text: str) -> str:
        """A date or an amount, kept on one line in a document (``nowrap``) when a line
        could break inside it: at a space ("1 de diciembre de 2026") or between CJK
        characters ("2026年12月1日"). Babel joins an amount and its currency with no-break
        spaces already ("1.500,00 $"), so most amounts need no span (fewer boxes to lay
        out)."""
        return unbreakable(text) if self.nowrap and _BREAKABLE.search(text) else text

    def money(self, amount: Decimal) -> str:
        """An invoice amount: rounded already, shown with the currency's minor unit."""
        text = format_currency(
            amount, self.currency, format=self._pattern, locale=self.locale, currency_digits=False
        )
        return self._whole(_drawable(text))

    def whole_money(self, amount: Decimal) -> str:
        """An amount in whole units of the currency, rounded half up (``$120``, ``111 €``):
        for figures that are approximate (the playbook's category ranges)."""
        whole = amount.quantize(Decimal(1), ROUND_HALF_UP)
        text = format_currency(
            whole,
            self.currency,
            format=_currency_pattern(str(self.locale), 0),
            locale=self.locale,
            currency_digits=False,
        )
        return self._whole(_drawable(text))

    def amount(self, amount: Decimal) -> str:
        """An amount without the currency sign, with the currency's minor unit (for tables
        whose header names the currency)."""
        return self.number(amount, self.digits)

    def _price_places(self, amount: Decimal) -> int:
        """The decimals a unit price is written with: the currency's minor unit (ISO 4217:
        USD 2, JPY 0, BHD 3), more when the price has more (trailing zeros dropped: 60.00
        in yen is 60, 0.0004 in dollars keeps its four)."""
        return max(self.digits, _places_it_has(amount))

    def price(self, amount: Decimal) -> str:
        """A unit price: at least the minor unit, more digits when the price has them
        (a token at 0.0004)."""
        pattern = _currency_pattern(str(self.locale), self._price_places(amount))
        return self._whole(
            _drawable(
                format_currency(
                    amount, self.currency, format=pattern, locale=self.locale, currency_digits=False
                )
            )
        )

    def price_number(self, amount: Decimal) -> str:
        """A unit price without the currency sign, for a sentence that names the currency
        by its code ("60.00 USD becomes 60 JPY"): the digits :meth:`price` writes."""
        return self.number(amount, self._price_places(amount))

    def derived_price(self, amount: Decimal) -> str:
        """A price or value per unit the app works out (minutes saved x hourly rate / 60 =
        6.666...), rounded for display only: half up to the currency's minor unit
        (``$6.67``); one smaller than the minor unit (but not zero) to two significant
        digits, at most :data:`DERIVED_PLACES` decimals (``$0.0033``), so that it never
        reads as nothing. The computation keeps its full precision; a price the user wrote
        (a list price of 0.0004) goes through :meth:`price`, exact as written."""
        return self.price(round_derived(amount, self.digits))

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

    def percent(self, value: Decimal | None, places: int | None = 1) -> str:
        """``12.5%`` (en), ``12,5 %`` (de, fr, es): the locale's percent pattern, with
        ``places`` decimals (None: as many as the value has, ``2.5%``, ``10%``)."""
        if value is None:
            return self._("n/a")
        with localcontext(prec=60):
            if places is None:
                places = _places_it_has(value)
            ratio = Decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP) / 100
        pattern = "#,##0" + ("." + "0" * places if places else "") + "%"
        return format_percent(
            ratio,
            format=_percent_pattern(str(self.locale), pattern),
            locale=self.locale,
            decimal_quantization=False,
        )

    def discount(self, value: Decimal) -> str:
        """A discount's percent (or a share of value): two decimals, more when the value
        has them (``15.00%``, ``12.125%``), so it is the percent the invoices apply, never
        one rounded beside the exact net unit price it gives."""
        return self.percent(value, max(2, _places_it_has(value)))

    def increase(self, value: Decimal) -> str:
        """A yearly price increase (the escalator, the renewal increase): one decimal, more
        when the value has them (``3.0%``, ``3.25%``), the same figure in the same form
        wherever a document prints it."""
        return self.percent(value, max(1, _places_it_has(value)))

    def listing(self, items: Sequence[str]) -> str:
        """``a, b and c`` in the document's language (the locale's list pattern)."""
        if not items:
            return ""
        return format_list(list(items), style="standard", locale=self.locale)

    def date_range(self, start: dt.date, end: dt.date, *, short: bool = True) -> str:
        """A period, ``Jan 1, 2027 – Dec 31, 2027`` (the separator is the language's)."""
        show = self.short_date if short else self.date
        return self._("%(start)s – %(end)s", start=show(start), end=show(end))

    def date(self, value: dt.date) -> str:
        """``30 November 2026`` in the locale's words; French writes the first of the
        month ``1er`` (``1er décembre 2026``), as French contracts do."""
        return self._whole(
            self._first(format_date(value, format="long", locale=self.locale), value)
        )

    def short_date(self, value: dt.date) -> str:
        return self._whole(
            self._first(format_date(value, format="medium", locale=self.locale), value)
        )

    def _first(self, text: str, value: dt.date) -> str:
        if value.day == 1 and self.locale.language == "fr" and text.startswith("1 "):
            return "1er " + text[2:]
        return text

    def month(self, value: dt.date) -> str:
        """The month and year as the locale writes them: ``June 2026``, ``junio de 2026``,
        ``2026年6月``."""
        return self._whole(format_skeleton("yMMMM", value, locale=self.locale))


def _places_it_has(value: Decimal) -> int:
    """The decimals ``value`` has once trailing zeros are dropped (``2.50`` -> 1)."""
    exponent = Decimal(value).normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


_BREAKABLE = re.compile(r"[ \t\-\u2212\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")
"""Where a line may break inside a formatted value: an ordinary space, after a minus
sign ("-CHF 1'234.50"), or between CJK ideographs, kana or Hangul."""

_FULLWIDTH = str.maketrans({"\uffe5": "\u00a5", "\uffe0": "\u00a2", "\uffe1": "\u00a3"})


def _drawable(text: str) -> str:
    """Fullwidth currency signs (ja_JP) as their ordinary forms, which the fonts draw."""
    return text.translate(_FULLWIDTH)


@lru_cache(maxsize=64)
def _percent_pattern(locale: str, number: str) -> str:
    """The locale's percent pattern (``#,##0 %`` in German and French, ``#,##0%`` in
    English and Japanese, ``%#,##0`` in Turkish) with ``number``'s places."""
    pattern = str(Locale.parse(locale).percent_formats[None].pattern).split(";")[0]
    digits = number.rstrip("%")
    match = re.fullmatch(r"([^#0,.]*)[#0,.]+([^#0,.]*)", pattern)
    if match is None:
        return number
    return match.group(1) + digits + match.group(2)


@lru_cache(maxsize=64)
def _currency_pattern(locale: str, digits: int) -> str:
    pattern = str(Locale.parse(locale).currency_formats["standard"].pattern).split(";")[0]
    fraction = "." + "0" * digits if digits else ""
    for template in ("#,##0.00", "#,##,##0.00", "#,##0.###", "#,##0"):
        if template in pattern:
            integer = template.split(".")[0]
            return pattern.replace(template, integer + fraction, 1)
    return "¤#,##0" + fraction
