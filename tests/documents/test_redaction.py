"""Nothing internal reaches the prospect: for every example and demo quote and every
document kind (proposal, contract, both as PDF/A), no internal value or note appears in
any byte of the PDF: its text, its decompressed streams, its attachments, its XMP and its
document information.

Each quote is also rendered "marked": its internal economics set to values that appear
nowhere else (a unit cost of 0.0917, a fixed cost of 4,321.87, a 73.9 % target margin ...),
a cost-only metric that is never billed, a note and an advisor's flag, so a leak cannot
hide behind a number that happens to be a price too."""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from quote_builder.documents import RenderRequest, render_pdf
from quote_builder.documents.formatting import Formatter
from quote_builder.pricing import QuoteDocument, price
from quote_builder.pricing.advisor import _RULES, recommend
from quote_builder.pricing.document import Economics, UsageForecast
from quote_builder.pricing.playbook import MODEL_PROFILES
from quote_builder.services.demo import seed_demo
from quote_builder.services.quotes import list_quotes, open_version
from quote_builder.store.database import open_database

from .conftest import EXAMPLES, example, pdf_text, request_for

SECRET_NOTE = "Walk-away price: do not go below 0.29 (internal)"
SECRET_METRIC = "gpu_seconds_internal"
KINDS = (("proposal", False), ("contract", False), ("both", True))


def marked(doc: QuoteDocument) -> QuoteDocument:
    """``doc`` with distinctive internal values everywhere the seller keeps them."""
    costs = {m: Decimal("0.0917") for m in doc.usage_forecast}
    costs[SECRET_METRIC] = Decimal("0.0613")
    forecast = {**doc.usage_forecast, SECRET_METRIC: UsageForecast(monthly=Decimal("8123"))}
    economics = Economics.model_validate(
        {
            "unit_costs": costs,
            "fixed_cost_per_month": "4321.87",
            "levers": {"routing_savings_percent": "41.3", "cache_hit_percent": "33.7"},
            "cost_decline_percent_per_year": "27.9",
            "target_margin_percent": "73.9",
            "margin_floor_percent": "57.3",
        }
    )
    return doc.model_copy(
        update={
            "economics": economics,
            "usage_forecast": forecast,
            "notes": SECRET_NOTE,
            "advisor": doc.advisor.model_copy(
                update={"ai_cost_is_material": True, "usage_tracks_headcount": False}
            ),
        }
    )


def _money_forms(f: Formatter, amount: Decimal) -> list[str]:
    plain = format(amount, "f")
    return [plain, f.money(amount), f.amount(amount)]


def needles(doc: QuoteDocument, *, numbers: bool) -> set[str]:
    """Every internal value of ``doc`` in the forms a document could print it. Numbers
    only for a marked quote: a real quote's fixed cost of 400 may equal a price."""
    priced = price(doc)
    f = Formatter(doc.currency)
    econ = doc.economics
    found: set[str] = {
        "unit_costs",
        "fixed_cost",
        "target_margin",
        "margin_floor",
        "economics",
        "cost_decline",
        "gross_margin",
        "cogs",
        "COGS",
        "usage_evidence",
        '"notes"',
        '"advisor"',
        "walk-away",
        "the customer pays",
        "The customer pays",
        "margin",
        "Margin",
    }
    if doc.notes:
        found.add(doc.notes)
    for warning in priced.warnings:
        found.add(warning.code)
        found.add(warning.message[:60])
    for metric, cost in econ.unit_costs.items():
        value_metric = doc.value.metric if doc.value else None
        if metric not in {m for c in doc.components for m in c.metrics()} | {value_metric}:
            found.add(metric)
            found.add(metric.replace("_", " "))
        if cost and numbers:
            found.add(format(cost, "f"))
    if not numbers:
        return _text_needles(doc, found)
    if econ.fixed_cost_per_month:
        found.update(_money_forms(f, econ.fixed_cost_per_month)[1:])
    for year in priced.years:
        if year.cogs:
            found.update(_money_forms(f, year.cogs))
        if year.gross_margin_percent is not None:
            found.add(f"{year.gross_margin_percent}%")
            found.add(f"{year.gross_margin_percent} %")
    if priced.total_cogs:
        found.update(_money_forms(f, priced.total_cogs))
    value = priced.value
    if value is not None:
        if value.cost_anchored_price is not None:
            found.add(f.price(value.cost_anchored_price.quantize(Decimal("0.0001"))))
        if value.value_capture_percent is not None:
            found.add(f"{value.value_capture_percent}%")
    return _text_needles(doc, found)


def _text_needles(doc: QuoteDocument, found: set[str]) -> set[str]:
    # The advisor's reasoning and the playbook's seller-side wording.
    for rules in _RULES.values():
        for _model, _score, reason in rules:
            found.add(reason)
    for rec in recommend(doc.product_category, doc.advisor):
        found.update(r for r in rec.rationale if not r.startswith("Works when"))
    for profile in MODEL_PROFILES.values():
        found.add(profile.structure)
        found.add(profile.works_when[:50])
    evidence = doc.usage_evidence
    if evidence is not None:
        found.update(evidence.recommendations)
        found.add(evidence.sha256)
        if evidence.seat_reason:
            found.add(evidence.seat_reason)
        for snapshot in evidence.comparison:
            if snapshot.margin_percent is not None:
                found.add(f"{snapshot.margin_percent}%")
        found.add(evidence.source_name)
    return {n for n in found if n}


def _streams(pdf: bytes) -> Iterator[bytes]:
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        raw = match.group(1)
        try:
            yield zlib.decompress(raw)
        except zlib.error:
            yield raw


def surfaces(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    """Every place a PDF keeps text, decoded."""
    reader = PdfReader(io.BytesIO(pdf))
    found = {
        # Lines joined, so a note wrapped over two lines is still found.
        "text": " ".join(" ".join(pdf_text(pdf, tmp_path)).split()),
        "layout text": "\n".join(pdf_text(pdf, tmp_path, layout=True)),
        "raw bytes": pdf.decode("latin-1"),
    }
    for i, stream in enumerate(_streams(pdf)):
        found[f"stream {i}"] = stream.decode("utf-8", errors="replace")
        found[f"stream {i} (UTF-16)"] = stream.decode("utf-16-be", errors="replace")
    for name, contents in reader.attachments.items():
        for content in contents:
            found[f"attachment {name}"] = content.decode("utf-8")
    meta = reader.metadata or {}
    found["document information"] = " | ".join(str(v) for v in meta.values())
    if reader.xmp_metadata is not None:
        found["XMP"] = reader.xmp_metadata.stream.get_data().decode("utf-8", errors="replace")
    return found


def assert_redacted(req: RenderRequest, tmp_path: Path, *, numbers: bool = True) -> None:
    secret = needles(req.document, numbers=numbers)
    for kind, pdf_a in KINDS:
        result = render_pdf(req, kind, pdf_a=pdf_a)  # type: ignore[arg-type]
        for where, text in surfaces(result.pdf, tmp_path).items():
            leaked = sorted(n for n in secret if n in text)
            assert not leaked, f"{kind}: {leaked} in the {where}"
        for html in result.html.values():
            leaked = sorted(n for n in secret if n in html)
            assert not leaked, f"{kind}: {leaked} in the HTML"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_keep_internal_values_in(path: Path, tmp_path: Path) -> None:
    assert_redacted(request_for(example(path.name)), tmp_path, numbers=False)
    assert_redacted(request_for(marked(example(path.name))), tmp_path)


def test_demo_quotes_keep_internal_values_in(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "demo.db"))
    try:
        seed_demo(db, actor="test", today=dt.date(2026, 11, 2))
        rows = list_quotes(db, limit=100).rows
        assert len(rows) >= 4
        assert any(open_version(db, r.id).document.usage_evidence for r in rows)
        from quote_builder.services.documents import _customer, _seller

        seller, _logo = _seller(db)
        for row in rows:
            doc = open_version(db, row.id).document
            assert doc.notes or doc.economics.unit_costs or doc.usage_evidence
            for document, numbers in ((doc, False), (marked(doc), True)):
                req = request_for(
                    document,
                    seller=seller,
                    customer=_customer(db, document),
                    quote_number=row.number,
                )
                assert_redacted(req, tmp_path, numbers=numbers)
    finally:
        db.close()


def test_the_needles_would_be_found(tmp_path: Path) -> None:
    """The check can fail: a document that prints a note and a cost is caught."""
    doc = marked(example("platform_usage_analytics.json"))
    leaky = doc.model_copy(update={"title": f"{SECRET_NOTE} at 0.0917 a query"})
    with pytest.raises(AssertionError, match=r"'0\.0917', 'Walk-away"):
        assert_redacted(request_for(leaky), tmp_path)
