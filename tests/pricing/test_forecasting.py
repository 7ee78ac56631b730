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


# --- the same figure never lands on two components -----------------------------------------

from quote_builder.pricing.components import Seats  # noqa: E402
from quote_builder.pricing.forecasting import seat_total, seats_from_users  # noqa: E402
from quote_builder.pricing.playbook import PricingModel, ProductCategory  # noqa: E402
from quote_builder.pricing.templates import template_for  # noqa: E402

TEMPLATES = [(m, c) for m in PricingModel for c in ProductCategory]


@pytest.mark.parametrize(("model", "category"), TEMPLATES)
def test_every_template_bills_the_users_as_seats_once(
    model: PricingModel, category: ProductCategory
) -> None:
    """10 users: the seats over every tier are 10 (the AI coding individual template had
    Individual 10 + Pro 10 = 20 seats, 20 x ... billed for 10 people); the first tier has
    them all, the others 0."""
    components = seats_from_users(list(template_for(model, category).components), 10)
    seats = [c.seats for c in components if isinstance(c, Seats)]
    if seats:
        assert seats[0] == 10 and all(n == 0 for n in seats[1:])
        assert seat_total(components) == 10  # 10 + 0 + ... = 10 users
    roles = metric_roles(components)
    # at most one metric takes the customer's outcomes; several action metrics are split by
    # the rep (derived_volumes gives none of them a figure)
    derived = derived_volumes(
        roles, users=10, actions_per_user_per_day=D("5"), outcomes_per_month=D("200")
    )
    outcome_metrics = [m for m, v in derived.items() if v.basis == "outcomes"]
    action_metrics = [m for m, v in derived.items() if v.basis == "actions"]
    assert len(outcome_metrics) <= 1 and len(action_metrics) <= 1


def test_two_outcome_metrics_split_the_outcomes_as_the_rep_says() -> None:
    """Two per-outcome prices on different metrics: 200 outcomes a month are not 200 of each
    (400 billed); neither gets a figure, the rep splits them."""
    roles = metric_roles(
        [
            component_from_dict(
                {"kind": "per_outcome", "id": i, "name": i, "metric": i, "price_per_outcome": "1"}
            )
            for i in ("resolved", "escalated")
        ]
    )
    assert (
        derived_volumes(
            roles, users=None, actions_per_user_per_day=None, outcomes_per_month=D("200")
        )
        == {}
    )


def test_without_users_the_first_tier_keeps_its_count_and_the_others_start_at_0() -> None:
    template = template_for(PricingModel.SEATS_AI_TIERS, ProductCategory.CODING_INDIVIDUAL)
    components = seats_from_users(list(template.components), None)
    assert [c.seats for c in components if isinstance(c, Seats)] == [10, 0]


def test_monthly_actions_carry_no_decimals_they_do_not_need() -> None:
    """1,500 users x 12.5 actions x 30 days: 562500 actions (the guided flow wrote
    "562.500,0 Aktionen pro Monat" and the usage forecast kept "562500.0")."""
    from quote_builder.pricing.forecasting import monthly_actions

    assert str(monthly_actions(1500, D("12.5"), 30)) == "562500"
    assert str(monthly_actions(3, D("2.50"), 1)) == "7.5"
    assert str(monthly_actions(1234, D("12.5"), 30)) == "462750"
