"""The function registry: decorated implementations in, FUNCTIONS (name -> LibraryFunction) out."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.errors import EvaluationError
from engine.expr.names import shown_name
from engine.expr.operators import type_name

#: keyword-only parameters filled by the compiler, never by an expression
_INJECTED = frozenset({"locale", "clock"})


@dataclass(frozen=True)
class LibraryFunction:
    """One function of the language: its implementation and what a call may pass to it."""

    name: str
    impl: Callable[..., Any]
    min_args: int
    max_args: int | None  # None: any number (variadic)
    keywords: tuple[str, ...]  # optional parameters that may be passed by name
    nulls: bool  # None in any argument gives None without calling impl
    volatile: bool  # reads the clock: not constant, not folded
    injected: frozenset[str]  # "locale", "clock": bound by the compiler

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.nulls and (any(a is None for a in args) or any(v is None for v in kwargs.values())):
            return None
        return self.impl(*args, **kwargs)


#: the function library, by the name an expression calls it with
FUNCTIONS: dict[str, LibraryFunction] = {}


def library_function(
    name: str, *, nulls: bool = True, volatile: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function under ``name``; its signature says which arguments a call may pass."""

    def register(impl: Callable[..., Any]) -> Callable[..., Any]:
        positional = []
        keywords = []
        variadic = False
        for param in inspect.signature(impl).parameters.values():
            if param.kind is param.VAR_POSITIONAL:
                variadic = True
            elif param.kind is param.POSITIONAL_OR_KEYWORD:
                positional.append(param)
                if param.default is not param.empty:
                    keywords.append(param.name)
        injected = frozenset(inspect.signature(impl).parameters) & _INJECTED
        FUNCTIONS[name] = LibraryFunction(
            name=name,
            impl=impl,
            min_args=sum(1 for p in positional if p.default is p.empty),
            max_args=None if variadic else len(positional),
            keywords=tuple(keywords),
            nulls=nulls,
            volatile=volatile,
            injected=injected,
        )
        return impl

    return register


def need(kind: type | tuple[type, ...], function: str, value: Any, what: str) -> None:
    """Refuse an argument of the wrong type (a bool is never taken for a number)."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise EvaluationError(f"{function}() needs {what}, not {type_name(value)}")


def integer_argument(function: str, value: Any) -> int:
    """An argument that must be a whole number (an integral Decimal or float is accepted)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise EvaluationError(f"{function}() needs a whole number, not {type_name(value)}")
    if isinstance(value, int):
        return value
    whole = value.is_integer() if isinstance(value, float) else value == value.to_integral_value()
    if not whole:
        raise EvaluationError(f"{function}() needs a whole number, not {shown_name(str(value))}")
    return int(value)
