"""The seller's legal frame (printed on order forms) and customers' billing addresses.

The frame is one JSON object in the settings (``LegalFrame``: governing agreement, law and
venue, liability cap, confidentiality, data protection and AI data use, service levels,
suspension and late payment, termination, renewal price, notices); ``{}`` means every
default. Existing rows keep everything they had and get the defaults.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("settings") as batch:
        batch.add_column(
            sa.Column("legal_frame_json", sa.Text, nullable=False, server_default="{}")
        )
    with op.batch_alter_table("customer") as batch:
        batch.add_column(
            sa.Column("billing_address", sa.String(1000), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("customer") as batch:
        batch.drop_column("billing_address")
    with op.batch_alter_table("settings") as batch:
        batch.drop_column("legal_frame_json")
