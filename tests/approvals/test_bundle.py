"""The organisation's policy bundle: signing, verifying, and every way a bundle is
refused (forged, edited header, edited rules, malformed source)."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from quote_builder.approvals import ApprovalPolicy, keyfile, signing
from quote_builder.approvals import bundle as bundles

PASS = "organisation passphrase"
NOW = dt.datetime(2027, 1, 5, 12, 0, tzinfo=dt.UTC)


def keypair(name: str) -> tuple[bytes, str]:
    """Made at import, before tests/conftest.py lowers the scrypt cost: lower it here."""
    saved, keyfile.SCRYPT_N = keyfile.SCRYPT_N, 2**10
    try:
        return signing.generate_keypair(name, PASS)
    finally:
        keyfile.SCRYPT_N = saved


ORG = keypair("acme-org")
DANA = keypair("dana")
MAX = keypair("max")


def source(**changes: Any) -> dict[str, Any]:
    data = bundles.policy_source_template(
        ApprovalPolicy(), organisation="Acme Analytics", today=dt.date(2027, 1, 1)
    )
    data["approvers"] = [
        {"name": "Dana Whitfield", "role": "deal_desk", "public_key": f"ed25519 {DANA[1]} dana"},
        {"name": "Max Moreno", "role": "manager", "public_key": MAX[1]},
    ]
    data.update(changes)
    return data


def signed(**changes: Any) -> dict[str, Any]:
    return bundles.sign_policy(source(**changes), ORG[0], PASS, now=NOW)


def test_template_then_sign_then_verify() -> None:
    template = source()
    assert template["valid_until"] == "2027-12-31" and template["serial"] == 1
    bundle = signed()
    policy = bundles.verify_bundle(bundle)
    assert policy.organisation == "Acme Analytics"
    assert policy.org_fingerprint == signing.fingerprint(ORG[1])
    assert [(a.name, a.role) for a in policy.approvers] == [
        ("Dana Whitfield", "deal_desk"),
        ("Max Moreno", "manager"),
    ]
    assert policy.approval_policy() == ApprovalPolicy()  # the numbers round-trip exactly
    assert policy.fingerprint == bundles.policy_fingerprint(bundle["header"])
    assert policy.label.startswith(f"policy {policy.short} (serial 1), signed by Acme Analytics")


def test_the_public_part_hides_the_rules_and_still_verifies() -> None:
    bundle = signed()
    public = bundles.public_part(bundle)
    text = str(public)
    assert "rules" not in public and "margin_floor" not in text and "salt" not in text
    policy = bundles.verify_public(public)
    assert policy.rules is None and policy.fingerprint == bundles.verify_bundle(bundle).fingerprint
    with pytest.raises(bundles.PolicyBundleError, match="only the public part"):
        policy.approval_policy()


def test_the_commitment_is_salted() -> None:
    # The same rules signed twice give different commitments: the floor cannot be guessed
    # by hashing the few likely values.
    a, b = signed(), signed()
    assert a["header"]["rules_commitment"] != b["header"]["rules_commitment"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda b: b["header"]["discount_authority"].update(rep="100"),
            "signature does not verify",
        ),
        (
            lambda b: b["header"]["approvers"].append(
                {"name": "Rick Rep", "role": "deal_desk", "public_key": MAX[1]}
            ),
            "signature does not verify",
        ),
        (lambda b: b["header"].update(valid_until="2099-12-31"), "signature does not verify"),
        (lambda b: b["rules"].update(margin_floor_percent="10"), "rules do not match"),
        (lambda b: b.update(rules={**b["rules"], "salt": "00" * 16}), "rules do not match"),
        (lambda b: b.update(signature=b["signature"][:-6] + "AAAAA="), "signature does not verify"),
        (lambda b: b["header"].update(format_version=7), "format version 7"),
        (lambda b: b.pop("signature"), "not signed"),
        (lambda b: b.update(format="something else"), "not a Quote Builder policy bundle"),
    ],
)
def test_an_edited_bundle_is_refused(edit: Any, message: str) -> None:
    bundle = copy.deepcopy(signed())
    edit(bundle)
    with pytest.raises(bundles.PolicyBundleError, match=message):
        bundles.verify_bundle(bundle)


def test_a_forged_bundle_names_its_own_key() -> None:
    # A rep can sign a policy with a key of their own: it verifies (the signature is
    # genuine) but names another organisation key; installing and verify catch that.
    forged = bundles.sign_policy(source(), keypair("rick-org")[0], PASS, now=NOW)
    policy = bundles.verify_bundle(forged)
    assert policy.org_fingerprint != signing.fingerprint(ORG[1])


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"organisation": " "}, "organisation: give the organisation's name"),
        ({"serial": 0}, "serial: give a whole number from 1"),
        ({"serial": "2"}, "serial: give a whole number"),
        ({"valid_until": "2026-12-31"}, "valid_until: must not be before valid_from"),
        ({"valid_from": "next week"}, "valid_from: give a date as YYYY-MM-DD"),
        ({"discount_authority": {"rep": "10"}}, "discount_authority: give a percent for each"),
        (
            {"discount_authority": {"rep": "30", "manager": "20", "deal_desk": "100"}},
            "discount_authority.manager: must be at least the role before it",
        ),
        ({"margin_floor_percent": "120"}, "margin_floor_percent: must be from 0 to 100"),
        ({"max_term_months": 500}, "max_term_months: give a whole number from 1 to 120"),
        ({"custom_attribution_needs_approval": "yes"}, "give true or false"),
        ({"approvers": []}, "approvers: list at least one approver"),
        (
            {"approvers": [{"name": "A", "role": "cfo", "public_key": DANA[1]}]},
            "approvers[1].role: must be one of rep, manager, deal_desk",
        ),
        (
            {"approvers": [{"name": "A", "role": "manager", "public_key": "nope"}]},
            "approvers[1].public_key: no Ed25519 public key found",
        ),
        (
            {
                "approvers": [
                    {"name": "Dana", "role": "manager", "public_key": DANA[1]},
                    {"name": " dana ", "role": "manager", "public_key": MAX[1]},
                ]
            },
            "approvers[2].name: 'dana' is listed twice",
        ),
        ({"colour": "blue"}, "colour: not a policy field"),
    ],
)
def test_a_bad_source_is_refused_with_the_field(changes: dict[str, Any], problem: str) -> None:
    with pytest.raises(bundles.PolicyBundleError) as caught:
        bundles.sign_policy(source(**changes), ORG[0], PASS, now=NOW)
    assert problem in str(caught.value)


def test_a_wrong_organisation_passphrase() -> None:
    with pytest.raises(bundles.PolicyBundleError, match="organisation key: wrong passphrase"):
        bundles.sign_policy(source(), ORG[0], "not it at all", now=NOW)


def test_validity_days_are_inclusive() -> None:
    policy = bundles.verify_bundle(signed())
    first = dt.datetime(2027, 1, 1, 0, 0, tzinfo=dt.UTC)
    last = dt.datetime(2027, 12, 31, 23, 59, tzinfo=dt.UTC)
    assert policy.valid_at(first) and policy.valid_at(last)
    assert not policy.valid_at(last + dt.timedelta(minutes=1))
    assert "expired on 2027-12-31" in str(policy.validity_problem(last + dt.timedelta(days=1)))


# Authority: (approver role, effective discount %, role the policy required) -> allowed?
# Authority under the template: rep 10, manager 20, deal desk 100.
@pytest.mark.parametrize(
    ("role", "discount", "required", "allowed"),
    [
        ("manager", "15", "manager", True),  # 15 <= 20
        ("manager", "20", "manager", True),  # at the limit
        ("manager", "20.01", "manager", False),  # 20.01 > 20
        ("manager", "5", "deal_desk", False),  # margin floor: only the deal desk
        ("deal_desk", "45", "deal_desk", True),  # 45 <= 100
        ("rep", "12", "manager", False),  # a rep approves nothing that needs approval
    ],
)
def test_authority(role: str, discount: str, required: str, allowed: bool) -> None:
    policy = bundles.verify_bundle(signed())
    approver = bundles.Approver("X", role, DANA[1], signing.fingerprint(DANA[1]))
    problem = bundles.authority_problem(
        policy, approver, discount=Decimal(discount), required_role=required
    )
    assert (problem is None) is allowed, problem


def test_same_person_ignores_case_and_spaces() -> None:
    assert bundles.same_person("Dana  Whitfield ", "dana whitfield")
    assert not bundles.same_person("Dana", "Dana Whitfield")
    assert not bundles.same_person("", "")
