"""A report's SQLite query may only read: ATTACH, VACUUM INTO, writes, writing PRAGMAs, extensions and write-mode URLs refused, endless queries stopped; nothing created or changed."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from engine.data import open_rows
from engine.data.catalog import list_tables
from engine.data.urls import SqliteUrlError
from engine.errors import DataSourceError
from engine.model import SqlSource
from tests.engine.render.helpers import chinook_sql
from tests.security.conftest import engine, files_under

DETAIL = {
    "type": "detail",
    "height": 14,
    "elements": [{"type": "field", "x": 0, "y": 0, "width": 400, "height": 14, "field": "Name"}],
}
ONLY_READ = "a report's data source may only read"


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The run's only line on stderr (a clear message, never a traceback)."""
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    return line


def query_report(write_report: Any, query: str, url: str = "sqlite:///chinook.sqlite") -> Path:
    return write_report(data_source={"kind": "sql", "url": url, "query": query}, bands=[DETAIL])


@pytest.mark.parametrize("command", ["render", "fields"])
def test_attach_creates_no_file(write_report, victim, command):
    target = victim / "x.db"
    report = query_report(write_report, f"ATTACH DATABASE '{target}' AS x")
    before = files_under(victim)
    args = ["-o", victim / "out.pdf"] if command == "render" else []
    done = engine(command, report, *args)
    assert done.returncode == 1
    line = one_line(done)
    assert line.startswith(f"{report}: ")
    assert f"open or create another database file '{target}' (ATTACH DATABASE" in line
    assert line.endswith(ONLY_READ)
    assert files_under(victim) == before


def test_vacuum_into_copies_nothing(write_report, victim):
    copy = victim / "copy.db"
    report = query_report(write_report, f"VACUUM INTO '{copy}'")
    before = files_under(victim)
    done = engine("render", report, "-o", victim / "out.pdf")
    assert done.returncode == 1
    assert f"'{copy}' (ATTACH DATABASE or VACUUM INTO); {ONLY_READ}" in one_line(done)
    assert files_under(victim) == before


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("PRAGMA writable_schema=1", "PRAGMA writable_schema = 1"),
        ("PRAGMA journal_mode=WAL", "PRAGMA journal_mode = WAL"),
        ("SELECT load_extension('x') AS Name", "call load_extension()"),
        ("SELECT fts3_tokenizer('simple') AS Name", "call fts3_tokenizer()"),
        ("DELETE FROM Track", "write to Track (DELETE)"),
        ("DROP TABLE Track", "change the database's schema"),
        ("BEGIN IMMEDIATE", "control a transaction"),
    ],
)
def test_writes_settings_and_extensions_are_refused(write_report, victim, query, said):
    report = query_report(write_report, query)
    before = files_under(victim)
    done = engine("render", report, "-o", victim / "out.pdf")
    assert done.returncode == 1
    line = one_line(done)
    assert said in line and line.endswith(ONLY_READ)
    assert files_under(victim) == before


def test_a_view_of_the_database_cannot_smuggle_a_function_in(write_report, victim):
    """The database is the report's too: a view calling load_extension is refused when read
    (SQLite's own "unsafe use" check comes first; the authorizer stands behind it)."""
    trap = victim / "reports" / "trap.sqlite"
    with sqlite3.connect(trap) as conn:
        conn.execute("CREATE VIEW v AS SELECT load_extension('/tmp/evil') AS Name")
    conn.close()
    report = query_report(write_report, "SELECT Name FROM v", url="sqlite:///trap.sqlite")
    before = files_under(victim)
    done = engine("render", report, "-o", victim / "out.pdf")
    assert done.returncode == 1
    assert "load_extension()" in one_line(done)
    assert files_under(victim) == before


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("sqlite:///file:chinook.sqlite?mode=rw&uri=true", "asks for mode=rw"),
        ("sqlite:///file:new.sqlite?mode=rwc&uri=true", "asks for mode=rwc"),
        ("sqlite:///new.sqlite?mode=rwc", "asks for mode=rwc"),
        ("sqlite:///file:chinook.sqlite?mode=memory&uri=true", "names an in-memory database"),
        ("sqlite:///:memory:", "names an in-memory database"),
        (
            "sqlite:///file:chinook.sqlite?vfs=unix-none&uri=true",
            "asks for another VFS (vfs=unix-none)",
        ),
    ],
)
def test_urls_asking_to_write_or_create_are_refused(write_report, victim, url, said):
    report = query_report(write_report, "DROP TABLE Track", url=url)
    before = files_under(victim)
    done = engine("render", report, "-o", victim / "out.pdf")
    assert done.returncode == 2
    line = one_line(done)
    assert f"SQLite URL '{url}' {said}" in line
    assert files_under(victim) == before


def test_a_read_only_file_uri_reads(write_report, victim):
    report = query_report(
        write_report,
        "SELECT Name FROM Genre ORDER BY GenreId",
        url="sqlite:///file:chinook.sqlite?mode=ro&uri=true",
    )
    done = engine("fields", report)
    assert done.returncode == 0, done.stderr
    assert "Name" in done.stdout


def test_endless_query_is_stopped_by_the_statement_limit(write_report, victim):
    query = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
        "SELECT x AS Name FROM c WHERE x < 0"
    )
    report = query_report(write_report, query)
    before = files_under(victim)
    started = time.monotonic()
    done = engine("render", report, "-o", victim / "out.pdf", env={"ASHR_STATEMENT_TIMEOUT": "1"})
    assert time.monotonic() - started < 30
    assert done.returncode == 1
    line = one_line(done)
    assert "kept the database busy for more than 1 s and was stopped" in line
    assert "ASHR_STATEMENT_TIMEOUT=SECONDS" in line
    assert files_under(victim) == before


def test_a_statement_limit_that_is_not_a_number_is_bad_input(write_report, victim):
    report = query_report(write_report, "SELECT Name FROM Genre")
    done = engine(
        "render", report, "-o", victim / "out.pdf", env={"ASHR_STATEMENT_TIMEOUT": "soon"}
    )
    assert done.returncode == 2
    assert "ASHR_STATEMENT_TIMEOUT='soon' is not a number of seconds" in one_line(done)
    assert not (victim / "out.pdf").exists()


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_a_database_outside_the_report_folder_is_refused(write_report, victim, how):
    outside = victim / "outside" / "private.sqlite"
    outside.write_bytes((victim / "reports" / "chinook.sqlite").read_bytes())
    if how == "symlink":
        (victim / "reports" / "link.sqlite").symlink_to(outside)
        url = "sqlite:///link.sqlite"
    else:
        url = "sqlite:///../outside/private.sqlite" if how == "dotdot" else f"sqlite:///{outside}"
    report = query_report(write_report, "SELECT Name FROM Genre", url=url)
    before = files_under(victim)
    done = engine("render", report, "-o", victim / "out.pdf")
    assert done.returncode == 2
    line = one_line(done)
    assert "SQLite database '" in line and "is outside the report's folder" in line
    assert "--allow-path DIR" in line
    assert files_under(victim) == before


def test_the_users_data_option_and_allowed_folders_are_not_confined(write_report, victim):
    outside = victim / "outside" / "mine.sqlite"
    outside.write_bytes((victim / "reports" / "chinook.sqlite").read_bytes())
    report = query_report(
        write_report, "SELECT Name FROM Genre", url="sqlite:///../outside/mine.sqlite"
    )
    assert engine("fields", report, "--data", f"sqlite:///{outside}").returncode == 0
    done = engine("fields", report, "--allow-path", victim / "outside")
    assert done.returncode == 0, done.stderr


def test_a_fifo_named_as_the_database_never_hangs(write_report, victim):
    fifo = victim / "reports" / "pipe.sqlite"
    os.mkfifo(fifo)
    report = query_report(write_report, "SELECT Name FROM Genre", url="sqlite:///pipe.sqlite")
    done = engine("render", report, "-o", victim / "out.pdf")
    assert done.returncode == 2
    line = one_line(done)
    assert "SQLite database" in line and "is not a regular file" in line
    assert not (victim / "out.pdf").exists()


def test_the_engine_api_refuses_a_write_and_leaves_the_database_as_it_was(victim):
    database = victim / "reports" / "chinook.sqlite"
    before = database.read_bytes()
    source = SqlSource(kind="sql", url="sqlite:///chinook.sqlite", query="DELETE FROM Invoice")
    with pytest.raises(DataSourceError, match=r"write to Invoice \(DELETE\); " + ONLY_READ):
        open_rows(source, base_dir=database.parent)
    assert database.read_bytes() == before
    assert chinook_sql("SELECT COUNT(*) FROM Invoice")[0][0] > 0


def test_the_designer_catalog_reads_only(victim):
    folder = victim / "reports"
    before = files_under(victim)
    tables = list_tables("sqlite:///file:chinook.sqlite?mode=ro&uri=true", folder)
    expected = sorted(
        (
            name
            for (name,) in chinook_sql(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            )
        ),
        key=str.lower,
    )
    assert tables == expected
    with pytest.raises(SqliteUrlError, match="asks for mode=rwc"):
        list_tables("sqlite:///file:created.sqlite?mode=rwc&uri=true", folder)
    assert files_under(victim) == before


def test_environment_variables_in_a_url_are_never_expanded(victim, monkeypatch):
    monkeypatch.setenv("ASHR_SECRET_DIR", str(victim / "reports"))
    source = SqlSource(kind="sql", url="sqlite:///chinook.sqlite", table="Genre")
    with pytest.raises(DataSourceError, match=r"database file not found: .*\$\{ASHR_SECRET_DIR\}"):
        open_rows(source, url="sqlite:///${ASHR_SECRET_DIR}/chinook.sqlite", base_dir=victim)


def test_a_wal_database_is_read_without_creating_its_companion_files(write_report, victim):
    wal = victim / "reports" / "wal.sqlite"
    conn = sqlite3.connect(wal)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE Genre (Name TEXT)")
    conn.execute("INSERT INTO Genre VALUES ('Rock')")
    conn.commit()
    conn.close()
    report = query_report(write_report, "SELECT Name FROM Genre", url="sqlite:///wal.sqlite")
    before = files_under(victim)
    done = engine("fields", report)
    assert done.returncode == 0, done.stderr
    assert "Name" in done.stdout
    assert files_under(victim) == before


def test_a_second_statement_never_runs(write_report, victim):
    target = victim / "x.db"
    report = query_report(write_report, f"SELECT Name FROM Genre; ATTACH DATABASE '{target}' AS x")
    before = files_under(victim)
    done = engine("render", report, "-o", victim / "out.pdf")
    assert done.returncode == 1
    assert "refused: the query holds more than one statement" in one_line(done)
    assert files_under(victim) == before


def test_the_sqlalchemy_reader_is_as_read_only(write_report, victim):
    target = victim / "x.db"
    report = query_report(write_report, f"ATTACH DATABASE '{target}' AS x")
    before = files_under(victim)
    done = engine("fields", report, env={"ASHR_SQLITE_DRIVER": "sqlalchemy"})
    assert done.returncode == 1
    line = one_line(done)
    assert f"'{target}' (ATTACH DATABASE or VACUUM INTO); {ONLY_READ}" in line
    assert files_under(victim) == before
