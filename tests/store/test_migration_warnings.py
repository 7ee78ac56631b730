"""Creating a database prints no SQLAlchemy warning: migration 0007 rebuilt ``quote`` with
its foreign keys resolved, which reflected ``customer`` and warned on every new database
"Skipped unsupported reflection of expression-based index ix_customer_name_lower"."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

from sqlalchemy.exc import SAWarning

from quote_builder.store.database import open_database


def test_a_new_database_is_created_without_reflection_warnings(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with warnings.catch_warnings():
        warnings.simplefilter("error", SAWarning)
        database = open_database(f"sqlite:///{path}")
    database.close()
    connection = sqlite3.connect(path)
    try:
        names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        references = {r[2] for r in connection.execute("PRAGMA foreign_key_list(quote)")}
    finally:
        connection.close()
    assert "ix_customer_name_lower" in names  # the index is still there
    assert references == {"customer", "quote"}  # the rebuilt quote keeps both references
