"""The live summary beside a quote: totals, margin per contract year against the floor,
value numbers and the warnings with their explanations."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPalette, QShowEvent
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
from quote_builder.pricing.evidence import EvidenceBills, few_months
from quote_builder.services import words

from . import colours, labels, locale_format
from .engine_words import warning_text
from .i18n import N_, _, label_and, ngettext

SEVERITY_MARK = {"blocking": "⛔", "warning": "⚠", "info": "ℹ"}


RATE_CHECK_CODE = "RATE_CHECK"
"""The warnings list's code of the row about the quote's exchange rate against the table."""


def money(amount: Decimal, currency: str) -> str:
    """In the user's locale: ``$273,868.68`` (never ``273868.68 USD``)."""
    return locale_format.money(amount, currency)


def pct(value: Decimal | None) -> str:
    """``81.3%``, ``60%`` in the user's locale."""
    if value is None:
        return _("n/a")
    return locale_format.percent(value, 0 if value == value.to_integral_value() else 1)


SAVINGS_TIP = N_(
    "What the customer saves against doing by hand the work the AI does, in contract year 1: "
    "1 - first-year spend / first-year value delivered (tasks x value per task), what the "
    "playbook calls the cost savings to the customer. Not a discount: the discount off list "
    "prices is Discount vs list."
)
"""What "Saving vs the work replaced" is (a rep read "Customer savings 99.1%" as a 99 %
discount); the proposal's KPI is the same figure for the customer."""

RED = colours.LIGHT["error"]
AMBER = colours.LIGHT["warning"]
GREEN = colours.LIGHT["ok"]
"""The margin colours on the light palette (the dark palette has lighter ones: colours.py)."""


def margin_colour(
    margin: Decimal | None, floor: Decimal | None, model_range: tuple[Decimal, Decimal] | None
) -> str:
    """Red below the quote's floor (or no revenue), amber at or above it but below the
    playbook's range for the model, green otherwise: the warnings' own rule."""
    if margin is None or (floor is not None and margin < floor):
        return colours.colour("error")
    if model_range is not None and margin < model_range[0]:
        return colours.colour("warning")
    return colours.colour("ok")


PERCENTILE_RANGE_TIP = N_(
    "The average monthly bill of contract year 1 at this quote's prices if every month were "
    "like a quiet (10th percentile), typical (median) or busy (90th percentile) month of the "
    "usage log kept with the quote"
)


class SummaryPanel(QWidget):
    """Shows a PricedQuote (or the problems that keep the quote from being priced)."""

    resized = Signal()
    """The width the totals need may have changed (new amounts, another font)."""

    MIN_WIDTH = 300

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """At least 300 pixels, and never narrower than the longest amount needs: the
        totals never clip (setMinimumWidth would override what the labels need)."""
        hint = super().minimumSizeHint()
        return QSize(max(self.MIN_WIDTH, hint.width()), hint.height())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Once shown, its style and fonts are the window's: the width the totals need is
        asked again (before, it was measured with the unpolished style, 11 pixels short in
        German, and the group boxes' right edges were cut off)."""
        super().showEvent(event)
        QTimer.singleShot(0, self, self.resized.emit)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        totals = QGroupBox(_("Totals"))
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
                _("Average month (year 1)"),
                self.monthly,
                _("First-year recurring fees divided by its months"),
            ),
            (
                _("First-year ACV"),
                self.annual,
                _("First-year recurring fees: year-1 revenue without one-time fees"),
            ),
            (
                _("First-year spend"),
                self.first_year_spend,
                _("Everything billed in contract year 1, one-time fees included"),
            ),
            ("TCV", self.tcv, _("Total contract value over the whole term, after discounts")),
            (
                _("Discount vs list"),
                self.discount,
                _("How much below list prices the whole deal is"),
            ),
            (_("Gross margin"), self.margin, _("(revenue - COGS) / revenue over the term")),
            (_("Saving vs the work replaced"), self.savings, SAVINGS_TIP),
        ):
            widget.setToolTip(tip)
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, widget)
        # The usage log's range under its label, the panel's whole width: beside the label
        # its three lines had the value column's few pixels, one word a line in German
        # ("ruhigster / bis / intensivster / von 3 / Monaten").
        self.bill_range_label = QLabel(_("Monthly bill (log)"))
        self.bill_range.setToolTip(_(PERCENTILE_RANGE_TIP))
        self.bill_range.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bill_range.setContentsMargins(12, 0, 0, 0)
        form.addRow(self.bill_range_label)
        form.addRow(self.bill_range)
        layout.addWidget(totals)
        self.totals_form = form
        form.setRowVisible(self.bill_range_label, False)
        form.setRowVisible(self.bill_range, False)
        years = QGroupBox(_("Gross margin by contract year"))
        # The years' table (rich text: the margins in colour) and the notes under it (plain
        # text that wraps): a word-wrapped rich-text label is laid out again for every
        # width the layouts try, and the notes made the table's label wrap.
        self.years = QLabel()
        self.years.setTextFormat(Qt.TextFormat.RichText)
        self.years_notes = QLabel()
        self.years_notes.setTextFormat(Qt.TextFormat.PlainText)
        self.years_notes.setWordWrap(True)
        self.years_notes.setContentsMargins(0, 6, 0, 0)
        years_layout = QVBoxLayout(years)
        years_layout.addWidget(self.years)
        years_layout.addWidget(self.years_notes)
        layout.addWidget(years)
        warnings = QGroupBox(_("Warnings"))
        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        QVBoxLayout(warnings).addWidget(self.warnings)
        layout.addWidget(warnings, 1)

    def show_bill_range(self, bills: EvidenceBills | None, currency: str) -> None:
        """The range from the usage log (None: the quote keeps no log, the row hides): a
        quiet to a busy month, the 10th and 90th percentile months of a long log, the
        quietest and busiest months of a short one (``pricing.evidence.few_months``, the
        proposal's rule)."""
        self.totals_form.setRowVisible(self.bill_range_label, bills is not None)
        self.totals_form.setRowVisible(self.bill_range, bills is not None)
        if bills is not None:
            count = len(bills.months)
            if few_months(count):
                text = ngettext(
                    "{low}–{high}\nquietest to busiest of {count} month\nmedian month {median}",
                    "{low}–{high}\nquietest to busiest of {count} months\nmedian month {median}",
                    count,
                )
                self.bill_range.setToolTip(
                    ngettext(
                        "The average monthly bill of contract year 1 at this quote's prices if "
                        "every month were like the quietest, median or busiest month of the "
                        "usage log's {count} month (too few months for percentiles)",
                        "The average monthly bill of contract year 1 at this quote's prices if "
                        "every month were like the quietest, median or busiest month of the "
                        "usage log's {count} months (too few months for percentiles)",
                        count,
                    ).format(count=count)
                )
            else:
                text = _("{low}–{high}\nmedian month {median}")
                self.bill_range.setToolTip(_(PERCENTILE_RANGE_TIP))
            text = text.format(
                low=money(bills.low, currency),
                high=money(bills.high, currency),
                median=money(bills.expected, currency),
                count=count,
            )
            if bills.incomplete:
                text += "\n" + _("not used: a charge reads nothing")
            self.bill_range.setText(text)
        self.updateGeometry()
        self.resized.emit()

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
        self.totals_form.setRowVisible(self.bill_range_label, False)
        self.totals_form.setRowVisible(self.bill_range, False)
        self.years.setText("")
        self.years_notes.setText("")
        tip = _("Fix this field: the quote cannot be priced until it is valid.")
        self._show_list([(f"✖ {problem}", None, tip) for problem in problems])

    def show_priced(
        self,
        priced: PricedQuote,
        settings_floor: Decimal | None = None,
        field_name: Callable[[str], str] = words.where,
        jurisdiction_unset: tuple[str, ...] = (),
        tax_stale: str = "",
        unprintable: tuple[str, ...] = (),
        rate_check: tuple[str, PricedQuote | None] = ("", None),
    ) -> None:
        """The totals; the usage log's range comes from ``show_bill_range``.
        ``rate_check``: the quote's exchange rate against the organisation's table
        (``approvals.policy.check_rate``): the reason's sentence, listed with the warnings,
        and the quote priced at the rate its margins are judged at (None: its own); the
        margins shown are then that pricing's, the ones the deal desk is shown.
        ``unprintable``: sentences (in the interface's language) for text the PDF fonts
        cannot draw (``services.printable.print_problems``), listed as blocking: the
        documents cannot be made until it is written without that character.
        ``jurisdiction_unset``: the governing law and courts the order form lacks under the
        seller's settings (``services.settings.jurisdiction_unset``), listed with the
        warnings as blocking (the engine prices a quote without knowing the seller).
        ``tax_stale``: the sentence for a tax decided on other customer details than the
        customer's record says now (``labels.tax_changed_text``), listed as blocking; the
        row's code is ``TAX_STALE_CODE`` (activating it decides the tax again).

        Margins are judged by the floor the quote was priced with (``priced``'s, the one
        the warnings, the approval policy and the PDF use), never by the Settings floor:
        where ``settings_floor`` differs, a sentence says so."""
        cur = priced.currency
        self.monthly.setText(money(priced.average_monthly, cur))
        self.annual.setText(money(priced.first_year_acv, cur))
        self.first_year_spend.setText(money(priced.years[0].revenue, cur))
        self.tcv.setText(money(priced.tcv, cur))
        self.discount.setText(locale_format.discount_percent(priced.effective_discount_percent))
        rate_reason, judged = rate_check
        margins = judged if judged is not None else priced
        margin = margins.gross_margin_percent
        self.margin.setText(locale_format.margin_percent(margin))
        value = priced.value
        if value and value.customer_savings_percent is not None:
            self.savings.setText(locale_format.margin_percent(value.customer_savings_percent))
            self.savings.setToolTip(
                _(
                    "{tip}\n\nYear 1: the customer pays {spend} for work worth {value} to "
                    "them: {kept} of that value stays with them."
                ).format(
                    tip=_(SAVINGS_TIP),
                    spend=money(value.annual_spend, cur),
                    value=money(value.annual_value, cur),
                    kept=locale_format.margin_percent(value.customer_savings_percent),
                )
            )
        else:
            self.savings.setText("—")
            self.savings.setToolTip(_(SAVINGS_TIP))
        floor = priced.margin_floor_percent
        model_range = priced.model_margin_percent
        rows = []
        for year, judged_year in zip(priced.years, margins.years, strict=True):
            m = judged_year.gross_margin_percent
            colour = margin_colour(m, floor, model_range)
            text = locale_format.margin_percent(m)  # one format for every year: 84.0%
            rows.append(
                f"<tr><td>{_('Year {number}').format(number=year.year)}</td>"
                f"<td align='right'>{money(year.revenue, cur)}</td>"
                f"<td align='right' style='color:{colour}'>{text}</td></tr>"
            )
        notes = [
            _("Floor: {floor}").format(floor=pct(floor)) if floor is not None else _("No floor")
        ]
        if model_range is not None:
            notes.append(
                _("Playbook range for this model: {low}–{high}").format(
                    low=pct(model_range[0]), high=pct(model_range[1])
                )
            )
        if judged is not None and judged.exchange_rate != priced.exchange_rate:
            notes.append(
                _("Margins at {rate} {currency} per {seller}, not at the quote's rate.").format(
                    rate=locale_format.number(judged.exchange_rate),
                    currency=cur,
                    seller=judged.margin_currency,
                )
            )
        if settings_floor is not None and floor is not None and settings_floor != floor:
            notes.append(
                _("Settings now say {settings_floor}; this quote was priced with {floor}.").format(
                    settings_floor=pct(settings_floor), floor=pct(floor)
                )
            )
        years = f"<table width='100%'>{''.join(rows)}</table>"
        if self.years.text() != years:
            self.years.setText(years)
        # Muted by the label's palette, not a style sheet (a styled label keeps its font
        # when the window's font grows).
        muted = colours.qcolor("muted")
        palette = self.years_notes.palette()
        if palette.color(QPalette.ColorRole.WindowText) != muted:
            palette.setColor(QPalette.ColorRole.WindowText, muted)
            self.years_notes.setPalette(palette)
        self.years_notes.setText("\n".join(notes))
        self._show_list(
            [
                (
                    f"{SEVERITY_MARK[warning.severity]} {warning_text(warning)}",
                    warning.code,  # for tests, not shown
                    labels.label(warning.severity)
                    + (f": {field_name(warning.path)}" if warning.path else ""),
                )
                for warning in priced.warnings
            ]
            + (
                [
                    (
                        f"{SEVERITY_MARK['warning']} {rate_reason}",
                        RATE_CHECK_CODE,
                        labels.label("warning"),
                    )
                ]
                if rate_reason
                else []
            )
            + _jurisdiction_rows(jurisdiction_unset)
            + _tax_stale_rows(tax_stale)
            + _unprintable_rows(unprintable)
            or [(_("No warnings."), None, "")]
        )
        self.updateGeometry()
        self.resized.emit()

    def _show_list(self, rows: list[tuple[str, str | None, str]]) -> None:
        """The warnings list as (text, warning code, tooltip) rows. Rebuilt only when it
        would show something else: most edits leave the warnings as they were, and a
        rebuilt list lays out and repaints every row (a third of a repaint's time)."""
        shown = self.warnings
        if [
            (item.text(), item.data(Qt.ItemDataRole.UserRole), item.toolTip())
            for item in map(shown.item, range(shown.count()))
        ] == rows:
            return
        shown.clear()
        for text, code, tip in rows:
            item = QListWidgetItem(text)
            if code is not None:
                item.setData(Qt.ItemDataRole.UserRole, code)
            if tip:
                item.setToolTip(tip)
            shown.addItem(item)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.resized.emit()
        super().changeEvent(event)


JURISDICTION_CODE = "GOVERNING_LAW_NOT_SET"
"""The warnings list's code of the row for law and courts not set (for tests, not shown)."""


UNPRINTABLE_CODE = "text.unprintable"
"""The warnings list's code (for tests) of a text the PDF cannot print."""


def _unprintable_rows(sentences: tuple[str, ...]) -> list[tuple[str, str | None, str]]:
    """A warnings row for each text the PDF fonts cannot draw."""
    return [
        (
            f"{SEVERITY_MARK['blocking']} {text[:1].upper()}{text[1:]}.",
            UNPRINTABLE_CODE,
            label_and(labels.label("blocking"), _("the PDF cannot be made")),
        )
        for text in sentences
    ]


def _jurisdiction_rows(unset: tuple[str, ...]) -> list[tuple[str, str | None, str]]:
    """The warnings list's row for law and courts not set (none when both are)."""
    if not unset:
        return []
    text = labels.jurisdiction_text(unset)
    return [
        (
            f"{SEVERITY_MARK['blocking']} {text[:1].upper()}{text[1:]}.",
            JURISDICTION_CODE,
            label_and(labels.label("blocking"), _("Settings → legal frame")),
        )
    ]


TAX_STALE_CODE = "TAX_CUSTOMER_CHANGED"
"""The warnings list's code of the row for a tax decided on other customer details (the
editor decides the tax again when the row is activated: double-click or Enter)."""


def _tax_stale_rows(text: str) -> list[tuple[str, str | None, str]]:
    """The warnings list's row for a stale tax (none when the tax fits)."""
    if not text:
        return []
    return [
        (
            f"{SEVERITY_MARK['blocking']} {text[:1].upper()}{text[1:]}.",
            TAX_STALE_CODE,
            label_and(
                labels.label("blocking"),
                _("double-click (or Enter) to decide the tax again from the customer and Settings"),
            ),
        )
    ]
