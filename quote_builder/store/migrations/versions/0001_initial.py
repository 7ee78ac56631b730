"""The first schema: customers, contacts, plans, quotes, versions, audit events, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
DEC = sa.String(64)
APPEND_ONLY = ("quote_version", "audit_event")


def upgrade() -> None:
    op.create_table(
        "customer",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("legal_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("country", sa.String(100), nullable=False, server_default=""),
        sa.Column("currency", sa.String(3), nullable=False, server_default="USD"),
        sa.Column("product_category", sa.String(40)),
        sa.Column("billing_email", sa.String(254), nullable=False, server_default=""),
        sa.Column("crm_id", sa.String(100), nullable=False, server_default=""),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("seats", sa.Integer),
        sa.Column("actions_per_user_per_day", DEC),
        sa.Column("outcomes_per_month", DEC),
        sa.Column("minutes_saved_per_task", DEC),
        sa.Column("loaded_hourly_rate", DEC),
        sa.Column("archived", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False, server_default=""),
    )
    op.create_index("ix_customer_name", "customer", ["name"])
    op.create_index("ix_customer_crm_id", "customer", ["crm_id"])
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "customer_id",
            sa.Integer,
            sa.ForeignKey("customer.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False, server_default=""),
        sa.Column("email", sa.String(254), nullable=False, server_default=""),
        sa.Column("phone", sa.String(50), nullable=False, server_default=""),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_contact_customer_id", "contact", ["customer_id"])
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("pricing_model", sa.String(40), nullable=False),
        sa.Column("product_category", sa.String(40)),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("currency", sa.String(3), nullable=False, server_default="USD"),
        sa.Column("components_json", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False, server_default=""),
        sa.UniqueConstraint("name", name="uq_plan_name"),
    )
    op.create_table(
        "quote",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column(
            "customer_id",
            sa.Integer,
            sa.ForeignKey("customer.id", ondelete="RESTRICT"),
            nullable=False,
        ),
        sa.Column("owner", sa.String(100), nullable=False, server_default=""),
        sa.Column("status", sa.String(20), nullable=False, server_default="draft"),
        sa.Column("valid_until", sa.Date),
        sa.Column("title", sa.String(200), nullable=False, server_default=""),
        sa.Column("latest_version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False, server_default=""),
        sa.UniqueConstraint("number", name="uq_quote_number"),
    )
    op.create_index("ix_quote_customer_id", "quote", ["customer_id"])
    op.create_table(
        "quote_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "quote_id", sa.Integer, sa.ForeignKey("quote.id", ondelete="RESTRICT"), nullable=False
        ),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("document_json", sa.Text, nullable=False),
        sa.Column("summary_json", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("author", sa.String(100), nullable=False, server_default=""),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("quote_id", "number", name="uq_quote_version_number"),
    )
    op.create_index("ix_quote_version_quote_id", "quote_version", ["quote_id"])
    op.create_index("ix_quote_version_content_hash", "quote_version", ["content_hash"])
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False, server_default=""),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("entity_type", sa.String(20), nullable=False),
        sa.Column("entity_id", sa.Integer),
        sa.Column("quote_id", sa.Integer),
        sa.Column("quote_version_id", sa.Integer, sa.ForeignKey("quote_version.id")),
        sa.Column("details_json", sa.Text, nullable=False, server_default="{}"),
    )
    op.create_index("ix_audit_event_quote_id", "audit_event", ["quote_id"])
    op.create_table(
        "settings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("seller_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("seller_legal_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("seller_address", sa.String(1000), nullable=False, server_default=""),
        sa.Column("seller_email", sa.String(254), nullable=False, server_default=""),
        sa.Column("logo_path", sa.String(1000), nullable=False, server_default=""),
        sa.Column("default_currency", sa.String(3), nullable=False, server_default="USD"),
        sa.Column("margin_floor_percent", DEC, nullable=False, server_default="60"),
        sa.Column("discount_authority_json", sa.Text, nullable=False),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False, server_default=""),
    )
    _append_only_triggers()


def _append_only_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in APPEND_ONLY:
            for change in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{change.lower()} BEFORE {change} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END"
                )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION quote_builder_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION quote_builder_append_only()"
            )


def downgrade() -> None:
    for table in (
        "settings",
        "audit_event",
        "quote_version",
        "quote",
        "plan",
        "contact",
        "customer",
    ):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS quote_builder_append_only()")
