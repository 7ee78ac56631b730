"""``quote-builder selftest``: check that this installation works, end to end.

Each check runs what the app runs, in the processes the app starts: the shipped files
(templates, fonts, demo data, licences), the PDF renderer process (multiprocessing
"spawn", as the desktop app's pre-warmed worker) rendering a proposal and contract, and
the database process (services/host.py) opening and upgrading a new database in a
temporary folder. The user's own database is never touched. The standalone build's smoke
test runs it: a frozen app must start these child processes from its own executable
(``multiprocessing.freeze_support()`` in the entry point).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quote_builder.documents.i18n import catalog_path
from quote_builder.paths import resources_dir, templates_dir
from quote_builder.pricing.languages import DEFAULT_LANGUAGE, LANGUAGES

RENDER_TIMEOUT = 180.0
"""Seconds the renderer may take to start and render (a cold start on a slow laptop)."""


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _files() -> str:
    needed = [
        templates_dir() / "print.css",
        templates_dir() / "both.html",
        resources_dir() / "fonts" / "Inter-Regular.otf",
        resources_dir() / "fonts" / "coverage.txt",
        resources_dir() / "demo" / "catalog.json",
        resources_dir() / "demo" / "pilot-usage.csv",
        resources_dir() / "legal" / "THIRD-PARTY-NOTICES.txt",
        resources_dir() / "icons" / "quote-builder-256.png",
        *(catalog_path(language) for language in LANGUAGES if language != DEFAULT_LANGUAGE),
    ]
    missing = [str(p) for p in needed if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"missing: {', '.join(missing)}")
    return f"templates and resources in {resources_dir().parent}"


def _renderer() -> str:
    from quote_builder.documents.viewmodel import Party

    from .render_worker import WARM_UP_QUOTE, RenderMeta, render_worker

    start = time.perf_counter()
    with render_worker(warm_up=False) as worker:
        job = worker.submit_json(WARM_UP_QUOTE, RenderMeta(seller=Party("Self-test")), "both")
        outcome = worker.wait(job, timeout=RENDER_TIMEOUT)
        pid = outcome.worker_pid
    if outcome.pdf is None or not outcome.pdf.startswith(b"%PDF"):
        raise RuntimeError(outcome.error or "no PDF came back")
    return (
        f"proposal and contract, {len(outcome.pdf) // 1024} KiB, in process {pid} "
        f"({time.perf_counter() - start:.1f} s with its start)"
    )


def _database() -> str:
    from .host import DatabaseHost
    from .settings import get_settings

    with tempfile.TemporaryDirectory(prefix="quote-builder-selftest-") as folder:
        host = DatabaseHost(str(Path(folder) / "selftest.db"), create=True)
        host.start()
        try:
            info = host.wait_ready()
            host.call(get_settings)
        finally:
            host.close()
    return f"a new database opened and upgraded in process {info.pid}"


CHECKS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("shipped files", _files),
    ("PDF renderer process", _renderer),
    ("database process", _database),
)


def run_checks() -> list[Check]:
    results = []
    for name, check in CHECKS:
        try:
            results.append(Check(name, True, check()))
        except Exception as exc:  # a check that fails is reported, not raised
            results.append(Check(name, False, f"{type(exc).__name__}: {exc}"))
    return results
