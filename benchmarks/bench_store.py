"""Store speed at scale: 100,000 customers and 200,000 quote versions in SQLite.

Targets (issue 3): customer search by name fragment median <= 50 ms; first page of the
quote list (50 rows, sorted by last change) <= 100 ms; database open + migration check
<= 300 ms. Each figure goes through the service layer, as the app calls it (a search
returns a page and the total count).

Run: .venv/bin/python benchmarks/bench_store.py [--db /tmp/bench.db] [--keep]
(the first run fills the database, about a minute; --keep reuses it next time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time
from pathlib import Path

from sqlalchemy import insert

from quote_builder.pricing import canonical_json, content_hash
from quote_builder.pricing.quote_format import quote_from_data
from quote_builder.services.customers import search_customers
from quote_builder.services.quotes import list_quotes
from quote_builder.store.database import open_database
from quote_builder.store.models import (
    Customer,
    Quote,
    QuoteVersion,
    customer_name_key,
    customer_search_key,
)

CUSTOMERS = 100_000
# Where the customers are: a few big markets, a long tail, some without a country.
COUNTRIES = ["United States", "Germany", "United Kingdom", "France", "Japan", "Canada", ""] + [
    "Austria",
    "Belgium",
    "Brazil",
    "Chile",
    "Cyprus",
    "Denmark",
    "Egypt",
    "Finland",
    "India",
    "Ireland",
    "Italy",
    "Mexico",
    "Netherlands",
    "Norway",
    "Poland",
    "Portugal",
    "Singapore",
    "Spain",
    "Sweden",
    "Switzerland",
    "Turkey",
]
COUNTRY_WEIGHTS = [30, 12, 10, 8, 6, 4, 3] + [1] * (len(COUNTRIES) - 7)
QUOTES = 50_000
VERSIONS_PER_QUOTE = 4  # 200,000 versions
WORDS = [
    "north",
    "wind",
    "contoso",
    "fabrikam",
    "globex",
    "initech",
    "umbrella",
    "stark",
    "wayne",
    "acme",
    "tyrell",
    "cyberdyne",
    "soylent",
    "wonka",
    "hooli",
    "pied",
    "piper",
    "vandelay",
    "dunder",
    "mifflin",
    "oscorp",
    "massive",
    "dynamic",
    "aperture",
    "black",
    "mesa",
    "blue",
    "sun",
    "gringotts",
    "monarch",
    "nakatomi",
    "oceanic",
    "prestige",
    "rekall",
    "sterling",
    "cooper",
]
SUFFIXES = ("Ltd", "Inc", "GmbH", "LLC", "SA", "BV", "Group", "Holdings", "Partners", "Labs")


def fill(path: Path) -> None:
    rng = random.Random(7)
    db = open_database(str(path))
    now = dt.datetime.now(dt.UTC)
    doc = quote_from_data(
        {
            "customer": {"name": "X"},
            "currency": "USD",
            "start_date": "2027-01-01",
            "term_months": 36,
            "billing_frequency": "monthly",
            "escalator_percent": "4",
            "components": [
                {"kind": "flat_fee", "id": "platform", "name": "Platform fee", "amount": "1500"},
                {
                    "kind": "allowance_overage",
                    "id": "q",
                    "name": "Queries",
                    "metric": "q",
                    "included": "2000",
                    "overage_unit_price": "0.40",
                },
            ],
            "usage_forecast": {"q": {"monthly": "3000"}},
        }
    )
    text, digest = canonical_json(doc), content_hash(doc)
    summary = json.dumps({"currency": "USD", "tcv": "75000.00", "years": [], "warnings": []})
    with db.write() as session:
        connection = session.connection()
        rows = []
        for i in range(1, CUSTOMERS + 1):
            name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {rng.choice(SUFFIXES)} {i}"
            stamp = now - dt.timedelta(minutes=rng.randrange(500_000))
            rows.append(
                {
                    "id": i,
                    "name": name,
                    "name_key": customer_name_key(name),  # as the app stores it
                    "search_key": customer_search_key(name),  # what search matches too
                    "currency": "USD",
                    "country": rng.choices(COUNTRIES, weights=COUNTRY_WEIGHTS)[0],
                    "crm_id": f"CRM-{i}",
                    "version_id": 1,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "updated_by": "bench",
                }
            )
        connection.execute(insert(Customer), rows)
        quotes, versions = [], []
        for q in range(1, QUOTES + 1):
            stamp = now - dt.timedelta(minutes=rng.randrange(500_000))
            quotes.append(
                {
                    "id": q,
                    "number": f"Q-2026-{q:05d}",
                    "customer_id": rng.randrange(1, CUSTOMERS + 1),
                    "owner": "bench",
                    "status": rng.choice(["draft", "sent", "approved"]),
                    "latest_version": VERSIONS_PER_QUOTE,
                    "currency": "USD",
                    "tcv_minor": rng.randrange(10**6, 10**8),
                    "version_id": 1,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "updated_by": "bench",
                    "title": "",
                }
            )
            for n in range(1, VERSIONS_PER_QUOTE + 1):
                versions.append(
                    {
                        "quote_id": q,
                        "number": n,
                        "document_json": text,
                        "summary_json": summary,
                        "content_hash": digest,
                        "author": "bench",
                        "created_at": stamp,
                    }
                )
        connection.execute(insert(Quote), quotes)
        for start in range(0, len(versions), 20_000):
            connection.execute(insert(QuoteVersion), versions[start : start + 20_000])
    db.close()


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float], target: float) -> None:
    median = statistics.median(samples)
    verdict = "PASS" if median <= target else "FAIL"
    print(
        f"{name:<44} median {median:7.1f} ms  max {max(samples):7.1f} ms  target <= {target:.0f} ms  {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="/tmp/quote-builder-bench.db")
    parser.add_argument("--keep", action="store_true", help="reuse an already filled database")
    args = parser.parse_args()
    path = Path(args.db)
    if not (args.keep and path.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        start = time.perf_counter()
        fill(path)
        print(
            f"filled {CUSTOMERS:,} customers, {QUOTES:,} quotes, {QUOTES * VERSIONS_PER_QUOTE:,} versions "
            f"in {time.perf_counter() - start:.1f} s ({path.stat().st_size / 2**20:.0f} MiB)"
        )

    report(
        "database open + migration check", timed(lambda: open_database(str(path)).close(), 15), 300
    )
    db = open_database(str(path))
    rng = random.Random(11)
    fragments = [rng.choice(WORDS)[: rng.randint(2, 5)] for _ in range(40)] + [
        "zzz-no-match",
        "12345",
    ]
    search_customers(db, "warm-up")
    report(
        "customer search by name fragment (page+count)",
        timed(lambda: search_customers(db, fragments.pop()), 40),
        50,
    )
    list_quotes(db)
    report("quote list, first page of 50 by last change", timed(lambda: list_quotes(db), 30), 100)
    # The status filter Approved checks every quote marked approved (the list shows a quote
    # as Approved only while its approval holds), then pages in SQL among those that pass.
    report(
        "quote list, first page filtered Approved",
        timed(lambda: list_quotes(db, status="approved"), 10),
        100,
    )
    # Sorted by country: the stored countries ordered by the names shown (the UI's key).
    report(
        "customer list, first page sorted by country",
        timed(lambda: search_customers(db, sort="country", country_key=str.casefold), 20),
        50,
    )
    report(
        "customer list, page at 40,000 sorted by country",
        timed(
            lambda: search_customers(db, sort="country", country_key=str.casefold, offset=40_000),
            10,
        ),
        50,
    )
    db.close()


if __name__ == "__main__":
    main()
