"""quote_builder.pricing loads its names on first use (issue 16: a cold `price` should not
build models it does not need)."""

from __future__ import annotations

import subprocess
import sys

import quote_builder.pricing as pricing


def test_every_exported_name_resolves() -> None:
    assert set(pricing.__all__) == set(pricing._WHERE)
    for name in pricing.__all__:
        assert getattr(pricing, name) is not None, name


def test_the_price_command_does_not_load_the_advisor_or_the_services_database() -> None:
    code = (
        "import io, sys\n"
        "from quote_builder.cli import main\n"
        "assert main(['price', 'examples/platform_usage_analytics.json', '--json'],"
        " io.StringIO(), io.StringIO()) == 0\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('quote_builder',"
        " 'sqlalchemy', 'weasyprint', 'PySide6')))))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "quote_builder.pricing.engine" in loaded
    for absent in ("quote_builder.pricing.advisor", "sqlalchemy", "weasyprint", "PySide6"):
        assert absent not in loaded, absent
