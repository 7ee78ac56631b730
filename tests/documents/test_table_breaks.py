"""Long tables break across pages (checked on WeasyPrint's laid-out pages): a price table
of a year with many items and tiers is not pushed whole to the next page, leaving half a
page empty before it; where it breaks, its head (the year and the column headers) repeats,
no row is cut in two, and an item does not stand alone at a page's foot apart from its
parts (its tiers, its included usage)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from quote_builder.documents.render import laid_out
from quote_builder.pricing import QuoteDocument, load_quote

from .conftest import example, request_for
from .test_layout import layout_problems


def _many_items(years: int = 5) -> QuoteDocument:
    """A platform deal of ten items, three of them tiered: each year's price table is a
    little more than half a page."""
    return load_quote(
        json.dumps(
            {
                "format": "quote-builder/quote",
                "format_version": 1,
                "title": "Analytics platform, five years",
                "customer": {"name": "Northwind Analytics"},
                "product_category": "analytics_copilot",
                "pricing_model": "platform_usage",
                "currency": "EUR",
                "start_date": "2027-01-01",
                "term_months": 12 * years,
                "billing_frequency": "quarterly",
                "escalator_percent": 3,
                "components": [
                    {
                        "kind": "one_time_fee",
                        "id": "onboarding",
                        "name": "Onboarding",
                        "amount": "12500.00",
                    },
                    {
                        "kind": "flat_fee",
                        "id": "platform",
                        "name": "Platform fee",
                        "amount": "4500.00",
                    },
                    {
                        "kind": "seats",
                        "id": "admins",
                        "name": "Administrator seats",
                        "tier": "Admin",
                        "seats": 5,
                        "price_per_seat": "50.00",
                        "interval": "month",
                        "includes_ai": False,
                    },
                    {
                        "kind": "seats",
                        "id": "analysts",
                        "name": "Analyst seats",
                        "tier": "Analyst",
                        "seats": 120,
                        "price_per_seat": "45.00",
                        "interval": "month",
                        "includes_ai": True,
                    },
                    {
                        "kind": "allowance_overage",
                        "id": "queries",
                        "name": "Analyst queries",
                        "metric": "queries",
                        "included": 20000,
                        "overage_unit_price": "0.40",
                    },
                    {
                        "kind": "graduated",
                        "id": "docs",
                        "name": "Documents processed",
                        "metric": "documents",
                        "tiers": [
                            {"up_to": 1000, "unit_price": "0.50"},
                            {"up_to": 10000, "unit_price": "0.30"},
                            {"up_to": 100000, "unit_price": "0.20"},
                            {"unit_price": "0.10"},
                        ],
                    },
                    {
                        "kind": "volume",
                        "id": "api",
                        "name": "API calls",
                        "metric": "api_calls",
                        "tiers": [
                            {"up_to": 100000, "unit_price": "0.002"},
                            {"up_to": 1000000, "unit_price": "0.0015"},
                            {"unit_price": "0.001"},
                        ],
                    },
                    {
                        "kind": "package",
                        "id": "storage",
                        "name": "Storage blocks",
                        "metric": "storage_gb",
                        "package_size": 100,
                        "package_price": "25.00",
                        "free_units": 50,
                    },
                ],
                "ramps": [{"year": 2, "seats": {"analysts": 150}}],
                "usage_forecast": {
                    "queries": {"monthly": 30000},
                    "documents": {"monthly": 25000},
                    "api_calls": {"monthly": 400000},
                    "storage_gb": {"monthly": 700},
                },
                "economics": {
                    "unit_costs": {"queries": "0.10"},
                    "target_margin_percent": 70,
                    "margin_floor_percent": 60,
                },
            }
        )
    )


def _classes(element: Any) -> str:
    return element.get("class") or ""


def _price_tables(document: Any) -> list[Any]:
    root = document.pages[0]._page_box.children[0].element
    return [t for t in root.iter("table") if "prices" in _classes(t).split()]


def _boxes(document: Any) -> list[list[Any]]:
    """Each page's boxes of the document's content (not the page's margin boxes)."""
    return [list(page._page_box.children[0].descendants()) for page in document.pages]


def _first_pages(document: Any) -> dict[Any, int]:
    first: dict[Any, int] = {}
    for number, boxes in enumerate(_boxes(document)):
        for box in boxes:
            element = getattr(box, "element", None)
            if element is not None:
                first.setdefault(element, number)
    return first


def _filled(document: Any, number: int) -> float:
    """How much of page ``number``'s text area its content fills (0 to 1)."""
    page = document.pages[number]._page_box
    bottom = max(
        (
            box.position_y + box.height
            for box in _boxes(document)[number]
            if type(box).__name__ in ("LineBox", "TableRowBox")
        ),
        default=page.content_box_y(),
    )
    return (bottom - page.content_box_y()) / page.height


def blank_before_price_tables(document: Any) -> list[str]:
    """A price table that starts on a new page while the page before is less than two
    thirds full (its heading and lead pushed along with it count as the table's)."""
    first = _first_pages(document)
    problems = []
    for table in _price_tables(document):
        page = first[table]
        if page and (filled := _filled(document, page - 1)) < 2 / 3:
            rows = "".join(table.find("thead").find("tr").itertext()).strip()
            problems.append(f"{rows!r} starts page {page + 1}; page {page} is {filled:.0%} full")
    return problems


def head_problems(document: Any) -> list[str]:
    """A page a price table runs to without its head (the year and the column headers), a
    row over two pages, and an item at a page's foot without its first part."""
    problems = []
    boxes = _boxes(document)
    for table in _price_tables(document):
        head = table.find("thead")
        body = [row for row in table.find("tbody") if row.tag == "tr"]
        year = "".join(head.find("tr").itertext()).strip()
        row_pages: dict[Any, set[int]] = {}
        for number, page in enumerate(boxes):
            for box in page:
                if type(box).__name__ == "TableRowBox" and box.element in body + list(head):
                    row_pages.setdefault(box.element, set()).add(number)
        body_pages = set().union(*(row_pages[row] for row in body if row in row_pages))
        for row in head:
            if missing := body_pages - row_pages.get(row, set()):
                text = " ".join("".join(row.itertext()).split())
                problems.append(f"{year}: head row {text!r} missing on page(s) {sorted(missing)}")
        for row, after in zip(body, body[1:], strict=False):
            label = "".join(row[0].itertext()).strip()
            if len(row_pages.get(row, ())) > 1:
                problems.append(f"{year}: row {label!r} split")
            if (
                "row-component" in _classes(row)
                and "row-detail" in _classes(after)
                and row_pages.get(row) != row_pages.get(after)
            ):
                problems.append(f"{year}: item {label!r} apart from its first part")
    return problems


@pytest.mark.parametrize("document", ["proposal", "contract"])
def test_a_long_price_table_breaks_instead_of_leaving_half_a_page_empty(document: str) -> None:
    laid = laid_out(request_for(_many_items()), document)  # type: ignore[arg-type]
    assert len(_price_tables(laid)) == 5
    assert blank_before_price_tables(laid) == []
    assert head_problems(laid) == []
    assert layout_problems(laid) == []
    # ... and it does break: some year's table runs over two pages, its head on both.
    pages = [
        {n for n, boxes in enumerate(_boxes(laid)) for b in boxes if b.element is t}
        for t in _price_tables(laid)
    ]
    assert any(len(on) > 1 for on in pages)


@pytest.mark.parametrize("language", ["de", "ja"])
def test_a_long_price_table_breaks_in_other_languages(language: str) -> None:
    locale = {"de": "de_DE", "ja": "ja_JP"}[language]
    request = request_for(_many_items(3), language=language, locale=locale)
    laid = laid_out(request, "contract")
    assert blank_before_price_tables(laid) == []
    assert head_problems(laid) == []
    assert layout_problems(laid) == []


@pytest.mark.parametrize(("language", "locale"), [("en", "en_US"), ("de", "de_DE")])
def test_a_table_of_one_row_does_not_carry_the_next_clause_with_it(
    language: str, locale: str
) -> None:
    """A table of one row (one kind of committed seats) kept with what follows it (its only
    row, being the first, avoided a break after it, which passes to the table's end), and
    that clause with the next: "Committed quantities" moved to the next page with "Fees and
    billing", leaving the page of "Term, renewal and notice" half empty."""
    request = request_for(example("usd_sales_tax_new_york.json"), language=language, locale=locale)
    laid = laid_out(request, "contract")
    first = _first_pages(laid)
    clauses = {
        _classes(section).split()[-1]: first[section]
        for section in first
        if section.tag == "section" and "clause" in _classes(section).split()
    }
    assert clauses["clause-commitments"] == clauses["clause-term"]
    assert blank_before_price_tables(laid) == []
