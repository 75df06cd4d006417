"""Rendered pages or streamed text → files on disk, written whole or not at all (temporary names in
the target folder renamed at the end), and the leftovers of killed runs → removed.

A temporary file is named `.NAME.PID.RANDOM.part` beside its target and a render's work folder
`ashr-PID-RANDOM` in the temporary folder, so the next run can tell a killed run's leftovers
(its process is gone) from a running one's.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO

from ..errors import ReportError, ReportInputError

log = logging.getLogger(__name__)

_PART = re.compile(r"^\..+\.(\d+)\.[A-Za-z0-9_]+\.part$")
_WORK = re.compile(r"^ashr-(\d+)-[A-Za-z0-9_]+$")


class OutputError(ReportError):
    """An output file cannot be written (no space, no permission); nothing was left behind."""


def page_paths(out: Path, count: int) -> list[Path]:
    """Where page images go: `OUT.png` for one page, else `OUT-01.png` … `OUT-37.png`, numbered
    with as many digits as the last page needs, so the files sort in page order."""
    if count == 1:
        return [out]
    width = len(str(count))
    return [out.with_name(f"{out.stem}-{i:0{width}d}{out.suffix}") for i in range(1, count + 1)]


def work_prefix() -> str:
    """The name start of this process's work folders in the temporary folder."""
    return f"ashr-{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or not a pid we can ask about: leave it
    return True


def remove_leftovers(folder: Path) -> None:
    """Remove `.NAME.PID.RANDOM.part` files in `folder` and `ashr-PID-*` work folders in the
    temporary folder whose process is gone (killed runs); nothing else is touched."""
    for where, pattern, is_dir in (
        (folder, _PART, False),
        (Path(tempfile.gettempdir()), _WORK, True),
    ):
        try:
            entries = list(os.scandir(where))
        except OSError:
            continue
        for entry in entries:
            match = pattern.match(entry.name)
            if match is None or _alive(int(match.group(1))):
                continue
            try:
                if is_dir and entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                elif not is_dir and entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
                else:
                    continue
                log.info("removed %s, left by a run that was stopped", entry.path)
            except OSError:
                pass  # not ours to force


def check_target(path: Path, *, option: str = "-o") -> None:
    """Refuse a target that is a folder or lies in a missing folder, before any work is done.

    Raises:
        ReportInputError: the option names a folder, or a file in a folder that does not exist.
    """
    if path.is_dir():
        raise ReportInputError(
            f"{option} {path} is a folder; name the output file, e.g. {path / 'report.pdf'}"
        )
    if not path.parent.is_dir():
        raise ReportInputError(
            f"{option} {path}: the folder {path.parent} does not exist; create it first"
        )


def write_error(
    path: Path, exc: OSError, *, elsewhere: str = "write elsewhere with -o"
) -> OutputError:
    """The one-line message of a failed write that names the file and what to do."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        text = f"no space left writing {path}; free some space or {elsewhere}"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        text = f"permission denied writing {path}; {elsewhere}"
    elif exc.errno == errno.EROFS:
        text = f"read-only file system writing {path}; {elsewhere}"
    elif exc.errno == errno.EISDIR:
        text = f"cannot write {path}: it is a folder"
    else:
        text = f"cannot write {path}: {exc.strerror or exc}"
    return OutputError(text)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while outputs are renamed into place: an interrupt then
    comes before every rename or after all of them, never between two pages."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _temp_for(path: Path) -> tuple[int, str]:
    return tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part", dir=path.parent)


def write_files(
    items: Sequence[tuple[str | os.PathLike[str], bytes]],
    *,
    on_commit: Callable[[], None] | None = None,
) -> None:
    """Write every file atomically: all temporary files first, then renames; on any failure (or
    an interrupt) none of the temporary files is left and no target is changed.

    `on_commit` is called once every file is in place, before a signal held back during the
    renames is let through (the CLI's RunGuard then knows the outputs are whole).

    Raises:
        OutputError: a file cannot be written; the message names it.
    """
    temps: list[tuple[str, Path]] = []
    current = Path(items[0][0]) if items else Path("output")
    try:
        for target, data in items:
            path = current = Path(target)
            fd, tmp = _temp_for(path)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, _mode())
        with _signals_held():
            for tmp, path in temps:
                current = path
                os.replace(tmp, path)
            if on_commit is not None:
                on_commit()
    except OSError as exc:
        _remove(temps)
        raise write_error(current, exc) from exc
    except BaseException:
        _remove(temps)
        raise


def _remove(temps: list[tuple[str, Path]]) -> None:
    for tmp, _ in temps:
        Path(tmp).unlink(missing_ok=True)


class _Writing:
    """A text stream that tells a failed write (no space) from a failure of what produces it."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self.failure: OSError | None = None

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            self.failure = exc
            raise

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


class _NotWriting(Exception):
    """Carries an OSError raised by what produces the text (e.g. reading data), not by the write."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def write_stream(
    path: str | os.PathLike[str],
    produce: Callable[[IO[str]], None],
    *,
    on_commit: Callable[[], None] | None = None,
) -> None:
    """Write a text file produced by `produce(stream)` atomically; on any failure no file is left.

    `on_commit` is called once the file is in place (see write_files).

    Raises:
        OutputError: the file cannot be written (no space, no permission); the message names it.
    """
    path = Path(path)
    try:
        fd, tmp = _temp_for(path)
    except OSError as exc:
        raise write_error(path, exc) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            writing = _Writing(out)
            try:
                produce(writing)  # type: ignore[arg-type]
            except OSError as exc:
                if writing.failure is not exc:
                    raise _NotWriting(exc) from exc
                raise
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, _mode())
        with _signals_held():
            os.replace(tmp, path)
            if on_commit is not None:
                on_commit()
    except _NotWriting as wrapped:
        Path(tmp).unlink(missing_ok=True)
        raise wrapped.error from None
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise write_error(path, exc) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
