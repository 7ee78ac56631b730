"""The words of a version comparison and of a quote's history in the interface's language.

``services.quotes.compare_versions`` writes each row's label and value as English, the
command line's words, with the numbers, amounts and dates already in the user's locale;
where a row has words (a field's name, "12 months", "Yes", a pricing model's label) they
are ``Sentence``s, written again here (``WORDS``). The history (``audit_history``) is a
list of stored events: the action, who, when and the details kept with it (keys and
values as stored, some of them English words written when the event was recorded); they
are named here (``event_title``, ``event_details``): an action, a detail or a stored
reason this module does not know is shown with its own words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from .i18n import N_, _, joined, language, ngettext

Values = Mapping[str, Any]


def _text(value: Any) -> str:
    from .service_words import text

    return text(value) if isinstance(value, str) else str(value)


# --- a comparison's rows ---------------------------------------------------------------------

FIELDS: dict[str, str] = {
    "title": N_("Title"),
    "customer": N_("Customer"),
    "product_category": N_("Product category"),
    "pricing_model": N_("Pricing model"),
    "currency": N_("Currency"),
    "start_date": N_("Start date"),
    "term": N_("Term"),
    "billing": N_("Billing"),
    "escalator": N_("Annual escalator"),
    "payment_terms": N_("Payment terms"),
    "auto_renew": N_("Renews automatically"),
    "exchange_rate": N_("Exchange rate"),
    "tax": N_("Tax"),
    "fixed_cost": N_("Fixed cost / month"),
    "target_margin": N_("Target margin"),
    "margin_floor": N_("Margin floor"),
    "usage_log": N_("Usage log"),
    "tcv": N_("TCV"),
    "list_tcv": N_("List TCV"),
    "discount_vs_list": N_("Discount vs list"),
    "first_year_acv": N_("First-year ACV"),
    "gross_margin": N_("Gross margin"),
    "warnings": N_("Warnings"),
    # The fields a save that lost a race merges (``services.quotes.MERGE_FIELDS``).
    "language": N_("Document language"),
    "first_year_months": N_("First contract year"),
    "components": N_("Components"),
    "discounts": N_("Discounts"),
    "ramps": N_("Ramps"),
    "usage_forecast": N_("Usage forecast"),
    "economics": N_("Economics"),
    "value": N_("Value"),
    "usage_profile": N_("Usage profile"),
    "advisor": N_("Advisor answers"),
    "contract": N_("Contract terms"),
    "contract_change": N_("Contract change"),
    "notes": N_("Notes"),
    "options": N_("Options"),
    "chosen_option": N_("Chosen option"),
}
"""A comparison's rows that are one of the forms' fields, by key."""


OTHER_FIELDS: dict[str, str] = {
    "component": N_("Component"),
    "start_month": N_("Start month"),
    "months": N_("Months"),
    "monthly": N_("Monthly"),
    "growth_percent_per_month": N_("Growth % / month"),
    "per_year": N_("Per contract year"),
}
"""A discount's and a usage forecast's fields (a component's are
``component_words.FIELD_LABELS``)."""


def _field_label(name: str) -> str:
    from .component_words import field_label

    english = OTHER_FIELDS.get(name)
    return _(english) if english is not None else field_label(name)


_ITEM_NOUNS = {
    # Translators: the second tier of a component's tiers in a comparison ("tier 2, up to")
    "tiers": N_("tier {number}"),
    # Translators: the second feature of a seat tier in a comparison
    "features": N_("feature {number}"),
}


def field_words(parts: Sequence[str | int]) -> str:
    """A component's (or discount's) field from its path, as the forms label it:
    "Tier 2, up to", "Stufe 2, Bis" (``services.words.field_words`` in English)."""
    words: list[str] = []
    for i, part in enumerate(parts):
        if isinstance(part, int):
            previous = str(parts[i - 1]) if i else ""
            noun = _(_ITEM_NOUNS.get(previous, N_("item {number}"))).format(number=part + 1)
            if words and previous and words[-1] == _field_label(previous):
                words[-1] = noun
            else:
                words.append(noun)
        else:
            words.append(_field_label(str(part)).removesuffix(" (%)"))
    if language() != "de":  # German nouns keep their capital letter
        words = [w[:1].lower() + w[1:] for w in words]
    text = ", ".join(words)
    return text[:1].upper() + text[1:]


def _field(v: Values) -> str:
    english = FIELDS.get(str(v["field"]))
    if english is None:
        raise KeyError(v["field"])
    return _(english)


def _value_label(v: Values) -> str:
    from .labels import label

    return label(str(v["value"]))


def _value_fields(v: Values) -> str:
    return joined(
        _("{field}: {value}").format(field=_field_label(str(key)), value=_text(value))
        for key, value in v["fields"]
    )


def _months(v: Values) -> str:
    count = int(v["count"])
    return ngettext("{count} month", "{count} months", count).format(count=count)


def _days(v: Values) -> str:
    count = int(v["count"])
    return ngettext("{count} day", "{count} days", count).format(count=count)


def _exchange_rate(v: Values) -> str:
    from .service_words import day, number

    return _("{rate} {currency} per {seller} ({as_of}, {source})").format(
        rate=number(Decimal(str(v["rate"]))),
        currency=v["currency"],
        seller=v["seller"],
        as_of=day(v["as_of"]),
        source=v["source"],
    )


def _tax(message: str) -> Callable[[Values], str]:
    def write(v: Values) -> str:
        from .countries import shown_place
        from .labels import tax_rule, tax_title

        return _(message).format(
            tax=tax_title(str(v["kind"])),
            rate=v["rate"],
            where=shown_place(str(v["where"])),
            rule=tax_rule(str(v["rule"])) or str(v["rule"]),
        )

    return write


def _usage_log(v: Values) -> str:
    rows = int(v["rows"])
    from .service_words import number

    summary = ngettext(
        "{source} (SHA-256 {sha256}, {first} to {last}, {rows} row)",
        "{source} (SHA-256 {sha256}, {first} to {last}, {rows} rows)",
        rows,
    ).format(
        source=v["source"], sha256=v["sha256"], first=v["first"], last=v["last"], rows=number(rows)
    )
    reads = []
    for metric, choice in v["mapping"]:
        if choice == "*":
            reads.append(_("{metric} reads all of the log").format(metric=metric))
        elif choice == "-":
            reads.append(_("{metric} reads nothing").format(metric=metric))
        else:
            reads.append(_("{metric} reads {choice}").format(metric=metric, choice=choice))
    if not reads:
        return summary
    return _("{summary}; {mapping}").format(summary=summary, mapping=", ".join(reads))


def _warnings(v: Values) -> str:
    from .engine_words import warning_title

    return joined(warning_title(str(code)) for code in v["codes"])


def _field_words(v: Values) -> str:
    return field_words(list(v["parts"]))


def _value_list(v: Values) -> str:
    return joined(_text(item) for item in v["items"])


WORDS: dict[str, str | Callable[[Values], str]] = {
    "compare.section.terms": N_("Terms"),
    "compare.section.totals": N_("Totals"),
    "compare.field": _field,
    "compare.months": _months,
    "compare.days": _days,
    "compare.discount": N_("Discount {number}"),
    "compare.discount_named": N_("Discount {number} ({description})"),
    "compare.component_field": N_("{component}: {field}"),
    "compare.discount_field": N_("{discount}: {field}"),
    "compare.ramp_seats": N_("From year {year}: seats of {component}"),
    "compare.ramp_usage": N_("From year {year}: {metric} a month"),
    "compare.forecast": N_("Forecast of {metric}: {field}"),
    "compare.unit_cost": N_("Unit cost of {metric}"),
    "compare.exchange_rate": _exchange_rate,
    "compare.tax.table": _tax(N_("{tax} {rate} for {where} ({rule}; rate from the table)")),
    "compare.tax.table.confirmed": _tax(
        N_("{tax} {rate} for {where} ({rule}; rate from the table, confirmed)")
    ),
    "compare.tax.rep": _tax(N_("{tax} {rate} for {where} ({rule}; rate entered by the rep)")),
    "compare.tax.rep.confirmed": _tax(
        N_("{tax} {rate} for {where} ({rule}; rate entered by the rep, confirmed)")
    ),
    "compare.usage_log": _usage_log,
    "compare.year_revenue": N_("Year {year} revenue"),
    "compare.year_margin": N_("Year {year} margin"),
    "compare.warnings": _warnings,
    # Translators: a conflict of a save that lost a race on one item of a list: "Components:
    # API calls" (both changed that component)
    "merge.item": N_("{field}: {item}"),
    # Translators: a ramp in a conflict: "Ramps: from year 2"
    "merge.ramp_year": N_("from year {year}"),
    "field.words": _field_words,
    "value.yes": N_("Yes"),
    "value.no": N_("No"),
    "value.none": N_("none"),
    "value.na": N_("n/a"),
    "value.label": _value_label,
    "value.list": _value_list,
    "value.fields": _value_fields,
}
"""Each comparison code's words."""


# --- the history -----------------------------------------------------------------------------

ACTIONS: dict[str, str] = {
    "quote_created": N_("Quote created"),
    "quote_saved": N_("Version saved"),
    "version_saved": N_("Version saved"),
    "quote_duplicated": N_("Duplicated"),
    "quote_tax_set": N_("Tax updated"),
    "quote_reissued": N_("Re-issued"),
    "status_changed": N_("Status changed"),
    "status_reset": N_("Status reset"),
    "approval_requested": N_("Approval requested"),
    "approval_decided": N_("Approval decided"),
    "approval_imported": N_("Decision imported"),
    "approval_decision_refused": N_("Decision refused"),
    "approval_request_exported": N_("Request file written"),
    "approval_request_imported": N_("Request file read"),
    "approval_request_superseded": N_("Request superseded by a new version"),
    "usage_evidence_attached": N_("Usage log attached"),
    "usage_evidence_removed": N_("Usage log removed"),
    "quote_sent": N_("Finalised and sent"),
    "quote_resent": N_("Sent again"),
    "quote_expired": N_("Expired"),
    "quote_lost": N_("Marked lost"),
    "quote_accepted": N_("Accepted by the customer"),
    "acceptance_refused": N_("Signed order form refused"),
    "valid_until_changed": N_("Valid-until date changed"),
    "contract_change_started": N_("Contract change started"),
}
"""What happened, by the action stored with the event."""

DETAILS: dict[str, str] = {
    "version": N_("Version"),
    "reason": N_("Reason"),
    "details": N_("Details"),
    "from": N_("From"),
    "to": N_("To"),
    "request_id": N_("Request"),
    "by_version": N_("Superseded by version"),
    "decision_id": N_("Decision"),
    "decision": N_("Decision"),
    "quote_number": N_("Quote"),
    "quote": N_("Quote"),
    "requested_by": N_("Requested by"),
    "requester": N_("Requested by"),
    "required_role": N_("Who must approve"),
    "approver": N_("Approver"),
    "approver_role": N_("Role"),
    "fingerprint": N_("Fingerprint"),
    "policy": N_("Policy"),
    "rep_policy": N_("Rep's policy"),
    "comment": N_("Comment"),
    "conditions": N_("Conditions"),
    "expires_at": N_("Expires"),
    "valid_until": N_("Valid until"),
    "method": N_("Method"),
    "signed_by": N_("Signed by"),
    "signed_at": N_("Signed at"),
    "signed_on": N_("Signed on"),
    "file_sha256": N_("File SHA-256"),
    "pdf_sha256": N_("PDF SHA-256"),
    "file_name": N_("File"),
    "signer": N_("Signed by"),
    "kind": N_("Kind"),
    "reasons": N_("Reasons"),
    "problem": N_("Problem"),
    "signatory": N_("Signatory the order form names"),
    "other_signer_confirmed_by": N_("Other signer confirmed by"),
}
"""The details kept with an event, by their key."""

HIDDEN = frozenset({"hash", "terms_hash", "version_hash", "message"})
"""Details not shown: hashes a person does not read, and a refusal's stored English
sentence (its reason is shown by its code)."""

_REFUSALS: dict[str, str] = {
    # a signed order form that was not recorded (services.lifecycle._refuse)
    "file": N_("the file cannot be read"),
    "not_an_order_form": N_("not an order form made by Quote Builder"),
    "other_quote": N_("the order form of another quote"),
    "not_sent": N_("the quote was never sent"),
    "other_version": N_("another version than the one sent"),
    "changed": N_("changed after it was signed"),
    "seller_signature": N_("the seller's signature does not verify"),
    "unsigned": N_("no customer signature"),
    "customer_signature": N_("the customer's signature does not verify"),
    "expired": N_("the quote had expired"),
    "status": N_("the quote was not in the sent status"),
    "other_signer": N_("signed by someone other than the signatory the order form names"),
    # a decision that was not accepted (services.approvals.DecisionRefusedError.code)
    "refused": N_("refused"),
    "malformed": N_("the decision file is malformed"),
    "bad_signature": N_("the decision's signature does not verify"),
    "untrusted_key": N_("signed with a key not trusted here"),
    "not_in_policy": N_("the key is not an approver in the policy"),
    "self_approval": N_("the requester cannot decide"),
    "authority": N_("beyond the approver's authority"),
    "other_policy": N_("made under another policy"),
    "policy_expired": N_("the policy is not valid"),
    "replayed": N_("the decision was already used"),
    "unknown_request": N_("a request not made here"),
    "already_decided": N_("the request was already decided"),
}
"""Why a signed order form or a decision was refused, by the code stored with it."""

_STATUS_RESETS: dict[str, str] = {
    "content changed": N_("content changed"),
    "valid-until changed": N_("valid-until date changed"),
    "re-issued (expired)": N_("re-issued (expired)"),
    "re-issued (lost)": N_("re-issued (lost)"),
}
"""The stored English reasons of a status reset (``status_reset``)."""

_METHODS = {
    "paper": N_("printed, signed and scanned (paper)"),
    "signed_pdf": N_("signed PDF, signature intact"),
    "signed_pdf_self_signed": N_(
        "signed PDF, signature intact; a self-signed certificate: it does not prove who signed"
    ),
}
_KINDS = {"renewal": N_("Renewal"), "expansion": N_("Expansion"), "amendment": N_("Amendment")}


def method_words(method: str) -> str:
    """How an acceptance was recorded (``services.lifecycle.acceptance_method``'s key), in
    the interface's language."""
    return _(_METHODS.get(method, _METHODS["signed_pdf"]))


def event_title(action: str) -> str:
    """ "Version saved": an event by its stored action (its own words when not known)."""
    english = ACTIONS.get(action)
    if english is not None:
        return _(english)
    from .labels import label

    return label(action)


def _moment_or_day(value: Any) -> str:
    from .service_words import day, moment

    if isinstance(value, str) and len(value) > 10 and "T" in value:
        try:
            return moment(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return day(value)


def detail_value(action: str, key: str, value: Any) -> str:
    """One stored detail's value in the interface's language (a request's reasons: see
    ``event_details``)."""
    from quote_builder.services import words

    from . import locale_format
    from .labels import label, lost_reason, role_title

    if value is None or value == "":
        return "—"
    if key in ("from", "to") and action == "valid_until_changed":
        return _moment_or_day(value)
    if key in ("from", "to", "decision"):
        return label(str(value))
    if key == "reason":
        if action == "quote_lost":
            return lost_reason(str(value), str(value))
        if action in ("acceptance_refused", "approval_decision_refused"):
            english = _REFUSALS.get(str(value))
            return _(english) if english is not None else str(value)
        english = _STATUS_RESETS.get(str(value))
        return _(english) if english is not None else str(value)
    if key in ("required_role", "approver_role"):
        return role_title(str(value))
    if key == "reasons" and isinstance(value, list) and all(isinstance(r, str) for r in value):
        # The English reasons an event recorded (their request's codes not at hand): as
        # recorded, their percents in the user's format ("25 %", not "25.00%").
        from .engine_words import english_sentence

        return joined(english_sentence(r) for r in value)
    if key == "method" and str(value) in _METHODS:
        return method_words(str(value))
    if key == "kind" and str(value) in _KINDS:
        return _(_KINDS[str(value)])
    if key in ("valid_until", "expires_at", "signed_at", "signed_on"):
        return _moment_or_day(value)
    if key in ("version", "request_id", "decision_id", "quote_number", "quote"):
        return str(value)
    if isinstance(value, str) and len(value) >= 40 and all(c in "0123456789abcdef" for c in value):
        return value[:16] + "…"  # a fingerprint or a digest
    return _text(words.value_text(value, locale_format.user_locale()))


def event_details(
    action: str,
    details: Mapping[str, Any],
    reasons: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The details of an event, each named and written in the interface's language.
    ``reasons``: the reasons of approval requests in the interface's language by request
    id (an event keeps them as the English sentences they were recorded as; the request
    keeps their codes)."""
    from quote_builder.services import words

    shown = []
    for key, value in details.items():
        if key in HIDDEN:
            continue
        english = DETAILS.get(key)
        name = _(english) if english is not None else words.humanize(str(key))
        written = (reasons or {}).get(str(details.get("request_id")))
        if key == "reasons" and written is not None and len(written) == len(value or []):
            text = joined(written)
        else:
            text = detail_value(action, key, value)
        shown.append(_("{field}: {value}").format(field=name, value=text))
    return ", ".join(shown)


def request_reasons(requests: Sequence[Any]) -> dict[str, list[str]]:
    """Each request's reasons in the interface's language, by its id (``RequestInfo``)."""
    from .engine_words import reason_texts

    return {r.request_id: reason_texts(r.reasons, r.reason_details) for r in requests}


__all__ = ["ACTIONS", "DETAILS", "FIELDS", "WORDS", "event_details", "event_title", "field_words"]
