"""The playbook's category price ranges (in USD) in the guided flow for a customer billed in
another currency: converted at the exchange-rate table's rate and saying so, or labelled
as USD when the table has no rate. They were shown in dollars for a EUR customer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale, QStandardPaths
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quote_builder.services import currencies
from quote_builder.services.workspace import Workspace
from quote_builder.ui import i18n, locale_format
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.wizard import GuidedQuote

from .stateful import retype
from .test_guided_numbers import open_wizard, to_page

CODING = "coding_assistant_individual"  # the playbook's $120-$240 per seat per year


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win


def new_customer_in(wizard: GuidedQuote, name: str, currency: str) -> None:
    page = wizard.customer_page
    retype(page.name, name)
    retype(page.currency, currency)
    assert page.new.isChecked()


def category_text(wizard: GuidedQuote) -> str:
    box = wizard.product.category
    return box.itemText(box.findData(CODING))


def playbook_reason(wizard: GuidedQuote) -> str:
    ranking = wizard.advisor.ranking
    texts = [ranking.item(row).text() for row in range(ranking.count())]
    return next(line for text in texts for line in text.splitlines() if "playbook" in line)


def test_a_eur_customer_sees_the_ranges_in_euros_converted(
    qtbot: QtBot, window: MainWindow
) -> None:
    currencies.set_exchange_rate(
        window.workspace.db, base="USD", quote="EUR", rate=Decimal("0.9"),
        as_of=dt.date(2026, 11, 2), source="ECB reference rate", actor="t",
    )  # fmt: skip
    wizard = open_wizard(qtbot, window)
    new_customer_in(wizard, "Nachtfalter GmbH", "EUR")
    to_page(wizard, wizard.product)
    # 120 x 0.9 = 108, 240 x 0.9 = 216
    assert category_text(wizard).endswith(
        "(€108-€216 per seat per year, converted from USD at 0.9)"
    )
    wizard.product.category.setCurrentIndex(wizard.product.category.findData(CODING))
    to_page(wizard, wizard.advisor)
    reason = playbook_reason(wizard)
    assert "€108-€216 per seat per year, converted from USD at 0.9" in reason
    assert "$" not in reason


def test_without_a_rate_the_ranges_say_they_are_in_usd(qtbot: QtBot, window: MainWindow) -> None:
    wizard = open_wizard(qtbot, window)
    new_customer_in(wizard, "Nachtfalter AG", "CHF")
    to_page(wizard, wizard.product)
    assert category_text(wizard).endswith(
        "($120-$240 per seat per year, in USD: no exchange rate to CHF)"
    )


def test_a_usd_customer_sees_the_playbooks_dollars(qtbot: QtBot, window: MainWindow) -> None:
    wizard = open_wizard(qtbot, window)
    new_customer_in(wizard, "Night Owl Inc", "USD")
    to_page(wizard, wizard.product)
    assert category_text(wizard).endswith("($120-$240 per seat per year)")


def test_in_german_the_converted_range_is_written_the_german_way(
    qtbot: QtBot, qapp: QApplication, window: MainWindow
) -> None:
    currencies.set_exchange_rate(
        window.workspace.db, base="USD", quote="EUR", rate=Decimal("0.9"),
        as_of=dt.date(2026, 11, 2), source="ECB reference rate", actor="t",
    )  # fmt: skip
    i18n.install(qapp, "de")
    locale_format.set_locale("de_DE")
    QLocale.setDefault(QLocale("de_DE"))
    try:
        wizard = open_wizard(qtbot, window)
        new_customer_in(wizard, "Nachtfalter GmbH", "EUR")
        to_page(wizard, wizard.product)
        text = category_text(wizard)
    finally:
        i18n.install(qapp, "en")
        locale_format.set_locale(None)
        QLocale.setDefault(QLocale("en_US"))
    assert "108\xa0€–216\xa0€" in text and "umgerechnet aus USD zum Kurs 0,9" in text
    assert "$" not in text
