"""Tax and currencies (issue 18, §3 and §4).

- ``settings``: the seller's country and tax ID (the tax line and the reverse-charge note);
- ``customer``: the customer's tax ID and region (state or province, where the rate
  depends on it);
- ``plan``: price books, the plan's components priced in other currencies
  (``price_books_json``: ``{"EUR": [components...]}``; ``{}`` for none);
- ``exchange_rate``: the user-maintained exchange-rate table (one rate per currency pair:
  units of the quote currency per unit of the base currency, its date and its source).

Existing rows keep everything they had: empty tax IDs, no region, no price books.
Follows 0008 (quote options, issue 17).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from quote_builder.store.migrations import after_rebuild

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("settings") as batch:
        batch.add_column(
            sa.Column("seller_country", sa.String(100), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("seller_tax_id", sa.String(50), nullable=False, server_default="")
        )
    with op.batch_alter_table("customer") as batch:
        batch.add_column(sa.Column("tax_id", sa.String(50), nullable=False, server_default=""))
        batch.add_column(sa.Column("region", sa.String(3), nullable=False, server_default=""))
    after_rebuild(bind, "customer")
    with op.batch_alter_table("plan") as batch:
        batch.add_column(
            sa.Column("price_books_json", sa.Text, nullable=False, server_default="{}")
        )
    op.create_table(
        "exchange_rate",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("base_currency", sa.String(3), nullable=False),
        sa.Column("quote_currency", sa.String(3), nullable=False),
        sa.Column("rate", sa.String(64), nullable=False),  # exact decimal text
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False, server_default=""),
        sa.UniqueConstraint("base_currency", "quote_currency", name="uq_exchange_rate_pair"),
    )


def downgrade() -> None:
    op.drop_table("exchange_rate")
    with op.batch_alter_table("plan") as batch:
        batch.drop_column("price_books_json")
    with op.batch_alter_table("customer") as batch:
        batch.drop_column("region")
        batch.drop_column("tax_id")
    after_rebuild(op.get_bind(), "customer")
    with op.batch_alter_table("settings") as batch:
        batch.drop_column("seller_tax_id")
        batch.drop_column("seller_country")
