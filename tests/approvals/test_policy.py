"""The approval policy: one sentence per reason, and who must approve."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from quote_builder.approvals import ApprovalPolicy, evaluate
from quote_builder.approvals.policy import RateTable, TableRate
from quote_builder.pricing import QuoteDocument, price
from quote_builder.pricing.quote_format import quote_from_data

FEE = {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"}


def doc(**overrides: Any) -> QuoteDocument:
    data: dict[str, Any] = {
        "customer": {"name": "Acme"},
        "currency": "USD",
        "start_date": "2027-01-01",
        "term_months": 12,
        "components": [FEE],
    }
    data.update(overrides)
    return quote_from_data(data)


def check(document: QuoteDocument, policy: ApprovalPolicy | None = None) -> Any:
    return evaluate(document, price(document), policy or ApprovalPolicy())


def discount(percent: str) -> list[dict[str, Any]]:
    return [{"description": "Launch", "percent": percent}]


def test_a_standard_quote_needs_no_approval() -> None:
    result = check(doc())
    assert (result.needed, result.required_role, result.reasons) == (False, None, [])


def test_discount_within_rep_authority_needs_nobody() -> None:
    assert not check(doc(discounts=discount("10"))).needed


def test_discount_above_the_rep_needs_a_manager() -> None:
    result = check(doc(discounts=discount("15")))
    assert result.required_role == "manager"
    assert result.reasons == [
        "The effective discount is 15.00%, above the rep's 10% authority: a manager must approve."
    ]


def test_discount_above_the_manager_needs_the_deal_desk() -> None:
    result = check(doc(discounts=discount("24")))
    assert result.required_role == "deal_desk"
    assert result.reasons == [
        "The effective discount is 24.00%, above the manager's 20% authority: "
        "the deal desk must approve."
    ]


def test_discount_above_every_authority_is_an_exception() -> None:
    policy = ApprovalPolicy(
        discount_authority={"rep": Decimal(5), "manager": Decimal(10), "deal_desk": Decimal(30)}
    )
    result = check(doc(discounts=discount("40")), policy)
    assert result.required_role == "deal_desk"
    assert "above every role's authority (the deal desk's is 30%)" in result.reasons[0]


def test_margin_below_the_floor() -> None:
    document = doc(economics={"fixed_cost_per_month": "500"})
    result = check(document)
    assert result.required_role == "deal_desk"
    assert result.reasons == [
        "The gross margin in contract year 1 is 50.0%, below the 60% floor: "
        "the deal desk must approve."
    ]


def test_long_term_and_low_escalator() -> None:
    result = check(doc(term_months=48, escalator_percent="2"))
    assert result.reasons == [
        "The term is 48 months, longer than the 36 months allowed without approval: "
        "the deal desk must approve.",
        "The escalator is 2% a year on a 48-month contract, below the 3% minimum for "
        "multi-year contracts: the deal desk must approve.",
    ]
    assert not check(doc(term_months=24, escalator_percent="3")).needed
    assert not check(doc(term_months=12)).needed  # one year: no escalator needed


def test_long_payment_terms() -> None:
    result = check(doc(contract={"payment_terms_days": 60}))
    assert result.reasons == [
        "The payment terms are 60 days, longer than the standard 30 days: "
        "the deal desk must approve."
    ]


OUTCOME = {
    "kind": "per_outcome",
    "id": "resolutions",
    "name": "Resolved tickets",
    "metric": "resolutions",
    "price_per_outcome": "2",
    "terms": {
        "definition": "A ticket closed without escalation",
        "success_criteria": "Closed",
        "verification_evidence": "Logs",
        "dispute_window_days": 30,
    },
}


def test_outcome_pricing_without_a_minimum_commitment() -> None:
    forecast = {"resolutions": {"monthly": "100"}}
    result = check(doc(components=[FEE, OUTCOME], usage_forecast=forecast))
    assert result.reasons == [
        "Resolved tickets is priced by outcome without a minimum commitment: "
        "the deal desk must approve."
    ]
    minimum = {"kind": "minimum_commitment", "id": "min", "name": "Minimum", "amount": "1000"}
    assert not check(doc(components=[FEE, OUTCOME, minimum], usage_forecast=forecast)).needed
    relaxed = ApprovalPolicy(outcome_without_minimum_needs_approval=False)
    assert not check(doc(components=[FEE, OUTCOME], usage_forecast=forecast), relaxed).needed


def test_custom_attribution_method() -> None:
    value = {
        "kind": "percent_of_value",
        "id": "share",
        "name": "Revenue share",
        "metric": "attributed",
        "percent": "1",
        "floor": "100",
        "attribution": {
            "method": "custom",
            "description": "Our own model",
            "lookback_days": 30,
            "dispute_process": "Email",
        },
    }
    result = check(doc(components=[FEE, value], usage_forecast={"attributed": {"monthly": "1000"}}))
    assert result.reasons == [
        "Revenue share uses a custom attribution method instead of a standard one: "
        "the deal desk must approve."
    ]


def test_every_reason_is_listed_and_the_highest_role_wins() -> None:
    result = check(
        doc(term_months=48, discounts=discount("15"), contract={"payment_terms_days": 45})
    )
    assert result.needed and result.required_role == "deal_desk"
    assert len(result.reasons) == 4


def test_policy_snapshot_round_trip() -> None:
    policy = ApprovalPolicy(margin_floor_percent=Decimal("62.5"), max_term_months=24)
    snap = policy.snapshot()
    assert snap["margin_floor_percent"] == "62.5"
    assert ApprovalPolicy.from_snapshot(snap) == policy


# --- one floor: the quote's own, as its warnings, the summary panel and the PDF use ------


def _floor_case(quote_floor: str, policy_floor: str) -> tuple[list[str], list[str]]:
    """A 1,000 fee with a 300 fixed cost: (1,000 - 300) / 1,000 = 70.0 % margin."""
    document = doc(economics={"fixed_cost_per_month": "300", "margin_floor_percent": quote_floor})
    priced = price(document)
    assert priced.years[0].gross_margin_percent == Decimal("70.0")
    assert priced.margin_floor_percent == Decimal(quote_floor)
    warnings = [w.message for w in priced.warnings if w.code.startswith("MARGIN_")]
    policy = ApprovalPolicy(margin_floor_percent=Decimal(policy_floor))
    return warnings, evaluate(document, priced, policy).reasons


def test_the_quote_floor_judges_the_margin_everywhere() -> None:
    # Quote 85 %, Settings 50 %: it read "Floor: 50 %" beside "below the 85 % floor".
    warnings, reasons = _floor_case("85", "50")
    assert warnings == ["Gross margin in contract year 1 is 70.0%, below the 85% floor."]
    assert reasons == [
        "The gross margin in contract year 1 is 70.0%, below the 85% floor: "
        "the deal desk must approve."
    ]


def test_a_quote_floor_below_the_policy_needs_the_deal_desk() -> None:
    # Quote 60 %, Settings 85 %: it read "Floor: 85 %" in red beside "No warnings". The
    # margin clears the quote's floor (no margin reason), but the quote's floor itself is
    # below the policy's, so lowering a quote's floor cannot bypass approval.
    warnings, reasons = _floor_case("60", "85")
    assert warnings == []
    assert reasons == [
        "This quote was priced with a 60% margin floor, below the policy's 85%: "
        "the deal desk must approve."
    ]
    assert _floor_case("60", "60") == ([], [])


def test_a_discount_swallowed_by_a_minimum_needs_no_approval() -> None:
    # 1,000 calls x 1 = 1,000 a month; 15 % off = 850, trued up to the 1,000 minimum: the
    # customer pays 1,000 either way, so the discount is 0 % and needs nobody (it read
    # 13.04 %: 150 / 1,150, above the rep's 10 %).
    document = doc(
        components=[
            {"kind": "per_unit", "id": "u", "name": "Usage", "metric": "calls", "unit_price": "1"},
            {
                "kind": "minimum_commitment",
                "id": "m",
                "name": "Minimum",
                "amount": "1000",
                "period": "month",
            },
        ],
        usage_forecast={"calls": {"monthly": "1000"}},
        discounts=discount("15"),
    )
    assert price(document).effective_discount_percent == Decimal("0.00")
    assert not any("discount" in r for r in check(document).reasons)


# --- the quote's exchange rate against the organisation's table ----------------------------

TABLE = RateTable("USD", {("USD", "EUR"): TableRate(Decimal("0.9213"), "2026-11-02", "ECB")})


def eur(rate: str | None, cost: str = "460") -> QuoteDocument:
    """1,000 EUR a month; 460 USD of costs a month: at the table's 0.9213 EUR per USD the
    revenue is 1,085.42 USD and the margin 57.6 %, below the 60 % floor."""
    fx = (
        {
            "exchange_rate": {
                "seller_currency": "USD",
                "rate": rate,
                "as_of": "2026-11-02",
                "source": "Rep",
            }
        }
        if rate is not None
        else {}
    )
    return doc(currency="EUR", economics={"fixed_cost_per_month": cost}, **fx)


def judge(document: QuoteDocument, table: RateTable | None = TABLE) -> Any:
    return evaluate(document, price(document), ApprovalPolicy(), table)


def test_a_rate_written_into_the_quote_cannot_hide_a_margin_below_the_floor() -> None:
    """At 0.3 EUR per USD the revenue looks like 3,333 USD and the margin 86 %: the
    desk is asked all the same, told the two rates, and shown the margin at the table's."""
    faked = eur("0.3")
    assert price(faked).years[0].gross_margin_percent > 80
    assert not evaluate(faked, price(faked), ApprovalPolicy()).needed  # judged on its own
    result = judge(faked)
    assert result.required_role == "deal_desk"
    assert [d.code for d in result.details] == ["RATE_OFF_TABLE", "MARGIN_BELOW_FLOOR"]
    assert result.reasons[0] == (
        "The exchange rate in this quote, 0.3 EUR per USD, is 67.4% away from the table's "
        "0.9213 EUR per USD, more than the 2% allowed; its margins are judged at 0.9213 EUR "
        "per USD: the deal desk must approve."
    )
    assert "is 57.6%, below the 60% floor" in result.reasons[1]
    assert result.judged is not None and result.judged.exchange_rate == Decimal("0.9213")
    assert result.judged.years[0].gross_margin_percent == Decimal("57.6")


def test_a_rate_within_the_tolerance_is_the_quotes_own() -> None:
    # 0.93 is 0.9 % from 0.9213: the quote's rate stands (no reason, margins as priced).
    result = judge(eur("0.93", cost="300"))
    assert (result.needed, result.judged) == (False, None)


def test_a_less_favourable_rate_in_the_quote_is_kept_for_the_margins() -> None:
    """1.2 EUR per USD makes the margin look worse than at the table's rate (0.9213): the
    floor is checked at the quote's rate, and the rate itself asks nobody, as it hides
    nothing. 350 USD of costs: 58.0 % at 1.2 (833.33 USD of revenue), 67.8 % at the
    table's."""
    result = judge(eur("1.2", cost="350"))
    assert [d.code for d in result.details] == ["MARGIN_BELOW_FLOOR"]
    assert "is 58.0%, below the 60% floor" in result.reasons[0]
    assert result.judged is None  # the quote's own pricing
    at_its_own_rate = judge(eur("1.2", cost="100"))
    assert at_its_own_rate.reasons == [] and at_its_own_rate.required_role is None


def test_the_inverse_pair_of_the_table_is_used() -> None:
    table = RateTable("USD", {("EUR", "USD"): TableRate(Decimal("1.0854"), "2026-11-02", "ECB")})
    result = judge(eur("0.3"), table)
    assert result.details[0].code == "RATE_OFF_TABLE"
    assert result.details[0].values()["table"] == Decimal("0.9213193293")  # 1 / 1.0854


def test_no_table_rate_for_the_pair_is_a_reason_not_trust() -> None:
    result = judge(eur("0.3", cost="100"), RateTable("USD"))
    assert result.required_role == "deal_desk"
    assert result.reasons == [
        "The exchange-rate table has no rate from USD to EUR, so the rate this quote's "
        "margin is measured at (0.3 EUR per USD) cannot be checked: the deal desk must approve."
    ]


def test_a_quote_in_another_currency_without_a_rate_is_judged_at_the_tables() -> None:
    """Without a rate the engine reads 600 USD of costs as 600 JPY against 150,000 JPY a
    month (a 99.6 % margin); at the table's 152.37 JPY per USD the revenue is 984.45 USD
    and the margin 39.1 %."""
    table = RateTable("USD", {("USD", "JPY"): TableRate(Decimal("152.37"), "2026-11-02", "BoJ")})
    yen = doc(
        currency="JPY",
        components=[{**FEE, "amount": "150000"}],
        economics={"fixed_cost_per_month": "600"},
    )
    assert price(yen).years[0].gross_margin_percent > 99
    result = judge(yen, table)
    assert [d.code for d in result.details] == ["RATE_MISSING", "MARGIN_BELOW_FLOOR"]
    assert result.reasons[0] == (
        "This quote keeps no exchange rate, so its costs in USD were read as JPY; its "
        "margins are judged at the table's rate, 152.37 JPY per USD: the deal desk must approve."
    )
    assert "is 39.1%, below the 60% floor" in result.reasons[1]


def test_a_quote_in_the_sellers_currency_has_no_rate_to_check() -> None:
    assert not judge(doc()).needed


def test_each_option_of_a_quote_is_judged_at_the_tables_rate() -> None:
    """Options share the quote's exchange rate: each one is judged with the table, and
    its reasons are named after it."""
    from quote_builder.pricing.options import option_from_document

    base = eur("0.3")
    data = base.to_json_dict()
    data["options"] = [
        option_from_document(base, "a", "Basis", recommended=True).model_dump(
            mode="json", exclude_none=True
        ),
        option_from_document(base, "b", "Plus").model_dump(mode="json", exclude_none=True),
    ]
    document = quote_from_data(data)
    assert not evaluate(document, price(document), ApprovalPolicy()).needed
    result = judge(document)
    assert result.required_role == "deal_desk"
    assert [(d.option, d.code) for d in result.details] == [
        ("Basis", "RATE_OFF_TABLE"),
        ("Basis", "MARGIN_BELOW_FLOOR"),
        ("Plus", "RATE_OFF_TABLE"),
        ("Plus", "MARGIN_BELOW_FLOOR"),
    ]
    assert result.reasons[0].startswith("Option Basis: The exchange rate in this quote, 0.3 EUR")
