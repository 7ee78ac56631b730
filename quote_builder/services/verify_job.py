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

from multiprocessing.connection import Connection
from pathlib import Path

from quote_builder.errors import Sentence, UserFacingError
from quote_builder.safe_files import read_limited

from .spawned_job import SpawnedJob
from .verify import MAX_PDF_BYTES, Check, OrganisationKey, VerifyReport, verify_pdf


def _run(
    send: Connection, path: Path, organisation: OrganisationKey, content_only: bool = False
) -> None:
    result: VerifyReport | UserFacingError
    try:
        data = read_limited(path, MAX_PDF_BYTES, what="PDF")
        result = verify_pdf(None, data, organisation=organisation, content_only=content_only)
    except UserFacingError as exc:  # every UserFacingError pickles (errors.py)
        result = exc
    except MemoryError:
        result = UserFacingError(
            Sentence(
                f"{path}: the PDF is too large to check in the memory available",
                "verify.out_of_memory",
                path=str(path),
            )
        )
    send.send(result)
    send.close()


class VerifyJob(SpawnedJob[VerifyReport | UserFacingError]):
    """One PDF being verified in its own process. :meth:`poll` gives the report, the error
    saying why there is none (the file cannot be read), a failed "file" check if the process
    stopped without either, or None while it runs."""

    def __init__(
        self, path: Path, organisation: OrganisationKey, content_only: bool = False
    ) -> None:
        self.path = path
        super().__init__(_run, (path, organisation, content_only), "verify-pdf")

    def _stopped(self) -> VerifyReport:
        code = self._process.exitcode
        if code:
            message = Sentence(
                f"the PDF checker stopped unexpectedly (exit code {code}); check the PDF again",
                "verify.checker_exit",
                code=code,
            )
        else:
            message = Sentence(
                "the PDF checker stopped unexpectedly; check the PDF again",
                "verify.checker_stopped",
            )
        return VerifyReport([Check(False, "file", message)])
