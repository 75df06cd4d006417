"""The subcommands: each a setup(parser) and a run(args, out, err) -> exit status, in a registry."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any, TextIO

from ..model import read_report, report_schema

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


def _validate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("reports", nargs="+", metavar="REPORT.ashr", help="report files to check")


@command(
    "validate",
    "check report files without reading data: 'ok' per file or its problems",
    _validate_args,
)
def validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..fill import check_expressions

    status = 0
    for path in args.reports:
        result = read_report(path)
        if result.report is not None:
            source = result.report.data_source
            declared = (
                {f.name for f in source.fields} if source is not None and source.fields else None
            )
            result.diagnostics.extend(check_expressions(result.report, declared))
        for d in result.warnings:
            print(d.format(path), file=err)
        if result.errors:
            for d in result.errors:
                print(d.format(path), file=err)
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
