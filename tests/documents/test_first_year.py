""" "First-year fees" meant two things: the headline left one-time fees out while the
sentence beside it and the schedule included them ($21,660 vs $24,160 in the analytics
example). Each figure now has its own name, in the PDF, the CLI and the summary panel."""

from __future__ import annotations

import io
from pathlib import Path

from quote_builder.cli import format_priced
from quote_builder.documents.proposal import proposal_view
from quote_builder.documents.render import render_pdf
from quote_builder.documents.viewmodel import customer_view, view_meta
from quote_builder.pricing import load_quote, price

from .conftest import ROOT, pdf_text, request_for

# Platform 1,500 + overage 400 = 1,900 a month, 10 % off the first 6 months: recurring
# 21,660 in year 1 (quarterly lines, rounded); onboarding 2,500 once: 24,160 billed.
EXAMPLE = ROOT / "examples" / "platform_usage_analytics.json"


def test_the_two_first_year_figures_have_two_names(tmp_path: Path) -> None:
    document = load_quote(EXAMPLE.read_text())
    priced = price(document)
    assert (priced.first_year_acv, priced.years[0].revenue) == (21660, 24160)
    request = request_for(document)
    view = proposal_view(customer_view(request), view_meta(request))
    assert view["first_year_acv"] == "$21,660.00"
    assert view["first_year_spend"] == "$24,160.00"
    assert view["first_year_one_time"] == "$2,500.00"
    text = " ".join(" ".join(pdf_text(render_pdf(request_for(document)).pdf, tmp_path)).split())
    # The headline (its label is upper case in print) and the sentence reconcile:
    assert "FIRST-YEAR RECURRING FEES" in text and "FIRST-YEAR FEES" not in text
    assert "spend of $24,160.00 ($21,660.00 of recurring fees and $2,500.00 one-time)" in text
    # Without value drivers there is no such sentence: the term's paragraph says it.
    plain = document.model_copy(update={"value": None})
    text = " ".join(" ".join(pdf_text(render_pdf(request_for(plain)).pdf, tmp_path)).split())
    assert "Year 1 also carries $2,500.00 of one-time fees: $24,160.00 in all." in text
    out = io.StringIO()
    format_priced(document, priced, out)
    # Its words (the line wraps to fit an 80-column terminal).
    assert (
        "First-year ACV (recurring fees) 21,660.00 USD first-year spend (one-time fees "
        "included) 24,160.00" in " ".join(out.getvalue().split())
    )
