"""Annotated field types shared by the quote format: amounts, percents, identifiers.

Every numeric field is a Decimal. A Python float handed to a model is refused (its binary
value is not what the user typed); the JSON loader parses numbers straight to Decimal.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from .currency import is_currency
from .money import to_decimal


def _decimal_refusing_floats(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError("floats are refused for numbers here; write it as a string, e.g. '0.10'")
    if isinstance(value, str):
        try:
            return to_decimal(value)
        except ValueError:
            # The field's path names it: say what is wrong without to_decimal's "amount: ".
            raise ValueError(_not_a_number(value)) from None
    return value


_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


def _not_a_number(value: str) -> str:
    """Why a number written as text is refused; a comma gets the number as it must be
    written (quote files use '.' as the decimal mark and no thousands separators)."""
    text = value.strip()
    if _THOUSANDS.fullmatch(text):
        if "." not in text and len(text.split(",")) == 2:
            return (
                f"{value!r} is ambiguous: write {text.replace(',', '')} or "
                f"{text.replace(',', '.')}; quote files use '.' as the decimal mark and no "
                "thousands separators"
            )
        return (
            f"write {text.replace(',', '')} instead of {value!r}: quote files use no "
            "thousands separators"
        )
    if _DECIMAL_COMMA.fullmatch(text):
        return (
            f"write {text.replace(',', '.')} instead of {value!r}: quote files use '.' as the "
            "decimal mark"
        )
    return f"not a finite number (got {value!r})"


MAX_MAGNITUDE = Decimal(10) ** 12
"""No amount, price or quantity in a quote is a trillion or more: a larger number is a typo,
and it keeps every product the engine forms inside Decimal's 28 digits."""
MAX_DECIMAL_PLACES = 10


def _finite(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("must be a finite number")
    if abs(value) >= MAX_MAGNITUDE:
        raise ValueError("too large: must be below 1,000,000,000,000")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMAL_PLACES:
        raise ValueError(f"more than {MAX_DECIMAL_PLACES} decimal places")
    return value


def _whole_number_not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"must be a whole number, not {str(value).lower()}")
    return value


def refuse_bool_for_whole_number(model: Any, value: Any, field_name: str | None) -> Any:
    """A ``true`` or ``false`` in a whole-number field of a hand-edited file is refused,
    naming the field: pydantic reads them as 1 and 0 (``"term_months": true`` was a quote
    of one month). For a model's ``field_validator("*", mode="before")``."""
    if isinstance(value, bool) and field_name is not None:
        field = model.model_fields.get(field_name)
        if field is not None and field.annotation in (int, int | None):
            raise ValueError(f"must be a whole number, not {str(value).lower()}")
    return value


def _check_currency(code: str) -> str:
    if not is_currency(code):
        raise ValueError(f"unknown currency {code!r}: use an ISO 4217 code such as USD, EUR or JPY")
    return code


Dec = Annotated[Decimal, BeforeValidator(_decimal_refusing_floats), AfterValidator(_finite)]
"""Any finite Decimal (negative allowed)."""

NonNegative = Annotated[Dec, Field(ge=0)]
"""A price, amount or quantity: zero or more."""

Positive = Annotated[Dec, Field(gt=0)]

Percent = Annotated[
    Decimal,
    BeforeValidator(_decimal_refusing_floats),
    Field(ge=0, le=100),
    AfterValidator(_finite),
]
"""A percentage from 0 to 100 (``"12.5"`` means 12.5 %)."""

MAX_SEATS = 10_000_000

WholeNumber = Annotated[int, BeforeValidator(_whole_number_not_bool)]
"""A whole number that a JSON ``true`` or ``false`` is not (pydantic reads them as 1 and 0)."""

SeatCount = Annotated[int, Field(ge=0, le=MAX_SEATS), BeforeValidator(_whole_number_not_bool)]
"""A number of seats: a whole number from 0 to 10,000,000 (a component's count or a ramp's)."""


def _upper_case_code(value: Any) -> Any:
    """``usd`` is USD: a currency code is the same in any case (ISO 4217 writes it in capitals)."""
    if isinstance(value, str) and value.isascii() and is_currency(value.upper()):
        return value.upper()
    return value  # refused as written


CurrencyCode = Annotated[str, BeforeValidator(_upper_case_code), AfterValidator(_check_currency)]

Identifier = Annotated[
    str,
    Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"),
]
"""A component id or metric name: letters, digits, ``_ . -``; starts with a letter or digit."""

NUL_REFUSED = "must not contain a NUL character"


def refuse_nul(value: str) -> str:
    """Text with a NUL character is refused here, whatever the database: PostgreSQL cannot
    store it, and SQLite would keep what no other program shows."""
    if "\x00" in value:
        raise ValueError(NUL_REFUSED)
    return value


SHORT_TEXT_MAX = 200
"""The longest short text: a quote's title, a name, a phrase of the legal frame. The
proposal's cover sets a title this long in smaller type on its one page (print.css)."""
ShortText = Annotated[str, Field(max_length=SHORT_TEXT_MAX), AfterValidator(refuse_nul)]
LongText = Annotated[str, Field(max_length=5000), AfterValidator(refuse_nul)]


QUOTE_NUMBER_MAX = 40
"""As long as the database's quote number column."""
_QUOTE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]*")


def check_quote_number(value: str) -> str:
    """A quote number is printed on every page and names files: letters and digits (ASCII),
    ``-``, ``_``, ``/`` and ``.``, starting with a letter or digit, no ``..``, at most 40
    characters. The app's own numbers (Q-2026-0001), the numbers CRMs give (Q-00042,
    SO-2026/117, 2026.0042) fit; a path such as ``../../etc/passwd`` does not."""
    if len(value) > QUOTE_NUMBER_MAX:
        raise ValueError(
            f"{value[:QUOTE_NUMBER_MAX]!r}... is too long for a quote number: at most "
            f"{QUOTE_NUMBER_MAX} characters"
        )
    if not _QUOTE_NUMBER.fullmatch(value) or ".." in value:
        raise ValueError(
            f"{value!r} is not a quote number: use letters, digits, '-', '_', '/' and '.', "
            "starting with a letter or digit and without '..' (such as Q-2026-0001), or "
            "leave it out and the quote gets the next number when it is saved"
        )
    return value


def _empty_number_is_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


_QUOTE_NUMBER_TEXT = Annotated[
    str,
    AfterValidator(check_quote_number),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": QUOTE_NUMBER_MAX,
            "pattern": r"^[A-Za-z0-9][A-Za-z0-9_./-]*$",
            "description": "letters, digits, - _ / . ; no '..'",
        }
    ),
]

QuoteNumber = Annotated[_QUOTE_NUMBER_TEXT | None, BeforeValidator(_empty_number_is_none)]
"""A quote's number in a file (``check_quote_number``); empty: none yet."""
