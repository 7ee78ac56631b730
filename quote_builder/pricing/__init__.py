"""The pricing engine: pure domain code (stdlib + pydantic only).

``price(document) -> PricedQuote`` is the one engine the app, the CLI, the PDFs and the
approval policy all read. See docs/quote-format.md for the document it prices.

The names below are loaded on first use (PEP 562): ``from quote_builder.pricing import
price`` imports the engine, not the advisor or the factory, so a cold ``quote-builder
price`` builds only the models it needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .advisor import Recommendation, recommend
    from .components import COMPONENT_KINDS, BreakdownLine, Charge, Component, Usage
    from .document import QuoteDocument
    from .engine import price
    from .factory import UnknownComponentKindError, component_from_dict
    from .money import CurrencyMismatchError, Money
    from .quote_format import (
        QuoteFileError,
        canonical_json,
        content_hash,
        dump_quote,
        load_quote,
    )
    from .results import PricedQuote, QuoteWarning
    from .serialize import priced_to_dict

_WHERE = {
    "Recommendation": "advisor",
    "recommend": "advisor",
    "COMPONENT_KINDS": "components",
    "BreakdownLine": "components",
    "Charge": "components",
    "Component": "components",
    "Usage": "components",
    "QuoteDocument": "document",
    "price": "engine",
    "UnknownComponentKindError": "factory",
    "component_from_dict": "factory",
    "CurrencyMismatchError": "money",
    "Money": "money",
    "QuoteFileError": "quote_format",
    "canonical_json": "quote_format",
    "content_hash": "quote_format",
    "dump_quote": "quote_format",
    "load_quote": "quote_format",
    "PricedQuote": "results",
    "QuoteWarning": "results",
    "priced_to_dict": "serialize",
}

__all__ = [
    "BreakdownLine",
    "COMPONENT_KINDS",
    "Charge",
    "Component",
    "CurrencyMismatchError",
    "Money",
    "PricedQuote",
    "QuoteDocument",
    "QuoteFileError",
    "QuoteWarning",
    "Recommendation",
    "UnknownComponentKindError",
    "Usage",
    "canonical_json",
    "component_from_dict",
    "content_hash",
    "dump_quote",
    "load_quote",
    "price",
    "priced_to_dict",
    "recommend",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next lookup does not come here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
