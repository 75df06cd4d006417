"""Old `.ashr` data → current data: a registry of one-step migrations keyed by the version they read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import Diagnostic, error

#: the newest file version this engine reads and writes
CURRENT_VERSION = 2

Migration = Callable[[dict[str, Any]], dict[str, Any]]

#: from_version -> function turning data of that version into data of from_version + 1
MIGRATIONS: dict[int, Migration] = {}


def migration(from_version: int) -> Callable[[Migration], Migration]:
    """Register a function that upgrades data of `from_version` by one version."""

    def register(fn: Migration) -> Migration:
        MIGRATIONS[from_version] = fn
        return fn

    return register


def migrate(data: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """Bring raw report data up to CURRENT_VERSION; return (data, []) or (None, diagnostics)."""
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        if "version" not in data:
            return None, [
                error("missing", f'is required: add "version": {CURRENT_VERSION}', "version")
            ]
        return None, [error("type", f"must be a whole number such as {CURRENT_VERSION}", "version")]
    if version > CURRENT_VERSION:
        return None, [
            error(
                "version-too-new",
                f"written by a newer version ({version}); this engine reads up to {CURRENT_VERSION}",
                "version",
            )
        ]
    if version < 1:
        return None, [error("range", "must be 1 or more", "version")]
    while version < CURRENT_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            return None, [
                error("version-unknown", f"no migration from version {version}", "version")
            ]
        data = step(dict(data))
        version += 1
        data["version"] = version
    return data, []


@migration(1)
def _named_connections(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 → 2: nothing moves; version 2 only adds keys.

    What changed is what a file may do: a `${NAME}` in `data_source.url` is no longer
    expanded from the environment. It is refused when the model is validated (in either
    version), with the fix, rather than dropped or rewritten here: the URL must move to the
    user's connections.toml, which a migration cannot write.
    """
    return data
