"""List speed: the latest version's TCV and currency on the quote row (so the quote list
never reads version JSON), an index for "sorted by last change", and a case-insensitive
index on customer names.

Existing quotes are backfilled from their latest version's priced summary.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import json
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Minor units as of this migration (frozen here on purpose: a migration must not change
# meaning when the app's tables change later).
_ZERO = {
    "BIF",
    "CLP",
    "DJF",
    "GNF",
    "ISK",
    "JPY",
    "KMF",
    "KRW",
    "PYG",
    "RWF",
    "UGX",
    "UYI",
    "VND",
    "VUV",
    "XAF",
    "XOF",
    "XPF",
}
_THREE = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"}
_FOUR = {"CLF", "UYW"}


def _minor(amount: str, currency: str) -> int:
    digits = 0 if currency in _ZERO else 3 if currency in _THREE else 4 if currency in _FOUR else 2
    return int(Decimal(amount).scaleb(digits).to_integral_value())


def upgrade() -> None:
    op.add_column(
        "quote", sa.Column("currency", sa.String(3), nullable=False, server_default="USD")
    )
    op.add_column(
        "quote", sa.Column("tcv_minor", sa.BigInteger, nullable=False, server_default="0")
    )
    op.create_index("ix_quote_updated_at", "quote", ["updated_at"])
    op.create_index("ix_quote_status", "quote", ["status"])
    op.create_index("ix_customer_name_lower", "customer", [sa.text("lower(name)")])

    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT q.id, v.summary_json FROM quote q JOIN quote_version v "
            "ON v.quote_id = q.id AND v.number = q.latest_version"
        )
    ).all()
    for quote_id, summary_json in rows:
        summary = json.loads(summary_json)
        currency = summary.get("currency", "USD")
        bind.execute(
            sa.text("UPDATE quote SET currency = :c, tcv_minor = :t WHERE id = :id"),
            {"c": currency, "t": _minor(summary.get("tcv", "0"), currency), "id": quote_id},
        )


def downgrade() -> None:
    op.drop_index("ix_customer_name_lower", "customer")
    op.drop_index("ix_quote_status", "quote")
    op.drop_index("ix_quote_updated_at", "quote")
    with op.batch_alter_table("quote") as batch:
        batch.drop_column("tcv_minor")
        batch.drop_column("currency")
