"""JSON a user hands us (quotes, plans, approval requests and decisions) is bounded: nesting
200,000 levels deep and 5,000-digit integers are refused with a sentence, never a
RecursionError or Python's int-conversion limit as a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from quote_builder.cli import main
from quote_builder.pricing.quote_format import (
    MAX_INT_DIGITS,
    MAX_JSON_DEPTH,
    JSONInputError,
    load_json,
)
from quote_builder.store.database import open_database

DEEP = "[" * 200_000 + "]" * 200_000
DEEP_OBJECT = '{"a":' * 200_000 + "1" + "}" * 200_000
HUGE_INT_PLAN = (
    '{"plans": [{"name": "Huge", "pricing_model": "platform_usage", "components": '
    '[{"kind": "flat_fee", "id": "a", "name": "A", "amount": ' + "9" * 5000 + "}]}]}"
)


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_nesting_and_digits_are_bounded() -> None:
    assert load_json(nested(MAX_JSON_DEPTH)) is not None
    assert load_json('{"n": ' + "9" * MAX_INT_DIGITS + "}") == {"n": int("9" * MAX_INT_DIGITS)}
    assert load_json('{"n": -' + "9" * MAX_INT_DIGITS + "}")["n"] < 0
    for text in (nested(MAX_JSON_DEPTH + 1), DEEP, DEEP_OBJECT):
        with pytest.raises(JSONInputError, match="nested too deeply"):
            load_json(text)
    for text in ('{"n": ' + "9" * (MAX_INT_DIGITS + 1) + "}", '{"n": ' + "9" * 5000 + "}"):
        with pytest.raises(JSONInputError, match="too many digits"):
            load_json(text)
    with pytest.raises(JSONInputError, match="NaN is not a number"):
        load_json('{"n": NaN}')
    with pytest.raises(JSONInputError, match="byte 0: not UTF-8"):
        load_json(b"\xff{}")


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    path = str(tmp_path / "q.db")
    open_database(path, create=True).close()
    return path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("command", "content", "expected"),
    [
        (["plans", "import"], DEEP, "nested too deeply"),
        (["plans", "import"], DEEP_OBJECT, "nested too deeply"),
        (["plans", "import"], HUGE_INT_PLAN, "A number in the file has too many digits"),
        (["quotes", "import"], DEEP, "nested too deeply"),
        (
            ["approval", "import"],
            DEEP,
            "The decision file is not JSON we can read: (document): nested",
        ),
        (
            ["approval", "decide", "--approve", "--key", "k", "--passphrase-env", "P"],
            DEEP,
            "The approval request file is not JSON we can read: (document): nested too deeply",
        ),
        (
            ["approval", "import"],
            '{"format": "quote-builder/approval-decision-file", "payload": {"version": '
            + "9" * 5000
            + "}}",
            "too many digits",
        ),
    ],
)
def test_hostile_files_get_a_sentence(
    db_path: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    content: str,
    expected: str,
) -> None:
    monkeypatch.setenv("P", "x")
    hostile = tmp_path / "hostile.json"
    hostile.write_text(content)
    action = list(command)
    if action[:2] == ["approval", "decide"]:
        argv = [*action[:2], str(hostile), *action[2:]]
    else:
        argv = [*action, str(hostile)]
    code, _out, err = run(*argv, "--db", db_path)
    assert code == 2
    assert expected in err
    assert "Traceback" not in err and "RecursionError" not in err


def test_a_request_with_a_version_no_database_can_hold_is_refused(tmp_path: Path) -> None:
    """The document and its hash are genuine; only the version number is 10^25 (SQLite
    raised OverflowError storing it)."""
    import json

    from quote_builder.services import approvals as svc
    from quote_builder.services import quotes as quote_svc
    from tests.store.helpers import customer, document

    with open_database(str(tmp_path / "rep.db"), create=True) as rep:
        customer(rep)
        doc = document(discounts=[{"description": "Launch", "percent": "24"}])
        row = quote_svc.create_quote(rep, doc, actor="rep").value
        svc.request_approval(rep, row.number, actor="rep")
        data = json.loads(svc.export_request(rep, row.number, actor="rep"))
    data["version"] = 10**25
    with open_database(str(tmp_path / "desk.db"), create=True) as desk:
        with pytest.raises(svc.BadRequestFileError, match="version: must be from 1 to 1,000,000"):
            svc.import_request(desk, json.dumps(data), actor="desk")
        assert svc.list_requests(desk) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1, "a": 2}', "(document): the key 'a' is given twice; keep one of them"),
        ('{"b": {"c": [1, {"x": 1, "x": 1}]}}', "b.c[1]: the key 'x' is given twice"),
        ('[{"ok": 1}, {"y": 1, "z": 2, "y": 3}]', "[1]: the key 'y' is given twice"),
        ('{"p": {"a": 1, "a": 2}, "q": {"b": 1, "b": 2}}', "p: the key 'a' is given twice"),
    ],
)
def test_a_key_given_twice_is_refused(text: str, expected: str) -> None:
    """Python's JSON keeps the last value silently: '"price_per_seat": "60.00",
    "price_per_seat": "6.00"' priced at 6.00 while a reader sees 60.00 first."""
    with pytest.raises(JSONInputError) as caught:
        load_json(text)
    assert str(caught.value).startswith(expected), caught.value


def _with_a_second_price(tmp_path: Path) -> Path:
    text = Path("examples/seats_ai_tiers_coding_individual.json").read_text()
    assert text.count('"price_per_seat": "10.00"') == 1
    doubled = text.replace(
        '"price_per_seat": "10.00"', '"price_per_seat": "60.00", "price_per_seat": "6.00"'
    )
    path = tmp_path / "doubled.json"
    path.write_text(doubled)
    return path


@pytest.mark.parametrize(
    "command", ["price FILE", "render FILE -o OUT", "quotes import FILE --db DB"]
)
def test_every_path_refuses_a_quote_with_a_key_given_twice(
    tmp_path: Path, db_path: str, command: str
) -> None:
    path = _with_a_second_price(tmp_path)
    names = {"FILE": str(path), "OUT": str(tmp_path / "q.pdf"), "DB": db_path}
    code, out, err = run(*(names.get(word, word) for word in command.split()))
    assert code == 2, (out, err)
    assert "components[0]: The key 'price_per_seat' is given twice; keep one of them." in err
    assert not (tmp_path / "q.pdf").exists()


def test_nan_and_infinity_are_named_where_they_are() -> None:
    """A hand-edited quote with "escalator_percent": NaN was refused with "NaN is not a
    number Quote Builder can hold", naming neither the field nor the line."""
    with pytest.raises(JSONInputError) as caught:
        load_json('{"term_months": 12, "escalator_percent": NaN}')
    assert str(caught.value) == "escalator_percent: NaN is not a number Quote Builder can hold"
    with pytest.raises(JSONInputError) as caught:
        load_json('{"components": [{"id": "a"}, {"price": -Infinity, "x": Infinity}]}')
    assert str(caught.value) == (
        "components[1].price: -Infinity is not a number Quote Builder can hold"
    )
    assert load_json('{"title": "NaN"}') == {"title": "NaN"}  # a text is a text
