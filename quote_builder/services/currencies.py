"""Currencies: the exchange-rate table, price books, and a plan's components in a quote's
currency.

- **The exchange-rate table** is the user's (Settings, or a CSV import; never fetched from
  the network): one rate per currency pair, units of the quote currency per unit of the
  base currency, with its date and source. A quote copies the rate it uses
  (``QuoteDocument.exchange_rate``), so changing the table never changes a saved quote.
- **Price books**: a plan's components priced in another currency, set explicitly
  (``plan.price_books_json``: ``{"EUR": [components]}``), with the same components (ids
  and kinds) as the plan's own.
- ``plan_in_currency``: what a quote in a currency starts from: the price book when there
  is one, else the plan's components converted at the table's rate (``pricing.fx``); and
  the exchange rate the quote keeps (costs stay in the seller's currency).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from quote_builder.approvals.policy import RateTable, TableRate, inverse_rate
from quote_builder.errors import Sentence
from quote_builder.i18n import _
from quote_builder.numbers import NumberEntryError, parse_decimal
from quote_builder.pricing.components import Component
from quote_builder.pricing.currency import is_currency
from quote_builder.pricing.document import ExchangeRate
from quote_builder.pricing.fx import PRICE_FIELDS, convert_components, convert_quote_data
from quote_builder.store import repositories as repo
from quote_builder.store.columns import utcnow
from quote_builder.store.database import Database
from quote_builder.store.models import ExchangeRateRow, PlanPublic, stored_decimal_problem

from .core import (
    Changes,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    Outcome,
    RefusedError,
    not_found,
    plan_json,
    plan_named,
)
from .customers import check_version

MAX_SOURCE = 200


class ExchangeRatePublic(BaseModel):
    id: int
    base_currency: str
    quote_currency: str
    rate: Decimal
    as_of: dt.date
    source: str
    version_id: int
    updated_by: str = ""


def _public(row: ExchangeRateRow) -> ExchangeRatePublic:
    return ExchangeRatePublic.model_validate(row, from_attributes=True)


def list_exchange_rates(db: Database) -> list[ExchangeRatePublic]:
    with db.read() as session:
        return [_public(r) for r in repo.list_exchange_rates(session)]


def _rate_problems(
    base: str, quote: str, rate: Decimal | None, as_of: dt.date | None, source: str
) -> list[str]:
    """Each problem of a rate as a whole sentence naming the field (From, To, Rate, Date,
    Source, as the form and the CSV columns name them)."""
    problems: list[str] = []
    for label, code, which in ((_("From"), base, "from"), (_("To"), quote, "to")):
        if not is_currency(code):
            problems.append(
                Sentence(
                    _(
                        "%(field)s: %(code)s is not a currency; use an ISO 4217 code such as USD, EUR or JPY."
                    )
                    % {"field": label, "code": code or "''"},
                    "rate.from" if which == "from" else "rate.to",
                    code=code or "''",
                )
            )
    if is_currency(base) and base == quote:
        problems.append(
            Sentence(
                _("To: a rate from %(code)s to itself is always 1; give two different currencies.")
                % {"code": base},
                "rate.same_currency",
                code=base,
            )
        )
    if rate is not None and not (Decimal(0) < rate < Decimal(10) ** 9):
        problems.append(
            Sentence(
                _("Rate: must be above 0 (units of the second currency for one of the first)."),
                "rate.range",
            )
        )
    elif rate is not None and stored_decimal_problem(rate):
        problems.append(
            Sentence(_("Rate: must have at most 10 decimal places."), "rate.too_many_places")
        )
    if as_of is None:
        problems.append(
            Sentence(_("Date: give the date of the rate (YYYY-MM-DD)."), "rate.no_date")
        )
    if not source.strip():
        problems.append(
            Sentence(
                _("Source: say where the rate comes from (e.g. ECB reference rate)."),
                "rate.no_source",
            )
        )
    elif len(source) > MAX_SOURCE or "\x00" in source:
        problems.append(
            Sentence(
                _("Source: at most 200 characters, without control characters."),
                "rate.source_too_long",
            )
        )
    return problems


def _on_line(line: int, problem: str) -> str:
    """A problem of a CSV row after its line number, as every import writes it."""
    return Sentence(
        _("line %(line)s, %(problem)s") % {"line": line, "problem": problem},
        "csv.on_line",
        line=line,
        problem=problem,
    )


def set_exchange_rate(
    db: Database,
    *,
    base: str,
    quote: str,
    rate: Decimal,
    as_of: dt.date,
    source: str,
    actor: str,
) -> Outcome[ExchangeRatePublic]:
    """Add the rate of a currency pair, or replace the one the table has."""
    base, quote = base.strip().upper(), quote.strip().upper()
    problems = _rate_problems(base, quote, rate, as_of, source)
    if problems:
        raise InvalidInputError(problems)
    with db.write() as session:
        row = repo.exchange_rate(session, base=base, quote=quote)
        if row is None:
            row = ExchangeRateRow(
                base_currency=base,
                quote_currency=quote,
                rate=rate,
                as_of=as_of,
                source=source.strip(),
            )
        else:
            row.rate, row.as_of, row.source = rate, as_of, source.strip()
            row.updated_at = utcnow()
        row.updated_by = actor
        session.add(row)
        session.flush()
        repo.add_audit_event(
            session,
            actor=actor,
            action="exchange_rate_set",
            entity_type="settings",
            details={
                "pair": f"{base}/{quote}",
                "rate": format(rate, "f"),
                "as_of": as_of.isoformat(),
            },
        )
        return Outcome(_public(row), Changes.of(settings=True))


def delete_exchange_rate(db: Database, rate_id: int, *, actor: str) -> Outcome[None]:
    with db.write() as session:
        row = session.get(ExchangeRateRow, rate_id)
        if row is None:
            raise NotFoundError(not_found("exchange rate", rate_id))
        pair = f"{row.base_currency}/{row.quote_currency}"
        session.delete(row)
        repo.add_audit_event(
            session,
            actor=actor,
            action="exchange_rate_removed",
            entity_type="settings",
            details={"pair": pair},
        )
    return Outcome(None, Changes.of(settings=True))


RATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "base": ("from", "base", "base currency", "from currency"),
    "quote": ("to", "quote", "quote currency", "to currency", "currency"),
    "rate": ("rate", "exchange rate"),
    "as_of": ("date", "as of", "as_of", "rate date"),
    "source": ("source",),
}


class RateEntry(BaseModel):
    """One rate as a CSV row or the Settings page gives it, before it is saved."""

    base_currency: str
    quote_currency: str
    rate: Decimal
    as_of: dt.date
    source: str


def read_exchange_rates_csv(data: bytes | str) -> list[RateEntry]:
    """The rates of a CSV file with the columns From, To, Rate, Date, Source (one row per
    pair), checked whole: every problem with its line and column (``ImportFailedError``,
    "Nothing was imported:"). Rates are written with a decimal point (0.9213): the one
    number parser reads them as English writes numbers. Nothing is saved: the Settings page
    puts them in its table (saved with the page), ``import_exchange_rates_csv`` saves them."""
    from .transfer import ImportFailedError, _cell, _decode, _read_csv

    text = _decode(data)
    mapping, unmapped, rows = _read_csv(text, RATE_COLUMNS)
    missing = [name for name in ("base", "quote", "rate", "as_of", "source") if name not in mapping]
    if missing:
        raise ImportFailedError(
            [
                Sentence(
                    _("line 1: the file needs the columns From, To, Rate, Date and Source."),
                    "rates_csv.columns",
                )
            ]
        )
    problems: list[str] = []
    parsed: list[RateEntry] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in rows:
        base = _cell(cells, mapping, "base").upper()
        quote = _cell(cells, mapping, "quote").upper()
        rate: Decimal | None = None
        try:
            rate = parse_decimal(_cell(cells, mapping, "rate"), "en_US", what=_("Rate"))
        except NumberEntryError as exc:
            problems.append(_on_line(line, str(exc)))
        as_of: dt.date | None = None
        raw_date = _cell(cells, mapping, "as_of")
        try:
            as_of = dt.date.fromisoformat(raw_date)
        except ValueError:
            problems.append(
                _on_line(
                    line,
                    Sentence(
                        _("Date: %(value)s is not a date; write it as YYYY-MM-DD.")
                        % {"value": raw_date or "''"},
                        "rate.bad_date",
                        value=raw_date or "''",
                    ),
                )
            )
            as_of = dt.date.min
        source = _cell(cells, mapping, "source")
        problems += [_on_line(line, p) for p in _rate_problems(base, quote, rate, as_of, source)]
        if (base, quote) in seen:
            problems.append(
                _on_line(
                    line,
                    Sentence(
                        _("the pair %(base)s to %(quote)s is on line %(first)s already.")
                        % {"base": base, "quote": quote, "first": seen[base, quote]},
                        "rate.repeated_pair",
                        base=base,
                        quote=quote,
                        first=seen[base, quote],
                    ),
                )
            )
        seen[base, quote] = line
        if rate is not None:
            parsed.append(
                RateEntry(
                    base_currency=base,
                    quote_currency=quote,
                    rate=rate,
                    as_of=as_of,
                    source=source.strip(),
                )
            )
    if problems:
        raise ImportFailedError(problems, Sentence(_("Nothing was imported:"), "import.nothing"))
    return parsed


def import_exchange_rates_csv(db: Database, data: bytes | str, *, actor: str) -> Outcome[int]:
    """Rates from a CSV file (``read_exchange_rates_csv``), saved all or nothing."""
    parsed = read_exchange_rates_csv(data)
    with db.write():
        for entry in parsed:
            set_exchange_rate(
                db,
                base=entry.base_currency,
                quote=entry.quote_currency,
                rate=entry.rate,
                as_of=entry.as_of,
                source=entry.source,
                actor=actor,
            )
    return Outcome(len(parsed), Changes.of(settings=True))


class RateChange(BaseModel):
    """One change of the exchange-rate table the Settings page saves: set the pair's rate
    (``entry``) or remove it (``entry`` None). ``expected_version`` is the version of the
    pair's rate the page showed (None: the page showed no rate of that pair); ``row`` is
    the row's number in the page's table, for the sentences."""

    base_currency: str
    quote_currency: str
    entry: RateEntry | None
    expected_version: int | None
    row: int


def _where(change: RateChange) -> str:
    return Sentence(
        _("Exchange rates, row %(row)s (%(base)s to %(quote)s)")
        % {"row": change.row, "base": change.base_currency, "quote": change.quote_currency},
        "rates.row",
        row=change.row,
        base=change.base_currency,
        quote=change.quote_currency,
    )


def save_exchange_rates(
    db: Database, changes: list[RateChange], *, actor: str
) -> Outcome[list[ExchangeRatePublic]]:
    """Save the Settings page's changes of the exchange-rate table in one transaction, all
    or nothing: each problem named with its row and pair ("Exchange rates, row 2 (USD to
    EUR): Rate: must be above 0 ..."), and a rate someone else changed, added or removed
    since the page showed it refused (``ConflictError``), never overwritten. Returns the
    table as saved."""
    problems: list[str] = []
    pairs: dict[tuple[str, str], int] = {}
    for change in changes:
        pair = (change.base_currency.strip().upper(), change.quote_currency.strip().upper())
        if change.entry is not None:
            entry = change.entry
            problems += [
                Sentence(f"{_where(change)}: {p}", "rates.on_row", where=_where(change), problem=p)
                for p in _rate_problems(
                    entry.base_currency.strip().upper(),
                    entry.quote_currency.strip().upper(),
                    entry.rate,
                    entry.as_of,
                    entry.source,
                )
            ]
        if pair in pairs:
            problems.append(
                Sentence(
                    _("%(where)s: the table has this pair on row %(first)s already.")
                    % {"where": _where(change), "first": pairs[pair]},
                    "rates.repeated_row",
                    where=_where(change),
                    first=pairs[pair],
                )
            )
        pairs.setdefault(pair, change.row)
    if problems:
        raise InvalidInputError(
            problems, Sentence(_("The exchange rates were not saved:"), "rates.not_saved")
        )
    with db.write() as session:
        for change in changes:
            base = change.base_currency.strip().upper()
            quote = change.quote_currency.strip().upper()
            row = repo.exchange_rate(session, base=base, quote=quote)
            _check_rate_version(session, row, change, base, quote)
            if change.entry is None:
                if row is not None:
                    delete_exchange_rate(db, row.id or 0, actor=actor)
                continue
            set_exchange_rate(
                db,
                base=base,
                quote=quote,
                rate=change.entry.rate,
                as_of=change.entry.as_of,
                source=change.entry.source,
                actor=actor,
            )
        table = [_public(r) for r in repo.list_exchange_rates(session)]
    return Outcome(table, Changes.of(settings=True))


def _check_rate_version(
    session: Any, row: ExchangeRateRow | None, change: RateChange, base: str, quote: str
) -> None:
    """Refuse a change made on a stale copy of the pair's rate: changed (another version),
    removed, or added by someone else since the page showed the table."""
    current = row.version_id if row is not None else None
    if current == change.expected_version:
        return
    what = _("The exchange rate from %(base)s to %(quote)s") % {"base": base, "quote": quote}
    if row is not None:
        raise ConflictError(what, row.updated_by, row.updated_at)
    removed = repo.last_audit_event(
        session, action="exchange_rate_removed", details_contain=f'"{base}/{quote}"'
    )
    raise ConflictError(
        what,
        removed.actor if removed is not None else "",
        removed.at if removed is not None else utcnow(),
    )


def exchange_rate_for(db: Database, base: str, quote: str) -> ExchangeRate | None:
    """The table's rate from ``base`` to ``quote`` as a quote keeps it; the inverse of the
    opposite pair when only that one is given (1 / 0.9213 for EUR to USD, to 10 decimals)."""
    with db.read() as session:
        row = repo.exchange_rate(session, base=base, quote=quote)
        if row is not None:
            return ExchangeRate(
                seller_currency=base, rate=row.rate, as_of=row.as_of, source=row.source
            )
        row = repo.exchange_rate(session, base=quote, quote=base)
        if row is not None:
            return ExchangeRate(
                seller_currency=base,
                rate=inverse_rate(row.rate),
                as_of=row.as_of,
                source=_("%(source)s (inverse of %(base)s to %(quote)s)")
                % {"source": row.source, "base": quote, "quote": base},
            )
    return None


def rate_table(db: Database) -> RateTable:
    """The exchange-rate table and the seller's currency as the approval rules read them
    (``approvals.policy.check_rate``)."""
    return RateTable(
        seller_currency(db),
        {
            (r.base_currency, r.quote_currency): TableRate(r.rate, r.as_of.isoformat(), r.source)
            for r in list_exchange_rates(db)
        },
    )


# --- price books ------------------------------------------------------------------------------


def price_books(plan: PlanPublic) -> dict[str, list[dict[str, Any]]]:
    """The plan's price books: currency -> components (quote-format data)."""
    books: dict[str, list[dict[str, Any]]] = plan_json(
        plan.name, plan.price_books_json, {}, decimals=True
    )
    return books


def check_price_book(
    plan_components: list[Component], currency: str, plan_currency: str, data: Any
) -> list[Component]:
    """A price book's components, valid and of the same components (ids and kinds) as the
    plan's own; problems named "Price book EUR: ..."."""
    from .plans import parse_components

    where = _("Price book %(currency)s") % {"currency": currency}
    if not is_currency(currency):
        raise InvalidInputError(
            [
                Sentence(
                    _(
                        "%(where)s: %(currency)s is not a currency; use an ISO 4217 code such as EUR."
                    )
                    % {"where": where, "currency": currency},
                    "price_book.not_currency",
                    currency=currency,
                )
            ]
        )
    if currency == plan_currency:
        raise InvalidInputError(
            [
                Sentence(
                    _("%(where)s: the plan's own prices are in %(currency)s already.")
                    % {"where": where, "currency": currency},
                    "price_book.plan_currency",
                    currency=currency,
                )
            ]
        )
    components = parse_components(data, prefix=where)
    own = {c.id: c.kind for c in plan_components}
    book = {c.id: c.kind for c in components}
    problems: list[str] = []
    for cid, kind in own.items():
        if cid not in book:
            problems.append(
                Sentence(
                    _(
                        "%(where)s: component %(id)s is missing; a price book prices every component of the plan."
                    )
                    % {"where": where, "id": cid},
                    "price_book.missing_component",
                    currency=currency,
                    id=cid,
                )
            )
        elif book[cid] != kind:
            problems.append(
                Sentence(
                    _("%(where)s: component %(id)s is of another kind than the plan's.")
                    % {"where": where, "id": cid},
                    "price_book.other_kind",
                    currency=currency,
                    id=cid,
                )
            )
    for cid in book.keys() - own.keys():
        problems.append(
            Sentence(
                _("%(where)s: component %(id)s is not in the plan.") % {"where": where, "id": cid},
                "price_book.unknown_component",
                currency=currency,
                id=cid,
            )
        )
    if problems:
        raise InvalidInputError(problems)
    return components


def set_price_book(
    db: Database,
    plan_id: int,
    currency: str,
    components: list[Component] | list[dict[str, Any]] | None,
    *,
    expected_version: int,
    actor: str,
) -> Outcome[PlanPublic]:
    """Set (or with ``None`` remove) the plan's prices in ``currency``."""
    from .plans import _components_json, plan_components

    currency = currency.strip().upper()
    with db.write() as session:
        plan = repo.get_plan(session, plan_id=plan_id)
        if plan is None:
            raise NotFoundError(not_found("plan", plan_id))
        check_version(plan, expected_version, plan_named(plan.name))
        public = PlanPublic.model_validate(plan, from_attributes=True)
        books = plan_json(plan.name, plan.price_books_json, {})
        if components is None:
            books.pop(currency, None)
        else:
            data = [
                c.model_dump(mode="json", by_alias=True) if isinstance(c, Component) else c
                for c in components
            ]
            valid = check_price_book(plan_components(public), currency, plan.currency, data)
            books[currency] = json.loads(_components_json(valid))
        plan.price_books_json = json.dumps(books, sort_keys=True)
        plan.updated_at = utcnow()
        plan.updated_by = actor
        session.add(plan)
        session.flush()
        return Outcome(
            PlanPublic.model_validate(plan, from_attributes=True), Changes.of(plans=[plan_id])
        )


@dataclass(frozen=True)
class PlanInCurrency:
    """What a quote in ``currency`` starts from: the components (quote-format data, prices
    in ``currency``), whether they come from a price book, and the exchange rate the quote
    keeps (None when the quote is in the seller's currency)."""

    components: list[dict[str, Any]]
    price_book: bool
    exchange_rate: ExchangeRate | None


def seller_currency(db: Database) -> str:
    """The seller's currency: the settings' default currency (costs are in it)."""
    from .settings import get_settings

    return get_settings(db).default_currency


def _seller_rate(db: Database, currency: str) -> tuple[str, ExchangeRate | None]:
    """The seller's currency and the table's rate from it to ``currency`` (None: the same
    currency). Refused with a sentence when the table has none: costs are the seller's, and
    without the rate the margin would read them as ``currency`` (a template's $0.03 a
    credit taken as 0.03 EUR), silently."""
    seller = seller_currency(db)
    if currency == seller:
        return seller, None
    fx = exchange_rate_for(db, seller, currency)
    if fx is None:
        raise RefusedError(_no_seller_rate(seller, currency))
    return seller, fx


def _no_seller_rate(seller: str, currency: str) -> Sentence:
    return Sentence(
        _(
            "The exchange-rate table has no rate from %(seller)s, the seller's currency, to %(currency)s: costs are in %(seller)s, so the margin of a quote in %(currency)s needs it. Add the rate in Settings, Exchange rates (or import a CSV)."
        )
        % {"seller": seller, "currency": currency},
        "fx.no_seller_rate",
        seller=seller,
        currency=currency,
    )


def plan_in_currency(db: Database, plan_id: int, currency: str) -> PlanInCurrency:
    """The plan's components for a quote in ``currency``: its own (same currency), its price
    book, or converted from its currency at the exchange-rate table's rate (refused with a
    sentence when the table has none)."""
    from .plans import get_plan, plan_components

    plan = get_plan(db, plan_id)
    seller, fx = _seller_rate(db, currency)
    books = price_books(plan)
    if currency == plan.currency:
        components = [
            c.model_dump(mode="json", by_alias=True, exclude_none=True)
            for c in plan_components(plan)
        ]
        return PlanInCurrency(components, False, fx if currency != seller else None)
    if currency in books:
        return PlanInCurrency(books[currency], True, fx)
    rate = exchange_rate_for(db, plan.currency, currency)
    if rate is None:
        raise RefusedError(
            Sentence(
                _(
                    "Plan %(plan)s has no prices in %(currency)s and the exchange-rate table has no rate from %(base)s to %(currency)s: add the rate in Settings, Exchange rates (or import a CSV), or give the plan a price book in %(currency)s in the Catalog."
                )
                % {"plan": plan.name, "currency": currency, "base": plan.currency},
                "fx.no_plan_rate",
                plan=plan.name,
                currency=currency,
                base=plan.currency,
            )
        )
    converted = convert_components(plan_components(plan), rate.rate, currency, plan.currency)
    data = [json.loads(json.dumps(c, default=lambda d: format(d, "f"))) for c in converted]
    if plan.currency == seller:
        fx = rate.model_copy(update={"converted_prices": True})
    return PlanInCurrency(data, False, fx)


def template_in_currency(
    db: Database, components: list[Component], currency: str, source: str = "USD"
) -> PlanInCurrency:
    """A playbook template's components (priced in USD) for a quote in ``currency``:
    converted at the table's rate, with the rate to the seller's currency the quote keeps.
    Refused with a sentence when the table lacks either rate (as ``plan_in_currency``)."""
    seller = seller_currency(db)
    if seller == source and currency != source and exchange_rate_for(db, source, currency) is None:
        # One missing rate, two consequences: the template's prices stay USD figures and
        # the margin reads the seller's USD costs as the quote's currency. Say both.
        raise RefusedError(
            Sentence(
                _(
                    "The playbook's templates and the seller's costs are in %(base)s and the exchange-rate table has no rate from %(base)s to %(currency)s: the prices below are the template's %(base)s figures, and the margin reads the costs as %(currency)s. Add the rate in Settings, Exchange rates (or import a CSV), or type the prices and costs in %(currency)s yourself."
                )
                % {"base": source, "currency": currency},
                "fx.no_template_seller_rate",
                base=source,
                currency=currency,
            )
        )
    seller, fx = _seller_rate(db, currency)
    data = [c.model_dump(mode="json", by_alias=True, exclude_none=True) for c in components]
    if currency == source:
        return PlanInCurrency(data, False, fx)
    rate = exchange_rate_for(db, source, currency)
    if rate is None:
        # The template's USD prices labelled as another currency would misprice silently.
        raise RefusedError(
            Sentence(
                _(
                    "The playbook's templates are priced in %(base)s and the exchange-rate table has no rate from %(base)s to %(currency)s: add the rate in Settings, Exchange rates (or import a CSV), or type the prices in %(currency)s yourself."
                )
                % {"base": source, "currency": currency},
                "fx.no_template_rate",
                base=source,
                currency=currency,
            )
        )
    converted = convert_components(components, rate.rate, currency, source)
    data = [json.loads(json.dumps(c, default=lambda d: format(d, "f"))) for c in converted]
    if source == seller:
        fx = rate.model_copy(update={"converted_prices": True})
    return PlanInCurrency(data, False, fx)


# --- changing a quote's currency (the editor) ---------------------------------------------


@dataclass(frozen=True)
class CurrencyChange:
    """What changing a quote's currency from ``old`` to ``new`` makes of its data (the
    editor's quote-format data), for the rep to choose from:

    - ``converted``: every amount converted at ``rate`` (``pricing.fx.convert_quote_data``:
      the rounding of ``convert_components``), with the quote's exchange rate to the
      seller's currency set as the guided flow sets it; None when the table lacks a rate
      (``missing`` says which, and where to add it);
    - ``kept``: the same numbers read as ``new`` (the rep's explicit choice), with the
      exchange rate set the same way when the table has it, else none (costs are then read
      in ``new`` too: ``missing`` says so).

    ``has_money``: the quote holds amounts in its currency (else there is nothing to
    convert: the two are the same numbers); ``has_costs``: it holds costs (in
    ``cost_currency``, the seller's: they never change)."""

    old: str
    new: str
    cost_currency: str
    rate: ExchangeRate | None
    has_money: bool
    has_costs: bool
    converted: dict[str, Any] | None
    kept: dict[str, Any]
    missing: Sentence | None
    example: tuple[Decimal, Decimal] | None = None
    """The first price of the quote's components and what converting makes of it (45.00,
    41.47; without a rate, the price twice), for the dialog to show; None without money."""


def _example(before: dict[str, Any], after: dict[str, Any]) -> tuple[Decimal, Decimal] | None:
    """The first non-zero price at a component's top level, before and after converting."""
    for old, new in zip(
        before.get("components") or [], after.get("components") or [], strict=False
    ):
        if not isinstance(old, dict) or not isinstance(new, dict):
            continue
        for key, value in old.items():
            if key in PRICE_FIELDS and key in new:
                try:
                    amount, converted = Decimal(str(value)), Decimal(str(new[key]))
                except ArithmeticError:
                    continue
                if amount:
                    return amount, converted
    return None


def _no_change_rate(old: str, new: str) -> Sentence:
    return Sentence(
        _(
            "The exchange-rate table has no rate from %(old)s to %(new)s, so the prices cannot be converted: add the rate in Settings, Exchange rates, or keep the numbers as they are, read as %(new)s."
        )
        % {"old": old, "new": new},
        "fx.no_change_rate",
        old=old,
        new=new,
    )


def _has_costs(data: dict[str, Any]) -> bool:
    economics = data.get("economics")
    if not isinstance(economics, dict):
        return False
    amounts = list((economics.get("unit_costs") or {}).values())
    amounts.append(economics.get("fixed_cost_per_month"))
    for value in amounts:
        try:
            if value is not None and Decimal(str(value)) != 0:
                return True
        except ArithmeticError:
            return True  # an unreadable cost is still a cost
    return False


def currency_change(db: Database, data: dict[str, Any], new: str) -> CurrencyChange:
    """The quote ``data`` (quote format, JSON-ready, in its ``currency``) moved to the
    currency ``new``: converted at the exchange-rate table's rate, or with its numbers
    kept. Costs stay in the seller's currency: the quote's ``exchange_rate`` seller
    currency, or its own currency when it has none (costs then are in it); the quote keeps
    the table's rate from that currency to ``new`` (none when ``new`` is it), with
    ``converted_prices`` when the prices were converted from the seller's currency at it.
    Nothing is saved."""
    old = str(data.get("currency") or "").strip().upper()
    new = new.strip().upper()
    for code in (old, new):
        if not is_currency(code):
            raise InvalidInputError(
                [
                    Sentence(
                        _(
                            "Currency: %(code)s is not a currency; use an ISO 4217 code such as USD, EUR or JPY."
                        )
                        % {"code": code or "''"},
                        "fx.not_currency",
                        code=code or "''",
                    )
                ]
            )
    fx_now = data.get("exchange_rate")
    cost_currency = (
        str(fx_now.get("seller_currency") or old).upper() if isinstance(fx_now, dict) else old
    )
    rate = exchange_rate_for(db, old, new) if old != new else None
    to_new = exchange_rate_for(db, cost_currency, new) if new != cost_currency else None
    missing: Sentence | None = None
    if old != new and rate is None:
        missing = _no_change_rate(old, new)
    elif new != cost_currency and to_new is None:
        missing = _no_seller_rate(cost_currency, new)

    def with_currency(part: dict[str, Any], converted: bool) -> dict[str, Any]:
        out = {**part, "currency": new}
        out.pop("exchange_rate", None)
        if to_new is not None:
            record = to_new.model_copy(update={"converted_prices": converted})
            out["exchange_rate"] = record.model_dump(mode="json", exclude_none=True)
        return out

    unchanged = convert_quote_data(data, Decimal(1), old, old)
    kept = with_currency(copy.deepcopy(data), False)
    converted: dict[str, Any] | None = None
    example: tuple[Decimal, Decimal] | None = None
    if missing is None and rate is not None:
        moved = convert_quote_data(data, rate.rate, new, old)
        converted = with_currency(moved.data, old == cost_currency)
        example = _example(data, converted)
    elif missing is None:
        converted = kept  # the same currency: nothing to convert
    if example is None:
        example = _example(data, data)  # the first price, kept as it is
    return CurrencyChange(
        old=old,
        new=new,
        cost_currency=cost_currency,
        rate=rate,
        has_money=unchanged.has_money,
        has_costs=_has_costs(data),
        converted=converted,
        kept=kept,
        missing=missing,
        example=example,
    )


__all__ = [
    "CurrencyChange",
    "ExchangeRatePublic",
    "PlanInCurrency",
    "RateChange",
    "RateEntry",
    "delete_exchange_rate",
    "currency_change",
    "exchange_rate_for",
    "import_exchange_rates_csv",
    "list_exchange_rates",
    "plan_in_currency",
    "price_books",
    "read_exchange_rates_csv",
    "save_exchange_rates",
    "seller_currency",
    "set_exchange_rate",
    "set_price_book",
    "template_in_currency",
]
