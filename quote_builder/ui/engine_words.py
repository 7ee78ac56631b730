"""The pricing engine's warnings and the approval policy's reasons in the interface's
language.

The engine (``pricing/guardrails.py``) and the policy (``approvals/policy.py``) write each
warning and each reason as an English sentence, which the command line, ``price --json``,
stored requests and signed decisions keep, and give beside it a stable code and the
sentence's values (``QuoteWarning.params``, ``approvals.policy.Reason``). Here each code
has its whole sentences as ``ui`` messages, written again from those values with the
numbers and amounts in the user's locale (``locale_format``: "2.000", "0,004 $", "57,0 %").
A code or a case not known here, or values that do not fit, show the English sentence as it
is; so does a request stored before reasons had codes.

``tests/ui/test_engine_words.py`` checks that every code the engine and the policy produce
has its sentences here, and each one in German from its values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .i18n import N_, _, ngettext

if TYPE_CHECKING:
    from quote_builder.approvals.policy import Reason
    from quote_builder.pricing.results import QuoteWarning

Values = Mapping[str, Any]

# --- the values, the user's way --------------------------------------------------------------


def _dec(value: Any) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise ValueError("not a number")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _money(value: Any, currency: Any) -> str:
    """An amount with the currency's minor unit: ``1.234,50 €``."""
    from .locale_format import money

    return money(_dec(value), str(currency))


def _price(value: Any, currency: Any) -> str:
    """A unit price, with the digits it has below the minor unit (``0,004 $``), as the
    documents print unit prices (``Formatter.price``)."""
    from .locale_format import formatter, money

    amount = _dec(value)
    try:
        return formatter(str(currency)).price(amount)
    except (ValueError, KeyError):  # an unknown currency code
        return money(amount, str(currency))


def _pct(value: Any, places: int | None = None) -> str:
    """A percent as given (``2,5 %``, ``40 %``), or to ``places`` decimals (``57,0 %``)."""
    from .locale_format import percent

    return percent(_dec(value), places)


def _num(value: Any) -> str:
    """A count or quantity with the locale's grouping: ``2.000``."""
    from .locale_format import number

    return number(_dec(value))


def _range(low: Any, high: Any) -> str:
    """A playbook range of percents: ``3–7 %``."""
    from . import locale_numbers

    return _("{low}-{high}%").format(
        low=locale_numbers.shown(_dec(low)), high=locale_numbers.shown(_dec(high))
    )


def listing(items: Sequence[str], style: str = "standard") -> str:
    """``a, b and c`` (``standard``) or ``a or b`` (``or``) in the locale's words."""
    from babel.lists import format_list

    from .locale_format import user_locale

    return str(format_list(list(items), style=style, locale=user_locale()))  # type: ignore[arg-type]


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValueError("not a list of names")
    return tuple(str(v) for v in value)


def _model(value: Any) -> str:
    """A pricing model's playbook title inside a sentence, quoted as a name: 'Outcome-based
    pricing', „Plattformgebühr + Nutzung“ (German nouns keep their capital letter)."""
    from .labels import model_title

    # Translators: a pricing model's title quoted inside a sentence ("the playbook
    # recommends 'Outcome-based pricing' for ..."), as your language quotes a name
    return _("'{model}'").format(model=model_title(str(value)))


def _category(value: Any) -> tuple[str, Any]:
    """A product category's title and its playbook profile."""
    from quote_builder.pricing.playbook import CATEGORY_PROFILES, ProductCategory

    from .labels import label

    return label(str(value)), CATEGORY_PROFILES[ProductCategory(str(value))]


# --- warnings --------------------------------------------------------------------------------

_OUTCOME_TERMS = {
    "definition": N_("what counts as an outcome"),
    "verification_evidence": N_("the verification evidence"),
    "dispute_window": N_("a dispute window"),
}
"""What an outcome's terms lack, as ``OUTCOME_TERMS_MISSING`` lists them."""


def _outcome_terms_missing(v: Values) -> str:
    missing = [_(_OUTCOME_TERMS[key]) for key in _names(v["missing"])]
    return _(
        "'{component}' charges per outcome but does not define {missing}: without them "
        "every invoice can be disputed."
    ).format(component=v["component"], missing=listing(missing))


def _outcome_criteria_missing(v: Values) -> str:
    return _(
        "'{component}' has no success criteria: say when an outcome counts as successful."
    ).format(component=v["component"])


def _attribution_missing(v: Values) -> str:
    missing = set(_names(v["missing"]))
    if missing == {"attribution_method", "baseline"}:
        text = _(
            "'{component}' takes a share of attributed value but has neither an attribution "
            "method nor a baseline: agree how value is attributed at signature, or expect "
            "disputes."
        )
    elif missing == {"attribution_method"}:
        text = _(
            "'{component}' takes a share of attributed value but has no attribution method: "
            "agree how value is attributed at signature, or expect disputes."
        )
    elif missing == {"baseline"}:
        text = _(
            "'{component}' takes a share of attributed value but has no baseline: agree how "
            "value is attributed at signature, or expect disputes."
        )
    else:
        raise ValueError("unknown case")
    return text.format(component=v["component"])


def _token_pass_through(v: Values) -> str:
    return _(
        "'{component}' charges per token: customers cannot predict token bills and will "
        "expect your price to fall with API prices. Price per task or outcome instead."
    ).format(component=v["component"])


def _headcount_blind_seats(v: Values) -> str:
    if v["case"] == "variation":
        return _(
            "Seat pricing while usage per seat varies widely: heavy users erode the margin "
            "and light users subsidise them. Add credits or a usage component."
        )
    if v["case"] == "headcount":
        return _(
            "Seat pricing while usage does not track headcount: heavy users erode the margin "
            "and light users subsidise them. Add credits or a usage component."
        )
    raise ValueError("unknown case")


def _platform_fee_below_floor(v: Values) -> str:
    return _(
        "The platform fee ({fee} a month) does not cover the fixed cost to serve plus the "
        "cost of included usage at a {margin} target margin: it should be at least {floor}. "
        "Usage fees should be upside, not cost recovery."
    ).format(
        fee=_money(v["fee"], v["currency"]),
        margin=_pct(v["target_margin"]),
        floor=_money(v["floor"], v["currency"]),
    )


def _credit_allocation(v: Values) -> str:
    if v["case"] == "answered":
        text = _(
            "'{component}': {share} of users should use under half of their {allowance} "
            "credits a month, but the 80th-percentile user is expected to use about "
            "{expected}. The allocation works as a usage cap; raise it to at least {raise_to}."
        )
    elif v["case"] == "assumed":
        text = _(
            "'{component}': {share} of users should use under half of their {allowance} "
            "credits a month, but the 80th-percentile user is expected to use about "
            "{expected} (usage variation not answered: medium assumed). The allocation works "
            "as a usage cap; raise it to at least {raise_to}."
        )
    else:
        raise ValueError("unknown case")
    return text.format(
        component=v["component"],
        share=_pct(80),
        allowance=_num(v["allowance"]),
        expected=_num(v["expected"]),
        raise_to=_num(v["raise_to"]),
    )


def _margin_below_floor(v: Values) -> str:
    if v["case"] == "no_revenue":
        return _(
            "Contract year {year} has COGS of {cogs} and no revenue: no margin at all, below "
            "the {floor} floor."
        ).format(year=v["year"], cogs=_money(v["cogs"], v["currency"]), floor=_pct(v["floor"]))
    if v["case"] == "below":
        return _(
            "Gross margin in contract year {year} is {margin}, below the {floor} floor."
        ).format(year=v["year"], margin=_pct(v["margin"], 1), floor=_pct(v["floor"]))
    raise ValueError("unknown case")


def _margin_below_model_range(v: Values) -> str:
    from quote_builder.pricing.playbook import MODEL_PROFILES, PricingModel

    from .labels import margin_text

    profile = MODEL_PROFILES[PricingModel(str(v["model"]))]
    return _(
        "Gross margin in contract year {year} is {margin}: above the {floor} floor, but below "
        "the playbook's {range} for {model}."
    ).format(
        year=v["year"],
        margin=_pct(v["margin"], 1),
        floor=_pct(v["floor"]),
        range=margin_text(profile),
        model=_model(v["model"]),
    )


def _no_escalator(v: Values) -> str:
    return _(
        "A deal of {months} months with no annual escalator: add {range} a year to capture "
        "value as the AI improves."
    ).format(months=v["months"], range=_range(v["low"], v["high"]))


def _escalator_low(v: Values) -> str:
    return _("The escalator ({escalator}) is below the usual {range} a year.").format(
        escalator=_pct(v["escalator"]), range=_range(v["low"], v["high"])
    )


def _escalator_high(v: Values) -> str:
    return _(
        "The escalator ({escalator} a year) is above the playbook's {range} a year: customers "
        "expect modest increases; a steep one invites a renegotiation."
    ).format(escalator=_pct(v["escalator"]), range=_range(v["low"], v["high"]))


_ESCALATED_PRICES = {
    "amount": N_("fee"),
    "unit_price": N_("price per unit"),
    "tier_unit_price": N_("tier {tier}'s price per unit"),
    "tier_flat_fee": N_("tier {tier}'s flat fee"),
    "package_price": N_("package price"),
    "overage_unit_price": N_("overage price per unit"),
    "price_per_seat": N_("price per seat"),
    "pack_price": N_("credit pack price"),
    "overage_price_per_credit": N_("overage price per credit"),
    "price_per_outcome": N_("price per outcome"),
}
"""A price the escalator raises, in words (``guardrails._PRICE_WORDS``)."""


def _escalator_rounded(v: Values) -> str:
    from quote_builder.pricing.components import written_places

    from .locale_format import number

    suggested = _dec(v["suggested"])
    what = _(_ESCALATED_PRICES[v["case"]]).format(tier=v.get("tier"))
    return _(
        "'{component}' {what} ({price}): in year {year} the escalated price rounds to "
        "{year_price}, a {increase} increase where the escalator asks for {escalator}. Write "
        "the price with more decimals ({suggested}) so that it rises with the escalator."
    ).format(
        component=v["component"],
        what=what,
        price=_price(v["price"], v["currency"]),
        year=v["year"],
        year_price=_price(v["year_price"], v["currency"]),
        increase=_pct(v["increase"], 1),
        escalator=_pct(v["escalator"]),
        suggested=number(suggested, written_places(suggested)),
    )


def _cost_lever(v: Values) -> str:
    lever, case = v["lever"], v["case"]
    if (lever, case) == ("routing_savings_percent", "above"):
        text = _(
            "Routing savings of {percent} are above the playbook's {range}: the unit costs and "
            "the margin rest on savings few products reach."
        )
    elif (lever, case) == ("routing_savings_percent", "below"):
        text = _(
            "Routing savings of {percent} are below the playbook's usual {range}: a cautious "
            "assumption; the margin may be better than shown."
        )
    elif (lever, case) == ("cache_hit_percent", "above"):
        text = _(
            "Cache hits of {percent} are above the playbook's {range}: the unit costs and the "
            "margin rest on savings few products reach."
        )
    elif (lever, case) == ("cache_hit_percent", "below"):
        text = _(
            "Cache hits of {percent} are below the playbook's usual {range}: a cautious "
            "assumption; the margin may be better than shown."
        )
    elif (lever, case) == ("fine_tuning_savings_percent", "above"):
        text = _(
            "Fine-tuning savings of {percent} are above the playbook's {range}: the unit costs "
            "and the margin rest on savings few products reach."
        )
    elif (lever, case) == ("fine_tuning_savings_percent", "below"):
        text = _(
            "Fine-tuning savings of {percent} are below the playbook's usual {range}: a "
            "cautious assumption; the margin may be better than shown."
        )
    else:
        raise ValueError("unknown case")
    return text.format(percent=_pct(v["percent"]), range=_range(v["low"], v["high"]))


def _model_not_recommended(v: Values) -> str:
    from .advisor_words import RECOMMENDED

    category, _profile = _category(v["category"])
    recommended = [_model(m) for m in _names(v["recommended"])]
    return _(
        "The playbook recommends {recommended} for {category} ({advice}); this quote uses "
        "{model}. Say why in the notes."
    ).format(
        recommended=listing(recommended, "or"),
        category=category,
        advice=_(RECOMMENDED[str(v["category"])]),
        model=_model(v["model"]),
    )


def _category_not_compared(v: Values) -> str:
    from .labels import category_range

    category, profile = _category(v["category"])
    return _(
        "The playbook's range for {category} ({range}) is in USD; this quote is in "
        "{currency}, so it was not compared."
    ).format(category=category, range=category_range(profile), currency=v["currency"])


def _acv_out_of_range(v: Values) -> str:
    from .labels import category_range

    category, profile = _category(v["category"])
    months, above = int(v["months"]), v["case"] == "above"
    if v["case"] not in ("above", "below"):
        raise ValueError("unknown case")
    if months == 12:
        text = (
            _("First-year ACV {acv} is above the playbook's range for {category}: {range}.")
            if above
            else _("First-year ACV {acv} is below the playbook's range for {category}: {range}.")
        )
    elif above:
        text = ngettext(
            "First-year ACV annualised from {count} month ({acv} x 12 / {count}), {annual}, is "
            "above the playbook's range for {category}: {range}.",
            "First-year ACV annualised from {count} months ({acv} x 12 / {count}), {annual}, "
            "is above the playbook's range for {category}: {range}.",
            months,
        )
    else:
        text = ngettext(
            "First-year ACV annualised from {count} month ({acv} x 12 / {count}), {annual}, is "
            "below the playbook's range for {category}: {range}.",
            "First-year ACV annualised from {count} months ({acv} x 12 / {count}), {annual}, "
            "is below the playbook's range for {category}: {range}.",
            months,
        )
    return text.format(
        count=months,
        acv=_money(v["acv"], v["currency"]),
        annual=_money(v["annual"], v["currency"]),
        category=category,
        range=category_range(profile),
    )


def _unit_price_out_of_range(v: Values) -> str:
    from .labels import category_range

    category, profile = _category(v["category"])
    if v["case"] == "above":
        text = _("'{component}' at {price} is above the playbook's range for {category}: {range}.")
    elif v["case"] == "below":
        text = _("'{component}' at {price} is below the playbook's range for {category}: {range}.")
    else:
        raise ValueError("unknown case")
    return text.format(
        component=v["component"],
        price=_price(v["price"], v["currency"]),
        category=category,
        range=category_range(profile),
    )


def _seat_price_out_of_range(v: Values) -> str:
    from .labels import category_range

    category, profile = _category(v["category"])
    if v["case"] == "above":
        text = _(
            "'{component}' at {price} per seat per year is above the playbook's range for "
            "{category}: {range}."
        )
    elif v["case"] == "below":
        text = _(
            "'{component}' at {price} per seat per year is below the playbook's range for "
            "{category}: {range}."
        )
    else:
        raise ValueError("unknown case")
    return text.format(
        component=v["component"],
        price=_price(v["price"], v["currency"]),
        category=category,
        range=category_range(profile),
    )


def _price_below_cost_anchor(v: Values) -> str:
    currency = v["currency"]
    case = v["case"]
    values: dict[str, Any] = {
        "component": v["component"],
        "price": _price(v["price"], currency),
        "floor": _price(v["floor"], currency),
        "metric": v["metric"],
        "target": _pct(v["target_margin"]),
    }
    if case == "unit":
        text = _(
            "'{component}' at {price} per unit is below the cost-anchored price {floor} for "
            "'{metric}' (unit cost / (1 - {target} target margin)): every unit sold erodes the "
            "margin."
        )
    elif case == "overage":
        text = _(
            "'{component}' overage at {price} per unit is below the cost-anchored price {floor} "
            "for '{metric}' (unit cost / (1 - {target} target margin)): every unit sold erodes "
            "the margin."
        )
    elif case == "tier" and v["upper"] is not None:
        values.update(tier=v["tier"], lower=_num(v["lower"]), upper=_num(v["upper"]))
        text = _(
            "'{component}' tier {tier} ({lower} to {upper}) at {price} per unit is below the "
            "cost-anchored price {floor} for '{metric}' (unit cost / (1 - {target} target "
            "margin)): every unit sold erodes the margin."
        )
    elif case == "tier":
        values.update(tier=v["tier"], lower=_num(v["lower"]))
        text = _(
            "'{component}' tier {tier} (above {lower}) at {price} per unit is below the "
            "cost-anchored price {floor} for '{metric}' (unit cost / (1 - {target} target "
            "margin)): every unit sold erodes the margin."
        )
    elif case == "package":
        values.update(
            package_price=_price(v["package_price"], currency), size=_num(v["package_size"])
        )
        text = _(
            "'{component}' at {package_price} per {size} units ({price} per unit) is below the "
            "cost-anchored price {floor} for '{metric}' (unit cost / (1 - {target} target "
            "margin)): every unit sold erodes the margin."
        )
    elif case == "credits":
        values.update(credit_price=_price(v["credit_price"], currency), credits=_num(v["credits"]))
        text = _(
            "'{component}' at {credit_price} a credit x {credits} credits per '{metric}' action "
            "({price} per action) is below the cost-anchored price {floor} for '{metric}' (unit "
            "cost / (1 - {target} target margin)): every unit sold erodes the margin."
        )
    else:
        raise ValueError("unknown case")
    return text.format(**values)


def _value_capture_high(v: Values) -> str:
    return _(
        "The price captures {capture} of the value delivered (above {limit}): the customer "
        "keeps too little of it to feel the deal is good."
    ).format(capture=_pct(v["capture"]), limit=_pct(v["limit"]))


def _no_forecast(v: Values) -> str:
    return _(
        "'{component}' reads metric '{metric}' but the quote has no forecast for it: priced at "
        "zero usage."
    ).format(component=v["component"], metric=v["metric"])


def _discount_past_term(v: Values) -> str:
    return _(
        "'{discount}' runs for {months} months from month {start}, past the term's end (month "
        "{term}): only its {within} months within the term are priced and printed; a discount "
        "on a renewal is agreed then."
    ).format(
        discount=v["discount"],
        months=v["months"],
        start=v["start_month"],
        term=v["term_months"],
        within=v["within"],
    )


def _ramp_usage_flat(v: Values) -> str:
    return _(
        "Year {year}'s ramp takes '{component}' from {before} to {after} seats but leaves the "
        "usage of {metrics} where it was: the bills from that year are estimated at the old "
        "usage. If usage follows the seats, set the year's usage in the ramp."
    ).format(
        year=v["year"],
        component=v["component"],
        before=_num(v["before"]),
        after=_num(v["after"]),
        metrics=", ".join(_names(v["metrics"])),
    )


def _cost_only_metric_billed(v: Values) -> str:
    return _(
        "'{metric}' is marked cost-only but a component bills it: take it off the cost-only "
        "metrics (its cost counts either way)."
    ).format(metric=v["metric"])


def _billed(v: Values) -> str:
    names = _names(v["billed"])
    # Translators: no metric is billed ("put the cost on a billed metric (none)")
    return ", ".join(names) if names else _("none billed")


def _unit_cost_unused(v: Values) -> str:
    case = v["case"]
    if case == "cost_only_without_cost":
        return _(
            "'{metric}' is marked cost-only but has no unit cost: give its cost per unit, or "
            "take it off the cost-only metrics."
        ).format(metric=v["metric"])
    if case == "cost_only_without_forecast":
        return _(
            "The unit cost of '{metric}' counts nothing: no component bills '{metric}' and it "
            "has no usage forecast, so COGS leaves it out; give '{metric}' its monthly "
            "quantity in the usage forecast."
        ).format(metric=v["metric"])
    if case == "not_billed":
        return _(
            "The unit cost of '{metric}' counts nothing: no component bills '{metric}' and it "
            "has no usage forecast, so COGS leaves it out; put the cost on a billed metric "
            "({billed}), or give '{metric}' a forecast and mark it cost-only."
        ).format(metric=v["metric"], billed=_billed(v))
    raise ValueError("unknown case")


def _unit_cost_not_billed(v: Values) -> str:
    return _(
        "'{metric}' has a unit cost and a forecast but no component bills it: its cost counts "
        "in COGS. If it is a cost behind another price (GPU-hours behind an outcome), mark "
        "'{metric}' cost-only; if not, move the cost to the billed metric ({billed})."
    ).format(metric=v["metric"], billed=_billed(v))


def _no_unit_cost(v: Values) -> str:
    metrics = _names(v["metrics"])
    if not metrics:
        raise ValueError("no metrics")
    if v["case"] == "carried":
        return ngettext(
            "{metrics} has no unit cost of its own: the usage cost is counted on {carriers}.",
            "{metrics} have no unit cost of their own: the usage cost is counted on {carriers}.",
            len(metrics),
        ).format(metrics=", ".join(metrics), carriers=", ".join(_names(v["carriers"])))
    if v["case"] == "uncosted":
        return ngettext(
            "{metrics} is billed but has no unit cost: that usage's COGS counts as 0, so the "
            "margin shown is too high (an upper bound). Add the cost per unit under economics.",
            "{metrics} are billed but have no unit cost: that usage's COGS counts as 0, so the "
            "margin shown is too high (an upper bound). Add the cost per unit under economics.",
            len(metrics),
        ).format(metrics=", ".join(metrics))
    raise ValueError("unknown case")


WARNINGS: dict[str, Callable[[Values], str]] = {
    "OUTCOME_TERMS_MISSING": _outcome_terms_missing,
    "OUTCOME_CRITERIA_MISSING": _outcome_criteria_missing,
    "ATTRIBUTION_MISSING": _attribution_missing,
    "TOKEN_PASS_THROUGH": _token_pass_through,
    "HEADCOUNT_BLIND_SEATS": _headcount_blind_seats,
    "PLATFORM_FEE_BELOW_FLOOR": _platform_fee_below_floor,
    "CREDIT_ALLOCATION_80_50": _credit_allocation,
    "MARGIN_BELOW_FLOOR": _margin_below_floor,
    "MARGIN_BELOW_MODEL_RANGE": _margin_below_model_range,
    "NO_ESCALATOR": _no_escalator,
    "ESCALATOR_LOW": _escalator_low,
    "ESCALATOR_HIGH": _escalator_high,
    "ESCALATOR_ROUNDED": _escalator_rounded,
    "COST_LEVER_OUT_OF_RANGE": _cost_lever,
    "MODEL_NOT_RECOMMENDED": _model_not_recommended,
    "CATEGORY_RANGE_NOT_COMPARED": _category_not_compared,
    "ACV_OUT_OF_RANGE": _acv_out_of_range,
    "UNIT_PRICE_OUT_OF_RANGE": _unit_price_out_of_range,
    "SEAT_PRICE_OUT_OF_RANGE": _seat_price_out_of_range,
    "PRICE_BELOW_COST_ANCHOR": _price_below_cost_anchor,
    "VALUE_CAPTURE_HIGH": _value_capture_high,
    "NO_FORECAST": _no_forecast,
    "COST_ONLY_METRIC_BILLED": _cost_only_metric_billed,
    "UNIT_COST_UNUSED": _unit_cost_unused,
    "UNIT_COST_NOT_BILLED": _unit_cost_not_billed,
    "NO_UNIT_COST": _no_unit_cost,
    "DISCOUNT_PAST_TERM": _discount_past_term,
    "RAMP_USAGE_FLAT": _ramp_usage_flat,
}
"""Each warning code's sentences, written from the warning's values."""

WARNING_TITLES: dict[str, str] = {
    "OUTCOME_TERMS_MISSING": N_("Outcome terms missing"),
    "OUTCOME_CRITERIA_MISSING": N_("No success criteria"),
    "ATTRIBUTION_MISSING": N_("Value attribution missing"),
    "TOKEN_PASS_THROUGH": N_("Priced per token"),
    "HEADCOUNT_BLIND_SEATS": N_("Seats that do not follow usage"),
    "PLATFORM_FEE_BELOW_FLOOR": N_("Platform fee below its floor"),
    "CREDIT_ALLOCATION_80_50": N_("Credit allocation works as a cap"),
    "MARGIN_BELOW_FLOOR": N_("Margin below the floor"),
    "MARGIN_BELOW_MODEL_RANGE": N_("Margin below the model's range"),
    "NO_ESCALATOR": N_("No escalator"),
    "ESCALATOR_LOW": N_("Low escalator"),
    "ESCALATOR_HIGH": N_("High escalator"),
    "ESCALATOR_ROUNDED": N_("Escalator lost to rounding"),
    "COST_LEVER_OUT_OF_RANGE": N_("Cost lever outside the playbook's range"),
    "MODEL_NOT_RECOMMENDED": N_("Model not the one recommended"),
    "CATEGORY_RANGE_NOT_COMPARED": N_("Category range not compared"),
    "ACV_OUT_OF_RANGE": N_("ACV outside the category's range"),
    "UNIT_PRICE_OUT_OF_RANGE": N_("Unit price outside the category's range"),
    "SEAT_PRICE_OUT_OF_RANGE": N_("Seat price outside the category's range"),
    "PRICE_BELOW_COST_ANCHOR": N_("Price below the cost-anchored price"),
    "VALUE_CAPTURE_HIGH": N_("Price captures too much of the value"),
    "NO_FORECAST": N_("No forecast"),
    "COST_ONLY_METRIC_BILLED": N_("Cost-only metric billed"),
    "UNIT_COST_UNUSED": N_("Unit cost that counts nothing"),
    "UNIT_COST_NOT_BILLED": N_("Unit cost on a metric not billed"),
    "NO_UNIT_COST": N_("No unit cost"),
    "DISCOUNT_PAST_TERM": N_("Discount past the term's end"),
    "RAMP_USAGE_FLAT": N_("Seats ramp, usage stays"),
}
"""A warning in a few words, where only its code is known (a request's stored summary)."""


def warning_text(warning: QuoteWarning) -> str:
    """The warning's sentence in the interface's language, from its values (its English
    message when its code or values are not known here). Kept by content, language and
    number locale: the editor shows the warnings after every edit, most edits leave them
    as they were, and writing one costs babel's formatting of each of its numbers."""
    from . import locale_format
    from .i18n import language

    return _warning_text(
        warning.code,
        warning.message,
        warning.params,
        language(),
        locale_format.user_locale(),
    )


@lru_cache(maxsize=512)
def _warning_text(
    code: str,
    message: str,
    params: tuple[tuple[str, Any], ...],
    language: str,
    locale: str,
) -> str:
    write = WARNINGS.get(code)
    if write is None or not params:
        return english_sentence(message, params or None)
    try:
        return write(dict(params))
    except (KeyError, ValueError, TypeError, IndexError, InvalidOperation):
        return english_sentence(message, params)


def warning_title(code: str) -> str:
    """ "Margin below the floor": a warning named by its code alone."""
    from quote_builder.services import words

    english = WARNING_TITLES.get(code)
    return _(english) if english is not None else words.humanize(code.lower())


# --- approval reasons ------------------------------------------------------------------------


def _discount(v: Values) -> str:
    pair = (v["exceeded"], v["role"])
    if v["exceeded"] == "deal_desk":
        text = _(
            "The effective discount is {discount}, above every role's authority (the deal "
            "desk's is {limit}): the deal desk must approve an exception."
        )
    elif pair == ("rep", "manager"):
        text = _(
            "The effective discount is {discount}, above the rep's {limit} authority: a "
            "manager must approve."
        )
    elif pair == ("rep", "deal_desk"):
        text = _(
            "The effective discount is {discount}, above the rep's {limit} authority: the deal "
            "desk must approve."
        )
    elif pair == ("manager", "deal_desk"):
        text = _(
            "The effective discount is {discount}, above the manager's {limit} authority: the "
            "deal desk must approve."
        )
    else:
        raise ValueError("unknown case")
    # The discount to the hundredth the policy judges it by (10.01 % is above 10 %), its
    # trailing zeros dropped: the totals beside the quote write 25 % the same way.
    from .locale_format import discount_percent

    return text.format(discount=discount_percent(_dec(v["discount"])), limit=_pct(v["limit"]))


def _reason_margin(v: Values) -> str:
    return _(
        "The gross margin in contract year {year} is {margin}, below the {floor} floor: the "
        "deal desk must approve."
    ).format(year=v["year"], margin=_pct(v["margin"], 1), floor=_pct(v["floor"]))


def _rate(value: Any) -> str:
    """An exchange rate with every decimal it has (0,9213), the locale's way."""
    from .locale_format import number

    return number(_dec(value))


def _reason_rate_off_table(v: Values) -> str:
    return _(
        "The exchange rate in this quote, {quoted} {currency} per {base}, is {deviation} away "
        "from the table's {table} {currency} per {base}, more than the {tolerance} allowed; "
        "its margins are judged at {used} {currency} per {base}: the deal desk must approve."
    ).format(
        quoted=_rate(v["quoted"]),
        table=_rate(v["table"]),
        used=_rate(v["used"]),
        currency=v["currency"],
        base=v["base"],
        deviation=_pct(v["deviation"], 1),
        tolerance=_pct(v["tolerance"]),
    )


def _reason_rate_not_in_table(v: Values) -> str:
    if "quoted" not in v:
        return _(
            "This quote keeps no exchange rate and the exchange-rate table has no rate from "
            "{base} to {currency}: its costs in {base} are read as {currency}, so its margin "
            "cannot be checked: the deal desk must approve."
        ).format(base=v["base"], currency=v["currency"])
    return _(
        "The exchange-rate table has no rate from {base} to {currency}, so the rate this "
        "quote's margin is measured at ({quoted} {currency} per {base}) cannot be checked: "
        "the deal desk must approve."
    ).format(base=v["base"], currency=v["currency"], quoted=_rate(v["quoted"]))


def _reason_rate_missing(v: Values) -> str:
    return _(
        "This quote keeps no exchange rate, so its costs in {base} were read as {currency}; "
        "its margins are judged at the table's rate, {table} {currency} per {base}: the deal "
        "desk must approve."
    ).format(base=v["base"], currency=v["currency"], table=_rate(v["table"]))


def _reason_quote_floor(v: Values) -> str:
    return _(
        "This quote was priced with a {floor} margin floor, below the policy's {policy_floor}: "
        "the deal desk must approve."
    ).format(floor=_pct(v["floor"]), policy_floor=_pct(v["policy_floor"]))


def _reason_term(v: Values) -> str:
    return _(
        "The term is {months} months, longer than the {max_months} months allowed without "
        "approval: the deal desk must approve."
    ).format(months=_num(v["months"]), max_months=_num(v["max_months"]))


def _reason_escalator(v: Values) -> str:
    return _(
        "The escalator is {escalator} a year on a {months}-month contract, below the {minimum} "
        "minimum for multi-year contracts: the deal desk must approve."
    ).format(escalator=_pct(v["escalator"]), months=v["months"], minimum=_pct(v["minimum"]))


def _reason_payment_terms(v: Values) -> str:
    return _(
        "The payment terms are {days} days, longer than the standard {max_days} days: the deal "
        "desk must approve."
    ).format(days=_num(v["days"]), max_days=_num(v["max_days"]))


def _reason_custom_attribution(v: Values) -> str:
    return _(
        "{component} uses a custom attribution method instead of a standard one: the deal desk "
        "must approve."
    ).format(component=v["component"])


def _reason_outcome_without_minimum(v: Values) -> str:
    return _(
        "{component} is priced by outcome without a minimum commitment: the deal desk must approve."
    ).format(component=v["component"])


REASONS: dict[str, Callable[[Values], str]] = {
    "DISCOUNT_ABOVE_AUTHORITY": _discount,
    "RATE_OFF_TABLE": _reason_rate_off_table,
    "RATE_NOT_IN_TABLE": _reason_rate_not_in_table,
    "RATE_MISSING": _reason_rate_missing,
    "MARGIN_BELOW_FLOOR": _reason_margin,
    "QUOTE_FLOOR_BELOW_POLICY": _reason_quote_floor,
    "TERM_TOO_LONG": _reason_term,
    "ESCALATOR_BELOW_MINIMUM": _reason_escalator,
    "PAYMENT_TERMS_TOO_LONG": _reason_payment_terms,
    "CUSTOM_ATTRIBUTION": _reason_custom_attribution,
    "OUTCOME_WITHOUT_MINIMUM": _reason_outcome_without_minimum,
}
"""Each approval reason's sentences, written from the reason's values."""


def english_sentence(sentence: str, values: Any = None) -> str:
    """An English sentence of the engine or the policy shown as it is (its code or its
    values are not known here: a request stored before reasons had codes), with its
    percents in the user's number format all the same (``services.words.percents_written``:
    "25 %", not the engine's "25.00%")."""
    from quote_builder.services.words import percents_written

    from .locale_format import user_locale

    return percents_written(sentence, user_locale(), values)


def reason_text(english: str, detail: Reason | None) -> str:
    """One reason approval is needed, in the interface's language from its code and values
    (``english``, as stored, when there are none or they are not known here)."""
    if detail is None:
        return english_sentence(english)
    write = REASONS.get(detail.code)
    if write is None:
        return english_sentence(english, detail)
    try:
        text = write(detail.values())
    except (KeyError, ValueError, TypeError, IndexError, InvalidOperation):
        return english_sentence(english, detail)
    if detail.option is not None:
        return _("Option {option}: {reason}").format(option=detail.option, reason=text)
    return text


def reason_texts(reasons: Sequence[str], details: Sequence[Reason]) -> list[str]:
    """Every reason in the interface's language; the English sentences as they are when the
    codes are missing (a request stored before they were recorded)."""
    if len(details) != len(reasons):
        return [english_sentence(reason) for reason in reasons]
    return [reason_text(english, detail) for english, detail in zip(reasons, details, strict=True)]


__all__ = [
    "REASONS",
    "WARNINGS",
    "english_sentence",
    "WARNING_TITLES",
    "listing",
    "reason_text",
    "reason_texts",
    "warning_text",
    "warning_title",
]
