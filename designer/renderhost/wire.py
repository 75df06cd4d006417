"""Messages between the designer and its render process: Python objects in, length-prefixed pickle frames out (and back).

Both ends are this program (the same code, started by it), so pickle is safe here. An
exception travels as its class path, `args` and attribute dict, because exceptions with
keyword-only constructor arguments (the engine's `ReportError`s) do not unpickle through
their constructor.
"""

from __future__ import annotations

import importlib
import pickle
import struct
from typing import Any, BinaryIO

from engine.errors import ReportError

_HEADER = struct.Struct("!Q")


def send(stream: BinaryIO, message: tuple[Any, ...]) -> None:
    """Write one message (a tuple whose first item names its kind) and flush."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: BinaryIO) -> tuple[Any, ...] | None:
    """The next message, or None when the other end closed the stream."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        return None
    message = pickle.loads(data)
    assert isinstance(message, tuple)
    return message


def pack_error(exc: BaseException) -> tuple[str, str, tuple[Any, ...], dict[str, Any]]:
    """An exception as (module, class name, args, attributes), all picklable."""
    cls = type(exc)
    state = {k: v for k, v in vars(exc).items() if k not in ("__traceback__", "__cause__")}
    try:
        pickle.dumps((exc.args, state))
    except Exception:  # an unpicklable attribute: the message still travels
        return ("engine.errors", "ReportError", (str(exc),), {"message": str(exc), "source": ""})
    return cls.__module__, cls.__qualname__, exc.args, state


def unpack_error(packed: tuple[str, str, tuple[Any, ...], dict[str, Any]]) -> ReportError:
    """The ReportError `pack_error` described (a plain ReportError when its class cannot be made)."""
    module, name, args, state = packed
    try:
        cls = getattr(importlib.import_module(module), name)
        if not (isinstance(cls, type) and issubclass(cls, ReportError)):
            raise TypeError(name)
        exc: ReportError = cls.__new__(cls)
        exc.args = args
        exc.__dict__.update(state)
    except Exception:  # a class only the render process knows: keep the message
        return ReportError(str(args[0]) if args else name)
    return exc
