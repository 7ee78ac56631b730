"""Every customer has its name key, and keys compare Unicode-normalised names.

Two defects of 0009's ``customer.name_key``:

- A row written outside the app (raw SQL, another tool on a shared PostgreSQL database, a
  script of a colleague) has none (NULL): the duplicate checks and the unique index did not
  see it, so a second customer of its name could be added.
- The key compared code points: "Société" typed (é as one character) and pasted from a
  document that writes e + a combining accent were two names, as were a no-break space
  and a space, or full-width letters and ASCII ones.

This upgrade computes every customer's key again as the app now does (Unicode NFKC, white
space trimmed and collapsed, case folded; ``models.customer_name_key``), filling the NULL
ones. Customers whose names now compare equal are handled as 0009 handles duplicates: the
oldest (lowest id) keeps its name, each later one is renamed "Name (duplicate N)" (version
bumped, logged as a warning, recorded as ``customer_renamed_duplicate`` in the history),
keeping its quotes, contacts and everything else. Rows written outside the app after this
upgrade get their key when the app opens the database (``database.fill_missing_name_keys``).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-10
"""

from __future__ import annotations

import json
import logging
import unicodedata
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

log = logging.getLogger("quote_builder.store.migrations")

NAME_LENGTH = 200  # customer.name's limit (models.CustomerBase)


def _key(name: str) -> str:
    # As models.customer_name_key does today (frozen here: a migration keeps its meaning).
    folded = " ".join(unicodedata.normalize("NFKC", name).split()).casefold()
    return unicodedata.normalize("NFKC", folded)


def _renamed(name: str, taken: set[str]) -> str:
    """``name (duplicate N)`` with the first N from 2 whose key no customer has."""
    number = 2
    base = " ".join(name.split())  # white space collapsed, as the app saves names
    while True:
        suffix = f" (duplicate {number})"
        candidate = base[: NAME_LENGTH - len(suffix)].rstrip() + suffix
        if _key(candidate) not in taken:
            return candidate
        number += 1


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name, name_key FROM customer ORDER BY id")).all()
    keys = {customer_id: _key(name) for customer_id, name, _stored in rows}
    if all(stored == keys[customer_id] for customer_id, _name, stored in rows):
        return  # nothing to do (the usual case): no index rebuilt
    # Keys change; one row's new key may be another's old one until both are written.
    op.drop_index("ux_customer_name_key", table_name="customer")
    taken = set(keys.values())
    first: dict[str, int] = {}
    now = datetime.now(UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # as the app's UTCDateTime keeps it there
    stamp = sa.bindparam("now", now, type_=sa.DateTime(timezone=True))
    for customer_id, name, stored in rows:
        key = keys[customer_id]
        if key not in first:
            first[key] = customer_id
            if stored != key:
                bind.execute(
                    sa.text("UPDATE customer SET name_key = :key WHERE id = :id"),
                    {"key": key, "id": customer_id},
                )
            continue
        new_name = _renamed(name, taken)
        new_key = _key(new_name)
        taken.add(new_key)
        first[new_key] = customer_id
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
            "(merge or rename them on the Customers page)",
            customer_id,
            name,
            new_name,
            first[key],
        )
    op.create_index("ux_customer_name_key", "customer", ["name_key"], unique=True)


def downgrade() -> None:
    # The keys stay: 0012's schema is the same, and a key of a normalised name is still the
    # key 0012's app compares for every name typed in normal form.
    pass
