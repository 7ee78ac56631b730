"""The app's start-up as a user gets it, reporting which modules its window process has
loaded at each step (one JSON line per step): window shown, database open (Quotes page
filled), a quote editor open, its preview rendered by the worker process."""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WATCHED = (
    "weasyprint",
    "jinja2",
    "alembic",
    "sqlalchemy",
    "pydantic",
    "quote_builder.documents.render",
    "quote_builder.documents.viewmodel",
    "quote_builder.services.documents",
    "quote_builder.store.database",
)


def loaded() -> list[str]:
    return [name for name in WATCHED if name in sys.modules]


def report(step: str, **extra: object) -> None:
    print(json.dumps({"step": step, "loaded": loaded(), **extra}), flush=True)


def main() -> None:
    from quote_builder.ui.app import Startup, _start

    started = _start(sys.argv[1], False, [])
    assert not isinstance(started, int)
    app, window, startup, instance = started
    app.processEvents()
    report("shown", placeholder=window.built_pages() == [])
    assert isinstance(startup, Startup)
    assert startup.wait()
    app.processEvents()
    report("ready", rows=window.pages["quotes"].model.rowCount())
    from quote_builder.services import quotes as quote_service

    first = window.workspace.run(quote_service.list_quotes, limit=1).rows[0]
    window.open_quote(first.id)
    editor = window.editors[first.id]
    app.processEvents()
    report("editor")
    editor.editor.tabs.setCurrentWidget(editor._preview_tab)
    deadline = time.monotonic() + 120
    shown: list[object] = []
    assert editor.preview is not None
    editor.preview.shown.connect(shown.append)
    while not shown and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    report("preview", rendered=bool(shown))
    editor.close()
    window.close()
    window.workspace.close()
    instance.release()


if __name__ == "__main__":
    main()
