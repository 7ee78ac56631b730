"""The DRAFT mark of every document language is the drawing of its catalog's word."""

from __future__ import annotations

import re

import pytest

from quote_builder.documents.watermark import draw, watermark_path, word
from quote_builder.paths import templates_dir
from quote_builder.pricing.languages import DEFAULT_LANGUAGE, LANGUAGES

OTHERS = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]


@pytest.mark.parametrize("language", OTHERS)
def test_the_mark_draws_the_translated_word(language: str) -> None:
    assert word(language) != "DRAFT", f"DRAFT is not translated into {language}"
    path = watermark_path(language)
    assert path.is_file(), "run scripts/translations compile"
    assert path.read_text("utf-8") == draw(word(language), language), (
        f"{path.name} is not the drawing of {word(language)!r}: run scripts/translations compile"
    )
    # Outlines only: the word is never text a reader could extract.
    assert "<text" not in path.read_text("utf-8") and word(language) not in path.read_text("utf-8")


@pytest.mark.parametrize("language", OTHERS)
def test_the_stylesheet_picks_the_mark_by_language(language: str) -> None:
    css = (templates_dir() / "print.css").read_text("utf-8")
    assert re.search(
        rf"html:lang\({language}\) \.watermark {{ background-image: "
        rf'url\("\.\./resources/draft-watermark-{language}\.svg"\); }}',
        css,
    )


def test_a_changed_word_would_be_noticed() -> None:
    assert draw("ENTWURF", "de") != draw("ENTWÜRFE", "de")
