"""Parse the HTML our templates make without WeasyPrint's HTML5 parser, to the same tree.

WeasyPrint parses HTML with tinyhtml5, an HTML5 parser in pure Python: 10-16 ms of a
0.3 s render of the example's proposal or order form (3-5 %). The templates' output is
also well-formed XML once its void elements (``<br>``, ``<meta>``, ``<img>``) are closed,
and Python's expat parser (in C) reads it in well under a millisecond. The tree it gives
differs from the HTML5 tree in a few ways the HTML5 parsing rules decide, which
:func:`parse` applies:

- whitespace between ``<html>`` and ``<head>`` is dropped;
- text after ``</body>`` and ``</html>`` goes to the end of the body;
- rows written directly in a ``<table>`` are wrapped in a ``<tbody>``;
- an inline ``<svg>`` keeps its ``xmlns`` as an attribute.

Anything outside what this module knows (a parse error, raw-text elements, a line break
inside an attribute value, which XML would turn into a space, text outside the body,
another root) returns None, and the caller parses with tinyhtml5 as before.
``tests/documents/test_own_html.py`` compares the two trees, node by node, for every
example quote, every document kind and several languages.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_VOID = re.compile(
    r"<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)(\s[^<>]*?)?/?>"
)
_UNSUPPORTED = re.compile(
    # Raw-text and template elements (their content is not markup), and a tab or line
    # break inside a quoted attribute value (XML makes it a space; HTML keeps it).
    r"<(?:script|style|textarea|template|noscript|xmp|iframe|plaintext|math)\b"
    r"|=\"[^\"]*[\t\n\r][^\"]*\"",
    re.IGNORECASE,
)
_SVG = "{http://www.w3.org/2000/svg}"
_XMLNS = "{http://www.w3.org/2000/xmlns/}xmlns"


def _closed(match: re.Match[str]) -> str:
    return f"<{match.group(1)}{match.group(2) or ''}/>"


def parse(html: str) -> ET.Element | None:
    """The element tree tinyhtml5 builds for ``html`` (``namespace_html_elements=False``),
    or None when ``html`` is not the kind of document this parser reads the same way."""
    if _UNSUPPORTED.search(html):
        return None
    end = html.rfind("</html>")
    if end < 0 or html[end + len("</html>") :].strip():
        return None
    try:
        root = ET.fromstring(_VOID.sub(_closed, html))
    except ET.ParseError:
        return None
    if root.tag != "html" or [child.tag for child in root] != ["head", "body"]:
        return None
    head, body = root
    if (root.text or "").strip() or (body.tail or "").strip():
        return None
    root.text = None  # "before head": whitespace is ignored
    # "after body" and "after after body": whitespace goes to the end of the body.
    after = (body.tail or "") + html[end + len("</html>") :]
    body.tail = None
    if after:
        if len(body):
            body[-1].tail = (body[-1].tail or "") + after
        else:
            body.text = (body.text or "") + after
    for parent in list(root.iter()):
        if parent.tag == "svg":
            return None  # an svg without its namespace declared: HTML5 would add it
        for child in parent:
            if child.tag == f"{_SVG}svg":
                if parent.tag.startswith(_SVG):
                    return None  # a nested svg
                child.attrib = {_XMLNS: _SVG[1:-1], **child.attrib}  # first, as in HTML5
        if parent.tag == "table":
            _rows_in_tbody(parent)
    return root


def _rows_in_tbody(table: ET.Element) -> None:
    """Rows directly in a table go into an implied tbody, one per run of rows (the HTML5
    "in table" insertion mode); whitespace between them stays with the rows."""
    children = list(table)
    if not any(child.tag == "tr" for child in children):
        return
    for child in children:
        table.remove(child)
    run: ET.Element | None = None
    for child in children:
        if child.tag == "tr":
            if run is None:
                run = ET.Element("tbody")
                table.append(run)
            run.append(child)
        else:
            run = None
            table.append(child)
