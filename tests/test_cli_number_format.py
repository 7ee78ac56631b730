"""The command line writes its percents with the app's one babel formatter (``25%``, not
``25.00%``), in English (``cli_db.CLI_LOCALE``); ``price --json`` keeps the engine's plain
decimal strings."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from quote_builder import cli_db
from quote_builder.cli import main
from quote_builder.documents.formatting import Formatter


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _quote(tmp_path: Path, discount: str, escalator: str | None = None) -> Path:
    data: dict[str, object] = {
        "customer": {"name": "A"},
        "currency": "USD",
        "start_date": "2027-01-01",
        "term_months": 24,
        "components": [{"kind": "flat_fee", "id": "f", "name": "Fee", "amount": "1000"}],
        "discounts": [{"description": "Deal", "percent": discount}],
    }
    if escalator is not None:
        data["escalator_percent"] = escalator
    path = tmp_path / "q.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(
    ("discount", "shown"),
    [
        ("25", "25%"),  # 25.00 from the engine: no trailing zeros
        ("24.5", "24.5%"),
        ("10.01", "10.01%"),  # the policy judges to the hundredth: kept
        ("0", "0%"),
    ],
)
def test_price_writes_the_discount_as_the_app_does(
    tmp_path: Path, discount: str, shown: str
) -> None:
    code, out, err = run("price", str(_quote(tmp_path, discount)))
    assert (code, err) == (0, "")
    assert f"effective discount {shown}\n" in out
    # The app's formatter (ui.locale_format.discount_percent in English) writes the same.
    assert Formatter("USD", "en_US").percent(Decimal(discount), None) == shown


def test_price_writes_the_escalator_with_its_digits(tmp_path: Path) -> None:
    code, out, _ = run("price", str(_quote(tmp_path, "0", escalator="3.50")))
    assert code == 0
    assert "Escalator: 3.5% a year" in out


def test_price_json_keeps_plain_decimal_strings(tmp_path: Path) -> None:
    code, out, _ = run("price", "--json", str(_quote(tmp_path, "25")))
    assert code == 0
    data = json.loads(out)
    assert data["effective_discount_percent"] == "25.00"


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (Decimal("84.64"), 1, "84.6%"),  # a margin: one decimal, half up
        (Decimal("84.65"), 1, "84.7%"),
        (Decimal("25.00"), None, "25%"),
        (Decimal("1234.5"), None, "1,234.5%"),  # grouped the English way
        (None, 1, "n/a"),
    ],
)
def test_cli_percent_is_the_babel_formatter_in_english(
    value: Decimal | None, places: int | None, shown: str
) -> None:
    assert cli_db.CLI_LOCALE == "en_US"
    assert cli_db.percent(value, places) == shown
