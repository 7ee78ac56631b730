"""The Customers page: the customer list (searched and sorted in SQL, loaded lazily) and a
form to create or edit a customer, its contacts, archive, delete and CSV import."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from PySide6.QtCore import QCollatorSortKey, QEvent, QItemSelection, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quote_builder.errors import UserFacingError
from quote_builder.pricing.playbook import ProductCategory
from quote_builder.safe_files import FileReadError, read_limited
from quote_builder.services import customers as customer_service
from quote_builder.services import quotes as quote_service
from quote_builder.services import transfer
from quote_builder.services.core import Changes, ConflictError, InvalidInputError, NotFoundError
from quote_builder.services.workspace import Workspace
from quote_builder.store.models import CustomerCreate, CustomerPublic

from . import colours, geometry, locale_format, service_words
from . import shortcuts as keys
from .countries import CountryBox, LanguageBox, collation_key, shown_country
from .elided_label import ElidedLabel
from .i18n import N_, _, error_message, error_text, ngettext, problem_texts
from .labels import label as enum_label
from .locale_numbers import field_text, problem, stored_text
from .number_fields import NUMBER_ALIGNMENT, align_number
from .pages import Page
from .service_words import unprintable_text
from .shortcuts import clear_on_escape
from .table_model import Column, ServiceTableModel, make_table_view, set_column_widths

if TYPE_CHECKING:
    from .main_window import MainWindow

SEARCH_DELAY_MS = 120
"""Typing restarts this timer; the query runs once the typing pauses this long."""

CATEGORY_LABELS = {
    ProductCategory.CODING_INDIVIDUAL: N_("Coding assistant (individual)"),
    ProductCategory.CODING_TEAM: N_("Coding assistant (team)"),
    ProductCategory.CUSTOMER_SUPPORT: N_("Customer support"),
    ProductCategory.DOCUMENT_PROCESSING: N_("Document processing"),
    ProductCategory.SALES_INTELLIGENCE: N_("Sales intelligence"),
    ProductCategory.LEGAL_REVIEW: N_("Legal review"),
    ProductCategory.RECRUITING: N_("Recruiting"),
    ProductCategory.ANALYTICS_COPILOT: N_("Analytics copilot"),
    ProductCategory.CONTENT_GENERATION: N_("Content generation"),
}


def category_label(code: str | None) -> str:
    if not code:
        return ""
    try:
        category = ProductCategory(code)
    except ValueError:
        return code
    return _(CATEGORY_LABELS[category]) if category in CATEGORY_LABELS else code


def _local(customer: CustomerPublic) -> str:
    when = locale_format.moment(customer.updated_at)
    return (
        _("{when} by {who}").format(when=when, who=customer.updated_by)
        if customer.updated_by
        else when
    )


CONTRACT_KINDS = {
    "new": N_("New business"),
    "renewal": N_("Renewal"),
    "expansion": N_("Expansion"),
    "amendment": N_("Amendment"),
}
"""A contract's kind (``services.contracts.KIND_WORDS``)."""

CUSTOMER_COLUMNS = [
    Column(
        N_("Name"),
        lambda c: _("{name} (archived)").format(name=c.name) if c.archived else c.name,
        "name",
        raw=lambda c: c.name,
        tooltip=lambda c: c.legal_name or None,
    ),
    Column(N_("Country"), lambda c: shown_country(c.country), "country", raw=lambda c: c.country),
    Column(N_("Currency"), lambda c: c.currency, "currency"),
    Column(N_("Category"), lambda c: category_label(c.product_category), "product_category"),
    Column(
        N_("CRM id"),
        lambda c: c.crm_id,
        None,
        header_tip=N_("The customer's id in your CRM (HubSpot, Salesforce); imports match on it."),
    ),
    Column(N_("Last change"), _local, "updated_at", raw=lambda c: c.updated_at),
]


def _country_key(name: str) -> QCollatorSortKey:
    """Where a stored country goes when the list is sorted by country: by the name the
    Country column shows ("Deutschland", "Österreich") in the interface's collation."""
    return collation_key()(shown_country(name))


def customer_model(workspace: Workspace) -> ServiceTableModel:
    """The customer list by name; archived customers appear once asked for. Sorted by
    country (or category), the stored countries (the categories) are put in the order of
    the names shown here, in the window's process: the database process does not know
    the interface's language."""
    search = workspace.page_function(customer_service.search_customers)
    countries = workspace.page_function(customer_service.stored_countries)

    def fetch(text: str, **kwargs: Any) -> Any:
        if kwargs.get("sort") == "country":
            kwargs["country_order"] = sorted(countries(), key=_country_key)
        elif kwargs.get("sort") == "product_category":
            key = collation_key()
            kwargs["category_order"] = sorted(
                (category.value for category in ProductCategory),
                key=lambda code: key(category_label(code)),
            )
        return search(text, **kwargs)

    return ServiceTableModel(CUSTOMER_COLUMNS, fetch, row_id=lambda c: c.id)


def _reason_part(problem: str) -> str:
    """The reason of a "Field: reason" problem, for the label under the field (a French
    colon has a space before it)."""
    return problem.split(":", 1)[-1].strip()


class _ReasonLabel(ElidedLabel):
    """A field's problem under it, on one line whose room is kept while there is none: a
    reason coming or going never moves the fields below (the next click would land on
    another field). A reason longer than the form is wide ends in "…"; the whole reason
    is its text and its tooltip."""

    def __init__(self) -> None:
        super().__init__()
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self._fit_height()

    def _fit_height(self) -> None:
        self.setFixedHeight(self.fontMetrics().height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    tip: str
    kind: str = "text"  # text, notes, category, number, country
    placeholder: str = ""


COMPANY_FIELDS = [
    FieldSpec("name", N_("Name"), N_("How the customer is called in lists and on the proposal.")),
    FieldSpec(
        "legal_name",
        N_("Legal name"),
        N_(
            "The registered company name that signs the contract, e.g. 'Northwind Traders Ltd'. "
            "Leave empty to use the name."
        ),
    ),
    FieldSpec(
        "country",
        N_("Country"),
        N_("Where the customer is based (type to search the list); shown on the contract."),
        kind="country",
    ),
    FieldSpec(
        "region",
        N_("Region"),
        N_(
            "State or province code where the tax rate depends on it: required in Canada "
            "(ON, QC, BC ...), useful in the United States (NY, CA ...)."
        ),
        placeholder=N_("e.g. ON"),
    ),
    FieldSpec(
        "tax_id",
        N_("Tax ID"),
        N_(
            "The customer's VAT ID or other tax ID (DE123456789, an ABN, a GSTIN ...). An EU "
            "business customer with a VAT ID in another member state than yours gets the "
            "reverse charge; its form is checked against the country."
        ),
        placeholder=N_("e.g. DE123456789"),
    ),
    FieldSpec(
        "language",
        N_("Document language"),
        N_(
            "The language of this customer's proposals and order forms. 'From the country' "
            "follows the country (German for Germany, Austria, Switzerland; French, Spanish, "
            "Japanese likewise; English elsewhere); a quote can still choose another."
        ),
        kind="language",
    ),
    FieldSpec(
        "currency",
        N_("Currency"),
        N_("The ISO 4217 code new quotes for this customer are priced in: USD, EUR, GBP, JPY…"),
        placeholder="USD",
    ),
    FieldSpec(
        "product_category",
        N_("Product category"),
        N_(
            "The AI product category the customer buys. The advisor uses it to recommend a "
            "pricing model and a typical contract value range."
        ),
        kind="category",
    ),
    FieldSpec(
        "billing_email",
        N_("Billing email"),
        N_("Where invoices go, e.g. ap@customer.com."),
        placeholder=N_("ap@customer.com"),
    ),
    FieldSpec(
        "billing_address",
        N_("Billing address"),
        N_(
            "The postal address invoices and the order form's notices go to, on one line, "
            "e.g. '1 Harbour Way, Leeds LS1 4AB, United Kingdom'."
        ),
    ),
    FieldSpec(
        "crm_id",
        N_("CRM id"),
        N_(
            "The customer's record id in your CRM (HubSpot, Salesforce). A CSV import updates "
            "the customer with the same CRM id instead of creating a second one."
        ),
    ),
]
PROFILE_FIELDS = [
    FieldSpec(
        "seats",
        N_("Seats"),
        N_("How many people will use the product. Used for seat-based models and usage forecasts."),
        kind="number",
        placeholder=N_("e.g. 250"),
    ),
    FieldSpec(
        "actions_per_user_per_day",
        N_("Actions per user per day"),
        N_(
            "How many AI actions (queries, generations, reviews) one user runs on a typical day; "
            "with the seats this gives the monthly usage."
        ),
        kind="number",
        placeholder=N_("e.g. 50"),
    ),
    FieldSpec(
        "outcomes_per_month",
        N_("Outcomes per month"),
        N_(
            "Completed results the customer pays for under outcome pricing, e.g. tickets "
            "resolved or contracts reviewed each month."
        ),
        kind="number",
        placeholder=N_("e.g. 4000"),
    ),
    FieldSpec(
        "minutes_saved_per_task",
        N_("Minutes saved per task"),
        N_(
            "How long a person would take to do one task by hand. Value per task = minutes "
            "saved × loaded hourly rate ÷ 60 (15 min at $75/h = $18.75)."
        ),
        kind="number",
        placeholder=N_("e.g. 15"),
    ),
    FieldSpec(
        "loaded_hourly_rate",
        N_("Loaded hourly rate"),
        N_(
            "What an hour of the customer's staff costs, salary plus benefits and overhead, in "
            "the customer's currency. Used for the value anchors."
        ),
        kind="number",
        placeholder=N_("e.g. 75"),
    ),
]
PRINTED_FIELDS = {
    "name": "customer.name",
    "legal_name": "customer.legal_name",
    "billing_address": "customer.billing_address",
}
"""The customer's fields the order form prints, by the customer view's names."""

ALL_FIELDS = [*COMPANY_FIELDS, *PROFILE_FIELDS, FieldSpec("notes", N_("Notes"), "", kind="notes")]


class ImportResultDialog(QDialog):
    """The outcome of a CSV import: the problems line by line, or what was imported."""

    def __init__(self, parent: QWidget, title: str, heading: str, lines: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("import-result")
        self.heading = QLabel(heading)
        self.heading.setWordWrap(True)
        self.details = QPlainTextEdit("\n".join(lines))
        self.details.setReadOnly(True)
        self.details.setVisible(bool(lines))
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(640, 360 if lines else 140)


class CustomerForm(QWidget):
    """Every field of ``CustomerCreate``; invalid fields show their reason below them."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, QLineEdit | QComboBox | QPlainTextEdit] = {}
        self.errors: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for title, specs in ((_("Company"), COMPANY_FIELDS), (_("Usage profile"), PROFILE_FIELDS)):
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            # Narrow (a laptop's window, the list beside it): a label goes above its field
            # rather than the form scrolling sideways.
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            for spec in specs:
                form.addRow(self._label(spec), self._field(spec))
            layout.addWidget(box)
        country, language = self.inputs["country"], self.inputs["language"]
        assert isinstance(country, CountryBox) and isinstance(language, LanguageBox)
        country.currentTextChanged.connect(lambda _text: language.follow(country.country()))
        notes_box = QGroupBox(_("Notes"))
        notes_layout = QVBoxLayout(notes_box)
        notes = QPlainTextEdit()
        notes.setObjectName("field-notes")
        notes.setPlaceholderText(_("Anything the deal desk should know about this customer."))
        notes.setFixedHeight(72)
        notes.setTabChangesFocus(True)
        self.inputs["notes"] = notes
        notes_layout.addWidget(notes)
        notes_layout.addWidget(self._error_label("notes"))
        layout.addWidget(notes_box)
        from .wheel_guard import guard_wheel

        guard_wheel(self)  # scrolling the form never picks another country or category

    def show_examples(self, shown: bool) -> None:
        """The fields' placeholder examples ("ap@customer.com", "e.g. 250") only while a
        customer is being edited or created: on a disabled form, or with no customer
        chosen, grey text in an empty field reads as the customer's data."""
        if not hasattr(self, "_examples"):
            found: list[QLineEdit | QPlainTextEdit] = [
                *self.findChildren(QLineEdit),
                *self.findChildren(QPlainTextEdit),
            ]
            self._examples = {w: w.placeholderText() for w in found if w.placeholderText()}
        for widget, example in self._examples.items():
            widget.setPlaceholderText(example if shown else "")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            for widget in self.inputs.values():
                if isinstance(widget, QLineEdit):
                    widget.setMinimumHeight(0)
                    widget.setMaximumHeight(16777215)
                    widget.setFixedHeight(widget.sizeHint().height())

    def _label(self, spec: FieldSpec) -> QLabel:
        label = QLabel(_(spec.label) + ("" if spec.name != "name" else " *"))
        label.setToolTip(_(spec.tip))
        return label

    def _error_label(self, name: str) -> QLabel:
        label = _ReasonLabel()
        label.setObjectName(f"error-{name}")
        label.setStyleSheet(colours.text_style("error"))
        label.hide()
        self.errors[name] = label
        return label

    def _field(self, spec: FieldSpec) -> QWidget:
        widget: QLineEdit | QComboBox
        if spec.kind == "country":
            widget = CountryBox()
        elif spec.kind == "language":
            widget = LanguageBox(_("From the country"))
        elif spec.kind == "category":
            widget = QComboBox()
            widget.addItem(_("Not set"), None)
            for category in ProductCategory:
                widget.addItem(category_label(category.value), category.value)
        else:
            widget = QLineEdit()
            widget.setPlaceholderText(_(spec.placeholder))
            if spec.kind == "number":
                align_number(widget)
        widget.setObjectName(f"field-{spec.name}")
        widget.setToolTip(_(spec.tip))
        if isinstance(widget, QLineEdit):
            # The red border of a field with a problem is wider than the native frame:
            # at a fixed height the field below does not move when it comes or goes.
            widget.setFixedHeight(widget.sizeHint().height())
        self.inputs[spec.name] = widget
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(self._error_label(spec.name))
        return holder

    # --- values -------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The form as service input: text as typed (numbers stay strings, so a Decimal is
        built from the text, never from a float); empty optional numbers are None."""
        result: dict[str, Any] = {}
        for name, widget in self.inputs.items():
            if isinstance(widget, CountryBox):
                result[name] = widget.country()
            elif isinstance(widget, QComboBox):
                result[name] = widget.currentData()
            elif isinstance(widget, QPlainTextEdit):
                result[name] = widget.toPlainText()
            else:
                text = widget.text().strip()
                if name == "currency":
                    text = text.upper()
                result[name] = text
        for spec in PROFILE_FIELDS:
            # Numbers as the interface's locale writes them (1,200 or 1.200 in de_DE).
            result[spec.name] = stored_text(result[spec.name])
        return result

    def entry_problems(self) -> dict[str, str]:
        """field -> why what is typed cannot be kept: a number the locale does not write
        that way, a country not on the list."""
        found: dict[str, str] = {}
        for spec in PROFILE_FIELDS:
            widget = self.inputs[spec.name]
            assert isinstance(widget, QLineEdit)
            why = problem(widget.text(), what=_(spec.label))
            if why:
                found[spec.name] = why + "."
        country = self.inputs["country"]
        assert isinstance(country, CountryBox)
        if country.problem():
            found["country"] = _("Pick a country from the list ({country!r} is not one).").format(
                country=country.country()
            )
        return found

    def set_values(self, customer: CustomerPublic | None, *, creating: bool = True) -> None:
        """The form filled from ``customer``; with none, empty (``creating``: a new
        customer's, whose currency starts as USD; with nothing selected not even that, so
        the greyed-out form holds nothing that reads as a customer's data)."""
        for name, widget in self.inputs.items():
            value = getattr(customer, name) if customer is not None else None
            if name == "currency" and customer is None and creating:
                value = "USD"
            if isinstance(widget, CountryBox):
                widget.set_country("" if value is None else str(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText("" if value is None else str(value))
            else:
                widget.setText("" if value is None else _plain(value))
        self.show_problems({})

    def problems(self) -> dict[str, str]:
        """field -> reason, from the same model the service validates with (and the entries
        that cannot be read at all, in the locale's words)."""
        found = self.entry_problems()
        values = {k: v for k, v in self.values().items() if k not in found}
        try:
            CustomerCreate.model_validate(values)
        except ValidationError as exc:
            for err in exc.errors():
                name = str(err["loc"][0]) if err["loc"] else "name"
                if err["type"] == "string_too_long":
                    # A pasted page, not a name: say how long it is (the field is not cut).
                    found.setdefault(
                        name,
                        _("At most {limit} characters; this has {count}.").format(
                            limit=err.get("ctx", {}).get("max_length", ""),
                            count=len(str(err["input"])),
                        ),
                    )
                    continue
                message = err["msg"].removeprefix("Value error, ")
                found.setdefault(name, _plain_reason(name, message))
        # Text the PDF prints: a character its fonts cannot draw is refused here, with the
        # documents' own sentence, not first on the Preview tab (one rule: the render's).
        for name, path in PRINTED_FIELDS.items():
            widget = self.inputs[name]
            assert isinstance(widget, QLineEdit)
            why = unprintable_text(path, widget.text())
            if why and name not in found:
                found[name] = why
        from quote_builder.services.tax import region_problems, tax_id_problems

        given = self.values()
        for field, sentences in (
            ("tax_id", tax_id_problems(given["country"], given["tax_id"], field="Tax ID")),
            ("region", region_problems(given["country"], given["region"])),
        ):
            if sentences and field not in found:
                found[field] = _reason_part(service_words.text(sentences[0]))
        return found

    def show_problems(self, problems: dict[str, str]) -> None:
        for name, label in self.errors.items():
            reason = problems.get(name, "")
            label.setText(reason)
            label.setToolTip(reason)
            label.setVisible(bool(reason))
            self.inputs[name].setStyleSheet(
                f"border: 2px solid {colours.colour('error')}; border-radius: 3px;"
                if reason
                else ""
            )
        for box in self.findChildren(QGroupBox):
            layout = box.layout()
            if layout is not None:
                layout.invalidate()  # QFormLayout keeps row heights until told
        own = self.layout()
        if own is not None:
            own.invalidate()


def _plain(value: Any) -> str:
    """A field's text for a value: numbers as the interface's locale writes them."""
    from decimal import Decimal

    return field_text(value) if isinstance(value, Decimal) else str(value)


def _plain_reason(name: str, message: str) -> str:
    """Pydantic's wording as a sentence a rep understands."""
    if name == "name" and "at least 1 character" in message:
        return _("A customer needs a name.")
    if "valid integer" in message:
        return _("Enter a whole number, e.g. 250.")
    if "at least 3 characters" in message or "at most 3 characters" in message:
        return _("Use a three-letter ISO 4217 code such as USD, EUR or GBP.")
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _problems_by_field(exc: InvalidInputError) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in exc.problems:
        name, _sep, reason = line.partition(":")
        if name.strip() in {spec.name for spec in ALL_FIELDS}:
            found.setdefault(name.strip(), _plain_reason(name.strip(), reason.strip()))
    return found


class CustomersPage(Page):
    """The customer list on the left, the selected customer's form and contacts on the right.

    Private state: ``_current`` is the customer as last read from the database (None while
    creating a new one or with nothing selected); ``_creating`` is True while the form holds
    a new, unsaved customer; ``_filling`` is True while the form is being filled from the
    database, so those edits don't count as the user's; ``_dirty`` says the form differs
    from ``_current``."""

    def __init__(self, workspace: Workspace, window: MainWindow | None) -> None:
        super().__init__()
        self.workspace = workspace
        self.window_ = window
        self._current: CustomerPublic | None = None
        self._creating = False
        self._filling = False
        self._dirty = False
        self._contact_ids: list[int] = []  # the contacts table's rows, by contact id
        self.import_dialog: ImportResultDialog | None = None
        self.model = customer_model(workspace)
        self.setup_list()
        self.setup_detail()
        splitter = QSplitter()
        splitter.addWidget(self.list_panel)
        splitter.addWidget(self.detail_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        title = QLabel(_("Customers"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        layout.addWidget(splitter, 1)
        self.show_customer(None)

    # --- building ---------------------------------------------------------------------------

    def setup_list(self) -> None:
        self.search = QLineEdit()
        self.search.setObjectName("customer-search")
        self.search.setPlaceholderText(_("Search by name or CRM id (Ctrl+F)"))
        clear_on_escape(self.search)
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(_("Shows the customers whose name or CRM id contains this text."))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_search)
        self.show_archived = QCheckBox(_("Show archived"))
        self.show_archived.setToolTip(
            _("Archived customers are hidden from lists and pickers but keep their quotes.")
        )
        self.show_archived.toggled.connect(
            lambda on: self.model.set_filters(include_archived=True if on else None)
        )
        self.new_button = QPushButton(_("New customer"))
        self.new_button.setToolTip(_("Clear the form to enter a new customer."))
        self.new_button.clicked.connect(self.new_item)
        self.import_button = QPushButton(_("Import customers…"))
        self.import_button.setToolTip(
            _(
                "Create or update customers from a CSV file (our columns, or a HubSpot or "
                "Salesforce export). One bad row rejects the whole file, with the reason by line."
            )
        )
        self.import_button.clicked.connect(lambda: self.import_csv("customers"))
        self.import_contacts_button = QPushButton(_("Import contacts…"))
        self.import_contacts_button.setToolTip(
            _("Add contacts from a CSV file; each row names its customer or the customer's CRM id.")
        )
        self.import_contacts_button.clicked.connect(lambda: self.import_csv("contacts"))

        self.view = make_table_view(self.model, object_name="customer-list")
        set_column_widths(self.view, (190, 110, 70, 160, 80))
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.count_label = QLabel()
        self.model.reloaded.connect(self._update_count)
        self.model.load_failed.connect(self._load_failed)

        self.list_panel = QWidget()
        panel = QVBoxLayout(self.list_panel)
        panel.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_archived)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.import_contacts_button)
        panel.addLayout(top)
        panel.addLayout(buttons)
        panel.addWidget(self.view, 1)
        panel.addWidget(self.count_label)
        self._update_count()

    def setup_detail(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("customer-heading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        # Wrapped: an unwrapped label asks for its whole text's width, and a long name
        # widened the window past the screen.
        self.heading.setWordWrap(True)
        self.stamp = QLabel()
        self.stamp.setObjectName("customer-stamp")
        self.stamp.setWordWrap(True)

        self.banner = QFrame()
        self.banner.setObjectName("customer-banner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setStyleSheet(
            "#customer-banner { background: #fef2f2; border: 1px solid #fca5a5; border-radius: 4px; }"
            "#customer-banner QLabel { color: #7f1d1d; }"
        )
        self.banner_text = QLabel()
        self.banner_text.setObjectName("customer-banner-text")
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reload_button = QPushButton(_("Reload"))
        self.reload_button.setToolTip(
            _("Read the customer again from the database; your unsaved edits are discarded.")
        )
        self.reload_button.clicked.connect(self.reload_current)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.reload_button, 0, Qt.AlignmentFlag.AlignTop)
        self.banner.hide()

        self.form = CustomerForm()
        for widget in self.form.inputs.values():
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(self._edited)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._edited)
                line = widget.lineEdit()
                if line is not None:  # the country: typed to search
                    line.textEdited.connect(self._edited)
            else:
                widget.textChanged.connect(self._edited)

        self.contacts_box = QGroupBox(_("Contacts"))
        self.contacts = QTableWidget(0, 4)
        self.contacts.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.contacts.setObjectName("contacts")
        self.contacts.setHorizontalHeaderLabels([_("Name"), _("Title"), _("Email"), _("Phone")])
        self.contacts.verticalHeader().setVisible(False)
        self.contacts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.contacts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.contacts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.contacts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.contacts.setMinimumHeight(110)
        self.contacts.setWordWrap(False)
        self.contact_inputs: dict[str, QLineEdit] = {}
        new_contact = QHBoxLayout()
        for name, placeholder in (
            ("name", _("Name")),
            ("title", _("Title")),
            ("email", _("Email")),
            ("phone", _("Phone")),
        ):
            edit = QLineEdit()
            edit.setObjectName(f"contact-{name}")
            edit.setPlaceholderText(placeholder)
            edit.returnPressed.connect(self.add_contact)
            self.contact_inputs[name] = edit
            new_contact.addWidget(edit)
        self.add_contact_button = QPushButton(_("Add contact"))
        self.add_contact_button.setToolTip(_("Add the person typed on the left to this customer."))
        self.add_contact_button.clicked.connect(self.add_contact)
        self.delete_contact_button = QPushButton(_("Delete contact"))
        self.delete_contact_button.clicked.connect(self.delete_contact)
        new_contact.addWidget(self.add_contact_button)
        contacts_layout = QVBoxLayout(self.contacts_box)
        signs = QLabel(
            _(
                "The first contact signs the order form for the customer (Finalise needs one, "
                "and a Billing address)."
            )
        )
        signs.setObjectName("contacts-signatory-note")
        signs.setWordWrap(True)
        contacts_layout.addWidget(signs)
        contacts_layout.addWidget(self.contacts)
        contacts_layout.addLayout(new_contact)
        contacts_layout.addWidget(self.delete_contact_button, 0, Qt.AlignmentFlag.AlignRight)

        # The customer's contracts (accepted quotes): start, end, current ACV, renewal.
        self.contracts_box = QGroupBox(_("Contracts"))
        self.contracts = QTableWidget(0, 6)
        self.contracts.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.contracts.setObjectName("contracts")
        self.contracts.setHorizontalHeaderLabels(
            [_("Quote"), _("Kind"), _("Start"), _("End"), _("Current ACV"), _("Renews")]
        )
        self.contracts.verticalHeader().setVisible(False)
        self.contracts.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.contracts.horizontalHeader().setStretchLastSection(True)
        self.contracts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.contracts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.contracts.setMinimumHeight(90)
        self.contracts.setToolTip(_("Accepted quotes; double-click one to open it"))
        self.contracts.cellDoubleClicked.connect(self._open_contract)
        self._contract_ids: list[int] = []
        QVBoxLayout(self.contracts_box).addWidget(self.contracts)

        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 6, 0)
        inner_layout.addWidget(self.form)
        inner_layout.addWidget(self.contracts_box)
        inner_layout.addWidget(self.contacts_box)
        inner_layout.addWidget(self._quotes_box())
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop nobody sees
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        # Never narrower than the form can be (its labels go above the fields first): the
        # list beside it gives up the width instead.
        scroll.setMinimumWidth(
            inner.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
        )
        self.detail_scroll = scroll

        self.save_button = QPushButton(_("Save"))
        self.save_button.setObjectName("customer-save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        keys.shortcut(self, "customers.save", self.save)
        self.discard_button = QPushButton(_("Discard changes"))
        self.discard_button.clicked.connect(self.discard_changes)
        self.archive_button = QPushButton(_("Archive"))
        self.archive_button.clicked.connect(self.toggle_archived)
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.setToolTip(
            _(
                "Delete the customer and its contacts. Customers with quotes cannot be deleted; "
                "archive them instead."
            )
        )
        self.delete_button.clicked.connect(self.delete_customer)
        actions = QHBoxLayout()
        actions.addWidget(self.delete_button)
        actions.addWidget(self.archive_button)
        actions.addStretch(1)
        actions.addWidget(self.discard_button)
        actions.addWidget(self.save_button)

        self.detail_panel = QWidget()
        detail = QVBoxLayout(self.detail_panel)
        detail.setContentsMargins(6, 0, 0, 0)
        detail.addWidget(self.heading)
        detail.addWidget(self.stamp)
        detail.addWidget(self.banner)
        detail.addWidget(scroll, 1)
        detail.addLayout(actions)

    # --- Page -------------------------------------------------------------------------------

    def refresh(self, changes: Changes) -> None:
        """Re-query the list when customers changed; re-read the open customer when it
        changed and the form holds no edits of the user's."""
        if changes.elsewhere:
            # Another process wrote: the list, and the open customer unless it holds edits.
            selected = self._current.id if self._current is not None else None
            self.model.reload()
            if selected is not None:
                self._select_quietly(selected)
                if not self._dirty:
                    self.reload_current()
            return
        if changes.quotes and self._current is not None:
            self._load_quotes()  # a quote of this customer made, saved or sent
        if changes.quotes and not changes.customers:
            self._load_contracts()  # a quote accepted, renewed or changed
            return
        if not changes.customers:
            return
        selected = self._current.id if self._current is not None else None
        self.model.reload()
        if selected is not None:
            self._select_quietly(selected)
            if selected in changes.customers and not self._dirty:
                self.reload_current()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def new_item(self) -> None:
        if not self._may_discard():
            return
        self.view.clearSelection()
        self.show_customer(None, creating=True)
        self._to_the_top()

    def _to_the_top(self) -> None:
        """A new customer's form from its top, the Name field focused: the pane may have
        been scrolled down on the customer shown before."""
        name = self.form.inputs["name"]
        name.setFocus()
        bar = self.detail_scroll.verticalScrollBar()
        bar.setValue(bar.minimum())
        # Once more after the layout settles (focusing can scroll to the field that had it).
        QTimer.singleShot(0, lambda: bar.setValue(bar.minimum()))

    def can_close(self) -> bool:
        return self._may_discard()

    # --- list ---------------------------------------------------------------------------------

    def _apply_search(self) -> None:
        self._search_timer.stop()
        self.model.set_search(self.search.text())
        if self.model.total == 0 and self.search.text().strip():
            self._no_match()
        elif self._current is None and not (self._dirty or self._creating):
            # Customers match again: the pane no longer says that nobody does ("No
            # customer matches “MUEL”" stayed beside Müller Logistik found by "mül").
            self.show_customer(None)

    def _no_match(self) -> None:
        """The search found nobody: the detail pane no longer shows a customer the list
        does not (unless the rep has unsaved edits in it: those are kept, and saved or
        discarded as usual)."""
        if self._dirty or self._creating:
            return
        if self._current is not None:
            self.show_customer(None)
        self.heading.setText(
            _("No customer matches “{search}”").format(search=self.search.text().strip())
        )
        self.stamp.setText(_("Change the search, or press New customer."))

    def _load_failed(self, message: str) -> None:
        self.count_label.setText(
            _("The customers could not be loaded: {message}").format(message=message)
        )
        self.count_label.setWordWrap(True)

    def _update_count(self) -> None:
        if self.model.error:
            # The load failed: its sentence, never "No customers yet" (said of a database
            # whose customers could not be read, with demo data offered).
            self._load_failed(self.model.error)
            return
        total = self.model.total
        if total == 0 and not self.search.text().strip():
            # What a first-time user does here.
            self.count_label.setText(
                _(
                    "No customers yet: New customer adds one (or the guided flow, New quote…, "
                    "creates one as it goes); Import customers… reads a CRM export; the Quotes "
                    "page offers demo data."
                )
            )
            self.count_label.setWordWrap(True)
            return
        self.count_label.setText(
            ngettext("{count} customer", "{count} customers", total).format(
                count=locale_format.number(total)
            )
        )

    def _select_quietly(self, customer_id: int) -> None:
        row = self.model.row_of(customer_id)
        blocker = self.view.selectionModel().blockSignals(True)
        try:
            if row is None:
                self.view.clearSelection()
            else:
                self.view.selectRow(row)
        finally:
            self.view.selectionModel().blockSignals(blocker)
        self.view.viewport().update()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.view.selectionModel().selectedRows()
        customer_id = self.model.id_at(rows[0].row()) if rows else None
        current_id = self._current.id if self._current is not None else None
        if customer_id is None or customer_id == current_id:
            return
        if not self._may_discard():
            if current_id is not None:
                self._select_quietly(current_id)
            else:
                self.view.selectionModel().blockSignals(True)
                self.view.clearSelection()
                self.view.selectionModel().blockSignals(False)
            return
        self.open_customer(customer_id)

    def select_customer(self, customer_id: int) -> bool:
        """Select ``customer_id`` in the list (if loaded) and show it in the form."""
        row = self.model.row_of(customer_id)
        if row is not None:
            self.view.selectRow(row)
        else:
            self.open_customer(customer_id)
        return row is not None

    def focus_missing(self, gaps: tuple[str, ...]) -> None:
        """Put the cursor where the order form's missing details are typed (Finalise sent
        the rep here): the Billing address, else the new contact's name."""
        if "billing_address" in gaps:
            widget: QWidget = self.form.inputs["billing_address"]
        else:
            widget = self.contact_inputs["name"]
        geometry.focus_in_view(widget)

    # --- the form -----------------------------------------------------------------------------

    def open_customer(self, customer_id: int) -> None:
        try:
            customer = self.workspace.run(customer_service.get_customer, customer_id)
        except UserFacingError as exc:
            self.show_banner(error_message(exc))
            return
        self.show_customer(customer)

    def show_customer(self, customer: CustomerPublic | None, *, creating: bool = False) -> None:
        self._current = customer
        self._creating = creating
        self._filling = True
        try:
            self.form.set_values(customer, creating=creating)
        finally:
            self._filling = False
        self._dirty = False
        self.hide_banner()
        self._load_contacts()
        self._load_contracts()
        self._load_quotes()
        self._update_detail()

    def _update_detail(self) -> None:
        customer = self._current
        editing = customer is not None or self._creating
        self.form.setEnabled(editing)
        self.form.show_examples(editing)
        if customer is not None:
            self.heading.setText(
                _("{name} (archived)").format(name=customer.name)
                if customer.archived
                else customer.name
            )
            self.stamp.setText(
                _("Last changed {when} by {who} · version {version}").format(
                    when=locale_format.moment(customer.updated_at),
                    who=customer.updated_by or _("someone"),
                    version=customer.version_id,
                )
            )
        elif self._creating:
            self.heading.setText(_("New customer"))
            self.stamp.setText(_("Fill in at least the name, then Save."))
        else:
            self.heading.setText(_("No customer selected"))
            self.stamp.setText(_("Pick a customer on the left, or press New customer."))
        self.contacts_box.setEnabled(customer is not None)
        self.archive_button.setEnabled(customer is not None)
        self.archive_button.setText(
            _("Restore") if customer is not None and customer.archived else _("Archive")
        )
        self.archive_button.setToolTip(
            _("Bring the customer back into lists and pickers.")
            if customer is not None and customer.archived
            else _("Hide the customer from lists and pickers; its quotes stay.")
        )
        self.delete_button.setEnabled(customer is not None)
        self._validate()

    def _edited(self, *_args: Any) -> None:
        if self._filling:
            return
        self._dirty = True
        self._validate()

    def _validate(self) -> dict[str, str]:
        editing = self._current is not None or self._creating
        problems = self.form.problems() if editing else {}
        # Only shout about fields once the user has touched the form.
        self.form.show_problems(problems if self._dirty else {})
        self.save_button.setEnabled(editing and self._dirty and not problems)
        self.save_button.setToolTip(
            _("Fix the fields marked in red first.")
            if problems and self._dirty
            else _("Save (Ctrl+S)")
        )
        self.discard_button.setEnabled(self._dirty)
        return problems

    def _may_discard(self) -> bool:
        if not self._dirty:
            return True
        name = self._current.name if self._current is not None else _("the new customer")
        answer = QMessageBox.question(
            self,
            _("Unsaved changes"),
            _("Your changes to {name} are not saved. Discard them?").format(name=name),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Discard:
            self._dirty = False
            return True
        return False

    def discard_changes(self) -> None:
        self.show_customer(self._current, creating=self._creating)

    def reload_current(self) -> None:
        """Read the open customer again (after a conflict: see the other person's edits)."""
        if self._current is None or self._current.id is None:
            self.show_customer(None, creating=self._creating)
            return
        self.open_customer(self._current.id)

    def show_banner(self, text: str, *, offer_reload: bool = False) -> None:
        self.banner_text.setText(text)
        self.reload_button.setVisible(offer_reload)
        self.banner.show()

    def hide_banner(self) -> None:
        self.banner.hide()
        self.banner_text.clear()

    def _emit(self, changes: Changes) -> None:
        if self.window_ is not None:
            self.window_.changed.emit(changes)
        else:
            self.refresh(changes)

    def save(self) -> None:
        if self._validate() or not self._dirty:
            return
        values = self.form.values()
        run, actor = self.workspace.run, self.workspace.user
        try:
            if self._current is None:
                outcome = run(customer_service.create_customer, values, actor=actor)
            else:
                outcome = run(
                    customer_service.update_customer,
                    self._current.id,
                    values,
                    expected_version=self._current.version_id,
                    actor=actor,
                )
        except ConflictError as exc:
            self.show_banner(
                _(
                    "Not saved: {who} changed this customer at {when} after you opened it. "
                    "Reload to see their changes (yours are discarded), then make your edits again."
                ).format(
                    who=exc.changed_by or _("someone else"),
                    when=locale_format.moment(exc.changed_at),
                ),
                offer_reload=True,
            )
            return
        except InvalidInputError as exc:
            self.form.show_problems(_problems_by_field(exc))
            self.show_banner(_("Not saved:") + "\n" + "\n".join(problem_texts(exc)))
            return
        except NotFoundError:
            self._gone()
            return
        except UserFacingError as exc:
            self.show_banner(_("Not saved: {error}").format(error=error_text(exc)))
            return
        self._dirty = False
        self._current = outcome.value
        self._creating = False
        self._emit(outcome.changes)
        self.show_customer(outcome.value)
        self._select_quietly(outcome.value.id)

    def toggle_archived(self) -> None:
        customer = self._current
        if customer is None or not self._may_discard():
            return
        try:
            outcome = self.workspace.run(
                customer_service.archive_customer,
                customer.id,
                expected_version=customer.version_id,
                actor=self.workspace.user,
                archived=not customer.archived,
            )
        except ConflictError as exc:
            self.show_banner(error_text(exc), offer_reload=True)
            return
        except NotFoundError:
            self._gone()
            return
        except UserFacingError as exc:
            self.show_banner(error_message(exc))
            return
        self._dirty = False
        self._emit(outcome.changes)
        self.show_customer(outcome.value)

    def _gone(self) -> None:
        """The open customer was deleted by someone else (another process, a colleague on
        the shared database) after it was opened: say so; what the user typed stays in the
        form (to copy, or to save as a new customer), and the list drops the customer."""
        name = self._current.name if self._current is not None else ""
        self._current = None
        self._creating = True  # Save now adds what the form holds as a new customer
        self._dirty = True
        self.model.reload()
        self._update_detail()
        self.show_banner(
            _(
                "Not saved: {name} was deleted by someone else after you opened it. What you "
                "typed is still in the form: Save adds it as a new customer, Discard changes "
                "drops it."
            ).format(name=name)
        )

    def delete_customer(self) -> None:
        customer = self._current
        if customer is None:
            return
        # Refused before asking: a customer with quotes is archived, never deleted.
        quotes = self.workspace.run(quote_service.list_quotes, customer_id=customer.id, limit=1)
        if quotes.total:
            QMessageBox.information(
                self,
                _("Customer not deleted"),
                ngettext(
                    "{name} has {count} quote, so it cannot be deleted (the quotes would lose "
                    "their customer). Archive it instead: it leaves the lists and pickers and "
                    "keeps its quotes.",
                    "{name} has {count} quotes, so it cannot be deleted (the quotes would lose "
                    "their customer). Archive it instead: it leaves the lists and pickers and "
                    "keeps its quotes.",
                    quotes.total,
                ).format(name=customer.name, count=quotes.total),
            )
            return
        answer = QMessageBox.question(
            self,
            _("Delete customer"),
            _("Delete {name} and its contacts? This cannot be undone.").format(name=customer.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            outcome = self.workspace.run(
                customer_service.delete_customer, customer.id, actor=self.workspace.user
            )
        except UserFacingError as exc:
            self.show_banner(error_message(exc))
            return
        self._dirty = False
        self.show_customer(None)
        self._emit(outcome.changes)

    # --- the customer's quotes ---------------------------------------------------------------

    def _quotes_box(self) -> QGroupBox:
        """The customer's quotes (sent and accepted ones are its contracts); double-click
        opens one."""
        box = QGroupBox(_("Quotes and contracts"))
        self.quotes = QTableWidget(0, 5)
        self.quotes.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.quotes.setObjectName("customer-quotes")
        self.quotes.setAccessibleName(_("The customer's quotes"))
        self.quotes.setHorizontalHeaderLabels(
            [_("Quote"), _("Title"), _("Status"), "TCV", _("Last change")]
        )
        self.quotes.verticalHeader().setVisible(False)
        tcv = self.quotes.horizontalHeaderItem(3)
        if tcv is not None:
            tcv.setTextAlignment(NUMBER_ALIGNMENT)
        # The title takes the room left; the others show their whole header and cells
        # (all stretched, "Letzte Änderung" was cut to "etzte Änderun").
        header = self.quotes.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.quotes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.quotes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.quotes.setMinimumHeight(110)
        self.quotes.setToolTip(_("Double-click a quote to open it"))
        self.quotes.cellDoubleClicked.connect(self._open_quote)
        self._quote_ids: list[int] = []
        self.quotes_note = QLabel()
        self.quotes_note.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addWidget(self.quotes)
        layout.addWidget(self.quotes_note)
        return box

    def _load_quotes(self) -> None:
        from . import locale_format

        self.quotes.setRowCount(0)
        self._quote_ids = []
        if self._current is None:
            self.quotes_note.setText("")
            return
        try:
            page = self.workspace.run(
                quote_service.list_quotes, customer_id=self._current.id, limit=200
            )
        except UserFacingError as exc:
            self.quotes_note.setText(error_message(exc))
            return
        self.quotes.setRowCount(len(page.rows))
        for row, quote in enumerate(page.rows):
            self._quote_ids.append(quote.id)
            cells = (
                quote.number,
                quote.title,
                enum_label(quote.status),
                locale_format.money(Decimal(quote.tcv.amount), quote.tcv.currency),
                locale_format.day(quote.updated_at),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 3:  # TCV: an amount, right-aligned
                    item.setTextAlignment(NUMBER_ALIGNMENT)
                self.quotes.setItem(row, column, item)
        contracts = sum(1 for q in page.rows if q.status in ("sent", "accepted"))
        self.quotes_note.setText(
            _("No quotes yet: New quote (Ctrl+N) starts one.")
            if not page.rows
            else ngettext(
                "{count} quote, {contracts} sent or accepted (contracts).",
                "{count} quotes, {contracts} sent or accepted (contracts).",
                page.total,
            ).format(count=page.total, contracts=contracts)
        )

    def _open_quote(self, row: int, _column: int) -> None:
        if self.window_ is not None and 0 <= row < len(self._quote_ids):
            self.window_.open_quote(self._quote_ids[row])

    # --- contacts -----------------------------------------------------------------------------

    def _load_contracts(self) -> None:
        from quote_builder.services import contracts as contract_service

        from .quotes_view import format_money

        self.contracts.setRowCount(0)
        self._contract_ids = []
        if self._current is None:
            self.contracts_box.setTitle(_("Contracts"))
            return
        try:
            rows = self.workspace.run(contract_service.customer_contracts, self._current.id)
        except UserFacingError as exc:
            self.show_banner(error_message(exc))
            return
        self.contracts_box.setTitle(
            _("Contracts ({count})").format(count=len(rows)) if rows else _("Contracts (none yet)")
        )
        self.contracts.setRowCount(len(rows))
        for index, contract in enumerate(rows):
            self._contract_ids.append(contract.quote_id)
            kind_words = (
                _(CONTRACT_KINDS[contract.kind])
                if contract.kind in CONTRACT_KINDS
                else contract.kind_words
            )
            kind = (
                _("{kind} of {number}").format(kind=kind_words, number=contract.parent_number)
                if contract.parent_number
                else kind_words
            )
            for column, value in enumerate(
                (
                    contract.number,
                    kind,
                    locale_format.day(contract.start),
                    locale_format.day(contract.end),
                    format_money(contract.current_acv),
                    contract.renews,
                )
            ):
                item = QTableWidgetItem(value)
                if column == 4:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.contracts.setItem(index, column, item)

    def _open_contract(self, row: int, _column: int) -> None:
        if 0 <= row < len(self._contract_ids) and self.window_ is not None:
            self.window_.open_quote(self._contract_ids[row])

    def _load_contacts(self) -> None:
        self.contacts.setRowCount(0)
        self._contact_ids = []
        if self._current is None:
            return
        try:
            contacts = self.workspace.run(customer_service.list_contacts, self._current.id)
        except UserFacingError as exc:
            self.show_banner(error_message(exc))
            return
        self.contacts.setRowCount(len(contacts))
        for row, contact in enumerate(contacts):
            self._contact_ids.append(contact.id)
            for column, value in enumerate(
                (contact.name, contact.title, contact.email, contact.phone)
            ):
                self.contacts.setItem(row, column, QTableWidgetItem(value))

    def add_contact(self) -> None:
        if self._current is None:
            return
        values = {name: edit.text().strip() for name, edit in self.contact_inputs.items()}
        try:
            outcome = self.workspace.run(
                customer_service.add_contact, self._current.id, values, actor=self.workspace.user
            )
        except InvalidInputError as exc:
            self.show_banner(_("The contact was not added:") + "\n" + "\n".join(problem_texts(exc)))
            return
        except UserFacingError as exc:
            self.show_banner(_("The contact was not added: {error}").format(error=error_text(exc)))
            return
        for edit in self.contact_inputs.values():
            edit.clear()
        self.hide_banner()
        self._load_contacts()
        # An open editor of this customer's quote offers the contact as its recipient.
        self._emit(outcome.changes)
        self.contact_inputs["name"].setFocus()

    def delete_contact(self) -> None:
        rows = self.contacts.selectionModel().selectedRows()
        if not rows:
            self.show_banner(_("Select a contact to delete first."))
            return
        row = rows[0].row()
        name_item = self.contacts.item(row, 0)
        name = name_item.text() if name_item is not None else _("this contact")
        answer = QMessageBox.question(
            self,
            _("Delete contact"),
            _("Delete the contact {name}?").format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            outcome = self.workspace.run(
                customer_service.delete_contact, self._contact_ids[row], actor=self.workspace.user
            )
        except UserFacingError as exc:
            self.show_banner(error_message(exc))
            return
        self._load_contacts()
        self._emit(outcome.changes)  # an open editor's recipient list follows

    # --- import -------------------------------------------------------------------------------

    def import_csv(self, kind: str) -> None:
        """Ask for a CSV file and import customers or contacts from it; show the problems
        line by line, or what was imported and which columns were ignored."""
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import customers from CSV")
            if kind == "customers"
            else _("Import contacts from CSV"),
            "",
            _("CSV files (*.csv);;All files (*)"),
        )
        if not path:
            return
        importer = (
            transfer.import_customers_csv if kind == "customers" else transfer.import_contacts_csv
        )
        title = _("Import customers") if kind == "customers" else _("Import contacts")
        try:
            data = read_limited(path, transfer.MAX_IMPORT_BYTES, what="CSV file")
            outcome = self.workspace.run(importer, data, actor=self.workspace.user)
        except FileReadError as exc:
            self._show_import(
                title, _("Nothing was imported: {error}.").format(error=error_text(exc)), []
            )
            return
        except transfer.ImportFailedError as exc:
            self._show_import(
                title,
                _("Nothing was imported from {file}. Fix these lines and import it again:").format(
                    file=Path(path).name
                ),
                [
                    shown
                    for p, shown in zip(exc.problems, problem_texts(exc), strict=True)
                    if p != "Nothing was imported:"
                ],
            )
            return
        except UserFacingError as exc:
            self._show_import(
                title, _("Nothing was imported: {error}").format(error=error_text(exc)), []
            )
            return
        report = outcome.value
        if kind == "customers":
            heading = ngettext(
                "Imported {file}: {created} customer created, {updated} updated.",
                "Imported {file}: {created} customers created, {updated} updated.",
                report.created,
            ).format(file=Path(path).name, created=report.created, updated=report.updated)
        else:
            heading = ngettext(
                "Imported {file}: {created} contact added.",
                "Imported {file}: {created} contacts added.",
                report.created,
            ).format(file=Path(path).name, created=report.created)
        lines = []
        if report.unmapped_columns:
            heading += " " + _("These columns were not recognised and were left out:")
            lines = list(report.unmapped_columns)
        lines += list(report.notes)
        self._show_import(title, heading, lines)
        self._emit(outcome.changes)
        if self._current is not None and self._current.id in outcome.changes.customers:
            self._load_contacts()

    def _show_import(self, title: str, heading: str, lines: list[str]) -> None:
        if self.import_dialog is not None:
            self.import_dialog.close()
        self.import_dialog = ImportResultDialog(self, title, heading, lines)
        self.import_dialog.open()  # window-modal but not blocking: no nested event loop


def create_page(workspace: Workspace, window: MainWindow) -> Page:
    return CustomersPage(workspace, window)
