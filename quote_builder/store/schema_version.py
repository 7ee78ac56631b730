"""The schema version, checked without loading Alembic (about 150 ms of imports).

Opening a database only needs to know whether its schema is the one this app ships:
``alembic_version`` holds the stored revision, and the shipped revisions are read from the
migration files' ``revision = "..."`` and ``down_revision = ...`` lines. Alembic itself is
loaded only to upgrade (``migrations.upgrade``). ``tests/store/test_schema_version.py``
checks that this reading agrees with Alembic's own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE)


@lru_cache(maxsize=1)
def shipped_revisions() -> dict[str, str | None]:
    """Every shipped revision and the one it upgrades from."""
    found: dict[str, str | None] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        text = path.read_text("utf-8")
        revision, down = _REVISION.search(text), _DOWN.search(text)
        if revision is None or down is None:
            continue
        found[revision.group(1)] = down.group(1)
    return found


def head() -> str:
    """The newest shipped revision: the one no other upgrades from."""
    revisions = shipped_revisions()
    heads = set(revisions) - {down for down in revisions.values() if down is not None}
    if len(heads) != 1:
        raise RuntimeError(f"the shipped migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def stored_revision(connection: Connection, tables: set[str]) -> str | None:
    """The revision in the database's ``alembic_version`` table (None: no table, no row)."""
    if "alembic_version" not in tables:
        return None
    rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    if len(rows) > 1:
        raise RuntimeError(f"the database records {len(rows)} schema versions")
    return str(rows[0][0]) if rows else None
