"""Files are written whole or not at all, and failures are sentences."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from quote_builder.safe_files import (
    FileReadError,
    FileWriteError,
    make_private_folder,
    read_limited,
    write_atomic,
)


def test_writes_the_file_private_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = write_atomic(tmp_path / "out.pdf", b"%PDF-1.7 ...")
    assert target.read_bytes() == b"%PDF-1.7 ..."
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


def test_overwrite_replaces_whole_and_refusal_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_atomic(target, "first")
    write_atomic(target, "second")
    assert target.read_text() == "second"
    with pytest.raises(FileWriteError, match="already exists"):
        write_atomic(target, "third", overwrite=False)
    assert target.read_text() == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_a_database_is_never_replaced(tmp_path: Path) -> None:
    database = tmp_path / "quote-builder.db"
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    before = database.read_bytes()
    with pytest.raises(FileWriteError, match="is a database; it was not replaced"):
        write_atomic(database, b"%PDF")
    assert database.read_bytes() == before


def test_a_folder_or_a_missing_folder_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError, match="it is a folder"):
        write_atomic(tmp_path, b"x")
    with pytest.raises(FileWriteError, match="the folder .* does not exist"):
        write_atomic(tmp_path / "nope" / "x.pdf", b"x")


def mounted(tmp_path: Path, options: str) -> Iterator[Path]:
    """A small tmpfs (root mounts it, as CI runs; skipped where mounting is not allowed)."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    yield from mounted(tmp_path, "size=1m")


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    yield from mounted(tmp_path, "size=1m,ro")


def test_a_read_only_disk_is_a_sentence(read_only_disk: Path) -> None:
    with pytest.raises(
        FileWriteError, match=r"x.pdf: cannot write \(the folder is on a read-only disk\)"
    ):
        write_atomic(read_only_disk / "x.pdf", b"x")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a folder without permission")
def test_a_folder_without_permission_is_a_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(FileWriteError, match="permission denied"):
            write_atomic(folder / "x.pdf", b"x")
    finally:
        folder.chmod(0o700)


def test_a_full_disk_leaves_the_old_file_and_no_partial_file(full_disk: Path) -> None:
    target = full_disk / "proposal.pdf"
    write_atomic(target, b"old")
    with pytest.raises(FileWriteError, match=r"proposal.pdf: cannot write \(the disk is full\)"):
        write_atomic(target, b"x" * 2_000_000)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in full_disk.iterdir()) == ["proposal.pdf"]


def test_read_limited_refuses_what_it_cannot_read_whole(tmp_path: Path) -> None:
    small = tmp_path / "a.csv"
    small.write_bytes(b"12345")
    assert read_limited(small, 5) == b"12345"
    with pytest.raises(FileReadError, match="larger than 4 bytes"):
        read_limited(small, 4)
    with pytest.raises(FileReadError, match="no such file"):
        read_limited(tmp_path / "missing.csv", 10)
    with pytest.raises(FileReadError, match="not a regular file"):
        read_limited(tmp_path, 10)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(FileReadError, match="not a regular file"):
        read_limited(fifo, 10)


def _database(path: Path, *, keep_open: bool = False) -> sqlite3.Connection | None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    if keep_open:
        return connection
    connection.close()
    return None


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal", "-Shm", "-JOURNAL"])
def test_a_file_of_a_database_is_never_written_even_when_absent(
    tmp_path: Path, suffix: str
) -> None:
    """SQLite's companion files of an existing database, in any letter case (a
    case-insensitive disk maps X.DB-SHM onto x.db-shm), existing or not."""
    _database(tmp_path / "quotes.db")
    target = tmp_path / f"quotes.db{suffix}"
    with pytest.raises(FileWriteError, match=r"is a database file \(the .* of the database"):
        write_atomic(target, b"%PDF", what="the PDF")
    assert not target.exists()


def test_the_log_of_an_open_database_is_never_replaced(tmp_path: Path) -> None:
    connection = _database(tmp_path / "quotes.db", keep_open=True)
    assert connection is not None
    try:
        for suffix in ("-wal", "-shm"):
            target = tmp_path / f"quotes.db{suffix}"
            before = target.read_bytes()
            with pytest.raises(FileWriteError, match="it was not replaced"):
                write_atomic(target, b"%PDF", what="the PDF")
            assert target.read_bytes() == before
        connection.execute("INSERT INTO t VALUES (1)")
        connection.commit()
    finally:
        connection.close()


def test_a_file_of_a_database_is_refused_through_symbolic_links(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    _database(real / "quotes.db")
    (tmp_path / "alias").symlink_to(real)
    (tmp_path / "export.pdf").symlink_to(real / "quotes.db-wal")
    (tmp_path / "db-link.db").symlink_to(real / "quotes.db")
    for target in (
        tmp_path / "alias" / "quotes.db-shm",
        tmp_path / "export.pdf",
        tmp_path / "db-link.db-wal",
    ):
        with pytest.raises(FileWriteError, match="is a database file"):
            write_atomic(target, b"%PDF")
    assert not (real / "quotes.db-wal").exists()


def test_names_that_only_look_like_a_database_file_are_written(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a database")
    for name in ("notes.txt-wal", "-wal", "missing.db-shm", "quotes.db-wal.pdf"):
        assert write_atomic(tmp_path / name, b"x").read_bytes() == b"x"


def test_a_backup_copy_is_never_written_over_a_database_log(tmp_path: Path) -> None:
    from quote_builder.store.database import copy_database

    _database(tmp_path / "other.db")
    _database(tmp_path / "source.db")
    with pytest.raises(FileWriteError, match="write-ahead log of the database other.db"):
        copy_database(tmp_path / "source.db", tmp_path / "other.db-wal")
    assert not (tmp_path / "other.db-wal").exists()


def test_every_folder_the_app_creates_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With QUOTE_BUILDER_DATA_DIR set the data folder and drafts/ were made 0755 (only the
    last folder got 0700)."""
    from quote_builder.app_dirs import DATA_ENV, drafts_dir

    monkeypatch.setenv(DATA_ENV, str(tmp_path / "data"))
    old = os.umask(0o022)
    try:
        drafts = drafts_dir("0123abcd")
    finally:
        os.umask(old)
    for folder in (tmp_path / "data", tmp_path / "data" / "drafts", drafts):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    make_private_folder(shared / "a" / "b")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755  # an existing folder keeps its mode
    assert stat.S_IMODE((shared / "a").stat().st_mode) == 0o700


def test_a_character_device_is_written_to_not_replaced(tmp_path: Path) -> None:
    """`quotes export Q -o /dev/null` run as root renamed the export over /dev/null: the
    system's /dev/null became a regular file holding the export, and every program's
    output sent there went into it. (A device node of our own here, never the real one.)"""
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")
    link = tmp_path / "link"
    link.symlink_to(device)
    for target in (device, link):
        assert write_atomic(target, b"%PDF-1.7 ...", what="the PDF") == target
        assert stat.S_ISCHR(os.stat(device).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "null"]  # no temporary


def test_a_named_pipe_is_written_to_not_replaced(tmp_path: Path) -> None:
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    write_atomic(pipe, "exported", what="the export")
    reader.join(10)
    assert got == [b"exported"]
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_temporaries_a_killed_write_left_are_removed_at_the_next_write(tmp_path: Path) -> None:
    """`kill -9` during a write (an export, a PDF, a backup, a draft) left
    `.customers.csv.0ee675e1.tmp` beside the file for good: nothing ever removed it. The
    next write in the folder removes ours whose process has ended, and nothing else."""
    from quote_builder.safe_files import temporary_beside

    dead = _dead_pid()
    ours = [
        tmp_path / f".customers.csv.{dead}-0ee675e1.tmp",
        tmp_path / f".quote-builder-20261202T133410Z.db.{dead}-7f41e01a98c0.tmp",
        tmp_path / f".quote-builder-20261202T133410Z.db.{dead}-7f41e01a98c0.tmp-journal",
    ]
    running = tmp_path / ".q.pdf.1-d52606c7.tmp"  # process 1 runs: a write under way
    others = [
        tmp_path / ".other.tmp",
        tmp_path / f".notes.txt.{dead}-deadbeef.tmp.bak",
        tmp_path / f"customers.csv.{dead}-0ee675e1.tmp",  # not hidden: not our naming
        tmp_path / ".customers.csv.0ee675e1.tmp",  # no process: cannot tell whose
    ]
    for path in [*ours, running, *others]:
        path.write_bytes(b"partial")
    folder = tmp_path / f".dir.{dead}-0ee675e1.tmp"
    folder.mkdir()
    link = tmp_path / f".link.{dead}-0ee675e1.tmp"
    link.symlink_to(others[0])
    someone_else = tmp_path / f".x.{dead}-abcdef12.tmp"
    someone_else.write_bytes(b"theirs")
    if os.geteuid() == 0:
        os.chown(someone_else, 12345, 12345)
    write_atomic(tmp_path / "plans.json", b"{}")
    assert not any(p.exists() for p in ours)
    kept = {running, *others, folder, link, someone_else}
    left = set(tmp_path.iterdir())
    assert left == kept | {tmp_path / "plans.json"}
    assert temporary_beside(tmp_path / "a.pdf").name.startswith(f".a.pdf.{os.getpid()}-")


def test_the_app_removes_left_temporaries_from_its_own_folders_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drafts, the recent list and crash reports are written in the app's folders; a
    temporary left there by a killed write is removed when the app starts."""
    from quote_builder import app_dirs

    monkeypatch.setenv(app_dirs.DATA_ENV, str(tmp_path / "data"))
    monkeypatch.setattr(app_dirs, "config_dir", lambda: tmp_path / "config")
    dead = _dead_pid()
    drafts = tmp_path / "data" / "drafts" / "0123abcd-0000"
    folders = [tmp_path / "data", drafts, tmp_path / "config", tmp_path / "data" / "logs"]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f".draft-7.json.{dead}-0ee675e1.tmp").write_bytes(b"{")
        (folder / "keep.json").write_bytes(b"{}")
    app_dirs.remove_stale_temporaries_of_the_app()
    for folder in folders:
        assert [p.name for p in folder.iterdir() if p.is_file()] == ["keep.json"]
