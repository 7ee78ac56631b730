"""Customers and their contacts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from quote_builder.errors import Sentence
from quote_builder.store import repositories as repo
from quote_builder.store.columns import utcnow
from quote_builder.store.database import Database
from quote_builder.store.models import (
    Contact,
    ContactCreate,
    ContactPublic,
    Customer,
    CustomerCreate,
    CustomerPublic,
    CustomerUpdate,
)

from .core import (
    Changes,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    Outcome,
    Page,
    RefusedError,
    customer_named,
    not_found,
    problems_from,
)
from .tax import normalized, region_problems, tax_id_problems


def _validate_create(data: CustomerCreate | dict[str, Any]) -> CustomerCreate:
    if isinstance(data, CustomerCreate):
        valid = CustomerCreate.model_validate(data.model_dump())
    else:
        try:
            valid = CustomerCreate.model_validate(data)
        except ValidationError as exc:
            raise InvalidInputError(problems_from(exc)) from None
    _check_tax_fields(valid.country, valid.tax_id, valid.region)
    return valid.model_copy(
        update={"tax_id": normalized(valid.tax_id) or "", "region": valid.region.strip().upper()}
    )


def _check_tax_fields(country: str, tax_id: str, region: str) -> None:
    """The tax ID's form against the country, and the region (a Canadian province)."""
    problems = tax_id_problems(country, tax_id, field="Tax ID") + region_problems(country, region)
    if problems:
        raise InvalidInputError(problems)


def _public(customer: Customer) -> CustomerPublic:
    """The customer as the windows and the command line read it. A row written outside the
    app may break the rules the forms enforce (an empty name, one of 300 characters on
    SQLite, an unknown currency): it is shown as stored, never a traceback, and the form
    names the field to fix when it is saved."""
    try:
        return CustomerPublic.model_validate(customer, from_attributes=True)
    except ValidationError:
        return CustomerPublic.model_construct(
            **{name: getattr(customer, name) for name in CustomerPublic.model_fields}
        )


def _load(session: Session, customer_id: int) -> Customer:
    customer = repo.get_customer(session, customer_id=customer_id)
    if customer is None:
        raise NotFoundError(not_found("customer", customer_id))
    return customer


def check_version(entity: Any, expected_version: int, what: str) -> None:
    """Refuse a save based on a stale copy (optimistic locking, checked before writing;
    SQLAlchemy's version counter also catches a race between this check and the UPDATE)."""
    if entity.version_id != expected_version:
        raise ConflictError(what, entity.updated_by, entity.updated_at)


class DuplicateCustomerError(RefusedError):
    """A new (or renamed) customer's name is an existing customer's, compared with spaces
    trimmed and collapsed and case folded. ``existing`` is that customer."""

    def __init__(self, existing: CustomerPublic) -> None:
        self.existing = existing
        where = "archived; restore it" if existing.archived else "use it"
        name = " ".join(existing.name.split())  # one line, as a row written elsewhere may not be
        super().__init__(
            Sentence(
                f"Customer name: {name} already exists ({where} instead of adding "
                "another customer with the same name).",
                "customer.duplicate.archived" if existing.archived else "customer.duplicate",
                name=name,
            )
        )


def _refuse_duplicate(session: Session, name: str, *, exclude_id: int | None = None) -> None:
    existing = repo.customer_named(session, name, exclude_id=exclude_id)
    if existing is not None:
        raise DuplicateCustomerError(_public(existing))


def is_duplicate_name(error: IntegrityError) -> bool:
    """The unique index on customer names refused a row (SQLite names the column,
    PostgreSQL the index)."""
    return "name_key" in str(error.orig)


def flush_customer(
    db: Database, session: Session, name: str, *, exclude_id: int | None = None
) -> None:
    """Write the session's customer rows now; when another writer saved a customer of the
    same name after the read check (two writers at once on PostgreSQL), the unique index
    refuses ours and the rep gets the read check's sentence (``DuplicateCustomerError``)."""
    try:
        session.flush()
    except IntegrityError as exc:
        if not is_duplicate_name(exc):
            raise
        with db.read_apart() as fresh:  # ours is rolled back; theirs is committed
            existing = repo.customer_named(fresh, name, exclude_id=exclude_id)
        if existing is None:  # theirs was rolled back meanwhile: still refused, try again
            raise ConcurrentNameError(name) from None
        raise DuplicateCustomerError(_public(existing)) from None


class ConcurrentNameError(RefusedError):
    """Another customer of the same name was being saved at the same moment."""

    def __init__(self, name: str) -> None:
        super().__init__(
            Sentence(
                f"Customer name: another customer named {name} was being saved at the same "
                "moment; nothing was saved. Try again.",
                "customer.concurrent_name",
                name=name,
            )
        )


def check_new_customer(db: Database, data: CustomerCreate | dict[str, Any]) -> CustomerCreate:
    """A new customer's fields checked as ``create_customer`` would, without saving it (the
    guided flow saves it with the quote on Finish): valid, and not the name of an existing
    customer (``DuplicateCustomerError``)."""
    valid = _validate_create(data)
    with db.read() as session:
        _refuse_duplicate(session, valid.name)
    return valid


def create_customer(
    db: Database, data: CustomerCreate | dict[str, Any], *, actor: str
) -> Outcome[CustomerPublic]:
    valid = _validate_create(data)
    with db.write() as session:
        _refuse_duplicate(session, valid.name)
        customer = Customer.model_validate(valid.model_dump())
        customer.updated_by = actor
        session.add(customer)
        flush_customer(db, session, valid.name)
        assert customer.id is not None
        repo.add_audit_event(
            session,
            actor=actor,
            action="customer_created",
            entity_type="customer",
            entity_id=customer.id,
            details={"name": customer.name},
        )
        return Outcome(_public(customer), Changes.of(customers=[customer.id]))


def update_customer(
    db: Database,
    customer_id: int,
    changes: CustomerUpdate | dict[str, Any],
    *,
    expected_version: int,
    actor: str,
) -> Outcome[CustomerPublic]:
    try:
        update = (
            changes
            if isinstance(changes, CustomerUpdate)
            else CustomerUpdate.model_validate(changes)
        )
    except ValidationError as exc:
        raise InvalidInputError(problems_from(exc)) from None
    with db.write() as session:
        customer = _load(session, customer_id)
        check_version(customer, expected_version, customer_named(customer.name))
        for name, value in update.model_dump(exclude_unset=True).items():
            if name == "name" and value is None:
                raise InvalidInputError([Sentence("name: must not be empty", "customer.no_name")])
            if name == "name" and repo.name_key(value) != repo.name_key(customer.name):
                # Only a new name is checked: a customer written outside the app whose
                # name another customer has too keeps it through an edit of its other fields.
                _refuse_duplicate(session, value, exclude_id=customer_id)
            if name == "tax_id" and value is not None:
                value = normalized(value)
            if name == "region" and value is not None:
                value = value.strip().upper()
            setattr(customer, name, value)
        _check_tax_fields(customer.country, customer.tax_id, customer.region)
        customer.updated_at = utcnow()
        customer.updated_by = actor
        session.add(customer)
        flush_customer(db, session, customer.name, exclude_id=customer_id)
        return Outcome(_public(customer), Changes.of(customers=[customer_id]))


def get_customer(db: Database, customer_id: int) -> CustomerPublic:
    with db.read() as session:
        return _public(_load(session, customer_id))


def search_customers(
    db: Database,
    text: str = "",
    *,
    include_archived: bool = False,
    sort: repo.CustomerSort = "name",
    descending: bool = False,
    offset: int = 0,
    limit: int = 50,
    country_key: Callable[[str], Any] | None = None,
    country_order: Sequence[str] | None = None,
    category_order: Sequence[str] | None = None,
) -> Page[CustomerPublic]:
    """A page of customers. Sorted by country, the stored countries go in the order of
    ``country_order`` (the interface's: ``stored_countries`` put in order where the
    interface's language is known, the window's process), else of ``country_key`` (how to
    order one in this process), else by the stored (English) name. A key function is
    only right in the process that knows the interface's language: the database process
    sorted by the English names under a French interface. ``category_order``: the product
    categories in the interface's order of their names, for the list sorted by category."""
    with db.read() as session:
        if sort == "country" and country_order is None and country_key is not None:
            country_order = sorted(repo.customer_countries(session), key=country_key)
        rows = repo.search_customers(
            session,
            text=text,
            include_archived=include_archived,
            sort=sort,
            descending=descending,
            offset=offset,
            limit=limit,
            country_order=country_order if sort == "country" else None,
            category_order=category_order if sort == "product_category" else None,
        )
        total = repo.count_customers(session, text=text, include_archived=include_archived)
        return Page([_public(c) for c in rows], total, offset)


def stored_countries(db: Database) -> list[str]:
    """The distinct countries the customers have, as stored (for the interface to put in
    its order: ``search_customers(country_order=...)``)."""
    with db.read() as session:
        return repo.customer_countries(session)


def archive_customer(
    db: Database, customer_id: int, *, expected_version: int, actor: str, archived: bool = True
) -> Outcome[CustomerPublic]:
    with db.write() as session:
        customer = _load(session, customer_id)
        check_version(customer, expected_version, customer_named(customer.name))
        customer.archived = archived
        customer.updated_at = utcnow()
        customer.updated_by = actor
        session.add(customer)
        session.flush()
        repo.add_audit_event(
            session,
            actor=actor,
            action="customer_archived" if archived else "customer_restored",
            entity_type="customer",
            entity_id=customer_id,
        )
        return Outcome(_public(customer), Changes.of(customers=[customer_id]))


def delete_customer(db: Database, customer_id: int, *, actor: str) -> Outcome[None]:
    """Delete a customer without quotes (with its contacts). A customer with quotes is
    refused: archive it instead, so the quotes keep their customer."""
    with db.write() as session:
        customer = _load(session, customer_id)
        if repo.customer_has_quotes(session, customer_id=customer_id):
            raise RefusedError(
                Sentence(
                    f"Customer {customer.name!r} has quotes and cannot be deleted; archive it "
                    "instead.",
                    "customer.has_quotes",
                    name=customer.name,
                )
            )
        for contact in repo.list_contacts(session, customer_id=customer_id):
            session.delete(contact)
        session.delete(customer)
        repo.add_audit_event(
            session,
            actor=actor,
            action="customer_deleted",
            entity_type="customer",
            entity_id=customer_id,
            details={"name": customer.name},
        )
        return Outcome(None, Changes.of(customers=[customer_id]))


def add_contact(
    db: Database, customer_id: int, data: ContactCreate | dict[str, Any], *, actor: str
) -> Outcome[ContactPublic]:
    try:
        valid = data if isinstance(data, ContactCreate) else ContactCreate.model_validate(data)
    except ValidationError as exc:
        raise InvalidInputError(problems_from(exc)) from None
    with db.write() as session:
        _load(session, customer_id)
        contact = Contact.model_validate({**valid.model_dump(), "customer_id": customer_id})
        session.add(contact)
        session.flush()
        return Outcome(
            ContactPublic.model_validate(contact, from_attributes=True),
            Changes.of(customers=[customer_id]),
        )


def list_contacts(db: Database, customer_id: int) -> list[ContactPublic]:
    with db.read() as session:
        return [
            ContactPublic.model_validate(c, from_attributes=True)
            for c in repo.list_contacts(session, customer_id=customer_id)
        ]


def delete_contact(db: Database, contact_id: int, *, actor: str) -> Outcome[None]:
    with db.write() as session:
        contact = session.get(Contact, contact_id)
        if contact is None:
            raise NotFoundError(not_found("contact", contact_id))
        customer_id = contact.customer_id
        session.delete(contact)
        return Outcome(None, Changes.of(customers=[customer_id]))
