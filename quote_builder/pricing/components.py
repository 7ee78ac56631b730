"""Charge components: one small class per kind behind one interface.

Every component answers ``charge(usage) -> Charge``: the amount for one month of the
contract, given that month's metered quantities and seat counts, plus a breakdown that
explains the amount line by line (tier by tier). The engine sums months into billing
periods and rounds each invoice line once; components never round.

Conventions follow the common billing engines (Stripe, Lago) so a plan can be exported to
one; each rule has a worked example in ``tests/pricing/test_components.py``:

- tier bounds are inclusive upper bounds (``up_to``): with tiers up to 1,000 and above,
  the 1,000th unit is priced in tier 1 and the 1,001st in tier 2;
- graduated: each tier prices the units that fall inside it; a tier's flat fee is charged
  when the quantity reaches into that tier;
- volume: every unit is priced at the tier the total quantity falls into, plus that tier's
  flat fee;
- zero usage still bills the first tier's flat fee, graduated and volume alike (as Lago
  and Stripe do: the flat fee is the price of being on the tier); a first tier without a
  flat fee makes zero usage cost nothing;
- package: ``ceil((quantity - free units) / block size)`` blocks at the block price;
- a yearly fee (flat fee or seats with ``interval: year``) is charged in the first month of
  each contract year, prorated by months in a short last year (``Usage.year_months`` / 12).

``factory.component_from_dict`` picks the class for a ``kind`` and refuses unknown kinds.
"""

# No `from __future__ import annotations` in the modules of the quote format's models:
# with it, pydantic evaluates every field's annotation from its text when a model class is
# made (about 5 % of a cold `quote-builder price`); as Python they are evaluated once, as
# the class body runs. A name defined further down is written in quotes.

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .fields import (
    MAX_DECIMAL_PLACES,
    Identifier,
    LongText,
    NonNegative,
    Percent,
    Positive,
    SeatCount,
    ShortText,
    WholeNumber,
    refuse_bool_for_whole_number,
)
from .money import HUNDRED, ONE, ZERO

Interval = Literal["month", "year"]


_PLACES = [Decimal(1).scaleb(-n) for n in range(12)]


@dataclass(frozen=True, slots=True)
class Usage:
    """What a component needs to price one month of the contract."""

    quantities: Mapping[str, Decimal]
    """Metered quantity of each metric in this month."""
    seats: Mapping[str, Decimal]
    """Seat count of each seats component (by id) in this month, ramps applied."""
    month: int = 1
    """Month of the contract, from 1."""
    month_of_year: int = 1
    """Month within the contract year, 1 to 12."""
    year_months: int = 12
    """Months in this contract year: 12, or fewer in a short last year."""
    price_factor: Decimal = ONE
    """The escalator multiplier of this contract year (1 in year 1)."""
    state: tuple[Decimal, ...] = ()
    """State this component carried out of the previous month (``Charge.state_out``);
    empty in the first month. Only components with ``stateful`` get it."""
    committed_spend: Decimal = ZERO
    """For a minimum commitment: the spend that counts toward it in its window."""
    window_months: int = 12
    """For a minimum commitment: months in the window being trued up (a short last year)."""
    price_places: int | None = None
    """Decimal places escalated prices are rounded to (the currency's minor unit; the
    engine sets it); None: not rounded."""
    escalated: dict[tuple[Decimal, int], Decimal] | None = None
    """This contract year's escalated prices by (price, places rounded to), filled as
    ``escalate`` computes them: the engine hands one dict to every month of a year with
    the same ``price_factor`` and ``price_places`` (a price is escalated once a year, not
    once a month); None: computed each time. Only rounded, non-zero prices are kept: 0.5
    and 0.50 round to the same places and are one key, 0.05 and 0.050 are two (a zero's
    sign would not be one value)."""

    def escalate(self, price: Decimal) -> Decimal:
        """``price`` x this year's escalator, rounded half up to the currency's minor unit,
        or to the decimals the price is written with when it has more (a token at 0.0004
        keeps 4; a price written 0.050 keeps 3, so a rep can keep a small price's increase
        from being rounded away), so the bill uses exactly the unit price the order form
        prints for the year."""
        if self.price_factor == ONE:
            return price
        if self.price_places is None:
            return price * self.price_factor
        places = max(self.price_places, written_places(price))
        memo = self.escalated if price else None
        if memo is not None:
            known = memo.get((price, places))
            if known is not None:
                return known
        value = (price * self.price_factor).quantize(_PLACES[places], ROUND_HALF_UP)
        if memo is not None:
            memo[(price, places)] = value
        return value


def written_places(price: Decimal) -> int:
    """The decimals ``price`` is written with, trailing zeros included (0.050: 3), at most
    ``MAX_DECIMAL_PLACES`` (the most a quote's number may have that are not zeros)."""
    exponent = price.as_tuple().exponent
    written = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return min(written, MAX_DECIMAL_PLACES)


EscalatedPrice = tuple[str, str, Decimal, int | None]
"""A price the escalator raises: (a key naming it, "price_per_seat"; its field's path under
the component, ".price_per_seat"; the price; the tier's number for a tier's price)."""


@dataclass(frozen=True, slots=True)
class BreakdownLine:
    """One explained part of an amount: ``quantity x unit_price + flat_fee = amount``."""

    label: str
    quantity: Decimal
    unit_price: Decimal
    flat_fee: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Charge:
    amount: Decimal
    lines: tuple[BreakdownLine, ...] = ()
    state_out: tuple[Decimal, ...] = ()
    """State to hand to the next month (a stateful component only)."""


NO_CHARGE = Charge(ZERO)


# A frozen dataclass's __init__ sets each field through object.__setattr__ (0.8 us for a
# line's five); the engine makes about 600 lines and 400 charges per pricing of a 36-month
# deal, so ``_line`` and ``_charge`` set the slots directly (half the time, the same
# objects: equal, hashable, still frozen to every other caller).
_new = object.__new__
_LINE_SLOTS = tuple(
    BreakdownLine.__dict__[name].__set__
    for name in ("label", "quantity", "unit_price", "flat_fee", "amount")
)
_CHARGE_SLOTS = tuple(Charge.__dict__[name].__set__ for name in ("amount", "lines", "state_out"))


def _line(
    label: str, quantity: Decimal, unit_price: Decimal, flat_fee: Decimal = ZERO
) -> BreakdownLine:
    line = _new(BreakdownLine)
    set_label, set_quantity, set_price, set_fee, set_amount = _LINE_SLOTS
    set_label(line, label)
    set_quantity(line, quantity)
    set_price(line, unit_price)
    set_fee(line, flat_fee)
    set_amount(line, quantity * unit_price + flat_fee)
    return line


def _charge(*lines: BreakdownLine, state_out: tuple[Decimal, ...] = ()) -> Charge:
    total = ZERO
    for line in lines:
        total += line.amount
    charge = _new(Charge)
    set_amount, set_lines, set_state = _CHARGE_SLOTS
    set_amount(charge, total)
    set_lines(charge, lines)
    set_state(charge, state_out)
    return charge


class Component(BaseModel):
    """Interface of every charge component."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    kind: str
    id: Identifier
    name: ShortText
    description: LongText = ""

    recurring: ClassVar[bool] = True
    """False for a fee charged once (it is left out of ACV)."""
    escalates: ClassVar[bool] = True
    """Whether the annual escalator raises this component's prices."""
    usage_based: ClassVar[bool] = False
    """Whether it counts toward a minimum commitment by default."""
    stateful: ClassVar[bool] = False
    """Whether it carries state from month to month (``Usage.state``, ``Charge.state_out``)."""
    label: ClassVar[str] = ""
    """The kind in words, for tables and the PDF."""

    def metrics(self) -> frozenset[str]:
        """Metrics whose quantities this component reads."""
        return frozenset()

    def seat_sources(self) -> frozenset[str]:
        """Ids of seats components whose counts this component reads."""
        return frozenset()

    def billed_yearly(self) -> bool:
        """Whether it charges once per contract year (a yearly fee). For discounts such a
        charge counts as spread evenly over the months of its contract year."""
        return False

    def charge(self, usage: Usage) -> Charge:
        raise NotImplementedError

    def escalated_prices(self) -> Iterator[EscalatedPrice]:
        """The prices ``charge`` escalates (``Usage.escalate``), for the warning that says
        when rounding moves one off the escalator. None here: each kind that escalates
        names its own, beside its ``charge``."""
        return iter(())


class MeteredComponent(Component):
    metric: Identifier
    usage_based: ClassVar[bool] = True

    def metrics(self) -> frozenset[str]:
        return frozenset((self.metric,))

    def quantity(self, usage: Usage) -> Decimal:
        return usage.quantities.get(self.metric, ZERO)


# --- fixed fees ------------------------------------------------------------------------


def _prorated(price: Decimal, label: str, usage: Usage) -> tuple[Decimal, str]:
    """A yearly price and its label, prorated by months in a short last contract year."""
    if usage.year_months == 12:
        return price, label
    return price * usage.year_months / 12, f"{label}, {usage.year_months} of 12 months"


class FlatFee(Component):
    """A recurring fee such as a platform fee: per month, or per year billed in the first
    month of each contract year (prorated by months in a short last year: a 12,000 fee in a
    2-month last year is 12,000 x 2 / 12 = 2,000)."""

    kind: Literal["flat_fee"] = "flat_fee"
    amount: NonNegative
    interval: Interval = "month"
    label: ClassVar[str] = "Recurring fee"

    def billed_yearly(self) -> bool:
        return self.interval == "year"

    def charge(self, usage: Usage) -> Charge:
        if self.interval == "month":
            return _charge(_line(f"{self.name} (per month)", ONE, usage.escalate(self.amount)))
        if usage.month_of_year != 1:
            return NO_CHARGE
        price, label = _prorated(usage.escalate(self.amount), f"{self.name} (per year)", usage)
        return _charge(_line(label, ONE, price))

    def escalated_prices(self) -> Iterator[EscalatedPrice]:
        yield ("amount", ".amount", self.amount, None)


class OneTimeFee(Component):
    """A fee charged once, in the given month of the contract (onboarding, setup)."""

    kind: Literal["one_time_fee"] = "one_time_fee"
    amount: NonNegative
    month: WholeNumber = Field(default=1, ge=1)
    recurring: ClassVar[bool] = False
    escalates: ClassVar[bool] = False
    label: ClassVar[str] = "One-time fee"

    def charge(self, usage: Usage) -> Charge:
        if usage.month != self.month:
            return NO_CHARGE
        return _charge(_line(self.name, Decimal(1), self.amount))


# --- metered prices --------------------------------------------------------------------


class PerUnit(MeteredComponent):
    """Every unit of the metric at one price."""

    kind: Literal["per_unit"] = "per_unit"
    unit_price: NonNegative
    label: ClassVar[str] = "Per unit"

    def charge(self, usage: Usage) -> Charge:
        q = self.quantity(usage)
        return _charge(_line(f"{self.metric}", q, usage.escalate(self.unit_price)))

    def escalated_prices(self) -> Iterator[EscalatedPrice]:
        yield ("unit_price", ".unit_price", self.unit_price, None)


class Tier(BaseModel):
    """A price tier. It covers quantities above ``from`` (the previous tier's ``up_to``,
    0 for the first tier) up to and including ``up_to``; ``up_to`` is empty on the last,
    unbounded tier."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    from_: NonNegative | None = Field(default=None, alias="from")
    up_to: Positive | None = None
    unit_price: NonNegative = ZERO
    flat_fee: NonNegative = ZERO


def _tier_label(lower: Decimal, upper: Decimal | None) -> str:
    if upper is None:
        return f"above {lower.normalize():f}"
    return f"{lower.normalize():f}-{upper.normalize():f}"


class TieredComponent(MeteredComponent):
    tiers: list[Tier] = Field(min_length=1, max_length=50)
    _bounds: list[tuple[Decimal, Decimal | None, Tier, str]] = PrivateAttr(default_factory=list)

    @field_validator("tiers")
    @classmethod
    def _tiers_are_contiguous(cls, tiers: list[Tier]) -> list[Tier]:
        previous = ZERO
        for number, tier in enumerate(tiers, start=1):
            if tier.from_ is not None and tier.from_ != previous:
                problem = "a gap" if tier.from_ > previous else "an overlap"
                raise ValueError(
                    f"tier {number} starts at {tier.from_} but the tier before ends at "
                    f"{previous}: {problem}; each tier starts where the previous one ends"
                )
            if tier.up_to is None:
                if number != len(tiers):
                    raise ValueError(f"tier {number} has no upper bound but is not the last tier")
                break
            if tier.up_to <= previous:
                raise ValueError(
                    f"tier {number} ends at {tier.up_to}, not above where it starts ({previous}): "
                    "upper bounds must increase"
                )
            previous = tier.up_to
        else:
            raise ValueError("the last tier must have no upper bound (up_to empty)")
        return tiers

    def model_post_init(self, context: Any, /) -> None:
        bounds = []
        lower = ZERO
        for number, tier in enumerate(self.tiers, start=1):
            bounds.append(
                (lower, tier.up_to, tier, f"Tier {number} ({_tier_label(lower, tier.up_to)})")
            )
            if tier.up_to is not None:
                lower = tier.up_to
        self._bounds = bounds

    def bounds(self) -> list[tuple[Decimal, Decimal | None, Tier, str]]:
        """(exclusive lower bound, inclusive upper bound, tier, label) for each tier."""
        return self._bounds

    def escalated_prices(self) -> Iterator[EscalatedPrice]:
        for j, tier in enumerate(self.tiers):
            yield ("tier_unit_price", f".tiers[{j}].unit_price", tier.unit_price, j + 1)
            yield ("tier_flat_fee", f".tiers[{j}].flat_fee", tier.flat_fee, j + 1)


def _first_tier_fee(component: TieredComponent, usage: Usage) -> Charge:
    """Zero usage: the first tier's flat fee (Lago and Stripe bill it), or nothing."""
    _lower, _upper, tier, label = component.bounds()[0]
    if not tier.flat_fee:
        return NO_CHARGE
    return _charge(
        _line(label, ZERO, usage.escalate(tier.unit_price), usage.escalate(tier.flat_fee))
    )


class Graduated(TieredComponent):
    """Each tier prices the units inside it (like income-tax brackets)."""

    kind: Literal["graduated"] = "graduated"
    label: ClassVar[str] = "Graduated tiers"

    def charge(self, usage: Usage) -> Charge:
        q = self.quantity(usage)
        if q == 0:
            return _first_tier_fee(self, usage)
        lines = []
        for lower, upper, tier, label in self.bounds():
            if q <= lower:
                break
            top = q if upper is None or q < upper else upper
            lines.append(
                _line(
                    label,
                    top - lower,
                    usage.escalate(tier.unit_price),
                    usage.escalate(tier.flat_fee),
                )
            )
        return _charge(*lines)


class Volume(TieredComponent):
    """All units at the price of the tier the total quantity falls into."""

    kind: Literal["volume"] = "volume"
    label: ClassVar[str] = "Volume tiers"

    def charge(self, usage: Usage) -> Charge:
        q = self.quantity(usage)
        if q == 0:
            return _first_tier_fee(self, usage)
        for _lower, upper, tier, label in self.bounds():
            if upper is None or q <= upper:
                return _charge(
                    _line(
                        f"{label}, all units",
                        q,
                        usage.escalate(tier.unit_price),
                        usage.escalate(tier.flat_fee),
                    )
                )
        raise AssertionError("validated tiers always end unbounded")


class Package(MeteredComponent):
    """Blocks of ``package_size`` units at ``package_price``, a started block counting in
    full, after ``free_units``."""

    kind: Literal["package"] = "package"
    package_size: Positive
    package_price: NonNegative
    free_units: NonNegative = ZERO
    label: ClassVar[str] = "Package"

    def charge(self, usage: Usage) -> Charge:
        q = self.quantity(usage)
        paid = max(ZERO, q - self.free_units)
        blocks = (paid / self.package_size).to_integral_value(rounding=ROUND_CEILING)
        lines = []
        if self.free_units and q:
            lines.append(_line("Free units", min(q, self.free_units), ZERO))
        lines.append(
            _line(
                f"Blocks of {self.package_size.normalize():f}",
                blocks,
                usage.escalate(self.package_price),
            )
        )
        return _charge(*lines)

    def escalated_prices(self) -> Iterator[EscalatedPrice]:
        yield ("package_price", ".package_price", self.package_price, None)


class AllowanceOverage(MeteredComponent):
    """An included allowance per month (fixed, plus optionally per seat of a seats
    component); units above it are charged at the overage price."""

    kind: Literal["allowance_overage"] = "allowance_overage"
    included: NonNegative = ZERO
    included_per_seat: NonNegative = ZERO
    seats_component: Identifier | None = None
    overage_unit_price: NonNegative
    label: ClassVar[str] = "Included usage + overage"

    @model_validator(mode="after")
    def _per_seat_needs_seats(self) -> "AllowanceOverage":
        if self.included_per_seat and self.seats_component is None:
            raise ValueError("included_per_seat needs seats_component: the seats it is counted per")
        return self

    def seat_sources(self) -> frozenset[str]:
        return frozenset((self.seats_component,)) if self.seats_component else frozenset()

    def allowance(self, usage: Usage) -> Decimal:
        seats = usage.seats.get(self.seats_component, ZERO) if self.seats_component else ZERO
        return self.included + self.included_per_seat * seats

    def charge(self, usage: Usage) -> Charge:
        q = self.quantity(usage)
        allowance = self.allowance(usage)
        return _charge(
            _line("Included", min(q, allowance), ZERO),
            _line("Overage", max(ZERO, q - allowance), usage.escalate(self.overage_unit_price)),
        )

    def escalated_prices(self) -> Iterator[EscalatedPrice]:
        yield ("overage_unit_price", ".overage_unit_price", self.overage_unit_price, None)


class Seats(Component):
    """Seats of one tier (Individual, Team, Enterprise ...) at a price per seat, per month
    or per year (billed in the first month of each contract year, prorated by months in a
    short last year); the tier lists the features it includes, e.g. whether AI is in it."""

    kind: Literal["seats"] = "seats"
    tier: ShortText = ""
    seats: SeatCount
    price_per_seat: NonNegative
    interval: Interval = "month"
    features: list[ShortText] = Field(default_factory=list, max_length=50)
    includes_ai: bool = False
    label: ClassVar[str] = "Seats"

    def billed_yearly(self) -> bool:
        return self.interval == "year"

    def charge(self, usage: Usage) -> Charge:
        label = f"Seats ({self.tier})" if self.tier else "Seats"
        price = usage.escalate(self.price_per_seat)
        count = usage.seats.get(self.id, Decimal(self.seats))
        if self.interval == "month":
            return _charge(_line(label, count, price))
        if usage.month_of_year != 1:
            return NO_CHARGE
        price, label = _prorated(price, label, usage)
        return _charge(_line(label, count, price))

    def escalated_prices(self) -> Iterator[EscalatedPrice]:
        yield ("price_per_seat", ".price_per_seat", self.price_per_seat, None)


class CreditPack(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    credits: Positive
    price: NonNegative


class Credits(Component):
    """AI credits: a monthly allocation (per seat and/or a pool), burned by actions at a
    rate per action type. Credits used beyond what is available are bought at the overage
    price per credit, or in packs (a started pack counts in full).

    Each month uses the month's allocation first, then allocation credits rolled over from
    earlier months, then credits bought in packs earlier. Unused allocation credits expire at
    month end (``rollover_months`` 0) or roll over, up to ``rollover_months`` x the
    allocation. Credits bought in packs never expire during the term."""

    # (The docstring is the component editor's help text, translated in the ui catalogs.)
    # The breakdown says where the credits used came from, so that its quantities add up
    # to the credits used: from the allocation, rolled over, from packs (bought in an
    # earlier month or this one), then the packs bought with their price (or the overage
    # credits at theirs).

    kind: Literal["credits"] = "credits"
    allocation_per_seat: NonNegative = ZERO
    allocation_pool: NonNegative = ZERO
    seats_component: Identifier | None = None
    burn: dict[Identifier, NonNegative] = Field(min_length=1, max_length=20)
    overage_price_per_credit: NonNegative | None = None
    pack: CreditPack | None = None
    rollover_months: WholeNumber = Field(default=0, ge=0, le=36)
    label: ClassVar[str] = "AI credits"
    usage_based: ClassVar[bool] = True
    stateful: ClassVar[bool] = True

    @model_validator(mode="after")
    def _consistent(self) -> "Credits":
        if self.allocation_per_seat and self.seats_component is None:
            raise ValueError(
                "allocation_per_seat needs seats_component: the seats it is counted per"
            )
        if (self.overage_price_per_credit is None) == (self.pack is None):
            raise ValueError(
                "set exactly one of overage_price_per_credit or pack: how extra credits are bought"
            )
        return self

    def metrics(self) -> frozenset[str]:
        return frozenset(self.burn)

    def seat_sources(self) -> frozenset[str]:
        return frozenset((self.seats_component,)) if self.seats_component else frozenset()

    def allocation(self, seats: Mapping[str, Decimal]) -> Decimal:
        count = seats.get(self.seats_component, ZERO) if self.seats_component else ZERO
        return self.allocation_pool + self.allocation_per_seat * count

    def credits_used(self, quantities: Mapping[str, Decimal]) -> Decimal:
        return sum((quantities.get(m, ZERO) * rate for m, rate in self.burn.items()), ZERO)

    def charge(self, usage: Usage) -> Charge:
        # State carried from month to month: (rolled-over allocation, purchased credits left).
        allocation = self.allocation(usage.seats)
        rolled, bought = usage.state or (ZERO, ZERO)
        used = self.credits_used(usage.quantities)
        # Allocation first, then rolled-over allocation, then credits bought earlier.
        from_allocation = min(used, allocation)
        short = used - from_allocation
        from_rolled = min(short, rolled)
        short -= from_rolled
        from_bought = min(short, bought)
        short -= from_bought
        lines = [_line("Credits used from allocation", from_allocation, ZERO)]
        if self.rollover_months:
            lines.append(_line("Rolled-over credits used", from_rolled, ZERO))
            unused = allocation - from_allocation + rolled - from_rolled
            rolled_out = min(unused, allocation * self.rollover_months)
        else:
            rolled_out = ZERO
        if self.pack is not None:
            packs = (short / self.pack.credits).to_integral_value(rounding=ROUND_CEILING)
            bought_out = bought - from_bought + packs * self.pack.credits - short
            # Every credit taken from packs, bought in an earlier month or in this one: with
            # the allocation (and rolled-over) lines it adds up to the credits used. The
            # packs line carries the price.
            lines.append(_line("Credits used from packs", from_bought + short, ZERO))
            lines.append(
                _line(
                    f"Credit packs of {self.pack.credits.normalize():f}",
                    packs,
                    usage.escalate(self.pack.price),
                )
            )
        else:
            assert self.overage_price_per_credit is not None
            bought_out = ZERO
            lines.append(
                _line("Overage credits", short, usage.escalate(self.overage_price_per_credit))
            )
        return _charge(*lines, state_out=(rolled_out, bought_out))

    # --- outcome and value pricing ---------------------------------------------------------

    def escalated_prices(self) -> Iterator[EscalatedPrice]:
        if self.pack is not None:
            yield ("pack_price", ".pack.price", self.pack.price, None)
        if self.overage_price_per_credit is not None:
            yield (
                "overage_price_per_credit",
                ".overage_price_per_credit",
                self.overage_price_per_credit,
                None,
            )


class OutcomeTerms(BaseModel):
    """How an outcome is measured; the contract prints these terms. Missing terms are a
    blocking warning, not a load error, so a rep can save a draft."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_int(cls, value: Any, info: ValidationInfo) -> Any:
        return refuse_bool_for_whole_number(cls, value, info.field_name)

    definition: LongText = ""
    """What counts as one outcome."""
    success_criteria: LongText = ""
    verification_evidence: LongText = ""
    """The records that prove an outcome (logs, tickets closed without escalation ...)."""
    dispute_window_days: int | None = Field(default=None, ge=1, le=365)
    audit_rights: LongText = ""


class PerOutcome(MeteredComponent):
    """A price per successful outcome (a resolved ticket, a reviewed contract)."""

    kind: Literal["per_outcome"] = "per_outcome"
    price_per_outcome: NonNegative
    terms: OutcomeTerms = Field(default_factory=OutcomeTerms)
    label: ClassVar[str] = "Per outcome"

    def charge(self, usage: Usage) -> Charge:
        return _charge(
            _line("Outcomes", self.quantity(usage), usage.escalate(self.price_per_outcome))
        )

    def escalated_prices(self) -> Iterator[EscalatedPrice]:
        yield ("price_per_outcome", ".price_per_outcome", self.price_per_outcome, None)


AttributionMethod = Literal["baseline_comparison", "holdout_group", "rule_based", "custom"]


class AttributionTerms(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_int(cls, value: Any, info: ValidationInfo) -> Any:
        return refuse_bool_for_whole_number(cls, value, info.field_name)

    method: AttributionMethod | None = None
    description: LongText = ""
    lookback_days: int | None = Field(default=None, ge=1, le=730)
    dispute_process: LongText = ""


class PercentOfValue(MeteredComponent):
    """A share of the value attributed to the AI each month (e.g. 0.5 percent of incremental
    revenue): ``percent x max(0, attributed value - baseline)``, raised to the floor and
    limited to the cap per month. The metric's quantity is the attributed value in the
    quote's currency. Not escalated: the share is the price."""

    kind: Literal["percent_of_value"] = "percent_of_value"
    percent: Percent
    baseline: NonNegative | None = None
    floor: NonNegative | None = None
    cap: NonNegative | None = None
    attribution: AttributionTerms = Field(default_factory=AttributionTerms)
    escalates: ClassVar[bool] = False
    label: ClassVar[str] = "Percent of attributed value"

    @model_validator(mode="after")
    def _floor_below_cap(self) -> "PercentOfValue":
        if self.floor is not None and self.cap is not None and self.floor > self.cap:
            raise ValueError(f"floor ({self.floor}) is above cap ({self.cap})")
        return self

    def charge(self, usage: Usage) -> Charge:
        value = self.quantity(usage)
        above = max(ZERO, value - (self.baseline or ZERO))
        share = above * self.percent / HUNDRED
        lines = [
            _line(
                f"{self.percent.normalize():f}% of attributed value above baseline",
                above,
                self.percent / HUNDRED,
            )
        ]
        if self.floor is not None and share < self.floor:
            lines.append(_line("Raised to the monthly floor", Decimal(1), self.floor - share))
        elif self.cap is not None and share > self.cap:
            lines.append(_line("Limited to the monthly cap", Decimal(1), self.cap - share))
        return _charge(*lines)


def exact_fees_key(component_id: str) -> str:
    """The key under which ``Usage.quantities`` may carry a transaction-fee component's
    exact fees for the month (the sum of each transaction's clamped fee, read from a usage
    log). A ``:`` never appears in a metric name, so it cannot collide with one."""
    return f"{component_id}:fees"


class TransactionFee(MeteredComponent):
    """A percent of each transaction's value plus a fixed fee per transaction, each
    transaction's fee raised to a minimum and limited to a maximum (payments, fraud
    screening, checkout AI: "1.5 % + 0.10, at least 0.50, at most 5 per transaction").

    ``metric`` is the transactions' value in the quote's currency, ``count_metric`` their
    number. From a forecast (totals only) every transaction is taken at the average value,
    value / count: exact when transactions are alike, an estimate otherwise (a mix of small
    and large payments clamps differently). From a usage log the fee of each transaction is
    computed and summed as the log is read (``exact_fees_key``): exact. Not escalated: the
    percent and the per-transaction amounts are the price, as for a share of value."""

    kind: Literal["transaction_fee"] = "transaction_fee"
    count_metric: Identifier
    percent: Percent
    fixed_fee: NonNegative = ZERO
    minimum_fee: NonNegative | None = None
    maximum_fee: NonNegative | None = None
    escalates: ClassVar[bool] = False
    label: ClassVar[str] = "Percent + fee per transaction"

    @model_validator(mode="after")
    def _consistent(self) -> "TransactionFee":
        if self.count_metric == self.metric:
            raise ValueError(
                "count_metric must differ from metric: one counts transactions, the other "
                "sums their value"
            )
        if (
            self.minimum_fee is not None
            and self.maximum_fee is not None
            and self.minimum_fee > self.maximum_fee
        ):
            raise ValueError(
                f"the minimum per transaction (minimum_fee, {self.minimum_fee}) is above the "
                f"maximum per transaction (maximum_fee, {self.maximum_fee})"
            )
        return self

    def metrics(self) -> frozenset[str]:
        return frozenset((self.metric, self.count_metric))

    def fee_for(self, value: Decimal) -> Decimal:
        """The fee of one transaction of ``value``: percent x value + fixed fee, raised to
        the minimum, limited to the maximum."""
        fee = value * self.percent / HUNDRED + self.fixed_fee
        if self.minimum_fee is not None and fee < self.minimum_fee:
            return self.minimum_fee
        if self.maximum_fee is not None and fee > self.maximum_fee:
            return self.maximum_fee
        return fee

    def charge(self, usage: Usage) -> Charge:
        count = usage.quantities.get(self.count_metric, ZERO)
        value = self.quantity(usage)
        exact = usage.quantities.get(exact_fees_key(self.id))
        if exact is not None:
            each = exact / count if count else ZERO
            return _charge(
                BreakdownLine("Transactions, each fee as logged", count, each, ZERO, exact)
            )
        share = f"{self.percent.normalize():f}% of transaction value"
        if not count:
            # No transactions counted: the percent of the value only, no per-transaction rule.
            return _charge(_line(share, value, self.percent / HUNDRED)) if value else NO_CHARGE
        lines = [_line(share, value, self.percent / HUNDRED)]
        if self.fixed_fee:
            lines.append(_line("Fixed fee per transaction", count, self.fixed_fee))
        raw = value / count * self.percent / HUNDRED + self.fixed_fee
        each = self.fee_for(value / count)
        if each > raw:
            lines.append(_line("Raised to the minimum per transaction", count, each - raw))
        elif each < raw:
            lines.append(_line("Limited to the maximum per transaction", count, each - raw))
        return _charge(*lines)


TRUE_UP_LABEL = "True-up to minimum commitment"
"""The breakdown line of a minimum commitment's true-up."""


class MinimumCommitment(Component):
    """A minimum spend per month or per contract year. When the components it applies to
    (by default every usage-based one) bill less, after their discounts, a true-up line
    bills the difference at the end of the window. A short last contract year has its
    yearly commitment prorated by months. Not escalated and not discounted: it is a
    contract amount."""

    kind: Literal["minimum_commitment"] = "minimum_commitment"
    amount: Positive
    period: Interval = "year"
    applies_to: list[Identifier] | None = Field(default=None, min_length=1, max_length=100)
    escalates: ClassVar[bool] = False
    label: ClassVar[str] = "Minimum commitment"

    def window_amount(self, months: int) -> Decimal:
        """The minimum of a window of ``months`` months (a short last year prorated)."""
        if self.period == "year" and months != 12:
            return self.amount * months / 12
        return self.amount

    def charge(self, usage: Usage) -> Charge:
        commitment = self.window_amount(usage.window_months)
        # Spend after discounts is never below zero over a window, but a monthly window
        # can see only the discounts of a yearly fee billed earlier: count it as nothing.
        shortfall = max(ZERO, commitment - max(ZERO, usage.committed_spend))
        return _charge(_line(TRUE_UP_LABEL, Decimal(1), shortfall))


AnyComponent = Annotated[
    FlatFee
    | OneTimeFee
    | PerUnit
    | Graduated
    | Volume
    | Package
    | AllowanceOverage
    | Seats
    | Credits
    | PerOutcome
    | PercentOfValue
    | TransactionFee
    | MinimumCommitment,
    Field(discriminator="kind"),
]

COMPONENT_KINDS: dict[str, type[Component]] = {
    cls.model_fields["kind"].default: cls
    for cls in (
        FlatFee,
        OneTimeFee,
        PerUnit,
        Graduated,
        Volume,
        Package,
        AllowanceOverage,
        Seats,
        Credits,
        PerOutcome,
        PercentOfValue,
        TransactionFee,
        MinimumCommitment,
    )
}
