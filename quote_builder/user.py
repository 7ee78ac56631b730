"""Who is using Quote Builder: recorded as the actor of every change.

A user name is what the user says it is (``--user``, ``$QUOTE_BUILDER_USER`` or the login
name); nothing here proves who typed it. What this module does guarantee is that two
spellings of one name that *look* the same are the same name where names are compared
(separation of duties: the requester never approves their own request):
:func:`person_key` normalises with NFKC, drops invisible and format characters (Unicode
category Cf: zero-width spaces and joiners, bidirectional controls, the soft hyphen; and
the fillers and variation selectors that draw nothing), collapses white space, casefolds,
and maps the Cyrillic and Greek letters that are drawn like Latin ones to those. And
:func:`user_name_problem` refuses a name that carries an invisible character or mixes
Latin with Cyrillic or Greek letters within one word ("Danа" with a Cyrillic "а"), so
such a name is never recorded in the first place.

Only the standard library (and ``errors.Sentence``): every layer may use it.
"""

from __future__ import annotations

import getpass
import os
import unicodedata

from quote_builder.errors import Sentence

_DRAWS_NOTHING = {
    0x034F,  # COMBINING GRAPHEME JOINER
    0x115F,  # HANGUL CHOSEONG FILLER
    0x1160,  # HANGUL JUNGSEONG FILLER
    0x17B4,  # KHMER VOWEL INHERENT AQ
    0x17B5,  # KHMER VOWEL INHERENT AA
    0x2800,  # BRAILLE PATTERN BLANK
    0x3164,  # HANGUL FILLER
    0xFFA0,  # HALFWIDTH HANGUL FILLER
}

# Cyrillic and Greek letters drawn like Latin ones (after casefolding), from Unicode's
# confusables list: enough that a name typed with one of them compares equal.
_LIKE_LATIN = str.maketrans(
    {
        "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "һ": "h", "і": "i", "ј": "j",
        "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s", "т": "t",
        "у": "y", "ѡ": "w", "ԝ": "w", "х": "x", "ү": "y", "ӏ": "l", "ё": "e", "ї": "i",
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ζ": "z", "μ": "u",
    }
)  # fmt: skip

_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def is_invisible(char: str) -> bool:
    """A character that draws nothing and is not white space: a format character
    (category Cf: U+200B ZERO WIDTH SPACE, U+200D, U+2066 and the other bidirectional
    controls, U+00AD SOFT HYPHEN, U+FEFF), a control character, a filler or a variation
    selector."""
    code = ord(char)
    category = unicodedata.category(char)
    return (
        category == "Cf"
        or (category == "Cc" and not char.isspace())
        or code in _DRAWS_NOTHING
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


def person_key(name: str) -> str:
    """How user names are compared (see the module's text): "Dana Whitfield", "DANA
    whitfield ", "Dana\u00a0Whitfield", "Dana Whitfield\u200b" and "Danа Whitfield" (a
    Cyrillic "а") are one person."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(char for char in text if not is_invisible(char))
    text = unicodedata.normalize("NFKC", " ".join(text.split()).casefold())
    return text.translate(_LIKE_LATIN)


def same_person(a: str, b: str) -> bool:
    """Whether two user names name the same person (never for an empty name)."""
    key = person_key(a)
    return bool(key) and key == person_key(b)


def _char_words(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'a character without a name')})"


def _script(char: str) -> str | None:
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    return first if first in _SCRIPTS else None


def user_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a user name (None when it can): empty, an invisible or
    control character, or Latin mixed with Cyrillic or Greek letters within one word."""
    if not name.strip():
        return Sentence("is empty; give your name", "user.name_empty")
    for char in name:
        if is_invisible(char):
            return Sentence(
                f"contains an invisible character, {_char_words(char)}; type the name without it",
                "user.name_invisible",
                char=_char_words(char),
            )
    for word in unicodedata.normalize("NFKC", name).split():
        scripts: dict[str, str] = {}
        for char in word:
            script = _script(char) if char.isalpha() else None
            if script is not None:
                scripts.setdefault(script, char)
        if len(scripts) > 1:
            (first, _), (second, odd) = list(scripts.items())[:2]
            return Sentence(
                f"mixes {first.title()} and {second.title()} letters in {word!r} "
                f"({_char_words(odd)}); type the name in one alphabet",
                "user.name_mixed",
                first=first,
                second=second,
                word=word,
                char=_char_words(odd),
            )
    return None


def current_user() -> str:
    """$QUOTE_BUILDER_USER, else the login name."""
    try:
        return os.environ.get("QUOTE_BUILDER_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def user_source() -> str:
    """Where :func:`current_user` took the name from, in the words a message uses."""
    if os.environ.get("QUOTE_BUILDER_USER"):
        return "the setting QUOTE_BUILDER_USER"
    return "your login name"
