"""What one edit in the quote editor computes (issue 5's 16 ms budget, issue 17's tabs): the
quote is priced once; the hidden Price table and Options tabs are brought up to date when
they are shown, never left with an earlier pricing; what is kept to avoid doing work twice
(the current document's canonical JSON, a kept option's figures, the warnings list, number
texts read by content) is what a fresh computation gives."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QSpinBox, QTableWidgetItem
from pytestqt.qtbot import QtBot

from quote_builder.documents.price_sheet import sheet_from_quote
from quote_builder.pricing import price
from quote_builder.pricing.quote_format import canonical_json, quote_from_data
from quote_builder.services import quotes as quote_service
from quote_builder.ui import colours, locale_format, locale_numbers, options_panel
from quote_builder.ui import quote_editor as editor_module
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import QuoteEditorWindow, open_quote_editor
from quote_builder.ui.summary_panel import SummaryPanel

from ..pricing.factories import make_quote
from .stateful import retype


def open_editor(window: MainWindow, customer: str = "Contoso Legal") -> QuoteEditorWindow:
    row = next(
        r
        for r in quote_service.list_quotes(window.workspace.db).rows
        if r.customer_name == customer
    )
    return open_quote_editor(window, row.id)


def field(editor: QuoteEditorWindow, *path: str) -> Any:
    return next(b.widget for b in editor.editor.bindings if b.path == path)


def fresh(editor: QuoteEditorWindow) -> tuple[Any, Any]:
    """The quote on screen validated and priced anew (nothing the editor kept)."""
    doc = quote_from_data(editor.editor.data)
    return doc, price(doc)


def counting(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Count the calls of ``owner.name`` (still doing what it did)."""
    calls = [0]
    original: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


# --- hidden tabs are brought up to date when shown ------------------------------------------


def test_a_hidden_price_table_shows_the_new_pricing_when_shown(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = open_editor(window)
    ed = editor.editor
    model = ed.price_table.model
    ed.tabs.setCurrentWidget(ed.price_table)
    shown_before = model.sheet
    assert shown_before is not None
    ed.tabs.setCurrentIndex(0)  # the Terms tab
    term = field(editor, "term_months")
    assert isinstance(term, QSpinBox) and term.value() == 12
    term.setValue(24)
    # Hidden, the table is not rebuilt on the edit (the work the edit saves) ...
    assert model.sheet is shown_before
    ed.tabs.setCurrentWidget(ed.price_table)
    # ... and shown, it is the new quote's, cell for cell.
    doc, priced = fresh(editor)
    assert model.sheet == sheet_from_quote(doc, priced)
    last = model.rowCount() - 1
    assert model.data(model.index(last, 0)) == "Total contract value"
    totals = [model.data(model.index(last, c)) for c in range(model.columnCount())]
    assert f"{priced.tcv:,}" in totals
    assert len(priced.years) == 2


def test_a_hidden_options_tab_shows_the_new_pricing_when_shown(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = open_editor(window)
    ed = editor.editor
    panel = ed.options
    ed.tabs.setCurrentWidget(panel)
    panel.name.setText("One year")
    QTest.mouseClick(panel.keep_button, Qt.MouseButton.LeftButton)
    assert [o["name"] for o in ed.data["options"]] == ["One year"]
    ed.tabs.setCurrentIndex(0)
    field(editor, "term_months").setValue(36)
    retype(field(editor, "escalator_percent"), "5")
    ed.tabs.setCurrentWidget(panel)
    doc, priced = fresh(editor)
    working = 1  # the column after the row labels
    assert panel.table.horizontalHeaderItem(working).text() == "Working copy"

    def shown(label: str, col: int) -> str:
        row = next(
            r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text() == label
        )
        return str(panel.table.item(row, col).text())

    currency = doc.currency
    assert shown("TCV", working) == locale_format.money(priced.tcv, currency)
    assert shown("Margin, year 3", working) == locale_format.percent(
        priced.years[2].gross_margin_percent, 1
    )
    # The kept option is still its own 12 months.
    option = quote_from_data(
        {**{k: v for k, v in ed.data.items() if k != "options"}, **_option_fields(ed.data)}
    )
    assert shown("TCV", 2) == locale_format.money(price(option).tcv, currency)
    assert shown("Margin, year 3", 2) == ""


def _option_fields(data: dict[str, Any]) -> dict[str, Any]:
    from quote_builder.pricing.document import OPTION_FIELDS

    option = data["options"][0]
    kept = {f: option[f] for f in OPTION_FIELDS if f in option}
    missing = {f: None for f in OPTION_FIELDS if f not in option}
    return {k: v for k, v in {**missing, **kept}.items() if v is not None}


# --- one edit, priced once ------------------------------------------------------------------


def test_an_edit_prices_the_quote_once_and_writes_its_json_once(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's title, Save, Undo, the deal actions and Request approval all ask
    whether the quote is modified: the document's canonical JSON is made once for all of
    them, and the quote is priced once."""
    editor = open_editor(window)
    ed = editor.editor
    prices = counting(monkeypatch, editor_module, "price")
    jsons = counting(monkeypatch, editor_module, "canonical_json")
    term = field(editor, "term_months")
    term.setValue(24)
    assert (prices[0], jsons[0]) == (1, 1)
    assert editor.windowTitle().endswith("•") and editor.save_action.isEnabled()
    # What was kept is the new document's JSON, not the last one's.
    assert ed.document is not None
    assert ed._canonical() == canonical_json(quote_from_data(ed.data))
    term.setValue(12)  # back to the saved version
    assert (prices[0], jsons[0]) == (2, 2)
    assert not editor.windowTitle().endswith("•") and not editor.save_action.isEnabled()
    assert not ed.is_modified()


def test_a_kept_options_figures_are_written_once_per_pricing(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing in the working copy writes the working copy's figures again, not the kept
    options' (their pricing is cached by content); a change of locale writes them all."""
    editor = open_editor(window)
    ed = editor.editor
    panel = ed.options
    ed.tabs.setCurrentWidget(panel)
    for name, months in (("One year", 12), ("Two years", 24)):
        field(editor, "term_months").setValue(months)
        panel.name.setText(name)
        QTest.mouseClick(panel.keep_button, Qt.MouseButton.LeftButton)
    written = counting(monkeypatch, options_panel.OptionsPanel, "_write_figures")
    field(editor, "term_months").setValue(23)
    assert written[0] == 1  # the working copy's column only
    field(editor, "term_months").setValue(36)
    assert written[0] == 4  # a third year: every column gets its row
    row = next(r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text() == "TCV")
    doc, priced = fresh(editor)
    assert panel.table.item(row, 1).text() == locale_format.money(priced.tcv, doc.currency)
    english = panel.table.item(row, 3).text()
    locale_format.set_locale("de_DE")
    panel.show_quote(ed.data, ed.document, ed.priced)
    assert written[0] == 7  # all three columns, in German
    german = panel.table.item(row, 3).text()
    assert german != english and german.endswith("$") and "," in german


# --- what is kept equals what a fresh computation gives -------------------------------------


def test_the_warnings_list_is_kept_while_the_warnings_are_the_same(qtbot: QtBot) -> None:
    panel = SummaryPanel()
    qtbot.addWidget(panel)
    # 57.0 % margin below a 60 % floor: one margin warning. (1,000 - 430) / 1,000 = 57 %.
    seats = {"kind": "seats", "id": "s", "name": "Seats", "seats": 10, "price_per_seat": "100"}
    low = price(
        make_quote(
            pricing_model="seats_credits",
            components=[seats],
            economics={"fixed_cost_per_month": "430", "margin_floor_percent": "60"},
        )
    )
    fine = price(
        make_quote(
            pricing_model="seats_credits",
            components=[seats],
            economics={"fixed_cost_per_month": "300", "margin_floor_percent": "60"},
        )
    )

    def rows() -> list[tuple[str, Any]]:
        items = [panel.warnings.item(i) for i in range(panel.warnings.count())]
        return [(item.text(), item.data(Qt.ItemDataRole.UserRole)) for item in items]

    panel.show_priced(low)
    first = panel.warnings.item(0)
    assert [code for _text, code in rows()] == [w.code for w in low.warnings]
    assert "MARGIN_BELOW_FLOOR" in [w.code for w in low.warnings]
    panel.show_priced(low)
    assert panel.warnings.item(0) is first  # the same rows: not rebuilt
    panel.show_priced(fine)
    assert fine.warnings == ()  # 70 % clears the floor and is in the model's range
    assert rows() == [("No warnings.", None)]
    panel.show_problems(["Term: write a number"])
    assert rows() == [("✖ Term: write a number", None)]
    panel.show_priced(low)
    assert [code for _text, code in rows()] == [w.code for w in low.warnings]


def test_number_texts_are_read_in_the_locale_of_the_moment() -> None:
    """Texts are read once per text and locale: switching the locale reads them anew."""
    assert locale_numbers.reason("1.234,5") is not None  # en_US: not a number
    assert locale_numbers.stored_text("1.234,5") == "1.234,5"  # kept as typed
    assert locale_numbers.stored_text("1,234.5") == "1234.5"
    locale_numbers.set_ui_locale("de_DE")
    try:
        assert locale_numbers.reason("1.234,5") is None
        assert locale_numbers.stored_text("1.234,5") == "1234.5"
        assert locale_numbers.reason("1,234.5") is not None
    finally:
        locale_numbers.set_ui_locale("en_US")
    assert locale_numbers.reason("1.234,5") is not None
    # A text longer than a number may be is refused and not kept.
    kept = locale_numbers._read.cache_info().currsize
    assert locale_numbers.reason("1" * 150) == "A number of at most 100 characters."
    assert locale_numbers._read.cache_info().currsize == kept


# --- the screen never keeps an outdated state -----------------------------------------------


def test_an_unreadable_number_typed_back_to_the_saved_value_is_priced_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A comma typed after the escalator ("0,": not a number) and deleted again (Backspace:
    "0", what the data holds) leaves the data as it was: the problem, the missing totals
    and the modified mark go at once (they stayed until the next edit)."""
    editor = open_editor(window)  # a draft: no approval to void
    ed = editor.editor
    escalator = field(editor, "escalator_percent")
    assert isinstance(escalator, QLineEdit)
    assert escalator.text() == "0" and not ed.is_modified()
    tcv = ed.summary.tcv.text()
    escalator.setFocus()
    QTest.keyClick(escalator, Qt.Key.Key_End)
    QTest.keyClicks(escalator, ",")
    assert escalator.text() == "0,"
    assert ed.priced is None and ed.problems and ed.summary.tcv.text() == "—"
    assert editor.windowTitle().endswith("•")
    QTest.keyClick(escalator, Qt.Key.Key_Backspace)
    assert escalator.text() == "0" and ed.data["escalator_percent"] == "0"
    assert ed.problems == [] and ed.priced is not None
    assert ed.summary.tcv.text() == tcv
    assert not editor.windowTitle().endswith("•") and not ed.is_modified()


def test_a_repeated_metric_is_marked_and_unmarked(qtbot: QtBot, window: MainWindow) -> None:
    """A metric on two rows of the usage table is marked (only when the mark changes, but
    always as the table is now)."""
    editor = open_editor(window)
    ed = editor.editor
    table = ed.forecast
    assert table.rowCount() >= 1
    name = table.item(0, 0).text()
    row = table.rowCount()
    table.insertRow(row)
    table.setItem(row, 0, QTableWidgetItem(name))
    first = table.item(0, 0)
    assert first.toolTip() == "listed on another row too"
    assert first.background().color() == colours.qcolor("invalid_background")
    assert any("listed on two rows" in p for p in ed.problems)
    table.item(row, 0).setText(name + "_2")
    assert first.toolTip() == "" and first.background().style() == Qt.BrushStyle.NoBrush
    assert not any("listed on two rows" in p for p in ed.problems)
    assert ed.data["usage_forecast"][name + "_2"]["monthly"] == "0"
    assert Decimal(ed.priced.tcv) == fresh(editor)[1].tcv  # type: ignore[union-attr]


class _LayoutRequests(QObject):
    """Counts the layout requests a widget receives."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def test_an_edit_with_the_options_shown_does_not_lay_out_the_tabs(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The what-if's new total and term under the sliders are repainted where they are: an
    edit does not lay the editor's tabs out again (a tab widget repaints all of its page
    when it is). The result still fills its row and follows the font."""
    window.show()
    editor = open_editor(window)
    ed = editor.editor
    panel = ed.options
    ed.tabs.setCurrentWidget(panel)
    qtbot.waitExposed(editor)
    QApplication.processEvents()
    term = field(editor, "term_months")
    term.setValue(24)  # the first edit changes the toolbar and the banner: laid out once
    for _ in range(6):
        QApplication.processEvents()
    requests = _LayoutRequests()
    ed.tabs.installEventFilter(requests)
    for months in (25, 26, 27, 28):
        before = panel.what_if_result.text()
        term.setValue(months)
        QApplication.processEvents()
        assert panel.what_if_result.text() != before and "TCV" in panel.what_if_result.text()
        assert panel.term_label.text() == f"{months} months"
    assert requests.count == 0
    holder = panel.what_if_result.parentWidget()
    assert holder is not None and panel.what_if_result.geometry() == holder.rect()
    assert holder.width() > 300
    height = holder.height()
    font = QFont(panel.font())
    font.setPointSizeF(font.pointSizeF() * 2)
    panel.setFont(font)
    QApplication.processEvents()
    assert holder.height() > height
    assert panel.what_if_result.geometry() == holder.rect()
