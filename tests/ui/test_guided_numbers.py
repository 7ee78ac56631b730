"""The guided flow hands the engine what the rep entered (issue 12, part 1): one test per
defect found by walking the flow as a new user, with the arithmetic written out. Each
failed on the flow before this change (the old figures are in the test's text).

The demo customers used: Northwind Support (customer support, 40 users, 25 actions a day,
4,000 outcomes a month, 12 minutes saved at 45 an hour) and Fabrikam Analytics (analytics
copilot, 60 users, 4 actions a day, 15 minutes at 75 an hour, no outcomes)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget, QWizard
from pytestqt.qtbot import QtBot

from quote_builder.pricing import price
from quote_builder.pricing.playbook import PricingModel
from quote_builder.services import customers as customer_service
from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui.locale_numbers import set_ui_locale
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.wizard import GuidedQuote

from .stateful import retype

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


def open_wizard(qtbot: QtBot, window: MainWindow) -> GuidedQuote:
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    QApplication.processEvents()
    wizard.customer_page.title_.setText("Test quote")  # the flow asks for a title (issue 17)
    return wizard


def pick_existing(wizard: GuidedQuote, prefix: str) -> None:
    page = wizard.customer_page
    retype(page.search, prefix)
    assert page.existing.isChecked()
    page.matches.setCurrentRow(0)
    assert page.matches.currentItem().text().startswith(prefix)


def pick_model(wizard: GuidedQuote, model: PricingModel) -> None:
    ranking = wizard.advisor.ranking
    for row in range(ranking.count()):
        if ranking.item(row).data(Qt.ItemDataRole.UserRole) == model.value:
            ranking.setCurrentRow(row)
            return
    raise AssertionError(f"{model} is not ranked")


def press_next(wizard: GuidedQuote) -> None:
    page = wizard.currentPage()
    wizard.button(QWizard.WizardButton.NextButton).click()
    QApplication.processEvents()
    assert wizard.currentPage() is not page, page.problem.text()  # type: ignore[attr-defined]


def field(wizard: GuidedQuote, name: str) -> QLineEdit:
    found = wizard.findChild(QLineEdit, name)
    assert found is not None, f"no input named {name}"
    return found


def to_page(wizard: GuidedQuote, page: QWidget) -> None:
    while wizard.currentPage() is not page:
        press_next(wizard)


def start_from(wizard: GuidedQuote, label: str) -> None:
    box = wizard.components.start_from
    index = box.findText(label)
    assert index >= 0, f"no start {label!r}"
    box.setCurrentIndex(index)
    box.activated.emit(index)


def fill_contract_terms(wizard: GuidedQuote) -> None:
    for fields in wizard.contract.fields.values():
        if "definition" in fields:
            for key, text in (
                ("definition", "A ticket closed by the AI without a human reply"),
                ("verification_evidence", "Helpdesk audit log"),
                ("success_criteria", "Not reopened within 7 days"),
            ):
                line = fields[key]
                assert isinstance(line, QLineEdit)
                if not line.text():
                    line.setText(text)


def to_review(wizard: GuidedQuote) -> None:
    while wizard.currentPage() is not wizard.review:
        if wizard.currentPage() is wizard.contract:
            fill_contract_terms(wizard)
        press_next(wizard)
    assert wizard.document is not None


# --- 1. a cost attaches to a billed metric ----------------------------------------------


def test_the_value_steps_unit_cost_attaches_to_the_plans_billed_metric(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Analytics copilot with an outcome-based model: the playbook does not recommend it
    for the category, so the template charges a generic metric, 'outcomes'. The rep starts
    from the catalog plan 'Support Resolution', which bills 'tickets_resolved' at 2.00 with
    a 2,000 monthly minimum. The flow used to keep the template's cost under 'outcomes':
    COGS 0, margin 100.0 %, no warning."""
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Fabrikam")
    press_next(wizard)
    retype(wizard.product.outcomes, "1500")  # the customer's resolved tickets a month
    press_next(wizard)
    press_next(wizard)  # no usage log
    pick_model(wizard, PricingModel.OUTCOME_BASED)
    press_next(wizard)
    retype(wizard.value.unit_cost, "0.35")
    press_next(wizard)
    start_from(wizard, "Catalog plan: Support Resolution")
    press_next(wizard)
    assert wizard.currentPage() is wizard.economics
    assert field(wizard, "economics.usage.tickets_resolved").text() == "1500"
    assert field(wizard, "economics.cost.tickets_resolved").text() == "0.35"
    to_review(wizard)
    document = wizard.document
    assert document is not None
    assert document.economics.unit_costs == {"tickets_resolved": D("0.35")}
    priced = price(document)
    # Revenue: 1,500 x 2.00 = 3,000 a month (above the 2,000 minimum) x 12 = 36,000.
    # COGS: 1,500 x 0.35 = 525 a month x 12 = 6,300.
    # Margin: (36,000 - 6,300) / 36,000 = 82.5 % (it showed 100.0 %).
    assert priced.tcv == D("36000.00")
    assert priced.years[0].cogs == D("6300.00")
    assert priced.gross_margin_percent == D("82.5")
    codes = {w.code for w in priced.warnings}
    assert not codes & {"NO_UNIT_COST", "UNIT_COST_UNUSED", "UNIT_COST_NOT_BILLED"}


def test_a_billed_metric_without_a_cost_is_visible_in_the_flow(
    qtbot: QtBot, window: MainWindow
) -> None:
    """No unit cost anywhere: the margin is an upper bound, and the economics page and the
    review say which billed metric has no cost."""
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Northwind")
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.OUTCOME_BASED)
    press_next(wizard)
    retype(wizard.value.unit_cost, "")
    press_next(wizard)
    press_next(wizard)
    assert field(wizard, "economics.cost.tickets_resolved").text() == ""
    assert "tickets_resolved" in wizard.economics.margins.text()
    assert "no unit cost" in wizard.economics.margins.text()
    to_review(wizard)
    shown = [
        wizard.review.summary.warnings.item(r).text()
        for r in range(wizard.review.summary.warnings.count())
    ]
    assert any("tickets_resolved is billed but has no unit cost" in line for line in shown)


def test_a_cost_only_metric_counts_in_cogs(qtbot: QtBot, window: MainWindow) -> None:
    """GPU-hours behind a per-outcome price: a cost on a metric no component bills, marked
    cost-only, with a forecast, counts in COGS."""
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Northwind")
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.OUTCOME_BASED)
    press_next(wizard)
    retype(wizard.value.unit_cost, "")
    press_next(wizard)
    press_next(wizard)
    page = wizard.economics
    page.add_cost_only.click()
    retype(field(wizard, "economics.cost_only_name.0"), "gpu_hours")
    retype(field(wizard, "economics.cost_only_usage.0"), "200")
    retype(field(wizard, "economics.cost_only_cost.0"), "1.50")
    to_review(wizard)
    # The review names what is priced, the cost-only metric with its figures (a unit cost
    # with its currency, as the formatter writes it).
    assert wizard.review.usage.text() == (
        "Usage priced: tickets_resolved: 4,000 a month, no unit cost; "
        "gpu_hours (cost only): 200 a month, unit cost $1.50"
    )
    document = wizard.document
    assert document is not None
    assert document.economics.cost_only_metrics == ["gpu_hours"]
    priced = price(document)
    # 4,000 tickets x 3.00 = 12,000 a month; COGS 200 GPU-hours x 1.50 = 300 a month.
    # Margin (12,000 - 300) / 12,000 = 97.5 %.
    assert priced.years[0].cogs == D("3600.00")  # 300 x 12
    assert priced.gross_margin_percent == D("97.5")
    assert {w.code: w.severity for w in priced.warnings}.get("NO_UNIT_COST") == "info"


# --- 1. the customer's numbers reach the forecast -----------------------------------------


def test_the_customers_outcomes_reach_the_forecast_on_the_template_path(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Northwind resolves 4,000 tickets a month; the template's example is 1,000. The flow
    used to forecast 1,000: TCV 1,000 x 3.00 x 12 = 36,000 instead of 144,000."""
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Northwind")
    press_next(wizard)
    assert wizard.product.outcomes.text() == "4000"
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.OUTCOME_BASED)
    press_next(wizard)
    press_next(wizard)  # value anchors as prefilled
    press_next(wizard)  # the template: 3.00 a resolved ticket, a 1,000 monthly minimum
    usage = field(wizard, "economics.usage.tickets_resolved")
    assert usage.text() == "4000"
    source = wizard.findChild(QLabel, "economics.source.tickets_resolved")
    assert source is not None and "outcomes per month" in source.text()
    to_review(wizard)
    assert wizard.document is not None
    # 4,000 x 3.00 = 12,000 a month (above the minimum) x 12 = 144,000.
    assert price(wizard.document).tcv == D("144000.00")

    # Back to the product page: 5,000 a month now. The forecast follows (the rep did not
    # type over it): 5,000 x 3.00 x 12 = 180,000.
    while wizard.currentPage() is not wizard.product:
        wizard.back()
    retype(wizard.product.outcomes, "5000")
    to_page(wizard, wizard.economics)
    assert usage.text() == "5000"
    to_review(wizard)
    assert price(wizard.document).tcv == D("180000.00")  # type: ignore[arg-type]


def test_a_typed_forecast_is_kept_and_the_change_is_shown(qtbot: QtBot, window: MainWindow) -> None:
    """The rep typed 4,500 over the customer's 4,000; then the product page says 5,000: the
    typed number stays (it is the rep's) and the page says what the product page now
    gives, so the rep sees and confirms the difference."""
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Northwind")
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.OUTCOME_BASED)
    to_page(wizard, wizard.economics)
    usage = field(wizard, "economics.usage.tickets_resolved")
    source = wizard.findChild(QLabel, "economics.source.tickets_resolved")
    assert source is not None and "outcomes per month" in source.text()
    retype(usage, "4500")
    assert source.text() == "You typed it."  # at once, not only when the page is shown again
    while wizard.currentPage() is not wizard.product:
        wizard.back()
    retype(wizard.product.outcomes, "5000")
    to_page(wizard, wizard.economics)
    assert usage.text() == "4500"
    assert "typed" in source.text() and "5,000" in source.text()


def test_users_times_actions_a_day_is_the_monthly_volume(qtbot: QtBot, window: MainWindow) -> None:
    """Fabrikam: 60 users x 4 actions a day. The platform template (1,500 a month, 5,000
    operations included, 0.25 each above) used to forecast its example 6,000 whatever the
    customer said: (1,500 + 1,000 x 0.25) x 12 = 21,000."""
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Fabrikam")
    press_next(wizard)
    product = wizard.product
    assert product.users.value() == 60 and product.actions_per_day.text() == "4"
    assert product.days.value() == 30
    # 60 x 4 x 30 = 7,200 a month, shown with the days.
    assert "60 users x 4 actions a day x 30 days = 7,200 actions a month" in product.volume.text()
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.PLATFORM_USAGE)
    press_next(wizard)
    press_next(wizard)
    press_next(wizard)
    assert field(wizard, "economics.usage.ai_operations").text() == "7200"
    to_review(wizard)
    # (1,500 + (7,200 - 5,000) x 0.25) = 1,500 + 550 = 2,050 a month x 12 = 24,600.
    assert price(wizard.document).tcv == D("24600.00")  # type: ignore[arg-type]
    assert wizard.document is not None and wizard.document.usage_profile.days_per_month == 30

    # 21 working days: 60 x 4 x 21 = 5,040; (1,500 + 40 x 0.25) x 12 = 1,510 x 12 = 18,120.
    while wizard.currentPage() is not wizard.product:
        wizard.back()
    product.days.setValue(21)
    assert "= 5,040 actions a month" in product.volume.text()
    to_review(wizard)
    assert price(wizard.document).tcv == D("18120.00")  # type: ignore[arg-type]


def test_several_action_metrics_are_split_by_the_rep(qtbot: QtBot, window: MainWindow) -> None:
    """Globex: 25 users x 60 actions a day x 30 days = 45,000 actions; the team plan burns
    credits on completions and agent runs: which share is which only the rep knows, so the
    page shows the total to split and refuses to go on until both are given."""
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Globex")
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.SEATS_CREDITS)
    to_page(wizard, wizard.components)
    start_from(wizard, "Catalog plan: Coding Assistant Team")
    press_next(wizard)
    completions = field(wizard, "economics.usage.completions")
    runs = field(wizard, "economics.usage.agent_runs")
    assert completions.text() == "" and runs.text() == ""
    assert "45,000 actions a month" in wizard.economics.hint.text()
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is wizard.economics
    assert "Usage per month of completions" in wizard.economics.problem.text()
    retype(completions, "44000")
    retype(runs, "1000")
    press_next(wizard)


# --- 1. the value step's price --------------------------------------------------------------


def test_the_suggested_price_is_offered_as_the_starting_unit_price(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Northwind: 12 minutes at 45 an hour = 9.00 a task; 20 % of it is 1.80, the band
    15-25 % is 1.35-2.25. The template prices a ticket at 3.00; the flow used to ignore the
    value step's price."""
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Northwind")
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.OUTCOME_BASED)
    to_page(wizard, wizard.components)
    page = wizard.components
    # In the customer's currency (the amounts were bare numbers before).
    assert "$1.80 a task" in page.suggested.text() and "$1.35–$2.25" in page.suggested.text()
    assert page.use_suggested.isEnabled()
    page.use_suggested.click()
    price_field = wizard.findChild(QLineEdit, "field_price_per_outcome")
    assert price_field is not None and price_field.text() == "1.80"
    to_review(wizard)
    document = wizard.document
    assert document is not None
    # 4,000 x 1.80 = 7,200 a month (above the 1,000 minimum) x 12 = 86,400.
    assert price(document).tcv == D("86400.00")


# --- 1. the customer step ------------------------------------------------------------------


def test_typing_a_new_name_chooses_new_customer(qtbot: QtBot, window: MainWindow) -> None:
    """The list highlights its first customer; typing a name used to leave 'Existing
    customer' checked, and Next went on with the highlighted one."""
    wizard = open_wizard(qtbot, window)
    page = wizard.customer_page
    assert page.existing.isChecked() and page.matches.currentItem() is not None
    retype(page.name, "Umbrella Robotics")
    assert page.new.isChecked()
    country = page.country
    country.setCurrentIndex(country.findText("Germany"))
    press_next(wizard)
    assert wizard.customer is not None and wizard.customer.name == "Umbrella Robotics"
    # Nothing is saved before Finish (a flow given up leaves no customer behind).
    assert customer_service.search_customers(window.workspace.db, "Umbrella").total == 0

    product = wizard.product
    product.category.setCurrentIndex(product.category.findData("analytics_copilot"))
    product.users.setValue(30)
    retype(product.actions_per_day, "5")
    retype(product.outcomes, "200")
    press_next(wizard)
    press_next(wizard)
    pick_model(wizard, PricingModel.PLATFORM_USAGE)
    press_next(wizard)
    retype(wizard.value.minutes, "15")
    retype(wizard.value.rate, "75")
    to_review(wizard)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    rows = customer_service.search_customers(window.workspace.db, "Umbrella").rows
    assert len(rows) == 1
    saved = rows[0]
    assert saved.country == "Germany"
    assert saved.product_category == "analytics_copilot"
    assert saved.seats == 30
    assert saved.actions_per_user_per_day == D("5")
    assert saved.outcomes_per_month == D("200")
    assert saved.minutes_saved_per_task == D("15") and saved.loaded_hourly_rate == D("75")
    quotes = quote_service.list_quotes(window.workspace.db, "Umbrella").rows
    assert len(quotes) == 1


def test_the_country_is_one_of_the_list(qtbot: QtBot, window: MainWindow) -> None:
    wizard = open_wizard(qtbot, window)
    page = wizard.customer_page
    retype(page.name, "Atlantis Trading")
    assert page.country.findText("United Kingdom") >= 0  # ISO 3166 names from babel
    assert page.country.findText("Europe") < 0  # a region is not a country
    retype(page.country.lineEdit(), "Atlantis")
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is page
    assert "Country: pick a country from the list" in page.problem.text()


def test_searching_chooses_existing_customer(qtbot: QtBot, window: MainWindow) -> None:
    wizard = open_wizard(qtbot, window)
    page = wizard.customer_page
    retype(page.name, "Somebody New")
    assert page.new.isChecked()
    retype(page.search, "Contoso")
    assert page.existing.isChecked()
    press_next(wizard)
    assert wizard.customer is not None and wizard.customer.name == "Contoso Legal"


# --- 1. labelled usage inputs --------------------------------------------------------------


def test_usage_and_costs_are_labelled_inputs_per_metric(qtbot: QtBot, window: MainWindow) -> None:
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Globex")
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.SEATS_CREDITS)
    to_page(wizard, wizard.components)
    start_from(wizard, "Catalog plan: Coding Assistant Team")
    press_next(wizard)
    page = wizard.economics
    for metric in ("completions", "agent_runs"):
        usage = field(wizard, f"economics.usage.{metric}")
        cost = field(wizard, f"economics.cost.{metric}")
        label = wizard.findChild(QLabel, f"economics.metric.{metric}")
        assert label is not None and label.text() == metric
        assert usage.toolTip() and cost.toolTip()
    # No metric=value text fields any more.
    assert not [e for e in page.findChildren(QLineEdit) if "=" in e.placeholderText()]


# --- 4. numbers typed the way the rep writes them ------------------------------------------


def test_a_german_amount_is_refused_in_english_with_what_to_write(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The wizard read 45,50 as 4550 without a word."""
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Northwind")
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.OUTCOME_BASED)
    press_next(wizard)
    retype(wizard.value.unit_cost, "45,50")
    wizard.button(QWizard.WizardButton.NextButton).click()
    assert wizard.currentPage() is wizard.value
    assert wizard.value.problem.text() == (
        "Unit cost: 45,50 is not a number as written in English (United States); write 45.50"
    )


def test_a_german_amount_is_read_in_german(qtbot: QtBot, window: MainWindow) -> None:
    set_ui_locale("de_DE")
    wizard = open_wizard(qtbot, window)
    pick_existing(wizard, "Northwind")
    press_next(wizard)
    assert wizard.product.actions_per_day.text() == "25"
    to_page(wizard, wizard.advisor)
    pick_model(wizard, PricingModel.OUTCOME_BASED)
    press_next(wizard)
    assert wizard.value.unit_cost.placeholderText() == "e.g. 0,10"  # as it is to be typed
    retype(wizard.value.unit_cost, "0,45")
    retype(wizard.value.capture, "12,5")
    # 12 minutes at 45 = 9,00 a task; 12.5 % of it is 1.125 -> 1,13 (half up).
    assert "1,13" in wizard.value.result.text()
    press_next(wizard)
    press_next(wizard)
    assert field(wizard, "economics.cost.tickets_resolved").text() == "0,45"
    retype(field(wizard, "economics.usage.tickets_resolved"), "4.000")  # 4000 in German
    to_review(wizard)
    document = wizard.document
    assert document is not None
    assert document.economics.unit_costs == {"tickets_resolved": D("0.45")}
    assert document.usage_forecast["tickets_resolved"].monthly == D("4000")
    assert document.value is not None
    assert document.value.target_value_capture_percent == D("12.5")
    # The review shows German numbers: 4,000 x 3.00 x 12 = 144.000,00 $ (the summary
    # writes amounts as the locale writes money, with the currency's sign: issue 17).
    assert wizard.review.summary.tcv.text() == "144.000,00\xa0$"


@pytest.mark.parametrize(
    ("locale", "typed", "years", "problem"),
    [
        ("en_US", "20, 40, 60", [20, 40, 60], None),
        ("en_US", "1,200; 2,400", [1200, 2400], None),
        # The old parser split on every comma: 4 years of 1, 200, 2 and 400 seats.
        ("en_US", "1,200, 2,400", None, "could be one number or several years"),
        ("en_US", "20, 40.5", None, "year 2: whole seats of zero or more (got 40.5)"),
        ("en_US", "20, 4O", None, "year 2: 4O is not a number"),
        ("de_DE", "1.200; 2.400", [1200, 2400], None),
        ("de_DE", "20, 40", [20, 40], None),
        ("de_DE", "20; 40,5", None, "year 2: whole seats of zero or more (got 40,5)"),
    ],
)
def test_seats_by_contract_year_are_read_by_the_one_parser(
    locale: str, typed: str, years: list[int] | None, problem: str | None
) -> None:
    from quote_builder.ui.wizard import ComponentsPage

    set_ui_locale(locale)
    found, why = ComponentsPage.read_ramp(typed)
    assert found == years
    assert (why is None) if problem is None else (why is not None and problem in why), why
