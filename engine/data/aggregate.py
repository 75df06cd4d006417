"""An SqlSource, group fields and partial aggregates → a RowStream of one row per group, computed by the database.

``open_grouped`` wraps the source's query as
``SELECT q."g1", ..., COUNT(*), SUM(q."f") AS "a1", ... FROM (<query>) AS q GROUP BY ... ORDER BY ...``
so a summary report reads one row per innermost group instead of every row. Groups come
in the same order as ``open_rows(order_by=groups)`` gives rows (null first in both
directions); aggregates ignore nulls, as the calculations of ``engine.calc`` do. The
database is reached through ``engine.data.connections`` (sqlite3 for SQLite files, else SQLAlchemy); a big
SQLite table is grouped in rowid ranges at once (``engine.data.split``).

Exactness: the results must equal what the fill computes row by row in Python, so a case
the database cannot do identically raises ``AggregationUnavailable`` (the caller reads
the rows instead):

- SUM of a ``decimal`` field: exact on every database with a NUMERIC type (PostgreSQL,
  MySQL, ...). SQLite has none: it stores DECIMAL columns as REAL or INTEGER and sums in
  floating point. There each value is summed as an exact integer count of millionths
  (``CAST(round(f * 1000000) AS INTEGER)``), next to the number of decimals it has as a
  Decimal (what ``Decimal(repr(value))`` gives), and the group's sum is rebuilt as a Decimal
  with the exponent the Python sum would have. A value with more than 6 decimals, of 10⁹ or
  more, or stored as text makes the whole aggregation unavailable (checked in the same
  statement, before the first group is returned), as does an integer overflow of the sum.
- SUM of an ``integer`` or ``float`` field; SUM of other types is unavailable. Floating-point
  sums may differ from Python's in the last digits (the order of additions differs). On
  SQLite a numeric field holding text or blobs (a column without affinity), or an integer
  field holding reals, is unavailable (tested once per group on MAX and SUM, not per row).
- MIN and MAX of text use the database's collation, so they are unavailable for text except
  on SQLite (binary order, as Python's).
- Field types come from the report's ``fields``, else the database's declared types, else
  from the values of the first rows (as ``open_rows`` does, from an unordered sample).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from engine.calc import OVER_ROWS
from engine.errors import DataSourceError
from engine.model import DataSource, SqlSource

from .columns import order_term, result_fields
from .connections import Connection, SqliteConnection, open_connection
from .conversion import converter
from .split import combiner, grouped_in_parts, part_sql, rowid_parts, worker_count
from .stream import FieldInfo, OrderKey, RowStream

logger = logging.getLogger(__name__)

#: the aggregate functions open_grouped computes: every one a calculation's partial needs
FUNCTIONS = tuple(OVER_ROWS)
_ALIAS_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SAMPLE_ROWS = 200
#: SQLite decimal sums: values are summed in units of 10**-_SCALE, each below _LIMIT
_SCALE = 6
_LIMIT = 10**9
_INEXACT = 99  # the "decimals" of a value that cannot be summed exactly
#: millionths per unit of the last decimal, by the number of decimals
_DIVISORS = [10 ** (_SCALE - d) for d in range(_SCALE + 1)]
_NUMERIC = ("integer", "decimal", "float")
_ORDERED_EVERYWHERE = ("integer", "decimal", "float", "boolean", "date", "datetime")


class AggregationUnavailable(DataSourceError):
    """The database cannot compute these aggregates exactly as the fill would; read the rows instead."""


class GroupedRowStream(RowStream):
    """A RowStream of one row per group; ``source_fields`` are the fields of the rows it aggregates."""

    source_fields: list[FieldInfo]


Aggregate = tuple[str, str, str]


def open_grouped(
    source: DataSource,
    *,
    params: Mapping[str, Any],
    base_dir: Path | None,
    url: str | None,
    groups: Sequence[OrderKey],
    aggregates: Sequence[Aggregate],
    rows_alias: str | None = None,
    chunk_size: int = 5000,
) -> GroupedRowStream:
    """Group and aggregate a data source in the database; stream one row per group.

    Each row holds the group fields (by name), each aggregate (by alias) and, with
    `rows_alias`, the group's row count. Groups are ordered as `groups` say, nulls first.
    With no groups there is one row for the whole source, or none when it has no rows.

    Args:
        source: an SQL data source (any other kind is unavailable).
        params, base_dir, url: as for `engine.data.open_rows`.
        groups: the group fields, outermost first.
        aggregates: (alias, function, field): function is one of FUNCTIONS; aliases are
            generated identifiers (never user text) distinct from the group fields.
        rows_alias: the alias of the COUNT(*) column, if wanted.
        chunk_size: rows fetched at a time.

    Raises:
        AggregationUnavailable: the database cannot compute these exactly (see the module
            docstring), a field is missing, or the source is not SQL.
        DataSourceError: the query failed.
        ParameterError: the query uses a parameter that has no value.
    """
    if not isinstance(source, SqlSource):
        raise AggregationUnavailable(f"a {source.kind} source cannot group in a database")
    aliases = [alias for alias, _, _ in aggregates] + ([rows_alias] if rows_alias else [])
    group_names = [key.field for key in groups]
    for alias in aliases:
        if not _ALIAS_RE.fullmatch(alias) or alias in group_names or aliases.count(alias) > 1:
            raise ValueError(f"bad aggregate alias {alias!r}")
    for _, function, _ in aggregates:
        if function not in FUNCTIONS:
            raise ValueError(f"unknown aggregate function {function!r}")
    conn = open_connection(source, url, base_dir)
    try:
        base_sql = conn.base_sql()
        values = conn.bind(base_sql, params)
        fields = source_fields(conn, source, base_sql, values)
        query = _GroupedQuery(conn, fields, groups)
        for alias, function, name in aggregates:
            query.add(alias, function, name)
        query.add_rows(rows_alias)
        sql = query.sql(base_sql)
    except conn.errors as exc:
        conn.close()
        raise DataSourceError(f"query failed: {conn.message(exc)}") from exc
    except BaseException:
        conn.close()
        raise
    logger.debug("grouped statement: %s", sql)
    try:
        parts = (
            _grouped_parts(conn, source, query, values) or conn.execute(sql, values, chunk_size)[1]
        )
        first = query.rows(next(parts))
    except conn.errors as exc:
        conn.close()
        # The source query itself ran above, so this is the aggregation's failure (SQLite's
        # "integer overflow" of a sum, a database without window functions): the rows can
        # still be read one by one.
        raise AggregationUnavailable(f"the grouped query failed: {conn.message(exc)}") from exc
    except BaseException:
        conn.close()
        raise
    stream = GroupedRowStream(
        query.output_fields(),
        _chunks(conn, first, parts, query.rows),
        ordered=True,
        cancel=conn.cancel,
        on_close=conn.close,
        description=f"groups of {source.table or 'query'} in {conn.where}",
    )
    stream.source_fields = fields
    return stream


def _grouped_parts(
    conn: Connection, source: SqlSource, query: _GroupedQuery, values: dict[str, Any]
) -> Iterator[Sequence[Sequence[Any]]] | None:
    """A big SQLite table grouped in rowid ranges on several connections at once (engine.data.split); None: one statement."""
    if not isinstance(conn, SqliteConnection) or source.table is None:
        return None
    ranges = rowid_parts(conn.raw, source.table, worker_count())
    if ranges is None:
        return None
    statements = [query.sql(part_sql(source.table, rowids)) for rowids in ranges]
    combiners = [combiner(sql) for sql in query.columns] + [combiner("MAX")] * len(query.checks)
    rows = grouped_in_parts(
        conn.path, statements, values, len(query.groups), combiners,
        [key.descending for key in query.groups], conn.add_part,
    )  # fmt: skip
    return iter([rows])


def _chunks(
    conn: Connection,
    first: list[dict[str, Any]],
    parts: Iterator[Sequence[Sequence[Any]]],
    build: Callable[[Sequence[Sequence[Any]]], list[dict[str, Any]]],
) -> Iterator[list[dict[str, Any]]]:
    try:
        if first:
            yield first
        for raw in parts:
            yield build(raw)
    except conn.errors as exc:
        if conn.cancelled.is_set():
            return
        raise DataSourceError(f"grouped query failed: {conn.message(exc)}") from exc
    finally:
        conn.close()


def source_fields(
    conn: Connection, source: SqlSource, base_sql: str, values: dict[str, Any]
) -> list[FieldInfo]:
    """The fields of the source's rows, typed as open_rows types them (sampling a few rows when it must)."""
    declared = conn.declared(base_sql, values)
    wanted = {field.name for field in source.fields or ()}
    if declared is not None and all(kind or name in wanted for name, kind in declared):
        names, sample = [name for name, _ in declared], []  # nothing to sample, nothing run
    else:
        names, sample = conn.head(base_sql, values, _SAMPLE_ROWS)
    fields, _ = result_fields(names, declared, source.fields, sample)
    return fields


class _GroupedQuery:
    """Builds the grouped statement and turns its raw rows into typed rows."""

    def __init__(
        self, conn: Connection, fields: Sequence[FieldInfo], groups: Sequence[OrderKey]
    ) -> None:
        self.sqlite = conn.sqlite
        self.quote = conn.quote
        self.types = {f.name: f.type for f in fields}
        self.groups = list(groups)
        self.nulls = conn.nulls
        self.columns: list[str] = []  # select list entries after the group fields
        self.outputs: list[tuple[str, str]] = []  # (alias, field type) of the aggregates
        self.decoders: list[Decoder] = []
        self.checks: list[int] = []  # column positions that must stay below _INEXACT
        self.rows_position: int | None = None
        self.window_positions: list[int] = []
        for key in self.groups:
            self._field_type(key.field)

    def _field_type(self, name: str) -> str:
        if name not in self.types:
            raise AggregationUnavailable(f"no field '{name}' to group or aggregate")
        return self.types[name]

    def _column(self, sql: str) -> int:
        self.columns.append(sql)
        return len(self.groups) + len(self.columns) - 1

    def _field(self, name: str) -> str:
        return "q." + self.quote(name)

    def add(self, alias: str, function: str, name: str) -> None:
        field_type = self._field_type(name)
        column = self._field(name)
        if function == "COUNT":
            position = self._column(f"COUNT({column})")
            self.outputs.append((alias, "integer"))
            self.decoders.append(_decoder(position, int))
            return
        if function == "SUM" and field_type not in _NUMERIC:
            raise AggregationUnavailable(f"SUM of the {field_type} field '{name}'")
        if function in ("MIN", "MAX") and not self.sqlite and field_type not in _ORDERED_EVERYWHERE:
            raise AggregationUnavailable(
                f"{function} of the {field_type} field '{name}' (collation)"
            )
        convert = converter(field_type)
        if function == "SUM" and field_type == "decimal" and self.sqlite:
            units = self._column(f"SUM({_units(column)})")
            decimals = self._column(f"MAX({_decimals(column)})")
            self.checks.append(decimals)
            self.decoders.append(_sum_decoder(units, decimals))
        else:
            if self.sqlite:
                self._sqlite_check(column, field_type, function)
            position = self._column(f"{function}({column})")
            self.decoders.append(_decoder(position, convert))
        self.outputs.append((alias, field_type))

    def _sqlite_check(self, column: str, field_type: str, function: str) -> None:
        """SQLite: a value stored as another kind than the field's would aggregate differently.

        Text and blobs sort above numbers, so a group holds one iff its MAX is one; a SUM
        with a non-integer input is a float. Both are tested once per group, not per row.
        """
        if field_type not in _NUMERIC:
            return
        bad = [f"typeof(MAX({column})) IN ('text', 'blob')"]
        if field_type == "integer" and function == "SUM":
            bad.append(f"typeof(SUM({column})) = 'real'")
        check = f"CASE WHEN {' OR '.join(bad)} THEN {_INEXACT} ELSE 0 END"
        if check not in self.columns:
            self.checks.append(self._column(check))

    def add_rows(self, alias: str | None) -> None:
        """COUNT(*), output as `alias`; without groups always (to drop the one row of no rows)."""
        if alias is None and self.groups:
            return
        self.rows_position = position = self._column("COUNT(*)")
        if alias is not None:
            self.outputs.append((alias, "integer"))
            self.decoders.append(_decoder(position, int))

    def sql(self, base_sql: str) -> str:
        keys = [self._field(key.field) for key in self.groups]
        taken = {key.field for key in self.groups}
        prefix = "_c"
        while any(name.startswith(prefix) for name in taken):
            prefix = "_" + prefix
        names = [self.quote(key.field) for key in self.groups]
        names += [f"{prefix}{i}" for i in range(len(self.columns))]
        select = ", ".join(
            f"{sql} AS {name}" for sql, name in zip(keys + self.columns, names, strict=True)
        )
        sql = f"SELECT {select} FROM (\n{base_sql}\n) AS q"
        if keys:
            sql += f" GROUP BY {', '.join(keys)}"
        if self.checks:
            # a window over all groups: SQLite computes every group before it returns the first
            windows = ", ".join(f"MAX(g.{names[i]}) OVER ()" for i in self.checks)
            sql = f"SELECT g.*, {windows} FROM ({sql}) AS g"
            self.window_positions = list(range(len(names), len(names) + len(self.checks)))
        if keys:
            order = ", ".join(
                order_term(f"{'g.' if self.checks else ''}{name}", key.descending, self.nulls)
                for name, key in zip(names[: len(self.groups)], self.groups, strict=True)
            )
            sql += f" ORDER BY {order}"
        return sql

    def output_fields(self) -> list[FieldInfo]:
        fields = [FieldInfo(key.field, self.types[key.field]) for key in self.groups]
        return fields + [FieldInfo(alias, field_type) for alias, field_type in self.outputs]

    def rows(self, raw: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
        """Typed rows from raw ones; refuses a group the database could not aggregate exactly."""
        keys = [
            (i, key.field, converter(self.types[key.field])) for i, key in enumerate(self.groups)
        ]
        outputs = [
            (alias, decode) for (alias, _), decode in zip(self.outputs, self.decoders, strict=True)
        ]
        out = []
        for row in raw:
            for position in self.window_positions:
                if row[position] is not None and row[position] >= _INEXACT:
                    raise AggregationUnavailable("a value cannot be aggregated exactly in SQLite")
            if not keys and row[self.rows_position] == 0:  # type: ignore[index]
                continue  # no groups and no rows: no group either
            record = {name: convert(row[i]) for i, name, convert in keys}
            for alias, decode in outputs:
                record[alias] = decode(row)
            out.append(record)
        return out


Decoder = Callable[[Sequence[Any]], Any]


def _decoder(position: int, convert: Callable[[Any], Any]) -> Decoder:
    """Reads one column of a raw row and converts it."""

    def decode(row: Sequence[Any]) -> Any:
        return convert(row[position])

    return decode


def _sum_decoder(units: int, decimals: int) -> Decoder:
    """Rebuilds an SQLite decimal sum from its columns of millionths and decimals."""

    def decode(row: Sequence[Any]) -> Any:
        return exact_sum(row[units], row[decimals])

    return decode


def _units(column: str) -> str:
    """SQL: the value in units of 10**-_SCALE, an exact integer when _decimals says the value has a count."""
    return f"CAST(round({column} * {10**_SCALE}) AS INTEGER)"


def _decimals(column: str) -> str:
    """SQL: how many decimals the value has as Python's Decimal(repr(value)) (0 for an integer), or _INEXACT.

    ``round(f * 10**6) / 10**6 = f`` holds when f is the nearest double to some number u/10**6;
    below 10**9 that number has at most 15 digits, so it is the one repr gives, with the
    trailing zeros of u stripped (but at least one decimal: repr(2.0) is '2.0').
    """
    units = _units(column)
    trailing = " ".join(
        f"WHEN {units} % {10 ** (_SCALE - k)} = 0 THEN {k}" for k in range(1, _SCALE)
    )
    return (
        f"CASE WHEN {column} IS NULL THEN NULL "
        f"WHEN typeof({column}) = 'integer' AND abs({column}) < {_LIMIT} THEN 0 "
        f"WHEN typeof({column}) = 'real' AND abs({column}) < {_LIMIT} "
        f"AND round({column} * {10**_SCALE}) / {10**_SCALE}.0 = {column} "
        f"THEN CASE {trailing} ELSE {_SCALE} END "
        f"ELSE {_INEXACT} END"
    )


def exact_sum(units: int | None, decimals: int | None) -> Decimal | None:
    """A sum of millionths as the Decimal Python's sum would give: its exponent from the most decimals seen."""
    if units is None or decimals is None:
        return None
    if 0 <= decimals <= _SCALE:
        whole, rest = divmod(units, _DIVISORS[decimals])
        if not rest:  # always: every value had at most `decimals` decimals
            return Decimal(whole).scaleb(-decimals)
    try:
        return Decimal(units).scaleb(-_SCALE).quantize(Decimal(1).scaleb(-decimals))
    except InvalidOperation as exc:  # more digits than the Decimal context holds
        raise AggregationUnavailable(f"a sum of {units} millionths does not fit a Decimal") from exc
