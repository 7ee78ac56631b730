"""The log file (rotation), crash reports, and hard crashes found at the next start."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from quote_builder import diagnostics


@pytest.fixture(autouse=True)
def _restore_logger() -> object:
    handlers = list(diagnostics.log.handlers)
    yield
    for handler in list(diagnostics.log.handlers):
        if handler not in handlers:
            diagnostics.log.removeHandler(handler)
            handler.close()


def test_log_file_rotates_and_keeps_five_old_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(diagnostics, "LOG_MAX_BYTES", 2_000)
    path = diagnostics.setup_logging(tmp_path)
    assert path == tmp_path / "quote-builder.log"
    line = "x" * 100
    for n in range(200):  # 200 lines of ~170 bytes = ~34 kB: many rotations
        logging.getLogger("quote_builder.test").info("%d %s", n, line)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "quote-builder.log",
        "quote-builder.log.1",
        "quote-builder.log.2",
        "quote-builder.log.3",
        "quote-builder.log.4",
        "quote-builder.log.5",
    ]
    for p in tmp_path.iterdir():
        assert p.stat().st_size <= 2_000
    assert ": 199 xxx" in path.read_text()  # the newest line is in the current file
    assert ": 0 xxx" not in "".join(p.read_text() for p in tmp_path.iterdir())  # oldest gone


def test_log_folder_that_cannot_be_made_means_no_log_not_a_failure(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert diagnostics.setup_logging(blocker / "logs") is None


def test_report_holds_the_error_versions_and_the_last_log_lines(tmp_path: Path) -> None:
    diagnostics.setup_logging(tmp_path)
    logging.getLogger("quote_builder.test").info("the user opened quote Q-1")
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError as exc:
        details = diagnostics.exception_details(type(exc), exc, exc.__traceback__)
        summary = diagnostics.exception_summary(type(exc), exc)
    report = diagnostics.write_report(
        f"an error: {summary}", details, {"database": "/x/q.db"}, folder=tmp_path
    )
    assert report.parent == tmp_path / "crash-reports"
    assert report.name.startswith("crash-") and report.suffix == ".txt"
    assert (report.stat().st_mode & 0o777) == 0o600
    text = report.read_text()
    assert summary == "ZeroDivisionError: division by zero"
    assert "ZeroDivisionError: division by zero" in text
    assert "Traceback (most recent call last)" in text
    assert "database: /x/q.db" in text
    assert "Quote Builder: " in text and "Python: " in text
    assert "the user opened quote Q-1" in text  # the log's tail
    second = diagnostics.write_report("again", "details", folder=tmp_path)
    assert second != report  # two reports in the same second never overwrite each other


def test_log_tail_of_one_process_keeps_its_tracebacks_and_reads_the_rotated_file(
    tmp_path: Path,
) -> None:
    """Several runs share one log: a process's tail is its records, the traceback lines
    under a record belong to it, and lines written before the last rotation count too."""
    (tmp_path / "quote-builder.log.1").write_text(
        "2026-12-01 01:00:00,000 11 INFO quote_builder: eleven starts\n"
        "2026-12-01 01:00:01,000 22 INFO quote_builder: twenty-two starts\n"
    )
    (tmp_path / "quote-builder.log").write_text(
        "2026-12-01 01:00:02,000 11 ERROR quote_builder: an error\n"
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1, in <module>\n'
        "ZeroDivisionError: division by zero\n"
        "2026-12-01 01:00:03,000 22 INFO quote_builder: twenty-two stops\n"
    )
    assert diagnostics.log_tail(folder=tmp_path, pid=11).splitlines() == [
        "2026-12-01 01:00:00,000 11 INFO quote_builder: eleven starts",
        "2026-12-01 01:00:02,000 11 ERROR quote_builder: an error",
        "Traceback (most recent call last):",
        '  File "x.py", line 1, in <module>',
        "ZeroDivisionError: division by zero",
    ]
    assert diagnostics.log_tail(2, folder=tmp_path, pid=22).splitlines() == [
        "2026-12-01 01:00:01,000 22 INFO quote_builder: twenty-two starts",
        "2026-12-01 01:00:03,000 22 INFO quote_builder: twenty-two stops",
    ]
    assert diagnostics.log_tail(folder=tmp_path, pid=33) == ""
    report = diagnostics.format_report("x", "y", folder=tmp_path, pid=33)
    assert "(none: the process wrote nothing to the log)" in report


CRASHER = """
import sys
from pathlib import Path
from quote_builder import diagnostics
fault = diagnostics.FaultLog(Path(sys.argv[1]))
print(fault.path, flush=True)
if sys.argv[2] == "crash":
    import faulthandler
    faulthandler._sigsegv()
fault.close()
"""


def test_hard_crash_leaves_a_report_for_the_next_start(tmp_path: Path) -> None:
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHER, str(tmp_path), "crash"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert crashed.returncode != 0  # killed by SIGSEGV
    fault_file = Path(crashed.stdout.strip())
    assert fault_file.exists() and "Segmentation fault" in fault_file.read_text()
    clean = subprocess.run(
        [sys.executable, "-c", CRASHER, str(tmp_path), "exit"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert not Path(clean.stdout.strip()).exists()  # a normal exit leaves no fault file
    pid = int(fault_file.name.removeprefix("faults-").removesuffix(".log"))
    earlier, later = pid + 100_000, pid + 200_000  # two other runs sharing the log
    (tmp_path / "quote-builder.log").write_text(
        f"2026-12-01 01:05:51,805 {earlier} INFO quote_builder.app: window shown\n"
        f"2026-12-01 01:07:04,682 {pid} INFO quote_builder.app: window shown (crashed run)\n"
        f"2026-12-01 01:07:06,982 {pid} WARNING quote_builder.ui: slow reprice\n"
        f"2026-12-01 01:07:07,001 {earlier} INFO quote_builder.app: Quote Builder stopped\n"
        f"2026-12-01 01:13:37,163 {later} INFO quote_builder.app: the next start\n"
    )
    mine = diagnostics.FaultLog(tmp_path)  # this process: running, so never reported
    try:
        reports = diagnostics.collect_hard_crashes(tmp_path)
        assert len(reports) == 1
        text = reports[0].read_text()
        assert "stopped unexpectedly" in text and "Segmentation fault" in text
        # The crashed process's own last lines, and only those.
        assert f"process: {pid}\n" in text
        tail = text.split(f"== last lines of the log from process {pid}\n")[1]
        assert tail.splitlines() == [
            f"2026-12-01 01:07:04,682 {pid} INFO quote_builder.app: window shown (crashed run)",
            f"2026-12-01 01:07:06,982 {pid} WARNING quote_builder.ui: slow reprice",
        ]
        assert not fault_file.exists()  # turned into the report
        assert mine.path.exists()
        assert diagnostics.collect_hard_crashes(tmp_path) == []  # offered once
    finally:
        mine.close()
    assert not mine.path.exists()


def test_fault_file_of_a_process_still_running_is_left_alone(tmp_path: Path) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        path = tmp_path / f"faults-{sleeper.pid}.log"
        path.write_text("Fatal Python error: ...")
        assert diagnostics.collect_hard_crashes(tmp_path) == []
        assert path.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert len(diagnostics.collect_hard_crashes(tmp_path)) == 1


def test_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    assert diagnostics.app_version() == version("quote-builder")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_log_rotated_logs_crash_reports_and_fault_file_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0600 like the app's other files, whatever the umask (the log was created 0644)."""
    import os
    import stat

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    old_umask = os.umask(0o022)
    try:
        older = tmp_path / "logs"
        older.mkdir()
        (older / "quote-builder.log").write_text("an older version's line\n")
        (older / "quote-builder.log.1").write_text("older still\n")
        os.chmod(older / "quote-builder.log", 0o644)
        os.chmod(older / "quote-builder.log.1", 0o644)
        assert diagnostics.setup_logging(older) is not None
        assert mode(older / "quote-builder.log") == 0o600
        assert mode(older / "quote-builder.log.1") == 0o600

        fresh = tmp_path / "fresh"
        monkeypatch.setattr(diagnostics, "LOG_MAX_BYTES", 2_000)
        path = diagnostics.setup_logging(fresh)
        assert path is not None and mode(path) == 0o600
        for n in range(60):
            logging.getLogger("quote_builder.test").info("%d %s", n, "x" * 100)
        logs = sorted(fresh.glob("quote-builder.log*"))
        assert len(logs) > 2 and all(mode(p) == 0o600 for p in logs), [
            (p.name, oct(mode(p))) for p in logs
        ]
        report = diagnostics.write_report("boom", "details", folder=fresh)
        assert mode(report) == 0o600
        fault = diagnostics.FaultLog(fresh)
        try:
            assert mode(fault.path) == 0o600
        finally:
            fault.close()
    finally:
        os.umask(old_umask)


def test_two_running_instances_share_the_log_without_writing_into_a_rotated_file(
    tmp_path: Path, monkeypatch
) -> None:
    """Two processes (two handlers, each with its own open file) write one log. When one
    rotates, the other follows to the new file: every file stays within the limit, and the
    lines read oldest file first are in the order they were written (before, the second
    instance wrote on into ``.1``, which grew past the limit with lines out of order)."""
    monkeypatch.setattr(diagnostics, "LOG_MAX_BYTES", 2_000)
    target = tmp_path / "quote-builder.log"
    first, second = (
        diagnostics.PrivateRotatingFileHandler(
            target, maxBytes=2_000, backupCount=diagnostics.LOG_BACKUPS, encoding="utf-8"
        )
        for _ in range(2)
    )
    try:
        for handler in (first, second):
            handler.setFormatter(logging.Formatter("%(message)s"))
        for n in range(60):  # ~105 bytes a line: a rotation about every 19 lines
            handler = first if n % 2 == 0 else second
            handler.emit(
                logging.LogRecord("t", logging.INFO, "", 0, f"{n:03d} {'x' * 100}", (), None)
            )
    finally:
        first.close()
        second.close()
    files = [target.with_name(f"{target.name}.{k}") for k in range(5, 0, -1)] + [target]
    lines = [
        int(line.split()[0])
        for path in files
        if path.exists()
        for line in path.read_text().splitlines()
    ]
    for path in files:
        if path.exists():
            assert path.stat().st_size <= 2_000, (path.name, path.stat().st_size)
    assert lines == sorted(lines), lines
    assert lines[-1] == 59 and len(lines) == 60  # nothing rotated away yet: all kept


def test_a_full_disk_under_the_log_prints_no_traceback(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The log folder on a disk that fills up: every line the app logged printed
    "--- Logging error ---" and a traceback (OSError: [Errno 28] No space left on device)
    on the terminal the app was started from. The log is best effort: the app goes on."""
    from tests.faults import fill

    path = diagnostics.setup_logging(small_disk)
    assert path is not None
    fill(small_disk)
    for n in range(50):
        logging.getLogger("quote_builder.test").info("line %d %s", n, "x" * 200)
    captured = capsys.readouterr()
    assert "Logging error" not in captured.err and "Traceback" not in captured.err
