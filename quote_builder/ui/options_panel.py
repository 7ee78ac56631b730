"""The editor's Options tab (issue 17, §2): the quote's two or three options side by side,
and a what-if panel.

The quote's own priced fields are the working copy the other tabs edit; **Keep as option**
stores them as an option (good / better / best, 12 / 24 / 36 months, two pricing models for
the same usage), **Load into the working copy** brings an option back to change it and
**Update from the working copy** stores the change. Each is one undo step (the editor's
``apply_data``). The comparison prices every option on its own (``pricing.options``):
average monthly bill and first-year fees, TCV, gross margin per contract year, warnings,
whether and by whom it must be approved, and the usage log's monthly bill range when the
quote keeps a log. An option's pricing is cached by its content, so typing in the working
copy reprices the working copy only.

The what-if panel moves term length, deal discount and escalator of the working copy or of
one option on sliders; TCV, margin and approval need follow live (one pricing per move,
within the 16 ms budget: benchmarks/bench_ui.py); **Apply to the working copy** makes it an
edit.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quote_builder.approvals.policy import ApprovalPolicy, RateTable, evaluate
from quote_builder.pricing import PricedQuote, QuoteDocument, price
from quote_builder.pricing.document import MAX_OPTIONS, OPTION_FIELDS
from quote_builder.pricing.evidence import evidence_bills
from quote_builder.pricing.quote_format import QuoteFileError, quote_from_data

from . import colours, geometry, locale_format
from .i18n import _, error_text, joined, ngettext
from .i18n import language as ui_language
from .labels import label as enum_label
from .reason_words import problem_text

WORKING = "__working__"
"""The what-if's and the table's key for the working copy."""

Apply = Callable[[dict[str, Any], str], None]


def _money(amount: Decimal, currency: str) -> str:
    return locale_format.money(amount, currency)


def _pct(value: Decimal | None) -> str:
    return locale_format.percent(value, 1)


def _deal_discount(data: dict[str, Any]) -> dict[str, Any] | None:
    """The discount the what-if's slider moves: the first on the whole deal, as a percent,
    for the whole term (None without one)."""
    return next(
        (
            d
            for d in data.get("discounts") or []
            if d.get("component") is None and d.get("percent") and not d.get("months")
        ),
        None,
    )


def _alone(document: QuoteDocument) -> QuoteDocument:
    """The working copy without its options (judged on its own: the approval need of the
    quote with its options would price every option again)."""
    if document.options is None and document.chosen_option is None:
        return document
    return document.model_copy(update={"options": None, "chosen_option": None})


class _Unlaid(QWidget):
    """Holds one label that fills it, outside any layout: a label's new text asks the
    layouts around it to lay out again, up to the editor's tab widget, which then repaints
    its whole page (3-4 ms of each edit while the Options tab shows the what-if). Here the
    request stops at this holder; its size follows the label's size hints (a font change
    lays it out again)."""

    def __init__(self, label: QLabel) -> None:
        super().__init__()
        self._label = label
        label.setParent(self)
        self.setSizePolicy(label.sizePolicy())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self._label.sizeHint().expandedTo(self._label.minimumSize())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        # At least one line of the label's font: a tab short of room squeezed the result
        # below its text (12 pixels for a 28-pixel line at twice the font).
        hint = self._label.minimumSizeHint().expandedTo(self._label.minimumSize())
        return hint.expandedTo(QSize(0, self._label.fontMetrics().lineSpacing()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        self._label.setGeometry(self.rect())
        super().resizeEvent(event)


class OptionsPanel(QWidget):
    """See the module text. ``apply(data, label)`` makes ``data`` the quote in one step."""

    def __init__(self, apply: Apply, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._apply = apply
        self._data: dict[str, Any] = {}
        self._working: QuoteDocument | None = None
        self._working_priced: PricedQuote | None = None
        self.policy: ApprovalPolicy | None = None
        self.rates: RateTable | None = None
        """The exchange-rate table the options' rates are checked against (the editor's)."""
        self._cache: dict[tuple[tuple[str, int], ...], tuple[Any, Any]] = {}
        self._approvals: dict[int, tuple[PricedQuote, str]] = {}
        self._written: dict[int, tuple[Any, tuple[int, str, str, str], list[str]]] = {}
        """id of an option's (document, pricing, bills) -> (that tuple, (years, currency,
        locale), its cells as written): see ``_figures``."""
        self._moved = False
        """Whether the sliders were moved since they last showed the quote's values (until
        then they follow the working copy as it is edited)."""
        self._exact: dict[str, tuple[int, Decimal]] = {}
        """Slider name -> (the position it was put at, the quote's own value): a slider
        still there stands for that value (12.5 % on a slider of whole percents, a term of
        72 months on one up to 60), so the what-if starts from the quote as it is."""
        """The identities of an option's parts -> (the parts, (document, pricing, usage-log
        bills) or the problem)."""
        # The page scrolls when the tab is shorter than it needs (a large font, a small
        # screen): squeezed below its minimum, the what-if's result was cut to half a line.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop nobody sees
        scroll.setObjectName("options_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        scroll.setWidget(content)
        outer.addWidget(scroll)
        layout = QVBoxLayout(content)
        intro = QLabel(
            _(
                "Put two or three offers side by side: build one in the other tabs (the working "
                "copy), keep it as an option, change the working copy, keep the next. The "
                "proposal shows the options side by side and recommends one; the order form is "
                "for the option the customer chooses."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, 1)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (no mouse)
        self.table.setObjectName("options_table")
        self.table.setAccessibleName(_("Options compared"))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)

        keep = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setObjectName("option_name")
        self.name.setPlaceholderText(_("Option name, e.g. Better: two years"))
        self.description = QLineEdit()
        self.description.setObjectName("option_description")
        self.description.setPlaceholderText(
            _("What it offers, in a sentence (the proposal shows it)")
        )
        self.keep_button = QPushButton(_("Keep as option"))
        self.keep_button.setObjectName("keep_option")
        self.keep_button.setToolTip(_("Store the working copy's prices and terms as a new option"))
        self.keep_button.clicked.connect(self.keep_working_copy)
        # The name with its button, the sentence under them: side by side, the German
        # placeholders ("Name der Option, z. B. Besser: zwei Jahre") were cut off.
        for edit in (self.name, self.description):
            geometry.fit_placeholder(edit)
        keep.addWidget(self.name, 1)
        keep.addWidget(self.keep_button)
        layout.addLayout(keep)
        layout.addWidget(self.description)

        # The option and its buttons take two rows: in one (seven widgets, longer in German)
        # they made the tab 800 pixels wide, and the editor could not be narrower than 1150
        # (a 1024 screen cut off the totals).
        act = QGridLayout()
        self.chosen = QComboBox()
        self.chosen.setObjectName("option_pick")
        self.chosen.setAccessibleName(_("Option"))
        self.chosen.setToolTip(_("The option the buttons beside act on"))
        act.addWidget(QLabel(_("Option:")), 0, 0)
        act.addWidget(self.chosen, 0, 1)
        act.setColumnStretch(1, 1)
        self.buttons: dict[str, QPushButton] = {}
        places = ((0, 2), (0, 3), (1, 1), (1, 2), (1, 3))
        for key, text, tip, slot in (
            (
                "load",
                _("Load into working copy"),
                _("Edit this option in the other tabs"),
                self.load,
            ),
            (
                "update",
                _("Update from working copy"),
                _("Store the working copy in this option"),
                self.update_option,
            ),
            ("recommend", _("Recommend"), _("The proposal recommends this option"), self.recommend),
            ("choose", _("Customer chose it"), _("The order form is for this option"), self.choose),
            ("remove", _("Remove"), _("Remove this option"), self.remove),
        ):
            button = QPushButton(text)
            button.setObjectName(f"option_{key}")
            button.setToolTip(tip)
            button.clicked.connect(slot)
            act.addWidget(button, *places[len(self.buttons)])
            self.buttons[key] = button
        layout.addLayout(act)
        self.message = QLabel()
        self.message.setObjectName("options_message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(self._what_if_box())

    # --- what-if ---------------------------------------------------------------------------

    def _what_if_box(self) -> QGroupBox:
        box = QGroupBox(_("What if"))
        form = QFormLayout(box)
        self.what_if_of = QComboBox()
        self.what_if_of.setObjectName("what_if_of")
        self.what_if_of.activated.connect(lambda _i: self._reset_what_if())
        form.addRow(_("Start from"), self.what_if_of)
        self.term_slider = self._slider("what_if_term", 1, 60, _("Term length in months"))
        self.discount_slider = self._slider("what_if_discount", 0, 50, _("Deal discount, percent"))
        self.escalator_slider = self._slider(
            "what_if_escalator", 0, 20, _("Annual escalator in half percents (0 to 10 %)")
        )
        self.term_label, self.discount_label, self.escalator_label = QLabel(), QLabel(), QLabel()
        for label, slider, text in (
            (self.term_label, self.term_slider, _("Term")),
            (self.discount_label, self.discount_slider, _("Deal discount")),
            (self.escalator_label, self.escalator_slider, _("Annual escalator")),
        ):
            row = QHBoxLayout()
            row.addWidget(slider, 1)
            widest = ngettext("{count} month", "{count} months", 120).format(count=120)
            label.setMinimumWidth(label.fontMetrics().horizontalAdvance(widest + "  "))
            row.addWidget(_Unlaid(label))
            form.addRow(text, row)
        self.what_if_result = QLabel()
        self.what_if_result.setObjectName("what_if_result")
        # One line, its width not from its text: a new total is repainted, not relaid out.
        self.what_if_result.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.what_if_result.setTextFormat(Qt.TextFormat.RichText)
        form.addRow(_Unlaid(self.what_if_result))
        buttons = QHBoxLayout()
        self.apply_button = QPushButton(_("Apply to the working copy"))
        self.apply_button.setObjectName("what_if_apply")
        self.apply_button.setToolTip(
            _("Make these the working copy's term, discount and escalator")
        )
        self.apply_button.clicked.connect(self.apply_what_if)
        reset = QPushButton(_("Reset"))
        reset.setObjectName("what_if_reset")
        reset.setToolTip(_("Back to the values of the quote or option"))
        reset.clicked.connect(self._reset_what_if)
        buttons.addStretch(1)
        buttons.addWidget(reset)
        buttons.addWidget(self.apply_button)
        form.addRow(buttons)
        return box

    def _slider(self, name: str, low: int, high: int, tip: str) -> QSlider:
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setObjectName(name)
        slider.setRange(low, high)
        slider.setToolTip(tip)
        slider.setAccessibleName(tip)
        slider.valueChanged.connect(self._moved_by_user)
        return slider

    def _moved_by_user(self, _value: int) -> None:
        self._moved = True
        self.update_what_if()

    def what_if_base(self) -> dict[str, Any] | None:
        """The data the sliders start from: the working copy or one option alone."""
        key = self.what_if_of.currentData()
        if key in (None, WORKING):
            return self._working_data()
        for option in self._data.get("options") or []:
            if option.get("key") == key:
                return self._option_data(option)
        return None

    def _working_data(self) -> dict[str, Any]:
        """The working copy alone (without the options it holds); a shallow copy: only
        its top-level fields are replaced, never changed in place."""
        return {k: v for k, v in self._data.items() if k not in ("options", "chosen_option")}

    def _sliders_at_base(self) -> bool:
        """Whether the sliders show the working copy's own values (then its pricing, done
        for the summary already, is the what-if's: no second pricing per edit)."""
        data = self._data
        deal = _deal_discount(data)
        percent = Decimal(str(deal["percent"])) if deal is not None else Decimal(0)
        return (
            self.what_if_of.currentData() in (None, WORKING)
            and self._term() == int(data.get("term_months") or 0)
            and self._discount() == percent
            and self._escalator() == Decimal(str(data.get("escalator_percent") or 0))
        )

    def _exact_or(self, slider: QSlider, value: Decimal) -> Decimal:
        """The quote's own value while ``slider`` is where it was put for it, else
        ``value`` (the slider's)."""
        known = self._exact.get(slider.objectName())
        if known is not None and known[0] == slider.value():
            return known[1]
        return value

    def _term(self) -> int:
        return int(self._exact_or(self.term_slider, Decimal(self.term_slider.value())))

    def _discount(self) -> Decimal:
        return self._exact_or(self.discount_slider, Decimal(self.discount_slider.value()))

    def _escalator(self) -> Decimal:
        return self._exact_or(self.escalator_slider, Decimal(self.escalator_slider.value()) / 2)

    def what_if_data(self) -> dict[str, Any] | None:
        found = self.what_if_base()
        if found is None:
            return None
        base = dict(found)  # a shallow copy: the fields below are replaced, not changed
        base["term_months"] = self._term()
        base["escalator_percent"] = str(self._escalator())
        # Only the deal discount the slider shows is replaced: a discount for the first
        # months, one on a component and a second one on the deal are kept as they are.
        deal = _deal_discount(base)
        percent = self._discount()
        shown = dict(deal) if deal is not None else {"description": "Deal discount"}
        shown["percent"] = str(percent)
        discounts = [shown if d is deal else d for d in base.get("discounts") or []]
        if deal is None:
            discounts.insert(0, shown)
        base["discounts"] = [d for d in discounts if d is not shown or percent]
        return base

    def _reset_what_if(self) -> None:
        base = self.what_if_base()
        if base is None:
            return
        deal = _deal_discount(base)
        term = Decimal(int(base.get("term_months") or 12))
        discount = Decimal(str(deal["percent"])) if deal else Decimal(0)
        escalator = Decimal(str(base.get("escalator_percent") or 0))
        self._exact = {}
        for slider, exact, position in (
            (self.term_slider, term, term),
            (self.discount_slider, discount, discount),
            (self.escalator_slider, escalator, escalator * 2),
        ):
            blocked = slider.blockSignals(True)
            slider.setValue(int(position.to_integral_value(rounding=ROUND_HALF_UP)))
            slider.blockSignals(blocked)
            self._exact[slider.objectName()] = (slider.value(), exact)
        self._moved = False
        self.update_what_if()

    def update_what_if(self) -> None:
        """TCV, margin and approval need of the sliders' quote: one pricing per move."""
        term = self._term()
        self.term_label.setText(
            ngettext("{count} month", "{count} months", term).format(count=term)
        )
        self.discount_label.setText(locale_format.discount_percent(self._discount()))
        self.escalator_label.setText(locale_format.percent(self._escalator(), 1))
        data = self.what_if_data()
        if data is None:
            self.what_if_result.setText("")
            return
        try:
            if self._sliders_at_base() and self._working is not None and self._working_priced:
                doc, priced = _alone(self._working), self._working_priced
            else:
                doc = quote_from_data(data)
                priced = price(doc)
        except (QuoteFileError, ArithmeticError, ValueError) as exc:
            problems = exc.problems if isinstance(exc, QuoteFileError) else [str(exc)]
            self.what_if_result.setText(
                _("Cannot be priced: {problems}").format(
                    problems=joined(problem_text(p, data) for p in problems[:2])
                )
            )
            return
        approval = self._approval(doc, priced)
        margin = priced.gross_margin_percent
        colour = (
            colours.colour("error")
            if margin is None
            or (priced.margin_floor_percent is not None and margin < priced.margin_floor_percent)
            else colours.colour("ok")
        )
        self.what_if_result.setText(
            _(
                "TCV <b>{tcv}</b> · average month {average_monthly} · gross margin <span style='color:{colour}'><b>{margin}</b></span> · {approval}"
            ).format(
                tcv=_money(priced.tcv, priced.currency),
                average_monthly=_money(priced.average_monthly, priced.currency),
                colour=colour,
                margin=_pct(margin),
                approval=approval,
            )
        )

    def apply_what_if(self) -> None:
        data = self.what_if_data()
        if data is None:
            return
        new = copy.deepcopy(self._data)
        for field in ("term_months", "escalator_percent", "discounts"):
            new[field] = data[field]
        if not new["discounts"]:
            new.pop("discounts")
        self._apply(new, _("What if: term, discount and escalator"))

    def _approval(self, doc: QuoteDocument, priced: PricedQuote) -> str:
        """Whether (and by whom) ``doc`` must be approved; once per pricing (the options'
        pricings are cached, so their approval need is too)."""
        known = self._approvals.get(id(priced))
        if known is not None and known[0] is priced:
            return known[1]
        text = self._judge(doc, priced)
        self._approvals[id(priced)] = (priced, text)
        if len(self._approvals) > 64:
            self._approvals.pop(next(iter(self._approvals)))
        return text

    def _judge(self, doc: QuoteDocument, priced: PricedQuote) -> str:
        if self.policy is None:
            return _("approval need unknown")
        judged = evaluate(doc, priced, self.policy, self.rates)
        if not judged.needed:
            return _("no approval needed")
        return _("needs approval: {role}").format(
            role=enum_label(judged.required_role or "deal_desk")
        )

    # --- showing -------------------------------------------------------------------------------

    def _option_data(self, option: dict[str, Any]) -> dict[str, Any]:
        """One option alone, as quote data (shallow: read, never changed in place)."""
        data = self._working_data()
        for field in OPTION_FIELDS:
            data.pop(field, None)
            if field in option:
                data[field] = option[field]
        return data

    def _priced_option(
        self, option: dict[str, Any]
    ) -> tuple[QuoteDocument, PricedQuote, Any] | str:
        """An option priced, cached by its content: the editor replaces a part of the quote
        data when it changes and keeps the others, so the parts' identities say whether
        anything the option reads changed (the entry holds them, so no id is reused while
        cached). A content key (JSON) cost milliseconds per option per keystroke."""
        data = self._option_data(option)
        parts = tuple(sorted(data.items(), key=lambda kv: kv[0]))
        key = tuple((name, id(value)) for name, value in parts)
        entry = self._cache.get(key)
        if entry is None or any(
            a is not b for (_n, a), (_m, b) in zip(entry[0], parts, strict=True)
        ):
            result: tuple[QuoteDocument, PricedQuote, Any] | str
            try:
                doc = quote_from_data(data)
                priced = price(doc)
                bills = evidence_bills(doc) if doc.usage_evidence is not None else None
                result = (doc, priced, bills)
            except QuoteFileError as exc:
                result = joined(problem_text(p, data) for p in exc.problems[:2])
            except (ArithmeticError, ValueError) as exc:
                result = _("cannot be priced: {error}").format(error=error_text(exc))
            entry = (parts, result)
            self._cache[key] = entry
            if len(self._cache) > 32:
                self._cache.pop(next(iter(self._cache)))
        return entry[1]

    def show_quote(
        self, data: dict[str, Any], working: QuoteDocument | None, priced: PricedQuote | None
    ) -> None:
        """The options of ``data`` beside the working copy (priced as ``priced``). ``data``
        is the editor's, read only (the actions build new data from a deep copy)."""
        self._data = data
        self._working, self._working_priced = working, priced
        options = list(data.get("options") or [])
        columns: list[tuple[str, str, Any]] = [
            (_("Working copy"), WORKING, (_alone(working) if working else None, priced, None))
        ]
        for option in options:
            title = option.get("name") or option.get("key")
            if option.get("recommended"):
                title = _("{name} ★ recommended").format(name=title)
            if data.get("chosen_option") == option.get("key"):
                title = _("{name} ✔ chosen").format(name=title)
            columns.append((title, option.get("key"), self._priced_option(option)))
        self._fill_table(columns, data)
        self._fill_choices(options)
        self.keep_button.setEnabled(len(options) < MAX_OPTIONS and working is not None)
        self.keep_button.setToolTip(
            _("Store the working copy's prices and terms as a new option")
            if len(options) < MAX_OPTIONS
            else _("A quote holds at most {maximum} options").format(maximum=MAX_OPTIONS)
        )
        for button in self.buttons.values():
            button.setEnabled(bool(options))
        if not self._moved:
            self._reset_what_if()  # the sliders show the quote as edited
        else:
            self.update_what_if()

    def _fill_choices(self, options: list[dict[str, Any]]) -> None:
        for combo, with_working in ((self.chosen, False), (self.what_if_of, True)):
            items: list[tuple[str, Any]] = (
                [(_("The working copy"), WORKING)] if with_working else []
            )
            items += [(str(o.get("name") or o.get("key")), o.get("key")) for o in options]
            shown = [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]
            if shown == items:
                continue  # refilling a combo relays out the panel on every edit
            current = combo.currentData()
            blocked = combo.blockSignals(True)
            combo.clear()
            for text, key in items:
                combo.addItem(text, key)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(blocked)
        if (
            self.what_if_of.currentData() == WORKING
            and self.what_if_of.property("initialised") is None
        ):
            self.what_if_of.setProperty("initialised", True)
            self._reset_what_if()

    def _fill_table(self, columns: list[tuple[str, str, Any]], data: dict[str, Any]) -> None:
        currency = str(data.get("currency") or "USD")
        years = max(
            (
                len(c[2][1].years)
                for c in columns
                if isinstance(c[2], tuple) and c[2][1] is not None
            ),
            default=1,
        )
        labels = [
            _("Average month, year 1"),
            _("First-year fees"),
            "TCV",
            _("Gross margin"),
            *[_("Margin, year {year}").format(year=y) for y in range(1, years + 1)],
            _("Warnings"),
            _("Approval"),
            _("Monthly bill over the usage log"),
        ]
        shape = (len(labels), len(columns))
        reshaped = shape != (self.table.rowCount(), self.table.columnCount() - 1)
        if reshaped:
            self.table.setColumnCount(len(columns) + 1)
            self.table.setRowCount(len(labels))
        titles = ["", *[c[0] for c in columns]]
        shown: list[str | None] = []
        for i in range(self.table.columnCount()):
            header = self.table.horizontalHeaderItem(i)
            shown.append(header.text() if header is not None else None)
        if shown != titles:  # a header relaid out and repainted the whole table every edit
            self.table.setHorizontalHeaderLabels(titles)
        for row, label in enumerate(labels):
            self._set_cell(row, 0, label, left=True)
        for col, (_title, _key, priced_or_problem) in enumerate(columns, start=1):
            for row, text in enumerate(self._cells(priced_or_problem, years, currency)):
                self._set_cell(row, col, text)
        if reshaped:
            self.table.resizeRowsToContents()

    def _set_cell(self, row: int, col: int, text: str, *, left: bool = False) -> None:
        """Change a cell's text only when it differs (an edit repaints what changed)."""
        item = self.table.item(row, col)
        if item is None:
            item = QTableWidgetItem(text)
            if not left:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, col, item)
        elif item.text() != text:
            item.setText(text)

    def _cells(self, priced_or_problem: Any, years: int, currency: str) -> list[str]:
        rows = 8 + years - 1
        if isinstance(priced_or_problem, str):
            return [priced_or_problem] + [""] * (rows - 1)
        doc, priced, bills = priced_or_problem
        if doc is None or priced is None:
            return [_("cannot be priced (see the summary)")] + [""] * (rows - 1)
        cells = list(self._figures(priced_or_problem, years, currency))
        cells[-2] = self._approval(doc, priced)
        return cells

    def _figures(self, priced_or_problem: Any, years: int, currency: str) -> list[str]:
        """The column's cells but the approval, written once per option pricing: a kept
        option's (document, pricing, bills) is the same object while its content is (the
        cache of ``_priced_option``), so only the working copy's figures are written again
        on an edit (babel's formatting is 40 us a number). The one before last is a
        placeholder for the approval cell, which ``_approval`` keeps per pricing."""
        shown = (years, currency, locale_format.user_locale(), ui_language())
        known = self._written.get(id(priced_or_problem))
        if known is not None and known[0] is priced_or_problem and known[1] == shown:
            return known[2]
        figures = self._write_figures(priced_or_problem, years, currency)
        self._written[id(priced_or_problem)] = (priced_or_problem, shown, figures)
        if len(self._written) > 32:
            self._written.pop(next(iter(self._written)))
        return figures

    def _write_figures(self, priced_or_problem: Any, years: int, currency: str) -> list[str]:
        doc, priced, bills = priced_or_problem
        margins = [y.gross_margin_percent for y in priced.years]
        blocking = sum(1 for w in priced.warnings if w.severity == "blocking")
        log_cell = (
            _("no usage log")
            if doc.usage_evidence is None
            else f"{_money(bills.low, currency)} – {_money(bills.high, currency)}"
            if bills is not None and not bills.incomplete
            else _("in the summary")  # the working copy's: computed when edits pause
            if bills is None
            else _("n/a")
        )
        return [
            _money(priced.average_monthly, currency),
            _money(priced.first_year_acv, currency),
            _money(priced.tcv, currency),
            _pct(priced.gross_margin_percent),
            *[_pct(m) for m in margins],
            *[""] * (years - len(margins)),
            ngettext(
                "{count} ({blocking} blocking)", "{count} ({blocking} blocking)", blocking
            ).format(count=len(priced.warnings), blocking=blocking)
            if blocking
            else f"{len(priced.warnings)}",
            "",  # the approval: see _cells
            log_cell,
        ]

    # --- actions ---------------------------------------------------------------------------

    def _selected(self) -> str | None:
        key = self.chosen.currentData()
        return str(key) if key is not None else None

    def _options(self) -> list[dict[str, Any]]:
        return copy.deepcopy(list(self._data.get("options") or []))

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def keep_working_copy(self) -> None:
        options = self._options()
        name = self.name.text().strip()
        if not name:
            self._say(_("Give the option a name first (the proposal shows it)."))
            return
        if any(o.get("name", "").strip().lower() == name.lower() for o in options):
            self._say(
                _("An option is already called {name}; give this one another name.").format(
                    name=name
                )
            )
            return
        if len(options) >= MAX_OPTIONS:
            self._say(_("A quote holds at most {maximum} options.").format(maximum=MAX_OPTIONS))
            return
        used = {o.get("key") for o in options}
        key = next(k for k in ("a", "b", "c", "d") if k not in used)
        option: dict[str, Any] = {"key": key, "name": name}
        if self.description.text().strip():
            option["description"] = self.description.text().strip()
        for field in OPTION_FIELDS:
            if field in self._data:
                option[field] = copy.deepcopy(self._data[field])
        options.append(option)
        new = copy.deepcopy(self._data)
        new["options"] = options
        if len(options) == 1:
            self._say(
                _(
                    "Kept {name}. Change the working copy and keep it again: a quote's options count from two."
                ).format(name=name)
            )
        else:
            self._say(_("Kept {name}.").format(name=name))
        self.name.clear()
        self.description.clear()
        self._apply(new, _("Keep option {name}").format(name=name))

    def _with_option(
        self, change: Callable[[dict[str, Any], list[dict[str, Any]]], str | None]
    ) -> None:
        key = self._selected()
        options = self._options()
        target = next((o for o in options if o.get("key") == key), None)
        if target is None:
            return
        new = copy.deepcopy(self._data)
        label = change(target, options)
        if label is None:
            return
        new["options"] = options
        if new.get("chosen_option") not in {o.get("key") for o in options}:
            new.pop("chosen_option", None)
        if not options:
            new.pop("options", None)
        self._apply(new, label)

    def load(self) -> None:
        key = self._selected()
        option = next((o for o in self._options() if o.get("key") == key), None)
        if option is None:
            return
        new = copy.deepcopy(self._data)
        for field in OPTION_FIELDS:
            new.pop(field, None)
            if field in option:
                new[field] = copy.deepcopy(option[field])
        self._apply(
            new, _("Load option {name} into the working copy").format(name=option.get("name"))
        )

    def update_option(self) -> None:
        def change(option: dict[str, Any], _options: list[dict[str, Any]]) -> str:
            for field in OPTION_FIELDS:
                option.pop(field, None)
                if field in self._data:
                    option[field] = copy.deepcopy(self._data[field])
            return _("Update option {name}").format(name=option.get("name"))

        self._with_option(change)

    def recommend(self) -> None:
        def change(option: dict[str, Any], options: list[dict[str, Any]]) -> str:
            for other in options:
                other.pop("recommended", None)
            option["recommended"] = True
            return _("Recommend {name}").format(name=option.get("name"))

        self._with_option(change)

    def choose(self) -> None:
        key = self._selected()
        option = next((o for o in self._options() if o.get("key") == key), None)
        if option is None:
            return
        new = copy.deepcopy(self._data)
        new["chosen_option"] = key
        self._apply(new, _("The customer chose {name}").format(name=option.get("name")))

    def remove(self) -> None:
        def change(option: dict[str, Any], options: list[dict[str, Any]]) -> str:
            options.remove(option)
            return _("Remove option {name}").format(name=option.get("name"))

        self._with_option(change)


__all__ = ["OptionsPanel"]
