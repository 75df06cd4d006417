"""A report and its folder → what reading its data would touch (a TrustRequest), and the user's answer remembered per source and folder.

A report file is data, never authority: the designer opens it without reading its data
source, and the first action that needs data asks the user whether to trust the source
(and the folders outside the report's folder it names). An answer of Trust is kept in
QSettings under a key made of what is read (kind, the URL without its password, the
connection's name or the file's path) and the report's folder, so the same source in the
same place is never asked about again. A source the user typed this session (the data
source dialog, the New from Template wizard) is trusted for the session; a Don't Trust is
remembered for the session only, so an edit never asks again but an explicit retry does.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QSettings

from engine.model import Report

log = logging.getLogger(__name__)

#: the QSettings group of remembered answers
SETTINGS_GROUP = "trust"

#: a dialect's name as people know it (the URL's scheme before any `+driver`)
_DIALECT_NAMES = {
    "postgresql": "PostgreSQL",
    "postgres": "PostgreSQL",
    "mysql": "MySQL",
    "mariadb": "MariaDB",
    "mssql": "SQL Server",
    "oracle": "Oracle",
    "sqlite": "SQLite",
    "duckdb": "DuckDB",
}
_FILE_KINDS = {"csv": "CSV file", "json": "JSON file", "parquet": "Parquet file"}


@dataclass(frozen=True)
class Access:
    """One data source as the user sees it: a title ("SQLite database") and (label, value) rows, never a password."""

    title: str
    details: tuple[tuple[str, str], ...]
    #: what identifies it, with the report's folder: the key of the remembered answer
    key: str
    #: the file it reads, when it reads one (checked against the report's folder)
    file: Path | None = None


@dataclass(frozen=True)
class TrustRequest:
    """What an action would read: the report's data source and the folders outside the report's folder it names."""

    report_name: str
    report_folder: Path
    source: Access | None
    #: folders outside the report's folder tree holding files the report names
    folders: tuple[Path, ...]

    def folder_key(self, folder: Path) -> str:
        """The key of the answer allowing this report's folder to read `folder`."""
        return _key("folder", str(self.report_folder), str(folder))

    def keys(self) -> tuple[str, ...]:
        """The keys of everything the user answers for."""
        folder_keys = tuple(self.folder_key(f) for f in self.folders)
        return ((self.source.key,) if self.source is not None else ()) + folder_keys

    @property
    def empty(self) -> bool:
        """Nothing to trust: no data source and no file outside the report's folder."""
        return self.source is None and not self.folders


@dataclass(frozen=True)
class Trust:
    """The answer for one action: may it read, the folders it may read besides the report's, and why not."""

    granted: bool
    folders: tuple[Path, ...] = ()
    message: str = ""


#: the question put to the user (the main window's dialog; tests replace it): True to trust
Asker = Callable[[TrustRequest], bool]


def _key(*parts: str) -> str:
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:32]


def _real(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):  # a NUL byte, a loop: shown as written (the engine refuses it)
        return Path(os.path.normpath(path))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def report_folder(base_dir: Path | None) -> Path:
    """The folder a report's relative paths start from (the working folder for an unsaved report)."""
    return _real(base_dir if base_dir is not None else Path.cwd())


def _resolve(text: str, folder: Path) -> Path:
    try:
        named = Path(text).expanduser()
    except RuntimeError:  # ~user of no such user: the engine refuses any ~ path anyway
        named = Path(text)
    return _real(folder / named)


def _sqlite_access(url: str, folder: Path) -> Access:
    rest = url.split(":", 1)[1]
    rest = rest[3:] if rest.startswith("///") else rest.lstrip("/")
    database, _, options = rest.partition("?")
    database = unquote(database)
    if database.startswith("file:"):  # an SQLite URI: the file is the part before its options
        database = database[len("file:") :]
    details: list[tuple[str, str]] = []
    file: Path | None = None
    if database in ("", ":memory:"):
        details.append(("Database", "in memory"))
        target = ":memory:"
    else:
        file = _resolve(database, folder)
        details.append(("File", str(file)))
        target = str(file)
    if options:
        details.append(("Options", options))
    return Access(
        "SQLite database", tuple(details), _key("sqlite", target, options, str(folder)), file
    )


def _server_access(url: str, folder: Path) -> Access:
    try:
        parts = urlsplit(url)
    except ValueError:  # not a URL at all: nothing of it is shown (it may hold a password)
        return Access("SQL database", (("URL", "(cannot be read)"),), _key("sql", url, str(folder)))
    dialect = parts.scheme.split("+", 1)[0]
    title = f"{_DIALECT_NAMES.get(dialect, dialect or 'SQL')} database"
    try:
        host, port = parts.hostname or "", parts.port
    except ValueError:  # a port that is no number: show it as written
        host, port = parts.netloc.rpartition("@")[2], None
    where = f"{host}:{port}" if port else host
    database = unquote(parts.path.lstrip("/"))
    user = unquote(parts.username or "")
    details = [("Host", where or "(local)"), ("Database", database or "(default)")]
    if user:
        details.append(("User", user))
    if parts.query:  # driver options can change what a connection may do: show them
        details.append(("Options", parts.query))
    # the password is left out of the key too: a changed password is the same source
    target = json.dumps([parts.scheme, where, database, user, parts.query])
    return Access(title, tuple(details), _key("sql", target, str(folder)))


def describe_source(source: object, folder: Path) -> Access:
    """What a data source reads, for the user: kind, file or host and database (never a password)."""
    kind = getattr(source, "kind", "")
    connection = getattr(source, "connection", None)
    if kind == "sql" and connection:
        return Access(
            "Named connection",
            (("Name", str(connection)), ("Defined in", "your connections.toml")),
            _key("connection", str(connection), str(folder)),
        )
    if kind == "sql":
        url = str(getattr(source, "url", "") or "")
        if url.split(":", 1)[0].split("+", 1)[0] == "sqlite":
            return _sqlite_access(url, folder)
        return _server_access(url, folder)
    path = _resolve(str(getattr(source, "path", "")), folder)
    title = _FILE_KINDS.get(kind, f"{kind} file")
    return Access(title, (("File", str(path)),), _key(kind, str(path), str(folder)), path)


def _named_files(report: Report) -> Iterable[str]:
    """The paths of the files a report's elements name (images, subreports)."""
    for band in report.bands:
        for element in band.elements:
            source = getattr(element, "source", None)
            image = getattr(source, "file", None)
            if isinstance(image, str) and image:
                yield image
            if getattr(element, "type", "") == "subreport":
                yield str(element.report)  # type: ignore[attr-defined]


def trust_request(report: Report, base_dir: Path | None) -> TrustRequest:
    """What reading this report's data would touch, seen from its folder."""
    folder = report_folder(base_dir)
    source = describe_source(report.data_source, folder) if report.data_source is not None else None
    files = [_resolve(text, folder) for text in _named_files(report)]
    if source is not None and source.file is not None:
        files.append(source.file)
    outside: list[Path] = []
    for file in files:
        if not _inside(file, folder) and file.parent not in outside:
            outside.append(file.parent)
    return TrustRequest(report.name, folder, source, tuple(outside))


#: keys trusted for this session only (sources the user typed); shared by every window
_SESSION: set[str] = set()
#: keys the user did not trust this session (an edit does not ask again; a retry does)
_DECLINED: set[str] = set()


class TrustStore:
    """The answers: Trust remembered in QSettings; typed-by-the-user and Don't Trust for this session."""

    def __init__(self) -> None:
        self._session = _SESSION
        self._declined = _DECLINED

    def is_trusted(self, key: str) -> bool:
        if key in self._session:
            return True
        return QSettings().value(f"{SETTINGS_GROUP}/{key}", "") == "trusted"

    def remember(self, keys: Iterable[str]) -> None:
        settings = QSettings()
        for key in keys:
            self._declined.discard(key)
            settings.setValue(f"{SETTINGS_GROUP}/{key}", "trusted")
        settings.sync()

    def trust_for_session(self, keys: Iterable[str]) -> None:
        for key in keys:
            self._declined.discard(key)
            self._session.add(key)

    def decline(self, keys: Iterable[str]) -> None:
        self._declined.update(keys)

    def declined(self, keys: Iterable[str]) -> bool:
        return any(k in self._declined for k in keys)

    def forget_all(self) -> None:
        """Forget every remembered answer (settings and session)."""
        settings = QSettings()
        settings.remove(SETTINGS_GROUP)
        settings.sync()
        self._session.clear()
        self._declined.clear()


def refused_message(request: TrustRequest) -> str:
    """The one line shown where the data would have been: what was not read, and how to be asked again."""
    if request.source is not None:
        shown = ", ".join([request.source.title, *(v for _, v in request.source.details[:1])])
        what = f"this report's data source ({shown})"
    else:
        what = f"the files this report names outside its folder ({request.folders[0]})"
    return f"Not read: you did not trust {what}."


def decide_trust(
    request: TrustRequest,
    ask: Asker | None,
    *,
    retry: bool = True,
    store: TrustStore | None = None,
) -> Trust:
    """Whether an action may read what `request` names, asking the user when not yet answered.

    `ask` None never asks (anything not trusted yet is refused); `retry` False does not ask
    again about a source declined this session (an edit re-rendering the preview).
    """
    store = store or TrustStore()
    if request.empty:
        return Trust(True)
    keys = request.keys()
    if all(store.is_trusted(k) for k in keys):
        return Trust(True, request.folders)
    if ask is None or (not retry and store.declined(keys)):
        return Trust(False, message=refused_message(request))
    if ask(request):
        store.remember(keys)
        log.info("trusted the data of %s (%s)", request.report_name, ", ".join(keys))
        return Trust(True, request.folders)
    store.decline(keys)
    return Trust(False, message=refused_message(request))
