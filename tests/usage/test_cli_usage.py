"""`quote-builder usage simulate`: a readable table, JSON, and errors without tracebacks."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from quote_builder.cli import main

ROOT = Path(__file__).resolve().parents[2]
HEADER = "timestamp,user,metric,quantity,success,attributed_value\n"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def write(path: Path, body: str) -> Path:
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def skewed_log(tmp_path: Path) -> Path:
    rows = "".join(f"2026-03-05T12:00:00Z,u{i},ai_actions,500,true,\n" for i in range(8))
    rows += "2026-03-06T12:00:00Z,heavy1,ai_actions,3000,true,\n"
    rows += "2026-03-06T12:00:00Z,heavy2,ai_actions,3000,true,\n"
    return write(tmp_path / "usage.csv", rows)


def test_table_lists_every_model_and_the_recommendations(tmp_path: Path) -> None:
    code, out, err = run("usage", "simulate", str(skewed_log(tmp_path)))
    assert code == 0, err
    assert "10 rows, 10 users, 1 month (2026-03 to 2026-03)" in out
    for title in (
        "Outcome-based pricing",
        "Platform fee + usage",
        "Tiered seats + AI credits",
        "Per seat, AI in higher tiers",
        "Outcome-contingent (value share)",
    ):
        assert title in out
    platform = out.split("  Platform fee + usage", 1)[1].splitlines()[0]
    assert platform.split() == ["2,750.00", "500.00", "81.8%", "52.7%"]
    # 52.7 % is the top-20 % column of the platform row; it is not presented as the
    # playbook's benchmark (that one is about customers across a book of business).
    assert "playbook expects" not in out
    assert "not a playbook benchmark" in out
    assert "Credits: 1,001 per seat a month" in out
    assert "Seats [FLAG]" in out
    assert "1 of 1 month went above it" in " ".join(out.split())


def test_the_tables_fit_80_columns_and_never_cut_a_word(tmp_path: Path) -> None:
    # A plan's model title is long ("Platform fee + usage (plan …)"); the monthly bills
    # were headed by codes cut to 16 characters ("outcome_continge").
    log = skewed_log(tmp_path)
    code, out, err = run("usage", "simulate", str(log))
    assert code == 0, err
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines if str(log) not in line), out
    monthly = out.split("Monthly bills (USD)\n", 1)[1].split("\n\n", 1)[0]
    heading = monthly.split("\n  2026-03", 1)[0]
    for title in ("Outcome-based pricing", "Outcome-contingent (value share)"):
        for word in title.split():
            assert word in heading.split(), (word, heading)
    assert "outcome_" not in out.replace("attributed_value", "")
    assert "2026-03" in monthly and "2,750.00" in monthly


def test_json_has_amounts_as_decimal_strings(tmp_path: Path) -> None:
    code, out, _ = run("usage", "simulate", str(skewed_log(tmp_path)), "--json")
    assert code == 0
    data = json.loads(out)
    platform = next(m for m in data["models"] if m["key"] == "platform_usage")
    assert platform["total_bill"] == "2750.00"
    assert platform["top_users_share_percent"] == "52.7"
    assert platform["bill_range"]["expected"] == "2750.00"
    assert data["seats"]["flagged"] is True
    assert data["credits"]["allocation_per_seat"] == "1001"


def test_with_a_quote(tmp_path: Path) -> None:
    log = write(tmp_path / "q.csv", "2026-01-10,a,queries,3000,true,\n")
    quote = ROOT / "examples" / "platform_usage_analytics.json"
    code, out, err = run("usage", "simulate", str(log), "--quote", str(quote), "--json")
    assert code == 0, err
    first = json.loads(out)["models"][0]
    # 1,900 a month, the 6-month 10 % launch discount averaged over year 1: 1,805.
    assert (first["source"], first["total_bill"]) == ("quote", "1805.00")


def test_bad_rows_exit_2_naming_line_and_column(tmp_path: Path) -> None:
    log = write(tmp_path / "bad.csv", "2026-01-10,a,m,1,true,\n2026-01-11,a,m,ten,true,\n")
    code, out, err = run("usage", "simulate", str(log))
    assert code == 2 and out == ""
    assert err == f"{log}: Line 3, column 4 (quantity): not a decimal number ('ten').\n"


def test_a_row_in_the_future_is_refused(tmp_path: Path) -> None:
    log = write(tmp_path / "future.csv", "2026-01-10,a,m,1,true,\n2999-01-05,a,m,1,true,\n")
    code, out, err = run("usage", "simulate", str(log))
    assert code == 2 and out == ""
    assert err.startswith(f"{log}: Line 3, column 1 (timestamp): '2999-01-05' is in the future")


def test_a_byte_that_is_not_utf8_in_a_semicolon_csv_is_named_by_its_column(
    tmp_path: Path,
) -> None:
    # Excel in German saves "CSV" with semicolons in Windows-1252: the column of "müller"
    # was named 'timestamp;user;metric;quantity' (the header read with commas).
    log = tmp_path / "excel.csv"
    log.write_bytes(
        "timestamp;user;metric;quantity\n05.01.2026 10:00;müller;calls;1,5\n".encode("cp1252")
    )
    code, _, err = run("usage", "simulate", str(log))
    assert code == 2
    assert err == (
        f"{log}: Line 2, column 'user': not UTF-8 text (the byte 0xFC); save the file as "
        "CSV UTF-8.\n"
    )


def test_a_log_that_changes_while_it_is_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A log still being exported: its last line half-written was reported as "line N:
    # 2 fields, the required columns need 4", or, cut at a line break, simulated as if
    # complete (and attachable as the customer's evidence).
    import quote_builder.services.usage as service

    log = write(tmp_path / "growing.csv", "2026-01-10,a,m,1,true,\n2026-01-11,a,m,2,true,\n")
    real = service.read_usage_log

    def read_while_written(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        with log.open("a", encoding="utf-8") as more:
            more.write("2026-01-12,b,m,3,true,\n")
        return result

    monkeypatch.setattr(service, "read_usage_log", read_while_written)
    code, out, err = run("usage", "simulate", str(log))
    assert code == 2 and out == ""
    assert err == (
        f"{log}: The file changed while it was read (is it still being written?); load it "
        "again once it is complete.\n"
    )
    monkeypatch.undo()
    code, out, err = run("usage", "simulate", str(log))  # complete now
    assert code == 0 and "3 rows" in out, err


def test_a_log_of_one_row_is_counted_in_the_singular(tmp_path: Path) -> None:
    log = write(tmp_path / "one.csv", "2026-01-10,a,m,1,true,\n")
    code, out, err = run("usage", "simulate", str(log))
    assert code == 0, err
    assert (
        "  1 row, 1 user, 1 month (2026-01 to 2026-01), metrics m\n" in out
    )  # was "1 rows, 1 users"


def test_missing_files_exit_2(tmp_path: Path) -> None:
    code, _, err = run("usage", "simulate", str(tmp_path / "nope.csv"))
    assert code == 2 and "No such file." in err
    log = skewed_log(tmp_path)
    code, _, err = run("usage", "simulate", str(log), "--quote", str(tmp_path / "nope.json"))
    assert code == 2 and "No such file." in err


def test_binary_file_is_refused_with_a_sentence(tmp_path: Path) -> None:
    log = tmp_path / "bin.csv"
    log.write_bytes(HEADER.encode() + b"2026-01-10,\xff\xfe,m,1,true,\n")
    code, _, err = run("usage", "simulate", str(log))
    assert code == 2 and "not UTF-8 text" in err


def test_usage_simulate_does_not_load_sqlalchemy_or_qt(tmp_path: Path) -> None:
    log = skewed_log(tmp_path)
    code = (
        "import sys, io\n"
        "from quote_builder.cli import main\n"
        f"assert main(['usage', 'simulate', {str(log)!r}], io.StringIO(), io.StringIO()) == 0\n"
        "print(sorted(m for m in ('sqlalchemy', 'PySide6', 'weasyprint') if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert proc.stdout.strip() == "[]"


def test_a_byte_that_is_not_utf8_is_named_on_its_line(tmp_path: Path) -> None:
    """A log whose tenth line holds a byte that is not UTF-8 was refused with "line 1: not
    UTF-8 text" (the file is decoded in blocks): the user looked for the mistake in the
    header. A character cut at the end of the file is on the last line."""
    good = "2026-01-10T09:00:00Z,u1,m,1,true,\n"
    log = tmp_path / "bad.csv"
    log.write_bytes((HEADER + good * 8).encode() + b"2026-01-10T09:00:00Z,u\xff,m,1,true,\n")
    code, _, err = run("usage", "simulate", str(log))
    advice = "save the file as CSV UTF-8"
    assert code == 2, err
    assert f"Line 10, column 'user': not UTF-8 text (the byte 0xFF); {advice}" in err, err
    log.write_bytes((HEADER + good * 3).encode() + b"2026-01-10T09:00:00Z,u\xe2\x82")
    code, _, err = run("usage", "simulate", str(log))
    assert code == 2 and f"Line 5: not UTF-8 text (the byte 0xE2); {advice}" in err, err


def test_a_byte_that_is_not_utf8_is_named_by_its_column_past_the_first_block(
    tmp_path: Path,
) -> None:
    """The column of a Latin-1 byte is named too ("line 7: not UTF-8 text" left the user
    to search the line), also far into a big log (past the first block the reader
    decodes), and in the header by its line alone."""
    good = "2026-01-10T09:00:00Z,u1,m,1,true,\n"
    count = 40_000  # about 1.4 MB: the bad byte is in the second block
    log = tmp_path / "big.csv"
    log.write_bytes((HEADER + good * count).encode() + b'2026-01-10T09:00:00Z,u1,"m\xe9",1,true,\n')
    code, _, err = run("usage", "simulate", str(log))
    assert code == 2, err
    assert f"Line {count + 2}, column 'metric': not UTF-8 text (the byte 0xE9)" in err, err
    log.write_bytes(HEADER.replace("user", "us\xe9r").encode("latin-1") + good.encode())
    code, _, err = run("usage", "simulate", str(log))
    assert code == 2 and "Line 1: not UTF-8 text (the byte 0xE9)" in err, err
