"""The fault campaign: try to lose data the ways real desktops do, and count.

    sudo .venv/bin/python scripts/fault_campaign.py              # every scenario, 20 trials
    sudo .venv/bin/python scripts/fault_campaign.py --trials 5 --only kill-save,disk-full

Each scenario runs the real command line (and, for the app, the real window in its own
process) against fresh databases in a temporary folder, injects the fault, and checks the
result. A trial is *handled* when the fault ended in a state the design promises (the
database sound, every save that was reported either there or in a kept copy, a sentence
instead of a traceback) and *lost* when anything a user was told was saved is missing.
Anything else (a traceback, a partial file under a final name) is counted as *unhandled*.
The table it prints goes into docs/reliability.md.

Root is needed for the disk-full and read-only scenarios (they mount small tmpfs disks);
without it they are skipped and say so.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHILD_APP = ROOT / "tests" / "ui" / "children" / "dialog_then_save.py"


@dataclass
class Tally:
    name: str
    fault: str
    tried: int = 0
    handled: int = 0
    lost: int = 0
    unhandled: int = 0
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes and len(self.notes) < 5:
            self.notes.append(text)


class Lost(Exception):
    """Something a user was told was saved is gone."""


class Unhandled(Exception):
    """A traceback, a partial file, an inconsistent state."""


# --- helpers -----------------------------------------------------------------------------------


def env(work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "QUOTE_BUILDER_NO_GUI": "1",
        "QUOTE_BUILDER_DATA_DIR": str(work / "data"),
        "QT_QPA_PLATFORM": "offscreen",
    }


def qb(work: Path, db: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "quote_builder.launcher", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env(work),
        cwd=work,
    )


def qb_start(work: Path, db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PYTHON, "-m", "quote_builder.launcher", "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(work),
        cwd=work,
        start_new_session=True,
    )


def no_traceback(result: subprocess.CompletedProcess[str] | str) -> None:
    text = result if isinstance(result, str) else result.stderr + result.stdout
    if "Traceback" in text:
        raise Unhandled("traceback: " + text.strip().splitlines()[-1][:160])


def sentence(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """A refusal: exit 2 with one of ``words`` in the message, no traceback."""
    no_traceback(result)
    if result.returncode != 2:
        raise Unhandled(f"exit {result.returncode} (expected 2): {result.stderr.strip()[:160]}")
    if words and not any(w in result.stderr for w in words):
        raise Unhandled(f"unexpected message: {result.stderr.strip()[:160]}")


def count(db: Path, table: str) -> int:
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(c.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        c.close()


def sound(db: Path) -> None:
    c = sqlite3.connect(db)
    try:
        status = c.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        c.close()
    if status != "ok":
        raise Unhandled(f"integrity check: {status}")


def fresh(work: Path, name: str, *, demo: bool = True) -> Path:
    db = work / name
    result = qb(work, db, "--create", "demo" if demo else "quotes", *([] if demo else ["list"]))
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return db


def customers_csv(path: Path, rows: int, prefix: str = "Imported") -> Path:
    with path.open("w") as f:
        f.write("name,country,currency\n")
        for i in range(rows):
            f.write(f"{prefix} {i:06d},Germany,EUR\n")
    return path


def kill_after(process: subprocess.Popen[str], delay: float) -> None:
    time.sleep(delay)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@contextmanager
def tmpfs(work: Path, size: str) -> Iterator[Path]:
    mount = Path(tempfile.mkdtemp(dir=work, prefix="disk-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)])
    if done.returncode != 0:
        raise PermissionError("mounting a tmpfs needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def remount(mount: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(mount)], check=True)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    return filler


# --- scenarios ---------------------------------------------------------------------------------

SAVER = r"""
import sys, itertools
from quote_builder.store.database import open_database
from quote_builder.services import quotes as svc
db = open_database(sys.argv[1], create=False)
row = svc.list_quotes(db).rows[0]
opened = svc.open_version(db, row.id)
for n in itertools.count(1):
    current = svc.get_quote(db, row.id)
    doc = opened.document.model_copy(update={"title": f"save {n}"})
    svc.save_quote(db, row.id, doc, expected_version=current.version_id, actor="saver")
    print(f"saved {n}", flush=True)
"""


def kill_during_save(work: Path, rng: random.Random) -> None:
    db = fresh(work, "save.db")
    saver = subprocess.Popen(
        [PYTHON, "-c", SAVER, str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(work),
        start_new_session=True,
    )
    kill_after(saver, rng.uniform(0.8, 2.5))
    assert saver.stdout is not None
    reported = [int(line.split()[1]) for line in saver.stdout.read().splitlines() if line]
    sound(db)
    c = sqlite3.connect(db)
    titles = {
        json.loads(d).get("title") for (d,) in c.execute("SELECT document_json FROM quote_version")
    }
    latest, versions = c.execute(
        "SELECT latest_version, (SELECT count(*) FROM quote_version v WHERE v.quote_id = q.id) "
        "FROM quote q ORDER BY updated_at DESC LIMIT 1"
    ).fetchone()
    c.close()
    if latest != versions:
        raise Unhandled(f"quote row says {latest} versions, {versions} stored")
    missing = [n for n in reported if f"save {n}" not in titles]
    if missing:
        raise Lost(f"reported saves missing: {missing[:5]}")


def kill_during_import(work: Path, rng: random.Random) -> None:
    db = fresh(work, "import.db")
    csv_file = customers_csv(work / "c.csv", 20_000)
    importer = qb_start(work, db, "customers", "import", str(csv_file))
    kill_after(importer, rng.uniform(0.5, 4.0))
    sound(db)
    n = count(db, "customer")
    if n not in (5, 20_005):
        raise Unhandled(f"{n} customers: a partial import")
    if importer.returncode == 0 and n != 20_005:
        raise Lost("the import reported success but its rows are missing")


def kill_during_backup(work: Path, rng: random.Random) -> None:
    db = fresh(work, "backup.db")
    result = qb(work, db, "customers", "import", str(customers_csv(work / "c.csv", 30_000)))
    no_traceback(result)
    target = work / "backups" / "b.db"
    target.parent.mkdir(exist_ok=True)
    backer = qb_start(work, db, "backup", str(target))
    kill_after(backer, rng.uniform(0.3, 2.0))
    sound(db)
    if target.exists():
        check = qb(work, db, "restore", str(target), "--wait", "0")  # checks the file first
        no_traceback(check)
        if count(target, "customer") != count(db, "customer"):
            raise Unhandled("a partial backup under the final name")
    if backer.returncode == 0 and not target.exists():
        raise Lost("the backup reported success but is missing")


def kill_during_restore(work: Path, rng: random.Random) -> None:
    db = fresh(work, "restore.db")
    backup = work / "b.db"
    no_traceback(qb(work, db, "backup", str(backup)))
    no_traceback(qb(work, db, "customers", "import", str(customers_csv(work / "c.csv", 20_000))))
    restorer = qb_start(work, db, "restore", str(backup))
    kill_after(restorer, rng.uniform(0.2, 2.5))
    sound(db)
    n = count(db, "customer")
    if n not in (5, 20_005):
        raise Unhandled(f"{n} customers after a killed restore")
    if n == 5:  # restored: the rows it replaced must be in the kept copy
        kept = sorted(db.parent.glob("restore.before-restore-*.db"))
        if not kept or count(kept[-1], "customer") != 20_005:
            raise Lost("the replaced database's rows are not in a kept copy")


TWO_WRITERS = r"""
import sys
from quote_builder.store.database import open_database
from quote_builder.services import quotes as svc
from quote_builder.errors import UserFacingError
db = open_database(sys.argv[1], create=False)
row = svc.list_quotes(db).rows[0]
opened = svc.open_version(db, row.id)
for n in range(25):
    current = svc.get_quote(db, row.id)
    doc = opened.document.model_copy(update={"title": f"{sys.argv[2]} {n}"})
    try:
        svc.save_quote(db, row.id, doc, expected_version=current.version_id, actor=sys.argv[2])
        print(f"ok {sys.argv[2]} {n}", flush=True)
    except UserFacingError as exc:
        print(f"refused {exc}", flush=True)
"""


def two_writers(work: Path, rng: random.Random) -> None:
    db = fresh(work, "two.db")
    writers = [
        subprocess.Popen(
            [PYTHON, "-c", TWO_WRITERS, str(db), name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(work),
        )
        for name in ("alice", "bob")
    ]
    outputs = [w.communicate(timeout=300) for w in writers]
    for _out, err in outputs:
        no_traceback(err)
    saved = [
        line.split(" ", 1)[1]
        for out, _ in outputs
        for line in out.splitlines()
        if line.startswith("ok ")
    ]
    sound(db)
    c = sqlite3.connect(db)
    titles = [
        json.loads(d).get("title") for (d,) in c.execute("SELECT document_json FROM quote_version")
    ]
    c.close()
    missing = [t for t in saved if t not in titles]
    if missing:
        raise Lost(f"confirmed saves missing: {missing[:3]}")


def app_dialog_then_kill(work: Path, rng: random.Random) -> None:
    folder = work / "app"
    folder.mkdir(exist_ok=True)
    db = fresh(folder, "quote-builder.db")
    app = subprocess.Popen(
        [PYTHON, str(CHILD_APP), str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(work),
        start_new_session=True,
    )
    assert app.stdin is not None and app.stdout is not None
    try:
        if not app.stdout.readline().startswith("dialog closed"):
            raise Unhandled("the app did not start")
        no_traceback(qb(work, db, "quotes", "list"))
        app.stdin.write("save\n")
        app.stdin.flush()
        line = app.stdout.readline()
        if "Created draft" not in line:
            raise Unhandled(f"the app did not save: {line.strip()}")
        number = line.split("Created draft ")[1].split()[0]
        time.sleep(rng.uniform(0, 0.5))
    finally:
        os.killpg(app.pid, signal.SIGKILL)
        app.wait()
    sound(db)
    if number not in qb(work, db, "quotes", "list").stdout:
        raise Lost(f"{number}, confirmed by the app, is gone after the kill")


def disk_full(work: Path, rng: random.Random) -> None:
    with tmpfs(work, "3m") as disk:
        db = disk / "q.db"
        source = fresh(work, "seed.db")
        no_traceback(qb(work, source, "backup", str(db)))
        before = count(db, "quote")
        filler = fill(disk)
        action = rng.choice(
            [
                ("quotes", "duplicate", "Q-2026-0001"),
                ("customers", "import", str(customers_csv(work / "c.csv", 2_000))),
                ("backup", str(disk / "b.db")),
                ("render", "Q-2026-0001", "-o", str(disk / "q.pdf")),
                ("customers", "export", "-o", str(disk / "c.csv")),
                ("quotes", "export", "Q-2026-0001", "-o", str(disk / "q.json")),
            ]
        )
        result = qb(work, db, *action)
        sentence(result, "full", "no space", "quota")
        partial = [
            p.name
            for p in disk.iterdir()
            if p.name not in ("q.db", "filler", "q.db-wal", "q.db-shm")
        ]
        if partial:
            raise Unhandled(f"{action[0]}: left {partial}")
        filler.unlink()
        sound(db)
        if count(db, "quote") != before:
            raise Lost("quotes changed or lost on a full disk")
        again = qb(work, db, *action)
        no_traceback(again)
        if again.returncode != 0:
            raise Unhandled(
                f"after freeing space, {action[0]} failed: {again.stderr.strip()[:120]}"
            )


def read_only(work: Path, rng: random.Random) -> None:
    with tmpfs(work, "8m") as disk:
        db = disk / "q.db"
        no_traceback(qb(work, fresh(work, "seed.db"), "backup", str(db)))
        before = count(db, "quote")
        remount(disk, "ro")
        action = rng.choice(
            [
                ("quotes", "duplicate", "Q-2026-0001"),
                ("quotes", "list"),
                ("render", "Q-2026-0001", "-o", str(disk / "q.pdf")),
                ("customers", "export", "-o", str(disk / "c.csv")),
            ]
        )
        result = qb(work, db, *action)
        no_traceback(result)
        if result.returncode not in (0, 2):
            raise Unhandled(f"exit {result.returncode}")
        if result.returncode == 2 and not any(
            w in result.stderr for w in ("read-only", "readonly", "permission")
        ):
            raise Unhandled(f"unexpected message: {result.stderr.strip()[:160]}")
        remount(disk, "rw")
        sound(db)
        if count(db, "quote") != before:
            raise Lost("quotes lost on a read-only disk")


def corrupted_files(work: Path, rng: random.Random) -> None:
    db = fresh(work, "c.db")
    size = db.stat().st_size
    with db.open("r+b") as f:
        for _ in range(rng.randint(1, 4)):
            f.seek(rng.randrange(100, size))
            f.write(os.urandom(rng.randint(1, 600)))
    for action in (("quotes", "list"), ("customers", "list"), ("quotes", "show", "Q-2026-0001")):
        result = qb(work, db, *action)
        no_traceback(result)
        if result.returncode not in (0, 2):
            raise Unhandled(f"exit {result.returncode}")
    backup = work / "damaged-backup.db"
    shutil.copy(db, backup)
    live = fresh(work, "live.db")
    before = live.read_bytes()
    result = qb(work, live, "restore", str(backup))
    no_traceback(result)
    if result.returncode == 0:
        sound(live)  # a backup damaged only in free pages may pass the full check
    elif live.read_bytes() != before:
        raise Unhandled("a refused restore changed the live database")
    # A hand-edited quote file
    quote = json.loads((ROOT / "examples" / "outcome_based_support.json").read_text())
    key = rng.choice(list(quote))
    quote[key] = rng.choice([None, "", -1, "x" * 5000, [], {"a": 1}, 10**40])
    edited = work / "edited.json"
    edited.write_text(json.dumps(quote))
    for args in (("price", str(edited)), ("render", str(edited), "-o", str(work / "e.pdf"))):
        result = qb(work, live, *args)
        no_traceback(result)


def restore_while_writing(work: Path, rng: random.Random) -> None:
    db = fresh(work, "rw.db")
    backup = work / "b.db"
    no_traceback(qb(work, db, "backup", str(backup)))
    created: list[str] = []
    deadline = time.monotonic() + 6
    restores = []
    writer_runs = 0
    while time.monotonic() < deadline:
        writer = qb_start(work, db, "quotes", "duplicate", "Q-2026-0001")
        time.sleep(rng.uniform(0, 0.3))
        restores.append(qb(work, db, "restore", str(backup), "--wait", "0.2"))
        out, err = writer.communicate(timeout=120)
        writer_runs += 1
        no_traceback(err)
        if writer.returncode == 0:
            created.append(out.split(" as ")[1].strip())
    for r in restores:
        no_traceback(r)
        if r.returncode not in (0, 2):
            raise Unhandled(f"restore exit {r.returncode}")
    sound(db)
    everywhere = set(qb(work, db, "quotes", "list", "--limit", "1000").stdout.split())
    for kept in db.parent.glob("rw.before-restore-*.db"):
        everywhere |= set(qb(work, kept, "quotes", "list", "--limit", "1000").stdout.split())
    missing = [n for n in created if n not in everywhere]
    if missing:
        raise Lost(f"confirmed duplicates in neither the database nor a kept copy: {missing[:3]}")


SCENARIOS: dict[str, tuple[str, Callable[[Path, random.Random], None]]] = {
    "kill-save": ("SIGKILL of a process saving quote versions in a loop", kill_during_save),
    "kill-import": ("SIGKILL during a 20,000-row customer import", kill_during_import),
    "kill-backup": ("SIGKILL during `backup` of a 30,000-customer database", kill_during_backup),
    "kill-restore": ("SIGKILL during `restore`", kill_during_restore),
    "two-writers": ("two processes saving the same quote 25 times each", two_writers),
    "app-kill": (
        "the app: file dialog on the database's folder, a second process, a save, SIGKILL",
        app_dialog_then_kill,
    ),
    "restore-while-writing": (
        "`restore` while other commands keep saving (6 s per trial)",
        restore_while_writing,
    ),
    "disk-full": (
        "a full 3 MB disk under save, import, backup, render and exports",
        disk_full,
    ),
    "read-only": ("the database's disk remounted read-only", read_only),
    "corrupted": (
        "random bytes in the database, a damaged backup, hand-edited quote files",
        corrupted_files,
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    chosen = [s for s in args.only.split(",") if s] or list(SCENARIOS)
    rng = random.Random(args.seed)
    tallies = []
    for name in chosen:
        fault, run = SCENARIOS[name]
        tally = Tally(name, fault)
        for _ in range(args.trials):
            with tempfile.TemporaryDirectory(prefix=f"qb-{name}-") as folder:
                work = Path(folder)
                tally.tried += 1
                try:
                    run(work, rng)
                    tally.handled += 1
                except Lost as exc:
                    tally.lost += 1
                    tally.note(f"lost: {exc}")
                except PermissionError as exc:
                    tally.tried -= 1
                    tally.note(f"skipped: {exc}")
                    break
                except (Unhandled, AssertionError, subprocess.TimeoutExpired) as exc:
                    tally.unhandled += 1
                    tally.note(f"unhandled: {exc}")
        tallies.append(tally)
        print(
            f"{name}: tried {tally.tried}, handled {tally.handled}, lost {tally.lost}, "
            f"unhandled {tally.unhandled}",
            file=sys.stderr,
            flush=True,
        )
    print("| scenario | fault | tried | handled | lost | unhandled |")
    print("|---|---|---:|---:|---:|---:|")
    for t in tallies:
        print(f"| `{t.name}` | {t.fault} | {t.tried} | {t.handled} | {t.lost} | {t.unhandled} |")
    notes = [(t.name, n) for t in tallies for n in t.notes]
    if notes:
        print()
        for name, note in notes:
            print(f"- `{name}`: {note}")
    return 0 if all(t.lost == 0 and t.unhandled == 0 for t in tallies) else 1


if __name__ == "__main__":
    raise SystemExit(main())
