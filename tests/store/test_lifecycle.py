"""A deal's life (issue 15): finalise and send, the customer's signature, paper
acceptances, lost, expired and re-issued; every transition and every refusal, and signed
PDFs tampered with at each step."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import pytest
from sqlmodel import select

from quote_builder.documents import pdfsign
from quote_builder.services import lifecycle as svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services.core import InvalidInputError, RefusedError
from quote_builder.services.verify import read_attachments, verify_pdf
from quote_builder.store.database import Database
from quote_builder.store.models import AuditEvent, SentDocument
from tests.lifecycle_helpers import (
    SELLER_PASS,
    finalise,
    seller_p12,
    sign_as_customer,
)

from .helpers import customer, document

TODAY = dt.date.today()


def new_quote(db: Database, **overrides: object) -> quote_svc.QuoteRow:
    if not quote_svc.list_quotes(db).total:
        customer(db)
    return quote_svc.create_quote(db, document(**overrides), actor="rick").value


def actions(db: Database, quote_id: int) -> list[str]:
    return [e["action"] for e in quote_svc.audit_history(db, quote_id)]


def refusals(db: Database, quote_id: int | None = None) -> list[dict[str, object]]:
    with db.read() as session:
        rows = session.exec(
            select(AuditEvent).where(AuditEvent.action == "acceptance_refused")
        ).all()
        return [json.loads(r.details_json) for r in rows if quote_id in (None, r.quote_id)]


# --- finalise -------------------------------------------------------------------------------


def test_a_draft_that_needs_no_approval_is_finalised_signed_and_kept(db: Database) -> None:
    row = new_quote(db)
    sent = finalise(db, row)
    assert quote_svc.get_quote(db, row.id).status == "sent"
    assert sent.pdf_sha256 == hashlib.sha256(sent.pdf).hexdigest()
    assert sent.version == 1 and sent.sent_by == "rick" and sent.trial_certificate
    assert sent.signer == "Acme AI, self-signed (trial)"
    # The seller's certifying signature covers the whole file as sent.
    (seller,) = pdfsign.pdf_signatures(sent.pdf)
    assert seller.field == pdfsign.SELLER_FIELD and seller.certifying
    assert seller.intact and seller.valid and seller.whole_file
    # The terms still travel with it, and the statement that no approval was needed.
    files = read_attachments(sent.pdf)
    assert {"terms.json", "approval-statement.json"} <= set(files)
    assert hashlib.sha256(files["terms.json"]).hexdigest() == sent.terms_hash
    events = quote_svc.audit_history(db, row.id)
    assert events[-1]["action"] == "quote_sent"
    assert events[-1]["details"]["pdf_sha256"] == sent.pdf_sha256
    details = events[-1]["details"]
    assert (details["from"], details["to"], details["version"]) == ("draft", "sent", 1)


def test_sending_again_sends_the_same_frozen_file(db: Database) -> None:
    row = new_quote(db)
    first = finalise(db, row)
    again = finalise(db, row)
    assert again.resent and again.pdf == first.pdf and again.pdf_sha256 == first.pdf_sha256
    assert svc.sent_document(db, row.id).pdf == first.pdf  # type: ignore[union-attr]
    assert actions(db, row.id)[-2:] == ["quote_sent", "quote_resent"]
    with db.read() as session:  # one stored file, not two
        assert len(session.exec(select(SentDocument)).all()) == 1


def test_the_stored_file_cannot_be_rewritten(db: Database) -> None:
    row = new_quote(db)
    finalise(db, row)
    from quote_builder.store.models import ImmutableRowError

    with pytest.raises(ImmutableRowError), db.write() as session:
        stored = session.exec(select(SentDocument)).one()
        stored.pdf = b"%PDF- forged"
        session.add(stored)


def test_a_quote_that_needs_approval_is_not_finalised(db: Database) -> None:
    row = new_quote(db, discounts=[{"description": "Big", "percent": "40"}])
    with pytest.raises(RefusedError, match="needs approval"):
        finalise(db, row)
    assert quote_svc.get_quote(db, row.id).status == "draft"


def test_a_wrong_passphrase_or_no_certificate_sends_nothing(
    db: Database, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quote_builder.services.certificates import CERTIFICATES_ENV, CertificateProblemError
    from tests.lifecycle_helpers import name_seller

    name_seller(db)
    row = new_quote(db)
    finalise_args = {"expected_version": row.version_id, "actor": "rick"}
    with pytest.raises(CertificateProblemError, match="passphrase is wrong"):
        svc.finalise_quote(db, row.id, passphrase="nope", pkcs12=seller_p12(), **finalise_args)  # type: ignore[arg-type]
    monkeypatch.setenv(CERTIFICATES_ENV, str(tmp_path))
    row = quote_svc.get_quote(db, row.id)
    with pytest.raises(CertificateProblemError, match="no seller signing certificate"):
        svc.finalise_quote(
            db, row.id, passphrase=SELLER_PASS, expected_version=row.version_id, actor="rick"
        )
    assert quote_svc.get_quote(db, row.id).status == "draft"


def test_the_installed_certificate_signs(
    db: Database, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from quote_builder.services import certificates

    folder = Path(str(tmp_path)) / "certs"
    monkeypatch.setenv(certificates.CERTIFICATES_ENV, str(folder))
    made = certificates.create_trial_certificate("Acme AI", SELLER_PASS)
    assert made.label == "Acme AI, self-signed (trial)"
    assert (folder / "seller.p12").stat().st_mode & 0o777 == 0o600
    assert certificates.seller_certificate() is not None
    with pytest.raises(certificates.CertificateProblemError, match="already installed"):
        certificates.create_trial_certificate("Other", SELLER_PASS)
    (folder / "seller.p12").chmod(0o644)
    with pytest.raises(certificates.CertificateProblemError, match="chmod 600"):
        certificates.read_seller_pkcs12()
    (folder / "seller.p12").chmod(0o600)
    from tests.lifecycle_helpers import name_seller

    name_seller(db)
    row = new_quote(db)
    sent = svc.finalise_quote(
        db, row.id, passphrase=SELLER_PASS, expected_version=row.version_id, actor="rick"
    ).value
    assert pdfsign.pdf_signatures(sent.pdf)[0].certificate.fingerprint == made.info.fingerprint


def test_set_status_cannot_invent_a_lifecycle_status(db: Database) -> None:
    row = new_quote(db)
    for status, words in (
        ("sent", "only from Finalise"),
        ("accepted", "only from recording the customer's acceptance"),
        ("lost", "only from Mark lost"),
        ("expired", "follows from the valid-until date"),
    ):
        with pytest.raises(InvalidInputError, match=words):
            quote_svc.set_status(db, row.id, status, expected_version=row.version_id, actor="r")
        with pytest.raises(InvalidInputError, match="cannot start"):
            quote_svc.create_quote(db, document(), actor="rick", status=status)


# --- the customer's signature -----------------------------------------------------------------


def test_round_trip_the_customer_signs_and_the_quote_is_accepted(db: Database) -> None:
    row = new_quote(db)
    sent = finalise(db, row)
    signed = sign_as_customer(sent.pdf)
    assert signed.startswith(sent.pdf)  # an incremental update: the seller's revision kept
    accepted = svc.import_signed_pdf(db, signed, file_name="/tmp/back.pdf", actor="rick").value
    assert accepted.signed_by == "Jane Buyer" and accepted.method == "signed_pdf"
    assert "self-signed certificate" in accepted.signer_detail
    # A certificate Jane made herself proves the file is as signed, not who signed (h7
    # walk: it read "signatures verified" for a certificate a rep made in another name).
    assert accepted.method_words == (
        "signed PDF, signature intact; a self-signed certificate: it does not prove who signed"
    )
    assert "signatures verified" not in accepted.method_words
    assert accepted.file_sha256 == hashlib.sha256(signed).hexdigest()
    assert quote_svc.get_quote(db, row.id).status == "accepted"
    assert actions(db, row.id)[-1] == "quote_accepted"
    assert svc.acceptance_of(db, row.id) == accepted
    # Both signatures verify in the file the customer returned; verify says so too.
    seller, buyer = pdfsign.pdf_signatures(signed)
    assert seller.changes_after == "form filling and signing" and seller.docmdp_ok
    assert buyer.field == pdfsign.CUSTOMER_FIELD and buyer.whole_file
    report = verify_pdf(None, signed)
    lines = {c.name: c for c in report.checks}
    assert (
        lines["seller signature"].ok and "self-signed (trial)" in lines["seller signature"].message
    )
    assert lines["customer signature"].ok and "Jane Buyer" in lines["customer signature"].message
    # Importing it again is refused: it is accepted already.
    with pytest.raises(svc.AcceptanceRefusedError, match="accepted, not sent"):
        svc.import_signed_pdf(db, signed, file_name="back.pdf", actor="rick")
    # And an accepted quote is a contract: not edited, not lost.
    with pytest.raises(RefusedError, match="signed contract"):
        quote_svc.save_quote(
            db,
            row.id,
            document(term_months=24),
            expected_version=quote_svc.get_quote(db, row.id).version_id,
            actor="rick",
        )


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_tampered_files_are_refused_at_each_step(db: Database) -> None:
    row = new_quote(db)
    sent = finalise(db, row)
    signed = sign_as_customer(sent.pdf)
    # 1. The seller's revision changed before the customer signed (a byte of the order form).
    stream = sent.pdf.index(b"stream") + 40
    forged = sign_as_customer(_flip(sent.pdf, stream))
    with pytest.raises(svc.AcceptanceRefusedError, match="changed after the seller signed") as e:
        svc.import_signed_pdf(db, forged, file_name="forged.pdf", actor="rick")
    assert e.value.code == "changed"
    # 2. Changed after the customer signed (a byte inside the customer's revision).
    late = _flip(signed, len(sent.pdf) + 200)
    with pytest.raises(svc.AcceptanceRefusedError) as e:
        svc.import_signed_pdf(db, late, file_name="late.pdf", actor="rick")
    assert e.value.code in ("customer_signature", "file")
    # 3. Something appended after the customer's signature (a new revision, unsigned).
    with pytest.raises(svc.AcceptanceRefusedError) as e:
        svc.import_signed_pdf(db, _append_annotation(signed), file_name="more.pdf", actor="rick")
    assert e.value.code == "changed"
    # 4. Not signed by the customer at all: the file as sent.
    with pytest.raises(svc.AcceptanceRefusedError, match="no customer signature"):
        svc.import_signed_pdf(db, sent.pdf, file_name="unsigned.pdf", actor="rick")
    # 5. Not a PDF.
    with pytest.raises(svc.AcceptanceRefusedError, match="not a PDF"):
        svc.import_signed_pdf(db, b"hello", file_name="x.pdf", actor="rick")
    codes = [r["reason"] for r in refusals(db)]
    assert len(codes) == 5 and codes[0] == "changed" and codes[-1] == "file"
    assert quote_svc.get_quote(db, row.id).status == "sent"
    # The genuine file is still accepted after all those refusals.
    svc.import_signed_pdf(db, signed, file_name="back.pdf", actor="rick")
    assert quote_svc.get_quote(db, row.id).status == "accepted"


def test_a_damaged_customer_signature_does_not_verify(db: Database) -> None:
    """A customer signature whose value is damaged (one hex digit of its /Contents) is a
    signature that does not verify, never "no signature": refused, audited, and verify
    says FAIL on its line."""
    row = new_quote(db)
    sent = finalise(db, row)
    signed = sign_as_customer(sent.pdf)
    at = signed.rindex(b"/Contents <") + len(b"/Contents <") + 600
    digit = b"0" if signed[at : at + 1] != b"0" else b"1"
    damaged = signed[:at] + digit + signed[at + 1 :]
    seller, customer_sig = pdfsign.pdf_signatures(damaged)
    assert seller.ok and not customer_sig.ok and customer_sig.problem
    with pytest.raises(svc.AcceptanceRefusedError, match="customer's signature does not verify"):
        svc.import_signed_pdf(db, damaged, file_name="damaged.pdf", actor="rick")
    assert [r["reason"] for r in refusals(db, row.id)] == ["customer_signature"]
    lines = {c.name: c for c in verify_pdf(None, damaged).checks}
    assert lines["seller signature"].ok
    assert not lines["customer signature"].ok
    assert "cannot be read" in lines["customer signature"].message
    assert quote_svc.get_quote(db, row.id).status == "sent"


def _append_annotation(pdf: bytes) -> bytes:
    """An incremental update adding a text annotation after the signatures."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0]
    annot = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject("/Text"),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.NumberObject(v) for v in (10, 10, 30, 30)]
            ),
            generic.NameObject("/Contents"): generic.TextStringObject("Price is now 1"),
        }
    )
    ref = writer.add_object(annot)
    page_obj = page.get_object()
    annots = page_obj.get("/Annots", generic.ArrayObject())
    annots = generic.ArrayObject(list(annots) + [ref])
    page_obj[generic.NameObject("/Annots")] = annots
    writer.update_container(page_obj)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_of_another_quote_or_version_is_refused(db: Database) -> None:
    first = new_quote(db)
    other = new_quote(db, title="Other")
    sent_first = finalise(db, first)
    finalise(db, other)
    signed_first = sign_as_customer(sent_first.pdf)
    with pytest.raises(
        svc.AcceptanceRefusedError, match=f"order form of {first.number}, not of {other.number}"
    ):
        svc.import_signed_pdf(db, signed_first, file_name="a.pdf", actor="r", quote_id=other.id)
    # A new version was made and sent: the customer's signature of version 1 is refused.
    row = quote_svc.get_quote(db, first.id)
    quote_svc.save_quote(
        db, first.id, document(title="Changed"), expected_version=row.version_id, actor="rick"
    )
    finalise(db, quote_svc.get_quote(db, first.id))
    with pytest.raises(
        svc.AcceptanceRefusedError, match="version 1 of .* but version 2 is the one sent"
    ) as e:
        svc.import_signed_pdf(db, signed_first, file_name="a.pdf", actor="rick")
    assert e.value.code == "other_version"
    assert [r["reason"] for r in refusals(db)] == ["other_quote", "other_version"]


def test_paper_acceptance_is_recorded_and_marked(db: Database) -> None:
    # Tomorrow as the service sees it now: TODAY is read when the module is collected, and a
    # run that crosses midnight made TODAY + 1 today (CI, 2026-12-02 00:xx).
    tomorrow = quote_svc.today() + dt.timedelta(days=1)
    row = new_quote(db)
    sent = finalise(db, row)
    row = quote_svc.get_quote(db, row.id)
    with pytest.raises(InvalidInputError) as e:
        svc.record_paper_acceptance(
            db,
            row.id,
            signed_by=" ",
            signed_on=tomorrow,
            scan=b"GIF89a",
            file_name="s.gif",
            expected_version=row.version_id,
            actor="rick",
        )
    assert e.value.problems == [
        "Signed by: name the person who signed",
        f"Signed on: {tomorrow.isoformat()} is in the future",
        "Scan: not a PDF, PNG, JPEG or TIFF file",
    ]
    info = svc.record_paper_acceptance(
        db,
        row.id,
        signed_by="Jane  Buyer",
        signed_on=TODAY,
        scan=b"\x89PNG\r\n...",
        file_name="/scans/signed.png",
        expected_version=row.version_id,
        actor="rick",
    ).value
    assert (info.method, info.signed_by, info.file_name) == ("paper", "Jane Buyer", "signed.png")
    assert "printed" in info.method_words and info.version == sent.version
    assert quote_svc.get_quote(db, row.id).status == "accepted"
    history = quote_svc.audit_history(db, row.id)[-1]
    assert history["action"] == "quote_accepted" and history["details"]["method"] == "paper"


def test_paper_acceptance_needs_a_sent_quote(db: Database) -> None:
    row = new_quote(db)
    with pytest.raises(svc.AcceptanceRefusedError, match="draft, not sent"):
        svc.record_paper_acceptance(
            db,
            row.id,
            signed_by="Jane",
            signed_on=TODAY,
            scan=b"%PDF-1.7",
            file_name="s.pdf",
            expected_version=row.version_id,
            actor="rick",
        )
    assert [r["reason"] for r in refusals(db, row.id)] == ["status"]
    assert quote_svc.get_quote(db, row.id).status == "draft"


# --- lost, expired, re-issued ------------------------------------------------------------------


def test_lost_needs_a_reason_and_is_audited(db: Database) -> None:
    row = new_quote(db)
    with pytest.raises(InvalidInputError, match="Details: say why"):
        svc.mark_lost(db, row.id, reason="other", expected_version=row.version_id, actor="r")
    with pytest.raises(InvalidInputError, match="Reason: choose one of"):
        svc.mark_lost(db, row.id, reason="weather", expected_version=row.version_id, actor="r")
    text = svc.mark_lost(
        db,
        row.id,
        reason="competitor",
        details=" Went with  Initrode ",
        expected_version=row.version_id,
        actor="rick",
    ).value
    assert text == "Went with a competitor: Went with Initrode"
    lost = quote_svc.get_quote(db, row.id)
    assert (lost.status, lost.lost_reason) == ("lost", text)
    assert quote_svc.audit_history(db, row.id)[-1]["details"]["reason"] == "competitor"
    with pytest.raises(RefusedError, match="is lost"):
        svc.mark_lost(db, row.id, reason="price", expected_version=lost.version_id, actor="r")


def test_past_valid_until_reads_expired_is_stored_and_cannot_be_accepted(db: Database) -> None:
    row = new_quote(db)
    sent = finalise(db, row)
    signed = sign_as_customer(sent.pdf)
    with db.write() as session:  # the offer's date passes
        from quote_builder.store.models import Quote

        quote = session.get(Quote, row.id)
        assert quote is not None
        quote.valid_until = TODAY - dt.timedelta(days=1)
        session.add(quote)
    assert quote_svc.get_quote(db, row.id).status == "expired"  # computed on read
    assert [q.id for q in quote_svc.list_quotes(db, status="expired").rows] == [row.id]
    assert quote_svc.list_quotes(db, status="sent").total == 0
    with pytest.raises(svc.AcceptanceRefusedError, match="expired on .*re-issue it") as e:
        svc.import_signed_pdf(db, signed, file_name="late.pdf", actor="rick")
    assert e.value.code == "expired"
    # The refusal is audited (in its own transaction, kept although the import failed).
    assert refusals(db, row.id)[-1]["reason"] == "expired"
    # ... and stored when a use case touched it.
    assert "quote_expired" in actions(db, row.id)
    row = quote_svc.get_quote(db, row.id)
    with pytest.raises(RefusedError, match="re-issue it"):
        svc.set_valid_until(
            db, row.id, TODAY + dt.timedelta(days=30), expected_version=row.version_id, actor="r"
        )
    number = svc.reissue_quote(
        db,
        row.id,
        valid_until=TODAY + dt.timedelta(days=30),
        expected_version=row.version_id,
        actor="rick",
    ).value
    assert number == 2
    row = quote_svc.get_quote(db, row.id)
    assert (row.status, row.valid_until, row.latest_version) == (
        "draft",
        TODAY + dt.timedelta(days=30),
        2,
    )
    # The same terms, a new version: finalised and signed again, then accepted.
    again = finalise(db, row)
    assert again.version == 2 and again.pdf != sent.pdf
    svc.import_signed_pdf(db, sign_as_customer(again.pdf), file_name="b.pdf", actor="rick")
    assert quote_svc.get_quote(db, row.id).status == "accepted"


def test_valid_until_is_editable_before_sending(db: Database) -> None:
    row = new_quote(db)
    later = TODAY + dt.timedelta(days=60)
    with pytest.raises(InvalidInputError, match="has already passed"):
        svc.set_valid_until(
            db, row.id, TODAY - dt.timedelta(days=1), expected_version=row.version_id, actor="r"
        )
    svc.set_valid_until(db, row.id, later, expected_version=row.version_id, actor="rick")
    assert quote_svc.get_quote(db, row.id).valid_until == later
    assert actions(db, row.id)[-1] == "valid_until_changed"
    with pytest.raises(RefusedError, match="only an expired or lost quote"):
        row = quote_svc.get_quote(db, row.id)
        svc.reissue_quote(db, row.id, valid_until=later, expected_version=row.version_id, actor="r")


def test_attention_counts(db: Database) -> None:
    soon = new_quote(db)
    svc.set_valid_until(
        db, soon.id, TODAY + dt.timedelta(days=3), expected_version=soon.version_id, actor="r"
    )
    far = new_quote(db)
    svc.set_valid_until(
        db, far.id, TODAY + dt.timedelta(days=20), expected_version=far.version_id, actor="r"
    )
    won = new_quote(db)
    sent = finalise(db, won)
    svc.import_signed_pdf(db, sign_as_customer(sent.pdf), file_name="w.pdf", actor="rick")
    counts = svc.attention(db)
    assert (counts.expiring_this_week, counts.pending_approval, counts.accepted_this_month) == (
        1,
        0,
        1,
    )
    assert [q.id for q in quote_svc.list_quotes(db, status="expiring_week").rows] == [soon.id]
    assert [q.id for q in quote_svc.list_quotes(db, status="accepted_month").rows] == [won.id]


def test_the_signature_states_the_time_the_order_form_prints(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The order form prints who signed and when (to the minute) before it is signed: a
    render that crossed a minute printed 14:30 under a signature made at 14:31. The
    signature states the printed time."""
    import types

    earlier = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=3)).replace(second=0, microsecond=0)

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Clock:
            return cls.fromtimestamp(earlier.timestamp(), tz)

    monkeypatch.setattr(svc, "dt", types.SimpleNamespace(**{**vars(dt), "datetime": Clock}))
    sent = finalise(db, new_quote(db))
    (seller,) = pdfsign.pdf_signatures(sent.pdf)
    assert seller.signed_at is not None
    assert seller.signed_at.astimezone(dt.UTC) == earlier
    printed = f"{earlier:%H:%M} UTC"
    assert printed in _pdf_text(sent.pdf)


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_an_acceptance_signed_by_someone_else_than_the_named_signatory(db: Database) -> None:
    """The order form names Jane Buyer to sign for Acme; a PDF signed by Peter Gibbons (or
    a paper copy he signed) is refused with one sentence naming both, kept in the history,
    the quote left sent; recorded only when the one recording it confirms the other signer,
    and the acceptance's history event says who confirmed it."""
    row = new_quote(db)
    sent = finalise(db, row)
    other = pdfsign.trial_certificate("Peter Gibbons", "peter passphrase")
    signed = sign_as_customer(sent.pdf, p12=other, passphrase="peter passphrase")
    with pytest.raises(svc.OtherSignerError) as refused:
        svc.import_signed_pdf(db, signed, file_name="/in/signed.pdf", actor="olga", quote_id=row.id)
    assert str(refused.value) == (
        "signed.pdf is signed by Peter Gibbons, but the order form names Jane Buyer to sign "
        "for Acme: nothing was recorded; if Peter Gibbons may sign for Acme, record it again "
        "confirming the other signer"
    )
    assert quote_svc.get_quote(db, row.id).status == "sent"
    last = refusals(db, row.id)[-1]
    assert (last["reason"], last["signed_by"], last["signatory"]) == (
        "other_signer",
        "Peter Gibbons",
        "Jane Buyer",
    )
    row = quote_svc.get_quote(db, row.id)
    with pytest.raises(svc.OtherSignerError, match="signed by Bill Lumbergh, but the order"):
        svc.record_paper_acceptance(
            db,
            row.id,
            signed_by="Bill Lumbergh",
            signed_on=TODAY,
            scan=b"%PDF-1.7 scan",
            file_name="scan.pdf",
            expected_version=row.version_id,
            actor="olga",
        )
    assert quote_svc.get_quote(db, row.id).status == "sent"
    info = svc.import_signed_pdf(
        db,
        signed,
        file_name="signed.pdf",
        actor="olga",
        quote_id=row.id,
        other_signer_confirmed=True,
    ).value
    assert info.signed_by == "Peter Gibbons"
    assert quote_svc.get_quote(db, row.id).status == "accepted"
    accepted = quote_svc.audit_history(db, row.id)[-1]
    assert accepted["action"] == "quote_accepted"
    assert accepted["details"]["signatory"] == "Jane Buyer"
    assert accepted["details"]["other_signer_confirmed_by"] == "olga"


def test_the_banner_of_a_quote_signed_by_another_names_the_signatory_and_who_confirmed(
    db: Database,
) -> None:
    """After the other signer was confirmed, the accepted quote's banner line (the deal
    note) still says the signer is not the one the order form names, and who confirmed it:
    a deal desk opening the quote months later sees it without reading the history. A
    quote signed by its named signatory says nothing of the kind."""
    from quote_builder.errors import Sentence
    from quote_builder.services.approvals import approval_state

    row = new_quote(db)
    sent = finalise(db, row)
    other = pdfsign.trial_certificate("Peter Gibbons", "peter passphrase")
    signed = sign_as_customer(sent.pdf, p12=other, passphrase="peter passphrase")
    svc.import_signed_pdf(
        db,
        signed,
        file_name="signed.pdf",
        actor="olga",
        quote_id=row.id,
        other_signer_confirmed=True,
    )
    note = approval_state(db, row.id).deal_note
    assert isinstance(note, Sentence) and note.code == "deal.note"
    assert "; signed by Peter Gibbons on " in note
    assert note.endswith(
        "; not Jane Buyer, whom the order form names to sign: recorded as olga confirmed"
    ), note
    assert (note.params["signatory"], note.params["confirmed_by"]) == ("Jane Buyer", "olga")

    own = new_quote(db)
    finalise(db, own)
    own = quote_svc.get_quote(db, own.id)
    svc.record_paper_acceptance(
        db,
        own.id,
        signed_by="Jane Buyer",
        signed_on=TODAY,
        scan=b"%PDF-1.7 scan",
        file_name="scan.pdf",
        expected_version=own.version_id,
        actor="olga",
    )
    own_note = approval_state(db, own.id).deal_note
    assert "; signed by Jane Buyer on " in own_note
    assert "whom the order form names" not in own_note
    assert own_note.params["confirmed_by"] == ""  # type: ignore[attr-defined]


def test_the_named_signatory_is_compared_as_names_look(db: Database) -> None:
    """The signatory's own acceptance is not questioned: spaces and case do not make
    another person (a paper copy "jane  BUYER")."""
    row = new_quote(db)
    finalise(db, row)
    row = quote_svc.get_quote(db, row.id)
    info = svc.record_paper_acceptance(
        db,
        row.id,
        signed_by="jane  BUYER",
        signed_on=TODAY,
        scan=b"%PDF-1.7 scan",
        file_name="scan.pdf",
        expected_version=row.version_id,
        actor="olga",
    ).value
    assert info.signed_by == "jane BUYER"
    details = quote_svc.audit_history(db, row.id)[-1]["details"]
    assert "other_signer_confirmed_by" not in details and "signatory" not in details


def test_a_finalise_that_loses_the_race_says_the_other_one_sent_it(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two finalises of one quote: the one that signs second saves nothing and is told who
    finalised and sent which version, and that finalising again gives that file (on SQLite
    and PostgreSQL alike)."""
    row = new_quote(db)
    finalise(db, row, actor="dana")  # completes the customer and names the seller
    # A new version to finalise, by two runs at once.
    current = quote_svc.get_quote(db, row.id)
    quote_svc.save_quote(
        db, row.id, document(title="Second"), expected_version=current.version_id, actor="rick"
    )
    row = quote_svc.get_quote(db, row.id)
    sign = pdfsign.sign_as_seller
    started: list[bool] = []

    def while_another_finalises(*args: object, **kwargs: object) -> bytes:
        if not started:
            started.append(True)
            finalise(db, quote_svc.get_quote(db, row.id), actor="dana")
        return sign(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pdfsign, "sign_as_seller", while_another_finalises)
    with pytest.raises(svc.FinalisedMeanwhileError) as lost:
        svc.finalise_quote(
            db,
            row.id,
            expected_version=row.version_id,
            actor="rick",
            passphrase=SELLER_PASS,
            pkcs12=seller_p12(),
        )
    assert str(lost.value).startswith(f"{row.number} version 2 was finalised and sent by dana at ")
    assert str(lost.value).endswith(
        "while this finalise was signing it; nothing more was saved: finalise it again to get "
        "the file that was sent"
    )
    with db.read() as session:
        sent = session.exec(select(SentDocument).where(SentDocument.quote_id == row.id)).all()
    assert [s.version_number for s in sent] == [1, 2]
