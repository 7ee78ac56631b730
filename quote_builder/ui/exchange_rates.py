"""Settings > Exchange rates: the user's exchange-rate table (never fetched from the
network). One rate per currency pair: units of the second currency for one of the first,
its date and its source. A quote copies the rate it uses, so a change here never changes a
saved quote.

The box is part of the Settings page's form: **Set rate**, an edit in the table (Rate,
Date, Source: double-click or F2), **Remove** and **Import CSV…** change the table on the
page only. The page's **Save settings** saves them with the rest of the page in one
transaction; **Discard changes** drops them; leaving the page asks first, as for any other
field. Until then, a line under the table counts the changes not saved, and each changed
row is in italics. A rate that is not a number, zero or negative, or a row without a source
marks its cell and is listed, with its row and pair, among the problems that keep Save
disabled; nothing is half-saved.

Private state: ``stored`` is the table as last read from the database; ``rows`` the table
as the user left it (each ``_Row`` keeps the stored rate it shows, None for a new pair);
``removed`` the stored rates the user removed; ``_filling`` is True while the table widget
is filled from ``rows``, so those item changes are not the user's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quote_builder.numbers import NumberEntryError
from quote_builder.pricing.currency import is_currency
from quote_builder.safe_files import FileReadError, read_limited
from quote_builder.services.core import ServiceError
from quote_builder.services.currencies import (
    ExchangeRatePublic,
    RateChange,
    RateEntry,
    list_exchange_rates,
    read_exchange_rates_csv,
)
from quote_builder.services.workspace import Workspace
from quote_builder.store.models import stored_decimal_problem

from . import colours, geometry, locale_format
from .i18n import N_, _, error_text, ngettext
from .locale_numbers import field_text, parse, shown
from .number_fields import NUMBER_ALIGNMENT, align_number
from .reason_words import CURRENCY_CODE_MAX, currency_too_long, too_long, with_limit

MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_SOURCE = 200
MAX_RATE = Decimal(10) ** 9
HEADERS = (N_("From"), N_("To"), N_("Rate"), N_("Date"), N_("Source"))
RATE, DATE, SOURCE = 2, 3, 4


@dataclass
class _Row:
    """One row of the table as the page holds it (not saved until Save settings)."""

    base: str
    quote: str
    rate_text: str
    """The rate as the cell shows it or the user typed it (read with the one parser)."""
    as_of: dt.date
    source: str
    stored: ExchangeRatePublic | None
    """The saved rate this row shows (None: a pair not saved yet)."""

    def rate(self) -> Decimal | None:
        try:
            return parse(self.rate_text, what=_("Rate"))
        except NumberEntryError:
            return None

    def changed(self) -> bool:
        stored = self.stored
        return (
            stored is None
            or self.rate() != stored.rate
            or self.as_of != stored.as_of
            or self.source.strip() != stored.source
        )


def rate_problem(rate_text: str) -> str | None:
    """Why ``rate_text`` is not a rate (a sentence starting with the field's name), or None."""
    try:
        rate = parse(rate_text, what=_("Rate"))
    except NumberEntryError as exc:
        return error_text(exc)
    if not Decimal(0) < rate < MAX_RATE:
        return _(
            "Rate: must be above 0 and below 1,000,000,000 (units of the second currency for "
            "one of the first)."
        )
    if stored_decimal_problem(rate):  # "1e-70": 70 decimal places
        return _("Rate: must have at most 10 decimal places.")
    return None


def source_problem(source: str) -> str | None:
    if not source.strip():
        return _("Source: say where the rate comes from (e.g. ECB reference rate).")
    long = too_long(source, MAX_SOURCE)
    if long:  # its length said: the user cuts it, not the app
        return _("{field}: {reason}").format(field=_("Source"), reason=long)
    if any(ord(c) < 32 for c in source):
        return _("Source: at most 200 characters, on one line.")
    return None


def _mark_code(edit: QLineEdit, problem: str | None) -> None:
    from .component_editor import mark_invalid

    mark_invalid(edit, problem)


class _DateDelegate(QStyledItemDelegate):
    """The Date column: the locale's date in the cell, a date field with a calendar to
    edit it."""

    def displayText(self, value: object, _locale: object) -> str:  # noqa: N802 (Qt's name)
        if isinstance(value, QDate):
            return locale_format.day(dt.date(value.year(), value.month(), value.day()))
        return str(value)

    def createEditor(  # noqa: N802 (Qt's name)
        self,
        parent: QWidget,
        _option: QStyleOptionViewItem,
        _index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = QDateEdit(parent)
        editor.setCalendarPopup(True)
        editor.setDisplayFormat(locale_format.date_input_format())
        return editor


class ExchangeRatesBox(QGroupBox):
    """The table, the fields to set one rate, Import CSV… and Remove; ``changed`` is
    emitted whenever the table on the page changes (the Settings page then checks and
    marks itself changed)."""

    changed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(_("Exchange rates"), parent)
        self.setObjectName("exchange_rates")
        self.setToolTip(
            _(
                "Rates a quote in another currency than yours is priced at (a plan without a "
                "price book in that currency is converted) and its margin measured with. The "
                "quote keeps the rate it used. Changes here are saved with Save settings."
            )
        )
        self.workspace = workspace
        self.stored: list[ExchangeRatePublic] = []
        self.rows: list[_Row] = []
        self.removed: list[ExchangeRatePublic] = []
        self._filling = False
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.table.setObjectName("exchange_rate_table")
        self.table.setHorizontalHeaderLabels([_(h) for h in HEADERS])
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setItemDelegateForColumn(DATE, _DateDelegate(self.table))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(140)
        self.table.itemChanged.connect(self._cell_edited)
        self.base = QLineEdit()
        self.base.setObjectName("rate_from")
        self.base.setPlaceholderText(_("From (USD)"))
        self.quote = QLineEdit()
        self.quote.setObjectName("rate_to")
        self.quote.setPlaceholderText(_("To (EUR)"))
        # No maxLength (Qt would cut a pasted "EURO" to "EUR" without a word): a longer
        # code is kept, marked with its length, and Set rate refuses it.
        for code_edit in (self.base, self.quote):
            code_edit.setToolTip(
                with_limit(_("An ISO 4217 currency code, e.g. USD, EUR or JPY."), CURRENCY_CODE_MAX)
            )
            code_edit.textChanged.connect(
                lambda text, edit=code_edit: _mark_code(edit, currency_too_long(text))
            )
        self.rate = align_number(QLineEdit())
        self.rate.setObjectName("rate_value")
        self.rate.setPlaceholderText(_("Rate ({example})").format(example=shown(Decimal("0.9213"))))
        self.rate.setToolTip(_("Units of the second currency for one unit of the first."))
        self.date = QDateEdit(QDate.currentDate())
        self.date.setObjectName("rate_date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(locale_format.date_input_format())
        self.source = QLineEdit()
        self.source.setObjectName("rate_source")
        self.source.setPlaceholderText(_("Source (ECB reference rate)"))
        # No maxLength (Qt would cut a paste without a word): Set rate names a longer
        # source with its length and leaves the field as typed.
        self.source.setToolTip(
            with_limit(_("Where the rate comes from, e.g. ECB reference rate."), MAX_SOURCE)
        )
        self.set_button = QPushButton(_("Set rate"))
        self.set_button.setObjectName("set_rate")
        self.set_button.setToolTip(
            _("Puts the rate in the table (replacing the pair's); Save settings saves it.")
        )
        self.import_button = QPushButton(_("Import CSV…"))
        self.import_button.setObjectName("import_rates")
        self.import_button.setToolTip(
            _(
                "A CSV file with the columns From, To, Rate, Date, Source: its rates go into "
                "the table; Save settings saves them."
            )
        )
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setObjectName("remove_rate")
        self.remove_button.setToolTip(
            _("Takes the selected rate out of the table; Save settings saves it.")
        )
        self.pending = QLabel()
        self.pending.setObjectName("rates_pending")
        self.pending.setWordWrap(True)
        self.pending.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("rates_message")
        self.message.hide()
        fields = QHBoxLayout()
        for edit in (self.base, self.quote, self.rate, self.source):
            geometry.fit_placeholder(edit)  # "Quelle (EZB-Referenzkurs)" was cut off
        for widget in (self.base, self.quote, self.rate, self.date, self.source, self.set_button):
            fields.addWidget(widget, 2 if widget is self.source else 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.pending)
        layout.addLayout(fields)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.set_button.clicked.connect(self.set_rate)
        self.rate.returnPressed.connect(self.set_rate)
        self.source.returnPressed.connect(self.set_rate)
        self.import_button.clicked.connect(self.import_csv)
        self.remove_button.clicked.connect(self.remove)
        self.reload()

    # --- the table as stored and as edited -------------------------------------------------

    def reload(self) -> None:
        """Read the table from the database again, dropping the page's changes."""
        self.load(self.workspace.run(list_exchange_rates))

    def load(self, rates: list[ExchangeRatePublic]) -> None:
        self.stored = list(rates)
        self.rows = [
            _Row(r.base_currency, r.quote_currency, field_text(r.rate), r.as_of, r.source, r)
            for r in self.stored
        ]
        self.removed = []
        self._say("", error=False)
        self._show()

    def is_dirty(self) -> bool:
        return bool(self.removed) or any(row.changed() for row in self.rows)

    def changes(self) -> list[RateChange]:
        """What Save settings saves: each changed or new row, each removed rate."""
        result: list[RateChange] = []
        for number, row in enumerate(self.rows, start=1):
            rate = row.rate()
            if not row.changed() or rate is None:
                continue
            result.append(
                RateChange(
                    base_currency=row.base,
                    quote_currency=row.quote,
                    entry=RateEntry(
                        base_currency=row.base,
                        quote_currency=row.quote,
                        rate=rate,
                        as_of=row.as_of,
                        source=row.source.strip(),
                    ),
                    expected_version=row.stored.version_id if row.stored else None,
                    row=number,
                )
            )
        for gone in self.removed:
            result.append(
                RateChange(
                    base_currency=gone.base_currency,
                    quote_currency=gone.quote_currency,
                    entry=None,
                    expected_version=gone.version_id,
                    row=0,
                )
            )
        return result

    def problems(self) -> list[str]:
        """One sentence per problem of a row, naming its row and pair ("Exchange rates, row
        2 (USD to EUR): Rate: must be above 0 ...")."""
        found: list[str] = []
        for number, row in enumerate(self.rows, start=1):
            for problem in self._row_problems(row):
                found.append(
                    _("Exchange rates, row {row} ({base} to {quote}): {problem}").format(
                        row=number, base=row.base, quote=row.quote, problem=problem
                    )
                )
        return found

    @staticmethod
    def _row_problems(row: _Row) -> list[str]:
        if not row.changed():
            return []  # as saved: the database's own (never refused for what nobody typed)
        return [p for p in (rate_problem(row.rate_text), source_problem(row.source)) if p]

    def _show(self) -> None:
        """Fill the table widget from ``rows``: changed rows in italics, a problem's cell
        marked with the reason as its tooltip; the line under it counts the changes."""
        self._filling = True
        try:
            self.table.setRowCount(len(self.rows))
            for number, row in enumerate(self.rows):
                self._show_row(number, row)
        finally:
            self._filling = False
        count = sum(row.changed() for row in self.rows) + len(self.removed)
        self.pending.setText(
            ngettext(
                "{count} change to the exchange rates is not saved yet: Save settings saves "
                "it, Discard changes drops it.",
                "{count} changes to the exchange rates are not saved yet: Save settings saves "
                "them, Discard changes drops them.",
                count,
            ).format(count=count)
        )
        self.pending.setVisible(count > 0)
        self.remove_button.setEnabled(bool(self.rows))

    def _show_row(self, number: int, row: _Row) -> None:
        rate_why = rate_problem(row.rate_text) if row.changed() else None
        source_why = source_problem(row.source) if row.changed() else None
        date = QDate(row.as_of.year, row.as_of.month, row.as_of.day)
        cells: list[tuple[object, str | None]] = [
            (row.base, None),
            (row.quote, None),
            (row.rate_text, rate_why),
            (date, None),
            (row.source, source_why),
        ]
        for column, (value, why) in enumerate(cells):
            item = QTableWidgetItem()
            item.setData(Qt.ItemDataRole.EditRole, value)
            flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
            if column >= RATE:
                flags |= Qt.ItemFlag.ItemIsEditable
            if column == RATE:
                item.setTextAlignment(NUMBER_ALIGNMENT)  # a number, right-aligned
            item.setFlags(flags)
            font = item.font()
            font.setItalic(row.changed())
            item.setFont(font)
            if why:
                item.setForeground(QBrush(colours.colour("error")))
                item.setToolTip(why)
            elif row.changed():
                item.setToolTip(_("Not saved yet: Save settings saves it."))
            self.table.setItem(number, column, item)

    def _cell_edited(self, item: QTableWidgetItem) -> None:
        if self._filling or not 0 <= item.row() < len(self.rows):
            return
        row = self.rows[item.row()]
        value = item.data(Qt.ItemDataRole.EditRole)
        if item.column() == RATE:
            row.rate_text = str(value).strip()
        elif item.column() == DATE and isinstance(value, QDate):
            row.as_of = dt.date(value.year(), value.month(), value.day())
        elif item.column() == SOURCE:
            row.source = str(value)
        else:
            return
        self._say("", error=False)
        self._show()
        self.changed.emit()

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(colours.text_style("error") if error else "")
        self.message.setVisible(bool(text))

    def _put(self, entry: RateEntry) -> None:
        """The pair's row takes the entry's rate, date and source; a pair not in the table
        gets a row at the end (a pair removed on the page comes back as the same row)."""
        base, quote = entry.base_currency, entry.quote_currency
        for row in self.rows:
            if (row.base, row.quote) == (base, quote):
                row.rate_text, row.as_of, row.source = (
                    field_text(entry.rate),
                    entry.as_of,
                    entry.source,
                )
                return
        stored = next(
            (r for r in self.removed if (r.base_currency, r.quote_currency) == (base, quote)),
            None,
        )
        if stored is not None:
            self.removed.remove(stored)
        self.rows.append(
            _Row(base, quote, field_text(entry.rate), entry.as_of, entry.source, stored)
        )

    # --- the user's actions ------------------------------------------------------------------

    def set_rate(self) -> None:
        """Put the rate of the fields in the table (checked first: a refusal names the pair
        and the field, and the table is left as it was)."""
        base = self.base.text().strip().upper()
        quote = self.quote.text().strip().upper()
        source = self.source.text().strip()
        problems = []
        for label, code in ((_("From"), base), (_("To"), quote)):
            long = currency_too_long(code)
            if long:  # its length said: the user cuts it, not the app
                problems.append(_("{field}: {reason}").format(field=label, reason=long))
            elif not is_currency(code):
                problems.append(
                    _(
                        "{field}: {code} is not a currency; use an ISO 4217 code such as USD, "
                        "EUR or JPY."
                    ).format(field=label, code=code or "''")
                )
        if not problems and base == quote:
            problems.append(
                _(
                    "To: a rate from {code} to itself is always 1; give two different currencies."
                ).format(code=base)
            )
        for why in (rate_problem(self.rate.text()), source_problem(source)):
            if why:
                problems.append(why)
        if problems:
            lines = [
                _("{base} to {quote}: {problem}").format(base=base, quote=quote, problem=p)
                if base and quote
                else p
                for p in problems
            ]
            self._say(_("Not put in the table:") + "\n" + "\n".join(lines), error=True)
            return
        date = self.date.date()
        self._put(
            RateEntry(
                base_currency=base,
                quote_currency=quote,
                rate=parse(self.rate.text(), what=_("Rate")),
                as_of=dt.date(date.year(), date.month(), date.day()),
                source=source,
            )
        )
        self._say("", error=False)
        self.rate.clear()
        self._show()
        self.changed.emit()

    def import_csv(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import exchange rates"),
            str(Path.home()),
            _("CSV files (*.csv);;All files (*)"),
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """The file's rates into the table, all or nothing (each problem with its line)."""
        try:
            data = read_limited(path, MAX_CSV_BYTES, what="CSV file")
            entries = read_exchange_rates_csv(data)
        except (ServiceError, FileReadError) as exc:
            self._say(error_text(exc), error=True)
            return
        for entry in entries:
            self._put(entry)
        self._show()
        self._say(
            ngettext(
                "{count} exchange rate read from {file} into the table: Save settings saves it.",
                "{count} exchange rates read from {file} into the table: Save settings saves them.",
                len(entries),
            ).format(count=len(entries), file=path.name),
            error=False,
        )
        self.changed.emit()

    def remove(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            self._say(_("Select the rate to remove first."), error=True)
            return
        gone = self.rows.pop(row)
        if gone.stored is not None:
            self.removed.append(gone.stored)
        self._say("", error=False)
        self._show()
        self.changed.emit()
