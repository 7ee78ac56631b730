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

``--price-only`` measures figure 1 alone and then where the cold price's CPU time goes:
each step of the command run on its own in a new process (Python's start, the standard
library it uses, pydantic's import, our quote-format and engine modules, building the
QuoteDocument schema, then the command itself), medians of ``--runs`` processes.

Run it from an environment with Quote Builder installed from its wheel (its modules
compiled to bytecode, no editable-install import hook): with PYTHONDONTWRITEBYTECODE set
and an editable install, every run compiles the project's modules again (about 45 ms).
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


PRICE_STEPS = (
    ("Python's start (interpreter, site)", ""),
    (
        "standard library the command uses",
        "import re, argparse, shutil, json, decimal, pathlib, typing, datetime",
    ),
    (
        "pydantic's import",
        "from quote_builder import launcher\n"
        "launcher.switch_pydantic_plugins_off(); launcher.collect_garbage_less_often()\n"
        "import pydantic.main, pydantic.fields, pydantic.functional_validators",
    ),
    (
        "quote format and engine modules (43 model classes, QuoteDocument's schema, "
        "validator and serializer, 19 dataclasses)",
        "import quote_builder.pricing.engine, quote_builder.pricing.quote_format, "
        "quote_builder.pricing.serialize, quote_builder.services.pricing",
    ),
    (
        "the command: parser, read, validate, price, JSON",
        "import io\nfrom quote_builder.cli import main\n"
        f"assert main(['price', {str(EXAMPLE)!r}, '--json'], io.StringIO()) == 0",
    ),
    (
        "for scale, not part of the command: QuoteDocument's schema built again",
        "from quote_builder.pricing.document import QuoteDocument\n"
        "QuoteDocument.model_rebuild(force=True)",
    ),
)


def price_breakdown(runs: int) -> list[tuple[str, float]]:
    """Median CPU seconds of each step of a cold price, each step after the ones before it
    in one new process (``PRICE_STEPS``)."""
    code = ["import time, sys", "marks = [time.process_time()]"]
    for _label, step in PRICE_STEPS[1:]:
        code += [step, "marks.append(time.process_time())"]
    code.append("print(' '.join(map(repr, marks)))")
    samples: list[list[float]] = []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-c", "\n".join(code)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env=ENV,
        )
        marks = [float(x) for x in proc.stdout.split()]
        samples.append([marks[0]] + [b - a for a, b in zip(marks, marks[1:], strict=False)])
    return [
        (label, statistics.median(s[i] for s in samples))
        for i, (label, _step) in enumerate(PRICE_STEPS)
    ]


def stale_bytecode() -> list[str]:
    """Our modules whose compiled bytecode is missing or older than the source."""
    import importlib.util

    import quote_builder

    package = Path(quote_builder.__file__).parent
    stale = []
    for source in package.rglob("*.py"):
        if "migrations" in source.parts:
            continue
        cached = Path(importlib.util.cache_from_source(str(source)))
        if not cached.exists() or cached.stat().st_mtime < source.stat().st_mtime:
            stale.append(str(source.relative_to(package)))
    return stale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--price-only",
        action="store_true",
        help="figure 1 alone, then where the cold price's CPU time goes",
    )
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    stale = stale_bytecode()
    if stale:
        print(
            f"note: {len(stale)} of our modules have no up-to-date bytecode (e.g. {stale[0]}): "
            "each run compiles them; run `python -m compileall quote_builder` or use a wheel install"
        )
    qb = str(BIN / "quote-builder")
    price_command = [qb, "price", str(EXAMPLE), "--json"]
    print(f"1. {' '.join(price_command)}")

    price = side_by_side(args.runs, price_command, [sys.executable, "-c", "import decimal, json"])
    print(
        f"1. cold price --json: median {price['ours']:.3f} s wall, {price['ours_cpu']:.3f} s CPU;"
        f" python -c 'import decimal, json': {price['peer']:.3f} s wall, "
        f"{price['peer_cpu']:.3f} s CPU; goal <= 0.12 s: wall {verdict(price['ours'] <= 0.12)}, "
        f"CPU {verdict(price['ours_cpu'] <= 0.12)}"
    )
    if args.price_only:
        print("   where its CPU time goes (each step in a new process, medians):")
        steps = price_breakdown(args.runs)
        for label, seconds in steps:
            print(f"   {seconds * 1000:7.1f} ms  {label}")
        total = sum(seconds for _label, seconds in steps[:-1])
        print(f"   {total * 1000:7.1f} ms  the steps of the command together")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        return 0

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
