"""The render's speed settings (documents/tuning.py) leave the document as it was: streams
still Flate-compressed (at level 6), the garbage collector back as it was after a render."""

from __future__ import annotations

import gc
import io
import zlib
from types import SimpleNamespace

import pydyf
import pytest
from pypdf import PdfReader

from quote_builder.documents import render as render_module
from quote_builder.documents.render import render_pdf
from quote_builder.documents.tuning import (
    STREAM_COMPRESSION_LEVEL,
    paused_gc,
    use_stream_compression,
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
