"""A run's stop conditions (SIGINT, SIGTERM, `--max-seconds`, `--max-pages`) → a CancelToken the
render checks, and the ReportError (exit 130, 143 or 1) the run ends with.

A signal is handled twice: the Python handler (main thread, at its next bytecode) records it,
stops the compile workers and raises; a watcher thread, woken through `signal.set_wakeup_fd`,
cancels the token (which interrupts a running query) only when the main thread has not acted
within HANDOFF_SECONDS, i.e. while it waits in C, e.g. in a long SQL query. The
`--max-seconds` timer hands over the same way. Either way the stack unwinds through the
`finally`s that close the data source and remove temporary files and folders, and the run
exits with 128 + the signal number (or 1 for a limit).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any

from ..errors import ReportError
from ..progress import Cancelled, CancelToken, Progress

log = logging.getLogger(__name__)

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(ReportError):
    """The run was stopped by a signal; temporary files were removed and nothing was written."""

    def __init__(self, signum: int) -> None:
        name = signal.Signals(signum).name
        super().__init__(f"interrupted by {name}; nothing was written")
        self.exit_code = 128 + signum


class LimitError(ReportError):
    """The run went past `--max-seconds` or `--max-pages`; nothing was written."""


class _Token(CancelToken):
    """A CancelToken that refuses registrations once cancelled: whatever registers then (a query
    about to start, a compile pool about to be made) is stopped by the Cancelled it raises,
    where an interrupt sent before a query starts would be lost."""

    def on_cancel(self, callback: Callable[[], None]) -> None:
        if self.cancelled:
            raise Cancelled()
        super().on_cancel(callback)


#: how long a stop asked for by another thread (the signal watcher, the --max-seconds timer)
#: waits for the main thread to act on it, before that thread interrupts the run itself (the
#: main thread is then blocked in C, e.g. in a query: interrupting it from outside is safe,
#: while closing a connection the main thread is closing too would not be)
HANDOFF_SECONDS = 0.3


class RunGuard:
    """Stops a run on SIGINT/SIGTERM or past its limits; use as a context manager around the run.

    `cancel` goes to `render_report`; `progress` is its progress callback (it checks the
    limits at every event: rows read, pages laid out, chunks compiled); `check()` may be
    called anywhere else (e.g. in a JSON/CSV row loop and before writing).
    """

    def __init__(self, *, max_seconds: float | None = None, max_pages: int | None = None) -> None:
        self.max_seconds = max_seconds
        self.max_pages = max_pages
        self.cancel = _Token()
        self.reason: ReportError | None = None
        self._started = time.monotonic()
        self._timer: threading.Timer | None = None
        self._saved: dict[int, Any] = {}
        self._wakeup: tuple[int, int] | None = None
        self._old_wakeup = -1
        self.written = False
        self._ended = threading.Event()
        self._pending: ReportError | None = None

    # -- stopping ------------------------------------------------------------------------

    def committed(self) -> None:
        """The outputs are in place: a signal or a limit from now on no longer stops the run
        (its outputs are whole; removing them again could not be atomic)."""
        self.written = True

    def _halt(self, reason: ReportError) -> None:
        """In the main thread: record why the run stops, stop the compile workers (before the
        unwinding removes the folder they write in) and raise. Nothing is closed here: the
        main thread may be inside a database callback, and the unwinding closes the source."""
        if self.reason is None:
            self.reason = reason
            helper = threading.Thread(target=_stop_workers, daemon=True)
            helper.start()
            # in a thread, so a pool lock the interrupted main thread holds cannot deadlock
            helper.join(2.0)
        raise self.reason

    def stop(self, reason: ReportError) -> None:
        """From another thread: stop the run for `reason` (the first reason wins), interrupting
        a running query and the compile workers through the cancel token."""
        if self.written:
            return
        if self.reason is None:
            self.reason = reason
        self.cancel.cancel()

    def _request(self, reason: ReportError) -> None:
        """Ask the main thread to stop (from another thread); stop the run from here if it
        does not within HANDOFF_SECONDS."""
        if self.written or self.reason is not None:
            return
        self._pending = reason
        if self._ended.wait(HANDOFF_SECONDS):
            return
        if self.reason is None and not self.written:
            log.debug("stopping the run from %s: the main thread is busy in C", _thread_name())
            self.stop(reason)

    def _time_limit(self) -> LimitError:
        return LimitError(
            f"the run took longer than --max-seconds {self.max_seconds:g}; nothing was written "
            "(raise the limit if the report is meant to take that long)"
        )

    def check(self) -> None:
        """In the main thread: raise the reason the run must stop, if there is one."""
        if self.written:
            return
        if self.reason is not None:
            raise self.reason
        if self._pending is not None:
            self._halt(self._pending)
        if self.max_seconds is not None and time.monotonic() - self._started > self.max_seconds:
            self._halt(self._time_limit())

    def check_pages(self, pages: int) -> None:
        """Stop when the laid-out document has more pages than `--max-pages` allows."""
        if self.max_pages is not None and pages > self.max_pages:
            self._halt(
                LimitError(
                    f"the report has {pages} pages, more than --max-pages {self.max_pages}; "
                    "nothing was written (raise the limit, or narrow the data with parameters)"
                )
            )
        self.check()

    def progress(self, event: Progress) -> None:
        """A progress callback for `render_report` that enforces the limits."""
        if event.pages:
            self.check_pages(event.pages)
        self.check()

    # -- signals ---------------------------------------------------------------------------

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        del frame
        if self.reason is not None or self.written:
            return  # already stopping (let the clean-up finish), or done
        self._halt(Interrupted(signum))

    def _watch(self, read_fd: int) -> None:
        """Read signal numbers from the wakeup pipe until its write end is closed (then close
        the read end here: closing it from another thread could let this read another file)."""
        try:
            while True:
                try:
                    data = os.read(read_fd, 16)
                except InterruptedError:
                    continue
                except OSError:
                    return
                if not data:
                    return
                for signum in data:
                    if signum in _SIGNALS:  # the handler acts on it unless blocked in C
                        self._request(Interrupted(signum))
        finally:
            os.close(read_fd)

    def __enter__(self) -> RunGuard:
        if self.max_seconds is not None:
            self._timer = threading.Timer(
                self.max_seconds, lambda: self._request(self._time_limit())
            )
            self._timer.daemon = True
            self._timer.start()
        if threading.current_thread() is not threading.main_thread():
            return self  # signals are the main thread's (e.g. a test calling main() in a thread)
        for signum in _SIGNALS:
            self._saved[signum] = signal.signal(signum, self._on_signal)
        if sys.platform != "win32":
            read_fd, write_fd = os.pipe()
            os.set_blocking(write_fd, False)
            try:
                self._old_wakeup = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
            except ValueError:
                os.close(read_fd)
                os.close(write_fd)
            else:
                self._wakeup = (read_fd, write_fd)
                threading.Thread(target=self._watch, args=(read_fd,), daemon=True).start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._ended.set()
        if self._timer is not None:
            self._timer.cancel()
        if self._wakeup is not None:
            signal.set_wakeup_fd(self._old_wakeup)
            _read_fd, write_fd = self._wakeup
            os.close(write_fd)  # the watcher reads end-of-file and closes its end
            self._wakeup = None
        for signum, handler in self._saved.items():
            signal.signal(signum, handler)
        self._saved.clear()
        if self.reason is not None:
            _stop_workers()
            if exc is not None and exc is not self.reason:
                # a Cancelled, or a query error caused by the cancel: say why the run stopped
                raise self.reason from None
        elif isinstance(exc, KeyboardInterrupt):
            _stop_workers()


def _thread_name() -> str:
    return threading.current_thread().name


def _stop_workers() -> None:
    """Kill the compile workers, if this process started any."""
    pool = sys.modules.get("engine.render.pool")
    if pool is not None:
        pool.shutdown_pool()


__all__ = ["Cancelled", "Interrupted", "LimitError", "RunGuard"]
