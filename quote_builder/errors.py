"""The base of every error whose message is meant for the user (not a bug): the command
line prints it and exits with status 2, the app shows it in a dialog."""

from __future__ import annotations

from typing import Any


class UserFacingError(Exception):
    """An error with a message a user can act on.

    Every subclass travels through pickle whatever its ``__init__`` takes: the desktop
    app's use cases run in the database process (services/host.py) and their errors come
    back to the window that asked. Pickle would otherwise call ``cls(*args)`` with the
    message alone, which fails for a subclass whose ``__init__`` takes other arguments."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


def sentence_start(error: BaseException) -> str:
    """The error's message as the start of a sentence: its first letter capitalised ("the
    passphrase…" → "The passphrase…"), unless the message starts with a name as the user
    wrote it (``starts_with_name``: "root asked for this approval" stays "root")."""
    text = str(error).strip()
    if getattr(error, "starts_with_name", False):
        return text
    return text[:1].upper() + text[1:]


def _rebuild(cls: type[UserFacingError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error
