"""A process killed in the middle of a save leaves the database as before or as after.

A child process saves quote versions in a loop (each save writes a version, updates the
quote row and appends an audit event in one transaction); the parent kills it with
SIGKILL at varying moments, then checks that every save is either wholly there or
wholly absent."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from quote_builder.services import quotes as quote_svc
from quote_builder.services.customers import create_customer
from quote_builder.store.database import open_database

from .helpers import document

CHILD = r"""
import sys, itertools
from quote_builder.store.database import open_database
from quote_builder.services import quotes as svc
from quote_builder.pricing.quote_format import quote_from_data
db = open_database(sys.argv[1])
base = {"customer": {"name": "Acme"}, "currency": "USD", "start_date": "2027-01-01",
        "billing_frequency": "monthly",
        "components": [{"kind": "flat_fee", "id": "p", "name": "P", "amount": "1000"}]}
quote_id = int(sys.argv[2])
print("ready", flush=True)
for term in itertools.count(2):
    row = svc.get_quote(db, quote_id)
    doc = quote_from_data({**base, "term_months": term % 119 + 1, "notes": "x" * 4000})
    svc.save_quote(db, quote_id, doc, expected_version=row.version_id, actor="child")
"""


def check_consistent(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        latest, tcv_minor = connection.execute(
            "SELECT latest_version, tcv_minor FROM quote"
        ).fetchone()
        numbers = [
            n for (n,) in connection.execute("SELECT number FROM quote_version ORDER BY number")
        ]
        assert numbers == list(range(1, latest + 1))  # no gap, no version beyond the quote row
        saves = connection.execute(
            "SELECT count(*) FROM audit_event WHERE action IN ('quote_created', 'quote_saved')"
        ).fetchone()[0]
        assert saves == latest  # one audit event per version, never one without the other
        summary = json.loads(
            connection.execute(
                "SELECT summary_json FROM quote_version WHERE number = ?", (latest,)
            ).fetchone()[0]
        )
        assert (
            int(summary["tcv"].replace(".", "")) == tcv_minor
        )  # the row matches its latest version
        return int(latest)
    finally:
        connection.close()


def test_killed_mid_save_leaves_before_or_after(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    db = open_database(str(path))
    create_customer(db, {"name": "Acme"}, actor="t")
    quote_id = quote_svc.create_quote(db, document(), actor="t").value.id
    db.close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    versions = 1
    for round_number in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(quote_id)], stdout=subprocess.PIPE, env=env
        )
        assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
        time.sleep(0.15 + 0.07 * round_number)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        latest = check_consistent(path)
        assert latest >= versions
        versions = latest
    assert versions > 3  # the child really was saving when it was killed
    reopened = open_database(str(path))  # and the app opens it normally afterwards
    assert quote_svc.get_quote(reopened, quote_id).latest_version == versions
    reopened.close()
