"""The Customers page as a tired user at 11 pm uses it: a name pasted with a tab and a line
break, a 500-character paste, a case-only duplicate, a customer deleted by someone else
while it is being edited."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quote_builder.services import customers as customer_service
from quote_builder.services.core import Changes
from quote_builder.ui.main_window import MainWindow

from .test_lists import customers_page, field, select_named


def _paste(qtbot: QtBot, page: object, name: str, text: str) -> None:
    line = field(page, name)  # type: ignore[arg-type]
    line.setFocus()
    line.selectAll()
    QApplication.clipboard().setText(text)
    qtbot.keyClick(line, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_a_pasted_name_with_a_tab_and_a_line_break_is_saved_on_one_line(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = customers_page(window)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    _paste(qtbot, page, "name", "  Tyrell\tCorporation\n")
    assert field(page, "name").text() == "  Tyrell\tCorporation\n"  # Qt keeps what is pasted
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.banner.isHidden()
    assert page.heading.text() == "Tyrell Corporation"
    assert field(page, "name").text() == "Tyrell Corporation"
    names = [c.name for c in customer_service.search_customers(window.workspace.db, "tyrell").rows]  # type: ignore[attr-defined]
    assert names == ["Tyrell Corporation"]


def test_a_500_character_paste_is_named_not_cut(qtbot: QtBot, window: MainWindow) -> None:
    page = customers_page(window)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    _paste(qtbot, page, "name", "Contoso " * 62 + "Ltd.")
    assert len(field(page, "name").text()) == 500  # nothing silently cut
    assert page.form.errors["name"].text() == "At most 200 characters; this has 500."
    assert not page.save_button.isEnabled()


def test_a_name_differing_only_by_case_is_refused_with_a_sentence(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = customers_page(window)
    total = page.model.total
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    _paste(qtbot, page, "name", "CONTOSO LEGAL\n")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert not page.banner.isHidden()
    assert "Contoso Legal already exists" in page.banner_text.text()
    assert page.model.total == total


def test_a_customer_deleted_by_someone_else_while_edited(qtbot: QtBot, window: MainWindow) -> None:
    """The other process deleted the customer: Save says so instead of "customer 7 does not
    exist", keeps what was typed, and Save again adds it as a new customer."""
    page = customers_page(window)
    db = window.workspace.db  # type: ignore[attr-defined]
    created = customer_service.create_customer(db, {"name": "Hooli"}, actor="maria").value
    page.refresh(Changes.of(customers=[created.id]))
    select_named(page, "Hooli")
    qtbot.keyClicks(field(page, "legal_name"), "Hooli XYZ Inc")
    customer_service.delete_customer(db, created.id, actor="maria")  # the other process
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.banner_text.text() == (
        "Not saved: Hooli was deleted by someone else after you opened it. What you typed is "
        "still in the form: Save adds it as a new customer, Discard changes drops it."
    )
    assert field(page, "legal_name").text() == "Hooli XYZ Inc" and page.save_button.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    again = customer_service.search_customers(db, "hooli").rows
    assert [(c.name, c.legal_name) for c in again] == [("Hooli", "Hooli XYZ Inc")]
