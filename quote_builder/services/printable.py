"""What of a quote the PDF cannot print, found without the document code.

The desktop app checks every field the PDF prints as it is typed, and lists what the fonts
cannot draw with the editor's warnings. That check runs in the window's process, which never
loads WeasyPrint, Jinja2 or the documents' templates (``tests/ui/test_startup.py``): so the
rule lives here, on ``documents.fonts`` alone (the shipped fonts' coverage), and
``services.documents`` uses it for the render's own refusal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from quote_builder.errors import Sentence

if TYPE_CHECKING:
    from quote_builder.pricing import QuoteDocument
    from quote_builder.store.database import Database


def _customer_record(db: Database | None, document: QuoteDocument) -> dict[str, str] | None:
    """The quote's customer in the database (by id, else by name) as the documents need it:
    its fields and its first contact's name and title; None without one."""
    if db is None:
        return None
    from quote_builder.store import repositories as repo

    with db.read() as session:
        customer = None
        if document.customer.id and document.customer.id.isdigit():
            customer = repo.get_customer(session, customer_id=int(document.customer.id))
        customer = customer or repo.customer_by_name(session, name=document.customer.name)
        if customer is None:
            return None
        contacts = repo.list_contacts(session, customer_id=customer.id or 0)
        signatory = contacts[0] if contacts else None
        return {
            "id": str(customer.id or ""),
            "name": customer.name,
            "legal_name": customer.legal_name,
            "email": customer.billing_email,
            "country": customer.country,
            "billing_address": customer.billing_address,
            "language": customer.language,
            "region": customer.region,
            "tax_id": customer.tax_id,
            "signatory": signatory.name if signatory else "",
            "signatory_title": signatory.title if signatory else "",
        }


def unprintable(path: str, text: str) -> Sentence | None:
    """The documents' one rule for text a PDF prints (``documents.fonts``): None when the
    shipped fonts draw all of ``text``, else the sentence the render would refuse with
    ("the customer's name ('Robo 🤖') has a character the PDF fonts cannot draw: 🤖
    (U+1F916 ROBOT FACE). Write it without that character; ..."). ``path`` names the field
    as the customer view does (``customer.name``, ``title``). The app's fields check what is
    typed with it, so a name the PDF cannot print is refused where it is written."""
    from quote_builder.documents.fonts import undrawable_sentence

    found = undrawable_sentence(path, text)
    if found is None:
        return None
    return Sentence(
        str(found),
        "render.undrawable",
        field=found.params["field"],
        value=found.params["value"],
        character=found.params["character"],
    )


def print_problems(db: Database | None, document: QuoteDocument) -> list[Sentence]:
    """Why the documents of ``document`` cannot be made, field by field, before a render
    is tried: its title and component names, and its customer as the order form names it
    (the Customers page's record in ``db``: name, legal name, billing address, the contact
    who signs). Empty when everything prints. The editor lists these with its warnings and
    in its banner, Export PDF says them, and Request approval refuses while there are any."""
    record = _customer_record(db, document) or {"name": document.customer.name}
    fields: list[tuple[str, str]] = [
        ("customer.name", record.get("name", "")),
        ("customer.legal_name", record.get("legal_name", "")),
        ("customer.billing_address", record.get("billing_address", "")),
        ("customer.signatory", record.get("signatory", "")),
        ("title", document.title),
    ]
    fields += [(f"components[{i}].name", c.name) for i, c in enumerate(document.components)]
    found = []
    for path, text in fields:
        problem = unprintable(path, text or "")
        if problem is not None:
            found.append(problem)
    return found
