"""What the command line's listings print is words a user reads: statuses as the app
labels them, a quote's history as sentences, never a stored code or raw JSON."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from quote_builder.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")
"""A stored code (``pending_approval``, ``approval_request_superseded``)."""


@pytest.fixture
def demo_db(tmp_path: Path) -> str:
    path = str(tmp_path / "demo.db")
    code, _, err = run("demo", "--db", path, "--create", "--user", "rep")
    assert code == 0, err
    return path


def test_quotes_list_prints_status_labels(demo_db: str) -> None:
    code, out, err = run("quotes", "list", "--db", demo_db)
    assert code == 0, err
    line = next(x for x in out.splitlines() if x.startswith("Q-2026-0003"))
    assert "Pending approval" in line
    assert CODE.search(out) is None, out


def test_plans_list_prints_labels(demo_db: str) -> None:
    code, out, err = run("plans", "list", "--db", demo_db)
    assert code == 0, err
    line = next(x for x in out.splitlines() if "Analytics Copilot" in x)
    assert "Platform fee + usage" in line and "AI analytics copilot" in line
    assert CODE.search(out) is None, out


def test_quotes_show_words_the_history(demo_db: str) -> None:
    # A new version of a quote waiting for approval supersedes the request and resets
    # the status to draft.
    code, _, err = run("quotes", "tax", "Q-2026-0003", "--none", "--db", demo_db, "--user", "rep")
    assert code == 0, err
    code, out, err = run("quotes", "show", "Q-2026-0003", "--db", demo_db)
    assert code == 0, err
    assert "Status: Draft" in out
    history = out.split("\nHistory\n", 1)[1]
    assert "Approval requested" in history
    assert "From: Draft; To: Pending approval" in history
    assert re.search(
        r"Request superseded by a new version\n\s+Version: 1; Superseded by version: 2; "
        r"Request: [0-9a-f]{8}…\n",
        history,
    ), history
    assert re.search(
        r"Status reset\n\s+From: Pending approval; To: Draft; Reason: content changed\n",
        history,
    ), history
    flat = re.sub(r"\s+", " ", history)  # the details are wrapped to 80 columns
    assert "Who must approve: Manager" in flat
    assert "{" not in history and '"' not in history
    assert CODE.search(history) is None, history
    assert all(len(line) <= 80 for line in history.splitlines()), history
    # The versions' TCVs are grouped as the summary's is.
    assert "TCV 115,518.43  sha256" in out


def test_approval_status_prints_the_status_label(demo_db: str) -> None:
    code, out, err = run("approval", "status", "Q-2026-0003", "--db", demo_db)
    assert code == 0, err
    assert out.startswith("Q-2026-0003 version 1: Pending approval\n")


def test_the_desktop_app_words_the_history_alike() -> None:
    from quote_builder.services import words
    from quote_builder.ui import history_words

    assert history_words.ACTIONS == words.AUDIT_LABELS
    assert history_words.DETAILS == words.HISTORY_DETAILS
    assert history_words.HIDDEN == words.HISTORY_HIDDEN


def test_an_unknown_action_and_detail_get_words() -> None:
    from quote_builder.services.history import event_details, event_title

    assert event_title("some_new_action") == "Some new action"
    assert event_details("some_new_action", {"new_detail": "x", "hash": "ab"}) == "New detail: x"


def test_a_database_of_another_program_is_refused_with_a_whole_sentence(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("create table notes (body text)")
    connection.close()
    code, out, err = run("quotes", "list", "--db", str(other))
    assert code == 3 and out == ""
    assert (
        err == f"{other} is a SQLite database of another program, not a Quote Builder database.\n"
    )
    text = tmp_path / "text.db"
    text.write_text("hello, this is a text file\n")
    code, _, err = run("quotes", "list", "--db", str(text))
    assert err == f"{text} is not a Quote Builder database (it is not a SQLite file).\n"


def test_price_keeps_two_spaces_between_a_long_component_name_and_its_amount() -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "outcome_contingent_sales.json"
    code, out, err = run("price", str(example))
    assert code == 0, err
    assert "  Share of attributed revenue (Percent of attributed value)  20,171.77\n" in out
    assert "  Base fee (Recurring fee)                           6,000.00\n" in out


def test_approval_keys_names_keys_trusted_by_hand_once(
    demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quote_builder.services import keys as key_service

    monkeypatch.setenv(key_service.KEYS_ENV, str(tmp_path / "keys"))
    dana = key_service.create_key("dana", "a long passphrase", directory=tmp_path / "desk")
    pub = tmp_path / "desk" / "dana.pub"
    code, _, err = run("approval", "trust", str(pub), "--name", "Dana", "--db", demo_db)
    assert code == 0, err
    code, out, err = run("approval", "keys", "--db", demo_db)
    assert code == 0, err
    assert (
        "Approvers trusted by hand on this machine (unverified: no organisation policy):\n" in out
    )
    # At 80 columns the whole fingerprint goes on the line under its approver's.
    lines = out.splitlines()
    at = next(n for n, x in enumerate(lines) if x.startswith("  Dana "))
    assert lines[at].split()[1:3] == ["no", "role"]
    assert lines[at + 1].strip() == dana.fingerprint
    assert out.count("trusted by hand") == 1


def test_quotes_compare_names_the_tax_s_country_and_rate_source(demo_db: str) -> None:
    # The demo's Fabrikam quote (Germany) has its VAT line from the rate table; a new
    # version without it is compared with it.
    code, _, err = run("quotes", "tax", "Q-2026-0003", "--none", "--db", demo_db, "--user", "rep")
    assert code == 0, err
    code, out, err = run("quotes", "compare", "Q-2026-0003", "1", "2", "--db", demo_db)
    assert code == 0, err
    assert "v1: VAT 0% for Germany (Reverse charge; rate from the table)\n" in out


def test_an_acceptance_and_a_renewal_are_worded() -> None:
    from quote_builder.services.history import event_details, event_title

    accepted = {"method": "paper", "signed_by": "Jane Buyer", "version": 1, "to": "accepted"}
    assert event_title("quote_accepted") == "Accepted by the customer"
    assert event_details("quote_accepted", accepted) == (
        "Version: 1; To: Accepted; Method: printed, signed and scanned (paper); "
        "Signed by: Jane Buyer"
    )
    assert event_details("contract_change_started", {"kind": "renewal", "quote": "Q-7"}) == (
        "Quote: Q-7; Kind: Renewal"
    )


def test_quotes_list_refuses_an_unknown_status_and_takes_the_printed_words(demo_db: str) -> None:
    code, out, err = run("quotes", "list", "--status", "bogus", "--db", demo_db)
    assert code == 2 and out == ""
    assert err.startswith("--status 'bogus': Give one of draft, pending_approval, approved")
    code, out, err = run("quotes", "list", "--status", "Pending approval", "--db", demo_db)
    assert code == 0, err
    assert out.startswith("Q-2026-0003 ") and out.endswith("1 of 1 quotes\n")


def test_a_decision_s_expiry_and_a_refusal_are_worded() -> None:
    from quote_builder.services.history import event_details

    decided = {
        "decision": "approved",
        "decision_id": "a18d4273-cf2a-43f8-8cea-6c903767defc",
        "expires_at": "2027-01-31T23:59:59Z",
        "approver_role": "deal_desk",
        "conditions": [],
    }
    assert event_details("approval_imported", decided) == (
        "Decision: Approved (a18d4273…); Role: Deal desk; Expires: 2027-01-31 23:59 UTC"
    )
    refused = {"reason": "self_approval", "message": "dana asked for it and cannot decide it."}
    assert event_details("approval_decision_refused", refused) == (
        "Reason: dana asked for it and cannot decide it"
    )


@pytest.mark.parametrize(
    ("stored", "where"),
    [
        ("{x", "(line 1, column 2: Expecting property name enclosed in double quotes)"),
        ("[1, 2]", "(an array where an object belongs)"),
        ("null", "(null where an object belongs)"),
    ],
)
def test_an_event_edited_by_hand_is_a_sentence_in_the_history(
    demo_db: str, stored: str, where: str
) -> None:
    """h5 walk: an audit event's details edited with sqlite3 into something that is not
    JSON (or not an object) made `quotes show` end in a JSONDecodeError (IndexError,
    TypeError) traceback. The event's details are one sentence naming it and what to do;
    the other events and the versions are shown as before."""
    import sqlite3

    with sqlite3.connect(demo_db) as connection:
        connection.execute("DROP TRIGGER audit_event_no_update")
        event = connection.execute(
            "SELECT audit_event.id FROM audit_event JOIN quote ON quote.id = quote_id "
            "WHERE number = 'Q-2026-0003' AND action = 'quote_created'"
        ).fetchone()[0]
        connection.execute("UPDATE audit_event SET details_json = ? WHERE id = ?", (stored, event))
    connection.close()
    code, out, err = run("quotes", "show", "Q-2026-0003", "--db", demo_db)
    assert code == 0 and err == "", err
    history = out.split("\nHistory\n", 1)[1]
    flat = re.sub(r"\s+", " ", history)
    assert (
        f"Quote created The details of this event cannot be read from the database {where}; "
        "they were changed outside Quote Builder: keep a copy of the database, then restore "
        "a backup" in flat
    ), history
    assert "Approval requested" in history and "v1  " in out
    assert all(len(line) <= 80 for line in out.splitlines()), out


def test_a_date_edited_by_hand_is_a_sentence(demo_db: str) -> None:
    """h5 walk: a customer's created_at edited with sqlite3 into 'garbage' made `customers
    list` (export, `quotes show` of its quotes) end in a ValueError traceback ("Invalid
    isoformat string"). It is one sentence saying what the database holds and what to do."""
    import sqlite3

    with sqlite3.connect(demo_db) as connection:
        connection.execute("UPDATE customer SET created_at = 'garbage'")
    connection.close()
    for argv in (("customers", "list"), ("customers", "export")):
        code, out, err = run(*argv, "--db", demo_db)
        assert code != 0 and "Traceback" not in err, err
        assert err == (
            "The database holds 'garbage' where a date and time belongs (it was changed "
            "outside Quote Builder): keep a copy of the database, then restore a backup or "
            "correct the value.\n"
        ), err


def test_selftest_fits_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """h5 walk: in an 80-column terminal `selftest` printed the renderer's check on one
    line of 98 characters (the terminal cut it in a word). Each check is wrapped under its
    name."""
    from quote_builder.services import selftest

    long = selftest.Check(
        "PDF renderer process",
        True,
        "proposal and contract, 131 KiB, in process 29599 (2.3 s with its start) " * 2,
    )
    monkeypatch.setattr(selftest, "run_checks", lambda: [long])
    code, out, err = run("selftest")
    assert code == 0, err
    lines = out.splitlines()[1:]
    assert len(lines) > 1 and all(len(line) <= 80 for line in lines), out
    assert lines[0].startswith("ok    PDF renderer process: proposal and contract")
    assert all(line.startswith("      ") for line in lines[1:]), out


def test_quotes_compare_fits_80_columns(demo_db: str) -> None:
    """h5 walk: `quotes compare` printed each of an outcome's terms (its definition, its
    verification evidence) on one line of up to 135 characters. Each is wrapped under its
    label, the words all there."""
    code, out, err = run("quotes", "compare", "Q-2026-0001", "1", "1", "--db", demo_db)
    assert code == 0, err
    assert all(len(line) <= 80 for line in out.splitlines()), out
    flat = " ".join(out.split())
    assert (
        "Resolved tickets: Outcome terms, verification evidence: Helpdesk audit log export "
        "listing ticket id, closing agent and reopen events."
    ) in flat
    assert "\n      " in out  # a long value goes on under its label


def test_a_customer_language_edited_by_hand_is_a_sentence_on_render(
    demo_db: str, tmp_path: Path
) -> None:
    """h5 walk: a customer's document language edited with sqlite3 into 'xx' made `render`
    of its quote end in a KeyError traceback. It is one sentence naming the field, where
    to set it and the languages; no PDF is written."""
    import sqlite3

    with sqlite3.connect(demo_db) as connection:
        connection.execute(
            "UPDATE customer SET language = 'xx' WHERE id = "
            "(SELECT customer_id FROM quote WHERE number = 'Q-2026-0002')"
        )
    connection.close()
    pdf = tmp_path / "q.pdf"
    code, out, err = run("render", "Q-2026-0002", "-o", str(pdf), "--db", demo_db)
    assert code == 2 and not pdf.exists(), err
    assert err == (
        "The customer's Document language (Customers page): 'xx' is not a language Quote "
        "Builder writes documents in; use one of en (English), de (German), fr (French), "
        "es (Spanish), ja (Japanese).\n"
    )
    # --language chooses another for this render: the customer's is not read.
    code, out, err = run(
        "render", "Q-2026-0002", "-o", str(pdf), "--db", demo_db, "--language", "de"
    )
    assert code == 0 and pdf.exists(), err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_an_error_on_a_terminal_fits_80_columns(demo_db: str, tmp_path: Path) -> None:
    """h5 walk: in an 80-column terminal an error of 180 characters (a customer's language
    edited by hand, on render) was cut mid-word by the terminal. On a terminal it is
    wrapped to the terminal's width; to a file or a program, one whole line as before."""
    import sqlite3

    with sqlite3.connect(demo_db) as connection:
        connection.execute("UPDATE customer SET language = 'xx'")
    connection.close()
    argv = ["render", "Q-2026-0002", "-o", str(tmp_path / "q.pdf"), "--db", demo_db]
    err = _Terminal()
    assert main(argv, io.StringIO(), err) == 2
    lines = err.getvalue().splitlines()
    assert len(lines) > 1 and all(len(line) <= 80 for line in lines), lines
    assert " ".join(err.getvalue().split()).startswith(
        "The customer's Document language (Customers page): 'xx' is not a language"
    )
    code, _out, piped = run(*argv)
    assert code == 2 and len(piped.splitlines()) == 1 and len(piped) > 80
