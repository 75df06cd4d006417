"""A paginated document → its pages compiled in chunks (on the process pool and in this process) → one merged PDF or page list.

Chunks are handed out while the fill still runs (`Chunks.submit`, called by
`generate_typst`), compiled by `compile_chunk` calls on the shared `pool`, and once the
fill is done this process compiles the chunks still waiting too (`Chunks.wait`): the fill
takes one core, so a machine of N cores starts N - 1 compile workers, and at the end all
N compile. A small report compiles once, here (`compile_single`).
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import resource
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RenderError
from ..progress import Cancelled, CancelToken, Reporter
from .compiler import check_source_size, compile_document

if TYPE_CHECKING:
    from ..model import Report
    from ..typst import TypstSource
    from .pool import Task

#: from this many pages up, `workers=None` compiles in chunks
CHUNKED_FROM_PAGES = 60
#: pages per chunk: a process compiling 20 pages of a listing peaks near 80 MB (40: 120 MB)
CHUNK_PAGES = 20
#: compiles of an empty document after a chunk: typst-py evicts what the last 10 compiles did
#: not use (`comemo::evict(10)` after each compile), so this drops the chunk's layout caches
#: at once. Measured on the 100k-row listing: a worker stays near 120 MB instead of
#: growing by ~55 MB a chunk to 700 MB, for the same CPU time (the caches of one chunk of a
#: listing hardly serve the next)
EVICT_COMPILES = 10


@dataclass(frozen=True)
class CompileOptions:
    """How to compile: format, PNG resolution, pinned date and PDF flavour."""

    fmt: str
    ppi: float
    timestamp: dt.datetime | None
    pdf_standards: tuple[str, ...]
    tagged: bool


@dataclass
class CompiledPages:
    """The outputs of the compile stage, with its warnings, seconds and peak memory (MB) per step."""

    fmt: str
    pages: list[bytes]
    page_count: int
    warnings: list[str]
    timings: dict[str, float] = field(default_factory=dict)
    peaks: dict[str, float] = field(default_factory=dict)
    chunks: int = 1


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def forget_layouts() -> None:
    """Drop the Typst caches the last compile left (see EVICT_COMPILES), and give the freed
    memory back to the system where the C library can (glibc's `malloc_trim`): an idle
    worker then holds ~60 MB instead of ~100 MB while the merge runs."""
    for _ in range(EVICT_COMPILES):
        compile_document("", fmt="png", ppi=1)
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim` from this process's own symbols, or None (another C library)."""
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError, TypeError):
        return None


def compile_chunk(task: dict[str, Any]) -> dict[str, Any]:
    """Compile `task["source"]` (a .typ path) and write the outputs next to it.

    The call the pool's workers run (and this process, for the chunks it takes). Returns
    the output paths, warnings, seconds and this process's peak RSS in MB.
    """
    started = time.perf_counter()
    source = Path(task["source"])
    options: CompileOptions = task["options"]
    try:
        result = compile_document(
            source.read_bytes(), fmt=options.fmt, ppi=options.ppi,  # type: ignore[arg-type]
            timestamp=options.timestamp, pdf_standards=options.pdf_standards,
            tagged=options.tagged, root=Path(task["root"]),
        )  # fmt: skip
        outputs = []
        for i, page in enumerate(result.pages):
            out = source.with_name(f"{source.stem}-{i:05d}.{options.fmt}")
            out.write_bytes(page)
            outputs.append(str(out))
    except OSError as exc:  # the temporary folder is full or gone: say so, naming the file
        from .output import write_error

        raise write_error(
            Path(exc.filename or "a chunk file"), exc, elsewhere="set TMPDIR to a larger folder"
        ) from exc
    finally:
        forget_layouts()
    return {
        "outputs": outputs,
        "warnings": result.warnings,
        "seconds": time.perf_counter() - started,
        "peak_mb": _peak_mb(),
    }


def compile_single(
    document: TypstSource, root: Path, options: CompileOptions, reporter: Reporter
) -> CompiledPages:
    """The whole document in one compile, in this process."""
    mark = time.perf_counter()
    reporter.update("compile", chunks_total=1)
    text = document.text()
    check_source_size(text, document.page_count)
    compiled = compile_document(
        text, fmt=options.fmt, ppi=options.ppi, timestamp=options.timestamp,  # type: ignore[arg-type]
        pdf_standards=options.pdf_standards, tagged=options.tagged, origins=document.origins,
        root=root,
    )  # fmt: skip
    reporter.update(chunks_done=1)
    count = len(compiled.pages) if options.fmt != "pdf" else document.page_count
    return CompiledPages(
        options.fmt,
        compiled.pages,
        count,
        document.warnings + compiled.warnings,
        {"compile": time.perf_counter() - mark},
        {"compile": _peak_mb()},
    )


class Chunks:
    """The chunks of one render: handed to the pool as they come, results kept in page order.

    `processes` compile, this one included: `processes - 1` chunks are on the pool at a
    time (their workers start when the first chunk does), and `wait` compiles the rest
    here. A cancel kills the pool's workers.
    """

    def __init__(
        self,
        root: Path,
        options: CompileOptions,
        processes: int,
        reporter: Reporter,
        cancel: CancelToken | None,
    ) -> None:
        self.root = root
        self.options = options
        self.on_pool = max(0, processes - 1)
        self.reporter = reporter
        self.cancel = cancel
        self.started = time.perf_counter()
        self.ranges: list[tuple[int, int]] = []
        self.results: dict[int, dict[str, Any]] = {}
        self.done = 0
        self._waiting: collections.deque[tuple[int, dict[str, Any]]] = collections.deque()
        self._running: dict[int, Task] = {}
        self._finished: collections.deque[int] = collections.deque()
        self._errors: list[BaseException] = []
        self._lock = threading.Condition()
        self._used_pool = False
        if cancel is not None:
            cancel.on_cancel(self._kill)

    def submit(self, first: int, last: int, text: str) -> None:
        """Queue pages first..last (a complete Typst document) for compiling."""
        check_source_size(text, last - first + 1)  # here, before a worker starts on it
        index = len(self.ranges)
        self.ranges.append((first, last))
        path = self.root / f"chunk-{index:05d}.typ"
        path.write_text(text, encoding="utf-8")
        task = {"source": str(path), "root": str(self.root), "options": self.options}
        with self._lock:
            self._waiting.append((index, task))
            self._hand_out()
        self._report()

    def _hand_out(self) -> None:
        """Give waiting chunks to the pool while it has fewer than `on_pool` (under the lock)."""
        if self._errors or (self.cancel is not None and self.cancel.cancelled):
            return
        while self._waiting and len(self._running) < self.on_pool:
            from .pool import shared_pool  # here: a render without chunks never imports it

            index, task = self._waiting[0]
            try:
                future = shared_pool(self.on_pool).submit(compile_chunk, task)
            except RuntimeError:  # a larger pool replaced that one meanwhile: ask again
                continue
            self._waiting.popleft()
            self._used_pool = True
            self._running[index] = future
            future.add_done_callback(functools.partial(self._settle, index))

    def _settle(self, index: int, future: Task) -> None:
        with self._lock:
            self._running.pop(index, None)
            if future.cancelled():
                self._errors.append(Cancelled())
            elif (error := future.exception()) is not None:
                self._errors.append(error)
            else:
                self.results[index] = future.result()
                self._finished.append(index)
                self._hand_out()
            self._lock.notify_all()

    def _kill(self) -> None:
        if self._used_pool:
            from .pool import shutdown_pool

            shutdown_pool()

    def _check(self) -> None:
        if self.cancel is not None and self.cancel.cancelled:
            self._kill()
            raise Cancelled()
        if self._errors:
            error = self._errors[0]
            raise (
                error
                if isinstance(error, RenderError)
                else RenderError(f"a compile worker failed: {error}")
            )

    def _report(self) -> None:
        """Tell the reporter about chunks finished so far (from the calling thread)."""
        while True:
            with self._lock:
                if not self._finished:
                    break
                index = self._finished.popleft()
            self._check()
            self.done += 1
            first, last = self.ranges[index]
            result = self.results[index]
            self.reporter.state.extra = {
                "chunk_pdf": result["outputs"][0],
                "chunk_pages": (first, last),
            }
            self.reporter.update(chunks_done=self.done)
        self.reporter.update(chunks_total=len(self.ranges), chunks_done=self.done)

    def wait(self) -> list[dict[str, Any]]:
        """Every chunk's result, in page order; the chunks still waiting are compiled here meanwhile."""
        while True:
            self._report()
            with self._lock:
                self._check()
                if len(self.results) == len(self.ranges):
                    break
                mine = self._waiting.pop() if self._waiting else None
                if mine is None:
                    self._lock.wait(0.05)
                    continue
            index, task = mine  # the last waiting chunk: the pool takes them from the front
            result = compile_chunk(task)
            with self._lock:
                self.results[index] = result
                self._finished.append(index)
        return [self.results[i] for i in range(len(self.ranges))]


def compile_chunked(
    document: TypstSource, chunks: Chunks, options: CompileOptions, report: Report
) -> CompiledPages:
    """The pages not handed out during the fill as chunks too, all compiled, then merged."""
    first = document.early[-1][1] + 1 if document.early else 1
    chunks.reporter.update("compile")
    for start in range(first, document.page_count + 1, CHUNK_PAGES):
        end = min(document.page_count, start + CHUNK_PAGES - 1)
        chunks.submit(start, end, document.text(start, end))
    results = chunks.wait()
    timings = {"compile": time.perf_counter() - chunks.started}
    peaks = {"compile": _peak_mb(), "worker_peak_mb": max(r["peak_mb"] for r in results)}
    warnings = list(document.warnings)
    for r in results:
        warnings.extend(w for w in r["warnings"] if w not in warnings)
    mark = time.perf_counter()
    chunks.reporter.update("merge")
    paths = [p for r in results for p in r["outputs"]]
    if options.fmt == "pdf":
        early = [p for a, b in document.early for p in range(a, b + 1)]
        total = document.page_count

        def stamp(doc: Any) -> None:
            if early and document.stamps:
                from .stamp import stamp_page_numbers  # not in a worker: it imports the layout

                stamp_page_numbers(doc, early, total, document.stamps)

        pages = [
            merge_pdfs(
                paths, title=report.title or report.name, timestamp=options.timestamp, stamp=stamp
            )
        ]
    else:
        pages = [Path(p).read_bytes() for p in paths]
    timings["merge"] = time.perf_counter() - mark
    peaks["merge"] = _peak_mb()
    return CompiledPages(
        options.fmt, pages, document.page_count, warnings, timings, peaks, chunks=len(results)
    )


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
