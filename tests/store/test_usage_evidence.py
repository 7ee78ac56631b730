"""Keeping a usage log's evidence with a saved quote (SQLite and PostgreSQL): a new
version, audited; nothing saved when the log or the mapping is wrong; the CLI."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal
from pathlib import Path

import pytest

from quote_builder.cli import main
from quote_builder.pricing.evidence import evidence_bills
from quote_builder.services import quotes as svc
from quote_builder.services.usage import UsageLogFileError, attach_usage_log, detach_usage_log
from quote_builder.store.database import Database
from tests.lifecycle_helpers import finalise
from tests.pricing.factories import PLATFORM_WITH_ALLOWANCE

from .helpers import customer, document

PLATFORM = PLATFORM_WITH_ALLOWANCE


def write_log(path: Path, monthly: dict[str, int], metric: str = "enrichments") -> Path:
    """Two users a month sharing each month's quantity 3:1."""
    rows = ["timestamp,user,metric,quantity\n"]
    for month, quantity in monthly.items():
        rows.append(f"{month}-03T10:00:00Z,ann,{metric},{quantity * 3 // 4}\n")
        rows.append(f"{month}-04T10:00:00Z,bob,{metric},{quantity - quantity * 3 // 4}\n")
    path.write_text("".join(rows), encoding="utf-8")
    return path


def saved_quote(db: Database) -> svc.QuoteRow:
    customer(db)
    return svc.create_quote(db, document(components=PLATFORM), actor="alice").value


def test_attaching_a_log_adds_an_audited_version_with_the_bill_range(
    db: Database, tmp_path: Path
) -> None:
    row = saved_quote(db)
    log = write_log(tmp_path / "pilot.csv", {"2026-06": 560, "2026-07": 720, "2026-08": 910})
    attached = attach_usage_log(db, row.number, log, actor="bob").value
    assert attached.latest_version == 2
    doc = svc.open_version(db, row.id).document
    evidence = doc.usage_evidence
    assert evidence is not None and evidence.source_name == "pilot.csv"
    assert evidence.sha256 == hashlib.sha256(log.read_bytes()).hexdigest()
    assert evidence.rows == 6 and evidence.users == 2 and len(evidence.months) == 3
    bills = evidence_bills(doc)
    assert bills is not None
    # 1000 + (q - 500) x 1.50 -> 1090, 1330, 1615; three months are too few for
    # percentiles (the interpolated p10 1138 and p90 1558 were shown before): the
    # quietest, median and busiest month.
    assert (bills.low, bills.expected, bills.high) == (
        Decimal("1090.00"),
        Decimal("1330.00"),
        Decimal("1615.00"),
    )
    assert svc.open_version(db, row.id, 1).document.usage_evidence is None
    actions = [e["action"] for e in svc.audit_history(db, row.id)]
    assert actions[-1] == "usage_evidence_attached"
    removed = detach_usage_log(db, row.number, actor="bob").value
    assert removed.latest_version == 3
    assert svc.open_version(db, row.id).document.usage_evidence is None
    assert [e["action"] for e in svc.audit_history(db, row.id)][-1] == "usage_evidence_removed"


def test_an_approved_quote_goes_back_to_draft_when_evidence_is_attached(
    db: Database, tmp_path: Path
) -> None:
    row = saved_quote(db)
    finalise(db, row)
    assert svc.get_quote(db, row.id).status == "sent"
    log = write_log(tmp_path / "pilot.csv", {"2026-06": 600})
    assert attach_usage_log(db, row.number, log, actor="bob").value.status == "draft"


def test_a_bad_log_or_mapping_saves_nothing(db: Database, tmp_path: Path) -> None:
    row = saved_quote(db)
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,user,metric,quantity\n2026-06-01,ann,enrichments,lots\n")
    with pytest.raises(UsageLogFileError) as caught:
        attach_usage_log(db, row.number, bad, actor="bob")
    assert "line 2, column 4 (quantity): not a decimal number" in str(caught.value)
    good = write_log(tmp_path / "pilot.csv", {"2026-06": 600})
    with pytest.raises(UsageLogFileError) as caught:
        attach_usage_log(db, row.number, good, actor="bob", metric_map={"enrichments": "api"})
    assert "the log has no metric 'api'" in str(caught.value)
    with pytest.raises(UsageLogFileError) as caught:
        attach_usage_log(db, row.number, good, actor="bob", metric_map={"seats": "*"})
    assert "the quote has no metric 'seats'" in str(caught.value)
    assert svc.get_quote(db, row.id).latest_version == 1
    assert [e["action"] for e in svc.audit_history(db, row.id)] == ["quote_created"]


def test_cli_attach_and_detach(sqlite_db: Database, tmp_path: Path) -> None:
    row = saved_quote(sqlite_db)
    url = str(tmp_path / "quotes.db")
    log = write_log(tmp_path / "pilot.csv", {"2026-06": 560, "2026-07": 720}, metric="api_call")
    out, err = io.StringIO(), io.StringIO()
    code = main(["usage", "attach", row.number, str(log), "--db", url], out, err)
    assert code == 0, err.getvalue()
    text = out.getvalue()
    assert "kept in version 2" in text
    # 1090 and 1330: two months are too few for percentiles (p10 1114.00 and p90 1306.00
    # were printed before): the quietest 1090, the median (1090 + 1330) / 2 = 1210, the
    # busiest 1330, named as such.
    assert (
        "quiet 1,090.00, typical 1,210.00, busy 1,330.00 (quietest / median / busiest of "
        "2 months)" in text
    )
    assert "enrichments reads api_call (quantity)" in text
    out = io.StringIO()
    code = main(["usage", "attach", row.number, str(log), "--map", "nope", "--db", url], out, err)
    assert code == 2 and "--map 'nope': Write QUOTE_METRIC=LOG_METRIC" in err.getvalue()
    code = main(["usage", "detach", row.number, "--db", url], out, err)
    assert code == 0 and "usage evidence removed (version 3)" in out.getvalue()


def test_cli_simulates_a_catalog_plan(sqlite_db: Database, tmp_path: Path) -> None:
    import json

    from quote_builder.services.plans import create_plan

    create_plan(
        sqlite_db,
        name="Enrichment Platform",
        pricing_model="platform_usage",
        components=PLATFORM,
        actor="alice",
    )
    url = str(tmp_path / "quotes.db")
    log = write_log(tmp_path / "pilot.csv", {"2026-06": 560, "2026-07": 720, "2026-08": 910})
    out, err = io.StringIO(), io.StringIO()
    args = ["usage", "simulate", str(log), "--plan", "enrichment platform", "--db", url]
    assert main([*args, "--json"], out, err) == 0, err.getvalue()
    report = json.loads(out.getvalue())
    plan = report["models"][0]
    assert plan["title"] == "Platform fee + usage (plan Enrichment Platform)"
    assert plan["source"] == "quote"
    # The plan's own prices: 1090, 1330, 1615 a month.
    assert [m["bill"] for m in plan["months"]] == ["1090.00", "1330.00", "1615.00"]
    assert "enrichments: no unit cost, so its COGS counts as 0" in plan["notes"]
    out, err = io.StringIO(), io.StringIO()
    assert main(["usage", "simulate", str(log), "--plan", "Nope", "--db", url], out, err) == 2
    assert "No catalog plan named 'Nope' (plans: Enrichment Platform)." in err.getvalue()


def test_detach_without_evidence_is_refused_and_stale_choices_are_dropped(
    db: Database, tmp_path: Path
) -> None:
    from quote_builder.services.core import RefusedError

    row = saved_quote(db)
    with pytest.raises(RefusedError, match="keeps no usage evidence: nothing to remove"):
        detach_usage_log(db, row.number, actor="bob")
    log = write_log(tmp_path / "pilot.csv", {"2026-06": 600}, metric="api_call")
    attach_usage_log(db, row.number, log, actor="bob", metric_map={"enrichments": "api_call"})
    # The metric is renamed: the kept choice no longer names a quote metric. Attaching the
    # log again (no map given) drops it instead of refusing the rep's earlier choice.
    doc = svc.open_version(db, row.id).document
    renamed = [
        doc.components[0],
        doc.components[1].model_copy(update={"metric": "operations"}),
    ]
    current = svc.get_quote(db, row.id)
    svc.save_quote(
        db,
        row.id,
        doc.model_copy(update={"components": renamed}),
        expected_version=current.version_id,
        actor="bob",
    )
    attach_usage_log(db, row.number, log, actor="bob")
    evidence = svc.open_version(db, row.id).document.usage_evidence
    assert evidence is not None and evidence.metric_map == {}


def test_cli_refuses_a_map_without_a_quote_or_plan(tmp_path: Path) -> None:
    log = write_log(tmp_path / "pilot.csv", {"2026-06": 600})
    out, err = io.StringIO(), io.StringIO()
    assert main(["usage", "simulate", str(log), "--map", "a=b"], out, err) == 2
    assert "--map applies with --quote or --plan" in err.getvalue()


def test_comparing_versions_shows_the_usage_log(db: Database, tmp_path: Path) -> None:
    row = saved_quote(db)
    log = write_log(tmp_path / "pilot.csv", {"2026-06": 560, "2026-07": 720})
    attach_usage_log(db, row.number, log, actor="bob")
    rows = {r.label: r for r in svc.compare_versions(db, row.id, 1, 2)}
    usage = rows["Usage log"]
    assert usage.changed and usage.a == "none"
    assert usage.b.startswith("pilot.csv (SHA-256 ") and "2026-06 to 2026-07, 4 rows)" in usage.b


def test_cli_attach_says_when_the_range_leaves_a_charge_out(
    sqlite_db: Database, tmp_path: Path
) -> None:
    customer(sqlite_db)
    components = [
        {"kind": "per_unit", "id": "a", "name": "A", "metric": "completions", "unit_price": "1"},
        {"kind": "per_unit", "id": "b", "name": "B", "metric": "agent_runs", "unit_price": "5"},
    ]
    row = svc.create_quote(sqlite_db, document(components=components), actor="alice").value
    url = str(tmp_path / "quotes.db")
    log = write_log(tmp_path / "pilot.csv", {"2026-06": 100}, metric="completions")
    out, err = io.StringIO(), io.StringIO()
    assert main(["usage", "attach", row.number, str(log), "--db", url], out, err) == 0
    assert "Not used in the proposal: agent_runs read nothing from the log" in out.getvalue()
    out = io.StringIO()
    args = ["usage", "attach", row.number, str(log), "--map", "agent_runs=-", "--db", url]
    assert main(args, out, err) == 0, err.getvalue()
    assert "Not used in the proposal" not in out.getvalue()
    # One month: too few for percentiles, so the month itself, named as the proposal does.
    assert "quiet 100.00, typical 100.00, busy 100.00 (quietest / median / busiest of 1 month)" in (
        out.getvalue()
    )


def test_cli_asks_for_costs_instead_of_printing_a_zero_fee_floor(tmp_path: Path) -> None:
    import json

    quote = tmp_path / "q.json"
    quote.write_text(
        json.dumps(
            {
                "customer": {"name": "Initech"},
                "currency": "USD",
                "start_date": "2027-01-01",
                "term_months": 12,
                "components": PLATFORM,
            }
        )
    )
    log = write_log(tmp_path / "pilot.csv", {"2026-06": 900})
    out, err = io.StringIO(), io.StringIO()
    assert main(["usage", "simulate", str(log), "--quote", str(quote)], out, err) == 0
    assert "No unit cost or fixed cost is known for enrichments" in out.getvalue()
    assert "Fee floor 0.00" not in out.getvalue()
