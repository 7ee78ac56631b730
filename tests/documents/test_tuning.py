"""The render's speed settings (documents/tuning.py) leave the document as it was: streams
still Flate-compressed (at level 6), the garbage collector back as it was after a render,
the same PDF with Pango contexts shared and font subsets kept, chart labels saying the
same at the same place."""

from __future__ import annotations

import gc
import html
import io
import re
import subprocess
import sys
import zlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pydyf
import pytest
from pypdf import PdfReader

from quote_builder.documents import Party, tuning
from quote_builder.documents import render as render_module
from quote_builder.documents.render import render_pdf
from quote_builder.documents.tuning import (
    STREAM_COMPRESSION_LEVEL,
    paused_gc,
    use_font_subset_cache,
    use_kept_styles,
    use_kept_text_drawing,
    use_line_break_cache,
    use_shared_pango_contexts,
    use_stream_compression,
    use_whole_svg_text,
)

from .conftest import example, request_for


def test_pydyf_still_asks_zlib_for_its_streams_so_the_level_setting_applies() -> None:
    # The setting replaces pydyf's module-level name ``zlib``; a pydyf that compressed
    # some other way would silently keep level 9. Stream.data must still go through it.
    import inspect

    assert "zlib.compressobj(" in inspect.getsource(pydyf.Stream.data.fget)
    assert pydyf.zlib.quote_builder_level == STREAM_COMPRESSION_LEVEL == 6
    assert pydyf.zlib.decompress is zlib.decompress  # the rest of zlib is the real one


def test_a_stream_is_compressed_at_level_6_and_decompresses_to_its_content() -> None:
    content = b"BT /F1 9 Tf 72 700 Td (Total contract value 73,225.00) Tj ET\n" * 400
    stream = pydyf.Stream([content.rstrip(b"\n")], compress=True)
    data = stream.data
    body = data.split(b"\nstream\n", 1)[1].rsplit(b"\nendstream", 1)[0]
    assert b"/Filter /FlateDecode" in data
    assert zlib.decompress(body) == content.rstrip(b"\n")
    level6 = zlib.compressobj(6)
    assert body == level6.compress(content.rstrip(b"\n")) + level6.flush()


def test_setting_it_twice_keeps_one_shim() -> None:
    module = SimpleNamespace(zlib=zlib)
    use_stream_compression(module)
    shim = module.zlib
    use_stream_compression(module)
    assert module.zlib is shim and zlib.compressobj is not shim.compressobj


@pytest.mark.parametrize("enabled_before", [True, False])
def test_paused_gc_restores_the_collector_as_it_was(enabled_before: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled_before else gc.disable)()
        with paused_gc():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled_before
        with pytest.raises(RuntimeError), paused_gc():
            raise RuntimeError("a render that fails")
        assert gc.isenabled() is enabled_before
    finally:
        (gc.enable if was else gc.disable)()


def test_a_render_runs_without_the_collector_and_gives_it_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []
    original = render_module._layout

    def layout(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render_module, "_layout", layout)
    assert gc.isenabled()
    result = render_pdf(request_for(example("platform_usage_analytics.json")), "proposal")
    assert seen == [False] and gc.isenabled()
    reader = PdfReader(io.BytesIO(result.pdf))
    assert "Prepared for Northwind Analytics Ltd" in reader.pages[0].extract_text()


# --- the WeasyPrint settings (Pango contexts, SVG text, font subsets) -----------------

WEASYPRINT_SOURCES = {
    # sha256 of the source of the WeasyPrint 70 functions the settings stand in for (or,
    # for HTML.__init__ and SVG.draw_node, rely on): a new WeasyPrint fails here until the
    # settings are read against it again (the settings switch themselves off for another
    # major version; this catches a change within 70.x).
    "Layout.setup": "fb227a55094f41d42fbd57f180d8b7a9a1e741969ec8ddb3fd5cd80920257442",
    "svg text": "67a30c3e181b4a8002350771928b86b26dfef05b2706d0b3c6b46943e41af61b",
    "Font.clean": "794f0211f18453f1a291056fcd6659cdcb262f7c1133cf5b2ea015df379c6813",
    "HTML.__init__": "5f19f40b81837f87ae7af8e5c53d5f11e7c98ba245094a86d45f5f14d001b943",
    "SVG.draw_node": "5e24443a435c491ef0f0a66bfc93d8e39193c999270d8d048dea06da900c89ba",
    # The line break cache keys on what these read and relies on the answer being data.
    "split_first_line": "39ad1016863ca34de0bea4c9fcffb46da7e27813c87dd82b7011bfa19fe5504f",
    "first_line_metrics": "55ec5d0b58b29a8bda9f4c85d3bc3bc46b45d2110e05982e7126c7f4d507e65d",
    "create_layout": "6587192cc0ab3ffad7bb1902654c7f26dd28910f760804bcf67cbf7b986660b0",
    "line_size": "03fa04fd51fc69aa128ca5312faa9a82578d88cf8549fda8d3d63a76f8eef173",
    "Layout.set_text": "fe23ca9937dbf5205bda422f9c01103f301ef2c511228842632ea86e853274f7",
    "Layout.deactivate": "bfec3ec8406e1c82a91f9570103eb5ecbc5a20c1339ff26bb0f4eafb03189f0b",
    "get_font_description": "85734b8947b9bf64ef27ff11d8f5355db76a2ae8efc9a6fed925dc9e2a1056ce",
    # The kept styles: the cascade they stand in for, and where WeasyPrint writes into a
    # style it did not copy first.
    "StyleFor.__init__": "b1e725a7552502aa00f0bc07aec79c1aa49365b107a889085161f8d6a4c4a836",
    "StyleFor.set_computed_styles": "b5b15856b8beff3f49e20ac0309d7b45fb2a5192d826dd65e05b3009b8285c46",
    "StyleFor.__call__": "96b91915ae7c344a8a4ea9ed112ffa1d7bde9087decb7e9ce723940b849c3936",
    "wrap_table": "553a9b0e8a111fe0af4b0aeca4e681ebd329b9f61222725a430190e940e7e252",
    "set_viewport_overflow": "9caeb8889669718d4960059a274a45f0f6d11c32d3c741de8ba8119d81ca1b31",
    # Kept text drawing: the functions it records or stands in for, the stream state it
    # relies on.
    "draw_text": "ebaf96239c6ca3635d2b91bfb34718c2dcebd7809fec1c53fb8dffd1366befe3",
    "draw_first_line": "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b",
    "draw_emojis": "766284b3b2ca12c5587576d684518154d6bcd3e43d4c18cd0d3b24ad75cd207a",
    "Stream.add_font": "e4226e111747721713ef1a513ba39542ac767bf32f354a18da2207b0ddf44787",
    "Stream.begin_text": "bf5f18b4689d451230f1bfec6978d80588774ca78fe9fdc6db370f2b872e2497",
    "Stream.end_text": "967bc1ae8232006016fd4ab8b333875cf7dc3f5ea7aafe580b42e1ca3f207121",
    "Stream.set_font_size": "34b9096d1555895d16257f7eb953bc4e971a021f1112abe63a922eec289fdb36",
    "Layout.reactivate": "0b89ee097104b71376c179f48a98858708b07169dc0212c393263a1a831607c9",
}


def _normalized(pdf: bytes) -> bytes:
    """A PDF without its dates and file identifier (they change with every render)."""
    return re.sub(
        rb"(/CreationDate|/ModDate) \([^)]*\)|/ID \[[^\]]*\]|<xmp:\w+Date>[^<]*<|D:\d+Z?", b"", pdf
    )


def _mixed_scripts_request() -> object:
    # Latin, CJK, Hebrew and Arabic in the running header, the parties and the signatures:
    # text in several fonts, both directions, the document in German.
    return request_for(
        example("platform_usage_analytics.json"),
        locale="de_DE",
        language="de",
        customer=Party(
            "Nordwind 東京 שלום مرحبا",
            "Nordwind 東京 GmbH",
            billing_address="Friedrichstrasse 10, 10117 Berlin",
            signatory="Jane Buyer",
        ),
    )


def test_the_weasyprint_functions_replaced_are_the_ones_the_settings_were_written_for() -> None:
    import hashlib
    import inspect

    import weasyprint
    import weasyprint.svg as svg_module
    from weasyprint.pdf import fonts
    from weasyprint.text import line_break

    assert use_shared_pango_contexts() and use_whole_svg_text() and use_font_subset_cache()
    assert use_line_break_cache() and use_kept_styles() and use_kept_text_drawing()
    functions = {
        "Layout.setup": line_break.Layout.setup.weasyprint_setup,
        "svg text": svg_module.TAGS["text"].weasyprint_text,
        "Font.clean": fonts.Font.clean.weasyprint_clean,
        "HTML.__init__": weasyprint.HTML.__init__,
        "SVG.draw_node": svg_module.SVG.draw_node,
        **_line_break_functions(),
        **_style_functions(),
        **_drawing_functions(),
    }
    found = {
        name: hashlib.sha256(inspect.getsource(function).encode()).hexdigest()
        for name, function in functions.items()
    }
    assert found == WEASYPRINT_SOURCES


def test_shared_pango_contexts_draw_the_same_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.text import line_break

    request = _mixed_scripts_request()
    shared = render_pdf(request).pdf  # type: ignore[arg-type]
    monkeypatch.setattr(line_break.Layout, "setup", line_break.Layout.setup.weasyprint_setup)
    own = render_pdf(request).pdf  # type: ignore[arg-type]
    assert _normalized(shared) == _normalized(own)


def _words(pdf: bytes, tmp_path: Path) -> list[tuple[str, float, float]]:
    """Each word pdftotext finds: its text and where it starts (x, y in points)."""
    path = tmp_path / "words.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [
        (html.unescape(word), float(x), float(y))
        for x, y, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out
        )
    ]


def test_chart_labels_as_one_run_say_the_same_at_the_same_place(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import weasyprint.svg as svg_module

    request = request_for(example("platform_usage_analytics.json"))
    whole = render_pdf(request, "proposal").pdf
    letter_by_letter = svg_module.TAGS["text"].weasyprint_text
    monkeypatch.setattr(svg_module, "text", letter_by_letter)
    for tag in ("text", "tspan", "textPath"):
        monkeypatch.setitem(svg_module.TAGS, tag, letter_by_letter)
    own = render_pdf(request, "proposal").pdf
    ours, theirs = _words(whole, tmp_path), _words(own, tmp_path)
    assert [w[0] for w in ours] == [w[0] for w in theirs]
    assert "$675K" in [w[0] for w in ours] and "Estimated" in [w[0] for w in ours]
    # Kerning inside a label moves a centred label by a fraction of a point at most.
    for (word, x, y), (_, x2, y2) in zip(ours, theirs, strict=True):
        assert abs(x - x2) < 1.0 and abs(y - y2) < 0.5, word


def test_chart_text_with_letter_positions_is_drawn_letter_by_letter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import weasyprint
    import weasyprint.svg as svg_module

    whole = svg_module.TAGS["text"]
    calls: list[str] = []
    original = whole.weasyprint_text

    def spy(svg: object, node: object, font_size: float) -> None:
        calls.append(node.text)  # type: ignore[attr-defined]
        original(svg, node, font_size)

    monkeypatch.setattr(whole, "weasyprint_text", spy)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 60" width="200">'
        '<text x="5" y="20">plain</text><text x="5 15 25" y="40">xyz</text>'
        '<text x="5" y="55" dx="2">dx</text><text x="90" y="20" rotate="10">rot</text>'
        '<text x="90" y="40" letter-spacing="2">spaced</text></svg>'
    )
    weasyprint.HTML(string=f"<html><body>{svg}</body></html>").write_pdf()
    assert calls == ["xyz", "dx", "rot", "spaced"]


def test_a_cached_font_subset_gives_the_pdf_a_fresh_one_gives() -> None:
    tuning._SUBSETS.clear()  # what earlier tests kept
    tuning._COMPRESSED.clear()
    first = render_pdf(request_for(example("platform_usage_analytics.json"))).pdf
    again = render_pdf(request_for(example("platform_usage_analytics.json"))).pdf
    assert _normalized(first) == _normalized(again)
    kept = dict(tuning._SUBSETS)
    assert kept and all(id(s) in tuning._COMPRESSED for s in kept.values())
    # Other glyphs (Ø, ß, q, z in the name): other subsets, never a kept one that lacks them.
    other = request_for(
        example("platform_usage_analytics.json"), customer=Party("Øresund Straße Quiz")
    )
    cached = render_pdf(other).pdf
    assert set(tuning._SUBSETS) > set(kept)
    tuning._SUBSETS.clear()
    tuning._COMPRESSED.clear()
    fresh = render_pdf(other).pdf
    assert _normalized(cached) == _normalized(fresh)
    assert "Øresund Straße Quiz" in PdfReader(io.BytesIO(fresh)).pages[0].extract_text()


def test_a_kept_subset_is_compressed_once_and_as_zlib_would() -> None:
    subset = bytes(range(256)) * 200
    tuning._SUBSETS[("test",)] = subset
    try:
        first = pydyf.zlib.compressobj(9)
        out = first.compress(subset) + first.flush()
        level6 = zlib.compressobj(6)
        assert out == level6.compress(subset) + level6.flush()
        assert tuning._COMPRESSED[id(subset)] == (subset, out)
        again = pydyf.zlib.compressobj(9)
        assert again.compress(subset) + again.flush() is out  # not compressed again
        other = bytes(bytearray(subset))  # equal bytes, another object: as any stream
        assert other is not subset
        third = pydyf.zlib.compressobj(9)
        assert third.compress(other) + third.flush() == out
        assert id(other) not in tuning._COMPRESSED
    finally:
        tuning._SUBSETS.pop(("test",), None)
        tuning._COMPRESSED.pop(id(subset), None)


# --- the line break cache -----------------------------------------------------------------


def _line_break_functions() -> dict[str, object]:
    from weasyprint.text import fonts, line_break

    return {
        "split_first_line": line_break.split_first_line.weasyprint_split_first_line,
        "first_line_metrics": line_break.first_line_metrics,
        "create_layout": line_break.create_layout,
        "line_size": line_break.line_size,
        "Layout.set_text": line_break.Layout.set_text,
        "Layout.deactivate": line_break.Layout.deactivate,
        "get_font_description": fonts.get_font_description,
    }


def test_the_line_break_cache_keys_on_every_style_property_a_line_break_reads() -> None:
    import inspect

    use_line_break_cache()
    sources = [inspect.getsource(f) for f in _line_break_functions().values()]  # type: ignore[arg-type]
    # Layout.setup is ours (use_shared_pango_contexts); it reads the fonts' properties.
    sources.append(inspect.getsource(use_shared_pango_contexts))
    read = {name for source in sources for name in re.findall(r"style\[['\"](\w+)['\"]\]", source)}
    assert "font_family" in read and "overflow_wrap" in read  # the pattern finds them
    assert read <= set(tuning.LINE_BREAK_STYLE), read - set(tuning.LINE_BREAK_STYLE)


def _kept_lines() -> dict[Any, tuple[Any, ...]]:
    return tuning._lines_of(render_module._stylesheet()[1])


def test_kept_line_breaks_give_the_pdf_weasyprint_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint.layout import inline, preferred
    from weasyprint.text import line_break

    request = _mixed_scripts_request()
    _kept_lines().clear()
    first = render_pdf(request).pdf  # type: ignore[arg-type]
    kept = len(_kept_lines())
    again = render_pdf(request).pdf  # type: ignore[arg-type]
    assert kept > 400 and len(_kept_lines()) == kept  # the second render found every line
    own = line_break.split_first_line.weasyprint_split_first_line
    for module in (line_break, inline, preferred):
        monkeypatch.setattr(module, "split_first_line", own)
    weasyprint_pdf = render_pdf(request).pdf  # type: ignore[arg-type]
    assert _normalized(first) == _normalized(again) == _normalized(weasyprint_pdf)


def test_a_kept_line_break_is_plain_data_and_each_caller_gets_its_own_holder() -> None:
    from weasyprint.text import line_break

    render_pdf(request_for(example("platform_usage_analytics.json")), "contract")
    kept = _kept_lines()
    assert kept
    for answer in kept.values():
        layout, *numbers = answer
        assert all(n is None or isinstance(n, (int, float)) for n in numbers)
        # No Pango object survives in the holder: WeasyPrint made it again to draw.
        assert not hasattr(layout, "layout") and not hasattr(layout, "style")
        assert all(
            value is None or isinstance(value, (str, int, float)) for value in vars(layout).values()
        ), vars(layout)
    key, (layout, *_) = next(iter(kept.items()))
    style = _Style(zip(tuning.LINE_BREAK_STYLE, key[5:], strict=True))
    style.font_config = render_module._stylesheet()[1]
    got = line_break.split_first_line(key[0], style, None, key[1], key[2], key[3], key[4])
    assert got[0] is not layout and vars(got[0]) == vars(layout)
    got[0].text = "changed"
    assert layout.text != "changed"


class _Style(dict):  # type: ignore[type-arg]
    """What split_first_line needs of a style: its values and the font configuration."""

    font_config: object = None


# --- kept styles ----------------------------------------------------------------------------


def _style_functions() -> dict[str, object]:
    import weasyprint.css as css
    from weasyprint.formatting_structure import build

    return {
        "StyleFor.__init__": css.StyleFor.__init__.weasyprint_init,
        "StyleFor.set_computed_styles": css.StyleFor.set_computed_styles,
        "StyleFor.__call__": css.StyleFor.__call__,
        "wrap_table": build.wrap_table,
        "set_viewport_overflow": build.set_viewport_overflow,
    }


def _kept_styles() -> dict[Any, Any]:
    return tuning._styles_of(render_module._stylesheet()[1])


def test_kept_styles_give_the_pdf_weasyprint_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint.css as css

    mixed = _mixed_scripts_request()
    japanese = request_for(example("jpy_consumption_tax_japan.json"), locale="ja_JP", language="ja")
    _kept_styles().clear()
    first = render_pdf(mixed).pdf  # type: ignore[arg-type]
    kept = dict(_kept_styles())
    assert len(kept) > 150
    other = render_pdf(japanese).pdf
    assert len(_kept_styles()) > len(kept)  # its own styles (another language, another root)
    again = render_pdf(mixed).pdf  # type: ignore[arg-type]
    assert all(_kept_styles()[key] is style for key, style in kept.items())
    # A key names its parent's style by id: that style must be kept too (alive, its id its
    # own), or a later object could take the id.
    ids = {id(styles[None]) for styles in _kept_styles().values()}
    assert all(key[0] is None or key[0] in ids for key in _kept_styles())
    monkeypatch.setattr(css.StyleFor, "__init__", css.StyleFor.__init__.weasyprint_init)
    assert _normalized(first) == _normalized(again) == _normalized(render_pdf(mixed).pdf)  # type: ignore[arg-type]
    assert _normalized(other) == _normalized(render_pdf(japanese).pdf)


def test_a_second_render_makes_no_new_element_style() -> None:
    import weasyprint.css as css
    from weasyprint.formatting_structure import boxes

    request = request_for(example("platform_usage_analytics.json"))
    render_pdf(request, "contract")
    kept = dict(_kept_styles())
    document = render_module.laid_out(request, "contract")
    assert _kept_styles().keys() == kept.keys()
    assert all(_kept_styles()[key] is styles for key, styles in kept.items())
    styles = {id(style) for kept_styles in kept.values() for style in kept_styles.values()}
    elements = [box for page in document.pages for box in page._page_box.descendants()]
    made = [
        box
        for box in elements
        if isinstance(box.style, css.ComputedStyle)
        # Pages get their own styles; wrap_table copies a table's before writing to it.
        if not isinstance(box, (boxes.PageBox, boxes.MarginBox, boxes.TableBox))
        if id(box.style) not in styles
    ]
    pseudo = [
        box
        for box in elements
        if "::" in (box.element_tag or "") and isinstance(box.style, css.ComputedStyle)
    ]
    assert pseudo and all(id(box.style) in styles for box in pseudo)  # the clauses' numbers
    assert len(elements) > 500 and made == [], [(b, b.element_tag) for b in made][:5]


def test_a_root_style_whose_overflow_goes_to_the_page_is_made_every_render() -> None:
    # WeasyPrint hands the root's (or body's) overflow to the page and writes "visible" into
    # that element's style: a kept style would give the next render a visible page.
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    for _ in range(2):
        document = HTML(string="<html style='overflow: hidden'><body>x</body></html>").render(
            font_config=fonts
        )
        assert document.pages[0]._page_box.style["overflow"] == "hidden"
    assert not fonts.__dict__.get("quote_builder_styles")  # nothing under that root either
    for _ in range(2):
        document = HTML(string="<body style='overflow: hidden'>x</body>").render(font_config=fonts)
        assert document.pages[0]._page_box.style["overflow"] == "hidden"
    assert fonts.quote_builder_styles  # the other elements' styles were kept


# --- room on the frame stack ----------------------------------------------------------------


def test_with_frame_room_calls_the_function_as_asked() -> None:
    def add(a: int, b: int, *, scale: int = 1) -> int:
        return (a + b) * scale

    assert tuning.with_frame_room(add, 2, 3, scale=10) == 50
    with pytest.raises(ZeroDivisionError):
        tuning.with_frame_room(lambda: 1 / 0)


def _descend(depth: int) -> int:
    return 0 if depth == 0 else _descend(depth - 1) + 1


def _descents(times: int) -> int:
    """Page faults while a 300-frame recursion (about 36 KB of frames) runs ``times``."""
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(times):
        assert _descend(300) == 300
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


@pytest.mark.skipif(
    sys.implementation.name != "cpython" or sys.version_info < (3, 11),
    reason="CPython's frame stack chunks (3.11+)",
)
def test_frames_run_with_room_stop_mapping_new_stack_chunks() -> None:
    # Each descent past the end of CPython's current 16 KiB stack chunk maps a new chunk
    # (and page-faults on it) and unmaps it on the way back; in the room with_frame_room
    # gives, the same descents stay in one chunk.
    assert tuning._ROOMY_RUN.__code__.co_nlocals >= tuning.FRAME_ROOM_SLOTS
    plain = _descents(200)
    roomy = tuning.with_frame_room(_descents, 200)
    assert plain >= 200 and roomy < 100, (plain, roomy)


# --- kept text drawing ------------------------------------------------------------------------


def _drawing_functions() -> dict[str, object]:
    from weasyprint.draw import text
    from weasyprint.pdf.stream import Stream
    from weasyprint.text import line_break

    return {
        "draw_text": text.draw_text.weasyprint_draw_text,
        "draw_first_line": text.draw_first_line,
        "draw_emojis": text.draw_emojis,
        "Stream.add_font": Stream.add_font,
        "Stream.begin_text": Stream.begin_text,
        "Stream.end_text": Stream.end_text,
        "Stream.set_font_size": Stream.set_font_size,
        "Layout.reactivate": line_break.Layout.reactivate,
    }


def _kept_drawing() -> dict[Any, Any]:
    return tuning._drawn_of(render_module._stylesheet()[1])


def _weasyprint_draws_text(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint.draw as draw_module
    from weasyprint.draw import text

    own = text.draw_text.weasyprint_draw_text
    monkeypatch.setattr(text, "draw_text", own)
    monkeypatch.setattr(draw_module, "draw_text", own)


def test_kept_text_drawing_gives_the_pdf_weasyprint_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    mixed = _mixed_scripts_request()
    japanese = request_for(example("jpy_consumption_tax_japan.json"), locale="ja_JP", language="ja")
    _kept_drawing().clear()
    first = render_pdf(mixed).pdf  # type: ignore[arg-type]
    assert len(_kept_drawing()) > 300
    other = render_pdf(japanese).pdf
    kept = len(_kept_drawing())
    again = render_pdf(mixed).pdf  # type: ignore[arg-type]
    assert len(_kept_drawing()) == kept  # every line of it was kept
    _weasyprint_draws_text(monkeypatch)
    assert _normalized(first) == _normalized(again) == _normalized(render_pdf(mixed).pdf)  # type: ignore[arg-type]
    assert _normalized(other) == _normalized(render_pdf(japanese).pdf)


def test_a_line_with_a_glyph_no_font_has_is_drawn_and_logged_by_weasyprint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # WeasyPrint draws .notdef for it, logs it once a line and gives the glyph a width of
    # its own: such a line is never kept, and its log is WeasyPrint's.
    from weasyprint import HTML

    css, fonts = render_module._stylesheet()
    html = "<p>Total \U000f0001 due</p><p>Total \U000f0001 due</p><p>Plain line</p>"

    def render() -> tuple[bytes, list[str]]:
        with render_module.captured_weasyprint_log() as log:
            pdf = HTML(string=html).write_pdf(stylesheets=[css], font_config=fonts)
        return pdf, [line for line in log if ".notdef" in line]

    _kept_drawing().clear()
    ours, our_log = render()
    assert len(our_log) == 2
    assert all("\U000f0001" not in key[0] for key in _kept_drawing())
    assert any(key[0] == "Plain line" for key in _kept_drawing())
    _weasyprint_draws_text(monkeypatch)
    theirs, their_log = render()
    assert our_log == their_log and _normalized(ours) == _normalized(theirs)


def test_a_recorded_width_other_than_the_documents_is_not_kept() -> None:
    real = {7: 500}
    record: dict[int, object] = {}
    widths = tuning._Glyphs(real, record, exact=True)
    assert 7 not in widths  # every glyph is worked out while recording
    widths[8] = 610
    assert real == {7: 500, 8: 610} and record == {8: 610}
    widths[7] = 500
    with pytest.raises(tuning._Unkept):
        widths[7] = 480  # WeasyPrint would kern with the document's 500
    unicode = tuning._Glyphs({7: "a"}, {}, exact=False)
    unicode[7] = "b"  # the first text a document gives a glyph stays (as WeasyPrint does)
    assert unicode.real == {7: "a"} and unicode.record == {7: "b"}
