"""Rows sorted by a server database put null first in both directions, as SQLite and the Python sort do."""

from __future__ import annotations

import pytest

from engine.data import OrderKey, open_rows
from engine.model import SqlSource
from tests.security.services import mariadb_fixture, postgres_fixture  # noqa: F401


@pytest.mark.parametrize("server", ["postgres", "mariadb"])
@pytest.mark.parametrize("descending", [False, True])
def test_null_sorts_first_in_both_directions(request, server, descending):
    scratch = request.getfixturevalue(server)
    query = f"SELECT name FROM {scratch.table} UNION ALL SELECT NULL"
    source = SqlSource(kind="sql", url=scratch.url, query=query)
    with open_rows(source, url=scratch.url, order_by=[OrderKey("name", descending)]) as rows:
        names = [row["name"] for row in rows]
    expected = sorted(["Ada", "Grace"], reverse=descending)
    assert names == [None, *expected]
