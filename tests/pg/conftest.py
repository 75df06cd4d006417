"""The `pg` fixture: a throwaway PostgreSQL server for the test session, loaded with Chinook and a
million generated rows.

The server is a fresh cluster in a temporary folder (initdb, trust authentication), listening
only on 127.0.0.1 at a free port and on a unix socket in that folder; it is stopped and the
folder removed when the session ends. As root, PostgreSQL refuses to run, so the cluster is
owned by and run as the `postgres` system user that Debian's package creates.

Without the PostgreSQL binaries (initdb, pg_ctl) or the psycopg driver every test here is
skipped, unless ASHR_REQUIRE_PG=1 (which .ci/run sets once it has installed PostgreSQL):
then a missing server is an error, so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .server import (
    CHINOOK,
    DATABASE,
    USER,
    Cluster,
    ClusterUnavailable,
    PgServer,
    create_database,
    find_pg_binaries,
    free_port,
)


def _unavailable(reason: str) -> None:
    """Skip the PostgreSQL tests, or fail them when CI said PostgreSQL is there."""
    if os.environ.get("ASHR_REQUIRE_PG") == "1":
        pytest.fail(f"ASHR_REQUIRE_PG=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg() -> Iterator[PgServer]:
    """A PostgreSQL server with the database `chinook`: the Chinook tables (quoted mixed-case names,
    NUMERIC(10,2) money, TIMESTAMP dates) and `big_rows` (a million generated rows)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("the psycopg driver is not installed (pip install -e '.[test]')")
    binaries = find_pg_binaries()
    if binaries is None:
        _unavailable(
            "PostgreSQL is not installed (no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin; "
            "apt-get install postgresql)"
        )
    if not CHINOOK.is_file():
        _unavailable(f"sample database missing: {CHINOOK}")
    assert binaries is not None
    try:
        cluster = Cluster(binaries, free_port())
    except ClusterUnavailable as exc:
        _unavailable(str(exc))
    try:
        cluster.start()
        server = PgServer("127.0.0.1", cluster.port, USER, DATABASE)
        create_database(server)
        yield server
    finally:
        cluster.stop()
