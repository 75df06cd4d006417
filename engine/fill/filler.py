"""The fill loop: a CompiledReport and sorted rows in, the stream of printed BandInstances out.

A report that prints no row (no detail band, no filter, group keys and variables that are
plain fields, no page variables, no chart fed row by row) is filled from the source's
column chunks when it offers them (`RowStream.column_chunks`): each run of rows with the
same group keys goes to the accumulators as slices of columns, and only the first and
last row of a run become dicts. The band instances are the same as row by row.

Print order: the page furniture templates (page_header, column_header, column_footer,
page_footer, background; the layout repeats them per page), the title, then per row the
headers of the groups that start and the detail bands, the footers of the groups that
end (innermost first), and the summary. Rows are not held: a total printed before its
scope ends is a DeferredText resolved when the scope instance closes.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any, Protocol

from engine.calc import Accumulator, has_null, make_accumulator
from engine.errors import EvaluationError
from engine.expr import Env

from .charts import ChartFeeds, ChartState
from .compiled import REPORT_SCOPE, CompiledBand, CompiledReport
from .elements import CompiledElement, fast_call, plain_field
from .instances import BandInstance, DeferredText, ElementValue, PageRef


class Columns(Protocol):
    """A chunk of rows as columns (what ``engine.data``'s RowStream.column_chunks yields)."""

    names: tuple[str, ...]
    columns: list[Sequence[Any]]
    size: int

    def row(self, index: int) -> Mapping[str, Any]: ...


class VarView(Mapping[str, Any]):
    """``env.vars`` during the fill: the current (running) value of each variable, computed on read."""

    __slots__ = ("_accumulators",)

    def __init__(self, accumulators: dict[str, Accumulator | None]) -> None:
        self._accumulators = accumulators

    def __getitem__(self, name: str) -> Any:
        accumulator = self._accumulators[name]
        return None if accumulator is None else accumulator.value()

    def __iter__(self) -> Iterator[str]:
        return iter(self._accumulators)

    def __len__(self) -> int:
        return len(self._accumulators)

    def snapshot(self) -> dict[str, Any]:
        """The current value of every variable, as a plain dict."""
        return {n: (a.value() if a is not None else None) for n, a in self._accumulators.items()}


def _located(exc: EvaluationError, where: str) -> EvaluationError:
    return EvaluationError(f"{where}: {exc.message}")


class ReportFiller:
    """Runs one fill of a compiled report; ``run(rows)`` yields the band instances."""

    def __init__(
        self, compiled: CompiledReport, params: Mapping[str, Any], charts: ChartFeeds | None = None
    ) -> None:
        self.compiled = compiled
        self.charts = ChartState(charts)
        self.accumulators: dict[str, Accumulator | None] = {}
        levels = len(compiled.group_exprs)
        self.waiting: list[list[DeferredText]] = [[] for _ in range(levels + 1)]
        self.closed = [False] * (levels + 1)
        self.resets: list[list[Accumulator]] = [[] for _ in range(levels + 1)]
        self.totals: list[list[tuple[str, Accumulator]]] = [[] for _ in range(levels + 1)]
        self.var_steps: list[tuple[Any, Any]] = []
        self.step_vars: list[Any] = []
        self.page_steps: list[tuple[str, Any]] = []
        for var in compiled.variables:
            if var.scope is None:
                self.accumulators[var.name] = None
                self.page_steps.append((var.name, var.expression))
                continue
            acc = make_accumulator(var.calculation)
            self.accumulators[var.name] = acc
            self.var_steps.append((fast_call(var.expression), acc.add))
            self.step_vars.append(var)
            self.resets[var.scope].append(acc)
            if not var.running:
                self.totals[var.scope].append((var.name, acc))
        self.vars = VarView(self.accumulators)
        self.env = Env(params=dict(params), vars=self.vars)
        self.group_keys: tuple[Any, ...] = ()
        self.page_pending: dict[str, list[Any]] = {}
        self.headers = [compiled.bands_of("group_header", lv) for lv in range(levels)]
        self.footers = [compiled.bands_of("group_footer", lv) for lv in range(levels)]

    # -- the row loop ------------------------------------------------------------------

    def run(self, rows: Iterable[Mapping[str, Any]] | None) -> Iterator[BandInstance]:
        """The band instances of the report over ``rows`` (None: the report has no data source)."""
        column_chunks = getattr(rows, "column_chunks", None)
        if column_chunks is not None and self._by_columns():
            return self._run_columns(column_chunks())
        return self._run_rows(rows)

    def _run_rows(self, rows: Iterable[Mapping[str, Any]] | None) -> Iterator[BandInstance]:
        compiled, env = self.compiled, self.env
        filt, group_exprs = compiled.filter, compiled.group_exprs
        page_steps = self.page_steps
        key_of = self._key_function()
        row_steps, env_steps = self._steps()
        details = compiled.bands_of("detail")
        detail = self._detail
        group_fast = [fast_call(g) for g in group_exprs]
        chart_adders = self.charts.adders
        prev_keys: Any = None
        prev_row: Mapping[str, Any] | None = None
        started = False
        row_number = 0
        for row in rows if rows is not None else ():
            env.row = row
            if filt is not None and not self._passes(filt):
                continue
            if not started:
                started = True
                yield from self._opening()
                env.row = row
            try:
                keys = key_of(row) if key_of is not None else [g(env) for g in group_fast]
            except Exception as exc:
                raise self._which("groups", group_exprs, exc) from exc
            opened = None
            if keys != prev_keys:
                opened = yield from self._break_groups(keys, prev_keys, prev_row, row)
                prev_keys = keys
            row_number += 1
            env.row_number = row_number
            env.group_row_number += 1
            try:
                for get, add in row_steps:
                    add(row[get])
                for expr, add in env_steps:
                    add(expr(env))
            except Exception as exc:
                raise self._variable_error(exc) from exc
            if page_steps:
                self._page_contributions()
            for chart_add in chart_adders:
                chart_add(env)
            if opened is not None:
                yield from self._headers(opened, row_number)
            for band in details:
                instance = detail(band, row_number)
                if instance is not None:
                    yield instance
            prev_row = row
        if not started:
            yield from self._empty(rows is not None)
            return
        env.row = prev_row  # type: ignore[assignment]
        yield from self._close_groups(0)
        yield from self._closing()

    def _by_columns(self) -> bool:
        """True when the fill can take whole runs of rows as column slices (see the module docstring)."""
        compiled = self.compiled
        if compiled.bands_of("detail") or compiled.filter is not None or self.page_steps:
            return False
        if self.charts.adders or (compiled.group_exprs and self._key_function() is None):
            return False
        return not self._steps()[1]

    def _run_columns(self, chunks: Iterator[Columns]) -> Iterator[BandInstance]:
        """The fill over column chunks: per run of equal group keys, the first row alone, then the rest in slices."""
        env = self.env
        key_of = self._key_function()
        names = [plain_field(g) for g in self.compiled.group_exprs]
        fields = [(plain_field(v.expression), self.accumulators[v.name]) for v in self.step_vars]
        prev_keys: Any = None
        prev_row: Mapping[str, Any] | None = None
        started = False
        row_number = 0
        for chunk in chunks:
            size = chunk.size
            if not size:
                continue
            index = {name: i for i, name in enumerate(chunk.names)}
            columns = chunk.columns
            nulls = {i: has_null(columns[i]) for i in {index[name] for name, _ in fields}}  # type: ignore[index]
            steps = [(columns[index[n]], acc, nulls[index[n]]) for n, acc in fields]  # type: ignore[index]
            if not started:
                started = True
                env.row = chunk.row(0)
                yield from self._opening()
            for start, end in _runs([columns[index[name]] for name in names], size):  # type: ignore[index]
                row = chunk.row(start)
                env.row = row
                keys = key_of(row) if key_of is not None else ()
                opened = None
                if keys != prev_keys:
                    opened = yield from self._break_groups(keys, prev_keys, prev_row, row)
                    prev_keys = keys
                row_number += 1
                env.row_number = row_number
                env.group_row_number += 1
                try:
                    for column, acc, _ in steps:
                        acc.add(column[start])
                except Exception as exc:
                    raise self._run_error(exc, chunk, start, start + 1) from exc
                if opened is not None:  # the headers see the run's first row added
                    yield from self._headers(opened, row_number)
                rest = end - start - 1
                if rest:
                    try:
                        for column, acc, has_nulls in steps:
                            acc.add_many(column[start + 1 : end], has_nulls)
                    except Exception as exc:
                        raise self._run_error(exc, chunk, start + 1, end) from exc
                row_number += rest
                env.row_number = row_number
                env.group_row_number += rest
                prev_row = chunk.row(end - 1) if rest else row
        if not started:
            yield from self._empty(True)
            return
        env.row = prev_row  # type: ignore[assignment]
        yield from self._close_groups(0)
        yield from self._closing()

    def _headers(self, opened: int, row_number: int) -> Iterator[BandInstance]:
        """The headers of the groups that opened, outermost first."""
        for level in range(opened, len(self.compiled.group_exprs)):
            for band in self.headers[level]:
                instance = self._print(band, row_number)
                if instance is not None:
                    yield instance

    def _key_function(self) -> Any:
        """itemgetter over the row when every group key is a plain field (C speed), else None."""
        names = [plain_field(g) for g in self.compiled.group_exprs]
        if not names or None in names:
            return None
        if len(names) == 1:  # itemgetter of one name gives a scalar: read it twice for a tuple
            names.append(names[0])
        return itemgetter(*names)

    def _steps(self) -> tuple[list[tuple[str, Any]], list[tuple[Any, Any]]]:
        """Variable steps: plain field reads apart (row[name]) when no variable reads another."""
        variables = self.step_vars
        if any(v.expression.vars for v in variables):
            return [], list(self.var_steps)
        row_steps, env_steps = [], []
        for var, step in zip(variables, self.var_steps, strict=True):
            name = plain_field(var.expression)
            if name is None:
                env_steps.append(step)
            else:
                row_steps.append((name, step[1]))
        return row_steps, env_steps

    def _passes(self, filt: Any) -> bool:
        try:
            return bool(filt(self.env))
        except EvaluationError as exc:
            raise _located(exc, "filter") from exc

    def _opening(self) -> Iterator[BandInstance]:
        env = self.env
        env.row_number = env.group_row_number = 0
        for band in self.compiled.page_bands:
            row, env.row = env.row, {}
            instance = self._print(band, None)
            env.row = row
            if instance is not None:
                yield instance
        for band in self.compiled.bands_of("title"):
            instance = self._print(band, None)
            if instance is not None:
                yield instance

    def _closing(self) -> Iterator[BandInstance]:
        self._settle(REPORT_SCOPE)
        for band in self.compiled.bands_of("summary"):
            instance = self._print(band, None)
            if instance is not None:
                yield instance

    def _empty(self, had_source: bool) -> Iterator[BandInstance]:
        """No rows: the no_data band alone when there is one, else page furniture, title and summary."""
        self.env.row = {}
        no_data = self.compiled.bands_of("no_data")
        if had_source and no_data:
            for band in no_data:
                instance = self._print(band, None)
                if instance is not None:
                    yield instance
            return
        yield from self._opening()
        for level in range(len(self.compiled.group_exprs) - 1, -1, -1):
            self._settle(level + 1)
        yield from self._closing()

    # -- groups and scopes ---------------------------------------------------------------

    def _close_groups(self, level: int) -> Iterator[BandInstance]:
        row_number = self.env.row_number
        for lv in range(len(self.compiled.group_exprs) - 1, level - 1, -1):
            self._settle(lv + 1)
            for band in self.footers[lv]:
                instance = self._print(band, row_number)
                if instance is not None:
                    yield instance

    def _break_groups(
        self, keys: Any, prev_keys: Any, prev_row: Mapping[str, Any] | None, row: Mapping[str, Any]
    ) -> Generator[BandInstance, None, int]:
        """Group keys changed: close the groups that end (footers see the group's last row),
        open the new ones; returns the outermost level that opened."""
        if prev_keys is None:
            opened = 0
        else:
            levels = len(self.compiled.group_exprs)
            opened = next(i for i in range(levels) if keys[i] != prev_keys[i])
            self.env.row = prev_row  # type: ignore[assignment]
            yield from self._close_groups(opened)
            self.env.row = row
        self._open_groups(opened, keys)
        return opened

    def _open_groups(self, level: int, keys: Any) -> None:
        self.group_keys = tuple(keys[: len(self.compiled.group_exprs)])
        self.env.group_row_number = 0
        for lv in range(level, len(self.compiled.group_exprs)):
            self.closed[lv + 1] = False
            for acc in self.resets[lv + 1]:
                acc.reset()

    def _settle(self, scope: int) -> None:
        """A scope instance ends: its totals are final; resolve the texts waiting for them."""
        self.closed[scope] = True
        self.charts.settle(scope, self.group_keys)
        waiting = self.waiting[scope]
        if waiting:
            totals = {name: acc.value() for name, acc in self.totals[scope]}
            self.waiting[scope] = []
            for deferred in waiting:
                deferred.settle(totals)

    # -- bands and elements -------------------------------------------------------------

    def _take_page_values(self) -> dict[str, list[Any]]:
        pending = self.page_pending
        if pending:
            self.page_pending = {}
        return pending if pending else {}

    def _page_contributions(self) -> None:
        pending, env = self.page_pending, self.env
        try:
            for key, expr in self.page_steps:
                value = expr(env)
                if value is not None:
                    values = pending.get(key)
                    if values is None:
                        pending[key] = [value]
                    else:
                        values.append(value)
        except EvaluationError as exc:
            raise self._variable_error(exc) from exc

    def _detail(self, band: CompiledBand, row_number: int) -> BandInstance | None:
        """Print a detail band: the per-row hot path (simple elements inline)."""
        env = self.env
        if band.print_when is not None and not self._band_condition(band):
            return None
        row = env.row
        values: list[ElementValue] = []
        append = values.append
        element: CompiledElement | None = None
        try:
            for element in band.elements:
                if not element.simple:
                    value = self._element(element)
                    if value is not None:
                        append(value)
                elif element.field is not None:
                    text = element.render(row[element.field])  # type: ignore[misc]
                    append(ElementValue(element.index, text, element.style))
                elif element.fast is not None:
                    text = element.render(element.fast(env))  # type: ignore[misc]
                    append(ElementValue(element.index, text, element.style))
                else:
                    append(ElementValue(element.index, element.static, element.style))
        except Exception as exc:
            assert element is not None
            raise self._element_error(element, exc) from exc
        return BandInstance(
            band.index, band.type, None, None, row_number, self.group_keys, values,
            self._take_page_values(),
        )  # fmt: skip

    def _element_error(self, element: CompiledElement, exc: Exception) -> Exception:
        """The located EvaluationError of an element that failed on the fast path."""
        where = f"{element.path} ({element.label})"
        if isinstance(exc, EvaluationError):
            return _located(exc, where)
        try:
            if element.evaluate is not None and element.render is not None:
                element.render(element.evaluate(self.env))
        except EvaluationError as inner:
            return _located(inner, where)
        return exc

    def _print(self, band: CompiledBand, row_number: int | None) -> BandInstance | None:
        if band.print_when is not None and not self._band_condition(band):
            return None
        values = []
        for element in band.elements:
            try:
                value = self._element(element)
            except EvaluationError as exc:
                raise _located(exc, f"{element.path} ({element.label})") from exc
            if value is not None:
                values.append(value)
        return BandInstance(
            band.index, band.type, band.group, band.level, row_number, self.group_keys, values,
            self._take_page_values(),
        )  # fmt: skip

    def _band_condition(self, band: CompiledBand) -> bool:
        try:
            return bool(band.print_when(self.env))  # type: ignore[misc]
        except EvaluationError as exc:
            raise _located(exc, f"bands[{band.index}].print_when") from exc

    def _element(self, element: CompiledElement) -> ElementValue | None:
        env = self.env
        if element.print_when is not None and not element.print_when(env):
            return None
        style = element.style
        for condition, conditional_style in element.conditions:
            if condition(env):
                style = conditional_style
                break
        if element.type == "chart":
            text: Any = self.charts.value(element.path, self.closed)
        elif element.page_keys:
            text = self._page_ref(element)
        elif element.total_vars and (
            waiting := [s for s in element.total_scopes if not self.closed[s]]
        ):
            text = self._defer(element, waiting)
        elif element.evaluate is None:
            text = element.static
        else:
            text = element.render(element.evaluate(env))  # type: ignore[misc]
        return ElementValue(element.index, text, style)

    def _frozen_env(self) -> Env:
        env = self.env
        return Env(dict(env.row), env.params, None, env.row_number, env.group_row_number)

    def _defer(self, element: CompiledElement, waiting: list[int]) -> DeferredText:
        frozen = self._frozen_env()

        def evaluate(deferred: DeferredText) -> str:
            frozen.vars = deferred.values
            try:
                return element.render(element.evaluate(frozen))  # type: ignore[misc,return-value]
            except EvaluationError as exc:
                raise _located(exc, f"{element.path} ({element.label})") from exc

        deferred = DeferredText(self.vars.snapshot(), len(waiting), evaluate)
        for scope in waiting:
            self.waiting[scope].append(deferred)
        return deferred

    def _page_ref(self, element: CompiledElement) -> PageRef:
        frozen = self._frozen_env()
        seen = self.vars.snapshot()

        def render(totals: Mapping[str, Any]) -> str:
            frozen.vars = {**seen, **totals}
            try:
                return element.render(element.evaluate(frozen))  # type: ignore[misc,return-value]
            except EvaluationError as exc:
                raise _located(exc, f"{element.path} ({element.label})") from exc

        return PageRef(
            element.page_keys, render, running=element.page_running, format=element.format
        )

    # -- errors --------------------------------------------------------------------------

    def _which(self, what: str, exprs: list[Any], exc: Exception) -> Exception:
        for i, expr in enumerate(exprs):
            try:
                expr(self.env)
            except EvaluationError as inner:
                return _located(inner, f"{what}[{i}].expression")
        return exc

    def _run_error(self, exc: Exception, chunk: Columns, start: int, end: int) -> Exception:
        """The located error of the first row of a run whose values a variable could not take."""
        for index in range(start, end):
            self.env.row = chunk.row(index)
            located = self._variable_error(exc)
            if located is not exc:
                return located
        return exc

    def _variable_error(self, exc: Exception) -> Exception:
        """Name the variable that failed (rerunning the steps: the fill stops anyway)."""
        steps = [
            (v, (v.expression, add))
            for v, (_, add) in zip(self.step_vars, self.var_steps, strict=True)
        ]
        steps += [
            (v, (e, None))
            for v in self.compiled.variables
            for k, e in self.page_steps
            if k == v.name
        ]
        for var, (expr, add) in steps:
            try:
                value = expr(self.env)
                if add is not None:
                    add(value)
            except (EvaluationError, TypeError, ArithmeticError) as inner:
                message = inner.message if isinstance(inner, EvaluationError) else str(inner)
                return EvaluationError(f"{var.path}.expression ({var.name}): {message}")
        return exc


def _runs(keys: Sequence[Sequence[Any]], size: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of rows whose key columns hold equal values; one run without keys."""
    if not keys:
        yield 0, size
        return
    start = 0
    for _, run in groupby(zip(*keys, strict=True) if len(keys) > 1 else keys[0]):
        end = start + len(list(run))
        yield start, end
        start = end
