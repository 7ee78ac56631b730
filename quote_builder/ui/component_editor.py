"""Editors for charge components, generated from the pricing models' fields.

``ComponentEditor`` edits one component of any kind; ``ComponentListEditor`` edits the
components of a quote or a plan (add, remove, move, duplicate). The form of a kind is built
from its pydantic model: a Decimal is a line edit holding a decimal string (never a float),
an int a spin box, a bool a check box, a Literal a combo box, a list of tiers a table, a
mapping (credit burn rates) a two-column table and a nested model (outcome terms,
attribution terms, a credit pack) a group box. Every edit is validated by the pricing model
itself, so the editor can never accept what the engine refuses; an invalid field gets a red
border and a tooltip with the reason.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
import types
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QBrush, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quote_builder.pricing import COMPONENT_KINDS, Component
from quote_builder.pricing.quote_format import describe_errors

from . import colours
from . import shortcuts as keys
from .component_words import field_label
from .i18n import N_, _, joined, label_and
from .labels import label
from .locale_numbers import field_text, reason, stored_text
from .number_fields import NUMBER_ALIGNMENT, WholeNumberBox, align_number
from .reason_words import too_long, with_limit

OnChange = Callable[[], None]
Loc = tuple[int | str, ...]


def error_label(object_name: str) -> QLabel:
    """A hidden, red, wrapping label for a form's problems (selectable, to copy them)."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setStyleSheet(colours.text_style("error"))
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


_SAVE_WORDS = {
    "plan": (
        N_("Save plan"),
        N_("Save the plan (Ctrl+S)"),
        N_("Forget the edits since the plan was loaded"),
    ),
    "settings": (
        N_("Save settings"),
        N_("Save the settings (Ctrl+S)"),
        N_("Forget the edits since the settings were loaded"),
    ),
}


def save_and_revert_buttons(what: str, suffix: str) -> tuple[QPushButton, QPushButton]:
    """A form's "Save <what>" (default, Ctrl+S) and "Discard changes" buttons; ``what`` is
    ``plan`` or ``settings``."""
    text, tip, revert_tip = _SAVE_WORDS[what]
    save = QPushButton(_(text))
    save.setObjectName(f"save_{suffix}")
    save.setToolTip(_(tip))
    save.setDefault(True)
    revert = QPushButton(_("Discard changes"))
    revert.setObjectName(f"revert_{suffix}")
    revert.setToolTip(_(revert_tip))
    return save, revert


def mark_invalid(widget: QWidget, problem: str | None) -> None:
    """Mark a field invalid (red border, the reason in its tooltip) or clear the mark; the
    field's own help text is kept and shown above the problem."""
    tip = widget.property("help")
    if tip is None:
        tip = widget.toolTip()
        widget.setProperty("help", tip)
    widget.setProperty("invalid", bool(problem))
    if problem and widget.property("unmarked_height") is None:
        # The red border's stylesheet drops the style's frame, and the field would lose a
        # few pixels of height: every row below it moved up as the mark came, down as it went.
        height = widget.sizeHint().height()
        widget.setProperty("unmarked_height", height)
        widget.setMinimumHeight(max(widget.minimumHeight(), height))
    if problem:
        widget.setStyleSheet(
            f"{type(widget).__name__} {{ border: 2px solid {colours.colour('error')}; }}"
        )
        widget.setToolTip(_("{tip}\n\nProblem: {problem}").format(tip=tip, problem=problem))
    else:
        widget.setStyleSheet("")
        widget.setToolTip(str(tip))
    colours.flag_label(widget, problem)


_OMIT = object()
"""A field left empty that has a default: leave it out so the model's default applies."""

# --- help texts ------------------------------------------------------------------------

# Fallbacks for fields whose model has no docstring for them; keyed by (model, field) first,
# then by field. The model's own docstring wins when there is one.
_HELP: dict[tuple[str, str] | str, str] = {
    "id": N_(
        "A short name for this component, unique in the quote or plan (letters, digits, "
        "'_', '.', '-'). Other components refer to it, e.g. credits counted per seat."
    ),
    "name": N_("The name the customer sees on the proposal and on invoice lines."),
    "description": N_("Optional text printed under the name on the proposal."),
    "metric": N_(
        "The usage metric this price reads, e.g. api_calls or tickets_resolved. The "
        "quote's usage forecast gives its quantity for each month."
    ),
    ("FlatFee", "amount"): N_("The fee per month, or per year (see Interval)."),
    ("OneTimeFee", "amount"): N_("The fee, charged once."),
    ("MinimumCommitment", "amount"): N_(
        "The least the customer pays per period for the "
        "components it applies to; a shortfall is billed as a true-up at the end of the period."
    ),
    "interval": N_(
        "Per month, or per year billed in the first month of each contract year "
        "(prorated in a short last year)."
    ),
    "month": N_("The month of the contract in which the fee is charged; 1 is the first month."),
    "unit_price": N_(
        "The price of one unit. Unit prices may have more decimals than the currency, e.g. 0.0004."
    ),
    "tiers": N_(
        "Price tiers. A row covers quantities above the previous row's 'Up to', up to "
        "and including its own; leave 'Up to' empty on the last row. 'From' is optional: when "
        "given it must equal the previous row's 'Up to'."
    ),
    (N_("Tier"), "from_"): N_("Optional: where the tier starts (the previous tier's 'Up to')."),
    (N_("Tier"), "up_to"): N_("The last quantity in this tier; empty on the last, unbounded tier."),
    (N_("Tier"), "unit_price"): N_("The price of each unit inside this tier."),
    (N_("Tier"), "flat_fee"): N_("A fee charged once a month when the quantity reaches this tier."),
    "package_size": N_("Units in one block; a started block counts in full."),
    "package_price": N_("The price of one block."),
    "free_units": N_("Units each month that cost nothing before blocks are counted."),
    "included": N_("Units included every month at no charge."),
    "included_per_seat": N_(
        "More included units for each seat of the seats component named in 'Seats component'."
    ),
    "seats_component": N_(
        "The id of the seats component whose seat count this is multiplied "
        "by. Leave empty when nothing is counted per seat."
    ),
    "overage_unit_price": N_("The price of each unit above the included allowance."),
    "tier": N_("The seat tier's name, e.g. Team or Enterprise."),
    "seats": N_("The number of seats (ramps in the quote can change it month by month)."),
    "price_per_seat": N_("The price of one seat per month, or per year (see Interval)."),
    "features": N_("Features included in this tier, one per line; printed on the proposal."),
    "includes_ai": N_("Tick when the AI features come with this tier."),
    "allocation_per_seat": N_("AI credits each seat receives every month."),
    "allocation_pool": N_("AI credits the whole account receives every month, shared by all."),
    "burn": N_(
        "How many credits one action uses, per kind of action (each action is a usage "
        "metric), e.g. chat_message 1, document_summary 5."
    ),
    "overage_price_per_credit": N_(
        "The price of each credit used beyond those available. Set this or a credit pack, not both."
    ),
    "pack": N_(
        "Extra credits bought in packs (a started pack counts in full). Tick to sell "
        "packs instead of charging an overage price per credit."
    ),
    ("CreditPack", "credits"): N_("Credits in one pack."),
    ("CreditPack", "price"): N_("The price of one pack."),
    "rollover_months": N_(
        "0: unused allocation expires at the end of each month. N: unused "
        "allocation rolls over, up to N months' allocation."
    ),
    "price_per_outcome": N_("The price of one successful outcome."),
    "terms": N_(
        "How an outcome is measured; printed in the contract. Missing terms block "
        "sending the quote, not saving it."
    ),
    "success_criteria": N_("What an outcome must achieve to count as a success."),
    "dispute_window_days": N_("Days the customer has to dispute an outcome after it is billed."),
    "audit_rights": N_("Which records the customer may audit, and how."),
    "percent": N_("The share of the attributed value, in percent: 0.5 means 0.5 %."),
    "baseline": N_(
        "Monthly value the customer would have had anyway; only value above it is "
        "shared. Empty: no baseline."
    ),
    "floor": N_("The least charged per month. Empty: no floor."),
    "cap": N_("The most charged per month. Empty: no cap."),
    "attribution": N_(
        "How value is attributed to the AI; agreed at signature and printed in the contract."
    ),
    "method": N_(
        "How the value is attributed: against a baseline, against a holdout group, by "
        "a rule, or by a custom method."
    ),
    ("AttributionTerms", "description"): N_("The attribution method in words."),
    "lookback_days": N_("How many days after an AI action a result still counts toward it."),
    "dispute_process": N_("How either party disputes an attribution."),
    ("TransactionFee", "metric"): N_(
        "The usage metric holding the transactions' value in the "
        "quote's currency, e.g. payment_volume. In a usage log, each row of it is one "
        "transaction and its quantity that transaction's value."
    ),
    "count_metric": N_("The usage metric counting the transactions, e.g. payments."),
    ("TransactionFee", "percent"): N_(
        "The share of each transaction's value, in percent: 1.5 means 1.5 %."
    ),
    "fixed_fee": N_("A fee added to every transaction, e.g. 0.10."),
    "minimum_fee": N_("The least charged for one transaction. Empty: no minimum."),
    "maximum_fee": N_("The most charged for one transaction. Empty: no maximum."),
    "period": N_("Whether the commitment applies per month or per contract year."),
    "applies_to": N_(
        "Ids of the components whose spend counts toward the commitment, "
        "separated by commas. Empty: every usage-based component."
    ),
}

_CHOICE_LABELS = {"month": N_("Per month"), "year": N_("Per year")}


@lru_cache(maxsize=64)
def attribute_docs(cls: type) -> Mapping[str, str]:
    """The docstrings written under a class's annotated attributes (``x: int`` then
    ``\"\"\"...\"\"\"``), through its bases; the nearest class wins."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("quote_builder"):
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError, SyntaxError):
            continue
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for node, following in zip(body, body[1:], strict=False):
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                docs[node.target.id] = inspect.cleandoc(following.value.value)
    return docs


def field_help(model: type[BaseModel], name: str) -> str:
    """The tooltip of a field: its description, its docstring, or our fallback text."""
    english = english_field_help(model, name)
    return _(english) if english else ""


def english_field_help(model: type[BaseModel], name: str) -> str:
    """The tooltip of a field in English (the catalog's key)."""
    info = model.model_fields.get(name)
    if info is not None and info.description:
        return info.description
    doc = attribute_docs(model).get(name)
    if doc:
        return doc
    return _HELP.get((model.__name__, name)) or _HELP.get(name) or ""


def kind_help(cls: type[Component]) -> str:
    """A component kind's docstring in the interface's language."""
    doc = english_kind_help(cls)
    return _(doc) if doc else ""


def english_kind_help(cls: type[Component]) -> str:
    return inspect.cleandoc(cls.__doc__ or "")


def _mark(widget: QWidget, help_text: str, problem: str | None) -> None:
    """A red border and the reason in the tooltip, or back to normal."""
    name = type(widget).__name__
    if problem:
        widget.setProperty("invalid", True)
        widget.setStyleSheet(f"{name} {{ border: 2px solid {colours.colour('error')}; }}")
        widget.setToolTip(
            _("{help_text}\n\nProblem: {problem}").format(help_text=help_text, problem=problem)
            if help_text
            else problem
        )
    else:
        widget.setProperty("invalid", False)
        widget.setStyleSheet("")
        widget.setToolTip(help_text)
    colours.flag_label(widget, problem)


def is_marked_invalid(widget: QWidget) -> bool:
    return bool(widget.property("invalid"))


# --- field editors ---------------------------------------------------------------------


def _unwrap(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """(base type, optional, constraint metadata) of a field annotation."""
    optional = False
    metadata: list[Any] = []
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(args) < len(get_args(annotation))
        annotation = args[0]
    if get_origin(annotation) is Annotated:
        annotation, *extra = get_args(annotation)
        for item in extra:
            metadata.extend(item.metadata if isinstance(item, FieldInfo) else [item])
    return annotation, optional, metadata


def _bound(metadata: list[Any], name: str) -> Any:
    for item in metadata:
        value = getattr(item, name, None)
        if value is not None:
            return value
    return None


class FieldEditor:
    """One field of a model: its widget, the value to validate, and its error mark."""

    def __init__(self, name: str, info: FieldInfo, help_text: str, on_change: OnChange) -> None:
        self.name = name
        self.info = info
        self.help = help_text
        self.on_change = on_change
        base, optional, metadata = _unwrap(info.annotation)
        self.base = base
        self.optional = optional
        self.metadata = [*metadata, *info.metadata]
        self.widget: QWidget = self.build()
        self.widget.setObjectName(f"field_{name}")
        self.widget.setToolTip(self.help)  # as ``build`` left it (a text's limit said)

    def build(self) -> QWidget:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def raw(self) -> Any:
        """The value to hand to the model: a string for a Decimal, ``_OMIT`` for default."""
        raise NotImplementedError

    def empty(self) -> Any:
        if self.optional:
            return None
        return _OMIT

    def show_problems(self, problems: list[tuple[Loc, str]]) -> None:
        """Mark the field with the problems found at ``loc`` below it (none: clear)."""
        _mark(self.widget, self.help, joined(message for _loc, message in problems) or None)

    def entry_problems(self) -> list[tuple[Loc, str]]:
        """(location, reason) of each number typed the way the locale does not write it:
        the model never sees such an entry as a number (Python's Decimal would read a German
        user's 45.50 as 45.50, where they meant something else)."""
        return []

    def focus_widget(self) -> QWidget:
        return self.widget


class TextEditor(FieldEditor):
    def build(self) -> QWidget:
        max_length = _bound(self.metadata, "max_length") or 0
        self.long = max_length >= 1000
        self.limit: int | None = max_length or None
        if self.long:
            box = QPlainTextEdit()
            box.setTabChangesFocus(True)
            box.setFixedHeight(box.fontMetrics().lineSpacing() * 2 + 14)
            box.textChanged.connect(self.on_change)
            return box
        line = QLineEdit()
        # No maxLength (Qt would cut a paste without a word): a longer text is kept, marked
        # with its length (``entry_problems``), and the plan is not saved until it fits.
        if self.limit is not None:
            self.help = with_limit(self.help, self.limit)
        line.textChanged.connect(self.on_change)
        return line

    def entry_problems(self) -> list[tuple[Loc, str]]:
        long = too_long(self.text(), self.limit) if self.limit and not self.long else None
        return [((self.name,), long)] if long else []

    def text(self) -> str:
        w = self.widget
        return w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()  # type: ignore[attr-defined]

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        w = self.widget
        if isinstance(w, QPlainTextEdit):
            w.setPlainText(text)
        else:
            assert isinstance(w, QLineEdit)
            w.setText(text)

    def raw(self) -> Any:
        text = self.text()
        if not text.strip() and (self.optional or not self.info.is_required()):
            return self.empty() if self.optional else text
        return text


MONEY_FIELDS = frozenset(
    {
        "amount",
        "baseline",
        "cap",
        "fixed_fee",
        "flat_fee",
        "floor",
        "maximum_fee",
        "minimum_fee",
        "package_price",
        "price",
    }
)
"""Decimal fields of the components that hold an amount of money: shown beside the field
as the one formatter writes it (``$1,000.00``; ``1.000,00 $`` in German)."""

UNIT_PRICE_FIELDS = frozenset(
    {
        "overage_price_per_credit",
        "overage_unit_price",
        "price_per_outcome",
        "price_per_seat",
        "unit_price",
    }
)
"""Decimal fields holding a price per unit: shown as a unit price is written (``$0.0040``:
the minor unit, more digits when it has them)."""


class DecimalEditor(FieldEditor):
    """A decimal string in a line edit; the model parses it (a float never appears). An
    amount of money (``MONEY_FIELDS``, ``UNIT_PRICE_FIELDS``) has beside it the amount in
    the quote's currency as the one formatter writes it (``locale_format``): the field
    keeps the plain digits typed, the label reads ``$1,000.00`` (``1.000,00 $``)."""

    def build(self) -> QWidget:
        line = align_number(QLineEdit())
        line.setPlaceholderText(
            _("not set") if self.optional else ("0" if not self.info.is_required() else "")
        )
        line.textChanged.connect(self.on_change)
        self.row: QWidget = line
        self.shown: QLabel | None = None
        self.currency = "USD"
        if self.name in MONEY_FIELDS or self.name in UNIT_PRICE_FIELDS:
            self.row = QWidget()
            layout = QHBoxLayout(self.row)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(line, 1)
            self.shown = QLabel()
            self.shown.setObjectName(f"amount_{self.name}")
            self.shown.setStyleSheet("color: palette(placeholder-text);")
            self.shown.setMinimumWidth(line.fontMetrics().horizontalAdvance("$ 000,000,000.00"))
            self.shown.setAlignment(NUMBER_ALIGNMENT)
            layout.addWidget(self.shown)
            line.textChanged.connect(lambda _text: self.show_amount())
        return line

    def show_amount(self, currency: str | None = None) -> None:
        """Write the amount typed in ``currency`` (None: the one last given) beside the
        field; nothing while the field is empty or cannot be read."""
        if currency is not None:
            self.currency = currency
        if self.shown is None:
            return
        from . import locale_format

        assert isinstance(self.widget, QLineEdit)
        text = self.widget.text().strip()
        value = None
        if text and reason(text) is None:
            try:
                value = locale_format.parse_number(text)
            except ValueError:
                value = None
        if value is None:
            self.shown.setText("")
        elif self.name in UNIT_PRICE_FIELDS:
            self.shown.setText(locale_format.price(value, self.currency))
        else:
            self.shown.setText(locale_format.money(value, self.currency))

    def set_value(self, value: Any) -> None:
        assert isinstance(self.widget, QLineEdit)
        self.widget.setText(field_text(value))

    def raw(self) -> Any:
        assert isinstance(self.widget, QLineEdit)
        text = self.widget.text().strip()
        if not text:
            return self.empty()
        return stored_text(text)

    def entry_problems(self) -> list[tuple[Loc, str]]:
        assert isinstance(self.widget, QLineEdit)
        why = reason(self.widget.text())
        return [((self.name,), why)] if why else []


class IntEditor(FieldEditor):
    def build(self) -> QWidget:
        low = _bound(self.metadata, "ge")
        high = _bound(self.metadata, "le")
        low = int(low) if low is not None else 0
        self.lowest = low
        if self.optional:  # one step below the lowest value means "not set"
            low -= 1
        # Never rewrites what is typed ("12k", "12.5", "-5"): kept, marked, not taken.
        box = WholeNumberBox(self.name, low, int(high) if high is not None else 999_999)
        if self.optional:
            box.setSpecialValueText(_("Not set"))
        box.valueChanged.connect(self.on_change)
        box.lineEdit().textEdited.connect(lambda _text: self.on_change())
        return box

    def entry_problems(self) -> list[tuple[Loc, str]]:
        assert isinstance(self.widget, WholeNumberBox)
        why = self.widget.reason()
        return [((self.name,), why)] if why else []

    def set_value(self, value: Any) -> None:
        assert isinstance(self.widget, QSpinBox)
        self.widget.setValue(self.widget.minimum() if value is None else int(value))

    def raw(self) -> Any:
        assert isinstance(self.widget, QSpinBox)
        if self.optional and self.widget.value() == self.widget.minimum():
            return None
        return self.widget.value()


class BoolEditor(FieldEditor):
    def build(self) -> QWidget:
        box = QCheckBox()
        box.toggled.connect(self.on_change)
        return box

    def set_value(self, value: Any) -> None:
        assert isinstance(self.widget, QCheckBox)
        self.widget.setChecked(bool(value))

    def raw(self) -> Any:
        assert isinstance(self.widget, QCheckBox)
        return self.widget.isChecked()


class ChoiceEditor(FieldEditor):
    def build(self) -> QWidget:
        box = QComboBox()
        if self.optional:
            box.addItem(_("Not set"), None)
        for value in get_args(self.base):
            box.addItem(
                _(_CHOICE_LABELS[value]) if value in _CHOICE_LABELS else label(str(value)), value
            )
        box.currentIndexChanged.connect(self.on_change)
        return box

    def set_value(self, value: Any) -> None:
        assert isinstance(self.widget, QComboBox)
        index = self.widget.findData(value)
        self.widget.setCurrentIndex(max(index, 0))

    def raw(self) -> Any:
        assert isinstance(self.widget, QComboBox)
        return self.widget.currentData()


class StringListEditor(FieldEditor):
    """Text lines, one item each; an optional list of ids is one line, comma-separated."""

    def build(self) -> QWidget:
        if self.optional:
            line = QLineEdit()
            line.setPlaceholderText(_("not set"))
            line.textChanged.connect(self.on_change)
            return line
        box = QPlainTextEdit()
        box.setTabChangesFocus(True)
        box.setFixedHeight(box.fontMetrics().lineSpacing() * 4 + 14)
        box.setPlaceholderText(_("one per line"))
        box.textChanged.connect(self.on_change)
        return box

    def set_value(self, value: Any) -> None:
        items = [str(v) for v in value or []]
        if isinstance(self.widget, QLineEdit):
            self.widget.setText(", ".join(items))
        else:
            assert isinstance(self.widget, QPlainTextEdit)
            self.widget.setPlainText("\n".join(items))

    def raw(self) -> Any:
        if isinstance(self.widget, QLineEdit):
            items = [p.strip() for p in self.widget.text().split(",") if p.strip()]
            return items or None
        assert isinstance(self.widget, QPlainTextEdit)
        return [line.strip() for line in self.widget.toPlainText().splitlines() if line.strip()]


class _TableEditor(FieldEditor):
    """A table with Add row / Remove row buttons; Tab leaves the table, arrows move in it."""

    headers: list[str] = []
    header_tips: list[str] = []

    def build(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(self.headers))
        self.table.setObjectName(f"table_{self.name}")
        self.table.setHorizontalHeaderLabels(self.headers)
        for column, tip in enumerate(self.header_tips):
            header_item = self.table.horizontalHeaderItem(column)
            if header_item is not None:
                header_item.setToolTip(tip)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().lineSpacing() + 10
        )
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers
            & ~QAbstractItemView.EditTrigger.CurrentChanged
        )
        self.table.setMinimumHeight(self.table.fontMetrics().lineSpacing() * 6)
        self.table.itemChanged.connect(lambda _item: self.on_change())
        self.table.setToolTip(self.help)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_("Add row"))
        self.add_button.setObjectName(f"add_row_{self.name}")
        self.add_button.setToolTip(_("Add a row at the end (or after the selected row)"))
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton(_("Remove row"))
        self.remove_button.setObjectName(f"remove_row_{self.name}")
        self.remove_button.setToolTip(_("Remove the selected row"))
        self.remove_button.clicked.connect(self.remove_row)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return box

    def focus_widget(self) -> QWidget:
        return self.table

    def _set_rows(self, rows: list[list[str]]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for row in rows:
            self._append(row)
        self.table.blockSignals(False)

    def _append(self, cells: list[str], at: int | None = None) -> None:
        row = self.table.rowCount() if at is None else at
        self.table.insertRow(row)
        for column, text in enumerate(cells):
            self.table.setItem(row, column, QTableWidgetItem(text))

    def new_row(self) -> list[str]:
        return [""] * len(self.headers)

    def add_row(self) -> None:
        selected = self.table.currentRow()
        at = selected + 1 if 0 <= selected < self.table.rowCount() - 1 else None
        self.table.blockSignals(True)
        self._append(self.new_row(), at)
        self.table.blockSignals(False)
        row = self.table.rowCount() - 1 if at is None else at
        self.table.setCurrentCell(row, 0)
        self.on_change()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            row = self.table.rowCount() - 1
        if row < 0:
            return
        self.table.removeRow(row)
        self.on_change()

    def cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def show_problems(self, problems: list[tuple[Loc, str]]) -> None:
        self.table.blockSignals(True)
        for row in range(self.table.rowCount()):
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                if item is not None:
                    item.setBackground(QBrush())
                    item.setToolTip("")
        whole = []
        for loc, message in problems:
            position = self.cell_of(loc)
            item = self.table.item(*position) if position else None
            if item is None:
                whole.append(message)
                continue
            item.setBackground(QBrush(colours.qcolor("invalid_background")))
            item.setToolTip(message)
        self.table.blockSignals(False)
        all_messages = joined(m for _l, m in problems) or None
        _mark(self.table, self.help, all_messages)
        self.widget.setProperty("invalid", bool(problems))
        del whole

    def cell_of(self, loc: Loc) -> tuple[int, int] | None:
        return None


class ModelTableEditor(_TableEditor):
    """A list of small models (price tiers): one row each, one column per field."""

    def build(self) -> QWidget:
        self.item_model: type[BaseModel] = get_args(self.base)[0]
        self.columns = list(self.item_model.model_fields)
        self.headers = [field_label(c) for c in self.columns]
        self.header_tips = [field_help(self.item_model, c) for c in self.columns]
        return super().build()

    def set_value(self, value: Any) -> None:
        rows = []
        for item in value or []:
            cells = []
            for column in self.columns:
                cell = getattr(item, column)
                cells.append(
                    ""
                    if cell is None
                    else field_text(cell)
                    if isinstance(cell, Decimal)
                    else str(cell)
                )
            rows.append(cells)
        self._set_rows(rows)

    def _numeric(self, column: str) -> bool:
        return _unwrap(self.item_model.model_fields[column].annotation)[0] is Decimal

    def raw(self) -> Any:
        rows = []
        for row in range(self.table.rowCount()):
            data: dict[str, Any] = {}
            for index, column in enumerate(self.columns):
                text = self.cell(row, index)
                if text:
                    data[column] = stored_text(text) if self._numeric(column) else text
            rows.append(data)
        return rows

    def entry_problems(self) -> list[tuple[Loc, str]]:
        found: list[tuple[Loc, str]] = []
        for row in range(self.table.rowCount()):
            for index, column in enumerate(self.columns):
                why = reason(self.cell(row, index)) if self._numeric(column) else None
                if why:
                    found.append(((self.name, row, column), why))
        return found

    def cell_of(self, loc: Loc) -> tuple[int, int] | None:
        if len(loc) >= 2 and isinstance(loc[0], int):
            for index, column in enumerate(self.columns):
                info = self.item_model.model_fields[column]
                if loc[1] in (column, info.alias):
                    return loc[0], index
        return None


class MappingEditor(_TableEditor):
    """A mapping of names to decimal numbers (credits burned per action)."""

    def build(self) -> QWidget:
        self.headers = [_("Action (metric)"), _("Credits")]
        self.header_tips = [
            _("The usage metric that counts the action, e.g. chat_message."),
            _("Credits one action uses."),
        ]
        return super().build()

    def set_value(self, value: Any) -> None:
        self._set_rows(
            [
                [str(k), field_text(v) if isinstance(v, Decimal) else str(v)]
                for k, v in (value or {}).items()
            ]
        )

    def raw(self) -> Any:
        data: dict[str, Any] = {}
        self.repeated: list[str] = []
        for row in range(self.table.rowCount()):
            key, number = self.cell(row, 0), self.cell(row, 1)
            if not key and not number:
                continue
            if key in data:
                self.repeated.append(key)
            data[key] = stored_text(number) if number else number
        return data

    def entry_problems(self) -> list[tuple[Loc, str]]:
        found: list[tuple[Loc, str]] = []
        for row in range(self.table.rowCount()):
            key, why = self.cell(row, 0), reason(self.cell(row, 1))
            if why:
                found.append(((self.name, key), why))
        return found

    def cell_of(self, loc: Loc) -> tuple[int, int] | None:
        if not loc:
            return None
        for row in range(self.table.rowCount()):
            if self.cell(row, 0) == loc[0]:
                return row, 0 if len(loc) > 1 and loc[1] == "[key]" else 1
        return None


class ModelEditor(FieldEditor):
    """A nested model in a group box; an optional one has a check box to set it."""

    def build(self) -> QWidget:
        self.form = ModelForm(self.base, self.on_change)
        box = QGroupBox(field_label(self.name))
        box.setToolTip(self.help)
        if self.optional:
            box.setCheckable(True)
            box.setChecked(False)
            box.toggled.connect(self.on_change)
        layout = QVBoxLayout(box)
        layout.addWidget(self.form)
        return box

    def set_value(self, value: Any) -> None:
        assert isinstance(self.widget, QGroupBox)
        if self.optional:
            self.widget.setChecked(value is not None)
        self.form.set_values(value)

    def raw(self) -> Any:
        assert isinstance(self.widget, QGroupBox)
        if self.optional and not self.widget.isChecked():
            return None
        return self.form.raw()

    def show_problems(self, problems: list[tuple[Loc, str]]) -> None:
        own = [m for loc, m in problems if not loc]
        self.form.show_problems(problems)
        _mark(self.widget, self.help, joined(own) or None)

    def entry_problems(self) -> list[tuple[Loc, str]]:
        assert isinstance(self.widget, QGroupBox)
        if self.optional and not self.widget.isChecked():
            return []
        return [((self.name, *loc), why) for loc, why in self.form.entry_problems()]


def _editor_class(info: FieldInfo) -> type[FieldEditor]:
    base, optional, _meta = _unwrap(info.annotation)
    origin = get_origin(base)
    if base is bool:
        return BoolEditor
    if base is int:
        return IntEditor
    if base is Decimal:
        return DecimalEditor
    if origin is Literal:
        return ChoiceEditor
    if origin is list:
        item = _unwrap(get_args(base)[0])[0]
        if isinstance(item, type) and issubclass(item, BaseModel):
            return ModelTableEditor
        return StringListEditor
    if origin is dict:
        return MappingEditor
    if isinstance(base, type) and issubclass(base, BaseModel):
        return ModelEditor
    return TextEditor


class ModelForm(QWidget):
    """A form with one editor per field of ``model`` (except ``exclude``)."""

    def __init__(
        self, model: type[BaseModel], on_change: OnChange, exclude: frozenset[str] = frozenset()
    ) -> None:
        super().__init__()
        self.model = model
        self.fields: dict[str, FieldEditor] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setContentsMargins(0, 0, 0, 0)
        for name, info in model.model_fields.items():
            if name in exclude:
                continue
            editor = _editor_class(info)(name, info, field_help(model, name), on_change)
            self.fields[name] = editor
            if isinstance(editor, ModelEditor):
                layout.addRow(editor.widget)
            else:
                label = QLabel(field_label(name) + ("" if _is_optional_input(info) else " *"))
                label.setToolTip(editor.help)
                label.setBuddy(editor.focus_widget())
                layout.addRow(label, getattr(editor, "row", editor.widget))

    def set_values(self, model: BaseModel | None) -> None:
        for name, editor in self.fields.items():
            if model is not None:
                editor.set_value(getattr(model, name))
            else:
                info = self.model.model_fields[name]
                editor.set_value(
                    None if info.is_required() else info.get_default(call_default_factory=True)
                )

    def raw(self) -> dict[str, Any]:
        data = {}
        for name, editor in self.fields.items():
            value = editor.raw()
            if value is not _OMIT:
                data[name] = value
        return data

    def entry_problems(self) -> list[tuple[Loc, str]]:
        return [found for editor in self.fields.values() for found in editor.entry_problems()]

    def show_amounts(self, currency: str) -> None:
        """Write each amount field's amount in ``currency`` beside it (nested models too)."""
        for editor in self.fields.values():
            if isinstance(editor, DecimalEditor):
                editor.show_amount(currency)
            elif isinstance(editor, ModelEditor):
                editor.form.show_amounts(currency)

    def field_for(self, key: int | str) -> FieldEditor | None:
        for name, editor in self.fields.items():
            if key in (name, editor.info.alias):
                return editor
        return None

    def show_problems(self, problems: list[tuple[Loc, str]]) -> None:
        """Give each field the problems under its name; a problem of the whole model marks
        every field its message names (``included_per_seat needs seats_component``)."""
        by_field: dict[str, list[tuple[Loc, str]]] = {name: [] for name in self.fields}
        for loc, message in problems:
            editor = self.field_for(loc[0]) if loc else None
            if editor is not None:
                by_field[editor.name].append((loc[1:], message))
                continue
            for name in self.fields:
                if re.search(rf"\b{re.escape(name)}\b", message):
                    by_field[name].append(((), message))
        for name, editor in self.fields.items():
            editor.show_problems(by_field[name])


def _is_optional_input(info: FieldInfo) -> bool:
    return not info.is_required()


# --- one component ---------------------------------------------------------------------


def _path(loc: Loc) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part == "[key]":
            text += " (name)"
        else:
            text += ("." if text else "") + part
    return text


def _loc_words(loc: Loc) -> str:
    """A field's place as the form labels it: ``("tiers", 1, "up_to")`` -> "Tiers 2, Up
    to"; a mapping's key as "(name)"."""
    words: list[str] = []
    for part in loc:
        if isinstance(part, int):
            if words:
                words[-1] += f" {part + 1}"
            else:
                words.append(str(part + 1))
        elif part == "[key]":
            if words:
                words[-1] += " " + _("(name)")
        else:
            words.append(field_label(str(part)))
    return ", ".join(words)


def validation_problems(exc: ValidationError) -> list[tuple[Loc, str]]:
    """(location, plain-English reason) of each error of a pricing model."""
    errors = exc.errors()
    lines = describe_errors(exc)
    problems = []
    for index, err in enumerate(errors):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        if len(lines) == len(errors):
            message = lines[index].split(": ", 1)[-1]
        else:
            message = err["msg"].removeprefix("Value error, ")
        problems.append((loc, message))
    return problems


class ComponentEditor(QWidget):
    """Edits one charge component of any kind: a form built from its model's fields."""

    changed = Signal()
    """Emitted after every edit, valid or not."""

    def __init__(self, component: Component | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._kind: str | None = None
        self._form: ModelForm | None = None
        self._component: Component | None = None
        self._problems: list[tuple[Loc, str]] = []
        self._extra: dict[str, str] = {}
        self._currency = "USD"
        layout = QVBoxLayout(self)
        self._title = QLabel()
        self._title.setObjectName("component_kind")
        font = self._title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self._title.setFont(font)
        self._about = QLabel()
        self._about.setWordWrap(True)
        self._about.setObjectName("component_about")
        self._about.setStyleSheet("color: palette(placeholder-text);")
        self._form_holder = QVBoxLayout()
        self._error_label = error_label("component_errors")
        layout.addWidget(self._title)
        layout.addWidget(self._about)
        layout.addLayout(self._form_holder)
        layout.addWidget(self._error_label)
        layout.addStretch(1)
        if component is not None:
            self.set_component(component)

    # --- the interface -------------------------------------------------------------------

    def set_component(self, component: Component) -> None:
        """Show ``component`` (rebuilding the form when its kind differs)."""
        if component.kind != self._kind:
            self._build(component.kind)
        assert self._form is not None
        self._loading = True
        try:
            self._form.set_values(component)
        finally:
            self._loading = False
        self._validate()

    def component(self) -> Component | None:
        """The component as edited, or None while a field is invalid."""
        return self._component

    def errors(self) -> list[str]:
        """``field: reason`` for each problem (empty when valid)."""
        return [f"{path}: {message}" if path else message for path, message in self.problems()]

    def messages(self) -> list[str]:
        """Each problem as the form labels its field, the reason in the interface's
        language ("Price per outcome: must not be negative"): what the rep reads under the
        form (``errors`` keeps the model's paths, for the lists and the tests)."""
        from quote_builder.services.words import reason

        from .reason_words import reason_text

        found = [(_loc_words(loc), message) for loc, message in self._problems]
        found += [(_loc_words((name,)), message) for name, message in self._extra.items()]
        return [
            label_and(where, reason_text(reason(message)))
            if where
            else reason_text(reason(message))
            for where, message in found
        ]

    def problems(self) -> list[tuple[str, str]]:
        """(field path, reason) for each problem; the path is empty for the whole component."""
        lines = [(_path(loc), message) for loc, message in self._problems]
        lines += list(self._extra.items())
        return lines

    # --- for the list editor and tests ---------------------------------------------------

    def kind(self) -> str | None:
        return self._kind

    def form(self) -> ModelForm:
        assert self._form is not None, "no component set"
        return self._form

    def field(self, path: str) -> FieldEditor:
        """The editor of a field by path: ``unit_price``, ``terms.definition``."""
        form = self.form()
        *parents, last = path.split(".")
        for parent in parents:
            nested = form.fields[parent]
            assert isinstance(nested, ModelEditor)
            form = nested.form
        return form.fields[last]

    def field_widget(self, path: str) -> QWidget:
        return self.field(path).focus_widget()

    def current_id(self) -> str:
        editor = self.form().fields["id"]
        assert isinstance(editor, TextEditor)
        return editor.text().strip()

    def current_name(self) -> str:
        editor = self.form().fields["name"]
        assert isinstance(editor, TextEditor)
        return editor.text().strip()

    def set_extra_problem(self, field: str, message: str | None) -> None:
        """A problem found outside the component (a repeated id in a list)."""
        if message:
            self._extra[field] = message
        else:
            self._extra.pop(field, None)
        self._show()

    # --- internals -----------------------------------------------------------------------

    def _build(self, kind: str) -> None:
        cls = COMPONENT_KINDS[kind]
        if self._form is not None:
            self._form_holder.removeWidget(self._form)
            self._form.deleteLater()
        self._kind = kind
        self._title.setText(label(kind) if cls.label else kind)
        doc = kind_help(cls)
        first = doc.split("\n\n")[0].replace("\n", " ").replace("``", "")
        self._about.setText(first)
        self._about.setToolTip(doc)
        self._title.setToolTip(doc)
        self._form = ModelForm(cls, self._edited, exclude=frozenset({"kind"}))
        self._form.show_amounts(self._currency)
        self._form_holder.addWidget(self._form)
        from .wheel_guard import guard_wheel

        guard_wheel(self._form)  # scrolling past the form never changes an interval or a count

    def set_currency(self, currency: str) -> None:
        """The currency the amounts beside the fields are written in (the quote's)."""
        self._currency = currency or "USD"
        if self._form is not None:
            self._form.show_amounts(self._currency)

    def _edited(self) -> None:
        if not self._loading:
            self._validate()
            self.changed.emit()

    def _validate(self) -> None:
        assert self._form is not None and self._kind is not None
        raw = {"kind": self._kind, **self._form.raw()}
        problems: list[tuple[Loc, str]] = []
        burn = self._form.fields.get("burn")
        if isinstance(burn, MappingEditor) and burn.repeated:
            problems.append(
                (("burn",), _("{names} listed twice").format(names=", ".join(burn.repeated)))
            )
        entries = self._form.entry_problems()
        problems += entries
        unreadable = {loc for loc, _why in entries}
        try:
            component = COMPONENT_KINDS[self._kind].model_validate(raw)
        except ValidationError as exc:
            component = None
            # A number that cannot be read is said once, in the locale's words.
            problems += [p for p in validation_problems(exc) if p[0] not in unreadable]
        self._component = None if problems else component
        self._problems = problems
        self._show()

    def _show(self) -> None:
        assert self._form is not None
        extra: list[tuple[Loc, str]] = [((name,), m) for name, m in self._extra.items()]
        self._form.show_problems(self._problems + extra)
        lines = self.messages()
        self._error_label.setText("\n".join(f"• {line}" for line in lines))
        self._error_label.setVisible(bool(lines))


# --- a list of components --------------------------------------------------------------


NEW_COMPONENT_FIELDS: dict[str, dict[str, Any]] = {
    "flat_fee": {"amount": "0"},
    "one_time_fee": {"amount": "0"},
    "per_unit": {"metric": "units", "unit_price": "0"},
    "graduated": {"metric": "units", "tiers": [{"up_to": "1000"}, {}]},
    "volume": {"metric": "units", "tiers": [{"up_to": "1000"}, {}]},
    "package": {"metric": "units", "package_size": "1000", "package_price": "0"},
    "allowance_overage": {"metric": "units", "overage_unit_price": "0"},
    "seats": {"seats": 1, "price_per_seat": "0"},
    "credits": {"burn": {"actions": "1"}, "overage_price_per_credit": "0"},
    "per_outcome": {"metric": "outcomes", "price_per_outcome": "0"},
    "percent_of_value": {"metric": "attributed_value", "percent": "0"},
    "transaction_fee": {
        "metric": "transaction_value",
        "count_metric": "transactions",
        "percent": "0",
    },
    "minimum_commitment": {"amount": "1000"},
}
"""What a newly added component of each kind starts with: valid, priced at zero."""


def unique_id(base: str, taken: set[str], max_length: int = 64) -> str:
    """``base``, or ``base_2``, ``base_3`` ... when taken; shortened to fit ``max_length``."""
    if base[:max_length] not in taken:
        return base[:max_length]
    number = 2
    while (candidate := f"{base[: max_length - len(str(number)) - 1]}_{number}") in taken:
        number += 1
    return candidate


def _max_length(model: type[BaseModel], field: str) -> int | None:
    bound = _bound(list(model.model_fields[field].metadata), "max_length")
    return int(bound) if bound is not None else None


def with_suffix(text: str, suffix: str, max_length: int | None) -> str:
    """``text`` + ``suffix``, ``text`` shortened so the whole fits ``max_length``."""
    if max_length is None:
        return text + suffix
    return text[: max(max_length - len(suffix), 0)] + suffix


def new_component(kind: str, taken_ids: Collection[str] = ()) -> Component:
    """A valid component of ``kind``, priced at zero, with an id not in ``taken_ids``."""
    cls = COMPONENT_KINDS[kind]
    return cls.model_validate(
        {
            "kind": kind,
            "id": unique_id(kind, set(taken_ids)),
            "name": cls.label or kind,
            **NEW_COMPONENT_FIELDS.get(kind, {}),
        }
    )


class ComponentListEditor(QWidget):
    """The components of a quote or a plan: a list beside the editor of the selected one.

    Keys in the list: Insert adds a component of the kind chosen, Delete removes,
    Ctrl+Up / Ctrl+Down move, Ctrl+D duplicates."""

    changed = Signal()
    """Emitted after every edit, valid or not."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editors: list[ComponentEditor] = []
        self.last_edited: ComponentEditor | None = None
        """The component whose field the last ``changed`` was for; None when the list
        itself changed (added, removed, moved, duplicated), so an undo stack can tell typing
        (merged into one step) from a change of the list (one step each)."""
        self._seat_ids = QStringListModel(self)
        self.list = QListWidget()
        self.list.setObjectName("component_list")
        self.list.setToolTip(
            _(
                "The components, in the order they appear on the proposal. Insert adds, Delete "
                "removes, Ctrl+Up / Ctrl+Down move, Ctrl+D duplicates."
            )
        )
        self.list.setMinimumWidth(220)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("component_kind_box")
        # On a row of its own, as wide as its longest kind ("Enthaltene Nutzung +
        # Überschreitung"): beside Add, 12 characters wide, it showed "Wiederkehrende Ge"
        # at 1366x768 in German; as wide as its longest kind beside Add, the list's column
        # took the room of the component's form.
        self.kind_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind_box.setToolTip(_("The kind of component to add"))
        for kind, cls in COMPONENT_KINDS.items():
            self.kind_box.addItem(label(kind) if cls.label else kind, kind)
            self.kind_box.setItemData(
                self.kind_box.count() - 1,
                kind_help(cls).split("\n\n")[0],
                Qt.ItemDataRole.ToolTipRole,
            )
        self.add_button = self._button(
            _("Add"), "add_component", _("Add a component of the kind chosen (Insert)")
        )
        self.remove_button = self._button(
            _("Remove"), "remove_component", _("Remove the selected component (Delete)")
        )
        self.up_button = self._button(
            _("Move up"), "move_up", _("Move the selected component up (Ctrl+Up)")
        )
        self.down_button = self._button(
            _("Move down"), "move_down", _("Move the selected component down (Ctrl+Down)")
        )
        self.duplicate_button = self._button(
            _("Duplicate"),
            "duplicate_component",
            _("Add a copy of the selected component (Ctrl+D)"),
        )
        self.add_button.clicked.connect(self.add_component)
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.duplicate_button.clicked.connect(self.duplicate_current)
        self.list.installEventFilter(self)
        keys.handled_by(
            self.list,
            [
                "components.add",
                "components.remove",
                "components.up",
                "components.down",
                "components.duplicate",
            ],
        )

        self.stack = QStackedWidget()
        self._empty = QLabel(_("No components yet: choose a kind and press Add."))
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self._empty)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop nobody sees
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.stack)
        self._scroll = scroll

        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        move_row = QHBoxLayout()
        move_row.addWidget(self.up_button)
        move_row.addWidget(self.down_button)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.duplicate_button)
        edit_row.addWidget(self.remove_button)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(self.kind_box)
        left.addLayout(add_row)
        left.addLayout(move_row)
        left.addLayout(edit_row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 2)
        layout.addWidget(scroll, 5)
        QWidget.setTabOrder(self.list, self.kind_box)
        QWidget.setTabOrder(self.kind_box, self.add_button)
        QWidget.setTabOrder(self.add_button, self.up_button)
        QWidget.setTabOrder(self.up_button, self.down_button)
        QWidget.setTabOrder(self.down_button, self.duplicate_button)
        QWidget.setTabOrder(self.duplicate_button, self.remove_button)
        self.list.currentRowChanged.connect(self._select)
        self._update_buttons()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """The list's keys: Insert, Delete, Ctrl+Up, Ctrl+Down, Ctrl+D."""
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            action: Callable[[], object] | None = None
            if keys.matches(event, "components.add"):
                action = self.add_component
            elif keys.matches(event, "components.remove"):
                action = self.remove_current
            elif keys.matches(event, "components.up"):
                action = lambda: self.move_current(-1)  # noqa: E731
            elif keys.matches(event, "components.down"):
                action = lambda: self.move_current(1)  # noqa: E731
            elif keys.matches(event, "components.duplicate"):
                action = self.duplicate_current
            if action is not None:
                action()
                return True
        return super().eventFilter(watched, event)

    def _button(self, text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        return button

    # --- the interface -------------------------------------------------------------------

    def set_components(self, components: list[Component]) -> None:
        """Edit ``components``; the selected row stays where it was when it still exists."""
        keep = max(self.list.currentRow(), 0)
        for editor in self._editors:
            self.stack.removeWidget(editor)
            editor.deleteLater()
        self._editors = []
        for component in components:
            self._editors.append(self._new_editor(component))
        self._refresh(min(keep, len(components) - 1))

    def components(self) -> list[Component]:
        """The components in order when every one is valid; an empty list while any is
        invalid (``errors`` says why)."""
        if self.errors():
            return []
        result = [editor.component() for editor in self._editors]
        return [c for c in result if c is not None]

    def messages(self) -> list[str]:
        """Each problem in the form's words: "Component 2: Price per seat: must not be
        negative" (``errors`` keeps the model's paths)."""
        return [
            _("Component {number}: {problem}").format(number=index + 1, problem=line)
            for index, editor in enumerate(self._editors)
            for line in editor.messages()
        ]

    def errors(self) -> list[str]:
        """``components[i].field: reason`` for each problem, i counting from 0."""
        lines = []
        for index, editor in enumerate(self._editors):
            for path, message in editor.problems():
                where = f"components[{index}]" + (f".{path}" if path else "")
                lines.append(f"{where}: {message}")
        return lines

    # --- for views and tests -------------------------------------------------------------

    def editors(self) -> list[ComponentEditor]:
        return list(self._editors)

    def current_editor(self) -> ComponentEditor | None:
        row = self.list.currentRow()
        return self._editors[row] if 0 <= row < len(self._editors) else None

    def count(self) -> int:
        return len(self._editors)

    def add_component(self, kind: str | None = None) -> ComponentEditor:
        chosen = kind if isinstance(kind, str) else str(self.kind_box.currentData())
        taken = {e.current_id() for e in self._editors}
        editor = self._new_editor(new_component(chosen, taken))
        row = self.list.currentRow() + 1 if self.list.currentRow() >= 0 else len(self._editors)
        self._editors.insert(row, editor)
        self._refresh(row)
        self.last_edited = None
        self.changed.emit()
        return editor

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self._editors):
            return
        editor = self._editors.pop(row)
        self.stack.removeWidget(editor)
        editor.deleteLater()
        self._refresh(min(row, len(self._editors) - 1))
        self.last_edited = None
        self.changed.emit()

    def move_current(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if not (0 <= row < len(self._editors) and 0 <= target < len(self._editors)):
            return
        self._editors[row], self._editors[target] = self._editors[target], self._editors[row]
        self._refresh(target)
        self.last_edited = None
        self.changed.emit()

    def duplicate_current(self) -> None:
        editor = self.current_editor()
        if editor is None:
            return
        component = editor.component()
        if component is None:
            return  # a copy of an invalid component would copy its problems: fix it first
        taken = {e.current_id() for e in self._editors}
        cls = type(component)
        id_length = _max_length(cls, "id") or 64
        # A long id or name is shortened to make room for the suffix: the copy stays valid.
        copy = component.model_copy(
            update={
                "id": unique_id(with_suffix(component.id, "_copy", id_length), taken, id_length),
                "name": with_suffix(component.name, " (copy)", _max_length(cls, "name")),
            }
        )
        row = self.list.currentRow() + 1
        self._editors.insert(
            row, self._new_editor(type(component).model_validate(copy.model_dump()))
        )
        self._refresh(row)
        self.last_edited = None
        self.changed.emit()

    # --- internals -----------------------------------------------------------------------

    currency = "USD"
    """The currency the component forms write their amounts in (``set_currency``)."""

    def set_currency(self, currency: str) -> None:
        """Write every form's amounts in ``currency`` (the quote's or the plan's)."""
        self.currency = currency or "USD"
        for editor in self._editors:
            editor.set_currency(self.currency)

    def _new_editor(self, component: Component) -> ComponentEditor:
        editor = ComponentEditor(component)
        editor.set_currency(self.currency)
        editor.changed.connect(self._edited)
        self.stack.addWidget(editor)
        return editor

    def _edited(self) -> None:
        sender = self.sender()
        self.last_edited = sender if isinstance(sender, ComponentEditor) else None
        self._check_ids()
        self._update_items()
        self.changed.emit()

    def _offer_seat_ids(self) -> None:
        """``seats_component`` fields complete from the ids of the seats components."""
        seat_ids = sorted(
            {e.current_id() for e in self._editors if e.kind() == "seats" and e.current_id()}
        )
        if self._seat_ids.stringList() != seat_ids:
            self._seat_ids.setStringList(seat_ids)
        hint = (
            _("e.g. {example}").format(example=", ".join(seat_ids[:3]))
            if seat_ids
            else _("add a seats component first")
        )
        for editor in self._editors:
            for line in editor.findChildren(QLineEdit, "field_seats_component"):
                if line.completer() is None:
                    completer = QCompleter(self._seat_ids, line)
                    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                    completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
                    line.setCompleter(completer)
                line.setPlaceholderText(hint)

    def _check_ids(self) -> None:
        self._offer_seat_ids()
        ids = [e.current_id() for e in self._editors]
        for editor, id_ in zip(self._editors, ids, strict=True):
            repeated = id_ and ids.count(id_) > 1
            editor.set_extra_problem(
                "id",
                _("{id!r} is used by another component; ids must be unique").format(id=id_)
                if repeated
                else None,
            )

    def _refresh(self, current: int) -> None:
        self._check_ids()
        self.list.blockSignals(True)
        self.list.clear()
        for _editor in self._editors:
            self.list.addItem(QListWidgetItem())
        self.list.blockSignals(False)
        self._update_items()
        if 0 <= current < len(self._editors):
            self.list.setCurrentRow(current)
        self._select(self.list.currentRow())

    def _update_items(self) -> None:
        for row, editor in enumerate(self._editors):
            item = self.list.item(row)
            if item is None:
                continue
            cls = COMPONENT_KINDS[editor.kind() or ""]
            problems = editor.errors()
            text = f"{editor.current_name() or editor.current_id() or _('(unnamed)')}  ·  {label(editor.kind() or '')}"
            if problems:
                text = "⚠ " + text
                item.setForeground(QBrush(colours.qcolor("error")))
                item.setToolTip("\n".join(editor.messages()))
            else:
                item.setForeground(QBrush())
                item.setToolTip(kind_help(cls).split("\n\n")[0])
            item.setText(text)

    def _select(self, row: int) -> None:
        if 0 <= row < len(self._editors):
            self.stack.setCurrentWidget(self._editors[row])
        else:
            self.stack.setCurrentWidget(self._empty)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        has = 0 <= row < len(self._editors)
        self.remove_button.setEnabled(has)
        self.duplicate_button.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < len(self._editors) - 1)
