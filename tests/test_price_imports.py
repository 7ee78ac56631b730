"""What a cold `quote-builder price FILE --json` loads (issue 16 §3: it should start in about
a tenth of a second, and pydantic alone takes most of that).

The command runs in a new process through the launcher, as the console script runs it; the
process then reports what it loaded. Nothing of the database, the documents, the desktop
app or the advisor; no importlib.metadata (pydantic's plugin lookup); and of the quote
format's pydantic models only QuoteDocument is built (its nested models are built inside
its schema; they build their own on first use elsewhere, ``defer_build``).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pydantic

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "platform_usage_analytics.json"

REPORT = """
import contextlib, io, json, sys
from quote_builder.launcher import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(sys.argv[1:])
modules = sorted(sys.modules)
def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)
models = []
if "pydantic" in sys.modules:
    from pydantic import BaseModel
    models = list(subclasses(BaseModel))
json.dump({
    "code": code,
    "printed": len(out.getvalue()),
    "modules": modules,
    "built": sorted({m.__name__ for m in models if m.__pydantic_complete__}),
    "models": sorted({m.__name__ for m in models}),
}, sys.stderr)
"""

NEVER = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "jinja2",
    "weasyprint",
    "babel",
    "PySide6",
    "cryptography",
    "importlib.metadata",
    "quote_builder.store",
    "quote_builder.services.core",
    "quote_builder.documents",
    "quote_builder.approvals",
    "quote_builder.usage",
    "quote_builder.ui",
    "quote_builder.completion",
    "quote_builder.pricing.advisor",
    "quote_builder.pricing.terms",
    "quote_builder.pricing.evidence",
    "quote_builder.pricing.options",
    "quote_builder.pricing.contracts",
)


def loaded_by(*argv: str, data_home: Path | None = None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYDANTIC_")}
    env["QUOTE_BUILDER_NO_GUI"] = "1"
    if data_home is not None:  # a user without a database
        env = {
            k: v for k, v in env.items() if k not in ("QUOTE_BUILDER_DB", "QUOTE_BUILDER_DATA_DIR")
        }
        env["XDG_DATA_HOME"] = str(data_home)
    proc = subprocess.run(
        [sys.executable, "-c", REPORT, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    # (after what the command itself wrote to standard error: render's warnings)
    report: dict[str, object] = json.loads(proc.stderr[proc.stderr.rindex('{"code": ') :])
    return report


def test_cold_price_loads_only_what_pricing_a_file_needs() -> None:
    report = loaded_by("price", str(EXAMPLE), "--json")
    assert report["code"] == 0 and report["printed"] > 1000
    modules = set(report["modules"])  # type: ignore[arg-type]
    assert "quote_builder.pricing.engine" in modules and "pydantic" in modules
    found = sorted(m for m in modules for never in NEVER if m == never or m.startswith(never + "."))
    assert found == []


def test_cold_price_builds_the_quote_model_alone() -> None:
    report = loaded_by("price", str(EXAMPLE), "--json")
    models = report["models"]
    assert "Seats" in models and "ContractTerms" in models  # the nested models exist...
    assert report["built"] == ["QuoteDocument"]  # ...and are validated inside its schema


def test_a_file_rendered_without_a_database_loads_no_database_code(tmp_path: Path) -> None:
    """`render FILE` reads the seller from the user's database when there is one; without
    one, SQLAlchemy, SQLModel and the store are not even imported (they were, through the
    customer's tax facts, about a quarter of a cold render's processor time)."""
    out = tmp_path / "out.pdf"
    report = loaded_by("render", str(EXAMPLE), "-o", str(out), data_home=tmp_path / "data")
    assert report["code"] == 0 and out.read_bytes().startswith(b"%PDF-")
    modules = set(report["modules"])  # type: ignore[arg-type]
    assert "weasyprint" in modules
    never = ("sqlalchemy", "sqlmodel", "alembic", "quote_builder.store", "PySide6")
    found = sorted(m for m in modules for n in never if m == n or m.startswith(n + "."))
    assert found == []


def test_version_and_help_load_no_pydantic() -> None:
    for argv in (["--version"], ["--help"], ["price", "--help"]):
        modules = set(loaded_by(*argv)["modules"])  # type: ignore[arg-type]
        assert "pydantic" not in modules, argv
        assert "quote_builder.pricing.engine" not in modules, argv


def test_pydantic_imports_only_get_plugins_from_its_plugin_loader() -> None:
    """The launcher answers pydantic's plugin lookup without importing the module that does
    it (launcher.switch_pydantic_plugins_off): that is right only while pydantic imports
    nothing else from that module. A newer pydantic that does fails here, not in a user's
    command."""
    package = Path(pydantic.__file__).parent
    imported: set[str] = set()
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("_loader"):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.Import):
                assert not any(a.name.endswith("plugin._loader") for a in node.names), source
    assert imported == {"get_plugins"}


def test_pydantic_finds_no_plugin_with_plugins_switched_off() -> None:
    """What the launcher's stand-in answers is what pydantic's own loader answers."""
    code = (
        "import os; os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'\n"
        "from pydantic.plugin._loader import get_plugins\n"
        "print(list(get_plugins()))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_the_plugin_switch_keeps_a_users_own_choice() -> None:
    """With PYDANTIC_DISABLE_PLUGINS naming single plugins, pydantic's loader runs."""
    code = (
        "import os, sys\n"
        "os.environ['PYDANTIC_DISABLE_PLUGINS'] = 'some-plugin'\n"
        "from quote_builder.launcher import switch_pydantic_plugins_off\n"
        "switch_pydantic_plugins_off()\n"
        "from pydantic.plugin import _loader\n"
        "print(hasattr(_loader, 'entry_points'))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "True"


def test_the_app_can_build_the_deferred_models_ahead_of_use() -> None:
    """The quote format's nested models build on first use (``defer_build``); the app
    builds them in its start-up thread (``ui.app._preload``) with ``build_models``."""
    code = (
        "import json\n"
        "from pydantic import BaseModel\n"
        "from quote_builder.pricing import components, document, legal\n"
        "from quote_builder.pricing.quote_format import build_models\n"
        "models = [v for m in (components, document, legal) for v in vars(m).values()\n"
        "          if isinstance(v, type) and issubclass(v, BaseModel)\n"
        "          and v.__module__ == m.__name__]\n"
        "before = sorted(m.__name__ for m in models if m.__pydantic_complete__)\n"
        "first, again = build_models(), build_models()\n"
        "after = all(m.__pydantic_complete__ for m in models)\n"
        "print(json.dumps([before, len(models), first, again, after]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, count, first, again, after = json.loads(proc.stdout)
    assert before == ["QuoteDocument"]  # built at import: whoever imports it uses it
    assert count > 40 and first == count - 1 and again == 0 and after is True
