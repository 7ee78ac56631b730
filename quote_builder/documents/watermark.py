"""The DRAFT mark of each document language, drawn as outlines.

The mark across every page of a draft is a drawing of the letters (resources/
draft-watermark.svg), never text: it must not mix into the text a reader or a screen
reader extracts. In another language the word is the catalog's translation of ``DRAFT``
("ENTWURF", "BROUILLON", "BORRADOR", "下書き"), drawn from the shipped fonts (Inter Bold,
the CJK font with its Japanese forms) into ``draft-watermark-LANG.svg``; print.css picks
the file by the document's language.

Run ``python -m quote_builder.documents.watermark`` (``scripts/translations compile``
does) after changing the translation; tests/documents/test_watermarks.py fails while a file
does not match its catalog's word. Needs fontTools (a WeasyPrint dependency); rendering
never runs this, it reads the files.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from quote_builder.paths import resources_dir
from quote_builder.pricing.languages import DEFAULT_LANGUAGE, LANGUAGES

from .i18n import N_, Translator

# Translators: the big word drawn across every page of a draft proposal or order form, in
# capitals where the language has them (a few letters: it is drawn 15 cm wide).
WORD = N_("DRAFT")
FILL = 'fill="rgb(180,40,40)" fill-opacity="0.10"'


def word(language: str) -> str:
    return Translator(language).gettext(WORD)


def watermark_path(language: str) -> Path:
    return resources_dir() / f"draft-watermark-{language}.svg"


def _locl_map(font: Any, script: str, language: str) -> dict[str, str]:
    """The font's ``locl`` single substitutions for a script and language system (the
    Japanese forms of the CJK font's shared ideographs)."""
    if "GSUB" not in font:
        return {}
    table = font["GSUB"].table
    indices: list[int] = []
    for record in table.ScriptList.ScriptRecord:
        if record.ScriptTag != script:
            continue
        for lang in record.Script.LangSysRecord:
            if lang.LangSysTag == language:
                indices = list(lang.LangSys.FeatureIndex)
    mapping: dict[str, str] = {}
    for index in indices:
        feature = table.FeatureList.FeatureRecord[index]
        if feature.FeatureTag != "locl":
            continue
        for lookup_index in feature.Feature.LookupListIndex:
            lookup = table.LookupList.Lookup[lookup_index]
            for sub in lookup.SubTable:
                ext = getattr(sub, "ExtSubTable", sub)
                mapping.update(getattr(ext, "mapping", {}) or {})
    return mapping


def draw(text: str, language: str) -> str:
    """``text`` as one SVG path of glyph outlines (font units, baseline at 0)."""
    from fontTools.pens.boundsPen import BoundsPen
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.ttLib import TTFont

    fonts = resources_dir() / "fonts"
    latin = all(ord(ch) < 0x2E80 for ch in text)
    path = fonts / ("Inter-Bold.otf" if latin else "NotoSansCJKsc-Regular.otf")
    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap()
        glyphs = font.getGlyphSet()
        scale = 2816 / font["head"].unitsPerEm  # the height of Inter's em, as the English mark
        local = {} if latin else _locl_map(font, "hani", "JAN ")
        svg = SVGPathPen(glyphs, ntos=lambda v: f"{v:.2f}".rstrip("0").rstrip("."))
        bounds = BoundsPen(glyphs)
        x = 0.0
        for ch in text:
            name = cmap.get(ord(ch))
            if name is None:
                raise ValueError(f"{ch!r} of {text!r} is not in {path.name}")
            name = local.get(name, name)
            transform = (scale, 0, 0, -scale, x, 0)
            glyphs[name].draw(TransformPen(svg, transform))
            glyphs[name].draw(TransformPen(bounds, transform))
            # Letters spaced a little, as the English mark's.
            x += glyphs[name].width * scale * (1.02 if latin else 1.0)
        commands = svg.getCommands()
        x_min, y_min, x_max, y_max = bounds.bounds
    width, height = x_max - x_min, y_max - y_min
    box = f"{x_min:.0f} {y_min:.0f} {width:.0f} {height:.0f}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}">'
        f'<path {FILL} d="{commands}"/></svg>\n'
    )


def main() -> int:
    for language in LANGUAGES:
        if language == DEFAULT_LANGUAGE:
            continue  # resources/draft-watermark.svg
        target = watermark_path(language)
        target.write_text(draw(word(language), language), encoding="utf-8")
        print(f"{target.name}: {word(language)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
