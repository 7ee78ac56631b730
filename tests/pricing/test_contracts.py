"""Renewals, expansions and amendments (issue 15): the arithmetic written out beside the
expected values. The contract: 36 months from 2026-01-01, a 5 % escalator, a platform fee
of 1,000 a month and 50 seats at 40 a month (years: 36,000 / 37,800 / 39,690)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from quote_builder.pricing import contracts as c
from quote_builder.pricing import price
from quote_builder.pricing.document import year_spans
from quote_builder.pricing.engine import billing_spans
from quote_builder.pricing.quote_format import quote_from_data
from quote_builder.pricing.terms import TermsParty, customer_terms, terms_data

D = Decimal


def contract(**overrides: object) -> object:
    data: dict[str, object] = {
        "customer": {"name": "Acme"},
        "currency": "USD",
        "start_date": "2026-01-01",
        "term_months": 36,
        "escalator_percent": "5",
        "billing_frequency": "monthly",
        "components": [
            {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"},
            {
                "kind": "seats",
                "id": "team",
                "name": "Team seats",
                "seats": 50,
                "price_per_seat": "40",
            },
        ],
    }
    data.update(overrides)
    return quote_from_data(data)


DOC = contract()
PRICED = price(DOC)  # type: ignore[arg-type]


def test_the_contract_itself() -> None:
    assert [y.revenue for y in PRICED.years] == [
        D("36000.00"),  # (1,000 + 50 x 40) x 12
        D("37800.00"),  # (1,050 + 50 x 42) x 12
        D("39690.00"),  # (1,102.50 + 50 x 44.10) x 12
    ]


@pytest.mark.parametrize(
    ("term", "first", "spans"),
    [
        (36, None, [(1, 12), (13, 12), (25, 12)]),
        (32, 8, [(1, 8), (9, 12), (21, 12)]),  # 8 + 12 + 12
        (22, 10, [(1, 10), (11, 12)]),  # 10 + 12
        (5, 8, [(1, 5)]),  # a term shorter than the short first year
        (14, 1, [(1, 1), (2, 12), (14, 1)]),  # 1 + 12 + a short last year of 1
    ],
)
def test_contract_years_with_a_short_first_year(
    term: int, first: int | None, spans: list[tuple[int, int]]
) -> None:
    assert year_spans(term, first) == spans
    # Quarterly billing never crosses a contract year: 8 months bill as 3 + 3 + 2.
    if (term, first) == (32, 8):
        assert [(s.year, s.first_month, s.months) for s in billing_spans(term, 3, first)][:4] == [
            (1, 1, 3),
            (1, 4, 3),
            (1, 7, 2),
            (2, 9, 3),
        ]


@pytest.mark.parametrize(
    ("effective", "start", "months_before", "term", "first_year", "days", "period"),
    [
        # 15 April: whole months from 1 May (4 months in); 15-30 April is 16 of April's 30 days.
        ("2026-04-15", "2026-05-01", 4, 32, 8, 16, 30),
        # On an anniversary: nothing to prorate.
        ("2026-05-01", "2026-05-01", 4, 32, 8, 0, 0),
        # 2 February 2027: 27 of February's 28 days; year 1 of the expansion is Mar-Dec 2027.
        ("2027-02-02", "2027-03-01", 14, 22, 10, 27, 28),
        # A year boundary: 1 January 2027 is the contract's second anniversary year start.
        ("2026-12-20", "2027-01-01", 12, 24, None, 12, 31),
        # 29 February in a leap year: 1 of 29 days.
        ("2028-02-29", "2028-03-01", 26, 10, 10, 1, 29),
    ],
)
def test_co_terming_by_days(
    effective: str,
    start: str,
    months_before: int,
    term: int,
    first_year: int | None,
    days: int,
    period: int,
) -> None:
    timing = c.co_term(DOC, dt.date.fromisoformat(effective))  # type: ignore[arg-type]
    assert (
        timing.start.isoformat(),
        timing.months_before,
        timing.term_months,
        timing.first_year_months,
        timing.prorated_days,
        timing.period_days,
    ) == (start, months_before, term, first_year, days, period)


@pytest.mark.parametrize(
    ("effective", "message"),
    [
        ("2026-01-01", "after the contract starts"),
        ("2029-01-01", "by its last day"),
        ("2028-12-15", "less than a whole month"),
    ],
)
def test_co_terming_refusals(effective: str, message: str) -> None:
    with pytest.raises(c.ContractChangeError, match=message):
        c.co_term(DOC, dt.date.fromisoformat(effective))  # type: ignore[arg-type]


def expansion(effective: str = "2026-04-15", seats: int = 10) -> object:
    return c.expansion_document(
        DOC,  # type: ignore[arg-type]
        PRICED,
        original_order="Q-2026-0001",
        original_version=2,
        effective=dt.date.fromisoformat(effective),
        added_seats={"team": seats},
    )


def test_expansion_prorated_days_and_years_on_the_contracts_anniversaries() -> None:
    doc = expansion()
    priced = price(doc)  # type: ignore[arg-type]
    # Only what is charged per seat is copied (the platform fee is not charged twice).
    assert [x.id for x in doc.components] == ["team"]  # type: ignore[attr-defined]
    first = priced.periods[0]
    assert [(line.description, line.amount) for line in first.lines] == [
        ("Team seats", D("400.00")),  # 10 seats x 40 (year-1 price) for May
        # 10 x 40 = 400 a month x 16 / 30 days = 213.333... -> 213.33, one-time
        ("Team seats, 2026-04-15 to 2026-04-30 prorated (16 of 30 days)", D("213.33")),
    ]
    assert first.lines[1].recurring is False and first.lines[1].component_id is None
    assert [
        (y.start.isoformat(), y.end.isoformat(), y.months, y.revenue) for y in priced.years
    ] == [
        ("2026-05-01", "2026-12-31", 8, D("3413.33")),  # 8 x 400 + 213.33
        ("2027-01-01", "2027-12-31", 12, D("5040.00")),  # 12 x 10 x 42.00 (5 %)
        ("2028-01-01", "2028-12-31", 12, D("5292.00")),  # 12 x 10 x 44.10 (5 % compounded)
    ]
    # The prices rise on the contract's anniversaries, not 12 months after 1 May.
    assert [e.effective.isoformat() for e in priced.escalations] == ["2027-01-01", "2028-01-01"]
    assert priced.first_year_acv == D("3200.00")  # recurring only: the prorated days are one-time
    rows = c.change_rows(doc.contract_change, priced, "USD")  # type: ignore[attr-defined]
    assert [(r.label, r.before, r.after, r.difference) for r in rows] == [
        ("Contract year 1", D("36000.00"), D("39413.33"), D("3413.33")),
        ("Contract year 2", D("37800.00"), D("42840.00"), D("5040.00")),
        ("Contract year 3", D("39690.00"), D("44982.00"), D("5292.00")),
    ]


def test_an_expansion_does_not_carry_the_contracts_fixed_cost_again() -> None:
    # The contract pays the fixed cost to serve the customer (150 a month); what is added
    # costs its variable costs only: 10 seats with no usage cost nothing more.
    base = DOC.model_copy(  # type: ignore[attr-defined]
        update={"economics": DOC.economics.model_copy(update={"fixed_cost_per_month": D("150")})}  # type: ignore[attr-defined]
    )
    doc = c.expansion_document(
        base,
        price(base),
        original_order="Q-2026-0001",
        original_version=2,
        effective=dt.date(2026, 4, 15),
        added_seats={"team": 10},
    )
    assert doc.economics.fixed_cost_per_month == 0
    assert all(y.cogs == 0 for y in price(doc).years)
    # A renewal is a whole new term: it keeps the fixed cost to serve.
    renewal = c.renewal_document(
        base, price(base), original_order="Q-2026-0001", original_version=2, uplift_percent=D("3")
    )
    assert renewal.economics.fixed_cost_per_month == D("150")


def test_expansion_later_in_the_term_takes_that_years_prices() -> None:
    doc = expansion("2027-02-02", seats=4)
    priced = price(doc)  # type: ignore[arg-type]
    first = priced.periods[0]
    # Year 2 prices: 40 x 1.05 = 42.00; 4 seats = 168 a month; 168 x 27 / 28 = 162.00
    assert [line.amount for line in first.lines] == [D("168.00"), D("162.00")]
    assert [(y.months, y.revenue) for y in priced.years] == [
        (10, D("1842.00")),  # 10 x 168 + 162
        (12, D("2116.80")),  # 12 x 4 x 44.10
    ]


def test_a_percent_discount_applies_to_the_prorated_days() -> None:
    doc = expansion().model_copy(  # type: ignore[attr-defined]
        update={"discounts": [quote_from_data_discount("Launch", "10")]}
    )
    priced = price(doc)
    # 400 x (1 - 10 %) = 360 x 16 / 30 = 192.00 (the discount line then takes 40 of May)
    prorated = [
        line
        for line in priced.periods[0].lines
        if line.component_id is None and line.kind == "charge"
    ]
    assert [line.amount for line in prorated] == [D("192.00")]


def quote_from_data_discount(description: str, percent: str) -> object:
    from quote_builder.pricing.document import Discount

    return Discount(description=description, percent=D(percent))


def test_renewal_compounds_the_escalator_into_year_one_then_adds_the_uplift() -> None:
    renewal = c.renewal_document(
        DOC,  # type: ignore[arg-type]
        PRICED,
        original_order="Q-2026-0001",
        original_version=2,
        uplift_percent=D("5"),
    )
    assert (renewal.start_date.isoformat(), renewal.term_months) == ("2029-01-01", 12)
    prices = {x.id: x for x in renewal.components}
    # Last year's printed prices: 1,000 x 1.05^2 = 1,102.50; 40 x 1.1025 = 44.10.
    # Then the 5 % uplift: 1,102.50 x 1.05 = 1,157.625 -> 1,157.63; 44.10 x 1.05 = 46.305 -> 46.31
    assert prices["platform"].amount == D("1157.63")  # type: ignore[attr-defined]
    assert prices["team"].price_per_seat == D("46.31")  # type: ignore[attr-defined]
    priced = price(renewal)
    assert priced.years[0].revenue == D("41677.56")  # (1,157.63 + 50 x 46.31) x 12
    (row,) = c.change_rows(renewal.contract_change, priced, "USD")  # type: ignore[arg-type]
    assert (row.before, row.after, row.difference) == (
        D("39690.00"),  # the last year: (1,102.50 + 50 x 44.10) x 12
        D("41677.56"),
        D("1987.56"),
    )


def test_renewal_with_a_ramp_one_time_fee_and_growth_takes_the_last_year() -> None:
    doc = contract(
        term_months=24,
        escalator_percent="3",
        components=[
            {"kind": "one_time_fee", "id": "setup", "name": "Set-up", "amount": "5000"},
            {
                "kind": "seats",
                "id": "team",
                "name": "Team seats",
                "seats": 10,
                "price_per_seat": "0.33",
            },
            {
                "kind": "per_unit",
                "id": "calls",
                "name": "Calls",
                "metric": "calls",
                "unit_price": "0.0123",
            },
        ],
        ramps=[{"year": 2, "seats": {"team": 25}}],
        usage_forecast={"calls": {"monthly": "1000", "growth_percent_per_month": "1"}},
        discounts=[
            {"description": "Year-1 launch", "percent": "20", "months": 12},
            {"description": "Partner", "percent": "5"},
        ],
    )
    renewal = c.renewal_document(
        doc,  # type: ignore[arg-type]
        price(doc),  # type: ignore[arg-type]
        original_order="Q-1",
        original_version=1,
        uplift_percent=D("3"),
    )
    prices = {x.id: x for x in renewal.components}
    assert "setup" not in prices  # a set-up fee is not repeated
    assert prices["team"].seats == 25  # type: ignore[attr-defined]  # the ramp's count
    # 0.33 x 1.03 = 0.3399 -> 0.34 (year 2 as printed); x 1.03 = 0.3502 -> 0.35
    assert prices["team"].price_per_seat == D("0.35")  # type: ignore[attr-defined]
    # 0.0123 has 4 decimals: 0.0123 x 1.03 = 0.012669 -> 0.0127; x 1.03 = 0.013081 -> 0.0131
    assert prices["calls"].unit_price == D("0.0131")  # type: ignore[attr-defined]
    # The last month's usage: 1,000 x 1.01^23 = 1,257.1630...
    assert str(renewal.usage_forecast["calls"].monthly)[:8] == "1257.163"
    assert renewal.ramps == [] and [d.description for d in renewal.discounts] == ["Partner"]


def test_amendment_from_an_anniversary_at_that_years_prices() -> None:
    doc = c.amendment_document(
        DOC,  # type: ignore[arg-type]
        PRICED,
        original_order="Q-1",
        original_version=1,
        effective=dt.date(2027, 2, 10),
    )
    # From 1 March 2027 (the next monthly anniversary), 22 months, first year Mar-Dec (10).
    assert (doc.start_date.isoformat(), doc.term_months, doc.first_year_months) == (
        "2027-03-01",
        22,
        10,
    )
    priced = price(doc)
    assert [y.revenue for y in priced.years] == [
        D("31500.00"),  # 10 x (1,050 + 50 x 42)
        D("39690.00"),  # 12 x (1,102.50 + 50 x 44.10): the same as the contract's year 3
    ]
    assert doc.contract_change.effective.isoformat() == "2027-03-01"  # type: ignore[union-attr]
    assert c.change_rows(doc.contract_change, priced, "USD") == []  # type: ignore[arg-type]


def test_the_customers_terms_carry_the_change_and_nothing_internal() -> None:
    doc = expansion().model_copy(  # type: ignore[attr-defined]
        update={
            "economics": DOC.economics.model_copy(update={"fixed_cost_per_month": D("777")}),
            "notes": "secret",
        }  # type: ignore[attr-defined]
    )
    terms = customer_terms(
        doc,
        price(doc),
        seller=TermsParty(name="Acme AI"),
        customer=TermsParty(name="Acme"),
        quote_number="Q-2026-0009",
        version=1,
        issued=dt.date(2026, 4, 1),
    )
    change = terms_data(terms)["change"]
    assert change["original_order"] == "Q-2026-0001" and change["kind"] == "expansion"
    assert (change["prorated_from"], change["prorated_to"]) == ("2026-04-15", "2026-04-30")
    assert change["rows"][0] == {
        "label": "Contract year 1",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "before": "36000.00",
        "after": "39413.33",
        "difference": "3413.33",
    }
    # The price table's year 1 adds up with the prorated line in it.
    year_one = [line for line in terms.price_table if line.year == 1 and line.amount is not None]
    assert sum((line.amount for line in year_one), D(0)) == terms.years[0].amount
    text = str(terms_data(terms))
    assert "777" not in text and "secret" not in text
