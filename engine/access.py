"""A path a report names → the file it may read (inside the report's folder tree or a folder the user allowed, a regular file, under a size cap), or an AccessError.

A report file is data, never authority: it may read its own images, CSV/JSON/Parquet
sources, SQLite files and subreports, nothing else. The user (never the report) widens
that with `allow_folders` (the CLI's `--allow-path`, the designer's trust prompt, the
server's data folder) and raises the size caps with `raise_limits`.

Both settings are process-wide: they are the user's choices for every report this
process renders. Paths the user types (the CLI's `--data`) are not confined: they are
the user's authority, not the report's.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from .errors import ReportInputError

MB = 1024 * 1024

#: default size caps, in bytes, per kind of input (the user raises them with raise_limits)
DEFAULT_LIMITS: dict[str, int] = {
    "report": 16 * MB,  # an .ashr file or a subreport: a definition, not data
    "image": 64 * MB,
    "csv": 512 * MB,  # read whole, as JSON
    "json": 512 * MB,  # read whole
    "sqlite": 1024 * 1024 * MB,  # opened, never read whole: a database may be huge
    "parquet": 1024 * 1024 * MB,  # streamed a batch at a time, as SQLite: a file may be huge
    # what one Parquet row group declares for the columns read: it is decoded while it is read
    "parquet-row-group": 1024 * MB,
    "connections": 1 * MB,
    "password": 64 * 1024,
}

_limits: dict[str, int] = dict(DEFAULT_LIMITS)
_BLOCK = 1024 * 1024
_allowed: list[Path] = []


class AccessError(ReportInputError):
    """A report names a file it may not read: outside its folders, not a regular file, or too large."""


def allow_folders(folders: Iterable[str | os.PathLike[str]]) -> None:
    """Let every report this process renders read files below these folders too (the user's choice)."""
    for folder in folders:
        real = Path(os.path.realpath(Path(folder).expanduser()))
        if real not in _allowed:
            _allowed.append(real)


def reset_access() -> None:
    """Forget allowed folders and raised limits (tests, and a server between tenants)."""
    _allowed.clear()
    _limits.clear()
    _limits.update(DEFAULT_LIMITS)


def raise_limits(megabytes: float) -> None:
    """Raise every input size cap to at least `megabytes` MB (the CLI's `--max-input-mb`)."""
    wanted = int(megabytes * MB)
    for kind, value in _limits.items():
        _limits[kind] = max(value, wanted)


def limit(kind: str) -> int:
    """The size cap in bytes for a kind of input (`report`, `image`, `csv`, `json`, ...)."""
    return _limits[kind]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def confine(text: str | os.PathLike[str], base_dir: Path | None, *, what: str) -> Path:
    """The real path of a file a report names, if the report may read it.

    `text` is relative to `base_dir` (the report's folder; the working folder when None).
    Symbolic links are followed first, so a link inside the folder to a file outside is
    refused too.

    Raises:
        AccessError: the path leads outside the report's folder tree and every allowed
            folder; the message names the path and the fix.
    """
    base = Path(os.path.realpath(base_dir if base_dir is not None else Path.cwd()))
    raw = Path(text)
    if str(raw).startswith("~"):
        raise AccessError(
            f"{what} '{text}': a report may not read files from the home folder; "
            "copy the file next to the report, or allow its folder (--allow-path)"
        )
    real = Path(os.path.realpath(base / raw))
    if _inside(real, base) or any(_inside(real, folder) for folder in _allowed):
        return real
    raise AccessError(
        f"{what} '{text}' is outside the report's folder ({base}); a report reads only files "
        "in its own folder and below it: move the file there, or allow its folder with "
        "--allow-path DIR"
    )


def _too_large(path: Path, size: int, kind: str, what: str) -> AccessError:
    cap = _limits[kind]
    return AccessError(
        f"{what} {path} is {size / MB:.1f} MB, over the {cap / MB:.0f} MB limit for "
        f"{kind} files; raise it with --max-input-mb if the file is meant to be that large"
    )


def open_regular(path: Path, *, kind: str, what: str) -> BinaryIO:
    """Open a file for reading if it is a regular file within the size cap of `kind`.

    Never blocks: a FIFO, a device or a socket is refused before anything is read.

    Raises:
        AccessError: not a regular file, or larger than the cap.
        FileNotFoundError, PermissionError, OSError: as `open` raises them.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket, or a FIFO opened without a writer on some systems
            raise AccessError(f"{what} {path} is not a regular file") from exc
        raise
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise AccessError(f"{what} {path} is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise AccessError(
                f"{what} {path} is not a regular file (a device, pipe or socket is never read)"
            )
        if info.st_size > _limits[kind]:
            raise _too_large(path, info.st_size, kind, what)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path, *, kind: str, what: str) -> bytes:
    """The bytes of a regular file within the size cap of `kind` (see open_regular)."""
    cap = _limits[kind]
    blocks: list[bytes] = []
    size = 0
    with open_regular(path, kind=kind, what=what) as file:
        # in blocks: read(cap + 1) would allocate the whole cap at once (gigabytes once raised)
        while block := file.read(min(_BLOCK, cap + 1 - size)):
            blocks.append(block)
            size += len(block)
            if size > cap:  # it grew while being read
                raise _too_large(path, size, kind, what)
    return b"".join(blocks)
