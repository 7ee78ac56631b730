"""Repository functions: keyword-only, given a session, never opening or committing one
(services own transactions). Sorting and filtering happen in SQL so lists of 100,000 rows
stay fast."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import and_, case, exists, func, not_, or_, update
from sqlmodel import Session, col, select

from .columns import utcnow
from .models import (
    Acceptance,
    AuditEvent,
    Contact,
    Customer,
    DatabaseIdentity,
    ExchangeRateRow,
    Plan,
    Quote,
    QuoteVersion,
    Settings,
    customer_name_key,
    customer_search_key,
    customer_search_variants,
)

CustomerSort = Literal["name", "country", "currency", "updated_at", "product_category"]
QuoteSort = Literal["number", "customer", "status", "tcv", "updated_at", "valid_until"]


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with the wildcards in it escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _contains(session: Session, column: Any, text: str) -> Any:
    """Case-insensitive "contains". SQLite's LIKE already ignores ASCII case (and its
    lower() only folds ASCII too), so it gets a plain LIKE, which is cheaper per row than
    lower(x) LIKE; PostgreSQL gets ILIKE."""
    pattern = _like(text)
    if session.get_bind().dialect.name == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


# --- customers ---------------------------------------------------------------------------


def get_customer(session: Session, *, customer_id: int) -> Customer | None:
    return session.get(Customer, customer_id)


def _customer_filter(session: Session, text: str, include_archived: bool) -> list[Any]:
    conditions: list[Any] = []
    if not include_archived:
        conditions.append(col(Customer.archived).is_(False))
    needle = text.strip()
    if needle:
        matches = [
            _contains(session, col(Customer.name), needle),
            _contains(session, col(Customer.crm_id), needle),
        ]
        # The search key finds what LIKE on the name misses: letters beyond ASCII in another
        # case on SQLite ("müller" finds "MÜLLER AG"), "ß" and "SS", other white space,
        # accents and umlauts written out or left off ("mueller" and "muller" find
        # "Müller"): ``customer_search_variants``. A row written outside the app without
        # a key is still found by its name.
        matches.extend(_search_key_matches(session, needle))
        conditions.append(or_(*matches))
    return conditions


def _search_key_matches(session: Session, text: str) -> list[Any]:
    """``Customer.search_key`` contains ``text`` as search folds it (either spelling)."""
    return [
        _contains(session, col(Customer.search_key), variant)
        for variant in customer_search_variants(text)
        if variant
    ]


def search_customers(
    session: Session,
    *,
    text: str = "",
    include_archived: bool = False,
    sort: CustomerSort = "name",
    descending: bool = False,
    offset: int = 0,
    limit: int = 50,
    country_order: Sequence[str] | None = None,
    category_order: Sequence[str] | None = None,
) -> Sequence[Customer]:
    """A page of customers. ``country_order``: the stored countries in the order the
    interface shows them (their names in its language, by its collation), for
    ``sort="country"``; a country not in it after them, by its stored text.
    ``category_order``: the same for the product categories (``sort="product_category"``)."""
    conditions = _customer_filter(session, text, include_archived)
    order = {"country": country_order, "product_category": category_order}.get(sort)
    if order is not None:
        return _customers_in_order(
            session, conditions, sort, order, descending=descending, offset=offset, limit=limit
        )
    column: Any = col(getattr(Customer, sort))
    if sort == "name":
        column = func.lower(column)  # A and a sort together; served by ix_customer_name_lower
    query = (
        select(Customer)
        .where(*conditions)
        .order_by(column.desc() if descending else column.asc(), col(Customer.id).asc())
        .offset(offset)
        .limit(limit)
    )
    return session.exec(query).all()


def _customers_in_order(
    session: Session,
    conditions: list[Any],
    sort: str,
    order: Sequence[str],
    *,
    descending: bool,
    offset: int,
    limit: int,
) -> Sequence[Customer]:
    """A page of customers in the interface's order of a column's values (the countries'
    or categories' names as shown; each value's customers by id) without ordering the
    whole table: the customers are counted by value (the country from
    ``ix_customer_country``), the values put in order here, and only the values the page
    covers are read, each in id order. Ordering every row by a CASE over the countries took
    0.3 s a page at 100,000 customers, over 1 s far down the list (docs/performance.md,
    "Sorted by country"). Ascending, a value not in ``order`` sorts after those in it, by
    its stored text, and no value (NULL, a customer without a category) last; descending
    is the same order reversed."""
    if limit <= 0:
        return []
    rank = {name: index for index, name in enumerate(order)}
    column = col(getattr(Customer, sort))
    counts = session.exec(select(column, func.count()).where(*conditions).group_by(column)).all()
    groups = sorted(
        ((value, int(n)) for value, n in counts),
        key=lambda group: (
            group[0] is None,
            rank.get(group[0] or "", len(rank)),
            group[0] or "",
        ),
        reverse=descending,
    )
    found: list[Customer] = []
    start = 0
    for value, n in groups:
        if len(found) >= limit:
            break
        if start + n > offset:
            query = (
                select(Customer)
                .where(*conditions, column.is_(None) if value is None else column == value)
                .order_by(col(Customer.id).asc())
                .offset(max(0, offset - start))
                .limit(limit - len(found))
            )
            found.extend(session.exec(query).all())
        start += n
    return found


def name_key(name: str) -> str:
    """How customer names are compared (``models.customer_name_key``)."""
    return customer_name_key(name)


def customers_without_name_key(session: Session) -> Sequence[Customer]:
    """Customers whose ``name_key`` is NULL: rows written outside the app (raw SQL, another
    tool on a shared PostgreSQL database) that ``fill_missing_name_keys`` has not reached
    yet. Served by the ``name_key`` index; normally none."""
    return session.exec(
        select(Customer).where(col(Customer.name_key).is_(None)).order_by(col(Customer.id))
    ).all()


def customer_named(
    session: Session, name: str, *, exclude_id: int | None = None
) -> Customer | None:
    """The customer (archived too) whose name is ``name`` as ``name_key`` compares them,
    found by its stored key (``Customer.name_key``, unique since migration 0009), else among
    the customers without a key, whose key is computed here (a row written outside the app
    is a duplicate all the same)."""
    key = name_key(name)
    query = select(Customer).where(Customer.name_key == key)
    if exclude_id is not None:
        query = query.where(Customer.id != exclude_id)
    found = session.exec(query.order_by(col(Customer.id))).first()
    if found is not None:
        return found
    for customer in customers_without_name_key(session):
        if customer.id != exclude_id and name_key(customer.name) == key:
            return customer
    return None


def customers_by_name_key(session: Session) -> dict[str, tuple[int, str]]:
    """Every customer's name key with its id and name (a CSV import checks its new names
    against them at once); a customer without a stored key (written outside the app) by
    the key of its name. Two customers of one key (possible only for such a row): the
    lower id."""
    owners: dict[str, tuple[int, str]] = {}
    rows = session.exec(
        select(Customer.id, Customer.name, Customer.name_key).order_by(col(Customer.id))
    ).all()
    for customer_id, name, key in rows:
        if customer_id is not None:
            owners.setdefault(key if key is not None else name_key(name), (customer_id, name))
    return owners


RENAMED_BY = "Quote Builder"
"""``updated_by`` of a customer ``fill_missing_name_keys`` renamed."""


def fill_missing_name_keys(session: Session) -> list[tuple[int, str, str]]:
    """Store the name key of every customer that has none (written outside the app: raw
    SQL, another tool, a PostgreSQL colleague's script), so that search, the duplicate
    checks and the unique index see it. The key alone is not a change of the customer: its
    version stays, so nobody's open form turns stale.

    A row whose name another customer already has (the app's customer, or an earlier such
    row) would break the one-name rule; as migration 0009 does for old databases, it is
    renamed "Name (duplicate N)" (version bumped, recorded as ``customer_renamed_duplicate``
    in the history) so the rep can merge or rename them. Returns (id, old name, new name) of
    each rename. Every UPDATE is guarded by ``name_key IS NULL``: two processes filling at
    once do each row once."""
    renamed: list[tuple[int, str, str]] = []
    planned: dict[str, int] = {}  # key given in this pass -> customer id
    for customer in customers_without_name_key(session):
        assert customer.id is not None
        key = name_key(customer.name)
        owner = planned.get(key)
        if owner is None:
            owner = session.exec(select(Customer.id).where(Customer.name_key == key)).first()
        if owner is None:
            planned[key] = customer.id
            _set_key(session, customer.id, key, customer.name)
            continue
        new_name = _duplicate_name(session, customer.name, planned)
        new_key = name_key(new_name)
        planned[new_key] = customer.id
        if _set_key(session, customer.id, new_key, new_name, name=new_name):
            add_audit_event(
                session,
                actor=RENAMED_BY,
                action="customer_renamed_duplicate",
                entity_type="customer",
                entity_id=customer.id,
                details={"from": customer.name, "to": new_name, "same_name_as_customer": owner},
            )
            renamed.append((customer.id, customer.name, new_name))
    session.expire_all()  # the rows were changed behind the ORM's back
    return renamed


def _set_key(
    session: Session, customer_id: int, key: str, shown: str, *, name: str | None = None
) -> bool:
    """Give the customer its name key and the search key of ``shown`` (its name, or
    ``name``, the new one)."""
    values: dict[str, Any] = {"name_key": key, "search_key": customer_search_key(shown)}
    if name is not None:
        values |= {
            "name": name,
            "version_id": Customer.version_id + 1,
            "updated_at": utcnow(),
            "updated_by": RENAMED_BY,
        }
    result = session.execute(
        update(Customer)
        .where(col(Customer.id) == customer_id, col(Customer.name_key).is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


DUPLICATE_SUFFIX = " (duplicate {number})"
NAME_LENGTH = 200  # Customer.name's limit


def _duplicate_name(session: Session, name: str, planned: dict[str, int]) -> str:
    """``name (duplicate N)`` with the first N from 2 that no customer has (as migration 0009
    renames)."""
    base = " ".join(name.split())
    number = 2
    while True:
        suffix = DUPLICATE_SUFFIX.format(number=number)
        candidate = base[: NAME_LENGTH - len(suffix)].rstrip() + suffix
        key = name_key(candidate)
        if key not in planned and customer_named(session, candidate) is None:
            return candidate
        number += 1


def customer_countries(session: Session) -> list[str]:
    """The distinct countries the customers have, as stored (a few hundred at most)."""
    rows = session.exec(select(Customer.country).distinct()).all()
    return [str(row) for row in rows if row is not None]


def count_customers(session: Session, *, text: str = "", include_archived: bool = False) -> int:
    query = (
        select(func.count())
        .select_from(Customer)
        .where(*_customer_filter(session, text, include_archived))
    )
    return int(session.exec(query).one())


def customer_by_name(session: Session, *, name: str) -> Customer | None:
    """The customer named exactly ``name``, else the one whose name compares equal as the
    app compares names (``customer_named``: "contoso  legal" in a contacts file or a quote
    file is Contoso Legal, as the Customers page would refuse it as a second one)."""
    exact = session.exec(
        select(Customer).where(Customer.name == name).order_by(col(Customer.id))
    ).first()
    return exact if exact is not None else customer_named(session, name)


def customer_by_crm_id(session: Session, *, crm_id: str) -> Customer | None:
    if not crm_id:
        return None
    return session.exec(select(Customer).where(Customer.crm_id == crm_id)).first()


def customer_has_quotes(session: Session, *, customer_id: int) -> bool:
    return bool(session.exec(select(exists().where(col(Quote.customer_id) == customer_id))).one())


def list_contacts(session: Session, *, customer_id: int) -> Sequence[Contact]:
    query = (
        select(Contact)
        .where(Contact.customer_id == customer_id)
        .order_by(col(Contact.name), col(Contact.id))
    )
    return session.exec(query).all()


# --- plans -------------------------------------------------------------------------------


def get_plan(session: Session, *, plan_id: int) -> Plan | None:
    return session.get(Plan, plan_id)


def plan_by_name(session: Session, *, name: str) -> Plan | None:
    return session.exec(select(Plan).where(Plan.name == name)).first()


PlanSort = Literal["name", "pricing_model", "product_category", "active", "updated_at"]


def list_plans(
    session: Session,
    *,
    include_retired: bool = False,
    text: str = "",
    sort: PlanSort = "name",
    descending: bool = False,
) -> Sequence[Plan]:
    query = select(Plan)
    if not include_retired:
        query = query.where(col(Plan.active).is_(True))
    if text.strip():
        query = query.where(_contains(session, col(Plan.name), text.strip()))
    column: Any = col(getattr(Plan, sort))
    if sort == "name":
        column = func.lower(column)
    order = column.desc() if descending else column.asc()
    return session.exec(query.order_by(order, col(Plan.id))).all()


# --- quotes ------------------------------------------------------------------------------


def get_quote(session: Session, *, quote_id: int) -> Quote | None:
    return session.get(Quote, quote_id)


def quote_by_number(session: Session, *, number: str) -> Quote | None:
    return session.exec(select(Quote).where(Quote.number == number)).first()


def next_quote_number(session: Session, *, year: int) -> str:
    """The next free number of the form Q-YYYY-NNNN for ``year``."""
    prefix = f"Q-{year}-"
    numbers = session.exec(select(Quote.number).where(col(Quote.number).like(f"{prefix}%"))).all()
    highest = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{highest + 1:04d}"


EXPIRING = ("draft", "approved", "sent")
"""Statuses that read as expired once the valid-until date has passed."""
QUOTE_FILTERS = ("expiring_week", "accepted_month")
"""Filters of the quote list besides the statuses: offers whose valid-until falls in the
next 7 days, quotes accepted since the first of this month."""


def expiring_filter(today: dt.date) -> list[Any]:
    return [
        col(Quote.status).in_(EXPIRING),
        col(Quote.valid_until) >= today,
        col(Quote.valid_until) <= today + dt.timedelta(days=7),
    ]


def accepted_since_filter(today: dt.date) -> list[Any]:
    first = dt.datetime(today.year, today.month, 1, tzinfo=dt.UTC)
    accepted = select(Acceptance.quote_id).where(col(Acceptance.signed_at) >= first)
    return [Quote.status == "accepted", col(Quote.id).in_(accepted)]


def _status_filter(status: str, today: dt.date) -> list[Any]:
    """A status as the list shows it: a draft, approved or sent quote past its valid-until
    date reads as expired (services.lifecycle.effective_status)."""
    if status == "expiring_week":
        return expiring_filter(today)
    if status == "accepted_month":
        return accepted_since_filter(today)
    past = and_(col(Quote.status).in_(EXPIRING), col(Quote.valid_until) < today)
    if status == "expired":
        return [or_(col(Quote.status) == "expired", past)]
    if status in EXPIRING:
        return [Quote.status == status, not_(past)]
    return [Quote.status == status]


def _quote_filter(
    session: Session,
    text: str,
    status: str | None,
    customer_id: int | None,
    ids: Sequence[int] | None = None,
) -> list[Any]:
    conditions: list[Any] = []
    if ids is not None:
        conditions.append(col(Quote.id).in_(list(ids)))
    if status:
        conditions.extend(_status_filter(status, dt.date.today()))
    if customer_id is not None:
        conditions.append(Quote.customer_id == customer_id)
    if text.strip():
        conditions.append(
            or_(
                _contains(session, col(Quote.number), text.strip()),
                _contains(session, col(Customer.name), text.strip()),
                *_search_key_matches(session, text.strip()),
                _contains(session, col(Quote.title), text.strip()),
            )
        )
    return conditions


_QUOTE_SORT = {
    "number": col(Quote.number),
    "customer": col(Customer.name),
    "status": col(Quote.status),
    "tcv": col(Quote.tcv_minor),
    "updated_at": col(Quote.updated_at),
    "valid_until": col(Quote.valid_until),
}


def list_quotes(
    session: Session,
    *,
    text: str = "",
    status: str | None = None,
    customer_id: int | None = None,
    sort: QuoteSort = "updated_at",
    descending: bool = True,
    offset: int = 0,
    limit: int = 50,
    ids: Sequence[int] | None = None,
    status_order: Sequence[str] | None = None,
    no_approval_ids: Sequence[int] = (),
) -> Sequence[tuple[Quote, str]]:
    """(quote, customer name) rows, one page; ``ids``: only these quotes.
    ``status_order``: for ``sort="status"``, the statuses as the list shows them
    (``expired`` for a quote past its valid-until date, ``no_approval`` for the quotes in
    ``no_approval_ids``) in the order of their labels in the interface's language; a
    status not in it after them, by its stored text."""
    column: Any = _QUOTE_SORT[sort]
    orders = []
    if sort == "status" and status_order is not None:
        column = _shown_status_rank(status_order, no_approval_ids)
        orders.append(column.desc() if descending else column.asc())
        column = col(Quote.status)
    orders.append(column.desc() if descending else column.asc())
    query = (
        select(Quote, Customer.name)
        .join(Customer, col(Customer.id) == col(Quote.customer_id))
        .where(*_quote_filter(session, text, status, customer_id, ids))
        .order_by(*orders, col(Quote.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return session.exec(query).all()


def _shown_status_rank(order: Sequence[str], no_approval_ids: Sequence[int]) -> Any:
    """Each quote's place in ``order`` by the status the list shows: expired past its
    valid-until date (``_status_filter``), ``no_approval`` for those ids, else its own."""
    rank = {code: index for index, code in enumerate(order)}
    last = len(rank)
    past = and_(col(Quote.status).in_(EXPIRING), col(Quote.valid_until) < dt.date.today())
    whens: list[tuple[Any, int]] = [
        (or_(col(Quote.status) == "expired", past), rank.get("expired", last))
    ]
    if no_approval_ids:
        whens.append((col(Quote.id).in_(list(no_approval_ids)), rank.get("no_approval", last)))
    whens.extend(
        (col(Quote.status) == code, index)
        for code, index in rank.items()
        if code not in ("expired", "no_approval")
    )
    return case(*whens, else_=last)


def count_quotes(
    session: Session,
    *,
    text: str = "",
    status: str | None = None,
    customer_id: int | None = None,
    ids: Sequence[int] | None = None,
) -> int:
    query = (
        select(func.count())
        .select_from(Quote)
        .join(Customer, col(Customer.id) == col(Quote.customer_id))
        .where(*_quote_filter(session, text, status, customer_id, ids))
    )
    return int(session.exec(query).one())


def quote_numbers(
    session: Session, *, text: str = "", status: str | None = None, customer_id: int | None = None
) -> Sequence[tuple[int, str]]:
    """(id, number) of every quote the list's filter matches (no page): the candidates a
    check outside SQL narrows (``services.quotes.list_quotes``, the approval in force)."""
    query = (
        select(Quote.id, Quote.number)
        .join(Customer, col(Customer.id) == col(Quote.customer_id))
        .where(*_quote_filter(session, text, status, customer_id))
    )
    return [(int(i), str(n)) for i, n in session.exec(query).all() if i is not None]


def get_version(session: Session, *, quote_id: int, number: int) -> QuoteVersion | None:
    query = select(QuoteVersion).where(
        QuoteVersion.quote_id == quote_id, QuoteVersion.number == number
    )
    return session.exec(query).first()


def list_versions(session: Session, *, quote_id: int) -> Sequence[QuoteVersion]:
    query = (
        select(QuoteVersion)
        .where(QuoteVersion.quote_id == quote_id)
        .order_by(col(QuoteVersion.number))
    )
    return session.exec(query).all()


# --- audit -------------------------------------------------------------------------------


def add_audit_event(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: int | None = None,
    quote_id: int | None = None,
    quote_version_id: int | None = None,
    details: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        quote_id=quote_id,
        quote_version_id=quote_version_id,
        details_json=json.dumps(details or {}, sort_keys=True, default=str),
    )
    if at is not None:
        event.at = at
    session.add(event)
    return event


def list_audit_events(
    session: Session, *, quote_id: int | None = None, limit: int = 500
) -> Sequence[AuditEvent]:
    query = select(AuditEvent)
    if quote_id is not None:
        query = query.where(AuditEvent.quote_id == quote_id)
    return session.exec(query.order_by(col(AuditEvent.id)).limit(limit)).all()


def last_audit_event(session: Session, *, action: str, details_contain: str) -> AuditEvent | None:
    """The latest event of ``action`` whose details hold ``details_contain`` (who removed an
    exchange rate, for a refusal that names them)."""
    return session.exec(
        select(AuditEvent)
        .where(AuditEvent.action == action, col(AuditEvent.details_json).contains(details_contain))
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()


# --- settings ----------------------------------------------------------------------------

SETTINGS_ID = 1


def get_settings(session: Session) -> Settings | None:
    return session.get(Settings, SETTINGS_ID)


def database_uuid(session: Session) -> str:
    """The database's identity (migration 0004 made it)."""
    row = session.exec(select(DatabaseIdentity).order_by(col(DatabaseIdentity.id))).first()
    if row is None:  # pragma: no cover - every migrated database has the row
        raise LookupError("the database has no identity row")
    return row.database_uuid


def list_exchange_rates(session: Session) -> Sequence[ExchangeRateRow]:
    """The exchange-rate table, by currency pair."""
    return session.exec(
        select(ExchangeRateRow).order_by(
            col(ExchangeRateRow.base_currency), col(ExchangeRateRow.quote_currency)
        )
    ).all()


def exchange_rate(session: Session, *, base: str, quote: str) -> ExchangeRateRow | None:
    return session.exec(
        select(ExchangeRateRow).where(
            ExchangeRateRow.base_currency == base, ExchangeRateRow.quote_currency == quote
        )
    ).first()
