"""Proposal and contract PDFs: view-models of formatted strings, SVG charts, Jinja2
templates (autoescaped, StrictUndefined) and WeasyPrint with a locked-down URL fetcher.

The names below are loaded when first used (PEP 562), so that importing a small module of
this package (``documents.parties``, which the app's window needs) does not load Jinja2
and WeasyPrint: those run only in the render worker and the command line."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .render import (
        LockedURLFetcher,
        RenderRefusedError,
        RenderResult,
        render_html,
        render_pdf,
    )
    from .viewmodel import Party, RenderRequest

_WHERE = {
    "LockedURLFetcher": "render",
    "RenderRefusedError": "render",
    "RenderResult": "render",
    "render_html": "render",
    "render_pdf": "render",
    "Party": "parties",
    "RenderRequest": "viewmodel",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "LockedURLFetcher",
    "Party",
    "RenderRefusedError",
    "RenderRequest",
    "RenderResult",
    "render_html",
    "render_pdf",
]
