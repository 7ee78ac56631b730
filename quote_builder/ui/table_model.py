"""A table model over a service's page function: rows come from SQL a page at a time.

The model is a thin adapter (style.md items 4 and 5): the service sorts and filters in
SQL, the model caches the rows it has fetched and loads the next page when the view
scrolls near the end (``canFetchMore`` / ``fetchMore``). There is no
QSortFilterProxyModel: sorting 100,000 rows through one takes seconds, an ORDER BY on an
index takes milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView

from quote_builder.errors import UserFacingError
from quote_builder.services.core import Page

from . import sort_arrows
from .i18n import _, error_text

PAGE_SIZE = 200
"""Rows fetched per ``fetchMore``: many screenfuls, and one query stays a few ms."""

FIRST_PAGE_SIZE = 60
"""Rows fetched by a new query (search, sort, filter): two screenfuls. Smaller than
``PAGE_SIZE`` because it runs on every keystroke of a search: on 100,000 customers 60 rows
take about 6 ms where 200 take about 15 ms (benchmarks/bench_ui_search.py)."""

RAW_ROLE = Qt.ItemDataRole.UserRole
"""The cell's underlying value (a status code, a date) for delegates and tests."""

ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's id (the same on every cell of a row)."""

AnyIndex = QModelIndex | QPersistentModelIndex


class PageFunction(Protocol):
    """What a service's list function looks like once its database is bound: one page of
    rows matching ``text`` and ``filters``, in the order of ``sort``."""

    def __call__(
        self,
        text: str,
        *,
        sort: Any,
        descending: bool,
        offset: int,
        limit: int,
        **filters: Any,
    ) -> Page[Any]: ...


@dataclass(frozen=True)
class Column:
    """A column: its header, how a row shows in it, and the service's sort key for it
    (``None``: the column cannot be sorted)."""

    title: str
    display: Callable[[Any], str]
    sort_key: str | None = None
    raw: Callable[[Any], object] | None = None
    tooltip: Callable[[Any], str | None] | None = None
    header_tip: str = ""
    align_right: bool = False


class ServiceTableModel(QAbstractTableModel):
    """Rows of one service list, fetched lazily in pages and re-queried on sort or search.

    Private state:

    - ``_rows``: the rows fetched so far, in the service's order (a prefix of the result).
    - ``_total``: how many rows match the current query (from the service's count).
    - ``_offset``: how many service rows have been read (the next page's offset); it can
      run ahead of ``len(_rows)`` when a row that moved between two pages is skipped.
    - ``_text``, ``_filters``: the current search text and extra service filters
      (e.g. ``status``); changing either re-queries from the first page.
    - ``_sort_column``, ``_descending``: the column whose ``sort_key`` orders the query.
    - ``_error``: the last load error's message ("" after a successful load); a failed
      load keeps the rows already shown and emits ``load_failed``.
    """

    load_failed = Signal(str)
    """A load failed with a message for the user (e.g. the database is unreachable)."""

    reloaded = Signal()
    """The query changed and the first page is in (after a search, sort or refresh)."""

    def __init__(
        self,
        columns: list[Column],
        fetch: PageFunction,
        *,
        row_id: Callable[[Any], int],
        sort_column: int = 0,
        descending: bool = False,
        page_size: int = PAGE_SIZE,
        first_page_size: int = FIRST_PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = columns
        self._fetch = fetch
        self._row_id = row_id
        self._page_size = page_size
        self._first_page_size = first_page_size
        self._rows: list[Any] = []
        self._total = 0
        self._offset = 0
        self._text = ""
        self._filters: dict[str, Any] = {}
        self._sort_column = sort_column
        self._descending = descending
        self._error = ""
        self.reload()

    # --- what the views and pages ask ------------------------------------------------------

    @property
    def total(self) -> int:
        """Rows matching the current query (fetched or not)."""
        return self._total

    @property
    def search_text(self) -> str:
        return self._text

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    @property
    def error(self) -> str:
        return self._error

    def columns(self) -> list[Column]:
        return list(self._columns)

    def row_at(self, row: int) -> Any | None:
        """The service row shown at ``row``, or None outside the fetched rows."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def id_at(self, row: int) -> int | None:
        item = self.row_at(row)
        return None if item is None else self._row_id(item)

    def row_of(self, row_id: int) -> int | None:
        """The row showing ``row_id`` among the fetched rows, or None."""
        for number, item in enumerate(self._rows):
            if self._row_id(item) == row_id:
                return number
        return None

    # --- changing the query ----------------------------------------------------------------

    def set_search(self, text: str) -> None:
        """Re-query with the service's text filter (SQL LIKE on the service's columns)."""
        if text == self._text:
            return
        self._text = text
        self.reload()

    def set_filters(self, **filters: Any) -> None:
        """Re-query with extra service filters; ``None`` values are left out."""
        wanted = {key: value for key, value in filters.items() if value is not None}
        if wanted == self._filters:
            return
        self._filters = wanted
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-query ordered by the column's ``sort_key`` (columns without one are ignored)."""
        if not 0 <= column < len(self._columns) or self._columns[column].sort_key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self._sort_column, self._descending):
            return
        self._sort_column, self._descending = column, descending
        self.reload()

    def reload(self) -> None:
        """Throw the cached rows away and fetch the first page of the current query."""
        page = self._load(0, self._first_page_size)
        self.beginResetModel()
        if page is not None:
            self._rows = list(page.rows)
            self._offset = len(self._rows)
            self._total = max(page.total, self._offset)
        self.endResetModel()
        self.reloaded.emit()

    def _load(self, offset: int, limit: int) -> Page[Any] | None:
        sort_key = self._columns[self._sort_column].sort_key if self._columns else None
        try:
            page = self._fetch(
                self._text,
                sort=sort_key,
                descending=self._descending,
                offset=offset,
                limit=limit,
                **self._filters,
            )
        except UserFacingError as exc:
            self._error = error_text(exc)
            self.load_failed.emit(self._error)
            return None
        self._error = ""
        return page

    # --- lazy loading -----------------------------------------------------------------------

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        if parent.isValid():
            return False
        return self._offset < self._total and not self._error

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or self._offset >= self._total:
            return
        page = self._load(self._offset, self._page_size)
        if page is None:
            return
        if not page.rows:
            self._total = self._offset  # rows were deleted since the count
            return
        self._offset += len(page.rows)
        known = {self._row_id(r) for r in self._rows[-self._page_size :]}
        # A row changed between two pages may show up twice (its sort key moved); skip it.
        fresh = [r for r in page.rows if self._row_id(r) not in known]
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self.endInsertRows()
        self._total = max(page.total, self._offset)

    # --- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The cell for ``role``; None for roles the model does not handle. Never raises:
        a bad row shows an empty cell instead of taking the view down."""
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(self._columns)):
            return None
        item, spec = self._rows[row], self._columns[column]
        try:
            if role == Qt.ItemDataRole.DisplayRole:
                return spec.display(item)
            if role == Qt.ItemDataRole.ToolTipRole:
                return spec.tooltip(item) if spec.tooltip else None
            if role == Qt.ItemDataRole.TextAlignmentRole:
                if spec.align_right:
                    return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                return None
            if role == RAW_ROLE:
                return spec.raw(item) if spec.raw else spec.display(item)
            if role == ID_ROLE:
                return self._row_id(item)
        except Exception:  # data() must never raise into Qt's paint loop
            return None
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        spec = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return _(spec.title)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = _(spec.header_tip) if spec.header_tip else ""
            if spec.sort_key is None:
                tip = (tip + " " if tip else "") + _("This column cannot be sorted.")
            return tip or None
        if role == Qt.ItemDataRole.TextAlignmentRole and spec.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def bind(function: Callable[..., Page[Any]], *args: Any, **fixed: Any) -> PageFunction:
    """A service list function with its leading arguments (the database) bound."""

    def fetch(text: str, **kwargs: Any) -> Page[Any]:
        return function(*args, text, **fixed, **kwargs)

    return fetch


def make_table_view(model: ServiceTableModel, *, object_name: str) -> QTableView:
    """A read-only, row-selecting table view over ``model`` with SQL sorting on the
    header. Clicking a column that cannot be sorted keeps the current sort indicator."""
    view = QTableView()
    view.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
    view.setObjectName(object_name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 12)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    sort_arrows.point_by_order(header)  # newest first: the arrow points down
    # The list remembers its sort (per list, in the app's settings).
    key = f"lists/{object_name}/sort"
    saved = QSettings().value(key)
    column, order = model.sort_column, model.sort_order
    if isinstance(saved, str) and saved.count(":") == 1:
        text_column, text_order = saved.split(":")
        if text_column.isdigit() and text_order in ("asc", "desc"):
            candidate = int(text_column)
            if 0 <= candidate < len(model.columns()) and model.columns()[candidate].sort_key:
                column = candidate
                order = (
                    Qt.SortOrder.DescendingOrder
                    if text_order == "desc"
                    else Qt.SortOrder.AscendingOrder
                )
    header.setSortIndicator(column, order)
    view.setSortingEnabled(True)  # sorts the model by the indicator

    def keep_indicator(section: int, order: Qt.SortOrder) -> None:
        if model.columns()[section].sort_key is None:
            header.blockSignals(True)
            header.setSortIndicator(model.sort_column, model.sort_order)
            header.blockSignals(False)
            return
        direction = "desc" if order == Qt.SortOrder.DescendingOrder else "asc"
        QSettings().setValue(key, f"{section}:{direction}")

    header.sortIndicatorChanged.connect(keep_indicator)
    return view


def header_width(view: QTableView, column: int) -> int:
    """The width a column needs to show its heading whole, with the sort arrow beside it."""
    header = view.horizontalHeader()
    title = str(view.model().headerData(column, Qt.Orientation.Horizontal) or "")
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    return header.fontMetrics().horizontalAdvance(title) + 4 * margin + arrow


def set_column_widths(view: QTableView, widths: tuple[int, ...]) -> None:
    """Each column at least its given width and never narrower than its heading, so a
    longer translation ("Valable jusqu'au" for "Valid until") is not cut off."""
    for column in range(view.model().columnCount()):
        width = widths[column] if column < len(widths) else view.columnWidth(column)
        view.setColumnWidth(column, max(width, header_width(view, column)))


def first_rows_ready(model: ServiceTableModel, wanted: int = 1) -> bool:
    """True when the first ``wanted`` rows (or all matching rows) are loaded."""
    return model.rowCount() >= min(wanted, model.total)


__all__: list[str] = [
    "ID_ROLE",
    "FIRST_PAGE_SIZE",
    "PAGE_SIZE",
    "RAW_ROLE",
    "Column",
    "PageFunction",
    "ServiceTableModel",
    "bind",
    "first_rows_ready",
    "make_table_view",
]
