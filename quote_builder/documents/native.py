"""Import WeasyPrint without its library hunt and its certificate loading.

WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject through cffi under several names
each (``libpango-1.0-0``, ``pango-1.0-0``, ``pango-1.0``, ...). For each name that is not a
file, cffi calls ``ctypes.util.find_library``, which on Linux runs ``ldconfig -p`` and then
``gcc`` and ``ld`` to look for the library: about 54 processes per import, 60 % of a cold
``render``. :func:`quick_library_lookup` answers those lookups from the dynamic linker's
own cache file (``/etc/ld.so.cache``) and the folders of ``LD_LIBRARY_PATH`` (where the
standalone build keeps its copies) without starting a process. The answer is the same
kind as ``find_library``'s on Linux: a file name (``libpango-1.0.so.0``) that ``dlopen``
then resolves as it always does. Elsewhere (Windows, macOS) nothing changes.

WeasyPrint's import also parses its three user-agent stylesheets, each with a default URL
fetcher whose HTTPS handler loads the system's certificate store (60 ms of CPU each time,
180 ms per cold command). Quote Builder never fetches anything over the network (its own
``LockedURLFetcher`` serves only shipped files), so :func:`fast_weasyprint_import` gives
those fetchers a TLS context with no trusted certificate at all: one that could only
refuse a connection, never accept an unverified one.
"""

from __future__ import annotations

import ctypes.util
import http.client
import os
import re
import ssl
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LD_CACHE = Path("/etc/ld.so.cache")
_SONAME = re.compile(rb"(lib[A-Za-z0-9_.+-]+?\.so(?:\.[0-9]+)*)\x00")


def linker_names(cache: Path = LD_CACHE, folders: str | None = None) -> list[str]:
    """Every shared library file name the dynamic linker knows, sorted: those in the
    ``LD_LIBRARY_PATH`` folders first (they win in ``dlopen`` too), then the cache's."""
    folders = os.environ.get("LD_LIBRARY_PATH", "") if folders is None else folders
    found: list[str] = []
    for folder in filter(None, folders.split(os.pathsep)):
        try:
            found += sorted(p.name for p in Path(folder).iterdir() if ".so" in p.name)
        except OSError:
            continue
    data = cache.read_bytes()
    found += sorted({m.group(1).decode("ascii").rsplit("/", 1)[-1] for m in _SONAME.finditer(data)})
    return found


def finder(names: list[str]) -> Callable[[str], str | None]:
    """A ``find_library`` over ``names``: ``lib<name>.so...`` as CPython's ldconfig lookup
    matches it (``pango-1.0`` -> ``libpango-1.0.so.0``), preferring a versioned file name
    (the one a program links against) to a development symlink."""

    def find_library(name: str) -> str | None:
        prefix = f"lib{name}."
        matches = [n for n in names if n.startswith(prefix) and ".so" in n[len(prefix) - 1 :]]
        if not matches:
            return None
        versioned = [n for n in matches if not n.endswith(".so")]
        return (versioned or matches)[0]

    return find_library


@contextmanager
def quick_library_lookup() -> Iterator[None]:
    """Within the block, ``ctypes.util.find_library`` reads the linker's cache instead of
    starting ldconfig, gcc and ld (Linux with glibc; a no-op elsewhere)."""
    if not sys.platform.startswith("linux") or not LD_CACHE.is_file():
        yield
        return
    try:
        names = linker_names()
    except OSError:
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = finder(names)  # type: ignore[assignment]
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _refusing_https_context(http_version: int | None = None) -> ssl.SSLContext:
    """Verifies certificates and hostnames, and trusts none: every HTTPS fetch fails."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


@contextmanager
def fast_weasyprint_import() -> Iterator[None]:
    """Import WeasyPrint inside this block: libraries from the linker cache
    (:func:`quick_library_lookup`) and no certificate store loaded for fetchers that are
    never used."""
    original = getattr(http.client, "_create_https_context", None)
    if original is not None:
        http.client._create_https_context = _refusing_https_context  # type: ignore[attr-defined]
    try:
        with quick_library_lookup():
            yield
    finally:
        if original is not None:
            http.client._create_https_context = original  # type: ignore[attr-defined]
