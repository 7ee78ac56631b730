"""Reduce a simulated usage log to the evidence a quote keeps (``pricing.UsageEvidence``):
totals per month and metric, users by average monthly usage, the models as simulated, and
the recommendations in words."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, Decimal

from pydantic import ValidationError

from quote_builder.pricing.document import (
    EvidenceMonth,
    MetricTotals,
    ModelSnapshot,
    UsageEvidence,
    UserBucket,
)
from quote_builder.pricing.evidence import few_months
from quote_builder.pricing.fields import MAX_MAGNITUDE

from .log import MAX_METRIC_CHARS, MAX_METRICS, UsageLog, UsageLogError, month_label
from .simulate import UsageReport, per_user_monthly
from .stats import ZERO

BUCKETS = 10


def _nice_width(top: Decimal, buckets: int) -> Decimal:
    """The smallest 1, 2 or 5 x 10^k at least ``top / buckets``."""
    raw = top / buckets
    exponent = raw.adjusted()
    for _ in range(3):
        for step in (1, 2, 5):
            width = Decimal(step).scaleb(exponent)
            if width >= raw:
                return width
        exponent += 1
    return Decimal(10).scaleb(exponent)  # pragma: no cover - the loop always returns


def user_distribution(values: list[Decimal], buckets: int = BUCKETS) -> list[UserBucket]:
    """Users counted in buckets of equal, round width from 0 to the heaviest user."""
    if not values:
        return []
    top = max(values)
    if top <= 0:
        return [UserBucket(up_to=ZERO, users=len(values))]
    width = _nice_width(top, buckets)
    count = int((top / width).to_integral_value(ROUND_CEILING))
    counts = [0] * count
    for v in values:
        index = int((v / width).to_integral_value(ROUND_CEILING)) - 1
        counts[max(0, min(count - 1, index))] += 1
    return [UserBucket(up_to=width * (i + 1), users=n) for i, n in enumerate(counts)]


def recommendations(report: UsageReport) -> list[str]:
    """The report's recommendations as sentences, with the numbers behind them."""
    c, p, s = report.credits, report.platform, report.seats
    cur = report.currency
    share = (Decimal(c.users_under_half) / c.users * 100).quantize(Decimal("0.1"))
    lines = [
        f"Credits: {c.allocation_per_seat:,} per seat a month meets the 80/50 rule: "
        f"{c.users_under_half:,} of {c.users:,} users ({share}%) use under half of it in "
        f"their busiest month ({c.basis})."
    ]
    if c.current_allocation is not None and c.current_share_under_half_percent is not None:
        whose = "the quote's" if c.current_from_quote else "the playbook template's"
        lines.append(
            f"With {whose} {c.current_allocation:,} credits per seat, "
            f"{c.current_share_under_half_percent}% of users use under half (the rule wants 80%)."
        )
    platform = (
        f"Platform fee: include {p.included_units:,} units of {p.metric} (the median month). "
    )
    if not p.unit_cost and not p.fixed_cost:
        platform += (
            f"No unit cost or fixed cost is known for {p.metric}: give them to get the fee "
            "floor and the overage break-even."
        )
    else:
        platform += (
            f"To keep a {p.target_margin_percent}% margin the fee must be at least "
            f"{p.platform_fee_floor:,} {cur} a month and overage at least "
            f"{p.overage_price_floor} {cur} a unit."
        )
    if p.break_even_units is not None:
        platform += (
            f" A fee of {p.platform_fee:,} {cur} pays for {p.break_even_units:,} units a month "
            f"at that margin; {p.months_above_break_even} of {len(report.months)} months were "
            "above."
        )
    lines.append(platform)
    lines.append(
        f"Seats: median user {s.median_per_user:,}, 90th percentile {s.p90_per_user:,} a month; "
        + s.reason
    )
    return lines


def build_evidence(
    log: UsageLog,
    report: UsageReport,
    source_name: str,
    sha256: str,
    analysed_on: dt.date,
    metric_map: dict[str, str] | None = None,
) -> UsageEvidence:
    """The evidence a quote keeps; ``UsageLogError`` when the log cannot be kept in one. A
    log from ``read_usage_log`` always can (it refuses, naming the line, a metric too many
    or too long and a month's total too large); the checks here guard a log made
    otherwise."""
    if len(log.metrics) > MAX_METRICS:
        raise UsageLogError(
            [f"the log has {len(log.metrics)} metrics; a quote keeps at most {MAX_METRICS}"]
        )
    long = [m for m in log.metrics if len(m) > MAX_METRIC_CHARS]
    if long:
        raise UsageLogError(
            [f"metric {long[0][:40]!r}...: longer than {MAX_METRIC_CHARS} characters"]
        )
    months: dict[int, dict[str, MetricTotals]] = {m: {} for m in log.months}
    sums: dict[tuple[int, str], list[Decimal]] = {}
    active: dict[int, set[str]] = {m: set() for m in log.months}
    for (month, user, metric), cell in log.cells.items():
        entry = sums.setdefault((month, metric), [ZERO, ZERO, ZERO, ZERO])
        entry[0] += cell.quantity
        entry[1] += cell.successes
        entry[2] += cell.value
        entry[3] += cell.events
        active[month].add(user)
    for (month, metric), (qty, ok, value, events) in sorted(sums.items()):
        try:
            months[month][metric] = MetricTotals(
                quantity=qty, successes=ok, value=value, events=int(events)
            )
        except ValidationError:
            raise UsageLogError(
                [
                    f"{month_label(month)}, metric {metric[:40]!r}: the month's total "
                    f"({max(qty, value):,}) is too large for a quote to keep (it must be "
                    f"below {MAX_MAGNITUDE:,})"
                ]
            ) from None
    try:
        return UsageEvidence(
            source_name=source_name[:200] or "usage log",
            sha256=sha256,
            analysed_on=analysed_on,
            rows=log.rows,
            users=len(log.users),
            has_success=log.has_success,
            has_value=log.has_value,
            metric_map=dict(metric_map or {}),
            months=[
                EvidenceMonth(month=month_label(m), active_users=len(active[m]), metrics=months[m])
                for m in log.months
            ],
            user_distribution=user_distribution(per_user_monthly(log)),
            median_per_user=report.seats.median_per_user,
            p90_per_user=report.seats.p90_per_user,
            seat_pricing_flagged=report.seats.flagged,
            seat_reason=report.seats.reason,
            recommendations=recommendations(report),
            comparison=[
                ModelSnapshot(
                    key=r.key,
                    title=r.title,
                    source=r.source,
                    average_monthly=r.average_monthly,
                    low=r.bill_range.low,
                    expected=r.bill_range.expected,
                    high=r.bill_range.high,
                    total_bill=r.total_bill,
                    margin_percent=r.margin_percent,
                    top_users_share_percent=r.top_users_share_percent,
                    range_basis="months" if few_months(len(r.months)) else None,
                )
                for r in report.models
            ],
        )
    except ValidationError as exc:
        raise UsageLogError(
            [f"the log cannot be kept with the quote: {e['msg']}" for e in exc.errors()][:5]
        ) from None
