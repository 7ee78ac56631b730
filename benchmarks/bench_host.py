"""What the database process costs the window: the same use cases called in-process
(``LocalWorkspace``, as before) and through the database host (``HostedWorkspace``, as the
app does now), side by side in one run.

Calls: the quote list's first page (60 rows, as a search keystroke asks), a page of 200 rows
(a scroll), the settings (every editor opening), opening a quote version, and a save of an
unchanged document (a no-op save that still goes through the version check).

Run: .venv/bin/python benchmarks/bench_host.py [--repeat 200]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quote_builder.services import quotes as quote_service
from quote_builder.services.demo import seed_demo
from quote_builder.services.settings import get_settings
from quote_builder.services.workspace import (
    LocalWorkspace,
    Workspace,
    open_workspace,
    start_hosted_workspace,
)


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, float]:
    call()  # warm
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def cases(ws: Workspace) -> dict[str, Callable[[], Any]]:
    first = ws.run(quote_service.list_quotes, limit=1).rows[0]
    return {
        "quote list, first 60 rows": lambda: ws.run(quote_service.list_quotes, "", limit=60),
        "quote list, 200 rows": lambda: ws.run(quote_service.list_quotes, "", limit=200),
        "settings": lambda: ws.run(get_settings),
        "open a quote version": lambda: ws.run(quote_service.open_version, first.id),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        local: LocalWorkspace = open_workspace(str(path), user="bench")
        seed_demo(local.db, actor="bench")
        for _ in range(40):  # 200+ quotes, so a page of 200 is full
            for row in local.run(quote_service.list_quotes, limit=5).rows:
                local.run(quote_service.duplicate_quote, row.id, actor="bench")
        start = time.perf_counter()
        hosted = start_hosted_workspace(str(path), user="bench")
        hosted.host.wait_ready()
        ready = (time.perf_counter() - start) * 1000
        print(f"database process started and the database opened in {ready:.0f} ms")
        print(f"{'call':<28} {'in-process ms':>16} {'database process ms':>22}")
        print(f"{'':<28} {'median   p95':>16} {'median   p95':>22}")
        local_cases, hosted_cases = cases(local), cases(hosted)
        for name in local_cases:
            lm, lp = timed(local_cases[name], args.repeat)
            hm, hp = timed(hosted_cases[name], args.repeat)
            print(f"{name:<28} {lm:7.2f} {lp:7.2f} {hm:13.2f} {hp:7.2f}")
        hosted.close()
        local.close()


if __name__ == "__main__":
    main()
