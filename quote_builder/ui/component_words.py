"""The component forms' words in the interface's language.

The forms are generated from the pricing models (``component_editor``): a field's label is
its name in words (``services.words.field_label``), its tooltip the model's docstring or the
form's own help text, a kind's tooltip the class docstring. Those English texts are written
out here, marked for translation, so the catalog holds them;
``tests/ui/test_translations.py`` checks that every label and help text a form can show is
here (or in ``component_editor._HELP``), so a new field or docstring without a translation
fails the test instead of showing English in a German form.
"""

from __future__ import annotations

from .i18n import N_, _

FIELD_LABELS: dict[str, str] = {
    "allocation_per_seat": N_("Allocation per seat"),
    "allocation_pool": N_("Allocation (pool)"),
    "amount": N_("Amount"),
    "applies_to": N_("Applies to"),
    "attribution": N_("Attribution terms"),
    "audit_rights": N_("Audit rights"),
    "baseline": N_("Baseline"),
    "burn": N_("Credits per action"),
    "cap": N_("Cap"),
    "count_metric": N_("Count metric"),
    "credits": N_("Credits"),
    "definition": N_("Definition"),
    "description": N_("Description"),
    "dispute_process": N_("Dispute process"),
    "dispute_window_days": N_("Dispute window (days)"),
    "features": N_("Features"),
    "fixed_fee": N_("Fixed fee per transaction"),
    "flat_fee": N_("Flat fee"),
    "floor": N_("Floor"),
    "free_units": N_("Free units"),
    "from_": N_("From"),
    "id": N_("Id"),
    "included": N_("Included"),
    "included_per_seat": N_("Included per seat"),
    "includes_ai": N_("Includes AI"),
    "interval": N_("Interval"),
    "lookback_days": N_("Lookback (days)"),
    "maximum_fee": N_("Maximum per transaction"),
    "method": N_("Method"),
    "metric": N_("Metric"),
    "minimum_fee": N_("Minimum per transaction"),
    "month": N_("Month"),
    "name": N_("Name"),
    "overage_price_per_credit": N_("Overage price per credit"),
    "overage_unit_price": N_("Overage unit price"),
    "pack": N_("Credit pack"),
    "package_price": N_("Package price"),
    "package_size": N_("Package size"),
    "percent": N_("Percent (%)"),
    "period": N_("Period"),
    "price": N_("Price"),
    "price_per_outcome": N_("Price per outcome"),
    "price_per_seat": N_("Price per seat"),
    "rollover_months": N_("Rollover (months)"),
    "seats": N_("Seats"),
    "seats_component": N_("Seats component"),
    "success_criteria": N_("Success criteria"),
    "terms": N_("Outcome terms"),
    "tier": N_("Tier"),
    "tiers": N_("Tiers"),
    "unit_price": N_("Unit price"),
    "up_to": N_("Up to"),
    "verification_evidence": N_("Verification evidence"),
}
DOCSTRINGS: tuple[str, ...] = (
    N_(
        "A recurring fee such as a platform fee: per month, or per year billed in the first\nmonth of each contract year (prorated by months in a short last year: a 12,000 fee in a\n2-month last year is 12,000 x 2 / 12 = 2,000)."
    ),
    N_("A fee charged once, in the given month of the contract (onboarding, setup)."),
    N_("Every unit of the metric at one price."),
    N_("Each tier prices the units inside it (like income-tax brackets)."),
    N_("All units at the price of the tier the total quantity falls into."),
    N_(
        "Blocks of ``package_size`` units at ``package_price``, a started block counting in\nfull, after ``free_units``."
    ),
    N_(
        "An included allowance per month (fixed, plus optionally per seat of a seats\ncomponent); units above it are charged at the overage price."
    ),
    N_(
        "Seats of one tier (Individual, Team, Enterprise ...) at a price per seat, per month\nor per year (billed in the first month of each contract year, prorated by months in a\nshort last year); the tier lists the features it includes, e.g. whether AI is in it."
    ),
    N_(
        "AI credits: a monthly allocation (per seat and/or a pool), burned by actions at a\nrate per action type. Credits used beyond what is available are bought at the overage\nprice per credit, or in packs (a started pack counts in full).\n\nEach month uses the month's allocation first, then allocation credits rolled over from\nearlier months, then credits bought in packs earlier. Unused allocation credits expire at\nmonth end (``rollover_months`` 0) or roll over, up to ``rollover_months`` x the\nallocation. Credits bought in packs never expire during the term."
    ),
    N_("A price per successful outcome (a resolved ticket, a reviewed contract)."),
    N_(
        "A share of the value attributed to the AI each month (e.g. 0.5 percent of incremental\nrevenue): ``percent x max(0, attributed value - baseline)``, raised to the floor and\nlimited to the cap per month. The metric's quantity is the attributed value in the\nquote's currency. Not escalated: the share is the price."
    ),
    N_(
        "A percent of each transaction's value plus a fixed fee per transaction, each\ntransaction's fee raised to a minimum and limited to a maximum (payments, fraud\nscreening, checkout AI: \"1.5 % + 0.10, at least 0.50, at most 5 per transaction\").\n\n``metric`` is the transactions' value in the quote's currency, ``count_metric`` their\nnumber. From a forecast (totals only) every transaction is taken at the average value,\nvalue / count: exact when transactions are alike, an estimate otherwise (a mix of small\nand large payments clamps differently). From a usage log the fee of each transaction is\ncomputed and summed as the log is read (``exact_fees_key``): exact. Not escalated: the\npercent and the per-transaction amounts are the price, as for a share of value."
    ),
    N_(
        "A minimum spend per month or per contract year. When the components it applies to\n(by default every usage-based one) bill less, after their discounts, a true-up line\nbills the difference at the end of the window. A short last contract year has its\nyearly commitment prorated by months. Not escalated and not discounted: it is a\ncontract amount."
    ),
    N_("What counts as one outcome."),
    N_("The records that prove an outcome (logs, tickets closed without escalation ...)."),
)
"""The docstrings the forms show as tooltips (component kinds, and fields whose model
documents them), exactly as written in ``quote_builder.pricing``."""


def field_label(name: str) -> str:
    """The form's label of a field (``price_per_seat`` -> "Price per seat")."""
    english = FIELD_LABELS.get(name)
    if english is not None:
        return _(english)
    from quote_builder.services.words import field_label as english_label

    return english_label(name)


__all__ = ["DOCSTRINGS", "FIELD_LABELS", "field_label"]
