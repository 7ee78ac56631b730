"""Store and service tests run against SQLite and against PostgreSQL.

PostgreSQL comes from QUOTE_BUILDER_TEST_PG (scripts/postgres starts one and prints the
URL; scripts/test does this by itself when run as root). On CI a missing PostgreSQL is a
failure, not a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from quote_builder.store.database import Database, open_database

PG_ENV = "QUOTE_BUILDER_TEST_PG"
TABLES = (
    "approval_decision, approval_request, trusted_key, policy_bundle, "
    "audit_event, quote_version, quote, contact, customer, plan, settings, exchange_rate"
)


@pytest.fixture(scope="session")
def pg_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: CI must run the store tests against PostgreSQL")
        pytest.skip(
            f"{PG_ENV} not set (scripts/postgres starts a local PostgreSQL and prints the URL)"
        )
    url = _worker_database(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    open_database(url).close()  # migrate once per session
    return url


def _worker_database(url: str) -> str:
    """The database of this pytest-xdist worker (``quote_builder_test_gw0`` beside the
    given ``quote_builder_test``), made on first use: the workers truncate and migrate
    their own database, never each other's. Without xdist, ``url`` itself."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        if found is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def fresh_pg(url: str) -> Database:
    database = open_database(url)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    return database


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        database = open_database(str(tmp_path / "quotes.db"))
    else:
        database = fresh_pg(request.getfixturevalue("pg_url"))
    yield database
    database.close()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "quotes.db"))
    yield database
    database.close()
