"""Where the rep works: a quote's tax decided before the customer's tax ID was added (the
guided flow never asked for it) is named in the editor's warnings list and its banner, a
double-click on the warning decides the tax again (the EU reverse charge), and Finalise is
refused before the passphrase while the tax is stale."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from quote_builder.services import certificates
from quote_builder.services import quotes as quote_service
from quote_builder.services import tax as tax_service
from quote_builder.services.core import Changes
from quote_builder.services.customers import (
    add_contact,
    create_customer,
    get_customer,
    update_customer,
)
from quote_builder.services.workspace import Workspace
from quote_builder.ui import deal_actions
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import QuoteEditorWindow, open_quote_editor
from quote_builder.ui.summary_panel import TAX_STALE_CODE, SummaryPanel

from .test_deal_ui import PASSPHRASE, script

SENTENCE = (
    "Hooli AI GmbH now has a tax ID (DE123456789): decide the tax again with 'Update from "
    "customer and Settings' on the Terms tab"
)


@pytest.fixture
def window(
    qtbot: QtBot, demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    monkeypatch.setenv("QUOTE_BUILDER_KEYS_DIR", str(tmp_path / "keys"))
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.close()


def warning_rows(summary: SummaryPanel) -> list[tuple[str, object]]:
    shown = summary.warnings
    return [
        (shown.item(i).text(), shown.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(shown.count())
    ]


def hooli_quote(window: MainWindow) -> tuple[int, quote_service.QuoteRow]:
    """What the guided flow makes for a new customer in Germany (the demo seller is in the
    UK): German VAT at 19 %, as no tax ID was given."""
    db = window.workspace.db
    customer = create_customer(
        db,
        {
            "name": "Hooli AI GmbH",
            "country": "Germany",
            "language": "en",
            "billing_address": "Unter den Linden 1, Berlin",
        },
        actor="rep",
    ).value
    add_contact(db, customer.id, {"name": "Jane Buyer", "title": "COO"}, actor="rep")
    tax = tax_service.tax_data(tax_service.quote_tax(db, customer.id))
    assert tax["rule"] == "destination" and tax["rate_percent"] == "19"
    data = {
        "customer": {"name": "Hooli AI GmbH", "id": str(customer.id)},
        "currency": "EUR",
        "start_date": "2027-01-01",
        "term_months": 12,
        "billing_frequency": "monthly",
        "components": [
            {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"}
        ],
        "tax": tax,
        # The seller's costs are in USD (the default currency): the guided flow keeps the
        # table's rate, which the approval rules check the quote's against.
        "exchange_rate": {
            "seller_currency": "USD",
            "rate": "0.9213",
            "as_of": "2026-11-02",
            "source": "ECB",
        },
    }
    import datetime as dt
    from decimal import Decimal

    from quote_builder.pricing.quote_format import quote_from_data
    from quote_builder.services.currencies import set_exchange_rate

    set_exchange_rate(
        db,
        base="USD",
        quote="EUR",
        rate=Decimal("0.9213"),
        as_of=dt.date(2026, 11, 2),
        source="ECB",
        actor="admin",
    )

    row = quote_service.create_quote(db, quote_from_data(data), actor="rep").value
    return customer.id, row


def test_a_tax_id_added_afterwards_is_named_in_the_editor_and_fixed_from_the_warning(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = window.workspace.db
    customer_id, row = hooli_quote(window)
    editor = open_quote_editor(window, row.id)
    assert isinstance(editor, QuoteEditorWindow)
    qtbot.waitExposed(editor)
    assert TAX_STALE_CODE not in [code for _text, code in warning_rows(editor.editor.summary)]
    assert "tax ID" not in editor.banner.text()

    # The Customers page adds the tax ID: the open editor follows the change.
    version = get_customer(db, customer_id).version_id
    update_customer(
        db, customer_id, {"tax_id": "DE123456789"}, expected_version=version, actor="rep"
    )
    editor.refresh_from(Changes.of(customers=[customer_id]))
    assert (f"⛔ {SENTENCE}.", TAX_STALE_CODE) in warning_rows(editor.editor.summary)
    assert f"<b>Before Finalise:</b> {escape(SENTENCE)}." in editor.banner.text()

    # Finalise is refused before the passphrase, with the same sentence.
    certificates.create_trial_certificate("Acme AI", PASSPHRASE)
    asked = script(monkeypatch, deal_actions.PassphraseDialog)
    warned: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a: warned.append(text)
    )
    editor.deal_actions.finalise.trigger()
    assert warned == [f"{row.number} cannot be finalised: {SENTENCE}."]
    assert asked == []
    assert quote_service.get_quote(db, row.id).status == "draft"

    # One gesture on the warning decides the tax again: the reverse charge, 0 %.
    shown = editor.editor.summary.warnings
    item = next(
        shown.item(i)
        for i in range(shown.count())
        if shown.item(i).data(Qt.ItemDataRole.UserRole) == TAX_STALE_CODE
    )
    shown.itemActivated.emit(item)
    tax = editor.editor.data["tax"]
    assert tax["rule"] == "reverse_charge" and tax["customer_tax_id"] == "DE123456789"
    assert TAX_STALE_CODE not in [code for _text, code in warning_rows(editor.editor.summary)]
    assert "now has a tax ID" not in editor.banner.text()
    assert editor.editor.undo_stack.canUndo()  # one undo step, as the button's


def test_the_guided_flow_asks_for_the_new_customer_s_tax_id(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A new business customer in the EU gives its VAT ID in step 1: the quote's tax is
    decided with it (the reverse charge), never 19 % German VAT to be found out later."""
    from quote_builder.ui.wizard import GuidedQuote

    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.customer_page
    page.title_.setText("Hooli support")
    page.new.setChecked(True)
    page.name.setText("Hooli AI GmbH")
    page.currency.setText("EUR")
    page.country.setCurrentText("Germany")
    page.tax_id.setText("DE12")
    wizard.next()
    assert wizard.currentPage() is page
    assert page.problem.text().startswith("Tax ID: DE12 is not a tax ID of Germany")
    page.tax_id.setText("DE 123 456 789")
    wizard.next()
    assert wizard.currentPage() is not page
    tax = wizard.quote_tax()
    assert tax is not None
    assert tax["rule"] == "reverse_charge" and tax["customer_tax_id"] == "DE123456789"
    wizard.reject()
