"""A report names a connection, never a secret: `${NAME}` refused, named connections from the user's file, passwords never shown."""

from __future__ import annotations

import pymupdf
import pytest

from tests.engine.render.helpers import CHINOOK, chinook_sql
from tests.security.conftest import engine, files_under

TITLE = {"type": "title", "height": 20, "elements": []}


def _detail(field: str) -> dict[str, object]:
    return {
        "type": "detail",
        "height": 14,
        "elements": [{"type": "field", "x": 0, "y": 0, "width": 400, "height": 14, "field": field}],
    }


@pytest.mark.parametrize("version", [1, 2])
def test_environment_variable_in_url_is_a_load_error_naming_the_fix(write_report, victim, version):
    report = write_report(
        version=version,
        data_source={"kind": "sql", "url": "sqlite:///${HOME}/x.db", "table": "t"},
        bands=[_detail("t")],
    )
    before = files_under(victim)
    out = victim / "out.pdf"
    done = engine("render", report, "-o", out)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"{report}: data_source.url: uses ${{HOME}}")
    assert (
        'move the URL into a named connection (connections.toml) and write "connection": "NAME"'
        in line
    )
    assert "Traceback" not in done.stderr
    assert files_under(victim) == before


def test_a_report_cannot_print_an_environment_variable(write_report, victim):
    """The old trick: the variable's value as the SQLite file name, printed back by the error."""
    secret = "AKIA-not-a-real-key-4711"
    report = write_report(
        data_source={"kind": "sql", "url": "sqlite:///${AWS_SECRET_ACCESS_KEY}", "table": "t"},
        bands=[_detail("t")],
    )
    for command in (("render", report, "-o", victim / "out.pdf"), ("fields", report)):
        done = engine(*command, env={"AWS_SECRET_ACCESS_KEY": secret})
        assert done.returncode == 2
        assert secret not in done.stdout + done.stderr
        assert "named connection" in done.stderr
    assert not (victim / "out.pdf").exists()


def test_render_chinook_through_a_named_connection_outside_the_report_folder(
    write_report, victim, tmp_path
):
    # the connection is the user's: its file may be anywhere, even outside the report's folder
    connections = tmp_path / "elsewhere" / "connections.toml"
    connections.parent.mkdir()
    connections.write_text(f'[chinook]\nurl = "sqlite:///{CHINOOK.resolve()}"\n', encoding="utf-8")
    (victim / "reports" / "chinook.sqlite").unlink()  # nothing to find beside the report
    report = write_report(
        name="genres",
        data_source={
            "kind": "sql",
            "connection": "chinook",
            "query": "SELECT Name FROM Genre ORDER BY GenreId",
        },
        bands=[TITLE, _detail("Name")],
    )
    out = victim / "genres.pdf"
    done = engine("render", report, "-o", out, "--connections", connections)
    assert (done.returncode, done.stderr) == (0, "")
    with pymupdf.open(out) as pdf:
        text = "".join(page.get_text() for page in pdf)
    names = [name for (name,) in chinook_sql("SELECT Name FROM Genre ORDER BY GenreId")]
    assert [line for line in text.splitlines() if line.strip()] == names


def test_unknown_connection_is_exit_2_and_lists_the_known(write_report, victim, tmp_path):
    connections = tmp_path / "connections.toml"
    connections.write_text(
        '[sales]\nurl = "sqlite:////nowhere.db"\n[archive]\nurl = "sqlite:////old.db"\n',
        encoding="utf-8",
    )
    report = write_report(
        data_source={"kind": "sql", "connection": "salse", "table": "t"}, bands=[_detail("t")]
    )
    done = engine(
        "render", report, "-o", victim / "out.pdf", env={"ASHR_CONNECTIONS": str(connections)}
    )
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert "no named connection 'salse'" in line and "(known: archive, sales)" in line
    assert not (victim / "out.pdf").exists()


def test_a_malformed_connections_file_is_named(write_report, victim, tmp_path):
    connections = tmp_path / "connections.toml"
    connections.write_text('[sales\nurl = "x"\n', encoding="utf-8")
    report = write_report(
        data_source={"kind": "sql", "connection": "sales", "table": "t"}, bands=[_detail("t")]
    )
    done = engine("render", report, "-o", victim / "o.pdf", "--connections", connections)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert f"{connections}: not valid TOML" in line and "line 1" in line


def test_a_password_never_appears_when_the_server_refuses(write_report, victim, tmp_path):
    pytest.importorskip("psycopg", reason="needs a PostgreSQL driver")
    password = "pw-hunter2-do-not-print"
    connections = tmp_path / "connections.toml"
    # port 1 on loopback: refused at once, so the error message (which must hide it) is quick
    connections.write_text(
        '[sales]\nurl = "postgresql+psycopg://report@127.0.0.1:1/sales"\n'
        'password_env = "SALES_PW"\n',
        encoding="utf-8",
    )
    report = write_report(
        data_source={"kind": "sql", "connection": "sales", "table": "t"}, bands=[_detail("t")]
    )
    done = engine(
        "render",
        report,
        "-o",
        victim / "out.pdf",
        "--connections",
        connections,
        "--debug",
        env={"SALES_PW": password},
    )
    assert done.returncode == 1
    assert password not in done.stdout + done.stderr
    assert not (victim / "out.pdf").exists()


def test_validate_and_fields_take_connections_too(write_report, victim, tmp_path):
    connections = tmp_path / "connections.toml"
    connections.write_text(f'[chinook]\nurl = "sqlite:///{CHINOOK.resolve()}"\n', encoding="utf-8")
    report = write_report(
        data_source={"kind": "sql", "connection": "chinook", "table": "Genre"},
        bands=[_detail("Name")],
    )
    done = engine("validate", report, "--connections", connections)
    assert (done.returncode, done.stdout.strip()) == (0, f"{report}: ok")
    done = engine("fields", report, "--connections", connections)
    assert done.returncode == 0, done.stderr
    assert [line.split()[0] for line in done.stdout.splitlines()] == ["GenreId", "Name"]
