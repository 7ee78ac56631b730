"""One piece of pure-Python work in its own "spawn" process, polled without blocking.

Reading a large usage log or a large PDF holds the GIL: in a thread of the app's process
the window froze for seconds. A job starts one process that does the work, sends its
result (or the ``UserFacingError`` or ``Sentence`` saying why there is none) back over a
pipe and exits. The parent never blocks: :meth:`SpawnedJob.poll` returns at once (the GUI
polls it from a timer), :meth:`SpawnedJob.wait` blocks up to a timeout (the command line
and tests), :meth:`SpawnedJob.cancel` stops the process. ``usage_job`` and ``verify_job``
are the two kinds.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from contextlib import suppress
from typing import Any

STOP_TIMEOUT = 2.0


class SpawnedJob[T]:
    """``target(send, *args)`` in a new process; its one message is the result.
    Subclasses say what a process that stopped without one means (:meth:`_stopped`)."""

    def __init__(self, target: Callable[..., None], args: tuple[Any, ...], name: str) -> None:
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=target, args=(send, *args), name=name, daemon=True)
        self._process.start()
        send.close()
        self._result: T | None = None

    def poll(self) -> T | None:
        """The result, what :meth:`_stopped` says if the process ended without one, or
        None while it runs."""
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

    def wait(self, timeout: float) -> T | None:
        """Block up to ``timeout`` seconds (command line and tests; the GUI polls)."""
        with suppress(OSError, EOFError):
            self._receive.poll(timeout)
        return self.poll()

    def _stopped(self) -> T:
        """The result of a process that ended without sending one."""
        raise NotImplementedError

    def _exit_note(self) -> str:
        code = self._process.exitcode
        return f" (exit code {code})" if code else ""

    def cancel(self) -> None:
        """Stop the process (no result)."""
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
