"""Catalog > Price books…: a saved plan's prices set per currency (issue 18 §4).

A price book holds the plan's components (the same ones: ids and kinds) priced in another
currency, set explicitly. A quote in that currency starts from it; a quote in a currency
without one is converted from the plan's prices at the exchange-rate table's rate. A new
book starts from the plan's prices converted at the table's rate when there is one (else
copied), for the user to set each price."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from quote_builder.errors import UserFacingError
from quote_builder.pricing.currency import is_currency
from quote_builder.pricing.factory import component_from_dict
from quote_builder.services import currencies
from quote_builder.services.plans import get_plan, plan_components
from quote_builder.services.workspace import Workspace
from quote_builder.store.models import PlanPublic

from . import colours
from .component_editor import ComponentListEditor, mark_invalid
from .i18n import _, error_text, joined
from .locale_numbers import shown
from .reason_words import CURRENCY_CODE_MAX, currency_too_long, with_limit


class PriceBookDialog(QDialog):
    """Choose a currency, edit its prices, save or remove the book."""

    def __init__(
        self, workspace: Workspace, plan: PlanPublic, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("price_books")
        self.setWindowTitle(_("Price books: {plan}").format(plan=plan.name))
        self.workspace = workspace
        self.plan = plan
        self.currency = QComboBox()
        self.currency.setObjectName("price_book_currency")
        self.currency.setToolTip(_("The price book to edit"))
        self.new_currency = QLineEdit()
        self.new_currency.setObjectName("price_book_new_currency")
        self.new_currency.setPlaceholderText(_("e.g. EUR"))
        # No maxLength (Qt would cut a pasted "EURO" to "EUR" without a word): a longer
        # code is kept, marked with its length, and Add price book refuses it.
        self.new_currency.setToolTip(
            with_limit(
                _("An ISO 4217 code for a new price book, e.g. EUR, GBP or JPY."), CURRENCY_CODE_MAX
            )
        )
        self.new_currency.textChanged.connect(
            lambda text: mark_invalid(self.new_currency, currency_too_long(text))
        )
        add = QPushButton(_("Add price book"))
        add.setObjectName("price_book_add")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.editor = ComponentListEditor()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        save = QPushButton(_("Save price book"))
        save.setObjectName("price_book_save")
        remove = QPushButton(_("Remove price book"))
        remove.setObjectName("price_book_remove")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Prices in")))
        top.addWidget(self.currency, 1)
        top.addSpacing(12)
        top.addWidget(self.new_currency)
        top.addWidget(add)
        bottom = QHBoxLayout()
        bottom.addWidget(remove)
        bottom.addStretch(1)
        bottom.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        layout.addWidget(close)
        add.clicked.connect(self.add_book)
        save.clicked.connect(self.save)
        remove.clicked.connect(self.remove)
        close.rejected.connect(self.reject)
        self.currency.currentIndexChanged.connect(self.show_book)
        self.resize(900, 620)
        self._fill()

    def _books(self) -> dict[str, list[dict[str, Any]]]:
        return currencies.price_books(self.plan)

    def _fill(self, chosen: str | None = None) -> None:
        blocked = self.currency.blockSignals(True)
        self.currency.clear()
        for code in sorted(self._books()):
            self.currency.addItem(code, code)
        if chosen is not None:
            self.currency.setCurrentIndex(max(0, self.currency.findData(chosen)))
        self.currency.blockSignals(blocked)
        self.show_book()

    def show_book(self) -> None:
        code = self.currency.currentData()
        self.editor.set_currency(code or self.plan.currency)
        if code is None:
            self.note.setText(
                _(
                    "The plan's own prices are in {currency}. Add a price book to set them in "
                    "another currency."
                ).format(currency=self.plan.currency)
            )
            self.editor.set_components([])
            self.editor.setEnabled(False)
            return
        self.editor.setEnabled(True)
        self.note.setText(
            _("The plan's prices in {currency}, set explicitly.").format(currency=code)
        )
        self.editor.set_components([component_from_dict(c) for c in self._books()[code]])

    def add_book(self) -> None:
        code = self.new_currency.text().strip().upper()
        field = _("New price book")
        long = currency_too_long(code)
        if long:  # its length said: the user cuts it, not the app
            self._say(_("{field}: {reason}").format(field=field, reason=long), error=True)
            return
        if not is_currency(code):
            self._say(
                _(
                    "{field}: {code} is not a currency; use an ISO 4217 code such as USD, "
                    "EUR or JPY."
                ).format(field=field, code=code or "''"),
                error=True,
            )
            return
        self._say("", error=False)
        if code in self._books():
            self._fill(code)
            return
        try:
            start = self.workspace.run(currencies.plan_in_currency, self.plan.id, code)
            components = [component_from_dict(c) for c in start.components]
            note = (
                _(
                    "Starting from the plan's prices converted at {rate}: set each price in "
                    "{currency}, then save the price book."
                ).format(rate=shown(start.exchange_rate.rate), currency=code)
                if start.exchange_rate is not None and start.exchange_rate.converted_prices
                else _(
                    "Starting from the plan's prices: set each price in {currency}, then save "
                    "the price book."
                ).format(currency=code)
            )
        except UserFacingError:
            components = plan_components(self.plan)
            note = _(
                "Starting from the plan's prices as they are (no exchange rate): set each "
                "price in {currency}, then save the price book."
            ).format(currency=code)
        blocked = self.currency.blockSignals(True)
        self.currency.addItem(code, code)
        self.currency.setCurrentIndex(self.currency.count() - 1)
        self.currency.blockSignals(blocked)
        self.editor.setEnabled(True)
        self.editor.set_currency(code)
        self.editor.set_components(components)
        self.note.setText(note)

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(colours.text_style("error") if error else "")
        self.message.setVisible(bool(text))

    def _run(self, components: Any) -> bool:
        code = self.currency.currentData()
        if code is None:
            self._say(_("Add a price book first."), error=True)
            return False
        try:
            outcome = self.workspace.run(
                currencies.set_price_book,
                self.plan.id,
                code,
                components,
                expected_version=self.plan.version_id,
                actor=self.workspace.user,
            )
        except UserFacingError as exc:
            self._say(error_text(exc), error=True)
            return False
        self.plan = outcome.value
        return True

    def save(self) -> None:
        if self.editor.errors():
            self._say(
                _("Fix before saving: {problems}").format(problems=joined(self.editor.messages())),
                error=True,
            )
            return
        if self._run(self.editor.components()):
            code = self.currency.currentData()
            self._say(_("Price book {currency} saved.").format(currency=code), error=False)
            self._fill(code)

    def remove(self) -> None:
        code = self.currency.currentData()
        if self._run(None):
            self._say(_("Price book {currency} removed.").format(currency=code), error=False)
            self._fill()


def open_price_books(
    workspace: Workspace, plan_id: int, parent: QWidget | None = None
) -> PlanPublic:
    """Show the dialog for the saved plan; the plan as it is afterwards."""
    dialog = PriceBookDialog(workspace, workspace.run(get_plan, plan_id), parent)
    dialog.exec()
    return dialog.plan
