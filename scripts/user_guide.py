"""Write the user guide shipped with the app from the README's user sections.

    .venv/bin/python scripts/user_guide.py [--check]

The guide is ``resources/guide/user-guide.md`` (Help → User Guide, F1, shows it; it ships
in the wheel and the standalone build as ``quote_builder/resources/guide``, with the
screenshots in ``images/``). It is the README's sections for users, the window first,
after an opening written here (how to start the app) and without the set-up a developer
needs (``scripts/``, ``.venv``, the tests, the source tree): commands are written
``quote-builder ...``, images point into ``images/``. Each rewrite below must still find
its text in the README, and the result must hold no developer text, or this script stops
and names what to change. ``--check`` compares instead of writing (the tests: the
committed guide must be what the README gives, so the two never drift).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
GUIDE = ROOT / "resources" / "guide" / "user-guide.md"

USER_SECTIONS = (
    "The desktop app",
    "A deal's life: finalise, send, accept, renew",
    "Approvals",
    "Proposal and contract PDFs",
    "Usage evidence",
    "Your data",
    "Pricing a quote",
    "The command line",
)
"""The README's sections (``## ...``) for users, each with its subsections, in the order a
user reads them (the window first, the command line last)."""

OPENING = """\
# Quote Builder user guide

{intro}

## Starting Quote Builder

`quote-builder` (or Quote Builder in your application menu) opens the desktop window on
your database, creating it on the first run, and offers demo data while it is empty.
`quote-builder --db FILE_OR_URL` opens another database (a file that does not exist is
offered for creation; `--create` makes it without asking). Without a display it starts the
text version (the latest quotes). When a window cannot be opened (a stale `DISPLAY` whose X
server is gone, an X server that refuses the connection, as it does to another user's
`sudo`, a system library Qt needs that is not installed or, through `LD_LIBRARY_PATH`, a
damaged copy of one) it says so in one sentence and starts the text version instead.

This guide is in the app: **Help → User Guide** (F1), also offline. `quote-builder
--version` prints the version, and `quote-builder selftest` checks the installation.
"""

REWRITES: tuple[tuple[str, str], ...] = (
    # Said once in the opening; a user has no source checkout.
    ("one. From a source checkout, `scripts/app COMMAND` is the same.", "one."),
    (
        "A quote is a JSON file; [docs/quote-format.md](docs/quote-format.md) describes "
        "every field,\nand `examples/` has one quote per pricing model:",
        "A quote is a JSON file: `quote-builder schema` prints its format (JSON Schema), and\n"
        "`quote-builder quotes export NUMBER -o quote.json` writes a saved quote as one to\n"
        "start from.",
    ),
    ("pilot log\n(`resources/demo/pilot-usage.csv`) to try it on.", "pilot log to try it on."),
    ("examples/outcome_based_support.json", "quote.json"),
    ('(see "Exit status" above)', '(see "Exit status" under The command line)'),
    ("scripts/app", "quote-builder"),
    ("resources/guide/images/", "images/"),
)
"""(README text, guide text), applied in this order; each must match at least once."""

EXAMPLES_TABLE = re.compile(r"\n\| file \| model \| category \|\n(?:\|.*\|\n)+")
"""The README's table of the source's example files (not installed with the app)."""

DEVELOPER_TEXT = re.compile(
    r"scripts/|\.venv|pyproject|pytest|ruff|mypy|docs/|examples/|resources/|source checkout"
    r"|QUOTE_BUILDER_TEST_PG|\.ci/|For developers"
)


class GuideError(Exception):
    pass


def _sections(readme: str) -> dict[str, str]:
    """The README's ``## `` sections by title, each with its text up to the next one."""
    parts = re.split(r"^## (.+)\n", readme, flags=re.MULTILINE)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def _intro(readme: str) -> str:
    """The README's opening paragraphs (what the app does), without its status note."""
    head = readme.split("\n## ", 1)[0]
    paragraphs = [p for p in head.split("\n\n")[1:] if p.strip() and not p.startswith(">")]
    return "\n\n".join(p.strip() for p in paragraphs)


def guide_text(readme: str) -> str:
    sections = _sections(readme)
    missing = [title for title in USER_SECTIONS if title not in sections]
    if missing:
        raise GuideError(
            f"the README has no section {', '.join(repr(t) for t in missing)}: update "
            "USER_SECTIONS in scripts/user_guide.py"
        )
    body = "".join(f"## {title}\n{sections[title]}" for title in USER_SECTIONS)
    body, tables = EXAMPLES_TABLE.subn("\n", body)
    if tables != 1:
        raise GuideError("the README's table of example files was not found once")
    for old, new in REWRITES:
        if old not in body:
            raise GuideError(
                f"the README no longer holds {old!r}: update REWRITES in scripts/user_guide.py"
            )
        body = body.replace(old, new)
    text = OPENING.format(intro=_intro(readme)) + "\n" + body.rstrip() + "\n"
    text = re.sub(r"\n{3,}", "\n\n", text)
    for number, line in enumerate(text.splitlines(), start=1):
        found = DEVELOPER_TEXT.search(line)
        if found:
            raise GuideError(
                f"line {number} of the guide holds developer text ({found.group(0)!r}): "
                f"{line.strip()}; say it for users in the README, or rewrite it in "
                "scripts/user_guide.py"
            )
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed guide, write nothing"
    )
    args = parser.parse_args(argv)
    try:
        text = guide_text(README.read_text("utf-8"))
    except GuideError as exc:
        print(f"user guide: {exc}", file=sys.stderr)
        return 1
    if args.check:
        current = GUIDE.read_text("utf-8") if GUIDE.is_file() else ""
        if current != text:
            print(
                f"user guide: {GUIDE.relative_to(ROOT)} is not what the README gives: run "
                ".venv/bin/python scripts/user_guide.py",
                file=sys.stderr,
            )
            return 1
        return 0
    GUIDE.parent.mkdir(parents=True, exist_ok=True)
    GUIDE.write_text(text, "utf-8")
    print(f"wrote {GUIDE.relative_to(ROOT)} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
