"""What the prospect reads of usage that is not forecast, of a deal of usage alone and of a
seat line whose features already say AI (h5 walk): "€0.00" in the Year 1 column read as the
price of the voice minutes, "Committed contract value $0.00" as a price of nothing, and
"Includes AI chat. AI features included." said the same thing twice."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from quote_builder.documents import RenderRequest, render_html
from quote_builder.pricing import QuoteDocument
from quote_builder.pricing.languages import DEFAULT_LOCALES

from .conftest import example, request_for


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.parts.append(data.strip())


def _text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _in(doc: QuoteDocument, language: str) -> RenderRequest:
    return dataclasses.replace(
        request_for(doc), language=language, locale=DEFAULT_LOCALES[language]
    )


def _changed(name: str, **update: object) -> QuoteDocument:
    doc = example(name)
    data = doc.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.update(update)
    return type(doc).model_validate(data)


def _seats_and_minutes() -> QuoteDocument:
    """Seats whose feature says AI, and voice minutes with no forecast."""
    return _changed(
        "eur_reverse_charge_germany.json",
        components=[
            {
                "kind": "seats",
                "id": "pro",
                "name": "Pro seats",
                "seats": 40,
                "price_per_seat": "30.00",
                "interval": "month",
                "includes_ai": True,
                "features": ["AI chat"],
            },
            {
                "kind": "per_unit",
                "id": "minutes",
                "name": "Voice minutes",
                "metric": "minutes",
                "unit_price": "0.05",
            },
        ],
        usage_forecast={},
        discounts=[],
        ramps=[],
    )


def _pricing_rows(html: str) -> list[str]:
    """The rows of the proposal's Pricing table (the first with a "What you pay" column:
    three cells, the item's name first)."""
    tables = re.findall(r"<table class=\"grid[^\"]*\">.*?</table>", html, re.S)
    table = next(t for t in tables if "Voice minutes" in t or "Resolved tickets" in t)
    return [_text(row) for row in re.findall(r"<tr>.*?</tr>", table, re.S)]


BILLED_ON_USAGE = {"en": "Billed on usage", "de": "Nach Nutzung abgerechnet", "ja": "従量課金"}


@pytest.mark.parametrize("language", ["en", "de", "ja"])
def test_usage_without_a_forecast_is_billed_on_usage_not_free(language: str) -> None:
    html = render_html("proposal", _in(_seats_and_minutes(), language))
    minutes = next(row for row in _pricing_rows(html) if row.startswith("Voice minutes"))
    assert minutes.endswith(BILLED_ON_USAGE[language]), minutes
    assert "0.05" in minutes or "0,05" in minutes  # the unit price is there
    assert not re.search(r"0[.,]00\s*€|€0[.,]00", minutes), minutes


def test_a_seat_line_says_ai_once() -> None:
    html = render_html("proposal", _in(_seats_and_minutes(), "en"))
    seats = next(row for row in _pricing_rows(html) if row.startswith("Pro seats"))
    assert "Includes AI chat." in seats and "AI features included" not in seats, seats
    # Without a feature that says AI, the line still says the AI features are included.
    doc = _seats_and_minutes()
    plain = doc.model_copy(
        update={
            "components": [
                doc.components[0].model_copy(update={"features": ["Priority support"]}),
                doc.components[1],
            ]
        }
    )
    html = render_html("proposal", _in(plain, "en"))
    seats = next(row for row in _pricing_rows(html) if row.startswith("Pro seats"))
    assert "Includes Priority support. AI features included." in seats, seats


def _usage_only(monthly: str | None) -> QuoteDocument:
    return _changed(
        "eur_reverse_charge_germany.json",
        components=[
            {
                "kind": "per_unit",
                "id": "tickets",
                "name": "Resolved tickets",
                "metric": "tickets",
                "unit_price": "0.90",
            }
        ],
        usage_forecast={"tickets": {"monthly": monthly}} if monthly else {},
        discounts=[],
        ramps=[],
    )


@pytest.mark.parametrize("monthly", ["5000", None])
def test_a_deal_of_usage_alone_says_nothing_is_committed(monthly: str | None) -> None:
    html = render_html("proposal", _in(_usage_only(monthly), "en"))
    text = _text(html)
    cover = _text(html[: html.index("</table>")])
    assert "Committed contract value None: billed on usage" in cover, cover
    assert "Committed contract value €0.00" not in text
    assert not re.search(r"Committed contract value\s+€0", text)
    said = (
        "No amount is committed: each invoice charges the usage of its period at the unit "
        "prices in the order form."
    )
    assert said in text
    estimate = "Your bill follows your usage at the prices above; this proposal estimates no usage"
    if monthly:  # 60,000 tickets a year at €0.90, +4 % in year 2
        assert "At the forecast usage, that is an estimated €110,400.00 over 24 months." in text
        assert "Total contract value (est.) €110,400.00 over 24 months" in cover
        assert estimate not in text
    else:
        # No forecast either: no estimate of €0.00 (a cover row, three figures, "€0.00 is
        # the average month of year 1 at the expected usage").
        assert "At the forecast usage" not in text
        summary = text[text.index("Executive summary") : text.index("No amount is committed")]
        assert "€0.00" not in summary and "(est.)" not in summary, summary
        assert "Total contract value (est.)" not in cover
        assert "€0.00 is the average month" not in text
        assert f"{estimate}, so it shows no average month." in text
    german = _text(render_html("proposal", _in(_usage_only(monthly), "de")))
    assert "Keiner: Abrechnung nach Nutzung" in german
    assert "Es ist kein Betrag zugesagt" in german


def test_a_deal_with_a_committed_fee_keeps_its_committed_value() -> None:
    html = render_html("proposal", _in(example("platform_usage_analytics.json"), "en"))
    cover = _text(html[: html.index("</table>")])
    assert re.search(r"Committed contract value \$[1-9][\d,]*\.\d\d over 36 months", cover), cover
    assert "None" not in cover


@pytest.mark.parametrize(
    ("monthly", "said"),
    [
        (
            None,
            "Fees are in EUR and invoiced quarterly in arrears for the period just ended "
            "(usage), at actual usage; no amount is committed.",
        ),
        (
            "5000",
            "Fees are in EUR and invoiced quarterly in arrears for the period just ended "
            "(usage). At the estimated usage the total contract value is €110,400.00.",
        ),
    ],
)
def test_the_order_form_of_usage_alone_says_it_is_invoiced_in_arrears(
    monthly: str | None, said: str
) -> None:
    """With no forecast, the order form of a deal of usage alone said "invoiced quarterly
    in advance. The total contract value is €0.00." and "Fixed fees are invoiced in
    advance", of a deal without fixed fees."""
    text = _text(render_html("contract", _in(_usage_only(monthly), "en")))
    assert said in text, text
    assert "in advance" not in text
    assert "Every fee is invoiced in arrears on the day after its billing period ends" in text
    german = _text(render_html("contract", _in(_usage_only(monthly), "de")))
    assert "vierteljährlich nachträglich für den abgelaufenen Zeitraum" in german
    assert "Feste Gebühren" not in german


def test_the_price_sheet_lists_usage_without_a_forecast_with_its_unit_price() -> None:
    """With no forecast, the voice minutes had no line in "Prices by contract year" (the
    proposal's and the order form's): the prospect saw every year's items without the
    price of what will be billed. The line is there at 0 (est.) with its unit price."""
    from quote_builder.documents.price_sheet import sheet_from_terms
    from quote_builder.documents.viewmodel import customer_view

    terms = customer_view(_in(_seats_and_minutes(), "en")).terms
    sheet = sheet_from_terms(terms)
    for year in (1, 2):
        minutes = [r for r in sheet.rows_of(year) if r.component_id == "minutes"]
        assert len(minutes) == 1, sheet.rows_of(year)
        assert minutes[0].list_unit_price == Decimal("0.05") and minutes[0].line_total == 0
    html = render_html("contract", _in(_usage_only(None), "en"))
    text = _text(html)
    assert re.search(r"Resolved tickets 0 tickets \(est\.\) €0\.90 0\.00", text), text


@pytest.mark.parametrize(
    ("feature", "says_ai"),
    [
        ("AI chat", True),
        ("AIチャット", True),
        ("KI-Assistent", True),
        ("Assistant IA", True),
        ("Email triage", False),
        ("Kiosk mode", False),
        ("SAML SSO", False),
    ],
)
def test_a_feature_that_says_ai_is_not_followed_by_ai_features_included(
    feature: str, says_ai: bool
) -> None:
    from quote_builder.documents.explain import _NAMES_AI

    assert bool(_NAMES_AI.search(feature)) is says_ai
