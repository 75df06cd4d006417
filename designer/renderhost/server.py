"""The designer's render jobs as calls on the engine's process pool: a RenderJob in, progress, early pages and its JobResult out.

`designer.preview.renderworker` submits `run_render_job` to a pool of one warm process
of its own (`engine.render.pool`). Filling, laying out and generating Typst are pure
Python: run in the designer's own process they held the GIL against the GUI thread, which
waited for it after every Qt call. There they have a process (and a GIL) of their own,
at a lower CPU priority. The process outlives a job, so it keeps the engine's Typst
compiler and the row cache (`RowCache`) of the last run; the pool's warm process is what
keeps it.

Events (`engine.render.pool.current_task().emit`): ("progress", Progress) ·
("chunk", first, last, pdf bytes) · ("cache", hits, misses). A cancel reaches the job's
CancelToken through the pool (`Task.interrupt`).
"""

from __future__ import annotations

import logging
import tempfile

from engine.errors import ReportError
from engine.progress import Cancelled, Progress
from engine.render.pool import current_task

from .job import JobResult, RenderJob, run_job
from .rowcache import RowCache

log = logging.getLogger(__name__)

#: how much lower than the designer's the render process's CPU priority is: on a busy
#: machine the GUI thread gets a core first
NICENESS = 10

#: the rows of the last run, kept in the render process between jobs (previews only)
_cache: RowCache | None = None


def run_render_job(job: RenderJob, tempdir: str, keep_rows: bool) -> JobResult:
    """Render `job` in this (pool worker) process; `keep_rows` keeps the rows of the last run.

    Raises:
        Cancelled: the caller interrupted the job.
        ReportError: the render failed (a bug or a driver's own error is said as one too).
    """
    global _cache
    task = current_task()
    if keep_rows and _cache is None:
        _cache = RowCache()
    cache = _cache if keep_rows else None
    # the work files go where the designer's would (its TMPDIR, or a test's folder)
    tempfile.tempdir = tempdir

    def progress(event: Progress) -> None:
        task.emit(("progress", event))

    def chunk(first: int, last: int, pdf: bytes) -> None:
        task.emit(("chunk", first, last, pdf))

    try:
        task.cancel.check()
        return run_job(job, task.cancel, progress=progress, on_chunk=chunk, cache=cache)
    except ReportError:
        if task.cancel.cancelled:
            raise Cancelled() from None
        raise
    except Exception as exc:  # a bug or a driver's own error: shown, never ends the process
        log.exception("rendering %s failed", job.report.name)
        raise ReportError(f"rendering failed: {type(exc).__name__}: {exc}") from exc
    finally:
        if cache is not None:
            task.emit(("cache", cache.hits, cache.misses))


def clear_row_cache() -> None:
    """Forget the rows kept by `run_render_job` (Refresh Data, or the data source changed)."""
    if _cache is not None:
        _cache.clear()
