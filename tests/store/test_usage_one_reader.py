"""`usage simulate` and `usage attach` read a log by the same rules: a log the one refuses,
the other refuses with the same sentence, naming the line and the reason (a month's total
too large for a quote, too many metrics, a metric name too long, too many decimal places
were refused by attach alone, after the log was read, without a line)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from quote_builder.cli import main
from quote_builder.services import quotes as svc
from quote_builder.store.database import Database
from tests.pricing.factories import PLATFORM_WITH_ALLOWANCE

from .helpers import customer, document

HEADER = "timestamp,user,metric,quantity,success,attributed_value\n"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


BAD_LOGS = {
    "month_total": (
        "2026-06-03,ann,enrichments,600000000000,,\n2026-06-04,bob,enrichments,500000000000,,\n",
        "Line 3, column 4 (quantity)",
    ),
    "value_total": (
        "2026-06-03,ann,enrichments,1,,600000000000\n2026-06-04,bob,enrichments,1,,500000000000\n",
        "Line 3, column 6 (attributed_value)",
    ),
    "many_metrics": (
        "".join(f"2026-06-03,ann,m{i},1,,\n" for i in range(51)),
        "Line 52, column 3 (metric)",
    ),
    "long_metric": ("2026-06-03,ann," + "x" * 201 + ",1,,\n", "Line 2, column 3 (metric)"),
    "decimal_places": ("2026-06-03,ann,enrichments,0.00000000001,,\n", "Line 2, column 4"),
}


@pytest.mark.parametrize("case", sorted(BAD_LOGS))
def test_simulate_and_attach_refuse_a_log_alike_naming_the_line(
    sqlite_db: Database, tmp_path: Path, case: str
) -> None:
    rows, where = BAD_LOGS[case]
    customer(sqlite_db)
    row = svc.create_quote(
        sqlite_db, document(components=PLATFORM_WITH_ALLOWANCE), actor="alice"
    ).value
    log = tmp_path / "pilot.csv"
    log.write_text(HEADER + rows, encoding="utf-8")
    url = str(tmp_path / "quotes.db")
    simulated = run("usage", "simulate", str(log))
    attached = run("usage", "attach", row.number, str(log), "--db", url)
    assert simulated[0] == attached[0] == 2
    assert simulated[1] == attached[1] == ""
    assert simulated[2] == attached[2]
    assert where in simulated[2]
    assert svc.get_quote(sqlite_db, row.id).latest_version == 1
