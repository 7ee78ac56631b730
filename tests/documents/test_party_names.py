"""One party, one name: the cover's Customer row said "Globex Engineering" (the name the
customer trades under) while the order form said "Globex Corporation" (its legal name), which
a buyer's lawyer reads as two parties. Now the documents identify each party by its legal
name with its trading name where they differ ("Globex Corporation (trading as Globex
Engineering)", on the cover and in the Parties clause), and call it by its legal name
everywhere else (title, headers, summary, signatures, the PDF's title)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from quote_builder.documents import Party, render_pdf
from quote_builder.pricing.languages import DEFAULT_LOCALES

from .conftest import example, pdf_text, request_for

GLOBEX = Party(
    "Globex Engineering",
    "Globex Corporation",
    email="ap@globex.example",
    country="United States",
    billing_address="1 Globex Plaza, Cypress Creek, OR 97000, United States",
    signatory="Hank Scorpio",
    signatory_title="CEO",
)
TRADING_AS = {
    "en": "Globex Corporation (trading as Globex Engineering)",
    "de": "Globex Corporation (Geschäftsbezeichnung: Globex Engineering)",
    "fr": "Globex Corporation (nom commercial\u00a0: Globex Engineering)",
    "es": "Globex Corporation (nombre comercial: Globex Engineering)",
    "ja": "Globex Corporation（通称：Globex Engineering）",
}


def _flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def trading_name_alone(text: str, identity: str) -> list[str]:
    """Where the text names the customer by its trading name outside its identity."""
    rest = text.replace(" ".join(identity.split()), "")
    return [m.group(0) for m in re.finditer(r".{0,30}Globex Engineering.{0,10}", rest)]


@pytest.mark.parametrize("language", list(TRADING_AS))
def test_the_customer_has_one_name_in_both_documents(language: str, tmp_path: Path) -> None:
    doc = example("usd_sales_tax_new_york.json")
    customer = doc.customer.model_copy(update={"name": "Globex Engineering"})
    # No title of the rep's: the default one names the customer too.
    doc = doc.model_copy(update={"title": "", "customer": customer})
    req = request_for(doc, customer=GLOBEX, language=language, locale=DEFAULT_LOCALES[language])
    result = render_pdf(req)
    pages = pdf_text(result.pdf, tmp_path)
    text = _flat(pages)
    identity = TRADING_AS[language]
    # Identified with both names on the cover and in the parties clause ...
    assert text.count(" ".join(identity.split())) >= 2
    # ... and never by the trading name alone (the cover's row, the headers, the summary).
    assert trading_name_alone(text, identity) == []
    assert "Globex Corporation" in _flat(pages[-1:])  # the signature block
    title = PdfReader(io.BytesIO(result.pdf)).metadata.title
    assert title is not None and "Globex Corporation" in title
    assert "Globex Engineering" not in title


def test_a_party_whose_names_agree_is_named_once(tmp_path: Path) -> None:
    same = Party("Globex Corporation", "Globex Corporation", billing_address="1 Plaza")
    only = Party("Globex Corporation", billing_address="1 Plaza")
    for customer in (same, only):
        req = request_for(example("usd_sales_tax_new_york.json"), customer=customer)
        text = _flat(pdf_text(render_pdf(req).pdf, tmp_path))
        assert "trading as" not in text.replace("Acme AI Ltd (trading as Acme AI)", "")
        assert "Globex Corporation, 1 Plaza" in text  # the Parties clause


def test_the_demo_customer_reads_as_one_party(tmp_path: Path) -> None:
    """The reviewer's case: the demo's Globex Engineering, whose legal name is Globex
    Corporation, rendered from the database as the app renders it."""
    from quote_builder.services import documents as document_svc
    from quote_builder.services import quotes as quote_svc
    from quote_builder.services.demo import seed_demo
    from quote_builder.store.database import open_database

    db = open_database(str(tmp_path / "demo.db"))
    try:
        seed_demo(db, actor="demo")
        [row] = [
            r for r in quote_svc.list_quotes(db).rows if r.customer_name == "Globex Engineering"
        ]
        rendered = document_svc.render_saved_quote(db, row.number)
    finally:
        db.close()
    text = _flat(pdf_text(rendered.result.pdf, tmp_path))
    identity = TRADING_AS["en"]
    assert f"Customer {identity}" in text
    # The quote's title is the rep's own text, printed as written (the cover's Customer row
    # says whose trading name it is).
    title = " ".join(rendered.request.document.title.split())
    assert trading_name_alone(text.replace(title, ""), identity) == []
