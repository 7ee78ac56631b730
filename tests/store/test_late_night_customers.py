"""The customer paths as a tired user at 11 pm walks them, on SQLite and PostgreSQL: names
pasted with tabs, line breaks and no-break spaces, a name differing only by case from an
existing one, a 500-character paste, and a second process editing or deleting the same
customer at the same time (the last writer never silently overwrites)."""

from __future__ import annotations

import pytest

from quote_builder.services import customers as svc
from quote_builder.services import transfer
from quote_builder.services.core import ConflictError, InvalidInputError, NotFoundError
from quote_builder.store.database import Database, open_database


def _second_process(db: Database) -> Database:
    """The same database through its own engine and connections, as another app has it."""
    return open_database(db.url if not db.is_sqlite else str(db.path))


@pytest.mark.parametrize(
    ("pasted", "saved"),
    [
        ("  Contoso Legal \n", "Contoso Legal"),
        ("Contoso\tLegal", "Contoso Legal"),
        ("Contoso Legal\r\nAttn: Accounts Payable\n", "Contoso Legal Attn: Accounts Payable"),
        ("Contoso\u00a0Legal", "Contoso Legal"),  # a no-break space from a web page
    ],
)
def test_a_pasted_name_is_saved_on_one_line(db: Database, pasted: str, saved: str) -> None:
    customer = svc.create_customer(
        db, {"name": pasted, "legal_name": pasted + "\t"}, actor="a"
    ).value
    assert (customer.name, customer.legal_name) == (saved, saved)
    assert svc.get_customer(db, customer.id).name == saved
    renamed = svc.update_customer(
        db, customer.id, {"name": "\tNorthwind\n"}, expected_version=1, actor="a"
    ).value
    assert renamed.name == "Northwind"


def test_a_csv_import_saves_names_on_one_line_too(db: Database) -> None:
    transfer.import_customers_csv(db, 'Name,CRM id\n"Globex\tEngineering ",G-1\n', actor="a")
    assert [c.name for c in svc.search_customers(db, "globex").rows] == ["Globex Engineering"]


def test_a_name_differing_only_by_case_or_white_space_is_refused(db: Database) -> None:
    svc.create_customer(db, {"name": "Contoso Legal"}, actor="a")
    for typed in ("CONTOSO LEGAL", "contoso\tlegal\n", " Contoso  Legal"):
        with pytest.raises(svc.DuplicateCustomerError, match="Contoso Legal already exists"):
            svc.create_customer(db, {"name": typed}, actor="a")
    assert svc.search_customers(db, "").total == 1


def test_a_500_character_name_is_refused_with_a_sentence_and_nothing_saved(db: Database) -> None:
    with pytest.raises(InvalidInputError) as refused:
        svc.create_customer(db, {"name": "Contoso " * 62 + "Ltd."}, actor="a")  # 500 characters
    # The length is given (README: "refused with its length"; walk 4, shot06).
    assert refused.value.problems == ["name: must be at most 200 characters (it has 500)"]
    assert svc.search_customers(db, "").total == 0
    customer = svc.create_customer(db, {"name": "Contoso"}, actor="a").value
    with pytest.raises(InvalidInputError, match="name: must be at most 200 characters"):
        svc.update_customer(db, customer.id, {"name": "x" * 500}, expected_version=1, actor="a")
    assert svc.get_customer(db, customer.id).name == "Contoso"


def test_two_processes_editing_the_same_customer(db: Database) -> None:
    """Both opened version 1; the other saves first; ours is refused naming who and when,
    and theirs stands. An archive from the other process is a change too."""
    customer = svc.create_customer(db, {"name": "Contoso"}, actor="a").value
    other = _second_process(db)
    try:
        svc.update_customer(
            other, customer.id, {"notes": "maria's note"}, expected_version=1, actor="maria"
        )
        with pytest.raises(ConflictError, match="Customer 'Contoso' was changed by maria at"):
            svc.update_customer(
                db, customer.id, {"notes": "my note"}, expected_version=1, actor="me"
            )
        assert svc.get_customer(db, customer.id).notes == "maria's note"
        svc.archive_customer(other, customer.id, expected_version=2, actor="maria")
        with pytest.raises(ConflictError, match="changed by maria"):
            svc.update_customer(
                db, customer.id, {"notes": "my note"}, expected_version=2, actor="me"
            )
        svc.delete_customer(other, customer.id, actor="maria")
        with pytest.raises(NotFoundError):
            svc.update_customer(
                db, customer.id, {"notes": "my note"}, expected_version=3, actor="me"
            )
    finally:
        other.close()
    assert svc.search_customers(db, "", include_archived=True).total == 0


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("1e70", "must have at most 15 digits before the decimal point"),
        ("1e-70", "must have at most 10 decimal places"),
        ("0.00000000001", "must have at most 10 decimal places"),
    ],
)
def test_a_usage_figure_too_long_to_keep_is_a_sentence_not_a_traceback(
    db: Database, typed: str, problem: str
) -> None:
    """Before: PostgreSQL refused the 71 digits of "1e70" with a traceback (the column holds
    64 characters); SQLite kept them."""
    with pytest.raises(InvalidInputError) as refused:
        svc.create_customer(db, {"name": "Contoso", "actions_per_user_per_day": typed}, actor="a")
    assert refused.value.problems == [f"actions_per_user_per_day: {problem}"]
    customer = svc.create_customer(
        db, {"name": "Contoso", "actions_per_user_per_day": "0.0000000001"}, actor="a"
    ).value
    with pytest.raises(InvalidInputError, match=f"loaded_hourly_rate: {problem}"):
        svc.update_customer(
            db, customer.id, {"loaded_hourly_rate": typed}, expected_version=1, actor="a"
        )
