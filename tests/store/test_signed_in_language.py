"""The seller's signature on a final order form reads in the document's language (the
buyer's review: a French order form stamped "Signed by Acme AI 2026-12-01 04:46 UTC" in
English Courier, its seller's Date line blank)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from quote_builder.documents import pdfsign
from quote_builder.store.database import Database
from tests.lifecycle_helpers import finalise

from .test_lifecycle import new_quote


def _last_page(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install poppler-utils")
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    return pages[-1]


@pytest.mark.parametrize(
    ("language", "signed", "date_line", "english"),
    [
        (
            "fr",
            r"Signé électroniquement par Acme AI le (1er )?\S+ \S+ \d{4} à \d\d:\d\d UTC",
            r"Date : \S+ \S+ \d{4}",
            "Signed by",
        ),
        (
            "de",
            r"Elektronisch unterzeichnet von Acme AI am \d+\. \S+ \d{4} um \d\d:\d\d UTC",
            r"Datum: \d+\. \S+ \d{4}",
            "Signed by",
        ),
        (
            "en",
            r"Signed electronically by Acme AI on \S+ \d+, \d{4} at \d\d:\d\d UTC",
            r"Date: \S+ \d+, \d{4}",
            "Signé",
        ),
    ],
)
def test_the_sellers_signature_and_date_are_in_the_documents_language(
    db: Database, tmp_path: Path, language: str, signed: str, date_line: str, english: str
) -> None:
    row = new_quote(db, language=language)
    before = dt.datetime.now(dt.UTC)
    sent = finalise(db, row)
    page = " ".join(_last_page(sent.pdf, tmp_path).split())
    assert re.search(signed, page), page[-800:]
    # The seller's Date line carries the signing date; the customer's stays "Date" alone.
    assert len(re.findall(date_line, page)) == 1, page[-800:]
    assert english not in page
    # The time printed is the signature's own (UTC), to the minute.
    (seller,) = pdfsign.pdf_signatures(sent.pdf)
    assert seller.valid and seller.intact and seller.signed_at is not None
    hhmm = re.search(r"(\d\d):(\d\d) UTC", page)
    assert hhmm is not None
    printed = seller.signed_at.astimezone(dt.UTC).replace(
        hour=int(hhmm.group(1)), minute=int(hhmm.group(2)), second=0, microsecond=0
    )
    assert dt.timedelta(0) <= seller.signed_at - printed < dt.timedelta(minutes=2)
    assert before - dt.timedelta(minutes=1) <= printed
