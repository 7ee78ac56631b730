"""The seller's legal frame in the settings, customers' billing addresses, migration 0005
and where a rendered file finds its seller."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest
from sqlalchemy import text

from quote_builder.pricing.legal import LegalFrame
from quote_builder.services import quotes as quote_svc
from quote_builder.services import settings as settings_svc
from quote_builder.services.core import InvalidInputError
from quote_builder.services.documents import render_quote_file, render_saved_quote
from quote_builder.store import database as dbmod
from quote_builder.store.database import Database, open_database
from quote_builder.store.migrations import upgrade
from tests.documents.conftest import pdf_text

from .helpers import customer, document

ROOT = Path(__file__).resolve().parents[2]


def squash(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def test_legal_frame_defaults_save_and_are_printed(db: Database, tmp_path: Path) -> None:
    settings = settings_svc.get_settings(db)
    assert settings.legal_frame() == LegalFrame()  # every default until set
    saved = settings_svc.update_settings(
        db,
        expected_version=settings.version_id,
        actor="admin",
        seller_name="Acme AI",
        legal_frame={
            "governing_law": "the laws of England and Wales",
            "venue": "the courts of London, England",
            "service_levels": "",  # blank: the default service levels
            "late_interest_percent_per_month": "1.5",
            "renewal_increase_percent": "",
        },
    ).value
    frame = saved.legal_frame()
    assert frame.governing_law == "the laws of England and Wales"
    assert frame.service_levels == LegalFrame().service_levels
    assert frame.agreement == "Master Subscription Agreement"  # not given: the default
    assert str(frame.late_interest_percent_per_month) == "1.5"
    assert frame.renewal_increase_percent is None
    customer(
        db, "Acme", billing_address="9 Dock Road, Leeds LS1 4AB", billing_email="ap@acme.example"
    )
    row = quote_svc.create_quote(db, document("Acme"), actor="rep").value
    pages = pdf_text(render_saved_quote(db, row.number, kind="contract").result.pdf, tmp_path)
    printed = squash(pages)
    assert "governed by the laws of England and Wales" in printed
    assert "1.50% a month" in printed
    assert "9 Dock Road, Leeds LS1 4AB" in printed  # the customer's billing address
    assert "Notices to you 9 Dock Road, Leeds LS1 4AB, ap@acme.example" in printed


def test_a_bad_legal_frame_is_refused_in_the_forms_words(db: Database) -> None:
    settings = settings_svc.get_settings(db)
    with pytest.raises(InvalidInputError) as caught:
        settings_svc.update_settings(
            db,
            expected_version=settings.version_id,
            actor="admin",
            legal_frame={"late_interest_percent_per_month": "9", "cure_days": 0},
        )
    problems = caught.value.problems
    assert any(p.startswith("Legal frame, Late payment interest (% a month):") for p in problems)
    assert any(p.startswith("Legal frame, Days to cure a breach:") for p in problems)
    assert settings_svc.get_settings(db).legal_frame() == LegalFrame()  # nothing half-saved


def test_upgrade_to_0005_keeps_rows_and_gives_defaults(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Database(f"sqlite:///{path}", dbmod.make_engine(f"sqlite:///{path}"))
    upgrade(old, "0004")
    with old.engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO settings (id, seller_name, discount_authority_json, version_id,"
                " updated_at) VALUES (1, 'Old Seller', '{\"rep\": \"15\"}', 3,"
                " '2026-01-01 00:00:00')"
            )
        )
        c.execute(
            text(
                "INSERT INTO customer (name, legal_name, country, currency, billing_email,"
                " crm_id, notes, archived, version_id, created_at, updated_at, updated_by)"
                " VALUES ('Initech', 'Initech LLC', 'US', 'USD', 'ap@initech.example', 'C-1',"
                " '', 0, 2, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'a')"
            )
        )
    old.close()
    reopened = open_database(str(path))
    try:
        settings = settings_svc.get_settings(reopened)
        assert settings.seller_name == "Old Seller" and settings.version_id == 3
        assert settings.discount_authority()["rep"] == 15
        assert settings.legal_frame() == LegalFrame()
        from quote_builder.services.customers import get_customer

        row = get_customer(reopened, 1)
        assert (row.name, row.legal_name, row.billing_email, row.billing_address) == (
            "Initech",
            "Initech LLC",
            "ap@initech.example",
            "",
        )
        assert row.version_id == 2
    finally:
        reopened.close()


def test_a_file_rendered_without_settings_never_names_the_tool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = ROOT / "examples" / "platform_usage_analytics.json"
    bare = squash(pdf_text(render_quote_file(example, kind="contract").result.pdf, tmp_path))
    assert "Quote Builder" not in bare
    # A neutral placeholder: a customer document never carries the app's instructions (the
    # command line warns the rep).
    assert "[Provider to be completed]" in bare
    assert "Settings" not in bare and "Seller profile" not in bare

    # The command line takes the seller from the user's default database when there is one.
    from quote_builder import cli_db

    home = tmp_path / "data"
    default = home / "quote-builder.db"
    monkeypatch.setenv("QUOTE_BUILDER_DATA_DIR", str(home))  # the default database's folder
    monkeypatch.delenv(dbmod.ENV_VAR, raising=False)
    home.mkdir()
    db = open_database(str(default))
    settings = settings_svc.get_settings(db)
    settings_svc.update_settings(
        db, expected_version=settings.version_id, actor="a", seller_legal_name="Default Seller Ltd"
    )
    db.close()
    out = tmp_path / "out.pdf"
    args = argparse.Namespace(
        source=str(example),
        output=str(out),
        document="contract",
        pdf_a=False,
        locale="en_US",
        language=None,
        html=None,
        version=None,
        db=None,
        db_global=None,
    )
    assert cli_db.cmd_render(args, io.StringIO()) == 0
    assert "Default Seller Ltd" in squash(pdf_text(out.read_bytes(), tmp_path))
