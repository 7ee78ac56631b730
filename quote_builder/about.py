"""What Help → About and ``quote-builder --version`` show: the version, Quote Builder's own
licence and the third-party notices (no Qt here; the About box formats these).

The texts are files in ``resources/legal`` (shipped in the wheel and the standalone build;
``scripts/notices.py`` writes the notices from the installed packages' metadata).
"""

from __future__ import annotations

import platform
import re
import sys

from quote_builder import __version__
from quote_builder.paths import resources_dir

APP_NAME = "Quote Builder"
DISTRIBUTION = "quote-builder"
APP_ID = "org.quotebuilder.QuoteBuilder"
"""The reverse-DNS id of the desktop entry, the AppStream metadata and the icon files."""


def version() -> str:
    """Quote Builder's version, e.g. ``0.1.0``."""
    return __version__


def is_frozen() -> bool:
    """True in the standalone (PyInstaller) build."""
    return bool(getattr(sys, "frozen", False))


def version_line() -> str:
    """One line for ``--version`` and the About box, e.g. ``Quote Builder 0.1.0 (Python
    3.12.1, Linux x86_64, standalone build)``."""
    build = "standalone build" if is_frozen() else "Python package"
    return (
        f"{APP_NAME} {__version__} (Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {build})"
    )


def license_text() -> str:
    """Quote Builder's own licence (the LICENSE file)."""
    return (resources_dir() / "legal" / "LICENSE.txt").read_text("utf-8")


def third_party_notices() -> str:
    """Every third-party component with its version, licence, home page and licence text
    (plain text, about 300 KiB: show it in a scrolling, read-only text view)."""
    return (resources_dir() / "legal" / "THIRD-PARTY-NOTICES.txt").read_text("utf-8")


def third_party_summary() -> list[tuple[str, str, str]]:
    """(package, version, licence) rows of the notices' table, for a short list in the
    About box; the full texts are in :func:`third_party_notices`."""
    rows: list[tuple[str, str, str]] = []
    lines = third_party_notices().splitlines()
    try:
        start = lines.index(next(line for line in lines if line.startswith("Package ")))
    except StopIteration:
        return rows
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        if line.startswith(" "):
            continue  # the home page under a row
        name, version_, licence = line.split(None, 2)
        rows.append((name, version_, licence))
    return rows


_SECTION = re.compile(r"^={20,}\n([^\n]+)\n={20,}\n", re.MULTILINE)
_FILE = re.compile(
    r"^--- (?P<file>[^\n:]+?)(?:: the same text as (?P<source>.+), (?P<of>[^,\n]+))?$", re.MULTILINE
)


def notice_sections() -> list[tuple[str, str]]:
    """The notices' licence-text sections as (heading, text): ``psycopg 3.3.9``, ...,
    ``fonts (Inter, Noto Sans)`` and, in the standalone build, the Python runtime and the
    native libraries it carries. A text the notices print once for several packages
    ("--- LICENSE: the same text as aiosignal 1.4.0, LICENSE") is given in full in each."""
    parts = _SECTION.split(third_party_notices())
    sections = [(parts[i].strip(), parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2)]
    files: dict[tuple[str, str], str] = {}
    for heading, text in sections:
        marks = list(_FILE.finditer(text))
        for n, mark in enumerate(marks):
            if mark.group("source") is None:
                end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
                files[(heading, mark.group("file"))] = text[mark.end() : end].strip()

    def whole(mark: re.Match[str]) -> str:
        if mark.group("source") is None:
            return mark.group(0)
        shared = files.get((mark.group("source"), mark.group("of")))
        if shared is None:
            return mark.group(0)
        return f"--- {mark.group('file')}\n{shared}\n"

    return [(heading, _FILE.sub(whole, text).strip()) for heading, text in sections]


def licence_texts() -> dict[str, str]:
    """Each third-party package's licence texts from the notices, by package name (the
    sections headed ``NAME VERSION``)."""
    texts: dict[str, str] = {}
    for heading, text in notice_sections():
        name, _, rest = heading.partition(" ")
        if rest and " " not in rest:
            texts[name] = text
    return texts
