"""The pricing engine: pure domain code (stdlib + pydantic only).

``price(document) -> PricedQuote`` is the one engine the app, the CLI, the PDFs and the
approval policy all read. See docs/quote-format.md for the document it prices.
"""

from .advisor import Recommendation, recommend
from .components import COMPONENT_KINDS, BreakdownLine, Charge, Component, Usage
from .document import QuoteDocument
from .engine import price
from .factory import UnknownComponentKindError, component_from_dict
from .money import CurrencyMismatchError, Money
from .quote_format import QuoteFileError, canonical_json, content_hash, dump_quote, load_quote
from .results import PricedQuote, QuoteWarning
from .serialize import priced_to_dict

__all__ = [
    "COMPONENT_KINDS",
    "BreakdownLine",
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
