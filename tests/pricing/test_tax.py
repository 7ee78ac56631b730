"""Tax beside the price (issue 18 §3): which tax a quote carries, and each invoice's tax.

The arithmetic is written beside every expected value. Tax is rounded half up to the
currency's minor unit once per invoice; a year's and the contract's tax are sums of the
invoices' taxes (docs/tax-and-currencies.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quote_builder.pricing import price
from quote_builder.pricing.currency import minor_units
from quote_builder.pricing.document import QuoteTax
from quote_builder.pricing.serialize import quote_to_dict
from quote_builder.pricing.tax import (
    TaxSetupError,
    determine_tax,
    rate_table,
    tax_breakdown,
    tax_id_problem,
    tax_problems,
    with_rep_rate,
)
from quote_builder.pricing.terms import TermsParty, customer_terms, terms_problems

from .factories import make_quote

D = Decimal


def _tax(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "kind": "vat",
        "rule": "domestic",
        "rate_percent": "19",
        "seller_country": "DE",
        "customer_country": "DE",
        "rate_source": "table",
        "table_as_of": "2025-08-01",
        "table_source": "test",
    }
    return base | fields


SEATS_EUR = [
    {"kind": "seats", "id": "team", "name": "Team seats", "seats": 12, "price_per_seat": "45.00"}
]


# --- the arithmetic, invoice by invoice ------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "seats", "price_per_seat", "rate", "subtotal", "tax", "total"),
    [
        # 12 seats x 45.00 EUR = 540.00; 19 % VAT = 102.60; total 642.60
        ("EUR", 12, "45.00", "19", "540.00", "102.60", "642.60"),
        # 7 seats x 33.33 EUR = 233.31; 19 % = 44.3289 -> 44.33 (half up); total 277.64
        ("EUR", 7, "33.33", "19", "233.31", "44.33", "277.64"),
        # 3 x 7,350 JPY = 22,050; 10 % consumption tax = 2,205; total 24,255
        ("JPY", 3, "7350", "10", "22050", "2205", "24255"),
        # 1 x 7,355 JPY; 10 % = 735.5 -> 736 JPY (half up, JPY has no minor unit); 8,091
        ("JPY", 1, "7355", "10", "7355", "736", "8091"),
        # 2 x 12.345 BHD = 24.690; 10 % = 2.469; total 27.159 (BHD has 3 decimals)
        ("BHD", 2, "12.345", "10", "24.690", "2.469", "27.159"),
        # 10 x 99.99 CAD = 999.90; 13 % HST = 129.987 -> 129.99; total 1,129.89
        ("CAD", 10, "99.99", "13", "999.90", "129.99", "1129.89"),
        # 1 x 100.05 AUD; 10 % GST = 10.005 -> 10.01 (half up); total 110.06
        ("AUD", 1, "100.05", "10", "100.05", "10.01", "110.06"),
    ],
)
def test_tax_of_one_monthly_invoice(
    currency: str,
    seats: int,
    price_per_seat: str,
    rate: str,
    subtotal: str,
    tax: str,
    total: str,
) -> None:
    doc = make_quote(
        currency=currency,
        components=[
            {
                "kind": "seats",
                "id": "team",
                "name": "Team seats",
                "seats": seats,
                "price_per_seat": price_per_seat,
            }
        ],
        tax=_tax(rate_percent=rate),
    )
    priced = price(doc)
    breakdown = tax_breakdown(priced, doc.tax)  # type: ignore[arg-type]
    first = breakdown.invoices[0]
    assert (first.subtotal, first.tax, first.total) == (D(subtotal), D(tax), D(total))
    # Twelve monthly invoices of the same amount: the year's tax is twelve rounded taxes.
    assert breakdown.years[0].tax == D(tax) * 12
    assert breakdown.tax == D(tax) * 12


def test_tax_is_rounded_per_invoice_not_per_year() -> None:
    """3 seats x 3.35 EUR = 10.05 a month; 19 % = 1.9095 -> 1.91 per invoice, so twelve
    invoices carry 22.92 of VAT. Rounding the year's 120.60 x 19 % = 22.914 once would give
    22.91: the schedule would then disagree with the invoices by a cent."""
    doc = make_quote(
        currency="EUR",
        components=[
            {"kind": "seats", "id": "t", "name": "Team", "seats": 3, "price_per_seat": "3.35"}
        ],
        tax=_tax(),
    )
    priced = price(doc)
    breakdown = tax_breakdown(priced, doc.tax)  # type: ignore[arg-type]
    assert priced.years[0].revenue == D("120.60")  # 12 x 10.05
    assert {i.tax for i in breakdown.invoices} == {D("1.91")}
    assert breakdown.years[0].tax == D("22.92")  # 12 x 1.91, not round(22.914) = 22.91
    assert breakdown.total == D("143.52")  # 120.60 + 22.92


def test_tax_is_on_the_invoice_after_discounts() -> None:
    """12 seats x 45.00 EUR = 540.00 less 10 % = 486.00; 19 % VAT = 92.34; 578.34."""
    doc = make_quote(
        currency="EUR",
        components=SEATS_EUR,
        discounts=[{"description": "Launch", "percent": "10"}],
        tax=_tax(),
    )
    priced = price(doc)
    first = tax_breakdown(priced, doc.tax).invoices[0]  # type: ignore[arg-type]
    assert (first.subtotal, first.tax, first.total) == (D("486.00"), D("92.34"), D("578.34"))


def test_reverse_charge_charges_nothing() -> None:
    doc = make_quote(
        currency="EUR",
        components=SEATS_EUR,
        tax=_tax(
            rule="reverse_charge",
            rate_percent="0",
            seller_country="FR",
            seller_tax_id="FR12345678901",
            customer_tax_id="DE123456789",
        ),
    )
    priced = price(doc)
    breakdown = tax_breakdown(priced, doc.tax)  # type: ignore[arg-type]
    assert breakdown.tax == D("0.00")
    assert breakdown.total == breakdown.subtotal == priced.tcv == D("6480.00")  # 12 x 540.00


# --- tax never changes the price ----------------------------------------------------------------


def test_tax_changes_no_revenue_margin_or_warning() -> None:
    base = make_quote(
        currency="EUR",
        components=SEATS_EUR,
        economics={"unit_costs": {}, "fixed_cost_per_month": "100"},
    )
    taxed = base.model_copy(update={"tax": QuoteTax.model_validate(_tax())})
    a, b = price(base), price(taxed)
    assert a == b  # the whole PricedQuote: revenue, COGS, margin, warnings, schedule
    data = quote_to_dict(taxed, b)
    assert data["tcv"] == "6480.00"  # before tax
    assert data["tax"]["tax"] == "1231.20"  # 12 invoices x 102.60
    assert data["tax"]["total_including_tax"] == "7711.20"  # 6,480.00 + 1,231.20
    assert data["internal"]["gross_margin_percent"] == data["gross_margin_percent"]
    assert quote_to_dict(base, a)["tax"] is None


@settings(max_examples=60, deadline=None)
@given(
    currency=st.sampled_from(["EUR", "JPY", "BHD", "USD", "KWD", "GBP"]),
    seats=st.integers(min_value=0, max_value=500),
    cents=st.integers(min_value=0, max_value=2_000_000),
    rate=st.sampled_from(["0", "5", "9", "10", "13", "17", "19", "20", "25.5", "27", "8.875"]),
    discount=st.sampled_from([None, "5", "12.5"]),
    billing=st.sampled_from(["monthly", "quarterly", "annual"]),
    cost=st.integers(min_value=0, max_value=50_000),
)
def test_tax_never_changes_margin_and_every_amount_has_the_minor_units(
    currency: str,
    seats: int,
    cents: int,
    rate: str,
    discount: str | None,
    billing: str,
    cost: int,
) -> None:
    """Invariants: the priced quote is the same with and without tax (revenue, margin,
    warnings); every tax amount has exactly the currency's minor units; each invoice's total
    is subtotal + tax; years and the contract sum their invoices."""
    places = minor_units(currency)
    unit_price = Decimal(cents).scaleb(-places)
    doc = make_quote(
        currency=currency,
        billing_frequency=billing,
        term_months=24,
        components=[
            {
                "kind": "seats",
                "id": "s",
                "name": "Seats",
                "seats": seats,
                "price_per_seat": str(unit_price),
            }
        ],
        discounts=[{"percent": discount}] if discount else [],
        economics={"fixed_cost_per_month": str(cost)},
    )
    taxed = doc.model_copy(update={"tax": QuoteTax.model_validate(_tax(rate_percent=rate))})
    before, after = price(doc), price(taxed)
    assert before == after
    breakdown = tax_breakdown(after, taxed.tax)  # type: ignore[arg-type]
    amounts = [breakdown.subtotal, breakdown.tax, breakdown.total]
    for i in breakdown.invoices:
        assert i.total == i.subtotal + i.tax
        assert i.tax == (i.subtotal * Decimal(rate) / 100).quantize(
            Decimal(1).scaleb(-places), "ROUND_HALF_UP"
        )
        amounts += [i.subtotal, i.tax, i.total]
    for y in breakdown.years:
        assert y.tax == sum(i.tax for i in breakdown.invoices if i.contract_year == y.year)
        amounts += [y.subtotal, y.tax, y.total]
    assert breakdown.subtotal == after.tcv
    for amount in amounts:
        assert amount.as_tuple().exponent == -places, (amount, currency)


# --- which tax -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seller", "customer", "region", "seller_id", "customer_id", "kind", "rule", "rate"),
    [
        # Domestic EU B2B charges VAT: German seller, German business customer, 19 %.
        ("DE", "DE", "", "DE123456789", "DE987654321", "vat", "domestic", "19"),
        # EU cross-border B2B with a VAT ID: reverse charge, no VAT.
        ("FR", "DE", "", "FR12345678901", "DE123456789", "vat", "reverse_charge", "0"),
        # Non-EU seller to an EU business with a VAT ID: Article 196 too (seller not
        # established in the customer's member state).
        ("US", "DE", "", "", "DE123456789", "vat", "reverse_charge", "0"),
        # EU cross-border without a VAT ID: the customer's member state's rate (OSS).
        ("FR", "DE", "", "FR12345678901", "", "vat", "destination", "19"),
        ("DE", "FI", "", "DE123456789", "", "vat", "destination", "25.5"),
        ("GB", "GB", "", "GB123456789", "", "vat", "domestic", "20"),
        # UK business customer of a foreign seller: it accounts for UK VAT itself.
        ("DE", "GB", "", "DE123456789", "GB123456789", "vat", "customer_accounts", "0"),
        ("AU", "AU", "", "", "51824753556", "gst", "domestic", "10"),
        ("US", "NZ", "", "", "", "gst", "destination", "15"),
        ("CA", "CA", "ON", "", "", "hst", "domestic", "13"),
        ("CA", "CA", "NS", "", "", "hst", "domestic", "14"),
        ("CA", "CA", "AB", "", "", "gst", "domestic", "5"),
        ("US", "CA", "QC", "", "", "gst", "destination", "5"),
        ("SG", "SG", "", "", "", "gst", "domestic", "9"),
        ("IN", "IN", "", "", "27AAPFU0939F1ZV", "gst", "domestic", "18"),
        ("JP", "JP", "", "T1234567890123", "T9876543210123", "consumption_tax", "domestic", "10"),
        ("US", "JP", "", "", "", "consumption_tax", "destination", "10"),
        ("US", "JP", "", "", "T9876543210123", "consumption_tax", "customer_accounts", "0"),
        # US sales tax: never from a table; the rep enters and confirms it.
        ("US", "US", "NY", "", "", "sales_tax", "rep_entered", "0"),
        ("DE", "US", "CA", "DE123456789", "", "sales_tax", "rep_entered", "0"),
        # A country the table does not cover: the rep too.
        ("DE", "CH", "", "DE123456789", "", "tax", "rep_entered", "0"),
    ],
)
def test_which_tax(
    seller: str,
    customer: str,
    region: str,
    seller_id: str,
    customer_id: str,
    kind: str,
    rule: str,
    rate: str,
) -> None:
    tax = determine_tax(
        seller_country=seller,
        customer_country=customer,
        customer_region=region,
        seller_tax_id=seller_id,
        customer_tax_id=customer_id,
    )
    assert (tax.kind, tax.rule, tax.rate_percent) == (kind, rule, D(rate))
    assert tax.seller_tax_id == seller_id and tax.customer_tax_id == customer_id
    if rule == "rep_entered":
        assert tax.rate_source == "rep" and tax.table_as_of is None
        assert not tax.confirmed
    else:
        assert tax.rate_source == "table"
        assert tax.table_as_of == rate_table().as_of == dt.date(2025, 8, 1)
        assert "European Commission" in tax.table_source


def test_the_table_has_every_eu_member_state_and_the_issue_s_countries() -> None:
    table = rate_table()
    assert len(table.eu_member_states) == 27
    for code in table.eu_member_states | {"GB", "AU", "NZ", "CA", "SG", "IN", "JP"}:
        assert code in table.countries
        assert table.countries[code].rate is not None or table.countries[code].regions
    assert table.countries["US"].rate is None  # no built-in US rate table
    assert {c for c, _r in table.countries["CA"].regions} >= {"ON", "QC", "BC", "NS", "NB"}


@pytest.mark.parametrize(
    ("kwargs", "sentence"),
    [
        (
            {"seller_country": "", "customer_country": "DE"},
            "Seller country: set the seller's country in Settings, Seller profile, so that the quote's tax can be decided.",
        ),
        (
            {"seller_country": "DE", "customer_country": ""},
            "Country: set the customer's country on the Customers page, so that the quote's tax can be decided.",
        ),
        (
            {"seller_country": "US", "customer_country": "CA"},
            "Region: the customer's province or territory is needed in CA, where the tax rate depends on it (e.g. ON for Ontario).",
        ),
        (
            {"seller_country": "US", "customer_country": "CA", "customer_region": "XX"},
            "Region: XX is not a province or territory of CA; write one of AB, BC, MB, NB, NL, NS, NT, NU, ON, PE, QC, SK, YT.",
        ),
        (
            {"seller_country": "FR", "customer_country": "DE", "customer_tax_id": "DE12345"},
            "Tax ID: DE12345 is not a tax ID of DE: write DE followed by 9 digits, for example DE123456789.",
        ),
    ],
)
def test_what_stops_a_tax_from_being_decided(kwargs: dict[str, str], sentence: str) -> None:
    with pytest.raises(TaxSetupError) as caught:
        determine_tax(**kwargs)
    assert caught.value.problems == [sentence]


@pytest.mark.parametrize(
    ("country", "tax_id", "ok"),
    [
        ("DE", "DE123456789", True),
        ("DE", "de 123 456 789", True),  # spaces and case do not matter
        ("DE", "DE12345678", False),  # 8 digits
        ("DE", "FR12345678901", False),  # another country's prefix
        ("AT", "ATU12345678", True),
        ("AT", "AT12345678", False),  # the U is part of it
        ("GR", "EL123456789", True),  # Greece writes EL
        ("GR", "GR123456789", False),
        ("NL", "NL123456789B01", True),
        ("NL", "NL123456789", False),
        ("FR", "FRXX123456789", True),
        ("FR", "FRIO123456789", False),  # no I or O in the key
        ("IE", "IE1234567T", True),
        ("IE", "IE1234567FA", True),
        ("IE", "IE1234567", False),
        ("ES", "ESX1234567X", True),
        ("SE", "SE123456789001", True),
        ("SE", "SE123456789012", False),  # ends in 01
        ("BE", "BE0123456789", True),
        ("BE", "BE2123456789", False),
        ("IT", "IT12345678901", True),
        ("PL", "PL123-456-78-90", True),  # dashes dropped
        ("GB", "GB123456789", True),
        ("GB", "GB12345678", False),
        ("AU", "51 824 753 556", True),
        ("IN", "27AAPFU0939F1ZV", True),
        ("IN", "27AAPFU0939F1Z", False),
        ("JP", "T1234567890123", True),
        ("JP", "1234567890123", False),
        ("CA", "123456789RT0001", True),
        ("US", "12-3456789", True),  # no known form: accepted as written
        ("DE", "", True),  # empty: nothing to check
    ],
)
def test_tax_id_format_by_country(country: str, tax_id: str, ok: bool) -> None:
    problem = tax_id_problem(country, tax_id, field="Tax ID")
    assert (problem is None) == ok, problem


def test_the_rep_enters_and_confirms_us_sales_tax() -> None:
    """A US quote: 10 seats x 49.00 USD = 490.00 a month; 8.875 % sales tax (New York City)
    = 43.48875 -> 43.49; 533.49 each invoice. Unconfirmed, it cannot go out as final."""
    tax = determine_tax(seller_country="US", customer_country="US", customer_region="NY")
    assert tax_problems(tax) == [
        "Sales tax: the rate on this quote is not confirmed. Enter the rate that applies to the customer (0 if the sale is not taxable) and confirm it in the quote editor (Terms, Tax) before sending the quote as final."
    ]
    entered = with_rep_rate(tax, D("8.875"), confirmed=False)
    assert tax_problems(entered) != []
    confirmed = with_rep_rate(tax, D("8.875"), confirmed=True)
    assert tax_problems(confirmed) == []
    doc = make_quote(
        components=[
            {"kind": "seats", "id": "s", "name": "Seats", "seats": 10, "price_per_seat": "49.00"}
        ],
        tax=confirmed.model_dump(mode="json"),
    )
    priced = price(doc)
    first = tax_breakdown(priced, doc.tax).invoices[0]  # type: ignore[arg-type]
    assert (first.subtotal, first.tax, first.total) == (D("490.00"), D("43.49"), D("533.49"))
    # The same refusal reaches the order form through the customer's terms.
    unconfirmed = doc.model_copy(update={"tax": entered})
    terms = customer_terms(
        unconfirmed,
        priced,
        seller=TermsParty(name="Acme AI"),
        customer=TermsParty(name="Initech"),
        issued=dt.date(2026, 12, 1),
    )
    assert tax_problems(entered)[0] in terms_problems(terms)


def test_no_rate_under_the_reverse_charge() -> None:
    tax = determine_tax(
        seller_country="FR",
        customer_country="DE",
        seller_tax_id="FR12345678901",
        customer_tax_id="DE123456789",
    )
    with pytest.raises(TaxSetupError):
        with_rep_rate(tax, D("19"), confirmed=True)


def test_reverse_charge_needs_the_seller_s_vat_id_on_a_final_order_form() -> None:
    doc = make_quote(
        currency="EUR",
        components=SEATS_EUR,
        tax=_tax(
            rule="reverse_charge",
            rate_percent="0",
            seller_country="FR",
            customer_tax_id="DE123456789",
        ),
    )
    terms = customer_terms(
        doc,
        price(doc),
        seller=TermsParty(name="Acme AI"),
        customer=TermsParty(name="Initech"),
        issued=dt.date(2026, 12, 1),
    )
    assert terms.customer.tax_id == "DE123456789"
    assert terms.seller.tax_id is None
    assert any(
        p.startswith("Seller tax ID: the reverse-charge note") for p in terms_problems(terms)
    )


def test_the_tax_is_kept_with_the_quote_and_refused_when_inconsistent() -> None:
    from quote_builder.pricing.quote_format import QuoteFileError, quote_from_data

    from .factories import quote_data

    with pytest.raises(QuoteFileError) as caught:
        quote_from_data(
            quote_data(tax=_tax(rule="reverse_charge", rate_percent="19", customer_tax_id="X"))
        )
    assert any("rate_percent" in p for p in caught.value.problems)
    with pytest.raises(QuoteFileError):
        quote_from_data(quote_data(tax=_tax(rule="reverse_charge", rate_percent="0")))
    with pytest.raises(QuoteFileError):
        quote_from_data(quote_data(tax=_tax(table_as_of=None)))


def test_terms_without_tax_hash_as_before() -> None:
    """A quote without a tax line has no tax in its terms and no tax_id on its parties, so
    terms.json (and the hash the order form cites) of existing quotes does not change."""
    from quote_builder.pricing.terms import terms_data

    doc = make_quote()
    data = terms_data(
        customer_terms(
            doc,
            price(doc),
            seller=TermsParty(name="Acme AI"),
            customer=TermsParty(name="Initech"),
            issued=dt.date(2026, 12, 1),
        )
    )
    assert "tax" not in data
    assert "tax_id" not in data["seller"] and "tax_id" not in data["customer"]
