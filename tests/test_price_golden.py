"""`price` prints byte for byte what it printed before issue 16's start-up work, refuses
broken quotes with the same sentences, and the command line's help, usage errors and
completion scripts are unchanged (recordings in tests/golden/, made by
``python -m tests.price_golden write`` from the code before that work)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import price_golden

BIN = Path(sys.executable).parent
OUTPUTS = price_golden.load("price_outputs.json")
HELP = price_golden.load("cli_help.json")


@pytest.mark.parametrize("argv", list(OUTPUTS))
def test_price_prints_what_it_printed_before(argv: str) -> None:
    assert list(price_golden.run_cli(argv.split(" "))) == OUTPUTS[argv]


def test_every_broken_quote_is_refused_with_the_same_sentences() -> None:
    recorded = price_golden.load("price_refusals.json")
    now = price_golden.record_refusals()
    assert list(now) == list(recorded)  # the same cases
    differ = {name: (recorded[name], now[name]) for name in now if now[name] != recorded[name]}
    assert not differ, f"{len(differ)} of {len(now)} differ, e.g. {next(iter(differ.items()))}"
    # The recording holds both kinds: refusals and broken quotes that still price.
    assert sum(v[0].startswith("valid: ") for v in now.values()) > 100
    assert sum(v[0].startswith("FILE: ") for v in now.values()) > 1000


def test_the_installed_command_prints_the_same_for_every_example() -> None:
    """Through the console script (the launcher, a new process), as a user runs it."""
    command = BIN / "quote-builder"
    if not command.exists():
        pytest.skip("quote-builder is not installed in this environment")
    for argv, (code, out, err) in OUTPUTS.items():
        if len(argv.split(" ")) > 3:
            continue  # one file at a time is enough here; cli.main covers the rest
        proc = subprocess.run(
            [str(command), *argv.split(" ")],
            capture_output=True,
            text=True,
            cwd=price_golden.ROOT,
            env={**os.environ, "QUOTE_BUILDER_NO_GUI": "1", "COLUMNS": price_golden.COLUMNS},
        )
        assert (proc.returncode, proc.stdout, proc.stderr) == (code, out, err), argv


def test_standard_input_is_priced_the_same() -> None:
    name = "examples/platform_usage_analytics.json"
    proc = subprocess.run(
        [sys.executable, "-m", "quote_builder.cli", "price", "-", "--json"],
        input=(price_golden.ROOT / name).read_bytes(),
        capture_output=True,
        cwd=price_golden.ROOT,
    )
    assert proc.returncode == 0
    assert proc.stdout.decode("utf-8") == OUTPUTS[f"price {name} --json"][1]


def test_every_command_is_still_there() -> None:
    assert price_golden.command_paths() == HELP["commands"]


@pytest.mark.parametrize("argv", list(HELP["runs"]))
def test_help_and_usage_errors_read_as_before(argv: str) -> None:
    assert list(price_golden.run_cli(argv.split(" "))) == HELP["runs"][argv]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_are_unchanged(shell: str) -> None:
    assert price_golden.completion_scripts()[shell] == HELP["completion"][shell]


def test_version_is_the_about_line() -> None:
    from quote_builder.about import version_line

    assert price_golden.run_cli(["--version"]) == (0, version_line() + "\n", "")
