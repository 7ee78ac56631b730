"""Hostile text in every customer and quote field: no foreign file, no injected markup,
and the layout survives."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from quote_builder.documents import Party, RenderRefusedError, render_pdf
from quote_builder.documents.render import LockedURLFetcher
from quote_builder.paths import resources_dir, templates_dir

from .conftest import example, pdf_text, request_for

HOSTILE = [
    '<link rel="attachment" href="file:///etc/passwd">',
    "</style><style>body{display:none}</style>",
    "url(file:///etc/passwd) @import 'http://evil.example/x.css';",
    '<img src="http://evil.example/pixel.png"><script>alert(1)</script>',
    "Supercalifragilisticexpialidocious" * 8,
    "שלום עולם مرحبا بالعالم",
    "{{ 7*7 }} {% raise %}",
]


def hostile_request(text: str) -> object:
    doc = example("outcome_based_support.json")
    components = []
    for c in doc.components:
        update = {"name": f"{c.name} {text}", "description": text}
        if hasattr(c, "terms"):
            update["terms"] = c.terms.model_copy(
                update={
                    "definition": text,
                    "verification_evidence": text,
                    "success_criteria": text,
                    "audit_rights": text,
                }
            )
        components.append(c.model_copy(update=update))
    hostile_doc = doc.model_copy(
        update={
            "title": text,
            "notes": text,
            "components": components,
            "customer": doc.customer.model_copy(update={"name": text}),
            "discounts": [d.model_copy(update={"description": text}) for d in doc.discounts],
            "contract": doc.contract.model_copy(update={"price_protection": text}),
        }
    )
    return request_for(
        hostile_doc,
        seller=Party(text, text, text, "deals@acme.example", text, text, text),
        customer=Party(text, text, text, "x@y.example", text, text, text),
        quote_number=text[:40],
    )


def test_names_the_fonts_cannot_draw_are_refused_never_changed() -> None:
    doc = example("platform_usage_analytics.json")
    with pytest.raises(RenderRefusedError) as caught:
        render_pdf(request_for(doc, customer=Party("Rocket 🚀 Labs")))
    assert str(caught.value).startswith(
        "the customer's name ('Rocket 🚀 Labs') has a character the PDF fonts cannot draw: "
        "🚀 (U+1F680 ROCKET)"
    )
    with pytest.raises(RenderRefusedError, match="the seller's name"):
        render_pdf(hostile_request("Rocket 🚀 Labs"))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    [
        "東京海上ソリューションズ株式会社",
        "서울 데이터 주식회사",
        "ООО «Северный ветер»",
        "Ελληνικά Δεδομένα Α.Ε.",
        "شركة البيانات العربية",
        "深圳数据科技有限公司",
    ],
)
def test_party_names_in_any_script_print_as_written(name: str, tmp_path: Path) -> None:
    doc = example("platform_usage_analytics.json")
    doc = doc.model_copy(update={"customer": doc.customer.model_copy(update={"name": name})})
    result = render_pdf(request_for(doc, customer=Party(name, name)), "contract")
    assert result.log == []  # no missing glyph
    text = " ".join(pdf_text(result.pdf, tmp_path))
    assert name in text or name in " ".join(text.split())
    assert "\u25a1" not in text


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_printed_never_obeyed(text: str, tmp_path: Path) -> None:
    result = render_pdf(hostile_request(text), pdf_a=False)  # type: ignore[arg-type]
    assert result.refused_urls == []  # nothing even tried to load
    assert result.log == []
    reader = PdfReader(io.BytesIO(result.pdf))
    assert set(reader.attachments) == {"terms.json"}  # no /etc/passwd smuggled in
    assert b"root:x:0:0" not in result.pdf
    for html in result.html.values():
        assert (
            "<script" not in html
            and '<link rel="attachment"' not in html
            and '<img src="http' not in html
        )
    pages = pdf_text(result.pdf, tmp_path)
    assert 5 <= len(pages) <= 14  # the layout survives: no page blown up or lost
    if text.startswith("<link"):
        assert any('<link rel="attachment"' in page for page in pages)  # shown as text


def test_fetcher_serves_only_allowed_files_and_data(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n")
    fetcher = LockedURLFetcher([templates_dir(), resources_dir()], [logo])
    assert fetcher.fetch((resources_dir() / "logo.svg").as_uri()).read().startswith(b"<svg")
    assert fetcher.fetch(logo.as_uri()).read() == b"\x89PNG\r\n"
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    for url in (
        "file:///etc/passwd",
        (templates_dir() / ".." / ".." / "etc" / "passwd").as_uri(),
        (tmp_path / "other.png").as_uri(),
        "http://127.0.0.1/x.css",
        "https://example.com/font.otf",
        "ftp://example.com/x",
    ):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6
