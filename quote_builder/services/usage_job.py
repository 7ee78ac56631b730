"""Read and simulate a usage log in a separate process (no Qt here).

Measured on this machine (benchmarks/bench_ui_usage.py): reading a 1,000,000-row log in a
thread of the app's process held the GIL so firmly that the GUI thread stalled for 2.5 s;
in a separate process the GUI thread is never held. A job is one "spawn" process: it
starts, analyses the log, sends the result back over a pipe and exits. The parent never
blocks: :meth:`UsageJob.poll` returns at once (the GUI polls it from a timer), and
:meth:`UsageJob.cancel` stops the process.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from pathlib import Path

from quote_builder.errors import Sentence, UserFacingError
from quote_builder.pricing import QuoteDocument

from .spawned_job import SpawnedJob
from .usage import UsageAnalysis, analyse_usage_log


def _run(
    send: Connection,
    path: Path,
    quote: QuoteDocument | None,
    metric_map: dict[str, str] | None,
    currency: str,
    quote_label: str,
) -> None:
    result: UsageAnalysis | UserFacingError | str
    try:
        result = analyse_usage_log(
            path, quote, metric_map, currency=currency, quote_label=quote_label
        )
    except UserFacingError as exc:  # pickles with its Sentences: the app translates them
        result = exc
    except (ArithmeticError, ValueError, OSError) as exc:
        result = Sentence(
            f"{path}: the log cannot be simulated ({exc})",
            "usage_log.cannot_simulate",
            source=str(path),
            problem=str(exc),
        )
    except MemoryError:
        result = Sentence(
            f"{path}: the log is too large to simulate in the memory available",
            "usage_log.out_of_memory",
            source=str(path),
        )
    send.send(result)
    send.close()


class UsageJob(SpawnedJob[UsageAnalysis | UserFacingError | str]):
    """One usage log being analysed in its own process. :meth:`poll` gives the analysis,
    the error saying why there is none (a ``UserFacingError`` or a ``Sentence``), or None
    while it runs; :meth:`cancel` keeps nothing of the log."""

    def __init__(
        self,
        path: Path,
        quote: QuoteDocument | None = None,
        metric_map: dict[str, str] | None = None,
        currency: str = "USD",
        quote_label: str = "quote",
    ) -> None:
        """``currency``: the templates' currency when there is no quote; ``quote_label``
        names the quote in its model's title."""
        self.path = path
        super().__init__(_run, (path, quote, metric_map, currency, quote_label), "usage-log")

    def _stopped(self) -> str:
        return Sentence(
            f"{self.path}: the usage log reader stopped unexpectedly"
            + self._exit_note()
            + "; load the log again.",
            "usage_log.stopped_unexpectedly",
            source=str(self.path),
        )
