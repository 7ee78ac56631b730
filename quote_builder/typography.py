"""The spacing a language puts around its punctuation, for the app's words and the
customer documents alike.

French puts a space before ``:`` ``;`` ``!`` and ``?``, and that space must not break: a
line never starts with the mark. It is a no-break space (U+00A0) before the colon and a
narrow no-break space (U+202F) before ``;`` ``!`` ``?`` (the Imprimerie nationale's rules,
as babel writes French numbers with U+202F). The catalogs are written by people with
plain spaces; :func:`spaced` makes every translated message of both domains right as it
is read (``PunctuatedTranslations``), and :func:`labelled` joins a label and its text
("Total : 12") where the code puts them together. Other languages: as they are.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable

NO_BREAK_SPACE = "\u00a0"
NARROW_NO_BREAK_SPACE = "\u202f"

_BEFORE: dict[str, dict[str, str]] = {
    "fr": {
        ":": NO_BREAK_SPACE,
        ";": NARROW_NO_BREAK_SPACE,
        "!": NARROW_NO_BREAK_SPACE,
        "?": NARROW_NO_BREAK_SPACE,
    },
}
"""The space each language puts before a punctuation mark (none: the mark follows the
word, as in English and German)."""

_SPACE_THEN_MARK = re.compile(r"[ \u00a0\u202f]+([:;!?])")


def spaced(text: str, language: str) -> str:
    """``text`` (a translated message) with the space before ``:`` ``;`` ``!`` ``?`` made
    the no-break space ``language`` takes there ("Total : 12" with U+00A0). Only a space
    that is there is changed: a mark right after a word (a time "13:36", a URL, a file
    filter "*.csv;;") is left as it is."""
    marks = _BEFORE.get(language)
    if not marks or not text:
        return text
    return _SPACE_THEN_MARK.sub(lambda m: marks[m.group(1)] + m.group(1), text)


def colon(language: str) -> str:
    """The colon as ``language`` writes it after a label: ``:`` or `` :`` (no-break)."""
    return _BEFORE.get(language, {}).get(":", "") + ":"


def labelled(label: str, text: str, language: str) -> str:
    """``label`` and its ``text`` joined by the language's colon: "Total: 12", in French
    "Total : 12" (a no-break space before the colon)."""
    return f"{label}{colon(language)} {text}" if text else f"{label}{colon(language)}"


def semicolons(items: Iterable[str], language: str) -> str:
    """``items`` one after the other, separated as ``language`` separates the parts of a
    sentence: "a; b", in French "a ; b" (a narrow no-break space before the ';')."""
    return (_BEFORE.get(language, {}).get(";", "") + "; ").join(items)


class PunctuatedTranslations(gettext.GNUTranslations):
    """A compiled catalog whose every message comes out spaced as its language needs
    (:func:`spaced`); ``language`` is set before the catalog is read."""

    def __init__(self, fp: object, language: str) -> None:
        self.language = language
        super().__init__(fp)  # type: ignore[arg-type]

    def gettext(self, message: str) -> str:
        return spaced(super().gettext(message), self.language)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return spaced(super().ngettext(msgid1, msgid2, n), self.language)

    def pgettext(self, context: str, message: str) -> str:
        return spaced(super().pgettext(context, message), self.language)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return spaced(super().npgettext(context, msgid1, msgid2, n), self.language)
