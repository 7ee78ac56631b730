"""The base of every error whose message is meant for the user (not a bug): the command
line prints it and exits with status 2, the app shows it in a dialog."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


class UserFacingError(Exception):
    """An error with a message a user can act on.

    Every subclass travels through pickle whatever its ``__init__`` takes: the desktop
    app's use cases run in the database process (services/host.py) and their errors come
    back to the window that asked. Pickle would otherwise call ``cls(*args)`` with the
    message alone, which fails for a subclass whose ``__init__`` takes other arguments."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_DATABASE = 3
EXIT_INTERRUPTED = 130


def exit_status(error: UserFacingError) -> int:
    """The exit status for an error with a message for the user (README: "Exit status"),
    the same for the command line and the desktop app started from a terminal."""
    from quote_builder.safe_files import FileNameRefusedError, FileWriteError

    # Matched by name: importing the store or the services here would load SQLAlchemy.
    names = {cls.__name__ for cls in type(error).__mro__}
    if "DatabaseMissingError" in names:
        return EXIT_BAD_INPUT  # a mistyped --db: fix the path or add --create
    if names & {
        "DatabaseOpenError",
        "DatabaseDamagedError",
        "DatabaseUnavailableError",
        "DatabaseProcessError",
        "DatabaseInUseError",
    }:
        return EXIT_DATABASE
    if isinstance(error, FileNameRefusedError):
        return EXIT_BAD_INPUT
    if isinstance(error, FileWriteError) or names & {
        "ConflictError",
        "ConcurrentSaveError",
        "FinalisedFirstError",
    }:
        return EXIT_FAILED
    return EXIT_BAD_INPUT


def sentence_start(error: BaseException) -> str:
    """The error's message as the start of a sentence: its first letter capitalised ("the
    passphrase…" → "The passphrase…"), unless the message starts with a name as the user
    wrote it (``starts_with_name``: "root asked for this approval" stays "root")."""
    text = str(error).strip()
    if getattr(error, "starts_with_name", False):
        return text
    return text[:1].upper() + text[1:]


_FILE_LABEL = re.compile(r"(?:-|--?[\w-]+(?: '[^']*')?|[^\s:'\"]*[./\\][^\s:'\"]*): ")
"""A file ("pilot.csv: ", "/tmp/q.json: ", "-: ") or an option ("--date: ", "--status
'x': ") named at the start of a problem: kept as written, the sentence starts after it."""
_FIELD_LABEL = re.compile(r"[a-z_][a-z0-9_]*(?:\[\d+\]|\.[a-z0-9_]+)*: ")
"""A field of a file ("customer: ", "plans[0].name: ", "components[1].tiers[0].up_to: "):
kept as written (it is the file's own name for it), the sentence starts after it."""
_ENDS = (".", "!", "?", ":")
_WORD = re.compile(r"[a-z]+\b(?![_.\-/])")
"""A first word of lowercase letters: capitalised. A code or a name as typed ("en_US",
"nope.json", "acme-org") is left as it is."""


def as_sentence(line: str, *, labels: Iterable[str] = (), capitalise: bool = True) -> str:
    """One line of an error as the command line prints it: a full sentence, its first
    letter capitalised ("no such file" → "No such file"), ending with a full stop. A file
    at its start ("pilot.csv: line 3, column 4 (quantity): …", or one of ``labels``: the
    file the error is about) is kept as written and the sentence starts after it
    ("pilot.csv: Line 3, column 4 (quantity): …."); an option stays as typed ("--date:
    …") and so does a field of the file ("customer: Required."), the sentence after them
    capitalised. ``capitalise`` False: the line starts with what the user typed, as
    typed. A heading ending with a colon (problems listed under it) keeps it."""
    indent = line[: len(line) - len(line.lstrip())]
    text = line.strip()
    if not text:
        return line
    head = ""
    for label in sorted((label for label in labels if label), key=len, reverse=True):
        if text.startswith(label + ": "):
            head = label + ": "
            break
    if not head and (found := _FILE_LABEL.match(text)) is not None:
        head = found.group(0)
    if (field := _FIELD_LABEL.match(text, len(head))) is not None:
        head = text[: field.end()]
    rest = text[len(head) :]
    if capitalise and _WORD.match(rest):
        rest = rest[:1].upper() + rest[1:]
    if not rest.endswith(_ENDS):
        rest += "."
    return indent + head + rest


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
