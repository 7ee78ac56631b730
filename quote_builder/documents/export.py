"""The HTML of a quote as one self-contained file (``quote-builder render --html``).

Everything the page needs is inside it: print.css in a ``<style>`` element, the fonts as
``data:`` URLs (subset to the characters the document uses, and only the scripts it uses),
the logo and the draft watermark as ``data:`` URLs. No ``file:`` URL and no path of the
machine it was made on, so the file opens the same anywhere and leaks no folder names.
"""

from __future__ import annotations

import base64
import io
import mimetypes
import re
from pathlib import Path

from quote_builder.paths import resources_dir, templates_dir

from .render import DocumentKind, _html
from .viewmodel import RenderRequest, customer_view, view_meta

_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
_ALWAYS = "QB Sans"
"""The Latin family: always kept (headings and numbers use it whatever the text)."""


def _data_url(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _cmap(font: Path) -> set[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(font), lazy=True) as probe:
        return set(probe.getBestCmap())


def _subset(font: Path, codepoints: set[int]) -> bytes:
    """The font cut down to ``codepoints`` (and ASCII), its shaping features kept."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["*"]  # keep shaping (Arabic joining, Devanagari conjuncts)
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font_file = subset.load_font(str(font), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints | set(range(0x20, 0x7F)))
    subsetter.subset(font_file)
    buffer = io.BytesIO()
    font_file.save(buffer)
    font_file.close()
    return buffer.getvalue()


def _inline_css(text: str) -> str:
    """print.css with each font and image it names inlined. The font families come in the
    order of the stylesheet's fallback list (Latin first, CJK last); a family is kept only
    for the characters of ``text`` that no earlier family draws, and left out when there
    are none."""
    css = (templates_dir() / "print.css").read_text("utf-8")
    base = templates_dir()
    used = {ord(ch) for ch in text}
    faces: list[tuple[str, str, Path]] = []  # (rule, family, font file)
    for match in _FONT_FACE.finditer(css):
        url = _URL.search(match.group(0))
        named = re.search(r'font-family:\s*"([^"]+)"', match.group(0))
        if url is not None and named is not None:
            faces.append((match.group(0), named.group(1), (base / url.group(1)).resolve()))
    cmaps = {path: _cmap(path) for _rule, _family, path in faces}
    order = list(dict.fromkeys(family for _rule, family, _path in faces))
    earlier: dict[str, set[int]] = {}
    covered: set[int] = set()
    for family in order:
        earlier[family] = set(covered)
        for _rule, fam, path in faces:
            if fam == family:
                covered |= cmaps[path]

    def font_face(match: re.Match[str]) -> str:
        rule = match.group(0)
        face = next((f for f in faces if f[0] == rule), None)
        if face is None:
            return rule
        _rule, family, path = face
        needed = (used & cmaps[path]) - earlier[family]
        if family != _ALWAYS and not {c for c in needed if c > 0x7F}:
            return ""
        mime = "font/ttf" if path.suffix == ".ttf" else "font/otf"
        url = _URL.search(rule)
        assert url is not None
        data = _data_url(_subset(path, needed), mime)
        return rule.replace(url.group(0), f'url("{data}")')

    def image(match: re.Match[str]) -> str:
        target = match.group(1)
        if target.startswith("data:"):
            return match.group(0)
        path = (base / target).resolve()
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f'url("{_data_url(path.read_bytes(), mime)}")'

    css = _FONT_FACE.sub(font_face, css)
    return _URL.sub(image, css)


def standalone_html(kind: DocumentKind, req: RenderRequest) -> str:
    """The document's HTML with its stylesheet, fonts and images inside it."""
    logo = req.logo_path or resources_dir() / "logo.svg"
    logo_mime = mimetypes.guess_type(logo.name)[0] or "image/png"
    logo_url = _data_url(logo.read_bytes(), logo_mime)
    html = _html(kind, customer_view(req), view_meta(req), logo_url, False)
    style = f"<style>\n{_inline_css(html)}\n</style>"
    return html.replace("</head>", f"{style}\n</head>", 1)


__all__ = ["standalone_html"]
