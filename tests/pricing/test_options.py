"""Options side by side (issue 17, §2): each option is a whole quote of its own, priced by
the one engine; the documents are about the chosen option, else the recommended one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from quote_builder.approvals.policy import ApprovalPolicy, evaluate
from quote_builder.pricing import canonical_json, price
from quote_builder.pricing.options import (
    effective_document,
    option_document,
    option_from_document,
    price_options,
)
from quote_builder.pricing.quote_format import QuoteFileError, quote_from_data

from .factories import make_quote, quote_data

PLATFORM = {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"}


def three_options(**overrides: Any) -> dict[str, Any]:
    """Good: 1,000 a month for 12 months; better: 24 months with 10 % off; best: 36 months
    at 1,500 a month with a 4 % escalator."""
    base = make_quote(components=[PLATFORM], term_months=12)
    better = make_quote(
        components=[PLATFORM],
        term_months=24,
        discounts=[{"description": "Two years", "percent": "10"}],
    )
    best = make_quote(
        components=[{**PLATFORM, "amount": "1500"}], term_months=36, escalator_percent="4"
    )
    data = base.to_json_dict()
    data["options"] = [
        option_from_document(base, "a", "Good").model_dump(mode="json", exclude_none=True),
        option_from_document(better, "b", "Better", recommended=True).model_dump(
            mode="json", exclude_none=True
        ),
        option_from_document(best, "c", "Best").model_dump(mode="json", exclude_none=True),
    ]
    data.update(overrides)
    return data


def test_each_option_is_priced_on_its_own() -> None:
    doc = quote_from_data(three_options())
    priced = {p.option.key: p.priced for p in price_options(doc)}
    # Good: 1,000 x 12 = 12,000.
    assert priced["a"].tcv == Decimal("12000.00")
    # Better: 1,000 x 24 less 10 % = 21,600.
    assert priced["b"].tcv == Decimal("21600.00")
    # Best: 1,500 x 12 + 1,560 x 12 + 1,622.40 x 12 = 18,000 + 18,720 + 19,468.80 = 56,188.80.
    assert priced["c"].tcv == Decimal("56188.80")
    assert [len(p.years) for p in priced.values()] == [1, 2, 3]


def test_the_documents_are_about_the_chosen_else_the_recommended_option() -> None:
    doc = quote_from_data(three_options())
    assert effective_document(doc).term_months == 24  # recommended: Better
    chosen = quote_from_data(three_options(chosen_option="c"))
    assert effective_document(chosen).term_months == 36
    alone = option_document(chosen, "c")
    assert alone.options is None and alone.chosen_option is None
    assert price(effective_document(chosen)).tcv == Decimal("56188.80")


def test_a_quote_without_options_is_unchanged() -> None:
    """No options: the same document, the same canonical JSON (so the same version hash
    as before options existed)."""
    doc = quote_from_data(quote_data())
    assert effective_document(doc) is doc
    assert "options" not in canonical_json(doc) and "chosen_option" not in canonical_json(doc)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda d: d["options"][1].update(key="a"),
            "options[1].key: key 'a' is used by another option",
        ),
        (
            lambda d: d["options"][2].update(name="good"),
            "options[2].name: 'good' names another option too",
        ),
        (
            lambda d: d["options"][0].update(recommended=True),
            "options: recommend one option at most",
        ),
        (lambda d: d.update(chosen_option="z"), "chosen_option: no option with key 'z'"),
        (
            lambda d: d["options"][0].update(
                discounts=[{"description": "x", "percent": "5", "component": "nope"}]
            ),
            "options[0].discounts[0].component: no component with id 'nope'",
        ),
        (
            lambda d: d["options"].append({**d["options"][0], "key": "d", "name": "Fourth"}),
            "options: too many items (at most 3)",
        ),
    ],
)
def test_option_problems_are_named(change: Any, problem: str) -> None:
    data = three_options()
    change(data)
    with pytest.raises(QuoteFileError) as caught:
        quote_from_data(data)
    assert problem in caught.value.problems


def test_approval_covers_the_options_that_need_it() -> None:
    """Only Better's 10 % is beyond a rep's 5 % authority: its reasons, named after it."""
    policy = ApprovalPolicy(
        discount_authority={"rep": Decimal(5), "manager": Decimal(20), "deal_desk": Decimal(100)},
        min_escalator_percent=Decimal(0),
    )
    doc = quote_from_data(three_options())
    judged = evaluate(doc, price(doc), policy)
    assert judged.needed
    assert judged.reasons and all(r.startswith("Option Better: ") for r in judged.reasons)
    assert judged.required_role == "manager"
    without_discount = three_options()
    without_discount["options"][1]["discounts"] = []
    judged = evaluate(quote_from_data(without_discount), price(doc), policy)
    assert not judged.needed
