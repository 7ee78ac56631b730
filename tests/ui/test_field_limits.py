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
