"""The Verify page's failure lines in German: every line the page can show, made in
``services/verify.py`` or in the layers it reports (the policy bundle, the PDF signatures,
the user names, the organisation key), is written in the interface's language; the
command line's English stays as it was (``tests/store/test_verify.py`` pins it)."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quote_builder.documents.viewmodel import EmbeddedFile
from quote_builder.errors import Sentence
from quote_builder.services import keys as key_svc
from quote_builder.services import policy as policy_svc
from quote_builder.services import quotes as quote_svc
from quote_builder.services import verify as verify_service
from quote_builder.services.documents import render_for_sending
from quote_builder.services.verify import Check, VerifyReport, verify_pdf
from quote_builder.store.database import Database, open_database
from quote_builder.ui import i18n, locale_format
from quote_builder.ui.verify_view import check_lines
from tests.lifecycle_helpers import finalise
from tests.store.governance_helpers import PASS, Org, make_org
from tests.store.helpers import customer, document, name_the_seller
from tests.store.test_verify import _attachment, _signed_statement, _with_attachments, approved_pdf


@pytest.fixture
def org(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Org:
    return make_org(tmp_path, monkeypatch)


@pytest.fixture
def rep(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "rep.db"))
    name_the_seller(database)
    yield database
    database.close()


def german(report: VerifyReport) -> dict[str, str]:
    """The page's lines in German, by the English check's name."""
    i18n.use_language("de")
    locale_format.set_locale("de_DE")
    try:
        lines = check_lines(report)
    finally:
        i18n.use_language("en")
        locale_format.set_locale("en_US")
    return {str(c.name): line for c, line in zip(report.checks, lines, strict=True)}


def failed(report: VerifyReport, name: str) -> tuple[str, str]:
    """The English and the German line of the failed check ``name``."""
    check = next(c for c in report.checks if c.name == name)
    assert not check.ok, check
    return str(check.message), german(report)[name]


def _policy(rendered: Any) -> EmbeddedFile:
    return next(a for a in rendered.request.attachments if a.name == "policy.json")


def _statement_file(forged: dict[str, Any]) -> EmbeddedFile:
    return EmbeddedFile("approval-statement.json", "", json.dumps(forged))


def test_a_tampered_policy_bundle_is_named_in_german(rep: Database, org: Org) -> None:
    rendered = approved_pdf(rep, org)
    public = _attachment(rendered, "policy.json")
    public["header"]["organisation"] = "Someone Else"  # the organisation's signature breaks
    statement = next(a for a in rendered.request.attachments if a.name != "policy.json")
    pdf = _with_attachments(
        rendered, [statement, EmbeddedFile("policy.json", "", json.dumps(public))]
    )
    english, line = failed(verify_pdf(None, pdf, org_key=org.org.public_line), "policy")
    assert english == "the policy is malformed"
    assert line == "✘  Richtlinie: die Richtlinie ist fehlerhaft", line
    # The policy's header cut out: another of the bundle's sentences.
    del public["header"]
    pdf = _with_attachments(
        rendered, [statement, EmbeddedFile("policy.json", "", json.dumps(public))]
    )
    english, line = failed(verify_pdf(None, pdf, org_key=org.org.public_line), "policy")
    assert english == "the policy has no header"
    assert line == "✘  Richtlinie: die Richtlinie hat keinen Kopf", line


def test_an_unknown_approver_and_another_person_in_german(
    rep: Database, org: Org, tmp_path: Path
) -> None:
    rendered = approved_pdf(rep, org)
    base = _attachment(rendered, "approval-statement.json")["statement"]
    stranger_keys = tmp_path / "stranger"
    stranger = key_svc.create_key("eve", PASS, directory=stranger_keys)
    forged = _signed_statement(
        base,
        "eve",
        stranger_keys,
        approver={"name": "Eve", "role": "deal_desk", "fingerprint": stranger.fingerprint},
    )
    pdf = _with_attachments(rendered, [_statement_file(forged), _policy(rendered)])
    report = verify_pdf(None, pdf, org_key=org.org.public_line)
    english, line = failed(report, "approver")
    assert "is not an approver in policy" in english
    assert re.fullmatch(
        r"✘  Freigebende Person: der Schlüssel [0-9a-f:]{19} von Eve gehört in der Richtlinie "
        r"[0-9a-f:]{19} keiner freigebenden Person",
        line,
    ), line
    # Dana's key, the statement naming Max as the manager.
    forged = _signed_statement(
        base,
        "dana",
        org.desk_keys,
        approver={**base["approver"], "name": "Max Moreno", "role": "manager"},
    )
    pdf = _with_attachments(rendered, [_statement_file(forged), _policy(rendered)])
    english, line = failed(verify_pdf(None, pdf, org_key=org.org.public_line), "approver")
    assert english == (
        "the statement names Max Moreno (manager), but the key belongs to Dana Whitfield "
        "(deal desk) in the policy"
    )
    assert line == (
        "✘  Freigebende Person: die Erklärung nennt Max Moreno (Manager), aber der Schlüssel gehört "
        "laut Richtlinie Dana Whitfield (Deal Desk)"
    ), line


def test_a_requester_name_with_an_invisible_character_in_german(rep: Database, org: Org) -> None:
    rendered = approved_pdf(rep, org)
    base = _attachment(rendered, "approval-statement.json")["statement"]
    forged = _signed_statement(
        base, "dana", org.desk_keys, requester={"name": "Dana\u200b", "key_fingerprints": []}
    )
    pdf = _with_attachments(rendered, [_statement_file(forged), _policy(rendered)])
    english, line = failed(verify_pdf(None, pdf, org_key=org.org.public_line), "separation")
    assert english.startswith("the requester's name 'Dana\\u200b' contains an invisible")
    assert line == (
        "✘  Funktionstrennung: der Name der anfragenden Person 'Dana\\u200b' enthält ein "
        "unsichtbares Zeichen, U+200B (ZERO WIDTH SPACE); schreiben Sie den Namen ohne es: Ein "
        "Name, der einem anderen nur ähnlich sieht, kann nicht zeigen, dass die anfragende nicht "
        "die freigebende Person ist"
    ), line
    # Latin mixed with Cyrillic in the approver's name.
    forged = _signed_statement(
        base, "dana", org.desk_keys, approver={**base["approver"], "name": "Dan\u0430 Whitfield"}
    )
    pdf = _with_attachments(rendered, [_statement_file(forged), _policy(rendered)])
    english, line = failed(verify_pdf(None, pdf, org_key=org.org.public_line), "separation")
    assert english.startswith("the approver's name 'Danа Whitfield' mixes Latin and Cyrillic")
    assert line.startswith(
        "✘  Funktionstrennung: der Name der freigebenden Person 'Danа Whitfield' mischt "
        "lateinische und kyrillische Buchstaben in 'Danа' (U+0430 (CYRILLIC SMALL LETTER A)); "
        "schreiben Sie den Namen in einem Alphabet: Ein Name"
    ), line


def test_a_discount_no_approval_covers_in_german(rep: Database, org: Org) -> None:
    policy_svc.install_policy(rep, org.bundle(), actor="it")
    customer(rep)
    row = quote_svc.create_quote(
        rep, document(discounts=[{"description": "Loyalty", "percent": "5"}]), actor="rick"
    ).value
    rendered = render_for_sending(rep, row.number)
    wrapper = _attachment(rendered, "approval-statement.json")
    wrapper["statement"]["discount_percent"] = "30"
    pdf = _with_attachments(rendered, [_statement_file(wrapper), _policy(rendered)])
    english, line = failed(verify_pdf(None, pdf, org_key=org.org.public_line), "approval")
    assert english == "no approval, yet nothing shows the 30% discount within the rep's authority"
    assert re.fullmatch(
        r"✘  Freigabe: keine Freigabe, doch nichts zeigt den Rabatt von 30\s% innerhalb der "
        r"Befugnis des Vertriebs",
        line,
    ), line


def _changed_signed_bytes(pdf: bytes) -> bytes:
    """The PDF with one letter of the signed revision changed (the signature's bytes kept)."""
    at = pdf.index(b"/Producer")
    stop = pdf.index(b")", at)
    assert stop - at < 200
    return pdf[: stop - 1] + (b"X" if pdf[stop - 1 : stop] != b"X" else b"Y") + pdf[stop:]


def test_a_tampered_pdf_signature_in_german(rep: Database, org: Org) -> None:
    customer(rep)
    row = quote_svc.create_quote(rep, document(), actor="rick").value
    signed = finalise(rep, row).pdf
    good = german(verify_pdf(None, signed, org_key=org.org.public_line))
    assert good["seller signature"].startswith("✔  Signatur des Verkäufers: Acme AI, "), good
    assert "selbstsigniert (Test)" in good["seller signature"], good
    report = verify_pdf(None, _changed_signed_bytes(signed), org_key=org.org.public_line)
    english, line = failed(report, "seller signature")
    assert english.endswith("certifying, the signed bytes were changed"), english
    assert "self-signed" not in line and "bytes" not in line, line
    assert line.endswith("zertifizierend, die signierten Bytes wurden verändert"), line
    # An incremental update that does more than fill the form and sign.
    from pypdf import PdfWriter

    writer = PdfWriter(io.BytesIO(signed), incremental=True)
    writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(None, out.getvalue(), org_key=org.org.public_line)
    english, line = failed(report, "seller signature")
    assert "changed after it beyond what it allows (other changes)" in english, english
    assert "danach über das Erlaubte hinaus geändert (andere Änderungen)" in line, line


def test_the_signature_lines_the_pdf_signatures_cannot_be_read_in_german() -> None:
    report = VerifyReport(verify_service.signature_checks(b"%PDF-1.7 nonsense"))
    english, line = failed(report, "signatures")
    assert english.startswith("it is not a PDF whose signatures can be read")
    assert line.startswith("✘  PDF-Signaturen: es ist kein PDF, dessen Signaturen gelesen"), line
    unknown = Sentence("signature Sig3", "verify.signature_field", field="Sig3")
    shown = german(VerifyReport([Check(False, unknown, Sentence("x", "verify.too_large"))]))
    assert shown[unknown] == "✘  Signatur Sig3: das PDF ist größer als 100 MB", shown


def test_a_file_that_is_not_a_pdf_and_an_unreadable_key_in_german() -> None:
    for data, expected in (
        (b"", "✘  Datei: sie kann nicht als PDF gelesen werden (sie ist leer)"),
        (
            b"hello",
            "✘  Datei: sie kann nicht als PDF gelesen werden (sie ist beschädigt oder kein PDF)",
        ),
    ):
        assert german(verify_pdf(None, data))["file"] == expected
    key = verify_service.organisation_key(None, "ed25519 not-a-key")
    assert isinstance(key.problem, Sentence)
    line = german(VerifyReport([Check(False, "organisation", key.problem)]))["organisation"]
    assert line == (
        "✘  Organisation: der angegebene Organisationsschlüssel: kein öffentlicher "
        "Ed25519-Schlüssel gefunden (erwartet: 44 Base64-Zeichen)"
    ), line


def test_every_failure_line_of_a_tampered_pdf_is_german(rep: Database, org: Org) -> None:
    """A statement re-signed by a stranger under a tampered policy: whatever lines it
    gives, none is the English the command line prints."""
    rendered = approved_pdf(rep, org)
    base = _attachment(rendered, "approval-statement.json")["statement"]
    forged = _signed_statement(base, "max", org.desk_keys, requester={"name": "Max\u2067"})
    pdf = _with_attachments(rendered, [_statement_file(forged), _policy(rendered)])
    report = verify_pdf(None, pdf, org_key=org.org.public_line)
    lines = german(report)
    for check in report.checks:
        line = lines[str(check.name)]
        assert str(check.message) not in line, line
        for english in (" the ", " is not ", " but ", " was ", " name "):
            assert english not in line, line


def test_a_policy_edited_with_sql_stops_approvals_in_german(
    tmp_path: Path, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editor's banner and the Approvals page said "Genehmigungen sind hier gestoppt:
    the organisation's policy stored in this database fails its check ...": the reason
    reached the window as English text (``str(exc)``). It now keeps its sentence and is
    written in the interface's language."""
    from types import SimpleNamespace

    from sqlalchemy import text as sql

    from quote_builder.services import approvals as approval_svc
    from quote_builder.ui.approval_banner import _state_text
    from quote_builder.ui.approvals_view import decision_problem

    db = open_database(str(tmp_path / "tampered.db"))
    try:
        name_the_seller(db)
        policy_svc.install_policy(db, org.bundle(), actor="it")
        customer(db)
        row = quote_svc.create_quote(
            db, document(discounts=[{"description": "Launch", "percent": "5"}]), actor="rick"
        ).value
        with db.engine.begin() as connection:
            connection.execute(sql("DROP TRIGGER policy_bundle_no_update"))
            rules = json.loads(
                connection.execute(sql("SELECT rules_json FROM policy_bundle")).scalar_one()
            )
            rules["margin_floor_percent"] = "0"
            connection.execute(
                sql("UPDATE policy_bundle SET rules_json = :r"), {"r": json.dumps(rules)}
            )
        state = approval_svc.approval_state(db, row.id)
        approvers = approval_svc.list_approvers(db)
    finally:
        db.close()
    assert state.problem and "changed outside Quote Builder" in state.problem
    i18n.use_language("de")
    try:
        _kind, banner = _state_text(state)
        request = SimpleNamespace(requested_by="rick", quote_number=row.number, version=1)
        page = decision_problem(request, "dana", [], approvers)  # type: ignore[arg-type]
    finally:
        i18n.use_language("en")
    for shown in (banner, page or ""):
        assert "außerhalb von Quote Builder geändert" in shown, shown
        assert "changed outside" not in shown and "fails its check" not in shown, shown


def test_the_checker_stopping_is_said_in_german() -> None:
    from types import SimpleNamespace

    from quote_builder.services.verify_job import VerifyJob

    job = VerifyJob.__new__(VerifyJob)  # the process it ran is gone: its exit code only
    for code, english, expected in (
        (
            -9,
            "the PDF checker stopped unexpectedly (exit code -9); check the PDF again",
            "✘  Datei: die PDF-Prüfung wurde unerwartet beendet (Exit-Code -9); prüfen Sie das "
            "PDF erneut",
        ),
        (
            None,
            "the PDF checker stopped unexpectedly; check the PDF again",
            "✘  Datei: die PDF-Prüfung wurde unerwartet beendet; prüfen Sie das PDF erneut",
        ),
    ):
        job._process = SimpleNamespace(exitcode=code)  # type: ignore[assignment]
        assert failed(job._stopped(), "file") == (english, expected)
