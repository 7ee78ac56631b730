"""The proposal presents a quote's options side by side with a recommendation, and the
order form is the chosen option's (issue 17, §2); no option's cost or margin is printed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from quote_builder.documents import render_pdf
from quote_builder.documents.formatting import Formatter
from quote_builder.documents.render import render_html
from quote_builder.documents.viewmodel import customer_view
from quote_builder.pricing import QuoteDocument, price
from quote_builder.pricing.document import Discount
from quote_builder.pricing.options import option_document, option_from_document

from .conftest import example, pdf_text, request_for


def with_options(chosen: str | None = None) -> QuoteDocument:
    """Seats + credits: one, two (recommended) or three years."""
    doc = example("seats_credits_coding_team.json")
    one = doc.model_copy(update={"term_months": 12, "discounts": [], "ramps": []})
    three = doc.model_copy(
        update={
            "term_months": 36,
            "escalator_percent": Decimal(4),
            "discounts": [Discount(description="Three-year commitment", percent=Decimal(8))],
        }
    )
    options = [
        option_from_document(one, "a", "One year"),
        option_from_document(doc, "b", "Two years", "Two years with the pilot discount.", True),
        option_from_document(three, "c", "Three years"),
    ]
    return doc.model_copy(update={"options": options, "chosen_option": chosen})


def test_the_proposal_sets_the_options_side_by_side_with_a_recommendation() -> None:
    doc = with_options()
    html = render_html("proposal", request_for(doc))
    page = html.split("Your options", 1)[1].split("<h2>Pricing</h2>", 1)[0]
    f = Formatter("USD")
    for key, name in (("a", "One year"), ("b", "Two years"), ("c", "Three years")):
        alone = option_document(doc, key)
        priced = price(alone)
        assert name in page
        assert f.money(priced.tcv) in page  # each option's own TCV
        assert f.money(priced.first_year_acv) in page
    assert "We recommend Two years: Two years with the pilot discount." in page
    # The rest of the proposal is about the recommended option.
    assert "the prices that follow are for <strong>Two years</strong>" in html


def test_the_order_form_is_the_chosen_options(tmp_path: Path) -> None:
    doc = with_options(chosen="c")
    view = customer_view(request_for(doc))
    assert view.terms.term_months == 36
    assert view.terms.total_contract_value == price(option_document(doc, "c")).tcv
    rendered = render_pdf(request_for(doc), "contract")
    text = " ".join(pdf_text(rendered.pdf, tmp_path))
    assert "Three-year commitment" in text
    html = render_html("proposal", request_for(doc))
    assert "You chose <strong>Three years</strong>" in html


def test_no_options_margin_or_cost_reaches_the_proposal() -> None:
    doc = with_options()
    html = render_html("proposal", request_for(doc))
    for _option, offered in ((o.key, option_document(doc, o.key)) for o in doc.options or []):
        for year in price(offered).years:
            if year.gross_margin_percent is not None:
                assert (
                    f"{year.gross_margin_percent}%"
                    not in html.split("Your options", 1)[1].split("Prices by contract year")[0]
                )
    assert "margin" not in html.split("Your options", 1)[1].split("<h2>Pricing</h2>", 1)[0].lower()
