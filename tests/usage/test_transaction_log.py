"""A transaction fee priced over a usage log is exact per transaction: each row is one
transaction, its own fee is computed (minimum and maximum applied) and summed as the log
is read (``Cell.fees``), not inferred from the month's average."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from quote_builder.pricing.quote_format import quote_from_data
from quote_builder.services.usage import simulate_usage_file

from ..pricing.factories import quote_data
from ..pricing.test_transaction_fee import PAYMENTS

D = Decimal


def quote(**overrides: object):  # type: ignore[no-untyped-def]
    return quote_from_data(
        quote_data(
            components=[PAYMENTS],
            usage_forecast={"payments": {"monthly": "3"}, "payment_volume": {"monthly": "1200"}},
            **overrides,
        )
    )


def write_log(tmp_path: Path, metric: str) -> Path:
    # March: payments of 10, 100 and 990 (one user each).
    #   10 x 1.5 % + 0.10 = 0.25 -> 0.50 (minimum); 100 -> 1.60; 990 -> 14.95 -> 5 (maximum)
    #   exact: 0.50 + 1.60 + 5 = 7.10; the average (1,100 / 3 = 366.67 -> 5.60 -> 5) would
    #   give 3 x 5 = 15.00.
    # April: one payment of 40: 0.60 + 0.10 = 0.70.
    path = tmp_path / "payments.csv"
    path.write_text(
        "timestamp,user,metric,quantity\n"
        f"2026-03-02T10:00:00Z,a,{metric},10\n"
        f"2026-03-03T10:00:00Z,b,{metric},100\n"
        f"2026-03-04T10:00:00Z,c,{metric},990\n"
        f"2026-04-04T10:00:00Z,a,{metric},40\n"
    )
    return path


def test_each_transaction_is_priced_on_its_own(tmp_path: Path) -> None:
    report = simulate_usage_file(write_log(tmp_path, "payment_volume"), quote=quote())
    own = report.models[0]
    assert own.source == "quote"
    assert [m.bill for m in own.months] == [D("7.10"), D("0.70")]
    assert not any("average transaction" in n for n in own.notes)


def test_a_mapped_log_metric_is_exact_too(tmp_path: Path) -> None:
    log = write_log(tmp_path, "charge")
    report = simulate_usage_file(log, quote=quote(), metric_map={"payment_volume": "charge"})
    assert [m.bill for m in report.models[0].months] == [D("7.10"), D("0.70")]


def test_without_knowing_the_log_metric_it_falls_back_to_the_average(tmp_path: Path) -> None:
    # '*' is only resolved after reading: the month's average transaction, said in a note:
    # March 1,100 / 3 = 366.67 each -> 5.60 -> 5: 3 x 5 = 15.00.
    log = write_log(tmp_path, "charge")
    report = simulate_usage_file(log, quote=quote(), metric_map={"payment_volume": "*"})
    own = report.models[0]
    assert [m.bill for m in own.months] == [D("15.00"), D("0.70")]
    assert any("average transaction" in n for n in own.notes)
