from __future__ import annotations

from typing import Any

from quote_builder.pricing import QuoteDocument
from quote_builder.pricing.quote_format import quote_from_data
from quote_builder.services.customers import create_customer
from quote_builder.store.database import Database


def document(customer: str = "Acme", **overrides: Any) -> QuoteDocument:
    data: dict[str, Any] = {
        "customer": {"name": customer},
        "currency": "USD",
        "start_date": "2027-01-01",
        "term_months": 12,
        "billing_frequency": "monthly",
        "components": [
            {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"}
        ],
    }
    data.update(overrides)
    return quote_from_data(data)


def customer(db: Database, name: str = "Acme", *, signable: bool = True, **fields: Any) -> int:
    """A customer; ``signable``: with what a final order form names (a billing address and
    a contact who signs), unless ``fields`` say otherwise."""
    from quote_builder.services.customers import add_contact

    if signable:
        fields = {"billing_address": "1 Buyer Street, Springfield", **fields}
    customer_id = create_customer(db, {"name": name, **fields}, actor="alice").value.id
    if signable:
        add_contact(db, customer_id, {"name": "Jane Buyer", "title": "COO"}, actor="alice")
    return customer_id


def name_the_seller(db: Database, name: str = "Acme AI") -> None:
    """A final order form names its seller and who signs for it (the seller profile in
    Settings)."""
    from quote_builder.services.settings import get_settings, update_settings

    settings = get_settings(db)
    update_settings(
        db,
        expected_version=settings.version_id,
        actor="admin",
        seller_name=name,
        seller_signatory="Sam Seller",
        seller_signatory_title="CEO",
    )
