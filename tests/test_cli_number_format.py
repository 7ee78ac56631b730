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


# --- the engine's sentences ------------------------------------------------------------------


def _below_floor(tmp_path: Path) -> Path:
    data = {
        "customer": {"name": "A"},
        "currency": "USD",
        "start_date": "2027-01-01",
        "term_months": 12,
        "components": [{"kind": "flat_fee", "id": "f", "name": "Fee 5.00%", "amount": "1000"}],
        "economics": {
            "fixed_cost_per_month": "900",
            "margin_floor_percent": "40.00",
            "target_margin_percent": "70.0",
        },
    }
    path = tmp_path / "floor.json"
    path.write_text(json.dumps(data))
    return path


def test_price_warnings_write_their_percents_as_the_app_does(tmp_path: Path) -> None:
    """The engine writes "70.0% target margin", "below the 40.00% floor" (its values as
    typed): the command line writes them as the app does (70%, 40%; a margin to one
    decimal, 10.0%)."""
    code, out, err = run("price", str(_below_floor(tmp_path)))
    assert (code, err) == (0, "")
    out = " ".join(out.split())  # the lines of words wrap to the terminal's width
    assert "at a 70% target margin" in out
    assert "Gross margin in contract year 1 is 10.0%, below the 40% floor." in out
    assert "40.00%" not in out and "70.0%" not in out


@pytest.mark.parametrize(
    ("text", "values", "shown"),
    [
        (
            "The effective discount is 25.00%, above the manager's 20% authority",
            {"discount": Decimal("25.00"), "limit": Decimal("20")},
            "The effective discount is 25%, above the manager's 20% authority",
        ),
        (
            "The effective discount is 10.01%, above the rep's 10% authority",
            {"discount": Decimal("10.01"), "limit": Decimal("10")},
            "The effective discount is 10.01%, above the rep's 10% authority",
        ),
        # A margin to one decimal, as the app writes one.
        (
            "Gross margin in contract year 1 is 62.35%, below the 65.00% floor.",
            (("year", 1), ("margin", Decimal("62.35")), ("floor", Decimal("65.00"))),
            "Gross margin in contract year 1 is 62.4%, below the 65% floor.",
        ),
        # A name the user wrote stays as written, quoted or not.
        (
            "'Promo 5.00%' charges per token at a 70.00% target margin",
            {"component": "Promo 5.00%", "target_margin": Decimal("70.00")},
            "'Promo 5.00%' charges per token at a 70% target margin",
        ),
        (
            "Top 5.00% users is priced by outcome: 12.50%",
            {"share": Decimal("12.5")},
            "Top 5.00% users is priced by outcome: 12.5%",
        ),
        # No values (a request stored before reasons had codes): every percent.
        ("The discount is 1234.50%.", None, "The discount is 1,234.5%."),
        (
            "Cache hits of 25.0% are below the playbook's usual 30-60%",
            None,
            "Cache hits of 25% are below the playbook's usual 30-60%",
        ),
        # Not a percent of a sentence: a path, a longer word.
        ("/tmp/50.00%/q.json: no such file", None, "/tmp/50.00%/q.json: no such file"),
    ],
)
def test_engine_sentences_through_the_one_formatter(text: str, values: object, shown: str) -> None:
    assert cli_db.says(text, values) == shown


def test_a_refusal_sentence_is_written_with_its_percents() -> None:
    """``decide`` refused beyond the approver's authority: the error the command line
    prints writes the discount as the app does; a plain message (it may quote a path or
    what was typed) is printed as it is."""
    from quote_builder.errors import Sentence, UserFacingError

    problem = Sentence(
        "the effective discount is 25.00%, above the manager's 20% authority",
        "authority.discount",
        discount=Decimal("25.00"),
        role="manager",
        limit=Decimal("20"),
    )
    error = UserFacingError(
        Sentence(f"{problem}; the decision is beyond their authority", "x", problem=problem)
    )
    assert cli_db.error_text(error) == (
        "the effective discount is 25%, above the manager's 20% authority; the decision is "
        "beyond their authority"
    )
    assert cli_db.error_text(UserFacingError("--expires: '25.00%' is not a date")) == (
        "--expires: '25.00%' is not a date"
    )
    assert cli_db.error_text(UserFacingError("/tmp/a 25.00% b")) == "/tmp/a 25.00% b"
