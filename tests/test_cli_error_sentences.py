"""Every error the command line prints is a full sentence: a capital (after the file, the
option or the field it names, kept as written) and a full stop, naming the field or line
and the reason. A set of bad inputs across the commands, each checked for that shape."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from quote_builder.cli import main

HEADER = "timestamp,user,metric,quantity\n"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


# What may come before the sentence: the file the error is about, an option, a field.
FILE = re.compile(r"^(?:-|[^\s:]*[./][^\s:]*): ")
OPTION = re.compile(r"^--?[a-z][\w-]*(?: '[^']*')?: ")
FIELD = re.compile(r"^[a-z_][a-z0-9_]*(?:\[\d+\]|\.[a-z0-9_]+)*: ")


def is_sentence(line: str) -> bool:
    text = line.strip()
    if text.startswith("/"):  # "/tmp/x.db does not exist. Check the path; …"
        return text.endswith(".")
    for label in (FILE, OPTION, FIELD):
        text = label.sub("", text, count=1)
    starts = text[:1].isupper() or text[:1].isdigit() or text[:1] in "'\"-"
    return starts and text.endswith((".", ":"))


def error_lines(err: str) -> list[str]:
    """The lines of an error, without argparse's usage lines above its own."""
    lines = err.splitlines()
    if lines and lines[0].startswith("usage:"):
        lines = [line.split(": error: ", 1)[1] for line in lines if ": error: " in line]
    return lines


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    made = {
        "empty_json": tmp_path / "empty.json",
        "bad_json": tmp_path / "bad.json",
        "bad_log": tmp_path / "bad.csv",
        "no_columns": tmp_path / "nocolumns.csv",
        "customers": tmp_path / "customers.csv",
        "db": tmp_path / "demo.db",
    }
    made["empty_json"].write_text("{}")
    made["bad_json"].write_text("{")
    made["bad_log"].write_text(HEADER + "2026-01-10,a,m,ten\n2026-01-11,,m,1\n")
    made["no_columns"].write_text("when,who\n2026-01-10,a\n")
    made["customers"].write_text("Country\nGermany\n")
    assert run("demo", "--db", str(made["db"]), "--create")[0] == 0
    return {name: str(path) for name, path in made.items()}


CASES = [
    ("price", "{tmp}/missing.json"),
    ("price", "{empty_json}"),
    ("price", "{bad_json}"),
    ("usage", "simulate", "{bad_log}"),
    ("usage", "simulate", "{no_columns}"),
    ("usage", "simulate", "{tmp}/missing.csv"),
    ("usage", "simulate", "{bad_log}", "--map", "x"),
    ("quotes", "show", "Q-2099-0001", "--db", "{db}"),
    ("quotes", "list", "--status", "bogus", "--db", "{db}"),
    ("quotes", "export", "Q-2026-0001", "-o", "{tmp}", "--db", "{db}"),
    ("customers", "import", "{customers}", "--db", "{db}"),
    ("customers", "list", "--db", "{tmp}/missing.db"),
    ("rates", "set", "EUR", "USD", "abc", "--date", "2026-01-01", "--source", "x", "--db", "{db}"),
    ("rates", "set", "EUR", "USD", "1", "--date", "2026-13-01", "--source", "x", "--db", "{db}"),
    ("deal", "valid-until", "Q-2026-0001", "2020-01-01", "--db", "{db}"),
    ("deal", "lost", "Q-2026-0001", "--db", "{db}"),
    ("approval", "decide", "Q-2026-0001", "--approve", "--key", "nokey", "--db", "{db}"),
    ("plans", "import", "{empty_json}", "--db", "{db}"),
    ("verify", "{empty_json}"),
    ("quotes", "list", "--bogus"),
]


@pytest.mark.parametrize("case", CASES, ids=[" ".join(c[:2]) for c in CASES])
def test_every_error_is_a_full_sentence(
    files: dict[str, str],
    tmp_path: Path,
    case: tuple[str, ...],
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = [a.format(tmp=tmp_path, **files) for a in case]
    capsys.readouterr()
    code, out, err = run(*argv)
    err += capsys.readouterr().err  # argparse writes its refusals to sys.stderr
    assert code == 2 and out == "", (argv, err)
    lines = error_lines(err)
    assert lines, (argv, err)
    wrong = [line for line in lines if not is_sentence(line)]
    assert wrong == [], argv


def test_the_file_field_and_line_are_named_as_written(files: dict[str, str]) -> None:
    _, _, err = run("usage", "simulate", files["bad_log"])
    assert err == (
        f"{files['bad_log']}: Line 2, column 4 (quantity): not a decimal number ('ten').\n"
        f"{files['bad_log']}: Line 3, column 2 (user): empty.\n"
    )
    _, _, err = run("price", files["empty_json"])
    assert err.splitlines()[0] == f"{files['empty_json']}: customer: Required."
    _, _, err = run("rates", "set", "EUR", "USD", "abc", "--date", "2026-01-01", "--source", "x")
    assert err.startswith("RATE: abc is not a number")  # as typed
