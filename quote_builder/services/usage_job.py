"""Read and simulate a usage log in a separate process (no Qt here).

Measured on this machine (benchmarks/bench_ui_usage.py): reading a 1,000,000-row log in a
thread of the app's process held the GIL so firmly that the GUI thread stalled for 2.5 s;
in a separate process the GUI thread is never held. A job is one "spawn" process: it
starts, analyses the log, sends the result back over a pipe and exits. The parent never
blocks: :meth:`UsageJob.poll` returns at once (the GUI polls it from a timer), and
:meth:`UsageJob.cancel` stops the process.
"""

from __future__ import annotations

import multiprocessing
from contextlib import suppress
from multiprocessing.connection import Connection
from pathlib import Path

from quote_builder.errors import Sentence, UserFacingError
from quote_builder.pricing import QuoteDocument

from .usage import UsageAnalysis, analyse_usage_log

STOP_TIMEOUT = 2.0


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


class UsageJob:
    """One usage log being analysed in its own process."""

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
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_run,
            args=(send, path, quote, metric_map, currency, quote_label),
            name="usage-log",
            daemon=True,
        )
        self._process.start()
        send.close()
        self._result: UsageAnalysis | UserFacingError | str | None = None

    def poll(self) -> UsageAnalysis | UserFacingError | str | None:
        """The analysis, the error saying why there is none (a ``UserFacingError`` or a
        ``Sentence``), or None while it runs."""
        if self._result is not None:
            return self._result
        try:
            ready = self._receive.poll()
        except (OSError, EOFError):
            ready = False
        if ready:
            try:
                self._result = self._receive.recv()
            except (EOFError, OSError):
                self._result = self._stopped()
                self._finish()
            else:
                # The process is exiting by itself: do not wait for it on the GUI thread
                # (multiprocessing reaps it later).
                with suppress(OSError):
                    self._receive.close()
        elif not self._process.is_alive():
            self._result = self._stopped()
            self._finish()
        return self._result

    def wait(self, timeout: float) -> UsageAnalysis | UserFacingError | str | None:
        """Block up to ``timeout`` seconds (command line and tests; the GUI polls)."""
        with suppress(OSError, EOFError):
            self._receive.poll(timeout)
        return self.poll()

    def _stopped(self) -> str:
        code = self._process.exitcode
        return Sentence(
            f"{self.path}: the usage log reader stopped unexpectedly"
            + (f" (exit code {code})" if code else "")
            + "; load the log again.",
            "usage_log.stopped_unexpectedly",
            source=str(self.path),
        )

    def cancel(self) -> None:
        """Stop the process (nothing of the log is kept)."""
        if self._process.is_alive():
            self._process.terminate()
        self._finish()

    def _finish(self) -> None:
        self._process.join(STOP_TIMEOUT)
        if self._process.is_alive():  # pragma: no cover - terminate() was ignored
            self._process.kill()
            self._process.join(STOP_TIMEOUT)
        with suppress(OSError):
            self._receive.close()

    @property
    def running(self) -> bool:
        return self._result is None and self._process.is_alive()
