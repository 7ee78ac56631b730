"""Customers, contacts, plans and settings: validation, optimistic locking, search."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quote_builder.services import customers as svc
from quote_builder.services import plans as plan_svc
from quote_builder.services import settings as settings_svc
from quote_builder.services.core import ConflictError, InvalidInputError, RefusedError
from quote_builder.store.database import Database

PER_UNIT = {
    "kind": "per_unit",
    "id": "u",
    "name": "Queries",
    "metric": "queries",
    "unit_price": "0.40",
}


def test_customer_fields_round_trip_with_exact_decimals(db: Database) -> None:
    created = svc.create_customer(
        db,
        {
            "name": "Acme",
            "currency": "JPY",
            "product_category": "legal_review",
            "billing_email": "ap@acme.example",
            "loaded_hourly_rate": "75.125",
            "minutes_saved_per_task": "15",
            "seats": 40,
        },
        actor="alice",
    )
    assert created.changes.customers == frozenset({created.value.id})
    loaded = svc.get_customer(db, created.value.id)
    assert loaded.loaded_hourly_rate == Decimal("75.125")
    assert loaded.currency == "JPY" and loaded.updated_by == "alice" and loaded.version_id == 1


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"name": ""}, "name:"),
        ({"name": "A", "currency": "XYZ"}, "currency: unknown currency 'XYZ'"),
        (
            {"name": "A", "billing_email": "not-an-email"},
            "billing_email: 'not-an-email' is not an email address",
        ),
        (
            {"name": "A", "product_category": "toasters"},
            "product_category: unknown product category 'toasters'",
        ),
        ({"name": "A", "loaded_hourly_rate": "-5"}, "loaded_hourly_rate: must not be negative"),
        ({"name": "A", "loaded_hourly_rate": 75.5}, "floats are refused"),
        ({"name": "A", "seats": -1}, "seats:"),
    ],
)
def test_bad_customer_input_names_the_field(
    db: Database, data: dict[str, object], problem: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        svc.create_customer(db, data, actor="alice")
    assert any(problem in p for p in info.value.problems), info.value.problems
    assert svc.search_customers(db).total == 0  # nothing half-saved


def test_stale_customer_edit_is_refused(db: Database) -> None:
    customer = svc.create_customer(db, {"name": "Acme"}, actor="alice").value
    svc.update_customer(db, customer.id, {"notes": "bob's note"}, expected_version=1, actor="bob")
    with pytest.raises(ConflictError, match="Customer 'Acme' was changed by bob"):
        svc.update_customer(
            db, customer.id, {"notes": "alice's note"}, expected_version=1, actor="alice"
        )
    assert svc.get_customer(db, customer.id).notes == "bob's note"


def test_search_sort_archive_and_delete(db: Database) -> None:
    for name in ("Zeta Corp", "alpha 100% Ltd", "Beta_Co", "Gamma"):
        svc.create_customer(db, {"name": name}, actor="a")
    # Sorted by name regardless of case, on both engines.
    assert [c.name for c in svc.search_customers(db).rows] == [
        "alpha 100% Ltd",
        "Beta_Co",
        "Gamma",
        "Zeta Corp",
    ]
    assert [c.name for c in svc.search_customers(db, "ALPHA").rows] == [
        "alpha 100% Ltd"
    ]  # case-insensitive
    assert [c.name for c in svc.search_customers(db, "100%").rows] == [
        "alpha 100% Ltd"
    ]  # % is literal
    assert [c.name for c in svc.search_customers(db, "a_c").rows] == ["Beta_Co"]  # _ is literal
    gamma = svc.search_customers(db, "gamma").rows[0]
    svc.archive_customer(db, gamma.id, expected_version=gamma.version_id, actor="a")
    assert svc.search_customers(db, "gamma").total == 0
    assert svc.search_customers(db, "gamma", include_archived=True).total == 1
    page = svc.search_customers(db, limit=2, offset=2, include_archived=True)
    assert page.total == 4 and len(page.rows) == 2
    svc.delete_customer(db, gamma.id, actor="a")
    assert svc.search_customers(db, include_archived=True).total == 3


def test_contacts(db: Database) -> None:
    customer = svc.create_customer(db, {"name": "Acme"}, actor="a").value
    svc.add_contact(
        db, customer.id, {"name": "Ann", "title": "CFO", "email": "ann@acme.example"}, actor="a"
    )
    svc.add_contact(db, customer.id, {"name": "Bob"}, actor="a")
    assert [c.name for c in svc.list_contacts(db, customer.id)] == ["Ann", "Bob"]
    with pytest.raises(InvalidInputError, match="email"):
        svc.add_contact(db, customer.id, {"name": "Eve", "email": "eve@"}, actor="a")


def test_plans_create_update_retire(db: Database) -> None:
    plan = plan_svc.create_plan(
        db,
        name="Analytics",
        pricing_model="platform_usage",
        components=[PER_UNIT],
        actor="a",
        product_category="analytics_copilot",
    ).value
    assert plan_svc.plan_components(plan)[0].id == "u"
    with pytest.raises(RefusedError, match="already exists"):
        plan_svc.create_plan(
            db, name="Analytics", pricing_model="platform_usage", components=[PER_UNIT], actor="a"
        )
    with pytest.raises(
        InvalidInputError, match=r"components\[0\].unit_price: must not be negative"
    ):
        plan_svc.create_plan(
            db,
            name="Bad",
            pricing_model="platform_usage",
            components=[{**PER_UNIT, "unit_price": "-1"}],
            actor="a",
        )
    with pytest.raises(
        InvalidInputError, match=r"components\[0\].kind: unknown component kind 'magic'"
    ):
        plan_svc.create_plan(
            db,
            name="Bad",
            pricing_model="platform_usage",
            components=[{"kind": "magic", "id": "x", "name": "X"}],
            actor="a",
        )
    with pytest.raises(InvalidInputError, match="pricing_model: unknown model"):
        plan_svc.create_plan(
            db, name="Bad", pricing_model="barter", components=[PER_UNIT], actor="a"
        )
    updated = plan_svc.update_plan(
        db, plan.id, expected_version=plan.version_id, actor="b", description="New text"
    ).value
    with pytest.raises(ConflictError):
        plan_svc.update_plan(
            db, plan.id, expected_version=plan.version_id, actor="c", description="Stale"
        )
    plan_svc.retire_plan(db, plan.id, expected_version=updated.version_id, actor="b")
    assert plan_svc.list_plans(db) == []
    assert [p.name for p in plan_svc.list_plans(db, include_retired=True)] == ["Analytics"]


def test_settings(db: Database) -> None:
    settings = settings_svc.get_settings(db)
    assert settings.default_currency == "USD" and settings.margin_floor_percent == Decimal(60)
    saved = settings_svc.update_settings(
        db,
        expected_version=settings.version_id,
        actor="admin",
        seller_name="Acme AI",
        margin_floor_percent="55.5",
        discount_authority={"rep": "10", "manager": "25", "deal_desk": "100"},
    ).value
    assert saved.margin_floor_percent == Decimal("55.5")
    assert saved.discount_authority()["manager"] == Decimal(25)
    with pytest.raises(InvalidInputError, match="default_currency"):
        settings_svc.update_settings(
            db, expected_version=saved.version_id, actor="admin", default_currency="ABC"
        )
    with pytest.raises(InvalidInputError, match="discount_authority.rep"):
        settings_svc.update_settings(
            db, expected_version=saved.version_id, actor="admin", discount_authority={"rep": "150"}
        )
    with pytest.raises(ConflictError):
        settings_svc.update_settings(
            db, expected_version=settings.version_id, actor="other", seller_name="X"
        )


def test_renaming_a_plan_to_a_taken_name_is_refused(db: Database) -> None:
    a = plan_svc.create_plan(
        db, name="A", pricing_model="platform_usage", components=[PER_UNIT], actor="x"
    ).value
    plan_svc.create_plan(
        db, name="B", pricing_model="platform_usage", components=[PER_UNIT], actor="x"
    )
    with pytest.raises(RefusedError, match="a plan named 'B' already exists"):
        plan_svc.update_plan(db, a.id, expected_version=a.version_id, actor="x", name="B")


def test_a_duplicate_customer_name_is_refused(db: Database) -> None:
    """Names compare trimmed, with collapsed spaces, case folded: "contoso legal " is
    "Contoso Legal". Before, the second create made a second customer."""
    first = svc.create_customer(db, {"name": "  Contoso   Legal "}, actor="a").value
    assert first.name == "Contoso Legal"  # saved trimmed
    for typed in ("contoso legal ", "CONTOSO  LEGAL"):
        with pytest.raises(svc.DuplicateCustomerError) as caught:
            svc.create_customer(db, {"name": typed}, actor="a")
        assert str(caught.value) == (
            "Customer name: Contoso Legal already exists (use it instead of adding another "
            "customer with the same name)."
        )
        assert caught.value.existing.id == first.id
        with pytest.raises(svc.DuplicateCustomerError):
            svc.check_new_customer(db, {"name": typed})
    assert svc.search_customers(db, "contoso").total == 1
    other = svc.create_customer(db, {"name": "Fabrikam"}, actor="a").value
    with pytest.raises(svc.DuplicateCustomerError):  # renaming onto a taken name
        svc.update_customer(
            db, other.id, {"name": "contoso legal"}, expected_version=other.version_id, actor="a"
        )
    renamed = svc.update_customer(  # its own name in another case is fine
        db, other.id, {"name": "FABRIKAM "}, expected_version=other.version_id, actor="a"
    ).value
    assert renamed.name == "FABRIKAM"
    archived = svc.archive_customer(db, first.id, expected_version=first.version_id, actor="a")
    with pytest.raises(svc.DuplicateCustomerError, match="archived; restore it"):
        svc.create_customer(db, {"name": "Contoso Legal"}, actor="a")
    assert archived.value.archived


def test_a_plan_row_edited_by_hand_into_not_json_is_a_sentence(db: Database) -> None:
    """The adversarial campaign: a catalog plan's components (or price books) edited with
    SQL into something that is not JSON made `plans export` and every use of the plan end
    in a JSONDecodeError traceback. It is a sentence naming the plan."""
    from sqlalchemy import text

    from quote_builder.services.demo import seed_demo
    from quote_builder.services.transfer import export_plans_json

    seed_demo(db, actor="t")
    plan = plan_svc.list_plans(db)[0]
    for column, other in (("components_json", "price_books_json"), ("price_books_json", "")):
        sets = f"{column} = '{{x'" + (
            f", {other} = '{{}}'" if other else ", components_json = '[]'"
        )
        with db.engine.begin() as connection:
            connection.execute(text(f"UPDATE plan SET {sets} WHERE id = :i"), {"i": plan.id})
        edited = plan_svc.get_plan(db, plan.id)
        with pytest.raises(InvalidInputError) as info:
            export_plans_json(db)
        assert str(info.value).startswith(
            f"the plan '{edited.name}' is not JSON in the database (line 1, column 2: "
        ), str(info.value)
        assert "changed outside Quote Builder" in str(info.value)
        if column == "components_json":
            with pytest.raises(InvalidInputError, match="is not JSON in the database"):
                plan_svc.plan_components(edited)
