"""Element compilers: a model element in, the compiled form the fill loop evaluates per printing out.

Each element type registers a builder that says what the element prints: a fixed text
(labels, page numbers, graphics), or a value computed from the row and a renderer that
turns the value into text. Images with a field source print the field's bytes; barcodes
print the unformatted text of their value; subreports print the dict of their parameter
values (the render stage runs the subreport); charts print nothing (the charts stage
aggregates its own data).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from engine.expr import CompiledExpression, Env, compile_expression
from engine.expr.formatting import default_text

from .formatting import make_renderer
from .instances import ElementText, PageNumberText, ResolvedStyle

Evaluate = Callable[[Env], Any]
Render = Callable[[Any], ElementText]


@dataclass(slots=True)
class ElementParts:
    """What a builder found: fixed text, or a value function and its renderer, and the variables read."""

    static: ElementText = None
    evaluate: Evaluate | None = None
    render: Render | None = None
    reads: frozenset[str] = frozenset()
    #: the data field when the value is a plain field read (the fill loop reads the row directly)
    field: str | None = None


def fast_call(expr: Any) -> Evaluate:
    """The raw closure of a compiled expression, without the per-call error wrapper.

    The fill loop calls it on the hot path; when it raises, the loop evaluates again through
    the CompiledExpression to get the located EvaluationError.
    """
    return getattr(expr, "raw", expr)


def plain_field(expr: CompiledExpression) -> str | None:
    """The field name when an expression only reads one field (``Total``, ``field('Unit Price')``)."""
    if len(expr.fields) != 1 or expr.params or expr.vars or expr.uses_row_number:
        return None
    (name,) = expr.fields
    text = expr.text.strip()
    if text == name or text in (f"field({name!r})", f'field("{name}")'):
        return name
    return None


@dataclass(slots=True)
class CompiledElement:
    """An element ready to print: value, renderer, print condition and styles, compiled once."""

    index: int
    path: str
    label: str
    type: str
    style: ResolvedStyle
    static: ElementText = None
    evaluate: Evaluate | None = None
    render: Render | None = None
    #: evaluate without the error wrapper (see fast_call); None when ``field`` is set
    fast: Evaluate | None = None
    field: str | None = None
    print_when: CompiledExpression | None = None
    conditions: tuple[tuple[CompiledExpression, ResolvedStyle], ...] = ()
    #: non-running, non-page variables the value reads: printing waits for their scopes
    total_vars: frozenset[str] = frozenset()
    #: scope ids (0 report, level + 1 for a group) of total_vars
    total_scopes: tuple[int, ...] = ()
    #: page keys the value reads → calculation: it prints as a PageRef
    page_keys: dict[str, str] = dataclass_field(default_factory=dict)
    page_running: bool = False
    format: Any = None
    #: printed straight away with no condition, style choice, deferral or page reference
    simple: bool = True


class BuildContext:
    """What element builders need: the report locale, compiled-expression cache and aggregate registry."""

    def __init__(self, locale: str, add_aggregate: Callable[[Any, str], str]) -> None:
        self.locale = locale
        self._cache: dict[str, CompiledExpression] = {}
        self.add_aggregate = add_aggregate

    def compile(self, text: str) -> CompiledExpression:
        """Compile an expression once per report (the same text shares one closure)."""
        compiled = self._cache.get(text)
        if compiled is None:
            compiled = self._cache[text] = compile_expression(text, locale=self.locale)
        return compiled

    def field(self, name: str) -> CompiledExpression:
        """The expression reading one data field by name."""
        return self.compile(f"field({name!r})")

    def renderer(self, fmt: Any, null_text: str) -> Render:
        """Value → text with the element's format; None prints ``null_text``."""
        return make_renderer(fmt, self.locale, null_text)


Builder = Callable[[Any, str, BuildContext], ElementParts]

#: element type → builder(element, path, context), filled by @element_kind
ELEMENT_BUILDERS: dict[str, Builder] = {}


def element_kind(*names: str) -> Callable[[Builder], Builder]:
    """Register a builder for one or more element types."""

    def register(fn: Builder) -> Builder:
        for name in names:
            ELEMENT_BUILDERS[name] = fn
        return fn

    return register


def _identity(value: Any) -> Any:
    return value


@element_kind("label")
def _label(element: Any, path: str, ctx: BuildContext) -> ElementParts:
    return ElementParts(static=element.text)


@element_kind("page_number")
def _page_number(element: Any, path: str, ctx: BuildContext) -> ElementParts:
    return ElementParts(static=PageNumberText(element.text))


@element_kind("line", "box", "chart")
def _graphic(element: Any, path: str, ctx: BuildContext) -> ElementParts:
    return ElementParts()


@element_kind("field")
def _field(element: Any, path: str, ctx: BuildContext) -> ElementParts:
    expr = ctx.field(element.field)
    return ElementParts(
        evaluate=expr, render=ctx.renderer(element.format, element.null_text), field=element.field
    )


@element_kind("expression")
def _expression(element: Any, path: str, ctx: BuildContext) -> ElementParts:
    expr = ctx.compile(element.expression)
    return ElementParts(
        evaluate=expr,
        render=ctx.renderer(element.format, element.null_text),
        reads=expr.vars,
        field=plain_field(expr),
    )


@element_kind("aggregate")
def _aggregate(element: Any, path: str, ctx: BuildContext) -> ElementParts:
    key = ctx.add_aggregate(element, path)

    def evaluate(env: Env) -> Any:
        return env.vars[key]

    return ElementParts(
        evaluate=evaluate,
        render=ctx.renderer(element.format, element.null_text),
        reads=frozenset({key}),
    )


@element_kind("image")
def _image(element: Any, path: str, ctx: BuildContext) -> ElementParts:
    if element.source.field is None:
        return ElementParts()
    return ElementParts(evaluate=ctx.field(element.source.field), render=_identity)


@element_kind("barcode")
def _barcode(element: Any, path: str, ctx: BuildContext) -> ElementParts:
    expr = ctx.compile(element.value)
    return ElementParts(evaluate=expr, render=default_text, reads=expr.vars)


@element_kind("subreport")
def _subreport(element: Any, path: str, ctx: BuildContext) -> ElementParts:
    compiled = {name: ctx.compile(text) for name, text in element.parameters.items()}
    reads = frozenset().union(*(c.vars for c in compiled.values()))

    def evaluate(env: Env) -> dict[str, Any]:
        return {name: expr(env) for name, expr in compiled.items()}

    return ElementParts(evaluate=evaluate, render=_identity, reads=reads)
