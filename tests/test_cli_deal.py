"""The deal's life on the command line (issue 15): a trial certificate, finalise (and
again: the same file), the customer's signed PDF accepted, verify reporting the
signatures; a tampered file refused with a sentence; lost and re-issued."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from quote_builder.cli import main
from quote_builder.services import quotes as quote_svc
from quote_builder.store.database import open_database
from tests.lifecycle_helpers import sign_as_customer
from tests.store.helpers import customer, document


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, list[str]]:
    monkeypatch.setenv("QUOTE_BUILDER_CERTIFICATES_DIR", str(tmp_path / "certs"))
    monkeypatch.setenv("QUOTE_BUILDER_PASSPHRASE", "seller passphrase")
    path = tmp_path / "deal.db"
    db = open_database(str(path))
    customer(db)
    numbers = [
        quote_svc.create_quote(db, document(title=t), actor="rick").value.number
        for t in ("One", "Two")
    ]
    from tests.lifecycle_helpers import name_seller

    name_seller(db)
    db.close()
    return str(path), numbers


def test_finalise_sign_accept_verify(database: tuple[str, list[str]], tmp_path: Path) -> None:
    path, (number, _other) = database
    code, out, err = run("deal", "finalise", number, "--db", path)
    assert code == 2 and "no seller signing certificate" in err and "Settings" in err
    code, out, err = run("certificate", "create-trial", "--name", "Acme AI")
    assert code == 0, err
    assert "Acme AI, self-signed (trial)" in run("certificate", "show")[1]
    sent = tmp_path / "sent.pdf"
    code, out, err = run("deal", "finalise", number, "--db", path, "-o", str(sent))
    assert code == 0, err
    assert "Finalised and sent" in out and sent.read_bytes().startswith(b"%PDF")
    again = tmp_path / "again.pdf"
    code, out, _ = run("deal", "finalise", number, "--db", path, "-o", str(again))
    assert "Sent again (the same file)" in out and again.read_bytes() == sent.read_bytes()
    code, out, _ = run("verify", str(sent), "--db", path)
    assert "OK    seller signature: Acme AI, self-signed (trial)" in out
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(sign_as_customer(sent.read_bytes()))
    tampered = tmp_path / "tampered.pdf"
    data = bytearray(signed.read_bytes())
    data[len(sent.read_bytes()) + 300] ^= 1
    tampered.write_bytes(bytes(data))
    code, out, err = run("deal", "accept", number, str(tampered), "--db", path)
    assert code == 2 and err.strip() and "Traceback" not in err
    code, out, err = run("deal", "accept", number, str(signed), "--db", path)
    assert code == 0, err
    assert f"{number} accepted: version 1 signed by Jane Buyer" in out
    assert "a self-signed certificate: it does not prove who signed" in out
    code, out, _ = run("verify", str(signed), "--db", path)
    assert "OK    customer signature: Jane Buyer, self-signed" in out
    code, out, _ = run("quotes", "list", "--status", "accepted", "--db", path)
    assert number in out and "1 of 1 quotes" in out
    code, out, _ = run("quotes", "show", number, "--db", path)
    assert "Finalised and sent" in out and "Accepted by the customer" in out
    assert "Signed order form refused" in out and "quote_sent" not in out


def test_lost_and_reissued(database: tuple[str, list[str]]) -> None:
    path, (_number, other) = database
    code, _, err = run("deal", "lost", other, "--reason", "other", "--db", path)
    assert code == 2 and "Details: say why the deal was lost" in err
    code, out, err = run(
        "deal", "lost", other, "--reason", "competitor", "--details", "Initrode", "--db", path
    )
    assert code == 0 and "marked lost: Went with a competitor: Initrode" in out
    code, _, err = run("deal", "reissue", other, "--valid-until", "1999-01-01", "--db", path)
    assert code == 2 and "has already passed" in err
    code, out, err = run("deal", "reissue", other, "--valid-until", "2999-01-01", "--db", path)
    assert code == 0 and "re-issued as version 2" in out, err
    code, _, err = run("deal", "valid-until", other, "tomorrow", "--db", path)
    assert code == 2 and "not a date" in err


def test_renew_expand_amend_and_the_customers_contracts(
    database: tuple[str, list[str]], tmp_path: Path
) -> None:
    path, (number, _other) = database
    assert run("certificate", "create-trial", "--name", "Acme AI")[0] == 0
    sent = tmp_path / "sent.pdf"
    assert run("deal", "finalise", number, "--db", path, "-o", str(sent))[0] == 0
    code, out, err = run("deal", "renew", number, "--db", path)
    assert code == 2 and "renewals, expansions and amendments are made from an accepted" in err
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(sign_as_customer(sent.read_bytes()))
    assert run("deal", "accept", number, str(signed), "--db", path)[0] == 0
    # The contract: 12 months from 2027-01-01 at 1,000 a month, no automatic renewal.
    code, out, err = run("deal", "contracts", number, "--db", path)
    assert code == 0, err
    assert f"{number}  New business  2027-01-01 to 2027-12-31  current ACV" in out
    assert "12,000.00" in out
    code, out, err = run("deal", "renew", number, "--db", path)
    assert code == 0 and f": renewal of {number}" in out, err
    renewal = out.split(":")[0]
    code, out, err = run("deal", "renew", number, "--db", path)
    assert code == 2 and f"already has a renewal: {renewal} (draft)" in err
    # A renewal waiting for approval is named by its status's words, not its code.
    import sqlite3

    with sqlite3.connect(path) as connection:
        connection.execute(
            "update quote set status = 'pending_approval' where number = ?", (renewal,)
        )
    connection.close()
    code, out, err = run("deal", "renew", number, "--db", path)
    assert code == 2 and f"already has a renewal: {renewal} (pending approval)" in err, err
    with sqlite3.connect(path) as connection:
        connection.execute("update quote set status = 'draft' where number = ?", (renewal,))
    connection.close()
    code, out, err = run("deal", "contracts", number, "--db", path)
    assert f"renewal {renewal} (draft)" in out
    code, _, err = run(
        "deal", "expand", number, "--effective", "2027-03-15", "--seats", "team", "--db", path
    )
    assert code == 2 and "--seats team: give COMPONENT=COUNT" in err
    code, _, err = run("deal", "expand", number, "--effective", "2026-03-15", "--db", path)
    assert code == 2 and "Effective from: the change must take effect after the contract" in err
    code, out, err = run("deal", "amend", number, "--effective", "2027-06-01", "--db", path)
    assert code == 0 and f": amendment of {number}" in out, err


def test_render_gives_the_file_of_record_in_each_state(
    database: tuple[str, list[str]], tmp_path: Path
) -> None:
    """`render NUMBER` of a deal: before it is sent, a draft and `--as-sent` refused,
    pointing at `deal finalise`; once sent, the file as sent; once accepted, the order form
    signed by both parties, byte for byte (`--as-sent`: the file as sent), and anything
    else of it refused; accepted on paper, the scan (not under a .pdf name when it is an
    image). Before, an accepted quote gave the file as sent, without the customer's
    signature."""
    from quote_builder.documents import pdfsign

    path, (number, other) = database
    pdf = tmp_path / "render.pdf"
    code, out, err = run("render", number, "-o", str(pdf), "--as-sent", "--db", path)
    assert code == 2 and f"{number} was not sent" in err and f"`deal finalise {number}`" in err
    assert not pdf.exists()
    assert run("certificate", "create-trial", "--name", "Acme AI")[0] == 0
    sent = tmp_path / "sent.pdf"
    assert run("deal", "finalise", number, "--db", path, "-o", str(sent))[0] == 0
    code, out, err = run("render", number, "-o", str(pdf), "--db", path)
    assert code == 0 and pdf.read_bytes() == sent.read_bytes() and "the file as sent" in out
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(sign_as_customer(sent.read_bytes()))
    assert run("deal", "accept", number, str(signed), "--db", path)[0] == 0

    code, out, err = run("render", number, "-o", str(pdf), "--db", path)
    assert (code, err) == (0, "")
    assert pdf.read_bytes() == signed.read_bytes()  # the countersigned file, byte for byte
    flat = " ".join(out.split())  # wrapped to 80 columns
    assert "the order form signed by both parties, byte for byte" in flat
    assert f"{number} version 1 was accepted on " in flat and "signed by Jane Buyer" in flat
    assert f"`render {number} --as-sent -o FILE`" in flat and f"{number}-v1.pdf" in flat
    seller, buyer = pdfsign.pdf_signatures(pdf.read_bytes())
    assert seller.intact and buyer.intact and buyer.whole_file
    code, out, err = run("render", number, "-o", str(pdf), "--as-sent", "--db", path)
    assert code == 0 and pdf.read_bytes() == sent.read_bytes() and "the file as sent" in out
    pdf.unlink()
    code, out, err = run("render", number, "-o", str(pdf), "--language", "de", "--db", path)
    assert code == 2 and f"{number} version 1 was accepted on " in err
    assert "the only original" in err and "--language de" in err and not pdf.exists()

    # Accepted on paper: the scan is the signed copy (a PNG here, so not as a .pdf).
    assert run("deal", "finalise", other, "--db", path)[0] == 0
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    code, out, err = run(
        "deal", "accept", other, str(scan), "--paper", "--signed-by", "Jane Buyer",
        "--signed-on", dt.date.today().isoformat(), "--db", path,
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run("render", other, "-o", str(pdf), "--db", path)
    assert code == 2 and "a scan, a PNG image (scan.png), not a PDF" in err
    assert "--as-sent" in err and not pdf.exists()
    copy = tmp_path / "copy.png"
    code, out, err = run("render", other, "-o", str(copy), "--db", path)
    assert code == 0 and copy.read_bytes() == scan.read_bytes()
    assert "the scan of the signed paper copy, byte for byte" in out
    code, out, err = run("render", other, "-o", str(pdf), "--as-sent", "--db", path)
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF") and "the file as sent" in out


def test_a_second_finalise_run_that_loses_the_race_says_the_first_finalised_it(
    database: tuple[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two `deal finalise` runs of one quote at once: the one that signs second is told, in
    command-line words, that the other run finalised and sent it and how to get that file,
    with exit status 1 (a race lost), never "Reload" (a window's word)."""
    from quote_builder.documents import pdfsign

    path, (number, _other) = database
    assert run("certificate", "create-trial", "--name", "Acme AI")[0] == 0
    sign = pdfsign.sign_as_seller
    first: list[tuple[int, str, str]] = []
    started: list[bool] = []

    def signing_while_another_run_finalises(*args: object, **kwargs: object) -> bytes:
        if not started:  # the other process finishes while this one is signing
            started.append(True)
            first.append(run("deal", "finalise", number, "--db", path, "--user", "dana"))
        return sign(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pdfsign, "sign_as_seller", signing_while_another_run_finalises)
    code, out, err = run("deal", "finalise", number, "--db", path, "-o", str(tmp_path / "x.pdf"))
    assert first[0][0] == 0 and "Finalised and sent" in first[0][1], first[0]
    assert code == 1, err
    assert "Reload" not in err and out == ""
    assert f"{number} version 1 was finalised and sent by dana at " in err
    assert "(another `deal finalise` run) while this run was signing it" in err
    assert (
        f"saved nothing. To get the file that was sent, run: quote-builder deal finalise {number}"
        in err
    )
    assert not (tmp_path / "x.pdf").exists()
    code, out, _ = run("deal", "finalise", number, "--db", path)
    assert code == 0 and "Sent again (the same file)" in out


def test_accept_signed_by_another_than_the_signatory_needs_other_signer(
    database: tuple[str, list[str]], tmp_path: Path
) -> None:
    """`deal accept` of a PDF signed by someone the order form does not name: one sentence
    naming both people and what to do, status 2, nothing recorded; with --other-signer it
    is recorded, said so on the terminal and in the history."""
    from quote_builder.documents import pdfsign

    path, (number, _other) = database
    assert run("certificate", "create-trial", "--name", "Acme AI")[0] == 0
    sent = tmp_path / "sent.pdf"
    assert run("deal", "finalise", number, "--db", path, "-o", str(sent))[0] == 0
    signed = tmp_path / "signed.pdf"
    other = pdfsign.trial_certificate("Peter Gibbons", "peter passphrase")
    signed.write_bytes(
        sign_as_customer(sent.read_bytes(), p12=other, passphrase="peter passphrase")
    )
    code, out, err = run("deal", "accept", number, str(signed), "--db", path, "--user", "olga")
    assert code == 2 and out == ""
    assert err.strip().endswith(
        f"{signed} is signed by Peter Gibbons, but the order form names Jane Buyer to sign for "
        "Acme; nothing was recorded. If Peter Gibbons may sign for Acme, run the command again "
        "with --other-signer (the history will say you confirmed it)."
    ), err
    assert "accepted" not in run("quotes", "show", number, "--db", path)[1].split("History")[0]
    code, out, err = run(
        "deal", "accept", number, str(signed), "--db", path, "--user", "olga", "--other-signer"
    )
    assert code == 0, err
    assert f"{number} accepted: version 1 signed by Peter Gibbons" in out
    assert "not Jane Buyer, whom the order form names to sign: recorded as you confirmed" in out
    code, out, _ = run("quotes", "show", number, "--db", path)
    assert "Other signer confirmed by: olga" in out, out


def test_finalise_onto_a_full_disk_says_the_quote_is_sent_and_how_to_get_its_pdf(
    database: tuple[str, list[str]], small_disk: Path
) -> None:
    """The adversarial campaign: `deal finalise -o` onto a full disk finalised the quote
    and marked it sent, then said only "cannot write (the disk is full); nothing was
    written" (status 1): a careless rep read that nothing had happened. It says the quote
    is finalised and sent, and how to write its PDF, the very same file, again."""
    from tests.faults import fill

    path, (number, _other) = database
    assert run("certificate", "create-trial", "--name", "Acme AI")[0] == 0
    target = small_disk / "sent.pdf"
    filler = fill(small_disk)
    code, out, err = run("deal", "finalise", number, "--db", path, "-o", str(target))
    assert code == 1, (out, err)
    assert f"{target}: cannot write (the disk is full); nothing was written" in err
    assert (
        f"{number} version 1 is finalised and marked sent: write its PDF (the very same file) "
        f"with `quote-builder deal finalise {number} -o FILE`."
    ) in err
    assert not target.exists()
    filler.unlink()
    code, out, err = run("deal", "finalise", number, "--db", path, "-o", str(target))
    assert code == 0 and "Sent again (the same file)" in out, err
    assert target.read_bytes().startswith(b"%PDF")


def _strip_signatures(pdf: bytes) -> bytes:
    """The sent PDF with its signatures removed (a copy rewritten by a PDF tool): the pages
    and the attached approval and terms as sent, no signature value in any field."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    root = writer._root_object
    root.pop("/Perms", None)
    for ref in root["/AcroForm"]["/Fields"]:
        ref.get_object().pop("/V", None)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_verify_fails_a_final_pdf_whose_seller_signature_was_removed(
    database: tuple[str, list[str]], tmp_path: Path
) -> None:
    """A buyer or an auditor checking the order form: without the seller's signature it is
    not the file the seller sent, so `verify` fails it on a `seller signature` line;
    --content-only checks the approval, the terms and the pages alone, as asked. (No
    organisation policy here: the approval lines fail alike for both files.)"""
    from quote_builder.documents import pdfsign

    path, (number, _other) = database
    assert run("certificate", "create-trial", "--name", "Acme AI")[0] == 0
    sent = tmp_path / "sent.pdf"
    assert run("deal", "finalise", number, "--db", path, "-o", str(sent))[0] == 0
    stripped = tmp_path / "stripped.pdf"
    stripped.write_bytes(_strip_signatures(sent.read_bytes()))
    assert pdfsign.pdf_signatures(stripped.read_bytes()) == []

    def failed(out: str) -> list[str]:
        return [line[6:].split(":")[0] for line in out.splitlines() if line.startswith("FAIL")]

    code, out, _ = run("verify", str(sent), "--db", path)
    approval_lines = failed(out)
    assert "seller signature" not in approval_lines and "OK    seller signature: Acme AI" in out
    code, out, err = run("verify", str(stripped), "--db", path)
    assert code == 1, out + err
    assert failed(out) == [*approval_lines, "seller signature"]
    assert (
        "FAIL seller signature: none: the PDF carries no seller signature, so nothing proves "
        "it is the file the seller sent (removing the signature leaves exactly this); ask the "
        "seller for the signed file "
    ) in " ".join(out.split()) + " "
    # In an 80-column terminal (h5: that check was one line of 196 characters), wrapped
    # under the check's name.
    assert all(len(line) <= 80 for line in out.splitlines()), out
    assert "nothing\n      proves it is the file" in out
    assert "OK    terms:" in out  # the content itself still checks
    code, out, err = run("verify", str(stripped), "--db", path, "--content-only")
    assert failed(out) == approval_lines
    assert "OK    seller signature: not checked (content only)" in out
