"""The proposal's assumptions print the annual increase in the one form every document
uses for it (``Formatter.increase``): 3.75 % is "3.75%", never "3.8%" beside a summary
and an order form that say 3.75%."""

from __future__ import annotations

import pytest

from quote_builder.documents.proposal import proposal_view
from quote_builder.documents.viewmodel import customer_view, view_meta

from ..pricing.factories import make_quote
from .conftest import request_for


@pytest.mark.parametrize(
    ("language", "locale", "written"),
    [("en", "en_US", "3.75%"), ("de", "de_DE", "3,75\u00a0%"), ("en", "en_US", "4.0%")],
)
def test_the_assumptions_print_the_increase_as_the_summary_does(
    language: str, locale: str, written: str
) -> None:
    percent = "4" if written == "4.0%" else "3.75"
    doc = make_quote(term_months=36, escalator_percent=percent)
    request = request_for(doc, language=language, locale=locale)
    view = proposal_view(customer_view(request), view_meta(request))
    rises = [line for line in view["assumptions"] if written in line]
    assert len(rises) == 1, view["assumptions"]


def test_the_assumptions_print_a_monthly_growth_with_its_decimals() -> None:
    """A forecast growing 2.25 % a month is printed so ("2.25%"), not as "2.3%": the
    estimates rest on 2.25 %."""
    doc = make_quote(
        components=[
            {
                "kind": "per_unit",
                "id": "q",
                "name": "Queries",
                "metric": "queries",
                "unit_price": "1",
            }
        ],
        usage_forecast={"queries": {"monthly": 1000, "growth_percent_per_month": "2.25"}},
    )
    request = request_for(doc)
    view = proposal_view(customer_view(request), view_meta(request))
    assert any("growing 2.25% a month" in line for line in view["assumptions"]), view["assumptions"]
