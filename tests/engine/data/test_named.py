"""engine.data.named: connections.toml read (password_env, password_file, errors) and written, and where a source connects."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.data import named
from engine.data.named import (
    NamedConnection,
    NamedConnectionError,
    Target,
    connect_target,
    connection_names,
    connection_url,
    read_connections,
    save_connection,
    split_password,
    store_password,
)
from engine.model import SqlSource

SECRET = "pa:ss@w/rd%${HOME}"


@pytest.fixture(autouse=True)
def _no_chosen_file(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts without --connections and without ASHR_CONNECTIONS."""
    monkeypatch.delenv(named.CONNECTIONS_ENV, raising=False)
    named.use_connections_file(None)
    yield
    named.use_connections_file(None)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _source(**keys: str) -> SqlSource:
    return SqlSource.model_validate({"kind": "sql", "table": "t", **keys})


def test_password_env_is_filled_into_the_url_escaped(tmp_path, monkeypatch):
    monkeypatch.setenv("SALES_PW", SECRET)
    file = _write(
        tmp_path / "c.toml",
        '[sales]\nurl = "postgresql+psycopg://report_ro@db.example.com:5433/sales"\n'
        'password_env = "SALES_PW"\n',
    )
    url = connection_url("sales", file)
    # read back by the standard library's URL parser, not by SQLAlchemy's renderer
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    assert unquote(parts.password) == SECRET
    assert (parts.username, parts.hostname, parts.port, parts.path) == (
        "report_ro",
        "db.example.com",
        5433,
        "/sales",
    )
    assert "${HOME}" not in url  # escaped: no later expansion can read HOME through it


def test_password_file_with_tilde_one_trailing_newline_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / ".secrets").mkdir()
    (tmp_path / ".secrets" / "sales").write_text("s3cret  \n", encoding="utf-8")
    file = _write(
        tmp_path / "c.toml",
        '[sales]\nurl = "postgresql://ann@db/sales"\npassword_file = "~/.secrets/sales"\n',
    )
    from urllib.parse import unquote, urlsplit

    assert unquote(urlsplit(connection_url("sales", file)).password) == "s3cret  "


def test_a_connection_without_password_and_a_relative_sqlite_path(tmp_path):
    file = _write(tmp_path / "c.toml", '[local]\nurl = "sqlite:///data/chinook.sqlite"\n')
    assert connection_url("local", file) == f"sqlite:///{tmp_path.resolve()}/data/chinook.sqlite"


def test_unknown_name_lists_the_known_ones(tmp_path):
    file = _write(tmp_path / "c.toml", '[b]\nurl = "sqlite:////x.db"\n[a]\nurl = "sqlite://"\n')
    with pytest.raises(NamedConnectionError) as info:
        connection_url("sales", file)
    message = str(info.value)
    assert "no named connection 'sales'" in message
    assert "(known: a, b)" in message and str(file) in message
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[sales\nurl = "x"\n', "not valid TOML"),
        ('url = "sqlite://"\n', "'url' must be a table"),
        ("[sales]\npassword_env = 'X'\n", "url is required"),
        ('[sales]\nurl = "sqlite://"\nuser = "ann"\n', "unknown key 'user'"),
        ("[sales]\nurl = 5\n", "url must be text"),
        ('["bad name"]\nurl = "sqlite://"\n', "a connection name is a letter"),
        ('[s]\nurl = "sqlite://"\npassword_env = "A"\npassword_file = "f"\n', "not both"),
        ('[s]\nurl = "sqlite://"\npassword_env = "NO-WAY"\n', "not an environment variable"),
    ],
)
def test_a_malformed_file_names_the_file_and_the_problem(tmp_path, text, expected):
    file = _write(tmp_path / "c.toml", text)
    with pytest.raises(NamedConnectionError) as info:
        read_connections(file)
    assert expected in str(info.value)
    assert str(file) in str(info.value)


def test_a_password_in_the_url_is_refused_and_never_shown(tmp_path):
    file = _write(tmp_path / "c.toml", '[s]\nurl = "postgresql://ann:hunter2@db/sales"\n')
    with pytest.raises(NamedConnectionError) as info:
        read_connections(file)
    assert "hunter2" not in str(info.value)
    assert "postgresql://ann:***@db/sales" in str(info.value)
    assert "password_env" in str(info.value)


def test_missing_password_sources_are_clear_and_hide_nothing_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("NOT_SET_PW", raising=False)
    file = _write(
        tmp_path / "c.toml",
        '[a]\nurl = "postgresql://u@h/d"\npassword_env = "NOT_SET_PW"\n'
        '[b]\nurl = "postgresql://u@h/d"\npassword_file = "missing.txt"\n',
    )
    with pytest.raises(NamedConnectionError, match=r"NOT_SET_PW .* is not set"):
        connection_url("a", file)
    with pytest.raises(NamedConnectionError, match=r"cannot read its password_file .*missing\.txt"):
        connection_url("b", file)


def test_a_password_file_that_is_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pw"
    os.mkfifo(fifo)
    file = _write(
        tmp_path / "c.toml", f'[a]\nurl = "postgresql://u@h/d"\npassword_file = "{fifo}"\n'
    )
    with pytest.raises(NamedConnectionError, match="not a regular file"):
        connection_url("a", file)


def test_which_file_cli_then_environment_then_config_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert named.connections_file() == tmp_path / "config" / "ashreports" / "connections.toml"
    assert read_connections() == {}  # no default file yet: no connections, no error
    env_file = _write(tmp_path / "env.toml", '[from_env]\nurl = "sqlite://"\n')
    monkeypatch.setenv(named.CONNECTIONS_ENV, str(env_file))
    assert connection_names() == ["from_env"]
    cli_file = _write(tmp_path / "cli.toml", '[from_cli]\nurl = "sqlite://"\n')
    named.use_connections_file(cli_file)
    assert connection_names() == ["from_cli"]
    named.use_connections_file(tmp_path / "nowhere.toml")
    assert connection_names() == []
    with pytest.raises(NamedConnectionError, match=r"nowhere\.toml, which does not exist"):
        connection_url("sales")


def test_connect_target_data_url_then_connection_then_report(tmp_path, monkeypatch):
    monkeypatch.setenv("PW", "s3cret")
    file = _write(tmp_path / "c.toml", '[sales]\nurl = "postgresql://u@h/d"\npassword_env = "PW"\n')
    named.use_connections_file(file)
    by_name = _source(connection="sales")
    assert connect_target(by_name, "sqlite:////data.db") == Target("sqlite:////data.db", False)
    target = connect_target(by_name, None)
    assert target == Target("postgresql://u:s3cret@h/d", from_report=False, connection="sales")
    assert "s3cret" not in repr(target) and "***" in repr(target)
    assert "s3cret" not in target.shown
    own = connect_target(_source(url="sqlite:///chinook.sqlite"), None)
    assert own == Target("sqlite:///chinook.sqlite", from_report=True)


def test_save_connection_adds_and_replaces_atomically_with_mode_0600(tmp_path):
    file = tmp_path / "cfg" / "connections.toml"
    save_connection(NamedConnection("sales", "postgresql://u@h/d", password_env="PW"), file)
    save_connection(NamedConnection("local", "sqlite:////x.db"), file)
    save_connection(NamedConnection("sales", "postgresql://u@h2/d", password_file="/p"), file)
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert [p.name for p in file.parent.iterdir()] == ["connections.toml"]  # no temp file left
    found = read_connections(file)
    assert found == {
        "sales": NamedConnection("sales", "postgresql://u@h2/d", password_file="/p"),
        "local": NamedConnection("local", "sqlite:////x.db"),
    }


def test_save_connection_refuses_a_password_in_the_url(tmp_path):
    file = tmp_path / "connections.toml"
    with pytest.raises(NamedConnectionError) as info:
        save_connection(NamedConnection("s", "postgresql://u:hunter2@h/d"), file)
    assert "hunter2" not in str(info.value)
    assert not file.exists()


def test_store_password_writes_a_private_file_the_connection_reads(tmp_path):
    file = tmp_path / "connections.toml"
    named.use_connections_file(file)
    path = store_password("sales", SECRET)
    assert path == tmp_path / "passwords" / "sales"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    save_connection(NamedConnection("sales", "postgresql://u@h/d", password_file=str(path)))
    from sqlalchemy.engine import make_url

    assert make_url(connection_url("sales")).password == SECRET


def test_split_password_takes_the_password_out_of_a_typed_url():
    assert split_password("postgresql://ann:s%40cret@db:5432/sales?sslmode=require") == (
        "postgresql://ann@db:5432/sales?sslmode=require",
        "s@cret",
    )
    assert split_password("postgresql://ann@db/sales") == ("postgresql://ann@db/sales", "")
    assert split_password("sqlite:///chinook.sqlite") == ("sqlite:///chinook.sqlite", "")
