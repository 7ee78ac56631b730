"""Quote numbers in files (a buyer's lawyer found "Quote ../../etc/passwd" on every page, and
a file's Q-2026-0003 printed for another customer than the database's Q-2026-0003)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from quote_builder.cli import main
from quote_builder.pricing.quote_format import QuoteFileError, load_quote
from quote_builder.services import quotes as quote_svc
from quote_builder.services.core import InvalidInputError
from quote_builder.services.documents import render_quote_document
from quote_builder.store.database import Database
from tests.documents.conftest import pdf_text

from .helpers import customer, document, name_the_seller

ROOT = Path(__file__).resolve().parents[2]


def squash(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def quote_file(number: object) -> str:
    data = json.loads((ROOT / "examples" / "outcome_based_support.json").read_text())
    data["quote_number"] = number
    return json.dumps(data)


@pytest.mark.parametrize(
    "number",
    [
        "Q-2026-0003",  # the app's own (repositories.next_quote_number)
        "Q-WARM-UP",  # the render worker's warm-up quote
        "Q-00042",  # a CRM's quote number (Salesforce CPQ style)
        "SO-2026/117",  # an ERP's order number with a slash
        "2026.0042",
        "q_7",
        "A" * 40,  # the database column's length
    ],
)
def test_the_numbers_the_app_and_crms_give_are_accepted(number: str) -> None:
    assert load_quote(quote_file(number)).quote_number == number


@pytest.mark.parametrize(
    "number",
    [
        "../../etc/passwd",
        "/etc/passwd",
        ".hidden",
        "Q-2026..0003",
        "Q 2026 0003",
        "Q-2026-0003\u202e",  # a right-to-left override
        "Q-2026-٠٠٣",  # Arabic-Indic digits look like others in another script
        "<b>Q</b>",
        "A" * 41,
    ],
)
def test_other_quote_numbers_are_refused_with_a_sentence_naming_the_field(number: str) -> None:
    with pytest.raises(QuoteFileError) as raised:
        load_quote(quote_file(number))
    message = str(raised.value)
    assert message.startswith("quote_number: ")
    assert "quote number" in message
    assert "Traceback" not in message


def test_an_empty_number_is_no_number() -> None:
    assert load_quote(quote_file("")).quote_number is None


def test_the_command_line_refuses_a_path_as_a_quote_number(tmp_path: Path) -> None:
    path = tmp_path / "q.json"
    path.write_text(quote_file("../../etc/passwd"))
    out, err = io.StringIO(), io.StringIO()
    code = main(["render", str(path), "-o", str(tmp_path / "q.pdf")], out, err)
    assert code != 0 and not (tmp_path / "q.pdf").exists()
    assert f"{path}: quote_number: '../../etc/passwd' is not a quote number" in err.getvalue()


def test_a_saved_quote_with_a_bad_number_is_refused(db: Database) -> None:
    customer(db, "Acme")
    bad = document("Acme").model_copy(update={"quote_number": "../x"})  # no validation
    with pytest.raises(InvalidInputError, match=r"quote_number: '../x' is not a quote number"):
        quote_svc.create_quote(db, bad, actor="alice")


def test_a_files_number_of_another_customers_quote_is_left_out(
    db: Database, tmp_path: Path
) -> None:
    name_the_seller(db)
    customer(db, "Fabrikam")
    customer(db, "Brightline")
    saved = quote_svc.create_quote(db, document("Fabrikam"), actor="alice").value
    assert saved.number.startswith("Q-")
    # A file for another customer with the saved quote's number: one number, two customers.
    other = document("Brightline", quote_number=saved.number)
    rendered = render_quote_document(other, db=db, kind="contract")
    assert rendered.quote_number == ""
    assert rendered.result.warnings[0] == (
        f"quote number {saved.number} belongs to another quote in this database (for "
        "Fabrikam), so the documents for Brightline leave it out; import the file (quotes "
        "import) to give it a number of its own, or correct quote_number in the file"
    )
    assert saved.number not in squash(pdf_text(rendered.result.pdf, tmp_path))
    # The saved quote's own customer: a file of that quote keeps its number.
    own = document("Fabrikam", quote_number=saved.number)
    rendered = render_quote_document(own, db=db, kind="contract")
    assert rendered.quote_number == saved.number
    assert not any("belongs to another quote" in w for w in rendered.result.warnings)
    assert saved.number in squash(pdf_text(rendered.result.pdf, tmp_path))
    # A number the database does not have is the file's to print.
    fresh = document("Brightline", quote_number="Q-2099-0001")
    assert render_quote_document(fresh, db=db, kind="contract").quote_number == "Q-2099-0001"
