"""A quote's history as English words (the command line's ``quotes show``).

``quotes.audit_history`` gives the stored events: an action code and the details kept
with it as stored (``approval_request_superseded``, ``{"by_version": 3, "request_id":
"…"}``). Nothing a user reads may look like that: :func:`event_title` names the action
("Request superseded by a new version", ``words.AUDIT_LABELS``) and :func:`event_details`
names each detail and writes its value as a seller reads it ("Superseded by version: 3;
Request: d3bd19e9…", statuses as their labels, "Pending approval"). The desktop app words
the same events in the interface's language (``ui.history_words``, the same English).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from . import words

SHORT_ID = 8
"""How many characters of a request's or a decision's id the history shows: enough to tell
them apart on one quote (``approval status`` lists them whole)."""

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DIGEST = re.compile(r"[0-9a-f]{40,}")


def event_title(action: str) -> str:
    """ "Request superseded by a new version": an event by its stored action (a code not
    known gets its words, "Some action", never the code)."""
    return words.AUDIT_LABELS.get(action) or words.humanize(action)


def short_id(value: str) -> str:
    """A request's or a decision's id as the history shows it: ``d3bd19e9…``."""
    return value[:SHORT_ID] + "…" if _UUID.fullmatch(value) else value


def _value(action: str, key: str, value: Any, locale: str) -> str:
    from .contracts import KIND_WORDS
    from .lifecycle import LOST_REASONS, METHOD_WORDS

    if key in ("from", "to", "decision") and isinstance(value, str):
        return words.label(value) if action != "valid_until_changed" else value
    if key in ("required_role", "approver_role") and isinstance(value, str):
        return words.label(value)
    if key == "reason" and action == "quote_lost":
        return LOST_REASONS.get(str(value), str(value))
    if key == "method" and str(value) in METHOD_WORDS:
        return METHOD_WORDS[str(value)]
    if key == "kind" and str(value) in KIND_WORDS:
        return KIND_WORDS[str(value)]
    if key in ("valid_until", "expires_at", "signed_at", "signed_on", "from", "to"):
        if isinstance(value, str) and len(value) > 10 and "T" in value:
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
            if moment.tzinfo is not None:
                moment = moment.astimezone(dt.UTC)
            return f"{moment:%Y-%m-%d %H:%M} UTC"
        return str(value)
    if key in ("request_id", "decision_id") and isinstance(value, str):
        return short_id(value)
    if key in ("version", "by_version", "quote_number", "quote"):
        return str(value)
    if key == "reasons" and isinstance(value, list) and all(isinstance(r, str) for r in value):
        return "; ".join(words.percents_written(r, locale).rstrip(".") for r in value)
    if isinstance(value, str) and _DIGEST.fullmatch(value):
        return value[:16] + "…"  # a fingerprint or a digest
    return str(words.value_text(value, locale))


def event_details(action: str, details: Mapping[str, Any], locale: str = "en_US") -> str:
    """The details of an event, each named ("Version: 2; From: Pending approval; To:
    Draft; Reason: content changed"): the ones a seller reads first (version, from, to,
    in ``words.HISTORY_DETAILS``' order), then the others; hashes and empty values left
    out. A refusal shows its stored sentence as its reason (the code is for the app)."""
    order = list(words.HISTORY_DETAILS)
    keys = sorted(details, key=lambda k: (order.index(k) if k in order else len(order), str(k)))
    shown = []
    for key in keys:
        value = details[key]
        if key in words.HISTORY_HIDDEN or value is None or value in ("", [], {}):
            continue
        if key == "reason" and isinstance(details.get("message"), str) and details["message"]:
            value = str(details["message"]).rstrip(".")
        if key == "decision_id" and details.get("decision"):
            continue  # named with the decision: "Decision: Approved (a18d4273…)"
        name = words.HISTORY_DETAILS.get(key) or words.humanize(str(key))
        text = _value(action, str(key), value, locale)
        if key == "decision" and isinstance(details.get("decision_id"), str):
            text += f" ({short_id(details['decision_id'])})"
        shown.append(f"{name}: {text}")
    return "; ".join(shown)  # a value may hold commas ("printed, signed and scanned")


__all__ = ["event_details", "event_title", "short_id"]
