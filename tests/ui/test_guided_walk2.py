"""Defects a rep found walking the guided flow for an AI coding assistant (team) quoted per
seat (wizard2): each test failed on the flow before its fix; the arithmetic is written out."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot

from quote_builder.pricing import price
from quote_builder.pricing.playbook import PricingModel
from quote_builder.services.workspace import Workspace
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.wizard import GuidedQuote

from .stateful import retype
from .test_guided_numbers import open_wizard, pick_model, press_next, to_page, to_review

D = Decimal


@pytest.fixture
def window(qtbot: QtBot, demo_workspace: Workspace) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.editor.mark_saved()
        editor.close()


def coding_team(qtbot: QtBot, window: MainWindow, users: int = 25) -> GuidedQuote:
    """A new customer, AI coding assistant (team), ``users`` x 30 actions a day, on the
    advisor step."""
    wizard = open_wizard(qtbot, window)
    retype(wizard.customer_page.name, "Adatum Devs")
    press_next(wizard)
    product = wizard.product
    product.category.setCurrentIndex(product.category.findData("coding_assistant_team"))
    product.users.setValue(users)
    retype(product.actions_per_day, "30")
    to_page(wizard, wizard.advisor)
    return wizard


# --- 1. a unit cost on a per-seat quote -----------------------------------------------------


def test_a_unit_cost_on_a_per_seat_quote_costs_the_ai_actions(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Per seat, AI in higher tiers bills no task metric. Before: the value step's unit cost
    0.02 was dropped, no metric row, gross margin 100.0 % every year. Now the AI actions are
    a cost-only metric: 25 users x 30 actions x 30 days = 22,500 a month x 0.02 = 450 a
    month of COGS, 5,400 a year."""
    wizard = coding_team(qtbot, window)
    pick_model(wizard, PricingModel.SEATS_AI_TIERS)
    to_page(wizard, wizard.value)
    retype(wizard.value.unit_cost, "0.02")
    to_page(wizard, wizard.economics)
    economics = wizard.economics
    assert [r.name.text() for r in economics.cost_only] == ["ai_actions"]
    row = economics.cost_only[0]
    assert (row.usage.text(), row.cost.text()) == ("22500", "0.02")
    assert "22,500 actions a month at 0.02 each" in economics.hint.text()
    to_review(wizard)
    document = wizard.document
    assert document is not None
    assert document.economics.cost_only_metrics == ["ai_actions"]
    assert document.economics.unit_costs == {"ai_actions": D("0.02")}
    assert document.usage_forecast["ai_actions"].monthly == D("22500")
    priced = price(document)
    assert priced.years[0].cogs == D("5400")  # 22,500 x 0.02 x 12
    assert priced.years[0].gross_margin_percent is not None
    assert priced.years[0].gross_margin_percent < 100


def test_a_unit_cost_without_actions_a_day_is_refused_on_the_economics_step(
    qtbot: QtBot, window: MainWindow
) -> None:
    """No actions per user per day: the AI actions' usage cannot be counted, so the
    economics step says so and Next is refused, rather than a 100 % margin."""
    wizard = coding_team(qtbot, window)
    while wizard.currentPage() is not wizard.product:
        wizard.back()
    retype(wizard.product.actions_per_day, "")
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.SEATS_AI_TIERS)
    to_page(wizard, wizard.value)
    retype(wizard.value.unit_cost, "0.02")
    to_page(wizard, wizard.economics)
    assert "Give its usage per month" in wizard.economics.hint.text()
    wizard.button(QWizard.WizardButton.NextButton).click()
    QApplication.processEvents()
    assert wizard.currentPage() is wizard.economics
    assert wizard.economics.problem.text() == (
        "Cost-only metric 1 (ai_actions) usage per month: write a number"
    )


def test_no_unit_cost_adds_no_cost_only_metric(qtbot: QtBot, window: MainWindow) -> None:
    wizard = coding_team(qtbot, window)
    pick_model(wizard, PricingModel.SEATS_AI_TIERS)
    to_page(wizard, wizard.economics)
    assert wizard.economics.cost_only == []
