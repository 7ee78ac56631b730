"""Opening databases: where they live, connection settings, foreign and corrupt files,
migrations with a backup first, and models that match the migrations."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from quote_builder.store import database as dbmod
from quote_builder.store.database import Database, DatabaseOpenError, open_database, resolve_url
from quote_builder.store.migrations import head_revision, upgrade


def test_url_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(dbmod.ENV_VAR, raising=False)
    monkeypatch.setenv("QUOTE_BUILDER_DATA_DIR", str(tmp_path / "data"))  # app_dirs.data_dir
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'data' / 'quote-builder.db'}"
    assert (tmp_path / "data").is_dir()  # created so the first run works
    monkeypatch.setenv(dbmod.ENV_VAR, "postgresql+psycopg://u:p@host/db")
    assert resolve_url(None) == "postgresql+psycopg://u:p@host/db"
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"  # --db beats the environment
    assert resolve_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"


def test_sqlite_connection_settings(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == dbmod.BUSY_TIMEOUT_MS


def test_write_transactions_begin_immediate(sqlite_db: Database) -> None:
    statements: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    from sqlalchemy import event

    event.listen(sqlite_db.engine, "before_cursor_execute", record)
    with sqlite_db.write() as session:
        session.execute(text("SELECT 1"))
    with sqlite_db.read() as session:
        session.execute(text("SELECT 1"))
    assert statements.count("BEGIN IMMEDIATE") == 1
    assert statements.count("BEGIN") == 1


def test_a_second_writer_waits_instead_of_failing(sqlite_db: Database, tmp_path: Path) -> None:
    # A foreign writer holds the write lock briefly; our write waits (busy timeout) and succeeds.
    import threading
    import time

    other = sqlite3.connect(tmp_path / "quotes.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    threading.Thread(target=lambda: (time.sleep(0.5), other.execute("COMMIT")), daemon=True).start()
    from quote_builder.services.customers import create_customer

    assert create_customer(sqlite_db, {"name": "Waited"}, actor="t").value.id == 1
    other.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, this is a text file\n", "not a Quote Builder database (it is not a SQLite file)"),
        (b"SQLite format 3\x00" + b"\x00" * 84 + b"garbage" * 100, "damaged"),
    ],
)
def test_foreign_or_corrupt_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseOpenError, match=re.escape(message)):
        open_database(str(path))
    assert path.read_bytes() == content  # untouched


def test_another_programs_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE songs (title TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseOpenError, match="another program"):
        open_database(str(path))


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_database(str(path)).close()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseOpenError, match="newer Quote Builder"):
        open_database(str(path))


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="does not exist"):
        open_database(str(tmp_path / "no" / "such" / "dir" / "q.db"))


def test_bad_urls(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="unsupported database"):
        open_database("mysql://u@localhost/x")
    with pytest.raises(DatabaseOpenError, match="not a database URL"):
        open_database("::::://")


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_models_match_the_migrations(db: Database) -> None:
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    # Server defaults and index names are the migrations' business; tables, columns and
    # types must agree.
    relevant = [
        d for d in diff if d[0] in ("add_table", "remove_table", "add_column", "remove_column")
    ]
    assert relevant == []


def test_upgrade_from_the_first_migration_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    database = Database(f"sqlite:///{path}", dbmod.make_engine(f"sqlite:///{path}"))
    upgrade(database, "0001")
    with database.engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO customer (id, name, currency, archived, version_id, created_at, updated_at, updated_by,"
                " legal_name, country, billing_email, crm_id, notes, loaded_hourly_rate)"
                " VALUES (1, 'Old Co', 'JPY', 0, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'x', '', 'JP',"
                " '', 'CRM-1', 'kept', '12000.5')"
            )
        )
        c.execute(
            text(
                "INSERT INTO contact (id, customer_id, name, title, email, phone, created_at)"
                " VALUES (1, 1, 'Kenji', 'CFO', 'k@old.example', '1', '2026-01-01 00:00:00')"
            )
        )
        c.execute(
            text(
                "INSERT INTO quote (id, number, customer_id, owner, status, title, latest_version, version_id,"
                " created_at, updated_at, updated_by) VALUES (1, 'Q-2026-0001', 1, 'x', 'sent', 'T', 1, 1,"
                " '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'x')"
            )
        )
        c.execute(
            text(
                "INSERT INTO quote_version (id, quote_id, number, document_json, summary_json, content_hash, author,"
                " created_at) VALUES (1, 1, 1, '{}', '{\"currency\": \"JPY\", \"tcv\": \"1234567\"}', 'abc', 'x',"
                " '2026-01-01 00:00:00')"
            )
        )
        c.execute(
            text(
                "INSERT INTO audit_event (id, at, actor, action, entity_type, quote_id, quote_version_id, details_json)"
                " VALUES (1, '2026-01-01 00:00:00', 'x', 'quote_created', 'quote', 1, 1, '{}')"
            )
        )
    database.close()

    reopened = open_database(str(path))  # upgrades to head, after a backup
    backups = list(tmp_path.glob("old.backup-0001-*.db"))
    assert len(backups) == 1
    with reopened.engine.connect() as c:
        assert (
            c.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        )
        assert c.execute(text("SELECT name, notes, loaded_hourly_rate FROM customer")).one() == (
            "Old Co",
            "kept",
            "12000.5",
        )
        assert c.execute(text("SELECT name FROM contact")).scalar() == "Kenji"
        assert c.execute(text("SELECT number, status, currency, tcv_minor FROM quote")).one() == (
            "Q-2026-0001",
            "sent",
            "JPY",
            1234567,
        )  # backfilled from the version's summary
        assert c.execute(text("SELECT count(*) FROM quote_version")).scalar() == 1
        assert c.execute(text("SELECT count(*) FROM audit_event")).scalar() == 1
    reopened.close()
    # The backup is the database as it was: still at the first migration.
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    old.close()


def test_a_damaged_database_gives_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    from quote_builder.errors import UserFacingError
    from quote_builder.services.demo import seed_demo
    from quote_builder.services.quotes import list_quotes

    path = tmp_path / "d.db"
    db = open_database(str(path))
    seed_demo(db, actor="t")
    db.close()
    import sqlite3

    # Scribble over the quote table's root page (a fixed offset moved with every new table).
    connection = sqlite3.connect(path)
    (root,) = connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'quote'"
    ).fetchone()
    (page_size,) = connection.execute("PRAGMA page_size").fetchone()
    connection.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size + 100)
        handle.write(b"\xff" * (page_size - 200))
    with pytest.raises(UserFacingError, match="damaged"):
        damaged = open_database(str(path))
        list_quotes(damaged)


def test_a_lost_race_is_a_conflict_not_a_stale_data_error(db: Database) -> None:
    from quote_builder.services.customers import create_customer, get_customer
    from quote_builder.store.database import ConcurrentSaveError
    from quote_builder.store.models import Customer

    customer_id = create_customer(db, {"name": "Race"}, actor="t").value.id
    with pytest.raises(ConcurrentSaveError, match="someone else saved"), db.write() as session:
        row = session.get(Customer, customer_id)
        assert row is not None  # read at version 1 ...
        # ... then another writer commits version 2 (simulated on the same connection)
        session.execute(
            text("UPDATE customer SET version_id = 2, notes = 'theirs' WHERE id = :i"),
            {"i": customer_id},
        )
        row.notes = "mine"  # this UPDATE ... WHERE version_id = 1 matches no row
    assert get_customer(db, customer_id).notes == ""  # rolled back as a whole: nothing half-saved


def test_text_that_is_not_utf8_is_damage_not_a_traceback(tmp_path: Path) -> None:
    """Scrambled bytes inside a quote version (found by the fault campaign's corruption
    trials): reading it is a sentence naming damage."""
    from quote_builder.errors import UserFacingError
    from quote_builder.services.demo import seed_demo
    from quote_builder.services.quotes import list_quotes, open_version

    path = tmp_path / "d.db"
    db = open_database(str(path))
    seed_demo(db, actor="t")
    quote_id = list_quotes(db).rows[0].id
    db.close()
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER quote_version_no_update")  # the damage goes round the guard
    raw.execute("UPDATE quote_version SET document_json = CAST(X'7b22ff22' AS TEXT)")
    raw.commit()
    raw.close()
    damaged = open_database(str(path))
    with pytest.raises(UserFacingError, match="damaged"):
        open_version(damaged, quote_id)
    damaged.close()


@pytest.mark.parametrize("column", ["document_json", "summary_json"])
def test_a_version_row_edited_by_hand_into_not_json_is_a_sentence(
    tmp_path: Path, column: str
) -> None:
    """A quote version's row edited with sqlite3 so that it is no longer JSON (the
    adversarial campaign: a database file edited by hand) made `quotes show`, `approval
    status`, `render`, `deal finalise`, `quotes export` ... end in a JSONDecodeError
    traceback. It is a sentence naming the quote and the version, and the other quotes
    still open."""
    from quote_builder.services import approvals
    from quote_builder.services.core import InvalidInputError
    from quote_builder.services.demo import seed_demo
    from quote_builder.services.quotes import list_quotes, list_versions, open_version

    path = tmp_path / "d.db"
    db = open_database(str(path))
    seed_demo(db, actor="t")
    rows = list_quotes(db).rows
    edited, other = rows[0], rows[1]
    db.close()
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER quote_version_no_update")  # the edit goes round the guard
    raw.execute(
        f"UPDATE quote_version SET {column} = '{{\"broken' WHERE quote_id = ?", (edited.id,)
    )
    raw.commit()
    raw.close()
    edited_db = open_database(str(path))
    reads = [
        lambda: open_version(edited_db, edited.id),
        lambda: approvals.approval_status(edited_db, edited.number),
    ]
    if column == "summary_json":  # the versions list reads the totals only
        reads.append(lambda: list_versions(edited_db, edited.id))
    for read in reads:
        with pytest.raises(InvalidInputError) as info:
            read()
        message = str(info.value)
        assert message.startswith(f"version 1 of {edited.number} cannot be read:"), message
        assert "is not JSON (line 1, column 2" in message
        assert "changed outside Quote Builder" in message
    assert open_version(edited_db, other.id).document.quote_number == other.number
    edited_db.close()


def test_a_scrambled_table_list_is_damage_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    open_database(str(path)).close()
    data = bytearray(path.read_bytes())
    at = data.index(b"tablecustomercustomer")  # the name column of customer's schema row
    data[at + len(b"table")] = 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseOpenError, match="damaged"):
        open_database(str(path))


def test_an_empty_file_is_refused_as_a_missing_one_is(tmp_path: Path) -> None:
    """A database file of 0 bytes (emptied by a failed copy, a sync tool, a crash) given
    with --db was quietly made a new, empty database: the lost data looked as if it had
    never been. It is refused unless a new database is asked for, and left as it was."""
    from quote_builder.store.database import DatabaseEmptyError, DatabaseMissingError

    path = tmp_path / "team.db"
    path.touch()
    with pytest.raises(DatabaseEmptyError) as info:
        open_database(str(path), create=False)
    assert isinstance(info.value, DatabaseMissingError)  # exit status 2, the app asks
    assert str(info.value) == (
        f"{path} is an empty file (0 bytes), not a database: if it held your data, that was "
        "lost before Quote Builder opened it (keep the file and restore a backup). To make a "
        "new, empty database in it, add --create."
    )
    assert path.stat().st_size == 0
    open_database(str(path), create=True).close()  # asked for: a new database in it
    assert path.stat().st_size > 0
