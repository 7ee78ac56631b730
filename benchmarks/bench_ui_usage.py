"""Loading a usage log in the app: does the GUI thread stay smooth while a 1,000,000-row
log is read and simulated, how long until the evidence is on screen, and what does the
quote editor's reprice cost once the quote keeps a log?

The usage panel reads and simulates the log on a worker thread. A QTimer ticks every
10 ms on the GUI thread throughout; the longest gap between two ticks is the longest stall
a user could feel.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_ui_usage.py [--events N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_usage import generate  # noqa: E402

TICK_MS = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--reprices", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from quote_builder.services.demo import seed_demo
    from quote_builder.services.quotes import list_quotes
    from quote_builder.services.workspace import open_workspace
    from quote_builder.ui.main_window import MainWindow
    from quote_builder.ui.quote_editor import open_quote_editor

    app = QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        log = Path(folder) / "usage.csv"
        generate(log, args.events)
        workspace = open_workspace(str(Path(folder) / "bench.db"), user="bench")
        seed_demo(workspace.db, actor="bench")
        window = MainWindow(workspace)
        window.show()
        row = list_quotes(workspace.db, "Contoso").rows[0]
        editor = open_quote_editor(window, row.id)
        editor.show()
        inner = editor.editor
        inner.tabs.setCurrentWidget(inner.usage_panel)
        app.processEvents()

        ticks: list[float] = []
        ticker = QTimer()
        ticker.setInterval(TICK_MS)
        ticker.timeout.connect(lambda: ticks.append(time.perf_counter()))
        ticker.start()
        loop = QEventLoop()
        inner.usage_panel.analysis_done.connect(loop.quit)
        start = time.perf_counter()
        inner.usage_panel.load_file(log)
        loop.exec()
        app.processEvents()
        shown = time.perf_counter() - start
        ticker.stop()
        window_ticks = [start] + [t for t in ticks if t >= start] + [start + shown]
        gaps = [b - a for a, b in zip(window_ticks, window_ticks[1:], strict=False)]
        if os.environ.get("BENCH_DEBUG"):
            worst = max(range(len(gaps)), key=gaps.__getitem__)
            print("worst gap starts at", window_ticks[worst] - start, "s")
        assert inner.document is not None and inner.document.usage_evidence is not None

        # Reprice + repaint with the log kept (the summary shows its bill range): the
        # 36-month, 12-component deal of bench_pricing, editing its term.
        evidence = inner.document.usage_evidence
        from bench_pricing import deal
        from PySide6.QtWidgets import QSpinBox

        from quote_builder.services.customers import create_customer
        from quote_builder.services.quotes import create_quote

        create_customer(workspace.db, {"name": "Benchmark Corp"}, actor="bench")
        big = create_quote(
            workspace.db, deal().model_copy(update={"usage_evidence": evidence}), actor="bench"
        ).value
        heavy = open_quote_editor(window, big.id)
        heavy.show()
        app.processEvents()
        term = next(b.widget for b in heavy.editor.bindings if b.path == ("term_months",))
        assert isinstance(term, QSpinBox)
        times = []
        ranges = []
        for i in range(args.reprices):
            t0 = time.perf_counter()
            term.setValue(36 if i % 2 else 35)
            heavy.editor.summary.repaint()
            times.append(time.perf_counter() - t0)
            app.processEvents()
            # The range over the log follows once the edits pause (a timer): timed apart.
            t0 = time.perf_counter()
            heavy.editor.update_evidence()
            heavy.editor.summary.repaint()
            ranges.append(time.perf_counter() - t0)
        assert heavy.editor.summary.totals_form.isRowVisible(heavy.editor.summary.bill_range)
        times.sort()
        ranges.sort()
        heavy.editor.undo_stack.setClean()
        heavy.close()
        editor.editor.undo_stack.setClean()
        editor.close()
        workspace.close()

    print(f"usage log: {args.events:,} events")
    print(f"  log read, simulated and shown in the editor: {shown:.2f} s")
    print(
        f"  GUI thread meanwhile: longest stall {max(gaps) * 1000:.0f} ms, "
        f"median tick gap {statistics.median(gaps) * 1000:.1f} ms, {len(gaps)} ticks; "
        f"longest five {', '.join(f'{g * 1000:.0f}' for g in sorted(gaps)[-5:])} ms"
    )
    print(
        "reprice + repaint (36 months x 12 components) with the log kept: "
        f"median {statistics.median(times) * 1000:.1f} ms, "
        f"p90 {times[int(len(times) * 0.9)] * 1000:.1f} ms ({args.reprices} edits)"
    )
    print(
        "  the log's bill range, once the edits pause (12 log months): "
        f"median {statistics.median(ranges) * 1000:.1f} ms, "
        f"p90 {ranges[int(len(ranges) * 0.9)] * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
