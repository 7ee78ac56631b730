"""Streaming import of a usage log (CSV), aggregated while it is read.

Columns (a header row names them, in any order, case-insensitive):

- ``timestamp``: ISO 8601 (``2026-01-31T23:30:00Z``, ``2026-01-31``). A timestamp with a
  time zone is converted to UTC; one without is read as UTC. Only its month is kept.
- ``user`` (or ``user_id``, ``seat``, ``seat_id``): who used the product.
- ``metric``: what was used (``ai_actions``, ``tickets`` ...).
- ``quantity``: a decimal, 0 or more.
- ``success`` (optional): ``true``/``false``/``1``/``0`` (also ``yes``/``no``); empty when
  unknown. Rows with ``success`` true are the outcomes.
- ``attributed_value`` (optional): a decimal, the value attributed to the event.

Rows are never held: each adds its quantity to one cell per (month, user, metric), so memory
grows with months x users x metrics, not with rows. Problems name the line, the column and
the reason; reading stops after ``MAX_PROBLEMS`` of them.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Final, TextIO

from quote_builder.csv_input import UNCLOSED_QUOTE, CsvLines, LineTooLongError, quote_opened_at
from quote_builder.errors import Sentence
from quote_builder.pricing.components import TransactionFee
from quote_builder.pricing.fields import MAX_DECIMAL_PLACES, MAX_MAGNITUDE

MAX_PROBLEMS: Final = 20
MAX_QUANTITY: Final = Decimal(10) ** 12
MAX_FIELD_CHARS: Final = 1000
MAX_METRICS: Final = 50
"""Metrics a log may have: a quote keeps the evidence of at most this many."""
MAX_METRIC_CHARS: Final = 200
"""A metric's name as a quote keeps it (``pricing.document.LogMetric``)."""
MAX_MONTH_TOTAL: Final = MAX_MAGNITUDE
"""A metric's quantity or attributed value in one month stays below it, as every quantity
in a quote does (``pricing.fields.MAX_MAGNITUDE``)."""
FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2999
"""Timestamps outside these years are mistakes (a zero date, 9999-12-31 as "never"); the
simulation also prices months from the first one on, which must stay inside Python's
calendar (year 1 to 9999)."""

_ALIASES: Final = {
    "timestamp": "timestamp",
    "time": "timestamp",
    "user": "user",
    "user_id": "user",
    "seat": "user",
    "seat_id": "user",
    "metric": "metric",
    "quantity": "quantity",
    "success": "success",
    "attributed_value": "attributed_value",
}
REQUIRED: Final = ("timestamp", "user", "metric", "quantity")
_TRUE: Final = frozenset(("true", "1", "yes", "y", "t"))
_FALSE: Final = frozenset(("false", "0", "no", "n", "f"))
_ZERO: Final = Decimal(0)


class UsageLogError(ValueError):
    """The log cannot be read: ``problems`` holds one ``line N, column C: reason`` each."""

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = problems
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__("\n".join(prefix + p for p in problems))


def month_label(index: int) -> str:
    """``YYYY-MM`` of a month index (year x 12 + month - 1)."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(slots=True)
class Cell:
    """One (month, user, metric): summed quantity, quantity of successful rows, value."""

    quantity: Decimal = _ZERO
    successes: Decimal = _ZERO
    value: Decimal = _ZERO
    events: int = 0
    fees: dict[str, Decimal] | None = None
    """Per transaction-fee component id: the sum of each row's own fee (percent x the
    row's quantity + fixed fee, raised to the minimum, limited to the maximum), for the
    log metrics ``read_usage_log`` was told feed such a component. Exact where the
    month's totals alone are not (a minimum and a maximum act per transaction)."""


@dataclass
class UsageLog:
    """The aggregated log."""

    cells: dict[tuple[int, str, str], Cell]
    first_month: int
    last_month: int
    rows: int
    has_success: bool
    """Whether the log has a success column."""
    has_value: bool
    """Whether the log has an attributed_value column."""
    ignored_columns: tuple[str, ...] = ()
    fee_metrics: dict[str, frozenset[str]] = field(default_factory=dict)
    """Per transaction-fee component id: the log metrics whose rows' own fees were summed
    into ``Cell.fees`` (``read_usage_log``'s ``transaction_fees``)."""
    users: tuple[str, ...] = field(init=False)
    metrics: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.users = tuple(sorted({u for _, u, _ in self.cells}))
        self.metrics = tuple(sorted({m for _, _, m in self.cells}))

    @property
    def months(self) -> range:
        """Every month from the first to the last (months without events included)."""
        return range(self.first_month, self.last_month + 1)

    def by_month(self) -> dict[int, list[tuple[str, str, Cell]]]:
        result: dict[int, list[tuple[str, str, Cell]]] = {m: [] for m in self.months}
        for (month, user, metric), cell in self.cells.items():
            result[month].append((user, metric, cell))
        return result


def _header(row: list[str]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[str] = []  # Sentences: the app writes them in its language
    for index, name in enumerate(row):
        key = _ALIASES.get(name.strip().lower().lstrip("\ufeff"))
        if key is None:
            ignored.append(name.strip())
        elif key in columns:
            problems.append(
                Sentence(
                    f"line 1, column {index + 1} ({name.strip()}): duplicate {key} column",
                    "usage_log.duplicate_column",
                    column=index + 1,
                    name=name.strip(),
                    key=key,
                )
            )
        else:
            columns[key] = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing and _separated_by_semicolons(row):
        # A spreadsheet's CSV where the decimal separator is a comma (Excel in German or
        # French): the whole header is one field, and "missing every column" misleads.
        raise UsageLogError(
            [
                Sentence(
                    "line 1: the columns are separated by semicolons, not commas; save the "
                    "log as comma-separated CSV (CSV UTF-8) with decimal points",
                    "usage_log.semicolons",
                )
            ]
        )
    if missing:
        problems.append(
            Sentence(
                "line 1: missing column"
                + ("s " if len(missing) > 1 else " ")
                + ", ".join(missing)
                + " (the header needs timestamp, user, metric, quantity)",
                "usage_log.missing_columns",
                columns=", ".join(missing),
                count=len(missing),
            )
        )
    if problems:
        raise UsageLogError(problems)
    return columns, ignored


def _separated_by_semicolons(row: list[str]) -> bool:
    """Whether the header names the required columns once split at semicolons."""
    names = {_ALIASES.get(n.strip().lower().lstrip("\ufeff")) for n in ",".join(row).split(";")}
    return all(c in names for c in REQUIRED)


def _more_places(text: str, value: Decimal) -> bool:
    """Whether ``value`` has more than ``MAX_DECIMAL_PLACES`` (trailing zeros aside, as a
    quote's numbers: ``fields._finite``); the text is looked at first, as most rows are
    short plain numbers."""
    point = text.find(".")
    if (point < 0 or len(text) - point - 1 <= MAX_DECIMAL_PLACES) and "e" not in text.lower():
        return False
    exponent = value.normalize().as_tuple().exponent
    return isinstance(exponent, int) and exponent < -MAX_DECIMAL_PLACES


def _decimal(text: str) -> Decimal | Sentence:
    """The decimal in ``text``, or the reason it is not one."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        if not text:
            return Sentence("empty", "usage_log.empty")
        return Sentence(
            f"not a decimal number ({text[:40]!r})", "usage_log.not_decimal", text=text[:40]
        )
    if not value.is_finite():
        return Sentence(
            f"not a finite number ({text[:40]!r})", "usage_log.not_finite", text=text[:40]
        )
    if value < 0:
        return Sentence(f"negative ({text[:40]})", "usage_log.negative", text=text[:40])
    if value >= MAX_QUANTITY:
        return Sentence("1,000,000,000,000 or more", "usage_log.too_large")
    if _more_places(text, value):
        return Sentence(
            f"more than {MAX_DECIMAL_PLACES} decimal places ({text[:40]})",
            "usage_log.too_many_places",
            text=text[:40],
            places=MAX_DECIMAL_PLACES,
        )
    return value


def _cell(line: int, column: int, name: str, reason: Sentence) -> Sentence:
    """``line 5, column 4 (quantity): <reason>``."""
    return Sentence(
        f"line {line}, column {column} ({name}): {reason}",
        "usage_log.cell",
        line=line,
        column=column,
        name=name,
        reason=reason,
    )


def _add_to_month(
    totals: dict[tuple[int, str], Cell],
    cells: dict[tuple[int, str, str], Cell],
    month_metric: tuple[int, str],
    row: tuple[Decimal, Decimal | None],
    line: int,
    columns: tuple[int, int | None],
    names: dict[int, str],
) -> Sentence | None:
    """Add a row's quantity and value to its metric's totals in its month; the problem
    (``line N, column C (quantity): the 2026-06 total of 'x' reaches ...``) when one
    reaches ``MAX_MONTH_TOTAL``. The totals are summed from the cells the first time they
    are needed: the reader only asks once the whole log's quantities and values together
    reach the limit (before, no month's total can), so a usual log never pays for them."""
    if not totals:
        for (cell_month, _user, cell_metric), cell in cells.items():
            so_far = totals.setdefault((cell_month, cell_metric), Cell())
            so_far.quantity += cell.quantity
            so_far.value += cell.value
    month, metric = month_metric
    quantity, value = row
    summed = totals.setdefault(month_metric, Cell())
    for total, column in (
        (summed.quantity + quantity, columns[0]),
        (summed.value + (value or _ZERO), columns[1]),
    ):
        if total >= MAX_MONTH_TOTAL and column is not None:
            return _cell(
                line,
                column + 1,
                names[column],
                Sentence(
                    f"the {month_label(month)} total of {metric[:40]!r} reaches {total:,}; a "
                    f"month's total of a metric must stay below {MAX_MONTH_TOTAL:,}",
                    "usage_log.month_total_too_large",
                    month=month_label(month),
                    metric=metric[:40],
                    total=f"{total:,}",
                    limit=f"{MAX_MONTH_TOTAL:,}",
                ),
            )
    summed.quantity += quantity
    summed.value += value or _ZERO
    return None


def read_usage_log(
    stream: Iterable[str] | TextIO,
    source: str = "",
    transaction_fees: Mapping[str, Sequence[TransactionFee]] | None = None,
    today: dt.date | None = None,
) -> UsageLog:
    """Read and aggregate a usage log from an open text file (``newline=""``) or any
    iterable of text chunks (lines or not). Lines longer than ``MAX_LINE_CHARS`` are
    refused as they are read, so a file without line breaks is never held whole.

    ``transaction_fees`` names, per log metric, the transaction-fee components its rows
    feed: each row is one transaction (its quantity the value), and its own fee is added
    to ``Cell.fees`` under the component's id, so per-transaction minimums and maximums
    are exact whatever the mix of values.

    ``today`` (in UTC): a row dated more than a day after it is refused (usage that has not
    happened: a wrong clock, a year typed wrong, generated test data)."""
    fee_rules = transaction_fees or {}
    lines = CsvLines(stream)
    reader = csv.reader(lines)
    problems: list[str] = []

    def problem(text: Sentence) -> None:
        problems.append(text)
        if len(problems) >= MAX_PROBLEMS:
            problems.append(
                Sentence(
                    f"stopped after {MAX_PROBLEMS} problems",
                    "usage_log.stopped",
                    count=MAX_PROBLEMS,
                )
            )
            raise UsageLogError(problems, source)

    try:
        header = next(reader)
    except StopIteration:
        raise UsageLogError(
            [Sentence("the file is empty: it needs a header row", "usage_log.empty_file")], source
        ) from None
    except LineTooLongError as exc:
        raise UsageLogError([str(exc)], source) from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise UsageLogError([_csv_problem(1, exc)], source) from None
    if lines.exhausted:
        opened = quote_opened_at(header, 1)
        raise UsageLogError(
            [Sentence(f"line {opened}: {UNCLOSED_QUOTE}", "csv.unclosed_quote", line=opened)],
            source,
        )
    try:
        columns, ignored = _header(header)
    except UsageLogError as exc:
        raise UsageLogError(exc.problems, source) from None
    i_ts, i_user, i_metric, i_qty = (columns[c] for c in REQUIRED)
    i_ok = columns.get("success")
    i_val = columns.get("attributed_value")
    width = max(columns[c] for c in REQUIRED) + 1  # optional columns may be cut short
    names = {index: name for name, index in columns.items()}

    cells: dict[tuple[int, str, str], Cell] = {}
    metric_names: set[str] = set()
    grand = _ZERO  # every quantity and value so far
    month_totals: dict[tuple[int, str], Cell] = {}  # a metric's totals in a month, once needed
    decimals_cache: dict[str, Decimal] = {}
    first = last = -1
    first_line = last_line = 0
    rows = 0
    parse_ts = dt.datetime.fromisoformat
    utc = dt.UTC
    latest = today + dt.timedelta(days=1) if today is not None else dt.date.max
    latest_month = latest.year * 12 + latest.month - 1
    rows_iter: Iterator[list[str]] = iter(reader)
    while True:
        start = reader.line_num + 1
        try:
            row = next(rows_iter)
        except StopIteration:
            break
        except LineTooLongError as exc:
            problems.append(str(exc))
            raise UsageLogError(problems, source) from None
        except (csv.Error, UnicodeDecodeError) as exc:
            if isinstance(exc, csv.Error) and "field limit" in str(exc):
                # A quote that opened a field and never closed swallowed the lines after it.
                problems.append(
                    Sentence(
                        f"line {start}: {UNCLOSED_QUOTE} (it runs on for more than "
                        f"{csv.field_size_limit():,} characters)",
                        "csv.unclosed_quote_long",
                        line=start,
                        limit=csv.field_size_limit(),
                    )
                )
                raise UsageLogError(problems, source) from None
            problem(_csv_problem(reader.line_num + 1, exc))
            if isinstance(exc, UnicodeDecodeError):
                raise UsageLogError(problems, source) from None
            continue
        line = reader.line_num
        if lines.exhausted:
            # The file ended inside a quoted field: csv returns the rest as one field.
            opened = quote_opened_at(row, start)
            problems.append(
                Sentence(f"line {opened}: {UNCLOSED_QUOTE}", "csv.unclosed_quote", line=opened)
            )
            break
        if len(row) < width:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            problem(
                Sentence(
                    f"line {line}: {len(row)} field{'' if len(row) == 1 else 's'}, the "
                    f"required columns need {width}",
                    "usage_log.short_row",
                    line=line,
                    fields=len(row),
                    width=width,
                )
            )
            continue
        ts = row[i_ts]
        try:
            stamp = parse_ts(ts.strip())
        except ValueError:
            problem(
                _cell(
                    line,
                    i_ts + 1,
                    names[i_ts],
                    Sentence(
                        f"not an ISO 8601 date or time ({ts[:40]!r})",
                        "usage_log.not_a_time",
                        text=ts[:40],
                    ),
                )
            )
            continue
        in_utc: dt.datetime | None = stamp
        try:
            if stamp.tzinfo is not None and stamp.tzinfo is not utc:
                in_utc = stamp.astimezone(utc)
        except OverflowError:  # 9999-12-31T23:00-01:00 is in year 10000 in UTC
            in_utc = None
        if in_utc is None or not FIRST_YEAR <= in_utc.year <= LAST_YEAR:
            problem(
                _cell(
                    line,
                    i_ts + 1,
                    names[i_ts],
                    Sentence(
                        f"{ts.strip()[:40]!r} is outside the years a usage log can cover "
                        f"({FIRST_YEAR} to {LAST_YEAR}, in UTC)",
                        "usage_log.outside_years",
                        text=ts.strip()[:40],
                        first=FIRST_YEAR,
                        last=LAST_YEAR,
                    ),
                )
            )
            continue
        month = in_utc.year * 12 + in_utc.month - 1
        if month >= latest_month and in_utc.date() > latest:
            problem(
                _cell(
                    line,
                    i_ts + 1,
                    names[i_ts],
                    Sentence(
                        f"{ts.strip()[:40]!r} is in the future (today is {today}, in UTC): a "
                        "usage log records usage that has happened",
                        "usage_log.future",
                        text=ts.strip()[:40],
                        today=str(today),
                    ),
                )
            )
            continue
        user = row[i_user].strip()
        if not user:
            problem(_cell(line, i_user + 1, "user", Sentence("empty", "usage_log.empty")))
            continue
        metric = row[i_metric].strip()
        if not metric:
            problem(_cell(line, i_metric + 1, "metric", Sentence("empty", "usage_log.empty")))
            continue
        if len(user) > MAX_FIELD_CHARS or len(metric) > MAX_FIELD_CHARS:
            problem(
                Sentence(
                    f"line {line}: user or metric longer than {MAX_FIELD_CHARS} characters",
                    "usage_log.field_too_long",
                    line=line,
                    max_chars=MAX_FIELD_CHARS,
                )
            )
            continue
        if len(metric) > MAX_METRIC_CHARS:
            problem(
                _cell(
                    line,
                    i_metric + 1,
                    "metric",
                    Sentence(
                        f"longer than {MAX_METRIC_CHARS} characters",
                        "usage_log.metric_too_long",
                        max_chars=MAX_METRIC_CHARS,
                    ),
                )
            )
            continue
        if metric not in metric_names:
            if len(metric_names) >= MAX_METRICS:
                problem(
                    _cell(
                        line,
                        i_metric + 1,
                        "metric",
                        Sentence(
                            f"{metric[:40]!r} is metric {MAX_METRICS + 1} of the log; a log "
                            f"has at most {MAX_METRICS}",
                            "usage_log.too_many_metrics",
                            metric=metric[:40],
                            count=MAX_METRICS + 1,
                            max_metrics=MAX_METRICS,
                        ),
                    )
                )
                raise UsageLogError(problems, source)
            metric_names.add(metric)
        if "\x00" in user or "\x00" in metric:
            column = i_user if "\x00" in user else i_metric
            problem(
                _cell(line, column + 1, names[column], Sentence("a NUL character", "usage_log.nul"))
            )
            continue
        text = row[i_qty]
        qty = decimals_cache.get(text)
        if qty is None:
            parsed = _decimal(text.strip())
            if isinstance(parsed, Sentence):
                problem(_cell(line, i_qty + 1, "quantity", parsed))
                continue
            qty = parsed
            if len(decimals_cache) < 10_000:
                decimals_cache[text] = qty
        ok = False
        if i_ok is not None and i_ok < len(row):
            flag = row[i_ok].strip().lower()
            if flag in _TRUE:
                ok = True
            elif flag and flag not in _FALSE:
                problem(
                    _cell(
                        line,
                        i_ok + 1,
                        "success",
                        Sentence(
                            f"{row[i_ok][:40]!r} is not true, false, 1 or 0",
                            "usage_log.not_a_flag",
                            text=row[i_ok][:40],
                        ),
                    )
                )
                continue
        value = None
        if i_val is not None and i_val < len(row) and row[i_val].strip():
            parsed = _decimal(row[i_val].strip())
            if isinstance(parsed, Sentence):
                problem(_cell(line, i_val + 1, "attributed_value", parsed))
                continue
            value = parsed
        if problems:
            continue  # keep looking for problems, aggregate nothing more
        grand += qty if value is None else qty + value
        if grand >= MAX_MONTH_TOTAL:  # below it, no month's total can reach the limit
            too_large = _add_to_month(
                month_totals, cells, (month, metric), (qty, value), line, (i_qty, i_val), names
            )
            if too_large is not None:
                problem(too_large)
                continue
        key = (month, user, metric)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = Cell()
            if first < 0 or month < first:
                first, first_line = month, line
            if month > last:
                last, last_line = month, line
        cell.quantity += qty
        cell.events += 1
        rules = fee_rules.get(metric)
        if rules:
            if cell.fees is None:
                cell.fees = {}
            for rule in rules:
                cell.fees[rule.id] = cell.fees.get(rule.id, _ZERO) + rule.fee_for(qty)
        if ok:
            cell.successes += qty
        if value is not None:
            cell.value += value
        rows += 1
    if problems:
        raise UsageLogError(problems, source)
    if not cells:
        raise UsageLogError(
            [Sentence("no usage rows after the header", "usage_log.no_rows")], source
        )
    if last - first >= 120:
        raise UsageLogError(
            [
                Sentence(
                    f"the log spans {last - first + 1} months, from {month_label(first)} "
                    f"(line {first_line}) to {month_label(last)} (line {last_line}); at most "
                    "120 can be simulated",
                    "usage_log.too_many_months",
                    months=last - first + 1,
                    first=month_label(first),
                    first_line=first_line,
                    last=month_label(last),
                    last_line=last_line,
                )
            ],
            source,
        )
    return UsageLog(
        cells,
        first,
        last,
        rows,
        has_success=i_ok is not None,
        has_value=i_val is not None,
        ignored_columns=tuple(ignored),
        fee_metrics=_fee_metrics(fee_rules),
    )


def _fee_metrics(rules: Mapping[str, Sequence[TransactionFee]]) -> dict[str, frozenset[str]]:
    result: dict[str, set[str]] = {}
    for metric, components in rules.items():
        for component in components:
            result.setdefault(component.id, set()).add(metric)
    return {cid: frozenset(names) for cid, names in result.items()}


def _csv_reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return f"not valid CSV ({exc})"


def _csv_problem(line: int, exc: Exception) -> Sentence:
    """``line N: not UTF-8 text`` / ``line N: not valid CSV (<the csv module's reason>)``."""
    if isinstance(exc, UnicodeDecodeError):
        return Sentence(f"line {line}: {_csv_reason(exc)}", "usage_log.not_utf8", line=line)
    return Sentence(
        f"line {line}: {_csv_reason(exc)}", "usage_log.not_csv", line=line, problem=str(exc)
    )


def open_usage_log(path: str, source: str | None = None) -> UsageLog:
    """Read the log at ``path`` (UTF-8, a BOM allowed)."""
    label = source if source is not None else path
    handle: TextIO
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return read_usage_log(handle, label)
