"""argv → a subcommand run with errors turned into one line each on stderr and an exit status."""

from __future__ import annotations

import argparse
import errno
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from ..errors import ReportError
from . import commands, render  # noqa: F401  (render registers its subcommands)
from .startup import load_report_validator, resume_gc

log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors with exit status 2 and no traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = _Parser(
        prog="python -m engine", description="AshReports engine: validate and render .ashr reports."
    )
    common = _Parser(add_help=False)
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show Python tracebacks on failure",
    )
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks on failure")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (setup, _run, help_text) in commands.COMMANDS.items():
        setup(sub.add_parser(name, help=help_text, description=help_text, parents=[common]))
    return parser


def _os_error(exc: OSError) -> str:
    """One line for a failed file operation: what, which file, and what to do."""
    where = f" {exc.filename}" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left writing{where}; free some space (or set TMPDIR to a larger folder)"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write{where}: {exc.strerror}"
    return f"{exc.strerror or exc}{':' + where if where else ''}"


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line and return the exit status; never raises for bad input or failures."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:
        return int(exc.code or 0)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s: %(message)s",
        stream=err,
    )
    run: Callable[..., int] = commands.COMMANDS[args.command][1]
    load_report_validator()
    if args.command != "render":  # render resumes it itself, once its report is loaded
        resume_gc()
    try:
        return run(args, out, err)
    except ReportError as exc:
        if args.debug:
            raise
        if not exc.source and isinstance(getattr(args, "report", None), str):
            exc.source = args.report
        for line in exc.lines():
            print(line, file=err)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return 130
    except OSError as exc:  # a file system failure the command did not name itself
        if args.debug:
            raise
        print(_os_error(exc), file=err)
        return 1
    except Exception as exc:  # a bug: say so in one line unless --debug
        if args.debug:
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)", file=err
        )
        return 1
