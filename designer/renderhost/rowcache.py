"""The rows of the last preview run, kept by (data source, parameter values, folder) so layout edits skip the query."""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from engine.model import Report

#: a run reading more rows than this is not cached (it would hold them all in memory)
MAX_CACHED_ROWS = 200_000

#: row counts remembered (per source and parameter values) for the progress estimate
MAX_COUNTS = 32

Rows = list[Mapping[str, Any]]


def cache_key(report: Report, params: Mapping[str, Any], base_dir: Path | None) -> Hashable:
    """What the rows of a run depend on: the data source (URL, table or query), parameters, folder."""
    source = report.data_source
    source_key = source.model_dump_json() if source is not None else None
    return (source_key, tuple(sorted((k, repr(v)) for k, v in params.items())), str(base_dir))


class RowCache:
    """One entry: the rows of the last run that read its data source to the end (thread-safe)."""

    def __init__(self, limit: int = MAX_CACHED_ROWS) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._key: Hashable = None
        self._rows: Rows | None = None
        self._counts: dict[Hashable, int] = {}
        #: how many runs found their rows here, and how many read the data source
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Rows | None:
        """The rows stored for `key`, or None (counted as a hit or a miss)."""
        with self._lock:
            if self._rows is not None and self._key == key:
                self.hits += 1
                return self._rows
            self.misses += 1
            return None

    def count(self, key: Hashable) -> int | None:
        """How many rows the last complete read for `key` gave (kept even when the rows were not)."""
        with self._lock:
            return self._counts.get(key)

    def put(self, key: Hashable, rows: Rows) -> None:
        with self._lock:
            self._key, self._rows = key, rows

    def clear(self) -> None:
        """Forget the rows (Refresh Data, or the data source changed); counts stay, as estimates."""
        with self._lock:
            self._key, self._rows = None, None

    def recording(
        self, key: Hashable, rows: Iterable[Mapping[str, Any]]
    ) -> Iterator[Mapping[str, Any]]:
        """Pass `rows` through, storing them under `key` once read to the end (unless too many)."""
        kept: Rows | None = []
        count = 0
        for row in rows:
            count += 1
            if kept is not None:
                kept.append(row)
                if count > self.limit:
                    kept = None
            yield row
        with self._lock:
            self._counts.pop(key, None)
            self._counts[key] = count
            while len(self._counts) > MAX_COUNTS:
                del self._counts[next(iter(self._counts))]
        if kept is not None:
            self.put(key, kept)
