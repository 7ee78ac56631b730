"""Charge components, one table per kind: zero, each tier edge, fractions.

Each row carries the arithmetic beside the expected amount. The rules follow Stripe and
Lago: inclusive upper bounds, a graduated tier's flat fee when the quantity reaches into it,
volume pricing of all units at the reached tier, zero usage costs nothing.
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
    factor: str = "1",
    carry: str = "0",
    spend: str = "0",
    window: int = 12,
) -> Charge:
    return component.charge(
        Usage(
            quantities={metric: D(quantity)},
            seats={k: D(v) for k, v in (seats or {}).items()},
            month=month,
            month_of_year=month_of_year,
            price_factor=D(factor),
            carry=D(carry),
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
        ("0", "0"),  # zero usage: no tier reached, no flat fee (Lago)
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
        ("0", "0"),  # zero usage costs nothing
        ("1", "2"),  # 1 x 2
        ("100", "200"),  # 100 x 2: inclusive upper bound keeps tier 1
        ("100.5", "160.75"),  # 100.5 x 1.5 + 10: every unit at tier 2
        ("1000", "1510"),  # 1,000 x 1.5 + 10
        ("1001", "1001"),  # 1,001 x 1: all units drop to tier 3
    ],
)
def test_volume(quantity: str, expected: str) -> None:
    assert amount(VOLUME, quantity) == D(expected)


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
    component: Credits, chat: str, agent: str, seats: str = "10", carry: str = "0"
) -> Charge:
    return component.charge(
        Usage(
            quantities={"chat": D(chat), "agent": D(agent)},
            seats={"seats": D(seats)},
            carry=D(carry),
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
    expiring = credits()
    assert credit_charge(expiring, "400", "0").carry_out == D("0")  # unused 600 expire
    rolling = credits(rollover_months=1)
    first = credit_charge(rolling, "400", "0")
    assert first.carry_out == D("600")  # 1,000 - 400 unused, cap 1 x 1,000
    second = credit_charge(rolling, "1500", "0", carry=str(first.carry_out))
    assert second.amount == D("0")  # 1,500 used of 1,000 + 600 available
    assert second.carry_out == D("100")
    capped = credit_charge(rolling, "0", "0", carry="900")
    assert capped.carry_out == D("1000")  # 1,900 unused, capped at 1 month's 1,000


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
