"""A deal's life: what a quote is to its customer's contracts (kind, parent), why it was
lost, the final PDFs as sent (their exact bytes) and the customer's acceptances, both
append-only.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from quote_builder.store.migrations import after_rebuild

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_APPEND_ONLY = ("sent_document", "acceptance")


def upgrade() -> None:
    # The rebuild reflects ``quote`` only: resolving its foreign keys would reflect
    # ``customer`` too, whose lower(name) index SQLite reflection cannot read (an SAWarning
    # "Skipped unsupported reflection of expression-based index ix_customer_name_lower" on
    # every new database). ``customer`` is not rebuilt here, so its index stays as it is.
    with op.batch_alter_table("quote", reflect_kwargs={"resolve_fks": False}) as batch:
        batch.add_column(sa.Column("kind", sa.String(20), nullable=False, server_default="new"))
        batch.add_column(
            sa.Column(
                "parent_quote_id",
                sa.Integer,
                sa.ForeignKey("quote.id", name="fk_quote_parent", ondelete="RESTRICT"),
                nullable=True,
            )
        )
        batch.add_column(
            sa.Column("lost_reason", sa.String(500), nullable=False, server_default="")
        )
    after_rebuild(op.get_bind(), "quote")
    op.create_table(
        "sent_document",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "quote_id",
            sa.Integer,
            sa.ForeignKey("quote.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column("version_number", sa.Integer, nullable=False),
        sa.Column("version_hash", sa.String(64), nullable=False),
        sa.Column("terms_hash", sa.String(64), nullable=False),
        sa.Column("pdf_sha256", sa.String(64), nullable=False, index=True),
        sa.Column("pdf", sa.LargeBinary, nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("signer", sa.String(500), nullable=False, server_default=""),
        sa.Column("certificate_sha256", sa.String(64), nullable=False, server_default=""),
        sa.Column("trial_certificate", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("sent_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "acceptance",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "quote_id",
            sa.Integer,
            sa.ForeignKey("quote.id", ondelete="RESTRICT"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "sent_document_id",
            sa.Integer,
            sa.ForeignKey("sent_document.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("signed_by", sa.String(200), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signer_detail", sa.String(1000), nullable=False, server_default=""),
        sa.Column("file_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("file", sa.LargeBinary, nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    # What was sent and what the customer signed are history: UPDATE and DELETE refused.
    dialect = op.get_bind().dialect.name
    for table in _APPEND_ONLY:
        if dialect == "sqlite":
            for change in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{change.lower()} BEFORE {change} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END"
                )
        elif dialect == "postgresql":
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION quote_builder_append_only()"
            )


def downgrade() -> None:
    op.drop_table("acceptance")
    op.drop_table("sent_document")
    with op.batch_alter_table("quote") as batch:
        batch.drop_column("lost_reason")
        batch.drop_column("parent_quote_id")
        batch.drop_column("kind")
