"""The customer-facing terms' hash, in one place: what the approver signs, what the PDF
attaches and what ``verify`` recomputes are the same function of the same bytes.

The bytes are the customer's terms of a saved version (``pricing.terms.terms_json`` of
``CustomerTerms``, built by ``services.documents.saved_terms_json`` exactly as the PDF is),
attached to every PDF as ``terms.json``; the hash is their SHA-256, the fingerprint the
order form cites. A rep's request records those bytes; the deal desk checks them against
the request's quote and signs their hash.
"""

from __future__ import annotations

import hashlib

from quote_builder.pricing.terms import TERMS_FILE_NAME

TERMS_ATTACHMENT = TERMS_FILE_NAME
"""The PDF attachment holding the terms (every PDF kind: documents/render.py)."""


def terms_hash(data: bytes) -> str:
    """SHA-256 (hex) of the terms as attached: the one hash the decision signs and
    ``verify`` checks."""
    return hashlib.sha256(data).hexdigest()
