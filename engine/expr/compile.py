"""Compilation: checked expression text in, a CompiledExpression (a tree of Python closures built once) out.

No user text ever reaches ``eval``, ``exec`` or ``compile``: the whitelisted ``ast`` tree
is turned into nested closures, constants are folded, and each row is evaluated by
calling the root closure with an ``Env``.
"""

from __future__ import annotations

import ast
import datetime as _dt
import decimal
import functools
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from engine.errors import EvaluationError, ExpressionError, ReportError
from engine.expr import operators as op
from engine.expr.env import Env
from engine.expr.formatting import get_locale
from engine.expr.functions import FUNCTIONS
from engine.expr.names import shown_name
from engine.expr.parse import FIELD_FORM, analyse_expression

Closure = Callable[[Env], Any]

_BINARY: dict[type[ast.AST], Callable[[Any, Any], Any]] = {
    ast.Add: op.add,
    ast.Sub: op.sub,
    ast.Mult: op.mul,
    ast.Div: op.truediv,
    ast.FloorDiv: op.floordiv,
    ast.Mod: op.mod,
    ast.Pow: op.power,
}
_UNARY: dict[type[ast.AST], Callable[[Any], Any]] = {
    ast.USub: op.neg,
    ast.UAdd: op.pos,
    ast.Not: lambda value: not value,
}
_COMPARE: dict[type[ast.AST], Callable[[Any, Any], bool]] = {
    ast.Eq: op.eq,
    ast.NotEq: op.ne,
    ast.Lt: op.lt,
    ast.LtE: op.le,
    ast.Gt: op.gt,
    ast.GtE: op.ge,
    ast.Is: op.is_,
    ast.IsNot: op.is_not,
    ast.In: op.contains,
    ast.NotIn: op.not_contains,
}
#: what a failing closure may raise besides EvaluationError; turned into EvaluationError
_RUNTIME_ERRORS = (
    TypeError,
    ValueError,
    ArithmeticError,
    AttributeError,
    RecursionError,
    MemoryError,
)

_DECIMAL_REASONS: dict[type[BaseException], str] = {
    decimal.Overflow: "number too large",
    decimal.DivisionByZero: "division by zero",
    decimal.InvalidOperation: "invalid decimal operation",
    OverflowError: "number too large",
}


class _Code:
    """A compiled node: its closure, and its value when it is a constant."""

    __slots__ = ("constant", "fn", "value")

    def __init__(self, fn: Closure, constant: bool = False, value: Any = None) -> None:
        self.fn = fn
        self.constant = constant
        self.value = value


def _const(value: Any) -> _Code:
    return _Code(lambda env: value, True, value)


def _fold(compute: Callable[[], Any], otherwise: Closure) -> _Code:
    """A constant when ``compute`` succeeds now; otherwise the closure (its error comes per row)."""
    try:
        return _const(compute())
    except (EvaluationError, *_RUNTIME_ERRORS):
        return _Code(otherwise)


_BUILDERS: dict[type[ast.AST], Callable[[_Compiler, Any], _Code]] = {}


def _builds(kind: type[ast.AST]) -> Callable[[Callable[..., _Code]], Callable[..., _Code]]:
    def register(method: Callable[..., _Code]) -> Callable[..., _Code]:
        _BUILDERS[kind] = method
        return method

    return register


class _Compiler:
    """Builds closures for a tree that ``analyse_expression`` accepted."""

    def __init__(self, text: str, locale: str, clock: Callable[[], _dt.datetime]) -> None:
        self.text = text
        self.source = text.lstrip()
        self.locale = locale
        self.clock = clock

    def build(self, node: ast.AST) -> _Code:
        return _BUILDERS[type(node)](self, node)

    @_builds(ast.Constant)
    def _constant(self, node: ast.Constant) -> _Code:
        if isinstance(node.value, float):
            # float literals become exact Decimals, read from the source as written
            written = ast.get_source_segment(self.source, node) or repr(node.value)
            try:
                return _const(Decimal(written.replace("_", "")))
            except InvalidOperation:
                return _const(Decimal(repr(node.value)))
        return _const(node.value)

    @_builds(ast.Name)
    def _name(self, node: ast.Name) -> _Code:
        name = node.id
        if name == "row_number":
            return _Code(lambda env: env.row_number)
        if name == "group_row_number":
            return _Code(lambda env: env.group_row_number)
        return _Code(lambda env: env.row[name])

    @_builds(ast.Attribute)
    def _attribute(self, node: ast.Attribute) -> _Code:
        name = node.attr
        if node.value.id == "params":  # type: ignore[attr-defined]

            def param(env: Env) -> Any:
                try:
                    return env.params[name]
                except KeyError:
                    raise EvaluationError(f"unknown parameter '{name}'") from None

            return _Code(param)

        def variable(env: Env) -> Any:
            try:
                return env.vars[name]
            except KeyError:
                raise EvaluationError(f"unknown variable '{name}'") from None

        return _Code(variable)

    @_builds(ast.BinOp)
    def _binop(self, node: ast.BinOp) -> _Code:
        fn = _BINARY[type(node.op)]
        left, right = self.build(node.left), self.build(node.right)
        lf, rf, rv = left.fn, right.fn, right.value
        if right.constant:
            closure: Closure = lambda env: fn(lf(env), rv)  # noqa: E731
        else:
            closure = lambda env: fn(lf(env), rf(env))  # noqa: E731
        if left.constant and right.constant:
            return _fold(lambda: fn(left.value, rv), closure)
        return _Code(closure)

    @_builds(ast.UnaryOp)
    def _unaryop(self, node: ast.UnaryOp) -> _Code:
        operand = self.build(node.operand)
        f = operand.fn
        if isinstance(node.op, ast.Not):
            closure: Closure = lambda env: not f(env)  # noqa: E731
        else:
            fn = _UNARY[type(node.op)]
            closure = lambda env: fn(f(env))  # noqa: E731
        if operand.constant:
            return _fold(lambda: _UNARY[type(node.op)](operand.value), closure)
        return _Code(closure)

    @_builds(ast.BoolOp)
    def _boolop(self, node: ast.BoolOp) -> _Code:
        is_and = isinstance(node.op, ast.And)
        # Python semantics: the first operand that decides, or the last one. Constants that
        # cannot decide drop out; a constant that decides ends the chain.
        kept: list[_Code] = []
        last_index = len(node.values) - 1
        for index, value in enumerate(node.values):
            code = self.build(value)
            if code.constant and index < last_index:
                if not code.value if is_and else bool(code.value):
                    kept.append(code)
                    break
                continue
            kept.append(code)
        if len(kept) == 1:
            return kept[0]
        # one loop, not a closure per operand: `a and a and …` a thousand times long must
        # not run out of Python's recursion depth
        head = tuple(code.fn for code in kept[:-1])
        last = kept[-1].fn
        if is_and:

            def all_of(env: Env) -> Any:
                for fn in head:
                    value = fn(env)
                    if not value:
                        return value
                return last(env)

            return _Code(all_of)

        def any_of(env: Env) -> Any:
            for fn in head:
                value = fn(env)
                if value:
                    return value
            return last(env)

        return _Code(any_of)

    @_builds(ast.IfExp)
    def _ifexp(self, node: ast.IfExp) -> _Code:
        test, body, orelse = self.build(node.test), self.build(node.body), self.build(node.orelse)
        if test.constant:
            return body if test.value else orelse
        tf, bf, of = test.fn, body.fn, orelse.fn
        return _Code(lambda env: bf(env) if tf(env) else of(env))

    @_builds(ast.Compare)
    def _compare(self, node: ast.Compare) -> _Code:
        first = self.build(node.left)
        steps = [
            (_COMPARE[type(o)], self.build(c))
            for o, c in zip(node.ops, node.comparators, strict=True)
        ]
        if len(steps) == 1 and (membership := _membership(node.ops[0], first, steps[0][1])):
            return membership
        if len(steps) == 1:
            fn, right = steps[0]
            lf, rf, rv = first.fn, right.fn, right.value
            if right.constant:
                closure: Closure = lambda env: fn(lf(env), rv)  # noqa: E731
            else:
                closure = lambda env: fn(lf(env), rf(env))  # noqa: E731
        else:
            head = first.fn
            pairs = [(fn, code.fn) for fn, code in steps]

            def closure(env: Env) -> bool:
                left = head(env)
                for fn, right_fn in pairs:
                    value = right_fn(env)
                    if not fn(left, value):
                        return False
                    left = value
                return True

        if first.constant and all(code.constant for _, code in steps):
            return _fold(lambda: closure(Env()), closure)
        return _Code(closure)

    @_builds(ast.List)
    @_builds(ast.Tuple)
    def _sequence(self, node: ast.List | ast.Tuple) -> _Code:
        items = [self.build(item) for item in node.elts]
        if all(item.constant for item in items):
            return _const(tuple(item.value for item in items))
        fns = [item.fn for item in items]
        return _Code(lambda env: tuple(f(env) for f in fns))

    @_builds(ast.Call)
    def _call(self, node: ast.Call) -> _Code:
        name = node.func.id  # type: ignore[attr-defined]
        if name == FIELD_FORM:
            field_name = node.args[0].value  # type: ignore[attr-defined]
            return _Code(lambda env: env.row[field_name])
        spec = FUNCTIONS[name]
        impl = spec.impl
        if "locale" in spec.injected:
            impl = functools.partial(impl, locale=self.locale)
        if "clock" in spec.injected:
            impl = functools.partial(impl, clock=self.clock)
        args = [self.build(arg) for arg in node.args]
        keywords = {k.arg: self.build(k.value) for k in node.keywords}
        closure = _call_closure(impl, spec.nulls, args, keywords)
        constant = not spec.volatile and all(c.constant for c in (*args, *keywords.values()))
        if not constant:
            return _Code(closure)
        try:
            return _fold(lambda: closure(Env()), closure)
        except ReportError as exc:  # e.g. an unknown locale or a bad pattern, found early
            raise ExpressionError(exc.message, expression=self.text) from exc


def _membership(operator: ast.cmpop, left: _Code, right: _Code) -> _Code | None:
    """``x in [1, 'a', None]`` against constant ints, strings and None: a set lookup.

    Floats and Decimals among the candidates take the general path, where a float equals
    a Decimal through its repr; ints hash equal to equal floats and Decimals already.
    """
    if not isinstance(operator, (ast.In, ast.NotIn)) or left.constant or not right.constant:
        return None
    items = right.value
    if not isinstance(items, tuple) or not all(
        item is None or type(item) in (int, str, bool) for item in items
    ):
        return None
    candidates = frozenset(items)
    lf = left.fn
    general = op.contains

    def member(env: Env) -> bool:
        value = lf(env)
        try:
            return value in candidates
        except TypeError:  # unhashable values from a JSON source
            return general(value, items)

    if isinstance(operator, ast.In):
        return _Code(member)
    return _Code(lambda env: not member(env))


def _call_closure(
    impl: Callable[..., Any], nulls: bool, args: list[_Code], keywords: dict[str | None, _Code]
) -> Closure:
    if keywords:
        fns = [a.fn for a in args]
        kw = {str(k): c.fn for k, c in keywords.items()}

        def call_keywords(env: Env) -> Any:
            values = [f(env) for f in fns]
            named = {k: f(env) for k, f in kw.items()}
            if nulls and (None in values or None in named.values()):
                return None
            return impl(*values, **named)

        return call_keywords
    if len(args) == 1:
        a0 = args[0].fn
        if nulls:
            return lambda env: None if (v := a0(env)) is None else impl(v)
        return lambda env: impl(a0(env))
    fns = [a.fn for a in args]
    if nulls:

        def call_nulls(env: Env) -> Any:
            values = [f(env) for f in fns]
            for value in values:
                if value is None:
                    return None
            return impl(*values)

        return call_nulls
    return lambda env: impl(*[f(env) for f in fns])


class CompiledExpression:
    """An expression ready to run: call it with an Env for its value.

    ``fields``, ``params`` and ``vars`` are the names it reads; ``uses_row_number`` is True
    when it reads ``row_number`` or ``group_row_number``; ``is_volatile`` when it reads the
    clock (``today()``, ``now()``); ``is_constant`` when it reads nothing and is not volatile.
    """

    __slots__ = (
        "fields",
        "is_constant",
        "is_volatile",
        "locale",
        "params",
        "raw",
        "text",
        "uses_row_number",
        "vars",
    )

    def __init__(
        self,
        text: str,
        fn: Closure,
        *,
        fields: frozenset[str],
        params: frozenset[str],
        vars: frozenset[str],
        uses_row_number: bool,
        is_volatile: bool,
        locale: str,
    ) -> None:
        self.text = text
        self.raw = fn  # the bare closure: no error wrapping (for hot loops that re-run on failure)
        self.fields = fields
        self.params = params
        self.vars = vars
        self.uses_row_number = uses_row_number
        self.is_volatile = is_volatile
        self.is_constant = not (fields or params or vars or uses_row_number or is_volatile)
        self.locale = locale

    def __call__(self, env: Env) -> Any:
        """The expression's value for ``env``.

        :raises EvaluationError: the expression failed on this row; the message names it.
        """
        try:
            return self.raw(env)
        except EvaluationError as exc:
            raise EvaluationError(f"{exc.message} in '{self._short()}'") from exc
        except KeyError as exc:
            key = exc.args[0] if exc.args else "?"
            raise EvaluationError(
                f"no field '{shown_name(str(key))}' in the row for '{self._short()}'"
            ) from exc
        except _RUNTIME_ERRORS as exc:
            reason = _DECIMAL_REASONS.get(type(exc), str(exc))
            raise EvaluationError(f"cannot evaluate '{self._short()}': {reason}") from exc

    def _short(self) -> str:
        # one line whatever the text holds: a multi-line expression reads as one
        flat = " ".join(self.text[:1_000].split())
        shown = shown_name(flat, limit=len(flat) + 1)
        return shown if len(shown) <= 200 and len(self.text) <= 1_000 else shown[:197] + "..."

    def __repr__(self) -> str:
        return f"CompiledExpression({self.text!r})"


def compile_expression(
    text: str,
    *,
    locale: str = "en_US",
    clock: Callable[[], _dt.datetime] | None = None,
) -> CompiledExpression:
    """Parse, check and compile ``text`` once into closures.

    :param locale: the report's locale, used by ``format()``.
    :param clock: what ``today()`` and ``now()`` read; ``datetime.now`` by default (pin it
        for deterministic output).
    :raises ExpressionError: the text is not in the language, or the locale is unknown.
    """
    tree, names = analyse_expression(text)
    get_locale(locale)
    compiler = _Compiler(text, locale, clock or _dt.datetime.now)
    code = compiler.build(tree.body)
    volatile = any(FUNCTIONS[f].volatile for f in names.functions if f in FUNCTIONS)
    return CompiledExpression(
        text,
        code.fn,
        fields=frozenset(names.fields),
        params=frozenset(names.params),
        vars=frozenset(names.vars),
        uses_row_number=bool(names.row_numbers),
        is_volatile=volatile,
        locale=locale,
    )
