"""The customer documents in the prospect's language: gettext catalogs, one per language.

The sentences of the proposal and the order form are English msgids in the templates
(``{% trans %}`` blocks, ``jinja2.ext.i18n`` with newstyle gettext) and in this package's
Python (``f._(...)``, ``f._n(...)`` on the document's :class:`~.formatting.Formatter`;
``N_`` marks a message kept in a table and translated where it is used). Their
translations are the ``documents`` domain under ``quote_builder/locale/<lang>/LC_MESSAGES``
(``documents.po``, compiled to the ``documents.mo`` beside it, both committed and shipped);
``scripts/translations`` extracts, updates, compiles and checks them (docs/translations.md).

Rules every message follows (tests/test_catalogs.py checks the catalogs):

- a whole sentence (or a whole label) is one message, with named placeholders
  (``%(start)s``), never assembled from translated fragments, so a translator can order
  the words as the language needs;
- a literal percent sign is written ``%%`` (newstyle gettext formats every message);
- a count that changes the words goes through ``_n`` / ``{% trans count=... %}`` with the
  catalog's plural forms (Japanese has one);
- numbers and dates inside a message are formatted before, by the document's one babel
  formatter in a locale of the same language.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from quote_builder.errors import UserFacingError
from quote_builder.pricing.languages import DEFAULT_LANGUAGE, LANGUAGES
from quote_builder.typography import PunctuatedTranslations

DOMAIN = "documents"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
"""``quote_builder/locale``: the catalogs of every domain (``documents`` here, ``ui`` for
the app's own words), shipped in the wheel and the standalone build."""


class CatalogMissingError(UserFacingError, RuntimeError):
    """A language's compiled catalog is not in this installation."""


def N_(message: str) -> str:
    """Marks ``message`` for extraction without translating it (a table of messages that
    is translated where it is used)."""
    return message


def catalog_path(language: str, domain: str = DOMAIN) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.mo"


@lru_cache(maxsize=16)
def translations(language: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The compiled catalog of ``language`` (English: the msgids themselves)."""
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    if language not in LANGUAGES:
        raise CatalogMissingError(f"no documents are written in {language!r}")
    path = catalog_path(language, domain)
    try:
        with path.open("rb") as handle:
            return PunctuatedTranslations(handle, language)
    except OSError:
        raise CatalogMissingError(
            f"the {LANGUAGES[language]} translations of the documents are missing from this "
            f"installation ({path.name} for {language}); reinstall Quote Builder"
        ) from None


SPACELESS_LANGUAGES = frozenset({"ja"})
"""Languages whose sentences follow each other without a space (。 ends a Japanese sentence
and the next begins at once); the templates and the view join sentences with a space."""

_SENTENCE_GAP = re.compile(
    r"(?<=[。！？」』）])((?:</\w+>)*)[ \t]+(?=[^\s<]|<span class=\"nowrap\">)"
)


def close_sentence_gaps(language: str, html: str) -> str:
    """``html`` with the spaces between sentences taken out for a language written without
    them (a space after "。" reads as a gap in Japanese); any other language as it is."""
    if language not in SPACELESS_LANGUAGES:
        return html
    return _SENTENCE_GAP.sub(r"\1", html)


class Text(str):
    """A string that carries its own HTML: the text itself wherever a string is used (a
    test, a length, the PDF's metadata, a join), and the HTML Jinja's autoescaping prints
    (``__html__``). The documents' dates and amounts are Text whose HTML keeps them on one
    line (``<span class="nowrap">``, print.css); a sentence holding one is Text too
    (``Translator.gettext``), so "1 December 2026" never breaks after "December" and
    "12 500,00 €" never leaves its sign on the next line, while the text a reader extracts
    from the PDF is the same as before. What is built from a Text with ``+``, ``join`` or
    an f-string is a plain string again: correct text that may wrap."""

    html: str

    def __new__(cls, text: str, html: str) -> Text:
        made = super().__new__(cls, text)
        made.html = html
        return made

    def __html__(self) -> str:
        return self.html

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (str(self), self.html))


def unbreakable(text: str) -> Text:
    """``text`` kept on one line when printed in a document."""
    return Text(text, f'<span class="nowrap">{escape(text)}</span>')


def filled(template: str, params: dict[str, Any]) -> str:
    """``template`` (a translated message) with its placeholders filled: a plain string, or
    a :class:`Text` whose HTML keeps each unbreakable value whole."""
    text = template % params
    if not any(isinstance(value, Text) for value in params.values()):
        return text
    return Text(text, str(Markup(escape(template)) % params))


def joined(separator: str, parts: Iterable[str]) -> str:
    """``separator.join(parts)`` that keeps the unbreakable values of Text parts whole
    (sentences joined into a paragraph, tiers into a price list)."""
    items = list(parts)
    text = separator.join(items)
    if not any(isinstance(item, Text) for item in items):
        return text
    return Text(text, str(Markup(escape(separator)).join(items)))


def without_final_stop(text: str) -> str:
    """``text`` without the full stop ("." or "。") that ends its last sentence: sentences
    set in parentheses inside another sentence, which ends them ("(... the period)." rather
    than "(... the period.).")."""
    for stop in (".", "。"):
        if not text.endswith(stop) or text.endswith(stop * 2):
            continue
        if isinstance(text, Text):
            head, found, tail = text.html.rpartition(stop)
            return Text(text[: -len(stop)], head + tail) if found else str(text)[: -len(stop)]
        return text[: -len(stop)]
    return text


_DOUBLE_STOP = re.compile(r"(?<=[^.\s>])\.\.(?=[\s<])")


def close_double_stops(html: str) -> str:
    """``html`` with the full stop of a sentence dropped where the sentence ends in a name
    that ends in one ("the terms for Empire Foods Inc." rather than "Inc.."); an ellipsis
    stays. The name itself is printed as written."""
    return _DOUBLE_STOP.sub(".", html)


class Translator:
    """One language's messages, formatted with named placeholders."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self.catalog = translations(language)

    def gettext(self, message: str, /, **params: Any) -> str:
        return filled(self.catalog.gettext(message), params)

    def ngettext(self, singular: str, plural: str, count: int, /, **params: Any) -> str:
        return filled(self.catalog.ngettext(singular, plural, count), params)


__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "CatalogMissingError",
    "N_",
    "Text",
    "Translator",
    "joined",
    "translations",
    "without_final_stop",
    "unbreakable",
]
