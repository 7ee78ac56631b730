"""One customer per name, even when two writers race (migration 0009).

The services check a new name by reading first; two processes could both read "no such
customer" and both insert it (PostgreSQL runs their writes side by side). The unique index
on ``customer.name_key`` refuses the second insert, and the rep reads the same sentence as
the read check gives. Old databases holding duplicates upgrade anyway: later duplicates are
renamed with a suffix, logged and recorded in the history."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from quote_builder.services import customers as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services import transfer
from quote_builder.store.database import Database, make_engine, open_database
from quote_builder.store.migrations import head_revision, upgrade

from .helpers import document

NOW = "2026-01-01 00:00:00"
SENTENCE = (
    "Customer name: Contoso Legal already exists (use it instead of adding another customer "
    "with the same name)."
)


def _second_connection(db: Database) -> Database:
    """Another Database on the same file or server: its own engine, its own connections
    (as a second process of the app would have)."""
    return open_database(db.url if not db.is_sqlite else str(db.path))


def _blind_read_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """The race's window: this writer's read check saw no customer of that name (the
    other's insert was not committed yet), so only the database can refuse the second."""
    monkeypatch.setattr(svc, "_refuse_duplicate", lambda *a, **k: None)


def test_the_read_check_sentence(db: Database) -> None:
    svc.create_customer(db, {"name": "Contoso Legal"}, actor="a")
    with pytest.raises(svc.DuplicateCustomerError) as refused:
        svc.create_customer(db, {"name": " contoso   LEGAL "}, actor="b")
    assert str(refused.value) == SENTENCE


def test_a_second_connection_past_the_read_check_gets_the_same_sentence(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = svc.create_customer(db, {"name": "Contoso Legal"}, actor="a").value
    other = _second_connection(db)
    try:
        _blind_read_check(monkeypatch)
        with pytest.raises(svc.DuplicateCustomerError) as refused:
            svc.create_customer(other, {"name": "contoso  legal"}, actor="b")
        assert str(refused.value) == SENTENCE
        assert refused.value.existing.id == first.id
        # The same for a rename onto another customer's name, and for the guided flow's
        # new customer with its quote (both or neither).
        globex = svc.create_customer(other, {"name": "Globex"}, actor="b").value
        with pytest.raises(svc.DuplicateCustomerError, match="Contoso Legal already exists"):
            svc.update_customer(
                other,
                globex.id,
                {"name": "CONTOSO LEGAL"},
                expected_version=globex.version_id,
                actor="b",
            )
        with pytest.raises(svc.DuplicateCustomerError, match="Contoso Legal already exists"):
            quote_svc.create_quote_for_new_customer(
                other, {"name": "Contoso Legal"}, document("Contoso Legal"), actor="b"
            )
    finally:
        other.close()
    names = [c.name for c in svc.search_customers(db, "").rows]
    assert sorted(names) == ["Contoso Legal", "Globex"]
    assert quote_svc.list_quotes(db).total == 0


def test_two_writers_at_the_same_moment_on_postgresql(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two connections, two threads: both read "no Contoso Legal" (held at a barrier after
    reading, so both pass the check), then both insert. PostgreSQL holds the second insert
    until the first commits, then its unique index refuses it."""
    from .conftest import fresh_pg

    db = fresh_pg(pg_url)
    other = open_database(pg_url)
    barrier = threading.Barrier(2, timeout=20)
    real = svc._refuse_duplicate

    def check_then_wait(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)  # both pass: nobody has committed a Contoso Legal yet
        barrier.wait()

    monkeypatch.setattr(svc, "_refuse_duplicate", check_then_wait)
    results: dict[str, object] = {}

    def create(name: str, database: Database) -> None:
        try:
            results[name] = svc.create_customer(database, {"name": name}, actor=name).value
        except Exception as exc:  # noqa: BLE001 (the test reads it)
            results[name] = exc

    threads = [
        threading.Thread(target=create, args=("Contoso Legal", db)),
        threading.Thread(target=create, args=("contoso legal", other)),
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        other.close()
    errors = [r for r in results.values() if isinstance(r, Exception)]
    saved = [r for r in results.values() if not isinstance(r, Exception)]
    assert len(saved) == 1 and len(errors) == 1, results
    assert isinstance(errors[0], svc.DuplicateCustomerError), repr(errors[0])
    assert str(errors[0]) == (
        f"Customer name: {saved[0].name} already exists (use it instead of adding another "  # type: ignore[attr-defined]
        "customer with the same name)."
    )
    monkeypatch.setattr(svc, "_refuse_duplicate", real)
    assert svc.search_customers(db, "contoso").total == 1
    db.close()


def test_a_csv_import_refuses_a_name_already_there_or_twice_in_the_file(db: Database) -> None:
    svc.create_customer(db, {"name": "Contoso Legal", "crm_id": "C-1"}, actor="a")
    csv = (
        "Company name,Record ID\n"
        "Fabrikam,F-1\n"
        "contoso legal,C-9\n"  # another CRM id: a second Contoso Legal
        "Initech,I-1\n"
        "INITECH,I-2\n"
        "Contoso Legal,C-1\n"  # its own CRM id: an update, fine
    )
    with pytest.raises(transfer.ImportFailedError) as refused:
        transfer.import_customers_csv(db, csv, actor="a")
    assert refused.value.problems == [
        "line 3, column 'Company name': Contoso Legal already exists (give its CRM id to "
        "update it, or another name)",
        "line 5, column 'Company name': INITECH is on line 4 too (one customer per name)",
    ]
    assert [c.name for c in svc.search_customers(db, "").rows] == ["Contoso Legal"]


# --- the upgrade of a database holding duplicates -------------------------------------------


def _old_database_with_duplicates(path: Path) -> None:
    url = f"sqlite:///{path}"
    database = Database(url, make_engine(url))
    upgrade(database, "0008")
    database.close()
    c = sqlite3.connect(path)
    rows = [
        (1, "Contoso Legal"),
        (2, "contoso  legal"),
        (3, "CONTOSO LEGAL"),
        (4, "Contoso Legal (duplicate 2)"),
        (5, "Globex"),
    ]
    for customer_id, name in rows:
        c.execute(
            "INSERT INTO customer (id, name, version_id, created_at, updated_at) "
            "VALUES (?, ?, 1, ?, ?)",
            (customer_id, name, NOW, NOW),
        )
    c.execute(
        "INSERT INTO contact (id, customer_id, name, created_at) VALUES (1, 2, 'Ana', ?)", (NOW,)
    )
    c.execute(
        "INSERT INTO quote (id, number, customer_id, latest_version, version_id, created_at, "
        "updated_at) VALUES (1, 'Q-2026-0001', 3, 1, 1, ?, ?)",
        (NOW, NOW),
    )
    c.commit()
    c.close()


EXPECTED_NAMES = {
    1: "Contoso Legal",
    2: "contoso legal (duplicate 3)",
    3: "CONTOSO LEGAL (duplicate 4)",
    4: "Contoso Legal (duplicate 2)",
    5: "Globex",
}


def test_an_old_database_with_duplicates_upgrades_renaming_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "old.db"
    _old_database_with_duplicates(path)
    with caplog.at_level(logging.WARNING, logger="quote_builder.store.migrations"):
        database = open_database(str(path))  # upgrades to the head, after a backup
    try:
        rows = {c.id: c for c in svc.search_customers(database, "").rows}
        assert {i: c.name for i, c in rows.items()} == EXPECTED_NAMES
        assert (rows[2].version_id, rows[2].updated_by) == (2, "database upgrade")
        assert rows[1].version_id == 1  # the oldest keeps its name, untouched
        # Nothing else changed: the renamed customers keep their contact and quote.
        assert [c.name for c in svc.list_contacts(database, 2)] == ["Ana"]
        assert quote_svc.find_quote(database, "Q-2026-0001").customer_name == EXPECTED_NAMES[3]
        with database.read() as session:
            history = session.exec(
                sa.text(
                    "SELECT entity_id, details_json FROM audit_event "
                    "WHERE action = 'customer_renamed_duplicate' ORDER BY entity_id"
                )
            ).all()
        assert [(i, json.loads(d)) for i, d in history] == [
            (2, {"from": "contoso  legal", "to": EXPECTED_NAMES[2], "same_name_as_customer": 1}),
            (3, {"from": "CONTOSO LEGAL", "to": EXPECTED_NAMES[3], "same_name_as_customer": 1}),
        ]
        # From now on the name is unique: a new Contoso Legal is refused as always.
        with pytest.raises(svc.DuplicateCustomerError, match="Contoso Legal already exists"):
            svc.create_customer(database, {"name": "contoso legal"}, actor="a")
    finally:
        database.close()
    logged = [r.getMessage() for r in caplog.records if "renamed" in r.getMessage()]
    assert logged == [
        "customer 2 'contoso  legal' renamed 'contoso legal (duplicate 3)': customer 1 has the "
        "same name, and names are unique from now on (merge or rename them on the Customers "
        "page)",
        "customer 3 'CONTOSO LEGAL' renamed 'CONTOSO LEGAL (duplicate 4)': customer 1 has the "
        "same name, and names are unique from now on (merge or rename them on the Customers "
        "page)",
    ]
    c = sqlite3.connect(path)
    try:
        assert c.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
        with pytest.raises(sqlite3.IntegrityError, match="name_key"):
            c.execute(
                "INSERT INTO customer (name, name_key, version_id, created_at, updated_at) "
                "VALUES ('Globex', 'globex', 1, ?, ?)",
                (NOW, NOW),
            )
    finally:
        c.close()


def test_an_old_postgresql_database_with_duplicates_upgrades_too(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        upgrade(Database(pg_url, make_engine(pg_url)), "0008")
        with engine.begin() as connection:
            for customer_id, name in ((1, "Contoso Legal"), (2, "contoso legal"), (3, "Globex")):
                connection.execute(
                    sa.text(
                        "INSERT INTO customer (id, name, currency, archived, version_id, "
                        "created_at, updated_at, updated_by, legal_name, country, "
                        "billing_email, billing_address, crm_id, notes) VALUES (:id, :name, "
                        "'USD', false, 1, now(), now(), '', '', '', '', '', '', '')"
                    ),
                    {"id": customer_id, "name": name},
                )
    finally:
        engine.dispose()
    database = open_database(pg_url)  # to the head, as the session's schema was
    try:
        names = {c.id: c.name for c in svc.search_customers(database, "").rows}
        assert names == {1: "Contoso Legal", 2: "contoso legal (duplicate 2)", 3: "Globex"}
        with pytest.raises(svc.DuplicateCustomerError):
            svc.create_customer(database, {"name": "GLOBEX"}, actor="a")
    finally:
        database.close()
