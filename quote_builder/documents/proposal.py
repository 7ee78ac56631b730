"""The proposal's view-model: every sentence of the proposal in the document's language,
built from the customer's view only (``viewmodel.customer_view``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from quote_builder.pricing.components import (
    AllowanceOverage,
    Component,
    Credits,
    FlatFee,
    MeteredComponent,
    MinimumCommitment,
    Package,
    PercentOfValue,
    PerOutcome,
    Seats,
    TransactionFee,
)
from quote_builder.pricing.evidence import PERCENTILE_MONTHS
from quote_builder.pricing.terms import CustomerTerms

from .charts import SPEND, VALUE, bar_chart, informative
from .explain import allowance_host, explain, kind_label, seat_counts_of
from .formatting import Formatter
from .i18n import N_, joined
from .own_words import printed_view, unit_name
from .price_sheet import sheet_from_terms, sheet_notes, sheet_table
from .scenarios import BillScenario
from .viewmodel import (
    CustomerView,
    EvidencePeriod,
    EvidenceQuantity,
    ViewMeta,
    billing_word,
    common_view,
    discount_lines,
    document_formatter,
    plural_count,
)

# How the price works, written to the customer. (The playbook's own wording is the
# seller's: margins, expansion, "captures heavy users"; it never reaches a prospect.) The
# quote's pricing model names the section, but every sentence is chosen by the components
# the quote actually has: a rep who starts from a "platform fee plus usage" plan and keeps
# only the platform fee and seats must not promise the customer an overage price.
MODEL_TITLES: dict[str, str] = {
    "outcome_based": N_("You pay per outcome"),
    "platform_usage": N_("Platform fee plus usage"),
    "seats_credits": N_("Seats with AI credits"),
    "seats_ai_tiers": N_("Per-seat subscription"),
    "outcome_contingent": N_("Share of attributed value"),
}


@dataclass(frozen=True)
class PriceShape:
    """What a quote's components charge for, as the proposal's "How the price works"
    describes it."""

    flat_fees: int
    """Recurring fixed fees (not seats, not one-time fees)."""
    seats: bool
    ai_in_seats: bool
    """A seat tier includes the AI features."""
    usage: bool
    """Usage billed by quantity (not outcomes, value shares or credits)."""
    included: bool
    """Usage included before a price applies (an allowance, a package's free units)."""
    credits: bool
    credits_per_seat: bool
    credits_pool: bool
    outcomes: bool
    value_share: bool
    minimum: bool
    """A minimum commitment, or a value share's floor."""
    success_criteria: bool = False
    """Every outcome priced has success criteria in its terms (the order form prints
    them): only then may the proposal promise that work missing them is not billed."""

    @property
    def fixed(self) -> bool:
        return bool(self.flat_fees) or self.seats


def price_shape(components: Sequence[Component]) -> PriceShape:
    credits = [c for c in components if isinstance(c, Credits)]
    seats = [c for c in components if isinstance(c, Seats)]
    outcomes = [c for c in components if isinstance(c, PerOutcome)]
    metered = [
        c
        for c in components
        if isinstance(c, MeteredComponent) and not isinstance(c, PerOutcome | PercentOfValue)
    ]
    return PriceShape(
        flat_fees=sum(1 for c in components if isinstance(c, FlatFee)),
        seats=bool(seats),
        ai_in_seats=any(c.includes_ai for c in seats),
        usage=bool(metered),
        included=any(
            (isinstance(c, AllowanceOverage) and (c.included or c.included_per_seat))
            or (isinstance(c, Package) and c.free_units)
            for c in metered
        ),
        credits=bool(credits),
        credits_per_seat=any(
            c.allocation_per_seat and c.seats_component in {s.id for s in seats} for c in credits
        ),
        credits_pool=any(c.allocation_pool for c in credits),
        outcomes=any(isinstance(c, PerOutcome) for c in components),
        success_criteria=bool(outcomes) and all(c.terms.success_criteria.strip() for c in outcomes),
        value_share=any(isinstance(c, PercentOfValue) for c in components),
        minimum=any(isinstance(c, MinimumCommitment) for c in components)
        or any(isinstance(c, PercentOfValue) and c.floor for c in components),
    )


def described_model(declared: str | None, shape: PriceShape) -> str | None:
    """The model "How the price works" describes: the quote's own when its components
    have what defines it, else the one its components follow (``fixed``: recurring fees
    only; None: nothing recurring to describe)."""
    plain = not (shape.credits or shape.outcomes or shape.value_share)
    defines = {
        "outcome_contingent": shape.value_share,
        "outcome_based": shape.outcomes,
        "seats_credits": shape.credits,
        "seats_ai_tiers": shape.seats and plain,
        "platform_usage": shape.usage and plain,
    }
    if declared is not None and defines.get(declared):
        return declared
    for model, defined in defines.items():  # the most particular charge first
        if defined:
            return model
    return "fixed" if shape.flat_fees else None


def _credits_sentence(s: PriceShape, f: Formatter) -> str:
    if s.credits_pool:
        return f._(
            "A monthly pool of AI credits comes with your subscription, and AI actions draw on "
            "it. Extra credits are bought only as the order form allows."
        )
    return f._("AI actions draw on AI credits, which are bought only as the order form allows.")


def _model_sentences(model: str, s: PriceShape, f: Formatter) -> tuple[str, list[str], list[str]]:
    """The title, the sentences saying how the price works, and why it suits the customer,
    each true of the components ``s`` describes; every charge the model's own sentence
    leaves out, but the quote has, is said after it."""
    structure: list[str] = []
    reasons: list[str] = []
    covered: set[str] = set()  # the charges the model's own sentences describe
    results_only = not (s.fixed or s.usage or s.credits or s.minimum)
    if model == "outcome_based":
        title = f._(MODEL_TITLES[model])
        covered.add("outcomes")
        structure.append(
            f._(
                "You pay for results: each successful outcome, as the order form defines it. "
                "Work that does not meet the success criteria is not billed."
            )
            if s.success_criteria
            # No criteria agreed yet (a draft; the rep is warned): promise none.
            else f._("You pay for results: each successful outcome, as the order form defines it.")
        )
        if results_only and not s.value_share:
            reasons.append(
                f._(
                    "Your bill follows the results you receive, not the number of people using "
                    "the service."
                )
            )
        reasons.append(
            f._(
                "The price per outcome is fixed in the order form; it does not move with the "
                "cost of the AI models behind the service."
            )
        )
    elif model == "outcome_contingent":
        title = f._(MODEL_TITLES[model])
        covered.add("value_share")
        structure.append(
            f._(
                "You pay a share of the value the service is shown to create, measured by the "
                "attribution method agreed in the order form."
            )
        )
        if results_only and not s.outcomes:
            reasons.append(f._("You pay when the service creates value, and in proportion to it."))
        reasons.append(
            f._(
                "How value is attributed, and how a disagreement is settled, is agreed before "
                "you sign."
            )
        )
    elif model == "seats_credits":
        title = f._(MODEL_TITLES[model]) if s.seats else f._("AI credits")
        covered |= {"credits", "seats"}
        if s.credits_per_seat:
            structure.append(
                f._(
                    "You pay per seat, and each seat brings a monthly allocation of AI credits "
                    "that AI actions draw on. Extra credits are bought only as the order form "
                    "allows."
                )
            )
        else:
            if s.seats:
                structure.append(f._("You pay per seat."))
            structure.append(_credits_sentence(s, f))
        if s.seats:
            reasons.append(f._("Seats keep the subscription simple to budget."))
        reasons.append(f._("Credits let heavier users use more AI without a change of plan."))
    elif model == "seats_ai_tiers":
        title = f._(MODEL_TITLES[model])
        covered.add("seats")
        if s.ai_in_seats and not s.usage:
            structure.append(
                f._(
                    "You pay per seat; the AI features come with the tier you choose, with no "
                    "usage charges."
                )
            )
        elif s.ai_in_seats:
            structure.append(
                f._("You pay per seat; the AI features come with the tier you choose.")
            )
        elif not s.usage:
            structure.append(f._("You pay per seat, with no usage charges."))
        else:
            structure.append(f._("You pay per seat."))
        if not (s.flat_fees or s.usage or s.minimum):
            reasons.append(f._("One price per seat: no usage to track and no variable bill."))
        if s.ai_in_seats:
            reasons.append(f._("The AI features are part of the tier, not an add-on."))
    elif model == "platform_usage":
        covered |= {"usage", "flat_fees"}
        if s.flat_fees and s.included:
            title = f._(MODEL_TITLES[model])
            structure.append(
                f._(
                    "A fixed fee covers access and the usage included in it; usage above the "
                    "included amount is billed at the overage price."
                )
            )
        elif s.flat_fees:
            title = f._(MODEL_TITLES[model])
            structure.append(
                f._(
                    "A fixed fee covers access; usage is billed on top, at the prices fixed in "
                    "the order form."
                )
            )
        else:
            title = f._("Pay for what you use")
            structure.append(
                f._("You pay for the usage you have, at the prices fixed in the order form.")
            )
        if s.flat_fees:
            reasons.append(f._("The fixed fee gives you a predictable base for your budget."))
        reasons.append(
            f._(
                "You pay for more usage only when you use more, at a price fixed in the order form."
            )
        )
    else:  # "fixed": recurring fees only
        title = f._("Fixed fees")
        covered.add("flat_fees")
        structure.append(f._("Fixed fees cover the service, with no usage charges."))
    # What the model's own sentences leave out, but the quote has.
    if s.seats and "seats" not in covered:
        structure.append(f._("Seats are billed as well, at the price per seat."))
    if s.flat_fees and "flat_fees" not in covered:
        structure.append(
            f._n(
                "A fixed recurring fee is billed as well.",
                "Fixed recurring fees are billed as well.",
                s.flat_fees,
            )
        )
    if s.outcomes and "outcomes" not in covered:
        structure.append(
            f._("Each successful outcome is billed as well, as the order form defines it.")
        )
    if s.value_share and "value_share" not in covered:
        structure.append(
            f._(
                "A share of the value the service is shown to create is billed as well, as the "
                "order form sets out."
            )
        )
    if s.credits and "credits" not in covered:
        structure.append(_credits_sentence(s, f))
    if s.usage and "usage" not in covered:
        structure.append(f._("Usage is billed on top, at the prices fixed in the order form."))
    if s.minimum:
        structure.append(f._("A minimum charge applies, as the order form sets out."))
    if not reasons and not (s.usage or s.credits or s.outcomes or s.value_share):
        reasons.append(f._("Your bill does not depend on usage."))
    return title, structure, reasons


SCENARIO_LABELS = {
    "Low": N_("Low"),
    "Expected": N_("Expected"),
    "High": N_("High"),
    # A month of the customer's usage log: never "expected", which is the forecast's.
    "Quiet": N_("Quiet"),
    "Typical": N_("Typical"),
    "Busy": N_("Busy"),
}
"""The bill scenarios' names (``scenarios.BillScenario.label``) as messages."""


# --- proposal ---------------------------------------------------------------------------------


def _years(view: CustomerView, f: Formatter) -> list[dict[str, str]]:
    value = view.estimates.value
    increases = {e.year: e.above_year_one_percent for e in view.terms.escalations}
    discounted_years = {line.year for line in view.terms.price_table if line.kind == "discount"}
    rows = []
    for i, year in enumerate(view.terms.years):
        rows.append(
            {
                "year": str(year.year),
                "period": f.date_range(year.start, year.end),
                "months": str(year.months),
                # The schedule is wide: amounts without the currency sign (the header
                # names the currency), so they never wrap inside a number.
                "list": f.amount(year.list_amount),
                # A year whose discounts a true-up takes back saves 0.00, as the price
                # table's sentence says; a year without a discount shows nothing.
                "discounts": f.amount(year.discounts)
                if year.discounts or year.year in discounted_years
                else "",
                "revenue": f.amount(year.amount),
                "increase": f.increase(increases[year.year]) if year.year in increases else "",
                "value": f.amount(value.value_by_year[i])
                if value and i < len(value.value_by_year)
                else "",
            }
        )
    return rows


def _pricing_table(view: CustomerView, f: Formatter) -> list[dict[str, str]]:
    """Each component, how it is priced and what it costs in year 1: its line total, the
    discounts included (as the price table prints it), never a list amount above a
    discount the buyer would have to subtract."""
    year_one = view.terms.years[0]
    totals = {
        row.component_id: row.line_total
        for row in sheet_from_terms(view.terms, view.estimates.discount_shares).rows_of(
            year_one.year
        )
        if row.kind == "component" and row.component_id is not None
    }
    rows = []
    host = allowance_host(view.terms.components)
    for component in view.terms.components:
        rows.append(
            {
                "name": component.name,
                # The kind under the name, unless it only repeats it ("AI credits").
                "kind": ""
                if kind_label(component, f).casefold() == component.name.casefold()
                else kind_label(component, f),
                "description": component.description,
                "terms": explain(
                    component,
                    f,
                    allowance_in=host,
                    seat_counts=seat_counts_of(view.terms, component),
                ),
                # Usage at no forecast (or within what is included) costs nothing in the
                # estimate: "€0.00" read as its price, so the column says how it is billed.
                "year_one": f.money(totals.get(component.id) or Decimal(0))
                if totals.get(component.id) or not component.usage_based
                else f._("Billed on usage"),
            }
        )
    return rows


def _recommendation(view: CustomerView, f: Formatter) -> dict[str, Any] | None:
    """The proposal's "How the price works": the quote's pricing model, in sentences that
    are true of its components (no overage on a quote without usage)."""
    shape = price_shape(view.terms.components)
    model = described_model(view.estimates.pricing_model, shape)
    if model is None:
        return None
    title, structure, reasons = _model_sentences(model, shape, f)
    return {"title": title, "structure": joined(" ", structure), "reasons": reasons}


def _scenario_label(label: str, f: Formatter) -> str:
    message = SCENARIO_LABELS.get(label)
    return f._(message) if message is not None else label


def _charts(view: CustomerView, f: Formatter) -> dict[str, Any]:
    terms, estimates = view.terms, view.estimates
    symbol = f.money(Decimal(0))
    # The currency sign only where it is short ($, €); else the axis title names it.
    short_sign = (
        len("".join(ch for ch in symbol if not ch.isdigit() and ch not in ".,  \u202f")) <= 2
    )

    def axis(value: Decimal) -> str:
        return f.compact(value, with_symbol=short_sign)

    charts: dict[str, Any] = {}
    value = estimates.value
    groups = []
    for i, year in enumerate(terms.years):
        values = [year.amount]
        if value is not None and i < len(value.value_by_year):
            values.append(value.value_by_year[i])
        label = f._("Year %(year)s", year=year.year)
        if year.months != 12:
            label += "\n" + f._("%(months)s only", months=f.months(year.months))
        groups.append((label, values))
    series = [(f._("Your spend"), SPEND)] + (
        [(f._("Estimated value"), VALUE)] if value is not None else []
    )
    # A chart of spend alone repeats the schedule's table: drawn only beside value.
    charts["spend_value"] = (
        bar_chart(
            groups,
            series,
            axis,
            axis,
            f._(
                "Spend against estimated value by contract year (%(currency)s)",
                currency=terms.currency,
            ),
            terms.currency,
        )
        if value is not None
        else ""
    )
    scenarios = estimates.scenarios
    from_log = estimates.evidence is not None

    def basis(s: BillScenario) -> str:
        if s.month:
            return _month_name(s.month, f)
        if s.percentile is None:
            return f._(
                "%(percent)s usage", percent=f.percent((s.usage_factor or Decimal(1)) * 100, 0)
            )
        if s.percentile == 50:
            return f._("median month")
        if s.percentile == 10:
            return f._("10th percentile month")
        return f._("90th percentile month")

    # Three equal bars (a bill that does not move with usage) carry no information.
    charts["bill_range"] = (
        bar_chart(
            [
                (
                    f._(
                        "%(scenario)s (%(basis)s)",
                        scenario=_scenario_label(s.label, f),
                        basis=basis(s),
                    ),
                    [s.monthly],
                )
                for s in scenarios
            ],
            [(f._("Average monthly bill, year 1"), SPEND)],
            axis,
            lambda v: f.money(v),
            f._("Monthly bill at the usage of a quiet, typical and busy month of your usage log")
            if from_log
            else f._("Monthly bill at low, expected and high usage"),
            terms.currency,
        )
        if informative([s.monthly for s in scenarios])
        else ""
    )

    def usage_cell(s: BillScenario) -> str:
        """A month of the log with what the quote bills in it, so that the bill beside it
        can be reconciled ("June 2026: 610 enrichments")."""
        evidence = estimates.evidence
        used = evidence.usage_of(s.month) if evidence is not None and s.month else ()
        if not used:
            return basis(s)
        return f._("%(month)s: %(usage)s", month=basis(s), usage=_usage_words(used, f))

    charts["scenarios"] = [
        {
            "label": _scenario_label(s.label, f),
            "usage": usage_cell(s),
            "monthly": f.money(s.monthly),
        }
        for s in scenarios
    ]
    charts["bill_moves"] = informative([s.monthly for s in scenarios])
    return charts


def _summary(view: CustomerView, f: Formatter, customer: str, one_time: str) -> dict[str, Any]:
    value = view.estimates.value
    if value is None:
        return {}
    terms = view.terms
    metric = unit_name(value.metric, f)
    # What a buyer multiplies: the value per task and the count as stated
    # (``pricing.value``), whose product, rounded to the minor unit, is the value printed.
    units = f._(
        "%(count)s %(unit)s",
        count=f.number(value.units_year_one),
        unit=unit_name(value.metric, f, value.units_year_one),
    )
    params: dict[str, Any] = {
        "metric": metric,
        "units": units,
        "value": f.price(value.stated_value_per_unit),
        "customer": customer,
        "annual_value": f.money(value.annual_value),
        "spend": f.money(value.annual_spend),
        "recurring": f.money(terms.first_year_fees),
        "one_time": one_time,
    }
    if value.minutes_saved is not None and value.hourly_rate is not None:
        params["minutes"] = f._n(
            "%(count)s minute",
            "%(count)s minutes",
            plural_count(value.minutes_saved),
            count=f.number(value.minutes_saved),
        )
        # With the digits it has: the value per task is minutes x this rate / 60.
        params["rate"] = f.price(value.hourly_rate)
        worth = f.markup(
            "We estimate that every task the service completes (%(metric)s) is worth about "
            "<strong>%(value)s</strong> to %(customer)s: %(minutes)s saved at a loaded rate of "
            "%(rate)s an hour.",
            **params,
        )
        basis = f._(
            "Value, savings, return and payback are estimates, not commitments: they rest on "
            "%(units)s in year 1 at the expected usage and %(minutes)s saved at a loaded rate of "
            "%(rate)s an hour (the figures you gave us). Your results depend on your usage and "
            "your costs; the price does not.",
            **params,
        )
    else:
        worth = f.markup(
            "We estimate that every task the service completes (%(metric)s) is worth about "
            "<strong>%(value)s</strong> to %(customer)s.",
            **params,
        )
        basis = f._(
            "Value, savings, return and payback are estimates, not commitments: they rest on "
            "%(units)s in year 1 at the expected usage and a value of %(value)s per task (your "
            "figure). Your results depend on your usage and your costs; the price does not.",
            **params,
        )
    if one_time:
        spend = f.markup(
            "With %(units)s expected in the first year, that is an estimated "
            "<strong>%(annual_value)s</strong> of value for a first-year spend of %(spend)s "
            "(%(recurring)s of recurring fees and %(one_time)s one-time).",
            **params,
        )
    else:
        spend = f.markup(
            "With %(units)s expected in the first year, that is an estimated "
            "<strong>%(annual_value)s</strong> of value for a first-year spend of %(spend)s.",
            **params,
        )
    payback = (
        f._n(
            "%(count)s month",
            "%(count)s months",
            plural_count(value.payback_months),
            count=f.number(value.payback_months, 1),
        )
        if value.payback_months is not None
        else f._("n/a")
    )
    return {
        "lead": Markup(" ").join([worth, spend]),
        "basis": basis,
        "value_per_unit": f.price(value.stated_value_per_unit),
        "annual_value": f.money(value.annual_value),
        "annual_spend": f.money(value.annual_spend),
        "savings": f.percent(value.savings_percent),
        "roi": f.percent(value.roi_percent, 0),
        "payback": payback,
    }


def money_metrics(terms: CustomerTerms) -> frozenset[str]:
    """Metrics whose quantity is an amount of money in the quote's currency: the value a
    share is taken of, the transactions' value a percent is taken of."""
    return frozenset(
        c.metric for c in terms.components if isinstance(c, PercentOfValue | TransactionFee)
    )


def _usage_lines(view: CustomerView, f: Formatter) -> list[str]:
    terms = view.terms
    money = money_metrics(terms)
    lines = []
    for metric, forecast in terms.estimated_usage.items():
        unit = unit_name(metric, f, forecast.monthly if forecast.monthly is not None else 2)
        # An amount of money carries its currency ("$100,000.00 of attributed revenue").
        show = f.money if metric in money else f.number
        if forecast.monthly is not None:
            if forecast.growth_percent_per_month and metric in money:
                text = f._(
                    "%(amount)s of %(unit)s a month, growing %(percent)s a month.",
                    amount=show(forecast.monthly),
                    unit=unit,
                    percent=f.increase(forecast.growth_percent_per_month),
                )
            elif forecast.growth_percent_per_month:
                text = f._(
                    "%(quantity)s %(unit)s a month, growing %(percent)s a month.",
                    quantity=f.number(forecast.monthly),
                    unit=unit,
                    percent=f.increase(forecast.growth_percent_per_month),
                )
            elif metric in money:
                text = f._(
                    "%(amount)s of %(unit)s a month.", amount=show(forecast.monthly), unit=unit
                )
            else:
                text = f._(
                    "%(quantity)s %(unit)s a month.", quantity=f.number(forecast.monthly), unit=unit
                )
        else:
            assert forecast.per_year is not None
            text = f._(
                "%(unit)s a month by contract year: %(quantities)s.",
                unit=unit,
                quantities=f.listing([show(v) for v in forecast.per_year]),
            )
        lines.append(text[0].upper() + text[1:])
    for ramp in terms.ramps:
        changes = [
            f._n(
                "%(count)s seat of %(component)s",
                "%(count)s seats of %(component)s",
                count,
                count=f.number(count),
                component=terms.component(seat_id).name,
            )
            if count
            else f._("no seats of %(component)s", component=terms.component(seat_id).name)
            for seat_id, count in ramp.seats.items()
        ] + [
            f._("%(amount)s of %(unit)s a month", amount=f.money(q), unit=unit_name(m, f))
            if m in money
            else f._("%(quantity)s %(unit)s a month", quantity=f.number(q), unit=unit_name(m, f, q))
            for m, q in ramp.usage.items()
        ]
        if changes:
            lines.append(
                f._(
                    "From contract year %(year)s: %(changes)s.",
                    year=ramp.year,
                    changes=f.listing(changes),
                )
            )
    return lines


def _month_name(label: str, f: Formatter) -> str:
    """A log month (``2026-06``) as the locale writes it (``June 2026``)."""
    return f.month(dt.date(int(label[:4]), int(label[5:]), 1))


def _usage_words(quantities: Sequence[tuple[EvidenceQuantity, Decimal]], f: Formatter) -> str:
    """What the bills over the usage log were computed from: each metric the quote bills,
    its quantity ("2,100 enrichments") or, for a value, its amount ("$1,200,000.00 of
    attributed revenue")."""
    return f.listing(
        [
            f._("%(amount)s of %(unit)s", amount=f.money(value), unit=unit_name(q.metric, f))
            if q.money
            else f._(
                "%(quantity)s %(unit)s",
                quantity=f.number(value),
                unit=unit_name(q.metric, f, value),
            )
            for q, value in quantities
        ]
    )


def _evidence_params(evidence: EvidencePeriod, f: Formatter) -> dict[str, str]:
    """The usage log's period and what the quote bills in it (``3``, ``June 2026 to August
    2026``, ``2,100 enrichments``) for the sentences that cite it, each a plural message
    by the number of months (German reads "aus 3 Monaten Nutzung")."""

    def month(label: str) -> str:
        return _month_name(label, f)

    first, last = evidence.first_month, evidence.last_month
    return {
        "count": f.number(evidence.months),
        "span": month(first)
        if first == last
        else f._("%(first)s to %(last)s", first=month(first), last=month(last)),
        "usage": _usage_words([(q, q.total) for q in evidence.quantities], f),
    }


def _few_months(evidence: EvidencePeriod | None) -> bool:
    """The usage log has too few months for percentiles (``scenarios.PERCENTILE_MONTHS``):
    its quietest and busiest months stand for a quiet and a busy month."""
    return evidence is not None and evidence.months < PERCENTILE_MONTHS


def _assumptions(view: CustomerView, f: Formatter) -> list[str]:
    terms, estimates = view.terms, view.estimates
    lines = _usage_lines(view, f)
    # Only what the proposal shows: the bills at other usage are assumed about only when
    # it prints them (they are left out when they would all be the same bill).
    shows_range = informative([s.monthly for s in estimates.scenarios])
    if estimates.evidence is not None and not shows_range:
        pass
    elif estimates.evidence is not None and _few_months(estimates.evidence):
        lines.append(
            f._n(
                "Quiet, typical and busy month: the average monthly bill in contract year 1 if "
                "every month used as much as your quietest, median and busiest month of "
                "%(count)s month of usage (%(span)s: %(usage)s in total), at this proposal's "
                "prices; the invoice follows actual usage.",
                "Quiet, typical and busy month: the average monthly bill in contract year 1 if "
                "every month used as much as your quietest, median and busiest month of "
                "%(count)s months of usage (%(span)s: %(usage)s in total), at this proposal's "
                "prices; the invoice follows actual usage.",
                estimates.evidence.months,
                **_evidence_params(estimates.evidence, f),
            )
        )
    elif estimates.evidence is not None:
        lines.append(
            f._n(
                "Quiet, typical and busy month: the average monthly bill in contract year 1 if "
                "every month used as much as the 10th percentile, median and 90th percentile "
                "month of %(count)s month of your usage (%(span)s: %(usage)s in total), at this "
                "proposal's prices; the invoice follows actual usage.",
                "Quiet, typical and busy month: the average monthly bill in contract year 1 if "
                "every month used as much as the 10th percentile, median and 90th percentile "
                "month of %(count)s months of your usage (%(span)s: %(usage)s in total), at "
                "this proposal's prices; the invoice follows actual usage.",
                estimates.evidence.months,
                **_evidence_params(estimates.evidence, f),
            )
        )
    elif terms.estimated_usage and shows_range:
        message = {
            "low": N_(
                "Low and high bills scale all usage for low usage variation; the invoice "
                "follows actual usage."
            ),
            "medium": N_(
                "Low and high bills scale all usage for medium usage variation; the invoice "
                "follows actual usage."
            ),
            "high": N_(
                "Low and high bills scale all usage for high usage variation; the invoice "
                "follows actual usage."
            ),
        }.get(estimates.variation)
        if message is not None:
            lines.append(f._(message))
    value = estimates.value
    if value is not None:
        params = {"unit": unit_name(value.metric, f), "value": f.price(value.stated_value_per_unit)}
        if value.minutes_saved is not None and value.hourly_rate is not None:
            lines.append(
                f._(
                    "Estimated value of the service's work (%(unit)s): %(value)s each "
                    "(%(minutes)s saved at %(rate)s an hour); an estimate, not a commitment.",
                    minutes=f._n(
                        "%(count)s minute",
                        "%(count)s minutes",
                        plural_count(value.minutes_saved),
                        count=f.number(value.minutes_saved),
                    ),
                    rate=f.price(value.hourly_rate),
                    **params,
                )
            )
        else:
            lines.append(
                f._(
                    "Estimated value of the service's work (%(unit)s): %(value)s each; an "
                    "estimate, not a commitment.",
                    **params,
                )
            )
    if terms.escalations:
        lines.append(
            f._(
                "Prices rise %(percent)s at the start of each contract year from year 2.",
                percent=f.increase(terms.escalator_percent),
            )
        )
    lines.append(f._("Amounts exclude taxes."))
    return lines


def _evidence_caption(view: CustomerView, f: Formatter) -> str:
    """What the bills over the usage log are, and how they stand beside the average month
    the proposal prints elsewhere (at the expected usage): two figures, two names."""
    evidence = view.estimates.evidence
    if evidence is None:
        return ""
    params = _evidence_params(evidence, f)
    if _few_months(evidence):
        what = f._n(
            "Your average monthly bill in contract year 1 if every month used as much as your "
            "quietest, median or busiest month of %(count)s month of usage (%(span)s: "
            "%(usage)s in total), at this proposal's prices. %(count)s month of usage is too "
            "few to say how quiet or busy a month can be: a longer record may show a wider "
            "range.",
            "Your average monthly bill in contract year 1 if every month used as much as your "
            "quietest, median or busiest month of %(count)s months of usage (%(span)s: "
            "%(usage)s in total), at this proposal's prices. %(count)s months of usage are "
            "too few to say how quiet or busy a month can be: a longer record may show a "
            "wider range.",
            evidence.months,
            **params,
        )
    else:
        what = f._n(
            "Your average monthly bill in contract year 1 if every month used as much as a "
            "quiet month (10th percentile), a typical month (median) or a busy month (90th "
            "percentile) of %(count)s month of your usage (%(span)s: %(usage)s in total), at "
            "this proposal's prices.",
            "Your average monthly bill in contract year 1 if every month used as much as a "
            "quiet month (10th percentile), a typical month (median) or a busy month (90th "
            "percentile) of %(count)s months of your usage (%(span)s: %(usage)s in total), "
            "at this proposal's prices.",
            evidence.months,
            **params,
        )
    expected = f._(
        "The average month of year 1 elsewhere in this proposal, %(amount)s, is at the "
        "expected usage of the assumptions, not at a month of your usage.",
        amount=f.money(view.estimates.average_monthly),
    )
    return f"{what} {expected}"  # sentences join with a space (i18n.close_sentence_gaps)


def _review_step(view: CustomerView, f: Formatter, with_contract: bool) -> str:
    valid_until = view.terms.valid_until
    if with_contract and valid_until:
        return f._(
            "Review this proposal and the contract terms that follow it before %(date)s.",
            date=f.date(valid_until),
        )
    if with_contract:
        return f._("Review this proposal and the contract terms that follow it.")
    if valid_until:
        return f._("Review this proposal before %(date)s.", date=f.date(valid_until))
    return f._("Review this proposal.")


def proposal_view(
    view: CustomerView, meta: ViewMeta, *, with_contract: bool = False
) -> dict[str, Any]:
    f = document_formatter(view, meta)
    view = printed_view(view, f)  # the app's own words in the document's language
    terms = view.terms
    evidence = view.estimates.evidence
    common = common_view(view, meta, f)
    sheet = sheet_from_terms(terms, view.estimates.discount_shares)
    return {
        **common,
        "summary": _summary(view, f, terms.customer.display_name, common["first_year_one_time"]),
        "recommendation": _recommendation(view, f),
        "pricing": _pricing_table(view, f),
        "price_table": sheet_table(sheet, f),
        "price_table_notes": sheet_notes(sheet, f),
        "years": _years(view, f),
        "charts": _charts(view, f),
        # Whether the bill range is read from the customer's usage log.
        "usage_evidence": evidence is not None,
        "usage_evidence_caption": _evidence_caption(view, f),
        "assumptions": _assumptions(view, f),
        "discounts": discount_lines(terms, f),
        "has_value": view.estimates.value is not None,
        # What the buyer agrees before signing, by what the deal has: outcome definitions,
        # an attribution method, or both.
        "has_outcomes": any(isinstance(c, PerOutcome) for c in terms.components),
        "has_value_share": any(isinstance(c, PercentOfValue) for c in terms.components),
        "has_usage_charges": any(c.usage_based for c in terms.components),
        "with_contract": with_contract,
        "review_step": _review_step(view, f, with_contract),
        **_options(view, f),
    }


def _options(view: CustomerView, f: Formatter) -> dict[str, Any]:
    """The options side by side, with the recommendation (a quote of one offer: none)."""
    offers = view.options
    if not offers:
        return {"options": [], "option_rows": [], "recommended": "", "featured": "", "chosen": ""}
    columns = []
    for offer in offers:
        columns.append(
            {
                "name": offer.name,
                "description": offer.description,
                "recommended": offer.recommended,
                "chosen": offer.chosen,
            }
        )
    rows = [
        (f._("Average month, year 1"), [f.money(o.average_monthly) for o in offers]),
        (f._("First-year recurring fees"), [f.money(o.terms.first_year_fees) for o in offers]),
        (f._("Year 1 in all"), [f.money(o.terms.years[0].amount) for o in offers]),
        (f._("Total contract value"), [f.money(o.terms.total_contract_value) for o in offers]),
        (f._("Term"), [f.months(o.terms.term_months) for o in offers]),
        (f._("Invoiced"), [billing_word(o.terms.billing_frequency, f) for o in offers]),
        (
            f._("Annual increase"),
            [
                f.increase(o.terms.escalator_percent) if o.terms.escalations else f._("none")
                for o in offers
            ],
        ),
        (
            f._("What is included"),
            [f.listing([c.name for c in o.terms.components]) for o in offers],
        ),
    ]
    if any(o.log_low is not None for o in offers):
        rows.append(
            (
                f._("Monthly bill over your usage log"),
                [
                    f._("%(low)s – %(high)s", low=f.money(o.log_low), high=f.money(o.log_high))
                    if o.log_low is not None and o.log_high is not None
                    else f._("n/a")
                    for o in offers
                ],
            )
        )
    recommended = next((o for o in offers if o.recommended), None)
    featured = next(o for o in offers if o.featured)
    chosen = next((o for o in offers if o.chosen), None)
    if recommended is None:
        recommendation = ""
    elif recommended.description:
        recommendation = f._(
            "We recommend %(option)s: %(description)s",
            option=recommended.name,
            description=recommended.description,
        )
    else:
        recommendation = f._("We recommend %(option)s.", option=recommended.name)
    return {
        "options": columns,
        "option_rows": [{"label": label, "cells": cells} for label, cells in rows],
        "recommended": recommendation,
        "featured": featured.name,
        "chosen": chosen.name if chosen is not None else "",
    }
