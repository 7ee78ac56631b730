"""The app started as a user starts it, reporting the memory of its processes (one JSON
line per step): the database open and the Quotes page filled; then a quote's editor open
with its preview rendered by the worker. Linux (/proc). Used by bench_startup.py."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def status(pid: int) -> dict[str, float]:
    """RSS and peak RSS (VmHWM) of a process, MiB."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return {"rss": fields["VmRSS"], "peak": fields["VmHWM"]}


def report(step: str, processes: dict[str, int | None]) -> None:
    found = {name: status(pid) for name, pid in processes.items() if pid is not None}
    print(json.dumps({"step": step, "processes": found}), flush=True)


def main() -> None:
    from quote_builder.ui.app import _start

    started = _start(sys.argv[1], False, [])
    assert not isinstance(started, int)
    app, window, startup, instance = started
    assert startup.wait()
    for _ in range(20):  # let the first page paint
        app.processEvents()
        time.sleep(0.02)
    host = window.workspace.host.pid  # type: ignore[attr-defined]
    report("after start", {"window": os.getpid(), "database": host})
    from quote_builder.services import quotes as quote_service

    first = window.workspace.run(quote_service.list_quotes, limit=1).rows[0]
    window.open_quote(first.id)
    editor = window.editors[first.id]
    editor.editor.tabs.setCurrentWidget(editor._preview_tab)
    assert editor.preview is not None
    shown: list[object] = []
    editor.preview.shown.connect(shown.append)
    deadline = time.monotonic() + 120
    while not shown and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    worker = editor.preview.worker._process
    report(
        "preview shown",
        {
            "window": os.getpid(),
            "database": host,
            "render worker": worker.pid if worker is not None else None,
        },
    )
    editor.close()
    window.close()
    window.workspace.close()
    instance.release()


if __name__ == "__main__":
    main()
