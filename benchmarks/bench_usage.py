"""Usage simulation speed: 1,000,000 events across all five models.

Generates a log (2,000 users, 12 months, 3 metrics, success flags and attributed values)
to a temporary file, then runs ``quote-builder usage simulate LOG --json`` in a fresh
subprocess and reports its wall time and peak RSS (``getrusage`` of the child).
Targets: <= 5 s and <= 300 MiB. Prints PASS or FAIL.
Run: .venv/bin/python benchmarks/bench_usage.py [--events 1000000]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 5.0
TARGET_MIB = 300.0
METRICS = ("ai_actions", "documents", "tickets")


def generate(path: Path, events: int, users: int = 2000, seed: int = 7) -> None:
    rng = random.Random(seed)
    # Heavy-tailed users: a Pareto weight each, so a few users make most of the usage.
    weights = [rng.paretovariate(1.2) for _ in range(users)]
    names = [f"user{i:05d}" for i in range(users)]
    chosen = rng.choices(range(users), weights=weights, k=events)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("timestamp,user,metric,quantity,success,attributed_value\n")
        lines = []
        for i, u in enumerate(chosen):
            month = i * 12 // events + 1
            day = i % 28 + 1
            metric = METRICS[i % 3]
            ok = "true" if i % 4 else "false"
            value = f"{i % 500}.25" if i % 10 == 0 else ""
            lines.append(
                f"2025-{month:02d}-{day:02d}T{i % 24:02d}:{i % 60:02d}:00Z,{names[u]},{metric},"
                f"{i % 5 + 1},{ok},{value}\n"
            )
            if len(lines) >= 50_000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "usage.csv"
        generate(log, args.events)
        size = log.stat().st_size
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "quote_builder.cli", "usage", "simulate", str(log), "--json"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        seconds = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        print(proc.stderr)
        print("FAIL: the simulation exited with", proc.returncode)
        return 1
    # ru_maxrss is KiB on Linux, bytes on macOS.
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    ok = seconds <= TARGET_SECONDS and peak <= TARGET_MIB
    print(f"Python {platform.python_version()} on {platform.machine()}")
    print(f"{args.events:,} events ({size / 1024 / 1024:.1f} MiB CSV), five models")
    print(f"time {seconds:.2f} s (target <= {TARGET_SECONDS} s)")
    print(f"peak RSS {peak:.1f} MiB (target <= {TARGET_MIB} MiB)")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
