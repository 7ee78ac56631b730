"""Backup and restore that cannot lose data: issue 11, section 2.

Restore never swaps files under another process: it refuses (naming who uses the
database) while the database is open elsewhere, keeps the database as it was, and writes
the backup's pages through SQLite. Backup writes whole files or nothing, never over an
existing file unless asked, and makes folders on request."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from quote_builder.safe_files import FileNameRefusedError, FileWriteError
from quote_builder.services import maintenance
from quote_builder.services import quotes as quote_svc
from quote_builder.services.core import RefusedError
from quote_builder.services.customers import search_customers
from quote_builder.services.demo import seed_demo
from quote_builder.services.host import DatabaseHost
from quote_builder.store.database import Database, open_database


def count(path: Path, table: str) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "live" / "quote-builder.db"
    path.parent.mkdir()
    db = open_database(str(path))
    seed_demo(db, actor="demo")
    db.close()
    yield path


def make_backup(live: Path, target: Path) -> Path:
    db = open_database(str(live))
    try:
        return maintenance.backup(db, target)
    finally:
        db.close()


# --- restore ----------------------------------------------------------------------------------


HOLDER = r"""
import sys, time
from quote_builder.store.database import open_database
from quote_builder.services.customers import create_customer
db = open_database(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()
create_customer(db, {"name": "Written after the refused restore"}, actor="holder")
print("written", flush=True)
sys.stdin.readline()
db.close()
"""


def test_restore_refuses_while_another_process_has_the_database_open(
    demo_db: Path, tmp_path: Path
) -> None:
    backup = make_backup(demo_db, tmp_path / "backup.db")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(demo_db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline() == "open\n"
        with pytest.raises(RefusedError, match=rf"in use by .*\(pid {holder.pid}\)") as refused:
            maintenance.restore(str(demo_db), backup, wait_seconds=0.3)
        assert "nothing was changed" in str(refused.value)
        assert not list(demo_db.parent.glob("*before-restore*"))
        # The other process goes on writing, and nothing it writes is lost.
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert holder.stdout.readline() == "written\n"
        assert count(demo_db, "customer") == 6
    finally:
        holder.stdin.write("end\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    assert count(demo_db, "customer") == 6


def test_restore_names_the_app_when_the_app_has_the_database_open(
    demo_db: Path, tmp_path: Path
) -> None:
    backup = make_backup(demo_db, tmp_path / "backup.db")
    host = DatabaseHost(str(demo_db))
    host.start()
    try:
        host.wait_ready()
        # The app is the process that started the database process (here, this one), not
        # the database process itself.
        with pytest.raises(RefusedError, match=rf"the Quote Builder app \(pid {os.getpid()}\)"):
            maintenance.restore(str(demo_db), backup, wait_seconds=0.3)
    finally:
        host.close()


def test_restore_over_a_database_in_use_exits_3(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's exit status 3 is "the database cannot be used: ... locked"; a restore
    refused because another program has the database open exited 2 (bad input)."""
    import io

    from quote_builder.cli import EXIT_DATABASE, main

    backup = make_backup(demo_db, tmp_path / "backup.db")
    holder = sqlite3.connect(str(demo_db))
    try:
        holder.execute("SELECT count(*) FROM customer").fetchone()  # open: a shared lock
        code = main(["restore", str(backup), "--db", str(demo_db), "--wait", "0.3"], io.StringIO())
    finally:
        holder.close()
    assert code == EXIT_DATABASE, capsys.readouterr().err
    assert "The database is in use" in capsys.readouterr().err
    assert count(demo_db, "customer") == 5  # nothing was changed


def big_csv(rows: int) -> str:
    lines = ["name,country,currency"]
    lines += [f"Imported {i:05d},Germany,EUR" for i in range(rows)]
    return "\n".join(lines) + "\n"


def test_an_import_running_during_a_restore_is_never_lost(demo_db: Path, tmp_path: Path) -> None:
    """The issue's case: an import reported "30000 created" and ended with 0 rows in the live
    database and in the before-restore copy. Now the restore is refused while the import
    runs, and once it has finished the restore keeps the imported rows in its copy."""
    backup = make_backup(demo_db, tmp_path / "backup.db")
    csv_file = tmp_path / "companies.csv"
    csv_file.write_text(big_csv(30_000))
    importer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "quote_builder.launcher",
            "--db",
            str(demo_db),
            "customers",
            "import",
            str(csv_file),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QUOTE_BUILDER_NO_GUI": "1"},
    )
    refused = 0
    while importer.poll() is None:
        try:
            report = maintenance.restore(str(demo_db), backup, wait_seconds=0.05)
        except RefusedError as exc:
            assert "in use by" in str(exc)
            refused += 1
            time.sleep(0.05)
            continue
        # The import had not started or had finished: either way it is somewhere whole.
        assert report.kept is not None
        break
    out, err = importer.communicate(timeout=300)
    assert importer.returncode == 0, err
    assert "30000 created" in out
    kept = sorted(demo_db.parent.glob("*before-restore*"))
    in_live = count(demo_db, "customer")
    in_kept = [count(k, "customer") for k in kept]
    # The 30,000 imported customers are in the live database or in a kept copy: never gone.
    assert in_live == 30_005 or 30_005 in in_kept, (in_live, in_kept, refused)


def test_restore_writes_the_backup_into_the_live_file_and_keeps_the_old_one(
    demo_db: Path, tmp_path: Path
) -> None:
    backup = make_backup(demo_db, tmp_path / "backup.db")
    db = open_database(str(demo_db))
    quote = quote_svc.list_quotes(db).rows[0]
    quote_svc.duplicate_quote(db, quote.id, actor="x")
    db.close()
    inode = demo_db.stat().st_ino
    report = maintenance.restore(str(demo_db), backup, wait_seconds=1)
    assert demo_db.stat().st_ino == inode  # the same file: nobody holding it is left behind
    assert report.kept is not None and count(report.kept, "quote") == 6
    assert stat.S_IMODE(report.kept.stat().st_mode) == 0o600
    assert count(demo_db, "quote") == 5
    reopened = open_database(str(demo_db))
    assert search_customers(reopened).total == 5
    reopened.close()
    assert not list(demo_db.parent.glob("*restoring*"))


def test_restore_refuses_a_backup_truncated_by_one_byte(demo_db: Path, tmp_path: Path) -> None:
    backup = make_backup(demo_db, tmp_path / "backup.db")
    with backup.open("r+b") as handle:
        handle.truncate(backup.stat().st_size - 1)
    before = demo_db.read_bytes()
    with pytest.raises(RefusedError, match="truncated or damaged"):
        maintenance.restore(str(demo_db), backup)
    assert demo_db.read_bytes() == before


def test_restore_refuses_a_backup_with_a_damaged_index(demo_db: Path, tmp_path: Path) -> None:
    """An index entry that no longer matches its row: the page is well formed, so SQLite's
    quick check (what restore ran before) passes it; the full integrity check does not."""
    backup = make_backup(demo_db, tmp_path / "backup.db")
    connection = sqlite3.connect(backup)
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    root = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'ix_customer_name_lower'"
    ).fetchone()[0]
    connection.close()
    with backup.open("r+b") as handle:  # one letter of one index entry: "northwind" -> "xorthwind"
        handle.seek((root - 1) * page_size)
        page = handle.read(page_size)
        at = page.index(b"northwind")
        handle.seek((root - 1) * page_size + at)
        handle.write(b"x")
    quick = sqlite3.connect(backup)
    assert quick.execute("PRAGMA quick_check").fetchone() == ("ok",)  # what passed before
    quick.close()
    before = demo_db.read_bytes()
    with pytest.raises(RefusedError, match="damaged"):
        maintenance.restore(str(demo_db), backup)
    assert demo_db.read_bytes() == before


# --- backup -----------------------------------------------------------------------------------


def test_backup_never_overwrites_unless_asked(demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "monday.db"
    make_backup(demo_db, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    first = target.read_bytes()
    db = open_database(str(demo_db))
    try:
        with pytest.raises(RefusedError, match="already exists; nothing was written"):
            maintenance.backup(db, target)
        assert target.read_bytes() == first
        maintenance.backup(db, target, overwrite=True)
        assert count(target, "quote") == 5
    finally:
        db.close()


def test_backup_refuses_to_replace_a_database_in_use(demo_db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other" / "team.db"
    other.parent.mkdir()
    team = open_database(str(other))  # open: its -wal and -shm exist
    db = open_database(str(demo_db))
    try:
        with pytest.raises(RefusedError, match="is a database in use"):
            maintenance.backup(db, other, overwrite=True)
        with pytest.raises(RefusedError, match="cannot be the database itself"):
            maintenance.backup(db, demo_db, overwrite=True)
    finally:
        db.close()
        team.close()
    assert count(other, "quote") == 0


def test_backup_into_a_folder_creates_it_and_a_timestamped_file(
    demo_db: Path, tmp_path: Path
) -> None:
    db = open_database(str(demo_db))
    try:
        first = maintenance.backup(db, f"{tmp_path}/backups/")  # as the README writes it
        second = maintenance.backup(db, tmp_path / "backups")  # an existing folder
    finally:
        db.close()
    folder = tmp_path / "backups"
    assert first.parent == folder and second.parent == folder and first != second
    assert first.name.startswith("quote-builder-") and first.suffix == ".db"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert count(first, "quote") == count(second, "quote") == 5


def test_a_failed_backup_leaves_nothing_behind(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import quote_builder.store.database as database

    def broken_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(database.os, "fsync", broken_fsync)
    db = open_database(str(demo_db))
    folder = tmp_path / "b"
    folder.mkdir()
    try:
        with pytest.raises(FileWriteError, match="input/output error"):
            maintenance.backup(db, folder / "x.db")
    finally:
        db.close()
    assert list(folder.iterdir()) == []


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_backup_to_a_full_disk_is_a_sentence_and_leaves_nothing(
    demo_db: Path, small_disk: Path
) -> None:
    db: Database = open_database(str(demo_db))
    try:
        with pytest.raises(FileWriteError, match=r"not written \(the disk is full\)") as raised:
            maintenance.backup(db, small_disk / "backup.db")
        assert not isinstance(raised.value, FileNameRefusedError)  # the disk, not the name
    finally:
        db.close()
    assert list(small_disk.iterdir()) == []


def test_restore_refuses_a_backup_whose_table_list_is_scrambled(
    demo_db: Path, tmp_path: Path
) -> None:
    """Found by the fault campaign: a byte that is not UTF-8 in a table's name made restore
    end in a UnicodeDecodeError traceback."""
    backup = make_backup(demo_db, tmp_path / "backup.db")
    data = bytearray(backup.read_bytes())
    at = data.index(b"tablecustomercustomer")
    data[at + len(b"table")] = 0xFF
    backup.write_bytes(bytes(data))
    before = demo_db.read_bytes()
    with pytest.raises(RefusedError, match="damaged: its table list is unreadable"):
        maintenance.restore(str(demo_db), backup)
    assert demo_db.read_bytes() == before


APP_HOLDER = r"""
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", sys.argv[2], sys.argv[1]], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
print(child.stdout.readline().strip(), child.pid, flush=True)
sys.stdin.readline()
child.stdin.write("go\n"); child.stdin.flush(); child.stdout.readline()
child.stdin.write("end\n"); child.stdin.flush(); child.wait()
"""

DATABASE_PROCESS = r"""
import sys
from pathlib import Path
from quote_builder.services.host import PROCESS_NAME
Path("/proc/self/comm").write_text(PROCESS_NAME)
from quote_builder.store.database import open_database
db = open_database(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()
print("written", flush=True)
sys.stdin.readline()
db.close()
"""


@pytest.mark.skipif(not Path("/proc/self/comm").exists(), reason="Linux names processes so")
def test_restore_names_the_apps_pid_not_its_database_processes(
    demo_db: Path, tmp_path: Path
) -> None:
    """The app holds the database in its database process (qb-database), a child of the
    window's process. restore said "in use by the Quote Builder app (pid N)" with N the
    database process, a python process a user does not know as the app (and killing it
    only makes the app start another): it names the app's own pid."""
    backup = make_backup(demo_db, tmp_path / "backup.db")
    app = subprocess.Popen(
        [sys.executable, "-c", APP_HOLDER, str(demo_db), DATABASE_PROCESS],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert app.stdin is not None and app.stdout is not None
    try:
        said, database_pid = app.stdout.readline().split()
        assert said == "open"
        with pytest.raises(RefusedError) as refused:
            maintenance.restore(str(demo_db), backup, wait_seconds=0.3)
        assert f"in use by the Quote Builder app (pid {app.pid})" in str(refused.value)
        assert f"pid {database_pid}" not in str(refused.value)
    finally:
        app.stdin.write("end\n")
        app.stdin.flush()
        app.wait(timeout=30)
