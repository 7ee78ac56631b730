"""Settings > Exchange rates: the user's exchange-rate table (never fetched from the
network). One rate per currency pair: units of the second currency for one of the first,
its date and its source. Set a rate by hand, import a CSV file (From, To, Rate, Date,
Source), remove one. A quote copies the rate it uses, so a change here never changes a
saved quote."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quote_builder.numbers import NumberEntryError
from quote_builder.safe_files import FileReadError, read_limited
from quote_builder.services.core import ServiceError
from quote_builder.services.currencies import (
    ExchangeRatePublic,
    delete_exchange_rate,
    import_exchange_rates_csv,
    list_exchange_rates,
    set_exchange_rate,
)
from quote_builder.services.workspace import Workspace

from . import colours, locale_format
from .i18n import N_, _, error_text, ngettext
from .locale_numbers import parse, shown

MAX_CSV_BYTES = 5 * 1024 * 1024
HEADERS = (N_("From"), N_("To"), N_("Rate"), N_("Date"), N_("Source"))


class ExchangeRatesBox(QGroupBox):
    """The table, the fields to set one rate, Import CSV… and Remove."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(_("Exchange rates"), parent)
        self.setObjectName("exchange_rates")
        self.setToolTip(
            _(
                "Rates a quote in another currency than yours is priced at (a plan without a "
                "price book in that currency is converted) and its margin measured with. The "
                "quote keeps the rate it used."
            )
        )
        self.workspace = workspace
        self.rates: list[ExchangeRatePublic] = []
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("exchange_rate_table")
        self.table.setHorizontalHeaderLabels([_(h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(140)
        self.base = QLineEdit()
        self.base.setObjectName("rate_from")
        self.base.setPlaceholderText(_("From (USD)"))
        self.base.setMaxLength(3)
        self.quote = QLineEdit()
        self.quote.setObjectName("rate_to")
        self.quote.setPlaceholderText(_("To (EUR)"))
        self.quote.setMaxLength(3)
        self.rate = QLineEdit()
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
        self.source.setMaxLength(200)
        self.set_button = QPushButton(_("Set rate"))
        self.set_button.setObjectName("set_rate")
        self.import_button = QPushButton(_("Import CSV…"))
        self.import_button.setObjectName("import_rates")
        self.import_button.setToolTip(
            _("A CSV file with the columns From, To, Rate, Date, Source.")
        )
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setObjectName("remove_rate")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("rates_message")
        self.message.hide()
        fields = QHBoxLayout()
        for widget in (self.base, self.quote, self.rate, self.date, self.source, self.set_button):
            fields.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(fields)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.set_button.clicked.connect(self.set_rate)
        self.import_button.clicked.connect(self.import_csv)
        self.remove_button.clicked.connect(self.remove)
        self.reload()

    def reload(self) -> None:
        self.rates = self.workspace.run(list_exchange_rates)
        self.table.setRowCount(len(self.rates))
        for row, rate in enumerate(self.rates):
            for column, text in enumerate(
                (
                    rate.base_currency,
                    rate.quote_currency,
                    shown(rate.rate),
                    locale_format.day(rate.as_of),
                    rate.source,
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.remove_button.setEnabled(bool(self.rates))

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(colours.text_style("error") if error else "")
        self.message.setVisible(bool(text))

    def set_rate(self) -> None:
        try:
            rate = parse(self.rate.text(), what=_("Rate"))
        except NumberEntryError as exc:
            self._say(error_text(exc), error=True)
            return
        date = self.date.date()
        try:
            self.workspace.run(
                set_exchange_rate,
                base=self.base.text(),
                quote=self.quote.text(),
                rate=rate,
                as_of=dt.date(date.year(), date.month(), date.day()),
                source=self.source.text(),
                actor=self.workspace.user,
            )
        except ServiceError as exc:
            self._say(error_text(exc), error=True)
            return
        self._say("", error=False)
        self.rate.clear()
        self.reload()

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
        try:
            data = read_limited(path, MAX_CSV_BYTES, what="CSV file")
            outcome = self.workspace.run(import_exchange_rates_csv, data, actor=self.workspace.user)
        except (ServiceError, FileReadError) as exc:
            self._say(error_text(exc), error=True)
            return
        self._say(
            ngettext(
                "{count} exchange rate imported from {file}.",
                "{count} exchange rates imported from {file}.",
                outcome.value,
            ).format(count=outcome.value, file=path.name),
            error=False,
        )
        self.reload()

    def remove(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rates):
            self._say(_("Select the rate to remove first."), error=True)
            return
        rate = self.rates[row]
        answer = QMessageBox.question(
            self,
            _("Remove exchange rate"),
            _(
                "Remove the rate from {base} to {quote}? Saved quotes keep the rate they used."
            ).format(base=rate.base_currency, quote=rate.quote_currency),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.workspace.run(delete_exchange_rate, rate.id, actor=self.workspace.user)
        self.reload()
