"""Verify a final PDF anywhere, without the rep's database.

A final PDF embeds ``approval-statement.json`` (the approver's signed statement, or the
statement that no approval was needed) and ``policy.json`` (the public part of the
organisation policy: its header and the organisation's signature). ``verify_pdf`` checks,
one line each:

- the **terms**: the customer-facing terms attached to the PDF hash to the signed hash;
- the **pages**: what the pages print is what was approved: every page's text carries the
  statement's quote number (with its version where the number is followed by one), and
  the SHA-256 terms fingerprint the cover and the order form print is the attached
  terms' (so pages taken from another quote's PDF, or a page added from one, fail);
- the **policy**: the organisation's signature over the policy, and that it is the policy
  the statement names;
- the **organisation**: the policy is signed by the organisation key the verifier expects
  (given, or the one of the policy installed in the verifier's own database); without an
  expected key this fails, because anyone can sign a policy with a key of their own;
- the **approver**: listed in the policy, with the name and role the statement gives;
- the **signature** of the statement with that approver's key;
- the **authority**: the approver's role covers what the policy required and the discount
  (shown by the policy's hash-chain proof, without disclosing the authority itself);
- the **timing**: decided while the policy was valid, and the approval not expired;
- the **separation of duties**: the requester is not the approver.

Any failure makes ``VerifyReport.ok`` false (the command exits non-zero). Everything is
read from the PDF; the database, when given, only supplies the expected organisation key.

The page check reads the pages' text layer, not their pixels: text drawn in white, an
image of another page, or an edited content stream that keeps the right words can still
show a reader something else. Only a PDF signature over the whole file (the seller's
signature, the last line) binds the pages as drawn; docs/architecture.md says what
``verify`` guarantees with and without one.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from quote_builder.approvals import signing
from quote_builder.approvals.bundle import (
    ROLE_TITLES,
    PolicyBundleError,
    VerifiedPolicy,
    authority_problem,
    proves_authority,
    same_person,
    verify_public,
)
from quote_builder.approvals.statement import (
    NOT_REQUIRED,
    POLICY_FILE,
    STATEMENT_FILE,
    STATEMENT_FORMAT,
)
from quote_builder.errors import Sentence, sentence_of
from quote_builder.store.columns import utcnow
from quote_builder.store.database import Database
from quote_builder.user import user_name_problem

from .terms_link import TERMS_ATTACHMENT, terms_hash
from .words import percent_text, percents_written

MAX_PDF_BYTES = 100 * 1024 * 1024
VERIFY_LOCALE = "en_US"
"""The checks' sentences are English (the command line prints them): their percents are
written the English way by the one formatter. Each is a ``Sentence`` (a code and its
values) so that the Verify page writes it again in the interface's language
(``ui/error_words.py``, codes ``verify.*``)."""


@dataclass(frozen=True)
class Check:
    ok: bool
    name: str
    message: str


def _pct(value: Decimal) -> str:
    """A percent of a check's sentence, as the app and the command line write it: ``24%``
    (not the statement's ``24.00%``), ``10.01%``."""
    return percent_text(value, VERIFY_LOCALE, None)


@dataclass(frozen=True)
class VerifyReport:
    checks: list[Check]

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)


_PDF_ERRORS: tuple[type[Exception], ...] = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    OSError,
)


def _pdf_errors() -> tuple[type[Exception], ...]:
    from pypdf.errors import PyPdfError

    return (PyPdfError, *_PDF_ERRORS)


def _unreadable(data: bytes) -> ValueError:
    if not data:
        return ValueError(
            Sentence("it cannot be read as a PDF (it is empty)", "verify.unreadable_empty")
        )
    return ValueError(
        Sentence(
            "it cannot be read as a PDF (it is damaged or not a PDF)", "verify.unreadable_damaged"
        )
    )


def _reader(data: bytes) -> Any:
    """A pypdf reader of ``data`` (ValueError when it is not a readable PDF)."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        return PdfReader(io.BytesIO(data))
    except _pdf_errors():
        raise _unreadable(data) from None


def read_attachments(data: bytes, *, reader: Any = None) -> dict[str, bytes]:
    """The files embedded in a PDF, by name (ValueError when it is not a readable PDF)."""

    try:
        reader = reader or _reader(data)
        files = reader.attachments
        return {name: contents[0] for name, contents in files.items() if contents}
    except _pdf_errors():
        raise _unreadable(data) from None


def check_terms(attachments: dict[str, bytes], signed_hash: str) -> Check:
    """The terms attached to the PDF against the hash the statement carries (the one
    place that knows which attachment holds the terms: services.terms_link)."""
    terms = attachments.get(TERMS_ATTACHMENT)
    short = signed_hash[:12] or "(none)"
    if not signed_hash:
        return Check(
            False, "terms", Sentence("the statement carries no terms hash", "verify.terms_none")
        )
    if terms is None:
        return Check(
            False,
            "terms",
            Sentence(
                f"the PDF carries no copy of the terms ({TERMS_ATTACHMENT}) to check against "
                f"the signed hash {short}…: every PDF Quote Builder makes attaches them, so "
                "this file was changed after it was made",
                "verify.terms_missing",
                attachment=TERMS_ATTACHMENT,
                short=short,
            ),
        )
    actual = terms_hash(terms)
    if actual != signed_hash:
        return Check(
            False,
            "terms",
            Sentence(
                f"the attached terms hash to {actual[:12]}…, not the signed {short}…: the "
                "terms were changed after the decision",
                "verify.terms_changed",
                actual=actual[:12],
                short=short,
            ),
        )
    return Check(
        True,
        "terms",
        Sentence(f"the attached terms hash to the signed {short}…", "verify.terms_ok", short=short),
    )


def page_texts(reader: Any) -> list[str] | None:
    """The text layer of every page (None when the pages cannot be read)."""

    try:
        return [page.extract_text() or "" for page in reader.pages]
    except _pdf_errors():
        return None


_HASH = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])")
_FIRST_NUMBER = re.compile(r"\d+")


def check_pages(
    texts: list[str] | None, statement: dict[str, Any], also_printed: set[str]
) -> Check:
    """What the pages print against what was approved (see the module's text): the quote
    number on every page, the version after it, and the terms fingerprint. ``also_printed``
    are other fingerprints a page may show (the policy's, the approver's)."""
    number = str(statement.get("quote_number") or "")
    version = str(statement.get("version") or "")
    signed_hash = str(statement.get("terms_hash") or "").lower()
    if texts is None:
        return Check(
            False, "pages", Sentence("the pages' text cannot be read", "verify.pages_unreadable")
        )
    if not texts:
        return Check(False, "pages", Sentence("the PDF has no pages", "verify.pages_none"))
    if not number:
        return Check(
            False,
            "pages",
            Sentence(
                "the statement names no quote number to find on the pages", "verify.pages_no_number"
            ),
        )
    # The cover prints "Q-1, version 1" ("Q-1、第1版" in Japanese), the running header
    # "Q-1 · version 1": the first number after the quote number's separator is its version.
    after_number = re.compile(re.escape(number) + r"[ \t]*[·,、][ \t]*([^\n·,、]{0,40})")
    for index, text in enumerate(texts, start=1):
        if number not in text:
            return Check(
                False,
                "pages",
                Sentence(
                    f"page {index} does not print the quote number {number}: it comes from "
                    "another document, or cannot be read as text",
                    "verify.page_no_number",
                    index=index,
                    number=number,
                ),
            )
        for label in after_number.findall(text):
            found = _FIRST_NUMBER.search(label)
            if found and version and found.group() != version:
                return Check(
                    False,
                    "pages",
                    Sentence(
                        f"page {index} prints {number} version {found.group()}, but version "
                        f"{version} was approved",
                        "verify.page_version",
                        index=index,
                        number=number,
                        printed=found.group(),
                        version=version,
                    ),
                )
    printed = [(i, h.lower()) for i, t in enumerate(texts, start=1) for h in _HASH.findall(t)]
    for index, fingerprint in printed:
        if fingerprint != signed_hash and fingerprint not in also_printed:
            return Check(
                False,
                "pages",
                Sentence(
                    f"page {index} prints the terms fingerprint {fingerprint[:12]}…, but the "
                    f"approved terms are {signed_hash[:12]}…: the pages show other terms than "
                    "the ones approved",
                    "verify.page_other_terms",
                    index=index,
                    printed=fingerprint[:12],
                    short=signed_hash[:12],
                ),
            )
    if not any(fingerprint == signed_hash for _i, fingerprint in printed):
        return Check(
            False,
            "pages",
            Sentence(
                f"no page prints the approved terms fingerprint {signed_hash[:12]}…: the pages "
                "cannot be tied to the approved terms",
                "verify.pages_no_terms",
                short=signed_hash[:12],
            ),
        )
    pages = "page" if len(texts) == 1 else f"all {len(texts)} pages"
    return Check(
        True,
        "pages",
        Sentence(
            f"{pages} print {number}, and the terms fingerprint printed is the approved "
            f"{signed_hash[:12]}… (checked in the text, not the drawing: see the signatures)",
            "verify.pages_ok",
            pages=len(texts),
            number=number,
            short=signed_hash[:12],
        ),
    )


def _json(attachments: dict[str, bytes], name: str) -> Any:
    raw = attachments.get(name)
    if raw is None:
        return None
    from quote_builder.pricing.quote_format import load_json

    try:
        return load_json(raw)  # a key given twice is refused: a reader sees the first
    except ValueError:
        return ValueError


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


SELLER_SIGNATURE_CHECK = "seller signature"
"""The name of the check a final PDF without the seller's signature fails."""


def _no_seller_signature(content_only: bool) -> Check:
    """A final PDF carries the seller's signature (Finalise signs every one it sends): one
    without it is not the file the seller sent, whatever its pages say (a signature removed
    leaves exactly this). Checking the content only, the line says what was not checked."""
    if content_only:
        return Check(
            True,
            SELLER_SIGNATURE_CHECK,
            Sentence(
                "not checked (content only): the PDF carries no seller signature, so only "
                "the approval, the terms and the pages' text above were checked",
                "verify.no_seller_signature_content_only",
            ),
        )
    return Check(
        False,
        SELLER_SIGNATURE_CHECK,
        Sentence(
            "none: the PDF carries no seller signature, so nothing proves it is the file the "
            "seller sent (removing the signature leaves exactly this); ask the seller for the "
            "signed file",
            "verify.no_seller_signature",
        ),
    )


def signature_checks(data: bytes, *, content_only: bool = False) -> list[Check]:
    """One line per PDF signature (PAdES): who signed, with which certificate (a trial
    certificate is labelled "self-signed (trial)"), when, whether the bytes it covers are
    intact and its signature valid, and what changed after it. Trust in the certificate's
    issuer is not judged (offline; the line names the issuer). A PDF without the seller's
    signature fails (``_no_seller_signature``) unless ``content_only``."""
    from quote_builder.documents import pdfsign

    try:
        found = pdfsign.pdf_signatures(data)
    except pdfsign.PdfSignatureError as exc:
        return [Check(False, "signatures", sentence_of(exc))]
    if not any(sig.field == pdfsign.SELLER_FIELD for sig in found):
        missing = [_no_seller_signature(content_only)]
    else:
        missing = []
    if not found:
        return missing
    names = {
        pdfsign.SELLER_FIELD: "seller signature",
        pdfsign.CUSTOMER_FIELD: "customer signature",
    }
    checks = []
    for index, sig in enumerate(found):
        last = index == len(found) - 1
        when = f" on {sig.signed_at:%Y-%m-%d %H:%M} UTC" if sig.signed_at else ""
        problems: list[str] = []
        if sig.problem:
            problems.append(sig.problem)
        elif not sig.intact:
            problems.append(
                Sentence("the signed bytes were changed", "verify.signed_bytes_changed")
            )
        elif not sig.valid:
            problems.append(
                Sentence(
                    "the signature does not verify with the certificate",
                    "verify.signature_invalid",
                )
            )
        if sig.docmdp_ok is False:
            problems.append(
                Sentence(
                    f"changed after it beyond what it allows ({sig.changes_after})",
                    "verify.changed_beyond",
                    changes=sig.changes_after,
                )
            )
        elif sig.changes_after == "other changes" or (
            last and not sig.whole_file and sig.changes_after != "none"
        ):
            problems.append(
                Sentence(
                    f"the file was changed after it ({sig.changes_after})",
                    "verify.changed_after",
                    changes=sig.changes_after,
                )
            )
        after = "" if sig.whole_file else f"; after it: {sig.changes_after}"
        kind = "certifying, " if sig.certifying else ""
        message: str = f"{sig.certificate.label}{when}; {kind}" + (
            "; ".join(problems) if problems else f"intact and valid{after}"
        )
        message = Sentence(
            message,
            "verify.pdf_signature_bad" if problems else "verify.signature_ok",
            label=sig.certificate.label,
            signed_at=sig.signed_at,
            certifying=sig.certifying,
            changes_after="" if sig.whole_file else sig.changes_after,
            problems=problems,
        )
        name = names.get(sig.field) or Sentence(
            f"signature {sig.field}", "verify.signature_field", field=sig.field
        )
        checks.append(Check(not problems, name, message))
    return missing + checks


@dataclass(frozen=True)
class OrganisationKey:
    """What the PDF's organisation key is compared with, looked up before the checks
    (``organisation_key``) so that the slow part, reading the PDF, can run where there is
    no database (the app's verify job, ``services.verify_job``)."""

    fingerprint: str | None = None
    source: str = ""
    """How the key was found: "the organisation key given", "the organisation key of the
    policy installed here (Acme)"."""
    problem: str | None = None
    """Why there is no key to compare with (a key given that cannot be read, a tampered
    installed policy): the organisation check fails with it."""


def organisation_key(db: Database | None, org_key: str | None = None) -> OrganisationKey:
    """The organisation key given (``org_key``), else the one pinned on this computer
    (``policy.pinned_key``), else the one of the policy installed in ``db``; an empty
    ``OrganisationKey`` when there is none."""
    if org_key:
        try:
            return OrganisationKey(
                signing.fingerprint(signing.public_key_from_text(org_key)),
                Sentence("the organisation key given", "verify.key_given"),
            )
        except signing.ApprovalSigningError as exc:
            return OrganisationKey(
                problem=Sentence(
                    f"the organisation key given: {exc}",
                    "verify.key_given_problem",
                    problem=sentence_of(exc),
                )
            )
    from .policy import PinnedKeyError, pinned_key

    try:
        pin = pinned_key()
    except PinnedKeyError as exc:
        return OrganisationKey(problem=sentence_of(exc))
    if pin is not None:
        # Pinned outside the database by an administrator: what a database says (its
        # policy, which its user can change) never stands in for it.
        return OrganisationKey(
            pin.fingerprint,
            Sentence(
                f"the organisation key pinned on this computer ({pin.short}, in {pin.path})",
                "verify.key_pinned",
                key=pin.short,
                path=pin.path,
            ),
        )
    if db is not None:
        from .policy import PolicyTamperedError, installed_policy

        try:
            installed = installed_policy(db)
        except PolicyTamperedError as exc:
            return OrganisationKey(problem=sentence_of(exc))
        if installed is not None:
            return OrganisationKey(
                installed.org_fingerprint,
                Sentence(
                    f"the organisation key of the policy installed here ({installed.organisation})",
                    "verify.key_installed",
                    organisation=installed.organisation,
                ),
            )
    return OrganisationKey()


def verify_pdf(
    db: Database | None,
    data: bytes,
    *,
    org_key: str | None = None,
    now: dt.datetime | None = None,
    organisation: OrganisationKey | None = None,
    content_only: bool = False,
) -> VerifyReport:
    """Every check on a PDF's embedded approval, one ``Check`` each, then one per PDF
    signature (``signature_checks``). ``organisation``: the key to compare with, looked up
    already (``organisation_key``); otherwise from ``org_key`` or the policy in ``db``.
    A PDF without the seller's signature fails unless ``content_only`` (the approval, the
    terms and the pages' text checked alone, as asked)."""
    report = _verify_approval(db, data, org_key=org_key, now=now, organisation=organisation)
    if len(data) > MAX_PDF_BYTES or (report.checks and report.checks[0].name == "file"):
        return report
    return VerifyReport(report.checks + signature_checks(data, content_only=content_only))


def _verify_approval(
    db: Database | None,
    data: bytes,
    *,
    org_key: str | None = None,
    now: dt.datetime | None = None,
    organisation: OrganisationKey | None = None,
) -> VerifyReport:
    moment = now or utcnow()
    checks: list[Check] = []
    if len(data) > MAX_PDF_BYTES:
        return VerifyReport(
            [Check(False, "file", Sentence("the PDF is larger than 100 MB", "verify.too_large"))]
        )
    try:
        reader = _reader(data)
        attachments = read_attachments(data, reader=reader)
    except ValueError as exc:
        return VerifyReport([Check(False, "file", sentence_of(exc))])
    wrapper = _json(attachments, STATEMENT_FILE)
    if wrapper is None:
        return VerifyReport(
            [
                Check(
                    False,
                    "approval",
                    Sentence(
                        "the PDF carries no approval statement: it is a draft, or it was not "
                        "made final by Quote Builder",
                        "verify.no_statement",
                    ),
                )
            ]
        )
    statement = wrapper.get("statement") if isinstance(wrapper, dict) else None
    signature = wrapper.get("signature") if isinstance(wrapper, dict) else None
    if not isinstance(statement, dict) or statement.get("format") != STATEMENT_FORMAT:
        return VerifyReport(
            [
                Check(
                    False,
                    "approval",
                    Sentence("the approval statement is malformed", "verify.statement_malformed"),
                )
            ]
        )
    number = statement.get("quote_number", "?")
    version = statement.get("version", "?")
    checks.append(
        Check(
            True,
            "quote",
            Sentence(f"{number} version {version}", "verify.quote", number=number, version=version),
        )
    )
    checks.append(check_terms(attachments, str(statement.get("terms_hash") or "")))
    pages_check = len(checks)

    policy = _check_policy(attachments, statement, checks)
    approver = statement.get("approver")
    others = {
        str(value).lower()
        for value in (
            statement.get("policy_fingerprint"),
            policy.org_fingerprint if policy else None,
            approver.get("fingerprint") if isinstance(approver, dict) else None,
        )
        if value
    }
    checks.insert(pages_check, check_pages(page_texts(reader), statement, others))
    _check_organisation(
        organisation if organisation is not None else organisation_key(db, org_key),
        policy,
        checks,
    )

    public = _json(attachments, POLICY_FILE)
    proof = public.get("authority_proof") if isinstance(public, dict) else None
    decision = statement.get("decision")
    if decision == NOT_REQUIRED:
        _check_not_required(statement, policy, proof, checks)
        return VerifyReport(checks)
    _check_approval(statement, signature, policy, proof, moment, checks)
    return VerifyReport(checks)


def _check_policy(
    attachments: dict[str, bytes], statement: dict[str, Any], checks: list[Check]
) -> VerifiedPolicy | None:
    named = statement.get("policy_fingerprint")
    public = _json(attachments, POLICY_FILE)
    if not named:
        checks.append(
            Check(
                False,
                "policy",
                Sentence(
                    "the approval was not made under an organisation policy (approver keys "
                    "trusted by hand on the seller's machine: unverified)",
                    "verify.no_policy",
                ),
            )
        )
        return None
    if public is None or public is ValueError:
        checks.append(
            Check(
                False,
                "policy",
                Sentence(
                    "the PDF carries no readable organisation policy", "verify.policy_unreadable"
                ),
            )
        )
        return None
    try:
        policy = verify_public(public)
    except PolicyBundleError as exc:
        checks.append(Check(False, "policy", sentence_of(exc)))
        return None
    if policy.fingerprint != named:
        checks.append(
            Check(
                False,
                "policy",
                Sentence(
                    f"the statement names policy {signing.short_fingerprint(str(named))}, but "
                    f"the PDF carries {policy.short}",
                    "verify.policy_other",
                    named=signing.short_fingerprint(str(named)),
                    carried=policy.short,
                ),
            )
        )
        return None
    checks.append(
        Check(
            True,
            "policy",
            Sentence(
                f"{policy.organisation}'s policy {policy.short} (serial {policy.serial}, valid "
                f"{policy.valid_from} to {policy.valid_until}), signed by the organisation key "
                f"{signing.short_fingerprint(policy.org_fingerprint)}",
                "verify.policy_ok",
                organisation=policy.organisation,
                policy=policy.short,
                serial=policy.serial,
                valid_from=policy.valid_from,
                valid_until=policy.valid_until,
                key=signing.short_fingerprint(policy.org_fingerprint),
            ),
        )
    )
    return policy


def _check_organisation(
    organisation: OrganisationKey, policy: VerifiedPolicy | None, checks: list[Check]
) -> None:
    if organisation.problem is not None:
        checks.append(Check(False, "organisation", organisation.problem))
        return
    expected, source = organisation.fingerprint, organisation.source
    if policy is None:
        checks.append(
            Check(
                False,
                "organisation",
                Sentence("no organisation policy to check", "verify.organisation_no_policy"),
            )
        )
        return
    if expected is None:
        checks.append(
            Check(
                False,
                "organisation",
                Sentence(
                    f"nothing to compare the organisation key "
                    f"{signing.short_fingerprint(policy.org_fingerprint)} with: give the "
                    "organisation's public key (--org-key), or verify where its policy is "
                    "installed",
                    "verify.organisation_nothing",
                    key=signing.short_fingerprint(policy.org_fingerprint),
                ),
            )
        )
        return
    if expected != policy.org_fingerprint:
        checks.append(
            Check(
                False,
                "organisation",
                Sentence(
                    f"the policy is signed by key "
                    f"{signing.short_fingerprint(policy.org_fingerprint)}, not by {source} "
                    f"({signing.short_fingerprint(expected)}): it is not your organisation's "
                    "policy",
                    "verify.organisation_other",
                    key=signing.short_fingerprint(policy.org_fingerprint),
                    source=source,
                    expected=signing.short_fingerprint(expected),
                ),
            )
        )
        return
    checks.append(
        Check(
            True,
            "organisation",
            Sentence(f"the policy is signed by {source}", "verify.organisation_ok", source=source),
        )
    )


def _check_not_required(
    statement: dict[str, Any], policy: VerifiedPolicy | None, proof: Any, checks: list[Check]
) -> None:
    discount = _decimal(statement.get("discount_percent"))
    when = statement.get("evaluated_at", "")
    if policy is None or discount is None:
        checks.append(
            Check(
                False,
                "approval",
                Sentence(
                    "no approval, and no policy that says none was needed",
                    "verify.no_policy_none_needed",
                ),
            )
        )
        return
    try:
        judged = signing.parse_iso_utc(str(when))
    except ValueError:
        checks.append(
            Check(
                False,
                "approval",
                Sentence("the statement's date is malformed", "verify.statement_date"),
            )
        )
        return
    if not policy.valid_at(judged):
        checks.append(
            Check(
                False,
                "approval",
                Sentence(
                    f"judged on {when[:10]}, outside the policy's validity",
                    "verify.judged_outside",
                    judged=judged.date(),
                ),
            )
        )
        return
    if "rep" in policy.discount_authority:
        rep = policy.discount_authority["rep"]
        within, limit = discount <= rep, f"{_pct(rep)} "
    else:
        within, limit = proves_authority(policy, proof, "rep", discount), ""
    if not within:
        checks.append(
            Check(
                False,
                "approval",
                Sentence(
                    f"no approval, yet nothing shows the {_pct(discount)} discount within the "
                    f"rep's {limit}authority",
                    "verify.not_within",
                    discount_pct=discount,
                    limit_pct=policy.discount_authority.get("rep"),
                ),
            )
        )
        return
    checks.append(
        Check(
            True,
            "approval",
            Sentence(
                f"none needed: judged on {when[:10]} under policy {policy.short}, the discount "
                f"{_pct(discount)} within the rep's {limit}authority (the statement is not "
                "signed; the margin and term rules need the seller's data)",
                "verify.not_needed",
                judged=judged.date(),
                policy=policy.short,
                discount_pct=discount,
                limit_pct=policy.discount_authority.get("rep"),
            ),
        )
    )


def _check_approval(
    statement: dict[str, Any],
    signature: Any,
    policy: VerifiedPolicy | None,
    proof: Any,
    moment: dt.datetime,
    checks: list[Check],
) -> None:
    decision = statement.get("decision")
    approver = statement.get("approver") if isinstance(statement.get("approver"), dict) else {}
    requester = statement.get("requester") if isinstance(statement.get("requester"), dict) else {}
    assert isinstance(approver, dict) and isinstance(requester, dict)
    name, print_ = str(approver.get("name", "")), str(approver.get("fingerprint", ""))
    checks.append(
        Check(
            decision == "approved",
            "decision",
            Sentence("approved", "verify.approved")
            if decision == "approved"
            else Sentence(
                f"the quote was {decision}, not approved", "verify.not_approved", status=decision
            ),
        )
    )
    holder = policy.approver(print_) if policy is not None else None
    if policy is None:
        checks.append(
            Check(
                False,
                "approver",
                Sentence(
                    f"{name}: no organisation policy lists them", "verify.unlisted", name=name
                ),
            )
        )
    elif holder is None:
        checks.append(
            Check(
                False,
                "approver",
                Sentence(
                    f"{name}'s key {signing.short_fingerprint(print_)} is not an approver in "
                    f"policy {policy.short}",
                    "verify.not_an_approver",
                    name=name,
                    key=signing.short_fingerprint(print_),
                    policy=policy.short,
                ),
            )
        )
    elif not same_person(holder.name, name) or holder.role != approver.get("role"):
        checks.append(
            Check(
                False,
                "approver",
                Sentence(
                    f"the statement names {name} ({approver.get('role')}), but the key belongs "
                    f"to {holder.name} ({holder.role_title}) in the policy",
                    "verify.other_person",
                    name=name,
                    named_role=str(approver.get("role")),
                    holder=holder.name,
                    role=holder.role,
                ),
            )
        )
    else:
        checks.append(
            Check(
                True,
                "approver",
                Sentence(
                    f"{holder.name}, {holder.role_title}, listed in the policy",
                    "verify.approver_ok",
                    name=holder.name,
                    role=holder.role,
                ),
            )
        )
    if holder is None or not isinstance(signature, str):
        checks.append(
            Check(
                False,
                "signature",
                Sentence(
                    "no approver key in the policy to check it with", "verify.no_approver_key"
                ),
            )
        )
    elif signing.verify(statement, signature, holder.public_key):
        checks.append(
            Check(
                True,
                "signature",
                Sentence(f"signed with {holder.name}'s key", "verify.signed", name=holder.name),
            )
        )
    else:
        checks.append(
            Check(
                False,
                "signature",
                Sentence(
                    "the statement's signature does not verify: it was changed",
                    "verify.signature_bad",
                ),
            )
        )
    discount = _decimal(statement.get("discount_percent"))
    if policy is not None and holder is not None and discount is not None:
        required = statement.get("required_role")
        problem = authority_problem(
            policy,
            holder,
            discount=discount,
            required_role=str(required) if required else None,
            proof=proof,
        )
        limit = policy.discount_authority.get(holder.role)
        shown = f"{_pct(limit)} " if limit is not None else ""
        checks.append(
            Check(
                problem is None,
                "authority",
                (
                    problem
                    and percents_written(problem, VERIFY_LOCALE, getattr(problem, "params", None))
                )
                or Sentence(
                    f"a {_pct(discount)} discount, needing the "
                    f"{ROLE_TITLES.get(str(required), str(required))}, within the "
                    f"{holder.role_title}'s {shown}authority",
                    "verify.authority_ok",
                    discount_pct=discount,
                    required_role=str(required),
                    role=holder.role,
                    limit_pct=limit,
                ),
            )
        )
    else:
        checks.append(
            Check(
                False,
                "authority",
                Sentence(
                    "cannot be checked without the approver's role", "verify.authority_unknown"
                ),
            )
        )
    decided = _when(statement.get("decided_at"))
    expires = statement.get("expires_at")
    if policy is not None:  # an approval holds no longer than the policy it was granted under
        expires = policy.bound_expiry(expires)
    if decided is None:
        checks.append(
            Check(
                False,
                "timing",
                Sentence("the decision's date is malformed", "verify.decision_date"),
            )
        )
    elif policy is not None and not policy.valid_at(decided):
        checks.append(
            Check(
                False,
                "timing",
                Sentence(
                    f"decided on {decided:%Y-%m-%d}, outside the policy's validity "
                    f"({policy.valid_from} to {policy.valid_until})",
                    "verify.decided_outside",
                    decided=decided.date(),
                    valid_from=policy.valid_from,
                    valid_until=policy.valid_until,
                ),
            )
        )
    else:
        until = _when(expires) if expires else None
        if expires and (until is None or until <= moment):
            checks.append(
                Check(
                    False,
                    "timing",
                    Sentence(
                        f"the approval held until {_last_day(expires)} and has expired",
                        "verify.expired",
                        until=_last_date(expires),
                    ),
                )
            )
        else:
            checks.append(
                Check(
                    True,
                    "timing",
                    Sentence(
                        f"decided on {decided:%Y-%m-%d}"
                        + (f", valid until {_last_day(expires)}" if expires else ", no expiry"),
                        "verify.timing_ok",
                        decided=decided.date(),
                        until=_last_date(expires) if expires else "",
                    ),
                )
            )
    asked = str(requester.get("name", ""))
    keys = requester.get("key_fingerprints") or []
    odd = [
        (who, value, problem)
        for who, value in (("requester", asked), ("approver", name))
        if value and (problem := user_name_problem(value)) is not None
    ]
    if not asked:
        checks.append(
            Check(
                False,
                "separation",
                Sentence("the statement does not say who asked", "verify.no_requester"),
            )
        )
    elif odd:
        who, value, problem = odd[0]
        checks.append(
            Check(
                False,
                "separation",
                Sentence(
                    f"the {who}'s name {value!r} {problem}: a name that only looks like another "
                    "cannot show that the requester is not the approver",
                    "verify.name_looks_alike",
                    who=who,
                    name=value,
                    problem=problem,
                ),
            )
        )
    elif same_person(asked, name) or print_ in keys:
        checks.append(
            Check(
                False,
                "separation",
                Sentence(
                    f"{asked} asked for this approval and approved it",
                    "verify.same_person",
                    asked=asked,
                ),
            )
        )
    else:
        checks.append(
            Check(
                True,
                "separation",
                Sentence(
                    f"requested by {asked}, approved by {name}",
                    "verify.separated",
                    asked=asked,
                    name=name,
                ),
            )
        )


def _last_day(value: Any) -> str:
    try:
        return signing.last_day(str(value))
    except ValueError:
        return str(value)[:10]


def _last_date(value: Any) -> dt.date | str:
    """The last day an approval holds as a date (for the app to write in its locale), or
    as ``_last_day`` writes it when it cannot be read."""
    try:
        return dt.date.fromisoformat(_last_day(value))
    except ValueError:
        return _last_day(value)


def _when(value: Any) -> dt.datetime | None:
    try:
        return signing.parse_iso_utc(str(value))
    except ValueError:
        return None


__all__ = [
    "Check",
    "VerifyReport",
    "check_terms",
    "read_attachments",
    "signature_checks",
    "verify_pdf",
]
