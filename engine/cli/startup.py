"""A command-line process's start and end → the same process, shorter: the start-up tricks the engine keeps, each with the figure that pays for it.

Measured on `python -m engine render resources/examples/invoice.ashr` (one page, 0.164 s
in docs/performance.md), 15 processes per variant, on a shared 2-core machine (#17):

- **Collector paused during start-up, then frozen** (`pause_gc`, `resume_gc`): start-up
  makes a few hundred thousand long-lived objects and no garbage, yet the collector walks
  them again and again as they pile up. Collections take 14.4 ms of the process without,
  3.4 ms with (≈ 11 ms, 7 %). Pausing after the CLI's imports instead keeps only 3 ms of it.
- **Exit without teardown** (`exit_now`): freeing every module and object one by one
  before a process that is about to end goes away. From the exit to the parent seeing it:
  23 ms with `sys.exit`, 7 ms with `os._exit` (≈ 16 ms, 10 %).
- **The Report schema cached** (`load_report_validator`): building the pydantic-core
  validator of `Report` costs ~37 ms on the first validation of each process (47 ms
  instead of 10 ms for `load_report`, 22 %). The cache writes its core schema as JSON to
  the user's cache folder and the next process makes its `SchemaValidator` from the file.
- **No pydantic plugin search** (`disable_plugins`): whenever pydantic builds a validator
  it imports its plugin loader and `importlib.metadata` and scans every distribution's
  entry points (21-30 ms + 5-8 ms), even where PYDANTIC_DISABLE_PLUGINS says no. With the
  schema cache nothing is built; without it (the first run, a frozen bundle, which has no
  model sources to hash) this keeps the ~30 ms.

Measured as noise and removed: a raised collector threshold while a fill ran
(`engine.fill.gcpolicy`: 0.4 % of a 100,000-row CLI render, < 1 % of a 10,000-row
`render_report`).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import importlib
import json
import logging
import os
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any, NoReturn

import pydantic
import pydantic_core
from pydantic import BaseModel
from pydantic_core import SchemaValidator

log = logging.getLogger(__name__)

# -- the collector and the exit ---------------------------------------------------------

_paused = False


def pause_gc() -> None:
    """Stop automatic collection until `resume_gc` (the process entry may have stopped it already, before its imports)."""
    global _paused
    gc.disable()
    _paused = True


def resume_gc() -> None:
    """Freeze the objects made so far and collect automatically again (if `pause_gc` stopped it)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def exit_now(status: int) -> NoReturn:
    """End the process with `status` once the output is flushed, skipping the interpreter's teardown.

    The command line writes its files completely before it returns, holds no atexit work
    of its own, and its compile workers end when their pipes close.
    """
    try:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:  # e.g. a closed pipe: let the normal exit report it
        sys.exit(status)
    os._exit(status)


# -- pydantic's plugin loader -----------------------------------------------------------

PLUGIN_LOADER = "pydantic.plugin._loader"
_ALL = ("__all__", "1", "true")  # the values that make pydantic's get_plugins() return ()


class _NoPlugins(types.ModuleType):
    """Stands in for pydantic's plugin loader while every plugin is disabled."""

    @staticmethod
    def get_plugins() -> tuple[()]:
        return ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing (__path__ ...): a plain module
            raise AttributeError(name)
        del sys.modules[PLUGIN_LOADER]  # a name we do not know: the real loader provides it
        try:
            real = importlib.import_module(PLUGIN_LOADER)
        finally:
            sys.modules[PLUGIN_LOADER] = self
        return getattr(real, name)


def disable_plugins() -> None:
    """No pydantic plugin in this process (it validates only our own schema); a user's
    PYDANTIC_DISABLE_PLUGINS that enables some gets pydantic's own loader."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] in _ALL and PLUGIN_LOADER not in sys.modules:
        sys.modules[PLUGIN_LOADER] = _NoPlugins(PLUGIN_LOADER, "pydantic plugins: none")


# -- the Report schema cache ------------------------------------------------------------
#
# The file holds what our own model code produces, never anything from a report: the core
# schema (plain JSON) with each function and class written as a reference
# ("engine.model.base:_three_decimals"). Reading it resolves a reference only to an object
# already defined in engine.model (or one of pydantic's constraint checks) and imports
# nothing; anything else, a damaged file or an unknown layout makes the reader ignore the
# file and pydantic builds the schema as always. The file name carries a hash of the model
# sources and of the pydantic, pydantic-core and Python versions, so a changed model never
# meets an old file.

#: set to 0 to never read or write the cache
CACHE_ENV = "ASHR_SCHEMA_CACHE"
#: the layout of the file (bump when the encoding changes)
FORMAT = 1
#: files of other model versions are removed once this old (seconds)
STALE_AFTER = 30 * 86400

_MARK = "__ashr__"  # the key of an encoded reference; core schema keys never start with "_"
_MODEL_DIR = Path(__file__).resolve().parents[1] / "model"
#: modules whose functions may appear in the schema besides ours (constraint checks)
_OTHER_MODULES = frozenset({"pydantic._internal._validators"})
_BUILTINS = {"dict": dict, "list": list, "tuple": tuple}
_IGNORED_KEYS = ("metadata", "serialization")  # JSON Schema hooks and dumping: not validation


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


def encode_schema(value: Any) -> Any:
    """A core schema (or part of one) → plain JSON data, functions and classes as references.

    Raises:
        _Uncacheable: the schema holds a value no reference can name.
    """
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, dict):
        if not all(isinstance(k, str) and not k.startswith(_MARK) for k in value):
            raise _Uncacheable("a key that is not text")
        return {k: encode_schema(v) for k, v in value.items() if k not in _IGNORED_KEYS}
    if isinstance(value, list):
        return [encode_schema(v) for v in value]
    if isinstance(value, tuple):  # defaults such as () must stay tuples
        return {_MARK: "tuple", "items": [encode_schema(v) for v in value]}
    if isinstance(value, functools.partial):
        return {
            _MARK: "partial",
            "func": encode_schema(value.func),
            "args": encode_schema(list(value.args)),
            "kwargs": encode_schema(value.keywords),
        }
    if isinstance(value, type) or (callable(value) and hasattr(value, "__qualname__")):
        owner = getattr(value, "__self__", None)
        if isinstance(owner, type):  # a classmethod bound to one model class
            encoded = {_MARK: "method", "cls": _ref(owner), "name": value.__name__}
        else:
            encoded = {_MARK: "ref", "ref": _ref(value)}
        if read_schema(json.dumps(encoded)) != value:
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


def read_schema(text: str) -> Any:
    """The file's JSON text → its values, references resolved (raises on a foreign reference)."""
    return json.loads(text, object_hook=_decode_object)


def _plain(value: Any) -> Any:
    """`value` comparable with what the file gives back: partials unpacked, without the keys
    the file drops."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in _IGNORED_KEYS}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, functools.partial):
        return ["partial", value.func, _plain(value.args), _plain(value.keywords)]
    return value


def _has_validator(model: type[BaseModel]) -> bool:
    return isinstance(model.__dict__.get("__pydantic_validator__"), SchemaValidator)


def load_report_validator() -> bool:
    """Give `Report` its validator from the cache file, or build it now and write the file; True if it came from the file."""
    from ..model import Report

    if _has_validator(Report):
        return False
    path = _cache_file(Report.__name__)
    if path is None:
        return False
    try:
        stored = read_schema(path.read_text(encoding="utf-8"))
        Report.__pydantic_validator__ = SchemaValidator(stored["schema"], stored["config"])  # type: ignore[assignment]
        return True
    except FileNotFoundError:
        pass
    except Exception as exc:  # a damaged or foreign file: build the schema as usual
        log.debug("ignoring the schema cache %s: %s", path, exc)
    Report.model_rebuild(force=True)
    _store_validator(Report, path)
    return False


def _store_validator(model: type[BaseModel], path: Path) -> None:
    """Write the model's freshly built validator schema to `path` (beside it, then renamed)."""
    try:
        reduced: Any = model.__pydantic_validator__.__reduce__()  # (class, (schema, config, ...))
        schema, config = reduced[1][:2]
        text = json.dumps(
            {"schema": encode_schema(schema), "config": encode_schema(config)},
            separators=(",", ":"),
        )
        if _plain(read_schema(text)["schema"]) != _plain(schema):
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
