"""The bill range over a quote's usage evidence: how its cost grows with the log's months.

Prices the 36-month, 12-component deal of bench_pricing.py over evidence of 12, 36 and 120
months, every metric of the deal fed from the log (``pricing.evidence.evidence_bills``
prices contract year 1 once per distinct log month).

Run: .venv/bin/python benchmarks/bench_evidence.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pricing import deal  # noqa: E402

from quote_builder.pricing.document import UsageEvidence  # noqa: E402
from quote_builder.pricing.evidence import evidence_bills  # noqa: E402


def evidence(months: int, metrics: list[str]) -> UsageEvidence:
    return UsageEvidence.model_validate(
        {
            "source_name": "bench.csv",
            "sha256": "a" * 64,
            "analysed_on": "2026-11-28",
            "rows": 1,
            "users": 1,
            "months": [
                {
                    "month": f"{2010 + i // 12:04d}-{i % 12 + 1:02d}",
                    "metrics": {
                        m: {"quantity": str(1000 + 7 * i + j)} for j, m in enumerate(metrics)
                    },
                }
                for i in range(months)
            ],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = deal()
    metrics = sorted({m for c in base.components for m in c.metrics()})
    for months in (12, 36, 120):
        doc = base.model_copy(update={"usage_evidence": evidence(months, metrics)})
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            evidence_bills(doc)
            times.append(time.perf_counter() - start)
        print(f"{months:>4} log months: median {statistics.median(times) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
