"""The charts' hashed scan in C (`_hashscan`) opens its own SQLite connections: read-only by name, one SELECT, the same refusals and time limit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from engine.data import hashed
from engine.data.sqlite import readonly_uri
from engine.errors import DataSourceError
from engine.model import SqlSource
from tests.engine.render.helpers import chinook_sql
from tests.security.conftest import engine, files_under
from tests.security.test_sqlite_readonly import ONLY_READ, one_line

pytestmark = pytest.mark.skipif(not hashed.available(), reason="the C extension is not built")

CHART = {
    "type": "summary",
    "height": 220,
    "elements": [
        {
            "type": "chart",
            "x": 0,
            "y": 0,
            "width": 500,
            "height": 200,
            "chart": {"kind": "bar", "category": "BillingCountry", "value": "Total"},
        }
    ],
}


def scan(database: Path | str, sql: str, timeout: float = 0) -> list[list[tuple[object, ...]]]:
    """The extension's scan of one statement, grouped by its first column."""
    uri = database if isinstance(database, str) else readonly_uri(database)
    return hashed._hashscan.scan(uri, [sql], {}, [[0]], [], 1000, bytearray(1), timeout)


def test_a_plain_select_scans(victim):
    groups = scan(victim / "reports" / "chinook.sqlite", "SELECT GenreId FROM Track")
    found = {key[0]: rows for key, rows, _ in groups[0]}
    assert found == dict(chinook_sql("SELECT GenreId, COUNT(*) FROM Track GROUP BY GenreId"))


@pytest.mark.parametrize(
    ("sql", "said"),
    [
        ("ATTACH DATABASE '{victim}/x.db' AS x", "open or create another database file"),
        ("VACUUM INTO '{victim}/copy.db'", "exactly one read-only SELECT"),
        ("PRAGMA writable_schema=1", "PRAGMA"),
        ("SELECT load_extension('x')", "call a function that loads code"),
        ("DELETE FROM Track", "write to the database"),
        ("SELECT 1; DROP TABLE Track", "exactly one read-only SELECT"),
    ],
)
def test_the_scan_refuses_everything_but_one_select(victim, sql, said):
    database = victim / "reports" / "chinook.sqlite"
    before = files_under(victim)
    with pytest.raises(PermissionError) as refused:
        scan(database, sql.format(victim=victim))
    assert said in str(refused.value) and str(refused.value).endswith(ONLY_READ)
    assert files_under(victim) == before


def test_the_scan_never_opens_for_writing_whatever_its_uri_says(victim):
    before = files_under(victim)
    uri = f"file:{victim}/created.sqlite?mode=rwc"
    with pytest.raises(OSError, match="cannot open"):
        scan(uri, "SELECT 1")
    assert files_under(victim) == before


def test_an_endless_scan_is_stopped_by_its_time_limit(victim):
    endless = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c "
        "WHERE x < 0"
    )
    started = time.monotonic()
    with pytest.raises(TimeoutError, match=r"more than 0\.5 s"):
        scan(victim / "reports" / "chinook.sqlite", endless, timeout=0.5)
    assert time.monotonic() - started < 10


def test_grouped_many_refuses_an_attack_query(victim):
    source = SqlSource(
        kind="sql", url="sqlite:///chinook.sqlite", query=f"VACUUM INTO '{victim}/copy.db'"
    )
    before = files_under(victim)
    with pytest.raises(DataSourceError, match=ONLY_READ):
        hashed.grouped_many(
            source,
            params={},
            base_dir=victim / "reports",
            url=None,
            grains=[["BillingCountry"]],
            aggregates=[("n", "COUNT", "Total")],
        )
    assert files_under(victim) == before


def test_a_chart_report_with_an_attack_query_writes_nothing(write_report, victim):
    report = write_report(
        data_source={
            "kind": "sql",
            "url": "sqlite:///chinook.sqlite",
            "query": f"ATTACH DATABASE '{victim}/x.db' AS x",
        },
        bands=[CHART],
    )
    before = files_under(victim)
    done = engine("render", report, "-o", victim / "out.pdf")
    assert done.returncode == 1
    assert one_line(done).endswith(ONLY_READ)
    assert files_under(victim) == before
