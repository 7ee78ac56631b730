"""quote-builder render: files and saved quotes, clear errors."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest

from quote_builder.cli import main
from quote_builder.services import quotes as quote_svc
from quote_builder.services.demo import seed_demo
from quote_builder.store.database import open_database

from .conftest import ROOT


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_render_a_file_with_html(tmp_path: Path) -> None:
    pdf, html = tmp_path / "q.pdf", tmp_path / "q.html"
    code, out, err = run(
        "render",
        str(ROOT / "examples" / "outcome_based_support.json"),
        "-o",
        str(pdf),
        "--html",
        str(html),
        "--document",
        "proposal",
    )
    assert (code, err) == (0, "") and "DRAFT watermark" in out
    assert pdf.read_bytes().startswith(b"%PDF")
    # Self-contained (issue 16): the stylesheet, fonts and images are inside the file and
    # nothing points at this machine (the old export linked print.css by a file: URL).
    text = html.read_text()
    assert "<style>" in text and "@page" in text and 'url("data:font/otf;base64,' in text
    assert "file:" not in text and str(ROOT) not in text and "../resources" not in text
    assert "<base " not in text and 'rel="stylesheet"' not in text


def test_render_of_a_sent_quote_writes_the_file_as_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sent version is frozen: `render` writes the signed file kept when it was sent,
    byte for byte, never a fresh unsigned "final" copy that would pass for a second
    original; asking for anything else of it is refused, pointing at that file. (Before,
    this test expected a new final render: that was the defect.)"""
    from quote_builder.documents import pdfsign

    # "sent" comes only from finalising (issue 15): a certificate, then `deal finalise`.
    monkeypatch.setenv("QUOTE_BUILDER_CERTIFICATES_DIR", str(tmp_path / "certs"))
    monkeypatch.setenv("QUOTE_BUILDER_PASSPHRASE", "seller passphrase")
    db_path = tmp_path / "q.db"
    db = open_database(str(db_path))
    seed_demo(db, actor="demo")
    drafts = quote_svc.list_quotes(db, status="draft").rows
    db.close()
    assert run("certificate", "create-trial", "--name", "Acme AI")[0] == 0
    emailed = tmp_path / "emailed.pdf"
    for candidate in drafts:  # the first demo draft that needs no approval
        code, out, err = run(
            "deal", "finalise", candidate.number, "--db", str(db_path), "-o", str(emailed)
        )
        if code == 0:
            break
    assert code == 0, err
    assert "Finalised and sent" in out and "Acme AI, self-signed (trial)" in out
    sent, draft = candidate, next(d for d in drafts if d.number != candidate.number)
    pdf = tmp_path / "again.pdf"
    code, out, err = run("render", sent.number, "-o", str(pdf), "--db", str(db_path))
    assert (code, err) == (0, ""), err
    assert pdf.read_bytes() == emailed.read_bytes()  # byte for byte the file sent
    assert "the file as sent, byte for byte" in out
    assert f"{sent.number} version 1 was sent on " in out and f"{sent.number}-v1.pdf" in out
    (seller,) = pdfsign.pdf_signatures(pdf.read_bytes())
    assert seller.intact and seller.whole_file  # the seller's signature, as sent
    # Anything but the file as sent is refused with a sentence pointing at it.
    pdf.unlink()
    for extra in (
        ["--document", "contract"],
        ["--pdf-a"],
        ["--locale", "de_DE"],
        ["--html", str(tmp_path / "x.html")],
    ):
        code, out, err = run("render", sent.number, "-o", str(pdf), "--db", str(db_path), *extra)
        assert code == 2, extra
        assert f"{sent.number} version 1 was sent on " in err and f"{sent.number}-v1.pdf" in err
        assert "the only original" in err and f"`render {sent.number} -o FILE`" in err
        assert extra[0] in err
        assert not pdf.exists() and not (tmp_path / "x.html").exists()
    code, out, _ = run("render", draft.number, "-o", str(pdf), "--db", str(db_path), "--pdf-a")
    assert code == 0 and "DRAFT watermark" in out and "PDF/A-3" in out


def test_render_errors_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "customer": {"name": "A"},
                "currency": "USD",
                "start_date": "2027-01-01",
                "term_months": 0,
                "components": [],
            }
        )
    )
    code, _, err = run("render", str(bad), "-o", str(tmp_path / "x.pdf"))
    assert code == 2 and f"{bad}: term_months: Must be at least 1" in err
    code, _, err = run(
        "render", "Q-1999-0001", "-o", str(tmp_path / "x.pdf"), "--db", str(tmp_path / "e.db")
    )
    assert code == 2 and "e.db does not exist" in err and "--create" in err
    assert not (tmp_path / "e.db").exists()  # a mistyped --db makes no empty database
    code, _, err = run(
        "render",
        "Q-1999-0001",
        "-o",
        str(tmp_path / "x.pdf"),
        "--db",
        str(tmp_path / "e.db"),
        "--create",
    )
    assert code == 2 and "No quote numbered 'Q-1999-0001'." in err
    code, _, err = run(
        "render",
        str(ROOT / "examples" / "outcome_based_support.json"),
        "-o",
        str(tmp_path / "missing" / "x.pdf"),
    )
    assert code == 2 and "cannot write" in err
    code, _, err = run(
        "render",
        str(ROOT / "examples" / "outcome_based_support.json"),
        "-o",
        str(tmp_path / "x.pdf"),
        "--locale",
        "my_MM",  # Burmese: the shipped fonts draw CJK now, not Myanmar script
    )
    assert code == 2 and "my_MM" in err


def test_start_offers_demo_data_on_an_empty_database(tmp_path: Path) -> None:
    db = str(tmp_path / "new.db")
    code, _, err = run("--db", db)  # a path that does not exist is not made without --create
    assert code == 2 and "new.db does not exist" in err and not Path(db).exists()
    code, out, _ = run("--db", db, "--create")
    assert code == 0 and "`quote-builder demo` adds demo data" in out  # not a terminal: no prompt
    assert run("--db", db, "demo")[0] == 0
    code, out, _ = run("--db", db)
    assert code == 0 and "Latest quotes" in out and "Q-" in out
    code, out, _ = run("--db", db, "quotes", "list")  # --db before the command works too
    assert code == 0 and "5 of 5 quotes" in out


def _old_database(path: Path, revision: str = "0002") -> None:
    """A database a previous Quote Builder left at ``revision``."""
    from quote_builder.store import database as dbmod
    from quote_builder.store.migrations import upgrade

    old = dbmod.Database(f"sqlite:///{path}", dbmod.make_engine(f"sqlite:///{path}"))
    upgrade(old, revision)
    old.close()


def _revision(path: Path) -> str:
    import sqlite3

    with sqlite3.connect(path) as connection:
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(revision)


@pytest.mark.parametrize("how", ["default file", "QUOTE_BUILDER_DB"])
def test_rendering_a_file_leaves_the_users_old_database_as_it_is(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`render FILE` reads the seller from the user's database; one on an older schema is
    neither upgraded nor backed up nor written: the documents leave the seller out and a
    sentence says why. (Before, the render upgraded it as a side effect.)"""
    from quote_builder.app_dirs import default_database_path

    if how == "default file":
        path = default_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        path = tmp_path / "mine.db"
        monkeypatch.setenv("QUOTE_BUILDER_DB", str(path))
    _old_database(path)
    before = path.read_bytes()
    pdf = tmp_path / "q.pdf"
    code, out, err = run(
        "render", str(ROOT / "examples" / "outcome_based_support.json"), "-o", str(pdf)
    )
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF") and "DRAFT watermark" in out
    warnings = capsys.readouterr().err
    # A full sentence, wrapped to 80 columns (h5: "warning: the seller …" on one line).
    assert " ".join(warnings.split()).startswith(
        f"Warning: The seller and legal frame are left out: your database ({path}) needs an "
        f"upgrade from schema 0002 to {_head()}, and rendering a file does not upgrade it; "
        "open it with the app, or give it with --db, to upgrade it. "
    )
    assert all(len(line) <= 80 or str(path) in line for line in warnings.splitlines())
    assert path.read_bytes() == before and _revision(path) == "0002"
    assert not [p.name for p in path.parent.iterdir() if "backup" in p.name]  # none made


def _head() -> str:
    from quote_builder.store.schema_version import head

    return head()


def test_rendering_a_file_reads_the_seller_from_a_current_database(tmp_path: Path) -> None:
    """The same database at the current schema gives the seller, untouched by the render."""
    from quote_builder.app_dirs import default_database_path
    from quote_builder.services.settings import get_settings, update_settings

    path = default_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(str(path))
    settings = get_settings(db)
    update_settings(db, expected_version=settings.version_id, actor="t", seller_name="Umbrella AI")
    db.close()
    revision = _revision(path)
    pdf = tmp_path / "q.pdf"
    code, out, err = run(
        "render", str(ROOT / "examples" / "outcome_based_support.json"), "-o", str(pdf)
    )
    assert (code, err) == (0, "")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Umbrella AI" in text and _revision(path) == revision == _head()
