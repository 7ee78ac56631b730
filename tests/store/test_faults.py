"""Faults of the disk, the file system and the server give the right sentence, and the
database is kept as it was: a full disk or a read-only folder is never called damage
("restore a backup" would then replace a good database with an older one)."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from quote_builder.pricing.quote_format import quote_from_data
from quote_builder.services import quotes as quote_service
from quote_builder.services.core import InvalidInputError
from quote_builder.services.customers import add_contact, create_customer
from quote_builder.services.plans import create_plan
from quote_builder.services.settings import get_settings, update_settings
from quote_builder.services.transfer import import_customers_csv
from quote_builder.store import database as dbmod
from quote_builder.store.database import (
    Database,
    DatabaseOpenError,
    DatabaseUnavailableError,
    display_url,
    open_database,
)
from tests.faults import fill, make_read_only
from tests.store.conftest import fresh_pg
from tests.store.helpers import customer, document

# --- a full disk -------------------------------------------------------------------------


def _quote_with_one_version(db: Database) -> tuple[int, int]:
    customer(db)
    row = quote_service.create_quote(db, document(title="First"), actor="alice").value
    return row.id, row.version_id


def test_a_full_disk_during_a_save_is_a_sentence_and_keeps_the_previous_version(
    small_disk: Path,
) -> None:
    path = small_disk / "quotes.db"
    db = open_database(str(path), create=True)
    quote_id, version_id = _quote_with_one_version(db)
    filler = fill(small_disk)
    big = document(title="Second", notes="n" * 5000)
    with pytest.raises(DatabaseUnavailableError, match="the disk holding the database is full"):
        quote_service.save_quote(db, quote_id, big, actor="alice", expected_version=version_id)
    db.close()
    filler.unlink()
    reopened = open_database(str(path))
    try:
        versions = quote_service.list_versions(reopened, quote_id)
        assert [v.number for v in versions] == [1]
        assert quote_service.open_version(reopened, quote_id).document.title == "First"
    finally:
        reopened.close()


def test_opening_on_a_full_disk_says_the_disk_is_full_not_damaged(small_disk: Path) -> None:
    path = small_disk / "quotes.db"
    db = open_database(str(path), create=True)
    customer(db)
    db.close()  # the last connection checkpoints and removes -wal and -shm
    assert sorted(p.name for p in small_disk.iterdir()) == ["quotes.db"]
    filler = fill(small_disk)
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(str(path)).close()
    message = str(caught.value)
    assert "the disk holding the database is full" in message
    assert "damaged" not in message and "restore" not in message
    filler.unlink()
    with open_database(str(path)) as again:
        assert again.engine.connect().execute(text("SELECT name FROM customer")).all() == [
            ("Acme",)
        ]


# --- a read-only disk ----------------------------------------------------------------------


def test_opening_on_a_read_only_disk_says_read_only_not_damaged(small_disk: Path) -> None:
    path = small_disk / "quotes.db"
    db = open_database(str(path), create=True)
    customer(db)
    db.close()
    make_read_only(small_disk)
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(str(path)).close()
    message = str(caught.value)
    assert "read-only disk" in message
    assert "damaged" not in message and "restore" not in message


def test_a_save_on_a_read_only_disk_is_a_sentence(small_disk: Path, tmp_path: Path) -> None:
    """A database opened read-only (its -wal and -shm are there, so SQLite can read it):
    every save says so and nothing changes."""
    path = small_disk / "quotes.db"
    db = open_database(str(path), create=True)
    customer(db)
    holder = sqlite3.connect(path)  # keeps -wal and -shm while the copy is taken
    holder.execute("SELECT count(*) FROM customer").fetchall()
    db.close()
    snapshot = tmp_path / "snapshot"
    shutil.copytree(small_disk, snapshot)
    holder.close()
    for name in os.listdir(snapshot):
        shutil.copy(snapshot / name, small_disk / name)
    make_read_only(small_disk)
    with open_database(str(path)) as read_only:
        with pytest.raises(DatabaseUnavailableError, match="the database is read-only here"):
            create_customer(read_only, {"name": "Beta"}, actor="alice")
        assert [c.name for c in _customers(read_only)] == ["Acme"]


def _customers(db: Database) -> list[object]:
    from quote_builder.services.customers import search_customers

    return list(search_customers(db, "").rows)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes without permission")
def test_a_folder_without_permission_is_a_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "quotes.db"
    open_database(str(path), create=True).close()
    folder.chmod(0o500)
    try:
        with pytest.raises(DatabaseOpenError, match="permission denied"):
            open_database(str(path)).close()
    finally:
        folder.chmod(0o700)


# --- files and folders readable by the user only ----------------------------------------------


def test_a_new_database_and_its_wal_and_shm_are_readable_by_the_user_only(
    tmp_path: Path,
) -> None:
    old = os.umask(0o022)  # the usual umask: SQLite alone would make the file 0644
    try:
        path = tmp_path / "quotes.db"
        with open_database(str(path), create=True) as db:
            customer(db)
            with db.engine.connect() as connection:  # -wal and -shm exist while open
                connection.execute(text("SELECT 1"))
                modes = {
                    p.name: stat.S_IMODE(p.stat().st_mode)
                    for p in tmp_path.iterdir()
                    if p.name.startswith("quotes.db")
                }
    finally:
        os.umask(old)
    assert modes == {"quotes.db": 0o600, "quotes.db-wal": 0o600, "quotes.db-shm": 0o600}


def test_the_default_database_folder_is_created_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(dbmod.ENV_VAR, raising=False)
    folder = tmp_path / "data" / "QuoteBuilder"
    monkeypatch.setenv("QUOTE_BUILDER_DATA_DIR", str(folder))  # the default database's folder
    old = os.umask(0o022)
    try:
        open_database(None).close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "quote-builder.db").stat().st_mode) == 0o600


def test_an_existing_database_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    open_database(str(path), create=True).close()
    path.chmod(0o640)  # shared with a group on purpose
    open_database(str(path)).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


# --- NUL characters: refused alike on SQLite and PostgreSQL ----------------------------------


def test_a_nul_character_is_refused_with_a_sentence(db: Database) -> None:
    nul = "Ac\x00me"
    with pytest.raises(InvalidInputError, match="name: must not contain a NUL character"):
        create_customer(db, {"name": nul}, actor="alice")
    customer_id = customer(db)
    with pytest.raises(InvalidInputError, match="title: must not contain a NUL character"):
        add_contact(db, customer_id, {"name": "Ann", "title": "C\x00O"}, actor="alice")
    with pytest.raises(InvalidInputError, match="name: must not contain a NUL character"):
        create_plan(
            db,
            name=nul,
            pricing_model="platform_usage",
            components=[{"kind": "flat_fee", "id": "p", "name": "P", "amount": "1"}],
            actor="alice",
        )
    with pytest.raises(InvalidInputError, match="seller_name: must not contain a NUL character"):
        update_settings(
            db, expected_version=get_settings(db).version_id, actor="alice", seller_name=nul
        )
    with pytest.raises(ValueError, match="title: must not contain a NUL character"):
        document(title="Q\x00")
    with pytest.raises(ValueError, match=r"components\[0\].name: must not contain a NUL"):
        quote_from_data(
            {
                **document().to_json_dict(),
                "components": [{"kind": "flat_fee", "id": "p", "name": "P\x00", "amount": "1"}],
            }
        )


# --- database URLs are never printed with their password ----------------------------------


def test_urls_are_shown_without_their_password() -> None:
    assert display_url("postgresql+psycopg://rep:s3cret@db.example/quotes") == (
        "postgresql+psycopg://rep:***@db.example/quotes"
    )
    # A URL SQLAlchemy cannot parse (a bad port) is still shown without its password.
    assert "s3cret" not in display_url("postgresql+psycopg://rep:s3cret@db:port/quotes")
    assert (
        dbmod.redact_password("failed for postgresql://a:b@c/d")
        == "failed for postgresql://a:***@c/d"
    )
    with pytest.raises(DatabaseOpenError) as caught:
        open_database("postgresql+psycopg://rep:s3cret@db:port/quotes")
    assert "s3cret" not in str(caught.value) and "rep:***@" in str(caught.value)


def test_an_unreachable_server_is_one_line() -> None:
    """psycopg's message is two lines, the second indented with a tab ("connection refused
    / <TAB>Is the server running on that host ..."): the sentence (`quote-builder --db URL`,
    the window's dialog) carried the line break and the tab."""
    pytest.importorskip("psycopg")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(f"postgresql+psycopg://rep:s3cret@127.0.0.1:{port}/quotes")
    message = str(caught.value)
    assert message.startswith(
        "cannot open the database: the database server cannot be reached, so nothing was done."
    )
    assert "\n" not in message and "\t" not in message and "  " not in message
    assert "Is the server running on that host" in message  # the driver's reason is kept


def test_the_commands_print_the_database_url_without_its_password(pg_url: str) -> None:
    import io

    from quote_builder.cli import main

    fresh_pg(pg_url).close()
    password = make_url(pg_url).password
    assert password
    for argv in (["--db", pg_url, "demo"], ["--db", pg_url]):
        out, err = io.StringIO(), io.StringIO()
        assert main(argv, out, err) == 0, err.getvalue()
        assert f":{password}@" not in out.getvalue() + err.getvalue()
        assert ":***@" in out.getvalue()


# --- PostgreSQL: the server goes away in the middle of an import ----------------------------


def test_a_server_crash_mid_import_is_a_sentence_and_imports_nothing(pg_url: str) -> None:
    fresh_pg(pg_url).close()
    marked = make_url(pg_url).update_query_dict({"application_name": "qb_import_under_test"})
    url = marked.render_as_string(hide_password=False)
    db = open_database(url)
    rows = "\n".join(f"Customer {i},Germany,EUR,crm-{i}" for i in range(30_000))
    data = f"Name,Country,Currency,CRM id\n{rows}\n".encode()
    killer = create_engine(pg_url)
    killed: list[int] = []

    def kill_the_import() -> None:
        deadline = time.monotonic() + 60
        with killer.connect() as connection:
            while time.monotonic() < deadline and not killed:
                count = connection.execute(
                    text(
                        "SELECT count(*) FROM customer"  # committed rows: none until the end
                    )
                ).scalar()
                assert count == 0
                pids = connection.execute(
                    text(
                        "SELECT pid FROM pg_stat_activity WHERE application_name = "
                        "'qb_import_under_test' AND state <> 'idle' AND xact_start IS NOT NULL "
                        "AND query ILIKE '%customer%'"
                    )
                ).scalars()
                for pid in pids:
                    connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                    killed.append(pid)
                connection.commit()
                time.sleep(0.02)

    thread = threading.Thread(target=kill_the_import)
    thread.start()
    try:
        with pytest.raises(DatabaseUnavailableError) as caught:
            import_customers_csv(db, data, actor="alice")
    finally:
        thread.join()
        db.close()
    assert killed, "the import finished before it could be interrupted"
    assert "the connection to the database server was lost" in str(caught.value)
    with killer.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM customer")).scalar() == 0
    killer.dispose()


def test_a_trusted_key_name_with_a_nul_is_refused(db: Database, tmp_path: Path) -> None:
    from quote_builder.services.approvals import add_trusted_key, create_key

    key = create_key("dana", "correct horse", directory=tmp_path / "keys")
    with pytest.raises(InvalidInputError, match="name: must not contain a NUL character"):
        add_trusted_key(db, "Da\x00na", key.public_line, actor="alice")


def test_postgresqls_refusal_of_nul_is_a_sentence(pg_url: str) -> None:
    """The safety net in user_error_for, for a text no validator covers."""
    db = fresh_pg(pg_url)
    try:
        with (
            pytest.raises(dbmod.DatabaseTextError, match="contains a NUL character"),
            db.write() as session,
        ):
            session.execute(
                text(
                    "INSERT INTO audit_event (actor, action, entity_type, details_json, at)"
                    " VALUES (:actor, 'x', 'y', '{}', now())"
                ),
                {"actor": "al\x00ice"},
            )
    finally:
        db.close()
