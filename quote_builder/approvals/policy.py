"""The approval policy: which quotes need the deal desk, who must approve, and why.

Pure: ``evaluate(document, priced, policy)`` reads the quote document and the engine's
PricedQuote and returns every reason as one plain English sentence (what is stored, signed
and shown on the command line) and, beside it, as a :class:`Reason`: a stable code and the
sentence's values, from which the app writes it in the interface's language
(``ui/engine_words.py``). No I/O: the organisation's exchange-rate table comes in as a :class:`RateTable`.

**The exchange rate is checked, not trusted.** A quote in another currency than the
seller's keeps the rate its margin is measured at (``QuoteDocument.exchange_rate``: costs
are in the seller's currency). A rate written into the quote by hand (0.3 EUR per USD
instead of 0.92) would make the costs look small and hide a margin below the floor, so
``evaluate`` compares it with the table's rate for the same pair (``check_rate``). More
than ``RATE_TOLERANCE_PERCENT`` (2 %) below the table's (fewer quote-currency units per
seller unit: the revenue looks worth more in the seller's currency), the margins are judged
at the table's rate and the deviation is itself a reason for the deal desk, naming both
rates. A rate above the table's only makes the margins look worse: they are judged at it,
with no reason (nothing is hidden). No table rate for the pair (or no rate kept by a quote in another
currency than the seller's) is a reason too, never silently trusted. 2 %: rates move about
that much in a month, while at a 60 % margin a 2 % rate difference moves the margin by
under one point.

Who approves: a discount needs the lowest role whose authority covers it (a discount
within the rep's authority needs nobody); every other rule (margin below the quote's own
floor, a quote floor below the policy's, an exchange rate off the organisation's table,
long term,
low escalator, long payment terms, custom attribution, outcome pricing without a
minimum) needs the deal desk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from quote_builder.pricing import PricedQuote, QuoteDocument
from quote_builder.pricing.components import MinimumCommitment, PercentOfValue, PerOutcome

ROLES = ("rep", "manager", "deal_desk")
ROLE_NAMES = {"rep": "the rep", "manager": "a manager", "deal_desk": "the deal desk"}
_POSSESSIVE = {"rep": "the rep's", "manager": "the manager's", "deal_desk": "the deal desk's"}


def _pct(value: Decimal) -> str:
    """A policy number as written (10, 2.5), without trailing zeros."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class ApprovalPolicy:
    discount_authority: Mapping[str, Decimal] = field(
        default_factory=lambda: {
            "rep": Decimal(10),
            "manager": Decimal(20),
            "deal_desk": Decimal(100),
        }
    )
    """Highest effective discount, in percent, each role may approve."""
    margin_floor_percent: Decimal = Decimal(60)
    max_term_months: int = 36
    """The longest term without approval."""
    min_escalator_percent: Decimal = Decimal(3)
    """The lowest yearly escalator on a multi-year contract without approval."""
    max_payment_terms_days: int = 30
    custom_attribution_needs_approval: bool = True
    outcome_without_minimum_needs_approval: bool = True

    def snapshot(self) -> dict[str, Any]:
        """The policy as JSON-ready data (decimals as text): signed into each decision."""
        return {
            "discount_authority": {
                role: _pct(Decimal(self.discount_authority[role]))
                for role in ROLES
                if role in self.discount_authority
            },
            "margin_floor_percent": _pct(self.margin_floor_percent),
            "max_term_months": self.max_term_months,
            "min_escalator_percent": _pct(self.min_escalator_percent),
            "max_payment_terms_days": self.max_payment_terms_days,
            "custom_attribution_needs_approval": self.custom_attribution_needs_approval,
            "outcome_without_minimum_needs_approval": self.outcome_without_minimum_needs_approval,
        }

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> ApprovalPolicy:
        """The inverse of ``snapshot``; raises ValueError on a malformed snapshot."""
        try:
            authority = {
                str(role): Decimal(str(value))
                for role, value in dict(data["discount_authority"]).items()
            }
            if set(authority) - set(ROLES):
                raise ValueError(f"unknown roles in discount_authority: {sorted(authority)}")
            return cls(
                discount_authority=authority,
                margin_floor_percent=Decimal(str(data["margin_floor_percent"])),
                max_term_months=int(data["max_term_months"]),
                min_escalator_percent=Decimal(str(data["min_escalator_percent"])),
                max_payment_terms_days=int(data["max_payment_terms_days"]),
                custom_attribution_needs_approval=bool(data["custom_attribution_needs_approval"]),
                outcome_without_minimum_needs_approval=bool(
                    data["outcome_without_minimum_needs_approval"]
                ),
            )
        except (KeyError, TypeError, ArithmeticError) as exc:
            raise ValueError(f"the policy snapshot is not valid ({exc})") from None


ReasonValue = str | int | Decimal
"""A value of a reason's sentence: a name, a count, a percent as Decimal, a role."""

REASON_CODES = (
    "DISCOUNT_ABOVE_AUTHORITY",
    "RATE_OFF_TABLE",
    "RATE_NOT_IN_TABLE",
    "RATE_MISSING",
    "MARGIN_BELOW_FLOOR",
    "QUOTE_FLOOR_BELOW_POLICY",
    "TERM_TOO_LONG",
    "ESCALATOR_BELOW_MINIMUM",
    "PAYMENT_TERMS_TOO_LONG",
    "CUSTOM_ATTRIBUTION",
    "OUTCOME_WITHOUT_MINIMUM",
)
"""Every code a reason can have."""


@dataclass(frozen=True)
class Reason:
    """Why approval is needed, as a code and the values of its sentence (percents as
    Decimal: 12.5 for 12.5 %; roles by key: ``manager``), for writing the sentence again
    in another language. ``option`` names the option it is about, for a quote with
    options."""

    code: str
    params: tuple[tuple[str, ReasonValue], ...] = ()
    option: str | None = None

    def values(self) -> dict[str, ReasonValue]:
        return dict(self.params)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready: a decimal as ``{"decimal": "24.00"}`` (text, exact), so that
        ``from_json`` gives back the same values and types."""
        data: dict[str, Any] = {
            "code": self.code,
            "params": {
                name: {"decimal": format(value, "f")} if isinstance(value, Decimal) else value
                for name, value in self.params
            },
        }
        if self.option is not None:
            data["option"] = self.option
        return data

    @classmethod
    def from_json(cls, data: Any) -> Reason | None:
        """The inverse of ``to_json``; None for anything else (an older or foreign record:
        its English sentence is shown as it is)."""
        if not isinstance(data, Mapping) or not isinstance(data.get("code"), str):
            return None
        params = data.get("params")
        option = data.get("option")
        if not isinstance(params, Mapping) or not (option is None or isinstance(option, str)):
            return None
        values: list[tuple[str, ReasonValue]] = []
        for name, value in params.items():
            if isinstance(value, Mapping) and set(value) == {"decimal"}:
                try:
                    values.append((str(name), Decimal(str(value["decimal"]))))
                except ArithmeticError:
                    return None
            elif isinstance(value, str | int) and not isinstance(value, bool):
                values.append((str(name), value))
            else:
                return None
        return cls(data["code"], tuple(values), option)


@dataclass(frozen=True)
class Evaluation:
    needed: bool
    required_role: str | None
    """The lowest role that may approve every reason (None when nothing needs approval)."""
    reasons: list[str]
    """One plain sentence per reason."""
    details: list[Reason] = field(default_factory=list)
    """The same reasons, in the same order, as codes and values."""
    judged: PricedQuote | None = None
    """The quote priced at the rate its margins were judged at, when that is not the rate
    the quote keeps (``check_rate``): what the deal desk is shown. None: the quote's own."""


RATE_TOLERANCE_PERCENT = Decimal(2)
"""How far (relative to the table's rate) a quote's exchange rate may be below the table's
before its margins are judged at the table's rate and the deal desk must approve."""


@dataclass(frozen=True)
class TableRate:
    rate: Decimal
    """Units of the quote currency per unit of the base currency."""
    as_of: str
    source: str


def inverse_rate(rate: Decimal) -> Decimal:
    """The rate of the opposite pair (1 / 0.9213 for EUR to USD), to 10 decimals: how the
    table's rate is read backwards, by the approval rules and by a quote that keeps it."""
    return (Decimal(1) / rate).quantize(Decimal("0.0000000001"))


@dataclass(frozen=True)
class RateTable:
    """The organisation's exchange-rate table, as the approval rules read it: the seller's
    currency (costs are in it) and the rates by (base, quote) pair."""

    seller_currency: str
    rates: Mapping[tuple[str, str], TableRate] = field(default_factory=dict)

    def rate(self, base: str, quote: str) -> TableRate | None:
        """The rate from ``base`` to ``quote``; the inverse of the opposite pair when only
        that one is given (as ``services.currencies.exchange_rate_for``)."""
        if base == quote:
            return TableRate(Decimal(1), "", "")
        found = self.rates.get((base, quote))
        if found is not None:
            return found
        inverse = self.rates.get((quote, base))
        if inverse is None or inverse.rate <= 0:
            return None
        return TableRate(inverse_rate(inverse.rate), inverse.as_of, inverse.source)


@dataclass(frozen=True)
class RateCheck:
    """What ``check_rate`` found: the document whose margins the floor is checked on (the
    quote itself, or a copy at another rate), and the reason for the deal desk, if any."""

    judged: QuoteDocument
    reason: tuple[str, Reason] | None = None


def _rate(value: Decimal) -> str:
    """A rate as written (0.9213, 152.37), without trailing zeros."""
    return format(value.normalize(), "f")


def check_rate(document: QuoteDocument, table: RateTable) -> RateCheck:
    """The quote's exchange rate against the organisation's table (the module's docstring):
    the document the margin floor is judged on and the reason the deal desk must approve,
    if any. One function for every place that decides who approves: the app's banner,
    ``approval request``, the desk's import and decision, the final PDF."""
    from quote_builder.pricing.document import ExchangeRate

    desk = f"{ROLE_NAMES['deal_desk']} must approve."
    currency = document.currency
    fx = document.exchange_rate
    base = fx.seller_currency if fx is not None else table.seller_currency
    if fx is None and currency == base:
        return RateCheck(document)
    found = table.rate(base, currency)
    if found is None and fx is None:
        return RateCheck(
            document,
            (
                f"This quote keeps no exchange rate and the exchange-rate table has no rate "
                f"from {base} to {currency}: its costs in {base} are read as {currency}, so "
                f"its margin cannot be checked: {desk}",
                Reason("RATE_NOT_IN_TABLE", (("base", base), ("currency", currency))),
            ),
        )
    if found is None:
        assert fx is not None
        return RateCheck(
            document,
            (
                f"The exchange-rate table has no rate from {base} to {currency}, so the rate "
                f"this quote's margin is measured at ({_rate(fx.rate)} {currency} per {base}) "
                f"cannot be checked: {desk}",
                Reason(
                    "RATE_NOT_IN_TABLE",
                    (("base", base), ("currency", currency), ("quoted", fx.rate)),
                ),
            ),
        )
    if fx is None:
        judged = document.model_copy(
            update={
                "exchange_rate": ExchangeRate.model_validate(
                    {
                        "seller_currency": base,
                        "rate": found.rate,
                        "as_of": found.as_of,
                        "source": found.source,
                    }
                )
            }
        )
        return RateCheck(
            judged,
            (
                f"This quote keeps no exchange rate, so its costs in {base} were read as "
                f"{currency}; its margins are judged at the table's rate, {_rate(found.rate)} "
                f"{currency} per {base}: {desk}",
                Reason(
                    "RATE_MISSING",
                    (("base", base), ("currency", currency), ("table", found.rate)),
                ),
            ),
        )
    deviation = abs(fx.rate - found.rate) * 100 / found.rate
    if deviation <= RATE_TOLERANCE_PERCENT or fx.rate > found.rate:
        # A higher rate than the table's makes the costs look larger and the margins
        # smaller: judged at the quote's own rate, nothing is hidden from anyone.
        return RateCheck(document)
    used = found.rate
    judged = document.model_copy(update={"exchange_rate": fx.model_copy(update={"rate": used})})
    shown = deviation.quantize(Decimal("0.1"))
    return RateCheck(
        judged,
        (
            f"The exchange rate in this quote, {_rate(fx.rate)} {currency} per {base}, is "
            f"{_rate(shown)}% away from the table's {_rate(found.rate)} {currency} per {base}, "
            f"more than the {_pct(RATE_TOLERANCE_PERCENT)}% allowed; its margins are judged at "
            f"{_rate(used)} {currency} per {base}: {desk}",
            Reason(
                "RATE_OFF_TABLE",
                (
                    ("base", base),
                    ("currency", currency),
                    ("quoted", fx.rate),
                    ("table", found.rate),
                    ("deviation", shown),
                    ("tolerance", RATE_TOLERANCE_PERCENT),
                    ("used", used),
                ),
            ),
        ),
    )


def _evaluate_options(
    document: QuoteDocument, policy: ApprovalPolicy, rates: RateTable | None
) -> Evaluation:
    from quote_builder.pricing import price
    from quote_builder.pricing.options import offered_documents

    reasons: list[str] = []
    details: list[Reason] = []
    role: str | None = None
    for option, offered in offered_documents(document):
        judged = evaluate(offered, price(offered), policy, rates)
        name = option.name if option is not None else "The quote"
        reasons += [f"Option {name}: {reason}" for reason in judged.reasons]
        details += [replace(detail, option=name) for detail in judged.details]
        if judged.required_role is not None:
            role = _higher(role, judged.required_role)
    return Evaluation(bool(reasons), role, reasons, details)


def _higher(a: str | None, b: str) -> str:
    if a is None:
        return b
    return a if ROLES.index(a) >= ROLES.index(b) else b


def _discount_role(discount: Decimal, authority: Mapping[str, Decimal]) -> tuple[str, str] | None:
    """(role that must approve, the lower role whose authority is exceeded), or None when
    the rep may give this discount."""
    rep = Decimal(authority.get("rep", Decimal(0)))
    if discount <= rep:
        return None
    exceeded = "rep"
    for role in ROLES[1:]:
        limit = authority.get(role)
        if limit is not None and discount <= Decimal(limit):
            return role, exceeded
        if limit is not None:
            exceeded = role
    return "deal_desk", exceeded


def _outcome_components_without_minimum(document: QuoteDocument) -> list[str]:
    minimums = [c for c in document.components if isinstance(c, MinimumCommitment)]
    names = []
    for component in document.components:
        if not isinstance(component, PerOutcome | PercentOfValue):
            continue
        if isinstance(component, PercentOfValue) and component.floor:
            continue  # the monthly floor is its minimum
        covered = any(m.applies_to is None or component.id in m.applies_to for m in minimums)
        if not covered:
            names.append(component.name)
    return names


def evaluate(
    document: QuoteDocument,
    priced: PricedQuote,
    policy: ApprovalPolicy,
    rates: RateTable | None = None,
) -> Evaluation:
    """Whether this quote needs approval, by whom, and every reason in a sentence. A quote
    with options needs what any of its options needs: each option is judged on its own
    (``priced`` is then not used) and its reasons are named after it. ``rates``: the
    organisation's exchange-rate table the quote's rate is checked against (``check_rate``);
    every caller that decides who approves passes it (``services.approvals.rate_table``);
    None only for a quote judged on its own (the pure tests, a quote file priced alone)."""
    if document.options:
        return _evaluate_options(document, policy, rates)
    reasons: list[str] = []
    details: list[Reason] = []
    role: str | None = None
    desk = f"{ROLE_NAMES['deal_desk']} must approve."

    def because(sentence: str, code: str, **params: ReasonValue) -> None:
        reasons.append(sentence)
        details.append(Reason(code, tuple(params.items())))

    discount = priced.effective_discount_percent
    found = _discount_role(discount, policy.discount_authority)
    if found is not None:
        needed_role, exceeded = found
        limit = Decimal(policy.discount_authority.get(exceeded, Decimal(0)))
        sentence = (
            f"The effective discount is {discount}%, above {_POSSESSIVE[exceeded]} "
            f"{_pct(limit)}% authority: {ROLE_NAMES[needed_role]} must approve."
        )
        if exceeded == "deal_desk":
            sentence = (
                f"The effective discount is {discount}%, above every role's authority "
                f"(the deal desk's is {_pct(limit)}%): the deal desk must approve an exception."
            )
        because(
            sentence[0].upper() + sentence[1:],
            "DISCOUNT_ABOVE_AUTHORITY",
            discount=discount,
            limit=limit,
            exceeded=exceeded,
            role=needed_role,
        )
        role = _higher(role, needed_role)

    # The margins are judged at a rate the organisation's table backs (``check_rate``): a
    # rate written into the quote cannot hide a margin below the floor.
    judged = priced
    if rates is not None:
        checked = check_rate(document, rates)
        if checked.reason is not None:
            because(checked.reason[0], checked.reason[1].code, **checked.reason[1].values())
            role = _higher(role, "deal_desk")
        if checked.judged is not document:
            from quote_builder.pricing import price

            judged = price(checked.judged)

    # One floor: the one the quote was priced with, as its warnings, the app's summary and
    # the PDF use. A quote priced with a floor below the policy's needs the deal desk too,
    # so that lowering the quote's floor cannot bypass the policy.
    floor = document.economics.margin_floor_percent
    for year in judged.years:
        margin = year.gross_margin_percent
        if margin is not None and margin < floor:
            because(
                f"The gross margin in contract year {year.year} is {margin}%, below the "
                f"{_pct(floor)}% floor: {desk}",
                "MARGIN_BELOW_FLOOR",
                year=year.year,
                margin=margin,
                floor=floor,
            )
            role = _higher(role, "deal_desk")
    if floor < policy.margin_floor_percent:
        because(
            f"This quote was priced with a {_pct(floor)}% margin floor, below the policy's "
            f"{_pct(policy.margin_floor_percent)}%: {desk}",
            "QUOTE_FLOOR_BELOW_POLICY",
            floor=floor,
            policy_floor=policy.margin_floor_percent,
        )
        role = _higher(role, "deal_desk")

    if document.term_months > policy.max_term_months:
        because(
            f"The term is {document.term_months} months, longer than the "
            f"{policy.max_term_months} months allowed without approval: {desk}",
            "TERM_TOO_LONG",
            months=document.term_months,
            max_months=policy.max_term_months,
        )
        role = _higher(role, "deal_desk")

    if document.term_months > 12 and document.escalator_percent < policy.min_escalator_percent:
        because(
            f"The escalator is {_pct(document.escalator_percent)}% a year on a "
            f"{document.term_months}-month contract, below the "
            f"{_pct(policy.min_escalator_percent)}% minimum for multi-year contracts: {desk}",
            "ESCALATOR_BELOW_MINIMUM",
            escalator=document.escalator_percent,
            months=document.term_months,
            minimum=policy.min_escalator_percent,
        )
        role = _higher(role, "deal_desk")

    days = document.contract.payment_terms_days
    if days > policy.max_payment_terms_days:
        because(
            f"The payment terms are {days} days, longer than the standard "
            f"{policy.max_payment_terms_days} days: {desk}",
            "PAYMENT_TERMS_TOO_LONG",
            days=days,
            max_days=policy.max_payment_terms_days,
        )
        role = _higher(role, "deal_desk")

    if policy.custom_attribution_needs_approval:
        for component in document.components:
            if isinstance(component, PercentOfValue) and component.attribution.method == "custom":
                because(
                    f"{component.name} uses a custom attribution method instead of a "
                    f"standard one: {desk}",
                    "CUSTOM_ATTRIBUTION",
                    component=component.name,
                )
                role = _higher(role, "deal_desk")

    if policy.outcome_without_minimum_needs_approval:
        for name in _outcome_components_without_minimum(document):
            because(
                f"{name} is priced by outcome without a minimum commitment: {desk}",
                "OUTCOME_WITHOUT_MINIMUM",
                component=name,
            )
            role = _higher(role, "deal_desk")

    return Evaluation(
        bool(reasons), role, reasons, details, judged if judged is not priced else None
    )
