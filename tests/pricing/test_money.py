"""Money: Decimal from strings, ISO 4217 minor units, half-up rounding, no mixing."""

from decimal import Decimal

import pytest
from babel.numbers import get_currency_precision
from hypothesis import given
from hypothesis import strategies as st

from quote_builder.pricing.currency import MINOR_UNITS, UnknownCurrencyError, minor_units
from quote_builder.pricing.money import (
    CurrencyMismatchError,
    Money,
    apportion,
    round_half_up,
    to_decimal,
)


@pytest.mark.parametrize(
    ("code", "digits"),
    [
        ("USD", 2),
        ("EUR", 2),
        ("JPY", 0),
        ("KRW", 0),
        ("BHD", 3),
        ("KWD", 3),
        ("TND", 3),
        ("CLF", 4),
    ],
)
def test_minor_units_from_iso_4217(code: str, digits: int) -> None:
    assert minor_units(code) == digits


def test_minor_units_agree_with_cldr_where_iso_and_cldr_agree() -> None:
    # CLDR (babel) deliberately differs from ISO 4217 for a few currencies whose minor unit
    # is not used in practice; ISO is the authority for invoices.
    # Each of these is 2 (IQD 3) in ISO 4217 and 0 in CLDR.
    iso_vs_cldr_known_differences = {
        "AFN", "ALL", "COP", "HUF", "IDR", "IQD", "IRR", "KPW", "LAK", "LBP", "MGA", "MMK",
        "SOS", "SYP", "YER",
    }  # fmt: skip
    assert all(get_currency_precision(c) != MINOR_UNITS[c] for c in iso_vs_cldr_known_differences)
    disagreements = {
        code: (digits, get_currency_precision(code))
        for code, digits in MINOR_UNITS.items()
        if code not in iso_vs_cldr_known_differences and get_currency_precision(code) != digits
    }
    assert disagreements == {}


def test_unknown_currency_is_refused() -> None:
    with pytest.raises(UnknownCurrencyError, match="'XYZ'"):
        Money.of("1", "XYZ")


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError, match="floats are refused"):
        Money.of(0.1, "USD")
    with pytest.raises(TypeError):
        Money.of("1", "USD") * 1.5  # type: ignore[operator]


@pytest.mark.parametrize("text", ["abc", "1,000", "NaN", "Infinity", ""])
def test_non_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        to_decimal(text)


def test_unit_prices_keep_their_precision() -> None:
    token = Money.of("0.0004", "USD")
    assert (token * 1234).amount == Decimal("0.4936")  # 1,234 x 0.0004, not rounded yet
    assert (token * 1234).rounded().amount == Decimal("0.49")


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("0.005", "USD", "0.01"),  # half rounds up
        ("0.0049", "USD", "0.00"),
        ("-0.005", "USD", "-0.01"),  # half away from zero
        ("2.5", "JPY", "3"),
        ("1.0005", "BHD", "1.001"),
        ("1.00049", "BHD", "1.000"),
    ],
)
def test_rounding_is_half_up_to_the_minor_unit(amount: str, currency: str, expected: str) -> None:
    assert round_half_up(Decimal(amount), currency) == Decimal(expected)
    assert str(round_half_up(Decimal(amount), currency)) == expected


def test_mixing_currencies_raises() -> None:
    with pytest.raises(CurrencyMismatchError):
        Money.of("1", "USD") + Money.of("1", "EUR")
    with pytest.raises(CurrencyMismatchError):
        assert Money.of("1", "USD") < Money.of("2", "EUR")


def test_sum_and_minor_units() -> None:
    total = sum([Money.of("0.10", "USD"), Money.of("0.20", "USD")])
    assert total == Money.of("0.30", "USD")
    assert total.minor_units == 30
    assert Money.from_minor_units(1050, "JPY") == Money.of("1050", "JPY")
    assert Money.from_minor_units(1050, "BHD").amount == Decimal("1.050")
    with pytest.raises(ValueError, match="not rounded"):
        _ = Money.of("0.005", "USD").minor_units


def test_totals_are_sums_of_rounded_lines() -> None:
    # Three lines of 0.005 each: each rounds to 0.01, so the invoice says 0.03, not 0.02.
    lines = [Money.of("0.005", "USD").rounded() for _ in range(3)]
    assert sum(lines) == Money.of("0.03", "USD")


@pytest.mark.parametrize(
    ("parts", "total", "expected"),
    [
        # exact cents: nothing to move
        (["2700.00", "720.00"], "3420.00", ["2700.00", "720.00"]),
        # 2,700.00 + 2,865.255 = 5,565.255; the invoices took 5,565.26: the missing cent to
        # the largest remainder (0.5 of a cent), not to the fixed fee
        (["2700.00", "2865.255"], "5565.26", ["2700.00", "2865.26"]),
        # a negative part (a cap's adjustment): -3,496.7912 floors to -3,496.80, remainder
        # 0.88 of a cent, the largest: it gets the unit the total asks for
        (["23568.5675", "100", "-3496.7912"], "20171.77", ["23568.56", "100.00", "-3496.79"]),
        # one unit too many: taken from the smallest remainder
        (["10.004", "10.006"], "20.00", ["10.00", "10.00"]),
        # a zero part stays zero
        (["0", "5.005"], "5.01", ["0.00", "5.01"]),
    ],
)
def test_apportion_rounds_parts_to_their_total(
    parts: list[str], total: str, expected: list[str]
) -> None:
    result = apportion([Decimal(p) for p in parts], Decimal(total), Decimal("0.01"))
    assert result == [Decimal(e) for e in expected]
    assert sum(result, Decimal(0)) == Decimal(total)


@given(
    parts=st.lists(st.integers(min_value=-(10**9), max_value=10**9), min_size=1, max_size=8),
    drift=st.integers(min_value=-3, max_value=3),
)
def test_apportioned_parts_add_up_and_stay_near(parts: list[int], drift: int) -> None:
    """Parts in thousandths, a total that is their sum rounded and a few cents off (what
    invoices rounded one by one come to): the parts add up to it, each within
    1 + |drift| cents of its exact value."""
    exact = [Decimal(p) / 1000 for p in parts]
    total = round_half_up(sum(exact, Decimal(0)), "USD") + Decimal(drift) / 100
    if not any(exact):
        return
    result = apportion(exact, total, Decimal("0.01"))
    assert sum(result, Decimal(0)) == total
    for value, part in zip(result, exact, strict=True):
        assert value % Decimal("0.01") == 0
        assert abs(value - part) < Decimal("0.01") * (2 + abs(drift))
        if not part:
            assert value == 0
