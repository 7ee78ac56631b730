"""The command line: readable tables, JSON, and bad input without tracebacks."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from quote_builder.cli import main
from quote_builder.pricing import QuoteFileError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "platform_usage_analytics.json"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_price_prints_a_readable_table() -> None:
    code, out, err = run("price", str(EXAMPLE))
    assert code == 0 and err == ""
    assert "TCV 73,225.00 USD" in out  # year 3 bills the overage at 0.44 (0.441 rounded)
    assert "Contract years" in out and "Billing schedule" in out and "Warnings" in out


def test_price_keeps_amounts_in_the_hundreds_of_millions_apart(tmp_path: Path) -> None:
    """The contract years' columns widen for long amounts: "528,656,261.16146,663,808.72"
    (revenue run into discounts) is two amounts, each readable."""
    data = json.loads(EXAMPLE.read_text())
    data["usage_forecast"] = {"queries": {"monthly": 1_000_000_000}}
    quote = tmp_path / "big.json"
    quote.write_text(json.dumps(data))
    code, out, _err = run("price", str(quote))
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("  1    2027-01-01"))
    revenue, discounts, cogs, margin = row.split()[3:]
    # 2,500 + 18,000 + 999,998,000 x 12 x 0.40 less 10 % for 6 months (240,000,420.00)
    assert revenue == "4,560,010,480.00" and discounts == "240,000,420.00", row
    assert cogs.replace(",", "").replace(".", "").isdigit() and margin.endswith("%")


def test_price_json_has_decimal_strings_periods_years_and_warnings() -> None:
    code, out, _ = run("price", str(EXAMPLE), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["tcv"] == "73225.00"
    assert data["currency"] == "USD"
    assert data["periods"][0]["lines"][0] == {
        "component_id": "onboarding",
        "description": "Onboarding",
        "kind": "charge",
        "amount": "2500.00",
        "recurring": False,
        "in_arrears": False,
    }
    assert [y["gross_margin_percent"] for y in data["years"]] == ["86.3", "88.1", "89.9"]
    assert isinstance(data["warnings"], list)
    assert data["components"][1]["years"][0]["lines"][0]["label"] == "Platform fee (per month)"


def test_bad_input_exits_2_with_one_line_per_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "customer": {"name": "A"},
                "currency": "USD",
                "start_date": "2027-01-01",
                "term_months": 0,
                "components": [
                    {"kind": "per_unit", "id": "u", "name": "U", "metric": "m", "unit_price": "-2"}
                ],
            }
        )
    )
    code, out, err = run("price", str(bad))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"{bad}: term_months: Must be at least 1 (got 0).",
        f"{bad}: components[0].unit_price: Must not be negative (got -2).",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "No such file."),
        (b"\xff\xfe\x00", "not UTF-8 text"),
        (b'{"a": 1,,}', "Line 1, column 9: malformed JSON"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes | None, expected: str) -> None:
    path = tmp_path / "q.json"
    if content is not None:
        path.write_bytes(content)
    code, _, err = run("price", str(path))
    assert code == 2
    assert expected in err


def test_folder_instead_of_file(tmp_path: Path) -> None:
    code, _, err = run("price", str(tmp_path))
    assert code == 2 and "Is a folder, not a quote file." in err


def test_the_installed_command_never_prints_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"components": [{"kind": "nope"}]}')
    proc = subprocess.run(
        [sys.executable, "-m", "quote_builder.cli", "price", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "components[0].kind: Unknown component kind 'nope'" in proc.stderr


def test_advise_ranks_models() -> None:
    code, out, _ = run("advise", "--category", "customer_support", "--outcome-verifiable", "yes")
    assert code == 0
    assert out.splitlines()[0].startswith("1. Outcome-based pricing")
    assert "gross margin 65-75%; NRR 120-140%" in out
    # Outcome-contingent as the playbook words it: no flat range, no invented NRR floor.
    # (its heading wraps to the terminal's width under its number: read it whole)
    lines = out.splitlines()
    at = next(n for n, line in enumerate(lines) if "Outcome-contingent" in line)
    contingent = lines[at]
    for more in lines[at + 1 :]:
        if not more.startswith("   ") or more.lstrip().startswith("- "):
            break
        contingent += " " + more.strip()
    assert contingent.endswith(
        "gross margin variable, but can reach 80-90% when the performance component is "
        "large relative to inference costs; NRR theoretically unlimited: spending scales "
        "directly with the economic value delivered"
    )


def test_unknown_command_exits_2() -> None:
    assert run("frobnicate")[0] == 2


def _write_quote(tmp_path: Path, **overrides: object) -> Path:
    data: dict[str, object] = {
        "customer": {"name": "A"},
        "currency": "USD",
        "start_date": "2027-01-01",
        "term_months": 12,
        "components": [{"kind": "flat_fee", "id": "f", "name": "Fee", "amount": "100"}],
    }
    data.update(overrides)
    path = tmp_path / "q.json"
    path.write_text(json.dumps(data))
    return path


def test_the_largest_numbers_print_without_a_traceback(tmp_path: Path) -> None:
    # 999,999,999,999 calls at 999,999,999,999 each: 31 significant digits a month, more
    # than Decimal's default 28-digit context can quantize.
    path = _write_quote(
        tmp_path,
        components=[
            {"kind": "per_unit", "id": "u", "name": "Calls", "metric": "calls",
             "unit_price": "999999999999"}
        ],
        usage_forecast={"calls": {"monthly": "999999999999"}},
    )  # fmt: skip
    code, out, err = run("price", str(path))
    assert code == 0 and err == ""
    # Year 1: 12 x 999,999,999,999 = 11,999,999,999,988 calls, x 999,999,999,999
    # = 11,999,999,999,976,000,000,000,012
    assert "calls: 11,999,999,999,988 x 999,999,999,999 = 11,999,999,999,976,000,000,000,012" in out


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "0"),
        ("-0.00", "0"),
        ("-0.00001", "0"),  # rounds to 0 at 4 decimals: never "-0"
        ("1234.56789", "1,234.5679"),
        ("999999999998000000000001.0000000001", "999,999,999,998,000,000,000,001"),
    ],
)
def test_breakdown_figures(value: str, expected: str) -> None:
    from decimal import Decimal

    from quote_builder.cli import _money, _num

    assert _num(Decimal(value)) == expected
    assert _money(Decimal("-0.00")) == "0.00"


def test_an_empty_total_prints_in_cents(tmp_path: Path) -> None:
    path = _write_quote(
        tmp_path,
        components=[{"kind": "per_unit", "id": "u", "name": "U", "metric": "m", "unit_price": "1"}],
    )
    code, out, _ = run("price", str(path))
    assert code == 0
    assert "TCV 0.00 USD    list 0.00    effective discount 0%" in out
    assert "-0.00" not in out and " -0 " not in out


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    from quote_builder.services.pricing import MAX_QUOTE_FILE_BYTES

    path = tmp_path / "big.json"
    path.write_bytes(b" " * (MAX_QUOTE_FILE_BYTES + 1))
    code, _, err = run("price", str(path))
    assert code == 2
    assert err == f"{path}: The file is larger than 5 MB, the most a quote file may be.\n"
    path.write_bytes(b" " * MAX_QUOTE_FILE_BYTES)  # at the limit: read, then found empty
    assert "larger than" not in run("price", str(path))[2]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    # A FIFO has no size to stat: the reader stops after limit + 1 bytes, whatever comes.
    from quote_builder.services.pricing import read_quote_file

    fifo = tmp_path / "quote.fifo"
    os.mkfifo(fifo)
    chunks = 10_000  # 10 MB, far more than a pipe buffers
    written: list[int] = []

    def writer() -> None:
        try:
            with fifo.open("wb", buffering=0) as stream:
                for _ in range(chunks):
                    written.append(stream.write(b" " * 1000))
        except BrokenPipeError:
            pass  # the reader stopped reading: what we want

    thread = threading.Thread(target=writer, daemon=True)  # never keeps pytest alive
    thread.start()
    with pytest.raises(QuoteFileError, match="larger than 1,000 bytes"):
        read_quote_file(fifo, limit=1000)
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert len(written) < chunks
