"""Files written whole or not at all, and errors about files in the user's words.

Every file Quote Builder writes for a user (a PDF, an export, a backup, a request or a
decision, a draft) goes through :func:`write_atomic`: a temporary file in the target's
folder, written, flushed to disk (fsync), then renamed over the target, and the folder
synced so the rename itself survives a crash (git writes ``index.lock`` the same way). A
full disk, a read-only folder or a kill leaves the old file as it was and no partial file
under the final name; the failure is a sentence naming the file and the reason.

A file that is a SQLite database is never replaced by an export: choosing the database in
a "Save as" dialog would otherwise destroy it. Nor is one of its companion files (SQLite's
``-wal`` write-ahead log, ``-shm`` shared-memory index, ``-journal`` rollback journal beside
a database), whether it exists or not: a PDF renamed over ``x.db-shm`` while the app has
``x.db`` open makes two processes overwrite each other's saves, over ``x.db-wal`` it makes
every other process call the database damaged and a crash lose the saves, and a file
created as ``x.db-journal`` would be "rolled back" into the database. The suffix is matched
in any letter case (``X.DB-SHM`` is ``x.db-shm`` on macOS and Windows), and the name is
checked both as given and with its symbolic links resolved.

This module imports nothing from the project but ``errors``, so every layer may use it.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from pathlib import Path

from quote_builder.errors import Sentence, UserFacingError

PRIVATE_FILE = 0o600
"""Files the app creates: readable by the user only."""
PRIVATE_FOLDER = 0o700
"""Folders the app creates: usable by the user only."""
SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_COMPANIONS = {
    "-wal": "the write-ahead log",
    "-shm": "the shared-memory index",
    "-journal": "the rollback journal",
}
"""SQLite's files beside a database ``NAME``: ``NAME-wal``, ``NAME-shm``, ``NAME-journal``."""


class FileWriteError(UserFacingError):
    """A file could not be written; nothing was left behind."""


class FileNameRefusedError(FileWriteError):
    """The name given cannot be written as asked (a folder, a database, an existing file
    that must not be replaced, a folder that does not exist): the user's input, not the
    disk (the command line exits with status 2, not 1)."""


class FileReadError(UserFacingError):
    """A file could not be read."""


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "your disk quota is used up",
    errno.EROFS: "the folder is on a read-only disk",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EIO: "the disk reported an input/output error",
}


def reason(exc: OSError) -> str:
    """An OSError in words ("the disk is full"), never a Python exception's text."""
    return _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()


def free_bytes(folder: Path) -> int | None:
    """Bytes free for this user on the disk holding ``folder`` (None where unknown)."""
    try:
        stats = os.statvfs(folder)
    except (OSError, AttributeError):  # AttributeError: no statvfs on Windows
        return None
    return stats.f_bavail * stats.f_frsize


def looks_full(folder: Path, need: int = 0) -> bool:
    """Whether the disk holding ``folder`` is (nearly) full: SQLite sometimes reports a full
    disk as a generic "disk I/O error", so the free space is asked directly."""
    free = free_bytes(folder)
    return free is not None and free < need + 256 * 1024


def is_sqlite_database(path: Path) -> bool:
    """Whether ``path`` is an existing SQLite database file.

    A database in use in WAL mode has a ``-shm`` file beside it; that is answered without
    opening the database at all, because opening and closing a database file that this
    process holds open would drop SQLite's locks on it (services/host.py). Only a database
    nobody has open is read for its header."""
    if any(path.with_name(path.name + suffix).exists() for suffix in SQLITE_COMPANIONS):
        return True
    if not path.is_file():
        return False  # a named pipe would block the read until someone writes to it
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError:
        return False


def database_companion(path: Path) -> tuple[Path, str] | None:
    """The database ``path`` belongs to, and what it is to it ("the write-ahead log"), when
    ``path`` names one of SQLite's companion files of an existing database (see the
    module's text); None otherwise. The file itself need not exist."""
    spellings = [path]
    with suppress(OSError, RuntimeError):
        spellings.append(path.resolve())
    for spelling in spellings:
        folded = spelling.name.casefold()
        for suffix, role in SQLITE_COMPANIONS.items():
            if folded.endswith(suffix) and len(folded) > len(suffix):
                base = spelling.with_name(spelling.name[: -len(suffix)])
                if base.is_file() and is_sqlite_database(base):
                    return base, role
    return None


def refuse_database_name(path: Path, label: str, what: str = "") -> None:
    """Refuse (FileNameRefusedError) to write over a database or one of its companion
    files: the one check every writer of a user's file makes."""
    companion = database_companion(path)
    if companion is not None:
        base, role = companion
        raise FileNameRefusedError(
            Sentence(
                f"{label} is a database file ({role} of the database {base.name}); it was not "
                "replaced. Choose another file name.",
                "file.is_database_companion",
                what=what,
                path=str(path),
                role=role,
                database=base.name,
            )
        )
    if path.exists() and is_sqlite_database(path):
        raise FileNameRefusedError(
            Sentence(
                f"{label} is a database; it was not replaced. Choose another file name.",
                "file.is_database",
                what=what,
                path=str(path),
            )
        )


_INPUTS: ContextVar[dict[tuple[int, int], str] | None] = ContextVar("inputs", default=None)
"""The files the running command has read, by identity (device, inode), with what each
is ("the quote file"); None outside a command (the desktop app)."""


@contextmanager
def command_inputs() -> Iterator[None]:
    """While a command runs, every file it reads (``note_input``) is one it must not write
    over: ``render quote.json -o quote.json`` would replace the quote with its PDF. The
    identity is the file's, not its name's, so a symbolic or hard link to the input is
    refused too."""
    token = _INPUTS.set({})
    try:
        yield
    finally:
        _INPUTS.reset(token)


def note_input(path: Path | str, what: str) -> None:
    """Record that the running command reads ``path`` (``what``: "the quote file")."""
    inputs = _INPUTS.get()
    if inputs is None:
        return
    with suppress(OSError):
        info = os.stat(Path(path).expanduser())
        inputs.setdefault((info.st_dev, info.st_ino), what)


def refuse_input_name(path: Path, label: str, what: str = "") -> None:
    """Refuse (FileNameRefusedError) to write over a file the running command reads."""
    inputs = _INPUTS.get()
    if not inputs:
        return
    try:
        info = os.stat(path)
    except OSError:
        return
    read = inputs.get((info.st_dev, info.st_ino))
    if read is not None:
        raise FileNameRefusedError(
            Sentence(
                f"{label} is {read} this command reads; it was not replaced. Choose another "
                "file name.",
                "file.is_input",
                what=what,
                path=str(path),
                input=read,
            )
        )


def make_private_folder(folder: Path) -> Path:
    """Create ``folder`` and every missing parent readable by the user only (``mkdir(mode,
    parents=True)`` gives the parents the default mode, 0755 under the usual umask, so
    each is made here); an existing folder keeps its mode (it may be shared on purpose)."""
    missing: list[Path] = []
    probe = folder
    while not probe.exists() and probe.parent != probe:
        missing.append(probe)
        probe = probe.parent
    try:
        for each in reversed(missing):
            try:
                each.mkdir(mode=PRIVATE_FOLDER)
            except FileExistsError:
                if not each.is_dir():
                    raise
                continue  # made meanwhile by another process: its mode is its own
            os.chmod(each, PRIVATE_FOLDER)  # whatever the umask
    except OSError as exc:
        raise FileWriteError(
            Sentence(
                f"{folder}: cannot create the folder ({reason(exc)})",
                "file.folder_not_made",
                folder=str(folder),
                reason=reason(exc),
            )
        ) from None
    return folder


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be synced)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform (Windows); the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(
    path: Path | str,
    data: bytes | str,
    *,
    overwrite: bool = True,
    mode: int = PRIVATE_FILE,
    what: str = "",
) -> Path:
    """Write ``data`` to ``path`` whole or not at all (see the module's text).

    ``overwrite=False`` refuses an existing file (atomically: the temporary file is linked
    to the name, which fails if the name exists). ``what`` names the file in messages ("the
    PDF"). Returns the path written."""
    target = Path(path).expanduser()
    label = f"{what} {target}" if what else str(target)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if target.is_dir():
        raise FileNameRefusedError(
            Sentence(
                f"{label}: cannot write: it is a folder; give a file name",
                "file.is_folder",
                what=what,
                path=str(target),
            )
        )
    refuse_database_name(target, label, what)
    refuse_input_name(target, label, what)
    if target.exists() and not overwrite:
        raise FileNameRefusedError(
            Sentence(
                f"{label} already exists; choose another name",
                "file.exists",
                what=what,
                path=str(target),
            )
        )
    if overwrite and _is_stream(target):
        return _write_through(target, payload, label, what)
    refuse_special_file(target, label, what)
    folder = target.parent
    if not folder.is_dir():
        raise FileNameRefusedError(
            Sentence(
                f"{label}: cannot write: the folder {folder} does not exist",
                "file.no_folder",
                what=what,
                path=str(target),
                folder=str(folder),
            )
        )
    remove_stale_temporaries(folder)
    temporary = temporary_beside(target)
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            _write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(temporary, target)
        else:
            _rename_no_replace(temporary, target, label, what)
        fsync_folder(folder)
    except OSError as exc:
        _remove(temporary)
        raise _not_written(label, what, target, exc) from None
    except BaseException:
        _remove(temporary)
        raise
    return target


TEMPORARY = re.compile(r"\..+\.(?P<pid>\d+)-[0-9a-f]{8,16}\.tmp(-journal|-wal|-shm)?")
"""Our temporary files: ``.NAME.<process>-<8 hex digits>.tmp`` beside the file ``NAME``
being written (and SQLite's journal beside a backup's copy; a backup's copy was named
with 12 hex digits before)."""
TEMPORARY_AGE = 24 * 3600
"""Seconds after which, on Windows (where a process cannot be asked about), one of
:data:`TEMPORARY` is taken as left behind."""


def temporary_beside(target: Path) -> Path:
    """A new name for the temporary file of a write of ``target`` (see :data:`TEMPORARY`)."""
    return target.parent / f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files a write killed mid-way (``kill -9``, a power cut) left
    in ``folder``: only files of our own naming (:data:`TEMPORARY`), owned by this user,
    whose process has ended; never another program's file, a folder or a link, nor one a
    running write is filling. Returns those removed; any error leaves a file as it is."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        name = entry.name
        if not name.startswith(".") or ".tmp" not in name:
            continue
        match = TEMPORARY.fullmatch(name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
            continue
        if sys.platform == "win32":
            left = now - info.st_mtime > TEMPORARY_AGE
        else:
            left = _process_gone(int(match.group("pid")))
        if left:
            with suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _process_gone(pid: int) -> bool:
    """Whether no process ``pid`` runs on this computer (POSIX: signal 0 asks, sends
    nothing). Another user's process, or any doubt, counts as running."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):
        return False
    return False


def _is_stream(target: Path) -> bool:
    """Whether ``target`` is a character device or a named pipe (``/dev/null``,
    ``/dev/stdout``, a FIFO), followed through symbolic links: written to, never replaced.
    Renaming a file over ``/dev/null`` (``render Q -o /dev/null`` run as root) replaced the
    system's /dev/null with a regular file, and every program's output sent there went
    into it."""
    try:
        mode = os.stat(target).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def refuse_special_file(target: Path, label: str, what: str = "") -> None:
    """Refuse a name that is a block device (a disk: as root, a PDF renamed over
    ``/dev/sdb`` removes the device, and one written through it overwrites the disk) or a
    UNIX socket (another program's; renaming over it cuts that program off), followed
    through symbolic links. Character devices and named pipes are written through
    (:func:`_is_stream`); a regular file or a missing name passes."""
    try:
        mode = os.stat(target).st_mode
    except (OSError, ValueError):
        return
    if stat.S_ISBLK(mode):
        raise FileNameRefusedError(
            Sentence(
                f"{label}: cannot write: it is a disk (a block device), not a file; "
                "nothing was written. Give a file name.",
                "file.is_block_device",
                what=what,
                path=str(target),
            )
        )
    if stat.S_ISSOCK(mode):
        raise FileNameRefusedError(
            Sentence(
                f"{label}: cannot write: it is a socket another program listens on, not a "
                "file; nothing was written. Give a file name.",
                "file.is_socket",
                what=what,
                path=str(target),
            )
        )


def refuse_stream_for_copy(target: Path, label: str, what: str = "") -> None:
    """Refuse a character device or a named pipe (``/dev/null``, a FIFO) as the name of a
    copy that is made beside it and renamed into place (a backup): renamed over
    ``/dev/null`` as root, the database copy replaced the system's /dev/null."""
    if _is_stream(target):
        raise FileNameRefusedError(
            Sentence(
                f"{label}: cannot write: it is a device or a pipe, not a file; a backup is "
                "a database file. Give a file or folder name.",
                "file.copy_not_a_file",
                what=what,
                path=str(target),
            )
        )


def _write_through(target: Path, payload: bytes, label: str, what: str) -> Path:
    try:
        fd = os.open(target, os.O_WRONLY)
        try:
            _write_all(fd, payload)
        finally:
            os.close(fd)
    except OSError as exc:
        raise _not_written(label, what, target, exc) from None
    return target


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _not_written(label: str, what: str, target: Path, exc: OSError) -> FileWriteError:
    return FileWriteError(
        Sentence(
            f"{label}: cannot write ({reason(exc)}); nothing was written",
            "file.not_written",
            what=what,
            path=str(target),
            reason=reason(exc),
        )
    )


def _remove(path: Path) -> None:
    with suppress(OSError):
        path.unlink(missing_ok=True)


def _rename_no_replace(temporary: Path, target: Path, label: str, what: str = "") -> None:
    try:
        os.link(temporary, target)
    except FileExistsError:
        _remove(temporary)
        raise FileNameRefusedError(
            Sentence(
                f"{label} already exists; choose another name",
                "file.exists",
                what=what,
                path=str(target),
            )
        ) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # No hard links on this file system (FAT, some network shares): check, then rename.
        if target.exists():
            _remove(temporary)
            raise FileNameRefusedError(
                Sentence(
                    f"{label} already exists; choose another name",
                    "file.exists",
                    what=what,
                    path=str(target),
                )
            ) from None
        os.replace(temporary, target)
        return
    temporary.unlink()


def read_limited(path: Path | str, limit: int, *, what: str = "file") -> bytes:
    """Read at most ``limit`` bytes of a regular file; a larger file, a folder, a device or
    a FIFO is refused with a sentence (never trusting ``stat()``: a FIFO reports size 0)."""
    source = Path(path).expanduser()
    if not source.exists():
        raise FileReadError(Sentence(f"{source}: no such file", "file.missing", source=str(source)))
    if not source.is_file():
        raise FileReadError(
            Sentence(f"{source}: not a regular file", "file.not_regular", source=str(source))
        )
    try:
        with source.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise FileReadError(
            Sentence(
                f"{source}: cannot read ({reason(exc)})",
                "file.not_read",
                source=str(source),
                reason=reason(exc),
            )
        ) from None
    if len(data) > limit:
        raise FileReadError(
            Sentence(
                f"{source}: the {what} is larger than {limit:,} bytes, the most Quote Builder reads",
                "file.too_large",
                source=str(source),
                what=what,
                limit=limit,
            )
        )
    note_input(source, f"the {what}")
    return data


__all__ = [
    "PRIVATE_FILE",
    "command_inputs",
    "note_input",
    "refuse_input_name",
    "PRIVATE_FOLDER",
    "FileNameRefusedError",
    "FileReadError",
    "FileWriteError",
    "database_companion",
    "is_sqlite_database",
    "refuse_database_name",
    "free_bytes",
    "fsync_folder",
    "looks_full",
    "make_private_folder",
    "read_limited",
    "reason",
    "refuse_special_file",
    "refuse_stream_for_copy",
    "remove_stale_temporaries",
    "temporary_beside",
    "write_atomic",
]
