"""The seller profile and the deal-desk policy numbers (one row).

With an organisation policy installed (services.policy), the policy numbers are the
policy's: ``get_settings`` shows them (whatever the columns hold), says where they come
from (``policy_label``) and lists any column that disagrees with the policy
(``drift``: someone edited the database by hand); ``update_settings`` refuses to change
them."""

from __future__ import annotations

import json
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import SkipValidation, ValidationError

from quote_builder.approvals.policy import ApprovalPolicy
from quote_builder.errors import Sentence
from quote_builder.pricing import QuoteDocument
from quote_builder.pricing.languages import LANGUAGES
from quote_builder.pricing.legal import (
    NONE_WHEN_BLANK,
    LegalFrame,
    LegalTexts,
    legal_texts_from_json,
    legal_texts_json,
    merged_frame,
    seller_frame,
    unset_jurisdiction,
)
from quote_builder.store import repositories as repo
from quote_builder.store.columns import utcnow
from quote_builder.store.database import Database
from quote_builder.store.models import Settings, SettingsBase

from .core import Changes, InvalidInputError, Outcome, problems_from
from .currencies import RateChange
from .customers import check_version

ROLES = ("rep", "manager", "deal_desk")
MAX_LOGO_BYTES = 5 * 1024 * 1024
"""A logo is printed a few centimetres wide: 5 MB is plenty. A larger file would be read
whole by every render (a 400 MB file was)."""


def logo_problem(path: str) -> str | None:
    """Why the logo at ``path`` cannot be printed, or None. Checked when the logo is
    chosen and before every render; the renderer itself never reads more than the limit."""
    logo = Path(path).expanduser()
    try:
        info = logo.stat()
    except OSError:
        return Sentence(f"no such file: {path}", "logo.missing", path=path)
    if not stat.S_ISREG(info.st_mode):
        return Sentence(f"not a file: {path}", "logo.not_a_file", path=path)
    if info.st_size > MAX_LOGO_BYTES:
        size = (Decimal(info.st_size) / 1024 / 1024).quantize(Decimal("0.1"))
        return Sentence(
            f"the file is {info.st_size / 1024 / 1024:,.1f} MB; a logo may be at most "
            f"{MAX_LOGO_BYTES // 1024 // 1024} MB (save a smaller image)",
            "logo.too_large",
            size=size,
            limit=MAX_LOGO_BYTES // 1024 // 1024,
        )
    return None


GOVERNED = {
    "margin_floor_percent": "Margin floor",
    "discount_authority_json": "Discount authority",
    "approval_term_months": "Longest term without approval",
    "min_escalator_percent": "Lowest escalator",
    "max_payment_terms_days": "Longest payment terms",
    "custom_attribution_needs_approval": "A custom attribution method needs approval",
    "outcome_without_minimum_needs_approval": "Outcome pricing without a minimum needs approval",
}
"""The settings an organisation policy governs, with the labels the Settings page uses."""


class SettingsPublic(SettingsBase):
    version_id: int
    policy_label: SkipValidation[str] = ""
    """Where the governed numbers come from ("policy 3f2a:… (serial 2), signed by Acme
    until 2027-03-31"); empty without an organisation policy. A ``Sentence`` (kept as it
    is, not made a plain ``str``), like the two fields below: the app writes them in its
    language."""
    policy_expired: bool = False
    policy_problem: SkipValidation[str] = ""
    """Why the installed policy cannot be used (its bundle fails its check)."""
    drift: SkipValidation[list[str]] = []
    """Governed columns whose stored value differs from the policy (edited by hand)."""
    policy_pinned: SkipValidation[str] = ""
    """The organisation key an administrator pinned on this computer, as a sentence (empty:
    none pinned): only policies and approvals under it count here."""

    @property
    def governed(self) -> bool:
        return bool(self.policy_label or self.policy_problem)

    def stored_legal_frame(self) -> LegalFrame:
        """The legal frame as the settings keep it: the fields the seller gave (its
        ``model_fields_set``), the shipped defaults for the others."""
        return LegalFrame.model_validate_json(self.legal_frame_json or "{}")

    def legal_frame(self) -> LegalFrame:
        """The seller's legal frame as its order forms use it: defaults for what is not
        set, except the governing law and courts of a seller outside the United States,
        which are blank until it gives them (``pricing.legal.seller_frame``)."""
        from .tax import country_code

        return seller_frame(self.stored_legal_frame(), country_code(self.seller_country))

    def jurisdiction_unset(self) -> tuple[str, ...]:
        """The governing law and courts fields this seller's order forms lack (empty for a
        seller in the United States or without a country, and once given)."""
        return unset_jurisdiction(self.legal_frame())

    def legal_texts(self) -> dict[str, LegalTexts]:
        """The frame's texts in other languages, by language (none given: empty)."""
        return legal_texts_from_json(self.legal_texts_json or "{}")

    def discount_authority(self) -> dict[str, Decimal]:
        values = _authority(self.discount_authority_json)
        if values is None:
            raise InvalidInputError(
                [
                    Sentence(
                        f"Discount authority: the database holds '{self.discount_authority_json}', "
                        "not a percent per role (it was changed outside Quote Builder); set "
                        "the discount authority again in Settings",
                        "settings.authority_unreadable",
                        stored=self.discount_authority_json,
                    )
                ]
            )
        return values


def _authority(text: str) -> dict[str, Decimal] | None:
    """The discount authority per role as the settings row keeps it, or None when the row
    holds something else (edited by hand: not JSON, not an object, not numbers)."""
    try:
        values = json.loads(text)
        if not isinstance(values, dict):
            return None
        return {str(role): Decimal(str(value)) for role, value in values.items()}
    except (ValueError, TypeError, ArithmeticError, RecursionError):
        return None


def jurisdiction_unset(settings: SettingsPublic, document: QuoteDocument) -> tuple[str, ...]:
    """The governing law and courts a quote's order form lacks under these settings: the
    seller's frame as its order forms use it (``SettingsPublic.legal_frame``) with the
    quote's own (``contract.legal``); empty when both are set. No database: the editor
    asks after every edit."""
    return unset_jurisdiction(merged_frame(settings.legal_frame(), document.contract.legal))


def _same(field: str, a: Any, b: Any) -> bool:
    if field == "discount_authority_json":
        da = _authority(a)
        return da is not None and da == _authority(b)
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return Decimal(str(a)) == Decimal(str(b))
    return bool(a == b)


def _shown(field: str, value: Any) -> str:
    if field == "discount_authority_json":
        values = _authority(value)
        if values is None:  # edited by hand into something else: shown as it is
            return repr(value)
        return ", ".join(f"{r.replace('_', ' ')} {values[r]} %" for r in ROLES if r in values)
    return str(value)


def get_settings(db: Database) -> SettingsPublic:
    from .policy import governed_values, policy_status

    with db.read() as session:
        row = repo.get_settings(session)
        if row is None:
            base = {**SettingsBase().model_dump(), "version_id": 0}
        else:
            base = SettingsPublic.model_validate(row, from_attributes=True).model_dump()
    status = policy_status(db)
    if status.pinned is not None:
        pin = status.pinned
        base["policy_pinned"] = Sentence(
            f"The organisation key {pin.short} is pinned on this computer (in {pin.path}): only "
            "policies and approvals signed under it count here.",
            "settings.pinned",
            key=pin.short,
            path=pin.path,
        )
    if status.problem:
        return SettingsPublic.model_validate({**base, "policy_problem": status.problem})
    if status.policy is None:
        return SettingsPublic.model_validate(base)
    policy = status.policy
    values = governed_values(policy)
    drift: list[str] = [
        Sentence(
            f"{GOVERNED[field]}: the database says {_shown(field, base[field])}, the policy "
            f"{_shown(field, value)}; the policy's value counts",
            "settings.drift",
            field=field,
            stored=base[field],
            policy=value,
        )
        for field, value in values.items()
        if not _same(field, base[field], value)
    ]
    return SettingsPublic.model_validate(
        {
            **base,
            **values,
            "policy_label": policy.label,
            "policy_expired": utcnow().date() > policy.valid_until,
            "drift": drift,
        }
    )


def settings_policy(db: Database) -> ApprovalPolicy:
    """The approval policy in this database's settings (no organisation policy: the
    single-user set-up, unverified)."""
    with db.read() as session:
        row = repo.get_settings(session)
        settings = (
            SettingsPublic.model_validate(row, from_attributes=True)
            if row is not None
            else SettingsPublic.model_validate({**SettingsBase().model_dump(), "version_id": 0})
        )
    return ApprovalPolicy(
        discount_authority=settings.discount_authority(),
        margin_floor_percent=Decimal(settings.margin_floor_percent),
        max_term_months=settings.approval_term_months,
        min_escalator_percent=Decimal(settings.min_escalator_percent),
        max_payment_terms_days=settings.max_payment_terms_days,
        custom_attribution_needs_approval=settings.custom_attribution_needs_approval,
        outcome_without_minimum_needs_approval=settings.outcome_without_minimum_needs_approval,
    )


def _check_authority(value: Any) -> str:
    if isinstance(value, str):
        value = json.loads(value)
    if not isinstance(value, dict) or set(value) - set(ROLES):
        raise InvalidInputError(
            [
                Sentence(
                    f"discount_authority: give a percent for each of {', '.join(ROLES)}",
                    "settings.authority_roles",
                )
            ]
        )
    checked = {}
    for role, percent in value.items():
        number = Decimal(str(percent))
        if not 0 <= number <= 100:
            raise InvalidInputError(
                [
                    Sentence(
                        f"discount_authority.{role}: must be from 0 to 100",
                        "settings.authority_range",
                        role=role,
                    )
                ]
            )
        checked[role] = str(number)
    return json.dumps(checked, sort_keys=True)


LEGAL_FIELD_TITLES = {
    "agreement": "Governing agreement",
    "agreement_reference": "Agreement date, version or URL",
    "precedence": "Order of precedence",
    "governing_law": "Governing law",
    "venue": "Courts",
    "liability_cap_months": "Liability cap (months of fees)",
    "confidentiality_years": "Confidentiality (years after the term)",
    "data_processing": "Data protection terms",
    "customer_data_trains_models": "Customer data trains models",
    "model_providers": "Sub-processors and model providers",
    "subprocessor_notice_days": "Notice of a new sub-processor (days)",
    "retention_days": "Data deleted after the term within (days)",
    "service_levels": "Service levels",
    "late_interest_percent_per_month": "Late payment interest (% a month)",
    "suspension_after_days": "Suspension when overdue (days)",
    "cure_days": "Days to cure a breach",
    "termination_for_convenience": "Termination for convenience",
    "convenience_notice_days": "Notice for convenience (days)",
    "renewal_increase_percent": "Price increase on renewal (%)",
    "independent_auditor": "Independent auditor",
    "offer_valid_days": "Offer valid for (days)",
    "seller_notices": "Notices to us",
    "customer_notices": "Notices to the customer",
}
"""The legal frame's fields as the settings form labels them (for messages)."""


def _check_legal_frame(value: Any) -> str:
    """A legal frame (a mapping or a LegalFrame) as JSON; problems named as the form names
    the fields ("Legal frame, Governing law: ..."). Only the fields given are kept (a blank
    one is not given): the governing law and courts a seller outside the United States
    left blank stay not set, never the shipped New York ones (``pricing.legal``). A blank
    agreement or data protection terms (``NONE_WHEN_BLANK``) is given: the seller has none."""
    if isinstance(value, LegalFrame):
        return value.model_dump_json(exclude_unset=True)
    if not isinstance(value, dict):
        raise InvalidInputError(
            [Sentence("legal_frame: give the legal frame's fields", "settings.legal_frame")]
        )
    cleaned = {
        k: v for k, v in value.items() if v is not None and (v != "" or k in NONE_WHEN_BLANK)
    }
    try:
        frame = LegalFrame.model_validate(cleaned)
    except ValidationError as exc:
        problems: list[str] = []
        for line in problems_from(exc):
            field, _, reason = line.partition(": ")
            problems.append(
                Sentence(
                    f"Legal frame, {LEGAL_FIELD_TITLES.get(field, field)}: {reason}",
                    "settings.legal_field",
                    field=field,
                    problem=line,
                )
            )
        raise InvalidInputError(problems) from None
    return frame.model_dump_json(exclude_unset=True)


def _check_legal_texts(value: Any) -> str:
    """Clause texts by language (``{"de": {"governing_law": "..."}}``) as JSON; problems
    named as the form names them ("Legal frame in German, Governing law: ...")."""
    if not isinstance(value, dict):
        raise InvalidInputError(
            [Sentence("legal_texts: give the texts by language", "settings.legal_texts")]
        )
    problems: list[str] = []
    for language, texts in value.items():
        if language not in LANGUAGES or language == "en":
            problems.append(
                Sentence(
                    f"Legal frame texts: {language!r} is not one of the other document languages "
                    f"({', '.join(code for code in LANGUAGES if code != 'en')})",
                    "settings.legal_language",
                    language=language,
                    languages=[code for code in LANGUAGES if code != "en"],
                )
            )
            continue
        try:
            LegalTexts.model_validate(texts)
        except ValidationError as exc:
            for line in problems_from(exc):
                field, _, reason = line.partition(": ")
                title = LEGAL_FIELD_TITLES.get(field, field)
                problems.append(
                    Sentence(
                        f"Legal frame in {LANGUAGES[language]}, {title}: {reason}",
                        "settings.legal_text_field",
                        language=language,
                        field=field,
                        problem=line,
                    )
                )
    if problems:
        raise InvalidInputError(problems)
    return legal_texts_json(value)


def update_settings(
    db: Database, /, *, expected_version: int, actor: str, **changes: Any
) -> Outcome[SettingsPublic]:
    """Save settings. With an organisation policy installed, a change to a number it
    governs is refused (the same value is accepted: the form sends every field), and the
    governed columns are written with the policy's values."""
    from .policy import PolicyTamperedError, governed_values, installed_policy

    if "legal_frame" in changes:
        changes["legal_frame_json"] = _check_legal_frame(changes.pop("legal_frame"))
    if "legal_texts" in changes:
        changes["legal_texts_json"] = _check_legal_texts(changes.pop("legal_texts"))
    if "discount_authority" in changes:
        changes["discount_authority_json"] = _check_authority(changes.pop("discount_authority"))
    if "seller_tax_id" in changes or "seller_country" in changes:
        from .tax import country_code, normalized, tax_id_problems

        current = get_settings(db)
        country = changes.get("seller_country", current.seller_country) or ""
        tax_id = normalized(changes.get("seller_tax_id", current.seller_tax_id)) or ""
        problems = tax_id_problems(country, tax_id, field="Seller tax ID")
        if country.strip() and not country_code(country):
            problems.insert(
                0,
                Sentence(
                    f"Seller country: {country} is not a country; pick one from the list.",
                    "settings.seller_country",
                    country=country,
                ),
            )
        if problems:
            raise InvalidInputError(problems)
        if "seller_tax_id" in changes:
            changes["seller_tax_id"] = tax_id
    if changes.get("logo_path"):
        problem = logo_problem(str(changes["logo_path"]))
        if problem is not None:
            raise InvalidInputError(
                [Sentence(f"logo_path: {problem}", "settings.logo", problem=problem)]
            )
    frozen = False
    try:
        policy = installed_policy(db)
    except PolicyTamperedError:
        policy, frozen = None, True
    forced: dict[str, Any] = {}
    label = ""
    if policy is not None:
        forced = governed_values(policy)
        label = f"set by the organisation's {policy.label}"
    elif frozen:
        # A bundle that fails its check still governs: its numbers cannot be edited here.
        current = get_settings(db)
        forced = {field: getattr(current, field) for field in GOVERNED}
        label = "governed by the organisation's policy, which fails its check"
    refused: list[str] = [
        Sentence(
            f"{GOVERNED[field]}: {label}; it cannot be changed here "
            "(the deal desk publishes a new policy to change it)",
            "settings.governed" if policy is not None else "settings.governed_frozen",
            field=field,
            policy=policy.label if policy is not None else "",
        )
        for field, value in changes.items()
        if field in forced and not _same(field, value, forced[field])
    ]
    if refused:
        raise InvalidInputError(refused)
    with db.write() as session:
        row = repo.get_settings(session)
        if row is None:
            row = Settings(id=repo.SETTINGS_ID, version_id=0)
        if row.version_id and row.version_id != expected_version:
            check_version(row, expected_version, Sentence("The settings", "what.settings"))
        merged = {
            **SettingsBase.model_validate(row, from_attributes=True).model_dump(),
            **changes,
            **forced,
        }
        try:
            valid = SettingsBase.model_validate(merged)
        except ValidationError as exc:
            raise InvalidInputError(problems_from(exc)) from None
        for key, value in valid.model_dump().items():
            setattr(row, key, value)
        if not row.version_id:
            row.version_id = 1
        row.updated_at = utcnow()
        row.updated_by = actor
        session.add(row)
        session.flush()
    return Outcome(get_settings(db), Changes.of(settings=True))


def save_settings_page(
    db: Database,
    /,
    *,
    settings: dict[str, Any] | None,
    expected_version: int,
    rates: list[RateChange],
    actor: str,
) -> Outcome[SettingsPublic]:
    """The Settings page's Save: its fields (``update_settings``, None when they are
    unchanged) and its exchange-rate changes (``currencies.save_exchange_rates``) in one
    transaction. A refusal of either (a field, a rate's row, someone else's change since the
    page loaded) saves nothing of both."""
    from .currencies import save_exchange_rates

    with db.write():
        if settings is not None:
            update_settings(db, expected_version=expected_version, actor=actor, **settings)
        if rates:
            save_exchange_rates(db, rates, actor=actor)
        saved = get_settings(db)
    return Outcome(saved, Changes.of(settings=True))
