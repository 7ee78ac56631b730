"""Every amount the guided flow shows goes through the one formatter: a derived unit
price (the cost-anchored price) is rounded by its rule, a unit cost carries its currency."""

from __future__ import annotations

from decimal import Decimal

from pytestqt.qtbot import QtBot

from quote_builder.services import customers as customer_service
from quote_builder.ui import locale_format
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.wizard import GuidedQuote


def test_the_cost_anchored_price_is_written_by_the_formatter(
    qtbot: QtBot, window: MainWindow
) -> None:
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.customer = customer_service.search_customers(
        window.workspace.db, "Northwind", limit=1
    ).rows[0]
    page = wizard.value
    page.unit_cost.setText("0.40")
    page.margin.setText("70")
    page.update_result()
    text = page.result.text()
    assert "$1.33 " in text, text  # 0.40 / (1 - 70%) = 1.3333..., as the formatter rounds it
    assert "1.3333" not in text
    assert locale_format.derived_price(Decimal("0.4") / Decimal("0.3"), "USD") == "$1.33"


def test_the_review_writes_a_unit_cost_with_its_currency(qtbot: QtBot, window: MainWindow) -> None:
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.customer = customer_service.search_customers(
        window.workspace.db, "Northwind", limit=1
    ).rows[0]
    wizard.economics._sync_rows({"tickets_resolved": "billed"})
    row = wizard.economics.rows["tickets_resolved"]
    row.usage.setText("1000")
    row.cost.setText("3.5")
    wizard.review.show_usage()
    text = wizard.review.usage.text()
    assert "unit cost $3.50" in text, text
    assert "unit cost 3.5" not in text
