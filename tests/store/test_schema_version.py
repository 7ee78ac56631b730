"""The schema version read without Alembic agrees with Alembic, and opening a database at
the current schema does not load Alembic (issue 16: the app's start-up)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from quote_builder.store import schema_version
from quote_builder.store.database import open_database
from quote_builder.store.migrations import head_revision, known_revisions


def test_shipped_revisions_agree_with_alembic() -> None:
    assert set(schema_version.shipped_revisions()) == known_revisions()
    assert schema_version.head() == head_revision()


def test_stored_revision_is_read_from_the_database(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "v.db"))
    try:
        with db.engine.connect() as connection:
            tables = {
                r[0]
                for r in connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                )
            }
            assert schema_version.stored_revision(connection, tables) == head_revision()
            assert schema_version.stored_revision(connection, tables - {"alembic_version"}) is None
    finally:
        db.close()


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "a.db"))  # created (and migrated) in this process
    db.close()
    code = (
        "import sys\n"
        "from quote_builder.store.database import open_database\n"
        f"db = open_database({str(tmp_path / 'a.db')!r}, create=False)\n"
        "db.close()\n"
        "print(sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip() == "[]"
