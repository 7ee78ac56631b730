"""WeasyPrint's native libraries are found without starting processes (issue 16: its
library hunt started about 54 processes per import, 60 % of a cold render)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from quote_builder.documents.native import LD_CACHE, finder, linker_names

CACHE = (
    b"glibc-ld.so.cache1.1\x00libpango-1.0.so.0\x00/usr/lib/x86_64-linux-gnu/libpango-1.0.so.0"
    b"\x00libharfbuzz-subset.so.0\x00libharfbuzz.so.0\x00libc.so.6\x00libcairo.so.2\x00"
    b"libfontconfig.so\x00libfontconfig.so.1\x00"
)


def test_names_are_found_as_cpythons_ldconfig_lookup_finds_them(tmp_path: Path) -> None:
    cache = tmp_path / "ld.so.cache"
    cache.write_bytes(CACHE)
    bundled = tmp_path / "bundle"
    bundled.mkdir()
    (bundled / "libgobject-2.0.so.0").write_bytes(b"")
    find = finder(linker_names(cache, str(bundled)))
    assert find("pango-1.0") == "libpango-1.0.so.0"
    assert find("harfbuzz") == "libharfbuzz.so.0"  # not harfbuzz-subset
    assert find("harfbuzz-subset") == "libharfbuzz-subset.so.0"
    assert find("c") == "libc.so.6"  # not libcairo
    assert find("fontconfig") == "libfontconfig.so.1"  # the versioned name, not the dev link
    assert find("gobject-2.0") == "libgobject-2.0.so.0"  # from LD_LIBRARY_PATH (the bundle)
    assert find("libpango-1.0-0") is None and find("pango-1.0-0") is None


COUNT_PROCESSES = """
import subprocess, sys
started = []
original = subprocess.Popen.__init__
def counting(self, args, *a, **k):
    started.append(args)
    original(self, args, *a, **k)
subprocess.Popen.__init__ = counting
if sys.argv[1] == "app":
    import quote_builder.documents.render
else:
    import weasyprint
print(len(started))
"""


@pytest.mark.skipif(not LD_CACHE.is_file(), reason="no glibc linker cache on this system")
def test_loading_the_renderer_starts_no_process() -> None:
    def processes(mode: str) -> int:
        out = subprocess.run(
            [sys.executable, "-c", COUNT_PROCESSES, mode],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return int(out.split()[-1])

    assert processes("weasyprint") > 0  # the library hunt this avoids
    assert processes("app") == 0


def test_the_fetchers_made_during_the_import_trust_no_certificate() -> None:
    """WeasyPrint's import builds three URL fetchers that Quote Builder never uses; they get
    a TLS context that verifies and trusts nothing (fails closed), not the system store."""
    import http.client
    import ssl

    import quote_builder.documents.render  # noqa: F401 (the import under test)
    from quote_builder.documents.native import _refusing_https_context

    context = _refusing_https_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.get_ca_certs() == [] and context.cert_store_stats()["x509_ca"] == 0
    restored = http.client._create_https_context  # type: ignore[attr-defined]
    assert restored is not _refusing_https_context  # the import put the original back
    assert restored.__module__ == "http.client"
