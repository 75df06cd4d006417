"""Parsing and checking: expression text in, a whitelisted ``ast.Expression`` or a list of problems out."""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from engine.errors import ExpressionError
from engine.expr.functions import FUNCTIONS
from engine.expr.limits import MAX_DEPTH, MAX_TEXT_LENGTH
from engine.expr.names import shown_name, suggestion

#: names an expression reads that are not data fields
ROW_NUMBER_NAMES = frozenset({"row_number", "group_row_number"})
#: names that are only allowed before a dot: params.NAME, vars.NAME
NAMESPACES = frozenset({"params", "vars"})
#: the special form field('Order Details'): a data field whose name is not an identifier
FIELD_FORM = "field"

_ALLOWED_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
_ALLOWED_UNARY = (ast.USub, ast.UAdd, ast.Not)
_FORBIDDEN: dict[type[ast.AST], str] = {
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "generator expressions are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.FormattedValue: "f-strings are not allowed",
    ast.Subscript: "subscripts ([...]) are not allowed",
    ast.Slice: "slices are not allowed",
    ast.Starred: "starred arguments (*) are not allowed",
    ast.NamedExpr: "assignment expressions (:=) are not allowed",
    ast.Set: "set literals are not allowed",
    ast.Dict: "dict literals are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
}
_BITWISE = (ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift, ast.Invert, ast.MatMult)


@dataclass(frozen=True)
class ExpressionNames:
    """The names an expression may read; ``fields`` None means the fields are unknown (not checked)."""

    fields: frozenset[str] | None = None
    params: frozenset[str] = frozenset()
    vars: frozenset[str] = frozenset()


@dataclass
class NameUse:
    """Every name an expression reads, with the 1-based column of its first use."""

    fields: dict[str, int] = field(default_factory=dict)
    params: dict[str, int] = field(default_factory=dict)
    vars: dict[str, int] = field(default_factory=dict)
    functions: dict[str, int] = field(default_factory=dict)
    row_numbers: set[str] = field(default_factory=set)


class _Positions:
    """Turns ast (line, UTF-8 byte column) positions into 1-based character offsets of the text."""

    def __init__(self, text: str, skipped: int) -> None:
        self._lines = text.split("\n")
        self._starts = [skipped]
        for line in self._lines[:-1]:
            self._starts.append(self._starts[-1] + len(line) + 1)

    def column(self, node: ast.AST) -> int:
        line = getattr(node, "lineno", 1)
        byte_col = getattr(node, "col_offset", 0)
        if not 1 <= line <= len(self._lines):
            return self._starts[0] + 1
        prefix = self._lines[line - 1].encode("utf-8")[:byte_col]
        return self._starts[line - 1] + len(prefix.decode("utf-8", errors="ignore")) + 1

    def syntax_column(self, error: SyntaxError) -> int:
        line = error.lineno or 1
        if not 1 <= line <= len(self._lines):
            return self._starts[0] + 1
        return self._starts[line - 1] + max(error.offset or 1, 1)


class _Validator:
    """Walks a parsed tree once, collecting every construct outside the language and every name."""

    def __init__(self, positions: _Positions) -> None:
        self.positions = positions
        self.problems: list[tuple[str, int]] = []
        self.names = NameUse()

    def fail(self, message: str, node: ast.AST) -> None:
        self.problems.append((message, self.positions.column(node)))

    def visit(self, node: ast.AST, depth: int, *, sequence_ok: bool = False) -> None:
        if depth > MAX_DEPTH:
            self.fail(f"expression nested too deeply (more than {MAX_DEPTH} levels)", node)
            return
        handler = getattr(self, f"visit_{type(node).__name__}", None)
        if handler is not None:
            handler(node, depth)
        elif isinstance(node, (ast.List, ast.Tuple)):
            if not sequence_ok:
                self.fail("list and tuple literals are only allowed after 'in'", node)
            for item in node.elts:
                self.visit(item, depth + 1)
        elif type(node) in _FORBIDDEN:
            self.fail(_FORBIDDEN[type(node)], node)
        else:
            self.fail(f"{type(node).__name__} is not allowed in an expression", node)

    def visit_Constant(self, node: ast.Constant, depth: int) -> None:
        value = node.value
        if value is None or isinstance(value, (bool, int, float, str)):
            return
        kind = {complex: "complex numbers are", bytes: "bytes literals are"}.get(
            type(value), "'...' is"
        )
        self.fail(f"{kind} not allowed", node)

    def visit_Name(self, node: ast.Name, depth: int) -> None:
        name = node.id
        if name.startswith("__"):
            self.fail(f"names starting with '__' are not allowed: '{name}'", node)
        elif name in NAMESPACES:
            self.fail(f"'{name}' must be followed by '.NAME'", node)
        elif name in ROW_NUMBER_NAMES:
            self.names.row_numbers.add(name)
        else:
            self.names.fields.setdefault(name, self.positions.column(node))

    def visit_Attribute(self, node: ast.Attribute, depth: int) -> None:
        owner = node.value
        if not (isinstance(owner, ast.Name) and owner.id in NAMESPACES):
            self.fail("attribute access is only allowed as params.NAME or vars.NAME", node)
            return
        if node.attr.startswith("__"):
            self.fail(f"names starting with '__' are not allowed: '{node.attr}'", node)
            return
        uses = self.names.params if owner.id == "params" else self.names.vars
        uses.setdefault(node.attr, self.positions.column(node))

    def visit_BinOp(self, node: ast.BinOp, depth: int) -> None:
        if not isinstance(node.op, _ALLOWED_BINOPS):
            self.fail(f"operator {_symbol(node.op)} is not allowed", node)
        self.visit(node.left, depth + 1)
        self.visit(node.right, depth + 1)

    def visit_UnaryOp(self, node: ast.UnaryOp, depth: int) -> None:
        if not isinstance(node.op, _ALLOWED_UNARY):
            self.fail(f"operator {_symbol(node.op)} is not allowed", node)
        self.visit(node.operand, depth + 1)

    def visit_BoolOp(self, node: ast.BoolOp, depth: int) -> None:
        for value in node.values:
            self.visit(value, depth + 1)

    def visit_IfExp(self, node: ast.IfExp, depth: int) -> None:
        for child in (node.test, node.body, node.orelse):
            self.visit(child, depth + 1)

    def visit_Compare(self, node: ast.Compare, depth: int) -> None:
        self.visit(node.left, depth + 1)
        left = node.left
        last = len(node.ops) - 1
        for index, (op, right) in enumerate(zip(node.ops, node.comparators, strict=True)):
            if isinstance(op, (ast.Is, ast.IsNot)) and not (_is_none(left) or _is_none(right)):
                self.fail("'is' and 'is not' are only allowed with None", right)
            membership = isinstance(op, (ast.In, ast.NotIn)) and index == last
            self.visit(right, depth + 1, sequence_ok=membership)
            left = right

    def visit_Call(self, node: ast.Call, depth: int) -> None:
        func = node.func
        if not isinstance(func, ast.Name) or func.id.startswith("__"):
            self.fail("only library functions can be called, by name (e.g. upper(Name))", node)
            return
        name = func.id
        if name == FIELD_FORM:
            self._field_form(node)
            return
        spec = FUNCTIONS.get(name)
        self.names.functions.setdefault(name, self.positions.column(node))
        if spec is None:
            self.fail(f"unknown function '{name}'{_suggest(name, FUNCTIONS)}", node)
        else:
            self._arguments(node, name)
        for arg in node.args:
            self.visit(arg, depth + 1)
        for keyword in node.keywords:
            self.visit(keyword.value, depth + 1)

    def _arguments(self, node: ast.Call, name: str) -> None:
        spec = FUNCTIONS[name]
        given = len(node.args) + len(node.keywords)
        for keyword in node.keywords:
            if keyword.arg is None:
                self.fail("keyword unpacking (**) is not allowed", keyword.value)
            elif keyword.arg not in spec.keywords:
                accepted = ", ".join(spec.keywords) or "none"
                self.fail(
                    f"{name}() has no keyword argument '{keyword.arg}' (accepted: {accepted})",
                    keyword.value,
                )
        seen = [k.arg for k in node.keywords]
        if len(set(seen)) != len(seen):
            self.fail(f"{name}() got a keyword argument twice", node)
        positional_names = spec.keywords[: max(len(node.args) - spec.min_args, 0)]
        if any(k in positional_names for k in seen):
            self.fail(f"{name}() got an argument both by position and by keyword", node)
        if given < spec.min_args or (spec.max_args is not None and given > spec.max_args):
            self.fail(f"{name}() takes {_arity(spec.min_args, spec.max_args)}, not {given}", node)

    def _field_form(self, node: ast.Call) -> None:
        args = node.args
        if node.keywords or len(args) != 1 or not _is_str(args[0]):
            self.fail("field() takes one string literal: field('Order Details')", node)
            return
        name = args[0].value  # type: ignore[attr-defined]
        self.names.fields.setdefault(name, self.positions.column(node))


def _is_none(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _symbol(op: ast.AST) -> str:
    symbols = {
        ast.BitAnd: "'&'",
        ast.BitOr: "'|'",
        ast.BitXor: "'^'",
        ast.LShift: "'<<'",
        ast.RShift: "'>>'",
        ast.Invert: "'~'",
        ast.MatMult: "'@'",
    }
    return symbols.get(type(op), type(op).__name__)


def _arity(low: int, high: int | None) -> str:
    if high is None:
        return f"at least {low} argument{'s' if low != 1 else ''}"
    if low == high:
        return f"{low} argument{'s' if low != 1 else ''}"
    return f"{low} to {high} arguments"


def _suggest(name: str, known: Iterable[str]) -> str:
    return suggestion(name, known)


def _parse(text: str) -> tuple[ast.Expression | None, _Validator | None, tuple[str, int] | None]:
    """Parse and walk; a syntax problem comes back as (message, column)."""
    if not isinstance(text, str):
        return None, None, (f"an expression must be text, not {type(text).__name__}", 1)
    if len(text) > MAX_TEXT_LENGTH:
        return None, None, (f"expression longer than {MAX_TEXT_LENGTH:,} characters", 1)
    source = text.lstrip()
    positions = _Positions(source, len(text) - len(source))
    if not source:
        return None, None, ("empty expression", 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        return None, None, (f"syntax error: {exc.msg}", positions.syntax_column(exc))
    except (ValueError, OverflowError) as exc:
        return None, None, (f"syntax error: {exc}", 1)
    except (RecursionError, MemoryError):
        return None, None, ("expression too complex to parse", 1)
    validator = _Validator(positions)
    validator.visit(tree.body, 1)
    return tree, validator, None


def analyse_expression(text: str) -> tuple[ast.Expression, NameUse]:
    """Parse ``text`` and return the tree with every name it reads.

    :raises ExpressionError: the text is not in the language (see ``parse_expression``).
    """
    tree, validator, syntax = _parse(text)
    if syntax is not None:
        raise ExpressionError(syntax[0], expression=str(text)[:200], column=syntax[1])
    assert tree is not None and validator is not None
    if validator.problems:
        message, column = validator.problems[0]
        raise ExpressionError(message, expression=text, column=column)
    return tree, validator.names


def parse_expression(text: str) -> ast.Expression:
    """Parse ``text`` as an expression of the language and check it uses only allowed constructs.

    Unknown functions and wrong argument counts are refused here too; unknown fields,
    parameters and variables are ``check_expression``'s job.

    :raises ExpressionError: the text is not in the language; ``column`` is the 1-based
        character offset of the problem within the text.
    """
    return analyse_expression(text)[0]


def check_expression(text: str, names: ExpressionNames) -> list[str]:
    """Every problem of ``text`` against the names a report defines, as messages ([] when fine).

    A syntax problem or a forbidden construct comes back as one message naming its column.
    """
    _, validator, syntax = _parse(text)
    if syntax is not None:
        return [str(ExpressionError(syntax[0], column=syntax[1]))]
    assert validator is not None
    problems = [str(ExpressionError(m, column=c)) for m, c in validator.problems]
    problems.extend(_unknown_names(validator.names, names))
    return problems


def _unknown_names(used: NameUse, names: ExpressionNames) -> Iterator[str]:
    if names.fields is not None:
        for name in used.fields:
            if name not in names.fields:
                yield f"unknown field '{shown_name(name)}'{_suggest(name, names.fields)}"
    for name in used.params:
        if name not in names.params:
            yield f"unknown parameter '{shown_name(name)}'{_suggest(name, names.params)}"
    for name in used.vars:
        if name not in names.vars:
            yield f"unknown variable '{shown_name(name)}'{_suggest(name, names.vars)}"
