"""Where a line of a customer document may break, beyond what the fonts' line-breaking rules
allow: the rendered HTML's text gets ``<span class="nowrap">`` (print.css) around what must
stay on one line, so the text a reader extracts from the PDF is unchanged.

- A legal reference stays whole: "2006/112/EC" broke after its second slash
  ("2006/112/" / "EC"), as Unicode line breaking allows before letters.
- "year 1" stays whole in the languages that write a year's number after the word
  ("l'année" / "1" in a French table header).
- A Japanese label (a table header, a key figure's label) breaks only between its phrases
  ("1年目の価値" / "（推定）", not "1年目の価値（推" / "定）"): Japanese is written without
  spaces and may break between any two characters, and WeasyPrint has no
  ``word-break: keep-all``. Each phrase is kept on one line; the line breaks between them.
"""

from __future__ import annotations

import html as html_module
import re

_TAG = re.compile(r"(<[^>]*>)")

_REFERENCE = re.compile(r"(?<![0-9A-Za-z/])\d{2,4}/\d{1,4}/[A-Z]{2,8}(?![0-9A-Za-z/])")
"""An EU act's number: "2006/112/EC", "2006/112/EG", "2006/112/CE", "95/46/EC"."""

_YEAR_NUMBER = {
    "en": re.compile(r"\b[Yy]ear[ \u00a0]\d{1,2}(?!\d)"),
    "de": re.compile(r"(?<!\w)\w*[Jj]ahr[ \u00a0]\d{1,2}(?!\d)"),  # "Vertragsjahr 2"
    "fr": re.compile(r"\b[Aa]nnée[ \u00a0]\d{1,2}(?!\d)"),
    "es": re.compile(r"\b[Aa]ño[ \u00a0]\d{1,2}(?!\d)"),
}
"""A contract year's number after its word, in the languages that write it so."""


def _kept(match: re.Match[str]) -> str:
    return f'<span class="nowrap">{match.group(0)}</span>'


def keep_whole(language: str, html: str) -> str:
    """``html`` with each legal reference and each "year 1" of ``language`` kept on one
    line; the document's head and its charts (SVG) as they are."""
    start = html.find("<body")
    if start < 0:
        return html
    patterns = [_REFERENCE] + ([_YEAR_NUMBER[language]] if language in _YEAR_NUMBER else [])
    parts = _TAG.split(html[start:])
    in_svg = 0
    for index, part in enumerate(parts):
        if index % 2:
            if part.startswith("<svg"):
                in_svg += 1
            elif part.startswith("</svg"):
                in_svg -= 1
            continue
        if in_svg or not part.strip():
            continue
        for pattern in patterns:
            part = pattern.sub(_kept, part)
        parts[index] = part
    return html[:start] + "".join(parts)


# --- Japanese labels --------------------------------------------------------------------

_OPENING = "（「『【〔［｛〈《"
_CLOSING = "）」』】〕］｝〉》、。，．・：；！？ー々"
_LONGEST_PHRASE = 8
"""A phrase longer than this (in characters) is left to break where it must: kept whole it
could run past a narrow column."""


def _hiragana(char: str) -> bool:
    return "\u3041" <= char <= "\u309f"


def japanese_phrases(text: str) -> list[str]:
    """``text`` (a Japanese label) in its phrases: a break before an opening bracket, after
    a comma, after a space, and after the particles or word endings (hiragana) that follow
    a word ("1年目の" + "価値" + "（推定）"); a leading honorific ("お支払い") stays on
    its word, and nothing starts with closing punctuation."""
    phrases: list[str] = []
    current = ""
    run_follows_word = False  # the hiragana run ending at the previous character
    for char in text:
        previous = current[-1] if current else ""
        boundary = bool(current) and char not in _CLOSING and not char.isspace()
        boundary = boundary and (
            char in _OPENING
            or previous in "、，）」』】〕］｝〉》"
            or previous.isspace()
            or (_hiragana(previous) and not _hiragana(char) and run_follows_word)
        )
        if boundary:
            phrases.append(current)
            current = ""
        if _hiragana(char):
            run_follows_word = (
                run_follows_word
                if _hiragana(previous)
                else bool(previous)
                and not previous.isspace()
                and previous not in _OPENING + _CLOSING
            )
        else:
            run_follows_word = False
        current += char
    if current:
        phrases.append(current)
    return phrases


def _phrased(text: str) -> str:
    """The HTML of a label's escaped ``text`` with each of its phrases on one line."""
    plain = html_module.unescape(text)
    phrases = japanese_phrases(plain)
    if len(phrases) < 2 and len(plain) > _LONGEST_PHRASE:
        return text
    out = []
    for phrase in phrases:
        core = phrase.rstrip()
        space = phrase[len(core) :]
        escaped = html_module.escape(core, quote=False)
        if len(core) <= _LONGEST_PHRASE and core:
            out.append(f'<span class="nowrap">{escaped}</span>')
        else:
            out.append(escaped)
        out.append(space)
    return "".join(out)


_LABEL = re.compile(r'(<th\b[^>]*>|<div class="label">)([^<]+)(</th>|</div>)')


def phrase_labels(language: str, html: str) -> str:
    """``html`` with its Japanese table headers and key-figure labels breaking only between
    phrases; any other language as it is."""
    if language != "ja":
        return html
    return _LABEL.sub(lambda m: m.group(1) + _phrased(m.group(2)) + m.group(3), html)
