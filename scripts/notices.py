"""Write the third-party notices of Quote Builder from the installed packages' metadata.

    .venv/bin/python scripts/notices.py [--lock requirements/app.lock] [--out PATH] [--check]

Every package that ``requirements/app.lock`` pins for this platform (what the app runs on,
not the developer tools) is listed with its version, licence and home page, followed by
the text of every licence file its distribution carries. PySide6 and shiboken6 carry none,
so the LGPL and GPL texts come from packaging/licenses/. ``--check`` compares instead of
writing (tests and CI: the committed file must match the lock). The standalone build runs
this again in its own environment (its platform may pin other packages, e.g. tzdata on
Windows) and adds the native libraries and the Python runtime it bundles.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "resources" / "legal" / "THIRD-PARTY-NOTICES.txt"
LICENSE_FILE = re.compile(r"(licen[cs]e|copying|notice|authors)", re.IGNORECASE)
QT_PACKAGES = {"pyside6-essentials", "pyside6-pdf", "shiboken6"}
FONTS = ROOT / "resources" / "fonts"

LGPL_NOTE = """\
Qt for Python (PySide6, with the Qt libraries inside its wheels) and shiboken6 are used
under the GNU Lesser General Public License version 3; psycopg under the same licence.
Quote Builder uses them as separate, unmodified libraries: in the wheel they are ordinary
Python packages installed beside it, in the standalone build they are separate files in
its folder (_internal/PySide6, _internal/psycopg*). You may replace them with a compatible
version of your own (pip install into the environment, or replace the files in the
folder). Their source code is available from their projects:
  Qt for Python  https://code.qt.io/cgit/pyside/pyside-setup.git/ (tag v{qt})
  Qt             https://download.qt.io/official_releases/qt/ (the Qt version of PySide6 {qt})
  psycopg        https://github.com/psycopg/psycopg (tag {psycopg})
The exact versions are listed above."""

FONTS_NOTE = """\
The fonts embedded in PDFs (resources/fonts) are Inter and Noto Sans, under the SIL Open
Font License 1.1; their licence texts follow in the "fonts" section."""


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(lock: Path) -> list[tuple[str, str]]:
    """(name, version) of every pin in the lock whose marker holds on this platform."""
    pins = []
    for line in lock.read_text("utf-8").splitlines():
        if not line or line[0] in " #-":
            continue
        req = Requirement(line.rstrip(" \\"))
        if req.marker is not None and not Marker(str(req.marker)).evaluate():
            continue
        (spec,) = req.specifier
        pins.append((_norm(req.name), spec.version))
    return sorted(pins)


def licence_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    if meta.get("License-Expression"):
        return str(meta["License-Expression"])
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) <= 80:
        return text
    classifiers = [
        c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")
    ]
    return "; ".join(classifiers) or "see the licence text below"


def home_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    if meta.get("Home-page"):
        return str(meta["Home-page"])
    for url in meta.get_all("Project-URL") or []:
        label, _, link = url.partition(",")
        if label.strip().lower() in ("homepage", "home", "source", "repository", "code"):
            return link.strip()
    urls = meta.get_all("Project-URL") or []
    return urls[0].partition(",")[2].strip() if urls else ""


def licence_files(dist: metadata.Distribution) -> list[tuple[str, str]]:
    found = []
    for file in dist.files or []:
        parts = file.parts
        if ".dist-info" not in parts[0] or not LICENSE_FILE.search(file.name):
            continue
        found.append((file.name, Path(str(dist.locate_file(file))).read_text("utf-8", "replace")))
    return sorted(found)


def notices(lock: Path, title: str) -> str:
    pins = pinned(lock)
    rows, texts = [], []
    versions = {}
    for name, version in pins:
        dist = metadata.distribution(name)
        if dist.version != version:
            raise SystemExit(
                f"{name} {dist.version} is installed but {lock.name} pins {version}: "
                "run scripts/bootstrap first"
            )
        versions[name] = version
        rows.append((name, version, licence_of(dist), home_of(dist)))
        files = licence_files(dist)
        if name in QT_PACKAGES:
            files = [
                ("LGPL-3.0.txt", (ROOT / "packaging/licenses/LGPL-3.0.txt").read_text("utf-8")),
                ("GPL-3.0.txt", (ROOT / "packaging/licenses/GPL-3.0.txt").read_text("utf-8")),
            ]
        texts.append((f"{name} {version}", files))
    fonts = [(p.name, p.read_text("utf-8")) for p in sorted(FONTS.glob("LICENSE-*.txt"))]
    texts.append(("fonts (Inter, Noto Sans)", fonts))

    width = max(len(r[0]) for r in rows)
    out = [
        title,
        "",
        f"Generated by scripts/notices.py from the installed packages' metadata and {lock.name};",
        "do not edit by hand. Quote Builder's own licence is in LICENSE.",
        "",
        "Package".ljust(width) + "  Version      Licence",
    ]
    for name, version, lic, home in rows:
        out.append(f"{name.ljust(width)}  {version:<12} {lic}")
        if home:
            out.append(f"{'':{width}}  {'':12} {home}")
    out += [
        "",
        "LGPL components",
        LGPL_NOTE.format(
            qt=versions.get("pyside6-essentials", "?"), psycopg=versions.get("psycopg", "?")
        ),
        "",
        "Fonts",
        FONTS_NOTE,
        "",
        "Licence texts (a text shared by several packages is printed once)",
    ]
    seen: dict[str, str] = {}
    for heading, files in texts:
        out += ["", "=" * 88, heading, "=" * 88]
        if not files:
            out.append("(the package carries no licence file; its licence is named above)")
        for filename, text in files:
            digest = hashlib.sha256(text.strip().encode()).hexdigest()
            if digest in seen:
                out.append(f"--- {filename}: the same text as {seen[digest]}")
                continue
            seen[digest] = f"{heading}, {filename}"
            out += [f"--- {filename}", text.strip()]
    return "\n".join(line.rstrip() for line in out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements" / "app.lock")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--extra", type=Path, help="a file to append (the build's native libraries)"
    )
    parser.add_argument("--check", action="store_true", help="fail when the file differs")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from quote_builder import __version__

    text = notices(args.lock, f"Third-party software in Quote Builder {__version__}")
    if args.extra:
        # A section of its own (its first line the heading), as the packages' are: the
        # About box lists it on its own row instead of inside the last package's text.
        heading, _, rest = args.extra.read_text("utf-8").strip().partition("\n")
        text += "\n" + "\n".join(["=" * 88, heading, "=" * 88, rest.strip(), ""])
    if args.check:
        if not args.out.is_file() or args.out.read_text("utf-8") != text:
            print(
                f"{args.out} is out of date: run .venv/bin/python scripts/notices.py",
                file=sys.stderr,
            )
            return 1
        return 0
    args.out.write_text(text, "utf-8")
    print(
        f"wrote {args.out} ({len(text) // 1024} KiB, {text.count(chr(10))} lines)", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
