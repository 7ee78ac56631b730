"""Changing a quote's currency in the editor (the Currency field): one dialog naming both
currencies and the rate with its date and source; Convert (the default) converts every
amount as the guided flow does, Keep the numbers relabels them (said so), Cancel puts the
old code back. A conversion is one undo step and marks the quote changed. Without a rate:
the sentence naming it and where to add it, Keep or Cancel only."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from quote_builder.pricing.quote_format import quote_from_data
from quote_builder.services import currencies
from quote_builder.services import customers as customer_service
from quote_builder.services import quotes as quote_service
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import QuoteEditor, QuoteEditorWindow, open_quote_editor
from tests.pricing.factories import quote_data

from .dialogs import answer_message_box
from .stateful import retype

D = Decimal
DAY = dt.date(2026, 11, 30)
REAL_ASK = QuoteEditor.ask_currency


@pytest.fixture(autouse=True)
def real_question(
    no_blocking_dialogs: list[str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """These tests answer the real currency box (conftest answers Cancel for the others)."""
    monkeypatch.setattr(QuoteEditor, "ask_currency", REAL_ASK)
    yield


def _quote(window: MainWindow, seat: str = "45.00", token: str = "0.003") -> QuoteEditorWindow:
    """10 seats at 45.00 USD and 100,000 tokens at 0.003 USD a month for 12 months, costs
    0.001 USD a token: TCV 12 x (450.00 + 300.00) = 9,000.00 USD."""
    db = window.workspace.db
    customer = customer_service.create_customer(db, {"name": "Nordlicht GmbH"}, actor="t")
    document = quote_from_data(
        quote_data(
            customer={"name": "Nordlicht GmbH"},
            components=[
                {
                    "kind": "seats",
                    "id": "team",
                    "name": "Team",
                    "seats": 10,
                    "price_per_seat": seat,
                },
                {
                    "kind": "per_unit",
                    "id": "tokens",
                    "name": "Tokens",
                    "metric": "tokens",
                    "unit_price": token,
                },
            ],  # fmt: skip
            usage_forecast={"tokens": {"monthly": "100000"}},
            economics={"unit_costs": {"tokens": "0.001"}},
        )
    )
    row = quote_service.create_quote(db, document, actor="t", customer_id=customer.value.id).value
    editor = open_quote_editor(window, row.id)
    editor.activateWindow()
    QApplication.processEvents()
    return editor


def _eur_rate(window: MainWindow) -> None:
    currencies.set_exchange_rate(
        window.workspace.db, base="USD", quote="EUR", rate=D("0.9215"), as_of=DAY,
        source="ECB reference rate", actor="t",
    )  # fmt: skip


def enter_code(edit: QLineEdit, code: str) -> None:
    """Type ``code`` over the Currency field and press Enter (the question comes when the
    field is left or Enter is pressed, not at the code's third letter)."""
    retype(edit, code)
    QTest.keyClick(edit, Qt.Key.Key_Return)
    QApplication.processEvents()


def _prices(editor: QuoteEditorWindow) -> tuple[str, str]:
    seats, tokens = editor.editor.data["components"]
    return seats["price_per_seat"], tokens["unit_price"]


def test_convert_reprices_in_one_undo_step(qtbot: QtBot, window: MainWindow) -> None:
    _eur_rate(window)
    editor = _quote(window)
    ed = editor.editor
    assert ed.priced is not None and ed.priced.tcv == D("9000.00")
    before_total = ed.summary.tcv.text()
    steps = ed.undo_stack.index()
    seen: list[str] = []
    answer_message_box("currency_change", "convert", seen)
    enter_code(ed.currency_edit, "EUR")
    assert seen == ["Change this quote's currency from USD to EUR?"]
    # 45.00 x 0.9215 = 41.4675 -> 41.47 EUR; 0.003 x 0.9215 = 0.0027645 -> 0.003 EUR
    assert _prices(editor) == ("41.47", "0.003")
    assert ed.data["currency"] == "EUR" and ed.currency_edit.text() == "EUR"
    assert ed.data["exchange_rate"] == {
        "seller_currency": "USD", "rate": "0.9215", "as_of": "2026-11-30",
        "source": "ECB reference rate", "converted_prices": True,
    }  # fmt: skip
    # TCV 12 x (10 x 41.47 + 100,000 x 0.003) = 12 x 714.70 = 8,576.40 EUR
    assert ed.priced is not None and ed.priced.tcv == D("8576.40")
    assert ed.priced.currency == "EUR"
    assert "8,576.40" in ed.summary.tcv.text() and "€" in ed.summary.tcv.text()
    # Costs stay in USD: 100,000 x 0.001 x 12 = 1,200.00 USD
    assert ed.priced.total_cogs == D("1200.00")
    assert ed.undo_stack.index() == steps + 1 and ed.is_modified()
    qtbot.waitUntil(lambda: "not saved yet" in editor.banner.text(), timeout=3000)
    # One Ctrl+Z (in the field, as a rep presses it) takes back the currency and every price.
    ed.currency_edit.setFocus()
    qtbot.keyClick(ed.currency_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ed.data["currency"] == "USD" and ed.currency_edit.text() == "USD"
    assert _prices(editor) == ("45.00", "0.003")
    assert "exchange_rate" not in ed.data
    assert ed.priced is not None and ed.priced.tcv == D("9000.00")
    assert ed.summary.tcv.text() == before_total and not ed.is_modified()
    editor.redo_action.trigger()
    assert _prices(editor) == ("41.47", "0.003") and ed.data["currency"] == "EUR"


def test_the_dialog_names_both_currencies_and_the_rate(window: MainWindow) -> None:
    _eur_rate(window)
    editor = _quote(window)
    change = window.workspace.run(currencies.currency_change, editor.editor.data, "EUR")
    box = editor.editor.currency_dialog(change)
    buttons = {b.objectName(): b.text() for b in box.findChildren(QPushButton)}
    assert buttons == {
        "convert": "Convert at 0.9215",
        "keep": "Keep the numbers, as EUR",
        "cancel": "Cancel",
    }
    assert box.defaultButton() is box.findChild(QPushButton, "convert")
    info = box.informativeText()
    assert "Exchange rate: 1 USD = 0.9215 EUR, as of Nov 30, 2026 (ECB reference rate)" in info
    # What each choice makes of the first price: 45.00 x 0.9215 = 41.4675 -> 41.47
    assert "45.00 USD becomes 41.47 EUR." in info
    assert "(45.00 USD becomes 45.00 EUR)" in info  # what keeping means, said plainly
    assert "Costs stay in USD, the seller's currency" in info


def test_keep_the_numbers_relabels_them_on_request(window: MainWindow) -> None:
    _eur_rate(window)
    editor = _quote(window)
    seen: list[str] = []
    answer_message_box("currency_change", "keep", seen)
    enter_code(editor.editor.currency_edit, "eur")  # read as EUR, shown as the quote has it
    assert editor.editor.currency_edit.text() == "EUR"
    assert seen and _prices(editor) == ("45.00", "0.003")
    assert editor.editor.data["currency"] == "EUR"
    # Costs are still the seller's USD, at the table's rate (not converted prices).
    assert editor.editor.data["exchange_rate"]["converted_prices"] is False
    assert editor.editor.priced is not None and editor.editor.priced.tcv == D("9000.00")


def test_cancel_puts_the_old_code_back(window: MainWindow) -> None:
    _eur_rate(window)
    editor = _quote(window)
    ed = editor.editor
    steps = ed.undo_stack.index()
    seen: list[str] = []
    answer_message_box("currency_change", "cancel", seen)
    enter_code(ed.currency_edit, "EUR")
    assert seen
    assert ed.currency_edit.text() == "USD" and ed.data["currency"] == "USD"
    assert _prices(editor) == ("45.00", "0.003")
    assert ed.undo_stack.index() == steps and not ed.is_modified()
    assert ed.priced is not None and ed.priced.tcv == D("9000.00")


def test_without_a_rate_the_sentence_says_where_to_add_it(window: MainWindow) -> None:
    editor = _quote(window)
    ed = editor.editor
    change = window.workspace.run(currencies.currency_change, ed.data, "GBP")
    box = ed.currency_dialog(change)
    assert box.text() == (
        "The exchange-rate table has no rate from USD to GBP, so the prices cannot be "
        "converted: add the rate in Settings, Exchange rates, or keep the numbers as they "
        "are, read as GBP."
    )
    assert {b.objectName() for b in box.findChildren(QPushButton)} == {"keep", "cancel"}
    assert box.defaultButton() is box.findChild(QPushButton, "cancel")
    assert box.informativeText() == (
        "Keep the numbers: every amount keeps its number and is read as GBP (45.00 USD "
        "becomes 45.00 GBP); nothing is converted.\n\nWithout a rate from USD, the seller's "
        "currency, the costs are read in GBP too, and so is the margin."
    )
    seen: list[str] = []
    answer_message_box("currency_change", "keep", seen)
    enter_code(ed.currency_edit, "GBP")
    assert seen == [box.text()]
    assert ed.data["currency"] == "GBP" and _prices(editor) == ("45.00", "0.003")
    assert "exchange_rate" not in ed.data  # no USD to GBP rate to keep
    editor.undo_action.trigger()
    assert ed.data["currency"] == "USD" and ed.currency_edit.text() == "USD"


def test_an_unknown_code_keeps_the_field_s_sentence(window: MainWindow) -> None:
    editor = _quote(window)
    ed = editor.editor
    seen: list[str] = []
    answer_message_box("currency_change", "cancel", seen)
    enter_code(ed.currency_edit, "XYZ")
    QApplication.processEvents()
    assert seen == []  # no question: nothing to convert to
    assert "unknown currency 'XYZ'" in ed.currency_edit.toolTip()
    assert ed.data["currency"] == "USD"  # shown, not recorded
    assert not editor.save_action.isEnabled()
    editor.undo_action.trigger()  # undo puts the quote's code back in the field
    assert ed.currency_edit.text() == "USD" and ed.priced is not None


def test_a_quote_without_prices_changes_currency_without_asking(window: MainWindow) -> None:
    """Nothing priced: nothing to convert, so no question; costs stay in USD at the rate."""
    _eur_rate(window)
    editor = _quote(window, seat="0", token="0")
    seen: list[str] = []
    answer_message_box("currency_change", "cancel", seen)
    enter_code(editor.editor.currency_edit, "EUR")
    QApplication.processEvents()
    assert seen == []
    assert editor.editor.data["currency"] == "EUR"
    assert editor.editor.data["exchange_rate"]["rate"] == "0.9215"
    editor.undo_action.trigger()  # one step
    assert editor.editor.data["currency"] == "USD" and "exchange_rate" not in editor.editor.data


def _press_enter_in_the_question(seen: list[str]) -> None:
    """When the currency question shows, note which button has the focus and press Enter
    in it, as a rep who pressed Enter (or Tab, then Enter) in the field would."""
    tries = [0]

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "currency_change":
            tries[0] += 1
            if tries[0] < 200:
                QTimer.singleShot(10, press)
            return
        focused = box.focusWidget()  # the box's own focus (it has it once active)
        seen.append(focused.objectName() if focused is not None else "")
        if focused is None:
            box.reject()  # no focus at all: the assertion below says so
        else:
            QTest.keyClick(focused, Qt.Key.Key_Return)

    QTimer.singleShot(0, press)


def test_the_question_waits_until_the_field_is_left(window: MainWindow) -> None:
    """Walk 6: the question opened at the code's third letter and the Tab that left the
    field moved its focus to "Keep the numbers", so Enter relabelled every price
    (TCV 86,400.00 as EUR). Now the typed code is held until the field is left; Tab asks,
    with Convert focused, and Enter converts."""
    _eur_rate(window)
    editor = _quote(window)
    ed = editor.editor
    retype(ed.currency_edit, "EUR")
    assert ed.data["currency"] == "USD" and ed.currency_edit.text() == "EUR"  # held
    assert ed.priced is not None and ed.priced.tcv == D("9000.00")
    focused: list[str] = []
    _press_enter_in_the_question(focused)
    QTest.keyClick(ed.currency_edit, Qt.Key.Key_Tab)
    QApplication.processEvents()
    assert focused == ["convert"]
    # 45.00 x 0.9215 = 41.4675 -> 41.47 EUR: converted, not relabelled
    assert ed.data["currency"] == "EUR" and _prices(editor) == ("41.47", "0.003")
    assert ed.priced is not None and ed.priced.tcv == D("8576.40")


def test_saving_with_a_new_code_in_the_field_asks_first(window: MainWindow) -> None:
    """Ctrl+S pressed with "EUR" still in the field (never left): the question comes
    first, so what is saved is what the field shows."""
    _eur_rate(window)
    editor = _quote(window)
    ed = editor.editor
    retype(ed.currency_edit, "EUR")
    seen: list[str] = []
    answer_message_box("currency_change", "convert", seen)
    assert editor.save()
    assert seen == ["Change this quote's currency from USD to EUR?"]
    saved = quote_service.open_version(window.workspace.db, editor.quote_id).document
    assert saved.currency == "EUR"
    assert str(saved.components[0].price_per_seat) == "41.47"  # type: ignore[union-attr]


def test_each_amount_is_written_with_its_own_currency_s_minor_unit(window: MainWindow) -> None:
    """The Keep text said "60.00 USD becomes 60.00 JPY": the yen has no minor unit
    (ISO 4217), so the kept number is 60 JPY. Converting writes each side its own way
    too: 60.00 x 152.37 = 9,142.20 -> 9,142 JPY."""
    currencies.set_exchange_rate(
        window.workspace.db, base="USD", quote="JPY", rate=D("152.37"), as_of=DAY,
        source="ECB reference rate", actor="t",
    )  # fmt: skip
    editor = _quote(window, seat="60.00")
    change = window.workspace.run(currencies.currency_change, editor.editor.data, "JPY")
    info = editor.editor.currency_dialog(change).informativeText()
    assert "(60.00 USD becomes 60 JPY)" in info
    assert "60.00 USD becomes 9,142 JPY." in info
    # Without a rate (Keep only) and to a currency of three decimals: 60.000 BHD.
    change = window.workspace.run(currencies.currency_change, editor.editor.data, "BHD")
    info = editor.editor.currency_dialog(change).informativeText()
    assert "(60.00 USD becomes 60.000 BHD)" in info
    # A price below the minor unit keeps its digits on both sides (the first price is
    # the tokens' 0.003 once the seats cost nothing).
    data = copy.deepcopy(editor.editor.data)
    data["components"][0]["price_per_seat"] = "0"
    change = window.workspace.run(currencies.currency_change, data, "JPY")
    info = editor.editor.currency_dialog(change).informativeText()
    assert "(0.003 USD becomes 0.003 JPY)" in info
