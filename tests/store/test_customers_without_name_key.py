"""Customers written outside the app (raw SQL, an older tool, a colleague's script on a shared
PostgreSQL database) have no ``name_key``: the duplicate checks, the CSV import, search and
edits must see them all the same, and opening the database gives them their key (migration
0013 did it once for the rows an upgrade finds; ``database.fill_missing_name_keys`` on every
open for rows written since). Names compare in Unicode NFKC: the same name typed or pasted
is one customer."""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from pathlib import Path

import pytest
import sqlalchemy as sa

from quote_builder.services import customers as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services import transfer
from quote_builder.services.core import InvalidInputError
from quote_builder.store import repositories as repo
from quote_builder.store.database import Database, make_engine, open_database
from quote_builder.store.migrations import upgrade

from .helpers import document

RAW = (
    "INSERT INTO customer (name, version_id, created_at, updated_at) "
    "VALUES (:name, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
)


def _raw_customer(db: Database, name: str) -> int:
    """A customer as another tool writes it: no name key, no event, no validation."""
    with db.engine.begin() as connection:
        connection.execute(sa.text(RAW), {"name": name})
        found = connection.execute(
            sa.text("SELECT max(id) FROM customer WHERE name = :name"), {"name": name}
        ).scalar_one()
    return int(found)


def _keys(db: Database) -> dict[int, str | None]:
    with db.engine.connect() as connection:
        return dict(connection.execute(sa.text("SELECT id, name_key FROM customer")).all())  # type: ignore[arg-type]


def _reopen(db: Database) -> Database:
    """The same database opened again, as the app's next start (or a second process) does."""
    return open_database(db.url if not db.is_sqlite else str(db.path))


def test_a_customer_without_a_key_is_a_duplicate_all_the_same(db: Database) -> None:
    initech = _raw_customer(db, "Initech")
    assert _keys(db)[initech] is None
    refused = re.escape("Customer name: Initech already exists (use it instead")
    with pytest.raises(svc.DuplicateCustomerError, match=refused) as info:
        svc.create_customer(db, {"name": "INITECH "}, actor="a")
    assert info.value.existing.id == initech
    with pytest.raises(svc.DuplicateCustomerError, match=refused):
        svc.check_new_customer(db, {"name": "initech"})  # the guided flow's check
    with pytest.raises(svc.DuplicateCustomerError, match=refused):
        quote_svc.create_quote_for_new_customer(
            db, {"name": "initech"}, document("initech"), actor="a"
        )
    globex = svc.create_customer(db, {"name": "Globex"}, actor="a").value
    with pytest.raises(svc.DuplicateCustomerError, match=refused):  # a rename onto it
        svc.update_customer(
            db, globex.id, {"name": "initech"}, expected_version=globex.version_id, actor="a"
        )
    with pytest.raises(transfer.ImportFailedError) as bad_import:
        transfer.import_customers_csv(db, "Name,CRM id\nINITECH,I-9\n", actor="a")
    assert bad_import.value.problems == [
        "line 2, column 'Name': Initech already exists (give its CRM id to update it, or "
        "another name)"
    ]
    assert sorted(c.name for c in svc.search_customers(db, "").rows) == ["Globex", "Initech"]


def test_search_finds_customers_without_a_key_and_matches_names_as_they_compare(
    db: Database,
) -> None:
    tabbed = _raw_customer(db, "Umbrella\tCorp")
    svc.create_customer(db, {"name": "MÜLLER AG"}, actor="a")
    svc.create_customer(db, {"name": "Straße Software"}, actor="a")

    def found(text: str) -> list[str]:
        return [c.name for c in svc.search_customers(db, text).rows]

    # Found by its name (it has no key yet), and shown on one line as the app writes names.
    assert found("umbrella") == ["Umbrella Corp"]
    assert found("müller") == ["MÜLLER AG"]  # SQLite's LIKE folds ASCII only; the key folds all
    assert found("STRASSE") == ["Straße Software"]  # casefold: ß is ss
    assert svc.search_customers(db, "müller").total == 1
    reopened = _reopen(db)  # the key is filled on open
    try:
        assert _keys(reopened)[tabbed] == "umbrella corp"
        assert [c.name for c in svc.search_customers(reopened, "umbrella corp").rows] == [
            "Umbrella Corp"
        ]
    finally:
        reopened.close()


def test_an_edit_keeping_the_name_of_a_customer_without_a_key_is_saved(db: Database) -> None:
    """A colleague's tool added a second "contoso legal": the rep may archive it or fill its
    billing address (the page sends the name unchanged) without being refused for a name they
    did not give; a rename onto the other's name is refused; a new name gives it its key."""
    svc.create_customer(db, {"name": "Contoso Legal"}, actor="a")
    twin = _raw_customer(db, "contoso legal")
    archived = svc.archive_customer(db, twin, expected_version=1, actor="a").value
    assert archived.archived and _keys(db)[twin] is None
    edited = svc.update_customer(
        db,
        twin,
        {"name": "contoso legal", "billing_address": "1 Harbour Way"},
        expected_version=archived.version_id,
        actor="a",
    ).value
    assert edited.billing_address == "1 Harbour Way" and edited.name == "contoso legal"
    with pytest.raises(svc.DuplicateCustomerError, match="Contoso Legal already exists"):
        svc.update_customer(
            db, twin, {"name": "Contoso  LEGAL"}, expected_version=edited.version_id, actor="a"
        )
    renamed = svc.update_customer(
        db, twin, {"name": "Contoso Legal EU"}, expected_version=edited.version_id, actor="a"
    ).value
    assert renamed.name == "Contoso Legal EU" and _keys(db)[twin] == "contoso legal eu"


def test_opening_the_database_fills_missing_keys_renaming_duplicates(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    contoso = svc.create_customer(db, {"name": "Contoso Legal"}, actor="a").value.id
    initech = _raw_customer(db, "Initech")
    twin = _raw_customer(db, "contoso legal")
    hooli = _raw_customer(db, "Hooli")
    hooli_twin = _raw_customer(db, "HOOLI\n")
    with caplog.at_level(logging.WARNING, logger="quote_builder.store"):
        reopened = _reopen(db)
    try:
        rows = {c.id: c for c in svc.search_customers(reopened, "").rows}
        assert {i: c.name for i, c in rows.items()} == {
            contoso: "Contoso Legal",  # the app's customer keeps its name and key
            initech: "Initech",
            twin: "contoso legal (duplicate 2)",
            hooli: "Hooli",  # the lower id of two rows written outside keeps the name
            hooli_twin: "HOOLI (duplicate 2)",
        }
        assert _keys(reopened) == {
            contoso: "contoso legal",
            initech: "initech",
            twin: "contoso legal (duplicate 2)",
            hooli: "hooli",
            hooli_twin: "hooli (duplicate 2)",
        }
        # A key alone is no change of the customer: nobody's open form turns stale.
        assert (rows[initech].version_id, rows[initech].updated_by) == (1, "")
        assert (rows[twin].version_id, rows[twin].updated_by) == (2, "Quote Builder")
        with reopened.read() as session:
            history = session.exec(
                sa.text(
                    "SELECT entity_id, actor, details_json FROM audit_event "
                    "WHERE action = 'customer_renamed_duplicate' ORDER BY entity_id"
                )
            ).all()
        assert [(i, actor, json.loads(d)) for i, actor, d in history] == [
            (
                twin,
                "Quote Builder",
                {
                    "from": "contoso legal",
                    "to": "contoso legal (duplicate 2)",
                    "same_name_as_customer": contoso,
                },
            ),
            (
                hooli_twin,
                "Quote Builder",
                {"from": "HOOLI\n", "to": "HOOLI (duplicate 2)", "same_name_as_customer": hooli},
            ),
        ]
        # The unique index sees them now: another tool's second Initech is refused by the
        # database itself once the app has opened it.
        with pytest.raises(sa.exc.IntegrityError), reopened.engine.begin() as connection:
            connection.execute(
                sa.text(
                    RAW.replace("(name,", "(name, name_key,").replace("(:name,", "(:name, :key,")
                ),
                {"name": "Initech", "key": "initech"},
            )
    finally:
        reopened.close()
    assert [r.getMessage() for r in caplog.records if "renamed" in r.getMessage()] == [
        f"customer {twin} 'contoso legal' renamed 'contoso legal (duplicate 2)': another "
        "customer has the same name (the row was written outside Quote Builder); merge or "
        "rename them on the Customers page",
        f"customer {hooli_twin} 'HOOLI\\n' renamed 'HOOLI (duplicate 2)': another customer "
        "has the same name (the row was written outside Quote Builder); merge or rename them "
        "on the Customers page",
    ]


def test_a_fill_that_finds_its_row_done_already_changes_nothing(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes opening the database at once both see the row without a key; each
    UPDATE is guarded by ``name_key IS NULL``, so the second finds nothing to do (no second
    rename, no second history entry)."""
    svc.create_customer(db, {"name": "Hooli"}, actor="a")
    twin = _raw_customer(db, "hooli")
    stale = repo.customers_without_name_key
    with db.read() as session:
        seen = list(stale(session))  # what the slower process read before the other wrote
    with db.write() as session:
        assert [r[0] for r in repo.fill_missing_name_keys(session)] == [twin]
    monkeypatch.setattr(repo, "customers_without_name_key", lambda _session: seen)
    with db.write() as session:
        assert repo.fill_missing_name_keys(session) == []
    monkeypatch.undo()
    names = sorted(c.name for c in svc.search_customers(db, "").rows)
    assert names == ["Hooli", "hooli (duplicate 2)"]
    with db.read() as session:
        renames = session.exec(
            sa.text("SELECT count(*) FROM audit_event WHERE action = 'customer_renamed_duplicate'")
        ).one()
    assert renames[0] == 1


def test_names_a_form_would_refuse_are_shown_not_a_traceback(db: Database) -> None:
    """An empty name (and on SQLite, which does not enforce VARCHAR lengths, a name of 300
    characters) reads as stored; saving it asks for a valid name in a sentence."""
    empty = _raw_customer(db, "")
    names = [c.name for c in svc.search_customers(db, "").rows]
    assert names == [""]
    assert svc.get_customer(db, empty).name == ""
    if db.is_sqlite:
        long = _raw_customer(db, "y" * 300)
        assert len(svc.get_customer(db, long).name) == 300
        assert svc.search_customers(db, "yyy").total == 1
    with pytest.raises(InvalidInputError, match="name"):
        svc.update_customer(db, empty, {"name": ""}, expected_version=1, actor="a")
    fixed = svc.update_customer(db, empty, {"name": "Vandelay"}, expected_version=1, actor="a")
    assert fixed.value.name == "Vandelay"


@pytest.mark.parametrize(
    ("existing", "typed"),
    [
        ("Société Générale", unicodedata.normalize("NFD", "Société Générale")),  # pasted
        ("Acme Ltd", "Acme\u00a0Ltd"),  # a no-break space from a web page
        ("ACME", "ＡＣＭＥ"),  # full-width letters (a Japanese keyboard)
        ("Straße AG", "STRASSE AG"),
    ],
)
def test_the_same_name_in_another_unicode_form_is_a_duplicate(
    db: Database, existing: str, typed: str
) -> None:
    svc.create_customer(db, {"name": existing}, actor="a")
    with pytest.raises(svc.DuplicateCustomerError, match="already exists"):
        svc.create_customer(db, {"name": typed}, actor="a")


def test_accents_make_another_name(db: Database) -> None:
    """Müller and Muller are different family names (and companies): a name differing only
    by an accent is not refused as a duplicate."""
    svc.create_customer(db, {"name": "Müller GmbH"}, actor="a")
    assert svc.create_customer(db, {"name": "Muller GmbH"}, actor="a").value.id


# --- migration 0013 ----------------------------------------------------------------------------


def _at_0012(url: str) -> None:
    database = Database(url, make_engine(url))
    try:
        upgrade(database, "0012")
    finally:
        database.close()


def _rows_of_0012(connection: sa.Connection) -> None:
    """Customers as 0012 left them: keys of 0009's function (no NFKC), one without a key,
    with contacts and a quote on the ones the upgrade renames."""
    nfd = unicodedata.normalize("NFD", "Société Générale")
    for customer_id, name, key in (
        (1, "Société Générale", "société générale"),
        (2, nfd, nfd.casefold()),  # a different key under 0009's rules: both were saved
        (3, "Initech", "initech"),
        (4, "initech", None),  # written outside the app
        (5, "Globex", None),
    ):
        connection.execute(
            sa.text(
                "INSERT INTO customer (id, name, name_key, version_id, created_at, updated_at, "
                "updated_by) VALUES (:id, :name, :key, 1, '2026-01-01 00:00:00', "
                "'2026-01-01 00:00:00', 'rep')"
            ),
            {"id": customer_id, "name": name, "key": key},
        )
    connection.execute(
        sa.text(
            "INSERT INTO contact (id, customer_id, name, created_at) "
            "VALUES (1, 2, 'Ana', '2026-01-01 00:00:00')"
        )
    )
    connection.execute(
        sa.text(
            "INSERT INTO quote (id, number, customer_id, latest_version, version_id, created_at, "
            "updated_at) VALUES (1, 'Q-2026-0001', 4, 1, 1, '2026-01-01 00:00:00', "
            "'2026-01-01 00:00:00')"
        )
    )


def _check_upgraded(database: Database) -> None:
    rows = {c.id: c for c in svc.search_customers(database, "").rows}
    nfd = unicodedata.normalize("NFD", "Société Générale")
    assert {i: c.name for i, c in rows.items()} == {
        1: "Société Générale",
        2: nfd + " (duplicate 2)",  # the later of the two keeps its quotes and contacts
        3: "Initech",
        4: "initech (duplicate 2)",
        5: "Globex",
    }
    assert [(rows[i].version_id, rows[i].updated_by) for i in (1, 2, 3, 4, 5)] == [
        (1, "rep"),
        (2, "database upgrade"),
        (1, "rep"),
        (2, "database upgrade"),
        (1, "rep"),
    ]
    assert _keys(database) == {
        1: "société générale",
        2: "société générale (duplicate 2)",
        3: "initech",
        4: "initech (duplicate 2)",
        5: "globex",
    }
    assert [c.name for c in svc.list_contacts(database, 2)] == ["Ana"]
    assert quote_svc.find_quote(database, "Q-2026-0001").customer_name == "initech (duplicate 2)"
    with database.read() as session:
        history = session.exec(
            sa.text(
                "SELECT entity_id, details_json FROM audit_event "
                "WHERE action = 'customer_renamed_duplicate' ORDER BY entity_id"
            )
        ).all()
    assert [(i, json.loads(d)["same_name_as_customer"]) for i, d in history] == [(2, 1), (4, 3)]
    with pytest.raises(svc.DuplicateCustomerError, match="Société Générale already exists"):
        svc.create_customer(database, {"name": nfd.upper()}, actor="a")
    # The unique index is back after the keys were rewritten.
    with pytest.raises(sa.exc.IntegrityError), database.engine.begin() as connection:
        connection.execute(
            sa.text(RAW.replace("(name,", "(name, name_key,").replace("(:name,", "(:name, :key,")),
            {"name": "Globex", "key": "globex"},
        )


def test_migration_0013_fills_and_normalises_keys_on_sqlite(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    _at_0012(url)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        _rows_of_0012(connection)
    engine.dispose()
    with caplog.at_level(logging.WARNING, logger="quote_builder.store.migrations"):
        database = open_database(str(path))
    try:
        _check_upgraded(database)
    finally:
        database.close()
    logged = [r.getMessage() for r in caplog.records if "renamed" in r.getMessage()]
    assert len(logged) == 2 and logged[1].startswith(
        "customer 4 'initech' renamed 'initech (duplicate 2)': customer 3 has the same name"
    )
    assert list(tmp_path.glob("old.backup-0012-*.db"))  # the copy made before upgrading


def test_migration_0013_fills_and_normalises_keys_on_postgresql(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        _at_0012(pg_url)
        with engine.begin() as connection:
            _rows_of_0012(connection)
            connection.execute(sa.text("SELECT setval('customer_id_seq', 5)"))
            connection.execute(sa.text("SELECT setval('contact_id_seq', 1)"))
            connection.execute(sa.text("SELECT setval('quote_id_seq', 1)"))
    finally:
        engine.dispose()
    database = open_database(pg_url)  # to the head, as the session's schema was
    try:
        _check_upgraded(database)
    finally:
        database.close()


def test_migration_0013_leaves_a_database_whose_keys_are_right_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "fine.db"
    url = f"sqlite:///{path}"
    _at_0012(url)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO customer (id, name, name_key, version_id, created_at, updated_at) "
                "VALUES (1, 'Contoso Legal', 'contoso legal', 1, '2026-01-01 00:00:00', "
                "'2026-01-01 00:00:00')"
            )
        )
    engine.dispose()
    database = open_database(str(path))
    try:
        assert [(c.name, c.version_id) for c in svc.search_customers(database, "").rows] == [
            ("Contoso Legal", 1)
        ]
        with database.engine.connect() as connection:
            indexes = {
                r[1]: r[2] for r in connection.exec_driver_sql("PRAGMA index_list(customer)")
            }
        assert indexes["ux_customer_name_key"] == 1  # unique, as 0009 made it
    finally:
        database.close()
