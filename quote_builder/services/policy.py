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

PIN_ENV = "QUOTE_BUILDER_ORG_KEY_FILE"
"""An administrator's path to the organisation's public key file, where the system-wide
file (``system_pin_files``) cannot be used. It adds a pin, never removes one: the
system-wide file applies whatever the environment says, and two files that pin different
keys stop approvals."""

PIN_FILE_NAME = "organisation.pub"
MAX_PIN_BYTES = 64 * 1024


class PolicyFileError(ServiceError):
    """A policy bundle or source file that is malformed or whose signature fails."""


class PolicyTamperedError(ServiceError):
    """An installed bundle no longer verifies: the database was changed outside the app."""


class ForeignPolicyError(RefusedError):
    """A bundle signed by another organisation key than the installed policy's (or than
    the one pinned on this computer)."""


class PinnedKeyError(PolicyTamperedError):
    """The policy here is not signed by the organisation key pinned on this computer, none
    is installed, or the pin cannot be read: nothing is approved or sent as final (every
    place that stops on a tampered policy stops on this)."""


@dataclass(frozen=True)
class PinnedKey:
    """The organisation's public key pinned outside the database (``pinned_key``)."""

    fingerprint: str
    path: str
    """The file it was read from (the first, when several pin the same key)."""
    writable: bool = False
    """Whether the user running the app may change the file (then it pins nothing against
    them: an administrator makes it read-only to users)."""

    @property
    def short(self) -> str:
        return signing.short_fingerprint(self.fingerprint)


def system_pin_files() -> list[Path]:
    """The system-wide pin files an administrator writes (read-only to users), per
    platform; fixed paths, so a user's environment cannot move them."""
    import os
    import sys

    if sys.platform == "win32":
        # %PROGRAMDATA% is the user's to change: the usual folder is read as well (files
        # only add pins, so reading one more never unpins).
        folders = [r"C:\ProgramData", os.environ.get("PROGRAMDATA") or r"C:\ProgramData"]
        return [Path(f) / "QuoteBuilder" / PIN_FILE_NAME for f in dict.fromkeys(folders)]
    if sys.platform == "darwin":
        return [Path("/Library/Application Support/QuoteBuilder") / PIN_FILE_NAME]
    return [Path("/etc/xdg/quote-builder") / PIN_FILE_NAME]


def _pin_files() -> list[tuple[Path, bool]]:
    """(file, whether it must exist): the system-wide ones if present, and the one
    ``PIN_ENV`` names (which must be there: an administrator set it)."""
    import os

    files = [(path, False) for path in system_pin_files()]
    named = os.environ.get(PIN_ENV, "").strip()
    if named:
        files.append((Path(named).expanduser(), True))
    return files


def _writable(path: Path) -> bool:
    import os

    return os.access(path, os.W_OK) or os.access(path.parent, os.W_OK)


def _unreadable_pin(path: Path, problem: str | Sentence) -> PinnedKeyError:
    return PinnedKeyError(
        Sentence(
            f"the organisation key pinned in {path} cannot be read ({problem}): nothing can be "
            "approved or sent as final here. Ask your administrator.",
            "pin.unreadable",
            path=str(path),
            problem=problem,
        )
    )


def pinned_key() -> PinnedKey | None:
    """The organisation key pinned on this computer, or None. Raises ``PinnedKeyError``
    when a pin file cannot be read or two files pin different keys (never silently
    unpinned)."""
    found: PinnedKey | None = None
    for path, required in _pin_files():
        try:
            if not required and not path.exists():
                continue
            with path.open("rb") as handle:
                data = handle.read(MAX_PIN_BYTES + 1)
        except OSError as exc:
            raise _unreadable_pin(path, exc.strerror or type(exc).__name__) from None
        try:
            if len(data) > MAX_PIN_BYTES:
                raise signing.ApprovalSigningError(Sentence("larger than 64 KB", "pin.too_large"))
            key = signing.public_key_from_text(data.decode("utf-8", errors="replace"))
        except signing.ApprovalSigningError as exc:
            raise _unreadable_pin(path, sentence_of(exc)) from None
        pin = PinnedKey(signing.fingerprint(key), str(path), _writable(path))
        if found is not None and found.fingerprint != pin.fingerprint:
            raise PinnedKeyError(
                Sentence(
                    f"{found.path} and {pin.path} pin different organisation keys "
                    f"({found.short}, {pin.short}): nothing can be approved or sent as final "
                    "here. Ask your administrator.",
                    "pin.conflict",
                    path=found.path,
                    path2=pin.path,
                    key=found.short,
                    key2=pin.short,
                )
            )
        found = found or pin
    return found


def _not_pinned(verified: VerifiedPolicy, pin: PinnedKey) -> PinnedKeyError:
    return PinnedKeyError(
        Sentence(
            f"the organisation's policy in this database is signed by the organisation key "
            f"{signing.short_fingerprint(verified.org_fingerprint)} ({verified.organisation!r}), "
            f"not by the one pinned on this computer ({pin.short}, in {pin.path}): nothing can "
            "be approved or sent as final here. Restore a backup made before it was "
            "installed, or ask your administrator.",
            "pin.other_key",
            key=signing.short_fingerprint(verified.org_fingerprint),
            organisation=verified.organisation,
            pinned=pin.short,
            path=pin.path,
        )
    )


def _no_pinned_policy(pin: PinnedKey) -> PinnedKeyError:
    return PinnedKeyError(
        Sentence(
            f"the organisation key {pin.short} is pinned on this computer (in {pin.path}) and "
            "no policy signed by it is installed in this database: nothing can be approved or "
            "sent as final here. Install the organisation's policy (policy install FILE).",
            "pin.no_policy",
            pinned=pin.short,
            path=pin.path,
        )
    )


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
    pinned: PinnedKey | None = None
    """The organisation key pinned on this computer (None: none, or its file cannot be
    read, which ``problem`` then says)."""


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
    """Every installed bundle, verified; each signed by the pinned organisation key when
    one is pinned (``PinnedKeyError`` otherwise)."""
    rows = session.exec(select(PolicyBundleRow).order_by(col(PolicyBundleRow.id))).all()
    result = []
    org: str | None = None
    pin = pinned_key()
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
        if pin is not None and verified.org_fingerprint != pin.fingerprint:
            raise _not_pinned(verified, pin)
        org = verified.org_fingerprint
        result.append((row, verified))
    return result


def installed_in(session: Session, *, pinned_needs_one: bool = True) -> VerifiedPolicy | None:
    """The policy (highest serial), verified; None when none is installed. With an
    organisation key pinned on this computer, a policy signed by it must be installed
    (``PinnedKeyError``), unless ``pinned_needs_one`` is False (installing the first)."""
    rows = _verified_rows(session)
    if not rows:
        pin = pinned_key() if pinned_needs_one else None
        if pin is not None:
            raise _no_pinned_policy(pin)
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
            pin = pinned_key()
        except PinnedKeyError:
            pin = None
        try:
            return PolicyStatus(installed_in(session), None, history, pin)
        except PolicyTamperedError as exc:
            return PolicyStatus(None, sentence_of(exc), history, pin)


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
    pin = pinned_key()
    if pin is not None and verified.org_fingerprint != pin.fingerprint:
        raise ForeignPolicyError(
            Sentence(
                f"this policy is signed by the organisation key "
                f"{signing.short_fingerprint(verified.org_fingerprint)} "
                f"({verified.organisation!r}), not by the one pinned on this computer "
                f"({pin.short}, in {pin.path}); it was not installed",
                "policy.not_pinned",
                key=signing.short_fingerprint(verified.org_fingerprint),
                organisation=verified.organisation,
                pinned=pin.short,
                path=pin.path,
            )
        )
    with db.write() as session:
        current = installed_in(session, pinned_needs_one=False)
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
    "PinnedKey",
    "PinnedKeyError",
    "PolicyFileError",
    "PolicyStatus",
    "PolicyTamperedError",
    "effective_policy",
    "governed_values",
    "install_policy",
    "installed_by_fingerprint",
    "installed_in",
    "installed_policy",
    "pinned_key",
    "policy_status",
    "policy_template",
    "public_policy",
    "sign_policy_source",
]
