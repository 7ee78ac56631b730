"""Alembic migrations, run programmatically (no alembic.ini needed).

Batch mode on SQLite (``render_as_batch``) so ALTERs become table copies there. A table
copy drops the old table, and on SQLite dropping a table with foreign-key enforcement on
deletes (ON DELETE CASCADE) or refuses (RESTRICT) every row that refers to it: rebuilding
``customer`` would delete every contact. Alembic's documentation says enforcement must be
off for batch rebuilds, and SQLite only lets it be switched outside a transaction. So
migrations run on a connection made with ``foreign_keys=OFF``, inside one IMMEDIATE
transaction; before it commits, ``PRAGMA foreign_key_check`` must find no broken reference
and every append-only trigger and expression index must still exist (a rebuilt table loses
its triggers, and Alembic cannot reflect an index on an expression such as ``lower(name)``:
a migration that rebuilds a table calls ``after_rebuild(connection, table)``). Anything
wrong rolls the whole upgrade back, and the database stays as it was.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

if TYPE_CHECKING:
    from ..database import Database

HERE = Path(__file__).resolve().parent


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


APPEND_ONLY_TRIGGERS = {
    # table: the triggers that keep its rows append-only (SQLite; migrations 0001, 0003, 0006, 0007)
    "quote_version": ("quote_version_no_update", "quote_version_no_delete"),
    "audit_event": ("audit_event_no_update", "audit_event_no_delete"),
    "approval_decision": ("approval_decision_no_update", "approval_decision_no_delete"),
    "policy_bundle": ("policy_bundle_no_update", "policy_bundle_no_delete"),  # 0006
    "sent_document": ("sent_document_no_update", "sent_document_no_delete"),  # 0007
    "acceptance": ("acceptance_no_update", "acceptance_no_delete"),  # 0007
}


class MigrationError(RuntimeError):
    """An upgrade would have broken the database; it was rolled back."""


EXPRESSION_INDEXES = {
    # table: indexes on expressions, which a batch rebuild drops (migration 0002)
    "customer": {
        "ix_customer_name_lower": "CREATE INDEX IF NOT EXISTS ix_customer_name_lower "
        "ON customer (lower(name))"
    },
}


def after_rebuild(connection: Connection, table: str) -> None:
    """Recreate what a batch rebuild of ``table`` drops on SQLite: its append-only triggers
    and its expression indexes. Call it in a migration after ``batch_alter_table``."""
    if connection.dialect.name != "sqlite":
        return  # PostgreSQL alters tables in place
    if table in APPEND_ONLY_TRIGGERS:
        for change in ("UPDATE", "DELETE"):
            connection.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{change.lower()} BEFORE {change} ON "
                f"{table} BEGIN SELECT RAISE(ABORT, '{table} rows are append-only'); END"
            )
    for sql in EXPRESSION_INDEXES.get(table, {}).values():
        connection.exec_driver_sql(sql)


def check_integrity(connection: Connection) -> None:
    """What every upgrade must leave: no broken reference, every append-only trigger."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise MigrationError(
            f"the upgrade would leave {len(broken)} broken reference(s), e.g. in table "
            f"{broken[0][0]!r}; nothing was changed"
        )
    tables = {
        r[0]
        for r in connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
    }
    present = {
        r[0]
        for r in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'index')"
        )
    }
    for table, names in APPEND_ONLY_TRIGGERS.items():
        missing = [n for n in names if table in tables and n not in present]
        if missing:
            raise MigrationError(
                f"the upgrade would drop the append-only trigger(s) {', '.join(missing)} of "
                f"{table}; nothing was changed"
            )
    revision = current_revision(connection)
    if revision is not None and revision >= "0002":
        for table, indexes in EXPRESSION_INDEXES.items():
            missing = [n for n in indexes if table in tables and n not in present]
            if missing:
                raise MigrationError(
                    f"the upgrade would drop the index(es) {', '.join(missing)} of {table}; "
                    "nothing was changed"
                )


@contextmanager
def migrating(database: Database) -> Iterator[Connection]:
    """One transaction for an upgrade, on SQLite with foreign-key enforcement off (see the
    module's text); checked and committed at the end, rolled back on any error."""
    from ..database import make_engine

    engine = make_engine(database.url, foreign_keys=False) if database.is_sqlite else None
    try:
        source = engine or database.engine
        with source.execution_options(quote_builder_write=True).begin() as connection:
            yield connection
            check_integrity(connection)
    finally:
        if engine is not None:
            engine.dispose()


def upgrade(database: Database, revision: str = "head") -> None:
    config = _config()
    with migrating(database) as connection, warnings.catch_warnings():
        # A batch rebuild reflects the table and cannot reflect the lower(name) index; it
        # says so on standard error, where a user reads it as a fault. after_rebuild()
        # recreates the index, and check_integrity() refuses the upgrade without it.
        warnings.filterwarnings(
            "ignore", message="Skipped unsupported reflection of expression-based index"
        )
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
