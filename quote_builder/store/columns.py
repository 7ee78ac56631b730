"""Column types that keep money exact and time unambiguous on SQLite and PostgreSQL.

SQLAlchemy's ``Numeric`` is stored as REAL (a binary float) on SQLite, so decimals are
stored as text and amounts as integer minor units with their currency.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from quote_builder.errors import Sentence, UserFacingError
from quote_builder.pricing.money import to_decimal


class StoredValueError(UserFacingError):
    """A column holds what Quote Builder never writes there (the row was edited by hand)."""


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal stored as its exact text (``"0.0004"``); floats are refused."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return format(to_decimal(value, what="decimal column"), "f")

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        try:
            return Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            # A row edited by hand (sqlite3): a sentence, not a traceback on every read.
            raise StoredValueError(
                Sentence(
                    f"the database holds '{value}' where a number belongs (it was changed "
                    "outside Quote Builder): keep a copy of the database, then restore a "
                    "backup or correct the value",
                    "db.not_a_number",
                    value=str(value),
                )
            ) from None


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware datetimes")
        utc: dt.datetime = value.astimezone(dt.UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        """The stored timestamp read, or for a row edited by hand (``sqlite3``) into
        something that is not one, a sentence naming it, never a traceback on every read."""
        inner = super().result_processor(dialect, coltype)
        if inner is None:  # pragma: no cover - TypeDecorator always has process_result_value
            return None

        def process(value: Any) -> Any:
            try:
                return inner(value)
            except (ValueError, TypeError, OverflowError):
                raise StoredValueError(
                    Sentence(
                        f"the database holds '{value}' where a date and time belongs (it was "
                        "changed outside Quote Builder): keep a copy of the database, then "
                        "restore a backup or correct the value",
                        "db.not_a_moment",
                        value=str(value),
                    )
                ) from None

        return process

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite returns text for rows written by raw SQL
            value = dt.datetime.fromisoformat(value)
        if not isinstance(value, dt.datetime):
            raise TypeError(f"expected a timestamp, got {type(value).__name__}")
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
