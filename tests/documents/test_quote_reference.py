"""How the documents name a quote that has no saved version (a file rendered with
`quote-builder render examples/X.json`), or no number either: nothing stands in for what
it lacks. The cover, the page headers and the PDF's description printed "unsaved" (and
"Draft quote" as the number), which a prospect reads as an unfinished document."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from quote_builder.documents import render_pdf
from quote_builder.documents.viewmodel import common_view, customer_view, view_meta
from quote_builder.documents.viewmodel import document_formatter as formatter_of

from .conftest import ROOT, example, pdf_text, request_for

# What stood in for a missing version or number, in every language (the catalogs' old
# translations of "unsaved", "Draft quote" and "draft").
STAND_INS = {
    "en": ["unsaved", "Draft quote"],
    "de": ["nicht gespeichert", "Angebotsentwurf"],
    "fr": ["non enregistrée", "Projet de devis"],
    "es": ["sin guardar", "Borrador de presupuesto"],
    "ja": ["未保存", "見積書（下書き）"],
}
LOCALES = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "ja": "ja_JP"}
DRAFT_WORD = {"en": "DRAFT", "de": "ENTWURF", "fr": "BROUILLON", "es": "BORRADOR", "ja": "下書き"}


def _flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


@pytest.mark.parametrize("language", list(LOCALES))
def test_a_file_render_prints_its_number_and_no_stand_in(language: str, tmp_path: Path) -> None:
    doc = example("usd_sales_tax_new_york.json")  # Q-2026-0103, as a file: no version
    req = request_for(doc, version=None, language=language, locale=LOCALES[language])
    result = render_pdf(req)
    pages = pdf_text(result.pdf, tmp_path)
    text = _flat(pages)
    assert [word for word in STAND_INS[language] if word in text] == []
    # Every page after the cover is headed by the number and the draft mark alone.
    headed = [p for p in pages[1:] if re.search(rf"Q-2026-0103 · {DRAFT_WORD[language]}", p)]
    assert len(headed) == len(pages) - 1
    reader = PdfReader(io.BytesIO(result.pdf))
    description = str(reader.metadata.get("/Subject"))
    assert "Q-2026-0103" in description and "SHA-256" in description
    assert [w for w in STAND_INS[language] if w in description] == []


@pytest.mark.parametrize("language", list(LOCALES))
def test_a_quote_without_number_names_its_date(language: str, tmp_path: Path) -> None:
    doc = example("usd_sales_tax_new_york.json").model_copy(update={"quote_number": None})
    req = request_for(
        doc, version=None, quote_number="", language=language, locale=LOCALES[language]
    )
    view = customer_view(req)
    meta = view_meta(req)
    common = common_view(view, meta, formatter_of(view, meta))
    assert common["quote_label"] == ""  # no Quote row on the cover
    issued = common["issued"]
    assert common["running_ref"].startswith(issued)
    result = render_pdf(req)
    text = _flat(pdf_text(result.pdf, tmp_path))
    assert [word for word in STAND_INS[language] if word in text] == []
    assert text.count(str(issued)) >= 3  # the cover's date and the headers
    html = result.html["both"]
    assert 'content=""' not in html  # the HTML's description is never empty


def test_a_saved_quote_keeps_its_number_and_version(tmp_path: Path) -> None:
    req = request_for(example("usd_sales_tax_new_york.json"))  # version 2
    text = _flat(pdf_text(render_pdf(req).pdf, tmp_path))
    assert "Quote Q-2026-0103, version 2" in text
    assert "Q-2026-0103 · version 2 · DRAFT" in text
    assert "Quote Q-2026-0103, version 2 · issued" in text  # the order form's reference


def test_the_command_line_file_render_reads_no_unsaved(tmp_path: Path) -> None:
    """The reviewer's command: `quote-builder render examples/X.json -o out.pdf`."""
    from quote_builder.cli import main

    out_pdf = tmp_path / "out.pdf"
    code = main(
        ["render", str(ROOT / "examples" / "platform_usage_analytics.json"), "-o", str(out_pdf)],
        io.StringIO(),
        io.StringIO(),
    )
    assert code == 0
    text = _flat(pdf_text(out_pdf.read_bytes(), tmp_path))
    assert "unsaved" not in text and "Q-2026-0002 · DRAFT" in text
