"""The subcommands: each a setup(parser) and a run(args, out, err) -> exit status, in a registry."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from ..errors import ReportError
from ..model import report_schema

Setup = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace, TextIO, TextIO], int]

#: name -> (setup, run, help)
COMMANDS: dict[str, tuple[Setup, Run, str]] = {}


def command(name: str, help_text: str, setup: Setup) -> Callable[[Run], Run]:
    """Register a subcommand."""

    def register(run: Run) -> Run:
        COMMANDS[name] = (setup, run, help_text)
        return run

    return register


def access_args(p: argparse.ArgumentParser) -> None:
    """`--allow-path DIR` (repeatable), `--max-input-mb N` and `--connections FILE`: the files a
    report may read, how large, and the user's named connections."""
    p.add_argument(
        "--connections",
        metavar="FILE",
        help="read named connections from FILE (default: $ASHR_CONNECTIONS, else "
        "connections.toml in the user's config folder)",
    )
    p.add_argument(
        "--allow-path",
        action="append",
        default=[],
        metavar="DIR",
        help="let the report read files below DIR too (repeatable); by default a report reads "
        "only files in its own folder and below it",
    )
    p.add_argument(
        "--max-input-mb",
        type=positive(float, "megabytes"),
        metavar="N",
        help="raise every input size cap (CSV and JSON 512 MB, images 64 MB, reports "
        "16 MB ...) to at least N MB",
    )


def positive(kind: type[float] | type[int], unit: str = "") -> Any:
    """An argparse type: a finite number above zero (a limit of 0, -5 or nan means nothing)."""
    what = f"a number of {unit}" if unit else "a number"

    def convert(text: str) -> float | int:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not 0 < value < float("inf"):
            raise argparse.ArgumentTypeError(f"{text!r}: give {what} above 0")
        return value

    return convert


def apply_access(args: argparse.Namespace) -> None:
    """Apply `--allow-path`, `--max-input-mb` and `--connections` (see access_args) for the rest
    of this process.

    Raises:
        ReportInputError: an allowed folder does not exist or is not a folder.
    """
    from ..access import allow_folders, raise_limits
    from ..errors import ReportInputError

    for folder in args.allow_path:
        if not Path(folder).expanduser().is_dir():
            raise ReportInputError(f"--allow-path {folder}: no such folder")
    allow_folders(args.allow_path)
    if args.max_input_mb is not None:
        raise_limits(args.max_input_mb)
    if args.connections:  # the user's file of named connections, for every source of this run
        from ..data.named import use_connections_file

        use_connections_file(args.connections)


def _validate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("reports", nargs="+", metavar="REPORT.ashr", help="report files to check")
    access_args(p)
    p.add_argument(
        "--connect",
        action="store_true",
        help="also prepare each SQL query on its database (read-only, no rows read) and check "
        "every field the report uses against the columns it returns",
    )
    p.add_argument(
        "--data", metavar="URL", help="with --connect: this database URL instead of the report's"
    )


@command(
    "validate",
    "check report files without reading data: 'ok' per file or its problems",
    _validate_args,
)
def validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..prepare import validate as check

    apply_access(args)
    status = 0
    for path in args.reports:
        try:
            diagnostics = check(path, connect=args.connect, data=args.data)
        except ReportError as exc:  # this file's database: say so, check the others
            exc.source = exc.source or path
            for line in exc.lines():
                print(line, file=err)
            status = max(status, exc.exit_code)
            continue
        for d in diagnostics:
            if not d.is_error:
                print(d.format(path), file=err)
        errors = [d for d in diagnostics if d.is_error]
        for d in errors:
            print(d.format(path), file=err)
        if errors:
            status = 2
        else:
            print(f"{path}: ok", file=out)
    return status


def _no_args(p: argparse.ArgumentParser) -> None:
    del p


@command("schema", "print the JSON Schema of the .ashr format", _no_args)
def schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    del args, err
    data: Any = report_schema()
    out.write(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return 0
