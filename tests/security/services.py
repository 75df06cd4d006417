"""The loopback PostgreSQL (5432) and MariaDB (3306) servers → fixtures: a scratch table, a function that writes into it and a reader user, each with a unique name, dropped afterwards.

Setup and the checks afterwards go through a DB-API connection of the test's own, never the
engine. A server that cannot be reached skips the tests that need it, with the reason;
under CI=true it fails them (CI must not pass by skipping).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

HOST = "127.0.0.1"
#: the rows every scratch table starts with
ROWS = [(1, "Ada"), (2, "Grace")]


@dataclass(frozen=True)
class Scratch:
    """A scratch table on a server, and how to reach it."""

    url: str  # the engine's URL as the administrator (superuser / root)
    reader_url: str  # as a user that may only SELECT from the table
    table: str
    function: str  # a function that INSERTs a row into the table and returns 1
    rows: Callable[[], list[tuple[Any, ...]]]  # the table's rows now, read by the test


def unavailable(reason: str) -> None:
    """Skip the test, or fail it when CI=true: there the servers must be up."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def _name() -> str:
    return f"ashr_{uuid.uuid4().hex[:12]}"


@pytest.fixture(name="postgres")
def postgres_fixture() -> Iterator[Scratch]:
    """A scratch table in the database `test` of the PostgreSQL server on 127.0.0.1:5432."""
    try:
        import psycopg
    except ImportError:
        unavailable("the psycopg driver is not installed")
    conn, problems = None, []
    for user in ("postgres", "root"):
        try:
            conn = psycopg.connect(
                host=HOST, port=5432, user=user, dbname="test", autocommit=True, connect_timeout=5
            )
            break
        except psycopg.Error as exc:
            problems.append(f"{user}: {str(exc).strip().splitlines()[0]}")
    if conn is None:
        unavailable(f"no PostgreSQL at {HOST}:5432 (database test): {'; '.join(problems)}")
    assert conn is not None
    name = _name()
    reader = f"{name}_reader"
    try:
        conn.execute(f"CREATE TABLE {name} (id integer, name text)")
        conn.execute(f"INSERT INTO {name} VALUES (1, 'Ada'), (2, 'Grace')")
        conn.execute(
            f"CREATE FUNCTION {name}_write() RETURNS integer LANGUAGE sql "
            f"AS $$ INSERT INTO {name} VALUES (3, 'Mallory') RETURNING 1 $$"
        )
        conn.execute(f"CREATE ROLE {reader} LOGIN")
        conn.execute(f"GRANT SELECT ON {name} TO {reader}")
        admin = conn.info.user

        def rows() -> list[tuple[Any, ...]]:
            return conn.execute(f"SELECT id, name FROM {name} ORDER BY id").fetchall()

        yield Scratch(
            url=f"postgresql+psycopg://{admin}@{HOST}:5432/test",
            reader_url=f"postgresql+psycopg://{reader}@{HOST}:5432/test",
            table=name,
            function=f"{name}_write",
            rows=rows,
        )
    finally:
        conn.execute(f"DROP FUNCTION IF EXISTS {name}_write()")
        conn.execute(f"DROP TABLE IF EXISTS {name}")
        conn.execute(f"DROP ROLE IF EXISTS {reader}")
        conn.close()


@pytest.fixture(name="mariadb")
def mariadb_fixture() -> Iterator[Scratch]:
    """A scratch table in the database `test` of the MariaDB server on 127.0.0.1:3306 (user root)."""
    try:
        import pymysql
    except ImportError:
        unavailable("the PyMySQL driver is not installed")
    try:
        conn = pymysql.connect(
            host=HOST, port=3306, user="root", password="", database="test", autocommit=True,
            connect_timeout=5,
        )  # fmt: skip
    except pymysql.Error as exc:
        unavailable(f"no MariaDB at {HOST}:3306 (user root, database test): {exc}")
    name = _name()
    reader = f"{name}_r"
    hosts = ("%", "localhost")

    def run(sql: str) -> list[tuple[Any, ...]]:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())

    try:
        run(f"CREATE TABLE {name} (id INT, name VARCHAR(40))")
        run(f"INSERT INTO {name} VALUES (1, 'Ada'), (2, 'Grace')")
        run(
            f"CREATE FUNCTION {name}_write() RETURNS INT MODIFIES SQL DATA "
            f"BEGIN INSERT INTO {name} VALUES (3, 'Mallory'); RETURN 1; END"
        )
        for host in hosts:
            run(f"CREATE USER '{reader}'@'{host}'")
            run(f"GRANT SELECT ON test.{name} TO '{reader}'@'{host}'")
        yield Scratch(
            url=f"mysql+pymysql://root@{HOST}:3306/test",
            reader_url=f"mysql+pymysql://{reader}@{HOST}:3306/test",
            table=name,
            function=f"{name}_write",
            rows=lambda: [tuple(row) for row in run(f"SELECT id, name FROM {name} ORDER BY id")],
        )
    finally:
        run(f"DROP FUNCTION IF EXISTS {name}_write")
        run(f"DROP TABLE IF EXISTS {name}")
        for host in hosts:
            run(f"DROP USER IF EXISTS '{reader}'@'{host}'")
        conn.close()
