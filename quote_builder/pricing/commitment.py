"""What a deal commits the customer to, whatever the usage: its price at zero usage.

A total that includes usage-based charges (per outcome, per unit, overage, extra credits, a
share of value) is an estimate at the forecast usage; only fixed fees, seats and minimums
are committed money. The committed figures are the engine's own: the document priced with
every forecast (and every ramp's usage) at zero, so a minimum commitment's true-up, a value
share's floor and a whole-deal discount count exactly as the invoices would.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .document import QuoteDocument, UsageForecast
from .engine import price
from .results import PricedQuote

_NONE = Decimal(0)


@dataclass(frozen=True, slots=True)
class Commitment:
    """The deal's totals at zero usage, beside the estimated ones (``PricedQuote``)."""

    total_contract_value: Decimal
    """What the customer pays over the term whatever the usage (12 x a $1,000 minimum)."""
    first_year_fees: Decimal
    """Year-1 recurring fees at zero usage (one-time fees left out, as ``first_year_acv``)."""
    average_monthly: Decimal
    """The average month of year 1 at zero usage."""


def commitment(doc: QuoteDocument, priced: PricedQuote) -> Commitment | None:
    """The totals at zero usage, or None when usage changes nothing in the total (no
    usage-based charge, or usage that stays within what is committed): then every total
    the documents print is committed money."""
    if not any(component.usage_based for component in doc.components):
        return None
    idle = doc.model_copy(
        update={
            "usage_forecast": {
                metric: UsageForecast(monthly=_NONE) for metric in doc.usage_forecast
            },
            "ramps": [ramp.model_copy(update={"usage": {}}) for ramp in doc.ramps],
        }
    )
    at_zero = price(idle)
    if at_zero.tcv == priced.tcv:
        return None
    return Commitment(
        total_contract_value=at_zero.tcv,
        first_year_fees=at_zero.first_year_acv,
        average_monthly=at_zero.average_monthly,
    )
