"""Numbers as the user writes them: one strict, locale-aware parser for every amount,
percent and quantity typed into the app, and one formatter for showing numbers.

``parse_decimal(text, locale, what=...)`` reads a number the way it is written in
``locale`` (babel's ``parse_decimal`` with ``strict=True``): in English (United States)
``1,234.5`` is 1234.5 and ``45,50`` is refused; in German (Germany) ``1.234,5`` is 1234.5
and ``45.50`` is refused. An entry that could be read two ways is never guessed: the error
says which field, why, and what to write instead ("Unit cost: 45,50 is not a number as
written in English (United States); write 45.50").

A number with one to three digits before the decimal mark (not starting with 0), no
grouping mark and exactly three digits after the mark is refused as ambiguous in every
locale: ``4.000`` in English is 4 as written, but a user used to German grouping means
4,000 ("Outcomes per month: 4.000 could mean 4 or 4,000; write 4 or 4,000"). ``0.125``,
``1,234.500``, ``1234.500`` and ``4.0`` are read as written.

Like ``errors`` and ``safe_files`` this module imports nothing else from the project, so
the windows and the services can both use it.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

from babel import Locale
from babel.core import UnknownLocaleError
from babel.numbers import (
    NumberFormatError,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
    get_plus_sign_symbol,
)
from babel.numbers import (
    format_decimal as babel_format_decimal,
)
from babel.numbers import (
    format_percent as babel_format_percent,
)
from babel.numbers import (
    parse_decimal as babel_parse_decimal,
)

from quote_builder.errors import UserFacingError

DEFAULT_LOCALE = "en_US"
MAX_LENGTH = 100
"""Characters a number may be written with (the quote format's decimals are far shorter)."""

_SPACES = (" ", "\u00a0", "\u202f", "\u2009")
_APOSTROPHES = ("'", "\u2019")
_BIDI_MARKS = ("\u200e", "\u200f", "\u061c")
_MINUS = ("-", "\u2212")
_CONTRASTING = {".": "de_DE", ",": "en_US"}
"""A locale writing decimals with the other mark: for '.' as decimal mark, de_DE reads
the text as a comma-decimal writer meant it, and the other way round."""


class NumberEntryError(UserFacingError, ValueError):
    """A number typed in a way the locale does not write numbers (or not a number).

    Besides its English sentence it carries what the sentence is made of, so the desktop
    app can write it in the interface's language (``ui/number_messages.py``): ``reason``
    (``empty``, ``too_long``, ``ambiguous``, ``not_a_number``), ``what`` (the field),
    ``text`` (as typed), ``locale``, ``suggestion`` (what to write, or None), ``example``
    (1234.5 written the locale's way) and ``readings`` (an ambiguous entry's two values)."""

    def __init__(
        self,
        message: str,
        *,
        reason: str = "",
        what: str = "",
        text: str = "",
        locale: str = "",
        suggestion: str | None = None,
        example: str = "",
        readings: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.what = what
        self.text = text
        self.locale = locale
        self.suggestion = suggestion
        self.example = example
        self.readings = readings


@lru_cache(maxsize=64)
def normalize_locale(name: str | None) -> str:
    """A locale babel knows, from a system name ("de_DE", "de-DE", "de_DE.UTF-8"); the
    default for the C or POSIX locale, an empty name or one babel does not know."""
    if not name:
        return DEFAULT_LOCALE
    cleaned = name.split(".")[0].split("@")[0].replace("-", "_")
    if cleaned in ("C", "POSIX", ""):
        return DEFAULT_LOCALE
    try:
        return str(Locale.parse(cleaned))
    except (UnknownLocaleError, ValueError):
        return DEFAULT_LOCALE


@lru_cache(maxsize=64)
def locale_display_name(locale: str) -> str:
    """ "English (United States)": how the messages name the way numbers are written."""
    return str(Locale.parse(locale).get_display_name("en") or locale)


@lru_cache(maxsize=64)
def _symbols(locale: str) -> tuple[str, str, str, str]:
    """(decimal mark, group mark, minus sign, plus sign) without bidi marks."""

    def bare(text: str) -> str:
        return "".join(c for c in text if c not in _BIDI_MARKS)

    return (
        bare(get_decimal_symbol(locale)),
        bare(get_group_symbol(locale)),
        bare(get_minus_sign_symbol(locale)),
        bare(get_plus_sign_symbol(locale)),
    )


def _normalized(text: str, locale: str) -> str:
    """The text as babel expects it: the spaces a user types for a locale that groups with
    a (narrow, no-break) space become that space, an apostrophe the locale's apostrophe,
    a minus sign the ASCII one; bidi marks go."""
    decimal, group, _minus, _plus = _symbols(locale)
    out = "".join(c for c in text.strip() if c not in _BIDI_MARKS)
    if group in _SPACES:
        for space in _SPACES:
            out = out.replace(space, group)
    elif group in _APOSTROPHES:
        for mark in _APOSTROPHES:
            out = out.replace(mark, group)
    return out.replace("\u2212", "-")


def _allowed(text: str, locale: str) -> bool:
    """Only digits, signs, the locale's decimal and group marks and an exponent: babel is
    lenient with some others (a French '1.5' would be read as 1.5)."""
    decimal, group, minus, plus = _symbols(locale)
    allowed = {decimal, group, "+", "-", "e", "E", *minus, *plus}
    return all(c.isdecimal() or c in allowed for c in text)


def parse_decimal(text: str, locale: str, *, what: str, percent: bool = False) -> Decimal:
    """The number ``text`` as written in ``locale``; ``what`` names the field as the form
    labels it; ``percent``: the field is a percent, so a refusal's example looks like one
    (12.5, not 1,234.5) and a suggestion above 100 is not offered. Raises ``NumberEntryError`` with a sentence for an empty, malformed,
    ambiguous or non-finite entry."""
    locale = normalize_locale(locale)
    shown = text.strip()
    if not shown:
        raise NumberEntryError(f"{what}: write a number", reason="empty", what=what, locale=locale)
    if len(shown) > MAX_LENGTH:
        raise NumberEntryError(
            f"{what}: a number of at most {MAX_LENGTH} characters",
            reason="too_long",
            what=what,
            locale=locale,
        )
    candidate = _normalized(text, locale)
    value: Decimal | None = None
    if _allowed(candidate, locale):
        try:
            value = babel_parse_decimal(candidate, locale=locale, strict=True)
        except (NumberFormatError, ArithmeticError, ValueError):
            value = None
    if value is None or not value.is_finite():
        raise _refusal(shown, candidate, locale, what, percent=percent)
    if _written_length(value) > MAX_LENGTH:
        # 1e9999 is six characters typed but ten thousand digits: no field keeps it, and
        # writing it back (a refusal's "got ...") would fill the screen.
        raise NumberEntryError(
            f"{what}: a number of at most {MAX_LENGTH} characters "
            f"({shown} has {_written_length(value):,} digits written out)",
            reason="too_long",
            what=what,
            text=shown,
            locale=locale,
        )
    if is_ambiguous(candidate, locale):
        decimal_reading = _unambiguous(value, locale)
        thousands = format_decimal(value.scaleb(3), locale)
        raise NumberEntryError(
            f"{what}: {shown} could mean {decimal_reading} or {thousands}; "
            f"write {decimal_reading} or {thousands}",
            reason="ambiguous",
            what=what,
            text=shown,
            locale=locale,
            readings=(decimal_reading, thousands),
        )
    if value == 0:
        value = abs(value)  # -0 is 0
    return value


def _written_length(value: Decimal) -> int:
    """How many digits ``value`` has written out in plain digits (1e9999: 10,000)."""
    exponent = value.as_tuple().exponent
    digits = len(value.as_tuple().digits)
    if not isinstance(exponent, int):
        return digits
    if exponent >= 0:
        return digits + exponent
    return max(digits, -exponent + 1)


def is_ambiguous(text: str, locale: str) -> bool:
    """True for a number written like ``4.000`` (en_US) or ``4,000`` (de_DE): one to three
    digits not starting with 0, the decimal mark, exactly three digits, no grouping mark, so
    a reader used to the other convention reads it as thousands. ``text`` is as
    ``_normalized`` leaves it."""
    decimal, group, minus, plus = _symbols(locale)
    body = text.strip()
    for sign in ("-", "+", minus, plus):
        if sign and body.startswith(sign):
            body = body[len(sign) :]
            break
    if group and group in body:
        return False
    integer, mark, fraction = body.partition(decimal)
    return (
        mark == decimal
        and 1 <= len(integer) <= 3
        and integer.isdecimal()
        and integer.isascii()
        and integer[0] != "0"
        and len(fraction) == 3
        and fraction.isdecimal()
        and fraction.isascii()
    )


def _unambiguous(value: Decimal, locale: str) -> str:
    """``value`` written without grouping so that it is not ambiguous: 4.000 is 4, 2.500 is
    2.5, and 1.125 gets a fourth decimal (1.1250)."""
    number = value.to_integral_value() if value == value.to_integral_value() else value.normalize()
    if _places(number) == 3:
        number = number.quantize(Decimal("0.0001"))
    return format_decimal(number, locale, grouping=False)


def parse_optional(text: str, locale: str, *, what: str, percent: bool = False) -> Decimal | None:
    """None for an empty field, else ``parse_decimal``."""
    return parse_decimal(text, locale, what=what, percent=percent) if text.strip() else None


PERCENT_EXAMPLE = Decimal("12.5")
"""The number a percent field's refusal shows as an example (``12.5``; ``12,5`` in de_DE)."""


def _refusal(
    shown: str, candidate: str, locale: str, what: str, *, percent: bool = False
) -> NumberEntryError:
    where = locale_display_name(locale)
    suggestion = _suggestion(candidate, locale)
    example = format_decimal(PERCENT_EXAMPLE if percent else Decimal("1234.5"), locale)
    if percent and suggestion is not None:
        try:
            meant = babel_parse_decimal(suggestion, locale=locale)
        except (NumberFormatError, ArithmeticError, ValueError):
            meant = None
        if meant is None or abs(meant) > 100:
            suggestion = None  # "write 1,234.5" is no percent: show the example instead
    if suggestion is not None:
        message = f"{what}: {shown} is not a number as written in {where}; write {suggestion}"
    else:
        message = f"{what}: {shown} is not a number as written in {where} (e.g. {example})"
    return NumberEntryError(
        message,
        reason="not_a_number",
        what=what,
        text=shown,
        locale=locale,
        suggestion=suggestion,
        example=example,
    )


_SIGNS = r"(?:[%€$£¥]|[A-Za-z]{3})"
"""A percent sign, a currency sign or a currency code ("EUR"), as pasted with a number."""


def _without_signs(candidate: str) -> str:
    """The entry without a percent or currency sign or a currency code before or after the
    number ("72,5 %", "1.234,56 €", "EUR 75" are 72,5, 1.234,56 and 75)."""
    text = re.sub(rf"^{_SIGNS}\s*", "", candidate.strip())
    return re.sub(rf"\s*{_SIGNS}$", "", text).strip()


def _suggestion(candidate: str, locale: str) -> str | None:
    """What the user probably meant, written the locale's way: the number without a percent
    or currency sign written with it ("72,5 %": 72,5), the entry read with the other
    decimal mark (45,50 -> 45.50 in en_US), else babel's own first suggestion."""
    bare = _without_signs(candidate)
    if bare and bare != candidate:
        if is_ambiguous(bare, locale):
            return None  # "4,000 €" in German: 4 or 4.000 is not for us to choose
        if _allowed(bare, locale):
            try:
                value = babel_parse_decimal(bare, locale=locale, strict=True)
            except (NumberFormatError, ArithmeticError, ValueError):
                value = None
            if value is not None and value.is_finite():
                return format_decimal(value, locale)
        candidate = bare
    decimal = _symbols(locale)[0]
    other = _CONTRASTING.get(decimal)
    if other is not None and _allowed(candidate, other):
        try:
            value = babel_parse_decimal(candidate, locale=other, strict=True)
        except (NumberFormatError, ArithmeticError, ValueError):
            value = None
        if value is not None and value.is_finite():
            return format_decimal(value, locale)
    try:
        babel_parse_decimal(candidate, locale=locale, strict=True)
    except NumberFormatError as exc:
        suggestions = [s for s in (getattr(exc, "suggestions", None) or []) if s]
        if suggestions:
            return str(suggestions[0])
    except (ArithmeticError, ValueError):
        return None
    return None


def plain(value: Decimal) -> str:
    """A decimal in plain digits, as the quote format stores it: never an exponent."""
    return format(value, "f")


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_decimal(
    value: Decimal | int, locale: str, *, grouping: bool = True, places: int | None = None
) -> str:
    """``value`` written the locale's way with every digit it has (``places``: exactly that
    many decimals, rounded half up); without
    ``grouping`` for an input field (1234,5 in de_DE), which ``parse_decimal`` reads back."""
    locale = normalize_locale(locale)
    number = Decimal(value)
    digits = _places(number) if places is None else places
    pattern = (_grouped_integer(locale) if grouping else "0") + (
        "." + "0" * digits if digits else ""
    )
    with localcontext() as context:
        # Every digit the number has: the default 28 digits of precision made babel (and
        # the quantize below) raise InvalidOperation for 10,000,000,000,000,000,000,000,000,000
        # and above, so a field's "too large (got ...)" crashed instead of saying so.
        context.prec = max(context.prec, _written_length(number) + digits + 2)
        if places is not None:
            number = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        text = str(babel_format_decimal(number, format=pattern, locale=locale))
    if places is None and is_ambiguous(text, locale):
        # 1.125 would be refused as ambiguous when read back: 1.1250 is the same number.
        return format_decimal(number, locale, grouping=False, places=digits + 1)
    return text


@lru_cache(maxsize=64)
def _grouped_integer(locale: str) -> str:
    """The integer part of the locale's number pattern: #,##0, or #,##,##0 in India."""
    pattern = Locale.parse(locale).decimal_formats[None].pattern
    integer = pattern.split(";")[0].split(".")[0]
    return integer if "," in integer else "#,##0"


def format_percent(value: Decimal | int, locale: str, *, places: int | None = None) -> str:
    """A percent given in percent units (62.5 for 62.5 %), with the locale's sign and
    spacing (62,5 % in de_DE)."""
    number = format_decimal(value, locale, places=places)
    template = str(babel_format_percent(1, locale=normalize_locale(locale)))
    return template.replace("100", number, 1)


def format_amount(amount: Decimal, currency: str, locale: str, *, digits: int) -> str:
    """An amount with its currency code after it (36,000.00 USD), with ``digits`` decimals
    (the currency's minor unit)."""
    return f"{format_decimal(amount, locale, places=digits)} {currency}"


__all__ = [
    "DEFAULT_LOCALE",
    "NumberEntryError",
    "format_amount",
    "format_decimal",
    "format_percent",
    "is_ambiguous",
    "locale_display_name",
    "normalize_locale",
    "parse_decimal",
    "parse_optional",
    "plain",
]
