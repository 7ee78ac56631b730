"""What every use case shares: errors a user can read, and change records.

A use case returns ``Outcome(value, changes)``; windows refresh from ``changes`` (which
entities changed) instead of re-reading everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import ValidationError

from quote_builder.errors import UserFacingError

T = TypeVar("T")


class ServiceError(UserFacingError):
    """A problem the user can act on; ``str(error)`` is the message to show."""


class NotFoundError(ServiceError):
    pass


class InvalidInputError(ServiceError):
    """Bad input; ``problems`` holds one ``field: reason`` line each."""

    def __init__(self, problems: list[str], heading: str = "") -> None:
        self.problems = problems
        super().__init__("\n".join(([heading] if heading else []) + problems))


class ConflictError(ServiceError):
    """A save based on a stale copy: someone else changed the row since it was read."""

    def __init__(
        self, what: str, changed_by: str, changed_at: dt.datetime, current: Any = None
    ) -> None:
        when = changed_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        who = changed_by or "someone"
        super().__init__(
            f"{what} was changed by {who} at {when} after you opened it; nothing was saved. "
            "Reload to see their changes, then apply yours again."
        )
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current = current


class RefusedError(ServiceError):
    """The action is not allowed in this state (e.g. deleting a customer with quotes)."""


def problems_from(exc: ValidationError, prefix: str = "") -> list[str]:
    lines = []
    for err in exc.errors():
        path = ".".join(str(part) for part in err["loc"]) or "(value)"
        message = err["msg"].removeprefix("Value error, ")
        lines.append(f"{prefix}{path}: {message}")
    return lines


@dataclass(frozen=True)
class Changes:
    """Which entities a use case changed, by id."""

    customers: frozenset[int] = frozenset()
    plans: frozenset[int] = frozenset()
    quotes: frozenset[int] = frozenset()
    settings: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.customers | other.customers,
            self.plans | other.plans,
            self.quotes | other.quotes,
            self.settings or other.settings,
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
        return not (self.customers or self.plans or self.quotes or self.settings)


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
