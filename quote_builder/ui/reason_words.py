"""The quote format's validation reasons in the interface's language.

A quote that does not validate (an edit the forms do not check first, an opened file, a
stored version) is refused by pydantic; the engine turns pydantic's messages into short
English reasons (``pricing.quote_format._FRIENDLY``: "required", "must be at most 5", "not
a number", "too long (at most 200 characters)") and ``services.words.reason`` turns the
rest of pydantic's phrases into ours ("must be text", "must be yes or no"). This module
writes those reasons again in German or French: each known reason is a ``ui`` message with
its number as a placeholder, and the value the user gave (" (got 'x')") is kept as given.
A reason not known here stays as it is (English): ``tests/ui/test_reason_words.py`` walks
the common pydantic error types (missing, too long, not a number, not a date, too many
items, below or above a bound, unknown field, not yes or no, not text) in de and fr.
"""

from __future__ import annotations

import re
from typing import Any

from quote_builder.services import words

from .i18n import N_, _, label_and

_NUMBER = r"(?P<n>-?[0-9][0-9,.]*)"

REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(f"^{pattern}$"), message)
    for pattern, message in (
        (r"required", N_("required")),
        (r"required; one of (?P<kinds>.+)", N_("required; one of {kinds}")),
        (r"unknown field", N_("unknown field")),
        (r"is not a field of the quote", N_("is not a field of the quote")),
        (r"must not be negative", N_("must not be negative")),
        (r"must be at most 100 \(it is a percent\)", N_("must be at most 100 (it is a percent)")),
        (r"must not be empty", N_("must not be empty")),
        (r"not a number", N_("not a number")),
        (r"must be a number", N_("must be a number")),
        (r"must be a whole number", N_("must be a whole number")),
        (r"not a date \(use YYYY-MM-DD\)", N_("not a date (use YYYY-MM-DD)")),
        (r"must be a date \(YYYY-MM-DD\)", N_("must be a date (YYYY-MM-DD)")),
        (r"not a date: write it as YYYY-MM-DD", N_("not a date: write it as YYYY-MM-DD")),
        (r"must be yes or no", N_("must be yes or no")),
        (r"must be text", N_("must be text")),
        (r"is not valid here", N_("is not valid here")),
        (f"must be at least {_NUMBER}", N_("must be at least {n}")),
        (f"must be greater than {_NUMBER}", N_("must be greater than {n}")),
        (f"must be at most {_NUMBER}", N_("must be at most {n}")),
        (f"must be less than {_NUMBER}", N_("must be less than {n}")),
        (f"too long \\(at most {_NUMBER} characters\\)", N_("too long (at most {n} characters)")),
        (
            f"too long \\(at most {_NUMBER} characters; it has (?P<length>[0-9][0-9,.]*)\\)",
            N_("too long (at most {n} characters; it has {length})"),
        ),
        (f"too many items \\(at most {_NUMBER}\\)", N_("too many items (at most {n})")),
        (r"must be one of (?P<choices>.+)", N_("must be one of {choices}")),
        (
            r"use letters, digits, '_', '\.' or '-', starting with a letter or digit",
            N_("use letters, digits, '_', '.' or '-', starting with a letter or digit"),
        ),
    )
)

_GOT = re.compile(r"^(?P<reason>.*) \(got (?P<value>.*)\)$", re.S)


def reason_text(reason: str) -> str:
    """One validation reason (English, as the engine or ``services.words.reason`` wrote
    it) in the interface's language; unknown reasons as they are."""
    value = None
    got = _GOT.match(reason)
    if got is not None and _known(got.group("reason")):
        reason, value = got.group("reason"), got.group("value")
    text = _translated(reason)
    if value is not None:
        text = _("{reason} (got {value})").format(reason=text, value=value)
    return text


def _known(reason: str) -> bool:
    return any(pattern.match(reason) for pattern, _message in REASONS)


def _translated(reason: str) -> str:
    for pattern, message in REASONS:
        match = pattern.match(reason)
        if match is not None:
            return _(message).format(**match.groupdict())
    return reason


def problem_text(
    problem: str, data: dict[str, Any] | None = None, labels: dict[str, str] | None = None
) -> str:
    """``components[0].seats: must be at least 1`` as the form names the field, with the
    reason in the interface's language ("Plätze: muss mindestens 1 sein"); the field named
    by the form's label where the form has one (``labels``), else by
    ``services.words.where``."""
    path, sep, why = problem.partition(": ")
    ramp = words.ramp_reference(path, why, data) if sep else None
    if ramp is not None:
        return ramp_text(*ramp)
    if sep and labels and path in labels:  # the form's label: joined the language's way
        return label_and(labels[path], reason_text(words.reason(why)))
    english = words.sentence(problem, data, labels)
    if not sep:
        return reason_text(english)
    reason = words.reason(why)
    if english.endswith(reason):
        place = english[: len(english) - len(reason)]
        return place + reason_text(reason)
    return english


def ramp_text(number: int, year: str, kind: str, name: str) -> str:
    """``services.words.ramp_sentence`` in the interface's language: a ramp naming a
    metric with no usage forecast, or a seats component the quote does not have."""
    place = (
        _("Ramp {number} (year {year})").format(number=number, year=year)
        if year
        else _("Ramp {number}").format(number=number)
    )
    if kind == "usage":
        return _(
            "{place}: “{name}” has no usage forecast, so its monthly usage cannot ramp"
        ).format(place=place, name=name)
    return _("{place}: the quote has no seats component “{name}”, so its seats cannot ramp").format(
        place=place, name=name
    )


def too_long(text: str, limit: int) -> str | None:
    """Why ``text`` cannot be kept in a field of at most ``limit`` characters, in the
    interface's language ("zu lang (höchstens 200 Zeichen; es sind 230)"); None when it
    fits. The field keeps what was typed or pasted, whole: the user cuts it, not the
    app (the quote format's own reason, as the command line and an import give it)."""
    if len(text) <= limit:
        return None
    return reason_text(f"too long (at most {limit} characters; it has {len(text)})")


CURRENCY_CODE_MAX = 3
"""An ISO 4217 code's length (every currency column of ``store.models``): a currency field
keeps a longer text ("EURO" pasted) and says it is too long, as every field with a limit."""


def currency_too_long(text: str) -> str | None:
    """``too_long`` for a currency code as typed (spaces around it are not counted)."""
    return too_long(text.strip(), CURRENCY_CODE_MAX)


def with_limit(tip: str, limit: int) -> str:
    """A field's tooltip with its longest text said: the field has no maxLength (Qt cuts
    a paste without a word); ``too_long`` marks a longer text instead."""
    return _("{tip} Up to {limit} characters.").format(tip=tip, limit=limit)


__all__ = [
    "CURRENCY_CODE_MAX",
    "REASONS",
    "currency_too_long",
    "problem_text",
    "ramp_text",
    "reason_text",
    "too_long",
    "with_limit",
]
