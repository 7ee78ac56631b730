"""Usage evidence in the app: the editor's Usage log tab and the guided flow's step, driven
offscreen; the log is read on a worker thread, so the tests wait for it."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from quote_builder.pricing.evidence import evidence_bills
from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import QuoteEditorWindow, open_quote_editor
from quote_builder.ui.usage_panel import UsagePanel
from quote_builder.ui.wizard import GuidedQuote

from .stateful import retype


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.editor.undo_stack.setClean()
        editor.close()


def skewed_log(
    path: Path, totals: tuple[int, ...] = (100, 300, 200), metric: str = "api", year: int = 2026
) -> Path:
    """Each month from January of ``year``: 8 light users use 5 each, 2 heavy users share
    the rest; successes all. (A log may not reach past today: a year's log is of a past
    year.)"""
    rows = ["timestamp,user,metric,quantity,success\n"]
    for index, total in enumerate(totals):
        month = f"{year}-{index + 1:02d}"
        for user in range(8):
            rows.append(f"{month}-10T09:00:00Z,light{user},{metric},5,true\n")
        heavy = (total - 40) // 2
        rows.append(f"{month}-11T09:00:00Z,heavy1,{metric},{heavy},true\n")
        rows.append(f"{month}-11T09:00:00Z,heavy2,{metric},{total - 40 - heavy},true\n")
    path.write_text("".join(rows), encoding="utf-8")
    return path


def load(qtbot: QtBot, panel: UsagePanel, path: Path) -> None:
    with qtbot.waitSignal(panel.analysis_done, timeout=30_000):
        panel.load_file(path)


def pick_model(wizard: GuidedQuote, key: str) -> None:
    ranking = wizard.advisor.ranking
    rows = range(ranking.count())
    ranking.setCurrentRow(
        next(i for i in rows if ranking.item(i).data(Qt.ItemDataRole.UserRole) == key)
    )


def contoso(window: MainWindow) -> QuoteEditorWindow:
    row = quote_service.list_quotes(window.workspace.db, "Contoso").rows[0]
    editor = open_quote_editor(window, row.id)
    editor.editor.tabs.setCurrentWidget(editor.editor.usage_panel)
    return editor


def test_the_editor_loads_a_log_compares_the_models_and_undo_takes_it_back(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    editor = contoso(window)
    inner = editor.editor
    panel = inner.usage_panel
    assert inner.data.get("usage_evidence") is None
    assert not inner.summary.totals_form.isRowVisible(inner.summary.bill_range)
    load(qtbot, panel, skewed_log(tmp_path / "pilot.csv"))
    evidence = inner.document.usage_evidence  # type: ignore[union-attr]
    assert evidence is not None and evidence.users == 10 and len(evidence.months) == 3
    # One row per model, the quote's own (outcome-based, with its prices) first.
    assert panel.table.rowCount() == 5
    assert panel.table.item(0, 0).text() == "Outcome-based pricing (quote)"  # type: ignore[union-attr]
    assert panel.table.item(0, 0).font().bold()  # type: ignore[union-attr]
    # The chart counts every user; 8 light users in the first bucket.
    assert sum(b.users for b in panel.chart.buckets) == 10
    assert panel.chart.buckets[0].users == 8
    # The quote's own range, live, in the tab and in the summary beside it.
    bills = evidence_bills(inner.document)  # type: ignore[arg-type]
    assert bills is not None
    assert inner.summary.totals_form.isRowVisible(inner.summary.bill_range)
    # Amounts in the user's locale (en_US in the tests): $7,200.00.
    assert f"${bills.low:,}–${bills.high:,}" in inner.summary.bill_range.text()
    assert f"${bills.expected:,}" in panel.quote_range.text()
    assert any("Seats:" in line and "varies widely" in line for line in evidence.recommendations)
    # Undo takes the evidence back, redo restores it.
    inner.undo_stack.undo()
    assert inner.data.get("usage_evidence") is None
    assert not inner.summary.totals_form.isRowVisible(inner.summary.bill_range)
    assert panel.table.rowCount() == 0
    inner.undo_stack.redo()
    assert inner.document.usage_evidence == evidence  # type: ignore[union-attr]
    # Saving keeps it in a new version.
    assert editor.save()
    saved = quote_service.open_version(window.workspace.db, editor.quote_id).document
    assert saved.usage_evidence == evidence


def test_the_models_table_shows_large_amounts_whole(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    # A busy pilot's bills run to millions: the amounts' columns shared the width equally,
    # so "7,502,99..." and "1,249,999...." were cut in a 1366 x 768 window.
    editor = contoso(window)
    editor.resize(1366, 768)
    editor.show()
    qtbot.waitExposed(editor)
    panel = editor.editor.usage_panel
    load(qtbot, panel, skewed_log(tmp_path / "busy.csv", (10_000_000, 30_000_000, 20_000_000)))
    table = panel.table
    qtbot.wait(50)
    for row in range(table.rowCount()):
        for col in range(1, table.columnCount()):
            item = table.item(row, col)
            assert item is not None
            needed = QFontMetrics(item.font()).horizontalAdvance(item.text())
            assert table.columnWidth(col) > needed, (row, col, item.text())


def test_editing_prices_reprices_the_range_and_the_mapping_is_an_undoable_edit(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    editor = contoso(window)
    inner = editor.editor
    panel = inner.usage_panel
    path = tmp_path / "two.csv"
    path.write_text(
        "timestamp,user,metric,quantity,success\n"
        "2026-01-05,ann,reviews,10,true\n"
        "2026-01-05,ann,exports,30,true\n"
    )
    load(qtbot, panel, path)
    # The quote's one metric is not in the log: it reads all of it (40 contracts).
    combo = panel.mapping.cellWidget(0, 1)
    assert isinstance(combo, QComboBox)
    assert combo.currentText() == "Automatic: exports, reviews"
    before = evidence_bills(inner.document)  # type: ignore[arg-type]
    assert before is not None
    combo.setCurrentIndex(combo.findData("reviews"))
    metric = panel.mapping.item(0, 0).text()  # type: ignore[union-attr]
    assert inner.data["usage_evidence"]["metric_map"] == {metric: "reviews"}
    after = evidence_bills(inner.document)  # type: ignore[arg-type]
    assert after is not None
    # 10 of the 40 contracts: a quarter of the usage-priced bill.
    assert after.expected * 4 == before.expected
    inner.undo_stack.undo()
    assert inner.data["usage_evidence"]["metric_map"] == {}
    # A price edit reprices the range once the edits pause: 60 -> 120 a contract doubles it.
    components = [dict(c) for c in inner.data["components"]]
    components[0]["price_per_outcome"] = "120"
    inner._push(("components",), components)
    doubled = f"{before.expected * 2:,}"
    qtbot.waitUntil(lambda: doubled in inner.summary.bill_range.text(), timeout=2_000)


def test_a_bad_log_names_the_line_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    editor = contoso(window)
    inner = editor.editor
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,user,metric,quantity\n2026-01-05,ann,api,1\n2026-01-05,,api,2\n")
    steps = inner.undo_stack.count()
    load(qtbot, inner.usage_panel, bad)
    assert inner.usage_panel.error.isVisibleTo(inner.usage_panel)
    assert "line 3, column 2 (user): empty" in inner.usage_panel.error.text()
    assert inner.undo_stack.count() == steps and inner.data.get("usage_evidence") is None


def test_the_guided_flow_takes_a_log_fills_the_answers_and_keeps_the_evidence(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    wizard = GuidedQuote(window)
    wizard.customer_page.title_.setText("Test quote")  # the flow asks for a title
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()  # the first existing customer
    wizard.product.category.setCurrentIndex(wizard.product.category.findData("analytics_copilot"))
    wizard.product.users.setValue(3)
    wizard.next()
    assert wizard.currentPage() is wizard.usage_log
    load(qtbot, wizard.usage_log.panel, skewed_log(tmp_path / "pilot.csv"))
    assert wizard.usage_log.panel.table.rowCount() == 5
    # Light users use 5 a month, heavy ones 80: usage varies widely (seat pricing flagged).
    assert wizard.product.users.value() == 10
    assert wizard.product.variation.currentData() == "high"
    assert wizard.advisor.answers["usage_tracks_headcount"].currentData() is False
    wizard.next()
    pick_model(wizard, "platform_usage")
    wizard.next()  # value anchors: none
    wizard.next()  # components from the template
    wizard.next()
    assert wizard.currentPage() is wizard.economics
    # The forecast starts from the log's median month: 100, 300, 200 -> 200.
    usage = wizard.findChild(QLineEdit, "economics.usage.ai_operations")
    assert usage is not None and usage.text() == "200.00"
    while wizard.currentPage() is not wizard.review:
        wizard.next()
    summary = wizard.review.summary
    assert summary.totals_form.isRowVisible(summary.bill_range)
    wizard.accept()
    row = quote_service.list_quotes(window.workspace.db).rows[0]
    saved = quote_service.open_version(window.workspace.db, row.id).document
    assert saved.usage_evidence is not None and saved.usage_evidence.users == 10
    assert saved.usage_forecast["ai_operations"].monthly == Decimal("200.00")


def test_cancel_stops_reading_and_keeps_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    editor = contoso(window)
    panel = editor.editor.usage_panel
    log = tmp_path / "big.csv"
    with log.open("w") as out:
        out.write("timestamp,user,metric,quantity\n")
        out.writelines(f"2026-01-05,u{i % 500},api,{i % 7}\n" for i in range(400_000))
    panel.load_file(log)
    assert panel.busy and panel.cancel_button.isVisibleTo(panel)
    assert not panel.load_button.isEnabled()
    with qtbot.waitSignal(panel.analysis_done, timeout=5_000):
        panel.cancel_button.click()
    assert not panel.busy and panel.load_button.isEnabled()
    assert editor.editor.data.get("usage_evidence") is None
    assert panel.status.text() == "No usage log loaded."


def test_the_guided_flow_can_simulate_a_catalog_plan_and_start_from_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    wizard = GuidedQuote(window)
    wizard.customer_page.title_.setText("Test quote")  # the flow asks for a title
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.product.category.setCurrentIndex(wizard.product.category.findData("sales_intelligence"))
    wizard.next()
    page = wizard.usage_log
    panel = page.panel
    load(qtbot, panel, skewed_log(tmp_path / "pilot.csv", metric="enrichments"))
    assert not any(panel.table.item(r, 0).font().bold() for r in range(5))  # type: ignore[union-attr]
    # Choosing a plan simulates the log again with the plan's own prices.
    with qtbot.waitSignal(panel.analysis_done, timeout=30_000):
        page.basis.setCurrentIndex(page.basis.findText("Catalog plan: Sales Intelligence Platform"))
    first = panel.table.item(0, 0)
    assert first is not None and first.font().bold()
    assert first.text() == "Platform fee + usage (plan Sales Intelligence Platform)"
    # 1000 a month with 500 enrichments included, 1.50 each above: the months use 100, 300
    # and 200, all within the allowance.
    assert panel.table.item(0, 3).text() == "1,000.00"  # type: ignore[union-attr]
    wizard.next()
    pick_model(wizard, "platform_usage")
    wizard.next()
    wizard.next()
    assert wizard.currentPage() is wizard.components
    assert wizard.components.start_from.currentText() == "Catalog plan: Sales Intelligence Platform"
    assert [c.id for c in wizard.components.editor.components()] == ["platform", "enrichments"]


def test_file_names_and_metrics_are_shown_as_text_not_markup(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    editor = contoso(window)
    panel = editor.editor.usage_panel
    log = skewed_log(tmp_path / "<img src=x>.csv", metric="<b>api</b>")
    load(qtbot, panel, log)
    assert "<img src=x>.csv" in panel.status.text()
    assert panel.status.textFormat() == Qt.TextFormat.PlainText
    combo = panel.mapping.cellWidget(0, 1)
    assert isinstance(combo, QComboBox) and combo.findText("<b>api</b>") >= 0


def test_each_load_remove_and_mapping_is_its_own_undo_step(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    editor = contoso(window)
    inner = editor.editor
    panel = inner.usage_panel
    load(qtbot, panel, skewed_log(tmp_path / "a.csv", metric="reviews"))
    first = inner.data["usage_evidence"]
    load(qtbot, panel, skewed_log(tmp_path / "b.csv", (50, 60, 70), metric="reviews"))
    assert inner.data["usage_evidence"]["source_name"] == "b.csv"
    inner.undo_stack.undo()
    assert inner.data["usage_evidence"] == first  # back to a.csv, not to nothing
    panel.remove_button.click()
    assert inner.data.get("usage_evidence") is None
    inner.undo_stack.undo()
    assert inner.data["usage_evidence"] == first
    combo = panel.mapping.cellWidget(0, 1)
    assert isinstance(combo, QComboBox)
    metric = panel.mapping.item(0, 0).text()  # type: ignore[union-attr]
    combo.setCurrentIndex(combo.findData("reviews"))
    combo = panel.mapping.cellWidget(0, 1)  # the table is rebuilt after each edit
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("*"))
    assert inner.data["usage_evidence"]["metric_map"] == {metric: "*"}
    inner.undo_stack.undo()
    assert inner.data["usage_evidence"]["metric_map"] == {metric: "reviews"}


def test_the_tab_says_when_the_quote_cannot_be_priced_or_the_log_leaves_a_charge_out(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    editor = contoso(window)
    inner = editor.editor
    panel = inner.usage_panel
    path = tmp_path / "two.csv"
    path.write_text("timestamp,user,metric,quantity\n2026-01-05,ann,reviews,10\n")
    load(qtbot, panel, path)
    assert "The proposal's bill-range chart shows these." in panel.quote_range.text()
    combo = panel.mapping.cellWidget(0, 1)
    assert isinstance(combo, QComboBox)
    metric = panel.mapping.item(0, 0).text()  # type: ignore[union-attr]
    inner._push(("usage_evidence", "metric_map"), {metric: "gone"}, merge=False)
    assert "Not used in the proposal: contracts_reviewed reads nothing" in panel.quote_range.text()
    combo = panel.mapping.cellWidget(0, 1)
    assert isinstance(combo, QComboBox)
    assert combo.currentText() == "gone (not in the log: reads nothing)"
    # "Nothing: not used" is a choice: the range is complete again (that charge is 0).
    combo.setCurrentIndex(combo.findData("-"))
    assert inner.data["usage_evidence"]["metric_map"] == {metric: "-"}
    assert "The proposal's bill-range chart shows these." in panel.quote_range.text()
    inner._push(("term_months",), 0)  # invalid: the quote cannot be priced
    # The range follows other edits once they pause.
    qtbot.waitUntil(
        lambda: panel.quote_range.text().startswith(
            "The quote cannot be priced over the log until its problems are fixed: Term (months)"
        ),
        timeout=2_000,
    )


def test_a_draft_that_removed_the_log_restores_without_it(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    row = quote_service.list_quotes(window.workspace.db, "Initech").rows[0]  # keeps a log
    editor = open_quote_editor(window, row.id)
    editor.editor.tabs.setCurrentWidget(editor.editor.usage_panel)
    editor.editor.usage_panel.remove_button.click()
    editor.autosave_draft()
    assert editor.draft_path().exists()
    window.editors.clear()  # as if the app had crashed
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    again = QuoteEditorWindow(window, row.id)
    window.editors[row.id] = again
    assert again.editor.data.get("usage_evidence") is not None  # the saved version keeps it
    again.offer_draft()
    assert again.editor.data.get("usage_evidence") is None


def test_a_component_error_hides_the_range_instead_of_showing_an_old_one(
    qtbot: QtBot, window: MainWindow
) -> None:
    row = quote_service.list_quotes(window.workspace.db, "Initech").rows[0]
    editor = open_quote_editor(window, row.id)
    inner = editor.editor
    summary = inner.summary
    assert summary.totals_form.isRowVisible(summary.bill_range)
    fields = inner.components.editors()[1]
    line = fields.findChild(QLineEdit, "field_overage_unit_price")
    assert isinstance(line, QLineEdit)
    line.setText("1.5x")
    assert not summary.totals_form.isRowVisible(summary.bill_range)
    inner.tabs.setCurrentWidget(inner.usage_panel)
    assert panel_says_unpriced(inner.usage_panel)
    qtbot.wait(300)  # the range's timer: it must not bring the old range back
    assert not summary.totals_form.isRowVisible(summary.bill_range)
    line.setText("2")
    qtbot.waitUntil(lambda: summary.totals_form.isRowVisible(summary.bill_range), timeout=2_000)


def panel_says_unpriced(panel: UsagePanel) -> bool:
    return panel.quote_range.text().startswith("The quote cannot be priced over the log")


def test_the_review_hides_the_range_when_the_log_is_removed(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    wizard = GuidedQuote(window)
    wizard.customer_page.title_.setText("Test quote")  # the flow asks for a title
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.next()
    load(qtbot, wizard.usage_log.panel, skewed_log(tmp_path / "pilot.csv"))
    wizard.next()
    pick_model(wizard, "platform_usage")  # no contract terms to fill in
    for _ in range(8):
        if wizard.currentPage() is wizard.review:
            break
        wizard.next()
    summary = wizard.review.summary
    assert summary.totals_form.isRowVisible(summary.bill_range)
    while wizard.currentPage() is not wizard.usage_log:
        wizard.back()
    wizard.usage_log.panel.remove_button.click()
    wizard.next()
    assert wizard.advisor.ranking.currentItem().data(Qt.ItemDataRole.UserRole) == (
        "platform_usage"  # Back and Next keep the model picked
    )
    for _ in range(8):
        if wizard.currentPage() is wizard.review:
            break
        if wizard.currentPage() is wizard.economics:
            # The usage came from the log, which is gone (and the customer gives no actions
            # a day): the page asks for it instead of keeping the log's figure.
            usage = wizard.findChild(QLineEdit, "economics.usage.ai_operations")
            assert usage is not None and usage.text() == ""
            retype(usage, "200")
        wizard.next()
    assert wizard.currentPage() is wizard.review
    assert not summary.totals_form.isRowVisible(summary.bill_range)
