"""Backup and restore of the local SQLite database."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from quote_builder.store.database import (
    QUOTE_BUILDER_TABLES,
    Database,
    DatabaseOpenError,
    backup_sqlite,
    open_database,
    resolve_url,
    sqlite_path,
)

from .core import RefusedError


def backup(db: Database, target: Path) -> Path:
    """Copy the open database to ``target`` with SQLite's online backup API: safe while
    the app is writing."""
    source = db.path
    if source is None:
        raise RefusedError("backup works on a local SQLite database; for PostgreSQL use pg_dump")
    target = target.expanduser()
    if target.is_dir():
        target = target / f"quote-builder-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.db"
    if target.resolve() == source.resolve():
        raise RefusedError("the backup file cannot be the database itself")
    return backup_sqlite(source, target)


def check_backup_file(path: Path) -> None:
    """Refuse anything that is not a Quote Builder database."""
    if not path.is_file():
        raise RefusedError(f"{path}: no such file")
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise RefusedError(f"{path} is not a Quote Builder database (not a SQLite file)")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {
                r[0]
                for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            status = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise RefusedError(f"{path} is damaged: {exc}") from None
    missing = (QUOTE_BUILDER_TABLES | {"alembic_version"}) - tables
    if missing:
        raise RefusedError(
            f"{path} is not a Quote Builder database (missing tables: {', '.join(sorted(missing))})"
        )
    if status != "ok":
        raise RefusedError(f"{path} is damaged: {status}")


def restore(url: str | None, source: Path) -> Path:
    """Replace the database at ``url`` with the backup ``source``; the current database is
    first kept next to it as ``NAME.before-restore-<time>.db``. Close the app first."""
    source = source.expanduser()
    check_backup_file(source)
    target = sqlite_path(resolve_url(url))
    if target is None:
        raise RefusedError(
            "restore works on a local SQLite database; for PostgreSQL use pg_restore"
        )
    if target.exists():
        keep = target.with_name(
            f"{target.stem}.before-restore-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}{target.suffix}"
        )
        backup_sqlite(target, keep)
    backup_sqlite(source, target)
    for suffix in ("-wal", "-shm"):
        stale = target.with_name(target.name + suffix)
        if stale.exists() and stale.stat().st_size == 0:
            stale.unlink()
    try:
        open_database(f"sqlite:///{target}").close()  # upgrade an older backup now
    except DatabaseOpenError as exc:
        raise RefusedError(str(exc)) from None
    return target


__all__ = ["backup", "check_backup_file", "restore"]
