"""What the command line says about a quote file it cannot use: every sentence starts with
the file (as the format's own errors do), a character that is not visible is named, never
printed (a right-to-left override would reverse the rest of the terminal line), and a number
or currency written the way a person writes it gets the way a quote file needs it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from quote_builder.cli import main
from quote_builder.pricing.quote_format import load_quote

ROOT = Path(__file__).resolve().parents[1]


def quote(**changes: object) -> dict[str, object]:
    data = json.loads((ROOT / "examples" / "seats_credits_coding_team.json").read_text())
    data.pop("quote_number", None)
    data.update(changes)
    return data


def render(tmp_path: Path, data: dict[str, object]) -> tuple[int, str, Path]:
    path = tmp_path / "quote.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["render", str(path), "-o", str(tmp_path / "quote.pdf")], out, err)
    return code, err.getvalue(), path


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Café 🚀 Rocket Labs", "🚀 (U+1F680 ROCKET)"),
        ("\u202eevil\u202c Corp", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("Bell\u0007 Labs", "U+0007 (a control character)"),
    ],
)
def test_an_undrawable_character_is_named_after_the_file(
    tmp_path: Path, name: str, shown: str
) -> None:
    code, err, path = render(tmp_path, quote(customer={"name": name}))
    assert code != 0 and not (tmp_path / "quote.pdf").exists()
    assert err.startswith(f"{path}: The customer's name (")
    assert f"cannot draw: {shown}. Write it without that character" in err
    # Nothing that reorders or rings the terminal reaches it raw.
    assert "\u202e" not in err and "\u0007" not in err


def test_standard_input_is_named_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    data = json.dumps(quote(customer={"name": "Rocket 🚀"})).encode()

    class Stdin:
        buffer = io.BytesIO(data)

    monkeypatch.setattr("sys.stdin", Stdin())
    out, err = io.StringIO(), io.StringIO()
    assert main(["render", "-", "-o", str(tmp_path / "q.pdf")], out, err) != 0
    assert err.getvalue().startswith("Standard input: the customer's name (")


@pytest.mark.parametrize(
    ("written", "advice"),
    [
        ("60,00", "write 60.00 instead of '60,00': quote files use '.' as the decimal mark"),
        (
            "1,234.50",
            "write 1234.50 instead of '1,234.50': quote files use no thousands separators",
        ),
        ("1,500", "'1,500' is ambiguous: write 1500 or 1.500"),
        ("sixty", "not a finite number (got 'sixty')"),
    ],
)
def test_a_number_written_with_a_comma_says_how_to_write_it(
    tmp_path: Path, written: str, advice: str
) -> None:
    data = quote()
    components = data["components"]
    assert isinstance(components, list) and components[1]["kind"] == "seats"
    components[1]["price_per_seat"] = written
    code, err, path = render(tmp_path, data)
    assert code != 0
    assert (
        err
        == f"{path}: components[1].price_per_seat: {advice[:1].upper()}{advice[1:]}"
        + (
            ""
            if written != "1,500"
            else "; quote files use '.' as the decimal mark and no thousands separators"
        )
        + ".\n"
    )


def test_a_currency_code_in_lower_case_is_the_code() -> None:
    assert load_quote(json.dumps(quote(currency="usd"))).currency == "USD"
    assert load_quote(json.dumps(quote(currency="Eur"))).currency == "EUR"
    # An unknown code is refused as the user wrote it.
    with pytest.raises(ValueError, match=r"currency: unknown currency 'xyz'"):
        load_quote(json.dumps(quote(currency="xyz")))
