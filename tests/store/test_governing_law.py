"""The governing law and courts of the order form fit the seller (migration 0015).

The legal frame's shipped law and courts are New York's: a US seller's. A seller in
another country that never set its own got New York law printed in the contract a
prospect signs, chosen by nobody. Now, for a seller outside the United States, law and
courts it has not given are not set: the draft prints a placeholder and lists it under "To
settle before signature", the rep is told where to fill them in (Settings → legal frame →
Governing law / Courts), and Finalise is refused with that sentence. A US seller, or one
without a country, keeps New York's as before.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from quote_builder.pricing.legal import LegalFrame
from quote_builder.services import lifecycle as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services.core import RefusedError
from quote_builder.services.documents import render_saved_quote, saved_terms_json
from quote_builder.services.settings import get_settings, update_settings
from quote_builder.store.database import Database, open_database
from tests.documents.conftest import pdf_text
from tests.lifecycle_helpers import SELLER_PASS, seller_p12

from .helpers import customer, document
from .test_migrations import NOW, add_rows, at_revision

NEW_YORK = "the laws of the State of New York"
NEW_YORK_COURTS = "the state and federal courts in New York County, New York"
BOTH = (
    "the governing law and the courts are not set (the shipped ones, New York's, are for a "
    "seller in the United States, and this seller is elsewhere): fill in Settings → legal "
    "frame → Governing law / Courts"
)
GERMAN_LAW = "the laws of the Federal Republic of Germany"
BERLIN = "the courts of Berlin, Germany"


def squash(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def seller(db: Database, country: str, **fields: Any) -> None:
    settings = get_settings(db)
    update_settings(
        db,
        expected_version=settings.version_id,
        actor="admin",
        seller_name="Beispiel KI GmbH",
        seller_address="Unter den Linden 1, 10117 Berlin",
        seller_country=country,
        seller_signatory="Erika Muster",
        seller_signatory_title="Geschäftsführerin",
        **fields,
    )


def quote(db: Database, **overrides: Any) -> quote_svc.QuoteRow:
    customer(db, "Acme")
    return quote_svc.create_quote(db, document("Acme", **overrides), actor="rick").value


def finalise(db: Database, row: quote_svc.QuoteRow, passphrase: str = SELLER_PASS) -> Any:
    row = quote_svc.get_quote(db, row.id)
    return svc.finalise_quote(
        db,
        row.id,
        expected_version=row.version_id,
        actor="rick",
        passphrase=passphrase,
        pkcs12=seller_p12(),
    ).value


def test_a_german_seller_without_its_own_law_gets_a_placeholder_never_new_york(
    db: Database, tmp_path: Path
) -> None:
    seller(db, "Germany")
    settings = get_settings(db)
    assert settings.legal_frame().governing_law == "" and settings.legal_frame().venue == ""
    assert settings.jurisdiction_unset() == ("governing_law", "venue")
    row = quote(db)
    draft = render_saved_quote(db, row.number, kind="contract")
    assert BOTH in draft.result.warnings  # render's "warning:" lines and the preview's list
    printed = squash(pdf_text(draft.result.pdf, tmp_path))
    assert "New York" not in printed
    assert "This order form is governed by [governing law to be set by the seller]." in printed
    assert "goes to [courts to be set by the seller], which have exclusive" in printed
    assert (
        "To settle before signature: • The provider has not set the governing law and the "
        "courts for disputes." in printed
    )
    # The clause is marked, the whole paragraph (in red: class "missing").
    assert (
        '<p class="missing">This order form is governed by [governing'
        in (draft.result.html["contract"])
    )
    terms = json.loads(saved_terms_json(db, row.number))
    assert (terms["legal"]["governing_law"], terms["legal"]["venue"]) == ("", "")


def test_the_draft_in_german_says_it_in_german(db: Database, tmp_path: Path) -> None:
    seller(db, "Germany")
    row = quote(db)
    draft = render_saved_quote(db, row.number, kind="contract", language="de")
    printed = squash(pdf_text(draft.result.pdf, tmp_path))
    assert "New York" not in printed
    assert "Dieses Bestellformular unterliegt [vom Anbieter festzulegendes Recht]." in printed
    assert "[vom Anbieter festzulegende Gerichte]" in printed
    assert (
        "Der Anbieter hat das anwendbare Recht und den Gerichtsstand noch nicht festgelegt."
        in printed
    )


def test_the_editor_s_preview_shows_the_placeholder_and_lists_it_to_check(db: Database) -> None:
    """The preview renders in its worker from ``preview_meta``: the same frame, so the same
    placeholder and the same sentence among its "things to check"."""
    from quote_builder.pricing import canonical_json
    from quote_builder.services.preview import preview_meta
    from quote_builder.services.render_worker import RenderJob, render_job

    seller(db, "Germany")
    row = quote(db)
    opened = quote_svc.open_version(db, row.id)
    meta = preview_meta(db, opened.document, quote_number=row.number, version=1)
    assert meta.legal is not None and (meta.legal.governing_law, meta.legal.venue) == ("", "")
    outcome = render_job(RenderJob(1, "contract", canonical_json(opened.document), meta))
    assert outcome.pdf is not None, outcome.error
    assert BOTH in outcome.to_check


def test_finalise_is_refused_with_the_sentence_until_law_and_courts_are_set(
    db: Database, tmp_path: Path
) -> None:
    seller(db, "Germany")
    row = quote(db)
    with pytest.raises(RefusedError) as refused:
        finalise(db, row, passphrase="not the passphrase")  # refused before the certificate
    assert str(refused.value) == f"{row.number} cannot be finalised: {BOTH}"
    assert quote_svc.get_quote(db, row.id).status == "draft"  # nothing half-done
    assert svc.jurisdiction_gaps(db, row.id) == ("governing_law", "venue")
    settings = get_settings(db)
    update_settings(
        db,
        expected_version=settings.version_id,
        actor="admin",
        legal_frame={"governing_law": GERMAN_LAW, "venue": BERLIN},
    )
    assert svc.jurisdiction_gaps(db, row.id) == ()
    sent = finalise(db, row)
    assert quote_svc.get_quote(db, row.id).status == "sent"
    printed = squash(pdf_text(sent.pdf, tmp_path))
    assert f"This order form is governed by {GERMAN_LAW}." in printed
    assert f"goes to {BERLIN}, which have exclusive jurisdiction" in printed
    assert "New York" not in printed and "to be set by the seller" not in printed


def test_a_final_render_is_refused_too(db: Database) -> None:
    """Whatever calls the final render (Finalise's own render, a test of final documents):
    not ready to sign."""
    seller(db, "Germany")
    row = quote(db)
    with pytest.raises(RefusedError, match="not ready to sign: the governing law and"):
        render_saved_quote(db, row.number, finalising=True)


@pytest.mark.parametrize("country", ["United States", "US", ""])
def test_a_us_seller_or_one_without_a_country_keeps_new_york(
    db: Database, tmp_path: Path, country: str
) -> None:
    seller(db, country)
    settings = get_settings(db)
    assert settings.legal_frame() == LegalFrame() and settings.jurisdiction_unset() == ()
    row = quote(db)
    draft = render_saved_quote(db, row.number, kind="contract")
    printed = squash(pdf_text(draft.result.pdf, tmp_path))
    assert f"governed by {NEW_YORK}." in printed and NEW_YORK_COURTS in printed
    assert not [w for w in draft.result.warnings if "not set" in w]
    assert svc.jurisdiction_gaps(db, row.id) == ()


def test_only_what_is_missing_is_asked_for(db: Database, tmp_path: Path) -> None:
    seller(db, "Germany", legal_frame={"governing_law": GERMAN_LAW})
    row = quote(db)
    draft = render_saved_quote(db, row.number, kind="contract")
    courts = (
        "the courts are not set (the shipped ones, New York's, are for a seller in the United "
        "States, and this seller is elsewhere): fill in Settings → legal frame → Courts"
    )
    assert courts in draft.result.warnings and BOTH not in draft.result.warnings
    printed = squash(pdf_text(draft.result.pdf, tmp_path))
    assert f"governed by {GERMAN_LAW}." in printed
    assert "goes to [courts to be set by the seller]" in printed
    assert "The provider has not set the courts for disputes." in printed
    assert "New York" not in printed


def test_a_quote_that_sets_its_own_law_and_courts_needs_none_from_the_settings(
    db: Database, tmp_path: Path
) -> None:
    seller(db, "Germany")
    row = quote(db, contract={"legal": {"governing_law": GERMAN_LAW, "venue": BERLIN}})
    assert svc.jurisdiction_gaps(db, row.id) == ()
    draft = render_saved_quote(db, row.number, kind="contract")
    assert not [w for w in draft.result.warnings if "not set" in w]
    assert f"governed by {GERMAN_LAW}." in squash(pdf_text(draft.result.pdf, tmp_path))


def test_what_the_settings_page_sends_keeps_an_empty_law_not_set(db: Database) -> None:
    """The Settings page sends every field of the frame, an empty Governing law and Courts
    as "": they stay not set (the page once saved the shipped New York ones with every
    save, so a seller that later gave its country kept New York unseen)."""
    page = {**LegalFrame().model_dump(mode="json"), "governing_law": "", "venue": ""}
    seller(db, "", legal_frame=page)  # saved before the country was known
    assert get_settings(db).jurisdiction_unset() == ()  # no country: New York, as before
    settings = get_settings(db)
    update_settings(
        db, expected_version=settings.version_id, actor="admin", seller_country="Germany"
    )
    assert get_settings(db).jurisdiction_unset() == ("governing_law", "venue")
    # Everything else the page sent is kept.
    assert get_settings(db).legal_frame().liability_cap_months == 12
    # A seller in Germany that types New York's law and courts has chosen them.
    settings = get_settings(db)
    update_settings(
        db,
        expected_version=settings.version_id,
        actor="admin",
        legal_frame={**page, "governing_law": NEW_YORK, "venue": NEW_YORK_COURTS},
    )
    settings = get_settings(db)
    assert settings.jurisdiction_unset() == ()
    assert settings.legal_frame().governing_law == NEW_YORK
    assert settings.stored_legal_frame().model_fields_set >= {"governing_law", "venue"}


def test_the_demo_seller_keeps_english_law(db: Database, tmp_path: Path) -> None:
    from quote_builder.services.demo import seed_demo

    seed_demo(db, actor="demo")
    settings = get_settings(db)
    assert settings.jurisdiction_unset() == ()
    assert settings.legal_frame().governing_law == "the laws of England and Wales"
    row = quote_svc.list_quotes(db, status="draft").rows[0]
    draft = render_saved_quote(db, row.number, kind="contract", language="en")
    assert not [w for w in draft.result.warnings if "not set" in w]
    printed = squash(pdf_text(draft.result.pdf, tmp_path))
    assert "governed by the laws of England and Wales." in printed and "New York" not in printed


# --- migration 0015 -----------------------------------------------------------------------

FULL_DUMP = LegalFrame(liability_cap_months=24).model_dump_json()
"""What the Settings page of earlier versions stored at every save: the whole frame, the
shipped New York law and courts included."""
ENGLISH = json.dumps(
    {
        **json.loads(FULL_DUMP),
        "governing_law": "the laws of England and Wales",
        "venue": "the courts of England and Wales",
    }
)


@pytest.mark.parametrize(
    ("country", "stored", "unset", "law"),
    [
        ("Germany", FULL_DUMP, ("governing_law", "venue"), ""),
        ("Germany", "{}", ("governing_law", "venue"), ""),
        ("Germany", ENGLISH, (), "the laws of England and Wales"),
        ("United States", FULL_DUMP, (), NEW_YORK),
        ("", FULL_DUMP, (), NEW_YORK),
    ],
    ids=["de-saved-page", "de-never-saved", "de-own-law", "us", "no-country"],
)
def test_0015_keeps_what_the_seller_gave_and_asks_for_what_it_did_not(
    tmp_path: Path, country: str, stored: str, unset: tuple[str, ...], law: str
) -> None:
    path = tmp_path / "frame.db"
    at_revision(path, "0014")
    add_rows(path)
    c = sqlite3.connect(path)
    c.execute(
        "INSERT INTO settings (id, seller_name, seller_legal_name, seller_address, seller_email, "
        "logo_path, default_currency, margin_floor_percent, discount_authority_json, "
        "approval_term_months, min_escalator_percent, max_payment_terms_days, "
        "custom_attribution_needs_approval, outcome_without_minimum_needs_approval, "
        "legal_frame_json, seller_country, seller_tax_id, legal_texts_json, seller_signatory, "
        "seller_signatory_title, version_id, updated_at, updated_by) VALUES (1, 'Acme', "
        "'Acme GmbH', '1 Street', 'a@acme.example', '', 'EUR', '60', '{}', 36, '3', 30, 1, 1, "
        "?, ?, '', '{}', 'Erika Muster', 'CEO', 4, ?, 'admin')",
        (stored, country, NOW),
    )
    c.commit()
    c.close()
    database = open_database(str(path))  # upgrades to the head
    try:
        settings = get_settings(database)
        assert settings.jurisdiction_unset() == unset
        frame = settings.legal_frame()
        assert frame.governing_law == law
        assert frame.liability_cap_months == (24 if stored != "{}" else 12)  # kept
        assert (settings.seller_name, settings.seller_country, settings.version_id) == (
            "Acme",
            country,
            4,
        )
    finally:
        database.close()
    c = sqlite3.connect(path)
    try:
        kept = json.loads(c.execute("SELECT legal_frame_json FROM settings").fetchone()[0])
        assert c.execute("SELECT count(*) FROM quote_version").fetchone() == (1,)
    finally:
        c.close()
    before = json.loads(stored)
    # Only the shipped law and courts were taken out; every other field is as it was.
    assert kept == {
        k: v
        for k, v in before.items()
        if not (k in ("governing_law", "venue") and v in (NEW_YORK, NEW_YORK_COURTS))
    }


def test_0015_leaves_a_frame_it_cannot_read_as_it_is(tmp_path: Path) -> None:
    from quote_builder.store import database as dbmod
    from quote_builder.store.migrations import upgrade

    path = tmp_path / "odd.db"
    at_revision(path, "0014")
    c = sqlite3.connect(path)
    c.execute(
        "INSERT INTO settings (id, legal_frame_json, discount_authority_json, version_id, "
        "updated_at) VALUES (1, '[1, 2]', '{}', 1, ?)",
        (NOW,),
    )
    c.commit()
    c.close()
    url = f"sqlite:///{path}"
    database = Database(url, dbmod.make_engine(url))
    try:
        upgrade(database, "0015")
    finally:
        database.close()
    c = sqlite3.connect(path)
    try:
        assert c.execute("SELECT legal_frame_json FROM settings").fetchone() == ("[1, 2]",)
    finally:
        c.close()


# --- the command line ------------------------------------------------------------------------


def test_the_command_line_warns_and_refuses_before_asking_for_the_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from quote_builder.cli import main

    monkeypatch.delenv("QUOTE_BUILDER_PASSPHRASE", raising=False)
    monkeypatch.setenv("QUOTE_BUILDER_CERTIFICATES_DIR", str(tmp_path / "certs"))
    path = tmp_path / "q.db"
    db = open_database(str(path))
    try:
        seller(db, "Germany")
        row = quote(db)
    finally:
        db.close()
    pdf = tmp_path / "draft.pdf"
    code = main(["render", row.number, "--db", str(path), "-o", str(pdf)])
    out, err = capsys.readouterr()
    assert code == 0, err
    # A full sentence wrapped to 80 columns (h5: it was "warning: the governing law …"
    # on one line of 200 characters).
    warning = err[err.index("Warning: ") :]
    assert " ".join(warning.split()).startswith(f"Warning: T{BOTH[1:]}.")
    assert all(len(line) <= 80 for line in err.splitlines()), err
    code = main(["deal", "finalise", row.number, "--db", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert err == f"{row.number} cannot be finalised: {BOTH}.\n"  # no passphrase asked
