"""Small exact statistics on Decimals (no floats)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from quote_builder.pricing.evidence import percentile

ZERO = Decimal(0)

__all__ = ["ZERO", "coefficient_of_variation", "mean", "percentile", "top_share"]


def mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, ZERO) / len(values) if values else ZERO


def coefficient_of_variation(values: Sequence[Decimal]) -> Decimal | None:
    """Population standard deviation / mean; None when the mean is 0."""
    m = mean(values)
    if not m:
        return None
    variance = sum(((v - m) ** 2 for v in values), ZERO) / len(values)
    return variance.sqrt() / m


def top_share(amounts: Sequence[Decimal], fraction: Decimal = Decimal("0.2")) -> Decimal | None:
    """Share (0-1) of the total held by the top ``fraction`` of entries, at least one entry
    (``ceil(n x fraction)``); None when the total is 0."""
    total = sum(amounts, ZERO)
    if not total:
        return None
    ordered = sorted(amounts, reverse=True)
    count = -(-len(ordered) * fraction // 1)
    k = max(1, int(count))
    return sum(ordered[:k], ZERO) / total
