"""Command-line conventions (issue 16): --version, ``-`` for standard input and output,
several files for price, one documented exit status per kind of outcome, help for every
option, shell completion, and a self-contained HTML export."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quote_builder import __version__
from quote_builder.cli import (
    CATEGORIES,
    EXIT_BAD_INPUT,
    EXIT_DATABASE,
    EXIT_FAILED,
    SHELLS,
    build_parser,
    exit_status,
    main,
)
from quote_builder.completion import bash_script, fish_script, levels, zsh_script

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ANALYTICS = EXAMPLES / "platform_usage_analytics.json"
SUPPORT = EXAMPLES / "outcome_based_support.json"
COMMAND = [sys.executable, "-m", "quote_builder.launcher"]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def shell(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*COMMAND, *argv], input=stdin, capture_output=True, check=False)


def test_version_prints_the_version_and_exits_0() -> None:
    proc = shell("--version")
    assert proc.returncode == 0
    assert proc.stdout.decode().startswith(f"Quote Builder {__version__} (Python 3.")


def test_python_dash_m_quote_builder_is_the_command() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "quote_builder", "--version"], capture_output=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == shell("--version").stdout
    priced = subprocess.run(
        [sys.executable, "-m", "quote_builder", "price", str(ANALYTICS), "--json"],
        capture_output=True,
        check=False,
    )
    assert json.loads(priced.stdout) == json.loads(shell("price", str(ANALYTICS), "--json").stdout)


def test_price_dash_reads_standard_input_like_the_file() -> None:
    from_file = shell("price", str(ANALYTICS), "--json")
    from_stdin = shell("price", "-", "--json", stdin=ANALYTICS.read_bytes())
    assert from_stdin.returncode == 0 and from_stdin.stderr == b""
    assert json.loads(from_stdin.stdout) == json.loads(from_file.stdout)
    assert json.loads(from_stdin.stdout)["tcv"] == "73225.00"


def test_price_takes_several_files_in_order() -> None:
    code, out, _ = run("price", str(ANALYTICS), str(SUPPORT), "--json")
    assert code == 0
    both = json.loads(out)
    single = [json.loads(run("price", str(p), "--json")[1]) for p in (ANALYTICS, SUPPORT)]
    assert both == single  # a JSON array, in the order given
    code, out, _ = run("price", str(ANALYTICS), str(SUPPORT))
    assert code == 0
    assert out.index(f"== {ANALYTICS}") < out.index(f"== {SUPPORT}")
    assert out.count("Contract years") == 2


def test_price_prints_nothing_when_one_of_several_files_is_bad(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"term_months": 0}')
    missing = tmp_path / "missing.json"
    code, out, err = run("price", str(ANALYTICS), str(bad), str(missing), "--json")
    assert code == EXIT_BAD_INPUT and out == ""
    assert f"{bad}: term_months: Must be at least 1" in err
    assert f"{missing}: No such file." in err


def test_standard_input_is_read_once() -> None:
    code, _, err = run("price", "-", "-")
    assert code == EXIT_BAD_INPUT and "price: Standard input (-) can be read only once." in err


def test_render_writes_the_pdf_to_standard_output_and_reports_on_standard_error(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "QUOTE_BUILDER_DB"}
    env["XDG_DATA_HOME"] = str(tmp_path)  # no default database: no seller settings
    proc = subprocess.run(
        [*COMMAND, "render", "-", "-o", "-", "--document", "proposal"],
        input=SUPPORT.read_bytes(),
        capture_output=True,
        check=False,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"%PDF") and proc.stdout.rstrip().endswith(b"%%EOF")
    assert b"Wrote standard output (proposal, Q-2026-0003, DRAFT watermark" in proc.stderr


def test_render_refuses_two_documents_on_standard_output() -> None:
    code, _, err = run("render", str(SUPPORT), "-o", "-", "--html", "-")
    assert code == EXIT_BAD_INPUT
    assert "render: Only one of --output and --html can be standard output (-)." in err


def test_quotes_import_reads_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo, empty = str(tmp_path / "demo.db"), str(tmp_path / "empty.db")
    assert run("demo", "--db", demo, "--create")[0] == 0
    code, csv, _ = run("customers", "export", "--db", demo, "-o", "-")
    assert code == 0 and csv.count("\n") == 6  # a header and the five demo customers
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(csv.encode())))
    code, out, err = run("customers", "import", "-", "--db", empty, "--create")
    assert (code, err) == (0, "")
    assert out.startswith("Imported customers: 5 created, 0 updated.")


def test_the_command_line_names_a_database_file_by_its_path(tmp_path: Path) -> None:
    """`demo` said "Demo data added to sqlite:////tmp/.../quote-builder.db": a rep gave a
    file (``--db FILE``) and reads its path back, as the window's status bar shows it."""
    from quote_builder.store.database import display_location

    db = tmp_path / "Q3 deals.db"
    code, out, _ = run("demo", "--db", str(db), "--create")
    assert code == 0 and out.startswith(f"Demo data added to {db}: 9 plans"), out
    assert "sqlite:" not in out
    # Another backend keeps its URL, the password hidden.
    assert display_location("postgresql+psycopg://rep:secret@db.example/quotes") == (
        "postgresql+psycopg://rep:***@db.example/quotes"
    )


def test_render_of_a_file_creates_the_database_named_with_create(tmp_path: Path) -> None:
    """`render FILE --db NEW.db --create` said "add --create" with --create given: a file's
    render opened the named database with create=False whatever was asked."""
    out, new = tmp_path / "q.pdf", tmp_path / "new.db"
    code, _, err = run("render", str(ANALYTICS), "--db", str(new), "-o", str(out))
    assert code != 0 and "--create" in err and not new.exists() and not out.exists()
    code, _, err = run("render", str(ANALYTICS), "--db", str(new), "--create", "-o", str(out))
    assert code == 0, err
    assert new.is_file() and out.read_bytes().startswith(b"%PDF-")


def _actions(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], str, str | None]]:
    found: list[tuple[tuple[str, ...], str, str | None]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                found.append(((*path, name), "command", helps.get(name)))
                found += _actions(sub, (*path, name))
        else:
            found.append((path, "/".join(action.option_strings) or action.dest, action.help))
    return found


def test_every_command_option_and_argument_has_help() -> None:
    actions = _actions(build_parser())
    assert len(actions) > 150  # the walk reached the sub-commands
    missing = [(path, name) for path, name, text in actions if not text]
    assert missing == []


def test_the_categories_listed_without_the_engine_are_the_playbooks() -> None:
    from quote_builder.pricing.playbook import ProductCategory

    assert set(CATEGORIES) == {c.value for c in ProductCategory}


def test_the_shells_listed_without_the_completion_code_are_its_shells() -> None:
    from quote_builder import completion

    assert SHELLS == completion.SHELLS


def test_the_lazy_parser_builds_only_the_command_used_and_all_on_request() -> None:
    """``main`` adds a command's options when argparse reaches it (cli_parser): parsing
    ``price`` builds price alone; the full parser has them all."""
    from quote_builder.cli_parser import Commands

    def commands(parser: argparse.ArgumentParser) -> Commands:
        return next(a for a in parser._actions if isinstance(a, Commands))

    lazy = build_parser(lazy=True)
    assert set(commands(lazy)._unbuilt) == set(commands(lazy).choices)
    args = lazy.parse_args(["price", "a.json", "--json"])
    assert args.files == ["a.json"] and args.json
    assert "price" not in commands(lazy)._unbuilt
    assert "render" in commands(lazy)._unbuilt and "usage" in commands(lazy)._unbuilt
    assert commands(build_parser())._unbuilt == {}


def _error(module: str, name: str, *args: object) -> BaseException:
    import importlib

    cls = getattr(importlib.import_module(module), name)
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    return error  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("module", "name", "status"),
    [
        ("quote_builder.safe_files", "FileWriteError", EXIT_FAILED),  # disk full, read-only
        ("quote_builder.safe_files", "FileNameRefusedError", EXIT_BAD_INPUT),  # a folder, a db
        ("quote_builder.safe_files", "FileReadError", EXIT_BAD_INPUT),
        ("quote_builder.services.core", "ConflictError", EXIT_FAILED),
        ("quote_builder.store.database", "ConcurrentSaveError", EXIT_FAILED),
        ("quote_builder.services.core", "NotFoundError", EXIT_BAD_INPUT),
        ("quote_builder.services.core", "RefusedError", EXIT_BAD_INPUT),
        ("quote_builder.services.core", "InvalidInputError", EXIT_BAD_INPUT),
        ("quote_builder.store.database", "DatabaseMissingError", EXIT_BAD_INPUT),
        ("quote_builder.store.database", "DatabaseOpenError", EXIT_DATABASE),
        ("quote_builder.store.database", "DatabaseDamagedError", EXIT_DATABASE),
        ("quote_builder.store.database", "DatabaseUnavailableError", EXIT_DATABASE),
        ("quote_builder.services.host", "DatabaseProcessError", EXIT_DATABASE),
    ],
)
def test_exit_status_by_kind_of_error(module: str, name: str, status: int) -> None:
    from quote_builder.errors import UserFacingError

    error = _error(module, name, "message")
    assert isinstance(error, UserFacingError)
    assert exit_status(error) == status


def test_a_damaged_database_exits_3(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    code, out, err = run("quotes", "list", "--db", str(damaged))
    assert code == EXIT_DATABASE and out == "" and "Traceback" not in err and err


def test_bad_usage_exits_2() -> None:
    assert shell("price").returncode == 2  # FILE is required
    assert shell("render", str(SUPPORT)).returncode == 2  # -o is required


BASH = shutil.which("bash")


def _complete(script: str, *words: str) -> list[str]:
    assert BASH is not None
    program = (
        f"{script}\nCOMP_WORDS=({' '.join(repr(w) for w in words)}); "
        "COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _quote_builder; printf '%s\\n' \"${COMPREPLY[@]}\""
    )
    proc = subprocess.run([BASH, "-c", program], capture_output=True, text=True, check=True)
    return [line for line in proc.stdout.splitlines() if line]


@pytest.mark.skipif(BASH is None, reason="bash is not installed")
def test_bash_completion_knows_commands_options_and_choices(tmp_path: Path) -> None:
    script = bash_script(build_parser())
    assert "quotes" in _complete(script, "quote-builder", "")
    assert _complete(script, "quote-builder", "qu") == ["quotes"]
    assert _complete(script, "quote-builder", "--db", "x.db", "quotes", "li") == ["list"]
    assert _complete(script, "quote-builder", "render", "Q-1", "--document", "") == [
        "proposal",
        "contract",
        "both",
    ]
    assert "--pdf-a" in _complete(script, "quote-builder", "render", "--")
    assert _complete(script, "quote-builder", "completion", "") == ["bash", "zsh", "fish"]
    (tmp_path / "deal.json").write_text("{}")
    assert _complete(script, "quote-builder", "price", str(tmp_path / "de")) == [
        str(tmp_path / "deal.json")
    ]


def test_completion_scripts_cover_every_command() -> None:
    parser = build_parser()
    commands = {name for level in levels(parser) for name in level.commands}
    assert {"price", "render", "list", "simulate", "completion"} <= commands
    fish = fish_script(parser)
    zsh = zsh_script(parser)
    assert "bashcompinit" in zsh and "_quote_builder" in zsh
    for name in commands:
        assert f"-a {name} " in fish
    code, out, _ = run("completion", "fish")
    assert code == 0 and out == fish
    for tool, flag in (("zsh", "-n"), ("fish", "--no-execute")):
        binary = shutil.which(tool)
        if binary:  # the shells are not on every machine: check syntax where they are
            text = zsh if tool == "zsh" else fish
            subprocess.run([binary, flag], input=text, text=True, check=True)


def _request(customer: str, logo: Path | None = None) -> object:
    from quote_builder.documents.viewmodel import Party, RenderRequest
    from quote_builder.pricing import content_hash, load_quote, price

    document = load_quote(SUPPORT.read_text())
    document = document.model_copy(
        update={"customer": document.customer.model_copy(update={"name": customer})}
    )
    return RenderRequest(
        document=document,
        priced=price(document),
        seller=Party("Acme AI"),
        customer=Party(customer),
        quote_number="Q-1",
        version=1,
        version_hash=content_hash(document),
        status="draft",
        final=False,
        issued=dt.date(2026, 1, 1),
        logo_path=logo,
    )


def test_the_exported_html_carries_only_the_fonts_its_text_needs(tmp_path: Path) -> None:
    from quote_builder.documents.export import standalone_html

    logo = tmp_path / "logo.png"
    shutil.copy(ROOT / "resources" / "icons" / "quote-builder-64.png", logo)
    latin = standalone_html("proposal", _request("Contoso", logo))  # type: ignore[arg-type]
    chinese = standalone_html("proposal", _request("北京云智科技"))  # type: ignore[arg-type]
    for html in (latin, chinese):
        assert "file:" not in html and str(ROOT) not in html and "../" not in html
        assert str(tmp_path) not in html
        assert 'font-family: "QB Sans"' in html
        assert 'url("data:image/svg+xml;base64,' in html  # the draft watermark
    assert '<img src="data:image/png;base64,' in latin  # the seller's logo
    assert 'font-family: "QB CJK"' not in latin and 'font-family: "QB CJK"' in chinese
    # Subset: the 16 MB CJK font shrinks to the few characters used.
    assert len(chinese.encode()) < 2_000_000


def test_the_exported_html_reads_in_a_browser_window(tmp_path: Path) -> None:
    """Opened in a browser (screen media), the exported HTML had no margin at all: the text
    ran against the window's left edge and the key figures' boxes, 3 mm wider than the text
    on each side, made the page scroll sideways. Laid out for the screen in a window
    exactly a page wide, nothing reaches past either edge and the text keeps a margin."""
    from weasyprint import CSS, HTML

    from quote_builder.documents.export import standalone_html

    html = standalone_html("proposal", _request("Contoso"))  # type: ignore[arg-type]
    # A browser window a page wide (a user stylesheet: !important wins over print.css)
    window = CSS(string="@page { size: 210mm 400mm !important; margin: 0 !important }")
    pages = HTML(string=html, media_type="screen").render(stylesheets=[window]).pages
    mm = 96 / 25.4
    boxes = [b for page in pages for b in page._page_box.descendants() if getattr(b, "width", None)]
    assert boxes
    left = min(b.position_x for b in boxes)
    right = max(b.position_x + b.margin_width() for b in boxes)
    assert left >= 0 and right <= 210 * mm + 0.5  # no sideways scroll, nothing cut off
    text = [b for b in boxes if b.element_tag == "h1"]
    assert text and text[0].content_box_x() >= 10 * mm  # a margin, as on paper


def test_a_pdf_is_not_written_to_a_terminal() -> None:
    import pty

    controller, terminal = pty.openpty()
    try:
        proc = subprocess.run(
            [*COMMAND, "render", str(SUPPORT), "-o", "-"],
            stdout=terminal,
            stderr=subprocess.PIPE,
            check=False,
        )
    finally:
        os.close(terminal)
        os.close(controller)
    assert proc.returncode == EXIT_BAD_INPUT
    assert b"Standard output is a terminal: send the PDF to a file or a pipe" in proc.stderr


def test_an_empty_database_file_is_refused_not_made_a_new_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--db team.db` naming a file of 0 bytes listed "0 of 0 quotes" and filled the file
    with a new, empty database, as if the lost data had never been. Refused (status 2, the
    file untouched) unless --create asks for a new database; the default database too."""
    from quote_builder import db_location

    empty = tmp_path / "team.db"
    empty.touch()
    code, out, err = run("quotes", "list", "--db", str(empty))
    assert (code, out) == (2, "")
    assert err.strip() == (
        f"{empty} is an empty file (0 bytes), not a database: if it held your data, that was "
        "lost before Quote Builder opened it (keep the file and restore a backup). To make a "
        "new, empty database in it, add --create."
    )
    assert empty.stat().st_size == 0
    code, out, err = run("quotes", "list", "--db", str(empty), "--create")
    assert (code, out) == (0, "0 of 0 quotes\n"), err
    default = tmp_path / "data" / "quote-builder.db"
    default.parent.mkdir()
    monkeypatch.delenv(db_location.ENV_VAR, raising=False)
    monkeypatch.setattr(db_location, "default_database_path", lambda: default)
    assert db_location.creates_by_default(None)  # the first run creates it
    default.touch()
    assert not db_location.creates_by_default(None)  # emptied: asked, not made anew
