"""Element formats: a format spec and the report locale in, a fast value → text function out.

Number, currency and percent formats with a plain CLDR pattern are applied by a compiled
fast path (a Babel call costs 20–40 µs, too slow for a million rows); the fast path is
checked against Babel on probe values when it is built and Babel is used whenever they
disagree. Every formatter memoises recent values, since reports repeat values a lot.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from babel import numbers as babel_numbers

from engine.errors import EvaluationError
from engine.expr.formatting import (
    default_text,
    format_currency,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    get_locale,
)

Formatter = Callable[[Any], str]

#: format kind → factory(format spec, locale) → Formatter, filled by @format_kind
FORMAT_KINDS: dict[str, Callable[[Any, str], Formatter]] = {}

_MEMO_SIZE = 4096
_CONTEXT = decimal.Context(
    prec=20_100, rounding=decimal.ROUND_HALF_UP, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN
)
_PROBES: tuple[Any, ...] = (
    0, 1, -1, 7, 12, 999, 1000, -1000, 1234567, -98765432, 10**12,
    Decimal("0.5"), Decimal("-0.5"), Decimal("2.345"), Decimal("-2.345"), Decimal("0.0001"),
    Decimal("-0.0001"), Decimal("1234.5"), Decimal("-1234.565"), Decimal("0.995"),
    Decimal("1.10"), Decimal("100.000"), 0.1, -0.25, 2.675, 1e-7, 123456.789, -0.0,
)  # fmt: skip


def format_kind(
    name: str,
) -> Callable[[Callable[[Any, str], Formatter]], Callable[[Any, str], Formatter]]:
    """Register the formatter factory of a format ``kind``."""

    def register(factory: Callable[[Any, str], Formatter]) -> Callable[[Any, str], Formatter]:
        FORMAT_KINDS[name] = factory
        return factory

    return register


def make_formatter(fmt: Any, locale: str) -> Formatter:
    """The value → text function of an element ``format`` (None: the unformatted default text).

    The function raises EvaluationError when the value has the wrong type; ``None``
    gives ``''`` (callers print ``null_text`` instead).
    """
    if fmt is None:
        return default_text
    return _memoised(_base_formatter(fmt, locale))


def make_renderer(fmt: Any, locale: str, null_text: str) -> Formatter:
    """Like ``make_formatter``, but None prints ``null_text``: one closure per element."""
    if fmt is None:
        return lambda value: null_text if value is None else default_text(value)
    return _memoised(_base_formatter(fmt, locale), null_text)


@functools.lru_cache(maxsize=256)
def _cached_formatter(kind: str, key: str, locale: str, fmt: Any) -> Formatter:
    return FORMAT_KINDS[kind](fmt, locale)


def _base_formatter(fmt: Any, locale: str) -> Formatter:
    """The formatter of a format, built once per (format, locale) in a process (building checks
    the fast path against Babel on sample values, which costs milliseconds)."""
    # a model's field values (not model_dump: building a serializer costs milliseconds)
    key = repr(sorted(vars(fmt).items())) if hasattr(fmt, "model_dump") else repr(fmt)
    return _cached_formatter(fmt.kind, key, locale, fmt)


def _memoised(fn: Formatter, null_text: str = "") -> Formatter:
    """Remember recent texts; stop remembering when values hardly repeat (unique amounts)."""
    memo: dict[Any, str] = {}
    state = [0, 0, True]  # calls, hits, memo on

    def formatter(value: Any) -> str:
        if value is None:
            return null_text
        if not state[2] or value.__class__ is bool:  # True == 1: a bool never hits a number's memo
            return fn(value)
        try:
            text = memo.get(value)
        except TypeError:  # unhashable
            return fn(value)
        if text is not None:
            state[1] += 1
            return text
        text = fn(value)
        state[0] += 1
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
            if state[1] < state[0]:  # fewer hits than misses: the memo costs more than it saves
                state[2] = False
            state[0] = state[1] = 0
        memo[value] = text
        return text

    return formatter


class _NumberPattern:
    """A CLDR number pattern without exponent or significant digits, applied without Babel."""

    def __init__(
        self, pattern: Any, locale: str, *, frac: tuple[int, int], symbol: str | None
    ) -> None:
        self.prefix, self.suffix = pattern.prefix, pattern.suffix
        if symbol is not None:
            self.prefix = tuple(p.replace("¤", symbol) for p in self.prefix)
            self.suffix = tuple(s.replace("¤", symbol) for s in self.suffix)
        self.scale = pattern.scale
        self.int_min = pattern.int_prec[0]
        self.grouping = pattern.grouping
        self.frac_min, self.frac_max = frac
        self.quantum = Decimal(1).scaleb(-self.frac_max)
        self.decimal = babel_numbers.get_decimal_symbol(locale)
        self.group = babel_numbers.get_group_symbol(locale)
        #: the common case (#,##0.00-like) is one C-level format() and translate()
        self.simple = (
            self.grouping == (3, 3) and self.int_min == 1 and self.frac_min == self.frac_max
        )
        self.symbols = _symbol_swapper(self.group, self.decimal)

    @staticmethod
    def supports(pattern: Any) -> bool:
        """Whether the fast path handles this parsed pattern."""
        text = "".join(pattern.prefix + pattern.suffix)
        return (
            not pattern.exp_prec
            and "@" not in pattern.pattern
            and "'" not in text
            and "¤¤" not in text
        )

    def __call__(self, value: Any) -> str:
        if value.__class__ is bool or not isinstance(value, (int, float, Decimal)):
            raise EvaluationError(f"cannot format {type(value).__name__} as a number")
        if value.__class__ is float:
            value = Decimal(repr(value))
        elif value.__class__ is not Decimal:
            value = Decimal(value)
        if not value.is_finite():
            raise EvaluationError(f"cannot format {value!r}")
        if self.scale:
            value = value.scaleb(self.scale)
        negative = int(value.is_signed())
        if self.simple:
            text = self.symbols(format(_CONTEXT.quantize(abs(value), self.quantum), ",f"))
            return self.prefix[negative] + text + self.suffix[negative]
        text = format(_CONTEXT.quantize(abs(value), self.quantum), "f")
        whole, _, frac = text.partition(".")
        return self.prefix[negative] + self._group(whole) + self._frac(frac) + self.suffix[negative]

    def _group(self, digits: str) -> str:
        if len(digits) < self.int_min:
            digits = "0" * (self.int_min - len(digits)) + digits
        size, rest = self.grouping
        if len(digits) <= size:
            return digits
        parts = [digits[-size:]]
        digits = digits[:-size]
        while len(digits) > rest:
            parts.append(digits[-rest:])
            digits = digits[:-rest]
        parts.append(digits)
        return self.group.join(reversed(parts))

    def _frac(self, digits: str) -> str:
        low = self.frac_min
        if len(digits) < low:
            digits += "0" * (low - len(digits))
        if self.frac_max == 0 or (low == 0 and not digits.strip("0")):
            return ""
        digits = digits[: max(low, len(digits.rstrip("0")))]
        return self.decimal + digits


def _symbol_swapper(group: str, dec: str) -> Callable[[str], str]:
    """Turns Python's ``1,234.5`` into the locale's symbols (str.replace beats translate here)."""
    if (group, dec) == (",", "."):
        return str
    if dec == ".":
        return lambda t: t.replace(",", group)
    return lambda t: t.replace(",", "\0").replace(".", dec).replace("\0", group)


def _checked(fast: Formatter, slow: Formatter) -> Formatter:
    """The fast formatter when it agrees with Babel on every probe value, else Babel's."""
    try:
        if all(fast(v) == slow(v) for v in _PROBES):
            return fast
    except (ArithmeticError, ValueError, EvaluationError):
        pass
    return slow


def _number_like(
    pattern_text: str | None, default: Any, locale: str, slow: Formatter, **kw: Any
) -> Formatter:
    pattern = babel_numbers.parse_pattern(pattern_text) if pattern_text else default
    if not _NumberPattern.supports(pattern):
        return slow
    frac = kw.pop("frac", pattern.frac_prec)
    return _checked(_NumberPattern(pattern, locale, frac=frac, **kw), slow)


@format_kind("number")
def _number(fmt: Any, locale: str) -> Formatter:
    pattern = fmt.pattern
    format_number(0, pattern, locale)  # validates pattern and locale now, not on the first row
    default = get_locale(locale).decimal_formats[None]
    return _number_like(
        pattern, default, locale, lambda v: format_number(v, pattern, locale), symbol=None
    )


@format_kind("percent")
def _percent(fmt: Any, locale: str) -> Formatter:
    pattern = fmt.pattern
    format_percent(0, pattern, locale)
    default = get_locale(locale).percent_formats[None]
    return _number_like(
        pattern, default, locale, lambda v: format_percent(v, pattern, locale), symbol=None
    )


@format_kind("currency")
def _currency(fmt: Any, locale: str) -> Formatter:
    pattern, currency = fmt.pattern, fmt.currency
    format_currency(0, currency, pattern, locale)
    default = get_locale(locale).currency_formats["standard"]
    symbol = babel_numbers.get_currency_symbol(currency, locale)
    digits = babel_numbers.get_currency_precision(currency)
    extra: dict[str, Any] = {} if pattern else {"frac": (digits, digits)}
    return _number_like(
        pattern,
        default,
        locale,
        lambda v: format_currency(v, currency, pattern, locale),
        symbol=symbol,
        **extra,
    )


@format_kind("date")
def _date(fmt: Any, locale: str) -> Formatter:
    pattern = fmt.pattern
    format_date(dt.date(2000, 1, 1), pattern, locale)
    return lambda value: format_date(value, pattern, locale)


@format_kind("datetime")
def _datetime(fmt: Any, locale: str) -> Formatter:
    pattern = fmt.pattern
    format_datetime(dt.datetime(2000, 1, 1), pattern, locale)
    return lambda value: format_datetime(value, pattern, locale)
