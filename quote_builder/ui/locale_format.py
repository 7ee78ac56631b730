"""Amounts, percents and numbers shown the way the PDFs show them ("$273,868.68"), in the
interface's locale, plus the plain numbers of the clipboard.

Formatting only goes through babel here (``documents.formatting``, the PDFs' formatter);
the locale is ``locale_numbers.ui_locale()`` (the system's, or ``set_ui_locale``'s), and
every number read from what a user typed or pasted is read by the app's one parser,
``quote_builder.numbers`` through ``locale_numbers`` (``parse_number`` below only hands the
text to it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date

from quote_builder.documents.formatting import DEFAULT_LOCALE, Formatter, LocaleError

from . import i18n, locale_numbers
from .i18n import _
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
def _formatter(currency: str, locale: str, language: str = "en") -> Formatter:
    try:
        return Formatter(currency or "USD", locale, language)
    except LocaleError:  # a script the PDF fonts lack: the app still shows numbers
        return Formatter(currency or "USD", DEFAULT_LOCALE, language)


def formatter(currency: str) -> Formatter:
    """The documents' formatter for ``currency`` in the user's locale, writing its words
    (a price table's "included", "months", "(est.)", "Rounding") in the interface's
    language."""
    return _formatter(currency, user_locale(), i18n.language())


def money(amount: Decimal, currency: str) -> str:
    """``$273,868.68`` (the currency's minor unit, the locale's pattern)."""
    try:
        return formatter(currency).money(amount)
    except (ValueError, KeyError):  # an unknown currency code while it is being typed
        return f"{formatter('USD').number(amount, 2)} {currency}"


def price(amount: Decimal, currency: str) -> str:
    """A unit price as written (``$0.0040``: the minor unit, more digits when it has them)."""
    try:
        return formatter(currency).price(amount)
    except (ValueError, KeyError):  # an unknown currency code while it is being typed
        return money(amount, currency)


def derived_price(amount: Decimal, currency: str) -> str:
    """A unit price the app works out (cost / (1 - margin) = 1.3333...), rounded for
    display by the one formatter's rule (``$1.33``; ``$0.0033`` below the minor unit)."""
    try:
        return formatter(currency).derived_price(amount)
    except (ValueError, KeyError):
        return money(amount, currency)


def approximate(amount: Decimal, currency: str) -> str:
    """An approximate amount (a bound of the playbook's category range): whole units from
    10 up (``$120``, ``111 €``); below that as a worked-out price (``$0.10``, ``0,09 €``)."""
    try:
        if abs(amount) >= 10 or amount == amount.to_integral_value():
            return formatter(currency).whole_money(amount)
        return formatter(currency).derived_price(amount)
    except (ValueError, KeyError):  # an unknown currency code while it is being typed
        return money(amount, currency)


def percent(value: Decimal | None, places: int | None = 1) -> str:
    """``81.3%`` (``81,3 %`` in German, with the locale's sign and spacing); "n/a" for
    None. ``places=None`` shows the digits the value has (``2.5%``, ``40%``)."""
    if value is None:
        return _("n/a")
    return _percent_sign(user_locale()).replace("100", formatter("USD").number(value, places), 1)


def margin_percent(value: Decimal | None) -> str:
    """A gross margin, always to one decimal: ``84.0%``, ``84.6%`` (every contract year
    and every window alike: the totals, the guided flow, the approvals)."""
    return percent(value, 1)


def discount_percent(value: Decimal | None) -> str:
    """A discount with the digits it has and no trailing zeros: ``25%``, ``24.5%``,
    ``10.01%`` (the policy judges it to the hundredth: 10.01 % is above 10 %). The totals,
    the approval reasons and the approvals list write a discount this one way."""
    if value is None:
        return _("n/a")
    exact = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return percent(exact, None)


@lru_cache(maxsize=16)
def _percent_sign(locale: str) -> str:
    """100% as the locale writes a percent ("100 %" in German and French)."""
    from babel.numbers import format_percent

    return str(format_percent(1, locale=locale))


def number(value: Decimal | int, places: int | None = None) -> str:
    return formatter("USD").number(value, places)


def day(value: dt.date | dt.datetime | str | None) -> str:
    """A date the locale's way, unambiguous: "May 1, 2026", "01.05.2026", "1 mai 2026"
    (an ISO text "2026-05-01" too; a text that is not a date is shown as it is)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if isinstance(value, dt.datetime):
        value = value.astimezone().date() if value.tzinfo else value.date()
    return str(format_date(value, "medium", locale=user_locale()))


def month(label: str) -> str:
    """A usage log's month (``2026-06``) as the proposal writes it (``Formatter.month``),
    in the interface's locale: "June 2026", "Juni 2026", "juin 2026"; a text that is not a
    month is shown as it is."""
    try:
        first = dt.date.fromisoformat(f"{label[:7]}-01")
    except ValueError:
        return label
    return formatter("USD").month(first)


def moment(value: dt.datetime) -> str:
    """A date and time in the local time zone, the locale's way ("May 1, 2026, 2:05 PM",
    "01.05.2026, 14:05")."""
    from babel.dates import format_time, get_datetime_format

    local = value.astimezone() if value.tzinfo else value
    locale = user_locale()
    pattern = str(get_datetime_format("medium", locale=locale))
    return pattern.replace("{1}", str(format_date(local.date(), "medium", locale=locale))).replace(
        "{0}", str(format_time(local.time(), "short", locale=locale))
    )


def date_input_format() -> str:
    """The display format of a date field (QDateEdit), numeric with a four-digit year:
    M/d/yyyy (en_US), dd.MM.yyyy (de_DE), dd/MM/yyyy (fr_FR)."""
    return _date_input_format(user_locale())


@lru_cache(maxsize=16)
def _date_input_format(locale: str) -> str:
    from babel.dates import get_date_format

    pattern = get_date_format("short", locale=locale).pattern
    # babel (CLDR) and Qt write day, month and year alike (d, dd, M, MM, y); the year as
    # four digits, whatever the short form says.
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "y":
            while i < len(pattern) and pattern[i] == "y":
                i += 1
            out.append("yyyy")
            continue
        if c == "'":  # a quoted literal stays as it is
            end = pattern.find("'", i + 1)
            end = len(pattern) - 1 if end < 0 else end
            out.append(pattern[i : end + 1])
            i = end + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def plain_number(value: Decimal) -> str:
    """A number as a spreadsheet reads it: no grouping, no currency, no exponent, the
    locale's decimal sign, no trailing zeros (``1234.5``; ``1234,5`` in a German locale);
    ``parse_number`` reads it back."""
    if value == value.to_integral_value():
        return locale_numbers.field_text(value.quantize(Decimal(1)))
    return locale_numbers.field_text(value.normalize())


def parse_number(text: str, *, percent: bool = False) -> Decimal:
    """A number typed or pasted by the user, read by the app's one parser in the
    interface's locale. Raises ``NumberEntryError`` (a ValueError) with the reason, without
    a field's name (the caller names the cell or the line). A percent sign after the
    number is allowed (a discount typed as "10 %")."""
    text = text.strip().removesuffix("%").strip()
    if not text:
        raise NumberEntryError(_("is empty"))
    why = locale_numbers.reason(text, percent=percent)
    if why is not None:
        raise NumberEntryError(why)
    return locale_numbers.parse(text, what="", percent=percent)


__all__ = [
    "date_input_format",
    "day",
    "formatter",
    "moment",
    "money",
    "month",
    "number",
    "parse_number",
    "percent",
    "plain_number",
    "set_locale",
    "user_locale",
]
