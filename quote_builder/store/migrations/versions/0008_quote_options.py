"""Quotes with options (issue 17, §2): how many options the latest version offers, on the
quote row, so the quote list shows it without reading version JSON.

Existing quotes are backfilled from their latest version's document (a version saved by a
build with options on another database and copied here has them already; any other has
none). Follows 0007 (the deal lifecycle, issue 15).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from quote_builder.store.migrations import after_rebuild

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # As in 0007: reflect ``quote`` alone (resolving its foreign keys reflects ``customer``,
    # whose expression index SQLite reflection cannot read), then restore what a rebuild drops.
    with op.batch_alter_table("quote", reflect_kwargs={"resolve_fks": False}) as batch:
        batch.add_column(sa.Column("option_count", sa.Integer, nullable=False, server_default="0"))
    bind = op.get_bind()
    after_rebuild(bind, "quote")
    rows = bind.execute(
        sa.text(
            "SELECT q.id, v.document_json FROM quote q JOIN quote_version v "
            "ON v.quote_id = q.id AND v.number = q.latest_version"
        )
    ).all()
    for quote_id, document_json in rows:
        try:
            options = json.loads(document_json).get("options") or []
        except (ValueError, AttributeError):
            options = []
        if options:
            bind.execute(
                sa.text("UPDATE quote SET option_count = :n WHERE id = :id"),
                {"n": len(options), "id": quote_id},
            )


def downgrade() -> None:
    with op.batch_alter_table("quote", reflect_kwargs={"resolve_fks": False}) as batch:
        batch.drop_column("option_count")
    after_rebuild(op.get_bind(), "quote")
