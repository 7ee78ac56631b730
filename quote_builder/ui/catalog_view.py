"""The Catalog page: the plans a quote can start from; create, edit and retire them.

The plans table is a thin model over ``services.plans.list_plans`` (a catalog has tens of
plans, ordered by name in SQL). Below it the plan editor edits one plan: its fields and its
components through ``ComponentListEditor``. Saves go through ``services.plans`` with the
version the editor loaded, so a plan changed by someone else meanwhile is refused
(ConflictError), never overwritten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from quote_builder.pricing import Component
from quote_builder.pricing.currency import MINOR_UNITS, is_currency
from quote_builder.pricing.playbook import (
    CATEGORY_PROFILES,
    MODEL_PROFILES,
    PricingModel,
)
from quote_builder.services.core import (
    Changes,
    ConflictError,
    InvalidInputError,
    RefusedError,
    ServiceError,
)
from quote_builder.services.plans import (
    create_plan,
    get_plan,
    list_plans,
    plan_components,
    retire_plan,
    update_plan,
)
from quote_builder.services.settings import get_settings
from quote_builder.services.workspace import Workspace
from quote_builder.store.models import PlanPublic

from . import labels, sort_arrows
from . import shortcuts as keys
from .component_editor import (
    ComponentListEditor,
    error_label,
    mark_invalid,
    save_and_revert_buttons,
)
from .countries import collation_key
from .i18n import N_, _, error_message, error_text, ngettext, problem_texts
from .pages import Page
from .reason_words import CURRENCY_CODE_MAX, currency_too_long, too_long, with_limit

if TYPE_CHECKING:
    from .main_window import MainWindow

AnyIndex = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
COMMON_CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "INR")


def model_title(value: str) -> str:
    """The playbook's title of a pricing model, in the interface's language."""
    return labels.model_title(value)


def category_title(value: str | None) -> str:
    return labels.label(value) if value else ""


FIELD_NAMES = {"name": N_("Name"), "currency": N_("Currency"), "components": N_("Components")}
"""The plan form's fields as its labels name them (for the problems shown)."""

PLAN_NAME_MAX = 200
"""A plan's longest name (``store.models.PlanBase.name``)."""


class PlansModel(QAbstractTableModel):
    """The plans of the catalog, read from the service.

    Private state: ``_rows`` holds the plans of the last query, in the service's order (by
    name); ``_include_retired`` and ``_text`` are that query's filters."""

    COLUMNS = (N_("Name"), N_("Pricing model"), N_("Category"), N_("Active"))
    SORT_KEYS = ("name", "pricing_model", "product_category", "active")

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self._workspace = workspace
        self._rows: list[PlanPublic] = []
        self._include_retired = False
        self._text = ""
        self._sort: tuple[str, bool] = ("name", False)
        """(column key, descending) of the last query: sorted in SQL, not in a proxy."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.SORT_KEYS):
            self._sort = (self.SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder)
            self.reload()

    def reload(self, *, include_retired: bool | None = None, text: str | None = None) -> None:
        if include_retired is not None:
            self._include_retired = include_retired
        if text is not None:
            self._text = text
        self.beginResetModel()
        key, descending = self._sort
        column = self.SORT_KEYS.index(key)
        # The name sorts in SQL; a column that shows a label for a stored code (the model,
        # the category, Active or Retired) sorts by the label shown, in the interface's
        # collation, each label's plans by name: the catalog is read whole.
        by_label = column != 0
        rows = self._workspace.run(
            list_plans,
            include_retired=self._include_retired,
            text=self._text,
            sort="name" if by_label else key,  # type: ignore[arg-type]
            descending=False if by_label else descending,
        )
        if by_label:
            collate = collation_key()
            rows = sorted(
                rows, key=lambda plan: collate(self.shown(plan, column)), reverse=descending
            )
        self._rows = rows
        self.endResetModel()

    @staticmethod
    def shown(plan: PlanPublic, column: int) -> str:
        """What ``column`` shows for ``plan``."""
        if column == 0:
            return plan.name
        if column == 1:
            return model_title(plan.pricing_model)
        if column == 2:
            return category_title(plan.product_category)
        return _("Active") if plan.active else _("Retired")

    def plan(self, row: int) -> PlanPublic | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, plan_id: int) -> int:
        for row, plan in enumerate(self._rows):
            if plan.id == plan_id:
                return row
        return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return _(self.COLUMNS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        plan = self.plan(index.row()) if index.isValid() else None
        if plan is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.shown(plan, column) if 0 <= column < len(self.COLUMNS) else None
        if role == Qt.ItemDataRole.ToolTipRole and column == 0 and plan.description:
            return plan.description
        if role == Qt.ItemDataRole.ForegroundRole and not plan.active:
            return QColor("gray")
        if role == ID_ROLE:
            return plan.id
        return None


class PlanEditor(QWidget):
    """The form of one plan: its fields and its components. Save is enabled when the form
    is valid and differs from what was loaded."""

    saved = Signal(object)
    """Emitted with the service's Outcome after a save."""
    dirty_changed = Signal(bool)

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.plan: PlanPublic | None = None
        self._loading = False
        self._dirty = False
        self._loaded: tuple[Any, ...] | None = None
        """The form as loaded (``state``): the form is dirty while it differs."""
        self._problems: dict[str, str] = {}

        self.title = QLabel(_("No plan selected"))
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.name = QLineEdit()
        self.name.setObjectName("plan_name")
        # No maxLength (Qt would cut a pasted name without a word): a longer name is kept,
        # marked with its length, and Save refuses it until it is shortened.
        self.name.setToolTip(
            with_limit(
                _("The plan's name, unique in the catalog; reps pick plans by it."), PLAN_NAME_MAX
            )
        )
        self.pricing_model = QComboBox()
        self.pricing_model.setObjectName("plan_pricing_model")
        self.pricing_model.setToolTip(
            _(
                "The playbook's pricing model the plan follows; it sets the expected gross margin "
                "and net revenue retention ranges."
            )
        )
        for model in MODEL_PROFILES:
            self.pricing_model.addItem(labels.model_title(model.value), model.value)
            self.pricing_model.setItemData(
                self.pricing_model.count() - 1,
                labels.model_structure(model.value),
                Qt.ItemDataRole.ToolTipRole,
            )
        self.category = QComboBox()
        self.category.setObjectName("plan_category")
        self.category.setToolTip(
            _(
                "The AI product category the plan is for (optional); the advisor suggests plans "
                "of the quote's category."
            )
        )
        self.category.addItem(_("No category"), None)
        for category in CATEGORY_PROFILES:
            self.category.addItem(labels.label(category.value), category.value)
        self.currency = QComboBox()
        self.currency.setObjectName("plan_currency")
        self.currency.setEditable(True)
        self.currency.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.currency.setToolTip(
            with_limit(
                _("The ISO 4217 currency of the plan's prices, e.g. USD or EUR."),
                CURRENCY_CODE_MAX,
            )
        )
        self.currency.addItems(
            [*COMMON_CURRENCIES, *sorted(set(MINOR_UNITS) - set(COMMON_CURRENCIES))]
        )
        self.description = QPlainTextEdit()
        self.description.setObjectName("plan_description")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.description.fontMetrics().lineSpacing() * 2 + 14)
        self.description.setToolTip(_("What the plan is for; reps see it when choosing a plan."))
        self.components = ComponentListEditor()
        self.components.setObjectName("plan_components")

        self.error_label = error_label("plan_errors")
        self.save_button, self.revert_button = save_and_revert_buttons("plan", "plan")

        left = QFormLayout()
        left.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        left.addRow(self._label(_("&Name *"), self.name), self.name)
        left.addRow(self._label(_("Pricing &model *"), self.pricing_model), self.pricing_model)
        right = QFormLayout()
        right.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        right.addRow(self._label(_("C&urrency *"), self.currency), self.currency)
        right.addRow(self._label(_("Ca&tegory"), self.category), self.category)
        description_row = QFormLayout()
        description_row.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        description_row.addRow(self._label(_("&Description"), self.description), self.description)
        components_box = QGroupBox(_("Components"))
        components_box.setToolTip(
            _("The charges of the plan; a quote started from the plan copies them.")
        )
        box_layout = QVBoxLayout(components_box)
        box_layout.addWidget(self.components)
        self.price_books_button = QPushButton(_("Price books…"))
        self.price_books_button.setObjectName("plan_price_books")
        self.price_books_button.setToolTip(
            _(
                "Set the plan's prices in other currencies (EUR, GBP, JPY ...); a quote in a "
                "currency without a price book is converted at the exchange-rate table's rate. "
                "Save the plan first."
            )
        )
        self.price_books_button.clicked.connect(self.edit_price_books)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error_label, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.price_books_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        top = QHBoxLayout()
        top.addLayout(left, 3)
        top.addSpacing(12)
        top.addLayout(right, 2)
        layout.addLayout(top)
        layout.addLayout(description_row)
        layout.addWidget(components_box, 1)
        layout.addLayout(buttons)

        self.name.textChanged.connect(self._edited)
        self.pricing_model.currentIndexChanged.connect(self._edited)
        self.category.currentIndexChanged.connect(self._edited)
        self.currency.currentTextChanged.connect(self._edited)
        self.currency.currentTextChanged.connect(
            lambda text: self.components.set_currency(
                text.strip().upper() if is_currency(text.strip().upper()) else "USD"
            )
        )
        self.description.textChanged.connect(self._edited)
        self.components.changed.connect(self._edited)
        from .wheel_guard import guard_wheel

        guard_wheel(self)  # scrolling the catalog never picks another model or currency
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        keys.shortcut(self, "catalog.save", self.save)
        self.setEnabled(False)
        self._validate()

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        label.setToolTip(buddy.toolTip())
        return label

    # --- loading -------------------------------------------------------------------------

    def load(self, plan: PlanPublic) -> None:
        """Edit ``plan`` as saved."""
        self.plan = plan
        self.title.setText(
            _("Plan: {name}").format(name=plan.name)
            if plan.active
            else _("Plan: {name} (retired)").format(name=plan.name)
        )
        self._fill(
            name=plan.name,
            pricing_model=plan.pricing_model,
            category=plan.product_category,
            currency=plan.currency,
            description=plan.description,
            components=plan_components(plan),
        )

    def new(self, currency: str = "USD") -> None:
        """A new, unsaved plan (platform fee + usage to start from)."""
        from .component_editor import new_component

        self.plan = None
        self.title.setText(_("New plan"))
        self._fill(
            name="",
            pricing_model=PricingModel.PLATFORM_USAGE.value,
            category=None,
            currency=currency,
            description="",
            components=[new_component("flat_fee")],
        )
        self._dirty = True
        self.dirty_changed.emit(True)
        self._validate()
        self.name.setFocus()

    def clear(self) -> None:
        self.plan = None
        self.title.setText(_("No plan selected"))
        self._fill(
            name="",
            pricing_model=PricingModel.PLATFORM_USAGE.value,
            category=None,
            currency="USD",
            description="",
            components=[],
        )
        self.setEnabled(False)
        # An empty, disabled form is not a mistake: show no problems until a plan is chosen.
        self._problems = {}
        for widget in (self.name, self.currency):
            self._mark(widget, None)
        self.error_label.hide()

    def _fill(
        self,
        *,
        name: str,
        pricing_model: str,
        category: str | None,
        currency: str,
        description: str,
        components: list[Component],
    ) -> None:
        self._loading = True
        try:
            self.setEnabled(True)
            self.name.setText(name)
            self.pricing_model.setCurrentIndex(max(self.pricing_model.findData(pricing_model), 0))
            self.category.setCurrentIndex(max(self.category.findData(category), 0))
            self.currency.setCurrentText(currency)
            self.description.setPlainText(description)
            self.components.set_components(components)
        finally:
            self._loading = False
        self._loaded = self.state()
        self._set_dirty(False)
        self._show_service_problem("")
        self._validate()

    def edit_price_books(self) -> None:
        """The saved plan's price books (a dialog: the form's own state is untouched)."""
        if self.plan is None or self._dirty:
            self._show_service_problem("Save the plan before setting its price books.")
            return
        from .price_books import open_price_books

        self.plan = open_price_books(self.workspace, self.plan.id, self)
        self._loaded = self.state()

    # --- state ---------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self._dirty

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)

    def state(self) -> tuple[Any, ...]:
        """What the form says, compared as values (100.0 is 100); invalid components are
        compared as typed."""
        components: Any = (
            [(e.kind(), e.form().raw()) for e in self.components.editors()]
            if self.components.errors()
            else self.components.components()
        )
        return (
            self.name.text().strip(),
            self.pricing_model.currentData(),
            self.category.currentData(),
            self.currency_code(),
            self.description.toPlainText(),
            components,
        )

    def _edited(self, *_args: object) -> None:
        if self._loading:
            return
        # Dirty while the form differs from the plan as loaded: typing a change and typing
        # it back is no change (a new plan stays dirty until it is saved).
        self._set_dirty(self.plan is None or self.state() != self._loaded)
        self._show_service_problem("")
        self._validate()

    def currency_code(self) -> str:
        return self.currency.currentText().strip().upper()

    def problems(self) -> list[str]:
        """``field: reason`` for every problem of the form (empty when it can be saved)."""
        return [f"{field}: {reason}" for field, reason in self._problems.items()] + (
            self.components.errors()
        )

    def _shown_problems(self) -> list[str]:
        """The problems as the form shows them: each field named as its label says."""
        return [
            _("{field}: {reason}").format(field=_(FIELD_NAMES.get(field, field)), reason=reason)
            for field, reason in self._problems.items()
        ] + self.components.messages()

    def _validate(self) -> None:
        if not self.isEnabled():  # no plan chosen: an empty form is not a mistake
            self._problems = {}
            for widget in (self.name, self.currency):
                self._mark(widget, None)
            self.error_label.hide()
            self.save_button.setEnabled(False)
            self.revert_button.setEnabled(False)
            return
        problems: dict[str, str] = {}
        name = self.name.text().strip()
        long = too_long(name, PLAN_NAME_MAX)
        if not name:
            problems["name"] = _("must not be empty")
        elif long:
            problems["name"] = long
        elif name != (self.plan.name if self.plan is not None else None) and self._name_taken(name):
            problems["name"] = _("a plan named {name!r} already exists").format(name=name)
        long_code = currency_too_long(self.currency_code())
        if long_code:  # "EURO" pasted: kept whole, its length said
            problems["currency"] = long_code
        elif not is_currency(self.currency_code()):
            problems["currency"] = _(
                "unknown currency {currency_code!r}: use an ISO 4217 code such as USD"
            ).format(currency_code=self.currency_code())
        if self.components.count() == 0:
            problems["components"] = _("add at least one component")
        self._problems = problems
        for field, widget in (("name", self.name), ("currency", self.currency)):
            self._mark(widget, problems.get(field))
        all_problems = self.problems()
        self.save_button.setEnabled(self._dirty and not all_problems)
        self.revert_button.setEnabled(self._dirty)
        if all_problems:
            lines = self._shown_problems()
            shown = lines[:4] + (
                [
                    ngettext("… and {count} more", "… and {count} more", len(lines) - 4).format(
                        count=len(lines) - 4
                    )
                ]
                if len(lines) > 4
                else []
            )
            self.error_label.setText(_("Fix before saving:") + "\n" + "\n".join(shown))
            self.error_label.show()
        elif not self.error_label.property("service"):
            self.error_label.hide()

    def _name_taken(self, name: str) -> bool:
        """Whether another plan (retired ones included) has ``name``: plan names are unique."""
        own = self.plan.id if self.plan is not None else None
        return any(
            p.name.casefold() == name.casefold() and p.id != own
            for p in self.workspace.run(list_plans, include_retired=True)
        )

    def _mark(self, widget: QWidget, problem: str | None) -> None:
        mark_invalid(widget, problem)

    def _show_service_problem(self, text: str) -> None:
        self.error_label.setProperty("service", bool(text))
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    # --- saving --------------------------------------------------------------------------

    def save(self) -> bool:
        """Create or update the plan; True when saved. Problems are shown, not raised."""
        self._validate()
        if self.problems() or not self._dirty:
            return False
        fields: dict[str, Any] = {
            "name": self.name.text().strip(),
            "pricing_model": self.pricing_model.currentData(),
            "product_category": self.category.currentData(),
            "description": self.description.toPlainText(),
            "currency": self.currency_code(),
            "components": [
                c.model_dump(mode="json", by_alias=True, exclude_none=True)
                for c in self.components.components()
            ],
        }
        run, user = self.workspace.run, self.workspace.user
        try:
            if self.plan is None:
                outcome = run(create_plan, actor=user, **fields)
            else:
                outcome = run(
                    update_plan,
                    self.plan.id,
                    expected_version=self.plan.version_id,
                    actor=user,
                    **fields,
                )
        except ConflictError as exc:
            self._show_service_problem(error_text(exc))
            answer = QMessageBox.warning(
                self,
                _("The plan was changed by someone else"),
                _("{error}\n\nReload the plan now? Your edits will be discarded.").format(
                    error=error_text(exc)
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes and self.plan is not None:
                self.load(run(get_plan, self.plan.id))
            return False
        except InvalidInputError as exc:
            self._show_service_problem(
                _("The plan was not saved:") + "\n" + "\n".join(problem_texts(exc))
            )
            for field, widget in (("name", self.name), ("currency", self.currency)):
                reason = next(
                    (
                        shown
                        for p, shown in zip(exc.problems, problem_texts(exc), strict=True)
                        if p.startswith(f"{field}:")
                    ),
                    None,
                )
                if reason:
                    self._mark(widget, reason.split(": ", 1)[-1].lstrip(": "))
            return False
        except (RefusedError, ServiceError) as exc:
            self._show_service_problem(
                _("The plan was not saved: {error}").format(error=error_text(exc))
            )
            if "named" in str(exc):
                self._mark(self.name, error_text(exc))
            return False
        self.load(outcome.value)
        self.saved.emit(outcome)
        return True

    def revert(self) -> None:
        if self.plan is not None:
            self.load(self.plan)
        else:
            self.clear()


class CatalogPage(Page):
    """The plans table above the editor of the selected plan."""

    def __init__(self, workspace: Workspace, window: MainWindow | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.window_ = window
        self.model = PlansModel(workspace)

        self.search = QLineEdit()
        self.search.setObjectName("plan_search")
        self.search.setPlaceholderText(_("Search plans by name (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.show_retired = QCheckBox(_("Show retired"))
        self.show_retired.setObjectName("show_retired")
        self.show_retired.setToolTip(_("Also list plans that are retired (not offered for quotes)"))
        self.new_button = QPushButton(_("New plan"))
        self.new_button.setObjectName("new_plan")
        self.new_button.setToolTip(_("Create a plan (Ctrl+Shift+N)"))
        self.retire_button = QPushButton(_("Retire"))
        self.retire_button.setObjectName("retire_plan")
        self.retire_button.setToolTip(
            _(
                "Retire the selected plan: existing quotes keep their copy of its components, "
                "new quotes can no longer start from it"
            )
        )
        self.table = QTableView()
        self.table.setObjectName("plans_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        sort_arrows.point_by_order(self.table.horizontalHeader())  # A to Z: the arrow up
        self.table.setSortingEnabled(True)  # the model re-queries with ORDER BY
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        # A useful height: nine plans (the demo's, one per product category) without
        # scrolling, above a plan's form.
        rows = self.table.verticalHeader().defaultSectionSize() * 9
        header_height = self.table.horizontalHeader().sizeHint().height()
        self.table.setMinimumHeight(rows + header_height + 2 * self.table.frameWidth() + 2)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.editor = PlanEditor(workspace)

        toolbar = QHBoxLayout()
        toolbar.addWidget(self.search, 1)
        toolbar.addWidget(self.show_retired)
        toolbar.addWidget(self.new_button)
        toolbar.addWidget(self.retire_button)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(toolbar)
        upper_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([self.table.minimumHeight() + 40, 440])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        title = QLabel(_("Catalog"))
        title.setObjectName("catalog-title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        about = QLabel(
            _(
                "The plans a quote can start from: each a set of components with their prices. "
                "Select a plan to change it below; a quote keeps its own copy."
            )
        )
        about.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(about)
        layout.addWidget(splitter, 1)

        self.search.textChanged.connect(lambda text: self._reload(text=text))
        self.show_retired.toggled.connect(lambda on: self._reload(include_retired=on))
        self.new_button.clicked.connect(self.new_item)
        self.retire_button.clicked.connect(self.retire_or_reactivate)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.editor.saved.connect(self._saved)
        keys.shortcut(self, "catalog.new_plan", self.new_item)
        QWidget.setTabOrder(self.search, self.show_retired)
        QWidget.setTabOrder(self.show_retired, self.new_button)
        QWidget.setTabOrder(self.new_button, self.retire_button)
        QWidget.setTabOrder(self.retire_button, self.table)
        QWidget.setTabOrder(self.table, self.editor.name)
        self._reload()

    # --- Page ----------------------------------------------------------------------------

    def refresh(self, changes: Changes) -> None:
        if changes.plans:
            self._reload()
            plan = self.editor.plan
            if plan is not None and plan.id in changes.plans and not self.editor.is_dirty():
                self.editor.load(self.workspace.run(get_plan, plan.id))

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def new_item(self) -> None:
        if not self._may_leave_editor():
            return
        # No current row either: a click on the plan that was selected opens it again (with
        # only the selection cleared, the click changed no current row and did nothing).
        self.table.selectionModel().clearCurrentIndex()
        self.table.selectionModel().clearSelection()
        self.editor.new(self.workspace.run(get_settings).default_currency)

    def can_close(self) -> bool:
        return self._may_leave_editor()

    # --- actions -------------------------------------------------------------------------

    def selected_plan(self) -> PlanPublic | None:
        index = self.table.currentIndex()
        return self.model.plan(index.row()) if index.isValid() else None

    def select_plan(self, plan_id: int) -> None:
        row = self.model.row_of(plan_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))

    def retire_or_reactivate(self) -> None:
        plan = self.selected_plan()
        if plan is None:
            return
        run, user = self.workspace.run, self.workspace.user
        try:
            if plan.active:
                answer = QMessageBox.question(
                    self,
                    _("Retire the plan?"),
                    _(
                        "Retire {name!r}? New quotes can no longer start from it; existing quotes keep their copy of its components."
                    ).format(name=plan.name),
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
                outcome = run(retire_plan, plan.id, expected_version=plan.version_id, actor=user)
            else:
                outcome = run(
                    update_plan, plan.id, expected_version=plan.version_id, actor=user, active=True
                )
        except ServiceError as exc:
            QMessageBox.warning(self, _("The plan was not changed"), error_message(exc))
            self._reload()
            return
        if self.editor.plan is not None and self.editor.plan.id == plan.id:
            self.editor.load(outcome.value)
        self._emit(outcome.changes)
        if self.model.row_of(plan.id) < 0:
            self.editor.clear()

    # --- internals -----------------------------------------------------------------------

    def _emit(self, changes: Changes) -> None:
        if self.window_ is not None:
            self.window_.changed.emit(changes)
        else:
            self.refresh(changes)

    def _saved(self, outcome: Any) -> None:
        self._emit(outcome.changes)
        self.select_plan(outcome.value.id)

    def _reload(self, **filters: Any) -> None:
        current = self.editor.plan.id if self.editor.plan is not None else None
        self.model.reload(**filters)
        self.table.blockSignals(True)
        self.table.selectionModel().blockSignals(True)
        if current is not None and self.model.row_of(current) >= 0:
            self.table.selectRow(self.model.row_of(current))
        self.table.selectionModel().blockSignals(False)
        self.table.blockSignals(False)
        self._update_buttons()

    def _row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        plan = self.model.plan(current.row()) if current.isValid() else None
        if plan is None or (self.editor.plan is not None and self.editor.plan.id == plan.id):
            self._update_buttons()
            return
        if not self._may_leave_editor():
            # Back to the plan in the form, selected where the view shows it (with the
            # signals blocked the row clicked stayed highlighted), now and once the click
            # is over (the view selects the row clicked after this question). Its own row
            # change returns at once: it is the plan the form holds.
            kept = QPersistentModelIndex(previous)
            self._select_again(kept)
            QTimer.singleShot(0, self, lambda: self._select_again(kept))
            return
        self.editor.load(plan)
        self._update_buttons()

    def _select_again(self, index: QPersistentModelIndex) -> None:
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                self.model.index(index.row(), index.column()),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _may_leave_editor(self) -> bool:
        if not self.editor.is_dirty():
            return True
        answer = QMessageBox.question(
            self,
            _("Unsaved changes"),
            _("The plan has unsaved changes. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Discard:
            self.editor.revert()
            return True
        return False

    def _update_buttons(self) -> None:
        plan = self.selected_plan()
        self.retire_button.setEnabled(plan is not None)
        self.retire_button.setText(
            _("Reactivate") if plan is not None and not plan.active else _("Retire")
        )


def create_page(workspace: Workspace, window: MainWindow) -> Page:
    return CatalogPage(workspace, window)
