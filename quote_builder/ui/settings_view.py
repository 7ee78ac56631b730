"""The Settings page: the seller profile printed on proposals, the logo, the default
currency of new quotes, and the deal-desk policy numbers (margin floor, discount authority
per role).

With an organisation policy installed, the numbers it governs are read-only and say where
they come from ("From policy 3f2a:… (serial 2), signed by Acme until 2027-03-31"); a value
someone changed in the database by hand is reported, and the policy's value is shown.
**Install policy file…** installs a newer signed bundle.

The form validates as the user types (through the store's settings model, so the page
never accepts what the service would refuse); Save stays disabled until the form is valid
and changed. Saves carry the version the page loaded: a change made meanwhile by someone
else is refused (ConflictError) and offered for reloading, never overwritten.

**Exchange rates** (``exchange_rates.ExchangeRatesBox``) are part of the form: what is set,
edited, removed or imported there waits for Save settings, which saves it with the fields
in one transaction (``settings.save_settings_page``); Discard changes drops it. What acts at
once is a button ending in "…" that opens its own dialog (a certificate, a policy file, the
legal texts in other languages), and the Language (this person's, kept in QSettings and
applied from the next start, as the box says).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from quote_builder.pricing.currency import MINOR_UNITS
from quote_builder.pricing.legal import (
    JURISDICTION_FIELDS,
    LegalFrame,
    jurisdiction_given,
    shipped_jurisdiction_fits,
)
from quote_builder.services.core import (
    Changes,
    ConflictError,
    InvalidInputError,
    ServiceError,
    problems_from,
)
from quote_builder.services.settings import (
    LEGAL_FIELD_TITLES,
    ROLES,
    SettingsPublic,
    get_settings,
    logo_problem,
    save_settings_page,
)
from quote_builder.services.workspace import Workspace
from quote_builder.store.models import SettingsBase

from . import colours, geometry, service_words
from . import shortcuts as keys
from .component_editor import (
    error_label,
    mark_invalid,
    save_and_revert_buttons,
)
from .i18n import N_, _, error_message, error_text, problem_texts
from .locale_numbers import field_text, reason, shown, stored_text
from .number_fields import WholeNumberBox, align_number
from .pages import Page
from .reason_words import CURRENCY_CODE_MAX, too_long, with_limit

if TYPE_CHECKING:
    from .main_window import MainWindow

COMMON_CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "INR")
ROLE_TITLES = {"rep": N_("Sales rep"), "manager": N_("Sales manager"), "deal_desk": N_("Deal desk")}
ROLE_WORDS = {"rep": N_("sales rep"), "manager": N_("sales manager"), "deal_desk": N_("deal desk")}
"""A role inside a sentence."""
ROLE_HELP = {
    "rep": N_("The largest discount, in percent, a sales rep may give without approval."),
    "manager": N_(
        "The largest discount, in percent, a sales manager may approve; above it the "
        "deal desk decides."
    ),
    "deal_desk": N_("The largest discount, in percent, the deal desk may approve (100: any)."),
}
FIELD_TITLES = {
    "seller_name": N_("Name"),
    "seller_legal_name": N_("Legal name"),
    "seller_address": N_("Address"),
    "seller_email": N_("Email"),
    "seller_country": N_("Country"),
    "seller_tax_id": N_("Tax ID"),
    "seller_signatory": N_("Signatory"),
    "seller_signatory_title": N_("Signatory's title"),
    "logo_path": N_("Logo"),
    "default_currency": N_("Default currency"),
    "margin_floor_percent": N_("Margin floor"),
    "min_escalator_percent": N_("Lowest escalator"),
    "authority_rep": N_("Discount authority of the sales rep"),
    "authority_manager": N_("Discount authority of the sales manager"),
    "authority_deal_desk": N_("Discount authority of the deal desk"),
    "approval_term_months": N_("Longest term without approval"),
    "max_payment_terms_days": N_("Longest payment terms"),
}
LOGO_FILTER = N_("Images (*.png *.jpg *.jpeg *.svg);;All files (*)")


def _percent(text: str) -> tuple[Decimal | None, str | None]:
    """(value, problem) of a percent typed as text: a decimal from 0 to 100, read as the
    interface's locale writes numbers."""
    text = text.strip()
    if not text:
        return None, _("required")
    why = reason(text)
    if why:
        return None, why
    value = Decimal(stored_text(text) or "0")
    if not 0 <= value <= 100:
        return None, _("must be from 0 to 100 (it is a percent)")
    return value, None


def _is_decimal_field(name: str) -> bool:
    """Whether a legal frame field is a number (typed as text, read by the one parser)."""
    annotation = LegalFrame.model_fields[name].annotation
    return annotation is Decimal or Decimal in getattr(annotation, "__args__", ())


LONG_LEGAL_FIELDS = ("model_providers", "seller_notices", "customer_notices")
LEGAL_FIELD_HELP = {
    "agreement": N_(
        "The agreement every order form is governed by, by name, e.g. 'Master "
        "Subscription Agreement' or 'Terms of Service'."
    ),
    "agreement_reference": N_(
        "Its date, version or web address, e.g. 'dated 1 March 2026' or https://example.com/msa."
    ),
    "precedence": N_("Which document wins when the order form and the agreement disagree."),
    "governing_law": N_("Completes 'governed by ...', e.g. 'the laws of England and Wales'."),
    "venue": N_("The courts for disputes, e.g. 'the courts of London, England'."),
    "liability_cap_months": N_("Each party's liability is capped at the fees of this many months."),
    "confidentiality_years": N_("How long confidentiality lasts after the term."),
    "data_processing": N_("Your data protection terms by name, e.g. 'Data Processing Addendum'."),
    "customer_data_trains_models": N_("Whether customer data may train or fine-tune models."),
    "model_providers": N_("The sub-processors and AI model providers, named."),
    "subprocessor_notice_days": N_("Notice the customer gets of a new sub-processor."),
    "retention_days": N_("Customer data is deleted within this many days after the term."),
    "service_levels": N_("Your service level terms by name, with the availability promised."),
    "late_interest_percent_per_month": N_("Interest on undisputed late payments, percent a month."),
    "suspension_after_days": N_("How overdue an undisputed invoice must be before suspension."),
    "cure_days": N_("Days to cure a material breach after notice before termination."),
    "termination_for_convenience": N_("Whether the customer may end the order form without cause."),
    "convenience_notice_days": N_("Notice the customer gives to terminate for convenience."),
    "renewal_increase_percent": N_("Price increase on each renewal; empty: the quote's escalator."),
    "independent_auditor": N_("Who settles outcome and attribution disputes the parties cannot."),
    "offer_valid_days": N_("How long an offer is valid when a quote sets no valid-until date."),
    "seller_notices": N_("Where the customer sends notices to you."),
    "customer_notices": N_("Where you send notices to the customer."),
}


DECIMAL_LEGAL_FIELDS = frozenset({"late_interest_percent_per_month", "renewal_increase_percent"})
"""The legal frame's fields that hold a decimal number (typed in a line, right-aligned)."""


def _bounds(name: str) -> tuple[int, int]:
    """A whole-number legal field's range, from the model's constraints."""
    low, high = 0, 3650
    for meta in LegalFrame.model_fields[name].metadata:
        low = getattr(meta, "ge", low)
        high = getattr(meta, "le", high)
    return low, high


def _field_title(field: str) -> str:
    if field.startswith("legal_"):
        return _("Legal frame, {field}").format(field=_legal_title(field[6:]))
    return _(FIELD_TITLES[field]) if field in FIELD_TITLES else field


LEGAL_TITLES = {
    "agreement": N_("Governing agreement"),
    "agreement_reference": N_("Agreement date, version or URL"),
    "precedence": N_("Order of precedence"),
    "governing_law": N_("Governing law"),
    "venue": N_("Courts"),
    "liability_cap_months": N_("Liability cap (months of fees)"),
    "confidentiality_years": N_("Confidentiality (years after the term)"),
    "data_processing": N_("Data protection terms"),
    "customer_data_trains_models": N_("Customer data trains models"),
    "model_providers": N_("Sub-processors and model providers"),
    "subprocessor_notice_days": N_("Notice of a new sub-processor (days)"),
    "retention_days": N_("Data deleted after the term within (days)"),
    "service_levels": N_("Service levels"),
    "late_interest_percent_per_month": N_("Late payment interest (% a month)"),
    "suspension_after_days": N_("Suspension when overdue (days)"),
    "cure_days": N_("Days to cure a breach"),
    "termination_for_convenience": N_("Termination for convenience"),
    "convenience_notice_days": N_("Notice for convenience (days)"),
    "renewal_increase_percent": N_("Price increase on renewal (%)"),
    "independent_auditor": N_("Independent auditor"),
    "offer_valid_days": N_("Offer valid for (days)"),
    "seller_notices": N_("Notices to us"),
    "customer_notices": N_("Notices to the customer"),
}
"""The legal frame's fields as the form labels them (the English is
``services.settings.LEGAL_FIELD_TITLES``, which the service's messages use)."""


def _legal_title(name: str) -> str:
    if name in LEGAL_TITLES:
        return _(LEGAL_TITLES[name])
    return LEGAL_FIELD_TITLES.get(name, name)


class SettingsPage(Page):
    def __init__(self, workspace: Workspace, window: MainWindow | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.window_ = window
        self.settings: SettingsPublic = workspace.run(get_settings)
        self._loading = False
        self._dirty = False
        self._problems: dict[str, str] = {}
        self._limits: dict[str, tuple[QLineEdit, int]] = {}
        """The text fields with a longest text, by problem key: (field, its limit)."""

        self.seller_name = self._line(
            "seller_name",
            _("Your company's name as customers know it; heads every proposal."),
            None,
        )
        self.seller_legal_name = self._line(
            "seller_legal_name", _("The registered legal name that signs the contract."), None
        )
        self.seller_address = QPlainTextEdit()
        self.seller_address.setObjectName("seller_address")
        self.seller_address.setTabChangesFocus(True)
        self.seller_address.setFixedHeight(self.seller_address.fontMetrics().lineSpacing() * 3 + 14)
        self.seller_address.setToolTip(_("The postal address printed on proposals and contracts."))
        from .countries import CountryBox

        self.seller_country = CountryBox()
        self.seller_country.setObjectName("seller_country")
        self.seller_country.setToolTip(
            _(
                "Where the seller is established (type to search): with the customer's country "
                "it decides the tax line of a quote."
            )
        )
        # The country's name, as customers' countries show; its ISO code beside it (a seller
        # saved as "GB" showed only the code).
        self.seller_country_code = QLabel()
        self.seller_country_code.setObjectName("seller_country_code")
        self.seller_country_code.setToolTip(_("The country's ISO 3166 code"))
        self.seller_country.currentTextChanged.connect(
            lambda _text: self.seller_country_code.setText(self.seller_country.code())
        )
        self.seller_tax_id = self._line(
            "seller_tax_id",
            _(
                "Your VAT ID or other tax ID (DE123456789, GB123456789, an ABN ...), printed "
                "with the tax line; the reverse-charge note prints it beside the customer's."
            ),
            50,
        )
        self.seller_signatory = self._line(
            "seller_signatory",
            _(
                "The person who signs order forms for you, printed under your signature line; "
                "an order form cannot be final without one."
            ),
            200,
        )
        self.seller_signatory_title = self._line(
            "seller_signatory_title",
            _("Their title, printed after the name, e.g. Chief Revenue Officer."),
            200,
        )
        self.seller_email = self._line(
            "seller_email",
            _("Where customers reply about a proposal, e.g. deals@example.com."),
            254,
        )
        self.logo_path = self._line(
            "logo_path",
            _("The logo printed on proposals: a PNG, JPEG or SVG file. Empty: no logo."),
            1000,
        )
        self.logo_path.setPlaceholderText(_("No logo"))
        self.choose_logo = QPushButton(_("Choose…"))
        self.choose_logo.setObjectName("choose_logo")
        self.choose_logo.setToolTip(_("Pick the logo file"))
        self.clear_logo = QPushButton(_("No logo"))
        self.clear_logo.setObjectName("clear_logo")
        self.clear_logo.setToolTip(_("Print proposals without a logo"))
        self.default_currency = QComboBox()
        self.default_currency.setObjectName("default_currency")
        self.default_currency.setEditable(True)
        self.default_currency.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.default_currency.addItems(
            [*COMMON_CURRENCIES, *sorted(set(MINOR_UNITS) - set(COMMON_CURRENCIES))]
        )
        self.default_currency.setToolTip(
            with_limit(
                _(
                    "Your currency (ISO 4217, e.g. USD or EUR): new quotes and plans start in "
                    "it, costs are in it, and the margin of a quote in another currency is "
                    "measured in it at the quote's exchange rate."
                ),
                CURRENCY_CODE_MAX,
            )
        )
        currency_line = self.default_currency.lineEdit()
        assert currency_line is not None  # an editable combo box has one
        # Not cut (an editable combo box has no maxLength): "EURO" pasted is kept, marked
        # too long with its length, and Save refuses it.
        self._limits["default_currency"] = (currency_line, CURRENCY_CODE_MAX)
        self.margin_floor = self._line(
            "margin_floor_percent",
            _(
                "The lowest gross margin, in percent, a quote may have in any contract year "
                "without deal-desk approval. The playbook's models run at 55-90 %."
            ),
            20,
        )
        align_number(self.margin_floor)
        self.margin_floor.setMaximumWidth(140)
        # Approval policy: when a quote needs the deal desk besides the discount authority.
        self.approval_term = WholeNumberBox(_(FIELD_TITLES["approval_term_months"]), 1, 120)
        self.approval_term.setSuffix(_(" months"))
        self.approval_term.setToolTip(_("A longer term than this needs the deal desk's approval"))
        self.min_escalator = align_number(QLineEdit())
        self.min_escalator.setMaximumWidth(140)
        self.min_escalator.setToolTip(
            _("A multi-year deal with a lower annual escalator (%) needs approval")
        )
        self.max_payment_days = WholeNumberBox(_(FIELD_TITLES["max_payment_terms_days"]), 0, 365)
        self.max_payment_days.setSuffix(_(" days"))
        self.max_payment_days.setToolTip(_("Longer payment terms than this need approval"))
        self.custom_attribution = QCheckBox(_("A custom attribution method needs approval"))
        self.outcome_without_minimum = QCheckBox(
            _("Outcome pricing without a minimum commitment needs approval")
        )
        self.default_currency.setMaximumWidth(140)
        self.authority: dict[str, QLineEdit] = {}
        for role in ROLES:
            line = self._line(f"authority_{role}", _(ROLE_HELP[role]), 20)
            align_number(line)
            line.setMaximumWidth(140)
            self.authority[role] = line

        self.legal = self._legal_widgets()
        self.policy_source = QLabel()
        self.policy_source.setObjectName("policy_source")
        self.policy_source.setWordWrap(True)
        self.policy_source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.install_policy_button = QPushButton(_("Install policy file…"))
        self.install_policy_button.setObjectName("install_policy")
        self.install_policy_button.setToolTip(
            _(
                "Install the organisation's signed approval policy (a file from the deal desk); a "
                "newer one replaces it"
            )
        )
        self.drift_label = QLabel()
        self.drift_label.setObjectName("policy_drift")
        self.drift_label.setWordWrap(True)
        self.drift_label.setStyleSheet(colours.text_style("error"))
        self.drift_label.hide()

        self.error_label = error_label("settings_errors")
        self.save_button, self.revert_button = save_and_revert_buttons("settings", "settings")

        seller = QGroupBox(_("Seller profile"))
        seller.setToolTip(_("Who is selling: printed on every proposal and contract."))
        seller_form = QFormLayout(seller)
        seller_form.addRow(self._label(_("&Name"), self.seller_name), self.seller_name)
        seller_form.addRow(
            self._label(_("&Legal name"), self.seller_legal_name), self.seller_legal_name
        )
        seller_form.addRow(self._label(_("&Address"), self.seller_address), self.seller_address)
        seller_form.addRow(self._label(_("&Email"), self.seller_email), self.seller_email)
        country_row = QHBoxLayout()
        country_row.addWidget(self.seller_country, 1)
        country_row.addWidget(self.seller_country_code)
        seller_form.addRow(self._label(_("Countr&y"), self.seller_country), country_row)
        seller_form.addRow(self._label(_("&Tax ID"), self.seller_tax_id), self.seller_tax_id)
        seller_form.addRow(
            self._label(_("&Signatory"), self.seller_signatory), self.seller_signatory
        )
        seller_form.addRow(
            self._label(_("Signatory's t&itle"), self.seller_signatory_title),
            self.seller_signatory_title,
        )
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_path, 1)
        logo_row.addWidget(self.choose_logo)
        logo_row.addWidget(self.clear_logo)
        seller_form.addRow(self._label(_("Lo&go"), self.logo_path), logo_row)

        quotes = QGroupBox(_("Quotes"))
        quotes_form = QFormLayout(quotes)
        quotes_form.addRow(
            self._label(_("Default &currency"), self.default_currency), self.default_currency
        )
        quotes_form.addRow(
            self._label(_("&Margin floor (%)"), self.margin_floor), self.margin_floor
        )

        authority = QGroupBox(_("Discount authority (%)"))
        authority.setToolTip(
            _(
                "The largest discount each role may give or approve; a larger one needs the next "
                "role's approval. Each role's limit is at least the one before it."
            )
        )
        authority_form = QFormLayout(authority)
        for role, line in self.authority.items():
            authority_form.addRow(self._label(_(ROLE_TITLES[role]), line), line)

        policy = QGroupBox(_("Approval policy"))
        policy.setToolTip(_("Non-standard terms that always need the deal desk's approval"))
        policy_form = QFormLayout(policy)

        governance = QGroupBox(_("Organisation policy"))
        governance.setToolTip(
            _(
                "The deal desk's signed policy: the discount authority, the margin floor and the "
                "approval rules it sets are read-only here"
            )
        )
        governance_layout = QVBoxLayout(governance)
        governance_layout.addWidget(self.policy_source)
        governance_layout.addWidget(self.drift_label)
        install_row = QHBoxLayout()
        install_row.addStretch(1)
        install_row.addWidget(self.install_policy_button)
        governance_layout.addLayout(install_row)
        policy_form.addRow(_("Longest term without approval"), self.approval_term)
        policy_form.addRow(_("Lowest escalator (%)"), self.min_escalator)
        policy_form.addRow(_("Longest payment terms"), self.max_payment_days)
        policy_form.addRow(self.custom_attribution)
        policy_form.addRow(self.outcome_without_minimum)

        legal = QGroupBox(_("Order form: legal frame"))
        legal.setObjectName("legal_frame")
        legal.setToolTip(
            _(
                "What every order form says beyond the price; a quote can change any of these "
                "in its Contract terms."
            )
        )
        legal_form = QFormLayout(legal)
        for name, widget in self.legal.items():
            if isinstance(widget, QCheckBox):
                legal_form.addRow(widget)
            else:
                legal_form.addRow(self._label(_legal_title(name), widget), widget)
        self.legal_texts_button = QPushButton(_("Texts in other languages…"))
        self.legal_texts_button.setObjectName("legal_texts")
        self.legal_texts_button.setToolTip(
            _(
                "The phrases above in German, French, Spanish and Japanese, for order forms in "
                "those languages"
            )
        )
        self.legal_texts_button.clicked.connect(self.edit_legal_texts)
        legal_form.addRow(self.legal_texts_button)

        from .exchange_rates import ExchangeRatesBox

        # Part of the form: its changes are saved (and discarded) with the page's.
        self.exchange_rates = ExchangeRatesBox(workspace, self)
        self.exchange_rates.changed.connect(self._rates_edited)

        buttons = QHBoxLayout()
        buttons.addWidget(self.error_label, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        content = QWidget()
        content.setMaximumWidth(820)
        content_layout = QVBoxLayout(content)
        heading = QLabel(_("Settings"))
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        heading.setFont(font)
        content_layout.addWidget(heading)
        from .language_box import LanguageBox

        self.language_box = LanguageBox(self)
        content_layout.addWidget(self.language_box)
        content_layout.addWidget(seller)
        from .certificate_box import CertificateBox

        self.certificate_box = CertificateBox(self)
        content_layout.addWidget(self.certificate_box)
        content_layout.addWidget(governance)
        columns = QHBoxLayout()
        columns.addWidget(quotes, 1)
        columns.addWidget(authority, 1)
        content_layout.addLayout(columns)
        content_layout.addWidget(policy)
        content_layout.addWidget(legal)
        content_layout.addWidget(self.exchange_rates)
        content_layout.addLayout(buttons)
        content_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop nobody sees
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        for line in (
            self.seller_name,
            self.seller_legal_name,
            self.seller_email,
            self.seller_tax_id,
            self.seller_signatory,
            self.seller_signatory_title,
            self.logo_path,
            self.margin_floor,
            *self.authority.values(),
        ):
            line.textChanged.connect(self._edited)
        self.seller_country.currentTextChanged.connect(self._edited)
        self.seller_country.currentTextChanged.connect(self._show_jurisdiction)
        self.seller_address.textChanged.connect(self._edited)
        self.min_escalator.textChanged.connect(self._edited)
        for spin in (self.approval_term, self.max_payment_days):
            spin.valueChanged.connect(self._edited)
        for count in self.findChildren(WholeNumberBox):  # "30d" is marked, never 30
            count.lineEdit().textEdited.connect(self._edited)
        for box in (self.custom_attribution, self.outcome_without_minimum):
            box.toggled.connect(self._edited)
        self.default_currency.currentTextChanged.connect(self._edited)
        for widget in self.legal.values():
            if isinstance(widget, QCheckBox):
                widget.toggled.connect(self._edited)
            elif isinstance(widget, QSpinBox):
                widget.valueChanged.connect(self._edited)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._edited)
            elif isinstance(widget, QLineEdit):
                widget.textChanged.connect(self._edited)
        self.choose_logo.clicked.connect(self.choose_logo_file)
        self.clear_logo.clicked.connect(lambda: self.logo_path.setText(""))
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.install_policy_button.clicked.connect(self.install_policy)
        keys.shortcut(self, "settings.save", self.save)
        from .wheel_guard import guard_wheel

        guard_wheel(self)  # the wheel scrolls the page, never a field passing under it
        self.load(self.settings)

    def _line(self, name: str, tip: str, max_length: int | None) -> QLineEdit:
        """A text field; ``max_length`` None: not cut, the form names a text too long (a
        500-character paste into a name was cut to 200 without a word)."""
        line = QLineEdit()
        line.setObjectName(name)
        if max_length is not None:
            # No maxLength either (Qt would cut a paste without a word): a longer text is
            # kept, marked with its length, and Save refuses it until it is shortened.
            self._limits[name] = (line, max_length)
            tip = with_limit(tip, max_length)
        line.setToolTip(tip)
        return line

    def _legal_widgets(self) -> dict[str, QWidget]:
        """One field per LegalFrame field: text, whole numbers, yes/no and the precedence."""
        widgets: dict[str, QWidget] = {}
        for name, info in LegalFrame.model_fields.items():
            tip = (
                _(LEGAL_FIELD_HELP[name]) if name in LEGAL_FIELD_HELP else (info.description or "")
            )
            if name in JURISDICTION_FIELDS:
                tip += " " + _(
                    "Empty: New York's, for a seller in the United States or without a "
                    "country; for a seller elsewhere it is not set, and an order form cannot "
                    "be final until it is."
                )
            widget: QWidget
            if info.annotation is bool:
                widget = QCheckBox(_legal_title(name))
            elif info.annotation is int:
                low, high = _bounds(name)
                widget = WholeNumberBox(_legal_title(name), low, high)
            elif name == "precedence":
                combo = QComboBox()
                combo.addItem(_("The order form prevails"), "order_form")
                combo.addItem(_("The agreement prevails"), "agreement")
                widget = combo
            else:
                line = QLineEdit()
                limit = 5000 if name in LONG_LEGAL_FIELDS else 200
                self._limits[f"legal_{name}"] = (line, limit)  # marked when longer, not cut
                tip = with_limit(tip, limit)
                if name in DECIMAL_LEGAL_FIELDS:
                    align_number(line)  # a number, right-aligned as every number field
                if name == "renewal_increase_percent":
                    line.setPlaceholderText(_("Empty: the annual escalator"))
                    geometry.fit_placeholder(line)  # the German is longer than 200 px
                elif name in ("seller_notices", "customer_notices"):
                    line.setPlaceholderText(
                        _("Empty: the seller's address and email")
                        if name == "seller_notices"
                        else _("Empty: the customer's billing address and email")
                    )
                elif name == "agreement":
                    line.setPlaceholderText(
                        _("Empty: no master agreement; the order form stands alone")
                    )
                elif name == "data_processing":
                    line.setPlaceholderText(
                        _("Empty: no data processing agreement; the order form says so")
                    )
                elif name == "independent_auditor":
                    line.setPlaceholderText(_("Empty: disputes go to the courts"))
                elif name == "model_providers":
                    line.setPlaceholderText(_("Empty: as listed in the data protection terms"))
                widget = line
            widget.setObjectName(f"legal_{name}")
            widget.setToolTip(tip)
            widgets[name] = widget
        return widgets

    def _legal_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, widget in self.legal.items():
            if isinstance(widget, QCheckBox):
                values[name] = widget.isChecked()
            elif isinstance(widget, QSpinBox):
                values[name] = widget.value()
            elif isinstance(widget, QComboBox):
                values[name] = widget.currentData()
            elif isinstance(widget, QLineEdit):
                text = widget.text().strip()
                values[name] = (stored_text(text) or "") if _is_decimal_field(name) else text
        return values

    def _load_legal(self, frame: LegalFrame) -> None:
        """The frame as the settings keep it: the governing law and courts the seller has
        not given stay empty (their placeholder says what an empty one means)."""
        given = jurisdiction_given(frame)
        for name, widget in self.legal.items():
            value = getattr(frame, name)
            if name in JURISDICTION_FIELDS and name not in given:
                value = ""
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, QLineEdit):
                widget.setText(
                    ""
                    if value is None
                    else field_text(value)
                    if isinstance(value, Decimal)
                    else str(value)
                )

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        label.setToolTip(buddy.toolTip())
        return label

    def _show_jurisdiction(self) -> None:
        """The placeholders of an empty Governing law and Courts, for the country on the
        page: for a seller in the United States (or without a country) empty is the shipped
        New York law and courts; elsewhere it is not set, and order forms cannot be final."""
        from quote_builder.services.tax import country_code

        fits = shipped_jurisdiction_fits(country_code(self.seller_country.country()))
        law, venue = self.legal["governing_law"], self.legal["venue"]
        assert isinstance(law, QLineEdit) and isinstance(venue, QLineEdit)
        if fits:
            law.setPlaceholderText(_("Empty: the laws of the State of New York"))
            venue.setPlaceholderText(
                _("Empty: the state and federal courts in New York County, New York")
            )
        else:
            law.setPlaceholderText(
                _("Not set: needed outside the United States, e.g. 'the laws of England and Wales'")
            )
            venue.setPlaceholderText(
                _(
                    "Not set: needed outside the United States, e.g. 'the courts of England and Wales'"
                )
            )

    # --- Page ----------------------------------------------------------------------------

    def refresh(self, changes: Changes) -> None:
        if changes.settings and not self.is_dirty():
            self.load(self.workspace.run(get_settings))
            self.exchange_rates.reload()

    def can_close(self) -> bool:
        if not self.is_dirty():
            return True
        answer = QMessageBox.question(
            self,
            _("Unsaved settings"),
            _("The settings have unsaved changes. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    # --- loading and state ---------------------------------------------------------------

    def load(self, settings: SettingsPublic) -> None:
        self.settings = settings
        self._loading = True
        try:
            self.seller_name.setText(settings.seller_name)
            self.seller_legal_name.setText(settings.seller_legal_name)
            self.seller_address.setPlainText(settings.seller_address)
            self.seller_email.setText(settings.seller_email)
            self.seller_country.set_country(settings.seller_country)
            self.seller_tax_id.setText(settings.seller_tax_id)
            self.seller_signatory.setText(settings.seller_signatory)
            self.seller_signatory_title.setText(settings.seller_signatory_title)
            self.logo_path.setText(settings.logo_path)
            self.default_currency.setCurrentText(settings.default_currency)
            self.margin_floor.setText(field_text(settings.margin_floor_percent))
            self.approval_term.setValue(settings.approval_term_months)
            self.min_escalator.setText(field_text(settings.min_escalator_percent))
            self.max_payment_days.setValue(settings.max_payment_terms_days)
            self.custom_attribution.setChecked(settings.custom_attribution_needs_approval)
            self.outcome_without_minimum.setChecked(settings.outcome_without_minimum_needs_approval)
            self._load_legal(settings.stored_legal_frame())
            authority = settings.discount_authority()
            for role, line in self.authority.items():
                value = authority.get(role)
                line.setText(field_text(value))
        finally:
            self._loading = False
        self._show_governance(settings)
        self._show_jurisdiction()
        self._dirty = False
        self._show_service_problem("")
        self._validate()

    def governed_widgets(self) -> list[QWidget]:
        """The fields an organisation policy sets."""
        return [
            self.margin_floor,
            *self.authority.values(),
            self.approval_term,
            self.min_escalator,
            self.max_payment_days,
            self.custom_attribution,
            self.outcome_without_minimum,
        ]

    def _show_governance(self, settings: SettingsPublic) -> None:
        governed = settings.governed
        if settings.policy_problem:
            source = _("The organisation's policy cannot be used: {policy_problem}").format(
                policy_problem=service_words.text(settings.policy_problem)
            )
        elif settings.policy_label:
            source = (
                _("From {policy} (EXPIRED: ask the deal desk for the current policy)")
                if settings.policy_expired
                else _("From {policy}")
            ).format(policy=service_words.text(settings.policy_label))
        else:
            source = _(
                "No organisation policy is installed: these numbers are this database's own "
                "and approver keys are trusted by hand (unverified)."
            )
        if settings.policy_pinned:
            source += "\n" + service_words.text(settings.policy_pinned)
        self.policy_source.setText(source)
        for widget in self.governed_widgets():
            if isinstance(widget, QLineEdit | QSpinBox):
                widget.setReadOnly(governed)
                # Read-only looks read-only: the window's colour instead of a field's.
                palette = QApplication.palette(widget)
                if governed:
                    palette.setColor(
                        QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window)
                    )
                widget.setPalette(palette)
            else:
                widget.setEnabled(not governed)
            tip = widget.property("plain_tip")
            if tip is None:
                tip = widget.property("help") or widget.toolTip()
                widget.setProperty("plain_tip", tip)
            shown = f"{tip}\n\n{source}" if governed else str(tip)
            widget.setProperty("help", shown)  # what mark_invalid keeps above a problem
            widget.setToolTip(shown)
        self.drift_label.setText(
            _("Changed in the database by hand (not used):")
            + "\n"
            + "\n".join(service_words.texts(settings.drift))
            if settings.drift
            else ""
        )
        self.drift_label.setVisible(bool(settings.drift))

    def install_policy(self) -> None:
        """Install a signed policy bundle from a file (read here, installed by the service)."""
        from quote_builder.safe_files import FileReadError, read_limited
        from quote_builder.services import policy as policy_service

        path = self.ask_policy_path()
        if path is None:
            return
        try:
            data = read_limited(path, policy_service.MAX_BUNDLE_BYTES, what="policy file")
            outcome = self.workspace.run(
                policy_service.install_policy, data, actor=self.workspace.user
            )
        except (FileReadError, ServiceError) as exc:
            QMessageBox.warning(self, _("Policy not installed"), error_message(exc))
            return
        QMessageBox.information(
            self,
            _("Policy installed"),
            _("Installed {label}.\n\nFingerprint {fingerprint}").format(
                label=outcome.value.label, fingerprint=outcome.value.fingerprint
            ),
        )
        self.load(self.workspace.run(get_settings))
        if self.window_ is not None:
            self.window_.changed.emit(outcome.changes)

    def ask_policy_path(self) -> Path | None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Install the organisation's policy"), "", _("Policy (*.json);;All files (*)")
        )
        return Path(name) if name else None

    def is_dirty(self) -> bool:
        """Whether the page holds changes not saved: a field, or the exchange-rate table."""
        return self._dirty or self.exchange_rates.is_dirty()

    def _edited(self, *_args: object) -> None:
        if self._loading:
            return
        self._dirty = True
        self._show_service_problem("")
        self._validate()

    def _rates_edited(self) -> None:
        self._show_service_problem("")
        self._validate()

    def choose_logo_file(self) -> None:
        """The native file dialog; the chosen path is shown and validated."""
        current = self.logo_path.text().strip()
        start = str(Path(current).parent) if current else str(Path.home())
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the logo"), start, _(LOGO_FILTER)
        )
        if path:
            self.logo_path.setText(path)

    # --- validation ----------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The form as the service's fields (percents as decimal strings)."""
        return {
            "seller_name": self.seller_name.text().strip(),
            "seller_legal_name": self.seller_legal_name.text().strip(),
            "seller_address": self.seller_address.toPlainText().strip(),
            "seller_email": self.seller_email.text().strip(),
            "seller_country": self.seller_country.country(),
            "seller_tax_id": self.seller_tax_id.text().strip(),
            "seller_signatory": self.seller_signatory.text().strip(),
            "seller_signatory_title": self.seller_signatory_title.text().strip(),
            "logo_path": self.logo_path.text().strip(),
            "default_currency": self.default_currency.currentText().strip().upper(),
            "margin_floor_percent": stored_text(self.margin_floor.text()) or "",
            "discount_authority": {
                role: stored_text(line.text()) or "" for role, line in self.authority.items()
            },
            "approval_term_months": self.approval_term.value(),
            "min_escalator_percent": stored_text(self.min_escalator.text()) or "",
            "max_payment_terms_days": self.max_payment_days.value(),
            "custom_attribution_needs_approval": self.custom_attribution.isChecked(),
            "outcome_without_minimum_needs_approval": self.outcome_without_minimum.isChecked(),
            "legal_frame": self._legal_values(),
        }

    def problems(self) -> list[str]:
        """``field: reason`` for each problem of the form, then each of the exchange-rate
        table's, with its row (empty when it can be saved)."""
        return [
            *(f"{field}: {reason}" for field, reason in self._problems.items()),
            *self.exchange_rates.problems(),
        ]

    def _validate(self) -> None:
        values = self.values()
        problems: dict[str, str] = {}
        floor, problem = _percent(self.margin_floor.text())
        if problem:
            problems["margin_floor_percent"] = problem
        elif floor is not None and floor >= 100:
            problems["margin_floor_percent"] = _("must be below 100")
        escalator, problem = _percent(self.min_escalator.text())
        if problem:
            problems["min_escalator_percent"] = problem
        previous: tuple[str, Decimal] | None = None
        for role, line in self.authority.items():
            value, problem = _percent(line.text())
            if problem:
                problems[f"authority_{role}"] = problem
            elif value is not None:
                if previous is not None and value < previous[1]:
                    problems[f"authority_{role}"] = _(
                        "must be at least the {role}'s {percent} %"
                    ).format(role=_(ROLE_WORDS[previous[0]]), percent=shown(previous[1]))
                previous = (role, value)
        country_problem = self.seller_country.problem()
        if country_problem:
            problems["seller_country"] = country_problem.split(": ", 1)[1]
        from quote_builder.services.tax import tax_id_problems

        for sentence in tax_id_problems(
            values["seller_country"], values["seller_tax_id"], field="Tax ID"
        ):
            problems["seller_tax_id"] = service_words.text(sentence).split(":", 1)[-1].strip()
        logo = values["logo_path"]
        logo_refused = logo_problem(logo) if logo else None
        if logo_refused:
            problems["logo_path"] = logo_refused
        for name, widget in self.legal.items():
            if isinstance(widget, QLineEdit) and _is_decimal_field(name):
                why = reason(widget.text())
                if why:
                    problems[f"legal_{name}"] = why
        legal = {
            k: v
            for k, v in values["legal_frame"].items()
            if v != "" and f"legal_{k}" not in problems
        }
        try:
            LegalFrame.model_validate(legal)
        except ValidationError as exc:
            for problem_line in problems_from(exc):
                field, why = problem_line.split(": ", 1)
                problems.setdefault(f"legal_{field}", why)
        fields = {
            k: v for k, v in values.items() if k in SettingsBase.model_fields and k != "logo_path"
        }
        fields.pop("margin_floor_percent")
        fields.pop("min_escalator_percent")
        try:
            SettingsBase.model_validate(fields)
        except ValidationError as exc:
            for problem_line in problems_from(exc):
                field, why = problem_line.split(": ", 1)
                problems.setdefault(field, why)
        for field, (line, limit) in self._limits.items():
            long = too_long(line.text().strip(), limit)
            if long:
                problems[field] = long  # its length said: the user cuts it, not the app
        for field, widget in self._widgets().items():
            count_problem = widget.reason() if isinstance(widget, WholeNumberBox) else None
            if count_problem:
                problems[field] = count_problem  # kept as typed, never another number
        self._problems = problems
        self._mark_all()
        rate_problems = self.exchange_rates.problems()
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty and not problems and not rate_problems)
        self.revert_button.setEnabled(dirty)
        if problems or rate_problems:
            self.error_label.setText(
                _("Fix before saving:")
                + "\n"
                + "\n".join(
                    [
                        *(
                            _("{field}: {reason}").format(field=_field_title(field), reason=reason)
                            for field, reason in problems.items()
                        ),
                        *rate_problems,
                    ]
                )
            )
            self.error_label.show()
        elif not self.error_label.property("service"):
            self.error_label.hide()

    def _widgets(self) -> dict[str, QWidget]:
        return {
            "seller_country": self.seller_country,
            "seller_tax_id": self.seller_tax_id,
            "seller_name": self.seller_name,
            "seller_legal_name": self.seller_legal_name,
            "seller_address": self.seller_address,
            "seller_email": self.seller_email,
            "seller_signatory": self.seller_signatory,
            "seller_signatory_title": self.seller_signatory_title,
            "logo_path": self.logo_path,
            "default_currency": self.default_currency,
            "margin_floor_percent": self.margin_floor,
            "min_escalator_percent": self.min_escalator,
            "approval_term_months": self.approval_term,
            "max_payment_terms_days": self.max_payment_days,
            **{f"authority_{role}": line for role, line in self.authority.items()},
            **{f"legal_{name}": widget for name, widget in self.legal.items()},
        }

    def field_widget(self, field: str) -> QWidget:
        return self._widgets()[field]

    def focus_legal(self, name: str) -> None:
        """Put the cursor in a legal frame field, scrolled into view (Finalise sent the rep
        here for the governing law or courts)."""
        widget = self.legal[name]
        geometry.focus_in_view(widget)

    def _mark_all(self) -> None:
        for field, widget in self._widgets().items():
            mark_invalid(widget, self._problems.get(field))

    def _show_service_problem(self, text: str) -> None:
        self.error_label.setProperty("service", bool(text))
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    # --- saving --------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the fields and the exchange-rate table's changes, in one transaction (one
        refused, nothing saved)."""
        self._validate()
        if self._problems or self.exchange_rates.problems() or not self.is_dirty():
            return False
        values: dict[str, Any] | None = None
        if self._dirty:
            values = self.values()
            values["margin_floor_percent"] = Decimal(values["margin_floor_percent"])
            values["min_escalator_percent"] = Decimal(values["min_escalator_percent"] or "0")
        try:
            outcome = self.workspace.run(
                save_settings_page,
                settings=values,
                expected_version=self.settings.version_id,
                rates=self.exchange_rates.changes(),
                actor=self.workspace.user,
            )
        except ConflictError as exc:
            self._show_service_problem(error_text(exc))
            answer = QMessageBox.warning(
                self,
                _("The settings were changed by someone else"),
                _("{error}\n\nReload the settings now? Your edits will be discarded.").format(
                    error=error_text(exc)
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.load(self.workspace.run(get_settings))
                self.exchange_rates.reload()
                self._validate()
            return False
        except InvalidInputError as exc:
            self._show_service_problem(
                _("The settings were not saved:") + "\n" + "\n".join(problem_texts(exc))
            )
            return False
        except ServiceError as exc:
            self._show_service_problem(
                _("The settings were not saved: {error}").format(error=error_text(exc))
            )
            return False
        self.exchange_rates.reload()
        self.load(outcome.value)
        if self.window_ is not None:
            self.window_.changed.emit(outcome.changes)
        return True

    def revert(self) -> None:
        self.exchange_rates.load(self.exchange_rates.stored)
        self.load(self.settings)

    def edit_legal_texts(self) -> None:
        """The legal frame's phrases in the other document languages (their own dialog,
        saved on its own: save or revert the page's edits first)."""
        if self.is_dirty():
            QMessageBox.information(
                self,
                _("Save the settings first"),
                _(
                    "The settings have unsaved changes: save them (or revert them), then set the "
                    "texts in other languages."
                ),
            )
            return
        from .legal_texts import LegalTextsDialog

        dialog = LegalTextsDialog(self.workspace, self.settings, self)
        if dialog.exec() and dialog.saved is not None:
            self.load(dialog.saved)


def create_page(workspace: Workspace, window: MainWindow) -> Page:
    return SettingsPage(workspace, window)
