"""The ``quote-builder`` command line.

Exit status: 0 on success, 2 for bad input (every problem on its own line, naming the field
path and the reason), never a traceback for a user's mistake.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path
from typing import TextIO

from quote_builder import cli_db
from quote_builder.errors import UserFacingError
from quote_builder.pricing import PricedQuote, QuoteDocument, QuoteFileError, priced_to_dict
from quote_builder.pricing.advisor import recommend
from quote_builder.pricing.document import AdvisorAnswers
from quote_builder.pricing.playbook import CATEGORY_PROFILES, ProductCategory
from quote_builder.pricing.quote_format import json_schema
from quote_builder.services.pricing import price_quote_file

EXIT_OK = 0
EXIT_BAD_INPUT = 2


_FOUR_PLACES = Decimal("0.0001")


def _money(amount: Decimal) -> str:
    """An amount already in the currency's minor unit, thousands separated; never -0.00."""
    return f"{amount if amount else abs(amount):,}"


def _num(value: Decimal) -> str:
    """A breakdown figure: up to 4 decimals, no trailing zeros, thousands separated.

    The engine's figures have up to 60 significant digits (a quantity near 10^12 times a
    price near 10^12 with 10 decimals): quantizing them in the default 28-digit context
    raises InvalidOperation, so format in a context as wide as the engine's."""
    with localcontext(prec=60):
        shown = value.quantize(_FOUR_PLACES).normalize()
    return f"{shown if shown else abs(shown):,f}"


def _percent(value: Decimal | None, places: str = "") -> str:
    """A percent as the engine gives it, or rounded once (half up) to ``places``."""
    if value is None:
        return "n/a"
    if places:
        with localcontext(prec=60):
            value = value.quantize(Decimal(places), ROUND_HALF_UP)
    return f"{value:,}%"


def format_priced(doc: QuoteDocument, priced: PricedQuote, out: TextIO) -> None:
    cur = priced.currency
    w = out.write
    heading = " ".join(x for x in (doc.quote_number or "", doc.title) if x) or "Quote"
    w(f"{heading}\n")
    w(
        f"Customer: {doc.customer.name}    Currency: {cur}    Term: {doc.term_months} months from "
        f"{doc.start_date.isoformat()}, billed {doc.billing_frequency}\n"
    )
    if priced.escalations:
        w(
            f"Escalator: {doc.escalator_percent}% a year, from "
            f"{priced.escalations[0].effective.isoformat()}\n"
        )
    w("\nContract years\n")
    header = f"  {'Year':<5}{'From':<12}{'To':<12}{'Revenue':>16}{'Discounts':>14}{'COGS':>14}{'Margin':>9}\n"
    w(header)
    for y in priced.years:
        w(
            f"  {y.year:<5}{y.start.isoformat():<12}{y.end.isoformat():<12}{_money(y.revenue):>16}"
            f"{_money(y.discounts):>14}{_money(y.cogs):>14}{_percent(y.gross_margin_percent):>9}\n"
        )
    w(
        f"\n  TCV {_money(priced.tcv)} {cur}    list {_money(priced.list_tcv)}    "
        f"effective discount {priced.effective_discount_percent}%\n"
    )
    w(
        f"  First-year ACV (recurring fees) {_money(priced.first_year_acv)} {cur}    first-year "
        f"spend (one-time fees included) {_money(priced.years[0].revenue)}\n"
        f"  Average month (year 1) {_money(priced.average_monthly)}    gross margin "
        f"{_percent(priced.gross_margin_percent)}\n"
    )

    w("\nComponents, contract year 1\n")
    for row in priced.components:
        year = row.years[0]
        w(
            f"  {row.name} ({row.label}){_money(year.amount):>{max(1, 56 - len(row.name) - len(row.label))}}\n"
        )
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
            w(f"         {invoice_line.description:<44}{_money(invoice_line.amount):>14}\n")

    if priced.value is not None:
        v = priced.value
        w("\nValue\n")
        w(
            f"  Value per unit {_money(v.value_per_unit)}; year-1 value {_money(v.annual_value)} "
            f"for a first-year spend of {_money(v.annual_spend)}\n"
        )
        w(
            f"  Value capture {_percent(v.value_capture_percent)}, customer savings "
            f"{_percent(v.customer_savings_percent)}, ROI {_percent(v.roi_percent, '0.1')}, payback "
            f"{v.payback_months if v.payback_months is not None else 'n/a'} months\n"
        )
        low, high = v.suggested_price_band
        w(
            f"  Suggested price per unit {low.quantize(Decimal('0.01'))}-{high.quantize(Decimal('0.01'))}"
        )
        if v.cost_anchored_price is not None:
            w(f"; cost-anchored price {v.cost_anchored_price.quantize(Decimal('0.01'))}")
        if v.value_vs_cost_multiple is not None:
            w(f"; this price is {v.value_vs_cost_multiple}x the cost-anchored price")
        w("\n")

    w("\nWarnings\n")
    if not priced.warnings:
        w("  none\n")
    for warning in priced.warnings:
        w(f"  [{warning.severity}] {warning.code}: {warning.message}\n")


def _cmd_price(args: argparse.Namespace, out: TextIO) -> int:
    doc, priced = price_quote_file(Path(args.file))
    if args.json:
        json.dump(priced_to_dict(priced), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        format_priced(doc, priced, out)
    return EXIT_OK


def _cmd_advise(args: argparse.Namespace, out: TextIO) -> int:
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
    category = ProductCategory(args.category) if args.category else None
    for rank, rec in enumerate(recommend(category, answers), start=1):
        p = rec.profile
        out.write(
            f"{rank}. {rec.title} (score {rec.score}): gross margin {p.margin_text()}; "
            f"NRR {p.nrr_text()}\n"
        )
        for reason in rec.rationale:
            out.write(f"     - {reason}\n")
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    json.dump(json_schema(), out, indent=2)
    out.write("\n")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quote-builder",
        description="Price AI-native SaaS deals: quotes, value anchoring and guardrails. "
        "Without a command: open the database (offering demo data on the first run).",
    )
    parser.add_argument("--db", dest="db_global", metavar="URL", help="database URL or SQLite file")
    parser.add_argument("--user", dest="user_global", help="who is acting")
    parser.add_argument(
        "--create",
        dest="create_global",
        action="store_true",
        help="make a new, empty database when --db names a file that does not exist",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("price", help="price a quote JSON file")
    p.add_argument(
        "file", metavar="FILE", help="a quote in the JSON quote format (docs/quote-format.md)"
    )
    p.add_argument("--json", action="store_true", help="print the priced quote as JSON")
    p.set_defaults(handler=_cmd_price)

    yes_no = ("yes", "no")
    a = sub.add_parser("advise", help="rank the five pricing models for a product")
    a.add_argument("--category", choices=[c.value for c in CATEGORY_PROFILES])
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

    s = sub.add_parser("schema", help="print the JSON Schema of the quote format")
    s.set_defaults(handler=_cmd_schema)
    cli_db.register(sub)
    # `gui` is handled by quote_builder.launcher (nothing below the launcher imports ui);
    # it is listed here so that --help shows it.
    g = sub.add_parser("gui", parents=[cli_db.database_options()], help="open the desktop window")
    g.add_argument(
        "--exit-after-startup",
        action="store_true",
        help="show the window, print the seconds from process start, and exit",
    )
    return parser


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own usage message
        return EXIT_BAD_INPUT if exc.code else EXIT_OK
    try:
        if args.command is None:
            return cli_db.cmd_start(args, out, ask=sys.stdin.isatty() and out is sys.stdout)

        code: int = args.handler(args, out)
        return code
    except QuoteFileError as exc:
        for problem in exc.problems:
            err.write(f"{exc.source + ': ' if exc.source else ''}{problem}\n")
        return EXIT_BAD_INPUT
    except UserFacingError as exc:
        err.write(f"{exc}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
