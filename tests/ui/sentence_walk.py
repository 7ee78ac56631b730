"""A walk of the source for the sentences the app writes again in the interface's language
(``quote_builder.errors.Sentence``): where each is made, with its code, its values' names
and the English it gives written as a message with placeholders.

``test_service_words.py`` checks with it that every refusal a use case raises is a
``Sentence`` whose code the UI knows, and that the UI's English reads as the service's.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "quote_builder"

SENTENCE_SOURCES = (
    "services",
    "approvals",
    "documents",
    "pricing",
    "csv_input.py",
    "safe_files.py",
    "user.py",
    "store/database.py",
    "store/columns.py",
    "usage",
)
"""Where sentences the app shows are made: the use cases and the layers whose refusals
they raise again (``sentence_of``)."""


@dataclass
class Made:
    """One ``Sentence(...)`` call."""

    path: str
    line: int
    codes: tuple[str, ...]
    params: dict[str, str]
    """Each value's name and its expression."""
    english: str | None
    """The English as a message (``{name}`` placeholders), None when it is not written
    from a literal here."""
    unmatched: list[str] = field(default_factory=list)
    """Expressions of the English with no value of the same expression."""


_THROUGH = ("replace", "isoformat", "strip", "date", "upper", "lower")
_WRAPPERS = ("str", "sentence_of", "list", "sorted", "repr")


def _base(node: ast.expr) -> ast.expr:
    """The value behind a formatting call: ``status.replace('_', ' ')`` -> ``status``,
    ``', '.join(sorted(names))`` -> ``names``."""
    while True:
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _THROUGH
        ):
            node = node.func.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _WRAPPERS
            and len(node.args) == 1
        ):
            node = node.args[0]
        elif (
            isinstance(node, ast.JoinedStr)
            and len(node.values) == 1
            and isinstance(node.values[0], ast.FormattedValue)
        ):
            node = node.values[0].value
        else:
            break
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and len(node.args) == 1
    ):
        node = node.args[0]
        while isinstance(node, ast.Call) and ast.unparse(node.func) in ("sorted", "list"):
            node = node.args[0]
    return node


def _literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _english(
    text: ast.expr, params: dict[str, ast.expr], constants: dict[str, str]
) -> tuple[str | None, list[str]]:
    """The English of ``text`` as a message: each formatted value as the placeholder of
    the value with the same expression (or the text of a known constant)."""
    by_expression: dict[str, str] = {}
    for name, value in params.items():
        by_expression.setdefault(ast.unparse(value), name)
        by_expression.setdefault(ast.unparse(_base(value)), name)
    unmatched: list[str] = []

    def placeholder(value: ast.expr, conversion: int = -1) -> str:
        for candidate in (value, _base(value)):
            name = by_expression.get(ast.unparse(candidate))
            if name is not None:
                return "'{" + name + "}'" if conversion == ord("r") else "{" + name + "}"
        if ast.unparse(value) in constants:
            return constants[ast.unparse(value)].replace("{", "{{").replace("}", "}}")
        unmatched.append(ast.unparse(value))
        return "{?}"

    if _literal(text):
        assert isinstance(text, ast.Constant)
        return str(text.value).replace("{", "{{").replace("}", "}}"), unmatched
    if isinstance(text, ast.JoinedStr):
        parts = []
        for value in text.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value).replace("{", "{{").replace("}", "}}"))
            else:
                assert isinstance(value, ast.FormattedValue)
                parts.append(placeholder(value.value, value.conversion))
        return "".join(parts), unmatched
    if (
        isinstance(text, ast.BinOp)
        and isinstance(text.op, ast.Mod)
        and isinstance(text.left, ast.Call)
        and ast.unparse(text.left.func) == "_"
        and _literal(text.left.args[0])
        and isinstance(text.right, ast.Dict)
    ):
        template = str(text.left.args[0].value)  # type: ignore[attr-defined]
        for key, value in zip(text.right.keys, text.right.values, strict=True):
            assert isinstance(key, ast.Constant)
            template = template.replace("%(" + str(key.value) + ")s", placeholder(value))
        return template.replace("%%", "%"), unmatched
    if (
        isinstance(text, ast.Call)
        and ast.unparse(text.func) == "_"
        and len(text.args) == 1
        and _literal(text.args[0])
    ):
        return str(text.args[0].value).replace("%%", "%"), unmatched  # type: ignore[attr-defined]
    return None, unmatched


def _codes(node: ast.expr) -> tuple[str, ...]:
    if _literal(node):
        assert isinstance(node, ast.Constant)
        return (str(node.value),)
    if isinstance(node, ast.IfExp):
        return _codes(node.body) + _codes(node.orelse)
    if isinstance(node, ast.JoinedStr | ast.Name):  # f"status.only_from.{status}": its cases
        return ()
    raise ValueError(f"a code that is not a literal: {ast.unparse(node)}")


def sentences(
    sources: tuple[str, ...] = SENTENCE_SOURCES, constants: dict[str, str] | None = None
) -> list[Made]:
    """Every ``Sentence(...)`` made in ``sources`` (folders or files of the package);
    ``constants``: the text of module constants the English names (``NUL_REFUSED``)."""
    found: list[Made] = []
    for source in sources:
        target = PACKAGE / source
        paths = [target] if target.is_file() else sorted(target.rglob("*.py"))
        for path in paths:
            tree = ast.parse(path.read_text("utf-8"))
            for node in ast.walk(tree):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "Sentence"
                    and len(node.args) == 2
                ):
                    continue
                values = {k.arg: k.value for k in node.keywords if k.arg}
                params = {name: ast.unparse(value) for name, value in values.items()}
                english, unmatched = _english(node.args[0], values, constants or {})
                made = Made(
                    str(path.relative_to(ROOT)),
                    node.lineno,
                    _codes(node.args[1]),
                    params,
                    english if len(_codes(node.args[1])) == 1 else None,
                    unmatched,
                )
                found.append(made)
    return found


def dynamic_codes(sources: tuple[str, ...] = SENTENCE_SOURCES) -> list[tuple[str, str]]:
    """``Sentence`` calls whose code is made from values (an f-string, or a name taken from
    a table): (where, the code's expression)."""
    found = []
    for source in sources:
        target = PACKAGE / source
        paths = [target] if target.is_file() else sorted(target.rglob("*.py"))
        for path in paths:
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "Sentence"
                    and len(node.args) == 2
                    and isinstance(node.args[1], ast.JoinedStr | ast.Name)
                ):
                    found.append(
                        (f"{path.relative_to(ROOT)}:{node.lineno}", ast.unparse(node.args[1]))
                    )
    return found


if __name__ == "__main__":  # a draft of the UI's table
    seen: set[str] = set()
    for made in sentences():
        for code in made.codes:
            if code in seen:
                continue
            seen.add(code)
            print(
                f"    {code!r}: N_({made.english!r}),  # {made.path}:{made.line} {made.unmatched or ''}"
            )
