"""The words Quote Builder itself writes into a quote, printed in the document's language.

A quote holds two kinds of text. The rep's own words (a component renamed, an outcome
definition agreed with the customer, a customer's name) are printed as written whatever
the document's language (docs/translations.md). The words the app wrote there as a
starting point are the app's, and a document in German must not print them in English:

- the playbook's templates (``pricing/templates.py``): component names ("Resolved
  tickets", "Monthly minimum"), seat tiers and features, the outcome terms' audit rights;
- the demo catalog (``resources/demo/catalog.json``): its plans' component names, tiers,
  features and outcome terms, a demo quote's discount and its title ("Analytics Copilot
  for Fabrikam Analytics");
- the editor's: a new component named by its kind ("Recurring fee"), a duplicate's
  " (copy)", the deal discount's name ("Deal discount"), a discount's default name;
- a contract change's (``pricing/contracts.py``): ": renewal" after the title, "Order
  Q-2026-0001" for a contract without one, "Added service";
- metric ids ("tickets_resolved", the templates', the demo's and the editor's): a
  document names them in words ("gelöste Tickets"), counted where a number stands before
  them.

A document recognises each of these exactly as the app wrote it and prints its message
from the ``documents`` catalogs instead; a text the rep changed, even by a letter, is the
rep's and printed as typed (a metric id the app does not know reads as its words,
"tickets_handled" as "tickets handled"). They are recognised when the document is made, not
translated when the quote is written: a quote whose document language changes later prints
right, the quote and its ``terms.json`` (what an approval signs) stay as saved, and the
editor shows what the quote holds. ``tests/documents/test_own_words.py`` checks that every
default of the templates and the demo catalog is here and that none reaches a German or a
Japanese document in English.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from quote_builder.pricing.components import Component, PercentOfValue, PerOutcome, Seats
from quote_builder.pricing.terms import CustomerTerms

from .i18n import N_

if TYPE_CHECKING:
    from .formatting import Formatter
    from .viewmodel import CustomerView


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 (a gettext marker)
    """Marks a plural message for extraction (``scripts/translations``' ``Nn_:1,2``)
    without translating it: a table of plural messages, translated where it is used."""
    return singular, plural


TEXTS: tuple[str, ...] = (
    # --- component names: the playbook's templates (pricing/templates.py) ---
    # Translators: a component's name on the price table (the outcome a support AI is paid
    # for).
    N_("Resolved tickets"),
    N_("Documents processed"),
    N_("Contracts reviewed"),
    N_("Candidates screened"),
    # Translators: a component's name: a price for each successful outcome.
    N_("Per successful outcome"),
    # Translators: a component's name: the minimum the customer pays each month.
    N_("Monthly minimum"),
    N_("Platform fee"),
    N_("AI operations"),
    N_("Team seats"),
    N_("AI credits"),
    N_("Individual seats"),
    N_("Pro seats (AI)"),
    N_("Base fee"),
    N_("Share of attributed revenue"),
    # --- component names: the demo catalog (resources/demo/catalog.json) ---
    N_("Basic seats"),
    N_("Lead enrichments"),
    N_("Analyst queries"),
    N_("Editor seats"),
    N_("Generation credits"),
    # --- a component an expansion of fixed fees only adds (pricing/contracts.py) ---
    N_("Added service"),
    # --- seat tiers ---
    # Translators: a seat tier's name ("20 seats (Team)").
    N_("Team"),
    # Translators: a seat tier's name ("10 seats (Individual)").
    N_("Individual"),
    # Translators: a seat tier's name ("10 seats (Pro)"); the tier with the AI features.
    N_("Pro"),
    # Translators: a seat tier's name ("5 seats (Basic)").
    N_("Basic"),
    # --- what a seat tier includes ("Includes Core product and AI assistant.") ---
    N_("Core product"),
    N_("AI assistant"),
    N_("AI features"),
    N_("Editor plugin"),
    N_("Code search"),
    N_("AI completions"),
    N_("AI chat"),
    N_("Agent runs"),
    N_("Brand voice"),
    N_("AI drafts"),
    N_("AI images"),
    # --- outcome terms: the templates' and the demo's audit rights ---
    # Translators: an outcome's audit rights in the order form's outcome terms (a contract
    # clause: Japanese 〜ものとします).
    N_("The customer may audit the outcome records behind any invoice once per contract year."),
    # --- outcome terms of the demo catalog: definition, success criteria, evidence ---
    # Translators: the definition of one resolved ticket in the order form's outcome terms.
    N_("A support ticket closed by the AI agent without a human reply or escalation."),
    N_("The ticket is not reopened by the customer within 7 days."),
    N_("Helpdesk audit log export listing ticket id, closing agent and reopen events."),
    N_("A document whose fields were extracted and delivered to the customer's system."),
    N_("At least 98%% of required fields pass the customer's validation rules."),
    N_("Processing log with document hash, delivery receipt and validation result."),
    N_("A contract reviewed end to end with clause annotations delivered."),
    N_("Every clause of the customer's playbook is checked and flagged or cleared."),
    N_("Review report with contract hash, reviewer model version and timestamp."),
    N_("A candidate screened against the role's criteria and ranked."),
    N_("The screen covers every must-have criterion of the role."),
    N_("Screening record with candidate id, criteria scores and ranking."),
    # --- discount names: the editor's deal discount, the demo's ---
    # Translators: the name of a discount on the whole deal (the editor's default).
    N_("Deal discount"),
    # Translators: the name of a discount given for a contract of several years.
    N_("Multi-year commitment"),
)
"""Every text the app writes into a quote as a default (as a message: a literal percent
sign is ``%%``). The component kinds' names (``explain.KIND_LABELS``, a new component's
name in the editor) and the default discount name ("Discount") are recognised too."""

DEFAULT_DISCOUNT_NAME = "Discount"
"""A discount's name when the rep gave none (``pricing.document.Discount.description``'s
default, and the guided flow's)."""

UI_DISCOUNT_NAMES = ("Rabatt", "Remise")
"""The default discount name as the guided flow wrote it in a German or French window
before it wrote the language-free default (the ``ui`` catalogs' "Discount"): the app's word
too, printed in the document's language."""

DEMO_CATALOG = ("demo", "catalog.json")
"""Where the demo catalog is, under ``resources/`` (``paths.resources_dir``: the source
checkout's top-level folder, ``quote_builder/resources`` in the wheel and the standalone
build)."""


@cache
def demo_plan_names() -> tuple[str, ...]:
    """The demo catalog's plan names (product names, printed as they are), which begin a
    demo quote's title: "Analytics Copilot for Fabrikam Analytics" (``services/demo.py``).
    Read from the catalog itself, once, when a title is first looked at (not at import:
    a render worker that prints no demo quote never reads it). A catalog that cannot be
    read names no plan: every title then prints as written."""
    import json

    from quote_builder.paths import resources_dir

    try:
        data = json.loads(resources_dir().joinpath(*DEMO_CATALOG).read_text("utf-8"))
        plans = data["plans"]
        return tuple(str(plan["name"]) for plan in plans if str(plan.get("name", "")).strip())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return ()


METRIC_UNITS: dict[str, tuple[str, str]] = {
    # The templates' (pricing/templates.py, pricing/playbook.py's outcome metrics).
    # Translators: what a metric counts, after a number ("36,000 tickets resolved") or in
    # parentheses ("per successful outcome (tickets resolved)"); the same form fits both.
    "tickets_resolved": Nn_("ticket resolved", "tickets resolved"),
    "documents_processed": Nn_("document processed", "documents processed"),
    "contracts_reviewed": Nn_("contract reviewed", "contracts reviewed"),
    "candidates_screened": Nn_("candidate screened", "candidates screened"),
    "outcomes": Nn_("outcome", "outcomes"),
    "ai_operations": Nn_("AI operation", "AI operations"),
    "ai_actions": Nn_("AI action", "AI actions"),
    # Translators: a metric counted in money ("$500,000.00 of attributed revenue").
    "attributed_revenue": Nn_("attributed revenue", "attributed revenue"),
    # The demo catalog's.
    "completions": Nn_("completion", "completions"),
    "agent_runs": Nn_("agent run", "agent runs"),
    "enrichments": Nn_("enrichment", "enrichments"),
    "queries": Nn_("query", "queries"),
    "drafts": Nn_("draft", "drafts"),
    "images": Nn_("image", "images"),
    # The editor's, for a new component (ui/component_editor.NEW_COMPONENT_FIELDS).
    "units": Nn_("unit", "units"),
    "actions": Nn_("action", "actions"),
    "attributed_value": Nn_("attributed value", "attributed value"),
    "transaction_value": Nn_("transaction value", "transaction value"),
    "transactions": Nn_("transaction", "transactions"),
    # The value estimate's when the quote names no metric (viewmodel._estimates).
    "tasks": Nn_("task", "tasks"),
}
"""Each metric id the app writes, as a plural message whose English plural is the id in
words (what an English document printed before)."""


@cache
def _messages() -> dict[str, str]:
    """Each default text as a quote holds it -> its message."""
    from .explain import KIND_LABELS  # explain uses this module's units

    messages = {message.replace("%%", "%"): message for message in TEXTS}
    messages |= {label: label for label in KIND_LABELS.values()}
    messages[DEFAULT_DISCOUNT_NAME] = "Discount"
    messages |= {name: "Discount" for name in UI_DISCOUNT_NAMES}
    return messages


def own_text(text: str, f: Formatter) -> str:
    """``text`` in ``f``'s language when it is one of the app's defaults exactly as the app
    wrote it (a duplicate's "X (copy)" too); the rep's words as written."""
    message = _messages().get(text.strip())
    if message is not None:
        return f._(message)
    match = _COPY.fullmatch(text)
    if match is not None and (own := own_text(match["name"], f)) != match["name"]:
        return f._("%(name)s (copy)", name=own)
    return text


_COPY = re.compile(r"(?P<name>.+) \(copy\)")

_CHANGE = re.compile(r"(?P<title>.+): (?P<kind>renewal|expansion|amendment)")
_CHANGE_TITLES = {
    # Translators: the title of a quote that renews a contract ("Support AI: renewal").
    "renewal": N_("%(title)s: renewal"),
    # Translators: the title of a quote that adds to a contract ("Support AI: expansion").
    "expansion": N_("%(title)s: expansion"),
    # Translators: the title of a quote that changes a contract ("Support AI: amendment").
    "amendment": N_("%(title)s: amendment"),
}
"""What a contract change writes after the contract's title (``contracts._change_title``)."""

_ORDER = re.compile(r"Order (?P<number>\S+)")
"""The title a contract change starts from when the contract had none."""


@cache
def _demo_title() -> re.Pattern[str]:
    """A demo quote's title: one of the demo catalog's plans "for" a customer."""
    names = demo_plan_names()
    if not names:
        return re.compile(r"(?!)")  # no plan known: no title is a demo quote's
    return re.compile(rf"(?P<plan>{'|'.join(map(re.escape, names))}) for (?P<customer>.+)")


def own_title(title: str, f: Formatter) -> str:
    """A quote's title in ``f``'s language where the app wrote it (a demo quote's, a
    contract change's ": renewal"); the rep's words as written."""
    change = _CHANGE.fullmatch(title)
    if change is not None:
        order = _ORDER.fullmatch(change["title"])
        base = (
            # Translators: a contract's title when it has none: the order's number.
            f._("Order %(number)s", number=order["number"])
            if order is not None
            else own_title(change["title"], f)
        )
        return f._(_CHANGE_TITLES[change["kind"]], title=base)
    demo = _demo_title().fullmatch(title)
    if demo is not None:
        # Translators: a demo quote's title: a product's name for a customer's.
        return f._("%(plan)s for %(customer)s", plan=demo["plan"], customer=demo["customer"])
    return title


def rep_words(text: str) -> list[str]:
    """The rep's own words inside ``text`` as a document prints it (for the tests, which
    take them out before looking for English): nothing for one of the app's defaults, the
    names inside a title the app completed (the contract's title, the product and the
    customer of a demo quote's), ``text`` itself otherwise."""
    if text.strip() in _messages():
        return []
    copy = _COPY.fullmatch(text)
    if copy is not None and copy["name"].strip() in _messages():
        return []
    change = _CHANGE.fullmatch(text)
    if change is not None:
        order = _ORDER.fullmatch(change["title"])
        return [order["number"]] if order is not None else rep_words(change["title"])
    demo = _demo_title().fullmatch(text)
    if demo is not None:
        return [demo["plan"], demo["customer"]]
    return [text]


def unit_words(metric: str) -> str:
    """A metric id in words: ``tickets_resolved`` -> "tickets resolved", with the acronyms
    an id writes in lower case in capitals (``ai_requests`` -> "AI requests")."""
    words = metric.replace("_", " ").replace("-", " ").replace(".", " ").split(" ")
    return " ".join(ACRONYMS.get(word, word) for word in words)


ACRONYMS = {
    word: word.upper()
    for word in ("ai", "api", "llm", "gpu", "cpu", "sms", "sql", "ocr", "crm", "erp", "kyc")
} | {"apis": "APIs", "llms": "LLMs", "gpus": "GPUs", "pdf": "PDF", "pdfs": "PDFs"}
"""Words a metric id writes in lower case that a reader writes in capitals (``ai_requests``
reads "AI requests", not "ai requests")."""


def plural_form(count: Decimal | int) -> int:
    """The count a plural message is chosen by: a whole number as it is, a fraction as
    many ("1.5 units")."""
    value = Decimal(count)
    return int(value) if value == value.to_integral_value() else 2


def unit_name(metric: str, f: Formatter, count: Decimal | int = 2) -> str:
    """What ``metric`` counts, in ``f``'s language: one of the app's metric ids as its
    message, in the form for ``count`` (the plural unless a number says otherwise); any
    other id in its words as the rep wrote it, whatever the language."""
    forms = METRIC_UNITS.get(metric)
    if forms is None:
        return unit_words(metric)
    return f._n(forms[0], forms[1], plural_form(count))


def _component(component: Component, f: Formatter) -> Component:
    update: dict[str, Any] = {"name": own_text(component.name, f)}
    if component.description:
        update["description"] = own_text(component.description, f)
    if isinstance(component, Seats):
        if component.tier:
            update["tier"] = own_text(component.tier, f)
        update["features"] = [own_text(feature, f) for feature in component.features]
    if isinstance(component, PerOutcome):
        terms = component.terms
        update["terms"] = terms.model_copy(
            update={
                name: own_text(getattr(terms, name), f)
                for name in (
                    "definition",
                    "success_criteria",
                    "verification_evidence",
                    "audit_rights",
                )
            }
        )
    if isinstance(component, PercentOfValue):
        attribution = component.attribution
        update["attribution"] = attribution.model_copy(
            update={
                "description": own_text(attribution.description, f),
                "dispute_process": own_text(attribution.dispute_process, f),
            }
        )
    return component.model_copy(update=update)


def printed_terms(terms: CustomerTerms, f: Formatter) -> CustomerTerms:
    """``terms`` as a document prints them: the app's defaults among the components' texts
    and the title in ``f``'s language (the price table's component lines named as their
    components). The terms themselves (``terms.json``, their hash) stay as they are."""
    components = [_component(c, f) for c in terms.components]
    renamed = {
        old.id: (old.name, new.name)
        for old, new in zip(terms.components, components, strict=True)
        if old.name != new.name
    }
    lines = [
        line.model_copy(update={"label": renamed[line.component_id][1]})
        if line.kind == "component"
        and line.component_id in renamed
        and line.label == renamed[line.component_id][0]
        else line
        for line in terms.price_table
    ]
    return terms.model_copy(
        update={
            "title": own_title(terms.title, f),
            "components": components,
            "price_table": lines,
        }
    )


def printed_view(view: CustomerView, f: Formatter) -> CustomerView:
    """``view`` with its terms and its options' terms as a document prints them
    (``printed_terms``); ``terms_json`` and ``terms_hash`` as they were."""
    return dataclasses.replace(
        view,
        terms=printed_terms(view.terms, f),
        options=tuple(
            dataclasses.replace(option, terms=printed_terms(option.terms, f))
            for option in view.options
        ),
    )


def own_texts() -> Sequence[str]:
    """Every default text as a quote holds it (for the tests)."""
    return tuple(_messages())


__all__ = [
    "DEFAULT_DISCOUNT_NAME",
    "DEMO_CATALOG",
    "METRIC_UNITS",
    "TEXTS",
    "demo_plan_names",
    "own_text",
    "own_title",
    "own_texts",
    "printed_terms",
    "printed_view",
    "rep_words",
    "unit_name",
    "unit_words",
]
