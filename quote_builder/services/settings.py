"""The seller profile and the deal-desk policy numbers (one row)."""

from __future__ import annotations

import json
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from quote_builder.pricing.legal import LegalFrame
from quote_builder.store import repositories as repo
from quote_builder.store.columns import utcnow
from quote_builder.store.database import Database
from quote_builder.store.models import Settings, SettingsBase

from .core import Changes, InvalidInputError, Outcome, problems_from
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
        return f"no such file: {path}"
    if not stat.S_ISREG(info.st_mode):
        return f"not a file: {path}"
    if info.st_size > MAX_LOGO_BYTES:
        return (
            f"the file is {info.st_size / 1024 / 1024:,.1f} MB; a logo may be at most "
            f"{MAX_LOGO_BYTES // 1024 // 1024} MB (save a smaller image)"
        )
    return None


class SettingsPublic(SettingsBase):
    version_id: int

    def legal_frame(self) -> LegalFrame:
        """The seller's legal frame for order forms (defaults for what is not set)."""
        return LegalFrame.model_validate_json(self.legal_frame_json or "{}")

    def discount_authority(self) -> dict[str, Decimal]:
        return {
            role: Decimal(str(value))
            for role, value in json.loads(self.discount_authority_json).items()
        }


def get_settings(db: Database) -> SettingsPublic:
    with db.read() as session:
        row = repo.get_settings(session)
        if row is None:
            return SettingsPublic.model_validate({**SettingsBase().model_dump(), "version_id": 0})
        return SettingsPublic.model_validate(row, from_attributes=True)


def _check_authority(value: Any) -> str:
    if isinstance(value, str):
        value = json.loads(value)
    if not isinstance(value, dict) or set(value) - set(ROLES):
        raise InvalidInputError(
            [f"discount_authority: give a percent for each of {', '.join(ROLES)}"]
        )
    checked = {}
    for role, percent in value.items():
        number = Decimal(str(percent))
        if not 0 <= number <= 100:
            raise InvalidInputError([f"discount_authority.{role}: must be from 0 to 100"])
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
    the fields ("Legal frame, Governing law: ...")."""
    if isinstance(value, LegalFrame):
        return value.model_dump_json()
    if not isinstance(value, dict):
        raise InvalidInputError(["legal_frame: give the legal frame's fields"])
    cleaned = {k: v for k, v in value.items() if v is not None and v != ""}
    try:
        frame = LegalFrame.model_validate(cleaned)
    except ValidationError as exc:
        problems = []
        for line in problems_from(exc):
            field, _, reason = line.partition(": ")
            problems.append(f"Legal frame, {LEGAL_FIELD_TITLES.get(field, field)}: {reason}")
        raise InvalidInputError(problems) from None
    return frame.model_dump_json()


def update_settings(
    db: Database, /, *, expected_version: int, actor: str, **changes: Any
) -> Outcome[SettingsPublic]:
    if "legal_frame" in changes:
        changes["legal_frame_json"] = _check_legal_frame(changes.pop("legal_frame"))
    if "discount_authority" in changes:
        changes["discount_authority_json"] = _check_authority(changes.pop("discount_authority"))
    if changes.get("logo_path"):
        problem = logo_problem(str(changes["logo_path"]))
        if problem is not None:
            raise InvalidInputError([f"logo_path: {problem}"])
    with db.write() as session:
        row = repo.get_settings(session)
        if row is None:
            row = Settings(id=repo.SETTINGS_ID, version_id=0)
        if row.version_id and row.version_id != expected_version:
            check_version(row, expected_version, "The settings")
        merged = {**SettingsBase.model_validate(row, from_attributes=True).model_dump(), **changes}
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
        return Outcome(
            SettingsPublic.model_validate(row, from_attributes=True), Changes.of(settings=True)
        )
