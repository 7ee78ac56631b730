"""The open database the app works in, and who is using it."""

from __future__ import annotations

from dataclasses import dataclass

from quote_builder.store.database import Database, open_database, resolve_url
from quote_builder.user import current_user


@dataclass
class Workspace:
    db: Database
    user: str

    @property
    def url(self) -> str:
        return self.db.url

    def close(self) -> None:
        self.db.close()


def open_workspace(url: str | None = None, user: str | None = None) -> Workspace:
    """Open (create, migrate) the database; errors are UserFacingError."""
    return Workspace(open_database(resolve_url(url)), user or current_user())
