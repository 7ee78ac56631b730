"""A short usage log reads the same in the app as in the proposal: fewer months than
``PERCENTILE_MONTHS`` (10) show the log's own quietest, median and busiest month (Quiet /
Typical / Busy, the months named), never a percentile interpolated between two of a few
months; a long log keeps its 10th percentile, median and 90th percentile months."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths
from pytestqt.qtbot import QtBot

from quote_builder.documents.scenarios import log_scenarios
from quote_builder.pricing.evidence import PERCENTILE_MONTHS, evidence_bills, percentile
from quote_builder.services.workspace import Workspace
from quote_builder.ui.main_window import MainWindow

from .test_usage_ui import contoso, load, skewed_log


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.editor.undo_stack.setClean()
        editor.close()


def _headers(panel: object) -> list[str]:
    table = panel.table  # type: ignore[attr-defined]
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def test_a_short_log_shows_its_quietest_median_and_busiest_month_as_the_proposal_does(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    editor = contoso(window)
    inner, panel = editor.editor, editor.editor.usage_panel
    # Three months: 100, 300, 200 units (January, February, March 2026).
    load(qtbot, panel, skewed_log(tmp_path / "pilot.csv", (100, 300, 200)))
    bills = evidence_bills(inner.document)  # type: ignore[arg-type]
    assert bills is not None and len(bills.months) == 3 < PERCENTILE_MONTHS
    monthly = [m.bill for m in bills.months]
    quietest, busiest = min(monthly), max(monthly)
    p10 = percentile(monthly, Decimal(10)).quantize(Decimal("0.01"))
    assert quietest < p10  # what the app showed before: interpolated between two months
    # The proposal's scenarios are these months; the app's range is the same figures.
    quiet, typical, busy = log_scenarios(bills)
    assert (quiet.monthly, busy.monthly) == (quietest, busiest) == (bills.low, bills.high)
    assert (quiet.month, busy.month) == ("2026-01", "2026-02")
    # The Usage log tab: the proposal's words, the months named.
    text = panel.quote_range.text()
    assert "your quietest month (January 2026)" in text
    assert "like the busiest month (February 2026) of 3 months of usage" in text
    assert f"${quietest:,}" in text and f"${busiest:,}" in text and f"${typical.monthly:,}" in text
    assert "3 months of usage are too few to say how quiet or busy a month can be" in text
    assert "percentile" not in text and f"${p10:,}" not in text
    # The models' table: Quiet / Typical / Busy columns, each the log's own month.
    assert _headers(panel)[2:5] == ["Quiet", "Typical", "Busy"]
    tip = panel.table.horizontalHeaderItem(2).toolTip()
    assert tip == "The bill of the quietest month of the log's 3 months"
    evidence = inner.document.usage_evidence  # type: ignore[union-attr]
    own = next(s for s in evidence.comparison if s.source == "quote")
    assert (own.low, own.expected, own.high) == (quietest, bills.expected, busiest)
    assert panel.table.item(0, 2).text() == f"{quietest:,}"
    # The totals beside it.
    summary = inner.summary.bill_range
    assert f"${quietest:,}–${busiest:,}" in summary.text()
    assert "quietest to busiest of 3 months" in summary.text()
    assert "quietest, median or busiest month of the usage log's 3 months" in summary.toolTip()
    assert "10th percentile" not in summary.toolTip()


def test_a_long_log_keeps_its_percentile_months(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    editor = contoso(window)
    inner, panel = editor.editor, editor.editor.usage_panel
    totals = (100, 300, 200, 250, 400, 150, 350, 500, 120, 280, 330, 260)
    load(qtbot, panel, skewed_log(tmp_path / "year.csv", totals, year=2025))
    bills = evidence_bills(inner.document)  # type: ignore[arg-type]
    assert bills is not None and len(bills.months) == 12 >= PERCENTILE_MONTHS
    monthly = [m.bill for m in bills.months]
    p10 = percentile(monthly, Decimal(10)).quantize(Decimal("0.01"))
    p90 = percentile(monthly, Decimal(90)).quantize(Decimal("0.01"))
    assert (bills.low, bills.high) == (p10, p90)
    assert min(monthly) < p10 and p90 < max(monthly)
    text = panel.quote_range.text()
    assert "(10th percentile)" in text and "(90th percentile)" in text
    assert f"${p10:,}" in text and f"${p90:,}" in text
    assert _headers(panel)[2:5] == ["Low", "Expected", "High"]
    assert panel.table.horizontalHeaderItem(2).toolTip() == "The bill of the 10th percentile month"
    assert "quietest" not in inner.summary.bill_range.text()
    assert "90th percentile" in inner.summary.bill_range.toolTip()


def test_snapshots_recorded_before_the_rule_keep_their_percentile_names(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """A short log's models simulated before the rule hold interpolated percentile months
    (no ``range_basis``): their columns keep the names that say so; the quote's own range,
    priced again from the months, follows the rule."""
    editor = contoso(window)
    inner, panel = editor.editor, editor.editor.usage_panel
    load(qtbot, panel, skewed_log(tmp_path / "pilot.csv", (100, 300, 200)))
    evidence = inner.document.usage_evidence  # type: ignore[union-attr]
    assert evidence is not None
    assert all(s.range_basis == "months" for s in evidence.comparison)
    old = evidence.model_copy(
        update={
            "comparison": [s.model_copy(update={"range_basis": None}) for s in evidence.comparison]
        }
    )
    panel.show_evidence(old, inner.document)
    assert _headers(panel)[2:5] == ["Low", "Expected", "High"]
    assert "your quietest month (January 2026)" in panel.quote_range.text()
