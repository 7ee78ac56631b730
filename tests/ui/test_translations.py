"""The desktop app in German and French (issue 18, §2).

The catalogs: every string marked in ``quote_builder/ui`` (an extraction run, as
``scripts/translate-ui`` does it) is in each language's ``ui.po``, translated and not
fuzzy, with the same placeholders and menu mnemonics; the committed ``ui.mo`` is the
``ui.po`` compiled; nothing is translated at import time; no bare English text is handed to
a Qt widget; the English label tables the UI translates agree with the words the services
use. The windows: the main window in German shows German menus, German validation
sentences and Qt's own German buttons; the language setting goes round through Settings;
the system's language and locale are followed.
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import io
import os
import re
import string
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from quote_builder.services.workspace import LocalWorkspace
from quote_builder.ui import i18n, labels, locale_format, locale_numbers
from quote_builder.ui.locale_numbers import NumberEntryError

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "quote_builder" / "ui"
LOCALE = ROOT / "quote_builder" / "locale"
LANGUAGES = ("de", "fr")


# --- the catalogs --------------------------------------------------------------------------


def _extracted() -> dict[str | tuple[str, str], Message]:
    """What ``pybabel extract -F babel-ui.cfg`` finds: msgid (or (singular, plural)) ->
    where it is."""
    method_map = [("quote_builder/ui/**.py", "python")]
    found: dict[str | tuple[str, str], Message] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map={"quote_builder/ui/**.py": {}}
    ):
        key = message if isinstance(message, str) else tuple(message)
        assert context is None, f"{filename}:{lineno}: no message contexts are used"
        found.setdefault(key, Message(key, locations=[(filename, lineno)]))  # type: ignore[arg-type]
    return found


@pytest.fixture(scope="module")
def extracted() -> dict[str | tuple[str, str], Message]:
    return _extracted()


def _catalog(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "ui.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _key(message: Message) -> str | tuple[str, str]:
    return message.id if isinstance(message.id, str) else tuple(message.id)  # type: ignore[return-value]


def test_the_extraction_finds_the_strings_of_every_window(
    extracted: dict[str | tuple[str, str], Message],
) -> None:
    """The extraction reads the package (a mapping that matched nothing would make every
    other check here vacuous)."""
    assert len(extracted) > 1000
    for known in ("&File", "Save plan", "Quote Builder speaks {language} from its next start."):
        assert known in extracted
    assert ("{count} quote", "{count} quotes") in extracted


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_in_the_catalog_and_translated(
    language: str, extracted: dict[str | tuple[str, str], Message]
) -> None:
    """A new English string without its translation fails here (run
    ``scripts/translate-ui update``, translate, ``scripts/translate-ui compile``)."""
    catalog = _catalog(language)
    entries = {_key(m): m for m in catalog if m.id}
    missing = sorted(str(k) for k in extracted if k not in entries)
    stale = sorted(str(k) for k in entries if k not in extracted)
    untranslated = sorted(
        str(k)
        for k, m in entries.items()
        if (not all(m.string) if isinstance(m.string, tuple | list) else not m.string)
    )
    fuzzy = sorted(str(k) for k, m in entries.items() if m.fuzzy)
    assert not missing, (
        f"{language}: not in ui.po (run scripts/translate-ui update): {missing[:20]}"
    )
    assert not stale, f"{language}: in ui.po but no longer in the code: {stale[:20]}"
    assert not untranslated, f"{language}: untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{language}: fuzzy: {fuzzy[:20]}"
    assert not catalog.fuzzy, f"{language}: the catalog header is marked fuzzy"


def _placeholders(text: str) -> set[str]:
    return {
        field for _literal, field, _spec, _conversion in string.Formatter().parse(text) if field
    }


def _mnemonics(text: str) -> int:
    """Single ampersands (a mnemonic); && is a literal ampersand."""
    return len(re.findall(r"(?<!&)&(?!&)", text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_mnemonics_and_lines(language: str) -> None:
    """A translation names the same placeholders (else ``.format`` raises or drops a
    value), keeps the menu's mnemonic and the literal && of a tab title."""
    problems = []
    for message in _catalog(language):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = set().union(*(_placeholders(i) for i in ids))
        for i, text in enumerate(strings):
            got = _placeholders(text)
            plural_form = isinstance(message.id, tuple | list)
            # A singular form may say "one" instead of {count} ("ein Angebot").
            allowed_missing = {"count"} if plural_form and i == 0 else set()
            if got - wanted or (wanted - got) - allowed_missing:
                problems.append(f"{ids[0]!r}: placeholders {sorted(got)} != {sorted(wanted)}")
            try:
                text.format(**{name.split("!")[0].split(".")[0]: 1 for name in got})
            except (KeyError, IndexError, ValueError) as exc:
                problems.append(f"{ids[0]!r}: does not format ({exc})")
            if _mnemonics(ids[0]) != _mnemonics(text):
                problems.append(f"{ids[0]!r}: mnemonic & in {text!r}")
            if ids[0].count("&&") != text.count("&&"):
                problems.append(f"{ids[0]!r}: && in {text!r}")
            if ids[0].count("\n") != text.count("\n"):
                problems.append(f"{ids[0]!r}: line breaks in {text!r}")
    assert not problems, "\n".join(problems[:30])


def test_no_message_reads_as_printf_style(
    extracted: dict[str | tuple[str, str], Message],
) -> None:
    """Our placeholders are braces. Babel takes a message with a percent sign before a space
    and a conversion letter ("20% of users") for printf-style, flags it python-format in
    every catalog, and the generic catalog checks then try ``translation % {}`` on it (a
    translation's "20 %: ..." would not format). Write such a message another way ("the
    top 20%", "3-5%)")."""
    flagged = sorted(
        str(key) for key, message in extracted.items() if Message(key, "x").python_format
    )
    assert flagged == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_is_the_po_compiled(language: str) -> None:
    """``ui.mo`` is what ``scripts/translate-ui compile`` makes of ``ui.po`` now (a
    translation edited without compiling would not reach the app)."""
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(language))
    compiled.seek(0)
    expected = gettext.GNUTranslations(compiled)
    with (LOCALE / language / "LC_MESSAGES" / "ui.mo").open("rb") as handle:
        committed = gettext.GNUTranslations(handle)
    assert committed._catalog == expected._catalog  # type: ignore[attr-defined]


def test_the_plural_forms_are_the_languages_own() -> None:
    """German has one and other; French counts 0 and 1 as singular (CLDR also gives it a
    form for millions, which takes the plural here)."""
    assert _catalog("de").num_plurals == 2
    assert _catalog("fr").num_plurals == 3
    german = i18n.catalog("de")
    french = i18n.catalog("fr")
    assert german.ngettext("{count} quote", "{count} quotes", 1) == "{count} Angebot"
    assert german.ngettext("{count} quote", "{count} quotes", 0) == "{count} Angebote"
    assert french.ngettext("{count} customer", "{count} customers", 0) == "{count} client"
    assert french.ngettext("{count} customer", "{count} customers", 1) == "{count} client"
    assert french.ngettext("{count} customer", "{count} customers", 2) == "{count} clients"
    assert french.ngettext("{count} customer", "{count} customers", 10**6) == "{count} clients"


# --- the code ------------------------------------------------------------------------------

TRANSLATING = {"_", "ngettext", "pgettext"}


def _calls_at_import_time(tree: ast.Module) -> Iterator[ast.Call]:
    """Translation calls that run when the module is imported: at module or class level,
    in default arguments and decorators (function bodies and lambdas run later)."""

    def visit(node: ast.AST, at_import: bool) -> Iterator[ast.Call]:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for part in [*node.args.defaults, *node.args.kw_defaults, *node.decorator_list]:
                if part is not None:
                    yield from visit(part, at_import)
            for statement in node.body:
                yield from visit(statement, False)
            return
        if isinstance(node, ast.Lambda):
            for part in node.args.defaults:
                yield from visit(part, at_import)
            yield from visit(node.body, False)
            return
        if (
            at_import
            and isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) in TRANSLATING
        ):
            yield node
        for child in ast.iter_child_nodes(node):
            yield from visit(child, at_import)

    yield from visit(tree, True)


def test_nothing_is_translated_at_import_time() -> None:
    """A module-level ``_()`` would run before the language is chosen and stay English:
    tables mark their strings with ``N_`` and translate them where they are shown."""
    found = []
    for path in sorted(UI.glob("*.py")):
        for call in _calls_at_import_time(ast.parse(path.read_text())):
            found.append(f"{path.name}:{call.lineno}")
    assert found == []


_TEXT_SETTERS = {
    # name: positions of the arguments that are text shown to the user
    "setText": (0,),
    "setToolTip": (0,),
    "setWindowTitle": (0,),
    "setPlaceholderText": (0,),
    "setStatusTip": (0,),
    "showMessage": (0,),
    "setAccessibleName": (0,),
    "setTitle": (0,),
    "setSubTitle": (0,),
    "addMenu": (0,),
    "addTab": (1,),
    "setHorizontalHeaderLabels": (0,),
    "addItem": (0,),
    "addRow": (0,),
    "addButton": (0,),
    "refuse": (0,),
    "say": (0,),
    "show_banner": (0,),
    "information": (1, 2),
    "warning": (1, 2),
    "critical": (1, 2),
    "question": (1, 2),
    "getOpenFileName": (1, 3),
    "getSaveFileName": (1, 3),
    "getText": (1, 2),
    "QLabel": (0,),
    "QPushButton": (0,),
    "QCheckBox": (0,),
    "QRadioButton": (0,),
    "QGroupBox": (0,),
    "QAction": (0,),
    "QMenu": (0,),
    "QListWidgetItem": (0,),
    "QTableWidgetItem": (0,),
    "EmptyState": (0, 1),
    # the forms' own helpers that take a label, a tooltip or a placeholder
    "_decimal_edit": (0, 1),
    "_label": (0,),
    "_line": (1,),
    "decimal": (1,),
    "text": (1,),
    "integer": (1,),
    "choice": (1,),
    "date": (1,),
}
_NOT_WORDS = {"Quote Builder", "TCV", "SHA-256", "Python", "Qt", "PDF"}


def _english(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    else:
        return None
    words = re.sub(r"<[^>]*>", "", text)  # the letters of markup are not words
    if words.strip() in _NOT_WORDS or not re.search(r"[A-Za-z]{2,}|e\.g\.", words):
        return None
    return text


def test_no_english_text_is_handed_to_a_widget_untranslated() -> None:
    """Every literal text passed to a label, button, tooltip, title, message box ... goes
    through ``_()`` (a literal or an f-string there would show English in every language)."""
    found = []
    for path in sorted(UI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else func.id
                if isinstance(func, ast.Name)
                else ""
            )
            root = func
            while isinstance(root, ast.Attribute):
                root = root.value
            if name not in _TEXT_SETTERS or (isinstance(root, ast.Name) and root.id == "log"):
                continue
            for position in _TEXT_SETTERS[name]:
                if position >= len(node.args):
                    continue
                argument = node.args[position]
                candidates = (
                    list(argument.elts)
                    if isinstance(argument, ast.List | ast.Tuple)
                    else [argument]
                )
                for candidate in candidates:
                    options = (
                        [candidate.body, candidate.orelse]
                        if isinstance(candidate, ast.IfExp)
                        else [candidate]
                    )
                    for option in options:
                        text = _english(option)
                        if text is not None:
                            found.append(f"{path.name}:{option.lineno}: {name}({text[:60]!r})")
    assert found == []


def test_the_label_tables_agree_with_the_words_of_the_services() -> None:
    """The UI's tables hold the English the services and the pricing models use, marked for
    translation: a label changed on one side only would fall back to English."""
    from quote_builder.approvals.bundle import ROLE_TITLES
    from quote_builder.pricing import COMPONENT_KINDS
    from quote_builder.pricing.playbook import CATEGORY_PROFILES, MODEL_PROFILES
    from quote_builder.services import contracts, lifecycle, settings, words
    from quote_builder.ui import component_words, customers_view, settings_view
    from quote_builder.ui.component_editor import _HELP, english_field_help, english_kind_help

    assert {key: words.label(key) for key in labels.LABELS} == labels.LABELS
    assert {m.value: p.title for m, p in MODEL_PROFILES.items()} == labels.MODEL_TITLES
    assert {m.value: p.structure for m, p in MODEL_PROFILES.items()} == labels.MODEL_STRUCTURES
    notes = {p.margin_note for p in MODEL_PROFILES.values()} | {
        p.nrr_note for p in MODEL_PROFILES.values()
    }
    assert notes - {""} == set(labels.MODEL_NOTES)
    assert {p.unit for p in CATEGORY_PROFILES.values()} == set(labels.UNITS)
    assert {c.value for c in CATEGORY_PROFILES} <= set(labels.LABELS)
    assert ROLE_TITLES == labels.ROLE_TITLES
    assert lifecycle.LOST_REASONS == labels.LOST_REASONS
    assert contracts.KIND_WORDS == customers_view.CONTRACT_KINDS
    assert settings.LEGAL_FIELD_TITLES == settings_view.LEGAL_TITLES
    assert set(COMPONENT_KINDS) <= set(labels.LABELS)

    # Every label and help text a component form can show is in the catalog.
    known_help = set(_HELP.values()) | set(component_words.DOCSTRINGS)
    seen: set[type] = set()

    def walk(model: type) -> None:
        from typing import get_args

        from pydantic import BaseModel

        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():  # type: ignore[attr-defined]
            if name == "kind":
                continue
            assert component_words.FIELD_LABELS.get(name) == words.field_label(name), name
            text = english_field_help(model, name)  # type: ignore[arg-type]
            assert not text or text in known_help, f"{model.__name__}.{name}: {text[:60]!r}"
            for arg in (info.annotation, *get_args(info.annotation)):
                for inner in (arg, *get_args(arg)):
                    if isinstance(inner, type) and issubclass(inner, BaseModel):
                        walk(inner)

    for cls in COMPONENT_KINDS.values():
        assert english_kind_help(cls) in known_help, cls.__name__
        walk(cls)


def test_every_reason_of_the_advisor_has_its_translation() -> None:
    """The guided flow shows the advisor's reasons through ``advisor_words``: each fixed
    sentence is in its table, and the two it builds are built again from their parts."""
    from quote_builder.pricing import advisor
    from quote_builder.pricing.playbook import CATEGORY_PROFILES, MODEL_PROFILES, ProductCategory
    from quote_builder.ui import advisor_words

    rules = {reason for rules in advisor._RULES.values() for _m, _s, reason in rules}
    assert rules <= set(advisor_words.REASONS)
    assert {m.value: f"Works when {p.works_when}" for m, p in MODEL_PROFILES.items()} == (
        advisor_words.WORKS_WHEN
    )
    assert {c.value: p.recommended_text for c, p in CATEGORY_PROFILES.items()} == (
        advisor_words.RECOMMENDED
    )
    i18n.use_language("de")
    try:
        for category in ProductCategory:
            for ranked in advisor.recommend(category, advisor.AdvisorAnswers()):
                for line in ranked.rationale:
                    shown = advisor_words.reason(line, ranked.model.value, category.value)
                    assert shown != line, f"not translated: {line!r}"
    finally:
        i18n.use_language("en")


# --- the language chosen -------------------------------------------------------------------


@pytest.fixture
def clean_language_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "de_DE.UTF-8"}, "de"),  # a German system
        ({"LANG": "fr_CA.UTF-8"}, "fr"),  # French of another region
        ({"LANG": "es_ES.UTF-8"}, "en"),  # a language the app does not speak: English
        ({"LANG": "C"}, "en"),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "de_DE.UTF-8"}, "fr"),  # LC_ALL wins over LANG
        ({"LC_MESSAGES": "de_AT.UTF-8", "LANG": "en_US.UTF-8"}, "de"),
        ({"LANGUAGE": "es:de", "LANG": "es_ES.UTF-8"}, "de"),  # the first one spoken
        ({"LANGUAGE": "es:it", "LANG": "fr_FR.UTF-8"}, "fr"),  # none spoken: LANG
    ],
)
def test_the_system_language_is_followed(
    clean_language_environment: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for variable, value in environment.items():
        clean_language_environment.setenv(variable, value)
    assert i18n.system_language() == expected


@pytest.mark.parametrize(
    ("language", "choice", "system_locale", "numbers"),
    [
        ("de", i18n.SYSTEM, "de_DE", "de_DE"),  # a German user types 1.234,56
        ("de", i18n.SYSTEM, "de_CH", "de_CH"),  # the region's own way
        ("en", i18n.SYSTEM, "es_ES", "es_ES"),  # English only because Spanish is not spoken
        ("de", "de", "en_US", "de_DE"),  # German chosen on an English system
        ("en", "en", "fr_FR", "en_US"),  # English chosen on a French system
        ("fr", "fr", "fr_BE", "fr_BE"),  # the system's French stays the system's
    ],
)
def test_the_number_locale_goes_with_the_language(
    language: str, choice: str, system_locale: str, numbers: str
) -> None:
    assert i18n.number_locale(language, choice, system_locale) == numbers


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    """The app as it starts in German (our catalog, Qt's own, numbers and dates as in
    Germany); English again afterwards."""
    i18n.install(qapp, "de")
    locale_numbers.set_ui_locale("de_DE")
    QLocale.setDefault(QLocale("de_DE"))
    yield
    i18n.install(qapp, "en")
    locale_numbers.set_ui_locale("en_US")
    QLocale.setDefault(QLocale("en_US"))


def test_the_main_window_speaks_german(
    qtbot: QtBot, workspace: LocalWorkspace, german: None
) -> None:
    from quote_builder.ui.main_window import MainWindow

    window = MainWindow(workspace)
    qtbot.addWidget(window)
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&Datei", "&Bearbeiten", "&Ansicht", "&Hilfe"]
    assert window.new_quote_action.text() == "&Neues Angebot…"
    titles = [window._nav.item(row).text() for row in range(window._nav.count())]
    assert titles == ["Angebote", "Kunden", "Katalog", "Freigaben", "Einstellungen"]

    # A validation sentence of the Settings page, and the number as a German writes it.
    settings = window.show_page("settings")
    settings.margin_floor.setText("45.50")  # type: ignore[attr-defined]
    settings._validate()  # type: ignore[attr-defined]
    assert (
        "45.50 ist keine Zahl in der Schreibweise Deutsch (Deutschland); schreiben Sie 45,50"
        in settings.error_label.text()  # type: ignore[attr-defined]
    )
    assert settings.error_label.text().startswith("Vor dem Speichern beheben:")  # type: ignore[attr-defined]

    # Qt's own buttons come from the qtbase translation shipped with PySide6.
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Yes
        | QDialogButtonBox.StandardButton.No
        | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    assert {button.text() for button in box.buttons()} == {"&Ja", "&Nein", "Abbrechen"}


def test_numbers_and_dates_in_german(german: None) -> None:
    """A German user types 1.234,56 and reads 1.234,56 €; refusals are German sentences."""
    assert locale_numbers.parse("1.234,56", what="Stückpreis") == Decimal("1234.56")
    assert locale_format.money(Decimal("1234.56"), "EUR") == "1.234,56\xa0€"
    assert locale_format.day(dt.date(2026, 12, 31)) == "31.12.2026"
    assert locale_format.date_input_format() == "dd.MM.yyyy"
    with pytest.raises(NumberEntryError) as refused:
        locale_numbers.parse("4,000", what="Ergebnisse pro Monat")
    assert str(refused.value) == (
        "Ergebnisse pro Monat: 4,000 kann 4 oder 4.000 bedeuten; schreiben Sie 4 oder 4.000"
    )
    assert locale_numbers.reason("45.50") == (
        "45.50 ist keine Zahl in der Schreibweise Deutsch (Deutschland); schreiben Sie 45,50"
    )


def test_numbers_and_dates_in_french(qapp: QApplication) -> None:
    i18n.use_language("fr")
    locale_numbers.set_ui_locale("fr_FR")
    try:
        assert locale_numbers.parse("1 234,56", what="Prix unitaire") == Decimal("1234.56")
        assert locale_format.day(dt.date(2026, 12, 31)) == "31 déc. 2026"
        assert locale_format.date_input_format() == "dd/MM/yyyy"
        assert locale_numbers.reason("45.50") == (
            "45.50 n'est pas un nombre tel qu'on l'écrit en français (France)\u202f; écrivez 45,50"
        )
    finally:
        i18n.use_language("en")
        locale_numbers.set_ui_locale("en_US")


def test_the_language_setting_goes_round(qtbot: QtBot, qapp: QApplication) -> None:
    """Settings → Language keeps the choice for the next start and says so, in the
    interface's language and in the one chosen; the next start reads it."""
    from quote_builder.ui.language_box import LanguageBox

    assert i18n.chosen_language() == i18n.SYSTEM  # nothing chosen yet: the system's
    box = LanguageBox()
    qtbot.addWidget(box)
    assert box.combo.currentData() == i18n.SYSTEM
    assert [box.combo.itemText(i) for i in range(1, box.combo.count())] == [
        "English",
        "Deutsch",
        "Français",
    ]
    box.combo.setCurrentIndex(box.combo.findData("de"))
    assert QSettings().value(i18n.SETTINGS_KEY) == "de"
    assert box.note.text() == (
        "Quote Builder speaks German from its next start.\n"
        "Quote Builder spricht ab dem nächsten Start Deutsch."
    )
    try:
        assert i18n.install(qapp) == "de"  # the next start
        assert i18n._("&File") == "&Datei"
        again = LanguageBox()
        qtbot.addWidget(again)
        assert again.combo.currentData() == "de"
        assert again.note.isHidden()  # it speaks German already
        again.combo.setCurrentIndex(again.combo.findData("en"))
        assert again.note.text() == (
            "Quote Builder spricht ab dem nächsten Start Englisch.\n"
            "Quote Builder speaks English from its next start."
        )
    finally:
        i18n.install(qapp, "en")
        locale_numbers.set_ui_locale("en_US")
    again.combo.setCurrentIndex(again.combo.findData(i18n.SYSTEM))
    assert i18n.chosen_language() == i18n.SYSTEM


def test_a_language_that_cannot_be_kept_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    """A read-only home (or a full disk) under the settings file: choosing Deutsch said
    "Quote Builder speaks German from its next start", and the next start spoke English."""
    from quote_builder.ui.language_box import LanguageBox

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the settings folder should be")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(blocker))
    box = LanguageBox()
    qtbot.addWidget(box)
    box.combo.setCurrentIndex(box.combo.findData("de"))
    assert box.note.text().startswith("The language could not be kept: ")
    assert str(blocker) in box.note.text()
    assert "next start" not in box.note.text()


def test_choosing_the_language_loads_no_number_code_before_the_window() -> None:
    """``i18n.install`` runs before the window shows; babel (the number parser) is loaded with
    the first page, so the window is not slower to appear in German than in English."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from quote_builder.ui import i18n\n"
        "print(i18n.install(app, 'de'), i18n.number_locale_in_use(), 'babel' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=True,
    )
    assert out.stdout.split() == ["de", "de_DE", "False"]


def test_the_tests_run_in_english() -> None:
    """tests/ui/conftest.py pins the English interface (and en_US numbers) for every test,
    whatever LANG says on the machine running them."""
    assert i18n.language() == "en"
    assert i18n._("&File") == "&File"
    assert locale_format.user_locale() == "en_US"
