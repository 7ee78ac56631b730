"""Money a buyer reads is right and readable (the buyer's review of the walk4 documents).

1. A value per task worked out by division (5 minutes at $80/h = 6.666...) was printed
   with 28 decimals, overprinting the cards beside it: every number in the text of the
   proposal and the order form, in every language, has at most six decimals.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from quote_builder.documents import RenderRequest, render_html
from quote_builder.documents.formatting import Formatter, round_derived
from quote_builder.pricing import QuoteDocument
from quote_builder.pricing.document import ValueDrivers
from quote_builder.pricing.languages import DEFAULT_LOCALES, LANGUAGES

from .conftest import EXAMPLES, example, request_for


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


LONG_FRACTION = re.compile(r"\d[.,]\d{7,}")
"""A number with more than six decimals (a grouped thousand has three digits a group)."""


def _in(req: RenderRequest, language: str) -> RenderRequest:
    return dataclasses.replace(req, language=language, locale=DEFAULT_LOCALES[language])


# The guided flow's value step: minutes saved x loaded hourly rate (5 x 80 / 60 = 6.666...,
# 10 x 50 / 60 = 8.333..., 7 x 45 / 60 = 5.25 exact, 1 x 0.2 / 60 = 0.00333...).
VALUE_INPUTS = [("5", "80"), ("10", "50"), ("7", "45"), ("1", "0.2")]


def _documents() -> list[tuple[str, QuoteDocument]]:
    found = [(path.name, example(path.name)) for path in EXAMPLES]
    base = example("seats_credits_coding_team.json")
    assert base.value is not None and base.value.metric is not None
    for minutes, rate in VALUE_INPUTS:
        drivers = ValueDrivers(
            metric=base.value.metric,
            minutes_saved_per_unit=Decimal(minutes),
            loaded_hourly_rate=Decimal(rate),
        )
        found.append((f"{minutes} min at {rate}/h", base.model_copy(update={"value": drivers})))
    return found


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_no_number_in_a_document_has_more_than_six_decimals(language: str) -> None:
    for name, doc in _documents():
        text = _text(render_html("both", _in(request_for(doc), language)))
        assert not LONG_FRACTION.findall(text), (name, language, LONG_FRACTION.findall(text))


@pytest.mark.parametrize(
    ("minutes", "rate", "language", "shown"),
    [
        ("5", "80", "en", "$6.67"),  # 5 x 80 / 60 = 6.666... -> 6.67
        ("10", "50", "en", "$8.33"),  # 10 x 50 / 60 = 8.333... -> 8.33
        ("5", "80", "fr", "6,67\u00a0$US"),
        ("7", "45", "de", "5,25\u00a0$"),  # 7 x 45 / 60 = 5.25 exact
    ],
)
def test_the_value_per_task_is_rounded_to_the_cent_for_display(
    minutes: str, rate: str, language: str, shown: str
) -> None:
    from quote_builder.documents.proposal import proposal_view
    from quote_builder.documents.viewmodel import customer_view, view_meta

    base = example("seats_credits_coding_team.json")
    assert base.value is not None
    drivers = ValueDrivers(
        metric=base.value.metric,
        minutes_saved_per_unit=Decimal(minutes),
        loaded_hourly_rate=Decimal(rate),
    )
    req = _in(request_for(base.model_copy(update={"value": drivers})), language)
    customer = customer_view(req)
    view = proposal_view(customer, view_meta(req))
    assert view["summary"]["value_per_unit"] == shown
    assert shown in view["summary"]["lead"]
    assert any(shown in line for line in view["assumptions"])
    # The computation keeps its full precision: only the display rounds.
    value = customer.estimates.value
    assert value is not None
    assert abs(value.value_per_unit - Decimal(minutes) * Decimal(rate) / 60) < Decimal("1e-25")


@pytest.mark.parametrize(
    ("amount", "digits", "expected"),
    [
        ("6.666666666666666666666666667", 2, "6.67"),  # half up to the cent
        ("8.333333333333333333333333333", 2, "8.33"),
        ("0.005", 2, "0.01"),  # half up, not to even
        ("0.003333333333333333333333333", 2, "0.0033"),  # below the cent: 2 significant
        ("0.0000333333", 2, "0.000033"),
        ("0.0000000333", 2, "0.000000"),  # at most six decimals (reads as nothing)
        ("0.6666", 0, "1"),  # yen: whole units
        ("0.3333", 0, "0.33"),
        ("1.23456", 3, "1.235"),  # a 3-decimal currency
        ("0", 2, "0.00"),
    ],
)
def test_round_derived(amount: str, digits: int, expected: str) -> None:
    assert str(round_derived(Decimal(amount), digits)) == expected


def test_derived_price_goes_through_the_one_formatter() -> None:
    assert Formatter("USD").derived_price(Decimal(5) * 80 / 60) == "$6.67"
    assert Formatter("EUR", "de_DE", "de").derived_price(Decimal(10) * 50 / 60) == "8,33\u00a0€"


# --- 2. a net unit price printed exactly, a price table that adds up ------------------------


def _sub_cent_seats(billing: str) -> QuoteDocument:
    """The buyer's case: 60 seats at 49.999 a month, 5 % off the whole deal."""
    doc = example("seats_credits_coding_team.json")
    data = doc.model_dump(mode="json", by_alias=True, exclude_none=True)
    for component in data["components"]:
        if component["kind"] == "seats":
            component.update(seats=60, price_per_seat="49.999")
    data["discounts"] = [{"description": "Discount", "percent": "5"}]
    data["billing_frequency"] = billing
    return type(doc).model_validate(data)


@pytest.mark.parametrize(
    ("billing", "discount", "rounding", "line_total"),
    [
        # monthly: an invoice is 60 x 49.999 = 2,999.94; 5 % of it 149.997 -> 150.00;
        # 12 x 150.00 = 1,800.00 (5 % of 35,999.28 is 1,799.964: 0.04 more a year).
        # 720 x 47.49905 = 34,199.316 -> 34,199.32; less the 0.04: 34,199.28.
        ("monthly", "1800.00", "-0.04", "34199.28"),
        # annual: one invoice of 720 x 49.999 = 35,999.28; 5 % = 1,799.964 -> 1,799.96;
        # 35,999.28 - 1,799.96 = 34,199.32 = 720 x 47.49905 rounded: no Rounding part.
        ("annual", "1799.96", None, "34199.32"),
    ],
)
def test_a_sub_cent_net_unit_price_is_exact_and_the_table_adds_up(
    billing: str, discount: str, rounding: str | None, line_total: str
) -> None:
    from quote_builder.documents.price_sheet import sheet_from_terms, sheet_notes, sheet_table
    from quote_builder.documents.viewmodel import customer_view

    terms = customer_view(request_for(_sub_cent_seats(billing))).terms
    sheet = sheet_from_terms(terms)
    rows = sheet.rows_of(1)
    (seats,) = [r for r in rows if r.kind == "component" and r.label == "Team seats"]
    parts = rows[rows.index(seats) + 1 :]
    # 49.999 x (100 - 5) / 100 = 47.49905, exact (it was printed 47.499, rounded).
    assert seats.net_unit_price == Decimal("47.49905")
    assert seats.list_unit_price == Decimal("49.999")
    assert sheet.years[0].discounts == (("Discount", Decimal(discount)),)
    rounding_parts = [p for p in parts if p.kind == "detail" and p.label == "Rounding"]
    if rounding is None:
        assert not rounding_parts
        own = seats.line_total
    else:
        (part,) = rounding_parts
        assert part.line_total == Decimal(rounding)
        own = seats.line_total - part.line_total
    # The item as printed: its quantity x its net unit price, rounded to the cent, plus its
    # Rounding part, is its line total; the list amount less the discount is the same.
    assert own == (720 * Decimal("47.49905")).quantize(Decimal("0.01"))
    assert seats.line_total == Decimal(line_total)
    assert seats.amount - seats.discount_amount == Decimal(line_total)
    table = sheet_table(sheet, Formatter("USD"))
    rows_printed: list[dict[str, str]] = table[0]["rows"]  # type: ignore[assignment]
    printed = [r for r in rows_printed if r["label"] == "Team seats"]
    assert printed[0]["net_unit_price"] == "$47.49905"
    # ... and the sentences above the table say so: exact as printed, and where a Rounding
    # part comes from.
    notes = sheet_notes(sheet, Formatter("USD"))
    assert str(notes["precision"]).startswith(
        "A unit price printed with more than two decimals is exact as printed"
    )
    assert ("A Rounding part is what rounding each invoice leaves" in str(notes["parts"])) == (
        rounding is not None
    )


# --- 3. committed money apart from the estimate at the forecast usage -----------------------


def _guided_outcome() -> QuoteDocument:
    """The guided flow's customer-support outcome deal: $1.67 per resolved ticket (the
    suggested price), a monthly minimum of $1,000, 12 months, 4,000 tickets a month."""
    doc = example("outcome_based_support.json")
    data = doc.model_dump(mode="json", by_alias=True, exclude_none=True)
    for component in data["components"]:
        if component["kind"] == "per_outcome":
            component["price_per_outcome"] = "1.67"
        if component["kind"] == "minimum_commitment":
            component["amount"] = "1000.00"
    data["term_months"] = 12
    data["usage_forecast"]["tickets_resolved"] = {"monthly": "4000"}
    return type(doc).model_validate(data)


@pytest.mark.parametrize(
    ("name", "estimated", "committed"),
    [
        # 12 x 4,000 tickets x 1.67 = 80,160.00; at zero usage the 1,000.00 minimum x 12.
        ("guided outcome", "80160.00", "12000.00"),
        # 24 months, 2.50 then 2.60 a ticket: 120,000 + 156,000; at zero usage the 10,000
        # monthly minimum x 24 = 240,000.00.
        ("outcome_based_support.json", "276000.00", "240000.00"),
        # 12 x (500 base fee + the share's 500 floor) = 12,000.00 at zero attributed revenue.
        ("outcome_contingent_sales.json", "26171.77", "12000.00"),
        # platform 18,000 + 18,900 + 19,845 and onboarding 2,500, less the launch discount's
        # 900.00 on the platform (10 % x 6 x 1,500): 58,345.00; the queries' overage
        # (4,800 - 240 discount, 5,040, 5,280) is estimated.
        ("platform_usage_analytics.json", "73225.00", "58345.00"),
        # seats only (74,696.00): year 2's extra credit packs (3,090.00) are estimated.
        ("seats_credits_coding_team.json", "77786.00", "74696.00"),
        ("seats_ai_tiers_coding_individual.json", "6420.00", None),  # no usage charge
    ],
)
def test_the_committed_total_is_the_price_at_zero_usage(
    name: str, estimated: str, committed: str | None
) -> None:
    from quote_builder.pricing import price
    from quote_builder.pricing.commitment import commitment

    doc = _guided_outcome() if name == "guided outcome" else example(name)
    priced = price(doc)
    assert priced.tcv == Decimal(estimated)
    found = commitment(doc, priced)
    if committed is None:
        assert found is None
    else:
        assert found is not None and found.total_contract_value == Decimal(committed)


@pytest.mark.parametrize(
    ("language", "committed", "estimated", "label"),
    [
        ("en", "$12,000.00", "$80,160.00", "Total contract value (est.)"),
        (
            "de",
            "12.000,00\u00a0$",
            "80.160,00\u00a0$",
            "Gesamt\u00advertrags\u00adwert (geschätzt)",
        ),
        ("fr", "12\u202f000,00\u00a0$US", "80\u202f160,00\u00a0$US", "(est.)"),
        ("es", "12.000,00\u00a0US$", "80.160,00\u00a0US$", "(est.)"),
        ("ja", "$12,000.00", "$80,160.00", "契約総額（推定）"),
    ],
)
def test_the_proposal_says_what_is_committed_and_what_is_estimated(
    language: str, committed: str, estimated: str, label: str
) -> None:
    html = render_html("proposal", _in(request_for(_guided_outcome()), language))
    text = _text(html)
    # The summary's cards and the sentence under them, and again under the schedule.
    assert committed in text and estimated in text, language
    # One sentence holds both, in the summary and under the schedule.
    sentence = re.compile(
        "<p[^>]*>[^<]*" + re.escape(committed) + "[^<]*" + re.escape(estimated) + "[^<]*</p>"
    )
    assert len(sentence.findall(html)) == 2, (language, html[:3000])
    assert label in text
    plain = _text(
        render_html("proposal", _in(request_for(example("usd_sales_tax_new_york.json")), language))
    )
    assert label not in plain  # everything committed: no "est." on the totals


def test_the_cover_says_what_is_committed_and_what_is_estimated() -> None:
    """The cover's facts table is the first thing a buyer reads: with usage charges in the
    total it gives the committed value and the estimate each on a row of its own
    ($12,000.00 committed: the monthly minimum of $1,000.00 x 12; $80,160.00 at the
    forecast usage); a quote whose total is all committed keeps one plain row."""
    html = render_html("proposal", _in(request_for(_guided_outcome()), "en"))
    cover = html[: html.index("</table>")]
    rows = [_text(r) for r in re.findall(r"<tr>.*?</tr>", cover, re.S)]
    assert "Committed contract value $12,000.00 over 12 months" in rows
    assert "Total contract value (est.) $80,160.00 over 12 months" in rows
    assert not any(r.startswith("Total contract value $") for r in rows)
    plain = render_html("proposal", _in(request_for(example("usd_sales_tax_new_york.json")), "en"))
    plain_cover = _text(plain[: plain.index("</table>")])
    assert "Total contract value $" in plain_cover and "Committed" not in plain_cover


def test_the_cover_marks_the_total_with_tax_as_estimated_too() -> None:
    """Walk 6: the cover said "Total contract value (est.)" and then "Total including tax"
    with no mark, though the tax is on the same estimated usage."""
    taxed = example("usd_sales_tax_new_york.json")
    data = _guided_outcome().model_dump(mode="json", by_alias=True, exclude_none=True)
    data["tax"] = taxed.model_dump(mode="json", by_alias=True, exclude_none=True)["tax"]
    doc = type(taxed).model_validate(data)
    html = render_html("proposal", _in(request_for(doc), "en"))
    rows = [_text(r) for r in re.findall(r"<tr>.*?</tr>", html[: html.index("</table>")], re.S)]
    assert any(r.startswith("Total including tax (est.) $") for r in rows), rows
    plain = render_html("proposal", _in(request_for(taxed), "en"))
    plain_rows = [
        _text(r) for r in re.findall(r"<tr>.*?</tr>", plain[: plain.index("</table>")], re.S)
    ]
    assert any(r.startswith("Total including tax $") for r in plain_rows), plain_rows


# --- 5. one figure in one form; no label, subtitle or verb said twice ------------------------


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [
        ("fr", "3,0\u00a0%", "3,00\u00a0%"),  # section 3 (increase) and section 10 (renewal)
        ("en", "3.0%", "3.00%"),
        ("de", "3,0\u00a0%", "3,00\u00a0%"),
    ],
)
def test_the_yearly_increase_reads_the_same_wherever_it_is_printed(
    language: str, shown: str, not_shown: str
) -> None:
    doc = example("seats_credits_coding_team.json")  # a 3 % escalator, renewing
    data = doc.model_dump(mode="json", by_alias=True, exclude_none=True)
    data.setdefault("contract", {})["auto_renew"] = True
    doc = type(doc).model_validate(data)
    text = _text(render_html("both", _in(request_for(doc), language)))
    assert text.count(shown) >= 3, language  # the term, the increase clause, the renewal
    assert not_shown not in text
    # A renewal increase with more decimals keeps them (3.25 % is not 3.3 %).
    f = Formatter("USD")
    assert (f.increase(Decimal("3")), f.increase(Decimal("3.25"))) == ("3.0%", "3.25%")


def test_no_doubled_label_subtitle_or_verb() -> None:
    from quote_builder.documents.order_form import contract_view
    from quote_builder.documents.proposal import proposal_view
    from quote_builder.documents.viewmodel import customer_view, view_meta

    doc = _sub_cent_seats("monthly")  # a 5 % "Discount", an "AI credits" component
    text = _text(render_html("both", request_for(doc)))
    assert "Discounts: Discount" not in text
    assert (
        "Discount: 5.00% off all fees except one-time fees (usage-based fees included), for the "
        "whole term." in text
    )
    req = request_for(doc)
    view = proposal_view(customer_view(req), view_meta(req))
    kinds = {row["name"]: row["kind"] for row in view["pricing"]}
    assert kinds["AI credits"] == ""  # its kind only repeats its name
    assert kinds["Team seats"] == "Seats"
    assert contract_view(customer_view(req), view_meta(req))["discounts"]
    outcome = _text(render_html("proposal", request_for(_guided_outcome())))
    assert "delivered by the service" not in outcome
    assert (
        "Estimated value of the service's work (tickets resolved): $12.00 each (15 minutes "
        "saved at $48.00 an hour); an estimate, not a commitment." in " ".join(outcome.split())
    )


def test_a_net_unit_price_past_six_decimals_is_said_to_be_rounded() -> None:
    """0.1234567 a seat less 5 % is 0.117283865 (9 decimals): printed 0.117284 (six, half
    up), the table says so, and the Rounding part carries what is left."""
    from quote_builder.documents.price_sheet import sheet_from_terms, sheet_notes
    from quote_builder.documents.viewmodel import customer_view

    doc = _sub_cent_seats("monthly")
    data = doc.model_dump(mode="json", by_alias=True, exclude_none=True)
    for component in data["components"]:
        if component["kind"] == "seats":
            component["price_per_seat"] = "0.1234567"
    doc = type(doc).model_validate(data)
    sheet = sheet_from_terms(customer_view(request_for(doc)).terms)
    rows = sheet.rows_of(1)
    (seats,) = [r for r in rows if r.kind == "component" and r.label == "Team seats"]
    rounding = rows[rows.index(seats) + 1]
    # | what                 | arithmetic                                      | amount |
    # | a month, list        | 60 x 0.1234567 = 7.407402 -> 7.41               |        |
    # | a month, discount    | 5 % of 7.41 = 0.3705 -> 0.37                    |        |
    # | the year             | 12 x 7.41 = 88.92, less 12 x 0.37 = 4.44        | 84.48  |
    # | as printed           | 720 x 0.117284 = 84.44448 -> 84.44              |        |
    # | Rounding             | 84.48 - 84.44                                   | 0.04   |
    assert seats.net_unit_price == Decimal("0.117284")
    assert (seats.amount, seats.discount_amount, seats.line_total) == (
        Decimal("88.92"),
        Decimal("4.44"),
        Decimal("84.48"),
    )
    assert (rounding.label, rounding.line_total) == ("Rounding", Decimal("0.04"))
    notes = sheet_notes(sheet, Formatter("USD"))
    assert "A net unit price with more than six decimals is rounded to six" in str(
        notes["precision"]
    )
    # An exact one (49.999 less 5 %) is not said to be rounded.
    exact = sheet_from_terms(customer_view(request_for(_sub_cent_seats("monthly"))).terms)
    assert "rounded to six" not in str(sheet_notes(exact, Formatter("USD"))["precision"])
