"""The ``quote-builder`` command line.

Exit status (the same for every command; README "Exit status"):

- 0: done.
- 1: the command ran and failed: a file could not be written (full disk, read-only
  folder), a save lost a race with another save, ``verify`` found a check that does not
  hold, or an internal error (a bug: Python's traceback, then 1).
- 2: bad input: a wrong option or argument, a file that is not valid (every problem on its
  own line, naming the file, the field and the reason), a name or number that does not
  exist (a quote, a file, the database named by --db), an output name that cannot be used
  (a folder, a database), an action the quote's state does not allow. Fix the input and
  run it again.
- 3: the database cannot be used: damaged, not a Quote Builder database, of a newer Quote
  Builder, locked or unreachable (a full disk, a lost server). Nothing was changed.
- 130: interrupted (Ctrl+C).

Never a traceback for a user's mistake. ``-`` stands for standard input where a file is
read (``price -``, ``render - -o out.pdf``, the import commands) and for standard output
where one is written (``render ... -o -``, ``--html -``, ``-o -`` of the exports).

The pricing engine and the services are imported by the commands that use them, so
``--version``, ``--help`` and ``completion`` start without loading pydantic, SQLAlchemy or
WeasyPrint.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal, localcontext
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from quote_builder import cli_db
from quote_builder.errors import (  # the exit statuses are shared with the app
    EXIT_BAD_INPUT,
    EXIT_DATABASE,  # noqa: F401  (tests and callers import it from here)
    EXIT_FAILED,  # noqa: F401
    EXIT_INTERRUPTED,
    EXIT_OK,
    UserFacingError,
    exit_status,
)

if TYPE_CHECKING:
    from quote_builder.documents.formatting import Formatter
    from quote_builder.pricing import PricedQuote, QuoteDocument

CATEGORIES = (
    "coding_assistant_individual",
    "coding_assistant_team",
    "customer_support",
    "document_processing",
    "sales_intelligence",
    "legal_review",
    "recruiting",
    "analytics_copilot",
    "content_generation",
)
"""The playbook's product categories (pricing.playbook.ProductCategory; a test keeps the two
equal). Listed here so that building the parser does not import the pricing engine."""


_FOUR_PLACES = Decimal("0.0001")


def _numbers() -> Formatter:
    from quote_builder.services.words import formatter

    return formatter("USD", cli_db.CLI_LOCALE)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _money(amount: Decimal) -> str:
    """An amount already in the currency's minor unit, thousands separated; never -0.00."""
    return _numbers().number(amount if amount else abs(amount), _places(amount))


def _num(value: Decimal) -> str:
    """A breakdown figure: up to 4 decimals, no trailing zeros, thousands separated.

    The engine's figures have up to 60 significant digits (a quantity near 10^12 times a
    price near 10^12 with 10 decimals): quantizing them in the default 28-digit context
    raises InvalidOperation, so round in a context as wide as the engine's."""
    with localcontext(prec=60):
        shown = value.quantize(_FOUR_PLACES).normalize()
        shown = shown if shown else abs(shown)
        return _numbers().number(shown, _places(shown))


def _percent(value: Decimal | None, places: int | None = 1) -> str:
    """A margin or a share to ``places`` decimals (``84.6%``), or (None) a discount, an
    escalator or a tax rate with the digits it has (``25%``, ``10.01%``): ``cli_db.percent``."""
    return cli_db.percent(value, places)


def format_priced(doc: QuoteDocument, priced: PricedQuote, out: TextIO) -> None:
    """The priced quote for a reader at a terminal: it fits 80 columns (the terminal's
    width when wider): lines of words wrap, long names are cut with "…", amounts stay
    whole."""
    from quote_builder.cli_table import elided, terminal_width, wrapped

    cur = priced.currency
    w = out.write
    width = terminal_width()

    def say(text: str, hang: int = 2) -> None:
        """A line of words (its indent kept), wrapped to the width."""
        body = text.lstrip(" ")
        w(wrapped(body, indent=len(text) - len(body), hang=hang, width=width))

    heading = " ".join(x for x in (doc.quote_number or "", doc.title) if x) or "Quote"
    say(heading)
    say(
        f"Customer: {doc.customer.name}    Currency: {cur}    Term: {doc.term_months} months from "
        f"{doc.start_date.isoformat()}, billed {doc.billing_frequency}"
    )
    if priced.escalations:
        w(
            f"Escalator: {_percent(doc.escalator_percent, None)} a year, from "
            f"{priced.escalations[0].effective.isoformat()}\n"
        )
    w("\nContract years\n")
    # Each amount column two characters wider than its longest amount (or its heading), so
    # amounts in the hundreds of millions never run into the next column
    # ("528,656,261.16146,..."), and the table fits 80 columns for amounts in the millions.
    rows = [
        (_money(y.revenue), _money(y.discounts), _money(y.cogs), _percent(y.gross_margin_percent))
        for y in priced.years
    ]
    rw, dw, cw = (
        max([default, *(len(row[i]) + 2 for row in rows)]) for i, default in enumerate((14, 14, 12))
    )
    w(
        f"  {'Year':<5}{'From':<12}{'To':<12}{'Revenue':>{rw}}{'Discounts':>{dw}}{'COGS':>{cw}}"
        f"{'Margin':>9}\n"
    )
    for y, (revenue, discounts, cogs, margin) in zip(priced.years, rows, strict=True):
        w(
            f"  {y.year:<5}{y.start.isoformat():<12}{y.end.isoformat():<12}{revenue:>{rw}}"
            f"{discounts:>{dw}}{cogs:>{cw}}{margin:>9}\n"
        )
    w("\n")
    say(
        f"  TCV {_money(priced.tcv)} {cur}    list {_money(priced.list_tcv)}    "
        f"effective discount {_percent(priced.effective_discount_percent, None)}"
    )
    say(
        f"  First-year ACV (recurring fees) {_money(priced.first_year_acv)} {cur}    first-year "
        f"spend (one-time fees included) {_money(priced.years[0].revenue)}"
    )
    say(
        f"  Average month (year 1) {_money(priced.average_monthly)}    gross margin "
        f"{_percent(priced.gross_margin_percent)}"
    )

    fx = doc.exchange_rate
    if fx is not None:
        say(
            f"  Costs and margin in {fx.seller_currency}: revenue converted at {fx.rate} "
            f"{cur} per {fx.seller_currency} ({fx.as_of.isoformat()}, {fx.source}): "
            f"{_money(priced.total_margin_revenue)} {fx.seller_currency}, COGS "
            f"{_money(priced.total_cogs)} {fx.seller_currency}"
        )
    if doc.tax is not None:
        from quote_builder.pricing.tax import tax_breakdown, tax_name

        tax = tax_breakdown(priced, doc.tax)
        say(
            f"  {tax_name(doc.tax.kind)} ({doc.tax.rule.replace('_', ' ')}, "
            f"{_percent(doc.tax.rate_percent, None)}): subtotal {_money(tax.subtotal)} {cur}, tax "
            f"{_money(tax.tax)} {cur}, total including tax {_money(tax.total)} {cur} "
            "(tax is not revenue)"
        )

    w("\nComponents, contract year 1\n")
    from quote_builder.pricing.usage import seat_counts

    counts = seat_counts(doc)
    for row in priced.components:
        year = row.years[0]
        # The amount ends at column 61; a name too long for that keeps two spaces before it
        # ("… (Percent of attributed value)20,171.77" read as one word).
        amount = _money(year.amount)
        named = "  " + elided(f"{row.name} ({row.label})", width - 4 - len(amount))
        w(f"{named}{' ' * max(2, 61 - len(named) - len(amount))}{amount}\n")
        if row.component_id in counts[0] and not counts[0][row.component_id]:
            # A seats line without a seat in year 1, said so as the documents say it.
            later = next(
                (
                    (number, by_id[row.component_id])
                    for number, by_id in enumerate(counts, start=1)
                    if by_id[row.component_id]
                ),
                None,
            )
            if later is None:
                w("      no seats ordered\n")
            else:
                w(f"      no seats in year 1, {_num(later[1])} from contract year {later[0]}\n")
        for line in year.lines:
            if line.quantity == 0 and line.amount == 0:
                continue
            flat = f" + {_money(line.flat_fee)}" if line.flat_fee else ""
            w(
                f"      {line.label}: {_num(line.quantity)} x {_num(line.unit_price)}{flat}"
                f" = {_num(line.amount)}\n"
            )

    w("\nBilling schedule\n")
    for p in priced.periods:
        w(f"  {p.index:>3}  {p.start.isoformat()} to {p.end.isoformat()} {_money(p.total):>15}\n")
        for invoice_line in p.lines:
            seats = counts[p.contract_year - 1].get(invoice_line.component_id or "")
            if seats == 0 and invoice_line.kind == "charge" and not invoice_line.amount:
                continue  # a seats line without seats that year: as the documents
            w(
                f"         {elided(invoice_line.description, 44):<44}"
                f"{_money(invoice_line.amount):>14}\n"
            )
            # A monthly minimum over months some of which meet it: each month's true-up,
            # which add up to the line.
            for m in invoice_line.months:
                outcome = f"true-up {_money(m.true_up)}" if m.true_up else "met"
                w(
                    f"           {m.month:%Y-%m}: {_money(m.spend)} counts toward "
                    f"{_money(m.minimum)}, {outcome}\n"
                )

    if priced.value is not None:
        v = priced.value
        w("\nValue\n")
        say(
            f"  Value per unit {_num(v.value_per_unit)}; year-1 value {_money(v.annual_value)} "
            f"for a first-year spend of {_money(v.annual_spend)}"
        )
        say(
            f"  Value capture {_percent(v.value_capture_percent)}, customer savings "
            f"{_percent(v.customer_savings_percent)}, ROI {_percent(v.roi_percent)}, payback "
            f"{v.payback_months if v.payback_months is not None else 'n/a'} months"
        )
        low, high = v.suggested_price_band
        band = (
            f"  Suggested price per unit {_numbers().number(low, 2)}-{_numbers().number(high, 2)}"
        )
        if v.cost_anchored_price is not None:
            band += f"; cost-anchored price {_numbers().number(v.cost_anchored_price, 2)}"
        if v.value_vs_cost_multiple is not None:
            band += f"; this price is {v.value_vs_cost_multiple}x the cost-anchored price"
        say(band)

    w("\nWarnings\n")
    if not priced.warnings:
        w("  none\n")
    for warning in priced.warnings:
        say(
            f"  [{warning.severity}] {warning.code}: "
            f"{cli_db.says(warning.message, warning.params)}",
            hang=4,
        )


def _cmd_price(args: argparse.Namespace, out: TextIO) -> int:
    """Price every file first, print only when all are valid: a script reading the output
    never gets some quotes and not others. Every bad file's problems are reported."""
    from quote_builder.pricing import QuoteFileError, price
    from quote_builder.pricing.serialize import quote_to_dict
    from quote_builder.services.pricing import read_quote_file, read_quote_stream

    if args.files.count("-") > 1:
        raise cli_db.BadArgumentError("price: standard input (-) can be read only once")
    results: list[tuple[QuoteDocument, PricedQuote]] = []
    problems: list[QuoteFileError] = []
    for name in args.files:
        try:
            if name == "-":
                doc = read_quote_stream(cli_db.binary_stdin())
            else:
                doc = read_quote_file(Path(name))
        except QuoteFileError as exc:
            problems.append(exc)
            continue
        results.append((doc, price(doc)))
    if problems:
        raise QuoteFileError(
            [f"{e.source + ': ' if e.source else ''}{p}" for e in problems for p in e.problems]
        )
    if args.json:
        data = [quote_to_dict(doc, priced) for doc, priced in results]
        json.dump(data[0] if len(data) == 1 else data, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for i, (doc, priced) in enumerate(results):
            if len(results) > 1:
                out.write(f"{'' if i == 0 else chr(10)}== {args.files[i]}\n")
            format_priced(doc, priced, out)
    return EXIT_OK


def _cmd_advise(args: argparse.Namespace, out: TextIO) -> int:
    from quote_builder.pricing.advisor import recommend
    from quote_builder.pricing.document import AdvisorAnswers
    from quote_builder.pricing.playbook import ProductCategory

    def answer(value: str | None) -> bool | None:
        return None if value is None else value == "yes"

    answers = AdvisorAnswers(
        outcome_defined_and_verifiable=answer(args.outcome_verifiable),
        outcome_measurable_at_scale=answer(args.measurable_at_scale),
        ai_is_core_value=answer(args.ai_core),
        usage_tracks_headcount=answer(args.tracks_headcount),
        usage_intensity_variation=args.variation,
        outcome_is_revenue_with_attribution=answer(args.revenue_attribution),
        buyer_needs_predictable_bill=answer(args.predictable_bill),
        ai_cost_is_material=answer(args.ai_cost_material),
    )
    from quote_builder.cli_table import wrapped

    category = ProductCategory(args.category) if args.category else None
    for rank, rec in enumerate(recommend(category, answers), start=1):
        p = rec.profile
        out.write(
            wrapped(
                f"{rank}. {rec.title} (score {rec.score}): gross margin {p.margin_text()}; "
                f"NRR {p.nrr_text()}",
                hang=3,
            )
        )
        for reason in rec.rationale:
            out.write(wrapped(f"- {reason}", indent=5))
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    from quote_builder.pricing.quote_format import json_schema

    json.dump(json_schema(), out, indent=2)
    out.write("\n")
    return EXIT_OK


def _cmd_completion(args: argparse.Namespace, out: TextIO) -> int:
    from quote_builder.completion import completion_script

    out.write(completion_script(build_parser(), args.shell))
    return EXIT_OK


SHELLS = ("bash", "zsh", "fish")
"""The shells ``completion`` writes a script for (completion.SHELLS; a test keeps the two
equal). Listed here so that building the parser does not import the completion code."""


def _price_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="a quote in the JSON quote format (docs/quote-format.md); - reads standard input. "
        "Several files are priced in order; nothing is printed unless all are valid",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print the priced quote as JSON (several files: a JSON array, in order)",
    )
    p.set_defaults(handler=_cmd_price)


def _advise_options(a: argparse.ArgumentParser) -> None:
    yes_no = ("yes", "no")
    a.add_argument("--category", choices=CATEGORIES, help="the product's category (playbook)")
    a.add_argument(
        "--outcome-verifiable",
        choices=yes_no,
        help="is the outcome defined and verifiable by both parties?",
    )
    a.add_argument(
        "--measurable-at-scale", choices=yes_no, help="can you measure outcomes reliably at scale?"
    )
    a.add_argument(
        "--ai-core", choices=yes_no, help="is the AI the core value (not an enhancement)?"
    )
    a.add_argument("--tracks-headcount", choices=yes_no, help="does usage track headcount?")
    a.add_argument(
        "--variation", choices=("low", "medium", "high"), help="how much usage per user varies"
    )
    a.add_argument(
        "--revenue-attribution",
        choices=yes_no,
        help="is the outcome revenue with trackable attribution?",
    )
    a.add_argument(
        "--predictable-bill", choices=yes_no, help="does the buyer need a predictable bill?"
    )
    a.add_argument("--ai-cost-material", choices=yes_no, help="does AI usage create material COGS?")
    a.set_defaults(handler=_cmd_advise)


def _schema_options(s: argparse.ArgumentParser) -> None:
    s.set_defaults(handler=_cmd_schema)


def _completion_options(c: argparse.ArgumentParser) -> None:
    c.add_argument("shell", choices=SHELLS, metavar="SHELL", help=f"one of {', '.join(SHELLS)}")
    c.set_defaults(handler=_cmd_completion)


def _gui_options(g: argparse.ArgumentParser) -> None:
    cli_db.add_database_options(g)
    g.add_argument(
        "--exit-after-startup",
        action="store_true",
        help="show the window, print the seconds from process start, and exit",
    )


class _Parser(argparse.ArgumentParser):
    """argparse's refusals as sentences, as every other error of the command line
    ("quote-builder deal lost: error: The following arguments are required: --reason.")."""

    def error(self, message: str) -> NoReturn:
        from quote_builder.errors import as_sentence

        super().error(as_sentence(message))


def build_parser(*, lazy: bool = False) -> argparse.ArgumentParser:
    """The command line's parser. Every command's options are in it, unless ``lazy``: then
    a command's options are added when argparse reaches that command (cli_parser), which
    is what a run of one command needs (``main``)."""
    from quote_builder.cli_parser import Commands

    parser = _Parser(
        prog="quote-builder",
        description="Price AI-native SaaS deals: quotes, value anchoring and guardrails. "
        "Without a command: open the database (offering demo data on the first run).",
    )
    from quote_builder.about import version_line

    parser.add_argument(
        "--version", action="version", version=version_line(), help="print the version and exit"
    )
    parser.add_argument("--db", dest="db_global", metavar="URL", help="database URL or SQLite file")
    parser.add_argument(
        "--user",
        dest="user_global",
        metavar="NAME",
        help="who is acting (default: $QUOTE_BUILDER_USER or your login)",
    )
    parser.add_argument(
        "--create",
        dest="create_global",
        action="store_true",
        help="make a new, empty database when --db names a file that does not exist",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", action=Commands)
    assert isinstance(sub, Commands)
    sub.add_command("price", _price_options, help="price quote JSON files")
    sub.add_command("advise", _advise_options, help="rank the five pricing models for a product")
    sub.add_command("schema", _schema_options, help="print the JSON Schema of the quote format")
    sub.add_command(
        "completion",
        _completion_options,
        help="print the shell completion script (README: Shell completion)",
        description="Print a completion script for SHELL. Bash: "
        "quote-builder completion bash > ~/.local/share/bash-completion/completions/quote-builder",
    )
    cli_db.register(sub)
    # `gui` is handled by quote_builder.launcher (nothing below the launcher imports ui);
    # it is listed here so that --help shows it.
    sub.add_command("gui", _gui_options, help="open the desktop window")
    if not lazy:
        sub.build_all()
    return parser


def _sentences(text: str, error: BaseException) -> str:
    """An error's lines as the command line prints them: each a full sentence
    (``errors.as_sentence``), the file it names kept as written. A number typed wrong
    starts with the field and what was typed ("--rate: abc is not a number …"), kept."""
    from quote_builder.errors import as_sentence
    from quote_builder.numbers import NumberEntryError

    labels = [str(getattr(error, "source", "") or "")]
    labels += [
        str(p.params.get("source", ""))
        for p in getattr(error, "problems", None) or []
        if isinstance(getattr(p, "params", None), dict)
    ]
    capitalise = not isinstance(error, NumberEntryError) and not getattr(
        error, "starts_with_name", False
    )
    return "".join(
        as_sentence(line, labels=labels, capitalise=capitalise) + "\n" for line in text.split("\n")
    )


def _on_terminal(text: str, err: TextIO) -> str:
    """An error's lines wrapped to the terminal's width (80 columns at least) when standard
    error is a terminal (a sentence of 170 characters was cut mid-word by an 80-column
    terminal); whole lines, one per problem, when it goes to a file or a program."""
    try:
        terminal = err.isatty()
    except (AttributeError, ValueError):
        terminal = False
    if not terminal:
        return text
    from quote_builder.cli_table import wrapped

    lines = []
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip())
        lines.append(wrapped(line.strip(), indent=indent) if line.strip() else "\n")
    return "".join(lines)


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser(lazy=True)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own usage message
        return EXIT_BAD_INPUT if exc.code else EXIT_OK
    try:
        if args.command is None:
            return cli_db.cmd_start(args, out, ask=sys.stdin.isatty() and out is sys.stdout)

        from quote_builder.safe_files import command_inputs

        with command_inputs():  # a file the command reads is never the file it writes
            code: int = args.handler(args, out)
        return code
    except UserFacingError as exc:
        err.write(_on_terminal(_sentences(cli_db.error_text(exc), exc), err))
        return exit_status(exc)
    except ValueError as exc:
        from quote_builder.pricing import QuoteFileError

        if not isinstance(exc, QuoteFileError):
            raise
        for problem in exc.problems:
            line = _sentences(f"{exc.source + ': ' if exc.source else ''}{problem}", exc)
            err.write(_on_terminal(line, err))
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        err.write("Interrupted.\n")
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
