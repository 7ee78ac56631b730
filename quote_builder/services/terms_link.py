"""The customer-facing terms' hash, in one place: what the approver signs and what
``verify`` recomputes from the PDF must be the same function of the same bytes.

Today the terms a PDF carries are the ``quote.json`` attachment that
``documents.render`` writes for PDF/A (the canonical quote JSON), so the terms' hash is
the SHA-256 of those bytes. When the customer-facing terms type lands (its own canonical
JSON and ``terms_hash``), point ``terms_bytes`` and ``TERMS_ATTACHMENT`` at it: the
decision's signature, the statement in the PDF and ``verify`` follow.
"""

from __future__ import annotations

import hashlib

from quote_builder.pricing import QuoteDocument, canonical_json

TERMS_ATTACHMENT = "quote.json"
"""The PDF attachment holding the terms (documents/render.py, PDF/A)."""


def terms_bytes(document: QuoteDocument) -> bytes:
    """The exact bytes the PDF attaches as the terms."""
    return canonical_json(document).encode("utf-8")


def terms_hash(data: bytes) -> str:
    """SHA-256 (hex) of the terms as attached: the one hash the decision signs and
    ``verify`` checks."""
    return hashlib.sha256(data).hexdigest()


def terms_hash_of_document(document: QuoteDocument) -> str:
    return terms_hash(terms_bytes(document))
