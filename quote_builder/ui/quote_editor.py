"""The quote editor: the quote's parts as tabs, a live summary beside them, undo and redo,
versions, compare, duplicate, save with conflict handling, drafts kept against crashes.

The editor holds the quote as JSON-ready data (the documented quote format). Every edit is
an undoable command that changes one path of that data; after each edit the data is
validated by the pricing models and repriced (milliseconds), and the summary repaints.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable
from contextlib import suppress
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import ValidationError
from PySide6.QtCore import QDate, QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QBrush,
    QCloseEvent,
    QCursor,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QShowEvent,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
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
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from quote_builder.app_dirs import drafts_dir
from quote_builder.documents.price_sheet import SheetRow, sheet_from_quote
from quote_builder.errors import UserFacingError
from quote_builder.numbers import NumberEntryError
from quote_builder.pricing import PricedQuote, QuoteDocument, QuoteFileError, price
from quote_builder.pricing.currency import is_currency
from quote_builder.pricing.document import UsageEvidence
from quote_builder.pricing.evidence import EvidenceBills, evidence_bills
from quote_builder.pricing.factory import component_from_dict
from quote_builder.pricing.fields import SHORT_TEXT_MAX
from quote_builder.pricing.languages import LANGUAGES
from quote_builder.pricing.playbook import PricingModel, ProductCategory
from quote_builder.pricing.quote_format import canonical_json, quote_from_data
from quote_builder.pricing.tax import CustomerTaxFacts
from quote_builder.safe_files import write_atomic
from quote_builder.services import quotes as quote_service
from quote_builder.services import words
from quote_builder.services.approvals import ApprovalState
from quote_builder.services.core import Changes, ConflictError, Outcome
from quote_builder.services.currencies import CurrencyChange
from quote_builder.services.preview import preview_meta
from quote_builder.services.settings import get_settings, jurisdiction_unset

from . import (
    accessibility,
    colours,
    desktop_open,
    geometry,
    history_words,
    labels,
    locale_format,
    service_words,
)
from . import shortcuts as keys
from .approval_banner import ApprovalBanner, EditJudgement
from .countries import inherited_label, language_label, shown_place
from .edit_gate import EditGate
from .engine_words import reason_texts
from .i18n import N_, _, error_message, error_text, joined, label_and, ngettext
from .labels import label as enum_label
from .labels import policy_words
from .locale_numbers import amount, field_text, parse, percent, reason, stored_text
from .number_fields import NUMBER_ALIGNMENT, WholeNumberBox, align_number, align_number_columns
from .options_panel import OptionsPanel
from .preview import PreviewPane
from .price_table import PriceTablePanel
from .price_table_edits import CellRefused, edit_cell
from .reason_words import (
    CURRENCY_CODE_MAX,
    currency_too_long,
    problem_text,
    reason_text,
    too_long,
    with_limit,
)
from .service_words import unprintable_text
from .summary_panel import TAX_STALE_CODE, SummaryPanel
from .usage_panel import UsagePanel

if TYPE_CHECKING:
    from .main_window import MainWindow

Path_ = tuple[str | int, ...]
DEAL_DISCOUNT = "Deal discount"
DEAL_DISCOUNT_PATH: tuple[str | int, ...] = ("discounts", 0)
"""Redo's keys on every platform (one binding each: two equal ones make both dead)."""
EVIDENCE_DELAY_MS = 150
BANNER_SETTLE_MS = 1500
"""After typing pauses this long, the banner gives back the height a message left."""
"""The usage log's bill range follows edits this long after they pause."""


def get_path(data: Any, path: Path_) -> Any:
    for key in path:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
        if data is None:
            return None
    return data


def set_path(data: dict[str, Any], path: Path_, value: Any) -> None:
    """Set ``path`` to ``value`` (None or "" removes it), creating what is missing on the way:
    a dict for a missing key, a new last element for a list index one past its end."""
    target: Any = data
    for key, following in zip(path[:-1], path[1:], strict=True):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(target, dict):
            if not isinstance(target.get(key), dict | list):
                target[key] = empty
            target = target[key]
        else:
            assert isinstance(target, list) and isinstance(key, int)
            if key > len(target):
                raise IndexError(f"{path_text(path)}: no element {key - 1} before it")
            if key == len(target):
                target.append(empty)
            target = target[key]
    last = path[-1]
    if value is None or value == "":
        if isinstance(target, dict):
            target.pop(last, None)
        elif isinstance(last, int) and last < len(target):
            del target[last]
    elif isinstance(target, list):
        assert isinstance(last, int)
        if last == len(target):
            target.append(value)
        else:
            target[last] = value
    else:
        target[last] = value


def path_text(path: Path_) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text


def number_text(text: str) -> str | None:
    """What a number field or cell holds in the quote data: the number in plain digits,
    read as the interface's locale writes numbers (1,234.5 in en_US and 1.234,5 in de_DE are
    both "1234.5"); None when empty; the text as typed when it is not a number (the field
    is then an unrecorded edit, marked with ``reason``, and never priced)."""
    return stored_text(text)


Part = tuple[bool, Any]
"""One top-level part of the quote data: (present, value)."""


class TypedEntries(NamedTuple):
    """Invalid entries Undo took off the screen, kept for Redo: at undo stack index ``step``
    over quote ``data`` (its raw JSON); ``fields``: the bound fields' texts by binding;
    ``components``: each invalid component form's line texts by object name; ``tables``:
    the usage and ramp tables' cells by attribute name."""

    step: int
    data: str
    fields: dict[int, str]
    components: dict[int, dict[str, str]]
    tables: dict[str, list[list[QTableWidgetItem | None]]]


def _entry_text(widget: QWidget) -> str:
    """The text typed in a bound field (a spin box's too)."""
    if isinstance(widget, QAbstractSpinBox):
        return widget.lineEdit().text()
    if isinstance(widget, QLineEdit):
        return widget.text()
    return ""


def _set_entry_text(widget: QWidget, text: str) -> None:
    if isinstance(widget, QAbstractSpinBox):
        widget.lineEdit().setText(text)
    elif isinstance(widget, QLineEdit):
        widget.setText(text)


def _table_cells(table: QTableWidget) -> list[list[QTableWidgetItem | None]]:
    """Copies of a table's cells (their text, check state and data: a ramp row's kind)."""
    return [
        [
            (item.clone() if (item := table.item(row, col)) is not None else None)
            for col in range(table.columnCount())
        ]
        for row in range(table.rowCount())
    ]


def _set_table_cells(table: QTableWidget, cells: list[list[QTableWidgetItem | None]]) -> None:
    blocked = table.blockSignals(True)
    try:
        table.setRowCount(0)
        table.setRowCount(len(cells))
        for row, items in enumerate(cells):
            for col, item in enumerate(items):
                if item is not None:
                    table.setItem(row, col, item.clone())
    finally:
        table.blockSignals(blocked)


class EditCommand(QUndoCommand):
    """One edit of the quote: the whole top-level part it touched (``key``: discounts,
    economics, components ...) as it was before and after. Undo and redo put that part back
    exactly, so an edit that also changed the data's structure (typing the first deal
    discount creates the discount; clearing it removes it; typing a lever creates the
    levers) is taken back whole and the data never drifts from what was saved.

    Consecutive edits with the same ``merge_key`` (one field typed into) merge, so undo
    takes back a whole typed value, not one keystroke; a merge that ends where it started
    (typed, then deleted) leaves no step behind. ``merge_key`` None: never merged (a
    component added, a usage log loaded are one step each)."""

    def __init__(
        self,
        editor: QuoteEditor,
        key: str,
        before: Part,
        after: Part,
        label: str,
        merge_key: Any = None,
        *,
        typed: bool = True,
    ) -> None:
        super().__init__(label)
        self.editor, self.key = editor, key
        self.before, self.after = copy.deepcopy(before), copy.deepcopy(after)
        self.merge_key = merge_key
        self._pushed = not typed
        """Whether the edit has been made once; ``typed``: it is made in a widget that
        already shows it."""

    def id(self) -> int:
        return -1 if self.merge_key is None else hash(self.merge_key) & 0x7FFFFFFF

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt's name)
        if (
            not isinstance(other, EditCommand)
            or self.merge_key is None
            or other.merge_key != self.merge_key
            or other.key != self.key
        ):
            return False
        self.after = copy.deepcopy(other.after)
        if self.after == self.before:
            self.setObsolete(True)  # typed and deleted again: nothing to undo
        return True

    def redo(self) -> None:
        # The first redo is the edit itself: the widget that was typed into already shows it.
        self.editor.restore(self.key, self.after, typed=not self._pushed)
        self._pushed = True

    def undo(self) -> None:
        self.editor.restore(self.key, self.before, typed=False)


def _drop_empty_deal_discount(data: dict[str, Any]) -> None:
    """The Terms tab's deal discount is the first discount: created by typing its percent
    (or months), removed when both are cleared and nothing else is set on it. Whatever its
    description: the guided flow names it "Discount" (in the interface's language), a plan
    or a file may name it otherwise, and a discount with nothing but a name (and where it
    starts) takes nothing off: empty percent and empty months mean no discount."""
    discounts = data.get("discounts")
    if isinstance(discounts, list) and discounts and isinstance(discounts[0], dict):
        first = discounts[0]
        if not (set(first) - {"description", "start_month"}):
            del discounts[0]
    elif isinstance(discounts, list) and discounts and discounts[0] is None:
        del discounts[0]


def _forecast_cells(forecast: dict[str, Any]) -> tuple[str, str]:
    """(Monthly, Growth % / month) as the usage table shows a forecast entry: a forecast per
    contract year shows its first year."""
    monthly = forecast.get("monthly")
    if monthly is None and forecast.get("per_year"):
        monthly = forecast["per_year"][0]
    growth = forecast.get("growth_percent_per_month")
    return (
        "" if monthly is None else str(monthly).strip(),
        "" if growth is None else str(growth).strip(),
    )


_COMPONENT_FIELD = re.compile(r"components\[(\d+)\]\.(\w+)")


def _component_field_problem(where: str, reason: str, data: dict[str, Any]) -> str | None:
    """A problem of one field of a component in the interface's language, named as the
    Components tab labels it: "Composant 3 (Analyst queries) : Prix unitaire de
    dépassement : ne doit pas être négatif" (the quote format's English place stayed in
    the French and German warnings list); None for any other place."""
    match = _COMPONENT_FIELD.fullmatch(where)
    if match is None or not reason:
        return None
    from .component_words import field_label

    index = int(match.group(1))
    components = data.get("components") or []
    name = ""
    if index < len(components) and isinstance(components[index], dict):
        name = str(components[index].get("name") or "")
    number = f"{index + 1} ({name})" if name else str(index + 1)
    why = reason_text(words.reason(reason))
    return _("Component {number}: {problem}").format(
        number=number, problem=label_and(field_label(match.group(2)), why)
    )


def _form_label(widget: QWidget) -> str:
    """The text of the label beside ``widget`` in its form (empty when it has none)."""
    parent = widget.parentWidget()
    if parent is None:
        return ""
    own = parent.layout()
    layouts = ([own] if isinstance(own, QFormLayout) else []) + parent.findChildren(QFormLayout)
    for layout in layouts:
        label = layout.labelForField(widget)
        if isinstance(label, QLabel) and label.text():
            # The label without the ⚠ an invalid field puts before it (colours.flag_label).
            return label.text().replace("&&", "&").removeprefix(colours.INVALID_MARK)
    return ""


def _is_redo_key(event: QKeyEvent) -> bool:
    """Ctrl+Shift+Z or Ctrl+Y (the key press of either, whatever the platform's standard)."""
    control = Qt.KeyboardModifier.ControlModifier
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return (
        event.key() == Qt.Key.Key_Z and modifiers == (control | Qt.KeyboardModifier.ShiftModifier)
    ) or (event.key() == Qt.Key.Key_Y and modifiers == control)


def _raw_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, default=str)


class Binding:
    """A form widget bound to one path of the quote data. ``entry_problem`` says why what is
    typed cannot be read (a number the locale does not write that way): such an entry is
    shown but never recorded in the data. ``print_problem`` says why the PDF cannot print
    what is typed (an emoji in the Title): recorded and priced like any text, the field
    marked with the sentence; only what needs the PDF is refused (Export PDF, Request
    approval, Finalise)."""

    def __init__(
        self,
        path: Path_,
        widget: QWidget,
        read: Callable[[], Any],
        write: Callable[[Any], None],
        entry_problem: Callable[[], str | None] | None = None,
        print_problem: Callable[[], str | None] | None = None,
    ) -> None:
        self.path, self.widget, self.read, self.write = path, widget, read, write
        self.entry_problem = entry_problem or (lambda: None)
        self.print_problem = print_problem or (lambda: None)
        self.tooltip = widget.toolTip()


def scrolling(page: QWidget, name: str) -> QScrollArea:
    """``page`` in a frameless scroll area that gives it the whole width it can."""
    scroll = QScrollArea()
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop nobody sees
    scroll.setObjectName(name)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(page)
    return scroll


class QuoteEditor(QWidget):
    """Edits one quote's data; the window around it adds actions and saving."""

    def __init__(
        self,
        data: dict[str, Any],
        settings_floor: Decimal,
        parent: QWidget | None = None,
        *,
        jurisdiction: Callable[[QuoteDocument], tuple[str, ...]] | None = None,
        unprintable: Callable[[QuoteDocument], tuple[str, ...]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.data = copy.deepcopy(data)
        self.settings_floor = settings_floor
        """The Settings' margin floor now: the summary says so when the quote's differs."""
        self.jurisdiction: Callable[[QuoteDocument], tuple[str, ...]] = jurisdiction or (
            lambda _document: ()
        )
        """The governing law and courts the quote's order form lacks under the seller's
        settings (``services.settings.jurisdiction_unset``), listed with the warnings."""
        self.unprintable: Callable[[QuoteDocument], tuple[str, ...]] = unprintable or (
            lambda _document: ()
        )
        """Text of the quote the PDF cannot print, as sentences in the interface's language
        (``services.printable.print_problems``, set by the window), listed with the
        warnings."""
        self.customer_tax: CustomerTaxFacts | None = None
        """What the customer's record says now of its country, region and tax ID (the
        window sets it; None in a bare editor): a tax decided on other details is stale,
        listed with the warnings and in the banner (``stale_tax_text``)."""
        self.undo_stack = QUndoStack(self)
        self._typed_redo: TypedEntries | None = None
        """What Undo took off the screen while it could not be recorded (an invalid entry):
        Redo puts it back, marked again, as long as nothing was edited since."""
        self.bindings: list[Binding] = []
        self._loading = False
        self.problems: list[str] = []
        self.document: QuoteDocument | None = None
        self.priced: PricedQuote | None = None
        """The pricing of ``document`` (None while the quote cannot be priced)."""
        self.tabs = QTabWidget()
        # The Terms tab scrolls: with the document language it is taller than a laptop's
        # screen allows the editor (1366x768, tests/ui/test_databases.py).
        terms = QScrollArea()
        terms.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop nobody sees
        terms.setObjectName("terms_scroll")
        terms.setWidgetResizable(True)
        terms.setFrameShape(QFrame.Shape.NoFrame)
        terms.setWidget(self._terms_tab())
        self.tabs.addTab(terms, _("Terms"))
        self.tabs.addTab(self._components_tab(), _("Components"))
        self.price_table = PriceTablePanel()
        self.price_table.model.edit_requested.connect(self._price_cell_edited)
        self.price_table.model.edit_refused.connect(self.price_table.say)
        self.price_table.view.paste_requested.connect(self._paste_quantities)
        self.tabs.addTab(self.price_table, _("Price table"))
        self.options = OptionsPanel(self.apply_data)
        self.tabs.addTab(self.options, _("Options"))
        # These tabs scroll too: unscrolled, their forms made the editor 827x638 at least,
        # larger than a 1366x768 screen at 200 % (683x384) or 150 % (910x512) scaling,
        # and the window ran off the screen with Save's result and the totals out of view.
        self.tabs.addTab(scrolling(self._usage_tab(), "usage_scroll"), _("Usage && economics"))
        self.usage_panel = UsagePanel(lambda: self.document, in_editor=True)
        self.usage_panel.evidence_loaded.connect(
            lambda evidence: self._push(
                ("usage_evidence",),
                evidence.model_dump(mode="json", exclude_none=True),
                merge=False,
            )
        )
        self.usage_panel.removed.connect(lambda: self._push(("usage_evidence",), None, merge=False))
        self.usage_panel.mapping_changed.connect(
            lambda chosen: self._push(("usage_evidence", "metric_map"), chosen, merge=False)
        )
        self.usage_log_tab = self.tabs.addTab(self.usage_panel, _("Usage log"))
        self.tabs.addTab(scrolling(self._value_tab(), "value_scroll"), _("Value && contract"))
        self.tabs.currentChanged.connect(lambda _index: self._refresh_usage_panel())
        self.tabs.currentChanged.connect(lambda _index: self._refresh_price_table())
        self.tabs.currentChanged.connect(lambda _index: self._refresh_options())
        self.tabs.currentChanged.connect(
            lambda _index: accessibility.name_inputs(self.tabs.currentWidget())
        )
        self._evidence_timer = QTimer(self)
        self._evidence_timer.setSingleShot(True)
        self._evidence_timer.setInterval(EVIDENCE_DELAY_MS)
        self._evidence_timer.timeout.connect(self.update_evidence)
        self._bills_of: tuple[QuoteDocument | None, EvidenceBills | None] = (None, None)
        self._canonical_of: tuple[QuoteDocument | None, str] = (None, "")
        self.summary = SummaryPanel()
        self.summary.warnings.itemActivated.connect(self._warning_activated)
        # The totals never clip: the splitter cannot squeeze the panel below the width its
        # amounts need (SummaryPanel.minimumSizeHint), and a short window scrolls it.
        self.summary_scroll = QScrollArea()
        self.summary_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop nobody sees
        self.summary_scroll.setObjectName("summary_scroll")
        self.summary_scroll.setWidget(self.summary)
        self.summary_scroll.setWidgetResizable(True)
        self.summary_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.summary_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.summary.resized.connect(self._fit_summary)
        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.summary_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        QVBoxLayout(self).addWidget(splitter)
        self._load_widgets()
        self._watch_inputs(self.components)
        from .wheel_guard import guard_wheel

        guard_wheel(self.tabs)  # scrolling a tab never changes a term, a date or a choice
        self.reprice()
        self.saved_data = copy.deepcopy(self.data)
        self._saved_canonical: str | None = canonical_json(self.document) if self.document else None
        self.update_evidence()
        accessibility.name_inputs(self)

    def _fit_summary(self) -> None:
        """The summary's scroll area is at least as wide as the totals need."""
        bar = self.summary_scroll.verticalScrollBar().sizeHint().width()
        # The panel's layout keeps its last minimum until its posted layout request runs:
        # asked now (a label's text just changed), it must compute it again.
        layout = self.summary.layout()
        if layout is not None:
            layout.invalidate()
            layout.activate()
        needed = self.summary.minimumSizeHint().width() + bar
        if needed == self.summary_scroll.minimumWidth():
            return
        self.summary_scroll.setMinimumWidth(needed)
        # A wider minimum can make Qt widen the window past the screen's edge: bring it back.
        window = self.window()
        if window.isVisible():
            QTimer.singleShot(0, window, lambda: geometry.fit_on_screen(window))

    # --- building forms ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Ctrl+Z / Ctrl+Shift+Z inside a field undo the quote edit, not just the field's
        text (which would leave the quote data and the field out of step)."""
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
            event, QKeyEvent
        ):
            if event.matches(QKeySequence.StandardKey.Undo):
                if event.type() == QEvent.Type.KeyPress:
                    self.undo()
                event.accept()  # the override claims the key; the press that follows undoes
                return True
            if event.matches(QKeySequence.StandardKey.Redo) or _is_redo_key(event):
                if event.type() == QEvent.Type.KeyPress:
                    self.redo()
                event.accept()
                return True
        return super().eventFilter(watched, event)

    def _bind(
        self,
        path: Path_,
        widget: QWidget,
        read: Callable[[], Any],
        write: Callable[[Any], None],
        signal: Any,
        tip: str,
        entry_problem: Callable[[], str | None] | None = None,
        print_problem: Callable[[], str | None] | None = None,
    ) -> QWidget:
        widget.setToolTip(tip)
        widget.installEventFilter(self)
        for child in widget.findChildren(QLineEdit):
            child.installEventFilter(self)
        binding = Binding(path, widget, read, write, entry_problem, print_problem)
        self.bindings.append(binding)
        signal.connect(lambda *_: self._edited(binding))
        return widget

    def text(
        self, path: Path_, tip: str, *, printed_as: str = "", limit: int | None = None
    ) -> QLineEdit:
        """A text field; ``printed_as``: the customer view's name of the field when the
        PDF prints it (``title``): a character the PDF fonts cannot draw is then marked as
        it is typed, with the documents' own sentence naming the field. The text is
        recorded and the quote priced as usual: only the PDF's actions refuse it.
        ``limit``: the quote format's longest text (the Title's 200 characters). A longer
        text is kept as typed or pasted, never cut, and marked with its length; it is not
        recorded (Save says why) until the rep shortens it."""
        edit = QLineEdit()

        def problem() -> str | None:
            found = unprintable_text(printed_as, edit.text())
            return found if found else None

        self._bind(
            path,
            edit,
            edit.text,
            lambda v: edit.setText("" if v is None else str(v)),
            edit.textEdited,
            tip,
            (lambda: too_long(edit.text(), limit)) if limit is not None else None,
            print_problem=problem if printed_as else None,
        )
        return edit

    def _currency_field(self) -> QLineEdit:
        """The quote's currency. A code being typed ("E", "EU") is shown, not recorded (the
        field says why, as the quote format does); a new code the quote's prices are not in
        goes through ``change_currency``: convert the prices or keep the numbers, asked."""
        edit = QLineEdit()
        edit.setObjectName("currency")

        def problem() -> str | None:
            code = edit.text().strip().upper()
            if is_currency(code):
                return None
            long = currency_too_long(code)
            if long:  # "EURO" pasted: kept whole, its length said
                return long
            return words.reason(
                f"unknown currency {edit.text()!r}: use an ISO 4217 code such as USD, EUR or JPY"
            )

        self._bind(
            ("currency",),
            edit,
            lambda: edit.text().strip().upper(),
            lambda v: edit.setText("" if v is None else str(v)),
            edit.textEdited,
            with_limit(_("An ISO 4217 currency code, e.g. USD, EUR or JPY."), CURRENCY_CODE_MAX),
            problem,
        )
        self.currency_edit = edit
        # A new code is asked about when the rep leaves the field or presses Enter, not at
        # its third letter: the key that leaves the field would otherwise land in the
        # question (Tab moved the focus to "Keep the numbers", Enter then relabelled).
        edit.editingFinished.connect(self.commit_currency)
        return edit

    def decimal(self, path: Path_, tip: str, *, percent: bool = False) -> QLineEdit:
        """A number typed as text and kept as a decimal string: never a float.
        ``percent``: a percent field (a refusal's example is a percent, "e.g. 12.5"); a
        field whose path ends in ``percent`` is one."""
        edit = align_number(QLineEdit())
        percent = percent or str(path[-1]).endswith("percent")

        self._bind(
            path,
            edit,
            lambda: number_text(edit.text()),
            lambda v: edit.setText(field_text(v)),
            edit.textEdited,
            tip,
            lambda: reason(edit.text(), percent=percent),
        )
        return edit

    def integer(self, path: Path_, tip: str, low: int, high: int) -> QSpinBox:
        """A count (months, days): a text the number parser cannot read as one ("3y",
        "12.5", "-5") is kept as typed and marked, not recorded (Save says why), never
        rewritten into another number as Qt's spin box did ("3y" was 3 months)."""
        spin = WholeNumberBox(path_text(path), low, high)
        self._bind(
            path,
            spin,
            spin.value,
            lambda v: spin.setValue(int(v) if v is not None else low),
            spin.valueChanged,
            tip,
            spin.reason,
        )
        spin.lineEdit().textEdited.connect(lambda _text: self.reprice())
        return spin

    def choice(self, path: Path_, tip: str, options: list[tuple[str, str | None]]) -> QComboBox:
        combo = QComboBox()
        for label, value in options:
            combo.addItem(label, value)

        def write(value: Any) -> None:
            index = combo.findData(value)
            combo.setCurrentIndex(max(index, 0))

        self._bind(path, combo, combo.currentData, write, combo.activated, tip)
        return combo

    def date(self, path: Path_, tip: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(locale_format.date_input_format())

        def write(value: Any) -> None:
            day = dt.date.fromisoformat(value) if value else dt.date.today()
            edit.setDate(QDate(day.year, day.month, day.day))

        self._bind(
            path, edit, lambda: edit.date().toString("yyyy-MM-dd"), write, edit.dateChanged, tip
        )
        return edit

    def check(self, path: Path_, label: str, tip: str) -> QCheckBox:
        box = QCheckBox(label)
        self._bind(
            path,
            box,
            box.isChecked,
            lambda v: box.setChecked(bool(v) if v is not None else True),
            box.toggled,
            tip,
        )
        return box

    def _terms_tab(self) -> QWidget:
        page = QWidget()
        page.setObjectName("terms_page")
        form = QFormLayout(page)
        title = self.text(
            ("title",),
            _("A title for the proposal's cover (up to {limit} characters)").format(
                limit=SHORT_TEXT_MAX
            ),
            printed_as="title",
            limit=SHORT_TEXT_MAX,  # the quote format's: a longer title is marked, not cut
        )
        form.addRow(_("Title"), title)
        customer = self.text(
            ("customer", "name"),
            _(
                "The customer the quote is for: chosen when the quote was made; a saved version "
                "always carries the customer's name from the Customers page"
            ),
        )
        customer.setReadOnly(True)  # saving takes the name from the customer record
        # Read-only and looking it: no frame, the window's background, so the rep does not
        # try to type a new name here (the Customers page changes it).
        customer.setFrame(False)
        customer.setObjectName("customer_name")
        palette = customer.palette()
        palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
        customer.setPalette(palette)
        form.addRow(_("Customer"), customer)
        form.addRow(_("Recipient"), self._recipient_box())
        language = self.choice(
            ("language",),
            _(
                "The language of this quote's proposal and order form (the preview and Export "
                "PDF follow it): the customer's (set on the Customers page, else from their "
                "country), or another"
            ),
            [(_("The customer's"), None)] + [(language_label(code), code) for code in LANGUAGES],
        )
        language.setObjectName("document_language")
        self.document_language = language
        form.addRow(_("Document language"), language)
        form.addRow(
            _("Product category"),
            self.choice(
                ("product_category",),
                _("The playbook's category: it sets the price ranges the quote is checked against"),
                [(_("(none)"), None)] + [(enum_label(c.value), c.value) for c in ProductCategory],
            ),
        )
        form.addRow(
            _("Pricing model"),
            self.choice(
                ("pricing_model",),
                _("The pricing model this quote follows"),
                [(_("(none)"), None)] + [(enum_label(m.value), m.value) for m in PricingModel],
            ),
        )
        form.addRow(_("Currency"), self._currency_field())
        form.addRow(_("Start date"), self.date(("start_date",), _("First day of the contract")))
        form.addRow(
            _("Term (months)"),
            self.integer(("term_months",), _("Length of the contract in months"), 1, 120),
        )
        form.addRow(
            _("Billing"),
            self.choice(
                ("billing_frequency",),
                _("How often invoices go out (fixed fees in advance, usage in arrears)"),
                [
                    (_("Monthly"), "monthly"),
                    (_("Quarterly"), "quarterly"),
                    (_("Annual in advance"), "annual"),
                ],
            ),
        )
        form.addRow(
            _("Annual escalator %"),
            self.decimal(
                ("escalator_percent",),
                _("Price increase each contract year from year 2, compounding (usually 3-5%)"),
            ),
        )
        form.addRow(
            _("Deal discount %"),
            self.decimal(
                ("discounts", 0, "percent"),
                _("A percent off every recurring fee; leave empty for none"),
            ),
        )
        form.addRow(
            _("…for months"),
            self.decimal(
                ("discounts", 0, "months"),
                _("How many months the deal discount lasts; empty for the whole term"),
            ),
        )
        # A line's own discount (typed on the Price table) adds to the deal discount: said
        # here, where the rep reads the discount, not only in the Price table's cells.
        self.line_discounts = QLabel()
        self.line_discounts.setObjectName("line_discounts")
        self.line_discounts.setWordWrap(True)
        self.line_discounts.setVisible(False)
        form.addRow("", self.line_discounts)
        form.addRow(self._ramps_box())
        form.addRow(self._tax_box())
        # The tab scrolls rather than making the editor taller than a laptop's screen.
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop nobody sees
        scroll.setObjectName("terms_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll

    # --- tax ---------------------------------------------------------------------------

    def _tax_box(self) -> QGroupBox:
        """The quote's tax line: decided from the customer and Settings (the rate table),
        kept with the quote; a rate the rep enters (US sales tax) must be confirmed before
        the quote goes out as final. Each change is one undo step."""
        box = QGroupBox(_("Tax"))
        box.setObjectName("tax_box")
        box.setToolTip(
            _(
                "Tax is shown beside the price on the proposal and the order form; it never "
                "changes revenue, margin or approvals."
            )
        )
        self.tax_summary = QLabel()
        self.tax_summary.setObjectName("tax_summary")
        self.tax_summary.setWordWrap(True)
        self.tax_rate = align_number(QLineEdit())
        self.tax_rate.setObjectName("tax_rate")
        self.tax_rate.setToolTip(
            _(
                "The rate you enter for this quote (US sales tax, a reduced rate); 0 when the "
                "sale is not taxable. Apply it, then confirm it."
            )
        )
        self.tax_confirmed = QCheckBox(_("I confirm this rate applies to the customer"))
        self.tax_confirmed.setObjectName("tax_confirmed")
        self.tax_confirmed.setToolTip(
            _("A rate you entered must be confirmed before the quote is sent as final")
        )
        update = QPushButton(_("Update from customer and Settings"))
        update.setObjectName("tax_update")
        update.setToolTip(
            _(
                "Decide the tax again from the seller's and the customer's country, region and "
                "tax IDs and the rate table"
            )
        )
        apply_rate = QPushButton(_("Apply rate"))
        apply_rate.setObjectName("tax_apply_rate")
        remove = QPushButton(_("No tax line"))
        remove.setObjectName("tax_remove")
        remove.setToolTip(_("Print prices without a tax line (amounts before tax)"))
        self.tax_message = QLabel()
        self.tax_message.setObjectName("tax_message")
        self.tax_message.setWordWrap(True)
        self.tax_message.hide()
        rate_row = QHBoxLayout()
        rate_row.addWidget(QLabel(_("Rate %")))
        rate_row.addWidget(self.tax_rate)
        rate_row.addWidget(apply_rate)
        rate_row.addWidget(self.tax_confirmed)
        rate_row.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(update)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.tax_summary)
        layout.addLayout(rate_row)
        layout.addLayout(buttons)
        layout.addWidget(self.tax_message)
        update.clicked.connect(self.update_tax)
        apply_rate.clicked.connect(
            lambda: self.set_tax_rate(confirmed=self.tax_confirmed.isChecked())
        )
        self.tax_confirmed.clicked.connect(lambda checked: self.set_tax_rate(confirmed=checked))
        remove.clicked.connect(self.remove_tax)
        return box

    def _show_tax(self) -> None:
        tax = self.data.get("tax")
        self.tax_message.hide()
        if not tax:
            self.tax_summary.setText(
                _(
                    "No tax line: the documents show amounts before tax. Update from customer "
                    "and Settings to add one."
                )
            )
            self.tax_rate.setText("")
            self.tax_confirmed.setChecked(False)
            return
        from quote_builder.pricing.document import QuoteTax

        try:
            rate = QuoteTax.model_validate(tax).rate_percent
        except ValidationError:
            self.tax_summary.setText(_("The quote's tax line is not valid: update it."))
            return
        name = labels.tax_title(tax.get("kind", "tax"))
        rule = labels.tax_rule(tax.get("rule", ""))
        where = shown_place(
            tax.get("customer_country", "")
            + (f"-{tax['customer_region']}" if tax.get("customer_region") else "")
        )
        source = (
            _("rate table of {day}").format(day=locale_format.day(tax.get("table_as_of")))
            if tax.get("rate_source") == "table"
            else (
                _("your rate, confirmed") if tax.get("confirmed") else _("your rate, NOT confirmed")
            )
        )
        self.tax_summary.setText(
            _("{tax} {rate} for {place}: {rule} ({source}).").format(
                tax=name,
                rate=locale_format.percent(
                    rate, 3 if rate != rate.quantize(Decimal("0.01")) else 2
                ),
                place=where,
                rule=rule,
                source=source,
            )
        )
        self.tax_rate.setText(field_text(rate))
        self.tax_confirmed.setChecked(bool(tax.get("confirmed")))

    def _tax_problem(self, text: str) -> None:
        self.tax_message.setText(text)
        self.tax_message.setStyleSheet(colours.text_style("error"))
        self.tax_message.setVisible(bool(text))

    decide_tax: Callable[[], dict[str, Any]] | None = None
    """The quote's tax from the customer's record and Settings (the window sets it: it
    reaches the database); None in a bare editor."""

    def update_tax(self) -> None:
        """The tax decided again from the customer's record, Settings and the rate table."""
        if self.decide_tax is None:
            return
        try:
            tax = self.decide_tax()
        except UserFacingError as exc:
            self._tax_problem(error_text(exc))
            return
        self.apply_data({**self.data, "tax": tax}, _("Update tax"))
        self._show_tax()

    def set_tax_rate(self, *, confirmed: bool) -> None:
        """The rate typed (read by the one number parser) as the rep's, confirmed or not."""
        from quote_builder.pricing.document import QuoteTax
        from quote_builder.pricing.tax import TaxSetupError, with_rep_rate

        tax = self.data.get("tax")
        if not tax:
            self._tax_problem(
                _("Tax: there is no tax line yet; use Update from customer and Settings first.")
            )
            self.tax_confirmed.setChecked(False)
            return
        try:
            rate = parse(self.tax_rate.text(), what=_("Tax rate"))
            updated = with_rep_rate(QuoteTax.model_validate(tax), rate, confirmed=confirmed)
        except (NumberEntryError, TaxSetupError, ValueError) as exc:
            problems = getattr(exc, "problems", None)
            self._tax_problem(problems[0] if problems else error_text(exc))
            self.tax_confirmed.setChecked(bool(tax.get("confirmed")))
            return
        label = _("Confirm tax rate") if confirmed else _("Tax rate")
        self.apply_data(
            {**self.data, "tax": updated.model_dump(mode="json", exclude_none=True)}, label
        )
        self._show_tax()

    def remove_tax(self) -> None:
        data = {k: v for k, v in self.data.items() if k != "tax"}
        self.apply_data(data, _("No tax line"))
        self._show_tax()

    def _recipient_box(self) -> QComboBox:
        """The customer's contact the proposal is addressed to (its cover prints them)."""
        combo = QComboBox()
        combo.setObjectName("recipient")
        self.recipient = combo
        self._contacts: list[dict[str, str]] = []

        def write(value: Any) -> None:
            self._fill_recipients(value if isinstance(value, dict) else None)

        self._bind(
            ("customer", "contact"),
            combo,
            combo.currentData,
            write,
            combo.activated,
            _(
                "Who at the customer the proposal is addressed to: one of the customer's contacts "
                "(add contacts on the Customers page)"
            ),
        )
        return combo

    def set_customer_language(self, language: str) -> None:
        """Say what "The customer's" gives (the customer's language, else their country's)."""
        self.document_language.setItemText(0, inherited_label(_("The customer's"), language))

    def contacts(self) -> list[dict[str, str]]:
        """The contacts the recipient is chosen from."""
        return list(self._contacts)

    def set_contacts(self, contacts: list[dict[str, str]]) -> None:
        """The customer's contacts the recipient is chosen from ({name, title, email})."""
        self._contacts = contacts
        self._fill_recipients(get_path(self.data, ("customer", "contact")))

    def _fill_recipients(self, chosen: dict[str, Any] | None) -> None:
        combo = self.recipient
        blocked = combo.blockSignals(True)
        combo.clear()
        combo.addItem(
            _("(nobody named)") if self._contacts else _("(the customer has no contacts)"), None
        )
        options = list(self._contacts)
        if chosen and chosen not in options:
            options.append(dict(chosen))  # kept in the quote, no longer among the contacts
        for contact in options:
            text = contact["name"] + (f", {contact['title']}" if contact.get("title") else "")
            text += f" · {contact['email']}" if contact.get("email") else ""
            combo.addItem(text, contact)
        combo.setCurrentIndex(max(0, options.index(chosen) + 1 if chosen in options else 0))
        combo.blockSignals(blocked)

    def _ramps_box(self) -> QWidget:
        """Ramps: from a contract year on, a seats component's seat count or a metric's
        monthly quantity changes (a ramp holds until a later one changes the same thing)."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 0, 0)
        heading = QLabel(
            _(
                "Ramps: from a contract year on, the seats of a seats component or a metric's monthly quantity"
            )
        )
        heading.setWordWrap(True)  # French is longer than a laptop's tab is wide
        layout.addWidget(heading)
        self.ramps = QTableWidget(0, 3)
        self.ramps.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.ramps.setObjectName("ramps")
        self.ramps.setHorizontalHeaderLabels(
            [_("From year"), _("Seats component or metric"), _("Seats or monthly quantity")]
        )
        self.ramps.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.ramps.setToolTip(
            _(
                "Each row changes one seats component's seat count (its id) or one metric's "
                "monthly quantity from that contract year on, e.g. 2 | team | 40"
            )
        )
        self.ramps.setMinimumHeight(self.ramps.fontMetrics().lineSpacing() * 7)
        align_number_columns(self.ramps, 0, 2)  # the year and the quantity
        self.ramps.itemChanged.connect(self._ramp_edited)
        layout.addWidget(self.ramps)
        buttons = QHBoxLayout()
        add = QPushButton(_("Add ramp"))
        add.setObjectName("add_ramp")
        add.setToolTip(_("Add a row at the end; a ramp counts once it names a component or metric"))
        add.clicked.connect(lambda: self.ramps.insertRow(self.ramps.rowCount()))
        remove = QPushButton(_("Remove ramp"))
        remove.setObjectName("remove_ramp")
        remove.setToolTip(_("Remove the selected row (the last one when none is selected)"))
        remove.clicked.connect(self._remove_ramp)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return box

    def _components_tab(self) -> QWidget:
        from .component_editor import ComponentListEditor

        self.components = ComponentListEditor()
        self.components.changed.connect(self._components_edited)
        return self.components

    def _usage_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            QLabel(_("Usage forecast per metric (quantity per month; growth % per month)"))
        )
        self.forecast = QTableWidget(0, 3)
        self.forecast.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.forecast.setHorizontalHeaderLabels([_("Metric"), _("Monthly"), _("Growth % / month")])
        self.forecast.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.forecast.setToolTip(_("The expected volume of each metric the components charge for"))
        align_number_columns(self.forecast, 1, 2)
        self.forecast.itemChanged.connect(lambda *_: self._table_edited("usage_forecast"))
        layout.addWidget(self.forecast)
        layout.addWidget(
            QLabel(
                _("Unit cost per metric (our cost of one unit: inference and other variable cost)")
            )
        )
        self.costs = QTableWidget(0, 3)
        self.costs.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.costs.setHorizontalHeaderLabels([_("Metric"), _("Unit cost"), _("Cost only")])
        header = self.costs.horizontalHeaderItem(2)
        if header is not None:
            header.setToolTip(
                _(
                    "A metric no component bills whose cost sits behind another price (GPU-hours "
                    "behind an outcome): its unit cost x forecast counts in COGS"
                )
            )
        self.costs.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        align_number_columns(self.costs, 1)
        self.costs.itemChanged.connect(lambda *_: self._table_edited("unit_costs"))
        layout.addWidget(self.costs)
        buttons = QHBoxLayout()
        for label, table in ((_("Add metric"), self.forecast), (_("Add unit cost"), self.costs)):
            button = QPushButton(label)
            button.clicked.connect(lambda _checked=False, t=table: self._add_table_row(t))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        form = QFormLayout()
        econ = ("economics",)
        form.addRow(
            _("Fixed cost / month"),
            self.decimal(
                econ + ("fixed_cost_per_month",),
                _("Hosting, support and other fixed cost of serving this customer"),
            ),
        )
        form.addRow(
            _("Routing savings %"),
            self.decimal(
                econ + ("levers", "routing_savings_percent"),
                _("Lower cost from routing tasks to the cheapest capable model (40-60%)"),
            ),
        )
        form.addRow(
            _("Cache hit %"),
            self.decimal(
                econ + ("levers", "cache_hit_percent"),
                _("Share of calls answered from a semantic cache (30-60%)"),
            ),
        )
        form.addRow(
            _("Fine-tuning savings %"),
            self.decimal(
                econ + ("levers", "fine_tuning_savings_percent"),
                _("Lower cost from a fine-tuned smaller model (70-90%)"),
            ),
        )
        form.addRow(
            _("Cost decline % / year"),
            self.decimal(
                econ + ("cost_decline_percent_per_year",),
                _("Expected fall of unit costs each contract year"),
            ),
        )
        form.addRow(
            _("Target margin %"),
            self.decimal(
                econ + ("target_margin_percent",),
                _("Gross margin the cost-anchored price and the platform-fee check aim for"),
            ),
        )
        form.addRow(
            _("Margin floor %"),
            self.decimal(
                econ + ("margin_floor_percent",),
                _("Below this gross margin in any contract year the quote needs approval"),
            ),
        )
        layout.addLayout(form)
        return page

    def _value_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        value = ("value",)
        form.addRow(
            _("Value metric"),
            self.text(
                value + ("metric",),
                _("The metric counting the tasks or outcomes that create value"),
            ),
        )
        form.addRow(
            _("Minutes saved per unit"),
            self.decimal(
                value + ("minutes_saved_per_unit",), _("Work the AI replaces, per task (e.g. 15)")
            ),
        )
        form.addRow(
            _("Loaded hourly rate"),
            self.decimal(
                value + ("loaded_hourly_rate",),
                _("Fully loaded cost of an hour of that work (e.g. 75)"),
            ),
        )
        form.addRow(
            _("…or value per unit"),
            self.decimal(
                value + ("value_per_unit",),
                _("A direct value per outcome instead of minutes x rate"),
            ),
        )
        form.addRow(
            _("Target value capture %"),
            self.decimal(
                value + ("target_value_capture_percent",),
                _("Share of the value the price should take (usually 15-25%)"),
            ),
        )
        contract = ("contract",)
        form.addRow(
            _("Payment terms (days)"),
            self.integer(contract + ("payment_terms_days",), _("Days to pay an invoice"), 0, 365),
        )
        form.addRow(
            "",
            self.check(
                contract + ("auto_renew",),
                _("Renews automatically"),
                _("Whether the contract renews unless notice is given"),
            ),
        )
        form.addRow(
            _("Renewal term (months)"),
            self.integer(contract + ("renewal_term_months",), _("Length of each renewal"), 1, 60),
        )
        form.addRow(
            _("Notice (days)"),
            self.integer(
                contract + ("notice_days",),
                _("Notice needed before the end of a period to stop renewal"),
                0,
                365,
            ),
        )
        form.addRow(
            _("Price protection"),
            self.text(
                contract + ("price_protection",),
                _("Extra wording on price protection for the order form"),
            ),
        )
        form.addRow(
            _("Extra credits / month"),
            self.decimal(
                contract + ("extra_credit_cap_per_month",),
                _(
                    "Extra AI credits (packs or overage) the customer authorises each month, in the "
                    "quote's currency; empty: none is bought without their written consent"
                ),
            ),
        )
        legal = contract + ("legal",)
        for key, label, tip in (
            (
                "agreement",
                _("Governing agreement"),
                _("The agreement this order form is governed by"),
            ),
            ("governing_law", _("Governing law"), _("Completes 'governed by ...'")),
            ("venue", _("Courts"), _("The courts that settle disputes")),
            (
                "independent_auditor",
                _("Independent auditor"),
                _("Who settles outcome and attribution disputes the parties cannot"),
            ),
        ):
            edit = self.text(
                legal + (key,), _("{tip}; empty: the settings' legal frame").format(tip=tip)
            )
            edit.setPlaceholderText(_("From the settings"))
            form.addRow(label, edit)
        renewal = self.decimal(
            legal + ("renewal_increase_percent",),
            _(
                "Price increase on each renewal, in percent; empty: the settings' frame (by "
                "default the annual escalator)"
            ),
        )
        renewal.setPlaceholderText(_("From the settings"))
        form.addRow(_("Renewal increase %"), renewal)
        form.addRow(_("Notes"), self.text(("notes",), _("Internal notes (not printed)")))
        return page

    # --- data <-> widgets ----------------------------------------------------------------------

    def _load_widgets(self) -> None:
        self._loading = True
        try:
            for binding in self.bindings:
                binding.write(self.bound_value(binding.path))
            self._load_tables()
            self._load_ramps()
            self._load_components()
            self._show_tax()
        finally:
            self._loading = False

    # --- ramps -------------------------------------------------------------------------

    def _load_ramps(self) -> None:
        blocked = self.ramps.blockSignals(True)
        self.ramps.setRowCount(0)
        for ramp in self.data.get("ramps") or []:
            for kind in ("seats", "usage"):
                for name, quantity in (ramp.get(kind) or {}).items():
                    self._add_ramp_row(str(ramp.get("year", "")), name, field_text(quantity), kind)
        self.ramps.blockSignals(blocked)

    def _add_ramp_row(self, year: str, name: str, quantity: str, kind: str) -> None:
        row = self.ramps.rowCount()
        self.ramps.insertRow(row)
        for col, text in enumerate((year, name, quantity)):
            self.ramps.setItem(row, col, QTableWidgetItem(text))
        self._set_ramp_kind(row, kind)

    def _set_ramp_kind(self, row: int, kind: str) -> None:
        """A row changes seats or usage: set when it is loaded (so it never changes on its
        own) or when its name is typed (a seats component's id is seats)."""
        item = self.ramps.item(row, 1)
        if item is not None:
            blocked = self.ramps.blockSignals(True)
            item.setData(Qt.ItemDataRole.UserRole, kind)
            item.setToolTip(
                _("seats of a seats component") if kind == "seats" else _("monthly usage")
            )
            self.ramps.blockSignals(blocked)

    def _seat_ids(self) -> set[str]:
        return {
            str(c.get("id"))
            for c in self.data.get("components") or []
            if isinstance(c, dict) and c.get("kind") == "seats"
        }

    def _ramp_edited(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        if item.column() == 1:
            self._set_ramp_kind(
                item.row(), "seats" if item.text().strip() in self._seat_ids() else "usage"
            )
        self._record_ramps()

    def _remove_ramp(self) -> None:
        row = self.ramps.currentRow()
        if row < 0:
            row = self.ramps.rowCount() - 1
        if row >= 0:
            self.ramps.removeRow(row)
            self._record_ramps()

    def _record_ramps(self) -> None:
        if self._ramp_problems():
            self.reprice()  # shown, not recorded: a ramp names each seat count once a year
            return
        self._push(("ramps",), self._ramps_from_table(), label=_("Edit ramps"))

    def _ramp_rows(self) -> list[tuple[str, str, str, str]]:
        """(year, kind, name, quantity) of each row that names something."""
        rows = []
        for row in range(self.ramps.rowCount()):
            name = self._cell(self.ramps, row, 1)
            if not name:
                continue
            item = self.ramps.item(row, 1)
            kind = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
            if kind not in ("seats", "usage"):
                kind = "seats" if name in self._seat_ids() else "usage"
            quantity = number_text(self._cell(self.ramps, row, 2)) or "0"
            rows.append((self._cell(self.ramps, row, 0), kind, name, quantity))
        return rows

    def _ramps_from_table(self) -> list[dict[str, Any]]:
        """The rows as the quote keeps ramps: one per year, in the order the years appear."""
        by_year: dict[str, dict[str, Any]] = {}
        for year, kind, name, quantity in self._ramp_rows():
            ramp = by_year.setdefault(
                year, {"year": int(year) if year.isdigit() else year, "seats": {}, "usage": {}}
            )
            ramp[kind][name] = quantity
        return list(by_year.values())

    def _ramp_problems(self) -> list[str]:
        seen: set[tuple[str, str, str]] = set()
        problems = []
        for row in range(self.ramps.rowCount()):
            quantity = self._cell(self.ramps, row, 2)
            why = reason(quantity) if quantity else _("give the seats or the monthly quantity")
            if why and self._cell(self.ramps, row, 1):
                problems.append(
                    _("Ramps: row {number} quantity: {why}").format(number=row + 1, why=why)
                )
        for year, kind, name, _quantity in self._ramp_rows():
            if (year, kind, name) in seen:
                problems.append(
                    _("Ramps: year {year} changes {name} on two rows; keep one").format(
                        year=year, name=name
                    )
                )
            seen.add((year, kind, name))
        return problems

    def _load_components(self) -> None:
        components = []
        for raw in self.data.get("components", []):
            try:
                components.append(component_from_dict(raw))
            except (ValueError, TypeError):
                continue
        code = str(self.data.get("currency") or "").strip().upper()
        self.components.set_currency(code if is_currency(code) else "USD")
        self.components.set_components(components)
        self._watch_inputs(self.components)

    def _load_tables(self) -> None:
        self.forecast.setRowCount(0)
        for metric, forecast in (self.data.get("usage_forecast") or {}).items():
            row = self.forecast.rowCount()
            self.forecast.insertRow(row)
            for col, value in enumerate((metric, *_forecast_cells(forecast))):
                self.forecast.setItem(
                    row, col, QTableWidgetItem(field_text(value) if col else value)
                )
        self.costs.setRowCount(0)
        economics = self.data.get("economics") or {}
        cost_only = set(economics.get("cost_only_metrics") or [])
        for metric, cost in (economics.get("unit_costs") or {}).items():
            row = self.costs.rowCount()
            self.costs.insertRow(row)
            self.costs.setItem(row, 0, QTableWidgetItem(metric))
            self.costs.setItem(row, 1, QTableWidgetItem(field_text(cost)))
            self.costs.setItem(row, 2, self._cost_only_item(metric in cost_only))

    def _add_table_row(self, table: QTableWidget) -> None:
        row = table.rowCount()
        table.insertRow(row)
        if table is self.costs:
            blocked = table.blockSignals(True)
            table.setItem(row, 2, self._cost_only_item(False))
            table.blockSignals(blocked)

    @staticmethod
    def _cost_only_item(checked: bool) -> QTableWidgetItem:
        item = QTableWidgetItem()
        item.setFlags(
            Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
        )
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setToolTip(_("Checked: no component bills this metric; its cost counts in COGS"))
        return item

    def _cost_only_from_table(self) -> list[str] | None:
        """The metrics of the rows checked cost-only (None: none, the field is left out)."""
        names = []
        for row in range(self.costs.rowCount()):
            item = self.costs.item(row, 2)
            name = self._cell(self.costs, row, 0)
            if name and item is not None and item.checkState() == Qt.CheckState.Checked:
                names.append(name)
        return names or None

    def _cell(self, table: QTableWidget, row: int, col: int) -> str:
        item = table.item(row, col)
        return item.text().strip() if item is not None else ""

    def _table_problems(self) -> list[str]:
        """A metric named on two rows of a table: the quote has one entry per metric, so the
        rows cannot both be kept; nothing is recorded until one is renamed or removed."""
        problems = []
        for table, label in ((self.forecast, _("Usage forecast")), (self.costs, _("Unit cost"))):
            names = [self._cell(table, row, 0) for row in range(table.rowCount())]
            blocked = table.blockSignals(True)  # marking a cell is not an edit of it
            for row, name in enumerate(names):
                repeated = bool(name) and names.count(name) > 1
                item = table.item(row, 0)
                tip = _("listed on another row too") if repeated else ""
                background = QBrush(colours.qcolor("invalid_background")) if repeated else QBrush()
                # Marked only when the mark changes: the editor asks for these problems
                # several times an edit, and each change repaints the cell.
                if item is not None and (item.toolTip(), item.background()) != (tip, background):
                    item.setBackground(background)
                    item.setToolTip(tip)
            table.blockSignals(blocked)
            for name in sorted({n for n in names if n and names.count(n) > 1}):
                problems.append(
                    _("{label}: metric {name!r} is listed on two rows; keep one").format(
                        label=label, name=name
                    )
                )
        for table, label, columns in (
            (self.forecast, _("Usage forecast"), ((1, "monthly"), (2, _("growth % / month")))),
            (self.costs, _("Unit cost"), ((1, _("unit cost")),)),
        ):
            for row in range(table.rowCount()):
                name = self._cell(table, row, 0)
                for col, what in columns:
                    why = reason(self._cell(table, row, col))
                    if name and why:
                        problems.append(label_and(label, label_and(f"{name} {what}", why)))
        return problems

    def _table_edited(self, _which: str) -> None:
        if self._loading:
            return
        if self._table_problems():
            self.reprice()  # shown, not recorded: the data keeps one entry per metric
            return
        # Both tables: an edit of one made while the other was refused (a repeated metric)
        # is recorded with it once both are valid.
        edits = [
            (path, value)
            for path, value in (
                (("usage_forecast",), self._forecast_from_table()),
                (("economics", "unit_costs"), self._costs_from_table()),
                (("economics", "cost_only_metrics"), self._cost_only_from_table()),
            )
            if get_path(self.data, path) != value
        ]
        if not edits:
            self._unchanged()
        elif self._held(lambda: self._table_edited(_which)):
            return
        if len(edits) > 1:
            self.undo_stack.beginMacro(_("Edit the usage tables"))
        for path, value in edits:
            self._push(path, value, merge=len(edits) == 1)
        if len(edits) > 1:
            self.undo_stack.endMacro()

    def _forecast_from_table(self) -> dict[str, Any]:
        """The forecast rows as the quote keeps them; a row shown as loaded keeps its entry
        as it is (a forecast per contract year shows its first year, and stays per year)."""
        old = self.data.get("usage_forecast") or {}
        value: dict[str, Any] = {}
        for row in range(self.forecast.rowCount()):
            metric = self._cell(self.forecast, row, 0)
            if not metric:
                continue
            monthly = number_text(self._cell(self.forecast, row, 1)) or ""
            growth = number_text(self._cell(self.forecast, row, 2)) or ""
            existing = old.get(metric)
            if isinstance(existing, dict) and _forecast_cells(existing) == (monthly, growth):
                value[metric] = copy.deepcopy(existing)
                continue
            entry: dict[str, str] = {"monthly": monthly or "0"}
            if growth:
                entry["growth_percent_per_month"] = growth
            value[metric] = entry
        return value

    def _costs_from_table(self) -> dict[str, Any]:
        return {
            self._cell(self.costs, r, 0): number_text(self._cell(self.costs, r, 1)) or "0"
            for r in range(self.costs.rowCount())
            if self._cell(self.costs, r, 0)
        }

    def _components_edited(self) -> None:
        if self._loading:
            return
        self._watch_inputs(self.components)
        if self.components.errors():
            # What is on screen cannot be priced and is not in the data: nothing may show.
            self.reprice()
            return
        raw = self._shown_components()
        edited = self.components.last_edited
        # Typing into one field merges into one step; adding, removing, moving and
        # duplicating a component are one step each.
        merge_key = None if edited is None else ("components", edited, self.focusWidget())
        self._push(
            ("components",),
            raw,
            merge_key=merge_key,
            label=words.component_change(self.data.get("components") or [], raw),
        )

    def _shown_components(self) -> list[dict[str, Any]]:
        return [
            c.model_dump(mode="json", by_alias=True, exclude_none=True)
            for c in self.components.components()
        ]

    def _component_discount_first(self, data: dict[str, Any]) -> bool:
        """Whether the first discount is one component's (the price table's), not the deal
        discount the Terms tab shows."""
        discounts = data.get("discounts")
        return bool(
            isinstance(discounts, list)
            and discounts
            and isinstance(discounts[0], dict)
            and discounts[0].get("component")
        )

    def bound_value(self, path: Path_) -> Any:
        """What a form field shows: the data at its path, except that the Terms tab's deal
        discount is empty while the first discount belongs to one component."""
        if path[:2] == DEAL_DISCOUNT_PATH and self._component_discount_first(self.data):
            return None
        return get_path(self.data, path)

    def _edited(self, binding: Binding) -> None:
        if self._loading:
            return
        if binding.entry_problem():
            self.reprice()  # shown, not recorded: the number cannot be read as typed
            return
        if binding.path == ("currency",) and self._currency_pending(binding.read()):
            self.reprice()  # shown, not recorded: asked about once the field is left
            return
        self._push(binding.path, binding.read())

    # --- the quote's currency ----------------------------------------------------------------

    currency_change: Callable[[dict[str, Any], str], CurrencyChange] | None = None
    """``services.currencies.currency_change`` run in the database process (the window sets
    it: the exchange-rate table is there); None in a bare editor, whose currency field
    then only relabels."""

    _asking_currency = False

    def _currency_pending(self, code: str) -> bool:
        """Whether ``code`` is a new currency for a quote whose currency change is asked
        about (the window's editor): held in the field until :meth:`commit_currency`."""
        old = str(self.data.get("currency") or "").strip().upper()
        return self.currency_change is not None and code != old and is_currency(old)

    def commit_currency(self) -> None:
        """The rep left the Currency field (Tab, Enter, a click elsewhere; Save calls it
        too): a new valid code there is asked about now. Once: the question taking the focus
        ends the editing again."""
        if self._loading or self._asking_currency:
            return
        code = self.currency_edit.text().strip().upper()
        if not is_currency(code) or not self._currency_pending(code):
            return
        self._asking_currency = True
        try:
            self.change_currency(code)
        finally:
            self._asking_currency = False

    def change_currency(self, code: str) -> bool:
        """The rep typed ``code``, a currency the quote's prices are not in. Whether it was
        handled here (converted, kept or cancelled, as the rep chose); False: an ordinary
        edit (the same currency, or no way to reach the rate table)."""
        old = str(self.data.get("currency") or "").strip().upper()
        if self.currency_change is None or code == old or not is_currency(old):
            return False
        try:
            change = self.currency_change(copy.deepcopy(self.data), code)
        except UserFacingError as exc:
            self._currency_back()
            QMessageBox.warning(self, _("Currency"), error_message(exc))
            return True
        if not change.has_money and (change.missing is None or not change.has_costs):
            # Nothing priced in the old currency: nothing to convert, nothing to ask.
            self.apply_data(
                change.converted or change.kept,
                _("Change the currency to {new}").format(new=change.new),
            )
            self._currency_back()
            return True
        self.reprice()  # the quote as it is behind the question (no mark left from "EU")
        choice = self.ask_currency(change)
        if choice == "convert" and change.converted is not None:
            self.apply_data(
                change.converted,
                _("Convert the prices from {old} to {new}").format(old=change.old, new=change.new),
            )
        elif choice == "keep":
            self.apply_data(
                change.kept,
                _("Change the currency to {new}, keeping the numbers").format(new=change.new),
            )
        self._currency_back()  # as the data has it: "EUR" for "eur"; the old code if cancelled
        return True

    def _currency_back(self) -> None:
        """The Currency field shows the quote's currency (a change made or cancelled)."""
        self._loading = True
        try:
            self.currency_edit.setText(str(self.data.get("currency") or ""))
        finally:
            self._loading = False
        self.reprice()

    def currency_dialog(self, change: CurrencyChange) -> QMessageBox:
        """The question a currency change asks, in one dialog: both currencies, the rate with
        its date and source; Convert (the default), Keep the numbers (labelled as such) or
        Cancel. Without a rate: the sentence naming it and where to add it; Keep or Cancel."""
        box = QMessageBox(self)
        box.setObjectName("currency_change")
        box.setWindowTitle(_("Change the currency"))
        box.setIcon(QMessageBox.Icon.Question)
        if change.example is not None:
            price, converted = change.example
            # Each amount with its own currency's minor unit (ISO 4217), more decimals when
            # the price has them: 60.00 USD kept is 60 JPY, 0.003 USD kept 0.003 JPY.
            shown = locale_format.formatter(change.old).price_number(price)
            keep_words = _(
                "Keep the numbers: every amount keeps its number and is read as {new} "
                "({amount} {old} becomes {kept} {new}); nothing is converted."
            ).format(
                old=change.old,
                new=change.new,
                amount=shown,
                kept=locale_format.formatter(change.new).price_number(price),
            )
            example = _("{amount} {old} becomes {converted} {new}.").format(
                amount=shown,
                old=change.old,
                converted=locale_format.formatter(change.new).price_number(converted),
                new=change.new,
            )
        else:
            keep_words = _(
                "Keep the numbers: every amount keeps its number and is read as {new}; "
                "nothing is converted."
            ).format(new=change.new)
            example = ""
        if change.converted is not None and change.rate is not None:
            box.setText(
                _("Change this quote's currency from {old} to {new}?").format(
                    old=change.old, new=change.new
                )
            )
            rate = _(
                "Exchange rate: 1 {old} = {rate} {new}, as of {date} ({source}), from "
                "Settings, Exchange rates."
            ).format(
                old=change.old,
                new=change.new,
                rate=service_words.number(change.rate.rate),
                date=service_words.day(change.rate.as_of),
                source=change.rate.source,
            )
            convert_words = _(
                "Convert: every price, fee, tier, credit pack, minimum commitment, fixed "
                "discount and value amount is multiplied by the rate and rounded to {new}'s "
                "minor unit (a price below a cent keeps its decimals)."
            ).format(new=change.new)
            costs = (
                _(
                    "Costs stay in {seller}, the seller's currency; the margin is measured in it."
                ).format(seller=change.cost_currency)
                if change.has_costs
                else ""
            )
            convert_words = f"{convert_words} {example}".strip()
            box.setInformativeText(
                "\n\n".join(t for t in (rate, convert_words, keep_words, costs) if t)
            )
            convert = box.addButton(
                _("Convert at {rate}").format(rate=service_words.number(change.rate.rate)),
                QMessageBox.ButtonRole.AcceptRole,
            )
            convert.setObjectName("convert")
            box.setDefaultButton(convert)
        else:
            box.setIcon(QMessageBox.Icon.Warning)
            box.setText(service_words.text(change.missing or ""))
            costs = (
                _(
                    "Without a rate from {seller}, the seller's currency, the costs are read "
                    "in {new} too, and so is the margin."
                ).format(seller=change.cost_currency, new=change.new)
                if change.has_costs
                and change.new != change.cost_currency
                and "exchange_rate" not in change.kept
                else ""
            )
            box.setInformativeText("\n\n".join(t for t in (keep_words, costs) if t))
        keep = box.addButton(
            _("Keep the numbers, as {new}").format(new=change.new),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        keep.setObjectName("keep")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setObjectName("cancel")
        box.setEscapeButton(cancel)
        if change.converted is None:
            box.setDefaultButton(cancel)
        return box

    def ask_currency(self, change: CurrencyChange) -> str | None:
        """The rep's answer: "convert", "keep" or None (cancelled)."""
        box = self.currency_dialog(change)
        box.exec()
        clicked = box.clickedButton()
        name = clicked.objectName() if clicked is not None else ""
        box.deleteLater()
        return name if name in ("convert", "keep") else None

    def _push(
        self,
        path: Path_,
        new: Any,
        *,
        merge: bool = True,
        merge_key: Any = None,
        label: str | None = None,
    ) -> None:
        """Record the edit of ``path`` as one undoable step (none when nothing changes)."""
        key = str(path[0])
        before = self._part(key)
        # Only the part at ``key`` is changed below: the others are shared, not copied (a
        # quote with three options is four quotes' data).
        changed = dict(self.data)
        if key in changed:
            changed[key] = copy.deepcopy(changed[key])
        if path[:2] == DEAL_DISCOUNT_PATH and self._component_discount_first(changed):
            if new is None or new == "":
                return  # the deal discount is empty already
            changed["discounts"].insert(0, {"description": DEAL_DISCOUNT})
        set_path(changed, path, copy.deepcopy(new))
        if key == "discounts":
            discounts = changed.get("discounts")
            if (
                isinstance(discounts, list)
                and discounts
                and isinstance(discounts[0], dict)
                and not (before[1] or [])
            ):
                discounts[0].setdefault("description", DEAL_DISCOUNT)
            _drop_empty_deal_discount(changed)
        after: Part = (key in changed, changed.get(key))
        if after == before:
            self._unchanged()
            return
        if self._held(lambda: self._push(path, new, merge=merge, merge_key=merge_key, label=label)):
            return
        if merge and merge_key is None:
            merge_key = path
        self.undo_stack.push(
            EditCommand(
                self,
                key,
                before,
                after,
                label or self.step_label(path, new),
                merge_key if merge else None,
            )
        )

    hold_edit: Callable[[Callable[[], None]], bool] | None = None
    """Asked before an edit changes the quote data (the window's "Edit anyway?" gate,
    ``EditGate.hold_edit``): True when it holds the edit, to apply it (calling it again)
    once the rep said Yes, or to drop it and ``show_data`` on No; None in a bare editor."""

    def _held(self, edit: Callable[[], None]) -> bool:
        """Whether ``edit`` (about to change the data) is held until the rep's answer."""
        return self.hold_edit is not None and self.hold_edit(edit)

    def show_data(self) -> None:
        """Every field, table and list as the quote data holds it, priced again: an edit
        that was held and then refused leaves nothing of itself on screen."""
        self._loading = True
        try:
            for binding in self.bindings:
                value = self.bound_value(binding.path)
                if binding.entry_problem() or binding.read() != value:
                    binding.write(value)
            self._load_tables()
            self._load_ramps()
            if self.components.errors() or self._shown_components() != self.data.get("components"):
                self._load_components()
            self._show_tax()
        finally:
            self._loading = False
        self.reprice()
        self.update_evidence()

    def _unchanged(self) -> None:
        """An edit that leaves the data as it is. When problems are shown (an unreadable
        entry typed back to the value the data holds: "4," then "4"), what is on screen
        may now be valid again: reprice, or the problem, the missing totals and the
        modified mark would stay until the next edit."""
        if self.problems:
            self.reprice()

    def _part(self, key: str) -> Part:
        return (key in self.data, copy.deepcopy(self.data.get(key)))

    def restore(self, key: str, part: Part, *, typed: bool) -> None:
        """Put one top-level part of the data as ``part`` says (an edit, undo or redo), show
        it in every widget that shows that part, and reprice. ``typed``: the edit was just
        made in a widget, which already shows it (it is not rewritten under the cursor)."""
        present, value = part
        if present:
            self.data[key] = copy.deepcopy(value)
        else:
            self.data.pop(key, None)
        self._loading = True
        try:
            for binding in self.bindings:
                if typed and binding.entry_problem():
                    continue  # an unreadable entry stays as typed until fixed or undone
                if binding.path[0] == key and binding.read() != get_path(self.data, binding.path):
                    binding.write(self.bound_value(binding.path))
            if key in ("usage_forecast", "economics") and (not typed or self._table_problems()):
                self._load_tables()
            if key == "ramps" and (not typed or self._ramp_problems()):
                self._load_ramps()
            if key == "components" and (
                self.components.errors() or self._shown_components() != self.data.get("components")
            ):
                self._load_components()
            if key == "tax":
                self._show_tax()  # the tax box shows the tax line (undone, redone, held)
        finally:
            self._loading = False
        self.reprice()
        if key == "usage_evidence":
            self.update_evidence()  # a log loaded, removed or mapped: show it at once

    def replace_data(self, data: dict[str, Any], label: str) -> None:
        """Make the quote ``data`` as one undoable step (a restored draft). Components go
        first, so the parts that name them (ramps, discounts) find them."""
        keys = sorted(set(data) | set(self.data), key=lambda k: (k != "components", k))
        if any(self._part(k) != (k in data, data.get(k)) for k in keys) and self._held(
            lambda: self.replace_data(data, label)
        ):
            return
        self.undo_stack.beginMacro(label)
        for key in keys:
            after: Part = (key in data, data.get(key))
            before = self._part(key)
            if after != before:
                self.undo_stack.push(EditCommand(self, key, before, after, label, typed=False))
        self.undo_stack.endMacro()

    # --- undo, redo and the saved state ----------------------------------------------------

    def unrecorded_problems(self) -> list[str]:
        """What is on screen but cannot be in the quote data yet: invalid component fields,
        a metric on two rows of a table, a number the locale does not write that way."""
        return (
            self._entry_problems()
            + self.components.errors()
            + self._table_problems()
            + self._ramp_problems()
        )

    def _entry_problems(self) -> list[str]:
        """``Label: reason`` for each field whose number cannot be read as typed."""
        found = []
        for binding in self.bindings:
            why = binding.entry_problem()
            if why:
                found.append(label_and(_form_label(binding.widget) or path_text(binding.path), why))
        return found

    def has_unrecorded_edits(self) -> bool:
        return bool(self.unrecorded_problems())

    def undo(self) -> None:
        """Undo the last edit. Invalid entries on screen (a number the locale does not write
        that way, an invalid component field, a metric on two rows) are that last edit: they
        never reached the data, so undo puts those fields back as the data has them and
        keeps what was typed for Redo (``TypedEntries``); the data is not touched."""
        if self.has_unrecorded_edits() or self._typed_currency():
            typed = self._typed_entries()
            self._loading = True
            try:
                for binding in self.bindings:
                    if binding.entry_problem() or self._is_typed_currency(binding):
                        binding.write(self.bound_value(binding.path))
                if self.components.errors():
                    self._load_components()
                if self._table_problems():
                    self._load_tables()
                if self._ramp_problems():
                    self._load_ramps()
            finally:
                self._loading = False
            self._typed_redo = typed
            self.reprice()
            return
        if self.undo_stack.canUndo() and self._held(self.undo):
            return  # away from the saved version: asked first
        self._typed_redo = None
        self.undo_stack.undo()

    def _typed_currency(self) -> bool:
        """Whether the Currency field shows a new code not asked about yet (it is asked
        once the field is left): typed, not recorded, so Undo takes it back first."""
        return hasattr(self, "currency_edit") and self._currency_pending(
            self.currency_edit.text().strip().upper()
        )

    def _is_typed_currency(self, binding: Binding) -> bool:
        return binding.path == ("currency",) and self._typed_currency()

    def can_redo_typed(self) -> bool:
        """Whether Redo puts back what Undo took off the screen unrecorded (nothing was
        edited since)."""
        typed = self._typed_redo
        return (
            typed is not None
            and typed.step == self.undo_stack.index()
            and typed.data == _raw_json(self.data)
            and not self.has_unrecorded_edits()
        )

    def redo(self) -> None:
        if self.can_redo_typed():
            typed = self._typed_redo
            self._typed_redo = None
            assert typed is not None
            self._put_typed(typed)
            return
        self._typed_redo = None
        if self.has_unrecorded_edits():
            return  # redo would bring back data the invalid fields on screen hide
        if self.undo_stack.canRedo() and self._held(self.redo):
            return
        self.undo_stack.redo()

    def _typed_entries(self) -> TypedEntries:
        """The invalid entries on screen, as typed, for Redo."""
        fields = {
            index: _entry_text(binding.widget)
            for index, binding in enumerate(self.bindings)
            if binding.entry_problem() or self._is_typed_currency(binding)
        }
        components = {}
        for index, editor in enumerate(self.components.editors()):
            if editor.problems():
                components[index] = {
                    line.objectName(): line.text()
                    for line in editor.findChildren(QLineEdit)
                    if line.objectName().startswith("field_")
                }
        tables = {}
        if self._table_problems():
            tables["forecast"] = _table_cells(self.forecast)
            tables["costs"] = _table_cells(self.costs)
        if self._ramp_problems():
            tables["ramps"] = _table_cells(self.ramps)
        return TypedEntries(
            self.undo_stack.index(), _raw_json(self.data), fields, components, tables
        )

    def _put_typed(self, typed: TypedEntries) -> None:
        """Show ``typed`` again in its fields, marked as before (Redo after an Undo that
        took an invalid entry back); still not recorded."""
        self._loading = True
        try:
            for index, text in typed.fields.items():
                if index < len(self.bindings):
                    _set_entry_text(self.bindings[index].widget, text)
            for name, cells in typed.tables.items():
                _set_table_cells(getattr(self, name), cells)
        finally:
            self._loading = False
        editors = self.components.editors()
        for index, texts in typed.components.items():
            if index >= len(editors):
                continue
            for line in editors[index].findChildren(QLineEdit):
                typed_text = texts.get(line.objectName())
                if typed_text is not None and line.text() != typed_text:
                    line.setText(typed_text)  # the form's own edit: validated and marked
        self.reprice()

    def take_bound_fields(self, saved: dict[str, Any]) -> None:
        """Take the parts that saving sets (the customer, the quote number) from the saved
        version; not an edit, so not an undo step."""
        for key in ("customer", "quote_number"):
            if key in saved and self.data.get(key) != saved[key]:
                self.data[key] = copy.deepcopy(saved[key])
                self._loading = True
                try:
                    for binding in self.bindings:
                        if binding.path[0] == key:
                            binding.write(self.bound_value(binding.path))
                finally:
                    self._loading = False
                self.reprice()

    def mark_saved(self) -> None:
        """The data on screen is now what the database holds."""
        self.saved_data = copy.deepcopy(self.data)
        self._saved_canonical = self._canonical() if self.document else None
        self.undo_stack.setClean()
        self.validity_changed()

    def is_modified(self) -> bool:
        """Whether what is on screen differs from the saved version (as a document: typing a
        value and deleting it again, or undoing to the saved version, is no change)."""
        return self.edit_state()[1]

    def edit_state(self) -> tuple[bool, bool]:
        """(``has_unrecorded_edits``, ``is_modified``) from one look at the fields: the
        window's title and actions ask both after every edit."""
        if self.has_unrecorded_edits():
            return True, True
        if self.document is not None and self._saved_canonical is not None:
            return False, self._canonical() != self._saved_canonical
        return False, _raw_json(self.data) != _raw_json(self.saved_data)

    def _canonical(self) -> str:
        """``canonical_json`` of the current document, made once per document (a new one
        is made on every reprice; a document is never changed in place)."""
        document = self.document
        assert document is not None
        if self._canonical_of[0] is not document:
            self._canonical_of = (document, canonical_json(document))
        return self._canonical_of[1]

    def _watch_inputs(self, widget: QWidget) -> None:
        """Ctrl+Z in any input of the editor (the component forms too) undoes the quote edit,
        not only the input's own text (which would leave the data and the screen apart);
        and every input has an accessible name."""
        accessibility.name_inputs(widget)
        for child in widget.findChildren(QWidget):
            if isinstance(child, QLineEdit | QPlainTextEdit | QAbstractSpinBox) and not (
                child.property("quote_undo")
            ):
                child.setProperty("quote_undo", True)
                child.installEventFilter(self)

    # --- pricing ---------------------------------------------------------------------------------

    def _show_line_discounts(self) -> None:
        """Under the deal discount: the lines that have a discount of their own."""
        components = self.data.get("components") or []
        names = {
            c.get("id"): c.get("name") or c.get("id") for c in components if isinstance(c, dict)
        }
        currency = str(self.data.get("currency") or "USD")
        items = []
        for discount in self.data.get("discounts") or []:
            if not isinstance(discount, dict) or not discount.get("component"):
                continue
            name = str(names.get(discount["component"], discount["component"]))
            try:
                if discount.get("percent") not in (None, ""):
                    size = percent(Decimal(str(discount["percent"])))
                else:
                    size = _("{amount} a month").format(
                        amount=amount(Decimal(str(discount.get("amount"))), currency)
                    )
            except (ArithmeticError, ValueError):
                continue  # not a number: the field's own problem says so
            months = discount.get("months")
            if isinstance(months, int) or (isinstance(months, str) and months.isdigit()):
                size = ngettext(
                    "{size} for {count} month", "{size} for {count} months", int(months)
                ).format(size=size, count=int(months))
            items.append(_("{line} {size}").format(line=name, size=size))
        self.line_discounts.setVisible(bool(items))
        self.line_discounts.setText(
            _(
                "Lines with a discount of their own, on top of this one (change them on the "
                "Price table): {lines}."
            ).format(lines=", ".join(items))
            if items
            else ""
        )

    def reprice(self) -> None:
        self._show_line_discounts()
        code = str(self.data.get("currency") or "").strip().upper()
        if is_currency(code) and code != self.components.currency:
            self.components.set_currency(code)  # the component forms' amounts, in it
        unrecorded = self.unrecorded_problems()
        if unrecorded:
            # The components on screen are invalid: what the data holds is not what is shown,
            # so nothing is priced until they are fixed (or undone).
            self.document = None
            self.priced = None
            self.problems = unrecorded
            try:  # what the data itself lacks is said too (a discount without its percent)
                quote_from_data(self.data)
            except QuoteFileError as exc:
                self.problems = unrecorded + exc.problems
            self.summary.show_problems(self.problem_sentences())
            self._evidence_timer.start()
            self._mark_fields()
            self.validity_changed()
            return
        self.priced = None
        try:
            self.document = quote_from_data(self.data)
        except QuoteFileError as exc:
            self.document = None
            self.problems = exc.problems
            self.summary.show_problems(self.problem_sentences())
        else:
            try:
                priced = price(self.document)
            except (ArithmeticError, ValueError) as exc:
                self.document = None
                self.problems = [
                    _("the quote cannot be priced: {error}").format(error=error_text(exc))
                ]
                self.summary.show_problems(self.problem_sentences())
            else:
                self.problems = []
                self.priced = priced
                self.summary.show_priced(
                    priced,
                    self.settings_floor,
                    lambda path: words.where(path, self.data),
                    self.jurisdiction(self.document),
                    self.stale_tax_text(),
                    self.unprintable(self.document),
                    self.rate_check(self.document),
                )
        # Pricing over the usage log prices year 1 once per log month (10-20 ms on a large
        # deal): it follows the edits when they pause, so typing stays within a frame.
        self._evidence_timer.start()
        self._mark_fields()
        self._refresh_price_table()
        self._refresh_options()
        self.validity_changed()

    def rate_check(self, document: QuoteDocument) -> tuple[str, PricedQuote | None]:
        """The quote's exchange rate against the organisation's table, as the approval
        rules judge it (``approvals.policy.check_rate``): the reason's sentence ("" when
        the rate stands) and the quote priced at the rate its margins are judged at (None:
        its own pricing). A quote with options: each option's is in the approval banner."""
        from quote_builder.approvals.policy import check_rate

        from .engine_words import reason_text

        rates = self.options.rates
        if rates is None or document.options:
            return "", None
        checked = check_rate(document, rates)
        if checked.reason is None:
            return "", None
        judged = price(checked.judged) if checked.judged is not document else None
        return reason_text(*checked.reason), judged

    def stale_tax_text(self) -> str:
        """The sentence for the quote's tax decided on other customer details than its
        record's now ("Hooli AI GmbH now has a tax ID (DE123456789): decide the tax again
        ..."); "" when it fits, there is no tax line or no record to compare with."""
        from quote_builder.pricing.tax import customer_tax_changes

        document = self.document
        if document is None or self.customer_tax is None:
            return ""
        changes = customer_tax_changes(document.tax, self.customer_tax)
        if not changes:
            return ""
        return labels.tax_changed_text(
            self.customer_tax.name, [[c.field, c.decided, c.now] for c in changes]
        )

    def _warning_activated(self, item: QListWidgetItem) -> None:
        """A warning double-clicked (or Enter): the stale tax's row decides the tax again."""
        if item.data(Qt.ItemDataRole.UserRole) == TAX_STALE_CODE:
            self.update_tax()

    def problem_sentences(self) -> list[str]:
        """The problems in the form's words: a field named as its label says, not by its
        place in the quote format (``Deal discount %: ...``, not ``discounts[0].percent``)."""
        labels = {}
        for binding in self.bindings:
            label = _form_label(binding.widget)
            if label:
                labels[path_text(binding.path)] = label
        sentences = []
        for problem in self.problems:
            where, _sep, reason = problem.partition(": ")
            if where == path_text(DEAL_DISCOUNT_PATH) and "percent or amount" in reason:
                sentences.append(_("Deal discount %: give the percent (or clear …for months)"))
            elif (component := _component_field_problem(where, reason, self.data)) is not None:
                sentences.append(component)
            else:
                sentences.append(problem_text(problem, self.data, labels))
        return sentences

    def form_labels(self) -> dict[str, str]:
        """The Terms, Usage and Value tabs' labels by the path each field edits."""
        labels = {}
        for binding in self.bindings:
            label = _form_label(binding.widget)
            if label:
                labels[path_text(binding.path)] = label
        return labels

    def step_label(self, path: Path_, new: Any) -> str:
        """The undo step's text in the form's words ("Edit Deal discount %")."""
        text = path_text(path)
        if path[0] == "usage_evidence":
            if len(path) > 1:
                return _("Change which log metric each quote metric reads")
            return (
                _("Remove the usage log") if new is None else _("Keep a usage log with the quote")
            )
        if text == "usage_forecast":
            return _("Edit the usage forecast")
        if text == "economics.unit_costs":
            return _("Edit the unit costs")
        # The label of the field at ``path`` alone (form_labels() finds every field's).
        label = next(
            (
                found
                for binding in self.bindings
                if path_text(binding.path) == text and (found := _form_label(binding.widget))
            ),
            "",
        ) or words.where(text, self.data)
        return _("Edit {label}").format(label=label)

    def update_evidence(self) -> None:
        """The usage log's bill range in the summary and the Usage log tab."""
        self._evidence_timer.stop()
        document = self.document
        bills = self._bills()
        self.summary.show_bill_range(bills, document.currency if document else "")
        self._refresh_usage_panel()

    def _bills(self) -> EvidenceBills | None:
        """The current document priced over its usage log, computed once per document."""
        document = self.document
        if document is None:
            return None
        if self._bills_of[0] is not document:
            try:
                bills = evidence_bills(document)
            except (ArithmeticError, ValueError):
                bills = None
            self._bills_of = (document, bills)
        return self._bills_of[1]

    def _refresh_usage_panel(self) -> None:
        """The usage log tab follows every edit while it is shown (and when it is shown)."""
        if self.tabs.currentWidget() is not self.usage_panel:
            return
        document = self.document
        raw = self.data.get("usage_evidence")
        if document is not None:
            self.usage_panel.show_evidence(document.usage_evidence, document, self._bills())
        elif raw is None:
            self.usage_panel.show_evidence(None, None)
        else:
            try:  # the log's own figures still show; only the quote's range cannot
                evidence: UsageEvidence | None = UsageEvidence.model_validate(raw)
            except ValidationError:
                evidence = None
            self.usage_panel.show_evidence(evidence, None)
            self.usage_panel.show_unpriced(self.problem_sentences())

    # --- the price table -----------------------------------------------------------------

    def _refresh_price_table(self) -> None:
        """The price table follows every edit while it is shown (and when it is shown)."""
        if self.tabs.currentWidget() is not self.price_table:
            return
        if self.document is None or self.priced is None:
            self.price_table.show_unpriced(self.problem_sentences())
            return
        self.price_table.show_sheet(sheet_from_quote(self.document, self.priced), self.data)

    def _refresh_options(self) -> None:
        """The options compared (and the what-if) follow every edit while shown."""
        if self.tabs.currentWidget() is self.options:
            self.options.show_quote(self.data, self.document, self.priced)

    def _price_cell_edited(self, row: SheetRow, column: str, value: Decimal | None) -> None:
        """A value typed into the price table: one undo step, or a sentence saying why not."""
        sheet = self.price_table.model.sheet
        if sheet is None:
            return
        try:
            edit = edit_cell(self.data, sheet, row, column, value)  # type: ignore[arg-type]
        except CellRefused as exc:
            self.price_table.say(error_text(exc))
            return
        self.price_table.say("")
        self.apply_data(edit.data, edit.label)

    def _paste_quantities(self, first_row: int, texts: list[str]) -> None:
        """A column pasted from a spreadsheet: the quantity cells from ``first_row`` down
        that can be changed take the values in order; all or nothing, one undo step."""
        from .locale_format import parse_number

        model = self.price_table.model
        sheet = model.sheet
        if sheet is None:
            return
        targets = [
            r
            for r in range(first_row, model.rowCount())
            if model.line(r).row is not None and model.refusal(r, "quantity") is None
        ]
        if len(texts) > len(targets):
            self.price_table.say(
                ngettext(
                    "Pasted {count} quantities, but only {cells} quantity cell can be changed "
                    "from the selected row down; nothing was pasted",
                    "Pasted {count} quantities, but only {cells} quantity cells can be changed "
                    "from the selected row down; nothing was pasted",
                    len(targets),
                ).format(count=len(texts), cells=len(targets))
            )
            return
        data = self.data
        for number, (text, target) in enumerate(zip(texts, targets, strict=False), start=1):
            line = model.line(target).row
            assert line is not None
            try:
                value = parse_number(text)
                data = edit_cell(data, sheet, line, "quantity", value).data
            except CellRefused as exc:
                self.price_table.say(
                    _("Line {number} of the paste: {error}; nothing was pasted").format(
                        number=number, error=exc
                    )
                )
                return
            except ValueError as exc:
                self.price_table.say(
                    _(
                        "Line {number} of the paste ({label}, year {year}): {error}; nothing was "
                        "pasted"
                    ).format(number=number, label=line.label, year=line.year, error=error_text(exc))
                )
                return
        self.price_table.say("")
        count = len(texts)
        self.apply_data(
            data,
            ngettext("Paste {count} quantity", "Paste {count} quantities", count).format(
                count=count
            ),
        )

    def apply_data(self, data: dict[str, Any], label: str) -> None:
        """Make the quote ``data`` as one undo step (the parts that differ)."""
        keys = [
            k
            for k in sorted(set(data) | set(self.data))
            if self._part(k) != (k in data, data.get(k))
        ]
        if not keys or self._held(lambda: self.apply_data(data, label)):
            return
        self.undo_stack.beginMacro(label)
        for key in sorted(keys, key=lambda k: (k != "components", k)):
            self.undo_stack.push(
                EditCommand(
                    self, key, self._part(key), (key in data, data.get(key)), label, typed=False
                )
            )
        self.undo_stack.endMacro()

    def _mark_fields(self) -> None:
        invalid = colours.invalid_style()
        for binding in self.bindings:
            why = binding.entry_problem()
            if why:  # an entry the one number parser cannot read, kept as typed
                self._mark(binding, invalid, why, why)
                continue
            why = binding.print_problem()
            if why:  # recorded and priced; the PDF cannot print it
                self._mark(binding, invalid, why, why)
                continue
            where = path_text(binding.path)
            # A problem of the whole discount ("give exactly one of percent or amount")
            # marks each of its fields.
            reasons = [
                reason_text(words.reason(p.split(": ", 1)[-1]))
                for p in self.problems
                if where == (at := p.split(": ", 1)[0]) or where.startswith(at + ".")
            ]
            said = joined(reasons)
            self._mark(binding, invalid if reasons else "", said or None, said or binding.tooltip)

    @staticmethod
    def _mark(binding: Binding, style: str, problem: str | None, tip: str) -> None:
        """A field marked invalid (``style``, the ⚠ beside it and its ``problem`` read by
        screen readers) or not. Nothing is set when the field shows that already (most
        fields on most edits): finding a field's label costs a search of the form."""
        widget = binding.widget
        if (
            widget.styleSheet() == style
            and widget.toolTip() == tip
            and widget.accessibleDescription() == colours.invalid_description(problem)
        ):
            return
        widget.setStyleSheet(style)
        colours.flag_label(widget, problem)
        widget.setToolTip(tip)

    def validity_changed(self) -> None:
        """Hook for the window (enables Save)."""


MUST_APPROVE = {
    "rep": N_("The rep must approve version {number}, under {policy}:"),
    "manager": N_("A manager must approve version {number}, under {policy}:"),
    "deal_desk": N_("The deal desk must approve version {number}, under {policy}:"),
}
"""Who must approve, before the reasons (Request approval…)."""


class QuoteEditorWindow(QMainWindow):
    """A saved quote open for editing."""

    def __init__(self, window: MainWindow, quote_id: int) -> None:
        super().__init__(window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.main_window = window
        self.workspace = window.workspace
        self.quote_id = quote_id
        opened = self.workspace.run(quote_service.open_version, quote_id)
        self.row = opened.quote
        data = opened.document.to_json_dict()
        settings = self.workspace.run(get_settings)
        self.editor = QuoteEditor(
            data,
            settings.margin_floor_percent,
            jurisdiction=lambda document: jurisdiction_unset(settings, document),
            unprintable=self._unprintable,
        )
        self.editor.set_contacts(self._contacts())
        self.editor.customer_tax = self._customer_tax()
        self.editor.options.rates = self._rates()  # before pricing: the summary checks the rate
        self.editor.reprice()
        self.editor.decide_tax = self._decide_tax
        self.editor.currency_change = self._currency_change
        self.editor.set_customer_language(self._customer_language())
        self.editor.options.policy = self._policy()
        self.editor.validity_changed = self._validity_changed  # type: ignore[method-assign]
        self.banner = ApprovalBanner()
        self.approval_state: ApprovalState | None = None
        """services.approvals.ApprovalState of the saved quote (the banner's source)."""
        self._judged: tuple[object, EditJudgement | None] = (None, None)
        """(the priced quote, its judgement): the edit is judged once per pricing."""
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.setInterval(250)
        self._banner_timer.timeout.connect(self._show_banner)
        self._banner_settle = QTimer(self)
        self._banner_settle.setSingleShot(True)
        self._banner_settle.setInterval(BANNER_SETTLE_MS)
        self._banner_settle.timeout.connect(self._settle_banner)
        self.banner.room = self._banner_room
        self._void_confirmed = False
        self.edit_gate = EditGate(self.editor, self._ask_before_editing)
        # Every edit that reaches the quote without a held key or click waits for the
        # answer too (a pick from a list's popup, a spin box's arrows, Undo, ...).
        self.editor.hold_edit = lambda edit: self.edit_gate.hold_edit(edit, self.editor.show_data)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(6, 6, 6, 0)
        central_layout.addWidget(self.banner)
        central_layout.addWidget(self.editor, 1)
        self.setCentralWidget(central)
        self.preview: PreviewPane | None = None
        """Created when the Preview tab is first shown: its worker process starts then."""
        self._preview_tab = QWidget()
        QVBoxLayout(self._preview_tab).setContentsMargins(0, 0, 0, 0)
        self.editor.tabs.addTab(self._preview_tab, _("Preview"))
        self.editor.tabs.currentChanged.connect(self._tab_changed)
        self._export_when_shown = False
        geometry.restore(self, "editor", QSize(1200, 760))
        self._build_actions()
        self._update_title()
        self.refresh_approval()
        self.editor.undo_stack.indexChanged.connect(self._clean_changed)
        self._autosave = QTimer(self)
        self._autosave.setInterval(20_000)
        self._autosave.timeout.connect(self.autosave_draft)
        self._autosave.start()
        QTimer.singleShot(0, self.offer_draft)

    def _policy(self) -> Any:
        """The approval policy the options' approval need is judged by (None: unknown)."""
        from quote_builder.services import approvals as approval_service

        try:
            return self.workspace.run(approval_service.current_policy)
        except UserFacingError:
            return None

    def _rates(self) -> Any:
        """The exchange-rate table the quote's rate is checked against when judging who
        approves (``approvals.policy.check_rate``; None: it cannot be read)."""
        from quote_builder.services.currencies import rate_table

        try:
            return self.workspace.run(rate_table)
        except UserFacingError:
            return None

    def _customer_tax(self) -> CustomerTaxFacts | None:
        """What the customer's record says now of what decides the tax (None: the
        customer is gone or the database unreachable)."""
        from quote_builder.services import tax as tax_service

        try:
            facts: CustomerTaxFacts = self.workspace.run(
                tax_service.customer_facts, self.row.customer_id
            )
        except UserFacingError:
            return None
        return facts

    def _decide_tax(self) -> dict[str, Any]:
        from quote_builder.services import tax as tax_service

        tax = self.workspace.run(tax_service.quote_tax, self.row.customer_id)
        return tax_service.tax_data(tax)

    def _currency_change(self, data: dict[str, Any], new: str) -> CurrencyChange:
        from quote_builder.services import currencies

        change: CurrencyChange = self.workspace.run(currencies.currency_change, data, new)
        return change

    def _customer_language(self) -> str:
        """The language the customer's documents are in (theirs, else their country's)."""
        from quote_builder.countries import default_language
        from quote_builder.services import customers as customer_service

        customer = self.workspace.run(customer_service.get_customer, self.row.customer_id)
        return customer.language or default_language(customer.country)

    def _contacts(self) -> list[dict[str, str]]:
        """The quote's customer's contacts, as a quote keeps its recipient."""
        from quote_builder.services import customers as customer_service

        customer_id = self.row.customer_id
        return [
            {k: v for k, v in {"name": c.name, "title": c.title, "email": c.email}.items() if v}
            for c in self.workspace.run(customer_service.list_contacts, customer_id)
        ]

    def _build_actions(self) -> None:
        bar = self.addToolBar(_("Quote"))
        bar.setObjectName("quote-toolbar")
        self.save_action = QAction(_("Save"), self)
        keys.bind(self.save_action, "editor.save")
        self.save_action.setToolTip(_("Save a new version (Ctrl+S)"))
        self.save_action.triggered.connect(self.save)
        self.undo_action = undo = QAction(_("Undo"), self)
        keys.bind(undo, "editor.undo")
        undo.setToolTip(_("Undo the last edit (Ctrl+Z)"))
        undo.triggered.connect(self.editor.undo)
        self.redo_action = redo = QAction(_("Redo"), self)
        keys.bind(redo, "editor.redo")
        # A window shortcut: the editor's fields must not swallow Redo and Undo.
        redo.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        undo.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        redo.setToolTip(_("Redo the edit undone last (Ctrl+Shift+Z or Ctrl+Y)"))
        redo.triggered.connect(self.editor.redo)
        # Ctrl+W closes the window, as in every document window (closeEvent asks to save).
        close = QAction(_("Close"), self)
        keys.bind(close, "editor.close")
        close.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        close.triggered.connect(self.close)
        self.addAction(close)
        # Ctrl+PgDown / Ctrl+PgUp turn the tabs from wherever the cursor is: Qt's own
        # works only with the focus on the tab bar, never from a field of a tab.
        for shortcut_id, step in (("editor.next_tab", 1), ("editor.previous_tab", -1)):
            turn = QAction(self)
            keys.bind(turn, shortcut_id)
            turn.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            turn.triggered.connect(lambda _checked=False, step=step: self._turn_tab(step))
            self.addAction(turn)
        versions = QAction(_("Versions…"), self)
        versions.setToolTip(_("List this quote's versions and compare two of them"))
        versions.triggered.connect(self.show_versions)
        duplicate = QAction(_("Duplicate"), self)
        duplicate.setToolTip(_("Copy this quote into a new draft quote"))
        duplicate.triggered.connect(self.duplicate)
        self.approval_action = QAction(_("Request approval…"), self)
        self.approval_action.setToolTip(
            _("See why the deal desk must approve this quote, then ask")
        )
        self.approval_action.triggered.connect(self.request_approval)
        self.export_action = QAction(_("Export PDF…"), self)
        keys.bind(self.export_action, "editor.export_pdf")
        self.export_action.setToolTip(
            _("Write the proposal or contract as PDF and open its folder (Ctrl+P)")
        )
        self.export_action.triggered.connect(self.export_pdf)
        for action in (
            self.save_action,
            undo,
            redo,
            versions,
            duplicate,
            self.approval_action,
            self.export_action,
        ):
            bar.addAction(action)
            self.addAction(action)
        from .deal_actions import DealActions

        self.deal_actions = DealActions(self)
        """Finalise (Ctrl+Shift+P), Mark lost…, Record acceptance…, Re-issue…, Renew…"""
        # The toolbar's buttons take no keyboard focus: the same actions in a menu (Alt+Q,
        # then the arrows and Enter) reach every one of them without a mouse (Versions…,
        # Request approval…, Mark lost… have no key of their own).
        self.quote_menu = self.menuBar().addMenu(_("&Quote"))
        self.quote_menu.setObjectName("quote-menu")
        for action in bar.actions():
            self.quote_menu.addAction(action)

    def _turn_tab(self, step: int) -> None:
        """Show the next (1) or previous (-1) tab, round from the last to the first, with
        the keyboard focus on the tab bar (the arrows go on from there)."""
        tabs = self.editor.tabs
        count = tabs.count()
        if count:
            tabs.setCurrentIndex((tabs.currentIndex() + step) % count)
            tabs.tabBar().setFocus(Qt.FocusReason.TabFocusReason)

    # --- approval ---------------------------------------------------------------------------

    def refresh_approval(self) -> None:
        """Ask where the saved quote stands (status, request, decision) and show it in the
        banner; Request approval is enabled only when there is something to request."""
        from quote_builder.services import approvals as approval_service

        before = getattr(self, "approval_state", None)
        try:
            self.approval_state = self.workspace.run(approval_service.approval_state, self.quote_id)
        except UserFacingError as exc:
            self.approval_state = None
            self.banner.label.setText(error_message(exc))
        else:
            self._show_banner()
            if (
                before is not None
                and before.not_ready != self.approval_state.not_ready
                and self.preview is not None
                and self.editor.tabs.currentWidget() is self._preview_tab
            ):
                # The customer's details changed (back from the Customers page): the
                # preview's order form and its "to check" list follow.
                self.refresh_preview()
            try:
                latest = self.workspace.run(quote_service.get_quote, self.quote_id)
            except UserFacingError as exc:
                # The database process stopped (or the server went away) between the two
                # questions: said in the banner, as for the first; never the crash dialog
                # after a save that was made.
                self.banner.label.setText(error_message(exc))
            else:
                # Take the new status (a request or a decision changed the row) only when
                # the content is still the version this window holds: a version saved
                # elsewhere must stay a conflict on save, never be overwritten.
                if latest.latest_version == self.row.latest_version:
                    self.row = latest
            self._update_title()
        self._arm_edit_gate()
        self._update_actions()

    def _show_banner(self) -> None:
        """The banner: the saved version's state, and while the quote has unsaved changes
        what the quote as edited needs under the policy (judged from what the editor
        priced, so the banner and the warnings list speak of the same quote)."""
        self._banner_timer.stop()
        state = self.approval_state
        if state is None:
            return
        edit = self._edit_judgement()
        self.banner.show_state(state, edit, tax_stale=self.editor.stale_tax_text())
        # While the rep types the banner only grows: a reason coming and going at each
        # keystroke would move the form under the cursor. When typing pauses it fits its
        # text again (the settle timer), and it never grows the window (its room).
        banner = self.banner
        banner.floor = max(banner.floor, banner.needed()) if edit is not None else 0
        banner.fit()
        if banner.floor:
            self._banner_settle.start()

    def _settle_banner(self) -> None:
        """Typing paused: the banner fits its text again (blank space from a message that
        went is given back), once the pointer is off the form: giving the space back moves
        the form up, and a click on the next field landed on the one below it (a discount
        typed into "...for months", an escalator of 36 %)."""
        if self._pointer_over_form():
            self._banner_settle.start()
            return
        self.banner.floor = 0
        self.banner.fit()

    def _pointer_over_form(self) -> bool:
        """Whether the mouse pointer is over the tabs and totals under the banner."""
        form = self.editor
        return form.isVisible() and form.rect().contains(form.mapFromGlobal(QCursor.pos()))

    def _banner_room(self) -> int:
        """The most height the banner may take without the window growing: its own and
        what the window has beyond the editor's minimum, the tool bar and status line."""
        central = self.centralWidget()
        layout = central.layout() if central is not None else None
        if central is None or layout is None:
            return self.height()
        margins = layout.contentsMargins()
        chrome = self.height() - central.height()  # the tool bar and the status line
        inside = margins.top() + margins.bottom() + layout.spacing()
        return self.height() - chrome - inside - self.editor.minimumSizeHint().height()

    def _edit_judgement(self) -> EditJudgement | None:
        """The unsaved changes under the policy; None when nothing is changed or the
        policy is not known here."""
        from quote_builder.approvals.policy import evaluate

        policy = self.editor.options.policy
        if policy is None or not self.editor.is_modified():
            return None
        document, priced = self.editor.document, self.editor.priced
        if document is None or priced is None:
            return EditJudgement(None)
        if self._judged[0] is not priced:
            judged = evaluate(document, priced, policy, self.editor.options.rates)
            self._judged = (priced, EditJudgement(judged))
        return self._judged[1]

    def _banner_follows_edit(self) -> None:
        """After each edit: at once, or when typing pauses for a quote with options (each
        option is priced again to judge it: milliseconds per option per keystroke)."""
        document = self.editor.document
        if document is not None and document.options and self.editor.is_modified():
            self._banner_timer.start()
        else:
            self._show_banner()

    def refresh_from(self, changes: Changes) -> None:
        """A change record from elsewhere in the app (a decision imported, a request)."""
        if changes.settings:
            self.editor.options.policy = self._policy()  # the policy may have changed
            self.editor.options.rates = self._rates()  # and the exchange-rate table
            self._judged = (None, None)
            try:
                settings = self.workspace.run(get_settings)
            except UserFacingError:
                pass  # the database is unreachable: keep what the list said
            else:
                # The seller's legal frame: the law and courts may be set now.
                self.editor.jurisdiction = lambda document: jurisdiction_unset(settings, document)
                self.editor.reprice()
        customer = self.row.customer_id in changes.customers or changes.elsewhere
        if customer:
            self.refresh_contacts()
            facts = self._customer_tax()
            if facts is not None and facts != self.editor.customer_tax:
                # Its tax ID, country or region changed: the quote's tax may be stale now.
                self.editor.customer_tax = facts
                self.editor.reprice()  # the banner follows (refresh_approval below)
        if self.quote_id in changes.quotes or changes.settings or customer:
            self.refresh_approval()

    def refresh_contacts(self) -> None:
        """The Recipient list from the customer's contacts as they are now (a contact added
        on the Customers page, or by another process); the chosen recipient is kept."""
        try:
            contacts = self._contacts()
        except UserFacingError:
            return  # the customer is gone or the database unreachable: keep the list
        if contacts != self.editor.contacts():
            self.editor.set_contacts(contacts)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        # On a shared database the deal desk decides from another machine: look again
        # when the window comes back to the front.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.refresh_contacts()
            self.refresh_approval()
        super().changeEvent(event)

    def _request_problem(self, modified: bool | None = None) -> str | None:
        """Why Request approval is disabled now (None: it is enabled). ``modified``: the
        editor's ``is_modified`` when the caller has it."""
        state = self.approval_state
        if self.editor.is_modified() if modified is None else modified:
            return _("Save your changes first: approval is for a saved version")
        if state is None:
            return _("The quote's approval status is not known")
        if state.problem:
            return state.problem
        if state.approval is not None:
            # As `approval request` refuses it: asking again would leave the version
            # without its approval until the desk decides.
            from quote_builder.approvals.signing import last_day

            approval = state.approval
            if approval.expires_at:
                return _(
                    "Version {number} is already approved by {approver} until {last_day}; "
                    "nothing to request"
                ).format(
                    number=state.latest_version,
                    approver=approval.approver_name,
                    last_day=locale_format.day(last_day(approval.expires_at)),
                )
            return _(
                "Version {number} is already approved by {approver}, with no expiry; nothing "
                "to request"
            ).format(number=state.latest_version, approver=approval.approver_name)
        if state.pending is not None and not state.pending_stale:
            return _("Approval of version {number} is already requested").format(
                number=state.latest_version
            )
        if not state.needed:
            return _("Nothing in this quote needs approval under {policy}").format(
                policy=policy_words(state.policy_label)
            )
        return None

    def request_approval(self) -> None:
        """Show why approval is needed (before asking); then freeze this version and ask."""
        from quote_builder.safe_files import write_atomic
        from quote_builder.services import approvals as approval_service

        state = self.approval_state
        if state is not None and state.unprintable:
            # The deal desk approves a PDF the customer can be sent: not one that cannot be made.
            QMessageBox.warning(
                self,
                _("Not requested"),
                _("The PDF cannot be made: {problem}.").format(
                    problem=service_words.text(state.unprintable[0])
                ),
            )
            return
        problem = self._request_problem()
        if problem is not None:
            QMessageBox.information(self, _("Nothing to request"), problem + ".")
            return
        try:
            evaluated = self.workspace.run(approval_service.evaluate_quote, self.row.number)
        except UserFacingError as exc:
            QMessageBox.warning(self, _("Cannot evaluate"), error_message(exc))
            return
        evaluation = evaluated.evaluation
        if not evaluation.needed:
            QMessageBox.information(
                self,
                _("No approval needed"),
                _("Nothing in this quote needs approval under {policy}.").format(
                    policy=policy_words(evaluated.policy_label)
                ),
            )
            self.refresh_approval()
            return
        text = (
            _(
                MUST_APPROVE.get(evaluation.required_role or "deal_desk", MUST_APPROVE["deal_desk"])
            ).format(number=self.row.latest_version, policy=policy_words(evaluated.policy_label))
            + "\n\n"
            + "\n".join(f"• {r}" for r in reason_texts(evaluation.reasons, evaluation.details))
            + "\n\n"
            + _("Ask for approval now?")
        )
        if QMessageBox.question(self, _("Approval needed"), text) != QMessageBox.StandardButton.Yes:
            return
        try:
            outcome = self.workspace.run(
                approval_service.request_approval, self.row.number, actor=self.workspace.user
            )
        except UserFacingError as exc:
            QMessageBox.warning(self, _("Not requested"), error_message(exc))
            return
        self.main_window.changed.emit(outcome.changes)
        self.refresh_approval()
        path, _filter = QFileDialog.getSaveFileName(
            self,
            # Short: a window manager cuts a title longer than the file dialog is wide
            # (German: "Die Anfrage für einen Deal Desk auf ein… anderen Rechner …").
            _("Export the request for the deal desk (optional)"),
            str(desktop_open.save_folder() / f"{self.row.number}-approval-request.json"),
            _("JSON (*.json)"),
        )
        if path:
            try:
                write_atomic(
                    path,
                    self.workspace.run(
                        approval_service.export_request, self.row.number, actor=self.workspace.user
                    ),
                    what="The request file",
                )
            except UserFacingError as exc:  # a full or read-only disk: nothing was written
                QMessageBox.warning(
                    self,
                    _("Request file not written"),
                    _(
                        "{error}\n\nThe approval request itself is made; Request approval… again makes a new request and asks for the file once more."
                    ).format(error=error_text(exc)),
                )

    def _void_question(self) -> str | None:
        """What "Edit anyway?" says for this quote (None: it has nothing to void)."""
        state = self.approval_state
        if state is None:
            return None
        if state.approval is not None:
            who = state.approval.approver_name
            return _(
                "Version {number} is approved by {who}. A change saved makes a new version, and the approval will be void: it must be approved again.\n\nEdit anyway?"
            ).format(number=state.latest_version, who=who)
        if state.pending is not None:
            return _(
                "Approval of version {number} is pending. A change saved makes a new version, and the request will no longer apply: ask again after saving.\n\nEdit anyway?"
            ).format(number=state.latest_version)
        return None

    def _ask_void(self, text: str) -> QMessageBox.StandardButton:
        """ "Edit anyway?", with No as the default: Enter, or a key typed on, keeps the
        approval."""
        return QMessageBox.question(
            self,
            _("The approval will be void"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )

    def _ask_before_editing(self) -> bool:
        """The edit gate's question, asked before the first edit is applied (a keystroke,
        a click, a pick from a list, Undo or Redo, ...): True (Yes) lets the held keys and
        edits in."""
        text = self._void_question()
        if self._void_confirmed or text is None:
            return True
        answer = self._ask_void(text)
        self._void_confirmed = answer == QMessageBox.StandardButton.Yes
        return self._void_confirmed

    def _arm_edit_gate(self) -> None:
        """Ask before the first edit while the saved quote has an approval (or a request)
        to void and the rep has not said Yes yet."""
        self.edit_gate.arm(
            not self._void_confirmed
            and not self.editor.is_modified()
            and self._void_question() is not None
        )

    def _confirm_voiding(self) -> None:
        """A last guard: every edit of the editor waits for the gate's answer (keys and
        clicks in ``EditGate``, any other input through ``QuoteEditor.hold_edit``), so the
        quote never changes unasked; should its undo stack move by another way (the stack
        driven directly), say after it that saving voids the approval (or the request);
        No takes the quote back to the saved version."""
        if self._void_confirmed or not self.editor.is_modified():
            return
        text = self._void_question()
        if text is None:
            return
        answer = self._ask_void(text)
        if answer == QMessageBox.StandardButton.Yes:
            self._void_confirmed = True
            self._arm_edit_gate()
        else:
            stack = self.editor.undo_stack
            if stack.cleanIndex() >= 0:
                stack.setIndex(stack.cleanIndex())  # back to the saved version (undo or redo)

    # --- preview and export --------------------------------------------------------------

    def _ensure_preview(self) -> PreviewPane:
        if self.preview is None:
            self.preview = PreviewPane(self._preview_tab)
            self.preview.shown.connect(self._preview_shown)
            self.preview.failed.connect(self._preview_failed)
            layout = self._preview_tab.layout()
            assert layout is not None
            layout.addWidget(self.preview)
        return self.preview

    def _tab_changed(self, index: int) -> None:
        if self.editor.tabs.widget(index) is self._preview_tab:
            self.refresh_preview()

    def refresh_preview(self) -> None:
        """Send the current document to the worker (a newer edit replaces a waiting one)."""
        pane = self._ensure_preview()
        if self.editor.document is None:
            return
        if not self.editor.is_modified() and self._show_sent(pane):
            return
        final = (
            self.row.status in ("approved", "sent", "accepted") and not self.editor.is_modified()
        )
        meta = self.workspace.run(
            preview_meta,
            self.editor.document,
            quote_number=self.row.number,
            version=None if self.editor.is_modified() else self.row.latest_version,
            status=self.row.status,
            final=final and not price(self.editor.document).blocking,
            valid_until=self.row.valid_until,
        )
        pane.show_quote(self.editor.document, meta)

    def _show_sent(self, pane: PreviewPane) -> bool:
        """A version that was sent is frozen: the preview shows the file as sent (from the
        database, byte for byte) and Export PDF saves it; it is never rendered again, so
        no second, unsigned "original" can be made here. False when this version was not
        sent."""
        from quote_builder.services import lifecycle

        from . import service_words

        sent = self.workspace.run(lifecycle.sent_version, self.quote_id, self.row.latest_version)
        if sent is None:
            return False
        accepted = self.workspace.run(
            lifecycle.accepted_file, self.quote_id, self.row.latest_version
        )
        if accepted is not None and accepted.is_pdf:
            # Accepted: the file of record is the one both parties signed, not the one sent.
            pane.show_sent(
                accepted.file,
                accepted.info.file_name or sent.file_name,
                _("As accepted on {day}: signed by both parties").format(
                    day=f"{accepted.info.signed_at:%Y-%m-%d}"
                ),
                _(
                    "{accepted}.\nThis is the order form the customer signed, byte for byte "
                    "(the file sent was {file_name})."
                ).format(
                    accepted=service_words.text(lifecycle.accepted_words(accepted)),
                    file_name=sent.file_name,
                ),
            )
            return True
        pane.show_sent(
            sent.pdf,
            sent.file_name,
            f"As sent on {sent.sent_at:%Y-%m-%d}: the signed file",
            f"{lifecycle.sent_words(sent)}.\nThis is that file, byte for byte: a sent version "
            "is not rendered again. Edit the quote to make a new version.",
        )
        return True

    def _validity_changed(self) -> None:
        edit_state = self.editor.edit_state()
        # Invalid component fields change the quote without a new step.
        self._update_title(edit_state[1])
        self._update_actions(edit_state)
        self._banner_follows_edit()
        if self.preview is not None and self.editor.tabs.currentWidget() is self._preview_tab:
            self.refresh_preview()

    def _unprintable(self, document: QuoteDocument) -> tuple[str, ...]:
        """What of ``document`` the PDF cannot print (its customer as the Customers page
        has it), in the interface's language: the one rule the documents refuse by."""
        from quote_builder.services.printable import print_problems

        try:
            found = self.workspace.run(print_problems, document)
        except UserFacingError:
            return ()
        return tuple(service_words.text(sentence) for sentence in found)

    def export_pdf(self) -> None:
        """Ctrl+P: the Preview tab renders; when the PDF is there, ask where to save it.
        A quote whose PDF cannot be made says why at once (the text the fonts cannot draw)
        rather than leaving the rep on a Preview tab with Export PDF greyed out."""
        if self.editor.document is None:
            QMessageBox.warning(self, _("Cannot export"), _("Fix the marked fields first."))
            return
        unprintable = self._unprintable(self.editor.document)
        if unprintable:
            QMessageBox.warning(
                self,
                _("Cannot export"),
                _("The PDF cannot be made: {problem}.").format(problem=unprintable[0]),
            )
            return
        self.editor.tabs.setCurrentWidget(self._preview_tab)
        pane = self._ensure_preview()
        if pane.current_pdf() is not None and not pane.busy:
            pane.export()
        else:
            self._export_when_shown = True
            self.refresh_preview()

    def _preview_shown(self, _outcome: object) -> None:
        if self._export_when_shown and self.preview is not None:
            self._export_when_shown = False
            self.preview.export()

    def _preview_failed(self, outcome: object) -> None:
        """The PDF Export PDF waited for could not be made: say why, in a dialog."""
        if self._export_when_shown:
            self._export_when_shown = False
            QMessageBox.warning(
                self,
                _("Cannot export"),
                _("The PDF cannot be made: {problem}").format(
                    problem=getattr(outcome, "error", "") or _("the preview failed")
                ),
            )

    def _clean_changed(self, _index: int) -> None:
        edit_state = self.editor.edit_state()
        self._update_title(edit_state[1])
        self._update_actions(edit_state)
        if edit_state[1]:
            QTimer.singleShot(0, self._confirm_voiding)
        elif self._void_confirmed:
            # Undone back to the saved version: its approval (or request) stands again,
            # so the next edit asks again (walk 6: the Yes once given let every later edit in).
            self._void_confirmed = False
            self._arm_edit_gate()

    def _update_title(self, modified: bool | None = None) -> None:
        """The title with a • while modified (``modified``: the editor's ``is_modified``
        when the caller has it)."""
        if modified is None:
            modified = self.editor.is_modified()
        dirty = " •" if modified else ""
        self.setWindowTitle(
            f"{self.row.number} — {self.row.customer_name} (v{self.row.latest_version}){dirty}"
        )

    def _update_undo_tips(self, unrecorded: bool | None = None) -> None:
        """Undo's and Redo's tooltips say what they take back or do again, as the form
        labels it ("Undo Edit Deal discount % (Ctrl+Z)"), as the README promises."""
        if unrecorded is None:
            unrecorded = self.editor.edit_state()[0]
        stack = self.editor.undo_stack
        undo_keys = keys.SHORTCUTS["editor.undo"].text()
        redo_keys = keys.SHORTCUTS["editor.redo"].text()
        if unrecorded:
            undo = _("Undo what you typed in this field ({keys})").format(keys=undo_keys)
        elif stack.canUndo():
            undo = _("Undo {step} ({keys})").format(step=stack.undoText(), keys=undo_keys)
        else:
            undo = _("Nothing to undo ({keys})").format(keys=undo_keys)
        if self.editor.can_redo_typed():
            redo = _("Redo what you typed in this field ({keys})").format(keys=redo_keys)
        elif stack.canRedo() and not unrecorded:
            redo = _("Redo {step} ({keys})").format(step=stack.redoText(), keys=redo_keys)
        else:
            redo = _("Nothing to redo ({keys})").format(keys=redo_keys)
        self.undo_action.setToolTip(undo)
        self.redo_action.setToolTip(redo)

    def _update_actions(self, edit_state: tuple[bool, bool] | None = None) -> None:
        """Save, Undo, Redo, the deal actions and Request approval as the editor now allows
        (``edit_state``: the editor's ``edit_state()`` when the caller has it)."""
        unrecorded, modified = self.editor.edit_state() if edit_state is None else edit_state
        self.save_action.setEnabled(not self.editor.problems and modified)
        stack = self.editor.undo_stack
        self.undo_action.setEnabled(stack.canUndo() or unrecorded)
        self.redo_action.setEnabled(
            (stack.canRedo() and not unrecorded) or self.editor.can_redo_typed()
        )
        self._update_undo_tips(unrecorded)
        self.save_action.setToolTip(
            _("Save a new version (Ctrl+S)")
            if not self.editor.problems
            else _("Fix the marked fields first: {problem}").format(
                problem=self.editor.problem_sentences()[0]
            )
        )
        if hasattr(self, "deal_actions"):
            self.deal_actions.update(modified)
        if hasattr(self, "approval_action"):
            problem = self._request_problem(modified)
            self.approval_action.setEnabled(problem is None)
            self.approval_action.setToolTip(
                _("See why the deal desk must approve this quote, then ask")
                if problem is None
                else problem
            )

    # --- saving --------------------------------------------------------------------------------

    def save(self) -> bool:
        # A new currency still in its field (Ctrl+S pressed without leaving it) is asked
        # about first, so what is saved is what the field shows.
        self.editor.commit_currency()
        if self.editor.document is None:
            QMessageBox.warning(
                self,
                _("Cannot save"),
                _("Fix the marked fields first:")
                + "\n"
                + "\n".join(self.editor.problem_sentences()),
            )
            return False
        outcome = self._save_version(self.editor.document, self.row.version_id)
        if outcome is None:
            return False
        self.row = outcome.value
        # The saved version carries the customer's current name and the quote's number:
        # show them, so what is on screen is what was saved. The version is saved even if
        # reading it back fails (the database process stopped just after): the banner
        # says why, and the editor is not left claiming unsaved changes.
        try:
            saved = self.workspace.run(quote_service.open_version, self.quote_id).document
        except UserFacingError as exc:
            self.banner.label.setText(error_message(exc))
        else:
            self.editor.take_bound_fields(saved.to_json_dict())
        self.editor.mark_saved()
        self.discard_draft()
        self._void_confirmed = False
        self._arm_edit_gate()
        self._update_title()
        self.main_window.changed.emit(outcome.changes)
        self.refresh_approval()
        self.statusBar().showMessage(
            _("Saved version {number}").format(number=self.row.latest_version), 4000
        )
        return True

    def show_conflict(self, message: str) -> None:
        """Someone else saved since this quote was opened: show both and offer their version
        with my changes applied (a three-way merge from the version I opened); where we both
        changed a field, I choose whose value is kept. Nothing is overwritten. When nothing
        of mine differs from their version (my changes were theirs too), there is nothing to
        save: the choice takes their version as the saved one, and makes no new version."""
        if self.editor.document is None:
            return
        base = self.row.latest_version  # the version this window opened (or last saved)
        plan = self.workspace.run(
            quote_service.plan_merge, self.quote_id, base, self.editor.document
        )
        theirs, merge = plan.theirs, plan.merge
        number = theirs.version.number
        next_number = theirs.quote.latest_version + 1
        # Beside theirs: what the save would hold (their version with my changes; my value
        # where we both changed a field), else my document as it is.
        shown = merge.keep_mine or self.editor.document
        nothing_new = merge.keep_mine_is_theirs and not merge.conflicts
        rows = quote_service.compare_documents(
            theirs.document, shown, locale=locale_format.user_locale()
        )

        def fields(labels: list[str]) -> str:
            return ", ".join(service_words.texts(labels)) or _("none")

        lines = [
            message,
            _("Their changes (v{number}): {fields}").format(
                number=number, fields=fields(merge.theirs_changed)
            ),
            _("Your changes: {fields}").format(fields=fields(merge.mine_changed)),
        ]
        if merge.problems:
            lines.append(
                _("Their changes and yours do not make a valid quote together:")
                + "\n"
                + "\n".join(service_words.texts(merge.problems))
            )
        elif merge.conflicts:
            lines.append(
                _(
                    "You both changed: {fields}. Choose whose value to keep (the table shows "
                    "yours)."
                ).format(fields=fields(merge.conflicts))
            )
        elif nothing_new:
            lines.append(
                _(
                    "Their version has your changes already: there is nothing of yours to "
                    "save, and no new version is made."
                )
            )
        else:
            lines.append(
                _(
                    "Saving keeps their version and applies only the fields you changed: "
                    "nothing of theirs is lost."
                )
            )
        if nothing_new:
            right = _("Yours: the same as v{number}").format(number=number)
        elif merge.keep_mine is not None:
            right = _("v{next} with your changes").format(next=next_number)
        else:
            right = _("Yours (not saved)")
        dialog = ComparisonDialog(
            self,
            _("Someone else saved this quote"),
            "\n".join(lines),
            _("Theirs (v{number})").format(number=number),
            right,
            rows,
        )
        reload_button = dialog.buttons.addButton(
            _("Load theirs"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        choices: dict[object, QuoteDocument] = {}
        take: object = reload_button  # the buttons that take theirs as it is: no new version
        if merge.keep_mine is not None and merge.keep_theirs is not None:
            if merge.conflicts:
                mine_button = dialog.buttons.addButton(
                    _(
                        "Save v{next}: theirs with my changes, my value where we both changed"
                    ).format(next=next_number),
                    QDialogButtonBox.ButtonRole.AcceptRole,
                )
                if merge.keep_theirs_is_theirs:
                    # My only changes are the ones we both made: their value everywhere is
                    # their version as it is.
                    take = dialog.buttons.addButton(
                        _("Keep v{number} as it is: their value where we both changed").format(
                            number=number
                        ),
                        QDialogButtonBox.ButtonRole.AcceptRole,
                    )
                    choices = {mine_button: merge.keep_mine}
                else:
                    theirs_button = dialog.buttons.addButton(
                        _(
                            "Save v{next}: theirs with my changes, their value where we both "
                            "changed"
                        ).format(next=next_number),
                        QDialogButtonBox.ButtonRole.AcceptRole,
                    )
                    choices = {mine_button: merge.keep_mine, theirs_button: merge.keep_theirs}
            elif nothing_new:
                take = dialog.buttons.addButton(
                    _("Take v{number}: it has your changes").format(number=number),
                    QDialogButtonBox.ButtonRole.AcceptRole,
                )
            else:
                merged_button = dialog.buttons.addButton(
                    _("Save v{next}: their changes and mine").format(next=next_number),
                    QDialogButtonBox.ButtonRole.AcceptRole,
                )
                choices = {merged_button: merge.keep_mine}
        dialog.exec()
        clicked = dialog.clicked
        if clicked is reload_button:
            self.take_theirs(theirs)
        elif clicked is take:
            self.take_theirs(
                theirs,
                _("Version {number} has your changes already: nothing to save").format(
                    number=number
                ),
            )
        elif clicked in choices:
            self.save_merged(choices[clicked], theirs)

    def _save_version(
        self, document: QuoteDocument, expected_version: int
    ) -> Outcome[quote_service.QuoteRow] | None:
        """Save ``document`` as the version after ``expected_version``; None when it was
        not saved (a conflict is shown side by side, any other refusal in a message)."""
        try:
            return self.workspace.run(
                quote_service.save_quote,
                self.quote_id,
                document,
                expected_version=expected_version,
                actor=self.workspace.user,
            )
        except ConflictError as exc:
            self.show_conflict(error_text(exc))
        except UserFacingError as exc:
            QMessageBox.warning(self, _("Not saved"), error_message(exc))
        return None

    def _load_document(self, document: QuoteDocument) -> None:
        """Show ``document`` as the saved version (after loading theirs or a merged save)."""
        self.editor.data = document.to_json_dict()
        self.editor.undo_stack.clear()
        self.editor._load_widgets()
        self.editor.reprice()
        self.editor.mark_saved()
        self.discard_draft()
        self._update_title()

    def take_theirs(self, theirs: quote_service.OpenedVersion, note: str = "") -> None:
        """Show their version as the saved one, with nothing of mine (Load theirs), or
        because nothing of mine differs from it: no new version, nothing modified, and its
        approval (or request) stands again, so the next edit asks again (``note``: said in
        the status line)."""
        self.row = theirs.quote
        self._load_document(theirs.document)
        self._void_confirmed = False
        self.refresh_approval()
        if note:
            self.statusBar().showMessage(note, 8000)

    def save_merged(self, document: QuoteDocument, theirs: quote_service.OpenedVersion) -> bool:
        """Save a merged document as the version after ``theirs``; should someone save
        again meanwhile, that is a conflict again (with the same version as the base). A
        document that is their version as it is makes no new version: theirs is taken."""
        outcome = self._save_version(document, theirs.quote.version_id)
        if outcome is None:
            return False
        self.row = outcome.value
        self._load_document(self.workspace.run(quote_service.open_version, self.quote_id).document)
        self._void_confirmed = False
        self.main_window.changed.emit(outcome.changes)
        self.refresh_approval()
        if self.quote_id in outcome.changes.quotes:
            note = _("Saved version {number}").format(number=self.row.latest_version)
        else:
            note = _("Version {number} has your changes already: nothing to save").format(
                number=self.row.latest_version
            )
        self.statusBar().showMessage(note, 4000)
        return True

    # --- versions --------------------------------------------------------------------------

    def show_versions(self) -> None:
        VersionsDialog(self).exec()

    def duplicate(self) -> None:
        outcome = self.workspace.run(
            quote_service.duplicate_quote, self.quote_id, actor=self.workspace.user
        )
        self.main_window.changed.emit(outcome.changes)
        self.main_window.open_quote(outcome.value.id)

    # --- drafts ----------------------------------------------------------------------------------

    def draft_path(self) -> Path:
        """The autosaved draft of this quote of this database (app_dirs.drafts_dir)."""
        return drafts_dir(self.workspace.database_id) / f"quote-{self.quote_id}.json"

    def autosave_draft(self) -> None:
        if not self.editor.is_modified():
            self.discard_draft()  # undone back to the saved version: nothing to restore
            return
        try:
            write_atomic(
                self.draft_path(),
                json.dumps(
                    {
                        "based_on": self.row.latest_version,
                        "version_id": self.row.version_id,
                        "data": self.editor.data,
                    }
                ),
                what="the autosaved draft",
            )
        except UserFacingError as exc:  # a full disk must not interrupt typing with a dialog
            self.statusBar().showMessage(
                _("Unsaved changes could not be kept: {error}").format(error=error_text(exc)), 15000
            )

    def discard_draft(self) -> None:
        # A data folder that cannot be made or written (a read-only home) holds no draft
        # to remove: opening, saving and closing a quote must not fail over it.
        with suppress(UserFacingError, OSError):
            self.draft_path().unlink(missing_ok=True)

    def offer_draft(self) -> None:
        try:
            path = self.draft_path()
            if not path.exists():
                return
        except (UserFacingError, OSError):
            return  # no drafts folder (a read-only home): nothing was kept to offer
        try:
            saved = json.loads(path.read_text("utf-8"), parse_float=Decimal)
            if not _draft_fits(saved, self.editor.data):
                raise ValueError("not a draft of a quote")
        except (OSError, ValueError):
            with suppress(OSError):
                path.unlink(missing_ok=True)
            return
        answer = QMessageBox.question(
            self,
            _("Unsaved changes found"),
            _(
                "Quote Builder closed before your changes to {number} were saved (they were based on version {version}). Restore them?"
            ).format(number=self.row.number, version=saved.get("based_on")),
        )
        if answer == QMessageBox.StandardButton.Yes:
            based_on = saved.get("based_on")
            if isinstance(based_on, int) and 1 <= based_on < self.row.latest_version:
                # Someone saved the quote after these changes were made: they are changes
                # to version `based_on`, so Save shows both side by side and applies only
                # the fields changed here to the newer version, as for any conflict; saved
                # as they are, they would silently undo that newer version's changes.
                stale = saved.get("version_id")
                self.row = dataclasses.replace(
                    self.row,
                    latest_version=based_on,
                    version_id=stale if isinstance(stale, int) else -1,
                )
                self._update_title()
            self.editor.replace_data(saved["data"], _("Restore unsaved changes"))
        else:
            self.discard_draft()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        geometry.fit_when_shown(self)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        geometry.keep_on_screen(self, event.oldSize())  # long totals never push it off

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.editor.is_modified() and getattr(self.main_window, "stopping", False):
            # Asked to stop (SIGTERM): the unsaved changes are kept as this quote's draft
            # (offered back when it is opened again), no question holds the app open.
            self.autosave_draft()
        elif self.editor.is_modified():
            answer = QMessageBox.question(
                self,
                _("Unsaved changes"),
                _("Save your changes to {number} before closing?").format(number=self.row.number),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel or (
                answer == QMessageBox.StandardButton.Save and not self.save()
            ):
                event.ignore()
                return
            if answer == QMessageBox.StandardButton.Discard:
                self.discard_draft()
        else:
            # Undone back to the saved version since the last autosave: the draft kept
            # then is not a change any more, and must not be offered back on reopening.
            self.discard_draft()
        self.main_window.editors.pop(self.quote_id, None)
        geometry.save(self, "editor")
        if self.preview is not None:
            self.preview.shutdown()
        self.editor.usage_panel.cancel()  # a log still being read is not wanted any more
        super().closeEvent(event)


def _draft_fits(saved: Any, current: dict[str, Any]) -> bool:
    """Whether a draft file holds what ``autosave_draft`` writes: a version number and the
    quote's data, each part of the kind the editor holds (a list of components, a number
    of months, ...). A file edited by hand, or of another shape, is dropped like an
    unreadable one: restoring it broke the editor ('list' object has no attribute 'get',
    'int' object is not iterable)."""
    if not isinstance(saved, dict) or not isinstance(saved.get("data"), dict):
        return False
    if not isinstance(saved.get("based_on"), int) or isinstance(saved["based_on"], bool):
        return False
    kinds = (dict, list, str, bool, int, Decimal, float)

    def kind(value: Any) -> type | None:
        return next((k for k in kinds if isinstance(value, k)), None)

    def number(value: Any) -> bool:
        return isinstance(value, int | Decimal | float) and not isinstance(value, bool)

    for key, value in saved["data"].items():
        here = current.get(key)
        if value is None or here is None or (number(value) and number(here)):
            continue
        if kind(value) is not kind(here):
            return False
    return True


class ComparisonDialog(QDialog):
    """Two versions (or theirs and yours) as a list of changes: field, before, after in the
    forms' words; the unchanged fields on request."""

    def __init__(
        self,
        parent: QWidget,
        title: str,
        message: str,
        left: str,
        right: str,
        rows: list[quote_service.ComparisonRow],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 520)
        self.rows = rows
        layout = QVBoxLayout(self)
        if message:
            label = QLabel(message)
            label.setWordWrap(True)
            layout.addWidget(label)
        changed = sum(1 for r in rows if r.changed)
        self.summary = QLabel(
            ngettext("{count} field changed", "{count} fields changed", changed).format(
                count=changed
            )
            if changed
            else _("Nothing changed")
        )
        layout.addWidget(self.summary)
        table = QTableWidget(0, 3)
        table.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        table.setHorizontalHeaderLabels([_("Field"), left, right])
        table.setAccessibleName(_("Changes"))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        table.verticalHeader().hide()
        layout.addWidget(table)
        self.table = table
        self.show_all = QCheckBox(_("Show unchanged fields too"))
        self.show_all.toggled.connect(self._fill)
        layout.addWidget(self.show_all)
        self._fill()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.clicked: object = None
        """The button the user pressed (QDialogButtonBox does not remember it)."""
        self.buttons.clicked.connect(self._clicked)
        layout.addWidget(self.buttons)

    def _fill(self) -> None:
        shown = [r for r in self.rows if r.changed or self.show_all.isChecked()]
        self.table.setRowCount(len(shown))
        for i, row in enumerate(shown):
            for col, text in enumerate((row.label, row.a, row.b)):
                item = QTableWidgetItem(service_words.text(text))
                if row.changed:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, col, item)
        self.table.resizeRowsToContents()

    def _clicked(self, button: object) -> None:
        self.clicked = button
        self.accept()


class VersionsDialog(QDialog):
    def __init__(self, owner: QuoteEditorWindow) -> None:
        super().__init__(owner)
        self.owner = owner
        self.setWindowTitle(_("Versions of {number}").format(number=owner.row.number))
        self.resize(900, 480)
        layout = QVBoxLayout(self)
        versions = owner.workspace.run(quote_service.list_versions, owner.quote_id)
        self.table = QTableWidget(len(versions), 5)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.table.setHorizontalHeaderLabels(
            [_("Version"), _("Saved"), _("By"), "TCV", _("SHA-256")]
        )
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for i, v in enumerate(versions):
            values = (
                str(v.number),
                locale_format.moment(v.created_at),
                v.author,
                amount(Decimal(str(v.summary["tcv"])), str(v.summary["currency"])),
                v.content_hash[:16] + "…",
            )
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, v.number)
                if col in (0, 3):  # the version's number and its TCV, right-aligned
                    item.setTextAlignment(NUMBER_ALIGNMENT)
                self.table.setItem(i, col, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(QLabel(_("Select two versions and press Compare.")))
        layout.addWidget(self.table)
        layout.addWidget(QLabel(_("History (requests, decisions, saves; append-only)")))
        self.history = QTableWidget(0, 4)
        self.history.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.history.setHorizontalHeaderLabels([_("When"), _("Who"), _("What"), _("Details")])
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()
        self.history.setWordWrap(True)
        header = self.history.horizontalHeader()
        for column in range(3):  # when, who and what whole; the details take the rest
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        from quote_builder.services import approvals as approval_service

        events = owner.workspace.run(quote_service.audit_history, owner.quote_id)
        reasons = (
            history_words.request_reasons(
                owner.workspace.run(approval_service.list_requests, status=None)
            )
            if any("reasons" in event["details"] for event in events)
            else {}
        )
        self.history.setRowCount(len(events))
        for i, event in enumerate(events):
            action = str(event["action"])
            cells = (
                locale_format.moment(event["at"]),
                str(event["actor"]),
                history_words.event_title(action),
                service_words.sentence(event["problem"])
                if event["problem"]
                else history_words.event_details(action, event["details"], reasons),
            )
            for col, text in enumerate(cells):
                self.history.setItem(i, col, QTableWidgetItem(text))
        self.history.resizeRowsToContents()
        layout.addWidget(self.history)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        compare = buttons.addButton(_("Compare"), QDialogButtonBox.ButtonRole.ActionRole)
        compare.clicked.connect(self.compare)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def selected_versions(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        items = [self.table.item(r, 0) for r in rows]
        return [int(item.data(Qt.ItemDataRole.UserRole)) for item in items if item is not None]

    def compare(self) -> None:
        chosen = self.selected_versions()
        if len(chosen) != 2:
            QMessageBox.information(self, _("Compare versions"), _("Select exactly two versions."))
            return
        a, b = chosen
        rows = self.owner.workspace.run(
            quote_service.compare_versions,
            self.owner.quote_id,
            a,
            b,
            locale=locale_format.user_locale(),
        )
        ComparisonDialog(
            self,
            _("Version {a} and version {b}").format(a=a, b=b),
            "",
            _("Version {number}").format(number=a),
            _("Version {number}").format(number=b),
            rows,
        ).exec()


def open_quote_editor(window: MainWindow, quote_id: int) -> QuoteEditorWindow:
    existing = window.editors.get(quote_id)
    if isinstance(existing, QuoteEditorWindow):
        existing.raise_()
        existing.activateWindow()
        return existing
    editor = QuoteEditorWindow(window, quote_id)
    window.editors[quote_id] = editor
    editor.show()
    return editor


__all__ = ["QuoteEditor", "QuoteEditorWindow", "open_quote_editor"]
