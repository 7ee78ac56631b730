"""The database's identity: a UUID made once, when the database is created or upgraded.

The app keys what it keeps outside the database (autosaved drafts) by this identity, so a
draft from one database is never offered in another whose quote happens to have the same
id. A copy of the file (a backup, a restore) keeps the identity: it holds the same quotes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "database_identity",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("database_uuid", sa.String(36), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    assert table is not None
    op.bulk_insert(
        table,
        [
            {
                "id": 1,
                "database_uuid": str(uuid.uuid4()),
                "created_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
            }
        ],
    )
