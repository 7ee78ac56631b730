"""`verify` on final PDFs, without the rep's database: a good one, a tampered one, a
self-approved one, one that needed no approval, and the ways each check fails."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from quote_builder.approvals import bundle as bundles
from quote_builder.approvals import signing
from quote_builder.approvals.statement import statement_file
from quote_builder.documents import render_pdf
from quote_builder.documents.viewmodel import EmbeddedFile
from quote_builder.pricing import price
from quote_builder.services import approvals as svc
from quote_builder.services import keys as key_svc
from quote_builder.services import policy as policy_svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services.documents import Rendered, render_for_sending, render_saved_quote
from quote_builder.services.verify import check_pages, read_attachments, verify_pdf
from quote_builder.store.database import Database, open_database
from tests.lifecycle_helpers import finalise

from .governance_helpers import PASS, Org, make_org
from .helpers import customer, document, name_the_seller


@pytest.fixture
def org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Org:
    return make_org(tmp_path, monkeypatch)


@pytest.fixture
def rep(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "rep.db"))
    name_the_seller(database)  # a final order form names its seller
    yield database
    database.close()


def lines(report: Any) -> dict[str, tuple[bool, str]]:
    return {c.name: (c.ok, c.message) for c in report.checks}


def approved_pdf(rep: Database, org: Org, percent: str = "24", key: str = "dana") -> Rendered:
    """A quote approved on a shared database under the organisation's policy, rendered
    final as PDF/A (the terms attached)."""
    policy_svc.install_policy(rep, org.bundle(), actor="it")
    customer(rep)
    row = quote_svc.create_quote(
        rep, document(discounts=[{"description": "Launch", "percent": percent}]), actor="rick"
    ).value
    svc.request_approval(rep, row.number, actor="rick")
    with org.on_desk():
        svc.decide(
            rep,
            row.number,
            approve=True,
            key_name=key,
            passphrase=PASS,
            actor="dana",
            conditions=["Signed by 31 March"],
        )
    # The final copy as Finalise renders it (a plain render of an approved quote that was
    # not sent is a draft: final_state, "final.not_sent").
    return render_saved_quote(rep, row.number, kind="proposal", pdf_a=True, finalising=True)


def test_a_good_pdf_passes_every_check(rep: Database, org: Org) -> None:
    rendered = approved_pdf(rep, org)
    # The final render, not signed (Finalise signs it): its content checked alone.
    report = verify_pdf(None, rendered.result.pdf, org_key=org.org.public_line, content_only=True)
    checks = lines(report)
    assert report.ok, checks
    assert list(checks) == [
        "quote",
        "terms",
        "pages",  # faults2: what the pages print is what was approved
        "policy",
        "organisation",
        "decision",
        "approver",
        "signature",
        "authority",
        "timing",
        "separation",
        "seller signature",  # issue 15: verify also reports the PDF signatures
    ]
    assert checks["seller signature"] == (
        True,
        "not checked (content only): the PDF carries no seller signature, so only the "
        "approval, the terms and the pages' text above were checked",
    )
    # Without asking for the content only, an unsigned final PDF fails: it is not the file
    # the seller sent.
    unsigned = verify_pdf(None, rendered.result.pdf, org_key=org.org.public_line)
    assert not unsigned.ok
    assert [c.name for c in unsigned.checks if not c.ok] == ["seller signature"]
    number, short = rendered.quote_number, checks["terms"][1][-13:-1]
    assert checks["pages"][1].startswith(
        f"all {len(PdfReader(io.BytesIO(rendered.result.pdf)).pages)} pages print {number}, and "
        f"the terms fingerprint printed is the approved {short}…"
    )
    assert checks["approver"][1] == "Dana Whitfield, deal desk, listed in the policy"
    assert checks["separation"][1] == "requested by rick, approved by Dana Whitfield"
    assert (
        "24% discount, needing the deal desk, within the deal desk's authority"
        in (checks["authority"][1])
    )
    # The customer's copy proves the discount within the authority without giving any
    # role's authority (a buyer would know how far to push): only a hash-chain proof.
    policy_file = json.loads(read_attachments(rendered.result.pdf)["policy.json"])
    assert "discount_authority" not in json.dumps(policy_file)
    assert policy_file["authority_proof"]["role"] == "deal_desk"
    assert policy_file["authority_proof"]["basis_points"] == 2400  # 24.00 % rounded up
    # The organisation key can come from the verifier's own database (the deal desk's).
    assert verify_pdf(rep, rendered.result.pdf, content_only=True).ok


def test_without_an_organisation_key_it_fails(rep: Database, org: Org, tmp_path: Path) -> None:
    rendered = approved_pdf(rep, org)
    report = verify_pdf(None, rendered.result.pdf)
    assert not report.ok
    assert lines(report)["organisation"][0] is False
    assert "give the organisation's public key (--org-key)" in lines(report)["organisation"][1]
    empty = open_database(str(tmp_path / "finance.db"))  # a database without a policy
    assert not verify_pdf(empty, rendered.result.pdf).ok
    empty.close()


def test_a_pdf_whose_terms_were_changed(rep: Database, org: Org) -> None:
    rendered = approved_pdf(rep, org)
    changed = rendered.request.document.model_copy(
        update={
            "discounts": [
                d.model_copy(update={"percent": Decimal("40")})
                for d in rendered.request.document.discounts
            ]
        }
    )
    forged = dataclasses.replace(rendered.request, document=changed, priced=price(changed))
    pdf = render_pdf(forged, "proposal", pdf_a=True).pdf
    report = verify_pdf(None, pdf, org_key=org.org.public_line, content_only=True)
    assert not report.ok
    ok, message = lines(report)["terms"]
    assert not ok and "the terms were changed after the decision" in message
    # The pages print the changed terms' fingerprint, not the approved one.
    ok, message = lines(report)["pages"]
    assert not ok and "the pages show other terms than the ones approved" in message
    assert all(ok for name, (ok, _m) in lines(report).items() if name not in ("terms", "pages"))


def _pages_with_attachments(pages_of: bytes, attachments_of: bytes, *more: bytes) -> bytes:
    """The forger's PDF: the pages of one PDF (and of ``more``), the attachments of another."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for pdf in (pages_of, *more):
        for page in PdfReader(io.BytesIO(pdf)).pages:
            writer.add_page(page)
    for name, data in read_attachments(attachments_of).items():
        writer.add_attachment(name, data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pages_of_an_unapproved_quote_with_an_approved_ones_attachments_fail(
    rep: Database, org: Org
) -> None:
    """The fault campaign's forgery: every attachment (terms, statement, policy) of an
    approved quote's PDF under the pages of another quote that was never approved."""
    approved = approved_pdf(rep, org)
    other = quote_svc.create_quote(
        rep, document(discounts=[{"description": "Launch", "percent": "40"}]), actor="rick"
    ).value
    unapproved = render_saved_quote(rep, other.number, kind="proposal").result.pdf
    forged = _pages_with_attachments(unapproved, approved.result.pdf)
    report = verify_pdf(None, forged, org_key=org.org.public_line, content_only=True)
    checks = lines(report)
    assert not report.ok
    assert checks["pages"] == (
        False,
        f"page 1 does not print the quote number {approved.quote_number}: it "
        "comes from another document, or cannot be read as text",
    )
    # Everything the attachments carry still checks: only the pages betray the forgery.
    assert all(ok for name, (ok, _m) in checks.items() if name != "pages")
    # The same pages with a page of another quote added at the end fail too.
    added = _pages_with_attachments(approved.result.pdf, approved.result.pdf, unapproved)
    ok, message = lines(verify_pdf(None, added, org_key=org.org.public_line))["pages"]
    count = len(PdfReader(io.BytesIO(approved.result.pdf)).pages)
    assert not ok and message.startswith(f"page {count + 1} does not print the quote number")


def test_pages_of_the_same_quote_with_other_terms_fail(rep: Database, org: Org) -> None:
    approved = approved_pdf(rep, org)
    changed = approved.request.document.model_copy(update={"discounts": []})
    request = dataclasses.replace(approved.request, document=changed, priced=price(changed))
    other_terms = render_pdf(request, "proposal", pdf_a=True).pdf
    forged = _pages_with_attachments(other_terms, approved.result.pdf)
    ok, message = lines(verify_pdf(None, forged, org_key=org.org.public_line))["pages"]
    assert not ok
    assert message.startswith("page 1 prints the terms fingerprint ")
    assert message.endswith("the pages show other terms than the ones approved")


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["Q-7, version 2 " + "ab" * 32, "Q-7 · version 2"], None),
        (["Q-7、第2版 " + "ab" * 32], None),
        (["Q-7, version 1 " + "ab" * 32], "page 1 prints Q-7 version 1, but version 2"),
        (["Q-7 " + "ab" * 32, "Q-8 · version 2"], "page 2 does not print the quote number Q-7"),
        (["Q-7 · version 2"], "no page prints the approved terms fingerprint abababababab…"),
        (["Q-7 " + "AB" * 32 + " " + "cd" * 32], "page 1 prints the terms fingerprint cdcd"),
        (["Q-7 " + "ab" * 32 + " policy " + "ef" * 32], None),
        ([], "the PDF has no pages"),
        (None, "the pages' text cannot be read"),
    ],
)
def test_the_page_check_reads_number_version_and_fingerprint(
    texts: list[str] | None, expected: str | None
) -> None:
    statement = {"quote_number": "Q-7", "version": 2, "terms_hash": "ab" * 32}
    check = check_pages(texts, statement, {"ef" * 32})
    assert check.ok is (expected is None), check.message
    if expected is not None:
        assert check.message.startswith(expected), check.message


def _with_attachments(rendered: Rendered, files: list[EmbeddedFile]) -> bytes:
    request = dataclasses.replace(rendered.request, attachments=tuple(files))
    return render_pdf(request, "proposal", pdf_a=True).pdf


def _attachment(rendered: Rendered, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        next(a.text for a in rendered.request.attachments if a.name == name)
    )
    return data


def test_an_edited_statement_fails_its_signature(rep: Database, org: Org) -> None:
    rendered = approved_pdf(rep, org)
    wrapper = _attachment(rendered, "approval-statement.json")
    wrapper["statement"]["conditions"] = []  # drop the customer's condition
    policy = next(a for a in rendered.request.attachments if a.name == "policy.json")
    pdf = _with_attachments(
        rendered, [EmbeddedFile("approval-statement.json", "", json.dumps(wrapper)), policy]
    )
    report = verify_pdf(None, pdf, org_key=org.org.public_line)
    assert lines(report)["signature"] == (
        False,
        "the statement's signature does not verify: it was changed",
    )


def _signed_statement(
    base: dict[str, Any], key: str, directory: Path, **changes: Any
) -> dict[str, Any]:
    statement = {**base, **changes}
    _data, private, _public = key_svc.open_key(key, PASS, directory=directory)
    return statement_file(statement, signing.sign_with(private, statement))


def test_a_self_approved_pdf_fails_separation(rep: Database, org: Org) -> None:
    # Max (manager, in the policy) asked for a 15 % discount and signed the approval
    # himself, outside the app (the app refuses it).
    rendered = approved_pdf(rep, org, percent="15", key="max")
    base = _attachment(rendered, "approval-statement.json")["statement"]
    assert base["approver"]["name"] == "Max Moreno"
    forged = _signed_statement(
        base, "max", org.desk_keys, requester={"name": "max moreno", "key_fingerprints": []}
    )
    policy = next(a for a in rendered.request.attachments if a.name == "policy.json")
    pdf = _with_attachments(
        rendered, [EmbeddedFile("approval-statement.json", "", json.dumps(forged)), policy]
    )
    report = verify_pdf(None, pdf, org_key=org.org.public_line)
    checks = lines(report)
    assert checks["separation"] == (False, "max moreno asked for this approval and approved it")
    assert checks["signature"][0] and checks["approver"][0] and checks["authority"][0]


@pytest.mark.parametrize(
    "requester", ["Dana Whitfield\u200b", "Dan\u0430 Whitfield", "\u2067Dana Whitfield"]
)
def test_a_requester_name_that_only_looks_different_fails_separation(
    rep: Database, org: Org, requester: str
) -> None:
    """A statement signed by Dana naming as requester 'Dana Whitfield' with an invisible
    character (or a Cyrillic letter): the fault campaign saw "requested by Dana Whitfield​,
    approved by Dana Whitfield" pass."""
    rendered = approved_pdf(rep, org)
    base = _attachment(rendered, "approval-statement.json")["statement"]
    forged = _signed_statement(
        base, "dana", org.desk_keys, requester={"name": requester, "key_fingerprints": []}
    )
    policy = next(a for a in rendered.request.attachments if a.name == "policy.json")
    pdf = _with_attachments(
        rendered, [EmbeddedFile("approval-statement.json", "", json.dumps(forged)), policy]
    )
    checks = lines(verify_pdf(None, pdf, org_key=org.org.public_line))
    ok, message = checks["separation"]
    assert not ok and message.startswith(f"the requester's name {requester!r} ")
    assert message.endswith("cannot show that the requester is not the approver")
    assert checks["signature"][0]


def test_a_discount_beyond_what_the_proof_covers_fails_authority(rep: Database, org: Org) -> None:
    # Max (manager, 20 % authority) approved 15 %; a statement re-signed by Max claiming
    # 25 % finds no proof for it: the PDF's proof covers 1500 basis points only.
    rendered = approved_pdf(rep, org, percent="15", key="max")
    base = _attachment(rendered, "approval-statement.json")["statement"]
    forged = _signed_statement(base, "max", org.desk_keys, discount_percent="25.00")
    policy = next(a for a in rendered.request.attachments if a.name == "policy.json")
    pdf = _with_attachments(
        rendered, [EmbeddedFile("approval-statement.json", "", json.dumps(forged)), policy]
    )
    checks = lines(verify_pdf(None, pdf, org_key=org.org.public_line))
    assert checks["signature"][0]
    assert checks["authority"] == (
        False,
        "nothing in the document shows the 25% discount within the manager's authority",
    )


def test_a_rep_made_organisation_fails_the_organisation_check(
    rep: Database, org: Org, tmp_path: Path
) -> None:
    """The rep builds a whole organisation of their own: a key, a policy naming
    themselves as the deal desk, and a self-signed approval."""
    rendered = approved_pdf(rep, org)
    rick_keys = tmp_path / "rick-keys"
    key_svc.create_key("rick-org", PASS, directory=rick_keys)
    rick = key_svc.create_key("rick", PASS, directory=rick_keys)
    source = org.source(
        approvers=[{"name": "Rick Rep", "role": "deal_desk", "public_key": rick.public_line}]
    )
    data, _p, _k = key_svc.open_key("rick-org", PASS, directory=rick_keys)
    own = bundles.sign_policy(source, data, PASS, now=signing.parse_iso_utc("2026-11-01T00:00:00Z"))
    public = bundles.public_part(own)
    base = _attachment(rendered, "approval-statement.json")["statement"]
    forged = _signed_statement(
        base,
        "rick",
        rick_keys,
        approver={"name": "Rick Rep", "role": "deal_desk", "fingerprint": rick.fingerprint},
        requester={"name": "Rick Rep", "key_fingerprints": [rick.fingerprint]},
        policy_fingerprint=bundles.policy_fingerprint(own["header"]),
    )
    pdf = _with_attachments(
        rendered,
        [
            EmbeddedFile("approval-statement.json", "", json.dumps(forged)),
            EmbeddedFile("policy.json", "", json.dumps(public)),
        ],
    )
    report = verify_pdf(None, pdf, org_key=org.org.public_line)
    checks = lines(report)
    assert not report.ok
    assert (
        checks["organisation"][0] is False
        and "not your organisation's policy" in (checks["organisation"][1])
    )
    assert checks["separation"][0] is False
    assert checks["signature"][0]  # genuinely signed... by nobody the organisation knows


def test_a_pdf_that_needed_no_approval(rep: Database, org: Org) -> None:
    policy_svc.install_policy(rep, org.bundle(), actor="it")
    customer(rep)
    row = quote_svc.create_quote(
        rep, document(discounts=[{"description": "Loyalty", "percent": "5"}]), actor="rick"
    ).value
    # The final render Finalise signs (a draft that needs no approval renders final when
    # finalising); once sent, the version is frozen and a new render of it is a draft.
    rendered = render_for_sending(rep, row.number)
    sent = finalise(rep, row)  # sent, with its final PDF kept (issue 15)
    assert verify_pdf(None, sent.pdf, org_key=org.org.public_line).ok
    assert not render_saved_quote(rep, row.number, kind="proposal").final
    assert rendered.final and "No approval needed under Acme Analytics's policy" in (
        rendered.request.approval_note
    )
    report = verify_pdf(None, rendered.result.pdf, org_key=org.org.public_line, content_only=True)
    checks = lines(report)
    assert report.ok, checks
    assert checks["approval"][1].startswith("none needed: judged on")
    assert "the discount 5% within the rep's authority" in checks["approval"][1]
    # A "not required" statement claiming more than the rep's authority fails.
    wrapper = _attachment(rendered, "approval-statement.json")
    wrapper["statement"]["discount_percent"] = "30"
    policy = next(a for a in rendered.request.attachments if a.name == "policy.json")
    pdf = _with_attachments(
        rendered, [EmbeddedFile("approval-statement.json", "", json.dumps(wrapper)), policy]
    )
    assert (
        "nothing shows the 30% discount within the rep's authority"
        in lines(verify_pdf(None, pdf, org_key=org.org.public_line))["approval"][1]
    )


def test_drafts_and_non_pdfs(rep: Database, org: Org) -> None:
    policy_svc.install_policy(rep, org.bundle(), actor="it")
    customer(rep)
    row = quote_svc.create_quote(rep, document(), actor="rick").value
    draft = render_saved_quote(rep, row.number, kind="proposal", pdf_a=True)
    report = verify_pdf(None, draft.result.pdf, org_key=org.org.public_line)
    assert not report.ok and "carries no approval statement" in report.checks[0].message
    assert verify_pdf(None, b"%PDF-1.7 nonsense").checks[0].name == "file"
    assert not verify_pdf(None, b"hello").ok


def test_a_final_pdf_without_the_terms_attached(rep: Database, org: Org) -> None:
    """Every PDF attaches its terms; a copy with the attachment stripped out cannot be
    checked against the signed hash, and verify says so."""
    from pypdf import PdfReader, PdfWriter

    rendered = approved_pdf(rep, org)
    reader = PdfReader(io.BytesIO(rendered.result.pdf))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    for name, contents in reader.attachments.items():
        if name != "terms.json":
            writer.add_attachment(name, contents[0])
    stripped = io.BytesIO()
    writer.write(stripped)
    checks = lines(verify_pdf(None, stripped.getvalue(), org_key=org.org.public_line))
    assert checks["terms"][0] is False and "carries no copy of the terms" in checks["terms"][1]


def test_an_unverified_approval_says_so(rep: Database, org: Org) -> None:
    """No organisation policy: keys trusted by hand. The PDF is final for the seller,
    but verify says the approval is unverified."""
    customer(rep)
    row = quote_svc.create_quote(
        rep, document(discounts=[{"description": "x", "percent": "24"}]), actor="rick"
    ).value
    svc.request_approval(rep, row.number, actor="rick")
    svc.add_trusted_key(rep, "Dana", org.dana.public_line, actor="rick")
    with org.on_desk():
        svc.decide(rep, row.number, approve=True, key_name="dana", passphrase=PASS, actor="dana")
    rendered = render_saved_quote(rep, row.number, kind="proposal", pdf_a=True, finalising=True)
    # The buyer's copy does not print the seller's trust arrangements; verify says it.
    assert rendered.final and rendered.request.approval_note.startswith("by Dana")
    assert "unverified" not in rendered.request.approval_note
    checks = lines(verify_pdf(None, rendered.result.pdf, org_key=org.org.public_line))
    assert checks["policy"][0] is False and "unverified" in checks["policy"][1]


# --- command line --------------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    from quote_builder.cli import main

    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_cli_verify_prints_a_line_per_check(
    rep: Database, org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered = approved_pdf(rep, org)
    good = tmp_path / "good.pdf"
    good.write_bytes(rendered.result.pdf)
    org_pub = org.desk_keys / "acme-org.pub"
    monkeypatch.setenv("QUOTE_BUILDER_DB", str(tmp_path / "nowhere.db"))
    code, out, err = run("verify", str(good), "--org-key", str(org_pub), "--content-only")
    assert (code, err) == (0, ""), out
    assert out.splitlines()[1].startswith("OK    terms: the attached terms hash to the signed")
    assert out.splitlines()[-1] == "Verified: every check passed."
    # Not signed by the seller (a render, not the file Finalise signed and sent): without
    # --content-only it fails on that line alone, and says how to check the content.
    code, out, err = run("verify", str(good), "--org-key", str(org_pub))
    assert (code, err) == (1, ""), out
    assert [line[6:].split(":")[0] for line in out.splitlines() if line.startswith("FAIL")] == [
        "seller signature"
    ]
    # After the verdict, the advice as one sentence, wrapped to 80 columns.
    printed = out.splitlines()
    assert printed[printed.index("NOT verified: see FAIL above.") + 1 :] == [
        "Only the seller's signature is missing: to check the approval, the terms and the",
        "  pages' text alone, run verify again with --content-only.",
    ]
    assert not (tmp_path / "nowhere.db").exists()  # verify never creates a database
    code, out, _ = run("verify", str(good))
    assert code == 1 and "FAIL  organisation: nothing to compare" in out
    code, out, _ = run("verify", str(good), "--db", str(tmp_path / "rep.db"), "--content-only")
    assert code == 0, out  # the organisation key of the policy installed there
    code, _, err = run("verify", str(tmp_path / "missing.pdf"))
    assert code == 2 and "missing.pdf: No such file." in err


def test_cli_verify_of_a_file_that_is_not_a_pdf_is_bad_input(tmp_path: Path) -> None:
    # A quote file, a truncated PDF and an empty file: one sentence naming the file, exit 2
    # (bad input), no exception name.
    cases = {
        "q.json": b'{"customer": {"name": "Acme"}}',
        "cut.pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog",
        "empty.pdf": b"",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        code, out, err = run("verify", str(path))
        assert code == 2 and out == "", (name, out)
        assert err.startswith(f"{path}: It cannot be read as a PDF"), err
        assert "Error" not in err and "Traceback" not in err


def test_a_japanese_final_pdf_passes_the_page_check(rep: Database, org: Org) -> None:
    """Japanese writes the quote and version as "Q-2026-0001、第1版": the page check reads
    it (de, fr and es were walked by hand the same way)."""
    policy_svc.install_policy(rep, org.bundle(), actor="it")
    customer(rep)
    doc = document(language="ja", discounts=[{"description": "Launch", "percent": "24"}])
    row = quote_svc.create_quote(rep, doc, actor="rick").value
    svc.request_approval(rep, row.number, actor="rick")
    with org.on_desk():
        svc.decide(rep, row.number, approve=True, key_name="dana", passphrase=PASS, actor="dana")
    pdf = render_for_sending(rep, row.number).result.pdf
    report = verify_pdf(None, pdf, org_key=org.org.public_line, content_only=True)
    assert report.ok, lines(report)
    assert lines(report)["pages"][1].startswith(f"all {len(PdfReader(io.BytesIO(pdf)).pages)} ")


def test_an_approval_is_valid_no_longer_than_its_policy(rep: Database, org: Org) -> None:
    """An approval without an expiry holds until its policy ends: `timing` says so, and a
    PDF checked after the policy's end fails it (an expired policy's approval does not
    count)."""
    import datetime as dt

    from .governance_helpers import TODAY

    end = TODAY + dt.timedelta(days=335)  # the helper's policy ends then
    pdf = approved_pdf(rep, org).result.pdf
    ok, message = lines(verify_pdf(None, pdf, org_key=org.org.public_line))["timing"]
    assert ok and message.endswith(f", valid until {end.isoformat()}"), message
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(9), dt.UTC)
    ok, message = lines(verify_pdf(None, pdf, org_key=org.org.public_line, now=after))["timing"]
    assert not ok and message == f"the approval held until {end.isoformat()} and has expired"
