"""A pre-warmed PDF render worker process for live previews (no Qt here).

Rendering a PDF in a thread of the app's process still stalls the GUI thread through the
GIL (50-190 ms per preview on a 2-core machine); a separate process does not. The worker
is started with multiprocessing's "spawn" context; at start it imports WeasyPrint and
renders a small quote once, so the fonts and the stylesheet are loaded before the first
preview is asked for.

The parent side (:class:`RenderWorker`) never blocks unless asked to (:meth:`RenderWorker.wait`):
:meth:`RenderWorker.submit` and :meth:`RenderWorker.poll` return at once, so the GUI polls
from a timer or a socket notifier on :meth:`RenderWorker.fileno`.

Stale jobs are replaced, not queued: at most one job is rendering and at most one waits;
a new request replaces the waiting one, so when the rendering job finishes only the
newest request is rendered next. A worker that dies (crash, killed) fails the job it was
rendering with a message and is started again with the next request.
"""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import signal
import sys
import time
import traceback
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Literal

from quote_builder.documents.parties import ApprovalNote, EmbeddedFile, Party
from quote_builder.documents.tuning import paused_gc
from quote_builder.pricing import QuoteDocument, canonical_json
from quote_builder.pricing.legal import LegalFrame, LegalTexts
from quote_builder.pricing.tax import CustomerTaxFacts

RenderKind = Literal["proposal", "contract", "both"]
RENDER_KINDS: tuple[RenderKind, ...] = ("proposal", "contract", "both")

CRASHED = "The PDF renderer stopped unexpectedly{code}; it starts again with the next preview."
STOP_TIMEOUT = 2.0
COLLECT_AFTER = 0.5
"""Seconds a worker waits after sending a PDF before collecting that render's garbage
(unless the next job arrives first)."""


@dataclass(frozen=True)
class RenderMeta:
    """What a PDF shows besides the quote document itself (the ``RenderRequest`` fields
    that are not the document or its pricing)."""

    seller: Party = field(default_factory=lambda: Party(""))
    """The seller from the settings (the app always passes it); never the tool's name."""
    customer: Party | None = None
    """None: a party with the document's customer name."""
    quote_number: str = ""
    version: int | None = None
    version_hash: str = ""
    """Empty: the worker computes the document's content hash."""
    status: str = "draft"
    final: bool = False
    approval_id: str | None = None
    approval: ApprovalNote | None = None
    attachments: tuple[EmbeddedFile, ...] = ()
    """Files a final PDF embeds (the approval statement and the policy's public part)."""
    issued: dt.date | None = None
    """None: the day the worker renders."""
    valid_until: dt.date | None = None
    locale: str = "en_US"
    language: str = "en"
    """The documents' language (the quote's, else its customer's); ``locale`` is of it."""
    logo_path: Path | None = None
    legal: LegalFrame | None = None
    """The seller's legal frame from the settings; None: the defaults."""
    legal_texts: dict[str, LegalTexts] = field(default_factory=dict)
    """The frame's texts in other languages (settings)."""
    seller_country: str = ""
    """``RenderRequest.seller_country``."""
    customer_tax: CustomerTaxFacts | None = None
    """``RenderRequest.customer_tax``: the preview's draft lists a stale tax too."""


@dataclass(frozen=True)
class RenderJob:
    job_id: int
    kind: RenderKind
    document_json: str
    meta: RenderMeta


@dataclass(frozen=True)
class RenderOutcome:
    """A finished job: the PDF, or the reason there is none."""

    job_id: int
    kind: RenderKind
    pdf: bytes | None
    error: str | None = None
    seconds: float = 0.0
    """Time the worker spent rendering (not waiting in the pipe)."""
    warnings: tuple[str, ...] = ()
    worker_pid: int = 0
    to_check: tuple[str, ...] = ()
    """For the rep before sending: a start before the issue date, what keeps the order form
    from being signed (``RenderResult.warnings``)."""
    cpu_seconds: float = 0.0
    """CPU time the worker spent rendering (benchmarks: wall time grows with the load)."""

    @property
    def ok(self) -> bool:
        return self.pdf is not None


@dataclass(frozen=True)
class WorkerReady:
    """Sent once by a worker after its warm-up render."""

    pid: int
    seconds: float
    error: str | None = None


_Message = RenderOutcome | WorkerReady


# --- the worker process ---------------------------------------------------------------------

WARM_UP_QUOTE = """{
  "format": "quote-builder/quote", "format_version": 1, "quote_number": "Q-WARM-UP",
  "title": "Warm-up", "customer": {"name": "Warm-up Customer"},
  "product_category": "analytics_copilot", "pricing_model": "platform_usage",
  "currency": "USD", "start_date": "2027-01-01", "term_months": 36,
  "billing_frequency": "quarterly", "escalator_percent": 5,
  "components": [
    {"kind": "one_time_fee", "id": "onboarding", "name": "Onboarding", "amount": "2500.00"},
    {"kind": "flat_fee", "id": "platform", "name": "Platform fee", "amount": "1500.00"},
    {"kind": "allowance_overage", "id": "queries", "name": "Queries", "metric": "queries",
     "included": 2000, "overage_unit_price": "0.40"}
  ],
  "discounts": [{"description": "Launch discount", "percent": 10, "months": 6}],
  "usage_forecast": {"queries": {"monthly": 3000}},
  "economics": {"unit_costs": {"queries": "0.10"}},
  "value": {"metric": "queries", "minutes_saved_per_unit": 15, "loaded_hourly_rate": "75"},
  "advisor": {"ai_is_core_value": true}
}"""
"""A quote with every part a preview shows (tables, charts, contract clauses), rendered
once at start so the first real preview finds fonts, stylesheet and templates loaded."""


def render_job(job: RenderJob) -> RenderOutcome:
    """Render one job in this process (the worker calls it; tests may too). Never raises:
    a problem becomes the outcome's ``error``."""
    start, start_cpu = time.perf_counter(), time.process_time()
    try:
        from quote_builder.documents.render import RenderRefusedError, render_pdf
        from quote_builder.documents.viewmodel import RenderRequest
        from quote_builder.errors import UserFacingError
        from quote_builder.pricing import QuoteFileError, content_hash, load_quote, price

        try:
            document = load_quote(job.document_json, "quote")
            meta = job.meta
            request = RenderRequest(
                document=document,
                priced=price(document),
                seller=meta.seller,
                customer=meta.customer or Party(document.customer.name),
                quote_number=meta.quote_number or document.quote_number or "",
                version=meta.version,
                version_hash=meta.version_hash or content_hash(document),
                status=meta.status,
                approval_id=meta.approval_id,
                approval=meta.approval,
                attachments=meta.attachments,
                final=meta.final,
                issued=meta.issued or dt.date.today(),
                valid_until=meta.valid_until,
                locale=meta.locale,
                language=meta.language,
                logo_path=meta.logo_path,
                legal=meta.legal,
                legal_texts=dict(meta.legal_texts),
                seller_country=meta.seller_country,
                customer_tax=meta.customer_tax,
            )
            result = render_pdf(request, job.kind)
        except (QuoteFileError, RenderRefusedError, UserFacingError) as exc:
            return RenderOutcome(
                job.job_id, job.kind, None, str(exc), time.perf_counter() - start, (), os.getpid()
            )
        warnings = tuple(result.log) + tuple(f"refused URL: {u}" for u in result.refused_urls)
        return RenderOutcome(
            job.job_id,
            job.kind,
            result.pdf,
            None,
            time.perf_counter() - start,
            warnings,
            os.getpid(),
            tuple(result.warnings),
            time.process_time() - start_cpu,
        )
    except Exception as exc:  # a bug: say so, keep the worker alive
        traceback.print_exc(file=sys.stderr)
        return RenderOutcome(
            job.job_id,
            job.kind,
            None,
            f"The PDF could not be rendered ({type(exc).__name__}: {exc})",
            time.perf_counter() - start,
            (),
            os.getpid(),
        )


def _serve(conn: Connection, warm_up: bool) -> None:
    """The worker process's main loop: warm up, then render one job per message until
    ``None`` (stop) or the parent goes away."""
    # Ctrl+C in a terminal reaches the whole process group; the parent decides.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    start = time.perf_counter()
    error = None
    try:
        import quote_builder.documents.render  # noqa: F401  (WeasyPrint, Pango, Jinja2)

        if warm_up:
            warm = render_job(RenderJob(0, "both", WARM_UP_QUOTE, RenderMeta()))
            error = warm.error
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
    # What the worker holds from now on (modules, fonts, the stylesheet, caches) is never
    # scanned by the garbage collector again: it ran through all of it during each render.
    gc.collect()
    gc.freeze()
    try:
        conn.send(WorkerReady(os.getpid(), time.perf_counter() - start, error))
        while True:
            job = conn.recv()
            if job is None:
                return
            # The render runs without the collector (documents.tuning.paused_gc), and the
            # collector stays off until the PDF is on its way. Its cycles are freed between
            # jobs: after a short pause, so the collection does not compete with the app
            # loading the PDF it has just received, or at once when the next job is waiting.
            with paused_gc():
                outcome = render_job(job)
                conn.send(outcome)
            conn.poll(COLLECT_AFTER)
            gc.collect()
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the parent closed the pipe or exited
    finally:
        conn.close()


# --- the app's side ---------------------------------------------------------------------------


class RenderWorker:
    """The parent's handle on the worker process. Not thread-safe: use it from one thread
    (the GUI thread). Nothing here blocks except :meth:`wait` and :meth:`close`."""

    def __init__(self, *, warm_up: bool = True) -> None:
        self._warm_up = warm_up
        self._ctx = multiprocessing.get_context("spawn")
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._next_id = 0
        self._in_flight: RenderJob | None = None
        self._pending: RenderJob | None = None
        self._ready: WorkerReady | None = None
        self.rendered: list[int] = []
        """Ids of the jobs a worker process rendered (or failed), in order."""
        self.superseded: list[int] = []
        """Ids of the jobs replaced by a newer request before they were rendered."""
        self.starts = 0
        """How many worker processes were started (a crashed one is started again)."""
        self._undelivered: list[RenderOutcome] = []
        self._finalizer = weakref.finalize(self, _stop, None, None)
        self._finalizer.detach()

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker process if none is running (returns at once; the warm-up
        render happens in the worker)."""
        if self.alive:
            return
        self._discard_process()
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_serve, args=(child, self._warm_up), name="quote-builder-render", daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        self._ready = None
        self.starts += 1
        self._finalizer = weakref.finalize(self, _stop, process, parent)
        self._finalizer.atexit = True

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.is_alive() and self._conn is not None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def ready(self) -> WorkerReady | None:
        """Set once the running worker has finished its warm-up (after a :meth:`poll`)."""
        return self._ready

    def close(self) -> None:
        """Ask the worker to stop and wait for it (a few seconds at most, then kill it).
        A worker in the middle of a render is terminated at once: it holds nothing to save."""
        if self._in_flight is not None and self._process is not None and self.alive:
            self._process.terminate()
        self._finalizer()
        self._process, self._conn = None, None
        self._in_flight = self._pending = None

    def __enter__(self) -> RenderWorker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- jobs ------------------------------------------------------------------------------

    def request(
        self, document: QuoteDocument, meta: RenderMeta, kind: RenderKind = "proposal"
    ) -> int:
        """Ask for a PDF of ``document``; returns the job id its outcome will carry."""
        return self.submit_json(canonical_json(document), meta, kind)

    def submit_json(self, document_json: str, meta: RenderMeta, kind: RenderKind) -> int:
        if kind not in RENDER_KINDS:
            raise ValueError(f"unknown document kind {kind!r}")
        self._next_id += 1
        job = RenderJob(self._next_id, kind, document_json, meta)
        if self._in_flight is None:
            self._send(job)
        else:
            if self._pending is not None:
                self.superseded.append(self._pending.job_id)
            self._pending = job
        return job.job_id

    @property
    def busy(self) -> bool:
        """A job is rendering or waiting."""
        return self._in_flight is not None or self._pending is not None

    @property
    def in_flight(self) -> int | None:
        return self._in_flight.job_id if self._in_flight is not None else None

    @property
    def pending(self) -> int | None:
        return self._pending.job_id if self._pending is not None else None

    def fileno(self) -> int | None:
        """The pipe's descriptor (readable when a message or EOF is waiting), for a
        socket notifier; None while no worker runs."""
        return self._conn.fileno() if self._conn is not None else None

    def poll(self) -> list[RenderOutcome]:
        """The outcomes that have arrived, oldest first, without waiting. Sends the
        waiting job when the rendering one is done; notices a dead worker."""
        outcomes, self._undelivered = self._undelivered, []
        while self._conn is not None:
            try:
                if not self._conn.poll(0):
                    break
                message: _Message = self._conn.recv()
            except (EOFError, OSError):
                outcomes.extend(self._worker_died())
                break
            if isinstance(message, WorkerReady):
                self._ready = message
                continue
            outcomes.append(message)
            self.rendered.append(message.job_id)
            if self._in_flight is not None and self._in_flight.job_id == message.job_id:
                self._in_flight = None
            self._send_pending()
        if self._in_flight is not None and self._process is not None and not self.alive:
            outcomes.extend(self._worker_died())
        return outcomes

    def wait(self, job_id: int | None = None, timeout: float = 60.0) -> RenderOutcome:
        """Block until the outcome of ``job_id`` (default: the newest job) arrives. For
        scripts and tests; never call it on a GUI thread."""
        target = job_id if job_id is not None else self._next_id
        deadline = time.monotonic() + timeout
        while True:
            for outcome in self.poll():
                if outcome.job_id == target:
                    return outcome
            if target in self.superseded:
                raise LookupError(f"job {target} was replaced by a newer request")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no outcome for job {target} after {timeout:.0f} s")
            if self._conn is not None:
                with suppress(EOFError, OSError):
                    self._conn.poll(min(remaining, 0.5))
            else:
                time.sleep(min(remaining, 0.05))

    def wait_ready(self, timeout: float = 60.0) -> WorkerReady:
        """Block until the worker has warmed up (scripts and tests)."""
        self.start()
        deadline = time.monotonic() + timeout
        while self._ready is None:
            pending = self.poll()
            if pending:  # outcomes that arrived first are not lost to a later poll
                self._undelivered.extend(pending)
            if self._ready is not None:
                break
            if not self.alive or time.monotonic() > deadline:
                raise TimeoutError("the render worker did not start")
            assert self._conn is not None
            self._conn.poll(0.05)
        return self._ready

    # --- internals -------------------------------------------------------------------------

    def _send(self, job: RenderJob) -> None:
        self.start()
        assert self._conn is not None
        try:
            self._conn.send(job)
        except (BrokenPipeError, EOFError, OSError):
            # Died between start() and send: try once more with a fresh worker.
            self._discard_process()
            self.start()
            assert self._conn is not None
            self._conn.send(job)
        self._in_flight = job

    def _send_pending(self) -> None:
        if self._in_flight is None and self._pending is not None:
            job, self._pending = self._pending, None
            self._send(job)

    def _worker_died(self) -> list[RenderOutcome]:
        code = self._process.exitcode if self._process is not None else None
        if self._process is not None and code is None:
            self._process.join(0.5)
            code = self._process.exitcode
        self._discard_process()
        outcomes: list[RenderOutcome] = []
        if self._in_flight is not None:
            job, self._in_flight = self._in_flight, None
            detail = f" (exit code {code})" if code is not None else ""
            outcomes.append(RenderOutcome(job.job_id, job.kind, None, CRASHED.format(code=detail)))
        self._send_pending()  # a request that was waiting starts a new worker
        return outcomes

    def _discard_process(self) -> None:
        self._finalizer.detach()
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(1.0)
            self._process.close()
        self._process, self._conn = None, None


def _stop(process: BaseProcess | None, conn: Connection | None) -> None:
    """Stop a worker: ask, wait, then terminate and kill (also run at interpreter exit)."""
    if conn is not None:
        with suppress(OSError, EOFError, ValueError):
            conn.send(None)
    if process is not None:
        try:
            process.join(STOP_TIMEOUT)
            if process.is_alive():
                process.terminate()
                process.join(1.0)
            if process.is_alive():
                process.kill()
                process.join(1.0)
        except (AssertionError, ValueError):  # already closed
            pass
    if conn is not None:
        conn.close()


@contextmanager
def render_worker(*, warm_up: bool = True) -> Iterator[RenderWorker]:
    """A started worker, stopped on leaving the block."""
    worker = RenderWorker(warm_up=warm_up)
    worker.start()
    try:
        yield worker
    finally:
        worker.close()


__all__ = [
    "RENDER_KINDS",
    "RenderJob",
    "RenderKind",
    "RenderMeta",
    "RenderOutcome",
    "RenderWorker",
    "WorkerReady",
    "render_job",
    "render_worker",
]
