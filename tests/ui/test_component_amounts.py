"""The component form writes each amount of money it holds the way the one formatter does
(``locale_format``): the Monthly minimum's 1000 reads "$1,000.00" beside its field, in the
quote's currency and the interface's locale ("1.000,00 €" in German), and so do the other
amounts and unit prices of the form."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from quote_builder.pricing.factory import component_from_dict
from quote_builder.services import quotes as quote_service
from quote_builder.ui import locale_format
from quote_builder.ui.component_editor import ComponentEditor, ComponentListEditor
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor

MINIMUM = {
    "kind": "minimum_commitment",
    "id": "minimum",
    "name": "Monthly minimum",
    "amount": "1000.00",
    "period": "month",
}


def _shown(editor: ComponentEditor, field: str) -> str:
    label = editor.findChild(QLabel, f"amount_{field}")
    assert label is not None, f"no amount shown beside {field}"
    return label.text()


def test_the_monthly_minimum_is_written_as_money(qtbot: QtBot) -> None:
    editor = ComponentEditor(component_from_dict(MINIMUM))
    qtbot.addWidget(editor)
    editor.set_currency("USD")
    assert _shown(editor, "amount") == "$1,000.00"
    # Typing another amount follows at once, through the one formatter.
    editor.field_widget("amount").setText("2500.5")  # type: ignore[attr-defined]
    assert _shown(editor, "amount") == locale_format.money(Decimal("2500.5"), "USD")
    assert _shown(editor, "amount") == "$2,500.50"
    # Text that is not a number shows no amount (the field says why).
    editor.field_widget("amount").setText("12x")  # type: ignore[attr-defined]
    assert _shown(editor, "amount") == ""


def test_in_german_the_amount_is_written_the_german_way(qtbot: QtBot) -> None:
    locale_format.set_locale("de_DE")
    editor = ComponentEditor(component_from_dict(MINIMUM))
    qtbot.addWidget(editor)
    editor.set_currency("EUR")
    assert _shown(editor, "amount") == "1.000,00\xa0€"


def test_the_other_amount_fields_are_written_too(qtbot: QtBot) -> None:
    editor = ComponentEditor(
        component_from_dict(
            {
                "kind": "transaction_fee",
                "id": "fees",
                "name": "Fees",
                "metric": "transaction_value",
                "count_metric": "transactions",
                "percent": "1.5",
                "fixed_fee": "0.3",
                "minimum_fee": "0.5",
                "maximum_fee": "1200",
            }
        )
    )
    qtbot.addWidget(editor)
    editor.set_currency("USD")
    assert _shown(editor, "fixed_fee") == "$0.30"
    assert _shown(editor, "minimum_fee") == "$0.50"
    assert _shown(editor, "maximum_fee") == "$1,200.00"
    seats = ComponentEditor(
        component_from_dict(
            {"kind": "seats", "id": "s", "name": "Seats", "seats": 3, "price_per_seat": "0.0040"}
        )
    )
    qtbot.addWidget(seats)
    seats.set_currency("USD")
    # A unit price as the formatter writes one (more digits than the cent when it has them).
    assert _shown(seats, "price_per_seat") == locale_format.price(Decimal("0.004"), "USD")
    assert _shown(seats, "price_per_seat") == "$0.004"


def test_the_quote_editor_writes_amounts_in_the_quote_currency(
    qtbot: QtBot, window: MainWindow
) -> None:
    row = next(
        r
        for r in quote_service.list_quotes(window.workspace.db).rows
        if "Initech" in r.customer_name
    )
    editor = open_quote_editor(window, row.id)
    components: ComponentListEditor = editor.editor.components
    platform = components.editors()[0]
    assert _shown(platform, "amount") == "$1,000.00"
