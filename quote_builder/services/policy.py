"""The organisation's policy in this database: install a signed bundle, read it back
verified, and sign a policy source (the deal desk's side).

Installed bundles are rows of ``policy_bundle`` (append-only); the policy is the one with
the highest serial. Every read verifies every installed bundle again (the organisation's
signature, the rules against their commitment, the stored fingerprint, one organisation
key throughout): a bundle changed with SQL, or a row slipped in by hand, makes the policy
unusable (``PolicyTamperedError``) instead of quietly changing what needs approval. The
settings columns the policy governs are written when a bundle is installed, for display
and for older versions of the app, but the policy is never read from them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from quote_builder.approvals import bundle as bundles
from quote_builder.approvals import signing
from quote_builder.approvals.bundle import PolicyBundleError, VerifiedPolicy
from quote_builder.approvals.policy import ApprovalPolicy
from quote_builder.errors import Sentence, sentence_of
from quote_builder.store import repositories as repo
from quote_builder.store.columns import utcnow
from quote_builder.store.database import Database
from quote_builder.store.models import PolicyBundleRow, Settings

from .core import Changes, Outcome, RefusedError, ServiceError
from .keys import open_key

MAX_BUNDLE_BYTES = 1024 * 1024


class PolicyFileError(ServiceError):
    """A policy bundle or source file that is malformed or whose signature fails."""


class PolicyTamperedError(ServiceError):
    """An installed bundle no longer verifies: the database was changed outside the app."""


class ForeignPolicyError(RefusedError):
    """A bundle signed by another organisation key than the installed policy's."""


class OlderPolicyError(RefusedError):
    """A bundle that is not newer than the installed one."""


@dataclass(frozen=True)
class InstalledBundle:
    serial: int
    fingerprint: str
    organisation: str
    installed_at: dt.datetime
    installed_by: str


@dataclass(frozen=True)
class PolicyStatus:
    """What the Settings page and ``policy show`` display; never raises for a tampered
    bundle (``problem`` says what is wrong)."""

    policy: VerifiedPolicy | None
    problem: str | None
    history: list[InstalledBundle]


def _load_json(text: str | bytes, what: str) -> Any:
    if len(text) > MAX_BUNDLE_BYTES:
        raise PolicyFileError(
            Sentence(f"the {what} is larger than 1 MB", "file.too_large_1mb", what=what)
        )
    from quote_builder.pricing.quote_format import JSONInputError, load_json

    try:
        return load_json(text)
    except JSONInputError as exc:
        raise PolicyFileError(
            Sentence(
                f"the {what} is not JSON ({exc})", "file.not_json_here", what=what, problem=str(exc)
            )
        ) from None


def _bundle_of(row: PolicyBundleRow) -> dict[str, Any]:
    return {
        "format": bundles.BUNDLE_FORMAT,
        "header": json.loads(row.header_json),
        "signature": row.signature,
        "rules": json.loads(row.rules_json),
    }


TAMPERED = (
    "the organisation's policy stored in this database fails its check ({reason}): it was "
    "changed outside Quote Builder, so nothing can be approved or sent as final here. "
    "Restore a backup made before the change, or ask the deal desk."
)


def tampered(reason: str) -> Sentence:
    return Sentence(TAMPERED.format(reason=reason), "policy.tampered", reason=reason)


def _verified_rows(session: Session) -> list[tuple[PolicyBundleRow, VerifiedPolicy]]:
    rows = session.exec(select(PolicyBundleRow).order_by(col(PolicyBundleRow.id))).all()
    result = []
    org: str | None = None
    for row in rows:
        try:
            verified = bundles.verify_bundle(_bundle_of(row))
        except (PolicyBundleError, ValueError) as exc:
            raise PolicyTamperedError(tampered(sentence_of(exc))) from None
        if verified.fingerprint != row.fingerprint or verified.serial != row.serial:
            raise PolicyTamperedError(
                tampered(
                    Sentence(
                        "its fingerprint or serial does not match the bundle",
                        "tampered.fingerprint",
                    )
                )
            )
        if org is not None and verified.org_fingerprint != org:
            raise PolicyTamperedError(
                tampered(
                    Sentence("a bundle signed by another organisation key", "tampered.other_key")
                )
            )
        org = verified.org_fingerprint
        result.append((row, verified))
    return result


def installed_in(session: Session) -> VerifiedPolicy | None:
    """The policy (highest serial), verified; None when none is installed."""
    rows = _verified_rows(session)
    if not rows:
        return None
    return max(rows, key=lambda pair: pair[1].serial)[1]


def installed_policy(db: Database) -> VerifiedPolicy | None:
    with db.read() as session:
        return installed_in(session)


def installed_by_fingerprint(session: Session, fingerprint: str) -> VerifiedPolicy | None:
    """An installed bundle (current or replaced), verified."""
    for _row, verified in _verified_rows(session):
        if verified.fingerprint == fingerprint:
            return verified
    return None


def policy_status(db: Database) -> PolicyStatus:
    with db.read() as session:
        rows = session.exec(select(PolicyBundleRow).order_by(col(PolicyBundleRow.serial))).all()
        history = [
            InstalledBundle(r.serial, r.fingerprint, r.organisation, r.installed_at, r.installed_by)
            for r in rows
        ]
        try:
            return PolicyStatus(installed_in(session), None, history)
        except PolicyTamperedError as exc:
            return PolicyStatus(None, sentence_of(exc), history)


def effective_policy(db: Database) -> tuple[ApprovalPolicy, VerifiedPolicy | None]:
    """The approval policy and, when an organisation policy is installed, the verified
    bundle it comes from (None: this database's settings, unverified)."""
    verified = installed_policy(db)
    if verified is not None:
        return verified.approval_policy(), verified
    from .settings import settings_policy

    return settings_policy(db), None


def governed_values(policy: VerifiedPolicy) -> dict[str, Any]:
    """The settings columns' values under this policy."""
    rules = policy.approval_policy()
    return {
        "margin_floor_percent": rules.margin_floor_percent,
        "discount_authority_json": json.dumps(
            {role: format(v.normalize(), "f") for role, v in policy.discount_authority.items()},
            sort_keys=True,
        ),
        "approval_term_months": rules.max_term_months,
        "min_escalator_percent": rules.min_escalator_percent,
        "max_payment_terms_days": rules.max_payment_terms_days,
        "custom_attribution_needs_approval": rules.custom_attribution_needs_approval,
        "outcome_without_minimum_needs_approval": rules.outcome_without_minimum_needs_approval,
    }


def install_policy(
    db: Database, text: str | bytes, *, actor: str, now: dt.datetime | None = None
) -> Outcome[VerifiedPolicy]:
    """Install a signed bundle. The first one pins the organisation key; later ones must
    be signed by the same key and carry a higher serial (an older, the same or a foreign
    bundle is refused with a sentence)."""
    data = _load_json(text, "policy file")
    try:
        verified = bundles.verify_bundle(data)
    except PolicyBundleError as exc:
        raise PolicyFileError(sentence_of(exc)) from None
    moment = now or utcnow()
    with db.write() as session:
        current = installed_in(session)
        if current is not None:
            if verified.org_fingerprint != current.org_fingerprint:
                raise ForeignPolicyError(
                    Sentence(
                        f"this policy is signed by another organisation key "
                        f"({signing.short_fingerprint(verified.org_fingerprint)}, "
                        f"{verified.organisation!r}) than the installed policy "
                        f"({signing.short_fingerprint(current.org_fingerprint)}, "
                        f"{current.organisation!r}); it was not installed",
                        "policy.foreign",
                        key=signing.short_fingerprint(verified.org_fingerprint),
                        organisation=verified.organisation,
                        installed_key=signing.short_fingerprint(current.org_fingerprint),
                        installed_organisation=current.organisation,
                    )
                )
            if verified.fingerprint == current.fingerprint:
                raise RefusedError(
                    Sentence(
                        f"this policy ({current.short}) is already installed",
                        "policy.installed_already",
                        policy=current.short,
                    )
                )
            if verified.serial <= current.serial:
                raise OlderPolicyError(
                    Sentence(
                        f"this policy has serial {verified.serial}, not newer than the installed "
                        f"serial {current.serial} ({current.short}); it was not installed",
                        "policy.older",
                        serial=verified.serial,
                        installed_serial=current.serial,
                        policy=current.short,
                    )
                )
        header = data["header"]
        row = PolicyBundleRow(
            fingerprint=verified.fingerprint,
            serial=verified.serial,
            organisation=verified.organisation[:200],
            org_fingerprint=verified.org_fingerprint,
            header_json=json.dumps(header, sort_keys=True, ensure_ascii=False),
            signature=data["signature"],
            rules_json=json.dumps(data["rules"], sort_keys=True, ensure_ascii=False),
            installed_by=actor,
            installed_at=moment,
        )
        session.add(row)
        settings = repo.get_settings(session)
        if settings is None:
            settings = Settings(id=repo.SETTINGS_ID, version_id=0)
        for key, value in governed_values(verified).items():
            setattr(settings, key, value)
        if not settings.version_id:
            settings.version_id = 1
        settings.updated_at = moment
        settings.updated_by = actor
        session.add(settings)
        session.flush()
        repo.add_audit_event(
            session,
            actor=actor,
            action="policy_installed",
            entity_type="policy",
            entity_id=row.id,
            details={
                "fingerprint": verified.fingerprint,
                "serial": verified.serial,
                "organisation": verified.organisation,
                "replaces": current.fingerprint if current else None,
            },
        )
    return Outcome(verified, Changes.of(settings=True))


def policy_template(db: Database, *, organisation: str, today: dt.date | None = None) -> str:
    """A policy source to edit and sign, from this database's current numbers."""
    policy, _verified = effective_policy(db)
    source = bundles.policy_source_template(
        policy, organisation=organisation, today=today or dt.date.today()
    )
    return json.dumps(source, indent=2, ensure_ascii=False) + "\n"


def sign_policy_source(
    text: str | bytes,
    *,
    key_name: str,
    passphrase: str,
    key_directory: Path | None = None,
    now: dt.datetime | None = None,
) -> str:
    """The deal desk's side: a policy source signed with the organisation key, as the
    bundle file reps install."""
    source = _load_json(text, "policy source")
    data, _private, _public = open_key(key_name, passphrase, directory=key_directory)
    try:
        signed = bundles.sign_policy(source, data, passphrase, now=now or utcnow())
    except PolicyBundleError as exc:
        raise PolicyFileError(sentence_of(exc)) from None
    return json.dumps(signed, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def public_policy(
    session: Session, fingerprint: str, *, role: str, discount: Decimal
) -> dict[str, Any] | None:
    """The public part (header and signature) of an installed bundle, for a PDF, with the
    proof that ``discount`` lies within ``role``'s authority (the authority itself is not
    disclosed). No proof when the discount exceeds it; verify then says so."""
    row = session.exec(
        select(PolicyBundleRow).where(PolicyBundleRow.fingerprint == fingerprint)
    ).first()
    if row is None:
        return None
    bundle = _bundle_of(row)
    proof = bundles.authority_proof(bundles.verify_bundle(bundle), role, discount)
    return bundles.public_part(bundle, proof=proof)


__all__ = [
    "ForeignPolicyError",
    "InstalledBundle",
    "OlderPolicyError",
    "PolicyFileError",
    "PolicyStatus",
    "PolicyTamperedError",
    "effective_policy",
    "governed_values",
    "install_policy",
    "installed_by_fingerprint",
    "installed_in",
    "installed_policy",
    "policy_status",
    "policy_template",
    "public_policy",
    "sign_policy_source",
]
