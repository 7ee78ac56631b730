"""The desktop app's start-up against an empty PySide6 window, side by side in one run, and
the memory of its three processes (issue 16, §3).

Window shown: the wall time from starting the process to the line the process prints once
its window is shown and the event loop has run (Python's own start included in both), and
the processor time the process had used by then (on a busy machine the wall time is mostly
the wait for a processor; the processor time is what the start itself costs):

- empty: ``python -c`` creating QApplication and an empty QMainWindow, shown;
- app: ``quote-builder gui --db DB --exit-after-startup`` on a demo database; it also
  prints when the database was open and the Quotes page filled.

The runs alternate (empty, app, empty, app ...) so both see the same load. Memory: the app
started as a user starts it (``benchmarks/startup_memory_child.py``): resident set (RSS)
and peak (VmHWM) of the window's process once the database is open, of the database
process, and after a quote's preview was rendered, of the render worker.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_startup.py --runs 9
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

EMPTY = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1280, 800)
window.show()
app.processEvents()
import time
print(f"window shown (processor {time.process_time():.3f} s)", flush=True)
"""


def _timed(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from start to each line that names a moment ("window shown", "database
    open"), measured here."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT
    )
    assert proc.stdout is not None
    marks: dict[str, float] = {}
    for line in proc.stdout:
        now = time.perf_counter() - start
        if line.startswith("window shown"):
            marks["shown"] = now
            marks["processor"] = float(line.split("processor ")[1].split(" s")[0])
        elif line.startswith("database open"):
            marks["open"] = now
    proc.wait()
    if proc.returncode != 0 or "shown" not in marks:
        raise SystemExit(f"{command} failed ({proc.returncode})")
    return marks


def _demo_database(folder: Path, env: dict[str, str]) -> Path:
    db = folder / "bench.db"
    subprocess.run(
        [sys.executable, "-m", "quote_builder.launcher", "--db", str(db), "--create", "demo"],
        check=True,
        capture_output=True,
        env=env,
        cwd=ROOT,
    )
    return db


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "QUOTE_BUILDER_DATA_DIR": str(folder / "data"),
        }
        db = _demo_database(folder, env)
        app_command = [
            sys.executable,
            "-m",
            "quote_builder.launcher",
            "gui",
            "--db",
            str(db),
            "--exit-after-startup",
        ]
        _timed(app_command, env)  # one start to warm the disk cache for both
        empty: list[float] = []
        empty_cpu: list[float] = []
        shown: list[float] = []
        shown_cpu: list[float] = []
        opened: list[float] = []
        for _ in range(args.runs):
            marks = _timed([sys.executable, "-c", EMPTY], env)
            empty.append(marks["shown"])
            empty_cpu.append(marks["processor"])
            marks = _timed(app_command, env)
            shown.append(marks["shown"])
            shown_cpu.append(marks["processor"])
            opened.append(marks["open"])
        memory = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "startup_memory_child.py"), str(db)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        ).stdout
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores, {args.runs} runs each")
    print("                                   median    min     max")
    for label, values in (
        ("empty QMainWindow shown", empty),
        ("  its processor time", empty_cpu),
        ("Quote Builder window shown", shown),
        ("  its processor time", shown_cpu),
        ("Quote Builder database open", opened),
    ):
        print(
            f"{label:<34} {statistics.median(values):6.3f}  {min(values):6.3f}  {max(values):6.3f} s"
        )
    print()
    for line in memory.splitlines():
        step = json.loads(line)
        parts = ", ".join(
            f"{name} RSS {values['rss']:.0f} MiB (peak {values['peak']:.0f})"
            for name, values in step["processes"].items()
        )
        print(f"{step['step']:<16} {parts}")


if __name__ == "__main__":
    main()
