"""Backup and restore of the local SQLite database."""

from __future__ import annotations

import datetime as dt
import os
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
    """Replace the database at ``url`` with the backup ``source``. Everything is checked
    before the live database is touched: the backup is copied next to it and opened (and
    upgraded) there first; only then is the current database kept as
    ``NAME.before-restore-<time>.db`` and the checked copy moved into place. Close the app
    first."""
    source = source.expanduser()
    check_backup_file(source)
    target = sqlite_path(resolve_url(url))
    if target is None:
        raise RefusedError(
            "restore works on a local SQLite database; for PostgreSQL use pg_restore"
        )
    stamp = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}"
    staged = target.with_name(f"{target.stem}.restoring-{stamp}{target.suffix}")
    backup_sqlite(source, staged)
    try:
        open_database(
            f"sqlite:///{staged}"
        ).close()  # refuses a newer or damaged database; upgrades an older one
    except DatabaseOpenError as exc:
        _remove_with_sidecars(staged)
        raise RefusedError(f"{source} cannot be restored: {exc}") from None
    if target.exists():
        backup_sqlite(
            target, target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
        )
    _remove_sidecars(target)  # the old database's WAL must not be replayed into the new file
    _remove_sidecars(staged)
    os.replace(staged, target)
    return target


def _remove_sidecars(path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _remove_with_sidecars(path: Path) -> None:
    _remove_sidecars(path)
    path.unlink(missing_ok=True)


__all__ = ["backup", "check_backup_file", "restore"]
