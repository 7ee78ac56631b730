"""What an installation carries (issue 16): the wheel holds every file the app reads, the
dependencies are locked, the licences and notices are current, the desktop files agree."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from quote_builder import __version__, about

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "requirements"
LINUX = ROOT / "packaging" / "linux"


def _pins(lock: str) -> dict[str, str]:
    text = (LOCKS / lock).read_text()
    return dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==([^\s;]+)", text, re.MULTILINE))


def test_every_file_the_app_reads_is_in_the_wheel(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("quote_builder-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        f"quote_builder/{folder}/{path.relative_to(ROOT / folder).as_posix()}"
        for folder in ("templates", "resources")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and path.name != "README.md"
    }
    assert expected - names == set()
    translations = {
        f"quote_builder/{path.relative_to(ROOT / 'quote_builder').as_posix()}"
        for path in (ROOT / "quote_builder" / "locale").glob("*/LC_MESSAGES/*.mo")
    }
    assert translations >= {
        "quote_builder/locale/de/LC_MESSAGES/ui.mo",
        "quote_builder/locale/fr/LC_MESSAGES/ui.mo",
    }
    assert translations - names == set()  # the interface in German and French (issue 18)
    assert {
        "quote_builder/resources/demo/pilot-usage.csv",  # the demo's usage log (issue 16)
        "quote_builder/resources/legal/THIRD-PARTY-NOTICES.txt",
        "quote_builder/resources/icons/quote-builder-256.png",
        "quote_builder/store/migrations/script.py.mako",
    } <= names
    assert f"quote_builder-{__version__}.dist-info/licenses/LICENSE" in names


def test_the_licence_shipped_is_the_repositorys() -> None:
    assert (ROOT / "LICENSE").read_text() == about.license_text()


def test_the_notices_match_the_lock_and_name_the_lgpl_components() -> None:
    notices = about.third_party_notices()
    rows = {name: (version, licence) for name, version, licence in about.third_party_summary()}
    pins = _pins("app.lock")
    for name in ("pyside6-essentials", "pyside6-pdf", "shiboken6", "psycopg", "weasyprint"):
        assert rows[name][0] == pins[name]
    assert rows["pyside6-essentials"][1].startswith("LGPL-3.0-only")
    assert rows["psycopg"][1] == "LGPL-3.0-only"
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in notices and "SIL OPEN FONT LICENSE" in notices
    assert set(rows) <= set(pins)  # nothing listed that the app does not run on


def test_the_committed_notices_are_what_the_script_writes() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "notices.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_the_locks_pin_only_the_qt_wheels_the_code_imports() -> None:
    for lock in ("app.lock", "build.lock", "dev.lock"):
        pins = _pins(lock)
        assert "pyside6" not in pins and "pyside6-addons" not in pins, lock
        assert "pyside6-webengine" not in pins, lock
        assert pins["weasyprint"].startswith("70."), lock
    # Every Qt module the code imports is in the two wheels installed.
    imported = set()
    for path in (ROOT / "quote_builder").rglob("*.py"):
        imported |= set(re.findall(r"from PySide6\.(Qt\w+) import", path.read_text()))
    import importlib.metadata as md

    shipped = set()
    for dist in ("pyside6-essentials", "pyside6-pdf"):
        for file in md.files(dist) or []:
            match = re.fullmatch(r"PySide6/(Qt\w+)\.(abi3\.so|pyd|.*\.so)", file.as_posix())
            if match:
                shipped.add(match.group(1))
    assert imported and imported <= shipped


def test_every_pin_has_hashes() -> None:
    for lock in ("app.lock", "build.lock", "dev.lock"):
        entries = re.split(r"\n(?=[a-z0-9])", (LOCKS / lock).read_text())
        pins = [e for e in entries if "==" in e.split("\n")[0]]
        assert pins and all("--hash=sha256:" in e for e in pins), lock
    app, dev = _pins("app.lock"), _pins("dev.lock")
    assert {name: dev[name] for name in app} == app  # one resolution for both


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_icon_comes_in_every_size() -> None:
    from quote_builder.ui.icon import SIZES

    folder = ROOT / "resources" / "icons"
    for size in SIZES:
        assert _png_size(folder / f"quote-builder-{size}.png") == (size, size)
    assert "<svg" in (folder / "quote-builder.svg").read_text()


def test_the_desktop_entry_and_the_appstream_metadata_agree() -> None:
    desktop = (LINUX / f"{about.APP_ID}.desktop").read_text()
    metainfo = (LINUX / f"{about.APP_ID}.metainfo.xml").read_text()
    assert f"Icon={about.APP_ID}" in desktop and "Exec=quote-builder gui" in desktop
    assert f"<id>{about.APP_ID}</id>" in metainfo
    assert f'<launchable type="desktop-id">{about.APP_ID}.desktop</launchable>' in metainfo
    assert f'<release version="{__version__}"' in metainfo


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="no desktop-file-utils")
def test_the_desktop_entry_validates() -> None:
    subprocess.run(["desktop-file-validate", str(LINUX / f"{about.APP_ID}.desktop")], check=True)


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="no appstreamcli")
def test_the_appstream_metadata_validates() -> None:
    subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(LINUX / f"{about.APP_ID}.metainfo.xml")],
        check=True,
        capture_output=True,
    )


def test_version_line_names_the_version_and_the_build() -> None:
    line = about.version_line()
    assert line.startswith(f"Quote Builder {__version__} (Python ") and "Python package" in line


def test_the_standalone_build_excludes_no_module_the_code_imports() -> None:
    # The spec excluded QtNetwork, which one-app-per-database (ui/single_instance.py)
    # imports: the standalone build's window died at start (the CI install test found it).
    spec = (ROOT / "packaging" / "quote-builder.spec").read_text()
    block = re.search(r"^excludes = \[(.*?)^\]", spec, re.MULTILINE | re.DOTALL)
    assert block is not None
    excluded = set(re.findall(r'"([\w.]+)"', block.group(1)))
    assert "PySide6.QtQml" in excluded  # the list was read
    imported = set()
    for path in (ROOT / "quote_builder").rglob("*.py"):
        text = path.read_text()
        imported |= {f"PySide6.{m}" for m in re.findall(r"from PySide6\.(Qt\w+) import", text)}
        imported |= set(re.findall(r"^\s*(?:from|import) ([a-zA-Z_][\w.]*)", text, re.MULTILINE))
    assert not (excluded & imported), excluded & imported
