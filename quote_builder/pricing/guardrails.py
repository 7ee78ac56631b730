"""Guardrails: the playbook's anti-patterns and rules as warnings a rep understands.

Each warning has a stable code (the UI, approvals and tests key on it), a severity, an
English sentence (the command line's, ``price --json``'s) and the sentence's values by name
(``QuoteWarning.params``: the app writes the sentence again from them in the interface's
language, ``ui/engine_words.py``). A code with several sentences says which in its ``case``.
``blocking`` means the quote cannot be rendered as final or sent: outcome and value pricing
without the terms that make them measurable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from .components import (
    AllowanceOverage,
    Component,
    Credits,
    FlatFee,
    MeteredComponent,
    Package,
    PercentOfValue,
    PerOutcome,
    PerUnit,
    Seats,
    TieredComponent,
    TransactionFee,
    Usage,
    written_places,
)
from .currency import minor_units
from .document import QuoteDocument, UsageForecast, Variation
from .money import HUNDRED, ONE, ZERO
from .playbook import (
    CACHE_HIT_PERCENT,
    CATEGORY_PROFILES,
    CREDIT_RULE_ALLOCATION_SHARE,
    ESCALATOR_PERCENT,
    FINE_TUNING_SAVINGS_PERCENT,
    MODEL_PROFILES,
    ROUTING_SAVINGS_PERCENT,
    VALUE_CAPTURE_LIMIT_PERCENT,
)
from .results import PricedQuote, QuoteWarning, Severity, WarningValue
from .usage import UsagePlan
from .value import cost_anchored_price

# Coefficient of variation of usage per user assumed for each answer (a log-normal spread).
VARIATION_CV: dict[str, Decimal] = {
    "low": Decimal("0.25"),
    "medium": Decimal("0.75"),
    "high": Decimal("1.5"),
}
_Z80 = Decimal("0.8416212335729143")  # standard normal quantile at 80 %


def _w(
    code: str,
    severity: Severity,
    message: str,
    path: str | None = None,
    **params: WarningValue,
) -> QuoteWarning:
    return QuoteWarning(code, severity, message, path, tuple(params.items()))


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount.quantize(Decimal('0.01')):,} {currency}"


def _six(value: Decimal) -> Decimal:
    """A derived unit price (a pack price / credits) to at most 6 decimals."""
    return value.quantize(Decimal("0.000001")).normalize()


def _price(value: Decimal) -> str:
    """A derived unit price (a pack price / credits) to at most 6 decimals, as written."""
    return f"{_six(value):f}"


def _variation(doc: QuoteDocument) -> Variation | None:
    if doc.advisor.usage_intensity_variation is not None:
        return doc.advisor.usage_intensity_variation
    if doc.usage_profile is not None:
        return doc.usage_profile.intensity_variation
    return None


def lognormal_p80(mean: Decimal, cv: Decimal) -> Decimal:
    """80th percentile of a log-normal distribution with this mean and coefficient of
    variation, in Decimal arithmetic."""
    if mean <= 0:
        return ZERO
    sigma2 = (ONE + cv * cv).ln()
    mu = mean.ln() - sigma2 / 2
    return (mu + _Z80 * sigma2.sqrt()).exp()


def check_quote(doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan) -> list[QuoteWarning]:
    checks = (
        _measurement_terms,
        _token_pass_through,
        _headcount_blind,
        _platform_fee_floor,
        _credit_rule,
        _margin_floor,
        _escalator,
        _escalator_rounding,
        _cost_levers,
        _recommended_model,
        _category_range,
        _below_cost,
        _value_capture,
        _missing_forecast,
        _unit_cost_attachment,
        _discount_past_term,
        _ramp_usage_flat,
    )
    return [warning for check in checks for warning in check(doc, priced, plan)]


def _measurement_terms(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    for i, c in enumerate(doc.components):
        if isinstance(c, PerOutcome):
            t = c.terms
            lacking = [
                (key, name)
                for key, name, present in (
                    ("definition", "what counts as an outcome", t.definition.strip()),
                    (
                        "verification_evidence",
                        "the verification evidence",
                        t.verification_evidence.strip(),
                    ),
                    ("dispute_window", "a dispute window", t.dispute_window_days),
                )
                if not present
            ]
            if lacking:
                yield _w(
                    "OUTCOME_TERMS_MISSING",
                    "blocking",
                    f"'{c.name}' charges per outcome but does not define "
                    f"{', '.join(name for _key, name in lacking)}: "
                    "without them every invoice can be disputed.",
                    f"components[{i}].terms",
                    component=c.name,
                    missing=tuple(key for key, _name in lacking),
                )
            if not t.success_criteria.strip():
                yield _w(
                    "OUTCOME_CRITERIA_MISSING",
                    "warning",
                    f"'{c.name}' has no success criteria: say when an outcome counts as successful.",
                    f"components[{i}].terms.success_criteria",
                    component=c.name,
                )
        elif isinstance(c, PercentOfValue):
            missing = []
            keys: list[str] = []
            if c.attribution.method is None:
                missing.append("an attribution method")
                keys.append("attribution_method")
            if c.baseline is None:
                missing.append("a baseline")
                keys.append("baseline")
            if missing:
                yield _w(
                    "ATTRIBUTION_MISSING",
                    "blocking",
                    f"'{c.name}' takes a share of attributed value but has no {' or '.join(missing)}: "
                    "agree how value is attributed at signature, or expect disputes.",
                    f"components[{i}].attribution",
                    component=c.name,
                    missing=tuple(keys),
                )


def _token_pass_through(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    for i, c in enumerate(doc.components):
        metrics = c.metrics()
        if any("token" in m.lower() for m in metrics):
            yield _w(
                "TOKEN_PASS_THROUGH",
                "warning",
                f"'{c.name}' charges per token: customers cannot predict token bills and will "
                "expect your price to fall with API prices. Price per task or outcome instead.",
                f"components[{i}]",
                component=c.name,
            )


def _headcount_blind(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    seats = [(i, c) for i, c in enumerate(doc.components) if isinstance(c, Seats)]
    if not seats:
        return
    usage_priced = any(isinstance(c, MeteredComponent | Credits) for c in doc.components)
    variation = _variation(doc)
    tracks = doc.advisor.usage_tracks_headcount
    if (variation == "high" or tracks is False) and not usage_priced:
        reason = (
            "usage per seat varies widely"
            if variation == "high"
            else "usage does not track headcount"
        )
        i, c = seats[0]
        yield _w(
            "HEADCOUNT_BLIND_SEATS",
            "warning",
            f"Seat pricing while {reason}: heavy users erode the margin and light users "
            "subsidise them. Add credits or a usage component.",
            f"components[{i}]",
            case="variation" if variation == "high" else "headcount",
        )


def _monthly_fee(c: FlatFee) -> Decimal:
    return c.amount / 12 if c.interval == "year" else c.amount


def _platform_fee_floor(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    fees = [c for c in doc.components if isinstance(c, FlatFee)]
    if not fees:
        return
    econ = doc.economics
    seats = plan.seats_by_year[0]
    factor = priced.years[0].cost_factor
    included_cost = ZERO
    for c in doc.components:
        if isinstance(c, AllowanceOverage):
            allowance = c.included + c.included_per_seat * seats.get(c.seats_component or "", ZERO)
            included_cost += allowance * econ.unit_costs.get(c.metric, ZERO) * factor
    # Costs are in the seller's currency: the floor in the quote's (x its exchange rate).
    floor = (
        (econ.fixed_cost_per_month + included_cost)
        / (ONE - econ.target_margin_percent / HUNDRED)
        * priced.exchange_rate
    )
    fee = sum((_monthly_fee(c) for c in fees), ZERO)
    if fee < floor:
        yield _w(
            "PLATFORM_FEE_BELOW_FLOOR",
            "warning",
            f"The platform fee ({_money(fee, doc.currency)} a month) does not cover the fixed cost "
            f"to serve plus the cost of included usage at a {econ.target_margin_percent}% target "
            f"margin: it should be at least {_money(floor, doc.currency)}. Usage fees should be "
            "upside, not cost recovery.",
            fee=fee.quantize(Decimal("0.01")),
            floor=floor.quantize(Decimal("0.01")),
            currency=doc.currency,
            target_margin=econ.target_margin_percent,
        )


def _credit_rule(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    first_month = plan.month(1)
    seats = plan.seats_by_year[0]
    variation = _variation(doc)
    cv = VARIATION_CV[variation or "medium"]
    for i, c in enumerate(doc.components):
        if not isinstance(c, Credits) or not c.allocation_per_seat or c.seats_component is None:
            continue
        count = seats.get(c.seats_component, ZERO)
        if not count:
            continue
        mean = c.credits_used(first_month) / count
        p80 = lognormal_p80(mean, cv)
        limit = c.allocation_per_seat * CREDIT_RULE_ALLOCATION_SHARE
        if p80 >= limit:
            assumed = "" if variation else " (usage variation not answered: medium assumed)"
            yield _w(
                "CREDIT_ALLOCATION_80_50",
                "warning",
                f"'{c.name}': 80% of users should use under half of their {c.allocation_per_seat:,} "
                f"credits a month, but the 80th-percentile user is expected to use about "
                f"{p80.quantize(ONE):,}{assumed}. The allocation works as a usage cap; raise it to "
                f"at least {(p80 / CREDIT_RULE_ALLOCATION_SHARE).quantize(ONE):,}.",
                f"components[{i}].allocation_per_seat",
                component=c.name,
                allowance=c.allocation_per_seat,
                expected=p80.quantize(ONE),
                raise_to=(p80 / CREDIT_RULE_ALLOCATION_SHARE).quantize(ONE),
                case="assumed" if assumed else "answered",
            )


def _margin_floor(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    """Each contract year against the quote's floor and, at or above the floor, against
    the playbook's margin range for the quote's model (a seats + credits deal at 57 % is
    inside its 55-65 %; an outcome-based one at 62 % is below its 65-75 %)."""
    floor = doc.economics.margin_floor_percent
    model_range = priced.model_margin_percent
    for year in priced.years:
        margin = year.gross_margin_percent
        if margin is None and year.cogs > 0:
            yield _w(
                "MARGIN_BELOW_FLOOR",
                "warning",
                f"Contract year {year.year} has COGS of {_money(year.cogs, priced.margin_currency)} and no "
                f"revenue: no margin at all, below the {floor}% floor.",
                "economics.margin_floor_percent",
                case="no_revenue",
                year=year.year,
                cogs=year.cogs.quantize(Decimal("0.01")),
                currency=priced.margin_currency,
                floor=floor,
            )
        elif margin is not None and margin < floor:
            yield _w(
                "MARGIN_BELOW_FLOOR",
                "warning",
                f"Gross margin in contract year {year.year} is {margin}%, below the {floor}% floor.",
                "economics.margin_floor_percent",
                case="below",
                year=year.year,
                margin=margin,
                floor=floor,
            )
        elif margin is not None and model_range is not None and margin < model_range[0]:
            assert doc.pricing_model is not None
            profile = MODEL_PROFILES[doc.pricing_model]
            yield _w(
                "MARGIN_BELOW_MODEL_RANGE",
                "warning",
                f"Gross margin in contract year {year.year} is {margin}%: above the {floor}% "
                f"floor, but below the playbook's {profile.margin_text()} for "
                f"{profile.short_title()}.",
                "economics",
                year=year.year,
                margin=margin,
                floor=floor,
                model=doc.pricing_model.value,
            )


def _escalator(doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan) -> Iterator[QuoteWarning]:
    if doc.term_months <= 12:
        return
    low, high = ESCALATOR_PERCENT
    if not doc.escalator_percent:
        yield _w(
            "NO_ESCALATOR",
            "warning",
            # "A deal of 18 months", never "A 18-month deal" (an 8, 11 or 18 needs "an").
            f"A deal of {doc.term_months} months with no annual escalator: add {low}-{high}% a "
            "year to capture value as the AI improves.",
            "escalator_percent",
            months=doc.term_months,
            low=low,
            high=high,
        )
    elif doc.escalator_percent < low:
        yield _w(
            "ESCALATOR_LOW",
            "info",
            f"The escalator ({doc.escalator_percent}%) is below the usual {low}-{high}% a year.",
            "escalator_percent",
            escalator=doc.escalator_percent,
            low=low,
            high=high,
        )
    elif doc.escalator_percent > high:
        yield _w(
            "ESCALATOR_HIGH",
            "warning",
            f"The escalator ({doc.escalator_percent}% a year) is above the playbook's "
            f"{low}-{high}% a year: customers expect modest increases; a steep one invites "
            "a renegotiation.",
            "escalator_percent",
            escalator=doc.escalator_percent,
            low=low,
            high=high,
        )


_PRICE_WORDS = {
    "amount": "fee",
    "unit_price": "price per unit",
    "tier_unit_price": "tier {tier}'s price per unit",
    "tier_flat_fee": "tier {tier}'s flat fee",
    "package_price": "package price",
    "overage_unit_price": "overage price per unit",
    "price_per_seat": "price per seat",
    "pack_price": "credit pack price",
    "overage_price_per_credit": "overage price per credit",
    "price_per_outcome": "price per outcome",
}
"""A price in words, by its key (the app's words are in ``ui/engine_words.py``)."""

ESCALATOR_ROUNDING_TOLERANCE = Decimal("0.5")
"""How far (in percentage points) rounding may move a price's yearly increase from the
escalator before the rep is told."""


def _rounding_gap(
    price: Decimal, factors: list[Decimal], places: int, escalator: Decimal
) -> tuple[int, Decimal, Decimal] | None:
    """The first contract year whose price, escalated and rounded to ``places`` as the
    engine bills it, rises by more than the tolerance more or less than ``escalator``
    percent over the year before: (year, that year's price, its increase in percent)."""
    before = price
    for year, factor in enumerate(factors[1:], start=2):
        now = Usage({}, {}, price_factor=factor, price_places=places).escalate(price)
        if not before:
            return None
        increase = (now / before - ONE) * HUNDRED
        if abs(increase - escalator) > ESCALATOR_ROUNDING_TOLERANCE:
            return year, now, increase
        before = now
    return None


def _escalator_rounding(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    """A price whose yearly increase the rounding to the currency's minor unit moves off
    the escalator (0.05 USD at 3 % stays 0.05 in year 2; 0.10 at 7 % becomes 0.11, 10 %):
    the bill follows the rounded price, so the rep is told which price, from which year,
    and how many decimals to write it with (a price keeps the decimals it is written
    with, ``Usage.escalate``)."""
    escalator = doc.escalator_percent
    factors = plan.price_factors
    if not escalator or len(factors) < 2:
        return
    minor = minor_units(doc.currency)
    cur = doc.currency
    for i, c in enumerate(doc.components):
        for key, suffix, price, tier in c.escalated_prices():
            if not price:
                continue
            gap = _rounding_gap(price, factors, minor, escalator)
            if gap is None:
                continue
            year, year_price, increase = gap
            places = max(minor, written_places(price)) + 1
            while places < 10 and _rounding_gap(price, factors, places, escalator):
                places += 1
            suggested = price.quantize(Decimal(1).scaleb(-places))
            increase = increase.quantize(Decimal("0.1"))
            what = _PRICE_WORDS[key].format(tier=tier)
            yield _w(
                "ESCALATOR_ROUNDED",
                "warning",
                f"'{c.name}' {what} ({price} {cur}): in year {year} the escalated price "
                f"rounds to {year_price} {cur}, a {increase}% increase where the escalator "
                f"asks for {escalator}%. Write the price with more decimals ({suggested}) "
                "so that it rises with the escalator.",
                f"components[{i}]{suffix}",
                component=c.name,
                case=key,
                tier=tier,
                price=price,
                currency=cur,
                year=year,
                year_price=year_price,
                increase=increase,
                escalator=escalator,
                suggested=suggested,
            )


_LEVERS = (
    ("routing_savings_percent", "Routing savings", ROUTING_SAVINGS_PERCENT),
    ("cache_hit_percent", "Cache hits", CACHE_HIT_PERCENT),
    ("fine_tuning_savings_percent", "Fine-tuning savings", FINE_TUNING_SAVINGS_PERCENT),
)


def _cost_levers(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    """A lever in use (not 0) outside the playbook's range: above it the margin rests on
    savings few products reach (a warning); below it the assumption is cautious (info)."""
    levers = doc.economics.levers
    for name, label, (low, high) in _LEVERS:
        percent: Decimal = getattr(levers, name)
        if not percent or low <= percent <= high:
            continue
        if percent > high:
            yield _w(
                "COST_LEVER_OUT_OF_RANGE",
                "warning",
                f"{label} of {percent}% are above the playbook's {low}-{high}%: the unit "
                "costs and the margin rest on savings few products reach.",
                f"economics.levers.{name}",
                case="above",
                lever=name,
                percent=percent,
                low=low,
                high=high,
            )
        else:
            yield _w(
                "COST_LEVER_OUT_OF_RANGE",
                "info",
                f"{label} of {percent}% are below the playbook's usual {low}-{high}%: a "
                "cautious assumption; the margin may be better than shown.",
                f"economics.levers.{name}",
                case="below",
                lever=name,
                percent=percent,
                low=low,
                high=high,
            )


def _recommended_model(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    if doc.product_category is None or doc.pricing_model is None:
        return
    category = CATEGORY_PROFILES[doc.product_category]
    if doc.pricing_model in category.recommended:
        return
    recommended = " or ".join(MODEL_PROFILES[m].short_title() for m in category.recommended)
    yield _w(
        "MODEL_NOT_RECOMMENDED",
        "info",
        f"The playbook recommends {recommended} for {category.title} "
        f"({category.recommended_text}); this quote uses "
        f"{MODEL_PROFILES[doc.pricing_model].short_title()}. Say why in the notes.",
        "pricing_model",
        category=doc.product_category.value,
        model=doc.pricing_model.value,
        recommended=tuple(m.value for m in category.recommended),
    )


@dataclass(frozen=True, slots=True)
class CategoryMeasure:
    """One figure of a quote compared with its category's range in the playbook."""

    value: Decimal
    stated: str
    """The figure in words, as the warning's sentence starts."""
    code: str
    path: str | None = None
    params: tuple[tuple[str, WarningValue], ...] = ()
    """The values ``stated`` is made of (the warning's params)."""


def category_measures(doc: QuoteDocument, priced: PricedQuote) -> list[CategoryMeasure]:
    """The figures the playbook's category range applies to (its ``basis``): the first-year
    ACV (annualised from a short first year: 3,000 over 3 months is 3,000 x 12 / 3 =
    12,000 a year), each per-outcome price (and a per-unit price of the category's outcome
    metric), or each seat price per year (a monthly price x 12). Empty without a
    category."""
    if doc.product_category is None:
        return []
    profile = CATEGORY_PROFILES[doc.product_category]
    measures = []
    if profile.basis == "acv":
        # The playbook's ranges are per year: a deal shorter than a year is annualised.
        months = priced.years[0].months
        acv = priced.first_year_acv
        annual = acv * 12 / months if months != 12 else acv
        stated = (
            f"First-year ACV {_money(acv, doc.currency)}"
            if months == 12
            else f"First-year ACV annualised from {months} months "
            f"({_money(acv, doc.currency)} x 12 / {months}), {_money(annual, doc.currency)},"
        )
        params: tuple[tuple[str, WarningValue], ...] = (
            ("acv", acv.quantize(Decimal("0.01"))),
            ("annual", annual.quantize(Decimal("0.01"))),
            ("months", months),
            ("currency", doc.currency),
        )
        measures.append(CategoryMeasure(annual, stated, "ACV_OUT_OF_RANGE", None, params))
    elif profile.basis == "unit_price":
        for i, c in enumerate(doc.components):
            unit_price = None
            if isinstance(c, PerOutcome):
                unit_price = c.price_per_outcome
            elif isinstance(c, PerUnit) and (
                not profile.outcome_metric or c.metric == profile.outcome_metric
            ):
                unit_price = c.unit_price
            if unit_price is not None:
                measures.append(
                    CategoryMeasure(
                        unit_price,
                        f"'{c.name}' at {unit_price} {doc.currency}",
                        "UNIT_PRICE_OUT_OF_RANGE",
                        f"components[{i}]",
                        (("component", c.name), ("price", unit_price), ("currency", doc.currency)),
                    )
                )
    else:  # per seat per year
        for i, c in enumerate(doc.components):
            if isinstance(c, Seats):
                yearly = c.price_per_seat * (1 if c.interval == "year" else 12)
                measures.append(
                    CategoryMeasure(
                        yearly,
                        f"'{c.name}' at {yearly:,} {doc.currency} per seat per year",
                        "SEAT_PRICE_OUT_OF_RANGE",
                        f"components[{i}]",
                        (("component", c.name), ("price", yearly), ("currency", doc.currency)),
                    )
                )
    return measures


def _category_range(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    if doc.product_category is None:
        return
    profile = CATEGORY_PROFILES[doc.product_category]
    if doc.currency != "USD":
        yield _w(
            "CATEGORY_RANGE_NOT_COMPARED",
            "info",
            f"The playbook's range for {profile.title} ({profile.range_text()}) is in USD; this "
            f"quote is in {doc.currency}, so it was not compared.",
            category=doc.product_category.value,
            currency=doc.currency,
        )
        return
    for measure in category_measures(doc, priced):
        if measure.value < profile.low:
            outside = "below"
        elif measure.value > profile.high:
            outside = "above"
        else:
            continue
        yield _w(
            measure.code,
            "warning",
            f"{measure.stated} is {outside} the playbook's range for {profile.title}: "
            f"{profile.range_text()}.",
            measure.path,
            case=outside,
            category=doc.product_category.value,
            **dict(measure.params),
        )


UnitPrice = tuple[str, Decimal, str, str, dict[str, WarningValue]]


def _unit_prices(c: Component, cur: str) -> Iterator[UnitPrice]:
    """What one unit of each metric costs the customer under ``c``, as (metric, price per
    unit, the price in words, path suffix, the words' values): the price itself, each
    tier's unit price, a block price per unit, or the price of a credit x the credits one
    action burns."""
    if isinstance(c, PerUnit | PerOutcome):
        price = c.unit_price if isinstance(c, PerUnit) else c.price_per_outcome
        yield (
            c.metric,
            price,
            f"'{c.name}' at {price} {cur} per unit",
            "",
            {"case": "unit", "component": c.name, "price": price},
        )
    elif isinstance(c, AllowanceOverage):
        price = c.overage_unit_price
        yield (
            c.metric,
            price,
            f"'{c.name}' overage at {price} {cur} per unit",
            "",
            {"case": "overage", "component": c.name, "price": price},
        )
    elif isinstance(c, TieredComponent):
        for j, (lower, upper, tier, label) in enumerate(c.bounds()):
            price = tier.unit_price
            yield (
                c.metric,
                price,
                f"'{c.name}' {label[0].lower()}{label[1:]} at {price} {cur} per unit",
                f".tiers[{j}]",
                {
                    "case": "tier",
                    "component": c.name,
                    "tier": j + 1,
                    "lower": lower,
                    "upper": upper,
                    "price": price,
                },
            )
    elif isinstance(c, Package):
        price = c.package_price / c.package_size
        yield (
            c.metric,
            price,
            f"'{c.name}' at {c.package_price} {cur} per {c.package_size.normalize():f} units "
            f"({_price(price)} {cur} per unit)",
            "",
            {
                "case": "package",
                "component": c.name,
                "package_price": c.package_price,
                "package_size": c.package_size,
                "price": _six(price),
            },
        )
    elif isinstance(c, Credits):
        if c.pack is not None:
            per_credit = c.pack.price / c.pack.credits
        else:
            assert c.overage_price_per_credit is not None
            per_credit = c.overage_price_per_credit
        for metric, rate in c.burn.items():
            price = per_credit * rate
            yield (
                metric,
                price,
                f"'{c.name}' at {_price(per_credit)} {cur} a credit x {rate.normalize():f} "
                f"credits per '{metric}' action ({_price(price)} {cur} per action)",
                f".burn.{metric}",
                {
                    "case": "credits",
                    "component": c.name,
                    "credit_price": _six(per_credit),
                    "credits": rate,
                    "price": _six(price),
                },
            )


def _below_cost(doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan) -> Iterator[QuoteWarning]:
    econ = doc.economics
    factor = priced.years[0].cost_factor
    for i, c in enumerate(doc.components):
        for metric, unit_price, stated, path, params in _unit_prices(c, doc.currency):
            if metric not in econ.unit_costs:
                continue
            floor = cost_anchored_price(
                econ.unit_costs[metric] * factor * priced.exchange_rate,
                econ.target_margin_percent,
            )
            if unit_price < floor:
                yield _w(
                    "PRICE_BELOW_COST_ANCHOR",
                    "warning",
                    f"{stated} is below the cost-anchored price "
                    f"{floor.quantize(Decimal('0.0001'))} for '{metric}' (unit cost / "
                    f"(1 - {econ.target_margin_percent}% target margin)): every unit sold "
                    "erodes the margin.",
                    f"components[{i}]{path}",
                    **params,
                    metric=metric,
                    floor=floor.quantize(Decimal("0.0001")),
                    currency=doc.currency,
                    target_margin=econ.target_margin_percent,
                )


def _value_capture(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    value = priced.value
    if value is None or value.value_capture_percent is None:
        return
    if value.value_capture_percent > VALUE_CAPTURE_LIMIT_PERCENT:
        yield _w(
            "VALUE_CAPTURE_HIGH",
            "warning",
            f"The price captures {value.value_capture_percent}% of the value delivered (above "
            f"{VALUE_CAPTURE_LIMIT_PERCENT}%): the customer keeps too little of it to feel the deal is good.",
            "value",
            capture=value.value_capture_percent,
            limit=VALUE_CAPTURE_LIMIT_PERCENT,
        )


def _missing_forecast(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    for i, c in enumerate(doc.components):
        for metric in sorted(c.metrics() - doc.usage_forecast.keys()):
            yield _w(
                "NO_FORECAST",
                "warning",
                f"'{c.name}' reads metric '{metric}' but the quote has no forecast for it: priced at zero usage.",
                f"components[{i}]",
                component=c.name,
                metric=metric,
            )


def _discount_past_term(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    """A limited discount that runs past the term's last month: only the months within
    the term are priced, and the documents say so (``CustomerTerms`` clamps it), so the
    order form never reads as a discount that carries into a renewal."""
    for i, d in enumerate(doc.discounts):
        if d.months is None:
            continue
        within = doc.term_months - d.start_month + 1
        if within >= 1 and d.months > within:
            yield _w(
                "DISCOUNT_PAST_TERM",
                "warning",
                f"'{d.description}' runs for {d.months} months from month {d.start_month}, "
                f"past the term's end (month {doc.term_months}): only its {within} months "
                "within the term are priced and printed; a discount on a renewal is agreed "
                "then.",
                f"discounts[{i}].months",
                discount=d.description,
                months=d.months,
                start_month=d.start_month,
                term_months=doc.term_months,
                within=within,
            )


def _forecast_in_year(forecast: UsageForecast, year: int) -> Decimal | None:
    """The forecast's monthly quantity in a contract year when it is one figure for the
    whole year (explicit per year, or monthly without growth); None when it grows."""
    if forecast.per_year is not None:
        return forecast.per_year[min(year, len(forecast.per_year)) - 1]
    if forecast.growth_percent_per_month:
        return None
    return forecast.monthly


def _ramp_usage_flat(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    """A ramp that changes a seat count while a billed metric's forecast stays where it
    was: usage bought by seats usually moves with them, and the bills of the ramp's years
    would be estimated at the old usage. Said once per ramp, naming the metrics; a ramp
    that sets the metric's usage, or a forecast that grows or is given per year with a new
    figure for that year, is taken as the rep's answer."""
    counts: dict[str, int] = {c.id: c.seats for c in doc.components if isinstance(c, Seats)}
    names = {c.id: c.name for c in doc.components if isinstance(c, Seats)}
    billed = billed_metrics(doc)
    held: dict[str, Decimal] = {}
    """Usage a previous ramp set (holds until a later ramp changes it)."""
    for i, ramp in sorted(enumerate(doc.ramps), key=lambda pair: pair[1].year):
        changed = [
            (seat_id, counts[seat_id], seats)
            for seat_id, seats in sorted(ramp.seats.items())
            if seat_id in counts and seats != counts[seat_id]
        ]
        flat: list[str] = []
        for metric in sorted(billed & doc.usage_forecast.keys()):
            if metric in ramp.usage or ramp.year < 2:
                continue
            if metric in held:
                flat.append(metric)
                continue
            forecast = doc.usage_forecast[metric]
            now = _forecast_in_year(forecast, ramp.year)
            if now is not None and now == _forecast_in_year(forecast, ramp.year - 1):
                flat.append(metric)
        if changed and flat:
            seat_id, before, after = changed[0]
            yield _w(
                "RAMP_USAGE_FLAT",
                "info",
                f"Year {ramp.year}'s ramp takes '{names[seat_id]}' from {before} to {after} "
                f"seats but leaves the usage of {', '.join(flat)} where it was: the bills from "
                "that year are estimated at the old usage. If usage follows the seats, set "
                "the year's usage in the ramp.",
                f"ramps[{i}].usage",
                year=ramp.year,
                component=names[seat_id],
                before=before,
                after=after,
                metrics=tuple(flat),
            )
        counts.update(
            {seat_id: seats for seat_id, seats in ramp.seats.items() if seat_id in counts}
        )
        held.update(ramp.usage)


def billed_metrics(doc: QuoteDocument) -> set[str]:
    """Every metric a component reads to bill (quantities and values alike)."""
    return {m for c in doc.components for m in c.metrics()}


def costed_metrics(doc: QuoteDocument) -> list[str]:
    """The billed metrics that have a cost per unit, in the order the components read
    them: a share of value and a transaction's value have no cost per unit of value."""
    found: list[str] = []
    for c in doc.components:
        if isinstance(c, PercentOfValue):
            continue
        for m in sorted(c.metrics()):
            if isinstance(c, TransactionFee) and m == c.metric:
                continue
            if m not in found:
                found.append(m)
    return found


def _unit_cost_attachment(
    doc: QuoteDocument, priced: PricedQuote, plan: UsagePlan
) -> Iterator[QuoteWarning]:
    """Every unit cost attaches to a billed metric or to a metric marked cost-only, and
    every billed metric has a cost, or the quote says where its cost is.

    The engine counts unit cost x forecast for every metric with a forecast, billed or
    not; these warnings make the cases where that is not what the rep meant loud: a cost on
    a metric with no forecast counts nothing (the guided flow once filed the unit cost under
    'outcomes' while the plan billed 'tickets_resolved': COGS 0, margin 100 %)."""
    econ = doc.economics
    billed = billed_metrics(doc)
    cost_only = set(econ.cost_only_metrics)
    listed = ", ".join(sorted(billed)) or "none"
    for metric in sorted(cost_only & billed):
        yield _w(
            "COST_ONLY_METRIC_BILLED",
            "warning",
            f"'{metric}' is marked cost-only but a component bills it: take it off the "
            "cost-only metrics (its cost counts either way).",
            "economics.cost_only_metrics",
            metric=metric,
        )
    for metric in sorted(cost_only - econ.unit_costs.keys()):
        yield _w(
            "UNIT_COST_UNUSED",
            "warning",
            f"'{metric}' is marked cost-only but has no unit cost: give its cost per unit, "
            "or take it off the cost-only metrics.",
            "economics.cost_only_metrics",
            case="cost_only_without_cost",
            metric=metric,
        )
    carriers: list[str] = []
    for metric in sorted(econ.unit_costs.keys() - billed):
        if metric not in doc.usage_forecast:
            advice = (
                f"give '{metric}' its monthly quantity in the usage forecast"
                if metric in cost_only
                else f"put the cost on a billed metric ({listed}), or give '{metric}' a "
                "forecast and mark it cost-only"
            )
            yield _w(
                "UNIT_COST_UNUSED",
                "warning",
                f"The unit cost of '{metric}' counts nothing: no component bills '{metric}' "
                f"and it has no usage forecast, so COGS leaves it out; {advice}.",
                f"economics.unit_costs.{metric}",
                case="cost_only_without_forecast" if metric in cost_only else "not_billed",
                metric=metric,
                billed=tuple(sorted(billed)),
            )
            continue
        carriers.append(metric)
        if metric not in cost_only:
            yield _w(
                "UNIT_COST_NOT_BILLED",
                "warning",
                f"'{metric}' has a unit cost and a forecast but no component bills it: its "
                f"cost counts in COGS. If it is a cost behind another price (GPU-hours behind "
                f"an outcome), mark '{metric}' cost-only; if not, move the cost to the billed "
                f"metric ({listed}).",
                f"economics.unit_costs.{metric}",
                metric=metric,
                billed=tuple(sorted(billed)),
            )
    uncosted = [m for m in costed_metrics(doc) if m not in econ.unit_costs]
    if not uncosted:
        return
    names = ", ".join(uncosted)
    if carriers:
        yield _w(
            "NO_UNIT_COST",
            "info",
            f"{names} {'has' if len(uncosted) == 1 else 'have'} no unit cost of its own: the "
            f"usage cost is counted on {', '.join(carriers)}.",
            "economics.unit_costs",
            case="carried",
            metrics=tuple(uncosted),
            carriers=tuple(carriers),
        )
        return
    yield _w(
        "NO_UNIT_COST",
        "warning",
        f"{names} {'is' if len(uncosted) == 1 else 'are'} billed but {'has' if len(uncosted) == 1 else 'have'} "
        "no unit cost: that usage's COGS counts as 0, so the margin shown is too high (an "
        "upper bound). Add the cost per unit under economics.",
        "economics.unit_costs",
        case="uncosted",
        metrics=tuple(uncosted),
    )
