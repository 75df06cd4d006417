"""Chunks of typed rows from a source → a RowStream (fields, order flag, counters, cancel); Python sorting of rows."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from engine.errors import DataSourceError

logger = logging.getLogger(__name__)

#: the field types a source can report (the `.ashr` field types)
FIELD_TYPES = ("string", "integer", "decimal", "float", "boolean", "date", "datetime", "bytes")

Row = dict[str, Any]


class Columns:
    """A chunk of rows held as columns: field names and one value sequence per field.

    A source that types its values a column at a time hands its chunks on in this form, so
    a consumer that works on columns (the fill of a report that prints no row) never builds
    a dict per row; `rows()` builds them for everyone else.
    """

    __slots__ = ("columns", "names", "size")

    def __init__(self, names: tuple[str, ...], columns: list[Sequence[Any]], size: int) -> None:
        self.names = names
        self.columns = columns
        self.size = size

    @classmethod
    def from_rows(cls, names: Sequence[str], rows: Sequence[Row]) -> Columns:
        """The columns of dict rows (every row has every name)."""
        return cls(tuple(names), [[row[name] for row in rows] for name in names], len(rows))

    def __len__(self) -> int:
        return self.size

    def row(self, index: int) -> Row:
        """Row `index` as a dict."""
        return dict(zip(self.names, [column[index] for column in self.columns], strict=True))

    def rows(self) -> list[Row]:
        """Every row as a dict."""
        names = self.names
        return [
            dict(zip(names, values, strict=False)) for values in zip(*self.columns, strict=False)
        ]


Chunk = list[Row] | Columns


@dataclass(frozen=True)
class FieldInfo:
    """A field of a data source: its name and one of FIELD_TYPES."""

    name: str
    type: str


@dataclass(frozen=True)
class OrderKey:
    """Sort rows by a field. A null value is lower than any other: first ascending, last descending."""

    field: str
    descending: bool = False


class RowStream:
    """Rows of a data source, read once: a context manager and an iterable of plain dicts.

    Built by `open_rows`. `fields` is known before the first row. `ordered` is True when
    the requested order was applied (pushed into SQL, or sorted in Python for files).
    `rows_total` is the row count when known without reading (files), else None.
    `rows_read` counts rows taken from the source so far, a chunk at a time.
    Iterate rows, or call `chunks(size)` or `column_chunks()`, only one of them. The stream
    closes itself when exhausted; `close()` stops it early (also from another thread, which
    interrupts a running query). `on_chunk`, when set, is called with `rows_read` after each
    chunk is taken from the source.
    """

    def __init__(
        self,
        fields: Sequence[FieldInfo],
        chunks: Iterator[Chunk],
        *,
        ordered: bool = True,
        rows_total: int | None = None,
        cancel: Callable[[], None] | None = None,
        on_close: Callable[[], None] | None = None,
        description: str = "",
    ) -> None:
        self.fields: list[FieldInfo] = list(fields)
        self.ordered = ordered
        self.rows_total = rows_total
        self.rows_read = 0
        self._chunks = chunks
        self._cancel = cancel
        self._on_close = on_close
        self._closed = False
        self._cancelled = False  # closed before the end
        self._released = False  # the source's connection or file let go
        self._release_lock = threading.Lock()
        self._reader: int | None = None  # the thread iterating, while it does
        self._description = description or "source"
        self.on_chunk: Callable[[int], None] | None = None

    @property
    def closed(self) -> bool:
        """True once the stream was closed or read to the end."""
        return self._closed

    def _next_chunks(self) -> Iterator[Chunk]:
        self._reader = threading.get_ident()
        on_chunk = self.on_chunk
        try:
            for chunk in self._chunks:
                if self._closed:  # closed from another thread
                    break
                self.rows_read += len(chunk)
                if on_chunk is not None:
                    on_chunk(self.rows_read)
                yield chunk
            else:
                self._closed = True
                logger.debug("read %d rows from %s", self.rows_read, self._description)
        finally:
            self._reader = None
            if self._closed:
                self._close_source()

    def __iter__(self) -> Iterator[Row]:
        for chunk in self._next_chunks():
            for row in chunk.rows() if isinstance(chunk, Columns) else chunk:
                if self._cancelled:
                    return
                yield row

    def column_chunks(self) -> Iterator[Columns]:
        """The rows a chunk at a time as Columns (names in the order of `fields`)."""
        names = tuple(f.name for f in self.fields)
        for chunk in self._next_chunks():
            if self._cancelled:
                return
            yield chunk if isinstance(chunk, Columns) else Columns.from_rows(names, chunk)

    def chunks(self, size: int) -> Iterator[list[Row]]:
        """The same rows in lists of `size` rows (the last one may be shorter)."""
        if size < 1:
            raise ValueError("chunk size must be at least 1")
        pending: list[Row] = []
        for next_chunk in self._next_chunks():
            if self._cancelled:
                return
            chunk = next_chunk.rows() if isinstance(next_chunk, Columns) else next_chunk
            if not pending and len(chunk) == size:
                yield chunk
                continue
            pending.extend(chunk)
            while len(pending) >= size:
                yield pending[:size]
                del pending[:size]
        if pending and not self._cancelled:
            yield pending

    def _close_source(self) -> None:
        with self._release_lock:
            if self._released:
                return
            self._released = True
        close = getattr(self._chunks, "close", None)
        try:
            if close is not None:
                close()
        finally:
            # a generator closed before it started never runs its own clean-up
            if self._on_close is not None:
                self._on_close()

    def close(self) -> None:
        """Stop reading and release the connection or file; safe to call twice or from another thread.

        From another thread than the one reading, the running query is interrupted and the
        reading thread stops at the end of its current chunk and releases the connection.
        """
        reader = self._reader
        if reader is not None and reader != threading.get_ident():
            if self._closed:
                return
            self._closed = self._cancelled = True
            if self._cancel is not None:
                self._cancel()
            logger.debug("cancelling %s after %d rows", self._description, self.rows_read)
            return
        if self._released:
            return
        # the reading thread (or nobody) is not inside the source now: release it at once,
        # also after a cancel from another thread whose reader stopped between two chunks
        self._closed = self._cancelled = True
        self._close_source()
        logger.debug("closed %s after %d rows", self._description, self.rows_read)

    def __enter__(self) -> RowStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        names = ", ".join(f"{f.name}:{f.type}" for f in self.fields)
        return f"<RowStream {self._description} [{names}] rows_read={self.rows_read}>"


def chunked(rows: list[Row], size: int) -> Iterator[list[Row]]:
    """Rows held in memory as lists of `size` rows."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def sort_rows(
    rows: list[Row], order_by: Sequence[OrderKey], fields: Sequence[FieldInfo], where: str
) -> None:
    """Sort rows in place, stably, by each key; null values first in both directions (as the spec says).

    Raises:
        DataSourceError: a key names no field, or a field holds values that cannot be compared.
    """
    names = [f.name for f in fields]
    for key in order_by:
        if key.field not in names:
            raise DataSourceError(
                f"cannot sort by '{key.field}': no such field in {where}; fields: {', '.join(names)}"
            )
    # Sorting by the last key first and the first key last gives the combined order,
    # because Python's sort is stable (also with reverse=True).
    for key in reversed(order_by):
        name = key.field
        try:
            if key.descending:  # reversed: (True, ...) for null comes first
                rows.sort(key=lambda row: (row[name] is None, row[name]), reverse=True)
            else:
                rows.sort(key=lambda row: (row[name] is not None, row[name]))
        except TypeError as exc:
            raise DataSourceError(
                f"cannot sort by '{name}' in {where}: its values are of different kinds"
            ) from exc


class SourceReader(Protocol):
    """Opens one kind of data source as a RowStream (registered with `reader`)."""

    def __call__(
        self,
        source: Any,
        *,
        params: Mapping[str, Any],
        base_dir: Path | None,
        url: str | None,
        order_by: Sequence[OrderKey],
        chunk_size: int,
        on_open: Callable[[Callable[[], None]], None] | None = None,
        columns: Collection[str] | None = None,
    ) -> RowStream: ...


READERS: dict[str, SourceReader] = {}


def reader(kind: str) -> Callable[[SourceReader], SourceReader]:
    """Register the function that opens data sources of `kind` (`sql`, `csv`, `json`)."""

    def register(function: SourceReader) -> SourceReader:
        READERS[kind] = function
        return function

    return register


def resolve_path(path: str, base_dir: Path | None) -> Path:
    """A file path from a report: `~` expanded, relative paths taken from `base_dir` (else the working folder)."""
    result = Path(path).expanduser()
    if not result.is_absolute():
        result = (base_dir if base_dir is not None else Path.cwd()) / result
    return result.absolute()
