"""The render worker: RenderJobs in, Qt signals out (progress, early pages, result, error), rendered in a process of its own.

The jobs run as `designer.renderhost.server.run_render_job` calls on the engine's process
pool (`engine.render.pool`), on a pool of one warm process per worker: filling, laying
out and generating Typst are pure Python, and on a thread of this process they held the
GIL against the GUI thread (which gives it up around every Qt call and then waits for
it). The process keeps the engine's Typst compiler and the row cache between runs. The
pool's threads pass the call's events on as signals (Qt queues them to the GUI thread).
A new job cancels the one running; jobs left waiting behind it are skipped. If the
process dies, the job it ran fails with an error and the next job starts a new one.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import CancelledError
from typing import Any

from PySide6.QtCore import QObject, Signal

from designer.renderhost.job import RenderJob
from designer.renderhost.server import NICENESS, clear_row_cache, run_render_job
from engine.errors import ReportError
from engine.progress import Cancelled, CancelToken
from engine.render.pool import ProcessPool, Task

log = logging.getLogger(__name__)

#: seconds between two progress signals of one job: the render reports every 2,000 rows,
#: more often than a person reads, and each signal is GUI work
PROGRESS_SECONDS = 0.1


def process_rss_mib(pid: int) -> float:
    """Resident memory of process `pid` and of the processes it started (MiB); 0 when it is gone."""
    import psutil  # read when a render runs, not at start-up

    try:
        process = psutil.Process(pid)
        total = process.memory_info().rss
        for child in process.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                continue  # ended meanwhile
        return total / 2**20
    except (psutil.Error, OSError):
        return 0.0


class RowCacheStats:
    """The render process's row cache seen from here: how many runs found their rows there or not, and Clear."""

    def __init__(self, clear: Callable[[], None]) -> None:
        self.hits = 0
        self.misses = 0
        self._clear = clear

    def clear(self) -> None:
        """Forget the cached rows (Refresh Data, or the data source changed)."""
        self._clear()


class RenderWorker(QObject):
    """Runs RenderJobs one after the other in its render process; each job's signals carry its serial number."""

    #: serial, engine Progress (rows read, rows total when known, stage, pages, chunks)
    progress = Signal(int, object)
    #: serial, first page, last page, PDF bytes of pages finished before the whole report
    chunk_ready = Signal(int, int, int, object)
    #: serial, JobResult
    done = Signal(int, object)
    #: serial, ReportError
    failed = Signal(int, object)
    #: serial
    cancelled = Signal(int)

    def __init__(self, *, keep_rows: bool = False) -> None:
        super().__init__()  # no parent: the pool's threads may outlive the window by a moment
        self.keep_rows = keep_rows
        self.cache = RowCacheStats(self._clear_cache)
        self.stopping = False
        self._pool = ProcessPool(1, label="render process", niceness=NICENESS)
        self._tokens: list[CancelToken] = []
        self._shown: tuple[float, int, str] = (0.0, -1, "")  # time, serial, stage last emitted

    def submit(self, job: RenderJob, *, supersede: bool = True) -> CancelToken:
        """Queue a job (cancelling the ones before it unless `supersede` is False); returns its token."""
        token = CancelToken()
        if supersede:
            for old in self._tokens:
                old.cancel()
        self._tokens = [t for t in self._tokens if not t.cancelled] + [token]
        if self.stopping:
            token.cancel()
            self.cancelled.emit(job.serial)
            return token
        task = self._pool.submit(run_render_job, job, tempfile.gettempdir(), self.keep_rows)
        task.on_event(lambda event, serial=job.serial: self._event(serial, event))
        task.add_done_callback(lambda t, serial=job.serial: self._settle(serial, token, t))
        token.on_cancel(task.interrupt)
        return token

    def cancel_all(self) -> None:
        for token in self._tokens:
            token.cancel()

    def request_stop(self) -> None:
        """Cancel what runs and end the render process (does not wait)."""
        self.stopping = True
        self.cancel_all()
        self._pool.shutdown(wait=False, cancel_futures=True)

    @property
    def pid(self) -> int | None:
        """The render process's id while it runs."""
        pids = self._pool.pids()
        return pids[0] if pids else None

    def memory_mib(self) -> float:
        """Resident memory of the render process and its compile workers (MiB; 0 when none runs)."""
        pid = self.pid
        return process_rss_mib(pid) if pid is not None else 0.0

    def _clear_cache(self) -> None:
        if self.pid is not None and not self.stopping:  # no process, no rows to forget
            self._pool.submit(clear_row_cache)

    def _event(self, serial: int, event: tuple[Any, ...]) -> None:
        kind = event[0]
        if kind == "progress":
            progress = event[1]
            now = time.monotonic()
            shown, shown_serial, shown_stage = self._shown
            if (
                serial != shown_serial
                or progress.stage != shown_stage
                or now - shown >= PROGRESS_SECONDS
            ):
                self._shown = (now, serial, progress.stage)
                self.progress.emit(serial, progress)
        elif kind == "chunk":
            self.chunk_ready.emit(serial, *event[1:])
        elif kind == "cache":
            self.cache.hits, self.cache.misses = event[1], event[2]

    def _settle(self, serial: int, token: CancelToken, task: Task) -> None:
        try:
            result = task.result()
        except (CancelledError, Cancelled):
            self.cancelled.emit(serial)
        except ReportError as exc:
            if token.cancelled or self.stopping:
                self.cancelled.emit(serial)
            else:
                self.failed.emit(serial, exc)
        else:
            self.done.emit(serial, result)
