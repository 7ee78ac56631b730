"""Whether the database changed under the app: another process (the command line, a
script, a colleague's app on a shared PostgreSQL database) wrote to it.

The app's own windows learn of their own writes from the use cases' ``Changes``; writes by
other processes come with nothing. The main window asks :func:`change_marker` when it is
activated and every few seconds: the marker is cheap (SQLite's ``PRAGMA data_version`` on a
kept connection; on PostgreSQL the statistics' count of rows inserted, updated and deleted
in this database) and differs from the last one when something was committed since.

The window imports this module (to name the function it runs in the database process)
while a start-up thread may be importing SQLAlchemy: so nothing here imports the store or
SQLAlchemy before the function runs (two threads importing ``sqlalchemy.orm`` at once left
it half-initialised, and the window's first look failed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quote_builder.store.database import Database

_PG_CHANGES = "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables"


def change_marker(db: Database) -> int:
    """A number that changes when the database was written to (by anyone)."""
    from sqlalchemy import text

    version = db.data_version()
    if version is not None:
        return version
    with db.read() as session:
        return int(session.execute(text(_PG_CHANGES)).scalar_one())
