"""Dates, and amounts with their currency, stay on one line in every language: "31 de
diciembre de" on one line and "2026" on the next (the reviewer's "1 December" / "2026")
no longer happens. They are kept whole by ``<span class="nowrap">`` (print.css), not by
no-break spaces in the text, so the text a reader extracts from the PDF is unchanged."""

from __future__ import annotations

import datetime as dt
import pickle
import re
from decimal import Decimal
from pathlib import Path

import pytest
from markupsafe import escape

from quote_builder.documents import order_form as order_form_module
from quote_builder.documents import proposal as proposal_module
from quote_builder.documents import render as render_module
from quote_builder.documents import render_pdf
from quote_builder.documents.formatting import Formatter
from quote_builder.documents.i18n import Text, joined
from quote_builder.documents.render import render_html
from quote_builder.documents.viewmodel import CustomerView, ViewMeta, customer_view
from quote_builder.pricing.languages import DEFAULT_LOCALES
from quote_builder.pricing.terms import CustomerTerms

from .conftest import EXAMPLES, example, pdf_text, request_for

LANGUAGES = ["en", "de", "fr", "es", "ja"]


def _dates(terms: CustomerTerms) -> set[dt.date]:
    found = {terms.start_date, terms.end_date, terms.issued}
    if terms.valid_until is not None:
        found.add(terms.valid_until)
    for year in terms.years:
        found |= {year.start, year.end}
    for invoice in terms.invoices:
        found |= {invoice.start, invoice.end}
    found |= {e.effective for e in terms.escalations}
    return found


def _written(terms: CustomerTerms, language: str) -> set[str]:
    """Every date of the terms as the document writes it (long and short)."""
    f = Formatter(terms.currency, DEFAULT_LOCALES[language], language)
    return {text for d in _dates(terms) for text in (f.date(d), f.short_date(d))}


def _pattern(text: str) -> str:
    """``text`` as pdftotext may give it: any space a run of white space, and a line break
    allowed between any two characters (Japanese breaks between ideographs)."""
    out = ""
    for i, ch in enumerate(text):
        if ch.isspace():
            out += r"\s+"
            continue
        if i and not text[i - 1].isspace():
            out += r"\n?"
        out += re.escape(ch)
    return out


def broken_dates(pdf: bytes, terms: CustomerTerms, language: str, tmp_path: Path) -> list[str]:
    """The dates of ``terms`` that the PDF splits over two lines."""
    text = "\f".join(pdf_text(pdf, tmp_path))
    return [
        match.group(0)
        for written in _written(terms, language)
        for match in re.finditer(_pattern(written), text)
        if "\n" in match.group(0)
    ]


def test_a_documents_dates_and_amounts_carry_their_one_line_html() -> None:
    f = Formatter("EUR", "es_ES", "es", nowrap=True)
    date = f.date(dt.date(2026, 12, 1))
    plain = Formatter("EUR", "es_ES", "es").date(dt.date(2026, 12, 1))
    assert isinstance(date, Text) and date == plain == "1 de diciembre de 2026"
    assert date.__html__() == '<span class="nowrap">1 de diciembre de 2026</span>'
    # An amount is joined to its currency by no-break spaces already: no span needed.
    money = f.money(Decimal("12500"))
    assert money == "12.500,00\u00a0€" and type(money) is str
    # A value a line could break inside is kept whole: spaces, or CJK characters.
    japanese = Formatter("JPY", "ja_JP", "ja", nowrap=True).date(dt.date(2026, 12, 1))
    assert japanese.__html__() == '<span class="nowrap">2026年12月1日</span>'
    spaced = Formatter("CHF", "de_CH", "de", nowrap=True).money(Decimal("1234.5"))
    assert (" " in spaced) == hasattr(spaced, "__html__")
    # A sentence holding one is the same text, and keeps it whole in its HTML.
    sentence = f._("Review this proposal before %(date)s.", date=date)
    assert sentence == "Revise esta propuesta antes del 1 de diciembre de 2026."
    assert '<span class="nowrap">1 de diciembre de 2026</span>.' in sentence.__html__()
    both = joined(" · ", [sentence, "x < y"])
    assert both == sentence + " · x < y" and "x &lt; y" in both.__html__()
    assert '<span class="nowrap">' in both.__html__()
    assert pickle.loads(pickle.dumps(both)).__html__() == both.__html__()
    # The app's own tables (no nowrap) get plain strings, as before.
    assert type(Formatter("EUR", "es_ES", "es").money(Decimal(1))) is str


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_date_a_line_could_break_is_kept_whole(path: Path, language: str) -> None:
    req = request_for(example(path.name), language=language, locale=DEFAULT_LOCALES[language])
    html = render_html("both", req)
    body = html[html.index("<body") :]
    terms = customer_view(req).terms
    # "1 de diciembre de 2026" is inside "31 de diciembre de 2026": a date starts after a
    # character that is not a digit.
    loose = {
        written: len(re.findall(rf"(?<!\d){re.escape(str(escape(written)))}", body))
        - body.count(f'<span class="nowrap">{escape(written)}</span>')
        for written in _written(terms, language)
    }
    # Outside a span only a date no line can break inside ("01.02.2027", "2027/02/01").
    assert {w: n for w, n in loose.items() if n and re.search(r"[ \u3000-\u9fff]", w)} == {}
    assert any(re.search(r"[ \u3000-\u9fff]", w) for w in loose)  # the long dates


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_date_breaks_across_lines_in_the_pdf(language: str, tmp_path: Path) -> None:
    for name in ("usd_sales_tax_new_york.json", "eur_reverse_charge_germany.json"):
        req = request_for(example(name), language=language, locale=DEFAULT_LOCALES[language])
        pdf = render_pdf(req).pdf
        assert broken_dates(pdf, customer_view(req).terms, language, tmp_path) == []


def test_the_line_check_finds_a_broken_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the one-line spans (the documents' formatter as before), Spanish dates
    break ("31 de diciembre de" / "2026"): the check above is not vacuous."""

    def plain_formatter(view: CustomerView, meta: ViewMeta) -> Formatter:
        return Formatter(view.terms.currency, meta.locale, meta.language)

    monkeypatch.setattr(proposal_module, "document_formatter", plain_formatter)
    monkeypatch.setattr(order_form_module, "document_formatter", plain_formatter)
    # ... and without the spans breaks.keep_whole adds ("año 1", "2006/112/CE").
    monkeypatch.setattr(render_module, "keep_whole", lambda language, html: html)
    req = request_for(example("usd_sales_tax_new_york.json"), language="es", locale="es_ES")
    result = render_pdf(req)
    assert '<span class="nowrap">' not in result.html["both"]
    assert broken_dates(result.pdf, customer_view(req).terms, "es", tmp_path) != []
