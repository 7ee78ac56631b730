"""The order form speaks only of what the deal has, and its outcome and attribution terms
say who measures, on what data, how a dispute is settled, who pays the auditor and what
happens to the invoice meanwhile (walk1: the CFO, the buyer's lawyer and the deal desk read
every example's documents).
"""

from __future__ import annotations

import pytest

from quote_builder.pricing import QuoteDocument

from .conftest import example
from .test_buyer_counsel import contract, section, spaced  # noqa: F401

# --- the annual increase names only the fees the deal has that do not rise ----------------


def _increase(doc: QuoteDocument, language: str = "en") -> str:
    text = spaced(contract(doc, language))
    headings = {
        "en": ("Annual price increase", "Price protection"),
        "de": ("Jährliche Preiserhöhung", "Preisschutz"),
        "fr": ("Hausse annuelle des prix", "Garantie de prix"),
        "es": ("Subida anual de precios", "Garantía de precios"),
        "ja": ("年間価格改定", "価格保証"),
    }[language]
    heading, following = headings
    # The clause's heading is the last before the next clause's (the price table's note
    # names the increase too).
    end = text.index(following)
    return text[text.rindex(heading, 0, end) : end]


def test_a_seats_only_increase_clause_names_no_exception() -> None:
    """Seats alone (the euro example): every price rises; the clause read "(other than
    one-time fees, value shares, per-transaction fees and minimum commitments)", none of
    which the deal has."""
    text = _increase(example("eur_reverse_charge_germany.json"))
    assert "Unit prices increase by 4.0% at the start of each contract year" in text
    for word in ("other than", "value shares", "per-transaction", "minimum commitment"):
        assert word not in text
    german = _increase(example("eur_reverse_charge_germany.json"), "de")
    assert "Die Stückpreise erhöhen sich" in german
    assert "außer" not in german and "Wertanteil" not in german


def test_the_increase_clause_names_the_deal_s_own_exceptions() -> None:
    """Per outcome with a monthly minimum: the minimum does not rise and is named; value
    shares, one-time and per-transaction fees are not in the deal and are not named."""
    text = _increase(example("outcome_based_support.json"))
    assert "Unit prices (other than minimum commitments) increase by 4.0%" in text
    assert "value shares" not in text and "one-time" not in text
    assert "per-transaction" not in text
    # A one-time fee (onboarding) alone.
    platform = _increase(example("platform_usage_analytics.json"))
    assert "Unit prices (other than one-time fees) increase by 5.0%" in platform


@pytest.mark.parametrize(
    ("language", "words", "absent"),
    [
        ("de", "Die Stückpreise (außer Mindestabnahmen) erhöhen sich", "Wertanteil"),
        ("fr", "Les prix unitaires (hors engagements minimums) augmentent", "parts de valeur"),
        ("es", "Los precios unitarios (salvo los compromisos mínimos) aumentan", "valor"),
        ("ja", "単価（最低利用額を除く）は", "価値連動料金"),
    ],
)
def test_the_increase_clause_s_exceptions_are_translated(
    language: str, words: str, absent: str
) -> None:
    text = _increase(example("outcome_based_support.json"), language)
    assert words in text
    assert absent not in text
