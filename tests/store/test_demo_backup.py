"""Demo data, backup and restore."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from quote_builder.pricing import price
from quote_builder.pricing.playbook import CATEGORY_PROFILES, ProductCategory
from quote_builder.pricing.quote_format import quote_from_data
from quote_builder.services import maintenance
from quote_builder.services import plans as plan_svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services.core import RefusedError
from quote_builder.services.customers import search_customers
from quote_builder.services.demo import demo_catalog, quote_data_from_plan, seed_demo
from quote_builder.store.database import Database, open_database

from .conftest import fresh_pg

RANGE_CODES = {"ACV_OUT_OF_RANGE", "UNIT_PRICE_OUT_OF_RANGE", "SEAT_PRICE_OUT_OF_RANGE"}


def test_demo_fills_an_empty_database(db: Database) -> None:
    report = seed_demo(db, actor="demo").value
    assert (report.plans, report.customers, report.quotes) == (9, 5, 5)
    plans = plan_svc.list_plans(db)
    assert {p.product_category for p in plans} == {c.value for c in ProductCategory}
    for plan in plans:  # each built on the playbook's recommended model for its category
        profile = CATEGORY_PROFILES[ProductCategory(plan.product_category or "")]
        assert plan.pricing_model in profile.recommended, plan.name
    statuses = {q.status for q in quote_svc.list_quotes(db).rows}
    # ("sent" comes only from finalising, which signs with the seller's certificate: the
    # demo leaves its quotes in draft or pending approval; issue 15.)
    assert {"draft", "pending_approval"} <= statuses
    # No impossible states: a quote pending approval has its pending request (with the
    # reasons), and nothing is "approved" without a signed decision.
    from quote_builder.services import approvals as approval_svc

    for row in quote_svc.list_quotes(db, status="pending_approval").rows:
        state = approval_svc.approval_state(db, row.id)
        assert state.pending is not None and state.pending.reasons, row.number
    for row in quote_svc.list_quotes(db, status="approved").rows:
        assert approval_svc.approval_id_for(db, row.number), row.number
    with pytest.raises(RefusedError, match="empty database"):
        seed_demo(db, actor="demo")


def test_demo_quotes_are_priced_inside_the_category_ranges(sqlite_db: Database) -> None:
    seed_demo(sqlite_db, actor="demo")
    for row in quote_svc.list_quotes(sqlite_db).rows:
        priced = price(quote_svc.open_version(sqlite_db, row.id).document)
        assert not {w.code for w in priced.warnings} & RANGE_CODES, row.customer_name
        assert not priced.blocking, row.customer_name


@pytest.mark.parametrize("plan", demo_catalog()["plans"], ids=lambda p: p["name"])
def test_every_demo_plan_is_priced_inside_its_range(plan: dict[str, object]) -> None:
    # A plan alone, with a typical volume for its metrics, lands inside the playbook range.
    metrics = {
        m
        for c in plan["components"]
        for m in ([c["metric"]] if "metric" in c else c.get("burn", {}))
    }  # type: ignore[union-attr,index]
    spec = {
        "term_months": 12,
        "billing_frequency": "monthly",
        "forecast": {m: {"monthly": "1000"} for m in metrics},
    }
    data = quote_data_from_plan(plan, {"name": "X"}, spec, __import__("datetime").date(2027, 1, 1))  # type: ignore[arg-type]
    codes = {w.code for w in price(quote_from_data(data)).warnings}
    assert not codes & RANGE_CODES, codes


def test_backup_while_open_and_restore(sqlite_db: Database, tmp_path: Path) -> None:
    seed_demo(sqlite_db, actor="demo")
    (tmp_path / "backups").mkdir()
    target = maintenance.backup(
        sqlite_db, tmp_path / "backups"
    )  # a folder: a timestamped file in it
    assert target.parent == tmp_path / "backups"
    connection = sqlite3.connect(target)
    assert connection.execute("SELECT count(*) FROM quote").fetchone() == (5,)
    connection.close()
    # Change the live database, then restore the backup over it.
    quote = quote_svc.list_quotes(sqlite_db).rows[0]
    quote_svc.duplicate_quote(sqlite_db, quote.id, actor="x")
    sqlite_db.close()
    report = maintenance.restore(str(tmp_path / "quotes.db"), target)
    assert report.kept is not None and report.kept.parent == tmp_path
    assert list(tmp_path.glob("quotes.before-restore-*.db")) == [report.kept]  # the old one is kept
    kept = open_database(str(report.kept))
    assert quote_svc.list_quotes(kept).total == 6  # with the duplicate made after the backup
    kept.close()
    reopened = open_database(str(report.target))
    assert quote_svc.list_quotes(reopened).total == 5
    assert search_customers(reopened).total == 5
    reopened.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a database", "not a SQLite file"), (None, "no such file")],
)
def test_restore_refuses_foreign_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    source = tmp_path / "backup.db"
    if content is not None:
        source.write_bytes(content)
    with pytest.raises(RefusedError, match=message):
        maintenance.restore(str(tmp_path / "live.db"), source)


def test_restore_refuses_another_programs_database(tmp_path: Path) -> None:
    source = tmp_path / "other.db"
    connection = sqlite3.connect(source)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(RefusedError, match="not a Quote Builder database"):
        maintenance.restore(str(tmp_path / "live.db"), source)
    assert not (tmp_path / "live.db").exists()


def test_backup_needs_sqlite(pg_url: str, tmp_path: Path) -> None:
    db = fresh_pg(pg_url)
    with pytest.raises(RefusedError, match="pg_dump"):
        maintenance.backup(db, tmp_path / "x.db")
    db.close()


def test_restore_checks_everything_before_touching_the_live_database(
    sqlite_db: Database, tmp_path: Path
) -> None:
    seed_demo(sqlite_db, actor="demo")
    backup_file = maintenance.backup(sqlite_db, tmp_path / "b.db")
    connection = sqlite3.connect(backup_file)
    connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.commit()
    connection.close()
    sqlite_db.close()
    live = tmp_path / "quotes.db"
    before = live.read_bytes()
    with pytest.raises(RefusedError, match="newer Quote Builder"):
        maintenance.restore(str(live), backup_file)
    assert live.read_bytes() == before  # untouched
    assert not list(tmp_path.glob("quotes.restoring-*"))  # the staged copy is gone
    reopened = open_database(str(live))
    assert quote_svc.list_quotes(reopened).total == 5
    reopened.close()


def test_demo_is_all_or_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A resource missing half-way (the usage log of the fourth customer's quote) leaves
    the database empty, and the demo then runs again."""
    import quote_builder.services.demo as demo

    real = demo.analyse_usage_log

    def missing(path: Path, *args: object, **kwargs: object) -> object:
        raise maintenance.RefusedError(f"{path}: no such file")

    monkeypatch.setattr(demo, "analyse_usage_log", missing)
    with pytest.raises(maintenance.RefusedError, match="no such file"):
        seed_demo(db, actor="demo")
    assert plan_svc.list_plans(db, include_retired=True) == []
    assert search_customers(db, include_archived=True).total == 0
    assert quote_svc.list_quotes(db).total == 0
    monkeypatch.setattr(demo, "analyse_usage_log", real)
    report = seed_demo(db, actor="demo").value
    assert (report.plans, report.customers, report.quotes) == (9, 5, 5)


def test_demo_is_all_or_nothing_when_a_file_is_missing(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16: from a wheel without the demo's usage log the demo failed half-way, left
    plans and customers behind and refused to run again. Now the whole demo is one
    transaction: the failure is a sentence and the database stays empty."""
    import shutil

    from quote_builder.errors import UserFacingError
    from quote_builder.paths import resources_dir
    from quote_builder.services import demo as demo_module
    from quote_builder.services.demo import is_empty

    broken = tmp_path / "resources"
    shutil.copytree(resources_dir() / "demo", broken / "demo")
    (broken / "demo" / "pilot-usage.csv").unlink()  # read after 4 plans' worth of rows
    monkeypatch.setattr(demo_module, "resources_dir", lambda: broken)
    with pytest.raises(UserFacingError, match="pilot-usage.csv"):
        seed_demo(db, actor="demo")
    assert is_empty(db)
    assert plan_svc.list_plans(db, include_retired=True) == []
    assert quote_svc.list_quotes(db).rows == []
    monkeypatch.undo()
    assert seed_demo(db, actor="demo").value.quotes == 5  # and it runs again


LAW_AND_COURTS = {
    "en": ("governed by the laws of England and Wales", "goes to the courts of England and Wales"),
    "de": ("unterliegt dem Recht von England und Wales", "die Gerichte von England und Wales"),
    "fr": (
        "régi par le droit de l'Angleterre et du pays de Galles",
        "devant les tribunaux d'Angleterre et du pays de Galles",
    ),
    "es": ("se rige por las leyes de Inglaterra y Gales", "a los tribunales de Inglaterra y Gales"),
    "ja": (
        "イングランドおよびウェールズ法に準拠",
        "イングランドおよびウェールズの裁判所を専属的合意管轄",
    ),
}


@pytest.mark.parametrize("language", sorted(LAW_AND_COURTS))
def test_the_demo_sellers_order_form_names_english_law_in_every_language(
    sqlite_db: Database, language: str, tmp_path: Path
) -> None:
    """The demo seller is in London (GB, VAT ID GB123456789): its order form is governed by
    the laws of England and Wales with the courts of England and Wales, never New York's,
    and says so in each language the documents are written in (no English phrase inside a
    German contract: nothing is left to settle about the legal frame)."""
    from quote_builder.services.documents import render_saved_quote
    from quote_builder.services.settings import get_settings

    seed_demo(sqlite_db, actor="demo")
    settings = get_settings(sqlite_db)
    assert settings.seller_country == "GB"
    assert settings.legal_frame().governing_law == "the laws of England and Wales"
    row = quote_svc.list_quotes(sqlite_db).rows[0]
    rendered = render_saved_quote(sqlite_db, row.number, kind="contract", language=language)
    path = tmp_path / "order.pdf"
    path.write_bytes(rendered.result.pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = "".join(text.split()) if language == "ja" else " ".join(text.split())
    law, courts = LAW_AND_COURTS[language]
    if language == "ja":
        law, courts = law.replace(" ", ""), courts.replace(" ", "")
    assert law in flat and courts in flat
    for new_york in ("New York", "Nueva York", "ニューヨーク"):
        assert new_york not in flat
    assert not [w for w in rendered.result.warnings if "Legal frame" in w]
