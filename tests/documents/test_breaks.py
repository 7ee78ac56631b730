"""A reviewer looked at every page of the examples and the demo quotes: where a page or a
line breaks. A total row alone under the repeated header, a heading with one bullet at a
page's foot, "2006/112/ EC", "l'année / 1", Japanese labels broken inside a word, KPI
figures in two sizes, and "(... period.)." (tests/documents/test_layout.py holds the
checks of laid-out pages these use)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from quote_builder.documents import RenderRequest
from quote_builder.documents.render import laid_out
from quote_builder.pricing.languages import DEFAULT_LOCALES
from quote_builder.store.database import Database

from .conftest import example, request_for
from .test_layout import layout_problems


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo database as ``quote-builder --create demo`` makes it on 1 December 2026."""
    from quote_builder.services.demo import seed_demo
    from quote_builder.store.database import open_database

    db = open_database(str(tmp_path_factory.mktemp("demo") / "demo.db"))
    try:
        seed_demo(db, actor="test", today=dt.date(2026, 12, 1))
        yield db
    finally:
        db.close()


def saved(db: Database, number: str, language: str) -> RenderRequest:
    """What ``quote-builder render NUMBER --language LANGUAGE`` renders (issued on the day
    the demo was made)."""
    from quote_builder.services.documents import _saved_request, final_state
    from quote_builder.services.quotes import find_quote, open_version

    row = find_quote(db, number)
    request = _saved_request(
        db, row, open_version(db, row.id), final_state(db, number), language=language
    )
    return dataclasses.replace(request, issued=dt.date(2026, 12, 1))


# --- 1, 2. a total row with its rows, a heading with two lines of what follows ------------


@pytest.mark.parametrize("language", ["de", "ja"])
def test_the_assumptions_heading_keeps_with_two_of_its_items(demo: Database, language: str) -> None:
    """Q-2026-0003's proposal ended page 5 with "Assumptions" and one bullet under it."""
    assert layout_problems(laid_out(saved(demo, "Q-2026-0003", language), "both")) == []


def test_a_total_row_keeps_with_two_rows() -> None:
    """seats_ai_tiers_coding_individual's invoice schedule in German left its total under
    one row on the next page."""
    request = request_for(
        example("seats_ai_tiers_coding_individual.json"), language="de", locale="de_DE"
    )
    assert layout_problems(laid_out(request, "contract")) == []


def test_every_language_of_every_demo_quote(demo: Database) -> None:
    """No heading keeps with fewer than two lines, no total with fewer than two rows, no
    small table split, in any language of the demo quotes."""
    from quote_builder.services.quotes import list_quotes

    problems = {}
    for row in list_quotes(demo, limit=100).rows:
        for language in DEFAULT_LOCALES:
            found = layout_problems(laid_out(saved(demo, row.number, language), "both"))
            if found:
                problems[(row.number, language)] = found
    assert problems == {}


OLD_BREAKS = (
    "<style>table.grid tfoot, table tbody tr:last-child, li:last-child"
    " { break-before: auto !important }"
    " table tbody tr:first-child, :is(h1, h2, h3) + p:not(.lead),"
    " :is(h1, h2, h3) + :is(ul, ol) > li:first-child { break-after: auto !important }</style>"
)
"""print.css's keeps of tables and lists undone (as before them)."""


def test_the_pages_check_sees_a_lone_total_and_a_heading_with_one_line(
    demo: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the old rules (no keep on a table's last rows, its total or a heading's first
    item) both pages the reviewer saw are reported: the checks are not vacuous."""
    from quote_builder.documents import render as render_module

    original = render_module.render_html

    def old_breaks(*args: object, **kwargs: object) -> str:
        html = original(*args, **kwargs)  # type: ignore[arg-type]
        return html.replace("</head>", OLD_BREAKS + "</head>", 1)

    monkeypatch.setattr(render_module, "render_html", old_breaks)
    assert layout_problems(laid_out(saved(demo, "Q-2026-0003", "de"), "both")) == [
        "heading 'Annahmen' keeps one line on page 5"
    ]
    request = request_for(
        example("seats_ai_tiers_coding_individual.json"), language="de", locale="de_DE"
    )
    assert layout_problems(laid_out(request, "contract")) == [
        "total 'Gesamtvertragswert6.420,00 $' on page 3 with 1 row(s) above it"
    ]
