"""Which of the customer's numbers a metric's forecast comes from (pricing/forecasting.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from quote_builder.pricing.factory import component_from_dict
from quote_builder.pricing.forecasting import DerivedVolume, derived_volumes, metric_roles

D = Decimal

OUTCOME = {
    "kind": "per_outcome",
    "id": "o",
    "name": "O",
    "metric": "tickets",
    "price_per_outcome": "3",
}
OVERAGE = {
    "kind": "allowance_overage",
    "id": "a",
    "name": "A",
    "metric": "queries",
    "included": "100",
    "overage_unit_price": "0.25",
}
CREDITS = {
    "kind": "credits",
    "id": "c",
    "name": "C",
    "allocation_pool": "100",
    "burn": {"completions": "1", "agent_runs": "25"},
    "overage_price_per_credit": "0.02",
}
SHARE = {"kind": "percent_of_value", "id": "s", "name": "S", "metric": "revenue", "percent": "5"}
FEES = {
    "kind": "transaction_fee",
    "id": "t",
    "name": "T",
    "metric": "volume",
    "count_metric": "payments",
    "percent": "1.5",
}


def roles(*raw: dict[str, Any]) -> dict[str, str]:
    return dict(metric_roles([component_from_dict(r) for r in raw]))


def test_roles_in_the_order_the_components_read_them() -> None:
    assert list(roles(CREDITS, OUTCOME).items()) == [
        ("completions", "action"),  # credits burn in the order the plan lists them
        ("agent_runs", "action"),
        ("tickets", "outcome"),
    ]
    assert roles(SHARE, FEES) == {"revenue": "value", "volume": "value", "payments": "count"}
    # A metric read as an outcome and as usage is an outcome.
    both = {**OVERAGE, "metric": "tickets"}
    assert roles(both, OUTCOME) == {"tickets": "outcome"}


@pytest.mark.parametrize(
    ("components", "users", "actions", "days", "outcomes", "expected"),
    [
        # 60 users x 4 actions a day x 30 days = 7,200 queries a month
        ([OVERAGE], 60, "4", 30, None, {"queries": DerivedVolume(D(7200), "actions")}),
        # 21 working days: 60 x 4 x 21 = 5,040
        ([OVERAGE], 60, "4", 21, None, {"queries": DerivedVolume(D(5040), "actions")}),
        # 2.5 actions a day: 10 x 2.5 x 30 = 750
        ([OVERAGE], 10, "2.5", 30, None, {"queries": DerivedVolume(D("750.0"), "actions")}),
        # no users or no actions: nothing follows
        ([OVERAGE], 0, "4", 30, None, {}),
        ([OVERAGE], 60, None, 30, None, {}),
        # outcomes per month are the outcome metric's quantity
        ([OUTCOME], 40, "25", 30, "4000", {"tickets": DerivedVolume(D(4000), "outcomes")}),
        # two action metrics: the split is the rep's, nothing is guessed
        ([CREDITS], 25, "60", 30, None, {}),
        # money and transaction counts are not users x actions
        ([SHARE, FEES], 10, "5", 30, "100", {}),
    ],
)
def test_derived_volumes(
    components: list[dict[str, Any]],
    users: int,
    actions: str | None,
    days: int,
    outcomes: str | None,
    expected: dict[str, DerivedVolume],
) -> None:
    found = derived_volumes(
        roles(*components),  # type: ignore[arg-type]
        users=users,
        actions_per_user_per_day=None if actions is None else D(actions),
        days_per_month=days,
        outcomes_per_month=None if outcomes is None else D(outcomes),
    )
    assert found == expected
