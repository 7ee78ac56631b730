"""Demo data: a catalog plan for each of the playbook's nine product categories (built on
the recommended model, priced inside the category's range) and a handful of customers
with contacts and quotes. Read from ``resources/demo/catalog.json``."""

from __future__ import annotations

import datetime as dt
import json
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from quote_builder.errors import Sentence
from quote_builder.paths import resources_dir
from quote_builder.pricing.quote_format import quote_from_data
from quote_builder.store import repositories as repo
from quote_builder.store.database import Database

from .core import Changes, Outcome, RefusedError
from .customers import add_contact, create_customer
from .plans import create_plan, list_plans
from .quotes import create_quote, set_status
from .settings import get_settings, update_settings
from .tax import quote_tax
from .usage import analyse_usage_log

DEMO_SELLER: dict[str, Any] = {
    "seller_name": "Acme AI",
    "seller_legal_name": "Acme AI Ltd",
    "seller_address": "1 Market Street, London EC1A 1AA, United Kingdom",
    "seller_email": "deals@acme-ai.example",
    # A seller in a country, with its VAT ID, so that every demo quote's tax is decided as
    # a real one's is (UK VAT for Northwind, the reverse charge for Fabrikam and Initech).
    "seller_country": "GB",
    "seller_tax_id": "GB123456789",
    "seller_signatory": "Priya Raman",
    "seller_signatory_title": "Chief Revenue Officer",
    # The law and courts fit the seller: a company in London contracts under English law
    # (the frame's shipped defaults, New York, are a US seller's). The phrases complete the
    # order form's sentences ("governed by ...", "goes to ..., which have exclusive
    # jurisdiction") in each language the documents are written in.
    "legal_frame": {
        "governing_law": "the laws of England and Wales",
        "venue": "the courts of England and Wales",
    },
    "legal_texts": {
        "de": {
            "governing_law": "dem Recht von England und Wales",
            "venue": "die Gerichte von England und Wales",
        },
        "fr": {
            "governing_law": "le droit de l'Angleterre et du pays de Galles",
            "venue": "les tribunaux d'Angleterre et du pays de Galles",
        },
        "es": {
            "governing_law": "las leyes de Inglaterra y Gales",
            "venue": "los tribunales de Inglaterra y Gales",
        },
        "ja": {
            "governing_law": "イングランドおよびウェールズ法",
            "venue": "イングランドおよびウェールズの裁判所",
        },
    },
}


@dataclass(frozen=True)
class DemoReport:
    plans: int
    customers: int
    quotes: int


def demo_catalog() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (resources_dir() / "demo" / "catalog.json").read_text("utf-8"), parse_float=Decimal
    )
    return data


def is_empty(db: Database) -> bool:
    with db.read() as session:
        return repo.count_customers(session, include_archived=True) == 0 and not repo.list_plans(
            session, include_retired=True
        )


def quote_data_from_plan(
    plan: dict[str, Any], customer: dict[str, Any], spec: dict[str, Any], start: dt.date
) -> dict[str, Any]:
    """A quote document (as data) from a catalog plan and a customer's profile."""
    data: dict[str, Any] = {
        "title": f"{plan['name']} for {customer['name']}",
        "customer": {"name": customer["name"]},
        "product_category": plan["product_category"],
        "pricing_model": plan["pricing_model"],
        "currency": customer.get("currency", "USD"),
        "start_date": start.isoformat(),
        "term_months": spec["term_months"],
        "billing_frequency": spec["billing_frequency"],
        "escalator_percent": spec.get("escalator_percent", "0"),
        "components": plan["components"],
        "discounts": spec.get("discounts", []),
        "usage_forecast": spec.get("forecast", {}),
        "economics": {
            "unit_costs": spec.get("unit_costs", {}),
            "fixed_cost_per_month": spec.get("fixed_cost", "150"),
            "levers": spec.get("levers", {}),
            "cost_decline_percent_per_year": spec.get("cost_decline", "20"),
        },
        "advisor": spec.get("advisor", {}),
    }
    metric = spec.get("value_metric")
    if metric and customer.get("minutes_saved_per_task") and customer.get("loaded_hourly_rate"):
        data["value"] = {
            "metric": metric,
            "minutes_saved_per_unit": customer["minutes_saved_per_task"],
            "loaded_hourly_rate": customer["loaded_hourly_rate"],
        }
    return data


def seed_demo(db: Database, *, actor: str, today: dt.date | None = None) -> Outcome[DemoReport]:
    """Fill an empty database with the demo catalog, customers and quotes: one transaction,
    all or nothing (a missing resource or any error half-way leaves the database empty, so
    the demo can simply run again)."""
    with db.write():  # every use case below joins this transaction
        return _seed_demo(db, actor=actor, today=today)


def _seed_demo(db: Database, *, actor: str, today: dt.date | None) -> Outcome[DemoReport]:
    if not is_empty(db):
        raise RefusedError(
            Sentence(
                "the database already has customers or plans; demo data goes into an empty database",
                "demo.not_empty",
            )
        )
    catalog = demo_catalog()
    today = today or dt.date.today()
    start = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    changes = Changes()
    settings = get_settings(db)
    changes |= update_settings(
        db, expected_version=settings.version_id, actor=actor, **DEMO_SELLER
    ).changes
    for plan in catalog["plans"]:
        changes |= create_plan(
            db,
            name=plan["name"],
            pricing_model=plan["pricing_model"],
            components=plan["components"],
            actor=actor,
            description=plan["description"],
            product_category=plan["product_category"],
        ).changes
    plans = {p["name"]: p for p in catalog["plans"]}
    quotes = 0
    for customer in catalog["customers"]:
        fields = {k: v for k, v in customer.items() if k not in ("contacts", "quote")}
        created = create_customer(db, fields, actor=actor)
        changes |= created.changes
        for contact in customer.get("contacts", []):
            changes |= add_contact(db, created.value.id, contact, actor=actor).changes
        spec = customer.get("quote")
        if spec:
            document = quote_from_data(
                quote_data_from_plan(plans[spec["plan"]], customer, spec, start)
            )
            tax = quote_tax(db, created.value.id)
            if tax.rule != "rep_entered":
                # US sales tax is the rep's to enter and confirm: the demo leaves it open.
                document = document.model_copy(update={"tax": tax})
            if spec.get("usage_log"):
                log = resources_dir() / "demo" / spec["usage_log"]
                evidence = analyse_usage_log(log, document, today=today).evidence
                document = document.model_copy(update={"usage_evidence": evidence})
            quote = create_quote(db, document, actor=actor, customer_id=created.value.id)
            changes |= quote.changes
            quotes += 1
            if spec.get("status") == "pending_approval":
                # A real request (reasons, requester), never a bare status.
                from .approvals import request_approval
                from .policy import PolicyTamperedError

                # Approvals stopped here (an organisation key pinned on this computer and
                # no policy of it installed yet) leave the quote a draft.
                with suppress(PolicyTamperedError):
                    changes |= request_approval(db, quote.value.number, actor=actor).changes
            elif spec.get("status", "draft") != "draft":
                changes |= set_status(
                    db,
                    quote.value.id,
                    spec["status"],
                    expected_version=quote.value.version_id,
                    actor=actor,
                ).changes
    report = DemoReport(len(list_plans(db)), len(catalog["customers"]), quotes)
    return Outcome(report, changes)
