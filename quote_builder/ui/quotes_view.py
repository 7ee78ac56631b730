"""The Quotes page: every quote, searched, filtered by status and sorted in SQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QMargins, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
)

from quote_builder.errors import UserFacingError
from quote_builder.pricing.currency import minor_units
from quote_builder.pricing.money import Money
from quote_builder.services import quotes as quote_service
from quote_builder.services.core import Changes
from quote_builder.services.quotes import QuoteRow
from quote_builder.services.workspace import Workspace
from quote_builder.store.models import QUOTE_STATUSES

from . import colours, locale_format
from .empty_state import EmptyState
from .i18n import N_, _, error_text, ngettext
from .locale_numbers import shown, ui_locale
from .pages import Page
from .shortcuts import clear_on_escape
from .table_model import (
    RAW_ROLE,
    Column,
    ServiceTableModel,
    bind,
    make_table_view,
    set_column_widths,
)

if TYPE_CHECKING:
    from .main_window import MainWindow

SEARCH_DELAY_MS = 120
"""Typing restarts this timer; the query runs once the typing pauses this long."""

STATUS_LABELS = {
    "draft": N_("Draft"),
    "pending_approval": N_("Pending approval"),
    "approved": N_("Approved"),
    "rejected": N_("Rejected"),
    "sent": N_("Sent"),
    "accepted": N_("Accepted"),
    "lost": N_("Lost"),
    "expired": N_("Expired"),
    "no_approval": N_("No approval in force"),
}
"""Each status's label; ``no_approval``: marked approved, but no signed approval of the
latest version holds (``QuoteRow.approval_holds``), as the editor's banner says."""
STATUS_TIPS = {
    "draft": N_("Being built; not sent to the customer yet."),
    "pending_approval": N_("Waiting for the deal desk to approve its discounts or terms."),
    "approved": N_("The deal desk approved this version; it can be sent."),
    "rejected": N_("The deal desk rejected this version; change it and ask again."),
    "sent": N_("Sent to the customer."),
    "accepted": N_("The customer accepted and signed."),
    "lost": N_("The customer said no; the reason is kept."),
    "expired": N_("Past its valid-until date without being accepted."),
    "no_approval": N_(
        "Marked approved, but no signed approval of this version holds here (it expired, the "
        "customer's terms changed since, or it was changed outside Quote Builder): open it "
        "and request approval again."
    ),
}
# Chip fill colours: saturated enough to read on light and dark palettes, with white text.
STATUS_COLOURS = {
    "draft": "#6b7280",
    "pending_approval": "#b45309",
    "approved": "#15803d",
    "rejected": "#b91c1c",
    "sent": "#1d4ed8",
    "accepted": "#0f766e",
    "lost": "#57534e",
    "expired": "#78716c",
}
ATTENTION_FILTERS = {
    "expiring_week": N_("Expiring this week"),
    "accepted_month": N_("Accepted this month"),
}
"""Filters of the attention strip besides the statuses (store.repositories.QUOTE_FILTERS)."""


@lru_cache(maxsize=64)
def _currency_pattern(digits: int, locale: str) -> str:
    """The locale's currency pattern with ``digits`` decimals ("¤#,##0.00" in en_US,
    "#,##0.00 ¤" in de_DE: the sign where the locale writes it)."""
    from babel import Locale

    pattern = str(Locale.parse(locale).currency_formats["standard"].pattern)
    decimals = "." + "0" * digits if digits else ""
    return pattern.replace(".00", decimals)


def format_money(money: Money) -> str:
    """An amount with its currency sign and the currency's ISO minor unit ($1,234.50,
    ¥1,235, BHD 1.500). Decimal in, text out: never a float."""
    from babel.numbers import format_currency  # first use only: keeps startup quick

    try:
        digits = minor_units(money.currency)
    except (KeyError, ValueError):
        return f"{money.amount} {money.currency}"
    return str(
        format_currency(
            Decimal(money.amount),
            money.currency,
            format=_currency_pattern(digits, ui_locale()),
            locale=ui_locale(),
            currency_digits=False,
        )
    )


def _local(moment: dt.datetime) -> str:
    return locale_format.moment(moment)


def _valid_until(row: QuoteRow) -> str:
    return locale_format.day(row.valid_until) if row.valid_until else ""


def shown_status(row: QuoteRow) -> str:
    """The status the list shows: the verified one, as the editor's banner decides it. A
    quote whose status column says approved while no signed approval of its latest version
    holds is ``no_approval`` ("No approval in force"), never "Approved"."""
    if row.status == "approved" and not row.approval_holds:
        return "no_approval"
    return row.status


QUOTE_COLUMNS = [
    Column(N_("Number"), lambda r: r.number, "number", header_tip=N_("The quote's number.")),
    Column(
        N_("Customer"),
        lambda r: r.customer_name,
        "customer",
        tooltip=lambda r: _("Customer: {customer_name}").format(customer_name=r.customer_name),
    ),
    Column(
        N_("Title"),
        lambda r: (
            _("{title} · {count} options").format(title=r.title, count=r.option_count)
            if r.option_count > 1
            else r.title
        ),
        None,
        tooltip=lambda r: (
            _("{title} ({count} options side by side; TCV of the one presented)").format(
                title=r.title or "", count=r.option_count
            )
            if r.option_count > 1
            else r.title or None
        ),
    ),
    Column(
        N_("Status"),
        lambda r: _(STATUS_LABELS[shown]) if (shown := shown_status(r)) in STATUS_LABELS else shown,
        "status",
        raw=shown_status,
        tooltip=lambda r: (
            _(STATUS_TIPS[shown]) if (shown := shown_status(r)) in STATUS_TIPS else ""
        ),
        header_tip=N_("Where the quote stands: draft, with the deal desk, sent or signed."),
    ),
    Column(
        "TCV",
        lambda r: format_money(r.tcv),
        "tcv",
        raw=lambda r: r.tcv,
        align_right=True,
        header_tip=N_(
            "Total contract value: everything the customer pays over the whole term, after discounts."
        ),
    ),
    Column(
        N_("Version"),
        lambda r: str(r.latest_version),
        None,
        align_right=True,
        header_tip=N_("Each save adds a version; approvals and PDFs point at one version."),
    ),
    Column(
        N_("Valid until"),
        _valid_until,
        "valid_until",
        raw=lambda r: r.valid_until,
        header_tip=N_("The last day the customer can accept the quote at these prices."),
    ),
    Column(
        N_("Last change"),
        lambda r: (
            _("{when} by {who}").format(when=_local(r.updated_at), who=r.updated_by)
            if r.updated_by
            else _local(r.updated_at)
        ),
        "updated_at",
        raw=lambda r: r.updated_at,
    ),
]
LAST_CHANGE_COLUMN = len(QUOTE_COLUMNS) - 1


def status_order() -> list[str]:
    """The statuses the list shows in the order of their labels in the interface's
    language and collation ("Abgelaufen", "Abgelehnt", ... in German): the list sorted by
    status sorts by the words it shows, not by the stored codes."""
    from .countries import collation_key

    key = collation_key()
    return sorted(STATUS_LABELS, key=lambda code: key(_(STATUS_LABELS[code])))


def quote_model(workspace: Workspace) -> ServiceTableModel:
    """The quote list, newest change first. Sorted by status, the statuses are put in the
    order of their labels here, in the window's process: the database process does not
    know the interface's language."""
    page = bind(workspace.page_function(quote_service.list_quotes))

    def fetch(text: str, **kwargs: Any) -> Any:
        if kwargs.get("sort") == "status":
            kwargs["status_order"] = status_order()
        return page(text, **kwargs)

    return ServiceTableModel(
        QUOTE_COLUMNS,
        fetch,
        row_id=lambda r: r.id,
        sort_column=LAST_CHANGE_COLUMN,
        descending=True,
    )


class StatusChipDelegate(QStyledItemDelegate):
    """Paints a quote status as a rounded, coloured chip with its label."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        status = index.data(RAW_ROLE)
        label = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(status, str) or not isinstance(label, str):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the background and selection only; the chip draws the text
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = opt.fontMetrics
        width = metrics.horizontalAdvance(label) + 16
        height = min(opt.rect.height() - 6, metrics.height() + 6)
        chip = QRect(
            opt.rect.left() + 6,
            opt.rect.top() + (opt.rect.height() - height) // 2,
            min(width, opt.rect.width() - 12),
            height,
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colours.STATUS_CHIPS.get(status, colours.STATUS_CHIPS["draft"])))
        painter.drawRoundedRect(chip, height / 2, height / 2)
        painter.setPen(QColor("white"))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, label)
        painter.restore()

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 28, size.height() + 6)


class QuotesPage(Page):
    """The quote list with search (Ctrl+F), a status filter, New quote and Duplicate."""

    def __init__(self, workspace: Workspace, window: MainWindow | None) -> None:
        super().__init__()
        self.workspace = workspace
        self.window_ = window
        self.model = quote_model(workspace)

        self.search = QLineEdit()
        self.search.setObjectName("quote-search")
        self.search.setPlaceholderText(_("Search by number, customer or title (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(
            _("Shows the quotes whose number, customer name or title contains this text.")
        )
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_search)
        clear_on_escape(self.search)

        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status-filter")
        self.status_filter.addItem(_("All statuses"), None)
        for code in QUOTE_STATUSES:
            self.status_filter.addItem(
                _(STATUS_LABELS[code]) if code in STATUS_LABELS else code, code
            )
            if code == "approved":
                # Approved lists what the list shows as Approved (the approval verified);
                # the quotes marked approved without one in force have their own entry.
                self.status_filter.addItem(_(STATUS_LABELS["no_approval"]), "no_approval")
        for code, label in ATTENTION_FILTERS.items():
            self.status_filter.addItem(_(label), code)
        self.status_filter.setToolTip(_("Show only the quotes in one status."))
        self.status_filter.currentIndexChanged.connect(self._apply_status)
        # What needs attention: each is a button that filters the list to those quotes.
        self.attention: dict[str, QPushButton] = {}
        for code in ("expiring_week", "pending_approval", "accepted_month"):
            button = QPushButton()
            button.setObjectName(f"attention-{code}")
            button.setFlat(True)
            button.clicked.connect(lambda _checked=False, c=code: self.filter_to(c))
            self.attention[code] = button

        self.new_button = QPushButton(_("New quote…"))
        self.new_button.setToolTip(_("Start a new quote with the guided flow (Ctrl+N)."))
        self.new_button.clicked.connect(self.new_item)
        self.duplicate_button = QPushButton(_("Duplicate"))
        self.duplicate_button.setToolTip(
            _(
                "Copy the selected quote's latest version into a new draft quote with its own number."
            )
        )
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.open_button = QPushButton(_("Open"))
        self.open_button.setToolTip(
            _("Open the selected quote in the editor (Enter or double-click).")
        )
        self.open_button.clicked.connect(self.open_selected)

        self.view = make_table_view(self.model, object_name="quote-list")
        self.view.setItemDelegateForColumn(3, StatusChipDelegate(self.view))
        self.view.activated.connect(self._open_index)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        set_column_widths(self.view, (100, 150, 220, 140, 120, 64, 96, 180))
        # The status chips keep their words whole in every language ("En attente
        # d'approbation" is longer than "Pending approval").
        metrics = self.view.fontMetrics()
        widest = max(metrics.horizontalAdvance(_(label)) for label in STATUS_LABELS.values())
        self.view.setColumnWidth(3, max(140, widest + 16 + 28))
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the title takes the rest

        self.duplicate_action = QAction(_("Duplicate quote"), self)
        self.duplicate_action.triggered.connect(self.duplicate_selected)
        self.open_action = QAction(_("Open quote"), self)
        self.open_action.triggered.connect(self.open_selected)

        self.count_label = QLabel()
        self.count_label.setObjectName("quote-count")
        self.message = QLabel()
        self.message.setObjectName("quote-message")
        self.message.setWordWrap(True)
        self.model.reloaded.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.model.load_failed.connect(self._show_error)

        # The search has a row of its own when the page is too narrow to give it room
        # beside the buttons (a laptop at 200 % scaling: 683 pixels across): it was
        # squeezed to "S…" and what was typed could not be read (_place_search).
        self._search_row = QHBoxLayout()
        self._bar = bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_filter)
        bar.addSpacing(12)
        bar.addWidget(self.open_button)
        bar.addWidget(self.duplicate_button)
        bar.addWidget(self.new_button)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        title = QLabel(_("Quotes"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        strip = QHBoxLayout()
        strip.setObjectName("attention-strip")
        for button in self.attention.values():
            strip.addWidget(button)
        strip.addStretch(1)
        layout.addLayout(strip)
        layout.addLayout(self._search_row)
        layout.addLayout(bar)
        self.empty = EmptyState(
            _("No quotes yet"),
            _(
                "A quote starts from a customer and a pricing model: New quote… walks you through "
                "it (Ctrl+N), step by step. To look around first, add demo data: a catalog plan "
                "for each of the nine AI product categories, five customers and their quotes."
            ),
            [
                ("new", _("New quote…"), self.new_item),
                ("demo", _("Add demo data"), self.add_demo_data),
            ],
        )
        self.empty.hide()
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)
        self.setTabOrder(self.search, self.status_filter)
        self.setTabOrder(self.status_filter, self.view)
        self._update_count()
        self._update_buttons()
        self.model.reloaded.connect(self._update_empty)
        self._update_empty()
        self.refresh_attention()

    def search_room(self) -> int:
        """The width the search box needs to show what a rep types (30 average letters)."""
        return self.search.fontMetrics().averageCharWidth() * 30

    def _place_search(self) -> None:
        """The search beside the filter and the buttons when they all fit, else above."""
        bar = self._bar
        beside = bar.indexOf(self.search) >= 0
        others = sum(
            w.sizeHint().width()
            for w in (self.status_filter, self.open_button, self.duplicate_button, self.new_button)
        )
        spacing = max(bar.spacing(), 6)
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QMargins()
        needed = self.search_room() + others + 12 + 5 * spacing + margins.left() + margins.right()
        fits = self.width() >= needed
        if fits and not beside:
            self._search_row.removeWidget(self.search)
            bar.takeAt(bar.indexOf(self.status_filter) + 1)  # the stretch put there below
            bar.insertWidget(0, self.search, 1)
        elif not fits and beside:
            bar.removeWidget(self.search)
            bar.insertStretch(bar.indexOf(self.status_filter) + 1, 1)
            self._search_row.addWidget(self.search)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_search()

    def refresh_attention(self) -> None:
        """The attention strip: offers expiring in the next 7 days, quotes waiting for the
        deal desk, quotes accepted this month (each click filters the list)."""
        from quote_builder.services import lifecycle

        try:
            counts = self.workspace.run(lifecycle.attention)
        except UserFacingError:
            return
        texts = {
            "expiring_week": (
                counts.expiring_this_week,
                ngettext(
                    "{count} expiring this week",
                    "{count} expiring this week",
                    counts.expiring_this_week,
                ),
                ngettext(
                    "Show the {count} quote expiring this week",
                    "Show the {count} quotes expiring this week",
                    counts.expiring_this_week,
                ),
            ),
            "pending_approval": (
                counts.pending_approval,
                ngettext(
                    "{count} pending approval", "{count} pending approval", counts.pending_approval
                ),
                ngettext(
                    "Show the {count} quote pending approval",
                    "Show the {count} quotes pending approval",
                    counts.pending_approval,
                ),
            ),
            "accepted_month": (
                counts.accepted_this_month,
                ngettext(
                    "{count} accepted this month",
                    "{count} accepted this month",
                    counts.accepted_this_month,
                ),
                ngettext(
                    "Show the {count} quote accepted this month",
                    "Show the {count} quotes accepted this month",
                    counts.accepted_this_month,
                ),
            ),
        }
        for code, (count, text, tip) in texts.items():
            button = self.attention[code]
            button.setText(text.format(count=count))
            button.setToolTip(tip.format(count=count))
            font = button.font()
            font.setBold(bool(count) and code != "accepted_month")
            button.setFont(font)

    def filter_to(self, code: str) -> None:
        index = self.status_filter.findData(code)
        if index >= 0:
            self.status_filter.setCurrentIndex(index)

    # --- Page ---------------------------------------------------------------------------------

    def refresh(self, changes: Changes) -> None:
        """Re-query only when quotes or customers (their names show here) changed, or
        another process wrote to the database; the selected quote stays selected."""
        if not (changes.quotes or changes.customers or changes.elsewhere):
            return
        selected = self.selected_id()
        self.model.reload()
        if selected is not None:
            self.select_id(selected)
        self.refresh_attention()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def add_demo_data(self) -> None:
        """The demo data the first run offers, now (after No, or on an emptied database)."""
        from quote_builder.services.demo import is_empty, seed_demo

        if not self.workspace.run(is_empty):
            self.message.setText(_("Demo data goes into an empty database only."))
            return
        try:
            outcome = self.workspace.run(seed_demo, actor=self.workspace.user)
        except UserFacingError as exc:
            self.message.setText(
                _("The demo data was not added: {error}").format(error=error_text(exc))
            )
            return
        if self.window_ is not None:
            self.window_.changed.emit(outcome.changes)
        else:
            self.model.reload()

    def _update_empty(self) -> None:
        """The empty state instead of an empty list (not while a search or filter hides
        quotes: then the count says no quote matches)."""
        empty = (
            not self.model.error  # not "No quotes yet" of quotes that could not be read
            and self.model.total == 0
            and not self.search.text().strip()
            and self.status_filter.currentData() is None
        )
        self.empty.setVisible(empty)
        self.view.setVisible(not empty)

    def new_item(self) -> None:
        if self.window_ is not None:
            self.window_.new_quote()

    # --- selection ----------------------------------------------------------------------------

    def selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def select_id(self, quote_id: int) -> bool:
        row = self.model.row_of(quote_id)
        if row is None:
            return False
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))
        return True

    def _update_buttons(self, *_args: Any) -> None:
        has = self.selected_id() is not None
        self.duplicate_button.setEnabled(has)
        self.open_button.setEnabled(has)
        self.duplicate_action.setEnabled(has)
        self.open_action.setEnabled(has)

    def _update_count(self, *_args: Any) -> None:
        total = self.model.total
        self.count_label.setText(
            ngettext("{count} quote", "{count} quotes", total).format(count=shown(total))
        )
        if self.model.error:
            self._show_error(self.model.error)  # the first load's too
        else:
            self.message.clear()

    def _show_error(self, message: str) -> None:
        self.message.setText(_("The quotes could not be loaded: {message}").format(message=message))

    # --- actions ------------------------------------------------------------------------------

    def _apply_search(self) -> None:
        self._search_timer.stop()
        self.model.set_search(self.search.text())

    def _apply_status(self) -> None:
        self.model.set_filters(status=self.status_filter.currentData())

    def _open_index(self, index: QModelIndex) -> None:
        quote_id = self.model.id_at(index.row())
        if quote_id is not None and self.window_ is not None:
            self.window_.open_quote(quote_id)

    def open_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self._open_index(rows[0])

    def duplicate_selected(self) -> None:
        quote_id = self.selected_id()
        if quote_id is None:
            return
        row = self.model.row_of(quote_id)
        source = self.model.row_at(row) if row is not None else None
        try:
            outcome = self.workspace.run(
                quote_service.duplicate_quote, quote_id, actor=self.workspace.user
            )
        except UserFacingError as exc:
            self.message.setText(
                _("The quote was not duplicated: {error}").format(error=error_text(exc))
            )
            return
        if self.window_ is not None:
            self.window_.changed.emit(outcome.changes)
        else:
            self.refresh(outcome.changes)
        self.select_id(outcome.value.id)
        if source is not None:
            self.message.setText(
                _("Created draft {number} from {source}.").format(
                    number=outcome.value.number, source=source.number
                )
            )
        else:
            self.message.setText(_("Created draft {number}.").format(number=outcome.value.number))

    def _context_menu(self, position: Any) -> None:
        index = self.view.indexAt(position)
        if not index.isValid():
            return
        self.view.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.open_action)
        menu.addAction(self.duplicate_action)
        menu.popup(self.view.viewport().mapToGlobal(position))


def create_page(workspace: Workspace, window: MainWindow) -> Page:
    return QuotesPage(workspace, window)


__all__ = [
    "QUOTE_COLUMNS",
    "QuotesPage",
    "StatusChipDelegate",
    "create_page",
    "format_money",
    "quote_model",
]
