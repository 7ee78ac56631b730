"""A deal in the millions with tax: the invoice schedule's totals (the contract value, the
tax and the total including tax) and its amounts each keep their own column. With the
fixed column widths of the smaller tables they ran into each other
("€15,094,500.00€2,867,955.02€17,962,455.02")."""

from __future__ import annotations

import re
from pathlib import Path

from quote_builder.documents import render_pdf
from quote_builder.pricing import QuoteDocument

from ..pricing.factories import make_quote
from .conftest import pdf_text, request_for


def _big_deal() -> QuoteDocument:
    return make_quote(
        currency="EUR",
        start_date="2027-03-01",
        term_months=36,
        billing_frequency="quarterly",
        components=[
            {"kind": "flat_fee", "id": "platform", "name": "Platform fee", "amount": "400000"},
            {
                "kind": "per_unit",
                "id": "pages",
                "name": "Pages",
                "metric": "pages",
                "unit_price": "0.05",
            },
        ],
        usage_forecast={"pages": {"monthly": 150000}},
        discounts=[{"description": "Launch", "percent": 10, "months": 3}],
        escalator_percent="3.75",
        tax={
            "kind": "vat",
            "rule": "destination",
            "rate_percent": "19",
            "seller_country": "GB",
            "customer_country": "DE",
            "rate_source": "table",
            "table_as_of": "2025-08-01",
            "table_source": "EU",
        },
    )


def test_the_invoice_schedule_totals_do_not_run_together(tmp_path: Path) -> None:
    pdf = render_pdf(request_for(_big_deal()), "contract").pdf
    text = "\n".join(pdf_text(pdf, tmp_path, layout=True))
    # Each of the three totals on the schedule's last line stands apart from the next.
    assert re.search(
        r"Total contract value\s+€15,094,500\.00 +€2,867,955\.02 +€17,962,455\.02", text
    ), text[text.find("Total contract value") - 200 :][:600]
    # And the rows: each invoice's six amounts apart.
    assert re.search(r"1,200,000\.00 +22,500\.00 +-122,250\.00 +1,100,250\.00 +209,047\.50", text)
