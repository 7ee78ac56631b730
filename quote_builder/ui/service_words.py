"""The services' sentences in the interface's language.

The use cases (``quote_builder/services``) write their refusals and their words (a version
comparison's rows, ...) as English sentences, which the command line prints and the tests
record byte for byte. Each such sentence is a ``quote_builder.errors.Sentence``: a ``str``
that keeps a stable code and the values it was written from. Here every code has its whole
sentence as a ``ui`` message with named placeholders (``error_words.ERRORS``,
``history_words.WORDS``), filled with the values the user's way: numbers and amounts in the
locale (``locale_format``), dates in the locale's medium form, a status or a role in the
interface's words, a sentence inside a sentence written the same way. A text that is not a
``Sentence``, a code not known here or values that do not fit show the English as it is.

``tests/ui/test_service_words.py`` walks the services' source: every refusal a use case
raises is a ``Sentence`` whose code has its message here, and the English message here
reads as the service's English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from quote_builder.errors import Sentence

from .i18n import N_, _

Values = Mapping[str, Any]
Writer = str | Callable[[Values], str]
"""A code's words: its English message (translated, then filled with the values shown
the user's way), or a function of the values for a sentence with cases."""


# --- the values, the user's way --------------------------------------------------------------


def number(value: Any) -> str:
    """A count or quantity with the locale's grouping: ``2.000``."""
    from . import locale_format

    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError("not a number")
    return locale_format.number(value)


def money(value: Any, currency: Any) -> str:
    from . import locale_format

    return locale_format.money(Decimal(str(value)), str(currency))


def percent(value: Any, places: int | None = None) -> str:
    from . import locale_format

    return locale_format.percent(Decimal(str(value)), places)


def day(value: Any) -> str:
    from . import locale_format

    return locale_format.day(value)


def moment(value: Any) -> str:
    from . import locale_format

    if not isinstance(value, dt.datetime):
        raise ValueError("not a moment")
    return locale_format.moment(value)


def shown(name: str, value: Any) -> str:
    """One value of a sentence the user's way: another sentence in the interface's
    language, a status or a role in its words, numbers with the locale's grouping (an id or
    a version number as it is), dates and moments in the locale's form."""
    from . import labels

    if isinstance(value, Sentence):
        return text(value)
    if name == "what":
        english = FILE_KINDS.get(str(value))
        return _(english) if english is not None else str(value)
    if name == "blocking":
        from .engine_words import warning_title

        return ", ".join(warning_title(str(code)) for code in value)
    if name in GROUPED and isinstance(value, int | Decimal) and not isinstance(value, bool):
        return number(value)
    if (name == "country" or name.endswith("_country")) and isinstance(value, str):
        # A country inside a sentence in the interface's language ("von Frankreich", not
        # the record's English "France"); an ISO code as its name; text that is not a
        # country (what was typed) as written.
        from .countries import shown_country

        return shown_country(value)
    if name == "status" or name.endswith("_status"):
        return labels.status_word(str(value))
    if name == "role" or name.endswith("_role"):
        return labels.role_title(str(value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return moment(value)
    if isinstance(value, dt.date):
        return day(value)
    if isinstance(value, list | tuple):
        return ", ".join(shown("", item) for item in value)
    return str(value)


FILE_KINDS: dict[str, str] = {
    "approval request file": N_("approval request file"),
    "decision file": N_("decision file"),
    "policy file": N_("policy file"),
    "policy source": N_("policy source"),
}
"""The files a sentence names by their kind ("the decision file is larger than 5 MB")."""

GROUPED = frozenset({"size", "limit", "count", "pages", "characters"})
"""Values that are quantities (written with the locale's grouping: 52.428.800 bytes); other
whole numbers are ids, versions, lines and serials, written as they are."""


# --- the sentences ---------------------------------------------------------------------------


def _table() -> dict[str, Writer]:
    from .error_words import ERRORS
    from .history_words import WORDS

    return {**ERRORS, **WORDS}


_TABLE: dict[str, Writer] | None = None


def table() -> dict[str, Writer]:
    """Every code's words (built on first use: the tables mark their messages only)."""
    global _TABLE
    if _TABLE is None:
        _TABLE = _table()
    return _TABLE


def write(code: str, values: Values) -> str:
    """The sentence of ``code`` from ``values`` in the interface's language; raises
    ``KeyError`` for an unknown code and ``ValueError`` (or ``KeyError``) for values that
    do not fit."""
    words = table()[code]
    if callable(words):
        return words(values)
    return _(words).format(**{name: shown(name, value) for name, value in values.items()})


def text(value: str) -> str:
    """``value`` in the interface's language when it is a ``Sentence`` whose code is known
    here, else as it is (English)."""
    if not isinstance(value, Sentence):
        return str(value)
    try:
        return write(value.code, value.params)
    except (KeyError, ValueError, TypeError, IndexError, AttributeError, InvalidOperation):
        # Not known here: the English, its percents in the user's format ("25 %").
        from .engine_words import english_sentence

        return str(english_sentence(value, value.params))


def sentence(value: str) -> str:
    """``text(value)`` as a sentence read on its own: a capital first letter and a stop."""
    words = text(value)
    return words[:1].upper() + words[1:] + ("" if words.endswith(".") else ".")


def texts(values: Sequence[str]) -> list[str]:
    return [text(value) for value in values]


def problems(error: BaseException) -> list[str]:
    """An ``InvalidInputError``'s problems (one line each) in the interface's language; any
    other error's sentence as one problem."""
    found = getattr(error, "problems", None)
    if isinstance(found, list) and found:
        return texts(found)
    return [error_sentence(error)]


def error_sentence(error: BaseException) -> str:
    """What to show for ``error``: its sentence in the interface's language when it was
    raised with a ``Sentence`` (or a list of them, with a heading), else its own text."""
    from quote_builder.errors import sentence_of

    found = getattr(error, "problems", None)
    if isinstance(found, list) and found and all(isinstance(p, str) for p in found):
        # Each problem in the form's words: a Sentence in the interface's language, a
        # quote-format "path: reason" line (economics.fixed_cost_per_month: must not be
        # negative) with its field named as the forms label it ("Fixed cost / month").
        from .reason_words import problem_text

        heading = getattr(error, "heading", "")
        lines = [text(p) if isinstance(p, Sentence) else problem_text(p) for p in found]
        return "\n".join(([text(heading)] if heading else []) + lines)
    return text(sentence_of(error))


__all__ = [
    "error_sentence",
    "money",
    "number",
    "percent",
    "problems",
    "sentence",
    "shown",
    "table",
    "text",
    "texts",
    "write",
]


def unprintable_text(path: str, value: str) -> str:
    """Why ``value`` cannot go into a PDF as the field ``path`` (``customer.name``,
    ``title``: the customer view's names), in the interface's language: the documents' one
    rule (``services.printable.unprintable``), its sentence with a capital and a stop, for
    the field's mark; "" when every character prints."""
    from quote_builder.services.printable import unprintable

    found = unprintable(path, value)
    if found is None:
        return ""
    words = text(found)
    return words[:1].upper() + words[1:] + ("" if words.endswith(".") else ".")
