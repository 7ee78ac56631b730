"""The one parser of typed numbers (quote_builder/numbers.py): strict per locale, refusing
what a locale does not write with a sentence that names the field and says what to write;
and the formatter, whose output the parser reads back."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quote_builder.errors import UserFacingError
from quote_builder.numbers import (
    NumberEntryError,
    format_amount,
    format_decimal,
    format_percent,
    normalize_locale,
    parse_decimal,
    parse_optional,
    plain,
)

D = Decimal

# (locale, typed, read as): what each locale writes.
READ = [
    ("en_US", "45.50", "45.50"),
    ("en_US", "1,234.5", "1234.5"),  # the comma groups thousands
    ("en_US", "1234.5", "1234.5"),
    ("en_US", "1,234,567.89", "1234567.89"),
    ("en_US", "1.2345", "1.2345"),  # a decimal mark in English (1.234 is ambiguous: below)
    ("en_US", " 7 ", "7"),
    ("en_US", "-5", "-5"),
    ("en_US", "−5", "-5"),  # the minus sign U+2212
    ("en_US", "0.0004", "0.0004"),
    ("en_US", "1e3", "1000"),  # an exponent is plain digits
    ("en_US", "-0", "0"),
    ("de_DE", "45,50", "45.50"),
    ("de_DE", "1.234,5", "1234.5"),  # the point groups thousands in German
    ("de_DE", "1234,5", "1234.5"),
    ("de_DE", "1.234", "1234"),
    ("de_DE", "0,0004", "0.0004"),
    ("fr_FR", "1 234,5", "1234.5"),  # a typed space for French's narrow no-break space
    ("fr_FR", "1\u00a0234,5", "1234.5"),
    ("de_CH", "1'234.5", "1234.5"),
    ("de_CH", "1’234.5", "1234.5"),
]


@pytest.mark.parametrize(("locale", "typed", "expected"), READ)
def test_reads_numbers_as_the_locale_writes_them(locale: str, typed: str, expected: str) -> None:
    value = parse_decimal(typed, locale, what="Unit cost")
    assert plain(value) == expected


# (locale, typed, the sentence): refused, never guessed.
REFUSED = [
    (
        "en_US",
        "45,50",  # would be 4550 read leniently: the wizard's old parser did exactly that
        "Unit cost: 45,50 is not a number as written in English (United States); write 45.50",
    ),
    (
        "en_US",
        "1.234,5",  # the editor's rule from issue 19: invalid in English, not 1.2345
        "Unit cost: 1.234,5 is not a number as written in English (United States); write 1,234.5",
    ),
    (
        "en_US",
        "1,5",
        "Unit cost: 1,5 is not a number as written in English (United States); write 1.5",
    ),
    (
        "de_DE",
        "45.50",
        "Unit cost: 45.50 is not a number as written in German (Germany); write 45,50",
    ),
    (
        "de_DE",
        "1,234.5",
        "Unit cost: 1,234.5 is not a number as written in German (Germany); write 1.234,5",
    ),
    (
        "fr_FR",
        "1.5",  # babel alone would read it as 1.5; French writes 1,5
        "Unit cost: 1.5 is not a number as written in French (France); write 1,5",
    ),
    (
        "en_US",
        "12a",
        "Unit cost: 12a is not a number as written in English (United States) (e.g. 1,234.5)",
    ),
    (
        "en_US",
        "Infinity",
        "Unit cost: Infinity is not a number as written in English (United States) (e.g. 1,234.5)",
    ),
    (
        "en_US",
        "NaN",
        "Unit cost: NaN is not a number as written in English (United States) (e.g. 1,234.5)",
    ),
    # A percent or currency sign, or a currency code, typed or pasted with the number: the
    # number without it is what to write (never read as if it were not there).
    (
        "en_US",
        "12.5%",
        "Unit cost: 12.5% is not a number as written in English (United States); write 12.5",
    ),
    (
        "de_DE",
        "72,5 %",
        "Unit cost: 72,5 % is not a number as written in German (Germany); write 72,5",
    ),
    (
        "de_DE",
        "1.234,56 €",
        "Unit cost: 1.234,56 € is not a number as written in German (Germany); write 1.234,56",
    ),
    (
        "de_DE",
        "1,234.56 €",
        "Unit cost: 1,234.56 € is not a number as written in German (Germany); write 1.234,56",
    ),
    (
        "de_DE",
        "EUR 75",
        "Unit cost: EUR 75 is not a number as written in German (Germany); write 75",
    ),
    (
        "en_US",
        "$1,234.50",
        "Unit cost: $1,234.50 is not a number as written in English (United States); write 1,234.50",
    ),
    (
        "fr_FR",
        "12,5 %",
        "Unit cost: 12,5 % is not a number as written in French (France); write 12,5",
    ),
    (  # 4 or 4.000 is not for the app to choose
        "de_DE",
        "4,000 €",
        "Unit cost: 4,000 € is not a number as written in German (Germany) (e.g. 1.234,5)",
    ),
    ("en_US", "   ", "Unit cost: write a number"),
    ("en_US", "1" * 101, "Unit cost: a number of at most 100 characters"),
]


@pytest.mark.parametrize(("locale", "typed", "sentence"), REFUSED)
def test_refuses_with_the_field_and_what_to_write(locale: str, typed: str, sentence: str) -> None:
    with pytest.raises(NumberEntryError) as caught:
        parse_decimal(typed, locale, what="Unit cost")
    assert str(caught.value) == sentence
    assert isinstance(caught.value, UserFacingError)
    again = pickle.loads(pickle.dumps(caught.value))  # crosses the database process's pipe
    assert str(again) == sentence


def test_empty_is_none_only_when_optional() -> None:
    assert parse_optional("  ", "en_US", what="Discount %") is None
    assert parse_optional("12,5", "de_DE", what="Discount %") == D("12.5")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("de_DE", "de_DE"),
        ("de_DE.UTF-8", "de_DE"),
        ("de-DE", "de_DE"),
        ("C", "en_US"),
        ("POSIX", "en_US"),
        ("", "en_US"),
        (None, "en_US"),
        ("xx_YY", "en_US"),
    ],
)
def test_system_locale_names(name: str | None, expected: str) -> None:
    assert normalize_locale(name) == expected


# (value, locale, grouping, shown)
SHOWN = [
    (D("36000.00"), "en_US", True, "36,000.00"),  # every digit the amount has
    (D("36000.00"), "de_DE", True, "36.000,00"),
    (D("1234.5"), "de_DE", False, "1234,5"),  # an input field: no grouping
    (D("0.0004"), "en_US", True, "0.0004"),  # babel's default pattern would show 0
    (D("1E+3"), "en_US", False, "1000"),
    # 1.125 would be refused as ambiguous when typed back: one more zero, the same number.
    (D("1.125"), "en_US", False, "1.1250"),
    (D("1.125"), "de_DE", True, "1,1250"),
    (D("1234.500"), "en_US", False, "1234.500"),  # four digits before the mark: clear
]


@pytest.mark.parametrize(("value", "locale", "grouping", "shown"), SHOWN)
def test_format_decimal(value: Decimal, locale: str, grouping: bool, shown: str) -> None:
    assert format_decimal(value, locale, grouping=grouping) == shown


def test_percent_and_amount() -> None:
    assert format_percent(D("62.5"), "en_US") == "62.5%"
    assert format_percent(D("62.5"), "de_DE") == "62,5\u00a0%"
    # 1.005 rounded half up to the cent is 1.01 (half even would give 1.00)
    assert format_amount(D("1.005"), "USD", "en_US", digits=2) == "1.01 USD"
    assert format_amount(D("36000"), "JPY", "de_DE", digits=0) == "36.000 JPY"


LOCALES = ("en_US", "de_DE", "fr_FR", "de_CH", "sv_SE", "en_IN")


@given(
    digits=st.integers(-(10**16) + 1, 10**16 - 1),
    places=st.integers(0, 10),
    locale=st.sampled_from(LOCALES),
    grouping=st.booleans(),
)
def test_what_is_shown_reads_back_as_the_same_number(
    digits: int, places: int, locale: str, grouping: bool
) -> None:
    value = Decimal(digits).scaleb(-places)
    shown = format_decimal(value, locale, grouping=grouping)
    assert parse_decimal(shown, locale, what="Quantity") == value


# (locale, typed, read as, or None and the sentence): one to three digits not starting
# with 0, no grouping mark and exactly three decimals could be a decimal or thousands
# (4.000 in English reads as 4; a German writer means 4 x 1,000 = 4,000): refused.
AMBIGUOUS = [
    ("en_US", "4.000", None, "Outcomes per month: 4.000 could mean 4 or 4,000; write 4 or 4,000"),
    # 2.500 = 2.5 or 2.500 x 1,000 = 2,500
    (
        "en_US",
        "2.500",
        None,
        "Outcomes per month: 2.500 could mean 2.5 or 2,500; write 2.5 or 2,500",
    ),
    # 1.125 as a decimal needs a fourth digit to be clear: 1.1250
    (
        "en_US",
        "1.125",
        None,
        "Outcomes per month: 1.125 could mean 1.1250 or 1,125; write 1.1250 or 1,125",
    ),
    (
        "en_US",
        "-2.500",
        None,
        "Outcomes per month: -2.500 could mean -2.5 or -2,500; write -2.5 or -2,500",
    ),
    (
        "en_US",
        "999.999",
        None,
        "Outcomes per month: 999.999 could mean 999.9990 or 999,999; write 999.9990 or 999,999",
    ),
    ("en_US", "0.125", "0.125", None),  # starts with 0: only a decimal
    ("en_US", "1,234.500", "1234.500", None),  # grouped: the point is the decimal mark
    ("en_US", "1234.500", "1234.500", None),  # four digits before the mark
    ("en_US", "4.0", "4.0", None),  # one decimal
    ("en_US", "4.0000", "4.0000", None),  # four decimals
    ("en_US", "4,000", "4000", None),  # grouped thousands
    ("de_DE", "4,000", None, "Outcomes per month: 4,000 could mean 4 or 4.000; write 4 or 4.000"),
    (
        "de_DE",
        "2,500",
        None,
        "Outcomes per month: 2,500 could mean 2,5 or 2.500; write 2,5 or 2.500",
    ),
    ("de_DE", "0,125", "0.125", None),
    ("de_DE", "1.234,500", "1234.500", None),
    ("de_DE", "4.000", "4000", None),  # the point groups thousands in German
    ("de_DE", "4,0", "4.0", None),
    (
        "fr_FR",
        "4,000",
        None,
        "Outcomes per month: 4,000 could mean 4 or 4\u202f000; write 4 or 4\u202f000",
    ),
    ("fr_FR", "0,125", "0.125", None),
    ("fr_FR", "1 234,500", "1234.500", None),
    ("fr_FR", "4,0", "4.0", None),
    ("de_CH", "4.000", None, "Outcomes per month: 4.000 could mean 4 or 4'000; write 4 or 4'000"),
    ("de_CH", "0.125", "0.125", None),
    ("de_CH", "1'234.500", "1234.500", None),
    ("de_CH", "4.0", "4.0", None),
]


@pytest.mark.parametrize(("locale", "typed", "read", "sentence"), AMBIGUOUS)
def test_three_decimals_after_a_short_integer_are_ambiguous(
    locale: str, typed: str, read: str | None, sentence: str | None
) -> None:
    if read is not None:
        assert plain(parse_decimal(typed, locale, what="Outcomes per month")) == read
        return
    with pytest.raises(NumberEntryError) as caught:
        parse_decimal(typed, locale, what="Outcomes per month")
    assert str(caught.value) == sentence


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (D("1e28"), None, "10,000,000,000,000,000,000,000,000,000"),
        (D("99999999999999999999999999999.5"), 2, "99,999,999,999,999,999,999,999,999,999.50"),
        (D("1e40"), 0, "10,000,000,000,000,000,000,000,000,000,000,000,000,000"),
    ],
)
def test_formats_numbers_of_more_than_28_digits(
    value: Decimal, places: int | None, expected: str
) -> None:
    """Before: decimal's default 28 digits of precision made babel raise InvalidOperation
    (the wizard's "too large (got ...)" for 29 typed nines crashed)."""
    assert format_decimal(value, "en_US", places=places) == expected


@pytest.mark.parametrize("typed", ["1e9999", "-1E+101", "1e-9999"])
def test_refuses_an_exponent_too_long_written_out(typed: str) -> None:
    """Before: 1e9999 was read as a number no field could show back (10,000 digits)."""
    with pytest.raises(NumberEntryError) as caught:
        parse_decimal(typed, "en_US", what="Outcomes per month")
    assert caught.value.reason == "too_long"
    assert str(caught.value).startswith("Outcomes per month: a number of at most 100 characters")
