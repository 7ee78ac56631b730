"""The usage evidence panel, in the guided flow and in the quote editor: load a pilot's or
trial's usage log, see what the customer would have paid under each pricing model and what
it would have cost us, how usage spreads across users, and the recommendations.

The log is read and simulated in a separate process (``services.usage_job``: a thread
would hold the GIL and freeze the window for seconds on a 1,000,000-row log); the panel
shows progress, polls the job from a timer and can cancel it. A newer load replaces (and
stops) an older one still running.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quote_builder.documents.scenarios import log_scenarios
from quote_builder.errors import UserFacingError
from quote_builder.pricing import QuoteDocument
from quote_builder.pricing.document import (
    ALL_METRICS,
    NO_METRICS,
    ModelSnapshot,
    UsageEvidence,
    UserBucket,
)
from quote_builder.pricing.evidence import (
    EvidenceBills,
    EvidenceNote,
    evidence_bills,
    few_months,
    metric_sources,
)
from quote_builder.services.usage import UsageAnalysis
from quote_builder.services.usage_job import UsageJob

from . import colours, labels, locale_format
from .i18n import N_, _, error_text, joined, ngettext
from .service_words import text as sentence_text

LOG_FILTER = N_("Usage logs (*.csv *.txt);;All files (*)")
"""The file dialog's filter (translated where it is used)."""
AUTOMATIC = "\0auto"
COLUMNS = (
    N_("Model"),
    N_("Avg month"),
    N_("Low"),
    N_("Expected"),
    N_("High"),
    N_("Total"),
    N_("Margin"),
    N_("Top 20%"),
)
COLUMN_TIPS = (
    N_("The pricing model (bold: the quote's own, with its prices)"),
    N_("Average monthly bill over the log"),
    N_("The bill of the 10th percentile month"),
    N_("The bill of the median month"),
    N_("The bill of the 90th percentile month"),
    N_("Everything the customer would have paid over the log's months"),
    N_("Gross margin over the log: (bill - our cost) / bill"),
    N_("Share of the revenue from the heaviest users (the top 20%)"),
)


def _amount(value: Decimal) -> str:
    """An amount in the user's locale (the table's header names the currency)."""
    return locale_format.number(value, 2)


def _pct(value: Decimal | None) -> str:
    return locale_format.percent(value, 1)


def _compact(value: Decimal) -> str:
    """An axis label: 1,250 -> 1.3k, 2,000,000 -> 2M. (``documents.charts.compact`` does
    the same for the PDF, but importing ``documents`` would load WeasyPrint into the
    window.)"""
    for limit, suffix in ((Decimal(1_000_000), "M"), (Decimal(1000), "k")):
        if value >= limit:
            scaled = (value / limit).quantize(Decimal("0.1")).normalize()
            return f"{scaled:f}{suffix}"
    return f"{value.normalize():f}"


class DistributionChart(QWidget):
    """Users by average monthly usage: one bar per bucket of equal width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buckets: list[UserBucket] = []
        self.median = Decimal(0)
        self.p90 = Decimal(0)
        self.setMinimumHeight(190)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(
            _(
                "How many users fall in each band of average monthly usage (all metrics). "
                "A long tail to the right means a few heavy users: flat seats would hide them."
            )
        )

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(480, 210)

    def set_distribution(self, buckets: list[UserBucket], median: Decimal, p90: Decimal) -> None:
        self.buckets, self.median, self.p90 = list(buckets), median, p90
        self.setAccessibleDescription(
            joined(
                ngettext(
                    "up to {up_to}: {count} user", "up to {up_to}: {count} users", b.users
                ).format(up_to=b.up_to, count=b.users)
                for b in self.buckets
            )
        )
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        grid = QColor(text)
        grid.setAlpha(50)
        bar = palette.color(QPalette.ColorRole.Highlight)
        metrics = painter.fontMetrics()
        line = metrics.height()
        if not self.buckets:
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("No usage log loaded"))
            return
        most = max(b.users for b in self.buckets) or 1
        left = metrics.horizontalAdvance(str(most)) + 12
        top = 2 * line + 8  # the title, then room for the tallest bar's count
        bottom = self.height() - 2 * line - 10
        right = self.width() - 10
        plot = QRectF(left, top, max(10, right - left), max(10, bottom - top))
        painter.setPen(text)
        painter.drawText(
            QRectF(0, 0, self.width(), line + 4),
            Qt.AlignmentFlag.AlignLeft,
            _("Users by average monthly usage"),
        )
        for fraction in (Decimal(0), Decimal("0.5"), Decimal(1)):
            y = plot.bottom() - float(fraction) * plot.height()
            painter.setPen(grid)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text)
            label = str(int(most * fraction))
            painter.drawText(
                QRectF(0, y - line / 2, left - 6, line), Qt.AlignmentFlag.AlignRight, label
            )
        n = len(self.buckets)
        slot = plot.width() / n
        width = max(2.0, slot * 0.8)
        step = max(
            1,
            (n * metrics.horizontalAdvance("0000k") + int(plot.width()) - 1)
            // max(1, int(plot.width())),
        )
        for i, bucket in enumerate(self.buckets):
            height = plot.height() * bucket.users / most
            x = plot.left() + i * slot + (slot - width) / 2
            painter.fillRect(QRectF(x, plot.bottom() - height, width, height), bar)
            if bucket.users:
                painter.setPen(text)
                painter.drawText(
                    QRectF(x - 10, plot.bottom() - height - line, width + 20, line),
                    Qt.AlignmentFlag.AlignCenter,
                    str(bucket.users),
                )
            if i % step == 0 or i == n - 1:
                painter.setPen(text)
                painter.drawText(
                    QRectF(plot.left() + i * slot - 10, plot.bottom() + 2, slot + 20, line),
                    Qt.AlignmentFlag.AlignCenter,
                    "≤" + _compact(bucket.up_to),
                )
        painter.drawText(
            QRectF(0, plot.bottom() + line + 4, self.width(), line + 2),
            Qt.AlignmentFlag.AlignCenter,
            _("units per user a month · median {median} · 90th percentile {p90}").format(
                median=_amount(self.median), p90=_amount(self.p90)
            ),
        )


class UsagePanel(QWidget):
    """Loads a usage log and shows its evidence.

    ``quote()`` gives the quote to simulate with its own model (None in the guided flow
    before the components exist: every model from its template). The panel does not change
    the quote: it emits ``evidence_loaded`` (a UsageEvidence), ``removed`` and
    ``mapping_changed`` (quote metric -> log metric, ``*`` for all) for the owner to apply.
    """

    evidence_loaded = Signal(object)
    removed = Signal()
    mapping_changed = Signal(object)
    failed = Signal(str)
    analysis_done = Signal()
    """After every load attempt (loaded or failed)."""

    def __init__(
        self,
        quote: Callable[[], QuoteDocument | None],
        *,
        in_editor: bool,
        currency: Callable[[], str] | None = None,
        label: Callable[[], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.quote = quote
        self.currency = currency or (lambda: "USD")
        self.label = label or (lambda: "quote")
        self.in_editor = in_editor
        self.evidence: UsageEvidence | None = None
        self.last_path: Path | None = None
        self.job: UsageJob | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(50)
        self._poll.timeout.connect(self._check_job)
        self._mapping_loading = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop nobody sees
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)

        self.intro = intro = QLabel(
            _(
                "Load a pilot's or trial's usage log to see what the customer would have paid "
                "under each pricing model, what it would have cost us, and how usage spreads "
                "across users. CSV columns: timestamp, user, metric, quantity, and optionally "
                "success and attributed_value."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        buttons = QHBoxLayout()
        self.load_button = QPushButton(_("Load usage log…"))
        self.load_button.setToolTip(_("Choose a CSV usage log; it is read without changing it"))
        self.load_button.clicked.connect(self.choose_file)
        buttons.addWidget(self.load_button)
        self.reload_button = QPushButton(_("Simulate again"))
        self.reload_button.setToolTip(
            _("Read the same log again with the quote as it is now (its prices and mapping)")
        )
        self.reload_button.clicked.connect(self.reload)
        self.reload_button.setEnabled(False)
        buttons.addWidget(self.reload_button)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.setToolTip(_("Stop keeping the log's evidence with the quote"))
        self.remove_button.clicked.connect(self.removed.emit)
        self.remove_button.setEnabled(False)
        buttons.addWidget(self.remove_button)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setToolTip(_("Stop reading the log; nothing of it is kept"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setVisible(False)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.progress.setTextVisible(False)
        layout.addWidget(self.progress)
        self.status = QLabel(_("No usage log loaded."))
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # file names and metrics are data
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # file names and metrics are data
        self.error.setStyleSheet(colours.text_style("error"))
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setVisible(False)
        layout.addWidget(self.error)

        self.quote_box = QGroupBox(_("This quote over the log"))
        quote_layout = QVBoxLayout(self.quote_box)
        self.quote_range = QLabel()
        self.quote_range.setWordWrap(True)
        self.quote_range.setTextFormat(Qt.TextFormat.PlainText)  # file names and metrics are data
        self.quote_range.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        quote_layout.addWidget(self.quote_range)
        self.mapping = QTableWidget(0, 2)
        self.mapping.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.mapping.setHorizontalHeaderLabels([_("Quote metric"), _("Reads from the log")])
        self.mapping.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.mapping.verticalHeader().setVisible(False)
        self.mapping.setToolTip(
            _(
                "Which metric of the log each metric of the quote reads; automatic picks the "
                "metric of the same name, or all of the log when the quote has one usage metric"
            )
        )
        quote_layout.addWidget(self.mapping)
        self.quote_box.setVisible(False)
        layout.addWidget(self.quote_box)

        models = QGroupBox(_("Every pricing model over the log"))
        models_layout = QVBoxLayout(models)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self._set_range_headers(None)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        # The amounts are as wide as they need (an elided "7,502,99..." hides the money);
        # the model's name takes the rest.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setToolTip(
            _(
                "What the customer would have paid each month under each model (the quote's own "
                "model with its prices; the others from the playbook's templates), our gross "
                "margin, and the share of revenue from the heaviest users (the top 20%)"
            )
        )
        models_layout.addWidget(self.table)
        self.models_note = QLabel()
        self.models_note.setWordWrap(True)
        self.models_note.setTextFormat(Qt.TextFormat.PlainText)  # file names and metrics are data
        self.models_note.setStyleSheet(colours.text_style("muted"))
        models_layout.addWidget(self.models_note)
        layout.addWidget(models)

        spread = QGroupBox(_("Usage per user"))
        spread_layout = QVBoxLayout(spread)
        self.chart = DistributionChart()
        spread_layout.addWidget(self.chart)
        layout.addWidget(spread)

        advice = QGroupBox(_("Recommendations from the log"))
        advice_layout = QVBoxLayout(advice)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.advice.setTextFormat(Qt.TextFormat.RichText)
        self.advice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        advice_layout.addWidget(self.advice)
        layout.addWidget(advice)
        layout.addStretch(1)
        self.show_evidence(None, None)

    # --- loading --------------------------------------------------------------------------

    def choose_file(self) -> None:
        start = str(self.last_path.parent) if self.last_path else ""
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Load a usage log"), start, _(LOG_FILTER)
        )
        if path:
            self.load_file(Path(path))

    def reload(self) -> None:
        if self.last_path is not None:
            self.load_file(self.last_path)

    def load_file(self, path: Path, metric_map: dict[str, str] | None = None) -> None:
        """Read and simulate ``path`` in a separate process; the result arrives as
        ``evidence_loaded`` or ``failed`` (then ``analysis_done``)."""
        if self.job is not None:
            self.job.cancel()
        self.last_path = path
        self.error.setVisible(False)
        self.status.setText(
            _("Reading {name} and simulating the five models…").format(name=path.name)
        )
        self._busy(True)
        quote = self.quote()
        currency = quote.currency if quote is not None else self.currency()
        self.job = UsageJob(path, quote, metric_map, currency, self.label())
        self._poll.start()

    def cancel(self) -> None:
        if self.job is None:
            return
        self.job.cancel()
        self.job = None
        self._poll.stop()
        self._busy(False)
        self.status.setText(self._status_text())
        self.analysis_done.emit()

    @property
    def busy(self) -> bool:
        return self.job is not None

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.load_button.setEnabled(not busy)
        self.reload_button.setEnabled(not busy and self.last_path is not None)

    def _check_job(self) -> None:
        job = self.job
        if job is None:
            self._poll.stop()
            return
        result = job.poll()
        if result is None:
            return
        self.job = None
        self._poll.stop()
        self._busy(False)
        if isinstance(result, UserFacingError | str):
            # In the interface's language: the reader's problems are Sentences (usage/log.py).
            why = (
                error_text(result) if isinstance(result, UserFacingError) else sentence_text(result)
            )
            self.error.setText(_("The usage log was not loaded:") + "\n" + why)
            self.error.setVisible(True)
            self.status.setText(self._status_text())
            self.failed.emit(why)
        else:
            assert isinstance(result, UsageAnalysis)
            self.evidence_loaded.emit(result.evidence)
        self.analysis_done.emit()

    # --- showing --------------------------------------------------------------------------

    def _status_text(self) -> str:
        e = self.evidence
        if e is None:
            return _("No usage log loaded.")
        span = (
            e.months[0].month
            if len(e.months) == 1
            else _("{first} to {last}").format(first=e.months[0].month, last=e.months[-1].month)
        )
        counts = _("{rows}, {users}, {months} ({span}).").format(
            rows=ngettext("{count} row", "{count} rows", e.rows).format(
                count=locale_format.number(e.rows)
            ),
            users=ngettext("{count} user", "{count} users", e.users).format(
                count=locale_format.number(e.users)
            ),
            months=ngettext("{count} month", "{count} months", len(e.months)).format(
                count=len(e.months)
            ),
            span=span,
        )
        return _("{file} (SHA-256 {hash}…, read {day}): {counts}").format(
            file=e.source_name,
            hash=e.sha256[:12],
            day=locale_format.day(e.analysed_on),
            counts=counts,
        )

    def _set_range_headers(self, months: int | None) -> None:
        """The bill range's columns: Low / Expected / High (10th percentile, median, 90th
        percentile month) for a log of enough months; for a log of few months
        (``pricing.evidence.few_months``) Quiet / Typical / Busy, its quietest, median and
        busiest month, as the proposal names them."""
        titles = [_(title) for title in COLUMNS]
        tips = [_(tip) for tip in COLUMN_TIPS]
        if months is not None and few_months(months):
            titles[2:5] = [_("Quiet"), _("Typical"), _("Busy")]
            tips[2:5] = [
                ngettext(
                    "The bill of the quietest month of the log's {count} month",
                    "The bill of the quietest month of the log's {count} months",
                    months,
                ).format(count=months),
                ngettext(
                    "The bill of the median month of the log's {count} month",
                    "The bill of the median month of the log's {count} months",
                    months,
                ).format(count=months),
                ngettext(
                    "The bill of the busiest month of the log's {count} month",
                    "The bill of the busiest month of the log's {count} months",
                    months,
                ).format(count=months),
            ]
        self.table.setHorizontalHeaderLabels(titles)
        for col, tip in enumerate(tips):
            header_item = self.table.horizontalHeaderItem(col)
            if header_item is not None:
                header_item.setToolTip(tip)

    def show_evidence(
        self,
        evidence: UsageEvidence | None,
        quote: QuoteDocument | None,
        bills: EvidenceBills | None = None,
    ) -> None:
        """Show ``evidence`` (None: nothing loaded) and the quote priced over it."""
        self.evidence = evidence
        self.remove_button.setEnabled(evidence is not None)
        self.status.setText(self._status_text())
        self._show_quote(evidence, quote, bills)
        self.table.setRowCount(0)
        # Quiet / Typical / Busy only where the snapshots hold those months (a log's models
        # simulated before the rule keep their percentile months, and their names).
        self._set_range_headers(
            len(evidence.months)
            if evidence is not None
            and evidence.comparison
            and all(s.range_basis == "months" for s in evidence.comparison)
            else None
        )
        if evidence is None:
            self.chart.set_distribution([], Decimal(0), Decimal(0))
            self.advice.setText("—")
            self.models_note.setText("")
            return
        for snapshot in evidence.comparison:
            row = self.table.rowCount()
            self.table.insertRow(row)
            cells = (
                self._model_title(snapshot),
                _amount(snapshot.average_monthly),
                _amount(snapshot.low),
                _amount(snapshot.expected),
                _amount(snapshot.high),
                _amount(snapshot.total_bill),
                _pct(snapshot.margin_percent),
                _pct(snapshot.top_users_share_percent),
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if snapshot.source == "quote":
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, col, item)
        _fit_height(self.table)
        currency = quote.currency if quote is not None else self.currency()
        own = any(s.source == "quote" for s in evidence.comparison)
        day = locale_format.day(evidence.analysed_on)
        if not own:
            note = _(
                "Amounts in {currency} a month, as simulated when the log was read ({day}) "
                "with the playbook's template for each model."
            )
        elif self.in_editor:
            note = _(
                "Amounts in {currency} a month, as simulated when the log was read ({day}); the "
                "bold row is the quote's own model with its prices, the others use the "
                "playbook's templates."
            )
        else:
            note = _(
                "Amounts in {currency} a month, as simulated when the log was read ({day}); the "
                "bold row is the model of the plan chosen above, with its prices, the others use "
                "the playbook's templates."
            )
        self.models_note.setText(
            note.format(currency=currency, day=day)
            + " "
            + _(
                "Top 20%: the share of the bill for this log's heaviest users (the top 20%), how "
                "concentrated usage is inside this account (not the playbook's figure, which is "
                "about customers across a book of business)."
            )
        )
        self.chart.set_distribution(
            evidence.user_distribution, evidence.median_per_user, evidence.p90_per_user
        )
        lines = list(evidence.recommendations)
        items = "".join(
            f"<li>{_escape(line)}</li>"
            if not (line.startswith("Seats:") and evidence.seat_pricing_flagged)
            else f"<li><b>⚠ {_escape(line)}</b></li>"
            for line in lines
        )
        self.advice.setText(f"<ul style='margin-left:-20px'>{items}</ul>")

    def _model_title(self, snapshot: ModelSnapshot) -> str:
        """A row's model as the playbook names it; the quote's own row says so (a plan's
        row keeps the simulation's English title, which names the plan)."""
        if snapshot.key not in labels.MODEL_TITLES:
            return snapshot.title
        title = labels.model_title(snapshot.key)
        if snapshot.source == "template":
            return title
        if self.in_editor:
            return _("{model} (quote)").format(model=title)
        return snapshot.title

    def show_unpriced(self, problems: list[str]) -> None:
        """The quote has problems: say so instead of showing a range for other content."""
        if not self.in_editor:
            return
        self.quote_box.setVisible(True)
        self.mapping.setRowCount(0)
        self.quote_range.setText(
            _(
                "The quote cannot be priced over the log until its problems are fixed: {problem}"
            ).format(problem=problems[0])
            if problems
            else _("The quote cannot be priced over the log until its problems are fixed.")
        )

    def _show_quote(
        self,
        evidence: UsageEvidence | None,
        quote: QuoteDocument | None,
        bills: EvidenceBills | None,
    ) -> None:
        """``bills``: ``quote`` priced over ``evidence`` when the caller has it already."""
        show = evidence is not None and quote is not None and self.in_editor
        self.quote_box.setVisible(show)
        if not show:
            return
        assert evidence is not None and quote is not None
        if bills is None:
            try:
                bills = evidence_bills(quote)
            except (ArithmeticError, ValueError) as exc:
                self.quote_range.setText(
                    _("The quote cannot be priced over the log: {error}").format(
                        error=error_text(exc)
                    )
                )
                return
        if bills is None:
            return
        cur = quote.currency
        margin = _pct(bills.margin_percent)
        if few_months(len(bills.months)):
            # The proposal's rule and words (documents.scenarios.log_scenarios): the log's
            # own quietest, median and busiest month, named; no interpolated percentile.
            quiet, _typical, busy = log_scenarios(bills)
            text = ngettext(
                "At this quote's prices, the average monthly bill in contract year 1 would be "
                "{low} if every month were like your quietest month ({quiet_month}), "
                "{expected} like the median month and {high} like the busiest month "
                "({busy_month}) of {count} month of usage; gross margin {margin}. {count} "
                "month of usage is too few to say how quiet or busy a month can be.",
                "At this quote's prices, the average monthly bill in contract year 1 would be "
                "{low} if every month were like your quietest month ({quiet_month}), "
                "{expected} like the median month and {high} like the busiest month "
                "({busy_month}) of {count} months of usage; gross margin {margin}. {count} "
                "months of usage are too few to say how quiet or busy a month can be.",
                len(bills.months),
            ).format(
                low=locale_format.money(quiet.monthly, cur),
                expected=locale_format.money(bills.expected, cur),
                high=locale_format.money(busy.monthly, cur),
                quiet_month=locale_format.month(quiet.month),
                busy_month=locale_format.month(busy.month),
                count=len(bills.months),
                margin=margin,
            )
        else:
            text = _(
                "At this quote's prices, the average monthly bill in contract year 1 would be "
                "{low} if every month were like a quiet month of the log (10th percentile), "
                "{expected} like a typical month (median) and {high} like a busy month (90th "
                "percentile); gross margin {margin}."
            ).format(
                low=locale_format.money(bills.low, cur),
                expected=locale_format.money(bills.expected, cur),
                high=locale_format.money(bills.high, cur),
                margin=margin,
            )
        if bills.incomplete:
            text += "\n" + ngettext(
                "Not used in the proposal: {metrics} reads nothing from the log, so the range "
                "would leave charges out. Choose a log metric below.",
                "Not used in the proposal: {metrics} read nothing from the log, so the range "
                "would leave charges out. Choose a log metric below.",
                len(bills.incomplete),
            ).format(metrics=", ".join(bills.incomplete))
        else:
            text += " " + _("The proposal's bill-range chart shows these.")
        if bills.notes:
            text += "\n" + _("Note: {notes}.").format(
                notes=joined(evidence_note_text(note) for note in bills.notes)
            )
        self.quote_range.setText(text)
        self._show_mapping(evidence, quote, bills)

    def _show_mapping(
        self, evidence: UsageEvidence, quote: QuoteDocument, bills: EvidenceBills
    ) -> None:
        log_metrics = sorted({name for m in evidence.months for name in m.metrics})
        sources = metric_sources(quote, evidence.has_success)
        reads = {feed.metric: feed.describe() for feed in bills.feeds}
        self._mapping_loading = True
        try:
            self.mapping.setRowCount(0)
            for metric in sorted(sources):
                row = self.mapping.rowCount()
                self.mapping.insertRow(row)
                name = QTableWidgetItem(metric)
                name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.mapping.setItem(row, 0, name)
                combo = QComboBox()
                combo.addItem(
                    _("Automatic: {reads}").format(reads=reads.get(metric, _("nothing"))), AUTOMATIC
                )
                combo.addItem(_("All of the log's metrics"), ALL_METRICS)
                combo.addItem(_("Nothing: not used in the log's months"), NO_METRICS)
                for log_metric in log_metrics:
                    combo.addItem(log_metric, log_metric)
                chosen = evidence.metric_map.get(metric)
                if chosen and combo.findData(chosen) < 0:  # kept from another log
                    combo.addItem(
                        _("{chosen} (not in the log: reads nothing)").format(chosen=chosen), chosen
                    )
                combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
                combo.setAccessibleName(_("{metric} reads from the log").format(metric=metric))
                combo.currentIndexChanged.connect(self._mapping_edited)
                self.mapping.setCellWidget(row, 1, combo)
            from .wheel_guard import guard_wheel

            guard_wheel(self.mapping)  # scrolling the tab never remaps a metric
        finally:
            self._mapping_loading = False
        _fit_height(self.mapping)

    def _mapping_edited(self) -> None:
        if self._mapping_loading:
            return
        chosen: dict[str, str] = {}
        for row in range(self.mapping.rowCount()):
            combo = self.mapping.cellWidget(row, 1)
            item = self.mapping.item(row, 0)
            if isinstance(combo, QComboBox) and item is not None:
                data = combo.currentData()
                if data != AUTOMATIC:
                    chosen[item.text()] = str(data)
        self.mapping_changed.emit(chosen)


def evidence_note_text(note: str) -> str:
    """A note on how the log was read, in the interface's language (its English sentence
    when it is not one of the engine's kinds)."""
    if not isinstance(note, EvidenceNote):
        return note
    if note.code == "no_value_column":
        return _("{metric}: the log has no attributed_value column, reads nothing").format(
            metric=note.metric
        )
    if note.code == "no_such_metric":
        return _("{metric}: the log has no metric '{name}', reads nothing").format(
            metric=note.metric, name=note.names[0]
        )
    if note.code == "reads_others":
        return _("{metric}: not in the log, reads {names}").format(
            metric=note.metric, names=", ".join(note.names)
        )
    if note.code == "reads_nothing":
        return _("{metric}: not in the log, reads nothing").format(metric=note.metric)
    return _("the log has no success column: every row counts as an outcome")


def _fit_height(table: QTableWidget) -> None:
    """Tall enough for every row: the panel scrolls, not the table."""
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    scroll = table.horizontalScrollBar()
    extra = scroll.sizeHint().height() if scroll.isVisible() else 0
    table.setFixedHeight(
        table.horizontalHeader().sizeHint().height() + rows + extra + 2 * table.frameWidth()
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["DistributionChart", "UsagePanel"]
