"""Which database the app is asked to open, without loading SQLAlchemy (a few string
rules, so the window can name its database and find another instance on it before the
database process has started; no project imports but ``app_dirs``).

``store.database`` uses :func:`resolve_url` and :func:`creates_by_default` from here, so
there is one rule for where the default database is.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from quote_builder.app_dirs import DATABASE_ENV as ENV_VAR
from quote_builder.app_dirs import default_database_path
from quote_builder.safe_files import make_private_folder


def resolve_url(url: str | None = None) -> str:
    """``--db URL`` first, then ``QUOTE_BUILDER_DB``, then the default SQLite file. A plain
    path is taken as a SQLite file."""
    chosen = url or os.environ.get(ENV_VAR) or ""
    if not chosen:
        path = default_database_path()
        make_private_folder(path.parent)  # 0700 when we create it; an existing one is kept
        return f"sqlite:///{path}"
    if "://" not in chosen:
        return f"sqlite:///{Path(chosen).expanduser().resolve()}"
    return chosen


def creates_by_default(url: str | None) -> bool:
    """Whether opening ``url`` may create the database without being asked: only the default
    file in the user data folder (the first run). A ``--db`` or ``QUOTE_BUILDER_DB`` naming
    a file that does not exist is refused unless ``--create`` is given. An empty (0 bytes)
    default file is not made a new database without being asked either: it is refused as
    an empty ``--db`` is (``store.database.DatabaseEmptyError``; the app asks)."""
    if url or os.environ.get(ENV_VAR):
        return False
    try:
        return default_database_path().stat().st_size != 0
    except OSError:
        return True  # not there yet: the first run


_USER_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


def redact_password(text: str) -> str:
    """``scheme://user:password@host`` with the password as ``***``, in any text (a URL
    that does not parse, an error message quoting one)."""
    return _USER_PASSWORD.sub(r"\1***@", text)


def has_password(url: str) -> bool:
    return redact_password(url) != url


_SQLITE = re.compile(r"sqlite(\+\w+)?:///(?P<path>.+?)(\?.*)?$")


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL (as :func:`resolve_url` makes them), else None."""
    match = _SQLITE.fullmatch(url)
    if match is None or match.group("path") in (":memory:", ""):
        return None
    return Path(match.group("path"))


def location_label(url: str) -> str:
    """Where the data is, as a user reads it: the file's path, or the URL without its
    password."""
    path = sqlite_file(url)
    return str(path) if path is not None else redact_password(url)


def short_name(url: str) -> str:
    """The database as a window title names it: the file's name, or the server's database
    name (``sales`` of ``postgresql://host/sales``)."""
    path = sqlite_file(url)
    if path is not None:
        return path.name
    tail = redact_password(url).split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    return tail or redact_password(url)


def identity_keys(url: str) -> list[str]:
    """Every key the one-instance rule knows a database by: an existing file's identity
    (``identity_key``) and its real path (a database not created yet has only that, so an
    app that creates one listens under both once it exists); else the URL's key."""
    path = sqlite_file(url)
    if path is None:
        return [identity_key(url)]
    try:
        by_path = _key("sqlite:" + str(path.resolve()))
    except OSError:
        by_path = _key("sqlite:" + str(path))
    first = identity_key(url)
    return [first] if first == by_path else [first, by_path]


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def identity_key(url: str) -> str:
    """A short key naming one database for the one-instance rule: an existing file's
    identity (device and inode: a hard link, a symlink or ``..`` is the same file; only
    ``stat``ed, never opened), else the real path a new file will have, or the URL without
    its password."""
    path = sqlite_file(url)
    if path is not None:
        try:
            info = path.stat()
            text = f"sqlite-file:{info.st_dev}:{info.st_ino}"
        except OSError:
            try:
                text = "sqlite:" + str(path.resolve())
            except OSError:
                text = "sqlite:" + str(path)
    else:
        text = redact_password(url)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


__all__ = [
    "ENV_VAR",
    "creates_by_default",
    "default_database_path",
    "has_password",
    "identity_key",
    "identity_keys",
    "location_label",
    "redact_password",
    "resolve_url",
    "short_name",
    "sqlite_file",
]
