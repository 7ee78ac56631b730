"""Who signs order forms for the seller: ``settings.seller_signatory`` and
``settings.seller_signatory_title`` (empty: not set, as every existing row).

The seller's signature block printed "Name, title" placeholders because the seller
profile had no signatory; a final order form is now refused until one is set (Settings,
Seller profile). Existing rows keep every value; an empty signatory changes no quote's
terms (the seller's ``signatory`` in terms.json was always empty). Follows 0013 (customer
name keys).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("settings") as batch:
        batch.add_column(
            sa.Column("seller_signatory", sa.String(200), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("seller_signatory_title", sa.String(200), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("settings") as batch:
        batch.drop_column("seller_signatory_title")
        batch.drop_column("seller_signatory")
