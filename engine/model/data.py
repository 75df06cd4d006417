"""Data objects of the report model: data sources, declared fields and run-time parameters."""

import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from .base import AshrModel, FieldType, Flag, Identifier, Text

NonEmptyText = Annotated[Text, Field(min_length=1)]


class FieldDef(AshrModel):
    """A field a data source provides, with its type."""

    name: NonEmptyText
    type: FieldType


#: a named connection: a letter or `_`, then letters, digits, `_`, `.` and `-` (a TOML bare key
#: without the quotes TOML would need for anything else)
CONNECTION_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.-]*$"
ConnectionName = Annotated[Text, Field(pattern=CONNECTION_NAME_PATTERN, max_length=100)]

# `${NAME}` was expanded from the environment in version 1; a report may no longer read it
_ENV_REFERENCE = re.compile(r"\$\{[^}]*\}?")

ENV_IN_URL_FIX = (
    "a report file never reads environment variables: move the URL into a named connection "
    '(connections.toml) and write "connection": "NAME" instead of "url"'
)


class SqlSource(AshrModel):
    """Rows from an SQL database through SQLAlchemy: a query or a table, from a URL or a named connection."""

    kind: Literal["sql"]
    url: NonEmptyText | None = None
    connection: ConnectionName | None = None
    query: NonEmptyText | None = None
    table: NonEmptyText | None = None
    fields: tuple[FieldDef, ...] | None = None

    @field_validator("url")
    @classmethod
    def _no_environment(cls, url: str | None) -> str | None:
        if url is not None:
            found = _ENV_REFERENCE.search(url)
            if found:
                raise ValueError(f"uses {found.group(0)}; {ENV_IN_URL_FIX}")
        return url

    @model_validator(mode="after")
    def _query_or_table(self) -> "SqlSource":
        if (self.url is None) == (self.connection is None):
            raise ValueError(
                "give exactly one of 'url' (an SQLAlchemy URL without a password) or "
                "'connection' (the name of a named connection in connections.toml)"
            )
        if (self.query is None) == (self.table is None):
            raise ValueError(
                "give exactly one of 'query' (SQL text) or 'table' (a table or view name)"
            )
        return self


class CsvOptions(AshrModel):
    """How a CSV file is read."""

    delimiter: Annotated[Text, Field(min_length=1, max_length=1)] = ","
    encoding: NonEmptyText = "utf-8"


class CsvSource(AshrModel):
    """Rows from a CSV file with a header row."""

    kind: Literal["csv"]
    path: NonEmptyText
    csv_options: CsvOptions | None = None
    fields: tuple[FieldDef, ...] | None = None


class JsonSource(AshrModel):
    """Rows from a JSON file holding an array of objects."""

    kind: Literal["json"]
    path: NonEmptyText
    fields: tuple[FieldDef, ...] | None = None


class ParquetSource(AshrModel):
    """Rows from a Parquet file (format version 2), read a batch at a time with the file's own column types."""

    kind: Literal["parquet"]
    path: NonEmptyText
    fields: tuple[FieldDef, ...] | None = None


DataSource = Annotated[
    SqlSource | CsvSource | JsonSource | ParquetSource, Field(discriminator="kind")
]


class Parameter(AshrModel):
    """A value asked for at run time, readable as `params.NAME` and bound into SQL as `:NAME`."""

    name: Identifier
    type: FieldType
    label: Text = ""
    default: Any = None
    required: Flag = False
    choices: tuple[Any, ...] | None = None
