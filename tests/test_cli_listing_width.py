"""Every listing of the command line fits an 80-column terminal: long names and sources are
cut with "…", numbers, amounts, dates and codes stay whole (amounts right-aligned), lines of
words wrap; a wider terminal shows more of each name."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from quote_builder.cli import main

LONG = "Internationale Verwaltungsgesellschaft für Datenverarbeitung und Künstliche Intelligenz mbH"
SOURCE = "European Central Bank reference rate, published daily at 16:00 CET"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = str(tmp_path / "demo.db")
    assert run("demo", "--db", path, "--create", "--user", "rep")[0] == 0
    csv = tmp_path / "customers.csv"
    csv.write_text(f"Name,Country,Currency,CRM id\n{LONG},Germany,EUR,SF-000000000123456789\n")
    assert run("customers", "import", str(csv), "--db", path)[0] == 0
    rate = ("rates", "set", "EUR", "USD", "1.0834", "--date", "2026-11-30", "--source", SOURCE)
    assert run(*rate, "--db", path)[0] == 0
    code, exported, _ = run("quotes", "export", "Q-2026-0001", "--db", path)
    quote = tmp_path / "long.json"
    quote.write_text(exported.replace('"Northwind Support"', f'"{LONG}"'))
    code, _, err = run("quotes", "import", str(quote), "--db", path, "--user", "rep")
    assert code == 0, err
    monkeypatch.setenv("QUOTE_BUILDER_PASSPHRASE", "a long enough passphrase")
    monkeypatch.setenv("QUOTE_BUILDER_KEYS_DIR", str(tmp_path / "keys"))
    assert run("approval", "keygen", "dana-whitfield-deal-desk-emea")[0] == 0
    public = tmp_path / "keys" / "dana-whitfield-deal-desk-emea.pub"
    trust = ("approval", "trust", str(public), "--name", "Dana Whitfield, Deal Desk EMEA")
    code, _, err = run(*trust, "--db", path)
    assert code == 0, err
    return path


LISTINGS = [
    ("customers", "list"),
    ("plans", "list"),
    ("quotes", "list"),
    ("quotes", "show", "Q-2026-0003"),
    ("quotes", "show", "Q-2026-0006"),
    ("rates", "list"),
    ("approval", "pending"),
    ("approval", "status", "Q-2026-0003"),
    ("approval", "keys"),
    ("policy", "show"),
]


def test_every_listing_fits_80_columns(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    for argv in LISTINGS:
        code, out, err = run(*argv, "--db", db)
        assert code == 0, (argv, err)
        # (A folder's path longer than the terminal, alone on its line, is not cut.)
        wide = [line for line in out.splitlines() if len(line) > 80 and " " in line.strip()]
        assert wide == [], (argv, wide)
    _, customers, _ = run("customers", "list", "--db", db)
    assert "Internationale Verwaltungs" in customers and "…" in customers
    _, quotes, _ = run("quotes", "list", "--db", db)
    amounts = [line.split("  ") for line in quotes.splitlines() if line.startswith("Q-")]
    assert "220,360.83 USD" in quotes and "115,518.43 USD" in quotes  # whole
    ends = {line.index(" USD") for line in quotes.splitlines() if " USD" in line}
    assert len(ends) == 1 and amounts  # right-aligned: every currency in one column
    _, rates, _ = run("rates", "list", "--db", db)
    assert "1.0834" in rates and "2026-11-30" in rates and "European Central Bank" in rates


def test_a_wider_terminal_shows_whole_names(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    _, customers, _ = run("customers", "list", "--db", db)
    assert LONG in customers
    _, rates, _ = run("rates", "list", "--db", db)
    assert SOURCE in rates


EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.json"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_a_priced_quote_fits_80_columns(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run("price", str(example))
    assert code == 0, err
    assert [line for line in out.splitlines() if len(line) > 80] == []
    code, json_out, _ = run("price", str(example), "--json")
    import json

    tcv = json.loads(json_out)["tcv"]
    whole, _, cents = tcv.partition(".")
    assert f"TCV {int(whole):,}{'.' + cents if cents else ''} " in out  # the amount whole


def test_the_advice_fits_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run("advise", "--category", "customer_support")
    assert code == 0, err
    assert [line for line in out.splitlines() if len(line) > 80] == []
    assert "1. " in out and "     - " in out
