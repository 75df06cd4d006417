"""`.ashr` bytes or files → Report (with every diagnostic), and Report → `.ashr` text written atomically."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Diagnostic, ReportInputError, ReportValidationError, error
from .diagnostics import diagnostics_from
from .jsontext import dump_json, parse_json
from .migrations import migrate
from .report import Report
from .schema_cache import load_validator, store_validator
from .validate import validate_report

log = logging.getLogger(__name__)

#: the largest report file read (a report definition, not data)
MAX_FILE_BYTES = 64 * 1024 * 1024


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
        return source, "", []
    path = Path(source)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return (
                None,
                str(path),
                [
                    error(
                        "too-large",
                        f"the file is larger than {MAX_FILE_BYTES // 2**20} MB; is it really a report?",
                    )
                ],
            )
        return path.read_bytes(), str(path), []
    except FileNotFoundError:
        return None, str(path), [error("file", "no such file")]
    except IsADirectoryError:
        return None, str(path), [error("file", "is a folder, not a report file")]
    except OSError as exc:
        return None, str(path), [error("file", f"cannot read it: {exc.strerror or exc}")]


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
    from_cache = load_validator(Report)  # the first report of a process: no schema build
    try:
        report = Report.model_validate(data)
    except ValidationError as exc:
        return LoadResult(None, diagnostics_from(exc, data, Report))
    except RecursionError:
        return LoadResult(None, [error("too-deep", "the file is nested too deeply to be a report")])
    finally:
        if not from_cache:
            store_validator(Report)
    return LoadResult(report, validate_report(report))


def read_report(source: str | os.PathLike[str] | bytes) -> LoadResult:
    """Read a report from a path or bytes; never raises for bad input, returns every diagnostic."""
    raw, name, problems = _read_bytes(source)
    if raw is None:
        return LoadResult(None, problems, name)
    data, problems = parse_json(raw)
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


def save_report(report: Report, path: str | os.PathLike[str], *, backup: bool = True) -> None:
    """Write the report to `path` atomically; the previous file is kept as `PATH.bak`.

    Raises:
        ReportInputError: when the folder cannot be written; the old file is then untouched.
    """
    target = Path(path)
    text = dump_report(report).encode("utf-8")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ReportInputError(
            f"cannot write in {target.parent}: {exc.strerror or exc}", source=str(target)
        ) from exc
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, _file_mode(target))
        if backup and target.exists():
            shutil.copy2(target, target.with_name(target.name + ".bak"))
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ReportInputError(
            f"cannot save: {exc.strerror or exc}; the previous file is unchanged",
            source=str(target),
        ) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
