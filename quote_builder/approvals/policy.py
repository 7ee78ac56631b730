"""The approval policy: which quotes need the deal desk, who must approve, and why.

Pure: ``evaluate(document, priced, policy)`` reads the quote document and the engine's
PricedQuote and returns every reason as one plain English sentence (what is stored, signed
and shown on the command line) and, beside it, as a :class:`Reason`: a stable code and the
sentence's values, from which the app writes it in the interface's language
(``ui/engine_words.py``). No I/O.

Who approves: a discount needs the lowest role whose authority covers it (a discount
within the rep's authority needs nobody); every other rule (margin below the quote's own
floor, a quote floor below the policy's, long term,
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


def _evaluate_options(document: QuoteDocument, policy: ApprovalPolicy) -> Evaluation:
    from quote_builder.pricing import price
    from quote_builder.pricing.options import offered_documents

    reasons: list[str] = []
    details: list[Reason] = []
    role: str | None = None
    for option, offered in offered_documents(document):
        judged = evaluate(offered, price(offered), policy)
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


def evaluate(document: QuoteDocument, priced: PricedQuote, policy: ApprovalPolicy) -> Evaluation:
    """Whether this quote needs approval, by whom, and every reason in a sentence. A quote
    with options needs what any of its options needs: each option is judged on its own
    (``priced`` is then not used) and its reasons are named after it."""
    if document.options:
        return _evaluate_options(document, policy)
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

    # One floor: the one the quote was priced with, as its warnings, the app's summary and
    # the PDF use. A quote priced with a floor below the policy's needs the deal desk too,
    # so that lowering the quote's floor cannot bypass the policy.
    floor = document.economics.margin_floor_percent
    for year in priced.years:
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

    return Evaluation(bool(reasons), role, reasons, details)
