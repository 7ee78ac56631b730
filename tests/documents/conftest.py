from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from quote_builder.documents import Party, RenderRequest
from quote_builder.documents.viewmodel import customer_view
from quote_builder.pricing import QuoteDocument, content_hash, load_quote, price
from quote_builder.pricing.terms import CustomerTerms

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def pdf_text(pdf: bytes, tmp_path: Path, *, layout: bool = False) -> list[str]:
    """The text of each page (pdftotext), so tests read what a prospect reads."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install poppler-utils")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    text = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def request_for(doc: QuoteDocument, **overrides: object) -> RenderRequest:
    fields: dict[str, object] = {
        "document": doc,
        "priced": price(doc),
        "seller": Party(
            "Acme AI",
            "Acme AI Ltd",
            "1 Market Street, London",
            "deals@acme-ai.example",
            signatory="Sam Seller",
            signatory_title="Chief Executive Officer",
        ),
        # A customer an order form can be signed for: a billing address and a signatory.
        "customer": Party(
            doc.customer.name,
            doc.customer.name + " Ltd",
            country="Germany",
            billing_address="Friedrichstrasse 10, 10117 Berlin",
            signatory="Jane Buyer",
            signatory_title="Chief Operating Officer",
        ),
        "quote_number": doc.quote_number or "Q-2026-0100",
        "version": 2,
        "version_hash": content_hash(doc),
    }
    fields.update(overrides)
    return RenderRequest(**fields)  # type: ignore[arg-type]


def example(name: str) -> QuoteDocument:
    return load_quote((ROOT / "examples" / name).read_text())


def terms_of(name: str) -> CustomerTerms:
    """The customer's terms of an example (default parties)."""
    return customer_view(request_for(example(name))).terms
