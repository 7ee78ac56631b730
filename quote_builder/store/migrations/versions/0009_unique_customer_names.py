"""One customer per name (duplicate-customer race): a ``name_key`` column on customer (the
name with its spaces trimmed and collapsed and its case folded, as the app compares names)
with a unique index, so two writers that both pass the read check at once (possible on
PostgreSQL) cannot both insert the same name; the second gets the read check's sentence.

Databases made before may hold customers of the same name (the race, or names that differed
only by case or spaces before names were compared that way). The upgrade does not fail on
them: the oldest customer (lowest id) keeps its name, and each later one is renamed with a
suffix, "Contoso Legal (duplicate 2)", keeping its quotes, contacts and everything else.
Each rename is logged (warning, ``quote_builder.store.migrations``) and recorded in the
audit history (``customer_renamed_duplicate``), so the rep can merge or rename them on the
Customers page.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from quote_builder.store.migrations import after_rebuild

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

log = logging.getLogger("quote_builder.store.migrations")

NAME_LENGTH = 200  # customer.name's limit (models.CustomerBase)


def _key(name: str) -> str:
    # As models.customer_name_key does today (frozen here: a migration keeps its meaning).
    return " ".join(name.split()).casefold()


def _renamed(name: str, taken: set[str]) -> str:
    """``name (duplicate N)`` with the first N from 2 whose key no customer has."""
    number = 2
    while True:
        suffix = f" (duplicate {number})"
        base = " ".join(name.split())  # spaces collapsed, as the app saves names
        candidate = base[: NAME_LENGTH - len(suffix)].rstrip() + suffix
        if _key(candidate) not in taken:
            return candidate
        number += 1


def upgrade() -> None:
    op.add_column("customer", sa.Column("name_key", sa.Text, nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name FROM customer ORDER BY id")).all()
    taken = {_key(name) for _id, name in rows}
    first: dict[str, int] = {}
    now = datetime.now(UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # as the app's UTCDateTime keeps it there
    stamp = sa.bindparam("now", now, type_=sa.DateTime(timezone=True))
    for customer_id, name in rows:
        key = _key(name)
        if key not in first:
            first[key] = customer_id
            bind.execute(
                sa.text("UPDATE customer SET name_key = :key WHERE id = :id"),
                {"key": key, "id": customer_id},
            )
            continue
        new_name = _renamed(name, taken)
        new_key = _key(new_name)
        taken.add(new_key)
        bind.execute(
            sa.text(
                "UPDATE customer SET name = :name, name_key = :key, version_id = version_id + 1, "
                "updated_at = :now, updated_by = 'database upgrade' WHERE id = :id"
            ).bindparams(stamp),
            {"name": new_name, "key": new_key, "id": customer_id},
        )
        details = {"from": name, "to": new_name, "same_name_as_customer": first[key]}
        bind.execute(
            sa.text(
                "INSERT INTO audit_event (at, actor, action, entity_type, entity_id, "
                "details_json) VALUES (:now, 'database upgrade', 'customer_renamed_duplicate', "
                "'customer', :id, :details)"
            ).bindparams(stamp),
            {"id": customer_id, "details": json.dumps(details, sort_keys=True)},
        )
        log.warning(
            "customer %d %r renamed %r: customer %d has the same name, and names are unique "
            "from now on (merge or rename them on the Customers page)",
            customer_id,
            name,
            new_name,
            first[key],
        )
    op.create_index("ux_customer_name_key", "customer", ["name_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ux_customer_name_key", table_name="customer")
    with op.batch_alter_table("customer") as batch:
        batch.drop_column("name_key")
    after_rebuild(op.get_bind(), "customer")
