"""Renewals, expansions and amendments from an accepted quote, and the customer's
contracts (issue 15)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from quote_builder.services import contracts as svc
from quote_builder.services import lifecycle
from quote_builder.services import quotes as quote_svc
from quote_builder.services.core import InvalidInputError, RefusedError
from quote_builder.services.documents import render_saved_quote, saved_terms_json
from quote_builder.store.database import Database
from tests.lifecycle_helpers import finalise, sign_as_customer

from .helpers import customer, document

TODAY = dt.date.today()
START = TODAY.replace(day=1)


def accepted(db: Database, **overrides: object) -> quote_svc.QuoteRow:
    customer(db)
    data: dict[str, object] = {
        "start_date": START.isoformat(),
        "term_months": 24,
        "escalator_percent": "4",
        "components": [
            {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"},
            {
                "kind": "seats",
                "id": "team",
                "name": "Team seats",
                "seats": 20,
                "price_per_seat": "50",
            },
        ],
    }
    data.update(overrides)
    row = quote_svc.create_quote(db, document(**data), actor="rick").value
    sent = finalise(db, row)
    lifecycle.import_signed_pdf(db, sign_as_customer(sent.pdf), file_name="s.pdf", actor="rick")
    return quote_svc.get_quote(db, row.id)


def test_a_renewal_starts_when_the_contract_ends(db: Database) -> None:
    original = accepted(db)
    renewal = svc.start_change(db, original.id, "renewal", actor="rick").value
    assert (renewal.kind, renewal.parent_id, renewal.status) == ("renewal", original.id, "draft")
    doc = quote_svc.open_version(db, renewal.id).document
    end = START.replace(year=START.year + 2) - dt.timedelta(days=1)
    assert doc.start_date == end + dt.timedelta(days=1) and doc.term_months == 12
    # Last year's price 50 x 1.04 = 52.00, then the renewal uplift (the escalator: the
    # signed order names no other): 52 x 1.04 = 54.08.
    seats = next(c for c in doc.components if c.id == "team")
    assert seats.price_per_seat == Decimal("54.08")  # type: ignore[attr-defined]
    assert doc.contract_change is not None and doc.contract_change.original_order == original.number
    history = [e["action"] for e in quote_svc.audit_history(db, original.id)]
    assert history[-1] == "contract_change_started"
    with pytest.raises(RefusedError, match="already has a renewal"):
        svc.start_change(db, original.id, "renewal", actor="rick")
    # The order form references the original order; the change table is in the terms.
    rendered = render_saved_quote(db, renewal.number, kind="contract")
    assert f"renews order {original.number}" in rendered.result.html["contract"]
    assert b'"original_order":"' + original.number.encode() in saved_terms_json(db, renewal.number)


def test_the_signed_orders_renewal_clause_sets_the_uplift(db: Database) -> None:
    original = accepted(db, contract={"legal": {"renewal_increase_percent": "7"}})
    renewal = svc.start_change(db, original.id, "renewal", actor="rick").value
    doc = quote_svc.open_version(db, renewal.id).document
    seats = next(c for c in doc.components if c.id == "team")
    assert seats.price_per_seat == Decimal("55.64")  # type: ignore[attr-defined]  # 52.00 x 1.07


def test_an_expansion_is_co_termed_and_an_amendment_replaces_from_a_date(db: Database) -> None:
    original = accepted(db)
    effective = START + dt.timedelta(days=40)
    expansion = svc.start_change(
        db, original.id, "expansion", actor="rick", effective=effective, added_seats={"team": 5}
    ).value
    doc = quote_svc.open_version(db, expansion.id).document
    assert doc.contract_change is not None
    assert doc.contract_change.effective == effective
    assert [(c.id, getattr(c, "seats", None)) for c in doc.components] == [("team", 5)]
    end = START.replace(year=START.year + 2) - dt.timedelta(days=1)
    from quote_builder.pricing import price

    assert price(doc).years[-1].end == end  # ends with the contract
    amendment = svc.start_change(
        db, original.id, "amendment", actor="rick", effective=START + dt.timedelta(days=100)
    ).value
    assert amendment.kind == "amendment"
    with pytest.raises(InvalidInputError, match="Effective from: the change must take effect"):
        svc.start_change(db, original.id, "expansion", actor="rick", effective=START)
    with pytest.raises(InvalidInputError, match="Effective from: give the date"):
        svc.start_change(db, original.id, "amendment", actor="rick")
    # Seats for a component the contract does not have: the seats are wrong, not the date.
    with pytest.raises(InvalidInputError) as refused:
        svc.start_change(
            db, original.id, "expansion", actor="rick", effective=effective, added_seats={"x": 3}
        )
    assert refused.value.problems == ["Added seats: no seats component 'x' in the contract"]


def test_only_an_accepted_quote_is_renewed(db: Database) -> None:
    customer(db)
    row = quote_svc.create_quote(db, document(), actor="rick").value
    with pytest.raises(RefusedError, match="made from an accepted quote"):
        svc.start_change(db, row.id, "renewal", actor="rick")


def test_the_customers_contracts(db: Database) -> None:
    original = accepted(db)
    rows = svc.customer_contracts(db, original.customer_id)
    (row,) = rows
    assert (row.number, row.kind_words, row.start) == (original.number, "New business", START)
    assert row.end == START.replace(year=START.year + 2) - dt.timedelta(days=1)
    assert row.current_acv.amount == Decimal("24000.00")  # (1,000 + 20 x 50) x 12 in year 1
    assert row.renews.startswith(
        f"renews automatically on {(row.end + dt.timedelta(days=1)).isoformat()}"
    )
    assert row.signed_by == "Jane Buyer"
    # In year 2 the current ACV is year 2's: (1,040 + 20 x 52) x 12 = 24,960.
    later = svc.customer_contracts(db, original.customer_id, on=START.replace(year=START.year + 1))
    assert later[0].current_acv.amount == Decimal("24960.00")
    renewal = svc.start_change(db, original.id, "renewal", actor="rick").value
    (row,) = svc.customer_contracts(db, original.customer_id)
    assert row.renews == f"renewal {renewal.number} (draft)"
