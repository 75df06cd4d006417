"""A report and its parameter values in, a Prepared run out: validated once, compiled once, its data plan made.

Every caller (the CLI, the designer's render process, the coming server) prepares a
report with `prepare_report` and hands the result to `engine.render.render_report` or
`engine.render.export_data`; the stages after it read the Prepared, never the file.
"""

from __future__ import annotations

from .checking import validate
from .prepared import Prepared, prepare_report
from .rows import PUSHDOWN_ENV, ReportRows, StreamRows, read_rows

__all__ = [
    "PUSHDOWN_ENV",
    "Prepared",
    "ReportRows",
    "StreamRows",
    "prepare_report",
    "read_rows",
    "validate",
]
