"""The JSON quote format: Decimal parsing, clear errors, canonical dumps, the schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from quote_builder.pricing import (
    QuoteFileError,
    canonical_json,
    content_hash,
    dump_quote,
    load_quote,
)
from quote_builder.pricing.document import QuoteDocument
from quote_builder.pricing.quote_format import json_schema

from .factories import make_quote, quote_data

ROOT = Path(__file__).resolve().parents[2]


def problems(data: object) -> list[str]:
    text = data if isinstance(data, str) else json.dumps(data)
    with pytest.raises(QuoteFileError) as info:
        load_quote(text)
    return info.value.problems


def test_numbers_are_parsed_as_decimal_never_float() -> None:
    text = json.dumps(quote_data()).replace('"1000"', "0.1")
    doc = load_quote(text)
    amount = doc.components[0].amount  # type: ignore[union-attr]
    assert isinstance(amount, Decimal)
    assert amount == Decimal("0.1")  # exactly, not 0.1000000000000000055511151231257827


def test_python_floats_are_refused() -> None:
    data = quote_data()
    data["components"][0]["amount"] = 0.1
    with pytest.raises(ValueError, match="floats are refused"):
        QuoteDocument.model_validate(data)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"components": [{"kind": "per_unit", "id": "u", "name": "U", "metric": "m", "unit_price": "-1"}]},
         "components[0].unit_price: must not be negative (got -1)"),
        ({"currency": "XYZ"}, "currency: unknown currency 'XYZ'"),
        ({"term_months": 0}, "term_months: must be at least 1 (got 0)"),
        ({"escalator_percent": "101"}, "escalator_percent: must be at most 100 (it is a percent) (got 101)"),
        ({"discounts": [{"percent": "150"}]}, "discounts[0].percent: must be at most 100"),
        ({"components": [{"kind": "magic", "id": "x", "name": "X"}]}, "components[0].kind: unknown component kind 'magic'"),
        ({"components": [{"kind": "graduated", "id": "g", "name": "G", "metric": "m",
                          "tiers": [{"up_to": 10}, {"from": 20}]}]},
         "components[0].tiers: tier 2 starts at 20 but the tier before ends at 10: a gap"),
        ({"components": [{"kind": "graduated", "id": "g", "name": "G", "metric": "m",
                          "tiers": [{"up_to": 10}, {"from": 5}]}]}, "an overlap"),
        ({"start_date": "2027-02-30"}, "start_date:"),
        ({"discounts": [{"percent": "10", "component": "nope"}]}, "discounts[0].component: no component with id 'nope'"),
        ({"colour": "blue"}, "colour: unknown field"),
        ({"components": []}, "components: must not be empty"),
        ({"format_version": 2}, "format_version: this Quote Builder reads version 1; the file is version 2"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_the_reason(change: dict[str, object], expected: str) -> None:
    found = problems(quote_data(**change))
    assert any(expected in p for p in found), found


def test_every_problem_is_reported_not_just_the_first() -> None:
    found = problems(quote_data(currency="XYZ", term_months=0, customer={"name": ""}))
    assert len(found) == 3


def test_malformed_json_gives_line_and_column() -> None:
    assert problems('{\n  "customer": {"name": "A"},\n  "currency": \n}') == [
        "line 4, column 1: malformed JSON: Expecting value"
    ]
    assert problems("[1, 2]") == ["(document): expected a JSON object, got an array"]
    assert "NaN is not a number" in problems('{"term_months": NaN}')[0]


def test_canonical_json_and_hash_are_stable() -> None:
    a, b = make_quote(), load_quote(dump_quote(make_quote()))
    assert canonical_json(a) == canonical_json(b)
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(make_quote(term_months=24))
    assert len(content_hash(a)) == 64


def test_schema_is_committed_and_current() -> None:
    committed = json.loads((ROOT / "docs" / "quote-format.schema.json").read_text())
    assert committed == json.loads(json.dumps(json_schema())), (
        "docs/quote-format.schema.json is stale: run quote-builder schema > docs/quote-format.schema.json"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"components": [{"kind": "flat_fee", "id": "f", "name": "F", "amount": "1e40"}]},
         "components[0].amount: too large"),
        ({"components": [{"kind": "flat_fee", "id": "f", "name": "F", "amount": "0.000000000001"}]},
         "components[0].amount: more than 10 decimal places"),
        ({"term_months": 120, "usage_forecast": {"m": {"monthly": "1000", "growth_percent_per_month": "50"}}},
         "usage_forecast.m.growth_percent_per_month: grows past 1,000,000,000,000 a month"),
    ],
)  # fmt: skip
def test_numbers_beyond_what_a_quote_can_hold(change: dict[str, object], expected: str) -> None:
    found = problems(quote_data(**change))
    assert any(expected in p for p in found), found


def test_the_largest_allowed_numbers_still_price() -> None:
    from quote_builder.pricing import price

    doc = make_quote(
        term_months=120,
        escalator_percent="100",
        components=[
            {
                "kind": "per_unit",
                "id": "u",
                "name": "U",
                "metric": "m",
                "unit_price": "999999999999.9999999999",
            }
        ],
        usage_forecast={"m": {"monthly": "999999999999"}},
    )
    priced = price(doc)
    assert priced.tcv > 0


SEATS = {"kind": "seats", "id": "s", "name": "Seats", "seats": 10, "price_per_seat": "50"}
CALLS = {"kind": "per_unit", "id": "u", "name": "Calls", "metric": "calls", "unit_price": "1"}
MINIMUM = {"kind": "minimum_commitment", "id": "m", "name": "Min", "amount": "1000"}


def many(n: int, make: Callable[[int], object]) -> list[object]:
    return [make(i) for i in range(n)]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # 1. Ramp seat counts are bounded like a component's.
        ({"components": [SEATS], "ramps": [{"year": 1, "seats": {"s": -10}}]},
         "ramps[0].seats.s: must not be negative (got -10)"),
        ({"components": [SEATS], "ramps": [{"year": 1, "seats": {"s": 10**100}}]},
         "ramps[0].seats.s: must be at most 10000000"),
        ({"components": [SEATS], "ramps": [{"year": 1, "seats": {"s": 10_000_001}}]},
         "ramps[0].seats.s: must be at most 10000000 (got 10000001)"),
        ({"components": [{**SEATS, "seats": True}]}, "components[0].seats: must be a whole number"),
        # A JSON true or false in any whole-number field is refused, not read as 1 or 0
        # ("term_months": true was a one-month quote).
        ({"term_months": True}, "term_months: must be a whole number, not true"),
        ({"contract": {"payment_terms_days": False}},
         "contract.payment_terms_days: must be a whole number, not false"),
        ({"components": [SEATS], "ramps": [{"year": True, "seats": {"s": 5}}]},
         "ramps[0].year: must be a whole number, not true"),
        ({"components": [{"kind": "one_time_fee", "id": "o", "name": "O", "amount": "1", "month": True}]},
         "components[0].month: must be a whole number, not true"),
        ({"components": [{**CALLS, "kind": "per_outcome", "price_per_outcome": "1", "unit_price": None,
                          "terms": {"dispute_window_days": True}}]},
         "components[0].terms.dispute_window_days: must be a whole number, not true"),
        ({"contract": {"legal": {"liability_cap_months": True}}},
         "contract.legal.liability_cap_months: must be a whole number, not true"),
        # 5. A commitment lists each component once, and at least one.
        ({"components": [CALLS, {**MINIMUM, "applies_to": ["u", "u"]}]},
         "components[1].applies_to[1]: 'u' is listed more than once"),
        ({"components": [CALLS, {**MINIMUM, "applies_to": []}]},
         "components[1].applies_to: must not be empty"),
        # 7. Dates stay inside the calendar and are written YYYY-MM-DD.
        ({"start_date": "9999-06-01"}, "start_date: the term would end after 9999-12-31"),
        ({"start_date": "9999-01-02"}, "start_date: the term would end after 9999-12-31"),
        ({"start_date": 1767225600},
         "start_date: not a date: write it as YYYY-MM-DD (got 1767225600)"),
        ({"start_date": "1767225600"}, "start_date: not a date: write it as YYYY-MM-DD"),
        ({"start_date": "2026-01-01T00:00:00"}, "start_date: not a date: write it as YYYY-MM-DD"),
        ({"start_date": True}, "start_date: not a date: write it as YYYY-MM-DD (got True)"),
        # 9. A commitment is a contract amount.
        ({"components": [CALLS, MINIMUM], "discounts": [{"percent": "50", "component": "m"}]},
         "discounts[0].component: a minimum commitment cannot be discounted"),
        # 10. Ramp usage needs a forecast for its metric.
        ({"components": [CALLS], "ramps": [{"year": 1, "usage": {"calls": "500"}}]},
         "ramps[0].usage.calls: no usage forecast for metric 'calls'"),
        ({"components": [CALLS], "usage_forecast": {"calls": {"monthly": "100"}},
          "ramps": [{"year": 1, "usage": {"cals": "500"}}]},
         "ramps[0].usage.cals: no usage forecast for metric 'cals'"),
        # 12. A one-time fee inside the term.
        ({"components": [{"kind": "one_time_fee", "id": "o", "name": "O", "amount": "1", "month": 13}]},
         "components[0].month: after the term ends (month 12)"),
        # 17. Every percent is a bounded decimal.
        ({"usage_forecast": {"m": {"monthly": "1", "growth_percent_per_month": "101"}}},
         "usage_forecast.m.growth_percent_per_month: must be at most 100 (it is a percent)"),
        ({"usage_forecast": {"m": {"monthly": "1", "growth_percent_per_month": "1e-999999"}}},
         "usage_forecast.m.growth_percent_per_month: more than 10 decimal places"),
        ({"economics": {"target_margin_percent": "1e-999999"}},
         "economics.target_margin_percent: more than 10 decimal places"),
        ({"economics": {"target_margin_percent": "100"}},
         "economics.target_margin_percent: must be less than 100"),
        ({"economics": {"margin_floor_percent": "-101"}},
         "economics.margin_floor_percent: must be at least -100"),
        ({"usage_forecast": {"m": {"monthly": "1", "growth_percent_per_month": "NaN"}}},
         "usage_forecast.m.growth_percent_per_month: not a finite number (got 'NaN')"),
        ({"components": [{**CALLS, "unit_price": "ten"}]},
         "components[0].unit_price: not a finite number (got 'ten')"),
        # 19. format_version is the number 1.
        ({"format_version": "1"},
         "format_version: this Quote Builder reads version 1; the file is version '1'"),
        ({"format_version": True},
         "format_version: this Quote Builder reads version 1; the file is version True"),
        ({"format_version": [1]},
         "format_version: this Quote Builder reads version 1; the file is version [1]"),
    ],
)  # fmt: skip
def test_review_fixes_refuse_bad_input(change: dict[str, object], expected: str) -> None:
    found = problems(quote_data(**change))
    assert any(p.startswith(expected) for p in found), found


def test_format_version_one_point_zero_is_refused() -> None:
    # A JSON 1.0 is parsed as Decimal("1.0"), which Python holds equal to 1.
    text = json.dumps(quote_data()).replace('"start_date"', '"format_version": 1.0, "start_date"')
    assert problems(text) == [
        "format_version: this Quote Builder reads version 1; the file is version 1.0"
    ]


def test_python_callers_get_the_same_refusals() -> None:
    for version in (True, "1", Decimal("1.0")):
        with pytest.raises(ValueError, match="reads version 1"):
            QuoteDocument.model_validate(quote_data(format_version=version))
    economics = {"target_margin_percent": 70.0}
    with pytest.raises(ValueError, match="floats are refused"):
        QuoteDocument.model_validate(quote_data(economics=economics))
    forecast = {"m": {"monthly": "1", "growth_percent_per_month": 1.5}}
    with pytest.raises(ValueError, match="floats are refused"):
        QuoteDocument.model_validate(quote_data(usage_forecast=forecast))


@pytest.mark.parametrize(
    ("start_date", "term_months"),
    [("9999-01-01", 12), ("9998-12-01", 13), ("9999-12-01", 1), ("9999-01-31", 11)],
)
def test_a_term_ending_by_9999_12_31_loads(start_date: str, term_months: int) -> None:
    make_quote(start_date=start_date, term_months=term_months)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"components": [{"kind": "graduated", "id": "g", "name": "G", "metric": "m",
                          "tiers": [*many(51, lambda i: {"up_to": str(i + 1)}), {}]}]},
         "components[0].tiers: too many items (at most 50)"),
        ({"discounts": many(51, lambda _: {"percent": "1"})}, "discounts: too many items (at most 50)"),
        ({"components": [{"kind": "credits", "id": "c", "name": "C",
                          "burn": {f"m{i}": "1" for i in range(21)},
                          "overage_price_per_credit": "1"}]},
         "components[0].burn: too many items (at most 20)"),
        ({"usage_forecast": {f"m{i}": {"monthly": "1"} for i in range(51)}},
         "usage_forecast: too many items (at most 50)"),
        ({"term_months": 120, "ramps": many(11, lambda i: {"year": i % 10 + 1})},
         "ramps: too many items (at most 10)"),
        ({"components": [{**SEATS, "features": many(51, lambda _: "SSO")}]},
         "components[0].features: too many items (at most 50)"),
        ({"components": [CALLS, {**MINIMUM, "applies_to": many(101, lambda _: "u")}]},
         "components[1].applies_to: too many items (at most 100)"),
        ({"ramps": [{"year": 1, "usage": {f"m{i}": "1" for i in range(51)}}]},
         "ramps[0].usage: too many items (at most 50)"),
        ({"ramps": [{"year": 1, "seats": {f"s{i}": 1 for i in range(101)}}]},
         "ramps[0].seats: too many items (at most 100)"),
    ],
)  # fmt: skip
def test_lists_have_a_size_limit(change: dict[str, object], expected: str) -> None:
    found = problems(quote_data(**change))
    assert expected in found, found


def test_the_largest_lists_allowed_still_load() -> None:
    make_quote(
        term_months=120,
        components=[
            CALLS,
            {"kind": "volume", "id": "v", "name": "V", "metric": "calls",
             "tiers": [*many(49, lambda i: {"up_to": str(i + 1)}), {}]},
            {**MINIMUM, "applies_to": ["u"]},
        ],
        discounts=many(50, lambda _: {"percent": "1"}),
        usage_forecast={"calls": {"monthly": "1"}, **{f"m{i}": {"monthly": "1"} for i in range(49)}},
        ramps=many(10, lambda i: {"year": i + 1}),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"customer": ' + "[" * 100_000 + "]" * 100_000 + "}", "(document): nested too deeply"),
        ('{"term_months": ' + "9" * 5000 + "}", "a number in the file has too many digits"),
        ('{"term_months": 1.' + "9" * 5000 + "}", "a number in the file has too many digits"),
    ],
)
def test_hostile_json_gets_a_sentence_not_a_traceback(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_a_seats_error_inside_a_ramp_keeps_its_path() -> None:
    # "seats" is also a component kind: only a component's kind tag is left out of a path.
    found = problems(quote_data(components=[SEATS], ramps=[{"year": 1, "seats": {"s": -1}}]))
    assert found == ["ramps[0].seats.s: must not be negative (got -1)"]
    found = problems(quote_data(components=[{**SEATS, "seats": -1}]))
    assert found == ["components[0].seats: must not be negative (got -1)"]


def test_fields_named_like_a_component_kind_keep_their_path() -> None:
    tiers = [{"up_to": "10", "flat_fee": "-1"}, {}]
    graduated = {"kind": "graduated", "id": "g", "name": "G", "metric": "m", "tiers": tiers}
    assert problems(quote_data(components=[graduated])) == [
        "components[0].tiers[0].flat_fee: must not be negative (got -1)"
    ]
    credits = {"kind": "credits", "id": "c", "name": "C", "burn": {"m": "1"}}
    assert problems(quote_data(components=[credits])) == [
        "components[0]: set exactly one of overage_price_per_credit or pack: how extra credits "
        "are bought"
    ]


@pytest.mark.parametrize("field", ["name", "contact"])
def test_a_customer_name_of_spaces_is_no_name(field: str) -> None:
    """A name of spaces alone passed min_length and made an order form with a blank party
    ("…is worth about $45.00 to : …")."""
    data = json.loads((ROOT / "examples" / "seats_credits_coding_team.json").read_text())
    if field == "name":
        data["customer"]["name"] = "   "
        expected = "customer.name: must not be empty"
    else:
        data["customer"]["contact"] = {"name": " \t "}
        expected = "customer.contact.name: must not be empty"
    with pytest.raises(QuoteFileError) as raised:
        load_quote(json.dumps(data))
    assert expected in str(raised.value)
