"""The database the app works in, who is using it, and the one way to run a use case on it.

The desktop app's workspace is a :class:`HostedWorkspace`: the database lives in a separate
process (``services.host`` says why: a GUI process must never hold SQLite's locks), and
``workspace.run(service_function, *args)`` runs ``service_function(db, *args)`` there. The
command line and tests use a :class:`LocalWorkspace`, where the same call runs in this
process. Windows only ever call ``run``, so they cannot tell the two apart.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate

from quote_builder.user import current_user

from .host import DatabaseHost, HostInfo, run_call

if TYPE_CHECKING:  # loaded where used: the app's window starts without SQLAlchemy
    from quote_builder.store.database import Database


class Workspace:
    """What every window needs of the database: ``run`` a use case, who acts, where."""

    user: str

    def run[**P, R](
        self, fn: Callable[Concatenate[Database, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """``fn(db, *args, **kwargs)`` on this workspace's database."""
        raise NotImplementedError

    def page_function(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """A service's list function with the database bound (for table models)."""

        def fetch(*args: Any, **kwargs: Any) -> Any:
            return self.run(fn, *args, **kwargs)

        return fetch

    @property
    def url(self) -> str:
        """The database's URL, password hidden: safe to show."""
        raise NotImplementedError

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None (PostgreSQL)."""
        raise NotImplementedError

    @property
    def location(self) -> str:
        """Where the data is, as a user reads it: the file's path, or the URL without its
        password."""
        path = self.path
        return str(path) if path is not None else self.url

    @property
    def database_id(self) -> str:
        """The database's identity (a UUID kept in it)."""
        raise NotImplementedError

    @property
    def open_url(self) -> str:
        """The URL this workspace was opened with, password included: never shown, used to
        open the database again (recent databases) and to find another app on it."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class LocalWorkspace(Workspace):
    """The database opened in this process (command line, tests, benchmarks). With
    ``check_transport`` every call's arguments, result and exception make the round trip
    through pickle, as they do to the database process, so a test catches anything the
    app could not send."""

    def __init__(self, db: Database, user: str, *, check_transport: bool = False) -> None:
        self.db = db
        self.user = user
        self.check_transport = check_transport
        self._database_id: str | None = None

    def run[**P, R](
        self, fn: Callable[Concatenate[Database, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        if self.check_transport:
            return run_call(self.db, fn, *args, **kwargs)
        return fn(self.db, *args, **kwargs)

    @property
    def url(self) -> str:
        from quote_builder.store.database import display_url

        return display_url(self.db.url)

    @property
    def path(self) -> Path | None:
        return self.db.path

    @property
    def open_url(self) -> str:
        return self.db.url

    @property
    def database_id(self) -> str:
        if self._database_id is None:
            from quote_builder.store import repositories as repo

            with self.db.read() as session:
                self._database_id = repo.database_uuid(session)
        return self._database_id

    def close(self) -> None:
        self.db.close()


class HostedWorkspace(Workspace):
    """The database held by a separate process (the desktop app)."""

    def __init__(self, host: DatabaseHost, user: str, url: str) -> None:
        self.host = host
        self.user = user
        self._open_url = url

    @property
    def open_url(self) -> str:
        return self._open_url

    @property
    def location(self) -> str:
        """Known before the database process is ready (the window's title needs it)."""
        from quote_builder.db_location import location_label

        return location_label(self._open_url)

    def run[**P, R](
        self, fn: Callable[Concatenate[Database, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        return self.host.call(fn, *args, **kwargs)

    @property
    def info(self) -> HostInfo:
        return self.host.info

    @property
    def url(self) -> str:
        return self.info.url

    @property
    def path(self) -> Path | None:
        return Path(self.info.path) if self.info.path is not None else None

    @property
    def database_id(self) -> str:
        return self.info.database_id

    def close(self) -> None:
        self.host.close()


def open_workspace(
    url: str | None = None, user: str | None = None, *, create: bool = True
) -> LocalWorkspace:
    """Open (create, migrate) the database in this process; errors are UserFacingError."""
    from quote_builder.store.database import open_database, resolve_url

    return LocalWorkspace(open_database(resolve_url(url), create=create), user or current_user())


def start_hosted_workspace(
    url: str | None = None, user: str | None = None, *, create: bool = False, start: bool = True
) -> HostedWorkspace:
    """Start the database process for ``url`` and return at once; the first ``run`` (or
    ``host.wait_ready()``) waits for the database to open and raises what opening raised.
    ``start=False``: the process starts at ``host.start()`` or the first call."""
    from quote_builder.db_location import resolve_url

    resolved = resolve_url(url)
    host = DatabaseHost(resolved, create=create)
    if start:
        host.start()
    return HostedWorkspace(host, user or current_user(), resolved)


__all__ = [
    "HostedWorkspace",
    "LocalWorkspace",
    "Workspace",
    "open_workspace",
    "start_hosted_workspace",
]
