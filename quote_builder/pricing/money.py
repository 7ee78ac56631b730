"""Money: an immutable Decimal amount in one currency.

Rules (design.md, "Money"):
- amounts are Decimal built from strings or ints, never from floats;
- unit prices keep their precision (a token may cost 0.0004);
- an invoice line is rounded half-up to the currency's minor unit exactly once, by
  :meth:`Money.rounded`, and totals are sums of rounded lines;
- adding or comparing two currencies raises :class:`CurrencyMismatchError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache
from typing import Self

from .currency import minor_units

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


class CurrencyMismatchError(ValueError):
    """Two amounts in different currencies were combined."""


def to_decimal(value: object, *, what: str = "amount") -> Decimal:
    """Convert ``value`` to Decimal, refusing floats (their binary value is not the number
    the user typed: ``0.1`` is 0.1000000000000000055...)."""
    if isinstance(value, bool):
        raise TypeError(f"{what}: expected a number, got a boolean")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace("_", ""))
        except InvalidOperation:
            raise ValueError(f"{what}: {value!r} is not a number") from None
    elif isinstance(value, float):
        raise TypeError(
            f"{what}: floats are refused for money; write the number as a string, e.g. '0.10'"
        )
    else:
        raise TypeError(f"{what}: expected a number, got {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"{what}: {value!r} is not a finite number")
    return result


@lru_cache(maxsize=16)
def minor_unit(code: str) -> Decimal:
    """The currency's smallest amount as a Decimal quantum: 0.01 USD, 1 JPY, 0.001 BHD."""
    return Decimal(1).scaleb(-minor_units(code))


def round_half_up(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit, half away from zero (0.005 USD -> 0.01)."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


DERIVED_PLACES = 6
"""The most decimals a derived price or value per unit is stated with (below the minor
unit: a value of 0.0000333 a token is stated as 0.000033)."""


def round_derived(amount: Decimal, digits: int) -> Decimal:
    """A price or value per unit the app works out (minutes saved x hourly rate / 60 =
    6.666...), rounded half up as it is stated: to ``digits`` decimals (the currency's
    minor unit), or, when that would round a nonzero amount to zero, to two significant
    digits (at most :data:`DERIVED_PLACES` decimals), so that it never reads as nothing.
    ``documents.formatting.Formatter.derived_price`` prints it; ``value.stated_value``
    multiplies it."""
    with localcontext(prec=60):
        shown = amount.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
        if shown or not amount:
            return shown
        places = min(DERIVED_PLACES, max(digits, 1 - abs(amount).adjusted()))
        return amount.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


def apportion(parts: Sequence[Decimal], total: Decimal, quantum: Decimal) -> list[Decimal]:
    """``parts`` (exact amounts of any sign that add up to about ``total``) in whole
    ``quantum`` units that add up to ``total`` exactly: each part rounded down, then the
    units still missing given one by one to the largest remainders (ties: the first), or
    the units in excess taken from the smallest. A part of exactly zero stays zero.

    The price table shares a discount out with it: to the lines of a year (a deal-wide
    discount, by each line's exact percent or in proportion to its amount) and to an
    item's parts, in whole minor units adding up to the discount the invoices took."""
    exact = [part / quantum for part in parts]
    floors = [value.to_integral_value(rounding=ROUND_FLOOR) for value in exact]
    missing = int((total / quantum).to_integral_value(rounding=ROUND_HALF_UP) - sum(floors, ZERO))
    movable = [i for i, part in enumerate(parts) if part]
    if missing and movable:
        by_remainder = sorted(movable, key=lambda i: (-(exact[i] - floors[i]), i))
        order = by_remainder if missing > 0 else by_remainder[::-1]
        step = 1 if missing > 0 else -1
        for n in range(abs(missing)):
            floors[order[n % len(order)]] += step
    return [value * quantum for value in floors]


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of one currency. Construct from str/int/Decimal; floats raise TypeError."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        minor_units(self.currency)  # raises for an unknown code
        if not isinstance(self.amount, Decimal):
            object.__setattr__(self, "amount", to_decimal(self.amount))
        elif not self.amount.is_finite():
            raise ValueError("amount: not a finite number")

    @classmethod
    def of(cls, amount: object, currency: str) -> Self:
        return cls(to_decimal(amount), currency)

    @classmethod
    def zero(cls, currency: str) -> Self:
        return cls(ZERO, currency)

    def _check(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatchError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __radd__(self, other: object) -> Money:
        # sum() starts from 0: allow exactly that.
        if isinstance(other, int) and other == 0:
            return self
        if isinstance(other, Money):
            return other.__add__(self)
        return NotImplemented

    def __sub__(self, other: Money) -> Money:
        self._check(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, (float, bool)):
            raise TypeError("multiply Money by a Decimal or an int, not a float")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._check(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._check(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._check(other)
        return self.amount >= other.amount

    def rounded(self) -> Money:
        """This amount rounded half-up to the currency's minor unit."""
        return Money(round_half_up(self.amount, self.currency), self.currency)

    @property
    def minor_units(self) -> int:
        """The amount in integer minor units (cents); the amount must already be rounded."""
        exponent = minor_units(self.currency)
        scaled = self.amount.scaleb(exponent)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{self} is not rounded to the minor unit of {self.currency}")
        return int(scaled)

    @classmethod
    def from_minor_units(cls, units: int, currency: str) -> Self:
        return cls(Decimal(units).scaleb(-minor_units(currency)), currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
