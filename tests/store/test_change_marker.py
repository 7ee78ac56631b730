"""services.watch.change_marker: the cheap number the main window compares to learn that
another process wrote to the database (walk 4: lists stale after command-line changes)."""

from __future__ import annotations

import time

from quote_builder.services import customers as customer_service
from quote_builder.services.watch import change_marker
from quote_builder.store.database import Database, open_database


def test_the_marker_moves_when_another_connection_writes_and_not_on_reads(db: Database) -> None:
    first = change_marker(db)
    customer_service.search_customers(db, "")  # reads
    assert change_marker(db) == first
    other = open_database(db.url)  # another process: its own engine and connections
    try:
        customer_service.create_customer(
            other, {"name": "Written Elsewhere", "currency": "USD"}, actor="cli"
        )
    finally:
        other.close()
    # PostgreSQL's statistics reach other sessions within a second or so; SQLite's at once.
    deadline = time.monotonic() + 5
    while change_marker(db) == first and time.monotonic() < deadline:
        time.sleep(0.2)
    assert change_marker(db) != first


def test_naming_the_function_imports_no_sqlalchemy() -> None:
    """The window imports services.watch while a start-up thread may be importing
    SQLAlchemy; two threads importing sqlalchemy.orm at once left it half-initialised
    (test_database_locks' app failed its first look, then spun). Importing the module
    must not import SQLAlchemy or the store."""
    import subprocess
    import sys

    code = (
        "import sys; import quote_builder.services.watch; "
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'quote_builder.store'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout
