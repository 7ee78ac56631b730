"""Who is using Quote Builder: recorded as the actor of every change."""

from __future__ import annotations

import getpass
import os


def current_user() -> str:
    """$QUOTE_BUILDER_USER, else the login name."""
    try:
        return os.environ.get("QUOTE_BUILDER_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
