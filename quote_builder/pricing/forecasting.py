"""Which of the customer's numbers a metric's forecast comes from.

The guided flow asks about the customer before it knows the components: users, actions per
user per day, days of use a month, outcomes per month. Once the components are chosen,
each metric they bill is one of:

- an **outcome** (a per-outcome price's metric): its monthly quantity is the customer's
  outcomes per month;
- an **action** (per unit, tiers, packages, an allowance, credit burn): users x actions per
  user per day x days a month, when it is the only action metric (several action metrics
  split the actions in a way only the rep knows: nothing is guessed);
- a **value** (a share of attributed value, a transaction's value) or a **count** of
  transactions: not derivable from users and actions; the rep gives it.

The same figure never lands on two components: outcomes go to the outcome metric only when
there is exactly one (several split the outcomes as only the rep knows), and the users are
seats once: ``seats_from_users`` gives them to the tier the template names (else the first
seats component, the recommended tier) and starts every other tier at 0, so a template with Individual and Pro tiers does not
bill 10 users as 10 + 10 = 20 seats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .components import Component, Credits, PercentOfValue, PerOutcome, Seats, TransactionFee

MetricRole = Literal["outcome", "action", "value", "count"]
DEFAULT_DAYS_PER_MONTH = 30
"""The playbook's arithmetic: 100 users x 50 queries a day = 5,000 a day, 150,000 a month."""


def metric_roles(components: Sequence[Component]) -> dict[str, MetricRole]:
    """Each billed metric's role, in the order the components read them. A metric read both
    as an outcome and otherwise is an outcome (its number is the customer's outcomes)."""
    roles: dict[str, MetricRole] = {}

    def put(metric: str, role: MetricRole) -> None:
        if metric not in roles or role == "outcome":
            roles[metric] = role

    for c in components:
        if isinstance(c, PerOutcome):
            put(c.metric, "outcome")
        elif isinstance(c, PercentOfValue):
            put(c.metric, "value")
        elif isinstance(c, TransactionFee):
            put(c.metric, "value")
            put(c.count_metric, "count")
        elif isinstance(c, Credits):
            for metric in c.burn:  # in the order the plan lists them
                put(metric, "action")
        else:
            for metric in sorted(c.metrics()):
                put(metric, "action")
    return roles


@dataclass(frozen=True)
class DerivedVolume:
    """A metric's monthly quantity from the customer's numbers, and which ones."""

    quantity: Decimal
    basis: Literal["outcomes", "actions"]


def monthly_actions(
    users: int | None, actions_per_user_per_day: Decimal | None, days_per_month: int
) -> Decimal | None:
    """users x actions per user per day x days a month (None when either is not given),
    without decimals it does not need: 1,500 x 12.5 x 30 is 562500 actions, not 562500.0
    (the guided flow wrote "562.500,0 Aktionen pro Monat" and kept the forecast so)."""
    if not users or actions_per_user_per_day is None:
        return None
    total = Decimal(users) * actions_per_user_per_day * days_per_month
    if total == total.to_integral_value():
        return total.quantize(Decimal(1))
    return total.normalize()


def derived_volumes(
    roles: dict[str, MetricRole],
    *,
    users: int | None,
    actions_per_user_per_day: Decimal | None,
    days_per_month: int = DEFAULT_DAYS_PER_MONTH,
    outcomes_per_month: Decimal | None,
) -> dict[str, DerivedVolume]:
    """The monthly quantity of every metric that follows from the customer's numbers."""
    found: dict[str, DerivedVolume] = {}
    outcomes = [m for m, role in roles.items() if role == "outcome"]
    if outcomes_per_month is not None and len(outcomes) == 1:
        found[outcomes[0]] = DerivedVolume(outcomes_per_month, "outcomes")
    actions = [m for m, role in roles.items() if role == "action"]
    total = monthly_actions(users, actions_per_user_per_day, days_per_month)
    if total is not None and len(actions) == 1:
        found[actions[0]] = DerivedVolume(total, "actions")
    return found


def seats_from_users(
    components: Sequence[Component], users: int | None, tier: str | None = None
) -> list[Component]:
    """The components with the users as seats once: the seats component ``tier`` (its id;
    the first seats component, the recommended tier, when None or not there) gets ``users``
    (its own count when users are not given), every other seats component 0 (the rep moves
    users between the tiers). Other components as they are."""
    seat_ids = [c.id for c in components if isinstance(c, Seats)]
    chosen = tier if tier in seat_ids else (seat_ids[0] if seat_ids else None)
    result: list[Component] = []
    for c in components:
        if isinstance(c, Seats):
            count = (users or c.seats) if c.id == chosen else 0
            c = c.model_copy(update={"seats": count})
        result.append(c)
    return result


def seat_total(components: Sequence[Component]) -> int:
    """Seats over every seats component (the tiers together)."""
    return sum(c.seats for c in components if isinstance(c, Seats))


__all__ = [
    "DEFAULT_DAYS_PER_MONTH",
    "DerivedVolume",
    "MetricRole",
    "derived_volumes",
    "metric_roles",
    "monthly_actions",
    "seat_total",
    "seats_from_users",
]
