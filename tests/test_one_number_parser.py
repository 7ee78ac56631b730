"""One number parser (issue 12, part 4): every amount, percent and quantity a user types
in a window is read by ``quote_builder.numbers`` through ``ui/locale_numbers.py``.

Before the issue the windows had three parsers of their own: ``Decimal(text)`` in the
settings (a German "62,5" refused with Python's words, "1e3" accepted), a regular expression
dropping thousands commas in the editor, ``.replace(",", "")`` for the customer's seats,
and the wizard read "45,50" as 4550. This test reads the source of ``quote_builder/ui``
and fails when such a parser comes back: a ``Decimal``, ``float`` or ``int`` built from
what a widget holds (``.text()``, a table cell, or a ``str`` parameter of the function),
a Qt number validator or ``QLocale`` conversion, the C library's ``locale`` module, a
number massaged with ``.replace`` of a comma or a point, or babel's parser used anywhere
but ``quote_builder/numbers.py``. The first tests prove the scanner catches each of those
shapes (from the code the issue removed), so the last one cannot pass by finding nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UI = ROOT / "quote_builder" / "ui"
SANCTIONED_MODULE = UI / "locale_numbers.py"

CONVERSIONS = {"Decimal", "float", "int"}
"""Calls that turn a text into a number when handed one."""
WIDGET_TEXT = {"text", "currentText", "toPlainText", "displayText", "cell", "_cell"}
"""Methods that give what a user typed (a line, a combo, a table cell)."""
READERS = {
    "parse",
    "parse_optional",
    "parse_decimal",
    "quote_text",
    "stored_text",
    "number_text",
    "reason",
    "problem",
    "plain",
    "field_text",
}
"""The one parser's functions: a text handed to them is read the locale's way."""
FORBIDDEN_NAMES = {
    "QDoubleValidator",
    "QIntValidator",
    "QRegularExpressionValidator",
    "toDouble",
    "toFloat",
    "toInt",
    "toLongLong",
    "atof",
    "atoi",
}


def _is_text_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WIDGET_TEXT
    )


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _typed(node: ast.AST, tainted: set[str]) -> bool:
    """Whether ``node`` holds text a user typed that no reader of the one parser read."""
    if isinstance(node, ast.Call) and _called_name(node) in READERS:
        return False
    if _is_text_call(node):
        return True
    if isinstance(node, ast.Name):
        return node.id in tainted
    if isinstance(node, ast.Subscript):  # text[1:], not a lookup by a typed key
        return _typed(node.value, tainted)
    if isinstance(node, ast.Call):  # a method of typed text (.strip()), not f(text)
        return isinstance(node.func, ast.Attribute) and _typed(node.func.value, tainted)
    return any(_typed(child, tainted) for child in ast.iter_child_nodes(node))


def _str_parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    args = function.args
    return {
        a.arg
        for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)
        if isinstance(a.annotation, ast.Name)
        and a.annotation.id == "str"
        or isinstance(a.annotation, ast.Constant)
        and a.annotation.value == "str"
    }


def _own_nodes(scope: ast.AST) -> list[ast.AST]:
    """The nodes of a function (or of the module's top level), not of the functions and
    classes defined inside it: each has its own names."""
    found: list[ast.AST] = []
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        found.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return found


def _tainted_names(function: ast.AST, start: set[str]) -> set[str]:
    """Names a function binds to typed text (``raw = edit.text().strip()``), to a fixpoint."""
    tainted = set(start)
    changed = True
    while changed:
        changed = False
        for node in _own_nodes(function):
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if _typed(node.value, tainted):
                    for target in targets:
                        for name in ast.walk(target):
                            if isinstance(name, ast.Name) and name.id not in tainted:
                                tainted.add(name.id)
                                changed = True
    return tainted


def second_parsers(source: str) -> list[str]:
    """``line: what`` for each way of reading a number other than the one parser."""
    tree = ast.parse(source)
    found: list[str] = []
    scopes: list[tuple[ast.AST, set[str]]] = [(tree, set())]
    scopes += [
        (node, _str_parameters(node))
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    seen: set[int] = set()
    for scope, parameters in scopes:
        tainted = _tainted_names(scope, parameters)
        for node in _own_nodes(scope):
            if (
                isinstance(node, ast.Call)
                and _called_name(node) in CONVERSIONS
                and any(_typed(arg, tainted) for arg in node.args)
                and id(node) not in seen
            ):
                seen.add(id(node))
                found.append(f"{node.lineno}: {_called_name(node)}() of typed text")
    for node in ast.walk(tree):
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in FORBIDDEN_NAMES:
                found.append(f"{node.lineno}: {name}")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            names = [alias.name for alias in node.names]
            for module in modules:
                if module == "locale" or (
                    module.startswith("babel")
                    and (isinstance(node, ast.Import) or any(n.startswith("parse") for n in names))
                ):
                    found.append(f"{node.lineno}: import of {module}")
        elif (
            isinstance(node, ast.Call)
            and _called_name(node) == "replace"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value in (",", ".", "'", " ")
        ):
            found.append(f"{node.lineno}: .replace({node.args[0].value!r}, ...) of a number")
    return sorted(set(found), key=lambda line: int(line.split(":")[0]))


# The shapes of parser the issue removed, or would let back in: each must be found.
CAUGHT = [
    # settings_view._percent before issue 12
    "def _percent(text: str):\n    value = Decimal(text)\n",
    # customers_view: seats with their thousands commas dropped
    "def values(self):\n    result['seats'] = result['seats'].replace(',', '')\n",
    # a field read straight into a number
    "def total(self):\n    return Decimal(self.fixed.text())\n",
    # through a local name
    "def total(self):\n    raw = self.fixed.text().strip()\n    return float(raw)\n",
    # a table cell
    "def row(self, r):\n    return int(self._cell(self.table, r, 1))\n",
    "edit.setValidator(QDoubleValidator())\n",
    "import locale\nvalue = locale.atof(text)\n",
    "from babel.numbers import parse_decimal\n",
    "value = QLocale().toDouble(edit.text())\n",
]

ALLOWED = [
    # read by the one parser, then a plain-digit text made a Decimal
    "def _percent(text: str):\n    value = Decimal(stored_text(text) or '0')\n",
    "def total(self):\n    return parse(self.fixed.text(), what='Fixed cost')\n",
    # numbers that were never typed
    "def years(self):\n    return int(self.term.value()) // 12\n",
    "x = Decimal('0.01')\n",
]


@pytest.mark.parametrize("source", CAUGHT)
def test_the_scanner_finds_a_second_parser(source: str) -> None:
    assert second_parsers(source), source


@pytest.mark.parametrize("source", ALLOWED)
def test_the_scanner_lets_the_one_parser_through(source: str) -> None:
    assert second_parsers(source) == []


def test_every_window_reads_numbers_with_the_one_parser() -> None:
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in sorted(UI.rglob("*.py"))
        if path != SANCTIONED_MODULE
        for found in [second_parsers(path.read_text())]
        if found
    }
    assert offenders == {}


def test_babel_parses_numbers_only_in_numbers_py() -> None:
    """The services and the CLI read JSON and CSV (not locale text); only numbers.py asks
    babel to parse a number."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "quote_builder").rglob("*.py"))
        if path.name != "numbers.py"
        and any(
            isinstance(node, ast.ImportFrom)
            and (node.module or "").startswith("babel")
            and any(alias.name.startswith("parse") for alias in node.names)
            for node in ast.walk(ast.parse(path.read_text()))
        )
    ]
    assert offenders == []
