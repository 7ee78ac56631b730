"""Every file a command writes with -o (exports, request and decision files, PDFs) is
written whole or not at all, readable by the user only; a full or read-only disk is a
sentence and leaves nothing behind. A stored decision can be written to a file again."""

from __future__ import annotations

import io
import json
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from quote_builder.cli import main
from quote_builder.services import approvals as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.store.database import open_database
from tests.faults import fill, make_read_only
from tests.store.helpers import customer, document

PASS = "deal desk passphrase"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


@dataclass
class Desk:
    db: str
    decided: str
    """A quote with a signed, stored decision."""
    decision_id: str
    pending: str
    """A quote with a pending request."""


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Desk:
    """A shared database: one quote approved by a signed decision, one waiting."""
    monkeypatch.setenv(svc.KEYS_ENV, str(tmp_path / "keys"))
    monkeypatch.setenv("DESK_PASS", PASS)
    path = str(tmp_path / "quotes.db")
    with open_database(path, create=True) as db:
        from quote_builder.services.settings import get_settings, update_settings

        settings = get_settings(db)  # a final order form names its seller and its signatory
        update_settings(
            db,
            expected_version=settings.version_id,
            actor="admin",
            seller_name="Acme AI",
            seller_signatory="Sam Seller",
        )
        customer(db)
        numbers = []
        for _ in range(2):
            doc = document(discounts=[{"description": "Launch", "percent": "24"}])
            row = quote_svc.create_quote(db, doc, actor="rep").value
            svc.request_approval(db, row.number, actor="rep")
            numbers.append(row.number)
        # Dana's key is made after the rep asked: a key on the requesting machine when the
        # request is made may not approve it (separation of duties).
        key = svc.create_key("dana", PASS)
        svc.add_trusted_key(db, "Dana", key.public_line, actor="rep")
        decision = svc.decide(
            db, numbers[0], approve=True, key_name="dana", passphrase=PASS, actor="dana"
        ).value
    return Desk(path, numbers[0], decision.decision_id, numbers[1])


Command = Callable[[Desk, Path], list[str]]
COMMANDS: dict[str, Command] = {
    "customers export": lambda d, o: ["customers", "export", "--db", d.db, "-o", str(o)],
    "plans export": lambda d, o: ["plans", "export", "--db", d.db, "-o", str(o)],
    "quotes export": lambda d, o: ["quotes", "export", d.decided, "--db", d.db, "-o", str(o)],
    "approval request": lambda d, o: [
        *("approval", "request", d.pending, "--db", d.db, "-o", str(o)),
    ],
    "approval decide": lambda d, o: [
        *("approval", "decide", d.pending, "--approve", "--key", "dana"),
        *("--passphrase-env", "DESK_PASS", "--db", d.db, "-o", str(o)),
    ],
    "approval export-decision": lambda d, o: [
        *("approval", "export-decision", d.decision_id, "--db", d.db, "-o", str(o)),
    ],
    "render": lambda d, o: [
        *("render", d.decided, "--document", "proposal", "--db", d.db, "-o", str(o)),
    ],
}


@pytest.mark.parametrize("name", COMMANDS)
def test_the_file_is_written_whole_and_private(desk: Desk, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "file.out"
    code, _out, err = run(*COMMANDS[name](desk, target))
    assert (code, err) == (0, "")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == ["file.out"]  # no temporary file left
    data = target.read_bytes()
    if name == "render":
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    elif name != "customers export":
        json.loads(data)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_full_disk_is_a_sentence_and_leaves_no_file(
    desk: Desk, small_disk: Path, name: str
) -> None:
    target = small_disk / "file.out"
    filler = fill(small_disk)
    code, out, err = run(*COMMANDS[name](desk, target))
    assert code == 1, out  # a failure, not bad input (cli.py: exit status)
    assert f"{target}: cannot write (the disk is full); nothing was written" in err
    assert "Traceback" not in err and "None" not in err
    assert sorted(p.name for p in small_disk.iterdir()) == [filler.name]
    if name == "approval decide":  # signed and stored: the file can be written again
        assert "The decision is stored: write its file again with" in err
        assert "approval export-decision" in err
    if name == "approval request":  # recorded (pending): the file can be written again
        assert (
            "The request is recorded: write its file again (the same request) with "
            f"`quote-builder approval request {desk.pending} -o FILE`."
        ) in err
        filler.unlink()
        code, out, err = run(*COMMANDS[name](desk, target))
        assert code == 0, err
        assert json.loads(target.read_text())  # the request file, written this time


@pytest.mark.parametrize("name", COMMANDS)
def test_a_read_only_disk_is_a_sentence(desk: Desk, small_disk: Path, name: str) -> None:
    make_read_only(small_disk)
    target = small_disk / "file.out"
    code, _out, err = run(*COMMANDS[name](desk, target))
    assert code == 1
    assert "cannot write (the folder is on a read-only disk); nothing was written" in err


def test_a_render_on_a_full_disk_keeps_the_previous_pdf(desk: Desk, small_disk: Path) -> None:
    """The truncated PDF ("None: cannot write") is gone: the old file stays whole."""
    target = small_disk / "proposal.pdf"
    assert run(*COMMANDS["render"](desk, target))[0] == 0
    before = target.read_bytes()
    fill(small_disk)
    code, _out, err = run("render", desk.decided, "--db", desk.db, "-o", str(target))
    assert code == 1 and "the disk is full" in err
    assert target.read_bytes() == before


def test_a_stored_decision_is_exported_again_by_id_or_quote(desk: Desk, tmp_path: Path) -> None:
    by_id, by_quote = tmp_path / "by-id.json", tmp_path / "by-quote.json"
    code, out, err = run(
        "approval", "export-decision", desk.decision_id, "--db", desk.db, "-o", str(by_id)
    )
    assert (code, err) == (0, "") and f"Signed decision written to {by_id}" in out
    code, _out, err = run(
        "approval", "export-decision", desk.decided, "--db", desk.db, "-o", str(by_quote)
    )
    assert (code, err) == (0, "")
    assert by_id.read_bytes() == by_quote.read_bytes()
    data = json.loads(by_id.read_text())
    assert data["payload"]["decision_id"] == desk.decision_id
    assert data["payload"]["quote_number"] == desk.decided
    assert data["payload"]["decision"] == "approved" and data["signature"]
    code, out, _err = run("approval", "export-decision", desk.decision_id, "--db", desk.db)
    assert code == 0 and json.loads(out) == data  # standard output without -o
    code, _out, err = run("approval", "export-decision", desk.pending, "--db", desk.db)
    assert code == 2 and f"No signed decision {desk.pending!r}" in err


def test_an_output_naming_the_database_is_refused(desk: Desk) -> None:
    before = Path(desk.db).read_bytes()
    code, _out, err = run("customers", "export", "--db", desk.db, "-o", desk.db)
    assert code == 2 and "is a database; it was not replaced" in err
    assert Path(desk.db).read_bytes() == before


@pytest.mark.parametrize(
    ("command", "suffix"),
    [
        (("customers", "export"), "-shm"),
        (("quotes", "export", "DECIDED"), "-wal"),
        (("plans", "export"), "-journal"),
        (("render", "examples/outcome_based_support.json"), "-shm"),
        (("render", "examples/outcome_based_support.json"), "-WAL"),
    ],
)
def test_an_output_naming_a_file_of_the_database_is_refused(
    desk: Desk, command: tuple[str, ...], suffix: str
) -> None:
    """A PDF or export renamed over the database's -shm or -wal file while another process
    has it open makes the saves of two processes overwrite each other (or every other
    process call the database damaged); a -journal file would be rolled back into it."""
    import sqlite3

    holder = sqlite3.connect(desk.db)  # another process with the database open (WAL)
    try:
        holder.execute("SELECT count(*) FROM quote").fetchone()
        companion = Path(desk.db + suffix)
        before = companion.read_bytes() if companion.exists() else None
        argv = [desk.decided if part == "DECIDED" else part for part in command]
        code, out, err = run(*argv, "--db", desk.db, "-o", str(companion))
        assert code == 2, (out, err)
        assert f"{companion} is a database file (the " in err
        assert "it was not replaced" in err and "Wrote" not in out
        assert (companion.read_bytes() if companion.exists() else None) == before
        assert holder.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        holder.close()


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Dana Whitfield\u200b", "contains an invisible character, U+200B (ZERO WIDTH SPACE)"),
        ("Dan\u0430 Whitfield", "mixes Latin and Cyrillic letters"),
    ],
)
def test_a_user_name_that_would_pass_for_another_is_refused(
    desk: Desk, name: str, problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _out, err = run("--user", name, "approval", "request", desk.decided, "--db", desk.db)
    assert code == 2 and err.startswith(f"--user: The name {name!r} {problem}"), err
    monkeypatch.setenv("QUOTE_BUILDER_USER", name)
    code, _out, err = run("approval", "request", desk.decided, "--db", desk.db)
    assert code == 2, err
    assert err.startswith(f"The setting QUOTE_BUILDER_USER: the name {name!r} {problem}"), err


@pytest.mark.parametrize("how", ["same name", "symbolic link", "hard link"])
def test_render_never_writes_over_the_quote_file_it_reads(tmp_path: Path, how: str) -> None:
    """`render inp.json -o inp.json` replaced the quote file with its PDF."""
    source = tmp_path / "inp.json"
    source.write_bytes(Path("examples/outcome_based_support.json").read_bytes())
    before = source.read_bytes()
    output = {"same name": source, "symbolic link": tmp_path / "link.json"}.get(
        how, tmp_path / "hard.json"
    )
    if how == "symbolic link":
        output.symlink_to(source)
    elif how == "hard link":
        output.hardlink_to(source)
    code, out, err = run("render", str(source), "-o", str(output))
    assert code == 2, (out, err)
    assert err == (
        f"The PDF {output} is the quote file this command reads; it was not replaced. Choose "
        "another file name.\n"
    )
    assert source.read_bytes() == before and "Wrote" not in out


def test_a_command_never_writes_over_the_file_it_reads(desk: Desk, tmp_path: Path) -> None:
    """Every command that reads a file and writes one: the policy source is not replaced
    by the signed policy."""
    source = tmp_path / "policy-source.json"
    code, _out, err = run("policy", "init", "--organisation", "Acme", "--db", desk.db)
    assert code == 0, err
    policy = json.loads(_out)
    dana = (tmp_path / "keys" / "dana.pub").read_text().strip()
    policy["approvers"] = [{"name": "Dana Whitfield", "role": "deal_desk", "public_key": dana}]
    source.write_text(json.dumps(policy))
    before = source.read_bytes()
    code, _out, err = run(
        *("policy", "sign", str(source), "--key", "dana", "--passphrase-env", "DESK_PASS"),
        *("-o", str(source)),
    )
    assert code == 2 and "is the file this command reads; it was not replaced" in err, err
    assert source.read_bytes() == before


def test_a_backup_to_a_full_disk_is_a_failure_not_bad_input(desk: Desk, small_disk: Path) -> None:
    """README's exit status: 1 when a file could not be written (a full disk), as for every
    other file the command line writes; the backup exited 2, the status of bad input."""
    filler = fill(small_disk)
    code, _out, err = run("backup", str(small_disk / "backup.db"), "--db", desk.db)
    assert code == 1, err
    assert "The backup was not made" in err and "the disk is full" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in small_disk.iterdir()) == [filler.name]
    code, _out, err = run("backup", str(filler), "--db", desk.db)  # a file that exists
    assert code == 2 and "already exists" in err  # the name given: bad input, as before


def test_a_backup_to_a_full_disk_leaves_no_folder_it_made(desk: Desk, small_disk: Path) -> None:
    """`backup full/new/deeper/` on a full disk said "nothing was left behind" and left the
    folders new/deeper it had made, empty, as if a backup were there. A folder that was
    there before stays."""
    filler = fill(small_disk)
    (small_disk / "kept").mkdir()
    for given in ("new/deeper/", "kept/"):
        code, _out, err = run("backup", f"{small_disk}/{given}", "--db", desk.db)
        assert code == 1, err
        assert "The backup was not made" in err and "the disk is full" in err
        assert "nothing was left behind" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in small_disk.iterdir()) == sorted([filler.name, "kept"])
    assert list((small_disk / "kept").iterdir()) == []


def test_a_backup_killed_midway_leaves_nothing_after_the_next_backup(
    desk: Desk, tmp_path: Path
) -> None:
    """`kill -9` during `backup FOLDER/` left `.quote-builder-<time>.db.<pid>-<hex>.tmp` (a
    whole database copy) in the folder for good; the next backup there removes it."""
    import subprocess

    proc = subprocess.Popen(["true"])
    proc.wait()  # a process that has ended, as the killed backup has
    folder = tmp_path / "backups"
    folder.mkdir()
    left = folder / f".quote-builder-20261202T133410Z.db.{proc.pid}-7f41e01a.tmp"
    left.write_bytes(b"SQLite format 3\x00 partial")
    code, out, err = run("backup", f"{folder}/", "--db", desk.db)
    assert code == 0, err
    [made] = folder.iterdir()
    assert made.name.startswith("quote-builder-") and made.suffix == ".db"


def _special(tmp_path: Path, kind: str) -> Path:
    """A block device node of our own (loop device 7,0: never opened, the refusal comes
    first) or a listening UNIX socket, under ``tmp_path``."""
    import os
    import socket

    target = tmp_path / kind
    if kind == "disk":
        try:
            os.mknod(target, 0o600 | stat.S_IFBLK, os.makedev(7, 0))
        except PermissionError:
            pytest.skip("making a device node needs root")
    else:
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(target))
        listener.close()
    return target


SPECIAL = {
    "disk": "it is a disk (a block device), not a file; nothing was written. Give a file name.",
    "socket": "it is a socket another program listens on, not a file; nothing was written.",
}


@pytest.mark.parametrize("kind", SPECIAL)
@pytest.mark.parametrize("name", [*COMMANDS, "backup", "backup --overwrite"])
def test_an_output_that_is_a_disk_or_a_socket_is_refused(
    desk: Desk, tmp_path: Path, name: str, kind: str
) -> None:
    """`render Q -o /dev/sdb` (a block device) as root renamed the PDF over the device, and
    `-o` a UNIX socket replaced another program's socket with the file; a backup did the
    same with --overwrite. Refused with one sentence (bad input, status 2), kept as it was."""
    target = _special(tmp_path, kind)
    if name.startswith("backup"):
        argv = ["backup", str(target), "--db", desk.db, *name.split()[1:]]
    else:
        argv = COMMANDS[name](desk, target)
    code, _out, err = run(*argv)
    assert f"{target}: cannot write: {SPECIAL[kind]}" in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    if name == "approval decide":  # signed and stored first: written again by its id
        assert code == 1 and "Give a file name. The decision is stored" in err, err
    else:
        assert code == 2, err
    mode = target.lstat().st_mode
    assert stat.S_ISBLK(mode) if kind == "disk" else stat.S_ISSOCK(mode)


@pytest.mark.parametrize("overwrite", [False, True])
@pytest.mark.parametrize("kind", ["character device", "named pipe"])
def test_a_backup_is_never_renamed_over_a_device_or_a_pipe(
    desk: Desk, tmp_path: Path, kind: str, overwrite: bool
) -> None:
    """`backup /dev/null --overwrite` as root renamed the database copy over /dev/null: the
    system's /dev/null became a regular file (a device node of our own here). A backup is
    a database file, not a stream: refused with one sentence, status 2, kept as it was."""
    import os

    target = tmp_path / "null"
    if kind == "named pipe":
        os.mkfifo(target)
    else:
        try:
            os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device node needs root")
    code, _out, err = run("backup", str(target), "--db", desk.db, *(["--overwrite"] * overwrite))
    assert code == 2, err
    assert err == (
        f"The backup {target}: cannot write: it is a device or a pipe, not a file; a backup "
        "is a database file. Give a file or folder name.\n"
    )
    mode = target.lstat().st_mode
    assert stat.S_ISFIFO(mode) if kind == "named pipe" else stat.S_ISCHR(mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["null", "quotes.db", "keys"])
