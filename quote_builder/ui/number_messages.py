"""The number parser's refusals in the interface's language.

``quote_builder.numbers`` (outside the UI, shared with the command line) writes its
sentences in English and hands along what they are made of (``NumberEntryError``'s
``reason``, ``what``, ``text``, ``suggestion`` ...); here the same sentences are written
again from those parts with our catalog, whole sentences with named placeholders, and the
locale is named in the interface's language ("Deutsch (Deutschland)"). Any other error
keeps its own (English) sentence.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from babel.core import UnknownLocaleError

from quote_builder.numbers import MAX_LENGTH, NumberEntryError

from .i18n import _, language


@lru_cache(maxsize=32)
def locale_name(locale: str, in_language: str) -> str:
    """``de_DE`` named in ``in_language``: "German (Germany)", "Deutsch (Deutschland)",
    "allemand (Allemagne)"."""
    try:
        return str(Locale.parse(locale).get_display_name(in_language) or locale)
    except (UnknownLocaleError, ValueError):
        return locale


def sentence(error: NumberEntryError, *, with_field: bool = True) -> str:
    """The refusal in the interface's language; without the field's name (``with_field``
    False) for a form that shows the reason beside the field. Falls back on the English
    sentence for an error that carries no reason."""
    what = error.what if with_field else ""
    where = locale_name(error.locale, language()) if error.locale else ""
    text = error.text
    if error.reason == "empty":
        return _("{field}: write a number").format(field=what) if what else _("Write a number.")
    if error.reason == "too_long":
        if what:
            return _("{field}: a number of at most {count} characters").format(
                field=what, count=MAX_LENGTH
            )
        return _("A number of at most {count} characters.").format(count=MAX_LENGTH)
    if error.reason == "ambiguous" and error.readings is not None:
        small, large = error.readings
        if what:
            return _(
                "{field}: {text} could mean {small} or {large}; write {small} or {large}"
            ).format(field=what, text=text, small=small, large=large)
        return _("{text} could mean {small} or {large}; write {small} or {large}").format(
            text=text, small=small, large=large
        )
    if error.reason == "not_a_number":
        if error.suggestion is not None:
            if what:
                return _(
                    "{field}: {text} is not a number as written in {locale}; write {suggestion}"
                ).format(field=what, text=text, locale=where, suggestion=error.suggestion)
            return _("{text} is not a number as written in {locale}; write {suggestion}").format(
                text=text, locale=where, suggestion=error.suggestion
            )
        if what:
            return _(
                "{field}: {text} is not a number as written in {locale} (e.g. {example})"
            ).format(field=what, text=text, locale=where, example=error.example)
        return _("{text} is not a number as written in {locale} (e.g. {example})").format(
            text=text, locale=where, example=error.example
        )
    message = str(error)
    return message.removeprefix(": ") if not with_field else message


def translated(error: BaseException) -> str:
    """What to show for ``error``: a number refusal in the interface's language, any other
    error's own sentence."""
    if isinstance(error, NumberEntryError) and error.reason:
        return sentence(error)
    return str(error)


__all__ = ["locale_name", "sentence", "translated"]
