"""Settings that make a render cheaper without changing the document.

- :func:`paused_gc`: Python's cyclic garbage collector off while a PDF renders. A render
  allocates hundreds of thousands of objects (boxes, styles, PDF objects), so the collector
  ran about 130 times per render of the 9-page example and scanned everything the process
  holds (fonts, stylesheets, modules) each time it reached the oldest generation: 30-80 ms
  of a 0.6-0.7 s render. The render worker also freezes what it holds after its warm-up
  (``gc.freeze``) and collects once after each job, off the render's clock.
- :func:`with_frame_room`: a render run with room on CPython's frame stack, so its deep
  recursion stops mapping and unmapping a stack chunk thousands of times (7-12 %).
- :func:`use_stream_compression`: PDF streams compressed at zlib level 6 (zlib's own
  default) instead of pydyf's level 9: 9 ms instead of 24 ms for the example's 460 KB of
  streams, for a file 1.4 % larger. Every stream is still Flate-compressed; readers see
  the same pages.
- :func:`use_shared_pango_contexts`: WeasyPrint makes a new Pango context and a new font
  description for every piece of text it measures or draws (about 1,100 a proposal, 700 an
  order form); one context per text direction and language, and one description per
  font, are made once and reused: the same glyphs at the same places, 2-4 % of a render.
- :func:`use_whole_svg_text`: WeasyPrint lays out and draws SVG text (the charts' labels)
  one letter at a time, a Pango layout per letter; a label without per-letter positions
  is laid out and drawn as one run instead: the same text at the same place, kerned as
  the document's other text is, about 4 % of a proposal.
- :func:`use_line_break_cache`: WeasyPrint breaks each piece of text into lines with
  Pango (``split_first_line``) several times per render (a table's min- and max-content
  widths, its layout, every page's running header and footer) and again in the next
  preview; the answer (plain data) is kept per text, width and style: 12-17 % of a warm
  render, with every line the same PDF.
- :func:`use_kept_styles`: WeasyPrint computes every element's style anew each render
  (cascade, then each property on first use); an element whose parent style, own
  declarations and matching selectors are those of the last render gets that render's
  style object back, already computed, with its pseudo-elements' (six an element from
  WeasyPrint's user-agent stylesheet): about 17 % of a warm render.
- :func:`use_kept_text_drawing`: WeasyPrint lays each line of text out again with Pango
  to draw it, glyph by glyph in Python; the text operators a line gave are kept per text
  and style and written again at the line's new place: 7-14 %.

The WeasyPrint settings replace one function each, written for WeasyPrint 70 (the
version ``requirements/*.lock`` pins); with any other version they leave WeasyPrint as it
is, and ``tests/documents/test_tuning.py`` fails until they are checked against it.
"""

from __future__ import annotations

import gc
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

STREAM_COMPRESSION_LEVEL = 6
WEASYPRINT_MAJOR = "70"
"""The WeasyPrint release whose ``Layout.setup`` and SVG ``text`` the settings below
replace (their source is checked by the tests)."""


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off inside the block, and as it was after it (the
    process's other code, a test run say, keeps its setting)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


FRAME_ROOM_SLOTS = 8192
"""Spare local-variable slots in :func:`with_frame_room`'s frame: 64 KiB, for which
CPython allocates a 128 KiB stack chunk, leaving about 62 KiB for the frames of what runs
in it (a render of the example's proposal and order form together needs under 32 KiB)."""


def _run(function: Any, *args: Any, **kwargs: Any) -> Any:
    return function(*args, **kwargs)


def _roomy(runner: Any, slots: int) -> Any:
    import sys

    if sys.implementation.name != "cpython" or sys.version_info < (3, 11):
        return runner
    code = runner.__code__
    try:
        roomy = code.replace(
            co_varnames=code.co_varnames + tuple(f"_room{i}" for i in range(slots)),
            co_nlocals=code.co_nlocals + slots,
        )
    except (TypeError, ValueError):  # another code object layout: no room, no harm
        return runner
    return type(runner)(roomy, runner.__globals__, runner.__name__)


_ROOMY_RUN = _roomy(_run, FRAME_ROOM_SLOTS)


def with_frame_room(function: Any, *args: Any, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)``, its frames given room on CPython's frame stack.

    Since 3.11 CPython keeps Python frames in stack chunks of 16 KiB, allocated with
    ``mmap`` when a call does not fit the current chunk and unmapped as soon as the call
    that needed it returns. WeasyPrint's layout recurses deeply and its calls go up and
    down across a chunk's end thousands of times per render: 3,400-4,000 ``mmap`` and
    ``munmap`` pairs and as many page faults per document, 11-12 % of a warm render. Run
    through a frame with :data:`FRAME_ROOM_SLOTS` spare slots, the render's frames sit in
    the large chunk made for that frame: one ``mmap`` a render. (A render deeper than the
    room goes on into new chunks, as it would have anyway.)"""
    return _ROOMY_RUN(function, *args, **kwargs)


_SUBSETS: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
"""Font subsets made by :func:`use_font_subset_cache`, newest last."""
_COMPRESSED: dict[int, tuple[bytes, bytes]] = {}
"""id of a subset in ``_SUBSETS`` -> (the subset, its stream compressed at our level)."""
SUBSETS_KEPT = 24


class _Compressor:
    """``zlib.compressobj`` at :data:`STREAM_COMPRESSION_LEVEL`, for pydyf's one
    ``compress`` and ``flush`` per stream. A font subset from the subset cache (the same
    bytes object, render after render) is compressed once: its stream's bytes are the
    ones zlib gave the first time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._args, self._kwargs = args, kwargs
        self._chunks: list[bytes] = []

    def _zlib(self) -> Any:
        return zlib.compressobj(STREAM_COMPRESSION_LEVEL, *self._args, **self._kwargs)

    def compress(self, data: bytes) -> bytes:
        self._chunks.append(data)
        return b""

    def flush(self, *mode: int) -> bytes:
        chunks, self._chunks = self._chunks, []
        if len(chunks) == 1 and not mode:
            known = _COMPRESSED.get(id(chunks[0]))
            if known is not None and known[0] is chunks[0]:
                return known[1]
        compressor = self._zlib()
        out: bytes = b"".join(compressor.compress(chunk) for chunk in chunks)
        out += compressor.flush(*mode)
        if len(chunks) == 1 and not mode and not self._args and not self._kwargs:
            subset = chunks[0]
            if any(cached is subset for cached in _SUBSETS.values()):
                _COMPRESSED[id(subset)] = (subset, out)
        return out


def _compressobj(level: int = -1, *args: Any, **kwargs: Any) -> Any:
    return _Compressor(*args, **kwargs)


def use_stream_compression(pydyf_module: Any) -> None:
    """Make ``pydyf`` (WeasyPrint's PDF writer, which asks zlib for level 9 in
    ``Stream.data``) compress its streams at :data:`STREAM_COMPRESSION_LEVEL`. Only the
    module's own name ``zlib`` is replaced; the rest of the process keeps the real one."""
    if getattr(pydyf_module.zlib, "quote_builder_level", None) == STREAM_COMPRESSION_LEVEL:
        return
    shim = SimpleNamespace(
        **{name: getattr(zlib, name) for name in dir(zlib) if not name.startswith("__")}
    )
    shim.compressobj = _compressobj
    shim.quote_builder_level = STREAM_COMPRESSION_LEVEL
    pydyf_module.zlib = shim


def _weasyprint_is_known() -> bool:
    import weasyprint

    return str(weasyprint.__version__).split(".")[0] == WEASYPRINT_MAJOR


def use_shared_pango_contexts() -> bool:
    """Make WeasyPrint's ``Layout.setup`` (``weasyprint.text.line_break``) reuse one Pango
    context per font configuration, thread, text direction and language, and one font
    description per font, instead of making both anew for every piece of text. Everything
    else it does is as in WeasyPrint 70. Returns whether the setting is in force (False
    with another WeasyPrint)."""
    import threading

    from weasyprint.text import line_break
    from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
    from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango, unicode_to_char_p
    from weasyprint.text.fonts import font_features, get_font_description

    if getattr(line_break.Layout.setup, "quote_builder_shared", False):
        return True
    if not _weasyprint_is_known():
        return False

    def contexts_of(font_config: Any) -> tuple[dict[Any, Any], dict[Any, Any]]:
        # Kept on the font configuration (they go with it) and per thread (a Pango context
        # is not thread-safe); the descriptions are bounded by the fonts and sizes used.
        per_thread = font_config.__dict__.setdefault("quote_builder_pango", {})
        found: tuple[dict[Any, Any], dict[Any, Any]] | None = per_thread.get(threading.get_ident())
        if found is None:
            found = per_thread[threading.get_ident()] = ({}, {})
        if len(found[1]) > 512:
            found[1].clear()
        return found

    def setup(self: Any, style: Any) -> None:
        self.style = style
        self.first_line_direction = 0
        font_config = style.font_config
        contexts, descriptions = contexts_of(font_config)

        override = style["font_language_override"]
        if override != "normal":
            lang = LST_TO_ISO.get(override.lower(), override)
        else:
            lang = style["lang"] or None
        key = (style["direction"], lang)
        entry = contexts.get(key)
        if entry is None:
            pango_context = ffi.gc(
                pango.pango_font_map_create_context(font_config.font_map),
                gobject.g_object_unref,
            )
            pango.pango_context_set_round_glyph_positions(pango_context, False)
            pango.pango_context_set_base_dir(pango_context, PANGO_DIRECTION[style["direction"]])
            if lang:
                lang_p, _ = unicode_to_char_p(lang)
                language = pango.pango_language_from_string(lang_p)
                pango.pango_context_set_language(pango_context, language)
            else:
                language = pango.pango_language_get_default()
            entry = contexts[key] = (pango_context, language)
        pango_context, self.language = entry

        variations = style["font_variation_settings"]
        font_key = (
            tuple(style["font_family"]),
            style["font_style"],
            style["font_stretch"],
            style["font_weight"],
            style["font_size"],
            style["font_variant_caps"],
            variations if variations == "normal" else tuple(variations),
        )
        font_description = descriptions.get(font_key)
        if font_description is None:
            # pango_layout_set_font_description copies it: one serves every layout.
            font_description = descriptions[font_key] = get_font_description(style)
        self.layout = ffi.gc(pango.pango_layout_new(pango_context), gobject.g_object_unref)
        pango.pango_layout_set_auto_dir(self.layout, False)
        pango.pango_layout_set_font_description(self.layout, font_description)

        if style["text_decoration_line"] != "none":
            metrics = ffi.gc(
                pango.pango_context_get_metrics(pango_context, font_description, self.language),
                pango.pango_font_metrics_unref,
            )
            self.ascent = FROM_UNITS * pango.pango_font_metrics_get_ascent(metrics)
            self.underline_position = FROM_UNITS * (
                pango.pango_font_metrics_get_underline_position(metrics)
            )
            self.strikethrough_position = FROM_UNITS * (
                pango.pango_font_metrics_get_strikethrough_position(metrics)
            )
            self.underline_thickness = FROM_UNITS * (
                pango.pango_font_metrics_get_underline_thickness(metrics)
            )
            self.strikethrough_thickness = FROM_UNITS * (
                pango.pango_font_metrics_get_strikethrough_thickness(metrics)
            )
        else:
            self.ascent = None
            self.underline_position = None
            self.strikethrough_position = None

        features = font_features(
            style["font_kerning"],
            style["font_variant_ligatures"],
            style["font_variant_position"],
            style["font_variant_caps"],
            style["font_variant_numeric"],
            style["font_variant_alternates"],
            style["font_variant_east_asian"],
            style["font_feature_settings"],
        )
        if features:
            encoded = ",".join(f"{name} {value}" for name, value in features.items()).encode()
            attr = font_config.font_features.setdefault(
                encoded, pango.pango_attr_font_features_new(encoded)
            )
            attr_list = pango.pango_attr_list_new()
            pango.pango_attr_list_insert(attr_list, attr)
            pango.pango_layout_set_attributes(self.layout, attr_list)

    setup.quote_builder_shared = True  # type: ignore[attr-defined]
    setup.weasyprint_setup = line_break.Layout.setup  # type: ignore[attr-defined]
    line_break.Layout.setup = setup
    return True


_PER_LETTER_ATTRIBUTES = ("dx", "dy", "rotate", "textLength", "letter-spacing")


def use_whole_svg_text() -> bool:
    """Make WeasyPrint draw an SVG ``text`` (or ``tspan``) with one text content and at
    most one ``x`` and one ``y`` as one Pango run, laid out once; any other text (per-letter
    positions, rotations, spacing, a text length) is drawn by WeasyPrint's own function,
    letter by letter. Returns whether the setting is in force (False with another
    WeasyPrint)."""
    import sys
    from math import inf

    import weasyprint.svg as svg_module
    from weasyprint.matrix import Matrix

    text_module = sys.modules["weasyprint.svg.text"]
    if getattr(svg_module.TAGS["text"], "quote_builder_whole", False):
        return True
    if not _weasyprint_is_known():
        return False
    letter_by_letter = text_module.text
    normalize, size = text_module.normalize, text_module.size

    def one_value(node: Any, name: str) -> bool:
        return len(normalize(node.attrib.get(name, "")).split()) <= 1

    def text(svg: Any, node: Any, font_size: float) -> None:
        if (
            not node.text
            or any(name in node.attrib for name in _PER_LETTER_ATTRIBUTES)
            or not one_value(node, "x")
            or not one_value(node, "y")
        ):
            text.weasyprint_text(svg, node, font_size)  # type: ignore[attr-defined]
            return
        from weasyprint.css.properties import INITIAL_VALUES
        from weasyprint.draw.text import draw_emojis, draw_first_line
        from weasyprint.text.line_break import split_first_line

        # The style as WeasyPrint's own function builds it.
        style = text_module.Style()
        style.update(INITIAL_VALUES)
        style.font_config = svg.font_config
        style["font_family"] = [
            font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")
        ]
        style["font_style"] = node.get("font-style", "normal")
        style["font_weight"] = node.get("font-weight", 400)
        style["font_size"] = font_size
        if node.get("direction") in ("ltr", "rtl"):
            style["direction"] = node.get("direction")
        if style["font_weight"] == "normal":
            style["font_weight"] = 400
        elif style["font_weight"] == "bold":
            style["font_weight"] = 700
        else:
            try:
                style["font_weight"] = int(style["font_weight"])
            except ValueError:
                style["font_weight"] = 400

        layout, _, _, width, height, baseline = split_first_line(
            node.text, style, svg.context, inf, 0
        )
        x = (
            size(normalize(node.attrib["x"]).strip(), font_size, svg.inner_width)
            if ("x" in node.attrib)
            else None
        )
        y = (
            size(normalize(node.attrib["y"]).strip(), font_size, svg.inner_height)
            if ("y" in node.attrib)
            else None
        )

        ascent, descent = font_size * 0.8, font_size * 0.2
        y_align = 0.0
        display_anchor = node.get("display-anchor")
        alignment_baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
        if display_anchor == "middle":
            y_align = -height / 2
        elif display_anchor == "top":
            pass
        elif display_anchor == "bottom":
            y_align = -height
        elif alignment_baseline in ("central", "middle"):
            y_align = (ascent + descent) / 2 - descent
        elif alignment_baseline in (
            "text-before-edge",
            "before_edge",
            "top",
            "hanging",
            "text-top",
        ):
            y_align = ascent
        elif alignment_baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
            y_align = -descent

        # Positions as WeasyPrint computes them for the first letter; the run's width
        # moves the cursor as its letters' widths did.
        if x:
            svg.cursor_d_position[0] = 0
        if y:
            svg.cursor_d_position[1] = 0
        x = svg.cursor_position[0] if x is None else x
        y = svg.cursor_position[1] if y is None else y
        svg.cursor_position = x + width, y
        x_position = x + svg.cursor_d_position[0]
        y_position = y + svg.cursor_d_position[1] + y_align
        points = (
            (x_position, y_position - baseline),
            (x_position + width, y_position - baseline + height),
        )
        node.text_bounding_box = text_module.extend_bounding_box(node.text_bounding_box, points)

        svg.stream.push_state()
        fill, stroke = svg.set_graphical_state(node, font_size)
        svg.stream.begin_text()
        layout.reactivate(style)
        svg.fill_stroke(fill, stroke, text=True)
        text_box = text_module.TextBox(layout, style)
        text_box.baseline = baseline
        matrix = Matrix(a=1, d=-1, e=x_position, f=y_position)
        emojis = draw_first_line(svg.stream, text_box, "none", "none", matrix)
        svg.stream.end_text()
        svg.stream.pop_state()
        draw_emojis(svg.stream, style, x, y, emojis)

    text.quote_builder_whole = True  # type: ignore[attr-defined]
    text.weasyprint_text = letter_by_letter  # type: ignore[attr-defined]
    # draw_node tells text elements by comparing TAGS[tag] with the module's ``text``.
    svg_module.text = text
    for tag in ("text", "tspan", "textPath"):
        svg_module.TAGS[tag] = text
    return True


def use_font_subset_cache() -> bool:
    """Make WeasyPrint's ``Font.clean`` (which subsets each embedded font to the glyphs the
    document uses, with HarfBuzz) keep its last :data:`SUBSETS_KEPT` results: a render that
    uses the same glyphs of the same font file as an earlier one (a preview after an
    edit, nearly always) gets the same subset without making it again, and its
    compressed stream (see :class:`_Compressor`). Only static outline fonts (no variation
    axes, no colour glyphs) under 4 MB are kept; the rest is subset as before. Returns
    whether the setting is in force (False with another WeasyPrint)."""
    from weasyprint.pdf import fonts

    if getattr(fonts.Font.clean, "quote_builder_cached", False):
        return True
    if not _weasyprint_is_known():
        return False
    weasyprint_clean = fonts.Font.clean

    def clean(self: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        content = self.file_content
        if (
            "fvar" in self.tables
            or self.png
            or self.svg
            or self.colr
            or len(content) > 4 * 1024 * 1024
        ):
            weasyprint_clean(self, to_unicode, hinting)
            return
        key = (
            self.hash,
            self.index,
            len(content),
            hash(content),
            tuple(sorted(to_unicode)),
            bool(hinting),
            bool(self.missing),
        )
        subset = _SUBSETS.get(key)
        if subset is not None:
            _SUBSETS.move_to_end(key)
            self.file_content = subset
            return
        weasyprint_clean(self, to_unicode, hinting)
        _SUBSETS[key] = self.file_content
        while len(_SUBSETS) > SUBSETS_KEPT:
            _, dropped = _SUBSETS.popitem(last=False)
            _COMPRESSED.pop(id(dropped), None)

    clean.quote_builder_cached = True  # type: ignore[attr-defined]
    clean.weasyprint_clean = weasyprint_clean  # type: ignore[attr-defined]
    fonts.Font.clean = clean
    return True


LINE_BREAK_STYLE = (
    # Every computed property WeasyPrint 70's split_first_line reads, with what it calls
    # (create_layout, Layout.setup as use_shared_pango_contexts has it, Layout.set_text,
    # get_font_description, font_features, line_size, first_line_metrics).
    "white_space",
    "font_size",
    "font_family",
    "font_style",
    "font_stretch",
    "font_weight",
    "font_variant_caps",
    "font_variation_settings",
    "font_kerning",
    "font_variant_ligatures",
    "font_variant_position",
    "font_variant_numeric",
    "font_variant_alternates",
    "font_variant_east_asian",
    "font_feature_settings",
    "font_language_override",
    "lang",
    "direction",
    "text_decoration_line",
    "letter_spacing",
    "word_spacing",
    "overflow_wrap",
    "word_break",
    "hyphens",
    "hyphenate_character",
    "hyphenate_limit_chars",
    "hyphenate_limit_zone",
    "tab_size",
)
LINES_KEPT = 2048
"""Line breaks kept by :func:`use_line_break_cache` per font configuration (a proposal
asks for about 450, an order form for about 440)."""


def use_line_break_cache() -> bool:
    """Make WeasyPrint's ``split_first_line`` (the first line of a text that fits a width,
    with Pango) keep its last :data:`LINES_KEPT` answers (about 2 KB each), keyed by the text, the width and
    every style property it reads (:data:`LINE_BREAK_STYLE`). Its answer is plain data (the
    line's length, where the next one starts, width, height, baseline, and a Pango
    ``Layout`` holder that it has already emptied of Pango objects: text, direction,
    metrics), so a kept answer is the one Pango would give again; each caller gets its own
    copy of the holder. The same text at the same width comes back in every page's
    running header and footer, in a table's min- and max-content widths and its layout,
    and in the next preview after an edit elsewhere. Returns whether the setting is in
    force (False with another WeasyPrint)."""
    from weasyprint.layout import inline, preferred
    from weasyprint.text import line_break

    if getattr(line_break.split_first_line, "quote_builder_cached", False):
        return True
    if not _weasyprint_is_known():
        return False
    weasyprint_split = line_break.split_first_line
    layout_class = line_break.Layout

    def split_first_line(
        text: str,
        style: Any,
        context: Any,
        max_width: Any,
        justification_spacing: Any,
        is_line_start: bool = True,
        minimum: bool = False,
    ) -> Any:
        try:
            key = (
                text,
                max_width,
                justification_spacing,
                is_line_start,
                minimum,
                *[style[name] for name in LINE_BREAK_STYLE],
            )
            kept = _lines_of(style.font_config)
            found = kept.get(key)
        except TypeError:  # a value that cannot be a key: as WeasyPrint does
            return weasyprint_split(
                text, style, context, max_width, justification_spacing, is_line_start, minimum
            )
        if found is None:
            found = weasyprint_split(
                text, style, context, max_width, justification_spacing, is_line_start, minimum
            )
            kept[key] = found
            if len(kept) > LINES_KEPT:
                kept.popitem(last=False)
        else:
            kept.move_to_end(key)
        layout = layout_class.__new__(layout_class)
        layout.__dict__.update(found[0].__dict__)
        return (layout, *found[1:])

    split_first_line.quote_builder_cached = True  # type: ignore[attr-defined]
    split_first_line.weasyprint_split_first_line = weasyprint_split  # type: ignore[attr-defined]
    line_break.split_first_line = split_first_line
    inline.split_first_line = split_first_line
    preferred.split_first_line = split_first_line
    return True


def _lines_of(font_config: Any) -> OrderedDict[tuple[Any, ...], tuple[Any, ...]]:
    # Kept on the font configuration: the fonts the answers were measured with.
    kept: OrderedDict[tuple[Any, ...], tuple[Any, ...]] | None = font_config.__dict__.get(
        "quote_builder_lines"
    )
    if kept is None:
        kept = font_config.__dict__["quote_builder_lines"] = OrderedDict()
    return kept


STYLES_KEPT = 1000
"""Element styles kept by :func:`use_kept_styles` per font configuration, each with its
pseudo-elements' (about 17 KB together); past this the whole set is dropped before the
next render starts. The example's proposal has 117 distinct ones, its order form 83, and
a document in another language has its own (its root element's ``lang`` differs)."""


def use_kept_styles() -> bool:
    """Make WeasyPrint's cascade (``StyleFor.__init__``) keep each element's computed style
    from one render to the next. WeasyPrint 70 already gives elements with the same parent
    style, the same style attributes and the same matching selectors one shared style
    object within a render; here that sharing outlives the render: the key is the same
    (the parent's kept style, the element's own declarations, now by their text, the
    selectors that match, from the same parsed stylesheets) plus the base URL, and the
    value is the style object WeasyPrint made, whose properties it computes once, on first
    use, from the parent and the declarations alone. Layout never writes into an element's
    style (it copies a style before changing it), but for one property of the root or body
    element (``overflow``, handed to the page); those two are kept only when it is
    ``visible``, which that write leaves as it is. The element's pseudo-elements' styles
    (WeasyPrint's user-agent stylesheet gives every element six: ``::marker`` and the
    footnote and note ones) are kept with it: the selectors that match the element, in the
    key, give their declarations too, and their parent is the element's style. WeasyPrint
    writes into two of them, always the same value (a list marker's text ``white-space:
    pre-wrap`` and, outside the item, ``position: absolute``), so a kept one is as a new
    one would be after the write. Pages and their margin boxes get new styles every render
    as before. Returns whether the setting is in force (False with another WeasyPrint)."""
    import weasyprint.css as css

    if getattr(css.StyleFor.__init__, "quote_builder_kept", False):
        return True
    if not _weasyprint_is_known():
        return False
    from math import inf

    import tinycss2  # type: ignore[import-untyped]

    weasyprint_init = css.StyleFor.__init__

    def init(
        self: Any,
        html: Any,
        sheets: Any,
        presentational_hints: Any,
        font_config: Any,
        target_collector: Any,
    ) -> None:
        cascaded_styles: dict[tuple[Any, Any], dict[str, Any]] = {}
        computed_styles: dict[tuple[Any, Any], Any] = {}
        self._cascaded_styles, self._computed_styles = cascaded_styles, computed_styles
        self.initial_page_sizes = {"box": None, "area": None}
        self._sheets = sheets
        self.font_config = font_config
        css.PROGRESS_LOGGER.info("Step 3 - Applying CSS")
        layer_order: Any = inf
        elements_declarations: dict[Any, tuple[Any, ...]] = {}
        for specificity, element, declarations, base_url in css.find_style_attributes(
            html.etree_element, presentational_hints, html.base_url
        ):
            style = cascaded_styles.setdefault((element, None), {})
            elements_declarations[element] = tuple(declarations)
            for name, values, importance in css.preprocess_declarations(base_url, declarations):
                precedence = css.declaration_precedence("author", importance)
                weight = (precedence, layer_order, specificity)
                old_weight = style.get(name, (None, None))[1]
                if old_weight is None or old_weight <= weight:
                    style[name] = values, weight

        kept = _styles_of(font_config)
        if len(kept) > STYLES_KEPT:
            kept.clear()  # before any style of this render is in it (see below)
        root = html.etree_element
        fresh: dict[tuple[Any, ...], Any] = {}  # key -> the first element made with it
        same: list[tuple[Any, Any]] = []  # (element, the element whose styles it shares)
        unkept: set[Any] = set()
        for element in html.wrapper_element.iter_subtree():
            etree_element = element.etree_element
            parent = element.parent.etree_element if element.parent else None
            parent_id = id(computed_styles[parent, None]) if element.parent else None
            element_declarations = elements_declarations.get(etree_element)
            selectors_keys = []
            matched = []
            for sheet, origin, sheet_specificity in sheets:
                for selector in sheet.matcher.match(element):
                    specificity, order, pseudo_type, (declarations, layer) = selector
                    layer_order = inf if layer is None else sheet.layers.index(layer)
                    selectors_keys.append((sheet, specificity, id(declarations), layer_order))
                    specificity = sheet_specificity or specificity
                    matched.append((pseudo_type, origin, specificity, layer_order, declarations))

            # The selectors that match say the pseudo-elements' declarations too. The
            # parent's style is either kept, or new in this render (then it is kept at the
            # end of it, with every style whose key has its id, or none of them is).
            key = (
                parent_id,
                None if element_declarations is None else tinycss2.serialize(element_declarations),
                tuple(selectors_keys),
                html.base_url,
            )
            found = kept.get(key)
            if found is not None:
                for pseudo_type, style in found.items():
                    computed_styles[etree_element, pseudo_type] = style
                    if target_collector and style["anchor"]:
                        target_collector.collect_anchor(style["anchor"])
                continue
            first = fresh.get(key)
            if first is not None:  # as WeasyPrint shares an equivalent style
                computed_styles[etree_element, None] = computed_styles[first, None]
                same.append((etree_element, first))
                if first in unkept:
                    unkept.add(etree_element)
                continue
            for pseudo_type, origin, specificity, layer_order, declarations in matched:
                style = cascaded_styles.setdefault((etree_element, pseudo_type), {})
                for name, values, importance in declarations:
                    precedence = css.declaration_precedence(origin, importance)
                    weight = (precedence, layer_order, specificity)
                    old_weight = style.get(name, (None, None))[1]
                    if old_weight is None or old_weight <= weight:
                        style[name] = values, weight
            self.set_computed_styles(
                etree_element,
                root=root,
                parent=parent,
                base_url=html.base_url,
                target_collector=target_collector,
            )
            fresh[key] = etree_element
            if parent in unkept or (
                (etree_element is root or parent is root)
                and computed_styles[etree_element, None]["overflow"] != "visible"
            ):
                unkept.add(etree_element)

        for element, pseudo_type in cascaded_styles:
            if pseudo_type:
                self.set_computed_styles(
                    element,
                    pseudo_type=pseudo_type,
                    root=root,
                    parent=element,
                    base_url=html.base_url,
                    target_collector=target_collector,
                )
        for element, first in same:
            for pseudo_type in css.PSEUDO_ELEMENTS:
                if pseudo_type and (first, pseudo_type) in computed_styles:
                    computed_styles[element, pseudo_type] = computed_styles[first, pseudo_type]
        for key, element in fresh.items():
            if element not in unkept:
                kept[key] = {
                    pseudo_type: computed_styles[element, pseudo_type]
                    for pseudo_type in css.PSEUDO_ELEMENTS
                    if (element, pseudo_type) in computed_styles
                }
        self._cascaded_styles.clear()

    init.quote_builder_kept = True  # type: ignore[attr-defined]
    init.weasyprint_init = weasyprint_init  # type: ignore[attr-defined]
    css.StyleFor.__init__ = init
    return True


def _styles_of(font_config: Any) -> dict[tuple[Any, ...], Any]:
    kept: dict[tuple[Any, ...], Any] | None = font_config.__dict__.get("quote_builder_styles")
    if kept is None:
        kept = font_config.__dict__["quote_builder_styles"] = {}
    return kept


DRAWN_LINES_KEPT = 2048
"""Drawn lines of text kept by :func:`use_kept_text_drawing` per font configuration
(a proposal draws about 270, an order form about 280)."""


class _Unkept(Exception):
    """A line whose drawing is not kept: a glyph no font has (WeasyPrint logs it and
    draws .notdef), a colour or emoji glyph, or widths this document has otherwise."""


class _Glyphs:
    """A font's ``to_unicode`` or ``widths`` while a line is recorded: every glyph of the
    line is asked for (never "already known"), what WeasyPrint works out is recorded and
    given to the document's font as WeasyPrint would (first value wins)."""

    def __init__(self, real: dict[int, Any], record: dict[int, Any], exact: bool) -> None:
        self.real, self.record, self.exact = real, record, exact

    def __contains__(self, glyph: object) -> bool:
        return False

    def __getitem__(self, glyph: int) -> Any:
        raise _Unkept  # only read on WeasyPrint's .notdef path

    def __setitem__(self, glyph: int, value: Any) -> None:
        known = self.real.setdefault(glyph, value)
        if self.exact and known != value:
            raise _Unkept  # WeasyPrint would kern with the document's width
        self.record[glyph] = value


class _RecordedFont:
    def __init__(self, font: Any, unicode: dict[int, str], widths: dict[int, int]) -> None:
        self._font = font
        self.to_unicode = _Glyphs(font.to_unicode, unicode, exact=False)
        self.widths = _Glyphs(font.widths, widths, exact=True)
        if font.svg or font.png or font.colr:
            raise _Unkept
        self.hash, self.bitmap, self.png, self.svg, self.colr = (
            font.hash,
            font.bitmap,
            False,
            False,
            False,
        )

    def get_unused_glyph_id(self, codepoint: int) -> int:
        raise _Unkept


class _RecordingStream:
    """What WeasyPrint's ``draw_first_line`` does to a stream, recorded instead of done
    (but for its fonts, which it adds to the document as WeasyPrint does)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.ink_rect, self.logical_rect = stream.ink_rect, stream.logical_rect
        self.fonts: list[tuple[Any, dict[int, str], dict[int, int]]] = []
        self.ops: list[tuple[Any, ...]] = []

    def add_font(self, pango_font: Any) -> tuple[Any, float]:
        font, font_size = self._stream.add_font(pango_font)
        unicode: dict[int, str] = {}
        widths: dict[int, int] = {}
        self.fonts.append((pango_font, unicode, widths))
        return _RecordedFont(font, unicode, widths), font_size

    def set_text_matrix(self, *values: float) -> None:
        self.ops.append(("matrix",))

    def show_text(self, text: str) -> None:
        self.ops.append(("show", text))

    def set_font_size(self, font: str, size: float) -> None:
        self.ops.append(("size", font, size))

    def set_text_rise(self, height: float) -> None:
        self.ops.append(("rise", height))


def use_kept_text_drawing() -> bool:
    """Make WeasyPrint's ``draw_text`` keep what it writes for a line of text: the same
    text in the same style (every property Pango's layout of it reads, as for
    :func:`use_line_break_cache`) is shaped by Pango into the same glyphs, so the line's
    text operators (fonts, glyph ids, kerning) and the glyphs' widths and Unicode text
    the fonts get are recorded once, from WeasyPrint's own ``draw_first_line`` run against
    a recording stream, and written again (at the line's new position) without laying the
    line out again. The line's fonts are kept alive with it. Lines WeasyPrint draws some
    other way (an ellipsis, a missing glyph, a colour or emoji glyph, a glyph whose width
    the document already has otherwise) are drawn by WeasyPrint as before. Returns
    whether the setting is in force (False with another WeasyPrint)."""
    import weasyprint.draw as draw_module
    from weasyprint.draw import text as text_module

    if getattr(text_module.draw_text, "quote_builder_kept", False):
        return True
    if not _weasyprint_is_known():
        return False
    import threading

    from weasyprint.logger import LOGGER
    from weasyprint.matrix import Matrix
    from weasyprint.text.ffi import ffi, gobject

    if not hasattr(gobject, "g_object_ref"):
        ffi.cdef("gpointer g_object_ref (gpointer object);")
    weasyprint_draw_text = text_module.draw_text
    weasyprint_draw_first_line = text_module.draw_first_line

    recording: set[int] = set()  # the threads recording a line

    def abort_on_notdef(record: Any) -> bool:
        if record.msg.startswith(".notdef glyph") and threading.get_ident() in recording:
            raise _Unkept  # WeasyPrint draws it (and logs it) itself
        return True

    LOGGER.addFilter(abort_on_notdef)

    def recorded(stream: Any, textbox: Any, matrix: Any) -> tuple[Any, ...] | None:
        recorder = _RecordingStream(stream)
        recording.add(threading.get_ident())
        try:
            emojis = weasyprint_draw_first_line(recorder, textbox, "clip", "none", matrix)
        except _Unkept:
            return None
        finally:
            recording.discard(threading.get_ident())
        if emojis:
            return None
        fonts = tuple(
            (
                ffi.gc(gobject.g_object_ref(pango_font), gobject.g_object_unref),
                tuple(unicode.items()),
                tuple(widths.items()),
            )
            for pango_font, unicode, widths in recorder.fonts
        )
        return fonts, tuple(recorder.ops)

    def replayed(stream: Any, line: tuple[Any, ...], matrix: Any) -> bool:
        fonts, ops = line
        for pango_font, unicode, widths in fonts:
            font, _ = stream.add_font(pango_font)
            known = font.widths
            for glyph, width in widths:
                if known.setdefault(glyph, width) != width:
                    return False  # WeasyPrint would kern with the document's width
            mapped = font.to_unicode
            for glyph, text in unicode:
                mapped.setdefault(glyph, text)
        for op in ops:
            if op[0] == "show":
                stream.show_text(op[1])
            elif op[0] == "size":
                stream.set_font_size(op[1], op[2])
            elif op[0] == "matrix":
                stream.set_text_matrix(*matrix.values)
            else:
                stream.set_text_rise(op[1])
        return True

    def draw_text(
        stream: Any, textbox: Any, offset_x: Any, text_overflow: Any, block_ellipsis: Any
    ) -> None:
        style = textbox.style
        layout = textbox.pango_layout
        if (
            text_overflow == "ellipsis"
            or block_ellipsis != "none"
            or style["visibility"] != "visible"
            or style["text_decoration_line"] != "none"
        ):
            weasyprint_draw_text(stream, textbox, offset_x, text_overflow, block_ellipsis)
            return
        try:
            key = (
                textbox.text,
                layout.text,
                layout.justification_spacing,
                *[style[name] for name in LINE_BREAK_STYLE],
            )
            kept = _drawn_of(style.font_config)
            line = kept.get(key)
        except TypeError:
            weasyprint_draw_text(stream, textbox, offset_x, text_overflow, block_ellipsis)
            return
        assert style["font_size"]  # as WeasyPrint's draw_text: Pango fails on size 0
        x, y = textbox.position_x, textbox.position_y + textbox.baseline
        matrix = Matrix(d=-1, e=x, f=y)
        if line is not None:
            kept.move_to_end(key)
            stream.set_color(style["color"])
            stream.begin_text()
            if replayed(stream, line, matrix):
                stream.end_text()
                return
            stream.end_text()  # nothing written: begin_text takes the empty block back
            weasyprint_draw_text(stream, textbox, offset_x, text_overflow, block_ellipsis)
            return
        stream.set_color(style["color"])
        layout.reactivate(style)
        stream.begin_text()
        line = recorded(stream, textbox, matrix)
        if line is not None and replayed(stream, line, matrix):
            kept[key] = line
            if len(kept) > DRAWN_LINES_KEPT:
                kept.popitem(last=False)
            stream.end_text()
        else:
            emojis = weasyprint_draw_first_line(stream, textbox, text_overflow, "none", matrix)
            stream.end_text()
            text_module.draw_emojis(stream, style, x, y, emojis)
        layout.deactivate()

    draw_text.quote_builder_kept = True  # type: ignore[attr-defined]
    draw_text.weasyprint_draw_text = weasyprint_draw_text  # type: ignore[attr-defined]
    text_module.draw_text = draw_text
    draw_module.draw_text = draw_text
    return True


def _drawn_of(font_config: Any) -> OrderedDict[tuple[Any, ...], tuple[Any, ...]]:
    kept: OrderedDict[tuple[Any, ...], tuple[Any, ...]] | None = font_config.__dict__.get(
        "quote_builder_drawn"
    )
    if kept is None:
        kept = font_config.__dict__["quote_builder_drawn"] = OrderedDict()
    return kept
