"""Renewals and expansions as the customer reads them (issue 15): the order form cites the
original order, the change against the current contract per year (before, after,
difference), the prorated days, a co-termed term clause, and a next step without
onboarding."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from quote_builder.documents import render_pdf
from quote_builder.pricing import contracts, price

from .conftest import example, pdf_text, request_for


def squash(text: str) -> str:
    return " ".join(text.split())


def text_of(doc: object, tmp_path: Path, kind: str = "both") -> str:
    result = render_pdf(request_for(doc, quote_number="Q-2026-0200", version=1), kind)  # type: ignore[arg-type]
    return squash(" ".join(pdf_text(result.pdf, tmp_path)))


# The contract: seats_credits_coding_team.json, 24 months from 1 October 2026, 3 % a year,
# 25 seats at 60.00 a month (year 2: 61.80), an onboarding fee in month 1.
CONTRACT = example("seats_credits_coding_team.json")


def test_an_expansion_cites_the_order_prorates_and_is_co_termed(tmp_path: Path) -> None:
    doc = contracts.expansion_document(
        CONTRACT,
        price(CONTRACT),
        original_order="Q-2026-0001",
        original_version=3,
        effective=dt.date(2027, 2, 10),
        added_seats={"seats": 10},
    )
    text = text_of(doc, tmp_path)
    assert "Expansion of order Q-2026-0001" in text
    assert (
        "This order form adds to order Q-2026-0001 (version 3, October 1, 2026 to "
        "September 30, 2028) from February 10, 2027 and ends with it on September 30, 2028" in text
    )
    # 10 seats x 60.00 = 600 a month; 10-28 February is 19 of February's 28 days:
    # 600 x 19 / 28 = 407.142... -> 407.14, charged once with the first invoice.
    assert (
        "The days from February 10, 2027 to February 28, 2027 are charged prorated by days "
        "(19 of 28)" in text
    )
    assert "407.14" in text
    # Year 1 of the contract (Oct 2026 - Sep 2027) gains March-September (7 x 600 = 4,200)
    # plus the prorated 407.14: +4,607.14; year 2 gains 12 x 10 x 61.80 = 7,416.00.
    assert "+4,607.14" in text and "+7,416.00" in text
    assert "It is co-termed with order Q-2026-0001: it ends with that order" in text
    assert "successive periods" not in text
    assert "the expansion takes effect on February 10, 2027" in text
    assert "onboarding within two weeks" not in text


def test_a_renewal_cites_the_order_and_shows_last_year_against_the_new_one(
    tmp_path: Path,
) -> None:
    priced = price(CONTRACT)
    doc = contracts.renewal_document(
        CONTRACT,
        priced,
        original_order="Q-2026-0001",
        original_version=3,
        uplift_percent=CONTRACT.escalator_percent,
    )
    assert doc.title == f"{CONTRACT.title}: renewal"
    text = text_of(doc, tmp_path)
    assert "Renewal of order Q-2026-0001" in text
    assert (
        "This order form renews order Q-2026-0001 (version 3, October 1, 2026 to "
        "September 30, 2028) for a new term from October 1, 2028" in text
    )
    assert "Current order, last year" in text and "This renewal" in text
    assert "the renewal takes effect on October 1, 2028" in text
    assert "onboarding within two weeks" not in text
    # A renewal is a term of its own: it renews by its own clause.
    assert "successive periods of 12 months" in text
