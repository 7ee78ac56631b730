"""A version comparison, a quote's history and the Approvals page in German and French,
with literal text (``ui/history_words.py``, ``ui/service_words.py``); the command line's
English comparison as it was."""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel
from PySide6.QtCore import QLocale, QStandardPaths
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quote_builder.pricing.document import Discount, ExchangeRate, UsageForecast
from quote_builder.services import approvals as approval_service
from quote_builder.services import lifecycle
from quote_builder.services import quotes as quote_service
from quote_builder.services.workspace import Workspace
from quote_builder.ui import component_words, history_words, i18n, locale_format, locale_numbers
from quote_builder.ui.approvals_view import ApprovalsPage, margin_in_seller_currency
from quote_builder.ui.main_window import MainWindow
from quote_builder.ui.quote_editor import ComparisonDialog, VersionsDialog, open_quote_editor


@pytest.fixture(params=["de", "fr"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    code = str(request.param)
    locale = {"de": "de_DE", "fr": "fr_FR"}[code]
    i18n.install(qapp, code)
    locale_numbers.set_ui_locale(locale)
    locale_format.set_locale(locale)
    QLocale.setDefault(QLocale(locale))
    yield code
    i18n.install(qapp, "en")
    locale_numbers.set_ui_locale("en_US")
    locale_format.set_locale("en_US")
    QLocale.setDefault(QLocale("en_US"))


@pytest.fixture
def translated_window(
    qtbot: QtBot,
    language: str,
    demo_workspace: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[MainWindow]:
    QStandardPaths.setTestModeEnabled(True)
    monkeypatch.setenv("QUOTE_BUILDER_KEYS_DIR", str(tmp_path / "keys"))
    win = MainWindow(demo_workspace)
    qtbot.addWidget(win)
    yield win
    for editor in list(win.editors.values()):
        editor.editor.undo_stack.setClean()
        editor.editor.mark_saved()
        editor.close()


def _second_version(db: object) -> quote_service.QuoteRow:
    """Version 2 of the demo's newest draft: 24 months instead of 12, payment in 45 days,
    a 5 % escalator and a 10 % pilot discount."""
    row = quote_service.list_quotes(db, status="draft").rows[0]  # type: ignore[arg-type]
    doc = quote_service.open_version(db, row.id).document  # type: ignore[arg-type]
    changed = doc.model_copy(
        update={
            "term_months": 24,
            "escalator_percent": Decimal(5),
            "discounts": [Discount(description="Pilot", percent=Decimal(10))],
            "contract": doc.contract.model_copy(update={"payment_terms_days": 45}),
        }
    )
    return quote_service.save_quote(
        db,  # type: ignore[arg-type]
        row.id,
        changed,
        expected_version=row.version_id,
        actor="ann",
    ).value


COMPARISON = {
    "de": [
        ("Laufzeit", "12 Monate", "24 Monate"),
        ("Jährliche Preissteigerung", "0 %", "5 %"),
        ("Zahlungsziel", "30 Tage", "45 Tage"),
        ("Rabatt 1 (Pilot): Prozent", "—", "10 %"),
        ("Rabatt 1 (Pilot): Startmonat", "—", "1"),
        ("TCV", "15.600,00 $", "28.792,80 $"),
        ("TCV zu Listenpreisen", "15.600,00 $", "31.992,00 $"),
        ("Rabatt ggü. Liste", "0 %", "10 %"),
        ("ACV im ersten Jahr", "15.600,00 $", "14.040,00 $"),
        ("Bruttomarge", "77,7 %", "77,0 %"),
        ("Umsatz Jahr 1", "15.600,00 $", "14.040,00 $"),
        ("Marge Jahr 1", "77,7 %", "75,2 %"),
        ("Umsatz Jahr 2", "—", "14.752,80 $"),
        ("Marge Jahr 2", "—", "78,7 %"),
    ],
    "fr": [
        ("Durée", "12 mois", "24 mois"),
        ("Indexation annuelle", "0 %", "5 %"),
        ("Délai de paiement", "30 jours", "45 jours"),
        ("Remise 1 (Pilot) : Pourcentage", "—", "10 %"),
        ("Remise 1 (Pilot) : Mois de début", "—", "1"),
        ("TCV", "15 600,00 $US", "28 792,80 $US"),
        ("TCV au prix catalogue", "15 600,00 $US", "31 992,00 $US"),
        ("Remise / catalogue", "0 %", "10 %"),
        ("ACV de la première année", "15 600,00 $US", "14 040,00 $US"),
        ("Marge brute", "77,7 %", "77,0 %"),
        ("Chiffre d'affaires année 1", "15 600,00 $US", "14 040,00 $US"),
        ("Marge année 1", "77,7 %", "75,2 %"),
        ("Chiffre d'affaires année 2", "—", "14 752,80 $US"),
        ("Marge année 2", "—", "78,7 %"),
    ],
}
"""The changed rows of version 1 against version 2 (``_second_version``), as the
comparison shows them: every percent by the locale's formatter with the digits it has
("5 %", a discount's "10 %"), a margin to one decimal."""


def _cells(table: object) -> list[tuple[str, ...]]:
    rows = []
    for r in range(table.rowCount()):  # type: ignore[attr-defined]
        rows.append(
            tuple(
                table.item(r, c).text()  # type: ignore[attr-defined]
                for c in range(table.columnCount())  # type: ignore[attr-defined]
            )
        )
    return rows


def _plain(text: str) -> str:
    """Babel's narrow no-break spaces as spaces (what a reader sees)."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_the_version_comparison_in_german_and_french(
    qtbot: QtBot, translated_window: MainWindow, language: str
) -> None:
    db = translated_window.workspace.db
    row = _second_version(db)
    editor = open_quote_editor(translated_window, row.id)
    rows = translated_window.workspace.run(
        quote_service.compare_versions, row.id, 1, 2, locale=locale_format.user_locale()
    )
    dialog = ComparisonDialog(editor, "", "", "1", "2", rows)
    qtbot.addWidget(dialog)
    shown = [tuple(_plain(c) for c in cells) for cells in _cells(dialog.table)]
    assert shown == COMPARISON[language]
    assert (
        dialog.summary.text() == {"de": "14 Felder geändert", "fr": "14 champs modifiés"}[language]
    )


def test_the_command_line_compares_in_english(demo_workspace: Workspace) -> None:
    db = demo_workspace.db
    row = _second_version(db)
    changed = [
        (r.section, r.label, r.a, r.b)
        for r in quote_service.compare_versions(db, row.id, 1, 2)
        if r.changed
    ]
    assert changed[:5] == [
        ("Terms", "Term", "12 months", "24 months"),
        ("Terms", "Annual escalator", "0%", "5%"),
        ("Terms", "Payment terms", "30 days", "45 days"),
        ("Terms", "Discount 1 (Pilot): Percent", "—", "10%"),
        ("Terms", "Discount 1 (Pilot): Start month", "—", "1"),
    ]
    assert ("Totals", "Year 2 margin", "—", "78.7%") in changed
    assert all(type(str(r.label)) is str for r in quote_service.compare_versions(db, row.id, 1, 2))


HISTORY = {
    "de": [
        ("Angebot erstellt", "Version: 1"),
        ("Version gespeichert", "Version: 2"),
        ("Gültig-bis-Datum geändert", "Von: 30.06.2030, Nach: 31.12.2030"),
        (
            "Als verloren markiert",
            "Details: Zu teuer, Von: Entwurf, Grund: Preis zu hoch, Nach: Verloren",
        ),
    ],
    "fr": [
        ("Devis créé", "Version : 1"),
        ("Version enregistrée", "Version : 2"),
        ("Date de validité modifiée", "De : 30 juin 2030, Vers : 31 déc. 2030"),
        (
            "Marqué perdu",
            "Détails : Zu teuer, De : Brouillon, Raison : Prix trop élevé, Vers : Perdu",
        ),
    ],
}


def test_the_history_in_german_and_french(
    qtbot: QtBot, translated_window: MainWindow, language: str
) -> None:
    db = translated_window.workspace.db
    row = _second_version(db)
    for day in (dt.date(2030, 6, 30), dt.date(2030, 12, 31)):
        current = quote_service.get_quote(db, row.id)
        lifecycle.set_valid_until(
            db, row.id, valid_until=day, expected_version=current.version_id, actor="ann"
        )
    current = quote_service.get_quote(db, row.id)
    lifecycle.mark_lost(
        db,
        row.id,
        reason="price",
        details="Zu teuer",
        expected_version=current.version_id,
        actor="ann",
    )
    editor = open_quote_editor(translated_window, row.id)
    dialog = VersionsDialog(editor)
    qtbot.addWidget(dialog)
    shown = [(what, _plain(details)) for _when, _who, what, details in _cells(dialog.history)]
    # the first valid-until change starts from the demo's own date: left out
    assert shown[:2] + shown[3:] == HISTORY[language]
    assert shown[2][0] == HISTORY[language][2][0]
    who = {cells[1] for cells in _cells(dialog.history)}
    assert who == {"demo", "ann"}


def test_every_field_a_comparison_names_has_a_label() -> None:
    """A discount's and a forecast's fields, and every component's, are named by the UI's
    tables (none falls back on its English words)."""
    from quote_builder.pricing import COMPONENT_KINDS

    def fields(model: type[BaseModel], seen: set[type]) -> set[str]:
        found = set()
        for name, info in model.model_fields.items():
            found.add(name)
            for outer in (info.annotation, *typing.get_args(info.annotation)):
                for inner in (outer, *typing.get_args(outer)):
                    if (
                        isinstance(inner, type)
                        and issubclass(inner, BaseModel)
                        and inner not in seen
                    ):
                        seen.add(inner)
                        found |= fields(inner, seen)
        return found

    names: set[str] = set()
    for model in (Discount, UsageForecast, *COMPONENT_KINDS.values()):
        names |= fields(model, set())
    names -= {"id", "name", "kind", "description"}  # not compared as fields
    known = set(component_words.FIELD_LABELS) | set(history_words.OTHER_FIELDS)
    assert not sorted(names - known)


MARGIN = {
    "de": "Marge in USD (Umsatz umgerechnet zu 0,9213 EUR je USD): Jahr 1: Umsatz "
    "12.699,45 $, COGS 3.480,00 $, 72,6 %",
    "fr": "Marge en USD (chiffre d'affaires converti à 0,9213 EUR pour 1 USD) : année 1 : "
    "chiffre d'affaires 12 699,45 $US, COGS 3 480,00 $US, 72,6 %",
}

NOTE = {
    "de": "Die App des Vertriebs hat dieses Angebot nach ihren eigenen Einstellungen beurteilt "
    "(keine Organisationsrichtlinie); die angezeigten Gründe sind die dieses Deal Desks, nach "
    "den eigenen Einstellungen dieses Rechners",
    "fr": "L'application du commercial a évalué ce devis selon ses propres paramètres (aucune "
    "politique d'organisation)\u202f; les raisons affichées sont celles de ce deal desk, selon les "
    "paramètres propres à cette machine",
}


def test_the_approvals_page_in_german_and_french(
    qtbot: QtBot, translated_window: MainWindow, language: str
) -> None:
    """The desk's "Margin in …" line (a quote in EUR whose costs are in USD), the stored
    warnings by their titles, and the reasons, in the interface's language."""
    db = translated_window.workspace.db
    row = quote_service.list_quotes(db, status="draft").rows[0]
    doc = quote_service.open_version(db, row.id).document
    in_eur = doc.model_copy(
        update={
            "currency": "EUR",
            "exchange_rate": ExchangeRate(
                seller_currency="USD",
                rate=Decimal("0.9213"),
                as_of=dt.date(2026, 11, 2),
                source="ECB",
            ),
            "discounts": [Discount(description="Big deal", percent=Decimal(25))],
        }
    )
    saved = quote_service.save_quote(
        db, row.id, in_eur, expected_version=row.version_id, actor="rep"
    ).value
    approval_service.request_approval(db, saved.number, actor="rep")
    page = translated_window.show_page("approvals")
    assert isinstance(page, ApprovalsPage)
    page.reload()
    numbers = [page.table.item(i, 0).text() for i in range(page.table.rowCount())]  # type: ignore[union-attr]
    page.table.selectRow(numbers.index(saved.number))
    lines = [_plain(page.reasons.item(i).text()) for i in range(page.reasons.count())]
    assert MARGIN[language] in lines
    assert not [line for line in lines if "Margin in" in line or "revenue" in line]
    first = {"de": "Angefragt von rep", "fr": "Demandé par rep"}[language]
    assert lines[0] == first


def test_an_imported_request_s_note_in_german_and_french(language: str) -> None:
    from quote_builder.errors import Sentence
    from quote_builder.services.approvals import UNVERIFIED
    from quote_builder.ui.service_words import text

    note = Sentence(
        "The rep's app judged this quote under its own settings (no organisation policy); "
        f"the reasons shown are this desk's, under {UNVERIFIED}.",
        "request.note.rep_own_settings",
        rep_policy="",
        desk_policy=UNVERIFIED,
    )
    assert text(note).startswith(NOTE[language])


def test_the_margin_line_keeps_its_english_in_an_english_interface() -> None:
    summary = {
        "margin_currency": "USD",
        "exchange_rate": "0.9213",
        "currency": "EUR",
        "years": [
            {
                "year": 1,
                "margin_revenue": "12700.53",
                "cogs": "3482.40",
                "gross_margin_percent": "72.58",
            }
        ],
    }
    assert margin_in_seller_currency(summary) == (
        "Margin in USD (revenue converted at 0.9213 EUR per USD): year 1: revenue $12,700.53, "
        "COGS $3,482.40, 72.6%"
    )


REQUESTED = {
    "de": "Von: Entwurf, Richtlinie: —, Gründe: Der effektive Rabatt beträgt 25 % und liegt "
    "über der Befugnis des Managers von 20 %: Der Deal Desk muss freigeben., Anfrage: {request}, "
    "Wer freigeben muss: Deal Desk, Nach: Freigabe ausstehend, Version: 2",
    "fr": "De : Brouillon, Politique : —, Raisons : La remise effective est de 25 %, au-dessus "
    "du pouvoir du manager de 20 % : le deal desk doit approuver., Demande : {request}, Qui doit "
    "approuver : deal desk, Vers : En attente d'approbation, Version : 2",
}


def test_a_request_s_reasons_in_the_history_in_german_and_french(
    qtbot: QtBot, translated_window: MainWindow, language: str
) -> None:
    """The history keeps a request's reasons as their English sentences; the dialog writes
    them from the request's codes in the interface's language."""
    db = translated_window.workspace.db
    row = quote_service.list_quotes(db, status="draft").rows[0]
    doc = quote_service.open_version(db, row.id).document
    discounted = doc.model_copy(
        update={"discounts": [Discount(description="Big", percent=Decimal(25))]}
    )
    saved = quote_service.save_quote(
        db, row.id, discounted, expected_version=row.version_id, actor="rep"
    ).value
    request = approval_service.request_approval(db, saved.number, actor="rep").value
    editor = open_quote_editor(translated_window, row.id)
    dialog = VersionsDialog(editor)
    qtbot.addWidget(dialog)
    details = [_plain(cells[3]) for cells in _cells(dialog.history)]
    assert details[-1] == REQUESTED[language].format(request=request.request_id)


def test_a_history_s_english_reasons_write_their_percents_the_user_s_way() -> None:
    """An event's reasons whose request is not at hand (their codes with it) show as they
    were recorded, in English, their percents by the one formatter all the same."""
    i18n.use_language("de")
    locale_format.set_locale("de_DE")
    try:
        shown = history_words.event_details(
            "approval_requested",
            {"reasons": ["The effective discount is 25.00%, above the manager's 20% authority."]},
        )
    finally:
        i18n.use_language("en")
        locale_format.set_locale("en_US")
    assert "The effective discount is 25\xa0%, above the manager's 20\xa0% authority." in shown
    assert "25.00%" not in shown


EDITED_EVENT = {
    "de": "Die Details dieses Ereignisses können nicht aus der Datenbank gelesen werden",
    "fr": "Les détails de cet événement ne peuvent pas être lus dans la base de données",
}


def test_an_event_edited_by_hand_is_a_sentence_in_the_history_dialog(
    qtbot: QtBot, translated_window: MainWindow, language: str
) -> None:
    """h5 walk: an audit event's details edited with sqlite3 into something that is not
    JSON made the quote's Versions dialog end in a traceback. Its details cell is one
    sentence in the interface's language naming the event and what to do; the other
    events are shown."""
    from sqlalchemy import text

    db = translated_window.workspace.db
    row = quote_service.list_quotes(db, status="draft").rows[0]
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER audit_event_no_update"))
        else:
            connection.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        connection.execute(
            text("UPDATE audit_event SET details_json = '{x' WHERE quote_id = :q"),
            {"q": row.id},
        )
    editor = open_quote_editor(translated_window, row.id)
    dialog = VersionsDialog(editor)
    qtbot.addWidget(dialog)
    cells = _cells(dialog.history)
    assert cells and all(details.startswith(EDITED_EVENT[language]) for *_, details in cells)
    assert all("(line 1, column 2: " in details for *_, details in cells), cells
