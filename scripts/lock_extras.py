"""Print the installed distributions that a lock file does not pin (scripts/bootstrap
removes them). The project itself, pip and uv (scripts/lock's tool) are kept."""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

KEEP = {"quote-builder", "pip", "uv"}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(lock: Path) -> set[str]:
    names = set()
    for line in lock.read_text("utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", line)
        if match:
            names.add(normalise(match.group(1)))
    return names


def main() -> int:
    want = pinned(Path(sys.argv[1])) | KEEP
    installed = {normalise(d.metadata["Name"]) for d in metadata.distributions()}
    print(" ".join(sorted(installed - want)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
