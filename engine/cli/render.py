"""`render` and `fields`: a report file and options → output files (PDF, PNG, SVG, Typst, JSON, CSV) or a field list."""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import ReportInputError
from ..model import load_report, parse_param_args, resolve_parameters
from .commands import access_args, apply_access, command, positive
from .startup import resume_gc

if TYPE_CHECKING:
    from ..prepare import Prepared

FORMATS = ("pdf", "png", "svg", "typ", "json", "csv")


def _ppi(text: str) -> float:
    """An argparse type: a resolution from 1 to 2400 ppi (inf, nan, 0 or -5 would reach Typst)."""
    from ..render.raster import RasterError, check_ppi

    try:
        return check_ppi(float(text))
    except (ValueError, RasterError) as exc:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give the resolution of PNG pages as a number from 1 to 2400"
        ) from exc


def _render_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("report", metavar="REPORT.ashr")
    p.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="output file (default: NAME.pdf in the current folder)",
    )
    p.add_argument(
        "--format", choices=FORMATS, help="output format (default: the extension of -o, else pdf)"
    )
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a parameter value (repeatable)",
    )
    p.add_argument(
        "--data",
        metavar="URL",
        help="use this data source URL (or CSV/JSON/Parquet path) instead of the report's",
    )
    p.add_argument(
        "--ppi", type=_ppi, default=144.0, help="pixels per inch of PNG pages (1-2400, default 144)"
    )
    p.add_argument(
        "--timestamp",
        metavar="ISO",
        help="pin the PDF creation date (e.g. 2024-01-01T00:00:00Z) for reproducible output",
    )
    p.add_argument(
        "--pdf-standard",
        action="append",
        default=[],
        metavar="STD",
        help="PDF standard: a-2b, a-3b, ua-1 ... (repeatable)",
    )
    p.add_argument(
        "--tagged", action="store_true", help="write a tagged (accessible) PDF; larger files"
    )
    p.add_argument("--progress", action="store_true", help="print progress to stderr")
    p.add_argument(
        "--max-seconds",
        type=positive(float),
        metavar="N",
        help="stop a run that takes longer than N seconds (exit 1, nothing written)",
    )
    p.add_argument(
        "--max-pages",
        type=positive(int),
        metavar="N",
        help="stop a run whose report has more than N pages (exit 1, nothing written)",
    )
    p.add_argument(
        "--profile", action="store_true", help="print time and peak memory per stage to stderr"
    )
    access_args(p)


def _format_of(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.output:
        suffix = Path(args.output).suffix.lower().lstrip(".")
        if suffix in FORMATS:
            return suffix
        raise ReportInputError(
            f"cannot tell the format from '{args.output}': use --format ({', '.join(FORMATS)})"
        )
    return "pdf"


def _timestamp(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ReportInputError(
            f"--timestamp {text!r}: write it as ISO 8601, e.g. 2024-01-01T00:00:00Z"
        ) from exc
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class _Profile:
    """Wall time and peak memory (RSS) per stage, printed as a table."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = []
        self.note = ""
        self.charts: list[Any] = []
        self._mark = time.perf_counter()

    def stage(self, name: str) -> None:
        """Close a stage measured here: time since the last mark."""
        now = time.perf_counter()
        self.add(name, now - self._mark, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    def add(self, name: str, seconds: float, peak: float) -> None:
        """Record a stage measured elsewhere."""
        self.rows.append((name, seconds, peak))
        self._mark = time.perf_counter()

    def print(self, err: TextIO) -> None:
        print(f"{'stage':<10} {'seconds':>9} {'peak MB':>9}", file=err)
        for name, seconds, peak in self.rows:
            print(f"{name:<10} {seconds:>9.3f} {peak:>9.1f}", file=err)
        print(f"{'total':<10} {sum(r[1] for r in self.rows):>9.3f}", file=err)
        if self.note:
            print(self.note, file=err)
        for c in self.charts:
            print(
                f"chart {c.path} ({c.kind}, {c.source}): {c.seconds:.4f} s, {c.points} points, "
                f"cache {c.hits} hit / {c.misses} miss",
                file=err,
            )


@command(
    "render",
    "render a report to PDF, PNG, SVG, Typst source, JSON (filled bands) or CSV (rows)",
    _render_args,
)
def render(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..render.fonts import prefetch_fonts

    apply_access(args)
    fmt = _format_of(args)
    if fmt not in ("json", "csv"):
        prefetch_fonts()  # scanned while the pipeline's modules load and the report is read
    from ..prepare import prepare_report
    from ..render.output import check_target, remove_leftovers
    from .guard import RunGuard

    profile = _Profile()
    path = Path(args.report)
    report = load_report(path)
    resume_gc()  # start-up done: its objects frozen, collection back on for the render
    prepared = prepare_report(
        report, parse_param_args(args.param), base_dir=path.resolve().parent, data=args.data
    )
    target = Path(args.output) if args.output else Path(f"{prepared.report.name}.{fmt}")
    timestamp = _timestamp(args.timestamp)
    check_target(target)
    remove_leftovers(target.parent)  # of runs killed before they could clean up
    profile.stage("load")
    with RunGuard(max_seconds=args.max_seconds, max_pages=args.max_pages) as guard:
        _render_to(args, prepared, fmt, target, timestamp, guard, profile, err)
    if args.profile:
        profile.print(err)
    return 0


def _render_to(
    args: argparse.Namespace,
    prepared: Prepared,
    fmt: str,
    target: Path,
    timestamp: dt.datetime | None,
    guard: Any,
    profile: _Profile,
    err: TextIO,
) -> None:
    """Render and write the outputs, stopping when the guard says so (a signal, a limit)."""
    from ..render import page_paths, render_report, write_files
    from ..render.output import check_target

    path = Path(args.report)

    def progress(event: Any) -> None:
        guard.progress(event)
        if args.progress:
            print(f"progress: {event.line()}", file=err, flush=True)

    if fmt in ("json", "csv"):
        from ..render import export_data

        # a signal or --max-seconds interrupts the query even while it runs inside the database
        export_data(
            prepared, fmt, target, cancel=guard.cancel, progress=progress,
            on_commit=guard.committed,
        )  # fmt: skip
        profile.stage("fill+write")
    else:
        result = render_report(
            prepared, fmt=fmt, ppi=args.ppi,  # type: ignore[arg-type]
            timestamp=timestamp, pdf_standards=args.pdf_standard, tagged=args.tagged,
            progress=progress, cancel=guard.cancel,
        )  # fmt: skip
        guard.check_pages(result.page_count)
        for name, seconds in result.timings.items():
            profile.add(name, seconds, result.peaks.get(name, 0.0))
        profile.charts = result.charts
        if "worker_peak_mb" in result.peaks:
            profile.note = f"{result.chunks} chunks; peak of any compile worker {result.peaks['worker_peak_mb']:.1f} MB"
        for warning in result.warnings:
            print(f"warning: {path}: {warning}", file=err)
        if fmt in ("png", "svg"):
            paths = page_paths(target, len(result.pages))
            for page_path in paths:
                check_target(page_path)
            write_files(list(zip(paths, result.pages, strict=True)), on_commit=guard.committed)
        else:
            write_files([(target, result.pages[0])], on_commit=guard.committed)
        profile.stage("write")
        if args.progress:
            print(f"progress: written {target} ({result.page_count} pages)", file=err, flush=True)


def _fields_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("report", nargs="?", metavar="REPORT.ashr")
    p.add_argument(
        "--data",
        metavar="URL",
        help="a data source URL (or CSV/JSON/Parquet path) instead of a report's",
    )
    p.add_argument("--table", help="with --data: a table name")
    p.add_argument("--query", help="with --data: an SQL query")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    access_args(p)


@command("fields", "list the fields (name and type) a report's data source provides", _fields_args)
def fields(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..data import introspect_fields
    from ..model import CsvSource, JsonSource, ParquetSource, SqlSource

    del err
    apply_access(args)
    if args.report:
        path = Path(args.report)
        report = load_report(path)
        if report.data_source is None:
            raise ReportInputError("the report has no data source", source=str(path))
        params = resolve_parameters(report, parse_param_args(args.param))
        found = introspect_fields(
            report.data_source, params=params, base_dir=path.resolve().parent, url=args.data
        )
    elif args.data:
        url: str = args.data
        source: Any
        if url.lower().endswith(".csv"):
            source = CsvSource(kind="csv", path=url)
        elif url.lower().endswith(".json"):
            source = JsonSource(kind="json", path=url)
        elif url.lower().endswith(".parquet"):
            source = ParquetSource(kind="parquet", path=url)
        else:
            if bool(args.table) == bool(args.query):
                raise ReportInputError("with --data URL give exactly one of --table or --query")
            source = SqlSource.model_validate(
                {"kind": "sql", "url": url, "table": args.table, "query": args.query}
            )
        # the user's own path (`url`): not confined to a report's folder
        found = introspect_fields(
            source, params=parse_param_args(args.param), base_dir=Path.cwd(), url=url
        )
    else:
        raise ReportInputError("give a report file, or --data URL with --table or --query")
    width = max((len(f.name) for f in found), default=4)
    for f in found:
        print(f"{f.name:<{width}}  {f.type}", file=out)
    return 0
