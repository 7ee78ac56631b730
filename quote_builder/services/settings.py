"""The seller profile and the deal-desk policy numbers (one row)."""

from __future__ import annotations

import json
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

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


def update_settings(
    db: Database, /, *, expected_version: int, actor: str, **changes: Any
) -> Outcome[SettingsPublic]:
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
