"""Documents in the prospect's language (issue 18, §1): each customer's document language,
and the seller's clause texts in other languages.

``customer.language`` is an ISO 639-1 code (``de``, ``fr``, ``es``, ``ja``, ``en``) or empty
for "the default of the customer's country". Customers that exist before this upgrade get
``en``: their proposals and order forms have always been English, and an approved or sent
quote must not change language (and its signed terms) because the app was upgraded. New
customers start empty. ``settings.legal_texts_json`` holds the legal frame's texts by
language (``{}``: none given). Follows 0010 (tax and currencies, issue 18 §3-4).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Adding a column is an ALTER TABLE on SQLite too (no rebuild of ``customer``, whose
    # contacts and unique name index stay as they are).
    with op.batch_alter_table("customer") as batch:
        batch.add_column(sa.Column("language", sa.String(5), nullable=False, server_default=""))
    op.execute(sa.text("UPDATE customer SET language = 'en'"))
    with op.batch_alter_table("settings") as batch:
        batch.add_column(
            sa.Column("legal_texts_json", sa.Text, nullable=False, server_default="{}")
        )


def downgrade() -> None:
    with op.batch_alter_table("settings") as batch:
        batch.drop_column("legal_texts_json")
    with op.batch_alter_table("customer", reflect_kwargs={"resolve_fks": False}) as batch:
        batch.drop_column("language")
    from quote_builder.store.migrations import after_rebuild

    after_rebuild(op.get_bind(), "customer")
