"""A rate written into a quote cannot keep a margin below the floor from the deal desk.

Costs are in the seller's currency (USD); a quote in EUR keeps the rate its margin is
measured at. 1,000 EUR a month against 460 USD of costs: 57.6 % at the table's 0.9213 EUR
per USD, below the 60 % floor; at a hand-written 0.3 the costs look like 138 EUR and the
margin 86 %. Every place that decides who approves judges the quote at the table's rate
(``approvals.policy.check_rate`` through ``services.approvals.evaluate_document``): the
rep's status, ``approval request``, the desk's import and decision, the final PDF.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from quote_builder.services import approvals as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services.currencies import set_exchange_rate
from quote_builder.services.documents import final_state, render_saved_quote
from quote_builder.store.database import Database, open_database

from .helpers import customer, document, name_the_seller


def eur_quote(rate: str) -> Any:
    return document(
        currency="EUR",
        economics={"fixed_cost_per_month": "460"},
        exchange_rate={
            "seller_currency": "USD",
            "rate": rate,
            "as_of": "2026-11-02",
            "source": "The rep",
        },
    )


def with_table(db: Database) -> None:
    set_exchange_rate(
        db,
        base="USD",
        quote="EUR",
        rate=Decimal("0.9213"),
        as_of=dt.date(2026, 11, 2),
        source="ECB",
        actor="admin",
    )


def faked(db: Database) -> str:
    """The rep's quote at 0.3 EUR per USD, in a database whose table says 0.9213."""
    with_table(db)
    customer(db)
    return quote_svc.create_quote(db, eur_quote("0.3"), actor="rep").value.number


RATE_SENTENCE = (
    "The exchange rate in this quote, 0.3 EUR per USD, is 67.4% away from the table's "
    "0.9213 EUR per USD, more than the 2% allowed; its margins are judged at 0.9213 EUR per "
    "USD: the deal desk must approve."
)


def test_the_rep_sees_the_rate_and_the_margin_at_the_tables_rate(db: Database) -> None:
    number = faked(db)
    evaluation = svc.evaluate_quote(db, number).evaluation
    assert evaluation.required_role == "deal_desk"
    assert evaluation.reasons == [
        RATE_SENTENCE,
        "The gross margin in contract year 1 is 57.6%, below the 60% floor: the deal desk "
        "must approve.",
    ]
    # The same quote with the table's rate: the margin reason alone.
    same = quote_svc.create_quote(db, eur_quote("0.9213"), actor="rep").value.number
    assert [d.code for d in svc.evaluate_quote(db, same).evaluation.details] == [
        "MARGIN_BELOW_FLOOR"
    ]


def test_the_request_asks_the_deal_desk_and_shows_the_margin_at_the_tables_rate(
    db: Database,
) -> None:
    number = faked(db)
    request = svc.request_approval(db, number, actor="rep").value
    assert request.required_role == "deal_desk"
    assert request.reasons[0] == RATE_SENTENCE
    assert [d.code for d in request.reason_details] == ["RATE_OFF_TABLE", "MARGIN_BELOW_FLOOR"]
    # What the desk's Approvals page shows: the margin at 0.9213, not at 0.3.
    assert request.summary is not None
    assert Decimal(request.summary["exchange_rate"]) == Decimal("0.9213")
    assert Decimal(request.summary["years"][0]["gross_margin_percent"]) == Decimal("57.6")


def test_the_desk_judges_the_request_file_with_its_own_table(db: Database, tmp_path: Path) -> None:
    number = faked(db)
    svc.request_approval(db, number, actor="rep")
    request_file = svc.export_request(db, number, actor="rep")
    desk = open_database(str(tmp_path / "desk.db"))
    try:
        # The desk's table has no EUR rate: said, not trusted.
        alone = svc.import_request(desk, request_file, actor="dana").value
        assert alone.required_role == "deal_desk"
        assert alone.reasons[0].startswith(
            "The exchange-rate table has no rate from USD to EUR, so the rate this quote's "
            "margin is measured at (0.3 EUR per USD) cannot be checked"
        )
    finally:
        desk.close()
    desk = open_database(str(tmp_path / "desk2.db"))
    try:
        with_table(desk)
        request = svc.import_request(desk, request_file, actor="dana").value
        assert request.reasons[0] == RATE_SENTENCE
        assert request.summary is not None
        assert Decimal(request.summary["years"][0]["gross_margin_percent"]) == Decimal("57.6")
    finally:
        desk.close()


def test_the_final_pdf_needs_the_approval(db: Database) -> None:
    name_the_seller(db)
    number = faked(db)
    state = final_state(db, number, finalising=True)  # Finalise's rule
    assert not state.final
    assert f"{number} needs approval and holds no valid signed approval" in str(state.draft_reason)


def run(*argv: str) -> tuple[int, str, str]:
    from quote_builder.cli import main

    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_cli_approval_request_names_both_rates(sqlite_db: Database, tmp_path: Path) -> None:
    number = faked(sqlite_db)
    code, out, err = run(
        "approval", "request", number, "--db", str(tmp_path / "quotes.db"), "--user", "rep"
    )
    assert code == 0, err
    assert "deal desk approval needed" in out
    assert "0.3 EUR per USD" in out and "table's 0.9213 EUR per USD" in out
    assert "contract year 1 is 57.6%, below the 60% floor" in out


@pytest.mark.parametrize("kind", ["proposal", "contract"])
def test_nothing_of_the_rate_check_reaches_the_prospect(
    db: Database, tmp_path: Path, kind: str
) -> None:
    from tests.documents.conftest import pdf_text

    number = faked(db)
    text = " ".join(pdf_text(render_saved_quote(db, number, kind=kind).result.pdf, tmp_path))
    for internal in ("0.9213", "57.6", "margin", "Margin", "table", "deal desk"):
        assert internal not in text, internal
