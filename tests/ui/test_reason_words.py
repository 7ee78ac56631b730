"""What reached a German or French user in English: the usage-log reader's per-line
problems, the reasons pydantic gives for a quote that does not validate, and pydantic's
reasons with no code of their own (``input.other``). Each is now written in the
interface's language, the field named as before."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel, Field, ValidationError
from pytestqt.qtbot import QtBot

from quote_builder.pricing.quote_format import QuoteFileError, load_quote
from quote_builder.services.core import problems_from
from quote_builder.ui import i18n, locale_format
from quote_builder.ui.error_words import _input_other
from quote_builder.ui.i18n import error_text
from quote_builder.ui.reason_words import REASONS, problem_text, reason_text
from quote_builder.ui.service_words import texts
from quote_builder.ui.usage_panel import UsagePanel

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["de", "fr"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n.use_language(request.param)
    locale_format.set_locale({"de": "de_DE", "fr": "fr_FR"}[request.param])
    yield request.param
    i18n.use_language("en")
    locale_format.set_locale("en_US")


def _problems(change: dict[str, object]) -> list[str]:
    data = json.loads((ROOT / "examples" / "platform_usage_analytics.json").read_text())
    data.update(change)
    with pytest.raises(QuoteFileError) as caught:
        load_quote(json.dumps(data))
    return caught.value.problems


# The common pydantic error types, as the engine words them, and what each becomes.
CASES = [
    ({"customer": {}}, "customer.name: required", {"de": "erforderlich", "fr": "obligatoire"}),
    (
        {"title": "x" * 300},
        "title: too long",
        # With its length: the text is refused whole, never cut.
        {
            "de": "zu lang (höchstens 200 Zeichen; es sind 300)",
            "fr": "trop long (au plus 200 caractères\u202f; il y en a 300)",
        },
    ),
    (
        {"term_months": "twelve"},
        "term_months: must be a whole number",
        {"de": "muss eine ganze Zahl sein", "fr": "doit être un nombre entier"},
    ),
    (
        {"start_date": "soon"},
        "start_date: not a date: write it as YYYY-MM-DD",
        {
            "de": "kein Datum: als JJJJ-MM-TT schreiben",
            "fr": "pas une date\u00a0: écrivez-la AAAA-MM-JJ",
        },
    ),
    (
        {"term_months": 0},
        "term_months: must be at least 1",
        {"de": "muss mindestens 1 sein", "fr": "doit être au moins 1"},
    ),
    ({"colour": "red"}, "colour: unknown field", {"de": "unbekanntes Feld", "fr": "champ inconnu"}),
]


@pytest.mark.parametrize(("change", "english", "words"), CASES)
def test_the_quote_formats_reasons_are_written_in_the_users_language(
    language: str, change: dict[str, object], english: str, words: dict[str, str]
) -> None:
    problems = _problems(change)
    problem = next(p for p in problems if p.startswith(english.split(": ")[0] + ": "))
    assert problem.startswith(english)  # the engine's English, unchanged
    shown = problem_text(problem)
    assert words[language] in shown, shown
    assert english.split(": ", 1)[1] not in shown  # no English reason left


def test_every_known_reason_has_its_translation(language: str) -> None:
    for _pattern, message in REASONS:
        assert i18n._(message) != message, message


def test_the_value_given_is_kept_as_given(language: str) -> None:
    text = reason_text("must be at least 1 (got 0)")
    assert "(got" not in text and "0" in text
    assert reason_text("something the engine says") == "something the engine says"


def test_pydantics_reasons_without_a_code_are_written_in_our_words(language: str) -> None:
    class Form(BaseModel):
        name: str
        flag: bool = False
        seats: list[int] = Field(default_factory=list, max_length=2)

    with pytest.raises(ValidationError) as caught:
        Form.model_validate({"flag": "maybe", "seats": [1, 2, 3]})
    problems = problems_from(caught.value)
    shown = texts(problems)
    assert not any("Field required" in s or "Input should" in s for s in shown), shown
    required = {"de": "erforderlich", "fr": "obligatoire"}[language]
    assert any(required in s for s in shown), shown
    yes_no = {"de": "muss ja oder nein sein", "fr": "doit être oui ou non"}[language]
    assert any(yes_no in s for s in shown), shown
    assert _input_other({"field": "name", "reason": "Field required"}).endswith(required)


def test_a_bad_usage_log_is_refused_in_the_users_language(
    qtbot: QtBot, language: str, tmp_path: Path
) -> None:
    log = tmp_path / "bad.csv"
    log.write_text(
        "timestamp,user,metric,quantity\n"
        "2026-01-05T10:00:00Z,u1,calls,12\n"
        "2026-01-06T10:00:00Z,u2,calls,abc\n"
        "yesterday,u3,calls,4\n",
        encoding="utf-8",
    )
    panel = UsagePanel(lambda: None, in_editor=False)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.analysis_done, timeout=30_000):
        panel.load_file(log)
    shown = panel.error.text()
    expected = {
        "de": [
            "Das Nutzungsprotokoll wurde nicht geladen:",
            "Zeile 3, Spalte 4 (quantity): keine Dezimalzahl ('abc')",
            "Zeile 4, Spalte 1 (timestamp): kein Datum und keine Uhrzeit nach ISO 8601 ('yesterday')",
        ],
        "fr": [
            "ligne 3, colonne 4 (quantity)\u00a0: pas un nombre décimal ('abc')",
            "ligne 4, colonne 1 (timestamp)\u00a0: pas une date ou une heure ISO 8601 ('yesterday')",
        ],
    }[language]
    for line in expected:
        assert line in shown, shown
    assert "not a decimal number" not in shown and "line 3" not in shown


def test_a_usage_log_without_its_columns_names_them_in_the_users_language(
    language: str, tmp_path: Path
) -> None:
    from quote_builder.services.usage import analyse_usage_log

    log = tmp_path / "cols.csv"
    log.write_text("time,who\n2026-01-05,u1\n", encoding="utf-8")
    with pytest.raises(Exception) as caught:
        analyse_usage_log(log, None, None)
    text = error_text(caught.value)
    assert {
        "de": "Spalten user, metric, quantity fehlen",
        "fr": "colonnes user, metric, quantity manquantes",
    }[language] in text


RAMP_SENTENCES = {
    "en": (
        "Ramp 1 (year 2): “seats” has no usage forecast, so its monthly usage cannot ramp",
        "Ramp 1 (year 2): the quote has no seats component “nope”, so its seats cannot ramp",
    ),
    "de": (
        "Rampe 1 (Jahr 2): Für „seats“ gibt es keine Nutzungsprognose, daher kann die "
        "Monatsmenge nicht ansteigen",
        "Rampe 1 (Jahr 2): Das Angebot hat keine Lizenzkomponente „nope“, daher können "
        "ihre Lizenzen nicht ansteigen",
    ),
    "fr": (
        "Palier 1 (année 2)\xa0: « seats » n'a pas de prévision d'utilisation, son utilisation "
        "mensuelle ne peut donc pas évoluer par palier",
        "Palier 1 (année 2)\xa0: le devis n'a pas de composant de licences « nope », ses "
        "licences ne peuvent donc pas évoluer par palier",
    ),
}


@pytest.mark.parametrize("lang", ["en", "de", "fr"])
def test_a_ramp_naming_no_forecast_or_no_seats_component_is_one_sentence(lang: str) -> None:
    """Was "Ramp 1 (year 2): monthly usage of seats no usage forecast for metric 'seats'":
    a place and a noun phrase run together (and the place English in German and French)."""
    from quote_builder.services import words

    change = {
        "term_months": 24,
        "ramps": [{"year": 2, "usage": {"seats": "100"}, "seats": {"nope": 5}}],
    }
    data = json.loads((ROOT / "examples" / "platform_usage_analytics.json").read_text())
    data.update(change)
    problems = sorted(_problems(change), reverse=True)  # usage first, then seats
    assert [p.split(": ")[0] for p in problems] == ["ramps[0].usage.seats", "ramps[0].seats.nope"]
    if lang == "en":
        assert tuple(words.sentence(p, data) for p in problems) == RAMP_SENTENCES["en"]
    i18n.use_language(lang)
    try:
        assert tuple(problem_text(p, data) for p in problems) == RAMP_SENTENCES[lang]
    finally:
        i18n.use_language("en")
