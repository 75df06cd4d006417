"""An SqlSource and the user's `--data` → the database URL to connect to and whether the report chose it; the user's `connections.toml` read and written.

Named connections keep credentials out of report files (docs/ashr-format.md): a report
names a connection, the user's own file says where it is and where its password comes
from (an environment variable or a password file the user chose). The file is the
user's authority, never the report's: a report can pick a name, nothing else.

Which file: the CLI's `--connections FILE` (`use_connections_file`), else the
`ASHR_CONNECTIONS` environment variable, else `connections.toml` in the platform's
config folder. Passwords are never part of a message, a log line or a repr.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.access import AccessError, read_regular
from engine.errors import ReportInputError
from engine.model import SqlSource
from engine.model.data import CONNECTION_NAME_PATTERN

log = logging.getLogger(__name__)

#: the environment variable naming the connections file (the user's environment, not a report's)
CONNECTIONS_ENV = "ASHR_CONNECTIONS"
#: the keys a connection's table may hold
KEYS = ("url", "password_env", "password_file")

_NAME_RE = re.compile(CONNECTION_NAME_PATTERN)
_VARIABLE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# a relative SQLite file (sqlite:///data.db, not sqlite:////abs.db, :memory: or a file: URI)
_RELATIVE_SQLITE_RE = re.compile(r"^(sqlite(?:\+pysqlite)?:///)(?![/:]|file:)(.+)$")
# user:password@ in a URL that SQLAlchemy cannot parse: hidden without it
_USERINFO_RE = re.compile(r"(://[^:/@]*):[^@]*@")

_chosen: Path | None = None


class NamedConnectionError(ReportInputError):
    """A named connection cannot be used: unknown name, a malformed file, a missing password."""


@dataclass(frozen=True)
class NamedConnection:
    """One table of connections.toml: its name, URL (no password) and where the password comes from."""

    name: str
    url: str
    password_env: str | None = None
    password_file: str | None = None

    def to_toml(self) -> dict[str, str]:
        """The table as connections.toml holds it (keys that are not set left out)."""
        table = {"url": self.url}
        if self.password_env:
            table["password_env"] = self.password_env
        if self.password_file:
            table["password_file"] = self.password_file
        return table


@dataclass(frozen=True)
class Target:
    """Where a source connects: the URL (with any password: never shown) and who chose it."""

    url: str
    #: the report file named this URL itself: an SQLite path in it is confined to the
    #: report's folder (a URL from `--data` or a named connection is the user's choice)
    from_report: bool
    #: the named connection it came from, for messages
    connection: str | None = None

    def __repr__(self) -> str:
        return (
            f"Target(url={hide_password(self.url)!r}, from_report={self.from_report!r}, "
            f"connection={self.connection!r})"
        )

    @property
    def shown(self) -> str:
        """The URL as a message may show it: the password as `***`."""
        return hide_password(self.url)


# -- which file ------------------------------------------------------------------------------


def use_connections_file(path: str | os.PathLike[str] | None) -> None:
    """Read named connections from this file for the rest of the process (the CLI's `--connections`)."""
    global _chosen
    _chosen = Path(path).expanduser() if path is not None else None


def default_connections_file() -> Path:
    """`connections.toml` in the platform's config folder (e.g. ~/.config/ashreports)."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("ashreports")) / "connections.toml"


def connections_file() -> Path:
    """The file named connections are read from: `--connections`, ASHR_CONNECTIONS, or the default."""
    if _chosen is not None:
        return _chosen
    named = os.environ.get(CONNECTIONS_ENV)
    if named:
        return Path(named).expanduser()
    return default_connections_file()


# -- reading ---------------------------------------------------------------------------------


def hide_password(url: str) -> str:
    """The URL with its password as `***` (SQLAlchemy's rendering), for messages and logs."""
    if "@" not in url:
        return url
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy reads: hide user:password@ by hand
        return _USERINFO_RE.sub(r"\1:***@", url)


def split_password(url: str) -> tuple[str, str]:
    """A URL typed with a password → (the URL without it, the password); ("URL", "") when it has none."""
    if not _url_password(url):
        return url, ""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    # URL.set ignores None: the named tuple's _replace removes the password
    bare = parsed._replace(password=None)
    return bare.render_as_string(hide_password=False), str(parsed.password)


def _url_password(url: str) -> bool:
    """Whether a URL holds a password (never returned: only whether there is one)."""
    if "@" not in url:
        return False
    try:
        from sqlalchemy.engine import make_url

        return bool(make_url(url).password)
    except Exception:
        return bool(_USERINFO_RE.search(url))


def _parse(path: Path, raw: bytes) -> dict[str, NamedConnection]:
    import tomllib  # only a run that names a connection pays for it

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise NamedConnectionError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message says where (line, column), never what the line holds
        raise NamedConnectionError(f"{path}: not valid TOML: {exc}") from None
    found: dict[str, NamedConnection] = {}
    for name, table in data.items():
        where = f"{path}: [{name}]"
        if not isinstance(table, dict):
            raise NamedConnectionError(
                f"{path}: '{name}' must be a table: [{name}] with url = \"...\" below it"
            )
        if not _NAME_RE.match(name):
            raise NamedConnectionError(
                f"{where}: a connection name is a letter or _ followed by letters, digits, _ . -"
            )
        unknown = sorted(set(table) - set(KEYS))
        if unknown:
            raise NamedConnectionError(
                f"{where}: unknown key '{unknown[0]}' (a connection has {', '.join(KEYS)})"
            )
        for key in KEYS:
            if key in table and not (isinstance(table[key], str) and table[key].strip()):
                raise NamedConnectionError(f"{where}: {key} must be text in quotes, not empty")
        if "url" not in table:
            raise NamedConnectionError(
                f'{where}: url is required: url = "postgresql://user@host/db"'
            )
        url = table["url"].strip()
        if _url_password(url):
            raise NamedConnectionError(
                f"{where}: the url holds a password ({hide_password(url)}); remove it and give "
                "password_env (an environment variable) or password_file instead"
            )
        if "password_env" in table and "password_file" in table:
            raise NamedConnectionError(f"{where}: give password_env or password_file, not both")
        variable = table.get("password_env")
        if variable is not None and not _VARIABLE_RE.match(variable):
            raise NamedConnectionError(
                f"{where}: password_env '{variable}' is not an environment variable name"
            )
        relative = _RELATIVE_SQLITE_RE.match(url)
        if relative:  # the user's file: a relative SQLite path starts at the file's folder
            url = relative.group(1) + str(path.parent.resolve() / relative.group(2))
        found[name] = NamedConnection(name, url, variable, table.get("password_file"))
    return found


def read_connections(path: str | os.PathLike[str] | None = None) -> dict[str, NamedConnection]:
    """The named connections of a file (`connections_file()` when None), by name.

    A missing file holds no connections (the designer creates it with the first one; a
    report naming a connection then hears that the file does not exist).

    Raises:
        NamedConnectionError: the file is unreadable or malformed; the message names the
            file and the problem.
    """
    file = Path(path).expanduser() if path is not None else connections_file()
    try:
        raw = read_regular(file, kind="connections", what="connections file")
    except FileNotFoundError:
        return {}
    except AccessError as exc:
        raise NamedConnectionError(str(exc)) from None
    except OSError as exc:
        raise NamedConnectionError(f"{file}: cannot read it: {exc.strerror or exc}") from None
    return _parse(file, raw)


def connection_names(path: str | os.PathLike[str] | None = None) -> list[str]:
    """The names of the known connections, sorted."""
    return sorted(read_connections(path))


def find_connection(name: str, path: str | os.PathLike[str] | None = None) -> NamedConnection:
    """The connection of that name.

    Raises:
        NamedConnectionError: no such connection; the message lists the known ones.
    """
    file = Path(path).expanduser() if path is not None else connections_file()
    known = read_connections(file)
    if name in known:
        return known[name]
    listed = ", ".join(sorted(known)) if known else "none"
    missing = "" if file.exists() else ", which does not exist"
    raise NamedConnectionError(
        f"data_source.connection: no named connection '{name}' in {file}{missing} "
        f"(known: {listed}); add a [{name}] table with its url there, or pick a known one"
    )


def _password(connection: NamedConnection, base: Path) -> str | None:
    where = f"connection '{connection.name}'"
    if connection.password_env:
        value = os.environ.get(connection.password_env)
        if value is None:
            raise NamedConnectionError(
                f"{where}: the environment variable {connection.password_env} (its password_env) "
                "is not set"
            )
        return value
    if connection.password_file:
        file = Path(connection.password_file).expanduser()
        if not file.is_absolute():
            file = base / file
        try:
            raw = read_regular(file, kind="password", what=f"password file of {where}")
        except AccessError as exc:
            raise NamedConnectionError(str(exc)) from None
        except OSError as exc:
            raise NamedConnectionError(
                f"{where}: cannot read its password_file {file}: {exc.strerror or exc}"
            ) from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise NamedConnectionError(f"{where}: password_file {file} is not UTF-8 text") from None
        return text.removesuffix("\n").removesuffix("\r")
    return None


def connection_url(name: str, path: str | os.PathLike[str] | None = None) -> str:
    """The URL of a named connection with its password filled in (never show it: see hide_password).

    Raises:
        NamedConnectionError: unknown name, malformed file, password not available.
    """
    file = Path(path).expanduser() if path is not None else connections_file()
    connection = find_connection(name, file)
    password = _password(connection, file.parent)
    if password is None:
        return connection.url
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(connection.url)
    except Exception as exc:
        raise NamedConnectionError(
            f"connection '{name}': url {connection.url!r} is not a database URL"
        ) from exc
    # rendered with the password %-escaped, so no character of it changes the URL's meaning
    return parsed.set(password=password).render_as_string(hide_password=False)


def connect_target(source: SqlSource, url: str | None) -> Target:
    """The URL a source connects to: `url` (the user's `--data`) when given, else its named
    connection's (password filled in), else the report's own URL.

    Raises:
        NamedConnectionError: the source names a connection that cannot be used.
    """
    if url:
        return Target(url, from_report=False)
    if source.connection is not None:
        target = Target(
            connection_url(source.connection), from_report=False, connection=source.connection
        )
        log.debug("named connection %s: %s", source.connection, target.shown)
        return target
    assert source.url is not None  # the model holds exactly one of url and connection
    return Target(source.url, from_report=True)


# -- writing (the designer's data source dialog) ---------------------------------------------


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner may read (0600), atomically: a temp file beside it, renamed."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    import tempfile  # only saving a connection needs it

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_connection(
    connection: NamedConnection, path: str | os.PathLike[str] | None = None
) -> Path:
    """Add or replace one connection in the user's file (the others are kept); returns the file.

    Raises:
        NamedConnectionError: a bad name, a URL holding a password, a malformed existing file,
            or a file that cannot be written.
    """
    import tomli_w

    file = Path(path).expanduser() if path is not None else connections_file()
    if not _NAME_RE.match(connection.name):
        raise NamedConnectionError(
            f"'{connection.name}' is not a connection name: a letter or _ followed by letters, "
            "digits, _ . -"
        )
    if _url_password(connection.url):
        raise NamedConnectionError(
            "the URL holds a password: remove it, and keep the password in a password file "
            "or an environment variable"
        )
    if connection.password_env and not _VARIABLE_RE.match(connection.password_env):
        raise NamedConnectionError(
            f"'{connection.password_env}' is not an environment variable name"
        )
    current: dict[str, Any] = {}
    if file.exists():
        read_connections(file)  # refuse to rewrite a file that does not read
        import tomllib

        current = tomllib.loads(file.read_text(encoding="utf-8"))
    current[connection.name] = connection.to_toml()
    try:
        _write_private(file, tomli_w.dumps(current).encode("utf-8"))
    except OSError as exc:
        raise NamedConnectionError(f"cannot write {file}: {exc.strerror or exc}") from exc
    log.info("saved named connection %s in %s", connection.name, file)
    return file


def store_password(name: str, password: str, folder: Path | None = None) -> Path:
    """Keep a connection's password in a file only the user can read; returns its path.

    The file is `passwords/NAME` beside the connections file (mode 0600, folder 0700).

    Raises:
        NamedConnectionError: a bad name, or the file cannot be written.
    """
    if not _NAME_RE.match(name):
        raise NamedConnectionError(f"'{name}' is not a connection name")
    target = (folder or connections_file().parent / "passwords") / name
    try:
        _write_private(target, password.encode("utf-8") + b"\n")
    except OSError as exc:
        raise NamedConnectionError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return target
