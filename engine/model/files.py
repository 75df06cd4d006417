"""`.ashr` bytes or files → Report (with every diagnostic), and Report → `.ashr` text written atomically."""

from __future__ import annotations

import errno
import logging
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..access import AccessError, limit, read_regular
from ..errors import Diagnostic, ReportInputError, ReportValidationError, error
from .diagnostics import diagnostics_from
from .jsontext import dump_json, parse_json
from .migrations import migrate
from .report import Report
from .validate import validate_report

log = logging.getLogger(__name__)

#: the most bands and elements one report file may hold (counted on the JSON, before any
#: object is built): a large real report has a few hundred of each
MAX_BANDS = 10_000
MAX_ELEMENTS = 100_000


@dataclass
class LoadResult:
    """What reading a report gave: the report (None when it has errors) and every diagnostic."""

    report: Report | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source: str = ""

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


def _read_bytes(
    source: str | os.PathLike[str] | bytes,
) -> tuple[bytes | None, str, list[Diagnostic]]:
    if isinstance(source, bytes):
        if len(source) > limit("report"):
            return None, "", [error("too-large", _too_large(len(source)))]
        return source, "", []
    path = Path(source)
    try:
        # a regular file only (a FIFO or /dev/zero is refused at once), under the report cap
        return read_regular(path, kind="report", what="report file"), str(path), []
    except AccessError as exc:
        return None, str(path), [error("file", _without_path(exc.message, path))]
    except FileNotFoundError:
        return None, str(path), [error("file", "no such file")]
    except IsADirectoryError:
        return None, str(path), [error("file", "is a folder, not a report file")]
    except OSError as exc:
        return None, str(path), [error("file", f"cannot read it: {exc.strerror or exc}")]


def _too_large(size: int) -> str:
    return (
        f"the report is {size / 2**20:.1f} MB, over the {limit('report') / 2**20:.0f} MB limit "
        "for report files; raise it with --max-input-mb if it is really a report"
    )


def _without_path(message: str, path: Path) -> str:
    """An access message without the `report file PATH` the diagnostic's source already names."""
    if message.endswith("is a folder, not a file"):
        return "is a folder, not a report file"
    return message.replace(f"report file {path} ", "the file ", 1)


def _count_parts(data: Any) -> list[Diagnostic]:
    """Refuse a file with more bands or elements than a report has, before pydantic builds them."""
    bands = elements = 0
    todo: list[Any] = [data]
    while todo:
        value = todo.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, list):
                    if key == "bands":
                        bands += len(item)
                    elif key == "elements":
                        elements += len(item)
                todo.append(item)
        elif isinstance(value, list):
            todo.extend(value)
    problems = []
    if bands > MAX_BANDS:
        problems.append(
            error(
                "too-many-bands",
                f"{bands:,} bands, more than the {MAX_BANDS:,} a report may hold",
                "bands",
            )
        )
    if elements > MAX_ELEMENTS:
        problems.append(
            error(
                "too-many-elements",
                f"{elements:,} elements, more than the {MAX_ELEMENTS:,} a report may hold",
                "bands",
            )
        )
    return problems


def report_from_data(data: Any) -> LoadResult:
    """Validate parsed JSON data (migrating old versions) into a Report plus diagnostics."""
    if not isinstance(data, dict):
        return LoadResult(None, [error("type", "an .ashr file must hold one JSON object { ... }")])
    if data.get("format") != "ashr":
        return LoadResult(
            None,
            [error("format", 'is not "ashr": this is not an AshReports report file', "format")],
        )
    data, problems = migrate(data)
    if data is None:
        return LoadResult(None, problems)
    try:
        report = Report.model_validate(data)
    except ValidationError as exc:
        return LoadResult(None, diagnostics_from(exc, data, Report))
    except RecursionError:
        return LoadResult(None, [error("too-deep", "the file is nested too deeply to be a report")])
    return LoadResult(report, validate_report(report))


def read_report(source: str | os.PathLike[str] | bytes) -> LoadResult:
    """Read a report from a path or bytes; never raises for bad input, returns every diagnostic."""
    raw, name, problems = _read_bytes(source)
    if raw is None:
        return LoadResult(None, problems, name)
    data, problems = parse_json(raw)
    if not problems:
        problems = _count_parts(data)
    if problems:
        return LoadResult(None, problems, name)
    result = report_from_data(data)
    result.source = name
    if result.errors:
        result.report = None
    return result


def load_report(source: str | os.PathLike[str] | bytes) -> Report:
    """Read a report from a path or bytes.

    Raises:
        ReportValidationError: with every diagnostic, when the file has any error.
    """
    result = read_report(source)
    if result.report is None:
        raise ReportValidationError(result.diagnostics, source=result.source)
    for w in result.warnings:
        log.warning("%s", w.format(result.source))
    return result.report


def report_to_data(report: Report) -> dict[str, Any]:
    """The report as plain JSON data: keys in the spec's order, defaults left out, `x_` keys kept."""
    return report.model_dump(mode="json", exclude_defaults=True)


def dump_report(report: Report) -> str:
    """The report as `.ashr` text, exactly as save_report writes it."""
    return dump_json(report_to_data(report))


def _file_mode(target: Path) -> int:
    """The permissions the saved file gets: those of the file it replaces, else 0666 less the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _backup(target: Path) -> Path:
    """A whole copy of `target` under a temporary name beside it: a hard link (no bytes copied,
    never truncated), else a complete copy written and synced before it is used."""
    while True:
        name = target.with_name(f".{target.name}.bak.{os.getpid()}.{secrets.token_hex(4)}.part")
        try:
            os.link(target, name)
            return name
        except FileExistsError:
            continue
        except OSError:
            break  # a file system without hard links
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.bak.{os.getpid()}.", suffix=".part", dir=target.parent
    )
    try:
        with os.fdopen(fd, "wb") as out, open(target, "rb") as old:
            shutil.copyfileobj(old, out)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(target, tmp)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _save_error(target: Path, exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = f"no space left saving {target}"
    elif exc.errno == errno.ENOENT:
        reason = f"cannot write in {target.parent}: the folder does not exist"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = f"cannot save {target}: {exc.strerror}; save it in another folder"
    else:
        reason = f"cannot save {target}: {exc.strerror or exc}"
    return f"{reason}; the previous file is unchanged"


def save_report(report: Report, path: str | os.PathLike[str], *, backup: bool = True) -> None:
    """Write the report to `path` atomically; the previous file is kept whole as `PATH.bak`.

    The text goes to a temporary file beside the target, synced, then renamed over it; the
    `.bak` is a hard link to (or a complete copy of) the old file, renamed into place. A
    symbolic link is kept: the file it points to is written (its `.bak` beside that file).

    Raises:
        ReportInputError: the file cannot be written (no space, no permission); the old
            file and its `.bak` are then untouched and no temporary file is left.
    """
    target = Path(os.path.realpath(Path(path)))
    text = dump_report(report).encode("utf-8")
    temps: list[Path] = []
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".part", dir=target.parent
        )
        temps.append(Path(tmp))
        with os.fdopen(fd, "wb") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, _file_mode(target))
        if backup and target.exists():
            copy = _backup(target)
            temps.append(copy)
            os.replace(copy, target.with_name(target.name + ".bak"))
        os.replace(tmp, target)
    except OSError as exc:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise ReportInputError(_save_error(target, exc), source=str(path)) from exc
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise
