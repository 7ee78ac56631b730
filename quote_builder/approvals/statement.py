"""The approval statement: the part of a decision that may travel with a customer's PDF.

A decision's payload is the deal desk's record: it carries the reasons ("the gross margin
in year 2 is 48 %, below the 60 % floor"), the comment and the policy's numbers, none of
which may reach a prospect. So the approver signs two things with the same key: the
payload, and this statement, which holds only what ``verify`` needs: quote number,
version, the version's hash and the customer-facing terms' hash, the decision, the
approver (name, role, key fingerprint), the requester, when it was decided and until
when it holds, the conditions (which the customer sees), the effective discount, the
role the policy required and the policy's fingerprint.

The statement is a projection of the payload (``statement_from_payload``), so the rep's
app rebuilds it from the payload it verified and checks the second signature over
exactly that; nothing in a decision file is taken as written.

A quote that needed no approval gets an unsigned statement (``not_required_statement``):
it says so, with the fingerprint of the policy that judged it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from . import signing

STATEMENT_FORMAT = "quote-builder/approval-statement"
STATEMENT_FILE = "approval-statement.json"
POLICY_FILE = "policy.json"
NOT_REQUIRED = "not_required"


def statement_from_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The public statement of a (format version 2) decision payload."""
    approver = payload["approver"]
    requester = payload.get("requester") or {"name": "", "key_fingerprints": []}
    return {
        "format": STATEMENT_FORMAT,
        "format_version": 1,
        "decision_id": payload["decision_id"],
        "quote_number": payload["quote_number"],
        "version": payload["version"],
        "version_hash": payload["version_hash"],
        "terms_hash": payload.get("terms_hash", ""),
        "decision": payload["decision"],
        "approver": {
            "name": approver["name"],
            "role": approver.get("role"),
            "fingerprint": approver["fingerprint"],
        },
        "requester": {
            "name": requester.get("name", ""),
            "key_fingerprints": list(requester.get("key_fingerprints", [])),
        },
        "decided_at": payload["decided_at"],
        "expires_at": payload["expires_at"],
        "conditions": list(payload["conditions"]),
        "discount_percent": payload.get("discount_percent", "0"),
        "required_role": payload.get("required_role"),
        "policy_fingerprint": payload.get("policy_fingerprint"),
    }


def not_required_statement(
    *,
    quote_number: str,
    version: int,
    version_hash: str,
    terms_hash: str,
    discount_percent: str,
    policy_fingerprint: str | None,
    evaluated_at: dt.datetime,
) -> dict[str, Any]:
    return {
        "format": STATEMENT_FORMAT,
        "format_version": 1,
        "decision": NOT_REQUIRED,
        "quote_number": quote_number,
        "version": version,
        "version_hash": version_hash,
        "terms_hash": terms_hash,
        "discount_percent": discount_percent,
        "policy_fingerprint": policy_fingerprint,
        "evaluated_at": signing.iso_utc(evaluated_at),
    }


def statement_file(statement: Mapping[str, Any], signature: str | None) -> dict[str, Any]:
    """What the PDF attaches as approval-statement.json."""
    return {"statement": dict(statement), "signature": signature}
