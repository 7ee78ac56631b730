"""The desktop app in the user's language: gettext (domain ``ui``) for our own words, Qt's
own translations for its standard buttons and dialogs, and the number locale that goes
with the language.

:func:`install` runs once at the start (``app.py``), after the QApplication exists and
before any widget is built: it chooses the language (the Settings override, else the
system's, else English), loads ``quote_builder/locale/<lang>/LC_MESSAGES/ui.mo``, Qt's
``qtbase_<lang>.qm`` from the PySide6 wheel, and sets the locale numbers and dates are read
and shown in (``locale_numbers``, ``QLocale.setDefault``). A language chosen in Settings is
applied on the next start (``set_chosen_language``).

Every user-visible string of ``quote_builder/ui`` goes through :func:`_` or
:func:`ngettext` when the widget is built or the message is shown, never at import time:
a table of words defined at module level marks its strings with :func:`N_` (extraction
only) and translates them where they are shown (``_(PAGE_TIPS[key])``).
``tests/ui/test_translations.py`` checks that no ``_()`` runs at import time, that every
marked string is in ``ui.po`` and translated, and that placeholders agree.
docs/translations.md says how to add a string and run extraction, update and compilation.
"""

from __future__ import annotations

import gettext
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from quote_builder.typography import PunctuatedTranslations, labelled, semicolons

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QTranslator

log = logging.getLogger(__name__)

DOMAIN = "ui"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
"""``quote_builder/locale``: ``<lang>/LC_MESSAGES/ui.po`` and the compiled ``ui.mo``."""

SOURCE_LANGUAGE = "en"
LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch", "fr": "Français"}
"""The languages the app speaks, each named in itself (the Settings combo)."""
SYSTEM = "system"
"""The Settings value meaning: follow the system's language."""
SETTINGS_KEY = "ui/language"

NUMBER_LOCALES = {"en": "en_US", "de": "de_DE", "fr": "fr_FR"}
"""The locale numbers are written in when the user chose a language that is not the
system's (a German interface on an English system reads 1.234,56)."""

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE
_number_locale: str | None = None
_qt_translators: list[QTranslator] = []


def _(message: str) -> str:
    """``message`` in the interface's language (as it is when no catalog is installed).
    An empty message stays empty (gettext would return the catalog's header for it)."""
    return _translations.gettext(message) if message else message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a sentence for ``count`` in the interface's language (German and French
    have their own plural rules; French counts 0 and 1 as singular)."""
    return _translations.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` in a context, for a short word translated differently in two places."""
    return _translations.pgettext(context, message)


def label_and(label: str, text: str) -> str:
    """``label`` and its ``text`` as one line of the interface: "Price: must not be
    negative", in French "Prix : ..." with the no-break space before the colon
    (``typography.labelled``); never glue a label and a colon by hand."""
    return labelled(label, text, _language)


def joined(items: Iterable[str]) -> str:
    """The parts of one sentence of the interface separated by semicolons: "a; b", in
    French "a ; b" (``typography.semicolons``); never ``"; ".join`` by hand."""
    return semicolons(items, _language)


def N_(message: str) -> str:  # noqa: N802 (gettext's name)
    """Marks ``message`` for extraction only; it is translated where it is shown."""
    return message


def language() -> str:
    """The interface's language code: ``en``, ``de`` or ``fr``."""
    return _language


def _code(name: str) -> str | None:
    """``de`` from ``de_DE.UTF-8``, ``de-AT`` or ``de``; None for C, POSIX or nothing."""
    cleaned = name.strip().split(".")[0].split("@")[0].replace("-", "_")
    if not cleaned or cleaned in ("C", "POSIX"):
        return None
    return cleaned.split("_")[0].lower()


def system_language() -> str:
    """The language the system asks for, if the app speaks it, else English.

    As gettext looks: ``LANGUAGE`` (a list in order of preference, ``es:de``), then
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG``; where none is set (Windows, macOS) the system's
    interface languages as Qt reads them."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if not value:
            continue
        codes = [_code(part) for part in value.split(":")]
        if variable == "LANGUAGE":
            for code in codes:
                if code in LANGUAGES:
                    return code
            continue  # LANGUAGE names none we speak: LC_ALL, LANG may
        code = codes[0]
        return code if code in LANGUAGES else SOURCE_LANGUAGE
    from PySide6.QtCore import QLocale

    for name in QLocale.system().uiLanguages():
        code = _code(name)
        if code in LANGUAGES:
            return code
    return SOURCE_LANGUAGE


def chosen_language() -> str:
    """What Settings say: ``system`` (the default) or a language code."""
    from PySide6.QtCore import QSettings

    value = QSettings().value(SETTINGS_KEY, SYSTEM)
    return value if isinstance(value, str) and value in (SYSTEM, *LANGUAGES) else SYSTEM


def set_chosen_language(choice: str) -> str | None:
    """Keep ``choice`` (``system`` or a language code) for the next start. Returns None,
    or the settings file that could not be written (a read-only or full disk, no
    permission): then the choice does not apply at the next start."""
    from PySide6.QtCore import QSettings

    if choice not in (SYSTEM, *LANGUAGES):
        raise ValueError(f"not a language the app speaks: {choice}")
    default = QSettings()
    # The user's own file alone: QSettings() also reads the system-wide fallbacks, and its
    # status is AccessError from the start wherever one of those cannot be read.
    settings = QSettings(default.fileName(), default.format())
    settings.setValue(SETTINGS_KEY, choice)
    settings.sync()
    if settings.status() != QSettings.Status.NoError:
        return settings.fileName()
    return None


def resolve(choice: str) -> str:
    """The language to use for a Settings value."""
    return system_language() if choice == SYSTEM else choice


def number_locale(language_code: str, choice: str, system_locale: str) -> str:
    """The locale numbers and dates are read and shown in.

    The system's locale (its region's way: de_AT, fr_CH) when the interface speaks the
    system's language, or when it is English only because the app does not speak the
    system's (an es_ES system reads 1.234,5); when the user chose a language in Settings
    that is not the system's, that language's own (de_DE, fr_FR, en_US), so the sentences
    and the numbers agree."""
    system_locale = _clean_locale(system_locale)
    system_code = system_locale.split("_")[0]
    if choice == SYSTEM or system_code == language_code:
        return system_locale
    return NUMBER_LOCALES[language_code]


def _clean_locale(name: str) -> str:
    """``de_DE`` from ``de_DE.UTF-8`` or ``de-DE``; en_US for C, POSIX or nothing (babel
    checks the name when numbers are first read: it is not loaded before the window shows)."""
    cleaned = name.strip().split(".")[0].split("@")[0].replace("-", "_")
    return "en_US" if cleaned in ("", "C", "POSIX") else cleaned


def number_locale_in_use() -> str | None:
    """The number and date locale :func:`install` chose (None before it ran)."""
    return _number_locale


def catalog(language_code: str) -> gettext.NullTranslations:
    """The compiled catalog of ``language_code`` (English: none, the source strings)."""
    if language_code == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    path = LOCALE_DIR / language_code / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as handle:
            return PunctuatedTranslations(handle, language_code)
    except OSError:
        log.warning(
            "no %s catalog for %s at %s: the interface stays English", DOMAIN, language_code, path
        )
        return gettext.NullTranslations()


def use_language(language_code: str) -> None:
    """Our own words in ``language_code`` from now on (tests switch; the app calls
    :func:`install`)."""
    global _translations, _language
    if language_code not in LANGUAGES:
        raise ValueError(f"not a language the app speaks: {language_code}")
    _translations = catalog(language_code)
    _language = language_code


def _install_qt_translations(app: QCoreApplication, language_code: str) -> None:
    """Qt's own words (a message box's Yes and No, a file dialog, a line edit's menu) from
    the ``qtbase_<lang>.qm`` the PySide6 wheel ships."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    for translator in _qt_translators:
        app.removeTranslator(translator)
    _qt_translators.clear()
    if language_code == SOURCE_LANGUAGE:
        return
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load(f"qtbase_{language_code}", folder):
        app.installTranslator(translator)
        _qt_translators.append(translator)
    else:
        log.warning("Qt's own translation qtbase_%s was not found in %s", language_code, folder)


def install(app: QCoreApplication, choice: str | None = None) -> str:
    """Set the interface's language for this run: ``choice`` (``system`` or a code;
    default: what Settings say), our catalog, Qt's translations, the number and date
    locale. Returns the language code."""
    import sys

    from PySide6.QtCore import QLocale

    global _number_locale
    choice = chosen_language() if choice is None else choice
    code = resolve(choice)
    use_language(code)
    _install_qt_translations(app, code)
    numbers_in = number_locale(code, choice, QLocale.system().name())
    _number_locale = numbers_in
    # locale_numbers (babel) is loaded with the first page, after the window shows; it reads
    # number_locale_in_use() then. When it is loaded already, it switches now.
    loaded = sys.modules.get("quote_builder.ui.locale_numbers")
    if loaded is not None:
        loaded.set_ui_locale(numbers_in)
    QLocale.setDefault(QLocale(numbers_in))
    log.info("interface language %s (Settings: %s), numbers as %s", code, choice, numbers_in)
    return code


def error_text(error: BaseException) -> str:
    """The sentence of a ``UserFacingError`` in the interface's language: the number
    parser's refusals (``quote_builder.numbers``, from this process or the database
    process) are written again here from what they carry, and the services' refusals from
    their ``Sentence`` codes and values (``service_words``); an error without them keeps its
    own (English) sentence (docs/translations.md, "What stays English")."""
    from quote_builder.numbers import NumberEntryError

    from .number_messages import translated
    from .service_words import error_sentence

    if isinstance(error, NumberEntryError):
        return translated(error)
    return error_sentence(error)


def error_message(error: BaseException) -> str:
    """``error_text`` as a message of its own (a dialog's whole text): its first letter
    capitalised ("the disk holding the database is full, …" → "The disk …"), unless it
    starts with a name as the user wrote it (``starts_with_name``). ``error_text`` stays
    as it is for a sentence that goes on after a label ("Not saved: the disk …")."""
    text = error_text(error)
    if getattr(error, "starts_with_name", False):
        return text
    return text[:1].upper() + text[1:]


def problem_texts(error: BaseException) -> list[str]:
    """An ``InvalidInputError``'s problems, one line each, in the interface's language
    (any other error's sentence as one line)."""
    from .service_words import problems

    return problems(error)


__all__ = [
    "LANGUAGES",
    "SYSTEM",
    "N_",
    "_",
    "chosen_language",
    "error_message",
    "error_text",
    "install",
    "joined",
    "label_and",
    "language",
    "ngettext",
    "number_locale",
    "pgettext",
    "problem_texts",
    "set_chosen_language",
    "system_language",
    "use_language",
]
