"""Every amount agrees: for each example and demo quote, every amount printed in the
proposal and the order form is an amount of `price --json` (or a price of the quote, or an
estimate of the proposal), the totals of `price --json` are printed, and the order form
states every committed quantity (seats by contract year, minimum commitments)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from contextlib import redirect_stdout
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from quote_builder import cli
from quote_builder.documents import RenderRequest, render_pdf
from quote_builder.documents.formatting import Formatter
from quote_builder.documents.price_sheet import sheet_from_terms
from quote_builder.documents.viewmodel import customer_view
from quote_builder.pricing import QuoteDocument, price, priced_to_dict
from quote_builder.pricing.components import MinimumCommitment, Seats
from quote_builder.pricing.serialize import quote_to_dict

from .conftest import EXAMPLES, ROOT, example, pdf_text, request_for

AMOUNT = re.compile(r"(?<![\d.,])(?:[$€£¥]|[A-Z]{3}\s?)?-?\d{1,3}(?:,\d{3})*\.\d{2,4}(?![\d%])")


def _decimals(value: Any) -> Iterator[Decimal]:
    if isinstance(value, str):
        try:
            yield Decimal(value)
        except ArithmeticError:
            return
    elif isinstance(value, dict):
        for item in value.values():
            yield from _decimals(item)
    elif isinstance(value, list):
        for item in value:
            yield from _decimals(item)
    elif isinstance(value, Decimal):
        yield value


def known_amounts(req: RenderRequest) -> set[Decimal]:
    """Amounts a customer document may print: those of `price --json`, the quote's own
    prices, the terms' net unit prices and the proposal's estimates."""
    view = customer_view(req)
    data = priced_to_dict(req.priced)
    # price --json's tax block (issue 18): subtotal, tax and total including tax per
    # invoice, per year and for the contract. Not its internal block: a customer never
    # sees the seller-currency margin figures.
    tax = quote_to_dict(req.document, req.priced)["tax"]
    known: set[Decimal] = set(_decimals(data)) | set(_decimals(tax or {}))
    # The invoice schedule splits each period of price --json into what is invoiced in
    # advance and in arrears, and sums its discount lines.
    for period in data["periods"]:
        for kind in ("advance", "arrears", "discount"):
            known.add(
                sum(
                    (
                        Decimal(line["amount"])
                        for line in period["lines"]
                        if (line["kind"] == "discount") == (kind == "discount")
                        and (kind == "discount" or line["in_arrears"] == (kind == "arrears"))
                    ),
                    Decimal(0),
                )
            )
    known |= set(
        _decimals(
            req.document.model_dump(
                mode="json", include={"components", "discounts", "value", "contract"}
            )
        )
    )
    # The estimated usage the proposal's assumptions state: an attributed or transaction
    # value is an amount and is printed as one ("$100,000.00 of attributed revenue").
    known |= set(
        _decimals(req.document.model_dump(mode="json", include={"usage_forecast", "ramps"}))
    )
    known |= {line.net_unit_price for line in view.terms.price_table if line.net_unit_price}
    # The price table's line totals and the discount each takes (issue 13 §2): their sums
    # are price --json's year totals and discount lines (tests/documents/test_price_sheet.py).
    for row in sheet_from_terms(view.terms).rows:
        known |= {v for v in (row.line_total, row.discount_amount) if v is not None}
    known |= {s.monthly for s in view.estimates.scenarios}
    # The committed contract value beside an estimate at the forecast usage: the engine's
    # own total of the quote priced at zero usage (pricing/commitment.py).
    if view.estimates.committed is not None:
        known.add(view.estimates.committed.total_contract_value)
    known |= {abs(k) for k in known}
    # A quantity kept at full precision (a forecast of 1,178,428.376721 attributed dollars)
    # is printed rounded to the places shown.
    known |= {
        k.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        for k in known
        for places in (2, 3, 4)
        if k.as_tuple().exponent < -places  # type: ignore[operator]
    }
    return {k.normalize() for k in known}


def printed_amounts(text: str) -> list[tuple[str, Decimal]]:
    found = []
    for match in AMOUNT.finditer(text):
        raw = match.group(0)
        number = re.sub(r"[^\d.\-]", "", raw)
        found.append((raw, Decimal(number).normalize()))
    return found


def quotes() -> Iterator[tuple[str, RenderRequest]]:
    for path in EXAMPLES:
        yield path.stem, request_for(example(path.name))


def demo_requests(tmp_path: Path) -> list[tuple[str, RenderRequest]]:
    from quote_builder.services.demo import seed_demo
    from quote_builder.services.documents import _customer, _seller_frame
    from quote_builder.services.quotes import list_quotes, open_version
    from quote_builder.store.database import open_database

    db = open_database(str(tmp_path / "demo.db"))
    try:
        seed_demo(db, actor="test", today=dt.date(2026, 11, 2))
        seller, _logo, legal = _seller_frame(db)
        result = []
        for row in list_quotes(db, limit=100).rows:
            doc = open_version(db, row.id).document
            result.append(
                (
                    row.number,
                    request_for(
                        doc,
                        seller=seller,
                        customer=_customer(db, doc),
                        quote_number=row.number,
                        legal=legal,
                        issued=dt.date(2026, 11, 2),
                    ),
                )
            )
        return result
    finally:
        db.close()


def check_quote(req: RenderRequest, tmp_path: Path) -> None:
    doc: QuoteDocument = req.document
    priced = req.priced
    f = Formatter(doc.currency)
    known = known_amounts(req)
    proposal = " ".join(" ".join(pdf_text(render_pdf(req, "proposal").pdf, tmp_path)).split())
    contract_pdf = render_pdf(req, "contract").pdf
    contract = " ".join(" ".join(pdf_text(contract_pdf, tmp_path)).split())
    layout = "\n".join(pdf_text(contract_pdf, tmp_path, layout=True))

    # 1. Nothing printed that price --json (or the quote's prices) does not hold.
    for name, text in (("proposal", proposal), ("order form", contract)):
        unknown = [raw for raw, value in printed_amounts(text) if abs(value) not in known]
        assert unknown == [], f"{name}: amounts not in price --json: {unknown[:8]}"

    # 2. The totals of price --json are printed where they belong.
    for text in (proposal, contract):
        assert f.money(priced.tcv) in text
    assert f.money(priced.first_year_acv) in proposal
    for year in priced.years:
        assert f.amount(year.revenue) in proposal, f"year {year.year} in the proposal"
        assert re.search(rf"Year {year.year} total\s+{re.escape(f.amount(year.revenue))}\n", layout)
    for period in priced.periods:
        assert f.amount(period.total) in contract, f"period {period.index}"
    # Each component's year is printed as its line total: its amount in price --json less
    # what the discounts take from it (the line totals add up to the year's total).
    sheet = sheet_from_terms(customer_view(req).terms)
    for row in priced.components:
        for cy in row.years:
            if cy.amount:
                (line,) = [
                    r
                    for r in sheet.rows
                    if r.kind == "component"
                    and r.component_id == row.component_id
                    and r.year == cy.year
                ]
                assert line.amount == cy.amount
                assert line.line_total == cy.amount - (line.discount_amount or 0)
                assert f.amount(line.line_total) in contract, (row.name, cy.year)

    # 3. Every committed quantity is stated in the order form.
    for component in doc.components:
        if isinstance(component, Seats):
            counts = [y.seats[component.id] for y in customer_view(req).terms.years]
            row = r"\s+".join(re.escape(f.number(c)) for c in counts)
            assert re.search(re.escape(component.name) + r"\s+" + row + r"\s*\n", layout), (
                component.name,
                counts,
            )
        if isinstance(component, MinimumCommitment):
            assert f.money(component.amount) in contract


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_amount_agrees_for_each_example(path: Path, tmp_path: Path) -> None:
    check_quote(request_for(example(path.name)), tmp_path)


def test_every_amount_agrees_for_each_demo_quote(tmp_path: Path) -> None:
    requests = demo_requests(tmp_path)
    assert len(requests) >= 4
    for _number, req in requests:
        check_quote(req, tmp_path)


def test_price_json_is_what_the_documents_are_checked_against() -> None:
    """The CLI's `price --json` is priced_to_dict(price(doc)), the reference above, with the
    deal desk's internal block and the tax block beside it (issue 18)."""
    path = ROOT / "examples" / "platform_usage_analytics.json"
    out = io.StringIO()
    with redirect_stdout(out):
        code = cli.main(["price", str(path), "--json"])
    assert code == 0
    doc = example(path.name)
    printed = json.loads(out.getvalue())
    assert printed == json.loads(json.dumps(quote_to_dict(doc, price(doc)), default=str))
    assert {k: v for k, v in printed.items() if k not in ("internal", "tax")} == json.loads(
        json.dumps(priced_to_dict(price(doc)), default=str)
    )


def test_the_check_catches_a_wrong_amount(tmp_path: Path) -> None:
    req = request_for(example("platform_usage_analytics.json"))
    known = known_amounts(req)
    assert Decimal("18000") in known  # the platform fee's year 1
    assert [v for _raw, v in printed_amounts("pay $18,001.00 now") if v not in known] == [
        Decimal("18001")
    ]
