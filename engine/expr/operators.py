"""The language's operators: two operand values in, a result out, with None and Decimal rules applied.

Rules (the ones a report author sees):

- arithmetic with ``None`` on either side gives ``None``;
- ``int`` with ``int`` stays ``int``, except ``/`` which gives an exact ``Decimal``;
- ``Decimal`` with ``int`` gives ``Decimal``; ``Decimal`` with ``float`` converts the float
  through ``str`` first (``0.1`` becomes ``Decimal('0.1')``) so money stays exact;
- ``float`` with ``int`` or ``float`` gives ``float``;
- ``//`` and ``%`` follow Python's floor semantics for every number type;
- ``/``, ``//`` and ``%`` by zero raise EvaluationError;
- ordering comparisons with ``None`` are False; ``==``/``!=`` compare None like any value.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.errors import EvaluationError
from engine.expr.limits import (
    DECIMAL_CONTEXT as _CTX,
)
from engine.expr.limits import (
    check_exponent,
    check_int_power,
    check_int_product,
    check_string,
)

_NUMBER_TYPES = (int, float, Decimal)
#: operand types that mix without conversion: int with int, Decimal with Decimal or int
_FAST = frozenset({int, Decimal})


def type_name(value: object) -> str:
    """The name a person knows for the type of a value."""
    return "None" if value is None else type(value).__name__


def _numbers(a: Any, b: Any, symbol: str) -> tuple[Any, Any]:
    """Bring two numbers to one type: int, float or Decimal (float becomes Decimal through str)."""
    if not isinstance(a, _NUMBER_TYPES) or not isinstance(b, _NUMBER_TYPES):
        raise EvaluationError(f"cannot apply '{symbol}' to {type_name(a)} and {type_name(b)}")
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return to_decimal(a), to_decimal(b)
    if isinstance(a, float) or isinstance(b, float):
        return float(a), float(b)
    return int(a), int(b)


def to_decimal(value: int | float | Decimal) -> Decimal:
    """A number as a Decimal; a float goes through its shortest repr so 0.1 stays 0.1."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(int(value))


def add(a: Any, b: Any) -> Any:
    """``a + b``: numbers add, strings concatenate."""
    ta, tb = type(a), type(b)
    if ta in _FAST and tb in _FAST:
        return _CTX.add(a, b) if ta is Decimal or tb is Decimal else a + b
    if a is None or b is None:
        return None
    if isinstance(a, str) and isinstance(b, str):
        check_string(len(a) + len(b))
        return a + b
    x, y = _numbers(a, b, "+")
    return _CTX.add(x, y) if type(x) is Decimal else x + y


def sub(a: Any, b: Any) -> Any:
    """``a - b``."""
    ta, tb = type(a), type(b)
    if ta in _FAST and tb in _FAST:
        return _CTX.subtract(a, b) if ta is Decimal or tb is Decimal else a - b
    if a is None or b is None:
        return None
    x, y = _numbers(a, b, "-")
    return _CTX.subtract(x, y) if type(x) is Decimal else x - y


def mul(a: Any, b: Any) -> Any:
    """``a * b``: numbers multiply, a string times an int repeats."""
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        check_int_product(a, b)
        return a * b
    if ta is Decimal and tb in _FAST:
        return _CTX.multiply(a, b)
    if tb is Decimal and ta is int:
        return _CTX.multiply(a, b)
    if a is None or b is None:
        return None
    if isinstance(a, str) or isinstance(b, str):
        text, count = (a, b) if isinstance(a, str) else (b, a)
        if type(count) is not int and type(count) is not bool:
            raise EvaluationError(f"cannot apply '*' to {type_name(a)} and {type_name(b)}")
        check_string(len(text) * max(count, 0))
        return text * count
    x, y = _numbers(a, b, "*")
    if type(x) is int:
        check_int_product(x, y)
        return x * y
    return _CTX.multiply(x, y) if type(x) is Decimal else x * y


def _divisor(a: Any, b: Any, symbol: str) -> tuple[Any, Any]:
    x, y = _numbers(a, b, symbol)
    if y == 0:
        raise EvaluationError("division by zero")
    return x, y


def truediv(a: Any, b: Any) -> Any:
    """``a / b``: int / int gives an exact Decimal (rounded to 28 significant digits)."""
    if a is None or b is None:
        return None
    x, y = _divisor(a, b, "/")
    if type(x) is float:
        return x / y
    return _CTX.divide(to_decimal(x), to_decimal(y))


def _decimal_floor_divmod(x: Decimal, y: Decimal) -> tuple[Decimal, Decimal]:
    quotient, remainder = _CTX.divmod(x, y)  # truncates toward zero
    if remainder and (remainder < 0) != (y < 0):
        quotient = _CTX.subtract(quotient, 1)
        remainder = _CTX.add(remainder, y)
    return quotient, remainder


def floordiv(a: Any, b: Any) -> Any:
    """``a // b``, rounding toward negative infinity as Python does."""
    if a is None or b is None:
        return None
    x, y = _divisor(a, b, "//")
    if type(x) is Decimal:
        return _decimal_floor_divmod(x, y)[0]
    return x // y


def mod(a: Any, b: Any) -> Any:
    """``a % b``, with the sign of ``b`` as Python does."""
    if a is None or b is None:
        return None
    x, y = _divisor(a, b, "%")
    if type(x) is Decimal:
        return _decimal_floor_divmod(x, y)[1]
    return x % y


def power(a: Any, b: Any) -> Any:
    """``a ** b``, refusing results too large to hold; int ** negative int gives a Decimal."""
    if a is None or b is None:
        return None
    x, y = _numbers(a, b, "**")
    if type(x) is int:
        if y >= 0:
            check_int_power(x, y)
            return x**y
        x, y = Decimal(x), Decimal(y)
    check_exponent(y)
    if x == 0 and y < 0:
        raise EvaluationError("division by zero")
    if x < 0 and y != int(y):
        raise EvaluationError("a negative number to a fractional power has no real result")
    if type(x) is Decimal:
        return _CTX.power(x, y)
    return x**y


def neg(a: Any) -> Any:
    """``-a``."""
    if a is None:
        return None
    if isinstance(a, _NUMBER_TYPES):
        return _CTX.minus(a) if type(a) is Decimal else -a
    raise EvaluationError(f"cannot apply unary '-' to {type_name(a)}")


def pos(a: Any) -> Any:
    """``+a``."""
    if a is None:
        return None
    if isinstance(a, _NUMBER_TYPES):
        return +a if type(a) is not Decimal else a
    raise EvaluationError(f"cannot apply unary '+' to {type_name(a)}")


def _comparable(a: Any, b: Any) -> tuple[Any, Any]:
    if type(a) is not type(b) and (
        (isinstance(a, Decimal) and isinstance(b, float))
        or (isinstance(a, float) and isinstance(b, Decimal))
    ):
        return to_decimal(a), to_decimal(b)
    return a, b


def eq(a: Any, b: Any) -> bool:
    """``a == b``; a Decimal equals a float when the float's repr says the same number."""
    x, y = _comparable(a, b)
    return bool(x == y)


def ne(a: Any, b: Any) -> bool:
    """``a != b``."""
    return not eq(a, b)


def _order(symbol: str, a: Any, b: Any) -> Any:
    x, y = _comparable(a, b)
    try:
        if symbol == "<":
            return x < y
        if symbol == "<=":
            return x <= y
        if symbol == ">":
            return x > y
        return x >= y
    except TypeError:
        raise EvaluationError(
            f"cannot compare {type_name(a)} and {type_name(b)} with '{symbol}'"
        ) from None


def lt(a: Any, b: Any) -> bool:
    """``a < b``; False when either side is None."""
    if a is None or b is None:
        return False
    if (type(a) in _FAST and type(b) in _FAST) or (type(a) is str and type(b) is str):
        return a < b  # type: ignore[no-any-return]
    return bool(_order("<", a, b))


def le(a: Any, b: Any) -> bool:
    """``a <= b``; False when either side is None."""
    if a is None or b is None:
        return False
    if (type(a) in _FAST and type(b) in _FAST) or (type(a) is str and type(b) is str):
        return a <= b  # type: ignore[no-any-return]
    return bool(_order("<=", a, b))


def gt(a: Any, b: Any) -> bool:
    """``a > b``; False when either side is None."""
    if a is None or b is None:
        return False
    if (type(a) in _FAST and type(b) in _FAST) or (type(a) is str and type(b) is str):
        return a > b  # type: ignore[no-any-return]
    return bool(_order(">", a, b))


def ge(a: Any, b: Any) -> bool:
    """``a >= b``; False when either side is None."""
    if a is None or b is None:
        return False
    if (type(a) in _FAST and type(b) in _FAST) or (type(a) is str and type(b) is str):
        return a >= b  # type: ignore[no-any-return]
    return bool(_order(">=", a, b))


def is_(a: Any, b: Any) -> bool:
    """``a is None`` (the parser accepts ``is`` only with a None literal)."""
    return a is b


def is_not(a: Any, b: Any) -> bool:
    """``a is not None``."""
    return a is not b


def contains(a: Any, b: Any) -> bool:
    """``a in b``: b a sequence of candidates, or a string to search; False when b is None."""
    if b is None:
        return False
    if isinstance(b, str):
        if not isinstance(a, str):
            raise EvaluationError(f"'in' a string needs a string on the left, not {type_name(a)}")
        return a in b
    if isinstance(b, tuple):
        return any(eq(a, item) for item in b)
    raise EvaluationError(f"'in' needs a list or a string on the right, not {type_name(b)}")


def not_contains(a: Any, b: Any) -> bool:
    """``a not in b``; False when b is None (like every comparison with None)."""
    if b is None:
        return False
    return not contains(a, b)
