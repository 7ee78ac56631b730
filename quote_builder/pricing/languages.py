"""The languages customer documents are written in, and the default language of a country.

A proposal and its order form are written in one of :data:`LANGUAGES` (the catalogs under
``quote_builder/locale``, domain ``documents``). A quote's language is, in order: the
quote's own ``language``, the customer's, the default of the customer's country
(:func:`language_of_country`), English. Pure data: the quote format validates its
``language`` field against it, the services resolve the language with it, the documents
translate with it.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from pydantic import BeforeValidator

DEFAULT_LANGUAGE: Final = "en"

LANGUAGES: Final[dict[str, str]] = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "ja": "Japanese",
}
"""The document languages by ISO 639-1 code, with their English names (for messages)."""

NATIVE_NAMES: Final[dict[str, str]] = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "ja": "日本語",
}
"""Each language in its own words (the language pickers show both)."""

DEFAULT_LOCALES: Final[dict[str, str]] = {
    "en": "en_US",
    "de": "de_DE",
    "fr": "fr_FR",
    "es": "es_ES",
    "ja": "ja_JP",
}
"""The locale a document's dates and numbers follow when none is given: the sentence
language and the locale always agree (no "1. Januar" in an English sentence)."""

_GERMAN = ("DE", "AT", "CH", "LI")
_FRENCH = (
    "FR", "MC", "BE", "LU", "SN", "CI", "ML", "BF", "NE", "TG", "BJ", "GN", "CM", "GA",
    "CG", "CD", "CF", "TD", "MG", "HT", "BI", "DJ", "KM", "RE", "GP", "MQ", "GF", "YT",
    "PF", "NC", "PM", "BL", "MF", "WF",
)  # fmt: skip
_SPANISH = (
    "ES", "MX", "AR", "BO", "CL", "CO", "CR", "CU", "DO", "EC", "GQ", "GT", "HN", "NI",
    "PA", "PE", "PR", "PY", "SV", "UY", "VE", "EA", "IC",
)  # fmt: skip
COUNTRY_LANGUAGES: Final[dict[str, str]] = {
    **dict.fromkeys(_GERMAN, "de"),
    **dict.fromkeys(_FRENCH, "fr"),
    **dict.fromkeys(_SPANISH, "es"),
    "JP": "ja",
}
"""ISO 3166-1 alpha-2 country code -> the document language a customer there gets by
default. Only countries whose official (or, for Belgium and Switzerland, a main business)
language is one of ours; every other country defaults to English. Switzerland and
Belgium have several languages: the default is German and French, and a customer there
sets its own language when it is another."""


class UnsupportedLanguageError(ValueError):
    """A language code that is not one of :data:`LANGUAGES`."""


def supported_list() -> str:
    """``en (English), de (German), ...`` for messages."""
    return ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())


def check_language(value: str, field: str = "language") -> str:
    """``value`` as a supported language code (case and surrounding spaces forgiven), or a
    sentence naming ``field`` and the supported languages."""
    code = value.strip().lower().replace("-", "_").split("_")[0] if value else ""
    if code in LANGUAGES:
        return code
    raise UnsupportedLanguageError(
        f"{field}: {value!r} is not a language Quote Builder writes documents in; use one of "
        f"{supported_list()}"
    )


def language_of_country(code: str | None) -> str:
    """The default document language of a country (ISO 3166-1 alpha-2); English for any
    other country and when the country is not known."""
    return COUNTRY_LANGUAGES.get((code or "").upper(), DEFAULT_LANGUAGE)


def _language_field(value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    try:
        return check_language(value)
    except UnsupportedLanguageError:
        raise ValueError(
            f"{value!r} is not a language Quote Builder writes documents in; use one of "
            f"{supported_list()}"
        ) from None


LanguageCode = Annotated[str, BeforeValidator(_language_field)]
"""A field holding a document language: normalised to its code (``"DE"``, ``"de_DE"`` ->
``"de"``), anything else refused with the supported languages."""


__all__ = [
    "COUNTRY_LANGUAGES",
    "DEFAULT_LANGUAGE",
    "DEFAULT_LOCALES",
    "LANGUAGES",
    "NATIVE_NAMES",
    "LanguageCode",
    "UnsupportedLanguageError",
    "check_language",
    "language_of_country",
    "supported_list",
]
