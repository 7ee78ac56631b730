"""Quotes: numbers, immutable versions, hashes, compare, duplicate, conflicts, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from quote_builder.pricing import QuoteDocument, content_hash
from quote_builder.services import quotes as svc
from quote_builder.services.core import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    RefusedError,
)
from quote_builder.services.customers import delete_customer
from quote_builder.store.database import Database
from quote_builder.store.models import ImmutableRowError, QuoteVersion
from tests.lifecycle_helpers import finalise

from .helpers import customer, document


def test_create_quote_numbers_version_and_summary(db: Database) -> None:
    customer(db)
    first = svc.create_quote(db, document(), actor="alice").value
    second = svc.create_quote(db, document(), actor="alice").value
    year = dt.datetime.now(dt.UTC).year
    assert (first.number, second.number) == (f"Q-{year}-0001", f"Q-{year}-0002")
    assert first.latest_version == 1 and first.status == "draft"
    assert first.tcv.amount == Decimal("12000.00") and first.tcv.currency == "USD"
    versions = svc.list_versions(db, first.id)
    assert [v.number for v in versions] == [1]
    assert versions[0].content_hash == content_hash(svc.open_version(db, first.id).document)
    assert versions[0].summary["years"][0]["revenue"] == "12000.00"


def test_saving_appends_versions_and_identical_content_gives_identical_hash(db: Database) -> None:
    customer(db)
    row = svc.create_quote(db, document(), actor="alice").value
    changed = document(term_months=24, escalator_percent="4")
    row = svc.save_quote(db, row.id, changed, expected_version=row.version_id, actor="bob").value
    assert row.latest_version == 2
    # Saving the same content again appends nothing.
    same = svc.save_quote(db, row.id, changed, expected_version=row.version_id, actor="bob")
    assert same.value.latest_version == 2 and same.changes.empty
    # Going back to the first content: a new version whose hash equals version 1's.
    row = svc.save_quote(db, row.id, document(), expected_version=row.version_id, actor="bob").value
    hashes = [v.content_hash for v in svc.list_versions(db, row.id)]
    assert len(hashes) == 3 and hashes[0] == hashes[2] != hashes[1]
    # The first version is unchanged.
    assert svc.open_version(db, row.id, 1).document.term_months == 12


def test_versions_cannot_be_edited_or_deleted(db: Database) -> None:
    customer(db)
    row = svc.create_quote(db, document(), actor="alice").value
    with pytest.raises(ImmutableRowError), db.write() as session:
        version = session.get(QuoteVersion, 1)
        assert version is not None
        version.author = "mallory"
    # Even raw SQL is refused by the database's own trigger.
    with pytest.raises(DBAPIError), db.write() as session:
        session.execute(text("UPDATE quote_version SET author = 'mallory'"))
    with pytest.raises(DBAPIError), db.write() as session:
        session.execute(text("DELETE FROM audit_event"))
    assert svc.list_versions(db, row.id)[0].author == "alice"


def test_stale_save_is_refused_with_who_and_when(db: Database) -> None:
    customer(db)
    row = svc.create_quote(db, document(), actor="alice").value
    svc.save_quote(
        db, row.id, document(term_months=24), expected_version=row.version_id, actor="bob"
    )
    with pytest.raises(ConflictError) as info:
        svc.save_quote(
            db, row.id, document(term_months=36), expected_version=row.version_id, actor="alice"
        )
    message = str(info.value)
    assert "changed by bob" in message and "nothing was saved" in message
    assert svc.get_quote(db, row.id).latest_version == 2  # alice's edit did not overwrite bob's


def test_compare_two_versions_side_by_side(db: Database) -> None:
    customer(db)
    row = svc.create_quote(db, document(), actor="alice").value
    svc.save_quote(
        db,
        row.id,
        document(term_months=24, escalator_percent="5"),
        expected_version=row.version_id,
        actor="alice",
    )
    rows = {r.label: r for r in svc.compare_versions(db, row.id, 1, 2)}
    # In a seller's words, amounts in the locale (issue 17: no "24600.00", no JSON).
    assert (rows["Term"].a, rows["Term"].b) == ("12 months", "24 months")
    assert rows["Term"].changed
    assert (rows["TCV"].a, rows["TCV"].b) == ("$12,000.00", "$24,600.00")  # 12,000 + 12 x 1,050
    # A percent with the digits it has, by the one formatter (not "5.00%").
    assert (rows["Annual escalator"].a, rows["Annual escalator"].b) == ("0%", "5%")
    assert not rows["Currency"].changed
    assert rows["Year 2 revenue"].a == "—" and rows["Year 2 revenue"].b == "$12,600.00"
    german = {r.label: r for r in svc.compare_versions(db, row.id, 1, 2, locale="de_DE")}
    assert german["TCV"].b == "24.600,00\xa0$"


def test_compare_writes_every_percent_by_the_locale_formatter(db: Database) -> None:
    """A discount's percent is a percent (30%, not a bare 30), the discount vs list and the
    escalator with the digits they have (30%, 10.01%), not the engine's 30.0% / 3.00%;
    German writes them "30 %" (the comparison dialog, the approvals' changes since, the
    command line)."""
    customer(db)
    row = svc.create_quote(db, document(), actor="alice").value
    row = svc.save_quote(
        db,
        row.id,
        document(
            escalator_percent="3.50",
            discounts=[{"description": "Deal", "percent": "30"}],
            economics={"margin_floor_percent": "40.0", "target_margin_percent": "70"},
        ),
        expected_version=row.version_id,
        actor="alice",
    ).value
    svc.save_quote(
        db,
        row.id,
        document(discounts=[{"description": "Deal", "percent": "10.01"}]),
        expected_version=row.version_id,
        actor="alice",
    )
    english = {r.label: r for r in svc.compare_versions(db, row.id, 2, 3)}
    assert (english["Discount 1 (Deal): Percent"].a, english["Discount 1 (Deal): Percent"].b) == (
        "30%",
        "10.01%",
    )
    assert (english["Discount vs list"].a, english["Discount vs list"].b) == ("30%", "10.01%")
    assert english["Annual escalator"].a == "3.5%"
    assert (english["Margin floor"].a, english["Target margin"].a) == ("40%", "70%")
    german = {r.label: r for r in svc.compare_versions(db, row.id, 2, 3, locale="de_DE")}
    assert german["Discount 1 (Deal): Percent"].a == "30\xa0%"
    assert german["Discount vs list"].a == "30\xa0%"
    assert german["Discount vs list"].b == "10,01\xa0%"
    assert german["Annual escalator"].a == "3,5\xa0%"


def test_duplicate_makes_a_new_draft(db: Database) -> None:
    customer(db)
    row = svc.create_quote(db, document(title="Original"), actor="alice").value
    finalise(db, row, "alice")
    copy = svc.duplicate_quote(db, row.id, actor="bob").value
    assert copy.number != row.number and copy.status == "draft" and copy.latest_version == 1
    assert svc.open_version(db, copy.id).document.title == "Original"
    assert svc.open_version(db, copy.id).document.quote_number == copy.number


def test_status_resets_to_draft_when_sent_content_changes(db: Database) -> None:
    # ("approved" is set only by a verified decision since issue 14: see
    # tests/store/test_approvals.py for an approved quote going back to draft.)
    customer(db)
    row = svc.create_quote(db, document(), actor="alice").value
    finalise(db, row, "desk")
    row = svc.get_quote(db, row.id)
    assert row.status == "sent"
    row = svc.save_quote(
        db, row.id, document(term_months=24), expected_version=row.version_id, actor="alice"
    ).value
    assert row.status == "draft"
    actions = [e["action"] for e in svc.audit_history(db, row.id)]
    assert actions == ["quote_created", "quote_sent", "quote_saved", "status_reset"]


def test_approval_statuses_only_come_from_approvals(db: Database) -> None:
    customer(db)
    with pytest.raises(InvalidInputError, match="cannot start approved"):
        svc.create_quote(db, document(), actor="alice", status="approved")
    row = svc.create_quote(db, document(), actor="alice").value
    for status in ("pending_approval", "approved", "rejected"):
        with pytest.raises(InvalidInputError, match="only from the approval steps"):
            svc.set_status(db, row.id, status, expected_version=row.version_id, actor="alice")
    assert svc.get_quote(db, row.id).status == "draft"


def test_duplicate_numbers_are_refused(db: Database) -> None:
    customer(db)
    svc.create_quote(db, document(), actor="alice", number="Q-2026-0042")
    with pytest.raises(RefusedError, match="Q-2026-0042 is already used"):
        svc.create_quote(db, document(), actor="alice", number="Q-2026-0042")


def test_unknown_customer_and_quote(db: Database) -> None:
    with pytest.raises(NotFoundError, match="no customer named 'Nobody'"):
        svc.create_quote(db, document("Nobody"), actor="alice")
    with pytest.raises(NotFoundError):
        svc.find_quote(db, "Q-1999-0001")


def test_customer_with_quotes_cannot_be_deleted(db: Database) -> None:
    customer_id = customer(db)
    svc.create_quote(db, document(), actor="alice")
    with pytest.raises(RefusedError, match="archive it instead"):
        delete_customer(db, customer_id, actor="alice")


def test_list_sorted_by_last_change_and_searchable(db: Database) -> None:
    customer(db, "Acme")
    customer(db, "Globex")
    a = svc.create_quote(db, document("Acme"), actor="alice").value
    b = svc.create_quote(db, document("Globex"), actor="alice").value
    svc.save_quote(
        db, a.id, document("Acme", term_months=24), expected_version=a.version_id, actor="alice"
    )
    page = svc.list_quotes(db)
    assert [r.number for r in page.rows] == [a.number, b.number] and page.total == 2
    assert [r.customer_name for r in svc.list_quotes(db, "glob").rows] == ["Globex"]
    by_tcv = svc.list_quotes(db, sort="tcv", descending=False).rows
    assert [r.number for r in by_tcv] == [b.number, a.number]  # 12,000 < 24,000


def test_list_sorted_by_status_follows_the_order_given(db: Database) -> None:
    """Sorted by status with ``status_order`` (the labels' order the window computes), the
    quotes follow the status the list shows: a draft past its valid-until date is expired,
    a quote marked approved without an approval in force is ``no_approval``; without an
    order, by the stored code as before."""
    customer(db, "Acme")
    made = [svc.create_quote(db, document("Acme"), actor="alice").value for _ in range(4)]
    with db.write() as session:
        for quote, status, days in zip(
            made, ("draft", "draft", "approved", "sent"), (30, -1, 30, 30), strict=True
        ):
            session.execute(
                text("UPDATE quote SET status = :s, valid_until = :d WHERE id = :i"),
                {
                    "s": status,
                    "d": (dt.date.today() + dt.timedelta(days=days)).isoformat(),
                    "i": quote.id,
                },
            )
    draft, past, approved, sent = (q.number for q in made)
    order = ["sent", "expired", "no_approval", "draft", "approved"]
    rows = svc.list_quotes(db, sort="status", descending=False, status_order=order).rows
    assert [r.number for r in rows] == [sent, past, approved, draft]
    rows = svc.list_quotes(db, sort="status", descending=True, status_order=order).rows
    assert [r.number for r in rows] == [draft, approved, past, sent]
    rows = svc.list_quotes(db, sort="status", descending=False).rows  # by the stored code
    assert [r.number for r in rows][-1] == sent


# --- a save that lost a race: three-way merge ------------------------------------------------

US_TAX = {
    "kind": "sales_tax",
    "rule": "domestic",
    "rate_percent": "8.875",
    "seller_country": "US",
    "customer_country": "US",
    "customer_region": "NY",
    "rate_source": "rep",
    "confirmed": True,
}


def test_merge_of_disjoint_changes_keeps_both() -> None:
    """Theirs added the tax, mine changed the title: both survive, nothing conflicts
    (the save used to keep only mine and drop their confirmed tax)."""
    base = document(title="Contract review")
    theirs = document(title="Contract review", tax=US_TAX)
    mine = document(title="Contract review, GUI edit")
    merge = svc.merge_documents(base, mine, theirs)
    assert merge.conflicts == [] and merge.problems == []
    assert [str(f) for f in merge.theirs_changed] == ["Tax"]
    assert [str(f) for f in merge.mine_changed] == ["Title"]
    assert merge.keep_mine == merge.keep_theirs
    saved = merge.keep_mine
    assert saved is not None and saved.title == "Contract review, GUI edit"
    assert saved.tax is not None and saved.tax.rate_percent == Decimal("8.875")


def test_merge_of_nested_fields_and_removals() -> None:
    """Different fields of the contract terms merge; removing a field is a change too."""
    base = document(notes="call first", contract={"payment_terms_days": 30, "auto_renew": True})
    theirs = document(notes="call first", contract={"payment_terms_days": 45, "auto_renew": True})
    mine = document(contract={"payment_terms_days": 30, "auto_renew": False})  # notes cleared
    merge = svc.merge_documents(base, mine, theirs)
    assert merge.conflicts == []
    saved = merge.keep_mine
    assert saved is not None and saved.notes == ""
    assert (saved.contract.payment_terms_days, saved.contract.auto_renew) == (45, False)


def test_merge_of_the_same_field_is_a_conflict_settled_either_way() -> None:
    base = document(title="Base", term_months=12)
    theirs = document(title="Theirs", term_months=24)
    mine = document(title="Mine", term_months=12, escalator_percent="3")
    merge = svc.merge_documents(base, mine, theirs)
    assert [str(f) for f in merge.conflicts] == ["Title"]
    assert merge.keep_mine is not None and merge.keep_theirs is not None
    # Theirs' term and mine's escalator are kept whichever title is chosen.
    assert (merge.keep_mine.title, merge.keep_mine.term_months) == ("Mine", 24)
    assert (merge.keep_theirs.title, merge.keep_theirs.term_months) == ("Theirs", 24)
    assert merge.keep_mine.escalator_percent == merge.keep_theirs.escalator_percent == 3
    # Both changed it to the same value: no conflict.
    same = svc.merge_documents(base, document(title="Same"), document(title="Same"))
    assert same.conflicts == [] and same.keep_mine is not None
    assert same.keep_mine.title == "Same"


def test_merge_that_makes_no_valid_quote_says_why() -> None:
    """Theirs removed the component mine's new discount names: no document to save."""
    two = [
        {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"},
        {"kind": "flat_fee", "id": "support", "name": "Support", "amount": "200"},
    ]
    base = document(components=two)
    theirs = document(components=two[:1])
    mine = document(
        components=two, discounts=[{"component": "support", "percent": "10", "months": 12}]
    )
    merge = svc.merge_documents(base, mine, theirs)
    assert merge.keep_mine is None and merge.keep_theirs is None
    assert merge.problems and any("support" in p for p in merge.problems)


def test_plan_merge_counts_my_changes_from_the_version_i_opened(db: Database) -> None:
    customer(db)
    row = svc.create_quote(db, document(title="Base"), actor="alice").value
    svc.save_quote(
        db,
        row.id,
        document(title="Base", tax=US_TAX),
        expected_version=row.version_id,
        actor="rick",
    )
    plan = svc.plan_merge(db, row.id, 1, document(title="Mine"))
    assert plan.theirs.version.number == 2 and plan.merge.conflicts == []
    merged = plan.merge.keep_mine
    assert merged is not None
    saved = svc.save_quote(
        db, row.id, merged, expected_version=plan.theirs.quote.version_id, actor="alice"
    ).value
    assert saved.latest_version == 3
    third = svc.open_version(db, row.id, 3).document
    assert third.title == "Mine" and third.tax is not None and third.tax.confirmed


def test_a_tax_rate_is_compared_with_the_digits_it_has() -> None:
    """Walk 6: the merge dialog showed "Sales tax 9.250%" and "7.500%" where the command
    line says "9.25%": a rate is written with the digits it has, as everywhere else."""
    tax = {
        "kind": "sales_tax", "rule": "rep_entered", "seller_country": "US",
        "customer_country": "US", "customer_region": "NY", "rate_source": "rep",
        "confirmed": True,
    }  # fmt: skip
    a = document(tax={**tax, "rate_percent": "9.250"})
    b = document(tax={**tax, "rate_percent": "7.5"})
    rows = {r.label: r for r in svc.compare_documents(a, b)}
    assert rows["Tax"].a.startswith("Sales tax 9.25% for United States (NY)"), rows["Tax"].a
    assert rows["Tax"].b.startswith("Sales tax 7.5% for United States (NY)"), rows["Tax"].b


# --- lists of identified items merge item by item (defect 3) ---------------------------------

PLATFORM = {"kind": "flat_fee", "id": "platform", "name": "Platform", "amount": "1000"}
API = {
    "kind": "per_unit",
    "id": "api",
    "name": "API calls",
    "metric": "calls",
    "unit_price": "0.01",
}
SUPPORT = {"kind": "flat_fee", "id": "support", "name": "Support", "amount": "200"}
EXTRA = {"kind": "flat_fee", "id": "extra", "name": "Extra", "amount": "50"}
TEAM = {"kind": "seats", "id": "team", "name": "Team", "seats": 10, "price_per_seat": "45.00"}
FORECAST = {"calls": {"monthly": "100000"}}


def _ids(doc: QuoteDocument | None) -> list[str]:
    assert doc is not None
    return [c.id for c in doc.components]


def _component(doc: QuoteDocument | None, component_id: str) -> dict[str, Any]:
    assert doc is not None
    found: dict[str, Any] = doc.component(component_id).model_dump(mode="json", by_alias=True)
    return found


def test_components_changed_on_different_items_merge_item_by_item() -> None:
    """Theirs raised the API price, added Training and removed Extra; mine changed
    Support's fee and added Onboarding after Platform. Different components: no conflict,
    and every change of each side is in the merged quote (the list used to be one field:
    "You both changed: Components", and one side's changes were lost whichever was kept)."""
    base = document(components=[PLATFORM, API, SUPPORT, EXTRA], usage_forecast=FORECAST)
    training = {"kind": "one_time_fee", "id": "training", "name": "Training", "amount": "900"}
    theirs = document(
        components=[PLATFORM, {**API, "unit_price": "0.02"}, SUPPORT, training],
        usage_forecast=FORECAST,
    )
    onboarding = {"kind": "flat_fee", "id": "onboarding", "name": "Onboarding", "amount": "75"}
    mine = document(
        components=[PLATFORM, onboarding, API, {**SUPPORT, "amount": "250"}, EXTRA],
        usage_forecast=FORECAST,
    )
    merge = svc.merge_documents(base, mine, theirs)
    assert merge.conflicts == [] and merge.problems == []
    assert [str(f) for f in merge.theirs_changed] == ["Components"]
    assert [str(f) for f in merge.mine_changed] == ["Components"]
    assert merge.keep_mine == merge.keep_theirs
    saved = merge.keep_mine
    assert _ids(saved) == ["platform", "onboarding", "api", "support", "training"]
    assert _component(saved, "api")["unit_price"] == "0.02"  # theirs
    assert _component(saved, "support")["amount"] == "250"  # mine
    assert not merge.keep_mine_is_theirs


def test_the_same_component_changed_by_both_is_a_conflict_on_that_item() -> None:
    """Both changed the API price: a conflict naming that component, settled either way;
    the other components' changes are kept whichever price is chosen. Removing a component
    the other side changed is a conflict on it too."""
    base = document(components=[PLATFORM, API, SUPPORT], usage_forecast=FORECAST)
    theirs = document(
        components=[{**PLATFORM, "amount": "1100"}, {**API, "unit_price": "0.02"}, SUPPORT],
        usage_forecast=FORECAST,
    )
    mine = document(
        components=[PLATFORM, {**API, "unit_price": "0.03"}, {**SUPPORT, "amount": "250"}],
        usage_forecast=FORECAST,
    )
    merge = svc.merge_documents(base, mine, theirs)
    assert [str(f) for f in merge.conflicts] == ["Components: API calls"]
    for kept, price in ((merge.keep_mine, "0.03"), (merge.keep_theirs, "0.02")):
        assert _ids(kept) == ["platform", "api", "support"]
        assert _component(kept, "api")["unit_price"] == price
        assert _component(kept, "platform")["amount"] == "1100"  # theirs, either way
        assert _component(kept, "support")["amount"] == "250"  # mine, either way
    removed = svc.merge_documents(
        base, document(components=[PLATFORM, API], usage_forecast=FORECAST), theirs
    )
    assert removed.conflicts == []  # Support: removed by me, untouched by them
    gone = svc.merge_documents(
        base,
        document(components=[PLATFORM, SUPPORT]),
        theirs,  # I removed the API calls
    )
    assert [str(f) for f in gone.conflicts] == ["Components: API calls"]
    assert _ids(gone.keep_mine) == ["platform", "support"]
    assert _ids(gone.keep_theirs) == ["platform", "api", "support"]


def test_a_component_moved_on_one_side_keeps_that_order() -> None:
    """I moved Support to the top, they changed the API price: my order, their price.
    Both moving components differently is a conflict on the list's order."""
    base = document(components=[PLATFORM, API, SUPPORT], usage_forecast=FORECAST)
    theirs = document(
        components=[PLATFORM, {**API, "unit_price": "0.02"}, SUPPORT], usage_forecast=FORECAST
    )
    mine = document(components=[SUPPORT, PLATFORM, API], usage_forecast=FORECAST)
    merge = svc.merge_documents(base, mine, theirs)
    assert merge.conflicts == []
    assert _ids(merge.keep_mine) == ["support", "platform", "api"]
    assert _component(merge.keep_mine, "api")["unit_price"] == "0.02"
    both = svc.merge_documents(
        base, mine, document(components=[API, PLATFORM, SUPPORT], usage_forecast=FORECAST)
    )
    assert [str(f) for f in both.conflicts] == ["Components"]
    assert _ids(both.keep_mine) == ["support", "platform", "api"]
    assert _ids(both.keep_theirs) == ["api", "platform", "support"]


def test_ramps_merge_by_year_and_cost_only_metrics_by_name() -> None:
    """Theirs added a year-2 ramp, mine a year-3 ramp: both, in year order; the same year
    changed by both is a conflict naming the year. Cost-only metrics are a set of names."""
    comps = [PLATFORM, TEAM, API]
    base = document(
        term_months=36,
        components=comps,
        usage_forecast=FORECAST,
        economics={"unit_costs": {"calls": "0.001", "gpu": "2"}, "cost_only_metrics": ["gpu"]},
    )
    year2 = {"year": 2, "seats": {"team": 15}}
    year3 = {"year": 3, "seats": {"team": 20}}
    theirs = document(
        term_months=36,
        components=comps,
        usage_forecast=FORECAST,
        ramps=[year2],
        economics={"unit_costs": {"calls": "0.001", "gpu": "2"}, "cost_only_metrics": []},
    )
    mine = document(
        term_months=36,
        components=comps,
        usage_forecast=FORECAST,
        ramps=[year3],
        economics={
            "unit_costs": {"calls": "0.001", "gpu": "2", "tpu": "3"},
            "cost_only_metrics": ["gpu", "tpu"],
        },
    )
    merge = svc.merge_documents(base, mine, theirs)
    assert merge.conflicts == [] and merge.problems == []
    saved = merge.keep_mine
    assert saved is not None
    assert [(r.year, dict(r.seats)) for r in saved.ramps] == [(2, {"team": 15}), (3, {"team": 20})]
    assert saved.economics.cost_only_metrics == ["tpu"]  # theirs removed gpu, mine added tpu
    clash = svc.merge_documents(
        base,
        document(term_months=36, components=comps, usage_forecast=FORECAST, ramps=[year2]),
        document(
            term_months=36,
            components=comps,
            usage_forecast=FORECAST,
            ramps=[{"year": 2, "seats": {"team": 12}}],
        ),
    )
    assert [str(f) for f in clash.conflicts] == ["Ramps: from year 2"]


def test_discounts_have_no_identity_and_merge_as_one_value() -> None:
    """A discount has no id an edit keeps (the first is the deal discount, the others are
    told apart by what they hold): the list is one value, as before; both changing it is
    a conflict on Discounts (docs/architecture.md)."""
    comps = [PLATFORM, SUPPORT]
    deal = {"description": "Deal", "percent": "10"}
    base = document(components=comps, discounts=[deal])
    theirs = document(components=comps, discounts=[{**deal, "percent": "12"}])
    mine = document(components=comps, discounts=[deal, {"component": "support", "percent": "5"}])
    merge = svc.merge_documents(base, mine, theirs)
    assert [str(f) for f in merge.conflicts] == ["Discounts"]


def test_a_merge_that_is_their_version_says_so() -> None:
    """My only change was the one they made too: the merged quote is theirs as it is, and
    the merge says so (saving it would make no new version)."""
    base = document(title="Base")
    theirs = document(title="Same", notes="their note")
    merge = svc.merge_documents(base, document(title="Same"), theirs)
    assert merge.conflicts == [] and merge.keep_mine_is_theirs and merge.keep_theirs_is_theirs
    unchanged = svc.merge_documents(base, base, theirs)  # nothing of mine changed
    assert unchanged.keep_mine_is_theirs and unchanged.mine_changed == []
    mixed = svc.merge_documents(base, document(title="Mine"), theirs)
    assert [str(f) for f in mixed.conflicts] == ["Title"]
    assert not mixed.keep_mine_is_theirs and mixed.keep_theirs_is_theirs
