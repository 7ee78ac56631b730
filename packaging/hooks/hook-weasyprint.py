"""WeasyPrint's PyInstaller hook, made robust (this folder is the spec's hookspath, which
takes precedence over pyinstaller-hooks-contrib).

The contributed hook finds Pango, HarfBuzz and fontconfig with ctypes.util.find_library;
on Linux CPython's gcc fallback raises (instead of returning None) when a static archive
such as libfontconfig.a sits beside the shared library (libfontconfig1-dev installed),
and the contributed hook then gives up and collects no library at all. Here each lookup
that raises counts as "not found" and the contributed hook runs as it is.
"""

import ctypes.util
import runpy
from pathlib import Path

import _pyinstaller_hooks_contrib

_find_library = ctypes.util.find_library


def _find_library_or_none(name):
    try:
        return _find_library(name)
    except OSError:
        return None


ctypes.util.find_library = _find_library_or_none
try:
    _hook = runpy.run_path(
        str(Path(_pyinstaller_hooks_contrib.__file__).parent / "stdhooks" / "hook-weasyprint.py")
    )
finally:
    ctypes.util.find_library = _find_library

datas = _hook["datas"]
binaries = _hook["binaries"]
