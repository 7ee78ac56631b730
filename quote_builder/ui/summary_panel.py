"""The live summary beside a quote: totals, margin per contract year against the floor,
value numbers and the warnings with their explanations."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quote_builder.pricing import PricedQuote
from quote_builder.pricing.evidence import EvidenceBills

from . import locale_numbers

SEVERITY_MARK = {"blocking": "⛔", "warning": "⚠", "info": "ℹ"}


def money(amount: Decimal, currency: str) -> str:
    """36,000.00 USD (36.000,00 USD in de_DE): the interface's locale, the currency's digits."""
    return locale_numbers.amount(amount, currency)


def pct(value: Decimal) -> str:
    return locale_numbers.percent(value)


RED = "#b42318"
AMBER = "#b54708"
GREEN = "#2e7d32"


def margin_colour(
    margin: Decimal | None, floor: Decimal | None, model_range: tuple[Decimal, Decimal] | None
) -> str:
    """Red below the quote's floor (or no revenue), amber at or above it but below the
    playbook's range for the model, green otherwise: the warnings' own rule."""
    if margin is None or (floor is not None and margin < floor):
        return RED
    if model_range is not None and margin < model_range[0]:
        return AMBER
    return GREEN


class SummaryPanel(QWidget):
    """Shows a PricedQuote (or the problems that keep the quote from being priced)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(300)
        layout = QVBoxLayout(self)
        totals = QGroupBox("Totals")
        form = QFormLayout(totals)
        self.monthly = QLabel()
        self.annual = QLabel()
        self.first_year_spend = QLabel()
        self.tcv = QLabel()
        self.discount = QLabel()
        self.margin = QLabel()
        self.savings = QLabel()
        self.bill_range = QLabel()
        self.bill_range.setWordWrap(True)
        for label, widget, tip in (
            (
                "Average month (year 1)",
                self.monthly,
                "First-year recurring fees divided by its months",
            ),
            (
                "First-year ACV",
                self.annual,
                "First-year recurring fees: year-1 revenue without one-time fees",
            ),
            (
                "First-year spend",
                self.first_year_spend,
                "Everything billed in contract year 1, one-time fees included",
            ),
            ("TCV", self.tcv, "Total contract value over the whole term, after discounts"),
            ("Discount vs list", self.discount, "How much below list prices the whole deal is"),
            ("Gross margin", self.margin, "(revenue - COGS) / revenue over the term"),
            ("Customer savings", self.savings, "1 - price / value delivered, year 1"),
            (
                "Monthly bill (log)",
                self.bill_range,
                "The average monthly bill of contract year 1 at this quote's prices if every "
                "month were like a quiet (10th percentile), typical (median) or busy (90th "
                "percentile) month of the usage log kept with the quote",
            ),
        ):
            widget.setToolTip(tip)
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, widget)
        layout.addWidget(totals)
        self.totals_form = form
        form.setRowVisible(self.bill_range, False)
        years = QGroupBox("Gross margin by contract year")
        self.years = QLabel()
        self.years.setTextFormat(Qt.TextFormat.RichText)
        self.years.setWordWrap(True)
        QVBoxLayout(years).addWidget(self.years)
        layout.addWidget(years)
        warnings = QGroupBox("Warnings")
        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        QVBoxLayout(warnings).addWidget(self.warnings)
        layout.addWidget(warnings, 1)

    def show_bill_range(self, bills: EvidenceBills | None, currency: str) -> None:
        """The range from the usage log (None: the quote keeps no log, the row hides)."""
        self.totals_form.setRowVisible(self.bill_range, bills is not None)
        if bills is not None:
            self.bill_range.setText(
                f"{money(bills.low, currency).removesuffix(' ' + currency)}–"
                f"{money(bills.high, currency)}\nmedian month "
                f"{money(bills.expected, currency).removesuffix(' ' + currency)}"
                + ("\nnot used: a charge reads nothing" if bills.incomplete else "")
            )

    def show_problems(self, problems: list[str]) -> None:
        for label in (
            self.monthly,
            self.annual,
            self.first_year_spend,
            self.tcv,
            self.discount,
            self.margin,
            self.savings,
            self.bill_range,
        ):
            label.setText("—")
        self.totals_form.setRowVisible(self.bill_range, False)
        self.years.setText("")
        self.warnings.clear()
        for problem in problems:
            item = QListWidgetItem(f"✖ {problem}")
            item.setToolTip("Fix this field: the quote cannot be priced until it is valid.")
            self.warnings.addItem(item)

    def show_priced(self, priced: PricedQuote, settings_floor: Decimal | None = None) -> None:
        """The totals; the usage log's range comes from ``show_bill_range``.

        Margins are judged by the floor the quote was priced with (``priced``'s, the one
        the warnings, the approval policy and the PDF use), never by the Settings floor:
        where ``settings_floor`` differs, a sentence says so."""
        cur = priced.currency
        self.monthly.setText(money(priced.average_monthly, cur))
        self.annual.setText(money(priced.first_year_acv, cur))
        self.first_year_spend.setText(money(priced.years[0].revenue, cur))
        self.tcv.setText(money(priced.tcv, cur))
        self.discount.setText(pct(priced.effective_discount_percent))
        margin = priced.gross_margin_percent
        self.margin.setText("n/a" if margin is None else pct(margin))
        value = priced.value
        self.savings.setText(
            pct(value.customer_savings_percent)
            if value and value.customer_savings_percent is not None
            else "—"
        )
        floor = priced.margin_floor_percent
        model_range = priced.model_margin_percent
        rows = []
        for year in priced.years:
            m = year.gross_margin_percent
            colour = margin_colour(m, floor, model_range)
            text = "n/a" if m is None else pct(m)
            rows.append(
                f"<tr><td>Year {year.year}</td><td align='right'>{money(year.revenue, cur)}</td>"
                f"<td align='right' style='color:{colour}'>{text}</td></tr>"
            )
        notes = [f"Floor: {pct(floor)}" if floor is not None else "No floor"]
        if model_range is not None:
            notes.append(
                f"Playbook range for this model: {locale_numbers.shown(model_range[0])}-"
                f"{pct(model_range[1])}"
            )
        if settings_floor is not None and floor is not None and settings_floor != floor:
            notes.append(
                f"Settings now say {pct(settings_floor)}; this quote was priced with {pct(floor)}."
            )
        self.years.setText(
            f"<table width='100%'>{''.join(rows)}</table>"
            f"<p style='color:gray'>{'<br>'.join(notes)}</p>"
        )
        self.warnings.clear()
        for warning in priced.warnings:
            item = QListWidgetItem(f"{SEVERITY_MARK[warning.severity]} {warning.message}")
            item.setToolTip(
                f"{warning.code} ({warning.severity})"
                + (f" — {warning.path}" if warning.path else "")
            )
            self.warnings.addItem(item)
        if not priced.warnings:
            self.warnings.addItem("No warnings.")
