"""An SqlSource and the user's `--data` → the database URL to connect to, and whether the report file chose it.

Named connections (`connections.toml`) are resolved here; see docs/ashr-format.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.model import SqlSource


@dataclass(frozen=True)
class Target:
    """Where a source connects: the URL (with any password: never shown) and who chose it."""

    url: str
    #: the report file named this URL itself: an SQLite path in it is confined to the
    #: report's folder (a URL from `--data` or a named connection is the user's choice)
    from_report: bool
    #: the named connection it came from, for messages
    connection: str | None = None


def connect_target(source: SqlSource, url: str | None) -> Target:
    """The URL a source connects to: `url` (the user's `--data`) when given, else the report's."""
    if url:
        return Target(url, from_report=False)
    return Target(source.url, from_report=True)
