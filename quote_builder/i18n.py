"""Translatable sentences: ``_("... %(name)s ...") % {"name": value}``.

The customer documents are being translated with gettext catalogs (Babel extraction,
``jinja2.ext.i18n`` in newstyle mode for the templates). Until a catalog is installed,
``_`` gives the English sentence back unchanged (null translations). Every sentence is
written whole, with named placeholders, so a translator can move the parts around: never
assemble a sentence from fragments.

``install(translations)`` swaps in a real ``gettext.GNUTranslations`` (or anything with
``gettext`` and ``ngettext``) for the whole process.

Like ``errors`` and ``numbers`` this module imports nothing else from the project, so every
layer may use it.
"""

from __future__ import annotations

import gettext as _gettext
from typing import Protocol


class _Translations(Protocol):
    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


_active: _Translations = _gettext.NullTranslations()


def install(translations: _Translations | None) -> None:
    """Use ``translations`` from now on (None: back to the English sentences)."""
    global _active
    _active = translations if translations is not None else _gettext.NullTranslations()


def translations() -> _Translations:
    """The translations in use (the Jinja environment installs the same ones)."""
    return _active


def gettext(message: str) -> str:
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active.ngettext(singular, plural, n)


_ = gettext

__all__ = ["_", "gettext", "install", "ngettext", "translations"]
