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
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from quote_builder.paths import resources_dir, templates_dir

from .fonts import printable
from .viewmodel import RenderRequest, contract_view, proposal_view

DocumentKind = Literal["proposal", "contract", "both"]
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
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url)
        raise ValueError(f"refused by Quote Builder's URL fetcher: {url[:200]}")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        finalize=printable,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(kind: DocumentKind, req: RenderRequest, *, link_stylesheet: bool = True) -> str:
    """The HTML of the proposal, the contract terms, or both in one document.
    ``link_stylesheet=False`` leaves out the ``<link>`` to print.css, for PDF rendering
    with the stylesheet parsed once per process."""
    template = environment().get_template(f"{kind}.html")
    context: dict[str, Any] = {"logo_url": _logo_url(req), "link_stylesheet": link_stylesheet}
    if kind == "contract":
        context["view"] = contract_view(req)
    else:
        context["view"] = {**proposal_view(req), "with_contract": kind == "both"}
        if kind == "both":
            context["contract"] = contract_view(req)
    return template.render(**context)


@lru_cache(maxsize=1)
def _stylesheet() -> tuple[CSS, FontConfiguration]:
    """print.css and its fonts, loaded once per process (the app renders in a pre-warmed
    worker, so every preview after the first skips this)."""
    fonts = FontConfiguration()
    fetcher = LockedURLFetcher([templates_dir(), resources_dir()])
    css = CSS(filename=str(templates_dir() / "print.css"), font_config=fonts, url_fetcher=fetcher)
    return css, fonts


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


def render_pdf(
    req: RenderRequest, kind: DocumentKind = "both", *, pdf_a: bool = False
) -> RenderResult:
    """Render the proposal, the contract terms or both (one PDF, each with its own page
    numbers). A final render (no watermark) needs a quote without blocking warnings."""
    if req.final and req.priced.blocking:
        codes = ", ".join(w.code for w in req.priced.blocking)
        raise RenderRefusedError(
            f"a quote with blocking warnings ({codes}) cannot be rendered as final"
        )
    fetcher = LockedURLFetcher(
        [templates_dir(), resources_dir()], [req.logo_path] if req.logo_path is not None else []
    )
    css, fonts = _stylesheet()
    with captured_weasyprint_log() as log:
        # Both documents in one HTML: one cascade and one layout instead of two (a quarter
        # faster); page numbers then run through the whole file.
        html = render_html(kind, req, link_stylesheet=False)
        page = HTML(string=html, base_url=templates_dir().as_uri() + "/", url_fetcher=fetcher)
        combined = page.render(stylesheets=[css], font_config=fonts)
        titles = {
            "both": "Proposal and contract terms",
            "proposal": "Proposal",
            "contract": "Contract terms",
        }
        combined.metadata.title = f"{titles[kind]}: {req.customer.name}"
        combined.metadata.authors = [req.seller.name or "Quote Builder"]
        combined.metadata.description = (
            f"Quote {req.quote_number or 'draft'}, {('version ' + str(req.version)) if req.version else 'unsaved'}"
            + (f", SHA-256 {req.version_hash}" if req.version_hash else "")
        )
        combined.metadata.keywords = [
            "quote",
            "proposal",
            req.quote_number or "draft",
            req.document.currency,
        ]
        options: dict[str, Any] = {}
        attachments = [
            Attachment(
                string=item.text,
                name=item.name,
                description=item.description,
                relationship="Supplement",
            )
            for item in req.attachments
        ]
        if attachments:
            options["attachments"] = attachments
        if pdf_a:
            options["pdf_variant"] = "pdf/a-3b"
            options["attachments"] = [
                *attachments,
                Attachment(
                    string=_quote_json(req),
                    name="quote.json",
                    description="The quote's exact terms (Quote Builder quote format)",
                    relationship="Data",
                ),
                Attachment(
                    string=req.version_hash + "\n",
                    name="quote.sha256",
                    description="SHA-256 of the canonical quote JSON",
                    relationship="Data",
                ),
            ]
        output = io.BytesIO()
        combined.write_pdf(output, **options)
    return RenderResult(output.getvalue(), {kind: html}, list(fetcher.refused), list(log))


def _quote_json(req: RenderRequest) -> str:
    from quote_builder.pricing import canonical_json

    return canonical_json(req.document)


__all__ = ["LockedURLFetcher", "RenderRefusedError", "RenderResult", "render_html", "render_pdf"]
