"""What a reader of the PDFs noticed beside the clauses: German chart labels without
thousands separators, German price-table headers running together, a sentence ending in a
name that ends in a full stop ("Inc.."), and a metric id printed in lower case ("ai")."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from quote_builder.documents import render_pdf
from quote_builder.documents.formatting import Formatter
from quote_builder.documents.own_words import unit_words
from quote_builder.documents.render import render_html
from quote_builder.pricing.languages import DEFAULT_LOCALES

from .conftest import example, request_for


def in_language(doc_name: str, language: str):  # type: ignore[no-untyped-def]
    req = request_for(example(doc_name))
    return dataclasses.replace(req, language=language, locale=DEFAULT_LOCALES[language])


@pytest.mark.parametrize(
    ("amount", "german"),
    [
        ("30048.53", "30.049\u00a0$"),  # was 30048,53 $: written in full, ungrouped
        ("1234.5", "1.235\u00a0$"),
        ("12345", "12.345\u00a0$"),
        ("-30048.53", "-30.049\u00a0$"),
        ("999.99", "999,99\u00a0$"),  # below a thousand: as it is
        ("1200000", "1,2\u00a0Mio.\u00a0$"),
    ],
)
def test_german_chart_amounts_are_grouped(amount: str, german: str) -> None:
    assert Formatter("USD", "de_DE", "de").compact(Decimal(amount)) == german


def test_no_chart_label_runs_thousands_together() -> None:
    for language in ("de", "fr", "es", "ja", "en"):
        html = render_html("proposal", in_language("outcome_based_support.json", language))
        labels = re.findall(r"<text[^>]*>([^<]+)</text>", html)
        assert labels
        assert not [label for label in labels if re.search(r"\d{4,}", label)], language


def _word_boxes(pdf: bytes, tmp_path: Path) -> list[tuple[int, float, float, float, str]]:
    """(page, x min, x max, y min, word) of every word (pdftotext -bbox)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    boxes = []
    for page, body in enumerate(out.split("<page ")[1:]):
        for x0, y0, x1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
            body,
        ):
            boxes.append((page, float(x0), float(x1), float(y0), word))
    return boxes


def test_german_price_table_headers_stand_apart(tmp_path: Path) -> None:
    """ "Nettostückpreis" and "Positionssumme" touched: the headers may now break at a soft
    hyphen, and a gap separates every neighbouring pair."""
    req = in_language("platform_usage_analytics.json", "de")
    doc = example("platform_usage_analytics.json")
    assert doc.discounts  # the table with the net unit price column
    boxes = _word_boxes(render_pdf(req, "contract").pdf, tmp_path)
    nets = [b for b in boxes if re.fullmatch(r"Netto(stück)?(preis|[-‐])", b[4])]
    totals = [b for b in boxes if re.fullmatch(r"Positions(summe|[-‐])", b[4])]
    assert nets and totals
    pairs = [
        (n, t)
        for n in nets
        for t in totals
        if n[0] == t[0] and abs(n[3] - t[3]) < 2 and t[1] > n[1]
    ]
    assert pairs
    for net, total in pairs:
        assert total[1] - net[2] >= 6, (net, total)  # at least 6 pt between the headers


def test_a_name_ending_in_a_full_stop_ends_the_sentence_once() -> None:
    html = render_html("proposal", request_for(example("usd_sales_tax_new_york.json")))
    assert example("usd_sales_tax_new_york.json").customer.name.endswith("Inc.")
    assert "the terms for Empire Foods Inc." in html
    assert "Inc.." not in html


@pytest.mark.parametrize(
    ("metric", "name"),
    [
        ("ai_requests", "AI requests"),
        ("api_calls", "API calls"),
        ("llm-tokens", "LLM tokens"),
        ("tickets_resolved", "tickets resolved"),
        ("maintenance", "maintenance"),  # "ai" inside a word stays
    ],
)
def test_a_metric_id_reads_as_words(metric: str, name: str) -> None:
    assert unit_words(metric) == name


def test_the_value_metric_is_printed_readably() -> None:
    html = render_html("proposal", request_for(example("seats_ai_tiers_coding_individual.json")))
    assert "(AI requests)" in html and "ai requests" not in html
