"""The evaluation environment: a row, parameters, variables and row numbers in, read by compiled expressions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_EMPTY: Mapping[str, Any] = {}


class Env:
    """What an expression sees while it runs; mutable so a fill loop can reuse one instance.

    ``row`` maps data field names to values, ``params`` the report's parameter values,
    ``vars`` the current values of report variables. ``row_number`` is 1-based within the
    report and ``group_row_number`` 1-based within the innermost group instance.
    """

    __slots__ = ("group_row_number", "params", "row", "row_number", "vars")

    def __init__(
        self,
        row: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        vars: Mapping[str, Any] | None = None,
        row_number: int = 0,
        group_row_number: int = 0,
    ) -> None:
        self.row: Mapping[str, Any] = _EMPTY if row is None else row
        self.params: Mapping[str, Any] = _EMPTY if params is None else params
        self.vars: Mapping[str, Any] = _EMPTY if vars is None else vars
        self.row_number = row_number
        self.group_row_number = group_row_number

    def __repr__(self) -> str:
        return (
            f"Env(row={self.row!r}, params={self.params!r}, vars={self.vars!r}, "
            f"row_number={self.row_number}, group_row_number={self.group_row_number})"
        )
