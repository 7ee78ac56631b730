"""Tax beside the price: which tax a quote carries, and the tax of each invoice.

Tax is never part of the price. ``price(document)`` knows nothing of it: revenue, margin,
guardrails, approvals and ``price --json``'s revenue figures are before tax. The documents
add it on top, per invoice (``tax_breakdown``): subtotal, tax, total including tax.

- **The rate table** (``tax_rates.json`` beside this module, read by ``rate_table``) holds
  the standard rates by country (and Canadian province) with the date they were checked and
  their source. US sales tax has no rate there on purpose: the rep enters it per quote and
  confirms it.
- **Which tax** (``determine_tax``): the rules of docs/tax-and-currencies.md, from the
  seller's and the customer's country, the customer's region and both tax IDs. The result,
  a ``QuoteTax``, is kept in the quote (rate, table date and source included), so a quote
  rendered again next year shows the tax it was sent with.
- **Rounding**: each invoice's tax is its total (after discounts) x the rate, rounded half
  up to the currency's minor unit once; a year's and the contract's tax are sums of the
  invoices' taxes. That is what each invoice will show, so the schedule and the invoices
  agree to the cent.
- **Tax IDs** (``tax_id_problem``): the format of an EU VAT ID by its country prefix (and
  the UK's, Australia's ABN, India's GSTIN, Japan's registration number, Canada's business
  number, New Zealand's GST number); no network service is asked.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any, Final, Literal

from quote_builder.errors import Sentence
from quote_builder.i18n import _

from .document import QuoteTax, TaxKind
from .money import HUNDRED, round_half_up
from .results import PricedQuote

RATES_FILE: Final = "tax_rates.json"


class TaxSetupError(ValueError):
    """What stops a tax from being decided: each problem is a sentence naming the field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class CountryRate:
    kind: TaxKind
    rate: Decimal | None
    """None: no rate in the table (the rep enters it)."""
    since: dt.date | None = None
    regions: tuple[tuple[str, CountryRate], ...] = ()

    def region(self, code: str) -> CountryRate | None:
        for name, rate in self.regions:
            if name == code:
                return rate
        return None


@dataclass(frozen=True, slots=True)
class RateTable:
    as_of: dt.date
    source: str
    eu_member_states: frozenset[str]
    countries: dict[str, CountryRate]


def _country_rate(data: dict[str, Any]) -> CountryRate:
    regions = tuple(
        (code, _country_rate(value)) for code, value in sorted(data.get("regions", {}).items())
    )
    rate = data.get("rate")
    since = data.get("since")
    return CountryRate(
        kind=data["kind"],
        rate=Decimal(rate) if rate is not None else None,
        since=dt.date.fromisoformat(since) if since else None,
        regions=regions,
    )


def table_from_data(data: dict[str, Any]) -> RateTable:
    """A rate table from its JSON data (the shipped file, or a test's)."""
    return RateTable(
        as_of=dt.date.fromisoformat(data["as_of"]),
        source=data["source"],
        eu_member_states=frozenset(data["eu_member_states"]),
        countries={code: _country_rate(value) for code, value in data["countries"].items()},
    )


@lru_cache(maxsize=1)
def rate_table() -> RateTable:
    """The shipped rate table."""
    text = resources.files(__package__).joinpath(RATES_FILE).read_text(encoding="utf-8")
    return table_from_data(json.loads(text))


# --- tax IDs --------------------------------------------------------------------------------

_VAT_PREFIX = {"GR": "EL"}
"""Greece writes its VAT IDs with EL, not its ISO code GR."""

_FORMATS: dict[str, tuple[str, str, str]] = {
    # country: (pattern of the ID without spaces, dots or dashes; how it is written; example)
    "AT": (r"ATU\d{8}", "ATU followed by 8 digits", "ATU12345678"),
    "BE": (r"BE[01]\d{9}", "BE followed by 10 digits starting with 0 or 1", "BE0123456789"),
    "BG": (r"BG\d{9,10}", "BG followed by 9 or 10 digits", "BG123456789"),
    "CY": (r"CY\d{8}[A-Z]", "CY followed by 8 digits and a letter", "CY12345678X"),
    "CZ": (r"CZ\d{8,10}", "CZ followed by 8 to 10 digits", "CZ12345678"),
    "DE": (r"DE\d{9}", "DE followed by 9 digits", "DE123456789"),
    "DK": (r"DK\d{8}", "DK followed by 8 digits", "DK12345678"),
    "EE": (r"EE\d{9}", "EE followed by 9 digits", "EE123456789"),
    "ES": (r"ES[A-Z0-9]\d{7}[A-Z0-9]", "ES followed by 9 characters", "ESX1234567X"),
    "FI": (r"FI\d{8}", "FI followed by 8 digits", "FI12345678"),
    "FR": (
        r"FR[A-HJ-NP-Z0-9]{2}\d{9}",
        "FR followed by 2 characters and 9 digits",
        "FR12345678901",
    ),
    "GR": (r"EL\d{9}", "EL followed by 9 digits", "EL123456789"),
    "HR": (r"HR\d{11}", "HR followed by 11 digits", "HR12345678901"),
    "HU": (r"HU\d{8}", "HU followed by 8 digits", "HU12345678"),
    "IE": (
        r"IE(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])",
        "IE followed by 8 or 9 characters",
        "IE1234567T",
    ),
    "IT": (r"IT\d{11}", "IT followed by 11 digits", "IT12345678901"),
    "LT": (r"LT(\d{9}|\d{12})", "LT followed by 9 or 12 digits", "LT123456789"),
    "LU": (r"LU\d{8}", "LU followed by 8 digits", "LU12345678"),
    "LV": (r"LV\d{11}", "LV followed by 11 digits", "LV12345678901"),
    "MT": (r"MT\d{8}", "MT followed by 8 digits", "MT12345678"),
    "NL": (r"NL\d{9}B\d{2}", "NL followed by 9 digits, B and 2 digits", "NL123456789B01"),
    "PL": (r"PL\d{10}", "PL followed by 10 digits", "PL1234567890"),
    "PT": (r"PT\d{9}", "PT followed by 9 digits", "PT123456789"),
    "RO": (r"RO\d{2,10}", "RO followed by 2 to 10 digits", "RO1234567890"),
    "SE": (r"SE\d{10}01", "SE followed by 12 digits ending in 01", "SE123456789001"),
    "SI": (r"SI\d{8}", "SI followed by 8 digits", "SI12345678"),
    "SK": (r"SK\d{10}", "SK followed by 10 digits", "SK1234567890"),
    "GB": (
        r"GB(\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})",
        "GB followed by 9 or 12 digits",
        "GB123456789",
    ),
    "AU": (r"\d{11}", "an ABN of 11 digits", "51824753556"),
    "NZ": (r"\d{8,9}", "a GST number of 8 or 9 digits", "123456789"),
    "CA": (
        r"\d{9}(RT\d{4})?",
        "a business number of 9 digits (RT0001 may follow)",
        "123456789RT0001",
    ),
    "IN": (
        r"\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]",
        "a GSTIN of 15 characters",
        "27AAPFU0939F1ZV",
    ),
    "JP": (r"T\d{13}", "T followed by 13 digits", "T1234567890123"),
    "SG": (
        r"(M\d{8}[A-Z]|\d{9}[A-Z]|[A-Z]\d{8}[A-Z]|\d{8}[A-Z])",
        "a GST registration number",
        "M91234567X",
    ),
}
_SEPARATORS = re.compile(r"[\s.\-/]")


def normalized_tax_id(tax_id: str) -> str:
    """The ID as it is compared and printed: upper case, without spaces, dots or dashes."""
    return _SEPARATORS.sub("", tax_id).upper()


def tax_id_problem(
    country: str, tax_id: str, *, field: str, country_name: str = ""
) -> Sentence | None:
    """Why ``tax_id`` is not a tax ID of ``country`` (ISO code), as a sentence naming
    ``field`` as the form labels it; None when it has the right form (or the country has no
    known form, or the ID is empty). The form only: no network service is asked whether
    the ID is registered."""
    if not tax_id.strip() or country not in _FORMATS:
        return None
    pattern, written, example = _FORMATS[country]
    value = normalized_tax_id(tax_id)
    if re.fullmatch(pattern, value):
        return None
    values = {
        "field": field,
        "value": tax_id.strip(),
        "country": country_name or country,
        "written": written,
        "example": example,
    }
    return Sentence(
        _(
            "%(field)s: %(value)s is not a tax ID of %(country)s: write %(written)s, "
            "for example %(example)s."
        )
        % values,
        "tax.id_form",
        **values,
    )


def vat_prefix(country: str) -> str:
    """The prefix of a VAT ID of ``country`` (EL for Greece)."""
    return _VAT_PREFIX.get(country, country)


# --- which tax ------------------------------------------------------------------------------


def determine_tax(
    *,
    seller_country: str,
    customer_country: str,
    customer_region: str = "",
    seller_tax_id: str = "",
    customer_tax_id: str = "",
    table: RateTable | None = None,
) -> QuoteTax:
    """The tax of a sale from ``seller_country`` to a customer in ``customer_country``
    (ISO codes), by the rules of docs/tax-and-currencies.md. Raises ``TaxSetupError`` when
    something it needs is missing (a country, a Canadian province) or a tax ID has the
    wrong form."""
    table = table or rate_table()
    seller_country = seller_country.strip().upper()
    customer_country = customer_country.strip().upper()
    region = customer_region.strip().upper()
    seller_id = normalized_tax_id(seller_tax_id)
    customer_id = normalized_tax_id(customer_tax_id)
    problems: list[str] = []
    if not seller_country:
        problems.append(
            Sentence(
                _(
                    "Seller country: set the seller's country in Settings, Seller profile, so that the quote's tax can be decided."
                ),
                "tax.no_seller_country",
            )
        )
    if not customer_country:
        problems.append(
            Sentence(
                _(
                    "Country: set the customer's country on the Customers page, so that the quote's tax can be decided."
                ),
                "tax.no_customer_country",
            )
        )
    for field, country, value in (
        (_("Seller tax ID"), seller_country, seller_tax_id),
        (_("Tax ID"), customer_country, customer_tax_id),
    ):
        problem = tax_id_problem(country, value, field=field)
        if problem:
            problems.append(problem)
    entry = table.countries.get(customer_country)
    if entry is not None and entry.regions:
        if not region:
            problems.append(
                Sentence(
                    _(
                        "Region: the customer's province or territory is needed in %(country)s, where the tax rate depends on it (e.g. ON for Ontario)."
                    )
                    % {"country": customer_country},
                    "tax.no_region",
                    country=customer_country,
                )
            )
        elif entry.region(region) is None:
            known = ", ".join(code for code, _rate in entry.regions)
            problems.append(
                Sentence(
                    _(
                        "Region: %(region)s is not a province or territory of %(country)s; write one of %(known)s."
                    )
                    % {"region": region, "country": customer_country, "known": known},
                    "tax.unknown_region",
                    field="Region",
                    region=region,
                    country=customer_country,
                    known=known,
                )
            )
    if problems:
        raise TaxSetupError(problems)
    if entry is not None and region and entry.regions:
        entry = entry.region(region) or entry
    common: dict[str, Any] = {
        "seller_country": seller_country,
        "customer_country": customer_country,
        "customer_region": region,
        "seller_tax_id": seller_id,
        "customer_tax_id": customer_id,
    }
    if entry is None or entry.rate is None:
        kind: TaxKind = entry.kind if entry is not None else "tax"
        return QuoteTax(kind=kind, rule="rep_entered", rate_source="rep", **common)
    from_table: dict[str, Any] = {
        "rate_source": "table",
        "table_as_of": table.as_of,
        "table_source": table.source,
    }
    eu = table.eu_member_states
    if seller_country == customer_country:
        return QuoteTax(
            kind=entry.kind, rule="domestic", rate_percent=entry.rate, **common, **from_table
        )
    if customer_id and customer_country in eu:
        return QuoteTax(kind="vat", rule="reverse_charge", **common, **from_table)
    if customer_id:
        return QuoteTax(kind=entry.kind, rule="customer_accounts", **common, **from_table)
    return QuoteTax(
        kind=entry.kind, rule="destination", rate_percent=entry.rate, **common, **from_table
    )


def with_rep_rate(tax: QuoteTax, rate_percent: Decimal, *, confirmed: bool) -> QuoteTax:
    """``tax`` with the rate the rep entered (and whether they confirmed it): the rate is
    the rep's from then on, whatever the table says."""
    if tax.rule in ("reverse_charge", "customer_accounts") and rate_percent:
        raise TaxSetupError(
            [
                Sentence(
                    _(
                        "Tax rate: no tax is charged under this quote's rule (the customer accounts for it); the rate stays 0."
                    ),
                    "tax.no_rate_here",
                )
            ]
        )
    kind = tax.kind
    if kind == "none" and rate_percent:
        kind = "tax"
    return QuoteTax.model_validate(
        {
            **dict(tax),
            "kind": kind,
            "rate_percent": rate_percent,
            "rate_source": "rep",
            "confirmed": confirmed,
            # The rate is the rep's now: the table's date and source no longer describe it.
            "table_as_of": None,
            "table_source": "",
        }
    )


# --- words ----------------------------------------------------------------------------------


def tax_name(kind: TaxKind, *, in_sentence: bool = False) -> str:
    """The tax's name as the documents print it: at the start of a sentence or a heading,
    or inside a sentence (``in_sentence``: "No sales tax is charged")."""
    if in_sentence:
        return {
            "vat": _("VAT"),
            "gst": _("GST"),
            "hst": _("HST"),
            "consumption_tax": _("consumption tax"),
            "sales_tax": _("sales tax"),
        }.get(kind) or _("tax")
    if kind == "vat":
        return _("VAT")
    if kind == "gst":
        return _("GST")
    if kind == "hst":
        return _("HST")
    if kind == "consumption_tax":
        return _("Consumption tax")
    if kind == "sales_tax":
        return _("Sales tax")
    return _("Tax")


def unconfirmed_rate_problem(kind: TaxKind) -> str:
    """A rate the rep entered and has not confirmed (US sales tax): refused as final."""
    return _(
        "%(tax)s: the rate on this quote is not confirmed. Enter the rate that applies to the customer (0 if the sale is not taxable) and confirm it in the quote editor (Terms, Tax) before sending the quote as final."
    ) % {"tax": tax_name(kind)}


def missing_seller_id_problem() -> str:
    """A reverse charge without the seller's VAT ID (both must be printed)."""
    return _(
        "Seller tax ID: the reverse-charge note must print both VAT IDs, and the seller's is not set: add it in Settings, Seller profile, then update the quote's tax."
    )


def tax_problems(tax: QuoteTax | None) -> list[str]:
    """What keeps an order form with this tax from going out as final (a draft lists them
    under "To settle before signature"); ``terms.terms_problems`` says the same of the
    customer's terms."""
    if tax is None:
        return []
    problems = []
    if tax.rate_source == "rep" and not tax.confirmed:
        problems.append(unconfirmed_rate_problem(tax.kind))
    if tax.rule == "reverse_charge" and not tax.seller_tax_id and tax.seller_country:
        problems.append(missing_seller_id_problem())
    return problems


# --- the customer changed since the tax was decided -------------------------------------

CustomerTaxField = Literal["country", "tax_id", "region"]


@dataclass(frozen=True, slots=True)
class CustomerTaxFacts:
    """What the customer's record says now of what decides the tax: its name (for the
    sentences), its country (ISO code; empty when not set or not a country), region and
    tax ID. A business customer is one with a tax ID: there is no other business flag."""

    name: str
    country: str
    region: str = ""
    tax_id: str = ""


@dataclass(frozen=True, slots=True)
class CustomerTaxChange:
    """One fact the quote's tax was decided on that the customer's record no longer says:
    ``decided`` what the tax was decided with, ``now`` what the record says ("" for none)."""

    field: CustomerTaxField
    decided: str
    now: str


def customer_tax_changes(
    tax: QuoteTax | None, customer: CustomerTaxFacts | None
) -> tuple[CustomerTaxChange, ...]:
    """What differs between the customer's record now and what ``tax`` was decided on:
    its country, its tax ID (added, changed, removed: whether it is a business with a VAT
    ID decides the EU reverse charge), its region. Empty when the tax still fits, when
    there is no tax line or no customer record to compare with. A country that is not set
    (or not a country) is not compared: deciding again would only ask for it. Such a
    quote's tax is stale, like one decided for another seller country: its documents list
    it under "To settle before signature" and a final one is refused."""
    if tax is None or customer is None:
        return ()
    changes = []
    country = customer.country.strip().upper()
    if country and country != tax.customer_country:
        changes.append(CustomerTaxChange("country", tax.customer_country, country))
    tax_id = normalized_tax_id(customer.tax_id)
    if tax_id != normalized_tax_id(tax.customer_tax_id):
        changes.append(CustomerTaxChange("tax_id", tax.customer_tax_id, tax_id))
    region = customer.region.strip().upper()
    if region != tax.customer_region:
        changes.append(CustomerTaxChange("region", tax.customer_region, region))
    return tuple(changes)


def customer_change_text(
    customer: str, change: CustomerTaxChange, country_name: Callable[[str], str] = str
) -> str:
    """One change in English ("Hooli AI GmbH now has a tax ID (DE123456789)");
    ``country_name`` names a country by its ISO code (the services pass babel's names)."""
    values = {"customer": customer, "decided": change.decided, "now": change.now}
    if change.field == "country":
        values["decided"] = country_name(change.decided)
        values["now"] = country_name(change.now)
        return "{customer} is now in {now} (the tax was decided for {decided})".format(**values)
    if change.field == "tax_id":
        if not change.decided:
            return "{customer} now has a tax ID ({now})".format(**values)
        if not change.now:
            return "{customer} no longer has a tax ID (the tax was decided with {decided})".format(
                **values
            )
        return (
            "{customer} has another tax ID now ({now}; the tax was decided with {decided})".format(
                **values
            )
        )
    if not change.decided:
        return "{customer} now has a region ({now})".format(**values)
    if not change.now:
        return "{customer} no longer has a region (the tax was decided for {decided})".format(
            **values
        )
    return "{customer} is now in region {now} (the tax was decided for {decided})".format(**values)


def customer_changed_problem(
    customer: str,
    changes: tuple[CustomerTaxChange, ...],
    *,
    number: str = "",
    country_name: Callable[[str], str] = str,
) -> Sentence:
    """The rep's sentence (English) for a quote whose tax was decided on other customer
    details than its record's now: what changed and how to decide the tax again (in the
    editor; with the quote's ``number``, on the command line too)."""
    what = "; ".join(customer_change_text(customer, c, country_name) for c in changes)
    how = "decide the tax again with 'Update from customer and Settings' on the Terms tab" + (
        f" (or: quote-builder quotes tax {number})" if number else ""
    )
    return Sentence(
        f"{what}: {how}",
        "tax.customer_changed",
        customer=customer,
        number=number,
        changes=[[c.field, c.decided, c.now] for c in changes],
    )


# --- the tax of each invoice ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InvoiceTax:
    period: int
    contract_year: int
    subtotal: Decimal
    """The invoice before tax: the period's total after discounts."""
    tax: Decimal
    total: Decimal
    """Subtotal + tax."""


@dataclass(frozen=True, slots=True)
class YearTax:
    year: int
    subtotal: Decimal
    tax: Decimal
    total: Decimal


@dataclass(frozen=True, slots=True)
class TaxBreakdown:
    rate_percent: Decimal
    invoices: tuple[InvoiceTax, ...]
    years: tuple[YearTax, ...]
    subtotal: Decimal
    """The total contract value, before tax."""
    tax: Decimal
    total: Decimal


def tax_breakdown(priced: PricedQuote, tax: QuoteTax) -> TaxBreakdown:
    """The tax of every invoice of ``priced`` at the quote's rate: each invoice's total x
    rate, rounded half up to the currency's minor unit once; the years and the contract sum
    the invoices. ``priced`` is not changed: its revenue stays before tax."""
    currency = priced.currency
    rate = tax.rate_percent
    zero = round_half_up(Decimal(0), currency)
    invoices = []
    for period in priced.periods:
        amount = round_half_up(period.total * rate / HUNDRED, currency)
        invoices.append(
            InvoiceTax(
                period.index, period.contract_year, period.total, amount, period.total + amount
            )
        )
    years = []
    for year in priced.years:
        own = [i for i in invoices if i.contract_year == year.year]
        subtotal = sum((i.subtotal for i in own), zero)
        year_tax = sum((i.tax for i in own), zero)
        years.append(YearTax(year.year, subtotal, year_tax, subtotal + year_tax))
    subtotal = sum((y.subtotal for y in years), zero)
    total_tax = sum((y.tax for y in years), zero)
    return TaxBreakdown(
        rate, tuple(invoices), tuple(years), subtotal, total_tax, subtotal + total_tax
    )


def tax_to_dict(tax: QuoteTax, breakdown: TaxBreakdown) -> dict[str, Any]:
    """The tax block of ``price --json``: apart from the revenue figures, which stay before
    tax."""

    def plain(value: Decimal) -> str:
        return format(value, "f")

    return {
        "kind": tax.kind,
        "rule": tax.rule,
        "rate_percent": plain(tax.rate_percent),
        "rate_source": tax.rate_source,
        "confirmed": tax.confirmed,
        "table_as_of": tax.table_as_of.isoformat() if tax.table_as_of else None,
        "seller_country": tax.seller_country,
        "customer_country": tax.customer_country,
        "customer_region": tax.customer_region,
        "subtotal": plain(breakdown.subtotal),
        "tax": plain(breakdown.tax),
        "total_including_tax": plain(breakdown.total),
        "years": [
            {
                "year": y.year,
                "subtotal": plain(y.subtotal),
                "tax": plain(y.tax),
                "total_including_tax": plain(y.total),
            }
            for y in breakdown.years
        ],
        "invoices": [
            {
                "period": i.period,
                "subtotal": plain(i.subtotal),
                "tax": plain(i.tax),
                "total_including_tax": plain(i.total),
            }
            for i in breakdown.invoices
        ],
    }


__all__ = [
    "CountryRate",
    "CustomerTaxChange",
    "CustomerTaxFacts",
    "InvoiceTax",
    "RateTable",
    "TaxBreakdown",
    "TaxSetupError",
    "YearTax",
    "customer_change_text",
    "customer_changed_problem",
    "customer_tax_changes",
    "determine_tax",
    "normalized_tax_id",
    "rate_table",
    "table_from_data",
    "tax_breakdown",
    "tax_id_problem",
    "tax_name",
    "tax_problems",
    "tax_to_dict",
    "vat_prefix",
    "with_rep_rate",
]
