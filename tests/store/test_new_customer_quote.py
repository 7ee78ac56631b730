"""The guided flow's Finish for a customer described on its first step: the customer and
its first quote are saved together, or neither is."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quote_builder.pricing.quote_format import quote_from_data
from quote_builder.services import customers as customer_service
from quote_builder.services import quotes as quote_service
from quote_builder.services.core import InvalidInputError, RefusedError
from quote_builder.store.database import Database
from quote_builder.store.models import CustomerCreate

NEW = CustomerCreate(
    name="Umbrella Robotics",
    country="Germany",
    currency="EUR",
    product_category="analytics_copilot",
    seats=30,
    actions_per_user_per_day=Decimal("5"),
    outcomes_per_month=Decimal("200"),
)


def document(number: str | None = None) -> object:
    data = {
        "customer": {"name": "Umbrella Robotics"},
        "currency": "EUR",
        "start_date": "2027-01-01",
        "term_months": 12,
        "billing_frequency": "monthly",
        "components": [{"kind": "flat_fee", "id": "p", "name": "Platform", "amount": "1000"}],
    }
    if number:
        data["quote_number"] = number
    return quote_from_data(data)


def test_the_customer_and_its_quote_are_saved_together(db: Database) -> None:
    outcome = quote_service.create_quote_for_new_customer(db, NEW, document(), actor="rep")
    saved = customer_service.search_customers(db, "Umbrella").rows
    assert len(saved) == 1
    customer = saved[0]
    assert (customer.country, customer.product_category, customer.seats) == (
        "Germany",
        "analytics_copilot",
        30,
    )
    assert customer.actions_per_user_per_day == Decimal("5")
    assert outcome.value.customer_name == "Umbrella Robotics"
    assert customer.id in outcome.changes.customers and outcome.value.id in outcome.changes.quotes


def test_a_refused_quote_leaves_no_customer_behind(db: Database) -> None:
    first = quote_service.create_quote_for_new_customer(db, NEW, document(), actor="rep")
    other = NEW.model_copy(update={"name": "Initrode"})
    with pytest.raises(RefusedError, match="already used"):
        quote_service.create_quote_for_new_customer(
            db, other, document(first.value.number), actor="rep"
        )
    assert customer_service.search_customers(db, "Initrode").total == 0


def test_a_new_customer_is_checked_without_saving(db: Database) -> None:
    checked = customer_service.check_new_customer(db, {"name": "Acme", "currency": "USD"})
    assert checked.name == "Acme"
    assert customer_service.search_customers(db, "Acme").total == 0
    with pytest.raises(InvalidInputError, match="name"):
        customer_service.check_new_customer(db, {"name": "", "currency": "USD"})
