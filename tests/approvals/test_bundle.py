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
            lambda b: b["header"]["authority_commitments"].update(rep="0" * 64),
            "signature does not verify",
        ),
        (
            lambda b: b["rules"]["discount_authority"]["rep"].update(percent="100"),
            "rules do not match",
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


# --- discount authority proved without disclosing it -------------------------------------


def test_the_public_part_does_not_disclose_the_authority() -> None:
    # Rep 10 %, manager 20 %, deal desk 100 % (the template's figures): none of them, nor
    # the seeds, is in what a customer's PDF carries.
    bundle = signed()
    public = bundles.public_part(bundle)
    text = str(public)
    assert "discount_authority" not in text and "seed" not in text
    policy = bundles.verify_public(public)
    assert policy.discount_authority == {}
    assert set(policy.authority_commitments) == {"rep", "manager", "deal_desk"}
    # The full bundle still gives the seller every figure, checked against the chains.
    full = bundles.verify_bundle(bundle)
    assert full.discount_authority == {
        "rep": Decimal(10),
        "manager": Decimal(20),
        "deal_desk": Decimal(100),
    }


@pytest.mark.parametrize(
    ("role", "discount", "provable"),
    [
        # manager's authority 20 % = 2000 basis points; a proof exists for d <= 2000
        ("manager", Decimal("0"), True),  # 0 bp: x is the chain end itself
        ("manager", Decimal("12.5"), True),  # 1250 bp: x = SHA-256^(2000-1250)(seed)
        ("manager", Decimal("20"), True),  # 2000 bp: x = seed
        ("manager", Decimal("19.999"), True),  # rounded up to 2000 bp
        ("manager", Decimal("20.001"), False),  # 2001 bp > 2000
        ("rep", Decimal("10"), True),  # rep 10 % = 1000 bp
        ("rep", Decimal("10.01"), False),  # 1001 bp > 1000
        ("deal_desk", Decimal("100"), True),  # 10000 bp
    ],
)
def test_a_proof_exists_exactly_when_the_discount_is_within_the_authority(
    role: str, discount: Decimal, provable: bool
) -> None:
    bundle = signed()
    full = bundles.verify_bundle(bundle)
    proof = bundles.authority_proof(full, role, discount)
    assert (proof is not None) is provable
    if proof is None:
        return
    public = bundles.verify_public(bundles.public_part(bundle, proof=proof))
    assert bundles.proves_authority(public, proof, role, discount)
    # SHA-256 applied (discount in basis points) times to the proof gives the chain end.
    assert (
        bundles._chain(proof["value"], proof["basis_points"])
        == (public.authority_commitments[role])
    )


def test_a_proof_does_not_stretch() -> None:
    bundle = signed()
    public = bundles.verify_public(bundles.public_part(bundle))
    proof = bundles.authority_proof(bundles.verify_bundle(bundle), "manager", Decimal("10"))
    assert proof is not None and proof["basis_points"] == 1000
    # A proof for 10 % says nothing about 12 %; claiming more steps breaks the chain.
    assert not bundles.proves_authority(public, proof, "manager", Decimal("12"))
    assert not bundles.proves_authority(
        public, {**proof, "basis_points": 1200}, "manager", Decimal("12")
    )
    # It is the manager's chain, not the rep's; an edited value fails; so does another
    # policy's chain.
    assert not bundles.proves_authority(public, {**proof, "role": "rep"}, "rep", Decimal("10"))
    assert not bundles.proves_authority(
        public, {**proof, "value": "00" * 32}, "manager", Decimal("10")
    )
    other = bundles.verify_public(bundles.public_part(signed()))
    assert not bundles.proves_authority(other, proof, "manager", Decimal("10"))
    for junk in (None, "x", {**proof, "value": "zz" * 32}, {**proof, "basis_points": True}):
        assert not bundles.proves_authority(public, junk, "manager", Decimal("10"))


def test_a_full_bundle_whose_authority_breaks_its_chain_is_refused() -> None:
    # Rules whose authority does not end in the header's chain are refused even when the
    # header (with the new rules' commitment) carries a good signature: the rep's 50 %
    # would otherwise be what the app enforces while PDFs prove against 10 %.
    private = keyfile.decrypt_private_key(ORG[0], PASS)
    bundle = signed()
    rules = copy.deepcopy(bundle["rules"])
    rules["discount_authority"]["rep"]["percent"] = "50"
    header = {**bundle["header"], "rules_commitment": bundles.rules_commitment(rules)}
    edited = {**bundle, "rules": rules, "header": header, "signature": ""}
    edited["signature"] = bundles._sign(private, header)
    with pytest.raises(bundles.PolicyBundleError, match="rep's discount authority does not"):
        bundles.verify_bundle(edited)
    # Without a new signature the header edit alone is caught.
    unsigned = {**edited, "signature": bundle["signature"]}
    with pytest.raises(bundles.PolicyBundleError, match="signature does not verify"):
        bundles.verify_bundle(unsigned)
    source_ = source(discount_authority={"rep": "10.005", "manager": "20", "deal_desk": "100"})
    with pytest.raises(bundles.PolicyBundleError, match="at most two decimals"):
        bundles.sign_policy(source_, ORG[0], PASS, now=NOW)


def test_a_format_1_policy_is_still_read() -> None:
    # Policies signed before the chains list the authority in the header.
    private = keyfile.decrypt_private_key(ORG[0], PASS)
    header = copy.deepcopy(signed()["header"])
    header.pop("authority_commitments")
    header["format_version"] = 1
    header["discount_authority"] = {"rep": "10", "manager": "20", "deal_desk": "100"}
    public = {"format": bundles.PUBLIC_FORMAT, "header": header, "signature": ""}
    public["signature"] = bundles._sign(private, header)
    policy = bundles.verify_public(public)
    assert policy.discount_authority["manager"] == Decimal(20)
    assert policy.authority_commitments == {}
