"""A usage log analysed in its own process: the result, the reason when there is none, and
cancelling a job that is still reading."""

from __future__ import annotations

from pathlib import Path

from quote_builder.errors import UserFacingError
from quote_builder.services.usage import UsageAnalysis
from quote_builder.services.usage_job import UsageJob


def test_a_job_returns_the_analysis(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("timestamp,user,metric,quantity\n2026-01-05,ann,api,3\n2026-02-05,bob,api,5\n")
    result = UsageJob(log).wait(60)
    assert isinstance(result, UsageAnalysis)
    assert result.evidence.rows == 2 and [m.month for m in result.evidence.months] == [
        "2026-01",
        "2026-02",
    ]


def test_a_bad_log_gives_the_reason_not_a_traceback(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("timestamp,user,metric,quantity\n2026-01-05,ann,api,-3\n")
    # The error comes back whole (its problems are Sentences the app writes in the
    # interface's language), no longer flattened to its English text.
    result = UsageJob(log).wait(60)
    assert isinstance(result, UserFacingError)
    assert "line 2, column 4 (quantity): negative (-3)" in str(result)
    assert [p.code for p in result.problems] == ["usage_log.problem"]  # type: ignore[attr-defined]
    assert result.problems[0].params["problem"].code == "usage_log.cell"  # type: ignore[attr-defined]
    missing = UsageJob(tmp_path / "nope.csv").wait(60)
    assert isinstance(missing, UserFacingError) and "no such file" in str(missing)


def test_cancel_stops_the_process(tmp_path: Path) -> None:
    log = tmp_path / "big.csv"
    with log.open("w") as out:
        out.write("timestamp,user,metric,quantity\n")
        out.writelines(f"2026-01-05,u{i % 500},api,{i % 7}\n" for i in range(400_000))
    job = UsageJob(log)
    assert job.running
    job.cancel()
    assert not job.running and not job._process.is_alive()
