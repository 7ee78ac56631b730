"""The guided flow for a new quote: customer, product and usage, usage evidence (an
optional usage log), the advisor, value anchors, components and terms, economics, contract
terms, review.

Each page explains its fields, validates before Next (saying why it cannot go on) and keeps
its input when the rep goes Back. The quote is built as data in the documented quote format
and priced by the engine on the review page; Finish saves version 1 and opens the editor.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from quote_builder.errors import UserFacingError
from quote_builder.numbers import NumberEntryError, plain
from quote_builder.pricing import QuoteDocument, QuoteFileError, price, recommend
from quote_builder.pricing.components import PercentOfValue, PerOutcome, Seats
from quote_builder.pricing.document import AdvisorAnswers, UsageEvidence
from quote_builder.pricing.evidence import evidence_bills, suggested_forecast
from quote_builder.pricing.fields import MAX_MAGNITUDE, SHORT_TEXT_MAX
from quote_builder.pricing.forecasting import (
    DEFAULT_DAYS_PER_MONTH,
    MetricRole,
    derived_volumes,
    metric_roles,
    monthly_actions,
    seat_total,
    seats_from_users,
)
from quote_builder.pricing.playbook import CATEGORY_PROFILES, PricingModel, ProductCategory
from quote_builder.pricing.quote_format import quote_from_data
from quote_builder.pricing.templates import template_for
from quote_builder.pricing.value import cost_anchored_price, value_per_task
from quote_builder.services import customers as customer_service
from quote_builder.services import plans as plan_service
from quote_builder.services import quotes as quote_service
from quote_builder.services.core import Changes, InvalidInputError
from quote_builder.services.settings import get_settings, jurisdiction_unset
from quote_builder.store.models import CustomerCreate, CustomerPublic

from . import accessibility, advisor_words, colours, geometry, labels, locale_format
from .countries import CountryBox
from .engine_words import listing, warning_text
from .i18n import N_, _, error_message, error_text, joined, ngettext
from .labels import label as enum_label
from .locale_numbers import field_text, parse, parse_optional, percent, shown
from .number_fields import WholeNumberBox, align_number
from .reason_words import CURRENCY_CODE_MAX, currency_too_long, problem_text, too_long, with_limit
from .service_words import unprintable_text
from .summary_panel import SEVERITY_MARK, SummaryPanel
from .usage_panel import UsagePanel

if TYPE_CHECKING:
    from quote_builder.approvals.policy import ApprovalPolicy, RateTable
    from quote_builder.pricing.results import PricedQuote

    from .main_window import MainWindow

NOT_SURE = "not_sure"
"""The advisor's "Not sure" answer (the quote keeps it as unanswered)."""

QUESTIONS: list[tuple[str, str, str]] = [
    (
        "outcome_defined_and_verifiable",
        N_("Is the outcome clearly defined and verifiable by both parties?"),
        N_("A resolved ticket or a reviewed contract is; 'better decisions' is not."),
    ),
    (
        "outcome_measurable_at_scale",
        N_("Can you measure outcome delivery reliably at scale in the product?"),
        N_("Outcome pricing needs a system that logs every result and classifies it."),
    ),
    (
        "ai_is_core_value",
        N_("Is the AI the core value (not an enhancement of a product they would buy anyway)?"),
        "",
    ),
    (
        "usage_tracks_headcount",
        N_("Does usage track headcount?"),
        N_("If usage follows team size, seats are a fair metric."),
    ),
    (
        "outcome_is_revenue_with_attribution",
        N_("Is the outcome revenue, with attribution you can track?"),
        N_("Only then is a share of value (outcome-contingent pricing) workable."),
    ),
    ("buyer_needs_predictable_bill", N_("Does the buyer need a predictable bill?"), ""),
    ("ai_cost_is_material", N_("Does AI usage create material cost (COGS) for you?"), ""),
]


def _currency_note(loaded: Any, currency: str) -> str:
    """What the components page says of the plan's prices in the quote's currency."""
    if loaded.price_book:
        return _("Prices from the plan's price book in {currency}.").format(currency=currency)
    rate = loaded.exchange_rate
    if rate is not None and rate.converted_prices:
        return _(
            "Prices converted from the catalog at {rate} {currency} per {seller} ({day}, "
            "{source}); the quote keeps this rate."
        ).format(
            rate=locale_format.number(rate.rate),
            currency=currency,
            seller=rate.seller_currency,
            day=locale_format.day(rate.as_of),
            source=rate.source,
        )
    return ""


def _number(text: str) -> Decimal | None:
    """The number typed, read as the user's locale writes numbers (None when the field is
    empty or not a number: Next says why)."""
    try:
        return parse_optional(text, what="")
    except NumberEntryError:
        return None


def _nonnegative_problem(
    text: str, name: str, *, required: bool = False, percent: bool = False
) -> str | None:
    """Why the field labelled ``name`` cannot be used (None: fine, or empty and optional);
    ``percent``: a percent field (a refusal's example is a percent)."""
    if not text.strip():
        return _("{name}: write a number").format(name=name) if required else None
    try:
        value = parse(text, what=name, percent=percent)
    except NumberEntryError as exc:
        return error_text(exc)
    if value < 0:
        return _("{name}: a number of zero or more (got {value})").format(
            name=name, value=shown(value)
        )
    return _too_large(value, name)


def _too_large(value: Decimal, name: str) -> str | None:
    """Why ``value`` in the field labelled ``name`` is more than a quote keeps (a trillion or
    more: a typo, refused where it is typed rather than on the economics step)."""
    if abs(value) < MAX_MAGNITUDE:
        return None
    return _("{name}: too large (got {value}); a quote keeps numbers below {limit}").format(
        name=name, value=shown(value), limit=shown(MAX_MAGNITUDE)
    )


def _percent_problem(text: str, name: str, *, below_100: bool = False) -> str | None:
    problem = _nonnegative_problem(text, name, percent=True)
    if problem or not text.strip():
        return problem
    value = parse(text, what=name, percent=True)
    if value > 100 or (below_100 and value == 100):
        return (
            _("{name}: a percent from 0 to below 100 (got {value})")
            if below_100
            else _("{name}: a percent from 0 to 100 (got {value})")
        ).format(name=name, value=shown(value))
    return None


def _nonnegative_check(label: str) -> Callable[[str], str | None]:
    """The check Next makes on a number field labelled ``label``, for marking it as typed."""

    def check(text: str) -> str | None:
        return _nonnegative_problem(text, label)

    return check


def _percent_check(label: str, *, below_100: bool = False) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        return _percent_problem(text, label, below_100=below_100)

    return check


def _quote_number(text: str, default: str | None = None) -> str | None:
    """The field's number as the quote format keeps it (plain digits); ``default`` when
    empty or not a number (the page's Next refused the latter already)."""
    value = _number(text)
    return default if value is None else plain(value)


def _decimal_edit(tip: str, placeholder: str = "") -> QLineEdit:
    edit = align_number(QLineEdit())
    edit.setToolTip(tip)
    edit.setPlaceholderText(placeholder)
    return edit


class Page(QWizardPage):
    """A page with a line that says why Next is not possible yet.

    The page's content (``layout_``) scrolls when the screen is too small for it (a
    1366x768 laptop), so the wizard's Back, Next and Finish stay on screen; the line
    saying why Next is not possible stays below it, always visible.

    What is said is about the values on screen, never older ones: a number field is marked
    as the editor marks it (red border, ⚠ before its label, the reason in its tooltip) as
    it is typed, with the check Next makes (``check_as_typed``, the one number parser);
    the line saying why Next refused is cleared as soon as any entry of the page changes,
    and when the page is shown again (Back, Next). Each page, when shown, puts the focus in
    its first input (``first_input``)."""

    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.content_scroll = QScrollArea()
        self.content_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop nobody sees
        self.content_scroll.setObjectName("page_scroll")
        self.content_scroll.setWidgetResizable(True)
        self.content_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.content_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        self.layout_ = QVBoxLayout(content)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.content_scroll.setWidget(content)
        outer.addWidget(self.content_scroll, 1)
        self.problem = QLabel()
        self.problem.setStyleSheet(colours.text_style("error"))
        self.problem.setWordWrap(True)
        outer.addWidget(self.problem)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        # Room for the ⚠ an invalid field puts before its label: the label column keeps
        # its width when a mark appears, so the form does not jump as it is typed into.
        colours.reserve_mark_room(self)
        super().showEvent(event)

    def finish_layout(self, *, stretch: bool = True) -> None:
        """Push the content up; not on a page where one widget takes the height."""
        if stretch:
            self.layout_.addStretch(1)

    def refuse(self, reason: str) -> bool:
        self.problem.setText(reason)
        return False

    def clear_refusal(self, *_args: object) -> None:
        """The entries changed: the refusal described the values Next saw, not these."""
        if self.problem.text():
            self.problem.setText("")

    def check_as_typed(self, edit: QLineEdit, problem: Callable[[str], str | None]) -> None:
        """Mark ``edit`` while what is typed cannot be used: ``problem(text)`` is the check
        Next makes on it (an empty field is Next's to judge: it is not marked)."""
        from .component_editor import mark_invalid

        def check(text: str) -> None:
            mark_invalid(edit, problem(text) if text.strip() else None)

        edit.textChanged.connect(check)

    def watch_entries(self) -> None:
        """Every input of the page clears the refusal when it changes (inputs made later,
        such as the economics page's rows, are watched when the page is shown)."""
        for widget in self.findChildren(QWidget):
            if widget.property("clears_refusal") or not accessibility.is_input(widget):
                continue
            widget.setProperty("clears_refusal", True)
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(self.clear_refusal)
            elif isinstance(widget, QAbstractSpinBox | QDateEdit):
                widget.editingFinished.connect(self.clear_refusal)
                if isinstance(widget, QSpinBox):
                    widget.valueChanged.connect(self.clear_refusal)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self.clear_refusal)
                if widget.isEditable():  # the country, typed to search
                    widget.editTextChanged.connect(self.clear_refusal)
            elif isinstance(widget, QAbstractButton):
                widget.toggled.connect(self.clear_refusal)
            elif isinstance(widget, QListWidget):
                widget.currentRowChanged.connect(self.clear_refusal)

    def first_input(self) -> QWidget | None:
        """The input the page's focus starts in: the first one in the tab order that can
        take the focus."""
        widget: QWidget | None = self
        for _step in range(1000):
            widget = widget.nextInFocusChain() if widget is not None else None
            if widget is None or widget is self:
                return None
            if (
                self.isAncestorOf(widget)
                and accessibility.is_input(widget)
                and widget.isVisible()
                and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                return widget
        return None

    def shown(self) -> None:
        """The page is on screen (Next or Back): no refusal from before, the focus in its
        first input."""
        self.clear_refusal()
        self.watch_entries()
        first = self.first_input()
        if first is not None:
            # Qt marks the focus (Fusion's frame on a drop-down list, Product category)
            # only once the window has seen a Tab: without this the step's first field
            # had the focus and showed nothing.
            self.window().setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
            first.setFocus(Qt.FocusReason.TabFocusReason)

    def wizard_(self) -> GuidedQuote:
        wizard = self.wizard()
        assert isinstance(wizard, GuidedQuote)
        return wizard


class CustomerPage(Page):
    """Pick an existing customer, or describe a new one. A new customer is saved with the
    quote on Finish (with the category, usage and value figures the flow gathered), so a
    flow given up leaves nothing behind."""

    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(_("Customer"), _("Pick the customer, or create one."))
        self.owner = owner
        form = QFormLayout()
        self.existing = QRadioButton(_("Existing customer"))
        self.new = QRadioButton(_("New customer"))
        self.existing.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.existing)
        group.addButton(self.new)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Type part of the name"))
        self.search.setToolTip(_("Searches customers by name or CRM id"))
        self.matches = QListWidget()
        self.search.textChanged.connect(self._search)
        # Searching or clicking a customer means an existing one; typing a name, a new one.
        self.search.textEdited.connect(lambda _text: self.existing.setChecked(True))
        self.matches.itemClicked.connect(lambda _item: self.existing.setChecked(True))
        self.name = QLineEdit()
        self.name.setToolTip(_("The customer's name, as the proposal should show it"))
        self.name.textEdited.connect(lambda _text: self.new.setChecked(True))
        self.currency = QLineEdit(owner.default_currency)
        self.currency.setToolTip(
            with_limit(
                _("ISO 4217 code of the currency the customer is billed in, e.g. USD or EUR."),
                CURRENCY_CODE_MAX,
            )
        )
        self.currency.textEdited.connect(lambda _text: self.new.setChecked(True))
        self.country = CountryBox()
        country_line = self.country.lineEdit()
        assert country_line is not None  # an editable combo box has one
        country_line.textEdited.connect(lambda _text: self.new.setChecked(True))
        self.country.activated.connect(lambda _index: self.new.setChecked(True))
        self.tax_id = QLineEdit()
        self.tax_id.setObjectName("new_customer_tax_id")
        # No maxLength (Qt would cut a paste without a word): a longer tax ID is kept,
        # marked with its length, and Next refuses it until it is shortened.
        self.tax_id.setPlaceholderText(_("Optional, e.g. DE123456789"))
        self.tax_id.setToolTip(
            with_limit(
                _(
                    "The customer's tax ID (VAT ID, ABN, GSTIN ...), if it is a business that "
                    "has one: it decides the quote's tax (a business in the EU with a VAT ID "
                    "buys under the reverse charge, without VAT)"
                ),
                TAX_ID_MAX,
            )
        )
        self.tax_id.textEdited.connect(lambda _text: self.new.setChecked(True))
        self.title_ = QLineEdit()
        # No maxLength: Qt would cut a pasted title silently. A title past the quote
        # format's 200 characters is kept as typed, marked with its length, and Next
        # refuses it until the rep shortens it.
        self.title_.setPlaceholderText(_("e.g. Support automation for Northwind"))
        self.title_.setToolTip(
            _(
                "The quote's title: the proposal's cover shows it (and the quote list); up "
                "to {limit} characters"
            ).format(limit=SHORT_TEXT_MAX)
        )
        self.recipient = QComboBox()
        self.recipient.setToolTip(
            _("Who at the customer the proposal is addressed to: one of the customer's contacts")
        )
        # A character the PDF fonts cannot draw is marked as it is typed, with the
        # documents' own sentence (Next refuses it the same way).
        self.check_as_typed(self.name, lambda text: unprintable_text("customer.name", text) or None)
        self.check_as_typed(self.title_, self._title_problem)
        self.check_as_typed(self.tax_id, self._tax_id_problem)
        self.check_as_typed(self.currency, self._currency_problem)
        form.addRow(self.existing)
        form.addRow(_("Search"), self.search)
        form.addRow(self.matches)
        form.addRow(self.new)
        form.addRow(_("Customer name"), self.name)
        form.addRow(_("Currency"), self.currency)
        form.addRow(_("Country"), self.country)
        form.addRow(_("Tax ID"), self.tax_id)
        form.addRow(QLabel(_("<b>The quote</b>")))
        form.addRow(_("Quote title"), self.title_)
        form.addRow(_("Recipient"), self.recipient)
        self.layout_.addLayout(form)
        self.finish_layout()
        self.matches.currentItemChanged.connect(lambda *_: self._fill_recipients())
        self.new.toggled.connect(lambda *_: self._fill_recipients())
        self._search("")
        self._fill_recipients()

    def _fill_recipients(self) -> None:
        """The chosen customer's contacts (a new customer has none yet); a customer with
        one contact starts with that contact as the recipient, "(nobody named)" still
        offered."""
        self.recipient.clear()
        item = self.matches.currentItem()
        contacts = []
        if self.existing.isChecked() and item is not None:
            customer = item.data(Qt.ItemDataRole.UserRole)
            contacts = self.owner.workspace.run(customer_service.list_contacts, customer.id)
        self.recipient.addItem(
            _("(nobody named)") if contacts else _("(no contacts: add them on the Customers page)"),
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
        if len(contacts) == 1:  # the only contact is who the proposal is for
            self.recipient.setCurrentIndex(1)

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
        """The fields' problems in the order the page shows them: the customer (chosen, or
        the new one's name, currency and country), then the quote's title."""
        owner = self.owner
        owner.contact = self.recipient.currentData()
        if self.existing.isChecked():
            item = self.matches.currentItem()
            if item is None:
                return self.refuse(_("Pick a customer from the list, or choose New customer."))
            owner.customer = item.data(Qt.ItemDataRole.UserRole)
        elif not self._new_customer_ok():
            return False
        if not self.title_.text().strip():
            return self.refuse(
                _(
                    "Give the quote a title: the proposal's cover shows it "
                    "(e.g. Support automation for Northwind)."
                )
            )
        problem = self._title_problem(self.title_.text())
        if problem:
            return self.refuse(problem)
        return True

    @staticmethod
    def _title_problem(text: str) -> str | None:
        """Why the title cannot be used: longer than the quote format's limit (its length
        said, nothing cut), or a character the PDF cannot print."""
        long = too_long(text, SHORT_TEXT_MAX)
        if long:
            return _("{field}: {reason}").format(field=_("Quote title"), reason=long)
        return unprintable_text("title", text) or None

    @staticmethod
    def _tax_id_problem(text: str) -> str | None:
        """Why the tax ID cannot be kept: longer than a customer's tax ID may be (its
        length said, nothing cut); the service checks its form."""
        long = too_long(text.strip(), TAX_ID_MAX)
        return _("{field}: {reason}").format(field=_("Tax ID"), reason=long) if long else None

    @staticmethod
    def _currency_problem(text: str) -> str | None:
        """Why the currency cannot be kept: longer than a currency code ("EURO" pasted: its
        length said, nothing cut); the service checks the code."""
        long = currency_too_long(text)
        return _("{field}: {reason}").format(field=_("Currency"), reason=long) if long else None

    def _new_customer_ok(self) -> bool:
        """The new customer's fields checked (without saving it); False after refusing."""
        owner = self.owner
        if not self.name.text().strip():
            return self.refuse(_("Customer name: give the customer's name."))
        unprintable = unprintable_text("customer.name", self.name.text())
        if unprintable:
            return self.refuse(unprintable)
        problem = (
            self._currency_problem(self.currency.text())
            or self.country.problem()
            or self._tax_id_problem(self.tax_id.text())
        )
        if problem:
            return self.refuse(problem)
        try:
            owner.customer = owner.workspace.run(
                customer_service.check_new_customer,
                {
                    "name": self.name.text(),
                    "currency": self.currency.text().strip().upper(),
                    "country": self.country.country(),
                    "tax_id": self.tax_id.text().strip(),
                },
            )
        except customer_service.DuplicateCustomerError as exc:
            existing = exc.existing
            if existing.archived:
                return self.refuse(
                    _(
                        "{name} already exists but is archived: restore it under Customers, then choose it under Existing customer."
                    ).format(name=existing.name)
                )
            return self.refuse(
                _("{name} already exists: choose it under Existing customer.").format(
                    name=existing.name
                )
            )
        except InvalidInputError as exc:
            text = joined(_labelled(line) for line in exc.problems)
            return self.refuse(text if text.endswith((".", "。")) else text + ".")
        except UserFacingError as exc:
            return self.refuse(error_text(exc))
        return True


TAX_ID_MAX = 50
"""A customer's longest tax ID (``store.models`` Customer.tax_id)."""


CUSTOMER_LABELS = {
    "name": N_("Customer name"),
    "currency": N_("Currency"),
    "country": N_("Country"),
    "tax_id": N_("Tax ID"),
}
"""The customer step's labels, for the service's problems (``name: ...``)."""


def _labelled(problem: str) -> str:
    """A problem of the new customer's fields in the interface's language, the field named
    as this page labels it."""
    from quote_builder.errors import Sentence

    from .service_words import text, write

    field, sep, reason = problem.partition(": ")
    if not sep:
        return text(problem)
    # The service names a field by its key ("tax_id") or by its English label ("Tax ID").
    english = CUSTOMER_LABELS.get(field) or next(
        (label for label in CUSTOMER_LABELS.values() if label == field), None
    )
    name = _(english) if english is not None else field
    if isinstance(problem, Sentence) and problem.code.startswith("input."):
        try:
            return write(problem.code, {**problem.params, "field": name})
        except (KeyError, ValueError):
            return text(problem)
    return _("{field}: {reason}").format(
        field=name, reason=text(problem).partition(": ")[2] or reason
    )


class ProductPage(Page):
    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            _("Product and usage"), _("What the customer buys and how much they will use it.")
        )
        self.owner = owner
        form = QFormLayout()
        self.category = QComboBox()
        for category in ProductCategory:
            profile = CATEGORY_PROFILES[category]
            self.category.addItem(
                _("{category} ({range})").format(
                    category=enum_label(category.value), range=labels.category_range(profile)
                ),
                category.value,
            )
        self.category.setToolTip(
            _("The playbook's product category: it sets the recommended model and price range")
        )
        self.users = WholeNumberBox(_("Users"), 0, 1_000_000)
        self.users.setToolTip(_("People who will use the product"))
        self.actions_per_day = _decimal_edit(
            _("AI actions (queries, tasks) per user per day of use"), _("e.g. 20")
        )
        self.days = WholeNumberBox(_("Days of use per month"), 1, 31)
        self.days.setValue(DEFAULT_DAYS_PER_MONTH)
        self.days.setToolTip(
            _(
                "Days a month the product is used: 30 counts every day (the playbook's 50 "
                "queries a day are 1,500 a month); about 21 counts working days only"
            )
        )
        for box in (self.users, self.days):  # numbers line up on the right, as typed ones do
            align_number(box)
        self.volume = QLabel()
        self.volume.setWordWrap(True)
        self.outcomes = _decimal_edit(
            _("Completed outcomes per month (tickets resolved, contracts reviewed ...)"),
            _("e.g. 4000"),
        )
        self.variation = QComboBox()
        for label, value in (
            (_("Low: users use it about equally"), "low"),
            (_("Medium"), "medium"),
            (_("High: heavy users use it many times more than the median"), "high"),
        ):
            self.variation.addItem(label, value)
        self.variation.setCurrentIndex(1)
        self.variation.setToolTip(
            _("How much usage per user varies; it drives the bill range and credit checks")
        )
        form.addRow(_("Product category"), self.category)
        form.addRow(_("Users"), self.users)
        form.addRow(_("Actions per user per day"), self.actions_per_day)
        form.addRow(_("Days of use per month"), self.days)
        form.addRow("", self.volume)
        form.addRow(_("Outcomes per month"), self.outcomes)
        form.addRow(_("Usage varies"), self.variation)
        self.layout_.addLayout(form)
        for signal in (self.users.valueChanged, self.days.valueChanged):
            signal.connect(self.show_volume)
        self.actions_per_day.textChanged.connect(self.show_volume)
        self.check_as_typed(
            self.actions_per_day, lambda t: _nonnegative_problem(t, _("Actions per user per day"))
        )
        self.check_as_typed(
            self.outcomes, lambda t: _nonnegative_problem(t, _("Outcomes per month"))
        )
        self.finish_layout()
        self._prefilled_for: Any = None
        """The customer whose figures were filled in: only a newly chosen one refills."""
        self.show_volume()

    def show_ranges(self) -> None:
        """The categories with their price ranges in the customer's currency."""
        for index in range(self.category.count()):
            category = ProductCategory(self.category.itemData(index))
            self.category.setItemText(
                index,
                _("{category} ({range})").format(
                    category=enum_label(category.value),
                    range=self.owner.category_range(CATEGORY_PROFILES[category]),
                ),
            )

    def initializePage(self) -> None:  # noqa: N802
        self.show_ranges()
        customer = self.owner.customer
        key = self.owner.customer_key()
        if customer is None or key == self._prefilled_for:
            return  # Back and Next again keeps what was typed (or set from a usage log)
        self._prefilled_for = key
        if customer.product_category:
            self.category.setCurrentIndex(max(0, self.category.findData(customer.product_category)))
            if customer.seats:
                self.users.setValue(customer.seats)
            if customer.actions_per_user_per_day is not None:
                self.actions_per_day.setText(field_text(customer.actions_per_user_per_day))
            if customer.outcomes_per_month is not None:
                self.outcomes.setText(field_text(customer.outcomes_per_month))

    def daily_actions(self) -> Decimal | None:
        """Actions per user per day as typed (None: empty or not a number)."""
        return _number(self.actions_per_day.text())

    def outcomes_per_month(self) -> Decimal | None:
        return _number(self.outcomes.text())

    def monthly_actions(self) -> Decimal | None:
        return monthly_actions(self.users.value(), self.daily_actions(), self.days.value())

    def show_volume(self) -> None:
        total = self.monthly_actions()
        actions = self.daily_actions()
        if total is None or actions is None:
            self.volume.setText(_("Give users and actions per day: the monthly volume follows."))
            return
        self.volume.setText(
            _(
                "{users} users x {actions} actions a day x {days} days = {total} actions a month"
            ).format(
                users=shown(self.users.value()),
                actions=shown(actions),
                days=self.days.value(),
                total=shown(total),
            )
        )

    def validatePage(self) -> bool:  # noqa: N802
        for edit, name in (
            (self.actions_per_day, _("Actions per user per day")),
            (self.outcomes, _("Outcomes per month")),
        ):
            problem = _nonnegative_problem(edit.text(), name)
            if problem:
                return self.refuse(problem)
        total = self.monthly_actions()
        if total is not None and total >= MAX_MAGNITUDE:
            return self.refuse(
                _(
                    "Actions per user per day: {volume}, a quote keeps numbers below {limit}; "
                    "check the users and the actions a day."
                ).format(volume=self.volume.text(), limit=shown(MAX_MAGNITUDE))
            )
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
            _("Usage evidence (optional)"),
            _(
                "Load a pilot's or trial's usage log to see what the customer would have paid "
                "under each model before you quote. Skip this step if you have none."
            ),
        )
        self._plan_names: dict[int, str] = {}
        self.owner = owner
        basis = QHBoxLayout()
        basis.addWidget(QLabel(_("Simulate with")))
        self.basis = QComboBox()
        self.basis.setToolTip(
            _(
                "Price every model from the playbook's templates, or one model with a catalog "
                "plan's components (its row is shown in bold)"
            )
        )
        self.basis.currentIndexChanged.connect(self._basis_changed)
        basis.addWidget(self.basis, 1)
        self.layout_.addLayout(basis)
        self.panel = UsagePanel(
            self.plan_document,
            in_editor=False,
            currency=self.currency,
            label=lambda: f"plan {self._plan_names.get(self.basis.currentData(), '')}",
        )
        self.panel.intro.setVisible(False)  # the page's subtitle says it
        self.panel.evidence_loaded.connect(self._loaded)
        self.panel.removed.connect(self._removed)
        self.applied = QLabel()
        self.applied.setWordWrap(True)
        self.layout_.addWidget(self.panel, 1)
        self.layout_.addWidget(self.applied)  # no stretch: the panel takes the height

    def initializePage(self) -> None:  # noqa: N802
        if self.basis.count():
            return  # Back and Next again keeps the choice
        self.basis.addItem(_("The playbook's templates"), None)
        for plan in self.owner.workspace.run(plan_service.list_plans):
            self._plan_names[plan.id] = plan.name
            self.basis.addItem(_("Catalog plan: {name}").format(name=plan.name), plan.id)

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
        applied = [
            _("users {count}").format(count=evidence.users),
            _("usage varies: {variation}").format(variation=enum_label(variation)),
        ]
        headcount = owner.advisor.answers["usage_tracks_headcount"]
        if evidence.seat_pricing_flagged and headcount.currentData() is None:
            headcount.setCurrentIndex(headcount.findData(False))
            applied.append(_("usage tracks headcount: no"))
        self.applied.setText(
            _(
                "Set from the log: {changes}. The usage forecast starts from the log's median "
                "month; the proposal's bill range comes from the log."
            ).format(changes=joined(applied))
        )
        self.problem.setText("")

    def _removed(self) -> None:
        self.owner.evidence = None
        self.panel.show_evidence(None, None)
        self.applied.setText("")

    def validatePage(self) -> bool:  # noqa: N802
        if self.panel.busy:
            return self.refuse(_("Wait until the usage log has been read, or cancel it."))
        return True


class AdvisorPage(Page):
    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            _("Pricing model"), _("Answer what you know; the advisor ranks the five models.")
        )
        self.owner = owner
        form = QGridLayout()
        form.setColumnStretch(0, 1)
        self.answers: dict[str, QComboBox] = {}
        for key, question, tip in QUESTIONS:
            combo = QComboBox()
            combo.addItem(_("Not answered"), None)
            combo.addItem(_("Yes"), True)
            combo.addItem(_("No"), False)
            # Said, not just left open: an uncertain measurement counts against outcome
            # pricing (pricing.advisor.NOT_SURE_QUESTIONS); elsewhere it is as unanswered.
            combo.addItem(_("Not sure"), NOT_SURE)
            combo.setToolTip(_(tip or question))
            # As wide as its longest answer in this language ("Nicht beantwortet" was cut to
            # "Nicht beantworte" at a fixed 130 px), no wider: the question gets the rest.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            combo.currentIndexChanged.connect(self.rank)
            self.answers[key] = combo
            label = QLabel(_(question))
            label.setToolTip(_(tip or question))
            row = len(self.answers) - 1
            form.addWidget(label, row, 0)
            form.addWidget(combo, row, 1)
        self.layout_.addLayout(form)
        self.ranking = QListWidget()
        self.ranking.setWordWrap(True)
        self.ranking.setToolTip(_("Best first; pick the model to build the quote on"))
        self.layout_.addWidget(
            QLabel(_("Ranked models (margin and NRR ranges from the playbook):"))
        )
        self.layout_.addWidget(self.ranking, 1)  # no stretch: the ranking takes the height
        self.not_top = QLabel()
        self.not_top.setObjectName("advisor.not_top")
        self.not_top.setWordWrap(True)
        self.layout_.addWidget(self.not_top)
        self.picked: str | None = None
        """The model the rep picked by hand in the ranking: kept through Back, Next and new
        answers. None: the selection follows the advisor's top model (going on with it with
        Next is not a pick: new answers that rank another model first move the selection)."""
        self._ranking = False
        self.ranking.currentRowChanged.connect(self._picked)

    def _picked(self, row: int) -> None:
        item = self.ranking.item(row)
        if not self._ranking and item is not None:
            self.picked = item.data(Qt.ItemDataRole.UserRole)
            self._say_not_top()

    def _say_not_top(self) -> None:
        """Under the ranking: whether the model picked by hand is no longer the top one."""
        top = self.ranking.item(0)
        current = self.ranking.currentItem()
        if top is None or current is None or current is top or self.picked is None:
            self.not_top.setText("")
            return
        self.not_top.setText(
            _(
                "You picked {picked}; with these answers the advisor ranks {top} first. "
                "Pick it in the list to follow the advice."
            ).format(
                picked=labels.model_title(str(current.data(Qt.ItemDataRole.UserRole))),
                top=labels.model_title(str(top.data(Qt.ItemDataRole.UserRole))),
            )
        )

    def initializePage(self) -> None:  # noqa: N802
        self.rank()

    def not_sure(self) -> frozenset[str]:
        """The questions answered "Not sure"."""
        return frozenset(k for k, combo in self.answers.items() if combo.currentData() == NOT_SURE)

    def advisor_answers(self) -> AdvisorAnswers:
        values: dict[str, Any] = {
            key: combo.currentData() if isinstance(combo.currentData(), bool) else None
            for key, combo in self.answers.items()
        }
        values["usage_intensity_variation"] = self.owner.product.variation.currentData()
        return AdvisorAnswers(**values)

    def rank(self) -> None:
        category = ProductCategory(self.owner.product.category.currentData())
        self._ranking = True
        self.ranking.clear()
        for recommendation in recommend(category, self.advisor_answers(), self.not_sure()):
            p = recommendation.profile
            # The strongest reasons for (+) and, always shown, the strongest against (−).
            against = recommendation.against[:2]
            # (The playbook's "Works when ..." is a condition, not a reason: marked ·.)
            lines = [
                ("· " if line.startswith("Works when ") else "+ ") + line
                for line in recommendation.rationale
                if line not in against
            ][: 4 - len(against) if against else 3] + ["− " + line for line in against]
            item = QListWidgetItem(
                _("{model} — gross margin {margin}; NRR {nrr}").format(
                    model=labels.model_title(recommendation.model.value),
                    margin=labels.margin_text(p),
                    nrr=labels.nrr_text(p),
                )
                + "\n  "
                + "\n  ".join(
                    line[:2]
                    + advisor_words.reason(
                        line[2:],
                        recommendation.model.value,
                        category.value,
                        self.owner.category_range(CATEGORY_PROFILES[category]),
                    )
                    for line in lines
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, recommendation.model.value)
            self.ranking.addItem(item)
        rows = [
            self.ranking.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.ranking.count())
        ]
        self.ranking.setCurrentRow(rows.index(self.picked) if self.picked in rows else 0)
        self._ranking = False
        self._say_not_top()

    def validatePage(self) -> bool:  # noqa: N802
        if self.ranking.currentItem() is None:
            return self.refuse(_("Pick a pricing model."))
        self.owner.model = PricingModel(self.ranking.currentItem().data(Qt.ItemDataRole.UserRole))
        return True


class ValuePage(Page):
    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            _("Value anchors"),
            _("Price against the value delivered, with the cost-anchored price beside it."),
        )
        self.owner = owner
        form = QFormLayout()
        self.minutes = _decimal_edit(_("Minutes of work one task replaces"), _("e.g. 15"))
        self.rate = _decimal_edit(_("Fully loaded cost of an hour of that work"), _("e.g. 75"))
        self.per_outcome = _decimal_edit(
            _("Or: the value of one outcome, when you know it directly")
        )
        self.capture = _decimal_edit(
            _("Share of the value the price should take (the playbook's examples: 15-25%)")
        )
        self.capture.setText(field_text(20))
        self.unit_cost = _decimal_edit(
            _(
                "Your cost per task (inference etc.): the cost-anchored price, and the unit cost of "
                "the metric the value is measured on (the economics step shows it)"
            ),
            # 0,10 in German: as it is to be typed
            _("e.g. {example}").format(example=field_text(Decimal("0.10"))),
        )
        self.margin = _decimal_edit(_("Target gross margin for the cost-anchored price"))
        self.margin.setText(field_text(70))
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
        form.addRow(_("Minutes saved per task"), self.minutes)
        form.addRow(_("Loaded hourly rate"), self.rate)
        form.addRow(_("…or value per outcome"), self.per_outcome)
        self.which_value = QLabel()
        self.which_value.setObjectName("value.which")
        self.which_value.setWordWrap(True)
        form.addRow(_("Target value capture %"), self.capture)
        form.addRow(_("Unit cost"), self.unit_cost)
        form.addRow(_("Target margin %"), self.margin)
        for edit, name in (
            (self.minutes, N_("Minutes saved per task")),
            (self.rate, N_("Loaded hourly rate")),
            (self.per_outcome, N_("Value per outcome")),
            (self.unit_cost, N_("Unit cost")),
        ):
            self.check_as_typed(edit, _nonnegative_check(_(name)))
        self.check_as_typed(self.capture, _percent_check(_("Target value capture %")))
        self.check_as_typed(self.margin, _percent_check(_("Target margin %"), below_100=True))
        self.layout_.addLayout(form)
        # Under the fields, so that it coming and going moves no field the rep is typing in.
        self.layout_.addWidget(self.which_value)
        self.layout_.addWidget(self.result)
        self.finish_layout()
        self._prefilled_for: Any = None
        self.update_result()

    def initializePage(self) -> None:  # noqa: N802
        customer = self.owner.customer
        key = self.owner.customer_key()
        # Only a newly chosen customer fills in its figures: a field the rep emptied stays so.
        if customer is not None and key != self._prefilled_for:
            self._prefilled_for = key
            if customer.minutes_saved_per_task is not None and not self.minutes.text():
                self.minutes.setText(field_text(customer.minutes_saved_per_task))
            if customer.loaded_hourly_rate is not None and not self.rate.text():
                self.rate.setText(field_text(customer.loaded_hourly_rate))
        self.update_result()

    def _usable(self, edit: QLineEdit, name: str) -> Decimal | None:
        """The field's number when Next would take it (None: empty, or marked invalid: an
        invalid field never feeds the figures under the fields)."""
        if _nonnegative_problem(edit.text(), name):
            return None
        return _number(edit.text())

    def direct_value(self) -> bool:
        """A value per outcome is typed: it is the value, minutes x rate are not used."""
        return bool(self.per_outcome.text().strip())

    def unit_value(self) -> Decimal | None:
        if self.direct_value():
            return self._usable(self.per_outcome, _("Value per outcome"))
        minutes = self._usable(self.minutes, _("Minutes saved per task"))
        rate = self._usable(self.rate, _("Loaded hourly rate"))
        if minutes is not None and rate is not None:
            return value_per_task(minutes, rate)
        return None

    def capture_percent(self) -> Decimal | None:
        """The target capture: 20 when empty; None while what is typed is not a percent
        from 0 to 100 (the field is marked and the figures say why)."""
        if _percent_problem(self.capture.text(), _("Target value capture %")):
            return None
        value = _number(self.capture.text())
        return Decimal(20) if value is None else value

    def suggestion(self) -> tuple[Decimal, Decimal, Decimal] | None:
        """(target price, low, high) from the value: the value x the capture %, and the
        playbook's band of 15-25 % of the value, each to the cent, half up."""
        value = self.unit_value()
        capture = self.capture_percent()
        if value is None or capture is None:
            return None
        cent = Decimal("0.01")
        return (
            (value * capture / 100).quantize(cent, ROUND_HALF_UP),
            (value * Decimal("0.15")).quantize(cent, ROUND_HALF_UP),
            (value * Decimal("0.25")).quantize(cent, ROUND_HALF_UP),
        )

    def currency(self) -> str:
        """The customer's currency: the value, the band and the prices are amounts in it."""
        return self.owner.customer.currency if self.owner.customer else self.owner.default_currency

    def amount(self, value: Decimal) -> str:
        """An amount in the customer's currency, with the digits below the minor unit a
        unit price can have (``$0.0040``), as the documents print unit prices."""
        currency = self.currency()
        try:
            return locale_format.formatter(currency).price(value)
        except (ValueError, KeyError):  # a currency code being typed
            return locale_format.money(value, currency)

    def show_which_value(self) -> None:
        """Minutes x rate and a value per outcome are two ways to one value: with a value
        per outcome typed, the minutes and rate are greyed out (kept, not used) and the
        line under them says which is used."""
        direct = self.direct_value()
        for edit in (self.minutes, self.rate):
            edit.setEnabled(not direct)
        if direct and (self.minutes.text().strip() or self.rate.text().strip()):
            self.which_value.setText(
                _(
                    "The value per outcome is used; the minutes saved and the hourly rate are "
                    "not (empty it to use them)."
                )
            )
        elif direct:
            self.which_value.setText(_("The value per outcome is used."))
        else:
            self.which_value.setText("")

    def update_result(self) -> None:
        self.show_which_value()
        value = self.unit_value()
        suggestion = self.suggestion()
        lines = []
        capture = self.capture_percent()
        capture_problem = _percent_problem(self.capture.text(), _("Target value capture %"))
        if value is not None and capture_problem:
            lines.append(_("No target price: {problem}.").format(problem=capture_problem))
        if value is not None and suggestion is not None and capture is not None:
            target, low, high = suggestion
            lines.append(
                _(
                    "Value per task: {value}. Suggested price band {low}–{high}; target {target} at {capture} capture."
                ).format(
                    value=locale_format.money(value, self.currency()),
                    low=self.amount(low),
                    high=self.amount(high),
                    target=self.amount(target),
                    capture=percent(capture),
                )
            )
        cost = self._usable(self.unit_cost, _("Unit cost"))
        margin = _number(self.margin.text())
        if cost is not None and margin is not None and Decimal(0) <= margin < 100:
            anchored = cost_anchored_price(cost, margin)
            line = _("Cost-anchored price: {anchored} ({cost} at {margin} margin).").format(
                anchored=locale_format.derived_price(anchored, self.currency()),
                cost=self.amount(cost),
                margin=percent(margin),
            )
            if value is not None and anchored and capture is not None:
                times = (value * capture / 100 / anchored).quantize(Decimal("0.1"), ROUND_HALF_UP)
                line += _(" The value-anchored target is {times}x higher.").format(
                    times=shown(times)
                )
            lines.append(line)
        self.result.setText(
            "\n".join(lines) or _("Enter minutes and a rate, or a value per outcome.")
        )

    def validatePage(self) -> bool:  # noqa: N802
        direct = self.direct_value()
        for edit, name in (
            (self.minutes, _("Minutes saved per task")),
            (self.rate, _("Loaded hourly rate")),
            (self.per_outcome, _("Value per outcome")),
            (self.unit_cost, _("Unit cost")),
        ):
            if direct and edit in (self.minutes, self.rate):
                continue  # greyed out: not used
            problem = _nonnegative_problem(edit.text(), name)
            if problem:
                return self.refuse(problem)
        problem = _percent_problem(self.capture.text(), _("Target value capture %"))
        if problem:
            return self.refuse(problem)
        if not direct and bool(self.minutes.text().strip()) != bool(self.rate.text().strip()):
            return self.refuse(_("Give both the minutes saved and the hourly rate, or neither."))
        problem = _percent_problem(self.margin.text(), _("Target margin %"), below_100=True) or (
            _("Target margin %: a number from 0 to below 100.")
            if not self.margin.text().strip()
            else None
        )
        if problem:
            return self.refuse(problem)
        return True


class ComponentsPage(Page):
    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            _("Components and terms"),
            _("Start from the model's template or a catalog plan, then adjust."),
        )
        self.owner = owner
        from .component_editor import ComponentListEditor

        form = QFormLayout()
        self.start_from = QComboBox()
        self.start_from.setToolTip(
            _("The components to start from; editing below changes only this quote")
        )
        self.start_from.activated.connect(self.load_start)
        self.editor = ComponentListEditor()
        self.term = WholeNumberBox(_("Term (months)"), 1, 120)
        self.term.setValue(12)
        self.term.setToolTip(_("Contract length in months"))
        align_number(self.term)
        self.billing = QComboBox()
        for label, value in (
            (_("Monthly"), "monthly"),
            (_("Quarterly"), "quarterly"),
            (_("Annual in advance"), "annual"),
        ):
            self.billing.addItem(label, value)
        self.start = QDateEdit()
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat(locale_format.date_input_format())
        first = (dt.date.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        self.start.setDate(QDate(first.year, first.month, first.day))
        self.escalator = _decimal_edit(
            _("Annual price increase from year 2 (on multi-year deals usually 3-5%)")
        )
        self.escalator.setText(field_text(0))
        self.discount = _decimal_edit(
            _("A percent off the recurring fees for the whole term; empty for none")
        )
        self.ramp = align_number(QLineEdit())
        self.ramp.setPlaceholderText(_("e.g. 20, 40, 60"))
        self.ramp.setToolTip(
            _(
                "Seats in contract years 1, 2, 3 ... of the tier the users are in (else the "
                "first seats component); empty for no ramp"
            )
        )
        self.suggested = QLabel()
        self.suggested.setWordWrap(True)
        self.use_suggested = QPushButton(_("Use suggested price"))
        self.use_suggested.setToolTip(
            _(
                "Set the value step's target price as the unit price of the first component "
                "priced per task or outcome (per outcome, per unit, or the overage price)"
            )
        )
        self.use_suggested.clicked.connect(self.apply_suggested_price)
        suggestion = QHBoxLayout()
        suggestion.addWidget(self.suggested, 1)
        suggestion.addWidget(self.use_suggested)
        self.editor.changed.connect(self.show_suggestion)
        self.seats = QLabel()
        self.seats.setWordWrap(True)
        self.seats.setObjectName("components.seats")
        self.currency_note = QLabel()
        self.currency_note.setWordWrap(True)
        self.currency_note.setObjectName("components.currency")
        self.editor.changed.connect(self.show_seats)
        form.addRow(_("Start from"), self.start_from)
        self.layout_.addLayout(form)
        self.layout_.addLayout(suggestion)
        self.layout_.addWidget(self.currency_note)
        self.layout_.addWidget(self.editor, 1)
        self.layout_.addWidget(self.seats)
        terms = QFormLayout()
        terms.addRow(_("Start date"), self.start)
        terms.addRow(_("Term (months)"), self.term)
        terms.addRow(_("Billing"), self.billing)
        terms.addRow(_("Annual escalator %"), self.escalator)
        terms.addRow(_("Discount %"), self.discount)
        terms.addRow(_("Seats by contract year"), self.ramp)
        self.check_as_typed(self.escalator, lambda t: _percent_problem(t, _("Annual escalator %")))
        self.check_as_typed(self.discount, lambda t: _percent_problem(t, _("Discount %")))
        self.check_as_typed(self.ramp, lambda t: self.read_ramp(t)[1])
        self.layout_.addLayout(terms)
        self.editor.setMinimumHeight(240)  # below that the page scrolls instead
        self.finish_layout(stretch=False)
        self._loaded_for: tuple[str, str] | None = None
        self._users_tier: str | None = None
        """The seats component the template puts the users in (None: the first)."""
        self._seated: tuple[int, list[int]] | None = None
        """(users, seats per seats component) as the page last set them from the users."""

    def initializePage(self) -> None:  # noqa: N802
        model = self.owner.model
        assert model is not None
        key = model.value
        category = self.owner.product.category.currentData()
        if self._loaded_for == (key, category):
            self.show_suggestion()  # the value step may have changed
            self.follow_users()
            return  # Back and Next again keeps the rep's edits
        self.start_from.clear()
        self.start_from.addItem(
            _("Template: {model}").format(model=enum_label(model.value)), ("template", model.value)
        )
        simulated = self.owner.usage_log.basis.currentData()
        for plan in self.owner.workspace.run(plan_service.list_plans):
            self.start_from.addItem(
                _("Catalog plan: {name}").format(name=plan.name), ("plan", plan.id)
            )
            if plan.id == simulated and plan.pricing_model == key:
                # The plan the usage log was simulated with, when it has the chosen model.
                self.start_from.setCurrentIndex(self.start_from.count() - 1)
        self.load_start()
        self._loaded_for = (key, category)

    def load_start(self) -> None:
        kind, key = self.start_from.currentData()
        self.currency_note.setText("")
        self.editor.set_currency(
            self.owner.customer.currency if self.owner.customer else self.owner.default_currency
        )
        if kind == "template":
            from quote_builder.pricing.factory import component_from_dict
            from quote_builder.services import currencies

            self.owner.exchange_rate = None
            category = self.owner.product.category.currentData()
            template = template_for(PricingModel(key), ProductCategory(category))
            currency = self.owner.customer.currency if self.owner.customer else "USD"
            if currency == "USD":
                self.editor.set_components(list(template.components))
            else:
                # The playbook's templates are priced in USD: converted at the table's rate.
                try:
                    loaded = self.owner.workspace.run(
                        currencies.template_in_currency, list(template.components), currency
                    )
                except UserFacingError as exc:
                    # No rate: the template's own prices, and the reason shown (as a plan's).
                    self.editor.set_components(list(template.components))
                    self.currency_note.setText(error_message(exc))
                else:
                    self.editor.set_components([component_from_dict(c) for c in loaded.components])
                    self.owner.exchange_rate = (
                        loaded.exchange_rate.model_dump(mode="json")
                        if loaded.exchange_rate is not None
                        else None
                    )
                    self.currency_note.setText(_currency_note(loaded, currency))
            self.owner.forecast = {
                m: f.model_dump(mode="json", exclude_none=True)
                for m, f in template.usage_forecast.items()
            }
            self.owner.unit_costs = {m: str(c) for m, c in template.unit_costs.items()}
            self._users_tier = template.users_tier
        else:
            from quote_builder.pricing.factory import component_from_dict
            from quote_builder.services import currencies

            currency = self.owner.customer.currency if self.owner.customer else "USD"
            try:
                loaded = self.owner.workspace.run(currencies.plan_in_currency, key, currency)
            except UserFacingError as exc:
                # No price book and no rate: the plan's own prices, and the reason shown.
                plan = self.owner.workspace.run(plan_service.get_plan, key)
                self.editor.set_components(plan_service.plan_components(plan))
                self.owner.exchange_rate = None
                self.currency_note.setText(error_message(exc))
            else:
                self.editor.set_components([component_from_dict(c) for c in loaded.components])
                self.owner.exchange_rate = (
                    loaded.exchange_rate.model_dump(mode="json")
                    if loaded.exchange_rate is not None
                    else None
                )
                self.currency_note.setText(_currency_note(loaded, currency))
            # A plan has no usage or costs: the template's examples do not belong to it.
            self.owner.forecast = {}
            self.owner.unit_costs = {}
            self._users_tier = None
        self._seated = None
        self.follow_users()
        self.show_suggestion()

    def _seat_counts(self) -> list[tuple[str, int]]:
        return [(c.name, c.seats) for c in self.editor.components() if isinstance(c, Seats)]

    def follow_users(self) -> None:
        """The users are seats once: the tier the template names (Pro (AI) for a team coding
        assistant), else the first seats component (the recommended tier), gets the product
        step's users, every other tier 0. Done when the components are loaded,
        and again when the users change while the seats are still as the page set them (a
        split the rep typed stays)."""
        users = self.owner.product.users.value()
        components = self.editor.components()
        counts = [c.seats for c in components if isinstance(c, Seats)]
        if not counts:
            self._seated = None
            self.show_seats()
            return
        if self._seated is not None and (self._seated[1] != counts or self._seated[0] == users):
            self.show_seats()
            return  # the rep's split, or nothing changed
        updated = seats_from_users(components, users, self._users_tier)
        self.editor.set_components(updated)
        self._seated = (users, [c.seats for c in updated if isinstance(c, Seats)])
        self.show_seats()

    def seat_problem(self) -> str | None:
        """Why the seats do not add up to the users (several tiers only; None when they do,
        when the users are not given or a ramp sets the seats)."""
        counts = self._seat_counts()
        users = self.owner.product.users.value()
        if len(counts) < 2 or not users or self.ramp.text().strip():
            return None
        total = sum(n for _name, n in counts)
        if total == users:
            return None
        split = " + ".join(f"{shown(n)} {name}" for name, n in counts)
        return ngettext(
            "Seats: {split} = {total} seats, but the product step has {users} user; split the "
            "{users} user between the tiers.",
            "Seats: {split} = {total} seats, but the product step has {users} users; split the "
            "{users} users between the tiers.",
            users,
        ).format(split=split, total=shown(total), users=shown(users))

    def show_seats(self) -> None:
        counts = self._seat_counts()
        if not counts:
            self.seats.setText("")
            return
        users = self.owner.product.users.value()
        total = seat_total(self.editor.components())
        split = " + ".join(f"{shown(n)} {name}" for name, n in counts)
        if users:
            text = ngettext(
                "{split} = {total} seats for {users} user",
                "{split} = {total} seats for {users} users",
                users,
            ).format(split=split, total=shown(total), users=shown(users))
        else:
            text = ngettext("{split} = {total} seat", "{split} = {total} seats", total).format(
                split=split, total=shown(total)
            )
        if len(counts) > 1:
            text += _(" (each user is a seat in one tier)")
        self.seats.setText(text + ".")

    PRICE_FIELDS = {
        "per_outcome": "price_per_outcome",
        "per_unit": "unit_price",
        "allowance_overage": "overage_unit_price",
    }
    """The price of one task or outcome, per component kind: what the value step's
    suggested price sets."""

    def price_target(self) -> tuple[int, QLineEdit] | None:
        """(row, field) of the first component priced per task or outcome."""
        for row, editor in enumerate(self.editor.editors()):
            name = self.PRICE_FIELDS.get(editor.kind() or "")
            if name is None:
                continue
            line = editor.findChild(QLineEdit, f"field_{name}")
            if line is not None:
                return row, line
        return None

    def show_suggestion(self) -> None:
        suggestion = self.owner.value.suggestion()
        target = self.price_target()
        if suggestion is None:
            self.suggested.setText(
                _(
                    "No suggested price: the value step has no value per task (minutes and a "
                    "rate, or a value per outcome)."
                )
            )
            self.use_suggested.setEnabled(False)
            return
        price, low, high = suggestion
        amount = self.owner.value.amount  # in the customer's currency, as the value step says
        text = _("Suggested price from the value step: {price} a task (band {low}–{high})").format(
            price=amount(price), low=amount(low), high=amount(high)
        )
        if target is None:
            text += _("; no component here is priced per task or outcome.")
        else:
            current = _number(target[1].text())
            if current is not None:
                text += _("; the components price it at {price}.").format(price=amount(current))
        self.suggested.setText(text)
        self.use_suggested.setEnabled(target is not None)

    def apply_suggested_price(self) -> None:
        suggestion = self.owner.value.suggestion()
        target = self.price_target()
        if suggestion is None or target is None:
            return
        row, line = target
        self.editor.list.setCurrentRow(row)
        line.setText(field_text(suggestion[0]))
        self.show_suggestion()

    RAMP_LABEL = N_("Seats by contract year")

    @classmethod
    def read_ramp(cls, text: str) -> tuple[list[int] | None, str | None]:
        """(seats per contract year, why not): "20, 40, 60" is [20, 40, 60]. Years are
        separated by a comma and a space or by semicolons ("1,200; 2,400"); each number is
        read by the one number parser, so "1,200, 2,400" is refused as ambiguous (one
        number or two years?) instead of becoming four years."""
        label = _(cls.RAMP_LABEL)
        if not text.strip():
            return None, None
        if ";" in text:
            parts = text.split(";")
        elif re.search(r"\d,\d", text):
            return None, (
                _(
                    "{label}: {text} could be one number or several years; separate the years with a comma and a space (20, 40, 60) or with semicolons (1200; 2400)."
                ).format(label=label, text=text.strip())
            )
        else:
            parts = text.split(",")
        years: list[int] = []
        for year, part in enumerate((p for p in parts if p.strip()), start=1):
            try:
                seats = parse(part, what=_("{label}, year {year}").format(label=label, year=year))
            except NumberEntryError as exc:
                return None, f"{error_text(exc)}."
            if seats < 0 or seats != seats.to_integral_value():
                return (
                    None,
                    _("{label}, year {year}: whole seats of zero or more (got {seats}).").format(
                        label=label, year=year, seats=shown(seats)
                    ),
                )
            years.append(int(seats))
        if not years:
            return None, _("{label}: whole numbers separated by commas, e.g. 20, 40, 60.").format(
                label=label
            )
        return years, None

    @classmethod
    def ramp_years(cls, text: str) -> list[int] | None:
        """ "20, 40, 60" -> [20, 40, 60]; None when empty or not a list of whole numbers."""
        return cls.read_ramp(text)[0]

    def validatePage(self) -> bool:  # noqa: N802
        if self.ramp.text().strip():
            years, problem = self.read_ramp(self.ramp.text())
            if years is None:
                return self.refuse(
                    problem
                    or _("{label}: whole numbers separated by commas, e.g. 20, 40, 60.").format(
                        label=_(self.RAMP_LABEL)
                    )
                )
            if not any(c.kind == "seats" for c in self.editor.components()):
                return self.refuse(_("Seats by contract year needs a seats component."))
            if (len(years) - 1) * 12 >= self.term.value():
                return self.refuse(
                    _("Seats by contract year: the {months}-month term has fewer years.").format(
                        months=self.term.value()
                    )
                )
        if self.editor.errors():
            return self.refuse(
                _("Fix the components first: {problems}").format(
                    problems=joined(self.editor.messages()[:3])
                )
            )
        if not self.editor.components():
            return self.refuse(_("Add at least one component."))
        problem = self.seat_problem()
        if problem:
            return self.refuse(problem)
        for edit, name in (
            (self.escalator, _("Annual escalator %")),
            (self.discount, _("Discount %")),
        ):
            problem = _percent_problem(edit.text(), name)
            if problem:
                return self.refuse(problem)
        return True


class MetricRow:
    """One billed metric on the economics page: a labelled input for its usage per month
    and one for our cost of one unit, and where the usage figure comes from."""

    def __init__(self, metric: str, role: MetricRole) -> None:
        self.metric, self.role = metric, role
        self.label = QLabel(metric)
        self.label.setObjectName(f"economics.metric.{metric}")
        self.label.setToolTip(_("The metric '{metric}' the components bill").format(metric=metric))
        self.usage = _decimal_edit(
            _("How many {metric} the customer has a month (the usage forecast)").format(
                metric=metric
            ),
            _("per month"),
        )
        self.usage.setObjectName(f"economics.usage.{metric}")
        self.cost = _decimal_edit(
            _("Our cost of one unit of {metric} (inference and other variable cost)").format(
                metric=metric
            ),
            _("cost"),
        )
        self.cost.setObjectName(f"economics.cost.{metric}")
        if role == "value":
            self.cost.setEnabled(False)
            self.cost.setToolTip(
                _(
                    "'{metric}' is an amount of money (a share of value or a transaction's value): it has no cost per unit"
                ).format(metric=metric)
            )
            self.usage.setToolTip(
                _("The {metric} a month, in the quote's currency").format(metric=metric)
            )
        self.source = QLabel()
        self.source.setObjectName(f"economics.source.{metric}")
        self.source.setWordWrap(True)
        self.usage_typed = False
        """The rep typed the usage: it is theirs, never refilled from the product page."""
        self.cost_typed = False
        self.usage.textEdited.connect(self._usage_typed)
        self.cost.textEdited.connect(self._cost_typed)

    def _usage_typed(self, _text: str) -> None:
        self.usage_typed = True
        self.source.setText(_("You typed it."))
        self.source.setStyleSheet("")

    def _cost_typed(self, _text: str) -> None:
        self.cost_typed = True

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.label, self.usage, self.cost, self.source)


class CostOnlyRow:
    """A metric with a cost and no price (GPU-hours behind a per-outcome price): its name,
    usage per month and unit cost; its cost counts in COGS."""

    def __init__(self, index: int) -> None:
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("e.g. gpu_hours"))
        self.name.setToolTip(
            _(
                "A metric no component bills whose cost sits behind another price (letters, "
                "digits, _ . -)"
            )
        )
        self.usage = _decimal_edit(_("How many of it a month"), _("per month"))
        self.cost = _decimal_edit(_("Our cost of one unit of it"), _("cost"))
        self.remove = QPushButton(_("Remove"))
        self.remove.setToolTip(_("Take this cost-only metric off the quote"))
        self.rename(index)
        self.from_value_step = False
        """The page added this row for the value step's unit cost (nothing bills the AI
        actions that cost it): its untyped fields follow the earlier steps."""
        self.typed: set[str] = set()
        """The fields the rep typed ("name", "usage", "cost"): never refilled."""
        for key, edit in (("name", self.name), ("usage", self.usage), ("cost", self.cost)):
            edit.textEdited.connect(lambda _text, key=key: self.typed.add(key))

    def rename(self, index: int) -> None:
        self.name.setObjectName(f"economics.cost_only_name.{index}")
        self.usage.setObjectName(f"economics.cost_only_usage.{index}")
        self.cost.setObjectName(f"economics.cost_only_cost.{index}")
        self.remove.setObjectName(f"economics.cost_only_remove.{index}")

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.name, self.usage, self.cost, self.remove)


def value_metric(roles: dict[str, MetricRole]) -> str | None:
    """The metric the value step's task is measured on: the first outcome, else the first
    action or count metric."""
    for wanted in ("outcome", "action", "count"):
        for metric, role in roles.items():
            if role == wanted:
                return metric
    return None


class EconomicsPage(Page):
    """Usage per month and unit cost of every billed metric, as labelled inputs; cost-only
    metrics; fixed cost and cost levers; the margin per contract year and what is missing.

    A usage figure follows what the earlier steps say (the customer's outcomes, users x
    actions a day x days, the usage log's median month) until the rep types over it; a typed
    figure stays, and the row says what the earlier steps now give, so a change is seen and
    confirmed. The value step's unit cost is the cost of the metric the value is measured
    on. The template's example figures are only placeholders: nothing is taken unseen."""

    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            _("Economics"),
            _(
                "How much the customer will use, what serving it costs, and how the cost falls; "
                "margin per year."
            ),
        )
        self.owner = owner
        self.table = QWidget()
        self.grid = QGridLayout(self.table)
        self.grid.setColumnStretch(3, 1)
        for col, title in enumerate(
            (_("Metric"), _("Usage per month"), _("Unit cost"), _("Where the usage comes from"))
        ):
            header = QLabel(f"<b>{title}</b>")
            self.grid.addWidget(header, 0, col)
        self.layout_.addWidget(self.table)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.layout_.addWidget(self.hint)
        self.add_cost_only = QPushButton(_("Add cost-only metric"))
        self.add_cost_only.setToolTip(
            _(
                "A metric with a cost but no price, e.g. GPU-hours behind a per-outcome price: "
                "its unit cost x usage counts in COGS"
            )
        )
        self.add_cost_only.clicked.connect(self.add_cost_only_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_cost_only)
        buttons.addStretch(1)
        self.layout_.addLayout(buttons)
        form = QFormLayout()
        self.fixed = _decimal_edit(_("Fixed cost to serve per month (hosting, support)"))
        self.fixed.setText(field_text(0))
        self.routing = _decimal_edit(
            _("Lower cost from routing tasks to the cheapest capable model (40-60%)")
        )
        self.cache = _decimal_edit(_("Share of calls answered from a semantic cache (30-60%)"))
        self.decline = _decimal_edit(
            _("Expected fall of unit costs each contract year (inference prices keep falling)")
        )
        for edit in (self.routing, self.cache, self.decline):
            edit.setText(field_text(0))
        form.addRow(_("Fixed cost / month"), self.fixed)
        form.addRow(_("Routing savings %"), self.routing)
        form.addRow(_("Cache hit %"), self.cache)
        form.addRow(_("Cost decline % / year"), self.decline)
        self.layout_.addLayout(form)
        self.margins = QLabel()
        self.margins.setWordWrap(True)
        self.layout_.addWidget(self.margins)
        for edit in (self.fixed, self.routing, self.cache, self.decline):
            edit.textChanged.connect(self.preview)
        self.check_as_typed(self.fixed, lambda t: _nonnegative_problem(t, _("Fixed cost / month")))
        for edit, name, below in (
            (self.routing, N_("Routing savings %"), False),
            (self.cache, N_("Cache hit %"), False),
            (self.decline, N_("Cost decline % / year"), True),
        ):
            self.check_as_typed(edit, _percent_check(_(name), below_100=below))
        self.finish_layout()
        self.rows: dict[str, MetricRow] = {}
        """The billed metrics' rows, in the order the components read them."""
        self.kept: dict[str, MetricRow] = {}
        """Rows of metrics no longer billed, kept in case the rep brings them back."""
        self.cost_only: list[CostOnlyRow] = []
        self._value_cost_declined: Decimal | None = None
        """The value step's unit cost whose cost-only row the rep removed."""

    # --- what the page is built from ---------------------------------------------------

    def roles(self) -> dict[str, MetricRole]:
        return metric_roles(self.owner.components.editor.components())

    def automatic(self) -> dict[str, tuple[Decimal, str]]:
        """Each metric's monthly quantity from the earlier steps, and where it comes from."""
        owner = self.owner
        product = owner.product
        components = owner.components.editor.components()
        found: dict[str, tuple[Decimal, str]] = {}
        days = product.days.value()
        for metric, derived in derived_volumes(
            metric_roles(components),
            users=product.users.value(),
            actions_per_user_per_day=product.daily_actions(),
            days_per_month=days,
            outcomes_per_month=product.outcomes_per_month(),
        ).items():
            if derived.basis == "outcomes":
                source = _("the customer's outcomes per month (product step)")
            else:
                source = _(
                    "{users} users x {actions} actions a day x {days} days (product step)"
                ).format(
                    users=shown(product.users.value()),
                    actions=shown(product.daily_actions() or 0),
                    days=days,
                )
            found[metric] = (derived.quantity, source)
        if owner.evidence is not None:
            for metric, quantity in suggested_forecast(owner.evidence, components).items():
                found[metric] = (quantity, _("the usage log's median month"))
        return found

    def built_from(self) -> Any:
        """What the page's automatic figures depend on (for the model-based test)."""
        return (
            tuple(self.roles().items()),
            tuple(sorted((m, q) for m, (q, _s) in self.automatic().items())),
            _number(self.owner.value.unit_cost.text()),
        )

    # --- rows ----------------------------------------------------------------------------

    def _layout_rows(self) -> None:
        """Put the rows in the grid: the billed metrics, then the cost-only metrics."""
        for row in [*self.rows.values(), *self.kept.values()]:
            for widget in row.widgets():
                self.grid.removeWidget(widget)
        for extra in self.cost_only:
            for widget in extra.widgets():
                self.grid.removeWidget(widget)
        for row in self.kept.values():
            for widget in row.widgets():
                widget.setParent(None)
        line = 1
        for row in self.rows.values():
            for col, widget in enumerate(row.widgets()):
                self.grid.addWidget(widget, line, col)
                widget.show()
            line += 1
        for index, extra in enumerate(self.cost_only):
            extra.rename(index)
            for col, widget in enumerate(extra.widgets()):
                # The Remove button at its own width, where the billed rows say their source.
                align = (
                    Qt.AlignmentFlag.AlignLeft if widget is extra.remove else Qt.AlignmentFlag(0)
                )
                self.grid.addWidget(widget, line, col, alignment=align)
                widget.show()
            line += 1

    def _sync_rows(self, roles: dict[str, MetricRole]) -> None:
        if list(self.rows) == list(roles) and all(self.rows[m].role == r for m, r in roles.items()):
            return
        for old in [*self.rows.values(), *self.kept.values()]:
            for widget in old.widgets():
                self.grid.removeWidget(widget)
        previous = {**self.kept, **self.rows}
        rows: dict[str, MetricRow] = {}
        for metric, role in roles.items():
            found = previous.pop(metric, None)
            if found is None or found.role != role:
                if found is not None:
                    for widget in found.widgets():
                        widget.deleteLater()
                found = MetricRow(metric, role)
                found.usage.textChanged.connect(self.preview)
                found.cost.textChanged.connect(self.preview)
                self.check_as_typed(
                    found.usage,
                    _nonnegative_check(_("Usage per month of {metric}").format(metric=metric)),
                )
                self.check_as_typed(
                    found.cost,
                    _nonnegative_check(_("Unit cost of {metric}").format(metric=metric)),
                )
            rows[metric] = found
        self.rows = rows
        self.kept = previous  # no longer billed: kept, off the page, in case they come back
        self._layout_rows()

    def add_cost_only_row(self) -> CostOnlyRow:
        extra = CostOnlyRow(len(self.cost_only))
        for edit in (extra.name, extra.usage, extra.cost):
            edit.textChanged.connect(self.preview)
        for edit, label in ((extra.usage, N_("usage per month")), (extra.cost, N_("unit cost"))):
            self.check_as_typed(edit, self._cost_only_check(extra, label))
        extra.remove.clicked.connect(lambda _checked=False, r=extra: self.remove_cost_only_row(r))
        self.cost_only.append(extra)
        self._layout_rows()
        extra.name.setFocus()
        self.preview()
        return extra

    def _cost_only_check(self, extra: CostOnlyRow, label: str) -> Callable[[str], str | None]:
        """A cost-only row's number check, named as Next names it (its place and name now)."""

        def check(text: str) -> str | None:
            index = self.cost_only.index(extra) + 1 if extra in self.cost_only else 0
            what = _("Cost-only metric {index}").format(index=index)
            return _nonnegative_problem(text, f"{what} ({extra.name.text().strip()}) {_(label)}")

        return check

    def remove_cost_only_row(self, extra: CostOnlyRow) -> None:
        if extra not in self.cost_only:
            return
        if extra.from_value_step:  # the rep took it off: not added again for this cost
            self._value_cost_declined = _number(self.owner.value.unit_cost.text())
        self.cost_only.remove(extra)
        for widget in extra.widgets():
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self._layout_rows()
        self.preview()

    def initializePage(self) -> None:  # noqa: N802
        roles = self.roles()
        self._sync_rows(roles)
        automatic = self.automatic()
        examples = self.owner.forecast
        example_costs = self.owner.unit_costs
        costed_on = value_metric(roles)
        value_cost = _number(self.owner.value.unit_cost.text())
        for metric, row in self.rows.items():
            auto = automatic.get(metric)
            example = (examples.get(metric) or {}).get("monthly")
            if example is not None:
                row.usage.setPlaceholderText(
                    _("e.g. {example}").format(example=field_text(example))
                )
                row.usage.setProperty("example", field_text(example))
            if not row.usage_typed:
                row.usage.setText("" if auto is None else field_text(auto[0]))
                if auto is not None:
                    row.source.setText(_("From {source}.").format(source=auto[1]))
                elif row.role in ("value", "count"):
                    row.source.setText(
                        _("Give the customer's {metric} a month.").format(metric=metric)
                    )
                else:
                    row.source.setText(_("Give the customer's monthly quantity."))
                row.source.setStyleSheet("")
            else:
                typed = _number(row.usage.text())
                if auto is not None and typed != auto[0]:
                    row.source.setText(
                        _(
                            "You typed {typed}; {source} now give {value}: keep yours, or type "
                            "that."
                        ).format(
                            typed=shown(typed) if typed is not None else _("this"),
                            source=auto[1],
                            value=shown(auto[0]),
                        )
                    )
                    row.source.setStyleSheet(f"color: {AMBER};")
                else:
                    row.source.setText(_("You typed it."))
                    row.source.setStyleSheet("")
            if row.role == "value":
                continue
            cost_example = example_costs.get(metric)
            if cost_example is not None:
                row.cost.setPlaceholderText(
                    _("e.g. {example}").format(example=field_text(cost_example))
                )
            if not row.cost_typed:
                if metric == costed_on and value_cost is not None:
                    row.cost.setText(field_text(value_cost))
                    row.cost.setToolTip(
                        _("Our cost of one unit of {metric}: the value step's unit cost").format(
                            metric=metric
                        )
                    )
                else:
                    row.cost.setText("")
        self._cost_value_step(costed_on, value_cost)
        self._show_hint(roles)
        self.preview()

    def value_cost_row(self) -> CostOnlyRow | None:
        return next((r for r in self.cost_only if r.from_value_step), None)

    def _cost_value_step(self, costed_on: str | None, value_cost: Decimal | None) -> None:
        """The value step's unit cost when no component bills a task or an outcome (seats,
        a flat fee): it is the cost of the AI actions, so they become a cost-only metric
        (users x actions a day x days a month, at that cost) and count in the margin. Without
        it, the cost was dropped and the margin read 100 % (the playbook's per-seat trap)."""
        row = self.value_cost_row()
        if costed_on is not None or value_cost is None or value_cost == self._value_cost_declined:
            if row is not None and not row.typed:
                self.remove_cost_only_row(row)
                self._value_cost_declined = None
            return
        if row is None:
            row = CostOnlyRow(len(self.cost_only))
            row.from_value_step = True
            for edit in (row.name, row.usage, row.cost):
                edit.textChanged.connect(self.preview)
            for edit, label in ((row.usage, N_("usage per month")), (row.cost, N_("unit cost"))):
                self.check_as_typed(edit, self._cost_only_check(row, label))
            row.remove.clicked.connect(lambda _checked=False, r=row: self.remove_cost_only_row(r))
            self.cost_only.insert(0, row)
            self._layout_rows()
        if "name" not in row.typed:
            row.name.setText(VALUE_COST_METRIC)
        if "cost" not in row.typed:
            row.cost.setText(field_text(value_cost))
        if "usage" not in row.typed:
            total = self.owner.product.monthly_actions()
            row.usage.setText("" if total is None else field_text(total))
        row.usage.setToolTip(
            _(
                "AI actions a month: users x actions per user per day x days of use (product "
                "step); nothing on the quote bills them, but each costs the value step's unit cost"
            )
        )

    def value_cost_text(self) -> str:
        """What the page says of the row it added for the value step's unit cost."""
        row = self.value_cost_row()
        if row is None:
            return ""
        total = self.owner.product.monthly_actions()
        if total is None:
            return _(
                "No component bills tasks or outcomes, so the value step's unit cost is the cost "
                "of the AI actions: a cost-only metric. Give its usage per month (or actions per "
                "user per day on the product step): without it the margin leaves the cost out."
            )
        return _(
            "No component bills tasks or outcomes, so the value step's unit cost is the cost of "
            "the AI actions: {volume} at {cost} each, a cost-only metric that counts in the margin."
        ).format(volume=self.owner.product.volume.text(), cost=row.cost.text())

    def _show_hint(self, roles: dict[str, MetricRole]) -> None:
        actions = [m for m, r in roles.items() if r == "action"]
        total = self.owner.product.monthly_actions()
        lines = []
        if len(actions) > 1 and total is not None:
            lines.append(
                _(
                    "{volume} in all: split them between {metrics} (each is billed and costed on "
                    "its own)."
                ).format(volume=self.owner.product.volume.text(), metrics=", ".join(actions))
            )
        if self.value_cost_text():
            lines.append(self.value_cost_text())
        self.hint.setText("\n".join(lines))

    # --- the quote's parts ---------------------------------------------------------------

    def forecast(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for metric, row in self.rows.items():
            value = _number(row.usage.text())
            if value is not None:
                found[metric] = {"monthly": plain(value)}
        for extra in self.cost_only:
            name, value = extra.name.text().strip(), _number(extra.usage.text())
            if name and value is not None and name not in found:
                found[name] = {"monthly": plain(value)}
        return found

    def unit_costs(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for metric, row in self.rows.items():
            value = _number(row.cost.text())
            if value is not None and row.role != "value":
                found[metric] = plain(value)
        for extra in self.cost_only:
            name, value = extra.name.text().strip(), _number(extra.cost.text())
            if name and value is not None and name not in found:
                found[name] = plain(value)
        return found

    def cost_only_metrics(self) -> list[str]:
        names = [extra.name.text().strip() for extra in self.cost_only]
        return [n for i, n in enumerate(names) if n and n not in names[:i] and n not in self.rows]

    def preview(self) -> None:
        if not self.rows and not self.cost_only:
            self.margins.setText("")
            return
        try:
            priced = price(quote_from_data(self.owner.build_data()))
        except (QuoteFileError, ArithmeticError, ValueError) as exc:
            self.margins.setText(
                _("Not priced yet: {problem}").format(problem=error_text(exc).splitlines()[0])
            )
            return
        lines = [
            _("Gross margin by contract year: {margins}").format(
                margins=", ".join(
                    _("year {year}: {margin}").format(
                        year=y.year,
                        margin=_("n/a")
                        if y.gross_margin_percent is None
                        else percent(y.gross_margin_percent),
                    )
                    for y in priced.years
                )
            )
        ]
        for warning in priced.warnings:
            if warning.code in COST_WARNINGS:
                lines.append(f"{SEVERITY_MARK[warning.severity]} {warning_text(warning)}")
        self.margins.setText("\n".join(lines))

    def validatePage(self) -> bool:  # noqa: N802
        for metric, row in self.rows.items():
            problem = _nonnegative_problem(
                row.usage.text(),
                _("Usage per month of {metric}").format(metric=metric),
                required=True,
            )
            if problem:
                if not row.usage.text().strip():
                    problem = _(
                        "Usage per month of {metric}: give the customer's monthly quantity"
                    ).format(metric=metric)
                    example = row.usage.property("example")
                    if example:
                        problem = _(
                            "Usage per month of {metric}: give the customer's monthly quantity "
                            "(the template's example is {example})"
                        ).format(metric=metric, example=example)
                return self.refuse(problem + ".")
            if row.role != "value":
                problem = _nonnegative_problem(
                    row.cost.text(), _("Unit cost of {metric}").format(metric=metric)
                )
                if problem:
                    return self.refuse(problem)
        seen: set[str] = set()
        for index, extra in enumerate(self.cost_only, start=1):
            name = extra.name.text().strip()
            what = _("Cost-only metric {index}").format(index=index)
            if not name:
                return self.refuse(
                    _("{what}: give its name (e.g. gpu_hours), or remove it.").format(what=what)
                )
            if not IDENTIFIER.fullmatch(name):
                return self.refuse(
                    _("{what}: use letters, digits, _ . - in the name (got {name!r}).").format(
                        what=what, name=name
                    )
                )
            if name in self.rows:
                return self.refuse(
                    _(
                        "{what}: '{name}' is billed by a component; give its cost in its row above."
                    ).format(what=what, name=name)
                )
            if name in seen:
                return self.refuse(
                    _("{what}: '{name}' is listed twice.").format(what=what, name=name)
                )
            seen.add(name)
            for edit, label in ((extra.usage, _("usage per month")), (extra.cost, _("unit cost"))):
                problem = _nonnegative_problem(
                    edit.text(), f"{what} ({name}) {label}", required=True
                )
                if problem:
                    return self.refuse(problem)
        problem = _nonnegative_problem(self.fixed.text(), _("Fixed cost / month"))
        if problem:
            return self.refuse(problem)
        for edit, name, below in (
            (self.routing, _("Routing savings %"), False),
            (self.cache, _("Cache hit %"), False),
            (self.decline, _("Cost decline % / year"), True),
        ):
            problem = _percent_problem(edit.text(), name, below_100=below)
            if problem:
                return self.refuse(problem)
        return True


COST_WARNINGS = frozenset(
    {
        "NO_UNIT_COST",
        "UNIT_COST_UNUSED",
        "UNIT_COST_NOT_BILLED",
        "COST_ONLY_METRIC_BILLED",
        "NO_FORECAST",
    }
)
"""The warnings the economics page shows under the margins: what its own inputs can fix."""
AMBER = "#b54708"
VALUE_COST_METRIC = "ai_actions"
"""The cost-only metric the economics page adds for the value step's unit cost when no
component bills a task or an outcome (the name the credits template bills AI actions by)."""
IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class ContractTermsPage(Page):
    """Outcome definitions and attribution: what makes outcome and value pricing
    measurable. The page lists only the components that need terms."""

    METHODS = [
        (N_("Baseline comparison"), "baseline_comparison"),
        (N_("Holdout group"), "holdout_group"),
        (N_("Rule-based"), "rule_based"),
        (N_("Custom (described below)"), "custom"),
    ]

    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            _("Contract terms"), _("Agree how outcomes are counted and value is attributed.")
        )
        self.owner = owner
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.layout_.addWidget(self.body)
        self.fields: dict[str, dict[str, QWidget]] = {}
        self.names: dict[str, str] = {}
        """Each component's name, as the page heads its fields (the messages use it)."""
        self.none = QLabel(
            _("This quote has no outcome or value-share components: nothing to agree here.")
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
                    "dispute_window_days": WholeNumberBox(_("Dispute window (days)"), 0, 365),
                }
                days = fields["dispute_window_days"]
                assert isinstance(days, QSpinBox)
                days.setValue(t.dispute_window_days or 30)
                align_number(days)
                labels = {
                    "definition": (
                        _("What counts as one outcome"),
                        _("e.g. a ticket closed by the AI without a human reply"),
                    ),
                    "success_criteria": (
                        _("Success criteria"),
                        _("When an outcome counts as successful"),
                    ),
                    "verification_evidence": (
                        _("Verification evidence"),
                        _("The records that prove each outcome"),
                    ),
                    "dispute_window_days": (
                        _("Dispute window (days)"),
                        _("Days after the invoice to dispute an outcome"),
                    ),
                }
            else:
                a = component.attribution
                method = QComboBox()
                method.addItem(_("(choose)"), None)
                for label, value in self.METHODS:
                    method.addItem(_(label), value)
                method.setCurrentIndex(max(0, method.findData(a.method)))
                lookback = WholeNumberBox(_("Lookback window (days)"), 0, 730)
                lookback.setValue(a.lookback_days or 90)
                align_number(lookback)
                baseline = QLineEdit(
                    "" if component.baseline is None else field_text(component.baseline)
                )
                align_number(baseline)
                fields = {
                    "method": method,
                    "description": QLineEdit(a.description),
                    "baseline": baseline,
                    "lookback_days": lookback,
                    "dispute_process": QLineEdit(a.dispute_process),
                }
                labels = {
                    "method": (
                        _("Attribution method"),
                        _("How value is attributed to the service"),
                    ),
                    "description": (_("Method details"), _("How the method is applied")),
                    "baseline": (
                        _("Baseline per month"),
                        _("Value below this is not shared (0 for none)"),
                    ),
                    "lookback_days": (
                        _("Lookback window (days)"),
                        _("How far back an outcome can be attributed"),
                    ),
                    "dispute_process": (
                        _("Dispute process"),
                        _("How disagreements about attribution are settled"),
                    ),
                }
            for key, widget in fields.items():
                label, tip = labels[key]
                widget.setToolTip(tip)
                widget.setObjectName(f"contract.{component.id}.{key}")
                self.form.addRow(label, widget)
            self.fields[component.id] = fields
            self.names[component.id] = component.name
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
                    # a baseline that is not a number is kept as typed: Next says why
                    "baseline": (_quote_number(str(baseline), str(baseline)) if baseline else None),
                    "attribution": {**values, "lookback_days": values["lookback_days"] or None},
                }
        return result

    def validatePage(self) -> bool:  # noqa: N802
        for component_id, update in self.overrides().items():
            name = self.names.get(component_id, component_id)
            terms = update.get("terms")
            if terms is not None:
                # The fields as the page labels them, in one list ("A, B and C").
                missing = [
                    _("“{label}”").format(label=label)
                    for key, label in (
                        ("definition", _("What counts as one outcome")),
                        ("verification_evidence", _("Verification evidence")),
                        ("dispute_window_days", _("Dispute window (days)")),
                    )
                    if not terms.get(key)
                ]
                if missing:
                    return self.refuse(
                        _(
                            "{name}: fill in {fields}: without them every invoice can be disputed."
                        ).format(name=name, fields=listing(missing))
                    )
            else:
                if not update["attribution"].get("method"):
                    return self.refuse(_("{name}: choose an attribution method.").format(name=name))
                raw = self.fields[component_id]["baseline"]
                assert isinstance(raw, QLineEdit)
                if not raw.text().strip():
                    return self.refuse(
                        _("{name}: give the baseline per month as a number (0 for none).").format(
                            name=name
                        )
                    )
                problem = _nonnegative_problem(
                    raw.text(), _("{name}: Baseline per month").format(name=name)
                )
                if problem:
                    return self.refuse(problem)
        return True


class ReviewPage(Page):
    def __init__(self, owner: GuidedQuote) -> None:
        super().__init__(
            _("Review"),
            _("Totals, margin by year and warnings. Finish saves version 1 and opens the editor."),
        )
        self.owner = owner
        self.usage = QLabel()
        self.usage.setWordWrap(True)
        self.usage.setToolTip(_("The usage the totals are priced at, and our cost of each unit"))
        self.layout_.addWidget(self.usage)
        # What Finish's version 1 will need from the deal desk under the approval policy
        # (the editor's banner says the same once saved); hidden when the policy is unknown.
        self.approval = QLabel()
        self.approval.setWordWrap(True)
        self.approval.setTextFormat(Qt.TextFormat.RichText)
        self.approval.setObjectName("reviewApproval")
        self.layout_.addWidget(self.approval)
        self.summary = SummaryPanel()
        self.layout_.addWidget(self.summary, 1)
        self.finish_layout(stretch=False)

    def show_approval(self, document: QuoteDocument, priced: PricedQuote) -> None:
        """Whether version 1 will need approval before it is final, and why: the rep learns
        it before Finish, not from the editor's banner after it."""
        from quote_builder.approvals.policy import evaluate

        from .approval_banner import evaluation_reasons

        policy = self.owner.approval_policy()
        if policy is None:
            self.approval.hide()
            return
        judged = evaluate(document, priced, policy, self.owner.approval_rates())
        if judged.needed:
            text = _(
                "<b>Approval:</b> version 1 will need {role_s} approval before it is final."
            ).format(role_s=labels.approval_of(judged.required_role))
            text += evaluation_reasons(judged)
        else:
            text = _("<b>Approval:</b> version 1 needs no approval.")
        self.approval.setText(text)
        self.approval.show()

    def show_usage(self) -> None:
        economics = self.owner.economics
        owner = self.owner
        currency = owner.customer.currency if owner.customer else owner.default_currency
        lines = []
        for metric, row in economics.rows.items():
            quantity = _number(row.usage.text())
            cost = _number(row.cost.text())
            monthly = shown(quantity) if quantity is not None else "—"
            if row.role == "value":
                line = _("{metric}: {quantity} a month").format(metric=metric, quantity=monthly)
            elif cost is not None:
                line = _("{metric}: {quantity} a month, unit cost {cost}").format(
                    metric=metric, quantity=monthly, cost=locale_format.price(cost, currency)
                )
            else:
                line = _("{metric}: {quantity} a month, no unit cost").format(
                    metric=metric, quantity=monthly
                )
            lines.append(line)
        names = economics.cost_only_metrics()
        for extra in economics.cost_only:
            metric = extra.name.text().strip()
            if metric not in names:
                continue
            names.remove(metric)  # each once, as the quote keeps it
            quantity, cost = _number(extra.usage.text()), _number(extra.cost.text())
            lines.append(
                _("{metric} (cost only): {quantity} a month, unit cost {cost}").format(
                    metric=metric,
                    quantity=shown(quantity) if quantity is not None else "—",
                    cost=locale_format.price(cost, currency) if cost is not None else "—",
                )
            )
        self.usage.setText(_("Usage priced: {lines}").format(lines=joined(lines)) if lines else "")

    def initializePage(self) -> None:  # noqa: N802
        self.show_usage()
        try:
            self.owner.document = quote_from_data(self.owner.build_data())
        except QuoteFileError as exc:
            self.owner.document = None
            data = self.owner.build_data()
            self.summary.show_problems([problem_text(p, data) for p in exc.problems])
            return
        document = self.owner.document
        try:
            bills = evidence_bills(document)
        except (ArithmeticError, ValueError):
            bills = None
        # With the warnings: the governing law and courts the order form would lack (a
        # seller outside the United States that has not set its own).
        priced = price(document)
        self.summary.show_priced(
            priced,
            self.owner.floor,
            jurisdiction_unset=jurisdiction_unset(self.owner.settings, document),
        )
        self.show_approval(document, priced)
        self.summary.show_bill_range(bills, document.currency)  # hidden without a log

    def validatePage(self) -> bool:  # noqa: N802
        if self.owner.document is None:
            return self.refuse(_("Go back and fix the problems listed above."))
        return True


FOCUS_STYLE = (
    "QRadioButton, QCheckBox { border: 2px solid transparent; border-radius: 3px; "
    "padding: 1px 3px; }"
    "QRadioButton:focus, QCheckBox:focus { border-color: palette(highlight); }"
    "QListWidget { border: 2px solid palette(mid); }"
    "QListWidget:focus { border-color: palette(highlight); }"
)
"""The guided flow's focus marks: a frame in the selection colour around the radio button,
check box or list that has the keyboard focus (line edits and combo boxes have Fusion's)."""


class GuidedQuote(QWizard):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.workspace = window.workspace
        self.user = window.workspace.user
        settings = self.workspace.run(get_settings)
        self.default_currency = settings.default_currency
        self.floor = settings.margin_floor_percent
        self.settings = settings
        """The settings as the flow opened (the review's warnings read the legal frame)."""
        self.customer: CustomerPublic | CustomerCreate | None = None
        """The customer chosen (CustomerPublic) or described, to be saved on Finish."""
        self.contact: dict[str, str] | None = None
        """The recipient chosen on the customer page (an existing customer's contact)."""
        self.model: PricingModel | None = None
        self.forecast: dict[str, Any] = {}
        """The template's example usage per metric: placeholders, never taken unseen."""
        self.unit_costs: dict[str, str] = {}
        """The template's example unit costs: placeholders too."""
        self.document: QuoteDocument | None = None
        self.evidence: UsageEvidence | None = None
        self._policy: tuple[ApprovalPolicy | None] | None = None
        self._rates: tuple[RateTable | None] | None = None
        """The approval policy, read once when the review first needs it."""
        self.changes = Changes()
        self._usd_rates: dict[str, Decimal | None] = {}
        """The exchange-rate table's rate from USD per currency, read once each."""
        self.setWindowTitle(_("New quote"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        geometry.restore(self, "wizard", QSize(900, 780))
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
        from .wheel_guard import guard_wheel

        guard_wheel(self)  # scrolling a step never picks another category or term
        self.currentIdChanged.connect(lambda _id: accessibility.name_inputs(self))
        self._went_on = False
        """Next was pressed at least once (the customer step needs a title typed first)."""
        self.currentIdChanged.connect(self._moved)
        self._first_step = self._first_step_entries()
        self.customer_page.watch_entries()
        # Where the keyboard is, seen on every input (Fusion draws no focus frame on a radio
        # button or a list until a key moves the focus, and a faint one then).
        self.setStyleSheet(FOCUS_STYLE)

    def validateCurrentPage(self) -> bool:  # noqa: N802 (Qt's name)
        """A count typed that cannot be read ("12k" users) stops Next with its field and
        reason, before the page's own checks read the box's last good value."""
        page = self.currentPage()
        if isinstance(page, Page):
            for box in page.findChildren(WholeNumberBox):
                why = box.problem()
                if why is not None:
                    box.setFocus(Qt.FocusReason.OtherFocusReason)
                    return page.refuse(why)
        return super().validateCurrentPage()

    # --- leaving without Finish ---------------------------------------------------------------

    def _moved(self, page_id: int) -> None:
        if page_id != self.startId() and page_id != -1:
            self._went_on = True
        page = self.page(page_id)
        if isinstance(page, Page):
            page.shown()

    def _first_step_entries(self) -> tuple[object, ...]:
        """What the rep can enter on the customer step, to compare with how it opened."""
        page = self.customer_page
        item = page.matches.currentItem()
        chosen = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return (
            page.search.text(),
            getattr(chosen, "id", None),
            page.new.isChecked(),
            page.name.text(),
            page.currency.text(),
            page.country.currentText(),
            page.title_.text(),
            page.recipient.currentIndex(),
        )

    def has_entries(self) -> bool:
        """Anything the rep entered that leaving would lose: a step after the first (Next
        needs a title typed), or a change on the customer step."""
        return self._went_on or self._first_step_entries() != self._first_step

    def reject(self) -> None:
        """Escape, the window's close button and Cancel: ask before throwing away what the
        rep entered (Discard / Keep editing); close at once when nothing was."""
        stopping = getattr(self.window_, "stopping", False)
        if self.has_entries() and not stopping and not self._confirm_discard():
            return
        # Asked to stop (SIGTERM: a logout, a shutdown): no one is there to answer, and a
        # question would keep the app from quitting. What the flow gathered is not a quote
        # yet: it is lost, as Discard loses it.
        self.discard()

    def discard(self) -> None:
        """Close without asking, what was entered thrown away (the rep chose Discard)."""
        super().reject()

    def _confirm_discard(self) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Discard this quote?"),
            _(
                "Discard this quote? What you entered in the guided flow is not saved, nor the "
                "new customer typed on its first step."
            )
            if isinstance(self.customer, CustomerCreate) or self.customer_page.new.isChecked()
            else _("Discard this quote? What you entered in the guided flow is not saved."),
            parent=self,
        )
        box.setObjectName("discard-quote")
        discard = box.addButton(_("Discard"), QMessageBox.ButtonRole.DestructiveRole)
        discard.setObjectName("discard")
        keep = box.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("keep-editing")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        chosen: list[bool] = []
        discard.clicked.connect(lambda: chosen.append(True))
        box.exec()  # the answer is kept by the signal: the box may be gone when exec returns
        return bool(chosen)

    def category_range(self, profile: Any) -> str:
        """A product category's price range in the customer's currency (converted at the
        exchange-rate table's USD rate, or said to be in USD when it has none)."""
        currency = self.customer.currency if self.customer else self.default_currency
        if currency != "USD" and currency not in self._usd_rates:
            from quote_builder.services import currencies

            try:
                fx = self.workspace.run(currencies.exchange_rate_for, "USD", currency)
            except UserFacingError:
                fx = None
            self._usd_rates[currency] = fx.rate if fx is not None else None
        return labels.category_range(profile, currency, self._usd_rates.get(currency))

    def customer_key(self) -> Any:
        """Which customer the pages were filled for: an existing one's id, or a new one."""
        customer = self.customer
        if customer is None:
            return None
        if isinstance(customer, CustomerPublic):
            return ("id", customer.id)
        return ("new", customer.name, customer.currency)

    def new_customer(self) -> CustomerCreate | None:
        """The new customer as it will be saved: what step 1 says, with the category, usage
        and value figures the flow gathered."""
        if not isinstance(self.customer, CustomerCreate):
            return None
        product, value = self.product, self.value
        return self.customer.model_copy(
            update={
                "product_category": product.category.currentData(),
                "seats": product.users.value() or None,
                "actions_per_user_per_day": product.daily_actions(),
                "outcomes_per_month": product.outcomes_per_month(),
                "minutes_saved_per_task": _number(value.minutes.text()),
                "loaded_hourly_rate": _number(value.rate.text()),
            }
        )

    exchange_rate: dict[str, Any] | None = None
    """The rate the catalog plan was converted at, or the seller's currency against the
    quote's (``services.currencies.plan_in_currency``), kept in the quote."""

    def quote_tax(self) -> dict[str, Any] | None:
        """The new quote's tax from Settings and the customer (its record, or what step 1
        says of a new one); None when it cannot be decided yet (no seller country): the
        editor's Terms tab adds it later."""
        from quote_builder.services import tax as tax_service

        customer = self.customer
        try:
            if isinstance(customer, CustomerPublic):
                tax = self.workspace.run(tax_service.quote_tax, customer.id)
            elif customer is not None:
                settings = self.workspace.run(get_settings)
                tax = tax_service.tax_for(
                    seller_country=settings.seller_country,
                    seller_tax_id=settings.seller_tax_id,
                    customer_country=customer.country,
                    customer_region=customer.region,
                    customer_tax_id=customer.tax_id,
                )
            else:
                return None
        except UserFacingError:
            return None
        return tax_service.tax_data(tax)

    def approval_policy(self) -> ApprovalPolicy | None:
        """The policy version 1 will be judged by (read once; None: it cannot be read, the
        database gone or the organisation's bundle failing its check: the editor says why)."""
        if self._policy is None:
            from quote_builder.services import approvals as approval_service

            try:
                self._policy = (self.workspace.run(approval_service.current_policy),)
            except UserFacingError:
                self._policy = (None,)
        return self._policy[0]

    def approval_rates(self) -> RateTable | None:
        """The exchange-rate table version 1's rate is checked against (read once; None:
        it cannot be read)."""
        if self._rates is None:
            from quote_builder.services.currencies import rate_table

            try:
                self._rates = (self.workspace.run(rate_table),)
            except UserFacingError:
                self._rates = (None,)
        return self._rates[0]

    def build_data(self) -> dict[str, Any]:
        """The quote so far, in the quote format."""
        assert self.customer is not None
        overrides = self.contract.overrides()
        components = []
        shown_components = self.components.editor.components()
        for c in shown_components:
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
        forecast = self.economics.forecast()
        economics: dict[str, Any] = {
            "unit_costs": self.economics.unit_costs(),
            "fixed_cost_per_month": _quote_number(self.economics.fixed.text(), "0"),
            "levers": {
                "routing_savings_percent": _quote_number(self.economics.routing.text(), "0"),
                "cache_hit_percent": _quote_number(self.economics.cache.text(), "0"),
            },
            "cost_decline_percent_per_year": _quote_number(self.economics.decline.text(), "0"),
            "target_margin_percent": _quote_number(self.value.margin.text(), "70"),
            "margin_floor_percent": str(self.floor),
        }
        cost_only = self.economics.cost_only_metrics()
        if cost_only:
            economics["cost_only_metrics"] = cost_only
        customer_id = self.customer.id if isinstance(self.customer, CustomerPublic) else None
        data: dict[str, Any] = {
            "title": self.customer_page.title_.text().strip(),
            "customer": {"name": self.customer.name}
            | ({"id": str(customer_id)} if customer_id is not None else {})
            | ({"contact": dict(self.contact)} if self.contact else {}),
            "product_category": self.product.category.currentData(),
            "pricing_model": self.model.value if self.model else None,
            "currency": self.customer.currency,
            "start_date": self.components.start.date().toString("yyyy-MM-dd"),
            "term_months": self.components.term.value(),
            "billing_frequency": self.components.billing.currentData(),
            "escalator_percent": _quote_number(self.components.escalator.text(), "0"),
            "components": components,
            "usage_forecast": forecast,
            "economics": economics,
            "advisor": self.advisor.advisor_answers().model_dump(mode="json", exclude_none=True),
            "usage_profile": {
                "users": self.product.users.value(),
                "intensity_variation": self.product.variation.currentData(),
            },
        }
        actions = self.product.daily_actions()
        if actions is not None:
            data["usage_profile"]["actions_per_user_per_day"] = plain(actions)
            data["usage_profile"]["days_per_month"] = self.product.days.value()
        outcomes = self.product.outcomes_per_month()
        if outcomes is not None:
            data["usage_profile"]["outcomes_per_month"] = plain(outcomes)
        ramp = ComponentsPage.ramp_years(self.components.ramp.text())
        seat_ids = [c["id"] for c in components if c.get("kind") == "seats"]
        if ramp and seat_ids:
            # The tier the users are seated in (the template's AI tier; the product step's
            # users go there), not the first tier listed: 40 users, "40, 60, 80" made 40
            # seats in the empty Individual tier beside the 40 Pro seats, 80 seats in year 1,
            # and ramped the tier without AI.
            seated = [
                c["id"]
                for c in components
                if c.get("kind") == "seats" and int(c.get("seats") or 0) > 0
            ]
            target = (seated or seat_ids)[0]
            data["ramps"] = [
                {"year": year, "seats": {target: count}}
                for year, count in enumerate(ramp, start=1)
                if year > 1
            ]
            components[[c["id"] for c in components].index(target)]["seats"] = ramp[0]
        discount = _number(self.components.discount.text())
        if discount:
            # Without a name: the quote keeps the app's default ("Discount", in no window's
            # language), which each document prints in its own ("Rabatt", "Remise"); a
            # name in this window's language would reach a French buyer in German.
            data["discounts"] = [{"percent": plain(discount)}]
        value = self.value.unit_value()
        roles = {m: r for m, r in metric_roles(shown_components).items() if m in forecast}
        metric = value_metric(roles)
        if self.evidence is not None:
            data["usage_evidence"] = self.evidence.model_dump(mode="json", exclude_none=True)
        if (
            self.exchange_rate is not None
            and self.exchange_rate.get("seller_currency") != (data["currency"])
        ):
            data["exchange_rate"] = dict(self.exchange_rate)
        tax = self.quote_tax()
        if tax is not None:
            data["tax"] = tax
        capture = self.value.capture_percent()
        if value is not None and metric is not None and capture is not None:
            drivers: dict[str, Any] = {
                "metric": metric,
                "target_value_capture_percent": plain(capture),
            }
            if self.value.direct_value():
                drivers["value_per_unit"] = plain(value)
            else:
                drivers["minutes_saved_per_unit"] = _quote_number(self.value.minutes.text())
                drivers["loaded_hourly_rate"] = _quote_number(self.value.rate.text())
            data["value"] = drivers
        return data

    def done(self, result: int) -> None:
        self.usage_log.panel.cancel()  # a log still being read is not wanted any more
        geometry.save(self, "wizard")
        super().done(result)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        geometry.fit_when_shown(self)
        page = self.currentPage()
        if isinstance(page, Page):
            page.shown()

    def accept(self) -> None:
        if self.document is None:
            # Finish never silently does nothing: the review says why it cannot save.
            self.review.validatePage()
            return
        try:
            new = self.new_customer()
            if new is not None:
                outcome = self.workspace.run(
                    quote_service.create_quote_for_new_customer,
                    new,
                    self.document,
                    actor=self.user,
                )
            else:
                assert isinstance(self.customer, CustomerPublic)
                outcome = self.workspace.run(
                    quote_service.create_quote,
                    self.document,
                    actor=self.user,
                    customer_id=self.customer.id,
                )
        except UserFacingError as exc:
            QMessageBox.warning(self, _("Not saved"), error_message(exc))
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
