"""A percent field's refusal shows a percent as its example ("e.g. 12.5"), never a
thousands figure ("1,234.5"), in the editor's Discount % and in the price table."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from quote_builder.numbers import NumberEntryError, parse_decimal
from quote_builder.services import quotes as quote_service
from quote_builder.ui import locale_format
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor


@pytest.fixture(autouse=True)
def us_locale() -> Iterator[None]:
    locale_format.set_locale("en_US")
    yield
    locale_format.set_locale(None)


def _editor(window: MainWindow, customer: str):  # type: ignore[no-untyped-def]
    row = next(
        r
        for r in quote_service.list_quotes(window.workspace.db).rows
        if r.customer_name == customer
    )
    return open_quote_editor(window, row.id)


def test_the_parser_gives_a_percent_example_for_a_percent_field() -> None:
    with pytest.raises(NumberEntryError) as refused:
        parse_decimal("lots", "en_US", what="Deal discount %", percent=True)
    assert "(e.g. 12.5)" in str(refused.value) and "1,234.5" not in str(refused.value)
    with pytest.raises(NumberEntryError) as refused:
        parse_decimal("1234,5", "en_US", what="Deal discount %", percent=True)
    assert "1,234.5" not in str(refused.value)
    with pytest.raises(NumberEntryError) as refused:
        parse_decimal("12,5", "en_US", what="Deal discount %", percent=True)
    assert "write 12.5" in str(refused.value)


def test_the_deal_discount_field_suggests_a_percent(qtbot: QtBot, window: MainWindow) -> None:
    editor = _editor(window, "Globex Engineering")
    ed = editor.editor
    field = next(b.widget for b in ed.bindings if b.path == ("discounts", 0, "percent"))
    field.setText("ten")
    field.textEdited.emit("ten")
    assert "e.g. 12.5" in field.toolTip(), field.toolTip()
    assert "1,234.5" not in field.toolTip()


def test_the_price_tables_discount_suggests_a_percent(qtbot: QtBot, window: MainWindow) -> None:
    editor = _editor(window, "Globex Engineering")
    ed = editor.editor
    ed.tabs.setCurrentWidget(ed.price_table)
    model = ed.price_table.model
    keys = [model.column_key(c) for c in range(model.columnCount())]
    row = next(
        r
        for r in range(model.rowCount())
        if model._lines[r].row is not None and model._lines[r].row.label == "Team seats"
    )
    assert not model.setData(model.index(row, keys.index("discount")), "1234,5")
    text = ed.price_table.message.text()
    assert "1,234.5" not in text, text
    assert not model.setData(model.index(row, keys.index("discount")), "lots")
    assert "e.g. 12.5" in ed.price_table.message.text()


def test_the_guided_flows_percent_fields_give_a_percent_example() -> None:
    """Target margin %, Value capture % and the other percent fields of New quote…: the
    refusal's example is a percent, as in the editor (it was "e.g. 1,234.5")."""
    from quote_builder.ui.wizard import _percent_problem

    problem = _percent_problem("lots", "Target margin %", below_100=True)
    assert problem is not None
    assert "(e.g. 12.5)" in problem and "1,234.5" not in problem
    assert _percent_problem("72.5 %", "Target margin %") == (
        "Target margin %: 72.5 % is not a number as written in English (United States); write 72.5"
    )
