"""A document never shows an empty label or a placeholder as if it were content: a file
rendered without a seller printed an empty "Prepared by" and "Questions: contact .", and
both signature blocks printed "Name, title" when no one was named to sign. Now the line is
left out; a draft lists what is missing under "To settle before signature"; a final order
form without the seller's signatory is refused, as one without the customer's is."""

from __future__ import annotations

from pathlib import Path

import pytest

from quote_builder.documents import Party, render_pdf
from quote_builder.documents.render import RenderRefusedError
from quote_builder.pricing.languages import DEFAULT_LOCALES

from .conftest import example, pdf_text, request_for

NO_SELLER = Party("")
UNSIGNED_SELLER = Party("Acme AI", "Acme AI Ltd", "1 Market Street, London", "deals@acme.example")
# The placeholders the signature blocks printed, in every language (the catalogs' old
# translations of "Name" and "title" in "{{ name }}, {{ title }}").
PLACEHOLDERS = {
    "en": "Name, title",
    "de": "Name, Funktion",
    "fr": "Nom, fonction",
    "es": "Nombre, cargo",
    "ja": "氏名、役職",
}


def _flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def _signatures(html: str) -> str:
    return html[html.index('<div class="signatures">') :]


@pytest.mark.parametrize("language", list(PLACEHOLDERS))
def test_a_file_render_without_seller_prints_no_empty_label(language: str, tmp_path: Path) -> None:
    req = request_for(
        example("platform_usage_analytics.json"),
        seller=NO_SELLER,
        version=None,
        language=language,
        locale=DEFAULT_LOCALES[language],
    )
    result = render_pdf(req)
    html = result.html["both"]
    cover = html[html.index('<table class="facts">') : html.index("</table>")]
    assert "<td></td>" not in cover and "<td> " not in cover
    assert PLACEHOLDERS[language] not in _flat(pdf_text(result.pdf, tmp_path))
    if language == "en":
        text = _flat(pdf_text(result.pdf, tmp_path))
        assert "Prepared by" not in text
        assert "Questions:" not in text  # no seller, no email: nobody to write to
        # The draft says what is missing, with the other gaps.
        box = text[text.index("To settle before signature:") :]
        assert "The provider's name is not set." in box
        assert "The person who signs for the provider is not given." in box
    # The customer's signatory is named; the seller's line under its block is left out.
    assert "Jane Buyer" in _signatures(html)


def test_the_signature_blocks_print_only_who_is_named(tmp_path: Path) -> None:
    doc = example("platform_usage_analytics.json")
    no_title = Party("Northwind Analytics", billing_address="1 Way, Berlin", signatory="Jane Buyer")
    html = render_pdf(request_for(doc, customer=no_title), "contract").html["contract"]
    blocks = _signatures(html)
    assert "Sam Seller, Chief Executive Officer" in blocks  # conftest's seller
    assert "Jane Buyer<br>" in blocks and "Jane Buyer," not in blocks
    unsigned = request_for(doc, seller=UNSIGNED_SELLER, customer=Party("Northwind Analytics"))
    result = render_pdf(unsigned, "contract")
    blocks = _signatures(result.html["contract"])
    assert "Name" not in blocks and "title" not in blocks
    text = _flat(pdf_text(result.pdf, tmp_path))
    assert "Name, title" not in text
    assert "The person who signs for the provider is not given." in text
    assert (
        "The customer's billing address and the person who signs for the customer are not "
        "given." in text
    )


def test_a_final_order_form_needs_the_sellers_signatory() -> None:
    doc = example("platform_usage_analytics.json")
    with pytest.raises(RenderRefusedError) as refused:
        render_pdf(request_for(doc, seller=UNSIGNED_SELLER, final=True, status="approved"))
    assert str(refused.value) == (
        "the order form is not ready to sign: no one signs for the seller: set the Signatory "
        "(and the Signatory's title) in Settings, Seller profile (the name under the seller's "
        "signature line)"
    )
    # With one, the same quote renders as final.
    assert render_pdf(request_for(doc, final=True, status="approved")).pdf.startswith(b"%PDF")


def test_the_rep_is_told_before_sending(tmp_path: Path) -> None:
    """`render` of a draft warns the rep, in the same words as the refusal."""
    result = render_pdf(request_for(example("outcome_based_support.json"), seller=UNSIGNED_SELLER))
    assert any(w.startswith("no one signs for the seller") for w in result.warnings)
