"""The legal frame keeps only what the seller gave: the shipped law and courts are taken out.

The shipped governing law and courts (New York's) are a US seller's. A seller elsewhere
that never set its own got them printed on every order form, and nothing could tell "set by
the seller" from "still the shipped default": the Settings page wrote the whole frame, the
New York law and courts included, at every save of any setting. Now the settings keep only
the fields the seller gave (``services.settings``), so "given" is "present in
``settings.legal_frame_json``", and for a seller outside the United States the law and
courts not given are not set (``pricing.legal.seller_frame``: the draft prints a
placeholder, the final order form is refused until they are set).

This upgrade takes ``governing_law`` and ``venue`` out of the stored frame where they are
exactly the shipped text (or blank): a value that cannot have been chosen apart from the
defaults. Nothing else changes, and nothing printed changes for a seller in the United
States or without a country (the defaults fill them in again). A seller whose law or
courts differ from the shipped ones keeps them (and is not asked again); a seller outside
the United States that kept New York's is asked once to fill them in (typing them again
keeps them). A row whose frame is not a JSON object is left as it is (the app says so when
it reads it). Downgrading leaves the frame as it is: an older version reads a missing field
as its default, the same text.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-12
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

SHIPPED = {
    # As pricing.legal.LegalFrame ships them (frozen here: a migration keeps its meaning).
    "governing_law": "the laws of the State of New York",
    "venue": "the state and federal courts in New York County, New York",
}


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, legal_frame_json FROM settings")).all()
    for settings_id, stored in rows:
        try:
            frame = json.loads(stored or "{}")
        except ValueError:
            continue
        if not isinstance(frame, dict):
            continue
        kept = {
            name: value
            for name, value in frame.items()
            if not (
                name in SHIPPED
                and isinstance(value, str)
                and (not value.strip() or value == SHIPPED[name])
            )
        }
        if kept == frame:
            continue
        bind.execute(
            sa.text("UPDATE settings SET legal_frame_json = :frame WHERE id = :id"),
            {"frame": json.dumps(kept, ensure_ascii=False), "id": settings_id},
        )


def downgrade() -> None:
    pass
