"""The catalog: plans whose components are in the pricing engine's format."""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from quote_builder.errors import Sentence
from quote_builder.pricing import Component, QuoteDocument
from quote_builder.pricing.components import AnyComponent
from quote_builder.pricing.currency import is_currency
from quote_builder.pricing.document import CustomerRef, Economics
from quote_builder.pricing.fields import NUL_REFUSED
from quote_builder.pricing.playbook import PricingModel, ProductCategory
from quote_builder.pricing.quote_format import describe_errors
from quote_builder.pricing.templates import template_for
from quote_builder.store import repositories as repo
from quote_builder.store.columns import utcnow
from quote_builder.store.database import Database
from quote_builder.store.models import Plan, PlanPublic

from .core import (
    Changes,
    InvalidInputError,
    NotFoundError,
    Outcome,
    RefusedError,
    not_found,
    plan_json,
    plan_named,
)
from .customers import check_version

PLAN_FORMAT = "quote-builder/plan"


@functools.cache
def _components() -> TypeAdapter[list[AnyComponent]]:
    """The validator of a plan's component list, built on first use: its schema covers
    every component kind, and importing this module (the app's catalog, ``usage simulate
    --plan``) should not pay for it."""
    return TypeAdapter(list[AnyComponent])


def parse_components(data: Any, prefix: str = "components") -> list[Component]:
    """Validate components in the engine's format; errors name the path."""
    if not isinstance(data, list) or not data:
        raise InvalidInputError(
            [
                Sentence(
                    f"{prefix}: must be a non-empty list of components",
                    "components.none",
                    prefix=prefix,
                )
            ]
        )
    try:
        components: list[Component] = list(_components().validate_python(data))
    except ValidationError as exc:
        raise InvalidInputError(
            [
                f"{prefix}{line}" if line.startswith("[") else f"{prefix}.{line}"
                for line in describe_errors(exc)
            ]
        ) from None
    ids = [c.id for c in components]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InvalidInputError(
            [
                Sentence(
                    f"{prefix}: component ids must be unique; repeated: {', '.join(duplicates)}",
                    "components.repeated_ids",
                    prefix=prefix,
                    ids=duplicates,
                )
            ]
        )
    return components


def _components_json(components: list[Component]) -> str:
    return json.dumps(
        [c.model_dump(mode="json", by_alias=True, exclude_none=True) for c in components]
    )


def plan_components(plan: PlanPublic) -> list[Component]:
    return parse_components(plan_json(plan.name, plan.components_json, [], decimals=True))


def check_plan_fields(
    name: str,
    pricing_model: str,
    product_category: str | None,
    currency: str,
    description: str = "",
) -> None:
    problems: list[str] = []
    if not name.strip():
        problems.append(Sentence("name: must not be empty", "plan.no_name"))
    for label, text in (("name", name), ("description", description)):
        if "\x00" in text:  # refused on SQLite too, as PostgreSQL cannot store it
            problems.append(Sentence(f"{label}: {NUL_REFUSED}", "plan.nul", field=label))
    if pricing_model not in {m.value for m in PricingModel}:
        known = ", ".join(m.value for m in PricingModel)
        problems.append(
            Sentence(
                f"pricing_model: unknown model {pricing_model!r}; one of {known}",
                "plan.unknown_model",
                model=pricing_model,
            )
            if pricing_model
            else Sentence(f"pricing_model: required; one of {known}", "plan.no_model")
        )
    if product_category and product_category not in {c.value for c in ProductCategory}:
        problems.append(
            Sentence(
                f"product_category: unknown category {product_category!r}",
                "plan.unknown_category",
                category=product_category,
            )
        )
    if not is_currency(currency):
        problems.append(
            Sentence(
                f"currency: unknown currency {currency!r}",
                "plan.unknown_currency",
                currency=currency,
            )
        )
    if problems:
        raise InvalidInputError(problems)


def insert_plan(
    session: Session,
    *,
    name: str,
    pricing_model: str,
    components: list[dict[str, Any]] | list[Component],
    actor: str,
    description: str = "",
    product_category: str | None = None,
    currency: str = "USD",
    active: bool = True,
) -> int:
    """Validate and add a plan inside the caller's transaction; returns its id."""
    check_plan_fields(name, pricing_model, product_category, currency, description)
    valid = parse_components(
        [
            c.model_dump(mode="json", by_alias=True) if isinstance(c, Component) else c
            for c in components
        ]
    )
    if repo.plan_by_name(session, name=name.strip()) is not None:
        raise RefusedError(
            Sentence(f"a plan named {name.strip()!r} already exists", "plan.name_taken", name=name)
        )
    plan = Plan(
        name=name.strip(),
        pricing_model=pricing_model,
        product_category=product_category,
        description=description,
        currency=currency,
        components_json=_components_json(valid),
        updated_by=actor,
        active=active,
    )
    session.add(plan)
    try:
        session.flush()
    except IntegrityError:
        raise RefusedError(
            Sentence(f"a plan named {name.strip()!r} already exists", "plan.name_taken", name=name)
        ) from None
    assert plan.id is not None
    return plan.id


def create_plan(
    db: Database,
    *,
    name: str,
    pricing_model: str,
    components: list[dict[str, Any]] | list[Component],
    actor: str,
    description: str = "",
    product_category: str | None = None,
    currency: str = "USD",
) -> Outcome[PlanPublic]:
    with db.write() as session:
        plan_id = insert_plan(
            session,
            name=name,
            pricing_model=pricing_model,
            components=components,
            actor=actor,
            description=description,
            product_category=product_category,
            currency=currency,
        )
        plan = repo.get_plan(session, plan_id=plan_id)
        return Outcome(
            PlanPublic.model_validate(plan, from_attributes=True), Changes.of(plans=[plan_id])
        )


def update_plan(
    db: Database, plan_id: int, /, *, expected_version: int, actor: str, **changes: Any
) -> Outcome[PlanPublic]:
    with db.write() as session:
        plan = repo.get_plan(session, plan_id=plan_id)
        if plan is None:
            raise NotFoundError(not_found("plan", plan_id))
        check_version(plan, expected_version, plan_named(plan.name))
        if "components" in changes:
            plan.components_json = _components_json(parse_components(changes.pop("components")))
        for key, value in changes.items():
            if key not in {
                "name",
                "pricing_model",
                "product_category",
                "description",
                "currency",
                "active",
            }:
                raise InvalidInputError(
                    [Sentence(f"{key}: not a field of a plan", "plan.unknown_field", field=key)]
                )
            setattr(plan, key, value)
        check_plan_fields(
            plan.name, plan.pricing_model, plan.product_category, plan.currency, plan.description
        )
        plan.updated_at = utcnow()
        plan.updated_by = actor
        session.add(plan)
        name = plan.name  # read before the flush: after a failed flush the row is unusable
        try:
            session.flush()
        except IntegrityError:
            raise RefusedError(
                Sentence(f"a plan named {name!r} already exists", "plan.name_taken", name=name)
            ) from None
        return Outcome(
            PlanPublic.model_validate(plan, from_attributes=True), Changes.of(plans=[plan_id])
        )


def retire_plan(
    db: Database, plan_id: int, *, expected_version: int, actor: str
) -> Outcome[PlanPublic]:
    return update_plan(db, plan_id, expected_version=expected_version, actor=actor, active=False)


def list_plans(
    db: Database,
    *,
    include_retired: bool = False,
    text: str = "",
    sort: repo.PlanSort = "name",
    descending: bool = False,
) -> list[PlanPublic]:
    """Plans sorted and filtered in SQL."""
    with db.read() as session:
        return [
            PlanPublic.model_validate(p, from_attributes=True)
            for p in repo.list_plans(
                session,
                include_retired=include_retired,
                text=text,
                sort=sort,
                descending=descending,
            )
        ]


def get_plan(db: Database, plan_id: int) -> PlanPublic:
    with db.read() as session:
        plan = repo.get_plan(session, plan_id=plan_id)
        if plan is None:
            raise NotFoundError(not_found("plan", plan_id))
        return PlanPublic.model_validate(plan, from_attributes=True)


def plan_document(
    plan: PlanPublic, currency: str | None = None, start: dt.date | None = None
) -> QuoteDocument:
    """A 12-month quote of the plan's components, for simulating the plan over a usage
    log: the plan's model, the unit costs of the model's template for the metrics the plan
    shares with it, default economics; in ``currency`` (default: the plan's)."""
    components = plan_components(plan)
    model = PricingModel(plan.pricing_model)
    template_costs = template_for(model).unit_costs
    metrics = {m for c in components for m in c.metrics()}
    return QuoteDocument(
        title=plan.name,
        customer=CustomerRef(name=f"Plan {plan.name}"),
        pricing_model=model,
        product_category=ProductCategory(plan.product_category) if plan.product_category else None,
        currency=currency or plan.currency,
        start_date=start or dt.date.today().replace(day=1),
        term_months=12,
        components=components,  # type: ignore[arg-type]
        economics=Economics(unit_costs={m: c for m, c in template_costs.items() if m in metrics}),
    )


def find_plan(db: Database, name: str) -> PlanPublic:
    """The active plan of this name (case-insensitive), or NotFoundError listing them."""
    plans = list_plans(db)
    for plan in plans:
        if plan.name.casefold() == name.strip().casefold():
            return plan
    names = ", ".join(p.name for p in plans) or "none"
    raise NotFoundError(
        Sentence(
            f"no catalog plan named {name!r} (plans: {names})",
            "plan.not_in_catalog",
            name=name,
            names=names,
        )
    )


def plan_to_data(plan: PlanPublic) -> dict[str, Any]:
    """A plan in the JSON plan format (export)."""
    data: dict[str, Any] = {
        "format": PLAN_FORMAT,
        "name": plan.name,
        "pricing_model": plan.pricing_model,
        "product_category": plan.product_category,
        "description": plan.description,
        "currency": plan.currency,
        "active": plan.active,
        "components": plan_json(plan.name, plan.components_json, []),
    }
    books = plan_json(plan.name, plan.price_books_json, {})
    if books:  # the plan's prices in other currencies (issue 18)
        data["price_books"] = books
    return data
