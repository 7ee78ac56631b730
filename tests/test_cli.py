"""The command line: readable tables, JSON, and bad input without tracebacks."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from quote_builder.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "platform_usage_analytics.json"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_price_prints_a_readable_table() -> None:
    code, out, err = run("price", str(EXAMPLE))
    assert code == 0 and err == ""
    assert "TCV 73,237.00 USD" in out
    assert "Contract years" in out and "Billing schedule" in out and "Warnings" in out


def test_price_json_has_decimal_strings_periods_years_and_warnings() -> None:
    code, out, _ = run("price", str(EXAMPLE), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["tcv"] == "73237.00"
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
        f"{bad}: term_months: must be at least 1 (got 0)",
        f"{bad}: components[0].unit_price: must not be negative (got -2)",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        (b"\xff\xfe\x00", "not UTF-8 text"),
        (b'{"a": 1,,}', "line 1, column 9: malformed JSON"),
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
    assert code == 2 and "is a folder" in err


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
    assert "components[0].kind: unknown component kind 'nope'" in proc.stderr


def test_advise_ranks_models() -> None:
    code, out, _ = run("advise", "--category", "customer_support", "--outcome-verifiable", "yes")
    assert code == 0
    assert out.splitlines()[0].startswith("1. Outcome-based pricing")
    assert "NRR 120%-140%" in out


def test_unknown_command_exits_2() -> None:
    assert run("frobnicate")[0] == 2
