"""Proposal and contract PDFs: view-models of formatted strings, SVG charts, Jinja2
templates (autoescaped, StrictUndefined) and WeasyPrint with a locked-down URL fetcher."""

from .render import LockedURLFetcher, RenderRefusedError, RenderResult, render_html, render_pdf
from .viewmodel import Party, RenderRequest

__all__ = [
    "LockedURLFetcher",
    "Party",
    "RenderRefusedError",
    "RenderRequest",
    "RenderResult",
    "render_html",
    "render_pdf",
]
