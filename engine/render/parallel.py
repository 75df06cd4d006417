"""A paginated document → chunks of pages compiled in spawned worker processes → one merged PDF or page list."""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any

from ..errors import RenderError
from .progress import Cancelled, CancelToken

log = logging.getLogger(__name__)

#: a worker process is replaced after this many chunks, so no process grows without bound
TASKS_PER_WORKER = 8

_pool: Pool | None = None
_pool_size = 0
_pool_lock = threading.Lock()


def worker_count() -> int:
    """How many compile processes to use: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _get_pool(size: int) -> Pool:
    """The shared pool of spawned workers (spawn, not fork: a forked Typst hangs)."""
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size != size:
            if _pool is not None:
                _pool.terminate()
            _pool = multiprocessing.get_context("spawn").Pool(
                size, maxtasksperchild=TASKS_PER_WORKER
            )
            _pool_size = size
        return _pool


def _kill_pool() -> None:
    """Stop every worker now (cancel); the next render starts a new pool."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.terminate()
            _pool = None


def shutdown_pool() -> None:
    """Close the shared pool (at exit, or in tests)."""
    _kill_pool()


def plan_chunks(
    page_count: int, workers: int, *, min_pages: int = 10, max_pages: int = 120
) -> list[tuple[int, int]]:
    """Split pages 1..N into ranges: a few per worker, each between min_pages and max_pages long."""
    per_chunk = max(min_pages, min(max_pages, -(-page_count // (workers * 2))))
    return [
        (first, min(page_count, first + per_chunk - 1))
        for first in range(1, page_count + 1, per_chunk)
    ]


def compile_chunks(
    sources: Sequence[tuple[int, int, str]],
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
) -> list[dict[str, Any]]:
    """Compile (first_page, last_page, source text) chunks in worker processes, results in page order."""
    tasks = []
    for index, (first, last, text) in enumerate(sources):
        path = root / f"chunk-{index:05d}.typ"
        path.write_text(text, encoding="utf-8")
        tasks.append({
            "source": str(path), "root": str(root), "fmt": fmt, "ppi": ppi,
            "timestamp": timestamp.isoformat() if timestamp else None,
            "pdf_standards": list(pdf_standards), "tagged": tagged, "pages": (first, last),
        })  # fmt: skip
    pool = _get_pool(workers)
    from .worker import compile_chunk

    pending = [pool.apply_async(compile_chunk, (task,)) for task in tasks]
    if cancel is not None:
        cancel.on_cancel(_kill_pool)
    results: list[dict[str, Any]] = []
    try:
        for index, job in enumerate(pending):
            while True:
                if cancel is not None and cancel.cancelled:
                    raise Cancelled()
                try:
                    result = job.get(timeout=0.1)
                    break
                except multiprocessing.TimeoutError:
                    continue
            results.append(result)
            if on_chunk is not None:
                on_chunk(index, result)
    except Cancelled:
        _kill_pool()
        raise
    except RenderError:
        raise
    except Exception as exc:  # a worker died (killed, out of memory) or could not start
        _kill_pool()
        raise RenderError(f"a compile worker failed: {exc}") from exc
    return results


def merge_pdfs(paths: Sequence[str], *, title: str, timestamp: dt.datetime | None) -> bytes:
    """Concatenate chunk PDFs in order into one PDF."""
    import pymupdf

    merged = pymupdf.open()
    try:
        for path in paths:
            with pymupdf.open(path) as part:
                merged.insert_pdf(part)
        stamp = _pdf_date(timestamp or dt.datetime.now(dt.UTC))
        merged.set_metadata(
            {
                "title": title,
                "creator": "AshReports",
                "producer": "AshReports (Typst, PyMuPDF)",
                "creationDate": stamp,
                "modDate": stamp,
            }
        )
        return bytes(merged.tobytes(garbage=1, deflate=True, no_new_id=True))
    finally:
        merged.close()


def _pdf_date(value: dt.datetime) -> str:
    value = value.astimezone(dt.UTC)
    return value.strftime("D:%Y%m%d%H%M%SZ")
