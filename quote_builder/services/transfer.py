"""Import and export: customers and contacts as CSV, plans and quotes as JSON.

Imports are all or nothing: every row is checked first, and one bad row rejects the whole
file with its line number, column and reason. CSV headers of our own, of HubSpot exports
and of Salesforce exports are recognised; other columns are reported as unmapped.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from quote_builder.countries import country_code, country_names
from quote_builder.csv_input import UNCLOSED_QUOTE, CsvLines, LineTooLongError, quote_opened_at
from quote_builder.errors import Sentence, sentence_of
from quote_builder.pricing import dump_quote
from quote_builder.pricing.fields import NUL_REFUSED
from quote_builder.pricing.quote_format import JSONInputError, QuoteFileError, load_json, load_quote
from quote_builder.store import repositories as repo
from quote_builder.store.columns import utcnow
from quote_builder.store.database import Database
from quote_builder.store.models import Contact, ContactCreate, Customer, CustomerCreate

from .core import Changes, InvalidInputError, Outcome
from .currencies import check_price_book
from .customers import flush_customer
from .plans import (
    PLAN_FORMAT,
    check_plan_fields,
    insert_plan,
    list_plans,
    parse_components,
    plan_to_data,
)
from .quotes import QuoteRow, create_quote, find_quote, open_version
from .tax import normalized, region_problems, tax_id_problems

MAX_IMPORT_BYTES = 50 * 1024 * 1024

# Canonical field -> header names accepted (compared lower-case, spaces collapsed).
CUSTOMER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "customer",
        "customer name",
        "company name",
        "company",
        "account name",
        "account.name",
    ),
    "legal_name": ("legal name", "legal_name", "registered name"),
    "country": (
        "country",
        "country/region",
        "billing country",
        "billingcountry",
        "billing country/region",
    ),
    "currency": (
        "currency",
        "currency code",
        "account currency",
        "currencyisocode",
        "account currency code",
    ),
    "product_category": ("product category", "product_category"),
    "billing_email": ("billing email", "billing_email", "billing_email__c"),
    "billing_address": ("billing address", "billing_address", "billing street", "billingstreet"),
    "language": ("language", "document language", "preferred language"),
    "crm_id": (
        "crm id",
        "crm_id",
        "record id",
        "account id",
        "hubspot id",
        "salesforce id",
        "id",
        "account.id",
    ),
    "notes": ("notes", "description"),
    "tax_id": ("tax id", "tax_id", "vat id", "vat number", "vat registration number"),
    "region": (
        "region",
        "state",
        "province",
        "state/region",
        "billing state/province",
        "billingstate",
    ),
    "seats": ("seats", "users"),
    "actions_per_user_per_day": ("actions per user per day", "actions_per_user_per_day"),
    "outcomes_per_month": ("outcomes per month", "outcomes_per_month"),
    "minutes_saved_per_task": ("minutes saved per task", "minutes_saved_per_task"),
    "loaded_hourly_rate": ("loaded hourly rate", "loaded_hourly_rate"),
}
CONTACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "customer": (
        "customer",
        "company",
        "company name",
        "associated company",
        "account name",
        "account",
    ),
    "customer_crm_id": ("customer crm id", "account id", "associated company id", "company id"),
    "name": ("name", "full name", "contact name"),
    "first_name": ("first name", "first_name", "firstname"),
    "last_name": ("last name", "last_name", "lastname"),
    "title": ("title", "job title", "jobtitle"),
    "email": ("email", "email address"),
    "phone": ("phone", "phone number", "mobile phone", "business phone"),
}


@dataclass(frozen=True)
class ImportReport:
    created: int = 0
    updated: int = 0
    unmapped_columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())


class ImportFailedError(InvalidInputError):
    """The file was rejected; nothing was imported."""


def _normal(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").strip().lower().split())


def _decode(data: bytes | str, *, quote_file: bool = False, csv_file: bool = True) -> str:
    """The file's text (UTF-8, a BOM allowed). ``quote_file``: a quote's JSON, whose
    refusal points at a quote file rather than at "CSV UTF-8"; ``csv_file`` false: another
    JSON file (plans), whose refusal names the line but no column."""
    if isinstance(data, str):
        return data
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFailedError(
            [
                Sentence(
                    f"the file is {len(data):,} bytes; imports are limited to 50 MB",
                    "import.too_large",
                    size=len(data),
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if quote_file:
            raise ImportFailedError(
                [
                    Sentence(
                        f"byte {exc.start}: the file is not a quote file (JSON text, as "
                        "`quotes export` writes it); a PDF or a spreadsheet cannot be "
                        "imported as a quote",
                        "import.not_quote_json",
                        byte=exc.start,
                    )
                ]
            ) from None
        raise ImportFailedError([_not_utf8(data, exc.start, csv_file=csv_file)]) from None


def _not_utf8(data: bytes, start: int, *, csv_file: bool) -> Sentence:
    """Where the first byte that is not UTF-8 is: its line, and in a CSV file its column
    by the header's name (a Latin-1 "é" on line 7 was "byte 105: the file is not UTF-8
    text", which left the user counting bytes)."""
    line = data.count(b"\n", 0, start) + 1
    byte = f"0x{data[start]:02X}"
    if not csv_file:
        return Sentence(
            f"line {line}: not UTF-8 text (the byte {byte}); save the file as UTF-8",
            "import.not_utf8_json",
            line=line,
            byte=byte,
        )
    column = _undecodable_column(data)
    if column is None:
        return Sentence(
            f"line {line}: not UTF-8 text (the byte {byte}); save the file as CSV UTF-8",
            "import.not_utf8",
            line=line,
            byte=byte,
        )
    return Sentence(
        f"line {line}, column '{column}': not UTF-8 text (the byte {byte}); save the file as "
        "CSV UTF-8",
        "import.not_utf8_cell",
        line=line,
        column=column,
        byte=byte,
    )


def _undecodable_column(data: bytes) -> str | None:
    """The header's name of the first cell holding a byte that is not UTF-8 (None: it is
    in the header, past the header's columns, or the file is not readable as CSV)."""
    text = data.decode("utf-8-sig", errors="surrogateescape")
    try:
        rows = csv.reader(CsvLines(io.StringIO(text, newline="")))
        header = next(rows, [])
        if any(_UNDECODED.search(cell) for cell in header):
            return None
        for cells in rows:
            for index, cell in enumerate(cells):
                if _UNDECODED.search(cell):
                    return (header[index].strip() or None) if index < len(header) else None
    except (csv.Error, LineTooLongError):
        return None
    return None


_UNDECODED = re.compile("[\udc80-\udcff]")
"""A byte ``surrogateescape`` kept because it was not UTF-8."""


def _read_csv(
    text: str, columns: dict[str, tuple[str, ...]]
) -> tuple[dict[str, int], list[str], list[tuple[int, list[str]]]]:
    """(canonical field -> column index, unmapped headers, [(line number, cells)])."""
    dialect: type[csv.Dialect] = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    lines = CsvLines(io.StringIO(text))
    reader = csv.reader(lines, dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFailedError([Sentence("line 1: the file is empty", "csv.empty")]) from None
    except LineTooLongError as exc:
        raise ImportFailedError([sentence_of(exc)]) from None
    except csv.Error as exc:
        raise ImportFailedError(
            [
                Sentence(
                    f"line 1: not a readable CSV header ({exc})",
                    "csv.bad_header",
                    problem=str(exc),
                )
            ]
        ) from None
    if lines.exhausted:
        raise ImportFailedError(
            [
                Sentence(
                    f"line {quote_opened_at(header, 1)}: {UNCLOSED_QUOTE}",
                    "csv.unclosed_quote",
                    line=quote_opened_at(header, 1),
                )
            ]
        )
    mapping: dict[str, int] = {}
    unmapped = []
    for index, raw in enumerate(header):
        name = _normal(raw)
        target = next((f for f, names in columns.items() if name in names), None)
        if target is None or target in mapping:
            if raw.strip():
                unmapped.append(raw.strip())
            continue
        mapping[target] = index
    rows = []
    start = 0
    try:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if lines.exhausted:
                # The file ended inside a quoted field: csv would return every line after
                # the quote as one field (two customers merged into one name).
                raise ImportFailedError(
                    [
                        Sentence(
                            f"line {quote_opened_at(cells, start)}: {UNCLOSED_QUOTE}",
                            "csv.unclosed_quote",
                            line=quote_opened_at(cells, start),
                        )
                    ]
                )
            if not any(cell.strip() for cell in cells):
                continue
            rows.append((reader.line_num, cells))
    except LineTooLongError as exc:
        raise ImportFailedError([sentence_of(exc)]) from None
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise ImportFailedError(
                [
                    Sentence(
                        f"line {start}: {UNCLOSED_QUOTE} (it runs on for more than "
                        f"{csv.field_size_limit():,} characters)",
                        "csv.unclosed_quote_long",
                        line=start,
                        limit=csv.field_size_limit(),
                    )
                ]
            ) from None
        raise ImportFailedError(
            [
                Sentence(
                    f"line {reader.line_num}: malformed CSV ({exc})",
                    "csv.malformed",
                    line=reader.line_num,
                    problem=str(exc),
                )
            ]
        ) from None
    return mapping, unmapped, rows


def _cell(cells: list[str], mapping: dict[str, int], name: str) -> str:
    """The cell, trimmed; a cell our export protected from spreadsheets (``'=...``) is
    given back exactly as it was stored (a leading tab included)."""
    index = mapping.get(name)
    if index is None or index >= len(cells):
        return ""
    raw = cells[index]
    restored = restore_cell(raw)
    return restored if restored is not raw else raw.strip()


def _header_names(mapping: dict[str, int], text: str) -> dict[str, str]:
    first = next(csv.reader(io.StringIO(text.splitlines()[0] if text else "")), [])
    return {name: first[i].strip() if i < len(first) else name for name, i in mapping.items()}


def _row_problems(exc: ValidationError, line: int, headers: dict[str, str]) -> list[str]:
    problems: list[str] = []
    for err in exc.errors():
        field_name = str(err["loc"][0]) if err["loc"] else "row"
        column = headers.get(field_name, field_name)
        problems.append(
            Sentence(
                f"line {line}, column {column!r}: {err['msg'].removeprefix('Value error, ')}",
                "csv.cell",
                line=line,
                column=column,
                problem=str(err["msg"]).removeprefix("Value error, "),
            )
        )
    return problems


def _refuse_duplicate_names(
    session: Session, parsed: list[tuple[int, CustomerCreate, set[str]]], column: str
) -> None:
    """One customer per name (as the Customers page and the guided flow compare names):
    a row that would create, or rename a customer to, the name of another customer or of
    an earlier row is a problem of its line; nothing is imported while any is left."""
    owners = repo.customers_by_name_key(session)  # name key -> (customer id, name)
    seen: dict[str, tuple[int, int | None]] = {}  # name key -> (line, customer updated)
    problems: list[str] = []
    for line, customer_data, present in parsed:
        existing = repo.customer_by_crm_id(session, crm_id=customer_data.crm_id)
        if existing is not None and "name" not in present:
            continue  # an update that keeps the customer's name
        target = existing.id if existing is not None else None
        key = repo.name_key(customer_data.name)
        owner = owners.get(key)
        earlier = seen.get(key)
        if earlier is not None and (earlier[1] is None or earlier[1] != target):
            problems.append(
                Sentence(
                    f"line {line}, column '{column}': {customer_data.name} is on line "
                    f"{earlier[0]} too (one customer per name)",
                    "customers_csv.repeated_name",
                    line=line,
                    column=column,
                    name=customer_data.name,
                    first=earlier[0],
                )
            )
        elif owner is not None and owner[0] != target:
            problems.append(
                Sentence(
                    f"line {line}, column '{column}': {owner[1]} already exists (give its CRM id "
                    "to update it, or another name)",
                    "customers_csv.name_exists",
                    line=line,
                    column=column,
                    name=owner[1],
                )
            )
        else:
            seen.setdefault(key, (line, target))
    if problems:
        raise ImportFailedError(problems, Sentence("Nothing was imported:", "import.nothing"))


def _unknown_country(line: int, column: str, country: str) -> Sentence:
    """A country the app does not know ("Atlantis", "XX", "Germnay") is a problem of its
    line: kept, it would stop every quote for the customer at the tax ("not a country")
    and give its documents the default language. A near name is suggested."""
    near = difflib.get_close_matches(country, country_names(), n=1, cutoff=0.8)
    if near:
        return Sentence(
            f"line {line}, column '{column}': unknown country '{country}' (did you mean "
            f"{near[0]}?); write the country's English name or its two-letter ISO code, "
            "such as Germany or DE",
            "customers_csv.unknown_country_near",
            line=line,
            column=column,
            country=country,
            near=near[0],
        )
    return Sentence(
        f"line {line}, column '{column}': unknown country '{country}'; write the country's "
        "English name or its two-letter ISO code, such as Germany or DE",
        "customers_csv.unknown_country",
        line=line,
        column=column,
        country=country,
    )


def import_customers_csv(db: Database, data: bytes | str, *, actor: str) -> Outcome[ImportReport]:
    """Create customers, or update those whose CRM id is already known."""
    text = _decode(data)
    mapping, unmapped, rows = _read_csv(text, CUSTOMER_COLUMNS)
    if "name" not in mapping:
        raise ImportFailedError(
            [
                Sentence(
                    "line 1: no customer name column (expected e.g. 'Name', 'Company name' or 'Account Name')",
                    "customers_csv.no_name_column",
                )
            ]
        )
    headers = _header_names(mapping, text)
    problems: list[str] = []
    parsed: list[tuple[int, CustomerCreate, set[str]]] = []
    for line, cells in rows:
        values: dict[str, Any] = {f: _cell(cells, mapping, f) for f in mapping}
        present = {f for f, v in values.items() if v != ""}
        values = {f: v for f, v in values.items() if v != ""}
        if "seats" in values:
            values["seats"] = values["seats"].replace(",", "")
        try:
            customer = CustomerCreate.model_validate(values)
        except ValidationError as exc:
            problems.extend(_row_problems(exc, line, headers))
            continue
        if customer.country and country_code(customer.country) is None:
            problems.append(
                _unknown_country(line, headers.get("country", "Country"), customer.country)
            )
            continue
        # The tax ID's form against the country, the region (a Canadian province): issue 18.
        tax_problems = tax_id_problems(
            customer.country, customer.tax_id, field=repr(headers.get("tax_id", "Tax ID"))
        ) + region_problems(
            customer.country, customer.region, field=repr(headers.get("region", "Region"))
        )
        if tax_problems:
            problems.extend(
                Sentence(f"line {line}, column {p}", "csv.column_problem", line=line, problem=p)
                for p in tax_problems
            )
            continue
        customer = customer.model_copy(
            update={"tax_id": normalized(customer.tax_id) or "", "region": customer.region.upper()}
        )
        parsed.append((line, customer, present))
    if problems:
        raise ImportFailedError(problems, Sentence("Nothing was imported:", "import.nothing"))
    created = updated = 0
    touched: list[int] = []
    with db.write() as session:
        _refuse_duplicate_names(session, parsed, headers.get("name", "Name"))
        for _line, customer_data, present in parsed:
            existing = repo.customer_by_crm_id(session, crm_id=customer_data.crm_id)
            if existing is not None and all(
                getattr(existing, name) == getattr(customer_data, name) for name in present
            ):
                # A row as the customer already is (a CRM export imported again) changes
                # nothing: a new version of it would refuse the save of anyone editing
                # the customer in the app ("changed after you opened it") for nothing.
                continue
            if existing is not None:
                for name in present:
                    setattr(existing, name, getattr(customer_data, name))
                existing.updated_at = utcnow()
                existing.updated_by = actor
                session.add(existing)
                updated += 1
                target = existing
            else:
                target = Customer.model_validate(customer_data.model_dump())
                target.updated_by = actor
                session.add(target)
                created += 1
            flush_customer(
                db, session, target.name, exclude_id=existing.id if existing is not None else None
            )
            assert target.id is not None
            touched.append(target.id)
        repo.add_audit_event(
            session,
            actor=actor,
            action="customers_imported",
            entity_type="customer",
            details={"created": created, "updated": updated},
        )
    return Outcome(ImportReport(created, updated, tuple(unmapped)), Changes.of(customers=touched))


def import_contacts_csv(db: Database, data: bytes | str, *, actor: str) -> Outcome[ImportReport]:
    """Add contacts to existing customers, matched by CRM id or by exact name."""
    text = _decode(data)
    mapping, unmapped, rows = _read_csv(text, CONTACT_COLUMNS)
    headers = _header_names(mapping, text)
    if "customer" not in mapping and "customer_crm_id" not in mapping:
        raise ImportFailedError(
            [
                Sentence(
                    "line 1: no customer column (expected e.g. 'Customer', 'Company Name' or 'Account Name')",
                    "contacts_csv.no_customer_column",
                )
            ]
        )
    if "name" not in mapping and "first_name" not in mapping and "last_name" not in mapping:
        raise ImportFailedError(
            [
                Sentence(
                    "line 1: no contact name column (expected 'Name' or 'First Name' and 'Last Name')",
                    "contacts_csv.no_name_column",
                )
            ]
        )
    problems: list[str] = []
    parsed: list[tuple[int, ContactCreate, str, str]] = []
    for line, cells in rows:
        name = _cell(cells, mapping, "name") or " ".join(
            p
            for p in (_cell(cells, mapping, "first_name"), _cell(cells, mapping, "last_name"))
            if p
        )
        values: dict[str, str] = {
            "name": name,
            **{f: _cell(cells, mapping, f) for f in ("title", "email", "phone") if f in mapping},
        }
        try:
            contact = ContactCreate.model_validate(values)
        except ValidationError as exc:
            problems.extend(
                _row_problems(exc, line, {**headers, "name": headers.get("name", "Name")})
            )
            continue
        parsed.append(
            (
                line,
                contact,
                _cell(cells, mapping, "customer"),
                _cell(cells, mapping, "customer_crm_id"),
            )
        )
    with db.write() as session:
        resolved: list[tuple[int, ContactCreate]] = []
        for line, contact, customer_name, crm_id in parsed:
            customer = repo.customer_by_crm_id(session, crm_id=crm_id) if crm_id else None
            if customer is None and customer_name:
                customer = repo.customer_by_name(session, name=customer_name)
            if customer is None or customer.id is None:
                column = headers.get("customer") or headers.get("customer_crm_id") or "customer"
                problems.append(
                    Sentence(
                        f"line {line}, column {column!r}: no customer {customer_name or crm_id!r}; "
                        "import the customers first",
                        "contacts_csv.no_customer",
                        line=line,
                        column=column,
                        customer=customer_name or crm_id,
                    )
                )
                continue
            resolved.append((customer.id, contact))
        if problems:
            raise ImportFailedError(
                sorted(problems, key=_line_of),
                Sentence("Nothing was imported:", "import.nothing"),
            )
        for customer_id, contact in resolved:
            session.add(
                Contact.model_validate({**contact.model_dump(), "customer_id": customer_id})
            )
        session.flush()
    return Outcome(
        ImportReport(len(resolved), 0, tuple(unmapped)),
        Changes.of(customers={c for c, _ in resolved}),
    )


def _line_of(problem: str) -> int:
    try:
        return int(problem.split(",")[0].removeprefix("line "))
    except ValueError:
        return 0


EXPORT_CUSTOMER_FIELDS = list(CUSTOMER_COLUMNS)


def export_customers_csv(db: Database, *, include_archived: bool = True) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_CUSTOMER_FIELDS)
    with db.read() as session:
        offset = 0
        while True:
            batch = repo.search_customers(
                session, include_archived=include_archived, offset=offset, limit=1000
            )
            for customer in batch:
                writer.writerow(
                    [
                        "" if getattr(customer, f) is None else _plain(getattr(customer, f))
                        for f in EXPORT_CUSTOMER_FIELDS
                    ]
                )
            if len(batch) < 1000:
                break
            offset += 1000
    return out.getvalue()


def _plain(value: Any) -> str:
    return format(value, "f") if isinstance(value, Decimal) else neutralise_cell(str(value))


# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV
# Injection"): =HYPERLINK(...) in a customer's name would run on the desk's machine.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def neutralise_cell(text: str) -> str:
    """A cell a spreadsheet shows as text: a leading ``'`` before ``= + - @``, tab or
    carriage return (and before any quotes already leading one, so that
    ``restore_cell`` gives back exactly the original)."""
    return "'" + text if _FORMULA_START.match(text) else text


def restore_cell(text: str) -> str:
    """The value ``neutralise_cell`` protected: its first ``'`` removed."""
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text, 1) else text


# --- plans and quotes as JSON --------------------------------------------------------------


def _plans_in(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict) and isinstance(data.get("plans"), list):
        return list(data["plans"])
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return data
    raise ImportFailedError(
        [
            Sentence(
                '(file): expected a plan object, a list of plans or {"plans": [...]}',
                "plans_json.shape",
            )
        ]
    )


def import_plans_json(db: Database, data: bytes | str, *, actor: str) -> Outcome[ImportReport]:
    text = _decode(data, csv_file=False)
    try:
        raw = load_json(text)
    except JSONInputError as exc:
        raise ImportFailedError([sentence_of(exc)]) from None
    plans = _plans_in(raw)
    problems: list[str] = []
    names: set[str] = set()
    existing = {p.name for p in list_plans(db, include_retired=True)}
    for i, plan in enumerate(plans):
        where = f"plans[{i}]"
        if not isinstance(plan, dict):
            problems.append(f"{where}: expected an object")
            continue
        if plan.get("format", PLAN_FORMAT) != PLAN_FORMAT:
            problems.append(f"{where}.format: expected {PLAN_FORMAT!r}")
        name = str(plan.get("name", "")).strip()
        if not name:
            problems.append(f"{where}.name: required")
        elif name in names or name in existing:
            problems.append(f"{where}.name: a plan named {name!r} already exists")
        names.add(name)
        try:
            own = parse_components(plan.get("components"), f"{where}.components")
        except InvalidInputError as exc:
            problems.extend(exc.problems)
            own = []
        books = plan.get("price_books", {})
        if not isinstance(books, dict):
            problems.append(f"{where}.price_books: expected an object of currency: components")
        elif own:
            for code, book in books.items():
                try:
                    check_price_book(own, str(code), str(plan.get("currency", "USD")), book)
                except InvalidInputError as exc:
                    problems.extend(f"{where}: {p}" for p in exc.problems)
        try:
            check_plan_fields(
                name or "?",
                str(plan.get("pricing_model") or ""),
                plan.get("product_category"),
                str(plan.get("currency", "USD")),
                str(plan.get("description", "")),
            )
        except InvalidInputError as exc:
            problems.extend(
                f"{where}.{p}"
                for p in exc.problems
                if not p.startswith("name:") or p.endswith(NUL_REFUSED)
            )
        if "active" in plan and not isinstance(plan["active"], bool):
            problems.append(f"{where}.active: must be true or false")
    if problems:
        raise ImportFailedError(problems, Sentence("Nothing was imported:", "import.nothing"))
    with db.write() as session:
        created_ids = []
        for plan in plans:
            plan_id = insert_plan(
                session,
                name=str(plan["name"]).strip(),
                pricing_model=str(plan.get("pricing_model", "")),
                components=plan["components"],
                actor=actor,
                description=str(plan.get("description", "")),
                product_category=plan.get("product_category"),
                currency=str(plan.get("currency", "USD")),
                active=bool(plan.get("active", True)),
            )
            created_ids.append(plan_id)
            if plan.get("price_books"):
                row = repo.get_plan(session, plan_id=plan_id)
                assert row is not None
                row.price_books_json = json.dumps(
                    {
                        str(code): json.loads(json.dumps(book, default=lambda d: format(d, "f")))
                        for code, book in plan["price_books"].items()
                    },
                    sort_keys=True,
                )
                session.add(row)
    return Outcome(ImportReport(created=len(plans)), Changes.of(plans=created_ids))


def export_plans_json(db: Database, *, include_retired: bool = True) -> str:
    plans = [plan_to_data(p) for p in list_plans(db, include_retired=include_retired)]
    return (
        json.dumps({"format": "quote-builder/plans", "plans": plans}, indent=2, ensure_ascii=False)
        + "\n"
    )


@dataclass(frozen=True)
class ImportedQuote:
    """A quote file taken in: the new quote, and the number the file gave when another
    quote already has it (the new quote then has the next free number)."""

    row: QuoteRow
    taken_number: str | None = None

    def sentence(self) -> Sentence:
        """What the import did, for the command line and the app."""
        if self.taken_number:
            return Sentence(
                f"{self.taken_number} is taken: imported as {self.row.number} for "
                f"{self.row.customer_name} (version 1)",
                "quote.imported_renumbered",
                taken=self.taken_number,
                number=self.row.number,
                customer=self.row.customer_name,
            )
        return Sentence(
            f"Imported quote {self.row.number} for {self.row.customer_name} (version 1)",
            "quote.imported",
            number=self.row.number,
            customer=self.row.customer_name,
        )


def import_quote_json(
    db: Database, data: bytes | str, *, actor: str, source: str = ""
) -> Outcome[ImportedQuote]:
    """A quote file in the engine's format becomes a new quote; its customer must exist
    (by id or name). The file's number is kept when free; when another quote has it (a
    file exported from this database, edited and imported again), the new quote takes
    the next free number and ``taken_number`` says which number was taken. An existing
    quote is never changed by an import."""
    text = _decode(data, quote_file=True)
    if _is_terms_file(text):
        raise ImportFailedError(
            [
                Sentence(
                    "This is a customer's terms file (terms.json from a PDF), not a quote "
                    "file: it records the terms a PDF offered and cannot become a quote. To "
                    "check a PDF, use Verify a PDF… on the Approvals page (`verify`); to "
                    "import a quote, choose the quote file `quotes export` writes",
                    "import.terms_file",
                )
            ]
        )
    try:
        document = load_quote(text, source)
    except QuoteFileError as exc:
        raise ImportFailedError(exc.problems) from None
    taken = None
    if document.quote_number:
        with db.read() as session:
            if repo.quote_by_number(session, number=document.quote_number) is not None:
                taken = document.quote_number
    if taken:
        document = document.model_copy(update={"quote_number": None})
    outcome = create_quote(db, document, actor=actor)
    return Outcome(ImportedQuote(outcome.value, taken), outcome.changes)


def _is_terms_file(text: str) -> bool:
    """Whether ``text`` is a customer's terms file (``terms.json``, the attachment of a
    PDF: format ``quote-builder/terms``) rather than a quote file."""
    from quote_builder.pricing.terms import TERMS_FORMAT

    if TERMS_FORMAT not in text:
        return False
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and data.get("format") == TERMS_FORMAT


def export_quote_json(db: Database, number: str, *, version: int | None = None) -> str:
    row = find_quote(db, number)
    return dump_quote(open_version(db, row.id, version).document)
