"""Alembic environment: always run with a connection handed over by ``upgrade()``."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import quote_builder.store.models  # noqa: F401  (registers the tables)

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through quote_builder.store.migrations.upgrade()")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
