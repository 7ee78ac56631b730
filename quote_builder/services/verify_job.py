"""Verify a PDF in a separate process (no Qt here).

Reading a large PDF's pages and attachments (pypdf) and its signatures is pure Python that
holds the GIL: in a thread of the app's process the window froze for seconds. A job is one
"spawn" process, like ``usage_job``: it starts, reads the PDF (bounded, ``read_limited``),
runs ``verify.verify_pdf`` on it with the organisation key looked up beforehand in the
database process (``verify.organisation_key``), sends the report (or the ``UserFacingError``
saying why the file cannot be read) back over a pipe and exits. The file is read in the job, not
handed to it: a spawned process reads its arguments only once it has imported its
modules, so megabytes passed as arguments held the GUI thread for half a second. The parent
never blocks: :meth:`VerifyJob.poll` returns at once (the GUI polls it from a timer) and
:meth:`VerifyJob.cancel` stops the process.
"""

from __future__ import annotations

import multiprocessing
from contextlib import suppress
from multiprocessing.connection import Connection
from pathlib import Path

from quote_builder.errors import UserFacingError
from quote_builder.safe_files import read_limited

from .verify import MAX_PDF_BYTES, Check, OrganisationKey, VerifyReport, verify_pdf

STOP_TIMEOUT = 2.0


def _run(send: Connection, path: Path, organisation: OrganisationKey) -> None:
    result: VerifyReport | UserFacingError
    try:
        data = read_limited(path, MAX_PDF_BYTES, what="PDF")
        result = verify_pdf(None, data, organisation=organisation)
    except UserFacingError as exc:  # every UserFacingError pickles (errors.py)
        result = exc
    except MemoryError:
        result = UserFacingError(f"{path}: the PDF is too large to check in the memory available")
    send.send(result)
    send.close()


class VerifyJob:
    """One PDF being verified in its own process."""

    def __init__(self, path: Path, organisation: OrganisationKey) -> None:
        self.path = path
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_run, args=(send, path, organisation), name="verify-pdf", daemon=True
        )
        self._process.start()
        send.close()
        self._result: VerifyReport | UserFacingError | None = None

    def poll(self) -> VerifyReport | UserFacingError | None:
        """The report, the error saying why there is none (the file cannot be read), a
        failed "file" check if the process stopped without either, or None while it runs."""
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
                with suppress(OSError):  # the process exits by itself; reaped later
                    self._receive.close()
        elif not self._process.is_alive():
            self._result = self._stopped()
            self._finish()
        return self._result

    def wait(self, timeout: float) -> VerifyReport | UserFacingError | None:
        """Block up to ``timeout`` seconds (tests; the GUI polls)."""
        with suppress(OSError, EOFError):
            self._receive.poll(timeout)
        return self.poll()

    def _stopped(self) -> VerifyReport:
        code = self._process.exitcode
        return VerifyReport(
            [
                Check(
                    False,
                    "file",
                    "the PDF checker stopped unexpectedly"
                    + (f" (exit code {code})" if code else "")
                    + "; check the PDF again",
                )
            ]
        )

    def cancel(self) -> None:
        """Stop the process (no report)."""
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

    @property
    def pid(self) -> int | None:
        return self._process.pid
