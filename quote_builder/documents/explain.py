"""Each charge component explained in words a buyer understands (the pricing table)."""

from __future__ import annotations

from decimal import Decimal

from quote_builder.pricing.components import (
    AllowanceOverage,
    Component,
    Credits,
    FlatFee,
    Graduated,
    MinimumCommitment,
    OneTimeFee,
    Package,
    PercentOfValue,
    PerOutcome,
    PerUnit,
    Seats,
    TieredComponent,
    TransactionFee,
    Volume,
)

from .formatting import Formatter


def _months(count: int) -> str:
    return "1 month" if count == 1 else f"{count} months"


def unit_name(metric: str, count: Decimal | int = 2) -> str:
    """``tickets_resolved`` -> "tickets resolved"."""
    return metric.replace("_", " ").replace("-", " ").replace(".", " ")


def _tiers(component: TieredComponent, f: Formatter) -> str:
    parts = []
    for lower, upper, tier, _label in component.bounds():
        if upper is None:
            span = f"above {f.number(lower)}"
        elif lower == 0:
            span = f"up to {f.number(upper)}"
        else:
            span = f"{f.number(lower)} to {f.number(upper)}"
        text = f"{span}: {f.price(tier.unit_price)} each"
        if tier.flat_fee:
            text += f" plus {f.money(tier.flat_fee)}"
        parts.append(text)
    return "; ".join(parts)


def explain(component: Component, f: Formatter) -> str:
    """One or two sentences: what is charged, for what, and when."""
    if isinstance(component, FlatFee):
        return f"{f.money(component.amount)} per {component.interval}, invoiced in advance."
    if isinstance(component, OneTimeFee):
        when = "with the first invoice" if component.month == 1 else f"in month {component.month}"
        return f"{f.money(component.amount)} once, invoiced {when}."
    if isinstance(component, Seats):
        tier = f" {component.tier}" if component.tier else ""
        text = (
            f"{f.number(component.seats)}{tier} seats at {f.price(component.price_per_seat)} per seat per "
            f"{component.interval}."
        )
        if component.features:
            text += f" Includes {', '.join(component.features)}."
        if component.includes_ai:
            text += " AI features included."
        return text
    if isinstance(component, AllowanceOverage):
        units = unit_name(component.metric)
        included = []
        if component.included:
            included.append(f"{f.number(component.included)} {units}")
        if component.included_per_seat:
            included.append(f"{f.number(component.included_per_seat)} per seat")
        allowance = " plus ".join(included) or "no usage"
        return (
            f"{allowance} included each month; each of the {units} above that costs "
            f"{f.price(component.overage_unit_price)}, invoiced in arrears."
        )
    if isinstance(component, PerUnit):
        return f"{f.price(component.unit_price)} for each of the {unit_name(component.metric)}, invoiced in arrears."
    if isinstance(component, Graduated):
        return (
            f"Graduated price per month for {unit_name(component.metric)}: each tier prices the units "
            f"inside it: {_tiers(component, f)}."
        )
    if isinstance(component, Volume):
        return (
            f"Volume price per month for {unit_name(component.metric)}: every unit is priced at the "
            f"tier the month's total reaches: {_tiers(component, f)}."
        )
    if isinstance(component, Package):
        text = (
            f"{f.money(component.package_price)} per block of {f.number(component.package_size)} "
            f"{unit_name(component.metric)}; a started block counts in full"
        )
        if component.free_units:
            text += f"; the first {f.number(component.free_units)} each month are free"
        return text + "."
    if isinstance(component, Credits):
        allocation = []
        if component.allocation_per_seat:
            allocation.append(f"{f.number(component.allocation_per_seat)} credits per seat")
        if component.allocation_pool:
            allocation.append(f"a shared pool of {f.number(component.allocation_pool)} credits")
        burns = ", ".join(
            f"{unit_name(metric)}: {f.number(rate)} credit{'s' if rate != 1 else ''} each"
            for metric, rate in component.burn.items()
        )
        if component.pack is not None:
            extra = f"extra credits in packs of {f.number(component.pack.credits)} at {f.money(component.pack.price)}"
        else:
            assert component.overage_price_per_credit is not None
            extra = f"extra credits at {f.price(component.overage_price_per_credit)} each"
        expiry = (
            "unused allocation expires at month end"
            if not component.rollover_months
            else f"unused allocation rolls over, up to {_months(component.rollover_months)} of allocation"
        )
        return f"{' and '.join(allocation) or 'No allocation'} each month ({burns}); {extra}; {expiry}."
    if isinstance(component, PerOutcome):
        return (
            f"{f.price(component.price_per_outcome)} per successful outcome ({unit_name(component.metric)}), "
            "as defined in the outcome terms, invoiced in arrears."
        )
    if isinstance(component, PercentOfValue):
        text = f"{f.number(component.percent)}% of the value attributed to the service ({unit_name(component.metric)})"
        if component.baseline:
            text += f" above a baseline of {f.money(component.baseline)} a month"
        limits = []
        if component.floor is not None:
            limits.append(f"at least {f.money(component.floor)}")
        if component.cap is not None:
            limits.append(f"at most {f.money(component.cap)}")
        if limits:
            text += f"; {' and '.join(limits)} a month"
        return text + ", as set out in the attribution terms."
    if isinstance(component, TransactionFee):
        text = f"{f.number(component.percent)}% of each transaction's value"
        if component.fixed_fee:
            text += f" plus {f.price(component.fixed_fee)}"
        limits = []
        if component.minimum_fee is not None:
            limits.append(f"at least {f.price(component.minimum_fee)}")
        if component.maximum_fee is not None:
            limits.append(f"at most {f.price(component.maximum_fee)}")
        if limits:
            text += f", {' and '.join(limits)} per transaction"
        return (
            f"{text} ({unit_name(component.count_metric)}, valued by "
            f"{unit_name(component.metric)}), invoiced in arrears."
        )
    if isinstance(component, MinimumCommitment):
        return (
            f"A minimum spend of {f.money(component.amount)} per {component.period}; any shortfall is "
            "invoiced as a true-up at the end of the period."
        )
    return component.description or component.label
