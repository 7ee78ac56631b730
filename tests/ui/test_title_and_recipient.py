"""The guided flow asks for the quote's title; the recipient is one of the customer's
contacts, chosen in the flow or the editor, and printed on the proposal (issue 17, §3)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quote_builder.documents.render import render_html
from quote_builder.documents.viewmodel import Party, RenderRequest
from quote_builder.pricing import price
from quote_builder.services import customers as customer_service
from quote_builder.services import quotes as quote_service
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor
from quote_builder.ui.wizard import GuidedQuote


def test_the_flow_asks_for_a_title_and_offers_the_customers_contacts(
    qtbot: QtBot, window: MainWindow
) -> None:
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.customer_page
    page._search("Northwind")
    wizard.next()
    assert wizard.currentPage() is page
    assert page.problem.text().startswith("Give the quote a title")
    # Northwind's contacts are offered (the demo gives it one), after "nobody named".
    customer = page.matches.currentItem().data(Qt.ItemDataRole.UserRole)
    contacts = customer_service.list_contacts(window.workspace.db, customer.id)
    assert contacts
    assert page.recipient.count() == 1 + len(contacts)
    assert page.recipient.itemText(1).startswith(contacts[0].name)
    page.recipient.setCurrentIndex(1)
    page.title_.setText("Support automation for Northwind")
    wizard.next()
    assert wizard.currentPage() is not page
    data = wizard.build_data()
    assert data["title"] == "Support automation for Northwind"
    assert data["customer"]["contact"]["name"] == contacts[0].name


def test_the_recipient_is_chosen_in_the_editor_and_printed_on_the_proposal(
    qtbot: QtBot, window: MainWindow
) -> None:
    db = window.workspace.db
    row = next(r for r in quote_service.list_quotes(db).rows if r.customer_name == "Contoso Legal")
    contacts = customer_service.list_contacts(db, row.customer_id)
    editor = open_quote_editor(window, row.id)
    ed = editor.editor
    combo = ed.recipient
    assert combo.count() == 1 + len(contacts)
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    assert ed.data["customer"]["contact"]["name"] == contacts[0].name
    assert ed.undo_stack.undoText() == "Edit Recipient"
    assert editor.save()
    saved = quote_service.open_version(db, row.id).document
    assert saved.customer.contact is not None and saved.customer.contact.name == contacts[0].name
    html = render_html(
        "proposal",
        RenderRequest(document=saved, priced=price(saved), seller=Party("S"), customer=Party("C")),
    )
    assert "For the attention of" in html and contacts[0].name in html
    # Undo back to nobody named: the recipient goes, and the quote matches version 1 again.
    ed.undo()
    assert "contact" not in ed.data["customer"]
