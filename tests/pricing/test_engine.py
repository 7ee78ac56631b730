"""The engine: billing schedule, escalators, discounts, ramps, forecasts, commitments, COGS."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quote_builder.pricing import price

from .factories import make_quote

D = Decimal
PLATFORM = {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"}
USAGE = {
    "kind": "allowance_overage",
    "id": "ops",
    "name": "Operations",
    "metric": "ops",
    "included": "1000",
    "overage_unit_price": "0.25",
}


def test_monthly_schedule_and_totals() -> None:
    priced = price(make_quote(term_months=12))
    assert len(priced.periods) == 12
    assert priced.periods[0].start == dt.date(2027, 1, 1)
    assert priced.periods[0].end == dt.date(2027, 1, 31)
    assert priced.periods[1].end == dt.date(2027, 2, 28)
    assert all(p.total == D("1000.00") for p in priced.periods)
    assert priced.tcv == D("12000.00")  # 12 x 1,000
    assert priced.first_year_acv == D("12000.00")
    assert priced.average_monthly == D("1000.00")


def test_quarterly_and_annual_periods_never_cross_a_contract_year() -> None:
    quarterly = price(make_quote(term_months=14, billing_frequency="quarterly"))
    # 12 months = 4 quarters, then year 2's 2 months make a short period of their own.
    assert [p.months for p in quarterly.periods] == [3, 3, 3, 3, 2]
    assert [p.contract_year for p in quarterly.periods] == [1, 1, 1, 1, 2]
    annual = price(make_quote(term_months=18, billing_frequency="annual"))
    assert [(p.months, p.total) for p in annual.periods] == [(12, D("12000.00")), (6, D("6000.00"))]
    assert annual.periods[1].start == dt.date(2028, 1, 1)
    assert annual.periods[1].end == dt.date(2028, 6, 30)
    assert [y.months for y in annual.years] == [12, 6]


def test_escalator_compounds_from_year_two() -> None:
    priced = price(make_quote(term_months=36, escalator_percent="5"))
    assert [y.revenue for y in priced.years] == [
        D("12000.00"),  # 1,000 x 12
        D("12600.00"),  # 1,050 x 12
        D("13230.00"),  # 1,102.50 x 12
    ]
    assert [(e.year, e.effective, e.factor) for e in priced.escalations] == [
        (2, dt.date(2028, 1, 1), D("1.05")),
        (3, dt.date(2029, 1, 1), D("1.1025")),
    ]
    assert priced.tcv == D("37830.00")


def test_escalator_leaves_one_time_fees_and_value_share_alone() -> None:
    doc = make_quote(
        term_months=24,
        escalator_percent="10",
        components=[
            {"kind": "one_time_fee", "id": "setup", "name": "Setup", "amount": "500", "month": 13},
            PLATFORM,
        ],
    )
    priced = price(doc)
    assert priced.years[1].revenue == D("13700.00")  # 1,100 x 12 + 500 not escalated
    assert priced.years[1].one_time == D("500.00")
    assert priced.first_year_acv == D("12000.00")


def test_deal_discount_for_limited_months_and_component_discount() -> None:
    doc = make_quote(
        components=[
            {"kind": "one_time_fee", "id": "setup", "name": "Setup", "amount": "3000"},
            PLATFORM,
        ],
        discounts=[
            {"description": "Intro", "percent": "20", "months": 3},
            {"description": "Setup waived", "percent": "100", "component": "setup"},
        ],
    )
    priced = price(doc)
    first = priced.periods[0]
    assert [(line.description, line.amount) for line in first.lines] == [
        ("Setup", D("3000.00")),
        ("Platform", D("1000.00")),
        ("Intro", D("-200.00")),  # 20 % of the recurring 1,000 only, not of the setup fee
        ("Setup waived", D("-3000.00")),
    ]
    assert first.total == D("800.00")
    assert priced.periods[3].total == D("1000.00")  # month 4: intro discount over
    assert priced.list_tcv == D("15000.00")  # 3,000 + 12 x 1,000
    assert priced.tcv == D("11400.00")  # 15,000 - 3 x 200 - 3,000
    assert priced.effective_discount_percent == D("24.00")  # 3,600 / 15,000
    assert priced.first_year_acv == D("11400.00")  # one-time fee net of its waiver is 0


def test_amount_discounts_never_make_a_total_negative() -> None:
    doc = make_quote(discounts=[{"amount": "1500", "description": "Credit"}])
    priced = price(doc)
    assert all(p.total == D("0.00") for p in priced.periods)
    assert priced.effective_discount_percent == D("100.00")


def test_discount_cap_uses_rounded_lines() -> None:
    # Two components of 0.004 each round to 0.00 on the invoice; a 100 % discount on their
    # unrounded 0.008 would round to 0.01 and push the total to -0.01. It is capped at 0.
    tiny = [
        {"kind": "flat_fee", "id": "a", "name": "A", "amount": "0.004"},
        {"kind": "flat_fee", "id": "b", "name": "B", "amount": "0.004"},
    ]
    priced = price(make_quote(components=tiny, discounts=[{"percent": "100"}]))
    assert all(p.total == D("0.00") for p in priced.periods)


def test_forecast_growth_and_per_year_values_and_ramps() -> None:
    doc = make_quote(
        term_months=24,
        components=[
            PLATFORM,
            USAGE,
            {"kind": "seats", "id": "seats", "name": "Seats", "seats": 10, "price_per_seat": "20"},
        ],
        usage_forecast={"ops": {"monthly": "1000", "growth_percent_per_month": "10"}},
        ramps=[{"year": 2, "seats": {"seats": 15}, "usage": {"ops": "3000"}}],
    )
    priced = price(doc)
    jan, feb, mar = (p.lines for p in priced.periods[:3])
    assert jan[1].amount == D("0.00")  # 1,000 used, all included
    assert feb[1].amount == D("25.00")  # 1,100: 100 over x 0.25
    assert mar[1].amount == D("52.50")  # 1,210: 210 over x 0.25
    year2 = priced.periods[12].lines
    assert year2[1].amount == D("500.00")  # ramp: 3,000 used, 2,000 over x 0.25
    assert year2[2].amount == D("300.00")  # ramp: 15 seats x 20
    per_year = make_quote(
        term_months=36,
        components=[PLATFORM, USAGE],
        usage_forecast={"ops": {"per_year": ["1000", "2000"]}},
    )
    years = price(per_year).years
    assert [y.revenue for y in years] == [
        D("12000.00"),  # 12 x 1,000, no overage
        D("15000.00"),  # 12 x (1,000 + 1,000 over x 0.25)
        D("15000.00"),  # the last value carries on
    ]


def test_yearly_minimum_commitment_trues_up_at_year_end() -> None:
    doc = make_quote(
        term_months=18,
        billing_frequency="quarterly",
        components=[
            USAGE,
            {"kind": "minimum_commitment", "id": "min", "name": "Minimum", "amount": "6000"},
        ],
        usage_forecast={"ops": {"monthly": "2000"}},
    )
    priced = price(doc)
    # Usage: 1,000 over x 0.25 = 250 a month = 3,000 a year, against a 6,000 commitment.
    q4 = priced.periods[3]
    assert [(line.kind, line.amount) for line in q4.lines] == [
        ("charge", D("750.00")),
        ("true_up", D("3000.00")),  # 6,000 - 12 x 250
    ]
    last = priced.periods[-1]  # year 2 has 6 months: commitment 6,000 x 6/12 = 3,000
    assert [(line.kind, line.amount) for line in last.lines] == [
        ("charge", D("750.00")),
        ("true_up", D("1500.00")),  # 3,000 - 6 x 250
    ]
    assert [y.revenue for y in priced.years] == [D("6000.00"), D("3000.00")]


def test_monthly_minimum_commitment() -> None:
    doc = make_quote(
        components=[
            USAGE,
            {
                "kind": "minimum_commitment",
                "id": "min",
                "name": "Minimum",
                "amount": "400",
                "period": "month",
            },
        ],
        usage_forecast={"ops": {"monthly": "2000"}},
    )
    priced = price(doc)
    assert priced.periods[0].total == D("400.00")  # 250 usage + 150 true-up
    assert priced.tcv == D("4800.00")


def test_cogs_with_levers_and_yearly_decline() -> None:
    doc = make_quote(
        term_months=24,
        components=[PLATFORM, USAGE],
        usage_forecast={"ops": {"monthly": "1000"}},
        economics={
            "unit_costs": {"ops": "0.10"},
            "fixed_cost_per_month": "50",
            "levers": {"routing_savings_percent": "50", "cache_hit_percent": "20"},
            "cost_decline_percent_per_year": "25",
        },
    )
    years = price(doc).years
    # Year 1: 1,000 x 0.10 x 0.5 x 0.8 = 40 a month, + 50 fixed = 90 x 12 = 1,080.
    assert years[0].cogs == D("1080.00")
    assert years[0].cost_factor == D("0.40")
    assert years[0].gross_margin_percent == D("91.0")  # (12,000 - 1,080) / 12,000
    # Year 2: unit cost falls 25 %: 30 + 50 = 80 x 12 = 960.
    assert years[1].cogs == D("960.00")
    assert years[1].gross_margin_percent == D("92.0")


def test_jpy_has_no_minor_unit_and_bhd_has_three() -> None:
    jpy = price(make_quote(currency="JPY", components=[{**PLATFORM, "amount": "1000.5"}]))
    assert jpy.periods[0].total == D("1001")  # rounded half-up to whole yen
    bhd = price(make_quote(currency="BHD", components=[{**PLATFORM, "amount": "10.0005"}]))
    assert bhd.periods[0].total == D("10.001")


def test_each_line_is_rounded_once_per_period() -> None:
    # 1,000 / 3 a month billed quarterly: the quarter's line is round(3 x 333.333...) =
    # 1,000.00, not 3 x 333.33 = 999.99.
    doc = make_quote(
        billing_frequency="quarterly",
        components=[
            {
                "kind": "per_unit",
                "id": "u",
                "name": "U",
                "metric": "m",
                "unit_price": "0.3333333333",
            }
        ],
        usage_forecast={"m": {"monthly": "1000"}},
    )
    assert price(doc).periods[0].total == D("1000.00")  # 3 x 333.3333333 = 999.9999999


def test_breakdown_per_component_and_year() -> None:
    doc = make_quote(components=[PLATFORM, USAGE], usage_forecast={"ops": {"monthly": "1500"}})
    priced = price(doc)
    ops = priced.components[1]
    assert ops.total == D("1500.00")  # 12 x 500 over x 0.25
    lines = {line.label: line for line in ops.years[0].lines}
    assert lines["Included"].quantity == D("12000")  # 12 x 1,000
    assert lines["Overage"].quantity == D("6000")  # 12 x 500
    assert lines["Overage"].amount == D("1500")


def test_identical_input_gives_identical_results() -> None:
    doc = make_quote(components=[PLATFORM, USAGE], usage_forecast={"ops": {"monthly": "1500"}})
    assert price(doc) == price(
        make_quote(components=[PLATFORM, USAGE], usage_forecast={"ops": {"monthly": "1500"}})
    )


# --- yearly fees in a short last year (rule: prorated by months / 12) ---------------------
def test_yearly_fees_are_prorated_in_a_short_last_year() -> None:
    doc = make_quote(
        term_months=14,
        components=[
            {**PLATFORM, "amount": "12000", "interval": "year"},
            {
                "kind": "seats",
                "id": "seats",
                "name": "Seats",
                "seats": 10,
                "price_per_seat": "1200",
                "interval": "year",
            },
        ],
    )
    priced = price(doc)
    assert [y.revenue for y in priced.years] == [
        D("24000.00"),  # 12,000 + 10 x 1,200, both in month 1
        D("4000.00"),  # 2-month year: 12,000 x 2 / 12 + 10 x 1,200 x 2 / 12 = 2,000 + 2,000
    ]
    assert priced.periods[12].total == D("4000.00")  # month 13 bills year 2's share
    assert priced.periods[13].total == D("0.00")


# --- discounts on yearly fees (rule: spread over the months of their contract year) --------
ANNUAL_FEE = {**PLATFORM, "amount": "12000", "interval": "year"}


@pytest.mark.parametrize(
    ("discount", "expected_off"),
    [
        # 12,000 a year counts as 1,000 a month for discounting.
        ({"amount": "100"}, "1200.00"),  # 100 off each of 12 months
        ({"amount": "100", "component": "platform"}, "1200.00"),  # the same, on the component
        ({"amount": "1500"}, "12000.00"),  # never more than the 1,000 a month: 12 x 1,000
        ({"percent": "50", "start_month": 2, "months": 6}, "3000.00"),  # 50 % x 1,000 x 6
        ({"percent": "50", "months": 1}, "500.00"),  # 50 % x 1,000 x 1
        ({"percent": "50", "start_month": 12}, "500.00"),  # month 12 only
        ({"percent": "10"}, "1200.00"),  # the whole year: 10 % x 12,000
    ],
)
@pytest.mark.parametrize("billing", ["annual", "quarterly", "monthly"])
def test_discounts_on_a_yearly_fee_do_not_depend_on_the_billing_month(
    discount: dict[str, object], expected_off: str, billing: str
) -> None:
    priced = price(
        make_quote(billing_frequency=billing, components=[ANNUAL_FEE], discounts=[discount])
    )
    assert priced.discount_total == D(expected_off)
    assert priced.tcv == D("12000.00") - D(expected_off)
    # The discount is invoiced with the yearly fee, in the year's first period.
    first = priced.periods[0]
    assert [(line.kind, line.amount) for line in first.lines] == [
        ("charge", D("12000.00")),
        ("discount", -D(expected_off)),
    ]
    assert all(p.total == D("0.00") for p in priced.periods[1:])


def test_a_deal_wide_amount_discount_is_shared_pro_rata_with_a_yearly_fee() -> None:
    # A 2,400 yearly fee counts as 200 a month; with a 100 monthly fee, 300 is eligible
    # each month. 150 off a month: 150 x 200 / 300 = 100 on the yearly fee (invoiced in
    # month 1 with it: 12 x 100 = 1,200) and 150 x 100 / 300 = 50 on the monthly fee.
    doc = make_quote(
        components=[
            {**PLATFORM, "amount": "2400", "interval": "year"},
            {"kind": "flat_fee", "id": "support", "name": "Support", "amount": "100"},
        ],
        discounts=[{"amount": "150", "description": "Credit"}],
    )
    priced = price(doc)
    assert [line.amount for line in priced.periods[0].lines] == [
        D("2400.00"),
        D("100.00"),
        D("-1250.00"),  # 12 x 100 + 50
    ]
    assert [p.total for p in priced.periods[1:]] == [D("50.00")] * 11  # 100 - 50
    assert priced.tcv == D("1800.00")  # 2,400 + 12 x 100 - 12 x 150


# --- ramps persist -----------------------------------------------------------------------
def test_a_ramp_holds_until_a_later_ramp_changes_it() -> None:
    components = [
        {"kind": "seats", "id": "s", "name": "Seats", "seats": 10, "price_per_seat": "10"},
        {"kind": "per_unit", "id": "u", "name": "Calls", "metric": "calls", "unit_price": "1"},
    ]
    doc = make_quote(
        term_months=36,
        escalator_percent="3",
        components=components,
        usage_forecast={"calls": {"monthly": "100"}},
        ramps=[{"year": 2, "seats": {"s": 20}, "usage": {"calls": "200"}}],
    )
    assert [y.revenue for y in price(doc).years] == [
        D("2400.00"),  # (10 x 10 + 100 x 1) x 12
        D("4944.00"),  # (20 x 10 + 200 x 1) x 1.03 x 12 = 400 x 12.36
        # the ramp holds in year 3; escalated prices rounded to the cent:
        # seats 10 x 1.0609 = 10.61, calls 1 x 1.0609 = 1.06; (20 x 10.61 + 200 x 1.06) x 12
        D("5090.40"),
    ]
    later = make_quote(
        term_months=36,
        components=components,
        usage_forecast={"calls": {"monthly": "100"}},
        ramps=[
            {"year": 2, "seats": {"s": 20}, "usage": {"calls": "200"}},
            {"year": 3, "usage": {"calls": "50"}},
        ],
    )
    assert [y.revenue for y in price(later).years] == [
        D("2400.00"),  # (100 + 100) x 12
        D("4800.00"),  # (200 + 200) x 12
        D("3000.00"),  # seats still 20 (200), calls changed to 50: 250 x 12
    ]


# --- credits bought in packs never expire --------------------------------------------------
def test_purchased_credits_carry_over_the_term() -> None:
    doc = make_quote(
        term_months=3,
        components=[
            {
                "kind": "credits",
                "id": "c",
                "name": "Credits",
                "burn": {"chat": "1"},
                "pack": {"credits": "10000", "price": "150"},
            }
        ],
        usage_forecast={"chat": {"monthly": "100"}},
    )
    priced = price(doc)
    # One pack in month 1 covers 3 x 100 credits: 150, then nothing.
    assert [p.total for p in priced.periods] == [D("150.00"), D("0.00"), D("0.00")]


# --- minimum commitments count spend after discounts ---------------------------------------
CALLS = {"kind": "per_unit", "id": "u", "name": "Calls", "metric": "calls", "unit_price": "1"}
MONTHLY_MIN = {
    "kind": "minimum_commitment",
    "id": "min",
    "name": "Minimum",
    "amount": "1000",
    "period": "month",
}


@pytest.mark.parametrize(
    ("discounts", "extra", "true_up", "total"),
    [
        ([], [], "0.00", "1000.00"),  # 1,000 x 1 meets the 1,000 minimum
        # 50 % off everything: 500 counts, true-up 500; 1,000 - 500 + 500 = 1,000
        ([{"percent": "50"}], [], "500.00", "1000.00"),
        # 20 % off the calls: 800 counts, true-up 200; 1,000 - 200 + 200 = 1,000
        ([{"percent": "20", "component": "u"}], [], "200.00", "1000.00"),
        # 300 off the deal, whose eligible spend is 1,000 calls + 1,000 platform: the calls'
        # share is 300 x 1,000 / 2,000 = 150, so 850 counts, true-up 150;
        # 2,000 - 300 + 150 = 1,850
        ([{"amount": "300"}], [PLATFORM], "150.00", "1850.00"),
        # A discount on the platform alone leaves the calls' spend whole.
        ([{"amount": "300", "component": "platform"}], [PLATFORM], "0.00", "1700.00"),
    ],
)
def test_minimum_commitment_counts_spend_after_discounts(
    discounts: list[dict[str, str]], extra: list[dict[str, str]], true_up: str, total: str
) -> None:
    doc = make_quote(
        term_months=1,
        components=[CALLS, *extra, MONTHLY_MIN],
        usage_forecast={"calls": {"monthly": "1000"}},
        discounts=discounts,
    )
    period = price(doc).periods[0]
    true_ups = [line.amount for line in period.lines if line.kind == "true_up"]
    assert true_ups == ([D(true_up)] if D(true_up) else [])
    assert period.total == D(total)


def test_a_yearly_commitment_on_a_discounted_yearly_fee() -> None:
    # 12,000 a year, 50 % off for 6 months: 6 x 500 = 3,000 off, so 9,000 counts toward a
    # 12,000 yearly minimum: true-up 3,000. 12,000 - 3,000 + 3,000 = 12,000.
    doc = make_quote(
        components=[
            ANNUAL_FEE,
            {
                "kind": "minimum_commitment",
                "id": "min",
                "name": "Minimum",
                "amount": "12000",
                "applies_to": ["platform"],
            },
        ],
        discounts=[{"percent": "50", "months": 6}],
    )
    priced = price(doc)
    assert [(line.kind, line.amount) for line in priced.periods[-1].lines] == [
        ("true_up", D("3000.00"))
    ]
    assert priced.tcv == D("12000.00")


# --- a minimum commitment is billed to the cent -------------------------------------------
def _committed_billed(periods: list, committed: set[str]) -> Decimal:
    """What the invoices bill for the committed components, their discounts and true-ups:
    every line of these quotes' periods is one of them."""
    return sum(
        (
            line.amount
            for period in periods
            for line in period.lines
            if line.component_id in committed or line.kind == "discount"
        ),
        D(0),
    )


@pytest.mark.parametrize("billing", ["monthly", "quarterly", "annual"])
@pytest.mark.parametrize(
    ("unit_price", "monthly", "discount"),
    [
        # 33,335 x 0.10 = 3,333.50 a month; 15 % off is 500.025, billed 500.03 each month.
        ("0.10", "33335", {"percent": "15"}),
        # 3,333.335 a month, 15 % off on the calls alone: 500.00025 a month.
        ("0.001", "3333335", {"percent": "15", "component": "calls"}),
        # 7 % off 1,234.565 a month: 86.41955.
        ("0.005", "246913", {"percent": "7"}),
        # A discount for part of the year only.
        ("0.10", "33335", {"percent": "15", "months": 5}),
    ],
)
def test_a_yearly_minimum_commitment_is_billed_to_the_cent(
    billing: str, unit_price: str, monthly: str, discount: dict[str, Any]
) -> None:
    """A 50,000.00 yearly minimum with a deal discount: the year's invoices bill exactly
    50,000.00 (the true-up tops up what the invoices billed after each rounded its
    discount), never 49,999.94 or 50,000.01."""
    doc = make_quote(
        billing_frequency=billing,
        components=[
            {
                "kind": "per_unit",
                "id": "calls",
                "name": "Calls",
                "metric": "calls",
                "unit_price": unit_price,
            },
            {"kind": "minimum_commitment", "id": "min", "name": "Minimum", "amount": "50000.00"},
        ],
        usage_forecast={"calls": {"monthly": monthly}},
        discounts=[discount],
    )
    priced = price(doc)
    assert _committed_billed(list(priced.periods), {"calls", "min"}) == D("50000.00")
    assert priced.tcv == D("50000.00")
    assert priced.years[0].revenue == D("50000.00")
    # The calls at list prices are below the minimum too: the buyer saves nothing.
    assert priced.list_tcv == D("50000.00")
    assert priced.years[0].discounts == D("0.00")
    # By hand: every invoice line rounded half up to the cent, the true-up what is left.
    months = {"monthly": 1, "quarterly": 3, "annual": 12}[billing]
    charge = D(unit_price) * D(monthly)
    billed = D(0)
    for first in range(1, 13, months):
        period_months = range(first, first + months)
        charges = (charge * months).quantize(D("0.01"), ROUND_HALF_UP)
        active = [m for m in period_months if m <= discount.get("months", 12)]
        off = (charge * len(active) * D(discount["percent"]) / 100).quantize(
            D("0.01"), ROUND_HALF_UP
        )
        billed += charges - off
    true_ups = [line.amount for p in priced.periods for line in p.lines if line.kind == "true_up"]
    assert true_ups == [D("50000.00") - billed]


@pytest.mark.parametrize("billing", ["monthly", "quarterly", "annual"])
def test_a_monthly_minimum_commitment_is_billed_to_the_cent(billing: str) -> None:
    """A 1,000.00 monthly minimum, 15 % off 833.335 of calls a month: each month's (or
    each quarter's, each year's) invoices bill the minimum exactly."""
    doc = make_quote(
        billing_frequency=billing,
        components=[
            {
                "kind": "per_unit",
                "id": "calls",
                "name": "Calls",
                "metric": "calls",
                "unit_price": "0.001",
            },
            {**MONTHLY_MIN, "amount": "1000.00"},
        ],
        usage_forecast={"calls": {"monthly": "833335"}},
        discounts=[{"percent": "15"}],
    )
    priced = price(doc)
    for period in priced.periods:
        assert _committed_billed([period], {"calls", "min"}) == D("1000.00") * period.months
    assert priced.tcv == D("12000.00")


def test_a_discount_line_on_other_fees_too_is_split_to_the_cent() -> None:
    """A deal discount on a platform fee and on calls a commitment counts: each quarter's
    line (12.5 % of 13,704.21 = 1,713.03) is the platform's own 12.5 % of 3,703.71 =
    462.96, and the calls' 1,250.07. The calls bill 4 x (10,000.50 - 1,250.07) = 35,001.72,
    and the true-up tops that up to 50,000.00: 14,998.28. The platform costs what it costs
    at any usage: at none, the year is 4 x (3,703.71 - 462.96) + 50,000.00 too."""
    doc = make_quote(
        billing_frequency="quarterly",
        components=[
            {**PLATFORM, "amount": "1234.57"},
            {
                "kind": "per_unit",
                "id": "calls",
                "name": "Calls",
                "metric": "calls",
                "unit_price": "0.10",
            },
            {"kind": "minimum_commitment", "id": "min", "name": "Minimum", "amount": "50000.00"},
        ],
        usage_forecast={"calls": {"monthly": "33335"}},
        discounts=[{"percent": "12.5"}],
    )
    priced = price(doc)
    assert [line.amount for line in priced.periods[-1].lines] == [
        D("3703.71"),
        D("10000.50"),
        D("14998.28"),
        D("-1713.03"),
    ]
    assert priced.tcv == 4 * (D("13704.21") - D("1713.03")) + D("14998.28")
    assert priced.tcv == 4 * (D("3703.71") - D("462.96")) + D("50000.00")
    idle = doc.model_copy(update={"usage_forecast": {}})
    assert price(idle).tcv == priced.tcv


@pytest.mark.parametrize("billing", ["monthly", "quarterly"])
def test_without_a_discount_a_short_year_bills_its_minimum_and_saves_nothing(
    billing: str,
) -> None:
    """3,333.335 of calls a month, invoiced 3,333.34 (or 10,000.01 a quarter): the true-up
    tops up what the invoices bill, 50,000.00 - 40,000.08 = 9,999.92 (monthly), and the year
    is at its list price: no "Discounts 0.06" without a discount."""
    doc = make_quote(
        billing_frequency=billing,
        components=[
            {
                "kind": "per_unit",
                "id": "calls",
                "name": "Calls",
                "metric": "calls",
                "unit_price": "0.001",
            },
            {"kind": "minimum_commitment", "id": "min", "name": "Minimum", "amount": "50000.00"},
        ],
        usage_forecast={"calls": {"monthly": "3333335"}},
    )
    priced = price(doc)
    charges = {"monthly": 12 * D("3333.34"), "quarterly": 4 * D("10000.01")}[billing]
    true_ups = [line.amount for p in priced.periods for line in p.lines if line.kind == "true_up"]
    assert true_ups == [D("50000.00") - charges]
    assert priced.tcv == priced.list_tcv == D("50000.00")
    assert priced.discount_total == D("0.00")


def test_a_commitment_met_by_the_charges_has_no_true_up() -> None:
    """Usage above the minimum: no true-up line, whatever the rounding."""
    doc = make_quote(
        components=[
            {
                "kind": "per_unit",
                "id": "calls",
                "name": "Calls",
                "metric": "calls",
                "unit_price": "0.10",
            },
            {"kind": "minimum_commitment", "id": "min", "name": "Minimum", "amount": "30000.00"},
        ],
        usage_forecast={"calls": {"monthly": "33335"}},
        discounts=[{"percent": "15"}],
    )
    priced = price(doc)
    assert not [line for p in priced.periods for line in p.lines if line.kind == "true_up"]
    assert priced.tcv == D("34001.64")  # 12 x (3,333.50 - 500.03)


# --- totals in the currency's minor unit ---------------------------------------------------
@pytest.mark.parametrize(("currency", "zero"), [("USD", "0.00"), ("JPY", "0"), ("BHD", "0.000")])
def test_empty_totals_are_in_the_minor_unit(currency: str, zero: str) -> None:
    doc = make_quote(currency=currency, components=[CALLS], discounts=[{"percent": "10"}])
    priced = price(doc)
    yearly = priced.years[0]
    assert all(
        str(value) == zero
        for value in (
            priced.tcv,
            priced.list_tcv,
            priced.discount_total,
            priced.first_year_acv,
            priced.average_monthly,
            priced.total_cogs,
            yearly.revenue,
            yearly.list_revenue,
            yearly.discounts,
            yearly.one_time,
            yearly.cogs,
            priced.components[0].total,
            priced.components[0].years[0].amount,
            *(p.total for p in priced.periods),
            *(p.list_total for p in priced.periods),
        )
    )
    assert str(priced.effective_discount_percent) == "0.00"
    # A commitment that is always met has no invoice line, and still a total of 0.00.
    met = price(
        make_quote(
            currency=currency, components=[PLATFORM, {**MONTHLY_MIN, "applies_to": ["platform"]}]
        )
    )
    assert met.components[0].total == D(12000)  # 1,000 x 12 meets the 1,000 a month
    assert [str(y.amount) for y in met.components[1].years] == [zero]
    assert str(met.components[1].total) == zero


def test_a_term_may_end_on_the_last_day_python_knows() -> None:
    priced = price(make_quote(start_date="9999-01-01"))
    assert priced.periods[-1].end == dt.date(9999, 12, 31)
    assert priced.years[0].end == dt.date(9999, 12, 31)


# --- escalated unit prices are billed as printed ------------------------------------------
@pytest.mark.parametrize(
    ("currency", "unit_price", "year_two_price"),
    [
        ("USD", "0.33", "0.35"),  # 0.33 x 1.05 = 0.3465, half up to the cent
        ("USD", "9.99", "10.49"),  # 10.4895
        ("USD", "100", "105.00"),  # exact
        ("USD", "0.0123", "0.0129"),  # 0.012915: a price with 4 decimals keeps 4
        ("USD", "0.0004", "0.0004"),  # 0.00042: below half a step of its 4th decimal
        ("JPY", "333", "350"),  # 349.65, half up to the yen
        ("BHD", "1.234", "1.296"),  # 1.2957, half up to the fils
    ],
)
def test_escalated_unit_prices_are_rounded_and_billed_as_rounded(
    currency: str, unit_price: str, year_two_price: str
) -> None:
    doc = make_quote(
        currency=currency,
        term_months=24,
        escalator_percent="5",
        components=[
            {
                "kind": "per_unit",
                "id": "u",
                "name": "Calls",
                "metric": "calls",
                "unit_price": unit_price,
            }
        ],
        usage_forecast={"calls": {"monthly": "1000"}},
    )
    priced = price(doc)
    year_two = priced.components[0].years[1]
    assert year_two.lines[0].unit_price == Decimal(year_two_price)
    # The bill is quantity x the rounded price: 12,000 calls x the year-2 price.
    expected = (Decimal(year_two_price) * 12000).quantize(
        Decimal(1).scaleb(-{"USD": 2, "JPY": 0, "BHD": 3}[currency])
    )
    assert year_two.amount == expected
    assert priced.years[1].revenue == expected


@settings(max_examples=60, deadline=None)
@given(
    unit_price=st.decimals(min_value=D("0.0001"), max_value=D("5"), places=4),
    monthly=st.integers(min_value=1, max_value=200_000),
    percent=st.decimals(min_value=D("0.01"), max_value=D("60"), places=2),
    billing=st.sampled_from(["monthly", "quarterly", "annual"]),
    term=st.sampled_from([12, 18, 24]),
)
def test_any_short_year_bills_its_minimum_to_the_cent(
    unit_price: Decimal, monthly: int, percent: Decimal, billing: str, term: int
) -> None:
    """Whatever the prices, the discount and the billing: a year whose usage falls short
    of the minimum bills the minimum exactly (a short last year its prorated minimum)."""
    minimum = D("100000000.00")  # above any usage these draw (12 x 5 x 200,000)
    doc = make_quote(
        billing_frequency=billing,
        term_months=term,
        components=[
            {
                "kind": "per_unit",
                "id": "calls",
                "name": "Calls",
                "metric": "calls",
                "unit_price": str(unit_price),
            },
            {"kind": "minimum_commitment", "id": "min", "name": "Minimum", "amount": str(minimum)},
        ],
        usage_forecast={"calls": {"monthly": str(monthly)}},
        discounts=[{"percent": str(percent)}],
    )
    priced = price(doc)
    for year in priced.years:
        periods = [p for p in priced.periods if p.contract_year == year.year]
        expected = (minimum * year.months / 12).quantize(D("0.01"), ROUND_HALF_UP)
        assert _committed_billed(periods, {"calls", "min"}) == expected
        assert year.revenue == expected


@settings(max_examples=60, deadline=None)
@given(
    platform=st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2),
    unit_price=st.decimals(min_value=D("0.0001"), max_value=D("5"), places=4),
    monthly=st.integers(min_value=1, max_value=200_000),
    percent=st.decimals(min_value=D("0.01"), max_value=D("60"), places=2),
    billing=st.sampled_from(["monthly", "quarterly", "annual"]),
    period=st.sampled_from(["month", "year"]),
)
def test_below_the_minimum_the_total_is_the_same_at_any_usage(
    platform: Decimal,
    unit_price: Decimal,
    monthly: int,
    percent: Decimal,
    billing: str,
    period: str,
) -> None:
    """A platform fee, usage below a minimum commitment and a deal discount on both: the
    platform fee keeps its own discount, so the deal costs the same at the forecast and at
    no usage (the committed value is never above the estimate by a few cents)."""
    minimum = D("100000000.00") if period == "year" else D("10000000.00")

    def priced_at(usage: str) -> Decimal:
        doc = make_quote(
            billing_frequency=billing,
            components=[
                {**PLATFORM, "amount": str(platform)},
                {
                    "kind": "per_unit",
                    "id": "calls",
                    "name": "Calls",
                    "metric": "calls",
                    "unit_price": str(unit_price),
                },
                {
                    "kind": "minimum_commitment",
                    "id": "min",
                    "name": "Minimum",
                    "amount": str(minimum),
                    "period": period,
                },
            ],
            usage_forecast={"calls": {"monthly": usage}},
            discounts=[{"percent": str(percent)}],
        )
        return price(doc).tcv

    assert priced_at(str(monthly)) == priced_at("0")


# --- discounts above 100 % of the committed usage ------------------------------------------
def test_discounts_above_all_of_the_usage_bill_the_minimum_and_the_platform_net() -> None:
    """60 % off 833.335 of calls and 40.01 % off the deal: together 100.01 % of the calls.
    A discount takes no more than the earlier ones left of a fee, so the calls bill
    833.34 - 500.00 - 333.33 = 0.01, the platform 1,000.00 - 400.10 = 599.90 (its own
    40.01 %), and the true-up tops the calls up to the 1,000.00 monthly minimum: 999.99.
    Each month: 1,000.00 + 833.34 + 999.99 - 500.00 - 733.43 = 1,599.90 (it billed 1,599.82:
    the partner discount took 0.08 more than the calls had left, off the minimum)."""
    doc = make_quote(
        components=[
            PLATFORM,
            {
                "kind": "per_unit",
                "id": "calls",
                "name": "Calls",
                "metric": "calls",
                "unit_price": "0.001",
            },
            {**MONTHLY_MIN, "amount": "1000.00", "applies_to": ["calls"]},
        ],
        usage_forecast={"calls": {"monthly": "833335"}},
        discounts=[
            {"description": "Usage discount", "percent": "60", "component": "calls"},
            {"description": "Partner discount", "percent": "40.01"},
        ],
    )
    priced = price(doc)
    for period in priced.periods:
        assert [(line.description, line.amount) for line in period.lines] == [
            ("Platform", D("1000.00")),
            ("Calls", D("833.34")),
            ("True-up: Minimum", D("999.99")),
            ("Usage discount", D("-500.00")),
            ("Partner discount", D("-733.43")),
        ]
        assert period.total == D("1000.00") - D("400.10") + D("1000.00")
    assert priced.tcv == 12 * D("1599.90")


_percents = st.decimals(min_value=D("0.01"), max_value=D("100"), places=2)


@settings(max_examples=80, deadline=None)
@given(
    platform=st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2),
    unit_price=st.decimals(min_value=D("0.0001"), max_value=D("5"), places=4),
    monthly=st.integers(min_value=1, max_value=400_000),
    discounts=st.lists(
        st.one_of(
            st.builds(lambda p: {"percent": str(p)}, _percents),
            st.builds(lambda p: {"percent": str(p), "component": "calls"}, _percents),
            st.builds(lambda p: {"percent": str(p), "component": "platform"}, _percents),
        ),
        min_size=1,
        max_size=3,
    ),
    currency=st.sampled_from(["USD", "JPY", "BHD"]),
    billing=st.sampled_from(["monthly", "quarterly", "annual"]),
    period=st.sampled_from(["month", "year"]),
)
def test_below_the_minimum_any_discounts_bill_the_minimum_and_the_other_fees_net(
    platform: Decimal,
    unit_price: Decimal,
    monthly: int,
    discounts: list[dict[str, str]],
    currency: str,
    billing: str,
    period: str,
) -> None:
    """Discounts adding up to more than 100 % of the usage included: every invoice of a
    deal whose usage falls short of a monthly minimum bills what it bills at no usage (the
    platform fee's net plus the minimum, to the minor unit); each contract year does
    for a yearly minimum."""
    minimum = D("100000000") if period == "year" else D("10000000")

    def bills_at(usage: str) -> list[Decimal]:
        doc = make_quote(
            currency=currency,
            billing_frequency=billing,
            components=[
                {**PLATFORM, "amount": str(platform)},
                {
                    "kind": "per_unit",
                    "id": "calls",
                    "name": "Calls",
                    "metric": "calls",
                    "unit_price": str(unit_price),
                },
                {
                    "kind": "minimum_commitment",
                    "id": "min",
                    "name": "Minimum",
                    "amount": str(minimum),
                    "period": period,
                    "applies_to": ["calls"],
                },
            ],
            usage_forecast={"calls": {"monthly": usage}},
            discounts=discounts,
        )
        priced = price(doc)
        if period == "year":
            return [year.revenue for year in priced.years]
        return [p.total for p in priced.periods]

    assert bills_at(str(monthly)) == bills_at("0")


# --- a monthly minimum on a quarterly invoice -----------------------------------------------
def _mixed_quarter(billing: str = "quarterly") -> Any:
    """A 500.00 platform fee, 80,000 calls at 0.0125 growing 5 % a month (1,000.00,
    1,050.00, 1,102.50 in the first quarter), 7.5 % off the deal, a 1,000.00 monthly
    minimum on the calls: after the discount January (925.00) and February (971.25) fall
    short, March (1,019.81) meets it."""
    return make_quote(
        billing_frequency=billing,
        components=[
            {**PLATFORM, "amount": "500.00"},
            {
                "kind": "per_unit",
                "id": "calls",
                "name": "API calls",
                "metric": "calls",
                "unit_price": "0.0125",
            },
            {**MONTHLY_MIN, "amount": "1000.00", "applies_to": ["calls"]},
        ],
        usage_forecast={"calls": {"monthly": "80000", "growth_percent_per_month": "5"}},
        discounts=[{"description": "Partner discount", "percent": "7.5"}],
    )


def test_a_quarter_whose_months_meet_a_monthly_minimum_in_part_states_each_month() -> None:
    """The quarter's true-up is January's 1,000.00 - 925.00 = 75.00 plus February's
    1,000.00 - 971.25 = 28.75; March's 1,019.81 meets the minimum. The line carries the
    three months, so the invoice (and price --json) adds up to the cent, and the months
    are trued up as they are billed monthly."""
    from quote_builder.pricing.serialize import priced_to_dict

    priced = price(_mixed_quarter())
    first = priced.periods[0]
    (true_up,) = [line for line in first.lines if line.kind == "true_up"]
    assert [(m.month.isoformat(), m.spend, m.minimum, m.true_up) for m in true_up.months] == [
        ("2027-01-01", D("925.00"), D("1000.00"), D("75.00")),
        ("2027-02-01", D("971.25"), D("1000.00"), D("28.75")),
        ("2027-03-01", D("1019.81"), D("1000.00"), D("0.00")),
    ]
    assert true_up.amount == D("75.00") + D("28.75")
    # By hand: 1,500.00 platform + 3,152.50 calls + 103.75 - 7.5 % of 4,652.50 (348.94).
    assert first.total == D("1500.00") + D("3152.50") + D("103.75") - D("348.94")
    # At list prices every month meets the minimum: the true-up is what the buyer gives
    # back of the discount.
    assert first.list_total == D("1500.00") + D("3152.50")
    # Quarters whose every month meets it (or falls short) carry no months.
    assert all(not line.months for p in priced.periods[1:] for line in p.lines)
    raw = priced_to_dict(priced)["periods"][0]["lines"]
    assert [line.get("months") for line in raw if line["kind"] == "true_up"] == [
        [
            {"month": "2027-01-01", "spend": "925.00", "minimum": "1000.00", "true_up": "75.00"},
            {"month": "2027-02-01", "spend": "971.25", "minimum": "1000.00", "true_up": "28.75"},
            {"month": "2027-03-01", "spend": "1019.81", "minimum": "1000.00", "true_up": "0.00"},
        ]
    ]
    assert "months" not in raw[0]
    # Billed monthly, January and February are trued up the same.
    monthly = price(_mixed_quarter("monthly")).periods[:3]
    assert [line.amount for p in monthly for line in p.lines if line.kind == "true_up"] == [
        D("75.00"),
        D("28.75"),
    ]
