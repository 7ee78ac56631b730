"""Rendering proposals and contract terms for a saved quote or a quote file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quote_builder.countries import default_language
from quote_builder.documents import (
    Party,
    RenderRefusedError,
    RenderRequest,
    RenderResult,
    render_pdf,
)
from quote_builder.documents.parties import ApprovalNote
from quote_builder.documents.render import DocumentKind
from quote_builder.documents.viewmodel import FINAL_STATUSES, EmbeddedFile, SellerSigning
from quote_builder.errors import Sentence, UserFacingError, sentence_of
from quote_builder.pricing import QuoteDocument, content_hash, price
from quote_builder.pricing.languages import (
    DEFAULT_LANGUAGE,
    DEFAULT_LOCALES,
    UnsupportedLanguageError,
    check_language,
)
from quote_builder.pricing.legal import LegalFrame, LegalTexts
from quote_builder.pricing.options import blocking_warnings
from quote_builder.pricing.tax import CustomerTaxFacts

from .core import RefusedError
from .pricing import read_quote_file
from .printable import _customer_record, print_problems, unprintable

if TYPE_CHECKING:
    from quote_builder.store.database import Database

    from .quotes import OpenedVersion, QuoteRow

# The store (SQLAlchemy) is imported where a database is used, so rendering a quote file
# from the command line starts faster.


@dataclass(frozen=True)
class Rendered:
    result: RenderResult
    request: RenderRequest
    final: bool
    quote_number: str
    version: int | None
    draft_reason: str = ""
    """Why a quote in a final status still rendered as a draft."""


class LanguageError(UserFacingError, ValueError):
    """A document language that is not one Quote Builder writes."""


@dataclass(frozen=True)
class DocumentLanguage:
    """The language a quote's documents are written in, the locale of their dates and
    numbers, and where the language comes from (for the rep: "German, the customer's
    country")."""

    language: str
    locale: str
    source: str
    """``command line``, ``quote``, ``customer``, ``country`` or ``default``."""


def resolve_language(
    document: QuoteDocument,
    customer_language: str = "",
    customer_country: str = "",
    *,
    language: str | None = None,
    locale: str | None = None,
    field: str = "--language",
) -> DocumentLanguage:
    """The document language, in order: ``language`` (the command line's ``--language``),
    the quote's own, the customer's, the default of the customer's country, English. The
    locale is ``locale`` when given, else the language's default locale (the sentences and
    the dates and numbers always agree; a locale of another language is refused when the
    document is rendered)."""
    if language:
        try:
            chosen, source = check_language(language, field), "command line"
        except UnsupportedLanguageError as exc:
            raise LanguageError(sentence_of(exc)) from None
    elif document.language:
        chosen, source = document.language, "quote"
    elif customer_language:
        try:  # a row edited by hand ('xx') is a sentence naming the field, not a KeyError
            chosen = check_language(
                customer_language, "the customer's Document language (Customers page)"
            )
        except UnsupportedLanguageError as exc:
            raise LanguageError(sentence_of(exc)) from None
        source = "customer"
    elif customer_country and default_language(customer_country) != DEFAULT_LANGUAGE:
        chosen, source = default_language(customer_country), "country"
    else:
        chosen, source = DEFAULT_LANGUAGE, "default"
    return DocumentLanguage(chosen, locale or DEFAULT_LOCALES[chosen], source)


@dataclass(frozen=True)
class FinalState:
    """Whether a saved quote's latest version may be rendered final, and what the final PDF
    then says and embeds: the signed approval statement (or the statement that no approval
    was needed) and the public part of the organisation policy that judged it."""

    final: bool
    approval_id: str | None = None
    approval: ApprovalNote | None = None
    attachments: tuple[EmbeddedFile, ...] = ()
    draft_reason: str = ""


def _json(data: object) -> str:
    import json

    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def final_state(
    db: Database,
    number: str,
    *,
    version: int | None = None,
    finalising: bool = False,
    language: str | None = None,
) -> FinalState:
    """The rule for a final PDF: the latest version of an approved, sent or accepted quote
    without blocking warnings that either holds a valid signed approval of exactly that
    version (every check of an import passes again now) or needs no approval under a
    policy valid today. Anything else renders as a draft, and ``draft_reason`` says why.
    ``finalising``: a draft counts too (Finalise makes a draft that needs no approval
    final and sent). ``language``: the documents' language when not the quote's own (the
    customer's terms, and so their hash, are those of that language).

    Only Finalise renders final: a version that may be final but was not sent (an
    approved quote) renders as a draft anywhere else (``render``, the preview, Export
    PDF), its reason naming the command that makes the file to send. A final-looking
    copy that nobody signed and nothing records as sent could reach a prospect as if it
    were the offer; the only final file is the signed one Finalise stores."""
    state = _final_state(db, number, version=version, finalising=finalising, language=language)
    if not state.final or finalising:
        return state
    from .quotes import find_quote

    row = find_quote(db, number)
    return FinalState(
        False,
        draft_reason=Sentence(
            f"{row.number} is approved but not sent, so this copy is a draft: "
            f"`deal finalise {row.number}` makes the final PDF, signed by you and "
            "recorded as sent (in the app: Finalise)",
            "final.not_sent",
            number=row.number,
        ),
    )


def _final_state(
    db: Database,
    number: str,
    *,
    version: int | None,
    finalising: bool,
    language: str | None,
) -> FinalState:
    from quote_builder.approvals.statement import (
        POLICY_FILE,
        STATEMENT_FILE,
        not_required_statement,
        statement_file,
    )
    from quote_builder.store.columns import utcnow

    from .approvals import approval_evidence, evaluate_document
    from .lifecycle import sent_version, sent_words
    from .policy import PolicyTamperedError, effective_policy, public_policy
    from .quotes import find_quote, open_version, quote_by_number
    from .terms_link import terms_hash

    row = find_quote(db, number)
    opened = open_version(db, row.id, version)
    sent = sent_version(db, row.id, opened.version.number)
    if sent is not None:
        # Frozen: the signed file as sent is the only original; a new render must never
        # look like a second one (render writes the stored file; the preview shows it).
        return FinalState(
            False,
            draft_reason=Sentence(
                f"{sent_words(sent)}; a new render of it is a draft: `render "
                f"{row.number}` writes the file as sent",
                "final.sent_already",
                sent=sent_words(sent),
                number=row.number,
            ),
        )
    if row.status not in FINAL_STATUSES and not (finalising and row.status == "draft"):
        return FinalState(
            False,
            draft_reason=Sentence(
                f"{row.number} is {row.status.replace('_', ' ')}",
                "final.status",
                number=row.number,
                status=row.status,
            ),
        )
    if version is not None and version != row.latest_version:
        return FinalState(
            False,
            draft_reason=Sentence(
                f"version {version} is not the latest version", "final.not_latest", version=version
            ),
        )
    priced = price(opened.document)
    blocking = blocking_warnings(opened.document)
    if blocking:
        raise RefusedError(
            Sentence(
                f"{number} is {row.status} but has blocking warnings ({', '.join(blocking)}); "
                "it cannot be rendered as final",
                "final.blocking",
                number=number,
                status=row.status,
                blocking=blocking,
            )
        )
    with db.read() as session:
        evidence = approval_evidence(session, quote_by_number(session, number))
    current_terms = terms_hash(saved_terms_json(db, number, version=version, language=language))
    signed_terms = (evidence.statement or {}).get("terms_hash") if evidence else None
    if evidence is not None and signed_terms and signed_terms != current_terms:
        own = terms_hash(saved_terms_json(db, number, version=version))
        if language is not None and own == signed_terms:
            return FinalState(
                False,
                draft_reason=Sentence(
                    f"the approval of {row.number} covers its documents in the quote's own "
                    f"language ({_language_name(document_language(db, opened.document).language)}); "
                    f"in {_language_name(language)} the order form's terms differ, so it renders "
                    "as a draft (change the quote's language and ask for approval again)",
                    "final.other_language",
                    number=row.number,
                    own_language=document_language(db, opened.document).language,
                    language=language,
                ),
            )
        return FinalState(
            False,
            draft_reason=Sentence(
                f"the customer's terms of {row.number} changed since they were approved (the "
                "seller profile, the legal frame, the customer's details, the documents' "
                "language or the offer's validity): ask for approval again",
                "final.terms_changed",
                number=row.number,
            ),
        )
    if evidence is not None:
        # Printed for the buyer: who approved, when, under which policy. The approval's own
        # expiry, its conditions and how the seller's machine trusts the approver are the
        # seller's business (the embedded statement and `verify` carry the facts).
        organisation, fingerprint = _policy_facts(evidence.policy_public)
        note = ApprovalNote(
            approver=evidence.approver_name,
            role=evidence.approver_role or "",
            decided_on=dt.date.fromisoformat(evidence.decided_at[:10]),
            organisation=organisation,
            policy=fingerprint,
        )
        files = []
        if evidence.statement is not None:
            files.append(
                EmbeddedFile(
                    STATEMENT_FILE,
                    "The deal desk's signed approval of these terms",
                    _json(statement_file(evidence.statement, evidence.statement_signature)),
                )
            )
        if evidence.policy_public is not None:
            files.append(
                EmbeddedFile(
                    POLICY_FILE,
                    "The organisation's signed approval policy (public part)",
                    _json(evidence.policy_public),
                )
            )
        return FinalState(True, evidence.decision_id, note, tuple(files))
    try:
        policy_rules, verified = effective_policy(db)
    except PolicyTamperedError as exc:
        return FinalState(False, draft_reason=sentence_of(exc))
    if evaluate_document(db, opened.document, policy_rules, priced).needed:
        return FinalState(
            False,
            draft_reason=Sentence(
                f"{row.number} needs approval and holds no valid signed approval of version "
                f"{opened.version.number}",
                "final.not_approved",
                number=row.number,
                version=opened.version.number,
            ),
        )
    moment = utcnow()
    if verified is not None and verified.validity_problem(moment):
        return FinalState(False, draft_reason=verified.validity_problem(moment) or "")
    statement = not_required_statement(
        quote_number=row.number,
        version=opened.version.number,
        version_hash=opened.version.content_hash,
        terms_hash=current_terms,
        discount_percent=str(priced.effective_discount_percent),
        policy_fingerprint=verified.fingerprint if verified else None,
        evaluated_at=moment,
    )
    files = [
        EmbeddedFile(
            STATEMENT_FILE,
            "No approval was needed for these terms",
            _json(statement_file(statement, None)),
        )
    ]
    public = None
    if verified is not None:
        with db.read() as session:
            public = public_policy(
                session,
                verified.fingerprint,
                role="rep",
                discount=priced.effective_discount_percent,
            )
        if public is not None:
            files.append(
                EmbeddedFile(
                    POLICY_FILE,
                    "The organisation's signed approval policy (public part)",
                    _json(public),
                )
            )
    # Without an organisation policy there is nothing a buyer could check: print nothing.
    not_needed = None
    if public:
        organisation, fingerprint = _policy_facts(public)
        not_needed = ApprovalNote(organisation=organisation, policy=fingerprint)
    return FinalState(True, None, not_needed, tuple(files))


def _policy_facts(public: dict[str, object] | None) -> tuple[str, str]:
    """The organisation and the short fingerprint of a policy's public part, for the PDF
    (no numbers from the policy); empty when there is none."""
    from quote_builder.approvals import signing
    from quote_builder.approvals.bundle import policy_fingerprint

    header = (public or {}).get("header")
    if not isinstance(header, dict):
        return "", ""
    organisation = header.get("organisation")
    name = organisation.get("name", "") if isinstance(organisation, dict) else ""
    return str(name), signing.short_fingerprint(policy_fingerprint(header))


def _language_name(language: str) -> str:
    from quote_builder.pricing.languages import LANGUAGES

    return LANGUAGES.get(language, language)


def _seller(db: Database | None) -> tuple[Party, Path | None]:
    party, logo, _legal = _seller_frame(db)
    return party, logo


def _legal_texts(db: Database | None) -> dict[str, LegalTexts]:
    """The seller's clause texts in other languages (Settings); none without a database."""
    if db is None:
        return {}
    from .settings import get_settings

    return get_settings(db).legal_texts()


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
            Sentence(
                f"the logo in the settings cannot be printed ({problem}); choose another in "
                "Settings, or No logo",
                "documents.logo",
                problem=problem,
            )
        )
    party = Party(
        settings.seller_name,
        settings.seller_legal_name,
        settings.seller_address,
        settings.seller_email,
        signatory=settings.seller_signatory,
        signatory_title=settings.seller_signatory_title,
    )
    return party, logo, settings.legal_frame()


def _seller_country(db: Database | None) -> str:
    """The seller profile's country as an ISO code (empty: none, or no database)."""
    if db is None:
        return ""
    from .settings import get_settings
    from .tax import country_code

    return country_code(get_settings(db).seller_country) or ""


def _customer(db: Database | None, document: QuoteDocument) -> Party:
    return customer_party(db, document)[1]


def customer_tax_facts(db: Database | None, document: QuoteDocument) -> CustomerTaxFacts | None:
    """What the quote's customer's record says now of its country (ISO code), region and
    tax ID, which the quote's tax was decided on (None: no record to compare with)."""
    found = _customer_record(db, document)
    if found is None:
        return None
    from .tax import country_code  # the store with it: not for a file rendered without one

    return CustomerTaxFacts(
        found["name"], country_code(found["country"]), found["region"], found["tax_id"]
    )


def customer_party(db: Database | None, document: QuoteDocument) -> tuple[int | None, Party]:
    """The customer's id in the database (None: not there) and the party the order form
    names: the customer's details, and its first contact as the person who signs."""
    found = _customer_record(db, document)
    if found is None:
        return None, Party(document.customer.name)
    return int(found["id"]) if found["id"] else None, Party(
        found["name"],
        found["legal_name"],
        "",
        found["email"],
        found["country"],
        found["signatory"],
        found["signatory_title"],
        found["billing_address"],
    )


def document_language(
    db: Database | None,
    document: QuoteDocument,
    *,
    language: str | None = None,
    locale: str | None = None,
) -> DocumentLanguage:
    """The language (and locale) a quote's documents are written in: ``language`` (the
    command line), else the quote's, the customer's, the customer's country's default,
    English."""
    found = _customer_record(db, document) or {}
    return resolve_language(
        document,
        found.get("language", ""),
        found.get("country", ""),
        language=language,
        locale=locale,
    )


def _render(request: RenderRequest, kind: DocumentKind, pdf_a: bool) -> RenderResult:
    try:
        return render_pdf(request, kind, pdf_a=pdf_a)
    except RenderRefusedError as exc:
        raise RefusedError(sentence_of(exc)) from None


def _saved_request(
    db: Database,
    row: QuoteRow,
    opened: OpenedVersion,
    state: FinalState,
    *,
    language: str | None = None,
    locale: str | None = None,
) -> RenderRequest:
    """What a saved version renders from: its document and pricing, the seller, legal
    frame and customer of this database, the version's date, the quote's valid-until, the
    documents' language. The customer's terms (and their hash, which approvals sign) follow
    from it alone."""
    seller, logo, legal = _seller_frame(db)
    chosen = document_language(db, opened.document, language=language, locale=locale)
    return RenderRequest(
        document=opened.document,
        priced=price(opened.document),
        seller=seller,
        customer=_customer(db, opened.document),
        quote_number=row.number,
        version=opened.version.number,
        version_hash=opened.version.content_hash,
        status=row.status,
        approval_id=state.approval_id,
        approval=state.approval,
        attachments=state.attachments,
        final=state.final,
        issued=opened.version.created_at.date(),
        valid_until=row.valid_until,
        locale=chosen.locale,
        language=chosen.language,
        logo_path=logo,
        legal=legal,
        legal_texts=_legal_texts(db),
        seller_country=_seller_country(db),
        customer_tax=customer_tax_facts(db, opened.document),
    )


def render_for_sending(db: Database, number: str, signing: SellerSigning | None = None) -> Rendered:
    """The final PDF ("both": proposal and order form) of the latest version, to be signed
    and sent (services.lifecycle.finalise_quote); refused with the reason when the quote
    may not be final. ``signing``: who signs for the seller and when, printed on the order
    form's seller line and Date line in the document's language."""
    from dataclasses import replace

    from .quotes import find_quote, open_version

    row = find_quote(db, number)
    opened = open_version(db, row.id)
    state = final_state(db, number, finalising=True)
    if not state.final:
        raise RefusedError(
            Sentence(
                f"{number} cannot be finalised: {state.draft_reason}",
                "finalise.not_final",
                number=number,
                draft_reason=state.draft_reason,
            )
        )
    request = replace(_saved_request(db, row, opened, state), status="sent", seller_signing=signing)
    return Rendered(
        _render(request, "both", False), request, True, row.number, opened.version.number
    )


def saved_terms_json(
    db: Database, number: str, *, version: int | None = None, language: str | None = None
) -> bytes:
    """The customer's terms of a saved version as its PDF attaches them (``terms.json``):
    what an approval signs (by its SHA-256) and ``verify`` checks. In the quote's own
    language unless ``language`` is given (the legal frame's texts are that language's)."""
    from quote_builder.documents.viewmodel import customer_view
    from quote_builder.pricing.terms import terms_json

    from .quotes import find_quote, open_version

    row = find_quote(db, number)
    opened = open_version(db, row.id, version)
    request = _saved_request(db, row, opened, FinalState(False), language=language)
    return terms_json(customer_view(request).terms)


def render_saved_quote(
    db: Database,
    number: str,
    *,
    kind: DocumentKind = "both",
    version: int | None = None,
    pdf_a: bool = False,
    locale: str | None = None,
    language: str | None = None,
    finalising: bool = False,
) -> Rendered:
    """Render a saved quote version. It renders final (no DRAFT watermark) only as
    Finalise renders it (``finalising``: the final copy before it is signed, which only
    Finalise and the tests of final documents ask for) for the latest version of a quote
    that is approved (or a draft that needs no approval), has no blocking warning, and
    either holds a valid signed approval of exactly that version (its id is printed) or
    needs no approval under the current policy; otherwise a version that was not sent is
    a draft (``final_state``). A quote in such a status with a blocking warning is
    refused. ``language`` (the command line's ``--language``) writes the documents in
    another language than the quote's; ``locale`` formats their dates and numbers
    (default: the language's)."""
    from .quotes import find_quote, open_version

    row = find_quote(db, number)
    opened = open_version(db, row.id, version)
    if language:
        document_language(db, opened.document, language=language)  # refuse it first
    state = final_state(
        db, number, version=version, language=language or None, finalising=finalising
    )
    request = _saved_request(db, row, opened, state, language=language, locale=locale)
    return Rendered(
        _render(request, kind, pdf_a),
        request,
        state.final,
        row.number,
        opened.version.number,
        state.draft_reason if row.status in FINAL_STATUSES else "",
    )


def render_quote_file(
    path: Path,
    *,
    db: Database | None = None,
    kind: DocumentKind = "both",
    pdf_a: bool = False,
    locale: str | None = None,
    language: str | None = None,
) -> Rendered:
    """Render a quote JSON file; never final (a file carries no approval)."""
    return render_quote_document(
        read_quote_file(path), db=db, kind=kind, pdf_a=pdf_a, locale=locale, language=language
    )


def render_quote_document(
    document: QuoteDocument,
    *,
    db: Database | None = None,
    kind: DocumentKind = "both",
    pdf_a: bool = False,
    locale: str | None = None,
    language: str | None = None,
) -> Rendered:
    """Render a quote document that is not saved (a file, standard input); never final.
    Its language: ``language``, else the quote's, else its customer's in the database."""
    number_warning = _number_of_another_quote(db, document)
    if number_warning:
        document = document.model_copy(update={"quote_number": None})
    seller, logo, legal = _seller_frame(db)
    chosen = document_language(db, document, language=language, locale=locale)
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
        locale=chosen.locale,
        language=chosen.language,
        logo_path=logo,
        legal=legal,
        legal_texts=_legal_texts(db),
        seller_country=_seller_country(db),
        customer_tax=customer_tax_facts(db, document),
    )
    result = _render(request, kind, pdf_a)
    if number_warning:
        result.warnings.insert(0, number_warning)
    return Rendered(result, request, False, document.quote_number or "", None)


def _number_of_another_quote(db: Database | None, document: QuoteDocument) -> str:
    """The rep's warning when a file's quote number is a saved quote's for another customer
    in the database the file is rendered with ("" otherwise): two customer documents would
    carry one number. The number is then left out of the documents (the rendering goes on:
    a file from another database or a colleague is still worth a draft); importing the file
    gives it a number of its own. A file of the saved quote itself (its customer) keeps it."""
    number = document.quote_number
    if db is None or not number:
        return ""
    from quote_builder.store import repositories as repo

    with db.read() as session:
        row = repo.quote_by_number(session, number=number)
        if row is None:
            return ""
        owner = repo.get_customer(session, customer_id=row.customer_id)
        owner_id, owner_name = row.customer_id, owner.name if owner is not None else ""
    found = _customer_record(db, document)
    if found is not None and found["id"] == str(owner_id):
        return ""
    return (
        f"quote number {number} belongs to another quote in this database (for {owner_name}), "
        f"so the documents for {document.customer.name} leave it out; import the file "
        "(quotes import) to give it a number of its own, or correct quote_number in the file"
    )


def html_for_export(request: RenderRequest, kind: DocumentKind) -> str:
    """Self-contained HTML for ``--html``: stylesheet, fonts (subset) and images inside the
    file, no path of this machine (documents/export.py)."""
    from quote_builder.documents.export import standalone_html

    return standalone_html(kind, request)


__all__ = [
    "DocumentLanguage",
    "FinalState",
    "LanguageError",
    "Rendered",
    "customer_party",
    "document_language",
    "final_state",
    "html_for_export",
    "print_problems",
    "render_quote_document",
    "render_quote_file",
    "render_saved_quote",
    "resolve_language",
    "unprintable",
]
