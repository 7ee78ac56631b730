"""Each charge component explained in words a buyer understands (the pricing table)."""

from __future__ import annotations

import re
from collections.abc import Sequence
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
from quote_builder.pricing.terms import CustomerTerms

from .formatting import Formatter
from .i18n import N_, joined
from .own_words import unit_name


def _tier(lower: Decimal, upper: Decimal | None, price: str, fee: str, f: Formatter) -> str:
    low, high = f.number(lower), f.number(upper) if upper is not None else ""
    if fee:
        if upper is None:
            return f._(
                "above %(lower)s: %(price)s each plus %(fee)s", lower=low, price=price, fee=fee
            )
        if lower == 0:
            return f._(
                "up to %(upper)s: %(price)s each plus %(fee)s", upper=high, price=price, fee=fee
            )
        return f._(
            "%(lower)s to %(upper)s: %(price)s each plus %(fee)s",
            lower=low,
            upper=high,
            price=price,
            fee=fee,
        )
    if upper is None:
        return f._("above %(lower)s: %(price)s each", lower=low, price=price)
    if lower == 0:
        return f._("up to %(upper)s: %(price)s each", upper=high, price=price)
    return f._("%(lower)s to %(upper)s: %(price)s each", lower=low, upper=high, price=price)


def _tiers(component: TieredComponent, f: Formatter) -> str:
    parts = [
        _tier(
            lower,
            upper,
            f.price(tier.unit_price),
            f.money(tier.flat_fee) if tier.flat_fee else "",
            f,
        )
        for lower, upper, tier, _label in component.bounds()
    ]
    # Translators: separates the tiers of a price list ("up to 100: $1.00 each; above ...").
    return joined(f._("; "), parts)


def seat_counts_of(terms: CustomerTerms, component: Component) -> tuple[int, ...]:
    """A seats line's committed count in each contract year (ramps applied); empty for
    another kind of line."""
    if not isinstance(component, Seats):
        return ()
    return tuple(year.seats.get(component.id, component.seats) for year in terms.years)


def _no_seats(component: Seats, f: Formatter) -> str:
    """A seats line without a seat in any contract year, said so: not ordered (its price is
    what an added seat costs). "0 Viewer seats at €15.00" read as if bought."""
    price = f.price(component.price_per_seat)
    if component.tier:
        if component.interval == "month":
            return f._(
                "No %(tier)s seats ordered; %(price)s per seat per month for seats you add.",
                tier=component.tier,
                price=price,
            )
        return f._(
            "No %(tier)s seats ordered; %(price)s per seat per year for seats you add.",
            tier=component.tier,
            price=price,
        )
    if component.interval == "month":
        return f._("No seats ordered; %(price)s per seat per month for seats you add.", price=price)
    return f._("No seats ordered; %(price)s per seat per year for seats you add.", price=price)


def _runs(counts: Sequence[int], f: Formatter) -> str:
    """Seat counts by contract year in words: "none in year 1, 25 in years 2 and 3, and 40
    from year 4" (a count that holds to the term's end is "from")."""
    parts = []
    start = 0
    while start < len(counts):
        end = start
        while end + 1 < len(counts) and counts[end + 1] == counts[start]:
            end += 1
        count, first, last = counts[start], start + 1, end + 1
        if last == len(counts) and first > 1:
            parts.append(
                f._("%(count)s from year %(year)s", count=f.number(count), year=first)
                if count
                else f._("none from year %(year)s", year=first)
            )
        elif first == last:
            parts.append(
                f._("%(count)s in year %(year)s", count=f.number(count), year=first)
                if count
                else f._("none in year %(year)s", year=first)
            )
        elif last == first + 1:
            parts.append(
                f._(
                    "%(count)s in years %(first)s and %(last)s",
                    count=f.number(count),
                    first=first,
                    last=last,
                )
                if count
                else f._("none in years %(first)s and %(last)s", first=first, last=last)
            )
        else:
            parts.append(
                f._(
                    "%(count)s in years %(first)s to %(last)s",
                    count=f.number(count),
                    first=first,
                    last=last,
                )
                if count
                else f._("none in years %(first)s to %(last)s", first=first, last=last)
            )
        start = end + 1
    return f.listing(parts)


def _seats_by_year(component: Seats, f: Formatter, counts: Sequence[int]) -> str:
    """A seats line whose count changes between contract years (a ramp), with each year's
    count: "120 Analyst seats at €45.00" said only year 1's, and "0 Analyst seats" one
    that starts in year 2, against the committed quantities by year."""
    price, runs = f.price(component.price_per_seat), _runs(counts, f)
    if component.tier:
        if component.interval == "month":
            return f._(
                "%(tier)s seats at %(price)s per seat per month: %(counts)s.",
                tier=component.tier,
                price=price,
                counts=runs,
            )
        return f._(
            "%(tier)s seats at %(price)s per seat per year: %(counts)s.",
            tier=component.tier,
            price=price,
            counts=runs,
        )
    if component.interval == "month":
        return f._("Seats at %(price)s per seat per month: %(counts)s.", price=price, counts=runs)
    return f._("Seats at %(price)s per seat per year: %(counts)s.", price=price, counts=runs)


def _seats(component: Seats, f: Formatter, counts: Sequence[int] = ()) -> str:
    count, price = component.seats, f.price(component.price_per_seat)
    if counts and not any(counts):
        return _no_seats(component, f)
    if len(set(counts)) > 1:
        return _seats_by_year(component, f, counts)
    if count == 0:
        return _no_seats(component, f)
    number = f.number(count)
    if component.tier:
        if component.interval == "month":
            return f._n(
                "%(count)s %(tier)s seat at %(price)s per seat per month.",
                "%(count)s %(tier)s seats at %(price)s per seat per month.",
                count,
                count=number,
                tier=component.tier,
                price=price,
            )
        return f._n(
            "%(count)s %(tier)s seat at %(price)s per seat per year.",
            "%(count)s %(tier)s seats at %(price)s per seat per year.",
            count,
            count=number,
            tier=component.tier,
            price=price,
        )
    if component.interval == "month":
        return f._n(
            "%(count)s seat at %(price)s per seat per month.",
            "%(count)s seats at %(price)s per seat per month.",
            count,
            count=number,
            price=price,
        )
    return f._n(
        "%(count)s seat at %(price)s per seat per year.",
        "%(count)s seats at %(price)s per seat per year.",
        count,
        count=number,
        price=price,
    )


def allowance_host(components: Sequence[Component]) -> str:
    """The name of the quote's one recurring fee (a platform fee), which an included
    allowance is part of: the allowance is then stated as the fee's ("the 2,000 queries a
    month included in the Platform fee"), so that the fee's description and the usage line
    read as one allowance, not two. Empty when the quote has no recurring fee or several."""
    fees = [c for c in components if isinstance(c, FlatFee)]
    return fees[0].name if len(fees) == 1 else ""


def _allowance(component: AllowanceOverage, f: Formatter, host: str = "") -> str:
    unit, price = unit_name(component.metric, f), f.price(component.overage_unit_price)
    included, per_seat = component.included, component.included_per_seat
    if host and included and per_seat:
        return f._(
            "Beyond the %(included)s %(unit)s plus %(per_seat)s per seat a month included in the "
            "%(fee)s, %(unit)s cost %(price)s each, invoiced in arrears.",
            included=f.number(included),
            per_seat=f.number(per_seat),
            unit=unit,
            price=price,
            fee=host,
        )
    if host and included:
        return f._(
            "Beyond the %(included)s %(unit)s a month included in the %(fee)s, %(unit)s cost "
            "%(price)s each, invoiced in arrears.",
            included=f.number(included),
            unit=unit,
            price=price,
            fee=host,
        )
    if included and per_seat:
        return f._(
            "%(included)s %(unit)s plus %(per_seat)s per seat included each month; each of the "
            "%(unit)s above that costs %(price)s, invoiced in arrears.",
            included=f.number(included),
            per_seat=f.number(per_seat),
            unit=unit,
            price=price,
        )
    if included:
        return f._(
            "%(included)s %(unit)s included each month; each of the %(unit)s above that costs "
            "%(price)s, invoiced in arrears.",
            included=f.number(included),
            unit=unit,
            price=price,
        )
    if per_seat:
        return f._(
            "%(per_seat)s per seat included each month; each of the %(unit)s above that costs "
            "%(price)s, invoiced in arrears.",
            per_seat=f.number(per_seat),
            unit=unit,
            price=price,
        )
    return f._(
        "No usage included each month; each of the %(unit)s above that costs %(price)s, "
        "invoiced in arrears.",
        unit=unit,
        price=price,
    )


def credits_allocation(component: Credits, f: Formatter) -> str:
    """The monthly allocation of a credits component and what each action burns."""
    burns = f.listing(
        [
            f._n(
                "%(action)s: %(count)s credit each",
                "%(action)s: %(count)s credits each",
                1 if rate == 1 else 2,
                action=unit_name(metric, f),
                count=f.number(rate),
            )
            for metric, rate in component.burn.items()
        ]
    )
    per_seat, pool = component.allocation_per_seat, component.allocation_pool
    if per_seat and pool:
        allocation = f._(
            "%(per_seat)s credits per seat and a shared pool of %(pool)s credits each month "
            "(%(burns)s).",
            per_seat=f.number(per_seat),
            pool=f.number(pool),
            burns=burns,
        )
    elif per_seat:
        allocation = f._(
            "%(per_seat)s credits per seat each month (%(burns)s).",
            per_seat=f.number(per_seat),
            burns=burns,
        )
    elif pool:
        allocation = f._(
            "A shared pool of %(pool)s credits each month (%(burns)s).",
            pool=f.number(pool),
            burns=burns,
        )
    else:
        allocation = f._("No monthly allocation of credits (%(burns)s).", burns=burns)
    return allocation


def credits_expiry(component: Credits, f: Formatter) -> str:
    """What becomes of unused allocation at month end."""
    if component.rollover_months:
        return f._(
            "Unused allocation rolls over, up to %(months)s of allocation.",
            months=f.months(component.rollover_months),
        )
    return f._("Unused allocation expires at month end.")


def _credits(component: Credits, f: Formatter) -> str:
    allocation = credits_allocation(component, f)
    if component.pack is not None:
        extra = f._(
            "Extra credits in packs of %(credits)s at %(price)s.",
            credits=f.number(component.pack.credits),
            price=f.money(component.pack.price),
        )
    else:
        assert component.overage_price_per_credit is not None
        extra = f._(
            "Extra credits at %(price)s each.", price=f.price(component.overage_price_per_credit)
        )
    return joined(" ", [allocation, extra, credits_expiry(component, f)])


def _value_share(component: PercentOfValue, f: Formatter) -> str:
    params = {
        "percent": f.percent(component.percent, None),
        "unit": unit_name(component.metric, f),
        "baseline": f.money(component.baseline) if component.baseline else "",
        "floor": f.money(component.floor) if component.floor is not None else "",
        "cap": f.money(component.cap) if component.cap is not None else "",
    }
    floor, cap = component.floor is not None, component.cap is not None
    if component.baseline:
        if floor and cap:
            return f._(
                "%(percent)s of the value attributed to the service (%(unit)s) above a baseline "
                "of %(baseline)s a month; at least %(floor)s and at most %(cap)s a month, as "
                "set out in the attribution terms.",
                **params,
            )
        if floor:
            return f._(
                "%(percent)s of the value attributed to the service (%(unit)s) above a baseline "
                "of %(baseline)s a month; at least %(floor)s a month, as set out in the "
                "attribution terms.",
                **params,
            )
        if cap:
            return f._(
                "%(percent)s of the value attributed to the service (%(unit)s) above a baseline "
                "of %(baseline)s a month; at most %(cap)s a month, as set out in the "
                "attribution terms.",
                **params,
            )
        return f._(
            "%(percent)s of the value attributed to the service (%(unit)s) above a baseline of "
            "%(baseline)s a month, as set out in the attribution terms.",
            **params,
        )
    if floor and cap:
        return f._(
            "%(percent)s of the value attributed to the service (%(unit)s); at least %(floor)s "
            "and at most %(cap)s a month, as set out in the attribution terms.",
            **params,
        )
    if floor:
        return f._(
            "%(percent)s of the value attributed to the service (%(unit)s); at least %(floor)s "
            "a month, as set out in the attribution terms.",
            **params,
        )
    if cap:
        return f._(
            "%(percent)s of the value attributed to the service (%(unit)s); at most %(cap)s a "
            "month, as set out in the attribution terms.",
            **params,
        )
    return f._(
        "%(percent)s of the value attributed to the service (%(unit)s), as set out in the "
        "attribution terms.",
        **params,
    )


def _transaction_fee(component: TransactionFee, f: Formatter) -> str:
    params = {
        "percent": f.percent(component.percent, None),
        "fee": f.price(component.fixed_fee) if component.fixed_fee else "",
        "minimum": f.price(component.minimum_fee) if component.minimum_fee is not None else "",
        "maximum": f.price(component.maximum_fee) if component.maximum_fee is not None else "",
        "count_unit": unit_name(component.count_metric, f),
        "value_unit": unit_name(component.metric, f),
    }
    low, high = component.minimum_fee is not None, component.maximum_fee is not None
    if component.fixed_fee:
        if low and high:
            return f._(
                "%(percent)s of each transaction's value plus %(fee)s, at least %(minimum)s and "
                "at most %(maximum)s per transaction (%(count_unit)s, valued by "
                "%(value_unit)s), invoiced in arrears.",
                **params,
            )
        if low:
            return f._(
                "%(percent)s of each transaction's value plus %(fee)s, at least %(minimum)s per "
                "transaction (%(count_unit)s, valued by %(value_unit)s), invoiced in arrears.",
                **params,
            )
        if high:
            return f._(
                "%(percent)s of each transaction's value plus %(fee)s, at most %(maximum)s per "
                "transaction (%(count_unit)s, valued by %(value_unit)s), invoiced in arrears.",
                **params,
            )
        return f._(
            "%(percent)s of each transaction's value plus %(fee)s (%(count_unit)s, valued by "
            "%(value_unit)s), invoiced in arrears.",
            **params,
        )
    if low and high:
        return f._(
            "%(percent)s of each transaction's value, at least %(minimum)s and at most "
            "%(maximum)s per transaction (%(count_unit)s, valued by %(value_unit)s), invoiced "
            "in arrears.",
            **params,
        )
    if low:
        return f._(
            "%(percent)s of each transaction's value, at least %(minimum)s per transaction "
            "(%(count_unit)s, valued by %(value_unit)s), invoiced in arrears.",
            **params,
        )
    if high:
        return f._(
            "%(percent)s of each transaction's value, at most %(maximum)s per transaction "
            "(%(count_unit)s, valued by %(value_unit)s), invoiced in arrears.",
            **params,
        )
    return f._(
        "%(percent)s of each transaction's value (%(count_unit)s, valued by %(value_unit)s), "
        "invoiced in arrears.",
        **params,
    )


KIND_LABELS: dict[str, str] = {
    "flat_fee": N_("Recurring fee"),
    "one_time_fee": N_("One-time fee"),
    "per_unit": N_("Per unit"),
    "graduated": N_("Graduated tiers"),
    "volume": N_("Volume tiers"),
    "package": N_("Package"),
    "allowance_overage": N_("Included usage + overage"),
    "seats": N_("Seats"),
    "credits": N_("AI credits"),
    "per_outcome": N_("Per outcome"),
    "percent_of_value": N_("Percent of attributed value"),
    "transaction_fee": N_("Percent + fee per transaction"),
    "minimum_commitment": N_("Minimum commitment"),
}
"""Each component kind in words (the engine's ``label``, as a message to translate)."""


def kind_label(component: Component, f: Formatter) -> str:
    label = KIND_LABELS.get(component.kind)
    return f._(label) if label is not None else component.label


_NAMES_AI = re.compile(r"(?<![A-Za-z])(AI|KI|IA)(?![A-Za-z])|ＡＩ|人工知能")
"""A feature whose name says AI (in the languages documents are written in; "AIチャット" too,
where no word boundary follows the letters): the seat line then does not add "AI features
included." after it ("Email" and "Kiosk" do not say AI)."""


def explain(
    component: Component,
    f: Formatter,
    *,
    allowance_in: str = "",
    seat_counts: Sequence[int] = (),
) -> str:
    """One or a few sentences: what is charged, for what, and when (in ``f``'s language).
    ``allowance_in``: the recurring fee an included allowance is part of
    (``allowance_host``); ``seat_counts``: a seats line's count in each contract year
    (ramps applied; ``seat_counts_of``), so that a line without seats in year 1 says so."""
    if isinstance(component, FlatFee | OneTimeFee) and not component.amount:
        # A fee of 0 (waived onboarding, support thrown in) is not invoiced: "€0.00 once,
        # invoiced with the first invoice" read as a charge.
        if isinstance(component, OneTimeFee):
            return f._("Included at no charge.")
        return f._("Included at no charge for the whole term.")
    if isinstance(component, FlatFee):
        if component.interval == "month":
            return f._(
                "%(amount)s per month, invoiced in advance.", amount=f.money(component.amount)
            )
        return f._("%(amount)s per year, invoiced in advance.", amount=f.money(component.amount))
    if isinstance(component, OneTimeFee):
        if component.month == 1:
            return f._(
                "%(amount)s once, invoiced with the first invoice.",
                amount=f.money(component.amount),
            )
        return f._(
            "%(amount)s once, invoiced in month %(month)s.",
            amount=f.money(component.amount),
            month=component.month,
        )
    if isinstance(component, Seats):
        text = _seats(component, f, seat_counts)
        if component.features:
            text = joined(
                " ", [text, f._("Includes %(features)s.", features=f.listing(component.features))]
            )
        if component.includes_ai and not any(_NAMES_AI.search(x) for x in component.features):
            # Said once: "Includes AI chat." already says it ("… AI chat. AI features
            # included." read twice on the seat line).
            text = joined(" ", [text, f._("AI features included.")])
        return text
    if isinstance(component, AllowanceOverage):
        return _allowance(component, f, allowance_in)
    if isinstance(component, PerUnit):
        return f._(
            "%(price)s for each of the %(unit)s, invoiced in arrears.",
            price=f.price(component.unit_price),
            unit=unit_name(component.metric, f),
        )
    if isinstance(component, Graduated):
        return f._(
            "Graduated price per month for %(unit)s: each tier prices the units inside it: "
            "%(tiers)s.",
            unit=unit_name(component.metric, f),
            tiers=_tiers(component, f),
        )
    if isinstance(component, Volume):
        return f._(
            "Volume price per month for %(unit)s: every unit is priced at the tier the month's "
            "total reaches: %(tiers)s.",
            unit=unit_name(component.metric, f),
            tiers=_tiers(component, f),
        )
    if isinstance(component, Package):
        params = {
            "price": f.money(component.package_price),
            "size": f.number(component.package_size),
            "unit": unit_name(component.metric, f, component.package_size),
            "free": f.number(component.free_units),
        }
        if component.free_units:
            return f._(
                "%(price)s per block of %(size)s %(unit)s; a started block counts in full; the "
                "first %(free)s each month are free.",
                **params,
            )
        return f._(
            "%(price)s per block of %(size)s %(unit)s; a started block counts in full.", **params
        )
    if isinstance(component, Credits):
        return _credits(component, f)
    if isinstance(component, PerOutcome):
        return f._(
            "%(price)s per successful outcome (%(unit)s), as defined in the outcome terms, "
            "invoiced in arrears.",
            price=f.price(component.price_per_outcome),
            unit=unit_name(component.metric, f),
        )
    if isinstance(component, PercentOfValue):
        return _value_share(component, f)
    if isinstance(component, TransactionFee):
        return _transaction_fee(component, f)
    if isinstance(component, MinimumCommitment):
        if component.period == "month":
            return f._(
                "A minimum spend of %(amount)s per month; any shortfall is invoiced as a true-up "
                "at the end of the period.",
                amount=f.money(component.amount),
            )
        return f._(
            "A minimum spend of %(amount)s per year; any shortfall is invoiced as a true-up at "
            "the end of the period.",
            amount=f.money(component.amount),
        )
    return component.description or component.label
