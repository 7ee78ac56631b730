"""Every quote in examples/ priced end to end, against totals worked out by hand.

Each expected amount was computed from the pricing rules (engine.py's docstring,
components.py), not copied from the engine's output; the arithmetic sits beside it.
Conventions used in the comments:

- the escalator compounds from contract year 2: year-2 price = year-1 price x (1 + e);
- COGS per month = quantity x unit cost x cost levers x (1 - decline)^(year - 1), plus the
  fixed cost to serve; levers multiply: 40 % routing and 30 % cache = 0.6 x 0.7 = 0.42;
- an invoice line is one component's amount over one billing period, rounded half-up once;
  totals are sums of rounded lines;
- ACV = year-1 revenue without one-time fees.

A new file in examples/ must get a row in EXPECTED (test_every_example_has_expected_totals).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from quote_builder.pricing import PricedQuote, load_quote, price

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"

D = Decimal


@dataclass(frozen=True)
class Line:
    component_id: str | None
    kind: str
    amount: Decimal


@dataclass(frozen=True)
class Period:
    index: int
    start: dt.date
    end: dt.date
    lines: tuple[Line, ...]
    total: Decimal


@dataclass(frozen=True)
class Year:
    revenue: Decimal
    cogs: Decimal


@dataclass(frozen=True)
class Expected:
    file: str
    tcv: Decimal
    years: tuple[Year, ...]
    first_year_acv: Decimal
    periods: tuple[Period, ...] = ()
    warnings: frozenset[str] = frozenset()


EXPECTED = (
    # Analytics copilot, 36 months from 2027-01-01, quarterly, escalator 5 %.
    # Platform fee 1,500 a month; 3,000 queries a month with 2,000 included, so 1,000 of
    # overage at 0.40 = 400 a month; onboarding 2,500 once (month 1); 10 % off every
    # recurring charge for months 1-6.
    # COGS: unit cost 0.10 x 0.6 (routing 40 %) x 0.7 (cache 30 %) = 0.042 a query,
    # falling 30 % a year; fixed cost 150 a month.
    Expected(
        file="platform_usage_analytics.json",
        years=(
            Year(
                # 1,500 x 12 + 400 x 12 + 2,500 - 10 % x (1,500 + 400) x 6
                # = 18,000 + 4,800 + 2,500 - 1,140 = 24,160
                revenue=D("24160.00"),
                # (3,000 x 0.042 + 150) x 12 = (126 + 150) x 12 = 276 x 12 = 3,312
                cogs=D("3312.00"),
            ),
            Year(
                # 1,500 x 1.05 = 1,575; 1,000 x 0.40 x 1.05 = 420
                # (1,575 + 420) x 12 = 1,995 x 12 = 23,940
                revenue=D("23940.00"),
                # 0.042 x 0.7 = 0.0294; (3,000 x 0.0294 + 150) x 12 = 238.20 x 12 = 2,858.40
                cogs=D("2858.40"),
            ),
            Year(
                # 1.05^2 = 1.1025: 1,500 x 1.1025 = 1,653.75; the overage price
                # 0.40 x 1.1025 = 0.441 is billed rounded to the cent, 0.44: 1,000 x 0.44 = 440
                # (1,653.75 + 440) x 12 = 2,093.75 x 12 = 25,125
                revenue=D("25125.00"),
                # 0.0294 x 0.7 = 0.02058; (3,000 x 0.02058 + 150) x 12 = 211.74 x 12 = 2,540.88
                cogs=D("2540.88"),
            ),
        ),
        tcv=D("73225.00"),  # 24,160 + 23,940 + 25,125 = 73,225
        first_year_acv=D("21660.00"),  # 24,160 - 2,500 onboarding = 21,660
        periods=(
            Period(
                1,
                dt.date(2027, 1, 1),
                dt.date(2027, 3, 31),
                (
                    Line("onboarding", "charge", D("2500.00")),  # once, month 1
                    Line("platform", "charge", D("4500.00")),  # 1,500 x 3
                    Line("queries", "charge", D("1200.00")),  # 1,000 x 0.40 x 3
                    Line(None, "discount", D("-570.00")),  # 10 % x (4,500 + 1,200)
                ),
                D("7630.00"),  # 2,500 + 4,500 + 1,200 - 570 = 7,630
            ),
            Period(
                9,
                dt.date(2029, 1, 1),
                dt.date(2029, 3, 31),
                (
                    Line("platform", "charge", D("4961.25")),  # 1,653.75 x 3
                    Line("queries", "charge", D("1320.00")),  # 1,000 x 0.44 x 3
                ),
                D("6281.25"),  # 4,961.25 + 1,320 = 6,281.25
            ),
        ),
    ),
    # Customer support, 24 months from 2026-07-01, quarterly, escalator 4 %.
    # 2.50 per resolved ticket; a monthly minimum of 10,000 on resolved tickets (not
    # escalated). Forecast: 3,600 resolved a month in year 1, 5,000 in year 2.
    # Year 1: 3,600 x 2.50 = 9,000 a month, true-up 10,000 - 9,000 = 1,000 a month.
    # Year 2: 2.50 x 1.04 = 2.60; 5,000 x 2.60 = 13,000 a month, above the minimum.
    # COGS on tickets handled (4,500 a month in year 1, 6,000 in year 2): unit cost
    # 0.40 x 0.6 (routing 40 %) x 0.75 (cache 25 %) = 0.18, falling 20 % a year;
    # fixed cost 400 a month.
    Expected(
        file="outcome_based_support.json",
        years=(
            Year(
                revenue=D("120000.00"),  # (9,000 + 1,000 true-up) x 12 = 120,000
                # (4,500 x 0.18 + 400) x 12 = (810 + 400) x 12 = 1,210 x 12 = 14,520
                cogs=D("14520.00"),
            ),
            Year(
                revenue=D("156000.00"),  # 13,000 x 12 = 156,000; no true-up
                # 0.18 x 0.8 = 0.144; (6,000 x 0.144 + 400) x 12 = 1,264 x 12 = 15,168
                cogs=D("15168.00"),
            ),
        ),
        tcv=D("276000.00"),  # 120,000 + 156,000 = 276,000
        first_year_acv=D("120000.00"),  # no one-time fee: year-1 revenue, true-ups included
        periods=(
            Period(
                1,
                dt.date(2026, 7, 1),
                dt.date(2026, 9, 30),
                (
                    Line("resolutions", "charge", D("27000.00")),  # 3,600 x 2.50 x 3
                    Line("commitment", "true_up", D("3000.00")),  # 1,000 x 3
                ),
                D("30000.00"),  # 27,000 + 3,000 = 30,000
            ),
            Period(
                5,
                dt.date(2027, 7, 1),
                dt.date(2027, 9, 30),
                (Line("resolutions", "charge", D("39000.00")),),  # 5,000 x 2.60 x 3
                D("39000.00"),  # no true-up line: 13,000 a month is above 10,000
            ),
        ),
        # Cache hits of 25 % are below the playbook's 30-60 %: an info since issue 12.
        # Tickets resolved have no unit cost of their own: the cost sits on tickets handled,
        # a cost-only metric (an info that says where the usage cost is counted).
        warnings=frozenset({"COST_LEVER_OUT_OF_RANGE", "NO_UNIT_COST"}),
    ),
    # Coding assistant for teams, 24 months from 2026-10-01, annual billing, escalator 3 %.
    # Onboarding 5,000 once; seats at 60 a month (720 a seat a year): 40 seats in year 1,
    # 60 in year 2 (ramp); 25 % off seats for months 1-6.
    # Credits: 1,500 a seat a month, pooled; chat message burns 1, agent task 20; extra
    # credits in packs of 10,000 at 150 (escalated: 154.50 in year 2).
    # Year 1: 8,000 + 500 x 20 = 18,000 credits used of 40 x 1,500 = 60,000: no packs.
    # Year 2 (ramp usage): 20,000 + 4,300 x 20 = 106,000 used of 60 x 1,500 = 90,000:
    # 16,000 short a month. Purchased credits never expire (rule change: they used to
    # expire at month end with rollover_months 0, so 2 packs were bought every month), so
    # each month first uses what earlier packs left:
    #   month short  from packs left  still short  packs  left after
    #     13  16,000       0               16,000      2    4,000
    #     14  16,000   4,000               12,000      2    8,000
    #     15  16,000   8,000                8,000      1    2,000
    #     16  16,000   2,000               14,000      2    6,000
    #     17  16,000   6,000               10,000      1        0
    #     18-22 repeat 13-17 (2, 2, 1, 2, 1 packs); 23 and 24 repeat 13 and 14 (2, 2)
    #   packs: 8 + 8 + 4 = 20 (not 24), at 150 x 1.03 = 154.50 each.
    # Item 15 adds a warning: a pack credit costs 150 / 10,000 = 0.015, an agent task burns
    # 20, so it sells at 0.30, below its cost-anchored price 0.60 x 0.5 / (1 - 0.65) = 0.8571.
    # COGS: chat 0.01 and agent task 0.60, x 0.5 (routing 50 %), falling 25 % a year
    # (year-2 factor 0.5 x 0.75 = 0.375); fixed cost 200 a month.
    Expected(
        file="seats_credits_coding_team.json",
        years=(
            Year(
                # 5,000 + 40 x 60 x 12 - 25 % x 40 x 60 x 6 = 5,000 + 28,800 - 3,600 = 30,200
                revenue=D("30200.00"),
                # (8,000 x 0.005 + 500 x 0.30 + 200) x 12 = (40 + 150 + 200) x 12 = 4,680
                cogs=D("4680.00"),
            ),
            Year(
                # seats 60 x 60 x 1.03 x 12 = 60 x 61.80 x 12 = 44,496
                # packs 20 x 150 x 1.03 = 20 x 154.50 = 3,090
                # 44,496 + 3,090 = 47,586
                revenue=D("47586.00"),
                # (20,000 x 0.00375 + 4,300 x 0.225 + 200) x 12
                # = (75 + 967.50 + 200) x 12 = 1,242.50 x 12 = 14,910
                cogs=D("14910.00"),
            ),
        ),
        tcv=D("77786.00"),  # 30,200 + 47,586 = 77,786
        first_year_acv=D("25200.00"),  # 30,200 - 5,000 onboarding = 25,200
        periods=(
            Period(
                1,
                dt.date(2026, 10, 1),
                dt.date(2027, 9, 30),
                (
                    Line("onboarding", "charge", D("5000.00")),
                    Line("seats", "charge", D("28800.00")),  # 40 x 60 x 12
                    Line("credits", "charge", D("0.00")),  # 18,000 of 60,000 used: no packs
                    Line("seats", "discount", D("-3600.00")),  # 25 % x 2,400 x 6
                ),
                D("30200.00"),  # 5,000 + 28,800 + 0 - 3,600 = 30,200
            ),
            Period(
                2,
                dt.date(2027, 10, 1),
                dt.date(2028, 9, 30),
                (
                    Line("seats", "charge", D("44496.00")),  # 60 x 61.80 x 12
                    Line("credits", "charge", D("3090.00")),  # 20 packs x 154.50
                ),
                D("47586.00"),  # 44,496 + 3,090 = 47,586
            ),
        ),
        warnings=frozenset({"PRICE_BELOW_COST_ANCHOR"}),
    ),
    # Coding assistant for individuals, 12 months from 2027-02-01, monthly billing.
    # 25 Core seats (no AI) at 10 a month = 120 a year; 15 Pro seats (AI) at 19 a month
    # = 228 a year. COGS: 9,000 AI requests a month x 0.004 x 0.5 (cache 50 %) = 18, plus
    # a fixed cost of 40 a month.
    Expected(
        file="seats_ai_tiers_coding_individual.json",
        years=(
            Year(
                # (25 x 10 + 15 x 19) x 12 = (250 + 285) x 12 = 535 x 12 = 6,420
                revenue=D("6420.00"),
                cogs=D("696.00"),  # (9,000 x 0.002 + 40) x 12 = 58 x 12 = 696
            ),
        ),
        tcv=D("6420.00"),  # one contract year
        first_year_acv=D("6420.00"),  # no one-time fee
        periods=(
            Period(
                12,
                dt.date(2028, 1, 1),
                dt.date(2028, 1, 31),
                (
                    Line("core", "charge", D("250.00")),  # 25 x 10
                    Line("pro", "charge", D("285.00")),  # 15 x 19
                ),
                D("535.00"),  # 250 + 285 = 535
            ),
        ),
    ),
    # Sales intelligence, 12 months from 2026-09-01, monthly billing, no escalator.
    # Base fee 500 a month; 2 % of attributed revenue above a baseline of 80,000 a month,
    # raised to a floor of 500 and limited to a cap of 2,500 a month. Attributed revenue:
    # 100,000 in month 1, growing 10 % a month, each month rounded to 0.01:
    #   m1 100,000        -> 2 % x  20,000       =   400      -> floor 500
    #   m2 110,000        -> 2 % x  30,000       =   600
    #   m3 121,000        -> 2 % x  41,000       =   820
    #   m4 133,100        -> 2 % x  53,100       = 1,062
    #   m5 146,410        -> 2 % x  66,410       = 1,328.20
    #   m6 161,051        -> 2 % x  81,051       = 1,621.02
    #   m7 177,156.10     -> 2 % x  97,156.10    = 1,943.122   -> line 1,943.12
    #   m8 194,871.71     -> 2 % x 114,871.71    = 2,297.4342  -> line 2,297.43
    #   m9 214,358.881    -> 214,358.88; 2 % x 134,358.88 = 2,687.18 -> cap 2,500
    #   m10-m12 (235,794.77; 259,374.25; 285,311.67) are higher still -> cap 2,500 each
    # Share lines: 500 + 600 + 820 + 1,062 + 1,328.20 + 1,621.02 + 1,943.12 + 2,297.43
    #   + 2,500 x 4 = 20,171.77
    # COGS: 5,000 accounts enriched a month x 0.05 = 250, plus a fixed cost of 120.
    Expected(
        file="outcome_contingent_sales.json",
        years=(
            Year(
                revenue=D("26171.77"),  # 500 x 12 + 20,171.77 = 6,000 + 20,171.77 = 26,171.77
                cogs=D("4440.00"),  # (250 + 120) x 12 = 370 x 12 = 4,440
            ),
        ),
        tcv=D("26171.77"),  # one contract year
        first_year_acv=D("26171.77"),  # no one-time fee
        periods=(
            Period(
                1,
                dt.date(2026, 9, 1),
                dt.date(2026, 9, 30),
                (
                    Line("base", "charge", D("500.00")),
                    Line("share", "charge", D("500.00")),  # 400 raised to the 500 floor
                ),
                D("1000.00"),  # 500 + 500
            ),
            Period(
                7,
                dt.date(2027, 3, 1),
                dt.date(2027, 3, 31),
                (
                    Line("base", "charge", D("500.00")),
                    Line("share", "charge", D("1943.12")),  # 1,943.122 rounded half-up
                ),
                D("2443.12"),  # 500 + 1,943.12
            ),
            Period(
                8,
                dt.date(2027, 4, 1),
                dt.date(2027, 4, 30),
                (
                    Line("base", "charge", D("500.00")),
                    Line("share", "charge", D("2297.43")),  # 2,297.4342 rounded half-up
                ),
                D("2797.43"),  # 500 + 2,297.43
            ),
            Period(
                9,
                dt.date(2027, 5, 1),
                dt.date(2027, 5, 31),
                (
                    Line("base", "charge", D("500.00")),
                    Line("share", "charge", D("2500.00")),  # 2,687.18 limited to the cap
                ),
                D("3000.00"),  # 500 + 2,500
            ),
        ),
        # Value share is not what the playbook recommends for sales intelligence (platform
        # + usage): an info since issue 12.
        warnings=frozenset({"MODEL_NOT_RECOMMENDED"}),
    ),
    # Issue 18: a German customer's quote in EUR, priced from the USD catalog at 0.9213 EUR
    # per USD (49.00 USD x 0.9213 = 45.1437 -> 45.14 EUR a seat), 24 months from
    # 2027-01-01, quarterly, escalator 4 %. Costs are USD (the seller's): 60 a month.
    # Tax (reverse charge) is beside the price and changes none of these figures.
    Expected(
        file="eur_reverse_charge_germany.json",
        years=(
            # 12 seats x 45.14 = 541.68 a month; x 12 = 6,500.16
            Year(revenue=D("6500.16"), cogs=D("720.00")),  # COGS 60 x 12 = 720 USD
            # 45.14 x 1.04 = 46.9456 -> 46.95; 12 x 46.95 = 563.40; x 12 = 6,760.80
            Year(revenue=D("6760.80"), cogs=D("720.00")),
        ),
        tcv=D("13260.96"),  # 6,500.16 + 6,760.80
        first_year_acv=D("6500.16"),
        periods=(
            Period(
                1,
                dt.date(2027, 1, 1),
                dt.date(2027, 3, 31),
                (Line("team", "charge", D("1625.04")),),  # 541.68 x 3
                D("1625.04"),
            ),
        ),
        # Seats with AI tiers is not the playbook's model for document processing (info);
        # the category ranges are in USD, so a EUR quote is not compared (info).
        warnings=frozenset({"MODEL_NOT_RECOMMENDED", "CATEGORY_RANGE_NOT_COMPARED"}),
    ),
    # Issue 18: a Japanese customer's quote in JPY, 36 months from 2027-04-01, monthly,
    # escalator 5 %; 3 Pro seats at 7,350 JPY and onboarding 150,000 JPY once. JPY has no
    # minor unit: each escalated price is rounded half up to the yen. Costs are USD.
    Expected(
        file="jpy_consumption_tax_japan.json",
        years=(
            # 3 x 7,350 = 22,050 a month; x 12 = 264,600; + 150,000 once = 414,600
            Year(revenue=D("414600"), cogs=D("240.00")),  # 20 USD x 12 = 240 USD
            # 7,350 x 1.05 = 7,717.5 -> 7,718; 3 x 7,718 = 23,154; x 12 = 277,848
            Year(revenue=D("277848"), cogs=D("240.00")),
            # 7,350 x 1.05 x 1.05 = 8,103.375 -> 8,103; 3 x 8,103 = 24,309; x 12 = 291,708
            Year(revenue=D("291708"), cogs=D("240.00")),
        ),
        tcv=D("984156"),  # 414,600 + 277,848 + 291,708
        first_year_acv=D("264600"),  # 414,600 - 150,000 onboarding
        periods=(
            Period(
                1,
                dt.date(2027, 4, 1),
                dt.date(2027, 4, 30),
                (
                    Line("pro", "charge", D("22050")),  # 3 x 7,350
                    Line("setup", "charge", D("150000")),  # once, month 1
                ),
                D("172050"),  # 22,050 + 150,000
            ),
            Period(
                13,
                dt.date(2028, 4, 1),
                dt.date(2028, 4, 30),
                (Line("pro", "charge", D("23154")),),  # 3 x 7,718
                D("23154"),
            ),
        ),
        warnings=frozenset({"MODEL_NOT_RECOMMENDED", "CATEGORY_RANGE_NOT_COMPARED"}),
    ),
    # Issue 18: a US quote whose sales tax (8.875 %, New York) the rep confirmed; 12 months
    # from 2027-02-01, monthly: 10 analyst seats at 49.00 and a 1,500.00 platform fee.
    Expected(
        file="usd_sales_tax_new_york.json",
        years=(
            # (10 x 49.00 + 1,500.00) x 12 = 1,990.00 x 12 = 23,880.00; COGS 300 x 12
            Year(revenue=D("23880.00"), cogs=D("3600.00")),
        ),
        tcv=D("23880.00"),  # before tax: the 2,119.32 of sales tax is not revenue
        first_year_acv=D("23880.00"),
        periods=(
            Period(
                1,
                dt.date(2027, 2, 1),
                dt.date(2027, 2, 28),
                (
                    Line("analysts", "charge", D("490.00")),  # 10 x 49.00
                    Line("platform", "charge", D("1500.00")),
                ),
                D("1990.00"),
            ),
        ),
    ),
)


def _price(file: str) -> PricedQuote:
    path = EXAMPLES_DIR / file
    return price(load_quote(path.read_text(encoding="utf-8"), source=str(path)))


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e.file)
def test_example_prices_to_the_hand_computed_totals(expected: Expected) -> None:
    priced = _price(expected.file)

    assert [(y.revenue, y.cogs) for y in priced.years] == [
        (y.revenue, y.cogs) for y in expected.years
    ]
    assert priced.tcv == expected.tcv
    assert sum((y.revenue for y in expected.years), D(0)) == expected.tcv  # table sanity
    assert priced.first_year_acv == expected.first_year_acv
    assert priced.total_cogs == sum((y.cogs for y in expected.years), D(0))

    by_index = {p.index: p for p in priced.periods}
    for period in expected.periods:
        actual = by_index[period.index]
        assert (actual.start, actual.end) == (period.start, period.end)
        assert [Line(x.component_id, x.kind, x.amount) for x in actual.lines] == list(
            period.lines
        ), f"period {period.index}"
        assert actual.total == period.total, f"period {period.index}"


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e.file)
def test_example_warnings(expected: Expected) -> None:
    priced = _price(expected.file)
    assert {w.code for w in priced.warnings} == expected.warnings
    assert priced.blocking == ()


def test_every_example_has_expected_totals() -> None:
    files = {p.name for p in EXAMPLES_DIR.glob("*.json")}
    listed = [e.file for e in EXPECTED]
    assert len(listed) == len(set(listed)), "an example is listed twice"
    assert files == set(listed), (
        f"examples without expected totals: {sorted(files - set(listed))}; "
        f"listed but missing: {sorted(set(listed) - files)}"
    )


@pytest.mark.parametrize(
    ("year", "allocation", "from_packs", "packs", "amount"),
    [
        # Year 1: 8,000 + 500 x 20 = 18,000 a month, under 40 x 1,500 = 60,000:
        # 18,000 x 12 = 216,000 from the allocation, no packs.
        (1, "216000", "0", "0", "0.00"),
        # Year 2: 20,000 + 4,300 x 20 = 106,000 a month x 12 = 1,272,000 used;
        # 60 x 1,500 x 12 = 1,080,000 from the allocation, 1,272,000 - 1,080,000 = 192,000
        # from packs: 20 packs (200,000 credits, 8,000 left at the end) x 154.50 = 3,090.00.
        # (The breakdown said 44,000 "purchased credits used": only what earlier months'
        # packs left over.)
        (2, "1080000", "192000", "20", "3090.00"),
    ],
)
def test_credits_breakdown_adds_up_to_the_credits_used(
    year: int, allocation: str, from_packs: str, packs: str, amount: str
) -> None:
    priced = _price("seats_credits_coding_team.json")
    (credits,) = [c for c in priced.components if c.component_id == "credits"]
    lines = {line.label: line for line in credits.years[year - 1].lines}
    assert lines["Credits used from allocation"].quantity == D(allocation)
    assert lines["Credits used from packs"].quantity == D(from_packs)
    assert lines["Credit packs of 10000"].quantity == D(packs)
    assert lines["Credit packs of 10000"].amount == credits.years[year - 1].amount == D(amount)
    assert "Purchased credits used" not in lines
