"""PostgreSQL and MariaDB on loopback: a report's query can only read, one statement, within the time limit; `validate --connect`."""

from __future__ import annotations

import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import pymupdf
import pytest

from tests.security.conftest import engine, files_under
from tests.security.services import ROWS, mariadb_fixture, postgres_fixture  # noqa: F401


def listing(field: str = "name") -> list[dict[str, Any]]:
    """A detail band printing one field."""
    element = {"type": "field", "x": 0, "y": 0, "width": 400, "height": 14, "field": field}
    return [{"type": "detail", "height": 14, "elements": [element]}]


def query_report(
    write_report: Any, query: str, field: str = "name", *, fields: Any = None, **keys: Any
) -> Path:
    """A report of one query; its URL is a placeholder the tests replace with `--data URL`."""
    source = {"kind": "sql", "url": "sqlite:///chinook.sqlite", "query": query}
    if fields is not None:
        source["fields"] = fields
    return write_report(data_source=source, bands=listing(field), **keys)


def one_line(done: subprocess.CompletedProcess[str], status: int, *parts: str) -> str:
    """The exit status, one line on stderr holding every part, no traceback."""
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    for part in parts:
        assert part in line, line
    return line


def marker() -> Path:
    """A file an attack would create: it must not exist afterwards."""
    return Path("/tmp") / f"ashr_attack_{uuid.uuid4().hex}"


# -- PostgreSQL -----------------------------------------------------------------------------------

PG_ATTACKS = [
    # the old declared-types probe pasted this into SELECT * FROM (...) and ran three statements
    ("SELECT 1) q; DROP TABLE {table}; --", "syntax error"),
    ("SELECT 1 AS name; DROP TABLE {table}", "syntax error"),
    ("DROP TABLE {table}", "syntax error"),
    ("WITH d AS (DELETE FROM {table} RETURNING *) SELECT name FROM d", "data-modifying"),
    ("SELECT {function}() AS name", "read-only transaction"),
    ("SELECT set_config('transaction_read_only', 'off', false) AS name", "read-write"),
    ("SELECT 1 AS name INTO TABLE {table}_copy", "INTO is not allowed here"),
    ("COPY (SELECT 1) TO PROGRAM 'touch {marker}'", "syntax error"),
    ("COPY (SELECT 1) TO '{marker}'", "syntax error"),
]


@pytest.mark.parametrize(("query", "refusal"), PG_ATTACKS)
def test_postgresql_runs_one_read_only_query(postgres, write_report, victim, query, refusal):
    attack = marker()
    report = query_report(
        write_report, query.format(table=postgres.table, function=postgres.function, marker=attack)
    )
    before = files_under(victim)
    done = engine("render", report, "--data", postgres.url, "-o", victim / "out.pdf")
    one_line(done, 1, "query failed", refusal)
    assert postgres.rows() == ROWS
    assert files_under(victim) == before
    assert not attack.exists()


def test_postgresql_read_only_survives_the_url_asking_otherwise(postgres, write_report, victim):
    url = f"{postgres.url}?options=-c%20default_transaction_read_only%3Doff&prepare_threshold="
    report = query_report(write_report, f"SELECT {postgres.function}() AS name")
    done = engine("render", report, "--data", url, "-o", victim / "out.pdf")
    one_line(done, 1, "query failed", "read-only transaction")
    assert postgres.rows() == ROWS


def test_postgresql_query_is_stopped_at_the_statement_timeout(postgres, write_report, victim):
    report = query_report(write_report, "SELECT CAST(pg_sleep(30) AS text) AS name")
    started = time.monotonic()
    done = engine(
        "render", report, "--data", postgres.url, "-o", victim / "out.pdf",
        env={"ASHR_STATEMENT_TIMEOUT": "1"},
    )  # fmt: skip
    assert time.monotonic() - started < 20
    one_line(done, 1, "query failed", "statement timeout")
    assert not (victim / "out.pdf").exists()


def test_postgresql_query_cannot_lift_its_own_timeout(postgres, write_report, victim):
    # set_config runs in the first fetch; the fetches after it would have no server-side limit
    query = (
        "SELECT set_config('statement_timeout', '0', false) "
        "|| CAST(pg_sleep(CASE WHEN g = 7000 THEN 30 ELSE 0 END) AS text) AS name "
        "FROM generate_series(1, 8000) AS g"
    )
    report = query_report(write_report, query)
    started = time.monotonic()
    done = engine(
        "render", report, "--data", postgres.url, "-o", victim / "out.pdf",
        env={"ASHR_STATEMENT_TIMEOUT": "1"},
    )  # fmt: skip
    assert time.monotonic() - started < 20
    one_line(done, 1, "query failed", "statement timeout (1 s, ASHR_STATEMENT_TIMEOUT)")
    assert not (victim / "out.pdf").exists()


def test_postgresql_reader_cannot_reach_server_files(postgres, write_report, victim):
    report = query_report(write_report, "SELECT pg_read_file('/etc/hostname') AS name")
    done = engine("render", report, "--data", postgres.reader_url, "-o", victim / "out.pdf")
    one_line(done, 1, "query failed", "permission denied")


def test_postgresql_large_object_of_a_query_is_rolled_back(postgres, write_report, victim):
    # a read-only transaction still lets lo_from_bytea create a large object: the engine never
    # commits, so it is gone with the transaction
    import psycopg

    def objects() -> int:
        with psycopg.connect(postgres.url.replace("postgresql+psycopg", "postgresql")) as conn:
            return conn.execute("SELECT count(*) FROM pg_largeobject_metadata").fetchone()[0]

    before = objects()
    report = query_report(write_report, "SELECT CAST(lo_from_bytea(0, 'x') AS text) AS name")
    done = engine("render", report, "--data", postgres.url, "-o", victim / "out.pdf")
    assert done.returncode == 0, done.stderr
    assert objects() == before


def test_postgresql_report_renders_from_a_reader_account(postgres, write_report, victim):
    report = query_report(
        write_report, f"SELECT name FROM {postgres.table} WHERE id >= :low",
        parameters=[{"name": "low", "type": "integer", "default": 2}],
    )  # fmt: skip
    out = victim / "out.pdf"
    done = engine("render", report, "--data", postgres.reader_url, "-o", out)
    assert done.returncode == 0, done.stderr
    with pymupdf.open(out) as pdf:
        words = "".join(page.get_text() for page in pdf).split()
    assert "Grace" in words and "Ada" not in words


# -- MariaDB / MySQL ------------------------------------------------------------------------------

MYSQL_ATTACKS = [
    ("SELECT 1 AS name INTO OUTFILE '{marker}'", "syntax"),
    ("SELECT 1 AS name) q INTO OUTFILE '{marker}' -- ", "syntax"),
    ("SELECT 1 AS name) q INTO OUTFILE '{marker}' #", "syntax"),
    ("SELECT 1 AS name) q INTO DUMPFILE '{marker}' /*", "syntax"),
    ("SELECT 1 AS name; DROP TABLE {table}", "syntax"),
    ("DELETE FROM {table}", "syntax"),
    ("SELECT {function}() AS name", "READ ONLY transaction"),
]


@pytest.mark.parametrize(("query", "refusal"), MYSQL_ATTACKS)
def test_mysql_runs_one_read_only_query_that_writes_no_file(
    mariadb, write_report, victim, query, refusal
):
    attack = marker()
    report = query_report(
        write_report, query.format(table=mariadb.table, function=mariadb.function, marker=attack)
    )
    before = files_under(victim)
    # as root, who has the FILE privilege: the statement itself must refuse
    done = engine("render", report, "--data", mariadb.url, "-o", victim / "out.pdf")
    one_line(done, 1, "query failed", refusal)
    assert mariadb.rows() == ROWS
    assert files_under(victim) == before
    assert not attack.exists()


def test_mysql_url_cannot_turn_on_several_statements_or_a_writable_session(
    mariadb, write_report, victim
):
    url = (
        f"{mariadb.url}?client_flag=65536&local_infile=1"
        "&init_command=SET+SESSION+TRANSACTION+READ+WRITE"
    )
    several = query_report(write_report, f"SELECT 1 AS name; DELETE FROM {mariadb.table}")
    one_line(engine("render", several, "--data", url, "-o", victim / "a.pdf"), 1, "syntax")
    write = query_report(write_report, f"SELECT {mariadb.function}() AS name", name="write")
    done = engine("render", write, "--data", url, "-o", victim / "b.pdf")
    one_line(done, 1, "READ ONLY transaction")
    assert mariadb.rows() == ROWS


def test_mysql_query_is_stopped_at_the_statement_timeout(mariadb, write_report, victim):
    report = query_report(write_report, "SELECT CAST(SLEEP(30) AS CHAR) AS name")
    started = time.monotonic()
    done = engine(
        "render", report, "--data", mariadb.url, "-o", victim / "out.pdf",
        env={"ASHR_STATEMENT_TIMEOUT": "1"},
    )  # fmt: skip
    assert time.monotonic() - started < 20
    one_line(done, 1, "query failed", "max_statement_time")


def test_mysql_reader_without_file_privilege_reads_no_server_file(mariadb, write_report, victim):
    report = query_report(write_report, "SELECT LOAD_FILE('/etc/passwd') AS name")
    out = victim / "out.csv"
    done = engine("render", report, "--data", mariadb.reader_url, "-o", out)
    assert done.returncode == 0, done.stderr
    assert "root:" not in out.read_text(encoding="utf-8")


def test_mysql_report_renders_sorted(mariadb, write_report, victim):
    report = query_report(
        write_report, f"SELECT id, name FROM {mariadb.table}",
        sort=[{"expression": "id", "descending": True}],
    )  # fmt: skip
    out = victim / "out.pdf"
    done = engine("render", report, "--data", mariadb.reader_url, "-o", out)
    assert done.returncode == 0, done.stderr
    with pymupdf.open(out) as pdf:
        words = "".join(page.get_text() for page in pdf).split()
    assert words.index("Grace") < words.index("Ada")


# -- drivers that cannot be made read-only --------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "parts"),
    [
        ("mssql+pyodbc://u@db.example/sales", ("mssql", "pyodbc", "read-only", "CSV")),
        ("postgresql+pg8000://u@db.example/sales", ("pg8000", "postgresql+psycopg://")),
        ("oracle+cx_oracle_async://u@db.example/sales", ("oracle", "read-only")),
    ],
)
def test_a_database_that_cannot_be_made_read_only_is_refused(write_report, victim, url, parts):
    report = query_report(write_report, "SELECT 1 AS name")
    before = files_under(victim)
    done = engine("render", report, "--data", url, "-o", victim / "out.pdf")
    one_line(done, 2, *parts)
    assert files_under(victim) == before


def test_mysql_statements_never_carry_a_quote_in_a_column_name():
    # a quote of ours after the report's query could close a string the query left open
    from engine.data.dialects import MysqlDialect
    from engine.errors import DataSourceError

    quote = MysqlDialect().quote_name
    assert quote("Total", lambda name: f"`{name}`") == "`Total`"
    for name in ("a'b", 'a"b', "a`b", "a\\b", "a\nb"):
        with pytest.raises(DataSourceError, match="rename the column with AS"):
            quote(name, lambda name: f"`{name}`")


# -- validate --connect ---------------------------------------------------------------------------


def test_validate_connect_checks_fields_against_the_sqlite_query(write_report, victim):
    # the declared fields agree with the layout, so only the database can tell 'Totl' is wrong
    fields = [{"name": "InvoiceId", "type": "integer"}, {"name": "Totl", "type": "decimal"}]
    report = query_report(
        write_report, "SELECT InvoiceId, Total FROM Invoice", field="Totl", fields=fields
    )
    before = files_under(victim)
    assert engine("validate", report).returncode == 0
    done = engine("validate", report, "--connect")
    one_line(done, 2, "bands[0].elements[0].field", "unknown field 'Totl'", "did you mean 'Total'?")
    assert files_under(victim) == before
    good = query_report(write_report, "SELECT InvoiceId, Total FROM Invoice", "Total", name="good")
    done = engine("validate", good, "--connect")
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, f"{good}: ok", "")


def test_validate_connect_checks_fields_against_postgresql(postgres, write_report, victim):
    report = query_report(write_report, f"SELECT id, name AS full_name FROM {postgres.table}")
    done = engine("validate", report, "--connect", "--data", postgres.reader_url)
    one_line(done, 2, "bands[0].elements[0].field", "unknown field 'name'", "'full_name'")


def test_validate_connect_prepares_without_running_an_attack(postgres, write_report, victim):
    report = query_report(write_report, f"SELECT 1) q; DROP TABLE {postgres.table}; --")
    done = engine("validate", report, "--connect", "--data", postgres.url)
    one_line(done, 1, "query failed", "syntax error")
    assert postgres.rows() == ROWS


def test_validate_connect_to_an_unreachable_database_is_exit_1(write_report, victim):
    report = query_report(write_report, "SELECT 1 AS name")
    done = engine("validate", report, "--connect", "--data", "postgresql+psycopg://u@127.0.0.1:1/x")
    one_line(done, 1, "cannot connect to postgresql+psycopg://u@127.0.0.1:1/x")
