"""Make quote-builder.ico (Windows) and quote-builder.icns (macOS) from the PNGs, for the
standalone build on those platforms (Pillow, which the build environment has)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"


def main() -> int:
    big = Image.open(ICONS / "quote-builder-512.png")
    big.save(ICONS / "quote-builder.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    big.save(ICONS / "quote-builder.icns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
