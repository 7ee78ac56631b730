"""A percent of each transaction's value plus a fixed fee, each transaction's fee raised
to a minimum and limited to a maximum ("1.5 % + 0.10, at least 0.50, at most 5")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from quote_builder.pricing import QuoteFileError, component_from_dict, price
from quote_builder.pricing.components import TransactionFee, Usage, exact_fees_key

from .factories import make_quote

D = Decimal
PAYMENTS: dict[str, Any] = {
    "kind": "transaction_fee",
    "id": "pay",
    "name": "Payments",
    "metric": "payment_volume",
    "count_metric": "payments",
    "percent": "1.5",
    "fixed_fee": "0.10",
    "minimum_fee": "0.50",
    "maximum_fee": "5",
}
FEE = component_from_dict(PAYMENTS)
assert isinstance(FEE, TransactionFee)


@pytest.mark.parametrize(
    ("value", "fee"),
    [
        ("0", "0.50"),  # 0 x 1.5 % + 0.10 = 0.10, raised to the 0.50 minimum
        ("10", "0.50"),  # 0.15 + 0.10 = 0.25 -> 0.50
        ("26.6666", "0.50"),  # 0.399999 + 0.10 = 0.499999 -> 0.50
        ("26.67", "0.50005"),  # 0.40005 + 0.10 = 0.50005: just above the minimum
        ("100", "1.60"),  # 1.50 + 0.10
        ("326.66", "4.9999"),  # 4.8999 + 0.10
        ("326.67", "5"),  # 4.90005 + 0.10 = 5.00005 -> the 5 maximum
        ("10000", "5"),  # 150 + 0.10 -> 5
    ],
)
def test_fee_of_one_transaction(value: str, fee: str) -> None:
    assert FEE.fee_for(D(value)) == D(fee)


@pytest.mark.parametrize(
    ("count", "value", "amount", "labels"),
    [
        # 100 payments of 20 on average: each 0.30 + 0.10 = 0.40, raised to 0.50: 100 x 0.50
        (
            "100",
            "2000",
            "50",
            [
                "1.5% of transaction value",
                "Fixed fee per transaction",
                "Raised to the minimum per transaction",
            ],
        ),
        # 100 payments of 100: 1.50 + 0.10 = 1.60 each: 100 x 1.60 = 160
        ("100", "10000", "160", ["1.5% of transaction value", "Fixed fee per transaction"]),
        # 100 payments of 500: 7.50 + 0.10 = 7.60, limited to 5: 100 x 5 = 500
        (
            "100",
            "50000",
            "500",
            [
                "1.5% of transaction value",
                "Fixed fee per transaction",
                "Limited to the maximum per transaction",
            ],
        ),
        # 0 payments and 0 value: nothing
        ("0", "0", "0", []),
        # 0 counted but value reported: the percent only, 1.5 % x 1,000 = 15
        ("0", "1000", "15", ["1.5% of transaction value"]),
        # 0.5 payments (a fractional forecast) of 2,000: average 4,000 -> 5 max x 0.5 = 2.5
        (
            "0.5",
            "2000",
            "2.5",
            [
                "1.5% of transaction value",
                "Fixed fee per transaction",
                "Limited to the maximum per transaction",
            ],
        ),
    ],
)
def test_forecast_prices_the_average_transaction(
    count: str, value: str, amount: str, labels: list[str]
) -> None:
    result = FEE.charge(Usage({"payments": D(count), "payment_volume": D(value)}, {}))
    assert result.amount == D(amount)
    assert [line.label for line in result.lines] == labels
    assert result.amount == sum((line.amount for line in result.lines), D(0))


def test_exact_fees_from_a_log_replace_the_average() -> None:
    # Two payments, 10 and 990: the average (500) would give 2 x 5 = 10; each on its own:
    # 10 -> 0.25 -> 0.50 and 990 -> 14.95 -> 5: 5.50 in all.
    usage = Usage(
        {"payments": D(2), "payment_volume": D(1000), exact_fees_key("pay"): D("5.50")}, {}
    )
    result = FEE.charge(usage)
    assert result.amount == D("5.50")
    [line] = result.lines
    assert (line.quantity, line.unit_price, line.amount) == (D(2), D("2.75"), D("5.50"))
    assert FEE.charge(Usage({"payments": D(2), "payment_volume": D(1000)}, {})).amount == D(10)


def test_a_quote_prices_it_month_by_month() -> None:
    # 1,000 payments a month worth 40,000: average 40 -> 0.60 + 0.10 = 0.70 each: 700 a
    # month; 12 months: 8,400. Not escalated.
    document = make_quote(
        term_months=24,
        escalator_percent="5",
        components=[PAYMENTS],
        usage_forecast={"payments": {"monthly": "1000"}, "payment_volume": {"monthly": "40000"}},
        economics={"unit_costs": {"payments": "0.05"}},
    )
    priced = price(document)
    assert [y.revenue for y in priced.years] == [D("8400.00"), D("8400.00")]
    assert [y.cogs for y in priced.years] == [D("600.00"), D("600.00")]  # 1,000 x 0.05 x 12
    assert "NO_UNIT_COST" not in {w.code for w in priced.warnings}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            {"minimum_fee": "6"},
            "components[0]: the minimum per transaction (minimum_fee, 6) is above the maximum "
            "per transaction (maximum_fee, 5)",
        ),
        ({"count_metric": "payment_volume"}, "components[0]: count_metric must differ from metric"),
        (
            {"percent": "101"},
            "components[0].percent: must be at most 100 (it is a percent) (got 101)",
        ),
        ({"fixed_fee": "-1"}, "components[0].fixed_fee: must not be negative (got -1)"),
        ({"count_metric": None}, "components[0].count_metric: required"),
    ],
)
def test_bad_fields_are_named(change: dict[str, Any], problem: str) -> None:
    component = {k: v for k, v in {**PAYMENTS, **change}.items() if v is not None}
    with pytest.raises(QuoteFileError) as info:
        make_quote(components=[component])
    assert any(p.startswith(problem) for p in info.value.problems), info.value.problems


def test_explained_in_words_for_the_proposal() -> None:
    from quote_builder.documents.explain import explain
    from quote_builder.documents.formatting import Formatter

    assert explain(FEE, Formatter("USD")) == (
        "1.5% of each transaction's value plus $0.10, at least $0.50 and at most $5.00 per "
        "transaction (payments, valued by payment volume), invoiced in arrears."
    )
