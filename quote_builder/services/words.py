"""Words a seller uses: fields named as the forms label them, enum values as labels, and
problems as sentences (issue 17, §3).

The quote format names a field by its place in the JSON (``discounts[0].percent``) and
the models' validation speaks pydantic ("Input should be a valid integer"). Nothing the
app shows may read like that: :func:`where` turns a path into the form's words ("Discount
1: percent", "Component 2 (Team seats): price per seat"), :func:`reason` turns a
library's reason into ours, :func:`sentence` does both to a ``path: reason`` problem, and
:func:`label` turns an enum value into its label ("Outcome-based", "Pending approval").
It sits in ``services`` so the use cases (version compare, the deal desk's changes since)
and the windows speak alike; it imports only ``pricing`` and ``documents.formatting``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from quote_builder.documents.formatting import Formatter, LocaleError
from quote_builder.errors import Sentence
from quote_builder.pricing.playbook import CATEGORY_PROFILES, ProductCategory

PRICING_MODEL_LABELS = {
    "outcome_based": "Outcome-based",
    "platform_usage": "Platform fee + usage",
    "seats_credits": "Tiered seats + AI credits",
    "seats_ai_tiers": "Per seat, AI in higher tiers",
    "outcome_contingent": "Outcome-contingent (value share)",
}
CATEGORY_LABELS = {c.value: CATEGORY_PROFILES[c].title for c in ProductCategory}
BILLING_LABELS = {"monthly": "Monthly", "quarterly": "Quarterly", "annual": "Annual in advance"}
STATUS_LABELS = {
    "draft": "Draft",
    "pending_approval": "Pending approval",
    "approved": "Approved",
    "rejected": "Rejected",
    "sent": "Sent",
    "accepted": "Accepted",
    "expired": "Expired",
    "lost": "Lost",
    "superseded": "Superseded",
    "pending": "Pending",
}
ROLE_LABELS = {"rep": "Rep", "manager": "Manager", "deal_desk": "Deal desk"}
OTHER_LABELS = {
    "month": "Per month",
    "year": "Per year",
    "low": "Low",
    "medium": "Medium",
    "high": "High",
    "baseline_comparison": "Baseline comparison",
    "holdout_group": "Holdout group",
    "rule_based": "Rule-based",
    "custom": "Custom",
    "order_form": "The order form",
    "agreement": "The agreement",
    "blocking": "Blocks sending",
    "warning": "Warning",
    "info": "Note",
    "charge": "Charge",
    "true_up": "True-up",
    "discount": "Discount",
}
AUDIT_LABELS = {
    "quote_created": "Quote created",
    "quote_saved": "Version saved",
    "version_saved": "Version saved",
    "quote_duplicated": "Duplicated",
    "quote_tax_set": "Tax updated",
    "quote_reissued": "Re-issued",
    "status_changed": "Status changed",
    "status_reset": "Status reset",
    "approval_requested": "Approval requested",
    "approval_decided": "Approval decided",
    "approval_imported": "Decision imported",
    "approval_decision_refused": "Decision refused",
    "approval_request_exported": "Request file written",
    "approval_request_imported": "Request file read",
    "approval_request_superseded": "Request superseded by a new version",
    "usage_evidence_attached": "Usage log attached",
    "usage_evidence_removed": "Usage log removed",
    "quote_sent": "Finalised and sent",
    "quote_resent": "Sent again",
    "quote_expired": "Expired",
    "quote_lost": "Marked lost",
    "quote_accepted": "Accepted by the customer",
    "acceptance_refused": "Signed order form refused",
    "valid_until_changed": "Valid-until date changed",
    "contract_change_started": "Contract change started",
}
"""What happened, by the action stored with a quote's history event (the desktop app's
``ui.history_words.ACTIONS`` holds the same English, marked for translation; a test keeps
the two equal)."""
HISTORY_DETAILS = {
    "version": "Version",
    "by_version": "Superseded by version",
    "from": "From",
    "to": "To",
    "reason": "Reason",
    "details": "Details",
    "decision": "Decision",
    "decision_id": "Decision",
    "request_id": "Request",
    "quote_number": "Quote",
    "quote": "Quote",
    "requested_by": "Requested by",
    "requester": "Requested by",
    "required_role": "Who must approve",
    "approver": "Approver",
    "approver_role": "Role",
    "fingerprint": "Fingerprint",
    "policy": "Policy",
    "rep_policy": "Rep's policy",
    "comment": "Comment",
    "conditions": "Conditions",
    "expires_at": "Expires",
    "valid_until": "Valid until",
    "method": "Method",
    "signed_by": "Signed by",
    "signed_at": "Signed at",
    "signed_on": "Signed on",
    "file_sha256": "File SHA-256",
    "pdf_sha256": "PDF SHA-256",
    "file_name": "File",
    "signer": "Signed by",
    "kind": "Kind",
    "reasons": "Reasons",
    "problem": "Problem",
    "signatory": "Signatory the order form names",
    "other_signer_confirmed_by": "Other signer confirmed by",
}
"""The details kept with a history event, by their key (``ui.history_words.DETAILS`` in
the interface's language; a test keeps the two equal)."""
HISTORY_HIDDEN = frozenset({"hash", "terms_hash", "version_hash", "message"})
"""Details not shown: hashes a person does not read, and a refusal's stored English
sentence (shown in place of its reason's code where the words are English)."""


def _component_kind_labels() -> dict[str, str]:
    from quote_builder.pricing import COMPONENT_KINDS

    return {kind: cls.label for kind, cls in COMPONENT_KINDS.items()}


def label(value: Any) -> str:
    """An enum value as its label: ``outcome_based`` -> "Outcome-based"; a value with no
    label gets its words ("some_value" -> "Some value"), never its code."""
    text = str(getattr(value, "value", value))
    for table in (
        PRICING_MODEL_LABELS,
        CATEGORY_LABELS,
        BILLING_LABELS,
        STATUS_LABELS,
        ROLE_LABELS,
        OTHER_LABELS,
        AUDIT_LABELS,
        _component_kind_labels(),
    ):
        if text in table:
            return table[text]
    return humanize(text)


def humanize(name: str) -> str:
    """``payment_terms_days`` -> "Payment terms days"."""
    words = name.replace("_", " ").replace(".", " ").strip()
    return words[:1].upper() + words[1:]


# --- fields ----------------------------------------------------------------------------

TOP_LABELS = {
    "title": "Title",
    "customer": "Customer",
    "customer.name": "Customer",
    "customer.contact": "Recipient",
    "quote_number": "Quote number",
    "product_category": "Product category",
    "pricing_model": "Pricing model",
    "currency": "Currency",
    "start_date": "Start date",
    "term_months": "Term (months)",
    "billing_frequency": "Billing",
    "escalator_percent": "Annual escalator %",
    "components": "Components",
    "discounts": "Discounts",
    "ramps": "Ramps",
    "usage_forecast": "Usage forecast",
    "economics.fixed_cost_per_month": "Fixed cost / month",
    "economics.cost_decline_percent_per_year": "Cost decline % / year",
    "economics.target_margin_percent": "Target margin %",
    "economics.margin_floor_percent": "Margin floor %",
    "economics.levers.routing_savings_percent": "Routing savings %",
    "economics.levers.cache_hit_percent": "Cache hits %",
    "economics.levers.fine_tuning_savings_percent": "Fine-tuning savings %",
    "usage_evidence": "Usage log",
    "usage_evidence.metric_map": "Usage log: which log metric each quote metric reads",
    "notes": "Notes",
    "(document)": "The quote",
}

_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def split_path(path: str) -> list[str | int]:
    """``components[0].tiers[1].up_to`` -> ["components", 0, "tiers", 1, "up_to"]."""
    parts: list[str | int] = []
    for index, name in _PART.findall(path):
        parts.append(int(index) if index else name)
    return parts


FIELD_LABELS = {
    "id": "Id",
    "from_": "From",
    "up_to": "Up to",
    "includes_ai": "Includes AI",
    "burn": "Credits per action",
    "pack": "Credit pack",
    "terms": "Outcome terms",
    "attribution": "Attribution terms",
    "percent": "Percent (%)",
    "dispute_window_days": "Dispute window (days)",
    "lookback_days": "Lookback (days)",
    "rollover_months": "Rollover (months)",
    "allocation_pool": "Allocation (pool)",
    "count_metric": "Count metric",
    "fixed_fee": "Fixed fee per transaction",
    "minimum_fee": "Minimum per transaction",
    "maximum_fee": "Maximum per transaction",
}
"""Labels of the component forms' fields where the field's name is not its label."""


def field_label(name: str) -> str:
    """The component form's label of a field: ``price_per_seat`` -> "Price per seat"."""
    return FIELD_LABELS.get(name) or name.replace("_", " ").strip().capitalize()


def _field_words(parts: list[str | int]) -> str:
    """The words of a component's or discount's field: "price per seat", "tier 2, up to"."""
    words: list[str] = []
    for i, part in enumerate(parts):
        if isinstance(part, int):
            previous = parts[i - 1] if i else ""
            noun = {"tiers": "tier", "features": "feature", "applies_to": "item"}.get(
                str(previous), "item"
            )
            if words and words[-1].lower() == field_label(str(previous)).lower():
                words[-1] = f"{noun} {part + 1}"
            else:
                words.append(f"{noun} {part + 1}")
        else:
            words.append(field_label(part).removesuffix(" (%)"))
    return ", ".join(w[:1].lower() + w[1:] for w in words)


def where(path: str, data: dict[str, Any] | None = None) -> str:
    """A quote-format path in the form's words."""
    data = data or {}
    if path in TOP_LABELS:
        return TOP_LABELS[path]
    parts = split_path(path)
    if not parts:
        return "The quote"
    head = parts[0]
    if head == "components" and len(parts) > 1 and isinstance(parts[1], int):
        index = parts[1]
        components = data.get("components") or []
        name = ""
        if index < len(components) and isinstance(components[index], dict):
            name = str(components[index].get("name") or "")
        text = f"Component {index + 1}" + (f" ({name})" if name else "")
        rest = parts[2:]
        return text + (f": {_field_words(rest)}" if rest else "")
    if head == "discounts" and len(parts) > 1 and isinstance(parts[1], int):
        rest = parts[2:]
        return f"Discount {parts[1] + 1}" + (f": {_field_words(rest)}" if rest else "")
    if head == "ramps" and len(parts) > 1 and isinstance(parts[1], int):
        ramps = data.get("ramps") or []
        year = ""
        if parts[1] < len(ramps) and isinstance(ramps[parts[1]], dict):
            year = str(ramps[parts[1]].get("year") or "")
        text = f"Ramp {parts[1] + 1}" + (f" (year {year})" if year else "")
        rest = parts[2:]
        if len(rest) >= 2 and rest[0] in ("seats", "usage"):
            what = "seats of" if rest[0] == "seats" else "monthly usage of"
            return f"{text}: {what} {rest[1]}"
        return text + (f": {_field_words(rest)}" if rest else "")
    if head == "usage_forecast" and len(parts) > 1:
        rest = parts[2:]
        return f"Usage forecast of {parts[1]}" + (f": {_field_words(rest)}" if rest else "")
    if head == "economics" and len(parts) > 2 and parts[1] == "unit_costs":
        return f"Unit cost of {parts[2]}"
    if head == "contract" and len(parts) > 2 and parts[1] == "legal":
        return f"Legal frame: {_field_words(parts[2:])}"
    if head == "usage_evidence":
        return "Usage log" + (f": {_field_words(parts[1:])}" if len(parts) > 1 else "")
    return humanize(str(head)) + (f": {_field_words(parts[1:])}" if len(parts) > 1 else "")


_PYDANTIC = (
    (re.compile(r"^Input should be a valid integer.*", re.S), "must be a whole number"),
    (re.compile(r"^Input should be a finite number.*", re.S), "must be a number"),
    (re.compile(r"^Input should be a valid (decimal|number).*", re.S), "must be a number"),
    (re.compile(r"^Input should be a valid boolean.*", re.S), "must be yes or no"),
    (re.compile(r"^Input should be a valid string.*", re.S), "must be text"),
    (re.compile(r"^Input should be a valid date.*", re.S), "must be a date (YYYY-MM-DD)"),
    (re.compile(r"^Input should be a valid (dictionary|list|array).*", re.S), "is not valid here"),
    (re.compile(r"^Field required.*", re.S), "required"),
    (re.compile(r"^Extra inputs are not permitted.*", re.S), "is not a field of the quote"),
    (re.compile(r"^Value error, ", re.S), ""),
)
_QUOTED = re.compile(r"'([a-z][a-z0-9_]*)'")


def reason(text: str) -> str:
    """A reason in our words: pydantic's phrases replaced, enum codes as labels."""
    for pattern, replacement in _PYDANTIC:
        if pattern.search(text):
            text = replacement or pattern.sub("", text)
            break
    text = text.replace("not a finite number", "must be a number")
    if "must be one of" in text or "one of" in text:
        text = _QUOTED.sub(lambda m: f"“{label(m.group(1))}”", text)
    return text


def sentence(
    problem: str, data: dict[str, Any] | None = None, labels: dict[str, str] | None = None
) -> str:
    """``discounts[0].percent: must be at most 100`` -> "Discount 1: percent must be at
    most 100". ``labels``: the form's own labels by path, preferred when given."""
    path, sep, why = problem.partition(": ")
    if not sep or " " in path.strip() and not _looks_like_path(path):
        return reason(problem)
    ramp = ramp_reference(path, why, data)
    if ramp is not None:
        return ramp_sentence(*ramp)
    why = reason(why)
    if labels and path in labels:
        return f"{labels[path]}: {why}"
    place = where(path, data)
    if ": " in place:
        return f"{place} {why}"
    return f"{place}: {why}"


_RAMP_REFERENCE = re.compile(r"ramps\[(\d+)\]\.(usage|seats)\.(.+)")
_RAMP_REASONS = {
    "usage": re.compile(r"no usage forecast for metric '(.+)'"),
    "seats": re.compile(r"no seats component with this id"),
}


def ramp_reference(
    path: str, why: str, data: dict[str, Any] | None = None
) -> tuple[int, str, str, str] | None:
    """A ramp that names a metric the quote has no usage forecast for, or a seats component
    it does not have (``pricing.document``'s checks): (the ramp's number, its year or "",
    "usage" or "seats", the name). Its place and reason are no sentence joined ("Ramp 1:
    monthly usage of seats no usage forecast for metric 'seats'"): ``ramp_sentence`` and
    ``ui.reason_words`` write one."""
    match = _RAMP_REFERENCE.fullmatch(path.strip())
    if match is None or not _RAMP_REASONS[match.group(2)].fullmatch(why.strip()):
        return None
    index = int(match.group(1))
    ramps = (data or {}).get("ramps") or []
    year = ""
    if index < len(ramps) and isinstance(ramps[index], dict):
        year = str(ramps[index].get("year") or "")
    return index + 1, year, match.group(2), match.group(3)


def ramp_sentence(number: int, year: str, kind: str, name: str) -> str:
    """``ramp_reference``'s problem as one English sentence."""
    place = f"Ramp {number}" + (f" (year {year})" if year else "")
    if kind == "usage":
        return f"{place}: “{name}” has no usage forecast, so its monthly usage cannot ramp"
    return f"{place}: the quote has no seats component “{name}”, so its seats cannot ramp"


def _looks_like_path(text: str) -> bool:
    return bool(re.fullmatch(r"[\w.\[\]() -]+", text)) and (
        "." in text or "[" in text or "_" in text
    )


def component_change(before: list[Any], after: list[Any]) -> str:
    """An edit of the component list in words: "Add component Team seats", "Edit Team
    seats: price per seat"."""

    def name(c: Any) -> str:
        return str(c.get("name") or c.get("id") or "a component") if isinstance(c, dict) else ""

    if len(after) > len(before):
        added = [c for c in after if c not in before] or after[-1:]
        return f"Add component {name(added[0])}"
    if len(after) < len(before):
        removed = [c for c in before if c not in after] or before[-1:]
        return f"Remove component {name(removed[0])}"
    if sorted(map(str, before)) == sorted(map(str, after)):
        moved = next((a for a, b in zip(after, before, strict=True) if a != b), None)
        return f"Move component {name(moved)}" if moved else "Edit components"
    for old, new in zip(before, after, strict=True):
        if old == new or not isinstance(old, dict) or not isinstance(new, dict):
            continue
        if old.get("kind") != new.get("kind"):
            return f"Change {name(new)} to {label(new.get('kind'))}"
        keys = [k for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]
        field = _field_words([keys[0]]) if keys else "its fields"
        return f"Edit {name(new)}: {field}"
    return "Edit components"


# --- values ------------------------------------------------------------------------------


def value_text(value: Any, locale: str = "en_US") -> str:
    """A field's value as a seller reads it (for comparisons and history): numbers in the
    locale, yes/no, enum codes as labels, lists joined. Words are ``Sentence``s (the app
    writes them in the interface's language); numbers and the quote's own text are not."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return Sentence("Yes", "value.yes") if value else Sentence("No", "value.no")
    if isinstance(value, int | Decimal) or (isinstance(value, str) and _is_number(value)):
        return _formatter("USD", locale).number(Decimal(str(value)))
    if isinstance(value, str):
        if re.fullmatch(r"[a-z]+(_[a-z0-9]+)*", value) and label(value) != humanize(value):
            return Sentence(label(value), "value.label", value=value)
        return value
    if isinstance(value, list):
        items = [value_text(v, locale) for v in value]
        if not items:
            return Sentence("none", "value.none")
        return Sentence("; ".join(items), "value.list", items=items)
    if isinstance(value, dict):
        fields = [(str(k), value_text(v, locale)) for k, v in value.items()]
        return Sentence(
            "; ".join(f"{humanize(k)}: {text}" for k, text in fields),
            "value.fields",
            fields=fields,
        )
    return str(value)


def is_percent_field(parts: list[str | int]) -> bool:
    """Whether a field (its path's parts) holds a percent: ``percent``, ``*_percent`` or
    ``*_percent_*`` (a discount's or a share of value's percent, a forecast's growth)."""
    name = next((str(p) for p in reversed(parts) if isinstance(p, str)), "")
    return name == "percent" or name.endswith("_percent") or "_percent_" in name


def field_value_text(parts: list[str | int], value: Any, locale: str = "en_US") -> str:
    """A field's value as a seller reads it (:func:`value_text`), a percent field's number
    as a percent by the one formatter with the digits it has: a discount's ``30`` is
    ``30%`` (``30 %`` in German), never a bare number beside other percents."""
    if (
        is_percent_field(parts)
        and not isinstance(value, bool)
        and (isinstance(value, int | Decimal) or (isinstance(value, str) and _is_number(value)))
    ):
        return percent_text(Decimal(str(value)), locale, None)
    return value_text(value, locale)


def formatter(currency: str, locale: str) -> Formatter:
    """The documents' formatter for ``currency`` in ``locale`` (en_US when the locale is
    unknown or its script is not printable)."""
    return _formatter(currency, locale)


def flat_fields(data: Any, parts: tuple[str | int, ...] = ()) -> list[tuple[list[str | int], Any]]:
    """Every leaf of ``data`` with its path: nested objects and lists of objects flattened
    (a tier's bound: ["tiers", 1, "up_to"]); a list of plain values is one leaf."""
    if isinstance(data, dict):
        leaves = []
        for key, value in data.items():
            leaves += flat_fields(value, (*parts, key))
        return leaves
    if isinstance(data, list) and any(isinstance(v, dict | list) for v in data):
        leaves = []
        for index, value in enumerate(data):
            leaves += flat_fields(value, (*parts, index))
        return leaves
    return [(list(parts), data)]


def field_words(parts: list[str | int]) -> str:
    """A field's words, first letter capitalised: "Tier 2, up to" (a ``Sentence`` of the
    path's parts, which the app writes with the forms' labels in its language)."""
    text = _field_words(parts)
    return Sentence(text[:1].upper() + text[1:], "field.words", parts=list(parts))


@lru_cache(maxsize=32)
def _formatter(currency: str, locale: str) -> Formatter:
    try:
        return Formatter(currency, locale)
    except (LocaleError, ValueError, KeyError):
        return Formatter("USD", "en_US")


def money_text(amount: Decimal | str, currency: str, locale: str = "en_US") -> str:
    """An amount in the currency's minor unit and the locale's pattern (``$273,868.68``)."""
    try:
        return _formatter(currency, locale).money(Decimal(str(amount)))
    except (ArithmeticError, ValueError, KeyError):
        return f"{amount} {currency}"


def percent_text(value: Decimal | str | None, locale: str = "en_US", places: int | None = 1) -> str:
    """``81.3%`` in the locale; "n/a" for None. ``places=None``: the digits the value has,
    without trailing zeros (a discount ``25%``, ``10.01%``; a rate ``19%``)."""
    if value is None or value == "":
        return "n/a"
    return _formatter("USD", locale).percent(Decimal(str(value)), places)


_PERCENT_IN_TEXT = re.compile(
    r"(?<![\w.,/\\])(?P<low>\d+(?:\.\d+)?)(?:-(?P<high>\d+(?:\.\d+)?))?%(?![\w/\\])"
)
"""A percent an English sentence writes as the engine does (``25.00%``), or a range of
percents (``30-60%``); not a digit inside a word, a path or a longer number."""

_QUOTED_NAME = re.compile(r"(?<!\w)'[^'\n]*'(?!\w)|“[^”\n]*”")
"""A name as a sentence quotes it ('Team seats'): written by the user, left as written."""


MARGIN_PARAMS = frozenset({"margin"})
"""A sentence's values that are a gross margin: written to one decimal (``57.0%``), as the
app's totals and its own sentences write a margin; every other percent with the digits it
has."""


def percents_written(text: str, locale: str = "en_US", values: Any = None) -> str:
    """An English sentence of the engine, the policy or a use case with its percents
    written by the one formatter (:func:`percent_text`): "The effective discount is 25.00%,
    above …" -> "… is 25%, above …", ``10.01%`` kept, a margin to one decimal, a range
    ``30-60%`` as the locale writes one. The engine keeps its sentences as it wrote them
    (stored requests, signed decisions, ``price --json``); whoever shows one to a user
    passes it through here (the command line in ``cli_db.CLI_LOCALE``).

    ``values``: the values the sentence was written from (a ``Sentence``'s or a warning's
    params, a reason's values; nested sentences and lists are looked into): only a number
    that is one of them is rewritten, so that a name that happens to hold "5.0%" stays as
    the user wrote it. Without values (a request stored before reasons had codes) every
    percent outside a quoted name is rewritten, with the digits it has."""
    if "%" not in text:
        return text
    known: dict[Decimal, int | None] | None = None
    if values is not None:
        known = {}
        for name, number in _numbers(values):
            if name in MARGIN_PARAMS:
                known[number] = 1
            else:
                known.setdefault(number, None)
    fmt = _formatter("USD", locale)

    def rewrite(match: re.Match[str]) -> str:
        low, high = Decimal(match["low"]), match["high"]
        if high is None:
            if known is not None and low not in known:
                return match.group(0)
            return fmt.percent(low, known.get(low) if known is not None else None)
        top = Decimal(high)
        if known is not None and low not in known and top not in known:
            return match.group(0)
        return f"{fmt.number(low)}-{fmt.percent(top, None)}"

    parts: list[str] = []
    start = 0
    for quoted in _QUOTED_NAME.finditer(text):
        parts.append(_PERCENT_IN_TEXT.sub(rewrite, text[start : quoted.start()]))
        parts.append(quoted.group(0))
        start = quoted.end()
    parts.append(_PERCENT_IN_TEXT.sub(rewrite, text[start:]))
    written = "".join(parts)
    if isinstance(text, Sentence) and written != text:
        return text.reworded(written)
    return written


def _numbers(values: Any, name: str = "") -> list[tuple[str, Decimal]]:
    """Every number in ``values`` with the name it is given under (params as a dict or as
    pairs, nested sentences and lists)."""
    if isinstance(values, bool) or values is None:
        return []
    if isinstance(values, Decimal | int):
        return [(name, Decimal(values))]
    if isinstance(values, Sentence):
        return _numbers(values.params)
    if isinstance(values, dict):
        return [n for key, value in values.items() for n in _numbers(value, str(key))]
    if isinstance(values, list | tuple):
        if len(values) == 2 and isinstance(values[0], str) and not isinstance(values[1], str):
            return _numbers(values[1], values[0])  # a (name, value) pair of params
        return [n for value in values for n in _numbers(value, name)]
    found = getattr(values, "values", None)
    if callable(found):  # a Reason, a QuoteWarning: their params by name
        return _numbers(found())
    return []


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except (InvalidOperation, ValueError):
        return False
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", text.strip()))


__all__ = [
    "BILLING_LABELS",
    "CATEGORY_LABELS",
    "PRICING_MODEL_LABELS",
    "STATUS_LABELS",
    "humanize",
    "label",
    "reason",
    "sentence",
    "split_path",
    "component_change",
    "field_label",
    "field_value_text",
    "field_words",
    "flat_fields",
    "is_percent_field",
    "formatter",
    "money_text",
    "percent_text",
    "percents_written",
    "value_text",
    "where",
]
