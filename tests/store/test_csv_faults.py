"""Customer and contact CSV: an unclosed quote names the line where it opened (it used to
merge the rows after it into one customer), lines are bounded, and exported cells a
spreadsheet would run as formulas are neutralised and come back exactly on import."""

from __future__ import annotations

import csv
import io

import pytest

from quote_builder.services.customers import search_customers
from quote_builder.services.transfer import (
    ImportFailedError,
    export_customers_csv,
    import_contacts_csv,
    import_customers_csv,
    neutralise_cell,
    restore_cell,
)
from quote_builder.store.database import Database

from .helpers import customer


def names(db: Database) -> list[str]:
    return sorted(c.name for c in search_customers(db, "", limit=100).rows)


def problems_of(db: Database, text: str, importer=import_customers_csv) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportFailedError) as caught:
        importer(db, text.encode(), actor="alice")
    return [p for p in caught.value.problems if p != "Nothing was imported:"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('name,country\n"Acme,US\nBeta,DE\n', 2),  # was: one customer named "Acme,US\nBeta,DE"
        ('name,country\n"Acme,US\nBeta,DE', 2),  # no line break at the end
        ('name,country,notes\nAcme,US,"two\nlines"\n"Beta,DE\nGamma,FR\n', 4),
        ('name,country,notes\nAcme,US,"two\nlines"\nBeta,DE,"unclosed\nGamma,FR,x\n', 4),
        ('name,country\n"Acme ""Best"" Inc",US\n"Beta,DE\nGamma,FR\n', 3),
        ('name,"country\nAcme,US\n', 1),  # in the header
    ],
)
def test_an_unclosed_quote_names_the_line_where_it_opened(
    db: Database, text: str, line: int
) -> None:
    assert problems_of(db, text) == [f"line {line}: a quoted field opened here is never closed"]
    assert names(db) == []


def test_an_unclosed_quote_in_contacts_names_its_line(db: Database) -> None:
    customer(db, "Acme")
    text = (
        'Customer,Name,Email\nAcme,Ann,ann@acme.test\nAcme,"Bob,bob@acme.test\nAcme,Cy,c@a.test\n'
    )
    assert problems_of(db, text, import_contacts_csv) == [
        "line 3: a quoted field opened here is never closed"
    ]


def test_a_quote_that_never_closes_in_a_long_file_is_named_too(db: Database) -> None:
    rows = "".join(f"Customer {i},DE\n" for i in range(20_000))
    text = f'name,country\nAcme,US\n"Beta,DE\n{rows}'
    assert problems_of(db, text) == [
        f"line 3: a quoted field opened here is never closed (it runs on for more than "
        f"{csv.field_size_limit():,} characters)"
    ]


def test_a_quoted_line_break_still_imports(db: Database) -> None:
    text = 'name,country,notes\nAcme,US,"two\nlines"\nBeta,DE,\n'
    import_customers_csv(db, text.encode(), actor="alice")
    assert names(db) == ["Acme", "Beta"]


def test_a_line_without_a_break_is_refused_early(db: Database) -> None:
    text = "name,country\nAcme," + "x" * 100_000 + "\n"
    assert problems_of(db, text) == [
        "line 2: longer than 65,536 characters without a line break (is this a CSV file?)"
    ]


DANGEROUS = [
    '=HYPERLINK("http://evil.test","click")',
    "+1 555 0100",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
    "\rReturned",
    "'=already quoted",
    "''+twice",
]


def test_exported_cells_are_neutralised_and_come_back_exactly(
    db: Database, tmp_path: object
) -> None:
    # A customer's name is kept on one line (a pasted tab or line break is a space:
    # models._trim_name), so the cells that start with a tab or a carriage return are notes.
    named = [text for text in DANGEROUS if text == text.strip()]
    noted = [text for text in DANGEROUS if text != text.strip()]
    assert noted == ["\tTabbed", "\rReturned"]
    for i, name in enumerate(named):
        customer(db, name, crm_id=f"crm-{i}", notes="=1+1")
    for i, note in enumerate(noted):
        customer(db, f"Whitespace {i}", crm_id=f"crm-ws-{i}", notes=note)
    customer(db, "Plain 'quoted' name", crm_id="crm-plain", notes="a - b")
    exported = export_customers_csv(db)
    rows = list(csv.reader(io.StringIO(exported)))
    cells = [cell for row in rows[1:] for cell in row]
    # No cell a spreadsheet would run as a formula.
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    header = rows[0]
    by_crm = {row[header.index("crm_id")]: row for row in rows[1:]}
    assert by_crm["crm-0"][header.index("name")] == "'" + DANGEROUS[0]
    assert by_crm["crm-0"][header.index("notes")] == "'=1+1"
    assert by_crm["crm-plain"][header.index("name")] == "Plain 'quoted' name"
    # Importing the export into an empty database gives back every name exactly.
    from quote_builder.store.database import open_database

    other = open_database(f"{tmp_path}/other.db", create=True)
    try:
        report = import_customers_csv(other, exported.encode(), actor="alice").value
        assert report.created == len(DANGEROUS) + 1
        assert names(other) == sorted(
            [*named, "Whitespace 0", "Whitespace 1", "Plain 'quoted' name"]
        )
        assert {c.notes for c in search_customers(other, "", limit=100).rows} == {
            "=1+1",
            "a - b",
            *noted,
        }
    finally:
        other.close()


@pytest.mark.parametrize("text", [*DANGEROUS, "", "plain", "'", "'plain", "a=b", "-"])
def test_neutralise_and_restore_are_inverse(text: str) -> None:
    assert restore_cell(neutralise_cell(text)) == text
    assert neutralise_cell(text)[:1] not in ("=", "+", "-", "@", "\t", "\r")
