"""Pricing speed: a 36-month deal with 12 components billed monthly.

The app reprices on every keystroke, so the target is a median of at most 5 ms in-process.
Run: .venv/bin/python benchmarks/bench_pricing.py [--runs 300]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from typing import Any

from quote_builder.pricing import QuoteDocument, price
from quote_builder.pricing.quote_format import quote_from_data

TARGET_MS = 5.0


def deal() -> QuoteDocument:
    terms = {
        "definition": "A ticket closed without human escalation",
        "success_criteria": "Not reopened within 7 days",
        "verification_evidence": "Helpdesk audit log",
        "dispute_window_days": 30,
    }
    tiers = [
        {"up_to": "1000", "unit_price": "0.50", "flat_fee": "20"},
        {"up_to": "10000", "unit_price": "0.30"},
        {"unit_price": "0.10"},
    ]
    components: list[dict[str, Any]] = [
        {"kind": "one_time_fee", "id": "onboarding", "name": "Onboarding", "amount": "5000"},
        {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "2500"},
        {
            "kind": "seats",
            "id": "seats",
            "name": "Seats",
            "tier": "Team",
            "seats": 50,
            "price_per_seat": "40",
        },
        {
            "kind": "credits",
            "id": "credits",
            "name": "AI credits",
            "seats_component": "seats",
            "allocation_per_seat": "500",
            "burn": {"chat": "1", "agent": "5"},
            "overage_price_per_credit": "0.02",
            "rollover_months": 2,
        },
        {
            "kind": "per_unit",
            "id": "exports",
            "name": "Exports",
            "metric": "exports",
            "unit_price": "0.05",
        },
        {"kind": "graduated", "id": "docs", "name": "Documents", "metric": "docs", "tiers": tiers},
        {"kind": "volume", "id": "pages", "name": "Pages", "metric": "pages", "tiers": tiers},
        {
            "kind": "package",
            "id": "enrich",
            "name": "Enrichments",
            "metric": "enrich",
            "package_size": "100",
            "package_price": "15",
            "free_units": "200",
        },
        {
            "kind": "allowance_overage",
            "id": "ops",
            "name": "Operations",
            "metric": "ops",
            "included": "10000",
            "included_per_seat": "100",
            "seats_component": "seats",
            "overage_unit_price": "0.02",
        },
        {
            "kind": "per_outcome",
            "id": "tickets",
            "name": "Resolved tickets",
            "metric": "tickets",
            "price_per_outcome": "2.50",
            "terms": terms,
        },
        {
            "kind": "percent_of_value",
            "id": "share",
            "name": "Revenue share",
            "metric": "revenue",
            "percent": "0.5",
            "baseline": "100000",
            "floor": "500",
            "cap": "10000",
            "attribution": {"method": "holdout_group", "lookback_days": 90},
        },
        {"kind": "minimum_commitment", "id": "min", "name": "Minimum", "amount": "50000"},
    ]
    growth = {"monthly": "1000", "growth_percent_per_month": "3"}
    return quote_from_data(
        {
            "customer": {"name": "Benchmark Corp"},
            "product_category": "analytics_copilot",
            "currency": "USD",
            "start_date": "2027-01-01",
            "term_months": 36,
            "billing_frequency": "monthly",
            "escalator_percent": "4",
            "components": components,
            "discounts": [
                {"percent": "10", "months": 6},
                {"amount": "100", "component": "platform"},
            ],
            "ramps": [{"year": 2, "seats": {"seats": 80}}, {"year": 3, "seats": {"seats": 120}}],
            "usage_forecast": {
                "chat": {"monthly": "20000", "growth_percent_per_month": "2"},
                "agent": {"monthly": "2000", "growth_percent_per_month": "2"},
                "exports": growth,
                "docs": {"monthly": "12000", "growth_percent_per_month": "1"},
                "pages": {"per_year": ["8000", "12000", "20000"]},
                "enrich": growth,
                "ops": {"monthly": "15000", "growth_percent_per_month": "2"},
                "tickets": {"monthly": "3000", "growth_percent_per_month": "1"},
                "revenue": {"monthly": "400000", "growth_percent_per_month": "2"},
            },
            "economics": {
                "unit_costs": {
                    "chat": "0.004",
                    "agent": "0.03",
                    "docs": "0.02",
                    "ops": "0.01",
                    "tickets": "0.3",
                },
                "fixed_cost_per_month": "800",
                "levers": {"routing_savings_percent": "40", "cache_hit_percent": "30"},
                "cost_decline_percent_per_year": "30",
            },
            "value": {
                "metric": "tickets",
                "minutes_saved_per_unit": "12",
                "loaded_hourly_rate": "45",
            },
            "advisor": {"usage_intensity_variation": "medium"},
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    doc = deal()
    priced = price(doc)  # warm up
    assert len(priced.periods) == 36 and len(doc.components) == 12
    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        price(doc)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"python {platform.python_version()} on {platform.machine()}, {args.runs} runs")
    print(f"price(): 36 months x 12 components, monthly billing, {len(priced.warnings)} warnings")
    print(
        f"median {median:.2f} ms   p95 {p95:.2f} ms   min {timings[0]:.2f} ms   target <= {TARGET_MS} ms"
    )
    print("PASS" if median <= TARGET_MS else "FAIL")


if __name__ == "__main__":
    main()
