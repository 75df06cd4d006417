"""The render worker: RenderJobs in, Qt signals out (progress, early pages, result, error), rendered in a process of its own.

The jobs run in a long-lived child process (`designer.renderhost.server`), one per
worker: filling, laying out and generating Typst are pure Python, and on a thread of
this process they held the GIL against the GUI thread (which gives it up around every
Qt call and then waits for it). The child keeps the engine's Typst compiler and the row
cache between runs. This side writes jobs and cancels to the child's stdin; a thread
reads its answers and emits them as signals. A new job cancels the one running; jobs left
waiting behind it are skipped. If the child dies, the jobs it had fail with an error and
the next job starts a new one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal

from designer.renderhost import wire
from designer.renderhost.job import RenderJob
from engine.errors import ReportError
from engine.render import CancelToken

from .service import ServiceThread

log = logging.getLogger(__name__)

#: seconds a child may take to stop after its stdin closed before it is killed
STOP_SECONDS = 3.0
#: seconds between two progress signals of one job: the render reports every 2,000 rows,
#: more often than a person reads, and each signal is GUI work
PROGRESS_SECONDS = 0.1


def start_render_process(*, keep_rows: bool) -> subprocess.Popen[bytes]:
    """A render process reading jobs on stdin (`--cache`: it keeps the rows of the last run)."""
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    argv = [sys.executable, "-m", "designer.renderhost.server", *(["--cache"] if keep_rows else [])]
    # its own session: a Ctrl+C in the designer's terminal is the designer's to handle
    return subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, start_new_session=True
    )


def process_rss_mib(pid: int) -> float:
    """Resident memory of process `pid` (MiB); 0 when it is gone or cannot be read."""
    import psutil  # read when a render runs, not at start-up

    try:
        return psutil.Process(pid).memory_info().rss / 2**20
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


class RenderWorker(ServiceThread):
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
        super().__init__()
        self.keep_rows = keep_rows
        self.cache = RowCacheStats(lambda: self._send(("clear_cache",)))
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._tokens: list[CancelToken] = []
        #: serials sent to the process and not answered yet, with their tokens
        self._pending: dict[int, CancelToken] = {}
        #: set while a process runs (or to wake the reader for a stop)
        self._has_process = threading.Event()
        self._shown: tuple[float, int, str] = (0.0, -1, "")  # time, serial, stage last emitted

    def submit(self, job: RenderJob, *, supersede: bool = True) -> CancelToken:
        """Queue a job (cancelling the ones before it unless `supersede` is False); returns its token."""
        token = CancelToken()
        if supersede:
            for old in self._tokens:
                old.cancel()
        self._tokens = [t for t in self._tokens if not t.cancelled] + [token]
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._process = start_render_process(keep_rows=self.keep_rows)
                self._has_process.set()
            self._pending[job.serial] = token
        self._send(("job", job, tempfile.gettempdir()))
        token.on_cancel(lambda: self._send(("cancel", job.serial)))
        self.ensure_started()
        return token

    def cancel_all(self) -> None:
        for token in self._tokens:
            token.cancel()

    @property
    def pid(self) -> int | None:
        """The render process's id while it runs."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def memory_mib(self) -> float:
        """Resident memory of the render process (MiB; 0 when none runs)."""
        pid = self.pid
        return process_rss_mib(pid) if pid is not None else 0.0

    def _send(self, message: tuple[Any, ...]) -> None:
        with self._lock:
            process = self._process
            if process is None or process.stdin is None or process.stdin.closed:
                return
            try:
                wire.send(process.stdin, message)  # type: ignore[arg-type]
            except (BrokenPipeError, OSError, ValueError):  # it died: the reader reports it
                log.warning("the render process is gone (exit code %s)", process.poll())

    def wake(self) -> None:
        """Close the process's stdin: it cancels what it runs and ends; the reader then stops."""
        self.cancel_all()
        self._has_process.set()
        with self._lock:
            process = self._process
            if process is not None and process.stdin is not None and not process.stdin.closed:
                with contextlib.suppress(OSError):
                    process.stdin.close()

    def serve(self) -> None:
        while not self.stopping:
            self._has_process.wait()
            with self._lock:
                process = self._process
                if process is None:
                    self._has_process.clear()
                    continue
            self._read(process)
            self._reap(process)
            with self._lock:
                if self._process is process:
                    self._process = None
                    self._has_process.clear()

    def _read(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        try:
            while (message := wire.receive(process.stdout)) is not None:  # type: ignore[arg-type]
                self._dispatch(message)
        except Exception:  # a damaged frame: the process is no use any more
            log.exception("the render process answered nonsense")

    def _dispatch(self, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "progress":
            serial, event = message[1], message[2]
            now = time.monotonic()
            shown, shown_serial, shown_stage = self._shown
            if (
                serial != shown_serial
                or event.stage != shown_stage
                or now - shown >= PROGRESS_SECONDS
            ):
                self._shown = (now, serial, event.stage)
                self.progress.emit(serial, event)
        elif kind == "chunk":
            self.chunk_ready.emit(*message[1:])
        elif kind == "cache":
            self.cache.hits, self.cache.misses = message[1], message[2]
        else:
            serial = message[1]
            with self._lock:
                self._pending.pop(serial, None)
            if kind == "done":
                self.done.emit(serial, message[2])
            elif kind == "failed":
                self.failed.emit(serial, wire.unpack_error(message[2]))
            elif kind == "cancelled":
                self.cancelled.emit(serial)

    def _reap(self, process: subprocess.Popen[bytes]) -> None:
        """The process closed its stdout: let it end, and settle the jobs it never answered."""
        if process.stdin is not None and not process.stdin.closed:
            with contextlib.suppress(OSError):
                process.stdin.close()
        try:
            code = process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait()
        process.stdout.close()  # type: ignore[union-attr]
        with self._lock:
            if self._process is not process:
                return  # a newer process took the jobs sent since
            pending, self._pending = self._pending, {}
        for serial, token in pending.items():
            if token.cancelled or self.stopping:
                self.cancelled.emit(serial)
            else:
                self.failed.emit(
                    serial, ReportError(f"the render process stopped (exit code {code})")
                )
