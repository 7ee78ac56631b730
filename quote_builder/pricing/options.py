"""Options side by side: a quote that offers two or three alternatives (issue 17, §2).

A quote's ``options`` each hold a complete set of the priced fields (``OPTION_FIELDS``:
model, term, billing, escalator, components, discounts, ramps); everything else (customer,
start date, usage forecast, costs, value, contract terms, the usage log) they share. So
each option is a whole quote of its own (:func:`option_document`), priced by the one
engine with its own warnings and margin, and they compare on the same usage.

Which option the documents are about (:func:`effective_document`): the one the customer
chose (``chosen_option``: the order form is that option's), else the recommended one, else
the first; a quote without options is itself. The quote's own priced fields are the editor's
working copy: the rep builds an offer there and keeps it as an option.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .document import OPTION_FIELDS, QuoteDocument, QuoteOption
from .engine import price
from .evidence import EvidenceBills, evidence_bills
from .results import PricedQuote


def option_document(doc: QuoteDocument, key: str) -> QuoteDocument:
    """The quote as option ``key`` alone: its priced fields, no options."""
    option = find_option(doc, key)
    fields = {name: getattr(option, name) for name in OPTION_FIELDS}
    return doc.model_copy(update={**fields, "options": None, "chosen_option": None})


def option_from_document(
    doc: QuoteDocument, key: str, name: str, description: str = "", recommended: bool = False
) -> QuoteOption:
    """An option holding ``doc``'s priced fields (the editor's "Keep as option")."""
    return QuoteOption(
        key=key,
        name=name,
        description=description,
        recommended=recommended,
        **{field: getattr(doc, field) for field in OPTION_FIELDS},
    )


def find_option(doc: QuoteDocument, key: str) -> QuoteOption:
    for option in doc.options or []:
        if option.key == key:
            return option
    raise KeyError(key)


def featured_option(doc: QuoteDocument) -> QuoteOption | None:
    """The option the documents present: the chosen one, else the recommended, else the
    first (None without options)."""
    options = doc.options or []
    if not options:
        return None
    if doc.chosen_option is not None:
        return find_option(doc, doc.chosen_option)
    return next((o for o in options if o.recommended), options[0])


def effective_document(doc: QuoteDocument) -> QuoteDocument:
    """The quote the proposal's pages, the order form, the terms and the list's TCV are
    about: the featured option alone, or the quote itself when it has no options."""
    option = featured_option(doc)
    return doc if option is None else option_document(doc, option.key)


def offered_documents(doc: QuoteDocument) -> list[tuple[QuoteOption | None, QuoteDocument]]:
    """Every offer of the quote: each option alone, or the quote itself."""
    if not doc.options:
        return [(None, doc)]
    return [(option, option_document(doc, option.key)) for option in doc.options]


@dataclass(frozen=True, slots=True)
class PricedOption:
    """One option priced: its document, its pricing and the usage log's bill range."""

    option: QuoteOption
    document: QuoteDocument
    priced: PricedQuote
    bills: EvidenceBills | None

    @property
    def margin_by_year(self) -> tuple[Decimal | None, ...]:
        return tuple(y.gross_margin_percent for y in self.priced.years)


def price_options(doc: QuoteDocument, *, with_bills: bool = True) -> list[PricedOption]:
    """Each option priced on its own (an empty list for a quote without options)."""
    priced = []
    for option, document in offered_documents(doc):
        if option is None:
            return []
        bills = None
        if with_bills and document.usage_evidence is not None:
            try:
                bills = evidence_bills(document)
            except (ArithmeticError, ValueError):
                bills = None
        priced.append(PricedOption(option, document, price(document), bills))
    return priced


def blocking_warnings(doc: QuoteDocument) -> list[str]:
    """The blocking warnings of every offer, as "code" or "option name: code"."""
    found = []
    for option, offered in offered_documents(doc):
        for warning in price(offered).blocking:
            found.append(warning.code if option is None else f"{option.name}: {warning.code}")
    return found


def next_key(doc: QuoteDocument) -> str:
    """The first unused key of a, b, c."""
    used = {o.key for o in doc.options or []}
    return next(k for k in ("a", "b", "c", "d") if k not in used)


__all__ = [
    "PricedOption",
    "blocking_warnings",
    "effective_document",
    "featured_option",
    "find_option",
    "next_key",
    "offered_documents",
    "option_document",
    "option_from_document",
    "price_options",
]
