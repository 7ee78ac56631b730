"""Organisation policy bundles (append-only), the requester's keys, the policy a request
was judged under and the customer's terms it asks about, and the approver's signature of
the public approval statement.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_bundle",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("serial", sa.Integer, nullable=False),
        sa.Column("organisation", sa.String(200), nullable=False, server_default=""),
        sa.Column("org_fingerprint", sa.String(64), nullable=False),
        sa.Column("header_json", sa.Text, nullable=False),
        sa.Column("signature", sa.String(200), nullable=False),
        sa.Column("rules_json", sa.Text, nullable=False),
        sa.Column("installed_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("installed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("fingerprint", name="uq_policy_bundle_fingerprint"),
    )
    with op.batch_alter_table("approval_request") as batch:
        batch.add_column(
            sa.Column("requester_keys_json", sa.Text, nullable=False, server_default="[]")
        )
        batch.add_column(sa.Column("policy_fingerprint", sa.String(64), nullable=True))
        # The customer's terms of the version asked about (terms.json), whose hash the
        # approver signs.
        batch.add_column(sa.Column("terms_json", sa.Text, nullable=True))
    with op.batch_alter_table("approval_decision") as batch:
        batch.add_column(sa.Column("statement_signature", sa.String(200), nullable=True))
    # Installed policies are history: UPDATE and DELETE are refused, as for decisions.
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for change in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER policy_bundle_no_{change.lower()} BEFORE {change} "
                "ON policy_bundle "
                "BEGIN SELECT RAISE(ABORT, 'policy_bundle rows are append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE TRIGGER policy_bundle_append_only BEFORE UPDATE OR DELETE "
            "ON policy_bundle FOR EACH ROW EXECUTE FUNCTION quote_builder_append_only()"
        )


def downgrade() -> None:
    with op.batch_alter_table("approval_decision") as batch:
        batch.drop_column("statement_signature")
    with op.batch_alter_table("approval_request") as batch:
        batch.drop_column("terms_json")
        batch.drop_column("policy_fingerprint")
        batch.drop_column("requester_keys_json")
    op.drop_table("policy_bundle")
