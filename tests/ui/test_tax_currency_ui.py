"""Issue 18 §3 and §4 in the windows: the seller's country and tax ID, the exchange-rate
table, the editor's tax line (one undo step each; the rep's rate confirmed), the guided
flow's plan in the customer's currency, and a plan's price book."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from pytestqt.qtbot import QtBot

from quote_builder.services import currencies
from quote_builder.services import customers as customer_service
from quote_builder.services import plans as plan_service
from quote_builder.services import quotes as quote_service
from quote_builder.services import settings as settings_service
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import open_quote_editor

D = Decimal


def _seller(window: MainWindow, country: str, tax_id: str) -> None:
    db = window.workspace.db
    current = settings_service.get_settings(db)
    settings_service.update_settings(
        db,
        expected_version=current.version_id,
        actor="t",
        seller_country=country,
        seller_tax_id=tax_id,
    )


def test_settings_mark_a_seller_tax_id_of_the_wrong_form(qtbot: QtBot, window: MainWindow) -> None:
    from quote_builder.ui.settings_view import SettingsPage

    page = SettingsPage(window.workspace, window)
    qtbot.addWidget(page)
    page.seller_country.set_country("Germany")
    page.seller_tax_id.setText("DE12")
    assert "seller_tax_id" in page._problems
    assert "is not a tax ID of Germany" in page._problems["seller_tax_id"]
    assert not page.save_button.isEnabled()
    page.seller_tax_id.setText("DE123456789")
    assert "seller_tax_id" not in page._problems
    assert page.save()
    saved = settings_service.get_settings(window.workspace.db)
    assert (saved.seller_country, saved.seller_tax_id) == ("Germany", "DE123456789")


def test_exchange_rates_are_set_and_imported_in_settings(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """Set rate and Import CSV… put rates in the page's table; the Settings page's Save
    saves them (tests/ui/test_settings_exchange_rates.py). Before: each was saved at once."""
    from quote_builder.ui.exchange_rates import ExchangeRatesBox

    box = ExchangeRatesBox(window.workspace)
    qtbot.addWidget(box)
    box.base.setText("USD")
    box.quote.setText("EUR")
    box.rate.setText("1.085")  # could be 1,085 to a German reader: refused, nothing put
    box.source.setText("ECB")
    box.set_rate()
    assert box.message.text() == (
        "Not put in the table:\n"
        "USD to EUR: Rate: 1.085 could mean 1.0850 or 1,085; write 1.0850 or 1,085"
    )
    assert box.table.rowCount() == 0
    box.rate.setText("0.9213")
    box.set_rate()
    assert box.table.rowCount() == 1
    assert [box.table.item(0, c).text() for c in range(3)] == ["USD", "EUR", "0.9213"]
    csv = tmp_path / "rates.csv"
    csv.write_text("From,To,Rate,Date,Source\nUSD,JPY,152.37,2026-11-02,BoJ\n")
    box.import_file(csv)
    assert box.message.text() == (
        "1 exchange rate read from rates.csv into the table: Save settings saves it."
    )  # one: singular
    assert box.table.rowCount() == 2
    assert currencies.list_exchange_rates(window.workspace.db) == []  # nothing saved yet
    assert [c.entry.rate for c in box.changes() if c.entry] == [D("0.9213"), D("152.37")]


def test_the_editor_s_tax_line_with_the_rep_s_confirmed_rate(
    qtbot: QtBot, window: MainWindow
) -> None:
    _seller(window, "United States", "")
    db = window.workspace.db
    row = next(r for r in quote_service.list_quotes(db).rows if r.customer_name == "Contoso Legal")
    editor = open_quote_editor(window, row.id)
    ed = editor.editor
    assert "No tax line" in ed.tax_summary.text()
    tcv = ed.priced.tcv if ed.priced else None
    ed.update_tax()
    assert ed.data["tax"]["kind"] == "sales_tax" and ed.data["tax"]["rule"] == "rep_entered"
    assert ed.undo_stack.undoText() == "Update tax"
    assert "NOT confirmed" in ed.tax_summary.text()
    ed.tax_rate.setText("8.875")  # refused as ambiguous by the one number parser
    ed.set_tax_rate(confirmed=True)
    assert (
        ed.tax_message.text() == "Tax rate: 8.875 could mean 8.8750 or 8,875; write 8.8750 or 8,875"
    )
    assert not ed.data["tax"].get("confirmed")
    ed.tax_rate.setText("8.8750")
    ed.set_tax_rate(confirmed=True)
    assert ed.data["tax"]["rate_percent"] == "8.8750" and ed.data["tax"]["confirmed"] is True
    assert ed.undo_stack.undoText() == "Confirm tax rate"
    assert ed.priced is not None and ed.priced.tcv == tcv  # tax is not revenue
    assert editor.save()
    saved = quote_service.open_version(db, row.id).document
    assert saved.tax is not None and saved.tax.confirmed and saved.tax.rate_percent == D("8.875")
    ed.undo_stack.undo()
    assert not ed.data["tax"].get("confirmed")
    ed.remove_tax()
    assert "tax" not in ed.data
    ed.undo_stack.undo()
    assert ed.data["tax"]["kind"] == "sales_tax"


def test_the_editor_says_why_the_tax_cannot_be_decided(qtbot: QtBot, window: MainWindow) -> None:
    from quote_builder.services import settings as settings_service

    db = window.workspace.db
    # The demo's seller has a country (GB); a seller profile without one cannot decide tax.
    current = settings_service.get_settings(db)
    settings_service.update_settings(
        db, expected_version=current.version_id, actor="t", seller_country="", seller_tax_id=""
    )
    row = next(r for r in quote_service.list_quotes(db).rows if r.customer_name == "Contoso Legal")
    editor = open_quote_editor(window, row.id)
    editor.editor.update_tax()
    assert editor.editor.tax_message.text() == (
        "Seller country: set the seller's country in Settings, Seller profile, so that the "
        "quote's tax can be decided."
    )
    assert "tax" not in editor.editor.data


def test_a_plan_s_price_book_is_set_in_its_dialog(qtbot: QtBot, window: MainWindow) -> None:
    from quote_builder.ui.price_books import PriceBookDialog

    db = window.workspace.db
    currencies.set_exchange_rate(
        db,
        base="USD",
        quote="EUR",
        rate=D("0.9213"),
        as_of=dt.date(2026, 11, 2),
        source="ECB",
        actor="t",
    )
    plan = plan_service.find_plan(db, "Analytics Copilot")
    dialog = PriceBookDialog(window.workspace, plan)
    qtbot.addWidget(dialog)
    assert not dialog.editor.isEnabled()  # no book yet
    dialog.new_currency.setText("eur")
    dialog.add_book()
    assert dialog.currency.currentData() == "EUR"
    components = dialog.editor.components()
    assert components[0].amount == D("1842.60")  # 2,000.00 USD x 0.9213
    dialog.save()
    assert dialog.message.text() == "Price book EUR saved."
    books = currencies.price_books(plan_service.get_plan(db, plan.id))
    assert books["EUR"][0]["amount"] == "1842.60"


def test_the_guided_flow_converts_a_plan_to_the_customer_s_currency(
    qtbot: QtBot, window: MainWindow
) -> None:
    from quote_builder.ui.wizard import GuidedQuote

    db = window.workspace.db
    customer = next(c for c in customer_service.search_customers(db, "Fabrikam").rows)
    customer_service.update_customer(
        db, customer.id, {"currency": "EUR"}, expected_version=customer.version_id, actor="t"
    )
    currencies.set_exchange_rate(
        db,
        base="USD",
        quote="EUR",
        rate=D("0.9213"),
        as_of=dt.date(2026, 11, 2),
        source="ECB",
        actor="t",
    )
    plan = plan_service.find_plan(db, "Analytics Copilot")
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.customer = customer_service.get_customer(db, customer.id)
    page = wizard.components
    page.start_from.addItem("Catalog plan", ("plan", plan.id))
    page.start_from.setCurrentIndex(page.start_from.count() - 1)
    page.load_start()
    assert page.editor.components()[0].amount == D("1842.60")  # 2,000.00 x 0.9213
    assert page.currency_note.text().startswith(
        "Prices converted from the catalog at 0.9213 EUR per USD"
    )
    assert wizard.exchange_rate is not None and wizard.exchange_rate["converted_prices"] is True


def test_the_guided_flow_converts_a_usd_template_too(qtbot: QtBot, window: MainWindow) -> None:
    from quote_builder.pricing.playbook import PricingModel, ProductCategory
    from quote_builder.pricing.templates import template_for
    from quote_builder.ui.wizard import GuidedQuote

    db = window.workspace.db
    customer = customer_service.search_customers(db, "Fabrikam").rows[0]
    customer_service.update_customer(
        db, customer.id, {"currency": "JPY"}, expected_version=customer.version_id, actor="t"
    )
    currencies.set_exchange_rate(
        db,
        base="USD",
        quote="JPY",
        rate=D("152.37"),
        as_of=dt.date(2026, 11, 2),
        source="BoJ",
        actor="t",
    )
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.customer = customer_service.get_customer(db, customer.id)
    category = ProductCategory.ANALYTICS_COPILOT
    model = PricingModel.PLATFORM_USAGE
    combo = wizard.product.category
    combo.setCurrentIndex(combo.findData(category.value))
    page = wizard.components
    page.start_from.addItem("Template", ("template", model.value))
    page.start_from.setCurrentIndex(page.start_from.count() - 1)
    page.load_start()
    template = template_for(model, category)
    fee = template.components[0]
    shown = page.editor.components()[0]
    # Each USD price x 152.37, rounded half up to the whole yen (JPY has no minor unit).
    assert shown.amount == (fee.amount * D("152.37")).quantize(D(1), "ROUND_HALF_UP")  # type: ignore[attr-defined]
    assert wizard.exchange_rate is not None and wizard.exchange_rate["rate"] == "152.37"


def test_the_guided_flow_says_when_a_template_cannot_be_priced_in_the_currency(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A rep's EUR quote from a USD template with no rate in the table: the template's
    $45 seats became "45 EUR" and its $0.03 unit cost "0.03 EUR" in the margin, without a
    word. It now says why, as a catalog plan without a rate does, and keeps no rate."""
    from quote_builder.pricing.playbook import PricingModel, ProductCategory
    from quote_builder.ui.wizard import GuidedQuote

    db = window.workspace.db
    customer = customer_service.search_customers(db, "Fabrikam").rows[0]
    customer_service.update_customer(
        db, customer.id, {"currency": "EUR"}, expected_version=customer.version_id, actor="t"
    )
    assert currencies.exchange_rate_for(db, "USD", "EUR") is None
    wizard = GuidedQuote(window)
    qtbot.addWidget(wizard)
    wizard.customer = customer_service.get_customer(db, customer.id)
    combo = wizard.product.category
    combo.setCurrentIndex(combo.findData(ProductCategory.ANALYTICS_COPILOT.value))
    page = wizard.components
    page.start_from.addItem("Template", ("template", PricingModel.PLATFORM_USAGE.value))
    page.start_from.setCurrentIndex(page.start_from.count() - 1)
    page.load_start()
    # One missing rate (USD to EUR) leaves both the template's prices and the seller's
    # costs in USD: the sentence names both, not only the margin.
    assert page.currency_note.text() == (
        "The playbook's templates and the seller's costs are in USD and the exchange-rate "
        "table has no rate from USD to EUR: the prices below are the template's USD figures, "
        "and the margin reads the costs as EUR. Add the rate in Settings, Exchange rates (or "
        "import a CSV), or type the prices and costs in EUR yourself."
    )
    assert wizard.exchange_rate is None
    # With the seller's rate but no rate for the template's own USD prices (a seller in
    # EUR): the template's prices cannot be converted either, and it says so.
    from quote_builder.services import settings as settings_service

    current = settings_service.get_settings(db)
    settings_service.update_settings(
        db, expected_version=current.version_id, actor="t", default_currency="EUR"
    )
    page.load_start()
    assert page.currency_note.text() == (
        "The playbook's templates are priced in USD and the exchange-rate table has no rate "
        "from USD to EUR: add the rate in Settings, Exchange rates (or import a CSV), or type "
        "the prices in EUR yourself."
    )


def test_the_guided_flow_s_currency_notes_are_in_the_interface_s_language(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A German rep read the components page's currency notes in English ("The
    exchange-rate table has no rate from USD ...", "Prices converted from the catalog at
    0.9213 EUR per USD (2026-11-02, ...)"): the template's reason was shown with str() and
    the conversion note was an English f-string with the rate and date in Python's format."""
    from quote_builder.pricing.playbook import PricingModel, ProductCategory
    from quote_builder.ui import i18n, locale_format
    from quote_builder.ui.wizard import GuidedQuote

    db = window.workspace.db
    customer = customer_service.search_customers(db, "Fabrikam").rows[0]
    customer_service.update_customer(
        db, customer.id, {"currency": "EUR"}, expected_version=customer.version_id, actor="t"
    )
    i18n.use_language("de")
    locale_format.set_locale("de_DE")
    try:
        wizard = GuidedQuote(window)
        qtbot.addWidget(wizard)
        wizard.customer = customer_service.get_customer(db, customer.id)
        combo = wizard.product.category
        combo.setCurrentIndex(combo.findData(ProductCategory.ANALYTICS_COPILOT.value))
        page = wizard.components
        page.start_from.addItem("Vorlage", ("template", PricingModel.PLATFORM_USAGE.value))
        page.start_from.setCurrentIndex(page.start_from.count() - 1)
        page.load_start()
        assert page.currency_note.text().startswith(
            "Die Vorlagen des Playbooks und die Kosten des Verkäufers sind in USD"
        ), page.currency_note.text()
        currencies.set_exchange_rate(
            db,
            base="USD",
            quote="EUR",
            rate=D("0.9213"),
            as_of=dt.date(2026, 11, 2),
            source="EZB",
            actor="t",
        )
        plan = plan_service.find_plan(db, "Analytics Copilot")
        page.start_from.addItem("Katalogplan", ("plan", plan.id))
        page.start_from.setCurrentIndex(page.start_from.count() - 1)
        page.load_start()
        assert page.currency_note.text() == (
            "Preise aus dem Katalog umgerechnet zu 0,9213 EUR je USD (02.11.2026, EZB); "
            "das Angebot behält diesen Kurs."
        )
    finally:
        i18n.use_language("en")
        locale_format.set_locale(None)
