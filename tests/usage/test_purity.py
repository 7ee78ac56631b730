"""The usage package keeps money exact: no floats anywhere in it."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "quote_builder" / "usage"


def test_usage_uses_no_floats() -> None:
    offenders = [
        f"{path.name}:{number}"
        for path in PACKAGE.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "float(" in line
    ]
    assert offenders == []
