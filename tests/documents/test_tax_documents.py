"""Issue 18 in the customer documents: the tax beside the price, the reverse-charge note,
both tax IDs, the currency stated, the rep's unconfirmed rate refused as final; every new
sentence goes through gettext whole (a catalog installed replaces it)."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import pytest

from quote_builder.documents.i18n import Translator
from quote_builder.documents.render import RenderRefusedError, render_html, render_pdf
from quote_builder.pricing.document import QuoteTax
from quote_builder.pricing.tax import CustomerTaxFacts, with_rep_rate

from .conftest import example, request_for

NOTE = (
    "VAT reverse charge: the customer accounts for VAT under Article 196 of Council "
    "Directive 2006/112/EC."
)


def _text(html: str) -> str:
    # What a reader reads: a value kept on one line (a nowrap span) is part of its sentence.
    html = re.sub(r'<span class="nowrap">([^<]*)</span>', r"\1", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("&#39;", "'")


def test_a_german_customer_s_eur_quote_with_the_reverse_charge() -> None:
    html = _text(render_html("both", request_for(example("eur_reverse_charge_germany.json"))))
    assert NOTE in html
    assert "No VAT is charged on these invoices." in html
    assert "Provider's VAT ID FR12345678901" in html  # the order form's parties
    assert "Customer's VAT ID DE123456789" in html
    assert "All prices are in euros (EUR)." in html  # mid-sentence: CLDR's plural name
    # Year 1: 12 seats x 45.14 EUR x 12 months = 6,500.16; no VAT; 6,500.16 including tax.
    assert "1 6,500.16 0.00 6,500.16" in html
    assert "0.9213" not in html  # the exchange rate is the seller's, never printed
    assert "USD" not in html


def test_a_japanese_jpy_quote_with_consumption_tax() -> None:
    html = _text(render_html("both", request_for(example("jpy_consumption_tax_japan.json"))))
    assert (
        "Prices are before tax. Consumption tax of 10% (Japan) is added to every invoice and "
        "rounded to the whole unit of the currency on each invoice." in html
    )
    # Year 1: 150,000 onboarding + 12 x 3 x 7,350 = 414,600; tax 15,000 + 2,205 x 12 =
    # 41,460; 456,060. Year 2: 3 x 7,718 (7,350 x 1.05 = 7,717.5 -> 7,718) x 12 = 277,848;
    # 23,154 x 10 % = 2,315.4 -> 2,315 an invoice, x 12 = 27,780.
    assert "1 414,600 41,460 456,060" in html
    assert "2 277,848 27,780 305,628" in html
    assert "¥7,718" in html
    assert "rounded to the cent" not in html  # JPY has no cents


def test_a_us_quote_with_confirmed_sales_tax_and_the_unconfirmed_one_refused() -> None:
    doc = example("usd_sales_tax_new_york.json")
    html = _text(render_html("both", request_for(doc)))
    # 10 x 49.00 + 1,500.00 = 1,990.00 a month; 8.875 % = 176.61 (176.6125 half up); 12 x.
    assert "Sales tax of 8.875% (United States, NY) is added to every invoice" in html
    assert "1 23,880.00 2,119.32 25,999.32" in html
    assert "1,990.00 176.61 2,166.61" in html  # an invoice of the schedule
    assert doc.tax is not None
    unconfirmed = doc.model_copy(
        update={"tax": with_rep_rate(doc.tax, Decimal("8.875"), confirmed=False)}
    )
    draft = _text(render_html("contract", request_for(unconfirmed)))
    assert "To settle before signature" in draft
    assert "Sales tax: the rate is still to be confirmed." in draft  # the draft's words
    with pytest.raises(RenderRefusedError, match="the rate on this quote is not confirmed"):
        render_pdf(request_for(unconfirmed, final=True), "contract")


def test_a_reverse_charge_without_the_seller_s_vat_id_is_refused_as_final() -> None:
    doc = example("eur_reverse_charge_germany.json")
    assert doc.tax is not None
    data = doc.tax.model_dump()
    data["seller_tax_id"] = ""
    missing = doc.model_copy(update={"tax": QuoteTax.model_validate(data)})
    with pytest.raises(RenderRefusedError, match="Seller tax ID: the reverse-charge note"):
        render_pdf(request_for(missing, final=True), "contract")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "The tax was decided for another country of the provider (France, not United Kingdom)",
        ),
        (
            "de",
            "Die Steuer wurde für ein anderes Land des Anbieters entschieden (Frankreich, nicht Vereinigtes Königreich)",
        ),
    ],
)
def test_a_tax_decided_for_a_seller_in_another_country_is_settled_first(
    language: str, expected: str
) -> None:
    """The reviewer's order form: a provider in London under a French VAT ID and the
    EU reverse charge, because the file's tax was decided for a seller in France. The
    draft says so; a final order form is refused; the seller's own country passes."""
    doc = example("eur_reverse_charge_germany.json")
    assert doc.tax is not None and doc.tax.seller_country == "FR"
    locale = {"en": "en_US", "de": "de_DE"}[language]
    draft = _text(
        render_html(
            "contract",
            request_for(doc, seller_country="GB", language=language, locale=locale),
        )
    )
    assert expected in draft
    with pytest.raises(RenderRefusedError, match=r"another country of the provider \(France"):
        render_pdf(request_for(doc, seller_country="GB", final=True), "contract")
    same = _text(render_html("contract", request_for(doc, seller_country="FR")))
    assert "another country of the provider" not in same
    unknown = _text(render_html("contract", request_for(doc)))  # no seller profile country
    assert "another country of the provider" not in unknown


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The tax was decided without the customer's tax ID (DE123456789)"),
        ("de", "Die Steuer wurde ohne die Steuernummer des Kunden (DE123456789) entschieden"),
        ("fr", "La taxe a été déterminée sans le numéro fiscal du client (DE123456789)"),
        ("es", "El impuesto se determinó sin el número de identificación fiscal del cliente"),
        ("ja", "税は顧客の税番号（DE123456789）なしで決定されています"),
    ],
)
def test_a_tax_decided_before_the_customer_s_tax_id_is_settled_first(
    language: str, expected: str
) -> None:
    """The rep's walk: the guided flow decided German VAT at 19 % for a German customer
    without a tax ID; the ID was added on the Customers page afterwards (the reverse charge
    now). The draft lists it under "To settle before signature" in its own language; a
    final order form is refused with the rep's sentence; the record as decided passes."""
    doc = example("eur_reverse_charge_germany.json")
    assert doc.tax is not None
    decided = doc.tax.model_copy(
        update={
            "seller_country": "GB",
            "rule": "destination",
            "rate_percent": Decimal("19"),
            "customer_tax_id": "",
        }
    )
    doc = doc.model_copy(update={"tax": decided})
    now = CustomerTaxFacts("Hooli AI GmbH", "DE", "", "DE 123 456 789")
    locale = {"en": "en_US", "de": "de_DE", "fr": "fr_FR", "es": "es_ES", "ja": "ja_JP"}
    draft = _text(
        render_html(
            "contract",
            request_for(doc, customer_tax=now, language=language, locale=locale[language]),
        )
    )
    assert expected in draft
    with pytest.raises(RenderRefusedError, match=r"Hooli AI GmbH now has a tax ID \(DE123456789\)"):
        render_pdf(request_for(doc, customer_tax=now, final=True), "contract")
    as_decided = CustomerTaxFacts("Hooli AI GmbH", "DE", "", "")
    same = _text(render_html("contract", request_for(doc, customer_tax=as_decided)))
    assert "decided without the customer's tax ID" not in same
    unknown = _text(render_html("contract", request_for(doc)))  # no customer record
    assert "decided without the customer's tax ID" not in unknown


def test_the_new_sentences_are_translated_whole() -> None:
    """The tax sentences are messages of the documents' catalogs, each whole with named
    placeholders: a German quote prints them in German (the catalog's own words), with
    the currency's and the country's names from babel, and no English sentence left."""
    req = request_for(example("eur_reverse_charge_germany.json"))
    german = dataclasses.replace(req, locale="de_DE", language="de")
    html = _text(render_html("both", german))
    catalog = Translator("de")
    note = catalog.gettext(NOTE)
    assert note != NOTE
    assert note in html
    assert NOTE not in html
    assert "Auf diesen Rechnungen wird keine Umsatzsteuer berechnet." in html
    assert "Alle Preise in Euro (EUR)." in html
    assert "USt-IdNr. des Anbieters FR12345678901" in html
