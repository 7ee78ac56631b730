"""Countries as customer records keep them (the English name, "Germany"), their ISO 3166-1
codes, and the document language a customer there gets by default.

Below the windows, so the services resolve a quote's language from its customer's country
without Qt (the app's country picker, ``ui/countries.py``, lists :func:`country_names`).
Like ``numbers`` it imports nothing from the project but the pure ``pricing.languages``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from babel import Locale

from quote_builder.pricing.languages import language_of_country

_NOT_COUNTRIES = {"AA", "AC", "CP", "DG", "EA", "EU", "EZ", "IC", "TA", "UN", "ZZ"}
"""Codes in CLDR's territory list that are not countries of ISO 3166-1: unions, regions
and exceptionally reserved codes (Ascension, Canary Islands ...)."""


@cache
def _countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> English name (Kosovo included, as CLDR has it)."""
    territories = Locale("en").territories
    return {
        code: name
        for code, name in territories.items()
        if len(code) == 2
        and code.isalpha()
        and code not in _NOT_COUNTRIES
        and not code.startswith("Q")
        and (not code.startswith("X") or code == "XK")
    }


@cache
def country_names() -> tuple[str, ...]:
    """ISO 3166-1 countries by their English names, sorted."""
    return tuple(sorted(set(_countries().values()), key=str.casefold))


def _folded(name: str) -> str:
    """A country's name as names are compared: letter case, curly apostrophes, "&" for
    "and", "St." for "Saint" and a leading "The" do not count ("Côte d'Ivoire" is "Côte
    d’Ivoire", "Saint Lucia" is "St. Lucia", "The Netherlands" is "Netherlands"). Accents
    do count (the names without them that CRMs write are aliases: "Cote d'Ivoire")."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    text = text.replace("&", " and ")
    text = re.sub(r"\bst\.?(?=\s)", "saint", text)
    text = " ".join(text.split())
    return text.removeprefix("the ")


_CRM_NAMES = (
    # ISO 3166's own short names, as CRM country lists (Salesforce's) and ERPs write them.
    ("korea, republic of", "KR"),
    ("republic of korea", "KR"),
    ("korea, democratic people's republic of", "KP"),
    ("russian federation", "RU"),
    ("viet nam", "VN"),
    ("czech republic", "CZ"),
    ("turkey", "TR"),
    ("iran, islamic republic of", "IR"),
    ("taiwan, province of china", "TW"),
    ("tanzania, united republic of", "TZ"),
    ("bolivia, plurinational state of", "BO"),
    ("venezuela, bolivarian republic of", "VE"),
    ("moldova, republic of", "MD"),
    ("congo, the democratic republic of the", "CD"),
    ("democratic republic of the congo", "CD"),
    ("republic of the congo", "CG"),
    ("lao people's democratic republic", "LA"),
    ("syrian arab republic", "SY"),
    ("macedonia", "MK"),
    ("macedonia, the former yugoslav republic of", "MK"),
    ("holy see", "VA"),
    ("holy see (vatican city state)", "VA"),
    ("micronesia, federated states of", "FM"),
    ("palestine", "PS"),
    ("palestine, state of", "PS"),
    ("brunei darussalam", "BN"),
    ("ivory coast", "CI"),
    ("cote d'ivoire", "CI"),
    ("sao tome and principe", "ST"),
    ("curacao", "CW"),
    ("reunion", "RE"),
    ("aland islands", "AX"),
    ("saint barthelemy", "BL"),
    ("saint vincent and the grenadines", "VC"),
    ("south georgia and the south sandwich islands", "GS"),
    ("cabo verde", "CV"),
    ("swaziland", "SZ"),
    ("virgin islands, british", "VG"),
    ("virgin islands, u.s.", "VI"),
    ("falkland islands (malvinas)", "FK"),
    ("macau", "MO"),
    ("holland", "NL"),
    ("uae", "AE"),
    ("u.s.", "US"),
    ("u.s.a.", "US"),
)


@cache
def _codes_by_name() -> dict[str, str]:
    codes: dict[str, str] = {}
    for code, name in _countries().items():
        codes.setdefault(_folded(name), code)
        # CLDR's "Myanmar (Burma)", "Hong Kong SAR China", "Congo - Kinshasa": each part
        # a CRM may write alone ("Myanmar", "Burma", "Hong Kong").
        for part in re.split(r" \(|\)| SAR China$", name):
            if part.strip() and " - " not in part:
                codes.setdefault(_folded(part), code)
    # Names customers were saved with before the list, and CRM exports' spellings.
    for alias, code in (
        ("usa", "US"),
        ("united states of america", "US"),
        ("uk", "GB"),
        ("great britain", "GB"),
        ("england", "GB"),
        ("deutschland", "DE"),
        ("españa", "ES"),
        ("espana", "ES"),
        ("méxico", "MX"),
        ("österreich", "AT"),
        ("schweiz", "CH"),
        ("suisse", "CH"),
        ("belgique", "BE"),
        ("japan", "JP"),
        ("日本", "JP"),
        *_CRM_NAMES,
    ):
        codes.setdefault(_folded(alias), code)
    return codes


def country_code(name: str) -> str | None:
    """The ISO code of a country as a customer record writes it ("Germany" -> "DE"; an
    ISO code is taken as it is; ISO 3166's and CRM exports' spellings such as "Korea,
    Republic of", "Czech Republic", "Bosnia and Herzegovina" too); None when it is not a
    country we know."""
    text = " ".join(name.split())
    if not text:
        return None
    if len(text) == 2 and text.upper() in _countries():
        return text.upper()
    codes = _codes_by_name()
    return codes.get(text.casefold()) or codes.get(_folded(text))  # the usual case first


def country_name(code: str) -> str | None:
    """The English name of an ISO 3166-1 alpha-2 code ("GB" -> "United Kingdom"); None when
    it is not one."""
    return _countries().get(code.strip().upper()) if len(code.strip()) == 2 else None


def default_language(country: str) -> str:
    """The document language of a customer in ``country`` (a name or an ISO code) who has
    not chosen one: German for Germany, Austria, Switzerland; French for France, Belgium,
    Luxembourg ...; Spanish for Spain and Spanish-speaking America; Japanese for Japan;
    English for every other country and when the country is empty or unknown."""
    return language_of_country(country_code(country))


__all__ = ["country_code", "country_name", "country_names", "default_language"]
