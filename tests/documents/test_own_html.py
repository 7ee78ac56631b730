"""Our templates' HTML parsed by expat (documents/own_html.py) gives node for node the tree
WeasyPrint's HTML5 parser (tinyhtml5) gives; whatever it does not know to parse the same
way goes to tinyhtml5."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import tinyhtml5
from weasyprint import HTML

from quote_builder.documents import Party, own_html
from quote_builder.documents import render as render_module
from quote_builder.documents.render import LockedURLFetcher, html_document, render_html
from quote_builder.paths import resources_dir, templates_dir

from .conftest import EXAMPLES, example, request_for
from .test_safety import HOSTILE, hostile_request


def nodes(element: ET.Element, depth: int = 0) -> list[str]:
    """Every node with its tag, attributes in order, text and tail: a difference anywhere
    shows."""
    out = [
        f"{'  ' * depth}<{element.tag} {list(element.attrib.items())}> {element.text!r} {element.tail!r}"
    ]
    for child in element:
        out.extend(nodes(child, depth + 1))
    return out


def html5_tree(html: str) -> ET.Element:
    return tinyhtml5.parse(html, namespace_html_elements=False)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_parses_to_the_html5_tree(path: Path) -> None:
    doc = example(path.name)
    # Each document language with its locale: the translated sentences are parsed too.
    for locale, language in (("en_US", "en"), ("de_DE", "de"), ("fr_FR", "fr"), ("ja_JP", "ja")):
        for kind in ("proposal", "contract", "both"):
            for link in (False, True):
                req = request_for(doc, locale=locale, language=language)
                html = render_html(kind, req, link_stylesheet=link)
                ours = own_html.parse(html)
                assert ours is not None, (path.name, locale, kind)  # not the fallback
                assert nodes(ours) == nodes(html5_tree(html)), (path.name, locale, kind)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_parses_to_the_html5_tree_or_goes_to_tinyhtml5(text: str) -> None:
    for kind in ("proposal", "contract"):
        html = render_html(kind, hostile_request(text))  # type: ignore[arg-type]
        ours = own_html.parse(html)
        assert ours is not None
        assert nodes(ours) == nodes(html5_tree(html))


def test_a_line_break_in_an_attribute_goes_to_tinyhtml5() -> None:
    # XML turns a line break in an attribute value into a space; HTML keeps it.
    doc = example("platform_usage_analytics.json")
    req = request_for(doc, seller=Party("Acme\nAI"), logo_path=resources_dir() / "logo.svg")
    html = render_html("proposal", req)
    assert re.search(r'alt="Acme\nAI"', html)
    assert own_html.parse(html) is None


@pytest.mark.parametrize(
    "html",
    [
        "<!DOCTYPE html><html><head></head><body><p>open</body></html>",  # not well formed
        "<html><head><script>x < 1</script></head><body></body></html>",  # raw text
        "<html><head></head><body><p>a</p></body></html><p>after</p>",  # text after html
        "<html><body><p>no head</p></body></html>",
        "<html><head></head><body><svg><rect/></svg></body></html>",  # svg, no namespace
        "<html><head></head><body>&nbsp;</body></html>",  # an HTML entity
    ],
)
def test_what_it_does_not_know_goes_to_tinyhtml5(html: str) -> None:
    assert own_html.parse(html) is None


def test_the_html5_rules_it_applies() -> None:
    html = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n</head>\n'
        '<body class="x">\n<table class="t">\n  <tr><th>A</th><td>1<br>2</td></tr>\n'
        "  <tr><th>B</th><td>2</td></tr>\n  <tfoot><tr><td>f</td></tr></tfoot>\n</table>\n"
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><title>T</title>'
        '<text x="1">t</text></svg>\n</body>\n</html>\n'
    )
    ours = own_html.parse(html)
    assert ours is not None
    assert nodes(ours) == nodes(html5_tree(html))
    table = ours.find("body/table")
    assert table is not None and [child.tag for child in table] == ["tbody", "tfoot"]


def test_the_weasyprint_document_is_the_one_weasyprint_builds() -> None:
    html = render_html(
        "contract", request_for(example("platform_usage_analytics.json")), link_stylesheet=False
    )
    base = templates_dir().as_uri() + "/"
    fetcher = LockedURLFetcher([templates_dir(), resources_dir()])
    ours = html_document(html, base, fetcher)
    theirs = HTML(string=html, base_url=base, url_fetcher=fetcher)
    # The fields WeasyPrint's HTML.__init__ sets, all of them, with the same values.
    assert set(vars(theirs)) == set(vars(ours)) == set(render_module._HTML_ATTRIBUTES)
    assert (ours.base_url, ours.media_type, ours.url_fetcher) == (
        theirs.base_url,
        theirs.media_type,
        theirs.url_fetcher,
    )
    assert nodes(ours.etree_element) == nodes(theirs.etree_element)
    css, fonts = render_module._stylesheet()
    pages = [
        document.render(stylesheets=[css], font_config=fonts).pages for document in (ours, theirs)
    ]
    assert len(pages[0]) == len(pages[1]) == 6
    for mine, its in zip(*pages, strict=True):
        texts = [
            [getattr(box, "text", None) for box in page._page_box.descendants()]
            for page in (mine, its)
        ]
        assert texts[0] == texts[1]


def test_a_document_it_cannot_parse_is_still_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []

    def refuse(html: str) -> None:
        seen.append(html)
        return None

    monkeypatch.setattr(own_html, "parse", refuse)
    result = render_module.render_pdf(request_for(example("platform_usage_analytics.json")))
    assert seen and result.pdf.startswith(b"%PDF")
