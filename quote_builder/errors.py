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


class Sentence(str):
    """An English sentence that keeps what it was written from: a stable ``code`` and its
    values by name (``params``: names as written, numbers as Decimal or int, dates, other
    sentences), so that the desktop app can write it again in the interface's language
    (``ui/service_words.py``) with the user's number formats.

    It *is* the English text (a ``str``): the command line prints it, joins it, compares
    it and records it byte for byte as before; only the app looks at ``code`` and
    ``params``. A use case raises ``RefusedError(Sentence(f"...", "code", name=value))``,
    and ``InvalidInputError`` takes a list of them (one problem each). It travels through
    pickle with its code and values (the database process, services/host.py)."""

    code: str
    params: dict[str, Any]

    def __new__(cls, text: str, code: str, /, **params: Any) -> Sentence:
        self = super().__new__(cls, text)
        self.code = code
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_sentence, (str(self), self.code, self.params))

    def reworded(self, text: str) -> Sentence:
        """The same sentence (its code and values) with its English written anew: its
        numbers formatted for the reader (``services.words.percents_written``)."""
        return _sentence(text, self.code, self.params)


def _sentence(text: str, code: str, params: dict[str, Any]) -> Sentence:
    return Sentence(text, code, **params)


def sentence_of(error: BaseException) -> str:
    """The message of ``error`` as it was raised: its ``Sentence`` (code and values kept)
    when it was given one, else its text. For a use case that raises a lower layer's
    refusal again as its own (``KeyProblemError(sentence_of(exc))``)."""
    args = error.args
    if len(args) == 1 and isinstance(args[0], Sentence):
        return args[0]
    return str(error)
