"""A discount of 12.125 % is printed as 12.125%, not rounded to 12.13% (the engine takes
12.125 %, and the order form's net unit price, 87.875, is 100 less 12.125 %): the discount
clause and the price table's Discount column say the percent the invoices apply."""

from __future__ import annotations

from quote_builder.documents.order_form import contract_view
from quote_builder.documents.viewmodel import customer_view, view_meta

from ..pricing.factories import make_quote
from .conftest import request_for


def test_a_discount_with_three_decimals_is_printed_with_them() -> None:
    doc = make_quote(
        components=[{"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "100"}],
        discounts=[{"description": "Partner", "percent": "12.125"}],
    )
    request = request_for(doc)
    view = contract_view(customer_view(request), view_meta(request))
    text = repr(view)
    assert "12.125%" in text and "12.13%" not in text
    assert "$87.875" in text  # the net unit price, exact
