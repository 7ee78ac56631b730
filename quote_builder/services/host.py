"""The database host: the process that holds the desktop app's database (no Qt here).

Why a separate process. On POSIX systems a process's fcntl locks on a file belong to the
(process, file) pair, and closing *any* descriptor of that file drops all of them,
including SQLite's. A GUI process opens files it was never asked to: a file dialog's
information thread reads every file of the folder it shows (strace: the database file
opened and closed by Qt's ``QFileInfoGatherer``), and so may an icon provider, a MIME
sniffer, a file watcher or a drag and drop. After that, SQLite in another process (the
command line, a backup, a second window) believes it holds the last connection, checkpoints
and deletes the write-ahead log while the app goes on writing into the deleted file: saves
the app confirmed are never seen by anyone else and are lost at the next crash (SQLite's
"How To Corrupt An SQLite Database File", section 2.2).

So the desktop app's GUI process never opens the database at all. This process does, and
runs the use cases (``quote_builder.services.*`` functions, called as ``fn(db, *args,
**kwargs)``) for it: the GUI sends the function's name and arguments through a pipe and gets
back the result, or the exception the use case raised. Nothing in this process shows a
dialog or opens the user's files besides what a use case was asked to, and SQLite's locks
stay where SQLite put them. See docs/architecture.md ("Who holds the database").

Lifetime: the host exits when the app asks, or when the pipe closes (the app quit or was
killed; a use case in progress finishes and commits first). If the host dies, the call in
progress fails with :class:`DatabaseProcessError` and the next call starts a new host.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import pickle
import signal
import threading
import traceback
import weakref
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate

from quote_builder.errors import Sentence, UserFacingError

if TYPE_CHECKING:  # the app's process must not load SQLAlchemy to start the host
    from quote_builder.store.database import Database

SERVICES_PACKAGE = "quote_builder.services."
START_TIMEOUT = 120.0
"""Seconds to wait for the host to open (and perhaps upgrade) the database."""
STOP_TIMEOUT = 10.0
"""Seconds to wait for the host to finish what it is doing when the app closes."""


class DatabaseProcessError(UserFacingError):
    """The database process stopped while the app was waiting for it."""


class HostError(RuntimeError):
    """A use case failed in the database process with an error that is not meant for the
    user (a bug); the message carries the host's traceback."""


@dataclass(frozen=True)
class HostInfo:
    """What the host says once the database is open."""

    pid: int
    url: str
    """The database's URL with any password hidden: safe to show."""
    database_id: str
    """The database's identity (migration 0004), for keying files kept outside it."""
    path: str | None
    """The SQLite file, or None for PostgreSQL."""


# --- encoding what crosses the pipe -------------------------------------------------------------


def _encode_call(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes:
    module, name = getattr(fn, "__module__", ""), getattr(fn, "__qualname__", "")
    if not module.startswith(SERVICES_PACKAGE) or "<" in name:
        raise TypeError(
            f"only functions of quote_builder.services run in the database process, not {fn!r}"
        )
    return pickle.dumps((module, name, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)


def _resolve(module: str, name: str) -> Callable[..., Any]:
    if not module.startswith(SERVICES_PACKAGE):
        raise TypeError(f"{module}.{name} is not a use case")
    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    if not callable(target):
        raise TypeError(f"{module}.{name} is not a use case")
    return target  # type: ignore[no-any-return]


def _encode_result(value: Any) -> bytes:
    try:
        return pickle.dumps(("ok", value), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # a use case returned something that cannot travel: a bug
        return _encode_failure(exc)


def _encode_failure(exc: BaseException) -> bytes:
    """The exception itself when it survives a round trip through pickle (every
    UserFacingError does: errors.py), else a HostError carrying the traceback."""
    try:
        data = pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)
        return data
    except Exception:
        text = "".join(traceback.format_exception(exc))
        return pickle.dumps(
            ("error", HostError(f"{type(exc).__name__} in the database process:\n{text}")),
            protocol=pickle.HIGHEST_PROTOCOL,
        )


def _decode_reply(data: bytes) -> Any:
    kind, value = pickle.loads(data)
    if kind == "ok":
        return value
    assert isinstance(value, BaseException)
    raise value


def run_call[**P, R](
    db: Database, fn: Callable[Concatenate[Database, P], R], *args: P.args, **kwargs: P.kwargs
) -> R:
    """Run a use case in this process as the host would: arguments, result and exception
    all make the round trip through pickle. Tests use it (``LocalWorkspace`` with
    ``check_transport``) so that whatever the app sends or receives is known to travel.
    ``fn`` is called as given, so a test may stand in its own function for a use case."""
    call_args, call_kwargs = pickle.loads(
        pickle.dumps((args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
    )
    try:
        value = fn(db, *call_args, **call_kwargs)
    except Exception as exc:
        reply = _encode_failure(exc)
    else:
        reply = _encode_result(value)
    return _decode_reply(reply)  # type: ignore[no-any-return]


# --- the host process ---------------------------------------------------------------------------

PROCESS_NAME = "qb-database"
"""What ``ps`` and a refused restore call this process (Linux shows at most 15 characters)."""


def _name_process(name: str) -> None:
    with suppress(OSError):
        Path("/proc/self/comm").write_text(name)


def _serve(conn: Connection, url: str | None, create: bool) -> None:
    """The host's main loop: open the database, say so, then run one call per message
    until ``None`` or until the app goes away."""
    # Ctrl+C in a terminal reaches the whole process group: the app decides, and a use case
    # in progress is never interrupted half-way (its transaction would roll back anyway).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _name_process(PROCESS_NAME)
    db: Database | None = None
    try:
        try:
            from quote_builder.store import repositories as repo
            from quote_builder.store.database import display_url, open_database

            db = open_database(url, create=create)
            with db.read() as session:
                database_id = repo.database_uuid(session)
            info = HostInfo(
                os.getpid(),
                display_url(db.url),
                database_id,
                str(db.path) if db.path is not None else None,
            )
        except Exception as exc:
            conn.send_bytes(_encode_failure(exc))
            return
        conn.send_bytes(_encode_result(info))
        while True:
            message = conn.recv_bytes()
            if message == b"":
                return
            try:
                module, name, args, kwargs = pickle.loads(message)
                value = _resolve(module, name)(db, *args, **kwargs)
            except Exception as exc:
                conn.send_bytes(_encode_failure(exc))
            else:
                conn.send_bytes(_encode_result(value))
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the app closed the pipe, quit or was killed
    finally:
        if db is not None:
            db.close()
        conn.close()


# --- the app's side -----------------------------------------------------------------------------


class DatabaseHost:
    """The app's handle on the database process. Thread-safe: one call at a time."""

    def __init__(self, url: str | None, *, create: bool = False) -> None:
        self._url = url
        self._create = create
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.RLock()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._info: HostInfo | None = None
        self.starts = 0
        """How many host processes were started (a host that died is started again)."""
        self._finalizer = weakref.finalize(self, _stop, None, None)

    def start(self) -> None:
        """Start the host if none is running; returns at once (the database opens in the
        host while the app builds its window). :meth:`wait_ready` collects the result."""
        with self._lock:
            if self._process is not None and self._process.is_alive():
                return
            self._discard()
            parent, child = self._ctx.Pipe(duplex=True)
            process = self._ctx.Process(
                target=_serve,
                args=(child, self._url, self._create),
                name="quote-builder-database",
                daemon=True,
            )
            process.start()
            child.close()
            self._process, self._conn, self._info = process, parent, None
            self.starts += 1
            self._finalizer = weakref.finalize(self, _stop, process, parent)

    def wait_ready(self, timeout: float = START_TIMEOUT) -> HostInfo:
        """Wait until the database is open. Raises the UserFacingError that opening it
        raised (not a database, newer schema, ...), or DatabaseProcessError."""
        with self._lock:
            if self._info is not None:
                return self._info
            if self._conn is None:
                self.start()
            conn = self._conn
            assert conn is not None
            if not conn.poll(timeout):
                self._discard()
                raise DatabaseProcessError(
                    Sentence(
                        f"the database did not open within {timeout:.0f} seconds",
                        "host.open_timeout",
                        seconds=int(round(timeout)),
                    )
                )
            try:
                info = _decode_reply(self._receive(conn))
            except BaseException:
                self._discard()
                raise
            assert isinstance(info, HostInfo)
            # Only the first start may create the database: a host started again after a
            # crash must find the same file, never make an empty one in its place.
            self._create = False
            self._info = info
            return info

    def poll_ready(self) -> bool:
        """Whether :meth:`wait_ready` would return (or raise) at once: the app polls this
        from a timer, so its window stays responsive while the database opens."""
        with self._lock:
            if self._info is not None:
                return True
            if self._conn is None:
                self.start()
                return False
            try:
                return self._conn.poll(0)
            except (OSError, EOFError):
                return True  # wait_ready raises DatabaseProcessError

    @property
    def info(self) -> HostInfo:
        return self.wait_ready()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def call[**P, R](
        self, fn: Callable[Concatenate[Database, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """Run ``fn(db, *args, **kwargs)`` in the database process and return its result,
        or raise the exception it raised."""
        request = _encode_call(fn, args, kwargs)
        with self._lock:
            info = self.wait_ready()
            conn = self._conn
            assert conn is not None
            try:
                conn.send_bytes(request)
            except (OSError, ValueError):
                self._discard()
                # Nothing reached the host: start a new one and send again.
                self.wait_ready()
                conn = self._conn
                assert conn is not None
                conn.send_bytes(request)
            reply = self._receive(conn)
        del info
        return _decode_reply(reply)  # type: ignore[no-any-return]

    def _receive(self, conn: Connection) -> bytes:
        try:
            return conn.recv_bytes()
        except (EOFError, OSError):
            code = self._exit_code()
            self._discard()
            detail = f" (exit code {code})" if code is not None else ""
            raise DatabaseProcessError(
                Sentence(
                    f"the database process stopped unexpectedly{detail}. What you just did may "
                    "not have been saved: look before doing it again. The next action starts "
                    "the database process again.",
                    "host.stopped.code" if code is not None else "host.stopped",
                    code=code if code is not None else "",
                )
            ) from None

    def _exit_code(self) -> int | None:
        if self._process is None:
            return None
        self._process.join(2.0)
        return self._process.exitcode

    def _discard(self) -> None:
        self._finalizer.detach()
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(2.0)
            with suppress(ValueError):
                self._process.close()
        self._process, self._conn, self._info = None, None, None

    def close(self) -> None:
        """Ask the host to stop and wait for it to finish what it is doing."""
        with self._lock:
            self._finalizer()
            self._process, self._conn, self._info = None, None, None


def _stop(process: BaseProcess | None, conn: Connection | None) -> None:
    """Stop a host: ask, wait for the use case in progress to commit, then terminate."""
    if conn is not None:
        with suppress(OSError, EOFError, ValueError):
            conn.send_bytes(b"")
    if process is not None:
        try:
            process.join(STOP_TIMEOUT)
            if process.is_alive():
                process.terminate()
                process.join(2.0)
            if process.is_alive():
                process.kill()
                process.join(2.0)
        except (AssertionError, ValueError):  # already closed
            pass
    if conn is not None:
        conn.close()


__all__ = [
    "DatabaseHost",
    "DatabaseProcessError",
    "HostError",
    "HostInfo",
    "run_call",
]
