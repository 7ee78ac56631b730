"""What every use case shares: errors a user can read, and change records.

A use case returns ``Outcome(value, changes)``; windows refresh from ``changes`` (which
entities changed) instead of re-reading everything.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import ValidationError

from quote_builder.errors import Sentence, UserFacingError

T = TypeVar("T")


class ServiceError(UserFacingError):
    """A problem the user can act on; ``str(error)`` is the message to show."""


class NotFoundError(ServiceError):
    pass


class InvalidInputError(ServiceError):
    """Bad input; ``problems`` holds one ``field: reason`` line each."""

    def __init__(self, problems: list[str], heading: str = "") -> None:
        self.problems = problems
        self.heading = heading
        super().__init__("\n".join(([heading] if heading else []) + problems))


class ConflictError(ServiceError):
    """A save based on a stale copy: someone else changed the row since it was read."""

    def __init__(
        self, what: str, changed_by: str, changed_at: dt.datetime, current: Any = None
    ) -> None:
        when = changed_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        who = changed_by or "someone"
        super().__init__(
            Sentence(
                f"{what} was changed by {who} at {when} after you opened it; nothing was saved. "
                "Reload to see their changes, then apply yours again.",
                "conflict" if changed_by else "conflict.someone",
                what=what,
                changed_by=changed_by,
                changed_at=changed_at,
            )
        )
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current = current


class RefusedError(ServiceError):
    """The action is not allowed in this state (e.g. deleting a customer with quotes)."""


def quote_named(number: str) -> Sentence:
    """ "Quote SQ-2026-0001", as a conflict names what changed."""
    return Sentence(f"Quote {number}", "what.quote", number=number)


def customer_named(name: str) -> Sentence:
    return Sentence(f"Customer {name!r}", "what.customer", name=name)


def plan_named(name: str) -> Sentence:
    return Sentence(f"Plan {name!r}", "what.plan", name=name)


def json_problem(exc: ValueError | RecursionError) -> str:
    """Where and why stored JSON cannot be read (``line 1, column 2: Expecting value``),
    for the sentence that refuses a row changed outside Quote Builder."""
    if isinstance(exc, json.JSONDecodeError):
        return f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
    return str(exc) or type(exc).__name__


def plan_json(name: str, text: str | None, default: Any, *, decimals: bool = False) -> Any:
    """A catalog plan's stored JSON (its components, its price books). A row edited by hand
    into something that is not JSON is refused with a sentence naming the plan, never a
    traceback; an empty column is ``default``."""
    if not text:
        return default
    try:
        return json.loads(text, parse_float=Decimal) if decimals else json.loads(text)
    except (ValueError, RecursionError) as exc:
        where = json_problem(exc)
        raise InvalidInputError(
            [
                Sentence(
                    f"the plan '{name}' is not JSON in the database ({where}); it was changed "
                    "outside Quote Builder: keep a copy of the database, then restore a "
                    "backup",
                    "plan.not_json",
                    name=name,
                    where=where,
                )
            ]
        ) from None


def not_found(kind: str, key: Any) -> Sentence:
    """ "quote 12 does not exist": a row asked for by its id that is not (or no longer)
    there; ``kind`` is quote, customer, contact, plan or exchange rate."""
    return Sentence(f"{kind} {key} does not exist", "not_found", kind=kind, id=key)


_BOUNDS = {
    "less_than_equal": ("le", "must be at most {}"),
    "less_than": ("lt", "must be below {}"),
    "greater_than_equal": ("ge", "must be at least {}"),
    "greater_than": ("gt", "must be above {}"),
    "string_too_long": ("max_length", "must be at most {} characters"),
}


def _in_words(err: Any) -> str:
    """pydantic's message in the user's words where it has a plain form ("must be at most
    5", not "Input should be less than or equal to 5")."""
    kind = err.get("type", "")
    context = err.get("ctx") or {}
    if kind in _BOUNDS and _BOUNDS[kind][0] in context:
        key, text = _BOUNDS[kind]
        return text.format(context[key])
    if kind == "string_too_short" and context.get("min_length") == 1:
        return "must not be empty"
    if kind in ("int_parsing", "decimal_parsing", "float_parsing", "int_from_float"):
        return "not a whole number" if kind.startswith("int") else "not a number"
    return str(err["msg"]).removeprefix("Value error, ")


def _problem(err: Any, prefix: str) -> Sentence:
    """One problem of a pydantic validation as ``field: reason``, with its code and values
    (the field's path, the bound) where the reason has a plain form."""
    path = ".".join(str(part) for part in err["loc"]) or "(value)"
    text = f"{prefix}{path}: {_in_words(err)}"
    kind = err.get("type", "")
    context = err.get("ctx") or {}
    field = f"{prefix}{path}"
    if kind == "string_too_long" and "max_length" in context and isinstance(err.get("input"), str):
        # The length is given: a pasted page is told how long it is, not just the limit.
        length = len(err["input"])
        return Sentence(
            f"{text} (it has {length})",
            "input.string_too_long",
            field=field,
            limit=context["max_length"],
            length=length,
        )
    if kind in _BOUNDS and _BOUNDS[kind][0] in context:
        return Sentence(text, f"input.{kind}", field=field, limit=context[_BOUNDS[kind][0]])
    if kind == "string_too_short" and context.get("min_length") == 1:
        return Sentence(text, "input.empty", field=field)
    if kind in ("int_parsing", "decimal_parsing", "float_parsing", "int_from_float"):
        return Sentence(
            text, "input.not_whole" if kind.startswith("int") else "input.not_number", field=field
        )
    return Sentence(text, "input.other", field=field, reason=_in_words(err))


def problems_from(exc: ValidationError, prefix: str = "") -> list[str]:
    return [_problem(err, prefix) for err in exc.errors()]


@dataclass(frozen=True)
class Changes:
    """Which entities a use case changed, by id."""

    customers: frozenset[int] = frozenset()
    plans: frozenset[int] = frozenset()
    quotes: frozenset[int] = frozenset()
    settings: bool = False
    elsewhere: bool = False
    """Another process wrote to the database (services.watch): what changed is not known,
    so lists are read again."""

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.customers | other.customers,
            self.plans | other.plans,
            self.quotes | other.quotes,
            self.settings or other.settings,
            self.elsewhere or other.elsewhere,
        )

    @classmethod
    def of(
        cls,
        *,
        customers: Iterable[int] = (),
        plans: Iterable[int] = (),
        quotes: Iterable[int] = (),
        settings: bool = False,
    ) -> Changes:
        return cls(frozenset(customers), frozenset(plans), frozenset(quotes), settings)

    @property
    def empty(self) -> bool:
        return not (self.customers or self.plans or self.quotes or self.settings or self.elsewhere)


NO_CHANGES = Changes()


@dataclass(frozen=True)
class Outcome[T]:
    value: T
    changes: Changes = field(default=NO_CHANGES)


@dataclass(frozen=True)
class Page[T]:
    rows: list[T]
    total: int
    offset: int
