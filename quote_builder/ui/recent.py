"""The databases opened last (File → Recent databases), newest first.

Kept in ``recent-databases.json`` in the config folder (``app_dirs.state_file``), written
whole or not at all (``safe_files.write_atomic``), so a crash while writing it leaves the
old list. A URL holding a password is never written down: such a database is not listed.
A list that cannot be read is treated as empty (it is only a convenience).
"""

from __future__ import annotations

import json

from quote_builder.app_dirs import state_file
from quote_builder.db_location import has_password
from quote_builder.errors import UserFacingError
from quote_builder.safe_files import read_limited, write_atomic

FILE_NAME = "recent-databases.json"
LIMIT = 8


def load() -> list[str]:
    """The recent databases' URLs, newest first."""
    try:
        data = json.loads(read_limited(state_file(FILE_NAME), 256_000, what="the recent list"))
    except (OSError, ValueError, UserFacingError):
        return []
    urls = data.get("databases") if isinstance(data, dict) else None
    if not isinstance(urls, list):
        return []
    return [u for u in urls if isinstance(u, str) and u and not has_password(u)][:LIMIT]


def _save(urls: list[str]) -> None:
    write_atomic(
        state_file(FILE_NAME),
        json.dumps({"databases": urls[:LIMIT]}, indent=1) + "\n",
        what="the list of recent databases",
    )


def remember(url: str) -> list[str]:
    """Put ``url`` first; returns the new list. A failure to write is a sentence
    (``FileWriteError``)."""
    if has_password(url):
        return load()
    urls = [url, *(u for u in load() if u != url)][:LIMIT]
    _save(urls)
    return urls


def forget(url: str) -> list[str]:
    urls = [u for u in load() if u != url]
    _save(urls)
    return urls


__all__ = ["FILE_NAME", "LIMIT", "forget", "load", "remember"]
