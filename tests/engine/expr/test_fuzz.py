"""Hypothesis: any text gives an expression or an ExpressionError; nothing outside the grammar is accepted;
grammar-built expressions evaluate to a value or an EvaluationError, never another exception."""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import warnings
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.errors import EvaluationError, ExpressionError, ReportError
from engine.expr import FUNCTIONS, Env, compile_expression, parse_expression

FUZZ = settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])

# -- arbitrary text -------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    ["(", ")", "[", "]", "{", "}", ",", ".", ":", "'", '"', "*", "**", "/", "//", "%", "+", "-",
     " if ", " else ", " and ", " or ", " not ", " in ", " is ", "lambda", "__", "x", "1", "1.5",
     "1e9", "params", "vars", "upper", "field", "f'", "@", "&", "~", ":=", "\n", "\\", "#", "\x00",
     "é", "10**", "'x'*", "date(", "format(", "yield", "await"]
)  # fmt: skip
_TEXT = st.one_of(st.text(max_size=60), st.lists(_PIECES, max_size=25).map("".join))


@FUZZ
@given(_TEXT)
def test_any_text_parses_or_raises_expression_error(text: str) -> None:
    try:
        compiled = compile_expression(text)
    except ExpressionError:
        return
    with contextlib.suppress(ReportError):
        compiled(Env(row={"x": 1}, params={}, vars={}))


@FUZZ
@given(_TEXT)
def test_parse_expression_only_raises_expression_error(text: str) -> None:
    try:
        parse_expression(text)
    except ExpressionError as error:
        assert error.column is None or error.column >= 1


# -- arbitrary Python ASTs ------------------------------------------------------------------------

_LOAD = ast.Load()
_ALLOWED_NODES = (
    ast.Expression, ast.Constant, ast.Name, ast.Attribute, ast.BinOp, ast.UnaryOp, ast.BoolOp,
    ast.Compare, ast.IfExp, ast.Call, ast.List, ast.Tuple, ast.keyword, ast.Load,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.USub, ast.UAdd,
    ast.Not, ast.And, ast.Or, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In,
    ast.NotIn, ast.Is, ast.IsNot,
)  # fmt: skip
_FORBIDDEN_NODES = (
    ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.JoinedStr,
    ast.Subscript, ast.Starred, ast.NamedExpr, ast.Set, ast.Dict, ast.Await, ast.Yield,
    ast.YieldFrom, ast.Slice, ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift,
    ast.Invert, ast.MatMult,
)  # fmt: skip

_names = st.sampled_from(
    ["a", "Total", "x", "__class__", "__import__", "params", "vars", "row_number"]
)
_constants = st.one_of(
    st.integers(-1000, 1000),
    st.text(max_size=4),
    st.none(),
    st.booleans(),
    st.binary(max_size=2),
    st.just(...),
    st.just(1j),
)
_leaves = st.one_of(
    st.builds(ast.Constant, _constants),
    st.builds(ast.Name, _names, st.just(_LOAD)),
    st.builds(
        ast.Attribute,
        st.builds(ast.Name, st.sampled_from(["params", "vars", "a"]), st.just(_LOAD)),
        st.sampled_from(["p", "__class__", "__globals__"]),
        st.just(_LOAD),
    ),
)
_binops = st.sampled_from(
    [ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.BitAnd, ast.BitOr,
     ast.BitXor, ast.LShift, ast.RShift, ast.MatMult]
).map(lambda kind: kind())  # fmt: skip
_unary = st.sampled_from([ast.USub, ast.UAdd, ast.Not, ast.Invert]).map(lambda kind: kind())
_cmpops = st.sampled_from(
    [ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot]
).map(lambda kind: kind())
_functions = st.sampled_from(
    ["upper", "concat", "coalesce", "eval", "exec", "open", "getattr", "field"]
)


def _compare(parts: tuple[ast.expr, list[tuple[ast.cmpop, ast.expr]]]) -> ast.Compare:
    left, rest = parts
    return ast.Compare(left, [op for op, _ in rest], [right for _, right in rest])


def _comprehension(element: ast.expr, iterable: ast.expr) -> list[ast.comprehension]:
    return [ast.comprehension(ast.Name("i", ast.Store()), iterable, [], 0)]


def _extend(children: st.SearchStrategy[ast.expr]) -> st.SearchStrategy[ast.expr]:
    args = st.lists(children, max_size=3)
    no_args = ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[])
    return st.one_of(
        st.builds(ast.BinOp, children, _binops, children),
        st.builds(ast.UnaryOp, _unary, children),
        st.builds(
            ast.BoolOp,
            st.sampled_from([ast.And(), ast.Or()]),
            st.lists(children, min_size=2, max_size=3),
        ),
        st.tuples(children, st.lists(st.tuples(_cmpops, children), min_size=1, max_size=2)).map(
            _compare
        ),
        st.builds(ast.IfExp, children, children, children),
        st.builds(
            ast.Attribute, children, st.sampled_from(["p", "__class__", "upper"]), st.just(_LOAD)
        ),
        st.builds(ast.Subscript, children, children, st.just(_LOAD)),
        st.builds(ast.Call, st.builds(ast.Name, _functions, st.just(_LOAD)), args, st.just([])),
        st.builds(ast.Call, children, args, st.just([])),
        st.builds(
            ast.Call,
            st.builds(ast.Name, _functions, st.just(_LOAD)),
            st.lists(st.builds(ast.Starred, children, st.just(_LOAD)), min_size=1, max_size=1),
            st.just([]),
        ),
        st.builds(
            ast.Call,
            st.builds(ast.Name, st.just("round"), st.just(_LOAD)),
            st.lists(children, min_size=1, max_size=1),
            st.lists(
                st.builds(ast.keyword, st.sampled_from(["ndigits", "x", None]), children),
                max_size=1,
            ),
        ),
        st.builds(ast.List, args, st.just(_LOAD)),
        st.builds(ast.Tuple, args, st.just(_LOAD)),
        st.builds(ast.Set, st.lists(children, min_size=1, max_size=2)),
        st.builds(
            ast.Dict,
            st.lists(children, min_size=1, max_size=1),
            st.lists(children, min_size=1, max_size=1),
        ),
        st.builds(ast.Lambda, st.just(no_args), children),
        st.builds(lambda e, it: ast.ListComp(e, _comprehension(e, it)), children, children),
        st.builds(lambda e, it: ast.GeneratorExp(e, _comprehension(e, it)), children, children),
        st.builds(lambda v: ast.JoinedStr([ast.FormattedValue(v, -1, None)]), children),
        st.builds(lambda v: ast.NamedExpr(ast.Name("y", ast.Store()), v), children),
    )


_TREES = st.recursive(_leaves, _extend, max_leaves=12)


def _source(tree: ast.expr) -> str | None:
    try:
        return ast.unparse(ast.fix_missing_locations(ast.Expression(body=tree)))
    except Exception:  # ast.unparse refuses some hand-built trees; nothing to test then
        return None


def _outside_the_grammar(tree: ast.AST) -> bool:
    """An oracle written apart from the parser: does the tree use anything the language forbids?"""
    namespaces = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
    }
    for node in ast.walk(tree):
        if isinstance(node, _FORBIDDEN_NODES) or not isinstance(node, _ALLOWED_NODES):
            return True
        if isinstance(node, ast.Name) and node.id.startswith("__"):
            return True
        if (
            isinstance(node, ast.Name)
            and node.id in ("params", "vars")
            and id(node) not in namespaces
        ):
            return True
        if isinstance(node, ast.Attribute) and not (
            isinstance(node.value, ast.Name) and node.value.id in ("params", "vars")
        ):
            return True
        if isinstance(node, ast.Attribute) and node.attr.startswith("__"):
            return True
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name)
            and (node.func.id in FUNCTIONS or node.func.id == "field")
        ):
            return True
        if isinstance(node, ast.Constant) and not isinstance(
            node.value, (int, float, str, type(None))
        ):
            return True
    return False


@settings(max_examples=400, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(_TREES)
def test_nothing_outside_the_grammar_is_accepted(tree: ast.expr) -> None:
    text = _source(tree)
    if text is None:
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reparsed = ast.parse(text, mode="eval")
    except SyntaxError:
        reparsed = None
    try:
        accepted = parse_expression(text)
    except ExpressionError:
        return
    # accepted: the tree must be inside the grammar by the independent oracle
    assert reparsed is not None
    assert not _outside_the_grammar(reparsed), text
    assert not _outside_the_grammar(accepted), text


# -- grammar-built expressions evaluate safely ------------------------------------------------------

_ARGS = {"a": 3, "b": Decimal("2.5"), "f": 0.25, "s": "xy", "d": dt.date(2024, 2, 29), "n": None}
_values = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**6), max_value=10**6
    ),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.dates(),
    st.datetimes(),
    st.booleans(),
)
_grammar_leaves = st.sampled_from(
    ["a", "b", "f", "s", "d", "n", "1", "0", "-2", "1.5", "0.1", "'ab'", "''", "None", "True",
     "params.p", "vars.v", "row_number", "group_row_number", "field('a b')", "date('2024-01-31')",
     "'0.00'", "'yyyy-MM-dd'", "'month'", "'day'"]
)  # fmt: skip
_arith = st.sampled_from(
    ["+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", "<=", ">", ">=", "and", "or"]
)


def _call(parts: tuple[str, list[str]]) -> str:
    name, args = parts
    spec = FUNCTIONS[name]
    count = max(len(args), spec.min_args)
    if spec.max_args is not None:
        count = min(count, spec.max_args)
    chosen = (args + ["1"] * count)[:count]
    return f"{name}({', '.join(chosen)})"


def _grammar_extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda x, o, y: f"({x} {o} {y})", children, _arith, children),
        st.builds(lambda x: f"(-{x})", children),
        st.builds(lambda x: f"(not {x})", children),
        st.builds(lambda c, x, y: f"({x} if {c} else {y})", children, children, children),
        st.builds(lambda x, y, z: f"({x} in [{y}, {z}])", children, children, children),
        st.builds(lambda x, y: f"({x} not in {y})", children, children),
        st.builds(lambda x: f"({x} is None)", children),
        st.tuples(st.sampled_from(sorted(FUNCTIONS)), st.lists(children, max_size=3)).map(_call),
    )


_EXPRESSIONS = st.recursive(_grammar_leaves, _grammar_extend, max_leaves=10)


@FUZZ
@given(_EXPRESSIONS, st.dictionaries(st.sampled_from(sorted(_ARGS)), _values))
def test_grammar_expressions_evaluate_to_a_value_or_an_evaluation_error(
    text: str, overrides: dict[str, Any]
) -> None:
    row = {**_ARGS, "a b": "space", **overrides}
    env = Env(
        row=row, params={"p": 2}, vars={"v": Decimal("1.25")}, row_number=1, group_row_number=1
    )
    try:
        compiled = compile_expression(text, locale="de_DE", clock=lambda: dt.datetime(2030, 1, 1))
    except ExpressionError as error:
        # only a constant call may be refused at compile time (e.g. a bad format pattern)
        assert "nested too deeply" in str(error) or "pattern" in str(error), error
        return
    with contextlib.suppress(EvaluationError, ExpressionError):
        compiled(env)
