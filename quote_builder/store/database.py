"""Where the data lives, how connections behave, and opening a database safely.

Default: one SQLite file in the user data directory (platformdirs). ``--db URL`` or
``QUOTE_BUILDER_DB`` name any SQLAlchemy URL instead (``postgresql+psycopg://...``).

SQLite connections use WAL, ``synchronous=FULL``, ``foreign_keys=ON`` and a busy timeout;
write transactions begin IMMEDIATE so two writers queue instead of failing half-way.
Opening a database upgrades an older schema after writing a backup copy next to it.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from quote_builder.db_location import (  # the one rule for where the database is
    ENV_VAR as ENV_VAR,
)
from quote_builder.db_location import (
    creates_by_default as creates_by_default,
)
from quote_builder.db_location import (
    default_database_path as default_database_path,
)
from quote_builder.db_location import redact_password as redact_password
from quote_builder.db_location import resolve_url as resolve_url
from quote_builder.errors import Sentence, UserFacingError, sentence_of
from quote_builder.safe_files import (
    PRIVATE_FILE,
    FileWriteError,
    database_companion,
    fsync_folder,
    looks_full,
    reason,
    refuse_special_file,
    refuse_stream_for_copy,
    remove_stale_temporaries,
    temporary_beside,
)

APP_NAME = "QuoteBuilder"
BUSY_TIMEOUT_MS = 10_000
QUOTE_BUILDER_TABLES = {
    "customer",
    "contact",
    "plan",
    "quote",
    "quote_version",
    "audit_event",
    "settings",
}


class ConcurrentSaveError(UserFacingError):
    """A save lost a race with another save of the same row."""


class DatabaseDamagedError(UserFacingError):
    """The database file is damaged (SQLite found its structure broken)."""


class DatabaseUnavailableError(UserFacingError):
    """The database could not be read or written for a reason outside it (a full disk, a
    read-only folder, missing permission, a lost server connection). The database itself is
    as it was: nothing of the failed action was saved."""


class DatabaseTextError(UserFacingError):
    """Text the database cannot store (PostgreSQL refuses NUL characters)."""


class DatabaseOpenError(UserFacingError):
    """The database cannot be used; the message says why and what to do."""


class DatabaseMissingError(DatabaseOpenError):
    """The SQLite file named does not exist and creating it was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} does not exist. Check the path; to make a new, empty database there, "
            "add --create."
        )
        self.path = path


class DatabaseEmptyError(DatabaseMissingError):
    """The SQLite file named is empty (0 bytes) and creating a database was not asked for:
    it is refused as a missing file is, never quietly made a new, empty database (the data
    it held was lost before; a new database there would look like it had never been)."""

    def __init__(self, path: Path) -> None:
        DatabaseOpenError.__init__(
            self,
            Sentence(
                f"{path} is an empty file (0 bytes), not a database: if it held your data, "
                "that was lost before Quote Builder opened it (keep the file and restore a "
                "backup). To make a new, empty database in it, add --create.",
                "db.empty",
                path=str(path),
            ),
        )
        self.path = path


class DatabaseNeedsUpgradeError(DatabaseOpenError):
    """The database is on an older schema and was opened without upgrading it (a command
    that only reads from it, such as ``render FILE`` reading the seller)."""

    def __init__(self, message: str, revision: str = "", head: str = "") -> None:
        super().__init__(message)
        self.revision = revision
        self.head = head

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (str(self), self.revision, self.head))


# SQLite's and PostgreSQL's words for each kind of fault, and what to tell the user. The
# order matters: the first match wins. A full disk or a read-only folder must never be
# called damage: "restore a backup" would then replace a good database with an older one.
_FAULTS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ("database or disk is full", "no space left", "disk full", "could not extend file"),
        "db.disk_full",
        "the disk holding the database is full, so nothing was saved (the database is as it "
        "was). Free some space on that disk, then try again.",
    ),
    (
        ("readonly database", "read-only file system", "read-only database"),
        "db.read_only",
        "the database is read-only here (a read-only folder, disk or file), so nothing was "
        "saved. Open it from a folder you can write to, or ask for write access.",
    ),
    (
        ("unable to open database file", "permission denied", "authorization denied"),
        "db.no_write_access",
        "the database file or its folder cannot be opened for writing (permission denied or "
        "the folder is gone), so nothing was saved. Check the folder and its permissions.",
    ),
    (
        ("disk i/o error",),
        "db.io_error",
        "reading or writing the database failed (a disk input/output error), so nothing was "
        "saved. Check the disk (a removed drive, a network share that went away, a full "
        "disk), then try again. Do not replace the file: it is most likely intact.",
    ),
    (
        ("password authentication failed", "authentication failed", "no pg_hba.conf entry"),
        "db.login_refused",
        "the database server refused the login (a wrong user name or password in the "
        "database URL, or no access for this user), so nothing was done. Check the URL's "
        "user and password.",
    ),
    (
        (
            "connection refused",
            "could not translate host name",
            "name or service not known",
            "timeout expired",
            "no route to host",
        ),
        "db.unreachable",
        "the database server cannot be reached, so nothing was done. Check that the server "
        "is running and the host and port in the database URL, then try again.",
    ),
    (
        (
            "server closed the connection",
            "terminating connection",
            "connection is closed",
            "could not connect",
            "connection to server",
            "consuming input failed",
        ),
        "db.connection_lost",
        "the connection to the database server was lost, so nothing of this action was "
        "saved (the server rolls back what was not committed). Check that the server is "
        "running, then try again.",
    ),
)
_DAMAGE = ("malformed", "not a database", "corrupt", "could not decode")


def _reason(exc: DatabaseError) -> str:
    """The driver's message on one line: psycopg's runs over two, the second indented with
    a tab ("... Connection refused / Is the server running on that host ...")."""
    return redact_password(" ".join(str(exc.orig).split())) or type(exc.orig).__name__


def user_error_for(exc: DatabaseError, folder: Path | None = None) -> UserFacingError | None:
    """The sentence for a database error caused by the disk, the file system, the server
    or damage, or None when the error is something else (a constraint, a bug). ``folder``
    (the SQLite file's) lets a generic I/O error on a full disk be called a full disk."""
    text = _reason(exc)
    if folder is not None and "disk i/o error" in text.lower() and looks_full(folder):
        text = f"database or disk is full ({text})"
    return fault_for_text(text)


def fault_for_text(reason: str) -> UserFacingError | None:
    """The sentence for a database driver's message (SQLite's or PostgreSQL's words), or
    None when it names no fault of the disk, the file system, the server or the file."""
    text = reason.lower()
    if "cannot contain nul" in text:  # PostgreSQL; services refuse NUL before this
        return DatabaseTextError(
            Sentence(
                "a text contains a NUL character, which the database cannot store, so nothing "
                "was saved. Remove it (it is invisible: retype the text), then try again.",
                "db.nul",
            )
        )
    for words, code, message in _FAULTS:
        if any(word in text for word in words):
            return DatabaseUnavailableError(Sentence(f"{message} ({reason})", code, reason=reason))
    if any(word in text for word in _DAMAGE):
        return DatabaseDamagedError(
            Sentence(
                f"the database file is damaged ({reason}). Keep a copy of the file as it is "
                "now, then restore your latest backup with `quote-builder restore`; the copy is "
                "what a recovery would start from.",
                "db.damaged",
                reason=reason,
            )
        )
    return None


def display_url(url: str | URL) -> str:
    """The URL with any password hidden: safe to print, log and show in a window title."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except (ArgumentError, ValueError):  # a bad port is a ValueError
        return redact_password(str(url))
    return parsed.render_as_string(hide_password=True)


def display_location(url: str | URL) -> str:
    """Where the database is, as a person names it: a SQLite database's file path (what
    ``--db`` takes and the window's status bar shows), any other URL with its password
    hidden (``display_url``)."""
    try:
        path = sqlite_path(url)
    except (ArgumentError, ValueError):
        path = None
    return str(path) if path is not None else display_url(url)


def sqlite_path(url: str | URL) -> Path | None:
    """The file behind a SQLite URL, or None for other backends and in-memory SQLite."""
    parsed = _parse(url) if isinstance(url, str) else url
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def _configure_sqlite(engine: Engine, foreign_keys: bool = True) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own handling would
        # defer it and make BEGIN IMMEDIATE impossible).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            # Off only for migrations (store/migrations: batch rebuilds need it off).
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get("quote_builder_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except (ArgumentError, ValueError):  # a bad port is a ValueError
        raise DatabaseOpenError(
            f"{redact_password(url)!r} is not a database URL (e.g. sqlite:///path/to/file.db "
            "or postgresql+psycopg://user:password@host:5432/name)"
        ) from None


def make_engine(url: str, *, foreign_keys: bool = True) -> Engine:
    parsed = _parse(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine, foreign_keys)
        return engine
    if backend == "postgresql":
        try:
            return create_engine(parsed, pool_pre_ping=True)
        except ModuleNotFoundError:
            raise DatabaseOpenError(
                "PostgreSQL support is not installed: pip install 'quote-builder[postgres]'"
            ) from None
    raise DatabaseOpenError(f"unsupported database {backend!r}: use SQLite or PostgreSQL")


_current_session: contextvars.ContextVar[Session | None] = contextvars.ContextVar(
    "quote_builder_write_session", default=None
)
"""The write session of the use case running in this thread, so that a use case made of
other use cases (demo data, an import) is one transaction: all or nothing."""


class Database:
    """An open, migrated database. ``read()`` and ``write()`` are the only ways to a
    session; services use them, one transaction per use case.

    A ``write()`` or ``read()`` inside a ``write()`` of the same thread joins the outer
    transaction instead of starting its own: a use case that calls other use cases commits
    once at the end, or rolls all of them back."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self._write_engine = engine.execution_options(quote_builder_write=True)
        self._watch: Any = None
        """The connection ``data_version`` asks (kept: the pragma compares with its own
        last look)."""
        self._watch_lock = threading.Lock()

    def data_version(self) -> int | None:
        """SQLite's ``PRAGMA data_version``: a number that changes when any other connection
        (another process, or this one's other connections) commits to the file; None on
        other databases. Asked on a connection kept for it, outside any transaction."""
        if not self.is_sqlite:
            return None
        with self._watch_lock:
            if self._watch is None:
                self._watch = self.engine.raw_connection()
            cursor = self._watch.cursor()
            try:
                cursor.execute("PRAGMA data_version")
                row = cursor.fetchone()
            finally:
                cursor.close()
        return int(row[0])

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.engine.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        outer = _current_session.get()
        if outer is not None and outer.bind is self._write_engine:
            yield outer
            return
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except DatabaseError as exc:
            raise self._user_error(exc) or exc from None

    @contextmanager
    def read_apart(self) -> Iterator[Session]:
        """A read on a connection of its own, even inside a write: what other writers have
        committed (the customer whose insert won a unique index against this write's)."""
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except DatabaseError as exc:
            raise self._user_error(exc) or exc from None

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back on any error.

        Two writers that both passed the service's version check (possible on PostgreSQL,
        where writes do not queue as SQLite's BEGIN IMMEDIATE makes them) meet SQLAlchemy's
        version counter: the second gets ConcurrentSaveError, never a silent overwrite."""
        outer = _current_session.get()
        if outer is not None and outer.bind is self._write_engine:
            yield outer  # the outermost write commits or rolls back everything
            return
        token = _current_session.set(None)
        try:
            with Session(self._write_engine, expire_on_commit=False) as session, session.begin():
                _current_session.set(session)
                yield session
        except StaleDataError:
            raise ConcurrentSaveError(
                Sentence(
                    "someone else saved the same record at the same moment; nothing was saved. "
                    "Reload to see their changes, then apply yours again.",
                    "db.concurrent_save",
                )
            ) from None
        except DatabaseError as exc:
            raise self._user_error(exc) or exc from None
        finally:
            _current_session.reset(token)

    def _user_error(self, exc: DatabaseError) -> UserFacingError | None:
        path = self.path
        return user_error_for(exc, path.parent if path is not None else None)

    def close(self) -> None:
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_empty_file(path: Path) -> bool:
    """Whether ``path`` is a regular file of 0 bytes (a database file emptied by a failed
    copy, a sync tool or a crash of the program that wrote it)."""
    try:
        info = path.stat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size == 0


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database, or one that is some other program's.

    A full disk, a read-only folder or a missing permission is said as such: calling it
    damage would send the user to restore a backup over a good database."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise DatabaseOpenError(
            Sentence(
                f"{path}: cannot be read ({reason(exc)})",
                "db.unreadable",
                path=str(path),
                reason=reason(exc),
            )
        ) from None
    if header != b"SQLite format 3\x00":
        raise DatabaseOpenError(
            Sentence(
                f"{path} is not a Quote Builder database (it is not a SQLite file).",
                "db.not_sqlite",
                path=str(path),
            )
        )
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            connection.close()
    except UnicodeDecodeError:  # text in the schema that is not UTF-8: scrambled bytes
        raise DatabaseOpenError(
            Sentence(
                f"{path} is damaged and cannot be opened (its table list is unreadable). Keep a "
                "copy of the file as it is now, then restore your latest backup.",
                "db.table_list",
                path=str(path),
            )
        ) from None
    except sqlite3.DatabaseError as exc:
        problem = _folder_problem(path)
        if problem is not None:
            raise DatabaseOpenError(
                Sentence(
                    f"cannot open the database {path}: {problem}",
                    "db.cannot_open",
                    path=str(path),
                    problem=problem,
                )
            ) from None
        fault = fault_for_text(str(exc))
        if isinstance(fault, DatabaseUnavailableError):
            raise DatabaseOpenError(
                Sentence(
                    f"cannot open the database {path}: {fault}",
                    "db.cannot_open",
                    path=str(path),
                    problem=sentence_of(fault),
                )
            ) from None
        raise DatabaseOpenError(
            Sentence(
                f"{path} is damaged and cannot be opened ({exc})",
                "db.damaged_file",
                path=str(path),
                problem=str(exc),
            )
        ) from None
    if tables and "alembic_version" not in tables:
        raise DatabaseOpenError(
            Sentence(
                f"{path} is a SQLite database of another program, not a Quote Builder database.",
                "db.other_program",
                path=str(path),
            )
        )


def _folder_problem(path: Path) -> str | None:
    """Why SQLite cannot work beside ``path`` (it writes -wal and -shm files there even to
    read), when the folder says so: a read-only disk, a full disk, no permission."""
    folder = path.parent
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs on Windows
        info = None
    if info is not None and info.f_flag & os.ST_RDONLY:
        return (
            "the database is on a read-only disk, and SQLite writes beside the database even "
            "to read it. The database is as it was: copy it to a folder you can write to, or "
            "make the disk writable, then try again."
        )
    if not os.access(folder, os.W_OK) or not os.access(path, os.R_OK | os.W_OK):
        return (
            f"permission denied: Quote Builder needs to read and write the database and to "
            f"write in its folder {folder}. The database is as it was: check the permissions."
        )
    if info is not None and info.f_bavail == 0:
        return (
            "the disk holding the database is full. The database is as it was: free some "
            "space on that disk, then try again."
        )
    return None


def _create_private_file(path: Path) -> None:
    """An empty database file readable by the user only, made before SQLite makes it with
    the umask's mode (0644: anyone on the machine could read every quote). SQLite gives its
    -wal and -shm files the database file's mode, so they are private too. An empty file is
    a new database to SQLite."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return
    except OSError as exc:
        raise DatabaseOpenError(f"cannot create the database {path}: {reason(exc)}") from None
    os.close(fd)


def copy_database(
    source: Path | sqlite3.Connection, target: Path, *, overwrite: bool = False
) -> Path:
    """Copy a SQLite database to ``target`` with SQLite's online backup API (safe while
    others write to the source), whole or not at all: the copy is written to a temporary
    file in the target's folder (mode 0600), synced, checked, then renamed into place. A full
    disk, a read-only folder or an interrupted copy leaves nothing under ``target`` and is a
    sentence (safe_files.FileWriteError). ``source`` is a file or an open connection."""
    folder = target.parent
    if not folder.is_dir():
        raise FileWriteError(f"{target}: cannot write: the folder {folder} does not exist")
    companion = database_companion(target)
    if companion is not None:  # a copy renamed over another database's log loses its saves
        raise FileWriteError(
            f"{target} is a database file ({companion[1]} of the database "
            f"{companion[0].name}); it was not replaced. Choose another file name."
        )
    refuse_special_file(target, str(target))
    refuse_stream_for_copy(target, str(target))
    if target.exists() and not overwrite:
        raise FileWriteError(f"{target} already exists; choose another name")
    remove_stale_temporaries(folder)  # a backup killed mid-way before this one
    temporary = temporary_beside(target)
    try:
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        src = (
            sqlite3.connect(str(source), timeout=BUSY_TIMEOUT_MS / 1000)
            if isinstance(source, Path)
            else source
        )
        try:
            dst = sqlite3.connect(str(temporary))
            try:
                src.backup(dst)
                status = dst.execute("PRAGMA quick_check").fetchone()[0]
                if status != "ok":
                    raise DatabaseDamagedError(f"the copy failed its check ({status})")
            finally:
                dst.close()
        finally:
            if isinstance(source, Path):
                src.close()
        fd = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)  # fails if the name was taken meanwhile
            temporary.unlink()
    except (OSError, sqlite3.Error) as exc:
        _remove_database_files(temporary)
        if isinstance(exc, FileExistsError):
            raise FileWriteError(f"{target} already exists; choose another name") from None
        why = reason(exc) if isinstance(exc, OSError) else _sqlite_reason(exc)
        need = (
            sum(p.stat().st_size for p in _database_files(source))
            if isinstance(source, Path)
            else 0
        )
        if looks_full(folder, need):
            why = "the disk is full"
        raise FileWriteError(
            f"{target}: the copy was not written ({why}); nothing was left behind"
        ) from None
    except BaseException:
        _remove_database_files(temporary)
        raise
    fsync_folder(folder)
    return target


def _remove_database_files(path: Path) -> None:
    """A database file of our own (a temporary copy nobody else knows) and its sidecars."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        with suppress(OSError):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def _database_files(path: Path) -> list[Path]:
    return [p for p in (path, path.with_name(path.name + "-wal")) if p.exists()]


def _sqlite_reason(exc: sqlite3.Error) -> str:
    text = str(exc).lower()
    if "full" in text:
        return "the disk is full"
    if "readonly" in text or "read-only" in text:
        return "the folder is on a read-only disk"
    if "unable to open" in text:
        return "the file cannot be opened: check the folder's permissions"
    return str(exc)


def open_database(
    url: str | None = None,
    *,
    migrate: bool = True,
    create: bool = True,
    reading_only: bool = False,
) -> Database:
    """Open (creating if needed and ``create``) and upgrade the database at ``url``.

    An existing SQLite database on an older schema is first copied next to itself
    (``NAME.backup-<revision>-<time>.db``). A database from a newer Quote Builder is refused.
    With ``create=False`` a SQLite file that does not exist is refused with a sentence (a
    mistyped ``--db`` must not look like a database whose data was lost). With
    ``migrate=False`` an older schema is refused (``DatabaseNeedsUpgradeError``) instead of
    upgraded. ``reading_only``: a command that only reads from a database it was not asked
    to change (``render FILE`` reading the seller from the user's database): nothing is
    created, upgraded or filled in (implies ``create=False`` and ``migrate=False``).
    """
    if reading_only:
        create, migrate = False, False
    from .schema_version import head as head_revision
    from .schema_version import shipped_revisions, stored_revision

    resolved = resolve_url(url)
    path = sqlite_path(resolved)
    if path is not None:
        if not path.parent.exists():
            raise DatabaseOpenError(
                f"{path.parent} does not exist: cannot create the database there"
            )
        if not create and not path.exists():
            raise DatabaseMissingError(path)
        if not create and is_empty_file(path):
            raise DatabaseEmptyError(path)
        _check_sqlite_file(path)
        _create_private_file(path)
    engine = make_engine(resolved)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            revision = stored_revision(connection, tables)
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        fault = user_error_for(exc)
        if fault is not None:
            raise DatabaseOpenError(f"cannot open the database: {fault}") from None
        raise DatabaseOpenError(f"cannot open the database: {_reason(exc)}") from None
    head = head_revision()
    if revision is None and tables - {"alembic_version"}:
        engine.dispose()
        raise DatabaseOpenError(
            "The database holds tables of another program, not a Quote Builder database."
        )
    if revision is not None and revision != head:
        if revision not in shipped_revisions():
            engine.dispose()
            raise DatabaseOpenError(
                f"the database was written by a newer Quote Builder (schema {revision}); update the app"
            )
        if not migrate:
            engine.dispose()
            raise DatabaseNeedsUpgradeError(
                f"the database needs an upgrade from schema {revision} to {head}", revision, head
            )
        if path is not None:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            copy_database(
                path, path.with_name(f"{path.stem}.backup-{revision}-{stamp}{path.suffix}")
            )
    if revision is None and not migrate:
        engine.dispose()
        raise DatabaseNeedsUpgradeError(
            f"the database has no Quote Builder tables yet (schema {head} not made)", "", head
        )
    if revision != head:
        from .migrations import MigrationError, upgrade

        database = Database(resolved, engine)
        try:
            upgrade(database)
        except MigrationError as exc:
            database.close()
            raise DatabaseOpenError(f"the database could not be upgraded: {exc}") from None
        fill_missing_name_keys(database)
        return database
    database = Database(resolved, engine)
    if not reading_only:
        fill_missing_name_keys(database)
    return database


def fill_missing_name_keys(database: Database) -> None:
    """Give the customers written outside the app (raw SQL, another tool on a shared
    PostgreSQL database) their ``name_key`` when the database is opened
    (``repositories.fill_missing_name_keys``). One indexed read finds none in the usual
    case; only then is anything written. A database that cannot be written now (read-only
    medium, a writer holding the lock past the busy timeout, two processes filling the same
    row at once) is left as it is and opens all the same: the duplicate checks compute the
    key of such a row themselves (``repositories.customer_named``)."""
    import logging

    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import col

    from . import repositories as repo
    from .models import Customer

    log = logging.getLogger("quote_builder.store")
    try:
        with database.read() as session:
            missing = session.execute(
                select(col(Customer.id)).where(col(Customer.name_key).is_(None)).limit(1)
            ).first()
        if missing is None:
            return
        with database.write() as session:
            renamed = repo.fill_missing_name_keys(session)
    except (SQLAlchemyError, UserFacingError) as exc:
        log.warning("customers without a name key were left as they are: %s", exc)
        return
    for customer_id, old, new in renamed:
        log.warning(
            "customer %d %r renamed %r: another customer has the same name (the row was "
            "written outside Quote Builder); merge or rename them on the Customers page",
            customer_id,
            old,
            new,
        )
