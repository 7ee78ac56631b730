"""Upgrades keep every row, every contact and every append-only trigger (issue 11, §2).

SQLite batch rebuilds drop and recreate a table; with foreign keys enforced, dropping
``customer`` deletes its contacts (ON DELETE CASCADE) and a rebuilt history table loses its
append-only triggers. Migrations run with enforcement off and are checked before commit."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from quote_builder.store.database import Database, DatabaseOpenError, make_engine, open_database
from quote_builder.store.migrations import (
    MigrationError,
    after_rebuild,
    head_revision,
    known_revisions,
    migrating,
    upgrade,
)

NOW = "2026-01-01 00:00:00"
# A batch rebuild warns that it cannot reflect the lower(name) index: the point of two tests.
pytestmark = pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")


def at_revision(path: Path, revision: str) -> str:
    url = f"sqlite:///{path}"
    database = Database(url, make_engine(url))
    upgrade(database, revision)
    database.close()
    return url


def add_rows(path: Path, *, quotes: bool = True) -> None:
    """Rows in the tables of the first schema (so they fit every later one)."""
    c = sqlite3.connect(path)
    c.execute("PRAGMA foreign_keys = ON")
    for customer_id, name in ((1, "Acme"), (2, "Globex")):
        c.execute(
            "INSERT INTO customer (id, name, version_id, created_at, updated_at) "
            "VALUES (?, ?, 1, ?, ?)",
            (customer_id, name, NOW, NOW),
        )
    for contact_id, customer_id in ((1, 1), (2, 1), (3, 2)):
        c.execute(
            "INSERT INTO contact (id, customer_id, name, created_at) VALUES (?, ?, ?, ?)",
            (contact_id, customer_id, f"Contact {contact_id}", NOW),
        )
    if not quotes:
        c.commit()
        c.close()
        return
    c.execute(
        "INSERT INTO quote (id, number, customer_id, latest_version, version_id, created_at, "
        "updated_at) VALUES (1, 'Q-2026-0001', 1, 1, 1, ?, ?)",
        (NOW, NOW),
    )
    c.execute(
        "INSERT INTO quote_version (id, quote_id, number, document_json, summary_json, "
        'content_hash, created_at) VALUES (1, 1, 1, \'{}\', \'{"tcv": "100", "currency": '
        "\"USD\"}', 'abc', ?)",
        (NOW,),
    )
    c.execute(
        "INSERT INTO audit_event (at, action, entity_type, quote_id, quote_version_id) "
        "VALUES (?, 'quote_created', 'quote', 1, 1)",
        (NOW,),
    )
    c.commit()
    c.close()


def counts(path: Path) -> dict[str, int]:
    c = sqlite3.connect(path)
    try:
        return {
            t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("customer", "contact", "quote", "quote_version", "audit_event")
        }
    finally:
        c.close()


def assert_append_only(path: Path) -> None:
    c = sqlite3.connect(path)
    try:
        for sql in (
            "UPDATE quote_version SET author = 'x'",
            "DELETE FROM quote_version",
            "UPDATE audit_event SET actor = 'x'",
            "DELETE FROM audit_event",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                c.execute(sql)
    finally:
        c.close()


EXPECTED = {"customer": 2, "contact": 3, "quote": 1, "quote_version": 1, "audit_event": 1}


@pytest.mark.parametrize("start", sorted(known_revisions() - {head_revision()}))
def test_every_upgrade_path_keeps_rows_contacts_and_triggers(tmp_path: Path, start: str) -> None:
    path = tmp_path / f"from-{start}.db"
    at_revision(path, start)
    add_rows(path)
    database = open_database(str(path))  # upgrades to the head, after a backup
    database.close()
    assert counts(path) == EXPECTED
    assert_append_only(path)
    assert list(tmp_path.glob(f"from-{start}.backup-{start}-*.db"))
    c = sqlite3.connect(path)
    assert c.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    c.close()


def rebuild_customer(connection: sa.Connection) -> None:
    operations = Operations(MigrationContext.configure(connection, opts={"render_as_batch": True}))
    with operations.batch_alter_table("customer", recreate="always") as batch:
        batch.add_column(sa.Column("nickname", sa.String(50), nullable=True))
    after_rebuild(connection, "customer")


def test_a_batch_rebuild_of_customer_keeps_its_contacts(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    database = open_database(str(path))
    database.close()
    add_rows(path)
    with migrating(database) as connection:
        rebuild_customer(connection)
    assert counts(path) == EXPECTED
    c = sqlite3.connect(path)
    indexes = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    c.close()
    assert "ix_customer_name_lower" in indexes  # recreated after the rebuild

    # What the runner prevents: the same rebuild with enforcement on deletes the contacts
    # (with a quote, which refers to the customer with RESTRICT, it fails instead).
    hazard = tmp_path / "hazard.db"
    open_database(str(hazard)).close()
    add_rows(hazard, quotes=False)
    engine = make_engine(f"sqlite:///{hazard}")  # foreign_keys = ON, as the app runs
    with engine.begin() as connection:
        rebuild_customer(connection)
    engine.dispose()
    assert counts(hazard)["contact"] == 0


def rebuild_quote_version(connection: sa.Connection, *, restore_triggers: bool) -> None:
    operations = Operations(MigrationContext.configure(connection, opts={"render_as_batch": True}))
    with operations.batch_alter_table("quote_version", recreate="always") as batch:
        batch.add_column(sa.Column("note", sa.Text, nullable=True))
    if restore_triggers:
        after_rebuild(connection, "quote_version")


def test_a_rebuild_that_drops_the_name_index_is_rolled_back(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    database = open_database(str(path))
    database.close()
    add_rows(path)
    with pytest.raises(MigrationError, match="ix_customer_name_lower"), migrating(database) as c:
        operations = Operations(MigrationContext.configure(c, opts={"render_as_batch": True}))
        with operations.batch_alter_table("customer", recreate="always") as batch:
            batch.add_column(sa.Column("nickname", sa.String(50), nullable=True))
    assert counts(path) == EXPECTED


def test_a_rebuild_that_drops_append_only_triggers_is_rolled_back(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    database = open_database(str(path))
    database.close()
    add_rows(path)
    with (
        pytest.raises(MigrationError, match="quote_version_no_update"),
        migrating(database) as connection,
    ):
        rebuild_quote_version(connection, restore_triggers=False)
    c = sqlite3.connect(path)
    columns = [r[1] for r in c.execute("PRAGMA table_info(quote_version)")]
    c.close()
    assert "note" not in columns  # rolled back as a whole
    assert counts(path) == EXPECTED
    assert_append_only(path)
    with migrating(database) as connection:
        rebuild_quote_version(connection, restore_triggers=True)
    assert counts(path) == EXPECTED
    assert_append_only(path)


def test_a_broken_upgrade_is_a_sentence_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    at_revision(path, "0003")
    add_rows(path)
    import quote_builder.store.migrations as migrations

    real = migrations.check_integrity

    def refuse(connection: sa.Connection) -> None:
        real(connection)
        raise MigrationError("the upgrade would leave 1 broken reference(s); nothing was changed")

    monkeypatch.setattr(migrations, "check_integrity", refuse)
    with pytest.raises(DatabaseOpenError, match="could not be upgraded: the upgrade would leave"):
        open_database(str(path))
    c = sqlite3.connect(path)
    assert c.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
    c.close()
    assert counts(path) == EXPECTED


def test_0007_gives_existing_quotes_a_kind_and_keeps_sent_files_append_only(
    tmp_path: Path,
) -> None:
    """Issue 15's migration: a quote made before it is new business, not lost, with no
    parent; the sent files and acceptances it adds refuse UPDATE and DELETE."""
    path = tmp_path / "from-0006.db"
    at_revision(path, "0006")
    add_rows(path)
    open_database(str(path)).close()
    assert counts(path) == EXPECTED
    c = sqlite3.connect(path)
    try:
        assert c.execute(
            "SELECT number, status, kind, parent_quote_id, lost_reason FROM quote"
        ).fetchall() == [("Q-2026-0001", "draft", "new", None, "")]
        c.execute(
            "INSERT INTO sent_document (id, quote_id, version_number, version_hash, terms_hash, "
            "pdf_sha256, pdf, file_name, sent_at) VALUES (1, 1, 1, 'abc', 't', 'p', x'25504446', "
            "'Q-2026-0001-v1.pdf', ?)",
            (NOW,),
        )
        c.execute(
            "INSERT INTO acceptance (quote_id, sent_document_id, method, signed_by, signed_at, "
            "file_sha256, file, recorded_at) VALUES (1, 1, 'paper', 'Jane', ?, 'f', x'00', ?)",
            (NOW, NOW),
        )
        c.commit()
        for sql in (
            "UPDATE sent_document SET pdf = x'00'",
            "DELETE FROM sent_document",
            "UPDATE acceptance SET signed_by = 'Mallory'",
            "DELETE FROM acceptance",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                c.execute(sql)
    finally:
        c.close()


def test_0008_counts_the_options_of_each_quotes_latest_version(tmp_path: Path) -> None:
    """Issue 17: the quote row learns how many options its latest version offers; rows and
    versions survive, a version without options counts 0, an earlier version is ignored."""
    path = tmp_path / "options.db"
    at_revision(path, "0007")
    add_rows(path)
    c = sqlite3.connect(path)
    c.execute(
        "INSERT INTO quote (id, number, customer_id, latest_version, version_id, created_at, "
        "updated_at) VALUES (2, 'Q-2026-0002', 2, 2, 1, ?, ?)",
        (NOW, NOW),
    )
    for number, options in ((1, []), (2, [{"key": "a"}, {"key": "b"}, {"key": "c"}])):
        c.execute(
            "INSERT INTO quote_version (quote_id, number, document_json, summary_json, "
            "content_hash, created_at) VALUES (2, ?, ?, '{}', ?, ?)",
            (number, json.dumps({"options": options}), f"h{number}", NOW),
        )
    c.commit()
    c.close()
    database = open_database(str(path))
    database.close()
    c = sqlite3.connect(path)
    try:
        counts_by_quote = dict(c.execute("SELECT number, option_count FROM quote").fetchall())
        assert counts_by_quote == {"Q-2026-0001": 0, "Q-2026-0002": 3}
        assert c.execute("SELECT count(*) FROM quote_version").fetchone() == (3,)
        assert c.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    finally:
        c.close()
