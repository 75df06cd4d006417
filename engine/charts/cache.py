"""The chart cache: a key from chart kind, options, box, look and data fingerprint in, the drawn chart's code out.

Size-capped LRU (by stored bytes, cachetools' TTLCache) with a time to live; entries above ``compress_from``
bytes are stored zlib-compressed. One process-wide cache (``CHART_CACHE``) serves every
render, so re-rendering an unchanged report (as the designer's preview does) draws no
chart twice. Thread-safe.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from cachetools import TTLCache

from .draw import Look


def chart_key(chart: Any, width: float, height: float, look: Look, fingerprint: str) -> str:
    """The cache key of a drawn chart: every option, the box, the look and the data's fingerprint."""
    options = chart.model_dump(mode="json")
    options["x"] = chart.extensions
    text = json.dumps([options, width, height, asdict(look), fingerprint], sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ChartCache:
    """Drawn chart code by key; least recently used entries go first past ``max_bytes``, any past ``ttl`` seconds.

    The eviction is cachetools' `TTLCache` sized by stored bytes; this class adds the
    compression of large entries, the hit and miss counts, and a lock.
    """

    def __init__(
        self,
        max_bytes: int = 32 * 1024 * 1024,
        ttl: float = 3600.0,
        compress_from: int = 4096,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_bytes = max_bytes
        self.compress_from = compress_from
        self._entries: TTLCache[str, tuple[bool, bytes]] = TTLCache(
            maxsize=max_bytes, ttl=ttl, timer=clock, getsizeof=lambda entry: len(entry[1])
        )
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> str | None:
        """The code stored under ``key`` (counted as a hit), or None (a miss)."""
        with self._lock:
            self._entries.expire()
            entry = self._entries.get(key)  # a hit is the most recently used from now on
            if entry is None:
                self.misses += 1
                return None
            self.hits += 1
        packed, data = entry
        return (zlib.decompress(data) if packed else data).decode("utf-8")

    def put(self, key: str, code: str) -> None:
        """Store code under ``key``, evicting the least recently used entries past ``max_bytes``."""
        data = code.encode("utf-8")
        packed = len(data) >= self.compress_from
        if packed:
            data = zlib.compress(data, 6)
        if len(data) > self.max_bytes:
            return
        with self._lock:
            self._entries[key] = (packed, data)

    @property
    def hit_rate(self) -> float:
        """Hits over lookups since the last ``clear`` (0 before any lookup)."""
        total = self.hits + self.misses
        return self.hits / total if total else 0.0

    @property
    def stored_bytes(self) -> int:
        return int(self._entries.currsize)

    def __len__(self) -> int:
        with self._lock:
            self._entries.expire()
            return len(self._entries)

    def clear(self) -> None:
        """Forget every entry and the hit and miss counts."""
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


#: the process-wide chart cache
CHART_CACHE = ChartCache()
