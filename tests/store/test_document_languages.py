"""Which language a quote's documents are written in (issue 18, §1): the customer's language
(from their country when not set), the quote's own, ``render --language``; migration 0011;
the seller's clause texts per language and what a document says when one is missing."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from quote_builder.cli import main
from quote_builder.countries import country_code, default_language
from quote_builder.pricing.languages import check_language, language_of_country
from quote_builder.pricing.legal import LegalFrame, LegalTexts, localized_frame
from quote_builder.pricing.quote_format import QuoteFileError, load_quote
from quote_builder.services import customers as customer_svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services import settings as settings_svc
from quote_builder.services.core import InvalidInputError
from quote_builder.services.documents import (
    LanguageError,
    document_language,
    render_quote_document,
    render_saved_quote,
    resolve_language,
)
from quote_builder.store.database import Database, open_database
from tests.documents.conftest import pdf_text

from .helpers import customer, document, name_the_seller
from .test_migrations import NOW, add_rows, at_revision


def squash(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def pdf_lang(pdf: bytes) -> str:
    return str(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"])


# --- countries and languages -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "language"),
    [
        ("Germany", "de"),
        ("Austria", "de"),
        ("Switzerland", "de"),
        ("France", "fr"),
        ("Belgium", "fr"),
        ("Spain", "es"),
        ("Mexico", "es"),
        ("Japan", "ja"),
        ("United Kingdom", "en"),
        ("United States", "en"),
        ("Brazil", "en"),  # Portuguese is not a document language: English
        ("", "en"),
        ("Atlantis", "en"),  # a name saved before the country list: not a country we know
        ("DE", "de"),  # an ISO code works too
        ("deutschland", "de"),
    ],
)
def test_a_countrys_default_language(country: str, language: str) -> None:
    assert default_language(country) == language


def test_country_names_map_to_codes_and_unknown_languages_are_refused() -> None:
    assert country_code("United Kingdom") == "GB" and country_code("Japan") == "JP"
    assert language_of_country("FR") == "fr" and language_of_country(None) == "en"
    assert check_language(" DE ") == "de" and check_language("fr_CH") == "fr"
    with pytest.raises(ValueError, match=r"language: 'pt' is not a language .* de \(German\)"):
        check_language("pt")


def test_the_language_is_the_command_lines_then_the_quotes_then_the_customers() -> None:
    doc = document()
    french_quote = document(language="fr")
    assert resolve_language(doc).language == "en"
    assert resolve_language(doc, "", "Germany").source == "country"
    assert resolve_language(doc, "", "Germany").locale == "de_DE"
    assert resolve_language(doc, "es", "Germany").language == "es"  # the customer's own
    assert resolve_language(french_quote, "es", "Germany").language == "fr"  # the quote's
    chosen = resolve_language(french_quote, "es", "Germany", language="ja")
    assert (chosen.language, chosen.locale, chosen.source) == ("ja", "ja_JP", "command line")
    assert resolve_language(doc, language="de", locale="de_CH").locale == "de_CH"
    with pytest.raises(LanguageError, match=r"--language: 'pt' is not a language"):
        resolve_language(doc, language="pt")


def test_the_quote_file_names_its_language_and_refuses_another() -> None:
    base = document().to_json_dict()
    assert (
        load_quote(__import__("json").dumps({**base, "language": "DE"}), "q.json").language == "de"
    )
    with pytest.raises(QuoteFileError, match=r"q\.json: language: 'klingon' is not a language"):
        load_quote(__import__("json").dumps({**base, "language": "klingon"}), "q.json")
    # Without a language the file (and so its SHA-256) is as before.
    assert "language" not in document().to_json_dict()


# --- customers ---------------------------------------------------------------------------


def test_a_customer_has_a_language_and_their_quotes_follow_it(db: Database) -> None:
    name_the_seller(db)
    german = customer(db, "Beispiel GmbH", country="Germany")  # none set: from the country
    british = customer(db, "Example Ltd", country="United Kingdom", language="fr")
    assert customer_svc.get_customer(db, german).language == ""
    assert document_language(db, document("Beispiel GmbH")).language == "de"
    assert document_language(db, document("Example Ltd")).language == "fr"
    rendered = render_quote_document(document("Beispiel GmbH"), db=db, kind="contract")
    assert pdf_lang(rendered.result.pdf) == "de-DE" and rendered.request.language == "de"
    # The customer changes their language: their quotes follow.
    current = customer_svc.get_customer(db, british)
    customer_svc.update_customer(
        db, british, {"language": "es"}, expected_version=current.version_id, actor="alice"
    )
    assert document_language(db, document("Example Ltd")).language == "es"
    with pytest.raises(
        InvalidInputError, match=r"language: 'pt' is not a language .* ja \(Japanese\)"
    ):
        customer(db, "Exemplo Lda", country="Portugal", language="pt")


def test_a_saved_quote_renders_in_its_customers_language_or_as_asked(
    db: Database, tmp_path: Path
) -> None:
    name_the_seller(db)
    customer_id = customer(db, "Ejemplo SA", country="Spain")
    number = quote_svc.create_quote(
        db, document("Ejemplo SA"), actor="alice", customer_id=customer_id
    ).value.number
    spanish = render_saved_quote(db, number, kind="contract")
    assert pdf_lang(spanish.result.pdf) == "es-ES"
    assert "Formulario de pedido" in squash(pdf_text(spanish.result.pdf, tmp_path))
    japanese = render_saved_quote(db, number, kind="contract", language="ja")
    assert pdf_lang(japanese.result.pdf) == "ja-JP"
    assert "注文書" in squash(pdf_text(japanese.result.pdf, tmp_path))
    with pytest.raises(LanguageError, match="--language: 'xx'"):
        render_saved_quote(db, number, language="xx")


# --- migration 0011 ------------------------------------------------------------------------


def test_0011_keeps_existing_customers_english_and_adds_clause_texts(tmp_path: Path) -> None:
    """Customers from before the upgrade keep English documents (an approved or sent quote
    does not change language because the app was upgraded); the contacts, quotes and
    settings survive; new customers start without a language (their country's)."""
    path = tmp_path / "languages.db"
    at_revision(path, "0010")
    add_rows(path)
    c = sqlite3.connect(path)
    c.execute(
        "UPDATE customer SET country = 'Germany' WHERE name = 'Acme'"
    )  # a German customer: English before, English after
    c.execute(
        "INSERT INTO settings (id, seller_name, legal_frame_json, discount_authority_json, "
        "version_id, updated_at) VALUES (1, 'Acme AI', '{\"governing_law\": \"the laws of "
        'Ireland"}\', \'{"rep": "10", "manager": "20", "deal_desk": "100"}\', 1, ?)',
        (NOW,),
    )
    c.commit()
    c.close()
    database = open_database(str(path))
    try:
        assert [c.language for c in customer_svc.search_customers(database).rows] == ["en", "en"]
        assert settings_svc.get_settings(database).legal_texts() == {}
        assert settings_svc.get_settings(database).seller_name == "Acme AI"
        assert settings_svc.get_settings(database).legal_frame().governing_law == (
            "the laws of Ireland"
        )
        new = customer(database, "Neu GmbH", country="Germany", signable=False)
        assert customer_svc.get_customer(database, new).language == ""
        acme = customer_svc.search_customers(database, "Acme").rows[0]
        assert len(customer_svc.list_contacts(database, acme.id)) == 2
    finally:
        database.close()
    c = sqlite3.connect(path)
    try:
        assert c.execute("SELECT count(*) FROM contact").fetchone() == (3,)
        assert c.execute("SELECT count(*) FROM quote_version").fetchone() == (1,)
    finally:
        c.close()


# --- the seller's clause texts per language ------------------------------------------------


def _translate_defaults(field: str, english: str) -> str:
    return f"[de] {english}"


def test_the_frames_texts_in_a_language_and_what_is_missing() -> None:
    own = LegalFrame(
        governing_law="the laws of England and Wales",
        agreement_reference="https://acme.example/msa",
    )
    frame, missing = localized_frame(own, "de", {}, _translate_defaults)
    assert missing == ["governing_law"]  # the seller's own English phrase, not given in German
    assert frame.governing_law == "the laws of England and Wales"  # stands in a draft
    assert frame.agreement == "[de] Master Subscription Agreement"  # a default: shipped text
    assert frame.agreement_reference == "https://acme.example/msa"  # a web address: any language
    texts = {"de": LegalTexts(governing_law="dem Recht von England und Wales")}
    frame, missing = localized_frame(own, "de", texts, _translate_defaults)
    assert missing == [] and frame.governing_law == "dem Recht von England und Wales"
    assert localized_frame(own, "en", texts, _translate_defaults) == (own, [])
    from quote_builder.pricing.legal import LegalOverrides

    quote_says = LegalOverrides(governing_law="dem Recht der Schweiz")
    assert localized_frame(own, "de", {}, _translate_defaults, quote_says)[1] == []


def test_clause_texts_per_language_are_saved_checked_and_printed(
    db: Database, tmp_path: Path
) -> None:
    name_the_seller(db)
    settings = settings_svc.get_settings(db)
    settings = settings_svc.update_settings(
        db,
        expected_version=settings.version_id,
        actor="admin",
        legal_frame={
            "governing_law": "the laws of England and Wales",
            "venue": "the courts of London",
        },
    ).value
    with pytest.raises(InvalidInputError) as refused:
        settings_svc.update_settings(
            db,
            expected_version=settings.version_id,
            actor="admin",
            legal_texts={"pt": {"governing_law": "a lei portuguesa"}, "de": {"venue": "x" * 201}},
        )
    assert "Legal frame texts: 'pt' is not one of the other document languages" in str(
        refused.value
    )
    assert "Legal frame in German, Courts" in str(refused.value)
    customer_id = customer(db, "Beispiel GmbH", country="Germany")
    number = quote_svc.create_quote(
        db, document("Beispiel GmbH"), actor="alice", customer_id=customer_id
    ).value.number
    # No German text for the seller's own law and courts: the draft says so in German (in
    # the order form) and to the rep in English; the English phrase is never silent.
    draft = render_saved_quote(db, number, kind="contract")
    text = squash(pdf_text(draft.result.pdf, tmp_path))
    assert "Vor der Unterzeichnung zu klären:" in text
    assert "Anwendbares Recht: Der Text des Anbieters liegt nicht auf Deutsch vor" in text
    assert any(
        w.startswith("Legal frame, Governing law: the seller's text is not given in German")
        for w in draft.result.warnings
    )
    settings = settings_svc.get_settings(db)
    saved = settings_svc.update_settings(
        db,
        expected_version=settings.version_id,
        actor="admin",
        legal_texts={
            "de": {
                "governing_law": "dem Recht von England und Wales",
                "venue": "die Gerichte in London",
            }
        },
    ).value
    assert saved.legal_texts()["de"].venue == "die Gerichte in London"
    ready = render_saved_quote(db, number, kind="contract")
    text = squash(pdf_text(ready.result.pdf, tmp_path))
    assert "Dieses Bestellformular unterliegt dem Recht von England und Wales." in text
    assert "sind ausschließlich die Gerichte in London zuständig" in text
    assert "Vor der Unterzeichnung" not in text and ready.result.warnings == []
    # The English order form is as it was.
    english = render_saved_quote(db, number, kind="contract", language="en")
    assert "governed by the laws of England and Wales" in squash(
        pdf_text(english.result.pdf, tmp_path)
    )


def test_a_final_order_form_without_the_sellers_text_is_refused(db: Database) -> None:
    from dataclasses import replace

    from quote_builder.documents import render_pdf
    from quote_builder.documents.render import RenderRefusedError
    from quote_builder.services.documents import _customer, _seller_frame

    name_the_seller(db)
    seller, _logo, _legal = _seller_frame(db)
    doc = document("Exemple SA")
    from quote_builder.documents import RenderRequest
    from quote_builder.pricing import price

    req = RenderRequest(
        document=doc,
        priced=price(doc),
        seller=seller,
        # A customer the order form can name and have sign (else that is refused first).
        customer=replace(
            _customer(db, doc), billing_address="1 rue de la Paix, Paris", signatory="Marie Roux"
        ),
        quote_number="Q-2026-0001",
        version=1,
        final=True,
        language="fr",
        locale="fr_FR",
        legal=LegalFrame(governing_law="the laws of Ireland"),
    )
    with pytest.raises(
        RenderRefusedError, match=r"not ready to sign: Legal frame, Governing law: .* French"
    ):
        render_pdf(req)
    given = replace(req, legal_texts={"fr": LegalTexts(governing_law="le droit irlandais")})
    assert render_pdf(given).pdf.startswith(b"%PDF")


# --- the command line ------------------------------------------------------------------------


def test_render_language_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QUOTE_BUILDER_DATA_DIR", str(tmp_path / "data"))  # no user database
    example = Path(__file__).resolve().parents[2] / "examples" / "outcome_based_support.json"
    out = tmp_path / "q.pdf"
    code, report, err = run("render", str(example), "-o", str(out), "--language", "de")
    assert code == 0 and "in German" in report, err
    assert pdf_lang(out.read_bytes()) == "de-DE"
    assert "Ergebnisdefinitionen und Messung" in squash(pdf_text(out.read_bytes(), tmp_path))
    code, _report, err = run("render", str(example), "-o", str(out), "--locale", "fr_CH")
    assert code == 0 and pdf_lang(out.read_bytes()) == "fr-CH"  # --locale alone: its language
    code, _report, err = run("render", str(example), "-o", str(out), "--language", "pt")
    err += capsys.readouterr().err  # argparse's own message
    assert code == 2 and "Argument --language: invalid choice: 'pt'" in err
    assert "'de'" in err and "'ja'" in err
    code, _report, err = run("render", str(example), "-o", str(out), "--locale", "pt_BR")
    assert code == 2 and "--locale pt_BR: documents are written in en (English), de (German)" in err
    code, _report, err = run(
        "render", str(example), "-o", str(out), "--language", "de", "--locale", "en_US"
    )
    assert code == 2 and "locale: en_US writes dates and numbers in English" in err
