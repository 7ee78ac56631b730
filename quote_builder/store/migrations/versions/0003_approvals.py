"""Approvals: the policy's new settings, approval requests, signed decisions (append-only,
unique decision ids) and trusted approver keys.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("settings") as batch:
        batch.add_column(
            sa.Column("approval_term_months", sa.Integer, nullable=False, server_default="36")
        )
        batch.add_column(
            sa.Column("min_escalator_percent", sa.String(64), nullable=False, server_default="3")
        )
        batch.add_column(
            sa.Column("max_payment_terms_days", sa.Integer, nullable=False, server_default="30")
        )
        batch.add_column(
            sa.Column(
                "custom_attribution_needs_approval",
                sa.Boolean,
                nullable=False,
                server_default=sa.true(),
            )
        )
        batch.add_column(
            sa.Column(
                "outcome_without_minimum_needs_approval",
                sa.Boolean,
                nullable=False,
                server_default=sa.true(),
            )
        )
    op.create_table(
        "approval_request",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("request_uid", sa.String(36), nullable=False),
        sa.Column(
            "quote_id", sa.Integer, sa.ForeignKey("quote.id", ondelete="RESTRICT"), nullable=True
        ),
        sa.Column("quote_number", sa.String(40), nullable=False),
        sa.Column("customer_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("version_number", sa.Integer, nullable=False),
        sa.Column("version_hash", sa.String(64), nullable=False),
        sa.Column("reasons_json", sa.Text, nullable=False, server_default="[]"),
        sa.Column("required_role", sa.String(20)),
        sa.Column("policy_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("document_json", sa.Text),
        sa.Column("summary_json", sa.Text),
        sa.Column("imported", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("requested_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("requested_at", TS, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="pending"),
        sa.UniqueConstraint("request_uid", name="uq_approval_request_uid"),
    )
    op.create_index("ix_approval_request_quote_id", "approval_request", ["quote_id"])
    op.create_index("ix_approval_request_status", "approval_request", ["status"])
    op.create_table(
        "approval_decision",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("decision_uid", sa.String(36), nullable=False),
        sa.Column(
            "request_id",
            sa.Integer,
            sa.ForeignKey("approval_request.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("payload_json", sa.Text, nullable=False),
        sa.Column("signature", sa.String(200), nullable=False),
        sa.Column("approver_name", sa.String(100), nullable=False, server_default=""),
        sa.Column("approver_fingerprint", sa.String(64), nullable=False),
        sa.Column("imported_at", TS, nullable=False),
        sa.UniqueConstraint("decision_uid", name="uq_approval_decision_uid"),
    )
    op.create_index("ix_approval_decision_request_id", "approval_decision", ["request_id"])
    op.create_table(
        "trusted_key",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("public_key", sa.String(100), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("added_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("added_at", TS, nullable=False),
        sa.UniqueConstraint("fingerprint", name="uq_trusted_key_fingerprint"),
    )
    # Decisions are history: the database refuses UPDATE and DELETE, as for versions.
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for change in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER approval_decision_no_{change.lower()} BEFORE {change} "
                "ON approval_decision "
                "BEGIN SELECT RAISE(ABORT, 'approval_decision rows are append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE TRIGGER approval_decision_append_only BEFORE UPDATE OR DELETE "
            "ON approval_decision FOR EACH ROW EXECUTE FUNCTION quote_builder_append_only()"
        )


def downgrade() -> None:
    op.drop_table("trusted_key")
    op.drop_table("approval_decision")
    op.drop_table("approval_request")
    with op.batch_alter_table("settings") as batch:
        for column in (
            "outcome_without_minimum_needs_approval",
            "custom_attribution_needs_approval",
            "max_payment_terms_days",
            "min_escalator_percent",
            "approval_term_months",
        ):
            batch.drop_column(column)
