"""Import and export: CSV with our, HubSpot and Salesforce headers; JSON plans and quotes;
all or nothing, with line, column and reason."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from quote_builder.services import customers as customer_svc
from quote_builder.services import plans as plan_svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services import transfer
from quote_builder.services.transfer import ImportFailedError
from quote_builder.store.database import Database

from .helpers import customer, document

HUBSPOT_COMPANIES = (
    "Record ID,Company name,Company Domain Name,Country/Region,Description,Create Date\n"
    "101,Northwind,northwind.example,United Kingdom,Tea importer,2024-01-02\n"
    '102,"Contoso, LLP",contoso.example,United States,"Law firm, ""big""",2024-02-03\n'
)
SALESFORCE_ACCOUNTS = (
    "Account ID,Account Name,Billing Country,Account Currency,Description,Industry\n"
    "001A,Fabrikam,Germany,EUR,Data platform,Technology\n"
)
OURS = (
    "name,currency,product_category,billing_email,crm_id,seats,loaded_hourly_rate,minutes_saved_per_task\n"
    'Globex,USD,coding_assistant_team,ap@globex.example,G-1,"1,200",85.50,12\n'
)


def test_hubspot_companies(db: Database) -> None:
    report = transfer.import_customers_csv(db, HUBSPOT_COMPANIES, actor="a").value
    assert (report.created, report.updated) == (2, 0)
    assert report.unmapped_columns == ("Company Domain Name", "Create Date")
    contoso = customer_svc.search_customers(db, "contoso").rows[0]
    assert (contoso.name, contoso.crm_id, contoso.country, contoso.notes) == (
        "Contoso, LLP",
        "102",
        "United States",
        'Law firm, "big"',
    )


def test_salesforce_accounts_and_our_own_columns(db: Database) -> None:
    transfer.import_customers_csv(
        db, SALESFORCE_ACCOUNTS.encode("utf-8-sig"), actor="a"
    )  # with a BOM
    fabrikam = customer_svc.search_customers(db, "fabrikam").rows[0]
    assert (fabrikam.crm_id, fabrikam.currency, fabrikam.country) == ("001A", "EUR", "Germany")
    report = transfer.import_customers_csv(db, OURS, actor="a").value
    assert report.unmapped_columns == ()
    globex = customer_svc.search_customers(db, "globex").rows[0]
    assert globex.seats == 1200 and globex.loaded_hourly_rate == Decimal("85.50")


def test_reimport_updates_by_crm_id(db: Database) -> None:
    transfer.import_customers_csv(db, HUBSPOT_COMPANIES, actor="a")
    changed = HUBSPOT_COMPANIES.replace("Tea importer", "Tea and coffee importer")
    report = transfer.import_customers_csv(db, changed, actor="a").value
    assert (report.created, report.updated) == (0, 1)  # Northwind; the other row is as it was
    assert customer_svc.search_customers(db, "northwind").rows[0].notes == "Tea and coffee importer"
    assert customer_svc.search_customers(db).total == 2


def test_reimporting_an_unchanged_row_makes_no_new_version(db: Database) -> None:
    """A CRM export imported again bumped every customer's version, so whoever was editing
    any of them in the app got "Not saved: a changed this customer after you opened it",
    and Reload discarded their edits, though nothing had changed."""
    transfer.import_customers_csv(db, HUBSPOT_COMPANIES, actor="a")
    before = {c.name: c.version_id for c in customer_svc.search_customers(db).rows}
    report = transfer.import_customers_csv(db, HUBSPOT_COMPANIES, actor="b").value
    assert (report.created, report.updated) == (0, 0)
    after = customer_svc.search_customers(db).rows
    assert {c.name: c.version_id for c in after} == before
    assert {c.updated_by for c in after} == {"a"}


def test_one_bad_row_rejects_the_file_with_line_column_and_reason(db: Database) -> None:
    bad = (
        "Name,Currency,Billing email,Seats\n"
        "Good Co,USD,ap@good.example,10\n"
        "Bad Currency Co,XYZ,ap@bad.example,5\n"
        "\n"
        "Bad Email Co,EUR,nope,3\n"
        ",USD,,\n"
    )
    with pytest.raises(ImportFailedError) as info:
        transfer.import_customers_csv(db, bad, actor="a")
    problems = info.value.problems
    assert (
        problems[0]
        == "line 3, column 'Currency': unknown currency 'XYZ': use an ISO 4217 code such as USD or EUR"
    )
    assert problems[1] == "line 5, column 'Billing email': 'nope' is not an email address"
    assert problems[2].startswith("line 6, column 'Name':")
    assert customer_svc.search_customers(db).total == 0  # Good Co was not imported either


def test_an_unknown_country_rejects_the_file_naming_line_and_column(db: Database) -> None:
    """ "Atlantis", "XX" or a typo ("Germnay") was imported as it was: the customer's quotes
    then stopped at the tax ("Country: Germnay is not a country") and its documents took
    the default language. Now each is a problem of its line and nothing is imported; a
    known name, an alias (USA) or an ISO code (DE) in any case is kept as written."""
    bad = "Name,Billing Country\nGood Co,Germany\nAtlantis Co,Atlantis\nX Co,XX\nTypo Co,Germnay\n"
    with pytest.raises(ImportFailedError) as info:
        transfer.import_customers_csv(db, bad, actor="a")
    how = "write the country's English name or its two-letter ISO code, such as Germany or DE"
    assert info.value.problems == [
        f"line 3, column 'Billing Country': unknown country 'Atlantis'; {how}",
        f"line 4, column 'Billing Country': unknown country 'XX'; {how}",
        f"line 5, column 'Billing Country': unknown country 'Germnay' (did you mean Germany?); {how}",
    ]
    assert customer_svc.search_customers(db).total == 0  # Good Co was not imported either
    good = "Name,Country\nA,Germany\nB,de\nC,USA\nD,\n"
    assert transfer.import_customers_csv(db, good, actor="a").value.created == 4
    rows = customer_svc.search_customers(db).rows
    assert sorted(c.country for c in rows) == sorted(["Germany", "de", "USA", ""])


def _latin1_on_line_7(header: str, row: str, bad_row: bytes) -> bytes:
    return (header + "\n" + (row + "\n") * 5).encode() + bad_row + b"\n"


def test_a_byte_that_is_not_utf8_is_named_by_its_line_and_column(db: Database) -> None:
    """A Latin-1 "é" on line 7 was "byte 105: the file is not UTF-8 text": the user had to
    count bytes. Every CSV import names the line and the column; plans (JSON) the line."""
    from quote_builder.services import currencies

    customer(db, name="Northwind")
    advice = "not UTF-8 text (the byte 0xE9); save the file as CSV UTF-8"
    cases = [
        (
            transfer.import_customers_csv,
            _latin1_on_line_7("Name,Country", "A{},Germany", b"Caf\xe9 GmbH,Germany"),
            f"line 7, column 'Name': {advice}",
        ),
        (
            transfer.import_contacts_csv,
            _latin1_on_line_7(
                "Customer,Name,Email", "Northwind,P{},p@x.example", b"Northwind,Ren\xe9,r@x.example"
            ),
            f"line 7, column 'Name': {advice}",
        ),
        (
            currencies.import_exchange_rates_csv,
            _latin1_on_line_7(
                "From,To,Rate,Date,Source",
                "USD,EUR,0.9,2026-11-02,ECB",
                b"USD,GBP,0.8,2026-11-02,Caf\xe9",
            ),
            f"line 7, column 'Source': {advice}",
        ),
        (
            transfer.import_customers_csv,
            b"N\xe9me,Country\nA,Germany\n",
            f"line 1: {advice}",
        ),
    ]
    for run_import, data, expected in cases:
        with pytest.raises(ImportFailedError) as info:
            run_import(db, data.replace(b"{}", b"x"), actor="a")
        assert info.value.problems == [expected]
    plans = b'{\n"plans": [\n{\n\n\n\n"name": "Caf\xe9"}]}'
    with pytest.raises(ImportFailedError) as info:
        transfer.import_plans_json(db, plans, actor="a")
    assert info.value.problems == ["line 7: not UTF-8 text (the byte 0xE9); save the file as UTF-8"]
    assert customer_svc.search_customers(db).total == 1  # nothing imported


def test_csv_without_a_name_column_or_not_utf8(db: Database) -> None:
    with pytest.raises(ImportFailedError, match="no customer name column"):
        transfer.import_customers_csv(db, "Foo,Bar\n1,2\n", actor="a")
    with pytest.raises(ImportFailedError, match="not UTF-8"):
        transfer.import_customers_csv(db, b"Name\n\xff\xfe\n", actor="a")
    with pytest.raises(ImportFailedError, match="empty"):
        transfer.import_customers_csv(db, "", actor="a")


def test_contacts_hubspot_and_salesforce(db: Database) -> None:
    transfer.import_customers_csv(db, HUBSPOT_COMPANIES, actor="a")
    hubspot = (
        "First Name,Last Name,Email,Phone Number,Job Title,Associated Company,Lifecycle Stage\n"
        "Maria,Anders,maria@northwind.example,+44 1,VP CX,Northwind,customer\n"
    )
    report = transfer.import_contacts_csv(db, hubspot, actor="a").value
    assert report.created == 1 and report.unmapped_columns == ("Lifecycle Stage",)
    salesforce = 'First Name,Last Name,Title,Email,Phone,Account Name\nAna,Trujillo,GC,ana@contoso.example,1,"Contoso, LLP"\n'
    transfer.import_contacts_csv(db, salesforce, actor="a")
    contoso = customer_svc.search_customers(db, "contoso").rows[0]
    assert [(c.name, c.title) for c in customer_svc.list_contacts(db, contoso.id)] == [
        ("Ana Trujillo", "GC")
    ]
    unknown = "Name,Customer\nZed,Nobody Inc\n"
    with pytest.raises(
        ImportFailedError, match="line 2, column 'Customer': no customer 'Nobody Inc'"
    ):
        transfer.import_contacts_csv(db, unknown, actor="a")


def test_customers_export_round_trips(db: Database) -> None:
    transfer.import_customers_csv(db, OURS, actor="a")
    exported = transfer.export_customers_csv(db)
    assert exported.splitlines()[0].startswith("name,legal_name,country,currency")
    assert "Globex" in exported and "85.50" in exported


def test_plans_json_export_import_all_or_nothing(db: Database, tmp_path: object) -> None:
    plan_svc.create_plan(
        db,
        name="A",
        pricing_model="platform_usage",
        actor="a",
        components=[{"kind": "flat_fee", "id": "f", "name": "F", "amount": "500"}],
    )
    exported = json.loads(transfer.export_plans_json(db))
    assert exported["plans"][0]["components"][0]["amount"] == "500"
    bundle = {
        "plans": [
            {**exported["plans"][0], "name": "B"},
            {
                **exported["plans"][0],
                "name": "C",
                "components": [{"kind": "flat_fee", "id": "f", "name": "F", "amount": "-1"}],
            },
        ]
    }
    with pytest.raises(
        ImportFailedError, match=r"plans\[1\].components\[0\].amount: must not be negative"
    ):
        transfer.import_plans_json(db, json.dumps(bundle), actor="a")
    assert [p.name for p in plan_svc.list_plans(db)] == ["A"]  # B was not imported either
    bundle["plans"].pop()
    transfer.import_plans_json(db, json.dumps(bundle), actor="a")
    assert [p.name for p in plan_svc.list_plans(db)] == ["A", "B"]
    with pytest.raises(ImportFailedError, match="already exists"):
        transfer.import_plans_json(db, json.dumps(bundle), actor="a")


def test_quote_json_export_and_import(db: Database) -> None:
    customer(db)
    row = quote_svc.create_quote(db, document(title="Exported"), actor="a").value
    exported = transfer.export_quote_json(db, row.number)
    data = json.loads(exported)
    assert data["quote_number"] == row.number and data["title"] == "Exported"
    data.pop("quote_number")
    imported = transfer.import_quote_json(db, json.dumps(data), actor="a").value.row
    assert imported.number != row.number and imported.tcv == row.tcv
    with pytest.raises(ImportFailedError, match="term_months: must be at least 1"):
        transfer.import_quote_json(db, json.dumps({**data, "term_months": 0}), actor="a")


def test_re_importing_an_edited_export_makes_a_new_quote_with_the_next_number(
    db: Database,
) -> None:
    """Export, edit the price and discount, import: the number is taken, so the file
    becomes a new quote with the next free number and says so (the import used to stop
    with "already used by another quote", exit 2); the exported quote is unchanged."""
    from decimal import Decimal

    customer(db)
    row = quote_svc.create_quote(db, document(title="Exported"), actor="a").value
    quote_svc.create_quote(db, document(title="Another"), actor="a")
    data = json.loads(transfer.export_quote_json(db, row.number))
    data["components"][0]["amount"] = "1200"
    data["discounts"] = [{"description": "Launch", "percent": "10"}]
    imported = transfer.import_quote_json(db, json.dumps(data), actor="a").value
    year = row.number.split("-")[1]
    assert imported.taken_number == row.number
    assert imported.row.number == f"Q-{year}-0003"  # 0001 exported, 0002 another
    assert str(imported.sentence()) == (
        f"{row.number} is taken: imported as Q-{year}-0003 for Acme (version 1)"
    )
    new = quote_svc.open_version(db, imported.row.id).document
    assert new.quote_number == f"Q-{year}-0003" and new.components[0].amount == Decimal("1200")
    assert quote_svc.open_version(db, row.id).document.components[0].amount == Decimal("1000")
    assert quote_svc.list_versions(db, row.id)[-1].number == 1  # the exported quote untouched
    # A file whose number is free keeps it.
    data["quote_number"] = f"Q-{year}-0042"
    kept = transfer.import_quote_json(db, json.dumps(data), actor="a").value
    assert kept.taken_number is None and kept.row.number == f"Q-{year}-0042"


def test_plan_import_keeps_retired_plans_and_lists_every_problem(db: Database) -> None:
    component = [{"kind": "flat_fee", "id": "f", "name": "F", "amount": "1"}]
    bundle = {
        "plans": [
            {
                "name": "Old",
                "pricing_model": "platform_usage",
                "active": False,
                "components": component,
            },
            {"name": "Bad model", "pricing_model": "bogus", "components": component},
            {
                "name": "Bad currency",
                "pricing_model": "platform_usage",
                "currency": "XYZ",
                "components": component,
            },
        ]
    }
    with pytest.raises(ImportFailedError) as info:
        transfer.import_plans_json(db, json.dumps(bundle), actor="a")
    text = "\n".join(info.value.problems)
    assert "plans[1].pricing_model: unknown model 'bogus'" in text
    assert "plans[2].currency: unknown currency 'XYZ'" in text
    bundle["plans"] = bundle["plans"][:1]
    transfer.import_plans_json(db, json.dumps(bundle), actor="a")
    assert plan_svc.list_plans(db) == []  # imported as retired
    assert [p.name for p in plan_svc.list_plans(db, include_retired=True)] == ["Old"]


def test_salesforce_api_names(db: Database) -> None:
    export = "Id,Name,BillingCountry,CurrencyIsoCode,Description\n001B,Initech,Austria,EUR,Sales\n"
    report = transfer.import_customers_csv(db, export, actor="a").value
    assert report.unmapped_columns == ()
    initech = customer_svc.search_customers(db, "initech").rows[0]
    assert (initech.crm_id, initech.country, initech.currency) == ("001B", "Austria", "EUR")
    again = transfer.import_customers_csv(db, export, actor="a").value
    assert (again.created, again.updated) == (0, 0)  # no duplicate; the row is as it was
    assert customer_svc.search_customers(db, "initech").total == 1


def test_a_quote_file_from_another_database_matches_its_customer_by_name(db: Database) -> None:
    other = customer(db, "Gamma Health")
    fabrikam = customer(db, "Fabrikam")
    data = json.loads(document("Fabrikam").model_dump_json())
    data["customer"]["id"] = str(other)  # the id it had elsewhere points at someone else here
    row = transfer.import_quote_json(db, json.dumps(data), actor="a").value.row
    assert row.customer_id == fabrikam and row.customer_name == "Fabrikam"


def test_a_pdf_given_as_a_quote_file_is_named_as_not_a_quote_file(db: Database) -> None:
    """Walk 6: `quotes import` of a PDF said "save it as CSV UTF-8", advice for the CSV
    imports; a quote file is JSON."""
    pdf = b"%PDF-1.7\n%\xf0\x9f\x96\xa4\n5 0 obj\n<</Length 1>>\nstream\n\x00\xff\nendstream\n"
    with pytest.raises(ImportFailedError) as info:
        transfer.import_quote_json(db, pdf, actor="a")
    message = str(info.value)
    assert "byte 45: the file is not a quote file" in message  # the first byte not UTF-8
    assert "CSV" not in message
    assert [getattr(p, "code", None) for p in info.value.problems] == ["import.not_quote_json"]
    # The CSV imports keep their own advice.
    with pytest.raises(ImportFailedError, match="save the file as CSV UTF-8"):
        transfer.import_customers_csv(db, b"name\n\xff\n", actor="a")


def test_crm_spellings_of_countries_are_known(db: Database) -> None:
    """Refusing unknown countries must not refuse a CRM's own spellings: ISO 3166's names
    ("Korea, Republic of", "Czech Republic"), "and" for CLDR's "&", "Saint" for "St.",
    the accents CRMs leave out ("Cote d'Ivoire"), a part of CLDR's name ("Hong Kong",
    "Burma")."""
    from quote_builder.countries import country_code

    spellings = {
        "Korea, Republic of": "KR",
        "Russian Federation": "RU",
        "Viet Nam": "VN",
        "Czech Republic": "CZ",
        "Turkey": "TR",
        "Hong Kong": "HK",
        "Burma": "MM",
        "The Netherlands": "NL",
        "Cote d'Ivoire": "CI",
        "Saint Lucia": "LC",
        "St Lucia": "LC",
        "Bosnia and Herzegovina": "BA",
        "Trinidad and Tobago": "TT",
        "Sao Tome and Principe": "ST",
        "Saint Vincent and the Grenadines": "VC",
        "Democratic Republic of the Congo": "CD",
    }
    assert {name: country_code(name) for name in spellings} == spellings
    rows = "".join(f'"Co {n}","{name}"\n' for n, name in enumerate(spellings))
    report = transfer.import_customers_csv(db, "Name,Billing Country\n" + rows, actor="a")
    assert report.value.created == len(spellings)
