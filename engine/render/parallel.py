"""A paginated document → chunks of pages compiled in worker processes → one merged PDF or page list.

Workers are plain subprocesses (`python -m engine.render.worker`) talking JSON lines, not
`multiprocessing`: spawning through multiprocessing re-imports the caller's main module,
which breaks scripts without a `__main__` guard, and a forked Typst hangs.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import RenderError
from ..progress import Cancelled, CancelToken

log = logging.getLogger(__name__)

#: a worker process is replaced after this many chunks, so no process grows without bound
TASKS_PER_WORKER = 8
#: environment variable naming the pid of the process a compile worker works for
WORKER_OF = "ASHR_WORKER_OF"


class _Worker:
    """One compile process and the number of tasks it has done."""

    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[2])
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]),
            # whose worker this is: the worker exits when that process is gone (see worker.py)
            WORKER_OF: str(os.getpid()),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "engine.render.worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=env, start_new_session=True,
        )  # fmt: skip
        self.tasks = 0

    def run(self, task: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.tasks += 1
        try:
            self.process.stdin.write(json.dumps(task) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except (BrokenPipeError, OSError) as exc:
            raise RenderError(f"a compile worker stopped: {exc}") from exc
        if not line:
            detail = self.process.stderr.read()[-500:] if self.process.stderr else ""
            raise RenderError(
                f"a compile worker stopped{': ' + detail.strip() if detail.strip() else ''}"
            )
        answer = json.loads(line)
        if "error" in answer:
            raise RenderError(answer["error"])
        return dict(answer["ok"])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


class WorkerPool:
    """A fixed number of compile processes, kept warm between renders and recycled after a few tasks."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: queue.SimpleQueue[_Worker | None] = queue.SimpleQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        with self._lock:
            if self._closed:  # killed (a cancel, a signal): never start a replacement
                return
            worker = _Worker()
            self._all.add(worker)
        self._idle.put(worker)

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()

    def run(self, task: dict[str, Any]) -> dict[str, Any]:
        """Run one task on an idle worker (blocking); a worker that fails or is worn out is replaced."""
        worker = self._idle.get()
        if worker is None:  # the pool was killed: wake the next waiting thread too
            self._idle.put(None)
            raise RenderError("the compile workers were stopped")
        try:
            result = worker.run(task)
        except BaseException:
            self._retire(worker)
            self._add()
            raise
        if worker.tasks >= TASKS_PER_WORKER:
            self._retire(worker)
            self._add()
        else:
            self._idle.put(worker)
        return result

    def kill(self) -> None:
        """Stop every worker now; the pool starts no other."""
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        self._idle.put(None)
        for worker in workers:
            worker.stop()


_pool: WorkerPool | None = None
_pool_lock = threading.Lock()


def shared_pool(size: int) -> WorkerPool:
    """The process-wide pool (started on first use; a different size starts a new one)."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool.size != size:
            if _pool is not None:
                _pool.kill()
            _pool = WorkerPool(size)
        return _pool


def shutdown_pool() -> None:
    """Stop the shared pool's workers (at exit, after a cancel, or in tests)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.kill()


class ChunkCompiler:
    """Compiles chunks of pages on the worker pool as they are submitted; results come back in page order.

    `submit` may be called while the report is still being filled (early chunks); `wait`
    returns every result once all submitted chunks are done. A cancel kills the workers.
    """

    def __init__(
        self,
        root: Path,
        *,
        fmt: str,
        ppi: float,
        timestamp: dt.datetime | None,
        pdf_standards: Sequence[str],
        tagged: bool,
        workers: int,
        cancel: CancelToken | None = None,
        on_chunk: Callable[[int, dict[str, Any]], None] | None = None,
    ) -> None:
        self.root = root
        self.options = {
            "root": str(root), "fmt": fmt, "ppi": ppi,
            "timestamp": timestamp.isoformat() if timestamp else None,
            "pdf_standards": list(pdf_standards), "tagged": tagged,
        }  # fmt: skip
        self.workers = workers
        self.cancel = cancel
        self.on_chunk = on_chunk
        self.results: dict[int, dict[str, Any]] = {}
        self.errors: list[BaseException] = []
        self._done: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._pending: queue.SimpleQueue[tuple[int, dict[str, Any]] | None] = queue.SimpleQueue()
        self._count = 0
        self._pool: WorkerPool | None = None
        self._threads: list[threading.Thread] = []
        if cancel is not None:
            cancel.on_cancel(shutdown_pool)

    def submit(self, first: int, last: int, text: str) -> None:
        """Queue pages first..last (a complete Typst document) for compiling."""
        index = self._count
        self._count += 1
        path = self.root / f"chunk-{index:05d}.typ"
        path.write_text(text, encoding="utf-8")
        if self._pool is None:
            self._pool = shared_pool(self.workers)
            self._threads = [
                threading.Thread(target=self._feed, daemon=True) for _ in range(self.workers)
            ]
            for thread in self._threads:
                thread.start()
        self._pending.put((index, {**self.options, "source": str(path), "pages": [first, last]}))
        self._report()

    def _feed(self) -> None:
        assert self._pool is not None
        while True:
            item = self._pending.get()
            if item is None or self.errors or (self.cancel is not None and self.cancel.cancelled):
                return
            index, task = item
            try:
                self.results[index] = self._pool.run(task)
            except BaseException as exc:
                self.errors.append(exc)
                self._done.put(-1)
                return
            self._done.put(index)

    def _report(self) -> None:
        """Tell `on_chunk` about chunks finished so far (from the calling thread)."""
        while True:
            try:
                index = self._done.get_nowait()
            except queue.Empty:
                return
            self._check()
            if self.on_chunk is not None and index >= 0:
                self.on_chunk(index, self.results[index])

    def _check(self) -> None:
        if self.cancel is not None and self.cancel.cancelled:
            shutdown_pool()
            raise Cancelled()
        if self.errors:
            error = self.errors[0]
            raise (
                error
                if isinstance(error, RenderError)
                else RenderError(f"a compile worker failed: {error}")
            )

    def wait(self) -> list[dict[str, Any]]:
        """Every submitted chunk's result, in submission (page) order."""
        self._report()
        while len(self.results) < self._count:
            self._check()
            try:
                index = self._done.get(timeout=0.05)
            except queue.Empty:
                continue
            self._check()
            if self.on_chunk is not None and index >= 0:
                self.on_chunk(index, self.results[index])
        for _ in self._threads:
            self._pending.put(None)
        for thread in self._threads:
            thread.join()
        return [self.results[i] for i in range(self._count)]


def merge_pdfs(
    paths: Sequence[str],
    *,
    title: str,
    timestamp: dt.datetime | None,
    stamp: Callable[[Any], None] | None = None,
) -> bytes:
    """Concatenate chunk PDFs in order into one PDF; `stamp(doc)` may draw on it before saving."""
    import pymupdf

    merged = pymupdf.open()
    try:
        for path in paths:
            with pymupdf.open(path) as part:
                merged.insert_pdf(part)
        if stamp is not None:
            stamp(merged)
        date = _pdf_date(timestamp or dt.datetime.now(dt.UTC))
        merged.set_metadata({
            "title": title, "creator": "AshReports", "producer": "AshReports (Typst, PyMuPDF)",
            "creationDate": date, "modDate": date,
        })  # fmt: skip
        return bytes(merged.tobytes(garbage=1, deflate=True, no_new_id=True))
    finally:
        merged.close()


def _pdf_date(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")
