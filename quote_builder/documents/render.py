"""HTML with Jinja2 and PDF with WeasyPrint, locked down.

- Autoescape for every template and ``StrictUndefined``: a missing value is an error,
  never an empty string in a contract.
- User text reaches the HTML only through autoescaped variables; never CSS or URLs.
- ``LockedURLFetcher`` serves only files under templates/ and resources/ (and the
  configured logo) and ``data:`` URLs: no network, no redirects, no other file. Every
  refused URL is recorded.
"""

from __future__ import annotations

import io
import logging
import mimetypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib import request
from urllib.parse import unquote, urlsplit

import jinja2

from .native import fast_weasyprint_import

with fast_weasyprint_import():  # no library hunt, no certificate store (native.py)
    import cssselect2
    import weasyprint
    from weasyprint import CSS, HTML, Attachment
    from weasyprint.document import Document
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse
import pydyf

from quote_builder.errors import Sentence
from quote_builder.paths import resources_dir, templates_dir
from quote_builder.pricing.languages import DEFAULT_LANGUAGE
from quote_builder.pricing.options import blocking_warnings
from quote_builder.pricing.tax import customer_changed_problem
from quote_builder.pricing.terms import (
    TERMS_FILE_NAME,
    terms_data,
    terms_problems,
    terms_warnings,
)
from quote_builder.safe_files import FileReadError, read_limited

from . import own_html
from .breaks import keep_whole, phrase_labels
from .fonts import printable, undrawable_sentence
from .formatting import Formatter
from .i18n import close_double_stops, close_sentence_gaps, translations
from .order_form import contract_view, missing_text_warning, tax_elsewhere_problem
from .proposal import proposal_view
from .tuning import (
    paused_gc,
    use_font_subset_cache,
    use_kept_styles,
    use_kept_text_drawing,
    use_line_break_cache,
    use_shared_pango_contexts,
    use_stream_compression,
    use_whole_svg_text,
    with_frame_room,
)
from .viewmodel import (
    CustomerView,
    RenderRequest,
    ViewMeta,
    check_language,
    customer_view,
    english_country_name,
    quote_keywords,
    quote_reference,
    view_meta,
)

use_stream_compression(pydyf)  # zlib level 6, not 9 (tuning.py)
use_shared_pango_contexts()  # one Pango context per direction and language (tuning.py)
use_whole_svg_text()  # a chart label laid out once, not letter by letter (tuning.py)
use_font_subset_cache()  # a font subset made once for the same glyphs (tuning.py)
use_line_break_cache()  # a line of text at a width broken once (tuning.py)
use_kept_styles()  # an element's computed style kept from render to render (tuning.py)
use_kept_text_drawing()  # a line of text's glyphs written again, not shaped again (tuning.py)
_WEASYPRINT_70 = str(weasyprint.__version__).split(".")[0] == "70"

DocumentKind = Literal["proposal", "contract", "both"]
MAX_FETCH_BYTES = 8 * 1024 * 1024
"""The most the renderer reads of any file but a shipped font (the settings refuse a logo
over 5 MB before this limit is reached)."""
MAX_FONT_BYTES = 32 * 1024 * 1024
"""The most it reads of a font shipped in resources/fonts: the CJK one is 16 MB. (With the
8 MB bound every render logged "Font-face 'QB CJK' cannot be loaded" and printed CJK text
without its font.)"""
LOGGER = logging.getLogger("weasyprint")


class RenderRefusedError(ValueError):
    """The document cannot be rendered as asked (e.g. final with a blocking warning)."""


class LockedURLFetcher(URLFetcher):
    """Serves ``data:`` URLs and files inside the allowed folders; refuses the rest."""

    def __init__(self, roots: list[Path], files: list[Path] | None = None) -> None:
        # Not URLFetcher.__init__: it builds HTTP(S), FTP and redirect handlers (and an SSL
        # context, 20 ms) that this fetcher never uses. Only data: goes through urllib.
        request.OpenerDirector.__init__(self)
        self.add_handler(request.DataHandler())
        self._timeout = 1
        self._http_headers: dict[str, str] = {}
        self._allowed_protocols = {"file", "data"}
        self._fail_on_errors = False
        self._request = None
        self.roots = [r.resolve() for r in roots]
        self.files = [f.resolve() for f in files or []]
        self.refused: list[str] = []

    def _allowed(self, path: Path) -> bool:
        return path in self.files or any(path.is_relative_to(root) for root in self.roots)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if self._allowed(path) and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                shipped_font = path.is_relative_to(resources_dir().resolve() / "fonts")
                limit = MAX_FONT_BYTES if shipped_font else MAX_FETCH_BYTES
                try:  # never more than the limit (a logo of 400 MB was read whole)
                    data = read_limited(path, limit, what="font" if shipped_font else "image")
                except FileReadError:
                    self.refused.append(url)
                    raise ValueError(
                        f"refused by Quote Builder's URL fetcher: {url[:200]}"
                    ) from None
                return URLFetcherResponse(url, data, {"Content-Type": mime})
        self.refused.append(url)
        raise ValueError(f"refused by Quote Builder's URL fetcher: {url[:200]}")


@lru_cache(maxsize=8)
def environment(language: str = DEFAULT_LANGUAGE) -> jinja2.Environment:
    """The templates with their sentences in ``language``: ``jinja2.ext.i18n`` with the
    language's ``documents`` catalog, newstyle gettext (placeholders by name, values
    escaped, ``%%`` for a percent sign), every ``{% trans %}`` block trimmed of its line
    breaks (as ``scripts/translations`` extracts them)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        finalize=printable,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def render_html(
    kind: DocumentKind,
    req: RenderRequest,
    *,
    link_stylesheet: bool = True,
    view: CustomerView | None = None,
) -> str:
    """The HTML of the proposal, the contract terms, or both in one document.
    ``link_stylesheet=False`` leaves out the ``<link>`` to print.css, for PDF rendering
    with the stylesheet parsed once per process. Only the customer's view of ``req``
    (``customer_view``) reaches the templates."""
    check_language(req)
    view = view or customer_view(req)
    return _html(kind, view, view_meta(req), _logo_url(req), link_stylesheet)


def _html(
    kind: DocumentKind, view: CustomerView, meta: ViewMeta, logo_url: str, link_stylesheet: bool
) -> str:
    template = environment(meta.language).get_template(f"{kind}.html")
    context: dict[str, Any] = {"logo_url": logo_url, "link_stylesheet": link_stylesheet}
    if kind == "contract":
        context["view"] = contract_view(view, meta)
    else:
        context["view"] = proposal_view(view, meta, with_contract=kind == "both")
        if kind == "both":
            context["contract"] = contract_view(view, meta)
    html = close_double_stops(template.render(**context))
    html = phrase_labels(meta.language, keep_whole(meta.language, html))
    return close_sentence_gaps(meta.language, html)


@lru_cache(maxsize=1)
def _stylesheet() -> tuple[CSS, FontConfiguration]:
    """print.css and its fonts, loaded once per process (the app renders in a pre-warmed
    worker, so every preview after the first skips this)."""
    fonts = FontConfiguration()
    fetcher = LockedURLFetcher([templates_dir(), resources_dir()])
    css = CSS(filename=str(templates_dir() / "print.css"), font_config=fonts, url_fetcher=fetcher)
    return css, fonts


def _strings(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def _check_drawable(view: CustomerView) -> None:
    """Refuse, with a sentence naming the field, any text the shipped fonts cannot draw:
    a party's name prints as written or not at all."""
    data = terms_data(view.terms)
    parties_first = {k: data.pop(k) for k in ("seller", "customer")} | data
    for path, text in _strings(parties_first):
        refusal = undrawable_sentence(path, text)
        if refusal is not None:
            raise RenderRefusedError(refusal)


def _logo_url(req: RenderRequest) -> str:
    if req.logo_path is None:
        return (resources_dir() / "logo.svg").as_uri()
    return req.logo_path.resolve().as_uri()


@dataclass
class RenderResult:
    pdf: bytes
    html: dict[str, str]
    refused_urls: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """For the rep before sending: dates to check, clauses to settle (a draft prints them)."""
    signature_boxes: dict[str, tuple[int, tuple[int, int, int, int]]] = field(default_factory=dict)
    """Where the order form's signature lines are (``seller``, ``customer``): page (0-based)
    and rectangle in PDF points, origin bottom left, for the PDF signature fields."""


_PX_TO_PT = 0.75  # CSS pixels (1/96 in) to PDF points (1/72 in)


def signature_boxes(document: Document) -> dict[str, tuple[int, tuple[int, int, int, int]]]:
    """The signature lines of the laid-out order form (``data-signature``), as PDF
    rectangles: the page and (x0, y0, x1, y1) in points from the bottom left."""
    found: dict[str, tuple[int, tuple[int, int, int, int]]] = {}
    for number, page in enumerate(document.pages):
        height = page.height
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or element.tag != "div":
                continue
            who = element.get("data-signature")
            if who and who not in found:
                x, y = box.border_box_x(), box.border_box_y()
                w, h = box.border_width(), box.border_height()
                found[who] = (
                    number,
                    (
                        round(x * _PX_TO_PT),
                        round((height - y - h) * _PX_TO_PT),
                        round((x + w) * _PX_TO_PT),
                        round((height - y) * _PX_TO_PT),
                    ),
                )
    return found


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


@contextmanager
def captured_weasyprint_log() -> Iterator[list[str]]:
    """WeasyPrint's warnings (a missing font or image) while rendering."""
    handler = _Capture()
    LOGGER.addHandler(handler)
    try:
        yield handler.records
    finally:
        LOGGER.removeHandler(handler)


def _fetcher(req: RenderRequest) -> LockedURLFetcher:
    return LockedURLFetcher(
        [templates_dir(), resources_dir()], [req.logo_path] if req.logo_path is not None else []
    )


def _layout(
    kind: DocumentKind, req: RenderRequest, view: CustomerView, fetcher: LockedURLFetcher
) -> tuple[str, Document]:
    # Both documents in one HTML: one cascade and one layout instead of two; page numbers
    # then run through the whole file.
    css, fonts = _stylesheet()
    html = render_html(kind, req, link_stylesheet=False, view=view)
    page = html_document(html, templates_dir().as_uri() + "/", fetcher)
    return html, page.render(stylesheets=[css], font_config=fonts)


_HTML_ATTRIBUTES = ("base_url", "url_fetcher", "media_type", "wrapper_element", "etree_element")
"""What WeasyPrint 70's ``HTML.__init__`` sets (``test_own_html`` checks it)."""


def html_document(html: str, base_url: str, fetcher: LockedURLFetcher) -> HTML:
    """WeasyPrint's ``HTML`` of our templates' output: parsed by expat when
    ``own_html.parse`` gives the HTML5 parser's tree for it (a tenth of the time), by
    WeasyPrint's own parser (tinyhtml5) otherwise."""
    root = own_html.parse(html) if _WEASYPRINT_70 else None
    if root is None:
        return HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    page = HTML.__new__(HTML)
    page.base_url = weasyprint._find_base_url(root, base_url)
    page.url_fetcher = fetcher
    page.media_type = "print"
    page.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    page.etree_element = page.wrapper_element.etree_element
    return page


def laid_out(req: RenderRequest, kind: DocumentKind = "both") -> Document:
    """The laid-out pages (WeasyPrint's boxes) without writing a PDF: for checking where
    headings, tables and signatures fall."""
    document: Document = with_frame_room(_layout, kind, req, customer_view(req), _fetcher(req))[1]
    return document


def render_pdf(
    req: RenderRequest, kind: DocumentKind = "both", *, pdf_a: bool = False
) -> RenderResult:
    """Render the proposal, the contract terms or both (one PDF, each with its own page
    numbers). A final render (no watermark) needs a quote without blocking warnings."""
    # With room on the frame stack: WeasyPrint's deep recursion no longer maps and unmaps
    # a stack chunk thousands of times per render (tuning.py).
    result: RenderResult = with_frame_room(_render_pdf, req, kind, pdf_a)
    return result


def _render_pdf(req: RenderRequest, kind: DocumentKind, pdf_a: bool) -> RenderResult:
    blocking = (
        [w.code for w in req.priced.blocking]
        if not req.document.options
        else blocking_warnings(req.document)  # every option's
    )
    if req.final and blocking:
        codes = ", ".join(blocking)
        raise RenderRefusedError(
            Sentence(
                f"a quote with blocking warnings ({codes}) cannot be rendered as final",
                "render.blocking",
                blocking=blocking,
            )
        )
    check_language(req)
    view = customer_view(req)
    _check_drawable(view)
    problems = terms_problems(view.terms) + [
        missing_text_warning(name, req.language) for name in view.missing_texts
    ]
    if view.tax_decided_elsewhere:
        problems.append(tax_elsewhere_problem(view, Formatter(view.terms.currency)))
    if view.tax_changes:  # the customer's tax ID, country or region changed since
        problems.append(
            customer_changed_problem(
                view.customer_name,
                view.tax_changes,
                number=req.quote_number if req.version is not None else "",
                country_name=english_country_name,
            )
        )
    if req.final and problems:
        raise RenderRefusedError(
            Sentence(
                "the order form is not ready to sign: " + "; ".join(problems),
                "render.not_ready",
                problems=problems,
            )
        )
    fetcher = _fetcher(req)
    f = Formatter(view.terms.currency, req.locale, req.language)
    # No garbage collection while WeasyPrint builds and drops its boxes (tuning.py).
    with paused_gc(), captured_weasyprint_log() as log:
        html, combined = _layout(kind, req, view, fetcher)
        customer = view.terms.customer.display_name
        # The title a PDF viewer shows names the documents as their pages head them.
        if kind == "both":
            title = f._("Proposal, order form and contract terms: %(customer)s", customer=customer)
        elif kind == "proposal":
            title = f._("Proposal: %(customer)s", customer=customer)
        else:
            title = f._("Order form and contract terms: %(customer)s", customer=customer)
        combined.metadata.title = title
        seller = view.terms.seller.display_name
        combined.metadata.authors = [seller] if seller else []
        combined.metadata.description = f._(
            "%(quote)s; terms SHA-256 %(hash)s",
            quote=quote_reference(view.terms, f)["description"],
            hash=view.terms_hash,
        )
        combined.metadata.keywords = [*quote_keywords(view.terms, f, kind), view.terms.currency]
        # Every PDF carries the customer's terms, byte for byte what the order form's
        # SHA-256 is computed over; never the internal quote. A final PDF also carries the
        # approval statement and the organisation policy's public part (req.attachments).
        options: dict[str, Any] = {
            "attachments": [
                Attachment(
                    string=view.terms_json.decode("utf-8"),
                    name=TERMS_FILE_NAME,
                    description="The terms of this order form (Quote Builder terms format); "
                    "its SHA-256 is the fingerprint the order form cites",
                    relationship="Data",
                    # Our fetcher: WeasyPrint's default one builds an SSL context (30 ms).
                    url_fetcher=fetcher,
                ),
                *(
                    Attachment(
                        string=item.text,
                        name=item.name,
                        description=item.description,
                        relationship="Supplement",
                        url_fetcher=fetcher,
                    )
                    for item in req.attachments
                ),
            ]
        }
        # Tagged and accessible: PDF/UA-1, or PDF/A-3a (level A: tagged, Unicode text)
        # for the archive; the document language (/Lang) is the html element's: the
        # document's language with the locale's region ("de-DE").
        options["pdf_variant"] = "pdf/a-3a" if pdf_a else "pdf/ua-1"
        output = io.BytesIO()
        combined.write_pdf(output, **options)
    return RenderResult(
        output.getvalue(),
        {kind: html},
        list(fetcher.refused),
        list(log),
        terms_warnings(view.terms) + problems,
        signature_boxes(combined),
    )


__all__ = ["LockedURLFetcher", "RenderRefusedError", "RenderResult", "render_html", "render_pdf"]
