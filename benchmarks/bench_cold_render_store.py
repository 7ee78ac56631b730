"""A cold `render FILE` with and without the database code imported (2026-12-02).

`render FILE` without a user database used to import SQLAlchemy, SQLModel and the store
(through the customer's tax facts). This runs, alternately, the command as it is now, the
same command with ``quote_builder.services.tax`` imported first (what the code did before),
and Chromium's print-to-PDF of the same HTML, and prints the medians of wall and processor
time (user + system of the process). On a shared machine read the processor times and the
ratios, not the wall times.

Run: .venv/bin/python benchmarks/bench_cold_render_store.py [--runs 7]
(needs chromium: apt-get install chromium)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_render  # noqa: E402  (beside this file)

EXAMPLE = ROOT / "examples" / "platform_usage_analytics.json"
BIN = Path(sys.executable).parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium is not installed (apt-get install chromium)")
        return 1
    env = {k: v for k, v in os.environ.items() if k != "QUOTE_BUILDER_DB"}
    env["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="bench-render-store-")  # no database
    tmp = Path(tempfile.mkdtemp(prefix="bench-render-store-out-"))
    html = tmp / "quote.html"
    subprocess.run(
        [str(BIN / "quote-builder"), "render", str(EXAMPLE), "-o", str(tmp / "x.pdf")]
        + ["--html", str(html)],
        check=True,
        capture_output=True,
        env=env,
        cwd=ROOT,
    )

    def ours(first: str) -> list[str]:
        call = ["render", str(EXAMPLE), "-o", str(tmp / "ours.pdf"), "--document", "both"]
        code = f"import sys\n{first}\nfrom quote_builder.launcher import main\nsys.exit(main({call!r}))"
        return [sys.executable, "-c", code]

    commands = {
        "render FILE, the store imported first (before)": ours("import quote_builder.services.tax"),
        "render FILE (now)": ours(""),
        "chromium --print-to-pdf": bench_render.chromium_command(
            chromium, html, tmp / "chromium.pdf", tmp / "profile"
        ),
    }

    def timed(argv: list[str]) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env, cwd=ROOT)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for argv in commands.values():
        timed(argv)  # file caches warm
    for _ in range(args.runs):
        for name, argv in commands.items():
            samples[name].append(timed(argv))
    peer_cpu = statistics.median(cpu for _wall, cpu in samples["chromium --print-to-pdf"])
    for name, values in samples.items():
        wall = statistics.median(w for w, _cpu in values)
        cpu = statistics.median(c for _wall, c in values)
        print(f"{name:50s} wall {wall:6.2f} s  CPU {cpu:5.2f} s  ({cpu / peer_cpu:.2f}x Chromium)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
