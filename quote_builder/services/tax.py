"""The tax of a quote from the seller's and the customer's records.

Customers and the seller keep their country as its English name ("Germany"); the pricing
layer's rules (``pricing.tax``) work on ISO codes, so this module turns one into the other
with babel's territory names. Tax IDs and regions are checked here when a customer or the
seller profile is saved, with sentences naming the field as the form labels it.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from babel import Locale

from quote_builder.errors import Sentence
from quote_builder.i18n import _
from quote_builder.pricing.document import QuoteTax
from quote_builder.pricing.tax import (
    CustomerTaxChange,
    CustomerTaxFacts,
    TaxSetupError,
    customer_changed_problem,
    customer_tax_changes,
    determine_tax,
    normalized_tax_id,
    rate_table,
    tax_id_problem,
    with_rep_rate,
)
from quote_builder.store import repositories as repo
from quote_builder.store.database import Database

from .core import InvalidInputError, NotFoundError, not_found


@cache
def _codes() -> dict[str, str]:
    names = Locale("en").territories
    return {
        str(name).casefold(): code
        for code, name in names.items()
        if len(code) == 2 and code.isalpha()
    }


def country_code(country: str) -> str:
    """The ISO 3166-1 code of a country given by its English name (or its code); "" when
    it is empty or not a country babel knows."""
    text = country.strip()
    if not text:
        return ""
    if len(text) == 2 and text.isalpha() and text.upper() in _codes().values():
        return text.upper()
    return _codes().get(text.casefold(), "")


def country_name(code: str) -> str:
    return str(Locale("en").territories.get(code, code))


def tax_id_problems(country: str, tax_id: str | None, *, field: str) -> list[str]:
    """The form of ``tax_id`` against the country (an English name), as sentences."""
    if not tax_id or not tax_id.strip():
        return []
    code = country_code(country)
    if not code:
        return []
    problem = tax_id_problem(code, tax_id, field=field, country_name=country_name(code))
    return [problem] if problem else []


def region_problems(country: str, region: str | None, *, field: str = "Region") -> list[str]:
    """A region must be one the rate table knows where the rate depends on it (Canada's
    provinces); elsewhere up to three letters or digits (a US state: NY)."""
    if not region or not region.strip():
        return []
    value = region.strip().upper()
    code = country_code(country)
    entry = rate_table().countries.get(code)
    if entry is not None and entry.regions:
        if entry.region(value) is None:
            known = ", ".join(name for name, _rate in entry.regions)
            return [
                Sentence(
                    _(
                        "%(field)s: %(region)s is not a province or territory of %(country)s; write one of %(known)s."
                    )
                    % {
                        "field": field,
                        "region": value,
                        "country": country_name(code),
                        "known": known,
                    },
                    "tax.unknown_region",
                    field=field,
                    region=value,
                    country=country_name(code),
                    known=known,
                )
            ]
        return []
    if not value.isalnum() or len(value) > 3:
        return [
            Sentence(
                _(
                    "%(field)s: write the state or province as its code of up to three letters (e.g. NY or ON)."
                )
                % {"field": field},
                "tax.region_form",
                field=field,
            )
        ]
    return []


def customer_facts(db: Database, customer_id: int) -> CustomerTaxFacts:
    """What the customer's record says now of what decides a quote's tax (its country as
    an ISO code): the editor compares the quote's tax with it
    (``pricing.tax.customer_tax_changes``)."""
    with db.read() as session:
        customer = repo.get_customer(session, customer_id=customer_id)
        if customer is None:
            raise NotFoundError(not_found("customer", customer_id))
        return CustomerTaxFacts(
            customer.name, country_code(customer.country), customer.region, customer.tax_id
        )


def stale_tax_changes(db: Database, quote_id: int) -> tuple[CustomerTaxChange, ...]:
    """What the quote's customer's record says now that the latest version's tax was not
    decided on (empty: it fits, or there is no tax line)."""
    from .quotes import get_quote, open_version

    row = get_quote(db, quote_id)
    document = open_version(db, quote_id).document
    return customer_tax_changes(document.tax, customer_facts(db, row.customer_id))


def stale_tax_problem(db: Database, quote_id: int) -> Sentence | None:
    """The rep's sentence for a stale tax (``stale_tax_changes``), naming ``quotes tax
    NUMBER`` for the command line; None when the tax fits."""
    from .quotes import get_quote

    changes = stale_tax_changes(db, quote_id)
    if not changes:
        return None
    row = get_quote(db, quote_id)
    name = customer_facts(db, row.customer_id).name
    return customer_changed_problem(name, changes, number=row.number, country_name=country_name)


def normalized(tax_id: str | None) -> str | None:
    return None if tax_id is None else normalized_tax_id(tax_id)


def quote_tax(
    db: Database, customer_id: int, *, rate_percent: Decimal | None = None, confirmed: bool = False
) -> QuoteTax:
    """The tax a new quote for the customer carries, from the seller profile, the
    customer's record and the rate table; with ``rate_percent`` the rep's own rate (US
    sales tax), confirmed or not. Problems (a country missing, a Canadian province) are an
    ``InvalidInputError`` of sentences."""
    from .settings import get_settings

    settings = get_settings(db)
    with db.read() as session:
        customer = repo.get_customer(session, customer_id=customer_id)
        if customer is None:
            raise NotFoundError(not_found("customer", customer_id))
        country, region, tax_id = customer.country, customer.region, customer.tax_id
    return tax_for(
        seller_country=settings.seller_country,
        seller_tax_id=settings.seller_tax_id,
        customer_country=country,
        customer_region=region,
        customer_tax_id=tax_id,
        rate_percent=rate_percent,
        confirmed=confirmed,
    )


def tax_for(
    *,
    seller_country: str,
    seller_tax_id: str,
    customer_country: str,
    customer_region: str,
    customer_tax_id: str,
    rate_percent: Decimal | None = None,
    confirmed: bool = False,
) -> QuoteTax:
    """``quote_tax`` from the fields themselves (the guided flow's new customer)."""
    problems: list[str] = []
    seller_code = country_code(seller_country)
    customer_code = country_code(customer_country)
    if seller_country.strip() and not seller_code:
        problems.append(
            Sentence(
                _(
                    "Seller country: %(country)s is not a country; pick one from the list in Settings, Seller profile."
                )
                % {"country": seller_country},
                "tax.seller_country_unknown",
                country=seller_country,
            )
        )
    if customer_country.strip() and not customer_code:
        problems.append(
            Sentence(
                _(
                    "Country: %(country)s is not a country; pick one from the list on the Customers page."
                )
                % {"country": customer_country},
                "tax.customer_country_unknown",
                country=customer_country,
            )
        )
    if problems:
        raise InvalidInputError(problems)
    try:
        tax = determine_tax(
            seller_country=seller_code,
            customer_country=customer_code,
            customer_region=customer_region,
            seller_tax_id=seller_tax_id,
            customer_tax_id=customer_tax_id,
        )
        if rate_percent is not None or confirmed:
            tax = with_rep_rate(
                tax, tax.rate_percent if rate_percent is None else rate_percent, confirmed=confirmed
            )
    except TaxSetupError as exc:
        raise InvalidInputError(exc.problems) from None
    return tax


def tax_data(tax: QuoteTax) -> dict[str, Any]:
    """The tax as quote-format data (what the editor keeps in the quote)."""
    return tax.model_dump(mode="json", exclude_none=True)


__all__ = [
    "country_code",
    "country_name",
    "customer_facts",
    "quote_tax",
    "region_problems",
    "stale_tax_changes",
    "stale_tax_problem",
    "tax_data",
    "tax_for",
    "tax_id_problems",
]


def set_quote_tax(
    db: Database,
    quote_id: int,
    *,
    actor: str,
    rate_percent: Decimal | None = None,
    confirmed: bool = False,
    remove: bool = False,
) -> Any:
    """A new version of the quote with its tax decided again from the customer and Settings
    (the rep's own rate and confirmation when given), or without a tax line (``remove``).
    Returns the ``Outcome`` of ``quotes.save_quote``."""
    from .quotes import get_quote, open_version, save_quote

    row = get_quote(db, quote_id)
    document = open_version(db, quote_id).document
    if remove:
        updated = document.model_copy(update={"tax": None})
    else:
        tax = quote_tax(db, row.customer_id, rate_percent=rate_percent, confirmed=confirmed)
        updated = document.model_copy(update={"tax": tax})
    return save_quote(
        db, quote_id, updated, expected_version=row.version_id, actor=actor, action="quote_tax_set"
    )
