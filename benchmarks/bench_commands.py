"""Command speed (issue 16), each figure side by side with its peer in the same run:

1. cold `quote-builder price FILE --json` against `python -c "import decimal, json"`
   (goal: at most 0.12 s);
2. cold `quote-builder render FILE -o out.pdf --document both` against Chromium's headless
   print-to-PDF of the same (self-contained) HTML (goal: at most 0.9x Chromium);
3. warm render of proposal plus contract in the app's pre-warmed render worker processes
   (goal: at most 0.2 s), with one worker (one PDF) and with two (the proposal and the
   contract at once, as the app's preview renders them).

2 and 3 are measured by bench_render.py's code, which also gives each kind alone.

Wall time and CPU time (user + system of the process and its children) are both shown:
on a shared machine wall time grows with the load average, CPU time much less.

Run: .venv/bin/python benchmarks/bench_commands.py [--runs 7]
(Chromium: apt-get install chromium; without it comparison 2 is skipped.)
"""

from __future__ import annotations

import argparse
import os
import resource
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
# No user database: a cold render of a file reads the seller from the default database
# when there is one, and a shared machine's may be anything.
ENV = {k: v for k, v in os.environ.items() if k != "QUOTE_BUILDER_DB"}
ENV["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="bench-commands-")


def timed(argv: list[str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one run of ``argv``, children included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, timeout=300, cwd=ROOT, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def side_by_side(runs: int, ours: list[str], peer: list[str]) -> dict[str, float]:
    """Alternate the two commands (the load hits both alike); medians."""
    samples: dict[str, list[float]] = {"ours": [], "ours_cpu": [], "peer": [], "peer_cpu": []}
    timed(ours), timed(peer)  # file caches warm, as on a machine in use
    for _ in range(runs):
        wall, cpu = timed(ours)
        samples["ours"].append(wall)
        samples["ours_cpu"].append(cpu)
        wall, cpu = timed(peer)
        samples["peer"].append(wall)
        samples["peer_cpu"].append(cpu)
    return {key: statistics.median(values) for key, values in samples.items()}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    qb = str(BIN / "quote-builder")

    price = side_by_side(
        args.runs,
        [qb, "price", str(EXAMPLE), "--json"],
        [sys.executable, "-c", "import decimal, json"],
    )
    print(
        f"1. cold price --json: median {price['ours']:.3f} s wall, {price['ours_cpu']:.3f} s CPU;"
        f" python -c 'import decimal, json': {price['peer']:.3f} s wall, "
        f"{price['peer_cpu']:.3f} s CPU; goal <= 0.12 s: {verdict(price['ours'] <= 0.12)}"
    )

    # 2 and 3 are bench_render.py's measures (one definition of each).
    pair = bench_render.cold(args.runs)
    if pair is None:
        print("2. chromium is not installed: comparison skipped (apt-get install chromium)")
    else:
        ours, peer = pair
        ratio, cpu_ratio = ours.wall / peer.wall, ours.cpu / peer.cpu
        print(
            f"2. cold render --document both: median {ours.wall:.2f} s wall, {ours.cpu:.2f} s CPU;"
            f" chromium --print-to-pdf of the same HTML: {peer.wall:.2f} s wall, "
            f"{peer.cpu:.2f} s CPU; ratio {ratio:.2f} wall, {cpu_ratio:.2f} CPU; "
            f"goal <= 0.9: {verdict(ratio <= 0.9)}"
        )

    figures = bench_render.warm(args.runs)
    one, two = figures["1a both"], figures["1c two workers"]
    print(
        f"3. warm render in the render worker, proposal + contract: one worker (one PDF) "
        f"median {one.wall:.3f} s wall, {one.cpu:.3f} s CPU; two workers (proposal and "
        f"contract at once) {two.wall:.3f} s wall, {two.cpu:.3f} s CPU; goal <= 0.2 s: "
        f"{verdict(two.wall <= 0.2)}"
    )
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
