"""Fields with a longest text keep what was typed or pasted, whole: the catalog's plan
name and the Settings fields (seller's tax ID, signatory, email, logo, the order form's
terms) had Qt's maxLength, which cut a paste at the limit without a word. Each now keeps
the text, marks it "too long (at most N characters; it has M)", refuses Save until it is
shortened, and its tooltip says the limit (the quote Title's mechanism, 3972e1c)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from quote_builder.services.plans import list_plans
from quote_builder.services.settings import get_settings
from quote_builder.services.workspace import Workspace
from quote_builder.ui import i18n
from quote_builder.ui.catalog_view import CatalogPage
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.settings_view import SettingsPage


def _paste(edit: QLineEdit, text: str) -> None:
    """What the user does: select all, paste from the clipboard."""
    QApplication.clipboard().setText(text)
    edit.setFocus()
    edit.selectAll()
    edit.paste()


def _page(qtbot: QtBot, workspace: Workspace, name: str) -> object:
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    return window.show_page(name)


def test_a_long_plan_name_is_kept_whole_and_refused(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    page = _page(qtbot, demo_workspace, "catalog")
    assert isinstance(page, CatalogPage)
    page.select_plan(list_plans(demo_workspace.db)[0].id)
    editor = page.editor
    assert "200 characters" in editor.name.toolTip()
    long = "Support automation for Northwind, " * 7  # 238 characters
    _paste(editor.name, long)
    assert editor.name.text() == long  # nothing cut
    reason = f"too long (at most 200 characters; it has {len(long.strip())})"
    assert any(reason in p for p in editor.problems()), editor.problems()
    assert reason in editor.name.toolTip()
    assert not editor.save_button.isEnabled()
    _paste(editor.name, long[:200])
    assert not any("too long" in p for p in editor.problems())


def test_long_settings_fields_are_kept_whole_and_refused(
    qtbot: QtBot, workspace: Workspace
) -> None:
    page = _page(qtbot, workspace, "settings")
    assert isinstance(page, SettingsPage)
    for field, limit in (
        ("seller_tax_id", 50),
        ("seller_signatory", 200),
        ("seller_email", 254),
        ("legal_governing_law", 200),
    ):
        widget = page.field_widget(field)
        assert isinstance(widget, QLineEdit)
        assert f"{limit} characters" in widget.toolTip(), field
        long = "x" * (limit + 7)
        _paste(widget, long)
        assert widget.text() == long, field  # nothing cut
        reason = f"too long (at most {limit} characters; it has {limit + 7})"
        assert f"{field}: {reason}" in page.problems(), (field, page.problems())
        assert reason in widget.toolTip()
        assert not page.save_button.isEnabled()
        qtbot.keyClick(widget, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert get_settings(workspace.db).version_id == 0  # nothing saved
        _paste(widget, "")
    assert page.problems() == []


def test_the_limit_is_said_in_german(qtbot: QtBot, workspace: Workspace) -> None:
    i18n.use_language("de")
    try:
        page = _page(qtbot, workspace, "settings")
        assert isinstance(page, SettingsPage)
        widget = page.field_widget("seller_signatory")
        assert "Höchstens 200 Zeichen." in widget.toolTip(), widget.toolTip()
        _paste(widget, "x" * 230)  # type: ignore[arg-type]
        assert "zu lang (höchstens 200 Zeichen; es sind 230)" in widget.toolTip()
    finally:
        i18n.use_language("en")


def test_a_long_component_name_is_kept_whole_and_refused(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    page = _page(qtbot, demo_workspace, "catalog")
    assert isinstance(page, CatalogPage)
    page.select_plan(list_plans(demo_workspace.db)[0].id)
    editor = page.editor
    component = editor.components.editors()[0]
    widget = component.field_widget("name")
    assert isinstance(widget, QLineEdit)
    assert "200 characters" in widget.toolTip()
    long = "Platform fee with every feature listed, " * 6  # 240 characters
    _paste(widget, long)
    assert widget.text() == long  # nothing cut
    reason = f"too long (at most 200 characters; it has {len(long)})"
    assert any(reason in p for p in editor.problems()), editor.problems()
    assert reason in widget.toolTip()
    assert not editor.save_button.isEnabled()


def test_the_guided_flow_keeps_a_long_tax_id_whole_and_refuses_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    from quote_builder.ui.wizard import GuidedQuote

    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    page = wizard.customer_page
    page.new.setChecked(True)
    page.name.setText("Mueller Praezision GmbH")
    page.currency.setText("EUR")
    page.country.setEditText("Germany")
    assert "50 characters" in page.tax_id.toolTip()
    long = "DE123456789 " * 5  # 60 characters
    _paste(page.tax_id, long)
    assert page.tax_id.text() == long  # nothing cut
    reason = "too long (at most 50 characters; it has 59)"
    assert reason in page.tax_id.toolTip()
    assert page.validatePage() is False
    assert page.problem.text() == f"Tax ID: {reason}", page.problem.text()


def test_a_long_rate_source_is_kept_whole_and_refused(qtbot: QtBot, workspace: Workspace) -> None:
    page = _page(qtbot, workspace, "settings")
    assert isinstance(page, SettingsPage)
    box = page.exchange_rates
    assert "200 characters" in box.source.toolTip()
    box.base.setText("USD")
    box.quote.setText("EUR")
    box.rate.setText("0.9")
    long = "ECB reference rate, " * 11  # 220 characters
    _paste(box.source, long)
    assert box.source.text() == long  # nothing cut
    box.set_rate()
    assert box.message.text() == (
        "Not put in the table:\nUSD to EUR: Source: too long (at most 200 characters; it has "
        f"{len(long.strip())})"
    ), box.message.text()
    assert box.table.rowCount() == 0 and box.source.text() == long


CODE_REASON = "too long (at most 3 characters; it has 4)"
"""What every currency-code field says of a pasted "EURO" (Qt's maxLength cut it to "EUR"
in the exchange rates' From and To and a new price book's currency, without a word)."""


def test_the_exchange_rate_currencies_keep_a_long_code_and_refuse_it(
    qtbot: QtBot, workspace: Workspace
) -> None:
    page = _page(qtbot, workspace, "settings")
    assert isinstance(page, SettingsPage)
    box = page.exchange_rates
    for edit in (box.base, box.quote):
        assert "3 characters" in edit.toolTip()
    _paste(box.base, "EURO")
    _paste(box.quote, "USD")
    box.rate.setText("1.08")
    box.source.setText("ECB")
    assert box.base.text() == "EURO"  # nothing cut
    assert CODE_REASON in box.base.toolTip()  # marked
    box.set_rate()
    assert box.message.text() == f"Not put in the table:\nEURO to USD: From: {CODE_REASON}"
    assert box.table.rowCount() == 0 and box.base.text() == "EURO"
    _paste(box.base, "USD")
    _paste(box.quote, "EURO")
    assert CODE_REASON not in box.base.toolTip() and CODE_REASON in box.quote.toolTip()
    box.set_rate()
    assert box.message.text() == f"Not put in the table:\nUSD to EURO: To: {CODE_REASON}"
    _paste(box.quote, "EUR")
    box.set_rate()
    assert box.table.rowCount() == 1


def test_the_default_currency_keeps_a_long_code_and_refuses_it(
    qtbot: QtBot, workspace: Workspace
) -> None:
    page = _page(qtbot, workspace, "settings")
    assert isinstance(page, SettingsPage)
    combo = page.default_currency
    assert "3 characters" in combo.toolTip()
    line = combo.lineEdit()
    assert line is not None
    _paste(line, "EURO")
    assert combo.currentText() == "EURO"
    assert f"default_currency: {CODE_REASON}" in page.problems(), page.problems()
    assert CODE_REASON in combo.toolTip()
    assert f"Default currency: {CODE_REASON}" in page.error_label.text()
    assert not page.save_button.isEnabled()
    qtbot.keyClick(line, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert get_settings(workspace.db).version_id == 0  # nothing saved


def test_a_plan_s_currency_and_a_new_price_book_keep_a_long_code_and_refuse_it(
    qtbot: QtBot, demo_workspace: Workspace
) -> None:
    from quote_builder.ui.price_books import PriceBookDialog

    page = _page(qtbot, demo_workspace, "catalog")
    assert isinstance(page, CatalogPage)
    plan = list_plans(demo_workspace.db)[0]
    page.select_plan(plan.id)
    editor = page.editor
    assert "3 characters" in editor.currency.toolTip()
    line = editor.currency.lineEdit()
    assert line is not None
    _paste(line, "EURO")
    assert editor.currency.currentText() == "EURO"
    assert f"currency: {CODE_REASON}" in editor.problems(), editor.problems()
    assert CODE_REASON in editor.currency.toolTip()
    assert not editor.save_button.isEnabled()

    dialog = PriceBookDialog(demo_workspace, plan)
    qtbot.addWidget(dialog)
    books = dialog.currency.count()
    assert "3 characters" in dialog.new_currency.toolTip()
    _paste(dialog.new_currency, "EURO")
    assert dialog.new_currency.text() == "EURO"  # nothing cut
    assert CODE_REASON in dialog.new_currency.toolTip()
    dialog.add_book()
    assert dialog.message.text() == f"New price book: {CODE_REASON}"
    assert dialog.currency.count() == books  # no book added
    _paste(dialog.new_currency, "EUX")
    dialog.add_book()
    assert dialog.message.text() == (
        "New price book: EUX is not a currency; use an ISO 4217 code such as USD, EUR or JPY."
    )
    assert dialog.currency.count() == books


def test_the_guided_flow_and_the_quote_keep_a_long_currency_and_refuse_it(
    qtbot: QtBot, window: MainWindow, no_blocking_dialogs: list[str]
) -> None:
    from quote_builder.services import quotes as quote_service
    from quote_builder.ui.quote_editor import open_quote_editor
    from quote_builder.ui.wizard import GuidedQuote

    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    page = wizard.customer_page
    page.new.setChecked(True)
    page.name.setText("Mueller Praezision GmbH")
    page.country.setEditText("Germany")
    assert "3 characters" in page.currency.toolTip()
    _paste(page.currency, "EURO")
    assert page.currency.text() == "EURO"
    assert CODE_REASON in page.currency.toolTip()
    assert page.validatePage() is False
    assert page.problem.text() == f"Currency: {CODE_REASON}", page.problem.text()

    row = quote_service.list_quotes(window.workspace.db).rows[0]
    editor = open_quote_editor(window, row.id)
    ed = editor.editor
    currency = ed.currency_edit
    before = ed.data.get("currency")
    assert "3 characters" in currency.toolTip()
    _paste(currency, "EURO")
    assert currency.text() == "EURO"
    assert CODE_REASON in currency.toolTip()
    assert any(CODE_REASON in p for p in ed.problem_sentences()), ed.problem_sentences()
    assert ed.data.get("currency") == before
    no_blocking_dialogs.clear()
    assert not editor.save()
    assert any("Currency" in shown and CODE_REASON in shown for shown in no_blocking_dialogs)


def test_a_customer_s_currency_is_kept_and_refused_with_its_length(
    qtbot: QtBot, workspace: Workspace
) -> None:
    from quote_builder.ui.customers_view import CustomerForm

    form = CustomerForm()
    qtbot.addWidget(form)
    widget = form.inputs["currency"]
    assert isinstance(widget, QLineEdit)
    _paste(widget, "EURO")
    assert widget.text() == "EURO"
    assert form.problems()["currency"] == "At most 3 characters; this has 4."
