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


# --- 2. a number too large for a quote ------------------------------------------------------


HUGE = "99999999999999999999999"


def test_a_huge_outcome_count_is_refused_where_it_is_typed(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Before: 99,999,999,999,999,999,999,999 outcomes a month passed the product step
    unmarked; the economics step said "Not priced yet: usage_forecast.tickets_resolved
    .monthly: too large" and the review "—". Now the field is marked as it is typed and
    Next names the field and the limit."""
    wizard = open_wizard(qtbot, window)
    retype(wizard.customer_page.name, "Adatum Support")
    press_next(wizard)
    outcomes = wizard.product.outcomes
    retype(outcomes, HUGE)
    assert outcomes.property("invalid") is True
    expected = (
        "Outcomes per month: too large (got 99,999,999,999,999,999,999,999); a quote keeps "
        "numbers below 1,000,000,000,000"
    )
    assert expected in outcomes.toolTip()
    wizard.button(QWizard.WizardButton.NextButton).click()
    QApplication.processEvents()
    assert wizard.currentPage() is wizard.product
    assert wizard.product.problem.text() == expected
    retype(outcomes, "4000")
    assert outcomes.property("invalid") is False
    press_next(wizard)


def test_users_times_actions_beyond_the_limit_is_refused(qtbot: QtBot, window: MainWindow) -> None:
    """Each field below a trillion, their product not: 1,000,000 users x 100,000 actions x
    30 days = 3,000,000,000,000 actions a month."""
    wizard = open_wizard(qtbot, window)
    retype(wizard.customer_page.name, "Adatum Support")
    press_next(wizard)
    wizard.product.users.setValue(1_000_000)
    retype(wizard.product.actions_per_day, "100000")
    wizard.button(QWizard.WizardButton.NextButton).click()
    QApplication.processEvents()
    assert wizard.currentPage() is wizard.product
    assert wizard.product.problem.text().startswith(
        "Actions per user per day: 1,000,000 users x 100,000 actions a day x 30 days = "
        "3,000,000,000,000 actions a month, a quote keeps numbers below 1,000,000,000,000"
    )


def test_finish_says_why_it_cannot_save(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review whose quote does not load: Finish used to do nothing, with no message."""
    from quote_builder.pricing import QuoteFileError
    from quote_builder.ui import wizard as wizard_module

    wizard = coding_team(qtbot, window)
    pick_model(wizard, PricingModel.SEATS_AI_TIERS)
    to_page(wizard, wizard.contract)

    def refuse(_data: object) -> None:
        raise QuoteFileError(["usage_forecast.x.monthly: too large"])

    monkeypatch.setattr(wizard_module, "quote_from_data", refuse)
    wizard.button(QWizard.WizardButton.NextButton).click()
    QApplication.processEvents()
    assert wizard.currentPage() is wizard.review and wizard.document is None
    assert wizard.review.problem.text() == ""
    wizard.button(QWizard.WizardButton.FinishButton).click()
    QApplication.processEvents()
    assert wizard.isVisible()
    assert wizard.review.problem.text() == "Go back and fix the problems listed above."


# --- 3. the per-seat template of a team coding assistant ------------------------------------


def test_a_team_coding_assistant_per_seat_puts_the_users_in_the_ai_tier(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Before: Team 15 and Pro (AI) 35 a month, 25 Team seats and 0 Pro: 25 x 15 x 12 =
    4,500 a year, 180 a seat (the playbook: 500-3,000 a seat a year). Now 0 Team and 25 Pro
    (AI) at 99 a month: 25 x 99 x 12 = 29,700 a year, 1,188 a seat."""
    wizard = coding_team(qtbot, window)
    pick_model(wizard, PricingModel.SEATS_AI_TIERS)
    to_page(wizard, wizard.components)
    assert "0 Team seats + 25 Pro seats (AI) = 25 seats for 25 users" in (
        wizard.components.seats.text()
    )
    to_review(wizard)
    assert wizard.document is not None
    seats = {c.id: (c.seats, c.price_per_seat) for c in wizard.document.components}
    assert seats == {"team": (0, D(45)), "pro": (25, D(99))}
    priced = price(wizard.document)
    assert priced.tcv == D("29700")
    assert "SEAT_PRICE_OUT_OF_RANGE" not in {w.code for w in priced.warnings}


# --- 4. the advisor: "Not sure" and a predictable bill ---------------------------------------


def _answer(wizard: GuidedQuote, key: str, data: object) -> None:
    combo = wizard.advisor.answers[key]
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def _top(wizard: GuidedQuote) -> str:
    from PySide6.QtCore import Qt

    return str(wizard.advisor.ranking.item(0).data(Qt.ItemDataRole.UserRole))


def test_not_sure_on_measurement_demotes_outcome_pricing_with_the_reason_shown(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Customer support (the playbook recommends per resolved ticket): answered "Not sure"
    to "Can you measure outcome delivery reliably at scale", Outcome-based used to stay
    first with no word against it."""
    wizard = open_wizard(qtbot, window)
    retype(wizard.customer_page.name, "Adatum Support")
    press_next(wizard)
    product = wizard.product
    product.category.setCurrentIndex(product.category.findData("customer_support"))
    to_page(wizard, wizard.advisor)
    assert _top(wizard) == "outcome_based"  # nothing answered: the category's model
    combo = wizard.advisor.answers["outcome_measurable_at_scale"]
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Not answered",
        "Yes",
        "No",
        "Not sure",
    ]
    _answer(wizard, "outcome_measurable_at_scale", "not_sure")
    assert _top(wizard) != "outcome_based"
    ranking = wizard.advisor.ranking
    outcome = next(
        ranking.item(r).text()
        for r in range(ranking.count())
        if ranking.item(r).text().startswith("Outcome-based")
    )
    assert "− Not sure outcomes can be measured at scale: outcome pricing without " in outcome
    # The quote keeps it as unanswered (the document has Yes, No or nothing).
    assert wizard.advisor.advisor_answers().outcome_measurable_at_scale is None


def test_a_predictable_bill_puts_a_predictable_model_first_and_says_why(
    qtbot: QtBot, window: MainWindow
) -> None:
    wizard = open_wizard(qtbot, window)
    retype(wizard.customer_page.name, "Adatum Support")
    press_next(wizard)
    product = wizard.product
    product.category.setCurrentIndex(product.category.findData("customer_support"))
    to_page(wizard, wizard.advisor)
    _answer(wizard, "buyer_needs_predictable_bill", True)
    assert _top(wizard) == "platform_usage"
    first = wizard.advisor.ranking.item(0).text()
    assert "+ The platform fee gives a predictable base." in first
    ranking = wizard.advisor.ranking
    outcome = next(
        ranking.item(r).text()
        for r in range(ranking.count())
        if ranking.item(r).text().startswith("Outcome-based")
    )
    assert "− Per-outcome bills vary with volume." in outcome


# --- 5. the value step: one value, and only valid fields in the figures -------------------


def test_a_value_per_outcome_greys_out_minutes_and_rate_and_says_so(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Minutes 60 x 150 an hour = 150 a task, and value per outcome 500: 500 silently won.
    Now the minutes and the rate are greyed out and a sentence says which is used."""
    wizard = coding_team(qtbot, window)
    to_page(wizard, wizard.value)
    value = wizard.value
    retype(value.minutes, "60")
    retype(value.rate, "150")
    assert value.minutes.isEnabled() and value.which_value.text() == ""
    assert "Value per task: $150.00." in value.result.text()
    retype(value.per_outcome, "500")
    assert not value.minutes.isEnabled() and not value.rate.isEnabled()
    assert value.which_value.text() == (
        "The value per outcome is used; the minutes saved and the hourly rate are not "
        "(empty it to use them)."
    )
    assert "Value per task: $500.00." in value.result.text()
    retype(value.per_outcome, "")
    assert value.minutes.isEnabled() and value.rate.isEnabled()
    assert value.which_value.text() == ""
    assert "Value per task: $150.00." in value.result.text()


def test_an_invalid_capture_does_not_feed_the_summary(qtbot: QtBot, window: MainWindow) -> None:
    """150 % capture (the field red) used to give "target $28.13 at 150% capture" (12.5 x
    1.5 = 18.75 ... any figure from it is wrong). Now no target from it, and why."""
    wizard = coding_team(qtbot, window)
    to_page(wizard, wizard.value)
    value = wizard.value
    retype(value.minutes, "15")
    retype(value.rate, "75")
    retype(value.capture, "150")
    assert value.capture.property("invalid") is True
    text = value.result.text()
    assert "capture." not in text and "Suggested price band" not in text
    assert text.startswith(
        "No target price: Target value capture %: a percent from 0 to 100 (got 150)."
    )
    assert value.suggestion() is None
    retype(value.capture, "20")
    assert "target $3.75 at 20% capture" in value.result.text()  # 18.75 x 20 %


# --- 6. Enter takes the country the completer suggests ------------------------------------


def test_enter_takes_the_only_country_suggested(qtbot: QtBot, window: MainWindow) -> None:
    """Typing "Germ" shows one suggestion, Germany; Enter used to leave "Germ", and Next then
    said "'Germ' is not one"."""
    from PySide6.QtCore import Qt

    wizard = open_wizard(qtbot, window)
    page = wizard.customer_page
    retype(page.name, "Adatum GmbH")
    box = page.country
    line = box.lineEdit()
    assert line is not None
    line.setFocus()
    qtbot.keyClicks(line, "Germ")
    completer = box.completer()
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert completer.completionCount() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert box.currentText() == "Germany" and box.country() == "Germany"
    assert page.problem.text() == "" and wizard.currentPage() is page
    assert box.problem() is None
    press_next(wizard)
    assert wizard.customer is not None and wizard.customer.country == "Germany"


def test_enter_with_the_suggestions_closed_takes_the_only_country(
    qtbot: QtBot, window: MainWindow
) -> None:
    from PySide6.QtCore import Qt

    wizard = open_wizard(qtbot, window)
    page = wizard.customer_page
    retype(page.name, "Adatum GmbH")
    box = page.country
    box.setEditText("germ")
    box.completer().popup().hide()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.currentText() == "Germany"
    assert wizard.currentPage() is page  # Enter took the country, it did not press Next


# --- 7. the recipient: the only contact --------------------------------------------------


def test_the_recipient_is_the_customers_only_contact(qtbot: QtBot, window: MainWindow) -> None:
    """Northwind Support has one contact: the recipient used to start at "(nobody named)".
    Now that contact, and the quote addresses it unless the rep picks nobody."""
    from PySide6.QtCore import Qt

    from quote_builder.services import customers as customer_service

    wizard = open_wizard(qtbot, window)
    page = wizard.customer_page
    retype(page.search, "Northwind")
    customer = page.matches.currentItem().data(Qt.ItemDataRole.UserRole)
    contacts = customer_service.list_contacts(window.workspace.db, customer.id)
    assert len(contacts) == 1
    assert page.recipient.currentIndex() == 1
    assert page.recipient.currentData()["name"] == contacts[0].name
    assert page.recipient.itemText(0) == "(nobody named)"
    press_next(wizard)
    assert wizard.build_data()["customer"]["contact"]["name"] == contacts[0].name
    # A new customer has no contacts: nobody named.
    wizard.back()
    retype(page.name, "Adatum GmbH")
    assert page.recipient.currentData() is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # 29 digits: babel's 28-digit default precision raised InvalidOperation while the
        # refusal wrote the number back ("got ..."): a crash report, Next did nothing.
        (
            "99999999999999999999999999999",
            "Outcomes per month: too large (got 99,999,999,999,999,999,999,999,999,999); a "
            "quote keeps numbers below 1,000,000,000,000",
        ),
        # Six characters typed, ten thousand digits written out.
        ("1e9999", "Outcomes per month: a number of at most 100 characters"),
    ],
)
def test_a_number_beyond_28_digits_is_refused_not_a_crash(
    qtbot: QtBot, window: MainWindow, typed: str, expected: str
) -> None:
    """Before: typing 1e9999 (or 29 nines) in Outcomes per month raised InvalidOperation in
    the as-you-type check and in Next (crash reports behind the wizard, the field unmarked,
    Next silently did nothing). Now the field is marked and Next says why."""
    wizard = open_wizard(qtbot, window)
    retype(wizard.customer_page.name, "Adatum Support")
    press_next(wizard)
    outcomes = wizard.product.outcomes
    retype(outcomes, typed)
    assert outcomes.property("invalid") is True
    assert expected in outcomes.toolTip()
    wizard.button(QWizard.WizardButton.NextButton).click()
    QApplication.processEvents()
    assert wizard.currentPage() is wizard.product
    assert wizard.product.problem.text() == expected
