"""The JSON quote format: Decimal parsing, clear errors, canonical dumps, the schema."""

from __future__ import annotations

import json
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
