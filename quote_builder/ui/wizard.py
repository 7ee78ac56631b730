"""The guided flow for a new quote: customer, product and usage, usage evidence (an
optional usage log), the advisor, value anchors, components and terms, economics, contract
terms, review.

Each page explains its fields, validates before Next (saying why it cannot go on) and keeps
its input when the rep goes Back. The quote is built as data in the documented quote format
and priced by the engine on the review page; Finish saves version 1 and opens the editor.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from quote_builder.errors import UserFacingError
from quote_builder.pricing import QuoteDocument, QuoteFileError, price, recommend
from quote_builder.pricing.components import PercentOfValue, PerOutcome
from quote_builder.pricing.document import AdvisorAnswers, UsageEvidence
from quote_builder.pricing.evidence import evidence_bills, suggested_forecast
from quote_builder.pricing.playbook import CATEGORY_PROFILES, PricingModel, ProductCategory
from quote_builder.pricing.quote_format import quote_from_data
from quote_builder.pricing.templates import template_for
from quote_builder.pricing.value import cost_anchored_price, value_per_task
from quote_builder.services import customers as customer_service
from quote_builder.services import plans as plan_service
from quote_builder.services import quotes as quote_service
from quote_builder.services import words
from quote_builder.services.core import Changes
from quote_builder.services.settings import get_settings
from quote_builder.store.models import CustomerPublic

from . import accessibility, colours, locale_format
from .summary_panel import SummaryPanel
from .usage_panel import UsagePanel

if TYPE_CHECKING:
    from .main_window import MainWindow

QUESTIONS: list[tuple[str, str, str]] = [
    (
        "outcome_defined_and_verifiable",
        "Is the outcome clearly defined and verifiable by both parties?",
        "A resolved ticket or a reviewed contract is; 'better decisions' is not.",
    ),
    (
        "outcome_measurable_at_scale",
        "Can you measure outcome delivery reliably at scale in the product?",
        "Outcome pricing needs a system that logs every result and classifies it.",
    ),
    (
        "ai_is_core_value",
        "Is the AI the core value (not an enhancement of a product they would buy anyway)?",
        "",
    ),
    (
        "usage_tracks_headcount",
        "Does usage track headcount?",
        "If usage follows team size, seats are a fair metric.",
    ),
    (
        "outcome_is_revenue_with_attribution",
        "Is the outcome revenue, with attribution you can track?",
        "Only then is a share of value (outcome-contingent pricing) workable.",
    ),
    ("buyer_needs_predictable_bill", "Does the buyer need a predictable bill?", ""),
    ("ai_cost_is_material", "Does AI usage create material cost (COGS) for you?", ""),
]


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


def _decimal_edit(tip: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setToolTip(tip)
    edit.setPlaceholderText(placeholder)
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    return edit


class Page(QWizardPage):
    """A page with a line that says why Next is not possible yet."""

    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.layout_ = QVBoxLayout(self)
        self.problem = QLabel()
        self.problem.setStyleSheet(colours.text_style("error"))
        self.problem.setWordWrap(True)

    def finish_layout(self, *, stretch: bool = True) -> None:
        """The problem line at the bottom; ``stretch`` False when a widget of the page
        takes the spare height itself (the component form)."""
        if stretch:
            self.layout_.addStretch(1)
        self.layout_.addWidget(self.problem)

    def refuse(self, reason: str) -> bool:
        self.problem.setText(reason)
        return False

    def wizard_(self) -> GuidedQuote:
        wizard = self.wizard()
        assert isinstance(wizard, GuidedQuote)
        return wizard


class CustomerPage(Page):
    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__("Customer", "Pick the customer, or create one.")
        self.owner = owner
        form = QFormLayout()
        self.existing = QRadioButton("Existing customer")
        self.new = QRadioButton("New customer")
        self.existing.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.existing)
        group.addButton(self.new)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Type part of the name")
        self.search.setToolTip("Searches customers by name or CRM id")
        self.matches = QListWidget()
        self.search.textChanged.connect(self._search)
        self.name = QLineEdit()
        self.name.setToolTip("The customer's name, as the proposal should show it")
        self.currency = QLineEdit(owner.default_currency)
        self.currency.setToolTip(
            "ISO 4217 code of the currency the customer is billed in, e.g. USD, EUR"
        )
        self.country = QLineEdit()
        self.country.setToolTip("The customer's country (printed on the proposal)")
        self.title_ = QLineEdit()
        self.title_.setPlaceholderText("e.g. Support automation for Northwind")
        self.title_.setToolTip(
            "The quote's title: the proposal's cover shows it (and the quote list)"
        )
        self.recipient = QComboBox()
        self.recipient.setToolTip(
            "Who at the customer the proposal is addressed to: one of the customer's contacts"
        )
        form.addRow(self.existing)
        form.addRow("Search", self.search)
        form.addRow(self.matches)
        form.addRow(self.new)
        form.addRow("Name", self.name)
        form.addRow("Currency", self.currency)
        form.addRow("Country", self.country)
        form.addRow(QLabel("<b>The quote</b>"))
        form.addRow("Quote title", self.title_)
        form.addRow("Recipient", self.recipient)
        self.layout_.addLayout(form)
        self.finish_layout()
        self.matches.currentItemChanged.connect(lambda *_: self._fill_recipients())
        self.new.toggled.connect(lambda *_: self._fill_recipients())
        self._search("")
        self._fill_recipients()

    def _fill_recipients(self) -> None:
        """The chosen customer's contacts (a new customer has none yet)."""
        self.recipient.clear()
        item = self.matches.currentItem()
        contacts = []
        if self.existing.isChecked() and item is not None:
            customer = item.data(Qt.ItemDataRole.UserRole)
            contacts = self.owner.workspace.run(customer_service.list_contacts, customer.id)
        self.recipient.addItem(
            "(nobody named)" if contacts else "(no contacts: add them on the Customers page)",
            None,
        )
        for c in contacts:
            text = (
                c.name + (f", {c.title}" if c.title else "") + (f" · {c.email}" if c.email else "")
            )
            data = {
                k: v for k, v in {"name": c.name, "title": c.title, "email": c.email}.items() if v
            }
            self.recipient.addItem(text, data)

    def _search(self, text: str) -> None:
        self.matches.clear()
        for customer in self.owner.workspace.run(
            customer_service.search_customers, text, limit=30
        ).rows:
            item = QListWidgetItem(f"{customer.name} · {customer.currency}")
            item.setData(Qt.ItemDataRole.UserRole, customer)
            self.matches.addItem(item)
        if self.matches.count():
            self.matches.setCurrentRow(0)

    def validatePage(self) -> bool:  # noqa: N802
        owner = self.owner
        if not self.title_.text().strip():
            return self.refuse(
                "Give the quote a title: the proposal's cover shows it "
                "(e.g. Support automation for Northwind)."
            )
        owner.contact = self.recipient.currentData()
        if self.existing.isChecked():
            item = self.matches.currentItem()
            if item is None:
                return self.refuse("Pick a customer from the list, or choose New customer.")
            owner.customer = item.data(Qt.ItemDataRole.UserRole)
            return True
        try:
            outcome = owner.workspace.run(
                customer_service.create_customer,
                {
                    "name": self.name.text().strip(),
                    "currency": self.currency.text().strip().upper(),
                    "country": self.country.text().strip(),
                },
                actor=owner.user,
            )
        except UserFacingError as exc:
            return self.refuse(str(exc))
        owner.customer = outcome.value
        owner.changes |= outcome.changes
        self.existing.setChecked(True)
        self._search(owner.customer.name)
        return True


class ProductPage(Page):
    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            "Product and usage", "What the customer buys and how much they will use it."
        )
        self.owner = owner
        form = QFormLayout()
        self.category = QComboBox()
        for category in ProductCategory:
            profile = CATEGORY_PROFILES[category]
            self.category.addItem(f"{profile.title} ({profile.range_text()})", category.value)
        self.category.setToolTip(
            "The playbook's product category: it sets the recommended model and price range"
        )
        self.users = QSpinBox()
        self.users.setRange(0, 1_000_000)
        self.users.setToolTip("People who will use the product")
        self.actions_per_day = _decimal_edit(
            "AI actions (queries, tasks) per user per working day", "e.g. 20"
        )
        self.outcomes = _decimal_edit(
            "Completed outcomes per month (tickets resolved, contracts reviewed ...)", "e.g. 4000"
        )
        self.variation = QComboBox()
        for label, value in (
            ("Low: users use it about equally", "low"),
            ("Medium", "medium"),
            ("High: heavy users use it many times more than the median", "high"),
        ):
            self.variation.addItem(label, value)
        self.variation.setCurrentIndex(1)
        self.variation.setToolTip(
            "How much usage per user varies; it drives the bill range and credit checks"
        )
        form.addRow("Product category", self.category)
        form.addRow("Users", self.users)
        form.addRow("Actions per user per day", self.actions_per_day)
        form.addRow("Outcomes per month", self.outcomes)
        form.addRow("Usage varies", self.variation)
        self.layout_.addLayout(form)
        self.finish_layout()
        self._prefilled_for: int | None = None
        """The customer whose figures were filled in: only a newly chosen one refills."""

    def initializePage(self) -> None:  # noqa: N802
        customer = self.owner.customer
        if customer is None or customer.id == self._prefilled_for:
            return  # Back and Next again keeps what was typed (or set from a usage log)
        self._prefilled_for = customer.id
        if customer.product_category:
            self.category.setCurrentIndex(max(0, self.category.findData(customer.product_category)))
            if customer.seats:
                self.users.setValue(customer.seats)
            if customer.actions_per_user_per_day is not None:
                self.actions_per_day.setText(str(customer.actions_per_user_per_day))
            if customer.outcomes_per_month is not None:
                self.outcomes.setText(str(customer.outcomes_per_month))

    def validatePage(self) -> bool:  # noqa: N802
        for edit, name in (
            (self.actions_per_day, "Actions per user per day"),
            (self.outcomes, "Outcomes per month"),
        ):
            if edit.text().strip() and (
                _decimal(edit.text()) is None or (_decimal(edit.text()) or 0) < 0
            ):
                return self.refuse(f"{name}: write a number of zero or more (e.g. 20).")
        return True


def variation_from(evidence: UsageEvidence) -> str:
    """How much usage per user varies, from the log: high when seat pricing is flagged
    (usage per seat varies widely), low when the 90th percentile user uses at most 1.5x the
    median, else medium."""
    if evidence.seat_pricing_flagged:
        return "high"
    median = evidence.median_per_user
    if median and evidence.p90_per_user <= median * Decimal("1.5"):
        return "low"
    return "medium"


class UsageLogPage(Page):
    """Optional: a pilot's or trial's usage log, simulated over the five models before
    quoting. Its figures fill in the usage answers; the quote keeps its evidence."""

    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            "Usage evidence (optional)",
            "Load a pilot's or trial's usage log to see what the customer would have paid "
            "under each model before you quote. Skip this step if you have none.",
        )
        self.owner = owner
        basis = QHBoxLayout()
        basis.addWidget(QLabel("Simulate with"))
        self.basis = QComboBox()
        self.basis.setToolTip(
            "Price every model from the playbook's templates, or one model with a catalog "
            "plan's components (its row is shown in bold)"
        )
        self.basis.currentIndexChanged.connect(self._basis_changed)
        basis.addWidget(self.basis, 1)
        self.layout_.addLayout(basis)
        self.panel = UsagePanel(
            self.plan_document,
            in_editor=False,
            currency=self.currency,
            label=lambda: f"plan {self.basis.currentText().removeprefix('Catalog plan: ')}",
        )
        self.panel.intro.setVisible(False)  # the page's subtitle says it
        self.panel.evidence_loaded.connect(self._loaded)
        self.panel.removed.connect(self._removed)
        self.applied = QLabel()
        self.applied.setWordWrap(True)
        self.layout_.addWidget(self.panel, 1)
        self.layout_.addWidget(self.applied)
        self.layout_.addWidget(self.problem)  # no stretch: the panel takes the height

    def initializePage(self) -> None:  # noqa: N802
        if self.basis.count():
            return  # Back and Next again keeps the choice
        self.basis.addItem("The playbook's templates", None)
        for plan in self.owner.workspace.run(plan_service.list_plans):
            self.basis.addItem(f"Catalog plan: {plan.name}", plan.id)

    def currency(self) -> str:
        return self.owner.customer.currency if self.owner.customer else "USD"

    def plan_document(self) -> QuoteDocument | None:
        plan_id = self.basis.currentData()
        if plan_id is None:
            return None
        plan = self.owner.workspace.run(plan_service.get_plan, plan_id)
        return plan_service.plan_document(plan, self.currency())

    def _basis_changed(self) -> None:
        if self.panel.last_path is not None and self.owner.evidence is not None:
            self.panel.reload()  # the log again, with the new basis

    def _loaded(self, evidence: UsageEvidence) -> None:
        owner = self.owner
        owner.evidence = evidence
        self.panel.show_evidence(evidence, None)
        product = owner.product
        variation = variation_from(evidence)
        product.variation.setCurrentIndex(max(0, product.variation.findData(variation)))
        product.users.setValue(evidence.users)
        applied = [f"users {evidence.users}", f"usage varies: {variation}"]
        headcount = owner.advisor.answers["usage_tracks_headcount"]
        if evidence.seat_pricing_flagged and headcount.currentData() is None:
            headcount.setCurrentIndex(headcount.findData(False))
            applied.append("usage tracks headcount: no")
        self.applied.setText(
            "Set from the log: " + "; ".join(applied) + ". The usage forecast starts from "
            "the log's median month; the proposal's bill range comes from the log."
        )
        self.problem.setText("")

    def _removed(self) -> None:
        self.owner.evidence = None
        self.panel.show_evidence(None, None)
        self.applied.setText("")

    def validatePage(self) -> bool:  # noqa: N802
        if self.panel.busy:
            return self.refuse("Wait until the usage log has been read, or cancel it.")
        return True


class AdvisorPage(Page):
    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            "Pricing model", "Answer what you know; the advisor ranks the five models."
        )
        self.owner = owner
        form = QGridLayout()
        form.setColumnStretch(0, 1)
        self.answers: dict[str, QComboBox] = {}
        for key, question, tip in QUESTIONS:
            combo = QComboBox()
            combo.addItem("Not sure", None)
            combo.addItem("Yes", True)
            combo.addItem("No", False)
            combo.setToolTip(tip or question)
            combo.setFixedWidth(130)  # the question gets the width, so it wraps less
            combo.currentIndexChanged.connect(self.rank)
            self.answers[key] = combo
            label = QLabel(question)
            label.setToolTip(tip or question)
            row = len(self.answers) - 1
            form.addWidget(label, row, 0)
            form.addWidget(combo, row, 1)
        self.layout_.addLayout(form)
        self.ranking = QListWidget()
        self.ranking.setWordWrap(True)
        self.ranking.setToolTip("Best first; pick the model to build the quote on")
        self.layout_.addWidget(QLabel("Ranked models (margin and NRR ranges from the playbook):"))
        self.layout_.addWidget(self.ranking, 1)
        self.layout_.addWidget(self.problem)  # no stretch: the ranking takes the height
        self.picked: str | None = None
        """The model the rep picked in the ranking: kept through Back, Next and new answers."""
        self._ranking = False
        self.ranking.currentRowChanged.connect(self._picked)

    def _picked(self, row: int) -> None:
        item = self.ranking.item(row)
        if not self._ranking and item is not None:
            self.picked = item.data(Qt.ItemDataRole.UserRole)

    def initializePage(self) -> None:  # noqa: N802
        self.rank()

    def advisor_answers(self) -> AdvisorAnswers:
        values: dict[str, Any] = {key: combo.currentData() for key, combo in self.answers.items()}
        values["usage_intensity_variation"] = self.owner.product.variation.currentData()
        return AdvisorAnswers(**values)

    def rank(self) -> None:
        category = ProductCategory(self.owner.product.category.currentData())
        self._ranking = True
        self.ranking.clear()
        for recommendation in recommend(category, self.advisor_answers()):
            p = recommendation.profile
            item = QListWidgetItem(
                f"{recommendation.title} — gross margin {p.margin_text()}; "
                f"NRR {p.nrr_text()}\n  " + "\n  ".join(recommendation.rationale[:3])
            )
            item.setData(Qt.ItemDataRole.UserRole, recommendation.model.value)
            self.ranking.addItem(item)
        rows = [
            self.ranking.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.ranking.count())
        ]
        self.ranking.setCurrentRow(rows.index(self.picked) if self.picked in rows else 0)
        self._ranking = False

    def validatePage(self) -> bool:  # noqa: N802
        if self.ranking.currentItem() is None:
            return self.refuse("Pick a pricing model.")
        self.owner.model = PricingModel(self.ranking.currentItem().data(Qt.ItemDataRole.UserRole))
        self.picked = self.owner.model.value  # going on with a model picks it
        return True


class ValuePage(Page):
    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            "Value anchors",
            "Price against the value delivered, with the cost-anchored price beside it.",
        )
        self.owner = owner
        form = QFormLayout()
        self.minutes = _decimal_edit("Minutes of work one task replaces", "e.g. 15")
        self.rate = _decimal_edit("Fully loaded cost of an hour of that work", "e.g. 75")
        self.per_outcome = _decimal_edit("Or: the value of one outcome, when you know it directly")
        self.capture = _decimal_edit(
            "Share of the value the price should take (the playbook's examples: 15-25%)"
        )
        self.capture.setText("20")
        self.unit_cost = _decimal_edit(
            "Your cost per task (inference etc.), for the cost-anchored price", "e.g. 0.10"
        )
        self.margin = _decimal_edit("Target gross margin for the cost-anchored price")
        self.margin.setText("70")
        self.result = QLabel()
        self.result.setWordWrap(True)
        for edit in (
            self.minutes,
            self.rate,
            self.per_outcome,
            self.capture,
            self.unit_cost,
            self.margin,
        ):
            edit.textChanged.connect(self.update_result)
        form.addRow("Minutes saved per task", self.minutes)
        form.addRow("Loaded hourly rate", self.rate)
        form.addRow("…or value per outcome", self.per_outcome)
        form.addRow("Target value capture %", self.capture)
        form.addRow("Unit cost", self.unit_cost)
        form.addRow("Target margin %", self.margin)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.result)
        self.finish_layout()
        self._prefilled_for: int | None = None

    def initializePage(self) -> None:  # noqa: N802
        customer = self.owner.customer
        # Only a newly chosen customer fills in its figures: a field the rep emptied stays so.
        if customer is not None and customer.id != self._prefilled_for:
            self._prefilled_for = customer.id
            if customer.minutes_saved_per_task is not None and not self.minutes.text():
                self.minutes.setText(str(customer.minutes_saved_per_task))
            if customer.loaded_hourly_rate is not None and not self.rate.text():
                self.rate.setText(str(customer.loaded_hourly_rate))
        self.update_result()

    def unit_value(self) -> Decimal | None:
        direct = _decimal(self.per_outcome.text())
        if direct is not None:
            return direct
        minutes, rate = _decimal(self.minutes.text()), _decimal(self.rate.text())
        if minutes is not None and rate is not None:
            return value_per_task(minutes, rate)
        return None

    def update_result(self) -> None:
        value = self.unit_value()
        lines = []
        if value is not None:
            capture = _decimal(self.capture.text()) or Decimal(20)
            lines.append(
                f"Value per task: {value.quantize(Decimal('0.01'))}. Suggested price band "
                f"{(value * Decimal('0.15')).quantize(Decimal('0.01'))}–{(value * Decimal('0.25')).quantize(Decimal('0.01'))}; "
                f"target {(value * capture / 100).quantize(Decimal('0.01'))} at {capture}% capture."
            )
        cost, margin = _decimal(self.unit_cost.text()), _decimal(self.margin.text())
        if cost is not None and margin is not None and Decimal(0) <= margin < 100:
            anchored = cost_anchored_price(cost, margin)
            line = f"Cost-anchored price: {anchored.quantize(Decimal('0.01'))} ({cost} at {margin}% margin)."
            if value is not None and anchored:
                capture = _decimal(self.capture.text()) or Decimal(20)
                line += f" The value-anchored target is {(value * capture / 100 / anchored).quantize(Decimal('0.1'))}x higher."
            lines.append(line)
        self.result.setText("\n".join(lines) or "Enter minutes and a rate, or a value per outcome.")

    def validatePage(self) -> bool:  # noqa: N802
        for edit, name in (
            (self.minutes, "Minutes saved"),
            (self.rate, "Hourly rate"),
            (self.per_outcome, "Value per outcome"),
            (self.unit_cost, "Unit cost"),
        ):
            if edit.text().strip() and (
                _decimal(edit.text()) is None or (_decimal(edit.text()) or 0) < 0
            ):
                return self.refuse(f"{name}: write a number of zero or more.")
        if bool(self.minutes.text().strip()) != bool(self.rate.text().strip()):
            return self.refuse("Give both the minutes saved and the hourly rate, or neither.")
        margin = _decimal(self.margin.text())
        if margin is None or not 0 <= margin < 100:
            return self.refuse("Target margin %: a number from 0 to below 100.")
        return True


class ComponentsPage(Page):
    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            "Components and terms",
            "Start from the model's template or a catalog plan, then adjust.",
        )
        self.owner = owner
        from .component_editor import ComponentListEditor

        form = QFormLayout()
        self.start_from = QComboBox()
        self.start_from.setToolTip(
            "The components to start from; editing below changes only this quote"
        )
        self.start_from.activated.connect(self.load_start)
        self.editor = ComponentListEditor()
        self.term = QSpinBox()
        self.term.setRange(1, 120)
        self.term.setValue(12)
        self.term.setToolTip("Contract length in months")
        self.billing = QComboBox()
        for label, value in (
            ("Monthly", "monthly"),
            ("Quarterly", "quarterly"),
            ("Annual in advance", "annual"),
        ):
            self.billing.addItem(label, value)
        self.start = QDateEdit()
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        first = (dt.date.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        self.start.setDate(QDate(first.year, first.month, first.day))
        self.escalator = _decimal_edit(
            "Annual price increase from year 2 (usually 3-5% on multi-year deals)"
        )
        self.escalator.setText("0")
        self.discount = _decimal_edit(
            "A percent off the recurring fees for the whole term; empty for none"
        )
        self.ramp = QLineEdit()
        self.ramp.setPlaceholderText("e.g. 20, 40, 60")
        self.ramp.setToolTip(
            "Seats of the first seats component in contract years 1, 2, 3 ...; empty for no ramp"
        )
        form.addRow("Start from", self.start_from)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.editor, 1)
        terms = QFormLayout()
        terms.addRow("Start date", self.start)
        terms.addRow("Term (months)", self.term)
        terms.addRow("Billing", self.billing)
        terms.addRow("Annual escalator %", self.escalator)
        terms.addRow("Discount %", self.discount)
        terms.addRow("Seats by contract year", self.ramp)
        self.layout_.addLayout(terms)
        self.finish_layout(stretch=False)  # the component form uses the page's height
        self._loaded_for: tuple[str, str] | None = None

    def initializePage(self) -> None:  # noqa: N802
        model = self.owner.model
        assert model is not None
        key = model.value
        category = self.owner.product.category.currentData()
        if self._loaded_for == (key, category):
            return  # Back and Next again keeps the rep's edits
        self.start_from.clear()
        self.start_from.addItem(f"Template: {words.label(model.value)}", ("template", model.value))
        simulated = self.owner.usage_log.basis.currentData()
        for plan in self.owner.workspace.run(plan_service.list_plans):
            self.start_from.addItem(f"Catalog plan: {plan.name}", ("plan", plan.id))
            if plan.id == simulated and plan.pricing_model == key:
                # The plan the usage log was simulated with, when it has the chosen model.
                self.start_from.setCurrentIndex(self.start_from.count() - 1)
        self.load_start()
        self._loaded_for = (key, category)

    def load_start(self) -> None:
        kind, key = self.start_from.currentData()
        if kind == "template":
            category = self.owner.product.category.currentData()
            template = template_for(PricingModel(key), ProductCategory(category))
            self.editor.set_components(list(template.components))
            self.owner.forecast = {
                m: f.model_dump(mode="json", exclude_none=True)
                for m, f in template.usage_forecast.items()
            }
            self.owner.unit_costs = {m: str(c) for m, c in template.unit_costs.items()}
        else:
            plan = self.owner.workspace.run(plan_service.get_plan, key)
            self.editor.set_components(plan_service.plan_components(plan))

    @staticmethod
    def ramp_years(text: str) -> list[int] | None:
        """ "20, 40, 60" -> [20, 40, 60]; None when it is not a list of whole numbers."""
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if not parts or not all(p.isdigit() for p in parts):
            return None
        return [int(p) for p in parts]

    def validatePage(self) -> bool:  # noqa: N802
        if self.ramp.text().strip():
            years = self.ramp_years(self.ramp.text())
            if years is None:
                return self.refuse(
                    "Seats by contract year: whole numbers separated by commas, e.g. 20, 40, 60."
                )
            if not any(c.kind == "seats" for c in self.editor.components()):
                return self.refuse("Seats by contract year needs a seats component.")
            if (len(years) - 1) * 12 >= self.term.value():
                return self.refuse(
                    f"Seats by contract year: the {self.term.value()}-month term has fewer years."
                )
        if self.editor.errors():
            return self.refuse("Fix the components first: " + "; ".join(self.editor.errors()[:3]))
        if not self.editor.components():
            return self.refuse("Add at least one component.")
        for edit, name in ((self.escalator, "Escalator"), (self.discount, "Discount")):
            value = _decimal(edit.text()) if edit.text().strip() else Decimal(0)
            if value is None or not 0 <= value <= 100:
                return self.refuse(f"{name} %: a number from 0 to 100.")
        return True


class EconomicsPage(Page):
    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            "Economics",
            "What serving this customer costs, and how the cost falls; margin per year.",
        )
        self.owner = owner
        form = QFormLayout()
        self.costs = QLineEdit()
        self.costs.setToolTip(
            "Unit cost per metric, as metric=cost pairs separated by commas (e.g. queries=0.10)"
        )
        self.forecast = QLineEdit()
        self.forecast.setToolTip(
            "Monthly volume per metric, as metric=quantity pairs (e.g. queries=3000)"
        )
        self.fixed = _decimal_edit("Fixed cost to serve per month (hosting, support)")
        self.fixed.setText("0")
        self.routing = _decimal_edit(
            "Lower cost from routing tasks to the cheapest capable model (40-60%)"
        )
        self.cache = _decimal_edit("Share of calls answered from a semantic cache (30-60%)")
        self.decline = _decimal_edit(
            "Expected fall of unit costs each contract year (inference prices keep falling)"
        )
        for edit in (self.routing, self.cache, self.decline):
            edit.setText("0")
        form.addRow("Usage per month", self.forecast)
        form.addRow("Unit costs", self.costs)
        form.addRow("Fixed cost / month", self.fixed)
        form.addRow("Routing savings %", self.routing)
        form.addRow("Cache hit %", self.cache)
        form.addRow("Cost decline % / year", self.decline)
        self.layout_.addLayout(form)
        self.margins = QLabel()
        self.layout_.addWidget(self.margins)
        for edit in (self.costs, self.forecast, self.fixed, self.routing, self.cache, self.decline):
            edit.textChanged.connect(self.preview)
        self.finish_layout()
        self._filled = False
        """Whether the usage and unit costs were filled in from the components once."""

    def initializePage(self) -> None:  # noqa: N802
        if self._filled:
            self.preview()  # Back and Next again keeps what was typed, even an empty field
            return
        self._filled = True
        if not self.forecast.text():
            components = self.owner.components.editor.components()
            metrics = {m for c in components for m in c.metrics()}
            from_log: dict[str, Decimal] = (
                suggested_forecast(self.owner.evidence, components)
                if self.owner.evidence is not None
                else {}
            )
            self.forecast.setText(
                ", ".join(
                    f"{m}={from_log[m]}"
                    if m in from_log
                    else f"{m}={self.owner.forecast.get(m, {}).get('monthly', '1000')}"
                    for m in sorted(metrics)
                )
            )
        if not self.costs.text():
            self.costs.setText(", ".join(f"{m}={c}" for m, c in self.owner.unit_costs.items()))
        self.preview()

    @staticmethod
    def pairs(text: str) -> dict[str, str] | None:
        result = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _, value = part.partition("=")
            if not name.strip() or _decimal(value) is None:
                return None
            result[name.strip()] = value.strip()
        return result

    def preview(self) -> None:
        data = self.owner.build_data()
        try:
            priced = price(quote_from_data(data))
        except (QuoteFileError, ArithmeticError, ValueError) as exc:
            self.margins.setText(f"Not priced yet: {str(exc).splitlines()[0]}")
            return
        self.margins.setText(
            "Gross margin by contract year: "
            + ", ".join(
                f"year {y.year}: {locale_format.percent(y.gross_margin_percent, 1)}"
                for y in priced.years
            )
        )

    def validatePage(self) -> bool:  # noqa: N802
        if self.pairs(self.costs.text()) is None:
            return self.refuse(
                "Unit costs: write metric=cost pairs, e.g. queries=0.10, tickets=0.35."
            )
        if self.pairs(self.forecast.text()) is None:
            return self.refuse("Usage per month: write metric=quantity pairs, e.g. queries=3000.")
        return True


class ContractTermsPage(Page):
    """Outcome definitions and attribution: what makes outcome and value pricing
    measurable. The page lists only the components that need terms."""

    METHODS = [
        ("Baseline comparison", "baseline_comparison"),
        ("Holdout group", "holdout_group"),
        ("Rule-based", "rule_based"),
        ("Custom (described below)", "custom"),
    ]

    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            "Contract terms", "Agree how outcomes are counted and value is attributed."
        )
        self.owner = owner
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.layout_.addWidget(self.body)
        self.fields: dict[str, dict[str, QWidget]] = {}
        self.none = QLabel(
            "This quote has no outcome or value-share components: nothing to agree here."
        )
        self.layout_.addWidget(self.none)
        self.finish_layout()

    def initializePage(self) -> None:  # noqa: N802
        components = self.owner.components.editor.components()
        wanted = [c for c in components if isinstance(c, PerOutcome | PercentOfValue)]
        if [c.id for c in wanted] == list(self.fields):
            return  # Back and Next again keeps what was typed
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = {}
        for component in wanted:
            self.form.addRow(QLabel(f"<b>{component.name}</b>"))
            if isinstance(component, PerOutcome):
                t = component.terms
                fields: dict[str, QWidget] = {
                    "definition": QLineEdit(t.definition),
                    "success_criteria": QLineEdit(t.success_criteria),
                    "verification_evidence": QLineEdit(t.verification_evidence),
                    "dispute_window_days": QSpinBox(),
                }
                days = fields["dispute_window_days"]
                assert isinstance(days, QSpinBox)
                days.setRange(0, 365)
                days.setValue(t.dispute_window_days or 30)
                labels = {
                    "definition": (
                        "What counts as one outcome",
                        "e.g. a ticket closed by the AI without a human reply",
                    ),
                    "success_criteria": (
                        "Success criteria",
                        "When an outcome counts as successful",
                    ),
                    "verification_evidence": (
                        "Verification evidence",
                        "The records that prove each outcome",
                    ),
                    "dispute_window_days": (
                        "Dispute window (days)",
                        "Days after the invoice to dispute an outcome",
                    ),
                }
            else:
                a = component.attribution
                method = QComboBox()
                method.addItem("(choose)", None)
                for label, value in self.METHODS:
                    method.addItem(label, value)
                method.setCurrentIndex(max(0, method.findData(a.method)))
                lookback = QSpinBox()
                lookback.setRange(0, 730)
                lookback.setValue(a.lookback_days or 90)
                fields = {
                    "method": method,
                    "description": QLineEdit(a.description),
                    "baseline": QLineEdit(
                        "" if component.baseline is None else str(component.baseline)
                    ),
                    "lookback_days": lookback,
                    "dispute_process": QLineEdit(a.dispute_process),
                }
                labels = {
                    "method": ("Attribution method", "How value is attributed to the service"),
                    "description": ("Method details", "How the method is applied"),
                    "baseline": (
                        "Baseline per month",
                        "Value below this is not shared (0 for none)",
                    ),
                    "lookback_days": (
                        "Lookback window (days)",
                        "How far back an outcome can be attributed",
                    ),
                    "dispute_process": (
                        "Dispute process",
                        "How disagreements about attribution are settled",
                    ),
                }
            for key, widget in fields.items():
                label, tip = labels[key]
                widget.setToolTip(tip)
                widget.setObjectName(f"contract.{component.id}.{key}")
                self.form.addRow(label, widget)
            self.fields[component.id] = fields
        self.none.setVisible(not wanted)

    def overrides(self) -> dict[str, dict[str, Any]]:
        """Field updates per component id, in the quote format."""
        result: dict[str, dict[str, Any]] = {}
        for component_id, fields in self.fields.items():
            values = {
                k: (
                    w.text().strip()
                    if isinstance(w, QLineEdit)
                    else w.value()
                    if isinstance(w, QSpinBox)
                    else w.currentData()
                    if isinstance(w, QComboBox)
                    else None
                )
                for k, w in fields.items()
            }
            if "definition" in values:
                result[component_id] = {
                    "terms": {
                        **values,
                        "dispute_window_days": values["dispute_window_days"] or None,
                    }
                }
            else:
                baseline = values.pop("baseline")
                result[component_id] = {
                    "baseline": baseline or None,
                    "attribution": {**values, "lookback_days": values["lookback_days"] or None},
                }
        return result

    def validatePage(self) -> bool:  # noqa: N802
        for component_id, update in self.overrides().items():
            terms = update.get("terms")
            if terms is not None:
                missing = [
                    name
                    for key, name in (
                        ("definition", "what counts as an outcome"),
                        ("verification_evidence", "the verification evidence"),
                        ("dispute_window_days", "a dispute window"),
                    )
                    if not terms.get(key)
                ]
                if missing:
                    return self.refuse(
                        f"{component_id}: say {', '.join(missing)}: without them every invoice can be disputed."
                    )
            else:
                if not update["attribution"].get("method"):
                    return self.refuse(f"{component_id}: choose an attribution method.")
                if update["baseline"] is None or _decimal(update["baseline"]) is None:
                    return self.refuse(
                        f"{component_id}: give the baseline per month as a number (0 for none)."
                    )
        return True


class ReviewPage(Page):
    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            "Review",
            "Totals, margin by year and warnings. Finish saves version 1 and opens the editor.",
        )
        self.owner = owner
        self.summary = SummaryPanel()
        self.layout_.addWidget(self.summary, 1)
        self.finish_layout()

    def initializePage(self) -> None:  # noqa: N802
        try:
            self.owner.document = quote_from_data(self.owner.build_data())
        except QuoteFileError as exc:
            self.owner.document = None
            data = self.owner.build_data()
            self.summary.show_problems([words.sentence(p, data) for p in exc.problems])
            return
        document = self.owner.document
        try:
            bills = evidence_bills(document)
        except (ArithmeticError, ValueError):
            bills = None
        self.summary.show_priced(price(document), self.owner.floor)
        self.summary.show_bill_range(bills, document.currency)  # hidden without a log

    def validatePage(self) -> bool:  # noqa: N802
        if self.owner.document is None:
            return self.refuse("Go back and fix the problems listed above.")
        return True


class GuidedQuote(QWizard):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.workspace = window.workspace
        self.user = window.workspace.user
        settings = self.workspace.run(get_settings)
        self.default_currency = settings.default_currency
        self.floor = settings.margin_floor_percent
        self.customer: CustomerPublic | None = None
        self.contact: dict[str, str] | None = None
        """The recipient chosen on the customer page."""
        self.model: PricingModel | None = None
        self.forecast: dict[str, Any] = {}
        self.unit_costs: dict[str, str] = {}
        self.document: QuoteDocument | None = None
        self.evidence: UsageEvidence | None = None
        self.changes = Changes()
        self.setWindowTitle("New quote")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(900, 780)
        self.customer_page = CustomerPage(self)
        self.product = ProductPage(self)
        self.advisor = AdvisorPage(self)
        self.usage_log = UsageLogPage(self)
        self.value = ValuePage(self)
        self.components = ComponentsPage(self)
        self.economics = EconomicsPage(self)
        self.contract = ContractTermsPage(self)
        self.review = ReviewPage(self)
        for page in (
            self.customer_page,
            self.product,
            self.usage_log,
            self.advisor,
            self.value,
            self.components,
            self.economics,
            self.contract,
            self.review,
        ):
            self.addPage(page)
        name_inputs(self)
        accessibility.name_inputs(self)
        self.currentIdChanged.connect(lambda _id: accessibility.name_inputs(self))

    def build_data(self) -> dict[str, Any]:
        """The quote so far, in the quote format."""
        assert self.customer is not None
        overrides = self.contract.overrides()
        components = []
        for c in self.components.editor.components():
            raw = c.model_dump(mode="json", by_alias=True, exclude_none=True)
            for key, value in overrides.get(c.id, {}).items():
                if isinstance(value, dict):
                    raw[key] = {
                        **raw.get(key, {}),
                        **{k: v for k, v in value.items() if v not in (None, "")},
                    }
                elif value is not None:
                    raw[key] = value
            components.append(raw)
        forecast_pairs = EconomicsPage.pairs(self.economics.forecast.text()) or {}
        forecast = {m: {"monthly": q} for m, q in forecast_pairs.items()} or copy.deepcopy(
            self.forecast
        )
        data: dict[str, Any] = {
            "title": self.customer_page.title_.text().strip(),
            "customer": {"name": self.customer.name, "id": str(self.customer.id)}
            | ({"contact": dict(self.contact)} if self.contact else {}),
            "product_category": self.product.category.currentData(),
            "pricing_model": self.model.value if self.model else None,
            "currency": self.customer.currency,
            "start_date": self.components.start.date().toString("yyyy-MM-dd"),
            "term_months": self.components.term.value(),
            "billing_frequency": self.components.billing.currentData(),
            "escalator_percent": self.components.escalator.text().strip() or "0",
            "components": components,
            "usage_forecast": forecast,
            "economics": {
                "unit_costs": EconomicsPage.pairs(self.economics.costs.text())
                or dict(self.unit_costs),
                "fixed_cost_per_month": self.economics.fixed.text().strip() or "0",
                "levers": {
                    "routing_savings_percent": self.economics.routing.text().strip() or "0",
                    "cache_hit_percent": self.economics.cache.text().strip() or "0",
                },
                "cost_decline_percent_per_year": self.economics.decline.text().strip() or "0",
                "target_margin_percent": self.value.margin.text().strip() or "70",
                "margin_floor_percent": str(self.floor),
            },
            "advisor": self.advisor.advisor_answers().model_dump(mode="json", exclude_none=True),
            "usage_profile": {
                "users": self.product.users.value(),
                "intensity_variation": self.product.variation.currentData(),
            },
        }
        if self.product.actions_per_day.text().strip():
            data["usage_profile"]["actions_per_user_per_day"] = (
                self.product.actions_per_day.text().strip()
            )
        if self.product.outcomes.text().strip():
            data["usage_profile"]["outcomes_per_month"] = self.product.outcomes.text().strip()
        ramp = ComponentsPage.ramp_years(self.components.ramp.text())
        seat_ids = [c["id"] for c in components if c.get("kind") == "seats"]
        if ramp and seat_ids:
            data["ramps"] = [
                {"year": year, "seats": {seat_ids[0]: count}}
                for year, count in enumerate(ramp, start=1)
                if year > 1
            ]
            components[[c["id"] for c in components].index(seat_ids[0])]["seats"] = ramp[0]
        if self.components.discount.text().strip() and _decimal(self.components.discount.text()):
            data["discounts"] = [
                {"description": "Discount", "percent": self.components.discount.text().strip()}
            ]
        value = self.value.unit_value()
        metrics = sorted(
            {m for c in self.components.editor.components() for m in c.metrics()} & set(forecast)
        )
        if self.evidence is not None:
            data["usage_evidence"] = self.evidence.model_dump(mode="json", exclude_none=True)
        if value is not None and metrics:
            drivers: dict[str, Any] = {
                "metric": metrics[0],
                "target_value_capture_percent": self.value.capture.text().strip() or "20",
            }
            if self.value.per_outcome.text().strip():
                drivers["value_per_unit"] = self.value.per_outcome.text().strip()
            else:
                drivers["minutes_saved_per_unit"] = self.value.minutes.text().strip()
                drivers["loaded_hourly_rate"] = self.value.rate.text().strip()
            data["value"] = drivers
        return data

    def done(self, result: int) -> None:
        self.usage_log.panel.cancel()  # a log still being read is not wanted any more
        super().done(result)

    def accept(self) -> None:
        if self.document is None:
            return
        try:
            outcome = self.workspace.run(
                quote_service.create_quote,
                self.document,
                actor=self.user,
                customer_id=self.customer.id if self.customer else None,
            )
        except UserFacingError as exc:
            QMessageBox.warning(self, "Not saved", str(exc))
            return
        self.window_.changed.emit(self.changes | outcome.changes)
        super().accept()
        self.window_.open_quote(outcome.value.id)


INPUTS = (QLineEdit, QComboBox, QSpinBox, QDateEdit, QRadioButton, QListWidget)


def name_inputs(wizard: GuidedQuote) -> None:
    """Give each page and each input on it an object name (``product.users``,
    ``advisor.usage_tracks_headcount``), so tests and accessibility tools find them by name
    rather than by position."""
    from .component_editor import ComponentListEditor

    pages = {
        "customer": wizard.customer_page,
        "product": wizard.product,
        "usage_log": wizard.usage_log,
        "advisor": wizard.advisor,
        "value": wizard.value,
        "components": wizard.components,
        "economics": wizard.economics,
        "contract": wizard.contract,
        "review": wizard.review,
    }
    for page_name, page in pages.items():
        page.setObjectName(page_name)
        for attribute, widget in vars(page).items():
            if isinstance(widget, INPUTS + (ComponentListEditor,)) and not widget.objectName():
                widget.setObjectName(f"{page_name}.{attribute}")
    for key, combo in wizard.advisor.answers.items():
        combo.setObjectName(f"advisor.{key}")


def start_guided_quote(window: MainWindow) -> GuidedQuote:
    wizard = GuidedQuote(window)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard


__all__ = ["GuidedQuote", "start_guided_quote"]
