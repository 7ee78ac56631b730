"""Where the shipped files are: ``templates/`` and ``resources/``.

From a source checkout they are the top-level folders; in an installed wheel they are
packaged as ``quote_builder/templates`` and ``quote_builder/resources``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE.parent / name, _PACKAGE / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"the {name}/ folder of Quote Builder is missing (looked next to {_PACKAGE})"
    )


def resources_dir() -> Path:
    return _find("resources")


def templates_dir() -> Path:
    return _find("templates")
