"""Backup and restore of the local SQLite database, without ever losing what is in it.

Backup copies the live database with SQLite's online backup API into a temporary file,
then renames it into place (never over an existing file unless asked, never over a
database in use). Restore never swaps files under another process and never deletes a
write-ahead log by hand: it takes SQLite's exclusive lock on the live database (refusing,
with the names of the programs using it, when it cannot), keeps a copy of the database as it
was, and writes the backup's pages into the live file through SQLite itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from quote_builder.safe_files import (
    FileWriteError,
    make_private_folder,
    refuse_special_file,
    refuse_stream_for_copy,
)
from quote_builder.store.database import (
    QUOTE_BUILDER_TABLES,
    Database,
    DatabaseOpenError,
    copy_database,
    open_database,
    resolve_url,
    sqlite_path,
)

from .core import RefusedError
from .host import PROCESS_NAME as HOST_PROCESS_NAME

RESTORE_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class RestoreReport:
    target: Path
    kept: Path | None
    """The database as it was before the restore (None: there was none)."""


def _stamp() -> str:
    return f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}"


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def backup(db: Database, target: str | Path, *, overwrite: bool = False) -> Path:
    """Copy the open database to ``target`` (safe while the app is writing).

    A folder (an existing one, or a path written with a trailing slash) is created if
    needed and gets a new timestamped file. An existing file is refused unless
    ``overwrite``; a database in use is never replaced."""
    source = db.path
    if source is None:
        raise RefusedError("backup works on a local SQLite database; for PostgreSQL use pg_dump")
    # A trailing slash means a folder; pathlib drops it, so it is read from the text.
    as_folder = str(target).endswith(("/", os.sep)) or Path(target).expanduser().is_dir()
    target = Path(target).expanduser()
    made: list[Path] = []  # the folders this backup creates, deepest first
    if as_folder:
        probe = target
        while not probe.exists() and probe.parent != probe:
            made.append(probe)
            probe = probe.parent
        folder = make_private_folder(target)
        stamp = _stamp()
        target = folder / f"quote-builder-{stamp}.db"
        counter = 2
        while target.exists():
            target = folder / f"quote-builder-{stamp}-{counter}.db"
            counter += 1
    if _same_file(target, source) or any(_same_file(target, s) for s in _sidecars(source)):
        raise RefusedError("the backup file cannot be the database itself")
    refuse_special_file(target, f"the backup {target}", "the backup")
    refuse_stream_for_copy(target, f"the backup {target}", "the backup")
    if target.exists():
        if not overwrite:
            raise RefusedError(
                f"{target} already exists; nothing was written. Give a folder to get a new "
                "timestamped file in it, or add --overwrite to replace the file."
            )
        if any(s.exists() for s in _sidecars(target)):
            raise RefusedError(f"{target} is a database in use; it was not replaced")
    try:
        return copy_database(source, target, overwrite=overwrite)
    except FileWriteError as exc:
        # A write that failed (a full or read-only disk) stays a FileWriteError: the
        # command line exits 1 for it, as for every file it cannot write, not 2.
        _remove_empty_folders(made)
        raise type(exc)(f"The backup was not made: {exc}") from None
    except BaseException:
        _remove_empty_folders(made)
        raise


def _remove_empty_folders(folders: list[Path]) -> None:
    """The folders a failed backup created (deepest first), as long as they are empty: a
    full disk left `backups/new/` behind, an empty folder looking like a backup."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty (someone put a file there meanwhile) or not ours to remove


def check_backup_file(path: Path) -> None:
    """Refuse anything that is not a whole, sound Quote Builder database: the header, the
    size (a whole number of pages, as many as the header says), the tables, and SQLite's
    full integrity check (every page, every index)."""
    if not path.is_file():
        raise RefusedError(f"{path}: no such file")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise RefusedError(f"{path} cannot be read ({exc.strerror})") from None
    if header[:16] != b"SQLite format 3\x00":
        raise RefusedError(f"{path} is not a Quote Builder database (not a SQLite file).")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if len(header) < 100 or page_size < 512 or size % page_size:
        raise RefusedError(
            f"{path} is truncated or damaged (its size, {size:,} bytes, is not a whole number "
            "of pages); it cannot be restored"
        )
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {
                r[0]
                for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            problems = [r[0] for r in connection.execute("PRAGMA integrity_check(20)")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise RefusedError(f"{path} is damaged: {exc}") from None
    except UnicodeDecodeError:  # scrambled bytes where the table list keeps names
        raise RefusedError(f"{path} is damaged: its table list is unreadable") from None
    missing = (QUOTE_BUILDER_TABLES | {"alembic_version"}) - tables
    if missing:
        raise RefusedError(
            f"{path} is not a Quote Builder database (missing tables: {', '.join(sorted(missing))})"
        )
    if pages * page_size != size:
        raise RefusedError(
            f"{path} is truncated or damaged ({size:,} bytes where its {pages:,} pages need "
            f"{pages * page_size:,}); it cannot be restored"
        )
    if problems != ["ok"]:
        raise RefusedError(f"{path} is damaged: {'; '.join(problems[:3])}")


def users_of(path: Path) -> list[str]:
    """The other programs that have the database (or its WAL or shared memory) open, as
    "name (pid N)"; empty where the system does not tell (not Linux)."""
    names = {str(p) for p in (path, *_sidecars(path))}
    found: dict[int, str] = {}
    proc = Path("/proc")
    if not proc.is_dir():
        return []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            links = {os.readlink(fd) for fd in (entry / "fd").iterdir()}
        except OSError:
            continue
        if links & names:
            pid = int(entry.name)
            try:
                comm = (entry / "comm").read_text().strip()
            except OSError:
                comm = "a program"
            if comm == HOST_PROCESS_NAME:
                # The app's database process: the pid to name is the app's (the window's
                # process, its parent), the one a user sees and closes.
                app = _parent_of(entry)
                found[app or pid] = f"the Quote Builder app (pid {app or pid})"
            else:
                found[pid] = f"{comm} (pid {pid})"
    return [found[pid] for pid in sorted(found)]


def _parent_of(entry: Path) -> int | None:
    """The parent's pid of the process ``/proc/PID`` (None when it was left to init)."""
    try:
        for line in (entry / "status").read_text().splitlines():
            if line.startswith("PPid:"):
                parent = int(line.split()[1])
                return parent if parent > 1 else None
    except (OSError, ValueError):
        return None
    return None


class DatabaseInUseError(RefusedError):
    """The database is open elsewhere (the app, a command): it cannot be replaced now. The
    command line exits with 3, "the database cannot be used ... locked"."""


@contextlib.contextmanager
def exclusive(path: Path, wait_seconds: float) -> Iterator[sqlite3.Connection]:
    """A connection holding SQLite's exclusive lock on the database: nobody else has it
    open (in WAL mode every open connection holds a shared lock on the file) and nobody can
    open it until the block ends. Refused with the names of its users after
    ``wait_seconds``."""
    connection = sqlite3.connect(str(path), timeout=wait_seconds, isolation_level=None)
    try:
        connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        try:
            connection.execute("BEGIN EXCLUSIVE")
            connection.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            users = users_of(path)
            who = ", ".join(users) if users else "another program (the app or a command)"
            raise DatabaseInUseError(
                f"the database is in use by {who}. Close Quote Builder and any command using "
                f"{path.name}, then restore again; nothing was changed."
            ) from None
        yield connection
    finally:
        connection.close()


def restore(
    url: str | None, source: Path, *, wait_seconds: float = RESTORE_WAIT_SECONDS
) -> RestoreReport:
    """Replace the content of the database at ``url`` with the backup ``source``.

    Everything is checked before the live database is touched: the backup passes the full
    check and is copied next to the database and opened (and upgraded) there. Then, holding
    SQLite's exclusive lock on the live database (so nobody is using it, or the restore is
    refused naming who is), its write-ahead log is checkpointed by SQLite, a copy of it as it
    was is kept as ``NAME.before-restore-<time>.db``, and the backup's pages are written
    into it by SQLite's backup API. No file is swapped and no log is deleted by hand, so a
    process that opens the database at any moment sees either the old or the new content."""
    source = source.expanduser()
    check_backup_file(source)
    target = sqlite_path(resolve_url(url))
    if target is None:
        raise RefusedError(
            "restore works on a local SQLite database; for PostgreSQL use pg_restore"
        )
    if _same_file(source, target):
        raise RefusedError("the backup to restore is the database itself")
    stamp = _stamp()
    staged = target.with_name(f"{target.stem}.restoring-{stamp}{target.suffix}")
    try:
        try:
            copy_database(source, staged)
            open_database(f"sqlite:///{staged}").close()  # refuses newer; upgrades older
            check_backup_file(staged)
        except DatabaseOpenError as exc:
            raise RefusedError(f"{source} cannot be restored: {exc}") from None
        except FileWriteError as exc:
            raise type(exc)(f"Nothing was restored: {exc}") from None
        if not target.exists():
            copy_database(staged, target)
            return RestoreReport(target, None)
        kept = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
        with exclusive(target, wait_seconds) as live:
            live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            try:
                copy_database(live, kept)
            except FileWriteError as exc:
                raise type(exc)(
                    f"Nothing was restored: the copy of the current database could not be "
                    f"kept ({exc})"
                ) from None
            # Out of WAL mode while the backup writes every page (page sizes may differ;
            # a rollback journal protects the live file if the copy fails half-way), then
            # back into WAL mode. SQLite itself checkpoints and removes its log here.
            live.execute("PRAGMA journal_mode = DELETE")
            backup_connection = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
            try:
                backup_connection.backup(live)
            except sqlite3.Error as exc:
                raise RefusedError(
                    f"Nothing was restored ({exc}); the database is as it was, and a copy is "
                    f"kept as {kept.name}"
                ) from None
            finally:
                backup_connection.close()
            live.execute("PRAGMA journal_mode = WAL")
            status = live.execute("PRAGMA quick_check").fetchone()[0]
            if status != "ok":  # pragma: no cover - the backup API writes what it read
                raise RefusedError(
                    f"the restored database failed its check ({status}); the database as it "
                    f"was is kept as {kept.name}"
                )
        return RestoreReport(target, kept)
    finally:
        for leftover in (staged, *_sidecars(staged)):
            leftover.unlink(missing_ok=True)


__all__ = ["RestoreReport", "backup", "check_backup_file", "restore", "users_of"]
