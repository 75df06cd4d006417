"""Rendered pages → files on disk, written whole or not at all (temporary files renamed at the end)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from ..errors import RenderError


def page_paths(out: Path, count: int) -> list[Path]:
    """Where page images go: `OUT.png` for one page, `OUT-1.png`, `OUT-2.png`, ... for several."""
    if count == 1:
        return [out]
    return [out.with_name(f"{out.stem}-{i}{out.suffix}") for i in range(1, count + 1)]


def _mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_files(items: list[tuple[Path, bytes]]) -> None:
    """Write every file atomically: all temporary files first, then renames; on failure none is left."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in items:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, _mode())
        for tmp, path in temps:
            os.replace(tmp, path)
    except OSError as exc:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
        raise RenderError(
            f"cannot write {items[0][0] if items else 'output'}: {exc.strerror or exc}"
        ) from exc


def write_stream(path: Path, produce: Callable[[IO[str]], None]) -> None:
    """Write a text file produced by `produce(stream)` atomically; on any failure no file is left."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            produce(out)
        os.chmod(tmp, _mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
