"""The proposal's "How the price works" says only what the quote's components charge: a
"platform fee plus usage" quote kept to its platform fee and seats promised the customer an
overage price; an outcome-based quote with a monthly minimum, and a value share with a base
fee, said the bill follows the results alone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quote_builder.documents import render_pdf
from quote_builder.documents.formatting import Formatter
from quote_builder.documents.proposal import (
    _model_sentences,
    described_model,
    price_shape,
    proposal_view,
)
from quote_builder.documents.viewmodel import customer_view, view_meta
from quote_builder.pricing import QuoteDocument
from quote_builder.pricing.factory import component_from_dict

from .conftest import example, pdf_text, request_for

SEATS_AI = {
    "kind": "seats",
    "id": "seats",
    "name": "Team seats",
    "seats": 10,
    "price_per_seat": "60.00",
    "includes_ai": True,
}
SEATS_PLAIN = {**SEATS_AI, "id": "plain", "name": "Viewer seats", "includes_ai": False}
PLATFORM = {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1500.00"}
ALLOWANCE = {
    "kind": "allowance_overage",
    "id": "queries",
    "name": "Queries",
    "metric": "queries",
    "included": 2000,
    "overage_unit_price": "0.40",
}
PER_UNIT = {
    "kind": "per_unit",
    "id": "calls",
    "name": "API calls",
    "metric": "queries",
    "unit_price": "0.01",
}
CREDITS_PER_SEAT = {
    "kind": "credits",
    "id": "credits",
    "name": "AI credits",
    "seats_component": "seats",
    "allocation_per_seat": 1500,
    "burn": {"queries": 1},
    "pack": {"credits": 10000, "price": "150.00"},
}
CREDITS_POOL = {
    "kind": "credits",
    "id": "pool",
    "name": "AI credits",
    "allocation_pool": 50000,
    "burn": {"queries": 1},
    "overage_price_per_credit": "0.02",
}
OUTCOME = example("outcome_based_support.json").components[0].model_dump(mode="json")
MINIMUM = example("outcome_based_support.json").components[1].model_dump(mode="json")
VALUE_SHARE = example("outcome_contingent_sales.json").components[1].model_dump(mode="json")
VALUE_SHARE_NO_FLOOR = {**VALUE_SHARE, "floor": None}


def _quote(model: str, *components: dict[str, Any]) -> QuoteDocument:
    """The platform-usage example with ``components`` and pricing model ``model``."""
    data = example("platform_usage_analytics.json").model_dump(mode="json")
    data.update(pricing_model=model, components=list(components), discounts=[], options=[])
    metrics = {c["metric"] for c in components if "metric" in c} | {
        m for c in components for m in c.get("burn", {})
    }
    data["usage_forecast"] = {m: {"monthly": "1000"} for m in metrics}
    data["economics"]["unit_costs"] = {m: "0.01" for m in metrics}
    data["value"] = None
    return QuoteDocument.model_validate(data)


def _how(doc: QuoteDocument) -> dict[str, Any]:
    req = request_for(doc)
    found = proposal_view(customer_view(req), view_meta(req))["recommendation"]
    assert found is not None
    return found


def _text(how: dict[str, Any]) -> str:
    return " ".join([how["title"], how["structure"], *how["reasons"]])


# model, components -> title; what the section must say; what it must not say
CASES = [
    # The reviewer's quote: platform fee and seats, no usage component at all.
    (
        "platform_usage",
        [PLATFORM, SEATS_PLAIN],
        "Per-seat subscription",
        ["You pay per seat, with no usage charges.", "A fixed recurring fee is billed as well."],
        ["overage", "usage above", "use more", "AI features"],
    ),
    # Platform fee with included queries and overage: the model's own sentence, as before.
    (
        "platform_usage",
        [PLATFORM, ALLOWANCE],
        "Platform fee plus usage",
        [
            "usage above the included amount is billed at the overage price",
            "You pay for more usage only when you use more",
        ],
        ["minimum", "seat"],
    ),
    # Usage priced per call, nothing included: no "included amount", no "overage".
    (
        "platform_usage",
        [PLATFORM, PER_UNIT],
        "Platform fee plus usage",
        ["usage is billed on top, at the prices fixed in the order form"],
        ["included", "overage"],
    ),
    # Usage alone: no fixed fee to speak of.
    (
        "platform_usage",
        [PER_UNIT],
        "Pay for what you use",
        ["You pay for the usage you have"],
        ["fixed fee", "predictable base"],
    ),
    # A platform fee alone.
    (
        "platform_usage",
        [PLATFORM],
        "Fixed fees",
        ["Fixed fees cover the service, with no usage charges.", "does not depend on usage"],
        ["overage", "use more"],
    ),
    # Outcomes with a monthly minimum (the example): the minimum is said, and the bill
    # does not "follow the results" alone.
    (
        "outcome_based",
        [OUTCOME, MINIMUM],
        "You pay per outcome",
        ["each successful outcome", "A minimum charge applies"],
        ["Your bill follows the results"],
    ),
    (
        "outcome_based",
        [OUTCOME],
        "You pay per outcome",
        ["each successful outcome", "Your bill follows the results you receive"],
        ["minimum", "fixed fee", "fixed recurring fee"],
    ),
    # An outcome-based plan kept to its platform fee: no outcome is billed.
    (
        "outcome_based",
        [PLATFORM],
        "Fixed fees",
        ["Fixed fees cover the service"],
        ["outcome", "results"],
    ),
    # Hybrid: outcomes on top of a platform fee and usage.
    (
        "outcome_based",
        [PLATFORM, OUTCOME, PER_UNIT],
        "You pay per outcome",
        [
            "each successful outcome",
            "A fixed recurring fee is billed as well.",
            "Usage is billed on top",
        ],
        ["Your bill follows the results"],
    ),
    # The value-share example: a base fee and a floor beside the share.
    (
        "outcome_contingent",
        [PLATFORM, VALUE_SHARE],
        "Share of attributed value",
        ["a share of the value", "A fixed recurring fee is billed as well.", "A minimum charge"],
        ["You pay when the service creates value"],
    ),
    (
        "outcome_contingent",
        [VALUE_SHARE_NO_FLOOR],
        "Share of attributed value",
        ["a share of the value", "You pay when the service creates value"],
        ["fixed fee", "fixed recurring fee", "minimum"],
    ),
    # Credits per seat (the example), and a pool that no seat brings.
    (
        "seats_credits",
        [SEATS_AI, CREDITS_PER_SEAT],
        "Seats with AI credits",
        ["each seat brings a monthly allocation of AI credits"],
        ["pool"],
    ),
    (
        "seats_credits",
        [SEATS_AI, CREDITS_POOL],
        "Seats with AI credits",
        ["You pay per seat.", "A monthly pool of AI credits comes with your subscription"],
        ["each seat brings"],
    ),
    (
        "seats_credits",
        [PLATFORM, CREDITS_POOL],
        "AI credits",
        ["A monthly pool of AI credits", "A fixed recurring fee is billed as well."],
        ["seat"],
    ),
    # A seats plan without credits: the seats are described, no credits promised.
    (
        "seats_credits",
        [SEATS_AI],
        "Per-seat subscription",
        ["the AI features come with the tier you choose, with no usage charges"],
        ["credit"],
    ),
    # Hybrid seats and usage: no "no usage charges".
    (
        "seats_ai_tiers",
        [SEATS_AI, PER_UNIT],
        "Per-seat subscription",
        ["the AI features come with the tier you choose.", "Usage is billed on top"],
        ["no usage charges", "no variable bill"],
    ),
    # Seats whose tier has no AI: no AI features promised.
    (
        "seats_ai_tiers",
        [SEATS_PLAIN],
        "Per-seat subscription",
        ["You pay per seat, with no usage charges.", "no variable bill"],
        ["AI features"],
    ),
]


@pytest.mark.parametrize(
    ("model", "components", "title", "says", "never"),
    CASES,
    ids=[f"{c[0]}-{'+'.join(x['id'] for x in c[1])}" for c in CASES],
)
def test_how_the_price_works_matches_the_components(
    model: str, components: list[dict[str, Any]], title: str, says: list[str], never: list[str]
) -> None:
    how = _how(_quote(model, *components))
    text = _text(how)
    assert how["title"] == title
    assert [s for s in says if s not in text] == []
    assert [s for s in never if s.lower() in text.lower()] == []


def test_the_reviewers_quote_reads_no_overage_in_the_pdf(tmp_path: Path) -> None:
    """examples/usd_sales_tax_new_york.json: a platform-plus-usage quote of a platform fee
    and seats. Its proposal said usage above the included amount is billed."""
    doc = example("usd_sales_tax_new_york.json")
    assert doc.pricing_model == "platform_usage"
    pdf = render_pdf(request_for(doc), "proposal").pdf
    text = " ".join(" ".join(pdf_text(pdf, tmp_path)).split())
    assert "billed at the overage price" not in text
    assert "You pay for more usage only when you use more" not in text
    assert "Per-seat subscription. You pay per seat, with no usage charges." in text


def test_the_sentences_are_translated() -> None:
    doc = _quote("platform_usage", PLATFORM, SEATS_PLAIN)
    req = request_for(doc, language="de", locale="de_DE")
    how = proposal_view(customer_view(req), view_meta(req))["recommendation"]
    assert how["title"] == "Abonnement pro Lizenz"
    assert how["structure"] == (
        "Sie zahlen pro Lizenz, ohne nutzungsabhängige Gebühren. "
        "Zusätzlich wird eine feste wiederkehrende Gebühr berechnet."
    )


POOL = [PLATFORM, SEATS_AI, SEATS_PLAIN, ALLOWANCE, PER_UNIT, CREDITS_PER_SEAT, CREDITS_POOL]
POOL += [OUTCOME, MINIMUM, VALUE_SHARE, VALUE_SHARE_NO_FLOOR]
MODELS = [
    "outcome_based",
    "platform_usage",
    "seats_credits",
    "seats_ai_tiers",
    "outcome_contingent",
]


@settings(max_examples=300, deadline=None)
@given(
    model=st.sampled_from(MODELS),
    chosen=st.lists(st.sampled_from(range(len(POOL))), min_size=1, max_size=5, unique=True),
)
def test_every_sentence_is_true_of_the_components(model: str, chosen: list[int]) -> None:
    """Whatever the model and components: a charge is described only when the quote has
    it, and every kind of charge the quote has is described."""
    components = [component_from_dict(POOL[i]) for i in chosen]
    ids = [c.id for c in components]
    if len(set(ids)) != len(ids):
        return  # two versions of one component
    shape = price_shape(components)
    described = described_model(model, shape)
    if described is None:
        assert not (shape.fixed or shape.usage or shape.credits)
        assert not (shape.outcomes or shape.value_share)
        return
    title, structure, reasons = _model_sentences(described, shape, Formatter("USD"))
    text = " ".join([title, *structure, *reasons]).lower()
    # Each charge, and the words that describe it (said whenever the quote has it).
    charges = {
        "seats": (shape.seats, r"per seat"),
        "fixed fees": (bool(shape.flat_fees), r"fixed (recurring )?fees?\b"),
        "usage": (shape.usage, r"usage (is billed|above|you have)"),
        "credits": (shape.credits, r"ai credits"),
        "outcomes": (shape.outcomes, r"successful outcome"),
        "value share": (shape.value_share, r"share of the value"),
        "minimum": (shape.minimum, r"minimum"),
    }
    assert [
        name for name, (has, words) in charges.items() if has != bool(re.search(words, text))
    ] == []
    # Said only when true.
    if "overage" in text:
        assert shape.included
    if "the ai features come with the tier" in text:
        assert shape.ai_in_seats
    if "no usage charges" in text or "does not depend on usage" in text:
        assert not (shape.usage or shape.credits or shape.outcomes or shape.value_share)
    if "follows the results" in text or "when the service creates value" in text:
        assert not (shape.fixed or shape.usage or shape.credits or shape.minimum)
    if "success criteria" in text:
        assert shape.success_criteria


def test_no_success_criteria_are_promised_where_none_are_agreed() -> None:
    """A rep left "Success criteria" empty (a warning, not a block): the proposal said
    "Work that does not meet the success criteria is not billed" with no criteria in the
    order form, an opening for a dispute."""
    agreed = _text(_how(_quote("outcome_based", OUTCOME)))
    assert "Work that does not meet the success criteria is not billed." in agreed
    terms = {**OUTCOME["terms"], "success_criteria": ""}
    none = _text(_how(_quote("outcome_based", {**OUTCOME, "terms": terms})))
    assert "You pay for results: each successful outcome, as the order form defines it." in none
    assert "success criteria" not in none
