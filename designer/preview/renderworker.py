"""The render worker: RenderJobs in, Qt signals out (progress, early pages, result, error), on one long-lived thread.

One thread renders every preview of a window, so the engine's per-thread Typst compiler
(and its caches) is reused and an unchanged band recompiles fast. A new job cancels the
one running; jobs left waiting behind it are skipped.
"""

from __future__ import annotations

import logging
import queue
from typing import Any

from PySide6.QtCore import Signal

from engine.errors import ReportError
from engine.render import Cancelled, CancelToken, Progress

from .job import JobResult, RenderJob, run_job
from .rowcache import RowCache
from .service import ServiceThread

log = logging.getLogger(__name__)


class RenderWorker(ServiceThread):
    """Runs RenderJobs one after the other; each job's signals carry its serial number."""

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

    def __init__(self, cache: RowCache | None = None) -> None:
        super().__init__()
        self.cache = cache
        self._jobs: queue.SimpleQueue[tuple[RenderJob, CancelToken] | None] = queue.SimpleQueue()
        self._current: CancelToken | None = None
        self._tokens: list[CancelToken] = []

    def submit(self, job: RenderJob, *, supersede: bool = True) -> CancelToken:
        """Queue a job (cancelling the ones before it unless `supersede` is False); returns its token."""
        token = CancelToken()
        if supersede:
            for old in self._tokens:
                old.cancel()
        self._tokens = [t for t in self._tokens if not t.cancelled] + [token]
        self._jobs.put((job, token))
        self.ensure_started()
        return token

    def cancel_all(self) -> None:
        for token in self._tokens:
            token.cancel()

    def wake(self) -> None:
        self.cancel_all()
        self._jobs.put(None)

    def serve(self) -> None:
        while not self.stopping:
            item = self._jobs.get()
            if item is None:
                continue
            job, token = item
            if token.cancelled:
                self.cancelled.emit(job.serial)
                continue
            self._run(job, token)

    def _run(self, job: RenderJob, token: CancelToken) -> None:
        serial = job.serial

        def progress(event: Progress) -> None:
            self.progress.emit(serial, event)

        def chunk(first: int, last: int, pdf: bytes) -> None:
            self.chunk_ready.emit(serial, first, last, pdf)

        try:
            result: JobResult = run_job(
                job, token, progress=progress, on_chunk=chunk, cache=self.cache
            )
        except Cancelled:
            self.cancelled.emit(serial)
        except ReportError as exc:
            if token.cancelled:
                self.cancelled.emit(serial)
            else:
                self.failed.emit(serial, exc)
        except Exception as exc:  # a bug or a driver's own error: shown, never kills the thread
            log.exception("rendering %s failed", job.report.name)
            error: Any = ReportError(f"rendering failed: {type(exc).__name__}: {exc}")
            self.failed.emit(serial, error)
        else:
            self.done.emit(serial, result)
