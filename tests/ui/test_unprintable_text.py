"""Text the PDF fonts cannot draw (an emoji in a customer's name or a quote's title) is
marked where it is typed, with the documents' own sentence (one rule: the render's): the
Customers page and the guided flow refuse it; the editor's Title keeps it and goes on
pricing, and Export PDF, Request approval and Finalise say why they cannot go on."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from quote_builder.documents.fonts import undrawable_sentence
from quote_builder.services import approvals as approval_service
from quote_builder.services import customers as customer_service
from quote_builder.services import quotes as quote_service
from quote_builder.services.core import RefusedError
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor
from quote_builder.ui.summary_panel import UNPRINTABLE_CODE
from quote_builder.ui.wizard import GuidedQuote

ROBOT = "Robo Corp \U0001f916"
SENTENCE = "Write it without that character"


def _rename_northwind(window: MainWindow, name: str) -> int:
    """Existing data: the demo's Northwind renamed (as an older version allowed)."""
    db = window.workspace.db
    found = customer_service.search_customers(db, "Northwind", limit=1).rows[0]
    customer_service.update_customer(
        db, found.id, {"name": name}, expected_version=found.version_id, actor="t"
    )
    return found.id


def _northwind_quote(window: MainWindow) -> int:
    rows = quote_service.list_quotes(window.workspace.db).rows
    return next(r.id for r in rows if r.customer_name == ROBOT)


def test_one_rule_the_render_and_the_fields_share() -> None:
    refusal = undrawable_sentence("customer.name", ROBOT)
    assert refusal is not None and refusal.code == "render.undrawable"
    assert "U+1F916 ROBOT FACE" in refusal and SENTENCE in refusal
    assert undrawable_sentence("customer.name", "Zoë Müller") is None


def test_the_guided_flow_marks_and_refuses_an_unprintable_name_and_title(
    qtbot: QtBot, window: MainWindow
) -> None:
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.customer_page
    page.new.setChecked(True)
    page.name.setText(ROBOT)
    # Marked as typed (the field's tooltip names the character), before Next.
    assert "ROBOT FACE" in page.name.toolTip() and SENTENCE in page.name.toolTip()
    page.title_.setText("Pilot")
    wizard.next()
    assert wizard.currentPage() is page
    assert "ROBOT FACE" in page.problem.text() and SENTENCE in page.problem.text()
    page.name.setText("Robo Corp")
    page.title_.setText("Pilot \U0001f680")
    assert "ROCKET" in page.title_.toolTip()
    wizard.next()
    assert wizard.currentPage() is page
    assert "The quote's title" in page.problem.text() and SENTENCE in page.problem.text()


def test_the_customers_page_refuses_an_unprintable_name_as_it_is_typed(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.show_page("customers")
    page.new_item()
    name = page.form.inputs["name"]
    qtbot.keyClicks(name, "Robo Corp")
    name.setText(ROBOT)
    name.textEdited.emit(ROBOT)
    reason = page.form.errors["name"].text()
    assert "ROBOT FACE" in reason and SENTENCE in reason
    assert not page.save_button.isEnabled()


def test_the_editor_lists_an_existing_unprintable_name_and_refuses_to_export_it(
    qtbot: QtBot, window: MainWindow, no_blocking_dialogs: list[str]
) -> None:
    _rename_northwind(window, ROBOT)
    editor = open_quote_editor(window, _northwind_quote(window))
    ed = editor.editor
    codes = [ed.summary.warnings.item(i).data(0x0100) for i in range(ed.summary.warnings.count())]
    assert UNPRINTABLE_CODE in codes
    assert "ROBOT FACE" in editor.banner.text()
    # The Customer field is read-only and looks it (no frame).
    field = ed.findChild(QLineEdit, "customer_name")
    assert field is not None and field.isReadOnly() and not field.hasFrame()
    # Ctrl+P / Export PDF says why at once.
    no_blocking_dialogs.clear()
    editor.export_action.trigger()
    assert any("ROBOT FACE" in shown for shown in no_blocking_dialogs), no_blocking_dialogs
    # Request approval is refused, in the app and in the service.
    no_blocking_dialogs.clear()
    editor.request_approval()
    assert any("ROBOT FACE" in shown for shown in no_blocking_dialogs), no_blocking_dialogs
    number = editor.row.number
    with pytest.raises(RefusedError, match="ROBOT FACE"):
        approval_service.request_approval(window.workspace.db, number, actor="t")


def test_an_unprintable_title_is_marked_and_priced_and_blocks_only_the_pdf(
    qtbot: QtBot, window: MainWindow, no_blocking_dialogs: list[str]
) -> None:
    """An emoji in the Title marks the field with the sentence naming it, and the PDF's
    actions refuse it; the quote is recorded and priced as usual meanwhile: the totals,
    margin and warnings follow the next edit live. (It used to be held as an unreadable
    entry: nothing was priced while it was there.)"""
    row = next(
        r
        for r in quote_service.list_quotes(window.workspace.db).rows
        if "Initech" in r.customer_name
    )
    editor = open_quote_editor(window, row.id)
    ed = editor.editor
    title = next(b.widget for b in ed.bindings if b.path == ("title",))
    assert isinstance(title, QLineEdit)
    title.setText("Pilot \U0001f916")
    title.textEdited.emit("Pilot \U0001f916")
    # The field says why, naming the field, as it is typed.
    assert "ROBOT FACE" in title.toolTip() and SENTENCE in title.toolTip()
    assert "title" in title.toolTip().lower()
    # Recorded and priced; the warnings list it as blocking the PDF.
    assert ed.data.get("title") == "Pilot \U0001f916"
    assert ed.document is not None and ed.priced is not None
    codes = [ed.summary.warnings.item(i).data(0x0100) for i in range(ed.summary.warnings.count())]
    assert UNPRINTABLE_CODE in codes
    # The totals keep following the edits.
    before = ed.priced.tcv
    discount = next(b.widget for b in ed.bindings if b.path[-1] == "percent")
    assert isinstance(discount, QLineEdit)
    discount.setText("10")
    discount.textEdited.emit("10")
    assert ed.priced is not None and ed.priced.tcv < before
    assert ed.data.get("title") == "Pilot \U0001f916"
    # Export PDF says why at once.
    no_blocking_dialogs.clear()
    editor.export_action.trigger()
    assert any("ROBOT FACE" in shown for shown in no_blocking_dialogs), no_blocking_dialogs
    # Saved: Request approval and Finalise refuse it, with the sentence.
    assert editor.save()
    no_blocking_dialogs.clear()
    editor.request_approval()
    assert any("ROBOT FACE" in shown for shown in no_blocking_dialogs), no_blocking_dialogs
    no_blocking_dialogs.clear()
    editor.deal_actions.run_finalise()
    assert any("ROBOT FACE" in shown for shown in no_blocking_dialogs), no_blocking_dialogs


def test_in_german_the_sentence_names_the_field_in_german() -> None:
    """The sentence the Title field, the warnings and Export PDF show names the field in
    the interface's language (it said "The quote's title (...) enthält ein Zeichen ...")."""
    from quote_builder.ui import i18n
    from quote_builder.ui.service_words import unprintable_text

    i18n.use_language("de")
    sentence = unprintable_text("title", "Pilot \U0001f916")
    assert sentence.startswith("Der Titel des Angebots"), sentence
    assert "quote's title" not in sentence
    component = unprintable_text("components[1].name", "Robo \U0001f916")
    assert component.startswith("Der Name der Komponente 2"), component
