"""Defects found walking the guided flow as a user (seats counted twice, an ambiguous
number, a duplicate customer, an internal field name): one test each, the arithmetic
written out. Each failed before its fix (the old figures are in the test's text)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QSpinBox, QWizard
from pytestqt.qtbot import QtBot

from quote_builder.pricing import price
from quote_builder.pricing.playbook import PricingModel
from quote_builder.services import customers as customer_service
from quote_builder.services import quotes as quote_service
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


def new_customer(wizard: GuidedQuote, name: str) -> None:
    page = wizard.customer_page
    retype(page.name, name)
    assert page.new.isChecked()


def coding_individual(wizard: GuidedQuote, users: int) -> None:
    product = wizard.product
    product.category.setCurrentIndex(product.category.findData("coding_assistant_individual"))
    product.users.setValue(users)
    retype(product.actions_per_day, "5")


def seat_boxes(wizard: GuidedQuote) -> list[QSpinBox]:
    boxes = []
    for editor in wizard.components.editor.editors():
        if editor.kind() == "seats":
            box = editor.findChild(QSpinBox, "field_seats")
            assert box is not None
            boxes.append(box)
    return boxes


# --- 1. the users are seats once -----------------------------------------------------------


def test_users_are_seats_in_one_tier_not_in_every_tier(qtbot: QtBot, window: MainWindow) -> None:
    """AI coding assistant (individual), 10 users: the template has Individual seats at 10
    and Pro seats (AI) at 19 a month. Before: 10 Individual + 10 Pro = 20 seats for 10 users,
    (10 x 10 + 10 x 19) x 12 = 290 x 12 = 3,480 a year. Now the 10 users are seats once, in
    the AI tier the playbook's range points at (Pro: 19 x 12 = 228 a year, inside 120-240):
    0 Individual and 10 Pro, 10 x 19 x 12 = 2,280. (They started in the Individual tier,
    1,200, until the template's users moved to the AI tier.)"""
    wizard = open_wizard(qtbot, window)
    new_customer(wizard, "Tailspin Devs")
    press_next(wizard)
    coding_individual(wizard, 10)
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.SEATS_AI_TIERS)
    to_page(wizard, wizard.components)
    assert [b.value() for b in seat_boxes(wizard)] == [0, 10]
    assert "0 Individual seats + 10 Pro seats (AI) = 10 seats for 10 users" in (
        wizard.components.seats.text()
    )
    to_review(wizard)
    assert wizard.document is not None
    seats = {c.id: c.seats for c in wizard.document.components if c.kind == "seats"}
    assert seats == {"team": 0, "pro": 10}  # 0 + 10 = 10 seats = 10 users
    assert price(wizard.document).tcv == D("2280")  # 10 x 19 x 12
    wizard.button(QWizard.WizardButton.FinishButton).click()
    saved = quote_service.list_quotes(window.workspace.db, "Tailspin").rows
    assert len(saved) == 1 and saved[0].tcv.amount == D("2280.00")


def test_seats_by_contract_year_ramp_the_tier_the_users_are_in(
    qtbot: QtBot, window: MainWindow
) -> None:
    """40 users, seats by contract year "40, 60, 80", 36 months: the 40 users are Pro seats
    (AI, 19 a month). Before: the ramp went to the first seats component, the empty
    Individual tier (10 a month): 40 Individual + 40 Pro = 80 seats in year 1, (40 x 10 +
    40 x 19) x 12 = 13,920, and the Individual tier grew to 60 and 80 beside 40 Pro seats.
    Now the Pro tier ramps: 40 x 19 x 12 = 9,120 in year 1; 60 x 19 x 12 = 13,680 in year 2;
    80 x 19 x 12 = 18,240 in year 3 (no escalator); TCV 41,040."""
    wizard = open_wizard(qtbot, window)
    new_customer(wizard, "Tailspin Devs")
    press_next(wizard)
    coding_individual(wizard, 40)
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.SEATS_AI_TIERS)
    to_page(wizard, wizard.components)
    assert [b.value() for b in seat_boxes(wizard)] == [0, 40]
    wizard.components.term.setValue(36)
    retype(wizard.components.ramp, "40, 60, 80")
    to_review(wizard)
    document = wizard.document
    assert document is not None
    seats = {c.id: c.seats for c in document.components if c.kind == "seats"}
    assert seats == {"team": 0, "pro": 40}
    assert [(r.year, dict(r.seats)) for r in document.ramps] == [
        (2, {"pro": 60}),
        (3, {"pro": 80}),
    ]
    priced = price(document)
    assert [y.revenue for y in priced.years] == [D("9120"), D("13680"), D("18240")]
    assert priced.tcv == D("41040")


def test_a_split_between_tiers_must_add_up_to_the_users(qtbot: QtBot, window: MainWindow) -> None:
    """The rep moves users to Individual: 5 Individual + 10 Pro = 15 seats for 10 users is
    refused with the sum; 5 + 5 = 10 goes on and bills (5 x 10 + 5 x 19) x 12 = 145 x 12 =
    1,740."""
    wizard = open_wizard(qtbot, window)
    new_customer(wizard, "Tailspin Devs")
    press_next(wizard)
    coding_individual(wizard, 10)
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.SEATS_AI_TIERS)
    to_page(wizard, wizard.components)
    individual, pro = seat_boxes(wizard)
    individual.setValue(5)
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is wizard.components
    assert wizard.components.problem.text() == (
        "Seats: 5 Individual seats + 10 Pro seats (AI) = 15 seats, but the product step has "
        "10 users; split the 10 users between the tiers."
    )
    pro.setValue(5)
    assert "5 Individual seats + 5 Pro seats (AI) = 10 seats for 10 users" in (
        wizard.components.seats.text()
    )
    to_review(wizard)
    assert wizard.document is not None
    assert price(wizard.document).tcv == D("1740")


def test_changing_the_users_moves_the_seats_the_page_set(qtbot: QtBot, window: MainWindow) -> None:
    """Back to the product step, 10 users become 25: the seats the page set follow (0 + 25),
    so Next is not refused for a split the rep never typed."""
    wizard = open_wizard(qtbot, window)
    new_customer(wizard, "Tailspin Devs")
    press_next(wizard)
    coding_individual(wizard, 10)
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.SEATS_AI_TIERS)
    to_page(wizard, wizard.components)
    while wizard.currentPage() is not wizard.product:
        wizard.back()
    wizard.product.users.setValue(25)
    to_page(wizard, wizard.components)
    assert [b.value() for b in seat_boxes(wizard)] == [0, 25]
    press_next(wizard)


# --- 2. an ambiguous number in the product step ------------------------------------------------


def test_outcomes_of_4_point_000_are_refused_as_ambiguous(qtbot: QtBot, window: MainWindow) -> None:
    """Before: "4.000" in English was read as 4 outcomes a month, silently (a German writer
    means 4 x 1,000 = 4,000). Now Next says both readings; "4,000" goes on as 4,000."""
    wizard = open_wizard(qtbot, window)
    new_customer(wizard, "Woodgrove Support")
    press_next(wizard)
    retype(wizard.product.outcomes, "4.000")
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is wizard.product
    assert wizard.product.problem.text() == (
        "Outcomes per month: 4.000 could mean 4 or 4,000; write 4 or 4,000"
    )
    retype(wizard.product.outcomes, "4,000")
    press_next(wizard)
    assert wizard.product.outcomes_per_month() == D("4000")


# --- 3. a customer's name once -----------------------------------------------------------------


def test_an_existing_name_typed_again_is_offered_not_duplicated(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Before: "contoso legal " (trailing space, lower case) made a second Contoso Legal on
    Finish. Now the names compare trimmed, with collapsed spaces and case folded, and Next
    offers the existing one."""
    wizard = open_wizard(qtbot, window)
    for typed in ("contoso legal ", "  CONTOSO   Legal"):
        new_customer(wizard, typed)
        wizard.button(QWizard.WizardButton.NextButton).click()
        assert wizard.currentPage() is wizard.customer_page
        assert wizard.customer_page.problem.text() == (
            "Contoso Legal already exists: choose it under Existing customer."
        )
    assert customer_service.search_customers(window.workspace.db, "Contoso").total == 1
    new_customer(wizard, "  Contoso   Legal Services ")  # another name: goes on, trimmed
    press_next(wizard)
    assert wizard.customer is not None and wizard.customer.name == "Contoso Legal Services"


# --- 4. the empty name's sentence uses the form's label ------------------------------------------


def test_an_empty_name_is_refused_with_the_forms_label(qtbot: QtBot, window: MainWindow) -> None:
    """Before: "name: must not be empty" (the field's internal name)."""
    wizard = open_wizard(qtbot, window)
    for typed in ("", "   "):
        wizard.customer_page.new.setChecked(True)
        retype(wizard.customer_page.name, typed)
        wizard.customer_page.new.setChecked(True)
        wizard.button(QWizard.WizardButton.NextButton).click()
        assert wizard.currentPage() is wizard.customer_page
        assert wizard.customer_page.problem.text() == "Customer name: give the customer's name."
