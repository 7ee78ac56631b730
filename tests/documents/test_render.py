"""Proposal and contract PDFs, read back as a prospect would (pdftotext, pypdf)."""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import jinja2
import pytest
from pypdf import PdfReader

from quote_builder.documents import RenderRefusedError, render_pdf
from quote_builder.documents.formatting import Formatter
from quote_builder.documents.order_form import contract_clauses
from quote_builder.documents.price_sheet import sheet_from_terms
from quote_builder.documents.render import environment
from quote_builder.documents.viewmodel import customer_view
from quote_builder.pricing import canonical_json, price
from quote_builder.pricing.terms import terms_json

from .conftest import EXAMPLES, example, pdf_text, request_for, terms_of


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_amount_the_engine_computed_appears_formatted(path: Path, tmp_path: Path) -> None:
    doc = example(path.name)
    req = request_for(doc)
    result = render_pdf(req)
    assert (
        result.log == [] and result.refused_urls == []
    )  # no missing font or image, nothing refused
    text = squash(" ".join(pdf_text(result.pdf, tmp_path)))
    f = Formatter(doc.currency)
    priced = req.priced
    expected = [
        f.money(priced.tcv),
        f.money(priced.first_year_acv),
        f.money(priced.average_monthly),
    ]
    expected += [
        f.amount(y.revenue) for y in priced.years
    ]  # the schedule's header names the currency
    # Each component's year 1 as the proposal's pricing prints it: the engine's amount less
    # what the discounts take from it (its line total; the list amount was printed above a
    # discount before, which a buyer misread as what they pay).
    sheet = sheet_from_terms(customer_view(req).terms)
    for c in priced.components:
        if not c.years[0].amount:
            continue
        (row,) = [
            r
            for r in sheet.rows_of(1)
            if r.kind == "component" and r.component_id == c.component_id
        ]
        assert row.amount == c.years[0].amount
        expected.append(f.money(row.line_total))  # type: ignore[arg-type]
    if priced.value is not None:
        expected += [
            f.money(priced.value.annual_value),
            f.percent(priced.value.customer_savings_percent),
        ]
    missing = [amount for amount in expected if amount not in text]
    assert missing == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_clauses_match_the_components(path: Path, tmp_path: Path) -> None:
    doc = example(path.name)
    text = squash(" ".join(pdf_text(render_pdf(request_for(doc), "contract").pdf, tmp_path)))
    kinds = {c.kind for c in doc.components}
    headings = {
        "Outcome definitions and measurement": "per_outcome" in kinds,
        "Value attribution": "percent_of_value" in kinds,
        "AI credits": "credits" in kinds,
        "Minimum commitment and true-up": "minimum_commitment" in kinds,
        "Annual price increase": bool(doc.escalator_percent) and doc.term_months > 12,
    }
    for heading, present in headings.items():
        assert (heading in text) is present, heading
    for always in (
        "Parties",
        "Term, renewal and notice",
        "Agreement and order of precedence",
        "Fees and billing",
        "Prices by contract year",
        "Invoice schedule",
        "Payment, late payment and suspension",
        "Data protection and AI data use",
        "Service levels, liability and confidentiality",
        "Termination",
        "Governing law and disputes",
        "Notices",
        "Signatures",
    ):
        assert always in text


def test_outcome_terms_and_escalator_dates_are_printed(tmp_path: Path) -> None:
    doc = example("outcome_based_support.json")
    text = squash(" ".join(pdf_text(render_pdf(request_for(doc), "contract").pdf, tmp_path)))
    for component in doc.components:
        terms = getattr(component, "terms", None)
        if terms is not None:
            assert squash(terms.definition) in text and squash(terms.verification_evidence) in text
            assert f"within {terms.dispute_window_days} days of the invoice date" in text
    escalation = price(doc).escalations[0]
    assert Formatter(doc.currency).date(escalation.effective) in text


def test_contingent_attribution_terms_are_printed(tmp_path: Path) -> None:
    doc = example("outcome_contingent_sales.json")
    text = squash(" ".join(pdf_text(render_pdf(request_for(doc), "contract").pdf, tmp_path)))
    assert "Holdout group" in text and "Lookback window" in text and "Monthly cap" in text
    # What the window means, not "90 days" alone.
    assert (
        "90 days: a result is attributed to the service only when it follows the service's "
        "contribution within this window" in text
    )
    # The disputes clause defers to the attribution terms' own process (here the auditor's
    # figure is final) instead of sending the dispute "first" to the auditor and then on to
    # the courts.
    assert "goes first to" not in text
    # It names the clause whose process settles it (it read "outcome or attribution records
    # ... by the process set out above": the deal has no outcomes, and "above" named none).
    assert (
        "A dispute about attribution records is settled as set out under \u201cValue "
        "attribution\u201d, with Harbor & Pike Revenue Assurance LLP" in text
    )


def test_draft_watermark_on_every_page_and_final_without(tmp_path: Path) -> None:
    doc = example("platform_usage_analytics.json")
    draft = pdf_text(render_pdf(request_for(doc)).pdf, tmp_path)
    assert len(draft) >= 4 and all("DRAFT" in page for page in draft)
    final = pdf_text(render_pdf(request_for(doc, final=True, status="approved")).pdf, tmp_path)
    assert not any("DRAFT" in page for page in final)


def test_page_x_of_y_and_running_header(tmp_path: Path) -> None:
    doc = example("platform_usage_analytics.json")
    pages = pdf_text(render_pdf(request_for(doc), "proposal").pdf, tmp_path)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    assert all("Proposal for" in page for page in pages[1:])  # not on the cover


def test_a_blocking_warning_cannot_be_rendered_final() -> None:
    doc = example("outcome_based_support.json")
    stripped = doc.model_copy(
        update={
            "components": [
                c.model_copy(update={"terms": type(c.terms)()}) if hasattr(c, "terms") else c
                for c in doc.components
            ]
        }
    )
    assert price(stripped).blocking
    with pytest.raises(RenderRefusedError, match="OUTCOME_TERMS_MISSING"):
        render_pdf(request_for(stripped, final=True, status="approved"))
    render_pdf(request_for(stripped))  # a draft still renders, watermarked


def test_metadata_fonts_and_pdf_a_attachments(tmp_path: Path) -> None:
    doc = example("platform_usage_analytics.json")
    req = request_for(doc)
    pdf = render_pdf(req, pdf_a=True).pdf
    reader = PdfReader(io.BytesIO(pdf))
    meta = reader.metadata
    assert meta is not None
    # The customer under its legal name (request_for gives it "... Ltd"), as the order
    # form's parties and signatures name it (before: the trading name).
    # The title a viewer shows names the documents as their pages head them ("Order form").
    assert meta.title == f"Proposal, order form and contract terms: {doc.customer.name} Ltd"
    assert meta.author == "Acme AI Ltd"
    view = customer_view(req)
    # The subject names the customer's terms' hash, not the internal version's.
    assert view.terms_hash in (meta.subject or "")
    assert req.version_hash not in (meta.subject or "")
    assert "Q-2026-0002" in (meta.get("/Keywords") or "")
    attachments = reader.attachments
    # Only the customer's terms are attached, byte for byte what the hash is taken over.
    assert set(attachments) == {"terms.json"}
    assert attachments["terms.json"][0] == terms_json(view.terms)
    assert hashlib.sha256(attachments["terms.json"][0]).hexdigest() == view.terms_hash
    assert canonical_json(doc).encode() != attachments["terms.json"][0]
    xmp = reader.xmp_metadata
    assert xmp is not None and b"pdfaid" in xmp.stream.get_data()
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(" yes yes " in line for line in fonts)  # every font embedded and subset
    assert all("QB-Sans" in line for line in fonts)  # only the shipped fonts


def test_every_pdf_attaches_the_terms_it_cites() -> None:
    req = request_for(example("platform_usage_analytics.json"))
    for kind in ("proposal", "contract", "both"):
        reader = PdfReader(io.BytesIO(render_pdf(req, kind).pdf))  # type: ignore[arg-type]
        assert set(reader.attachments) == {"terms.json"}
        assert reader.attachments["terms.json"][0] == customer_view(req).terms_json


@pytest.mark.parametrize(
    ("currency", "locale", "amount", "text"),
    [
        ("USD", "en_US", "1234567.89", "$1,234,567.89"),
        ("EUR", "de_DE", "1234567.89", "1.234.567,89\xa0€"),
        ("JPY", "en_US", "1234568", "¥1,234,568"),
        ("BHD", "en_US", "1234.567", "BHD1,234.567"),
        ("GBP", "en_GB", "0.5", "£0.50"),
    ],
)
def test_amounts_follow_currency_and_locale(
    currency: str, locale: str, amount: str, text: str
) -> None:
    assert Formatter(currency, locale).money(Decimal(amount)) == text


def test_unit_prices_keep_their_precision() -> None:
    assert Formatter("USD").price(Decimal("0.0004")) == "$0.0004"
    assert Formatter("USD").price(Decimal("3")) == "$3.00"


def test_templates_are_autoescaped_and_strict() -> None:
    env = environment()
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()


def test_clause_selection() -> None:
    assert contract_clauses(terms_of("seats_ai_tiers_coding_individual.json")) == [
        "parties",
        "agreement",
        "term",
        "commitments",
        "fees",
        "price_table",
        "invoices",
        "price_protection",
        "payment",
        "data",
        "ai_output",
        "service",
        "termination",
        "law",
        "notices",
        "signatures",
    ]
    assert "outcomes" in contract_clauses(terms_of("outcome_based_support.json"))
    # A value share alone has its attribution clause, not an empty usage clause.
    assert contract_clauses(terms_of("outcome_contingent_sales.json")) == [
        "parties",
        "agreement",
        "term",
        "fees",
        "price_table",
        "invoices",
        "attribution",
        "audit",
        "price_protection",
        "payment",
        "data",
        "ai_output",
        "service",
        "termination",
        "law",
        "notices",
        "signatures",
    ]


def test_locales_the_fonts_cannot_draw_are_refused() -> None:
    with pytest.raises(ValueError, match="script the PDF fonts do not cover"):
        Formatter("USD", "my_MM")  # Burmese digits and month names
    assert Formatter("JPY", "ja_JP").date(__import__("datetime").date(2027, 1, 1)) == "2027年1月1日"
    # French writes the first of the month 1er (le 1er janvier), every other day as a number.
    assert (
        Formatter("EUR", "fr_FR").date(__import__("datetime").date(2027, 1, 1))
        == "1er janvier 2027"
    )
    assert (
        Formatter("EUR", "fr_FR").date(__import__("datetime").date(2027, 1, 2)) == "2 janvier 2027"
    )
    assert Formatter("EUR", "fr_FR").short_date(__import__("datetime").date(2027, 12, 1)) == (
        "1er déc. 2027"
    )


def test_font_coverage_file_matches_the_fonts() -> None:
    from quote_builder.documents.fonts import codepoints_from_fonts, covered_codepoints

    assert covered_codepoints() == codepoints_from_fonts(), "run scripts/font-coverage"


def _with_log(base: object, quantities: list[tuple[str, str]]) -> object:
    from quote_builder.pricing.quote_format import quote_from_data

    data = base.to_json_dict()  # type: ignore[attr-defined]
    metric = next(m for c in base.components for m in c.metrics())  # type: ignore[attr-defined]
    data["usage_evidence"] = {
        "source_name": "pilot.csv",
        "sha256": "ab" * 32,
        "analysed_on": "2026-11-28",
        "rows": 645,
        "users": 25,
        "months": [
            {"month": month, "metrics": {metric: {"quantity": quantity}}}
            for month, quantity in quantities
        ],
    }
    return quote_from_data(data)


def test_the_bill_range_comes_from_the_usage_log_when_the_quote_keeps_one(
    tmp_path: Path,
) -> None:
    """Twelve months of usage: the quiet and busy months are the 10th and 90th percentiles."""
    from quote_builder.pricing.evidence import evidence_bills

    base = example("platform_usage_analytics.json")
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    used = ["560", "900", "1500", "2000", "2600", "3000", "3300", "4000", "5200", "7200", "9000"]
    doc = _with_log(base, list(zip(months, [*used, "91000"], strict=True)))
    bills = evidence_bills(doc)
    assert bills is not None and bills.low < bills.expected < bills.high
    f = Formatter(doc.currency)
    text = " ".join(" ".join(pdf_text(render_pdf(request_for(doc)).pdf, tmp_path)).split())
    for amount in (bills.low, bills.expected, bills.high):
        assert f.money(amount) in text
    assert "10th percentile month" in text and "90th percentile month" in text
    # What the bills were computed from: the queries the quote bills, not the log's events.
    total = f.number(sum((Decimal(q) for q in [*used, "91000"]), Decimal(0)))
    assert f"12 months of your usage (January 2026 to December 2026: {total} queries in total)" in (
        text
    )
    assert "too few" not in text
    # Without the log the range scales the forecast instead.
    plain = " ".join(" ".join(pdf_text(render_pdf(request_for(base)).pdf, tmp_path)).split())
    assert "percentile month" not in plain and "% usage" in plain


def test_a_short_usage_log_shows_its_quietest_and_busiest_month_not_percentiles(
    tmp_path: Path,
) -> None:
    """Three months (the demo's Q-2026-0005 keeps three): a 10th percentile of three months
    is interpolated between the two quietest (1,085.50 + 0.2 x (1,330 - 1,085.50) =
    1,134.40), a precision three months do not have. The proposal shows the months
    themselves, says that three months are few, and names the forecast's average month
    beside them, so that 'expected' is never two figures."""
    from quote_builder.pricing.evidence import evidence_bills, percentile

    base = example("platform_usage_analytics.json")
    doc = _with_log(base, [("2026-06", "560"), ("2026-07", "7200"), ("2026-08", "91000")])
    bills = evidence_bills(doc)
    assert bills is not None
    f = Formatter(doc.currency)
    text = " ".join(" ".join(pdf_text(render_pdf(request_for(doc)).pdf, tmp_path)).split())
    quietest = min(m.bill for m in bills.months)  # June: 560 queries, all included
    busiest = max(m.bill for m in bills.months)  # August: 91,000 queries
    monthly = [m.bill for m in bills.months]
    p10 = percentile(monthly, Decimal(10)).quantize(Decimal("0.01"))
    p90 = percentile(monthly, Decimal(90)).quantize(Decimal("0.01"))
    assert quietest < p10 and p90 < busiest  # the interpolated percentiles
    # One rule for the proposal and the app (pricing.evidence.quiet_typical_busy): the
    # range the app shows is these months too.
    assert (bills.low, bills.high) == (quietest, busiest)
    for amount in (quietest, bills.expected, busiest):
        assert f.money(amount) in text
    assert f.money(p10) not in text and f.money(p90) not in text
    assert "percentile" not in text
    assert "Quiet (June 2026)" in text and "Busy (August 2026)" in text
    assert "3 months of usage are too few to say how quiet or busy a month can be" in text
    average = price(doc).average_monthly
    assert (
        f"The average month of year 1 elsewhere in this proposal, {f.money(average)}, is at the "
        "expected usage of the assumptions, not at a month of your usage." in text
    )
    assert (
        "Expected"
        not in text.split("Your monthly bill if usage changes")[1].split("Assumptions")[0]
    )


def test_a_usage_log_that_leaves_a_charge_unpriced_is_not_used_in_the_proposal(
    tmp_path: Path,
) -> None:
    from quote_builder.pricing.quote_format import quote_from_data

    base = example("outcome_contingent_sales.json")
    data = base.to_json_dict()
    data["usage_evidence"] = {  # no attributed_value column: the value share reads nothing
        "source_name": "pilot.csv",
        "sha256": "ab" * 32,
        "analysed_on": "2026-11-28",
        "rows": 10,
        "users": 2,
        "months": [{"month": "2026-06", "metrics": {"deals": {"quantity": "5"}}}],
    }
    text = " ".join(
        " ".join(pdf_text(render_pdf(request_for(quote_from_data(data))).pdf, tmp_path)).split()
    )
    assert "percentile month" not in text and "of your usage" not in text


def test_a_pdf_of_one_document_is_titled_and_keyworded_as_that_document() -> None:
    """The buyer's lawyer (h3 walk): an order form alone was titled "Contract terms" in the
    viewer while its pages read "Order form", and its keywords said "quote, proposal"."""
    doc = example("platform_usage_analytics.json")
    expected = {
        "contract": ("Order form and contract terms: ", "quote, order form"),
        "proposal": ("Proposal: ", "quote, proposal"),
        "both": ("Proposal, order form and contract terms: ", "quote, proposal, order form"),
    }
    for kind, (title, keywords) in expected.items():
        meta = PdfReader(io.BytesIO(render_pdf(request_for(doc), kind).pdf)).metadata
        assert meta is not None
        assert meta.title == f"{title}{doc.customer.name} Ltd", kind
        assert (meta.get("/Keywords") or "").startswith(keywords), kind
