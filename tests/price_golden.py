"""Recorded outputs of the `price` command and of the command line's help, so that work on
how fast the command starts (issue 16 §3: lazy imports, deferred pydantic model builds, a
parser built per command) cannot change a byte of what it prints.

The recordings in ``tests/golden/`` were made from the code as it was before that work:

    .venv/bin/python -m tests.price_golden write

Rewrite them only for a change that is meant to change the output, and say so in the commit.

- ``price_outputs.json``: ``price`` and ``price --json`` of every example quote, alone and
  all together (stdout, stderr and exit status of ``cli.main``).
- ``price_refusals.json``: every example quote broken one way at a time (each value
  replaced by a string, by -1, by null; each member removed; an unknown member added to
  each object): the problems the loader reports, or, where the broken quote is still
  valid, a digest of what ``price`` and ``price --json`` print for it.
- ``cli_help.json``: ``--help`` of every command and sub-command, a few argparse
  refusals, and the three completion scripts. (``--version`` names the machine; its test
  compares it with ``about.version_line()``.)
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
COLUMNS = "100"
"""argparse wraps help, and ``price`` its lines, to the terminal's width (``COLUMNS``):
fixed while recording and comparing."""

# Values put in place of each value of a quote, one at a time.
REPLACEMENTS: tuple[tuple[str, Any], ...] = (("string", "x"), ("minus_one", -1), ("null", None))
EXTRA_MEMBER = "not_a_field"


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``cli.main`` in this process, from the repository's folder (so that file names in
    messages are the relative ones given)."""
    from quote_builder.cli import main

    out, err = io.StringIO(), io.StringIO()
    here = Path.cwd()
    old_columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = COLUMNS
    try:
        os.chdir(ROOT)
        # argparse writes help and usage errors to sys.stdout / sys.stderr itself.
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv, out, err)
    finally:
        os.chdir(here)
        if old_columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old_columns
    return code, out.getvalue(), err.getvalue()


def output_cases() -> list[list[str]]:
    names = [_relative(p) for p in EXAMPLES]
    cases: list[list[str]] = []
    for name in names:
        cases += [["price", name], ["price", name, "--json"]]
    cases += [["price", *names], ["price", *names, "--json"]]
    # One bad file among good ones: nothing printed, every problem named.
    cases += [["price", names[0], "examples/no-such-quote.json", "--json"]]
    return cases


def _walk(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _walk(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, (*path, index))


def _replaced(data: Any, path: tuple[Any, ...], new: Any, *, delete: bool = False) -> Any:
    copy = json.loads(json.dumps(data))
    parent = copy
    for step in path[:-1]:
        parent = parent[step]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return copy


def _label(path: tuple[Any, ...]) -> str:
    return "/".join(str(step) for step in path) or "(document)"


def broken_quotes() -> Iterator[tuple[str, str]]:
    """(case name, quote JSON text): each example broken one way at a time."""
    for example in EXAMPLES:
        data = json.loads(example.read_text("utf-8"))
        for path, value in _walk(data):
            where = f"{example.stem}:{_label(path)}"
            if path:
                for name, new in REPLACEMENTS:
                    if new != value:
                        yield f"{where}={name}", json.dumps(_replaced(data, path, new))
                if isinstance(path[-1], str):
                    yield f"{where} removed", json.dumps(_replaced(data, path, None, delete=True))
            if isinstance(value, dict):
                extra = {**value, EXTRA_MEMBER: 1}
                changed = _replaced(data, path, extra) if path else extra
                yield f"{where} +{EXTRA_MEMBER}", json.dumps(changed)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def refusal(text: str) -> list[str]:
    """What the loader says about a quote, or digests of ``price`` and ``price --json`` of
    it when it is valid."""
    from quote_builder.cli import format_priced
    from quote_builder.pricing import QuoteFileError, load_quote, price, priced_to_dict

    try:
        doc = load_quote(text, "FILE")
    except QuoteFileError as exc:
        return [f"{exc.source}: {p}" for p in exc.problems]
    priced = price(doc)
    table = io.StringIO()
    format_priced(doc, priced, table)
    as_json = json.dumps(priced_to_dict(priced), indent=2, ensure_ascii=False)
    return [f"valid: text {_digest(table.getvalue())}, json {_digest(as_json)}"]


def command_paths() -> list[list[str]]:
    """Every command and sub-command of the parser, top level first."""
    from quote_builder.cli import build_parser
    from quote_builder.completion import levels

    return [list(level.path) for level in levels(build_parser())]


def help_cases(paths: list[list[str]]) -> list[list[str]]:
    cases = [[*path, "--help"] for path in paths]
    cases += [
        ["price"],  # FILE missing
        ["price", "--no-such-option", "x.json"],
        ["no-such-command"],
        ["quotes"],  # ACTION missing
        ["usage", "simulate"],
        ["advise", "--category", "unknown"],
        ["completion", "tcsh"],
    ]
    return cases


def completion_scripts() -> dict[str, str]:
    return {shell: run_cli(["completion", shell])[1] for shell in ("bash", "zsh", "fish")}


def record_outputs() -> dict[str, list[Any]]:
    return {" ".join(argv): list(run_cli(argv)) for argv in output_cases()}


def record_refusals() -> dict[str, list[str]]:
    """(At ``COLUMNS`` columns: the table ``price`` prints fits the terminal's width.)"""
    old_columns = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = COLUMNS
    try:
        return {name: refusal(text) for name, text in broken_quotes()}
    finally:
        if old_columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old_columns


def record_help() -> dict[str, Any]:
    paths = command_paths()
    return {
        "commands": paths,
        "runs": {" ".join(argv): list(run_cli(argv)) for argv in help_cases(paths)},
        "completion": completion_scripts(),
    }


def _write(name: str, data: Any) -> None:
    GOLDEN.mkdir(exist_ok=True)
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
    (GOLDEN / name).write_text(text, "utf-8")


def load(name: str) -> Any:
    return json.loads((GOLDEN / name).read_text("utf-8"))


def main(argv: list[str]) -> int:
    if argv != ["write"]:
        print("usage: python -m tests.price_golden write", file=sys.stderr)
        return 2
    _write("price_outputs.json", record_outputs())
    _write("price_refusals.json", record_refusals())
    _write("cli_help.json", record_help())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
