"""The editor's price table: every line of the quote by contract year, as the customer's
price table shows it (``documents.price_sheet``: the proposal's pricing page and the order
form are built from the same sheet), with subtotals per year and the TCV.

Quantities, list unit prices and discounts are edited in place; the panel asks the editor
to make the edit (``price_table_edits``: one undo step each) and the editor gives back the
repriced sheet. Ctrl+C copies the selection as tab-separated values with numbers as plain
numbers (a spreadsheet reads them as numbers); Ctrl+V on a quantity pastes a column of
quantities from a spreadsheet into the quantity cells from there down (one undo step).

``PriceTableModel`` private state: ``_sheet`` (the sheet shown, or None), ``_lines`` (what
each table row is: a year's heading, a sheet row, a year's subtotal, the TCV),
``_refusals`` (why a cell cannot be edited, computed once per row and column), and
``_data`` (the quote data the sheet was priced from, to judge editability).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from quote_builder.documents.price_sheet import (
    PriceSheet,
    SheetRow,
    SheetYear,
    year_discount_note,
)
from quote_builder.pricing.terms import ROUNDING

from . import locale_format
from . import shortcuts as keys
from .i18n import N_, _, error_text, joined
from .price_table_edits import Column, refusal

AnyIndex = QModelIndex | QPersistentModelIndex
RAW_ROLE = Qt.ItemDataRole.UserRole
"""A cell's number (Decimal) or text, for copying and tests."""

COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("component", N_("Component"), N_("The item: a component, or a part of it (indented)")),
    (
        "quantity",
        N_("Quantity"),
        N_("Seats (committed) or the year's estimated units (forecast); double-click to change"),
    ),
    ("unit", N_("Unit"), N_("What the quantity counts")),
    (
        "basis",
        N_("Basis"),
        N_("Committed: billed as agreed. Forecast: invoices follow actual usage"),
    ),
    (
        "price",
        N_("List unit price"),
        N_("The year's list price (the escalator applied); double-click year 1's to change it"),
    ),
    (
        "discount",
        N_("Discount"),
        N_(
            "Percent discounts for the whole year (the amount taken, when a discount runs for "
            "part of the year or is an amount); double-click to change"
        ),
    ),
    ("net", N_("Net unit price"), N_("The list unit price less the discount")),
    ("total", N_("Line total"), N_("What the line costs for the year, its discounts included")),
)
EDITABLE: dict[str, Column] = {"quantity": "quantity", "price": "price", "discount": "discount"}
NUMERIC = {"quantity", "price", "discount", "net", "total"}


_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.EditRole,
        RAW_ROLE,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ToolTipRole,
    }
)


def _shape(line: TableLine) -> tuple[str, int, str, str | None, str]:
    """What a table row is, without its numbers: the same shape keeps the view's state."""
    row = line.row
    if row is None:
        return (line.kind, line.year.year if line.year else 0, "", None, "")
    return (line.kind, row.year, row.kind, row.component_id, row.label)


@dataclass(frozen=True)
class TableLine:
    kind: Literal["year", "row", "subtotal", "note", "tcv"]
    year: SheetYear | None = None
    row: SheetRow | None = None


class PriceTableModel(QAbstractTableModel):
    """The sheet as rows: per year a heading, its lines, its subtotal and, when its
    true-up takes back discounts, the documents' sentences saying so; then the TCV."""

    edit_requested = Signal(object, str, object)
    """(SheetRow, column key, Decimal or None): the user typed a value into a cell."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._sheet: PriceSheet | None = None
        self._lines: list[TableLine] = []
        self._refusals: dict[tuple[int, str], str | None] = {}
        self._data: dict[str, Any] = {}
        self._cache: dict[tuple[int, int, int], Any] = {}
        self.changed_rows: list[int] = []
        """The lines the last same-shape :meth:`set_sheet` gave new numbers."""

    # --- content ---------------------------------------------------------------------

    def set_sheet(self, sheet: PriceSheet | None, data: dict[str, Any]) -> bool:
        """Show ``sheet``; True when the rows changed shape (a reset), False when the same
        lines got new numbers (one dataChanged: the view keeps its selection and scroll)."""
        lines: list[TableLine] = []
        if sheet is not None:
            for year in sheet.years:
                lines.append(TableLine("year", year=year))
                lines += [TableLine("row", row=r) for r in sheet.rows_of(year.year)]
                lines.append(TableLine("subtotal", year=year))
                if year_discount_note(year, locale_format.formatter(sheet.currency)):
                    lines.append(TableLine("note", year=year))
            lines.append(TableLine("tcv"))
        same_shape = [_shape(a) for a in lines] == [_shape(b) for b in self._lines]
        if not same_shape:
            self.beginResetModel()
        old, old_currency = self._lines, self._sheet.currency if self._sheet else None
        self._sheet = sheet
        self._data = data
        self._refusals = {}
        self._cache = {}
        self._lines = lines
        if not same_shape:
            self.endResetModel()
            return True
        # Only the rows whose numbers changed are repainted (an edit changes a few lines,
        # their years' subtotals and the TCV).
        changed = [i for i, (a, b) in enumerate(zip(old, lines, strict=True)) if a != b]
        self.changed_rows = changed
        runs: list[list[int]] = []
        for row in changed:
            if runs and runs[-1][1] == row - 1:
                runs[-1][1] = row
            else:
                runs.append([row, row])
        for first, last in runs:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        if sheet is not None and sheet.currency != old_currency:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        return False

    @property
    def sheet(self) -> PriceSheet | None:
        return self._sheet

    def line(self, row: int) -> TableLine:
        return self._lines[row]

    def column_key(self, column: int) -> str:
        return COLUMNS[column][0]

    def refusal(self, row: int, key: str) -> str | None:
        """Why the cell cannot be edited (None: it can)."""
        if key not in EDITABLE:
            return _("This column follows from the others")
        line = self._lines[row]
        if line.row is None or self._sheet is None:
            return _("Totals follow from the lines")
        cached = (row, key)
        if cached not in self._refusals:
            self._refusals[cached] = refusal(self._data, self._sheet, line.row, EDITABLE[key])
        return self._refusals[cached]

    # --- Qt model ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 (Qt's name)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            title = _(COLUMNS[section][1])
            if self._sheet is not None and COLUMNS[section][0] in ("price", "net", "total"):
                # Two lines, so the Component column keeps its width on a laptop screen.
                return f"{title}\n({self._sheet.currency})"
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return _(COLUMNS[section][2])
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        key = self.column_key(index.column())
        if key in EDITABLE and self.refusal(index.row(), key) is None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def raw(self, row: int, key: str) -> Decimal | str | None:
        """The cell's value: a number for number columns, text otherwise, None if empty."""
        line = self._lines[row]
        sheet = self._sheet
        if sheet is None:
            return None
        if line.kind == "year" and line.year is not None:
            f = locale_format.formatter(sheet.currency)
            if key != "component":
                return None
            return _("Year {number}: {start} – {end}").format(
                number=line.year.year, start=f.date(line.year.start), end=f.date(line.year.end)
            )
        if line.kind == "note" and line.year is not None:
            if key != "component":
                return None
            # The sentences under the year's table in the proposal and the order form.
            return year_discount_note(line.year, locale_format.formatter(sheet.currency))
        if line.kind in ("subtotal", "tcv"):
            if key == "component":
                return (
                    _("Year {year} total").format(year=line.year.year)
                    if line.year is not None
                    else _("Total contract value")
                )
            if key == "total":
                return line.year.amount if line.year is not None else sheet.total_contract_value
            return None
        r = line.row
        assert r is not None
        if key == "component":
            return r.label_text(locale_format.formatter(sheet.currency))
        if key == "quantity":
            return r.quantity
        if key == "unit":
            return r.unit_text(locale_format.formatter(sheet.currency)) or None
        if key == "basis":
            return {"committed": _("Committed"), "forecast": _("Forecast")}.get(r.basis)
        if key == "price":
            return r.list_unit_price if r.price_style != "none" else None
        if key == "discount":
            return r.discount_percent if r.kind == "component" else None
        if key == "net":
            return r.net_unit_price if r.price_style != "none" and r.net_is_exact else None
        return r.line_total

    def _display(self, row: int, key: str) -> str:
        line = self._lines[row]
        sheet = self._sheet
        assert sheet is not None
        f = locale_format.formatter(sheet.currency)
        r = line.row
        if r is not None and key in ("quantity", "price", "discount", "net", "total"):
            if key == "quantity":
                return r.number_text(f)
            if key == "price":
                return r.price_text(r.list_unit_price, f)
            if key == "discount":
                return r.discount_text(f)
            if key == "net":
                return r.net_text(f)
            return r.total_text(f)
        value = self.raw(row, key)
        if isinstance(value, Decimal):
            return f.amount(value)
        return value or ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        cached = (index.row(), index.column(), role)
        if cached in self._cache:
            return self._cache[cached]
        value = self._data_of(index.row(), index.column(), role)
        self._cache[cached] = value
        return value

    def _data_of(self, row: int, column: int, role: int) -> Any:
        key = self.column_key(column)
        line = self._lines[row]
        try:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._display(row, key)
            if role == Qt.ItemDataRole.EditRole:
                value = self.raw(row, key)
                if isinstance(value, Decimal):
                    return locale_format.plain_number(value)
                return "" if key == "discount" else (value or "")
            if role == RAW_ROLE:
                return self.raw(row, key)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                if key in NUMERIC:
                    return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                return None
            if role == Qt.ItemDataRole.FontRole and line.kind not in ("row", "note"):
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._tooltip(row, key)
        except (ArithmeticError, KeyError, ValueError):  # never raise inside data()
            return None
        return None

    def _tooltip(self, row: int, key: str) -> str | None:
        line = self._lines[row]
        if line.row is None:
            return None
        if line.row.label == ROUNDING:
            # The seller is asked about this line: say where its amount comes from.
            return _(
                "What rounding leaves: each invoice rounds its charges and discounts to the "
                "cent once, from exact quantities, so the item costs a few cents more or less "
                "than its quantity as printed times its (net) unit price as printed"
            )
        if key in EDITABLE:
            reason = self.refusal(row, key)
            if reason is None:
                return {
                    "quantity": _(
                        "Double-click to change; a year's quantity holds until a later "
                        "year sets its own"
                    ),
                    "price": _("Double-click to change the component's price"),
                    "discount": _("Double-click to change this line's discount for the whole term"),
                }[key]
            return reason if line.row.kind == "component" else None
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key = self.column_key(index.column())
        line = self._lines[index.row()]
        if key not in EDITABLE or line.row is None or self.refusal(index.row(), key):
            return False
        text = str(value).strip()
        if key == "discount" and not text:
            number: Decimal | None = None
        else:
            try:
                number = locale_format.parse_number(text, percent=key == "discount")
            except ValueError as exc:
                self.edit_refused.emit(
                    _("{label}, year {year}: {error}").format(
                        label=line.row.label, year=line.row.year, error=error_text(exc)
                    )
                )
                return False
        self.edit_requested.emit(line.row, key, number)
        return True

    edit_refused = Signal(str)
    """A sentence: what was typed is not a number."""


class PriceTableView(QTableView):
    """The table with copy (Ctrl+C) and paste of quantities (Ctrl+V)."""

    paste_requested = Signal(int, list)
    """(first table row, the pasted lines' texts)."""

    def __init__(self, model: PriceTableModel) -> None:
        super().__init__()
        self.setObjectName("price_table")
        self.setModel(model)
        self.price_model = model
        self.setAccessibleName(_("Price table"))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        copy = QAction(_("Copy"), self)
        keys.bind(copy, "price_table.copy")
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selection)
        paste = QAction(_("Paste quantities"), self)
        keys.bind(paste, "price_table.paste")
        paste.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        paste.triggered.connect(self.paste)
        self.addActions([copy, paste])
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if keys.matches(event, "price_table.copy"):
            self.copy_selection()
            return
        if keys.matches(event, "price_table.paste"):
            self.paste()
            return
        super().keyPressEvent(event)

    def selection_tsv(self) -> str:
        """The selected cells as tab-separated lines: numbers plain (no grouping, no
        currency), text as shown; a cell not selected inside the block is empty."""
        indexes = self.selectionModel().selectedIndexes()
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        model = self.price_model
        lines = []
        for row in rows:
            cells = []
            for column in columns:
                value = (
                    model.raw(row, model.column_key(column)) if (row, column) in chosen else None
                )
                if isinstance(value, Decimal):
                    cells.append(locale_format.plain_number(value))
                else:
                    cells.append(
                        (value or "").replace("\t", " ").replace("\n", " ")
                        if isinstance(value, str)
                        else ""
                    )
            lines.append("\t".join(cells))
        return "\n".join(lines) + "\n"

    def copy_selection(self) -> None:
        text = self.selection_tsv()
        if text:
            QGuiApplication.clipboard().setText(text)

    def paste(self) -> None:
        current = self.currentIndex()
        text = QGuiApplication.clipboard().text()
        if not current.isValid() or not text.strip():
            return
        values = [line.split("\t")[0] for line in text.replace("\r\n", "\n").split("\n")]
        while values and not values[-1].strip():
            values.pop()
        self.paste_requested.emit(current.row(), values)


class PriceTablePanel(QWidget):
    """The Price table tab: a line saying what the table is, the table, and what went wrong."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.intro = QLabel(
            _(
                "Every line by contract year, as the customer's proposal and order form show "
                "it. Double-click a quantity, year 1's unit price or a discount to change it "
                "(Ctrl+Z undoes). Ctrl+C copies the selection for a spreadsheet; Ctrl+V on a "
                "quantity pastes a column of quantities."
            )
        )
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.model = PriceTableModel(self)
        self.view = PriceTableView(self.model)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        layout.addWidget(self.view, 1)
        self.message = QLabel()
        self.message.setObjectName("price_table_message")
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_("Price table message"))
        layout.addWidget(self.message)

    def show_sheet(self, sheet: PriceSheet, data: dict[str, Any]) -> None:
        current = self.view.currentIndex()
        if self.model.set_sheet(sheet, data):
            # Columns are sized when the lines change, not on every edit: sizing reads
            # every cell (a tenth of a second on a 36-month deal).
            if current.isValid() and current.row() < self.model.rowCount():
                self.view.setCurrentIndex(self.model.index(current.row(), current.column()))
            # A year's heading ("Year 1: December 1, 2026 - November 30, 2027") spans the
            # row, so its dates are never cut to "...".
            self.view.clearSpans()
            # A total's label ("Gesamtvertragswert") spans the empty cells up to its amount:
            # in the component column alone it was cut to "Gesamtvert…".
            for row in range(self.model.rowCount()):
                kind = self.model.line(row).kind
                if kind in ("year", "note"):
                    self.view.setSpan(row, 0, 1, len(COLUMNS))
                elif kind in ("subtotal", "tcv"):
                    self.view.setSpan(row, 0, 1, len(COLUMNS) - 1)
            self.view.resizeColumnsToContents()
            self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        else:
            self._widen_for(self.model.changed_rows)
        # A note (two sentences across the row) wraps: its row is as tall as its text.
        for row in range(self.model.rowCount()):
            if self.model.line(row).kind == "note":
                self.view.resizeRowToContents(row)

    def _widen_for(self, rows: list[int]) -> None:
        """An edit that makes an amount longer (86,400.00 to 120,000.00) widens its
        column, measured on the changed lines only: it was cut to "120,000.…"."""
        view = self.view
        grid = 1 if view.showGrid() else 0  # as resizeColumnsToContents counts it
        for column in range(1, self.model.columnCount()):
            needed = max(
                (
                    view.sizeHintForIndex(self.model.index(row, column)).width() + grid
                    for row in rows
                    if view.columnSpan(row, 0) == 1 or column >= len(COLUMNS) - 1
                ),
                default=0,
            )
            if needed > view.columnWidth(column):
                view.setColumnWidth(column, needed)

    def show_unpriced(self, problems: list[str]) -> None:
        self.model.set_sheet(None, {})
        self.say(
            _("The quote cannot be priced yet: {problems}").format(problems=joined(problems[:3]))
        )

    def say(self, text: str) -> None:
        self.message.setText(text)


__all__ = ["RAW_ROLE", "PriceTableModel", "PriceTablePanel", "PriceTableView"]
