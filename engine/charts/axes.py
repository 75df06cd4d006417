"""Axis arithmetic: a value range in, ticks on "nice" numbers and their labels in the report's locale out."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from engine.expr.formatting import format_number

#: width of a character in em, an upper estimate for Liberation Sans digits and letters
CHAR_EM = 0.56


def text_width(text: str, size: float) -> float:
    """An estimate of the width of a text in points (no font is read: enough to reserve room)."""
    return len(text) * size * CHAR_EM


def nice_step(low: float, high: float, count: int) -> float:
    """The step of 1, 2, 2.5 or 5 × 10^n whose ticks cover [low, high] in closest to ``count`` intervals."""
    span = high - low
    if span <= 0 or not math.isfinite(span):
        return 1.0
    power = 10 ** math.floor(math.log10(span / max(1, count)))

    def intervals(step: float) -> int:
        return math.ceil(high / step - 1e-9) - math.floor(low / step + 1e-9)

    steps = [f * power for f in (1, 2, 2.5, 5, 10)]
    return min(steps, key=lambda step: (abs(intervals(step) - count), step))


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Ticks from a multiple of the step at or below ``low`` to one at or above ``high``; 0 included when in range."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + (abs(low) or 1.0)
    step = nice_step(low, high, count)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    n = round((last - first) / step)
    return [_clean(first + i * step, step) for i in range(n + 1)]


def _clean(value: float, step: float) -> float:
    digits = max(0, -math.floor(math.log10(step)) + 2)
    value = round(value, digits)
    return 0.0 if value == 0 else value


def decimals_of(step: float) -> int:
    """How many decimals tick labels need to tell ticks ``step`` apart."""
    text = f"{Decimal(repr(step)).normalize():f}"
    return len(text.split(".")[1]) if "." in text else 0


def number_text(value: Any, locale: str, decimals: int | None = None) -> str:
    """A number in the locale (digit grouping, decimal sign): fixed ``decimals``, or up to 2."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if decimals is None:
        pattern = "#,##0.##"
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_number(value, pattern, locale)


def value_range(values: list[float], *, zero: bool = True) -> tuple[float, float]:
    """The span an axis must show for these values (with 0 for bars and areas)."""
    if not values:
        return (0.0, 1.0)
    low, high = min(values), max(values)
    if zero:
        low, high = min(low, 0.0), max(high, 0.0)
    return low, high
