"""A reviewer looked at every page of the examples and the demo quotes: where a page or a
line breaks. A total row alone under the repeated header, a heading with one bullet at a
page's foot, "2006/112/ EC", "l'année / 1", Japanese labels broken inside a word, KPI
figures in two sizes, and "(... period.)." (tests/documents/test_layout.py holds the
checks of laid-out pages these use)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quote_builder.documents import RenderRequest, render_pdf
from quote_builder.documents.render import laid_out, render_html
from quote_builder.pricing.languages import DEFAULT_LOCALES
from quote_builder.store.database import Database

from .conftest import example, pdf_text, request_for
from .test_layout import layout_problems


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo database as ``quote-builder --create demo`` makes it on 1 December 2026."""
    from quote_builder.services.demo import seed_demo
    from quote_builder.store.database import open_database

    db = open_database(str(tmp_path_factory.mktemp("demo") / "demo.db"))
    try:
        seed_demo(db, actor="test", today=dt.date(2026, 12, 1))
        yield db
    finally:
        db.close()


def saved(db: Database, number: str, language: str) -> RenderRequest:
    """What ``quote-builder render NUMBER --language LANGUAGE`` renders (issued on the day
    the demo was made)."""
    from quote_builder.services.documents import _saved_request, final_state
    from quote_builder.services.quotes import find_quote, open_version

    row = find_quote(db, number)
    request = _saved_request(
        db, row, open_version(db, row.id), final_state(db, number), language=language
    )
    return dataclasses.replace(request, issued=dt.date(2026, 12, 1))


# --- 1, 2. a total row with its rows, a heading with two lines of what follows ------------


@pytest.mark.parametrize("language", ["de", "ja"])
def test_the_assumptions_heading_keeps_with_two_of_its_items(demo: Database, language: str) -> None:
    """Q-2026-0003's proposal ended page 5 with "Assumptions" and one bullet under it."""
    assert layout_problems(laid_out(saved(demo, "Q-2026-0003", language), "both")) == []


def test_a_total_row_keeps_with_two_rows() -> None:
    """seats_ai_tiers_coding_individual's invoice schedule in German left its total under
    one row on the next page."""
    request = request_for(
        example("seats_ai_tiers_coding_individual.json"), language="de", locale="de_DE"
    )
    assert layout_problems(laid_out(request, "contract")) == []


def test_every_language_of_every_demo_quote(demo: Database) -> None:
    """No heading keeps with fewer than two lines, no total with fewer than two rows, no
    small table split, in any language of the demo quotes."""
    from quote_builder.services.quotes import list_quotes

    problems = {}
    for row in list_quotes(demo, limit=100).rows:
        for language in DEFAULT_LOCALES:
            found = layout_problems(laid_out(saved(demo, row.number, language), "both"))
            if found:
                problems[(row.number, language)] = found
    assert problems == {}


OLD_BREAKS = (
    "<style>table.grid tfoot, table tbody tr:last-child, li:last-child"
    " { break-before: auto !important }"
    " table tbody tr:first-child, :is(h1, h2, h3) + p:not(.lead),"
    " :is(h1, h2, h3) + :is(ul, ol) > li:first-child { break-after: auto !important }</style>"
)
"""print.css's keeps of tables and lists undone (as before them)."""


def test_the_pages_check_sees_a_lone_total_and_a_heading_with_one_line(
    demo: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the old rules (no keep on a table's last rows, its total or a heading's first
    item) both pages the reviewer saw are reported: the checks are not vacuous."""
    from quote_builder.documents import render as render_module

    original = render_module.render_html

    def old_breaks(*args: object, **kwargs: object) -> str:
        html = original(*args, **kwargs)  # type: ignore[arg-type]
        return html.replace("</head>", OLD_BREAKS + "</head>", 1)

    monkeypatch.setattr(render_module, "render_html", old_breaks)
    assert layout_problems(laid_out(saved(demo, "Q-2026-0003", "de"), "both")) == [
        "heading 'Annahmen' keeps one line on page 5"
    ]
    request = request_for(
        example("seats_ai_tiers_coding_individual.json"), language="de", locale="de_DE"
    )
    assert layout_problems(laid_out(request, "contract")) == [
        "total 'Gesamtvertragswert6.420,00 $' on page 3 with 1 row(s) above it"
    ]


# --- 3, 5. a legal reference and "year 1" on one line -----------------------------------


def _text(pdf: bytes, tmp_path: Path) -> str:
    return "\f".join(pdf_text(pdf, tmp_path))


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_directive_s_number_stays_on_one_line(language: str, tmp_path: Path) -> None:
    """eur_reverse_charge_germany's tax note ended a line with "2006/112/" and began the
    next with "EC." (in English; "CE del Consejo" in Spanish)."""
    request = request_for(
        example("eur_reverse_charge_germany.json"),
        language=language,
        locale=DEFAULT_LOCALES[language],
    )
    text = _text(render_pdf(request).pdf, tmp_path)
    assert re.findall(r"2006/112/(?:EC|CE)", text)
    assert re.findall(r"2006/112/\s+\S+", text) == []


def test_legal_references_and_year_numbers_are_kept_whole_in_the_html() -> None:
    from quote_builder.documents.breaks import keep_whole

    html = (
        "<html><head><title>année 1</title></head><body>"
        "<p>l&#39;année 1, 2006/112/CE, année 2027, le 1/2/2027</p>"
        '<svg><text x="1">Année 1</text></svg></body></html>'
    )
    assert keep_whole("fr", html) == (
        "<html><head><title>année 1</title></head><body>"
        '<p>l&#39;<span class="nowrap">année 1</span>, '
        '<span class="nowrap">2006/112/CE</span>, année 2027, le 1/2/2027</p>'
        '<svg><text x="1">Année 1</text></svg></body></html>'
    )
    assert keep_whole("de", "<body>Vertragsjahr 2</body>") == (
        '<body><span class="nowrap">Vertragsjahr 2</span></body>'
    )
    assert keep_whole("ja", "<body>理事会指令2006/112/EC第196条</body>") == (
        '<body>理事会指令<span class="nowrap">2006/112/EC</span>第196条</body>'
    )


def test_a_french_year_keeps_its_number(tmp_path: Path) -> None:
    """The schedule's header "Hausse par rapport à l'année 1" broke before its "1"."""
    request = request_for(example("eur_reverse_charge_germany.json"), language="fr", locale="fr_FR")
    text = _text(render_pdf(request).pdf, tmp_path)
    assert "l'année 1" in text
    assert re.findall(r"(?i)année[ \t]*\n[ \t]*\d", text) == []


def test_a_spanish_key_figure_keeps_its_year_number(demo: Database, tmp_path: Path) -> None:
    """Q-2026-0003's "VALOR EN EL AÑO / 1 (EST.)"."""
    text = _text(render_pdf(saved(demo, "Q-2026-0003", "es"), "proposal").pdf, tmp_path)
    assert re.findall(r"(?i)año 1", text)
    assert re.findall(r"(?i)año[ \t]*\n[ \t]*\d", text) == []


# --- 4. Japanese labels break between phrases -------------------------------------------


def _label_lines(document: Any) -> dict[str, list[list[str]]]:
    """Each table header and key-figure label -> the text of its lines, wherever it is."""
    found: dict[str, list[list[str]]] = defaultdict(list)
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None:
                continue
            header = element.tag == "th" and type(box).__name__ == "TableCellBox"
            label = (
                element.tag == "div"
                and element.get("class") == "label"
                and type(box).__name__ == "BlockBox"
            )
            if not (header or label):
                continue
            lines = [
                "".join(
                    t.text for t in line.descendants() if isinstance(getattr(t, "text", None), str)
                )
                for line in box.descendants()
                if type(line).__name__ == "LineBox"
            ]
            found["".join(element.itertext())].append(lines)
    return found


def test_japanese_phrases() -> None:
    from quote_builder.documents.breaks import japanese_phrases

    assert japanese_phrases("1年目の価値（推定）") == ["1年目の", "価値", "（推定）"]
    assert japanese_phrases("1年目比の上昇率") == ["1年目比の", "上昇率"]
    assert japanese_phrases("タスクあたりの価値（推定）") == ["タスクあたりの", "価値", "（推定）"]
    assert japanese_phrases("後払い（見込み）") == ["後払い", "（見込み）"]
    assert japanese_phrases("お支払い内容") == ["お支払い", "内容"]  # the honorific keeps
    assert japanese_phrases("1年目の平均月額（一時料金を除く、推定）") == [
        "1年目の",
        "平均月額",
        "（一時料金を",
        "除く、",
        "推定）",
    ]


@pytest.mark.parametrize("name", ["outcome_based_support.json", "platform_usage_analytics.json"])
def test_japanese_labels_break_between_phrases(name: str) -> None:
    """「1年目の価値（推 / 定）」 and 「1年目比の上昇 / 率」 broke inside a word: a Japanese
    label now breaks only where one phrase ends and the next begins."""
    request = request_for(example(name), language="ja", locale="ja_JP")
    labels = _label_lines(laid_out(request, "both"))
    allowed = {
        "1年目の価値（推定）": (["1年目の価値（推定）"], ["1年目の価値", "（推定）"]),
        "1年目比の上昇率": (["1年目比の上昇率"], ["1年目比の", "上昇率"]),
        "タスクあたりの価値（推定）": (["タスクあたりの価値", "（推定）"],),
    }
    assert set(allowed) & set(labels)
    for label, layouts in allowed.items():
        assert [lines for lines in labels.get(label, []) if lines not in layouts] == []

    from quote_builder.documents.breaks import japanese_phrases

    inside = {}
    for label, layouts in labels.items():
        ends, end = set(), 0
        for phrase in japanese_phrases(label):
            end += len(phrase)
            ends.add(end)
        for lines in layouts:
            breaks = [sum(len(line) for line in lines[: i + 1]) for i in range(len(lines) - 1)]
            if any(at not in ends for at in breaks):
                inside[label] = lines
    assert inside == {}


# --- 6. a row of key figures in one size ------------------------------------------------


def _figure_sizes(document: Any) -> list[set[float]]:
    """The font sizes of the figures (``.kpi .value``) of each row of key figures."""
    rows: dict[Any, set[float]] = defaultdict(set)
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and "kpis" in (element.get("class") or "").split():
                for inner in box.descendants():
                    figure = getattr(inner, "element", None)
                    if figure is not None and "value" in (figure.get("class") or "").split():
                        rows[element].add(round(inner.style["font_size"], 2))
    return list(rows.values())


@pytest.mark.parametrize(("number", "language"), [("Q-2026-0001", "fr"), ("Q-2026-0003", "es")])
def test_key_figures_of_a_row_are_one_size(demo: Database, number: str, language: str) -> None:
    """Q-2026-0001 in French set "456 570,11 $US" at 10 pt beside "9,00 $US" at 13 pt."""
    sizes = _figure_sizes(laid_out(saved(demo, number, language), "proposal"))
    assert len(sizes) >= 2
    assert [row for row in sizes if len(row) != 1] == []


# --- 7. a parenthesised sentence inside a sentence --------------------------------------


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_minimum_spend_in_parentheses_has_no_stop_of_its_own(language: str) -> None:
    """ "... (A minimum spend of $2,000.00 per month; any shortfall is invoiced as a true-up
    at the end of the period.)." (Q-2026-0001's order form): the sentence around the
    parentheses ends them."""
    request = request_for(
        example("outcome_based_support.json"), language=language, locale=DEFAULT_LOCALES[language]
    )
    html = render_html("contract", request)
    if language == "en":
        assert "at the end of the period).</p>" in html
    else:
        assert "精算として請求します）を約束します。" in html
    assert ".)." not in html and "。）" not in html
