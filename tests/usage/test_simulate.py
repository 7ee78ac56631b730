"""Simulation and recommendations on generated logs with known answers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from quote_builder.pricing import load_quote
from quote_builder.usage import read_usage_log, report_to_dict, simulate
from quote_builder.usage.log import UsageLog
from quote_builder.usage.stats import percentile, top_share

ROOT = Path(__file__).resolve().parents[2]
D = Decimal


def log_of(rows: list[str], header: str = "timestamp,user,metric,quantity,success\n") -> UsageLog:
    return read_usage_log(iter([header, *rows]))


def one_month(quantities: dict[str, int], month: str = "2026-03") -> list[str]:
    return [f"{month}-05T12:00:00Z,{u},ai_actions,{q},true\n" for u, q in quantities.items()]


def model(report, key: str):  # type: ignore[no-untyped-def]
    return next(m for m in report.models if m.key == key)


def test_percentile_interpolates_and_top_share_rounds_the_count_up() -> None:
    values = [D(v) for v in (500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400)]
    assert percentile(values, D(10)) == D(590)
    assert percentile(values, D(50)) == D(950)
    assert percentile(values, D(90)) == D(1310)
    assert top_share([D(1), D(1), D(1)]) == D(1) / 3  # ceil(0.6) = 1 entry


def test_credit_allocation_meets_the_80_50_rule() -> None:
    # Exactly 80 % of users (8 of 10) use at most 100 in their busiest month.
    users = {f"u{i}": 100 for i in range(8)} | {"heavy1": 1000, "heavy2": 1000}
    rows = one_month(users) + one_month({"u0": 40}, "2026-04")  # a quieter month: peak stays 100
    report = simulate(log_of(rows))
    credits = report.credits
    assert credits.p80_peak_usage == 100
    assert credits.allocation_per_seat == 201  # 80 % must use *under* half: 100 < 100.5
    assert (credits.users_under_half, credits.users) == (8, 10)
    # The template's 500 credits: 8 of 10 use under 250.
    assert credits.current_allocation == 500
    assert credits.current_share_under_half_percent == D("80.0")


def test_top_20_percent_share_for_platform_plus_usage() -> None:
    # Template: 500 a month including 1,000 operations, then 0.25 each.
    # 2 heavy users x 3,000 + 8 x 500 = 10,000 operations: bill 500 + 9,000 x 0.25 = 2,750.
    # The fee splits evenly (50 each); the overage by usage (3,000 / 10,000 x 2,250 = 675).
    # Top 2 users: 2 x (50 + 675) = 1,450 of 2,750 = 52.7 %.
    users = {"heavy1": 3000, "heavy2": 3000} | {f"u{i}": 500 for i in range(8)}
    report = simulate(log_of(one_month(users)))
    platform = model(report, "platform_usage")
    assert platform.total_bill == D("2750.00")
    assert platform.top_users_share_percent == D("52.7")
    # Concentration inside one account: no playbook benchmark is attached to it (the
    # playbook's 50-60 % is about customers across a book of business).
    assert not hasattr(platform, "expected_share_percent")
    # COGS: 10,000 x 0.05.
    assert platform.total_cogs == D("500.00")
    assert platform.margin_percent == D("81.8")


def test_bill_range_is_p10_median_p90_of_monthly_bills() -> None:
    # Ten months of 1,000 + 400 k operations: bills 500, 600, ... 1,400.
    rows = [f"2026-{k + 1:02d}-10T00:00:00Z,u1,ops,{1000 + 400 * k},true\n" for k in range(10)]
    report = simulate(log_of(rows))
    platform = model(report, "platform_usage")
    assert [m.bill for m in platform.months] == [
        D(500 + 100 * k).quantize(D("0.01")) for k in range(10)
    ]
    r = platform.bill_range
    assert (r.low, r.expected, r.high) == (D("590.00"), D("950.00"), D("1310.00"))
    # Included units for a platform fee: the median month (2,800 operations).
    assert report.platform.included_units == 2800
    # Break-even: 500 x (1 - 70 %) / 0.05 = 3,000 operations a month pay for themselves.
    assert report.platform.break_even_units == 3000
    assert report.platform.months_above_break_even == 4  # 3,400 ... 4,600
    assert report.platform.platform_fee_floor == D("466.67")  # 2,800 x 0.05 / 0.3


def test_seat_pricing_is_flagged_when_usage_per_seat_varies_widely() -> None:
    even = simulate(log_of(one_month({f"u{i}": 10 for i in range(5)})))
    assert not even.seats.flagged
    assert even.seats.coefficient_of_variation == D("0.00")
    assert even.seats.p90_to_median == D("1.00")
    # 9 users at 10, one at 1,000: p90 = 10 + 0.1 x 990 = 109 (10.9x the median).
    skewed = simulate(log_of(one_month({f"u{i}": 10 for i in range(9)} | {"heavy": 1000})))
    seats = skewed.seats
    assert seats.flagged
    assert seats.median_per_user == D("10.00")
    assert seats.p90_per_user == D("109.00")
    assert seats.p90_to_median == D("10.90")
    # sd = sqrt((9 x 99^2 + 891^2) / 10) = 297; 297 / 109 = 2.72
    assert seats.coefficient_of_variation == D("2.72")
    assert "headcount-blind" in seats.reason


def test_outcomes_are_successful_rows_and_value_share_reads_attributed_value() -> None:
    rows = [
        "2026-01-02,a,tickets,400,true,100000\n",
        "2026-01-03,b,tickets,100,false,\n",
    ]
    report = simulate(log_of(rows, "timestamp,user,metric,quantity,success,attributed_value\n"))
    outcome = model(report, "outcome_based")
    # 400 outcomes x 3.00 = 1,200 (above the 1,000 monthly minimum); cost 400 x 0.40.
    assert outcome.total_bill == D("1200.00")
    assert outcome.total_cogs == D("160.00")
    value = model(report, "outcome_contingent")
    # 1,000 base + 0.5 % of 100,000.
    assert value.total_bill == D("1500.00")


def test_a_quote_prices_its_own_model_with_the_logs_quantities() -> None:
    quote = load_quote((ROOT / "examples" / "platform_usage_analytics.json").read_text())
    rows = [f"2026-01-{d:02d},analyst{d % 3},queries,100,true\n" for d in range(1, 31)]
    report = simulate(log_of(rows), quote)
    row = report.models[0]
    assert (row.key, row.source) == ("platform_usage", "quote")
    assert [m.source for m in report.models[1:]] == ["template"] * 4
    # 3,000 queries: 1,500 + 1,000 x 0.40 = 1,900 a month. A log month's bill is the
    # average month of contract year 1 at that usage: the 10 % launch discount covers 6 of
    # its 12 months, so 1,900 x (1 - 10 % x 6 / 12) = 1,805. The onboarding fee is one-time
    # and left out of the monthly bill.
    assert row.total_bill == D("1805.00")
    # COGS: 150 fixed + 3,000 x 0.10 x (1 - 40 %) x (1 - 30 %).
    assert row.total_cogs == D("276.00")
    assert report.platform.metric == "queries"
    assert report.platform.included_units == 3000
    assert report.platform.platform_fee == D("1500.00")


def test_report_json_has_decimal_strings() -> None:
    report = simulate(log_of(one_month({"a": 1, "b": 2})))
    data = report_to_dict(report)
    first = data["models"][0]
    assert isinstance(first["total_bill"], str)
    assert isinstance(first["months"][0]["bill"], str)
    assert data["credits"]["allocation_per_seat"] == "5"
    assert data["months"] == ["2026-03"]


def test_credit_advice_uses_the_quotes_burn_rates() -> None:
    quote = load_quote((ROOT / "examples" / "seats_credits_coding_team.json").read_text())
    # Credits: chat 1 each, agent task 20 each. 4 users at 10 tasks (200 credits) + 100 chat
    # = 300; one user at 100 tasks = 2,000. 80 % (4 of 5) peak at 300: allocation 601.
    rows = []
    for user in ("a", "b", "c", "d"):
        rows += [
            f"2026-02-02,{user},agent_tasks,10,true\n",
            f"2026-02-03,{user},chat_messages,100,\n",
        ]
    rows.append("2026-02-04,e,agent_tasks,100,true\n")
    report = simulate(log_of(rows), quote)
    credits = report.credits
    assert credits.basis == "credits burned by the quote's rates"
    assert (credits.p80_peak_usage, credits.allocation_per_seat) == (300, 601)
    # The quote's 1,500 per seat: all 4 light users and not the heavy one are under 750.
    assert credits.current_allocation == 1500
    assert credits.current_share_under_half_percent == D("80.0")
    assert report.models[0].source == "quote"


def _mapped_quote(metric: str) -> object:
    from quote_builder.pricing.quote_format import quote_from_data

    from ..pricing.factories import PLATFORM_WITH_ALLOWANCE, quote_data

    components = [dict(c) for c in PLATFORM_WITH_ALLOWANCE]
    components[1]["metric"] = metric
    return quote_from_data(
        quote_data(
            components=components,
            usage_forecast={metric: {"monthly": "600"}},
            economics={"unit_costs": {metric: "0.10"}},
        )
    )


def test_platform_advice_reads_the_quote_metric_mapping() -> None:
    # The log writes api_call; the quote charges enrichments, mapped to api_call. Months of
    # 560, 720 and 910 calls: the median month, 720, is what the fee should include (it
    # said "include 0 units" while the table above priced 720 a month).
    rows = [
        f"2026-{m:02d}-05T12:00:00Z,u1,api_call,{q},true\n"
        for m, q in ((1, 560), (2, 720), (3, 910))
    ] + ["2026-02-06T12:00:00Z,u1,other,5000,true\n"]  # a metric the quote does not read
    quote = _mapped_quote("enrichments")
    report = simulate(log_of(rows), quote, metric_map={"enrichments": "api_call"})  # type: ignore[arg-type]
    assert report.platform.metric == "enrichments (log: api_call)"
    assert report.platform.included_units == 720
    # Fee floor: (0 fixed + 0.10 x 720) / (1 - 0.70) = 72 / 0.3 = 240.00
    assert report.platform.platform_fee_floor == D("240.00")
    # Break-even: 1,000 x 0.3 / 0.10 = 3,000 a month; no month is above it.
    assert report.platform.break_even_units == 3000
    # Without a map, nothing is named 'enrichments', so the quote's one unmatched metric
    # reads the log metrics nothing else reads: both. Months 560, 720 + 5,000 = 5,720 and
    # 910: the median month is 910.
    unmapped = simulate(log_of(rows), quote)  # type: ignore[arg-type]
    assert unmapped.platform.metric == "enrichments (log: api_call, other)"
    assert unmapped.platform.included_units == 910


def test_credit_advice_reads_the_quote_metric_mapping() -> None:
    from quote_builder.pricing.quote_format import quote_from_data

    from ..pricing.factories import quote_data

    quote = quote_from_data(
        quote_data(
            components=[
                {
                    "kind": "seats",
                    "id": "seats",
                    "name": "Seats",
                    "seats": 2,
                    "price_per_seat": "30",
                },
                {
                    "kind": "credits",
                    "id": "c",
                    "name": "Credits",
                    "seats_component": "seats",
                    "allocation_per_seat": "100",
                    "burn": {"ai_actions": "2"},
                    "overage_price_per_credit": "0.01",
                },
            ],
            usage_forecast={"ai_actions": {"monthly": "100"}},
        )
    )
    # Log metric 'assist' mapped to ai_actions at 2 credits each: users peak at 10 and 40
    # actions = 20 and 80 credits; the 80th-percentile user (2 users: the 2nd) peaks at
    # 80, so 2 x 80 + 1 = 161 credits.
    rows = [
        "2026-03-05T12:00:00Z,a,assist,10,true\n",
        "2026-03-05T12:00:00Z,b,assist,40,true\n",
    ]
    report = simulate(log_of(rows), quote, metric_map={"ai_actions": "assist"})
    assert report.credits.p80_peak_usage == 80
    assert report.credits.allocation_per_seat == 161
