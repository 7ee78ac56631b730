"""The price table by contract year (issue 17, §1): one view-model for the editor and the
PDFs, built from the customer's terms, adding up to the engine's totals."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quote_builder.documents.formatting import Formatter
from quote_builder.documents.price_sheet import (
    SheetRow,
    _shares,
    sheet_from_quote,
    sheet_from_terms,
)
from quote_builder.documents.viewmodel import customer_view
from quote_builder.pricing import price

from .conftest import EXAMPLES, example, request_for

D_ = Decimal


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_editor_and_the_documents_build_the_same_sheet(path: Path) -> None:
    """The editor builds its sheet from the document (no parties); the PDFs from the
    customer's terms. Same rows, same numbers: the app and the PDF cannot disagree."""
    doc = example(path.name)
    view = customer_view(request_for(doc))
    from_terms = sheet_from_terms(view.terms, view.estimates.discount_shares)
    assert sheet_from_quote(doc, price(doc)) == from_terms


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_lines_add_up_to_the_years_and_the_years_to_the_tcv(path: Path) -> None:
    doc = example(path.name)
    priced = price(doc)
    sheet = sheet_from_quote(doc, priced)
    for year, engine_year in zip(sheet.years, priced.years, strict=True):
        rows = sheet.rows_of(year.year)
        assert {r.kind for r in rows} <= {"component", "detail"}  # no "Less:" lines
        # The line totals (discounts included) add up to the year's total, and each is its
        # list amount less what the discounts take from it; those shares add up to the
        # engine's discount lines of the year.
        components = [r for r in rows if r.kind == "component"]
        total = sum((r.line_total for r in components if r.line_total), Decimal(0))
        assert total == year.amount == engine_year.revenue
        for r in components:
            assert r.line_total == (r.amount or 0) - (r.discount_amount or 0)
        taken = sum((r.discount_amount for r in components if r.discount_amount), Decimal(0))
        engine = -sum(
            (
                line.amount
                for period in priced.periods
                if period.contract_year == year.year
                for line in period.lines
                if line.kind == "discount"
            ),
            Decimal(0),
        )
        assert taken == engine == sum((amount for _label, amount in year.discounts), Decimal(0))
    assert sum((y.amount for y in sheet.years), Decimal(0)) == sheet.total_contract_value
    assert sheet.total_contract_value == priced.tcv


def test_seats_are_committed_and_usage_a_forecast() -> None:
    doc = example("seats_credits_coding_team.json")
    sheet = sheet_from_quote(doc, price(doc))
    seats = [r for r in sheet.rows if r.component_kind == "seats" and r.kind == "component"]
    assert seats and all(r.basis == "committed" for r in seats)
    # Year 1: 40 seats at 60.00 a month for 12 months = 28,800.00 (before discounts).
    first = seats[0]
    assert (first.quantity, first.list_unit_price, first.amount) == (
        Decimal(40),
        Decimal("60.00"),
        Decimal("28800.00"),
    )
    assert first.unit_text() == "seats × 12 months"
    usage = [r for r in sheet.rows if r.basis == "forecast"]
    assert usage and all(r.unit_text().endswith("(est.)") for r in usage if r.unit_text())


def test_the_sheet_has_no_place_for_internal_numbers() -> None:
    """Built from the customer's terms only: no field for a cost, a margin or a floor."""
    names = {f.name for f in dataclasses.fields(SheetRow)}
    assert not {n for n in names if any(w in n for w in ("cost", "margin", "floor", "note"))}


# --- line totals: what each line costs, discounts included (issue 13 §2) -----------------


def _component_row(sheet: object, label: str, year: int) -> SheetRow:
    (row,) = [
        r
        for r in sheet.rows  # type: ignore[attr-defined]
        if r.kind == "component" and r.label == label and r.year == year
    ]
    return row


def test_a_whole_year_percent_is_in_the_net_unit_price_and_the_line_total() -> None:
    from quote_builder.pricing.document import Discount

    doc = example("platform_usage_analytics.json")
    doc = doc.model_copy(
        update={"discounts": [Discount(description="Multi-year discount", percent=Decimal("15"))]}
    )
    sheet = sheet_from_quote(doc, price(doc))
    # | year | list unit price      | 15 % off                 | quantity | line total           |
    # | 1    | 1,500.00             | 1,500 x 0.85 = 1,275.00  | 12       | 12 x 1,275 = 15,300  |
    # | 2    | 1,500 x 1.05 = 1,575 | 1,575 x 0.85 = 1,338.75  | 12       | 12 x 1,338.75 = 16,065 |
    for year, unit, net, total in (
        (1, "1500.00", "1275.00", "15300.00"),
        (2, "1575.00", "1338.75", "16065.00"),
    ):
        row = _component_row(sheet, "Platform fee", year)
        assert (row.list_unit_price, row.discount_percent, row.net_unit_price) == (
            Decimal(unit),
            Decimal(15),
            Decimal(net),
        )
        assert row.net_is_exact and row.quantity == 12
        assert row.line_total == Decimal(total) == row.quantity * row.net_unit_price
        assert row.amount - row.line_total == row.discount_amount  # 12 x list x 15 %
    f = Formatter("USD")
    row = _component_row(sheet, "Platform fee", 1)
    assert (row.discount_text(f), row.net_text(f), row.total_text(f)) == (
        "15.00%",
        "$1,275.00",
        "15,300.00",
    )


def test_a_discount_for_part_of_the_year_shows_the_amount_it_takes() -> None:
    """The example's launch discount: 10 % of the recurring fees for the first 6 months.
    Year 1 takes 10 % x 6 x (1,500 platform + 400 overage) = 1,140.00, shared in proportion
    to the year's recurring amounts: 18,000 / 22,800 -> 900.00 and 4,800 / 22,800 -> 240.00.
    No single percent or net unit price is true for the whole year, so none is shown."""
    doc = example("platform_usage_analytics.json")
    sheet = sheet_from_quote(doc, price(doc))
    f = Formatter("USD")
    platform = _component_row(sheet, "Platform fee", 1)
    queries = _component_row(sheet, "Analyst queries", 1)
    onboarding = _component_row(sheet, "Onboarding", 1)
    assert (platform.amount, platform.discount_amount, platform.line_total) == (
        Decimal("18000.00"),
        Decimal("900.00"),
        Decimal("17100.00"),
    )
    assert (queries.amount, queries.discount_amount, queries.line_total) == (
        Decimal("4800.00"),
        Decimal("240.00"),
        Decimal("4560.00"),
    )
    assert onboarding.discount_amount is None  # one-time: a deal discount leaves it
    assert not platform.net_is_exact
    assert (platform.discount_text(f), platform.net_text(f)) == ("-900.00", "")
    (year1,) = [y for y in sheet.years if y.year == 1]
    assert year1.discounts == (("Launch discount, first 6 months", Decimal("1140.00")),)
    assert year1.amount == Decimal("2500.00") + Decimal("17100.00") + Decimal("4560.00")
    year2 = _component_row(sheet, "Platform fee", 2)
    assert year2.discount_amount is None and year2.line_total == year2.amount


def test_an_amount_off_is_shown_as_the_amount_it_takes() -> None:
    from quote_builder.pricing.document import Discount

    doc = example("platform_usage_analytics.json")
    doc = doc.model_copy(
        update={
            "discounts": [
                Discount(description="Partner credit", amount=Decimal("100"), component="platform")
            ]
        }
    )
    sheet = sheet_from_quote(doc, price(doc))
    row = _component_row(sheet, "Platform fee", 1)
    # 100.00 a month off the platform fee for the whole term: 12 x 100 = 1,200.00 a year
    assert (row.discount_amount, row.line_total) == (Decimal("1200.00"), Decimal("16800.00"))
    assert not row.net_is_exact and row.discount_text(Formatter("USD")) == "-1,200.00"


@given(
    total=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=8),
    places=st.sampled_from([0, 2, 3]),
)
def test_shares_add_up_to_the_discount_exactly(total: int, weights: list[int], places: int) -> None:
    quantum = Decimal(1).scaleb(-places)
    amount = Decimal(total) * quantum
    shares = _shares(amount, [Decimal(w) for w in weights], quantum)
    assert sum(shares, Decimal(0)) == amount
    whole = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        assert share >= 0 and share % quantum == 0
        assert abs(share - amount * weight / whole) < quantum  # within one minor unit


# --- parts: every line a buyer can add up (the reviewer's point 2) ----------------------


def _parts(sheet: object, component_id: str, year: int) -> list[SheetRow]:
    return [
        r
        for r in sheet.rows  # type: ignore[attr-defined]
        if r.kind == "detail" and r.component_id == component_id and r.year == year
    ]


def test_a_share_of_value_line_is_its_share_plus_the_floor_and_cap_adjustments() -> None:
    """outcome_contingent_sales: 2 % of attributed revenue above 80,000 a month, raised to a
    500 floor, limited to a 2,500 cap; revenue 100,000 in month 1 growing 10 % a month. The
    line total was printed beside sub-lines without amounts, and could not be rebuilt."""
    doc = example("outcome_contingent_sales.json")
    sheet = sheet_from_quote(doc, price(doc))
    f = Formatter("USD")
    (share,) = [r for r in sheet.rows if r.kind == "component" and r.component_id == "share"]
    parts = _parts(sheet, "share", 1)
    # | part                       | quantity              | unit   | amount                   |
    # | 2 % above baseline         | 1,178,428.38 (summed) | 2.00 % | 2 % x 1,178,428.38       |
    # |                            |                       |        |   = 23,568.5676 -> .57   |
    # | raised to the floor (m1)   | 1 month               |        | 500 - 2 % x 20,000 = 100 |
    # | limited to the cap (m9-12) | 4 months              |        | 2,500 x 4 - 2 % x        |
    # |                            |                       |        |   (134,358.88 + 155,794.77|
    # |                            |                       |        |   + 179,374.25 + 205,311.67)|
    # |                            |                       |        |   = 10,000 - 13,496.79   |
    # | rounding                   |                       |        | -0.01: 12 monthly        |
    # |                            |                       |        |   invoices, each rounded |
    # | line total                 |                       |        | 20,171.77                |
    assert [(r.label, r.number_text(f), r.price_text(r.list_unit_price, f), r.total_text(f))
            for r in parts] == [
        ("2% of attributed value above baseline", "1,178,428.38", "2.00%", "23,568.57"),
        ("Raised to the monthly floor", "1", "", "100.00"),
        ("Limited to the monthly cap", "4", "", "-3,496.79"),
        ("Rounding", "", "", "-0.01"),
    ]  # fmt: skip
    assert sum((r.line_total for r in parts if r.line_total), Decimal(0)) == share.line_total
    assert share.line_total == Decimal("23568.57") + 100 - Decimal("3496.79") - Decimal("0.01")
    assert share.line_total == Decimal("20171.77")


def test_credits_parts_name_where_the_credits_came_from_and_what_is_paid() -> None:
    """seats_credits_coding_team, year 2: (20,000 + 4,300 x 20) x 12 = 1,272,000 credits
    used; 60 seats x 1,500 x 12 = 1,080,000 from the allocation; 192,000 from packs (20
    packs of 10,000 = 200,000 bought) at 150 x 1.03 = 154.50 a pack = 3,090.00. Only the
    packs' line is paid: the credits drawn from them are not "included"."""
    doc = example("seats_credits_coding_team.json")
    sheet = sheet_from_quote(doc, price(doc))
    f = Formatter("USD")
    rows = [
        (r.label, r.quantity_text(f), r.price_text(r.list_unit_price, f), r.total_text(f))
        for r in _parts(sheet, "credits", 2)
    ]
    assert rows == [
        ("Credits used from allocation", "1,080,000 (est.)", "included", ""),
        ("Credits used from packs", "192,000 (est.)", "", ""),
        ("Credit packs of 10000", "20 (est.)", "$154.50", "3,090.00"),  # 20 x 154.50
    ]
    (credits,) = [
        r for r in sheet.rows_of(2) if r.kind == "component" and r.component_id == "credits"
    ]
    assert credits.line_total == Decimal("3090.00")
    # 1,080,000 + 192,000 = 1,272,000, the credits used in year 2
    assert sum((r.quantity or 0 for r in _parts(sheet, "credits", 2)[:2]), Decimal(0)) == 1272000


def test_a_discount_on_an_item_with_parts_is_shared_out_to_the_parts() -> None:
    """platform_usage_analytics with a 15 % discount on the whole term: the overage part
    shows the net unit price and its net amount; and with the example's own launch
    discount (10 % for 6 months) the part shows the amount taken."""
    from quote_builder.pricing.document import Discount

    f = Formatter("USD")
    doc = example("platform_usage_analytics.json")
    whole = doc.model_copy(
        update={"discounts": [Discount(description="Multi-year", percent=Decimal("15"))]}
    )
    sheet = sheet_from_quote(whole, price(whole))
    included, overage = _parts(sheet, "queries", 2)
    # | year 2 | 1,000 a month over x 12 = 12,000 | 0.40 x 1.05 = 0.42 | 15 % off: 0.357 |
    # | list 12,000 x 0.42 = 5,040.00 | net 12,000 x 0.357 = 4,284.00 = 5,040 x 0.85       |
    assert (overage.quantity, overage.list_unit_price, overage.net_unit_price) == (
        Decimal(12000),
        Decimal("0.42"),
        Decimal("0.357"),
    )
    assert (overage.amount, overage.line_total) == (Decimal("5040.00"), Decimal("4284.00"))
    assert overage.line_total == overage.quantity * overage.net_unit_price
    assert (overage.discount_text(f), overage.net_text(f)) == ("15.00%", "$0.357")
    assert included.total_text(f) == ""  # 24,000 included: nothing to pay for them

    sheet = sheet_from_quote(doc, price(doc))
    (queries,) = [
        r for r in sheet.rows_of(1) if r.kind == "component" and r.component_id == "queries"
    ]
    included, overage = _parts(sheet, "queries", 1)
    # Year 1: 12,000 x 0.40 = 4,800.00; the launch discount takes 240.00 of it (10 % x
    # 400 x 6 months): the part shows -240.00 and 4,560.00, as its item does.
    assert (overage.discount_text(f), overage.net_text(f), overage.total_text(f)) == (
        "-240.00",
        "",
        "4,560.00",
    )
    assert overage.line_total == queries.line_total == Decimal("4560.00")


def test_a_tiers_flat_fee_is_a_part_of_its_own() -> None:
    """Graduated tiers with flat fees: each tier's units are quantity x unit price, and its
    flat fee is a part of its own (months charged x the fee), so every part adds up."""
    doc = example("platform_usage_analytics.json")
    data = doc.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["components"][2] = {
        "kind": "graduated",
        "id": "queries",
        "name": "Analyst queries",
        "metric": "queries",
        "tiers": [
            {"up_to": 2000, "unit_price": "0.00", "flat_fee": "100.00"},
            {"unit_price": "0.40", "flat_fee": "25.00"},
        ],
    }
    data["discounts"] = []
    doc = type(doc).model_validate(data)
    sheet = sheet_from_quote(doc, price(doc))
    f = Formatter("USD")
    rows = [
        (r.label_text(f), r.quantity_text(f), r.price_text(r.list_unit_price, f), r.total_text(f))
        for r in _parts(sheet, "queries", 2)
    ]
    # 3,000 queries a month: 2,000 in tier 1, 1,000 in tier 2; year 2 prices x 1.05.
    assert rows == [
        ("Tier 1 (0 to 2,000)", "24,000 (est.)", "included", ""),  # 2,000 x 12 at 0.00
        ("Tier 1 (0 to 2,000): flat fee", "12 (est.)", "$105.00", "1,260.00"),  # 12 x 105
        ("Tier 2 (above 2,000)", "12,000 (est.)", "$0.42", "5,040.00"),  # 12,000 x 0.42
        ("Tier 2 (above 2,000): flat fee", "12 (est.)", "$26.25", "315.00"),  # 12 x 26.25
    ]
    (queries,) = [
        r for r in sheet.rows_of(2) if r.kind == "component" and r.component_id == "queries"
    ]
    assert queries.line_total == Decimal("6615.00")  # 1,260 + 5,040 + 315


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_part_is_its_quantity_times_its_price_and_the_parts_add_up(path: Path) -> None:
    """What a buyer checks with a calculator: each part as printed (quantity as shown x
    unit price, rounded half up to the cent) and the parts adding up to their item's line
    total, before and after discounts."""
    doc = example(path.name)
    sheet = sheet_from_quote(doc, price(doc))
    _check_parts(sheet)


def _check_parts(sheet: object) -> None:
    from decimal import ROUND_HALF_UP

    from quote_builder.pricing.money import minor_unit

    quantum = minor_unit(sheet.currency)  # type: ignore[attr-defined]
    rows = list(sheet.rows)  # type: ignore[attr-defined]

    def printed(row: SheetRow, price: Decimal) -> Decimal:
        """The row's quantity as shown x ``price``, rounded half up: a calculator's answer
        (``40 seats × 12 months`` at 60.00 is 40 x 12 x 60.00; ``7 seats (7 of 12 months)``
        at the year's 499.99 is 7 x 499.99 x 7 / 12; a count of things is shown whole:
        50,015.75 tickets as 50,016)."""
        assert row.quantity is not None
        if row.quantity_style == "money":
            places = quantum
        else:
            places = Decimal(1) if row.whole else Decimal("0.01")
        quantity = row.quantity.quantize(places, ROUND_HALF_UP)
        if row.unit.kind == "seats_for_months":
            quantity *= row.unit.months
        if row.unit.kind == "seats_part_year":  # the year's price x months / 12
            quantity = quantity * row.unit.months / 12
        return (quantity * price).quantize(quantum, ROUND_HALF_UP)

    def own_price(row: SheetRow) -> bool:
        """The row prints quantity x unit price."""
        return (
            row.quantity is not None
            and row.list_unit_price is not None
            and row.price_style in ("money", "percent")
        )

    for row in rows:
        if row.kind != "component":
            continue
        parts = [
            r for r in rows if r.kind == "detail" and r.component_id == row.component_id
            and r.year == row.year
        ]  # fmt: skip
        for r in [row, *parts]:
            assert r.line_total == (r.amount or 0) - (r.discount_amount or 0), r.label
        listed = sum((p.amount or Decimal(0) for p in parts), Decimal(0))
        paid = sum((p.line_total or Decimal(0) for p in parts), Decimal(0))
        if row.quantity is None:
            # An item of parts: they add up to its amount and to its line total.
            if parts:
                assert listed == row.amount and paid == row.line_total, row.label
        elif own_price(row):
            # A single line: quantity x unit price, plus its rounding part if any.
            assert row.list_unit_price is not None
            assert printed(row, row.list_unit_price) + listed == row.amount, row.label
            if row.net_is_exact and row.net_unit_price is not None and row.discount_percent:
                assert printed(row, row.net_unit_price) + paid == row.line_total, row.label
        for part in parts:
            if not own_price(part):
                continue
            assert part.list_unit_price is not None
            assert part.amount == printed(part, part.list_unit_price), (part.label, part.year)
            if part.net_is_exact and part.net_unit_price is not None and part.discount_percent:
                # a whole-year percent: the part costs its quantity x its net unit price
                assert part.line_total == printed(part, part.net_unit_price), part.label


def test_net_unit_prices_times_quantities_are_the_parts_net_amounts() -> None:
    """Demo Q-2026-0003 (15 % off the whole term) printed year 2's overage as 45,646.91 x
    $0.357 beside 16,295.94, and 45,646.91 x 0.357 = 16,295.95. The same overage here: the
    part costs its quantity x net unit price, and what the invoices (each rounded once,
    from the exact quantities) leave over is a rounding part, so the parts still add up."""
    from quote_builder.pricing.document import Discount

    doc = example("platform_usage_analytics.json")
    data = doc.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["usage_forecast"] = {"queries": {"monthly": "5803.909"}}  # 3,803.909 over a month
    data["discounts"] = []
    doc = (
        type(doc)
        .model_validate(data)
        .model_copy(
            update={"discounts": [Discount(description="Multi-year", percent=Decimal("15"))]}
        )
    )
    sheet = sheet_from_quote(doc, price(doc))
    _check_parts(sheet)
    included, overage, *rest = _parts(sheet, "queries", 2)
    (queries,) = [
        r for r in sheet.rows_of(2) if r.kind == "component" and r.component_id == "queries"
    ]
    # 3,803.909 x 12 = 45,646.908 -> 45,646.91 shown; 0.40 x 1.05 = 0.42; x 0.85 = 0.357
    # list 45,646.91 x 0.42 = 19,171.7022 -> 19,171.70; net 45,646.91 x 0.357 = 16,295.95
    assert overage.number_text(Formatter("USD")) == "45,646.91"
    assert overage.net_unit_price == Decimal("0.357")
    assert overage.line_total == Decimal("16295.95")
    # Invoiced: 4 quarters, each rounded: 19,171.72 at list, 16,295.96 after 15 %;
    # printed: 16,295.95 + a rounding part of 0.01 = 16,295.96.
    (rounding,) = rest
    assert (rounding.label, rounding.line_total) == ("Rounding", Decimal("0.01"))
    assert queries.line_total == Decimal("16295.96") == overage.line_total + rounding.line_total


def test_every_demo_quotes_parts_add_up(tmp_path: Path) -> None:
    """The same for the demo quotes (Q-2026-0001's resolved tickets, a count estimated at
    50,730.012...: 50,730 x 2.00 = 101,460.00 as printed, 101,460.03 invoiced: a rounding
    part of 0.03 says so; it printed 50,730.01, a count with cents)."""
    import datetime as dt

    from quote_builder.services.demo import seed_demo
    from quote_builder.services.quotes import list_quotes, open_version
    from quote_builder.store.database import open_database

    db = open_database(str(tmp_path / "demo.db"))
    try:
        seed_demo(db, actor="test", today=dt.date(2026, 11, 2))
        rows = list_quotes(db, limit=100).rows
        assert len(rows) >= 5
        rounding = 0
        for row in rows:
            doc = open_version(db, row.id).document
            sheet = sheet_from_quote(doc, price(doc))
            _check_parts(sheet)
            rounding += sum(1 for r in sheet.rows if r.label == "Rounding")
        assert rounding  # the check above met a rounding part
    finally:
        db.close()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize(
    "discounts",
    [
        [{"description": "Whole term", "percent": "15"}],
        [{"description": "First 5 months", "percent": "12.5", "months": 5}],
        [{"description": "Credit", "amount": "37.13"}],
    ],
    ids=["percent", "part-year", "amount"],
)
def test_every_part_adds_up_with_discounts(path: Path, discounts: list[dict[str, str]]) -> None:
    """Each example with a deal discount for the whole term, for part of the year, or of an
    amount: the same arithmetic holds at list and at net prices."""
    doc = example(path.name)
    data = doc.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["discounts"] = discounts
    doc = type(doc).model_validate(data)
    _check_parts(sheet_from_quote(doc, price(doc)))


def test_a_transaction_fee_adds_up_with_its_adjustment() -> None:
    """1.5 % + 0.10 a payment, at least 0.50, at most 5: 300,000 payments a month of
    1,500,000 in all (5.00 each), so each fee is 1.5 % x 5 + 0.10 = 0.175, raised to 0.50.
    The parts: the percent of the value (an amount with its currency, at a percent), the
    fixed fee per payment, and the adjustment to the minimum (an amount, no unit price)."""
    doc = example("platform_usage_analytics.json")
    data = doc.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["components"][2] = {
        "kind": "transaction_fee",
        "id": "pay",
        "name": "Payments",
        "metric": "payment_volume",
        "count_metric": "payments",
        "percent": "1.5",
        "fixed_fee": "0.10",
        "minimum_fee": "0.50",
        "maximum_fee": "5",
    }
    data["usage_forecast"] = {
        "payment_volume": {"monthly": "1500000"},
        "payments": {"monthly": "300000"},
    }
    data["economics"]["unit_costs"] = {}
    data["value"] = None
    data["discounts"] = []
    doc = type(doc).model_validate(data)
    sheet = sheet_from_quote(doc, price(doc))
    _check_parts(sheet)
    f = Formatter("USD")
    rows = [
        (r.label_text(f), r.quantity_text(f), r.price_text(r.list_unit_price, f), r.total_text(f))
        for r in _parts(sheet, "pay", 1)
    ]
    assert rows == [
        # 1,500,000 x 12 = 18,000,000.00 of value x 1.5 % = 270,000.00
        ("1.5% of transaction value", "$18,000,000.00 payment volume (est.)", "1.50%", "270,000.00"),
        # 300,000 x 12 = 3,600,000 payments x 0.10 = 360,000.00
        ("Fixed fee per transaction", "3,600,000 (est.)", "$0.10", "360,000.00"),
        # 3,600,000 x (0.50 - (0.075 + 0.10)) = 3,600,000 x 0.325 = 1,170,000.00
        ("Raised to the minimum per transaction", "3,600,000 (est.)", "", "1,170,000.00"),
    ]  # fmt: skip


def _tokens(unit_price: str, monthly: str, percent: str, billing: str = "monthly") -> object:
    from quote_builder.pricing.quote_format import quote_from_data

    return quote_from_data(
        {
            "customer": {"name": "Acme"},
            "currency": "USD",
            "start_date": "2027-01-01",
            "term_months": 12,
            "billing_frequency": billing,
            "components": [
                {
                    "kind": "per_unit",
                    "id": "tokens",
                    "name": "Tokens",
                    "metric": "tokens",
                    "unit_price": unit_price,
                }
            ],
            "discounts": [{"description": "Deal discount", "percent": percent}],
            "usage_forecast": {"tokens": {"monthly": monthly}},
        }
    )


def test_twelve_billion_units_print_the_net_price_they_need() -> None:
    """0.001234 less 15 % is 0.0010489. Rounded to six decimals (0.001049) it made 12 billion
    tokens 12,588,000.00 against the 12,586,800.00 invoiced, and a Rounding part of
    -1,200.00: the price is printed with the seventh decimal it needs, exact."""
    doc = _tokens("0.001234", "1000000000", "15")
    sheet = sheet_from_terms(customer_view(request_for(doc)).terms)  # type: ignore[arg-type]
    rows = sheet.rows_of(1)
    (tokens,) = [r for r in rows if r.kind == "component"]
    assert tokens.quantity == Decimal("12000000000")
    assert tokens.net_unit_price == Decimal("0.0010489")
    # 12 invoices of 1,000,000,000 x 0.001234 = 1,234,000.00 less 15 % = 185,100.00.
    assert tokens.line_total == Decimal("12586800.00") == 12 * (Decimal("1234000.00") - 185100)
    assert tokens.quantity * tokens.net_unit_price == tokens.line_total
    assert not [r for r in rows if r.label == "Rounding"]


@settings(max_examples=60, deadline=None)
@given(
    unit_price=st.decimals(min_value=D_("0.000001"), max_value=D_("0.1"), places=6),
    monthly=st.integers(min_value=1, max_value=10**10),
    percent=st.decimals(min_value=D_("0.0001"), max_value=D_("99"), places=4),
    billing=st.sampled_from(["monthly", "quarterly", "annual"]),
)
def test_a_rounding_part_is_only_ever_cents(
    unit_price: Decimal, monthly: int, percent: Decimal, billing: str
) -> None:
    """Whatever the volume: a Rounding part is what rounding each invoice's charge and
    discount to the cent leaves (half a cent each), and the net unit price's own rounding
    (less than half a cent on the line); never the price rounding times billions."""
    doc = _tokens(str(unit_price), str(monthly), str(percent), billing)
    priced = price(doc)  # type: ignore[arg-type]
    sheet = sheet_from_quote(doc, priced)  # type: ignore[arg-type]
    invoices = len(priced.periods)
    bound = D_("0.005") * (2 * invoices + 1)
    for row in sheet.rows:
        if row.label == "Rounding":
            assert row.line_total is not None and abs(row.line_total) <= bound, row


def test_two_discounts_of_one_name_are_not_taken_for_each_other() -> None:
    """A deal discount of 30.9 % for the whole term and one of 8.33 % for month 1, both
    called "Discount": the second's line was shared out as 30.9 % of each line, and a
    platform fee of 49,532.76 a year showed a discount of 178,338.31 (a line total of
    -128,805.55). Each line now keeps a discount below its amount, about its own share."""
    from quote_builder.pricing.quote_format import quote_from_data

    doc = quote_from_data(
        {
            "customer": {"name": "Acme"},
            "currency": "USD",
            "start_date": "2027-01-01",
            "term_months": 12,
            "billing_frequency": "quarterly",
            "components": [
                {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "4127.73"},
                {
                    "kind": "per_unit",
                    "id": "calls",
                    "name": "Calls",
                    "metric": "calls",
                    "unit_price": "23.853",
                },
            ],
            "discounts": [
                {"description": "Discount", "percent": "30.9"},
                {"description": "Discount", "percent": "8.33", "months": 1},
            ],
            "usage_forecast": {"calls": {"monthly": "163930"}},
        }
    )
    sheet = sheet_from_terms(customer_view(request_for(doc)).terms)
    rows = {r.component_id: r for r in sheet.rows_of(1) if r.kind == "component"}
    platform = rows["platform"]
    assert platform.amount == Decimal("49532.76")
    assert platform.discount_amount is not None and platform.line_total is not None
    # 30.9 % of 49,532.76 = 15,305.62, and 8.33 % of one month's 4,127.73 = 343.84.
    assert abs(platform.discount_amount - Decimal("15649.46")) <= Decimal("0.10")
    assert all(r.line_total is not None and r.line_total >= 0 for r in rows.values())


def test_a_launch_discount_on_growing_usage_is_shared_as_it_was_taken() -> None:
    """20 % off the deal in the first 4 months: 799.99 of platform fee a month and usage
    that grows 4 % a month. The platform's line takes 4 x 160.00 (12 x 799.99 = 9,599.88,
    less 639.99 as invoiced: 479.99 in the first quarter, 160.00 in the second), not a
    share of the year's 1,777.82 by the year's amounts (586.33, a platform line total of
    9,013.55 no invoice adds up to); the usage takes the rest."""
    from quote_builder.pricing.quote_format import quote_from_data

    doc = quote_from_data(
        {
            "customer": {"name": "Acme"},
            "currency": "EUR",
            "start_date": "2027-02-01",
            "term_months": 12,
            "billing_frequency": "quarterly",
            "components": [
                {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "799.99"},
                {
                    "kind": "per_unit",
                    "id": "docs",
                    "name": "Documents",
                    "metric": "docs",
                    "unit_price": "0.061",
                },
            ],
            "discounts": [{"description": "Launch discount", "percent": "20", "months": 4}],
            "usage_forecast": {"docs": {"monthly": "17500", "growth_percent_per_month": "4"}},
        }
    )
    priced = price(doc)
    view = customer_view(request_for(doc))
    rows = {
        r.component_id: r
        for r in sheet_from_terms(view.terms, view.estimates.discount_shares).rows_of(1)
        if r.kind == "component"
    }
    assert rows["platform"].discount_amount == D_("479.99") + D_("160.00")
    assert rows["platform"].line_total == D_("9599.88") - D_("639.99")
    taken = -sum(
        (line.amount for p in priced.periods for line in p.lines if line.kind == "discount"),
        D_(0),
    )
    assert rows["docs"].discount_amount == taken - D_("639.99")
    assert sheet_from_quote(doc, priced) == sheet_from_terms(
        view.terms, view.estimates.discount_shares
    )


def test_a_waived_one_time_fee_and_blocks_read_as_a_buyer_counts_them() -> None:
    """An amount off a one-time fee is taken once ("BHD1,250.000 off Onboarding", not
    "BHD1,250.000 a month off Onboarding, for the whole term"), and a package's quantity
    counts blocks: 60 blocks of 1,000 SMS at 7.500, not "60 SMS" at 7.500."""
    from quote_builder.documents.viewmodel import discount_lines
    from quote_builder.pricing.quote_format import quote_from_data

    doc = quote_from_data(
        {
            "customer": {"name": "Acme"},
            "currency": "BHD",
            "start_date": "2027-01-01",
            "term_months": 12,
            "billing_frequency": "quarterly",
            "components": [
                {"kind": "one_time_fee", "id": "onboard", "name": "Onboarding", "amount": "1250"},
                {"kind": "one_time_fee", "id": "setup", "name": "Setup", "amount": "300"},
                {
                    "kind": "package",
                    "id": "sms",
                    "name": "SMS bundles",
                    "metric": "sms",
                    "package_size": 1000,
                    "package_price": "7.500",
                },
            ],
            "discounts": [
                {"description": "Onboarding waived", "amount": "1250", "component": "onboard"},
                {"description": "Setup waived", "percent": "100", "component": "setup"},
                {"description": "Partner discount", "percent": "17.5"},
            ],
            "usage_forecast": {"sms": {"monthly": "4500"}},
        }
    )
    view = customer_view(request_for(doc))
    f = Formatter("BHD", "en_US")
    assert discount_lines(view.terms, f)[:2] == [
        "Onboarding waived: BHD1,250.000 off Onboarding.",
        "Setup waived: 100.00% off Setup.",
    ]
    sheet = sheet_from_terms(view.terms, view.estimates.discount_shares)
    (sms,) = [r for r in sheet.rows_of(1) if r.component_id == "sms" and r.kind == "component"]
    assert sms.quantity == 60
    assert sms.unit_text(f) == "blocks of 1,000 SMS (est.)"
    assert sms.quantity * (sms.list_unit_price or 0) == sms.amount == D_("450.000")


def test_discounts_above_all_of_the_usage_read_as_billed() -> None:
    """60 % off 833.335 of calls a month and 40.01 % off the deal, a 1,000.00 monthly
    minimum on the calls: the calls' discount is 100.00 % (net 0.00, not 100.01 % and
    -0.0000001), the platform keeps its own 40.01 % (12 x 599.90 = 7,198.80, no Rounding),
    and the calls' line (what the invoices leave of them, 12 x 0.01) and the true-up
    (12 x 999.99) add up to the minimum."""
    from quote_builder.pricing.quote_format import quote_from_data

    doc = quote_from_data(
        {
            "customer": {"name": "Acme"},
            "currency": "USD",
            "start_date": "2027-01-01",
            "term_months": 12,
            "billing_frequency": "monthly",
            "components": [
                {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"},
                {
                    "kind": "per_unit",
                    "id": "calls",
                    "name": "Calls",
                    "metric": "calls",
                    "unit_price": "0.001",
                },
                {
                    "kind": "minimum_commitment",
                    "id": "min",
                    "name": "Minimum",
                    "amount": "1000.00",
                    "period": "month",
                    "applies_to": ["calls"],
                },
            ],
            "discounts": [
                {"description": "Usage discount", "percent": "60", "component": "calls"},
                {"description": "Partner discount", "percent": "40.01"},
            ],
            "usage_forecast": {"calls": {"monthly": "833335"}},
        }
    )
    view = customer_view(request_for(doc))
    sheet = sheet_from_terms(view.terms, view.estimates.discount_shares)
    rows = {r.component_id: r for r in sheet.rows_of(1) if r.kind == "component"}
    platform, calls, true_up = rows["platform"], rows["calls"], rows["min"]
    assert platform.line_total == 12 * D_("599.90")
    assert calls.discount_percent == 100
    assert calls.net_unit_price == 0
    assert calls.line_total == 12 * D_("0.01")
    assert true_up.line_total == 12 * D_("999.99")
    assert not [
        r for r in sheet.rows_of(1) if r.component_id == "platform" and r.kind != "component"
    ]
    assert sheet.years[0].amount == price(doc).years[0].revenue


def test_the_cents_a_shared_discount_leaves_go_to_the_usage_not_the_fixed_fee() -> None:
    """15 % off the deal in the first 3 months, billed quarterly: a 4,999.99 platform fee
    and 30.06 of calls. The invoice's line is 15 % of 15,030.03 = 2,254.50; the platform's
    own part is 3 x 749.9985 = 2,250.00 as a buyer works it out, and the calls take the
    rest (4.50: their 4.509 less the cent the invoice's rounding left), not the platform
    (2,249.99)."""
    from quote_builder.pricing.quote_format import quote_from_data

    doc = quote_from_data(
        {
            "customer": {"name": "Acme"},
            "currency": "USD",
            "start_date": "2027-01-01",
            "term_months": 12,
            "billing_frequency": "quarterly",
            "components": [
                {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "4999.99"},
                {
                    "kind": "per_unit",
                    "id": "calls",
                    "name": "Calls",
                    "metric": "calls",
                    "unit_price": "0.01",
                },
            ],
            "discounts": [{"description": "Launch", "percent": "15", "months": 3}],
            "usage_forecast": {"calls": {"monthly": "1002"}},
        }
    )
    view = customer_view(request_for(doc))
    rows = {
        r.component_id: r
        for r in sheet_from_terms(view.terms, view.estimates.discount_shares).rows_of(1)
        if r.kind == "component"
    }
    assert rows["platform"].discount_amount == D_("2250.00")
    assert rows["calls"].discount_amount == D_("4.50")
