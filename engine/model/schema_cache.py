"""The Report validator's pydantic core schema ↔ a JSON file in the user's cache folder, so a new process validates its first report without building the schema (~2 ms instead of ~50 ms).

The file holds what our own model code produces, never anything from a report: the core
schema of `Report` (plain JSON) with each function and class written as a reference
(``engine.model.base:_three_decimals``). Reading it resolves a reference only to an
object already defined in `engine.model` (or one of pydantic's constraint checks) and
imports nothing; anything else, a damaged file or an unknown layout makes the reader
ignore the file and pydantic builds the schema as always. The file name carries a hash
of the model sources and of the pydantic, pydantic-core and Python versions, so a
changed model never meets an old file. ASHR_SCHEMA_CACHE=0 turns the cache off.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pydantic
import pydantic_core
from pydantic import BaseModel
from pydantic_core import SchemaValidator

log = logging.getLogger(__name__)

#: set to 0 to never read or write the cache
CACHE_ENV = "ASHR_SCHEMA_CACHE"
#: the layout of the file (bump when the encoding changes)
FORMAT = 1
#: files of other model versions are removed once this old (seconds)
STALE_AFTER = 30 * 86400

_MARK = "__ashr__"  # the key of an encoded reference; core schema keys never start with "_"
_MODEL_DIR = Path(__file__).resolve().parent
#: modules whose functions may appear in the schema besides ours (constraint checks)
_OTHER_MODULES = frozenset({"pydantic._internal._validators"})
_BUILTINS = {"dict": dict, "list": list, "tuple": tuple}
_stored: set[str] = set()  # models whose file this process has written or found


class _Uncacheable(Exception):
    """The schema holds a value the file cannot name."""


def cache_folder() -> Path:
    """Where AshReports keeps files it can rebuild (XDG_CACHE_HOME, LOCALAPPDATA or ~/Library/Caches)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ashreports"


@functools.cache
def _cache_file(model: str) -> Path | None:
    """This model version's file, or None when the cache is off or the sources are not readable."""
    if os.environ.get(CACHE_ENV, "1") == "0":
        return None
    digest = hashlib.sha256()
    for part in (FORMAT, pydantic.VERSION, pydantic_core.__version__, sys.version, model):
        digest.update(f"{part}\0".encode())
    sources = sorted(_MODEL_DIR.glob("*.py"))
    if not sources:
        return None  # a frozen bundle without sources: no cache rather than a stale one
    try:
        for path in sources:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    except OSError:
        return None
    return cache_folder() / f"{model.lower()}-schema-{digest.hexdigest()[:24]}.json"


def _ref(obj: Any) -> str:
    return f"{obj.__module__}:{obj.__qualname__}"


def _resolve(ref: str) -> Any:
    """The object a reference names: defined in engine.model (or pydantic's checks), already imported."""
    module_name, _, qualname = ref.partition(":")
    if module_name == "builtins" and qualname in _BUILTINS:
        return _BUILTINS[qualname]
    if not (module_name.startswith("engine.model.") or module_name in _OTHER_MODULES):
        raise _Uncacheable(ref)
    obj: Any = sys.modules.get(module_name)
    if obj is None:
        raise _Uncacheable(ref)
    for name in qualname.split("."):
        obj = getattr(obj, name)
    return obj


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, dict):
        if not all(isinstance(k, str) and not k.startswith(_MARK) for k in value):
            raise _Uncacheable("a key that is not text")
        # metadata (JSON Schema hooks) and serialization are not used by the validator
        return {k: _encode(v) for k, v in value.items() if k not in ("metadata", "serialization")}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):  # defaults such as () must stay tuples
        return {_MARK: "tuple", "items": [_encode(v) for v in value]}
    if isinstance(value, functools.partial):
        return {
            _MARK: "partial",
            "func": _encode(value.func),
            "args": _encode(list(value.args)),
            "kwargs": _encode(value.keywords),
        }
    if isinstance(value, type) or (callable(value) and hasattr(value, "__qualname__")):
        owner = getattr(value, "__self__", None)
        if isinstance(owner, type):  # a classmethod bound to one model class
            encoded = {_MARK: "method", "cls": _ref(owner), "name": value.__name__}
        else:
            encoded = {_MARK: "ref", "ref": _ref(value)}
        if _decode(encoded) != value:
            raise _Uncacheable(repr(value))
        return encoded
    raise _Uncacheable(repr(value))


def _decode_object(obj: dict[str, Any]) -> Any:
    """One JSON object of the file → itself, or the reference it encodes (`json.loads`' object
    hook: the objects inside it are decoded already)."""
    kind = obj.get(_MARK)
    if kind is None:
        return obj
    if kind == "tuple":
        return tuple(obj["items"])
    if kind == "ref":
        return _resolve(obj["ref"])
    if kind == "method":
        owner = _resolve(obj["cls"])
        method = getattr(owner, obj["name"])
        if getattr(method, "__self__", None) is not owner:
            raise _Uncacheable(obj["name"])
        return method
    if kind == "partial":
        return functools.partial(obj["func"], *obj["args"], **obj["kwargs"])
    raise _Uncacheable(str(kind))


def _decode(value: Any) -> Any:
    """What `_encode` gave → the value again (references resolved, tuples restored)."""
    return read(json.dumps(value))


def read(text: str) -> Any:
    """The file's JSON text → its values, references resolved (raises on a foreign reference)."""
    return json.loads(text, object_hook=_decode_object)


def _plain(value: Any) -> Any:
    """`value` comparable with what the file gives back: partials unpacked, without the keys
    the file drops."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in ("metadata", "serialization")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, functools.partial):
        return ["partial", value.func, _plain(value.args), _plain(value.keywords)]
    return value


def _has_validator(model: type[BaseModel]) -> bool:
    return isinstance(model.__dict__.get("__pydantic_validator__"), SchemaValidator)


def load_validator(model: type[BaseModel]) -> bool:
    """Give a model whose schema is not built yet its validator from the cache file; True if it did."""
    if _has_validator(model):
        return False
    path = _cache_file(model.__name__)
    if path is None:
        return False
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return False
    try:
        stored = read(text)
        validator = SchemaValidator(stored["schema"], stored["config"])
    except Exception as exc:  # a damaged or foreign file: build the schema as usual
        log.debug("ignoring the schema cache %s: %s", path, exc)
        return False
    model.__pydantic_validator__ = validator  # type: ignore[assignment]
    return True


def store_validator(model: type[BaseModel]) -> None:
    """Write the model's freshly built validator schema to the cache file (once per model version)."""
    if model.__name__ in _stored or not _has_validator(model):
        return
    _stored.add(model.__name__)
    path = _cache_file(model.__name__)
    if path is None or path.exists():
        return
    try:
        schema, config = model.__pydantic_validator__.__reduce__()[1][:2]  # type: ignore[index]
        data = {"schema": _encode(schema), "config": _encode(config)}
        text = json.dumps(data, separators=(",", ":"))
        if _plain(read(text)["schema"]) != _plain(schema):
            raise _Uncacheable("the schema does not read back the same")
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(path)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=".tmp-", delete=False
        ) as tmp:
            tmp.write(text)
        os.replace(tmp.name, path)
    except (OSError, _Uncacheable) as exc:
        log.debug("not caching the %s schema: %s", model.__name__, exc)


def _remove_stale(path: Path) -> None:
    """Remove the files of other model versions written over a month ago."""
    now = time.time()
    pattern = path.name.rsplit("-", 1)[0] + "-*.json"
    for other in path.parent.glob(pattern):
        try:
            if other != path and now - other.stat().st_mtime > STALE_AFTER:
                other.unlink()
        except OSError:
            pass
