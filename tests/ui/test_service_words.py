"""The services' refusals in the interface's language (``ui/service_words.py``,
``ui/error_words.py``).

The walk: every refusal a use case raises (``quote_builder/services``) is written from a
``Sentence`` (an English ``str`` with a code and its values), made there or in the layer
it raises again (``sentence_of``); every code made anywhere has its words in the UI; the
UI's English message reads as the service's English; the command line's English is the
``str`` it always was. Then the sentences a rep meets, in German and French, with literal
expected text, and in the app's dialogs and banners.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import pickle
import re
import string
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from quote_builder.csv_input import UNCLOSED_QUOTE
from quote_builder.errors import Sentence, UserFacingError
from quote_builder.pricing.fields import NUL_REFUSED
from quote_builder.ui import error_words, i18n, locale_format, service_words
from tests.ui.sentence_walk import ROOT, dynamic_codes, sentences

SERVICES = ROOT / "quote_builder" / "services"

COMMAND_LINE_ONLY: dict[str, str] = {
    "maintenance.py": "backup and restore: the command line's `db backup` and `db restore`",
    "pricing.py": "reading a quote file: the command line's `price`, `render`, `usage`",
    "selftest.py": "the packaged build's self test",
}
"""Service modules whose refusals the app never shows (``test_the_app_never_calls_them``
proves it), left in English."""

COMMAND_LINE_FUNCTIONS: dict[tuple[str, str], str] = {
    ("transfer.py", "import_plans_json"): "`plans import` on the command line",
    ("transfer.py", "import_quote_json"): "`quote import` on the command line",
    ("plans.py", "find_plan"): "`--plan NAME` on the command line",
}
"""Use cases only the command line calls (checked like the modules above)."""

ENGINE_PROBLEMS: dict[tuple[str, str], str] = {
    ("quotes.py", "_price_for_saving"): "the quote format's validation (QuoteFileError)",
    ("quotes.py", "open_version"): "a stored version's validation (QuoteFileError)",
    ("plans.py", "parse_components"): "the components' validation (describe_errors)",
    ("tax.py", "tax_for"): "TaxSetupError's problems: Sentences of pricing/tax.py (walked)",
}
"""Where a use case raises the problems a lower layer listed: the pricing models' own
validation reasons stay English (docs/translations.md, "What stays English"); the tax
setup's are Sentences made in ``pricing/tax.py``, which the code walk covers."""


def _user_facing(module: Any, name: str) -> bool:
    target = module
    for part in name.split("."):
        target = getattr(target, part, None)
        if target is None:
            return False
    return isinstance(target, type) and issubclass(target, UserFacingError)


def _returns_sentences(function: ast.FunctionDef) -> bool:
    annotation = ast.unparse(function.returns) if function.returns else ""
    return annotation in ("Sentence", "Sentence | None", "list[Sentence]")


class _Module:
    """A services module's functions, for following a name to what it holds."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text("utf-8"))
        self.functions = {
            node.name: node for node in ast.walk(self.tree) if isinstance(node, ast.FunctionDef)
        }
        core = ast.parse((SERVICES / "core.py").read_text("utf-8"))
        self.helpers = {
            node.name
            for tree in (self.tree, core)
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and _returns_sentences(node)
        } | set(LIST_HELPERS) | set(LOWER_LAYER_SENTENCES)
        """Functions that give a Sentence (or a list of them): their own returns are walked
        by ``test_every_sentence_helper_returns_sentences``."""


LOWER_LAYER_SENTENCES = ("tax_id_problem",)
"""Functions of ``pricing`` that return a Sentence (their annotations say so:
``test_the_lower_layer_helpers_return_sentences``)."""

LIST_HELPERS = (
    "problems_from",
    "tax_id_problems",
    "region_problems",
    "_rate_problems",
    "_row_problems",
)
"""Functions that give a list of Sentences (annotated ``list[str]``: a Sentence is one)."""


def _problems(module: _Module, function: ast.FunctionDef, node: ast.expr, seen: set[str]) -> list[str]:
    """Why ``node`` (a raise's message) is not written from Sentences; empty when it is."""
    where = f"{module.path.name}:{node.lineno} ({function.name})"
    if isinstance(node, ast.Call):
        name = ast.unparse(node.func)
        if name in ("Sentence", "sentence_of"):
            return []
        if name in module.helpers:
            return []
        if name == "sorted" and node.args:
            return _problems(module, function, node.args[0], seen)
        return [f"{where}: {ast.unparse(node)[:90]}"]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _problems(module, function, node.left, seen) + _problems(
            module, function, node.right, seen
        )
    if isinstance(node, ast.IfExp):
        return _problems(module, function, node.body, seen) + _problems(
            module, function, node.orelse, seen
        )
    if isinstance(node, ast.List):
        return [p for element in node.elts for p in _problems(module, function, element, seen)]
    if isinstance(node, ast.ListComp | ast.GeneratorExp):
        return _problems(module, function, node.elt, seen)
    if isinstance(node, ast.Name):
        if node.id in seen:
            return []
        seen = seen | {node.id}
        found: list[str] = []
        for inner in ast.walk(function):
            if (  # name = ..., name: T = ...
                isinstance(inner, ast.Assign | ast.AnnAssign)
                and any(
                    isinstance(t, ast.Name) and t.id == node.id
                    for t in (inner.targets if isinstance(inner, ast.Assign) else [inner.target])
                )
                and inner.value is not None
            ):
                if isinstance(inner.value, ast.List) and not inner.value.elts:
                    continue
                if isinstance(inner.value, ast.Constant) and inner.value.value is None:
                    continue
                found += _problems(module, function, inner.value, seen)
            elif (  # name.append(x), name.insert(i, x), name.extend(xs), name += xs
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Attribute)
                and isinstance(inner.func.value, ast.Name)
                and inner.func.value.id == node.id
                and inner.func.attr in ("append", "insert", "extend")
            ):
                found += _problems(module, function, inner.args[-1], seen)
            elif (
                isinstance(inner, ast.AugAssign)
                and isinstance(inner.target, ast.Name)
                and inner.target.id == node.id
            ):
                found += _problems(module, function, inner.value, seen)
            elif isinstance(inner, ast.arg) and inner.arg == node.id:
                found.append(f"{where}: the parameter {node.id!r} (say where it is made)")
        return found
    if isinstance(node, ast.Tuple):  # a refusal kept as (code, sentence)
        return _problems(module, function, node.elts[-1], seen)
    return [f"{where}: {ast.unparse(node)[:90]}"]


def _raises() -> list[tuple[_Module, ast.FunctionDef, ast.Raise, Any]]:
    found = []
    for path in sorted(SERVICES.glob("*.py")):
        if path.name in COMMAND_LINE_ONLY:
            continue
        module = _Module(path)
        imported = importlib.import_module(f"quote_builder.services.{path.stem}")
        for function in module.functions.values():
            if (path.name, function.name) in COMMAND_LINE_FUNCTIONS:
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                    found.append((module, function, node, imported))
    return found


def test_every_refusal_a_use_case_raises_is_written_from_sentences() -> None:
    """The walk: each ``raise`` of a UserFacingError in a use case (and each refusal
    ``_refuse`` records) gets its message from ``Sentence``s, followed through the names it
    is built in; a raise the app shows with an English ``str`` fails here."""
    untranslated: list[str] = []
    checked = 0
    for module, function, node, imported in _raises():
        call = node.exc
        assert isinstance(call, ast.Call)
        name = ast.unparse(call.func)
        if (module.path.name, function.name) in ENGINE_PROBLEMS and any(
            "problems" in ast.unparse(a) or "describe_errors" in ast.unparse(a) for a in call.args
        ):
            continue
        if name == "_refuse":  # lifecycle: audit a refused acceptance, return the error
            starred = [a.value for a in call.args if isinstance(a, ast.Starred)]
            message = starred[0] if starred else call.args[3]
            untranslated += _problems(module, function, message, set())
            checked += 1
            continue
        if name == "error":  # approvals._load_json: the error class is a parameter
            untranslated += _problems(module, function, call.args[0], set())
            checked += 1
            continue
        if not _user_facing(imported, name) or not call.args:
            continue
        checked += 1
        if name in ("DuplicateCustomerError", "ConflictError", "ConcurrentNameError"):
            continue  # they write their own sentence: test_the_errors_own_sentences
        for argument in call.args[:2] if name in ("InvalidInputError", "ImportFailedError") else call.args[:1]:
            untranslated += _problems(module, function, argument, set())
    assert checked > 200, "the walk found the use cases' refusals"
    assert not untranslated, "refusals without a Sentence:\n" + "\n".join(untranslated)


def test_the_errors_own_sentences() -> None:
    """The errors that write their own message (a conflict, a duplicate customer) make it
    a Sentence."""
    from quote_builder.services.core import ConflictError, quote_named
    from quote_builder.services.customers import ConcurrentNameError, DuplicateCustomerError
    from quote_builder.store.models import CustomerPublic

    moment = dt.datetime(2026, 5, 1, 14, 5, tzinfo=dt.UTC)
    existing = CustomerPublic.model_validate(
        {
            "id": 1,
            "name": "Acme GmbH",
            "currency": "EUR",
            "version_id": 1,
            "archived": True,
            "created_at": moment,
            "updated_at": moment,
            "updated_by": "ann",
        }
    )
    for error in (
        ConflictError(quote_named("Q-1"), "ann", moment),
        ConflictError(quote_named("Q-1"), "", moment),
        DuplicateCustomerError(existing),
        ConcurrentNameError("Acme GmbH"),
    ):
        assert isinstance(error.args[0], Sentence)
        assert error.args[0].code in service_words.table()


def test_every_sentence_helper_returns_sentences() -> None:
    """A helper the walk trusts (its return annotation says Sentence) returns Sentences,
    or None, on every path."""
    wrong: list[str] = []
    for path in sorted(SERVICES.glob("*.py")):
        module = _Module(path)
        for function in module.functions.values():
            if not _returns_sentences(function) and function.name not in LIST_HELPERS:
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Return) and node.value is not None:
                    if isinstance(node.value, ast.Constant) and node.value.value is None:
                        continue
                    wrong += _problems(module, function, node.value, set())
    assert not wrong, "\n".join(wrong)


def test_the_lower_layer_helpers_return_sentences() -> None:
    import inspect

    from quote_builder.pricing import tax

    for name in LOWER_LAYER_SENTENCES:
        assert "Sentence" in str(inspect.signature(getattr(tax, name)).return_annotation)
    sentence = tax.tax_id_problem("DE", "12", field="Tax ID", country_name="Germany")
    assert isinstance(sentence, Sentence) and sentence.code == "tax.id_form"


def test_the_app_never_calls_the_command_line_use_cases() -> None:
    """What is left English above is the command line's alone: no window imports those
    modules or calls those functions."""
    ui = ROOT / "quote_builder" / "ui"
    source = "\n".join(p.read_text("utf-8") for p in ui.rglob("*.py"))
    for module in COMMAND_LINE_ONLY:
        stem = module.removesuffix(".py")
        assert not re.search(rf"services(\.|\s+import\s+){stem}\b", source), module
        assert f"services.{stem} " not in source
    for _module, function in COMMAND_LINE_FUNCTIONS:
        assert re.search(rf"\b{function}\b", source) is None, function


# --- every code has its words --------------------------------------------------------------


def _made_codes() -> set[str]:
    codes = {code for made in sentences() for code in made.codes}
    from quote_builder.services.core import _BOUNDS
    from quote_builder.services.quotes import LIFECYCLE_STATUSES

    cases = {
        "f'status.only_from.{status}'": {f"status.only_from.{s}" for s in LIFECYCLE_STATUSES},
        "f'input.{kind}'": {f"input.{kind}" for kind in _BOUNDS},
    }
    for where, code in dynamic_codes():
        assert code in cases, f"{where}: a code made from values: {code}"
        codes |= cases[code]
    return codes


def test_every_code_made_has_its_words_and_every_word_a_code() -> None:
    made = _made_codes()
    assert len(made) > 200
    table = set(service_words.table())
    missing = sorted(made - table)
    assert not missing, f"codes without words in ui/error_words.py: {missing}"
    stale = sorted(table - made)
    assert not stale, f"words for codes no service makes: {stale}"


def test_not_found_names_every_kind() -> None:
    """``not_found(kind, id)`` is called with the kinds the UI words."""
    kinds = set()
    for path in SERVICES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) == "not_found":
                assert isinstance(node.args[0], ast.Constant)
                kinds.add(node.args[0].value)
    assert kinds == set(error_words.NOT_FOUND)


_CONSTANTS = {"NUL_REFUSED": NUL_REFUSED, "UNCLOSED_QUOTE": UNCLOSED_QUOTE}

ENGLISH_OF_ITS_OWN: dict[str, str] = {
    "decision.replayed": "the moment in the user's time zone and format, not 'UTC'",
    "keyfile.damaged": "one message for every damaged part, the part named in parentheses",
}
"""Codes whose English message in the app differs from the command line's on purpose."""


def test_the_english_messages_read_as_the_services() -> None:
    """The UI's English message of a code is the service's English with the values as
    placeholders (so the English interface says what the command line says); and every
    placeholder of a message is a value the service gives."""
    table = service_words.table()
    compared = 0
    wrong = []
    for made in sentences(constants=_CONSTANTS):
        for code in made.codes:
            words = table.get(code)
            if isinstance(words, str):
                names = {f for _t, f, _s, _c in string.Formatter().parse(words) if f}
                extra = names - set(made.params)
                if extra:
                    wrong.append(f"{made.path}:{made.line} {code}: no value for {extra}")
                if made.english is None or made.unmatched or code in ENGLISH_OF_ITS_OWN:
                    continue
                compared += 1
                if words != made.english:
                    wrong.append(f"{made.path}:{made.line} {code}:\n  {made.english}\n  {words}")
    assert compared > 150
    assert not wrong, "\n".join(wrong)


def test_a_sentence_is_its_english_and_travels_with_its_values() -> None:
    from quote_builder.services.core import RefusedError

    sentence = Sentence("Q-1 is sent", "final.status", number="Q-1", status="sent")
    error = RefusedError(sentence)
    assert str(error) == "Q-1 is sent" and type(str(error)) is str
    back = pickle.loads(pickle.dumps(error))
    assert back.args[0] == "Q-1 is sent"
    assert back.args[0].code == "final.status"
    assert back.args[0].params == {"number": "Q-1", "status": "sent"}
    assert "; ".join([sentence, "x"]) == "Q-1 is sent; x"


# --- the sentences a rep meets, in German and French ------------------------------------------


@pytest.fixture
def german() -> Any:
    i18n.use_language("de")
    locale_format.set_locale("de_DE")
    yield
    i18n.use_language("en")
    locale_format.set_locale("en_US")


@pytest.fixture
def french() -> Any:
    i18n.use_language("fr")
    locale_format.set_locale("fr_FR")
    yield
    i18n.use_language("en")
    locale_format.set_locale("en_US")
