"""Engine rules of issue 12: forecast precision, the cost decline's range, and a fuzz of
every numeric field of the quote format at and beyond its bounds."""

from __future__ import annotations

import copy
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quote_builder.cli import format_priced
from quote_builder.pricing import QuoteFileError, price, priced_to_dict
from quote_builder.pricing.quote_format import quote_from_data

from .factories import make_quote, quote_data

D = Decimal


def per_unit(price_: str) -> list[dict[str, Any]]:
    return [{"kind": "per_unit", "id": "u", "name": "Usage", "metric": "m", "unit_price": price_}]


# --- a monthly forecast keeps its precision -----------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "unit_price", "month_total"),
    [
        ("12.345", "100", "1234.50"),  # 12.345 x 100 = 1,234.50 (was 1,234.00: 12.34 x 100)
        ("0.005", "1000", "5.00"),  # 0.005 x 1,000 = 5.00 (was 0.00: 0.00 x 1,000)
        ("0.0000000001", "1000000", "0.00"),  # 1e-10 x 1e6 = 0.0001, rounds to 0.00 once
        ("2.125", "1", "2.13"),  # 2.125 x 1 rounds half up on the invoice line (was 2.12)
        ("1.5", "0.333", "0.50"),  # 1.5 x 0.333 = 0.4995 -> 0.50 (millions of tokens x rate)
    ],
)
def test_monthly_forecast_keeps_its_precision(
    quantity: str, unit_price: str, month_total: str
) -> None:
    for forecast in ({"monthly": quantity}, {"per_year": [quantity]}):
        priced = price(make_quote(components=per_unit(unit_price), usage_forecast={"m": forecast}))
        assert priced.periods[0].total == D(month_total), forecast


@pytest.mark.parametrize(
    ("growth", "months", "expected"),
    [
        # 100 growing 10 % a month: 100, 110, 121, 133.1 -> 464.10 at 1 each
        ("10", 4, "464.10"),
        # 1 growing 0.5 % a month: 1 + 1.005 + 1.010025 = 3.015025 -> 3.015025 x 1,000 = 3,015.03
        ("0.5", 3, "3015.03"),
        # 100 falling 100 % a month: 100, then 0 (it raised InvalidOperation: 0 ** 0)
        ("-100", 3, "100.00"),
    ],
)
def test_growth_compounds_monthly(growth: str, months: int, expected: str) -> None:
    unit_price = "1000" if growth == "0.5" else "1"
    start = "1" if growth == "0.5" else "100"
    priced = price(
        make_quote(
            term_months=months,
            billing_frequency="annual",
            components=per_unit(unit_price),
            usage_forecast={"m": {"monthly": start, "growth_percent_per_month": growth}},
        )
    )
    assert priced.periods[0].total == D(expected)


# --- the cost decline's range --------------------------------------------------------------


@pytest.mark.parametrize(
    ("decline", "problem"),
    [
        ("100", "economics.cost_decline_percent_per_year: must be less than 100 (got 100)"),
        ("101", "economics.cost_decline_percent_per_year: must be less than 100 (got 101)"),
        ("-1", "economics.cost_decline_percent_per_year: must not be negative (got -1)"),
    ],
)
def test_cost_decline_of_100_percent_is_refused(decline: str, problem: str) -> None:
    with pytest.raises(QuoteFileError) as info:
        make_quote(term_months=24, economics={"cost_decline_percent_per_year": decline})
    assert info.value.problems == [problem]


def test_cost_decline_just_below_100_percent_prices() -> None:
    # Unit cost 1 x 1,000 a month: year 1 1,000 a month, year 2 1,000 x (1 - 0.999) = 1.
    priced = price(
        make_quote(
            term_months=24,
            components=per_unit("2"),
            usage_forecast={"m": {"monthly": "1000"}},
            economics={"unit_costs": {"m": "1"}, "cost_decline_percent_per_year": "99.9"},
        )
    )
    assert [y.cogs for y in priced.years] == [D("12000.00"), D("12.00")]


# --- fuzz: every numeric field at and beyond its bounds --------------------------------------

RICH_QUOTE: dict[str, Any] = quote_data(
    term_months=24,
    billing_frequency="quarterly",
    escalator_percent="4",
    product_category="analytics_copilot",
    pricing_model="platform_usage",
    components=[
        {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"},
        {"kind": "one_time_fee", "id": "setup", "name": "Setup", "amount": "500", "month": 2},
        {"kind": "per_unit", "id": "pu", "name": "Per unit", "metric": "q", "unit_price": "0.1"},
        {
            "kind": "graduated",
            "id": "gr",
            "name": "Graduated",
            "metric": "q",
            "tiers": [
                {"up_to": "100", "unit_price": "1", "flat_fee": "5"},
                {"from": "100", "unit_price": "0.5"},
            ],
        },
        {
            "kind": "volume",
            "id": "vo",
            "name": "Volume",
            "metric": "q",
            "tiers": [{"up_to": "100", "unit_price": "1"}, {"unit_price": "0.5", "flat_fee": "2"}],
        },
        {
            "kind": "package",
            "id": "pk",
            "name": "Package",
            "metric": "q",
            "package_size": "100",
            "package_price": "20",
            "free_units": "50",
        },
        {"kind": "seats", "id": "seats", "name": "Seats", "seats": 10, "price_per_seat": "30"},
        {
            "kind": "allowance_overage",
            "id": "ao",
            "name": "Allowance",
            "metric": "q",
            "included": "100",
            "included_per_seat": "5",
            "seats_component": "seats",
            "overage_unit_price": "0.2",
        },
        {
            "kind": "credits",
            "id": "cr",
            "name": "Credits",
            "seats_component": "seats",
            "allocation_per_seat": "50",
            "allocation_pool": "100",
            "burn": {"q": "2"},
            "pack": {"credits": "500", "price": "40"},
            "rollover_months": 2,
        },
        {
            "kind": "per_outcome",
            "id": "po",
            "name": "Outcomes",
            "metric": "o",
            "price_per_outcome": "3",
            "terms": {"dispute_window_days": 30},
        },
        {
            "kind": "percent_of_value",
            "id": "pv",
            "name": "Share",
            "metric": "v",
            "percent": "1.5",
            "baseline": "1000",
            "floor": "10",
            "cap": "5000",
            "attribution": {"method": "holdout_group", "lookback_days": 90},
        },
        {
            "kind": "minimum_commitment",
            "id": "min",
            "name": "Minimum",
            "amount": "20000",
            "period": "year",
        },
    ],
    discounts=[
        {"percent": "10", "start_month": 1, "months": 6},
        {"amount": "50", "component": "platform"},
    ],
    ramps=[{"year": 2, "seats": {"seats": 12}, "usage": {"q": "2000"}}],
    usage_forecast={
        "q": {"monthly": "1500", "growth_percent_per_month": "1"},
        "o": {"per_year": ["100", "120"]},
        "v": {"monthly": "20000"},
    },
    economics={
        "unit_costs": {"q": "0.01", "o": "0.4"},
        "fixed_cost_per_month": "200",
        "levers": {
            "routing_savings_percent": "40",
            "cache_hit_percent": "30",
            "fine_tuning_savings_percent": "0",
        },
        "cost_decline_percent_per_year": "20",
        "target_margin_percent": "70",
        "margin_floor_percent": "60",
    },
    value={
        "metric": "o",
        "minutes_saved_per_unit": "15",
        "loaded_hourly_rate": "75",
        "target_value_capture_percent": "20",
        "capture_band_percent": ["15", "25"],
    },
    usage_profile={"users": 20, "actions_per_user_per_day": "5", "outcomes_per_month": "100"},
    contract={"payment_terms_days": 30, "renewal_term_months": 12, "notice_days": 60},
)

_SKIP_KEYS = {"id", "name", "metric", "seats_component", "currency", "start_date", "customer"}


def numeric_paths(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every number in the document (decimal strings and whole numbers), by path."""
    found: list[tuple[str | int, ...]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in _SKIP_KEYS:
                found += numeric_paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += numeric_paths(item, (*path, i))
    elif isinstance(value, int) and not isinstance(value, bool):
        found.append(path)
    elif isinstance(value, str):
        try:
            Decimal(value)
        except ArithmeticError:
            return found
        found.append(path)
    return found


NUMERIC_PATHS = numeric_paths(RICH_QUOTE)


def test_the_rich_quote_prices_and_covers_every_numeric_field_kind() -> None:
    priced = price(quote_from_data(RICH_QUOTE))
    assert priced.tcv > 0
    names = {p[-1] for p in NUMERIC_PATHS if isinstance(p[-1], str)}
    assert {
        "term_months",
        "escalator_percent",
        "amount",
        "month",
        "unit_price",
        "up_to",
        "from",
        "flat_fee",
        "package_size",
        "package_price",
        "free_units",
        "seats",
        "price_per_seat",
        "included",
        "included_per_seat",
        "overage_unit_price",
        "allocation_per_seat",
        "allocation_pool",
        "credits",
        "price",
        "rollover_months",
        "price_per_outcome",
        "dispute_window_days",
        "percent",
        "baseline",
        "floor",
        "cap",
        "lookback_days",
        "start_month",
        "months",
        "year",
        "monthly",
        "growth_percent_per_month",
        "fixed_cost_per_month",
        "routing_savings_percent",
        "cache_hit_percent",
        "fine_tuning_savings_percent",
        "cost_decline_percent_per_year",
        "target_margin_percent",
        "margin_floor_percent",
        "minutes_saved_per_unit",
        "loaded_hourly_rate",
        "target_value_capture_percent",
        "users",
        "actions_per_user_per_day",
        "outcomes_per_month",
        "payment_terms_days",
        "renewal_term_months",
        "notice_days",
        "q",
        "o",
    } <= names | {"q", "o"}


# At and beyond every bound the format has: 0, 100 (percents), 10^12 (magnitudes), 10
# decimals, seat and term limits, negatives, and numbers that are not finite.
EDGE_VALUES: list[Any] = [
    "0",
    "-0",
    "0.0000000001",
    "0.00000000001",
    "-0.0000000001",
    "1",
    "-1",
    "-100",
    "-100.0000000001",
    "99.9999999999",
    "100",
    "100.0000000001",
    "101",
    "120",
    "365",
    "366",
    "999999999999.9999999999",
    "1000000000000",
    "-1000000000000",
    "1E+300",
    "1E-300",
    "NaN",
    "Infinity",
    "-Infinity",
    "abc",
    "",
    0,
    1,
    -1,
    2,
    9,
    10,
    11,
    12,
    13,
    36,
    37,
    60,
    61,
    120,
    121,
    730,
    731,
    10_000_000,
    10_000_001,
    2**63,
    -(2**63),
    True,
    None,
    [],
    {},
]


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


# Fields checked against another one: a shorter term makes the one-time fee's month, the
# ramp's year and a discount's start fall outside it; those problems name them.
DEPENDENTS = {
    "term_months": ("components[1].month", "ramps[0].year", "discounts[", "start_date"),
    # a larger start grows past the limit: the growth rate is named
    "usage_forecast.q.monthly": ("usage_forecast.q.growth_percent_per_month",),
}


def _names_the_field(problem: str, path: tuple[str | int, ...]) -> bool:
    """The problem's path is the field, or an object holding it (a rule across its
    fields: a tier's bounds, a floor above a cap), or a field checked against it."""
    where = problem.split(": ", 1)[0]
    field = _dotted(path)
    if field == where or field.startswith(where + ".") or field.startswith(where + "["):
        return True
    return any(where.startswith(d) for d in DEPENDENTS.get(field, ()))


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(NUMERIC_PATHS), st.sampled_from(EDGE_VALUES))
def test_every_numeric_field_loads_with_a_named_error_or_prices(
    path: tuple[str | int, ...], value: Any
) -> None:
    data = _set(RICH_QUOTE, path, value)
    # As the CLI reads a file: JSON text, numbers parsed straight to Decimal.
    try:
        text = json.dumps(data)
    except ValueError:
        return  # not representable as JSON text (never in a file)
    from quote_builder.pricing.quote_format import load_quote

    try:
        document = load_quote(text)
    except QuoteFileError as exc:
        assert exc.problems, (path, value)
        assert any(_names_the_field(p, path) for p in exc.problems), (path, value, exc.problems)
        return
    priced = price(document)  # no other exception
    format_priced(document, priced, io.StringIO())
    json.dumps(priced_to_dict(priced))


def test_every_numeric_field_at_every_edge_value_exhaustively() -> None:
    """The same check over every (field, value) pair, so no pair depends on the draw."""
    checked = 0
    for path in NUMERIC_PATHS:
        for value in EDGE_VALUES:
            test_every_numeric_field_loads_with_a_named_error_or_prices.hypothesis.inner_test(  # type: ignore[attr-defined]
                path, value
            )
            checked += 1
    assert checked == len(NUMERIC_PATHS) * len(EDGE_VALUES) > 2000


# --- ROI: rounded once, where it is shown ----------------------------------------------------


@pytest.mark.parametrize(
    ("value_per_unit", "exact", "pdf", "cli"),
    [
        # value 7,732.25 x 12 = 92,787.00 for 2,500 spend: (92,787 - 2,500) / 2,500 x 100
        # = 3,611.48 %: the PDF shows 3,611% (it showed 3,612%: 3,611.5 rounded again)
        ("7732.25", "3611.48", "3,611%", "ROI 3,611.5%"),
        # 312.50 x 12 = 3,750: (3,750 - 2,500) / 2,500 x 100 = 50 %
        ("312.50", "50", "50%", "ROI 50.0%"),
        # 312.6875 x 12 = 3,752.25: (3,752.25 - 2,500) / 2,500 x 100 = 50.09 %
        ("312.6875", "50.09", "50%", "ROI 50.1%"),
        # 229.1666 x 12 = 2,749.9992 -> 2,750.00 (rounded to cents): 10 % exactly
        ("229.1666", "10", "10%", "ROI 10.0%"),
    ],
)
def test_roi_is_rounded_once(value_per_unit: str, exact: str, pdf: str, cli: str) -> None:
    from quote_builder.documents.proposal import proposal_view
    from quote_builder.documents.viewmodel import customer_view, view_meta

    from ..documents.conftest import request_for

    document = make_quote(
        components=[
            {"kind": "flat_fee", "id": "f", "name": "Fee", "amount": "2500", "interval": "year"}
        ],
        usage_forecast={"tasks": {"monthly": "1"}},
        value={"metric": "tasks", "value_per_unit": value_per_unit},
    )
    priced = price(document)
    assert priced.value is not None
    assert priced.value.roi_percent == D(exact)
    request = request_for(document)
    view = proposal_view(customer_view(request), view_meta(request))
    assert view["summary"]["roi"] == pdf
    out = io.StringIO()
    format_priced(document, priced, out)
    assert cli in out.getvalue()
