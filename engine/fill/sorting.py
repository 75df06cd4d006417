"""Row sorting for sources that cannot sort: a report and rows in, rows ordered by group and sort keys out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from engine.errors import EvaluationError
from engine.expr import Env
from engine.model import Report

from .compiled import CompiledReport, compile_report


def sort_rows(
    report: Report | CompiledReport,
    rows: Iterable[Mapping[str, Any]],
    params: Mapping[str, Any] | None = None,
) -> list[Mapping[str, Any]]:
    """The rows ordered by every group expression (outermost first), then by ``sort``.

    Stable; ``None`` sorts first in both directions (it forms its own group); each key
    honours its ``descending``. Keys are evaluated once per row.

    :raises EvaluationError: a key failed on a row, or two keys cannot be compared
        (e.g. a number and a string).
    """
    compiled = report if isinstance(report, CompiledReport) else compile_report(report)
    keys = compiled.sort_keys
    env = Env(params=dict(params or {}))
    decorated: list[tuple[list[Any], Mapping[str, Any]]] = []
    for row in rows:
        env.row = row
        try:
            decorated.append(([expr(env) for expr, _ in keys], row))
        except EvaluationError as exc:
            raise EvaluationError(f"sorting: {exc.message}") from exc
    # one stable pass per key, least significant first
    for i in range(len(keys) - 1, -1, -1):
        descending = keys[i][1]
        try:
            if descending:
                decorated.sort(key=lambda item: (item[0][i] is None, item[0][i]), reverse=True)
            else:
                decorated.sort(key=lambda item: (item[0][i] is not None, item[0][i]))
        except TypeError as exc:
            text = keys[i][0].text
            raise EvaluationError(
                f"sorting by '{text}': values cannot be compared ({exc})"
            ) from exc
    return [row for _, row in decorated]
