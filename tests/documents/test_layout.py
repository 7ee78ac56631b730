"""Layout and type, checked on WeasyPrint's laid-out pages (not on pixels): headings keep
with what follows (no page ends with a heading), tables of up to 5 rows never split, the
signature block stays whole with its heading; charts carry information; the PDF is tagged,
its language is the locale and the DRAFT mark is not text."""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from quote_builder.documents import render_pdf
from quote_builder.documents.render import laid_out
from quote_builder.pricing import load_quote

from .conftest import EXAMPLES, example, pdf_text, request_for


def pages_of(document: Any) -> dict[Any, list[int]]:
    """Each HTML element -> the pages (0-based) its boxes are on."""
    found: dict[Any, set[int]] = defaultdict(set)
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None:
                found[element].add(number)
    return {element: sorted(pages) for element, pages in found.items()}


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())[:60]


def _siblings(pages: dict[Any, list[int]]) -> dict[Any, Any]:
    """Each element -> its next element sibling (ElementTree keeps no parent links)."""
    root = next(e for e in pages if e.tag == "html")
    following: dict[Any, Any] = {}
    for parent in root.iter():
        children = list(parent)
        for a, b in zip(children, children[1:], strict=False):
            following[a] = b
    return following


def _body_rows(table: Any) -> int:
    return sum(len([r for r in body if r.tag == "tr"]) for body in table if body.tag == "tbody")


def line_pages(document: Any) -> dict[Any, list[int]]:
    """Each HTML element -> the page (0-based) of each of its own lines, in order."""
    found: dict[Any, list[int]] = defaultdict(list)
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if type(box).__name__ == "LineBox" and getattr(box, "element", None) is not None:
                found[box.element].append(number)
    return found


def _lines_after(element: Any, following: dict[Any, Any], lines: dict[Any, list[int]]) -> list[int]:
    """The pages of the lines that follow ``element`` among its siblings, in order."""
    after: list[int] = []
    follower = following.get(element)
    while follower is not None:
        for inner in follower.iter():
            found = lines.get(inner, [])
            if inner.tag == "th" and found:
                # A table's header row repeats on each page the table runs to: its lines
                # follow the heading once, on the first of them.
                found = [page for page in found if page == found[0]]
            after += found
        follower = following.get(follower)
    return after


def _total_problem(table: Any, pages: dict[Any, list[int]]) -> str | None:
    """A total row (``tfoot``) on a page with fewer than two of its table's rows."""
    feet = [row for group in table if group.tag == "tfoot" for row in group if row.tag == "tr"]
    rows = [row for group in table if group.tag == "tbody" for row in group if row.tag == "tr"]
    if not feet or not rows or feet[0] not in pages:
        return None
    page = pages[feet[0]][0]
    beside = [row for row in rows if page in pages.get(row, [])]
    if len(beside) >= min(2, len(rows)):
        return None
    return f"total {_text(feet[0])!r} on page {page + 1} with {len(beside)} row(s) above it"


def layout_problems(document: Any) -> list[str]:
    pages = pages_of(document)
    following = _siblings(pages)
    lines = line_pages(document)
    problems = []
    for element, on in pages.items():
        tag = element.tag
        if tag in ("h1", "h2", "h3"):
            follower = following.get(element)
            while follower is not None and follower not in pages:
                follower = following.get(follower)
            if follower is not None and pages[follower][0] != on[-1]:
                problems.append(f"heading {_text(element)!r} ends page {on[-1] + 1}")
            # ... and keeps with two lines of what follows (a list's first two items).
            elif [p for p in _lines_after(element, following, lines)[:2] if p != on[-1]]:
                problems.append(f"heading {_text(element)!r} keeps one line on page {on[-1] + 1}")
        if tag == "table" and (total := _total_problem(element, pages)):
            problems.append(total)
        if tag == "table" and len(on) > 1:
            rows = _body_rows(element)
            if rows <= 5:
                problems.append(f"table of {rows} rows split: {_text(element)!r}")
        if tag == "div" and "signature-block" in (element.get("class") or "") and len(on) > 1:
            problems.append("the signature block is split")
    return problems


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_headings_small_tables_and_signatures_keep_together(path: Path) -> None:
    document = laid_out(request_for(example(path.name)), "both")
    assert layout_problems(document) == []


def test_the_layout_check_can_fail() -> None:
    """A heading whose section starts on the next page, and a 3-row table over two pages,
    are reported (the check is not vacuous)."""

    class FakeBox:
        def __init__(self, element: Any) -> None:
            self.element = element

        def descendants(self) -> list[Any]:
            return []

    import xml.etree.ElementTree as ET

    html = ET.fromstring(
        "<html><body><h2>Fees</h2><p>text</p>"
        "<table><tbody><tr/><tr/><tr/></tbody></table></body></html>"
    )
    h2, p, table = html[0]

    class Page:
        def __init__(self, *elements: Any) -> None:
            self._page_box = type(
                "B", (), {"descendants": lambda _s: [FakeBox(e) for e in elements]}
            )()

    document = type("D", (), {"pages": [Page(html, h2, table), Page(p, table)]})()
    assert layout_problems(document) == [
        "heading 'Fees' ends page 1",
        "table of 3 rows split: ''",
    ]


def test_charts_have_currency_ticks_and_mark_a_partial_year(tmp_path: Path) -> None:
    doc = example("platform_usage_analytics.json").model_copy(update={"term_months": 30})
    html = render_pdf(request_for(doc), "proposal").html["proposal"]
    chart = html[html.find("<svg") : html.find("</svg>")]
    ticks = re.findall(r'text-anchor="end" font-size="10" fill="#4a5563">([^<]*)<', chart)
    assert len(ticks) == 5 and ticks[0] == "$0" and all(t.startswith("$") for t in ticks)
    assert ">USD<" in chart
    assert "6 months only" in chart  # year 3 of a 30-month term


def test_a_chart_without_information_is_left_out(tmp_path: Path) -> None:
    doc = example("seats_ai_tiers_coding_individual.json")  # seats only: the bill never moves
    result = render_pdf(request_for(doc), "proposal")
    html = result.html["proposal"]
    assert "Monthly bill at low, expected and high usage" not in html
    text = " ".join(" ".join(pdf_text(result.pdf, tmp_path)).split())
    assert "Your bill does not depend on usage" in text


def test_tagged_pdf_in_the_documents_language(tmp_path: Path) -> None:
    doc = example("platform_usage_analytics.json")
    for pdf_a, marker in ((False, b"pdfuaid"), (True, b"pdfaid")):
        pdf = render_pdf(request_for(doc, locale="de_DE", language="de"), pdf_a=pdf_a).pdf
        reader = PdfReader(io.BytesIO(pdf))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
        assert root["/Lang"] == "de-DE"
        xmp = reader.xmp_metadata
        assert xmp is not None and marker in xmp.stream.get_data()


def test_every_figure_has_alternative_text() -> None:
    # PDF/UA: a Figure needs /Alt. The charts are inline SVG; WeasyPrint takes the Alt from
    # the SVG's <title> (before it carried one, both charts' Figures had none).
    pdf = render_pdf(request_for(example("platform_usage_analytics.json")), "proposal").pdf
    reader = PdfReader(io.BytesIO(pdf))
    figures: list[object] = []

    def walk(node: object) -> None:
        node = node.get_object()  # type: ignore[attr-defined]
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                figures.append(node.get("/Alt"))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                if hasattr(kid, "get_object"):
                    walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert figures == [
        "Spend against estimated value by contract year (USD)",
        "Monthly bill at low, expected and high usage",
    ]


def test_the_draft_mark_is_not_text(tmp_path: Path) -> None:
    doc = example("platform_usage_analytics.json")
    pages = pdf_text(render_pdf(request_for(doc)).pdf, tmp_path)
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        # Only the footer's "DRAFT – not approved" and the header's reference say DRAFT;
        # no stray letters of a rotated watermark.
        assert not [line for line in lines if line in ("D", "R", "A", "F", "T", "DRAFT")]
        assert "DRAFT – not approved" in page
    old_style = render_pdf(request_for(doc)).html["both"]
    assert '<div class="watermark" aria-hidden="true"></div>' in old_style  # no text in it


def _clause_paragraph_sizes(document: Any) -> dict[str, set[float]]:
    """The font size of every body paragraph (not a ``small`` note) of each order-form
    clause, by clause (``clause-data`` ...), as laid out."""
    pages = pages_of(document)
    root = next(e for e in pages if e.tag == "html")
    parent = {child: node for node in root.iter() for child in node}
    clause_of: dict[Any, str] = {}
    for element in root.iter("p"):
        node = element
        while node is not None and not (
            node.tag == "section" and "clause" in (node.get("class") or "").split()
        ):
            node = parent.get(node)
        if node is not None and "small" not in (element.get("class") or "").split():
            clause_of[element] = next(
                c for c in (node.get("class") or "").split() if c.startswith("clause-")
            )
    sizes: dict[str, set[float]] = defaultdict(set)
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element in clause_of:
                sizes[clause_of[element]].add(round(box.style["font_size"], 2))
    return sizes


@pytest.mark.parametrize("name", ["platform_usage_analytics.json", "outcome_based_support.json"])
def test_every_clause_is_set_in_the_same_type(name: str) -> None:
    """§1-10 and §11-15 of the order form in one type size: the legal clauses (data
    protection, liability, termination, law, notices) were set at 8.5 pt beside 9.5 pt,
    which a buyer's lawyer reads as fine print."""
    sizes = _clause_paragraph_sizes(laid_out(request_for(example(name)), "contract"))
    assert {"clause-agreement", "clause-data", "clause-service", "clause-law"} <= set(sizes)
    assert {clause: s for clause, s in sizes.items() if len(s) != 1} == {}
    assert len(set().union(*sizes.values())) == 1, sizes


def _title(length: int) -> str:
    """A title of ``length`` characters in words, as a rep writes a long one."""
    words = "Agentic customer support automation with outcome-based pricing for every region "
    return (words * (length // len(words) + 1))[:length].rstrip() + "x" * (
        length - len((words * (length // len(words) + 1))[:length].rstrip())
    )


def _cover_problems(document: Any) -> list[str]:
    """Where the cover leaves its page: any box of the cover section on a page after the
    first, or below the first page's content area."""
    problems = []
    first = document.pages[0]._page_box
    bottom = first.content_box_y() + first.height
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or element.tag in ("html", "body"):
                continue
            cover = element.tag == "section" and "cover" in (element.get("class") or "")
            if not cover:
                continue
            if number != 0:
                problems.append(f"the cover runs onto page {number + 1}")
            for inner in box.descendants():
                end = getattr(inner, "position_y", 0) + inner.margin_height()
                if number == 0 and end > bottom + 0.5:
                    problems.append(f"{_text(inner.element)!r} ends below the page")
                    break
    return problems


def _long_title_request(length: int, language: str = "en") -> Any:
    """A final proposal with a title of ``length`` characters and the fullest facts table a
    cover has (a recipient, the approval and its approver)."""
    import datetime as dt

    from quote_builder.documents.parties import ApprovalNote
    from quote_builder.pricing.document import CustomerContact

    doc = example("outcome_based_support.json")
    doc = doc.model_copy(
        update={
            "title": _title(length),
            "customer": doc.customer.model_copy(
                update={"contact": CustomerContact(name="Jane Buyer", title="COO", email="")}
            ),
        }
    )
    return request_for(
        doc,
        language=language,
        locale={"en": "en_US", "de": "de_DE", "ja": "ja_JP"}[language],
        final=True,
        status="approved",
        approval_id="D-2026-0042",
        approval=ApprovalNote(
            approver="Dana Desk",
            role="deal_desk",
            decided_on=dt.date(2026, 11, 30),
            organisation="Acme AI Ltd",
            policy="3f2a9c1e" * 8,
        ),
    )


def _request_fields(request: Any) -> dict[str, Any]:
    keep = ("language", "locale", "final", "status", "approval_id", "approval")
    return {name: getattr(request, name) for name in keep}


@pytest.mark.parametrize("length", [110, 190, 200])
@pytest.mark.parametrize("language", ["en", "de", "ja"])
def test_a_long_title_wraps_and_the_cover_stays_one_page(
    length: int, language: str, tmp_path: Path
) -> None:
    """A 190-character title (and the 200 the quote format allows: ``title`` is ShortText)
    wraps on the cover, in a smaller size, and the cover keeps every row of its facts table
    on its one page."""
    request = _long_title_request(length, language)
    title = request.document.title
    assert len(title) == length
    assert _cover_problems(laid_out(request, "proposal")) == []
    pages = pdf_text(render_pdf(request, "proposal").pdf, tmp_path)
    first = " ".join(pages[0].split())
    assert title.split()[0] in first and title.split()[-1] in first  # the whole title, wrapped
    assert "SHA-256" in first  # the facts table's last row is on the cover page


def test_a_200_character_japanese_title_keeps_the_cover_one_page() -> None:
    """Japanese characters are about twice as wide as Latin letters and have no spaces:
    200 of them wrap (seven lines) and the cover still holds its facts table."""
    request = _long_title_request(200, "ja")
    title = ("カスタマーサポート自動化の成果報酬型プラン" * 20)[:200]
    doc = request.document.model_copy(update={"title": title})
    assert _cover_problems(laid_out(request_for(doc, **_request_fields(request)), "proposal")) == []


def test_a_title_longer_than_the_format_allows_is_refused() -> None:
    data = example("outcome_based_support.json").model_dump(mode="json")
    data["title"] = _title(201)
    with pytest.raises(ValueError, match="title"):
        load_quote(json.dumps(data))


def test_the_cover_check_can_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the smaller type for a long title the cover of a 190-character title runs
    onto a second page: the check sees that (it is not vacuous)."""
    from quote_builder.documents import render as render_module

    original = render_module.render_html

    def without_long_title_style(*args: Any, **kwargs: Any) -> str:
        html = original(*args, **kwargs)
        assert 'class="cover title-longest"' in html
        return html.replace('class="cover title-longest"', 'class="cover"')

    monkeypatch.setattr(render_module, "render_html", without_long_title_style)
    assert _cover_problems(laid_out(_long_title_request(190), "proposal"))


def _header_lines(document: Any) -> dict[str, list[list[str]]]:
    """Each price-table header (``table.prices th``) -> the text of its lines, wherever it
    is laid out."""
    found: dict[str, list[list[str]]] = defaultdict(list)
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or element.tag != "th" or type(box).__name__ != "TableCellBox":
                continue
            lines = [b for b in box.descendants() if type(b).__name__ == "LineBox"]
            texts = [
                "".join(
                    t.text for t in line.descendants() if isinstance(getattr(t, "text", None), str)
                )
                for line in lines
            ]
            found["".join(element.itertext()).replace("\xad", "")].append(texts)
    return found


def _tables_past_the_margin(document: Any) -> list[str]:
    """Price tables wider than the page's text (column widths plus their padding)."""
    wide = []
    for number, page in enumerate(document.pages):
        right = page._page_box.content_box_x() + page._page_box.width
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if (
                element is not None
                and element.tag == "table"
                and "prices" in (element.get("class") or "")
                and type(box).__name__ == "TableBox"
                and box.position_x + box.margin_width() > right + 0.5
            ):
                wide.append(
                    f"page {number + 1}: {box.position_x + box.margin_width() - right:.1f}px"
                )
    return wide


PRICE_HEADERS = {
    "de": ("Listenstückpreis", "Nettostückpreis", "Positionssumme", "Menge", "Rabatt"),
    "en": ("List unit price", "Net unit price", "Line total", "Quantity", "Discount"),
}


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "ja"])
@pytest.mark.parametrize(
    "name", ["platform_usage_analytics.json", "seats_credits_coding_team.json"]
)
def test_price_table_headers_break_only_between_words(name: str, language: str) -> None:
    """The price table's headers (a year with a discount: six columns) never break inside
    a word: the columns are wide enough for the German compounds, whose soft hyphens
    broke all three price headers mid-word ("Listenstück-/preis") while the quantity
    column had room. A header of several words may still wrap between them."""
    locale = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "ja": "ja_JP"}
    request = request_for(example(name), language=language, locale=locale[language])
    document = laid_out(request, "contract")
    assert _tables_past_the_margin(document) == []
    headers = _header_lines(document)
    hyphenated = {
        header: lines
        for header, layouts in headers.items()
        for lines in layouts
        if any(line.rstrip().endswith(("\u2010", "\xad", "-")) for line in lines[:-1])
    }
    assert hyphenated == {}
    for header in PRICE_HEADERS.get(language, ()):
        assert header in headers, header
        assert all(len(lines) == 1 for lines in headers[header]), (header, headers[header])


def test_the_header_check_can_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the old column widths (quantity 18 %, the price columns left to share what
    remained) the German headers broke at their soft hyphens: the check sees it."""
    from quote_builder.documents import render as render_module

    original = render_module.render_html

    def old_widths(*args: Any, **kwargs: Any) -> str:
        html = original(*args, **kwargs)
        # Each width with its cell's 2 mm padding (1.15 % of the text's 174 mm), as the
        # header cells' widths were given then.
        widths = iter(["28.15%", "19.15%", "", "11.15%", "", "14.15%"] * html.count("prices"))
        head = re.compile(r'<col style="width:(?:19|17|16\.5|9\.5|14\.5)%">')

        def old(match: re.Match[str]) -> str:
            width = next(widths)
            return f'<col style="width:{width}">' if width else "<col>"

        return head.sub(old, html)

    monkeypatch.setattr(render_module, "render_html", old_widths)
    request = request_for(example("platform_usage_analytics.json"), language="de", locale="de_DE")
    headers = _header_lines(laid_out(request, "contract"))
    assert headers["Listenstückpreis"][0] == ["Listen\xadstück\xad\u2010", "preis"]
