"""Pydantic plugins off for the command line, without importing `importlib.metadata` (~20 ms) to find none.

pydantic imports its plugin loader (and with it `importlib.metadata`, email parsing
included) the first time it builds a validator, even when PYDANTIC_DISABLE_PLUGINS says
no plugin may load. `disable_plugins` sets that variable (unless the user set it) and,
when it disables every plugin, registers a stand-in loader whose `get_plugins` returns
none, as pydantic's own would. Any other name is read from pydantic's real loader.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from typing import Any

LOADER = "pydantic.plugin._loader"
_ALL = ("__all__", "1", "true")  # the values that make pydantic's get_plugins() return ()


class _NoPlugins(types.ModuleType):
    """Stands in for pydantic's plugin loader while every plugin is disabled."""

    @staticmethod
    def get_plugins() -> tuple[()]:
        return ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing (__path__ ...): a plain module
            raise AttributeError(name)
        del sys.modules[LOADER]  # a name we do not know: the real loader provides it
        try:
            real = importlib.import_module(LOADER)
        finally:
            sys.modules[LOADER] = self
        return getattr(real, name)


def disable_plugins() -> None:
    """No pydantic plugin in this process (the command line validates only our own schema)."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] in _ALL and LOADER not in sys.modules:
        sys.modules[LOADER] = _NoPlugins(LOADER, __doc__)
