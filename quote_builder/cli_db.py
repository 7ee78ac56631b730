"""Command-line commands that work on the database: demo data, backup and restore,
customers, plans and quotes. Every one takes ``--db URL`` (or ``QUOTE_BUILDER_DB``)."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from quote_builder.cli_table import (
    FIXED,
    NUMBER,
    TEXT,
    Column,
    table_lines,
    table_with_tails,
    terminal_width,
    wrapped,
)
from quote_builder.errors import UserFacingError
from quote_builder.user import current_user

CLI_LOCALE = "en_US"
"""The locale of the numbers the command line prints: it writes English, so its numbers
are written the English way, by the one babel formatter of the app and the documents
(``documents.formatting.Formatter``): ``25%``, ``84.6%``, ``1,234.56``. Output meant for
programs (``--json``) keeps plain decimal strings."""


def percent(value: Decimal | None, places: int | None = None) -> str:
    """A percent the app's way in ``CLI_LOCALE``: ``places`` decimals (rounded half up
    once), or (None) the digits the value has without trailing zeros: a discount ``25%``
    (not ``25.00%``), ``10.01%``, a rate ``19%``; "n/a" for None."""
    from quote_builder.services.words import percent_text

    return percent_text(value, CLI_LOCALE, places)


def says(sentence: str, values: object = None) -> str:
    """A sentence of the engine, the approval policy or a use case as the command line
    prints it: its percents written by ``percent`` ("The effective discount is 25%", not
    the engine's "25.00%"). ``values``: what it was written from (a warning's or a
    ``Sentence``'s params, a reason's values); see ``services.words.percents_written``."""
    from quote_builder.services.words import percents_written

    if values is None and hasattr(sentence, "params"):
        values = sentence.params
    return percents_written(sentence, CLI_LOCALE, values)


def error_text(error: BaseException) -> str:
    """A refusal as the command line prints it: the sentences it was raised with through
    ``says`` (a decision beyond the approver's authority names the discount as ``25%``);
    a message that is not a ``Sentence`` (it may quote a path or what was typed) as it
    is."""
    from quote_builder.errors import Sentence, sentence_of

    text = str(error)
    problems = getattr(error, "problems", None)
    if isinstance(problems, list) and problems and all(isinstance(p, str) for p in problems):
        heading = str(getattr(error, "heading", "") or "")
        lines = [says(p) if isinstance(p, Sentence) else p for p in problems]
        joined = "\n".join(([heading] if heading else []) + list(problems))
        if joined == text:
            return "\n".join(([heading] if heading else []) + lines)
        return text
    found = sentence_of(error)
    if isinstance(found, Sentence) and str(found) == text:
        return says(found)
    return text


def reasons_said(reasons: list[str], details: list[object]) -> list[str]:
    """Approval reasons as the command line prints them (``says``), each with its values
    when the request recorded them."""
    if len(details) != len(reasons):
        return [says(r) for r in reasons]
    return [says(r, d) for r, d in zip(reasons, details, strict=True)]


# The services (and through them SQLAlchemy and WeasyPrint) are imported inside each
# command, so `quote-builder price` and a cold `render FILE` start without loading what
# they do not use.
if TYPE_CHECKING:
    from quote_builder.cli_parser import Commands
    from quote_builder.services.lifecycle import AcceptedFile, SentInfo
    from quote_builder.services.transfer import ImportReport
    from quote_builder.store.database import Database

EXIT_OK = 0
EXIT_FAILED = 1
STDIO = "-"
"""Where a command takes a file name, ``-`` is standard input (read) or output (written)."""


class BadArgumentError(UserFacingError):
    """Arguments that cannot go together (exit status 2)."""


def binary_stdin() -> BinaryIO:
    return sys.stdin.buffer


def binary_stdout(out: TextIO) -> BinaryIO:
    """The byte stream under ``out`` (a PDF written to standard output); refused when it
    is a terminal, where a PDF would only garble the screen (as curl does)."""
    if out.isatty():
        raise BadArgumentError(
            "standard output is a terminal: send the PDF to a file or a pipe "
            "(-o FILE.pdf, or -o - | another program)"
        )
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        raise BadArgumentError("standard output cannot take binary data here; name a file")
    return buffer  # type: ignore[no-any-return]


def add_database_options(parser: argparse.ArgumentParser) -> None:
    """The options every database command takes: --db, --user, --create."""
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL or SQLite file (default: $QUOTE_BUILDER_DB, else the file in your user data folder)",
    )
    parser.add_argument(
        "--user", default=None, help="who is acting (default: $QUOTE_BUILDER_USER or your login)"
    )
    parser.add_argument(
        "--create",
        action="store_true",
        default=None,
        help="make a new, empty database when --db names a file that does not exist "
        "(without it a mistyped path is refused; the default database is made on the first run)",
    )


def database_options() -> argparse.ArgumentParser:
    """The options every database command takes (argparse parent parser)."""
    parent = argparse.ArgumentParser(add_help=False)
    add_database_options(parent)
    return parent


CERTIFICATE_PASSPHRASE = (
    "read the passphrase from this environment variable "
    "(default: $QUOTE_BUILDER_PASSPHRASE, else asked on the terminal)"
)
KEY_PASSPHRASE = (
    "read the key's passphrase from this environment variable "
    "(default: $QUOTE_BUILDER_PASSPHRASE, else ask on the terminal)"
)


def _passphrase_options(help_text: str) -> argparse.ArgumentParser:
    """--passphrase-env (argparse parent parser)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--passphrase-env", metavar="VAR", help=help_text)
    return parent


def _db_url(args: argparse.Namespace) -> str | None:
    """--db after the command, else --db before it (`quote-builder --db X quotes list`)."""
    return getattr(args, "db", None) or getattr(args, "db_global", None)


def _may_create(args: argparse.Namespace) -> bool:
    """Create the database only when asked (--create) or on the first run of the default
    database: a mistyped --db must not become an empty database that looks like lost data."""
    from quote_builder.store.database import creates_by_default

    asked = bool(getattr(args, "create", None) or getattr(args, "create_global", None))
    return asked or creates_by_default(_db_url(args))


def _open(args: argparse.Namespace) -> Database:
    from quote_builder.store.database import open_database

    return open_database(_db_url(args), create=_may_create(args))


def _actor(args: argparse.Namespace) -> str:
    """Who runs the command: ``--user``, else ``$QUOTE_BUILDER_USER``, else the login name;
    a name with an invisible character or mixed alphabets is refused, naming where it came
    from (it would pass for another person's name: user.py)."""
    from quote_builder.user import user_name_problem, user_source

    given = getattr(args, "user", None) or getattr(args, "user_global", None)
    actor = str(given or current_user())
    problem = user_name_problem(actor)
    if problem is not None:
        from quote_builder.services.core import InvalidInputError

        source = "--user" if given else user_source()
        raise InvalidInputError([f"{source}: the name {actor!r} {problem}"])
    return actor


def _read(path: str, what: str = "file") -> bytes:
    """A file named on the command line (``-``: standard input), read whole but never more
    than imports allow (a FIFO, a device or a file still growing are not trusted by their
    size)."""
    from quote_builder.services.transfer import MAX_IMPORT_BYTES

    return _read_bounded(path, MAX_IMPORT_BYTES, what)


def _read_bounded(path: str, limit: int, what: str) -> bytes:
    from quote_builder.safe_files import FileReadError, read_limited

    if path != STDIO:
        return read_limited(path, limit, what=what)
    data = binary_stdin().read(limit + 1)
    if len(data) > limit:
        raise FileReadError(
            f"standard input: the {what} is larger than {limit:,} bytes, the most Quote "
            "Builder reads"
        )
    return data


def _write(path: str | None, text: str, out: TextIO, what: str = "") -> None:
    """Standard output for ``-`` or no ``-o``; else the file, whole or not at all
    (safe_files.write_atomic: a full disk or a read-only folder is a sentence and leaves
    nothing behind)."""
    if path in (None, "-"):
        out.write(text)
    else:
        assert path is not None
        from quote_builder.safe_files import write_atomic

        write_atomic(path, text, what=what)


def _report(report: ImportReport, what: str, out: TextIO) -> None:
    out.write(f"Imported {what}: {report.created} created, {report.updated} updated.\n")
    if report.unmapped_columns:
        out.write(
            f"Columns not imported (no matching field): {', '.join(report.unmapped_columns)}\n"
        )


def cmd_start(args: argparse.Namespace, out: TextIO, ask: bool) -> int:
    """What `quote-builder` with no command does until the desktop window lands: open the
    database (creating it), offer demo data on the first run, and show the latest quotes."""
    from quote_builder.services import quotes as quote_service
    from quote_builder.services.demo import is_empty, seed_demo
    from quote_builder.store.database import display_location

    with _open(args) as db:
        out.write(f"Quote Builder: {display_location(db.url)}\n")
        if is_empty(db):
            answer = "n"
            if ask:
                out.write("This database is empty. Add demo plans, customers and quotes? [Y/n] ")
                out.flush()
                answer = (input() or "y").strip().lower()
            if answer.startswith("y"):
                report = seed_demo(db, actor=_actor(args)).value
                out.write(
                    f"Added {report.plans} plans, {report.customers} customers, {report.quotes} quotes.\n"
                )
            else:
                out.write("This database is empty: `quote-builder demo` adds demo data.\n")
        page = quote_service.list_quotes(db, limit=10)
        if page.rows:
            out.write("\nLatest quotes\n")
            for q in page.rows:
                out.write(
                    f"  {q.number:<14} {q.customer_name:<28} {q.status:<17} {q.tcv.amount:>14,} {q.tcv.currency}\n"
                )
        out.write(
            "\nNext: quote-builder quotes show NUMBER | render NUMBER -o FILE.pdf | price FILE.json"
            " (quote-builder --help lists every command)\n"
        )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from quote_builder.services.demo import seed_demo
    from quote_builder.store.database import display_location

    with _open(args) as db:
        report = seed_demo(db, actor=_actor(args)).value
        shown = display_location(db.url)
    out.write(
        f"Demo data added to {shown}: {report.plans} plans, {report.customers} customers, "
        f"{report.quotes} quotes.\n"
    )
    return EXIT_OK


def _status_words(status: str, approval_holds: bool = True) -> str:
    """A quote's status as the app's list shows it ("Pending approval", not the stored
    ``pending_approval``); a quote marked approved that no signed approval holds is "No
    approval in force", as the editor's banner says."""
    from quote_builder.services.words import label

    if status == "approved" and not approval_holds:
        return "No approval in force"
    return label(status)


def _moment(stamp: str) -> str:
    """A stored ISO timestamp (``2026-12-02T13:53:53Z``) as the command line writes a
    moment: ``2026-12-02 13:53 UTC``; a text that is not one as it is."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment:%Y-%m-%d %H:%M} UTC"


MODEL_WIDTH = 32
"""The widest a model's title is written in a table before it wraps (to its own words'
lines: never a word cut), so that the usage tables fit 80 columns."""


def _columns(
    out: TextIO,
    headers: list[str],
    rows: list[list[str]],
    notes: list[list[str]] | None = None,
) -> None:
    """A table whose first column is words (wrapped to ``MODEL_WIDTH``, the other columns
    on its first line) and whose other columns are numbers, right-aligned, each as wide as
    its widest cell. ``notes``: lines written under each row."""
    import textwrap

    first = min(MODEL_WIDTH, max(len(h) for h in [headers[0], *(r[0] for r in rows)]))
    widths = [max(len(headers[i]), *(len(r[i]) for r in rows)) for i in range(1, len(headers))]
    out.write(
        f"  {headers[0]:<{first}}"
        + "".join(f"  {h:>{width}}" for h, width in zip(headers[1:], widths, strict=True))
        + "\n"
    )
    for n, row in enumerate(rows):
        lines = textwrap.wrap(row[0], first, break_long_words=False, break_on_hyphens=False)
        out.write(
            f"  {lines[0]:<{first}}"
            + "".join(f"  {cell:>{width}}" for cell, width in zip(row[1:], widths, strict=True))
            + "\n"
        )
        for more in lines[1:]:
            out.write(f"    {more}\n")
        for note in (notes or [])[n] if notes else []:
            out.write(_wrapped(f"note: {note}", indent=6).replace("\n      ", "\n            "))


def _month_columns(
    out: TextIO, titles: list[str], rows: list[list[str]], months: list[str]
) -> None:
    """Months as rows, one column a model: each column headed by the model's title over as
    many lines as its words need (never a word cut), as wide as its widest word or amount."""
    import textwrap

    def wrap(title: str, width: int) -> list[str]:
        return textwrap.wrap(title, width, break_long_words=False, break_on_hyphens=False)

    month = max(len("Month"), *(len(m) for m in months))
    widths = []
    for n, title in enumerate(titles):
        longest_word = max(len(word) for word in title.split())
        widths.append(max(longest_word, *(len(r[n]) for r in rows)))
    # Widen the tallest heading a column at a time while the table fits 80 columns.
    while titles and 2 + month + sum(2 + w for w in widths) < 78:
        tallest = max(range(len(titles)), key=lambda n: len(wrap(titles[n], widths[n])))
        if len(wrap(titles[tallest], widths[tallest])) == 1:
            break
        widths[tallest] += 1
    heads = [wrap(t, width) for t, width in zip(titles, widths, strict=True)]
    height = max(len(h) for h in heads)
    heads = [[""] * (height - len(h)) + h for h in heads]  # titles end on the same line
    for line in range(height):
        label = "Month" if line == height - 1 else ""
        out.write(
            (
                f"  {label:<{month}}"
                + "".join(f"  {h[line]:>{width}}" for h, width in zip(heads, widths, strict=True))
            ).rstrip()
            + "\n"
        )
    for m, row in zip(months, rows, strict=True):
        out.write(
            f"  {m:<{month}}"
            + "".join(f"  {cell:>{width}}" for cell, width in zip(row, widths, strict=True))
            + "\n"
        )


def warn(text: str, err: TextIO | None = None) -> None:
    """A warning on standard error as a full sentence ("Warning: The start date …
    date."), wrapped to the terminal's width (80 columns at least) under its first word."""
    from quote_builder.errors import as_sentence

    (err or sys.stderr).write(wrapped(f"Warning: {as_sentence(str(text))}", hang=2))


def _wrapped(text: str, indent: int = 2, width: int = 80, hang: int = 0) -> str:
    """A long line of words wrapped to ``width`` columns under ``indent`` spaces (the lines
    after the first ``hang`` more; never a word cut), ending with a newline."""
    return wrapped(text, indent=indent, hang=hang, width=width)


def cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    from quote_builder.services import maintenance

    with _open(args) as db:
        target = maintenance.backup(db, args.path, overwrite=args.overwrite)
    out.write(f"Backed up to {target}\n")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    from quote_builder.services import maintenance

    report = maintenance.restore(_db_url(args), Path(args.path), wait_seconds=args.wait)
    out.write(f"Restored {args.path} into {report.target}\n")
    if report.kept is not None:
        out.write(f"The database as it was is kept as {report.kept}\n")
    return EXIT_OK


def cmd_customers(args: argparse.Namespace, out: TextIO) -> int:
    from quote_builder.services import customers as customer_service
    from quote_builder.services import transfer

    with _open(args) as db:
        if args.action == "list":
            page = customer_service.search_customers(
                db, args.search or "", limit=args.limit, include_archived=args.archived
            )
            rows = [[str(c.id), c.name, c.country, c.currency, c.crm_id] for c in page.rows]
            # A CRM id is cut first (a Salesforce id's 18 characters stay), then a long
            # name, then the country.
            columns = [
                NUMBER,
                Column(shrink=24, rank=1),
                Column(shrink=10),
                FIXED,
                Column(shrink=18, rank=2),
            ]
            for line in table_lines(rows, columns):
                out.write(line + "\n")
            out.write(f"{len(page.rows)} of {page.total} customers\n")
        elif args.action == "import":
            _report(
                transfer.import_customers_csv(db, _read(args.file), actor=_actor(args)).value,
                "customers",
                out,
            )
        elif args.action == "import-contacts":
            _report(
                transfer.import_contacts_csv(db, _read(args.file), actor=_actor(args)).value,
                "contacts",
                out,
            )
        else:
            _write(args.output, transfer.export_customers_csv(db), out, "the export")
    return EXIT_OK


def cmd_plans(args: argparse.Namespace, out: TextIO) -> int:
    from quote_builder.services import plans as plan_service
    from quote_builder.services import transfer

    with _open(args) as db:
        if args.action == "list":
            from quote_builder.services.words import label

            rows = [
                [
                    str(p.id),
                    p.name,
                    label(p.pricing_model),
                    label(p.product_category) if p.product_category else "",
                    "" if p.active else "(retired)",
                ]
                for p in plan_service.list_plans(db, include_retired=args.retired)
            ]
            columns = [
                NUMBER,
                Column(shrink=16),
                Column(shrink=16, rank=1),
                Column(shrink=10, rank=1),
                FIXED,
            ]
            for line in table_lines(rows, columns):
                out.write(line + "\n")
        elif args.action == "import":
            _report(
                transfer.import_plans_json(db, _read(args.file), actor=_actor(args)).value,
                "plans",
                out,
            )
        else:
            _write(args.output, transfer.export_plans_json(db), out, "the export")
    return EXIT_OK


def cmd_quotes(args: argparse.Namespace, out: TextIO) -> int:
    from quote_builder.services import quotes as quote_service
    from quote_builder.services import transfer

    with _open(args) as db:
        action = args.action
        if action == "list":
            # "pending approval" (the words the list prints) is pending_approval.
            wanted = (args.status or "").strip().lower().replace(" ", "_").replace("-", "_")
            if wanted and wanted not in quote_service.LIST_STATUSES:
                raise BadArgumentError(
                    f"--status {args.status!r}: give one of "
                    f"{', '.join(quote_service.LIST_STATUSES)}"
                )
            page = quote_service.list_quotes(
                db, args.search or "", status=wanted or None, limit=args.limit
            )
            wide = terminal_width() >= 100
            listed = [
                [
                    q.number,
                    q.customer_name,
                    # The verified state, as the app's list and banner show it: a status
                    # column set to approved with no signed approval holding is not approved.
                    _status_words(q.status, q.approval_holds),
                    f"{q.tcv.amount:,} {q.tcv.currency}",
                    f"v{q.latest_version}",
                    # The time of the last change where the terminal has room for it.
                    f"{q.updated_at:%Y-%m-%d %H:%M}" if wide else f"{q.updated_at:%Y-%m-%d}",
                ]
                for q in page.rows
            ]
            # The customer's name is cut to fit; a status never (the words the app shows).
            columns = [FIXED, TEXT, FIXED, NUMBER, NUMBER, FIXED]
            for line in table_lines(listed, columns):
                out.write(line + "\n")
            out.write(f"{len(page.rows)} of {page.total} quotes\n")
        elif action == "import":
            imported = transfer.import_quote_json(
                db, _read(args.file), actor=_actor(args), source=args.file
            ).value
            out.write(f"{imported.sentence()}\n")
        elif action == "export":
            _write(
                args.output,
                transfer.export_quote_json(db, args.number, version=args.version),
                out,
                "the export",
            )
        elif action == "show":
            from quote_builder.services import history

            row = quote_service.find_quote(db, args.number)
            from quote_builder.services.approvals import approval_holds

            holds = row.status != "approved" or approval_holds(db, [row.number]).get(
                row.number, False
            )
            out.write(
                wrapped(f"{row.number}  {row.title}")
                + wrapped(f"Customer: {row.customer_name}")
                + f"Status: {_status_words(row.status, holds)}\n"
                f"TCV: {row.tcv.amount:,} {row.tcv.currency}\nValid until: {row.valid_until}\n\nVersions\n"
            )
            versions = []
            for v in quote_service.list_versions(db, row.id):
                tcv = v.summary.get("tcv")
                tcv_text = f"{Decimal(str(tcv)):,}" if tcv not in (None, "") else "n/a"
                versions.append(
                    [
                        f"v{v.number}",
                        f"{v.created_at:%Y-%m-%d %H:%M}",
                        v.author,
                        f"TCV {tcv_text}",
                        f"sha256 {v.content_hash[:16]}…",
                    ]
                )
            columns = [NUMBER, FIXED, TEXT, NUMBER, FIXED]
            for line in table_lines(versions, columns, indent=2):
                out.write(line + "\n")
            out.write("\nHistory\n")
            for event in quote_service.audit_history(db, row.id):
                out.write(
                    wrapped(
                        f"{event['at']:%Y-%m-%d %H:%M}  {event['actor']:<12} "
                        f"{history.event_title(event['action'])}",
                        indent=2,
                        hang=4,
                    )
                )
                problem = event["problem"]  # details changed outside Quote Builder
                said = (
                    problem[:1].upper() + problem[1:]
                    if problem
                    else history.event_details(event["action"], event["details"], CLI_LOCALE)
                )
                if said:
                    out.write(_wrapped(said, indent=6))
        elif action == "compare":
            row = quote_service.find_quote(db, args.number)
            rows = quote_service.compare_versions(db, row.id, args.a, args.b)
            out.write(f"{row.number}: version {args.a} and version {args.b} (* changed)\n")
            section = ""
            for r in rows:
                if r.section != section:
                    section = r.section
                    out.write(f"\n{section}\n")
                # Each wrapped to 80 columns (a long outcome definition was one line of 135).
                if r.changed:
                    out.write(wrapped(f"* {r.label}", hang=2))
                    out.write(wrapped(f"v{args.a}: {r.a}", indent=4, hang=4))
                    out.write(wrapped(f"v{args.b}: {r.b}", indent=4, hang=4))
                else:
                    out.write(wrapped(f"{r.label}: {r.a}", indent=2, hang=4))
        elif action == "duplicate":
            row = quote_service.find_quote(db, args.number)
            copy = quote_service.duplicate_quote(
                db, row.id, actor=_actor(args), version=args.version
            ).value
            out.write(f"Duplicated {row.number} as {copy.number}\n")
        elif action == "tax":
            from quote_builder.numbers import parse_decimal
            from quote_builder.pricing.tax import tax_name, tax_problems
            from quote_builder.services import tax as tax_service

            row = quote_service.find_quote(db, args.number)
            rate = (
                parse_decimal(args.rate, "en_US", what="--rate") if args.rate is not None else None
            )
            saved = tax_service.set_quote_tax(
                db,
                row.id,
                actor=_actor(args),
                rate_percent=rate,
                confirmed=args.confirm,
                remove=args.none,
            ).value
            tax = quote_service.open_version(db, row.id).document.tax
            if tax is None:
                out.write(f"{saved.number} v{saved.latest_version}: no tax line\n")
            else:
                out.write(
                    f"{saved.number} v{saved.latest_version}: {tax_name(tax.kind)} "
                    f"{percent(tax.rate_percent, None)} ({tax.rule.replace('_', ' ')}, "
                    f"{'rate table of ' + tax.table_as_of.isoformat() if tax.table_as_of else 'your rate'}"
                    f"{', confirmed' if tax.confirmed else ''})\n"
                )
                for problem in tax_problems(tax):
                    out.write(f"  to settle before sending: {problem}\n")
    return EXIT_OK


def cmd_rates(args: argparse.Namespace, out: TextIO) -> int:
    """The exchange-rate table: list, set, import (CSV), remove."""
    from quote_builder.numbers import parse_decimal
    from quote_builder.services import currencies

    with _open(args) as db:
        action = args.action
        if action == "list":
            rates = currencies.list_exchange_rates(db)
            rows = [
                [
                    f"{r.base_currency} -> {r.quote_currency}",
                    format(r.rate, "f"),
                    r.as_of.isoformat(),
                    r.source,
                ]
                for r in rates
            ]
            for line in table_lines(rows, [FIXED, NUMBER, FIXED, TEXT]):
                out.write(line + "\n")
            out.write(f"{len(rates)} exchange rates\n")
        elif action == "set":
            saved = currencies.set_exchange_rate(
                db,
                base=args.base,
                quote=args.quote,
                rate=parse_decimal(args.rate, "en_US", what="RATE"),
                as_of=_date(args.date, "--date"),
                source=args.source,
                actor=_actor(args),
            ).value
            out.write(
                f"1 {saved.base_currency} = {format(saved.rate, 'f')} {saved.quote_currency} "
                f"({saved.as_of.isoformat()}, {saved.source})\n"
            )
        elif action == "import":
            count = currencies.import_exchange_rates_csv(
                db, _read(args.file), actor=_actor(args)
            ).value
            out.write(f"Imported {count} exchange rates\n")
        elif action == "remove":
            pair = (args.base.upper(), args.quote.upper())
            match = [
                r
                for r in currencies.list_exchange_rates(db)
                if (r.base_currency, r.quote_currency) == pair
            ]
            if not match:
                raise BadArgumentError(f"no exchange rate from {pair[0]} to {pair[1]}")
            currencies.delete_exchange_rate(db, match[0].id, actor=_actor(args))
            out.write(f"Removed the rate from {pair[0]} to {pair[1]}\n")
    return EXIT_OK


def _date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserFacingError(
            f"{what}: not a date: write it as YYYY-MM-DD (got {value!r})"
        ) from None


class FinalisedFirstError(UserFacingError):
    """`deal finalise` lost a race with another run that finalised the same quote (exit
    status 1: a save that lost a race)."""


def cmd_deal(args: argparse.Namespace, out: TextIO) -> int:
    """A deal's life: finalise (send), lost, valid-until, re-issue, accept; renew, expand,
    amend an accepted quote; the customer's contracts."""
    from quote_builder.services import lifecycle
    from quote_builder.services import quotes as quote_service

    with _open(args) as db:
        row = quote_service.find_quote(db, args.number)
        action = args.action
        if action == "finalise":
            incomplete = (
                lifecycle.customer_gaps(db, row.id) if row.status in ("draft", "approved") else None
            )
            if incomplete is not None:  # say so before asking for the passphrase
                raise lifecycle.customer_incomplete_error(row.number, incomplete)
            if row.status in ("draft", "approved"):  # no governing law or courts: the same
                missing = lifecycle.jurisdiction_gaps(db, row.id)
                if missing:
                    raise lifecycle.jurisdiction_error(row.number, missing)
                stale = lifecycle.stale_tax_error(db, row.id, row.number)
                if stale is not None:  # the customer's tax ID or country changed since
                    raise stale
            try:
                sent = lifecycle.finalise_quote(
                    db,
                    row.id,
                    expected_version=row.version_id,
                    actor=_actor(args),
                    passphrase=_passphrase(args) if row.status != "sent" else "",
                ).value
            except lifecycle.FinalisedMeanwhileError as exc:
                raise FinalisedFirstError(
                    f"{exc.number} version {exc.version} was finalised and sent by {exc.sent_by} "
                    f"at {exc.sent_at} (another `deal finalise` run) while this run was "
                    "signing it; this run saved nothing. To get the file that was sent, run: "
                    f"quote-builder deal finalise {exc.number} -o FILE"
                ) from None
            if args.output:
                from quote_builder.safe_files import FileWriteError, write_atomic

                try:
                    write_atomic(args.output, sent.pdf, what="the PDF")
                except FileWriteError as exc:  # finalised and sent all the same: say so
                    state = "was sent before" if sent.resent else "is finalised and marked sent"
                    raise type(exc)(  # a name refused keeps its status 2, a full disk its 1
                        f"{str(exc).rstrip('.')}. {sent.quote_number} version {sent.version} "
                        f"{state}: write its PDF (the very same file) with "
                        f"`quote-builder deal finalise {sent.quote_number} -o FILE`."
                    ) from None
            verb = "Sent again (the same file)" if sent.resent else "Finalised and sent"
            out.write(
                f"{verb}: {sent.quote_number} version {sent.version}, signed by {sent.signer}\n"
                f"  SHA-256 {sent.pdf_sha256}\n  sent by {sent.sent_by} at "
                f"{sent.sent_at:%Y-%m-%d %H:%M} UTC"
                + (f"\n  written to {args.output}" if args.output else "")
                + "\n"
            )
        elif action == "lost":
            text = lifecycle.mark_lost(
                db,
                row.id,
                reason=args.reason,
                details=args.details or "",
                expected_version=row.version_id,
                actor=_actor(args),
            ).value
            out.write(f"{row.number} marked lost: {text}\n")
        elif action == "valid-until":
            day = _date(args.date, "Valid until")
            lifecycle.set_valid_until(
                db, row.id, day, expected_version=row.version_id, actor=_actor(args)
            )
            out.write(f"{row.number} is valid until {day.isoformat()}\n")
        elif action == "reissue":
            day = _date(args.valid_until, "--valid-until")
            number = lifecycle.reissue_quote(
                db, row.id, valid_until=day, expected_version=row.version_id, actor=_actor(args)
            ).value
            out.write(
                f"{row.number} re-issued as version {number}, valid until {day.isoformat()} "
                "(a draft: finalise it to send it)\n"
            )
        elif action == "accept":
            try:
                if args.paper:
                    if not args.signed_by or not args.signed_on:
                        raise UserFacingError("--paper needs --signed-by NAME and --signed-on DATE")
                    info = lifecycle.record_paper_acceptance(
                        db,
                        row.id,
                        signed_by=args.signed_by,
                        signed_on=_date(args.signed_on, "--signed-on"),
                        scan=_read(args.file, "scan"),
                        file_name=args.file,
                        expected_version=row.version_id,
                        actor=_actor(args),
                        other_signer_confirmed=args.other_signer,
                    ).value
                else:
                    info = lifecycle.import_signed_pdf(
                        db,
                        _read(args.file, "signed PDF"),
                        file_name=args.file,
                        actor=_actor(args),
                        quote_id=row.id,
                        other_signer_confirmed=args.other_signer,
                    ).value
            except lifecycle.OtherSignerError as exc:
                raise UserFacingError(
                    f"{args.file} is signed by {exc.signed_by}, but the order form names "
                    f"{exc.signatory} to sign for {exc.customer}; nothing was recorded. If "
                    f"{exc.signed_by} may sign for {exc.customer}, run the command again with "
                    "--other-signer (the history will say you confirmed it)."
                ) from None
            out.write(
                f"{info.quote_number} accepted: version {info.version} signed by "
                f"{info.signed_by} on {info.signed_at:%Y-%m-%d} ({info.method_words})\n"
            )
            if args.other_signer:
                from quote_builder.user import same_person

                named = lifecycle.named_signatory(db, row.id)
                if named and not same_person(named, info.signed_by):
                    out.write(
                        f"  not {named}, whom the order form names to sign: recorded as you "
                        "confirmed (--other-signer), and so in the history\n"
                    )
        elif action in ("renew", "expand", "amend"):
            from quote_builder.services import contracts

            kind = {"renew": "renewal", "expand": "expansion", "amend": "amendment"}[action]
            seats: dict[str, int] = {}
            for item in getattr(args, "seats", None) or []:
                component, _, count = item.partition("=")
                if not count.strip().isdigit():
                    raise UserFacingError(
                        f"--seats {item}: give COMPONENT=COUNT, e.g. --seats team=10"
                    )
                seats[component.strip()] = int(count)
            new = contracts.start_change(
                db,
                row.id,
                kind,  # type: ignore[arg-type]
                actor=_actor(args),
                effective=_date(args.effective, "--effective")
                if getattr(args, "effective", None)
                else None,
                added_seats=seats or None,
            ).value
            out.write(
                f"{new.number}: {kind} of {row.number} (a draft: price it, then finalise it)\n"
            )
        elif action == "contracts":
            from quote_builder.services import contracts

            rows = contracts.customer_contracts(db, row.customer_id)
            if not rows:
                out.write(f"{row.customer_name} has no contract (no accepted quote) yet.\n")
            for contract in rows:
                kind = contract.kind_words + (
                    f" of {contract.parent_number}" if contract.parent_number else ""
                )
                out.write(
                    wrapped(
                        f"{contract.number}  {kind}  {contract.start.isoformat()} to "
                        f"{contract.end.isoformat()}  current ACV "
                        f"{contract.current_acv.amount:,} {contract.current_acv.currency}  "
                        f"{contract.renews}"
                    )
                )
    return EXIT_OK


def cmd_certificate(args: argparse.Namespace, out: TextIO) -> int:
    """The seller's signing certificate on this computer."""
    from quote_builder.services import certificates

    if args.action == "create-trial":
        made = certificates.create_trial_certificate(
            args.name,
            _passphrase(args, confirm=True),
            email=args.email or "",
            replace=args.replace,
        )
        out.write(f"Created a trial certificate: {made.label}\n  {made.path}\n")
    elif args.action == "import":
        made = certificates.install_seller_certificate(
            _read(args.file, "certificate"), _passphrase(args), replace=args.replace
        )
        out.write(f"Installed the seller's signing certificate: {made.label}\n  {made.path}\n")
    current = certificates.seller_certificate()
    if args.action == "show":
        if current is None:
            out.write("No seller signing certificate on this computer.\n")
        else:
            info = current.info
            out.write(
                f"{current.label}\n  subject: {info.subject}\n  SHA-256 {info.fingerprint}\n"
                f"  valid {info.not_before:%Y-%m-%d} to {info.not_after:%Y-%m-%d}\n"
                f"  file: {current.path}\n"
            )
    return EXIT_OK


def _render_language(args: argparse.Namespace) -> str | None:
    """``--language``, else the language of ``--locale`` (``--locale de_DE`` writes the
    documents in German); None: the quote's own language. A locale of a language documents
    are not written in is refused: its dates would sit in English sentences."""
    from quote_builder.pricing.languages import LANGUAGES, supported_list

    if args.language:
        return str(args.language)
    if not args.locale:
        return None
    from babel import Locale
    from babel.core import UnknownLocaleError

    try:
        code = Locale.parse(args.locale).language
    except (UnknownLocaleError, ValueError):
        raise BadArgumentError(
            f"--locale: unknown locale {args.locale!r} (e.g. en_US, en_GB, de_DE, fr_FR)"
        ) from None
    if code not in LANGUAGES:
        raise BadArgumentError(
            f"--locale {args.locale}: documents are written in {supported_list()}; give a "
            "locale of one of them, or --language with a locale of that language"
        )
    return code


def cmd_render(args: argparse.Namespace, out: TextIO) -> int:
    from quote_builder.documents.tuning import paused_gc

    # One render and out: the garbage collector would only rescan the imports' objects
    # (WeasyPrint, the pricing models) many times over (about 7 % of a cold render).
    with paused_gc():
        return _render_command(args, out)


def _render_command(args: argparse.Namespace, out: TextIO) -> int:
    from quote_builder.services import documents as document_service
    from quote_builder.services.core import RefusedError

    if args.output == STDIO and args.html == STDIO:
        raise BadArgumentError("render: only one of --output and --html can be standard output (-)")
    language = _render_language(args)
    source = Path(args.source)
    if args.source == STDIO or source.is_file() or source.suffix.lower() == ".json":
        db = None
        # Without a database to read the seller from, SQLAlchemy is not even imported.
        from quote_builder.app_dirs import DATABASE_ENV, default_database_path

        if args.source == STDIO:
            from quote_builder.services.pricing import read_quote_stream

            document = read_quote_stream(binary_stdin())
        else:
            from quote_builder.services.pricing import read_quote_file

            document = read_quote_file(source)
        # The seller and legal frame come from --db, else the user's database (the
        # variable or the default file) when there is one: never the tool's own name.
        # That database is only read: rendering a file never upgrades it (nor writes to it);
        # one on an older schema gives no seller data, and the warning says so. A --db
        # named on the command line is opened as every command opens it (upgraded).
        named = _db_url(args)
        url = named or os.environ.get(DATABASE_ENV)
        if url or default_database_path().is_file():
            from quote_builder.store.database import DatabaseNeedsUpgradeError, open_database

            where = url or str(default_database_path())
            try:
                db = open_database(
                    where, create=bool(named) and _may_create(args), reading_only=not named
                )
            except DatabaseNeedsUpgradeError as exc:
                warn(
                    f"the seller and legal frame are left out: your database "
                    f"({where}) {str(exc).removeprefix('the database ')}, and rendering a "
                    "file does not upgrade it; open it with the app, or give it with --db, "
                    "to upgrade it"
                )
        try:
            rendered = document_service.render_quote_document(
                document,
                db=db,
                kind=args.document,
                pdf_a=args.pdf_a,
                locale=args.locale,
                language=language,
            )
        except RefusedError as exc:
            # What the file says that cannot be printed (a character no font draws): named
            # with the file, as the format's own errors are.
            where = "standard input" if args.source == STDIO else str(source)
            raise RefusedError(f"{where}: {exc}") from None
        finally:
            if db is not None:
                db.close()
    else:
        from quote_builder.services import lifecycle
        from quote_builder.services.quotes import find_quote

        with _open(args) as db:  # noqa: F811
            row = find_quote(db, args.source)
            sent = lifecycle.sent_version(db, row.id, args.version)
            accepted = lifecycle.accepted_file(db, row.id, args.version) if sent else None
            if accepted is not None and not args.as_sent:
                return _write_accepted(args, accepted, out)
            if sent is not None:
                return _write_sent(args, sent, out)
            if args.as_sent:
                raise BadArgumentError(
                    f"--as-sent: {row.number}"
                    + (f" version {args.version}" if args.version else "")
                    + " was not sent, so there is no file as sent: `deal finalise "
                    f"{row.number}` makes it"
                )
            rendered = document_service.render_saved_quote(
                db,
                args.source,
                kind=args.document,
                version=args.version,
                pdf_a=args.pdf_a,
                locale=args.locale,
                language=language,
            )
    from quote_builder.safe_files import write_atomic

    # With a document on standard output the report goes to standard error.
    report = sys.stderr if STDIO in (args.output, args.html) else out
    if args.output == STDIO:
        binary_stdout(out).write(rendered.result.pdf)
        output = "standard output"
    else:
        output = str(write_atomic(args.output, rendered.result.pdf, what="the PDF"))
    if args.html:
        html = document_service.html_for_export(rendered.request, args.document)
        if args.html == STDIO:
            out.write(html)
        else:
            write_atomic(args.html, html, what="the HTML")
    for warning in rendered.result.warnings:
        warn(warning)
    state = "final" if rendered.final else "DRAFT watermark"
    if rendered.draft_reason:
        state += f": {says(rendered.draft_reason)}"
    label = rendered.quote_number or ("standard input" if args.source == STDIO else source.name)
    version = f" v{rendered.version}" if rendered.version else ""
    written_in = ""
    if rendered.request.language != "en" or language:
        from quote_builder.pricing.languages import LANGUAGES

        written_in = f", in {LANGUAGES[rendered.request.language]}"
    report.write(
        wrapped(
            f"Wrote {output} ({args.document}, {label}{version}, {state}{written_in}"
            f"{', PDF/A-3' if args.pdf_a else ''})"
        )
    )
    return EXIT_OK


def _refuse_new_render(args: argparse.Namespace, original: str, number: str) -> None:
    """A frozen version has one original: a request for anything else of it (another
    document, PDF/A, HTML, another language) is refused, naming that file."""
    asked = [
        option
        for option, given in (
            (f"--document {args.document}", args.document != "both"),
            ("--pdf-a", args.pdf_a),
            ("--html", bool(args.html)),
            (f"--language {args.language}", bool(args.language)),
            (f"--locale {args.locale}", bool(args.locale)),
        )
        if given
    ]
    if asked:
        raise BadArgumentError(
            f"{original}: that signed file is the only original, so it is not "
            f"rendered again ({', '.join(asked)}). `render {number}"
            + (f" --version {args.version}" if args.version else "")
            + " -o FILE` writes it as it was signed; to change the quote, edit it (a new "
            "version, back in draft)"
        )


def _write_accepted(args: argparse.Namespace, accepted: AcceptedFile, out: TextIO) -> int:
    """``render`` of an accepted version: the file of record, byte for byte as recorded:
    the order form signed by both parties, or the scan of a paper copy (``--as-sent``:
    the file as sent instead)."""
    from quote_builder.safe_files import write_atomic
    from quote_builder.services.lifecycle import accepted_words

    number = accepted.info.quote_number
    _refuse_new_render(args, str(accepted_words(accepted)), number)
    if not accepted.is_pdf and (args.output == STDIO or args.output.lower().endswith(".pdf")):
        raise BadArgumentError(
            f"{accepted_words(accepted)}: the signed copy kept is a scan, a "
            f"{accepted.kind} ({accepted.info.file_name}), not a PDF: give -o a file name "
            f"of that kind, or add --as-sent for the PDF as sent"
        )
    report = sys.stderr if args.output == STDIO else out
    if args.output == STDIO:
        binary_stdout(out).write(accepted.file)
        output = "standard output"
    else:
        output = str(write_atomic(args.output, accepted.file, what="the signed copy"))
    what = (
        "the scan of the signed paper copy"
        if accepted.info.method == "paper"
        else "the order form signed by both parties"
    )
    report.write(
        wrapped(
            f"Wrote {output}: {what}, byte for byte ({accepted_words(accepted)}); "
            f"`render {number} --as-sent -o FILE` writes the file as sent "
            f"({accepted.sent.file_name})"
        )
    )
    return EXIT_OK


def _write_sent(args: argparse.Namespace, sent: SentInfo, out: TextIO) -> int:
    """``render`` of a version that was sent: the stored file, byte for byte as sent (a
    frozen version has one original); a request for anything else is refused, pointing at
    that file, so no new render of it can pass for a second original."""
    from quote_builder.safe_files import write_atomic
    from quote_builder.services.lifecycle import sent_words

    _refuse_new_render(args, str(sent_words(sent)), sent.quote_number)
    report = sys.stderr if args.output == STDIO else out
    if args.output == STDIO:
        binary_stdout(out).write(sent.pdf)
        output = "standard output"
    else:
        output = str(write_atomic(args.output, sent.pdf, what="the PDF"))
    report.write(
        wrapped(
            f"Wrote {output}: the file as sent, byte for byte ({sent_words(sent)}); "
            "a sent version is not rendered again"
        )
    )
    return EXIT_OK


def cmd_selftest(args: argparse.Namespace, out: TextIO) -> int:
    """One line per check; exit status 1 when any fails."""
    from quote_builder.about import version_line
    from quote_builder.services.selftest import run_checks

    out.write(f"{version_line()}\n")
    checks = run_checks()
    for check in checks:
        out.write(
            wrapped(f"{'ok  ' if check.ok else 'FAIL'}  {check.name}: {check.detail}", hang=6)
        )
    return EXIT_OK if all(c.ok for c in checks) else EXIT_FAILED


PASSPHRASE_ENV = "QUOTE_BUILDER_PASSPHRASE"


def _passphrase(args: argparse.Namespace, *, confirm: bool = False) -> str:
    """The key's passphrase: from the variable named by --passphrase-env, else
    $QUOTE_BUILDER_PASSPHRASE, else asked on the terminal. Without a terminal to ask on,
    a sentence (exit status 2), never a traceback."""
    if getattr(args, "passphrase_env", None):
        value = os.environ.get(args.passphrase_env)
        if value is None:
            raise UserFacingError(f"--passphrase-env: ${args.passphrase_env} is not set")
        return value
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    if not sys.stdin.isatty():
        raise UserFacingError(
            "the key's passphrase is needed and there is no terminal to ask for it: "
            f"set {PASSPHRASE_ENV} (or name a variable with --passphrase-env), or run this "
            "in a terminal"
        )
    try:
        value = getpass.getpass("Passphrase: ")
        if confirm and getpass.getpass("Passphrase again: ") != value:
            raise UserFacingError("the passphrases do not match; nothing was created")
    except (EOFError, KeyboardInterrupt):
        raise UserFacingError("no passphrase was given; nothing was done") from None
    return value


def _public_key_text(value: str) -> str:
    """``approval trust`` takes a .pub file or the key itself: a missing file is said so."""
    path = Path(value).expanduser()
    if path.is_file():
        return _read(value).decode("utf-8", errors="replace")
    from quote_builder.approvals.signing import ApprovalSigningError, public_key_from_text

    try:
        public_key_from_text(value)
    except ApprovalSigningError:
        raise UserFacingError(f"{value}: no such file (and not a public key either)") from None
    return value


def _role(role: str | None) -> str:
    return (role or "").replace("_", " ")


def cmd_approval(args: argparse.Namespace, out: TextIO) -> int:
    from quote_builder.approvals.signing import last_day, short_fingerprint
    from quote_builder.services import approvals as svc
    from quote_builder.services import keys as key_service

    action = args.action
    if action == "keygen":
        key = key_service.create_key(args.name, _passphrase(args, confirm=True))
        out.write(
            f"Created key {key.name}: private key {key.path} (readable only by you)\n"
            "Public key (not secret: an approver's goes into the organisation's policy; the "
            "organisation key's is what `verify --org-key` checks):\n"
            f"  {key.public_line}\n  file {key.path.with_suffix('.pub')}\n"
            f"Fingerprint {key.fingerprint}\n"
        )
        return EXIT_OK
    with _open(args) as db:
        actor = _actor(args)
        if action == "request":
            request = svc.request_approval(db, args.number, actor=actor).value
            out.write(
                f"Approval requested for {request.quote_number} version {request.version} "
                f"(sha256 {request.version_hash[:16]}…) by {request.requested_by}: "
                f"{_role(request.required_role)} approval needed.\n"
            )
            for reason in reasons_said(request.reasons, list(request.reason_details)):
                out.write(f"  - {reason}\n")
            if args.output:
                from quote_builder.safe_files import FileWriteError

                try:
                    _write(
                        args.output,
                        svc.export_request(db, args.number, actor=actor),
                        out,
                        "the request file",
                    )
                except FileWriteError as exc:  # the request stands all the same: say so
                    raise type(exc)(  # a name refused keeps its status 2, a full disk its 1
                        f"{str(exc).rstrip('.')}. The request is recorded: write its file "
                        "again (the same request) with `quote-builder approval request "
                        f"{request.quote_number} -o FILE`."
                    ) from None
                out.write(f"Request file written to {args.output}: send it to the deal desk.\n")
        elif action == "decide":
            expires = None
            if args.expires:
                try:
                    expires = dt.date.fromisoformat(args.expires)
                except ValueError:
                    raise UserFacingError(
                        f"--expires: {args.expires!r} is not a date (YYYY-MM-DD)"
                    ) from None
            reference = args.request
            if Path(reference).is_file():
                imported = svc.import_request(db, _read(reference), actor=actor).value
                reference = imported.request_id
                out.write(
                    f"Request for {imported.quote_number} version {imported.version} "
                    f"({imported.customer_name}), asked by {imported.requested_by or 'unknown'}:\n"
                )
                for reason in reasons_said(imported.reasons, list(imported.reason_details)):
                    out.write(f"  - {reason}\n")
                for note in imported.notes:
                    out.write(f"Note: {note}\n")
            elif reference.endswith(".json"):
                raise UserFacingError(f"{reference}: no such file")
            # Refused before the passphrase is asked for: terms that changed since the
            # request cannot be decided whatever the key.
            svc.check_request_current(db, reference)
            decision = svc.decide(
                db,
                reference,
                approve=args.approve,
                key_name=args.key,
                passphrase=_passphrase(args),
                actor=actor,
                comment=args.comment or "",
                expires=expires,
                conditions=args.condition or [],
            ).value
            role = f" ({svc.role_title(decision.approver_role)})" if decision.approver_role else ""
            out.write(
                f"{decision.quote_number} version {decision.version}: {decision.decision} by "
                f"{decision.approver_name}{role} (decision {decision.decision_id})\n"
            )
            if args.output:
                from quote_builder.safe_files import FileWriteError

                try:
                    _write(args.output, decision.file_text(), out, "the decision file")
                except FileWriteError as exc:
                    raise FileWriteError(
                        f"{str(exc).rstrip('.')}. The decision is stored: write its file again with "
                        f"`quote-builder approval export-decision {decision.decision_id} -o FILE`."
                    ) from None
                out.write(f"Signed decision written to {args.output}: send it to the rep.\n")
        elif action == "export-decision":
            _write(args.output, svc.export_decision(db, args.decision), out, "the decision file")
            if args.output not in (None, "-"):
                out.write(f"Signed decision written to {args.output}: send it to the rep.\n")
        elif action == "import":
            decision = svc.import_decision(db, _read(args.file), actor=actor).value
            role = f" ({svc.role_title(decision.approver_role)})" if decision.approver_role else ""
            if decision.already_recorded_at is not None:
                out.write(
                    f"This decision is already recorded on version {decision.version} of "
                    f"{decision.quote_number} (imported on "
                    f"{decision.already_recorded_at:%Y-%m-%d %H:%M} UTC: {decision.decision}, "
                    f"decision {decision.decision_id}, signed by {decision.approver_name}{role}); "
                    "nothing changed.\n"
                )
                return EXIT_OK
            out.write(
                f"{decision.quote_number} version {decision.version} is now {decision.decision} "
                f"(decision {decision.decision_id}, signed by {decision.approver_name}{role})\n"
            )
            if decision.expires_at:
                out.write(f"Valid until {last_day(decision.expires_at)}\n")
            if decision.comment:
                out.write(f"Comment: {decision.comment}\n")
            for condition in decision.conditions:
                out.write(f"Condition: {condition}\n")
        elif action == "status":
            status = svc.approval_status(db, args.number)
            state = _status_words(status.status)
            if status.stale_approval_id and status.status == "approved":
                state += " (that approval no longer applies: see History; ask for approval again)"
            elif status.status == "approved" and not status.approval_id:
                # The status column says approved, but no signed approval of this version
                # holds (expired, or a row changed outside Quote Builder).
                state += (
                    " (but no approval of this version holds: see History; ask for approval again)"
                )
            out.write(wrapped(f"{status.quote_number} version {status.latest_version}: {state}"))
            out.write(wrapped(f"Policy: {status.policy_label}"))
            if status.approval_id and status.status != "pending_approval":
                out.write(f"Approval in force: decision {status.approval_id}\n")
            else:
                out.write("Approval in force: none\n")
            for earlier in status.decisions:
                if earlier.version != status.latest_version:
                    continue
                line = (
                    f"History: version {earlier.version} {earlier.decision} by "
                    f"{earlier.approver_name} on {earlier.decided_at[:10]} "
                    f"(decision {earlier.decision_id})"
                )
                if earlier.decision_id == status.stale_approval_id:
                    line += (
                        ": no longer applies, the customer's terms changed since the request ("
                        + svc.changes_text(status.terms_changes)
                        + "); ask for approval again"
                    )
                elif earlier.decision_id == status.approval_id and status.status == (
                    "pending_approval"
                ):
                    line += ": replaced by the pending request"
                elif earlier.decision_id in status.not_counted:
                    line += f": does not count, {says(status.not_counted[earlier.decision_id])}"
                out.write(wrapped(line))
            evaluation = status.evaluation
            if evaluation.needed:
                out.write(f"Needs {_role(evaluation.required_role)} approval:\n")
                for reason in reasons_said(evaluation.reasons, list(evaluation.details)):
                    out.write(wrapped(f"- {reason}", indent=2))
            else:
                out.write("Needs no approval under this policy.\n")
            for r in status.requests:
                out.write(
                    wrapped(
                        f"Request {r.request_id}  v{r.version}  {r.status:<10} by "
                        f"{r.requested_by} at {r.requested_at:%Y-%m-%d %H:%M}"
                    )
                )
            for d in status.decisions:
                expiry = f", valid until {last_day(d.expires_at)}" if d.expires_at else ""
                comment = f": {d.comment}" if d.comment else ""
                role = f" ({svc.role_title(d.approver_role)})" if d.approver_role else ""
                out.write(
                    wrapped(
                        f"Decision {d.decision_id}  v{d.version}  {d.decision} by "
                        f"{d.approver_name}{role} at {_moment(d.decided_at)}{expiry}{comment}"
                    )
                )
        elif action == "trust":
            trusted = svc.add_trusted_key(
                db, args.name, _public_key_text(args.public_key), actor=actor
            ).value
            out.write(
                f"Trusted {trusted.name}'s key (fingerprint {trusted.fingerprint}) by hand: "
                "unverified (no organisation policy).\n"
            )
        elif action == "keys":
            mine = key_service.list_keys()
            out.write(wrapped(f"Your keys ({key_service.keys_dir()}):"))
            rows = [[k.name, "" if k.format_version >= 2 else "(old key format)"] for k in mine]
            tails = [k.fingerprint for k in mine]
            for line in table_with_tails(rows, [TEXT, FIXED], tails, indent=2):
                out.write(line + "\n")
            if not mine:
                out.write("  none\n")
            view = svc.list_approvers(db)
            if view.problem:
                out.write(wrapped(f"Approvers: {view.problem}"))
            else:
                out.write(
                    wrapped(
                        f"Approvers whose decisions count here ({view.source}):"
                        if view.verified
                        # (view.source: this machine's own settings, "unverified: …
                        # approver keys trusted by hand", in parentheses of its own)
                        else "Approvers trusted by hand on this machine (unverified: no "
                        "organisation policy):"
                    )
                )
                rows = [
                    [
                        a.name,
                        svc.role_title(a.role) if a.role else "no role",
                        short_fingerprint(a.fingerprint),
                    ]
                    for a in view.approvers
                ]
                tails = [a.fingerprint for a in view.approvers]
                for line in table_with_tails(rows, [TEXT, TEXT, FIXED], tails, indent=2):
                    out.write(line + "\n")
                if not view.approvers:
                    out.write("  none\n")
        elif action == "pending":
            rows = [
                [
                    r.request_id,
                    r.quote_number,
                    f"v{r.version}",
                    r.customer_name,
                    _role(r.required_role),
                    f"asked by {r.requested_by}",
                ]
                for r in svc.list_requests(db)
            ]
            # The request id is cut to its first characters first ("13d5a23f…"): `approval
            # decide` takes the quote number as well; a wider terminal shows it whole.
            columns = [Column(shrink=9), FIXED, FIXED, TEXT, FIXED, TEXT]
            for line in table_lines(rows, columns):
                out.write(line + "\n")
    return EXIT_OK


def cmd_policy(args: argparse.Namespace, out: TextIO) -> int:
    from quote_builder.approvals.policy import ROLES
    from quote_builder.services import policy as svc

    action = args.action
    if action == "sign":
        text = svc.sign_policy_source(
            _read(args.source), key_name=args.key, passphrase=_passphrase(args)
        )
        _write(args.output, text, out)
        if args.output not in (None, "-"):
            from quote_builder.approvals.bundle import verify_bundle

            signed = verify_bundle(json.loads(text))
            out.write(
                f"Signed policy serial {signed.serial} of {signed.organisation} "
                f"(fingerprint {signed.fingerprint}), valid {signed.valid_from} to "
                f"{signed.valid_until}, {len(signed.approvers)} approver(s): {args.output}\n"
            )
        return EXIT_OK
    with _open(args) as db:
        if action == "init":
            text = svc.policy_template(db, organisation=args.organisation)
            _write(args.output, text, out)
            if args.output not in (None, "-"):
                out.write(
                    f"Wrote {args.output}: edit the approvers (name, role, public key), the "
                    "numbers and the dates, then sign it with the organisation key.\n"
                )
        elif action == "install":
            policy = svc.install_policy(db, _read(args.file), actor=_actor(args)).value
            out.write(f"Installed {policy.label}\nFingerprint {policy.fingerprint}\n")
        elif action == "show":
            status = svc.policy_status(db)
            pin = status.pinned
            if pin is not None:
                out.write(
                    wrapped(
                        f"Pinned:       organisation key {pin.fingerprint} in {pin.path}"
                        + (
                            " (writable by you: it pins nothing until an administrator "
                            "makes it read-only)"
                            if pin.writable
                            else ""
                        ),
                        hang=14,
                    )
                )
            if status.problem:
                raise UserFacingError(status.problem)
            shown = status.policy
            if shown is None:
                out.write(
                    wrapped(
                        "No organisation policy is installed: the approval rules are this "
                        "database's settings and approver keys are trusted by hand (unverified)."
                    )
                )
                return EXIT_OK
            expired = " (EXPIRED)" if shown.validity_problem(_now()) else ""
            authority = ", ".join(
                f"{_role(r)} {percent(shown.discount_authority[r], None)}"
                for r in ROLES
                if r in shown.discount_authority
            )
            for text, hang in (
                (f"Organisation: {shown.organisation} (key {shown.org_fingerprint})", 14),
                (f"Policy:       serial {shown.serial}, fingerprint {shown.fingerprint}", 14),
                (f"Valid:        {shown.valid_from} to {shown.valid_until}{expired}", 14),
                (f"Discount authority: {authority}", 2),
            ):
                out.write(wrapped(text, hang=hang))
            rules = shown.approval_policy()
            out.write(
                wrapped(
                    f"Margin floor {_pct(rules.margin_floor_percent, None)}, longest term "
                    f"{rules.max_term_months} months, lowest multi-year escalator "
                    f"{_pct(rules.min_escalator_percent, None)}, longest payment terms "
                    f"{rules.max_payment_terms_days} days"
                )
            )
            out.write("Approvers:\n")
            rows = [[a.name, a.role_title] for a in shown.approvers]
            tails = [a.fingerprint for a in shown.approvers]
            for line in table_with_tails(rows, [TEXT, TEXT], tails, indent=2):
                out.write(line + "\n")
            for h in status.history:
                out.write(
                    wrapped(
                        f"Installed serial {h.serial} ({h.fingerprint[:16]}…) on "
                        f"{h.installed_at:%Y-%m-%d %H:%M} by {h.installed_by}"
                    )
                )
    return EXIT_OK


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def cmd_verify(args: argparse.Namespace, out: TextIO) -> int:
    """One line per check; exit status 1 when any check fails (2 for unusable input)."""
    from quote_builder.services import verify as svc

    data = _read_pdf(args.file)
    org_key = _public_key_text(args.org_key) if args.org_key else None
    db = None
    if org_key is None:
        db = _open_existing(args)
    try:
        report = svc.verify_pdf(db, data, org_key=org_key, content_only=args.content_only)
    finally:
        if db is not None:
            db.close()
    if [c.name for c in report.checks] == ["file"] and not report.ok:
        # Not a PDF at all: bad input (exit 2), one sentence naming the file.
        raise UserFacingError(f"{args.file}: {report.checks[0].message}")
    for check in report.checks:
        out.write(
            wrapped(f"{'OK  ' if check.ok else 'FAIL'}  {check.name}: {check.message}", hang=6)
        )
    out.write("Verified: every check passed.\n" if report.ok else "NOT verified: see FAIL above.\n")
    failed = [c.name for c in report.checks if not c.ok]
    if failed == [svc.SELLER_SIGNATURE_CHECK]:
        out.write(
            wrapped(
                "Only the seller's signature is missing: to check the approval, the terms and "
                "the pages' text alone, run verify again with --content-only."
            )
        )
    return EXIT_OK if report.ok else EXIT_FAILED


def _read_pdf(path: str) -> bytes:
    return _read_bounded(path, 100 * 1024 * 1024, "PDF")


def _open_existing(args: argparse.Namespace) -> Database | None:
    """The database to take the organisation key from, when there is one already (verify
    never creates a database)."""
    from quote_builder.store.database import open_database

    try:
        return open_database(_db_url(args), create=False)
    except UserFacingError:
        if _db_url(args):
            raise
        return None


def _pct(value: Decimal | None, places: int | None = 1) -> str:
    """A percent as ``price`` and the app write it (``percent``): a margin or a share to
    one decimal (``84.6%``)."""
    return percent(value, places)


def _metric_map(pairs: list[str] | None) -> dict[str, str] | None:
    """``--map QUOTE_METRIC=LOG_METRIC`` (``*`` for all of the log's metrics)."""
    if not pairs:
        return None
    result: dict[str, str] = {}
    for pair in pairs:
        metric, sep, log_metric = pair.partition("=")
        if not sep or not metric.strip() or not log_metric.strip():
            raise UserFacingError(
                f"--map {pair!r}: write QUOTE_METRIC=LOG_METRIC (or QUOTE_METRIC=* for all)"
            )
        result[metric.strip()] = log_metric.strip()
    return result


def _counted(count: int, noun: str) -> str:
    """``1 row``, ``1,000 rows``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def cmd_usage(args: argparse.Namespace, out: TextIO) -> int:
    """`usage simulate LOG.csv [--quote FILE] [--map M=L] [--json]`: what each pricing model
    would have billed for the log's usage, our COGS and margin, and recommendations.
    `usage attach NUMBER LOG.csv` keeps the log's evidence with a saved quote (a new
    version); `usage detach NUMBER` removes it."""
    if args.action in ("attach", "detach"):
        return _usage_attach(args, out)
    from quote_builder.services.usage import simulate_usage_file
    from quote_builder.usage import report_to_dict

    if args.plan and args.quote:
        raise UserFacingError("--plan and --quote: give one of them")
    if args.map and not (args.plan or args.quote):
        raise UserFacingError(
            "--map: the templates read every metric of the log; --map applies with --quote "
            "or --plan"
        )
    plan_doc = None
    label = "quote"
    if args.plan:
        from quote_builder.services.plans import find_plan, plan_document

        with _open(args) as db:
            plan = find_plan(db, args.plan)
        plan_doc = plan_document(plan)
        label = f"plan {plan.name}"
    report = simulate_usage_file(
        Path(args.log),
        Path(args.quote) if args.quote else None,
        _metric_map(args.map),
        quote=plan_doc,
        quote_label=label,
    )
    if args.json:
        json.dump(report_to_dict(report), out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    pending = [""]

    def w(text: str) -> None:
        """Prose lines longer than 80 columns wrapped under their own indent (the tables
        are written to fit); a line written in parts is wrapped once it is whole."""
        pending[0] += text
        *lines, pending[0] = pending[0].split("\n")
        for body in lines:
            if len(body) <= 80:
                out.write(body + "\n")
            else:
                indent = len(body) - len(body.lstrip(" "))
                out.write(_wrapped(body.strip(), indent=indent, hang=2))

    cur = report.currency
    month_count = len(report.months)
    w(
        f"Usage log {report.source}\n  {_counted(report.rows, 'row')}, "
        f"{_counted(report.users, 'user')}, {_counted(month_count, 'month')} "
        f"({report.months[0]} to {report.months[-1]}), "
        f"metrics {', '.join(report.metrics)}\n"
    )
    from quote_builder.pricing.evidence import few_months

    basis = (
        f"quietest / median / busiest of {len(report.months)} month"
        + ("s" if len(report.months) != 1 else "")
        if few_months(len(report.months))
        else "p10 / median / p90 month"
    )
    titles = [m.title for m in report.models]
    w(f"\nModels over the log ({cur})\n")
    _columns(
        out,
        ["Model", "Total bill", "COGS", "Margin", "Top 20%"],
        [
            [
                m.title,
                f"{m.total_bill:,}",
                f"{m.total_cogs:,}",
                _pct(m.margin_percent),
                _pct(m.top_users_share_percent),
            ]
            for m in report.models
        ],
        notes=[list(m.notes) for m in report.models],
    )
    w(
        _wrapped(
            "Top 20%: the share of each bill paid for the heaviest 20% of this log's users "
            "(how concentrated usage is inside this account; not a playbook benchmark, whose "
            "top-20% figure is about customers across a book of business).",
            indent=2,
        )
    )
    w(f"\nBill range ({cur}; {basis})\n")
    _columns(
        out,
        ["Model", "Low", "Expected", "High"],
        [
            [
                m.title,
                f"{m.bill_range.low:,}",
                f"{m.bill_range.expected:,}",
                f"{m.bill_range.high:,}",
            ]
            for m in report.models
        ],
    )
    w(f"\nMonthly bills ({cur})\n")
    _month_columns(
        out,
        titles,
        [[f"{m.months[i].bill:,}" for m in report.models] for i in range(len(report.months))],
        list(report.months),
    )

    c, p, s = report.credits, report.platform, report.seats
    w("\nRecommendations\n")
    w(
        f"  Credits: {c.allocation_per_seat:,} per seat a month. 80% of users' busiest month is at "
        f"most {c.p80_peak_usage:,}; {c.users_under_half} of {c.users} users use under half "
        f"({c.basis}).\n"
    )
    if c.current_allocation is not None:
        w(
            f"  Current allocation {c.current_allocation:,}: {_pct(c.current_share_under_half_percent)}"
            " of users use under half (the rule wants 80%).\n"
        )
    w(
        f"  Platform fee: include {p.included_units:,} units a month of {p.metric} (the median "
        f"month; p10 {p.monthly_p10:,}, p90 {p.monthly_p90:,}). "
    )
    if not p.unit_cost and not p.fixed_cost:
        w(f"No unit cost or fixed cost is known for {p.metric}: give them for a fee floor.\n")
    else:
        w(
            f"Fee floor {p.platform_fee_floor:,} = (fixed cost {p.fixed_cost:,} + "
            f"{p.included_units:,} x {p.unit_cost}) / (1 - {percent(p.target_margin_percent, None)}).\n"
        )
    if p.break_even_units is not None:
        w(
            f"  Overage break-even: a fee of {p.platform_fee:,} pays for {p.break_even_units:,} "
            f"units a month at the target margin; {p.months_above_break_even} of "
            f"{month_count} month{'s' if month_count != 1 else ''} went above it. Overage price {p.overage_price} "
            f"(floor {p.overage_price_floor} at the target margin).\n"
        )
    flag = "FLAG" if s.flagged else "ok"
    w(
        f"  Seats [{flag}]: usage per user a month median {s.median_per_user:,}, p90 "
        f"{s.p90_per_user:,}, mean {s.mean_per_user:,}; coefficient of variation "
        f"{s.coefficient_of_variation if s.coefficient_of_variation is not None else 'n/a'}, "
        f"p90/median {s.p90_to_median if s.p90_to_median is not None else 'n/a'}. "
        f"{s.reason[:1].upper()}{s.reason[1:]}\n"
    )
    for note in report.notes:
        w(f"\nNote: {note}\n")
    out.write(pending[0])
    return EXIT_OK


def _usage_attach(args: argparse.Namespace, out: TextIO) -> int:
    from quote_builder.pricing.evidence import evidence_bills, few_months
    from quote_builder.services import quotes as quote_service
    from quote_builder.services.usage import attach_usage_log, detach_usage_log

    with _open(args) as db:
        if args.action == "detach":
            row = detach_usage_log(db, args.number, actor=_actor(args)).value
            out.write(f"{row.number}: usage evidence removed (version {row.latest_version})\n")
            return EXIT_OK
        row = attach_usage_log(
            db, args.number, Path(args.log), actor=_actor(args), metric_map=_metric_map(args.map)
        ).value
        document = quote_service.open_version(db, row.id).document
    bills = evidence_bills(document)
    evidence = document.usage_evidence
    assert bills is not None and evidence is not None
    out.write(
        f"{row.number}: usage evidence from {evidence.source_name} kept in version "
        f"{row.latest_version} ({_counted(evidence.rows, 'row')}, "
        f"{_counted(evidence.users, 'user')}, {_counted(len(evidence.months), 'month')})\n"
        + (
            f"  Monthly bill over the log ({document.currency}): quiet {bills.low:,}, typical "
            f"{bills.expected:,}, busy {bills.high:,} (quietest / median / busiest of "
            f"{len(evidence.months)} month{'s' if len(evidence.months) != 1 else ''})\n"
            if few_months(len(evidence.months))
            else f"  Monthly bill over the log ({document.currency}): low {bills.low:,}, "
            f"expected {bills.expected:,}, high {bills.high:,} (p10 / median / p90 month)\n"
        )
    )
    for feed in bills.feeds:
        out.write(f"  {feed.metric} reads {feed.describe()} ({feed.source})\n")
    for note in bills.notes:
        out.write(f"  note: {note}\n")
    if bills.incomplete:
        names = ", ".join(bills.incomplete)
        out.write(
            f"  Not used in the proposal: {names} read nothing from the log, so the range "
            f"would leave charges out. Attach again with --map {bills.incomplete[0]}=LOG_METRIC, "
            f"or --map {bills.incomplete[0]}=- if it was not used in the log's months.\n"
        )
    return EXIT_OK


def _render_options(render: argparse.ArgumentParser) -> None:
    add_database_options(render)
    render.add_argument(
        "source",
        metavar="FILE_OR_QUOTE_NUMBER",
        help="a quote JSON file (- reads standard input), or a saved quote's number",
    )
    render.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT.pdf",
        help="the PDF to write (- for standard output); an existing file is replaced whole",
    )
    render.add_argument(
        "--document",
        choices=("proposal", "contract", "both"),
        default="both",
        help="which document (default: both, in one PDF)",
    )
    render.add_argument(
        "--html",
        metavar="OUT.html",
        help="also write the HTML, self-contained: styles, fonts and images inside the file "
        "(- for standard output)",
    )
    render.add_argument(
        "--pdf-a",
        action="store_true",
        help="PDF/A-3a (archival, tagged); every PDF attaches the customer's terms (terms.json)",
    )
    render.add_argument("--version", type=int, help="a saved quote's version (default: the latest)")
    render.add_argument(
        "--as-sent",
        action="store_true",
        help="an accepted quote: the file as sent (signed by you alone) instead of the one "
        "the customer signed",
    )
    render.add_argument(
        "--language",
        choices=("en", "de", "fr", "es", "ja"),
        help="the documents' language (default: the quote's, else its customer's, else the "
        "customer's country's, else en)",
    )
    render.add_argument(
        "--locale",
        help="number and date format, a locale of the documents' language (default: the "
        "language's: en_US, de_DE, fr_FR, es_ES, ja_JP); alone, it also sets the language "
        "(--locale de_CH writes German)",
    )
    render.set_defaults(handler=cmd_render)


def _selftest_options(selftest: argparse.ArgumentParser) -> None:
    selftest.set_defaults(handler=cmd_selftest)


def _demo_options(demo: argparse.ArgumentParser) -> None:
    add_database_options(demo)
    demo.set_defaults(handler=cmd_demo)


def _backup_options(backup: argparse.ArgumentParser) -> None:
    add_database_options(backup)
    backup.add_argument(
        "path",
        metavar="PATH",
        help="a new backup file, or a folder (created if it ends with /) to put a timestamped file in",
    )
    backup.add_argument(
        "--overwrite", action="store_true", help="replace PATH if it is an existing backup file"
    )
    backup.set_defaults(handler=cmd_backup)


def _restore_options(restore: argparse.ArgumentParser) -> None:
    add_database_options(restore)
    restore.add_argument("path", metavar="PATH", help="a backup made by quote-builder backup")
    restore.add_argument(
        "--wait",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="how long to wait for other programs to stop using the database (default 5)",
    )
    restore.set_defaults(handler=cmd_restore)


def _customers_options(customers: argparse.ArgumentParser) -> None:
    db = database_options()
    c_sub = customers.add_subparsers(dest="action", metavar="ACTION", required=True)
    c_list = c_sub.add_parser("list", parents=[db], help="list customers")
    c_list.add_argument("--search", help="part of the name or CRM id")
    c_list.add_argument("--limit", type=int, default=50, help="show at most N (default: 50)")
    c_list.add_argument("--archived", action="store_true", help="include archived customers")
    for name, what in (("import", "customers"), ("import-contacts", "contacts")):
        c_imp = c_sub.add_parser(
            name, parents=[db], help=f"import {what} from CSV (ours, HubSpot or Salesforce)"
        )
        c_imp.add_argument("file", metavar="FILE.csv", help="the CSV file (- reads standard input)")
    c_exp = c_sub.add_parser("export", parents=[db], help="export customers as CSV")
    c_exp.add_argument("-o", "--output", help="file to write (default: standard output)")
    customers.set_defaults(handler=cmd_customers)


def _plans_options(plans: argparse.ArgumentParser) -> None:
    db = database_options()
    p_sub = plans.add_subparsers(dest="action", metavar="ACTION", required=True)
    p_list = p_sub.add_parser("list", parents=[db], help="list plans")
    p_list.add_argument("--retired", action="store_true", help="include retired plans")
    p_imp = p_sub.add_parser("import", parents=[db], help="import plans from JSON")
    p_imp.add_argument("file", metavar="FILE.json", help="plans as JSON (- reads standard input)")
    p_exp = p_sub.add_parser("export", parents=[db], help="export plans as JSON")
    p_exp.add_argument("-o", "--output", help="file to write (default: standard output)")
    plans.set_defaults(handler=cmd_plans)


def _quotes_options(quotes: argparse.ArgumentParser) -> None:
    db = database_options()
    q_sub = quotes.add_subparsers(dest="action", metavar="ACTION", required=True)
    q_list = q_sub.add_parser("list", parents=[db], help="list quotes, last changed first")
    q_list.add_argument("--search", help="part of the number, title or customer name")
    q_list.add_argument(
        "--status",
        help="only quotes in this state: draft, pending_approval, approved, rejected, sent, "
        "accepted, lost, expired; or expiring_week, accepted_month",
    )
    q_list.add_argument("--limit", type=int, default=50, help="show at most N (default: 50)")
    q_show = q_sub.add_parser("show", parents=[db], help="a quote with its versions and history")
    q_show.add_argument("number", metavar="NUMBER", help="the quote number, e.g. Q-2026-0001")
    q_cmp = q_sub.add_parser(
        "compare", parents=[db], help="terms and totals of two versions side by side"
    )
    q_cmp.add_argument("number", metavar="NUMBER", help="the quote number")
    q_cmp.add_argument("a", type=int, metavar="VERSION_A", help="the first version's number")
    q_cmp.add_argument("b", type=int, metavar="VERSION_B", help="the second version's number")
    q_dup = q_sub.add_parser("duplicate", parents=[db], help="copy a quote into a new draft")
    q_dup.add_argument("number", metavar="NUMBER", help="the quote number")
    q_dup.add_argument("--version", type=int, help="the version to copy (default: the latest)")
    q_imp = q_sub.add_parser("import", parents=[db], help="a quote JSON file becomes a new quote")
    q_imp.add_argument(
        "file",
        metavar="FILE.json",
        help="a quote in the JSON quote format (- reads standard input)",
    )
    q_exp = q_sub.add_parser("export", parents=[db], help="a quote version as JSON")
    q_exp.add_argument("number", metavar="NUMBER", help="the quote number")
    q_exp.add_argument("--version", type=int, help="the version to export (default: the latest)")
    q_exp.add_argument("-o", "--output", help="file to write (default: standard output)")
    q_tax = q_sub.add_parser(
        "tax",
        parents=[db],
        help="decide the quote's tax again from the customer and the settings (a new version)",
    )
    q_tax.add_argument("number", metavar="NUMBER", help="the quote number")
    q_tax.add_argument(
        "--rate", metavar="PERCENT", help="your rate for this quote (US sales tax), e.g. 8.875"
    )
    q_tax.add_argument(
        "--confirm", action="store_true", help="confirm the rate (needed before sending as final)"
    )
    q_tax.add_argument("--none", action="store_true", help="no tax line: amounts before tax")
    quotes.set_defaults(handler=cmd_quotes)


def _rates_options(rates: argparse.ArgumentParser) -> None:
    db = database_options()
    r_sub = rates.add_subparsers(dest="action", metavar="ACTION", required=True)
    r_sub.add_parser("list", parents=[db], help="list the exchange rates")
    r_set = r_sub.add_parser("set", parents=[db], help="add or replace the rate of a pair")
    r_set.add_argument("base", metavar="FROM", help="the currency of one unit, e.g. USD")
    r_set.add_argument("quote", metavar="TO", help="the currency it buys, e.g. EUR")
    r_set.add_argument("rate", metavar="RATE", help="units of TO for one FROM, e.g. 0.9213")
    r_set.add_argument("--date", required=True, help="the rate's date, YYYY-MM-DD")
    r_set.add_argument("--source", required=True, help="where the rate comes from")
    r_imp = r_sub.add_parser(
        "import", parents=[db], help="import rates from CSV (From, To, Rate, Date, Source)"
    )
    r_imp.add_argument("file", metavar="FILE.csv", help="the CSV file (- reads standard input)")
    r_rm = r_sub.add_parser("remove", parents=[db], help="remove the rate of a pair")
    r_rm.add_argument("base", metavar="FROM", help="the currency of one unit, e.g. USD")
    r_rm.add_argument("quote", metavar="TO", help="the currency it buys, e.g. EUR")
    rates.set_defaults(handler=cmd_rates)


def _deal_options(deal: argparse.ArgumentParser) -> None:
    db = database_options()
    secret = _passphrase_options(CERTIFICATE_PASSPHRASE)
    d_sub = deal.add_subparsers(dest="action", metavar="ACTION", required=True)
    d_fin = d_sub.add_parser(
        "finalise",
        parents=[db, secret],
        help="render the final PDF, sign it with the seller's certificate, mark it sent "
        "(again: the same file)",
    )
    d_fin.add_argument("number", metavar="NUMBER", help="the quote to finalise")
    d_fin.add_argument("-o", "--output", metavar="FILE.pdf", help="write the sent PDF here")
    d_lost = d_sub.add_parser("lost", parents=[db], help="mark a quote lost, with a reason")
    d_lost.add_argument("number", metavar="NUMBER", help="the quote the customer declined")
    d_lost.add_argument(
        "--reason",
        required=True,
        help="price, competitor, no_budget, no_decision, timing, scope or other",
    )
    d_lost.add_argument("--details", help="in your words (needed with --reason other)")
    d_valid = d_sub.add_parser(
        "valid-until", parents=[db], help="change the offer's valid-until date (before sending)"
    )
    d_valid.add_argument("number", metavar="NUMBER", help="the quote")
    d_valid.add_argument("date", metavar="YYYY-MM-DD", help="the offer's last day")
    d_re = d_sub.add_parser(
        "reissue", parents=[db], help="a new version of an expired or lost quote"
    )
    d_re.add_argument("number", metavar="NUMBER", help="the expired or sent quote")
    d_re.add_argument(
        "--valid-until", required=True, metavar="YYYY-MM-DD", help="the new version's last day"
    )
    d_acc = d_sub.add_parser(
        "accept",
        parents=[db],
        help="record the customer's signed PDF (checked), or with --paper a signed paper copy",
    )
    d_acc.add_argument("number", metavar="NUMBER", help="the quote the customer accepted")
    d_acc.add_argument("file", metavar="FILE", help="the signed PDF, or the scan with --paper")
    d_acc.add_argument("--paper", action="store_true", help="a printed copy signed and scanned")
    d_acc.add_argument("--signed-by", help="who signed the paper copy")
    d_acc.add_argument("--signed-on", metavar="YYYY-MM-DD", help="when the paper copy was signed")
    d_acc.add_argument(
        "--other-signer",
        action="store_true",
        help="record it although someone other than the signatory the order form names "
        "signed it (you checked they may sign; the history says you confirmed it)",
    )
    d_renew = d_sub.add_parser(
        "renew", parents=[db], help="a renewal quote of an accepted quote (from its end)"
    )
    d_renew.add_argument("number", metavar="NUMBER", help="the accepted quote to renew")
    d_exp = d_sub.add_parser(
        "expand", parents=[db], help="an expansion of an accepted quote, co-termed to its end"
    )
    d_exp.add_argument("number", metavar="NUMBER", help="the accepted quote to expand")
    d_exp.add_argument(
        "--effective", required=True, metavar="YYYY-MM-DD", help="the day the expansion starts"
    )
    d_exp.add_argument(
        "--seats", action="append", metavar="COMPONENT=COUNT", help="seats added (repeatable)"
    )
    d_amend = d_sub.add_parser(
        "amend", parents=[db], help="an amendment of an accepted quote from a date"
    )
    d_amend.add_argument("number", metavar="NUMBER", help="the accepted quote to amend")
    d_amend.add_argument(
        "--effective", required=True, metavar="YYYY-MM-DD", help="the day the change applies"
    )
    d_con = d_sub.add_parser(
        "contracts",
        parents=[db],
        help="the contracts of the quote's customer: start, end, current ACV, what renews when",
    )
    d_con.add_argument("number", metavar="NUMBER", help="any quote of the customer")
    deal.set_defaults(handler=cmd_deal)


def _certificate_options(cert: argparse.ArgumentParser) -> None:
    secret = _passphrase_options(CERTIFICATE_PASSPHRASE)
    c_sub2 = cert.add_subparsers(dest="action", metavar="ACTION", required=True)
    c_sub2.add_parser("show", help="the installed certificate")
    c_trial = c_sub2.add_parser(
        "create-trial", parents=[secret], help="a self-signed certificate for a trial"
    )
    c_trial.add_argument("--name", required=True, help="the seller's name")
    c_trial.add_argument("--email", help="the seller's email address")
    c_trial.add_argument("--replace", action="store_true", help="replace the installed one")
    c_imp2 = c_sub2.add_parser("import", parents=[secret], help="install a PKCS#12 file")
    c_imp2.add_argument("file", metavar="FILE.p12", help="the PKCS#12 certificate file")
    c_imp2.add_argument("--replace", action="store_true", help="replace the installed one")
    cert.set_defaults(handler=cmd_certificate)


def _approval_options(approval: argparse.ArgumentParser) -> None:
    db = database_options()
    passphrase = _passphrase_options(KEY_PASSPHRASE)
    a_sub = approval.add_subparsers(dest="action", metavar="ACTION", required=True)
    a_key = a_sub.add_parser(
        "keygen", parents=[passphrase], help="create an approver's key pair (Ed25519)"
    )
    a_key.add_argument("name", metavar="NAME", help="the key's name, e.g. your own name")
    a_req = a_sub.add_parser(
        "request", parents=[db], help="ask for approval of a quote's latest version"
    )
    a_req.add_argument("number", metavar="NUMBER", help="the quote number")
    a_req.add_argument("-o", "--output", help="also write the request file for the deal desk")
    a_dec = a_sub.add_parser(
        "decide", parents=[db, passphrase], help="approve or reject a request, signed"
    )
    a_dec.add_argument(
        "request", metavar="FILE|NUMBER", help="a request file, a quote number or a request id"
    )
    choice = a_dec.add_mutually_exclusive_group(required=True)
    choice.add_argument(
        "--approve", action="store_true", dest="approve", default=None, help="approve the request"
    )
    choice.add_argument("--reject", action="store_false", dest="approve", help="reject it")
    a_dec.add_argument("--key", required=True, metavar="NAME", help="your key (approval keygen)")
    a_dec.add_argument("--comment", default="", help="a note for the rep, signed with the decision")
    a_dec.add_argument("--expires", metavar="YYYY-MM-DD", help="the approval's last day")
    a_dec.add_argument(
        "--condition", action="append", metavar="TEXT", help="a condition (repeatable)"
    )
    a_dec.add_argument("-o", "--output", help="write the signed decision file for the rep")
    a_exp = a_sub.add_parser(
        "export-decision",
        parents=[db],
        help="write a stored signed decision to a file again (for the rep)",
    )
    a_exp.add_argument(
        "decision",
        metavar="DECISION_ID_OR_QUOTE",
        help="a decision id, or a quote number (its latest decision)",
    )
    a_exp.add_argument("-o", "--output", help="file to write (default: standard output)")
    a_imp = a_sub.add_parser("import", parents=[db], help="import a signed decision file")
    a_imp.add_argument(
        "file", metavar="FILE", help="the decision file from the deal desk (- reads standard input)"
    )
    a_st = a_sub.add_parser(
        "status", parents=[db], help="why a quote needs approval, its requests and decisions"
    )
    a_st.add_argument("number", metavar="NUMBER", help="the quote number")
    a_tr = a_sub.add_parser(
        "trust",
        parents=[db],
        help="trust an approver's public key by hand (no organisation policy: unverified)",
    )
    a_tr.add_argument(
        "public_key",
        metavar="PUBLIC_KEY_FILE_OR_TEXT",
        help="the approver's public key: its file, or the key text itself",
    )
    a_tr.add_argument("--name", required=True, help="the approver's name")
    a_sub.add_parser(
        "keys", parents=[db], help="your keys and the approvers whose decisions count here"
    )
    a_sub.add_parser("pending", parents=[db], help="list pending approval requests")
    approval.set_defaults(handler=cmd_approval)


def _policy_options(policy: argparse.ArgumentParser) -> None:
    db = database_options()
    passphrase = _passphrase_options(KEY_PASSPHRASE)
    pol_sub = policy.add_subparsers(dest="action", metavar="ACTION", required=True)
    pol_init = pol_sub.add_parser(
        "init", parents=[db], help="write a policy source to edit (today's numbers)"
    )
    pol_init.add_argument("--organisation", required=True, help="the organisation's name")
    pol_init.add_argument("-o", "--output", help="file to write (default: standard output)")
    pol_sign = pol_sub.add_parser(
        "sign",
        parents=[passphrase],
        help="deal desk: sign a policy source with the organisation key",
    )
    pol_sign.add_argument(
        "source",
        metavar="SOURCE.json",
        help="the policy source (policy init; - reads standard input)",
    )
    pol_sign.add_argument("--key", required=True, metavar="NAME", help="the organisation key")
    pol_sign.add_argument("-o", "--output", help="the bundle to write (default: standard output)")
    pol_inst = pol_sub.add_parser(
        "install", parents=[db], help="install a signed policy bundle (a newer one replaces it)"
    )
    pol_inst.add_argument(
        "file", metavar="BUNDLE.json", help="the signed bundle (- reads standard input)"
    )
    pol_sub.add_parser("show", parents=[db], help="the installed policy and its fingerprint")
    policy.set_defaults(handler=cmd_policy)


def _verify_options(verify: argparse.ArgumentParser) -> None:
    add_database_options(verify)
    verify.add_argument(
        "file", metavar="FILE.pdf", help="the PDF to check (- reads standard input)"
    )
    verify.add_argument(
        "--org-key",
        metavar="KEY_FILE_OR_TEXT",
        help="the organisation's public key (default: the one of the policy installed in the "
        "database, when there is one)",
    )
    verify.add_argument(
        "--content-only",
        action="store_true",
        help="check the approval, the terms and the pages' text of a PDF without the seller's "
        "signature (without this option a PDF the seller did not sign fails)",
    )
    verify.set_defaults(handler=cmd_verify)


def _usage_options(usage: argparse.ArgumentParser) -> None:
    db = database_options()
    u_sub = usage.add_subparsers(dest="action", metavar="ACTION", required=True)
    u_sim = u_sub.add_parser(
        "simulate", help="bills, COGS and margin of each model for a usage log (CSV)"
    )
    u_sim.add_argument(
        "log",
        metavar="LOG.csv",
        help="columns timestamp, user, metric, quantity[, success, attributed_value]",
    )
    u_sim.add_argument(
        "--quote", metavar="FILE", help="price the quote's model with its components"
    )
    u_sim.add_argument(
        "--plan", metavar="NAME", help="price a catalog plan's model with its components"
    )
    u_sim.add_argument("--db", metavar="URL", help="the database holding the plan (with --plan)")
    map_help = (
        "which log metric a quote metric reads, e.g. ai_operations=api_call or ai_operations=*"
    )
    u_sim.add_argument("--map", action="append", metavar="METRIC=LOG_METRIC", help=map_help)
    u_sim.add_argument("--json", action="store_true", help="print the report as JSON")
    u_att = u_sub.add_parser(
        "attach",
        parents=[db],
        help="keep a usage log's evidence with a saved quote (its bill range goes in the proposal)",
    )
    u_att.add_argument("number", metavar="NUMBER", help="the quote number")
    u_att.add_argument("log", metavar="LOG.csv", help="the usage log")
    u_att.add_argument("--map", action="append", metavar="METRIC=LOG_METRIC", help=map_help)
    u_det = u_sub.add_parser("detach", parents=[db], help="remove a quote's usage evidence")
    u_det.add_argument("number", metavar="NUMBER", help="the quote number")
    usage.set_defaults(handler=cmd_usage)


def register(sub: Commands) -> None:
    """The database commands (each one's options are added when it is used: cli_parser)."""
    sub.add_command("render", _render_options, help="render the proposal and contract terms as PDF")
    sub.add_command(
        "selftest",
        _selftest_options,
        help="check this installation: shipped files, the PDF renderer process and the "
        "database process (a temporary database; yours is not touched)",
    )
    sub.add_command(
        "demo", _demo_options, help="fill an empty database with demo plans, customers and quotes"
    )
    sub.add_command("backup", _backup_options, help="copy the database (safe while the app runs)")
    sub.add_command("restore", _restore_options, help="replace the database with a backup")
    sub.add_command("customers", _customers_options, help="list, import and export customers")
    sub.add_command("plans", _plans_options, help="list, import and export catalog plans")
    sub.add_command(
        "quotes", _quotes_options, help="list, show, compare, duplicate, import and export quotes"
    )
    sub.add_command(
        "rates", _rates_options, help="the exchange-rate table: list, set, import, remove"
    )
    sub.add_command(
        "deal",
        _deal_options,
        help="a quote's life: finalise (send), lost, valid-until, re-issue, accept; renew, "
        "expand, amend; the customer's contracts",
    )
    sub.add_command(
        "certificate", _certificate_options, help="the seller's signing certificate (PKCS#12)"
    )
    sub.add_command(
        "approval", _approval_options, help="deal-desk approval: keys, requests, signed decisions"
    )
    sub.add_command(
        "policy",
        _policy_options,
        help="the organisation's signed approval policy: write, sign, install, show",
    )
    sub.add_command(
        "verify",
        _verify_options,
        help="check a final PDF's approval: terms, signature, policy, authority, separation",
    )
    sub.add_command(
        "usage", _usage_options, help="usage evidence: simulate the pricing models over a usage log"
    )
