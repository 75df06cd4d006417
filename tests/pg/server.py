"""A throwaway PostgreSQL cluster (initdb, pg_ctl) and the test data loaded into it: Chinook and a million generated rows."""

from __future__ import annotations

import datetime as dt
import glob
import os
import pwd
import shlex
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[2]
CHINOOK = ROOT / "resources" / "examples" / "chinook.sqlite"
#: the Chinook tables copied to PostgreSQL, parents first (foreign keys are not copied)
CHINOOK_TABLES = ("Artist", "Album", "Genre", "Track", "Customer", "Invoice", "InvoiceLine")
DATABASE = "chinook"
USER = "postgres"
#: rows of the generated table `big_rows`
BIG_ROWS = 1_000_000
READY_SECONDS = 20


@dataclass(frozen=True)
class PgServer:
    """A running test server: where it listens and how to ask it things independently of the engine."""

    host: str
    port: int
    user: str
    database: str

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the test database (trust authentication: no password)."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{self.database}"

    def connect(self, **options: Any) -> Any:
        """A plain psycopg connection (autocommit), for independent answers."""
        import psycopg

        return psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname=self.database,
            autocommit=True, **options,
        )  # fmt: skip

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Rows of `sql` run with psycopg (placeholders `%s`)."""
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        finally:
            conn.close()


def find_pg_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl", path=str(Path(found).parent)):
        return Path(found).parent
    folders = glob.glob("/usr/lib/postgresql/*/bin")
    folders.sort(key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    for folder in reversed(folders):
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ClusterUnavailable(Exception):
    """PostgreSQL cannot be run here (the reason is the message)."""


class Cluster:
    """A PostgreSQL cluster in a new temporary folder: initdb, start, stop, remove.

    PostgreSQL refuses to run as root, so as root the folder is given to the `postgres`
    system user (Debian's package creates it) and the server runs as that user.
    """

    def __init__(self, binaries: Path, port: int) -> None:
        self.binaries = binaries
        self.port = port
        self.as_user: str | None = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(USER)
            except KeyError as exc:
                raise ClusterUnavailable(
                    f"running as root and there is no '{USER}' system user to run PostgreSQL as"
                ) from exc
            self.as_user = USER
        # /tmp as root: the server's user must reach the folder, and a unix socket path is short
        parent = "/tmp" if self.as_user is not None and os.path.isdir("/tmp") else None
        self.folder = Path(tempfile.mkdtemp(prefix="ashr-pg-", dir=parent))
        if self.as_user is not None:
            shutil.chown(self.folder, self.as_user)
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"

    def run(self, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run one of the PostgreSQL programs (as the server's user)."""
        command = [str(self.binaries / argv[0]), *argv[1:]]
        if self.as_user is not None:
            if shutil.which("runuser"):
                command = ["runuser", "-u", self.as_user, "--", *command]
            else:
                command = ["su", self.as_user, "-s", "/bin/sh", "-c", shlex.join(command)]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, cwd=self.folder
        )

    def _check(self, result: subprocess.CompletedProcess[str], what: str) -> None:
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{what} failed:\n{result.stdout}{result.stderr}{log}")

    def start(self) -> None:
        init = self.run(
            "initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "--no-sync",
            "--encoding=UTF8", "--no-locale",
        )  # fmt: skip
        self._check(init, "initdb")
        # Durability is of no use to a throwaway server; without it the big table loads faster.
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        started = self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", str(READY_SECONDS), "start",
        )  # fmt: skip
        self._check(started, "pg_ctl start")

    def stop(self) -> None:
        """Stop the server, if it runs, without a checkpoint, and remove the folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self.run(
                    "pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=30
                )
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def wait_ready(server: PgServer, database: str) -> Any:
    """A connection to `database`, retried until the server accepts one (at most READY_SECONDS)."""
    import psycopg

    deadline = time.monotonic() + READY_SECONDS
    while True:
        try:
            return psycopg.connect(
                host=server.host, port=server.port, user=server.user, dbname=database,
                connect_timeout=2, autocommit=True,
            )  # fmt: skip
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


# -- data -------------------------------------------------------------------------------------


def _pg_type(declared: str) -> str:
    """The PostgreSQL type of a Chinook (SQLite) column: money stays NUMERIC(10,2), dates become TIMESTAMP."""
    upper = declared.upper()
    if upper.startswith("NUMERIC"):
        return declared
    if upper in ("DATETIME", "TIMESTAMP"):
        return "TIMESTAMP"
    if upper == "INTEGER":
        return "INTEGER"
    return "TEXT"


def _pg_value(pg_type: str, value: Any) -> Any:
    if value is None:
        return None
    if pg_type.upper().startswith("NUMERIC"):
        # SQLite holds the amounts as binary floats; the text form is the amount
        return Decimal(str(value)).quantize(Decimal("0.01"))
    if pg_type == "TIMESTAMP":
        return dt.datetime.fromisoformat(value)
    return value


def load_chinook(conn: Any) -> None:
    """The Chinook tables with their mixed-case names and columns kept (quoted), typed for PostgreSQL."""
    source = sqlite3.connect(f"file:{CHINOOK}?mode=ro", uri=True)
    cur = conn.cursor()
    try:
        for table in CHINOOK_TABLES:
            info = source.execute(f'PRAGMA table_info("{table}")').fetchall()
            names = [row[1] for row in info]
            types = [_pg_type(row[2]) for row in info]
            columns = [
                f'"{name}" {pg_type}' + (" NOT NULL" if notnull else "")
                for (_, name, _, notnull, _, _), pg_type in zip(info, types, strict=True)
            ]
            keys = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
            columns.append("PRIMARY KEY (" + ", ".join(f'"{key}"' for key in keys) + ")")
            cur.execute(f'CREATE TABLE "{table}" ({", ".join(columns)})')
            quoted = ", ".join(f'"{name}"' for name in names)
            with cur.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                for row in source.execute(f'SELECT * FROM "{table}"'):
                    copy.write_row([_pg_value(t, v) for t, v in zip(types, row, strict=True)])
    finally:
        source.close()
        cur.close()


#: the generated table: `grp` is null on every 7th row, so groups and sorting meet nulls
BIG_TABLE_SQL = f"""
CREATE TABLE big_rows (id INTEGER NOT NULL, grp TEXT, amount NUMERIC(12, 2) NOT NULL, day DATE NOT NULL);
INSERT INTO big_rows
SELECT g,
       CASE WHEN g % 7 = 0 THEN NULL ELSE 'group ' || (g % 40) END,
       (g % 100000) / 100.0,
       DATE '2020-01-01' + (g % 1500)
FROM generate_series(1, {BIG_ROWS}) AS g;
"""

#: `slow_value(x, seconds)` is x, after sleeping: per-row cost for the cancel tests
SLOW_FUNCTION_SQL = """
CREATE FUNCTION slow_value(x INTEGER, seconds FLOAT8) RETURNS INTEGER
LANGUAGE plpgsql VOLATILE AS $$ BEGIN PERFORM pg_sleep(seconds); RETURN x; END $$;
"""


def create_database(server: PgServer) -> None:
    """Create the server's database and load it: Chinook, `big_rows` and `slow_value`."""
    admin = wait_ready(server, "postgres")
    try:
        admin.cursor().execute(f"CREATE DATABASE {server.database}")
    finally:
        admin.close()
    conn = wait_ready(server, server.database)
    try:
        load_chinook(conn)
        with conn.cursor() as cur:
            cur.execute(BIG_TABLE_SQL)
            cur.execute(SLOW_FUNCTION_SQL)
            cur.execute("ANALYZE")
    finally:
        conn.close()
