"""Issue 18 §3 and §4 through the services, on SQLite and PostgreSQL: tax IDs and regions
checked when saved, the quote's tax from the records, the exchange-rate table (CSV import
all or nothing, with the one number parser), price books, a plan in a quote's currency, and
a quote priced the same after the table changes."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from quote_builder.pricing import price
from quote_builder.services import currencies, transfer
from quote_builder.services import customers as customer_svc
from quote_builder.services import plans as plan_svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services import settings as settings_svc
from quote_builder.services import tax as tax_svc
from quote_builder.services.core import InvalidInputError, RefusedError
from quote_builder.store.database import Database

D = Decimal
SEAT = {"kind": "seats", "id": "team", "name": "Team seats", "seats": 12, "price_per_seat": "49.00"}
DAY = dt.date(2026, 11, 2)


def _seller(db: Database, country: str = "France", tax_id: str = "FR12345678901") -> None:
    current = settings_svc.get_settings(db)
    settings_svc.update_settings(
        db,
        expected_version=current.version_id,
        actor="t",
        seller_name="Acme AI",
        seller_country=country,
        seller_tax_id=tax_id,
    )


def _customer(db: Database, **fields: object) -> int:
    return customer_svc.create_customer(db, {"name": "Nordlicht", **fields}, actor="t").value.id


# --- tax IDs and regions ------------------------------------------------------------------------


def test_a_customer_s_tax_id_is_checked_against_its_country(db: Database) -> None:
    with pytest.raises(InvalidInputError) as caught:
        _customer(db, country="Germany", tax_id="DE12345")
    assert caught.value.problems == [
        "Tax ID: DE12345 is not a tax ID of Germany: write DE followed by 9 digits, for example DE123456789."
    ]
    customer_id = _customer(db, country="Germany", tax_id="de 123 456 789")
    saved = customer_svc.get_customer(db, customer_id)
    assert saved.tax_id == "DE123456789"  # kept as it is compared and printed
    with pytest.raises(InvalidInputError) as caught:
        customer_svc.update_customer(
            db, customer_id, {"country": "Austria"}, expected_version=saved.version_id, actor="t"
        )
    assert caught.value.problems[0].startswith("Tax ID: DE123456789 is not a tax ID of Austria")
    assert customer_svc.get_customer(db, customer_id).country == "Germany"  # nothing half-saved


def test_a_canadian_customer_s_region_is_a_province(db: Database) -> None:
    with pytest.raises(InvalidInputError) as caught:
        _customer(db, country="Canada", region="XX")
    assert caught.value.problems == [
        "Region: XX is not a province or territory of Canada; write one of AB, BC, MB, NB, NL, NS, NT, NU, ON, PE, QC, SK, YT."
    ]
    assert (
        customer_svc.get_customer(db, _customer(db, country="Canada", region="on")).region == "ON"
    )


def test_the_seller_s_tax_id_is_checked_against_the_seller_s_country(db: Database) -> None:
    with pytest.raises(InvalidInputError) as caught:
        _seller(db, "France", "DE123456789")
    assert caught.value.problems == [
        "Seller tax ID: DE123456789 is not a tax ID of France: write FR followed by 2 characters and 9 digits, for example FR12345678901."
    ]
    _seller(db)
    assert settings_svc.get_settings(db).seller_tax_id == "FR12345678901"


# --- the quote's tax from the records -------------------------------------------------------------


@pytest.mark.parametrize(
    ("seller", "seller_id", "customer", "fields", "kind", "rule", "rate"),
    [
        (
            "France",
            "FR12345678901",
            "Germany",
            {"tax_id": "DE123456789"},
            "vat",
            "reverse_charge",
            "0",
        ),
        ("Germany", "DE123456789", "Germany", {"tax_id": "DE987654321"}, "vat", "domestic", "19"),
        ("France", "FR12345678901", "Germany", {}, "vat", "destination", "19"),
        ("Japan", "T1234567890123", "Japan", {}, "consumption_tax", "domestic", "10"),
        ("Canada", "", "Canada", {"region": "ON"}, "hst", "domestic", "13"),
        ("United States", "", "United States", {"region": "NY"}, "sales_tax", "rep_entered", "0"),
    ],
)
def test_the_quote_s_tax_from_seller_and_customer(
    db: Database,
    seller: str,
    seller_id: str,
    customer: str,
    fields: dict[str, str],
    kind: str,
    rule: str,
    rate: str,
) -> None:
    _seller(db, seller, seller_id)
    tax = tax_svc.quote_tax(db, _customer(db, country=customer, **fields))
    assert (tax.kind, tax.rule, tax.rate_percent) == (kind, rule, D(rate))


def test_no_seller_country_is_a_sentence(db: Database) -> None:
    with pytest.raises(InvalidInputError) as caught:
        tax_svc.quote_tax(db, _customer(db, country="Germany"))
    assert caught.value.problems == [
        "Seller country: set the seller's country in Settings, Seller profile, so that the quote's tax can be decided."
    ]


def test_set_quote_tax_makes_a_version_and_the_rep_confirms_sales_tax(db: Database) -> None:
    _seller(db, "United States", "")
    customer_id = _customer(db, country="United States", region="NY")
    from tests.pricing.factories import make_quote

    row = quote_svc.create_quote(
        db, make_quote(components=[SEAT]), actor="t", customer_id=customer_id
    ).value
    first = tax_svc.set_quote_tax(db, row.id, actor="t").value
    assert first.latest_version == 2
    tax = quote_svc.open_version(db, row.id).document.tax
    assert tax is not None and tax.rule == "rep_entered" and not tax.confirmed
    confirmed = tax_svc.set_quote_tax(
        db, row.id, actor="t", rate_percent=D("8.875"), confirmed=True
    ).value
    tax = quote_svc.open_version(db, row.id).document.tax
    assert confirmed.latest_version == 3
    assert tax is not None and tax.confirmed and tax.rate_percent == D("8.875")
    assert tax.rate_source == "rep" and tax.table_as_of is None
    # Tax never enters the stored totals: the TCV stays 12 x 49.00 x 12 = 7,056.00.
    assert quote_svc.get_quote(db, row.id).tcv.amount == D("7056.00")
    tax_svc.set_quote_tax(db, row.id, actor="t", remove=True)
    assert quote_svc.open_version(db, row.id).document.tax is None


# --- the exchange-rate table ----------------------------------------------------------------------


def test_rates_import_is_all_or_nothing_with_every_problem_named(db: Database) -> None:
    bad = (
        "From,To,Rate,Date,Source\n"
        "USD,EUR,0.9213,2026-11-02,ECB reference rate\n"
        "USD,GBP,1.085,2026-11-02,BoE\n"  # could be 1.085 or 1,085: refused by the one parser
        "USD,XYZ,2,2026-11-02,x\n"
        "USD,JPY,152.37,02/11/2026,BoJ\n"
        "USD,EUR,0.92,2026-11-02,again\n"
    )
    with pytest.raises(InvalidInputError) as caught:
        currencies.import_exchange_rates_csv(db, bad, actor="t")
    assert caught.value.problems == [
        "line 3, Rate: 1.085 could mean 1.0850 or 1,085; write 1.0850 or 1,085",
        "line 4, To: XYZ is not a currency; use an ISO 4217 code such as USD, EUR or JPY.",
        "line 5, Date: 02/11/2026 is not a date; write it as YYYY-MM-DD.",
        "line 6, the pair USD to EUR is on line 2 already.",
    ]
    assert currencies.list_exchange_rates(db) == []
    good = (
        "From,To,Rate,Date,Source\nUSD,EUR,0.9213,2026-11-02,ECB\nUSD,JPY,152.37,2026-11-02,BoJ\n"
    )
    assert currencies.import_exchange_rates_csv(db, good, actor="t").value == 2
    rates = {
        (r.base_currency, r.quote_currency): r.rate for r in currencies.list_exchange_rates(db)
    }
    assert rates == {("USD", "EUR"): D("0.9213"), ("USD", "JPY"): D("152.37")}


def test_the_inverse_rate_is_used_when_only_the_opposite_pair_is_given(db: Database) -> None:
    currencies.set_exchange_rate(
        db, base="EUR", quote="USD", rate=D("1.0854"), as_of=DAY, source="ECB", actor="t"
    )
    rate = currencies.exchange_rate_for(db, "USD", "EUR")
    assert rate is not None
    assert rate.rate == D("0.9213193293")  # 1 / 1.0854 = 0.92131932928... to 10 decimals
    assert rate.source == "ECB (inverse of EUR to USD)"


# --- price books and conversion -----------------------------------------------------------------


def _plan(db: Database) -> int:
    return plan_svc.create_plan(
        db, name="Team", pricing_model="seats_ai_tiers", components=[SEAT], actor="t"
    ).value.id


def test_a_price_book_sets_prices_explicitly(db: Database) -> None:
    plan_id = _plan(db)
    plan = plan_svc.get_plan(db, plan_id)
    with pytest.raises(InvalidInputError) as caught:
        currencies.set_price_book(
            db,
            plan_id,
            "EUR",
            [{**SEAT, "id": "other", "price_per_seat": "45.00"}],
            expected_version=plan.version_id,
            actor="t",
        )
    assert caught.value.problems == [
        "Price book EUR: component team is missing; a price book prices every component of the plan.",
        "Price book EUR: component other is not in the plan.",
    ]
    currencies.set_price_book(
        db,
        plan_id,
        "EUR",
        [{**SEAT, "price_per_seat": "45.00"}],
        expected_version=plan.version_id,
        actor="t",
    )
    currencies.set_exchange_rate(
        db, base="USD", quote="EUR", rate=D("0.9213"), as_of=DAY, source="ECB", actor="t"
    )
    loaded = currencies.plan_in_currency(db, plan_id, "EUR")
    assert loaded.price_book
    assert loaded.components[0]["price_per_seat"] == "45.00"  # set, not converted
    assert loaded.exchange_rate is not None and not loaded.exchange_rate.converted_prices


def test_without_a_price_book_the_plan_is_converted_and_the_rate_kept(db: Database) -> None:
    plan_id = _plan(db)
    currencies.set_exchange_rate(
        db, base="USD", quote="EUR", rate=D("0.9213"), as_of=DAY, source="ECB", actor="t"
    )
    loaded = currencies.plan_in_currency(db, plan_id, "EUR")
    # 49.00 USD x 0.9213 = 45.1437 -> 45.14 EUR
    assert loaded.components[0]["price_per_seat"] == "45.14"
    fx = loaded.exchange_rate
    assert fx is not None and fx.converted_prices and fx.rate == D("0.9213")
    from tests.pricing.factories import make_quote

    doc = make_quote(
        currency="EUR", components=loaded.components, exchange_rate=fx.model_dump(mode="json")
    )
    row = quote_svc.create_quote(db, doc, actor="t", customer_id=_customer(db)).value
    before = price(quote_svc.open_version(db, row.id).document)
    # The table changes; the saved quote prices the same (it keeps its rate).
    currencies.set_exchange_rate(
        db, base="USD", quote="EUR", rate=D("0.8000"), as_of=DAY, source="ECB", actor="t"
    )
    assert price(quote_svc.open_version(db, row.id).document) == before
    assert (
        currencies.plan_in_currency(db, plan_id, "EUR").components[0]["price_per_seat"] == "39.20"
    )


def test_no_rate_and_no_price_book_is_a_sentence(db: Database) -> None:
    plan_id = _plan(db)
    with pytest.raises(RefusedError) as caught:
        currencies.plan_in_currency(db, plan_id, "JPY")
    assert str(caught.value) == (
        "The exchange-rate table has no rate from USD, the seller's currency, to JPY: costs "
        "are in USD, so the margin of a quote in JPY needs it. Add the rate in Settings, "
        "Exchange rates (or import a CSV)."
    )


def test_plans_export_and_import_carry_price_books(db: Database) -> None:
    plan_id = _plan(db)
    plan = plan_svc.get_plan(db, plan_id)
    currencies.set_price_book(
        db,
        plan_id,
        "JPY",
        [{**SEAT, "price_per_seat": "7350"}],
        expected_version=plan.version_id,
        actor="t",
    )
    exported = json.loads(transfer.export_plans_json(db))
    entry = exported["plans"][0] if isinstance(exported, dict) else exported[0]
    assert entry["price_books"]["JPY"][0]["price_per_seat"] == "7350"
    entry["name"] = "Team (copy)"
    transfer.import_plans_json(db, json.dumps([entry]), actor="t")
    copy = plan_svc.find_plan(db, "Team (copy)")
    assert currencies.price_books(copy)["JPY"][0]["price_per_seat"] == "7350"
    entry["name"] = "Broken"
    entry["price_books"] = {
        "JPY": [{"kind": "flat_fee", "id": "team", "name": "Team", "amount": "1"}]
    }
    with pytest.raises(InvalidInputError) as caught:
        transfer.import_plans_json(db, json.dumps([entry]), actor="t")
    assert any(
        "Price book JPY: component team is of another kind" in p for p in caught.value.problems
    )


def test_a_customer_import_reads_tax_ids_and_regions_and_checks_them(db: Database) -> None:
    bad = "Name,Country,VAT number,State\nNordlicht,Germany,DE12,\nMaple,Canada,,XX\n"
    with pytest.raises(InvalidInputError) as caught:
        transfer.import_customers_csv(db, bad, actor="t")
    assert caught.value.problems == [
        "line 2, column 'VAT number': DE12 is not a tax ID of Germany: write DE followed by 9 digits, for example DE123456789.",
        "line 3, column 'State': XX is not a province or territory of Canada; write one of AB, BC, MB, NB, NL, NS, NT, NU, ON, PE, QC, SK, YT.",
    ]
    good = "Name,Country,VAT number,State\nNordlicht,Germany,de 123456789,\nMaple,Canada,,on\n"
    assert transfer.import_customers_csv(db, good, actor="t").value.created == 2
    rows = {c.name: (c.tax_id, c.region) for c in customer_svc.search_customers(db, "").rows}
    assert rows == {"Nordlicht": ("DE123456789", ""), "Maple": ("", "ON")}
