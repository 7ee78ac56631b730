"""The organisation's policy bundle: the approval policy signed with the organisation key.

The deal desk writes a policy source (``policy_source_template``: the discount authority
per role, the margin floor and the other rules, the approvers with their names, roles and
public keys, a serial number and a validity period) and signs it with the organisation
key (``sign_policy``). Reps install the bundle; the app then takes the policy only from
the bundle, verified each time it is read (``verify_bundle``), never from editable
settings.

A bundle has two parts, so that a customer's PDF can carry the policy without what is
internal to the seller:

- the **header**, signed by the organisation key: organisation (name, public key),
  serial, issue time, validity, the approvers, ``rules_commitment``, the SHA-256 of the
  rules, and ``authority_commitments``, one hash-chain end per role (below);
- the **rules** (discount authority per role, margin floor, longest term, lowest
  escalator, longest payment terms, the two always-approve terms) with a random salt.
  They are bound to the signature through the commitment; the salt makes the commitment
  reveal nothing (a margin floor has too few likely values to hide behind a bare hash).

**Discount authority without disclosing it.** A buyer who knows how far each role may
discount knows how far to push, so the authority stays out of the customer's PDF, yet
anyone must be able to check from the PDF that an approved discount lay within the
approver's authority. Each role's authority of *N* basis points is committed as the end
of a hash chain, ``C = SHA-256^N(seed)`` with a random seed kept in the rules. To show a
discount of *d* basis points is within it, the PDF carries ``x = SHA-256^(N-d)(seed)``;
the verifier checks ``SHA-256^d(x) = C``. Such an ``x`` exists only when *N* ≥ *d* (a
hash cannot be run backwards), and ``x`` says nothing about how much further the chain
goes. (Policies signed before this scheme, header format version 1, carry the authority
in the header; they are still read.)

The policy's **fingerprint** is the SHA-256 of the canonical header: it names one signed
policy, rules included. ``public_part`` is the header and its signature only: what a final
PDF embeds and what ``verify`` checks without any database.

Pure: no I/O, no clock (callers pass ``now``).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from quote_builder.errors import Sentence, UserFacingError, sentence_of
from quote_builder.user import person_key, user_name_problem
from quote_builder.user import same_person as same_person

from . import keyfile, signing
from .policy import ROLES, ApprovalPolicy

BUNDLE_FORMAT = "quote-builder/policy-bundle"
PUBLIC_FORMAT = "quote-builder/policy-public"
HEADER_FORMAT = "quote-builder/policy"
RULE_FIELDS = (
    "margin_floor_percent",
    "max_term_months",
    "min_escalator_percent",
    "max_payment_terms_days",
    "custom_attribution_needs_approval",
    "outcome_without_minimum_needs_approval",
)
ROLE_TITLES = {"rep": "rep", "manager": "manager", "deal_desk": "deal desk"}


class PolicyBundleError(UserFacingError):
    """A policy bundle or source that is malformed, or whose signature fails."""


@dataclass(frozen=True)
class Approver:
    name: str
    role: str
    public_key: str
    fingerprint: str

    @property
    def role_title(self) -> str:
        return ROLE_TITLES.get(self.role, self.role)


@dataclass(frozen=True)
class VerifiedPolicy:
    """A policy whose organisation signature verified. ``rules`` is None when only the
    public part was given (a PDF's copy)."""

    fingerprint: str
    organisation: str
    org_public_key: str
    org_fingerprint: str
    serial: int
    issued_at: dt.datetime
    valid_from: dt.date
    valid_until: dt.date
    discount_authority: dict[str, Decimal]
    approvers: tuple[Approver, ...]
    rules: dict[str, Any] | None
    # role -> hex chain end (header format 2); empty for format 1, whose header lists
    # the authority itself in ``discount_authority``. From a PDF's public part a format 2
    # policy has an empty ``discount_authority``: the limits are not disclosed.
    authority_commitments: dict[str, str] = field(default_factory=dict)

    @property
    def short(self) -> str:
        return signing.short_fingerprint(self.fingerprint)

    @property
    def label(self) -> str:
        """``policy 3f2a:…, signed by Acme until 2027-03-31``: where governed values come from."""
        return Sentence(
            f"policy {self.short} (serial {self.serial}), signed by {self.organisation} "
            f"until {self.valid_until.isoformat()}",
            "policy.label",
            policy=self.short,
            serial=self.serial,
            organisation=self.organisation,
            valid_until=self.valid_until,
        )

    def approver(self, fingerprint: str) -> Approver | None:
        return next((a for a in self.approvers if a.fingerprint == fingerprint), None)

    def valid_at(self, moment: dt.datetime) -> bool:
        """Whether ``moment`` (UTC) falls in the validity period (both days included)."""
        day = moment.astimezone(dt.UTC).date()
        return self.valid_from <= day <= self.valid_until

    @property
    def ends_at(self) -> dt.datetime:
        """The first moment the policy no longer holds (midnight UTC after valid_until), as
        a decision's ``expires_at`` marks the end of the day the approver chose."""
        return dt.datetime.combine(self.valid_until + dt.timedelta(days=1), dt.time(), dt.UTC)

    def bound_expiry(self, expires_at: str | None) -> str | None:
        """A decision's ``expires_at`` bounded by this policy: an approval granted under a
        policy holds no longer than the policy (one without an expiry, or expiring later,
        ends when the policy does). A malformed ``expires_at`` is returned as it is."""
        end = signing.iso_utc(self.ends_at)
        if expires_at is None:
            return end
        try:
            later = signing.parse_iso_utc(expires_at) > self.ends_at
        except ValueError:
            return expires_at
        return end if later else expires_at

    def validity_problem(self, moment: dt.datetime) -> str | None:
        day = moment.astimezone(dt.UTC).date()
        if day < self.valid_from:
            return Sentence(
                f"the organisation's policy {self.short} is valid only from {self.valid_from}",
                "policy.not_yet_valid",
                policy=self.short,
                valid_from=self.valid_from,
            )
        if day > self.valid_until:
            return Sentence(
                f"the organisation's policy {self.short} expired on {self.valid_until}",
                "policy.expired",
                policy=self.short,
                valid_until=self.valid_until,
            )
        return None

    def approval_policy(self) -> ApprovalPolicy:
        """The rules as the evaluator takes them (needs the full bundle)."""
        if self.rules is None:
            raise PolicyBundleError(
                Sentence(
                    "only the public part of the policy is known here", "policy_bundle.public_only"
                )
            )
        rules = self.rules
        return ApprovalPolicy(
            discount_authority=dict(self.discount_authority),
            margin_floor_percent=Decimal(str(rules["margin_floor_percent"])),
            max_term_months=int(rules["max_term_months"]),
            min_escalator_percent=Decimal(str(rules["min_escalator_percent"])),
            max_payment_terms_days=int(rules["max_payment_terms_days"]),
            custom_attribution_needs_approval=bool(rules["custom_attribution_needs_approval"]),
            outcome_without_minimum_needs_approval=bool(
                rules["outcome_without_minimum_needs_approval"]
            ),
        )


def policy_fingerprint(header: Mapping[str, Any]) -> str:
    return hashlib.sha256(signing.canonical_payload(header)).hexdigest()


def rules_commitment(rules: Mapping[str, Any]) -> str:
    return hashlib.sha256(signing.canonical_payload(rules)).hexdigest()


AUTHORITY_PROOF_FORMAT = "quote-builder/authority-proof"


def basis_points(percent: Decimal) -> int:
    """A discount in basis points, rounded up (12.341 % -> 1235): a proof for the
    rounded-up figure also covers the exact one."""
    return max(0, math.ceil(percent * 100))


@functools.lru_cache(maxsize=64)
def _chain(start_hex: str, steps: int) -> str:
    value = bytes.fromhex(start_hex)
    for _ in range(steps):
        value = hashlib.sha256(value).digest()
    return value.hex()


def authority_commitment(percent: str, seed: str) -> str:
    """The end of a role's chain: SHA-256 applied (authority in basis points) times."""
    return _chain(seed, basis_points(Decimal(percent)))


def authority_proof(policy: VerifiedPolicy, role: str, discount: Decimal) -> dict[str, Any] | None:
    """Evidence, for a customer's PDF, that ``discount`` lies within ``role``'s authority,
    revealing nothing more about the authority; None when it does not lie within it, or
    when the policy has no chains (format 1: its header shows the authority anyway)."""
    if policy.rules is None or role not in policy.authority_commitments:
        return None
    entry = policy.rules.get("discount_authority", {}).get(role)
    if not isinstance(entry, dict):
        return None
    limit, needed = basis_points(Decimal(str(entry["percent"]))), basis_points(discount)
    if needed > limit:
        return None
    return {
        "format": AUTHORITY_PROOF_FORMAT,
        "role": role,
        "basis_points": needed,
        "value": _chain(str(entry["seed"]), limit - needed),
    }


def proves_authority(policy: VerifiedPolicy, proof: Any, role: str, discount: Decimal) -> bool:
    """Whether ``proof`` shows ``discount`` within ``role``'s committed authority."""
    if not isinstance(proof, dict) or proof.get("format") != AUTHORITY_PROOF_FORMAT:
        return False
    commitment = policy.authority_commitments.get(role)
    steps, value = proof.get("basis_points"), proof.get("value")
    if (
        commitment is None
        or proof.get("role") != role
        or isinstance(steps, bool)
        or not isinstance(steps, int)
        or not isinstance(value, str)
        or not 0 <= steps <= 10_000
        or steps < basis_points(discount)
        or len(value) != 64
    ):
        return False
    try:
        return _chain(value, steps) == commitment
    except ValueError:
        return False


# --- the source the deal desk writes -------------------------------------------------------


def policy_source_template(
    policy: ApprovalPolicy, *, organisation: str, today: dt.date
) -> dict[str, Any]:
    """A policy source to edit and sign: today's numbers, valid for a year, serial 1 and
    an example approver to replace."""
    snapshot = policy.snapshot()
    return {
        "organisation": organisation,
        "serial": 1,
        "valid_from": today.isoformat(),
        "valid_until": (today.replace(year=today.year + 1) - dt.timedelta(days=1)).isoformat(),
        "discount_authority": snapshot["discount_authority"],
        **{name: snapshot[name] for name in RULE_FIELDS},
        "approvers": [
            {
                "name": "Dana Whitfield",
                "role": "deal_desk",
                "public_key": "paste the approver's public key (ed25519 ...) here",
            }
        ],
    }


def _percent(value: Any, field: str, problems: list[str]) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        problems.append(f"{field}: give a percent from 0 to 100 (got {value!r})")
        return "0"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.append(f"{field}: not a number (got {value!r})")
        return "0"
    if not number.is_finite() or not 0 <= number <= 100:
        problems.append(f"{field}: must be from 0 to 100 (it is a percent)")
        return "0"
    return format(number.normalize(), "f")


def _whole(value: Any, field: str, low: int, high: int, problems: list[str]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.append(f"{field}: give a whole number from {low} to {high} (got {value!r})")
        return low
    return value


def _date(value: Any, field: str, problems: list[str]) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{field}: give a date as YYYY-MM-DD (got {value!r})")
        return dt.date.min


def parse_source(data: Any) -> dict[str, Any]:
    """The policy source checked: a dict ready for the header and the rules. Every
    problem is a ``field: reason`` line (PolicyBundleError lists them)."""
    if not isinstance(data, dict):
        raise PolicyBundleError(
            Sentence("the policy source is not a JSON object", "policy_bundle.source_not_object")
        )
    problems: list[str] = []
    known = {"organisation", "serial", "valid_from", "valid_until", "discount_authority"}
    known |= {"approvers", *RULE_FIELDS}
    problems += [f"{name}: not a policy field" for name in sorted(set(data) - known)]
    organisation = data.get("organisation")
    if not isinstance(organisation, str) or not organisation.strip():
        problems.append("organisation: give the organisation's name")
        organisation = ""
    serial = _whole(data.get("serial"), "serial", 1, 10**9, problems)
    valid_from = _date(data.get("valid_from"), "valid_from", problems)
    valid_until = _date(data.get("valid_until"), "valid_until", problems)
    if valid_from != dt.date.min and valid_until != dt.date.min and valid_until < valid_from:
        problems.append("valid_until: must not be before valid_from")
    authority_in = data.get("discount_authority")
    authority: dict[str, str] = {}
    if not isinstance(authority_in, dict) or set(authority_in) != set(ROLES):
        problems.append(f"discount_authority: give a percent for each of {', '.join(ROLES)}")
    else:
        previous = Decimal(0)
        for role in ROLES:
            text = _percent(authority_in[role], f"discount_authority.{role}", problems)
            if Decimal(text) != Decimal(text).quantize(Decimal("0.01")):
                problems.append(
                    f"discount_authority.{role}: give at most two decimals (got {text})"
                )
            if Decimal(text) < previous:
                problems.append(
                    f"discount_authority.{role}: must be at least the role before it ({previous})"
                )
            previous = max(previous, Decimal(text))
            authority[role] = text
    rules: dict[str, Any] = {
        "margin_floor_percent": _percent(
            data.get("margin_floor_percent"), "margin_floor_percent", problems
        ),
        "max_term_months": _whole(data.get("max_term_months"), "max_term_months", 1, 120, problems),
        "min_escalator_percent": _percent(
            data.get("min_escalator_percent"), "min_escalator_percent", problems
        ),
        "max_payment_terms_days": _whole(
            data.get("max_payment_terms_days"), "max_payment_terms_days", 0, 365, problems
        ),
    }
    for flag in ("custom_attribution_needs_approval", "outcome_without_minimum_needs_approval"):
        if not isinstance(data.get(flag), bool):
            problems.append(f"{flag}: give true or false")
        rules[flag] = bool(data.get(flag))
    approvers = _approvers(data.get("approvers"), problems)
    if problems:
        raise PolicyBundleError("the policy source has problems:\n" + "\n".join(problems))
    return {
        "organisation": organisation.strip(),
        "serial": serial,
        "valid_from": valid_from.isoformat(),
        "valid_until": valid_until.isoformat(),
        "discount_authority": authority,
        "approvers": approvers,
        "rules": rules,
    }


def _approvers(value: Any, problems: list[str]) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        problems.append("approvers: list at least one approver (name, role, public_key)")
        return []
    result: list[dict[str, str]] = []
    names: set[str] = set()
    prints: set[str] = set()
    for i, entry in enumerate(value, start=1):
        field = f"approvers[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{field}: give name, role and public_key")
            continue
        name = entry.get("name")
        role = entry.get("role")
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{field}.name: give the approver's name")
            continue
        odd = user_name_problem(name)
        if odd is not None:
            problems.append(f"{field}.name: the name {name.strip()!r} {odd}")
            continue
        if role not in ROLES:
            problems.append(f"{field}.role: must be one of {', '.join(ROLES)} (got {role!r})")
            continue
        try:
            public = signing.public_key_from_text(str(entry.get("public_key", "")))
        except signing.ApprovalSigningError as exc:
            problems.append(f"{field}.public_key: {exc}")
            continue
        folded = same_person_key(name)
        print_ = signing.fingerprint(public)
        if folded in names:
            problems.append(f"{field}.name: {name.strip()!r} is listed twice")
        if print_ in prints:
            problems.append(f"{field}.public_key: the same key is listed twice")
        names.add(folded)
        prints.add(print_)
        result.append({"name": " ".join(name.split()), "role": str(role), "public_key": public})
    return result


def same_person_key(name: str) -> str:
    """How names are compared for separation of duties (``user.person_key``: NFKC, no
    invisible characters, spaces collapsed, casefolded, look-alike Cyrillic and Greek
    letters read as Latin)."""
    return person_key(name)


# --- signing and verifying ---------------------------------------------------------------


def sign_policy(
    source: Any, org_key_file: bytes, passphrase: str, *, now: dt.datetime
) -> dict[str, Any]:
    """The signed bundle for a policy source, signed with the organisation key."""
    checked = parse_source(source)
    try:
        private = keyfile.decrypt_private_key(org_key_file, passphrase)
    except keyfile.KeyFileError as exc:
        raise PolicyBundleError(
            Sentence(
                f"organisation key: {exc}",
                "policy_bundle.organisation_key",
                problem=sentence_of(exc),
            )
        ) from None
    org_public = base64.b64encode(
        private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
    ).decode("ascii")
    authority = {
        role: {"percent": percent, "seed": secrets.token_hex(32)}
        for role, percent in checked["discount_authority"].items()
    }
    rules = {"salt": secrets.token_hex(16), **checked["rules"], "discount_authority": authority}
    header = {
        "format": HEADER_FORMAT,
        "format_version": 2,
        "organisation": {"name": checked["organisation"], "public_key": org_public},
        "serial": checked["serial"],
        "issued_at": signing.iso_utc(now),
        "valid_from": checked["valid_from"],
        "valid_until": checked["valid_until"],
        "authority_commitments": {
            role: authority_commitment(entry["percent"], entry["seed"])
            for role, entry in authority.items()
        },
        "approvers": checked["approvers"],
        "rules_commitment": rules_commitment(rules),
    }
    return {
        "format": BUNDLE_FORMAT,
        "header": header,
        "signature": _sign(private, header),
        "rules": rules,
    }


def _sign(private: Ed25519PrivateKey, payload: Mapping[str, Any]) -> str:
    return base64.b64encode(private.sign(signing.canonical_payload(payload))).decode("ascii")


def public_part(
    bundle: Mapping[str, Any], *, proof: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The header and its signature, and the proof that the quote's discount lies within
    the authority of the role that approved it (``authority_proof``): what a customer's
    PDF may carry. The authority itself stays in the rules."""
    public = {"format": PUBLIC_FORMAT, "header": bundle["header"], "signature": bundle["signature"]}
    if proof is not None:
        public["authority_proof"] = dict(proof)
    return public


def verify_bundle(bundle: Any) -> VerifiedPolicy:
    """A full bundle (header, signature, rules) checked: format, the organisation's
    signature over the header, the rules against the signed commitment."""
    if not isinstance(bundle, dict) or bundle.get("format") != BUNDLE_FORMAT:
        raise PolicyBundleError(
            Sentence("not a Quote Builder policy bundle", "policy_bundle.not_a_bundle")
        )
    verified = _verify_header(bundle)
    rules = bundle.get("rules")
    if not isinstance(rules, dict) or rules_commitment(rules) != bundle["header"].get(
        "rules_commitment"
    ):
        raise PolicyBundleError(
            Sentence(
                "the policy's rules do not match what the organisation signed: "
                "the bundle was changed after it was signed",
                "policy_bundle.rules_changed",
            )
        )
    problems: list[str] = []
    for name in RULE_FIELDS:
        if name not in rules:
            problems.append(name)
    if problems:
        raise PolicyBundleError(
            Sentence(
                f"the policy's rules lack {', '.join(problems)}",
                "policy_bundle.rules_lack",
                fields=problems,
            )
        )
    authority = dict(verified.discount_authority)
    if verified.authority_commitments:
        authority = _committed_authority(rules.get("discount_authority"), verified)
    return VerifiedPolicy(
        **{**verified.__dict__, "rules": dict(rules), "discount_authority": authority}
    )


def _committed_authority(entries: Any, verified: VerifiedPolicy) -> dict[str, Decimal]:
    """The authority per role from the rules, each checked against its chain end."""
    malformed = PolicyBundleError(
        Sentence(
            "the policy's discount authority is malformed", "policy_bundle.authority_malformed"
        )
    )
    if not isinstance(entries, dict) or set(entries) != set(ROLES):
        raise malformed
    authority: dict[str, Decimal] = {}
    for role in ROLES:
        entry = entries[role]
        try:
            percent = Decimal(str(entry["percent"]))
            seed = str(entry["seed"])
            if not percent.is_finite() or not 0 <= percent <= 100 or len(seed) != 64:
                raise ValueError(role)
            end = authority_commitment(str(entry["percent"]), seed)
        except (KeyError, TypeError, ValueError, InvalidOperation):
            raise malformed from None
        if end != verified.authority_commitments[role]:
            raise PolicyBundleError(
                Sentence(
                    f"the {ROLE_TITLES[role]}'s discount authority does not match what the "
                    "organisation signed",
                    "policy_bundle.authority_changed",
                    role=role,
                )
            )
        authority[role] = percent
    return authority


def verify_public(public: Any) -> VerifiedPolicy:
    """The public part (from a PDF): the header and the organisation's signature."""
    if not isinstance(public, dict) or public.get("format") not in (PUBLIC_FORMAT, BUNDLE_FORMAT):
        raise PolicyBundleError(
            Sentence("not a Quote Builder policy", "policy_bundle.not_a_policy")
        )
    return _verify_header(public)


def _verify_header(data: Mapping[str, Any]) -> VerifiedPolicy:
    header, signature = data.get("header"), data.get("signature")
    if not isinstance(header, dict) or header.get("format") != HEADER_FORMAT:
        raise PolicyBundleError(Sentence("the policy has no header", "policy_bundle.no_header"))
    if header.get("format_version") not in (1, 2):
        raise PolicyBundleError(
            Sentence(
                f"the policy has format version {header.get('format_version')!r}, which this "
                "version of Quote Builder does not know; update Quote Builder",
                "policy_bundle.format_version",
                version=header.get("format_version"),
            )
        )
    if not isinstance(signature, str):
        raise PolicyBundleError(Sentence("the policy is not signed", "policy_bundle.not_signed"))
    try:
        organisation = header["organisation"]
        org_public = signing.public_key_from_text(str(organisation["public_key"]))
        org_name = str(organisation["name"])
        serial = header["serial"]
        if isinstance(serial, bool) or not isinstance(serial, int):
            raise TypeError("serial")
        issued_at = signing.parse_iso_utc(str(header["issued_at"]))
        valid_from = dt.date.fromisoformat(str(header["valid_from"]))
        valid_until = dt.date.fromisoformat(str(header["valid_until"]))
        commitments: dict[str, str] = {}
        if header["format_version"] == 1:
            authority = {
                str(role): Decimal(str(value))
                for role, value in header["discount_authority"].items()
            }
            roles = set(authority)
        else:
            authority = {}
            commitments = {str(r): str(v) for r, v in header["authority_commitments"].items()}
            if any(len(v) != 64 for v in commitments.values()):
                raise ValueError("authority_commitments")
            roles = set(commitments)
        approvers = tuple(
            Approver(
                str(a["name"]),
                str(a["role"]),
                signing.public_key_from_text(str(a["public_key"])),
                signing.fingerprint(signing.public_key_from_text(str(a["public_key"]))),
            )
            for a in header["approvers"]
        )
        if not isinstance(header["rules_commitment"], str):
            raise TypeError("rules_commitment")
    except (KeyError, TypeError, ValueError, AttributeError, InvalidOperation, UserFacingError):
        raise PolicyBundleError(
            Sentence("the policy is malformed", "policy_bundle.malformed")
        ) from None
    if roles != set(ROLES) or any(a.role not in ROLES for a in approvers):
        raise PolicyBundleError(
            Sentence("the policy is malformed (roles)", "policy_bundle.malformed_roles")
        )
    if not signing.verify(header, signature, org_public):
        raise PolicyBundleError(
            Sentence(
                "the policy's signature does not verify: it was changed after the organisation "
                "signed it",
                "policy_bundle.bad_signature",
            )
        )
    return VerifiedPolicy(
        fingerprint=policy_fingerprint(header),
        organisation=org_name,
        org_public_key=org_public,
        org_fingerprint=signing.fingerprint(org_public),
        serial=serial,
        issued_at=issued_at,
        valid_from=valid_from,
        valid_until=valid_until,
        discount_authority=authority,
        approvers=approvers,
        rules=None,
        authority_commitments=commitments,
    )


# --- what an approver may approve ----------------------------------------------------------


def role_rank(role: str | None) -> int:
    return ROLES.index(role) if role in ROLES else -1


def authority_problem(
    policy: VerifiedPolicy,
    approver: Approver,
    *,
    discount: Decimal,
    required_role: str | None,
    proof: Any = None,
) -> str | None:
    """Why ``approver`` may not approve a quote with this effective discount that the
    policy sends to ``required_role``; None when they may. From a PDF's public part the
    limit is not known and ``proof`` (``authority_proof``) must show the discount within
    it."""
    if role_rank(approver.role) < role_rank(required_role):
        return Sentence(
            f"{approver.name} approves as {approver.role_title}, but this quote needs "
            f"the {ROLE_TITLES.get(required_role or '', required_role)}",
            "authority.role",
            name=approver.name,
            role=approver.role,
            required_role=required_role or "",
        )
    if approver.role not in policy.discount_authority and policy.authority_commitments:
        if proves_authority(policy, proof, approver.role, discount):
            return None
        return Sentence(
            f"nothing in the document shows the {discount}% discount within the "
            f"{approver.role_title}'s authority",
            "authority.unproven",
            discount=discount,
            role=approver.role,
        )
    limit = policy.discount_authority.get(approver.role, Decimal(0))
    if discount > limit:
        return Sentence(
            f"the effective discount is {discount}%, above the {approver.role_title}'s "
            f"{format(limit.normalize(), 'f')}% authority",
            "authority.discount",
            discount=discount,
            role=approver.role,
            limit=limit,
        )
    return None
