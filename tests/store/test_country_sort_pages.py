"""The customer list sorted by country, page by page: the same customers in the same order
as sorting every row (the interface's country order, then each country's customers by id;
countries it does not list after them by their stored text), with the search text and the
archived filter, ascending and descending, for every page size and offset. Pins the order
any faster way of reading a page must keep (docs/performance.md, "Sorted by country")."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert

from quote_builder.services.customers import search_customers
from quote_builder.store import repositories as repo
from quote_builder.store.database import Database
from quote_builder.store.models import Customer

COUNTRIES = ["Germany", "Austria", "Egypt", "Cyprus", "Switzerland", "Atlantis", ""]
SHOWN = {  # the German interface's names: the order the list must follow
    "Germany": "Deutschland",
    "Austria": "Österreich",
    "Egypt": "Ägypten",
    "Cyprus": "Zypern",
    "Switzerland": "Schweiz",
}


def german_key(country: str) -> str:
    """Stands for the UI's collation key: Ä and Ö with A and O."""
    shown = SHOWN.get(country, country)
    return shown.replace("Ä", "A").replace("Ö", "O").casefold()


def fill(db: Database) -> list[dict]:
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    rows = [
        {
            "id": i,
            "name": f"{rng.choice(['Acme', 'Globex', 'Initech'])} {i}",
            "currency": "EUR",
            "country": rng.choice(COUNTRIES[:3] * 4 + COUNTRIES[3:]),  # some countries rare
            "archived": rng.random() < 0.2,
            "version_id": 1,
            "created_at": now,
            "updated_at": now,
            "updated_by": "loader",
        }
        for i in range(1, 121)
    ]
    with db.write() as session:
        session.connection().execute(insert(Customer), rows)
    return rows


def interface_order(rows: list[dict], *, listed_all: bool = False) -> list[str]:
    """The stored countries (a blank one too) in the interface's order; without "Atlantis"
    unless ``listed_all``: a country it does not list sorts after those it lists."""
    stored = {r["country"] for r in rows}
    return sorted(stored if listed_all else stored - {"Atlantis"}, key=german_key)


def expected(
    rows: list[dict], *, text: str, archived: bool, descending: bool, listed_all: bool = False
) -> list[int]:
    listed = interface_order(rows, listed_all=listed_all)
    rank = {c: i for i, c in enumerate(listed)}

    def place(row: dict) -> tuple[int, str]:
        return (rank.get(row["country"], len(rank)), row["country"])

    kept = [
        r
        for r in rows
        if (archived or not r["archived"]) and text.casefold() in r["name"].casefold()
    ]
    groups: dict[tuple[int, str], list[int]] = {}
    for row in kept:
        groups.setdefault(place(row), []).append(row["id"])
    order = sorted(groups, reverse=descending)
    return [i for key in order for i in sorted(groups[key])]


def test_every_page_of_the_country_sort_is_the_slice_of_the_whole_order(db: Database) -> None:
    rows = fill(db)
    for text in ("", "globex"):
        for archived in (False, True):
            for descending in (False, True):
                want = expected(rows, text=text, archived=archived, descending=descending)
                assert len(want) > 20
                for limit in (1, 7, 50, 200):
                    for offset in range(0, len(want) + 3, 5 if limit > 1 else 1):
                        with db.read() as session:
                            got = [
                                c.id
                                for c in repo.search_customers(
                                    session,
                                    text=text,
                                    include_archived=archived,
                                    sort="country",
                                    descending=descending,
                                    offset=offset,
                                    limit=limit,
                                    country_order=interface_order(rows),
                                )
                            ]
                        assert got == want[offset : offset + limit], (
                            text,
                            archived,
                            descending,
                            limit,
                            offset,
                        )
    # The service (the UI's call) lists every stored country, Atlantis among them.
    everything = expected(rows, text="", archived=True, descending=False, listed_all=True)
    page = search_customers(
        db, include_archived=True, sort="country", limit=500, country_key=german_key
    )
    assert [c.id for c in page.rows] == everything
