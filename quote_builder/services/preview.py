"""What the app's preview needs from the database: the one use case the quote editor
calls for its PDFs. Kept apart from ``services.documents`` so that the window's process
does not import the rendering code (Jinja2, WeasyPrint) to name it: the call runs in the
database process, where ``services.documents`` is imported when it runs.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from quote_builder.pricing import QuoteDocument, content_hash

from .render_worker import RenderMeta

if TYPE_CHECKING:
    from quote_builder.store.database import Database


def preview_meta(
    db: Database,
    document: QuoteDocument,
    *,
    quote_number: str = "",
    version: int | None = None,
    status: str = "draft",
    final: bool = False,
    valid_until: dt.date | None = None,
    locale: str | None = None,
) -> RenderMeta:
    """What the preview worker needs besides the document: seller and customer from the
    database, the quote's number, version and status. ``final`` is only a wish: the PDF is
    final when the document is the quote's latest saved version and ``final_state`` says
    so, and then it carries the approval's note and embedded files. The documents are in
    the quote's language (else its customer's, else the customer's country's), with dates
    and numbers in ``locale`` or that language's default."""
    from .documents import (
        FinalState,
        _customer,
        _legal_texts,
        _seller_country,
        _seller_frame,
        customer_tax_facts,
        document_language,
        final_state,
    )

    state = FinalState(False)
    if final and quote_number:
        from .quotes import find_quote, open_version

        row = find_quote(db, quote_number)
        latest = open_version(db, row.id)
        if content_hash(document) == latest.version.content_hash:
            state = final_state(db, quote_number)
    seller, logo, legal = _seller_frame(db)
    chosen = document_language(db, document, locale=locale)
    return RenderMeta(
        seller=seller,
        customer=_customer(db, document),
        quote_number=quote_number,
        version=version,
        status=status,
        final=state.final,
        approval_id=state.approval_id,
        approval=state.approval,
        attachments=state.attachments,
        valid_until=valid_until,
        locale=chosen.locale,
        language=chosen.language,
        logo_path=logo,
        legal=legal,
        legal_texts=_legal_texts(db),
        seller_country=_seller_country(db),
        customer_tax=customer_tax_facts(db, document),
    )


__all__ = ["preview_meta"]
