"""The app's log file and crash reports (no Qt: the window's hooks are ``ui/crash.py``).

- **Log file**: ``quote-builder.log`` in the log folder (``app_dirs.log_dir``), rotated at
  1 MB, five old files kept (``quote-builder.log.1`` ... ``.5``).
- **Crash reports**: ``crash-reports/crash-<time>-<pid>.txt`` in the log folder, a plain
  text file the user can read before sending: what happened (the traceback), the app's and
  Python's versions, the platform, and the last lines of the log. No quote data is in it.
- **Hard crashes** (a segmentation fault in a library, an abort) cannot run Python code, so
  :class:`FaultLog` keeps ``faulthandler`` writing into ``faults-<pid>.log`` while the app
  runs; the file is deleted on a normal exit. A non-empty file of a process that is gone
  is a hard crash: :func:`collect_hard_crashes` turns it into a report at the next start.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import io
import logging
import logging.handlers
import os
import platform
import re
import sys
import traceback
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import IO

from quote_builder.app_dirs import log_dir
from quote_builder.safe_files import FileWriteError, make_private_folder, write_atomic

LOG_NAME = "quote-builder.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5
REPORTS = "crash-reports"
LOG_TAIL_LINES = 60
FAULT_FILE = re.compile(r"faults-(\d+)\.log")

log = logging.getLogger("quote_builder")


def app_version() -> str:
    """Quote Builder's version (the package's own, so the standalone build, which carries
    no package metadata, knows it too)."""
    from quote_builder.about import version

    return version()


# --- the log file -------------------------------------------------------------------------------


def log_file(folder: Path | None = None) -> Path:
    return (folder or log_dir()) / LOG_NAME


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """The rotating log, readable only by its owner (0600, as the app's other files): the
    file is created with that mode (never world-readable for a moment, whatever the umask),
    a file an older version left readable is made private when opened, and each new file
    a rotation starts is created the same way (the rotated ones keep their mode).

    Several running instances (one per database, the CLI beside the app) share the file.
    When another one has rotated it, this one follows to the new file instead of writing on
    into the renamed one (its lines would land in ``.1`` and be rotated away early, out of
    order), and a rotation is made under a lock on the log folder, by one instance at a
    time, after checking again that no other one rotated it meanwhile."""

    def shouldRollover(self, record: logging.LogRecord) -> bool:  # noqa: N802  (logging's name)
        self._follow_rotation()
        return bool(super().shouldRollover(record))

    def doRollover(self) -> None:  # noqa: N802  (logging's name)
        with _RotationLock(os.path.dirname(self.baseFilename)):
            if self._follow_rotation():
                return  # another instance rotated while this one waited for the lock
            super().doRollover()

    def _follow_rotation(self) -> bool:
        """Reopen the log when the file at its name is no longer the one being written;
        True when it did."""
        if self.stream is None:
            return False
        try:
            mine = os.fstat(self.stream.fileno())
            current = os.stat(self.baseFilename)
            same = (mine.st_dev, mine.st_ino) == (current.st_dev, current.st_ino)
        except OSError:
            same = False  # renamed away and not made again yet: make it
        if not same:
            stream, self.stream = self.stream, None
            with suppress(OSError):
                stream.close()
            self.stream = self._open()
        return not same

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND | _NOFOLLOW, 0o600)
        try:
            if os.name == "posix":
                os.fchmod(fd, 0o600)
            return open(fd, "a", encoding=self.encoding, errors=self.errors)  # noqa: SIM115
        except BaseException:
            os.close(fd)
            raise

    # The log is best effort: a disk that fills up (or fails) under it must not print
    # "--- Logging error ---" and a traceback on the user's terminal for every line logged,
    # nor fail the app's exit; what the app does goes on without its log.
    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handleError(record)

    def flush(self) -> None:
        with suppress(OSError):
            super().flush()

    def close(self) -> None:
        with suppress(OSError):
            super().close()


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class _RotationLock:
    """An exclusive lock on the log folder while the log rotates (POSIX ``flock`` on the
    folder itself: no lock file beside the logs; on Windows an open file cannot be renamed
    anyway, so there is nothing to order)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fd: int | None = None

    def __enter__(self) -> _RotationLock:
        try:
            import fcntl
        except ImportError:
            return self
        try:
            self.fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError:
            self.__exit__()  # no lock: rotate as before
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            with suppress(OSError):
                os.close(self.fd)  # closing the descriptor drops its lock
            self.fd = None


def _make_old_logs_private(target: Path) -> None:
    """Rotated logs an older version wrote readable by others become 0600."""
    if os.name != "posix":
        return
    for n in range(1, LOG_BACKUPS + 1):
        old = target.with_name(f"{target.name}.{n}")
        try:
            if not old.is_symlink() and old.is_file():
                os.chmod(old, 0o600)
        except OSError:
            pass


def setup_logging(folder: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Send the ``quote_builder`` logger to the rotating log file. Returns the file, or None
    when the folder cannot be written (the app then runs without a log, never refuses to
    start over one)."""
    try:
        target = make_private_folder(folder or log_dir()) / LOG_NAME
        handler = PrivateRotatingFileHandler(
            target, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
        _make_old_logs_private(target)
    except (OSError, ValueError, FileWriteError):
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    for old in [h for h in log.handlers if getattr(h, "quote_builder_log", False)]:
        log.removeHandler(old)
        old.close()
    handler.quote_builder_log = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.setLevel(level)
    log.propagate = False
    return target


LOG_RECORD = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (\d+) ")
"""The start of a record in the log file (``setup_logging``'s format): time, then the
process id. Lines that do not start so (a traceback) belong to the record above them."""

TAIL_BYTES = 512_000
"""How far back :func:`log_tail` reads for one process's lines (the log rotates at 1 MB)."""


def _read_end(path: Path, size: int) -> str:
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        end = handle.tell()
        handle.seek(max(0, end - size))
        text = handle.read().decode("utf-8", "replace")
    return text if end <= size else text.partition("\n")[2]  # no half first line


def log_tail(
    lines: int = LOG_TAIL_LINES, folder: Path | None = None, *, pid: int | None = None
) -> str:
    """The last ``lines`` lines of the log file ('' if there is none). With ``pid``, only
    that process's records (a traceback's lines with the record they belong to): several
    runs of the app share one log, and a crash report of process 6303 must show 6303's last
    lines, not those of the run before it. The file before the last rotation is read too
    when the current one holds too few."""
    current = log_file(folder)
    found: list[str] = []
    for path in (current, current.with_name(current.name + ".1")):
        try:
            text = _read_end(path, TAIL_BYTES if pid is not None else 200 * lines)
        except OSError:
            if path == current:
                return ""
            break
        found = _lines_of(text, pid) + found
        if pid is None or len(found) >= lines:
            break
    return "\n".join(found[-lines:])


def _lines_of(text: str, pid: int | None) -> list[str]:
    if pid is None:
        return text.splitlines()
    kept: list[str] = []
    mine = False
    for line in text.splitlines():
        record = LOG_RECORD.match(line)
        if record is not None:
            mine = int(record.group(1)) == pid
        if mine:
            kept.append(line)
    return kept


# --- crash reports ------------------------------------------------------------------------------


def reports_dir(folder: Path | None = None) -> Path:
    return (folder or log_dir()) / REPORTS


def format_report(
    what: str,
    details: str,
    context: Mapping[str, str] | None = None,
    *,
    folder: Path | None = None,
    pid: int | None = None,
) -> str:
    """The text of a crash report: what happened, where, and the log's last lines of the
    process that failed (``pid``, this one by default: a hard crash is reported by the next
    start, about the process that crashed)."""
    now = dt.datetime.now().astimezone()
    failed = os.getpid() if pid is None else pid
    lines = [
        "Quote Builder crash report",
        "",
        f"what happened: {what}",
        f"time: {now.isoformat(timespec='seconds')}",
        f"Quote Builder: {app_version()}",
        f"Python: {platform.python_version()} ({sys.executable})",
        f"platform: {platform.platform()}",
        f"process: {failed}",
    ]
    if failed != os.getpid():
        lines.append(f"report written by process: {os.getpid()}")
    lines += [f"{key}: {value}" for key, value in (context or {}).items()]
    lines += [
        "",
        "== details",
        details.rstrip(),
        "",
        f"== last lines of the log from process {failed}",
    ]
    lines.append(
        log_tail(folder=folder, pid=failed) or "(none: the process wrote nothing to the log)"
    )
    return "\n".join(lines) + "\n"


def exception_details(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    return "".join(traceback.format_exception(exc_type, exc, tb))


def exception_summary(exc_type: type[BaseException], exc: BaseException) -> str:
    """One line naming the error: ``ZeroDivisionError: division by zero``."""
    message = str(exc).strip().splitlines()
    return f"{exc_type.__name__}: {message[0]}" if message else exc_type.__name__


def write_report(
    what: str,
    details: str,
    context: Mapping[str, str] | None = None,
    *,
    folder: Path | None = None,
    pid: int | None = None,
) -> Path:
    """Write a crash report (temporary file, fsync, rename) and return its path. Raises
    ``FileWriteError`` (a sentence) when the log folder cannot be written."""
    target_dir = make_private_folder(reports_dir(folder))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = target_dir / f"crash-{stamp}-{os.getpid()}.txt"
    n = 1
    while path.exists():
        n += 1
        path = target_dir / f"crash-{stamp}-{os.getpid()}-{n}.txt"
    text = format_report(what, details, context, folder=folder, pid=pid)
    return write_atomic(path, text, overwrite=False, what="the crash report")


# --- hard crashes -------------------------------------------------------------------------------


class FaultLog:
    """``faulthandler`` writing into ``faults-<pid>.log`` in the log folder while this
    process runs (a fatal signal's Python traceback lands there); :meth:`close` removes the
    file on a normal exit."""

    def __init__(self, folder: Path | None = None) -> None:
        self.path = make_private_folder(folder or log_dir()) / f"faults-{os.getpid()}.log"
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, 0o600)
        self._file: IO[str] | None = os.fdopen(fd, "w", encoding="utf-8")
        os.chmod(self.path, 0o600)
        faulthandler.enable(self._file, all_threads=True)

    def close(self) -> None:
        if self._file is None:
            return
        faulthandler.disable()
        self._file.close()
        self._file = None
        with suppress(OSError):
            if self.path.stat().st_size == 0:
                self.path.unlink()


def _process_gone(pid: int, path: Path) -> bool:
    """Whether the process that wrote ``path`` has ended."""
    if pid == os.getpid():
        return False
    if sys.platform == "win32":
        # os.kill would terminate the process there; a file another process holds open
        # cannot be renamed on Windows, so a rename that succeeds means it is gone.
        try:
            path.rename(path)
        except OSError:
            return False
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # alive, another user's
    return False


def collect_hard_crashes(folder: Path | None = None) -> list[Path]:
    """Reports for the processes that left a non-empty fault file and are gone (their
    fault files are then removed; empty ones of ended processes too). Newest last."""
    base = folder or log_dir()
    reports: list[Path] = []
    try:
        candidates = sorted(base.glob("faults-*.log"), key=lambda p: p.stat().st_mtime)
    except OSError:
        return reports
    for path in candidates:
        match = FAULT_FILE.fullmatch(path.name)
        if match is None or not _process_gone(int(match.group(1)), path):
            continue
        try:
            text = path.read_text("utf-8", "replace")
        except OSError:
            continue
        if text.strip():
            when = dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone()
            try:
                report = write_report(
                    "Quote Builder stopped unexpectedly (a fatal error in the process "
                    f"{match.group(1)}, {when.isoformat(timespec='seconds')})",
                    text,
                    folder=folder,
                    pid=int(match.group(1)),
                )
            except (OSError, FileWriteError):
                continue
            reports.append(report)
            log.error("the previous run (process %s) crashed: report %s", match.group(1), report)
        with suppress(OSError):
            path.unlink()
    return reports


__all__ = [
    "FaultLog",
    "app_version",
    "collect_hard_crashes",
    "exception_details",
    "exception_summary",
    "format_report",
    "log_file",
    "log_tail",
    "reports_dir",
    "setup_logging",
    "write_report",
]
