"""The usage clause names what the order has: usage billed per unit only is "Usage",
invoiced at the prices above; "Included usage and overage" and its sentence about an
included allowance are for an order with one (a lawyer reading about an allowance that
the order does not have asks which one is meant)."""

from __future__ import annotations

from pathlib import Path

from quote_builder.documents import render_pdf

from ..pricing.factories import PLATFORM_WITH_ALLOWANCE, make_quote
from .conftest import pdf_text, request_for

PER_UNIT = {
    "kind": "per_unit",
    "id": "pages",
    "name": "Pages",
    "metric": "pages",
    "unit_price": "0.05",
}


def _text(tmp_path: Path, components: list[dict[str, object]], metric: str) -> str:
    doc = make_quote(components=components, usage_forecast={metric: {"monthly": 1000}})
    pdf = render_pdf(request_for(doc), "contract").pdf
    return " ".join(" ".join(pdf_text(pdf, tmp_path)).split())


def test_usage_per_unit_only_says_nothing_of_an_allowance(tmp_path: Path) -> None:
    text = _text(tmp_path, [PER_UNIT], "pages")
    assert "Included usage and overage" not in text
    assert "allowance" not in text
    assert "Usage is invoiced in arrears at the prices above." in text


def test_an_allowance_keeps_its_clause(tmp_path: Path) -> None:
    text = _text(tmp_path, PLATFORM_WITH_ALLOWANCE, "enrichments")
    assert "Included usage and overage" in text
    assert "Usage above an included allowance is invoiced in arrears" in text


def _graduated(first_price: str) -> list[dict[str, object]]:
    return [
        {
            "kind": "graduated",
            "id": "docs",
            "name": "Documents",
            "metric": "docs",
            "tiers": [
                {"up_to": 500, "unit_price": first_price},
                {"unit_price": "0.061"},
            ],
        }
    ]


def test_tiers_without_free_units_say_nothing_of_an_allowance(tmp_path: Path) -> None:
    """Graduated tiers priced from the first unit, a package without free units: the
    order includes no usage, so no 'Included usage and overage' and no unused allowance."""
    package = {
        "kind": "package",
        "id": "sms",
        "name": "SMS",
        "metric": "sms",
        "package_size": 1000,
        "package_price": "7.50",
    }
    for components, metric in ((_graduated("0.085"), "docs"), ([package], "sms")):
        text = _text(tmp_path, components, metric)
        assert "Included usage and overage" not in text
        assert "allowance" not in text
        assert "Usage is invoiced in arrears at the prices above." in text


def test_a_free_first_tier_is_an_allowance(tmp_path: Path) -> None:
    text = _text(tmp_path, _graduated("0"), "docs")
    assert "Included usage and overage" in text
