"""Rendering proposals and contract terms for a saved quote or a quote file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quote_builder.documents import (
    Party,
    RenderRefusedError,
    RenderRequest,
    RenderResult,
    render_pdf,
)
from quote_builder.documents.render import DocumentKind, render_html
from quote_builder.documents.viewmodel import FINAL_STATUSES
from quote_builder.pricing import QuoteDocument, content_hash, price
from quote_builder.pricing.legal import LegalFrame

from .core import RefusedError
from .pricing import read_quote_file
from .render_worker import RenderMeta

if TYPE_CHECKING:
    from quote_builder.store.database import Database

# The store (SQLAlchemy) is imported where a database is used, so rendering a quote file
# from the command line starts faster.


@dataclass(frozen=True)
class Rendered:
    result: RenderResult
    request: RenderRequest
    final: bool
    quote_number: str
    version: int | None


def _seller(db: Database | None) -> tuple[Party, Path | None]:
    party, logo, _legal = _seller_frame(db)
    return party, logo


def _seller_frame(db: Database | None) -> tuple[Party, Path | None, LegalFrame]:
    """The seller, logo and legal frame from the settings; without a database an unnamed
    seller (the command line passes the user's default database when there is one), never
    the tool's own name."""
    if db is None:
        return Party(""), None, LegalFrame()
    from .settings import get_settings, logo_problem

    settings = get_settings(db)
    logo = Path(settings.logo_path).expanduser() if settings.logo_path else None
    problem = logo_problem(settings.logo_path) if settings.logo_path else None
    if problem is not None:
        raise RefusedError(
            f"the logo in the settings cannot be printed ({problem}); choose another in "
            "Settings, or No logo"
        )
    party = Party(
        settings.seller_name,
        settings.seller_legal_name,
        settings.seller_address,
        settings.seller_email,
    )
    return party, logo, settings.legal_frame()


def _customer(db: Database | None, document: QuoteDocument) -> Party:
    if db is None:
        return Party(document.customer.name)
    from quote_builder.store import repositories as repo

    with db.read() as session:
        customer = None
        if document.customer.id and document.customer.id.isdigit():
            customer = repo.get_customer(session, customer_id=int(document.customer.id))
        customer = customer or repo.customer_by_name(session, name=document.customer.name)
        if customer is None:
            return Party(document.customer.name)
        contacts = repo.list_contacts(session, customer_id=customer.id or 0)
        signatory = contacts[0] if contacts else None
        return Party(
            customer.name,
            customer.legal_name,
            "",
            customer.billing_email,
            customer.country,
            signatory.name if signatory else "",
            signatory.title if signatory else "",
            customer.billing_address,
        )


def _render(request: RenderRequest, kind: DocumentKind, pdf_a: bool) -> RenderResult:
    try:
        return render_pdf(request, kind, pdf_a=pdf_a)
    except RenderRefusedError as exc:
        raise RefusedError(str(exc)) from None


def render_saved_quote(
    db: Database,
    number: str,
    *,
    kind: DocumentKind = "both",
    version: int | None = None,
    pdf_a: bool = False,
    locale: str = "en_US",
) -> Rendered:
    """Render a saved quote version. It renders final (no DRAFT watermark) only for the
    latest version of a quote that is approved, sent or accepted, has no blocking warning,
    and either holds a valid signed approval of exactly that version (its id is printed)
    or needs no approval under the current policy. A quote in such a status with a
    blocking warning is refused."""
    from quote_builder.approvals import evaluate

    from .approvals import approval_id_for, current_policy
    from .quotes import find_quote, open_version

    row = find_quote(db, number)
    opened = open_version(db, row.id, version)
    priced = price(opened.document)
    final = row.status in FINAL_STATUSES and (version is None or version == row.latest_version)
    if final and priced.blocking:
        codes = ", ".join(w.code for w in priced.blocking)
        raise RefusedError(
            f"{number} is {row.status} but has blocking warnings ({codes}); it cannot be rendered as final"
        )
    approval_id: str | None = None
    if final:
        approval_id = approval_id_for(db, row.number)
        if approval_id is None:
            final = not evaluate(opened.document, priced, current_policy(db)).needed
    seller, logo, legal = _seller_frame(db)
    request = RenderRequest(
        document=opened.document,
        priced=priced,
        seller=seller,
        customer=_customer(db, opened.document),
        quote_number=row.number,
        version=opened.version.number,
        version_hash=opened.version.content_hash,
        status=row.status,
        approval_id=approval_id,
        final=final,
        issued=opened.version.created_at.date(),
        valid_until=row.valid_until,
        locale=locale,
        logo_path=logo,
        legal=legal,
    )
    return Rendered(
        _render(request, kind, pdf_a), request, final, row.number, opened.version.number
    )


def render_quote_file(
    path: Path,
    *,
    db: Database | None = None,
    kind: DocumentKind = "both",
    pdf_a: bool = False,
    locale: str = "en_US",
) -> Rendered:
    """Render a quote JSON file; never final (a file carries no approval)."""
    document = read_quote_file(path)

    seller, logo, legal = _seller_frame(db)
    request = RenderRequest(
        document=document,
        priced=price(document),
        seller=seller,
        customer=_customer(db, document),
        quote_number=document.quote_number or "",
        version=None,
        version_hash=content_hash(document),
        status="draft",
        final=False,
        issued=dt.date.today(),
        locale=locale,
        logo_path=logo,
        legal=legal,
    )
    return Rendered(
        _render(request, kind, pdf_a), request, False, document.quote_number or "", None
    )


def preview_meta(
    db: Database,
    document: QuoteDocument,
    *,
    quote_number: str = "",
    version: int | None = None,
    status: str = "draft",
    final: bool = False,
    valid_until: dt.date | None = None,
    locale: str = "en_US",
) -> RenderMeta:
    """What the preview worker needs besides the document: seller and customer from the
    database, the quote's number, version and status."""
    seller, logo, legal = _seller_frame(db)
    return RenderMeta(
        seller=seller,
        customer=_customer(db, document),
        quote_number=quote_number,
        version=version,
        status=status,
        final=final,
        valid_until=valid_until,
        locale=locale,
        logo_path=logo,
        legal=legal,
    )


def html_for_export(request: RenderRequest, kind: DocumentKind) -> str:
    """Stand-alone HTML (stylesheet linked by absolute file URL) for ``--html``."""
    from quote_builder.paths import templates_dir

    base = f'<base href="{templates_dir().as_uri()}/">'
    return render_html(kind, request).replace("<head>", f"<head>\n{base}", 1)


__all__ = [
    "Rendered",
    "html_for_export",
    "render_quote_file",
    "render_saved_quote",
]
