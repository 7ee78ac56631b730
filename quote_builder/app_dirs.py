"""The app's folders, in one place (platformdirs; no Qt, so every layer may use it).

| folder | what it holds | default on Linux |
|---|---|---|
| data | the default database, autosaved drafts | ``~/.local/share/QuoteBuilder`` |
| config | private approver keys (``keys/``), recent databases | ``~/.config/QuoteBuilder`` |
| log | the log file, crash reports (``crash-reports/``) | ``~/.local/state/QuoteBuilder/log`` |

``QUOTE_BUILDER_DATA_DIR`` moves the data folder (tests, a portable install), and with it
the log folder (``logs/`` inside it) and the recent-databases list; the keys
folder has its own override (``QUOTE_BUILDER_KEYS_DIR``, services/approvals.py). Folders the
app creates are readable by the user only (0700); an existing folder keeps its mode.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir, user_log_dir

from quote_builder.safe_files import make_private_folder

APP_NAME = "QuoteBuilder"
DATA_ENV = "QUOTE_BUILDER_DATA_DIR"


def data_dir() -> Path:
    """The data folder (not created here)."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False))


DATABASE_ENV = "QUOTE_BUILDER_DB"
"""The database URL or file when ``--db`` is not given (store.database.ENV_VAR)."""


def default_database_path() -> Path:
    """The default SQLite database (here, so that a command can look for it without
    importing SQLAlchemy)."""
    return data_dir() / "quote-builder.db"


def config_dir() -> Path:
    return Path(user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The log folder (not created here): the platform's log directory (Linux
    ``~/.local/state/QuoteBuilder/log``, macOS ``~/Library/Logs/QuoteBuilder``, Windows
    ``%LOCALAPPDATA%\\QuoteBuilder\\Logs``), or ``logs/`` in a moved data folder."""
    if os.environ.get(DATA_ENV):
        return data_dir() / "logs"
    return Path(user_log_dir(APP_NAME, appauthor=False))


def state_file(name: str) -> Path:
    """A small file of the app's own state (recent databases): in the config folder, or in
    a moved data folder. Its folder is created (0700)."""
    folder = data_dir() if os.environ.get(DATA_ENV) else config_dir()
    return make_private_folder(folder) / name


def drafts_dir(database_id: str) -> Path:
    """Where the autosaved drafts of one database live (created, 0700). Drafts are keyed by
    the database's identity (migration 0004) and the quote, so a draft of one database is
    never offered for a quote of another that happens to have the same id."""
    if not re.fullmatch(r"[0-9a-fA-F-]{8,64}", database_id):
        raise ValueError(f"not a database identity: {database_id!r}")
    return make_private_folder(data_dir() / "drafts" / database_id)


def remove_stale_temporaries_of_the_app() -> None:
    """At start: the temporary files writes killed mid-way left in the app's own folders
    (data, drafts, config, log, crash reports); see ``safe_files.remove_stale_temporaries``.
    A folder that is not there or cannot be read is passed over."""
    from contextlib import suppress

    from quote_builder.safe_files import remove_stale_temporaries

    data = data_dir()
    folders = [data, config_dir(), log_dir(), log_dir() / "crash-reports"]
    with suppress(OSError):
        folders += [p for p in (data / "drafts").iterdir() if p.is_dir()]
    for folder in folders:
        remove_stale_temporaries(folder)


__all__ = [
    "APP_NAME",
    "DATA_ENV",
    "config_dir",
    "data_dir",
    "drafts_dir",
    "log_dir",
    "remove_stale_temporaries_of_the_app",
    "state_file",
]
