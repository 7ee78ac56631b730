"""Charge components, one table per kind: zero, each tier edge, fractions.

Each row carries the arithmetic beside the expected amount. The rules follow Stripe and
Lago: inclusive upper bounds, a graduated tier's flat fee when the quantity reaches into it,
volume pricing of all units at the reached tier, zero usage bills the first tier's flat
fee (nothing when the first tier has none).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from quote_builder.pricing.components import (
    AllowanceOverage,
    Charge,
    Component,
    Credits,
    FlatFee,
    Graduated,
    MinimumCommitment,
    OneTimeFee,
    Package,
    PercentOfValue,
    PerOutcome,
    PerUnit,
    Seats,
    Usage,
    Volume,
)
from quote_builder.pricing.factory import UnknownComponentKindError, component_from_dict

D = Decimal


def charge(
    component: Component,
    quantity: str = "0",
    *,
    metric: str = "units",
    seats: dict[str, str] | None = None,
    month: int = 1,
    month_of_year: int = 1,
    year_months: int = 12,
    factor: str = "1",
    spend: str = "0",
    window: int = 12,
) -> Charge:
    return component.charge(
        Usage(
            quantities={metric: D(quantity)},
            seats={k: D(v) for k, v in (seats or {}).items()},
            month=month,
            month_of_year=month_of_year,
            year_months=year_months,
            price_factor=D(factor),
            committed_spend=D(spend),
            window_months=window,
        )
    )


def amount(component: Component, quantity: str = "0", **kwargs: object) -> Decimal:
    return charge(component, quantity, **kwargs).amount  # type: ignore[arg-type]


# --- graduated -----------------------------------------------------------------------------
# Tiers: 0-10 at 10 (+2 flat), 10-20 at 5 (+3 flat), above 20 at 1 (no flat).
GRADUATED = Graduated(
    id="g",
    name="Graduated",
    metric="units",
    tiers=[
        {"up_to": "10", "unit_price": "10", "flat_fee": "2"},
        {"up_to": "20", "unit_price": "5", "flat_fee": "3"},
        {"unit_price": "1"},
    ],
)


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        ("0", "2"),  # zero usage: tier 1's flat fee, 0 x 10 + 2 (Lago, Stripe)
        ("1", "12"),  # 1 x 10 + 2
        ("10", "102"),  # 10 x 10 + 2: the upper bound is inclusive, still tier 1
        ("10.5", "107.5"),  # 102 + 0.5 x 5 + 3: a fraction reaches tier 2 and its flat fee
        ("11", "110"),  # 102 + 1 x 5 + 3
        ("20", "155"),  # 102 + 10 x 5 + 3
        ("21", "156"),  # 155 + 1 x 1
        ("100", "235"),  # 155 + 80 x 1
    ],
)
def test_graduated(quantity: str, expected: str) -> None:
    assert amount(GRADUATED, quantity) == D(expected)


def test_graduated_breakdown_is_tier_by_tier() -> None:
    result = charge(GRADUATED, "25")
    assert [(line.label, line.quantity, line.amount) for line in result.lines] == [
        ("Tier 1 (0-10)", D(10), D(102)),  # 10 x 10 + 2
        ("Tier 2 (10-20)", D(10), D(53)),  # 10 x 5 + 3
        ("Tier 3 (above 20)", D(5), D(5)),  # 5 x 1
    ]
    assert result.amount == sum(line.amount for line in result.lines)


# --- volume --------------------------------------------------------------------------------
VOLUME = Volume(
    id="v",
    name="Volume",
    metric="units",
    tiers=[
        {"up_to": "100", "unit_price": "2"},
        {"up_to": "1000", "unit_price": "1.5", "flat_fee": "10"},
        {"unit_price": "1"},
    ],
)


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        ("0", "0"),  # zero usage: tier 1 has no flat fee, so 0 x 2 + 0 = 0
        ("1", "2"),  # 1 x 2
        ("100", "200"),  # 100 x 2: inclusive upper bound keeps tier 1
        ("100.5", "160.75"),  # 100.5 x 1.5 + 10: every unit at tier 2
        ("1000", "1510"),  # 1,000 x 1.5 + 10
        ("1001", "1001"),  # 1,001 x 1: all units drop to tier 3
    ],
)
def test_volume(quantity: str, expected: str) -> None:
    assert amount(VOLUME, quantity) == D(expected)


# Zero usage on tiers whose first tier has a flat fee: Lago and Stripe bill that fee for
# graduated and volume tiers alike; a free first tier (no flat fee) bills nothing.
FLAT_FIRST = [
    {"up_to": "100", "unit_price": "2", "flat_fee": "50"},
    {"unit_price": "1", "flat_fee": "20"},
]
FREE_FIRST = [{"up_to": "100", "unit_price": "0"}, {"unit_price": "1"}]


@pytest.mark.parametrize(
    ("kind", "tiers", "quantity", "expected"),
    [
        (Graduated, FLAT_FIRST, "0", "50"),  # 0 x 2 + 50: the first tier's flat fee
        (Volume, FLAT_FIRST, "0", "50"),  # 0 x 2 + 50
        (Graduated, FLAT_FIRST, "0.5", "51"),  # 0.5 x 2 + 50
        (Volume, FLAT_FIRST, "101", "121"),  # 101 x 1 + 20: only the reached tier's fee
        (Graduated, FLAT_FIRST, "101", "271"),  # 100 x 2 + 50 + 1 x 1 + 20
        (Graduated, FREE_FIRST, "0", "0"),  # a free first tier: nothing at zero usage
        (Volume, FREE_FIRST, "0", "0"),
    ],
)
def test_zero_usage_bills_the_first_tier_flat_fee(
    kind: type[Graduated] | type[Volume], tiers: list[dict[str, str]], quantity: str, expected: str
) -> None:
    component = kind(id="t", name="Tiers", metric="units", tiers=tiers)  # type: ignore[arg-type]
    result = charge(component, quantity)
    assert result.amount == D(expected)
    if quantity == "0" and expected != "0":
        # Explained as a line of tier 1: 0 units and its flat fee.
        assert [(line.label, line.quantity, line.flat_fee) for line in result.lines] == [
            ("Tier 1 (0-100)", D(0), D(50))
        ]


# --- package -------------------------------------------------------------------------------
PACKAGE = Package(
    id="p", name="Package", metric="units", package_size="100", package_price="25", free_units="50"
)


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        ("0", "0"),  # nothing used
        ("50", "0"),  # all free
        ("50.5", "25"),  # 0.5 paid units start a block: ceil(0.5 / 100) = 1 x 25
        ("150", "25"),  # 100 paid = exactly 1 block
        ("151", "50"),  # 101 paid = ceil(1.01) = 2 blocks
        ("1050", "250"),  # 1,000 paid = 10 blocks x 25
    ],
)
def test_package(quantity: str, expected: str) -> None:
    assert amount(PACKAGE, quantity) == D(expected)


# --- per unit, flat, one-time ------------------------------------------------------------
@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        ("0", "0"),
        ("1", "0.0004"),  # a token price keeps its precision: no rounding inside a component
        ("1234567", "493.8268"),  # 1,234,567 x 0.0004
    ],
)
def test_per_unit(quantity: str, expected: str) -> None:
    component = PerUnit(id="t", name="Tokens", metric="units", unit_price="0.0004")
    assert amount(component, quantity) == D(expected)


def test_flat_fee_monthly_and_yearly() -> None:
    monthly = FlatFee(id="f", name="Platform", amount="500")
    yearly = FlatFee(id="y", name="Platform", amount="6000", interval="year")
    assert amount(monthly, month_of_year=7) == D("500")
    assert amount(yearly, month_of_year=1) == D("6000")  # billed in month 1 of each year
    assert amount(yearly, month_of_year=2) == D("0")
    assert amount(monthly, factor="1.05") == D("525.00")  # escalated: 500 x 1.05


YEARLY_FEE = FlatFee(id="y", name="Platform", amount="12000", interval="year")
YEARLY_SEATS = Seats(
    id="s", name="Annual", tier="Team", seats=10, price_per_seat="1200", interval="year"
)


@pytest.mark.parametrize(
    ("component", "month_of_year", "year_months", "factor", "expected"),
    [
        (YEARLY_FEE, 1, 12, "1", "12000"),  # a full contract year: the full fee
        (YEARLY_FEE, 2, 12, "1", "0"),  # billed in month 1 of the year only
        (YEARLY_FEE, 1, 2, "1", "2000"),  # a 2-month last year: 12,000 x 2 / 12
        (YEARLY_FEE, 1, 5, "1", "5000"),  # 12,000 x 5 / 12
        (YEARLY_FEE, 1, 6, "1.05", "6300"),  # escalated, then prorated: 12,600 x 6 / 12
        (YEARLY_FEE, 2, 2, "1", "0"),
        (YEARLY_SEATS, 1, 12, "1", "12000"),  # 10 x 1,200
        (YEARLY_SEATS, 1, 2, "1", "2000"),  # 10 x 1,200 x 2 / 12 = 10 x 200
        (YEARLY_SEATS, 1, 11, "1", "11000"),  # 10 x 1,200 x 11 / 12 = 10 x 1,100
        (YEARLY_SEATS, 3, 2, "1", "0"),
    ],
)
def test_yearly_fees_are_prorated_in_a_short_last_year(
    component: Component, month_of_year: int, year_months: int, factor: str, expected: str
) -> None:
    result = charge(component, month_of_year=month_of_year, year_months=year_months, factor=factor)
    assert result.amount == D(expected)


def test_a_prorated_yearly_fee_says_so_in_its_breakdown() -> None:
    assert [line.label for line in charge(YEARLY_FEE, year_months=2).lines] == [
        "Platform (per year), 2 of 12 months"
    ]
    line = charge(YEARLY_SEATS, year_months=2).lines[0]
    assert (line.label, line.quantity, line.unit_price) == (
        "Seats (Team), 2 of 12 months",
        D(10),
        D(200),  # 1,200 x 2 / 12 a seat
    )
    assert charge(YEARLY_SEATS).lines[0].label == "Seats (Team)"  # a full year: as before


def test_one_time_fee_only_in_its_month() -> None:
    fee = OneTimeFee(id="o", name="Onboarding", amount="2500")
    assert amount(fee, month=1) == D("2500")
    assert amount(fee, month=2) == D("0")
    assert not fee.recurring and not fee.escalates


# --- allowance + overage -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("quantity", "seats", "expected"),
    [
        ("0", "0", "0"),
        ("1000", "0", "0"),  # exactly the fixed allowance
        ("1000.5", "0", "0.125"),  # 0.5 over x 0.25
        ("1500", "0", "125"),  # 500 over x 0.25
        ("1500", "10", "0"),  # allowance 1,000 + 10 seats x 50 = 1,500
        ("2000", "10", "125"),  # 500 over x 0.25
    ],
)
def test_allowance_overage(quantity: str, seats: str, expected: str) -> None:
    component = AllowanceOverage(
        id="a",
        name="Operations",
        metric="units",
        included="1000",
        included_per_seat="50",
        seats_component="seats",
        overage_unit_price="0.25",
    )
    assert amount(component, quantity, seats={"seats": seats}) == D(expected)


def test_allowance_per_seat_needs_a_seats_component() -> None:
    with pytest.raises(ValidationError, match="seats_component"):
        AllowanceOverage(
            id="a", name="A", metric="units", included_per_seat="5", overage_unit_price="1"
        )


# --- seats -------------------------------------------------------------------------------
def test_seats_count_price_and_tier() -> None:
    seats = Seats(
        id="s",
        name="Enterprise",
        tier="Enterprise",
        seats=20,
        price_per_seat="45",
        includes_ai=True,
        features=["SSO", "AI"],
    )
    assert amount(seats) == D("900")  # 20 x 45
    assert amount(seats, seats={"s": "30"}) == D("1350")  # ramped to 30 x 45
    assert charge(seats).lines[0].label == "Seats (Enterprise)"
    yearly = Seats(id="y", name="Annual", seats=10, price_per_seat="360", interval="year")
    assert amount(yearly, month_of_year=1) == D("3600")  # 10 x 360, billed once a year
    assert amount(yearly, month_of_year=5) == D("0")


# --- credits -------------------------------------------------------------------------------
def credits(**overrides: object) -> Credits:
    fields: dict[str, object] = {
        "id": "c",
        "name": "AI credits",
        "seats_component": "seats",
        "allocation_per_seat": "100",
        "burn": {"chat": "1", "agent": "5"},
        "overage_price_per_credit": "0.02",
    }
    fields.update(overrides)
    return Credits.model_validate(fields)


def credit_charge(
    component: Credits,
    chat: str,
    agent: str,
    seats: str = "10",
    state: tuple[Decimal, ...] = (),
) -> Charge:
    return component.charge(
        Usage(
            quantities={"chat": D(chat), "agent": D(agent)},
            seats={"seats": D(seats)},
            state=state,
        )
    )


@pytest.mark.parametrize(
    ("chat", "agent", "expected"),
    [
        ("0", "0", "0"),
        ("500", "100", "0"),  # 500 x 1 + 100 x 5 = 1,000 used = 10 seats x 100 allocated
        ("501", "100", "0.02"),  # 1 credit over x 0.02
        ("1000", "200", "20"),  # 2,000 used, 1,000 over x 0.02
    ],
)
def test_credits_overage(chat: str, agent: str, expected: str) -> None:
    assert credit_charge(credits(), chat, agent).amount == D(expected)


def test_credit_packs_round_up() -> None:
    component = credits(overage_price_per_credit=None, pack={"credits": "500", "price": "8"})
    assert credit_charge(component, "1001", "0").amount == D("8")  # 1 over: 1 pack x 8
    assert credit_charge(component, "1500", "0").amount == D("8")  # 500 over: 1 pack
    assert credit_charge(component, "1501", "0").amount == D("16")  # 501 over: 2 packs


def test_credits_expire_or_roll_over() -> None:
    # State carried between months: (rolled-over allocation credits, purchased credits left).
    expiring = credits()
    assert credit_charge(expiring, "400", "0").state_out == (D(0), D(0))  # unused 600 expire
    rolling = credits(rollover_months=1)
    first = credit_charge(rolling, "400", "0")
    assert first.state_out == (D(600), D(0))  # 1,000 - 400 unused, cap 1 x 1,000
    second = credit_charge(rolling, "1500", "0", state=first.state_out)
    assert second.amount == D("0")  # 1,500 used of 1,000 + 600 available
    assert second.state_out == (D(100), D(0))  # 1,600 - 1,500
    capped = credit_charge(rolling, "0", "0", state=(D(900), D(0)))
    assert capped.state_out == (D(1000), D(0))  # 1,900 unused, capped at 1 month's 1,000


def run_months(component: Credits, used: list[str], seats: str = "10") -> list[Charge]:
    """Price consecutive months, handing each month's state to the next (as the engine)."""
    results: list[Charge] = []
    state: tuple[Decimal, ...] = ()
    for chat in used:
        results.append(credit_charge(component, chat, "0", seats=seats, state=state))
        state = results[-1].state_out
    return results


@pytest.mark.parametrize(
    ("overrides", "used", "expected"),
    [
        # Packs of 10,000 at 150 and no allocation; 100 credits used a month. The pack's
        # surplus never expires: one pack lasts all three months.
        (
            {"allocation_per_seat": "0", "rollover_months": 12},
            ["100", "100", "100"],
            [("150", "0", "9900"), ("0", "0", "9800"), ("0", "0", "9700")],
        ),
        # The same with rollover_months 0: allocation credits would expire, pack credits not.
        (
            {"allocation_per_seat": "0"},
            ["100", "100"],
            [("150", "0", "9900"), ("0", "0", "9800")],
        ),
        # Allocation 10 seats x 100 = 1,000; rollover 1 month (cap 1,000); packs of 500 at 8.
        (
            {"rollover_months": 1, "pack_size": "500"},
            ["400", "1900", "1100", "500", "1550"],
            [
                ("0", "600", "0"),  # 400 of 1,000 used: 600 roll over
                # 1,000 allocation + 600 rolled over = 1,600; 300 short: 1 pack x 8,
                # 500 - 300 = 200 purchased left
                ("8", "0", "200"),
                ("0", "0", "100"),  # 1,000 allocation, then 100 of the 200 purchased
                # 500 of 1,000 used: 500 roll over; purchased credits wait, unused
                ("0", "500", "100"),
                ("0", "0", "50"),  # 1,000 allocation + 500 rolled over + 50 purchased
            ],
        ),
        # rollover_months 0: unused allocation expires, purchased credits stay.
        (
            {"pack_size": "500"},
            ["1100", "200", "1400"],
            [
                ("8", "0", "400"),  # 100 short: 1 pack, 400 left
                ("0", "0", "400"),  # 200 of 1,000: the other 800 expire; 400 purchased stay
                ("0", "0", "0"),  # 1,000 allocation + the 400 purchased
            ],
        ),
    ],
)
def test_credits_month_by_month(
    overrides: dict[str, str], used: list[str], expected: list[tuple[str, str, str]]
) -> None:
    fields: dict[str, object] = dict(overrides)
    pack_size = fields.pop("pack_size", None)
    fields["overage_price_per_credit"] = None
    if pack_size is None:
        fields["pack"] = {"credits": "10000", "price": "150"}
        fields["seats_component"] = None
    else:
        fields["pack"] = {"credits": pack_size, "price": "8"}
    results = run_months(credits(**fields), used)
    assert [(r.amount, *r.state_out) for r in results] == [
        (D(a), D(rolled), D(bought)) for a, rolled, bought in expected
    ]


def test_credits_breakdown_names_where_credits_came_from() -> None:
    component = credits(
        overage_price_per_credit=None, pack={"credits": "500", "price": "8"}, rollover_months=1
    )
    result = credit_charge(component, "1800", "0", state=(D(600), D(100)))
    assert [(line.label, line.quantity, line.amount) for line in result.lines] == [
        ("Credits used from allocation", D(1000), D(0)),
        ("Rolled-over credits used", D(600), D(0)),
        # 100 left in a pack bought earlier + 100 of the pack bought this month: every
        # credit taken from packs (1,000 + 600 + 200 = 1,800 used)
        ("Credits used from packs", D(200), D(0)),
        ("Credit packs of 500", D(1), D(8)),  # 1,800 - 1,000 - 600 - 100 = 100 short: 1 pack
    ]
    assert result.state_out == (D(0), D(400))  # 500 - 100


@pytest.mark.parametrize(
    ("used", "state", "expected"),
    [
        # 10 seats x 100 = 1,000 allocated a month; packs of 500 at 8; (rolled, pack left).
        # | used  | left in packs | allocation | from packs              | packs | amount |
        ("800", (D(0), D(0)), ("800", "0", "0", "0")),  # all from the allocation
        ("1000", (D(0), D(0)), ("1000", "0", "0", "0")),  # exactly the allocation
        # 1,001: 1 short, 1 pack bought this month: 1 credit from it, 499 left
        ("1001", (D(0), D(0)), ("1000", "1", "1", "8")),
        # 1,300 with 100 left from an earlier pack: 100 + 200 of 1 new pack = 300
        ("1300", (D(0), D(100)), ("1000", "300", "1", "8")),
        # 1,300 with 400 left: 300 from the earlier pack, no new pack
        ("1300", (D(0), D(400)), ("1000", "300", "0", "0")),
        # 2,100 with nothing left: 1,100 from 3 new packs (1,500 credits) = 3 x 8 = 24
        ("2100", (D(0), D(0)), ("1000", "1100", "3", "24")),
    ],
)
def test_credits_from_packs_add_up_to_the_credits_used(
    used: str, state: tuple[Decimal, Decimal], expected: tuple[str, str, str, str]
) -> None:
    """Issue: the proposal printed "Purchased credits used 44,000" for a year that drew
    192,000 credits from packs (only the credits left over from packs bought in earlier
    months). The lines now say where every credit came from."""
    component = credits(overage_price_per_credit=None, pack={"credits": "500", "price": "8"})
    result = credit_charge(component, used, "0", state=state)
    lines = {line.label: line for line in result.lines}
    allocation, from_packs, packs, amount = (D(x) for x in expected)
    assert lines["Credits used from allocation"].quantity == allocation
    assert lines["Credits used from packs"].quantity == from_packs
    assert lines["Credit packs of 500"].quantity == packs
    assert result.amount == amount
    assert allocation + from_packs == D(used)


def test_credits_need_one_way_to_buy_more() -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        credits(overage_price_per_credit=None)
    with pytest.raises(ValidationError, match="exactly one"):
        credits(pack={"credits": "10", "price": "1"})


# --- outcome and value ---------------------------------------------------------------------
def test_per_outcome_carries_its_terms() -> None:
    component = PerOutcome(
        id="o",
        name="Resolved tickets",
        metric="units",
        price_per_outcome="2.50",
        terms={
            "definition": "A ticket closed without human escalation",
            "success_criteria": "Not reopened within 7 days",
            "verification_evidence": "Helpdesk audit log",
            "dispute_window_days": 30,
        },
    )
    assert amount(component, "1200") == D("3000.00")  # 1,200 x 2.50
    assert component.terms.dispute_window_days == 30


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "500"),  # nothing above baseline: raised to the 500 floor
        ("100000", "500"),  # at the baseline: 0 -> floor 500
        ("300000", "1000"),  # 0.5 % x 200,000 above baseline
        ("1100000", "5000"),  # 0.5 % x 1,000,000
        ("2100000", "8000"),  # 0.5 % x 2,000,000 = 10,000 -> capped at 8,000
    ],
)
def test_percent_of_value_baseline_floor_cap(value: str, expected: str) -> None:
    component = PercentOfValue(
        id="v",
        name="Revenue share",
        metric="units",
        percent="0.5",
        baseline="100000",
        floor="500",
        cap="8000",
        attribution={"method": "holdout_group", "lookback_days": 90},
    )
    assert amount(component, value) == D(expected)


def test_percent_of_value_floor_above_cap_is_refused() -> None:
    with pytest.raises(ValidationError, match="floor"):
        PercentOfValue(id="v", name="V", metric="units", percent="1", floor="10", cap="5")


@pytest.mark.parametrize(
    ("spend", "window", "expected"),
    [
        ("0", 12, "12000"),  # nothing spent: true-up the full 12,000
        ("9000", 12, "3000"),  # 12,000 - 9,000
        ("12000", 12, "0"),
        ("15000", 12, "0"),  # above the commitment: no true-up, never negative
        ("4000", 6, "2000"),  # a 6-month last year: 12,000 x 6/12 - 4,000
    ],
)
def test_minimum_commitment_true_up(spend: str, window: int, expected: str) -> None:
    commitment = MinimumCommitment(id="m", name="Annual minimum", amount="12000")
    assert amount(commitment, spend=spend, window=window) == D(expected)


# --- the factory -----------------------------------------------------------------------------
def test_factory_builds_each_kind_and_refuses_unknown() -> None:
    component = component_from_dict(
        {"kind": "per_unit", "id": "x", "name": "X", "metric": "m", "unit_price": "1"}
    )
    assert isinstance(component, PerUnit)
    with pytest.raises(UnknownComponentKindError, match="'telepathy'"):
        component_from_dict({"kind": "telepathy", "id": "x", "name": "X"})
    with pytest.raises(UnknownComponentKindError):
        component_from_dict({"id": "x", "name": "X"})


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([{"up_to": "10"}, {"from": "12"}], "gap"),
        ([{"up_to": "10"}, {"from": "8"}], "overlap"),
        ([{"up_to": "10"}, {"up_to": "5"}, {}], "must increase"),
        ([{"up_to": "10"}, {"up_to": "20"}], "last tier must have no upper bound"),
        ([{}, {"up_to": "5"}], "not the last tier"),
        ([], "at least 1"),
        ([{"up_to": "10", "unit_price": "-1"}, {}], "greater than or equal to 0"),
    ],
)
def test_tier_errors(tiers: list[dict[str, str]], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Graduated(id="g", name="G", metric="m", tiers=tiers)  # type: ignore[arg-type]


# --- A year's escalated prices kept once (the engine's per-year memo) ------------------------
# (price, factor 1.04^2 = 1.0816, places 2, expected: price x 1.0816 rounded half up to the
# minor unit, or to the price's own decimals when it has more)
ESCALATED = [
    ("0.50", "0.54"),  # 0.50 x 1.0816 = 0.5408 -> 0.54
    ("0.5", "0.54"),  # the same price written shorter: the same value, to 2 places
    ("100", "108.16"),  # 100 x 1.0816 = 108.16
    ("0.0004", "0.0004"),  # 0.0004 x 1.0816 = 0.00043264 -> 4 places, as written
    ("0.045", "0.049"),  # 0.045 x 1.0816 = 0.048672 -> 3 places, as written
    ("0.0450", "0.0487"),  # the same price written with 4 places keeps 4: 0.0487
    ("0", "0.00"),  # 0 x 1.0816 = 0 at 2 places
    ("-0", "-0.00"),  # a zero's sign stays as the price has it (no memo for zeros)
]


def test_a_years_escalated_prices_are_computed_once_and_equal_the_direct_ones() -> None:
    """The engine hands one dict to all months of a year: each price is escalated once,
    and the value kept is exactly (digits and exponent) what escalating it afresh gives,
    whatever order the prices come in (0.5 after 0.50, a zero after -0)."""
    factor = D("1.0816")
    memo: dict[tuple[Decimal, int], Decimal] = {}
    with_memo = Usage({}, {}, price_factor=factor, price_places=2, escalated=memo)
    fresh = Usage({}, {}, price_factor=factor, price_places=2)
    for _round in range(2):
        for price, expected in ESCALATED:
            kept = with_memo.escalate(D(price))
            assert str(kept) == str(fresh.escalate(D(price))) == expected, price
    # One entry per non-zero number and places (0.5 and 0.50 are one, 0.045 and 0.0450
    # two), filled on the first round.
    assert sorted(memo) == [
        (D("0.0004"), 4),
        (D("0.045"), 3),
        (D("0.045"), 4),
        (D("0.5"), 2),
        (D("100"), 2),
    ]
    memo[(D("100"), 2)] = D("1")  # what the memo holds is what is returned: it is really used
    assert with_memo.escalate(D("100")) == D("1")


def test_lines_and_charges_made_fast_are_the_dataclasses_themselves() -> None:
    """``_line`` and ``_charge`` set the frozen dataclasses' slots directly (the engine makes
    hundreds per pricing): what they make equals what the constructors make, hashes alike
    and stays frozen. 3 x 0.50 + 20 = 21.50."""
    import dataclasses

    from quote_builder.pricing.components import BreakdownLine, _charge, _line

    line = _line("Tier 1", D("3"), D("0.50"), D("20"))
    assert line == BreakdownLine("Tier 1", D("3"), D("0.50"), D("20"), D("21.50"))
    assert hash(line) == hash(BreakdownLine("Tier 1", D("3"), D("0.50"), D("20"), D("21.50")))
    assert type(line) is BreakdownLine and repr(line).startswith("BreakdownLine(label='Tier 1'")
    other = _line("Overage", D("2"), D("1.25"))  # 2 x 1.25 + 0 = 2.50
    charge = _charge(line, other, state_out=(D("7"),))
    assert charge == Charge(D("24.00"), (line, other), (D("7"),))  # 21.50 + 2.50
    assert _charge() == Charge(D("0"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.amount = D("0")  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        charge.amount = D("0")  # type: ignore[misc]
